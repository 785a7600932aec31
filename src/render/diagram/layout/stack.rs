//! Stacked rows of boxes joined by arrows (flow diagrams), and the wiring between rows.

use super::*;

struct Placed {
    rect: Rect,
    shape: Shape,
}

/// Boxes measured, and the gaps between neighbours, of one row.
type MeasuredRow = (Vec<Measured>, Vec<f64>);

pub(super) fn stack(rows: &[Row], links: &[Option<Link>]) -> Vec<Item> {
    let mut items = Vec::new();
    let mut measured: Vec<MeasuredRow> = rows.iter().map(measure_row).collect();
    equalize_layers(rows, links, &mut measured);
    let mut placed_rows: Vec<Vec<Placed>> = Vec::new();
    let mut y = 0.0;
    for (ri, (row, m)) in rows.iter().zip(&measured).enumerate() {
        if ri > 0 {
            y += match links.get(ri - 1) {
                Some(Some(l)) if l.label.is_some() => ARROW_GAP_LABELLED,
                Some(Some(_)) => ARROW_GAP,
                _ => LAYER_GAP,
            };
        }
        let (placed, row_h) = place_row(&mut items, row, m, y);
        placed_rows.push(placed);
        y += row_h;
    }
    for (i, link) in links.iter().enumerate() {
        if let (Some(link), Some(up), Some(down)) =
            (link, placed_rows.get(i), placed_rows.get(i + 1))
        {
            row_arrows(&mut items, up, down, link);
        }
    }
    items
}

/// A row's boxes measured, with the gap after each but the last (a chain arrow's label widens it).
fn measure_row(row: &Row) -> MeasuredRow {
    let ms: Vec<Measured> = row.boxes.iter().map(measure).collect();
    let gaps: Vec<f64> = (0..ms.len().saturating_sub(1))
        .map(|i| match row.chain.get(i) {
            Some(link) => link
                .label
                .as_deref()
                .map_or(CHAIN_GAP, |s| (label_width(s) + 24.0).max(CHAIN_GAP)),
            None => ROW_GAP,
        })
        .collect();
    (ms, gaps)
}

fn row_width((ms, gaps): &MeasuredRow) -> f64 {
    width_of(ms, gaps)
}

fn width_of(ms: &[Measured], gaps: &[f64]) -> f64 {
    ms.iter().map(|m| m.w).sum::<f64>() + gaps.iter().sum::<f64>()
}

/// Layers (rows joined without an arrow) share one width: the narrower rows' boxes widen.
fn equalize_layers(rows: &[Row], links: &[Option<Link>], measured: &mut [MeasuredRow]) {
    let mut start = 0;
    while start < rows.len() {
        let mut end = start;
        while end + 1 < rows.len() && matches!(links.get(end), Some(None)) {
            end += 1;
        }
        if end > start {
            let widest = measured[start..=end]
                .iter()
                .map(row_width)
                .fold(0.0, f64::max);
            for (ri, entry) in measured.iter_mut().enumerate().take(end + 1).skip(start) {
                let is_chain = rows.get(ri).is_some_and(|r| !r.chain.is_empty());
                widen_row(entry, widest, is_chain);
            }
        }
        start = end + 1;
    }
}

fn widen_row(entry: &mut MeasuredRow, widest: f64, is_chain: bool) {
    let extra = widest - row_width(entry);
    if is_chain || extra <= 0.5 || entry.0.is_empty() {
        return;
    }
    let n = entry.0.len() as f64;
    let share = ((widest - entry.1.iter().sum::<f64>()) / n).floor();
    if entry.0.iter().all(|m| m.w <= share) {
        // Equal widths read as one orderly layer.
        entry.0.iter_mut().for_each(|m| m.w = share);
    } else {
        let add = (extra / n).floor();
        entry.0.iter_mut().for_each(|m| m.w += add);
    }
}

