//! What `serve` keeps of the search index between builds, so that a save re-indexes only the notes it changed and writes again only the pieces they fall in.

use super::{BITS, Part, group_size, index_note, note_groups, push_piece, shard_ends};
use crate::book::Book;
use crate::render::markdown::RenderedNote;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::Arc;

/// Each note's part of the index (its terms, interned so a term is stored once for the whole
/// book, with their postings, and its note-file entry), and the book-wide index made from them.
#[derive(Default)]
pub(crate) struct SearchCache {
    ids: FxHashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
    notes: FxHashMap<String, NoteIndex>,
    book: Option<BookIndex>,
}

/// One note's part of the index, with what it was made from: the rendering, the position
/// (the note's number) and the front matter it reads (`meta_key`).
struct NoteIndex {
    rendered: Arc<RenderedNote>,
    position: usize,
    meta_key: (String, String, Vec<String>),
    terms: Vec<(u32, Vec<u64>)>,
    entry: String,
}

/// What a note's index part reads besides its rendering: slug, title and tags.
fn meta_key(n: &crate::book::Note) -> (String, String, Vec<String>) {
    (n.slug.clone(), n.meta.title.clone(), n.meta.tags.clone())
}

/// The book-wide index of the last build: every term's postings, the terms in order, and the
/// pieces they were cut into.
struct BookIndex {
    stride: u64,
    /// Each note's path, by position: a note added, removed or moved shifts every posting
    /// after it, and the index is made again from the notes' parts.
    order: Vec<String>,
    /// By term id: the postings of every note (position folded in), in order.
    lists: Vec<Vec<u64>>,
    /// By term id: its piece of a shard as `push_piece` writes it, kept in step with its
    /// postings (empty: not written yet).
    texts: Vec<String>,
    /// The ids of the terms that occur, sorted by term.
    sorted: Vec<u32>,
    shards: Vec<Shard>,
    group: usize,
    groups: Vec<Part>,
}

/// A term shard of the last build: the terms it spans and its file.
struct Shard {
    first: u32,
    last: u32,
    count: usize,
    part: Part,
}

/// The notes a build indexed again: position, and the terms the note had before (none for a
/// note not indexed before).
type Stale = Vec<(usize, Option<Vec<(u32, Vec<u64>)>>)>;

impl SearchCache {
    /// The index's pieces (term shards, then note files), each shard's first term, and how
    /// many notes share a note file: exactly what a one-shot build makes.
    pub(super) fn files(
        &mut self,
        book: &Book,
        rendered: &[Arc<RenderedNote>],
        stride: u64,
    ) -> (Vec<Part>, Vec<String>, usize) {
        let stale = self.update(book, rendered);
        let same_order = self.book.as_ref().is_some_and(|b| {
            b.stride == stride
                && b.order.len() == book.notes.len()
                && b.order
                    .iter()
                    .zip(&book.notes)
                    .all(|(p, n)| *p == n.rel_path)
        });
        let dirty = if same_order {
            self.apply(&stale)
        } else {
            self.book = Some(self.whole(book, stride));
            (0..self.names.len() as u32).collect()
        };
        let firsts = self.cut_shards(&dirty, !same_order);
        let group = self.note_files(book, &stale, !same_order);
        let index = self.book.as_ref().expect("made above");
        let parts = index
            .shards
            .iter()
            .map(|s| s.part.clone())
            .chain(index.groups.iter().cloned())
            .collect();
        (parts, firsts, group)
    }

    /// Index again the notes whose rendering, position, slug, title or tags changed; forget
    /// removed notes. Returns the notes indexed again.
    fn update(&mut self, book: &Book, rendered: &[Arc<RenderedNote>]) -> Stale {
        let stale: Vec<usize> = book
            .notes
            .iter()
            .filter(|n| {
                !self.notes.get(&n.rel_path).is_some_and(|c| {
                    Arc::ptr_eq(&c.rendered, &rendered[n.index])
                        && c.position == n.index
                        && (&c.meta_key.0, &c.meta_key.1, &c.meta_key.2)
                            == (&n.slug, &n.meta.title, &n.meta.tags)
                })
            })
            .map(|n| n.index)
            .collect();
        let fresh: Vec<_> = stale
            .par_iter()
            .map(|&i| index_note(book, i, &rendered[i]))
            .collect();
        let mut out = Vec::with_capacity(stale.len());
        for (&i, (terms, entry)) in stale.iter().zip(fresh) {
            let terms = terms
                .into_iter()
                .map(|(t, list)| (self.intern(&t), list))
                .collect();
            let index = NoteIndex {
                rendered: rendered[i].clone(),
                position: i,
                meta_key: meta_key(&book.notes[i]),
                terms,
                entry,
            };
            let old = self.notes.insert(book.notes[i].rel_path.clone(), index);
            out.push((i, old.map(|o| o.terms)));
        }
        if self.notes.len() > book.notes.len() {
            let now: FxHashSet<&str> = book.notes.iter().map(|n| n.rel_path.as_str()).collect();
            self.notes.retain(|k, _| now.contains(k.as_str()));
        }
        out
    }

