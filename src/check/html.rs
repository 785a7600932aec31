//! A small HTML scanner for the link checker: the URLs a page references and the ids it defines.
//!
//! It reads tags and attributes the way a browser's tokenizer does for well-formed pages (quoted,
//! unquoted and valueless attributes, entities, comments, raw-text `<script>`/`<style>`), which is
//! all a generated site needs; it builds no tree.

/// A URL found in an attribute of the page.
#[derive(Debug, Clone, PartialEq)]
pub struct UrlRef {
    /// Byte offset of the attribute value in the page.
    pub offset: usize,
    /// Element name, lower case (`a`, `img`, `link`, ...).
    pub element: String,
    /// The attribute value with entities decoded.
    pub url: String,
    /// What a reader sees: the text of an `<a>`, the `alt` of an `<img>`.
    pub text: String,
}

/// An `id` (or `<a name>`) defined by the page.
#[derive(Debug, Clone, PartialEq)]
pub struct IdDef {
    pub offset: usize,
    pub id: String,
    /// True for `id=`; `<a name=>` is a fragment target but may repeat an id legally.
    pub is_id: bool,
}

/// Everything the checker needs from one page.
#[derive(Debug, Default)]
pub struct Scan {
    pub urls: Vec<UrlRef>,
    pub ids: Vec<IdDef>,
    /// The `<base href>`, if the page has one.
    pub base: Option<String>,
}

/// Attributes holding one URL, by name.
const URL_ATTRS: [&str; 4] = ["href", "src", "poster", "xlink:href"];

/// Scan a page.
pub fn scan(html: &str) -> Scan {
    let mut out = Scan::default();
    let bytes = html.as_bytes();
    let mut i = 0;
    // Index into `out.urls` of the `<a>` whose text is being collected, and that text.
    let mut open_a: Option<(usize, String)> = None;
    while i < bytes.len() {
        let Some(lt) = html[i..].find('<').map(|p| p + i) else {
            if let Some((_, t)) = &mut open_a {
                t.push_str(&html[i..]);
            }
            break;
        };
        if let Some((_, t)) = &mut open_a {
            t.push_str(&html[i..lt]);
        }
        let rest = &html[lt..];
        if rest.starts_with("<!--") {
            i = rest.find("-->").map(|e| lt + e + 3).unwrap_or(bytes.len());
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            i = rest.find('>').map(|e| lt + e + 1).unwrap_or(bytes.len());
            continue;
        }
        if let Some(after) = rest.strip_prefix("</") {
            let name = tag_name(after);
            if name == "a"
                && let Some((idx, t)) = open_a.take()
            {
                out.urls[idx].text = clean_text(&t);
            }
            i = rest.find('>').map(|e| lt + e + 1).unwrap_or(bytes.len());
            continue;
        }
        let name = tag_name(&rest[1..]);
        let name = name.as_ref();
        if name.is_empty() || !rest.as_bytes()[1].is_ascii_alphabetic() {
            // A lone `<` in text.
            if let Some((_, t)) = &mut open_a {
                t.push('<');
            }
            i = lt + 1;
            continue;
        }
        let (attrs, end) = attributes(html, lt + 1 + name.len());
        i = end;
        // Values are decoded only for the attributes the checker reads.
        let alt = attrs
            .iter()
            .find(|a| a.name == "alt")
            .map(|a| decode_entities(a.value))
            .unwrap_or_default();
        for a in &attrs {
            let an = a.name.as_ref();
            if an == "id" && !a.value.is_empty() {
                out.ids.push(IdDef {
                    offset: a.offset,
                    id: decode_entities(a.value),
                    is_id: true,
                });
            } else if an == "name" && name == "a" && !a.value.is_empty() {
                out.ids.push(IdDef {
                    offset: a.offset,
                    id: decode_entities(a.value),
                    is_id: false,
                });
            } else if an == "href" && name == "base" {
                out.base = Some(decode_entities(a.value));
            } else if URL_ATTRS.contains(&an) {
                if name == "a" {
                    open_a = Some((out.urls.len(), String::new()));
                }
                out.urls.push(UrlRef {
                    offset: a.offset,
                    element: name.to_string(),
                    url: decode_entities(a.value),
                    text: alt.clone(),
                });
            } else if an == "srcset" {
                let mut off = a.offset;
                for candidate in decode_entities(a.value).split(',') {
                    let url = candidate.split_whitespace().next().unwrap_or("");
                    if !url.is_empty() {
                        out.urls.push(UrlRef {
                            offset: off,
                            element: name.to_string(),
                            url: url.to_string(),
                            text: alt.clone(),
                        });
                    }
                    off += candidate.len() + 1;
                }
            }
        }
        if matches!(name, "script" | "style" | "textarea" | "title") {
            i = find_close(bytes, i, name.as_bytes());
        }
    }
    out
}

