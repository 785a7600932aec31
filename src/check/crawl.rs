//! The crawl: every built page scanned once, its links checked against the site's files and ids.

use super::external::ExternalRef;
use super::html;
use super::trace::{locate_in_book_toml, locate_in_templates, template_sources};
use crate::book::Book;
use crate::diagnostics::{Diagnostic, display_path, line_col, nearest};
use crate::output::Files;
use crate::render::markdown::{LinkTarget, RenderedNote, View, materialize};
use crate::settings::Settings;
use crate::util::paths::{percent_decode, resolve_relative};
use rayon::prelude::*;
use rustc_hash::{FxHashMap as FastMap, FxHashSet as FastSet};
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

/// The built site, scanned once, with the notes it came from.
pub struct Crawl<'a> {
    pub(super) settings: &'a Settings,
    pub(super) book: &'a Book,
    pub(super) rendered: &'a [Arc<RenderedNote>],
    pub(super) pages: Vec<Page<'a>>,
    /// Index into `pages` by site path.
    pub(super) page_index: FastMap<String, usize>,
    /// Every site path, in order, for the nearest-file hints.
    pub(super) paths: Vec<&'a str>,
    /// Every site path, for the many lookups of the crawl.
    pub(super) file_set: FastSet<&'a str>,
    /// Ids each note defines (headings, footnotes), by note index.
    pub(super) note_ids: Vec<FastSet<&'a str>>,
}

/// One built page as the crawl sees it: what it links to and what it can be linked to.
pub(crate) struct Page<'a> {
    pub(super) path: Cow<'a, str>,
    pub(super) html: PageText<'a>,
    pub(super) scan: html::Scan<'a>,
    /// The fragments this page can be linked to (ids and `<a name>`s): indices into
    /// `scan.ids` in the order of the names, searched by halves (a set would copy every name).
    targets: Vec<u32>,
    /// Byte ranges of note bodies on this page.
    pub(super) regions: Vec<Region>,
}

/// A page's text: in memory, or written out and read back only when a finding quotes it.
pub(super) enum PageText<'a> {
    Held(Cow<'a, str>),
    Written {
        file: std::path::PathBuf,
        text: std::sync::OnceLock<String>,
    },
}

impl PageText<'_> {
    /// The page's text (read from its file the first time, for a written page).
    pub(super) fn get(&self) -> &str {
        match self {
            PageText::Held(s) => s,
            PageText::Written { file, text } => text.get_or_init(|| {
                std::fs::read(file)
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default()
            }),
        }
    }
}

pub(super) struct Region {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) note: usize,
    pub(super) view: View,
}

/// Where a crawl finding comes from, before grouping.
pub(super) struct Found {
    pub(super) page: usize,
    pub(super) offset: usize,
    pub(super) kind: &'static str,
    pub(super) text: String,
    pub(super) target: String,
    pub(super) reason: String,
    pub(super) suggestion: Option<String>,
}

