//! `handbook build`: the site built in memory, written to disk while its links are checked, swapped in whole.

use crate::settings::Settings;
use crate::site::{self, Cache, Site};
use crate::{Log, check, output, term};
use anyhow::Result;
use std::time::Instant;

/// Build into the output folder and print one summary line (and each stage's time with `-v`).
pub(crate) fn run(settings: &Settings, log: &Log) -> Result<Site> {
    let t = Instant::now();
    output::check_target(settings)?;
    // The big pages go to a staging folder as they are composed, each kept only as the link
    // check's record of it; the folder is swapped in only when the build succeeds (an error, or
    // a strict build with broken links, removes it and leaves the output as it was).
    let staged = output::Staged::begin(settings)?;
    let recorder = check::Recorder::new(&staged);
    let progress = term::Progress::new("rendering notes", log);
    let mut site = site::build_into(settings, &mut Cache::single_build(), &progress, &recorder)?;
    progress.finish();
    let recorded = recorder.finish();
    for (path, len) in &recorded.written {
        site.stats.pages += usize::from(path.ends_with(".html"));
        site.stats.bytes += len;
    }

    // The rest of the files are written while the links are checked.
    let tc = Instant::now();
    let (placed, links) = rayon::join(
        || {
            let t = Instant::now();
            staged.place_all(&site.files).map(|()| ms(t))
        },
        || check::streamed_findings(settings, &site, recorded),
    );
    site.stats.timed("check", tc);
    check::gate(settings, &mut site, links)?;
    let stage_ms = placed?;
    let tw = Instant::now();
    staged.commit()?;
    if !log.quiet {
        report(settings, &site, log, stage_ms + ms(tw), t);
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
            "  {:<8} {:>8.1} ms{}   (alongside the check)",
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
