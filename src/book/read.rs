//! One note file read: checked to be UTF-8, its includes expanded, then parsed under the book's rules.

use super::discover::file_name;
use super::front_matter::{Rules, parse_note_with};
use super::{Found, Parsed, include};
use crate::diagnostics::{Diagnostic, display_path};
use crate::settings::Settings;
use crate::util::slug::slug_of_file;
use std::path::{Path, PathBuf};

/// Read, expand includes, parse; also the files the note includes (even when it fails).
pub(crate) fn parse_file(settings: &Settings, f: &Found) -> (Parsed, Vec<PathBuf>) {
    let root = &settings.root;
    let rel = display_path(root, &f.path);
    let text = match read_utf8(&rel, &f.path) {
        Ok(t) => t,
        Err(e) => return (Err(e), Vec::new()),
    };
    let mut includer = include::Includer::new(root);
    let expanded = match includer.expand(&f.path, &text) {
        Ok(x) => x,
        Err(e) => return (Err(e), includer.deps),
    };
    let slug = slug_of_file(&file_name(&f.path));
    let rules = Rules {
        require: &settings.notes.require,
        title: expanded.title,
    };
    let parsed = parse_note_with(&rel, &expanded.text, slug, f.section, rules).map(|mut note| {
        note.includes = includer.deps.clone();
        note.lines = expanded.lines;
        (!note.meta.draft || settings.build.drafts).then_some(note)
    });
    (parsed, includer.deps)
}

fn read_utf8(rel: &str, path: &Path) -> Result<String, Vec<Diagnostic>> {
    let bytes = std::fs::read(path)
        .map_err(|e| vec![Diagnostic::error(rel, 0, 0, format!("cannot read: {e}"))])?;
    String::from_utf8(bytes).map_err(|e| {
        let off = e.utf8_error().valid_up_to();
        let (line, col) = crate::diagnostics::line_col(
            std::str::from_utf8(&e.as_bytes()[..off]).unwrap_or(""),
            off,
        );
        vec![Diagnostic::error(
            rel,
            line,
            col,
            "the file is not valid UTF-8; save it as UTF-8",
        )]
    })
}
