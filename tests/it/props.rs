//! Property tests: random notes made of Markdown fragments, quotes, `<`, `&`, private-use and
//! bidi characters, long lines and deep nesting build without a panic (or fail naming the
//! note), and every page parses into only the elements and attributes our templates and
//! renderer write, with unique ids. 64 cases in `cargo test`; `HANDBOOK_PROPTEST_CASES=5000`
//! runs more.

use crate::common::TestBook;
use crate::inproc;
use proptest::prelude::*;
use scraper::{Html, Node};
use std::collections::{BTreeSet, HashSet};
use std::sync::OnceLock;

/// Characters and strings that have broken pages before, or could: markup, quotes, entity
/// look-alikes, Tera syntax, percent-escapes, the private-use range the renderer used for its
/// placeholders (and U+F8FF), bidi controls.
const NASTY: &[&str] = &[
    "<",
    "< b",
    "&",
    "&amp;",
    "&#60;b&#62;",
    "\"",
    "'",
    ">",
    "\\",
    "{{ x }}",
    "{% if %}",
    "%22",
    "%3C",
    "%00",
    "\u{E000}",
    "\u{E001}",
    "\u{E002}",
    "\u{E003}",
    "\u{E000}hb-note-0\u{E001}",
    "\u{E003}254\u{E001}",
    "\u{F8FF}",
    "\u{202E}",
    "\u{2066}",
    "\u{200F}",
    "--",
    "#",
    "é",
    "日本",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z]{1,8}",
        2 => proptest::sample::select(NASTY).prop_map(String::from),
    ]
}

/// Words joined by spaces (so a `<` is never the start of a tag).
fn words(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(word(), 1..max).prop_map(|w| w.join(" "))
}

/// Text for a link destination or fragment: no space, `<`, `>`, parenthesis or backtick.
fn frag() -> impl Strategy<Value = String> {
    let bits = proptest::sample::select(
        &[
            "a",
            "b-c",
            "%22",
            "%3E",
            "%3Cimg%20src=x%20onerror=alert(1)%3E",
            "%00",
            "\"",
            "'",
            "&",
            "&quot;",
            "\u{E000}",
            "\u{E001}",
            "\u{E002}",
            "\u{E003}",
            "\u{202E}",
            "%",
            "#",
            "é",
        ][..],
    );
    proptest::collection::vec(bits, 0..6).prop_map(|b| b.concat())
}

fn dest() -> impl Strategy<Value = String> {
    (
        proptest::sample::select(
            &[
                "#",
                "02-m.md#",
                "02-m.md",
                "01-n.md#",
                "https://x.example/?q=",
                "mailto:a@",
                "img.png",
                "/abs/",
                "missing.md#",
                "",
            ][..],
        ),
        frag(),
    )
        .prop_map(|(a, b)| format!("{a}{b}"))
}

/// One inline element.
fn inline() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => word(),
        1 => (words(4), dest()).prop_map(|(t, d)| format!("[{t}]({d})")),
        1 => (words(3), dest(), words(3))
            .prop_map(|(t, d, title)| format!("![{t}]({d} \"{}\")", title.replace('"', "'"))),
        1 => words(4).prop_map(|t| format!("*{t}*")),
        1 => words(4).prop_map(|t| format!("**{t}**")),
        1 => words(4).prop_map(|t| format!("~~{t}~~")),
        1 => (words(4), "<[a-z]+>").prop_map(|(t, tag)| format!("`{} {tag}`", t.replace('`', "'"))),
        1 => frag().prop_map(|f| format!("<https://x.example/{f}>")),
        1 => proptest::sample::select(&["1", "a", "a!", "a?", "\u{E000}", "x\"y"][..])
            .prop_map(|l| format!("[^{l}]")),
    ]
}

fn line(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(inline(), 1..max).prop_map(|w| w.join(" "))
}

