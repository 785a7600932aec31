//! A small HTML scanner for the link checker: the URLs a page references and the ids it defines.
//!
//! It reads the page with the shared tokenizer of `util::html` and keeps ranges into the page
//! rather than copies; it builds no tree.

use crate::util::html::{Attr, StartTag, Token, Tokenizer, decode_attribute, decode_text};
use std::borrow::Cow;

/// A URL found in an attribute of the page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UrlRef<'h> {
    /// Byte offset of the attribute value in the page.
    pub offset: usize,
    /// Element name, lower case (`a`, `img`, `link`, ...).
    pub element: Cow<'h, str>,
    /// The attribute value with entities decoded.
    pub url: Cow<'h, str>,
    /// Where the text a reader sees is; read with `UrlRef::text` (only a finding needs it).
    pub text_at: TextAt,
}

/// Where a link's visible text is in the page: a range rather than a copy, because a site's
/// hundreds of thousands of links need it only for the few that are broken.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) enum TextAt {
    #[default]
    None,
    /// The content of an `<a>`, tags included (`html[start..start + len]`).
    Content { start: usize, len: u32 },
    /// An `alt` attribute's value as written.
    Alt { start: usize, len: u32 },
}

impl TextAt {
    fn range(start: usize, end: usize) -> (usize, u32) {
        // A link's text longer than 4 GiB is cut there, which no reader would notice.
        (start, u32::try_from(end - start).unwrap_or(u32::MAX))
    }
}

impl UrlRef<'_> {
    /// What a reader sees: the text of an `<a>` (tags and comments left out, whitespace
    /// collapsed), the `alt` of an `<img>`. `html` is the page that was scanned.
    pub(crate) fn text(&self, html: &str) -> String {
        let slice = |start: usize, len: u32| html.get(start..start + len as usize).unwrap_or("");
        match self.text_at {
            TextAt::None => String::new(),
            TextAt::Alt { start, len } => decode_attribute(slice(start, len)).into_owned(),
            TextAt::Content { start, len } => link_text(slice(start, len)),
        }
    }
}

/// The text of an `<a>`'s content: its text tokens, without tags, comments or raw text.
fn link_text(raw: &str) -> String {
    let mut tok = Tokenizer::new(raw);
    let mut text = String::new();
    while let Some(t) = tok.next() {
        if let Token::Text(s) = t {
            text.push_str(s);
        }
    }
    clean_text(&text)
}

/// An `id` (or `<a name>`) defined by the page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct IdDef<'h> {
    pub offset: usize,
    pub id: Cow<'h, str>,
    /// True for `id=`; `<a name=>` is a fragment target but may repeat an id legally.
    pub is_id: bool,
}

/// Everything the checker needs from one page. Names and values borrow the page unless
/// decoding changed them.
#[derive(Debug, Default)]
pub(crate) struct Scan<'h> {
    pub urls: Vec<UrlRef<'h>>,
    pub ids: Vec<IdDef<'h>>,
    /// The `<base href>`, if the page has one.
    pub base: Option<Cow<'h, str>>,
}

impl Scan<'_> {
    /// The same scan owning all its strings (for a page that had to be converted to UTF-8).
    pub(crate) fn into_owned(self) -> Scan<'static> {
        let own = |c: Cow<'_, str>| Cow::Owned(c.into_owned());
        Scan {
            urls: self
                .urls
                .into_iter()
                .map(|u| UrlRef {
                    offset: u.offset,
                    element: own_element(u.element),
                    url: own(u.url),
                    text_at: u.text_at,
                })
                .collect(),
            ids: self
                .ids
                .into_iter()
                .map(|d| IdDef {
                    offset: d.offset,
                    id: own(d.id),
                    is_id: d.is_id,
                })
                .collect(),
            base: self.base.map(own),
        }
    }
}

