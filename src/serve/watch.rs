//! Watches `notes/`, `templates/`, `static/` and `book.toml`, drops editor noise and the output
//! folder, gathers a burst of events into one batch and hands it to the rebuild.

use super::rebuild::Builder;
use anyhow::{Context, Result};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// A save is usually a few events within a millisecond or two; wait this long for quiet.
const QUIET: Duration = Duration::from_millis(8);
/// Never hold a batch longer than this, even if events keep coming.
const MAX_WAIT: Duration = Duration::from_millis(150);
/// The folders whose files make up a book.
const SOURCE_DIRS: [&str; 3] = ["notes", "templates", "static"];

/// Start watching, build once, then rebuild on a thread of its own; keep the returned watcher alive.
pub(crate) fn start(mut builder: Builder) -> Result<Arc<Mutex<RecommendedWatcher>>> {
    let root = builder.settings.root.clone();
    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(move |ev| {
        let _ = tx.send(ev);
    })
    .context("cannot watch the book's files")?;
    watcher
        .watch(&root, RecursiveMode::NonRecursive)
        .with_context(|| format!("cannot watch {}", root.display()))?;
    for d in SOURCE_DIRS {
        let dir = root.join(d);
        if dir.is_dir() {
            watcher
                .watch(&dir, RecursiveMode::Recursive)
                .with_context(|| format!("cannot watch {}", dir.display()))?;
        }
    }
    // Watching starts before the first build, so a save during it is not lost.
    builder.initial();
    let mut include_dirs = HashSet::new();
    watch_include_dirs(&mut watcher, &builder, &mut include_dirs);
    let watcher = Arc::new(Mutex::new(watcher));
    let shared = watcher.clone();
    std::thread::Builder::new()
        .name("handbook-rebuild".into())
        .spawn(move || {
            while let Some((batch, exact)) = next_batch(&rx, &builder) {
                // A source folder created after the start is watched from then on.
                for p in &batch {
                    if p.parent() == Some(root.as_path())
                        && p.is_dir()
                        && let Ok(mut w) = shared.lock()
                    {
                        let _ = w.watch(p, RecursiveMode::Recursive);
                    }
                }
                builder.rebuild(&batch, exact);
                if let Ok(mut w) = shared.lock() {
                    watch_include_dirs(&mut w, &builder, &mut include_dirs);
                }
            }
        })
        .context("cannot start the rebuild thread")?;
    Ok(watcher)
}

/// Watch the folders of included files that lie outside the source folders (once each).
fn watch_include_dirs(
    watcher: &mut RecommendedWatcher,
    builder: &Builder,
    watched: &mut HashSet<PathBuf>,
) {
    let root = &builder.settings.root;
    for f in &builder.included {
        let Some(dir) = f.parent() else { continue };
        let in_source = SOURCE_DIRS.iter().any(|d| dir.starts_with(root.join(d)));
        if !in_source && dir.is_dir() && watched.insert(dir.to_path_buf()) {
            let _ = watcher.watch(dir, RecursiveMode::NonRecursive);
        }
    }
}

/// Block until relevant events arrive, then collect until the burst is over.
/// Returns `None` when the watcher is gone.
/// With the batch, whether it is exact: `false` when the watcher reported an error or that
/// events were dropped, so other files may have changed too.
fn next_batch(
    rx: &mpsc::Receiver<notify::Result<notify::Event>>,
    b: &Builder,
) -> Option<(Vec<PathBuf>, bool)> {
    let mut exact = true;
    loop {
        let (mut batch, all_seen) = collect(rx, b)?;
        exact &= all_seen;
        // Editors save through temp files that are gone by now (`sedX1b2`): keep what exists
        // and what looks like a deleted source file.
        batch.retain(|p| p.exists() || p.extension().is_some());
        if !batch.is_empty() {
            return Some((batch, exact));
        }
    }
}

fn collect(
    rx: &mpsc::Receiver<notify::Result<notify::Event>>,
    b: &Builder,
) -> Option<(Vec<PathBuf>, bool)> {
    let root = &b.settings.root;
    let output = &b.settings.output;
    let mut batch: Vec<PathBuf> = Vec::new();
    let mut all_seen = true;
    let mut started: Option<Instant> = None;
    loop {
        let ev = match started {
            None => rx.recv().ok()?,
            Some(t0) => {
                let left = MAX_WAIT.saturating_sub(t0.elapsed());
                match rx.recv_timeout(QUIET.min(left)) {
                    Ok(ev) => ev,
                    Err(mpsc::RecvTimeoutError::Timeout) => break,
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                }
            }
        };
        let Ok(ev) = ev else {
            all_seen = false;
            continue;
        };
        all_seen &= !ev.need_rescan();
        if matches!(ev.kind, EventKind::Access(_)) {
            continue;
        }
        for p in ev.paths {
            let relevant = is_source(root, output, &p) || b.included.contains(&p);
            if relevant && !batch.contains(&p) {
                batch.push(p);
                started.get_or_insert_with(Instant::now);
            }
        }
    }
    Some((batch, all_seen))
}

/// Whether a changed path can affect the site: `book.toml` or a file under a source folder,
/// not in the output folder, not an editor's swap, backup or temp file, not hidden.
pub(crate) fn is_source(root: &Path, output: &Path, path: &Path) -> bool {
    if path.starts_with(output) {
        return false;
    }
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    match parts.as_slice() {
        [] => false,
        [one] => one == "book.toml" || SOURCE_DIRS.contains(&one.as_str()),
        [first, ..] => {
            SOURCE_DIRS.contains(&first.as_str())
                && parts.iter().all(|p| !p.starts_with('.'))
                && !is_editor_noise(parts.last().map(String::as_str).unwrap_or(""))
        }
    }
}

fn is_editor_noise(name: &str) -> bool {
    const SUFFIXES: [&str; 9] = [
        "~",
        ".swp",
        ".swx",
        ".swo",
        ".tmp",
        ".bak",
        ".kate-swp",
        ".crdownload",
        ".part",
    ];
    name == "4913" // vim probes the folder with this name
        || name.starts_with('#') // emacs autosave
        || SUFFIXES.iter().any(|s| name.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_noise_and_output_are_ignored() {
        let root = Path::new("/b");
        let out = Path::new("/b/public");
        let yes = [
            "/b/book.toml",
            "/b/notes/01-a/02-x.md",
            "/b/static/style.css",
            "/b/templates/note.html",
            "/b/templates",
        ];
        for p in yes {
            assert!(is_source(root, out, Path::new(p)), "{p}");
        }
        let no = [
            "/b/public/index.html",
            "/b/notes/01-a/.02-x.md.swp",
            "/b/notes/01-a/02-x.md~",
            "/b/notes/01-a/4913",
            "/b/notes/01-a/#02-x.md#",
            "/b/notes/.git/HEAD",
            "/b/README.md",
            "/b/target/x",
            "/elsewhere/notes/a.md",
        ];
        for p in no {
            assert!(!is_source(root, out, Path::new(p)), "{p}");
        }
    }
}