/// One block, possibly nested in quotes or list items.
fn block() -> impl Strategy<Value = String> {
    let custom_id = prop_oneof![
        3 => Just(String::new()),
        1 => frag().prop_map(|f| format!(" {{#{}}}", f.replace('#', "h"))),
    ];
    let leaf = prop_oneof![
        3 => line(12).prop_map(|l| format!("{l}\n")),
        2 => (1..=6usize, line(6), custom_id).prop_map(|(n, l, id)| format!("{} {l}{id}\n", "#".repeat(n))),
        1 => line(4).prop_map(|l| format!("{}\n", l.repeat(400))),
        1 => (proptest::sample::select(&["", "rust", "text", "x\"y", "html {title=\"<a>\"}"][..]), words(8))
            .prop_map(|(lang, code)| format!("```{lang}\n{code}\n</code></pre><script>x</script>\n```\n")),
        1 => (words(4), words(4), words(4)).prop_map(|(t, a, b)| {
            let clean = |s: String| s.replace(['|', '{', '}', '~', '→', '-', '>', '<'], " ");
            format!("```diagram\ntitle: {t}\n{} → {}\n```\n", clean(a), clean(b))
        }),
        1 => (proptest::sample::select(&["1", "a", "a!", "a?", "\u{E000}", "x\"y"][..]), line(5))
            .prop_map(|(l, t)| format!("[^{l}]: {t}\n")),
        1 => (words(3), line(3)).prop_map(|(a, b)| format!("| {} | b |\n|---|:-:|\n| {} | d |\n", a.replace('|', " "), b.replace('|', " "))),
        1 => line(4).prop_map(|l| format!("- [x] {l}\n- [ ] {l}\n")),
    ];
    (0..24usize, 0..3usize, leaf).prop_map(|(depth, how, b)| match how {
        0 => b,
        1 => nest(&b, &"> ".repeat(depth)),
        _ => nest(&list_item(&b), &"  ".repeat(depth % 8)),
    })
}

/// `block` as one list item: the marker on its first line, its other lines indented under it
/// (unindented lines would end the item and leave a fence's content outside its fence).
fn list_item(block: &str) -> String {
    block
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("- {l}\n")
            } else {
                format!("  {l}\n")
            }
        })
        .collect()
}

fn nest(block: &str, prefix: &str) -> String {
    block.lines().map(|l| format!("{prefix}{l}\n")).collect()
}

/// A note: front matter from random strings, then random blocks.
fn note() -> impl Strategy<Value = String> {
    (
        words(6),
        proptest::collection::vec(words(3), 1..4),
        proptest::option::of(words(8)),
        proptest::collection::vec(block(), 0..12),
    )
        .prop_map(|(title, tags, description, blocks)| {
            let tags: Vec<String> = tags.iter().map(|t| toml_str(t)).collect();
            let mut s = format!(
                "+++\ntitle = {}\nlevel = \"beginner\"\nyoe = \"0-2\"\ntags = [{}]\n",
                toml_str(&title),
                tags.join(", ")
            );
            if let Some(d) = description {
                s.push_str(&format!("description = {}\n", toml_str(&d)));
            }
            s.push_str("+++\n\n");
            for b in blocks {
                s.push_str(&b);
                s.push('\n');
            }
            s
        })
}

/// A TOML basic string holding `s` (note text strategies hold no NUL).
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The body text may also hold a NUL, which the renderer must not mistake for its own.
fn with_nul(note: String, nul: bool) -> String {
    if nul {
        format!("{note}\nA\0B [x](#a%00b)\n")
    } else {
        note
    }
}

fn cases() -> u32 {
    std::env::var("HANDBOOK_PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(64)
}

/// Every (element, attribute) pair the templates and renderer write, learnt from a build of a
/// reference book that uses every Markdown construct the generator does (and no raw HTML).
fn allowed() -> &'static BTreeSet<(String, String)> {
    static ALLOWED: OnceLock<BTreeSet<(String, String)>> = OnceLock::new();
    ALLOWED.get_or_init(|| {
        let b = TestBook::new();
        b.write("notes/01-s/01-n.md", REFERENCE);
        b.write("notes/01-s/02-m.md", REFERENCE);
        b.write("notes/01-s/img.png", "not really a PNG");
        let files = inproc::build_ok(&b);
        let mut set = BTreeSet::new();
        for (path, bytes) in &files {
            if path.ends_with(".html") {
                let doc = Html::parse_document(std::str::from_utf8(bytes).unwrap());
                for (name, attrs) in elements(&doc) {
                    set.insert((name.clone(), String::new()));
                    for a in attrs {
                        set.insert((name.clone(), a));
                    }
                }
            }
        }
        set
    })
}

