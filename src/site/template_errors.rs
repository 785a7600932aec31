//! Template errors as the author knows the files: `templates/NAME:LINE:COL` (or the built-in
//! template) with the offending line shown, as diagnostics printed like any content error.

use super::templates::BUILTIN_TEMPLATES;
use crate::diagnostics::{ContentErrors, Diagnostic, line_col};
use std::collections::BTreeMap;
use std::path::Path;

/// A template that failed to render; located against the sources by [`locate_render`].
#[derive(Debug, thiserror::Error)]
#[error("templates/{name}: {chain}")]
pub(crate) struct RenderError {
    /// The template asked for.
    pub(crate) name: String,
    /// Tera's error chain, outermost first.
    pub(crate) causes: Vec<String>,
    pub(crate) chain: String,
}

/// Where a template's text comes from: the book's `templates/` folder or the binary.
pub(crate) struct Source {
    pub(crate) text: String,
    pub(crate) own: bool,
}

/// The file name shown for template `name`.
fn shown_file(name: &str, own: bool) -> String {
    if own {
        format!("templates/{name}")
    } else {
        format!("built-in template {name}")
    }
}

/// A failure to load the templates (Tera's parse or inheritance errors) as a diagnostic.
pub(crate) fn parse_error(causes: &[String], sources: &BTreeMap<String, Source>) -> ContentErrors {
    let first = causes.first().map(String::as_str).unwrap_or("");
    // "Failed to parse 'NAME'" + " --> L:C\n  |\nL | text\n  |  ^---\n  |\n  = expected ..."
    if let Some(name) = quoted_after(first, "Failed to parse '") {
        let detail = causes.get(1).map(String::as_str).unwrap_or("");
        let (line, col) = arrow_position(detail).unwrap_or((0, 0));
        let why = detail
            .lines()
            .find_map(|l| l.trim().strip_prefix("= "))
            .unwrap_or(detail.trim());
        let message = format!("cannot parse the template: {why}");
        return one(&name, sources, line, col, message);
    }
    // Other load errors name a template in quotes: locate its first quoted template name.
    let message = causes.join(": ");
    let name = quoted_names(first)
        .into_iter()
        .find(|n| sources.contains_key(n));
    match name {
        Some(name) => {
            let text = sources.get(&name).map_or("", |s| s.text.as_str());
            let (line, col) = quoted_names(first)
                .iter()
                .filter(|n| **n != name)
                .find_map(|other| find_in_tag(text, other))
                .unwrap_or((0, 0));
            one(&name, sources, line, col, message)
        }
        None => ContentErrors(vec![Diagnostic::error("templates", 0, 0, message)]),
    }
}

/// A render error as a diagnostic: the template named by Tera's innermost message (an included
/// or the asked-for one), at the first tag of it or its parents that uses the missing name.
pub(crate) fn locate_render(err: anyhow::Error, root: &Path) -> anyhow::Error {
    let Some(e) = err.downcast_ref::<RenderError>() else {
        return err;
    };
    let sources = read_sources(root);
    let inner = e.causes.last().map(String::as_str).unwrap_or("");
    let name = quoted_after(inner, "while rendering '").unwrap_or_else(|| e.name.clone());
    let message = e
        .causes
        .iter()
        .filter(|c| !c.starts_with("Failed to render '"))
        .cloned()
        .collect::<Vec<_>>()
        .join(": ");
    let message = format!("cannot render {}: {message}", e.name);
    let word = quoted_names(inner).into_iter().next();
    // The name itself, then the templates it extends, nearest first.
    let mut at = name.clone();
    for _ in 0..8 {
        let Some(src) = sources.get(&at) else { break };
        if let Some((line, col)) = word.as_deref().and_then(|w| find_in_tag(&src.text, w)) {
            return one(&at, &sources, line, col, message).into();
        }
        match parent_of(&src.text) {
            Some(p) => at = p,
            None => break,
        }
    }
    one(&name, &sources, 0, 0, message).into()
}

