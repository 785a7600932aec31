//! `book.toml`: a strict schema (typos are errors with suggestions) merged with CLI flags into one `Settings`.

use crate::diagnostics::{ContentErrors, Diagnostic};
use anyhow::{Context, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The file as written by the author.
#[derive(Debug, Clone, Default, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BookToml {
    #[serde(default)]
    pub book: BookSection,
    #[serde(default)]
    pub build: BuildSection,
    #[serde(default)]
    pub check: CheckSection,
    #[serde(default)]
    pub notes: NotesSection,
    /// Old page paths (`ch01-02-hello.html`) and where they now live (`hello.html#x`): `build`
    /// writes a small redirect page at each old path.
    #[serde(default)]
    pub redirects: std::collections::BTreeMap<String, String>,
}

/// `[notes]`: what a book asks of each note's front matter.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Hash)]
#[serde(deny_unknown_fields)]
pub struct NotesSection {
    /// Front-matter keys every note must have (besides a title, which a note may also take
    /// from its first `# ` heading).
    #[serde(default, deserialize_with = "require_keys")]
    pub require: Vec<String>,
}

/// The front-matter keys `[notes] require` may list.
pub(crate) const REQUIRABLE: [&str; 5] = ["title", "level", "yoe", "tags", "description"];

fn require_keys<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<String>, D::Error> {
    use serde::de::Error;
    let keys = Vec::<String>::deserialize(d)?;
    if let Some(k) = keys.iter().find(|k| !REQUIRABLE.contains(&k.as_str())) {
        return Err(D::Error::custom(format!(
            "unknown front-matter key `{k}` in require; allowed: {}",
            REQUIRABLE.join(", ")
        )));
    }
    Ok(keys)
}

#[derive(Debug, Clone, Hash, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BookSection {
    #[serde(default = "default_title")]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default)]
    pub authors: Vec<String>,
    /// Link to the book's source repository, shown in the header.
    #[serde(default)]
    pub repository: Option<String>,
    /// Where a note is edited: a URL with `{path}` standing for the note's path from the book's
    /// folder, e.g. `https://github.com/you/book/edit/main/{path}`. Linked from every note.
    #[serde(default, deserialize_with = "edit_url_template")]
    pub edit_url: Option<String>,
}

/// `edit-url` must be a web address with a `{path}` to fill in; an empty one is none.
fn edit_url_template<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<String>, D::Error> {
    use serde::de::Error;
    let s = String::deserialize(d)?;
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let lower = t.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return Err(D::Error::custom(
            "edit-url must be an http(s) address, like \"https://github.com/you/book/edit/main/{path}\"",
        ));
    }
    if !t.contains("{path}") {
        return Err(D::Error::custom(
            "edit-url needs {path} where each note's path goes, like \"https://github.com/you/book/edit/main/{path}\"",
        ));
    }
    Ok(Some(t.to_string()))
}

impl Default for BookSection {
    fn default() -> Self {
        Self {
            title: default_title(),
            description: String::new(),
            language: default_language(),
            authors: Vec::new(),
            repository: None,
            edit_url: None,
        }
    }
}

fn default_title() -> String {
    "Handbook".into()
}
fn default_language() -> String {
    "en".into()
}

#[derive(Debug, Clone, Hash, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BuildSection {
    /// Output folder, relative to the book root.
    #[serde(default = "default_output")]
    pub output_dir: PathBuf,
    /// Absolute URL where the site is published (canonical links, sitemap, Open Graph).
    #[serde(default)]
    pub site_url: Option<String>,
    /// Custom domain for GitHub Pages; writes a `CNAME` file.
    #[serde(default)]
    pub cname: Option<String>,
    /// Include notes with `draft = true`.
    #[serde(default)]
    pub drafts: bool,
    /// Images above this size (KiB) get a warning when exported into one file.
    #[serde(default = "default_image_limit")]
    pub image_size_limit_kb: u64,
    /// Fail the build on broken internal links instead of warning.
    #[serde(default)]
    pub strict: bool,
}

