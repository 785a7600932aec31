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
            if let Some(c) = e.downcast_ref::<handbook::diagnostics::ContentErrors>() {
                for d in &c.0 {
                    handbook::term::eprint_diagnostic(d);
                }
                let n = c.0.len();
                eprintln!("build failed: {n} error{}", if n == 1 { "" } else { "s" });
            } else {
                handbook::term::eprint_error(&format!("{e:#}"));
            }
            ExitCode::from(2)
        }
    }
}
