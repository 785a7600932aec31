//! The site: the book loaded, each note rendered once, every page composed, all in memory.
//!
//! `build` runs the stages in order and returns a [`Site`]; what happens to it next (written to
//! disk, served from memory, bundled into one file, checked) is the command's business.

mod all_notes;
mod cache;
mod compose;
mod context;
mod files;
mod pages;
mod redirects;
mod search_index;
mod sink;
mod study;
mod template_errors;
pub(crate) mod templates;

pub use cache::Cache;
pub(crate) use compose::Theme;
pub use compose::compose;
use compose::compose_cached;
pub use sink::{Keep, PageParts, Sink};

use crate::book::{self, Book};
use crate::diagnostics::{ContentErrors, Diagnostic, Severity};
use crate::output::Files;
use crate::render::{self, markdown::RenderedNote};
use crate::settings::Settings;
use crate::term::Progress;
use anyhow::Result;
use std::sync::Arc;
use std::time::Instant;

/// A built site, in memory.
pub struct Site {
    pub files: Files,
    pub book: Book,
    pub rendered: Vec<Arc<RenderedNote>>,
    /// The build's warnings (load and render); errors stop the build instead.
    pub warnings: Vec<Diagnostic>,
    pub stats: Stats,
}

#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub notes: usize,
    pub pages: usize,
    pub rerendered: usize,
    pub bytes: usize,
    pub search_index_bytes: usize,
    pub all_notes_bytes: usize,
    /// Stage name, milliseconds, and the process's peak memory (MiB) at its end, where known.
    pub timings: Vec<(&'static str, f64, Option<f64>)>,
}

impl Stats {
    /// Record that `stage` ended now, having started at `t`.
    pub(crate) fn timed(&mut self, stage: &'static str, t: Instant) {
        self.timings
            .push((stage, t.elapsed().as_secs_f64() * 1000.0, peak_mib()));
    }
}

/// Build the whole site in memory, with nothing kept for a next build.
pub fn build(settings: &Settings) -> Result<Site> {
    build_with(settings, &mut Cache::default(), &Progress::hidden())
}

/// Build the site: load -> render -> compose. Notes whose source (and the set of notes) did not
/// change since `cache` was filled are not rendered again; rendered notes count on `progress`.
pub fn build_with(settings: &Settings, cache: &mut Cache, progress: &Progress) -> Result<Site> {
    build_into(settings, cache, progress, &Keep)
}

/// [`build_with`], handing each big page to `sink` as it is composed: the site's files hold
/// only what the sink gave back.
pub fn build_into(
    settings: &Settings,
    cache: &mut Cache,
    progress: &Progress,
    sink: &dyn Sink,
) -> Result<Site> {
    let mut stats = Stats::default();
    let t = Instant::now();
    let book = load(settings, cache)?;
    stats.timed("load", t);

    let t = Instant::now();
    progress.set_total(book.notes.len());
    // The templates and static files are read (and the templates parsed) by whichever thread
    // has nothing else to do while notes render.
    let keep = !cache.single && cache.theme_kept.take() == Some(true);
    let kept = cache.theme.take().filter(|_| keep);
    let ((mut rendered, rerendered), theme) = rayon::join(
        || render::render_all(&book, &mut cache.notes, progress),
        || kept.map_or_else(|| Theme::load(settings).map(Arc::new), Ok),
    );
    let theme = theme?;
    if cache.single {
        render::highlight::forget_lines();
    }
    stats.timed("render", t);
    let warnings = errors_or_warnings(&book, &rendered)?;

    let t = Instant::now();
    stats.notes = book.notes.len();
    stats.rerendered = rerendered;
    let files = compose_cached(
        settings,
        &book,
        &rendered,
        &theme,
        &mut stats,
        &mut cache.compose,
        sink,
    )
    .map_err(|e| template_errors::locate_render(e, &settings.root))?;
    if !cache.single {
        cache.theme = Some(theme);
        cache.notes_dir = Some(settings.root.join("notes"));
    }
    if cache.single {
        cache.forget_between_builds(&mut rendered);
    }
    stats.timed("compose", t);
    stats.pages = files.keys().filter(|k| k.ends_with(".html")).count();
    stats.bytes = files.values().map(|b| b.len()).sum();
    Ok(Site {
        files,
        book,
        rendered,
        warnings,
        stats,
    })
}

/// The book, read while the highlighting grammars load.
fn load(settings: &Settings, cache: &mut Cache) -> Result<Book> {
    let single = cache.single;
    let files_cache = &mut cache.files;
    let (book, ()) = rayon::join(
        || {
            if single {
                book::load(settings)
            } else {
                book::load_cached(settings, files_cache)
            }
        },
        render::highlight::preload,
    );
    book
}

/// The load's and render's diagnostics: an error if any is an error, else the warnings.
fn errors_or_warnings(book: &Book, rendered: &[Arc<RenderedNote>]) -> Result<Vec<Diagnostic>> {
    let (errors, warnings): (Vec<_>, Vec<_>) = book
        .warnings
        .iter()
        .cloned()
        .chain(rendered.iter().flat_map(|r| r.diagnostics.iter().cloned()))
        .partition(|d| d.severity == Severity::Error);
    if !errors.is_empty() {
        return Err(ContentErrors(errors).into());
    }
    Ok(warnings)
}

/// The process's peak resident memory so far (Linux: `VmHWM`), in MiB.
pub(crate) fn peak_mib() -> Option<f64> {
    proc_status_mib("self", "VmHWM")
}

/// A memory figure of a process (`pid`, or `self`) from Linux's `/proc/<pid>/status`, say
/// `VmRSS` or `VmHWM`, in MiB; `None` where there is no such file or line. Public for the
/// `serve_latency` example, which measures the server it starts.
pub fn proc_status_mib(pid: &str, field: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}
