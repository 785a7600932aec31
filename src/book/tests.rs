use super::front_matter::{Rules, parse_note_with};
use super::*;
use crate::util::slug::slug_of_file;
use crate::util::slug::slugify;

fn parse(text: &str) -> Result<Note, Vec<Diagnostic>> {
    parse_note("notes/a/01-x.md", text, "x".into(), 0)
}

const OK: &str =
    "+++\ntitle = \"T\"\nlevel = \"beginner\"\nyoe = \"0-2\"\ntags = [\"a\"]\n+++\n\n## Hi\n";

#[test]
fn slugs_that_are_page_names_or_theme_ids_are_refused() {
    for (slug, says) in [
        ("index", "reserved for a generated page"),
        ("main", "an id of the all-notes page"),
        ("search-input", "an id of the all-notes page"),
    ] {
        let e = parse_note("notes/a/01-x.md", OK, slug.into(), 0).unwrap_err();
        assert!(e[0].message.contains(says), "{slug}: {}", e[0].message);
    }
    assert!(parse_note("notes/a/01-x.md", OK, "mainframes".into(), 0).is_ok());
}

#[test]
fn parses_front_matter_and_body_line() {
    let n = parse(OK).unwrap();
    assert_eq!(n.meta.title, "T");
    assert_eq!(n.body_line, 7);
    assert!(n.body.contains("## Hi"));
}

#[test]
fn unknown_level_names_line_and_allowed_values() {
    let e = parse(&OK.replace("beginner", "expert")).unwrap_err();
    assert_eq!(e[0].line, 3);
    assert!(
        e[0].message
            .contains("allowed: beginner, intermediate, advanced")
    );
}

#[test]
fn bad_yoe_and_unknown_key_are_errors() {
    let e = parse(&OK.replace("0-2", "lots")).unwrap_err();
    assert_eq!(e[0].line, 4);
    let e = parse(&OK.replace("tags", "tagz")).unwrap_err();
    assert!(
        e[0].message.contains("did you mean `tags`?"),
        "{}",
        e[0].message
    );
    assert_eq!(e[0].line, 5);
}

#[test]
fn a_tag_listed_twice_is_an_error_naming_both_spellings() {
    let e = parse(&OK.replace(
        "tags = [\"a\"]",
        "tags = [\"Load Balancer\", \"b\", \"load-balancer\"]",
    ))
    .unwrap_err();
    assert_eq!(e[0].line, 5);
    assert!(
        e[0].message
            .contains("tag `load-balancer` repeats `Load Balancer`"),
        "{}",
        e[0].message
    );
}

#[test]
fn missing_and_unclosed_front_matter() {
    let require = ["level".to_string(), "tags".to_string()];
    let rules = Rules {
        require: &require,
        title: None,
    };
    let e = parse_note_with("n.md", "## no fm\n", "x".into(), 0, rules).unwrap_err();
    assert_eq!(e.len(), 1);
    assert!(
        e[0].message
            .contains("missing front matter `level`, `tags`"),
        "{}",
        e[0].message
    );
    assert!(
        parse("## no fm\n").unwrap_err()[0]
            .message
            .contains("no title")
    );
    let n = parse("\n# The Title #\n\nText\n").unwrap();
    assert_eq!(n.meta.title, "The Title");
    assert_eq!(&*n.body, "\n\n\nText\n");
    let n = parse("```\n# not it\n```\n# It\n").unwrap();
    assert_eq!(n.meta.title, "It");
    assert!(
        parse("+++\ntitle = \"x\"\n").unwrap_err()[0]
            .message
            .contains("never closed")
    );
}

#[test]
fn slugs_and_yoe() {
    assert_eq!(slug_of_file("07-load-balancers.md"), "load-balancers");
    assert_eq!(
        slugify("L4 vs. L7: Load Balancing!"),
        "l4-vs-l7-load-balancing"
    );
    assert!(valid_yoe("7+") && valid_yoe("2-4") && !valid_yoe("4-2") && !valid_yoe("x"));
}