const REFERENCE: &str = r#"+++
title = "Reference"
level = "beginner"
yoe = "0-2"
tags = ["a", "b"]
description = "Every construct."
+++

## Heading *em* **strong** `code` ~~del~~ [link](#x) {#custom}

### Third

#### Fourth

Text with a [link](02-m.md#heading), [a note](02-m.md), [a file](img.png "title"),
[external](https://x.example/), [mail](mailto:a@b), [abs](/a), [missing](missing.md),
![image](img.png "title"), <https://x.example/auto>, a footnote[^1] and another[^1].
Hard break\
here.

[^1]: The footnote, with [a link](#custom).

> Quote
> - list

1. one
2. two

- [x] done
- [ ] todo

| a | b |
|:--|--:|
| c | d |

---

```rust {title="main.rs", hl_lines=[1], linenos}
fn main() {}
```

```nosuchlanguage
text
```

    indented

```diagram
title: Stack
Users {user}
↓ HTTPS
Load Balancer
↓
Server 1 | Server 2
```

```diagram
title: Chain
Client → CDN {cloud} → API ~ auth → DB {db}
```

```diagram
kind: compare
# SQL ~ relational
- Fixed schema
# NoSQL ~ documents
- Flexible
```

```diagram
kind: spectrum
Consistency ↔ Availability ~ banking | feeds
```

```diagram
kind: sequence
Client → Server: GET /ws
Server --> Client: 101
note Server: holds it
```

```diagram
Queue {queue} | Cache {cache} | Note {note}
```
"#;

/// Each element's name and attribute names, in document order.
fn elements(doc: &Html) -> Vec<(String, Vec<String>)> {
    doc.tree
        .nodes()
        .filter_map(|n| match n.value() {
            Node::Element(e) => Some((
                e.name().to_string(),
                e.attrs().map(|(k, _)| k.to_string()).collect(),
            )),
            _ => None,
        })
        .collect()
}

/// What must hold for every page of a build of notes without raw HTML.
fn check_page(path: &str, html: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        !html.contains('\0'),
        "{path}: a NUL (placeholder) left in the page"
    );
    let doc = Html::parse_document(html);
    let allowed = allowed();
    let mut ids = HashSet::new();
    for (name, attrs) in elements(&doc) {
        prop_assert!(
            allowed.contains(&(name.clone(), String::new())),
            "{path}: element <{name}> that no template or Markdown construct writes"
        );
        for a in &attrs {
            prop_assert!(
                allowed.contains(&(name.clone(), a.clone())),
                "{path}: attribute {a} on <{name}> that no template or Markdown construct writes"
            );
        }
    }
    for n in doc.tree.nodes() {
        if let Node::Element(e) = n.value() {
            if let Some(id) = e.attr("id") {
                prop_assert!(ids.insert(id.to_string()), "{path}: id {id:?} repeated");
            }
            if e.name() == "script" {
                prop_assert!(
                    e.attr("src").is_some() || n.children().next().is_some(),
                    "{path}: empty inline script"
                );
            }
        }
    }
    let scripts = html.matches("<script").count();
    prop_assert!(scripts <= 4, "{path}: {scripts} scripts");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_notes_build_into_pages_of_only_our_elements(
        n in note(), m in note(), nul in any::<bool>()
    ) {
        let b = TestBook::new();
        b.write("notes/01-s/01-n.md", &with_nul(n, nul));
        b.write("notes/01-s/02-m.md", &m);
        b.write("notes/01-s/img.png", "not really a PNG");
        match inproc::build(&b) {
            Ok(files) => {
                for (path, bytes) in &files {
                    if path.ends_with(".html") {
                        let html = std::str::from_utf8(bytes).expect("UTF-8 page");
                        check_page(path, html)?;
                    }
                }
            }
            Err(e) => prop_assert!(
                e.contains("notes/01-s/01-n.md") || e.contains("notes/01-s/02-m.md"),
                "a failed build names no note: {e}"
            ),
        }
    }
}
