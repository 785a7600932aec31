//! handbook: a static site generator for technical handbooks. `run` dispatches each command to its stage.

mod authoring;
pub mod book;
mod build;
pub mod check;
pub mod cli;
pub mod diagnostics;
mod export;
mod import;
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
use std::path::PathBuf;

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

/// Run one command: the book's settings are loaded here, once, and handed to the command.
pub fn run(cli: Cli) -> Result<Outcome> {
    let log = Log {
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    let Some((root, overrides)) = book_overrides(&cli.command) else {
        return match cli.command {
            Command::Init(a) => authoring::init(&a, &log),
            Command::Completions(a) => authoring::completions(&a),
            Command::Import(a) => import::run(&a, &log),
            _ => unreachable!("every other command reads a book"),
        };
    };
    let outcome = run_with_book(cli.command, &root, overrides, &log);
    // Content errors are printed here, where the book's folder is known, with their source lines.
    if let Err(e) = &outcome
        && let Some(c) = e.downcast_ref::<diagnostics::ContentErrors>()
    {
        for d in &c.0 {
            term::eprint_diagnostic(d, &root);
        }
        return Err(diagnostics::Reported(c.0.len()).into());
    }
    outcome
}

fn run_with_book(
    command: Command,
    root: &std::path::Path,
    overrides: Overrides,
    log: &Log,
) -> Result<Outcome> {
    let settings = Settings::load(root, &overrides)?;
    let log = *log;
    match command {
        Command::Build(_) => {
            let site = build::run(&settings, &log)?;
            // The process ends right after: freeing thousands of pages one by one would only
            // delay the exit (~80 ms at 5,000 notes); the OS takes the memory back at once.
            std::mem::forget(site);
            Ok(Outcome::Ok)
        }
        Command::Check(a) => check::run(&settings, &a, &log),
        Command::Serve(a) => serve::run(settings, overrides, &a, &log),
        Command::Export(a) => export::run(&settings, &a, &log),
        Command::New(a) => authoring::new_note(&settings, &a, &log),
        Command::Init(_) | Command::Completions(_) | Command::Import(_) => {
            unreachable!("handled above")
        }
    }
}

/// The book folder and the flags that override its `book.toml`, for commands that read a book.
fn book_overrides(command: &Command) -> Option<(PathBuf, Overrides)> {
    let plain = |b: &BookArgs| Overrides {
        drafts: b.drafts,
        ..Default::default()
    };
    Some(match command {
        Command::Build(a) => (
            a.book.root.clone(),
            Overrides {
                output: a.output.clone(),
                site_url: a.site_url.clone(),
                drafts: a.book.drafts,
                force: a.force,
                strict: a.strict,
            },
        ),
        Command::Check(a) => (a.book.root.clone(), plain(&a.book)),
        Command::Serve(a) => (a.book.root.clone(), plain(&a.book)),
        Command::Export(a) => (a.book.root.clone(), plain(&a.book)),
        Command::New(a) => (a.book.root.clone(), Overrides::default()),
        Command::Init(_) | Command::Completions(_) | Command::Import(_) => return None,
    })
}

/// Terminal output settings.
#[derive(Clone, Copy)]
pub struct Log {
    pub quiet: bool,
    pub verbose: bool,
}
