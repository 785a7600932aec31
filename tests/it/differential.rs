//! The three ways to a page agree: a one-shot build, the pages `serve` holds after a run of edits
//! (the library's `site::build_with` with one persistent `Cache`, what serve runs), and the
//! export's note bodies against the all-notes page. On the real book and a generated corpus.

use crate::common::{TestBook, copy_tree, stderr, walk};
use handbook::output::Files;
use handbook::settings::{Overrides, Settings};
use handbook::site::{self, Cache};
use handbook::term::Progress;
use std::path::{Path, PathBuf};

/// The book at `root` with `serve`'s settings (reload script on, no site URL).
fn serve_settings(root: &Path) -> Settings {
    let s = Settings::load(root, &Overrides::default()).expect("book.toml");
    handbook::serve::serve_settings(s)
}

/// A one-shot build (`handbook build`'s path: nothing kept) with the given settings.
fn one_shot(settings: &Settings) -> Files {
    let site = site::build_with(settings, &mut Cache::single_build(), &Progress::hidden());
    site.expect("one-shot build").files
}

/// Where two sites differ: missing or extra paths, and the first difference of each page.
fn differences(want: &Files, got: &Files) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in want {
        match got.get(k) {
            None => out.push(format!("{k}: missing")),
            Some(g) if g != v => {
                let at = v.iter().zip(g.iter()).take_while(|(a, b)| a == b).count();
                let show = |b: &[u8]| {
                    let s = at.saturating_sub(60);
                    String::from_utf8_lossy(&b[s..(at + 100).min(b.len())]).into_owned()
                };
                out.push(format!(
                    "{k}: differs at byte {at}\n  one-shot: {}\n  serve:    {}",
                    show(v),
                    show(g)
                ));
            }
            _ => {}
        }
    }
    out.extend(
        got.keys()
            .filter(|k| !want.contains_key(*k))
            .map(|k| format!("{k}: extra")),
    );
    out
}

/// One edit: files to write (or remove, with `None`), relative to the book root.
type Edit = Vec<(String, Option<String>)>;

/// Apply `edits` one after the other, rebuilding with one persistent cache as `serve` does; after
/// each, the cached site must equal a one-shot build of the same sources.
/// With `tell`, each rebuild is told the files the edit wrote, as the watcher tells `serve`'s
/// (so it reads only those); without, it finds them by their modification stamps.
fn serve_matches_one_shot(root: &Path, edits: &[(&str, Edit)], tell: bool) {
    let settings = serve_settings(root);
    let original = one_shot(&settings);
    let mut cache = Cache::default();
    let first = site::build_with(&settings, &mut cache, &Progress::hidden()).expect("first");
    assert_eq!(differences(&original, &first.files), Vec::<String>::new());
    for (what, edit) in edits {
        let mut written = Vec::new();
        for (rel, text) in edit {
            let p = settings.root.join(rel);
            match text {
                Some(t) => {
                    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                    std::fs::write(&p, t).unwrap()
                }
                None => std::fs::remove_file(&p).unwrap(),
            }
            written.push(p);
        }
        if tell {
            cache.changed_since_last_build(&written, true);
        }
        let served = site::build_with(&settings, &mut cache, &Progress::hidden())
            .unwrap_or_else(|e| panic!("after `{what}`: {e:#}"))
            .files;
        let d = differences(&one_shot(&settings), &served);
        assert!(d.is_empty(), "after `{what}`:\n{}", d.join("\n"));
    }
    let served = site::build_with(&settings, &mut cache, &Progress::hidden()).unwrap();
    let d = differences(&original, &served.files);
    assert!(d.is_empty(), "back to the original text:\n{}", d.join("\n"));
}

