//! Composing: the rendered notes laid into every page of the site, reusing pages whose inputs did not change.

use super::Stats;
use super::all_notes::{
    all_notes_page, placeholder, splice, splice_fresh, splice_into, split_skeleton,
};
use super::cache::{ComposeCache, NoteHtml, Piece, SummaryMemo};
use super::context::{Common, PageCtx, tag_counts};
use super::files::{copy_note_assets, nav_js, robots, sitemap, static_files};
use super::pages::{note_page, tag_page};
use super::sink::{Keep, Sink};
use super::{search_index, templates};
use crate::book::{Book, Note};
use crate::output::{Bytes, Files};
use crate::render::markdown::{RenderedNote, View, materialize};
use crate::settings::Settings;
use anyhow::Result;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// What pages are composed with besides the notes: templates, static files, code colours.
/// `serve` keeps it between builds while no file outside `notes/` changed.
pub(crate) struct Theme {
    tera: tera::Tera,
    statics: Files,
    highlight_css: Bytes,
    /// A short hash of the theme's files, appended to their URLs so browsers fetch new ones.
    version: String,
    /// A hash of the templates' paths and text: part of every page's key.
    templates: u64,
}

impl Theme {
    pub(crate) fn load(settings: &Settings) -> Result<Theme> {
        let statics = static_files(settings)?;
        let highlight_css = crate::render::highlight::stylesheet();
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for (k, v) in &statics {
            k.hash(&mut h);
            v.hash(&mut h);
        }
        highlight_css.hash(&mut h);
        Ok(Theme {
            tera: templates::load(&settings.root)?,
            statics,
            highlight_css: Arc::new(highlight_css.into_bytes()),
            version: format!("{:x}", h.finish() & 0xffff_ffff),
            templates: templates_signature(settings)?,
        })
    }
}

/// Tag slug -> (the tag as first written, the notes that carry it in book order).
type ByTag = BTreeMap<String, (String, Vec<usize>)>;

/// Every output file of the site, with nothing kept for a next build.
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
        &Theme::load(settings)?,
        stats,
        &mut ComposeCache::default(),
        &Keep,
    )
}

/// Every output file of the site, reusing pages of `cache` whose inputs did not change.
pub(crate) fn compose_cached(
    settings: &Settings,
    book: &Book,
    rendered: &[Arc<RenderedNote>],
    theme: &Theme,
    stats: &mut Stats,
    cache: &mut ComposeCache,
    sink: &dyn Sink,
) -> Result<Files> {
    let tera = &theme.tera;
    let common = Common::new(
        settings,
        book,
        rendered,
        theme.version.clone(),
        &cache.summaries,
    );
    let mut files: Files = theme.statics.clone();
    files.insert("highlight.css".into(), theme.highlight_css.clone());
    let mut plan = Plan::new(&common, theme.templates, cache)?;
    let made = make_pages(&common, tera, &mut plan, cache, sink)?;
    let Plan {
        html,
        by_tag,
        mut pages_now,
        note_todo,
        tag_todo,
        skeleton_key,
        ..
    } = plan;
    // Pages the sink may have taken (and so are not in `files`): no redirect may replace them.
    let composed: rustc_hash::FxHashSet<&str> = note_todo
        .iter()
        .map(|(_, p, _)| p.as_str())
        .chain(tag_todo.iter().map(|(_, p, _)| p.as_str()))
        .chain(["index.html"])
        .collect();
    // A composed page wins over a book's static file at its path; with the big pages already
    // handed to the sink, the static file must not be left to be written over them.
    files.retain(|p, _| !composed.contains(p.as_str()) && !search_index::owns(p));
    cache.skeleton = made.skeleton.map(|p| (skeleton_key, p));
    stats.all_notes_bytes = made.all_notes_bytes;
    stats.search_index_bytes = made.search_index_bytes;
    if let Some(index) = made.all_notes {
        cache.index_page.keep(&index);
        files.insert("index.html".into(), index);
    }
    for (path, js) in made.search_index {
        files.insert(path, js);
    }
    for (path, key, bytes) in made.pages {
        pages_now.insert(path, (key, bytes));
    }
    for (path, (_, bytes)) in &pages_now {
        files.insert(path.clone(), bytes.clone());
    }
    cache.html = book
        .notes
        .iter()
        .zip(html)
        .map(|(n, m)| (n.rel_path.clone(), m))
        .collect();
    cache.pages = pages_now;
    fixed_files(&common, tera, &by_tag, &mut files)?;
    copy_note_assets(settings, rendered, &mut files);
    super::redirects::add(&settings.redirects, &mut files, |p| composed.contains(p))?;
    Ok(files)
}

