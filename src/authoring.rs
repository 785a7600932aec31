//! `init`, `new` and `completions`: conveniences for authors (being built).

use crate::cli::{CompletionsArgs, InitArgs, NewArgs};
use crate::{Log, Outcome};
use anyhow::Result;

pub fn init(args: &InitArgs, _log: &Log) -> Result<Outcome> {
    anyhow::bail!("init is not available yet ({})", args.dir.display())
}

pub fn new_note(args: &NewArgs, _log: &Log) -> Result<Outcome> {
    anyhow::bail!("new is not available yet ({})", args.title)
}

pub fn completions(args: &CompletionsArgs) -> Result<Outcome> {
    anyhow::bail!("completions are not available yet ({})", args.shell)
}
