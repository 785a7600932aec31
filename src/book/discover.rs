//! The walk of `notes/`: section folders and note files in number-prefix order, each section's `_section.toml`, and the Markdown files deeper down that are not notes.

use super::{Found, Section};
use crate::diagnostics::toml_error;
use crate::diagnostics::{Diagnostic, display_path};
use crate::util::slug::{slugify, strip_number};
use anyhow::Result;
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionToml {
    title: String,
    #[serde(default)]
    description: Option<String>,
}

/// The sections and note files of `notes/`, and the Markdown files deeper in a section's
/// sub-folders (which are not notes: those folders hold a note's images and other files).
pub(crate) fn discover(
    root: &Path,
    notes_dir: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Result<(Vec<Section>, Vec<Found>, Vec<PathBuf>)> {
    let mut sections = vec![Section {
        title: String::new(),
        description: None,
        slug: "notes".into(),
        notes: vec![],
    }];
    let mut found = Vec::new();
    let mut nested = Vec::new();
    let mut entries = sorted_entries(notes_dir)?;
    // Loose notes directly in notes/ form a leading untitled section.
    for (path, is_dir) in &entries {
        if !is_dir && is_note_file(path) {
            found.push(Found {
                section: 0,
                path: path.clone(),
            });
        }
    }
    entries.retain(|(_, d)| *d);
    for (dir, _) in entries {
        let name = file_name(&dir);
        let section = sections.len();
        let (title, description) = read_section_toml(root, &dir, &name, errors);
        sections.push(Section {
            title,
            description,
            slug: slugify(strip_number(&name)),
            notes: vec![],
        });
        for (path, is_dir) in sorted_entries(&dir)? {
            if !is_dir && is_note_file(&path) {
                found.push(Found { section, path });
            } else if is_dir {
                nested.extend(markdown_below(&path));
            }
        }
    }
    Ok((sections, found, nested))
}

/// `.md` files anywhere below `dir`, leaving out names starting with `_` or `.`.
fn markdown_below(dir: &Path) -> Vec<PathBuf> {
    let hidden = |e: &walkdir::DirEntry| {
        let n = e.file_name().to_string_lossy();
        n.starts_with('_') || n.starts_with('.')
    };
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !hidden(e))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && is_note_file(e.path()))
        .map(|e| e.into_path())
        .collect()
}

fn read_section_toml(
    root: &Path,
    dir: &Path,
    name: &str,
    errors: &mut Vec<Diagnostic>,
) -> (String, Option<String>) {
    let fallback = title_from_name(strip_number(name));
    let path = dir.join("_section.toml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return (fallback, None);
    };
    match toml::from_str::<SectionToml>(&text) {
        Ok(s) => (s.title, s.description),
        Err(e) => {
            let (line, col, msg) = toml_error::explain(&e, &text);
            errors.push(Diagnostic::error(
                display_path(root, &path),
                line,
                col,
                format!("{msg} (a _section.toml holds `title` and optionally `description`)"),
            ));
            (fallback, None)
        }
    }
}

fn sorted_entries(dir: &Path) -> Result<Vec<(PathBuf, bool)>> {
    let mut v = Vec::new();
    for e in walkdir::WalkDir::new(dir).min_depth(1).max_depth(1) {
        let e = e?;
        let name = e.file_name().to_string_lossy();
        if name.starts_with('_') || name.starts_with('.') {
            continue;
        }
        let is_dir = e.file_type().is_dir() || (e.file_type().is_symlink() && e.path().is_dir());
        v.push((e.into_path(), is_dir));
    }
    v.sort_by_key(|a| order_key(&file_name(&a.0)));
    Ok(v)
}

/// Number prefix first (missing numbers last), then the name.
fn order_key(name: &str) -> (u64, String) {
    let digits: String = name.chars().take_while(|c| c.is_ascii_digit()).collect();
    (digits.parse().unwrap_or(u64::MAX), name.to_string())
}

pub(crate) fn file_name(p: &Path) -> String {
    p.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

fn is_note_file(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "md")
}

fn title_from_name(s: &str) -> String {
    let t = s.replace(['-', '_'], " ");
    let mut c = t.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => t,
    }
}
