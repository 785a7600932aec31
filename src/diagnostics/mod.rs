//! Content errors and warnings that point at a file, line and column, collected per build.

pub(crate) mod toml_error;

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is: errors fail the build, warnings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in the book's sources, located as precisely as it is known.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the book root, with `/` separators.
    pub file: String,
    /// 1-based; 0 when the whole file is meant.
    pub line: usize,
    /// 1-based; 0 when unknown.
    pub col: usize,
    pub message: String,
    /// The nearest valid target, when there is one (a link check's "did you mean").
    pub suggestion: Option<String>,
    /// What a link check found, field by field, for tools reading `check --format json`.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub link: Option<LinkFinding>,
}

/// The parts of a broken link (or repeated id) that the link check reports besides its place.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LinkFinding {
    /// `link`, `image`, `footnote`, `id` or `external`.
    pub kind: &'static str,
    /// The link text (or image alt) as the reader sees it.
    pub text: String,
    /// The link target as written (or the repeated id).
    pub target: String,
    /// What is wrong.
    pub reason: String,
    /// Built pages the problem shows on, when the crawl found it.
    pub pages: Vec<String>,
}

impl LinkFinding {
    /// The finding in one line, as a diagnostic's message.
    pub(crate) fn message(&self, severity: Severity, suggestion: Option<&str>) -> String {
        let mut m = match self.kind {
            "id" => format!("repeated id `{}`: {}", self.target, self.reason),
            "footnote" => format!("broken footnote {}: {}", self.target, self.reason),
            "external" if severity == Severity::Warning => format!(
                "external link [{}]({}): {}",
                self.text, self.target, self.reason
            ),
            kind => format!(
                "broken {kind} [{}]({}): {}",
                self.text, self.target, self.reason
            ),
        };
        if let Some(s) = suggestion {
            m.push_str(&format!("; did you mean {s}?"));
        }
        if !self.pages.is_empty() {
            let shown: Vec<&str> = self.pages.iter().take(3).map(String::as_str).collect();
            m.push_str(&format!(" (on {}", shown.join(", ")));
            match self.pages.len().saturating_sub(3) {
                0 => m.push(')'),
                more => m.push_str(&format!(" and {more} more)")),
            }
        }
        m
    }
}

impl Diagnostic {
    pub(crate) fn error(
        file: impl Into<String>,
        line: usize,
        col: usize,
        msg: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Error,
            file: file.into(),
            line,
            col,
            message: msg.into(),
            suggestion: None,
            link: None,
        }
    }

    /// A link check's finding; its message is written by `with_message` once the finding is
    /// complete (the crawl adds the pages it shows on).
    pub(crate) fn link(
        severity: Severity,
        file: impl Into<String>,
        (line, col): (usize, usize),
        finding: LinkFinding,
        suggestion: Option<String>,
    ) -> Self {
        Self {
            suggestion,
            link: Some(finding),
            severity,
            ..Self::error(file, line, col, "")
        }
    }

    /// The diagnostic with its message written from its link finding (unchanged without one).
    pub(crate) fn with_message(mut self) -> Self {
        if let Some(f) = &self.link {
            self.message = f.message(self.severity, self.suggestion.as_deref());
        }
        self
    }

    pub(crate) fn warning(
        file: impl Into<String>,
        line: usize,
        col: usize,
        msg: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(file, line, col, msg)
        }
    }

    /// `file:line:col`, dropping the parts that are unknown, so editors can jump to it.
    pub(crate) fn location(&self) -> String {
        match (self.line, self.col) {
            (0, _) => self.file.clone(),
            (l, 0) => format!("{}:{}", self.file, l),
            (l, c) => format!("{}:{}:{}", self.file, l, c),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.location().as_str() {
            "" => write!(f, "{sev}: {}", self.message),
            loc => write!(f, "{loc}: {sev}: {}", self.message),
        }
    }
}

/// Every content error of one build, reported together.
#[derive(Debug, thiserror::Error)]
#[error("{}", render_list(.0))]
pub(crate) struct ContentErrors(pub Vec<Diagnostic>);

fn render_list(list: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in list {
        out.push_str(&d.to_string());
        out.push('\n');
    }
    let n = list.len();
    out.push_str(&format!(
        "build failed: {} error{}",
        n,
        if n == 1 { "" } else { "s" }
    ));
    out
}

/// The source line a diagnostic points at, read from the book at `root`; `None` when the
/// diagnostic names no line or the file cannot be read.
pub(crate) fn source_line(root: &Path, d: &Diagnostic) -> Option<String> {
    if d.line == 0 || d.file.is_empty() {
        return None;
    }
    let text = std::fs::read_to_string(root.join(&d.file)).ok()?;
    text.lines().nth(d.line - 1).map(str::to_string)
}

/// Content errors already printed (with their source lines): what is left to say is how many.
#[derive(Debug, thiserror::Error)]
#[error("build failed: {0} error{s}", s = if *.0 == 1 { "" } else { "s" })]
pub struct Reported(pub usize);

/// A path shown to users: relative to the book root when it lies inside it.
pub(crate) fn display_path(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    rel.to_string_lossy().replace('\\', "/")
}

/// 1-based line and column of byte `offset` in `text`.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// The closest candidate to `word` by edit distance, if it is close enough to be a likely typo.
pub(crate) fn nearest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = strsim::levenshtein(word, c);
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    let limit = (word.chars().count() / 3).max(2);
    best.filter(|(d, _)| *d <= limit).map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_finds_typos_and_rejects_strangers() {
        assert_eq!(nearest("titel", ["title", "language"]), Some("title"));
        assert_eq!(nearest("zzzzzz", ["title", "language"]), None);
    }

    #[test]
    fn line_col_counts_chars() {
        assert_eq!(line_col("ab\ncdé f", 8), (2, 5));
        assert_eq!(line_col("x", 0), (1, 1));
    }
}
