//! The search index split by term into small script files, so a search loads only the pieces its words need.
//!
//! `search-index.js` is a small manifest (`window.HANDBOOK_SEARCH_INDEX`): the first term of
//! each term shard, how many notes share a note file, and the chunk stride. Term shards
//! `search-index/t<i>.js` hold, for each term of a contiguous range of sorted terms, the
//! delta-encoded postings of the heading chunks it occurs in; note files `search-index/n<g>.js`
//! hold the title, heading and snippet text that results show. Every piece is a script that
//! adds itself to `window.HANDBOOK_SEARCH_PARTS`, so pieces load with `<script>` tags (from
//! `file://` too) and the single-file export can inline them all.

use crate::book::Book;
use crate::render::markdown::RenderedNote;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

/// Longest text kept per heading chunk for snippets (the index itself covers all of it).
const SNIPPET_CHARS: usize = 1200;
/// Size a term shard grows to before the next term starts a new one.
const SHARD_BYTES: usize = 24 * 1024;
/// Size a note file is aimed at: one file for a few notes of this size.
const GROUP_BYTES: usize = 24 * 1024;
/// Longer words are cut to this many characters, in the index and in queries alike.
const MAX_TERM_CHARS: usize = 32;

/// What a posting says about its term in one chunk (the low bits of the posting).
const IN_HEADING: u64 = 1;
const IN_BODY: u64 = 2;
/// In the body at least three times.
const BODY_OFTEN: u64 = 4;
/// In the note's title / tags: set on the note's first chunk and meant for the whole note.
const IN_TITLE: u64 = 8;
const IN_TAGS: u64 = 16;
const BITS: u64 = 32;

/// The folder the pieces are written to (under the site root).
pub(crate) const DIR: &str = "search-index";

/// The words of `text` as search terms: runs of letters and digits, lower-cased, at most
/// `MAX_TERM_CHARS` long. The browser splits queries the same way (`terms` in app.js).
pub(crate) fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.chars()
                .flat_map(char::to_lowercase)
                .take(MAX_TERM_CHARS)
                .collect()
        })
}

/// One note's terms: (term, chunk << 5 | bits), sorted by term then chunk.
fn note_postings(book: &Book, position: usize, r: &RenderedNote) -> Vec<(String, u64)> {
    let note = &book.notes[position];
    let mut by_term: HashMap<String, HashMap<u64, u64>> = HashMap::new();
    let mut mark = |term: String, chunk: u64, bit: u64| {
        *by_term.entry(term).or_default().entry(chunk).or_default() |= bit;
    };
    for w in words(&note.meta.title) {
        mark(w, 0, IN_TITLE);
    }
    for t in &note.meta.tags {
        for w in words(t) {
            mark(w, 0, IN_TAGS);
        }
    }
    let mut counts: HashMap<String, u32> = HashMap::new();
    for (c, (id, text)) in r.chunks.iter().enumerate() {
        let c = c as u64;
        for w in words(heading_text(r, id)) {
            mark(w, c, IN_HEADING);
        }
        counts.clear();
        for w in words(text) {
            *counts.entry(w).or_default() += 1;
        }
        for (w, n) in counts.drain() {
            mark(
                w,
                c,
                if n >= 3 {
                    IN_BODY | BODY_OFTEN
                } else {
                    IN_BODY
                },
            );
        }
    }
    let mut out: Vec<(String, u64)> = by_term
        .into_iter()
        .flat_map(|(t, chunks)| {
            chunks
                .into_iter()
                .map(move |(c, b)| (t.clone(), c * BITS + b))
        })
        .collect();
    out.sort_unstable();
    out
}

/// The text of the heading a chunk starts at ("" for the intro and for headings below `###`).
fn heading_text<'a>(r: &'a RenderedNote, id: &str) -> &'a str {
    if id.is_empty() {
        return "";
    }
    r.toc
        .iter()
        .find(|t| t.id == id)
        .map(|t| t.text.as_str())
        .unwrap_or("")
}

/// A note as its note file gives it: slug, number, title, and per chunk
/// `[heading id, heading text, snippet text]` (at least one chunk, so a title always has a target).
#[derive(Serialize)]
struct NoteEntry<'a>(&'a str, usize, &'a str, Vec<(&'a str, &'a str, String)>);

fn note_entry<'a>(book: &'a Book, position: usize, r: &'a RenderedNote) -> NoteEntry<'a> {
    let n = &book.notes[position];
    let mut chunks: Vec<(&str, &str, String)> = r
        .chunks
        .iter()
        .map(|(id, text)| {
            (
                id.as_str(),
                heading_text(r, id),
                crate::util::text::truncate_words(text, SNIPPET_CHARS),
            )
        })
        .collect();
    if chunks.is_empty() {
        chunks.push(("", "", String::new()));
    }
    NoteEntry(&n.slug, n.number(), &n.meta.title, chunks)
}

