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
use crate::output::Bytes;
use crate::render::markdown::RenderedNote;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::borrow::Cow;
use std::hash::{Hash, Hasher};

mod cache;
pub(crate) use cache::SearchCache;

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

/// Is `path` one of the search index's files (its manifest or a piece)?
pub(crate) fn owns(path: &str) -> bool {
    path == "search-index.js"
        || path
            .strip_prefix(DIR)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// A word of a text: a run of letters and digits, as written.
#[derive(Clone, Copy)]
pub(crate) struct Word<'a> {
    text: &'a str,
    /// Only ASCII lower-case letters and digits: the word is its own term when short enough.
    plain: bool,
}

impl<'a> Word<'a> {
    /// The word as a search term: lower-cased, at most `MAX_TERM_CHARS` long. The text itself
    /// when it already is one (most words); else `None`, and the term is made in `scratch`.
    fn term(&self, scratch: &mut String) -> Option<&'a str> {
        if self.plain && self.text.len() <= MAX_TERM_CHARS {
            return Some(self.text);
        }
        scratch.clear();
        scratch.extend(
            self.text
                .chars()
                .flat_map(char::to_lowercase)
                .take(MAX_TERM_CHARS),
        );
        None
    }
}

/// The words of `text`: runs of letters and digits. As terms (`Word::term`) they are what the
/// browser makes of a query (`terms` in app.js). ASCII is read a byte at a time: the index
/// reads every word of the book.
pub(crate) fn words(text: &str) -> impl Iterator<Item = Word<'_>> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        while !char_at(text, i)?.is_alphanumeric() {
            i += char_at(text, i)?.len_utf8();
        }
        let (start, mut plain) = (i, true);
        while let Some(c) = char_at(text, i).filter(|c| c.is_alphanumeric()) {
            plain &= c.is_ascii_lowercase() || c.is_ascii_digit();
            i += c.len_utf8();
        }
        Some(Word {
            text: &text[start..i],
            plain,
        })
    })
}

/// The character at byte `i` of `text` (a char boundary), ASCII without decoding.
fn char_at(text: &str, i: usize) -> Option<char> {
    match *text.as_bytes().get(i)? {
        b if b.is_ascii() => Some(char::from(b)),
        _ => text[i..].chars().next(),
    }
}

/// What one note says of a term in one chunk: the heading/title/tag bits and the body count.
#[derive(Default)]
struct Mark {
    bits: u64,
    body: u32,
}

impl Mark {
    fn posting(&self, chunk: u64) -> u64 {
        let body = match self.body {
            0 => 0,
            1 | 2 => IN_BODY,
            _ => IN_BODY | BODY_OFTEN,
        };
        chunk * BITS + (self.bits | body)
    }
}

/// One note's terms, each with its postings (chunk << 5 | bits) in chunk order. Terms are in
/// no particular order; most borrow the note's own text.
type Postings<'a> = Vec<(Cow<'a, str>, Vec<u64>)>;

/// A note's terms as it reads them: each term's (chunk, mark) list grows in chunk order, since
/// the title and tags come first (chunk 0) and the chunks follow in turn.
struct NoteTerms<'a> {
    ids: FxHashMap<Cow<'a, str>, usize>,
    lists: Vec<Vec<(u64, Mark)>>,
    /// Where a word that is not its own term is lower-cased before it is looked up.
    scratch: String,
}

impl<'a> NoteTerms<'a> {
    fn new() -> Self {
        // Room for a typical note's distinct terms, so the map rarely grows.
        NoteTerms {
            ids: FxHashMap::with_capacity_and_hasher(512, Default::default()),
            lists: Vec::with_capacity(512),
            scratch: String::new(),
        }
    }

    fn mark(&mut self, word: Word<'a>, chunk: u64) -> &mut Mark {
        let borrowed = word.term(&mut self.scratch);
        let found = self.ids.get(borrowed.unwrap_or(&self.scratch)).copied();
        let i = match found {
            Some(i) => i,
            None => {
                let key = borrowed.map_or_else(|| Cow::Owned(self.scratch.clone()), Cow::Borrowed);
                self.lists.push(Vec::new());
                self.ids.insert(key, self.lists.len() - 1);
                self.lists.len() - 1
            }
        };
        let list = &mut self.lists[i];
        if list.last().map(|(c, _)| *c) != Some(chunk) {
            list.push((chunk, Mark::default()));
        }
        &mut list.last_mut().expect("pushed above").1
    }

