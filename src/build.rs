//! `handbook build`: every page written to a staging folder as it is composed, the links checked from the pages' records, the folder swapped in whole.

use crate::settings::Settings;
use crate::site::{self, Cache, Prepared, Site};
use crate::{Log, check, output, term};
use anyhow::Result;
use std::time::Instant;

/// Build into the output folder and print one summary line (and each stage's time with `-v`).
///
/// Each page is written to a staging folder as it is composed and only its link record is
/// kept; the check runs on the records. The staging folder is swapped in only when the build
/// succeeds (a strict build with broken links removes it, leaving the output as it was).
pub fn run(settings: &Settings, log: &Log) -> Result<Site> {
    let t = Instant::now();
    output::check_target(settings)?;
    let progress = term::Progress::new("rendering notes", log);
    let mut cache = Cache::single_build();
    let Prepared {
        book,
        rendered,
        theme,
        warnings,
        mut stats,
    } = site::prepare(settings, &mut cache, &progress)?;
    progress.finish();

    let staging = output::Staging::begin(settings)?;
    let recorder = check::Recorder::new(&book, &rendered, &staging);
    site::compose_into(
        settings,
        (&book, &rendered),
        theme,
        &mut stats,
        &mut cache,
        &recorder,
    )?;
    drop(cache);
    let tc = Instant::now();
    let links = check::as_diagnostics(settings, &recorder.problems(settings));
    stats.timed("check", tc);
    let mut site = Site {
        files: Default::default(),
        book,
        rendered,
        warnings,
        stats,
    };
    check::gate(settings, &mut site, links)?;
    let tw = Instant::now();
    staging.finish()?.commit()?;
    if !log.quiet {
        report(settings, &site, log, ms(tw), t);
    }
    Ok(site)
}

fn report(settings: &Settings, site: &Site, log: &Log, write_ms: f64, start: Instant) {
    for w in &site.warnings {
        term::eprint_diagnostic(w, &settings.root);
    }
    if log.verbose {
        for (stage, ms, peak) in &site.stats.timings {
            eprintln!("  {stage:<8} {ms:>8.1} ms{}", term::peak_note(*peak));
        }
        eprintln!(
            "  {:<8} {:>8.1} ms{}   (swapping the folder in; pages are written as they are composed)",
            "write",
            write_ms,
            term::peak_note(site::peak_mib())
        );
        eprintln!(
            "  all-notes page {} KiB, search index {} KiB",
            site.stats.all_notes_bytes / 1024,
            site.stats.search_index_bytes / 1024
        );
        let (blocks, bytes) = crate::render::highlight::block_cache_size();
        eprintln!("  highlight cache {blocks} blocks, {} KiB", bytes / 1024);
    }
    eprintln!(
        "built {} notes, {} pages, {} warning{} in {:.0} ms -> {}",
        site.stats.notes,
        site.stats.pages,
        site.warnings.len(),
        if site.warnings.len() == 1 { "" } else { "s" },
        ms(start),
        settings.output.display()
    );
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}
