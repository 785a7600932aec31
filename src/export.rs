//! `handbook export`: the book as one offline HTML file (being built).

use crate::cli::ExportArgs;
use crate::{Log, Outcome};
use anyhow::Result;

pub fn run(args: &ExportArgs, _log: &Log) -> Result<Outcome> {
    anyhow::bail!("export is not available yet ({})", args.book.root.display())
}
