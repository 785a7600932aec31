//! `handbook check`: the command, and its report for people, for GitHub Actions and as JSON.

use super::{Crawl, Problem, external};
use crate::cli::{CheckArgs, Format};
use crate::diagnostics::{Diagnostic, Severity};
use crate::settings::Settings;
use crate::{Log, Outcome};
use anyhow::Result;
use serde::Serialize;
use std::io::Write;

/// `handbook check`: build leniently (broken links are this command's findings, not a failure
/// to run), crawl every page once, ask external links when told to, report.
pub fn run(settings: &Settings, args: &CheckArgs, log: &Log) -> Result<Outcome> {
    let mut settings = settings.clone();
    settings.build.strict = false;
    let site = crate::site::build(&settings)?;
    let crawl = Crawl::new(&settings, &site.book, &site.rendered, &site.files);
    let mut all = crawl.internal();
    if args.external {
        let refs = crawl.external_refs();
        all.extend(external::check(&settings, &refs, log)?);
    }
    let errors = all.iter().filter(|p| p.severity == Severity::Error).count();
    report(&settings.root, &all, &site.warnings, args.format, log);
    Ok(if errors == 0 {
        Outcome::Ok
    } else {
        Outcome::Problems
    })
}

/// The closing line of a report, in every format that prints one.
fn summary(errors: usize, warnings: usize) -> String {
    format!(
        "check: {errors} problem{}, {warnings} warning{}",
        plural(errors),
        plural(warnings)
    )
}

/// Print the problems and the build's warnings in `format` on stdout.
fn report(
    root: &std::path::Path,
    problems: &[Problem],
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
    let tally = (errors, warnings);
    // A closed pipe (`| head`) is not an error worth a panic: stop writing.
    let _ = match format {
        Format::Human => human(&mut out, root, problems, build_warnings, tally, log),
        Format::Github => github(&mut out, problems, build_warnings, tally),
        Format::Json => json(&mut out, problems, build_warnings, tally),
    }
    .and_then(|()| out.flush());
}

/// Coloured like build diagnostics, only when stdout is a terminal (see term.rs); warnings and
/// the summary only without `--quiet`.
fn human(
    out: &mut impl Write,
    root: &std::path::Path,
    problems: &[Problem],
    build_warnings: &[Diagnostic],
    (errors, warnings): (usize, usize),
    log: &Log,
) -> std::io::Result<()> {
    let on = crate::term::colour(crate::term::Stream::Stdout);
    let show = |d: &Diagnostic| {
        let source = crate::diagnostics::source_line(root, d);
        crate::term::format_diagnostic(d, source.as_deref(), on)
    };
    for p in problems.iter().filter(|p| p.severity == Severity::Error) {
        writeln!(out, "{}", show(&p.to_diagnostic()))?;
    }
    if !log.quiet {
        for p in problems.iter().filter(|p| p.severity == Severity::Warning) {
            writeln!(out, "{}", show(&p.to_diagnostic()))?;
        }
        for d in build_warnings {
            writeln!(out, "{}", show(d))?;
        }
        writeln!(out, "{}", summary(errors, warnings))?;
    }
    Ok(())
}

/// GitHub Actions workflow commands: one annotation per problem.
fn github(
    out: &mut impl Write,
    problems: &[Problem],
    build_warnings: &[Diagnostic],
    (errors, warnings): (usize, usize),
) -> std::io::Result<()> {
    let diags = problems
        .iter()
        .map(Problem::to_diagnostic)
        .chain(build_warnings.iter().cloned());
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
    problems: &[Problem],
    build_warnings: &[Diagnostic],
    (errors, warnings): (usize, usize),
) -> std::io::Result<()> {
    #[derive(Serialize)]
    struct Report {
        errors: usize,
        warnings: usize,
        problems: Vec<serde_json::Value>,
    }
    let mut list = Vec::new();
    for p in problems {
        let mut v = serde_json::to_value(p).unwrap_or_default();
        v["message"] = serde_json::Value::String(p.message());
        list.push(v);
    }
    for d in build_warnings {
        list.push(serde_json::to_value(d).unwrap_or_default());
    }
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
fn gh_escape(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Workflow command properties also need `:` and `,` escaped.
fn gh_property(s: &str) -> String {
    gh_escape(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_properties_are_escaped() {
        assert_eq!(gh_property("a,b:c"), "a%2Cb%3Ac");
        assert_eq!(gh_escape("50%\nx"), "50%25%0Ax");
    }
}