/// What a build composes and what it reuses, decided by the key of what each page shows.
struct Plan<'b> {
    /// Each note's all-notes view.
    html: Vec<NoteHtml>,
    by_tag: ByTag,
    /// Pages reused from the last build: path -> (key, bytes).
    pages_now: HashMap<String, (u64, Bytes)>,
    /// Note pages to compose: the note, its path and key.
    note_todo: Vec<(&'b Note, String, u64)>,
    /// Tag pages to compose: the tag's slug, its path and key.
    tag_todo: Vec<(String, String, u64)>,
    skeleton_key: u64,
    /// The last build's all-notes skeleton, when it is still right.
    old_skeleton: Option<Vec<Piece>>,
}

impl<'b> Plan<'b> {
    fn new(common: &Common<'b>, templates: u64, cache: &mut ComposeCache) -> Result<Plan<'b>> {
        let (settings, book) = (common.settings, common.book);
        // What every page shows (book, settings, templates, sections), then what each note's
        // summary and body are: the keys pages are reused under.
        let global = hash_of(&(
            settings,
            &common.version,
            templates,
            serde_json::to_string(&common.section_summaries(false))?,
            book.notes.len(),
            super::study::card_total(common.rendered),
        ));
        let summaries = summary_keys(common, &mut cache.summaries);
        let by_tag = group_by_tag(book);
        let mut plan = Plan {
            html: note_views(common, cache),
            by_tag,
            pages_now: HashMap::new(),
            note_todo: Vec::new(),
            tag_todo: Vec::new(),
            skeleton_key: hash_of(&(global, &summaries)),
            old_skeleton: None,
        };
        let mut old_pages = std::mem::take(&mut cache.pages);
        plan.decide_note_pages(common, global, &summaries, &mut old_pages);
        plan.decide_tag_pages(global, &summaries, &mut old_pages);
        plan.old_skeleton = match cache.skeleton.take() {
            Some((k, pieces)) if k == plan.skeleton_key => Some(pieces),
            _ => None,
        };
        Ok(plan)
    }

    /// Keep `path` from the last build when its key is the same; says whether it was kept.
    fn reuse(
        &mut self,
        path: &str,
        key: u64,
        old_pages: &mut HashMap<String, (u64, Bytes)>,
    ) -> bool {
        match old_pages.remove(path) {
            Some((k, bytes)) if k == key => {
                self.pages_now.insert(path.to_string(), (key, bytes));
                true
            }
            _ => false,
        }
    }

    fn decide_note_pages(
        &mut self,
        common: &Common<'b>,
        global: u64,
        summaries: &[u64],
        old_pages: &mut HashMap<String, (u64, Bytes)>,
    ) {
        let summary = |i: Option<usize>| i.and_then(|i| summaries.get(i)).copied().unwrap_or(0);
        for n in &common.book.notes {
            let path = format!("{}.html", n.slug);
            let key = hash_of(&(
                global,
                summary(n.index.checked_sub(1)),
                summary(Some(n.index)),
                summary(Some(n.index + 1)),
                common.rendered[n.index].source_hash,
                common.backlinks[n.index]
                    .iter()
                    .map(|&i| summaries[i])
                    .collect::<Vec<_>>(),
            ));
            if !self.reuse(&path, key, old_pages) {
                self.note_todo.push((n, path, key));
            }
        }
    }

    fn decide_tag_pages(
        &mut self,
        global: u64,
        summaries: &[u64],
        old_pages: &mut HashMap<String, (u64, Bytes)>,
    ) {
        let tags: Vec<(String, u64)> = self
            .by_tag
            .iter()
            .map(|(slug, (name, idx))| {
                let key = hash_of(&(
                    global,
                    name,
                    idx.iter().map(|&i| summaries[i]).collect::<Vec<_>>(),
                ));
                (slug.clone(), key)
            })
            .collect();
        for (slug, key) in tags {
            let path = format!("tags/{slug}.html");
            if !self.reuse(&path, key, old_pages) {
                self.tag_todo.push((slug, path, key));
            }
        }
    }
}

/// Each note's all-notes view, reused while its rendering is the same (a rendering's
/// `source_hash` covers everything its HTML comes from). A one-shot build makes them as it
/// writes the page instead.
fn note_views(common: &Common, cache: &ComposeCache) -> Vec<NoteHtml> {
    common
        .book
        .notes
        .par_iter()
        .map(|n| {
            let r = &common.rendered[n.index];
            match cache.html.get(&n.rel_path) {
                Some(m) if Arc::ptr_eq(&m.rendered, r) && m.position == n.index => m.clone(),
                _ if cache.single => NoteHtml {
                    rendered: r.clone(),
                    position: n.index,
                    all_notes: Arc::from(""),
                },
                _ => NoteHtml {
                    rendered: r.clone(),
                    position: n.index,
                    all_notes: materialize(&r.html, &n.slug, View::AllNotes).into(),
                },
            }
        })
        .collect()
}

/// Each note's `summary_key`, reused from the last build for a note whose text and rendering
/// are the very allocations it was computed from, at the same position in the same section.
fn summary_keys(common: &Common, memo: &mut FxHashMap<String, SummaryMemo>) -> Vec<u64> {
    let book = common.book;
    let sections: Vec<u64> = book
        .sections
        .iter()
        .map(|s| hash_of(&(&s.title, &s.slug)))
        .collect();
    let keys: Vec<u64> = book
        .notes
        .par_iter()
        .map(|n| {
            let r = &common.rendered[n.index];
            match memo.get(&n.rel_path) {
                Some(m)
                    if Arc::ptr_eq(&m.body, &n.body)
                        && Arc::ptr_eq(&m.rendered, r)
                        && m.index == n.index
                        && m.section == sections[n.section] =>
                {
                    m.key
                }
                _ => common.summary_key(n),
            }
        })
        .collect();
    *memo = book
        .notes
        .iter()
        .zip(&keys)
        .map(|(n, &key)| {
            let m = SummaryMemo {
                body: n.body.clone(),
                rendered: common.rendered[n.index].clone(),
                index: n.index,
                section: sections[n.section],
                key,
                description: common.descriptions[n.index].clone(),
            };
            (n.rel_path.clone(), m)
        })
        .collect();
    keys
}

fn group_by_tag(book: &Book) -> ByTag {
    let slugs = book.tag_slugs();
    let mut by_tag = ByTag::new();
    for n in &book.notes {
        for t in &n.meta.tags {
            let slug = &slugs[t.as_str()];
            match by_tag.get_mut(slug) {
                Some((_, notes)) => notes.push(n.index),
                None => {
                    by_tag.insert(slug.clone(), (t.clone(), vec![n.index]));
                }
            }
        }
    }
    by_tag
}

/// The pages a build composes, made in parallel: what the sink gave back to keep.
struct Made {
    all_notes: Option<Bytes>,
    all_notes_bytes: usize,
    /// The all-notes page split at its note bodies, when it could be.
    skeleton: Option<Vec<Piece>>,
    /// Note and tag pages: path, key, bytes.
    pages: Vec<(String, u64, Bytes)>,
    /// The search index's files: path, script.
    search_index: Vec<(String, Bytes)>,
    search_index_bytes: usize,
}

/// The big, independent parts in parallel: the all-notes page, the note pages, the tag pages
/// and the search index.
fn make_pages(
    common: &Common,
    tera: &tera::Tera,
    plan: &mut Plan,
    cache: &mut ComposeCache,
    sink: &dyn Sink,
) -> Result<Made> {
    let old_skeleton = plan.old_skeleton.take();
    let plan = &*plan;
    let spare = cache.index_page.take();
    let single = cache.single;
    let search = (!single).then_some(&mut cache.search);
    let (book, rendered) = (common.book, common.rendered);
    let (all, (notes_done, (tags_done, search_index))) = rayon::join(
        || -> Result<_> {
            let (skeleton, page) =
                all_notes(common, tera, &plan.html, old_skeleton, single, spare, sink)?;
            Ok(match page {
                AllNotes::Whole(page) => (
                    skeleton,
                    page.len(),
                    sink.page(book, rendered, "index.html", page.into())?,
                ),
                AllNotes::Streamed(len) => (skeleton, len, None),
            })
        },
        || {
            rayon::join(
                || note_pages(common, tera, &plan.note_todo, sink),
                || {
                    rayon::join(
                        || tag_pages(common, tera, plan, sink),
                        || -> Result<_> {
                            let mut kept = Vec::new();
                            let mut put = |path: String, js| {
                                if let Some(js) = sink.page(book, rendered, &path, js)? {
                                    kept.push((path, js));
                                }
                                Ok(())
                            };
                            let len = search_index::files(book, rendered, search, &mut put)?;
                            Ok((kept, len))
                        },
                    )
                },
            )
        },
    );
    let (skeleton, all_notes_bytes, all_notes) = all?;
    let (search_index, search_index_bytes) = search_index?;
    let mut pages = notes_done?;
    pages.extend(tags_done?);
    Ok(Made {
        all_notes,
        all_notes_bytes,
        skeleton,
        pages,
        search_index,
        search_index_bytes,
    })
}

/// The all-notes page as made: whole, or already handed to the sink part by part (its length).
enum AllNotes {
    Whole(Vec<u8>),
    Streamed(usize),
}

/// The all-notes page: composed once with a placeholder per note body, then spliced, so a body
/// edit only re-splices. A one-shot build hands it to a sink that takes it in parts.
fn all_notes(
    common: &Common,
    tera: &tera::Tera,
    html: &[NoteHtml],
    old_skeleton: Option<Vec<Piece>>,
    single: bool,
    spare: Vec<u8>,
    sink: &dyn Sink,
) -> Result<(Option<Vec<Piece>>, AllNotes)> {
    let (book, rendered) = (common.book, common.rendered);
    let pieces = match old_skeleton {
        Some(p) => Some(p),
        None => split_skeleton(
            &all_notes_page(common, tera, placeholder)?,
            book.notes.len(),
        ),
    };
    let index = match &pieces {
        Some(p) if single => match sink.open(book, rendered, "index.html")? {
            Some(out) => {
                let len = splice_into(p, book, rendered, out)?;
                return Ok((pieces, AllNotes::Streamed(len)));
            }
            None => splice_fresh(p, book, rendered).into_bytes(),
        },
        Some(pieces) => splice(pieces, html, spare),
        None => all_notes_page(common, tera, |i| {
            materialize(&rendered[i].html, &book.notes[i].slug, View::AllNotes)
        })?
        .into_bytes(),
    };
    Ok((pieces, AllNotes::Whole(index)))
}

fn note_pages(
    common: &Common,
    tera: &tera::Tera,
    todo: &[(&Note, String, u64)],
    sink: &dyn Sink,
) -> Result<Vec<(String, u64, Bytes)>> {
    todo.par_iter()
        .map(|(n, path, key)| {
            let bytes = note_page(common, tera, n, path)?.into_bytes().into();
            let kept = sink.page(common.book, common.rendered, path, bytes)?;
            Ok(kept.map(|bytes| (path.clone(), *key, bytes)))
        })
        .filter_map(Result::transpose)
        .collect()
}

fn tag_pages(
    common: &Common,
    tera: &tera::Tera,
    plan: &Plan,
    sink: &dyn Sink,
) -> Result<Vec<(String, u64, Bytes)>> {
    plan.tag_todo
        .par_iter()
        .map(|(slug, path, key)| {
            let (name, idx) = &plan.by_tag[slug];
            let bytes = tag_page(common, tera, slug, name, idx, path)?
                .into_bytes()
                .into();
            let kept = sink.page(common.book, common.rendered, path, bytes)?;
            Ok(kept.map(|bytes| (path.clone(), *key, bytes)))
        })
        .filter_map(Result::transpose)
        .collect()
}

/// The files every build writes whole: the tag list, the 404 page, the navigation script, the
/// sitemap, robots.txt, and what GitHub Pages reads.
fn fixed_files(
    common: &Common,
    tera: &tera::Tera,
    by_tag: &ByTag,
    files: &mut Files,
) -> Result<()> {
    let settings = common.settings;
    files.insert(
        "tags/index.html".into(),
        tags_index_page(common, tera)?.into_bytes().into(),
    );
    files.insert(
        "404.html".into(),
        not_found_page(common, tera)?.into_bytes().into(),
    );
    files.insert("nav.js".into(), nav_js(common.book).into_bytes().into());
    files.insert(
        "review.html".into(),
        super::study::review_page(common, tera)?.into_bytes().into(),
    );
    // A sitemap lists absolute URLs; without the site's address there is nothing valid to write.
    if let Some(base) = &settings.site_url {
        files.insert(
            "sitemap.xml".into(),
            sitemap(base, common.book, by_tag).into_bytes().into(),
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
    Ok(())
}

fn tags_index_page(common: &Common, tera: &tera::Tera) -> Result<String> {
    let mut ctx = common.page_context(
        "../",
        "tags/index.html",
        "Tags",
        "Every tag of the book".into(),
        "tags",
    );
    ctx.insert("all_tags", &tag_counts(common.book));
    templates::render(tera, "tags.html", &ctx)
}

/// 404: GitHub Pages serves it at any depth, so it anchors its links with <base> when the URL is known.
fn not_found_page(common: &Common, tera: &tera::Tera) -> Result<String> {
    let settings = common.settings;
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
    ctx.insert(
        "base_path",
        &settings
            .site_url
            .as_deref()
            .map(crate::util::paths::url_path),
    );
    templates::render(tera, "404.html", &ctx)
}

pub(super) fn hash_of(v: &impl Hash) -> u64 {
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
