//! External link checks (`check --external`); not part of this build yet.

use crate::Log;
use crate::config::Settings;
use crate::diagnostics::Diagnostic;
use crate::site::Site;
use anyhow::Result;

pub fn check(_settings: &Settings, _site: &Site, _log: &Log) -> Result<Vec<Diagnostic>> {
    anyhow::bail!("--external is not available yet")
}
