//! Turns a batch of changed source files into a new site: reloads settings if `book.toml`
//! changed, rebuilds with the render cache, works out what changed, and publishes or reports.

use super::state::State;
use crate::Log;
use crate::diagnostics::{ContentErrors, Diagnostic, display_path};
use crate::output::Files;
use crate::settings::{Overrides, Settings};
use crate::site::{self, Cache};
use crate::term::Progress;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// Above this many changed pages, browsers are told "everything changed".
const MAX_LISTED_PAGES: usize = 500;

/// Owns the settings and render cache between rebuilds.
pub(crate) struct Builder {
    pub settings: Settings,
    overrides: Overrides,
    state: Arc<State>,
    log: Log,
    cache: Cache,
    /// The files the notes include (absolute), as of the last good build: a change to one
    /// rebuilds, wherever in the book it lies.
    pub included: std::collections::HashSet<PathBuf>,
}

impl Builder {
    pub(crate) fn new(
        settings: Settings,
        overrides: Overrides,
        state: Arc<State>,
        log: Log,
    ) -> Builder {
        Builder {
            settings,
            overrides,
            state,
            log,
            cache: Cache::default(),
            included: Default::default(),
        }
    }

    /// The first build; failing is reported like any rebuild, and the server starts anyway.
    pub(crate) fn initial(&mut self) {
        self.rebuild(&[], false);
    }

    /// Rebuild after `changed` (absolute paths; `exact` when they are all that changed) and
    /// publish the result or the errors.
    pub(crate) fn rebuild(&mut self, changed: &[PathBuf], exact: bool) {
        let t = Instant::now();
        let rel: Vec<String> = changed
            .iter()
            .map(|p| display_path(&self.settings.root, p))
            .collect();
        let settings_changed = rel.iter().any(|p| p == "book.toml");
        self.cache
            .changed_since_last_build(changed, exact && !settings_changed);
        if settings_changed {
            match Settings::load(&self.settings.root, &self.overrides) {
                Ok(s) => self.settings = super::serve_settings(s),
                Err(e) => return self.report_failure(t, &rel, &e),
            }
        }
        match self.build() {
            Ok(new) => {
                self.included = new
                    .book
                    .notes
                    .iter()
                    .flat_map(|n| n.includes.iter().cloned())
                    .collect();
                let old = self.state.site();
                let changed_files = diff(&old, &new.files);
                let pages = pages_to_reload(&changed_files, old.is_empty());
                let css = !rel.is_empty() && rel.iter().all(|p| is_stylesheet_source(p));
                let focus: Vec<String> = new
                    .book
                    .notes
                    .iter()
                    .filter(|n| rel.contains(&n.rel_path))
                    .map(|n| n.slug.clone())
                    .collect();
                if !self.log.quiet {
                    for w in &new.warnings {
                        eprintln!("{w}");
                    }
                }
                let n_changed = changed_files.len();
                self.state.publish(new.files, pages, css, focus);
                if !self.log.quiet {
                    eprintln!(
                        "{} in {:.0} ms{}: {} note{} re-rendered, {} file{} changed",
                        if changed.is_empty() {
                            "built"
                        } else {
                            "rebuilt"
                        },
                        t.elapsed().as_secs_f64() * 1000.0,
                        source_list(&rel),
                        new.stats.rerendered,
                        plural(new.stats.rerendered),
                        n_changed,
                        plural(n_changed),
                    );
                    if self.log.verbose {
                        for (stage, ms, _) in &new.stats.timings {
                            eprintln!("  {stage:<8} {ms:>8.1} ms");
                        }
                        let (blocks, bytes) = crate::render::highlight::block_cache_size();
                        eprintln!("  highlight cache {blocks} blocks, {} KiB", bytes / 1024);
                    }
                }
            }
            Err(e) => self.report_failure(t, &rel, &e),
        }
    }

    /// The site after an edit, its note links checked (the full crawl is left to `build` and
    /// `check`, where its cost does not delay a reload).
    fn build(&mut self) -> anyhow::Result<site::Site> {
        let mut site = site::build_with(&self.settings, &mut self.cache, &Progress::hidden())?;
        let links = crate::check::source_findings(&self.settings, &site);
        crate::check::gate(&self.settings, &mut site, links)?;
        Ok(site)
    }

