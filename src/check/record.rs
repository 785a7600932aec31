//! What the link check keeps of a built page: its ids, its links and where its note bodies are,
//! without its text, so a build can write each page and forget it.
//!
//! A finding's link text and line are read back from the page (in memory, or from the file the
//! build wrote) only when there is a finding; see [`PageText`].

use super::html::{self, Scan, TextAt};
use crate::book::Book;
use crate::output::Files;
use crate::render::markdown::{RenderedNote, View, materialize};
use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Arc;

/// A URL of a page: where it is, in which element, and where its text is.
pub(crate) struct Link {
    pub offset: usize,
    pub element: Cow<'static, str>,
    pub url: Box<str>,
    pub text_at: TextAt,
}

/// An `id` (or `<a name>`) of a page.
pub(crate) struct Id {
    pub offset: usize,
    pub id: Box<str>,
    /// False for `<a name>`, which may repeat an id legally.
    pub is_id: bool,
}

/// A note's body on a page: its byte range and how it was placed.
pub(crate) struct Region {
    pub start: usize,
    pub end: usize,
    pub note: usize,
    pub view: View,
}

/// One built page as the link check needs it.
pub(crate) struct PageRecord {
    pub path: String,
    /// In page order.
    pub urls: Vec<Link>,
    /// In page order.
    pub ids: Vec<Id>,
    /// Indices into `ids`, sorted by id: the page's fragment targets.
    by_id: Vec<u32>,
    /// The page has a `<base href>` (links resolve from the site root).
    pub base: bool,
    pub regions: Vec<Region>,
}

/// Element names kept without an allocation per link.
const ELEMENTS: &[&str] = &[
    "a", "img", "link", "script", "source", "video", "audio", "iframe", "use", "image", "track",
    "embed", "object", "input", "area",
];

fn element(name: &str) -> Cow<'static, str> {
    match ELEMENTS.iter().find(|e| **e == name) {
        Some(e) => Cow::Borrowed(e),
        None => Cow::Owned(name.to_string()),
    }
}

impl PageRecord {
    /// An empty record for `path`, filled by [`PageRecord::add_scan`].
    pub fn new(path: String) -> PageRecord {
        PageRecord {
            path,
            urls: Vec::new(),
            ids: Vec::new(),
            by_id: Vec::new(),
            base: false,
            regions: Vec::new(),
        }
    }

    /// Add the scan of the part of the page that starts `at` bytes into it.
    pub fn add_scan(&mut self, scan: Scan<'_>, at: usize) {
        self.urls.extend(scan.urls.into_iter().map(|u| Link {
            offset: u.offset + at,
            element: element(&u.element),
            url: u.url.into(),
            text_at: u.text_at.shifted(at),
        }));
        self.ids.extend(scan.ids.into_iter().map(|d| Id {
            offset: d.offset + at,
            id: d.id.into(),
            is_id: d.is_id,
        }));
        self.base |= scan.base.is_some();
    }

    /// Sort the id index and drop growth slack: the record is kept for the whole check.
    pub fn finish(mut self) -> PageRecord {
        let mut by_id: Vec<u32> = (0..self.ids.len() as u32).collect();
        by_id.sort_by(|&a, &b| self.ids[a as usize].id.cmp(&self.ids[b as usize].id));
        self.by_id = by_id;
        self.urls.shrink_to_fit();
        self.ids.shrink_to_fit();
        self.regions.shrink_to_fit();
        self
    }

    /// Whether the page defines the fragment `frag` (an id or an `<a name>`).
    pub fn has_target(&self, frag: &str) -> bool {
        self.by_id
            .binary_search_by(|&i| self.ids[i as usize].id.as_ref().cmp(frag))
            .is_ok()
    }

    /// The region holding `offset`, if it is inside a note body.
    pub fn region_at(&self, offset: usize) -> Option<&Region> {
        self.regions
            .iter()
            .find(|r| r.start <= offset && offset < r.end)
    }
}

/// What making a record needs to find the note bodies on a page.
pub(crate) struct Notes<'a> {
    pub book: &'a Book,
    pub rendered: &'a [Arc<RenderedNote>],
    by_slug: std::collections::HashMap<&'a str, usize>,
}

impl<'a> Notes<'a> {
    pub fn new(book: &'a Book, rendered: &'a [Arc<RenderedNote>]) -> Notes<'a> {
        Notes {
            book,
            rendered,
            by_slug: book.by_slug(),
        }
    }

    /// The note whose own page is `path`.
    pub fn note_of_page(&self, path: &str) -> Option<usize> {
        path.strip_suffix(".html")
            .and_then(|s| self.by_slug.get(s))
            .copied()
    }
}

