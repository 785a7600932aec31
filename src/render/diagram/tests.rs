//! Tests for the diagram language: parsing, errors, SVG output and robustness.

use super::parse::{Body, Column, Event, Flow, Label, Link, Shape, Stack, parse};
use super::{DiagramError, describe, render};

fn stack(src: &str) -> Stack {
    match parse(src).expect("valid stack").body {
        Body::Stack(s) => s,
        other => panic!("expected a stack, got {other:?}"),
    }
}

fn plain(text: &str) -> Label {
    Label {
        text: text.to_string(),
        sub: None,
        shape: Shape::Plain,
    }
}

fn error(src: &str) -> DiagramError {
    match render(src) {
        Err(e) => e,
        Ok(html) => panic!("expected an error for {src:?}, got {html}"),
    }
}

// ------------------------------------------------------------------ parser

#[test]
fn parses_rows_and_arrows() {
    let s = stack(
        "title: T\nUsers\n↓\nLoad Balancer\n↓\nServer 1 | Server 2 | Server 3\n↓\nDatabase {db}",
    );
    assert_eq!(s.rows.len(), 4);
    assert_eq!(
        s.rows[2].boxes,
        vec![plain("Server 1"), plain("Server 2"), plain("Server 3")]
    );
    assert_eq!(s.rows[3].boxes[0].shape, Shape::Db);
    assert!(s.links.iter().all(|l| matches!(
        l,
        Some(Link {
            flow: Flow::Forward,
            dashed: false,
            label: None
        })
    )));
}

#[test]
fn layers_have_no_link() {
    let s = stack("A\nB\n\n↓\nC");
    assert_eq!(
        s.links,
        vec![
            None,
            Some(Link {
                flow: Flow::Forward,
                dashed: false,
                label: None
            })
        ]
    );
}

#[test]
fn arrow_labels_and_repeated_arrows() {
    let s = stack("A | B | C\n↓ ↓ ↓ cache miss\nD | E | F");
    let link = s.links[0].clone().expect("link");
    assert_eq!(link.flow, Flow::Forward);
    assert_eq!(link.label.as_deref(), Some("cache miss"));
}

#[test]
fn every_vertical_arrow_form() {
    let cases = [
        ("↓", Flow::Forward, false),
        ("v", Flow::Forward, false),
        ("↑", Flow::Backward, false),
        ("^", Flow::Backward, false),
        ("↕", Flow::Both, false),
        ("<->", Flow::Both, false),
        ("-->", Flow::Forward, true),
        ("->", Flow::Forward, false),
        ("<-", Flow::Backward, false),
        ("↓ ↑", Flow::Both, false),
    ];
    for (arrow, flow, dashed) in cases {
        let s = stack(&format!("A\n{arrow} label\nB"));
        let link = s.links[0].clone().expect("link");
        assert_eq!((link.flow, link.dashed), (flow, dashed), "arrow {arrow}");
        assert_eq!(link.label.as_deref(), Some("label"), "arrow {arrow}");
    }
}

#[test]
fn a_row_starting_with_v_is_not_an_arrow() {
    let s = stack("v2 API\n↓\nvault");
    assert_eq!(s.rows[0].boxes[0].text, "v2 API");
    assert_eq!(s.rows[1].boxes[0].text, "vault");
}

#[test]
fn chain_rows_with_every_horizontal_arrow() {
    let s = stack("A → B ← C ↔ D -> E <- F <-> G --> H →|ok| I");
    let row = &s.rows[0];
    let names: Vec<&str> = row.boxes.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(names, ["A", "B", "C", "D", "E", "F", "G", "H", "I"]);
    let flows: Vec<(Flow, bool)> = row.chain.iter().map(|l| (l.flow, l.dashed)).collect();
    use Flow::*;
    assert_eq!(
        flows,
        [
            (Forward, false),
            (Backward, false),
            (Both, false),
            (Forward, false),
            (Backward, false),
            (Both, false),
            (Forward, true),
            (Forward, false)
        ]
    );
    assert_eq!(row.chain[7].label.as_deref(), Some("ok"));
    // Arrows inside words are text.
    assert_eq!(stack("a->b").rows[0].boxes[0].text, "a->b");
}