struct Attr<'h> {
    /// Lower case.
    name: Cow<'h, str>,
    /// As written: entities not yet decoded.
    value: &'h str,
    offset: usize,
}

/// Parse attributes from `start` (just after the tag name) to the closing `>`.
fn attributes(html: &str, start: usize) -> (Vec<Attr<'_>>, usize) {
    let b = html.as_bytes();
    let mut i = start;
    let mut out = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return (out, b.len());
        }
        if b[i] == b'>' {
            return (out, i + 1);
        }
        let ns = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = lower(&html[ns..i]);
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let (vs, ve, next) = match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let e = memchr(q, &b[i + 1..]).map(|p| i + 1 + p).unwrap_or(b.len());
                    (i + 1, e, (e + 1).min(b.len()))
                }
                _ => {
                    let mut e = i;
                    while e < b.len() && !b[e].is_ascii_whitespace() && b[e] != b'>' {
                        e += 1;
                    }
                    (i, e, e)
                }
            };
            out.push(Attr {
                name,
                value: &html[vs..ve],
                offset: vs,
            });
            i = next;
        } else {
            out.push(Attr {
                name,
                value: "",
                offset: ns,
            });
        }
    }
}

/// Offset of the `</name` that ends a raw-text element (any case), or the end of the page.
fn find_close(b: &[u8], from: usize, name: &[u8]) -> usize {
    let mut i = from;
    while let Some(p) = memchr(b'<', &b[i..]) {
        let at = i + p;
        let rest = &b[at + 1..];
        if rest.first() == Some(&b'/')
            && rest.len() > name.len()
            && rest[1..=name.len()].eq_ignore_ascii_case(name)
        {
            return at;
        }
        i = at + 1;
    }
    b.len()
}

fn tag_name(s: &str) -> Cow<'_, str> {
    let end = s
        .bytes()
        .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'-' | b':' | b'_')))
        .unwrap_or(s.len());
    lower(&s[..end])
}

/// `s` in ASCII lower case, borrowed when it already is.
fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|c| c.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

use std::borrow::Cow;

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    memchr::memchr(needle, hay)
}

/// Tags stripped, entities decoded, whitespace collapsed: text as a reader sees it.
fn clean_text(s: &str) -> String {
    let mut plain = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => plain.push(c),
            _ => {}
        }
    }
    decode_entities(&plain)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Decode character references: `&amp;`, `&#x2F;`, `&#47;` and the few named ones templates use.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        let after = &rest[p + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let body = &after[..e];
            let c = if let Some(hex) = body.strip_prefix("#x").or_else(|| body.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
            } else if let Some(dec) = body.strip_prefix('#') {
                dec.parse::<u32>().ok().and_then(char::from_u32)
            } else {
                match body {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "nbsp" => Some('\u{a0}'),
                    _ => None,
                }
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
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
    fn entities_numeric_and_named() {
        assert_eq!(decode_entities("..&#x2F;a&#47;b&amp;c&lt;"), "../a/b&c<");
        assert_eq!(
            decode_entities("a & b &unknown; &#xZZ;"),
            "a & b &unknown; &#xZZ;"
        );
    }

    #[test]
    fn urls_ids_and_text() {
        let s = scan(
            "<!-- <a href=\"no\"> --><a class=x href='one.html#a'>One <b>bold</b></a>\n<img alt=\"Pic\" src=pic.png>\
             <script>var s = '<a href=\"no2\">';</script><h2 id=\"h\">H</h2><a name=\"old\"></a><base href=\"/x/\">",
        );
        let urls: Vec<(&str, &str, &str)> = s
            .urls
            .iter()
            .map(|u| (u.element.as_str(), u.url.as_str(), u.text.as_str()))
            .collect();
        assert_eq!(
            urls,
            vec![("a", "one.html#a", "One bold"), ("img", "pic.png", "Pic")]
        );
        assert_eq!(s.base.as_deref(), Some("/x/"));
        let ids: Vec<(&str, bool)> = s.ids.iter().map(|d| (d.id.as_str(), d.is_id)).collect();
        assert_eq!(ids, vec![("h", true), ("old", false)]);
    }

    #[test]
    fn srcset_candidates() {
        let s = scan("<img src=\"a.png\" srcset=\"a.png 1x, a@2x.png 2x\" alt=\"\">");
        let urls: Vec<&str> = s.urls.iter().map(|u| u.url.as_str()).collect();
        assert_eq!(urls, vec!["a.png", "a.png", "a@2x.png"]);
    }
}
