//! Writes a laid-out scene as SVG markup: classes only, no ids, no colours, no scripts.

use super::layout::{Anchor, Item, Rect, Scene, Text};
use super::parse::Shape;
use std::fmt::Write;

/// Arrowhead length and half width.
const HEAD_LEN: f64 = 9.0;
const HEAD_HALF: f64 = 4.5;

/// Formats a coordinate with at most one decimal, so output is stable and compact.
pub(crate) fn num(v: f64) -> String {
    if !v.is_finite() {
        return "0".to_string();
    }
    // In whole tenths, formatted as integers: float formatting with a precision is slow, and
    // a diagram writes thousands of coordinates.
    let tenths = (v * 10.0).round();
    if tenths == 0.0 {
        return "0".to_string();
    }
    if tenths.abs() >= 1e15 {
        return format!("{:.1}", tenths / 10.0);
    }
    let t = tenths as i64;
    let (sign, abs) = if t < 0 { ("-", -t) } else { ("", t) };
    if abs % 10 == 0 {
        format!("{sign}{}", abs / 10)
    } else {
        format!("{sign}{}.{}", abs / 10, abs % 10)
    }
}

/// Escapes text for element content and attribute values.
pub(crate) fn escape(s: &str) -> String {
    crate::util::text::escape(s)
}

/// Writes the `<svg>` element for a scene.
pub(crate) fn svg(scene: &Scene, title: Option<&str>, desc: &str) -> String {
    let mut o = String::new();
    let aria = title.unwrap_or(desc);
    let _ = writeln!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" role="img" aria-label="{a}" class="diagram-svg" style="max-width:100%;height:auto">"#,
        w = num(scene.width),
        h = num(scene.height),
        a = escape(aria),
    );
    if let Some(t) = title {
        let _ = writeln!(o, "<title>{}</title>", escape(t));
    }
    let _ = writeln!(o, "<desc>{}</desc>", escape(desc));
    // Paint order: guides, cards, arrows, boxes, labels, free text.
    for it in &scene.items {
        if let Item::Lifeline { x, y1, y2 } = it {
            let _ = writeln!(
                o,
                r#"<line class="dg-lifeline" x1="{x}" y1="{}" x2="{x}" y2="{}"/>"#,
                num(*y1),
                num(*y2),
                x = num(*x)
            );
        }
    }
    for it in &scene.items {
        if let Item::Card {
            rect,
            head_h,
            texts,
            bullets,
        } = it
        {
            card(&mut o, *rect, *head_h, texts, bullets);
        }
    }
    for it in &scene.items {
        match it {
            Item::Edge {
                points,
                dashed,
                head_start,
                head_end,
            } => edge(&mut o, points, *dashed, *head_start, *head_end),
            Item::Bar { x1, x2, y } => bar(&mut o, *x1, *x2, *y),
            _ => {}
        }
    }
    for it in &scene.items {
        if let Item::Node { rect, shape, texts } = it {
            node(&mut o, *rect, *shape, texts);
        }
    }
    for it in &scene.items {
        match it {
            Item::Label { rect, text } => {
                let _ = writeln!(
                    o,
                    r#"<g class="dg-edge-label"><rect class="dg-label-bg" x="{}" y="{}" width="{}" height="{}" rx="4"/>{}</g>"#,
                    num(rect.x),
                    num(rect.y),
                    num(rect.w),
                    num(rect.h),
                    text_el(text)
                );
            }
            Item::Free(t) => {
                let _ = writeln!(o, "{}", text_el(t));
            }
            _ => {}
        }
    }
    o.push_str("</svg>");
    o
}

fn text_el(t: &Text) -> String {
    let anchor = match t.anchor {
        Anchor::Start => "",
        Anchor::Middle => r#" text-anchor="middle""#,
        Anchor::End => r#" text-anchor="end""#,
    };
    format!(
        r#"<text class="{}" x="{}" y="{}"{anchor}>{}</text>"#,
        t.class,
        num(t.x),
        num(t.y),
        escape(&t.s)
    )
}

