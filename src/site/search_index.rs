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

/// Every file of the search index, handed to `emit` as (site path, contents) in order: the
/// pieces under `search-index/`, then `search-index.js` (the manifest). Returns their size.
pub(crate) fn files(
    book: &Book,
    rendered: &[std::sync::Arc<RenderedNote>],
    emit: &(dyn Fn(String, String) -> anyhow::Result<()> + Sync),
) -> anyhow::Result<usize> {
    // Chunk ids are note * stride + chunk, so the browser can tell a chunk's note.
    let stride = rendered
        .iter()
        .map(|r| r.chunks.len())
        .max()
        .unwrap_or(1)
        .max(1) as u64;
    let (postings, entry_bytes) = postings_and_sizes(book, rendered, stride);
    let mut shards = Vec::new();
    let shard_firsts = term_shards(postings, &mut shards);
    let group = group_size(book.notes.len(), entry_bytes);
    // Pieces are fetched with this hash of their contents in the URL, so no cache serves an old
    // one: the hash of the list of (path, script) pieces, taken as each piece is handed on.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    std::hash::Hasher::write_usize(&mut h, shards.len() + book.notes.len().div_ceil(group));
    let mut bytes = 0;
    let mut send = |path: String, js: String| {
        std::hash::Hash::hash(&path, &mut h);
        std::hash::Hash::hash(&js, &mut h);
        bytes += js.len();
        emit(path, js)
    };
    for (path, js) in shards {
        send(path, js)?;
    }
    note_groups(book, rendered, group, &mut send)?;
    let manifest = serde_json::json!({
        "v": 1,
        "h": format!("{:x}", std::hash::Hasher::finish(&h) & 0xffff_ffff),
        "t": shard_firsts,
        "g": group,
        "c": stride,
        "n": book.notes.len(),
    });
    let js = format!("window.HANDBOOK_SEARCH_INDEX={manifest};\n");
    bytes += js.len();
    emit("search-index.js".into(), js)?;
    Ok(bytes)
}

/// Notes made into postings at a time: each batch is merged into the index's one copy of each
/// term before the next is made (a note's own postings hold its terms once more each).
const BATCH: usize = 256;

/// Every term's postings (in note order, each note's sorted), and the size of all the notes'
/// entries in the note files (the entries themselves are made again as the files are written:
/// holding them all would cost as much memory as the files).
fn postings_and_sizes(
    book: &Book,
    rendered: &[std::sync::Arc<RenderedNote>],
    stride: u64,
) -> (HashMap<String, Vec<u64>>, usize) {
    let mut postings: HashMap<String, Vec<u64>> = HashMap::new();
    let mut entry_bytes = 0;
    for batch in book.notes.chunks(BATCH) {
        let made: Vec<(Vec<(String, u64)>, usize)> = batch
            .par_iter()
            .map(|n| {
                let r = &rendered[n.index];
                (
                    note_postings(book, n.index, r),
                    entry_json_of(book, n.index, r).len(),
                )
            })
            .collect();
        for (n, (terms, entry)) in batch.iter().zip(made) {
            let base = n.index as u64 * stride * BITS;
            for (t, p) in terms {
                match postings.get_mut(t.as_str()) {
                    Some(list) => list.push(base + p),
                    None => {
                        postings.insert(t, vec![base + p]);
                    }
                }
            }
            entry_bytes += entry;
        }
    }
    (postings, entry_bytes)
}

/// Cut the sorted terms into shards of about `SHARD_BYTES`; returns each shard's first term.
fn term_shards(
    postings: HashMap<String, Vec<u64>>,
    out: &mut Vec<(String, String)>,
) -> Vec<String> {
    let mut terms: Vec<(String, Vec<u64>)> = postings.into_iter().collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
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

/// How many consecutive notes share a note file.
fn group_size(notes: usize, entry_bytes: usize) -> usize {
    (notes * GROUP_BYTES / entry_bytes.max(1)).clamp(1, 64)
}

/// Hand on the note files, each holding `group` consecutive notes.
fn note_groups(
    book: &Book,
    rendered: &[std::sync::Arc<RenderedNote>],
    group: usize,
    send: &mut dyn FnMut(String, String) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    // A batch of groups is made in parallel, then handed on in order.
    let groups: Vec<&[crate::book::Note]> = book.notes.chunks(group).collect();
    for (b, batch) in groups.chunks(BATCH.div_ceil(group)).enumerate() {
        let made: Vec<String> = batch
            .par_iter()
            .map(|notes| {
                let entries: Vec<String> = notes
                    .iter()
                    .map(|n| entry_json_of(book, n.index, &rendered[n.index]))
                    .collect();
                entries.join(",")
            })
            .collect();
        for (k, json) in made.into_iter().enumerate() {
            let g = b * BATCH.div_ceil(group) + k;
            let key = format!("n{g}");
            send(
                format!("{DIR}/{key}.js"),
                part_js(&key, &format!("[{json}]")),
            )?;
        }
    }
    Ok(())
}

/// One note's entry in its note file, as JSON.
fn entry_json_of(book: &Book, position: usize, r: &RenderedNote) -> String {
    serde_json::to_string(&note_entry(book, position, r)).unwrap_or_default()
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
