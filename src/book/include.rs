//! mdBook-compatible includes (`{{#include}}`, `{{#rustdoc_include}}`, `{{#title}}`), expanded when a note is loaded so render, search and check see the text.

use crate::diagnostics::{Diagnostic, display_path};
use crate::settings::normalize;
use std::path::{Path, PathBuf};

/// Nested includes deeper than this are taken for a cycle through different spellings.
const MAX_DEPTH: usize = 16;

/// A note's text with its includes expanded.
pub(crate) struct Expanded {
    pub text: String,
    /// `{{#title ...}}`, if the note sets one.
    pub title: Option<String>,
    /// From lines of `text` back to lines of the note's own file.
    pub lines: LineMap,
}

/// Maps a line of a note's expanded text to the line of its file that produced it: lines an
/// include brought in map to the directive's line, lines after it shift back by what it added.
#[derive(Clone, Debug, Default, Hash, PartialEq)]
pub struct LineMap(Vec<Spliced>);

/// One top-level directive's replacement: expanded lines `first..=last` came from line `source`,
/// where the directive itself spanned `source_newlines` line breaks.
#[derive(Clone, Debug, Hash, PartialEq)]
struct Spliced {
    first: usize,
    last: usize,
    source: usize,
    source_newlines: usize,
}

impl LineMap {
    /// The 1-based line of the note's file for 1-based line `line` of the expanded text.
    pub(crate) fn source_line(&self, line: usize) -> usize {
        let mut added = 0;
        for s in &self.0 {
            if line < s.first {
                break;
            }
            if line <= s.last {
                return s.source;
            }
            added += (s.last - s.first) as isize - s.source_newlines as isize;
        }
        (line as isize - added).max(1) as usize
    }
}

/// Where includes may come from and what they read.
pub(crate) struct Includer<'a> {
    pub root: &'a Path,
    /// Every file an include named (found or not), so a change to one re-reads the note.
    pub deps: Vec<PathBuf>,
    stack: Vec<PathBuf>,
}

/// What a directive asks for.
#[derive(Debug, PartialEq)]
enum Part {
    All,
    /// 1-based, inclusive; `None` is the end of the file.
    Lines(usize, Option<usize>),
    Anchor(String),
}

