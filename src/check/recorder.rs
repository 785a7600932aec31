//! The one-shot build's sink: each big page written to the staging folder as soon as it is
//! composed and kept only as the link check's record of it (its links, ids and note bodies), so
//! the build never holds every page at once.

use super::crawl::{Page, Region};
use super::html::StreamScan;
use crate::book::Book;
use crate::output::{Bytes, Staged, StagedFile};
use crate::render::markdown::{RenderedNote, View};
use crate::site::{PageParts, Sink};
use anyhow::Result;
use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;
use std::sync::{Arc, Mutex, OnceLock};

pub(crate) struct Recorder<'s> {
    staged: &'s Staged,
    /// Note index by slug, to find a note page's body.
    by_slug: OnceLock<FxHashMap<String, usize>>,
    /// Pages every build of this book has (the all-notes page, each note's and each tag's): a
    /// plain link to one needs no record.
    known: OnceLock<FxHashSet<String>>,
    records: Mutex<Vec<Page<'static>>>,
    /// Every file written: its path and length.
    written: Mutex<Vec<(String, usize)>>,
}

/// What the recorder saw: the written files' paths and lengths, and the pages' records.
pub(crate) struct Recorded {
    pub(crate) written: Vec<(String, usize)>,
    pub(crate) records: Vec<Page<'static>>,
}

impl<'s> Recorder<'s> {
    pub(crate) fn new(staged: &'s Staged) -> Recorder<'s> {
        Recorder {
            staged,
            by_slug: OnceLock::new(),
            known: OnceLock::new(),
            records: Mutex::new(Vec::new()),
            written: Mutex::new(Vec::new()),
        }
    }

    pub(crate) fn finish(self) -> Recorded {
        Recorded {
            written: self.written.into_inner().unwrap(),
            records: self.records.into_inner().unwrap(),
        }
    }
}

impl Recorder<'_> {
    fn known(&self, book: &Book) -> &FxHashSet<String> {
        self.known.get_or_init(|| {
            let notes = book.notes.iter().map(|n| format!("{}.html", n.slug));
            let tags = book
                .tag_slugs()
                .into_values()
                .map(|s| format!("tags/{s}.html"));
            notes
                .chain(tags)
                .chain(["index.html".to_string(), "tags/index.html".to_string()])
                .collect()
        })
    }

    /// Note a written file, and its record if it is a page.
    fn keep(&self, record: Option<Page<'static>>, path: &str, len: usize) {
        self.records.lock().unwrap().extend(record);
        self.written.lock().unwrap().push((path.to_string(), len));
    }
}

impl Sink for Recorder<'_> {
    fn open<'s>(
        &'s self,
        book: &Book,
        _: &[Arc<RenderedNote>],
        path: &str,
    ) -> Result<Option<Box<dyn PageParts + 's>>> {
        self.known(book);
        Ok(Some(Box::new(Streamed {
            recorder: self,
            path: path.to_string(),
            file: self.staged.open(path)?,
            scan: StreamScan::default(),
            regions: Vec::new(),
            at: 0,
        })))
    }

    fn page(
        &self,
        book: &Book,
        rendered: &[Arc<RenderedNote>],
        path: &str,
        bytes: Bytes,
    ) -> Result<Option<Bytes>> {
        self.staged.place(path, &bytes)?;
        let mut record = None;
        if path.ends_with(".html") {
            let by_slug = self.by_slug.get_or_init(|| {
                book.notes
                    .iter()
                    .map(|n| (n.slug.clone(), n.index))
                    .collect()
            });
            // Composed pages are UTF-8; the fast check first, a lossy copy only if not.
            let html = match std::str::from_utf8(&bytes) {
                Ok(s) => Cow::Borrowed(s),
                Err(_) => String::from_utf8_lossy(&bytes),
            };
            let page = Page::read(Cow::Borrowed(path), html, book, rendered, by_slug);
            record = Some(page.into_record(self.staged.path_of(path), self.known(book)));
        }
        self.keep(record, path, bytes.len());
        Ok(None)
    }
}

/// A page written and scanned a part at a time; its note bodies' places are known as they pass.
struct Streamed<'r, 's> {
    recorder: &'r Recorder<'s>,
    path: String,
    file: StagedFile,
    scan: StreamScan,
    regions: Vec<Region>,
    at: usize,
}

impl PageParts for Streamed<'_, '_> {
    fn push(&mut self, text: &str, note: Option<usize>) -> Result<()> {
        if let Some(note) = note.filter(|_| !text.is_empty()) {
            self.regions.push(Region {
                start: self.at,
                end: self.at + text.len(),
                note,
                view: View::AllNotes,
            });
        }
        self.file.write(text.as_bytes())?;
        self.scan.push(text);
        self.at += text.len();
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<usize> {
        let Streamed {
            recorder,
            path,
            file,
            scan,
            regions,
            ..
        } = *self;
        let len = file.finish()?;
        let record = Page::streamed(
            path.clone(),
            scan.finish(),
            regions,
            recorder.staged.path_of(&path),
            recorder.known.get().expect("made when the page was opened"),
        );
        recorder.keep(Some(record), &path, len);
        Ok(len)
    }
}