/// A run of edits on three notes and a section that ends with every file as it was: a body,
/// a title (neighbours, tag pages), tags, a new link (backlinks), a new note, a section title.
fn edit_run(root: &Path) -> Vec<(&'static str, Edit)> {
    let notes = note_files(root);
    let pick = |i: usize| {
        notes[i]
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned()
    };
    let (a, b, c) = (pick(1), pick(notes.len() / 2), pick(notes.len() - 2));
    let read = |rel: &str| std::fs::read_to_string(root.join(rel)).unwrap();
    let (ta, tb, tc) = (read(&a), read(&b), read(&c));
    let section = format!("{}/_section.toml", parent(&b));
    let ts = std::fs::read_to_string(root.join(&section)).ok();
    let link_to_c = format!("\n\nSee also [the other one]({}).\n", relative(&a, &c));
    let titled = ta.replacen("title = \"", "title = \"Edited ", 1);
    let tagged = tc.replacen("tags = [", "tags = [\"differential-tag\", ", 1);
    let extra = format!("{}/999-extra-note.md", parent(&b));
    let extra_text = format!(
        "+++\ntitle = \"Extra Note\"\nlevel = \"beginner\"\nyoe = \"0-2\"\ntags = [\"extra\"]\n+++\n\n## Extra\n\nPoints at [b]({}).\n",
        relative(&extra, &b)
    );
    let set = |rel: &str, t: &str| (rel.to_string(), Some(t.to_string()));
    let mut run: Vec<(&'static str, Edit)> = vec![
        (
            "edit a body",
            vec![set(&b, &format!("{tb}\n\nOne more line.\n"))],
        ),
        ("retitle a note", vec![set(&a, &titled)]),
        ("add a tag", vec![set(&c, &tagged)]),
        (
            "link to another note",
            vec![set(&a, &format!("{titled}{link_to_c}"))],
        ),
        ("add a note", vec![set(&extra, &extra_text)]),
        ("restore the body", vec![set(&b, &tb)]),
        ("remove the note", vec![(extra, None)]),
        ("restore the tags", vec![set(&c, &tc)]),
        ("drop the link, keep the title", vec![set(&a, &titled)]),
        ("restore the title", vec![set(&a, &ta)]),
        (
            "add a stylesheet",
            vec![set("static/zz-extra.css", ".differential { color: red }\n")],
        ),
        (
            "edit a body and the stylesheet",
            vec![
                set(&b, &format!("{tb}\n\nAnother line.\n")),
                set("static/zz-extra.css", ".differential { color: blue }\n"),
            ],
        ),
        ("restore the body again", vec![set(&b, &tb)]),
        (
            "remove the stylesheet",
            vec![("static/zz-extra.css".into(), None)],
        ),
    ];
    if let Some(ts) = ts {
        let renamed = ts.replacen("title = \"", "title = \"Renamed ", 1);
        run.push(("rename a section", vec![set(&section, &renamed)]));
        run.push(("restore the section", vec![set(&section, &ts)]));
    }
    run
}

