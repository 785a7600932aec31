//! Walks `notes/`: sections and notes in number-prefix order, front matter parsed with line numbers, slugs.

use crate::diagnostics::toml_error;
use crate::diagnostics::{ContentErrors, Diagnostic, display_path};
use crate::settings::Settings;
use crate::util::slug::{slug_of_file, slugify, strip_number};

pub mod include;
use anyhow::Result;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

pub(crate) const LEVELS: [&str; 3] = ["beginner", "intermediate", "advanced"];

/// Slugs that would collide with pages the generator writes itself.
const RESERVED_SLUGS: [&str; 6] = ["index", "404", "tags", "search-index", "nav", "sitemap"];

/// Ids the theme gives elements of the all-notes page, where each note's id is its slug.
const THEME_IDS: [&str; 13] = [
    "top",
    "main",
    "sidebar",
    "nav-tree",
    "toc-title",
    "search-input",
    "search-results",
    "search-status",
    "search-hint",
    "filters-title",
    "filter-count",
    "tag-find",
    "hb-linked-from",
];

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

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionToml {
    title: String,
    #[serde(default)]
    description: Option<String>,
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
            slugs.entry(t.as_str()).or_insert_with(|| slugify(t));
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
struct Found {
    section: usize,
    path: PathBuf,
}

/// Parsed note files kept between builds by `serve`: a file whose modification time and length
/// are unchanged, as are those of the files it includes, is not read or parsed again.
#[derive(Default)]
pub(crate) struct FileCache {
    files: rustc_hash::FxHashMap<PathBuf, Cached>,
    /// Whether drafts were included, and the required keys, when the entries were parsed.
    drafts: bool,
    require: Vec<String>,
    /// What the last walk of `notes/` found, when it found no error.
    discovered: Option<std::sync::Arc<Discovered>>,
    /// The files the watcher says changed since the last load (`serve`); `None`: unknown.
    changed: Option<HashSet<PathBuf>>,
}

/// The sections, note files and misplaced Markdown files of one walk of `notes/`.
type Discovered = (Vec<Section>, Vec<Found>, Vec<PathBuf>);

impl FileCache {
    /// Tell the next load which files changed since the last one (absolute paths, as the
    /// watcher reports them): when they are all notes or included files it already knows,
    /// it skips walking `notes/` and reads only those, without looking at any other file.
    /// Paths named before a load that failed early still count: they add up until a load
    /// has read the notes.
    pub(crate) fn changed_since_last_load(&mut self, paths: &[PathBuf]) {
        self.changed
            .get_or_insert_with(HashSet::new)
            .extend(paths.iter().cloned());
    }

    /// The watcher may have missed changes: the next load looks at every file.
    pub(crate) fn changes_unknown(&mut self) {
        self.changed = None;
        self.discovered = None;
    }

    /// The last walk, when nothing that changed can alter it: every changed path under
    /// `notes_dir` is a note file or an included file seen before, and still exists.
    fn walk_unchanged(&self, notes_dir: &Path) -> Option<&std::sync::Arc<Discovered>> {
        let changed = self.changed.as_ref()?;
        let known = |p: &PathBuf| {
            self.files.contains_key(p)
                || self
                    .files
                    .values()
                    .any(|c| c.deps.iter().any(|(d, _)| d == p))
        };
        changed
            .iter()
            .filter(|p| p.starts_with(notes_dir))
            .all(|p| known(p) && p.is_file())
            .then_some(self.discovered.as_ref()?)
    }
}

type Parsed = Result<Option<Note>, Vec<Diagnostic>>;
type Stamp = Option<(std::time::SystemTime, u64)>;

#[derive(Clone)]
struct Cached {
    stamp: Stamp,
    parsed: Parsed,
    /// The included files and their stamps when the note was parsed.
    deps: Vec<(PathBuf, Stamp)>,
}

fn stamp(path: &Path) -> Stamp {
    std::fs::metadata(path)
        .ok()
        .and_then(|m| Some((m.modified().ok()?, m.len())))
}

/// Parse every found file in parallel, reusing cache entries whose file and includes are unchanged.
fn parse_all(settings: &Settings, found: &[Found], cache: &mut FileCache) -> Vec<Parsed> {
    use rayon::prelude::*;
    if cache.drafts != settings.build.drafts || cache.require != settings.notes.require {
        cache.files.clear();
        cache.drafts = settings.build.drafts;
        cache.require = settings.notes.require.clone();
    }
    let old = &cache.files;
    let changed = cache.changed.take();
    // Known unchanged: the watcher named neither the file nor what it includes; without the
    // watcher's word, the file and its includes have the stamps they had.
    let unchanged = |f: &Found, c: &Cached| match &changed {
        Some(ch) => !ch.contains(&f.path) && c.deps.iter().all(|(p, _)| !ch.contains(p)),
        None => {
            let now = stamp(&f.path);
            now.is_some() && c.stamp == now && c.deps.iter().all(|(p, s)| stamp(p) == *s)
        }
    };
    // `None`: the entry of the last load still holds (moved over below, not copied).
    let fresh: Vec<Option<Cached>> = found
        .par_iter()
        .map(|f| {
            if let Some(c) = old.get(&f.path)
                && unchanged(f, c)
            {
                return None;
            }
            let now = stamp(&f.path);
            let (parsed, deps) = parse_file(settings, f);
            Some(Cached {
                stamp: now,
                parsed,
                deps: deps
                    .into_iter()
                    .map(|p| (stamp(&p), p))
                    .map(|(s, p)| (p, s))
                    .collect(),
            })
        })
        .collect();
    let mut old = std::mem::take(&mut cache.files);
    let mut out = Vec::with_capacity(found.len());
    for (f, c) in found.iter().zip(fresh) {
        let mut c = c.unwrap_or_else(|| old.remove(&f.path).expect("looked up above"));
        if let Ok(Some(n)) = &mut c.parsed {
            n.section = f.section;
        }
        out.push(c.parsed.clone());
        if c.stamp.is_some() {
            cache.files.insert(f.path.clone(), c);
        }
    }
    out
}

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

/// The sections and note files of `notes/`, and the Markdown files deeper in a section's
/// sub-folders (which are not notes: those folders hold a note's images and other files).
fn discover(
    root: &Path,
    notes_dir: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Result<(Vec<Section>, Vec<Found>, Vec<PathBuf>)> {
    let mut sections = vec![Section {
        title: String::new(),
        description: None,
        slug: "notes".into(),
        notes: vec![],
    }];
    let mut found = Vec::new();
    let mut nested = Vec::new();
    let mut entries = sorted_entries(notes_dir)?;
    // Loose notes directly in notes/ form a leading untitled section.
    for (path, is_dir) in &entries {
        if !is_dir && is_note_file(path) {
            found.push(Found {
                section: 0,
                path: path.clone(),
            });
        }
    }
    entries.retain(|(_, d)| *d);
    for (dir, _) in entries {
        let name = file_name(&dir);
        let section = sections.len();
        let (title, description) = read_section_toml(root, &dir, &name, errors);
        sections.push(Section {
            title,
            description,
            slug: slugify(strip_number(&name)),
            notes: vec![],
        });
        for (path, is_dir) in sorted_entries(&dir)? {
            if !is_dir && is_note_file(&path) {
                found.push(Found { section, path });
            } else if is_dir {
                nested.extend(markdown_below(&path));
            }
        }
    }
    Ok((sections, found, nested))
}

/// `.md` files anywhere below `dir`, leaving out names starting with `_` or `.`.
fn markdown_below(dir: &Path) -> Vec<PathBuf> {
    let hidden = |e: &walkdir::DirEntry| {
        let n = e.file_name().to_string_lossy();
        n.starts_with('_') || n.starts_with('.')
    };
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !hidden(e))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && is_note_file(e.path()))
        .map(|e| e.into_path())
        .collect()
}

