//! The search index: notes and their heading chunks as one script file, so search works from `file://` too.

use crate::markdown::RenderedNote;
use crate::notes::Book;

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

/// One note's heading chunks as JSON array items (no brackets): `[position, heading id ("" =
/// intro), heading text, plain text]`, comma-separated. Computed per note, so a rebuild reuses
/// the fragments of unchanged notes and a cold build makes them in parallel.
pub fn docs_fragment(position: usize, r: &RenderedNote) -> String {
    let docs: Vec<(usize, &str, &str, String)> = r
        .chunks
        .iter()
        .map(|(id, text)| {
            let heading = r
                .toc
                .iter()
                .find(|t| &t.id == id)
                .map(|t| t.text.as_str())
                .unwrap_or("");
            (
                position,
                id.as_str(),
                heading,
                crate::site::truncate_words(text, CHUNK_CHARS),
            )
        })
        .collect();
    let json = serde_json::to_string(&docs).unwrap_or_else(|_| "[]".into());
    json[1..json.len() - 1].to_string()
}

/// `search-index.js`: `window.HANDBOOK_SEARCH = {"notes": [...], "docs": [...]}`, from each
/// note's `docs_fragment`, written into `out` (cleared first; its capacity is reused).
pub fn index_js(book: &Book, docs: &[impl AsRef<str>], mut out: String) -> String {
    let notes: Vec<NoteEntry> = book
        .notes
        .iter()
        .map(|n| {
            (
                n.slug.as_str(),
                n.number(),
                n.meta.title.as_str(),
                n.meta.level.as_str(),
                n.meta.yoe.as_str(),
                n.meta.tags.as_slice(),
                book.sections[n.section].title.as_str(),
            )
        })
        .collect();
    let notes = serde_json::to_string(&notes).unwrap_or_else(|_| "[]".into());
    let len: usize = docs.iter().map(|d| d.as_ref().len() + 1).sum();
    out.clear();
    out.reserve(notes.len() + len + 64);
    out.push_str("window.HANDBOOK_SEARCH={\"notes\":");
    out.push_str(&notes);
    out.push_str(",\"docs\":[");
    let mut first = true;
    for d in docs.iter().map(AsRef::as_ref).filter(|d| !d.is_empty()) {
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str(d);
    }
    out.push_str("]};\n");
    out
}
