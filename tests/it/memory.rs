//! `handbook build` writes pages as it composes them and checks links from per-page records:
//! what the build reports must be what `handbook check` (a site in memory) reports, with the
//! link text and lines read back from the written pages.

use crate::common::{TestBook, stderr, stdout, two_section_book};

/// A book whose first note has broken links of every kind the crawl traces.
fn broken_book() -> TestBook {
    let b = two_section_book();
    let path = "notes/01-basics/01-first.md";
    let text = std::fs::read_to_string(b.path(path)).unwrap();
    b.write(
        path,
        &format!(
            "{text}\n## Broken {{#dup}}\n\n<a href=\"nothere.html\">raw <b>bold</b> link</a> and \
             <img src=\"img/none.png\" alt=\"an alt &amp; text\"> and <span id=\"dup\">x</span>.\n"
        ),
    );
    b
}

#[test]
fn build_reports_what_check_reports_with_text_read_back_from_the_written_pages() {
    let b = broken_book();
    let build = b.run(&["build"]);
    assert!(build.status.success(), "{}", stderr(&build));
    let warnings = stderr(&build);
    for want in [
        "broken link [raw bold link](nothere.html): the site has no nothere.html (on first.html, index.html)",
        "broken image [an alt & text](img/none.png)",
        "repeated id `dup`",
    ] {
        assert!(warnings.contains(want), "missing {want:?} in:\n{warnings}");
    }
    let check = b.run(&["check", "--format", "github"]);
    let reported = stdout(&check);
    for line in reported.lines().filter(|l| l.starts_with("::")) {
        let message = line.rsplit("::").next().unwrap();
        assert!(
            warnings.contains(message),
            "check found {message:?}, the build did not:\n{warnings}"
        );
    }
    assert_eq!(reported.lines().filter(|l| l.starts_with("::")).count(), 3);
}

#[test]
fn a_strict_build_with_broken_links_leaves_the_previous_output_and_no_staging() {
    let b = broken_book();
    b.build_ok();
    let before = b.out("index.html");
    b.write(
        "book.toml",
        "[book]\ntitle = \"Test Book\"\n\n[build]\nstrict = true\n",
    );
    let o = b.run(&["build"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("nothere.html"), "{}", stderr(&o));
    assert_eq!(b.out("index.html"), before);
    b.assert_no_staging_left();
}
