//! A note's text to a `Note`: the `+++` front matter split off and parsed, the title taken from the first heading when it has none, the result validated.

use super::checks::{check_meta, check_required, check_slug};
use super::{FrontMatter, Note, include};
use crate::diagnostics::{Diagnostic, toml_error};

/// What a book asks of its notes and what the loader found around the text.
#[derive(Default)]
pub(crate) struct Rules<'a> {
    /// `[notes] require` of book.toml.
    pub require: &'a [String],
    /// A title set by `{{#title ...}}`, used when the front matter has none.
    pub title: Option<String>,
}

/// Split and validate front matter; the body keeps its line offset for later diagnostics.
/// Every front-matter key is optional here: see [`parse_note_with`] for a book's `require`.
pub fn parse_note(
    rel: &str,
    text: &str,
    slug: String,
    section: usize,
) -> Result<Note, Vec<Diagnostic>> {
    parse_note_with(rel, text, slug, section, Rules::default())
}

/// `parse_note` under a book's rules. A note without front matter (or without a title in it)
/// takes its title from its first `# ` heading, which then leaves the body.
pub(crate) fn parse_note_with(
    rel: &str,
    text: &str,
    slug: String,
    section: usize,
    rules: Rules,
) -> Result<Note, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (fm_text, body_start, body_line) = split_front_matter(rel, text)?;
    let mut meta: FrontMatter = match fm_text {
        Some(fm) => toml::from_str(fm).map_err(|e| {
            let (line, col, msg) = toml_error::explain(&e, fm);
            vec![Diagnostic::error(rel, line + 1, col, msg)]
        })?,
        None => FrontMatter::default(),
    };
    // Kept as written: the renderer's placeholders cannot be forged (see render::marker).
    let mut body = text[body_start..].to_string();
    if meta.title.trim().is_empty() {
        if let Some(t) = rules.title.clone() {
            meta.title = t;
        } else if let Some(t) = take_heading_title(&mut body) {
            meta.title = t;
        }
    }
    let mut errs = check_required(rel, fm_text, rules.require);
    if fm_text.is_none() && !errs.is_empty() {
        return Err(errs);
    }
    errs.extend(check_meta(rel, fm_text.unwrap_or(""), &meta));
    errs.extend(check_slug(rel, &slug));
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(Note {
        index: 0,
        section,
        slug,
        rel_path: rel.to_string(),
        meta,
        body: body.into(),
        body_line,
        lines: include::LineMap::default(),
        includes: Vec::new(),
    })
}

/// The front matter's text (between the `+++` lines) if there is one, where the body starts
/// (byte offset) and its first line.
fn split_front_matter<'t>(
    rel: &str,
    text: &'t str,
) -> Result<(Option<&'t str>, usize, usize), Vec<Diagnostic>> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "+++" {
        return Ok((None, 0, 1));
    }
    let fm_start = first.len();
    let mut offset = fm_start;
    let mut line_no = 1;
    for l in lines {
        line_no += 1;
        if l.trim_end() == "+++" {
            return Ok((Some(&text[fm_start..offset]), offset + l.len(), line_no + 1));
        }
        offset += l.len();
    }
    Err(vec![Diagnostic::error(
        rel,
        1,
        1,
        "front matter is never closed; a note starts with a `+++` line, TOML (title and the keys the book requires), then a closing `+++` line",
    )])
}

/// The text of the body's first `# ` heading (outside code fences), blanked out of the body so
/// line numbers stay.
fn take_heading_title(body: &mut String) -> Option<String> {
    let mut fence: Option<&str> = None;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let t = line.trim_start();
        let marker = if t.starts_with("```") {
            Some("```")
        } else if t.starts_with("~~~") {
            Some("~~~")
        } else {
            None
        };
        match (fence, marker) {
            (None, Some(m)) => fence = Some(m),
            (Some(f), Some(m)) if f == m => fence = None,
            (None, None) if line.len() - t.len() < 4 => {
                if let Some(h) = t.strip_prefix("# ") {
                    let title = h.trim().trim_end_matches('#').trim().to_string();
                    if title.is_empty() {
                        return None;
                    }
                    let end = offset + line.trim_end_matches(['\n', '\r']).len();
                    body.replace_range(offset..end, "");
                    return Some(title);
                }
            }
            _ => {}
        }
        offset += line.len();
    }
    None
}