impl<'a> Page<'a> {
    /// Scan the page at `path` and find the note bodies on it (`by_slug`: note index by slug).
    pub(crate) fn read<S: std::borrow::Borrow<str> + Eq + std::hash::Hash + Sync>(
        path: Cow<'a, str>,
        html: Cow<'a, str>,
        book: &Book,
        rendered: &[Arc<RenderedNote>],
        by_slug: &FastMap<S, usize>,
    ) -> Page<'a> {
        let regions = || {
            let mut regions = Vec::new();
            if path == "index.html" {
                let mut from = 0;
                for n in &book.notes {
                    let body = materialize(&rendered[n.index].html, &n.slug, View::AllNotes);
                    if let Some(r) = find_region(&html, &body, from, n.index, View::AllNotes) {
                        from = r.end;
                        regions.push(r);
                    }
                }
            } else if let Some(&i) = path.strip_suffix(".html").and_then(|s| by_slug.get(s)) {
                let body = materialize(&rendered[i].html, &book.notes[i].slug, View::NotePage);
                regions.extend(find_region(&html, &body, 0, i, View::NotePage));
            }
            regions
        };
        let (scan, regions) = match &html {
            // The all-notes page is scanned in parallel pieces while its notes are found.
            Cow::Borrowed(s) => rayon::join(|| html::scan_parallel(s), regions),
            Cow::Owned(s) => (html::scan(s).into_owned(), regions()),
        };
        let mut targets: Vec<u32> = (0..scan.ids.len() as u32).collect();
        targets.sort_unstable_by(|&a, &b| scan.ids[a as usize].id.cmp(&scan.ids[b as usize].id));
        Page {
            path,
            html: PageText::Held(html),
            scan,
            targets,
            regions,
        }
    }

    /// The record of a page written out as it was scanned (see `html::StreamScan`).
    pub(super) fn streamed(
        path: String,
        scan: html::Scan<'static>,
        regions: Vec<Region>,
        file: std::path::PathBuf,
        known: &FastSet<String>,
    ) -> Page<'static> {
        let mut targets: Vec<u32> = (0..scan.ids.len() as u32).collect();
        targets.sort_unstable_by(|&a, &b| scan.ids[a as usize].id.cmp(&scan.ids[b as usize].id));
        let page = Page {
            path: Cow::Owned(path),
            html: PageText::Held(Cow::Borrowed("")),
            scan,
            targets,
            regions,
        };
        page.into_record(file, known)
    }

    /// Can the page be linked to with `#fragment`?
    pub(super) fn has_target(&self, fragment: &str) -> bool {
        self.targets
            .binary_search_by(|&i| self.scan.ids[i as usize].id.as_ref().cmp(fragment))
            .is_ok()
    }

    /// Whether `url` on this page is fine whatever else the site holds (what `Crawl::check_url`
    /// would pass): an external or empty URL, a fragment this very page defines, or a plain
    /// path (no fragment) to a page in `known`, which the site is sure to have.
    fn settled(&self, url: &str, known: &FastSet<String>) -> bool {
        if url.is_empty() || url.starts_with("//") || has_scheme(url) {
            return true;
        }
        if let Some(frag) = url.strip_prefix('#') {
            return frag.is_empty()
                || self.has_target(frag)
                || self.has_target(&percent_decode(frag));
        }
        let (path, frag) = url.split_once('#').unwrap_or((url, ""));
        let path = path.split('?').next().unwrap_or(path);
        if !frag.is_empty() || path.is_empty() || path.starts_with('/') || path.ends_with('/') {
            return false;
        }
        let dir = if self.scan.base.is_some() {
            ""
        } else {
            parent_dir(&self.path)
        };
        join_plain(dir, path).is_some_and(|target| known.contains(target.as_ref()))
    }

    /// The page's record once it is written to `file`: its text let go, and of its links only
    /// those the rest of the site decides (see `settled`; a build checks no external link, and
    /// `check --external` crawls pages in memory).
    pub(crate) fn into_record(
        mut self,
        file: std::path::PathBuf,
        known: &FastSet<String>,
    ) -> Page<'static> {
        let urls = std::mem::take(&mut self.scan.urls);
        self.scan.urls = urls
            .into_iter()
            .filter(|u| !self.settled(&u.url, known))
            .collect();
        // Filtering in place keeps the whole allocation; a record is kept to the end.
        self.scan.urls.shrink_to_fit();
        Page {
            path: Cow::Owned(self.path.into_owned()),
            html: PageText::Written {
                file,
                text: Default::default(),
            },
            scan: self.scan.into_owned(),
            targets: self.targets,
            regions: self.regions,
        }
    }
}

