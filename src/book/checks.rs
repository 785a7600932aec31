//! What a note must satisfy: required front-matter keys, a known level, a well-formed `yoe`, distinct tags, and a slug that no generated page, theme id or other note has.

use super::{FrontMatter, LEVELS, Note};
use crate::diagnostics::Diagnostic;
use crate::util::slug::slugify;
use std::collections::HashMap;

/// Slugs that would collide with pages the generator writes itself.
const RESERVED_SLUGS: [&str; 6] = ["index", "404", "tags", "search-index", "nav", "sitemap"];

/// Ids the theme gives elements of the all-notes page, where each note's id is its slug.
const THEME_IDS: [&str; 13] = [
    "top",
    "main",
    "sidebar",
    "nav-tree",
    "toc-title",
    "search-input",
    "search-results",
    "search-status",
    "search-hint",
    "filters-title",
    "filter-count",
    "tag-find",
    "hb-linked-from",
];

/// The line of `key = ...` in the front matter (1-based in the file), if it is there.
fn key_line(fm_text: &str, key: &str) -> Option<usize> {
    fm_text
        .lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map(|i| i + 2)
}

/// `[notes] require`: each listed key must be in the front matter (a title may come from a heading).
pub(crate) fn check_required(
    rel: &str,
    fm_text: Option<&str>,
    require: &[String],
) -> Vec<Diagnostic> {
    let missing: Vec<&str> = require
        .iter()
        .map(String::as_str)
        .filter(|k| *k != "title" && fm_text.is_none_or(|fm| key_line(fm, k).is_none()))
        .collect();
    if missing.is_empty() {
        return Vec::new();
    }
    let what = if fm_text.is_none() {
        "missing front matter"
    } else {
        "front matter lacks"
    };
    vec![Diagnostic::error(
        rel,
        1,
        1,
        format!(
            "{what} {}; this book requires {} in every note ([notes] require in book.toml), between `+++` lines at the top",
            missing
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", "),
            require.join(", ")
        ),
    )]
}

/// Values that are there must be valid: level, yoe, the title, tags.
pub(crate) fn check_meta(rel: &str, fm_text: &str, meta: &FrontMatter) -> Vec<Diagnostic> {
    let mut errs = Vec::new();
    let line = |key: &str| key_line(fm_text, key).unwrap_or(1);
    if key_line(fm_text, "level").is_some() && !LEVELS.contains(&meta.level.as_str()) {
        errs.push(Diagnostic::error(
            rel,
            line("level"),
            1,
            format!(
                "unknown level `{}`; allowed: beginner, intermediate, advanced",
                meta.level
            ),
        ));
    }
    if key_line(fm_text, "yoe").is_some() && !valid_yoe(&meta.yoe) {
        errs.push(Diagnostic::error(
            rel,
            line("yoe"),
            1,
            format!(
                "malformed yoe `{}`; write a range of years like \"0-2\", \"2-4\", \"4-7\" or an open end like \"7+\"",
                meta.yoe
            ),
        ));
    }
    if meta.title.trim().is_empty() {
        errs.push(Diagnostic::error(
            rel,
            line("title"),
            1,
            "the note has no title: set `title` in its front matter or start it with a `# Title` heading",
        ));
    }
    errs.extend(check_tags(rel, line("tags"), &meta.tags));
    errs
}

fn check_tags(rel: &str, line: usize, tags: &[String]) -> Option<Diagnostic> {
    if let Some(t) = tags.iter().find(|t| slugify(t).is_empty()) {
        return Some(Diagnostic::error(
            rel,
            line,
            1,
            format!("tag `{t}` has no letters or digits"),
        ));
    }
    let mut seen = HashMap::new();
    for t in tags {
        if let Some(first) = seen.insert(slugify(t), t) {
            return Some(Diagnostic::error(
                rel,
                line,
                1,
                format!(
                    "tag `{t}` repeats `{first}` (tags with the same letters and digits are one tag); list each tag once"
                ),
            ));
        }
    }
    None
}

pub(crate) fn check_slug(rel: &str, slug: &str) -> Option<Diagnostic> {
    if slug.is_empty() {
        return Some(Diagnostic::error(
            rel,
            0,
            0,
            "the file name gives an empty slug; name notes like 07-load-balancers.md",
        ));
    }
    if THEME_IDS.contains(&slug) {
        return Some(Diagnostic::error(
            rel,
            0,
            0,
            format!(
                "the slug `{slug}` is an id of the all-notes page's own elements, where each note's id is its slug; rename the file (taken: {})",
                THEME_IDS.join(", ")
            ),
        ));
    }
    RESERVED_SLUGS.contains(&slug).then(|| {
        Diagnostic::error(
            rel,
            0,
            0,
            format!(
                "the slug `{slug}` is reserved for a generated page; rename the file (reserved: {})",
                RESERVED_SLUGS.join(", ")
            ),
        )
    })
}

/// `"0-2"`, `"4-7"`, `"7+"`: a rising range of whole years, or an open end.
pub(crate) fn valid_yoe(y: &str) -> bool {
    if let Some(n) = y.strip_suffix('+') {
        return !n.is_empty() && n.chars().all(|c| c.is_ascii_digit());
    }
    match y.split_once('-') {
        Some((a, b)) => match (a.parse::<u32>(), b.parse::<u32>()) {
            (Ok(a), Ok(b)) => a < b,
            _ => false,
        },
        None => false,
    }
}

pub(crate) fn check_slugs(notes: &[Note], errors: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for n in notes {
        if let Some(other) = seen.insert(&n.slug, &n.rel_path) {
            errors.push(Diagnostic::error(
                &n.rel_path,
                0,
                0,
                format!(
                    "duplicate slug `{}`: {} has the same one; slugs (file names without the number) must be unique",
                    n.slug, other
                ),
            ));
        }
    }
}
