//! The page holding every note: composed once with a placeholder per note body, then spliced.

use super::cache::{NoteHtml, Piece};
use super::context::{Common, PageCtx, distinct_yoes, tag_counts};
use super::templates;
use crate::book::{self, Book};
use crate::render::markdown::{self, RenderedNote, View};
use anyhow::Result;
use rayon::prelude::*;
use std::sync::Arc;

pub(super) const MARK_OPEN: &str = "\u{E000}hb-note-";
pub(super) const MARK_CLOSE: char = '\u{E001}';

/// The placeholder standing for note `i`'s body while the all-notes page is composed.
pub(super) fn placeholder(i: usize) -> String {
    format!("{MARK_OPEN}{i}{MARK_CLOSE}")
}

/// Split a composed all-notes page at its placeholders; `None` unless every note's body
/// appears exactly once (a template that transforms the body cannot be spliced).
pub(super) fn split_skeleton(page: &str, notes: usize) -> Option<Vec<Piece>> {
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
pub(super) fn all_notes_page(
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
    ctx.insert("level_totals", &super::study::level_totals(book));
    templates::render(tera, "index.html", &ctx)
}

/// The all-notes page from its skeleton and each note's all-notes view, copied in parallel
/// (at 5,000 notes the page is ~50 MB: one thread copying it, and faulting its fresh pages in,
/// is a sizeable part of a rebuild).
pub(super) fn splice(pieces: &[Piece], html: &[NoteHtml], mut warm: Vec<u8>) -> Vec<u8> {
    pub(super) fn part<'a>(p: &'a Piece, html: &'a [NoteHtml]) -> &'a [u8] {
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
/// Hand the all-notes page to `out` a part at a time, each note's body as it is made: the page
/// is never held whole. Returns its length.
pub(super) fn splice_into(
    pieces: &[Piece],
    book: &Book,
    rendered: &[Arc<RenderedNote>],
    mut out: Box<dyn super::PageParts + '_>,
) -> anyhow::Result<usize> {
    // Bodies are made in parallel a batch at a time and handed on in order.
    for batch in pieces.chunks(128) {
        let bodies: Vec<Option<String>> = batch
            .par_iter()
            .map(|p| match p {
                Piece::Text(_) => None,
                Piece::Note(i) => Some(markdown::materialize(
                    &rendered[*i].html,
                    &book.notes[*i].slug,
                    View::AllNotes,
                )),
            })
            .collect();
        for (p, body) in batch.iter().zip(bodies) {
            match (p, body) {
                (Piece::Note(i), Some(body)) => out.push(&body, Some(*i))?,
                (Piece::Text(t), _) => out.push(t, None)?,
                (Piece::Note(_), None) => unreachable!("every note piece has its body"),
            }
        }
    }
    out.finish()
}

pub(super) fn splice_fresh(
    pieces: &[Piece],
    book: &Book,
    rendered: &[Arc<RenderedNote>],
) -> String {
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
