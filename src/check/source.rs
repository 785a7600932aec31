//! The source pass: every link the renderer recorded, checked where the author wrote it.

use super::crawl::{Crawl, nearest_file};
use crate::book::Note;
use crate::diagnostics::{Diagnostic, LinkFinding, Severity, line_col, nearest};
use crate::render::markdown::{LinkRecord, LinkTarget};
use crate::util::paths::percent_decode;
use std::collections::HashSet;

impl<'a> Crawl<'a> {
    /// Check the links the renderer recorded. Returns the problems and which (note, link) pairs they cover.
    pub(super) fn source_links(&self) -> (Vec<Diagnostic>, HashSet<(usize, usize)>) {
        let by_slug = self.book.by_slug();
        let mut out = Vec::new();
        let mut flagged = HashSet::new();
        for n in &self.book.notes {
            for (li, l) in self.rendered[n.index].links.iter().enumerate() {
                if let Some((reason, suggestion)) = self.link_problem(&by_slug, n, l) {
                    flagged.insert((n.index, li));
                    let finding = LinkFinding {
                        kind: if l.is_image { "image" } else { "link" },
                        text: l.text.clone(),
                        target: l.dest.clone(),
                        reason,
                        pages: Vec::new(),
                    };
                    out.push(Diagnostic::link(
                        Severity::Error,
                        &n.rel_path,
                        (l.line, l.col),
                        finding,
                        suggestion,
                    ));
                }
            }
        }
        out.extend(self.footnote_problems());
        (out, flagged)
    }

    /// What is wrong with one recorded link of note `n`, and the nearest valid target.
    fn link_problem(
        &self,
        by_slug: &rustc_hash::FxHashMap<&str, usize>,
        n: &Note,
        l: &LinkRecord,
    ) -> Option<(String, Option<String>)> {
        match &l.target {
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
                    .map(|s| relative_from(&n.rel_path, &self.book.notes[by_slug[s]].rel_path));
                Some((format!("no note at {p}"), hint))
            }
            LinkTarget::File(p) if !self.has_file(p) => {
                let hint = nearest_file(p, self.paths.iter().copied())
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
                    .has_file(&site_path)
                    .then(|| self.source_path_to(&n.rel_path, &site_path));
                Some((
                    "root-absolute links break when the site is served under a sub-path (GitHub Pages serves /<repo>/); use a relative path".to_string(),
                    hint,
                ))
            }
            _ => None,
        }
    }

    /// Footnote references with no definition, which Markdown leaves as plain text.
    fn footnote_problems(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for n in &self.book.notes {
            let (refs, defined) = undefined_footnotes(&n.body);
            for (offset, label) in refs {
                let (l, c) = line_col(&n.body, offset);
                let suggestion =
                    nearest(&label, defined.iter().map(String::as_str)).map(|d| format!("[^{d}]"));
                let finding = LinkFinding {
                    kind: "footnote",
                    text: label.clone(),
                    target: format!("[^{label}]"),
                    reason: format!(
                        "no footnote `[^{label}]: ...` is defined in this note, so it shows as plain text"
                    ),
                    pages: Vec::new(),
                };
                out.push(Diagnostic::link(
                    Severity::Error,
                    &n.rel_path,
                    (n.source_line(l - 1), c),
                    finding,
                    suggestion,
                ));
            }
        }
        out
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

/// The path of `to` as a relative link from the note `from`.
pub(super) fn relative_from(from: &str, to: &str) -> String {
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
