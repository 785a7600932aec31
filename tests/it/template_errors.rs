//! Template errors name the file as the author knows it (`templates/NAME:LINE:COL`, or the
//! built-in template) and show the offending line; the build fails and the output stays.

use crate::common::TestBook;

fn book() -> TestBook {
    let b = TestBook::new();
    b.write("notes/01-basics/_section.toml", "title = \"Basics\"\n");
    b.note("notes/01-basics/01-first.md", "First Note", "Some text.\n");
    b
}

#[test]
fn a_template_that_does_not_parse_is_named_with_its_line() {
    let b = book();
    b.build_ok();
    let before = b.out("index.html");
    b.write("templates/404.html", "<p>{{ oops( }}</p>\n");
    let err = b.build_fails();
    assert!(
        err.contains(
            "templates/404.html:1:13: error: cannot parse the template: expected an identifier"
        ),
        "{err}"
    );
    assert!(err.contains("     1 | <p>{{ oops( }}</p>\n"), "{err}");
    assert!(
        err.contains("\n       |             ^\n"),
        "the caret under column 13: {err}"
    );
    assert!(
        !err.contains("Failed to parse"),
        "Tera's own wording is replaced: {err}"
    );
    assert_eq!(b.out("index.html"), before, "the last output stays");
}

#[test]
fn a_render_error_is_located_in_the_template_that_uses_the_name() {
    let b = book();
    // The variable is missing in the parent of the page asked for.
    b.write(
        "templates/base.html",
        "<!doctype html>\n<html>\n<body>{% block main %}{% endblock main %}\n<footer>{{ site.missing_value }}</footer>\n</body></html>\n",
    );
    let err = b.build_fails();
    assert!(
        err.contains("templates/base.html:4:12: error: cannot render ")
            && err.contains("Variable `site.missing_value` not found"),
        "{err}"
    );
    assert!(
        err.contains("     4 | <footer>{{ site.missing_value }}</footer>"),
        "{err}"
    );
}

#[test]
fn an_error_in_a_built_in_template_says_so() {
    let b = book();
    // The book's macros.html lacks the macros the built-in pages call.
    b.write(
        "templates/macros.html",
        "{% macro unrelated() %}x{% endmacro unrelated %}\n",
    );
    let err = b.build_fails();
    let line = err.lines().next().unwrap_or("");
    assert!(
        line.starts_with("built-in template ") && line.contains("error: cannot render"),
        "{err}"
    );
    assert!(err.contains("m::"), "the call is shown: {err}");
}
