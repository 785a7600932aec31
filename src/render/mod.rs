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
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Renderings kept between builds (by `serve`): note path -> (source key, rendering).
pub(crate) type NoteCache = HashMap<String, (u64, Arc<RenderedNote>)>;

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
        .iter()
        .map(|n| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            set_sig.hash(&mut h);
            n.body.hash(&mut h);
            n.body_line.hash(&mut h);
            n.lines.hash(&mut h);
            h.finish()
        })
        .collect();
    // Code blocks of the notes about to render are highlighted first, grouped by language.
    highlight::warm(
        book.notes
            .par_iter()
            .zip(keys.par_iter())
            .filter(|(n, key)| !matches!(cache.get(&n.rel_path), Some((k, _)) if k == *key))
            .map(|(n, _)| &*n.body),
    );
    let results: Vec<(Arc<RenderedNote>, bool)> = book
        .notes
        .par_iter()
        .zip(keys.par_iter())
        .map(|(n, &key)| {
            let r = match cache.get(&n.rel_path) {
                Some((k, r)) if *k == key => (r.clone(), false),
                _ => {
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
    *cache = book
        .notes
        .iter()
        .zip(results.iter())
        .map(|(n, (r, _))| (n.rel_path.clone(), (r.source_hash, r.clone())))
        .collect();
    (results.into_iter().map(|(r, _)| r).collect(), rerendered)
}