    fn postings(self) -> Postings<'a> {
        let mut lists: Vec<Option<Vec<(u64, Mark)>>> = self.lists.into_iter().map(Some).collect();
        self.ids
            .into_iter()
            .map(|(t, i)| {
                let list = lists[i].take().unwrap_or_default();
                (t, list.iter().map(|(c, m)| m.posting(*c)).collect())
            })
            .collect()
    }
}

/// One note's terms and their postings (see `Postings`).
fn note_postings<'a>(book: &'a Book, position: usize, r: &'a RenderedNote) -> Postings<'a> {
    let note = &book.notes[position];
    let mut terms = NoteTerms::new();
    for w in words(&note.meta.title) {
        terms.mark(w, 0).bits |= IN_TITLE;
    }
    for t in &note.meta.tags {
        for w in words(t) {
            terms.mark(w, 0).bits |= IN_TAGS;
        }
    }
    for (c, (id, text)) in r.chunks.iter().enumerate() {
        let c = c as u64;
        for w in words(heading_text(r, id)) {
            terms.mark(w, c).bits |= IN_HEADING;
        }
        for w in words(text) {
            terms.mark(w, c).body += 1;
        }
    }
    terms.postings()
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

/// One file of the index: its site path, its contents (shared, so that a piece `serve` did not
/// need to write again is the very same allocation as in the last build) and a hash of them.
#[derive(Clone)]
pub(crate) struct Part {
    pub(crate) path: String,
    pub(crate) bytes: Bytes,
    hash: u64,
}

impl Part {
    fn new(key: &str, json: &str) -> Part {
        let js = part_js(key, json);
        let mut h = std::collections::hash_map::DefaultHasher::new();
        js.hash(&mut h);
        Part {
            path: format!("{DIR}/{key}.js"),
            bytes: std::sync::Arc::new(js.into_bytes()),
            hash: h.finish(),
        }
    }
}

/// Every file of the search index: `search-index.js` (the manifest) and the pieces under
/// `search-index/`, each handed to `put` as soon as it is made (a one-shot build writes it out
/// then, so the pieces never all exist at once). With `cache` (`serve`), only the notes whose
/// rendering changed are read again and only the pieces they fall in are written again; the
/// files are the same either way. Returns their total length.
pub(crate) fn files(
    book: &Book,
    rendered: &[std::sync::Arc<RenderedNote>],
    cache: Option<&mut SearchCache>,
    put: &mut dyn FnMut(String, Bytes) -> anyhow::Result<()>,
) -> anyhow::Result<usize> {
    // Chunk ids are note * stride + chunk, so the browser can tell a chunk's note.
    let stride = rendered
        .iter()
        .map(|r| r.chunks.len())
        .max()
        .unwrap_or(1)
        .max(1) as u64;
    // Pieces are fetched with this hash of their contents in the URL, so no cache serves an old one.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let mut total = 0;
    let mut emit = |p: Part| {
        p.path.hash(&mut h);
        p.hash.hash(&mut h);
        total += p.bytes.len();
        put(p.path, p.bytes)
    };
    let (shard_firsts, group) = match cache {
        None => {
            // The terms first, then the note files: their two big buffers are never held at once.
            let terms = index_terms(book, rendered, stride);
            let firsts = term_shards(&terms, &mut emit)?;
            drop(terms);
            let group = note_files(book, rendered, &mut emit)?;
            (firsts, group)
        }
        Some(cache) => {
            let (parts, firsts, group) = cache.files(book, rendered, stride);
            for part in parts {
                emit(part)?;
            }
            (firsts, group)
        }
    };
    let manifest = serde_json::json!({
        "v": 1,
        "h": format!("{:x}", h.finish() & 0xffff_ffff),
        "t": shard_firsts,
        "g": group,
        "c": stride,
        "n": book.notes.len(),
    });
    let js = format!("window.HANDBOOK_SEARCH_INDEX={manifest};\n").into_bytes();
    total += js.len();
    put("search-index.js".into(), std::sync::Arc::new(js))?;
    Ok(total)
}

/// One note's terms with their postings, and its note-file entry as JSON.
fn index_note<'a>(book: &'a Book, position: usize, r: &'a RenderedNote) -> (Postings<'a>, String) {
    (
        note_postings(book, position, r),
        note_entry_json(book, position, r),
    )
}

/// A note's entry in its note file, as JSON without growth slack (a book's entries are all held
/// until the note files are cut).
fn note_entry_json(book: &Book, position: usize, r: &RenderedNote) -> String {
    let mut entry = serde_json::to_string(&note_entry(book, position, r)).unwrap_or_default();
    entry.shrink_to_fit();
    entry
}

