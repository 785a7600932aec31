//! The one HTML tokenizer and character-reference decoder, shared by the link check, the export and the tests.
//!
//! It reads markup the way the HTML standard's tokenizer does for the pages a site generator
//! writes: start tags with quoted, unquoted and valueless attributes (names lower-cased, a
//! repeated attribute dropped), end tags, comments, doctypes, and the raw text of `script`,
//! `style`, `textarea`, `title` and the other raw-text elements, which is not read as markup.
//! It builds no tree and copies nothing: every token borrows the page.
//!
//! Left out, because generated pages do not need them: the tree builder's foreign-content rules
//! (a `<title>` inside `<svg>` is read as raw text up to `</title>`, and `<style/>` and
//! `<title/>` written self-closed, as SVG allows, hold no raw text), script-data escapes
//! (`<!--` inside a script) and `--!>` as a comment end. `tests/it/html_parity.rs` compares
//! this tokenizer with html5ever on every page of the book.

use std::borrow::Cow;

/// One piece of a page. Every byte of the input belongs to exactly one token.
#[derive(Debug, Clone, PartialEq)]
pub enum Token<'h> {
    /// Text between markup, as written (character references not decoded). A `<` that opens
    /// no markup (`a < b`) is text of its own.
    Text(&'h str),
    /// The content of a raw-text element (`script`, `style`, `title`, ...): always the token
    /// after its start tag, possibly empty.
    RawText(&'h str),
    /// A comment, doctype, processing instruction or other `<!...>` / `<?...>`.
    Comment(&'h str),
    /// An end tag `</name ...>`.
    End(EndTag<'h>),
    /// A start tag; its attributes are in [`Tokenizer::attrs`] until the next token is read.
    Start(StartTag<'h>),
}

impl<'h> Token<'h> {
    /// The token's bytes exactly as written.
    pub fn raw(&self) -> &'h str {
        match self {
            Token::Text(s) | Token::RawText(s) | Token::Comment(s) => s,
            Token::End(t) => t.raw,
            Token::Start(t) => t.raw,
        }
    }
}

/// An end tag. Its name is read only when asked for: a page has as many end tags as start
/// tags, and the link check looks at one name (`a`) only.
#[derive(Debug, Clone, PartialEq)]
pub struct EndTag<'h> {
    /// The tag exactly as written, `</` to `>`.
    pub raw: &'h str,
    /// Byte offset of the `<` in the page.
    pub offset: usize,
}

impl<'h> EndTag<'h> {
    /// The name, lower case.
    pub fn name(&self) -> Cow<'h, str> {
        tag_name(&self.raw[2..])
    }

    /// Whether the name is `name` (given in lower case), compared without case.
    pub fn is(&self, name: &str) -> bool {
        let b = &self.raw.as_bytes()[2..];
        b.len() >= name.len()
            && b[..name.len()].eq_ignore_ascii_case(name.as_bytes())
            && b.get(name.len()).is_none_or(|&c| is(c, NAME_END))
    }
}

/// A start tag.
#[derive(Debug, Clone, PartialEq)]
pub struct StartTag<'h> {
    /// Lower case.
    pub name: Cow<'h, str>,
    /// The tag exactly as written, `<` to `>`.
    pub raw: &'h str,
    /// Byte offset of the `<` in the page.
    pub offset: usize,
    /// Written `<name ... />`.
    pub self_closing: bool,
}

/// One attribute of a start tag.
#[derive(Debug, Clone, PartialEq)]
pub struct Attr<'h> {
    /// Lower case.
    pub name: Cow<'h, str>,
    /// As written, character references not decoded; empty for a valueless attribute.
    pub value: &'h str,
    /// Byte offset of the value in the page (of the name, for a valueless attribute).
    pub offset: usize,
    /// Whether the attribute has `=` and a value (`hidden` has none).
    pub has_value: bool,
}

impl Attr<'_> {
    /// The value with character references decoded.
    pub fn decoded(&self) -> Cow<'_, str> {
        decode_attribute(self.value)
    }
}

/// The element's name when its content is raw text, up to its end tag (a `match`, which
/// compiles to a switch on the length: every start tag of every page asks).
fn raw_text_element(name: &str) -> Option<&'static str> {
    Some(match name {
        "script" => "script",
        "style" => "style",
        "textarea" => "textarea",
        "title" => "title",
        "xmp" => "xmp",
        "iframe" => "iframe",
        "noembed" => "noembed",
        "noframes" => "noframes",
        "noscript" => "noscript",
        _ => return None,
    })
}

/// Reads tokens from a page, one at a time, from any offset that is between tokens.
pub struct Tokenizer<'h> {
    html: &'h str,
    pos: usize,
    /// No markup starting at or after this offset is read (see [`Tokenizer::stop_at`]).
    limit: usize,
    /// The raw-text element just opened, whose content is the next token.
    raw_text: Option<&'static str>,
    attrs: Vec<Attr<'h>>,
}

