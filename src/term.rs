//! Terminal output: colour only where a person is watching, diagnostics with the location first, and a progress bar that stays out of logs and pipes.

use crate::Log;
use crate::diagnostics::{Diagnostic, Severity};
use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// An output stream of the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stream {
    Stdout,
    Stderr,
}

impl Stream {
    fn is_terminal(self) -> bool {
        match self {
            Stream::Stdout => std::io::stdout().is_terminal(),
            Stream::Stderr => std::io::stderr().is_terminal(),
        }
    }
}

/// The environment variables the colour and progress decisions depend on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Env {
    /// `NO_COLOR` set to anything but the empty string (<https://no-color.org>).
    pub no_color: bool,
    /// `CLICOLOR_FORCE` set to anything but empty or `0`.
    pub force: bool,
    /// `CI` set at all (GitHub Actions, GitLab, Buildkite... all set it).
    pub ci: bool,
    /// `TERM=dumb` or `CLICOLOR=0`: the terminal asks for plain text.
    pub plain: bool,
}

impl Env {
    /// Read the variables of this process.
    pub(crate) fn from_process() -> Env {
        let var = |k: &str| std::env::var_os(k).map(|v| v.to_string_lossy().into_owned());
        Env {
            no_color: var("NO_COLOR").is_some_and(|v| !v.is_empty()),
            force: var("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0"),
            ci: var("CI").is_some(),
            plain: var("TERM").is_some_and(|v| v == "dumb")
                || var("CLICOLOR").is_some_and(|v| v == "0"),
        }
    }
}

/// Whether to colour a stream: `NO_COLOR` always wins, then `CLICOLOR_FORCE` forces colour;
/// otherwise only a terminal gets colour, and never under `CI`, `TERM=dumb` or `CLICOLOR=0`.
pub(crate) fn decide_colour(is_terminal: bool, env: &Env) -> bool {
    if env.no_color {
        return false;
    }
    if env.force {
        return true;
    }
    is_terminal && !env.ci && !env.plain
}

/// Whether a progress bar may draw: only on a terminal, never under `CI`, `TERM=dumb` or `--quiet`.
/// Colour settings do not matter: the bar is plain text.
pub(crate) fn decide_progress(is_terminal: bool, quiet: bool, env: &Env) -> bool {
    is_terminal && !quiet && !env.ci && !env.plain
}

/// Whether this process colours `stream` (decided once per stream).
pub(crate) fn colour(stream: Stream) -> bool {
    static OUT: OnceLock<bool> = OnceLock::new();
    static ERR: OnceLock<bool> = OnceLock::new();
    let cell = match stream {
        Stream::Stdout => &OUT,
        Stream::Stderr => &ERR,
    };
    *cell.get_or_init(|| decide_colour(stream.is_terminal(), &Env::from_process()))
}

/// ANSI styles used by handbook; `paint` is a no-op when colour is off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Bold,
    Red,
    Yellow,
    Green,
}

impl Style {
    fn code(self) -> &'static str {
        match self {
            Style::Bold => "1",
            Style::Red => "1;31",
            Style::Yellow => "1;33",
            Style::Green => "1;32",
        }
    }
}

/// `text` wrapped in the style's escape codes when `on`, unchanged otherwise.
pub(crate) fn paint(text: &str, style: Style, on: bool) -> String {
    if on {
        format!("\x1b[{}m{text}\x1b[0m", style.code())
    } else {
        text.to_string()
    }
}

/// `file:line:col: error: message`, location first so editors and terminals can jump to it;
/// then, when the line is known, the source line with a caret under the column, as rustc and
/// `just` show it.
pub(crate) fn format_diagnostic(d: &Diagnostic, source: Option<&str>, on: bool) -> String {
    let (label, style) = match d.severity {
        Severity::Error => ("error", Style::Red),
        Severity::Warning => ("warning", Style::Yellow),
    };
    let mut out = format!(
        "{}: {}: {}",
        paint(&d.location(), Style::Bold, on),
        paint(label, style, on),
        d.message
    );
    if let Some(line) = source.filter(|_| d.line > 0) {
        out.push_str(&snippet(line, d.line, d.col, paint("^", style, on)));
    }
    out
}

