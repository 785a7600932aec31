//! `handbook import`: turns an mdBook or a folder of Markdown into a handbook book, keeping links, includes and old URLs, and reporting what it could not carry.

mod links;
pub(crate) mod markdown;
pub(crate) mod mdbook;

use crate::cli::{ImportArgs, ImportSource};
use crate::diagnostics::display_path;
use crate::settings::normalize;
use crate::{Log, Outcome};
use anyhow::{Context, Result, bail};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// One thing the import could not carry over, or changed on the way.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Item {
    /// Path in the source, relative to the source folder.
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// A note to write: where, its front matter (TOML, without the `+++` lines) and body.
pub(crate) struct NewNote {
    /// Relative to the new book's root (`notes/02-guide/03-reading.md`).
    pub path: String,
    pub front_matter: String,
    pub body: String,
}

/// The new book as it is assembled in memory, written only when complete.
#[derive(Default)]
pub(crate) struct Plan {
    pub book_toml: String,
    /// Files other than notes: relative path in the new book -> bytes.
    pub files: BTreeMap<String, Vec<u8>>,
    pub notes: Vec<NewNote>,
    pub report: Vec<Item>,
    pub stats: Stats,
}

#[derive(Default, Debug)]
pub(crate) struct Stats {
    pub chapters: usize,
    pub drafts: usize,
    pub includes: usize,
    pub links: usize,
    pub copied: usize,
    pub redirects: usize,
}

impl Plan {
    pub(crate) fn note(&mut self, file: &str, line: usize, message: impl Into<String>) {
        self.report.push(Item {
            file: file.to_string(),
            line,
            message: message.into(),
        });
    }
}

/// `handbook import mdbook|markdown SRC [-o DIR] [--force]`.
pub(crate) fn run(args: &ImportArgs, log: &Log) -> Result<Outcome> {
    let (src, out, force, kind) = match &args.source {
        ImportSource::Mdbook(a) => (&a.path, &a.output, a.force, "mdbook"),
        ImportSource::Markdown(a) => (&a.path, &a.output, a.force, "markdown"),
    };
    let src = src
        .canonicalize()
        .with_context(|| format!("{} not found", src.display()))?;
    let out = absolute(out)?;
    check_target(&src, &out, force)?;
    let plan = if kind == "mdbook" {
        mdbook::plan(&src)?
    } else {
        markdown::plan(&src)?
    };
    write(&out, &plan)?;
    if !log.quiet {
        print_report(&plan, &out);
    }
    Ok(Outcome::Ok)
}

fn absolute(p: &Path) -> Result<PathBuf> {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()?.join(p)
    };
    Ok(normalize(&p))
}

/// The new book may not be the source or lie inside it (the import never writes there), nor
/// hold the source; it must be empty unless `--force`.
fn check_target(src: &Path, out: &Path, force: bool) -> Result<()> {
    let out_real = out.canonicalize().unwrap_or_else(|_| out.to_path_buf());
    if out_real.starts_with(src) {
        bail!(
            "{} is inside the book being imported ({}); the import never writes into its source: choose a folder elsewhere with -o",
            out.display(),
            src.display()
        );
    }
    if src.starts_with(&out_real) {
        bail!(
            "{} holds the book being imported; choose a new, empty folder with -o",
            out.display()
        );
    }
    if out.is_file() {
        bail!(
            "{} is a file; give a folder for the new book",
            out.display()
        );
    }
    let busy = out.is_dir() && std::fs::read_dir(out)?.next().is_some();
    if busy && !force {
        bail!(
            "{} is not empty; choose a new or empty folder, or pass --force to write over what is there",
            out.display()
        );
    }
    Ok(())
}

