//! Places the model's boxes, arrows and text on a canvas, so drawing needs no decisions.

use super::parse::{Band, Body, Column, Diagram, Event, Flow, Label, Link, Row, Sequence, Shape};
use super::text::{self, MAIN_LINE, MAIN_SIZE, SUB_LINE, SUB_SIZE};

/// Empty space around the drawing.
const MARGIN: f64 = 12.0;
/// Horizontal padding inside a box.
const PAD_X: f64 = 16.0;
/// Vertical padding inside a box.
const PAD_Y: f64 = 11.0;
const MIN_BOX_W: f64 = 92.0;
const MIN_BOX_H: f64 = 44.0;
/// Space between boxes of one row.
const ROW_GAP: f64 = 24.0;
/// Vertical space between rows joined by an arrow (more when the arrow has a label).
const ARROW_GAP: f64 = 52.0;
const ARROW_GAP_LABELLED: f64 = 64.0;
/// Vertical space between stacked layers without an arrow.
const LAYER_GAP: f64 = 12.0;
/// Shortest horizontal arrow between chained boxes.
const CHAIN_GAP: f64 = 52.0;
/// Characters after which box text wraps onto two lines.
const WRAP_CHARS: usize = 24;
/// Height of an arrow label's background.
const LABEL_H: f64 = 20.0;
const LABEL_PAD: f64 = 6.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn right(&self) -> f64 {
        self.x + self.w
    }
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }
    pub fn cx(&self) -> f64 {
        self.x + self.w / 2.0
    }
    pub fn cy(&self) -> f64 {
        self.y + self.h / 2.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// One line of text; `y` is the baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub x: f64,
    pub y: f64,
    pub s: String,
    pub class: &'static str,
    pub anchor: Anchor,
}

/// Something to draw.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A box (any shape) with its text.
    Node {
        rect: Rect,
        shape: Shape,
        texts: Vec<Text>,
    },
    /// A polyline arrow; heads drawn at the chosen ends.
    Edge {
        points: Vec<(f64, f64)>,
        dashed: bool,
        head_start: bool,
        head_end: bool,
    },
    /// An arrow label on its background.
    Label { rect: Rect, text: Text },
    /// A sequence lifeline.
    Lifeline { x: f64, y1: f64, y2: f64 },
    /// A compare column card.
    Card {
        rect: Rect,
        head_h: f64,
        texts: Vec<Text>,
        bullets: Vec<(f64, f64)>,
    },
    /// A spectrum bar with both ends marked.
    Bar { x1: f64, x2: f64, y: f64 },
    /// Free text (spectrum ends and examples).
    Free(Text),
    /// Invisible room the canvas must include.
    Spacer(Rect),
}

/// The positioned drawing.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    pub width: f64,
    pub height: f64,
    pub items: Vec<Item>,
}

/// Lays out any diagram.
pub fn layout(d: &Diagram) -> Scene {
    let items = match &d.body {
        Body::Stack(s) => stack(&s.rows, &s.links),
        Body::Compare(cols) => compare(cols),
        Body::Spectrum(bands) => spectrum(bands),
        Body::Sequence(seq) => sequence(seq),
    };
    normalise(items)
}

/// Moves everything so the drawing starts at the margin and sizes the canvas to fit.
fn normalise(mut items: Vec<Item>) -> Scene {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    let mut grow = |r: Rect| {
        x0 = x0.min(r.x);
        y0 = y0.min(r.y);
        x1 = x1.max(r.right());
        y1 = y1.max(r.bottom());
    };
    for it in &items {
        for r in bounds(it) {
            grow(r);
        }
    }
    if x0 > x1 {
        (x0, y0, x1, y1) = (0.0, 0.0, 0.0, 0.0);
    }
    let (dx, dy) = (MARGIN - x0, MARGIN - y0);
    for it in &mut items {
        shift(it, dx, dy);
    }
    Scene {
        width: (x1 - x0 + 2.0 * MARGIN).ceil(),
        height: (y1 - y0 + 2.0 * MARGIN).ceil(),
        items,
    }
}