impl<'a> Crawl<'a> {
    /// Scan every HTML page of `files` and find the note bodies on each.
    pub fn new(
        settings: &'a Settings,
        book: &'a Book,
        rendered: &'a [Arc<RenderedNote>],
        files: &'a Files,
    ) -> Crawl<'a> {
        Crawl::with_records(settings, book, rendered, files, &[], Vec::new())
    }

    /// Like [`Crawl::new`], with pages already written out: `written` are their paths and
    /// `records` their scans (in any order).
    pub(crate) fn with_records(
        settings: &'a Settings,
        book: &'a Book,
        rendered: &'a [Arc<RenderedNote>],
        files: &'a Files,
        written: &'a [String],
        records: Vec<Page<'static>>,
    ) -> Crawl<'a> {
        let by_slug = book.by_slug();
        let mut pages: Vec<Page<'a>> = files
            .par_iter()
            .filter(|(p, _)| p.ends_with(".html"))
            .map(|(path, bytes)| {
                // Our pages are UTF-8; a book's own static page might not be.
                let html: Cow<'a, str> = match std::str::from_utf8(bytes) {
                    Ok(s) => Cow::Borrowed(s),
                    Err(_) => Cow::Owned(String::from_utf8_lossy(bytes).into_owned()),
                };
                Page::read(Cow::Borrowed(path), html, book, rendered, &by_slug)
            })
            .collect();
        pages.extend(records);
        pages.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        let note_ids = rendered
            .iter()
            .map(|r| r.ids.iter().map(String::as_str).collect())
            .collect();
        let page_index = pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.path.to_string(), i))
            .collect();
        let mut paths: Vec<&str> = files
            .keys()
            .map(String::as_str)
            .chain(written.iter().map(String::as_str))
            .collect();
        paths.sort_unstable();
        paths.dedup();
        Crawl {
            settings,
            book,
            rendered,
            pages,
            page_index,
            file_set: paths.iter().copied().collect(),
            paths,
            note_ids,
        }
    }

    /// Is `path` a file of the site?
    pub(super) fn has_file(&self, path: &str) -> bool {
        self.paths.binary_search(&path).is_ok()
    }

    /// The notes and the site's file list, without scanning any page.
    pub(super) fn without_pages(
        settings: &'a Settings,
        book: &'a Book,
        rendered: &'a [Arc<RenderedNote>],
        files: &'a Files,
    ) -> Crawl<'a> {
        Crawl {
            settings,
            book,
            rendered,
            pages: Vec::new(),
            page_index: FastMap::default(),
            paths: files.keys().map(String::as_str).collect(),
            file_set: FastSet::default(),
            note_ids: rendered
                .iter()
                .map(|r| r.ids.iter().map(String::as_str).collect())
                .collect(),
        }
    }

    /// Source links first, then what only the built pages show.
    pub fn internal(&self) -> Vec<Diagnostic> {
        let (mut out, flagged) = self.source_links();
        let found: Vec<Found> = self
            .pages
            .par_iter()
            .enumerate()
            .flat_map_iter(|(pi, page)| self.page_findings(pi, page))
            .collect();
        out.extend(self.attribute(found, &flagged));
        let target = |d: &Diagnostic| d.link.as_ref().map_or(String::new(), |l| l.target.clone());
        out.sort_by_cached_key(|d| (d.file.clone(), d.line, d.col, target(d)));
        out.dedup();
        out.into_iter().map(Diagnostic::with_message).collect()
    }

    /// Broken links and repeated ids of one built page, in page order.
    pub(super) fn page_findings(&self, pi: usize, page: &Page) -> Vec<Found> {
        let mut found = Vec::new();
        for u in &page.scan.urls {
            if let Some((reason, suggestion)) = self.check_url(page, &u.url) {
                found.push(Found {
                    page: pi,
                    offset: u.offset,
                    kind: if u.element == "img" { "image" } else { "link" },
                    text: match u.text(page.html.get()) {
                        t if t.is_empty() => format!("<{}>", u.element),
                        t => t,
                    },
                    target: u.url.to_string(),
                    reason,
                    suggestion,
                });
            }
        }
        let mut first: FastMap<&str, usize> = FastMap::default();
        for d in page.scan.ids.iter().filter(|d| d.is_id) {
            if let Some(&prev) = first.get(d.id.as_ref()) {
                let other = match page
                    .regions
                    .iter()
                    .find(|r| r.start <= prev && prev < r.end)
                {
                    Some(r) => format!("note {}", self.book.notes[r.note].rel_path),
                    None => "the page template".to_string(),
                };
                found.push(Found {
                    page: pi,
                    offset: d.offset,
                    kind: "id",
                    text: String::new(),
                    target: d.id.to_string(),
                    reason: format!(
                        "an element earlier on the page (from {other}) has the same id, so links to it go there; give this one another id with {{#...}}"
                    ),
                    suggestion: None,
                });
            } else {
                first.insert(&d.id, d.offset);
            }
        }
        found
    }

    /// Is `url` on `page` broken? Returns the reason and the nearest valid target.
    pub(super) fn check_url(&self, page: &Page, url: &str) -> Option<(String, Option<String>)> {
        if url.is_empty() || url.starts_with("//") || has_scheme(url) {
            return None;
        }
        if url.starts_with('/') {
            return Some((
                "root-absolute links break when the site is served under a sub-path (GitHub Pages serves /<repo>/); use a relative path".into(),
                None,
            ));
        }
        let (path, frag) = match url.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (url, None),
        };
        let path = path.split('?').next().unwrap_or(path);
        let target: Cow<str> = if path.is_empty() {
            Cow::Borrowed(page.path.as_ref())
        } else {
            // A <base> on the 404 page points at the site root.
            let dir = if page.scan.base.is_some() {
                ""
            } else {
                parent_dir(&page.path)
            };
            let joined = join_plain(dir, path).unwrap_or_else(|| {
                Cow::Owned(resolve_relative(&format!("{dir}x"), &percent_decode(path)))
            });
            if path.ends_with('/') || joined.is_empty() {
                if joined.is_empty() {
                    Cow::Borrowed("index.html")
                } else {
                    Cow::Owned(format!("{joined}/index.html"))
                }
            } else if !self.file_set.contains(joined.as_ref())
                && self
                    .file_set
                    .contains(format!("{joined}/index.html").as_str())
            {
                Cow::Owned(format!("{joined}/index.html"))
            } else {
                joined
            }
        };
        if !self.file_set.contains(target.as_ref()) {
            let hint = nearest_file(&target, self.paths.iter().copied()).map(|s| {
                let up = "../".repeat(parent_dir(&page.path).matches('/').count());
                format!("{up}{s}")
            });
            return Some((format!("the site has no {target}"), hint));
        }
        let frag = frag.filter(|f| !f.is_empty())?;
        let tp = &self.pages[*self.page_index.get(target.as_ref())?];
        if tp.has_target(frag) {
            return None;
        }
        let decoded = percent_decode(frag);
        if decoded != frag && tp.has_target(&decoded) {
            return None;
        }
        // Candidates in page order, so that of equally near ids the first on the page is named.
        let hint = nearest(&decoded, tp.scan.ids.iter().map(|d| d.id.as_ref())).map(|s| {
            if path.is_empty() {
                format!("#{s}")
            } else {
                format!("{path}#{s}")
            }
        });
        Some((format!("{target} has no id `{decoded}`"), hint))
    }

    /// Every http(s) link of the site: from notes with their line, from templates by page.
    pub(crate) fn external_refs(&self) -> Vec<ExternalRef> {
        let mut out = Vec::new();
        for n in &self.book.notes {
            for l in &self.rendered[n.index].links {
                if let LinkTarget::External(u) = &l.target {
                    out.push(ExternalRef {
                        url: u.clone(),
                        file: n.rel_path.clone(),
                        line: l.line,
                        col: l.col,
                        text: l.text.clone(),
                    });
                }
            }
        }
        let templates = template_sources(self.settings);
        let out_dir = display_path(&self.settings.root, &self.settings.output);
        let mut seen = HashSet::new();
        // Edit links (`[book] edit-url`) differ only in the note's path: the first one tells
        // whether the repository and branch exist, the rest would only cost requests.
        let edit_prefix = self
            .settings
            .book
            .edit_url
            .as_deref()
            .and_then(|t| t.split("{path}").next());
        let mut edit_seen = false;
        for page in &self.pages {
            for u in &page.scan.urls {
                let lower = u.url.to_ascii_lowercase();
                let web = lower.starts_with("http://") || lower.starts_with("https://");
                // Only what a reader follows: canonical and feed links name the site itself.
                if !web || !matches!(u.element.as_ref(), "a" | "img") {
                    continue;
                }
                if page
                    .regions
                    .iter()
                    .any(|r| r.start <= u.offset && u.offset < r.end)
                    || !seen.insert(u.url.clone())
                {
                    continue;
                }
                let edit = edit_prefix.is_some_and(|p| u.url.starts_with(p));
                if edit && std::mem::replace(&mut edit_seen, true) {
                    continue;
                }
                let (file, line, col) = if edit {
                    locate_in_book_toml(self.settings, "edit-url")
                } else {
                    locate_in_templates(&templates, "link", &u.url)
                }
                .unwrap_or_else(|| {
                    let (l, c) = line_col(page.html.get(), u.offset);
                    (format!("{out_dir}/{}", page.path), l, c)
                });
                out.push(ExternalRef {
                    url: u.url.to_string(),
                    file,
                    line,
                    col,
                    text: u.text(page.html.get()),
                });
            }
        }
        out
    }
}