/// One diagnostic on template `name`, with its line shown under the message.
fn one(
    name: &str,
    sources: &BTreeMap<String, Source>,
    line: usize,
    col: usize,
    message: String,
) -> ContentErrors {
    let src = sources.get(name);
    let own = src.is_none_or(|s| s.own);
    let text = src
        .and_then(|s| s.text.lines().nth(line.wrapping_sub(1)))
        .filter(|_| line > 0);
    let message = match text {
        Some(t) => {
            let shown: String = t.chars().take(200).collect();
            let pad = " ".repeat(col.saturating_sub(1).min(200));
            format!("{message}\n{line:>6} | {shown}\n       | {pad}^")
        }
        None => message,
    };
    ContentErrors(vec![Diagnostic::error(
        shown_file(name, own),
        line,
        col,
        message,
    )])
}

/// The book's templates over the built-in ones, as `load` sees them.
fn read_sources(root: &Path) -> BTreeMap<String, Source> {
    let mut out: BTreeMap<String, Source> = BUILTIN_TEMPLATES
        .iter()
        .map(|(n, t)| {
            let text = t.to_string();
            (n.to_string(), Source { text, own: false })
        })
        .collect();
    let dir = root.join("templates");
    for e in walkdir::WalkDir::new(&dir)
        .min_depth(1)
        .into_iter()
        .flatten()
    {
        let Ok(text) = std::fs::read_to_string(e.path()) else {
            continue;
        };
        let name = e.path().strip_prefix(&dir).unwrap_or(e.path());
        let name = name.to_string_lossy().replace('\\', "/");
        out.insert(name, Source { text, own: true });
    }
    out
}

/// Line and column from Tera's ` --> L:C` marker.
fn arrow_position(detail: &str) -> Option<(usize, usize)> {
    let rest = &detail[detail.find("--> ")? + 4..];
    let end = rest
        .find(|c: char| !c.is_ascii_digit() && c != ':')
        .unwrap_or(rest.len());
    let (l, c) = rest[..end].split_once(':')?;
    Some((l.parse().ok()?, c.parse().ok()?))
}

/// The text between `prefix` and the next `'`.
fn quoted_after(s: &str, prefix: &str) -> Option<String> {
    let rest = &s[s.find(prefix)? + prefix.len()..];
    Some(rest.split_once('\'')?.0.to_string())
}

/// Every `name` or 'name' quoted in a message, in order.
fn quoted_names(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(['`', '\'']) {
        let q = rest.as_bytes()[i] as char;
        let after = &rest[i + 1..];
        match after.find(q) {
            Some(j) => {
                out.push(after[..j].to_string());
                rest = &after[j + 1..];
            }
            None => break,
        }
    }
    out
}

/// The first place `word` appears inside a `{{ }}` or `{% %}` tag, as a whole word.
fn find_in_tag(text: &str, word: &str) -> Option<(usize, usize)> {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut from = 0;
    while let Some(i) = text[from..].find(word).map(|i| i + from) {
        from = i + word.len().max(1);
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        if before.is_some_and(is_ident) || after.is_some_and(is_ident) {
            continue;
        }
        let head = &text[..i];
        let open = head.rfind("{{").max(head.rfind("{%"));
        let close = head.rfind("}}").max(head.rfind("%}"));
        if open.is_some() && open > close {
            return Some(line_col(text, i));
        }
    }
    None
}

/// The template named by `{% extends "..." %}`, if any.
fn parent_of(text: &str) -> Option<String> {
    let i = text.find("extends")?;
    let rest = text[i + "extends".len()..].trim_start();
    let q = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    Some(rest[1..].split_once(q)?.0.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_tags_are_found_as_words() {
        let t = "<p>page</p>\n{{ pages }}\n{% if page.title %}";
        assert_eq!(find_in_tag(t, "page.title"), Some((3, 7)));
        assert_eq!(find_in_tag(t, "pages"), Some((2, 4)));
        assert_eq!(find_in_tag("<p>x</p> {{ y }}", "x"), None);
        assert_eq!(
            parent_of("{% extends \"base.html\" %}"),
            Some("base.html".into())
        );
        assert_eq!(
            quoted_names("Variable `x.y` not found while rendering 'a.html'"),
            vec!["x.y", "a.html"]
        );
    }
}
