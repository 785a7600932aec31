//! The build pipeline: load -> render each note once -> compose every view -> files in memory.

use crate::book::{self, Book, Note, slugify};
use crate::check;
use crate::diagnostics::{ContentErrors, Diagnostic, Severity};
use crate::output::{Bytes, Files};
use crate::render::markdown::{
    self, LinkTarget, Lookup, RenderedNote, TocEntry, View, materialize,
};
use crate::settings::Settings;
use crate::term::Progress;

mod redirects;
pub mod search;
pub mod templates;

use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::Instant;

/// A built site, in memory.
pub struct Site {
    pub files: Files,
    pub book: Book,
    pub rendered: Vec<Arc<RenderedNote>>,
    pub warnings: Vec<Diagnostic>,
    pub stats: Stats,
}

#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub notes: usize,
    pub pages: usize,
    pub rerendered: usize,
    pub bytes: usize,
    pub search_index_bytes: usize,
    pub all_notes_bytes: usize,
    /// Stage name, milliseconds, and the process's peak memory (MiB) at its end, where known.
    pub timings: Vec<(&'static str, f64, Option<f64>)>,
}

/// Rendered notes kept between builds (by `serve`), keyed by path, reused when the source is unchanged.
#[derive(Default)]
pub struct Cache {
    files: book::FileCache,
    notes: HashMap<String, (u64, Arc<RenderedNote>)>,
    compose: ComposeCache,
    /// A one-shot build keeps nothing for a next build (less memory at the peak).
    single: bool,
}

impl Cache {
    /// A cache for one build that will not be followed by another (`handbook build`): the
    /// all-notes views and the page skeleton are dropped as soon as the page is composed.
    pub fn single_build() -> Cache {
        Cache {
            single: true,
            compose: ComposeCache {
                single: true,
                ..ComposeCache::default()
            },
            ..Cache::default()
        }
    }
}

/// Composed pages kept between builds, each under a key of everything it shows, so an edit
/// recomposes only the pages that show the edited note (its page, its neighbours, the
/// all-notes page, its tag pages).
#[derive(Default)]
pub struct ComposeCache {
    /// Site path -> (key, bytes).
    pages: HashMap<String, (u64, Bytes)>,
    /// Note path -> its all-notes view and search fragment.
    html: HashMap<String, NoteHtml>,
    /// The all-notes page with a placeholder per note body, and the key it was made under.
    skeleton: Option<(u64, Vec<Piece>)>,
    /// The all-notes page and the search index of the last two builds, whose memory is reused.
    index_page: Recycle,
    search_index: Recycle,
    /// Nothing is kept for a next build: each note's all-notes view and search fragment are
    /// written straight into their files instead of being kept per note (less memory).
    single: bool,
}

/// The output of the last two builds for one big file: the older one's memory is reused for
/// the next build once nothing serves it any more. At 5,000 notes the all-notes page is ~50 MB;
/// faulting in that many fresh pages on every rebuild costs more than copying into warm ones.
#[derive(Default)]
struct Recycle([Option<Bytes>; 2]);

impl Recycle {
    /// An empty buffer, with the capacity of the build before last when it is free.
    fn take(&mut self) -> Vec<u8> {
        let mut v = self.0[0]
            .take()
            .and_then(|b| Arc::try_unwrap(b).ok())
            .unwrap_or_default();
        v.clear();
        v
    }

    fn keep(&mut self, b: &Bytes) {
        self.0 = [self.0[1].take(), Some(b.clone())];
    }
}

/// A note's all-notes view and search-index fragment, kept with the rendering they came from.
#[derive(Clone)]
struct NoteHtml {
    rendered: Arc<RenderedNote>,
    /// The note's position in the book (the search fragment names it).
    position: usize,
    all_notes: Arc<str>,
    search: Arc<str>,
}

/// A part of the all-notes page: literal text, or the body of note `i`.
enum Piece {
    Text(String),
    Note(usize),
}

/// Build the whole site in memory.
pub fn build(settings: &Settings) -> Result<Site> {
    build_with_cache(settings, &mut Cache::default())
}

/// Build, re-rendering only notes whose source (or the set of notes) changed since `cache` was filled.
pub fn build_with_cache(settings: &Settings, cache: &mut Cache) -> Result<Site> {
    build_with_progress(settings, cache, &Progress::hidden())
}

/// `build_with_cache`, counting rendered notes on `progress` (a bar on terminals for big books).
pub fn build_with_progress(
    settings: &Settings,
    cache: &mut Cache,
    progress: &Progress,
) -> Result<Site> {
    build_with_side(settings, cache, progress, |_| ()).map(|(site, ())| site)
}