fn write(out: &Path, plan: &Plan) -> Result<()> {
    let notes = plan.notes.iter().map(|n| {
        let text = format!("+++\n{}+++\n{}", n.front_matter, n.body);
        (n.path.clone(), text.into_bytes())
    });
    let files = plan.files.iter().map(|(p, b)| (p.clone(), b.clone()));
    let book = std::iter::once(("book.toml".to_string(), plan.book_toml.clone().into_bytes()));
    for (rel, bytes) in book.chain(files).chain(notes) {
        let path = out.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

fn print_report(plan: &Plan, out: &Path) {
    let s = &plan.stats;
    if !plan.report.is_empty() {
        eprintln!("not carried over, or changed ({}):", plan.report.len());
        for i in &plan.report {
            match i.line {
                0 => eprintln!("  {}: {}", i.file, i.message),
                l => eprintln!("  {}:{l}: {}", i.file, i.message),
            }
        }
    }
    eprintln!(
        "imported {} chapters ({} drafts), {} includes, {} links rewritten, {} files copied, {} redirects, {} report items -> {}",
        s.chapters,
        s.drafts,
        s.includes,
        s.links,
        s.copied,
        s.redirects,
        plan.report.len(),
        out.display()
    );
    eprintln!("next: cd {} && handbook check", out.display());
}

/// Where each source file went, and the files copied so far: shared by both importers.
pub(crate) struct Mapper {
    /// The source folder (links and includes resolve within it; files outside it are copied too).
    pub src: PathBuf,
    /// Source file (absolute, normalized) -> its note's path in the new book.
    pub notes: HashMap<PathBuf, String>,
    /// Lower-cased file stem -> source files with it (Obsidian links name files by stem).
    pub stems: HashMap<String, Vec<PathBuf>>,
    /// Source file -> its copy in the new book.
    pub copied: HashMap<PathBuf, String>,
}

/// Copied files live under `notes/_files/` (`_` keeps them out of the notes; notes link there).
pub(crate) const FILES_DIR: &str = "notes/_files";

impl Mapper {
    pub(crate) fn new(src: &Path) -> Mapper {
        Mapper {
            src: src.to_path_buf(),
            notes: HashMap::new(),
            stems: HashMap::new(),
            copied: HashMap::new(),
        }
    }

    pub(crate) fn add_note(&mut self, source: &Path, new_path: &str) {
        let stem = source
            .file_stem()
            .map(|s| s.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        self.stems
            .entry(stem)
            .or_default()
            .push(source.to_path_buf());
        self.notes
            .insert(source.to_path_buf(), new_path.to_string());
    }

    /// Copy `source` into the new book (once) and return its path there.
    pub(crate) fn copy(&mut self, source: &Path, plan: &mut Plan) -> Result<String> {
        if let Some(p) = self.copied.get(source) {
            return Ok(p.clone());
        }
        let rel = match source.strip_prefix(&self.src) {
            Ok(r) => display_path(Path::new(""), r),
            Err(_) => {
                let name = source.file_name().unwrap_or_default().to_string_lossy();
                let mut n = format!("_outside/{name}");
                let mut k = 2;
                while plan.files.contains_key(&format!("{FILES_DIR}/{n}")) {
                    n = format!("_outside/{k}-{name}");
                    k += 1;
                }
                n
            }
        };
        let new = format!("{FILES_DIR}/{rel}");
        let bytes =
            std::fs::read(source).with_context(|| format!("cannot read {}", source.display()))?;
        plan.files.insert(new.clone(), bytes);
        plan.stats.copied += 1;
        self.copied.insert(source.to_path_buf(), new.clone());
        Ok(new)
    }

    /// The source folder's name for a file, for the report.
    pub(crate) fn shown(&self, p: &Path) -> String {
        display_path(&self.src, p)
    }
}

/// A relative link from the new file `from` to `to` (both relative to the new book's root).
pub(crate) fn relative(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> =
        from.split('/').collect::<Vec<_>>()[..from.matches('/').count()].to_vec();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out: Vec<&str> = vec![".."; from_dir.len() - common];
    out.extend(&to_parts[common..]);
    out.join("/")
}

/// A TOML string literal.
pub(crate) fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// `NN-` prefix width for `count` items.
pub(crate) fn width(count: usize) -> usize {
    count.to_string().len().max(2)
}

/// A slug not yet taken (and not one of the generated pages' names).
pub(crate) fn unique_slug(base: &str, taken: &mut std::collections::HashSet<String>) -> String {
    const RESERVED: [&str; 6] = ["index", "404", "tags", "search-index", "nav", "sitemap"];
    let base = if base.is_empty() { "note" } else { base };
    let mut slug = base.to_string();
    let mut k = 2;
    while RESERVED.contains(&slug.as_str()) || taken.contains(&slug) {
        slug = format!("{base}-{k}");
        k += 1;
    }
    taken.insert(slug.clone());
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_between_new_files() {
        assert_eq!(
            relative("notes/01-a/01-x.md", "notes/01-a/02-y.md"),
            "02-y.md"
        );
        assert_eq!(
            relative("notes/01-a/01-x.md", "notes/_files/img/a.png"),
            "../_files/img/a.png"
        );
        assert_eq!(
            relative("notes/01-x.md", "notes/02-b/01-y.md"),
            "02-b/01-y.md"
        );
    }

    #[test]
    fn slugs_stay_unique_and_avoid_generated_pages() {
        let mut taken = Default::default();
        assert_eq!(unique_slug("index", &mut taken), "index-2");
        assert_eq!(unique_slug("a", &mut taken), "a");
        assert_eq!(unique_slug("a", &mut taken), "a-2");
    }
}
