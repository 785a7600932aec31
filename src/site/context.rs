//! What templates see: the book, a note, a section, a page, built once per build and shared by every page.

use super::compose::hash_of;
use crate::book::{Book, Note};
use crate::render::markdown::{LinkTarget, RenderedNote, TocEntry, View, materialize};
use crate::settings::Settings;
use crate::util::slug::tag_slug;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Serialize)]
pub(super) struct BookCtx<'a> {
    pub(super) title: &'a str,
    pub(super) description: &'a str,
    pub(super) language: &'a str,
    pub(super) repository: Option<&'a str>,
    pub(super) authors: &'a [String],
    pub(super) note_count: usize,
}

#[derive(Serialize, Clone)]
pub(super) struct TagCtx {
    pub(super) name: String,
    pub(super) slug: String,
}

#[derive(Serialize)]
pub(super) struct NoteCtx<'a> {
    pub(super) number: usize,
    pub(super) slug: &'a str,
    pub(super) title: &'a str,
    pub(super) level: &'a str,
    pub(super) yoe: &'a str,
    pub(super) tags: &'a [TagCtx],
    pub(super) description: &'a str,
    pub(super) section: &'a str,
    pub(super) section_slug: &'a str,
    pub(super) url: String,
    /// Minutes to read the note's prose.
    pub(super) minutes: usize,
    /// Body HTML for the view being rendered (empty for summaries).
    pub(super) html: String,
    /// The note's headings: on its own page and on the all-notes page, not in lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) toc: Option<&'a [TocEntry]>,
    /// Where its source is edited (`[book] edit-url`), where the note is shown in full.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) edit_url: Option<String>,
}

#[derive(Serialize)]
pub(super) struct SectionCtx<'a> {
    pub(super) number: usize,
    pub(super) title: &'a str,
    pub(super) slug: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) first_note: &'a str,
    pub(super) count: usize,
    pub(super) notes: Vec<NoteCtx<'a>>,
}

#[derive(Serialize)]
pub(super) struct PageCtx {
    pub(super) title: String,
    pub(super) description: String,
    /// Output path of this page, relative to the site root.
    pub(super) path: String,
    pub(super) canonical: Option<String>,
    pub(super) kind: &'static str,
}

/// Shared by every page's template context.
pub(super) struct Common<'a> {
    pub(super) settings: &'a Settings,
    pub(super) book: &'a Book,
    pub(super) rendered: &'a [Arc<RenderedNote>],
    pub(super) version: String,
    /// Per note, made once: its description and its tags with their slugs.
    pub(super) descriptions: Vec<Arc<str>>,
    pub(super) tags: Vec<Vec<TagCtx>>,
    /// Per note, the other notes whose bodies link to it, in book order.
    pub(super) backlinks: Vec<Vec<usize>>,
    /// What every page's context holds, made once and copied per page.
    pub(super) shared: tera::Context,
}

