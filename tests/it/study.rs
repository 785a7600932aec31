//! Study mode end to end: cards on every page and in review.html, malformed cards as content
//! errors, the Anki TSV parsed back, the scheduler's Node tests, and the browser tests (reading
//! progress, unread filter, continue reading, progress files, review sessions, axe) from
//! http:// and file://, site and single-file export.

use crate::common::{TestBook, browser_test, stderr, stdout_and_stderr};
use std::path::Path;
use std::process::Command;

fn note(title: &str, level: &str, tags: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nlevel = \"{level}\"\nyoe = \"0-2\"\ntags = [{tags}]\n+++\n\n{body}"
    )
}

const HASHING: &str = r#"## Consistent hashing

Keys sit on a ring; each node owns an arc.

> [!question] What does *consistent hashing* minimise?
> The keys that move when a node joins or leaves: about K/N of them.

> [!question] Why add virtual nodes?
> To even out the arcs, so load spreads evenly.
>
> - more tokens per node
> - smaller variance

> [!question] What breaks with `hash(key) % N`?
> Almost every key moves when N changes. See [caching](../02-more/01-caching.md#eviction).
"#;

const CACHING: &str = r#"## Eviction

LRU drops the least recently used key.

> [!question]- Which keys does LRU evict first? "Quotes" & `<tags>`
> The least recently used.
>
> ```python
> cache.popitem(last=False)
> ```
"#;

/// Two sections, three notes at three levels, four cards in two notes.
pub fn study_book() -> TestBook {
    let b = TestBook::two_sections();
    b.write(
        "notes/01-basics/01-hashing.md",
        &note("Hashing", "beginner", "\"hashing\", \"scale\"", HASHING),
    );
    b.write(
        "notes/01-basics/02-plain.md",
        &note(
            "Plain",
            "intermediate",
            "\"misc\"",
            "## Text\n\nNo cards here.\n",
        ),
    );
    b.write(
        "notes/02-more/01-caching.md",
        &note("Caching", "advanced", "\"cache\"", CACHING),
    );
    b
}

/// The `data-card-id`s of a page, in order.
fn card_ids(html: &str) -> Vec<String> {
    html.match_indices("data-card-id=\"")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

#[test]
fn cards_are_details_with_the_same_ids_on_every_page_and_in_review() {
    let b = study_book();
    b.build_ok();
    let page = b.out("hashing.html");
    let ids = card_ids(&page);
    assert_eq!(ids.len(), 3, "{page}");
    assert!(ids.iter().all(|id| id.starts_with("hashing:")), "{ids:?}");
    assert!(
        page.contains("<summary class=\"card-q\"><span class=\"card-label\">Question<span class=\"visually-hidden\">:</span></span> What does <em>consistent hashing</em> minimise?</summary>"),
        "{page}"
    );
    assert!(!page.contains("[!question]") && !page.contains("\0"));
    let index = b.out("index.html");
    let review = b.out("review.html");
    let all = card_ids(&index);
    assert_eq!(all.len(), 4);
    assert_eq!(card_ids(&review), all);
    assert!(review.contains("data-note=\"caching\" data-level=\"advanced\""));
    // Links in answers work from review.html (at the site root).
    assert!(
        review.contains("<a href=\"caching.html#eviction\">caching</a>"),
        "{review}"
    );
    assert!(review.contains("<code>&lt;tags&gt;</code>") && !review.contains("<tags>"));
    // Editing an answer keeps the ids; rewording a question makes a new one.
    let edited = HASHING
        .replace("about K/N of them", "roughly K/N")
        .replace("Why add virtual nodes?", "Why add many virtual nodes?");
    b.write(
        "notes/01-basics/01-hashing.md",
        &note("Hashing", "beginner", "\"hashing\"", &edited),
    );
    b.build_ok();
    let after = card_ids(&b.out("hashing.html"));
    assert_eq!(after[0], ids[0]);
    assert_ne!(after[1], ids[1]);
    assert_eq!(after[2], ids[2]);
}

#[test]
fn the_book_id_and_review_link_are_on_every_page() {
    let b = study_book();
    b.build_ok();
    for page in [
        "index.html",
        "hashing.html",
        "review.html",
        "tags/index.html",
    ] {
        let html = b.out(page);
        assert!(html.contains("data-book=\"test-book-"), "{page}");
        assert!(html.contains("review.html\">Review</a>"), "{page}");
        assert!(html.contains("study.js?v="), "{page}");
    }
    let other = TestBook::new();
    other.write("book.toml", "[book]\ntitle = \"Other Book\"\n");
    other.note("notes/01-s/01-a.md", "A", "Text.\n");
    other.build_ok();
    let index = other.out("index.html");
    assert!(index.contains("data-book=\"other-book-"));
    assert!(
        !index.contains("review.html\">Review</a>"),
        "no cards, no link"
    );
}

/// Build `body` as the only note; the build must fail naming `line` and `what`.
fn fails_at(body: &str, line: usize, what: &str) {
    let b = TestBook::new();
    b.note("notes/01-s/01-a.md", "A", "Fine.\n");
    b.build_ok();
    let before = b.out("index.html");
    b.note("notes/01-s/01-a.md", "A", body);
    let o = b.run(&["build"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("notes/01-s/01-a.md:{line}:")),
        "want line {line}: {err}"
    );
    assert!(err.contains(what), "want {what:?}: {err}");
    assert!(err.contains("^"), "a caret under the marker: {err}");
    assert_eq!(b.out("index.html"), before, "the last good output stays");
}

#[test]
fn malformed_cards_are_content_errors_with_file_and_line() {
    // The front matter takes lines 1-7; the body starts on line 8.
    fails_at(
        "Intro.\n\n> [!question] What is missing?\n\nNext paragraph.\n",
        10,
        "a card with no answer",
    );
    fails_at(
        "- item\n\n  > [!question] Inside a list?\n  > Yes.\n",
        10,
        "must stand at the top level of the note body",
    );
    fails_at(
        "Text.[^1]\n\n[^1]: A footnote.\n\n    > [!question] In a footnote?\n    > Yes.\n",
        12,
        "must stand at the top level",
    );
    fails_at(
        "> [!question] Same?\n> One.\n\n> [!question] same?\n> Two.\n",
        11,
        "duplicate question in this note",
    );
}

/// A TSV line split into fields, with `"…"` fields (which may span lines) read back whole.
fn parse_tsv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut headers = Vec::new();
    let mut rows = Vec::new();
    let mut lines = text.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        if line.starts_with('#') {
            headers.push(line.trim_end().to_string());
            continue;
        }
        let mut fields = Vec::new();
        let mut cur = String::new();
        let mut chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        let mut quoted = false;
        loop {
            if i == chars.len() {
                if quoted {
                    chars = lines.next().expect("closing quote").chars().collect();
                    i = 0;
                    continue;
                }
                break;
            }
            let c = chars[i];
            match (quoted, c) {
                (false, '"') if cur.is_empty() => quoted = true,
                (true, '"') if chars.get(i + 1) == Some(&'"') => {
                    cur.push('"');
                    i += 1;
                }
                (true, '"') => quoted = false,
                (false, '\t') => fields.push(std::mem::take(&mut cur)),
                (false, '\n') => {}
                _ => cur.push(c),
            }
            i += 1;
        }
        fields.push(cur);
        rows.push(fields);
    }
    (headers, rows)
}

