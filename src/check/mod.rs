//! Link checking with the renderer's own ids: links recorded while rendering, then the built pages crawled.
//!
//! Two passes share one report. The source pass checks every link the renderer recorded (so a
//! problem names the note, line and column the author wrote). The crawl reads every built page
//! as a browser would (templates included, on the all-notes page and on each note's page) and
//! reports what the source pass could not see: template links, raw HTML, ids repeated on a page.
//! A crawl finding inside a note's body is traced back to the note's source line.

mod crawl;
pub(crate) mod external;
mod html;
mod recorder;
mod report;
mod source;
mod trace;

pub use crawl::Crawl;
pub(crate) use recorder::{Recorded, Recorder};

use crate::book::Book;
use crate::cli::CheckArgs;
use crate::diagnostics::{ContentErrors, Diagnostic, Severity};
use crate::output::Files;
use crate::render::markdown::RenderedNote;
use crate::settings::Settings;
use crate::site::Site;
use crate::{Log, Outcome};
use anyhow::Result;
use std::sync::Arc;

/// Every internal check of a built site: links in notes, then the crawl of every page.
pub fn internal(
    settings: &Settings,
    book: &Book,
    rendered: &[Arc<RenderedNote>],
    files: &Files,
) -> Vec<Diagnostic> {
    Crawl::new(settings, book, rendered, files).internal()
}

/// Only the links written in notes, from the renderer's records: no page is scanned. The dev
/// server runs this on every save, where the full crawl would cost more than the rebuild.
pub fn source_only(
    settings: &Settings,
    book: &Book,
    rendered: &[Arc<RenderedNote>],
    files: &Files,
) -> Vec<Diagnostic> {
    let (found, _) = Crawl::without_pages(settings, book, rendered, files).source_links();
    found.into_iter().map(Diagnostic::with_message).collect()
}

/// The links written in notes as the build's diagnostics (`serve`, on every save): warnings,
/// or errors with `[build] strict`.
pub(crate) fn source_findings(settings: &Settings, site: &Site) -> Vec<Diagnostic> {
    let problems = source_only(settings, &site.book, &site.rendered, &site.files);
    as_build_findings(settings, problems)
}

/// Every link problem of a built site whose big pages were written out as they were composed
/// (`build`): `recorded` holds their records, `site.files` the rest; template links, raw HTML
/// and repeated ids included.
pub(crate) fn streamed_findings(
    settings: &Settings,
    site: &Site,
    recorded: Recorded,
) -> Vec<Diagnostic> {
    let written: Vec<String> = recorded.written.into_iter().map(|(p, _)| p).collect();
    let problems = Crawl::with_records(
        settings,
        &site.book,
        &site.rendered,
        &site.files,
        &written,
        recorded.records,
    )
    .internal();
    as_build_findings(settings, problems)
}

/// Link problems at the build's severity: errors with `[build] strict`, else warnings.
fn as_build_findings(settings: &Settings, problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let severity = if settings.build.strict {
        Severity::Error
    } else {
        Severity::Warning
    };
    problems
        .into_iter()
        .map(|d| Diagnostic { severity, ..d })
        .collect()
}

/// Add a build's link findings to its warnings, or fail the build with them under `strict`.
pub(crate) fn gate(settings: &Settings, site: &mut Site, findings: Vec<Diagnostic>) -> Result<()> {
    if settings.build.strict && !findings.is_empty() {
        return Err(ContentErrors(findings).into());
    }
    site.warnings.extend(findings);
    Ok(())
}

/// `handbook check`: build leniently (broken links are this command's findings, not a failure
/// to run), crawl every page once, ask external links when told to, report.
pub(crate) fn run(settings: &Settings, args: &CheckArgs, log: &Log) -> Result<Outcome> {
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
    report::report(&settings.root, &all, &site.warnings, args.format, log);
    Ok(if errors == 0 {
        Outcome::Ok
    } else {
        Outcome::Problems
    })
}

#[cfg(test)]
mod tests {
    use super::crawl::has_scheme;
    use super::report::{gh_escape, gh_property};
    use super::source::relative_from;
    use super::trace::{find_footnote_ref, find_id_sources};

    #[test]
    fn relative_paths_between_notes() {
        assert_eq!(
            relative_from("notes/a/1-x.md", "notes/b/2-y.md"),
            "../b/2-y.md"
        );
        assert_eq!(relative_from("notes/a/1-x.md", "notes/a/2-y.md"), "2-y.md");
        assert_eq!(
            relative_from("notes/a/1-x.md", "static/img/p.png"),
            "../../static/img/p.png"
        );
    }

    #[test]
    fn schemes() {
        assert!(has_scheme("mailto:x@y"));
        assert!(has_scheme("https://x"));
        assert!(!has_scheme("a.html#x:y"));
        assert!(!has_scheme("#fn:1"));
    }

    #[test]
    fn footnote_and_heading_sources() {
        let body = "Intro.[^Big Note]\n\n## Main Ideas\n\n### Other {#custom}\n";
        assert_eq!(find_footnote_ref(body, "big-note"), Some(6));
        assert_eq!(find_id_sources(body, "main-ideas"), vec![19]);
        assert_eq!(find_id_sources(body, "custom"), vec![44]);
    }

    #[test]
    fn github_properties_are_escaped() {
        assert_eq!(gh_property("a,b:c"), "a%2Cb%3Ac");
        assert_eq!(gh_escape("50%\nx"), "50%25%0Ax");
    }
}