/// Every term of the book with its book-wide postings.
type Terms<'a> = Vec<(Cow<'a, str>, Vec<u64>)>;

/// Notes indexed in parallel this many at a time, each batch merged before the next: the
/// notes' own postings never all exist at once.
const BATCH: usize = 256;

/// Every term of the book with its postings (note position folded in), sorted by term.
fn index_terms<'a>(
    book: &'a Book,
    rendered: &'a [std::sync::Arc<RenderedNote>],
    stride: u64,
) -> Terms<'a> {
    let mut postings: FxHashMap<Cow<'a, str>, Vec<u64>> = FxHashMap::default();
    for (b, batch) in book.notes.chunks(BATCH).enumerate() {
        let per_note: Vec<Postings> = batch
            .par_iter()
            .map(|n| note_postings(book, n.index, &rendered[n.index]))
            .collect();
        for (k, terms) in per_note.into_iter().enumerate() {
            let position = b * BATCH + k;
            let base = position as u64 * stride * BITS;
            for (t, list) in terms {
                postings
                    .entry(t)
                    .or_default()
                    .extend(list.iter().map(|p| base + p));
            }
        }
    }
    let mut terms: Terms = postings.into_iter().collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    terms
}

/// Cut the sorted terms into shards of about `SHARD_BYTES`; returns each shard's first term.
fn term_shards(
    terms: &Terms,
    out: &mut dyn FnMut(Part) -> anyhow::Result<()>,
) -> anyhow::Result<Vec<String>> {
    let mut firsts = Vec::new();
    let ends = shard_ends(terms.iter().map(|(t, list)| piece_len(t, list)));
    let mut start = 0;
    for end in ends {
        let body = shard_body(
            terms[start..end]
                .iter()
                .map(|(t, list)| (t.as_ref(), &list[..])),
        );
        out(Part::new(&format!("t{}", firsts.len()), &body))?;
        firsts.push(terms[start].0.to_string());
        start = end;
    }
    Ok(firsts)
}

/// Where sorted terms whose pieces are `lens` long are cut into shards: the end of each shard.
/// A shard takes terms until its text (pieces joined by commas) reaches `SHARD_BYTES`.
fn shard_ends(lens: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut ends = Vec::new();
    let (mut size, mut open, mut count) = (0, false, 0);
    for len in lens {
        size += len + usize::from(open);
        open = true;
        count += 1;
        if size >= SHARD_BYTES {
            ends.push(count);
            (size, open) = (0, false);
        }
    }
    if open {
        ends.push(count);
    }
    ends
}

/// A shard's JSON object: each term with its delta-coded postings.
fn shard_body<'t>(terms: impl Iterator<Item = (&'t str, &'t [u64])>) -> String {
    let mut body = String::from("{");
    for (i, (t, list)) in terms.enumerate() {
        if i > 0 {
            body.push(',');
        }
        push_piece(&mut body, t, list);
    }
    body.push('}');
    body
}

/// `"term":[d,d,...]`: a term and its postings, each as the difference from the one before.
fn push_piece(body: &mut String, term: &str, list: &[u64]) {
    body.push_str(&serde_json::to_string(term).unwrap_or_default());
    body.push_str(":[");
    let mut prev = 0;
    let mut digits = itoa::Buffer::new();
    for (i, p) in list.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(digits.format(p - prev));
        prev = *p;
    }
    body.push(']');
}

/// The length of what `push_piece` writes, counted without writing it.
fn piece_len(term: &str, list: &[u64]) -> usize {
    let plain = !term.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\');
    let json = if plain {
        term.len() + 2
    } else {
        serde_json::to_string(term).map_or(0, |s| s.len())
    };
    let mut prev = 0;
    let digits: usize = list
        .iter()
        .map(|&p| {
            let d = p - prev;
            prev = p;
            d.checked_ilog10().map_or(1, |l| l as usize + 1)
        })
        .sum();
    json + 3 + digits + list.len().saturating_sub(1)
}

/// How many notes share a note file: enough for about `GROUP_BYTES` each.
fn group_size(entries: &[&str]) -> usize {
    group_size_of(entries.iter().map(|e| e.len()).sum(), entries.len())
}

/// How many notes a note file holds, for `count` entries `total` bytes long in all.
fn group_size_of(total: usize, count: usize) -> usize {
    (count * GROUP_BYTES / total.max(1)).clamp(1, 64)
}

/// Note files made this many at a time, in parallel.
const GROUPS_AT_ONCE: usize = 16;

