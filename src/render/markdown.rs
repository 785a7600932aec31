//! The Markdown pass: one render per note with heading ids, TOC, rewritten links, code and diagrams.
//!
//! Ids and links to other notes are written as placeholders so the same render serves every
//! view: `materialize` fills them in for the per-note page (plain ids, `slug.html#id` links) or
//! the all-notes page (ids namespaced `slug--id`, in-page `#slug--id` links).

use crate::book::{Book, Note, slugify};
use crate::diagnostics::{Diagnostic, line_col};
use crate::render::highlight::{self, FenceOptions};
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

/// Starts an id placeholder; the id runs up to `END`.
const ID: char = '\u{E000}';
/// Starts a link-to-note placeholder: `slug#fragment` up to `END`.
const NOTE_LINK: char = '\u{E002}';
const END: char = '\u{E001}';
/// Stands for a heading's level digit (`<h` LEVEL `2` END): a note's `##` is an h2 on its own
/// page, under the page's h1 title, and an h4 on the all-notes page, under the section's h2 and
/// the note title's h3.
const LEVEL: char = '\u{E003}';

/// A heading of a note, for its table of contents and the search index.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// Where a link in a note points, resolved with the renderer's own rules.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkTarget {
    /// Another note (or this one), with an optional fragment.
    Note {
        slug: String,
        fragment: Option<String>,
    },
    /// `#fragment` within the same note.
    Anchor(String),
    /// A `.md` link that matches no note.
    MissingNote(String),
    /// A local file (image, download) relative to the book root.
    File(String),
    External(String),
    /// mailto:, tel:, and others we do not check.
    Other(String),
}

/// A link or image as the author wrote it, with its position in the note file.
#[derive(Debug, Clone)]
pub struct LinkRecord {
    pub line: usize,
    pub col: usize,
    pub text: String,
    pub dest: String,
    /// The `href`/`src` as written into the body, with placeholders (see `materialize`).
    pub href: String,
    pub target: LinkTarget,
    pub is_image: bool,
}

/// The rendered form of one note, reused by every view.
#[derive(Debug, Clone)]
pub struct RenderedNote {
    /// Body HTML with id and link placeholders; see `materialize`.
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Every id the body defines (headings, footnotes, raw HTML ids are not included).
    pub ids: Vec<String>,
    pub links: Vec<LinkRecord>,
    /// Plain text per heading chunk for search: (heading id or "" for the intro, text).
    pub chunks: Vec<(String, String)>,
    pub diagnostics: Vec<Diagnostic>,
    /// The highest-cost part of rendering is skipped when the note's source is unchanged.
    pub source_hash: u64,
    /// Words of prose (headings, paragraphs, lists, tables; not code blocks or diagrams).
    pub words: usize,
}

impl RenderedNote {
    /// Minutes a reader needs for the prose, at 220 words a minute, rounded up; at least 1.
    pub fn reading_minutes(&self) -> usize {
        self.words.div_ceil(220).max(1)
    }
}

/// Which page a note body is placed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Its own page, `slug.html`.
    NotePage,
    /// The all-notes page `index.html`, or the single exported file.
    AllNotes,
}

/// Fill in placeholders for one view of the note `own_slug`.
pub fn materialize(html: &str, own_slug: &str, view: View) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    materialize_into(&mut out, html, own_slug, view);
    out
}

/// `materialize`, appending to `out`.
pub fn materialize_into(out: &mut String, html: &str, own_slug: &str, view: View) {
    let mut rest = html;
    while let Some(pos) = next_marker(rest) {
        out.push_str(&rest[..pos]);
        let kind = rest[pos..].chars().next().unwrap_or(ID);
        let after = &rest[pos + kind.len_utf8()..];
        let end = after.find(END).unwrap_or(after.len());
        let inner = &after[..end];
        rest = after.get(end + END.len_utf8()..).unwrap_or("");
        if kind == ID {
            push_id(out, own_slug, inner, view);
        } else if kind == LEVEL {
            let level: u8 = inner.parse().unwrap_or(2);
            let shown = match view {
                View::NotePage => level,
                View::AllNotes => (level + 2).min(6),
            };
            out.push(char::from(b'0' + shown));
        } else {
            let (slug, frag) = match inner.split_once('#') {
                Some((s, f)) => (s, Some(f)),
                None => (inner, None),
            };
            match view {
                View::NotePage => {
                    if slug != own_slug || frag.is_none() {
                        out.push_str(slug);
                        out.push_str(".html");
                    }
                    if let Some(f) = frag {
                        out.push('#');
                        out.push_str(f);
                    }
                }
                View::AllNotes => {
                    out.push('#');
                    match frag {
                        Some(f) => push_id(out, slug, f, view),
                        None => out.push_str(slug),
                    }
                }
            }
        }
    }
    out.push_str(rest);
}

