//! The disk cache of `check --external`: links that worked, and when, so CI runs within
//! `[check] cache-hours` do not ask the same sites again.

use super::external::Verdict;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub(super) const CACHE_FILE: &str = ".handbook-cache/external-links.json";

pub(super) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Results kept on disk between runs.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Cache {
    entries: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Entry {
    /// Unix seconds when the URL was checked.
    checked: u64,
    #[serde(flatten)]
    verdict: Verdict,
}

impl Cache {
    /// A missing or unreadable cache is an empty one: it only saves time.
    pub(super) fn load(path: &Path) -> Cache {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default()
    }

    /// Keep the new verdicts that say a link works; forget entries older than `max_age`.
    pub(super) fn remember(&mut self, fresh: &[(String, Verdict)], now: u64, max_age: Duration) {
        for (u, v) in fresh {
            if v.cacheable() {
                self.entries.insert(
                    u.clone(),
                    Entry {
                        checked: now,
                        verdict: v.clone(),
                    },
                );
            }
        }
        self.entries
            .retain(|_, e| now.saturating_sub(e.checked) < max_age.as_secs());
    }

    pub(super) fn fresh(&self, url: &str, now: u64, max_age: Duration) -> Option<&Verdict> {
        self.entries
            .get(url)
            .filter(|e| now.saturating_sub(e.checked) < max_age.as_secs())
            .map(|e| &e.verdict)
    }

    pub(super) fn save(&self, path: &Path) -> Result<()> {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let tmp: PathBuf = path.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_string_pretty(self)?)
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(())
    }
}
