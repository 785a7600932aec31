//! The build pipeline: load -> render each note once -> compose every view -> files in memory.

use crate::config::Settings;
use crate::diagnostics::{ContentErrors, Diagnostic, Severity};
use crate::markdown::{self, materialize, Lookup, RenderedNote, TocEntry, View};
use crate::notes::{self, slugify, Book, Note};
use crate::output::Files;
use crate::{check, search, templates};
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
    pub timings: Vec<(&'static str, f64)>,
}

/// Rendered notes kept between builds (by `serve`), keyed by path, reused when the source is unchanged.
#[derive(Default)]
pub struct Cache {
    notes: HashMap<String, (u64, Arc<RenderedNote>)>,
}

/// Build the whole site in memory.
pub fn build(settings: &Settings) -> Result<Site> {
    build_with_cache(settings, &mut Cache::default())
}

/// Build, re-rendering only notes whose source (or the set of notes) changed since `cache` was filled.
pub fn build_with_cache(settings: &Settings, cache: &mut Cache) -> Result<Site> {
    let mut timings = Vec::new();
    let t = Instant::now();
    let book = notes::load(settings)?;
    timings.push(("load", ms(t)));

    let t = Instant::now();
    let (rendered, rerendered) = render_all(&book, cache);
    timings.push(("render", ms(t)));

    let mut diags: Vec<Diagnostic> = rendered
        .iter()
        .flat_map(|r| r.diagnostics.iter().cloned())
        .collect();
    let t = Instant::now();
    let mut link_problems = check::source_links(settings, &book, &rendered);
    if !settings.build.strict {
        for d in &mut link_problems {
            d.severity = Severity::Warning;
        }
    }
    diags.extend(link_problems);
    timings.push(("check", ms(t)));
    let (errors, warnings): (Vec<_>, Vec<_>) =
        diags.into_iter().partition(|d| d.severity == Severity::Error);
    if !errors.is_empty() {
        return Err(ContentErrors(errors).into());
    }

    let t = Instant::now();
    let mut stats = Stats {
        notes: book.notes.len(),
        rerendered,
        ..Default::default()
    };
    let files = compose(settings, &book, &rendered, &mut stats)?;
    timings.push(("compose", ms(t)));
    stats.pages = files.keys().filter(|k| k.ends_with(".html")).count();
    stats.bytes = files.values().map(Vec::len).sum();
    stats.timings = timings;
    Ok(Site {
        files,
        book,
        rendered,
        warnings,
        stats,
    })
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn render_all(book: &Book, cache: &mut Cache) -> (Vec<Arc<RenderedNote>>, usize) {
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
    let results: Vec<(Arc<RenderedNote>, bool)> = book
        .notes
        .par_iter()
        .zip(keys.par_iter())
        .map(|(n, &key)| match cache.notes.get(&n.rel_path) {
            Some((k, r)) if *k == key => (r.clone(), false),
            _ => {
                let mut r = markdown::render(n, book, &lookup);
                r.source_hash = key;
                (Arc::new(r), true)
            }
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
    tags: Vec<TagCtx>,
    description: String,
    section: &'a str,
    section_slug: &'a str,
    url: String,
    /// Body HTML for the view being rendered (empty for summaries).
    html: String,
    toc: &'a [TocEntry],
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
}

impl Common<'_> {
    fn context(&self, root: &str, page: PageCtx) -> tera::Context {
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
        ctx.insert("root", root);
        ctx.insert("site_url", &self.settings.site_url);
        ctx.insert("page", &page);
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
        let note = &self.book.notes[n.index];
        let r = &self.rendered[n.index];
        let section = &self.book.sections[note.section];
        NoteCtx {
            number: note.number(),
            slug: &note.slug,
            title: &note.meta.title,
            level: &note.meta.level,
            yoe: &note.meta.yoe,
            tags: note
                .meta
                .tags
                .iter()
                .map(|t| TagCtx {
                    name: t.clone(),
                    slug: slugify(t),
                })
                .collect(),
            description: description(note, r),
            section: &section.title,
            section_slug: &section.slug,
            url: format!("{}.html", note.slug),
            html: view
                .map(|v| materialize(&r.html, &note.slug, v))
                .unwrap_or_default(),
            toc: &r.toc,
        }
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
    let tera = templates::load(&settings.root)?;
    let theme_css = crate::highlight::stylesheet();
    let statics = static_files(settings)?;
    let version = {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for (k, v) in &statics {
            k.hash(&mut h);
            v.hash(&mut h);
        }
        theme_css.hash(&mut h);
        format!("{:x}", h.finish() & 0xffff_ffff)
    };
    let common = Common {
        settings,
        book,
        rendered,
        version,
    };
    let mut files: Files = statics;
    files.insert("highlight.css".into(), theme_css.into_bytes());

    // The all-notes page.
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
    ctx.insert("sections", &common.section_summaries(true));
    ctx.insert("levels", &notes::LEVELS);
    ctx.insert("yoes", &distinct_yoes(book));
    ctx.insert("all_tags", &tag_counts(book));
    let index = templates::render(&tera, "index.html", &ctx)?;
    stats.all_notes_bytes = index.len();
    files.insert("index.html".into(), index.into_bytes());

    // One page per note, rendered in parallel.
    let pages: Vec<Result<(String, String)>> = book
        .notes
        .par_iter()
        .map(|n| {
            let path = format!("{}.html", n.slug);
            let nc = common.note_ctx(n, Some(View::NotePage));
            let mut ctx = common.context(
                "",
                PageCtx {
                    title: format!("{} · {}", n.meta.title, settings.book.title),
                    description: nc.description.clone(),
                    canonical: common.canonical(&path),
                    path: path.clone(),
                    kind: "note",
                },
            );
            ctx.insert("note", &nc);
            let prev = n.index.checked_sub(1).map(|i| common.note_ctx(&book.notes[i], None));
            let next = book.notes.get(n.index + 1).map(|x| common.note_ctx(x, None));
            ctx.insert("prev", &prev);
            ctx.insert("next", &next);
            Ok((path, templates::render(&tera, "note.html", &ctx)?))
        })
        .collect();
    for p in pages {
        let (path, html) = p?;
        files.insert(path, html.into_bytes());
    }

    // Tag pages and the tag index.
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
    for (slug, (name, idx)) in &by_tag {
        let path = format!("tags/{slug}.html");
        let mut ctx = common.context(
            "../",
            PageCtx {
                title: format!("Tag: {name} · {}", settings.book.title),
                description: format!("Notes tagged {name}"),
                canonical: common.canonical(&path),
                path: path.clone(),
                kind: "tag",
            },
        );
        ctx.insert("tag", &TagCtx { name: name.clone(), slug: slug.clone() });
        let list: Vec<NoteCtx> = idx.iter().map(|&i| common.note_ctx(&book.notes[i], None)).collect();
        ctx.insert("notes", &list);
        files.insert(path, templates::render(&tera, "tag.html", &ctx)?.into_bytes());
    }
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
    files.insert("tags/index.html".into(), templates::render(&tera, "tags.html", &ctx)?.into_bytes());

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
    files.insert("404.html".into(), templates::render(&tera, "404.html", &ctx)?.into_bytes());

    let index = search::index_js(book, rendered);
    stats.search_index_bytes = index.len();
    files.insert("search-index.js".into(), index.into_bytes());
    files.insert("nav.js".into(), nav_js(book).into_bytes());
    files.insert("sitemap.xml".into(), sitemap(settings, book, &by_tag).into_bytes());
    files.insert("robots.txt".into(), robots(settings).into_bytes());
    files.insert(".nojekyll".into(), Vec::new());
    if let Some(c) = &settings.build.cname {
        files.insert("CNAME".into(), format!("{}\n", c.trim()).into_bytes());
    }
    copy_note_assets(settings, rendered, &mut files);
    Ok(files)
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
    let mut v: Vec<String> = book.notes.iter().map(|n| n.meta.yoe.clone()).collect();
    v.sort_by_key(|y| y.trim_end_matches('+').split('-').next().and_then(|a| a.parse::<u32>().ok()).unwrap_or(0));
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
                .or_insert_with(|| TagCount { name: t.clone(), slug: slugify(t), count: 0 })
                .count += 1;
        }
    }
    m.into_values().collect()
}

/// The theme's static files, with the book's `static/` laid over them.
fn static_files(settings: &Settings) -> Result<Files> {
    let mut files: Files = templates::BUILTIN_STATIC
        .iter()
        .map(|(n, b)| (n.to_string(), b.to_vec()))
        .collect();
    let dir = settings.root.join("static");
    if dir.is_dir() {
        for e in walkdir::WalkDir::new(&dir).min_depth(1) {
            let e = e?;
            if e.file_type().is_file() {
                let rel = e.path().strip_prefix(&dir)?.to_string_lossy().replace('\\', "/");
                files.insert(rel, std::fs::read(e.path())?);
            }
        }
    }
    Ok(files)
}

/// Images and files that notes link to beside themselves (not under static/) are copied along.
fn copy_note_assets(settings: &Settings, rendered: &[Arc<RenderedNote>], files: &mut Files) {
    for r in rendered {
        for l in &r.links {
            if let markdown::LinkTarget::File(p) = &l.target {
                if !files.contains_key(p) && p.starts_with("notes/") {
                    if let Ok(bytes) = std::fs::read(settings.root.join(p)) {
                        files.insert(p.clone(), bytes);
                    }
                }
            }
        }
    }
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
            n: s
                .notes
                .iter()
                .map(|&i| {
                    let n = &book.notes[i];
                    (n.slug.as_str(), n.number(), n.meta.title.as_str(), n.meta.level.as_str())
                })
                .collect(),
        })
        .collect();
    format!(
        "window.HANDBOOK_NAV={};\n",
        serde_json::to_string(&data).unwrap_or_else(|_| "[]".into())
    )
}

fn sitemap(settings: &Settings, book: &Book, tags: &BTreeMap<String, (String, Vec<usize>)>) -> String {
    let base = settings.site_url.clone().unwrap_or_default();
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let mut push = |p: &str| {
        s.push_str(&format!("  <url><loc>{}{}</loc></url>\n", markdown::escape(&base), p));
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