impl Common<'_> {
    pub(super) fn context(&self, root: &str, page: PageCtx) -> tera::Context {
        let mut ctx = self.shared.clone();
        ctx.insert("root", root);
        ctx.insert("page", &page);
        ctx
    }

    /// The context of the page at `path` (`root` leads from it to the site root), titled
    /// "`name` · the book's title", with its canonical URL when the site URL is known.
    pub(super) fn page_context(
        &self,
        root: &str,
        path: &str,
        name: &str,
        description: String,
        kind: &'static str,
    ) -> tera::Context {
        self.context(
            root,
            PageCtx {
                title: format!("{name} · {}", self.settings.book.title),
                description,
                canonical: self.canonical(path),
                path: path.to_string(),
                kind,
            },
        )
    }

    pub(super) fn shared_context(&self) -> tera::Context {
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
        ctx.insert("study", &super::study::study_ctx(self));
        ctx
    }

    pub(super) fn canonical(&self, path: &str) -> Option<String> {
        let base = self.settings.site_url.as_ref()?;
        let p = if path == "index.html" { "" } else { path };
        Some(format!("{base}{p}"))
    }

    pub(super) fn note_ctx(&self, n: &'_ Note, view: Option<View>) -> NoteCtx<'_> {
        self.note_ctx_toc(n, view, view.is_some())
    }

    /// The note for a template; `toc` adds its headings (lists of notes leave them out).
    pub(super) fn note_ctx_toc(&self, n: &'_ Note, view: Option<View>, toc: bool) -> NoteCtx<'_> {
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
            description: &self.descriptions[n.index][..],
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
                .map(|t| {
                    t.replace(
                        "{path}",
                        &crate::util::paths::url_encode_path(&note.rel_path),
                    )
                }),
        }
    }

    /// A hash of everything `note_ctx(n, None)` shows (the note as listed, without its body).
    pub(super) fn summary_key(&self, n: &Note) -> u64 {
        let r = &self.rendered[n.index];
        let section = &self.book.sections[n.section];
        hash_of(&(
            n.number(),
            &n.slug,
            &n.rel_path,
            &n.meta,
            &self.descriptions[n.index][..],
            &section.title,
            &section.slug,
            &r.toc,
            r.reading_minutes(),
        ))
    }

    pub(super) fn section_summaries(&self, with_notes: bool) -> Vec<SectionCtx<'_>> {
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
pub(super) fn description(note: &Note, r: &RenderedNote) -> String {
    if let Some(d) = &note.meta.description {
        return d.clone();
    }
    let text = r.chunks.first().map(|(_, t)| t.as_str()).unwrap_or("");
    crate::util::text::truncate_words(text, 160)
}

impl<'a> Common<'a> {
    /// Everything the pages share, made once: per-note descriptions, tags and backlinks, and
    /// the context every template gets. `version` names the theme's files for cache busting.
    pub(super) fn new(
        settings: &'a Settings,
        book: &'a Book,
        rendered: &'a [Arc<RenderedNote>],
        version: String,
        memo: &rustc_hash::FxHashMap<String, super::cache::SummaryMemo>,
    ) -> Common<'a> {
        let slugs = book.tag_slugs();
        let mut common = Common {
            settings,
            book,
            rendered,
            version,
            descriptions: book
                .notes
                .par_iter()
                .map(|n| {
                    let r = &rendered[n.index];
                    match memo.get(&n.rel_path) {
                        // The same text and rendering: the description made from them last time.
                        Some(m) if Arc::ptr_eq(&m.body, &n.body) && Arc::ptr_eq(&m.rendered, r) => {
                            m.description.clone()
                        }
                        _ => description(n, r).into(),
                    }
                })
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
                            slug: slugs[t.as_str()].clone(),
                        })
                        .collect()
                })
                .collect(),
            backlinks: backlinks(book, rendered),
            shared: tera::Context::new(),
        };
        common.shared = common.shared_context();
        common
    }
}

/// For each note, the other notes that link to it (once each, in book order), from the links
/// the renderer recorded: what a reader of a note may want to read next, or came from.
pub(super) fn backlinks(book: &Book, rendered: &[Arc<RenderedNote>]) -> Vec<Vec<usize>> {
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

pub(super) fn distinct_yoes(book: &Book) -> Vec<String> {
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
pub(super) struct TagCount {
    pub(super) name: String,
    pub(super) slug: String,
    pub(super) count: usize,
}

pub(super) fn tag_counts(book: &Book) -> Vec<TagCount> {
    // Counted by the tag as written first, then slugified once per distinct spelling.
    let mut written: rustc_hash::FxHashMap<&str, (usize, usize)> = Default::default();
    for n in &book.notes {
        for t in &n.meta.tags {
            let next = written.len();
            written.entry(t).or_insert((next, 0)).1 += 1;
        }
    }
    let mut spellings: Vec<(&str, (usize, usize))> = written.into_iter().collect();
    spellings.sort_unstable_by_key(|(_, (first, _))| *first);
    let mut m: BTreeMap<String, TagCount> = BTreeMap::new();
    for (t, (_, count)) in spellings {
        let slug = tag_slug(t);
        m.entry(slug.clone())
            .or_insert_with(|| TagCount {
                name: t.to_string(),
                slug,
                count: 0,
            })
            .count += count;
    }
    m.into_values().collect()
}