/// `build_with_progress`, running `side` on the composed files at the same time as the link
/// check (`handbook build` writes the staging folder meanwhile). `side` runs before the check's
/// verdict is known: with `strict`, its work is thrown away when links are broken.
pub fn build_with_side<T: Send>(
    settings: &Settings,
    cache: &mut Cache,
    progress: &Progress,
    side: impl FnOnce(&Files) -> T + Send,
) -> Result<(Site, T)> {
    let mut timings = Vec::new();
    let t = Instant::now();
    let single = cache.single;
    let files_cache = &mut cache.files;
    // The grammars load while the notes are read.
    let (book, ()) = rayon::join(
        || {
            if single {
                book::load(settings)
            } else {
                book::load_cached(settings, files_cache)
            }
        },
        crate::render::highlight::preload,
    );
    let book = book?;
    timings.push(("load", ms(t), peak_mib()));

    let t = Instant::now();
    progress.set_total(book.notes.len());
    // The templates and static files are read (and the templates parsed) by whichever thread
    // has nothing else to do while notes render.
    let ((mut rendered, rerendered), theme) = rayon::join(
        || render_all(&book, cache, progress),
        || Theme::load(settings),
    );
    if cache.single {
        crate::render::highlight::forget_lines();
    }
    timings.push(("render", ms(t), peak_mib()));

    let diags: Vec<Diagnostic> = rendered
        .iter()
        .flat_map(|r| r.diagnostics.iter().cloned())
        .collect();
    let (errors, mut warnings): (Vec<_>, Vec<_>) = book
        .warnings
        .iter()
        .cloned()
        .chain(diags)
        .partition(|d| d.severity == Severity::Error);
    if !errors.is_empty() {
        return Err(ContentErrors(errors).into());
    }

    let t = Instant::now();
    let mut stats = Stats {
        notes: book.notes.len(),
        rerendered,
        ..Default::default()
    };
    let files = compose_cached(
        settings,
        &book,
        &rendered,
        theme?,
        &mut stats,
        &mut cache.compose,
    )?;
    if cache.single {
        cache.compose = ComposeCache {
            single: true,
            ..ComposeCache::default()
        };
        cache.notes.clear();
        // Search text is in search-index.js now; nothing after compose reads it.
        for r in &mut rendered {
            if let Some(r) = Arc::get_mut(r) {
                r.chunks = Vec::new();
            }
        }
    }
    timings.push(("compose", ms(t), peak_mib()));

    // Internal link checks on the pages as built: warnings, or errors with `strict`.
    let t = Instant::now();
    // `serve` checks what notes link to on every save; the crawl of every built page (template
    // links, repeated ids) is left to `build` and `check`, where its cost does not delay a reload.
    let (side_result, problems) = rayon::join(
        || side(&files),
        || {
            if settings.live_reload {
                check::source_only(settings, &book, &rendered, &files)
            } else {
                check::internal(settings, &book, &rendered, &files)
            }
        },
    );
    let link_problems: Vec<Diagnostic> = problems
        .iter()
        .map(|p| Diagnostic {
            severity: if settings.build.strict {
                Severity::Error
            } else {
                Severity::Warning
            },
            ..p.to_diagnostic()
        })
        .collect();
    timings.push(("check", ms(t), peak_mib()));
    if settings.build.strict && !link_problems.is_empty() {
        return Err(ContentErrors(link_problems).into());
    }
    warnings.extend(link_problems);
    stats.pages = files.keys().filter(|k| k.ends_with(".html")).count();
    stats.bytes = files.values().map(|b| b.len()).sum();
    stats.timings = timings;
    Ok((
        Site {
            files,
            book,
            rendered,
            warnings,
            stats,
        },
        side_result,
    ))
}

/// The process's peak resident memory so far (Linux: `VmHWM`), in MiB.
pub fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn render_all(
    book: &Book,
    cache: &mut Cache,
    progress: &Progress,
) -> (Vec<Arc<RenderedNote>>, usize) {
    let lookup = Lookup::new(book);
    // Links resolve against the set of notes: when it changes, every note renders again.
    let set_sig = {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for n in &book.notes {
            n.rel_path.hash(&mut h);
            n.slug.hash(&mut h);
        }
        h.finish()
    };
    let keys: Vec<u64> = book
        .notes
        .iter()
        .map(|n| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            set_sig.hash(&mut h);
            n.body.hash(&mut h);
            n.body_line.hash(&mut h);
            h.finish()
        })
        .collect();
    // Code blocks of the notes about to render are highlighted first, grouped by language.
    crate::render::highlight::warm(
        book.notes
            .par_iter()
            .zip(keys.par_iter())
            .filter(|(n, key)| !matches!(cache.notes.get(&n.rel_path), Some((k, _)) if k == *key))
            .map(|(n, _)| &*n.body),
    );
    let results: Vec<(Arc<RenderedNote>, bool)> = book
        .notes
        .par_iter()
        .zip(keys.par_iter())
        .map(|(n, &key)| {
            let r = match cache.notes.get(&n.rel_path) {
                Some((k, r)) if *k == key => (r.clone(), false),
                _ => {
                    let mut r = markdown::render(n, book, &lookup);
                    r.source_hash = key;
                    (Arc::new(r), true)
                }
            };
            progress.inc(1);
            r
        })
        .collect();
    let rerendered = results.iter().filter(|(_, fresh)| *fresh).count();
    cache.notes = book
        .notes
        .iter()
        .zip(results.iter())
        .map(|(n, (r, _))| (n.rel_path.clone(), (r.source_hash, r.clone())))
        .collect();
    (results.into_iter().map(|(r, _)| r).collect(), rerendered)
}

