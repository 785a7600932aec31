//! Note text is data: link fragments, heading ids and the renderer's own placeholders cannot
//! make an element, break an attribute or lose a character (issue 23, items 1 and 2).

use crate::common::TestBook;
use crate::inproc::{build_ok, page};

/// A one-note book (`notes/01-s/01-n.md`, slug `n`) with `body`; its two pages.
fn pages(body: &str) -> (String, String) {
    let b = TestBook::new();
    b.note("notes/01-s/01-n.md", "N", body);
    let files = build_ok(&b);
    (page(&files, "index.html"), page(&files, "n.html"))
}

#[test]
fn a_link_fragment_with_markup_makes_no_element() {
    let (index, note) = pages("[x](#a%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E)\n");
    for html in [&index, &note] {
        assert!(!html.contains("<img src=x"), "{html}");
        assert!(!html.contains("onerror=alert(1)>"), "{html}");
    }
    assert!(note.contains(r##"<a href="#a&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">x</a>"##));
    assert!(
        index.contains(r##"<a href="#n--a&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">x</a>"##)
    );
}

#[test]
fn a_link_fragment_with_a_quote_gives_a_valid_attribute() {
    let b = TestBook::new();
    b.note(
        "notes/01-s/01-n.md",
        "N",
        "[odd](#a%22b) [there](02-m.md#c%22d)\n",
    );
    b.note("notes/01-s/02-m.md", "M", "Text.\n");
    let files = build_ok(&b);
    let (index, note) = (page(&files, "index.html"), page(&files, "n.html"));
    assert!(note.contains(r##"<a href="#a&quot;b">odd</a>"##), "{note}");
    assert!(
        note.contains(r##"<a href="m.html#c&quot;d">there</a>"##),
        "{note}"
    );
    assert!(index.contains(r##"<a href="#n--a&quot;b">odd</a>"##));
    assert!(index.contains(r##"<a href="#m--c&quot;d">there</a>"##));
}

#[test]
fn a_custom_heading_id_is_escaped_in_the_id_and_its_anchor() {
    let (index, note) = pages("## Quoted {#q\"x'&y}\n\nText.\n");
    assert!(
        note.contains(r##"<h2 id="q&quot;x&#39;&amp;y">"##),
        "{note}"
    );
    assert!(note.contains(r##"href="#q&quot;x&#39;&amp;y""##), "{note}");
    assert!(index.contains(r##"<h4 id="n--q&quot;x&#39;&amp;y">"##));
}

#[test]
fn private_use_characters_in_a_heading_are_kept_and_forge_nothing() {
    let heading = "Heading \u{E003}254\u{E001} odd \u{E000}x\u{E002}";
    let (index, note) = pages(&format!("## {heading}\n\nText.\n"));
    let expected = format!(
        "<h2 id=\"heading-254-odd-x\">{heading}<a class=\"anchor\" href=\"#heading-254-odd-x\" aria-label=\"Link to this section: {heading}\">#</a></h2>"
    );
    assert!(note.contains(&expected), "{note}");
    assert!(index.contains(&format!(
        "<h4 id=\"n--heading-254-odd-x\">{heading}<a class=\"anchor\""
    )));
}

#[test]
fn private_use_characters_round_trip_in_text_code_links_and_raw_html() {
    let pua = "\u{E000}\u{E001}\u{E002}\u{E003}";
    let body = format!(
        "Icons {pua} here.\n\n`{pua}`\n\n[link {pua}](#{pua})\n\n<span class=\"icon\">{pua}</span>\n\n```text\n{pua}\n```\n"
    );
    let (index, note) = pages(&body);
    for html in [&index, &note] {
        assert!(html.contains(&format!("Icons {pua} here.")));
        assert!(html.contains(&format!("<code>{pua}</code>")));
        assert!(html.contains(&format!("{pua}</a>")));
        assert!(html.contains(&format!("<span class=\"icon\">{pua}</span>")));
        assert!(html.contains(&format!("<span class=\"line\">{pua}</span>")));
    }
    assert!(note.contains(&format!("<a href=\"#{pua}\">link {pua}</a>")));
    assert!(index.contains(&format!("<a href=\"#n--{pua}\">link {pua}</a>")));
}

#[test]
fn a_nul_in_a_link_fragment_or_the_text_cannot_cut_the_page() {
    let (index, note) = pages("[x](#a%00b) and a\0b [f](a%00.png)\n\n## H\0x\n");
    for html in [&index, &note] {
        assert!(!html.contains('\0'));
        assert!(html.contains("a\u{FFFD}b"), "{html}");
        assert!(html.contains("</html>"));
    }
    assert!(note.contains("<a href=\"#a\u{FFFD}b\">x</a>"), "{note}");
}

#[test]
fn a_title_that_forges_the_all_notes_placeholder_is_shown_as_written() {
    let b = TestBook::new();
    let forged = "Icons \u{E000}hb-note-0\u{E001}";
    b.note("notes/01-s/01-n.md", forged, "Body of n.\n");
    let files = build_ok(&b);
    let index = page(&files, "index.html");
    assert_eq!(index.matches("Body of n.").count(), 1, "{index}");
    assert!(
        index.contains(&format!("<a href=\"#n\">{forged}</a>")),
        "{index}"
    );
}