fn read_section_toml(
    root: &Path,
    dir: &Path,
    name: &str,
    errors: &mut Vec<Diagnostic>,
) -> (String, Option<String>) {
    let fallback = title_from_name(strip_number(name));
    let path = dir.join("_section.toml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return (fallback, None);
    };
    match toml::from_str::<SectionToml>(&text) {
        Ok(s) => (s.title, s.description),
        Err(e) => {
            let (line, col, msg) = toml_error::explain(&e, &text);
            errors.push(Diagnostic::error(
                display_path(root, &path),
                line,
                col,
                format!("{msg} (a _section.toml holds `title` and optionally `description`)"),
            ));
            (fallback, None)
        }
    }
}

fn sorted_entries(dir: &Path) -> Result<Vec<(PathBuf, bool)>> {
    let mut v = Vec::new();
    for e in walkdir::WalkDir::new(dir).min_depth(1).max_depth(1) {
        let e = e?;
        let name = e.file_name().to_string_lossy();
        if name.starts_with('_') || name.starts_with('.') {
            continue;
        }
        let is_dir = e.file_type().is_dir() || (e.file_type().is_symlink() && e.path().is_dir());
        v.push((e.into_path(), is_dir));
    }
    v.sort_by_key(|a| order_key(&file_name(&a.0)));
    Ok(v)
}