#[derive(Serialize)]
struct BookCtx<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    repository: Option<&'a str>,
    authors: &'a [String],
    note_count: usize,
}

#[derive(Serialize, Clone)]
struct TagCtx {
    name: String,
    slug: String,
}

#[derive(Serialize)]
struct NoteCtx<'a> {
    number: usize,
    slug: &'a str,
    title: &'a str,
    level: &'a str,
    yoe: &'a str,
    tags: &'a [TagCtx],
    description: &'a str,
    section: &'a str,
    section_slug: &'a str,
    url: String,
    /// Minutes to read the note's prose.
    minutes: usize,
    /// Body HTML for the view being rendered (empty for summaries).
    html: String,
    /// The note's headings: on its own page and on the all-notes page, not in lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    toc: Option<&'a [TocEntry]>,
    /// Where its source is edited (`[book] edit-url`), where the note is shown in full.
    #[serde(skip_serializing_if = "Option::is_none")]
    edit_url: Option<String>,
}

#[derive(Serialize)]
struct SectionCtx<'a> {
    number: usize,
    title: &'a str,
    slug: &'a str,
    description: Option<&'a str>,
    first_note: &'a str,
    count: usize,
    notes: Vec<NoteCtx<'a>>,
}

#[derive(Serialize)]
struct PageCtx {
    title: String,
    description: String,
    /// Output path of this page, relative to the site root.
    path: String,
    canonical: Option<String>,
    kind: &'static str,
}

/// Shared by every page's template context.
struct Common<'a> {
    settings: &'a Settings,
    book: &'a Book,
    rendered: &'a [Arc<RenderedNote>],
    version: String,
    /// Per note, made once: its description and its tags with their slugs.
    descriptions: Vec<String>,
    tags: Vec<Vec<TagCtx>>,
    /// Per note, the other notes whose bodies link to it, in book order.
    backlinks: Vec<Vec<usize>>,
    /// What every page's context holds, made once and copied per page.
    shared: tera::Context,
}

impl Common<'_> {
    fn context(&self, root: &str, page: PageCtx) -> tera::Context {
        let mut ctx = self.shared.clone();
        ctx.insert("root", root);
        ctx.insert("page", &page);
        ctx
    }

    fn shared_context(&self) -> tera::Context {
        let b = &self.settings.book;
        let mut ctx = tera::Context::new();
        ctx.insert(
            "book",
            &BookCtx {
                title: &b.title,
                description: &b.description,
                language: &b.language,
                repository: b.repository.as_deref(),
                authors: &b.authors,
                note_count: self.book.notes.len(),
            },
        );
        ctx.insert("site_url", &self.settings.site_url);
        ctx.insert("version", &self.version);
        ctx.insert("live_reload", &self.settings.live_reload);
        ctx.insert("sections", &self.section_summaries(false));
        ctx
    }

    fn canonical(&self, path: &str) -> Option<String> {
        let base = self.settings.site_url.as_ref()?;
        let p = if path == "index.html" { "" } else { path };
        Some(format!("{base}{p}"))
    }

    fn note_ctx(&self, n: &'_ Note, view: Option<View>) -> NoteCtx<'_> {
        self.note_ctx_toc(n, view, view.is_some())
    }

    /// The note for a template; `toc` adds its headings (lists of notes leave them out).
    fn note_ctx_toc(&self, n: &'_ Note, view: Option<View>, toc: bool) -> NoteCtx<'_> {
        let note = &self.book.notes[n.index];
        let r = &self.rendered[n.index];
        let section = &self.book.sections[note.section];
        NoteCtx {
            number: note.number(),
            slug: &note.slug,
            title: &note.meta.title,
            level: &note.meta.level,
            yoe: &note.meta.yoe,
            tags: &self.tags[n.index],
            description: &self.descriptions[n.index],
            section: &section.title,
            section_slug: &section.slug,
            url: format!("{}.html", note.slug),
            minutes: r.reading_minutes(),
            html: view
                .map(|v| materialize(&r.html, &note.slug, v))
                .unwrap_or_default(),
            toc: toc.then_some(r.toc.as_slice()),
            edit_url: self
                .settings
                .book
                .edit_url
                .as_deref()
                .filter(|_| toc)
                .map(|t| t.replace("{path}", &url_encode_path(&note.rel_path))),
        }
    }

    /// A hash of everything `note_ctx(n, None)` shows (the note as listed, without its body).
    fn summary_key(&self, n: &Note) -> u64 {
        let r = &self.rendered[n.index];
        let section = &self.book.sections[n.section];
        hash_of(&(
            n.number(),
            &n.slug,
            &n.rel_path,
            &n.meta,
            &self.descriptions[n.index],
            &section.title,
            &section.slug,
            &r.toc,
            r.reading_minutes(),
        ))
    }

    fn section_summaries(&self, with_notes: bool) -> Vec<SectionCtx<'_>> {
        self.book
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| SectionCtx {
                number: i + 1,
                title: &s.title,
                slug: &s.slug,
                description: s.description.as_deref(),
                first_note: &self.book.notes[s.notes[0]].slug,
                count: s.notes.len(),
                notes: if with_notes {
                    s.notes
                        .iter()
                        .map(|&ni| self.note_ctx(&self.book.notes[ni], Some(View::AllNotes)))
                        .collect()
                } else {
                    Vec::new()
                },
            })
            .collect()
    }
}

