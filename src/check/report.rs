//! The check's report: human (source line and caret), GitHub workflow commands, or JSON.

use crate::Log;
use crate::cli::Format;
use crate::diagnostics::{Diagnostic, Severity};
use serde::Serialize;
use std::io::Write;

/// The closing line of a report, in every format that prints one.
fn summary(errors: usize, warnings: usize) -> String {
    format!(
        "check: {errors} problem{}, {warnings} warning{}",
        plural(errors),
        plural(warnings)
    )
}

/// Print the problems and the build's warnings to stdout in `format`.
pub(super) fn report(
    root: &std::path::Path,
    problems: &[Diagnostic],
    build_warnings: &[Diagnostic],
    format: Format,
    log: &Log,
) {
    let mut out = std::io::stdout().lock();
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors + build_warnings.len();
    let counts = (errors, warnings);
    let written = match format {
        Format::Human => human(&mut out, root, problems, build_warnings, counts, log.quiet),
        Format::Github => github(&mut out, problems, build_warnings, counts),
        Format::Json => json(&mut out, problems, build_warnings, counts),
    };
    // A closed pipe (`| head`) is not an error worth a panic: stop writing.
    let _ = written.and_then(|()| out.flush());
}

/// Errors, then (unless quiet) warnings and the summary, each with its source line and a caret.
fn human(
    out: &mut impl Write,
    root: &std::path::Path,
    problems: &[Diagnostic],
    build_warnings: &[Diagnostic],
    (errors, warnings): (usize, usize),
    quiet: bool,
) -> std::io::Result<()> {
    // Coloured like build diagnostics, only when stdout is a terminal (see term.rs).
    let on = crate::term::colour(crate::term::Stream::Stdout);
    let show = |d: &Diagnostic| {
        let source = crate::diagnostics::source_line(root, d);
        crate::term::format_diagnostic(d, source.as_deref(), on)
    };
    for p in problems.iter().filter(|p| p.severity == Severity::Error) {
        writeln!(out, "{}", show(p))?;
    }
    if quiet {
        return Ok(());
    }
    for p in problems.iter().filter(|p| p.severity == Severity::Warning) {
        writeln!(out, "{}", show(p))?;
    }
    for d in build_warnings {
        writeln!(out, "{}", show(d))?;
    }
    writeln!(out, "{}", summary(errors, warnings))
}

/// GitHub Actions workflow commands, which annotate the pull request's files.
fn github(
    out: &mut impl Write,
    problems: &[Diagnostic],
    build_warnings: &[Diagnostic],
    (errors, warnings): (usize, usize),
) -> std::io::Result<()> {
    let diags = problems.iter().chain(build_warnings);
    for d in diags {
        let kind = if d.severity == Severity::Error {
            "error"
        } else {
            "warning"
        };
        let mut loc = format!("file={}", gh_property(&d.file));
        if d.line > 0 {
            loc.push_str(&format!(",line={}", d.line));
        }
        if d.col > 0 {
            loc.push_str(&format!(",col={}", d.col));
        }
        writeln!(out, "::{kind} {loc}::{}", gh_escape(&d.message))?;
    }
    writeln!(out, "{}", summary(errors, warnings))
}

/// One JSON object: the counts and every problem with its message.
fn json(
    out: &mut impl Write,
    problems: &[Diagnostic],
    build_warnings: &[Diagnostic],
    (errors, warnings): (usize, usize),
) -> std::io::Result<()> {
    #[derive(Serialize)]
    struct Report {
        errors: usize,
        warnings: usize,
        problems: Vec<serde_json::Value>,
    }
    let list = problems
        .iter()
        .chain(build_warnings)
        .map(|d| serde_json::to_value(d).unwrap_or_default())
        .collect();
    let r = Report {
        errors,
        warnings,
        problems: list,
    };
    writeln!(
        out,
        "{}",
        serde_json::to_string_pretty(&r).unwrap_or_default()
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Workflow command data needs `%`, CR and LF escaped.
pub(super) fn gh_escape(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Workflow command properties also need `:` and `,` escaped.
pub(super) fn gh_property(s: &str) -> String {
    gh_escape(s).replace(':', "%3A").replace(',', "%2C")
}