/// Number prefix first (missing numbers last), then the name.
fn order_key(name: &str) -> (u64, String) {
    let digits: String = name.chars().take_while(|c| c.is_ascii_digit()).collect();
    (digits.parse().unwrap_or(u64::MAX), name.to_string())
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

fn is_note_file(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "md")
}

fn title_from_name(s: &str) -> String {
    let t = s.replace(['-', '_'], " ");
    let mut c = t.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => t,
    }
}

/// Read, expand includes, parse; also the files the note includes (even when it fails).
fn parse_file(settings: &Settings, f: &Found) -> (Parsed, Vec<PathBuf>) {
    let root = &settings.root;
    let rel = display_path(root, &f.path);
    let text = match read_utf8(&rel, &f.path) {
        Ok(t) => t,
        Err(e) => return (Err(e), Vec::new()),
    };
    let mut includer = include::Includer::new(root);
    let expanded = match includer.expand(&f.path, &text) {
        Ok(x) => x,
        Err(e) => return (Err(e), includer.deps),
    };
    let slug = slug_of_file(&file_name(&f.path));
    let rules = Rules {
        require: &settings.notes.require,
        title: expanded.title,
    };
    let parsed = parse_note_with(&rel, &expanded.text, slug, f.section, rules).map(|mut note| {
        note.includes = includer.deps.clone();
        note.lines = expanded.lines;
        (!note.meta.draft || settings.build.drafts).then_some(note)
    });
    (parsed, includer.deps)
}

fn read_utf8(rel: &str, path: &Path) -> Result<String, Vec<Diagnostic>> {
    let bytes = std::fs::read(path)
        .map_err(|e| vec![Diagnostic::error(rel, 0, 0, format!("cannot read: {e}"))])?;
    String::from_utf8(bytes).map_err(|e| {
        let off = e.utf8_error().valid_up_to();
        let (line, col) = crate::diagnostics::line_col(
            std::str::from_utf8(&e.as_bytes()[..off]).unwrap_or(""),
            off,
        );
        vec![Diagnostic::error(
            rel,
            line,
            col,
            "the file is not valid UTF-8; save it as UTF-8",
        )]
    })
}

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

/// The line of `key = ...` in the front matter (1-based in the file), if it is there.
fn key_line(fm_text: &str, key: &str) -> Option<usize> {
    fm_text
        .lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map(|i| i + 2)
}

/// `[notes] require`: each listed key must be in the front matter (a title may come from a heading).
fn check_required(rel: &str, fm_text: Option<&str>, require: &[String]) -> Vec<Diagnostic> {
    let missing: Vec<&str> = require
        .iter()
        .map(String::as_str)
        .filter(|k| *k != "title" && fm_text.is_none_or(|fm| key_line(fm, k).is_none()))
        .collect();
    if missing.is_empty() {
        return Vec::new();
    }
    let what = if fm_text.is_none() {
        "missing front matter"
    } else {
        "front matter lacks"
    };
    vec![Diagnostic::error(
        rel,
        1,
        1,
        format!(
            "{what} {}; this book requires {} in every note ([notes] require in book.toml), between `+++` lines at the top",
            missing
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", "),
            require.join(", ")
        ),
    )]
}

