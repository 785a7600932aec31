//! Fixture books for integration tests: a temp folder, a few files, and the real binary.
#![allow(dead_code)]

pub mod standalone;
pub use standalone::{copy_tree, walk};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Write `root/rel` (creating folders).
pub fn write_file(root: &Path, rel: &str, content: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

pub struct TestBook {
    pub dir: tempfile::TempDir,
}

/// Front matter for a note with the given title (beginner, 0-2, tags a and b).
pub fn fm(title: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nlevel = \"beginner\"\nyoe = \"0-2\"\ntags = [\"alpha\", \"beta\"]\n+++\n\n"
    )
}

impl TestBook {
    /// An empty book with a minimal book.toml.
    pub fn new() -> TestBook {
        let dir = tempfile::tempdir().expect("tempdir");
        let b = TestBook { dir };
        b.write("book.toml", "[book]\ntitle = \"Test Book\"\n");
        b
    }

    /// An empty book with two sections: `01-basics` (Basics) and `02-more` (More).
    pub fn two_sections() -> TestBook {
        let b = TestBook::new();
        b.write("notes/01-basics/_section.toml", "title = \"Basics\"\n");
        b.write("notes/02-more/_section.toml", "title = \"More\"\n");
        b
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Write a file (creating folders).
    pub fn write(&self, rel: &str, content: &str) -> &Self {
        write_file(self.root(), rel, content);
        self
    }

    /// Write a note with standard front matter and the given body.
    pub fn note(&self, rel: &str, title: &str, body: &str) -> &Self {
        self.write(rel, &format!("{}{}", fm(title), body))
    }

    /// Run the binary with `args` in the book folder.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_handbook"))
            .args(args)
            .current_dir(self.root())
            .env_remove("CLICOLOR_FORCE")
            .output()
            .expect("run handbook")
    }

    /// `handbook build`, asserting success.
    pub fn build_ok(&self) -> Output {
        let o = self.run(&["build"]);
        assert!(
            o.status.success(),
            "build failed:\n{}",
            String::from_utf8_lossy(&o.stderr)
        );
        o
    }

    /// `handbook build`, asserting failure; returns what it printed on stderr.
    pub fn build_fails(&self) -> String {
        let o = self.run(&["build"]);
        assert!(
            !o.status.success(),
            "build succeeded but should have failed:\n{}",
            stderr(&o)
        );
        stderr(&o)
    }

    /// No staging or set-aside copy of the output is left beside it (`.public.staging-*`,
    /// `.public.old-*`).
    pub fn assert_no_staging_left(&self) {
        let leftovers: Vec<_> = std::fs::read_dir(self.root())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("staging") || n.starts_with(".public."))
            .collect();
        assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
    }

    /// Every file of the built search index (the manifest and its pieces), as one text.
    pub fn search_text(&self) -> String {
        let mut text = self.out("search-index.js");
        if let Ok(dir) = std::fs::read_dir(self.path("public/search-index")) {
            let mut files: Vec<_> = dir.filter_map(|e| e.ok()).map(|e| e.path()).collect();
            files.sort();
            for f in files {
                text.push_str(&std::fs::read_to_string(f).unwrap_or_default());
            }
        }
        text
    }

    /// A file of the built site.
    pub fn out(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path("public").join(rel))
            .unwrap_or_else(|e| panic!("public/{rel}: {e}"))
    }
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// What a command printed: its stdout, then its stderr.
pub fn stdout_and_stderr(o: &Output) -> String {
    format!("{}{}", stdout(o), stderr(o))
}

/// A start tag: lower-case name and its attributes by lower-case name, values decoded.
pub type Tag = (String, BTreeMap<String, String>);

/// The start tags of a document in page order, read by the crate's own tokenizer (the one
/// `html_parity.rs` holds to html5ever).
pub fn start_tags(html: &str) -> Vec<Tag> {
    use handbook::util::html::{Token, Tokenizer};
    let mut tok = Tokenizer::new(html);
    let mut tags = Vec::new();
    while let Some(t) = tok.next() {
        if let Token::Start(tag) = t {
            let attrs = tok
                .attrs()
                .iter()
                .map(|a| (a.name.to_string(), a.decoded().into_owned()))
                .collect();
            tags.push((tag.name.into_owned(), attrs));
        }
    }
    tags
}

/// A small book with two sections and cross links, used by many tests.
pub fn two_section_book() -> TestBook {
    let b = TestBook::two_sections();
    b.note(
        "notes/01-basics/01-first.md",
        "First Note",
        "## Overview\n\nSee [second](../02-more/02-second.md#details) and [here](#overview).\n\n## Overview\n\nDuplicate heading.[^1]\n\n[^1]: A footnote.\n",
    );
    b.note(
        "notes/02-more/02-second.md",
        "Second Note",
        "## Details\n\nBack to [first](../01-basics/01-first.md).\n\n```sql\nSELECT 1;\n```\n",
    );
    b
}

/// Run `node tests/browser/<script> <args>`; skip (with a note) where Chromium or the npm
/// packages are missing, except in CI (`CI` set), where a missing browser is a failure.
pub fn browser_test(script: &str, args: &[&str]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let ready = Path::new(&chromium).exists() && dir.join("node_modules/playwright-core").exists();
    if !ready {
        if std::env::var_os("CI").is_some() {
            panic!("browser tests need {chromium} and `npm ci` in tests/browser (see .ci/run)");
        }
        eprintln!(
            "skipping {script}: install chromium and run `npm ci` in tests/browser to run it"
        );
        return;
    }
    let o = Command::new("node")
        .arg(dir.join(script))
        .args(args)
        .current_dir(&dir)
        .output()
        .expect("run node");
    let out = stdout_and_stderr(&o);
    assert!(o.status.success(), "{script} failed:\n{out}");
}

/// The repository's own book, built once per test run (plain `handbook build`, no site URL)
/// into the target's temp folder and shared by every test that only reads the output.
pub fn real_book_site() -> &'static Path {
    static SITE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("real-book-site");
        let o = Command::new(env!("CARGO_BIN_EXE_handbook"))
            .args([
                "build",
                "--quiet",
                "--force",
                "--root",
                env!("CARGO_MANIFEST_DIR"),
            ])
            .arg("--output")
            .arg(&out)
            .env_remove("CLICOLOR_FORCE")
            .output()
            .expect("run handbook");
        assert!(
            o.status.success(),
            "the real book failed to build:\n{}",
            stderr(&o)
        );
        out
    })
}
