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