/// Find a note's body on its page, searching from `from` first (bodies come in order).
pub(super) fn find_region(
    html: &str,
    body: &str,
    from: usize,
    note: usize,
    view: View,
) -> Option<Region> {
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

/// The site file nearest to `want` with the same extension (a typo, not a different kind of file).
pub(super) fn nearest_file<'f>(
    want: &str,
    files: impl Iterator<Item = &'f str>,
) -> Option<&'f str> {
    let ext = |p: &str| p.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let want_ext = ext(want);
    nearest(want, files.filter(|f| ext(f) == want_ext))
}

/// Does `url` start with a scheme (`mailto:`, `HTTPS:`)?
pub(super) fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) => {
            let s = &url[..i];
            !s.is_empty()
                && s.starts_with(|c: char| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// `dir` + `path` when `path` needs no resolving (no `.`, `..` or empty segment, no `%`): what
/// `resolve_relative` would return, without allocating for a page at the site root.
pub(super) fn join_plain<'p>(dir: &str, path: &'p str) -> Option<Cow<'p, str>> {
    if path.contains('%') || path.split('/').any(|s| matches!(s, "" | "." | "..")) {
        return None;
    }
    Some(if dir.is_empty() {
        Cow::Borrowed(path)
    } else {
        Cow::Owned(format!("{dir}{path}"))
    })
}

pub(super) fn parent_dir(path: &str) -> &str {
    match path.rfind('/') {
        Some(i) => &path[..=i],
        None => "",
    }
}
