//! Robustness: random input never panics, big inputs stay reasonable, generated layouts never overlap.

use super::*;

/// A tiny deterministic generator (xorshift), so the test needs no dependencies.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// The pieces random diagram sources are made of: every construct's spelling, broken ones,
/// and text that is hard to measure or escape.
const GARBAGE: &[&str] = &[
    "A",
    "Server",
    " ",
    " | ",
    "|",
    "↓",
    "↑",
    "↕",
    "→",
    "←",
    "↔",
    "->",
    "<-",
    "<->",
    "-->",
    "->>",
    "v",
    "^",
    " ~ ",
    "~",
    "{",
    "}",
    "{db}",
    "{queue}",
    "{cache}",
    "{user}",
    "{cloud}",
    "{note}",
    "{x}",
    "\n",
    "\n",
    "\n",
    "title:",
    "kind:",
    "kind: sequence\n",
    "kind: compare\n",
    "kind: spectrum\n",
    "kind: stack\n",
    "# ",
    "- ",
    "note ",
    ":",
    ",",
    "participants:",
    "é",
    "日本",
    "🙂",
    "\u{301}",
    "\t",
    "&",
    "<",
    "\"",
    "\r\n",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
];

#[test]
fn never_panics_on_garbage() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut ok = 0;
    for _ in 0..3000 {
        let len = (rng.next() % 40) as usize;
        let src: String = (0..len).map(|_| rng.pick(GARBAGE)).collect();
        if renders_or_reports(&src) {
            ok += 1;
        }
    }
    assert!(ok > 100, "too few valid inputs: {ok}");
    // Raw random bytes (as lossy UTF-8).
    for _ in 0..500 {
        let bytes: Vec<u8> = (0..(rng.next() % 80))
            .map(|_| (rng.next() % 256) as u8)
            .collect();
        let src = String::from_utf8_lossy(&bytes);
        let _ = render(&src);
    }
}

/// Render `src` without panicking: true for an SVG with no ids and no non-finite numbers,
/// false for an error, which must name a line.
fn renders_or_reports(src: &str) -> bool {
    let result = std::panic::catch_unwind(|| render(src));
    match result {
        Ok(Ok(html)) => {
            assert!(!html.contains(" id="));
            assert!(!html.contains("NaN") && !html.contains("inf"), "{src:?}");
            true
        }
        Ok(Err(e)) => {
            assert!(e.line >= 1, "{src:?}");
            false
        }
        Err(_) => panic!("panicked on {src:?}"),
    }
}

#[test]
fn big_inputs_stay_reasonable() {
    let row: Vec<String> = (0..12).map(|i| format!("Service {i}")).collect();
    let src = format!("Gateway\n↓\n{}\n↓\nStore {{db}}", row.join(" | "));
    let html = render(&src).expect("renders");
    assert_eq!(html.matches("<g class=\"dg-node").count(), 14);
    let uneven = render("A | B\n↓\nC | D | E | F | G\n↓\nH | I").expect("renders");
    assert!(uneven.matches("class=\"dg-edge\"").count() >= 7);
}

#[test]
fn generated_layouts_never_overlap() {
    use crate::render::diagram::layout::{Item, Rect, layout};
    fn hit(a: &Rect, b: &Rect) -> bool {
        a.x < b.x + b.w - 0.5
            && b.x < a.x + a.w - 0.5
            && a.y < b.y + b.h - 0.5
            && b.y < a.y + a.h - 0.5
    }
    let names = [
        "API",
        "Load Balancer",
        "Postgres {db}",
        "Kafka ~ events {queue}",
        "Redis {cache}",
        "Users {user}",
        "CDN {cloud}",
        "Authentication and authorization service ~ tokens",
        "W",
    ];
    let arrows = ["↓", "↑ reads", "↕", "--> replicate", "v cache miss", ""];
    let mut rng = Rng(42);
    for _ in 0..300 {
        let mut src = String::new();
        let rows = 1 + rng.next() % 5;
        for r in 0..rows {
            if r > 0 {
                src.push_str(rng.pick(&arrows));
                src.push('\n');
            }
            let n = 1 + rng.next() % 6;
            let row: Vec<&str> = (0..n).map(|_| rng.pick(&names)).collect();
            let sep = if rng.next().is_multiple_of(4) {
                " →|calls| "
            } else {
                " | "
            };
            src.push_str(&row.join(sep));
            src.push('\n');
        }
        let d = parse(&src).expect("generated source is valid");
        let scene = layout(&d);
        let boxes: Vec<Rect> = scene
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Node { rect, .. } => Some(*rect),
                _ => None,
            })
            .collect();
        let labels: Vec<Rect> = scene
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Label { rect, .. } => Some(*rect),
                _ => None,
            })
            .collect();
        for (i, a) in boxes.iter().enumerate() {
            assert!(
                a.x >= 0.0 && a.y >= 0.0 && a.x + a.w <= scene.width && a.y + a.h <= scene.height,
                "{src}"
            );
            for b in &boxes[i + 1..] {
                assert!(!hit(a, b), "boxes overlap in\n{src}");
            }
            for l in &labels {
                assert!(!hit(a, l), "label over a box in\n{src}");
            }
        }
    }
}
