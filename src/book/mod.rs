//! Walks `notes/`: sections and notes in number-prefix order, front matter parsed with line numbers, slugs.

mod cache;
mod checks;
mod discover;
mod front_matter;
pub mod include;
mod read;

use crate::diagnostics::{ContentErrors, Diagnostic, display_path};
use crate::settings::Settings;
use crate::util::slug::tag_slug;
use anyhow::Result;
pub(crate) use cache::FileCache;
use cache::parse_all;
use checks::check_slugs;
pub(crate) use checks::valid_yoe;
use discover::discover;
pub use front_matter::parse_note;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

pub(crate) const LEVELS: [&str; 3] = ["beginner", "intermediate", "advanced"];

/// Front matter as written in a note.
/// Every key is optional to the parser (a missing string is empty, missing tags none); a
/// book's `[notes] require` says which it insists on.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Hash)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub yoe: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub draft: bool,
}

/// A section: a numbered folder under `notes/` with an optional `_section.toml`.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub title: String,
    pub description: Option<String>,
    pub slug: String,
    /// Indices into `Book::notes`.
    pub notes: Vec<usize>,
}

/// One note, loaded but not yet rendered.
#[derive(Debug, Clone)]
pub struct Note {
    /// 0-based position in reading order.
    pub index: usize,
    /// Index into `Book::sections`.
    pub section: usize,
    pub slug: String,
    /// Path relative to the book root with `/` separators (`notes/02-x/07-load-balancers.md`).
    pub rel_path: String,
    pub meta: FrontMatter,
    pub body: std::sync::Arc<str>,
    /// 1-based line of the expanded text where `body` starts (see `source_line`).
    pub body_line: usize,
    /// From lines of the expanded text (includes spliced in) back to lines of the file.
    pub lines: include::LineMap,
    /// Files its `{{#include}}` directives read (absolute), for `serve` to watch.
    pub includes: Vec<PathBuf>,
}

impl Note {
    /// The number a reader sees (1..N).
    pub(crate) fn number(&self) -> usize {
        self.index + 1
    }

    /// The line of the note's file for line `i` (0-based) of its body, past any includes.
    pub(crate) fn source_line(&self, i: usize) -> usize {
        self.lines.source_line(self.body_line + i)
    }
}

/// The whole book's sources in reading order.
#[derive(Debug, Clone)]
pub struct Book {
    pub sections: Vec<Section>,
    pub notes: Vec<Note>,
    /// What loading noticed without failing: Markdown files that are not built.
    pub warnings: Vec<Diagnostic>,
}

impl Book {
    /// Each tag (as written) with its slug, slugified once per spelling: a build needs the
    /// slug of every tag of every note several times over.
    pub(crate) fn tag_slugs(&self) -> rustc_hash::FxHashMap<&str, String> {
        let mut slugs = rustc_hash::FxHashMap::default();
        for t in self.notes.iter().flat_map(|n| &n.meta.tags) {
            slugs.entry(t.as_str()).or_insert_with(|| tag_slug(t));
        }
        slugs
    }

    pub(crate) fn by_slug(&self) -> rustc_hash::FxHashMap<&str, usize> {
        self.notes
            .iter()
            .map(|n| (n.slug.as_str(), n.index))
            .collect()
    }
}

/// A file found under `notes/`, before parsing.
#[derive(Clone)]
pub(crate) struct Found {
    section: usize,
    path: PathBuf,
}

type Parsed = Result<Option<Note>, Vec<Diagnostic>>;

/// Load every section and note, collecting all content errors before failing.
pub fn load(settings: &Settings) -> Result<Book> {
    load_cached(settings, &mut FileCache::default())
}

/// `load`, reusing what `cache` holds for files that have not changed since.
pub(crate) fn load_cached(settings: &Settings, cache: &mut FileCache) -> Result<Book> {
    let root = &settings.root;
    let notes_dir = root.join("notes");
    let mut errors = Vec::new();
    if !notes_dir.is_dir() {
        return Err(ContentErrors(vec![Diagnostic::error(
            "notes",
            0,
            0,
            "no notes/ folder: a book keeps its notes in notes/<NN-section>/<NN-slug>.md",
        )])
        .into());
    }
    let walk = match cache.walk_unchanged(&notes_dir) {
        Some(d) => d.clone(),
        None => {
            let d = std::sync::Arc::new(discover(root, &notes_dir, &mut errors)?);
            cache.discovered = errors.is_empty().then(|| d.clone());
            d
        }
    };
    let (sections, found, nested) = &*walk;
    let mut notes: Vec<Note> = Vec::with_capacity(found.len());
    let parsed = parse_all(settings, found, cache);
    let mut sections = sections.clone();
    for p in parsed {
        match p {
            Ok(Some(mut n)) => {
                n.index = notes.len();
                sections[n.section].notes.push(n.index);
                notes.push(n);
            }
            Ok(None) => {}
            Err(mut e) => errors.append(&mut e),
        }
    }
    check_slugs(&notes, &mut errors);
    if notes.is_empty() && errors.is_empty() {
        errors.push(Diagnostic::error(
            "notes",
            0,
            0,
            "the book has no notes: add notes/<NN-section>/<NN-slug>.md files with front matter",
        ));
    }
    if !errors.is_empty() {
        return Err(ContentErrors(errors).into());
    }
    sections.retain(|s| !s.notes.is_empty());
    // Section indices changed after dropping empty ones; renumber.
    for (si, s) in sections.iter().enumerate() {
        for &ni in &s.notes {
            notes[ni].section = si;
        }
    }
    // A Markdown file a note includes is where it should be.
    let included: std::collections::HashSet<&PathBuf> =
        notes.iter().flat_map(|n| &n.includes).collect();
    let warnings = nested
        .iter()
        .filter(|p| !included.contains(p))
        .map(|p| {
            Diagnostic::warning(
                display_path(root, p),
                0,
                0,
                "not built: notes sit directly in a section folder (notes/<NN-section>/<NN-slug>.md); move it up, or start its name with `_` to leave it out on purpose",
            )
        })
        .collect();
    Ok(Book {
        sections,
        notes,
        warnings,
    })
}

#[cfg(test)]
mod tests;
