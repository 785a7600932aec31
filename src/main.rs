//! The `handbook` binary: parse the command line, run, print the error chain, return the exit code.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    handbook::tune_allocator();
    let cli = handbook::cli::Cli::parse();
    match handbook::run(cli) {
        Ok(handbook::Outcome::Ok) => ExitCode::SUCCESS,
        Ok(handbook::Outcome::Problems) => ExitCode::from(1),
        Err(e) => {
            if let Some(r) = e.downcast_ref::<handbook::diagnostics::Reported>() {
                eprintln!("{r}");
            } else {
                handbook::term::eprint_error(&format!("{e:#}"));
            }
            ExitCode::from(2)
        }
    }
}