impl<'h> Tokenizer<'h> {
    /// A tokenizer at the start of `html`.
    pub fn new(html: &'h str) -> Self {
        Self::at(html, 0)
    }

    /// A tokenizer at byte `pos` of `html`, which must be between tokens.
    pub(crate) fn at(html: &'h str, pos: usize) -> Self {
        Tokenizer {
            html,
            pos,
            limit: usize::MAX,
            raw_text: None,
            attrs: Vec::new(),
        }
    }

    /// Where the next token starts.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// Stop before markup that starts at or after `limit`: `next` returns `None` there
    /// (the text before it is still read), and reading goes on after a later `stop_at`.
    pub(crate) fn stop_at(&mut self, limit: usize) {
        self.limit = limit;
    }

    /// The attributes of the last start tag read, in order, repeats dropped.
    pub fn attrs(&self) -> &[Attr<'h>] {
        &self.attrs
    }

    /// The next token, or `None` at the end of the page (or at the limit).
    #[allow(clippy::should_implement_trait)]
    #[inline]
    pub fn next(&mut self) -> Option<Token<'h>> {
        let (html, b, start) = (self.html, self.html.as_bytes(), self.pos);
        if let Some(name) = self.raw_text.take() {
            self.pos = find_end_tag(b, start, name.as_bytes());
            return Some(Token::RawText(&html[start..self.pos]));
        }
        if start >= b.len() {
            return None;
        }
        if b[start] != b'<' {
            self.pos = memchr::memchr(b'<', &b[start..]).map_or(b.len(), |p| start + p);
            return Some(Token::Text(&html[start..self.pos]));
        }
        if start >= self.limit {
            return None;
        }
        let rest = &b[start..];
        let after = |len: Option<usize>| len.map_or(b.len(), |e| start + e);
        let token = if rest.starts_with(b"<!--") {
            self.pos = after(memchr::memmem::find(&rest[2..], b"-->").map(|e| e + 5));
            Token::Comment(&html[start..self.pos])
        } else if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            self.pos = after(memchr::memchr(b'>', rest).map(|e| e + 1));
            Token::Comment(&html[start..self.pos])
        } else if rest.starts_with(b"</") && rest.get(2).is_some_and(u8::is_ascii_alphabetic) {
            self.pos = after(memchr::memchr(b'>', rest).map(|e| e + 1));
            Token::End(EndTag {
                raw: &html[start..self.pos],
                offset: start,
            })
        } else if rest.starts_with(b"</") {
            // `</>` and `</ x>`: ignored as markup.
            self.pos = after(memchr::memchr(b'>', rest).map(|e| e + 1));
            Token::Comment(&html[start..self.pos])
        } else if rest.get(1).is_some_and(u8::is_ascii_alphabetic) {
            return Some(self.start_tag(start));
        } else {
            self.pos = start + 1;
            Token::Text(&html[start..self.pos])
        };
        Some(token)
    }

    /// The next token that is not text, which is stepped over (for readers that look only at
    /// markup, such as the link check: a page has about as many text runs as tags).
    pub(crate) fn next_markup(&mut self) -> Option<Token<'h>> {
        loop {
            let b = self.html.as_bytes();
            if self.raw_text.is_none() && b.get(self.pos).is_some_and(|&c| c != b'<') {
                self.pos = memchr::memchr(b'<', &b[self.pos..]).map_or(b.len(), |p| self.pos + p);
            }
            match self.next()? {
                Token::Text(_) => {}
                token => return Some(token),
            }
        }
    }

    /// Read the start tag at `start`; a tag cut off by the end of the page is text.
    fn start_tag(&mut self, start: usize) -> Token<'h> {
        let html = self.html;
        let name = tag_name(&html[start + 1..]);
        self.attrs.clear();
        let Some((end, self_closing)) = attributes(html, start + 1 + name.len(), &mut self.attrs)
        else {
            self.attrs.clear();
            self.pos = html.len();
            return Token::Text(&html[start..]);
        };
        self.pos = end;
        let raw_text = raw_text_element(&name);
        // HTML ignores `/>` on a script; in SVG, `<style/>` and `<title/>` are empty.
        if raw_text.is_some() && (!self_closing || name == "script") {
            self.raw_text = raw_text;
        }
        Token::Start(StartTag {
            name,
            raw: &html[start..end],
            offset: start,
            self_closing,
        })
    }
}