/// The note files of a one-shot build, handed to `emit` in order; returns the group size. The
/// entries are made twice, once to measure them (the group size depends on their total
/// length) and once a few files at a time, so that they are never all held.
fn note_files(
    book: &Book,
    rendered: &[std::sync::Arc<RenderedNote>],
    emit: &mut dyn FnMut(Part) -> anyhow::Result<()>,
) -> anyhow::Result<usize> {
    let entry = |i: usize| note_entry_json(book, i, &rendered[i]);
    let total: usize = (0..book.notes.len())
        .into_par_iter()
        .map(|i| entry(i).len())
        .sum();
    let group = group_size_of(total, book.notes.len());
    let groups: Vec<usize> = (0..book.notes.len().div_ceil(group)).collect();
    for batch in groups.chunks(GROUPS_AT_ONCE) {
        let parts: Vec<Part> = batch
            .par_iter()
            .map(|&g| {
                let notes = g * group..((g + 1) * group).min(book.notes.len());
                let entries: Vec<String> = notes.map(entry).collect();
                Part::new(&format!("n{g}"), &format!("[{}]", entries.join(",")))
            })
            .collect();
        for part in parts {
            emit(part)?;
        }
    }
    Ok(group)
}

/// The note files `groups` (by number), each holding `group` consecutive notes' entries.
fn note_groups(
    entries: &[&str],
    group: usize,
    groups: impl Iterator<Item = usize>,
) -> impl Iterator<Item = Part> {
    groups.map(move |g| {
        let notes = &entries[g * group..((g + 1) * group).min(entries.len())];
        Part::new(&format!("n{g}"), &format!("[{}]", notes.join(",")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    impl Word<'_> {
        fn to_term(self) -> String {
            let mut scratch = String::new();
            self.term(&mut scratch).map_or(scratch, str::to_string)
        }
    }

    /// `words` as first written: split on every character that is not a letter or digit.
    fn words_by_split(text: &str) -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| {
                w.chars()
                    .flat_map(char::to_lowercase)
                    .take(MAX_TERM_CHARS)
                    .collect()
            })
            .collect()
    }

    proptest! {
        #[test]
        fn words_split_as_the_reference_does(
            text in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "Z", "7", " ", "-", "_", "\u{2014}", "\u{2019}", "\u{e9}", "\u{c9}", "\u{df}",
                    "\u{130}", "\u{663}", "\u{4e2d}", "\u{1f600}", "\u{a0}", "\n", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                ]),
                0..60,
            ).prop_map(|v| v.concat())
        ) {
            let fast: Vec<String> = words(&text).map(Word::to_term).collect();
            prop_assert_eq!(fast, words_by_split(&text));
        }
    }

    proptest! {
        #[test]
        fn piece_len_counts_what_push_piece_writes(
            term in "[a-z\u{e9}\u{4e2d}\"\\\\\n]{1,12}",
            mut list in proptest::collection::vec(0u64..5_000_000_000, 0..40),
        ) {
            list.sort_unstable();
            let mut s = String::new();
            push_piece(&mut s, &term, &list);
            prop_assert_eq!(piece_len(&term, &list), s.len());
        }

        #[test]
        fn shards_are_cut_where_their_text_reaches_the_size(
            lens in proptest::collection::vec(1usize..30_000, 0..20),
        ) {
            // The reference: join pieces of those lengths with commas, cut at SHARD_BYTES.
            let (mut want, mut body) = (Vec::new(), String::new());
            for (i, len) in lens.iter().enumerate() {
                if !body.is_empty() {
                    body.push(',');
                }
                body.push_str(&"x".repeat(*len));
                if body.len() >= SHARD_BYTES {
                    want.push(i + 1);
                    body.clear();
                }
            }
            if !body.is_empty() {
                want.push(lens.len());
            }
            prop_assert_eq!(shard_ends(lens.into_iter()), want);
        }
    }

    #[test]
    fn words_are_lower_cased_runs_of_letters_and_digits() {
        let w: Vec<String> = words("Key-value STORE, p99 (Größe) naïve_x")
            .map(Word::to_term)
            .collect();
        assert_eq!(w, ["key", "value", "store", "p99", "größe", "naïve", "x"]);
        let long: Vec<String> = words(&"a".repeat(50)).map(Word::to_term).collect();
        assert_eq!(long[0].len(), MAX_TERM_CHARS);
        let long: Vec<String> = words(&"É".repeat(50)).map(Word::to_term).collect();
        assert_eq!(long[0].chars().count(), MAX_TERM_CHARS);
        assert!(long[0].chars().all(|c| c == 'é'));
    }
}