/// An element name owned: the names links are made of are shared, not copied once per link.
fn own_element(name: Cow<'_, str>) -> Cow<'static, str> {
    const COMMON: [&str; 10] = [
        "a", "img", "link", "script", "source", "iframe", "video", "audio", "area", "image",
    ];
    match COMMON.iter().find(|c| **c == name) {
        Some(c) => Cow::Borrowed(c),
        None => Cow::Owned(name.into_owned()),
    }
}

/// Attributes holding one URL, by name.
const URL_ATTRS: [&str; 4] = ["href", "src", "poster", "xlink:href"];

/// Pages at least this long are scanned in pieces, in parallel (the all-notes page).
const CHUNK: usize = 256 * 1024;

/// Scan a page.
pub(crate) fn scan(html: &str) -> Scan<'_> {
    let mut s = Scanner::new(0);
    s.run(html, html.len());
    s.finish()
}

/// Scan a page, a long one in parallel pieces; the result is exactly `scan(html)`'s.
///
/// The page is cut just before a `<` every `CHUNK` bytes and each piece scanned from there as if
/// the scanner were between tags. Where the piece before really ended between tags (no comment,
/// raw-text element, tag or `<a>` still open at the cut), the two join seamlessly. Where it did
/// not (a note with an unclosed `<!--`, say), that piece's scan simply goes on to the end of the
/// page on its own and the later pieces are dropped.
pub(crate) fn scan_parallel(html: &str) -> Scan<'_> {
    use rayon::prelude::*;
    let b = html.as_bytes();
    let mut cuts = vec![0];
    let mut at = CHUNK;
    while at < b.len() {
        match memchr(b'<', &b[at..]) {
            Some(p) => cuts.push(at + p),
            None => break,
        }
        at = cuts[cuts.len() - 1] + CHUNK;
    }
    if cuts.len() == 1 {
        return scan(html);
    }
    cuts.push(b.len());
    let mut pieces: Vec<Scanner> = cuts
        .par_windows(2)
        .map(|w| {
            let mut s = Scanner::new(w[0]);
            s.run(html, w[1]);
            s
        })
        .collect();
    let mut merged = Scan::default();
    for (k, mut piece) in pieces.drain(..).enumerate() {
        let stop = cuts[k + 1];
        let clean = piece.open_a.is_none() && piece.i <= stop;
        if !clean {
            piece.run(html, html.len());
        }
        let part = piece.finish();
        merged.urls.extend(part.urls);
        merged.ids.extend(part.ids);
        if part.base.is_some() {
            merged.base = part.base;
        }
        if !clean {
            break;
        }
    }
    merged.urls.shrink_to_fit();
    merged.ids.shrink_to_fit();
    merged
}

/// A page scanned as it is written, a window at a time, for a page too big to hold whole (the
/// all-notes page of a one-shot build); the result is exactly `scan` of the whole page, owned.
///
/// The window is scanned up to a `<` near its end once it holds two `CHUNK`s. Where the scanner
/// is then between tags (as `scan_parallel` requires of its cuts), that part is kept and let go;
/// where it is not (an unclosed comment in a note, say), the window grows to twice its length
/// before the next try, so the work stays proportional to the page.
pub(crate) struct StreamScan {
    /// Window length at which a scan is first tried.
    window: usize,
    win: String,
    /// Offset of `win` in the page.
    base: usize,
    /// Window length at which to try the next cut.
    next_try: usize,
    out: Scan<'static>,
}

impl Default for StreamScan {
    fn default() -> Self {
        StreamScan::with_window(WINDOW)
    }
}

impl StreamScan {
    fn with_window(window: usize) -> Self {
        StreamScan {
            window: window.max(2 * CHUNK),
            win: String::new(),
            base: 0,
            next_try: 0,
            out: Scan::default(),
        }
    }

    pub(crate) fn push(&mut self, text: &str) {
        self.win.push_str(text);
        if self.win.len() >= self.next_try.max(self.window) {
            self.cut();
        }
    }

    fn cut(&mut self) {
        let b = self.win.as_bytes();
        let Some(stop) = memchr(b'<', &b[b.len() - CHUNK..]).map(|p| b.len() - CHUNK + p) else {
            return;
        };
        let win = std::mem::take(&mut self.win);
        let (part, clean) = scan_until(&win, stop);
        if clean {
            let part = part.into_owned();
            self.take(part);
        }
        self.win = win;
        if clean {
            self.win.drain(..stop);
            self.base += stop;
            self.next_try = 0;
        } else {
            self.next_try = 2 * self.win.len();
        }
    }

