//! A staging folder written file by file as a build makes them (no whole site in memory), then
//! swapped in whole like [`super::stage`]'s.

use super::{MARKER, Staged, check_target, same_file_bytes};
use crate::settings::Settings;
use anyhow::{Context, Result};
use std::collections::HashSet;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A staging folder being filled. Dropped without `finish`, it is removed and the output is
/// left as it was.
pub struct Staging {
    staged: Staged,
    /// The output being replaced, when handbook wrote it: unchanged files are linked from it.
    previous: Option<PathBuf>,
    /// Folders made so far.
    made: Mutex<HashSet<PathBuf>>,
}

impl Staging {
    /// A fresh, empty staging folder beside the output.
    pub fn begin(settings: &Settings) -> Result<Staging> {
        check_target(settings)?;
        let staged = super::staged_beside(&settings.output)?;
        std::fs::create_dir_all(&staged.staging)
            .with_context(|| format!("cannot create {}", staged.staging.display()))?;
        let out = &settings.output;
        Ok(Staging {
            previous: out.join(MARKER).is_file().then(|| out.clone()),
            staged,
            made: Mutex::default(),
        })
    }

    /// The folder files are written to.
    pub fn dir(&self) -> &Path {
        &self.staged.staging
    }

    /// Make the folder `rel` will be written in, once per folder.
    fn parent_of(&self, rel: &str) -> Result<PathBuf> {
        let path = self.dir().join(rel);
        if let Some(p) = path.parent() {
            let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
            if !made.contains(p) {
                std::fs::create_dir_all(p)
                    .with_context(|| format!("cannot create {}", p.display()))?;
                made.insert(p.to_path_buf());
            }
        }
        Ok(path)
    }

    /// Write one file. A file the previous output holds with the same bytes is hard-linked from
    /// there instead: it keeps its modification time (so deploy tools and HTTP caches see only
    /// the pages that changed).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.parent_of(rel)?;
        if let Some(prev) = self.previous.as_ref().map(|p| p.join(rel))
            && same_file_bytes(&prev, bytes)
            && std::fs::hard_link(&prev, &path).is_ok()
        {
            return Ok(());
        }
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
    }

    /// A file written in parts; compared with the previous output's as it goes, and linked
    /// from there when it turns out the same.
    pub fn create(&self, rel: &str) -> Result<StagedFile> {
        let path = self.parent_of(rel)?;
        let file =
            File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
        let prev = self.previous.as_ref().map(|p| p.join(rel));
        let reader = prev
            .as_ref()
            .filter(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_file()))
            .and_then(|p| File::open(p).ok())
            .map(|f| BufReader::with_capacity(1 << 16, f));
        Ok(StagedFile {
            out: BufWriter::with_capacity(1 << 16, file),
            prev: reader.zip(prev),
            scratch: Vec::new(),
            path,
        })
    }

    /// Every file is written: mark the folder as handbook's, ready to be swapped in.
    pub fn finish(self) -> Result<Staged> {
        self.write(
            MARKER,
            b"written by handbook; the folder is replaced on each build\n",
        )?;
        Ok(self.staged)
    }
}

/// A file of the staging folder being written in parts.
pub struct StagedFile {
    out: BufWriter<File>,
    /// The previous output's file and its path, while every byte so far was the same.
    prev: Option<(BufReader<File>, PathBuf)>,
    scratch: Vec<u8>,
    path: PathBuf,
}

impl StagedFile {
    pub fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.out
            .write_all(bytes)
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        if let Some((r, _)) = &mut self.prev {
            self.scratch.resize(bytes.len(), 0);
            if r.read_exact(&mut self.scratch).is_err() || self.scratch != bytes {
                self.prev = None;
            }
        }
        Ok(())
    }

    /// The file is complete; when the previous output's is the same to its end, link that one.
    pub fn finish(mut self) -> Result<()> {
        self.out
            .flush()
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        drop(self.out);
        if let Some((mut r, prev)) = self.prev.take()
            && matches!(r.read(&mut [0u8; 1]), Ok(0))
        {
            let _ = std::fs::remove_file(&self.path);
            if std::fs::hard_link(&prev, &self.path).is_err() {
                // The copy just written was removed: write it again from the identical old file.
                std::fs::copy(&prev, &self.path)
                    .with_context(|| format!("cannot write {}", self.path.display()))?;
            }
        }
        Ok(())
    }
}