/// A note's description: its own, or the start of its first paragraph.
fn description(note: &Note, r: &RenderedNote) -> String {
    if let Some(d) = &note.meta.description {
        return d.clone();
    }
    let text = r.chunks.first().map(|(_, t)| t.as_str()).unwrap_or("");
    truncate_words(text, 160)
}

pub fn truncate_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map(|(a, _)| a).unwrap_or(&cut);
    format!("{cut}…")
}

/// Every output file of the site.
pub fn compose(
    settings: &Settings,
    book: &Book,
    rendered: &[Arc<RenderedNote>],
    stats: &mut Stats,
) -> Result<Files> {
    compose_cached(
        settings,
        book,
        rendered,
        Theme::load(settings)?,
        stats,
        &mut ComposeCache::default(),
    )
}

/// What pages are composed with besides the notes: templates, static files, code colours.
pub struct Theme {
    tera: tera::Tera,
    statics: Files,
    highlight_css: String,
}

impl Theme {
    pub fn load(settings: &Settings) -> Result<Theme> {
        Ok(Theme {
            tera: templates::load(&settings.root)?,
            statics: static_files(settings)?,
            highlight_css: crate::render::highlight::stylesheet(),
        })
    }
}

fn hash_of(v: &impl Hash) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

/// The book's own templates, as one hash (the built-in ones are fixed per binary).
fn templates_signature(settings: &Settings) -> Result<u64> {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let dir = settings.root.join("templates");
    if dir.is_dir() {
        for e in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let e = e?;
            if e.file_type().is_file() {
                e.path().hash(&mut h);
                std::fs::read(e.path())?.hash(&mut h);
            }
        }
    }
    Ok(h.finish())
}

const MARK_OPEN: &str = "\u{E000}hb-note-";
const MARK_CLOSE: char = '\u{E001}';

/// The placeholder standing for note `i`'s body while the all-notes page is composed.
fn placeholder(i: usize) -> String {
    format!("{MARK_OPEN}{i}{MARK_CLOSE}")
}

/// Split a composed all-notes page at its placeholders; `None` unless every note's body
/// appears exactly once (a template that transforms the body cannot be spliced).
fn split_skeleton(page: &str, notes: usize) -> Option<Vec<Piece>> {
    let mut pieces = Vec::new();
    let mut seen = vec![false; notes];
    let mut rest = page;
    while let Some(start) = rest.find(MARK_OPEN) {
        let after = &rest[start + MARK_OPEN.len()..];
        let end = after.find(MARK_CLOSE)?;
        let i: usize = after[..end].parse().ok()?;
        if i >= notes || std::mem::replace(&mut seen[i], true) {
            return None;
        }
        pieces.push(Piece::Text(rest[..start].to_string()));
        pieces.push(Piece::Note(i));
        rest = &after[end + MARK_CLOSE.len_utf8()..];
    }
    pieces.push(Piece::Text(rest.to_string()));
    seen.iter().all(|&s| s).then_some(pieces)
}

/// The all-notes page, with `body(i)` as note `i`'s body.
fn all_notes_page(
    common: &Common,
    tera: &tera::Tera,
    body: impl Fn(usize) -> String,
) -> Result<String> {
    let settings = common.settings;
    let book = common.book;
    let mut ctx = common.context(
        "",
        PageCtx {
            title: settings.book.title.clone(),
            description: settings.book.description.clone(),
            path: "index.html".into(),
            canonical: common.canonical("index.html"),
            kind: "all",
        },
    );
    let mut sections = common.section_summaries(false);
    for (s, sc) in book.sections.iter().zip(sections.iter_mut()) {
        sc.notes = s
            .notes
            .iter()
            .map(|&ni| {
                let mut nc = common.note_ctx_toc(&book.notes[ni], None, true);
                nc.html = body(ni);
                nc
            })
            .collect();
    }
    ctx.insert("sections", &sections);
    // Facets the book has no data for are hidden by the theme.
    let any_level = book.notes.iter().any(|n| !n.meta.level.is_empty());
    ctx.insert("levels", if any_level { &book::LEVELS[..] } else { &[] });
    ctx.insert("yoes", &distinct_yoes(book));
    ctx.insert("all_tags", &tag_counts(book));
    templates::render(tera, "index.html", &ctx)
}

