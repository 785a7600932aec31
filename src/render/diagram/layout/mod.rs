//! Places the model's boxes, arrows and text on a canvas, so drawing needs no decisions.

mod cards;
mod sequence;
mod stack;

use super::parse::{Band, Body, Column, Diagram, Event, Flow, Label, Link, Row, Sequence, Shape};
use super::text::{self, MAIN_LINE, MAIN_SIZE, SUB_LINE, SUB_SIZE};
use cards::{compare, spectrum};
use sequence::sequence;
use stack::stack;

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
pub(crate) struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub(crate) fn right(&self) -> f64 {
        self.x + self.w
    }
    pub(crate) fn bottom(&self) -> f64 {
        self.y + self.h
    }
    pub(crate) fn cx(&self) -> f64 {
        self.x + self.w / 2.0
    }
    pub(crate) fn cy(&self) -> f64 {
        self.y + self.h / 2.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

/// One line of text; `y` is the baseline.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Text {
    pub x: f64,
    pub y: f64,
    pub s: String,
    pub class: &'static str,
    pub anchor: Anchor,
}

/// Something to draw.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
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
pub(crate) struct Scene {
    pub width: f64,
    pub height: f64,
    pub items: Vec<Item>,
}

/// Lays out any diagram.
pub(crate) fn layout(d: &Diagram) -> Scene {
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

/// Lines centred on x, one under another from y, at the main or the subtitle size; the y below them.
fn centred_lines(
    texts: &mut Vec<Text>,
    lines: &[String],
    (x, mut y): (f64, f64),
    class: &'static str,
    sub: bool,
) -> f64 {
    let (line, size) = if sub {
        (SUB_LINE, SUB_SIZE)
    } else {
        (MAIN_LINE, MAIN_SIZE)
    };
    for s in lines {
        texts.push(Text {
            x,
            y: y + line / 2.0 + size * 0.35,
            s: s.clone(),
            class,
            anchor: Anchor::Middle,
        });
        y += line;
    }
    y
}

fn place(m: &Measured, rect: Rect) -> Item {
    let (cx, cy) = text_centre(m.shape, rect);
    let total = content_height(m.main.len(), m.sub.len());
    let mut y = cy - total / 2.0;
    let mut texts = Vec::new();
    y = centred_lines(&mut texts, &m.main, (cx, y), "dg-text", false);
    centred_lines(&mut texts, &m.sub, (cx, y + 2.0), "dg-sub", true);
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