    /// Keep a part scanned from the window, its offsets made the page's.
    fn take(&mut self, part: Scan<'static>) {
        let base = self.base;
        self.out.urls.extend(part.urls.into_iter().map(|mut u| {
            u.offset += base;
            u.text_at = match u.text_at {
                TextAt::None => TextAt::None,
                TextAt::Content { start, len } => TextAt::Content {
                    start: start + base,
                    len,
                },
                TextAt::Alt { start, len } => TextAt::Alt {
                    start: start + base,
                    len,
                },
            };
            u
        }));
        self.out.ids.extend(part.ids.into_iter().map(|mut d| {
            d.offset += base;
            d
        }));
        if part.base.is_some() {
            self.out.base = part.base;
        }
    }

    /// The scan of the whole page.
    pub(crate) fn finish(mut self) -> Scan<'static> {
        let win = std::mem::take(&mut self.win);
        let part = scan_parallel(&win).into_owned();
        self.take(part);
        self.out.urls.shrink_to_fit();
        self.out.ids.shrink_to_fit();
        self.out
    }
}

/// A streamed page is scanned once this much of it is in hand (in `CHUNK` pieces, in parallel).
/// Smaller windows made this book's build slower (1 MiB: compose and check 57 -> 71-78 ms).
const WINDOW: usize = 16 * CHUNK;

/// `scan_parallel` of `html` up to the markup at or after `stop`, and whether the scanner is
/// then between tags (no comment, raw-text element, tag or `<a>` open across `stop`), so that a
/// scan from `stop` on would join it seamlessly. `html` must go on past `stop` for that to be told.
fn scan_until(html: &str, stop: usize) -> (Scan<'_>, bool) {
    use rayon::prelude::*;
    let b = html.as_bytes();
    let mut cuts = vec![0];
    let mut at = CHUNK;
    while at < stop {
        match memchr(b'<', &b[at..stop]) {
            Some(p) => cuts.push(at + p),
            None => break,
        }
        at = cuts[cuts.len() - 1] + CHUNK;
    }
    cuts.push(stop);
    let pieces: Vec<Scanner> = cuts
        .par_windows(2)
        .map(|w| {
            let mut s = Scanner::new(w[0]);
            s.run(html, w[1]);
            s
        })
        .collect();
    let mut merged = Scan::default();
    for (k, mut piece) in pieces.into_iter().enumerate() {
        let end = cuts[k + 1];
        let clean = piece.open_a.is_none() && piece.i <= end;
        if !clean {
            // This piece runs on alone to `stop`; the pieces after it started mid-markup.
            piece.run(html, stop);
        }
        let at_stop = piece.open_a.is_none() && piece.i <= stop;
        let part = piece.finish();
        merged.urls.extend(part.urls);
        merged.ids.extend(part.ids);
        if part.base.is_some() {
            merged.base = part.base;
        }
        if !clean || end == stop {
            return (merged, at_stop);
        }
    }
    (merged, true)
}

/// The scanner's state between tags: where it is and the `<a>` whose text it is collecting.
struct Scanner<'h> {
    out: Scan<'h>,
    i: usize,
    /// Index into `out.urls` of the open `<a>`, and where its content starts.
    open_a: Option<(usize, usize)>,
}

impl<'h> Scanner<'h> {
    fn new(from: usize) -> Self {
        Scanner {
            out: Scan::default(),
            i: from,
            open_a: None,
        }
    }