/// Byte offset of the next `ID`, `NOTE_LINK` or `LEVEL` marker (all encode as EE 80 8x in UTF-8),
/// found with a vectorised byte search: bodies are long and markers are few.
fn next_marker(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(p) = memchr::memchr(0xEE, &b[from..]) {
        let at = from + p;
        if s[at..].starts_with([ID, NOTE_LINK, LEVEL]) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn push_id(out: &mut String, slug: &str, id: &str, view: View) {
    if view == View::AllNotes {
        out.push_str(slug);
        out.push_str("--");
    }
    out.push_str(id);
}

/// The id a heading or footnote gets in a given view.
pub fn view_id(slug: &str, id: &str, view: View) -> String {
    let mut s = String::new();
    push_id(&mut s, slug, id, view);
    s
}

/// Render one note. `book` resolves links between notes.
pub fn render(note: &Note, book: &Book, lookup: &Lookup) -> RenderedNote {
    Renderer::new(note, book, lookup).run()
}

/// Maps used to resolve links, built once per book.
pub struct Lookup {
    pub by_path: HashMap<String, String>,
    pub by_slug: HashSet<String>,
}

impl Lookup {
    pub fn new(book: &Book) -> Lookup {
        Lookup {
            by_path: book
                .notes
                .iter()
                .map(|n| (n.rel_path.clone(), n.slug.clone()))
                .collect(),
            by_slug: book.notes.iter().map(|n| n.slug.clone()).collect(),
        }
    }
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

struct Renderer<'a> {
    note: &'a Note,
    lookup: &'a Lookup,
    /// Byte offset of each line start in the body, for line numbers.
    line_starts: Vec<usize>,
    used_ids: HashSet<String>,
    toc: Vec<TocEntry>,
    links: Vec<LinkRecord>,
    diagnostics: Vec<Diagnostic>,
    chunks: Vec<(String, String)>,
    footnote_order: Vec<String>,
    /// References seen so far per footnote id.
    footnote_refs: HashMap<String, usize>,
}

impl<'a> Renderer<'a> {
    fn new(note: &'a Note, _book: &'a Book, lookup: &'a Lookup) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(note.body.match_indices('\n').map(|(i, _)| i + 1));
        Renderer {
            note,
            lookup,
            line_starts,
            used_ids: HashSet::new(),
            toc: Vec::new(),
            links: Vec::new(),
            diagnostics: Vec::new(),
            chunks: vec![(String::new(), String::new())],
            footnote_order: Vec::new(),
            footnote_refs: HashMap::new(),
        }
    }

    /// File line and column of a byte offset in the body.
    fn pos(&self, offset: usize) -> (usize, usize) {
        let idx = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let (_, col) = line_col(
            &self.note.body[self.line_starts[idx]..],
            offset - self.line_starts[idx],
        );
        (self.note.body_line + idx, col)
    }

    fn warn(&mut self, offset: usize, msg: String) {
        let (l, c) = self.pos(offset);
        self.diagnostics
            .push(Diagnostic::warning(&self.note.rel_path, l, c, msg));
    }

    fn error(&mut self, line: usize, msg: String) {
        self.diagnostics
            .push(Diagnostic::error(&self.note.rel_path, line, 1, msg));
    }

    fn unique_id(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        let mut id = base.to_string();
        let mut n = 1;
        while self.used_ids.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.used_ids.insert(id.clone());
        id
    }

    fn run(mut self) -> RenderedNote {
        let body = self.note.body.clone();
        let events: Vec<(Event, std::ops::Range<usize>)> = Parser::new_ext(&body, options())
            .into_offset_iter()
            .collect();
        // Custom `{#id}`s are claimed first so automatic ids never take them.
        for (e, _) in &events {
            if let Event::Start(Tag::Heading { id: Some(id), .. }) = e {
                self.used_ids.insert(id.to_string());
            }
        }
        let mut out: Vec<Event> = Vec::with_capacity(events.len());
        let mut footnotes: Vec<(String, Vec<Event>)> = Vec::new();
        let mut in_footnote: Option<(String, Vec<Event>)> = None;
        let mut i = 0;
        while i < events.len() {
            let (ev, range) = &events[i];
            let mut produced: Vec<Event> = Vec::new();
            match ev {
                Event::Start(Tag::Heading { level, id, .. }) => {
                    let end = find_end(&events, i);
                    produced.push(self.heading(
                        *level,
                        id.as_deref(),
                        &events[i + 1..end],
                        range.start,
                    ));
                    i = end;
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let end = find_end(&events, i);
                    let code: String = events[i + 1..end]
                        .iter()
                        .filter_map(|(e, _)| match e {
                            Event::Text(t) => Some(t.as_ref()),
                            _ => None,
                        })
                        .collect();
                    let info = match kind {
                        CodeBlockKind::Fenced(info) => info.to_string(),
                        CodeBlockKind::Indented => String::new(),
                    };
                    produced.push(Event::Html(
                        self.code_block(&info, &code, range.start).into(),
                    ));
                    i = end;
                }
                Event::Start(Tag::Link {
                    dest_url, title, ..
                }) => {
                    let end = find_end(&events, i);
                    let text = plain_text(&events[i + 1..end]);
                    let href = self.link(dest_url, &text, range.start, false);
                    let mut tag = format!("<a href=\"{href}\"");
                    if !title.is_empty() {
                        let _ = write!(tag, " title=\"{}\"", escape(title));
                    }
                    if href.starts_with("http://") || href.starts_with("https://") {
                        tag.push_str(" class=\"external\" rel=\"noopener\"");
                    }
                    tag.push('>');
                    produced.push(Event::Html(tag.into()));
                    produced.extend(events[i + 1..end].iter().map(|(e, _)| e.clone()));
                    produced.push(Event::Html("</a>".into()));
                    i = end;
                }
                Event::Start(Tag::Image {
                    dest_url, title, ..
                }) => {
                    let end = find_end(&events, i);
                    let alt = plain_text(&events[i + 1..end]);
                    let src = self.link(dest_url, &alt, range.start, true);
                    let mut tag = format!(
                        "<img src=\"{src}\" alt=\"{}\" loading=\"lazy\"",
                        escape(&alt)
                    );
                    if !title.is_empty() {
                        let _ = write!(tag, " title=\"{}\"", escape(title));
                    }
                    tag.push('>');
                    produced.push(Event::Html(tag.into()));
                    i = end;
                }
                Event::FootnoteReference(label) => {
                    let n = match self.footnote_order.iter().position(|l| l == label.as_ref()) {
                        Some(p) => p + 1,
                        None => {
                            self.footnote_order.push(label.to_string());
                            self.footnote_order.len()
                        }
                    };
                    let id = footnote_id(label);
                    // A footnote cited again gets its own id (`fnref:x-2`): ids must not repeat.
                    let refs = self.footnote_refs.entry(id.clone()).or_insert(0);
                    *refs += 1;
                    let ref_id = if *refs == 1 {
                        format!("fnref:{id}")
                    } else {
                        let r = format!("fnref:{id}-{refs}");
                        self.used_ids.insert(r.clone());
                        r
                    };
                    produced.push(Event::Html(
                        format!(
                            "<sup class=\"fnref\"><a href=\"#{ID}fn:{id}{END}\" id=\"{ID}{ref_id}{END}\">{n}</a></sup>"
                        )
                        .into(),
                    ));
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    in_footnote = Some((label.to_string(), Vec::new()));
                }
                Event::End(TagEnd::FootnoteDefinition) => {
                    if let Some(f) = in_footnote.take() {
                        footnotes.push(f);
                    }
                }
                Event::Start(Tag::Table(_)) => {
                    produced.push(Event::Html("<div class=\"table-wrap\">".into()));
                    produced.push(ev.clone());
                }
                Event::End(TagEnd::Table) => {
                    produced.push(ev.clone());
                    produced.push(Event::Html("</div>".into()));
                }
                Event::Text(t) | Event::Code(t) => {
                    self.push_text(t);
                    produced.push(ev.clone());
                }
                Event::SoftBreak | Event::HardBreak => {
                    self.push_text(" ");
                    produced.push(ev.clone());
                }
                Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                    self.push_text(" ");
                    produced.push(ev.clone());
                }
                _ => produced.push(ev.clone()),
            }
            match &mut in_footnote {
                Some((_, evs)) => evs.extend(produced),
                None => out.extend(produced),
            }
            i += 1;
        }
        let mut html = String::with_capacity(body.len() * 2);
        pulldown_cmark::html::push_html(&mut html, out.into_iter());
        self.push_footnotes(&mut html, footnotes);
        let ids: Vec<String> = self.used_ids.iter().cloned().collect();
        let chunks: Vec<(String, String)> = self
            .chunks
            .into_iter()
            .map(|(id, t)| (id, collapse_ws(&t)))
            .filter(|(id, t)| !(id.is_empty() && t.is_empty()))
            .collect();
        let words = chunks
            .iter()
            .map(|(_, t)| t.split_whitespace().count())
            .sum();
        RenderedNote {
            html,
            toc: self.toc,
            ids,
            links: self.links,
            chunks,
            diagnostics: self.diagnostics,
            source_hash: 0,
            words,
        }
    }

    fn push_text(&mut self, t: &str) {
        if let Some((_, text)) = self.chunks.last_mut() {
            text.push_str(t);
        }
    }

    fn heading(
        &mut self,
        level: HeadingLevel,
        custom: Option<&str>,
        inner: &[(Event, std::ops::Range<usize>)],
        offset: usize,
    ) -> Event<'static> {
        let text = plain_text(inner);
        if text.trim().is_empty() {
            self.warn(
                offset,
                "empty heading: give it text (it names the section in the contents and in search)"
                    .into(),
            );
        }
        let id = match custom {
            Some(c) => c.to_string(),
            None => self.unique_id(&slugify(&text)),
        };
        // The note's title is its one top heading; a `#` in the body would compete with it.
        let lvl = if level == HeadingLevel::H1 {
            self.warn(
                offset,
                "`#` heading in a note body: the title comes from the front matter, so sections start at `##`; shown as `##`".into(),
            );
            2
        } else {
            level as u8
        };
        if lvl <= 3 {
            self.toc.push(TocEntry {
                level: lvl,
                id: id.clone(),
                text: text.clone(),
            });
        }
        self.chunks.push((id.clone(), String::new()));
        let mut inner_html = String::new();
        pulldown_cmark::html::push_html(&mut inner_html, inner.iter().map(|(e, _)| e.clone()));
        Event::Html(
            format!(
                "<h{LEVEL}{lvl}{END} id=\"{ID}{id}{END}\">{inner_html}<a class=\"anchor\" href=\"#{ID}{id}{END}\" aria-label=\"Link to this section: {}\">#</a></h{LEVEL}{lvl}{END}>\n",
                escape(&text)
            )
            .into(),
        )
    }

    fn code_block(&mut self, info: &str, code: &str, offset: usize) -> String {
        let (fence_line, _) = self.pos(offset);
        let (lang, opts_src) = split_info(info);
        if lang == "diagram" {
            return match crate::render::diagram::render(code) {
                Ok(svg) => svg,
                Err(e) => {
                    self.error(fence_line + e.line, format!("diagram: {}", e.message));
                    String::new()
                }
            };
        }
        let opts = match FenceOptions::parse(opts_src) {
            Ok(o) => o,
            Err(msg) => {
                self.warn(offset, format!("code fence options ignored: {msg}"));
                FenceOptions::default()
            }
        };
        let out = highlight::render_block(lang, code, &opts);
        if out.unknown_language {
            self.warn(
                offset,
                format!(
                    "unknown code language `{lang}`: shown as plain text (known: {})",
                    highlight::common_languages()
                ),
            );
        }
        out.html
    }

    /// Resolve a link destination and return the href to write (with placeholders).
    fn link(&mut self, dest: &str, text: &str, offset: usize, is_image: bool) -> String {
        let (line, col) = self.pos(offset);
        let target = self.resolve(dest);
        let href = match &target {
            LinkTarget::Note { slug, fragment } => match fragment {
                Some(f) => format!("{NOTE_LINK}{slug}#{f}{END}"),
                None => format!("{NOTE_LINK}{slug}{END}"),
            },
            // A bare `#` means the top of the page in every view.
            LinkTarget::Anchor(f) if f.is_empty() => "#".to_string(),
            LinkTarget::Anchor(f) => format!("#{ID}{f}{END}"),
            LinkTarget::File(p) => escape(&encode_path(p)),
            LinkTarget::MissingNote(_) | LinkTarget::External(_) | LinkTarget::Other(_) => {
                escape(dest)
            }
        };
        self.links.push(LinkRecord {
            line,
            col,
            text: text.to_string(),
            dest: dest.to_string(),
            href: href.clone(),
            target,
            is_image,
        });
        href
    }

    fn resolve(&self, dest: &str) -> LinkTarget {
        let lower = dest.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            return LinkTarget::External(dest.to_string());
        }
        if dest.contains(':') && !dest.starts_with('#') && !dest.starts_with('/') {
            let scheme = &dest[..dest.find(':').unwrap_or(0)];
            if !scheme.contains('/') {
                return LinkTarget::Other(dest.to_string());
            }
        }
        if let Some(frag) = dest.strip_prefix('#') {
            return LinkTarget::Anchor(percent_decode(frag));
        }
        let (path_q, frag) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(percent_decode(f))),
            None => (dest, None),
        };
        let path = path_q.split('?').next().unwrap_or(path_q);
        let path = percent_decode(path);
        if path.ends_with(".md") {
            let resolved = resolve_relative(&self.note.rel_path, &path);
            if let Some(slug) = self.lookup.by_path.get(&resolved) {
                return LinkTarget::Note {
                    slug: slug.clone(),
                    fragment: frag,
                };
            }
            // A link may also name a note by file name alone, from any folder.
            let file = path.rsplit('/').next().unwrap_or(&path);
            let slug = crate::book::slug_of_file(file);
            if self.lookup.by_slug.contains(&slug) {
                return LinkTarget::Note {
                    slug,
                    fragment: frag,
                };
            }
            return LinkTarget::MissingNote(resolved);
        }
        if path.starts_with('/') {
            // Root-absolute: kept as written; `check` reports it for sub-path hosting.
            return LinkTarget::Other(dest.to_string());
        }
        let resolved = resolve_relative(&self.note.rel_path, &path);
        // Files under static/ are copied to the output root; others keep their path.
        let out = resolved
            .strip_prefix("static/")
            .map(str::to_string)
            .unwrap_or(resolved);
        LinkTarget::File(out)
    }

    fn push_footnotes(&mut self, html: &mut String, mut defs: Vec<(String, Vec<Event>)>) {
        if defs.is_empty() {
            return;
        }
        // Order by first reference; unreferenced definitions go last.
        defs.sort_by_key(|(label, _)| {
            self.footnote_order
                .iter()
                .position(|l| l == label)
                .unwrap_or(usize::MAX)
        });
        html.push_str("<section class=\"footnotes\" aria-label=\"Footnotes\"><ol>\n");
        for (label, evs) in defs {
            let id = footnote_id(&label);
            self.used_ids.insert(format!("fn:{id}"));
            self.used_ids.insert(format!("fnref:{id}"));
            let _ = write!(html, "<li id=\"{ID}fn:{id}{END}\">");
            pulldown_cmark::html::push_html(html, evs.into_iter());
            let _ = writeln!(
                html,
                " <a href=\"#{ID}fnref:{id}{END}\" class=\"fn-back\" aria-label=\"Back to reference\">↩</a></li>"
            );
        }
        html.push_str("</ol></section>\n");
    }
}

/// Index of the event that closes the one opened at `start`.
fn find_end(events: &[(Event, std::ops::Range<usize>)], start: usize) -> usize {
    let mut depth = 0;
    for (i, (e, _)) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

fn plain_text(events: &[(Event, std::ops::Range<usize>)]) -> String {
    let mut s = String::new();
    for (e, _) in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s
}

fn footnote_id(label: &str) -> String {
    let s = slugify(label);
    if s.is_empty() { "note".into() } else { s }
}

/// `sql {hl_lines=[2]}` -> ("sql", "{hl_lines=[2]}"); also `sql,linenos`.
fn split_info(info: &str) -> (&str, &str) {
    let info = info.trim();
    let end = info
        .find(|c: char| c.is_whitespace() || c == '{' || c == ',')
        .unwrap_or(info.len());
    (&info[..end], info[end..].trim_start_matches(',').trim())
}

/// Join a relative link to the folder of `from` (both relative to the book root).
pub fn resolve_relative(from: &str, link: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let hex = |b: u8| (b as char).to_digit(16);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn encode_path(p: &str) -> String {
    p.replace(' ', "%20")
}

/// Escape text for HTML attributes and content.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Strip tags from HTML, for plain descriptions.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}