/// The gutter, the source line (a window of it around the column when it is long) and the caret.
fn snippet(line: &str, number: usize, col: usize, caret: String) -> String {
    const WIDTH: usize = 100;
    let chars: Vec<char> = line.trim_end().chars().collect();
    let at = col.saturating_sub(1).min(chars.len());
    let start = if chars.len() > WIDTH && at > WIDTH / 2 {
        (at - WIDTH / 2).min(chars.len().saturating_sub(WIDTH))
    } else {
        0
    };
    let end = (start + WIDTH).min(chars.len());
    let lead = if start > 0 { "…" } else { "" };
    let tail = if end < chars.len() { "…" } else { "" };
    let shown: String = chars[start..end].iter().collect();
    // Tabs before the column are kept under it so the caret lines up in any tab width.
    let pad: String = chars[start..at.max(start)]
        .iter()
        .map(|&c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let gutter = " ".repeat(number.to_string().len());
    let caret = if col == 0 { String::new() } else { caret };
    format!(
        "\n{gutter} |\n{number} | {lead}{shown}{tail}\n{gutter} | {}{pad}{caret}",
        if lead.is_empty() { "" } else { " " }
    )
}

/// `error: message`, for errors that point at no file.
pub fn format_error(msg: &str, on: bool) -> String {
    format!("{}: {msg}", paint("error", Style::Red, on))
}

/// Print a diagnostic to stderr with its source line (read from the book at `root`),
/// coloured when stderr wants colour.
pub(crate) fn eprint_diagnostic(d: &Diagnostic, root: &std::path::Path) {
    let source = crate::diagnostics::source_line(root, d);
    eprintln!(
        "{}",
        format_diagnostic(d, source.as_deref(), colour(Stream::Stderr))
    );
}

/// Print `error: message` to stderr.
pub fn eprint_error(msg: &str) {
    eprintln!("{}", format_error(msg, colour(Stream::Stderr)));
}

/// A progress bar on stderr for long work (many notes, external link checks).
///
/// It draws only when stderr is a terminal (see [`decide_progress`]), only once the work has
/// taken longer than a moment, at most a few times a second, and erases itself when done, so
/// fast runs, logs and pipes never see it. `inc` may be called from many threads.
pub struct Progress {
    label: String,
    done: AtomicUsize,
    total: AtomicUsize,
    /// `None` when hidden.
    bar: Option<Mutex<Bar>>,
}

struct Bar {
    started: Instant,
    last_draw: Option<Instant>,
    drawn: bool,
    width: usize,
}

/// Work shorter than this never shows a bar.
const SHOW_AFTER: Duration = Duration::from_millis(300);
/// Minimum time between redraws.
const REDRAW_EVERY: Duration = Duration::from_millis(80);

impl Progress {
    /// A bar labelled `label` that draws only if the terminal and `log` allow it.
    pub(crate) fn new(label: &str, log: &Log) -> Progress {
        let on = decide_progress(
            std::io::stderr().is_terminal(),
            log.quiet,
            &Env::from_process(),
        );
        if on {
            Self::visible(label, terminal_width())
        } else {
            Self::hidden()
        }
    }

    /// A bar that counts but never draws.
    pub fn hidden() -> Progress {
        Progress {
            label: String::new(),
            done: AtomicUsize::new(0),
            total: AtomicUsize::new(0),
            bar: None,
        }
    }

    fn visible(label: &str, width: usize) -> Progress {
        Progress {
            label: label.to_string(),
            done: AtomicUsize::new(0),
            total: AtomicUsize::new(0),
            bar: Some(Mutex::new(Bar {
                started: Instant::now(),
                last_draw: None,
                drawn: false,
                width,
            })),
        }
    }

    /// Whether this bar can draw at all.
    #[cfg(test)]
    fn is_visible(&self) -> bool {
        self.bar.is_some()
    }

    /// Steps done so far.
    #[cfg(test)]
    fn done(&self) -> usize {
        self.done.load(Ordering::Relaxed)
    }

    /// Set how many steps the work has.
    pub(crate) fn set_total(&self, total: usize) {
        self.total.store(total, Ordering::Relaxed);
    }

    /// Count `n` more steps done and redraw if it is time.
    pub(crate) fn inc(&self, n: usize) {
        let done = self.done.fetch_add(n, Ordering::Relaxed) + n;
        let Some(bar) = &self.bar else { return };
        // Never block a worker thread on drawing: skip if another thread is drawing.
        let Ok(mut b) = bar.try_lock() else { return };
        let now = Instant::now();
        if now.duration_since(b.started) < SHOW_AFTER
            || b.last_draw
                .is_some_and(|t| now.duration_since(t) < REDRAW_EVERY)
        {
            return;
        }
        let line = render_bar(
            &self.label,
            done,
            self.total.load(Ordering::Relaxed),
            b.width,
        );
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{line}");
        let _ = err.flush();
        b.last_draw = Some(now);
        b.drawn = true;
    }

    /// Erase the bar (if it was drawn); later output starts on a clean line.
    pub(crate) fn finish(&self) {
        let Some(bar) = &self.bar else { return };
        let mut b = bar.lock().unwrap_or_else(|e| e.into_inner());
        if b.drawn {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
            b.drawn = false;
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// One line of progress, at most `width` columns: `label [#######.......] 12/45`.
pub(crate) fn render_bar(label: &str, done: usize, total: usize, width: usize) -> String {
    let count = if total > 0 {
        format!("{}/{}", done.min(total), total)
    } else {
        format!("{done}")
    };
    let fixed = label.chars().count() + count.chars().count() + 4;
    let cells = width.saturating_sub(fixed).min(40);
    if total == 0 || cells < 5 {
        let line = format!("{label} {count}");
        return line.chars().take(width.max(1)).collect();
    }
    let filled = cells * done.min(total) / total;
    format!(
        "{label} [{}{}] {count}",
        "#".repeat(filled),
        ".".repeat(cells - filled)
    )
}

/// Columns of the terminal: `COLUMNS` when set, else 80.
fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .filter(|&c| c >= 20)
        .unwrap_or(80)
        .saturating_sub(1)
}

/// `   (peak 412 MiB)` after a stage time in verbose output, or nothing where unknown.
pub(crate) fn peak_note(peak_mib: Option<f64>) -> String {
    peak_mib
        .map(|m| format!("   (peak {m:.0} MiB)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_needs_a_terminal_and_yields_to_no_color_ci_and_dumb() {
        let env = Env::default();
        assert!(decide_colour(true, &env));
        assert!(!decide_colour(false, &env), "pipes get no colour");
        let ci = Env {
            ci: true,
            ..Env::default()
        };
        assert!(!decide_colour(true, &ci), "CI logs get no colour");
        let plain = Env {
            plain: true,
            ..Env::default()
        };
        assert!(!decide_colour(true, &plain));
        let no = Env {
            no_color: true,
            ..Env::default()
        };
        assert!(!decide_colour(true, &no));
    }

    #[test]
    fn clicolor_force_forces_but_no_color_still_wins() {
        let force = Env {
            force: true,
            ci: true,
            ..Env::default()
        };
        assert!(decide_colour(false, &force));
        let both = Env {
            force: true,
            no_color: true,
            ..Env::default()
        };
        assert!(!decide_colour(true, &both));
    }

    #[test]
    fn progress_only_on_a_quiet_free_terminal_outside_ci() {
        let env = Env::default();
        assert!(decide_progress(true, false, &env));
        assert!(!decide_progress(false, false, &env));
        assert!(!decide_progress(true, true, &env));
        assert!(!decide_progress(
            true,
            false,
            &Env {
                ci: true,
                ..Env::default()
            }
        ));
        // Forcing colour does not force a bar into a pipe.
        assert!(!decide_progress(
            false,
            false,
            &Env {
                force: true,
                ..Env::default()
            }
        ));
    }

    #[test]
    fn diagnostics_put_the_location_first_and_colour_only_when_asked() {
        let d = Diagnostic::warning("notes/a/01-x.md", 12, 3, "broken link");
        assert_eq!(
            format_diagnostic(&d, None, false),
            "notes/a/01-x.md:12:3: warning: broken link"
        );
        let c = format_diagnostic(&d, None, true);
        assert!(
            c.starts_with("\x1b[1mnotes/a/01-x.md:12:3\x1b[0m: \x1b[1;33mwarning"),
            "{c:?}"
        );
        let e = Diagnostic::error("book.toml", 0, 0, "bad");
        assert_eq!(format_diagnostic(&e, None, false), "book.toml: error: bad");
        assert!(format_diagnostic(&e, None, true).contains("\x1b[1;31merror\x1b[0m"));
        assert_eq!(format_error("x", false), "error: x");
    }

    #[test]
    fn diagnostics_show_the_source_line_with_a_caret_under_the_column() {
        let d = Diagnostic::error("notes/a/01-x.md", 7, 5, "unknown level");
        assert_eq!(
            format_diagnostic(&d, Some("level = \"expert\""), false),
            "notes/a/01-x.md:7:5: error: unknown level\n  |\n7 | level = \"expert\"\n  |     ^"
        );
        let tabbed = Diagnostic::warning("f.md", 10, 3, "w");
        assert!(
            format_diagnostic(&tabbed, Some("\tx y"), false).ends_with("10 | \tx y\n   | \t ^")
        );
        let long = format!("{}TARGET{}", "a".repeat(300), "b".repeat(300));
        let far = Diagnostic::warning("f.md", 1, 301, "w");
        let shown = format_diagnostic(&far, Some(&long), false);
        assert!(shown.contains("…") && shown.contains("TARGET"), "{shown}");
        let caret_col = shown.lines().last().unwrap().chars().position(|c| c == '^');
        let line: Vec<char> = shown.lines().nth(2).unwrap().chars().collect();
        let under: String = line[caret_col.unwrap()..][..6].iter().collect();
        assert_eq!(under, "TARGET", "{shown}");
    }

    #[test]
    fn bar_fills_in_proportion_and_fits_the_width() {
        let s = render_bar("render", 0, 10, 60);
        assert!(
            s.starts_with("render [....") && s.ends_with("] 0/10"),
            "{s}"
        );
        let half = render_bar("render", 5, 10, 60);
        let hashes = half.matches('#').count();
        let dots = half.matches('.').count();
        assert_eq!(hashes, dots, "{half}");
        assert!(
            render_bar("render", 10, 10, 60)
                .chars()
                .filter(|&c| c == '.')
                .count()
                == 0
        );
        assert!(render_bar("a long label here", 3, 9, 24).chars().count() <= 24);
        assert_eq!(render_bar("links", 7, 0, 60), "links 7");
        assert_eq!(render_bar("x", 12, 10, 60).matches("10/10").count(), 1);
    }

    #[test]
    fn hidden_bar_counts_without_drawing() {
        let p = Progress::hidden();
        p.set_total(3);
        p.inc(1);
        p.inc(2);
        assert_eq!(p.done(), 3);
        assert!(!p.is_visible());
        p.finish();
    }
}