/// Place one row's boxes centred at `y`, with its chain arrows; the boxes and the row's height.
fn place_row(
    items: &mut Vec<Item>,
    row: &Row,
    (ms, gaps): &MeasuredRow,
    y: f64,
) -> (Vec<Placed>, f64) {
    // Boxes of a row share one height (clouds keep their own).
    let plain_h = ms
        .iter()
        .filter(|m| m.shape != Shape::Cloud)
        .map(|m| m.h)
        .fold(0.0, f64::max);
    let row_h = ms.iter().map(|m| m.h).fold(0.0, f64::max);
    let mut x = -width_of(ms, gaps) / 2.0;
    let mut placed = Vec::new();
    for (i, m) in ms.iter().enumerate() {
        let h = if m.shape == Shape::Cloud {
            m.h
        } else {
            plain_h
        };
        let rect = Rect {
            x,
            y: y + (row_h - h) / 2.0,
            w: m.w,
            h,
        };
        items.push(place(m, rect));
        placed.push(Placed {
            rect,
            shape: m.shape,
        });
        x += m.w + gaps.get(i).copied().unwrap_or(0.0);
    }
    for (i, link) in row.chain.iter().enumerate() {
        if let (Some(a), Some(b)) = (placed.get(i), placed.get(i + 1)) {
            chain_arrow(items, a, b, link);
        }
    }
    (placed, row_h)
}

fn side_inset(p: &Placed) -> f64 {
    if p.shape == Shape::Cloud {
        p.rect.w * 0.04
    } else {
        0.0
    }
}

fn chain_arrow(items: &mut Vec<Item>, a: &Placed, b: &Placed, link: &Link) {
    let y = (a.rect.cy().max(b.rect.cy()) + a.rect.cy().min(b.rect.cy())) / 2.0;
    let x1 = a.rect.right() - side_inset(a);
    let x2 = b.rect.x + side_inset(b);
    let (hs, he) = heads(link.flow);
    items.push(Item::Edge {
        points: vec![(x1, y), (x2, y)],
        dashed: link.dashed,
        head_start: hs,
        head_end: he,
    });
    if let Some(s) = &link.label {
        items.push(label_item(s, (x1 + x2) / 2.0, y - 14.0, Anchor::Middle));
    }
}

fn row_arrows(items: &mut Vec<Item>, up: &[Placed], down: &[Placed], link: &Link) {
    let top = up.iter().map(|p| p.rect.bottom()).fold(f64::MIN, f64::max);
    let bottom = down.iter().map(|p| p.rect.y).fold(f64::MAX, f64::min);
    let mid = (top + bottom) / 2.0;
    let all_pairs = if up.len() != down.len() && up.len() > 1 && down.len() > 1 {
        nearest_pairs(up, down)
    } else {
        Vec::new()
    };
    let mut w = Wires {
        heads: heads(link.flow),
        mid,
        edges: Vec::new(),
        beside: None,
    };
    for (us, ds) in &arrow_groups(up, down, &all_pairs) {
        let ups: Vec<&Placed> = us.iter().filter_map(|&i| up.get(i)).collect();
        let downs: Vec<&Placed> = ds.iter().filter_map(|&j| down.get(j)).collect();
        match (ups.as_slice(), downs.as_slice()) {
            ([u], [d]) => w.one_to_one(u, d),
            ([u], many) => w.fan_out(u, many),
            (many, [d]) => w.fan_in(many, d),
            _ => {
                let pairs: Vec<(usize, usize)> = all_pairs
                    .iter()
                    .copied()
                    .filter(|(i, _)| us.contains(i))
                    .collect();
                w.tangled(&pairs, up, down);
            }
        }
    }
    for (points, h0, h1) in w.edges {
        items.push(Item::Edge {
            points,
            dashed: link.dashed,
            head_start: h0,
            head_end: h1,
        });
    }
    if let (Some(s), Some((x, y1, y2))) = (&link.label, w.beside) {
        items.push(label_item(s, x + 8.0, (y1 + y2) / 2.0, Anchor::Start));
    }
}

