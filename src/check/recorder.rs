//! The build's sink: each composed file written to the staging folder at once, and each page's
//! link record made while it is in hand, so no page stays in memory; the check then runs on
//! the records.

use super::html;
use super::record::{Notes, PageRecord, PageText, Region, record_page};
use super::{Crawl, Problem};
use crate::book::Book;
use crate::output::{Bytes, StagedFile, Staging};
use crate::render::markdown::{RenderedNote, View};
use crate::settings::Settings;
use crate::site::{Sink, Stream};
use anyhow::Result;
use std::sync::{Arc, Mutex};

/// A streamed page is scanned in windows of about this size, cut between tags.
const WINDOW: usize = 1 << 20;

/// Writes files to a staging folder and keeps a record of each page.
pub(crate) struct Recorder<'a> {
    out: &'a Staging,
    notes: Notes<'a>,
    records: Mutex<Vec<PageRecord>>,
    paths: Mutex<Vec<String>>,
}

impl<'a> Recorder<'a> {
    pub fn new(
        book: &'a Book,
        rendered: &'a [Arc<RenderedNote>],
        out: &'a Staging,
    ) -> Recorder<'a> {
        Recorder {
            out,
            notes: Notes::new(book, rendered),
            records: Mutex::default(),
            paths: Mutex::default(),
        }
    }

    fn keep(&self, path: &str, record: Option<PageRecord>) {
        self.paths
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(path.to_string());
        if let Some(r) = record {
            self.records
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(r);
        }
    }

    /// Every internal check of the written site (see [`Crawl::internal`]); a finding's text is
    /// read back from the staging folder.
    pub fn problems(self, settings: &'a Settings) -> Vec<Problem> {
        let paths = self.paths.into_inner().unwrap_or_else(|e| e.into_inner());
        let pages = self.records.into_inner().unwrap_or_else(|e| e.into_inner());
        let text = PageText::Disk(self.out.dir().to_path_buf());
        let (book, rendered) = (self.notes.book, self.notes.rendered);
        Crawl::from_records(settings, book, rendered, paths, pages, text).internal()
    }
}

impl Sink for Recorder<'_> {
    fn file(&self, path: &str, bytes: Bytes) -> Result<()> {
        self.out.write(path, &bytes)?;
        let record = path
            .ends_with(".html")
            .then(|| record_page(path, &String::from_utf8_lossy(&bytes), &self.notes));
        self.keep(path, record);
        Ok(())
    }

    fn stream<'s>(&'s self, path: &str) -> Result<Box<dyn Stream + 's>> {
        Ok(Box::new(RecordStream {
            recorder: self,
            file: Some(self.out.create(path)?),
            record: PageRecord::new(path.to_string()),
            window: String::new(),
            base: 0,
            written: 0,
            scan_at: WINDOW,
        }))
    }
}

/// A page written in parts: each part goes to its file, and the page is scanned a window at a
/// time (the scan of consecutive windows cut between tags is the scan of the whole page).
struct RecordStream<'s> {
    recorder: &'s Recorder<'s>,
    file: Option<StagedFile>,
    record: PageRecord,
    /// The page from `base` on, not scanned yet.
    window: String,
    base: usize,
    /// Bytes of the page so far.
    written: usize,
    /// The window is scanned when it is this long.
    scan_at: usize,
}

impl RecordStream<'_> {
    fn push(&mut self, s: &str) -> Result<()> {
        if let Some(f) = &mut self.file {
            f.write(s.as_bytes())?;
        }
        self.window.push_str(s);
        self.written += s.len();
        if self.window.len() >= self.scan_at {
            self.scan_window();
        }
        Ok(())
    }

    /// Scan the window up to its last `<` when the scan ends between tags there; otherwise
    /// (a comment or raw text still open) wait for a window twice as long.
    fn scan_window(&mut self) {
        let cut = self.window.rfind('<').unwrap_or(0);
        let scan = (cut > 0)
            .then(|| html::scan_until(&self.window, cut))
            .flatten();
        match scan {
            Some(scan) => {
                self.record.add_scan(scan, self.base);
                self.window.drain(..cut);
                self.base += cut;
                self.scan_at = WINDOW.max(self.window.len() * 2);
            }
            None => self.scan_at = self.window.len() * 2,
        }
    }
}

impl Stream for RecordStream<'_> {
    fn text(&mut self, s: &str) -> Result<()> {
        self.push(s)
    }

    fn note(&mut self, i: usize, body: &str) -> Result<()> {
        if !body.is_empty() {
            self.record.regions.push(Region {
                start: self.written,
                end: self.written + body.len(),
                note: i,
                view: View::AllNotes,
            });
        }
        self.push(body)
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        if let Some(f) = self.file.take() {
            f.finish()?;
        }
        let rest = std::mem::take(&mut self.window);
        self.record.add_scan(html::scan(&rest), self.base);
        let RecordStream {
            recorder, record, ..
        } = *self;
        recorder.keep(&record.path.clone(), Some(record.finish()));
        Ok(())
    }
}
