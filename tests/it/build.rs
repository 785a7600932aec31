//! `handbook build` end to end on small fixture books: order, ids, links, overrides, errors, safety.

use crate::common::{TestBook, fm, stderr, two_section_book};

#[test]
fn orders_by_number_prefix_and_numbers_notes_across_sections() {
    let b = TestBook::new();
    b.write("notes/2-later/_section.toml", "title = \"Later\"\n");
    b.write("notes/10-last/_section.toml", "title = \"Last\"\n");
    b.note("notes/2-later/10-ten.md", "Ten", "## A\n");
    b.note("notes/2-later/2-two.md", "Two", "## A\n");
    b.note("notes/10-last/1-one.md", "One", "## A\n");
    b.build_ok();
    let index = b.out("index.html");
    assert!(index.contains("All 3 notes on one page"));
    let pos = |s: &str| index.find(s).unwrap_or_else(|| panic!("{s} missing"));
    assert!(pos("id=\"two\"") < pos("id=\"ten\"") && pos("id=\"ten\"") < pos("id=\"one\""));
    assert!(pos("Later") < pos("Last"));
    assert!(index.contains("Note 1<") && index.contains("Note 3<"));
    let one = b.out("one.html");
    assert!(
        one.contains("Note 3"),
        "number is computed over the whole book"
    );
    assert!(one.contains("href=\"ten.html\""), "previous link");
}