fn parent(rel: &str) -> String {
    Path::new(rel)
        .parent()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// The link from note `from` to note `to` (both relative to the root), as an author writes it.
fn relative(from: &str, to: &str) -> String {
    let to = Path::new(to);
    if Path::new(from).parent() == to.parent() {
        return to.file_name().unwrap().to_string_lossy().into_owned();
    }
    format!("../{}", to.strip_prefix("notes").unwrap().display())
}

fn note_files(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walk(&root.join("notes"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    out.sort();
    out
}

/// A copy of the repository's own book (the notes, book.toml, theme files).
fn real_book() -> TestBook {
    let b = TestBook::new();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(repo.join("book.toml"), b.path("book.toml")).unwrap();
    for dir in ["notes", "templates", "static"] {
        copy_tree(&repo.join(dir), &b.path(dir));
    }
    b
}

/// A generated book of `n` notes in six sections: headings, code in three languages, links
/// between notes (other sections, anchors), tags from a small pool, a diagram every tenth note.
fn corpus(n: usize) -> TestBook {
    let b = TestBook::new();
    let sections = 6;
    let per = n.div_ceil(sections);
    let path = |i: usize| {
        format!(
            "notes/{:02}-part-{}/{:03}-topic-{i}.md",
            i / per + 1,
            i / per + 1,
            i % per + 1
        )
    };
    for s in 0..sections {
        b.write(
            &format!("notes/{:02}-part-{}/_section.toml", s + 1, s + 1),
            &format!(
                "title = \"Part {}\"\ndescription = \"Generated part.\"\n",
                s + 1
            ),
        );
    }
    let langs = ["rust", "sql", "python"];
    for i in 0..n {
        let tags: Vec<String> = [i % 7, (i * 3) % 11 + 7]
            .iter()
            .map(|t| format!("\"tag-{t}\""))
            .collect();
        let next = (i * 17 + 5) % n;
        let prev = (i + n - 1) % n;
        let mut body = format!(
            "## Overview\n\nTopic {i} builds on [topic {next}]({}) and [its details]({}#details).\n\n",
            relative(&path(i), &path(next)),
            relative(&path(i), &path(prev)),
        );
        body.push_str(&format!(
            "## Details\n\nA paragraph with *emphasis*, `code` and a [local anchor](#overview).\n\n```{}\n{}\n```\n\n",
            langs[i % 3],
            match i % 3 {
                0 => format!("fn topic_{i}() -> u32 {{\n    {i} + 1\n}}"),
                1 => format!("SELECT id, name FROM topic WHERE id = {};", i % 40),
                _ => format!("def topic_{i}():\n    return {i}"),
            }
        ));
        if i % 10 == 0 {
            body.push_str(&format!(
                "```diagram\ntitle: Flow {i}\nClient {{user}}\n↓\nService {i}\n↓\nStore A | Store B\n```\n\n"
            ));
        }
        body.push_str("### Notes\n\n- one\n- two\n");
        b.write(
            &path(i),
            &format!(
                "+++\ntitle = \"Topic {i}\"\nlevel = \"{}\"\nyoe = \"0-2\"\ntags = [{}]\n+++\n\n{body}",
                ["beginner", "intermediate", "advanced"][i % 3],
                tags.join(", ")
            ),
        );
    }
    b
}

#[test]
fn serve_after_edits_equals_a_one_shot_build_of_the_real_book() {
    let b = real_book();
    let run = edit_run(b.root());
    serve_matches_one_shot(b.root(), &run, false);
}

#[test]
fn serve_after_edits_equals_a_one_shot_build_of_300_generated_notes() {
    let b = corpus(300);
    let run = edit_run(b.root());
    serve_matches_one_shot(b.root(), &run, false);
}

/// As `serve` runs: each rebuild told the changed files, reading only those (a new note, a
/// removed one and a section's `_section.toml` make it walk `notes/` again).
#[test]
fn serve_told_what_changed_equals_a_one_shot_build_of_the_real_book_and_300_notes() {
    for b in [real_book(), corpus(300)] {
        let run = edit_run(b.root());
        serve_matches_one_shot(b.root(), &run, true);
    }
}

/// The body of each note (`<article class="note" id=SLUG>`'s `note-body`) in an all-notes page.
fn note_bodies(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<article class=\"note\" id=\"") {
        rest = &rest[i + "<article class=\"note\" id=\"".len()..];
        let slug = rest[..rest.find('"').unwrap()].to_string();
        let open = "<div class=\"note-body prose\">";
        let start = rest.find(open).unwrap() + open.len();
        let end = start + rest[start..].find("</article>").unwrap();
        out.push((slug, rest[start..end].to_string()));
        rest = &rest[end..];
    }
    out
}

/// `handbook build` writes exactly the one-shot site, and `handbook export` carries the same
/// note bodies as the all-notes page.
fn build_and_export_agree(b: &TestBook) {
    b.build_ok();
    let settings = Settings::load(b.root(), &Overrides::default()).unwrap();
    for (k, v) in &one_shot(&settings) {
        let disk = std::fs::read(b.path("public").join(k)).unwrap();
        assert!(disk == **v, "public/{k} differs from the one-shot build");
    }
    let o = b.run(&["export", "-o", "book-export.html"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let export = std::fs::read_to_string(b.path("book-export.html")).unwrap();
    let page = note_bodies(&b.out("index.html"));
    let exported = note_bodies(&export);
    assert!(page.len() >= 45, "{} notes found", page.len());
    assert_eq!(page.len(), exported.len());
    for ((slug, want), (eslug, got)) in page.iter().zip(&exported) {
        assert_eq!(slug, eslug);
        assert!(
            want == got,
            "{slug}: the export's body differs from the page's"
        );
    }
}

#[test]
fn build_and_export_agree_with_the_all_notes_page() {
    build_and_export_agree(&real_book());
    build_and_export_agree(&corpus(300));
}

/// A body edit in `serve` writes again only the search pieces the note's terms fall in: every
/// other piece is the very allocation of the build before (and the whole site still equals a
/// one-shot build, as the tests above check).
#[test]
fn a_body_edit_writes_few_search_pieces_again() {
    let b = corpus(1500);
    let settings = serve_settings(b.root());
    let mut cache = Cache::default();
    let before = site::build_with(&settings, &mut cache, &Progress::hidden()).unwrap();
    let notes = note_files(b.root());
    let target = &notes[notes.len() / 2];
    let text = std::fs::read_to_string(target).unwrap();
    std::fs::write(target, format!("{text}\nA sentence with zebra words.\n")).unwrap();
    cache.changed_since_last_build(std::slice::from_ref(target), true);
    let after = site::build_with(&settings, &mut cache, &Progress::hidden()).unwrap();
    let pieces: Vec<&String> = before
        .files
        .keys()
        .filter(|k| k.starts_with("search-index/"))
        .collect();
    let rewritten: Vec<&&String> = pieces
        .iter()
        .filter(|k| !std::sync::Arc::ptr_eq(&before.files[**k], &after.files[**k]))
        .collect();
    assert!(pieces.len() > 10, "{} pieces", pieces.len());
    assert!(
        !rewritten.is_empty() && rewritten.len() * 3 < pieces.len(),
        "{} of {} pieces rewritten: {rewritten:?}",
        rewritten.len(),
        pieces.len()
    );
    assert_eq!(
        differences(&one_shot(&settings), &after.files),
        Vec::<String>::new()
    );
}
