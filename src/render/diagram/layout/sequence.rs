//! Sequence diagrams: lanes, messages, notes.

use super::*;

const MSG_ROW: f64 = 38.0;
const SELF_W: f64 = 28.0;
const NOTE_CHARS: usize = 30;

pub(super) fn sequence(seq: &Sequence) -> Vec<Item> {
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
