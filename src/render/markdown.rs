//! The Markdown pass: one render per note with heading ids, TOC, rewritten links, code and diagrams.
//!
//! Ids and links to other notes are written as placeholders so the same render serves every
//! view: `materialize` fills them in for the per-note page (plain ids, `slug.html#id` links) or
//! the all-notes page (ids namespaced `slug--id`, in-page `#slug--id` links).

use crate::book::{Book, Note};
use crate::diagnostics::{Diagnostic, line_col};
use crate::render::highlight::{self, FenceOptions};
use crate::render::marker::{self, END, ID, Kind, LEVEL, NOTE_LINK, attr};
use crate::util::paths::{encode_path, percent_decode, resolve_relative};
use crate::util::slug::slugify;
use crate::util::text::collapse_ws;
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

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
    /// Its self-test cards (`> [!question]`), in the order written.
    pub cards: Vec<crate::render::card::Card>,
}

impl RenderedNote {
    /// Minutes a reader needs for the prose, at 220 words a minute, rounded up; at least 1.
    pub(crate) fn reading_minutes(&self) -> usize {
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
pub(crate) fn materialize_into(out: &mut String, html: &str, own_slug: &str, view: View) {
    let mut rest = html;
    while let Some((at, kind, inner, after)) = marker::next(rest) {
        out.push_str(&rest[..at]);
        rest = after;
        match kind {
            Some(Kind::Id) => push_id(out, own_slug, inner, view),
            Some(Kind::Level) => push_level(out, inner, view),
            Some(Kind::NoteLink) => push_note_link(out, own_slug, inner, view),
            Some(Kind::Card) | None => {}
        }
    }
    out.push_str(rest);
}

/// A heading level digit: as written on the note's own page, two deeper on the all-notes page.
fn push_level(out: &mut String, level: &str, view: View) {
    let level: u8 = level.parse().unwrap_or(2);
    let shown = match view {
        View::NotePage => level,
        View::AllNotes => level.saturating_add(2),
    };
    out.push(char::from(b'0' + shown.clamp(1, 6)));
}

/// The href of a link to note `slug#fragment` (fragment optional) from note `own_slug`.
fn push_note_link(out: &mut String, own_slug: &str, inner: &str, view: View) {
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

fn push_id(out: &mut String, slug: &str, id: &str, view: View) {
    if view == View::AllNotes {
        out.push_str(slug);
        out.push_str("--");
    }
    out.push_str(id);
}

/// Render one note. `book` resolves links between notes.
pub fn render(note: &Note, lookup: &Lookup) -> RenderedNote {
    Renderer::new(note, lookup).run()
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
        | Options::ENABLE_MATH
}

/// Ids the built-in templates give a note's own page, where the body's ids are not namespaced:
/// a heading never takes one (a `## Main` gets `main-1`), so ids on the page stay unique.
const TEMPLATE_IDS: [&str; 13] = [
    "filter-count",
    "filters-title",
    "hb-linked-from",
    "main",
    "nav-tree",
    "search-hint",
    "search-input",
    "search-results",
    "search-status",
    "sidebar",
    "tag-find",
    "toc-title",
    "top",
];

/// An event with the byte range of the body it stands for: what every pass over a note's events
/// takes and gives back.
pub(crate) type Spanned<'e> = (Event<'e>, std::ops::Range<usize>);

/// A note body's events with their byte ranges, parsed with the book's Markdown options.
pub(crate) fn events(body: &str) -> Vec<Spanned<'_>> {
    Parser::new_ext(body, options())
        .into_offset_iter()
        .collect()
}

/// The blocks `Renderer::event` turns into output whole, reading what stands up to their end:
/// headings, code blocks, links and images.
fn read_whole(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Heading { .. } | Tag::CodeBlock(_) | Tag::Link { .. } | Tag::Image { .. }
    )
}

/// The HTML of a pass's events, for the passes' unit tests.
#[cfg(test)]
pub(crate) fn html_of(events: Vec<Spanned>) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
    html
}