/// Which boxes of the upper row join which of the lower: all to all when either row has one box,
/// pairwise when the rows are as long, else the connected groups of nearest pairs.
fn arrow_groups(
    up: &[Placed],
    down: &[Placed],
    all_pairs: &[(usize, usize)],
) -> Vec<(Vec<usize>, Vec<usize>)> {
    if up.len() == 1 || down.len() == 1 {
        vec![((0..up.len()).collect(), (0..down.len()).collect())]
    } else if up.len() == down.len() {
        (0..up.len()).map(|i| (vec![i], vec![i])).collect()
    } else {
        components(all_pairs)
    }
}

/// One line: its points, and whether it has an arrowhead at its start and at its end.
type Wire = (Vec<(f64, f64)>, bool, bool);

/// The lines between two rows as they are drawn: each with its arrowheads (start, end), and the
/// vertical segment a label sits beside, (x, y1, y2), the rightmost one.
struct Wires {
    heads: (bool, bool),
    /// The y of the middle of the gap between the rows, where elbows and fan bars run.
    mid: f64,
    edges: Vec<Wire>,
    beside: Option<(f64, f64, f64)>,
}

impl Wires {
    fn push(&mut self, points: Vec<(f64, f64)>, head_start: bool, head_end: bool) {
        self.edges.push((points, head_start, head_end));
    }

    fn consider(&mut self, x: f64, y1: f64, y2: f64) {
        if self.beside.is_none_or(|(bx, _, _)| x > bx) {
            self.beside = Some((x, y1, y2));
        }
    }

    fn one_to_one(&mut self, u: &Placed, d: &Placed) {
        let (hs, he) = self.heads;
        let (ul, ur) = safe_span(u.shape, u.rect);
        let (dl, dr) = safe_span(d.shape, d.rect);
        let (lo, hi) = (ul.max(dl), ur.min(dr));
        if hi >= lo {
            // Boxes overlap: a straight vertical arrow.
            let x = ((u.rect.cx() + d.rect.cx()) / 2.0).clamp(lo, hi);
            let (y1, y2) = (
                attach_bottom(u.shape, u.rect, x),
                attach_top(d.shape, d.rect, x),
            );
            self.push(vec![(x, y1), (x, y2)], hs, he);
            self.consider(x, y1, y2);
        } else {
            // Offset boxes: an elbow through the middle of the gap.
            let (x0, x1, mid) = (u.rect.cx(), d.rect.cx(), self.mid);
            let y0 = attach_bottom(u.shape, u.rect, x0);
            let end = attach_top(d.shape, d.rect, x1);
            self.push(vec![(x0, y0), (x0, mid), (x1, mid), (x1, end)], hs, he);
            self.consider(x0, y0, mid);
        }
    }

    /// Fan-out: trunk, bar, drops.
    fn fan_out(&mut self, u: &Placed, many: &[&Placed]) {
        let ((hs, he), mid) = (self.heads, self.mid);
        let ux = u.rect.cx();
        let y0 = attach_bottom(u.shape, u.rect, ux);
        self.push(vec![(ux, y0), (ux, mid)], hs, false);
        if let Some(b) = bar(ux, many, mid) {
            self.push(b, false, false);
        }
        for d in many {
            let x = d.rect.cx();
            self.push(
                vec![(x, mid), (x, attach_top(d.shape, d.rect, x))],
                false,
                he,
            );
        }
        self.consider(ux, y0, mid);
    }

    /// Fan-in: rises, bar, trunk.
    fn fan_in(&mut self, many: &[&Placed], d: &Placed) {
        let ((hs, he), mid) = (self.heads, self.mid);
        let dx = d.rect.cx();
        for u in many {
            let x = u.rect.cx();
            self.push(
                vec![(x, attach_bottom(u.shape, u.rect, x)), (x, mid)],
                hs,
                false,
            );
        }
        if let Some(b) = bar(dx, many, mid) {
            self.push(b, false, false);
        }
        let y1 = attach_top(d.shape, d.rect, dx);
        self.push(vec![(dx, mid), (dx, y1)], false, he);
        self.consider(dx, mid, y1);
    }

