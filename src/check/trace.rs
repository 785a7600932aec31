//! Tracing crawl findings back to their source: a note's line, a template, or the built page.

use super::crawl::{Crawl, Found, Page, Region};
use crate::diagnostics::{Diagnostic, LinkFinding, Severity, display_path, line_col};
use crate::render::markdown::{View, materialize};
use crate::settings::Settings;
use crate::util::paths::percent_decode;
use crate::util::slug::slugify;
use std::collections::{BTreeMap, HashSet};

impl<'a> Crawl<'a> {
    /// Trace crawl findings to the file that makes them: a note's line, a template, or the built page.
    pub(super) fn attribute(
        &self,
        found: Vec<Found>,
        flagged: &HashSet<(usize, usize)>,
    ) -> Vec<Diagnostic> {
        let templates = template_sources(self.settings);
        let out_dir = display_path(&self.settings.root, &self.settings.output);
        // Problems from templates repeat on many pages: one entry per place, listing the pages.
        let mut grouped: BTreeMap<(String, usize, usize, String, String), Diagnostic> =
            BTreeMap::new();
        for f in found {
            let page = &self.pages[f.page];
            let Some(p) = self.trace(f, flagged, &templates, &out_dir) else {
                continue;
            };
            let Some(link) = &p.link else { continue };
            let key = (
                p.file.clone(),
                p.line,
                p.col,
                link.target.clone(),
                link.reason.clone(),
            );
            match grouped.get_mut(&key).and_then(|g| g.link.as_mut()) {
                Some(g) => g.pages.push(page.path.to_string()),
                None => {
                    grouped.insert(key, p);
                }
            }
        }
        grouped.into_values().collect()
    }

    /// One crawl finding as a diagnostic at its source; `None` when the source pass reported it.
    fn trace(
        &self,
        f: Found,
        flagged: &HashSet<(usize, usize)>,
        templates: &[(String, String)],
        out_dir: &str,
    ) -> Option<Diagnostic> {
        let page = &self.pages[f.page];
        let region = page
            .regions
            .iter()
            .find(|r| r.start <= f.offset && f.offset < r.end);
        let finding = LinkFinding {
            kind: f.kind,
            text: f.text,
            target: f.target,
            reason: f.reason,
            pages: vec![page.path.to_string()],
        };
        let mut p = Diagnostic::link(Severity::Error, "", (0, 0), finding, f.suggestion);
        if let Some(r) = region {
            self.trace_in_note(&mut p, page, r, f.offset, flagged)?;
        } else if let Some((file, l, c)) = p
            .link
            .as_ref()
            .and_then(|link| locate_in_templates(templates, link.kind, &link.target))
        {
            (p.file, p.line, p.col) = (file, l, c);
        } else {
            let (l, c) = line_col(page.html.get(), f.offset);
            (p.file, p.line, p.col) = (format!("{out_dir}/{}", page.path), l, c);
            if let Some(link) = &mut p.link {
                link.reason.push_str(" (from the page template)");
            }
        }
        Some(p)
    }

    /// Place a finding at `offset` inside a note's body on the note's line and column; `None`
    /// when the source pass reported it.
    fn trace_in_note(
        &self,
        p: &mut Diagnostic,
        page: &Page,
        r: &Region,
        offset: usize,
        flagged: &HashSet<(usize, usize)>,
    ) -> Option<()> {
        let note = &self.book.notes[r.note];
        let is_id = p.link.as_ref()?.kind == "id";
        if !is_id {
            self.match_recorded_link(p, r, flagged)?;
        }
        let Diagnostic {
            file,
            line,
            col,
            suggestion,
            link,
            ..
        } = p;
        let link = link.as_mut()?;
        // A raw `<a href="#x">` in a note: fine on its own page, broken on the all-notes page.
        let raw_anchor = (!is_id && *line == 0 && r.view == View::AllNotes)
            .then(|| link.target.strip_prefix('#').map(percent_decode))
            .flatten()
            .filter(|frag| page.has_target(&format!("{}--{frag}", note.slug)));
        if is_id
            && r.view == View::AllNotes
            && let Some(id) = link.target.strip_prefix(&format!("{}--", note.slug))
        {
            link.target = id.to_string();
        }
        let at = if is_id {
            self.id_source(page, r, offset, &link.target)
        } else if *line == 0 {
            locate_link_in_note(&note.body, &link.target, &note.slug, r.view)
        } else {
            None
        };
        if let Some((l, c)) = at {
            *line = note.source_line(l - 1);
            *col = c;
        }
        if let Some(frag) = raw_anchor {
            link.reason = format!(
                "raw HTML links are not rewritten for the all-notes page, where this note's ids are `{}--{frag}`; use a Markdown link [{}](#{frag})",
                note.slug, link.text
            );
            *suggestion = None;
        }
        *file = note.rel_path.clone();
        Some(())
    }

    /// Take line, column, text and target from the first link the renderer recorded in the
    /// region's note with the finding's URL; `None` when the source pass flagged any such link.
    fn match_recorded_link(
        &self,
        p: &mut Diagnostic,
        r: &Region,
        flagged: &HashSet<(usize, usize)>,
    ) -> Option<()> {
        let link = p.link.as_mut()?;
        let slug = &self.book.notes[r.note].slug;
        let links = &self.rendered[r.note].links;
        let mut first = None;
        for (i, l) in links.iter().enumerate() {
            if crate::util::html::decode_attribute(&materialize(&l.href, slug, r.view))
                == link.target
            {
                if flagged.contains(&(r.note, i)) {
                    return None;
                }
                first.get_or_insert(i);
            }
        }
        if let Some(i) = first {
            let l = &links[i];
            link.text = l.text.clone();
            link.target = l.dest.clone();
            link.kind = if l.is_image { "image" } else { "link" };
            (p.line, p.col) = (l.line, l.col);
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
}

/// Where `key` is set in book.toml: ("book.toml", line, column).
pub(super) fn locate_in_book_toml(
    settings: &Settings,
    key: &str,
) -> Option<(String, usize, usize)> {
    let text = std::fs::read_to_string(settings.root.join("book.toml")).ok()?;
    text.lines().enumerate().find_map(|(i, l)| {
        let t = l.trim_start();
        let rest = t.strip_prefix(key)?.trim_start();
        rest.starts_with('=')
            .then(|| ("book.toml".to_string(), i + 1, l.len() - t.len() + 1))
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
pub(super) fn find_footnote_ref(body: &str, id: &str) -> Option<usize> {
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
pub(super) fn find_id_sources(body: &str, id: &str) -> Vec<usize> {
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
pub(super) fn template_sources(settings: &Settings) -> Vec<(String, String)> {
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
pub(super) fn locate_in_templates(
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