impl<'a> Includer<'a> {
    pub(crate) fn new(root: &'a Path) -> Includer<'a> {
        Includer {
            root,
            deps: Vec::new(),
            stack: Vec::new(),
        }
    }

    /// Expand every directive of `text`, read from `file`. Errors name the file and line of the
    /// directive that failed.
    pub(crate) fn expand(&mut self, file: &Path, text: &str) -> Result<Expanded, Vec<Diagnostic>> {
        let mut title = None;
        let mut lines = LineMap::default();
        self.stack.push(file.to_path_buf());
        let r = self.expand_in(file, text, &mut title, Some(&mut lines));
        self.stack.pop();
        r.map(|text| Expanded { text, title, lines })
    }

    /// Expand `text`; at the top level, `lines` records where each replacement landed.
    fn expand_in(
        &mut self,
        file: &Path,
        text: &str,
        title: &mut Option<String>,
        mut lines: Option<&mut LineMap>,
    ) -> Result<String, Vec<Diagnostic>> {
        if !text.contains("{{#") {
            return Ok(text.to_string());
        }
        let mut out = String::with_capacity(text.len());
        let mut errors = Vec::new();
        let mut rest = text;
        // Lines added so far by replacements (expanded line = source line + shift).
        let mut shift: isize = 0;
        while let Some(i) = rest.find("{{#") {
            let escaped = rest[..i].ends_with('\\');
            let Some(len) = rest[i..].find("}}") else {
                break;
            };
            let directive = &rest[i + 3..i + len];
            if escaped {
                out.push_str(&rest[..i - 1]);
                out.push_str(&rest[i..i + len + 2]);
                rest = &rest[i + len + 2..];
                continue;
            }
            out.push_str(&rest[..i]);
            let line = text[..text.len() - rest.len() + i].matches('\n').count() + 1;
            match self.directive(file, line, directive, title) {
                Ok(Some(s)) => {
                    if let Some(map) = lines.as_deref_mut() {
                        let first = (line as isize + shift) as usize;
                        let (added, own) =
                            (s.matches('\n').count(), directive.matches('\n').count());
                        map.0.push(Spliced {
                            first,
                            last: first + added,
                            source: line,
                            source_newlines: own,
                        });
                        shift += added as isize - own as isize;
                    }
                    out.push_str(&s)
                }
                Ok(None) => out.push_str(&rest[i..i + len + 2]),
                Err(mut e) => errors.append(&mut e),
            }
            rest = &rest[i + len + 2..];
        }
        out.push_str(rest);
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    /// The text a directive stands for; `None` leaves an unknown directive as it is.
    fn directive(
        &mut self,
        file: &Path,
        line: usize,
        directive: &str,
        title: &mut Option<String>,
    ) -> Result<Option<String>, Vec<Diagnostic>> {
        let (name, arg) = directive
            .trim()
            .split_once(char::is_whitespace)
            .unwrap_or((directive.trim(), ""));
        let arg = arg.trim();
        let rustdoc = match name {
            "include" => false,
            "rustdoc_include" => true,
            "title" => {
                *title = Some(arg.to_string());
                return Ok(Some(String::new()));
            }
            _ => return Ok(None),
        };
        // `{{#include}}` with nothing to include is text (mdBook leaves it too).
        if arg.is_empty() {
            return Ok(None);
        }
        let here = |msg: String| {
            vec![Diagnostic::error(
                display_path(self.root, file),
                line,
                1,
                msg,
            )]
        };
        let (path, part) = parse_target(arg).map_err(here)?;
        let target = normalize(&file.parent().unwrap_or(self.root).join(path));
        if !target.starts_with(self.root) {
            return Err(here(format!(
                "{{{{#{name} {arg}}}}}: `{path}` leaves the book's folder; included files must be inside it"
            )));
        }
        self.deps.push(target.clone());
        if self.stack.contains(&target) || self.stack.len() > MAX_DEPTH {
            let chain: Vec<String> = self
                .stack
                .iter()
                .chain(std::iter::once(&target))
                .map(|p| display_path(self.root, p))
                .collect();
            return Err(here(format!("include cycle: {}", chain.join(" -> "))));
        }
        let content = std::fs::read_to_string(&target).map_err(|e| {
            here(format!(
                "{{{{#{name} {arg}}}}}: cannot read {}: {e}",
                display_path(self.root, &target)
            ))
        })?;
        let picked = pick(&content, &part).map_err(|why| {
            here(format!(
                "{{{{#{name} {arg}}}}}: {why} in {}",
                display_path(self.root, &target)
            ))
        })?;
        let picked = if rustdoc {
            without_hidden_lines(&picked)
        } else {
            picked
        };
        self.stack.push(target.clone());
        let r = self.expand_in(&target, &picked, &mut None, None);
        self.stack.pop();
        r.map(Some)
    }
}

/// `path`, `path:N`, `path:N:M`, `path:N:`, `path::M` or `path:ANCHOR`.
fn parse_target(arg: &str) -> Result<(&str, Part), String> {
    let (path, spec) = match arg.split_once(':') {
        Some((p, s)) => (p.trim(), Some(s.trim())),
        None => (arg.trim(), None),
    };
    if path.is_empty() {
        return Err("an include needs a path, like {{#include ../listings/main.rs}}".into());
    }
    let Some(spec) = spec else {
        return Ok((path, Part::All));
    };
    let num = |s: &str| -> Result<Option<usize>, String> {
        if s.is_empty() {
            return Ok(None);
        }
        match s.parse::<usize>() {
            Ok(0) => Err("line numbers start at 1".into()),
            Ok(n) => Ok(Some(n)),
            Err(_) => Err(format!("`{s}` is not a line number")),
        }
    };
    let is_range = spec.chars().all(|c| c.is_ascii_digit() || c == ':') && !spec.is_empty();
    if !is_range {
        if !spec
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        {
            return Err(format!(
                "`{spec}` is neither a line range (N, N:M, N:, :M) nor an anchor name"
            ));
        }
        return Ok((path, Part::Anchor(spec.to_string())));
    }
    let part = match spec.split_once(':') {
        None => {
            let n = num(spec)?.unwrap_or(1);
            Part::Lines(n, Some(n))
        }
        Some((a, b)) => Part::Lines(num(a)?.unwrap_or(1), num(b)?),
    };
    Ok((path, part))
}

/// The lines a part names, anchor marker lines left out; a trailing newline is dropped.
fn pick(content: &str, part: &Part) -> Result<String, String> {
    let lines: Vec<&str> = content.lines().collect();
    let chosen: Vec<&str> = match part {
        Part::All => lines.clone(),
        Part::Lines(a, b) => {
            let end = b.unwrap_or(lines.len());
            if *a > lines.len() || end > lines.len() || end < *a {
                let shown = match b {
                    Some(b) => format!("{a}:{b}"),
                    None => format!("{a}:"),
                };
                return Err(format!(
                    "lines {shown} are outside the file (it has {} lines)",
                    lines.len()
                ));
            }
            lines[a - 1..end].to_vec()
        }
        Part::Anchor(name) => {
            let start = lines
                .iter()
                .position(|l| anchor_of(l, "ANCHOR:") == Some(name.as_str()))
                .ok_or_else(|| format!("no anchor `{name}` (a line with `ANCHOR: {name}`)"))?;
            let len = lines[start + 1..]
                .iter()
                .position(|l| anchor_of(l, "ANCHOR_END:") == Some(name.as_str()))
                .ok_or_else(|| {
                    format!("anchor `{name}` is never closed (a line with `ANCHOR_END: {name}`)")
                })?;
            lines[start + 1..start + 1 + len].to_vec()
        }
    };
    let kept: Vec<&str> = chosen
        .into_iter()
        .filter(|l| anchor_of(l, "ANCHOR:").is_none() && anchor_of(l, "ANCHOR_END:").is_none())
        .collect();
    Ok(kept.join("\n"))
}

/// The anchor name after `marker` on a line, if the line has one.
fn anchor_of<'l>(line: &'l str, marker: &str) -> Option<&'l str> {
    let at = line.find(marker)?;
    let rest = line[at + marker.len()..].trim_start();
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

/// Rust code without the lines rustdoc hides (`# ` or a lone `#`, after indentation).
fn without_hidden_lines(code: &str) -> String {
    code.lines()
        .filter(|l| {
            let t = l.trim_start();
            !(t == "#" || t.starts_with("# "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_like_mdbook() {
        assert_eq!(parse_target("a.rs").unwrap(), ("a.rs", Part::All));
        assert_eq!(parse_target("a.rs:2").unwrap().1, Part::Lines(2, Some(2)));
        assert_eq!(parse_target("a.rs:2:4").unwrap().1, Part::Lines(2, Some(4)));
        assert_eq!(parse_target("a.rs:2:").unwrap().1, Part::Lines(2, None));
        assert_eq!(parse_target("a.rs::3").unwrap().1, Part::Lines(1, Some(3)));
        assert_eq!(
            parse_target("a.rs:main").unwrap().1,
            Part::Anchor("main".into())
        );
        assert!(parse_target("a.rs:0").is_err());
        assert!(parse_target("a.rs:x y").is_err());
    }

    #[test]
    fn picks_ranges_and_anchors_without_markers() {
        let f = "one\n// ANCHOR: a\ntwo\n// ANCHOR: b\nthree\n// ANCHOR_END: b\n// ANCHOR_END: a\nfour\n";
        assert_eq!(pick(f, &Part::Anchor("a".into())).unwrap(), "two\nthree");
        assert_eq!(pick(f, &Part::Anchor("b".into())).unwrap(), "three");
        assert_eq!(pick(f, &Part::All).unwrap(), "one\ntwo\nthree\nfour");
        assert_eq!(pick(f, &Part::Lines(8, None)).unwrap(), "four");
        assert!(
            pick(f, &Part::Lines(9, None))
                .unwrap_err()
                .contains("8 lines")
        );
        assert!(pick(f, &Part::Anchor("c".into())).is_err());
    }

    #[test]
    fn rustdoc_hidden_lines_are_dropped() {
        assert_eq!(
            without_hidden_lines("# fn main() {\n#[derive(Debug)]\nstruct A;\n    #\n# }"),
            "#[derive(Debug)]\nstruct A;"
        );
    }

    #[test]
    fn lines_after_an_include_map_back_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("five.rs"), "1\n2\n3\n4\n5").unwrap();
        let note = root.join("note.md");
        let text = "a\n{{#include five.rs}}\nb\nc {{#include five.rs:1:2}} d\ne\n";
        let x = Includer::new(root).expand(&note, text).unwrap();
        let lines: Vec<&str> = x.text.lines().collect();
        let at = |s: &str| lines.iter().position(|l| *l == s).unwrap() + 1;
        assert_eq!(x.lines.source_line(at("a")), 1);
        // Every included line is reported at the directive's line.
        assert_eq!(x.lines.source_line(at("3")), 2);
        assert_eq!(x.lines.source_line(at("b")), 3);
        assert_eq!(x.lines.source_line(at("c 1")), 4);
        assert_eq!(x.lines.source_line(at("2 d")), 4);
        assert_eq!(x.lines.source_line(at("e")), 5);
        let plain = Includer::new(root).expand(&note, "x\ny\n").unwrap();
        assert_eq!(plain.lines.source_line(2), 2);
    }
}
