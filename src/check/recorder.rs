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
            scan: WindowScan::new(path, WINDOW),
        }))
    }
}

/// A page written in parts: each part goes to its file and to a [`WindowScan`].
struct RecordStream<'s> {
    recorder: &'s Recorder<'s>,
    file: Option<StagedFile>,
    scan: WindowScan,
}

impl RecordStream<'_> {
    fn push(&mut self, s: &str) -> Result<()> {
        if let Some(f) = &mut self.file {
            f.write(s.as_bytes())?;
        }
        self.scan.push(s);
        Ok(())
    }
}

impl Stream for RecordStream<'_> {
    fn text(&mut self, s: &str) -> Result<()> {
        self.push(s)
    }

    fn note(&mut self, i: usize, body: &str) -> Result<()> {
        self.scan.note_at(i, body.len());
        self.push(body)
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        if let Some(f) = self.file.take() {
            f.finish()?;
        }
        let RecordStream { recorder, scan, .. } = *self;
        let record = scan.finish();
        recorder.keep(&record.path.clone(), Some(record));
        Ok(())
    }
}

/// A page's record made from its parts, scanned a window at a time: the scans of consecutive
/// windows cut between tags are the scan of the whole page (see `html::scan_until`).
struct WindowScan {
    record: PageRecord,
    /// The page from `base` on, not scanned yet.
    window: String,
    base: usize,
    /// Bytes of the page so far.
    written: usize,
    /// The window is scanned when it is this long.
    scan_at: usize,
    /// The shortest window worth scanning.
    min: usize,
}

impl WindowScan {
    fn new(path: &str, min: usize) -> WindowScan {
        WindowScan {
            record: PageRecord::new(path.to_string()),
            window: String::new(),
            base: 0,
            written: 0,
            scan_at: min,
            min,
        }
    }

    /// Note `i`'s body, `len` bytes, comes next.
    fn note_at(&mut self, i: usize, len: usize) {
        if len > 0 {
            self.record.regions.push(Region {
                start: self.written,
                end: self.written + len,
                note: i,
                view: View::AllNotes,
            });
        }
    }

    fn push(&mut self, s: &str) {
        self.window.push_str(s);
        self.written += s.len();
        if self.window.len() >= self.scan_at {
            self.scan_window();
        }
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
                self.scan_at = self.min.max(self.window.len() * 2);
            }
            None => self.scan_at = self.window.len() * 2,
        }
    }

    fn finish(mut self) -> PageRecord {
        let rest = std::mem::take(&mut self.window);
        self.record.add_scan(html::scan(&rest), self.base);
        self.record.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every URL and id of a record, with offsets and link text, for comparing two records.
    fn summary(r: &PageRecord, page: &str) -> Vec<String> {
        let urls = r.urls.iter().map(|u| {
            let text = u
                .text_at
                .span()
                .map(|(s, e)| u.text_at.read(&page[s..e]))
                .unwrap_or_default();
            format!("url {} {} {} {text}", u.offset, u.element, u.url)
        });
        let ids = r
            .ids
            .iter()
            .map(|d| format!("id {} {} {}", d.offset, d.id, d.is_id));
        urls.chain(ids).collect()
    }

    #[test]
    fn windows_scan_like_the_whole_page() {
        let part = "<p id=\"a{i}\"><a href=\"x{i}.html#f\">link <b>{i}</b></a>\
            <!-- a comment with <a href=\"no.html\"> in it, long enough to cross a cut -->\
            <script>if (a < b) {{ document.write('<a href=\"no.html\">'); }}</script>\
            <img src=\"i{i}.png\" alt=\"pic &amp; {i}\"><a name=\"n{i}\"></a></p>\n";
        let parts: Vec<String> = (0..200)
            .map(|i| part.replace("{i}", &i.to_string()))
            .collect();
        let page = parts.concat();
        let mut whole = PageRecord::new("index.html".into());
        whole.add_scan(html::scan(&page), 0);
        let whole = whole.finish();
        for min in [16, 100, 333, 4096] {
            let mut w = WindowScan::new("index.html", min);
            for p in &parts {
                // Parts split at odd places, as note bodies and template text would be.
                let (a, b) = p.split_at(p.len() / 3);
                w.push(a);
                w.push(b);
            }
            let streamed = w.finish();
            assert_eq!(
                summary(&streamed, &page),
                summary(&whole, &page),
                "window {min}"
            );
            assert_eq!(streamed.ids.len(), 400);
        }
    }

    #[test]
    fn an_unclosed_comment_waits_for_a_longer_window() {
        let page = format!(
            "<a href=\"a.html\">a</a><!-- {} --><a href=\"b.html\">b</a>",
            "x".repeat(500)
        );
        let mut w = WindowScan::new("p.html", 8);
        for c in page.as_bytes().chunks(7) {
            w.push(std::str::from_utf8(c).unwrap());
        }
        let urls: Vec<String> = w.finish().urls.iter().map(|u| u.url.to_string()).collect();
        assert_eq!(urls, ["a.html", "b.html"]);
    }
}
