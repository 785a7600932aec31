//! The parser: each diagram kind and construct read into the model.

use super::*;

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
    let hints = crate::render::diagram::parse::SHAPES.map(|(hint, _)| hint);
    assert_eq!(hints, ["db", "queue", "cache", "user", "cloud", "note"]);
    for (hint, shape) in crate::render::diagram::parse::SHAPES {
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