    fn finish(mut self) -> Scan<'h> {
        // Kept for the whole check (thousands of pages at once): no growth slack.
        self.out.urls.shrink_to_fit();
        self.out.ids.shrink_to_fit();
        self.out
    }

    /// Scan tags until the next markup is at or after `stop` (or the page ends).
    fn run(&mut self, html: &'h str, stop: usize) {
        let mut tok = Tokenizer::at(html, self.i);
        tok.stop_at(stop);
        while let Some(t) = tok.next_markup() {
            match t {
                // `</a>` ends a link's text.
                Token::End(tag) if tag.is("a") => {
                    if let Some((idx, start)) = self.open_a.take() {
                        let (start, len) = TextAt::range(start, tag.offset);
                        self.out.urls[idx].text_at = TextAt::Content { start, len };
                    }
                }
                Token::Start(tag) => self.start_tag(&tag, tok.attrs(), tok.pos()),
                _ => {}
            }
        }
        self.i = tok.pos();
    }

    /// Record the ids and URLs of one start tag, which ends at `end`. Values are decoded only
    /// for the attributes the checker reads.
    fn start_tag(&mut self, tag: &StartTag<'h>, attrs: &[Attr<'h>], end: usize) {
        let out = &mut self.out;
        let name = &tag.name;
        let alt = alt_of(attrs);
        for a in attrs {
            let an = a.name.as_ref();
            if an == "id" && !a.value.is_empty() {
                out.ids.push(IdDef {
                    offset: a.offset,
                    id: decode_attribute(a.value),
                    is_id: true,
                });
            } else if an == "name" && name == "a" && !a.value.is_empty() {
                out.ids.push(IdDef {
                    offset: a.offset,
                    id: decode_attribute(a.value),
                    is_id: false,
                });
            } else if an == "href" && name == "base" {
                out.base = Some(decode_attribute(a.value));
            } else if URL_ATTRS.contains(&an) {
                if name == "a" {
                    self.open_a = Some((out.urls.len(), end));
                }
                out.urls.push(UrlRef {
                    offset: a.offset,
                    element: name.clone(),
                    url: decode_attribute(a.value),
                    text_at: alt,
                });
            } else if an == "srcset" {
                srcset(out, a, tag, alt);
            }
        }
    }
}

/// One URL for each candidate of a `srcset`.
fn srcset<'h>(out: &mut Scan<'h>, a: &Attr<'h>, tag: &StartTag<'h>, alt: TextAt) {
    let mut off = a.offset;
    let decoded = decode_attribute(a.value);
    for candidate in decoded.split(',') {
        let url = candidate.split_whitespace().next().unwrap_or("");
        if !url.is_empty() {
            // Borrow the page when decoding changed nothing.
            let url = match &decoded {
                Cow::Borrowed(d) => {
                    let start = url.as_ptr() as usize - d.as_ptr() as usize;
                    Cow::Borrowed(&d[start..start + url.len()])
                }
                Cow::Owned(_) => Cow::Owned(url.to_string()),
            };
            out.urls.push(UrlRef {
                offset: off,
                element: tag.name.clone(),
                url,
                text_at: alt,
            });
        }
        off += candidate.len() + 1;
    }
}

