//! What `serve` keeps between builds so that an edit re-renders and recomposes only what it touched.

use crate::book;
use crate::output::Bytes;
use crate::render::NoteCache;
use crate::render::markdown::RenderedNote;
use std::collections::HashMap;
use std::sync::Arc;

/// Rendered notes kept between builds (by `serve`), keyed by path, reused when the source is unchanged.
#[derive(Default)]
pub struct Cache {
    pub(super) files: book::FileCache,
    pub(super) notes: NoteCache,
    pub(super) compose: ComposeCache,
    /// The templates, static files and code colours of the last build.
    pub(super) theme: Option<Arc<super::compose::Theme>>,
    /// Whether the next build was told what changed, and that all of it is under `notes/`
    /// (then the theme is kept); a build not told reads the theme again.
    pub(super) theme_kept: Option<bool>,
    /// `notes/` of the book last built.
    pub(super) notes_dir: Option<std::path::PathBuf>,
    /// A one-shot build keeps nothing for a next build (less memory at the peak).
    pub(super) single: bool,
}

impl Cache {
    /// A cache for one build that will not be followed by another (`handbook build`): the
    /// all-notes views and the page skeleton are dropped as soon as the page is composed.
    pub fn single_build() -> Cache {
        Cache {
            single: true,
            compose: ComposeCache {
                single: true,
                ..ComposeCache::default()
            },
            ..Cache::default()
        }
    }

    /// Which source files changed since the last build (absolute paths, from the watcher):
    /// the next build reads only those notes instead of walking `notes/`. With `exact` false
    /// (the watcher may have missed events), the next build looks at every file.
    pub fn changed_since_last_build(&mut self, paths: &[std::path::PathBuf], exact: bool) {
        let notes_only = exact
            && paths
                .iter()
                .all(|p| self.notes_dir.as_ref().is_some_and(|d| p.starts_with(d)));
        self.theme_kept = Some(self.theme_kept.unwrap_or(true) && notes_only);
        if exact {
            self.files.changed_since_last_load(paths);
        } else {
            self.files.changes_unknown();
        }
    }

    /// After a one-shot build's compose: drop what only a next build would use, and the
    /// notes' search text (it is in `search-index.js` now; nothing after compose reads it).
    pub(super) fn forget_between_builds(&mut self, rendered: &mut [Arc<RenderedNote>]) {
        self.compose = ComposeCache {
            single: true,
            ..ComposeCache::default()
        };
        self.notes.clear();
        for r in rendered {
            if let Some(r) = Arc::get_mut(r) {
                r.chunks = Vec::new();
            }
        }
    }
}

/// Composed pages kept between builds, each under a key of everything it shows, so an edit
/// recomposes only the pages that show the edited note (its page, its neighbours, the
/// all-notes page, its tag pages).
#[derive(Default)]
pub(crate) struct ComposeCache {
    /// Site path -> (key, bytes).
    pub(super) pages: HashMap<String, (u64, Bytes)>,
    /// Note path -> its all-notes view.
    pub(super) html: HashMap<String, NoteHtml>,
    /// The all-notes page with a placeholder per note body, and the key it was made under.
    pub(super) skeleton: Option<(u64, Vec<Piece>)>,
    /// The all-notes page of the last two builds, whose memory is reused.
    pub(super) index_page: Recycle,
    /// Note path -> the note's summary key and what it was computed from.
    pub(super) summaries: rustc_hash::FxHashMap<String, SummaryMemo>,
    /// Each note's part of the search index (not kept by a one-shot build).
    pub(super) search: super::search_index::SearchCache,
    /// Nothing is kept for a next build: each note's all-notes view and search fragment are
    /// written straight into their files instead of being kept per note (less memory).
    pub(super) single: bool,
}

/// The output of the last two builds for one big file: the older one's memory is reused for
/// the next build once nothing serves it any more. At 5,000 notes the all-notes page is ~50 MB;
/// faulting in that many fresh pages on every rebuild costs more than copying into warm ones.
#[derive(Default)]
pub(super) struct Recycle([Option<Bytes>; 2]);

impl Recycle {
    /// An empty buffer, with the capacity of the build before last when it is free.
    pub(super) fn take(&mut self) -> Vec<u8> {
        let mut v = self.0[0]
            .take()
            .and_then(|b| Arc::try_unwrap(b).ok())
            .unwrap_or_default();
        v.clear();
        v
    }

    pub(super) fn keep(&mut self, b: &Bytes) {
        self.0 = [self.0[1].take(), Some(b.clone())];
    }
}

/// A note's all-notes view, kept with the rendering it came from.
#[derive(Clone)]
pub(super) struct NoteHtml {
    pub(super) rendered: Arc<RenderedNote>,
    /// The note's position in the book (the search fragment names it).
    pub(super) position: usize,
    pub(super) all_notes: Arc<str>,
}

/// A note's summary key (`Common::summary_key`), with what it was computed from: the note's
/// text as loaded (the same allocation while its file is unchanged), its rendering, its
/// position and a hash of its section's title and slug.
pub(super) struct SummaryMemo {
    pub(super) body: Arc<str>,
    pub(super) rendered: Arc<RenderedNote>,
    pub(super) index: usize,
    pub(super) section: u64,
    pub(super) key: u64,
    /// The note's description (`context::description`), made from the same text and rendering.
    pub(super) description: Arc<str>,
}

/// A part of the all-notes page: literal text, or the body of note `i`.
pub(super) enum Piece {
    Text(String),
    Note(usize),
}