/// Every output file of the site, reusing pages of `cache` whose inputs did not change.
pub fn compose_cached(
    settings: &Settings,
    book: &Book,
    rendered: &[Arc<RenderedNote>],
    theme: Theme,
    stats: &mut Stats,
    cache: &mut ComposeCache,
) -> Result<Files> {
    let Theme {
        tera,
        statics,
        highlight_css: theme_css,
    } = theme;
    let version = {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for (k, v) in &statics {
            k.hash(&mut h);
            v.hash(&mut h);
        }
        theme_css.hash(&mut h);
        format!("{:x}", h.finish() & 0xffff_ffff)
    };
    let mut common = Common {
        settings,
        book,
        rendered,
        version,
        descriptions: book
            .notes
            .par_iter()
            .map(|n| description(n, &rendered[n.index]))
            .collect(),
        tags: book
            .notes
            .iter()
            .map(|n| {
                n.meta
                    .tags
                    .iter()
                    .map(|t| TagCtx {
                        name: t.clone(),
                        slug: slugify(t),
                    })
                    .collect()
            })
            .collect(),
        backlinks: backlinks(book, rendered),
        shared: tera::Context::new(),
    };
    common.shared = common.shared_context();
    let mut files: Files = statics;
    files.insert("highlight.css".into(), theme_css.into_bytes().into());

    // What every page shows (book, settings, templates, sections), then what each note's
    // summary and body are: the keys pages are reused under.
    let global = hash_of(&(
        format!("{settings:?}"),
        &common.version,
        templates_signature(settings)?,
        serde_json::to_string(&common.section_summaries(false))?,
        book.notes.len(),
    ));
    let summaries: Vec<u64> = book
        .notes
        .par_iter()
        .map(|n| common.summary_key(n))
        .collect();
    // Each note's all-notes view and search fragment, reused while its rendering is the same.
    // A rendering's `source_hash` covers everything its HTML comes from.
    let html: Vec<NoteHtml> = book
        .notes
        .par_iter()
        .map(|n| {
            let r = &rendered[n.index];
            match cache.html.get(&n.rel_path) {
                Some(m) if Arc::ptr_eq(&m.rendered, r) && m.position == n.index => m.clone(),
                _ if cache.single => NoteHtml {
                    rendered: r.clone(),
                    position: n.index,
                    all_notes: Arc::from(""),
                    search: Arc::from(""),
                },
                _ => NoteHtml {
                    rendered: r.clone(),
                    position: n.index,
                    all_notes: materialize(&r.html, &n.slug, View::AllNotes).into(),
                    search: search::docs_fragment(n.index, r).into(),
                },
            }
        })
        .collect();
    let summary = |i: Option<usize>| i.and_then(|i| summaries.get(i)).copied().unwrap_or(0);

    // Tag pages are grouped here, composed below.
    let mut by_tag: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
    for n in &book.notes {
        for t in &n.meta.tags {
            by_tag
                .entry(slugify(t))
                .or_insert_with(|| (t.clone(), Vec::new()))
                .1
                .push(n.index);
        }
    }

    // Which pages can be reused and which must be composed, by the key of what they show.
    let mut old_pages = std::mem::take(&mut cache.pages);
    let mut pages_now: HashMap<String, (u64, Bytes)> = HashMap::new();
    let mut reuse =
        |path: &str, key: u64, pages_now: &mut HashMap<String, (u64, Bytes)>| match old_pages
            .remove(path)
        {
            Some((k, bytes)) if k == key => {
                pages_now.insert(path.to_string(), (key, bytes));
                true
            }
            _ => false,
        };
    let mut note_todo = Vec::new();
    for n in &book.notes {
        let path = format!("{}.html", n.slug);
        let key = hash_of(&(
            global,
            summary(n.index.checked_sub(1)),
            summary(Some(n.index)),
            summary(Some(n.index + 1)),
            rendered[n.index].source_hash,
            common.backlinks[n.index]
                .iter()
                .map(|&i| summaries[i])
                .collect::<Vec<_>>(),
        ));
        if !reuse(&path, key, &mut pages_now) {
            note_todo.push((n, path, key));
        }
    }
    let mut tag_todo = Vec::new();
    for (slug, (name, idx)) in &by_tag {
        let path = format!("tags/{slug}.html");
        let key = hash_of(&(
            global,
            name,
            idx.iter().map(|&i| summaries[i]).collect::<Vec<_>>(),
        ));
        if !reuse(&path, key, &mut pages_now) {
            tag_todo.push((slug, name, idx, path, key));
        }
    }
    let skeleton_key = hash_of(&(global, &summaries));
    let single = cache.single;
    let spare = cache.index_page.take();
    let search_spare = String::from_utf8(cache.search_index.take()).unwrap_or_default();
    let old_skeleton = match cache.skeleton.take() {
        Some((k, pieces)) if k == skeleton_key => Some(pieces),
        _ => None,
    };

    // The big, independent parts in parallel: the all-notes page, the note pages, the tag pages
    // and the search index.
    let all_notes = || -> Result<(Option<Vec<Piece>>, Vec<u8>)> {
        // Composed once with a placeholder per note body, then spliced, so a body edit only
        // re-splices.
        let pieces = match old_skeleton {
            Some(p) => Some(p),
            None => split_skeleton(
                &all_notes_page(&common, &tera, placeholder)?,
                book.notes.len(),
            ),
        };
        let index = match &pieces {
            Some(pieces) if single => splice_fresh(pieces, book, rendered).into_bytes(),
            Some(pieces) => splice(pieces, &html, spare),
            None => all_notes_page(&common, &tera, |i| {
                materialize(&rendered[i].html, &book.notes[i].slug, View::AllNotes)
            })?
            .into_bytes(),
        };
        Ok((pieces, index))
    };
    let note_pages = || -> Result<Vec<(String, u64, Bytes)>> {
        note_todo
            .into_par_iter()
            .map(|(n, path, key)| {
                let bytes = note_page(&common, &tera, n, &path)?.into_bytes().into();
                Ok((path, key, bytes))
            })
            .collect()
    };
    let tag_pages = || -> Result<Vec<(String, u64, Bytes)>> {
        tag_todo
            .into_par_iter()
            .map(|(slug, name, idx, path, key)| {
                let bytes = tag_page(&common, &tera, slug, name, idx, &path)?
                    .into_bytes()
                    .into();
                Ok((path, key, bytes))
            })
            .collect()
    };
    let search_index = || {
        if single {
            // Fragments made in parallel a batch at a time and appended: never all at once.
            let mut w = search::IndexWriter::new(book, search_spare, 0);
            for batch in book.notes.chunks(256) {
                let docs: Vec<String> = batch
                    .par_iter()
                    .map(|n| search::docs_fragment(n.index, &rendered[n.index]))
                    .collect();
                docs.iter().for_each(|d| w.push(d));
            }
            let mut js = w.finish();
            js.shrink_to_fit();
            js
        } else {
            let docs: Vec<&Arc<str>> = html.iter().map(|h| &h.search).collect();
            search::index_js(book, &docs, search_spare)
        }
    };
    let (all, (notes_done, (tags_done, search_js))) = rayon::join(all_notes, || {
        rayon::join(note_pages, || rayon::join(tag_pages, search_index))
    });
    let (pieces, index) = all?;
    cache.skeleton = pieces.map(|p| (skeleton_key, p));
    stats.all_notes_bytes = index.len();
    let index: Bytes = index.into();
    cache.index_page.keep(&index);
    files.insert("index.html".into(), index);
    for (path, key, bytes) in notes_done?.into_iter().chain(tags_done?) {
        pages_now.insert(path, (key, bytes));
    }
    for (path, (_, bytes)) in &pages_now {
        files.insert(path.clone(), bytes.clone());
    }
    stats.search_index_bytes = search_js.len();
    let search_js: Bytes = search_js.into_bytes().into();
    cache.search_index.keep(&search_js);
    files.insert("search-index.js".into(), search_js);
    cache.html = book
        .notes
        .iter()
        .zip(html)
        .map(|(n, m)| (n.rel_path.clone(), m))
        .collect();

    let mut ctx = common.context(
        "../",
        PageCtx {
            title: format!("Tags · {}", settings.book.title),
            description: "Every tag of the book".into(),
            canonical: common.canonical("tags/index.html"),
            path: "tags/index.html".into(),
            kind: "tags",
        },
    );
    ctx.insert("all_tags", &tag_counts(book));
    files.insert(
        "tags/index.html".into(),
        templates::render(&tera, "tags.html", &ctx)?
            .into_bytes()
            .into(),
    );

    // 404: GitHub Pages serves it at any depth, so it anchors its links with <base> when the URL is known.
    let mut ctx = common.context(
        "",
        PageCtx {
            title: format!("Page not found · {}", settings.book.title),
            description: String::new(),
            canonical: None,
            path: "404.html".into(),
            kind: "404",
        },
    );
    ctx.insert("base_path", &settings.site_url.as_deref().map(url_path));
    files.insert(
        "404.html".into(),
        templates::render(&tera, "404.html", &ctx)?
            .into_bytes()
            .into(),
    );

    files.insert("nav.js".into(), nav_js(book).into_bytes().into());
    // A sitemap lists absolute URLs; without the site's address there is nothing valid to write.
    if let Some(base) = &settings.site_url {
        files.insert(
            "sitemap.xml".into(),
            sitemap(base, book, &by_tag).into_bytes().into(),
        );
    }
    files.insert("robots.txt".into(), robots(settings).into_bytes().into());
    files.insert(".nojekyll".into(), Default::default());
    if let Some(c) = &settings.build.cname {
        files.insert(
            "CNAME".into(),
            format!("{}\n", c.trim()).into_bytes().into(),
        );
    }
    copy_note_assets(settings, rendered, &mut files);
    redirects::add(&settings.redirects, &mut files)?;
    cache.pages = pages_now;
    Ok(files)
}