/// One piece as a script that adds itself to `window.HANDBOOK_SEARCH_PARTS`.
fn part_js(key: &str, json: &str) -> String {
    format!(
        "(window.HANDBOOK_SEARCH_PARTS=window.HANDBOOK_SEARCH_PARTS||{{}})[\"{key}\"]={json};\n"
    )
}

/// Every file of the search index: `search-index.js` (the manifest) and the pieces under
/// `search-index/`, as (site path, contents).
pub(crate) fn files(
    book: &Book,
    rendered: &[std::sync::Arc<RenderedNote>],
) -> Vec<(String, String)> {
    let per_note: Vec<(Vec<(String, u64)>, String)> = book
        .notes
        .par_iter()
        .map(|n| {
            let r = &rendered[n.index];
            let entry = serde_json::to_string(&note_entry(book, n.index, r)).unwrap_or_default();
            (note_postings(book, n.index, r), entry)
        })
        .collect();
    // Chunk ids are note * stride + chunk, so the browser can tell a chunk's note.
    let stride = rendered
        .iter()
        .map(|r| r.chunks.len())
        .max()
        .unwrap_or(1)
        .max(1) as u64;
    let mut out = Vec::new();
    let shard_firsts = term_shards(&per_note, stride, &mut out);
    let group = note_groups(&per_note, &mut out);
    // Pieces are fetched with this hash of their contents in the URL, so no cache serves an old one.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    std::hash::Hash::hash(&out, &mut h);
    let manifest = serde_json::json!({
        "v": 1,
        "h": format!("{:x}", std::hash::Hasher::finish(&h) & 0xffff_ffff),
        "t": shard_firsts,
        "g": group,
        "c": stride,
        "n": book.notes.len(),
    });
    out.push((
        "search-index.js".into(),
        format!("window.HANDBOOK_SEARCH_INDEX={manifest};\n"),
    ));
    out
}

/// Merge the notes' postings per term and cut the sorted terms into shards of about
/// `SHARD_BYTES`; returns each shard's first term.
fn term_shards(
    per_note: &[(Vec<(String, u64)>, String)],
    stride: u64,
    out: &mut Vec<(String, String)>,
) -> Vec<String> {
    let mut postings: HashMap<&str, Vec<u64>> = HashMap::new();
    for (position, (terms, _)) in per_note.iter().enumerate() {
        let base = position as u64 * stride * BITS;
        for (t, p) in terms {
            postings.entry(t.as_str()).or_default().push(base + p);
        }
    }
    let mut terms: Vec<(&str, Vec<u64>)> = postings.into_iter().collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut firsts = Vec::new();
    let mut body = String::new();
    let mut first: Option<&str> = None;
    let mut flush = |body: &mut String, first: &mut Option<&str>, firsts: &mut Vec<String>| {
        if let Some(f) = first.take() {
            let key = format!("t{}", firsts.len());
            out.push((
                format!("{DIR}/{key}.js"),
                part_js(&key, &format!("{{{body}}}")),
            ));
            firsts.push(f.to_string());
            body.clear();
        }
    };
    for (t, list) in &terms {
        if first.is_none() {
            first = Some(t);
        } else {
            body.push(',');
        }
        body.push_str(&serde_json::to_string(t).unwrap_or_default());
        body.push_str(":[");
        let mut prev = 0;
        for (i, p) in list.iter().enumerate() {
            if i > 0 {
                body.push(',');
            }
            body.push_str(&(p - prev).to_string());
            prev = *p;
        }
        body.push(']');
        if body.len() >= SHARD_BYTES {
            flush(&mut body, &mut first, &mut firsts);
        }
    }
    flush(&mut body, &mut first, &mut firsts);
    firsts
}

/// Write the note files, each holding `group` consecutive notes; returns `group`.
fn note_groups(
    per_note: &[(Vec<(String, u64)>, String)],
    out: &mut Vec<(String, String)>,
) -> usize {
    let total: usize = per_note.iter().map(|(_, e)| e.len()).sum();
    let group = (per_note.len() * GROUP_BYTES / total.max(1)).clamp(1, 64);
    for (g, notes) in per_note.chunks(group).enumerate() {
        let json = notes
            .iter()
            .map(|(_, e)| e.as_str())
            .collect::<Vec<_>>()
            .join(",");
        let key = format!("n{g}");
        out.push((
            format!("{DIR}/{key}.js"),
            part_js(&key, &format!("[{json}]")),
        ));
    }
    group
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_cased_runs_of_letters_and_digits() {
        let w: Vec<String> = words("Key-value STORE, p99 (Größe) naïve_x").collect();
        assert_eq!(w, ["key", "value", "store", "p99", "größe", "naïve", "x"]);
        let long: Vec<String> = words(&"a".repeat(50)).collect();
        assert_eq!(long[0].len(), MAX_TERM_CHARS);
    }
}
