//! The pages made from templates: a note's own page, a tag's page, the list of tags, the 404 page.

use super::context::{Common, NoteCtx, PageCtx, TagCtx};
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

/// One tag's page: the notes that carry it.
pub(super) fn tag_page(
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
