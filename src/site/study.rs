//! Study mode's server side: the book's identity for stored progress, and review.html with every card.

use super::context::{Common, distinct_yoes, tag_counts};
use super::templates;
use crate::render::markdown::{View, materialize};
use crate::settings::Settings;
use crate::util::slug::slugify;
use anyhow::Result;
use serde::Serialize;

/// The key progress is stored under in the reader's browser: the title's slug and a hash of
/// what names the book (title, authors, repository, site URL), so two books opened from
/// `file://` (one origin) keep apart, while editing notes keeps a reader's progress.
pub(crate) fn book_id(settings: &Settings) -> String {
    let b = &settings.book;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let parts = [
        b.title.as_str(),
        &b.authors.join(","),
        b.repository.as_deref().unwrap_or(""),
        settings.site_url.as_deref().unwrap_or(""),
    ];
    for p in parts {
        for byte in p.bytes().chain([0]) {
            h ^= u64::from(byte);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    let slug = slugify(&b.title);
    let slug = if slug.is_empty() { "book" } else { &slug };
    format!("{slug}-{:08x}", (h >> 32) ^ (h & 0xffff_ffff))
}

/// Study mode's part of every page's context: the book's identity and how many cards it has.
#[derive(Serialize)]
pub(super) struct StudyCtx {
    id: String,
    cards: usize,
}

pub(super) fn study_ctx(common: &Common) -> StudyCtx {
    StudyCtx {
        id: book_id(common.settings),
        cards: card_total(common.rendered),
    }
}

/// How many cards the book has.
pub(super) fn card_total(
    rendered: &[std::sync::Arc<crate::render::markdown::RenderedNote>],
) -> usize {
    rendered.iter().map(|r| r.cards.len()).sum()
}

/// A level the book uses and how many notes have it.
#[derive(Serialize)]
pub(super) struct LevelTotal {
    name: &'static str,
    count: usize,
}

/// Each level the book uses and how many notes have it, for the progress per level.
pub(super) fn level_totals(book: &crate::book::Book) -> Vec<LevelTotal> {
    crate::book::LEVELS
        .iter()
        .map(|l| LevelTotal {
            name: l,
            count: book.notes.iter().filter(|n| n.meta.level == *l).count(),
        })
        .filter(|t| t.count > 0)
        .collect()
}

/// One card as review.html shows it.
#[derive(Serialize)]
struct CardCtx {
    id: String,
    question: String,
    answer: String,
}

/// A note with cards, with what the review filters match on.
#[derive(Serialize)]
struct CardNoteCtx<'a> {
    slug: &'a str,
    number: usize,
    title: &'a str,
    level: &'a str,
    yoe: &'a str,
    tags: String,
    section: &'a str,
    section_title: &'a str,
    cards: Vec<CardCtx>,
}

/// Every card of the book, with its note, for the review page and the Anki export.
fn card_notes<'a>(common: &'a Common) -> Vec<CardNoteCtx<'a>> {
    let book = common.book;
    book.notes
        .iter()
        .filter(|n| !common.rendered[n.index].cards.is_empty())
        .map(|n| {
            let section = &book.sections[n.section];
            CardNoteCtx {
                slug: &n.slug,
                number: n.number(),
                title: &n.meta.title,
                level: &n.meta.level,
                yoe: &n.meta.yoe,
                tags: common.tags[n.index]
                    .iter()
                    .map(|t| t.slug.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                section: &section.slug,
                section_title: &section.title,
                cards: common.rendered[n.index]
                    .cards
                    .iter()
                    .map(|c| CardCtx {
                        id: c.id.clone(),
                        question: materialize(&c.question, &n.slug, View::NotePage),
                        answer: materialize(&c.answer, &n.slug, View::NotePage),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// review.html: the review session (drawn by review.js) over every card of the book, listed
/// below it by section and note so the page also reads without JavaScript.
pub(super) fn review_page(common: &Common, tera: &tera::Tera) -> Result<String> {
    let mut ctx = common.page_context(
        "",
        "review.html",
        "Review",
        "Self-test cards of the whole book, with spaced repetition".into(),
        "review",
    );
    let notes = card_notes(common);
    let levels: Vec<&str> = crate::book::LEVELS
        .iter()
        .copied()
        .filter(|l| common.book.notes.iter().any(|n| n.meta.level == *l))
        .collect();
    ctx.insert("card_notes", &notes);
    ctx.insert("levels", &levels);
    ctx.insert("yoes", &distinct_yoes(common.book));
    ctx.insert("all_tags", &tag_counts(common.book));
    templates::render(tera, "review.html", &ctx)
}
