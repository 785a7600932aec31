//! Link checking with the renderer's own ids: links recorded while rendering, then the built pages crawled.
//!
//! Two passes share one report. The source pass checks every link the renderer recorded (so a
//! problem names the note, line and column the author wrote). The crawl reads every built page
//! as a browser would (templates included, on the all-notes page and on each note's page) and
//! reports what the source pass could not see: template links, raw HTML, ids repeated on a page.
//! A crawl finding inside a note's body is traced back to the note's source line.

pub(crate) mod external;
mod html;

use crate::book::Book;
use crate::check::external::ExternalRef;
use crate::cli::{CheckArgs, Format};
use crate::diagnostics::{ContentErrors, Diagnostic, Severity, display_path, line_col, nearest};
use crate::output::Files;
use crate::render::markdown::{LinkTarget, RenderedNote, View, materialize};
use crate::settings::Settings;
use crate::site::Site;
use crate::util::paths::{percent_decode, resolve_relative};
use crate::util::slug::slugify;
use crate::{Log, Outcome};
use anyhow::Result;
use rayon::prelude::*;
use rustc_hash::{FxHashMap as FastMap, FxHashSet as FastSet};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::sync::Arc;

/// One problem found by a check, with everything a reader or a tool needs to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub severity: Severity,
    /// The file to fix, relative to the book root (a note, a template, or a built page).
    pub file: String,
    /// 1-based; 0 when unknown.
    pub line: usize,
    /// 1-based; 0 when unknown.
    pub col: usize,
    /// `link`, `image`, `footnote`, `id` or `external`.
    pub kind: &'static str,
    /// The link text (or image alt) as the reader sees it.
    pub text: String,
    /// The link target as written (or the repeated id).
    pub target: String,
    /// What is wrong.
    pub reason: String,
    /// The nearest valid target, when there is one.
    pub suggestion: Option<String>,
    /// Built pages the problem shows on, when the crawl found it.
    pub pages: Vec<String>,
}

impl Problem {
    /// The whole problem in one line.
    pub fn message(&self) -> String {
        let mut m = match self.kind {
            "id" => format!("repeated id `{}`: {}", self.target, self.reason),
            "footnote" => format!("broken footnote {}: {}", self.target, self.reason),
            kind => format!(
                "broken {kind} [{}]({}): {}",
                self.text, self.target, self.reason
            ),
        };
        if self.kind == "external" && self.severity == Severity::Warning {
            m = format!(
                "external link [{}]({}): {}",
                self.text, self.target, self.reason
            );
        }
        if let Some(s) = &self.suggestion {
            m.push_str(&format!("; did you mean {s}?"));
        }
        if !self.pages.is_empty() {
            let shown: Vec<&str> = self.pages.iter().take(3).map(String::as_str).collect();
            let more = self.pages.len().saturating_sub(3);
            m.push_str(&format!(
                " (on {}{})",
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ));
        }
        m
    }

    /// The problem as a build diagnostic.
    pub(crate) fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic {
            severity: self.severity,
            file: self.file.clone(),
            line: self.line,
            col: self.col,
            message: self.message(),
        }
    }
}

/// Every internal check of a built site: links in notes, then the crawl of every page.
pub fn internal(
    settings: &Settings,
    book: &Book,
    rendered: &[Arc<RenderedNote>],
    files: &Files,
) -> Vec<Problem> {
    Crawl::new(settings, book, rendered, files).internal()
}

/// Only the links written in notes, from the renderer's records: no page is scanned. The dev
/// server runs this on every save, where the full crawl would cost more than the rebuild.
pub fn source_only(
    settings: &Settings,
    book: &Book,
    rendered: &[Arc<RenderedNote>],
    files: &Files,
) -> Vec<Problem> {
    Crawl::without_pages(settings, book, rendered, files)
        .source_links()
        .0
}

/// A built site's link problems as the build's diagnostics: warnings, or errors with
/// `[build] strict`. With `crawl`, every built page is read too (template links, raw HTML,
/// repeated ids); without, only the links written in notes (`serve`, on every save).
pub(crate) fn build_findings(settings: &Settings, site: &Site, crawl: bool) -> Vec<Diagnostic> {
    let (book, rendered, files) = (&site.book, &site.rendered[..], &site.files);
    let problems = if crawl {
        internal(settings, book, rendered, files)
    } else {
        source_only(settings, book, rendered, files)
    };
    let severity = if settings.build.strict {
        Severity::Error
    } else {
        Severity::Warning
    };
    problems
        .iter()
        .map(|p| Diagnostic {
            severity,
            ..p.to_diagnostic()
        })
        .collect()
}

