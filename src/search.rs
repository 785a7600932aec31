//! The search index: notes and their heading chunks as one script file, so search works from `file://` too.

use crate::markdown::RenderedNote;
use crate::notes::Book;
use serde::Serialize;
use std::sync::Arc;

/// Longest text kept per heading chunk; keeps the index well under the all-notes page.
const CHUNK_CHARS: usize = 1200;

/// slug, number, title, level, yoe, tags, section title
type NoteEntry<'a> = (
    &'a str,
    usize,
    &'a str,
    &'a str,
    &'a str,
    &'a [String],
    &'a str,
);

#[derive(Serialize)]
struct Index<'a> {
    notes: Vec<NoteEntry<'a>>,
    /// note position, heading id ("" = intro), heading text, plain text
    docs: Vec<(usize, &'a str, &'a str, String)>,
}

/// `search-index.js`: `window.HANDBOOK_SEARCH = {...}`.
pub fn index_js(book: &Book, rendered: &[Arc<RenderedNote>]) -> String {
    let mut idx = Index {
        notes: Vec::with_capacity(book.notes.len()),
        docs: Vec::new(),
    };
    for n in &book.notes {
        idx.notes.push((
            &n.slug,
            n.number(),
            &n.meta.title,
            &n.meta.level,
            &n.meta.yoe,
            &n.meta.tags,
            &book.sections[n.section].title,
        ));
        let r = &rendered[n.index];
        for (id, text) in &r.chunks {
            let heading = r
                .toc
                .iter()
                .find(|t| &t.id == id)
                .map(|t| t.text.as_str())
                .unwrap_or("");
            idx.docs.push((
                n.index,
                id,
                heading,
                crate::site::truncate_words(text, CHUNK_CHARS),
            ));
        }
    }
    format!(
        "window.HANDBOOK_SEARCH={};\n",
        serde_json::to_string(&idx).unwrap_or_else(|_| "{}".into())
    )
}