/// Values that are there must be valid: level, yoe, the title, tags.
fn check_meta(rel: &str, fm_text: &str, meta: &FrontMatter) -> Vec<Diagnostic> {
    let mut errs = Vec::new();
    let line = |key: &str| key_line(fm_text, key).unwrap_or(1);
    if key_line(fm_text, "level").is_some() && !LEVELS.contains(&meta.level.as_str()) {
        errs.push(Diagnostic::error(
            rel,
            line("level"),
            1,
            format!(
                "unknown level `{}`; allowed: beginner, intermediate, advanced",
                meta.level
            ),
        ));
    }
    if key_line(fm_text, "yoe").is_some() && !valid_yoe(&meta.yoe) {
        errs.push(Diagnostic::error(
            rel,
            line("yoe"),
            1,
            format!(
                "malformed yoe `{}`; write a range of years like \"0-2\", \"2-4\", \"4-7\" or an open end like \"7+\"",
                meta.yoe
            ),
        ));
    }
    if meta.title.trim().is_empty() {
        errs.push(Diagnostic::error(
            rel,
            line("title"),
            1,
            "the note has no title: set `title` in its front matter or start it with a `# Title` heading",
        ));
    }
    errs.extend(check_tags(rel, line("tags"), &meta.tags));
    errs
}

fn check_tags(rel: &str, line: usize, tags: &[String]) -> Option<Diagnostic> {
    if let Some(t) = tags.iter().find(|t| slugify(t).is_empty()) {
        return Some(Diagnostic::error(
            rel,
            line,
            1,
            format!("tag `{t}` has no letters or digits"),
        ));
    }
    let mut seen = HashMap::new();
    for t in tags {
        if let Some(first) = seen.insert(slugify(t), t) {
            return Some(Diagnostic::error(
                rel,
                line,
                1,
                format!(
                    "tag `{t}` repeats `{first}` (tags with the same letters and digits are one tag); list each tag once"
                ),
            ));
        }
    }
    None
}

fn check_slug(rel: &str, slug: &str) -> Option<Diagnostic> {
    if slug.is_empty() {
        return Some(Diagnostic::error(
            rel,
            0,
            0,
            "the file name gives an empty slug; name notes like 07-load-balancers.md",
        ));
    }
    if THEME_IDS.contains(&slug) {
        return Some(Diagnostic::error(
            rel,
            0,
            0,
            format!(
                "the slug `{slug}` is an id of the all-notes page's own elements, where each note's id is its slug; rename the file (taken: {})",
                THEME_IDS.join(", ")
            ),
        ));
    }
    RESERVED_SLUGS.contains(&slug).then(|| {
        Diagnostic::error(
            rel,
            0,
            0,
            format!(
                "the slug `{slug}` is reserved for a generated page; rename the file (reserved: {})",
                RESERVED_SLUGS.join(", ")
            ),
        )
    })
}

/// `"0-2"`, `"4-7"`, `"7+"`: a rising range of whole years, or an open end.
pub(crate) fn valid_yoe(y: &str) -> bool {
    if let Some(n) = y.strip_suffix('+') {
        return !n.is_empty() && n.chars().all(|c| c.is_ascii_digit());
    }
    match y.split_once('-') {
        Some((a, b)) => match (a.parse::<u32>(), b.parse::<u32>()) {
            (Ok(a), Ok(b)) => a < b,
            _ => false,
        },
        None => false,
    }
}