    /// Tangled group: straight lines, endpoints spread along each edge.
    fn tangled(&mut self, pairs: &[(usize, usize)], up: &[Placed], down: &[Placed]) {
        let (hs, he) = self.heads;
        for &(i, j) in pairs {
            let (Some(u), Some(d)) = (up.get(i), down.get(j)) else {
                continue;
            };
            let x0 = spread(u, pairs, (i, j), true, down);
            let x1 = spread(d, pairs, (i, j), false, up);
            let (y0, y1) = (
                attach_bottom(u.shape, u.rect, x0),
                attach_top(d.shape, d.rect, x1),
            );
            self.push(vec![(x0, y0), (x1, y1)], hs, he);
            self.consider(x0.max(x1), y0, y1);
        }
    }
}

/// The horizontal bar of a fan: from the trunk to the farthest box centre.
fn bar(trunk: f64, boxes: &[&Placed], y: f64) -> Option<Vec<(f64, f64)>> {
    let lo = boxes.iter().map(|p| p.rect.cx()).fold(trunk, f64::min);
    let hi = boxes.iter().map(|p| p.rect.cx()).fold(trunk, f64::max);
    (hi - lo > 0.5).then(|| vec![(lo, y), (hi, y)])
}

/// Where on box `p` the line `this` of `pairs` leaves (`is_up`) or arrives: spread evenly
/// over the box's safe span when several lines share the box, ordered by their far ends.
fn spread(
    p: &Placed,
    pairs: &[(usize, usize)],
    this: (usize, usize),
    is_up: bool,
    others: &[Placed],
) -> f64 {
    let (me, other) = if is_up { this } else { (this.1, this.0) };
    let mut far: Vec<(f64, usize)> = pairs
        .iter()
        .map(|&(i, j)| if is_up { (i, j) } else { (j, i) })
        .filter(|&(a, _)| a == me)
        .filter_map(|(_, b)| others.get(b).map(|o| (o.rect.cx(), b)))
        .collect();
    far.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let (lo, hi) = safe_span(p.shape, p.rect);
    if far.len() <= 1 {
        return far.first().map_or(p.rect.cx(), |&(x, _)| x.clamp(lo, hi));
    }
    let slot = far.iter().position(|&(_, b)| b == other).unwrap_or(0) as f64;
    lo + (hi - lo) * (slot + 1.0) / (far.len() as f64 + 1.0)
}

/// Splits links into connected groups: (upper boxes, lower boxes), in left-to-right order.
fn components(pairs: &[(usize, usize)]) -> Vec<(Vec<usize>, Vec<usize>)> {
    let mut groups: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    for &(i, j) in pairs {
        let hits: Vec<usize> = groups
            .iter()
            .enumerate()
            .filter(|(_, (us, ds))| us.contains(&i) || ds.contains(&j))
            .map(|(k, _)| k)
            .collect();
        let mut merged = (vec![i], vec![j]);
        for &k in hits.iter().rev() {
            let (us, ds) = groups.remove(k);
            merged.0.extend(us);
            merged.1.extend(ds);
        }
        merged.0.sort_unstable();
        merged.0.dedup();
        merged.1.sort_unstable();
        merged.1.dedup();
        groups.push(merged);
    }
    groups.sort();
    groups
}

/// For rows of different sizes: every lower box gets its nearest upper box, and every upper
/// box left without a link gets its nearest lower box.
fn nearest_pairs(up: &[Placed], down: &[Placed]) -> Vec<(usize, usize)> {
    let nearest = |x: f64, set: &[Placed]| {
        set.iter()
            .enumerate()
            .min_by(|a, b| {
                let da = (a.1.rect.cx() - x).abs();
                let db = (b.1.rect.cx() - x).abs();
                da.total_cmp(&db)
            })
            .map_or(0, |(i, _)| i)
    };
    let mut pairs: Vec<(usize, usize)> = down
        .iter()
        .enumerate()
        .map(|(j, d)| (nearest(d.rect.cx(), up), j))
        .collect();
    for (i, u) in up.iter().enumerate() {
        if !pairs.iter().any(|&(pi, _)| pi == i) {
            pairs.push((i, nearest(u.rect.cx(), down)));
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}