/// The all-notes page from its skeleton and each note's all-notes view, copied in parallel
/// (at 5,000 notes the page is ~50 MB: one thread copying it, and faulting its fresh pages in,
/// is a sizeable part of a rebuild).
fn splice(pieces: &[Piece], html: &[NoteHtml], mut warm: Vec<u8>) -> Vec<u8> {
    fn part<'a>(p: &'a Piece, html: &'a [NoteHtml]) -> &'a [u8] {
        match p {
            Piece::Text(t) => t.as_bytes(),
            Piece::Note(i) => html[*i].all_notes.as_bytes(),
        }
    }
    let len: usize = pieces.iter().map(|p| part(p, html).len()).sum();
    if warm.capacity() > 0 {
        warm.reserve(len);
        for p in pieces {
            warm.extend_from_slice(part(p, html));
        }
        return warm;
    }
    let mut out = vec![0u8; len];
    // Groups of consecutive pieces of about equal size, each copied into its own slice of `out`.
    let groups = rayon::current_num_threads() * 4;
    let target = len / groups + 1;
    let mut jobs: Vec<(&[Piece], &mut [u8])> = Vec::new();
    let (mut rest_pieces, mut rest_out) = (pieces, out.as_mut_slice());
    while !rest_pieces.is_empty() {
        let (mut n, mut bytes) = (0, 0);
        while n < rest_pieces.len() && (bytes < target || n == 0) {
            bytes += part(&rest_pieces[n], html).len();
            n += 1;
        }
        let (ps, more) = rest_pieces.split_at(n);
        let (dst, tail) = rest_out.split_at_mut(bytes);
        jobs.push((ps, dst));
        rest_pieces = more;
        rest_out = tail;
    }
    jobs.into_par_iter().for_each(|(ps, dst)| {
        let mut at = 0;
        for p in ps {
            let b = part(p, html);
            dst[at..at + b.len()].copy_from_slice(b);
            at += b.len();
        }
    });
    out
}

