//! A small HTML tokenizer for our own generated pages: tags with their attributes, text kept verbatim.
//!
//! It understands what the export rewrite needs and nothing more: start tags (quoted and
//! unquoted attributes), end tags, comments and doctypes, and the raw text of `<script>`,
//! `<style>`, `<textarea>` and `<title>`, which must not be read as markup.

/// One piece of an HTML document; every byte of the input belongs to exactly one token.
#[derive(Debug)]
pub enum Token<'a> {
    /// Text, comments, doctypes, end tags, and raw script/style content, to copy as they are.
    Text(&'a str),
    Start(Tag<'a>),
}

/// A start tag.
#[derive(Debug)]
pub struct Tag<'a> {
    /// Lower-cased element name.
    pub name: String,
    pub attrs: Vec<Attr<'a>>,
    /// The tag exactly as written, `<` to `>`.
    pub raw: &'a str,
    pub self_closing: bool,
}

/// One attribute; `value` is as written (entities not decoded), `None` for a bare attribute.
#[derive(Debug, Clone)]
pub struct Attr<'a> {
    pub name: String,
    pub value: Option<&'a str>,
}

impl Tag<'_> {
    /// The decoded value of attribute `name`.
    pub fn get(&self, name: &str) -> Option<String> {
        self.attrs
            .iter()
            .find(|a| a.name == name)
            .map(|a| decode_entities(a.value.unwrap_or("")))
    }

    /// Whether the space-separated `rel` attribute holds `word`.
    pub fn rel_has(&self, word: &str) -> bool {
        self.get("rel")
            .map(|r| {
                r.split_ascii_whitespace()
                    .any(|w| w.eq_ignore_ascii_case(word))
            })
            .unwrap_or(false)
    }
}

/// Every `id` of the start tags in `toks`: the targets of in-page anchors.
pub fn ids(toks: &[Token]) -> std::collections::HashSet<String> {
    toks.iter()
        .filter_map(|t| match t {
            Token::Start(tag) => tag.get("id"),
            Token::Text(_) => None,
        })
        .collect()
}

/// Split `html` into tokens. A raw-text element (`script`, `style`, `textarea`, `title`) is
/// always followed by exactly one `Text` token holding its content, possibly empty.
pub fn tokens(html: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let bytes = html.as_bytes();
    let mut text_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &html[i..];
        let next = bytes.get(i + 1).copied().unwrap_or(b' ');
        if rest.starts_with("<!--") {
            i += rest.find("-->").map(|e| e + 3).unwrap_or(rest.len());
            continue;
        }
        if next == b'!' || next == b'?' || next == b'/' {
            i += rest.find('>').map(|e| e + 1).unwrap_or(rest.len());
            continue;
        }
        if !next.is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let Some((tag, len)) = parse_tag(rest) else {
            i += 1;
            continue;
        };
        if text_start < i {
            out.push(Token::Text(&html[text_start..i]));
        }
        i += len;
        let raw_text = matches!(tag.name.as_str(), "script" | "style" | "textarea" | "title");
        // HTML ignores `/>` on <script>; in SVG, `<style/>` and `<title/>` are empty.
        let closes = raw_text && (!tag.self_closing || tag.name == "script");
        let name = tag.name.clone();
        out.push(Token::Start(tag));
        text_start = i;
        if closes {
            let end = find_ci(&html[i..], &format!("</{name}")).unwrap_or(html.len() - i);
            i += end;
            // Always present (maybe empty), so a rewrite can drop an element's content.
            out.push(Token::Text(&html[text_start..i]));
            text_start = i;
        }
    }
    if text_start < html.len() {
        out.push(Token::Text(&html[text_start..]));
    }
    out
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.len();
    let hb = hay.as_bytes();
    (0..hb.len().saturating_sub(n - 1))
        .find(|&i| hb[i..i + n].eq_ignore_ascii_case(needle.as_bytes()))
}

/// Parse `<name attr="v" ...>` at the start of `s`; returns the tag and its length in bytes.
fn parse_tag(s: &str) -> Option<(Tag<'_>, usize)> {
    let b = s.as_bytes();
    let mut i = 1;
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
        i += 1;
    }
    let name = s[1..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        match b[i] {
            b'>' => {
                i += 1;
                break;
            }
            b'/' => {
                i += 1;
                if b.get(i) == Some(&b'>') {
                    self_closing = true;
                }
                continue;
            }
            _ => {}
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let aname = s[start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = None;
        if b.get(i) == Some(&b'=') {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            match b.get(i) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let end = s[i + 1..].find(q as char)? + i + 1;
                    value = Some(&s[i + 1..end]);
                    i = end + 1;
                }
                Some(_) => {
                    let vs = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = Some(&s[vs..i]);
                }
                None => return None,
            }
        }
        if !aname.is_empty() {
            attrs.push(Attr { name: aname, value });
        }
    }
    Some((
        Tag {
            name,
            attrs,
            raw: &s[..i],
            self_closing,
        },
        i,
    ))
}

/// Decode the character references our templates and Tera produce (named basics, decimal, hex).
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[..rest.len().min(12)].find(';');
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ if name.starts_with("#x") || name.starts_with("#X") => {
                    u32::from_str_radix(&name[2..], 16)
                        .ok()
                        .and_then(char::from_u32)
                }
                _ if name.starts_with('#') => name[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
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