    fn intern(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(term.into());
        self.ids.insert(term.into(), id);
        id
    }

    /// The book-wide index made again from every note's part (the first build, or after a note
    /// was added, removed or moved).
    fn whole(&self, book: &Book, stride: u64) -> BookIndex {
        let mut lists: Vec<Vec<u64>> = vec![Vec::new(); self.names.len()];
        for n in &book.notes {
            let base = n.index as u64 * stride * BITS;
            for (id, list) in &self.notes[&n.rel_path].terms {
                lists[*id as usize].extend(list.iter().map(|p| base + p));
            }
        }
        let mut sorted: Vec<u32> = (0..lists.len() as u32)
            .filter(|&id| !lists[id as usize].is_empty())
            .collect();
        sorted.sort_unstable_by(|&a, &b| self.names[a as usize].cmp(&self.names[b as usize]));
        BookIndex {
            stride,
            order: book.notes.iter().map(|n| n.rel_path.clone()).collect(),
            texts: vec![String::new(); lists.len()],
            lists,
            sorted,
            shards: Vec::new(),
            group: 0,
            groups: Vec::new(),
        }
    }

    /// Replace the postings of the notes indexed again (at unchanged positions) in the
    /// book-wide lists; returns the ids of the terms whose postings changed.
    fn apply(&mut self, stale: &Stale) -> Vec<u32> {
        let names = &self.names;
        let index = self
            .book
            .as_mut()
            .expect("same order means an index exists");
        index.lists.resize(names.len(), Vec::new());
        index.texts.resize(names.len(), String::new());
        let span = index.stride * BITS;
        let mut dirty = FxHashSet::default();
        for (position, old) in stale {
            let base = *position as u64 * span;
            let new = &self.notes[&index.order[*position]].terms;
            let new_ids: FxHashMap<u32, &[u64]> =
                new.iter().map(|(id, list)| (*id, &list[..])).collect();
            let old_ids = old.iter().flatten().map(|(id, _)| *id);
            let ids: FxHashSet<u32> = old_ids.chain(new_ids.keys().copied()).collect();
            for id in ids {
                let (list, text) = (&mut index.lists[id as usize], &mut index.texts[id as usize]);
                let from = list.partition_point(|&p| p < base);
                let to = list.partition_point(|&p| p < base + span);
                let postings = new_ids.get(&id).copied().unwrap_or(&[]);
                let old_len = list.len();
                list.splice(from..to, postings.iter().map(|p| base + p));
                if list.is_empty() {
                    text.clear();
                } else if !text.is_empty() {
                    let header = json_len(&names[id as usize]) + 2;
                    let edit = Edit {
                        old_len,
                        from,
                        to,
                        count: postings.len(),
                    };
                    splice_piece(text, header, list, edit);
                }
                dirty.insert(id);
            }
        }
        for &id in &dirty {
            let found = index
                .sorted
                .binary_search_by(|&x| names[x as usize].cmp(&names[id as usize]));
            match (found, index.lists[id as usize].is_empty()) {
                (Ok(at), true) => {
                    index.sorted.remove(at);
                }
                (Err(at), false) => index.sorted.insert(at, id),
                _ => {}
            }
        }
        dirty.into_iter().collect()
    }

    /// Cut the sorted terms into shards and write those whose terms changed (all, with
    /// `all`); returns each shard's first term.
    fn cut_shards(&mut self, dirty: &[u32], all: bool) -> Vec<String> {
        let names = &self.names;
        let index = self.book.as_mut().expect("made before");
        for &id in dirty {
            let (list, text) = (&index.lists[id as usize], &mut index.texts[id as usize]);
            if text.is_empty() && !list.is_empty() {
                push_piece(text, &names[id as usize], list);
            }
        }
        let mut changed: Vec<usize> = dirty
            .iter()
            .filter_map(|&id| {
                index
                    .sorted
                    .binary_search_by(|&x| names[x as usize].cmp(&names[id as usize]))
                    .ok()
            })
            .collect();
        changed.sort_unstable();
        let ends = shard_ends(
            index
                .sorted
                .iter()
                .map(|&id| index.texts[id as usize].len()),
        );
        let old = std::mem::take(&mut index.shards);
        let mut start = 0;
        for (k, end) in ends.into_iter().enumerate() {
            let terms = &index.sorted[start..end];
            let (first, last) = (terms[0], terms[terms.len() - 1]);
            let touched = changed[changed.partition_point(|&c| c < start)..]
                .first()
                .is_some_and(|&c| c < end);
            let kept = old.get(k).filter(|s| {
                !all && !touched && s.first == first && s.last == last && s.count == terms.len()
            });
            let part = match kept {
                Some(s) => s.part.clone(),
                None => {
                    let texts = &index.texts;
                    let size: usize = terms.iter().map(|&id| texts[id as usize].len() + 1).sum();
                    let mut body = String::with_capacity(size + 1);
                    body.push('{');
                    for (i, &id) in terms.iter().enumerate() {
                        if i > 0 {
                            body.push(',');
                        }
                        body.push_str(&texts[id as usize]);
                    }
                    body.push('}');
                    Part::new(&format!("t{k}"), &body)
                }
            };
            index.shards.push(Shard {
                first,
                last,
                count: terms.len(),
                part,
            });
            start = end;
        }
        index
            .shards
            .iter()
            .map(|s| names[s.first as usize].to_string())
            .collect()
    }

