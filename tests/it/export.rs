//! `handbook export`: one self-contained HTML file; checked as text here and in headless Chromium offline.

use crate::common::{TestBook, stderr};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A tiny PNG-looking image of `n` bytes (the content does not matter to the export).
fn image(n: usize) -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
    v.resize(n, 7);
    v
}

/// The two-section book plus an image beside a note, one under static/, and a download.
fn book_with_assets() -> TestBook {
    let b = crate::common::two_section_book();
    b.note(
        "notes/02-more/03-pictures.md",
        "Pictures",
        "## Figures\n\n![a box](box.png)\n\n![logo](../../static/img/logo.svg)\n\nGet [the sheet](sheet.csv), read [first](../01-basics/01-first.md#overview), or visit <https://example.com/x>.\n",
    );
    std::fs::write(b.path("notes/02-more/box.png"), image(3000)).unwrap();
    b.write("notes/02-more/sheet.csv", "a,b\n1,2\n");
    b.write(
        "static/img/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 4\"><rect width=\"4\" height=\"4\"/></svg>",
    );
    b
}

/// The contents of every `<tag …>…</tag>` block, and the document with those blocks removed.
fn split_blocks(html: &str, tag: &str) -> (String, Vec<String>) {
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut rest = html;
    let mut outside = String::new();
    let mut blocks = Vec::new();
    while let Some(i) = rest.find(&open) {
        outside.push_str(&rest[..i]);
        let start = rest[i..].find('>').map(|e| i + e + 1).expect("tag end");
        let end = rest[start..]
            .find(&close)
            .map(|e| start + e)
            .expect("close tag");
        outside.push_str(&rest[i..start]);
        blocks.push(rest[start..end].to_string());
        rest = &rest[end..];
    }
    outside.push_str(rest);
    (outside, blocks)
}

/// `(tag name, attribute, value)` for every `attr="…"` in markup (scripts and styles removed).
fn attrs(markup: &str, names: &[&str]) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for name in names {
        let needle = format!(" {name}=\"");
        for (i, _) in markup.match_indices(&needle) {
            let lt = markup[..i].rfind('<').expect("inside a tag");
            let tag: String = markup[lt + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            let start = i + needle.len();
            let end = start + markup[start..].find('"').expect("closing quote");
            out.push((
                tag.to_lowercase(),
                name.to_string(),
                markup[start..end].replace("&amp;", "&"),
            ));
        }
    }
    out
}

/// Everything the issue asks of the file, checked independently of the exporter's own code:
/// nothing fetched from anywhere (no remote or local URL in src/href of fetched elements, no
/// `@import` or non-data `url()`), every in-page link resolves, no link leaves for a local page.
fn assert_self_contained(html: &str) {
    assert!(html.starts_with("<!doctype html>"), "not a document");
    let (no_scripts, _) = split_blocks(html, "script");
    let (markup, styles) = split_blocks(&no_scripts, "style");
    assert!(
        !markup.contains("<script src") && !markup.contains(" src=\"http"),
        "external script or source"
    );
    assert!(!styles.is_empty(), "no inline stylesheet");
    for css in &styles {
        assert!(!css.contains("@import"), "@import left in a stylesheet");
        for (i, _) in css.match_indices("url(") {
            let arg = css[i + 4..].trim_start_matches(['"', '\'']);
            assert!(
                arg.starts_with("data:") || arg.starts_with('#'),
                "url({}) would be fetched",
                &arg[..arg.len().min(40)]
            );
        }
    }
    let ids: HashSet<String> = attrs(&markup, &["id"])
        .into_iter()
        .map(|(_, _, v)| v)
        .collect();
    let mut anchors = 0;
    for (tag, attr, v) in attrs(&markup, &["href", "src", "srcset", "poster"]) {
        match (tag.as_str(), attr.as_str()) {
            ("a", "href") => {
                if let Some(id) = v.strip_prefix('#') {
                    anchors += 1;
                    assert!(
                        id.is_empty() || ids.contains(id),
                        "in-page link #{id} has no target"
                    );
                } else {
                    assert!(
                        v.starts_with('?')
                            || v.starts_with("https://")
                            || v.starts_with("http://")
                            || v.starts_with("mailto:")
                            || v.starts_with("data:"),
                        "link {v} leaves the file"
                    );
                }
            }
            ("link", "href") => {
                let rel_canonical =
                    markup.contains(&format!("<link rel=\"canonical\" href=\"{v}\""));
                assert!(
                    v.starts_with("data:") || rel_canonical,
                    "<link href={v}> would be fetched"
                );
            }
            _ => assert!(
                v.starts_with("data:"),
                "<{tag} {attr}={v}> would be fetched"
            ),
        }
    }
    assert!(anchors > 0, "no in-page links at all");
}