#[test]
fn sublabels_and_every_shape_hint() {
    let s = stack("Cache (Redis) ~ hot URLs {cache}");
    assert_eq!(
        s.rows[0].boxes[0],
        Label {
            text: "Cache (Redis)".into(),
            sub: Some("hot URLs".into()),
            shape: Shape::Cache
        }
    );
    let hints = super::parse::SHAPES.map(|(hint, _)| hint);
    assert_eq!(hints, ["db", "queue", "cache", "user", "cloud", "note"]);
    for (hint, shape) in super::parse::SHAPES {
        let s = stack(&format!("Thing {{{hint}}}"));
        assert_eq!(s.rows[0].boxes[0].shape, shape);
        assert_eq!(s.rows[0].boxes[0].text, "Thing");
    }
}

#[test]
fn title_and_each_kind() {
    let d = parse("title: Hello\nkind: compare\n# A\n- x").expect("valid");
    assert_eq!(d.title.as_deref(), Some("Hello"));
    assert!(matches!(d.body, Body::Compare(_)));
    assert!(matches!(
        parse("kind: spectrum\nA ↔ B").expect("valid").body,
        Body::Spectrum(_)
    ));
    assert!(matches!(
        parse("kind: sequence\nA → B: hi").expect("valid").body,
        Body::Sequence(_)
    ));
    assert!(matches!(parse("A").expect("valid").body, Body::Stack(_)));
    assert!(parse("kind: stack\nA").expect("valid").title.is_none());
}

#[test]
fn compare_columns() {
    let d = parse("kind: compare\n# SQL ~ relational\n- joins\n* schema\n\n# NoSQL\n- scale")
        .expect("valid");
    let Body::Compare(cols) = d.body else {
        panic!("compare")
    };
    assert_eq!(
        cols,
        vec![
            Column {
                heading: "SQL".into(),
                sub: Some("relational".into()),
                items: vec!["joins".into(), "schema".into()]
            },
            Column {
                heading: "NoSQL".into(),
                sub: None,
                items: vec!["scale".into()]
            },
        ]
    );
}

#[test]
fn spectrum_lines() {
    let d = parse("kind: spectrum\nConsistency ↔ Availability ~ banking, inventory | social feeds, DNS\nA <-> B\nC ↔ D ~ only left").expect("valid");
    let Body::Spectrum(b) = d.body else {
        panic!("spectrum")
    };
    assert_eq!(b[0].left, "Consistency");
    assert_eq!(b[0].right, "Availability");
    assert_eq!(b[0].left_examples.as_deref(), Some("banking, inventory"));
    assert_eq!(b[0].right_examples.as_deref(), Some("social feeds, DNS"));
    assert_eq!((b[1].left.as_str(), b[1].right.as_str()), ("A", "B"));
    assert_eq!(b[1].left_examples, None);
    assert_eq!(b[2].left_examples.as_deref(), Some("only left"));
    assert_eq!(b[2].right_examples, None);
}