/// The all-notes page from its skeleton, each note's view made as it is copied in (a one-shot
/// build: no per-note copy is kept).
fn splice_fresh(pieces: &[Piece], book: &Book, rendered: &[Arc<RenderedNote>]) -> String {
    let bodies: usize = rendered.iter().map(|r| r.html.len()).sum();
    let text: usize = pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) => t.len(),
            Piece::Note(_) => 0,
        })
        .sum();
    let mut out = String::with_capacity(text + bodies + bodies / 8);
    for p in pieces {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Note(i) => markdown::materialize_into(
                &mut out,
                &rendered[*i].html,
                &book.notes[*i].slug,
                View::AllNotes,
            ),
        }
    }
    out
}

/// One note's own page.
fn note_page(common: &Common, tera: &tera::Tera, n: &Note, path: &str) -> Result<String> {
    let settings = common.settings;
    let book = common.book;
    let nc = common.note_ctx(n, Some(View::NotePage));
    let mut ctx = common.context(
        "",
        PageCtx {
            title: format!("{} · {}", n.meta.title, settings.book.title),
            description: nc.description.to_string(),
            canonical: common.canonical(path),
            path: path.to_string(),
            kind: "note",
        },
    );
    ctx.insert("note", &nc);
    let prev = n
        .index
        .checked_sub(1)
        .map(|i| common.note_ctx(&book.notes[i], None));
    let next = book
        .notes
        .get(n.index + 1)
        .map(|x| common.note_ctx(x, None));
    ctx.insert("prev", &prev);
    ctx.insert("next", &next);
    let linked_from: Vec<NoteCtx> = common.backlinks[n.index]
        .iter()
        .map(|&i| common.note_ctx(&book.notes[i], None))
        .collect();
    ctx.insert("linked_from", &linked_from);
    templates::render(tera, "note.html", &ctx)
}

/// A file path made safe for a URL: bytes other than letters, digits, `-._~/` percent-encoded.
fn url_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// For each note, the other notes that link to it (once each, in book order), from the links
/// the renderer recorded: what a reader of a note may want to read next, or came from.
fn backlinks(book: &Book, rendered: &[Arc<RenderedNote>]) -> Vec<Vec<usize>> {
    let by_slug = book.by_slug();
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); book.notes.len()];
    for n in &book.notes {
        for l in &rendered[n.index].links {
            if let LinkTarget::Note { slug, .. } = &l.target
                && let Some(&to) = by_slug.get(slug.as_str())
                && to != n.index
                && out[to].last() != Some(&n.index)
            {
                out[to].push(n.index);
            }
        }
    }
    out
}

/// One tag's page: the notes that carry it.
fn tag_page(
    common: &Common,
    tera: &tera::Tera,
    slug: &str,
    name: &str,
    idx: &[usize],
    path: &str,
) -> Result<String> {
    let mut ctx = common.context(
        "../",
        PageCtx {
            title: format!("Tag: {name} · {}", common.settings.book.title),
            description: format!("Notes tagged {name}"),
            canonical: common.canonical(path),
            path: path.to_string(),
            kind: "tag",
        },
    );
    ctx.insert(
        "tag",
        &TagCtx {
            name: name.to_string(),
            slug: slug.to_string(),
        },
    );
    let list: Vec<NoteCtx> = idx
        .iter()
        .map(|&i| common.note_ctx(&common.book.notes[i], None))
        .collect();
    ctx.insert("notes", &list);
    templates::render(tera, "tag.html", &ctx)
}