    fn report_failure(&self, t: Instant, rel: &[String], e: &anyhow::Error) {
        let problems = problems(e);
        eprintln!(
            "build failed in {:.0} ms{} ({} error{}; the last good site is still served):",
            t.elapsed().as_secs_f64() * 1000.0,
            source_list(rel),
            problems.len(),
            plural(problems.len())
        );
        for p in &problems {
            eprintln!("  {p}");
        }
        self.state.fail(problems);
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn source_list(rel: &[String]) -> String {
    match rel {
        [] => String::new(),
        [one] => format!(" ({one})"),
        [first, rest @ ..] => format!(" ({first} and {} more)", rest.len()),
    }
}

/// A build error as located problems: content errors carry their own locations; other errors
/// (templates, I/O) are one problem, located when the message names a template and line.
pub(crate) fn problems(e: &anyhow::Error) -> Vec<Diagnostic> {
    if let Some(c) = e.downcast_ref::<ContentErrors>() {
        return c.0.clone();
    }
    let message = format!("{e:#}");
    let mut file = String::new();
    if let Some(rest) = message.strip_prefix("templates/") {
        if let Some((name, _)) = rest.split_once(':') {
            file = format!("templates/{name}");
        }
    } else if let Some(i) = message.find("Failed to parse '") {
        let rest = &message[i + "Failed to parse '".len()..];
        if let Some((name, _)) = rest.split_once('\'') {
            file = format!("templates/{name}");
        }
    }
    let (line, col) = message
        .find("--> ")
        .and_then(|i| {
            let rest = &message[i + 4..];
            let end = rest
                .find(|c: char| !c.is_ascii_digit() && c != ':')
                .unwrap_or(rest.len());
            let (l, c) = rest[..end].split_once(':')?;
            Some((l.parse().ok()?, c.parse().ok()?))
        })
        .unwrap_or((0, 0));
    vec![Diagnostic::error(file, line, col, message)]
}

/// Site paths added, changed or removed between two builds.
pub(crate) fn diff(old: &Files, new: &Files) -> Vec<String> {
    let mut out: Vec<String> = new
        .iter()
        .filter(|(k, v)| !old.get(*k).is_some_and(|o| Arc::ptr_eq(o, v) || o == *v))
        .map(|(k, _)| k.clone())
        .collect();
    out.extend(old.keys().filter(|k| !new.contains_key(*k)).cloned());
    out
}

/// Which open pages must reload: the changed pages, or all of them (`None`) when something
/// every page uses changed (a script other than the search index, an image) or the list is long.
fn pages_to_reload(changed: &[String], first: bool) -> Option<Vec<String>> {
    let shared = changed.iter().any(|p| {
        !p.ends_with(".html")
            && !p.ends_with(".css")
            && p != "search-index.js"
            && !p.starts_with("search-index/")
            && p != "sitemap.xml"
    });
    if first || shared {
        return None;
    }
    let pages: Vec<String> = changed
        .iter()
        .filter(|p| p.ends_with(".html"))
        .cloned()
        .collect();
    (pages.len() <= MAX_LISTED_PAGES).then_some(pages)
}

fn is_stylesheet_source(rel: &str) -> bool {
    rel.starts_with("static/") && Path::new(rel).extension().is_some_and(|e| e == "css")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_errors_are_located() {
        let e = anyhow::anyhow!("templates/note.html: Failed to render: Variable `x` not found");
        let p = problems(&e);
        assert_eq!(p[0].file, "templates/note.html");
        let e = anyhow::anyhow!("Failed to parse 'note.html': --> 3:7\n  |\n3 | {{% if %}}");
        let p = problems(&e);
        assert_eq!(
            (p[0].file.as_str(), p[0].line, p[0].col),
            ("templates/note.html", 3, 7)
        );
    }

    #[test]
    fn a_note_edit_reloads_only_its_pages() {
        let changed = vec![
            "a.html".to_string(),
            "index.html".into(),
            "search-index.js".into(),
        ];
        assert_eq!(
            pages_to_reload(&changed, false),
            Some(vec!["a.html".to_string(), "index.html".into()])
        );
        let changed = vec!["a.html".to_string(), "nav.js".into()];
        assert_eq!(pages_to_reload(&changed, false), None);
    }

    #[test]
    fn diff_sees_added_changed_removed() {
        let old: Files = [
            ("a".into(), b"1".to_vec().into()),
            ("b".into(), b"2".to_vec().into()),
        ]
        .into();
        let new: Files = [
            ("a".into(), b"1".to_vec().into()),
            ("b".into(), b"3".to_vec().into()),
            ("c".into(), Default::default()),
        ]
        .into();
        let mut d = diff(&old, &new);
        d.sort();
        assert_eq!(d, vec!["b", "c"]);
        assert_eq!(diff(&new, &old), vec!["b", "c"]);
    }
}
