//! The file cache `serve` keeps between loads: a note whose file and included files have the same stamps (or that the watcher did not name) is not read or parsed again, and an unchanged walk of `notes/` is reused.

use super::read::parse_file;
use super::{Found, Parsed, Section};
use crate::settings::Settings;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Parsed note files kept between builds by `serve`: a file whose modification time and length
/// are unchanged, as are those of the files it includes, is not read or parsed again.
#[derive(Default)]
pub(crate) struct FileCache {
    files: rustc_hash::FxHashMap<PathBuf, Cached>,
    /// Whether drafts were included, and the required keys, when the entries were parsed.
    drafts: bool,
    require: Vec<String>,
    /// What the last walk of `notes/` found, when it found no error.
    pub(crate) discovered: Option<std::sync::Arc<Discovered>>,
    /// The files the watcher says changed since the last load (`serve`); `None`: unknown.
    changed: Option<HashSet<PathBuf>>,
}

/// The sections, note files and misplaced Markdown files of one walk of `notes/`.
type Discovered = (Vec<Section>, Vec<Found>, Vec<PathBuf>);

impl FileCache {
    /// Tell the next load which files changed since the last one (absolute paths, as the
    /// watcher reports them): when they are all notes or included files it already knows,
    /// it skips walking `notes/` and reads only those, without looking at any other file.
    /// Paths named before a load that failed early still count: they add up until a load
    /// has read the notes.
    pub(crate) fn changed_since_last_load(&mut self, paths: &[PathBuf]) {
        self.changed
            .get_or_insert_with(HashSet::new)
            .extend(paths.iter().cloned());
    }

    /// The watcher may have missed changes: the next load looks at every file.
    pub(crate) fn changes_unknown(&mut self) {
        self.changed = None;
        self.discovered = None;
    }

    /// The last walk, when nothing that changed can alter it: every changed path under
    /// `notes_dir` is a note file or an included file seen before, and still exists.
    pub(crate) fn walk_unchanged(&self, notes_dir: &Path) -> Option<&std::sync::Arc<Discovered>> {
        let changed = self.changed.as_ref()?;
        let known = |p: &PathBuf| {
            self.files.contains_key(p)
                || self
                    .files
                    .values()
                    .any(|c| c.deps.iter().any(|(d, _)| d == p))
        };
        changed
            .iter()
            .filter(|p| p.starts_with(notes_dir))
            .all(|p| known(p) && p.is_file())
            .then_some(self.discovered.as_ref()?)
    }
}

type Stamp = Option<(std::time::SystemTime, u64)>;

#[derive(Clone)]
struct Cached {
    stamp: Stamp,
    parsed: Parsed,
    /// The included files and their stamps when the note was parsed.
    deps: Vec<(PathBuf, Stamp)>,
}

fn stamp(path: &Path) -> Stamp {
    std::fs::metadata(path)
        .ok()
        .and_then(|m| Some((m.modified().ok()?, m.len())))
}

/// Parse every found file in parallel, reusing cache entries whose file and includes are unchanged.
pub(crate) fn parse_all(
    settings: &Settings,
    found: &[Found],
    cache: &mut FileCache,
) -> Vec<Parsed> {
    use rayon::prelude::*;
    if cache.drafts != settings.build.drafts || cache.require != settings.notes.require {
        cache.files.clear();
        cache.drafts = settings.build.drafts;
        cache.require = settings.notes.require.clone();
    }
    let old = &cache.files;
    let changed = cache.changed.take();
    // Known unchanged: the watcher named neither the file nor what it includes; without the
    // watcher's word, the file and its includes have the stamps they had.
    let unchanged = |f: &Found, c: &Cached| match &changed {
        Some(ch) => !ch.contains(&f.path) && c.deps.iter().all(|(p, _)| !ch.contains(p)),
        None => {
            let now = stamp(&f.path);
            now.is_some() && c.stamp == now && c.deps.iter().all(|(p, s)| stamp(p) == *s)
        }
    };
    // `None`: the entry of the last load still holds (moved over below, not copied).
    let fresh: Vec<Option<Cached>> = found
        .par_iter()
        .map(|f| {
            if let Some(c) = old.get(&f.path)
                && unchanged(f, c)
            {
                return None;
            }
            let now = stamp(&f.path);
            let (parsed, deps) = parse_file(settings, f);
            Some(Cached {
                stamp: now,
                parsed,
                deps: deps
                    .into_iter()
                    .map(|p| (stamp(&p), p))
                    .map(|(s, p)| (p, s))
                    .collect(),
            })
        })
        .collect();
    let mut old = std::mem::take(&mut cache.files);
    let mut out = Vec::with_capacity(found.len());
    for (f, c) in found.iter().zip(fresh) {
        let mut c = c.unwrap_or_else(|| old.remove(&f.path).expect("looked up above"));
        if let Ok(Some(n)) = &mut c.parsed {
            n.section = f.section;
        }
        out.push(c.parsed.clone());
        if c.stamp.is_some() {
            cache.files.insert(f.path.clone(), c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::load_cached;
    use crate::settings::{BookToml, Overrides, Settings};

    #[test]
    fn file_cache_reuses_unchanged_notes_and_rereads_edited_ones() {
        let dir = tempfile::tempdir().unwrap();
        let note = dir.path().join("notes/01-s/01-a.md");
        std::fs::create_dir_all(note.parent().unwrap()).unwrap();
        let fm = "+++\ntitle = \"A\"\nlevel = \"beginner\"\nyoe = \"0-2\"\ntags = [\"x\"]\n+++\n";
        std::fs::write(&note, format!("{fm}one\n")).unwrap();
        let settings = Settings::from_parts(
            dir.path().to_path_buf(),
            BookToml::default(),
            &Overrides::default(),
        );
        let mut cache = FileCache::default();
        assert_eq!(
            load_cached(&settings, &mut cache).unwrap().notes[0]
                .body
                .as_ref(),
            "one\n"
        );
        assert_eq!(cache.files.len(), 1);
        // Same length, new content: the modification time tells them apart.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&note, format!("{fm}two\n")).unwrap();
        assert_eq!(
            load_cached(&settings, &mut cache).unwrap().notes[0]
                .body
                .as_ref(),
            "two\n"
        );
        assert_eq!(
            load_cached(&settings, &mut cache).unwrap().notes[0]
                .body
                .as_ref(),
            "two\n"
        );
    }
}