/// The path part of a URL (`https://x.io/handbook/` -> `/handbook/`).
pub fn url_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".into(),
    }
}

fn distinct_yoes(book: &Book) -> Vec<String> {
    let mut v: Vec<String> = book
        .notes
        .iter()
        .filter(|n| !n.meta.yoe.is_empty())
        .map(|n| n.meta.yoe.clone())
        .collect();
    v.sort_by_key(|y| {
        y.trim_end_matches('+')
            .split('-')
            .next()
            .and_then(|a| a.parse::<u32>().ok())
            .unwrap_or(0)
    });
    v.dedup();
    v
}

#[derive(Serialize)]
struct TagCount {
    name: String,
    slug: String,
    count: usize,
}

fn tag_counts(book: &Book) -> Vec<TagCount> {
    let mut m: BTreeMap<String, TagCount> = BTreeMap::new();
    for n in &book.notes {
        for t in &n.meta.tags {
            m.entry(slugify(t))
                .or_insert_with(|| TagCount {
                    name: t.clone(),
                    slug: slugify(t),
                    count: 0,
                })
                .count += 1;
        }
    }
    m.into_values().collect()
}

/// The theme's static files, with the book's `static/` laid over them.
fn static_files(settings: &Settings) -> Result<Files> {
    let mut files: Files = templates::BUILTIN_STATIC
        .iter()
        .map(|(n, b)| (n.to_string(), b.to_vec().into()))
        .collect();
    let dir = settings.root.join("static");
    if dir.is_dir() {
        for e in walkdir::WalkDir::new(&dir).min_depth(1) {
            let e = e?;
            if e.file_type().is_file() {
                let rel = e
                    .path()
                    .strip_prefix(&dir)?
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(rel, std::fs::read(e.path())?.into());
            }
        }
    }
    Ok(files)
}

/// Images and files that notes link to beside themselves (not under static/) are copied along.
fn copy_note_assets(settings: &Settings, rendered: &[Arc<RenderedNote>], files: &mut Files) {
    for r in rendered {
        for l in &r.links {
            if let markdown::LinkTarget::File(p) = &l.target
                && !files.contains_key(p)
                && p.starts_with("notes/")
                && inside_book(settings, p)
                && let Ok(bytes) = std::fs::read(settings.root.join(p))
            {
                files.insert(p.clone(), bytes.into());
            }
        }
    }
}

/// Whether `rel` really lies in the book: a symlink to a file elsewhere is not published.
fn inside_book(settings: &Settings, rel: &str) -> bool {
    settings
        .root
        .join(rel)
        .canonicalize()
        .is_ok_and(|p| p.starts_with(&settings.root))
}

/// The full navigation, loaded once as a script by per-note pages so page size stays independent of book size.
fn nav_js(book: &Book) -> String {
    #[derive(Serialize)]
    struct S<'a> {
        t: &'a str,
        n: Vec<(&'a str, usize, &'a str, &'a str)>,
    }
    let data: Vec<S> = book
        .sections
        .iter()
        .map(|s| S {
            t: &s.title,
            n: s.notes
                .iter()
                .map(|&i| {
                    let n = &book.notes[i];
                    (
                        n.slug.as_str(),
                        n.number(),
                        n.meta.title.as_str(),
                        n.meta.level.as_str(),
                    )
                })
                .collect(),
        })
        .collect();
    format!(
        "window.HANDBOOK_NAV={};\n",
        serde_json::to_string(&data).unwrap_or_else(|_| "[]".into())
    )
}

fn sitemap(base: &str, book: &Book, tags: &BTreeMap<String, (String, Vec<usize>)>) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut push = |p: &str| {
        s.push_str(&format!(
            "  <url><loc>{}{}</loc></url>\n",
            markdown::escape(base),
            p
        ));
    };
    push("");
    for n in &book.notes {
        push(&format!("{}.html", n.slug));
    }
    push("tags/index.html");
    for slug in tags.keys() {
        push(&format!("tags/{slug}.html"));
    }
    s.push_str("</urlset>\n");
    s
}

fn robots(settings: &Settings) -> String {
    let mut s = String::from("User-agent: *\nAllow: /\n");
    if let Some(u) = &settings.site_url {
        s.push_str(&format!("Sitemap: {u}sitemap.xml\n"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn note_paths_are_percent_encoded_for_edit_links() {
        assert_eq!(
            url_encode_path("notes/01-a/02-b_c.d~e.md"),
            "notes/01-a/02-b_c.d~e.md"
        );
        assert_eq!(
            url_encode_path("notes/01 a/ü#?.md"),
            "notes/01%20a/%C3%BC%23%3F.md"
        );
    }
}
