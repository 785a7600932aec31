//! The crawl: every built page's links resolved against the site's files and the ids of the page
//! they point at, from the pages' records.

use super::Problem;
use super::record::{Notes, PageRecord, PageText, record_page};
use crate::book::Book;
use crate::diagnostics::nearest;
use crate::output::Files;
use crate::render::markdown::RenderedNote;
use crate::settings::Settings;
use crate::util::paths::{percent_decode, resolve_relative};
use rayon::prelude::*;
use rustc_hash::{FxHashMap as FastMap, FxHashSet as FastSet};
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

/// The built site as the check sees it (each page's record, every file's path), with the notes
/// it came from.
pub struct Crawl<'a> {
    pub(super) settings: &'a Settings,
    pub(super) book: &'a Book,
    pub(super) rendered: &'a [Arc<RenderedNote>],
    /// Every site path, sorted.
    pub(super) paths: Vec<String>,
    /// The same paths, for the many lookups of the crawl.
    pub(super) file_set: FastSet<String>,
    pub(super) pages: Vec<PageRecord>,
    /// Index into `pages` by site path.
    page_index: FastMap<String, usize>,
    /// Ids each note defines (headings, footnotes), by note index.
    pub(super) note_ids: Vec<HashSet<&'a str>>,
    /// Where a finding's link text and line are read from.
    pub(super) text: PageText<'a>,
}

/// Where a crawl finding comes from, before grouping.
pub(super) struct Found {
    pub page: usize,
    pub offset: usize,
    pub kind: &'static str,
    /// The link's text on the page, read when the finding is reported.
    pub text_at: crate::check::html::TextAt,
    pub element: Cow<'static, str>,
    pub target: String,
    pub reason: String,
    pub suggestion: Option<String>,
}