/// The decoded `alt` of a tag, empty when it has none.
fn alt_of(attrs: &[Attr<'_>]) -> TextAt {
    attrs
        .iter()
        .find(|a| a.name == "alt")
        .map(|a| {
            let (start, len) = TextAt::range(a.offset, a.offset + a.value.len());
            TextAt::Alt { start, len }
        })
        .unwrap_or_default()
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    memchr::memchr(needle, hay)
}

/// Tags stripped, entities decoded, whitespace collapsed: text as a reader sees it.
fn clean_text(s: &str) -> String {
    if is_clean(s) {
        return s.to_string();
    }
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
    decode_text(&plain)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Already as `clean_text` would make it: no tag, entity or whitespace other than single
/// spaces between words (most link texts).
fn is_clean(s: &str) -> bool {
    let b = s.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    let mut prev_space = false;
    for c in s.chars() {
        match c {
            '<' | '>' | '&' => return false,
            ' ' if prev_space => return false,
            ' ' => prev_space = true,
            c if c.is_whitespace() => return false,
            _ => prev_space = false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_ids_and_text() {
        let page = "<!-- <a href=\"no\"> --><a class=x href='one.html#a'>One <b title=\"x>y\">bold</b><!-- not > this --> &amp; x</a>\n<img alt=\"Pic &amp; more\" src=pic.png>\
             <script>var s = '<a href=\"no2\">';</script><h2 id=\"h\">H</h2><a name=\"old\"></a><base href=\"/x/\">";
        let s = scan(page);
        let urls: Vec<(&str, &str, String)> = s
            .urls
            .iter()
            .map(|u| (u.element.as_ref(), u.url.as_ref(), u.text(page)))
            .collect();
        assert_eq!(
            urls,
            vec![
                ("a", "one.html#a", "One bold & x".to_string()),
                ("img", "pic.png", "Pic & more".to_string())
            ]
        );
        assert_eq!(s.base.as_deref(), Some("/x/"));
        let ids: Vec<(&str, bool)> = s.ids.iter().map(|d| (d.id.as_ref(), d.is_id)).collect();
        assert_eq!(ids, vec![("h", true), ("old", false)]);
    }

    #[test]
    fn link_text_is_cleaned() {
        for (raw, want) in [
            ("plain words", "plain words"),
            (" padded ", "padded"),
            ("two  spaces\n and\tnl", "two spaces and nl"),
            ("a &amp; b", "a & b"),
            ("non\u{a0}breaking", "non breaking"),
            ("x > y", "x > y"),
            ("", ""),
        ] {
            assert_eq!(clean_text(raw), want, "{raw:?}");
        }
    }

    /// A long page whose cut points fall inside an open <a>, a comment and a script.
    fn tricky_page() -> String {
        let mut page = String::new();
        for k in 0..40_000 {
            page.push_str(&format!(
                "<p id=\"p{k}\"><a href=\"#p{k}\">link <b>{k}</b></a> text &amp; more</p>\n"
            ));
            if k % 9_000 == 0 {
                page.push_str("<a href=\"open.html\">never closed <!-- comment ");
            }
            if k % 13_000 == 0 {
                page.push_str("<script>let s = '<a href=\"no\">';");
            }
            if k % 17_000 == 0 {
                page.push_str("--> </script>");
            }
        }
        page
    }

    #[test]
    fn pieces_join_like_one_scan() {
        // Each piece must hand over at cuts inside an open <a>, a comment and a script.
        let page = tricky_page();
        assert!(page.len() > 4 * CHUNK);
        let one = scan(&page);
        let many = scan_parallel(&page);
        // The comments swallow part of the page, so some pieces had to go on alone.
        assert!(one.ids.len() < 30_000, "{}", one.ids.len());
        assert_eq!(one.urls, many.urls);
        assert_eq!(one.ids, many.ids);
        let clean: String = (0..40_000)
            .map(|k| format!("<a href=\"#p{k}\" id=\"a{k}\">x</a>"))
            .collect();
        let (one, many) = (scan(&clean), scan_parallel(&clean));
        assert_eq!((one.urls, one.ids), (many.urls, many.ids));
    }

    #[test]
    fn a_page_streamed_in_pieces_scans_like_one_page() {
        // The same tricky page as above, and a clean one, pushed in pieces of many sizes:
        // always the whole-page scan.
        let page = tricky_page();
        let clean: String = (0..40_000)
            .map(|k| {
                format!("<a href=\"#p{k}\" id=\"a{k}\"><img src=\"i{k}.png\" alt=\"{k}\"></a>")
            })
            .collect();
        for page in [&page, &clean] {
            let one = scan(page);
            for (size, window) in [
                (1, 2 * CHUNK),
                (7, 5 * CHUNK),
                (4096, 2 * CHUNK),
                (100_000, 5 * CHUNK),
                (CHUNK + 3, WINDOW),
                (3 * CHUNK, 2 * CHUNK),
            ] {
                let mut stream = StreamScan::with_window(window);
                let mut at = 0;
                while at < page.len() {
                    let mut end = (at + size).min(page.len());
                    while !page.is_char_boundary(end) {
                        end += 1;
                    }
                    stream.push(&page[at..end]);
                    at = end;
                }
                let streamed = stream.finish();
                assert_eq!(one.urls, streamed.urls, "pieces of {size}");
                assert_eq!(one.ids, streamed.ids, "pieces of {size}");
                assert_eq!(one.base, streamed.base);
            }
        }
    }

    #[test]
    fn srcset_candidates() {
        let s = scan("<img src=\"a.png\" srcset=\"a.png 1x, a@2x.png 2x\" alt=\"\">");
        let urls: Vec<&str> = s.urls.iter().map(|u| u.url.as_ref()).collect();
        assert_eq!(urls, vec!["a.png", "a.png", "a@2x.png"]);
    }
}
