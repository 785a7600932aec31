//! Walks `notes/`: sections and notes in number-prefix order, front matter parsed with line numbers, slugs.

use crate::diagnostics::toml_error;
use crate::diagnostics::{ContentErrors, Diagnostic, display_path};
use crate::settings::Settings;
use crate::util::slug::{slug_of_file, slugify, strip_number};
use anyhow::Result;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub const LEVELS: [&str; 3] = ["beginner", "intermediate", "advanced"];

/// Slugs that would collide with pages the generator writes itself.
const RESERVED_SLUGS: [&str; 6] = ["index", "404", "tags", "search-index", "nav", "sitemap"];

/// Front matter as written in a note.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Hash)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    pub level: String,
    pub yoe: String,
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
    /// 1-based line of the file where `body` starts.
    pub body_line: usize,
}

impl Note {
    /// The number a reader sees (1..N).
    pub fn number(&self) -> usize {
        self.index + 1
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
    /// Find a note by its path relative to the book root.
    pub fn by_path(&self) -> HashMap<&str, usize> {
        self.notes
            .iter()
            .map(|n| (n.rel_path.as_str(), n.index))
            .collect()
    }

    pub fn by_slug(&self) -> HashMap<&str, usize> {
        self.notes
            .iter()
            .map(|n| (n.slug.as_str(), n.index))
            .collect()
    }
}

/// A file found under `notes/`, before parsing.
struct Found {
    section: usize,
    path: PathBuf,
}

/// Parsed note files kept between builds by `serve`: a file whose modification time and length
/// are unchanged is not read or parsed again.
#[derive(Default)]
pub struct FileCache {
    files: HashMap<PathBuf, (std::time::SystemTime, u64, Parsed)>,
    /// Whether drafts were included when the entries were parsed.
    drafts: bool,
}

type Parsed = Result<Option<Note>, Vec<Diagnostic>>;

/// Load every section and note, collecting all content errors before failing.
pub fn load(settings: &Settings) -> Result<Book> {
    load_cached(settings, &mut FileCache::default())
}

/// `load`, reusing what `cache` holds for files that have not changed since.
pub fn load_cached(settings: &Settings, cache: &mut FileCache) -> Result<Book> {
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
    let (sections, found, nested) = discover(root, &notes_dir, &mut errors)?;
    let mut notes: Vec<Note> = Vec::with_capacity(found.len());
    if cache.drafts != settings.build.drafts {
        cache.files.clear();
        cache.drafts = settings.build.drafts;
    }
    let parsed: Vec<(Option<(std::time::SystemTime, u64)>, Parsed)> = {
        use rayon::prelude::*;
        let old = &cache.files;
        found
            .par_iter()
            .map(|f| {
                let stamp = std::fs::metadata(&f.path)
                    .ok()
                    .and_then(|m| Some((m.modified().ok()?, m.len())));
                if let (Some((t, len)), Some((ct, clen, p))) = (stamp, old.get(&f.path))
                    && t == *ct
                    && len == *clen
                {
                    let mut p = p.clone();
                    if let Ok(Some(n)) = &mut p {
                        n.section = f.section;
                    }
                    return (stamp, p);
                }
                (stamp, parse_file(root, f, settings.build.drafts))
            })
            .collect()
    };
    cache.files = found
        .iter()
        .zip(&parsed)
        .filter_map(|(f, (stamp, p))| stamp.map(|(t, len)| (f.path.clone(), (t, len, p.clone()))))
        .collect();
    let parsed = parsed.into_iter().map(|(_, p)| p);
    let mut sections = sections;
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
    let warnings = nested
        .iter()
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

fn parse_file(root: &Path, f: &Found, drafts: bool) -> Result<Option<Note>, Vec<Diagnostic>> {
    let rel = display_path(root, &f.path);
    let bytes = std::fs::read(&f.path)
        .map_err(|e| vec![Diagnostic::error(&rel, 0, 0, format!("cannot read: {e}"))])?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let off = e.utf8_error().valid_up_to();
        let (line, col) = crate::diagnostics::line_col(
            std::str::from_utf8(&e.as_bytes()[..off]).unwrap_or(""),
            off,
        );
        vec![Diagnostic::error(
            &rel,
            line,
            col,
            "the file is not valid UTF-8; save it as UTF-8",
        )]
    })?;
    let slug = slug_of_file(&file_name(&f.path));
    let note = parse_note(&rel, &text, slug, f.section)?;
    if note.meta.draft && !drafts {
        return Ok(None);
    }
    Ok(Some(note))
}