impl Default for BuildSection {
    fn default() -> Self {
        Self {
            output_dir: default_output(),
            site_url: None,
            cname: None,
            drafts: false,
            image_size_limit_kb: default_image_limit(),
            strict: false,
        }
    }
}

fn default_output() -> PathBuf {
    PathBuf::from("public")
}
fn default_image_limit() -> u64 {
    512
}

#[derive(Debug, Clone, Hash, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CheckSection {
    /// URL prefixes that external checks skip.
    #[serde(default)]
    pub skip: Vec<String>,
    /// If not empty, only URLs with one of these prefixes are checked externally.
    #[serde(default)]
    pub allow: Vec<String>,
    /// How long a cached external result stays valid, in hours.
    #[serde(default = "default_cache_hours")]
    pub cache_hours: u64,
    /// Seconds before an external request is given up.
    #[serde(default = "default_timeout")]
    pub timeout: u64,
    /// Concurrent requests to one host.
    #[serde(default = "default_per_host")]
    pub per_host: usize,
}

impl Default for CheckSection {
    fn default() -> Self {
        Self {
            skip: Vec::new(),
            allow: Vec::new(),
            cache_hours: default_cache_hours(),
            timeout: default_timeout(),
            per_host: default_per_host(),
        }
    }
}

fn default_cache_hours() -> u64 {
    24
}
fn default_timeout() -> u64 {
    10
}
fn default_per_host() -> usize {
    2
}

/// Everything a build needs to know, resolved once from `book.toml` and the command line.
#[derive(Debug, Clone, Hash)]
pub struct Settings {
    pub root: PathBuf,
    pub book: BookSection,
    pub build: BuildSection,
    pub check: CheckSection,
    pub notes: NotesSection,
    pub redirects: std::collections::BTreeMap<String, String>,
    /// Absolute output folder.
    pub output: PathBuf,
    /// `site-url` normalised to end with `/`.
    pub site_url: Option<String>,
    /// Allow an output folder outside the book or not made by us.
    pub force: bool,
    /// Injected into pages by `serve` only.
    pub live_reload: bool,
}

/// Command-line values that override `book.toml`.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub output: Option<PathBuf>,
    pub site_url: Option<String>,
    pub drafts: bool,
    pub force: bool,
    pub strict: bool,
}

impl Settings {
    /// Read `ROOT/book.toml` and apply overrides.
    pub fn load(root: &Path, ov: &Overrides) -> Result<Settings> {
        let root = root
            .canonicalize()
            .with_context(|| format!("book folder {} not found", root.display()))?;
        let path = root.join("book.toml");
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "{}: cannot read book.toml (a book needs one at its root; `handbook init` makes one)",
                path.display()
            )
        })?;
        let file = parse_book_toml(&text)?;
        let settings = Self::from_parts(root, file, ov);
        if let Some(url) = &settings.site_url
            && let Err(why) = check_site_url(url)
        {
            if ov.site_url.as_deref().is_some_and(|u| !u.trim().is_empty()) {
                anyhow::bail!("--site-url `{}`: {why}", url.trim_end_matches('/'));
            }
            let line = text
                .lines()
                .position(|l| l.trim_start().starts_with("site-url"))
                .map_or(0, |i| i + 1);
            return Err(ContentErrors(vec![Diagnostic::error(
                "book.toml",
                line,
                1,
                format!("site-url: {why}"),
            )])
            .into());
        }
        Ok(settings)
    }

    pub(crate) fn from_parts(root: PathBuf, file: BookToml, ov: &Overrides) -> Settings {
        let mut build = file.build;
        if ov.drafts {
            build.drafts = true;
        }
        if ov.strict {
            build.strict = true;
        }
        let out = ov
            .output
            .clone()
            .unwrap_or_else(|| build.output_dir.clone());
        let output = if out.is_absolute() {
            out
        } else {
            root.join(out)
        };
        let site_url = ov
            .site_url
            .clone()
            .or_else(|| build.site_url.clone())
            .filter(|s| !s.trim().is_empty())
            .map(|s| {
                let s = s.trim().to_string();
                if s.ends_with('/') { s } else { s + "/" }
            });
        Settings {
            root,
            book: file.book,
            build,
            check: file.check,
            notes: file.notes,
            redirects: file.redirects,
            output: normalize(&output),
            site_url,
            force: ov.force,
            live_reload: false,
        }
    }
}