/// What a byte ends, looked up in `CLASS` (every byte of every tag is classed).
const WS: u8 = 1;
/// Ends a tag or attribute name: whitespace, `/`, `>` (and `=` for an attribute's).
const NAME_END: u8 = 2;
/// Ends an unquoted attribute value: whitespace, `>`.
const VALUE_END: u8 = 4;
const UPPER: u8 = 8;
/// `=`, which ends an attribute's name.
const EQ: u8 = 16;

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let ws = [b' ', b'\t', b'\n', b'\r', b'\x0c'];
    let mut i = 0;
    while i < ws.len() {
        t[ws[i] as usize] = WS | NAME_END | VALUE_END;
        i += 1;
    }
    t[b'/' as usize] = NAME_END;
    t[b'>' as usize] = NAME_END | VALUE_END;
    t[b'=' as usize] = EQ;
    let mut c = b'A';
    while c <= b'Z' {
        t[c as usize] = UPPER;
        c += 1;
    }
    t
};

fn is(b: u8, class: u8) -> bool {
    CLASS[b as usize] & class != 0
}

/// From `i`, the offset of the first byte of `b` that is in `class` (or `b.len()`).
fn skip_until(b: &[u8], mut i: usize, class: u8) -> usize {
    while i < b.len() && !is(b[i], class) {
        i += 1;
    }
    i
}

/// From `i`, the offset of the first byte that is not whitespace (or `b.len()`).
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && is(b[i], WS) {
        i += 1;
    }
    i
}

/// Parse attributes from `start` (just after the tag name) to the closing `>` into `out`,
/// dropping any whose name repeats an earlier one. Returns the offset after the tag and
/// whether it ends in `/>`, or `None` when the page ends inside the tag.
fn attributes<'h>(html: &'h str, start: usize, out: &mut Vec<Attr<'h>>) -> Option<(usize, bool)> {
    let b = html.as_bytes();
    let mut i = start;
    let mut seen = 0u64;
    loop {
        let mut slash = false;
        while i < b.len() && (is(b[i], WS) || b[i] == b'/') {
            slash = b[i] == b'/';
            i += 1;
        }
        if *b.get(i)? == b'>' {
            return Some((i + 1, slash));
        }
        // The first character is part of the name even when it is `=`.
        let ns = i;
        let (name, end) = name_at(html, ns, NAME_END | EQ);
        i = skip_ws(b, end);
        let attr = if b.get(i) == Some(&b'=') {
            i = skip_ws(b, i + 1);
            let (vs, ve, next) = match b.get(i)? {
                &q @ (b'"' | b'\'') => {
                    let e = memchr::memchr(q, &b[i + 1..])? + i + 1;
                    (i + 1, e, e + 1)
                }
                b'>' => (i, i, i),
                _ => {
                    let e = skip_until(b, i, VALUE_END);
                    (i, e, e)
                }
            };
            i = next;
            Attr {
                name,
                value: &html[vs..ve],
                offset: vs,
                has_value: true,
            }
        } else {
            Attr {
                name,
                value: "",
                offset: ns,
                has_value: false,
            }
        };
        // A repeat is rare: names are compared only when one of the same length and first
        // byte was seen before.
        let key = 1u64 << ((attr.name.len() * 7 + usize::from(attr.name.as_bytes()[0])) & 63);
        if seen & key == 0 || !out.iter().any(|a| a.name == attr.name) {
            seen |= key;
            out.push(attr);
        }
    }
}

/// Offset of the `</name` (any case, then a space, `/` or `>`) that ends a raw-text element,
/// or the end of the page.
fn find_end_tag(b: &[u8], from: usize, name: &[u8]) -> usize {
    let mut i = from;
    while let Some(p) = memchr::memmem::find(&b[i..], b"</") {
        let at = i + p;
        let rest = &b[at + 2..];
        if rest.len() > name.len()
            && rest[..name.len()].eq_ignore_ascii_case(name)
            && matches!(
                rest[name.len()],
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>'
            )
        {
            return at;
        }
        i = at + 2;
    }
    b.len()
}

/// The tag name at the start of `s` (up to a space, `/` or `>`), lower case.
fn tag_name(s: &str) -> Cow<'_, str> {
    name_at(s, 0, NAME_END).0
}

/// The name that starts at `start` (whatever its first byte) and ends before the next byte
/// in class `end` (or at the end of `s`), in ASCII lower case, borrowed when it already is;
/// and the offset where it ends. One pass: each byte's class says both whether it ends the
/// name and whether it is upper case.
#[inline]
fn name_at(s: &str, start: usize, end: u8) -> (Cow<'_, str>, usize) {
    let b = s.as_bytes();
    let Some(&first) = b.get(start) else {
        return (Cow::Borrowed(""), start);
    };
    let mut seen = CLASS[first as usize];
    let mut i = start + 1;
    while let Some(&c) = b.get(i) {
        let class = CLASS[c as usize];
        if class & end != 0 {
            break;
        }
        seen |= class;
        i += 1;
    }
    let name = &s[start..i];
    let name = if seen & UPPER != 0 {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    };
    (name, i)
}