fn text_rect(t: &Text) -> Rect {
    let size = if t.class == "dg-sub" || t.class == "dg-example" {
        SUB_SIZE
    } else {
        MAIN_SIZE
    };
    let w = text::width(&t.s, size, t.class == "dg-col-head" || t.class == "dg-end");
    let x = match t.anchor {
        Anchor::Start => t.x,
        Anchor::Middle => t.x - w / 2.0,
        Anchor::End => t.x - w,
    };
    Rect {
        x,
        y: t.y - size,
        w,
        h: size * 1.3,
    }
}

fn bounds(it: &Item) -> Vec<Rect> {
    match it {
        Item::Node { rect, .. }
        | Item::Card { rect, .. }
        | Item::Label { rect, .. }
        | Item::Spacer(rect) => vec![*rect],
        Item::Edge { points, .. } => points
            .iter()
            .map(|&(x, y)| Rect {
                x: x - 5.0,
                y: y - 5.0,
                w: 10.0,
                h: 10.0,
            })
            .collect(),
        Item::Lifeline { x, y1, y2 } => vec![Rect {
            x: *x,
            y: *y1,
            w: 0.0,
            h: y2 - y1,
        }],
        Item::Bar { x1, x2, y } => vec![Rect {
            x: *x1,
            y: y - 6.0,
            w: x2 - x1,
            h: 12.0,
        }],
        Item::Free(t) => vec![text_rect(t)],
    }
}

fn shift(it: &mut Item, dx: f64, dy: f64) {
    let mv = |r: &mut Rect| {
        r.x += dx;
        r.y += dy;
    };
    let mvt = |t: &mut Text| {
        t.x += dx;
        t.y += dy;
    };
    match it {
        Item::Node { rect, texts, .. } => {
            mv(rect);
            texts.iter_mut().for_each(mvt);
        }
        Item::Card {
            rect,
            texts,
            bullets,
            ..
        } => {
            mv(rect);
            texts.iter_mut().for_each(mvt);
            for b in bullets {
                b.0 += dx;
                b.1 += dy;
            }
        }
        Item::Label { rect, text } => {
            mv(rect);
            mvt(text);
        }
        Item::Edge { points, .. } => {
            for p in points {
                p.0 += dx;
                p.1 += dy;
            }
        }
        Item::Lifeline { x, y1, y2 } => {
            *x += dx;
            *y1 += dy;
            *y2 += dy;
        }
        Item::Bar { x1, x2, y } => {
            *x1 += dx;
            *x2 += dx;
            *y += dy;
        }
        Item::Free(t) => mvt(t),
        Item::Spacer(r) => mv(r),
    }
}

/// A box's measured content before it is placed.
struct Measured {
    main: Vec<String>,
    sub: Vec<String>,
    w: f64,
    h: f64,
    shape: Shape,
}

fn measure(l: &Label) -> Measured {
    let main = text::wrap_two(&l.text, WRAP_CHARS);
    let sub = l
        .sub
        .as_deref()
        .map(|s| text::wrap_two(s, WRAP_CHARS + 6))
        .unwrap_or_default();
    let tw = main
        .iter()
        .map(|s| text::width(s, MAIN_SIZE, false))
        .chain(sub.iter().map(|s| text::width(s, SUB_SIZE, false)))
        .fold(0.0, f64::max);
    let th = content_height(main.len(), sub.len());
    let (extra_w, extra_h) = match l.shape {
        Shape::Plain => (0.0, 0.0),
        Shape::Db => (4.0, 14.0),
        Shape::Queue => (26.0, 0.0),
        Shape::Cache => (20.0, 0.0),
        Shape::User => (34.0, 0.0),
        Shape::Cloud => (tw * 0.18 + 36.0, 26.0),
        Shape::Note => (10.0, 0.0),
    };
    Measured {
        w: (tw + 2.0 * PAD_X + extra_w).max(MIN_BOX_W).ceil(),
        h: (th + 2.0 * PAD_Y + extra_h).max(MIN_BOX_H).ceil(),
        main,
        sub,
        shape: l.shape,
    }
}

fn content_height(main: usize, sub: usize) -> f64 {
    let mut h = main as f64 * MAIN_LINE;
    if sub > 0 {
        h += 2.0 + sub as f64 * SUB_LINE;
    }
    h
}