#[test]
fn sequence_messages_notes_and_participants() {
    let src = "kind: sequence\nparticipants: Server, Client {user}\nClient → Server: GET /ws\nServer --> Client: 101\nClient ->> Server: ping\nServer ← Client: back\nnote Server: open\nnote Client, Server: both\nServer -> Server: tick\nClient->Server: tight";
    let d = parse(src).expect("valid");
    let Body::Sequence(seq) = d.body else {
        panic!("sequence")
    };
    let names: Vec<&str> = seq.participants.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(names, ["Server", "Client"]);
    assert_eq!(seq.participants[1].shape, Shape::User);
    let msg = |from, to, dashed: bool, text: &str| Event::Message {
        from,
        to,
        both: false,
        dashed,
        text: text.into(),
    };
    assert_eq!(seq.events[0], msg(1, 0, false, "GET /ws"));
    assert_eq!(seq.events[1], msg(0, 1, true, "101"));
    assert_eq!(seq.events[2], msg(1, 0, false, "ping"));
    assert_eq!(seq.events[3], msg(1, 0, false, "back"));
    assert_eq!(
        seq.events[4],
        Event::Note {
            first: 0,
            last: 0,
            text: "open".into()
        }
    );
    assert_eq!(
        seq.events[5],
        Event::Note {
            first: 0,
            last: 1,
            text: "both".into()
        }
    );
    assert_eq!(seq.events[6], msg(0, 0, false, "tick"));
    assert_eq!(seq.events[7], msg(1, 0, false, "tight"));
}

#[test]
fn sequence_order_of_first_appearance() {
    let Body::Sequence(seq) = parse("kind: sequence\nB → C: x\nA → B: y")
        .expect("valid")
        .body
    else {
        panic!("sequence")
    };
    let names: Vec<&str> = seq.participants.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(names, ["B", "C", "A"]);
}

// ------------------------------------------------------------------ errors

#[test]
fn error_unknown_kind() {
    let e = error("title: x\nkind: flow\nA");
    assert_eq!(e.line, 2);
    assert!(e.message.contains("unknown diagram kind `flow`"), "{e}");
    assert!(
        e.message
            .contains("allowed: stack, compare, spectrum, sequence"),
        "{e}"
    );
}

#[test]
fn error_arrow_without_row_above() {
    let e = error("title: x\n↓\nA");
    assert_eq!(e.line, 2);
    assert!(e.message.contains("no row above"), "{e}");
}

#[test]
fn error_arrow_without_row_below() {
    let e = error("A\n↓\nB\n\n↓ cache miss\n");
    assert_eq!(e.line, 5);
    assert!(e.message.contains("no row below"), "{e}");
    let e = error("A\n↓\n↓\nB");
    assert_eq!(e.line, 2);
}

#[test]
fn error_unclosed_brace() {
    let e = error("A\n↓\nPostgres {db");
    assert_eq!(e.line, 3);
    assert!(e.message.contains("unclosed `{`"), "{e}");
    assert!(
        e.message
            .contains("{db}, {queue}, {cache}, {user}, {cloud}, {note}"),
        "{e}"
    );
}

#[test]
fn error_unknown_shape_hint() {
    let e = error("A | Store {disk}");
    assert_eq!(e.line, 1);
    assert!(e.message.contains("unknown shape hint `{disk}`"), "{e}");
    assert!(
        e.message
            .contains("allowed: {db}, {queue}, {cache}, {user}, {cloud}, {note}"),
        "{e}"
    );
}

#[test]
fn error_empty_diagram() {
    let e = error("title: Nothing here\n\n");
    assert_eq!(e.line, 1);
    assert!(e.message.contains("empty"), "{e}");
    assert_eq!(error("").line, 1);
    assert!(error("   \n\n").message.contains("empty"));
}

#[test]
fn error_sequence_message_to_nowhere() {
    let e = error("kind: sequence\nA → B: ok\nA → : x");
    assert_eq!(e.line, 3);
    assert!(e.message.contains("goes nowhere"), "{e}");
    assert!(e.message.contains("A → Server: text"), "{e}");
}

#[test]
fn error_compare_item_before_heading() {
    let e = error("kind: compare\n\n- orphan\n# Later");
    assert_eq!(e.line, 3);
    assert!(e.message.contains("before any column heading"), "{e}");
    assert!(e.message.contains("# Heading"), "{e}");
}

#[test]
fn error_spectrum_without_double_arrow() {
    let e = error("kind: spectrum\nA ↔ B\nFast → Cheap");
    assert_eq!(e.line, 3);
    assert!(e.message.contains("without `↔`"), "{e}");
}