/// A path `d` from points given as fractions of a rect.
fn rel(r: Rect, u: f64, v: f64) -> String {
    format!("{},{}", num(r.x + u * r.w), num(r.y + v * r.h))
}

/// A node's class, outline and detail drawing.
type NodeParts = (&'static str, String, String);

fn node(o: &mut String, r: Rect, shape: Shape, texts: &[Text]) {
    let (class, body, detail) = match shape {
        Shape::Plain => ("dg-plain", rect_el(r, 8.0), String::new()),
        Shape::Db => db_shape(r),
        Shape::Queue => queue_shape(r),
        Shape::Cache => cache_shape(r),
        Shape::User => user_shape(r),
        Shape::Cloud => cloud_shape(r),
        Shape::Note => note_shape(r),
    };
    let _ = write!(o, r#"<g class="dg-node {class}">{body}{detail}"#);
    for t in texts {
        o.push_str(&text_el(t));
    }
    o.push_str("</g>\n");
}

/// A cylinder: a database.
fn db_shape(r: Rect) -> NodeParts {
    let ry = 7.0;
    let rx = r.w / 2.0;
    let (x, y, w, h) = (
        num(r.x),
        num(r.y + ry),
        num(r.right()),
        num(r.bottom() - ry),
    );
    (
        "dg-db",
        format!(
            r#"<path class="dg-box" d="M{x},{y}A{rx},{ry} 0 0 1 {w},{y}V{h}A{rx},{ry} 0 0 1 {x},{h}Z"/>"#,
            rx = num(rx),
            ry = num(ry)
        ),
        format!(
            r#"<path class="dg-detail" d="M{x},{y}A{rx},{ry} 0 0 0 {w},{y}"/>"#,
            rx = num(rx),
            ry = num(ry)
        ),
    )
}

/// A box with bars at its end: a queue.
fn queue_shape(r: Rect) -> NodeParts {
    let mut d = String::new();
    for k in [10.0, 18.0, 26.0] {
        let _ = write!(
            d,
            "M{},{}V{}",
            num(r.right() - k),
            num(r.y),
            num(r.bottom())
        );
    }
    (
        "dg-queue",
        rect_el(r, 6.0),
        format!(r#"<path class="dg-detail" d="{d}"/>"#),
    )
}

/// A box with an inner outline and a lightning bolt: a cache.
fn cache_shape(r: Rect) -> NodeParts {
    let (bx, cy) = (r.x + 17.0, r.cy());
    let pts = [
        (bx + 3.0, cy - 10.0),
        (bx - 5.0, cy + 1.5),
        (bx, cy + 1.5),
        (bx - 3.0, cy + 10.0),
        (bx + 5.0, cy - 1.5),
        (bx, cy - 1.5),
    ];
    let p: Vec<String> = pts
        .iter()
        .map(|(x, y)| format!("{},{}", num(*x), num(*y)))
        .collect();
    let inner = Rect {
        x: r.x + 3.0,
        y: r.y + 3.0,
        w: r.w - 6.0,
        h: r.h - 6.0,
    };
    (
        "dg-cache",
        rect_el(r, 8.0),
        format!(
            r#"<rect class="dg-detail" x="{}" y="{}" width="{}" height="{}" rx="5"/><polygon class="dg-icon" points="{}"/>"#,
            num(inner.x),
            num(inner.y),
            num(inner.w),
            num(inner.h),
            p.join(" ")
        ),
    )
}

/// A pill with a person icon: a user.
fn user_shape(r: Rect) -> NodeParts {
    let (ix, cy) = (r.x + r.h / 2.0 + 2.0, r.cy());
    (
        "dg-user",
        rect_el(r, r.h / 2.0),
        format!(
            r#"<circle class="dg-icon" cx="{}" cy="{}" r="4.5"/><path class="dg-icon" d="M{},{}a8,8 0 0 1 16,0Z"/>"#,
            num(ix),
            num(cy - 5.0),
            num(ix - 8.0),
            num(cy + 10.0)
        ),
    )
}

/// The cloud outline as fractions of its box: a start point, then five cubic curves of three
/// points each (two control points and the end).
const CLOUD: [(f64, f64); 16] = [
    (0.2, 1.0),
    (0.03, 1.0),
    (0.0, 0.6),
    (0.14, 0.5),
    (0.1, 0.22),
    (0.32, 0.12),
    (0.42, 0.22),
    (0.48, 0.0),
    (0.74, -0.02),
    (0.76, 0.26),
    (0.92, 0.22),
    (1.02, 0.44),
    (0.9, 0.58),
    (1.02, 0.72),
    (0.98, 1.0),
    (0.8, 1.0),
];

/// A cloud outline: an outside network.
fn cloud_shape(r: Rect) -> NodeParts {
    let mut d = String::from("M");
    for (i, &(u, v)) in CLOUD.iter().enumerate() {
        match i % 3 {
            _ if i == 0 => {}
            1 => d.push('C'),
            _ => d.push(' '),
        }
        d.push_str(&rel(r, u, v));
    }
    d.push('Z');
    (
        "dg-cloud",
        format!(r#"<path class="dg-box" d="{d}"/>"#),
        String::new(),
    )
}

/// A sheet with a folded corner: a note.
fn note_shape(r: Rect) -> NodeParts {
    let f = 10.0_f64.min(r.h / 3.0);
    let (x, y, xr, yb) = (num(r.x), num(r.y), num(r.right()), num(r.bottom()));
    let (xf, yf) = (num(r.right() - f), num(r.y + f));
    (
        "dg-note",
        format!(r#"<path class="dg-box" d="M{x},{y}H{xf}L{xr},{yf}V{yb}H{x}Z"/>"#),
        format!(r#"<path class="dg-detail" d="M{xf},{y}V{yf}H{xr}"/>"#),
    )
}

fn rect_el(r: Rect, rx: f64) -> String {
    format!(
        r#"<rect class="dg-box" x="{}" y="{}" width="{}" height="{}" rx="{}"/>"#,
        num(r.x),
        num(r.y),
        num(r.w),
        num(r.h),
        num(rx)
    )
}

fn card(o: &mut String, r: Rect, head_h: f64, texts: &[Text], bullets: &[(f64, f64)]) {
    let rad = 10.0;
    let _ = write!(
        o,
        r#"<g class="dg-node dg-column"><rect class="dg-card" x="{}" y="{}" width="{}" height="{}" rx="{}"/>"#,
        num(r.x),
        num(r.y),
        num(r.w),
        num(r.h),
        num(rad)
    );
    let (x, y, xr, yh) = (r.x, r.y, r.right(), r.y + head_h);
    let _ = write!(
        o,
        r#"<path class="dg-col-head-bg" d="M{},{}V{}A{rad},{rad} 0 0 1 {},{}H{}A{rad},{rad} 0 0 1 {},{}V{}Z"/>"#,
        num(x + 0.5),
        num(yh),
        num(y + rad),
        num(x + rad),
        num(y + 0.5),
        num(xr - rad),
        num(xr - 0.5),
        num(y + rad),
        num(yh),
    );
    let _ = write!(
        o,
        r#"<path class="dg-col-rule" d="M{},{}H{}"/>"#,
        num(x),
        num(yh),
        num(xr)
    );
    for (bx, by) in bullets {
        let _ = write!(
            o,
            r#"<circle class="dg-bullet" cx="{}" cy="{}" r="2.5"/>"#,
            num(*bx),
            num(*by)
        );
    }
    for t in texts {
        o.push_str(&text_el(t));
    }
    o.push_str("</g>\n");
}

/// An arrowhead whose tip is at `tip`, pointing away from `from`.
fn head(o: &mut String, from: (f64, f64), tip: (f64, f64), class: &str) {
    let (dx, dy) = (tip.0 - from.0, tip.1 - from.1);
    let len = (dx * dx + dy * dy).sqrt();
    if len < 0.01 {
        return;
    }
    let (ux, uy) = (dx / len, dy / len);
    let bx = tip.0 - ux * HEAD_LEN;
    let by = tip.1 - uy * HEAD_LEN;
    let _ = writeln!(
        o,
        r#"<path class="{class}" d="M{},{}L{},{}L{},{}Z"/>"#,
        num(tip.0),
        num(tip.1),
        num(bx - uy * HEAD_HALF),
        num(by + ux * HEAD_HALF),
        num(bx + uy * HEAD_HALF),
        num(by - ux * HEAD_HALF),
    );
}

/// Moves `p` towards `toward` by `by` px (to stop a line under its arrowhead).
fn pull(p: (f64, f64), toward: (f64, f64), by: f64) -> (f64, f64) {
    let (dx, dy) = (toward.0 - p.0, toward.1 - p.1);
    let len = (dx * dx + dy * dy).sqrt();
    if len <= by {
        return p;
    }
    (p.0 + dx / len * by, p.1 + dy / len * by)
}

fn edge(o: &mut String, points: &[(f64, f64)], dashed: bool, hs: bool, he: bool) {
    let n = points.len();
    if n < 2 {
        return;
    }
    let mut pts = points.to_vec();
    if hs {
        pts[0] = pull(points[0], points[1], HEAD_LEN - 1.0);
    }
    if he {
        pts[n - 1] = pull(points[n - 1], points[n - 2], HEAD_LEN - 1.0);
    }
    let d: Vec<String> = pts
        .iter()
        .enumerate()
        .map(|(i, (x, y))| format!("{}{},{}", if i == 0 { "M" } else { "L" }, num(*x), num(*y)))
        .collect();
    let class = if dashed {
        "dg-edge dg-edge-dashed"
    } else {
        "dg-edge"
    };
    let _ = writeln!(o, r#"<path class="{class}" d="{}"/>"#, d.concat());
    if hs {
        head(o, points[1], points[0], "dg-head");
    }
    if he {
        head(o, points[n - 2], points[n - 1], "dg-head");
    }
}

fn bar(o: &mut String, x1: f64, x2: f64, y: f64) {
    let _ = writeln!(
        o,
        r#"<path class="dg-bar" d="M{},{}H{}"/>"#,
        num(x1 + HEAD_LEN),
        num(y),
        num(x2 - HEAD_LEN)
    );
    let _ = writeln!(
        o,
        r#"<path class="dg-bar-mid" d="M{},{}V{}"/>"#,
        num((x1 + x2) / 2.0),
        num(y - 5.0),
        num(y + 5.0)
    );
    head(o, (x1 + 20.0, y), (x1, y), "dg-bar-head");
    head(o, (x2 - 20.0, y), (x2, y), "dg-bar-head");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_at_most_one_decimal() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.25), "1.3");
        assert_eq!(num(-0.01), "0");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(12.345), "12.3");
        assert_eq!(num(-0.5), "-0.5");
        assert_eq!(num(-3.04), "-3");
        assert_eq!(num(0.96), "1");
        // The same text as formatting the rounded value with one decimal.
        for i in -20_000..20_000 {
            let v = f64::from(i) * 0.0137;
            let r = (v * 10.0).round() / 10.0;
            let want = if r == 0.0 {
                "0".to_string()
            } else if r.fract() == 0.0 {
                format!("{r:.0}")
            } else {
                format!("{r:.1}")
            };
            assert_eq!(num(v), want, "{v}");
        }
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(escape(r#"<a & "b">"#), "&lt;a &amp; &quot;b&quot;&gt;");
    }
}