struct Renderer<'a> {
    note: &'a Note,
    lookup: &'a Lookup,
    /// The note's body as rendered: NULs replaced (see `marker::source`); offsets refer to it.
    body: Cow<'a, str>,
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
    /// Each footnote label's id, unique in the note.
    footnote_ids: HashMap<String, String>,
    /// Custom heading ids given so far: a second heading with the same one gets a number.
    custom_ids: HashSet<String>,
}

/// The events a pass over the body produced: the body's, and each footnote definition's
/// (label, events) in the order written.
#[derive(Default)]
struct Output<'e> {
    body: Vec<Event<'e>>,
    footnotes: Vec<(String, Vec<Event<'e>>)>,
    /// The footnote definition being read, if any: its events go there, not into `body`.
    open_footnote: Option<(String, Vec<Event<'e>>)>,
}

impl<'e> Output<'e> {
    fn push(&mut self, ev: Event<'e>) {
        match &mut self.open_footnote {
            Some((_, evs)) => evs.push(ev),
            None => self.body.push(ev),
        }
    }
}

impl<'a> Renderer<'a> {
    fn new(note: &'a Note, lookup: &'a Lookup) -> Self {
        let body = marker::source(&note.body);
        let mut line_starts = vec![0];
        line_starts.extend(body.match_indices('\n').map(|(i, _)| i + 1));
        Renderer {
            note,
            lookup,
            body,
            line_starts,
            used_ids: TEMPLATE_IDS.iter().map(|s| s.to_string()).collect(),
            toc: Vec::new(),
            links: Vec::new(),
            diagnostics: Vec::new(),
            chunks: vec![(String::new(), String::new())],
            footnote_order: Vec::new(),
            footnote_refs: HashMap::new(),
            footnote_ids: HashMap::new(),
            custom_ids: HashSet::new(),
        }
    }

    /// File line and column of a byte offset in the body.
    fn pos(&self, offset: usize) -> (usize, usize) {
        let idx = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let (_, col) = line_col(
            &self.body[self.line_starts[idx]..],
            offset - self.line_starts[idx],
        );
        (self.note.source_line(idx), col)
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

    fn error_at(&mut self, offset: usize, msg: String) {
        let (l, c) = self.pos(offset);
        self.diagnostics
            .push(Diagnostic::error(&self.note.rel_path, l, c, msg));
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
        // A copy of a reference unless the body had a NUL: the events borrow it, not `self`.
        let body = self.body.clone();
        let events = events(&body);
        let (events, cards) =
            crate::render::card::cards(events, &self.note.slug, &mut |at, msg| {
                self.error_at(at, msg)
            });
        let events = crate::render::callout::callouts(events, &mut |at, msg| self.warn(at, msg));
        let events =
            crate::render::math::math(events, &body, &mut |at, msg| self.error_at(at, msg));
        // Custom `{#id}`s are claimed first so automatic ids never take them.
        for (e, _) in &events {
            if let Event::Start(Tag::Heading { id: Some(id), .. }) = e {
                self.used_ids.insert(id.to_string());
            }
        }
        let mut out = Output::default();
        let mut i = 0;
        while i < events.len() {
            i = self.event(&events, i, &mut out) + 1;
        }
        let mut html = String::with_capacity(body.len() * 2);
        pulldown_cmark::html::push_html(&mut html, out.body.into_iter());
        self.push_footnotes(&mut html, out.footnotes);
        let cards = crate::render::card::collect(&html, cards);
        self.finish(html, cards)
    }

    /// The output of a block read whole (see `read_whole`): `inner` is what stands between its
    /// start and its end, `at` the offset of its start.
    fn whole<'e>(&mut self, tag: &Tag<'e>, inner: &[Spanned<'e>], at: usize, out: &mut Output<'e>) {
        match tag {
            Tag::Heading { level, id, .. } => {
                let h = self.heading(*level, id.as_deref(), inner, at);
                out.push(h);
            }
            Tag::CodeBlock(kind) => {
                let html = self.code_block_event(kind, inner, at);
                out.push(html);
            }
            Tag::Link {
                dest_url, title, ..
            } => {
                let open = self.link_or_image(false, dest_url, title, inner, at);
                out.push(open);
                for (e, _) in inner {
                    out.push(e.clone());
                }
                out.push(Event::Html("</a>".into()));
            }
            Tag::Image {
                dest_url, title, ..
            } => {
                let img = self.link_or_image(true, dest_url, title, inner, at);
                out.push(img);
            }
            _ => unreachable!("only the tags `read_whole` names are read whole"),
        }
    }

    /// Turn the event at `i` (and for a block read whole, the events up to its end) into output
    /// events; returns the index of the last event used.
    fn event<'e>(&mut self, events: &[Spanned<'e>], i: usize, out: &mut Output<'e>) -> usize {
        let (ev, range) = &events[i];
        match ev {
            Event::Start(tag) if read_whole(tag) => {
                let end = find_end(events, i);
                self.whole(tag, &events[i + 1..end], range.start, out);
                end
            }
            Event::FootnoteReference(label) => {
                out.push(self.footnote_ref(label));
                i
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                out.open_footnote = Some((label.to_string(), Vec::new()));
                i
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some(f) = out.open_footnote.take() {
                    out.footnotes.push(f);
                }
                i
            }
            _ => {
                self.plain_event(ev, out);
                i
            }
        }
    }

    /// An event passed through as pulldown-cmark renders it, noting its text for search.
    fn plain_event<'e>(&mut self, ev: &Event<'e>, out: &mut Output<'e>) {
        match ev {
            Event::Start(Tag::Table(_)) => {
                out.push(Event::Html("<div class=\"table-wrap\">".into()));
                out.push(ev.clone());
                return;
            }
            Event::End(TagEnd::Table) => {
                out.push(ev.clone());
                out.push(Event::Html("</div>".into()));
                return;
            }
            Event::Text(t) | Event::Code(t) => self.push_text(t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                self.push_text(" ")
            }
            _ => {}
        }
        out.push(ev.clone());
    }

    /// A fenced or indented code block (its inner events are the code's text) as HTML.
    fn code_block_event(
        &mut self,
        kind: &CodeBlockKind,
        inner: &[Spanned],
        offset: usize,
    ) -> Event<'static> {
        let code: String = inner
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Text(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let info = match kind {
            CodeBlockKind::Fenced(info) => info.as_ref(),
            CodeBlockKind::Indented => "",
        };
        Event::Html(self.code_block(info, &code, offset).into())
    }

    /// The tag a link is written as, `<a …>` (which opens it), or an image, `<img …>`; `inner`
    /// are the events of the link's text or the image's alt text.
    fn link_or_image(
        &mut self,
        image: bool,
        dest: &str,
        title: &str,
        inner: &[Spanned],
        offset: usize,
    ) -> Event<'static> {
        let text = plain_text(inner);
        let target = self.link(dest, &text, offset, image);
        let mut tag = if image {
            format!(
                "<img src=\"{target}\" alt=\"{}\" loading=\"lazy\"",
                attr(&text)
            )
        } else {
            format!("<a href=\"{target}\"")
        };
        if !title.is_empty() {
            let _ = write!(tag, " title=\"{}\"", attr(title));
        }
        if !image && (target.starts_with("http://") || target.starts_with("https://")) {
            tag.push_str(" class=\"external\" rel=\"noopener\"");
        }
        tag.push('>');
        Event::Html(tag.into())
    }

    /// A footnote reference: its number, linking to the note and back.
    fn footnote_ref(&mut self, label: &str) -> Event<'static> {
        let n = match self.footnote_order.iter().position(|l| l == label) {
            Some(p) => p + 1,
            None => {
                self.footnote_order.push(label.to_string());
                self.footnote_order.len()
            }
        };
        let id = self.footnote_id(label);
        // A footnote cited again gets its own id (`fnref:x-2`): ids must not repeat.
        let refs = self.footnote_refs.entry(id.clone()).or_insert(0);
        *refs += 1;
        let ref_id = if *refs == 1 {
            format!("fnref:{id}")
        } else {
            let mut k = *refs;
            while self.used_ids.contains(&format!("fnref:{id}-{k}")) {
                k += 1;
            }
            let r = format!("fnref:{id}-{k}");
            self.used_ids.insert(r.clone());
            r
        };
        let (id, ref_id) = (attr(&id), attr(&ref_id));
        Event::Html(
            format!(
                "<sup class=\"fnref\"><a href=\"#{ID}fn:{id}{END}\" id=\"{ID}{ref_id}{END}\">{n}</a></sup>"
            )
            .into(),
        )
    }

    /// The id of footnote `label` (`x` in `fn:x` and `fnref:x`): its slug, or `note`, with a
    /// number added when another label or a custom heading id took it.
    fn footnote_id(&mut self, label: &str) -> String {
        if let Some(id) = self.footnote_ids.get(label) {
            return id.clone();
        }
        let slug = slugify(label);
        let base = if slug.is_empty() { "note" } else { &slug };
        let mut id = base.to_string();
        let mut n = 1;
        let taken = |ids: &HashSet<String>, id: &str| {
            ids.contains(&format!("fn:{id}")) || ids.contains(&format!("fnref:{id}"))
        };
        while taken(&self.used_ids, &id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.used_ids.insert(format!("fn:{id}"));
        self.used_ids.insert(format!("fnref:{id}"));
        self.footnote_ids.insert(label.to_string(), id.clone());
        id
    }

    /// The rendering, from the body's HTML and what the pass collected.
    fn finish(self, html: String, cards: Vec<crate::render::card::Card>) -> RenderedNote {
        let ids: Vec<String> = self
            .used_ids
            .iter()
            .filter(|id| !TEMPLATE_IDS.contains(&id.as_str()))
            .cloned()
            .collect();
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
            cards,
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
        let id = match custom.filter(|c| !c.is_empty()) {
            Some(c) => self.custom_id(c, offset),
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
        let id = attr(&id);
        let mut inner_html = String::new();
        pulldown_cmark::html::push_html(&mut inner_html, inner.iter().map(|(e, _)| e.clone()));
        Event::Html(
            format!(
                "<h{LEVEL}{lvl}{END} id=\"{ID}{id}{END}\">{inner_html}<a class=\"anchor\" href=\"#{ID}{id}{END}\" aria-label=\"Link to this section: {}\">#</a></h{LEVEL}{lvl}{END}>\n",
                attr(&text)
            )
            .into(),
        )
    }

    /// A heading's `{#id}`, as written unless an earlier heading or the page template has it.
    fn custom_id(&mut self, id: &str, offset: usize) -> String {
        if self.custom_ids.insert(id.to_string()) && !TEMPLATE_IDS.contains(&id) {
            return id.to_string();
        }
        let unique = self.unique_id(id);
        self.warn(
            offset,
            format!("heading id `{id}` is already used on this page: this heading gets `{unique}`"),
        );
        unique
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
                Some(f) => format!("{NOTE_LINK}{}#{}{END}", attr(slug), attr(f)),
                None => format!("{NOTE_LINK}{}{END}", attr(slug)),
            },
            // A bare `#` means the top of the page in every view.
            LinkTarget::Anchor(f) if f.is_empty() => "#".to_string(),
            LinkTarget::Anchor(f) => format!("#{ID}{}{END}", attr(f)),
            LinkTarget::File(p) => attr(&encode_path(p)),
            LinkTarget::MissingNote(_) | LinkTarget::External(_) | LinkTarget::Other(_) => {
                attr(dest)
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
            let slug = crate::util::slug::slug_of_file(file);
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
        // A label defined twice keeps its first definition (as link references do): one id each.
        let mut seen = HashSet::new();
        defs.retain(|(label, _)| seen.insert(label.clone()));
        // Order by first reference; unreferenced definitions go last.
        defs.sort_by_key(|(label, _)| {
            self.footnote_order
                .iter()
                .position(|l| l == label)
                .unwrap_or(usize::MAX)
        });
        html.push_str("<section class=\"footnotes\" aria-label=\"Footnotes\"><ol>\n");
        for (label, evs) in defs {
            let id = attr(&self.footnote_id(&label));
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

/// `sql {hl_lines=[2]}` -> ("sql", "{hl_lines=[2]}"); also `sql,linenos`.
fn split_info(info: &str) -> (&str, &str) {
    let info = info.trim();
    let end = info
        .find(|c: char| c.is_whitespace() || c == '{' || c == ',')
        .unwrap_or(info.len());
    (&info[..end], info[end..].trim_start_matches(',').trim())
}