/// Add a build's link findings to its warnings, or fail the build with them under `strict`.
pub(crate) fn gate(settings: &Settings, site: &mut Site, findings: Vec<Diagnostic>) -> Result<()> {
    if settings.build.strict && !findings.is_empty() {
        return Err(ContentErrors(findings).into());
    }
    site.warnings.extend(findings);
    Ok(())
}

/// The built site, scanned once, with the notes it came from.
pub struct Crawl<'a> {
    settings: &'a Settings,
    book: &'a Book,
    rendered: &'a [Arc<RenderedNote>],
    files: &'a Files,
    pages: Vec<Page<'a>>,
    /// Index into `pages` by site path.
    page_index: FastMap<&'a str, usize>,
    /// Every site path, for the many lookups of the crawl.
    file_set: FastSet<&'a str>,
    /// Ids each note defines (headings, footnotes), by note index.
    note_ids: Vec<HashSet<&'a str>>,
}

struct Page<'a> {
    path: &'a str,
    html: Cow<'a, str>,
    scan: html::Scan<'a>,
    /// Ids and `<a name>`s: the fragments this page can be linked to.
    targets: FastSet<Cow<'a, str>>,
    /// Byte ranges of note bodies on this page.
    regions: Vec<Region>,
}

struct Region {
    start: usize,
    end: usize,
    note: usize,
    view: View,
}

/// Where a crawl finding comes from, before grouping.
struct Found {
    page: usize,
    offset: usize,
    kind: &'static str,
    text: String,
    target: String,
    reason: String,
    suggestion: Option<String>,
}