/// Split and validate front matter; the body keeps its line offset for later diagnostics.
pub fn parse_note(
    rel: &str,
    text: &str,
    slug: String,
    section: usize,
) -> Result<Note, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let fm_help = "a note starts with front matter: a `+++` line, TOML with title, level, yoe and tags, then a closing `+++` line";
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "+++" {
        return Err(vec![Diagnostic::error(
            rel,
            1,
            1,
            format!("missing front matter; {fm_help}"),
        )]);
    }
    let fm_start = first.len();
    let mut offset = fm_start;
    let mut fm_end = None;
    let mut line_no = 1;
    for l in lines {
        line_no += 1;
        if l.trim_end() == "+++" {
            fm_end = Some((offset, offset + l.len(), line_no));
            break;
        }
        offset += l.len();
    }
    let Some((end, body_start, close_line)) = fm_end else {
        return Err(vec![Diagnostic::error(
            rel,
            1,
            1,
            format!("front matter is never closed; {fm_help}"),
        )]);
    };
    let fm_text = &text[fm_start..end];
    let meta: FrontMatter = toml::from_str(fm_text).map_err(|e| {
        let (line, col, msg) = toml_error::explain(&e, fm_text);
        let msg = if msg.starts_with("missing field") {
            format!("{msg}; required keys: title, level, yoe, tags")
        } else {
            msg
        };
        vec![Diagnostic::error(rel, line + 1, col, msg)]
    })?;
    let mut errs = Vec::new();
    let key_line = |key: &str| -> usize {
        fm_text
            .lines()
            .position(|l| {
                l.trim_start()
                    .strip_prefix(key)
                    .is_some_and(|r| r.trim_start().starts_with('='))
            })
            .map(|i| i + 2)
            .unwrap_or(1)
    };
    if !LEVELS.contains(&meta.level.as_str()) {
        errs.push(Diagnostic::error(
            rel,
            key_line("level"),
            1,
            format!(
                "unknown level `{}`; allowed: beginner, intermediate, advanced",
                meta.level
            ),
        ));
    }
    if !valid_yoe(&meta.yoe) {
        errs.push(Diagnostic::error(
            rel,
            key_line("yoe"),
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
            key_line("title"),
            1,
            "title is empty",
        ));
    }
    if let Some(t) = meta.tags.iter().find(|t| slugify(t).is_empty()) {
        errs.push(Diagnostic::error(
            rel,
            key_line("tags"),
            1,
            format!("tag `{t}` has no letters or digits"),
        ));
    }
    let mut seen = HashMap::new();
    for t in &meta.tags {
        if let Some(first) = seen.insert(slugify(t), t) {
            errs.push(Diagnostic::error(
                rel,
                key_line("tags"),
                1,
                format!(
                    "tag `{t}` repeats `{first}` (tags with the same letters and digits are one tag); list each tag once"
                ),
            ));
            break;
        }
    }
    if slug.is_empty() {
        errs.push(Diagnostic::error(
            rel,
            0,
            0,
            "the file name gives an empty slug; name notes like 07-load-balancers.md",
        ));
    } else if RESERVED_SLUGS.contains(&slug.as_str()) {
        errs.push(Diagnostic::error(
            rel,
            0,
            0,
            format!(
                "the slug `{slug}` is reserved for a generated page; rename the file (reserved: {})",
                RESERVED_SLUGS.join(", ")
            ),
        ));
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    // Kept as written: the renderer's placeholders cannot be forged (see render::marker).
    let body = text[body_start..].to_string();
    Ok(Note {
        index: 0,
        section,
        slug,
        rel_path: rel.to_string(),
        meta,
        body: body.into(),
        body_line: close_line + 1,
    })
}

/// `"0-2"`, `"4-7"`, `"7+"`: a rising range of whole years, or an open end.
pub fn valid_yoe(y: &str) -> bool {
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
        assert!(
            parse("## no fm\n").unwrap_err()[0]
                .message
                .contains("missing front matter")
        );
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