/// Decode the character references of an attribute value (`&amp;`, `&#x2F;`, `&#47;`, the
/// common named ones), as the HTML tokenizer does.
pub(crate) fn decode_attribute(s: &str) -> Cow<'_, str> {
    decode(s, true)
}

/// Decode the character references of text between tags.
pub(crate) fn decode_text(s: &str) -> Cow<'_, str> {
    decode(s, false)
}

/// Named references decoded, with whether HTML also accepts them without `;` (the legacy
/// Latin-1 names). The full set has over 2,000; these are the ones pages commonly hold.
const NAMED: [(&str, char, bool); 38] = [
    ("amp", '&', true),
    ("lt", '<', true),
    ("gt", '>', true),
    ("quot", '"', true),
    ("apos", '\'', false),
    ("nbsp", '\u{a0}', true),
    ("copy", '©', true),
    ("reg", '®', true),
    ("deg", '°', true),
    ("plusmn", '±', true),
    ("times", '×', true),
    ("divide", '÷', true),
    ("middot", '·', true),
    ("para", '¶', true),
    ("sect", '§', true),
    ("laquo", '«', true),
    ("raquo", '»', true),
    ("cent", '¢', true),
    ("pound", '£', true),
    ("yen", '¥', true),
    ("euro", '€', false),
    ("trade", '™', false),
    ("ndash", '–', false),
    ("mdash", '—', false),
    ("hellip", '…', false),
    ("lsquo", '‘', false),
    ("rsquo", '’', false),
    ("ldquo", '“', false),
    ("rdquo", '”', false),
    ("bull", '•', false),
    ("larr", '←', false),
    ("rarr", '→', false),
    ("uarr", '↑', false),
    ("darr", '↓', false),
    ("le", '≤', false),
    ("ge", '≥', false),
    ("ne", '≠', false),
    ("minus", '−', false),
];

fn decode(s: &str, in_attribute: bool) -> Cow<'_, str> {
    let Some(first) = memchr::memchr(b'&', s.as_bytes()) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len());
    out.push_str(&s[..first]);
    let mut rest = &s[first..];
    while !rest.is_empty() {
        let (c, len) = reference(rest, in_attribute).unwrap_or(('&', 1));
        out.push(c);
        rest = &rest[len..];
        let next = memchr::memchr(b'&', rest.as_bytes()).unwrap_or(rest.len());
        out.push_str(&rest[..next]);
        rest = &rest[next..];
    }
    Cow::Owned(out)
}

/// The character a reference at the start of `s` (which starts with `&`) stands for, and its
/// length in bytes; `None` when it is no reference and the `&` is literal.
fn reference(s: &str, in_attribute: bool) -> Option<(char, usize)> {
    let b = s.as_bytes();
    if b.get(1) == Some(&b'#') {
        let hex = matches!(b.get(2), Some(b'x' | b'X'));
        let from = if hex { 3 } else { 2 };
        let digits = b[from..]
            .iter()
            .take_while(|c| {
                if hex {
                    c.is_ascii_hexdigit()
                } else {
                    c.is_ascii_digit()
                }
            })
            .count();
        if digits == 0 {
            return None;
        }
        let text = &s[from..from + digits];
        let value = u32::from_str_radix(text, if hex { 16 } else { 10 }).unwrap_or(u32::MAX);
        let end = from + digits + usize::from(b.get(from + digits) == Some(&b';'));
        return Some((numeric(value), end));
    }
    let name_len = b[1..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    let name = &s[1..1 + name_len];
    if b.get(1 + name_len) == Some(&b';')
        && let Some(&(_, c, _)) = NAMED.iter().find(|(n, _, _)| *n == name)
    {
        return Some((c, name_len + 2));
    }
    // Without `;`, the longest legacy name the run starts with; in an attribute, not when a
    // letter, digit or `=` follows it (`?a=1&amp=2` is a query, not a reference).
    let &(legacy, c, _) = NAMED
        .iter()
        .filter(|(n, _, legacy)| *legacy && name.starts_with(n))
        .max_by_key(|(n, _, _)| n.len())?;
    let next = b.get(1 + legacy.len()).copied();
    let blocked = in_attribute && next.is_some_and(|n| n.is_ascii_alphanumeric() || n == b'=');
    (!blocked).then_some((c, legacy.len() + 1))
}

/// The character of a numeric reference, with the HTML standard's replacements: U+FFFD for
/// zero, surrogates and values past U+10FFFF, Windows-1252 for 0x80-0x9F.
fn numeric(value: u32) -> char {
    const C1: [u32; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
        0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    let value = match value {
        0x80..=0x9F => C1[(value - 0x80) as usize],
        v => v,
    };
    if value == 0 {
        return '\u{fffd}';
    }
    char::from_u32(value).unwrap_or('\u{fffd}')
}

#[cfg(test)]
mod tests;
