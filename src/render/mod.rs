//! Rendering: each note's Markdown to HTML once, with code highlighted and diagrams drawn.

mod bounded_cache;
pub(crate) mod callout;
pub mod card;
pub mod diagram;
pub mod highlight;
pub mod markdown;
pub(crate) mod marker;
pub(crate) mod math;

use crate::book::Book;
use crate::term::Progress;
use markdown::{Lookup, RenderedNote};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Renderings kept between builds (by `serve`), by note path, with the set of notes they
/// were made against.
#[derive(Default)]
pub(crate) struct NoteCache {
    set_sig: u64,
    notes: FxHashMap<String, Cached>,
}

/// A rendering and what it was made from: the note's text (the very allocation the loader
/// made, which it keeps while the file is unchanged) and the key of its source.
struct Cached {
    key: u64,
    body: Arc<str>,
    rendered: Arc<RenderedNote>,
}

impl NoteCache {
    pub(crate) fn clear(&mut self) {
        self.notes.clear();
    }

    fn get(&self, rel_path: &str, key: u64) -> Option<&Arc<RenderedNote>> {
        self.notes
            .get(rel_path)
            .filter(|c| c.key == key)
            .map(|c| &c.rendered)
    }
}

/// Render every note, reusing the renderings in `cache` whose source and set of notes are
/// unchanged; returns the renderings in book order and how many were made afresh.
pub(crate) fn render_all(
    book: &Book,
    cache: &mut NoteCache,
    progress: &Progress,
) -> (Vec<Arc<RenderedNote>>, usize) {
    let lookup = Lookup::new(book);
    // Links resolve against the set of notes: when it changes, every note renders again.
    let set_sig = {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for n in &book.notes {
            n.rel_path.hash(&mut h);
            n.slug.hash(&mut h);
        }
        h.finish()
    };
    let keys: Vec<u64> = book
        .notes
        .par_iter()
        .map(|n| source_key(n, set_sig, cache))
        .collect();
    // Code blocks of the notes about to render are highlighted first, grouped by language.
    highlight::warm(
        book.notes
            .par_iter()
            .zip(keys.par_iter())
            .filter(|(n, key)| cache.get(&n.rel_path, **key).is_none())
            .map(|(n, _)| &*n.body),
    );
    let results: Vec<(Arc<RenderedNote>, bool)> = book
        .notes
        .par_iter()
        .zip(keys.par_iter())
        .map(|(n, &key)| {
            let r = match cache.get(&n.rel_path, key) {
                Some(r) => (r.clone(), false),
                None => {
                    let mut r = markdown::render(n, &lookup);
                    r.source_hash = key;
                    (Arc::new(r), true)
                }
            };
            progress.inc(1);
            r
        })
        .collect();
    let rerendered = results.iter().filter(|(_, fresh)| *fresh).count();
    cache.set_sig = set_sig;
    cache.notes = book
        .notes
        .iter()
        .zip(results.iter())
        .map(|(n, (r, _))| {
            let cached = Cached {
                key: r.source_hash,
                body: n.body.clone(),
                rendered: r.clone(),
            };
            (n.rel_path.clone(), cached)
        })
        .collect();
    (results.into_iter().map(|(r, _)| r).collect(), rerendered)
}

/// The key a note's rendering is kept under: the set of notes and the note's source. A note
/// whose text is the allocation the last build rendered (its file was not read again) keeps
/// its key without hashing the text again.
fn source_key(n: &crate::book::Note, set_sig: u64, cache: &NoteCache) -> u64 {
    if cache.set_sig == set_sig
        && let Some(c) = cache.notes.get(&n.rel_path)
        && Arc::ptr_eq(&c.body, &n.body)
    {
        return c.key;
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    set_sig.hash(&mut h);
    n.body.hash(&mut h);
    n.body_line.hash(&mut h);
    n.lines.hash(&mut h);
    h.finish()
}
