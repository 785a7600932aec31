//! Bringing books over: optional front matter, includes, redirects, and `handbook import` of
//! an mdBook, an Obsidian vault and a Docusaurus folder, each built and checked afterwards.

use crate::common::{TestBook, stderr, write_file};
use std::path::Path;
use std::process::{Command, Output};

fn handbook(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(args)
        .current_dir(dir)
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("run handbook")
}

fn ok(o: Output) -> Output {
    assert!(
        o.status.success(),
        "failed:\n{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        stderr(&o)
    );
    o
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Every file below `dir` with its bytes, to prove a folder was not written to.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_book_without_front_matter_builds_and_hides_filters_and_badges() {
    let b = TestBook::new();
    b.write(
        "notes/01-start/01-hello.md",
        "# Hello There\n\nPlain text.\n",
    );
    b.write(
        "notes/01-start/02-titled.md",
        "+++\ntitle = \"Titled\"\n+++\n\nMore.\n",
    );
    b.build_ok();
    let index = read(&b.path("public/index.html"));
    assert!(!index.contains("class=\"filters\""), "no facet has data");
    assert!(!index.contains("note-meta"), "no badges without data");
    let hello = read(&b.path("public/hello.html"));
    assert!(hello.contains("<h1 class=\"note-title\">Hello There</h1>"));
    assert_eq!(
        hello.matches("Hello There</h").count(),
        1,
        "heading became the title"
    );

    // Tags alone: the tag facet shows, level and experience stay hidden.
    b.write(
        "notes/01-start/02-titled.md",
        "+++\ntitle = \"Titled\"\ntags = [\"x\"]\n+++\n\nMore.\n",
    );
    b.build_ok();
    let index = read(&b.path("public/index.html"));
    assert!(index.contains("class=\"filters\""));
    assert!(index.contains("data-facet=\"level\" hidden"));
    assert!(index.contains("data-facet=\"yoe\" hidden"));
    assert!(!index.contains("data-facet=\"tags\" hidden"));
}

#[test]
fn notes_require_lists_the_keys_a_book_insists_on() {
    let b = TestBook::new();
    b.write(
        "book.toml",
        "[book]\ntitle = \"T\"\n[notes]\nrequire = [\"level\", \"yoe\", \"tags\"]\n",
    );
    b.write(
        "notes/01-a/01-x.md",
        "+++\ntitle = \"X\"\nlevel = \"beginner\"\n+++\n\nText.\n",
    );
    b.write("notes/01-a/02-y.md", "# Y\n\nNo front matter.\n");
    let e = b.build_fails();
    assert!(
        e.contains("notes/01-a/01-x.md:1:1") && e.contains("lacks `yoe`, `tags`"),
        "{e}"
    );
    assert!(
        e.contains("notes/01-a/02-y.md:1:1") && e.contains("missing front matter"),
        "{e}"
    );
    b.write("book.toml", "[notes]\nrequire = [\"levels\"]\n");
    let e = stderr(&b.run(&["build"]));
    assert!(
        e.contains("book.toml:2") && e.contains("allowed: title, level"),
        "{e}"
    );
}

#[test]
fn includes_expand_like_mdbook_and_errors_name_file_and_line() {
    let b = TestBook::new();
    b.write(
        "listings/main.rs",
        "# use std::fmt;\n// ANCHOR: body\nfn main() {\n    println!(\"anchor text\");\n}\n// ANCHOR_END: body\nfn last_line() {}\n",
    );
    b.write(
        "notes/01-a/parts/intro.md",
        "Included *prose* with {{#include ../../../listings/main.rs:7}}.\n",
    );
    b.write(
        "notes/01-a/01-x.md",
        "{{#title Custom Title}}\n\n{{#include parts/intro.md}}\n\n```rust\n{{#include ../../listings/main.rs:body}}\n```\n\n```text\n{{#rustdoc_include ../../listings/main.rs::3}}\n```\n\n```text\n{{#include ../../listings/main.rs:1:1}}\n```\n\n\\{{#include not/expanded.rs}}\n",
    );
    let o = b.build_ok();
    assert!(stderr(&o).contains("0 warnings"), "{}", stderr(&o));
    let page = read(&b.path("public/x.html"));
    assert!(page.contains("Custom Title</h1>"));
    assert!(page.contains("<em>prose</em>") && page.contains("fn last_line() {}."));
    assert!(page.contains("anchor text") && !page.contains("ANCHOR"));
    // rustdoc_include drops the hidden `# use` line; include keeps it.
    assert_eq!(page.matches("std::fmt").count(), 1, "{page}");
    assert!(page.contains("{{#include not/expanded.rs}}"));
    // Search sees included text.
    assert!(b.search_text().contains("last_line"));

    for (include, says) in [
        (
            "{{#include missing.rs}}",
            "cannot read notes/01-a/missing.rs",
        ),
        (
            "{{#include ../../listings/main.rs:nope}}",
            "no anchor `nope`",
        ),
        (
            "{{#include ../../listings/main.rs:5:9}}",
            "outside the file (it has 7 lines)",
        ),
        (
            "{{#include ../../../outside.rs}}",
            "leaves the book's folder",
        ),
        (
            "{{#include 01-x.md}}",
            "include cycle: notes/01-a/01-x.md -> notes/01-a/01-x.md",
        ),
    ] {
        b.write("notes/01-a/01-x.md", &format!("# X\n\nText\n{include}\n"));
        let o = b.run(&["build"]);
        assert!(!o.status.success(), "{include}");
        let e = stderr(&o);
        assert!(
            e.contains("notes/01-a/01-x.md:4:1") && e.contains(says),
            "{include}: {e}"
        );
    }
    b.write("notes/01-a/01-x.md", "# X\n\n{{#include parts/loop.md}}\n");
    b.write("notes/01-a/parts/loop.md", "again {{#include loop.md}}\n");
    let e = stderr(&b.run(&["build"]));
    assert!(
        e.contains("notes/01-a/parts/loop.md:1:1") && e.contains("include cycle"),
        "{e}"
    );
    // Lines after an include are reported where they are in the note's own file.
    b.write(
        "notes/01-a/01-x.md",
        "# X\n\n```rust\n{{#include ../../listings/main.rs}}\n```\n\n```nolang\nx\n```\n",
    );
    let e = stderr(&b.build_ok());
    assert!(
        e.contains("notes/01-a/01-x.md:7:1") && e.contains("unknown code language `nolang`"),
        "{e}"
    );
}

#[test]
fn redirects_write_pages_at_old_paths() {
    let b = TestBook::new();
    b.write(
        "book.toml",
        "[book]\ntitle = \"T\"\n[redirects]\n\"old/page.html\" = \"x.html#part\"\n\"gone.html\" = \"https://example.org/\"\n",
    );
    b.write("notes/01-a/01-x.md", "# X\n\n## Part\n\nText.\n");
    b.build_ok();
    let page = read(&b.path("public/old/page.html"));
    assert!(page.contains("url=../x.html#part") && page.contains("href=\"../x.html#part\""));
    assert!(read(&b.path("public/gone.html")).contains("https://example.org/"));
    ok(b.run(&["check"]));
    b.write("book.toml", "[redirects]\n\"x.html\" = \"y.html\"\n");
    let e = stderr(&b.run(&["build"]));
    assert!(
        e.contains("[redirects] \"x.html\"") && e.contains("already has a page"),
        "{e}"
    );
}

/// An mdBook using every SUMMARY.md form and every include form.
fn write_mdbook(root: &Path) {
    let w = |rel: &str, text: &str| write_file(root, rel, text);
    w(
        "book/book.toml",
        "[book]\ntitle = \"Fixture Book\"\nauthors = [\"A. Writer\"]\nsrc = \"src\"\n\n[output.html]\nadditional-css = [\"custom.css\"]\ngit-repository-url = \"https://example.org/repo\"\n\n[output.html.redirect]\n\"/old/start.html\" = \"../guide/one.html#setup\"\n\n[preprocessor.mermaid]\ncommand = \"mdbook-mermaid\"\n",
    );
    w(
        "book/src/SUMMARY.md",
        "# Summary\n\n[Introduction](README.md)\n\n# Guide\n\n- [One](guide/one.md)\n    - [One A](guide/one-a.md)\n        - [Deep](guide/deep.md)\n    - [Later]()\n\n---\n\n# Reference\n\n1. [Two](ref/two.md)\n\n-----------\n\n[Thanks](thanks.md)\n",
    );
    w(
        "book/src/README.md",
        "# Introduction\n\nStart with [one](guide/one.md#setup).\n\n![logo](img/logo.png)\n",
    );
    w("book/src/img/logo.png", "not really a png");
    w(
        "book/src/guide/one.md",
        "# One\n\n## Setup\n\n```rust\n{{#include ../../../examples/hello.rs:main}}\n```\n\n```rust\n{{#rustdoc_include ../../../examples/hello.rs}}\n```\n\n{{#playground ../../../examples/hello.rs}}\n\nSee [two](../ref/two.html) and [the site](https://example.org/).\n\n<img class=\"right\" src=\"../img/logo.png\" alt=\"logo\"> <a href=\"../thanks.md\">raw link</a>\n",
    );
    w(
        "examples/hello.rs",
        "# fn hidden_helper() {}\n// ANCHOR: main\nfn main() {\n    println!(\"hi\");\n}\n// ANCHOR_END: main\n",
    );
    w(
        "book/src/guide/one-a.md",
        "# One A\n\n{{#include snippet.md}}\n\n```text\n{{#include ../data.txt:2:3}}\n```\n",
    );
    w(
        "book/src/guide/snippet.md",
        "A snippet: {{#include ../data.txt:1}}.\n",
    );
    w("book/src/data.txt", "first\nsecond\nthird\nfourth\n");
    w(
        "book/src/guide/deep.md",
        "# Deep\n\nFrom [One A](one-a.md). Lines: {{#include ../data.txt:4:}} and {{#include ../data.txt::1}}.\n",
    );
    w(
        "book/src/ref/two.md",
        "# Two\n\nBack to the [intro](../README.md) and [deep](../guide/deep.md).\n\n# Second top heading\n\n[Ref link][r].\n\n[r]: ../thanks.md\n",
    );
    w("book/src/thanks.md", "# Thanks\n\nThanks to all.\n");
}

#[test]
fn an_mdbook_imports_builds_and_checks_clean() {
    let tmp = tempfile::tempdir().unwrap();
    write_mdbook(tmp.path());
    let before = snapshot(tmp.path());
    let o = ok(handbook(
        tmp.path(),
        &["import", "mdbook", "book", "-o", "new"],
    ));
    let report = stderr(&o);
    assert_eq!(
        snapshot(&tmp.path().join("book")),
        {
            let mut b = before.clone();
            b.retain(|(p, _)| p.contains("/book/"));
            b
        },
        "the source is never written to"
    );
    assert!(
        report.contains("imported 7 chapters (1 drafts), 8 includes"),
        "{report}"
    );
    assert!(report.contains("additional-css"), "{report}");
    assert!(report.contains("[preprocessor.mermaid]"), "{report}");
    assert!(
        report.contains("guide/one.md:13: {{#playground}}"),
        "{report}"
    );
    assert!(
        report.contains("SUMMARY.md:10: draft chapter \"Later\""),
        "{report}"
    );

    let new = tmp.path().join("new");
    let names: Vec<String> = walkdir::WalkDir::new(new.join("notes"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && !e.path().to_string_lossy().contains("_files"))
        .map(|e| e.path().strip_prefix(&new).unwrap().display().to_string())
        .collect();
    assert_eq!(
        names,
        // (listed by file name: the prefix chapter is note 1 of the untitled first section)
        [
            "notes/01-guide/01-one.md",
            "notes/01-guide/02-one-a.md",
            "notes/01-guide/03-deep.md",
            "notes/01-guide/04-later.md",
            "notes/01-guide/_section.toml",
            "notes/01-introduction.md",
            "notes/02-reference/01-two.md",
            "notes/02-reference/_section.toml",
            "notes/03-appendix/01-thanks.md",
            "notes/03-appendix/_section.toml",
        ]
    );
    let deep = read(&new.join("notes/01-guide/03-deep.md"));
    assert!(deep.starts_with("+++\ntitle = \"Deep\"\n+++\n"), "{deep}");
    assert!(deep.contains("*Part of [One A](02-one-a.md).*"), "{deep}");
    assert!(
        deep.contains("{{#include ../_files/data.txt:4:}}"),
        "{deep}"
    );
    let one = read(&new.join("notes/01-guide/01-one.md"));
    assert!(
        one.contains("{{#include ../_files/_outside/hello.rs:main}}"),
        "{one}"
    );
    assert!(one.contains("[two](../02-reference/01-two.md)"), "{one}");
    let two = read(&new.join("notes/02-reference/01-two.md"));
    assert!(
        two.contains("## Second top heading") && two.contains("[r]: ../03-appendix/01-thanks.md"),
        "{two}"
    );
    let toml = read(&new.join("book.toml"));
    assert!(toml.contains("\"guide/one.html\" = \"one.html\""), "{toml}");
    assert!(
        toml.contains("\"old/start.html\" = \"one.html#setup\""),
        "{toml}"
    );
    assert!(!toml.contains("\"index.html\""), "{toml}");

    let o = ok(handbook(&new, &["build"]));
    assert!(stderr(&o).contains("0 warnings"), "{}", stderr(&o));
    ok(handbook(&new, &["check"]));
    let page = read(&new.join("public/one.html"));
    assert!(page.contains("println!") && page.contains("hidden_helper"));
    assert_eq!(
        page.matches("hidden_helper").count(),
        1,
        "rustdoc_include hides it"
    );
    let deep = read(&new.join("public/deep.html"));
    assert!(deep.contains("fourth") && deep.contains("first"));
    assert!(read(&new.join("public/one-a.html")).contains("A snippet: first."));
    assert!(read(&new.join("public/guide/one.html")).contains("url=../one.html"));
    assert!(read(&new.join("public/old/start.html")).contains("url=../one.html#setup"));
    assert!(
        new.join("public/_files/img/logo.png").is_file()
            || read(&new.join("public/introduction.html")).contains("_files/img/logo.png")
    );

    // A second import into the same folder needs --force; into the source, never.
    let e = stderr(&handbook(
        tmp.path(),
        &["import", "mdbook", "book", "-o", "new"],
    ));
    assert!(e.contains("is not empty") && e.contains("--force"), "{e}");
    ok(handbook(
        tmp.path(),
        &["import", "mdbook", "book", "-o", "new", "--force", "-q"],
    ));
    let e = stderr(&handbook(
        tmp.path(),
        &["import", "mdbook", "book", "-o", "book/out", "--force"],
    ));
    assert!(e.contains("never writes into its source"), "{e}");
    assert!(!tmp.path().join("book/out").exists());
}

#[test]
fn an_obsidian_vault_imports_with_wiki_links_and_embeds() {
    let tmp = tempfile::tempdir().unwrap();
    let v = tmp.path().join("vault");
    let w = |rel: &str, text: &str| write_file(&v, rel, text);
    w(".obsidian/app.json", "{}");
    w(
        "Welcome.md",
        "# Welcome\n\nSee [[Ideas]], [[Ideas|my ideas]] and [[Ideas#Big One]].\n\n![[pic.png]]\n\n`[[not a link]]` and [[Nowhere]].\n",
    );
    w(
        "Projects/Ideas.md",
        "---\ntags: [idea, plan]\naliases: [I]\n---\n# Ideas\n\n## Big One\n\nBack to [[Welcome]].\n",
    );
    w("attachments/pic.png", "png");
    let o = ok(handbook(
        tmp.path(),
        &["import", "markdown", "vault", "-o", "book"],
    ));
    let report = stderr(&o);
    assert!(
        report.contains("Projects/Ideas.md:3: front matter `aliases`"),
        "{report}"
    );
    assert!(report.contains("Welcome.md:7: [[Nowhere]]"), "{report}");
    let book = tmp.path().join("book");
    let welcome = read(&book.join("notes/01-welcome.md"));
    assert!(
        welcome.contains("[Ideas](01-projects/01-ideas.md)"),
        "{welcome}"
    );
    assert!(
        welcome.contains("[my ideas](01-projects/01-ideas.md)"),
        "{welcome}"
    );
    assert!(
        welcome.contains("[Ideas](01-projects/01-ideas.md#big-one)"),
        "{welcome}"
    );
    assert!(
        welcome.contains("![pic.png](_files/attachments/pic.png)"),
        "{welcome}"
    );
    assert!(welcome.contains("`[[not a link]]`"), "{welcome}");
    let ideas = read(&book.join("notes/01-projects/01-ideas.md"));
    assert!(
        ideas.starts_with("+++\ntags = [\"idea\", \"plan\"]\n+++\n"),
        "{ideas}"
    );
    let o = ok(handbook(&book, &["build"]));
    assert!(stderr(&o).contains("0 warnings"), "{}", stderr(&o));
    assert!(read(&book.join("public/ideas.html")).contains("Ideas</h1>"));
    // [[Nowhere]] stays text, so the link check is clean.
    ok(handbook(&book, &["check"]));
}

#[test]
fn a_docusaurus_folder_imports_in_sidebar_order() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("docs");
    let w = |rel: &str, text: &str| write_file(&d, rel, text);
    w(
        "intro.md",
        "---\nsidebar_position: 1\ntitle: Introduction\n---\n\nHello. See [a page](tutorial-basics/create-a-page.md).\n",
    );
    w(
        "tutorial-basics/_category_.json",
        "{\"label\": \"Tutorial - Basics\", \"position\": 2}",
    );
    w(
        "tutorial-basics/create-a-page.md",
        "---\nsidebar_position: 2\ndescription: Make a page\ndraft: false\n---\n# Create a Page\n\nBack to [intro](../intro.md#top).\n",
    );
    w(
        "tutorial-basics/create-a-document.md",
        "---\nsidebar_position: 1\nid: doc\n---\n# Create a Document\n\nText.\n",
    );
    let o = ok(handbook(
        tmp.path(),
        &["import", "markdown", "docs", "-o", "site"],
    ));
    assert!(
        stderr(&o).contains("tutorial-basics/create-a-document.md:3: front matter `id`"),
        "{}",
        stderr(&o)
    );
    let site = tmp.path().join("site");
    assert_eq!(
        read(&site.join("notes/01-tutorial-basics/_section.toml")),
        "title = \"Tutorial - Basics\"\n"
    );
    assert!(
        site.join("notes/01-tutorial-basics/01-create-a-document.md")
            .is_file()
    );
    let page = read(&site.join("notes/01-tutorial-basics/02-create-a-page.md"));
    assert!(
        page.starts_with("+++\ndescription = \"Make a page\"\n+++\n"),
        "{page}"
    );
    assert!(page.contains("[intro](../01-intro.md#top)"), "{page}");
    ok(handbook(&site, &["build"]));
    // The anchor `#top` is not a heading of the intro: check says so, with the note's line.
    let o = handbook(&site, &["check"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("#top") || stderr(&o).contains("#top"));
}
