//! Our HTML tokenizer (`handbook::util::html`) against a real parser (html5ever, through
//! `scraper`): on every page of the book and on a page of awkward markup, both must see the same
//! start tags with the same attributes (values decoded), so the same ids, hrefs and srcs.

use crate::common::{Tag, start_tags as ours, walk};
use std::process::Command;

/// The elements html5ever builds, in document order. Names are lower-cased (the tree builder
/// restores SVG's camel case, `viewBox`, which the tokenizer does not).
fn real(html: &str) -> Vec<Tag> {
    let doc = scraper::Html::parse_document(html);
    doc.root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
        .map(|e| {
            let el = e.value();
            let attrs = el
                .attrs
                .iter()
                .map(|(name, value)| {
                    // html5ever files `xmlns` on <svg> under an empty prefix.
                    let name = match &name.prefix {
                        Some(p) if !p.is_empty() => format!("{p}:{}", name.local),
                        _ => name.local.to_string(),
                    };
                    (name.to_ascii_lowercase(), value.to_string())
                })
                .collect();
            (el.name().to_ascii_lowercase(), attrs)
        })
        .collect()
}

/// Values of attribute `name` over all tags.
fn values<'t>(tags: &'t [Tag], name: &str) -> Vec<&'t str> {
    tags.iter()
        .filter_map(|(_, a)| a.get(name).map(String::as_str))
        .collect()
}

fn assert_same(what: &str, html: &str) {
    let (ours, real) = (ours(html), real(html));
    for name in ["id", "href", "src"] {
        assert_eq!(values(&ours, name), values(&real, name), "{what}: {name}s");
    }
    if let Some(k) = (0..ours.len().min(real.len())).find(|&k| ours[k] != real[k]) {
        panic!(
            "{what}: start tag {k} differs:\n ours: {:?}\n real: {:?}",
            ours[k], real[k]
        );
    }
    assert_eq!(ours.len(), real.len(), "{what}: number of start tags");
}

#[test]
fn tokenizer_sees_every_book_page_as_html5ever_does() {
    let out = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(["build", "--quiet", "--force", "--root"])
        .arg(env!("CARGO_MANIFEST_DIR"))
        .arg("--output")
        .arg(out.path())
        .output()
        .expect("run handbook");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut pages = 0;
    for entry in walk(out.path()) {
        if entry.extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(&entry).unwrap();
            assert_same(&entry.display().to_string(), &html);
            pages += 1;
        }
    }
    assert!(
        pages > 45,
        "{pages} pages: the book's notes, its index and 404"
    );
}

#[test]
fn tokenizer_reads_awkward_markup_as_html5ever_does() {
    let page = concat!(
        "<!DOCTYPE html><HTML lang=en><head><TITLE>a <b>not a tag</b> &amp; x</TITLE>",
        "<style>p > a { x: '<a href=no>' }</style></head><body>",
        "<!-- <a href=\"commented\"> --><P ID=Up class=\"a b\" hidden data-x='1' data-x='2'>",
        "<a href=\"a.html?x=1&amp;y=2&copy=3&amp=4\" title=\"&lt;&gt;&quot;&apos;&nbsp;&#x2F;&#47;&#X41;&#65\">t</a>",
        "<a href=unquoted.html#frag id=\"&#0;&#xD800;&#x110000;&#x80;&#150;&mdash;&ndash;&hellip;\">u</a>",
        "<img src='i.png' alt=\"x &amp y &ampz &lt3\" /><a href=\"&rsquo;&copy;&reg;&times;&laquo;&raquo;&euro;\">r</a>",
        "<script>if (a < b) { s = '<a href=\"no\">'; }</script><br/><input value=>",
        "<a href = \"spaced\" title=\"a\"title2=\"b\">s</a><a/b>",
        "<svg viewBox=\"0 0 1 1\"><title>T</title><text x=\"1\">a</text></svg>",
        "<textarea><a href=\"no\"></textarea></body></html>"
    );
    assert_same("awkward page", page);
}
