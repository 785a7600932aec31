//! `handbook serve`: dev server with live reload (being built).

use crate::cli::ServeArgs;
use crate::{Log, Outcome};
use anyhow::Result;

pub fn run(args: &ServeArgs, _log: &Log) -> Result<Outcome> {
    anyhow::bail!("serve is not available yet ({}:{})", args.host, args.port)
}
