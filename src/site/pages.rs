//! The pages made from templates: a note's own page, a tag's page, the list of tags, the 404 page.

use super::context::{Common, NoteCtx, TagCtx};
use super::templates;
use crate::book::Note;
use crate::render::markdown::View;
use anyhow::Result;

/// One note's own page.
pub(super) fn note_page(
    common: &Common,
    tera: &tera::Tera,
    n: &Note,
    path: &str,
) -> Result<String> {
    let book = common.book;
    let nc = common.note_ctx(n, Some(View::NotePage));
    let mut ctx = common.page_context("", path, &n.meta.title, nc.description.to_string(), "note");
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

/// One tag's page: the notes that carry it.
pub(super) fn tag_page(
    common: &Common,
    tera: &tera::Tera,
    slug: &str,
    name: &str,
    idx: &[usize],
    path: &str,
) -> Result<String> {
    let mut ctx = common.page_context(
        "../",
        path,
        &format!("Tag: {name}"),
        format!("Notes tagged {name}"),
        "tag",
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