    /// Write the note files holding notes indexed again (all, with `all` or when the number
    /// of notes per file changed); returns that number.
    fn note_files(&mut self, book: &Book, stale: &Stale, all: bool) -> usize {
        let entries: Vec<&str> = book
            .notes
            .iter()
            .map(|n| self.notes[&n.rel_path].entry.as_str())
            .collect();
        let group = group_size(&entries);
        let index = self.book.as_mut().expect("made before");
        let count = entries.len().div_ceil(group);
        if all || group != index.group || index.groups.len() != count {
            index.groups = note_groups(&entries, group, 0..count).collect();
        } else {
            let mut todo: Vec<usize> = stale.iter().map(|(i, _)| i / group).collect();
            todo.sort_unstable();
            todo.dedup();
            for (g, part) in todo
                .iter()
                .zip(note_groups(&entries, group, todo.iter().copied()))
            {
                index.groups[*g] = part;
            }
        }
        index.group = group;
        group
    }
}

/// The length of a term written as a JSON string.
fn json_len(term: &str) -> usize {
    serde_json::to_string(term).map_or(0, |s| s.len())
}

/// A replacement in a term's postings: `old_len` postings, of which `from..to` were replaced
/// by `count` new ones (now at `from..from + count`).
#[derive(Clone, Copy, Debug)]
struct Edit {
    old_len: usize,
    from: usize,
    to: usize,
    count: usize,
}

/// Bring a term's piece text (`header` bytes of `"term":[`, then the delta-coded postings,
/// then `]`) in step with `list` after `edit`: only the numbers that changed are written
/// again (the new postings' and the delta of the one after them); the text before and after
/// them is kept as it is. For a long posting list this is a copy, not a rewrite.
fn splice_piece(text: &mut String, header: usize, list: &[u64], edit: Edit) {
    let Edit {
        old_len,
        from,
        to,
        count,
    } = edit;
    let end_old = (to + 1).min(old_len);
    let end_new = (from + count + 1).min(list.len());
    // Byte offsets where old numbers `from` and `end_old` start (`old_len`: the `]`).
    let numbers = &text.as_bytes()[header..text.len() - 1];
    let mut commas = memchr::memchr_iter(b',', numbers).map(|c| header + c + 1);
    let mut seen = 0;
    let mut start_of = |i: usize| -> usize {
        if i == 0 {
            return header;
        }
        if i == old_len {
            return text.len() - 1;
        }
        let at = commas
            .nth(i - 1 - seen)
            .expect("a comma before each number");
        seen = i;
        at
    };
    let mut a = start_of(from);
    let b = start_of(end_old);
    let mut middle = String::new();
    let mut digits = itoa::Buffer::new();
    for i in from..end_new {
        if i > from {
            middle.push(',');
        }
        let prev = if i == 0 { 0 } else { list[i - 1] };
        middle.push_str(digits.format(list[i] - prev));
    }
    if from > 0 && from == old_len && !middle.is_empty() {
        // Appended after the last number, which has no comma after it.
        middle.insert(0, ',');
    }
    if end_old < old_len {
        // A number follows: the replaced run ended with its comma.
        middle.push(',');
    } else if middle.is_empty() && from > 0 && from < old_len {
        // The list now ends before `from`: drop the comma that led to the numbers removed.
        a -= 1;
    }
    text.replace_range(a..b, &middle);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn a_spliced_piece_equals_one_written_afresh(
            mut old in proptest::collection::vec(0u64..1_000_000, 0..30),
            new in proptest::collection::vec(0u64..1_000_000, 0..8),
            a in 0usize..40,
            b in 0usize..40,
        ) {
            old.sort_unstable();
            let mut text = String::new();
            push_piece(&mut text, "t\u{e9}rm", &old);
            let (from, to) = (a.min(old.len()), b.min(old.len()));
            let (from, to) = (from.min(to), from.max(to));
            // Keep the list sorted: new postings fit between their neighbours.
            let low = if from == 0 { 0 } else { old[from - 1] };
            let high = old.get(to).copied().unwrap_or(u64::MAX / 2);
            let mut fresh: Vec<u64> = new.iter().map(|p| low + p % (high - low + 1)).collect();
            fresh.sort_unstable();
            let mut list = old.clone();
            list.splice(from..to, fresh.iter().copied());
            let edit = Edit { old_len: old.len(), from, to, count: fresh.len() };
            splice_piece(&mut text, json_len("t\u{e9}rm") + 2, &list, edit);
            let mut want = String::new();
            push_piece(&mut want, "t\u{e9}rm", &list);
            prop_assert_eq!(text, want);
        }
    }
}
