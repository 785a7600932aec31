//! The reader's experience: page structure checks on fixture books, and the browser tests on the real book.

use crate::common::{TestBook, two_section_book};
use std::path::Path;
use std::process::Command;

/// Build the real book of this repository into a fresh temp folder with `--output`.
fn build_real_book() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("site");
    let o = Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(["build", "--force", "--output"])
        .arg(&out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("run handbook");
    assert!(
        o.status.success(),
        "build failed:\n{}",
        crate::common::stderr(&o)
    );
    tmp
}

#[test]
fn browser_reader_experience_on_the_real_book() {
    let tmp = build_real_book();
    let site = tmp.path().join("site");
    // SHOTS=<folder> in the environment also saves screenshots (node inherits it).
    let site = site.to_string_lossy().into_owned();
    let refs = [site.as_str(), "consistent-hashing"];
    crate::common::browser_test("reader.test.mjs", &refs);
}

#[test]
fn pages_have_landmarks_skip_link_and_no_flash_theme_script() {
    let b = two_section_book();
    b.build_ok();
    for page in [
        "index.html",
        "first.html",
        "second.html",
        "tags/alpha.html",
        "404.html",
    ] {
        let p = b.path("public").join(page);
        let html = std::fs::read_to_string(&p).unwrap();
        assert!(
            html.contains(r##"<a class="skip-link" href="#main">"##),
            "{page}: skip link"
        );
        assert!(html.contains(r#"<main id="main""#), "{page}: main landmark");
        assert!(
            html.contains(r#"<nav id="sidebar""#),
            "{page}: nav landmark"
        );
        assert!(html.contains("<footer"), "{page}: footer");
        let theme = html.find("handbook-theme").expect("inline theme script");
        let css = html.find("style.css").expect("stylesheet");
        assert!(
            theme < css,
            "{page}: the stored theme is applied before the stylesheet loads"
        );
        assert!(
            !html.contains("http://") || html.contains("sitemaps"),
            "{page}: nothing from the network"
        );
    }
}

#[test]
fn all_notes_page_carries_filter_data_and_controls() {
    let b = TestBook::new();
    b.write("notes/01-a/_section.toml", "title = \"A\"\n");
    b.write(
        "notes/01-a/01-one.md",
        "+++\ntitle = \"One\"\nlevel = \"advanced\"\nyoe = \"4-7\"\ntags = [\"Kafka Streams\", \"queues\"]\n+++\n\nBody.\n",
    );
    b.note("notes/01-a/02-two.md", "Two", "Body two.\n");
    b.build_ok();
    let html = b.out("index.html");
    assert!(
        html.contains(r#"data-level="advanced" data-yoe="4-7" data-tags="kafka-streams queues ""#),
        "note facets as data attributes"
    );
    assert!(
        html.contains(r#"<input type="checkbox" name="level" value="advanced">"#),
        "level chip"
    );
    assert!(
        html.contains(r#"<input type="checkbox" name="yoe" value="4-7">"#),
        "experience chip"
    );
    assert!(
        html.contains(r#"value="kafka-streams"><span class="tag-name">Kafka Streams</span>"#),
        "tag option keeps its name"
    );
    assert!(
        html.contains(r#"name="tagmode" value="all""#),
        "any/all switch"
    );
    assert!(
        html.contains(r#"<section class="filters" aria-labelledby="filters-title" hidden>"#),
        "filters hidden until scripts run"
    );
    assert!(html.contains("All 2 notes on one page"), "header count");
    // Tags link to their pages from each note.
    assert!(html.contains(r#"href="tags/kafka-streams.html""#));
    assert!(
        !html.contains("nav.js"),
        "the all-notes page has its own full contents"
    );
}

#[test]
fn note_pages_stay_small_as_the_book_grows() {
    let b = TestBook::new();
    b.write("notes/01-a/_section.toml", "title = \"A\"\n");
    for i in 1..=30 {
        b.note(
            &format!("notes/01-a/{i:02}-n{i}.md"),
            &format!("Note {i}"),
            "## Part\n\nText.\n",
        );
    }
    b.build_ok();
    let html = b.out("n15.html");
    let note_links = html.matches(".html\"").count();
    assert!(
        note_links < 12,
        "a note page links only its neighbours, not all 30 notes ({note_links} links)"
    );
    assert!(
        html.contains(r#"<script src="nav.js?v="#),
        "the full tree comes from nav.js"
    );
    assert!(html.contains(r#"<div id="nav-tree" data-current="n15">"#));
    assert!(
        b.out("nav.js")
            .contains(r#"["n30",30,"Note 30","beginner"]"#),
        "nav.js lists every note"
    );
    assert!(Path::new(&b.path("public/search-index.js")).exists());
}