#[test]
fn export_inlines_everything_and_makes_links_in_page() {
    let b = book_with_assets();
    let o = b.run(&["export", "-o", "out/book.html"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(b.path("out/book.html")).unwrap();
    assert_self_contained(&html);
    // Links between notes and to headings of other notes are in-page anchors.
    assert!(
        html.contains("href=\"#second--details\""),
        "cross-note heading link"
    );
    assert!(html.contains("href=\"#first--overview\""));
    // Images and downloads are data URIs; external links stay.
    assert!(
        html.contains("<img src=\"data:image/png;base64,iVBORw0KGgo"),
        "png inlined"
    );
    assert!(
        html.contains("src=\"data:image/svg+xml;base64,"),
        "svg inlined"
    );
    assert!(
        html.contains("href=\"data:text/csv;base64,"),
        "download inlined"
    );
    assert!(
        html.contains("href=\"https://example.com/x\""),
        "external link kept"
    );
    // Tag links become the all-notes filter; the search index is defined before app.js runs.
    assert!(html.contains("href=\"?tags=alpha\""));
    let search = html
        .find("window.HANDBOOK_SEARCH_INDEX=")
        .expect("search index inline");
    assert!(
        html.contains("(window.HANDBOOK_SEARCH_PARTS=window.HANDBOOK_SEARCH_PARTS||{})[\"t0\"]=")
            && html.contains("[\"n0\"]="),
        "every piece of the search index inline"
    );
    let last_script = html.rfind("<script").unwrap();
    assert!(
        search < last_script,
        "search index defined after the page's scripts"
    );
    let err = stderr(&o);
    assert!(err.contains("export size"), "size report: {err}");
    assert!(
        err.contains("style.css") && err.contains("notes, contents"),
        "largest parts: {err}"
    );
    assert!(!err.contains("warning"), "{err}");
}

#[test]
fn default_file_sits_beside_book_toml_and_survives_a_build() {
    let b = crate::common::two_section_book();
    let o = b.run(&["export"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("test-book.html"), "{}", stderr(&o));
    b.build_ok();
    let kept = b.path("test-book.html");
    assert!(
        kept.is_file(),
        "the export beside book.toml is gone after build"
    );
    assert!(b.path("public/index.html").is_file());
    // A folder given to -o receives the file under the book's name.
    std::fs::create_dir_all(b.path("dist")).unwrap();
    let o = b.run(&["export", "-o", "dist"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(b.path("dist/test-book.html").is_file());
    // A path ending in / is a folder even before it exists.
    let o = b.run(&["export", "-o", "new/dir/"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(b.path("new/dir/test-book.html").is_file());
}

#[test]
fn export_into_the_output_folder_is_allowed_with_a_note() {
    let b = crate::common::two_section_book();
    b.build_ok();
    let o = b.run(&["export", "-o", "public/book.html"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("which the next `handbook build` replaces"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn export_never_replaces_a_source_or_a_file_that_is_not_html() {
    let b = crate::common::two_section_book();
    let note = "notes/01-basics/01-first.md";
    let before = std::fs::read(b.path(note)).unwrap();
    for (target, msg) in [
        (note, "inside the book's notes/ folder"),
        ("notes/book.html", "inside the book's notes/ folder"),
        ("book.toml", "is not an HTML document"),
    ] {
        let o = b.run(&["export", "-o", target]);
        assert_eq!(o.status.code(), Some(2), "{target}");
        assert!(stderr(&o).contains(msg), "{target}: {}", stderr(&o));
    }
    assert_eq!(std::fs::read(b.path(note)).unwrap(), before);
    assert!(!b.path("notes/book.html").exists());
    assert!(
        std::fs::read_to_string(b.path("book.toml"))
            .unwrap()
            .contains("[book]")
    );
    // A new file of any name is written, and an earlier export replaced.
    for _ in 0..2 {
        let o = b.run(&["export", "-o", "book.txt"]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
}

#[test]
fn large_image_gets_a_warning_naming_it_and_the_limit() {
    let b = book_with_assets();
    b.write(
        "book.toml",
        "[book]\ntitle = \"Test Book\"\n\n[build]\nimage-size-limit-kb = 2\n",
    );
    let o = b.run(&["export", "-o", "a.html"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("warning: image notes/02-more/box.png is 3 KiB (limit 2 KiB"),
        "{err}"
    );
    assert!(err.contains("image-size-limit-kb"), "{err}");
    assert!(!err.contains("logo.svg is"), "small image warned: {err}");
    // Under the limit: quiet.
    b.write(
        "book.toml",
        "[book]\ntitle = \"Test Book\"\n\n[build]\nimage-size-limit-kb = 4\n",
    );
    let o = b.run(&["export", "-o", "a.html"]);
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
}

#[test]
fn script_end_tags_in_notes_cannot_break_the_file() {
    let b = TestBook::new();
    b.note(
        "notes/01-a/01-xss.md",
        "Escaping",
        "## Scripts\n\nWrite `</script><!--` in a template and the page ends early.\n",
    );
    let o = b.run(&["export", "-o", "x.html"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(b.path("x.html")).unwrap();
    let (_, scripts) = split_blocks(&html, "script");
    for s in &scripts {
        assert!(
            !s.to_ascii_lowercase().contains("<!--"),
            "comment opener inside a script"
        );
    }
    assert!(
        scripts.iter().any(|s| s.contains("<\\/script><\\!--")),
        "escaped text missing from the index"
    );
    assert_self_contained(&html);
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shots(name: &str) -> String {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("screenshots")
        .join(name);
    std::fs::create_dir_all(&d).unwrap();
    d.to_string_lossy().into_owned()
}

fn handbook(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(args)
        .output()
        .expect("run handbook")
}

#[test]
fn real_book_export_reads_offline_in_chromium() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("handbook.html");
    let o = handbook(&[
        "export",
        "--root",
        repo().to_str().unwrap(),
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    let html = std::fs::read_to_string(&file).unwrap();
    assert_self_contained(&html);
    assert_eq!(
        html.matches("<article class=\"note\"").count(),
        45,
        "every note in the file"
    );
    crate::common::browser_test(
        "export.test.mjs",
        &[
            "file",
            file.to_str().unwrap(),
            "consistent hashing",
            &shots("export"),
        ],
    );
}

#[test]
fn real_book_build_output_works_from_file_urls() {
    let out = crate::common::real_book_site();
    crate::common::browser_test(
        "export.test.mjs",
        &[
            "site",
            out.to_str().unwrap(),
            "consistent hashing",
            &shots("export-site"),
        ],
    );
}