#[test]
fn the_anki_export_parses_back_to_every_card() {
    let b = study_book();
    b.write(
        "book.toml",
        "[book]\ntitle = \"Test Book\"\n\n[build]\nsite-url = \"https://example.org/book/\"\n",
    );
    let o = b.run(&["export", "--cards", "cards.tsv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("exported 4 cards from 2 notes"));
    let text = std::fs::read_to_string(b.path("cards.tsv")).unwrap();
    let (headers, rows) = parse_tsv(&text);
    assert_eq!(
        headers,
        [
            "#separator:tab",
            "#html:true",
            "#guid column:1",
            "#tags column:4",
            "#columns:ID\tFront\tBack\tTags"
        ]
    );
    assert_eq!(rows.len(), 4, "{text}");
    assert!(rows.iter().all(|r| r.len() == 4), "{rows:?}");
    b.build_ok();
    assert_eq!(
        rows.iter().map(|r| r[0].clone()).collect::<Vec<_>>(),
        card_ids(&b.out("review.html"))
    );
    assert_eq!(
        rows[0][1],
        "What does <em>consistent hashing</em> minimise?"
    );
    assert!(
        rows[0][2].starts_with("<p>The keys that move"),
        "{}",
        rows[0][2]
    );
    assert!(
        rows[0][2].ends_with(
            "<p class=\"source\"><a href=\"https://example.org/book/hashing.html\">Note 1: Hashing</a></p>"
        ),
        "{}",
        rows[0][2]
    );
    assert!(rows[1][2].contains("<li>more tokens per node</li>"));
    assert!(
        rows[2][2].contains("<a href=\"https://example.org/book/caching.html#eviction\">"),
        "{}",
        rows[2][2]
    );
    assert_eq!(rows[0][3], "hashing scale level::beginner section::basics");
    assert_eq!(rows[3][3], "cache level::advanced section::more");
    assert!(
        rows[3][1].contains("“Quotes” &amp; <code>&lt;tags&gt;</code>"),
        "{}",
        rows[3][1]
    );
    assert!(rows[3][2].contains(">popitem</span>"), "{}", rows[3][2]);
    // An existing file that is not a card export is kept.
    b.write("mine.tsv", "my own data\n");
    let o = b.run(&["export", "--cards", "mine.tsv"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("is not a card export"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(b.path("mine.tsv")).unwrap(),
        "my own data\n"
    );
}

#[test]
fn the_scheduler_passes_its_node_tests() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = Command::new("node")
        .args(["--test", "tests/node/"])
        .current_dir(dir)
        .output()
        .expect("node is installed");
    let out = stdout_and_stderr(&o);
    assert!(o.status.success(), "{out}");
    assert!(
        out.contains("# pass 8") && out.contains("# fail 0"),
        "{out}"
    );
}

#[test]
fn study_mode_in_the_browser_from_http_and_file() {
    let b = study_book();
    b.build_ok();
    let o = b.run(&["export", "-o", "book.html"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let other = TestBook::new();
    other.write("book.toml", "[book]\ntitle = \"Other Book\"\n");
    other.note("notes/01-s/01-a.md", "A", "Text.\n");
    other.build_ok();
    browser_test(
        "study.test.mjs",
        &[
            b.path("public").to_str().unwrap(),
            b.path("book.html").to_str().unwrap(),
            other.path("public").to_str().unwrap(),
        ],
    );
}

/// The book's own cards: at least three in every note, each with an answer, and review.html
/// lists every one of them.
#[test]
fn every_note_of_the_book_has_at_least_three_cards() {
    let site = crate::common::real_book_site();
    let notes = std::fs::read_dir(site)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "html")
                && std::fs::read_to_string(p)
                    .is_ok_and(|s| s.contains("<article class=\"note note-page\""))
        })
        .collect::<Vec<_>>();
    assert!(notes.len() >= 45, "note pages: {}", notes.len());
    let mut total = 0;
    for p in &notes {
        let page = std::fs::read_to_string(p).unwrap();
        let cards = page.matches("data-card-id=").count();
        assert!(cards >= 3, "{}: {cards} cards", p.display());
        total += cards;
    }
    let review = std::fs::read_to_string(site.join("review.html")).unwrap();
    assert_eq!(review.matches("data-card-id=").count(), total);
}

/// This repository's book has the theme's own `static/` as its static folder: its unchanged
/// copies of the theme's sources are not overrides, so app.js keeps the search engine at its
/// start and review.js the scheduler.
#[test]
fn the_book_ships_the_built_in_scripts_whole() {
    let site = crate::common::real_book_site();
    let read = |f: &str| std::fs::read_to_string(site.join(f)).unwrap();
    assert!(read("app.js").contains("g.HandbookSearch = function"));
    assert!(read("review.js").contains("HandbookSchedule"));
    assert!(!site.join("search.js").exists() && !site.join("schedule.js").exists());
}
