//! The search index: notes and their heading chunks as one script file, so search works from `file://` too.

use crate::book::Book;
use crate::render::markdown::RenderedNote;

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
                crate::util::text::truncate_words(text, CHUNK_CHARS),
            )
        })
        .collect();
    let json = serde_json::to_string(&docs).unwrap_or_else(|_| "[]".into());
    json[1..json.len() - 1].to_string()
}

/// `search-index.js`: `window.HANDBOOK_SEARCH = {"notes": [...], "docs": [...]}`, from each
/// note's `docs_fragment`, written into `out` (cleared first; its capacity is reused).
pub fn index_js(book: &Book, docs: &[impl AsRef<str>], out: String) -> String {
    let len: usize = docs.iter().map(|d| d.as_ref().len() + 1).sum();
    let mut w = IndexWriter::new(book, out, len);
    for d in docs {
        w.push(d.as_ref());
    }
    w.finish()
}

/// Writes `search-index.js` one note fragment at a time, so a cold build need not hold every
/// fragment and the whole file at once (18 MB each at 5,000 notes).
pub struct IndexWriter {
    out: String,
    first: bool,
}

impl IndexWriter {
    /// Start the file in `out` (cleared first; its capacity is reused), reserving `docs_len`
    /// more bytes for the fragments when known.
    pub fn new(book: &Book, mut out: String, docs_len: usize) -> IndexWriter {
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
        out.clear();
        out.reserve(notes.len() + docs_len + 64);
        out.push_str("window.HANDBOOK_SEARCH={\"notes\":");
        out.push_str(&notes);
        out.push_str(",\"docs\":[");
        IndexWriter { out, first: true }
    }

    /// Append one note's `docs_fragment` (an empty one adds nothing).
    pub fn push(&mut self, fragment: &str) {
        if fragment.is_empty() {
            return;
        }
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.out.push_str(fragment);
    }

    pub fn finish(mut self) -> String {
        self.out.push_str("]};\n");
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writing_fragments_one_by_one_gives_the_same_file_as_all_at_once() {
        let book = Book {
            sections: Vec::new(),
            notes: Vec::new(),
            warnings: Vec::new(),
        };
        let docs = [
            "[0,\"\",\"\",\"a\"]",
            "",
            "[2,\"h\",\"H\",\"b\"]",
            "[3,\"\",\"\",\"c\"]",
        ];
        let whole = index_js(&book, &docs, String::from("old contents"));
        let mut w = IndexWriter::new(&book, String::new(), 0);
        for d in docs {
            w.push(d);
        }
        assert_eq!(w.finish(), whole);
        assert_eq!(
            whole,
            "window.HANDBOOK_SEARCH={\"notes\":[],\"docs\":[[0,\"\",\"\",\"a\"],[2,\"h\",\"H\",\"b\"],[3,\"\",\"\",\"c\"]]};\n"
        );
    }
}
