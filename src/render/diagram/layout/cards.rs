//! Side-by-side comparison cards and spectrum bands.

use super::*;

const CARD_PAD: f64 = 16.0;
const CARD_GAP: f64 = 20.0;
const ITEM_CHARS: usize = 34;
const ITEM_GAP: f64 = 7.0;

/// One comparison column's text, wrapped.
struct ColumnText {
    head: Vec<String>,
    sub: Vec<String>,
    items: Vec<Vec<String>>,
}

impl ColumnText {
    fn new(c: &Column) -> ColumnText {
        ColumnText {
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
        }
    }

    /// The widest line the card must hold.
    fn widest(&self) -> f64 {
        self.head
            .iter()
            .map(|s| text::width(s, MAIN_SIZE, true))
            .chain(self.sub.iter().map(|s| text::width(s, SUB_SIZE, false)))
            .chain(
                self.items
                    .iter()
                    .flatten()
                    .map(|s| text::width(s, MAIN_SIZE, false) + 14.0),
            )
            .fold(0.0, f64::max)
    }

    /// Height of the heading and its subtitle.
    fn head_content(&self) -> f64 {
        self.head.len() as f64 * MAIN_LINE
            + if self.sub.is_empty() {
                0.0
            } else {
                2.0 + self.sub.len() as f64 * SUB_LINE
            }
    }

    fn body_h(&self) -> f64 {
        self.items
            .iter()
            .map(|it| it.len() as f64 * MAIN_LINE + ITEM_GAP)
            .sum::<f64>()
    }
}

pub(super) fn compare(cols: &[Column]) -> Vec<Item> {
    let ms: Vec<ColumnText> = cols.iter().map(ColumnText::new).collect();
    let content_w = ms.iter().map(ColumnText::widest).fold(150.0, f64::max);
    let card_w = (content_w + 2.0 * CARD_PAD + 8.0).ceil();
    let head_h = ms
        .iter()
        .map(|m| m.head_content() + 22.0)
        .fold(0.0, f64::max);
    let body_h = ms.iter().map(ColumnText::body_h).fold(0.0, f64::max);
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
        items.push(card(m, rect, head_h));
        x += card_w + CARD_GAP;
    }
    items
}

/// One column's card: heading and subtitle centred in the head band, then the bulleted items.
fn card(m: &ColumnText, rect: Rect, head_h: f64) -> Item {
    let mut texts = Vec::new();
    let top = (head_h - m.head_content()) / 2.0;
    let y = centred_lines(&mut texts, &m.head, (rect.cx(), top), "dg-col-head", false);
    centred_lines(&mut texts, &m.sub, (rect.cx(), y + 2.0), "dg-sub", true);
    let mut y = head_h + 12.0;
    let mut bullets = Vec::new();
    for item in &m.items {
        bullets.push((rect.x + CARD_PAD + 3.0, y + MAIN_LINE / 2.0));
        for s in item {
            texts.push(Text {
                x: rect.x + CARD_PAD + 14.0,
                y: y + MAIN_LINE / 2.0 + MAIN_SIZE * 0.35,
                s: s.clone(),
                class: "dg-item",
                anchor: Anchor::Start,
            });
            y += MAIN_LINE;
        }
        y += ITEM_GAP;
    }
    Item::Card {
        rect,
        head_h,
        texts,
        bullets,
    }
}

// ---------------------------------------------------------------- spectrum

const EXAMPLE_CHARS: usize = 40;
const BAND_GAP: f64 = 22.0;

pub(super) fn spectrum(bands: &[Band]) -> Vec<Item> {
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