/// Where a shape's text block is centred, relative to its rect.
fn text_centre(shape: Shape, r: Rect) -> (f64, f64) {
    match shape {
        Shape::Db => (r.cx(), r.cy() + 4.0),
        Shape::Queue => (r.cx() - 13.0, r.cy()),
        Shape::Cache => (r.cx() + 10.0, r.cy()),
        Shape::User => (r.cx() + 12.0, r.cy()),
        Shape::Cloud => (r.cx(), r.y + r.h * 0.6),
        Shape::Note => (r.cx() - 4.0, r.cy()),
        Shape::Plain => (r.cx(), r.cy()),
    }
}

fn place(m: &Measured, rect: Rect) -> Item {
    let (cx, cy) = text_centre(m.shape, rect);
    let total = content_height(m.main.len(), m.sub.len());
    let mut y = cy - total / 2.0;
    let mut texts = Vec::new();
    for s in &m.main {
        texts.push(Text {
            x: cx,
            y: y + MAIN_LINE / 2.0 + MAIN_SIZE * 0.35,
            s: s.clone(),
            class: "dg-text",
            anchor: Anchor::Middle,
        });
        y += MAIN_LINE;
    }
    y += 2.0;
    for s in &m.sub {
        texts.push(Text {
            x: cx,
            y: y + SUB_LINE / 2.0 + SUB_SIZE * 0.35,
            s: s.clone(),
            class: "dg-sub",
            anchor: Anchor::Middle,
        });
        y += SUB_LINE;
    }
    Item::Node {
        rect,
        shape: m.shape,
        texts,
    }
}

/// Top and bottom attachment points of a box for a vertical arrow at `x`.
fn attach_top(shape: Shape, r: Rect, x: f64) -> f64 {
    match shape {
        Shape::Db => {
            let rx = r.w / 2.0;
            let d = ((x - r.cx()) / rx).clamp(-1.0, 1.0);
            r.y + 7.0 * (1.0 - (1.0 - d * d).sqrt())
        }
        Shape::Cloud => r.y + r.h * 0.12,
        _ => r.y,
    }
}

fn attach_bottom(shape: Shape, r: Rect, x: f64) -> f64 {
    match shape {
        Shape::Db => {
            let rx = r.w / 2.0;
            let d = ((x - r.cx()) / rx).clamp(-1.0, 1.0);
            r.bottom() - 7.0 * (1.0 - (1.0 - d * d).sqrt())
        }
        _ => r.bottom(),
    }
}

/// Horizontal range where a vertical arrow may meet a box (away from rounded ends).
fn safe_span(shape: Shape, r: Rect) -> (f64, f64) {
    let inset = match shape {
        Shape::User => r.h / 2.0,
        Shape::Cloud => r.w * 0.3,
        Shape::Db => r.w * 0.2,
        _ => 14.0,
    }
    .min(r.w / 2.0);
    (r.x + inset, r.right() - inset)
}

fn label_item(s: &str, x: f64, cy: f64, anchor: Anchor) -> Item {
    let w = text::width(s, SUB_SIZE, false) + 2.0 * LABEL_PAD;
    let rx = match anchor {
        Anchor::Start => x,
        Anchor::Middle => x - w / 2.0,
        Anchor::End => x - w,
    };
    Item::Label {
        rect: Rect {
            x: rx,
            y: cy - LABEL_H / 2.0,
            w,
            h: LABEL_H,
        },
        text: Text {
            x: rx + w / 2.0,
            y: cy + SUB_SIZE * 0.35,
            s: s.to_string(),
            class: "dg-label",
            anchor: Anchor::Middle,
        },
    }
}

fn label_width(s: &str) -> f64 {
    text::width(s, SUB_SIZE, false) + 2.0 * LABEL_PAD
}

fn heads(flow: Flow) -> (bool, bool) {
    match flow {
        Flow::Forward => (false, true),
        Flow::Backward => (true, false),
        Flow::Both => (true, true),
    }
}

// ---------------------------------------------------------------- stack

