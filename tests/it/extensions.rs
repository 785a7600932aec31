//! Callouts and math end to end: pages, search index, link check, export, diagnostics, the real
//! book, and in headless Chromium (light/dark, desktop/phone, axe).

use crate::common::{TestBook, browser_test, stderr, stdout};

/// Every GitHub kind, Obsidian titles, folding, nesting, a callout in a list, math and prices.
pub const EXTENSIONS: &str = r#"## Alerts

> [!NOTE]
> Useful information that users should know, even when skimming.

> [!TIP]
> Helpful advice for doing things better or more easily.

> [!IMPORTANT]
> Key information users need to know.

> [!WARNING]
> Urgent info that needs immediate attention to avoid problems.

> [!CAUTION]
> Advises about risks or negative outcomes of certain actions.

## Obsidian

> [!tip] Key takeaway
> Cache the **hot** keys; see [the other note](02-other.md#details).

> [!faq]- Why a queue? (closed)
> It absorbs bursts of zebrafold traffic.

> [!example]+ Worked example (open)
> Outer text.
>
> > [!danger]
> > Nested danger.

1. First step

   > [!todo] Inside a list
   > Listed callout text.

2. Second step

## Math

A quorum read sees the latest write when $W + R > N$, and prices stay prose: $5 and $10, +$500, then −$200.

$$A = \frac{\text{MTBF}}{\text{MTBF} + \text{MTTR}}$$

Refill: $$\text{tokens} = \min\left(C,\ \text{tokens} + r \times (t_\text{now} - t_\text{last})\right)$$

```rust
let price = "$5 and $x$"; // code stays code
```
"#;

fn fixture() -> TestBook {
    let b = TestBook::new();
    b.note("notes/01-s/01-extensions.md", "Extensions", EXTENSIONS);
    b.note("notes/01-s/02-other.md", "Other", "## Details\n\nText.\n");
    b
}

#[test]
fn callouts_and_math_reach_pages_search_and_the_export() {
    let b = fixture();
    let o = b.build_ok();
    assert!(!stderr(&o).contains(": warning:"), "{}", stderr(&o));
    let page = b.out("extensions.html");
    for class in ["note", "tip", "important", "warning", "caution"] {
        assert!(
            page.contains(&format!("class=\"callout callout-{class}\"")),
            "{class}"
        );
    }
    assert!(!page.contains("[!"), "no marker is left as text");
    assert!(page.contains(
        "<details class=\"callout callout-important\" data-callout=\"question\"><summary"
    ));
    assert!(page.contains("data-callout=\"example\" open><summary"));
    assert!(page.contains("<span class=\"visually-hidden\">Tip: </span>Key takeaway"));
    assert!(page.contains("<a href=\"other.html#details\">the other note</a>"));
    assert_eq!(page.matches("<math").count(), 3, "three formulas");
    assert!(page.contains("alttext=\"W + R &gt; N\" aria-label=\"W + R &gt; N\""));
    assert!(page.contains("prices stay prose: $5 and $10, +$500, then −$200."));
    assert!(page.contains("$5 and $x$"), "math inside code is untouched");
    let search = b.search_text();
    assert!(search.contains("zebrafold"), "callout text is searchable");
    assert!(search.contains("W + R > N") || search.contains("W + R \\u003e N"));
    assert!(
        search.contains("\\\\frac{\\\\text{MTBF}}"),
        "the TeX source is searchable"
    );

    let o = b.run(&["export", "-o", "book.html"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let export = std::fs::read_to_string(b.path("book.html")).unwrap();
    assert_eq!(export.matches("<math").count(), 3);
    assert!(export.contains("data-callout=\"question\""));
}

#[test]
fn the_link_check_sees_links_inside_callouts() {
    let b = fixture();
    b.note(
        "notes/01-s/03-broken.md",
        "Broken",
        "> [!warning]\n> See [nowhere](99-missing.md).\n",
    );
    let o = b.run(&["check"]);
    assert!(!o.status.success());
    let out = format!("{}{}", stdout(&o), stderr(&o));
    assert!(
        out.contains("notes/01-s/03-broken.md:9:") && out.contains("99-missing.md"),
        "{out}"
    );
}

#[test]
fn invalid_tex_fails_the_build_naming_file_line_and_column() {
    let b = fixture();
    b.note(
        "notes/01-s/03-bad.md",
        "Bad",
        "## X\n\nThe ratio $\\frac{a}$ is wrong.\n",
    );
    let e = b.build_fails();
    // Body line 3 is file line 10; `\frac` starts at column 12.
    assert!(
        e.contains("notes/01-s/03-bad.md:10:") && e.contains("error: invalid TeX in `\\frac{a}`"),
        "{e}"
    );
    let col: usize = e
        .split("notes/01-s/03-bad.md:10:")
        .nth(1)
        .and_then(|s| s.split(':').next())
        .and_then(|c| c.parse().ok())
        .expect("a column");
    assert!(
        (12..=20).contains(&col),
        "column {col} is inside the formula: {e}"
    );
}

#[test]
fn an_unknown_callout_type_warns_and_still_builds() {
    let b = fixture();
    b.note(
        "notes/01-s/03-typo.md",
        "Typo",
        "Intro.\n\n> [!warnign] Careful\n> Text.\n",
    );
    let o = b.build_ok();
    let e = stderr(&o);
    assert!(
        e.contains("notes/01-s/03-typo.md:10:3: warning: unknown callout type `[!warnign]`")
            && e.contains("Did you mean `warning`?")
            && e.contains("Known types: note, tip"),
        "{e}"
    );
    assert!(
        b.out("typo.html")
            .contains("class=\"callout callout-note\"")
    );
}

/// The repository's book: builds without warnings, uses callouts and math, keeps its prices.
#[test]
fn the_book_uses_callouts_and_math_and_keeps_its_prices() {
    let out = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(["build", "--force", "--root", root, "--output"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains(": warning:"), "{}", stderr(&o));
    let index = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(
        index.matches("data-callout=\"tip\"").count() >= 45,
        "a takeaway per note"
    );
    assert!(index.matches("<math").count() >= 15);
    for price in [
        "$100 from account A",
        "+$500, then −$200, then +$100",
        "about $50 in total",
    ] {
        assert!(index.contains(price), "{price}");
    }
    let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots/extensions");
    let b = fixture();
    b.build_ok();
    let o = b.run(&["export", "-o", "book.html"]);
    assert!(o.status.success(), "{}", stderr(&o));
    browser_test(
        "extensions.test.mjs",
        &[
            b.path("public").to_str().unwrap(),
            b.path("book.html").to_str().unwrap(),
            out.path().to_str().unwrap(),
            shots.to_str().unwrap(),
        ],
    );
}
