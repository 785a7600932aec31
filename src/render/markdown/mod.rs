//! The Markdown pass: one render per note with heading ids, TOC, rewritten links, code and diagrams.
//!
//! Ids and links to other notes are written as placeholders so the same render serves every
//! view: `materialize` fills them in for the per-note page (plain ids, `slug.html#id` links) or
//! the all-notes page (ids namespaced `slug--id`, in-page `#slug--id` links).

mod code;
mod footnotes;
mod headings;
mod links;
mod materialize;

use crate::book::{Book, Note};
use crate::diagnostics::{Diagnostic, line_col};
use crate::render::marker;
use crate::util::text::collapse_ws;
pub use materialize::materialize;
pub(crate) use materialize::materialize_into;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

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

    /// The rendering, from the body's HTML and what the pass collected.
    fn finish(mut self, mut html: String, cards: Vec<crate::render::card::Card>) -> RenderedNote {
        // A rendering is kept for the whole build (and between saves in `serve`): the output
        // buffer's growth slack, up to half of it, is given back.
        html.shrink_to_fit();
        self.links.shrink_to_fit();
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
