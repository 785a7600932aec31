//! handbook: a static site generator for technical handbooks. `run` dispatches each command to its stage.

pub mod authoring;
pub mod book;
pub mod check;
pub mod cli;
pub mod diagnostics;
pub mod export;
pub mod import;
pub mod output;
pub mod render;
pub mod serve;
pub mod settings;
pub mod site;
pub mod term;
pub mod util;

use anyhow::Result;
use cli::{BookArgs, Cli, Command};
use settings::{Overrides, Settings};
use std::time::Instant;

/// What `main` turns into the process exit code.
pub enum Outcome {
    Ok,
    /// Problems were found (e.g. broken links): exit 1.
    Problems,
}

/// Tell glibc's allocator to keep freed memory instead of handing it back to the system at
/// once: a build frees and reallocates its buffers many times over, and each page handed back
/// costs a page fault and zeroing when it is taken again (~5 % of a book build's CPU).
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator parameters; called first thing in main, before
    // any thread exists.
    unsafe {
        libc::mallopt(libc::M_TRIM_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TOP_PAD, 32 << 20);
    }
}

/// Run one command.
pub fn run(cli: Cli) -> Result<Outcome> {
    let log = Log {
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    match cli.command {
        Command::Build(a) => {
            let settings = Settings::load(
                &a.book.root,
                &Overrides {
                    output: a.output,
                    site_url: a.site_url,
                    drafts: a.book.drafts,
                    force: a.force,
                    strict: a.strict,
                },
            )?;
            let site = build(&settings, &log)?;
            // The process ends right after: freeing thousands of pages one by one would only
            // delay the exit (~80 ms at 5,000 notes); the OS takes the memory back at once.
            std::mem::forget(site);
            Ok(Outcome::Ok)
        }
        Command::Check(a) => check::run(&settings_for(&a.book)?, &a, &log),
        Command::Serve(a) => serve::run(&a, &log),
        Command::Export(a) => export::run(&a, &log),
        Command::Init(a) => authoring::init(&a, &log),
        Command::New(a) => authoring::new_note(&a, &log),
        Command::Completions(a) => authoring::completions(&a),
        Command::Import(a) => import::run(&a, &log),
    }
}

fn settings_for(b: &BookArgs) -> Result<Settings> {
    Settings::load(
        &b.root,
        &Overrides {
            drafts: b.drafts,
            ..Default::default()
        },
    )
}

/// Terminal output settings.
#[derive(Clone, Copy)]
pub struct Log {
    pub quiet: bool,
    pub verbose: bool,
}

/// `handbook build`: build in memory, write atomically, print one summary line.
pub fn build(settings: &Settings, log: &Log) -> Result<site::Site> {
    let t = Instant::now();
    output::check_target(settings)?;
    let progress = term::Progress::new("rendering notes", log);
    // The staging folder is written while the links are checked; it is swapped in only when
    // the build succeeds (a failed or strict build removes it and leaves the output as it was).
    let (site, staged) = site::build_with_side(
        settings,
        &mut site::Cache::single_build(),
        &progress,
        |files| {
            let t = Instant::now();
            output::stage(settings, files).map(|s| (s, t.elapsed().as_secs_f64() * 1000.0))
        },
    )?;
    progress.finish();
    let (staged, write_ms) = staged?;
    let tw = Instant::now();
    staged.commit()?;
    let write_ms = write_ms + tw.elapsed().as_secs_f64() * 1000.0;
    if !log.quiet {
        for w in &site.warnings {
            term::eprint_diagnostic(w);
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
        }
        eprintln!(
            "built {} notes, {} pages, {} warning{} in {:.0} ms -> {}",
            site.stats.notes,
            site.stats.pages,
            site.warnings.len(),
            if site.warnings.len() == 1 { "" } else { "s" },
            t.elapsed().as_secs_f64() * 1000.0,
            settings.output.display()
        );
    }
    Ok(site)
}
