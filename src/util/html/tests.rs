use super::*;

fn all(html: &str) -> Vec<Token<'_>> {
    let mut t = Tokenizer::new(html);
    std::iter::from_fn(|| t.next()).collect()
}

#[test]
fn every_byte_in_one_token() {
    let html = "<!doctype html><P Class=x data-a='1' hidden>a < b</p><!-- c --><script>if(a<b){x='<a href=\"y\">'}</SCRIPT ><img src=\"i.png\"/><title/>";
    let toks = all(html);
    assert_eq!(toks.iter().map(Token::raw).collect::<String>(), html);
    let kinds: Vec<String> = toks
        .iter()
        .map(|t| match t {
            Token::Text(s) => format!("text {s}"),
            Token::RawText(s) => format!("raw {s}"),
            Token::Comment(_) => "comment".into(),
            Token::End(t) => format!("/{}", t.name()),
            Token::Start(t) => format!("{}{}", t.name, if t.self_closing { "/" } else { "" }),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "comment",
            "p",
            "text a ",
            "text <",
            "text  b",
            "/p",
            "comment",
            "script",
            "raw if(a<b){x='<a href=\"y\">'}",
            "/script",
            "img/",
            "title/"
        ]
    );
}

#[test]
fn attributes_as_the_standard_reads_them() {
    let html = "<a HREF=\"x\" id=one id=two title='a>b' =odd e= f>";
    let mut t = Tokenizer::new(html);
    assert!(matches!(t.next(), Some(Token::Start(_))));
    let got: Vec<(&str, &str, bool)> = t
        .attrs()
        .iter()
        .map(|a| (a.name.as_ref(), a.value, a.has_value))
        .collect();
    assert_eq!(
        got,
        [
            ("href", "x", true),
            ("id", "one", true),
            ("title", "a>b", true),
            ("=odd", "", false),
            ("e", "f", true)
        ]
    );
    assert_eq!(t.attrs()[0].offset, html.find("x\"").unwrap());
    // A tag cut off by the end of the page is text.
    assert_eq!(all("<a href=\"x"), [Token::Text("<a href=\"x")]);
}

#[test]
fn repeats_dropped_whatever_their_case() {
    let html = "<a ID=1 x=2 id=3 Id=4 X=5 y=6 href=7 HREF=8>";
    let mut t = Tokenizer::new(html);
    assert!(matches!(t.next(), Some(Token::Start(_))));
    let got: Vec<(&str, &str)> = t
        .attrs()
        .iter()
        .map(|a| (a.name.as_ref(), a.value))
        .collect();
    assert_eq!(got, [("id", "1"), ("x", "2"), ("y", "6"), ("href", "7")]);
}

#[test]
fn end_tags_named_on_demand() {
    let mut t = Tokenizer::new("</A></ab><a></Abbr x><a/>");
    let mut ends = Vec::new();
    while let Some(tok) = t.next_markup() {
        if let Token::End(e) = tok {
            ends.push((e.name().into_owned(), e.is("a"), e.offset));
        }
    }
    assert_eq!(
        ends,
        [
            ("a".to_string(), true, 0),
            ("ab".to_string(), false, 4),
            ("abbr".to_string(), false, 12)
        ]
    );
}

#[test]
fn markup_only_reading_skips_text() {
    let html = "one<p>two<!--c-->three</p>four<script>x<y</script>";
    let mut t = Tokenizer::new(html);
    let raws: Vec<&str> = std::iter::from_fn(|| t.next_markup())
        .map(|t| t.raw())
        .collect();
    assert_eq!(
        raws,
        ["<p>", "<!--c-->", "</p>", "<script>", "x<y", "</script>"]
    );
}

#[test]
fn stops_before_markup_at_the_limit() {
    let html = "<p>one</p><p>two</p>";
    let mut t = Tokenizer::new(html);
    t.stop_at(10);
    let first: Vec<&str> = std::iter::from_fn(|| t.next()).map(|t| t.raw()).collect();
    assert_eq!(first, ["<p>", "one", "</p>"]);
    assert_eq!(t.pos(), 10);
    t.stop_at(usize::MAX);
    assert_eq!(std::iter::from_fn(|| t.next()).count(), 3);
}

#[test]
fn references_decoded_as_the_standard_does() {
    for (raw, attr, text) in [
        ("a&amp;b&lt;&gt;&quot;&apos;", "a&b<>\"'", "a&b<>\"'"),
        ("&#x2F;&#47;&#X41;&#65", "//AA", "//AA"),
        ("&nbsp;&copy;&mdash;", "\u{a0}©—", "\u{a0}©—"),
        (
            "&#0;&#xD800;&#x110000;&#99999999999;",
            "\u{fffd}\u{fffd}\u{fffd}\u{fffd}",
            "\u{fffd}\u{fffd}\u{fffd}\u{fffd}",
        ),
        ("&#x80;&#150;", "€–", "€–"),
        ("&amp x", "& x", "& x"),
        ("&ampx &lt3", "&ampx &lt3", "&x <3"),
        ("?a=1&amp=2", "?a=1&amp=2", "?a=1&=2"),
        (
            "&apos x &unknown; &#; &#xZ; & ;",
            "&apos x &unknown; &#; &#xZ; & ;",
            "&apos x &unknown; &#; &#xZ; & ;",
        ),
    ] {
        assert_eq!(decode_attribute(raw), attr, "attribute {raw:?}");
        assert_eq!(decode_text(raw), text, "text {raw:?}");
    }
    assert!(matches!(decode_attribute("plain"), Cow::Borrowed("plain")));
}
