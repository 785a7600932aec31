//! Where composed files go as they are made: kept in memory (`serve`, `export`, `check`), or
//! handed on at once (`handbook build` writes each to disk and keeps only its link record).

use crate::output::{Bytes, Files};
use anyhow::Result;
use std::sync::Mutex;

/// Receives every file of a site once, from any thread.
pub trait Sink: Sync {
    /// A whole file at `path` (site-relative, `/`-separated).
    fn file(&self, path: &str, bytes: Bytes) -> Result<()>;
    /// A file written in parts, in order: the all-notes page, too big to hold whole.
    fn stream<'s>(&'s self, path: &str) -> Result<Box<dyn Stream + 's>>;
}

/// A file being written in parts.
pub trait Stream {
    /// Text of the page around the note bodies.
    fn text(&mut self, s: &str) -> Result<()>;
    /// The body of note `i` (its index in the book), as placed on the page.
    fn note(&mut self, i: usize, body: &str) -> Result<()>;
    /// The file is complete.
    fn finish(self: Box<Self>) -> Result<()>;
}

/// Keeps every file in memory.
#[derive(Default)]
pub struct Collect(Mutex<Files>);

impl Collect {
    pub fn into_files(self) -> Files {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Collect {
    fn file(&self, path: &str, bytes: Bytes) -> Result<()> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), bytes);
        Ok(())
    }

    fn stream<'s>(&'s self, path: &str) -> Result<Box<dyn Stream + 's>> {
        Ok(Box::new(CollectStream {
            sink: self,
            path: path.to_string(),
            buf: Vec::new(),
        }))
    }
}

struct CollectStream<'s> {
    sink: &'s Collect,
    path: String,
    buf: Vec<u8>,
}

impl Stream for CollectStream<'_> {
    fn text(&mut self, s: &str) -> Result<()> {
        self.buf.extend_from_slice(s.as_bytes());
        Ok(())
    }

    fn note(&mut self, _i: usize, body: &str) -> Result<()> {
        self.text(body)
    }

    fn finish(self: Box<Self>) -> Result<()> {
        self.sink.file(&self.path, self.buf.into())
    }
}

/// A sink that also notes each path it was handed and the bytes written: for the build's
/// counts, and so files made last (statics, redirects) can tell which paths are taken.
pub(super) struct Tally<'s> {
    inner: &'s dyn Sink,
    paths: Mutex<std::collections::HashSet<String>>,
    bytes: std::sync::atomic::AtomicUsize,
}

impl<'s> Tally<'s> {
    pub(super) fn new(inner: &'s dyn Sink) -> Tally<'s> {
        Tally {
            inner,
            paths: Mutex::default(),
            bytes: Default::default(),
        }
    }

    fn note_path(&self, path: &str, len: usize) {
        use std::sync::atomic::Ordering;
        self.paths
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string());
        self.bytes.fetch_add(len, Ordering::Relaxed);
    }

    /// Whether a file was made at `path`.
    pub(super) fn has(&self, path: &str) -> bool {
        self.paths
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(path)
    }

    /// How many HTML pages were made.
    pub(super) fn pages(&self) -> usize {
        let paths = self.paths.lock().unwrap_or_else(|e| e.into_inner());
        paths.iter().filter(|p| p.ends_with(".html")).count()
    }

    /// Bytes of every file made.
    pub(super) fn bytes(&self) -> usize {
        self.bytes.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl Sink for Tally<'_> {
    fn file(&self, path: &str, bytes: Bytes) -> Result<()> {
        self.note_path(path, bytes.len());
        self.inner.file(path, bytes)
    }

    fn stream<'t>(&'t self, path: &str) -> Result<Box<dyn Stream + 't>> {
        Ok(Box::new(TallyStream {
            tally: self,
            path: path.to_string(),
            len: 0,
            inner: self.inner.stream(path)?,
        }))
    }
}

struct TallyStream<'t> {
    tally: &'t Tally<'t>,
    path: String,
    len: usize,
    inner: Box<dyn Stream + 't>,
}

impl Stream for TallyStream<'_> {
    fn text(&mut self, s: &str) -> Result<()> {
        self.len += s.len();
        self.inner.text(s)
    }

    fn note(&mut self, i: usize, body: &str) -> Result<()> {
        self.len += body.len();
        self.inner.note(i, body)
    }

    fn finish(self: Box<Self>) -> Result<()> {
        self.tally.note_path(&self.path, self.len);
        self.inner.finish()
    }
}
