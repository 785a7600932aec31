use super::*;

const SUMMARY: &str = "# Summary\n\n[Intro](README.md)\n[Foreword](fore word.md)\n\n# Guide\n\n- [One](one.md)\n    - [One A](one/a.md)\n        - [Deep](one/a/deep.md)\n    - [Later]()\n* [Two](./two.md)\n\n---\n\n# Reference\n\n1. [Three](three.md)\n\n-----------\n\n[Thanks](thanks.md)\n";

#[test]
fn summary_forms() {
    let c = parse_summary(SUMMARY);
    type Row<'a> = (&'a str, Option<&'a str>, usize, Option<&'a str>, Place);
    let got: Vec<Row> = c
        .iter()
        .map(|c| {
            (
                c.title.as_str(),
                c.path.as_deref(),
                c.depth,
                c.part.as_deref(),
                c.place,
            )
        })
        .collect();
    use Place::*;
    assert_eq!(
        got,
        [
            ("Intro", Some("README.md"), 0, None, Prefix),
            ("Foreword", Some("fore word.md"), 0, None, Prefix),
            ("One", Some("one.md"), 0, Some("Guide"), Numbered),
            ("One A", Some("one/a.md"), 1, Some("Guide"), Numbered),
            ("Deep", Some("one/a/deep.md"), 2, Some("Guide"), Numbered),
            ("Later", None, 1, Some("Guide"), Numbered),
            ("Two", Some("two.md"), 0, Some("Guide"), Numbered),
            ("Three", Some("three.md"), 0, Some("Reference"), Numbered),
            ("Thanks", Some("thanks.md"), 0, None, Suffix),
        ]
    );
    let g: Vec<(String, Vec<usize>)> = group(&c)
        .into_iter()
        .map(|g| (g.title, g.chapters))
        .collect();
    assert_eq!(
        g,
        [
            ("".into(), vec![0, 1]),
            ("Guide".into(), vec![2, 3, 4, 5, 6]),
            ("Reference".into(), vec![7]),
            ("Appendix".into(), vec![8]),
        ]
    );
    assert_eq!(parent(&c, 4), Some(3));
    assert_eq!(parent(&c, 5), Some(2));
}

#[test]
fn without_parts_top_level_chapters_are_sections() {
    let c = parse_summary("- [A](a.md)\n  - [A1](a1.md)\n- [B](b.md)\n");
    let g: Vec<(String, Vec<usize>)> = group(&c)
        .into_iter()
        .map(|g| (g.title, g.chapters))
        .collect();
    assert_eq!(g, [("A".into(), vec![0, 1]), ("B".into(), vec![2])]);
}

#[test]
fn old_urls_and_bodies() {
    assert_eq!(old_url("ch01-02-hello.md"), "ch01-02-hello.html");
    assert_eq!(old_url("cli/README.md"), "cli/index.html");
    assert_eq!(old_url("README.md"), "index.html");
    assert_eq!(
        chapter_body("# Title\n\nText\n\n# Other\n```\n# not a heading\n```\n"),
        "\nText\n\n## Other\n```\n# not a heading\n```\n"
    );
    assert_eq!(
        chapter_body("# T\n```rust,editable\nx\n```\n  ~~~ rust ignore\ny\n~~~\n"),
        "\n```rust\nx\n```\n  ~~~rust\ny\n~~~\n"
    );
}