struct Placed {
    rect: Rect,
    shape: Shape,
}

fn stack(rows: &[Row], links: &[Option<Link>]) -> Vec<Item> {
    let mut items = Vec::new();
    let mut placed_rows: Vec<Vec<Placed>> = Vec::new();
    // Measure every row first: layers (rows joined without an arrow) share one width.
    let mut measured: Vec<(Vec<Measured>, Vec<f64>)> = rows
        .iter()
        .map(|row| {
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
        })
        .collect();
    let row_width = |(ms, gaps): &(Vec<Measured>, Vec<f64>)| {
        ms.iter().map(|m| m.w).sum::<f64>() + gaps.iter().sum::<f64>()
    };
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
                let extra = widest - row_width(entry);
                if !is_chain && extra > 0.5 && !entry.0.is_empty() {
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
            }
        }
        start = end + 1;
    }
    let mut y = 0.0;
    for (ri, (row, (ms, gaps))) in rows.iter().zip(&measured).enumerate() {
        if ri > 0 {
            y += match links.get(ri - 1) {
                Some(Some(l)) if l.label.is_some() => ARROW_GAP_LABELLED,
                Some(Some(_)) => ARROW_GAP,
                _ => LAYER_GAP,
            };
        }
        // Boxes of a row share one height (clouds keep their own).
        let plain_h = ms
            .iter()
            .filter(|m| m.shape != Shape::Cloud)
            .map(|m| m.h)
            .fold(0.0, f64::max);
        let row_h = ms.iter().map(|m| m.h).fold(0.0, f64::max);
        let total: f64 = ms.iter().map(|m| m.w).sum::<f64>() + gaps.iter().sum::<f64>();
        let mut x = -total / 2.0;
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
                chain_arrow(&mut items, a, b, link);
            }
        }
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
    let (hs, he) = heads(link.flow);
    let all_pairs = if up.len() != down.len() && up.len() > 1 && down.len() > 1 {
        nearest_pairs(up, down)
    } else {
        Vec::new()
    };
    let groups: Vec<(Vec<usize>, Vec<usize>)> = if up.len() == 1 || down.len() == 1 {
        vec![((0..up.len()).collect(), (0..down.len()).collect())]
    } else if up.len() == down.len() {
        (0..up.len()).map(|i| (vec![i], vec![i])).collect()
    } else {
        components(&all_pairs)
    };
    let mut edges: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut heads_at: Vec<(bool, bool)> = Vec::new();
    // The vertical segment a label sits beside: (x, y1, y2); the rightmost one wins.
    let mut beside: Option<(f64, f64, f64)> = None;
    let mut consider = |x: f64, y1: f64, y2: f64| {
        if beside.is_none_or(|(bx, _, _)| x > bx) {
            beside = Some((x, y1, y2));
        }
    };
    for (us, ds) in &groups {
        let ups: Vec<&Placed> = us.iter().filter_map(|&i| up.get(i)).collect();
        let downs: Vec<&Placed> = ds.iter().filter_map(|&j| down.get(j)).collect();
        match (ups.as_slice(), downs.as_slice()) {
            ([u], [d]) => {
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
                    edges.push(vec![(x, y1), (x, y2)]);
                    consider(x, y1, y2);
                } else {
                    // Offset boxes: an elbow through the middle of the gap.
                    let (x0, x1) = (u.rect.cx(), d.rect.cx());
                    let y0 = attach_bottom(u.shape, u.rect, x0);
                    edges.push(vec![
                        (x0, y0),
                        (x0, mid),
                        (x1, mid),
                        (x1, attach_top(d.shape, d.rect, x1)),
                    ]);
                    consider(x0, y0, mid);
                }
                heads_at.push((hs, he));
            }
            ([u], many) => {
                // Fan-out: trunk, bar, drops.
                let ux = u.rect.cx();
                let y0 = attach_bottom(u.shape, u.rect, ux);
                edges.push(vec![(ux, y0), (ux, mid)]);
                heads_at.push((hs, false));
                if let Some(b) = bar(ux, many, mid) {
                    edges.push(b);
                    heads_at.push((false, false));
                }
                for d in many {
                    let x = d.rect.cx();
                    edges.push(vec![(x, mid), (x, attach_top(d.shape, d.rect, x))]);
                    heads_at.push((false, he));
                }
                consider(ux, y0, mid);
            }
            (many, [d]) => {
                // Fan-in: rises, bar, trunk.
                let dx = d.rect.cx();
                for u in many {
                    let x = u.rect.cx();
                    edges.push(vec![(x, attach_bottom(u.shape, u.rect, x)), (x, mid)]);
                    heads_at.push((hs, false));
                }
                if let Some(b) = bar(dx, many, mid) {
                    edges.push(b);
                    heads_at.push((false, false));
                }
                let y1 = attach_top(d.shape, d.rect, dx);
                edges.push(vec![(dx, mid), (dx, y1)]);
                heads_at.push((false, he));
                consider(dx, mid, y1);
            }
            _ => {
                // Tangled group: straight lines, endpoints spread along each edge.
                let pairs: Vec<(usize, usize)> = all_pairs
                    .iter()
                    .copied()
                    .filter(|(i, _)| us.contains(i))
                    .collect();
                for &(i, j) in &pairs {
                    let (Some(u), Some(d)) = (up.get(i), down.get(j)) else {
                        continue;
                    };
                    let x0 = spread(u, &pairs, (i, j), true, down);
                    let x1 = spread(d, &pairs, (i, j), false, up);
                    let (y0, y1) = (
                        attach_bottom(u.shape, u.rect, x0),
                        attach_top(d.shape, d.rect, x1),
                    );
                    edges.push(vec![(x0, y0), (x1, y1)]);
                    heads_at.push((hs, he));
                    consider(x0.max(x1), y0, y1);
                }
            }
        }
    }
    for (points, (h0, h1)) in edges.into_iter().zip(heads_at) {
        items.push(Item::Edge {
            points,
            dashed: link.dashed,
            head_start: h0,
            head_end: h1,
        });
    }
    if let (Some(s), Some((x, y1, y2))) = (&link.label, beside) {
        items.push(label_item(s, x + 8.0, (y1 + y2) / 2.0, Anchor::Start));
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

// ---------------------------------------------------------------- compare

const CARD_PAD: f64 = 16.0;
const CARD_GAP: f64 = 20.0;
const ITEM_CHARS: usize = 34;
const ITEM_GAP: f64 = 7.0;

fn compare(cols: &[Column]) -> Vec<Item> {
    struct M {
        head: Vec<String>,
        sub: Vec<String>,
        items: Vec<Vec<String>>,
    }
    let ms: Vec<M> = cols
        .iter()
        .map(|c| M {
            head: text::wrap_greedy(&c.heading, 28),
            sub: c
                .sub
                .as_deref()
                .map(|s| text::wrap_greedy(s, 36))
                .unwrap_or_default(),
            items: c
                .items
                .iter()
                .map(|s| text::wrap_greedy(s, ITEM_CHARS))
                .collect(),
        })
        .collect();
    let content_w = ms
        .iter()
        .flat_map(|m| {
            m.head
                .iter()
                .map(|s| text::width(s, MAIN_SIZE, true))
                .chain(m.sub.iter().map(|s| text::width(s, SUB_SIZE, false)))
                .chain(
                    m.items
                        .iter()
                        .flatten()
                        .map(|s| text::width(s, MAIN_SIZE, false) + 14.0),
                )
        })
        .fold(150.0, f64::max);
    let card_w = (content_w + 2.0 * CARD_PAD + 8.0).ceil();
    let head_h = ms
        .iter()
        .map(|m| {
            m.head.len() as f64 * MAIN_LINE
                + if m.sub.is_empty() {
                    0.0
                } else {
                    2.0 + m.sub.len() as f64 * SUB_LINE
                }
                + 22.0
        })
        .fold(0.0, f64::max);
    let body_h = ms
        .iter()
        .map(|m| {
            m.items
                .iter()
                .map(|it| it.len() as f64 * MAIN_LINE + ITEM_GAP)
                .sum::<f64>()
        })
        .fold(0.0, f64::max);
    let card_h = (head_h + body_h + 2.0 * 12.0 - ITEM_GAP).max(head_h + 16.0);
    let n = ms.len() as f64;
    let mut x = -(n * card_w + (n - 1.0) * CARD_GAP) / 2.0;
    let mut items = Vec::new();
    for m in &ms {
        let rect = Rect {
            x,
            y: 0.0,
            w: card_w,
            h: card_h,
        };
        let mut texts = Vec::new();
        let head_content = m.head.len() as f64 * MAIN_LINE
            + if m.sub.is_empty() {
                0.0
            } else {
                2.0 + m.sub.len() as f64 * SUB_LINE
            };
        let mut y = (head_h - head_content) / 2.0;
        for s in &m.head {
            texts.push(Text {
                x: rect.cx(),
                y: y + MAIN_LINE / 2.0 + MAIN_SIZE * 0.35,
                s: s.clone(),
                class: "dg-col-head",
                anchor: Anchor::Middle,
            });
            y += MAIN_LINE;
        }
        y += 2.0;
        for s in &m.sub {
            texts.push(Text {
                x: rect.cx(),
                y: y + SUB_LINE / 2.0 + SUB_SIZE * 0.35,
                s: s.clone(),
                class: "dg-sub",
                anchor: Anchor::Middle,
            });
            y += SUB_LINE;
        }
        let mut y = head_h + 12.0;
        let mut bullets = Vec::new();
        for item in &m.items {
            bullets.push((x + CARD_PAD + 3.0, y + MAIN_LINE / 2.0));
            for s in item {
                texts.push(Text {
                    x: x + CARD_PAD + 14.0,
                    y: y + MAIN_LINE / 2.0 + MAIN_SIZE * 0.35,
                    s: s.clone(),
                    class: "dg-item",
                    anchor: Anchor::Start,
                });
                y += MAIN_LINE;
            }
            y += ITEM_GAP;
        }
        items.push(Item::Card {
            rect,
            head_h,
            texts,
            bullets,
        });
        x += card_w + CARD_GAP;
    }
    items
}

// ---------------------------------------------------------------- spectrum

const EXAMPLE_CHARS: usize = 40;
const BAND_GAP: f64 = 22.0;

fn spectrum(bands: &[Band]) -> Vec<Item> {
    let wrap = |s: &Option<String>| {
        s.as_deref()
            .map(|s| text::wrap_greedy(s, EXAMPLE_CHARS))
            .unwrap_or_default()
    };
    let side_w = |label: &str, ex: &[String]| {
        ex.iter()
            .map(|s| text::width(s, SUB_SIZE, false))
            .fold(text::width(label, MAIN_SIZE, true), f64::max)
    };
    let prepared: Vec<_> = bands
        .iter()
        .map(|b| (b, wrap(&b.left_examples), wrap(&b.right_examples)))
        .collect();
    let width = prepared
        .iter()
        .map(|(b, le, re)| side_w(&b.left, le) + side_w(&b.right, re) + 64.0)
        .fold(460.0, f64::max)
        .ceil();
    let (x1, x2) = (-width / 2.0, width / 2.0);
    let mut items = Vec::new();
    let mut y = 0.0;
    for (b, le, re) in &prepared {
        let end = |x: f64, s: &str, anchor: Anchor| {
            Item::Free(Text {
                x,
                y: y + MAIN_SIZE,
                s: s.to_string(),
                class: "dg-end",
                anchor,
            })
        };
        items.push(end(x1, &b.left, Anchor::Start));
        items.push(end(x2, &b.right, Anchor::End));
        let bar_y = y + MAIN_LINE + 16.0;
        items.push(Item::Bar { x1, x2, y: bar_y });
        let ex_top = bar_y + 14.0;
        for (lines, x, anchor) in [(le, x1, Anchor::Start), (re, x2, Anchor::End)] {
            for (i, s) in lines.iter().enumerate() {
                items.push(Item::Free(Text {
                    x,
                    y: ex_top + i as f64 * SUB_LINE + SUB_SIZE,
                    s: s.clone(),
                    class: "dg-example",
                    anchor,
                }));
            }
        }
        let ex_lines = le.len().max(re.len()) as f64;
        y = ex_top + ex_lines * SUB_LINE + BAND_GAP;
    }
    items
}

// ---------------------------------------------------------------- sequence

const MSG_ROW: f64 = 38.0;
const SELF_W: f64 = 28.0;
const NOTE_CHARS: usize = 30;

fn sequence(seq: &Sequence) -> Vec<Item> {
    let ms: Vec<Measured> = seq.participants.iter().map(measure).collect();
    let box_h = ms.iter().map(|m| m.h).fold(0.0, f64::max);
    let notes: Vec<Vec<String>> = seq
        .events
        .iter()
        .map(|e| match e {
            Event::Note { text: t, .. } => text::wrap_greedy(t, NOTE_CHARS),
            Event::Message { .. } => Vec::new(),
        })
        .collect();
    let lanes = lanes(seq, &ms, &notes);
    let mut y = box_h + 22.0;
    let mut body = Vec::new();
    for (e, lines) in seq.events.iter().zip(&notes) {
        y = match e {
            Event::Message {
                from,
                to,
                both,
                dashed,
                text,
            } => {
                let ends = (lanes.xs[*from], lanes.xs[*to]);
                message(&mut body, ends, from == to, (*dashed, *both), text, y)
            }
            Event::Note { first, last, .. } => {
                let over = (lanes.xs[*first], lanes.xs[*last]);
                let (item, bottom) = note(lines, over, first == last, y);
                body.push(item);
                bottom
            }
        };
    }
    let mut items = participants(&ms, &lanes.xs, box_h, y + 18.0);
    items.extend(body);
    // Keep room for self-messages and notes beyond the outer lifelines.
    let last_x = lanes.xs.last().copied().unwrap_or(0.0);
    items.push(Item::Spacer(Rect {
        x: -lanes.left_extra,
        y: box_h,
        w: last_x + lanes.right_extra + lanes.left_extra,
        h: 0.0,
    }));
    items
}

/// Where the participants' lifelines are, and the room needed beyond the outer two.
struct Lanes {
    xs: Vec<f64>,
    left_extra: f64,
    right_extra: f64,
}

/// Space the lifelines so that every message label and note fits between them.
fn lanes(seq: &Sequence, ms: &[Measured], notes: &[Vec<String>]) -> Lanes {
    let n = ms.len();
    // spans[k]: distance between the lifelines of participants k and k + 1.
    let mut spans: Vec<f64> = (0..n.saturating_sub(1))
        .map(|k| ((ms[k].w + ms[k + 1].w) / 2.0 + 28.0).max(120.0))
        .collect();
    let mut right_extra: f64 = 0.0;
    let mut left_extra: f64 = 0.0;
    for (e, lines) in seq.events.iter().zip(notes) {
        match e {
            Event::Message { from, to, text, .. } => {
                let lw = label_width(text);
                if from == to {
                    let w = SELF_W + 10.0 + lw + 16.0;
                    if *from + 1 < n {
                        need(&mut spans, *from, from + 1, w);
                    } else {
                        right_extra = right_extra.max(w);
                    }
                } else {
                    need(&mut spans, *from.min(to), *from.max(to), lw + 40.0);
                }
            }
            Event::Note { first, last, .. } => {
                let tw = note_width(lines);
                if first == last {
                    let half = tw / 2.0 + 14.0;
                    if *first > 0 {
                        need(&mut spans, first - 1, *first, half + 14.0);
                    } else {
                        left_extra = left_extra.max(half);
                    }
                    if first + 1 < n {
                        need(&mut spans, *first, first + 1, half + 14.0);
                    } else {
                        right_extra = right_extra.max(half);
                    }
                } else {
                    need(&mut spans, *first, *last, tw - 40.0);
                }
            }
        }
    }
    let mut xs = vec![0.0];
    for s in &spans {
        let last = xs.last().copied().unwrap_or(0.0);
        xs.push(last + s);
    }
    Lanes {
        xs,
        left_extra,
        right_extra,
    }
}

/// Widen `spans[a..b]` evenly so that together they are at least `width`.
fn need(spans: &mut [f64], a: usize, b: usize, width: f64) {
    if a >= b || b > spans.len() {
        return;
    }
    let have: f64 = spans[a..b].iter().sum();
    if have < width {
        let add = (width - have) / (b - a) as f64;
        spans[a..b].iter_mut().for_each(|s| *s += add);
    }
}

/// Width of a note's box holding `lines`.
fn note_width(lines: &[String]) -> f64 {
    lines
        .iter()
        .map(|s| text::width(s, SUB_SIZE, false))
        .fold(0.0, f64::max)
        + 24.0
}

/// Draw a message between the lifelines at `x1` and `x2` (a self-message when `to_self`)
/// below `y`; returns the y where the next event starts. Arrows go first, under every label.
fn message(
    body: &mut Vec<Item>,
    (x1, x2): (f64, f64),
    to_self: bool,
    (dashed, both): (bool, bool),
    text: &str,
    y: f64,
) -> f64 {
    if to_self {
        let top = y + 6.0;
        let bot = top + 22.0;
        body.push(Item::Edge {
            points: vec![(x1, top), (x1 + SELF_W, top), (x1 + SELF_W, bot), (x1, bot)],
            dashed,
            head_start: both,
            head_end: true,
        });
        if !text.is_empty() {
            body.push(label_item(
                text,
                x1 + SELF_W + 8.0,
                (top + bot) / 2.0,
                Anchor::Start,
            ));
        }
        return bot + 16.0;
    }
    let line_y = y + MSG_ROW - 12.0;
    if !text.is_empty() {
        body.push(label_item(
            text,
            (x1 + x2) / 2.0,
            line_y - 13.0,
            Anchor::Middle,
        ));
    }
    body.insert(
        0,
        Item::Edge {
            points: vec![(x1, line_y), (x2, line_y)],
            dashed,
            head_start: both,
            head_end: true,
        },
    );
    line_y + 12.0
}

/// A note over the lifelines at `a` to `b` (one lifeline when `single`) below `y`, and the y
/// where the next event starts.
fn note(lines: &[String], (a, b): (f64, f64), single: bool, y: f64) -> (Item, f64) {
    let tw = note_width(lines);
    let (nx, nw) = if single {
        (a - tw / 2.0, tw)
    } else {
        let w = (b - a + 40.0).max(tw);
        ((a + b) / 2.0 - w / 2.0, w)
    };
    let nh = (lines.len() as f64 * SUB_LINE + 14.0).max(30.0);
    let rect = Rect {
        x: nx,
        y: y + 8.0,
        w: nw.ceil(),
        h: nh,
    };
    let mut texts = Vec::new();
    let mut ty = rect.y + (nh - lines.len() as f64 * SUB_LINE) / 2.0;
    for s in lines {
        texts.push(Text {
            x: rect.cx() - 3.0,
            y: ty + SUB_LINE / 2.0 + SUB_SIZE * 0.35,
            s: s.clone(),
            class: "dg-note-text",
            anchor: Anchor::Middle,
        });
        ty += SUB_LINE;
    }
    let next = rect.bottom() + 8.0;
    let item = Item::Node {
        rect,
        shape: Shape::Note,
        texts,
    };
    (item, next)
}

/// Each participant's lifeline and its box at the top and at `bottom_y`.
fn participants(ms: &[Measured], xs: &[f64], box_h: f64, bottom_y: f64) -> Vec<Item> {
    let plain_h = ms
        .iter()
        .filter(|m| m.shape != Shape::Cloud)
        .map(|m| m.h)
        .fold(0.0, f64::max);
    let mut items = Vec::new();
    for (m, &x) in ms.iter().zip(xs) {
        // From box centre to box centre: the (filled) boxes hide the ends.
        items.push(Item::Lifeline {
            x,
            y1: box_h / 2.0,
            y2: bottom_y + box_h / 2.0,
        });
        let h = if m.shape == Shape::Cloud {
            m.h
        } else {
            plain_h
        };
        for top in [0.0, bottom_y] {
            let rect = Rect {
                x: x - m.w / 2.0,
                y: top + (box_h - h) / 2.0,
                w: m.w,
                h,
            };
            items.push(place(m, rect));
        }
    }
    items
}
