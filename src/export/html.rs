//! The export's view of a page: start tags with their attributes, everything else verbatim text.
//!
//! A thin layer over the shared tokenizer of `util::html`, in the shape the export rewrite uses.

use crate::util::html::{Token as Token_, Tokenizer, decode_attribute};

/// One piece of an HTML document; every byte of the input belongs to exactly one token.
#[derive(Debug)]
pub(crate) enum Token<'a> {
    /// Text, comments, doctypes, end tags, and raw script/style content, to copy as they are.
    Text(&'a str),
    Start(Tag<'a>),
}

/// A start tag.
#[derive(Debug)]
pub(crate) struct Tag<'a> {
    /// Lower-cased element name.
    pub name: String,
    pub attrs: Vec<Attr<'a>>,
    /// The tag exactly as written, `<` to `>`.
    pub raw: &'a str,
    pub self_closing: bool,
}

/// One attribute; `value` is as written (entities not decoded), `None` for a bare attribute.
#[derive(Debug, Clone)]
pub(crate) struct Attr<'a> {
    pub name: String,
    pub value: Option<&'a str>,
}

impl Tag<'_> {
    /// The decoded value of attribute `name`.
    pub(crate) fn get(&self, name: &str) -> Option<String> {
        self.attrs
            .iter()
            .find(|a| a.name == name)
            .map(|a| decode_entities(a.value.unwrap_or("")))
    }

    /// Whether the space-separated `rel` attribute holds `word`.
    pub(crate) fn rel_has(&self, word: &str) -> bool {
        self.get("rel")
            .map(|r| {
                r.split_ascii_whitespace()
                    .any(|w| w.eq_ignore_ascii_case(word))
            })
            .unwrap_or(false)
    }
}

/// Every `id` of the start tags in `toks`: the targets of in-page anchors.
pub(crate) fn ids(toks: &[Token]) -> std::collections::HashSet<String> {
    toks.iter()
        .filter_map(|t| match t {
            Token::Start(tag) => tag.get("id"),
            Token::Text(_) => None,
        })
        .collect()
}

/// Split `html` into tokens with the shared tokenizer of `util::html`: comments, end tags and
/// text joined into one `Text`. A raw-text element (`script`, `style`, `textarea`, `title`) is
/// always followed by exactly one `Text` token holding its content, possibly empty.
pub(crate) fn tokens(html: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut tok = Tokenizer::new(html);
    // Start of the text not yet emitted.
    let mut text_start = 0;
    let mut at = 0;
    while let Some(t) = tok.next() {
        match t {
            Token_::Start(tag) => {
                if text_start < at {
                    out.push(Token::Text(&html[text_start..at]));
                }
                out.push(Token::Start(Tag {
                    name: tag.name.into_owned(),
                    attrs: tok
                        .attrs()
                        .iter()
                        .map(|a| Attr {
                            name: a.name.to_string(),
                            value: a.has_value.then_some(a.value),
                        })
                        .collect(),
                    raw: tag.raw,
                    self_closing: tag.self_closing,
                }));
                text_start = tok.pos();
            }
            Token_::RawText(s) => {
                out.push(Token::Text(s));
                text_start = tok.pos();
            }
            _ => {}
        }
        at = tok.pos();
    }
    if text_start < html.len() {
        out.push(Token::Text(&html[text_start..]));
    }
    out
}

/// Decode the character references of an attribute value (see `util::html`).
pub(crate) fn decode_entities(s: &str) -> String {
    decode_attribute(s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_attrs_and_raw_text() {
        let html = "<!doctype html><p class=x data-a='1' hidden>a < b</p><script>if(a<b){x='<a href=\"y\">'}</script><img src=\"i.png\"/>";
        let toks = tokens(html);
        let tags: Vec<&Tag> = toks
            .iter()
            .filter_map(|t| match t {
                Token::Start(t) => Some(t),
                _ => None,
            })
            .collect();
        let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["p", "script", "img"]);
        assert_eq!(tags[0].get("class").as_deref(), Some("x"));
        assert_eq!(tags[0].get("data-a").as_deref(), Some("1"));
        assert!(
            tags[0]
                .attrs
                .iter()
                .any(|a| a.name == "hidden" && a.value.is_none())
        );
        assert!(tags[2].self_closing);
        // Every byte is kept.
        let joined: String = toks
            .iter()
            .map(|t| match t {
                Token::Text(s) => *s,
                Token::Start(t) => t.raw,
            })
            .collect();
        assert_eq!(joined, html);
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("http:&#x2F;&#x2F;a&amp;b&#39;&nope;"),
            "http://a&b'&nope;"
        );
    }
}
