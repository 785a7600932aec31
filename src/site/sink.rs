//! Where composed pages go as they are made: kept in the site's files, or handed on (written and
//! recorded) so that a one-shot build need not hold every page at once.

use crate::book::Book;
use crate::output::Bytes;
use crate::render::markdown::RenderedNote;
use anyhow::Result;
use std::sync::Arc;

/// Takes each big page (note, tag and all-notes pages, search index files) as it is composed.
pub trait Sink: Sync {
    /// Take `path`'s bytes. Returns them to be kept in the site's files, or `None` when the
    /// sink has written them itself.
    fn page(
        &self,
        book: &Book,
        rendered: &[Arc<RenderedNote>],
        path: &str,
        bytes: Bytes,
    ) -> Result<Option<Bytes>>;

    /// Open `path` to be written a part at a time (the all-notes page of a one-shot build, too
    /// big to hold whole), or `None` when the sink wants whole pages.
    fn open<'s>(
        &'s self,
        _book: &Book,
        _rendered: &[Arc<RenderedNote>],
        _path: &str,
    ) -> Result<Option<Box<dyn PageParts + 's>>> {
        Ok(None)
    }
}

/// A page being written a part at a time.
pub trait PageParts {
    /// The next part of the page; `note` when the part is that note's body.
    fn push(&mut self, text: &str, note: Option<usize>) -> Result<()>;
    /// The page is complete; returns its length.
    fn finish(self: Box<Self>) -> Result<usize>;
}

/// The sink of `serve`, `export` and `check`: every page stays in memory.
pub struct Keep;

impl Sink for Keep {
    fn page(
        &self,
        _: &Book,
        _: &[Arc<RenderedNote>],
        _: &str,
        bytes: Bytes,
    ) -> Result<Option<Bytes>> {
        Ok(Some(bytes))
    }
}
