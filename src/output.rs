//! Writes a built site into a staging folder and swaps it in whole; refuses output folders that could hold the user's own files.

use crate::settings::Settings;
use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Marks a folder as written by handbook, so a rebuild may replace it.
pub(crate) const MARKER: &str = ".handbook-output";

/// The site as files in memory: path relative to the output root (`/`-separated) to bytes.
/// The bytes are shared, so a rebuild that reuses a page (and `serve`'s diff of two builds)
/// copies a pointer, not the page.
pub type Files = BTreeMap<String, Bytes>;

/// One file's bytes, shared between builds.
pub(crate) type Bytes = Arc<Vec<u8>>;

/// Folders of the book that the build reads (and version control's): an output folder may not
/// be one of them or lie inside one.
const BOOK_SOURCES: &[&str] = &["notes", "templates", "static", ".git"];

/// The folder of `BOOK_SOURCES` that `path` (absolute, normalized) is or lies in, if any.
pub(crate) fn source_folder(root: &Path, path: &Path) -> Option<String> {
    let first = path.strip_prefix(root).ok()?.components().next()?;
    let first = first.as_os_str().to_string_lossy();
    BOOK_SOURCES
        .contains(&first.as_ref())
        .then(|| first.into_owned())
}

/// Refuse output folders where replacing them could delete something that is not ours.
pub(crate) fn check_target(settings: &Settings) -> Result<()> {
    let out = &settings.output;
    let root = &settings.root;
    if out == root {
        bail!(
            "output folder {} is the book root; choose a folder inside it, like `public`",
            out.display()
        );
    }
    if root.starts_with(out) {
        bail!(
            "output folder {} contains the book; choose a folder inside the book, like `public`",
            out.display()
        );
    }
    // A file where the folder should be is the user's, whatever --force says.
    if let Ok(meta) = std::fs::symlink_metadata(out)
        && !meta.is_dir()
        && !meta.file_type().is_symlink()
    {
        bail!(
            "output folder {} is a file; choose a folder, like `public`",
            out.display()
        );
    }
    // What the build reads from, and version control: never replaced, not even with --force.
    if let Some(first) = source_folder(root, out) {
        let what = if first == ".git" {
            "which holds the repository"
        } else {
            "which the build reads"
        };
        bail!(
            "output folder {} is inside the book's {first}/ folder, {what}; choose a folder of its own, like `public`",
            out.display()
        );
    }
    if !out.join(MARKER).exists() {
        for (inside, what) in [
            (
                "notes",
                "a notes/ folder; refusing to replace what looks like a book",
            ),
            (
                "book.toml",
                "a book.toml; refusing to replace what looks like a book",
            ),
            (".git", "a .git folder; refusing to replace a repository"),
        ] {
            if out.join(inside).exists() {
                bail!("output folder {} holds {what}", out.display());
            }
        }
    }
    if !out.starts_with(root) && !settings.force {
        bail!(
            "output folder {} lies outside the book at {}; pass --force to write there",
            out.display(),
            root.display()
        );
    }
    if out.is_dir() && !out.join(MARKER).exists() && !settings.force {
        let non_empty = std::fs::read_dir(out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(false);
        if non_empty {
            bail!(
                "output folder {} exists and was not written by handbook; empty it, choose another, or pass --force to replace it",
                out.display()
            );
        }
    }
    Ok(())
}

/// Write `files` to a staging folder beside the output and swap it in; the old output is
/// removed only after the new one is in place.
pub fn write_atomically(settings: &Settings, files: &Files) -> Result<()> {
    stage(settings, files)?.commit()
}

/// A site being written to a staging folder beside the output, not yet swapped in. Files go in
/// as they are made (`place`, from any thread); dropped without `commit`, the staging folder is
/// removed and the output is left as it was.
pub(crate) struct Staged {
    staging: PathBuf,
    out: PathBuf,
    old: PathBuf,
    /// The output being replaced, when handbook wrote it: its files with the same bytes are linked.
    previous: Option<PathBuf>,
    /// Folders made so far under `staging`.
    made: std::sync::Mutex<rustc_hash::FxHashSet<PathBuf>>,
    done: bool,
}

/// Write `files` to a fresh staging folder beside the output.
pub(crate) fn stage(settings: &Settings, files: &Files) -> Result<Staged> {
    let staged = Staged::begin(settings)?;
    staged.place_all(files)?;
    Ok(staged)
}

impl Staged {
    /// Make an empty staging folder beside the output.
    pub(crate) fn begin(settings: &Settings) -> Result<Staged> {
        check_target(settings)?;
        let out = &settings.output;
        let parent = out.parent().context("output folder has no parent")?;
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let name = out.file_name().unwrap_or_default().to_string_lossy();
        let pid = std::process::id();
        let staged = Staged {
            staging: parent.join(format!(".{name}.staging-{pid}")),
            out: out.clone(),
            old: parent.join(format!(".{name}.old-{pid}")),
            previous: out.join(MARKER).is_file().then(|| out.clone()),
            made: Default::default(),
            done: false,
        };
        if staged.staging.exists() {
            std::fs::remove_dir_all(&staged.staging)?;
        }
        std::fs::create_dir_all(&staged.staging)
            .with_context(|| format!("cannot create {}", staged.staging.display()))?;
        Ok(staged)
    }

    /// Where `rel` is written in the staging folder.
    pub(crate) fn path_of(&self, rel: &str) -> PathBuf {
        self.staging.join(rel)
    }

    /// Write one file. A file that the previous output holds with the same bytes is hard-linked
    /// from there instead: it keeps its modification time (so deploy tools and HTTP caches see
    /// only the pages that changed), and the file system neither allocates an inode for it nor
    /// frees the old one.
    pub(crate) fn place(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.staging.join(rel);
        if let Some(dir) = path.parent()
            && dir != self.staging
            && !self.made.lock().unwrap().contains(dir)
        {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            self.made.lock().unwrap().insert(dir.to_path_buf());
        }
        if let Some(prev) = self.previous.as_ref().map(|p| p.join(rel))
            && same_file_bytes(&prev, bytes)
            && std::fs::hard_link(&prev, &path).is_ok()
        {
            return Ok(());
        }
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
    }

    /// Open `rel` for writing piece by piece (a page too big to hold whole). Like `place`, a file
    /// that comes out the same as the previous output's is hard-linked from there instead.
    pub(crate) fn open(&self, rel: &str) -> Result<StagedFile> {
        let path = self.staging.join(rel);
        let file = std::fs::File::create(&path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        let previous = self.previous.as_ref().map(|p| p.join(rel)).and_then(|p| {
            let meta = std::fs::symlink_metadata(&p).ok()?;
            let f = meta
                .file_type()
                .is_file()
                .then(|| std::fs::File::open(&p).ok())??;
            Some((p, std::io::BufReader::with_capacity(1 << 16, f)))
        });
        Ok(StagedFile {
            out: std::io::BufWriter::with_capacity(1 << 16, file),
            path,
            same: previous.is_some(),
            previous,
            scratch: Vec::new(),
            len: 0,
        })
    }

    /// Write `files` in parallel (thousands of small writes overlap their system-call time), and
    /// the marker that says handbook wrote the folder.
    pub(crate) fn place_all(&self, files: &Files) -> Result<()> {
        use rayon::prelude::*;
        files
            .par_iter()
            .try_for_each(|(rel, bytes)| self.place(rel, bytes))?;
        self.place(
            MARKER,
            b"written by handbook; the folder is replaced on each build\n",
        )
    }

    /// Swap the staged site in for the output.
    pub(crate) fn commit(mut self) -> Result<()> {
        self.done = true;
        let result = swap(&self.staging, &self.out, &self.old);
        if result.is_err() && self.staging.exists() {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
        result
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.done && self.staging.exists() {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// A file of the staging folder written piece by piece, compared with the previous output's
/// copy as it goes.
pub(crate) struct StagedFile {
    out: std::io::BufWriter<std::fs::File>,
    path: PathBuf,
    previous: Option<(PathBuf, std::io::BufReader<std::fs::File>)>,
    /// Whether every byte so far equals the previous copy's.
    same: bool,
    scratch: Vec<u8>,
    len: usize,
}

impl StagedFile {
    pub(crate) fn write(&mut self, bytes: &[u8]) -> Result<()> {
        use std::io::{Read, Write};
        self.out
            .write_all(bytes)
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        self.len += bytes.len();
        if self.same
            && let Some((_, prev)) = &mut self.previous
        {
            self.scratch.resize(bytes.len(), 0);
            self.same = prev.read_exact(&mut self.scratch).is_ok() && self.scratch == bytes;
        }
        Ok(())
    }

    /// Finish the file; returns its length.
    pub(crate) fn finish(mut self) -> Result<usize> {
        use std::io::{Read, Write};
        self.out
            .flush()
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        drop(self.out);
        if let Some((prev, mut rest)) = self.previous
            && self.same
            && matches!(rest.read(&mut [0u8; 1]), Ok(0))
        {
            // The same bytes as before: the previous file takes this one's place (see `place`).
            let link = self.path.with_extension("link");
            if std::fs::hard_link(&prev, &link).is_ok()
                && std::fs::rename(&link, &self.path).is_err()
            {
                let _ = std::fs::remove_file(&link);
            }
        }
        Ok(self.len)
    }
}

/// Whether `path` is a regular file (not a link) holding exactly `bytes`.
fn same_file_bytes(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return false;
    };
    if !meta.file_type().is_file() || meta.len() != bytes.len() as u64 {
        return false;
    }
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let mut buf = vec![0u8; bytes.len().min(1 << 16)];
    let mut at = 0;
    while at < bytes.len() {
        let want = (bytes.len() - at).min(buf.len());
        if f.read_exact(&mut buf[..want]).is_err() || buf[..want] != bytes[at..at + want] {
            return false;
        }
        at += want;
    }
    // Nothing after the expected end (the file could have grown since the metadata was read).
    matches!(f.read(&mut [0u8; 1]), Ok(0))
}

fn swap(staging: &Path, out: &Path, old: &Path) -> Result<()> {
    let had_old = out.exists();
    if had_old {
        std::fs::rename(out, old)
            .with_context(|| format!("cannot move the previous {} aside", out.display()))?;
    }
    if let Err(e) = std::fs::rename(staging, out) {
        if had_old {
            let _ = std::fs::rename(old, out);
        }
        return Err(e).with_context(|| format!("cannot move the new site into {}", out.display()));
    }
    if had_old {
        std::fs::remove_dir_all(old)
            .with_context(|| format!("cannot remove the previous site at {}", old.display()))?;
    }
    Ok(())
}