fn check_slugs(notes: &[Note], errors: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for n in notes {
        if let Some(other) = seen.insert(&n.slug, &n.rel_path) {
            errors.push(Diagnostic::error(
                &n.rel_path,
                0,
                0,
                format!(
                    "duplicate slug `{}`: {} has the same one; slugs (file names without the number) must be unique",
                    n.slug, other
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Note, Vec<Diagnostic>> {
        parse_note("notes/a/01-x.md", text, "x".into(), 0)
    }

    const OK: &str =
        "+++\ntitle = \"T\"\nlevel = \"beginner\"\nyoe = \"0-2\"\ntags = [\"a\"]\n+++\n\n## Hi\n";

    #[test]
    fn slugs_that_are_page_names_or_theme_ids_are_refused() {
        for (slug, says) in [
            ("index", "reserved for a generated page"),
            ("main", "an id of the all-notes page"),
            ("search-input", "an id of the all-notes page"),
        ] {
            let e = parse_note("notes/a/01-x.md", OK, slug.into(), 0).unwrap_err();
            assert!(e[0].message.contains(says), "{slug}: {}", e[0].message);
        }
        assert!(parse_note("notes/a/01-x.md", OK, "mainframes".into(), 0).is_ok());
    }

    #[test]
    fn parses_front_matter_and_body_line() {
        let n = parse(OK).unwrap();
        assert_eq!(n.meta.title, "T");
        assert_eq!(n.body_line, 7);
        assert!(n.body.contains("## Hi"));
    }

    #[test]
    fn unknown_level_names_line_and_allowed_values() {
        let e = parse(&OK.replace("beginner", "expert")).unwrap_err();
        assert_eq!(e[0].line, 3);
        assert!(
            e[0].message
                .contains("allowed: beginner, intermediate, advanced")
        );
    }

    #[test]
    fn bad_yoe_and_unknown_key_are_errors() {
        let e = parse(&OK.replace("0-2", "lots")).unwrap_err();
        assert_eq!(e[0].line, 4);
        let e = parse(&OK.replace("tags", "tagz")).unwrap_err();
        assert!(
            e[0].message.contains("did you mean `tags`?"),
            "{}",
            e[0].message
        );
        assert_eq!(e[0].line, 5);
    }

    #[test]
    fn a_tag_listed_twice_is_an_error_naming_both_spellings() {
        let e = parse(&OK.replace(
            "tags = [\"a\"]",
            "tags = [\"Load Balancer\", \"b\", \"load-balancer\"]",
        ))
        .unwrap_err();
        assert_eq!(e[0].line, 5);
        assert!(
            e[0].message
                .contains("tag `load-balancer` repeats `Load Balancer`"),
            "{}",
            e[0].message
        );
    }

    #[test]
    fn missing_and_unclosed_front_matter() {
        let require = ["level".to_string(), "tags".to_string()];
        let rules = Rules {
            require: &require,
            title: None,
        };
        let e = parse_note_with("n.md", "## no fm\n", "x".into(), 0, rules).unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(
            e[0].message
                .contains("missing front matter `level`, `tags`"),
            "{}",
            e[0].message
        );
        assert!(
            parse("## no fm\n").unwrap_err()[0]
                .message
                .contains("no title")
        );
        let n = parse("\n# The Title #\n\nText\n").unwrap();
        assert_eq!(n.meta.title, "The Title");
        assert_eq!(&*n.body, "\n\n\nText\n");
        let n = parse("```\n# not it\n```\n# It\n").unwrap();
        assert_eq!(n.meta.title, "It");
        assert!(
            parse("+++\ntitle = \"x\"\n").unwrap_err()[0]
                .message
                .contains("never closed")
        );
    }

    #[test]
    fn slugs_and_yoe() {
        assert_eq!(slug_of_file("07-load-balancers.md"), "load-balancers");
        assert_eq!(
            slugify("L4 vs. L7: Load Balancing!"),
            "l4-vs-l7-load-balancing"
        );
        assert!(valid_yoe("7+") && valid_yoe("2-4") && !valid_yoe("4-2") && !valid_yoe("x"));
    }
}

#[cfg(test)]
mod cache_tests {
    use super::*;
    use crate::settings::{BookToml, Overrides, Settings};

    #[test]
    fn file_cache_reuses_unchanged_notes_and_rereads_edited_ones() {
        let dir = tempfile::tempdir().unwrap();
        let note = dir.path().join("notes/01-s/01-a.md");
        std::fs::create_dir_all(note.parent().unwrap()).unwrap();
        let fm = "+++\ntitle = \"A\"\nlevel = \"beginner\"\nyoe = \"0-2\"\ntags = [\"x\"]\n+++\n";
        std::fs::write(&note, format!("{fm}one\n")).unwrap();
        let settings = Settings::from_parts(
            dir.path().to_path_buf(),
            BookToml::default(),
            &Overrides::default(),
        );
        let mut cache = FileCache::default();
        assert_eq!(
            load_cached(&settings, &mut cache).unwrap().notes[0]
                .body
                .as_ref(),
            "one\n"
        );
        assert_eq!(cache.files.len(), 1);
        // Same length, new content: the modification time tells them apart.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&note, format!("{fm}two\n")).unwrap();
        assert_eq!(
            load_cached(&settings, &mut cache).unwrap().notes[0]
                .body
                .as_ref(),
            "two\n"
        );
        assert_eq!(
            load_cached(&settings, &mut cache).unwrap().notes[0]
                .body
                .as_ref(),
            "two\n"
        );
    }
}
