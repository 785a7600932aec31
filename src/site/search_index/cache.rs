//! What `serve` keeps of the search index between builds, so that a save re-indexes only the notes it changed and writes again only the pieces they fall in.

use super::{BITS, Part, group_size, index_note, note_groups, piece_len, shard_body, shard_ends};
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
    /// By term id: the length of its piece in a shard (`piece_len`).
    lens: Vec<usize>,
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
            lens: vec![0; lists.len()],
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
        index.lens.resize(names.len(), 0);
        let span = index.stride * BITS;
        let mut dirty = FxHashSet::default();
        for (position, old) in stale {
            let base = *position as u64 * span;
            let new = &self.notes[&index.order[*position]].terms;
            let old_ids = old.iter().flatten().map(|(id, _)| *id);
            for id in old_ids.chain(new.iter().map(|(id, _)| *id)) {
                let list = &mut index.lists[id as usize];
                let from = list.partition_point(|&p| p < base);
                let to = list.partition_point(|&p| p < base + span);
                list.drain(from..to);
                dirty.insert(id);
            }
            for (id, postings) in new {
                let list = &mut index.lists[*id as usize];
                let at = list.partition_point(|&p| p < base);
                list.splice(at..at, postings.iter().map(|p| base + p));
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
            let list = &index.lists[id as usize];
            index.lens[id as usize] = piece_len(&names[id as usize], list);
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
        let ends = shard_ends(index.sorted.iter().map(|&id| index.lens[id as usize]));
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
                    let lists = &index.lists;
                    let body = shard_body(
                        terms
                            .iter()
                            .map(|&id| (&*names[id as usize], &lists[id as usize][..])),
                    );
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