impl<'a> Crawl<'a> {
    /// Scan every HTML page of `files` and find the note bodies on each.
    pub fn new(
        settings: &'a Settings,
        book: &'a Book,
        rendered: &'a [Arc<RenderedNote>],
        files: &'a Files,
    ) -> Crawl<'a> {
        let by_slug = book.by_slug();
        let pages: Vec<Page> = files
            .par_iter()
            .filter(|(p, _)| p.ends_with(".html"))
            .map(|(path, bytes)| {
                // Our pages are UTF-8; a book's own static page might not be.
                let html: Cow<'a, str> = match std::str::from_utf8(bytes) {
                    Ok(s) => Cow::Borrowed(s),
                    Err(_) => Cow::Owned(String::from_utf8_lossy(bytes).into_owned()),
                };
                let regions = || {
                    let mut regions = Vec::new();
                    if path == "index.html" {
                        let mut from = 0;
                        for n in &book.notes {
                            let body =
                                materialize(&rendered[n.index].html, &n.slug, View::AllNotes);
                            if let Some(r) =
                                find_region(&html, &body, from, n.index, View::AllNotes)
                            {
                                from = r.end;
                                regions.push(r);
                            }
                        }
                    } else if let Some(&i) = path.strip_suffix(".html").and_then(|s| by_slug.get(s))
                    {
                        let body =
                            materialize(&rendered[i].html, &book.notes[i].slug, View::NotePage);
                        regions.extend(find_region(&html, &body, 0, i, View::NotePage));
                    }
                    regions
                };
                let (scan, regions) = match &html {
                    // The all-notes page is scanned in parallel pieces while its notes are found.
                    Cow::Borrowed(s) => rayon::join(|| html::scan_parallel(s), regions),
                    Cow::Owned(s) => (html::scan(s).into_owned(), regions()),
                };
                let targets = scan.ids.iter().map(|d| d.id.clone()).collect();
                Page {
                    path: path.as_str(),
                    html,
                    scan,
                    targets,
                    regions,
                }
            })
            .collect();
        let note_ids = rendered
            .iter()
            .map(|r| r.ids.iter().map(String::as_str).collect())
            .collect();
        let page_index = pages.iter().enumerate().map(|(i, p)| (p.path, i)).collect();
        Crawl {
            settings,
            book,
            rendered,
            files,
            pages,
            page_index,
            file_set: files.keys().map(String::as_str).collect(),
            note_ids,
        }
    }

    /// The notes and the site's file list, without scanning any page.
    fn without_pages(
        settings: &'a Settings,
        book: &'a Book,
        rendered: &'a [Arc<RenderedNote>],
        files: &'a Files,
    ) -> Crawl<'a> {
        Crawl {
            settings,
            book,
            rendered,
            files,
            pages: Vec::new(),
            page_index: FastMap::default(),
            file_set: FastSet::default(),
            note_ids: rendered
                .iter()
                .map(|r| r.ids.iter().map(String::as_str).collect())
                .collect(),
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
    fn page_findings(&self, pi: usize, page: &Page) -> Vec<Found> {
        let mut found = Vec::new();
        for u in &page.scan.urls {
            if let Some((reason, suggestion)) = self.check_url(page, &u.url) {
                found.push(Found {
                    page: pi,
                    offset: u.offset,
                    kind: if u.element == "img" { "image" } else { "link" },
                    text: match u.text(&page.html) {
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

    /// Check the links the renderer recorded. Returns the problems and which (note, link) pairs they cover.
    fn source_links(&self) -> (Vec<Problem>, HashSet<(usize, usize)>) {
        let by_slug = self.book.by_slug();
        let mut out = Vec::new();
        let mut flagged = HashSet::new();
        for n in &self.book.notes {
            for (li, l) in self.rendered[n.index].links.iter().enumerate() {
                let problem: Option<(String, Option<String>)> = match &l.target {
                    LinkTarget::Note {
                        slug,
                        fragment: Some(f),
                    } if !f.is_empty() => {
                        let t = by_slug[slug.as_str()];
                        let ids = &self.note_ids[t];
                        (!ids.contains(f.as_str())).then(|| {
                            let where_ = if t == n.index {
                                "this note".to_string()
                            } else {
                                self.book.notes[t].rel_path.clone()
                            };
                            let base = l.dest.split('#').next().unwrap_or("");
                            (
                                format!("no heading or footnote `#{f}` in {where_}"),
                                nearest(f, ids.iter().copied()).map(|s| format!("{base}#{s}")),
                            )
                        })
                    }
                    LinkTarget::Anchor(f) if !f.is_empty() => {
                        let ids = &self.note_ids[n.index];
                        (!ids.contains(f.as_str())).then(|| {
                            (
                                format!("no heading or footnote `#{f}` in this note"),
                                nearest(f, ids.iter().copied()).map(|s| format!("#{s}")),
                            )
                        })
                    }
                    LinkTarget::MissingNote(p) => {
                        let file = p.rsplit('/').next().unwrap_or(p);
                        let want = crate::util::slug::slug_of_file(file);
                        let hint = nearest(&want, self.book.notes.iter().map(|n| n.slug.as_str()))
                            .map(|s| {
                                relative_from(&n.rel_path, &self.book.notes[by_slug[s]].rel_path)
                            });
                        Some((format!("no note at {p}"), hint))
                    }
                    LinkTarget::File(p) if !self.files.contains_key(p) => {
                        let hint = nearest_file(p, self.files.keys())
                            .map(|s| self.source_path_to(&n.rel_path, s));
                        Some((
                            format!(
                                "no file {p} in the site (files live under static/ or beside the note)"
                            ),
                            hint,
                        ))
                    }
                    LinkTarget::Other(d) if d.starts_with('/') && !d.starts_with("//") => {
                        let site_path = percent_decode(
                            d.trim_start_matches('/')
                                .split(['?', '#'])
                                .next()
                                .unwrap_or(""),
                        );
                        let hint = self
                            .files
                            .contains_key(&site_path)
                            .then(|| self.source_path_to(&n.rel_path, &site_path));
                        Some((
                            "root-absolute links break when the site is served under a sub-path (GitHub Pages serves /<repo>/); use a relative path".to_string(),
                            hint,
                        ))
                    }
                    _ => None,
                };
                if let Some((reason, suggestion)) = problem {
                    flagged.insert((n.index, li));
                    out.push(Problem {
                        severity: Severity::Error,
                        file: n.rel_path.clone(),
                        line: l.line,
                        col: l.col,
                        kind: if l.is_image { "image" } else { "link" },
                        text: l.text.clone(),
                        target: l.dest.clone(),
                        reason,
                        suggestion,
                        pages: Vec::new(),
                    });
                }
            }
        }
        for n in &self.book.notes {
            let (refs, defined) = undefined_footnotes(&n.body);
            for (offset, label) in refs {
                let (l, c) = line_col(&n.body, offset);
                out.push(Problem {
                    severity: Severity::Error,
                    file: n.rel_path.clone(),
                    line: n.source_line(l - 1),
                    col: c,
                    kind: "footnote",
                    text: label.clone(),
                    target: format!("[^{label}]"),
                    reason: format!("no footnote `[^{label}]: ...` is defined in this note, so it shows as plain text"),
                    suggestion: nearest(&label, defined.iter().map(String::as_str)).map(|d| format!("[^{d}]")),
                    pages: Vec::new(),
                });
            }
        }
        (out, flagged)
    }

    /// How a note at `note` would link to the site file `site_path`.
    fn source_path_to(&self, note: &str, site_path: &str) -> String {
        let on_disk = if site_path.starts_with("notes/")
            || !self.settings.root.join("static").join(site_path).exists()
        {
            site_path.to_string()
        } else {
            format!("static/{site_path}")
        };
        relative_from(note, &on_disk)
    }

    /// Is `url` on `page` broken? Returns the reason and the nearest valid target.
    fn check_url(&self, page: &Page, url: &str) -> Option<(String, Option<String>)> {
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
            Cow::Borrowed(page.path)
        } else {
            // A <base> on the 404 page points at the site root.
            let dir = if page.scan.base.is_some() {
                ""
            } else {
                parent_dir(page.path)
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
            let hint = nearest_file(&target, self.files.keys()).map(|s| {
                let up = "../".repeat(parent_dir(page.path).matches('/').count());
                format!("{up}{s}")
            });
            return Some((format!("the site has no {target}"), hint));
        }
        let frag = frag.filter(|f| !f.is_empty())?;
        let tp = &self.pages[*self.page_index.get(target.as_ref())?];
        if tp.targets.contains(frag) {
            return None;
        }
        let decoded = percent_decode(frag);
        if decoded != frag && tp.targets.contains(decoded.as_str()) {
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

    /// Trace crawl findings to the file that makes them: a note's line, a template, or the built page.
    fn attribute(&self, found: Vec<Found>, flagged: &HashSet<(usize, usize)>) -> Vec<Problem> {
        let templates = template_sources(self.settings);
        let out_dir = display_path(&self.settings.root, &self.settings.output);
        // Problems from templates repeat on many pages: one entry per place, listing the pages.
        let mut grouped: BTreeMap<(String, usize, usize, String, String), Problem> =
            BTreeMap::new();
        for f in found {
            let page = &self.pages[f.page];
            let Some(p) = self.trace(f, flagged, &templates, &out_dir) else {
                continue;
            };
            let key = (
                p.file.clone(),
                p.line,
                p.col,
                p.target.clone(),
                p.reason.clone(),
            );
            match grouped.get_mut(&key) {
                Some(g) => g.pages.push(page.path.to_string()),
                None => {
                    grouped.insert(key, p);
                }
            }
        }
        grouped.into_values().collect()
    }

    /// One crawl finding as a problem at its source; `None` when the source pass reported it.
    fn trace(
        &self,
        f: Found,
        flagged: &HashSet<(usize, usize)>,
        templates: &[(String, String)],
        out_dir: &str,
    ) -> Option<Problem> {
        let page = &self.pages[f.page];
        let region = page
            .regions
            .iter()
            .find(|r| r.start <= f.offset && f.offset < r.end);
        let mut p = Problem {
            severity: Severity::Error,
            file: String::new(),
            line: 0,
            col: 0,
            kind: f.kind,
            text: f.text,
            target: f.target,
            reason: f.reason,
            suggestion: f.suggestion,
            pages: vec![page.path.to_string()],
        };
        if let Some(r) = region {
            self.trace_in_note(&mut p, page, r, f.offset, flagged)?;
        } else if let Some((file, l, c)) = locate_in_templates(templates, f.kind, &p.target) {
            p.file = file;
            p.line = l;
            p.col = c;
        } else {
            let (l, c) = line_col(&page.html, f.offset);
            p.file = format!("{out_dir}/{}", page.path);
            p.line = l;
            p.col = c;
            p.reason.push_str(" (from the page template)");
        }
        Some(p)
    }

    /// Place a finding at `offset` inside a note's body on the note's line and column; `None`
    /// when the source pass reported it.
    fn trace_in_note(
        &self,
        p: &mut Problem,
        page: &Page,
        r: &Region,
        offset: usize,
        flagged: &HashSet<(usize, usize)>,
    ) -> Option<()> {
        let note = &self.book.notes[r.note];
        let is_id = p.kind == "id";
        if !is_id {
            self.match_recorded_link(p, r, flagged)?;
        }
        // A raw `<a href="#x">` in a note: fine on its own page, broken on the all-notes page.
        let raw_anchor = (!is_id && p.line == 0 && r.view == View::AllNotes)
            .then(|| p.target.strip_prefix('#').map(percent_decode))
            .flatten()
            .filter(|frag| {
                page.targets
                    .contains(format!("{}--{frag}", note.slug).as_str())
            });
        if is_id
            && r.view == View::AllNotes
            && let Some(id) = p.target.strip_prefix(&format!("{}--", note.slug))
        {
            p.target = id.to_string();
        }
        let at = if is_id {
            self.id_source(page, r, offset, &p.target)
        } else if p.line == 0 {
            locate_link_in_note(&note.body, &p.target, &note.slug, r.view)
        } else {
            None
        };
        if let Some((l, c)) = at {
            p.line = note.source_line(l - 1);
            p.col = c;
        }
        if let Some(frag) = raw_anchor {
            p.reason = format!(
                "raw HTML links are not rewritten for the all-notes page, where this note's ids are `{}--{frag}`; use a Markdown link [{}](#{frag})",
                note.slug, p.text
            );
            p.suggestion = None;
        }
        p.file = note.rel_path.clone();
        Some(())
    }

    /// Take line, column, text and target from the first link the renderer recorded in the
    /// region's note with the finding's URL; `None` when the source pass flagged any such link.
    fn match_recorded_link(
        &self,
        p: &mut Problem,
        r: &Region,
        flagged: &HashSet<(usize, usize)>,
    ) -> Option<()> {
        let slug = &self.book.notes[r.note].slug;
        let links = &self.rendered[r.note].links;
        let mut first = None;
        for (i, l) in links.iter().enumerate() {
            if crate::util::html::decode_attribute(&materialize(&l.href, slug, r.view)) == p.target
            {
                if flagged.contains(&(r.note, i)) {
                    return None;
                }
                first.get_or_insert(i);
            }
        }
        if let Some(i) = first {
            let l = &links[i];
            p.line = l.line;
            p.col = l.col;
            p.text = l.text.clone();
            p.target = l.dest.clone();
            p.kind = if l.is_image { "image" } else { "link" };
        }
        Some(())
    }

    /// The note line and column of the repeated id at `offset`: the k-th element with this id
    /// in the note's region is the note's k-th source of the id.
    fn id_source(
        &self,
        page: &Page,
        r: &Region,
        offset: usize,
        target: &str,
    ) -> Option<(usize, usize)> {
        let body = &self.book.notes[r.note].body;
        // The page's ids are in page order: find the region's ids before this one by offset.
        let ids = &page.scan.ids;
        let from = ids.partition_point(|d| d.offset < r.start);
        let to = ids.partition_point(|d| d.offset < offset);
        let id = ids
            .get(to)
            .filter(|d| d.offset == offset)
            .map_or("", |d| d.id.as_ref());
        let k = ids[from.min(to)..to]
            .iter()
            .filter(|d| d.is_id && d.id == id)
            .count();
        let sources = find_id_sources(body, target);
        sources
            .get(k)
            .or(sources.last())
            .map(|&o| line_col(body, o))
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
                    let (l, c) = line_col(&page.html, u.offset);
                    (format!("{out_dir}/{}", page.path), l, c)
                });
                out.push(ExternalRef {
                    url: u.url.to_string(),
                    file,
                    line,
                    col,
                    text: u.text(&page.html),
                });
            }
        }
        out
    }
}

/// Where `key` is set in book.toml: ("book.toml", line, column).
fn locate_in_book_toml(settings: &Settings, key: &str) -> Option<(String, usize, usize)> {
    let text = std::fs::read_to_string(settings.root.join("book.toml")).ok()?;
    text.lines().enumerate().find_map(|(i, l)| {
        let t = l.trim_start();
        let rest = t.strip_prefix(key)?.trim_start();
        rest.starts_with('=')
            .then(|| ("book.toml".to_string(), i + 1, l.len() - t.len() + 1))
    })
}

/// The site file nearest to `want` with the same extension (a typo, not a different kind of file).
fn nearest_file<'f>(want: &str, files: impl Iterator<Item = &'f String>) -> Option<&'f str> {
    let ext = |p: &str| p.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let want_ext = ext(want);
    nearest(
        want,
        files.map(String::as_str).filter(|f| ext(f) == want_ext),
    )
}

/// Offsets and labels of `[^label]` references that have no definition (Markdown leaves them as text).
fn undefined_footnotes(body: &str) -> (Vec<(usize, String)>, Vec<String>) {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    // Every reference found below is a `[^` of the body: without one, parsing is wasted (the dev
    // server runs this for every note on every save).
    if memchr::memmem::find(body.as_bytes(), b"[^").is_none() {
        return (Vec::new(), Vec::new());
    }
    let mut spans: Vec<std::ops::Range<usize>> = Vec::new();
    let mut defined = Vec::new();
    let mut in_code = false;
    let mut last_end = usize::MAX;
    for (ev, range) in Parser::new_ext(body, crate::render::markdown::options()).into_offset_iter()
    {
        match ev {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::FootnoteDefinition(l)) => defined.push(l.to_string()),
            Event::Text(_) if !in_code => {
                // Brackets split text into several events: join the adjacent ones.
                match spans.last_mut() {
                    Some(s) if last_end == range.start => s.end = range.end,
                    _ => spans.push(range.clone()),
                }
                last_end = range.end;
                continue;
            }
            _ => {}
        }
        last_end = usize::MAX;
    }
    let mut out = Vec::new();
    for s in spans {
        let text = &body[s.clone()];
        let mut from = 0;
        while let Some(p) = text[from..].find("[^") {
            let at = from + p;
            from = at + 2;
            if text[..at].ends_with('\\') {
                continue;
            }
            if let Some(e) = text[at + 2..].find(']') {
                let label = &text[at + 2..at + 2 + e];
                if !label.is_empty() && !label.contains(['[', '\n']) && label.len() <= 100 {
                    out.push((s.start + at, label.to_string()));
                }
            }
        }
    }
    (out, defined)
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

/// The line and column in a note body of the link a crawl finding points at.
fn locate_link_in_note(body: &str, url: &str, slug: &str, view: View) -> Option<(usize, usize)> {
    let frag = url.split_once('#').map(|(_, f)| f).unwrap_or("");
    let frag = match view {
        View::AllNotes => frag
            .strip_prefix(slug)
            .and_then(|f| f.strip_prefix("--"))
            .unwrap_or(frag),
        View::NotePage => frag,
    };
    let pos = if let Some(label) = frag
        .strip_prefix("fn:")
        .or_else(|| frag.strip_prefix("fnref:"))
    {
        find_footnote_ref(body, label)
    } else {
        body.find(url)
            .or_else(|| (!frag.is_empty()).then(|| body.find(frag)).flatten())
    }?;
    Some(line_col(body, pos))
}

/// Offset of the first `[^label]` whose label gives the footnote id `id`.
fn find_footnote_ref(body: &str, id: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(p) = body[from..].find("[^") {
        let start = from + p;
        let rest = &body[start + 2..];
        if let Some(e) = rest.find(']')
            && slugify(&rest[..e]) == id
        {
            return Some(start);
        }
        from = start + 2;
    }
    None
}

/// Where a note gives elements the id `id`: `{#id}`, `id="id"`, or headings that slugify to it, in order.
fn find_id_sources(body: &str, id: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for pat in [
        format!("{{#{id}}}"),
        format!("{{#{id} "),
        format!("id=\"{id}\""),
        format!("id='{id}'"),
    ] {
        out.extend(body.match_indices(&pat).map(|(p, _)| p));
    }
    if let Some(label) = id.strip_prefix("fnref:") {
        let mut from = 0;
        while let Some(p) = body[from..].find("[^") {
            let at = from + p;
            from = at + 2;
            let rest = &body[at + 2..];
            if let Some(e) = rest.find(']') {
                let l = slugify(&rest[..e]);
                // The k-th reference is `fnref:label-k`; the first is plain `fnref:label`.
                if l == label
                    || label
                        .strip_prefix(l.as_str())
                        .is_some_and(|k| k.starts_with('-'))
                {
                    out.push(at);
                }
            }
        }
    }
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with('#') && !t.contains("{#") {
            let text = t.trim_start_matches('#');
            if slugify(text) == id {
                out.push(offset + line.len() - t.len());
            }
        }
        offset += line.len();
    }
    out.sort_unstable();
    out
}

/// The theme's templates as the build uses them: (file to report, source); the book's own override built-in ones.
fn template_sources(settings: &Settings) -> Vec<(String, String)> {
    let mut out: BTreeMap<String, (String, String)> = crate::site::templates::BUILTIN_TEMPLATES
        .iter()
        .map(|(n, s)| {
            (
                n.to_string(),
                (format!("templates/{n} (built in)"), s.to_string()),
            )
        })
        .collect();
    let dir = settings.root.join("templates");
    for e in walkdir::WalkDir::new(&dir)
        .min_depth(1)
        .into_iter()
        .flatten()
    {
        if e.file_type().is_file()
            && let (Ok(rel), Ok(text)) = (
                e.path().strip_prefix(&dir),
                std::fs::read_to_string(e.path()),
            )
        {
            let name = rel.to_string_lossy().replace('\\', "/");
            out.insert(name.clone(), (format!("templates/{name}"), text));
        }
    }
    out.into_values().collect()
}

/// Find the template line that writes `target` (its literal part: `{{ root }}` and `?v=` dropped).
fn locate_in_templates(
    templates: &[(String, String)],
    kind: &str,
    target: &str,
) -> Option<(String, usize, usize)> {
    let needles: Vec<String> = if kind == "id" {
        vec![format!("id=\"{target}\""), format!("id='{target}'")]
    } else {
        let mut t = target;
        while let Some(r) = t.strip_prefix("../").or_else(|| t.strip_prefix("./")) {
            t = r;
        }
        let t = t.split('?').next().unwrap_or(t);
        let escaped = crate::util::text::escape(t);
        let mut v = vec![
            format!("\"{target}\""),
            format!("\"{escaped}\""),
            format!("}}}}{t}"),
        ];
        if !t.is_empty() {
            v.push(t.to_string());
        }
        v
    };
    for n in &needles {
        for (file, src) in templates {
            if let Some(p) = src.find(n.as_str()) {
                let (l, c) = line_col(src, p);
                return Some((file.clone(), l, c));
            }
        }
    }
    None
}

/// Does `url` start with a scheme (`mailto:`, `HTTPS:`)?
fn has_scheme(url: &str) -> bool {
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

/// The path of `to` as a relative link from the note `from`.
fn relative_from(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = from.split('/').collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let from_dir = &from_dir[..from_dir.len() - 1];
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<&str> = vec![".."; from_dir.len() - common];
    parts.extend(&to_parts[common..]);
    parts.join("/")
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

/// `handbook check`: build leniently (broken links are this command's findings, not a failure
/// to run), crawl every page once, ask external links when told to, report.
pub(crate) fn run(settings: &Settings, args: &CheckArgs, log: &Log) -> Result<Outcome> {
    let mut settings = settings.clone();
    settings.build.strict = false;
    let site = crate::site::build(&settings)?;
    let crawl = Crawl::new(&settings, &site.book, &site.rendered, &site.files);
    let mut all = crawl.internal();
    if args.external {
        let refs = crawl.external_refs();
        all.extend(external::check(&settings, &refs, log)?);
    }
    let errors = all.iter().filter(|p| p.severity == Severity::Error).count();
    report(&settings.root, &all, &site.warnings, args.format, log);
    Ok(if errors == 0 {
        Outcome::Ok
    } else {
        Outcome::Problems
    })
}

/// The closing line of a report, in every format that prints one.
fn summary(errors: usize, warnings: usize) -> String {
    format!(
        "check: {errors} problem{}, {warnings} warning{}",
        plural(errors),
        plural(warnings)
    )
}

fn report(
    root: &std::path::Path,
    problems: &[Problem],
    build_warnings: &[Diagnostic],
    format: Format,
    log: &Log,
) {
    let mut out = std::io::stdout().lock();
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors + build_warnings.len();
    // A closed pipe (`| head`) is not an error worth a panic: stop writing.
    let _ = (|| -> std::io::Result<()> {
        match format {
            Format::Human => {
                // Coloured like build diagnostics, only when stdout is a terminal (see term.rs).
                let on = crate::term::colour(crate::term::Stream::Stdout);
                let show = |d: &Diagnostic| {
                    let source = crate::diagnostics::source_line(root, d);
                    crate::term::format_diagnostic(d, source.as_deref(), on)
                };
                for p in problems.iter().filter(|p| p.severity == Severity::Error) {
                    writeln!(out, "{}", show(&p.to_diagnostic()))?;
                }
                if !log.quiet {
                    for p in problems.iter().filter(|p| p.severity == Severity::Warning) {
                        writeln!(out, "{}", show(&p.to_diagnostic()))?;
                    }
                    for d in build_warnings {
                        writeln!(out, "{}", show(d))?;
                    }
                    writeln!(out, "{}", summary(errors, warnings))?;
                }
            }
            Format::Github => {
                let diags = problems
                    .iter()
                    .map(Problem::to_diagnostic)
                    .chain(build_warnings.iter().cloned());
                for d in diags {
                    let kind = if d.severity == Severity::Error {
                        "error"
                    } else {
                        "warning"
                    };
                    let mut loc = format!("file={}", gh_property(&d.file));
                    if d.line > 0 {
                        loc.push_str(&format!(",line={}", d.line));
                    }
                    if d.col > 0 {
                        loc.push_str(&format!(",col={}", d.col));
                    }
                    writeln!(out, "::{kind} {loc}::{}", gh_escape(&d.message))?;
                }
                writeln!(out, "{}", summary(errors, warnings))?;
            }
            Format::Json => {
                #[derive(Serialize)]
                struct Report {
                    errors: usize,
                    warnings: usize,
                    problems: Vec<serde_json::Value>,
                }
                let mut list = Vec::new();
                for p in problems {
                    let mut v = serde_json::to_value(p).unwrap_or_default();
                    v["message"] = serde_json::Value::String(p.message());
                    list.push(v);
                }
                for d in build_warnings {
                    list.push(serde_json::to_value(d).unwrap_or_default());
                }
                let r = Report {
                    errors,
                    warnings,
                    problems: list,
                };
                writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&r).unwrap_or_default()
                )?;
            }
        }
        out.flush()
    })();
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Workflow command data needs `%`, CR and LF escaped.
fn gh_escape(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Workflow command properties also need `:` and `,` escaped.
fn gh_property(s: &str) -> String {
    gh_escape(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_between_notes() {
        assert_eq!(
            relative_from("notes/a/1-x.md", "notes/b/2-y.md"),
            "../b/2-y.md"
        );
        assert_eq!(relative_from("notes/a/1-x.md", "notes/a/2-y.md"), "2-y.md");
        assert_eq!(
            relative_from("notes/a/1-x.md", "static/img/p.png"),
            "../../static/img/p.png"
        );
    }

    #[test]
    fn schemes() {
        assert!(has_scheme("mailto:x@y"));
        assert!(has_scheme("https://x"));
        assert!(!has_scheme("a.html#x:y"));
        assert!(!has_scheme("#fn:1"));
    }

    #[test]
    fn footnote_and_heading_sources() {
        let body = "Intro.[^Big Note]\n\n## Main Ideas\n\n### Other {#custom}\n";
        assert_eq!(find_footnote_ref(body, "big-note"), Some(6));
        assert_eq!(find_id_sources(body, "main-ideas"), vec![19]);
        assert_eq!(find_id_sources(body, "custom"), vec![44]);
    }

    #[test]
    fn github_properties_are_escaped() {
        assert_eq!(gh_property("a,b:c"), "a%2Cb%3Ac");
        assert_eq!(gh_escape("50%\nx"), "50%25%0Ax");
    }
}