impl<'a> Crawl<'a> {
    /// Scan every HTML page of `files` (a site in memory) and find the note bodies on each.
    pub fn new(
        settings: &'a Settings,
        book: &'a Book,
        rendered: &'a [Arc<RenderedNote>],
        files: &'a Files,
    ) -> Crawl<'a> {
        let notes = Notes::new(book, rendered);
        let pages: Vec<PageRecord> = files
            .par_iter()
            .filter(|(p, _)| p.ends_with(".html"))
            // Our pages are UTF-8; a book's own static page might not be.
            .map(|(path, bytes)| record_page(path, &String::from_utf8_lossy(bytes), &notes))
            .collect();
        let paths = files.keys().cloned().collect();
        Crawl::from_records(
            settings,
            book,
            rendered,
            paths,
            pages,
            PageText::Memory(files),
        )
    }

    /// The crawl of pages recorded as they were written: `paths` is every file of the site.
    pub(crate) fn from_records(
        settings: &'a Settings,
        book: &'a Book,
        rendered: &'a [Arc<RenderedNote>],
        mut paths: Vec<String>,
        pages: Vec<PageRecord>,
        text: PageText<'a>,
    ) -> Crawl<'a> {
        paths.sort_unstable();
        let mut pages = pages;
        pages.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        Crawl {
            settings,
            book,
            rendered,
            file_set: paths.iter().cloned().collect(),
            paths,
            page_index: pages
                .iter()
                .enumerate()
                .map(|(i, p)| (p.path.clone(), i))
                .collect(),
            pages,
            note_ids: note_ids(rendered),
            text,
        }
    }

    /// The notes and the site's file list, without any page.
    pub(super) fn without_pages(
        settings: &'a Settings,
        book: &'a Book,
        rendered: &'a [Arc<RenderedNote>],
        files: &'a Files,
    ) -> Crawl<'a> {
        let paths: Vec<String> = files.keys().cloned().collect();
        Crawl {
            settings,
            book,
            rendered,
            file_set: paths.iter().cloned().collect(),
            paths,
            page_index: FastMap::default(),
            pages: Vec::new(),
            note_ids: note_ids(rendered),
            text: PageText::Memory(files),
        }
    }

    /// Source links first, then what only the built pages show.
    pub fn internal(&self) -> Vec<Problem> {
        let (mut out, flagged) = self.source_links();
        let found: Vec<Found> = self
            .pages
            .par_iter()
            .enumerate()
            .flat_map_iter(|(pi, page)| self.page_findings(pi, page))
            .collect();
        out.extend(self.attribute(found, &flagged));
        out.sort_by(|a, b| {
            (&a.file, a.line, a.col, &a.target).cmp(&(&b.file, b.line, b.col, &b.target))
        });
        out.dedup();
        out
    }

    /// Broken links and repeated ids of one built page, in page order.
    fn page_findings(&self, pi: usize, page: &PageRecord) -> Vec<Found> {
        let mut found = Vec::new();
        for u in &page.urls {
            if let Some((reason, suggestion)) = self.check_url(page, &u.url) {
                found.push(Found {
                    page: pi,
                    offset: u.offset,
                    kind: if u.element == "img" { "image" } else { "link" },
                    text_at: u.text_at,
                    element: u.element.clone(),
                    target: u.url.to_string(),
                    reason,
                    suggestion,
                });
            }
        }
        let mut first: FastMap<&str, usize> = FastMap::default();
        for d in page.ids.iter().filter(|d| d.is_id) {
            if let Some(&prev) = first.get(d.id.as_ref()) {
                let other = match page.region_at(prev) {
                    Some(r) => format!("note {}", self.book.notes[r.note].rel_path),
                    None => "the page template".to_string(),
                };
                found.push(Found {
                    page: pi,
                    offset: d.offset,
                    kind: "id",
                    text_at: Default::default(),
                    element: Cow::Borrowed(""),
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

    /// The site path a relative `path` on `page` leads to (`dir/` and `dir` to its index page).
    fn resolve<'u>(&self, page: &'u PageRecord, path: &'u str) -> Cow<'u, str> {
        if path.is_empty() {
            return Cow::Borrowed(page.path.as_str());
        }
        // A <base> on the 404 page points at the site root.
        let dir = if page.base {
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
    }

    /// Is `url` on `page` broken? Returns the reason and the nearest valid target.
    fn check_url(&self, page: &PageRecord, url: &str) -> Option<(String, Option<String>)> {
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
        let target = self.resolve(page, path);
        if !self.file_set.contains(target.as_ref()) {
            let hint = nearest_file(&target, self.paths.iter()).map(|s| {
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
        if decoded != frag && tp.has_target(decoded.as_str()) {
            return None;
        }
        // Candidates in page order, so that of equally near ids the first on the page is named.
        let hint = nearest(&decoded, tp.ids.iter().map(|d| d.id.as_ref())).map(|s| {
            if path.is_empty() {
                format!("#{s}")
            } else {
                format!("{path}#{s}")
            }
        });
        Some((format!("{target} has no id `{decoded}`"), hint))
    }
}

fn note_ids(rendered: &[Arc<RenderedNote>]) -> Vec<HashSet<&str>> {
    rendered
        .iter()
        .map(|r| r.ids.iter().map(String::as_str).collect())
        .collect()
}

/// The site file nearest to `want` with the same extension (a typo, not a different kind of file).
pub(super) fn nearest_file<'f>(
    want: &str,
    files: impl Iterator<Item = &'f String>,
) -> Option<&'f str> {
    let ext = |p: &str| p.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let want_ext = ext(want);
    nearest(
        want,
        files.map(String::as_str).filter(|f| ext(f) == want_ext),
    )
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
fn join_plain<'p>(dir: &str, path: &'p str) -> Option<Cow<'p, str>> {
    if path.contains('%') || path.split('/').any(|s| matches!(s, "" | "." | "..")) {
        return None;
    }
    Some(if dir.is_empty() {
        Cow::Borrowed(path)
    } else {
        Cow::Owned(format!("{dir}{path}"))
    })
}

fn parent_dir(path: &str) -> &str {
    match path.rfind('/') {
        Some(i) => &path[..=i],
        None => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        assert!(has_scheme("mailto:x@y"));
        assert!(has_scheme("https://x"));
        assert!(!has_scheme("a.html#x:y"));
        assert!(!has_scheme("#fn:1"));
    }
}
