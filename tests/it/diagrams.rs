//! Diagrams in real pages: build errors point at the note's line, and in headless Chromium no
//! text overflows its box and no boxes overlap, for a fixture of every kind and for the whole book.

use crate::common::{TestBook, browser_test};

const EVERY_KIND: &str = r#"## Stack

```diagram
title: Load balancer in front of the app servers
Users {user}
↓ HTTPS
Load Balancer
↓
Server 1 | Server 2 | Server 3
↓ cache miss
Redis {cache} | Postgres {db} ~ primary | Kafka {queue}
```

## Chain

```diagram
title: A request through the edge
Client → CDN {cloud} → API Gateway ~ auth, rate limits → Orders
```

## Compare

```diagram
title: SQL vs NoSQL
kind: compare
# SQL ~ relational
- Fixed schema
- ACID transactions
- Joins across tables
# NoSQL ~ documents, key-value
- Flexible schema
- Scales out by design
- Denormalised reads
```

## Spectrum

```diagram
title: Trade-offs
kind: spectrum
Consistency ↔ Availability ~ banking, inventory | social feeds, DNS
Latency ↔ Durability ~ in-memory cache | synchronous replication
```

## Sequence

```diagram
title: WebSocket upgrade
kind: sequence
participants: Client, Server, Redis
Client → Server: GET /ws (Upgrade: websocket)
Server --> Client: 101 Switching Protocols
note Server: holds the connection open
Server → Redis: SUBSCRIBE room:42
Server → Server: fan out
Redis --> Server: message
Server --> Client: text frame
```

## Note shape

```diagram
title: Shapes
Browser {user} | Edge {cloud} | Jobs {queue} | Hot keys {cache} | Orders {db} | Remember {note}
```
"#;

#[test]
fn a_broken_diagram_names_the_note_and_line_and_what_is_allowed() {
    let b = TestBook::new();
    b.note(
        "notes/01-s/01-a.md",
        "A",
        "## X\n\nText.\n\n```diagram\ntitle: t\nkind: flow\nA\n```\n",
    );
    b.note("notes/01-s/02-b.md", "B", "```diagram\nA\n↓\n```\n");
    b.note("notes/01-s/03-c.md", "C", "```diagram\nDB {database\n```\n");
    b.note(
        "notes/01-s/04-d.md",
        "D",
        "```diagram\ntitle: only a title\n```\n",
    );
    let e = b.build_fails();
    assert!(
        e.contains("notes/01-s/01-a.md:14:1: error: diagram:")
            && e.contains("allowed: stack, compare, spectrum, sequence"),
        "{e}"
    );
    assert!(
        e.contains("notes/01-s/02-b.md:10:1: error: diagram:"),
        "{e}"
    );
    assert!(
        e.contains("notes/01-s/03-c.md:9:1: error: diagram:") && e.contains("unclosed"),
        "{e}"
    );
    assert!(
        e.contains("notes/01-s/04-d.md:8:1: error: diagram:")
            || e.contains("notes/01-s/04-d.md:9:1: error: diagram:"),
        "{e}"
    );
    assert!(e.contains("build failed: 4 errors"), "{e}");
}

#[test]
fn every_kind_renders_as_inline_svg_with_title_desc_and_caption() {
    let b = TestBook::new();
    b.note("notes/01-s/01-all-kinds.md", "All kinds", EVERY_KIND);
    b.build_ok();
    let html = b.out("all-kinds.html");
    for kind in ["stack", "compare", "spectrum", "sequence"] {
        assert!(html.contains(&format!("diagram diagram-{kind}")), "{kind}");
    }
    assert_eq!(
        html.matches("class=\"diagram-svg\"").count(),
        6,
        "one inline SVG per diagram"
    );
    assert!(html.contains("<desc>") && html.contains("<figcaption>WebSocket upgrade</figcaption>"));
    assert!(!html.contains("```diagram"));
    // The same source gives the same SVG on both views.
    let index = b.out("index.html");
    let svg = |s: &str| s[s.find("<svg").unwrap()..s.find("</svg>").unwrap()].to_string();
    assert_eq!(svg(&html), svg(&index));
}

/// Headless Chromium: the fixture with every kind and every diagram of the repository's book.
#[test]
fn diagrams_lay_out_without_overflow_or_overlap_in_a_browser() {
    let b = TestBook::new();
    b.note("notes/01-s/01-all-kinds.md", "All kinds", EVERY_KIND);
    b.build_ok();
    let book_out = crate::common::real_book_site();
    let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots/diagrams");
    browser_test(
        "diagram.test.mjs",
        &[
            b.path("public").to_str().unwrap(),
            book_out.to_str().unwrap(),
            shots.to_str().unwrap(),
        ],
    );
}