#[test]
fn all_notes_page_namespaces_heading_and_footnote_ids() {
    let b = two_section_book();
    b.build_ok();
    let index = b.out("index.html");
    for id in [
        "first--overview",
        "first--overview-1",
        "second--details",
        "first--fn:1",
        "first--fnref:1",
    ] {
        assert!(index.contains(&format!("id=\"{id}\"")), "{id} missing");
    }
    let ids: Vec<&str> = index
        .split(" id=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    let mut seen = std::collections::HashSet::new();
    for id in &ids {
        assert!(seen.insert(id), "id {id} repeated on the all-notes page");
    }
    let first = b.out("first.html");
    assert!(first.contains("id=\"overview\"") && first.contains("id=\"overview-1\""));
    // One outline per page: on a note page its `##` is an h2 under the h1 title; on the
    // all-notes page it is an h4, under the part's h2 and the note title's h3.
    assert!(first.contains("<h2 id=\"overview\">") && first.contains("<h1"));
    assert!(
        index.contains("<h4 id=\"first--overview\">"),
        "note heading on the all-notes page"
    );
    assert!(
        index.contains("<h3 class=\"note-title\">")
            && index.contains("<h2 class=\"section-title\"")
    );
    assert!(!index.contains("<h2 id=\"first--"));
}

#[test]
fn links_between_notes_are_rewritten_for_each_view() {
    let b = two_section_book();
    b.build_ok();
    let index = b.out("index.html");
    assert!(
        index.contains("href=\"#second--details\""),
        "anchor on the all-notes page"
    );
    assert!(
        index.contains("href=\"#first\""),
        "note link without fragment"
    );
    assert!(
        index.contains("href=\"#first--overview\""),
        "same-note anchor"
    );
    let first = b.out("first.html");
    assert!(first.contains("href=\"second.html#details\""));
    assert!(first.contains("href=\"#overview\""));
    let second = b.out("second.html");
    assert!(second.contains("href=\"first.html\""));
    assert!(
        second.contains("href=\"index.html#second\""),
        "link back to its place"
    );
    assert!(!index.contains(".md\""), "no .md links left");
}

#[test]
fn per_note_page_has_toc_prev_next_and_tags() {
    let b = two_section_book();
    b.build_ok();
    let second = b.out("second.html");
    assert!(second.contains("rel=\"prev\" href=\"first.html\""));
    assert!(!second.contains("rel=\"next\""));
    assert!(
        b.out("first.html").contains("href=\"#details\"")
            || b.out("second.html").contains("href=\"#details\"")
    );
    assert!(second.contains("tags/alpha.html"));
    let tag = b.out("tags/alpha.html");
    assert!(tag.contains("href=\"../first.html\"") && tag.contains("href=\"../second.html\""));
    assert!(b.out("404.html").contains("Page not found"));
    assert!(
        !b.path("public/sitemap.xml").exists(),
        "no sitemap without a site URL (its URLs must be absolute)"
    );
    assert!(b.path("public/.nojekyll").exists());
}

#[test]
fn edit_links_point_at_each_notes_source_when_an_edit_url_is_set() {
    let b = two_section_book();
    b.build_ok();
    assert!(
        !b.out("first.html").contains("note-edit"),
        "none without edit-url"
    );
    b.write(
        "book.toml",
        "[book]\ntitle = \"Test Book\"\nedit-url = \"https://example.org/you/book/edit/main/{path}\"\n",
    );
    b.build_ok();
    let href = |path: &str| {
        format!("<a class=\"note-edit\" href=\"https://example.org/you/book/edit/main/{path}\"")
    };
    let first = b.out("first.html");
    let want = format!("{}>Edit this note</a>", href("notes/01-basics/01-first.md"));
    assert!(first.contains(&want), "{want}\n{first}");
    let index = b.out("index.html");
    for (path, title) in [
        ("notes/01-basics/01-first.md", "First Note"),
        ("notes/02-more/02-second.md", "Second Note"),
    ] {
        let want = format!("{} aria-label=\"Edit {title}\">Edit</a>", href(path));
        assert!(index.contains(&want), "{want}");
    }
    assert!(
        !b.out("tags/alpha.html").contains("note-edit"),
        "not in lists"
    );
}

#[test]
fn note_pages_list_the_notes_that_link_to_them_and_follow_edits() {
    let b = two_section_book();
    b.note(
        "notes/02-more/03-third.md",
        "Third Note",
        "See [first](../01-basics/01-first.md), [again](../01-basics/01-first.md#overview) and [me](03-third.md).\n",
    );
    b.build_ok();
    let backlinks = |page: &str| -> Vec<String> {
        let html = b.out(page);
        let Some(start) = html.find("<aside class=\"backlinks\"") else {
            return Vec::new();
        };
        let aside = &html[start..start + html[start..].find("</aside>").unwrap()];
        aside
            .split("<li><a href=\"")
            .skip(1)
            .map(|li| li[..li.find('"').unwrap()].to_string())
            .collect()
    };
    // Once per linking note, in book order; a note's link to itself does not count.
    assert_eq!(backlinks("first.html"), ["second.html", "third.html"]);
    assert_eq!(backlinks("second.html"), ["first.html"]);
    assert!(backlinks("third.html").is_empty());
    assert!(!b.out("third.html").contains("Notes that link here"));

    // `serve` rebuilds with a cache: a page is composed again when a new link points at it.
    let out = tempfile::tempdir().unwrap();
    let settings = handbook::settings::Settings::load(
        b.root(),
        &handbook::settings::Overrides {
            output: Some(out.path().to_path_buf()),
            ..Default::default()
        },
    )
    .unwrap();
    let mut cache = handbook::site::Cache::default();
    let page = |cache: &mut handbook::site::Cache, path: &str| {
        let site =
            handbook::site::build_with(&settings, cache, &handbook::term::Progress::hidden())
                .unwrap();
        String::from_utf8(site.files[path].to_vec()).unwrap()
    };
    assert!(!page(&mut cache, "third.html").contains("Notes that link here"));
    // The new link changes nothing the linking note shows elsewhere (intro, headings, title).
    b.note(
        "notes/02-more/04-fourth.md",
        "Fourth Note",
        "Intro.\n\n## More\n\nText.\n",
    );
    assert!(!page(&mut cache, "third.html").contains("Notes that link here"));
    b.note(
        "notes/02-more/04-fourth.md",
        "Fourth Note",
        "Intro.\n\n## More\n\nText and [third](03-third.md).\n",
    );
    let third = page(&mut cache, "third.html");
    let want = "<li><a href=\"fourth.html\"><span class=\"num\">4</span> Fourth Note</a></li>";
    assert!(third.contains(want), "{third}");
}

#[test]
fn each_note_shows_its_reading_time_from_prose_words_only() {
    let b = TestBook::new();
    b.write("notes/01-a/_section.toml", "title = \"A\"\n");
    // 500 words of prose (2.3 minutes at 220 a minute: 3), then 1,000 words of code.
    let prose = "word ".repeat(250);
    let code = "token ".repeat(1000);
    b.note(
        "notes/01-a/01-long.md",
        "Long",
        &format!("{prose}\n\n## Part\n\n- {prose}\n\n```text\n{code}\n```\n"),
    );
    b.note(
        "notes/01-a/02-short.md",
        "Short",
        "Five words and no more.\n",
    );
    b.build_ok();
    assert!(
        b.out("long.html")
            .contains(r#"<span class="note-time">3 min read</span>"#)
    );
    assert!(
        b.out("short.html")
            .contains(r#"<span class="note-time">1 min read</span>"#)
    );
    let index = b.out("index.html");
    assert!(index.contains(r#"<span class="note-time">3 min read</span>"#));
    assert!(index.contains(r#"<span class="note-time">1 min read</span>"#));
}

#[test]
fn a_top_level_heading_in_a_body_is_shown_one_level_down_with_a_warning() {
    let b = TestBook::new();
    b.write("notes/01-a/_section.toml", "title = \"A\"\n");
    b.note(
        "notes/01-a/01-t.md",
        "Title",
        "# Big\n\nText.\n\n## Sub\n\n##\n\nMore.\n",
    );
    let o = b.build_ok();
    let e = stderr(&o);
    assert!(
        e.contains("notes/01-a/01-t.md:8:1: warning: `#` heading in a note body"),
        "{e}"
    );
    assert!(
        e.contains("notes/01-a/01-t.md:14:1: warning: empty heading"),
        "{e}"
    );
    let page = b.out("t.html");
    assert_eq!(page.matches("<h1").count(), 1, "one h1, the title");
    assert!(page.contains("<h2 id=\"big\">Big"), "{page}");
    // On the all-notes page it sits under the note title (h3), like the note's other sections.
    assert!(b.out("index.html").contains("<h4 id=\"t--big\">Big"));
}

#[test]
fn markdown_files_below_a_section_folder_are_named_as_not_built() {
    let b = two_section_book();
    let note = std::fs::read_to_string(b.path("notes/01-basics/01-first.md")).unwrap();
    b.write("notes/01-basics/extra/03-deep.md", &note);
    b.write("notes/01-basics/_drafts/04-later.md", &note);
    b.write("notes/01-basics/img/pic.png", "png");
    let o = b.build_ok();
    let e = stderr(&o);
    assert!(
        e.contains("notes/01-basics/extra/03-deep.md: warning: not built: notes sit directly in a section folder"),
        "{e}"
    );
    assert!(
        !e.contains("04-later"),
        "a `_` folder is left out quietly: {e}"
    );
    assert!(e.contains("built 2 notes"), "{e}");
}

#[test]
fn a_site_url_that_is_not_a_web_address_is_refused() {
    let b = two_section_book();
    let o = b.run(&["build", "--site-url", "my site/"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--site-url `my site`: give the address the site is served at"),
        "{}",
        stderr(&o)
    );
    b.write(
        "book.toml",
        "[book]\ntitle = \"Test Book\"\n[build]\nsite-url = \"user.github.io/book\"\n",
    );
    let o = b.run(&["build"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("book.toml:4:1: error: site-url: give the address"),
        "{}",
        stderr(&o)
    );
    assert!(!b.path("public").exists(), "nothing written");
    // The flag, when valid, wins over the file.
    let o = b.run(&["build", "--site-url", "https://user.github.io/book/"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn relative_images_work_in_both_views() {
    let b = TestBook::new();
    b.write(
        "notes/01-s/img/pic.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    b.write(
        "static/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    b.note(
        "notes/01-s/01-a.md",
        "A",
        "![pic](img/pic.svg) ![logo](../../static/logo.svg)\n",
    );
    b.build_ok();
    assert!(b.path("public/notes/01-s/img/pic.svg").exists());
    assert!(b.path("public/logo.svg").exists());
    for page in ["index.html", "a.html"] {
        let html = b.out(page);
        assert!(html.contains("src=\"notes/01-s/img/pic.svg\""), "{page}");
        assert!(html.contains("src=\"logo.svg\""), "{page}");
    }
}

#[test]
fn book_templates_and_static_files_replace_builtin_ones() {
    let b = two_section_book();
    b.write("templates/note.html", "<p>custom {{ note.title }}</p>");
    b.write("static/style.css", "/* mine */");
    b.build_ok();
    assert_eq!(b.out("first.html"), "<p>custom First Note</p>");
    assert_eq!(b.out("style.css"), "/* mine */");
    assert!(
        b.out("index.html").contains("All 2 notes"),
        "other templates stay built in"
    );
}

#[test]
fn templates_are_autoescaped() {
    let b = TestBook::new();
    b.write(
        "notes/01-s/01-a.md",
        &fm("A <b>bold</b> & co").replace("\n\n", "\n\nBody\n"),
    );
    b.build_ok();
    let html = b.out("a.html");
    assert!(
        html.contains("A &lt;b&gt;bold&lt;&#x2F;b&gt; &amp; co")
            || html.contains("A &lt;b&gt;bold&lt;/b&gt; &amp; co")
    );
}

#[test]
fn drafts_are_built_only_when_asked() {
    let b = TestBook::new();
    b.note("notes/01-s/01-a.md", "A", "x\n");
    b.write(
        "notes/01-s/02-b.md",
        &fm("B").replace("+++\n\n", "draft = true\n+++\n\n"),
    );
    b.build_ok();
    assert!(!b.path("public/b.html").exists());
    let o = b.run(&["build", "--drafts"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(b.path("public/b.html").exists());
}

#[test]
fn content_errors_are_collected_with_file_and_line() {
    let b = TestBook::new();
    b.write(
        "book.toml",
        "[book]\ntitle = \"Test Book\"\n[notes]\nrequire = [\"level\", \"yoe\", \"tags\"]\n",
    );
    b.write("notes/01-s/01-a.md", &fm("A").replace("beginner", "expert"));
    b.write("notes/01-s/02-b.md", &fm("B").replace("0-2", "many"));
    b.write("notes/01-s/03-c.md", "## no front matter\n");
    b.write("notes/01-s/04-d.md", &fm("D").replace("tags", "tagz"));
    let e = b.build_fails();
    assert!(e.contains("notes/01-s/01-a.md:3:1: error: unknown level `expert`; allowed: beginner, intermediate, advanced"), "{e}");
    assert!(
        e.contains("notes/01-s/02-b.md:4:1: error: malformed yoe `many`"),
        "{e}"
    );
    assert!(
        e.contains("notes/01-s/03-c.md:1:1: error: missing front matter"),
        "{e}"
    );
    assert!(
        e.contains("notes/01-s/04-d.md:5:1: error: unknown key `tagz`")
            && e.contains("did you mean `tags`?"),
        "{e}"
    );
    assert!(e.contains("build failed: 4 errors"), "{e}");
}

#[test]
fn duplicate_slugs_name_both_files() {
    let b = TestBook::new();
    b.note("notes/01-s/01-same.md", "A", "x\n");
    b.note("notes/02-t/05-same.md", "B", "x\n");
    let e = stderr(&b.run(&["build"]));
    assert!(
        e.contains("notes/02-t/05-same.md")
            && e.contains("notes/01-s/01-same.md")
            && e.contains("duplicate slug `same`"),
        "{e}"
    );
}

#[test]
fn non_utf8_empty_book_and_missing_config_are_errors() {
    let b = TestBook::new();
    b.write("notes/01-s/.keep", "");
    let e = stderr(&b.run(&["build"]));
    assert!(e.contains("the book has no notes"), "{e}");

    let p = b.path("notes/01-s/01-bad.md");
    let mut bytes = fm("Bad").into_bytes();
    bytes.extend_from_slice(b"ok\n\xff\xfe broken\n");
    std::fs::write(&p, bytes).unwrap();
    let e = stderr(&b.run(&["build"]));
    assert!(
        e.contains("notes/01-s/01-bad.md:9:1: error: the file is not valid UTF-8"),
        "{e}"
    );

    std::fs::remove_file(b.path("book.toml")).unwrap();
    let o = b.run(&["build"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("cannot read book.toml"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn unknown_config_key_suggests_the_nearest() {
    let b = two_section_book();
    b.write(
        "book.toml",
        "[book]\ntitle = \"T\"\n[build]\noutput_dir = \"x\"\n",
    );
    let e = stderr(&b.run(&["build"]));
    assert!(
        e.contains("book.toml:4:1: error: unknown key `output_dir`")
            && e.contains("did you mean `output-dir`?"),
        "{e}"
    );
}

#[test]
fn template_error_names_the_template() {
    let b = two_section_book();
    b.write("templates/note.html", "{{ note.nope | upper }}");
    let o = b.run(&["build"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("templates/note.html"), "{}", stderr(&o));
}

#[test]
fn a_failed_build_keeps_the_previous_site() {
    let b = two_section_book();
    b.build_ok();
    let before = b.out("index.html");
    b.write("notes/01-basics/01-first.md", "broken");
    assert!(!b.run(&["build"]).status.success());
    assert_eq!(b.out("index.html"), before);
    b.assert_no_staging_left();
}

#[test]
fn a_rebuild_links_unchanged_pages_and_rewrites_changed_or_tampered_ones() {
    use std::os::unix::fs::MetadataExt;
    let b = two_section_book();
    b.build_ok();
    let meta = |rel: &str| std::fs::metadata(b.path("public").join(rel)).unwrap();
    let (first, second) = (meta("first.html"), meta("second.html"));
    // A page edited by hand in the output is not trusted: it is written again.
    std::fs::write(b.path("public").join("404.html"), "edited by hand").unwrap();
    let text = std::fs::read_to_string(b.path("notes/01-basics/01-first.md")).unwrap();
    b.write(
        "notes/01-basics/01-first.md",
        &text.replace("## Overview", "## Overview\n\nA new line."),
    );
    b.build_ok();
    assert_eq!(
        meta("second.html").ino(),
        second.ino(),
        "an unchanged page keeps its file (and its modification time)"
    );
    assert_eq!(meta("second.html").mtime_nsec(), second.mtime_nsec());
    assert_ne!(
        meta("first.html").ino(),
        first.ino(),
        "a changed page is new"
    );
    assert!(b.out("first.html").contains("A new line."));
    assert!(
        b.out("404.html").contains("<html"),
        "the hand edit was replaced"
    );
}

#[test]
fn refuses_dangerous_output_folders() {
    let b = two_section_book();
    for (out, msg) in [
        (".", "is the book root"),
        ("..", "contains the book"),
        ("notes/..", "is the book root"),
    ] {
        let e = stderr(&b.run(&["build", "--output", out]));
        assert!(e.contains(msg), "{out}: {e}");
    }
    b.write("mine/keep.txt", "precious");
    let e = stderr(&b.run(&["build", "--output", "mine"]));
    assert!(e.contains("was not written by handbook"), "{e}");
    assert!(b.path("mine/keep.txt").exists());
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("site");
    let e = stderr(&b.run(&["build", "--output", target.to_str().unwrap()]));
    assert!(
        e.contains("outside the book") && e.contains("--force"),
        "{e}"
    );
    let o = b.run(&["build", "--force", "--output", target.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(target.join("index.html").exists());

    // A file named as the output folder stays where it is, even with --force.
    b.write("README.md", "mine");
    let o = b.run(&["build", "--force", "--output", "README.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is a file; choose a folder"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(b.path("README.md")).unwrap(),
        "mine"
    );

    // The folders the build reads, and a repository, stay even with --force.
    b.write("templates/keep.txt", "mine");
    b.write(".git/HEAD", "ref: refs/heads/main\n");
    for out in ["notes", "notes/site", "templates", "static/out", ".git"] {
        let o = b.run(&["build", "--force", "--output", out]);
        assert_eq!(o.status.code(), Some(2), "{out}");
        let e = stderr(&o);
        let why = if out == ".git" {
            "which holds the repository"
        } else {
            "which the build reads"
        };
        assert!(e.contains(why), "{out}: {e}");
    }
    assert!(b.path("notes/01-basics/01-first.md").exists());
    assert!(b.path("templates/keep.txt").exists());
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir(repo.path().join(".git")).unwrap();
    std::fs::write(repo.path().join("README.md"), "mine").unwrap();
    let e = stderr(&b.run(&[
        "build",
        "--force",
        "--output",
        repo.path().to_str().unwrap(),
    ]));
    assert!(e.contains("holds a .git folder"), "{e}");
    assert!(repo.path().join("README.md").exists());
    b.assert_no_staging_left();
}

#[test]
fn broken_links_warn_and_fail_with_strict() {
    let b = two_section_book();
    b.note(
        "notes/02-more/03-third.md",
        "Third",
        "See [nothing](../01-basics/01-frist.md) and [gone](01-first.md#nope).\n",
    );
    let o = b.build_ok();
    let e = stderr(&o);
    assert!(
        e.contains("notes/02-more/03-third.md:8:5: warning: broken link [nothing]"),
        "{e}"
    );
    assert!(e.contains("did you mean ../01-basics/01-first.md?"), "{e}");
    let before = b.out("index.html");
    let o = b.run(&["build", "--strict"]);
    assert!(!o.status.success());
    // The staging folder is written while links are checked; a strict failure discards it.
    assert_eq!(b.out("index.html"), before, "previous site kept");
    b.assert_no_staging_left();
}

/// The repository's own book: every relative link and fragment resolves, no id repeats.
#[test]
fn the_books_own_output_has_no_broken_links_or_repeated_ids() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let settings = handbook::settings::Settings::load(root, &Default::default()).unwrap();
    let site = handbook::site::build(&settings).unwrap();
    assert!(site.book.notes.len() >= 45, "the book has all its notes");
    let problems = handbook::check::internal(&settings, &site.book, &site.rendered, &site.files);
    assert!(
        problems.is_empty(),
        "{}",
        problems
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(site.warnings.is_empty(), "{:?}", site.warnings);
}

/// `tags/index.html` is the list of every tag; a tag named "index" gets a page of its own
/// beside it instead of being overwritten by the list, and its links go there.
#[test]
fn a_tag_named_index_keeps_its_page() {
    let b = TestBook::two_sections();
    b.write(
        "notes/01-basics/03-indexing.md",
        "+++\ntitle = \"Indexing\"\nlevel = \"beginner\"\nyoe = \"0-2\"\ntags = [\"Index\", \"alpha\"]\n+++\n\nB-trees.\n",
    );
    b.build_ok();
    let tag = b.out("tags/index--tag.html");
    assert!(tag.contains("Indexing"), "{tag}");
    let list = b.out("tags/index.html");
    assert!(list.contains("index--tag.html"), "{list}");
    assert!(b.out("indexing.html").contains("tags/index--tag.html"));
    let o = b.run(&["check"]);
    assert!(o.status.success(), "{}", crate::common::stdout(&o));
}

/// A book's static file at a generated page's path (the all-notes page, a note's page, the
/// search index's manifest) loses to the page, in `build` as in `serve` and `export`, even though
/// the build writes its pages before the static files.
#[test]
fn generated_pages_win_over_static_files_at_their_paths() {
    let b = two_section_book();
    b.write("static/index.html", "<p>my own landing page</p>");
    b.write("static/search-index.js", "var mine = 1;");
    b.write("static/kept.html", "<p>kept</p>");
    b.build_ok();
    assert!(
        b.out("index.html").contains("<article"),
        "{}",
        b.out("index.html")
    );
    assert!(b.out("search-index.js").contains("HANDBOOK_SEARCH_INDEX"));
    assert_eq!(b.out("kept.html"), "<p>kept</p>");
}
