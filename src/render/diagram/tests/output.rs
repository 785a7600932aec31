//! The SVG: its parts per kind, wrapping, escaping, and output that is the same on every run.

use super::*;

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
