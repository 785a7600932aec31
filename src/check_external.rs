//! External link checks (`check --external`).

use crate::Log;
use crate::check::Problem;
use crate::config::Settings;
use anyhow::Result;

/// One occurrence of an http(s) link in the book.
#[derive(Debug, Clone)]
pub struct ExternalRef {
    pub url: String,
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub text: String,
}

/// Check every external link.
pub fn check(_settings: &Settings, _refs: &[ExternalRef], _log: &Log) -> Result<Vec<Problem>> {
    anyhow::bail!("--external is not available yet")
}