/// A site URL is where the site is served: an absolute http(s) address with a host.
fn check_site_url(url: &str) -> std::result::Result<(), String> {
    let lower = url.to_ascii_lowercase();
    let host = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .and_then(|r| r.split('/').next())
        .unwrap_or("");
    if host.is_empty() || url.chars().any(char::is_whitespace) {
        return Err(
            "give the address the site is served at, like \"https://you.github.io/handbook/\" (links between pages stay relative either way)"
                .into(),
        );
    }
    Ok(())
}

/// Parse `book.toml` text, turning schema mistakes into a located error.
pub(crate) fn parse_book_toml(text: &str) -> Result<BookToml> {
    toml::from_str::<BookToml>(text).map_err(|e| {
        let (line, col, msg) = crate::diagnostics::toml_error::explain(&e, text);
        ContentErrors(vec![Diagnostic::error("book.toml", line, col, msg)]).into()
    })
}

/// Lexically clean `a/./b/../c` without touching the file system.
pub(crate) fn normalize(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typo_in_book_toml_names_key_and_suggests() {
        let err = parse_book_toml("[book]\ntitel = \"x\"\n").unwrap_err();
        let msg = format!("{err:#}");
        assert!(msg.contains("book.toml:2:1"), "{msg}");
        assert!(msg.contains("did you mean `title`?"), "{msg}");
    }

    #[test]
    fn edit_url_needs_a_web_address_with_a_path_and_names_its_line() {
        let file =
            parse_book_toml("[book]\nedit-url = \"https://github.com/you/b/edit/main/{path}\"\n")
                .unwrap();
        assert_eq!(
            file.book.edit_url.as_deref(),
            Some("https://github.com/you/b/edit/main/{path}")
        );
        assert_eq!(
            parse_book_toml("[book]\nedit-url = \" \"\n")
                .unwrap()
                .book
                .edit_url,
            None
        );
        for (value, says) in [
            ("https://github.com/you/b/edit/main/", "needs {path}"),
            ("github.com/you/b/edit/main/{path}", "http(s) address"),
        ] {
            let text = format!("[book]\ntitle = \"T\"\nedit-url = \"{value}\"\n");
            let msg = format!("{:#}", parse_book_toml(&text).unwrap_err());
            assert!(msg.contains("book.toml:3:"), "{msg}");
            assert!(msg.contains(says), "{msg}");
        }
    }

    #[test]
    fn site_url_must_be_a_web_address_with_a_host() {
        for ok in [
            "https://u.github.io/handbook/",
            "http://127.0.0.1:8080/x/",
            "HTTPS://A.B",
        ] {
            assert!(check_site_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "not a url/",
            "u.github.io/",
            "https:///x/",
            "ftp://h/",
            "https://h/a b/",
        ] {
            assert!(check_site_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn site_url_gets_trailing_slash() {
        let ov = Overrides {
            site_url: Some("https://u.github.io/handbook".into()),
            ..Default::default()
        };
        let s = Settings::from_parts(PathBuf::from("/b"), BookToml::default(), &ov);
        assert_eq!(s.site_url.as_deref(), Some("https://u.github.io/handbook/"));
        assert_eq!(s.output, PathBuf::from("/b/public"));
    }
}