#[test]
fn other_errors_name_the_line() {
    assert_eq!(error("A\n→ B").line, 2);
    assert_eq!(error("A →").line, 1);
    assert_eq!(error("A | | B").line, 1);
    assert_eq!(
        error("kind: sequence\nparticipants: A, B\nA → C: x").line,
        3
    );
    assert_eq!(error("kind: sequence\nnote A").line, 2);
    assert_eq!(error("kind: compare\n# A\nrandom").line, 3);
    assert_eq!(error("A →|oops B").line, 1);
    let e = error("kind: flow");
    assert_eq!(e.to_string(), format!("diagram line 1: {}", e.message));
}

// ------------------------------------------------------------------ output

const ARCH: &str = "title: A typical web architecture
Clients {user}
↓
CDN {cloud} | Load Balancer
↓
API 1 | API 2 | API 3
↓ cache miss
Redis {cache} | Postgres {db} | Kafka {queue}
Config {note}";

#[test]
fn stack_svg_parts() {
    let html = render(ARCH).expect("renders");
    assert!(html.starts_with("<figure class=\"diagram diagram-stack\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "));
    assert!(html.contains(r#"role="img" aria-label="A typical web architecture" class="diagram-svg" style="max-width:100%;height:auto">"#));
    assert!(html.contains("<title>A typical web architecture</title>\n<desc>Clients → CDN, Load Balancer → API 1, API 2, API 3 → (cache miss) Redis, Postgres, Kafka / Config</desc>"));
    assert!(html.ends_with("</svg>\n<figcaption>A typical web architecture</figcaption></figure>"));
    for class in [
        "dg-user",
        "dg-cloud",
        "dg-cache",
        "dg-db",
        "dg-queue",
        "dg-note",
        "dg-plain",
        "dg-edge",
        "dg-head",
        "dg-edge-label",
        "dg-label-bg",
        "dg-text",
    ] {
        assert!(html.contains(class), "missing {class}");
    }
    assert!(html.contains(r#"<text class="dg-label""#));
    assert!(html.contains(">cache miss</text>"));
    // Text stays real text; no markers, scripts, fonts or colours.
    for banned in [
        "<marker",
        "<script",
        "@font-face",
        "fill=\"#",
        "stroke=\"#",
        "href",
        "<foreignObject",
    ] {
        assert!(!html.contains(banned), "contains {banned}");
    }
}

#[test]
fn no_figcaption_without_title() {
    let html = render("A\n↓\nB").expect("renders");
    assert!(!html.contains("<figcaption>"));
    assert!(!html.contains("<title>"));
    assert!(html.contains(r#"aria-label="A → B""#));
    assert!(html.contains("<desc>A → B</desc>"));
}

#[test]
fn chain_and_dashed_edges() {
    let html = render("Browser → API →|auth ok| Orders --> DB {db}").expect("renders");
    assert!(html.contains(r#"class="dg-edge dg-edge-dashed""#));
    assert!(html.contains(">auth ok</text>"));
    assert_eq!(html.matches("<g class=\"dg-node").count(), 4);
    assert_eq!(describe("A → B ←|x| C").expect("ok"), "A → B ← (x) C");
}

#[test]
fn sequence_svg_parts() {
    let html = render("kind: sequence\nClient → Server: GET /ws\nServer --> Client: 101\nnote Server: open\nServer -> Server: tick").expect("renders");
    assert!(html.contains("diagram-sequence"));
    assert_eq!(html.matches("class=\"dg-lifeline\"").count(), 2);
    // Participants at the top and at the bottom.
    assert_eq!(html.matches(">Client</text>").count(), 2);
    assert!(html.contains("dg-edge dg-edge-dashed"));
    assert!(html.contains("dg-note"));
    assert!(html.contains(">GET /ws</text>"));
    assert!(html.contains("<desc>Participants: Client, Server. Client → Server: GET /ws. Server → Client (reply): 101. note over Server: open. Server → Server: tick</desc>"));
}

#[test]
fn compare_svg_parts() {
    let html = render("title: SQL vs NoSQL\nkind: compare\n# SQL ~ relational\n- joins\n- schema\n# NoSQL\n- scale").expect("renders");
    assert!(html.contains("diagram-compare"));
    assert_eq!(html.matches("class=\"dg-card\"").count(), 2);
    assert_eq!(html.matches("class=\"dg-bullet\"").count(), 3);
    assert!(html.contains(r#"<text class="dg-col-head""#));
    // Equal heights.
    let heights: Vec<&str> = html
        .match_indices("class=\"dg-card\"")
        .filter_map(|(i, _)| html[i..].split("height=\"").nth(1)?.split('"').next())
        .collect();
    assert_eq!(heights.len(), 2);
    assert_eq!(heights[0], heights[1]);
}

#[test]
fn spectrum_svg_parts() {
    let html = render("kind: spectrum\nConsistency ↔ Availability ~ banking | feeds\nA ↔ B")
        .expect("renders");
    assert!(html.contains("diagram-spectrum"));
    assert_eq!(html.matches("class=\"dg-bar\"").count(), 2);
    assert_eq!(html.matches("class=\"dg-bar-head\"").count(), 4);
    assert!(html.contains(r#"text-anchor="end">Availability</text>"#));
    assert!(html.contains(">banking</text>"));
}

#[test]
fn long_labels_wrap_onto_two_lines() {
    let html = render("Authentication and authorization service").expect("renders");
    assert!(html.contains(">Authentication and</text>"));
    assert!(html.contains(">authorization service</text>"));
}

#[test]
fn output_is_deterministic() {
    for src in [
        ARCH,
        "kind: sequence\nA → B: x\nB --> A: y",
        "kind: compare\n# A\n- x",
        "kind: spectrum\nA ↔ B ~ x | y",
    ] {
        assert_eq!(render(src), render(src));
    }
}

#[test]
fn numbers_have_at_most_one_decimal() {
    let html = render(ARCH).expect("renders");
    let bad = html
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter(|tok| tok.split('.').nth(1).is_some_and(|d| d.len() > 1))
        .count();
    assert_eq!(bad, 0);
}

#[test]
fn no_ids_anywhere() {
    for src in [
        ARCH,
        "kind: sequence\nA → B: x\nnote A, B: y",
        "kind: compare\n# A\n- x",
        "kind: spectrum\nA ↔ B",
    ] {
        let html = render(src).expect("renders");
        assert!(!html.contains(" id="), "{html}");
    }
}

#[test]
fn escapes_text() {
    let html = render("title: <b>&\"x\"\nA <tag> & \"co\" → B").expect("renders");
    assert!(html.contains("<title>&lt;b&gt;&amp;&quot;x&quot;</title>"));
    assert!(html.contains("A &lt;tag&gt; &amp; &quot;co&quot;"));
    assert!(!html.contains("<tag>"));
    assert!(!html.contains("<b>"));
}

// ------------------------------------------------------------------ robustness

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

#[test]
fn never_panics_on_garbage() {
    let pieces = [
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
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut ok = 0;
    for _ in 0..3000 {
        let len = (rng.next() % 40) as usize;
        let src: String = (0..len).map(|_| rng.pick(&pieces)).collect();
        let result = std::panic::catch_unwind(|| render(&src));
        match result {
            Ok(Ok(html)) => {
                ok += 1;
                assert!(!html.contains(" id="));
                assert!(!html.contains("NaN") && !html.contains("inf"), "{src:?}");
            }
            Ok(Err(e)) => assert!(e.line >= 1, "{src:?}"),
            Err(_) => panic!("panicked on {src:?}"),
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
    use super::layout::{Item, Rect, layout};
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