/// The record of a whole page in memory. The all-notes page's bodies are searched in order;
/// a note page's body is searched once.
pub(crate) fn record_page(path: &str, html: &str, notes: &Notes) -> PageRecord {
    let (book, rendered) = (notes.book, notes.rendered);
    let regions = || {
        let mut regions = Vec::new();
        if path == "index.html" {
            let mut from = 0;
            for n in &book.notes {
                let body = materialize(&rendered[n.index].html, &n.slug, View::AllNotes);
                if let Some(r) = find_region(html, &body, from, n.index, View::AllNotes) {
                    from = r.end;
                    regions.push(r);
                }
            }
        } else if let Some(i) = notes.note_of_page(path) {
            let body = materialize(&rendered[i].html, &book.notes[i].slug, View::NotePage);
            regions.extend(find_region(html, &body, 0, i, View::NotePage));
        }
        regions
    };
    // The all-notes page is scanned in parallel pieces while its notes are found.
    let (scan, regions) = rayon::join(|| html::scan_parallel(html), regions);
    let mut rec = PageRecord::new(path.to_string());
    rec.add_scan(scan, 0);
    rec.regions = regions;
    rec.finish()
}

/// Find a note's body on its page, searching from `from` first (bodies come in order).
fn find_region(html: &str, body: &str, from: usize, note: usize, view: View) -> Option<Region> {
    if body.is_empty() {
        return None;
    }
    // Search for a short prefix and compare the rest: a whole body as the needle is slow to prepare.
    let mut cut = body.len().min(128);
    while !body.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &body[..cut];
    let is_body = |s: &usize| html.get(*s..*s + body.len()) == Some(body);
    let finder = memchr::memmem::Finder::new(head);
    let start = finder
        .find_iter(&html.as_bytes()[from..])
        .map(|p| p + from)
        .find(is_body)
        .or_else(|| finder.find_iter(html.as_bytes()).find(is_body))?;
    Some(Region {
        start,
        end: start + body.len(),
        note,
        view,
    })
}

/// Where the text of the built pages is read back from, for the few places a finding needs it.
pub(crate) enum PageText<'a> {
    /// The site in memory.
    Memory(&'a Files),
    /// The folder the build wrote the pages to.
    Disk(PathBuf),
}

impl PageText<'_> {
    /// The whole page as text (a page that is not UTF-8 is converted).
    pub fn page(&self, path: &str) -> Cow<'_, str> {
        match self {
            PageText::Memory(files) => match files.get(path) {
                Some(b) => String::from_utf8_lossy(b),
                None => Cow::Borrowed(""),
            },
            PageText::Disk(dir) => {
                let bytes = std::fs::read(dir.join(path)).unwrap_or_default();
                Cow::Owned(String::from_utf8_lossy(&bytes).into_owned())
            }
        }
    }

    /// The bytes `start..end` of a page, as text.
    pub fn slice(&self, path: &str, start: usize, end: usize) -> String {
        match self {
            PageText::Memory(_) => {
                let page = self.page(path);
                page.get(start..end.min(page.len()))
                    .unwrap_or("")
                    .to_string()
            }
            PageText::Disk(dir) => {
                let bytes = read_range(&dir.join(path), start, end).unwrap_or_default();
                String::from_utf8_lossy(&bytes).into_owned()
            }
        }
    }

    /// The 1-based line and column of `offset` in a page.
    pub fn line_col(&self, path: &str, offset: usize) -> (usize, usize) {
        let text = match self {
            PageText::Memory(_) => self.page(path),
            PageText::Disk(dir) => {
                let bytes = read_range(&dir.join(path), 0, offset).unwrap_or_default();
                Cow::Owned(String::from_utf8_lossy(&bytes).into_owned())
            }
        };
        crate::diagnostics::line_col(&text, offset.min(text.len()))
    }
}

/// The bytes `start..end` of a file (fewer at its end).
fn read_range(path: &std::path::Path, start: usize, end: usize) -> std::io::Result<Vec<u8>> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(path)?;
    f.seek(SeekFrom::Start(start as u64))?;
    let mut buf = Vec::with_capacity(end.saturating_sub(start));
    f.take(end.saturating_sub(start) as u64)
        .read_to_end(&mut buf)?;
    Ok(buf)
}
