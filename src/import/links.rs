//! Rewrites a moved Markdown file's links, images and include directives to the new book's layout, copying the files they need.

use super::{Mapper, Plan, relative};
use crate::settings::normalize;
use crate::util::slug::slug_of_file;
use anyhow::Result;
use pulldown_cmark::{Event, Options, Parser, Tag};
use std::ops::Range;
use std::path::Path;

/// One moved file: where it came from and where it goes.
pub(crate) struct Moved<'a> {
    /// The source file (absolute).
    pub source: &'a Path,
    /// Its path in the new book.
    pub new_path: &'a str,
}

/// Where a destination was written: raw HTML is not rewritten by the renderer, so its paths
/// must be those of the site, not of the note's file.
#[derive(Clone, Copy, PartialEq)]
enum Written {
    Markdown,
    Html,
}

/// Byte ranges of every link and image destination written in `text` (inline and reference
/// definitions), with the destination.
fn destinations(text: &str) -> Vec<(Range<usize>, String, Written)> {
    let parser = Parser::new_ext(text, Options::all());
    let mut out: Vec<(Range<usize>, String, Written)> = parser
        .reference_definitions()
        .iter()
        .filter_map(|(_, def)| {
            let span = &text[def.span.clone()];
            let at = span.find(def.dest.as_ref())?;
            let start = def.span.start + at;
            let range = start..start + def.dest.len();
            Some((range, def.dest.to_string(), Written::Markdown))
        })
        .collect();
    for (ev, range) in parser.into_offset_iter() {
        if let Event::Html(_) | Event::InlineHtml(_) = ev {
            let found = html_destinations(text, range);
            out.extend(found.into_iter().map(|(r, d)| (r, d, Written::Html)));
            continue;
        }
        let dest = match ev {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => dest_url,
            _ => continue,
        };
        let span = &text[range.clone()];
        // The destination follows the link text: its last occurrence in the link's span.
        if dest.is_empty() || !span.ends_with(')') {
            continue;
        }
        if let Some(at) = span.rfind(dest.as_ref()) {
            let start = range.start + at;
            out.push((
                start..start + dest.len(),
                dest.to_string(),
                Written::Markdown,
            ));
        }
    }
    out.sort_by_key(|(r, ..)| r.start);
    out.dedup_by_key(|(r, ..)| r.start);
    out
}

/// `src="..."` and `href="..."` values in a piece of raw HTML.
fn html_destinations(text: &str, range: Range<usize>) -> Vec<(Range<usize>, String)> {
    let html = &text[range.clone()];
    let mut out = Vec::new();
    for attr in ["src=\"", "href=\""] {
        let mut at = 0;
        while let Some(i) = html[at..].find(attr).map(|i| i + at) {
            let start = i + attr.len();
            let Some(len) = html[start..].find('"') else {
                break;
            };
            let value = &html[start..start + len];
            let preceded = i == 0 || html[..i].ends_with(char::is_whitespace);
            if preceded && !value.is_empty() {
                let s = range.start + start;
                out.push((s..s + len, value.to_string()));
            }
            at = start + len;
        }
    }
    out
}

/// Apply `edits` (sorted, not overlapping) to `text`.
pub(crate) fn apply(text: &str, edits: &[(Range<usize>, String)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (r, s) in edits {
        out.push_str(&text[at..r.start]);
        out.push_str(s);
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Rewrite the links and images of a moved file.
pub(crate) fn rewrite_links(
    text: &str,
    m: &Moved,
    map: &mut Mapper,
    plan: &mut Plan,
) -> Result<String> {
    let mut edits = Vec::new();
    for (range, dest, written) in destinations(text) {
        let line = line_of(text, range.start);
        if let Some(new) = new_destination(&dest, written, m, map, plan, line)? {
            edits.push((range, new));
        }
    }
    Ok(apply(text, &edits))
}

/// Where a destination points now; `None` leaves it as written (web links, in-page anchors,
/// links that already pointed nowhere, which are reported).
fn new_destination(
    dest: &str,
    written: Written,
    m: &Moved,
    map: &mut Mapper,
    plan: &mut Plan,
    line: usize,
) -> Result<Option<String>> {
    if dest.starts_with('#') || dest.contains("://") || dest.starts_with("mailto:") {
        return Ok(None);
    }
    let (path, frag) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let decoded = path.replace("%20", " ");
    let base = m.source.parent().unwrap_or(&map.src);
    let target = if let Some(abs) = decoded.strip_prefix('/') {
        normalize(&map.src.join(abs))
    } else {
        normalize(&base.join(&decoded))
    };
    let frag = frag.map(|f| format!("#{f}")).unwrap_or_default();
    // mdBook pages are linked as `x.md` or as the `x.html` it writes.
    let as_md = target.with_extension("md");
    let note = map
        .notes
        .get(&target)
        .or_else(|| {
            (decoded.ends_with(".html"))
                .then(|| map.notes.get(&as_md))
                .flatten()
        })
        .or_else(|| {
            (decoded.ends_with("index.html"))
                .then(|| map.notes.get(&target.with_file_name("README.md")))
                .flatten()
        })
        .cloned();
    if let Some(note) = note {
        plan.stats.links += 1;
        let to = match written {
            Written::Markdown => relative(m.new_path, &note),
            // Every page sits at the site's root, named after the note's file.
            Written::Html => format!(
                "{}.html",
                slug_of_file(note.rsplit('/').next().unwrap_or(&note))
            ),
        };
        return Ok(Some(format!("{to}{frag}")));
    }
    if target.is_file() {
        let copy = map.copy(&target, plan)?;
        plan.stats.links += 1;
        let to = match written {
            Written::Markdown => relative(m.new_path, &copy),
            // The site keeps the book's folders, and every page sits at its root.
            Written::Html => copy.replace(' ', "%20"),
        };
        return Ok(Some(format!("{to}{frag}")));
    }
    let shown = map.shown(m.source);
    plan.note(
        &shown,
        line,
        format!("link to `{dest}`: no such file in the source; left as written"),
    );
    Ok(None)
}

/// What a directive becomes in the new book.
enum Directive<'t> {
    Include {
        name: &'t str,
        path: &'t str,
        rest: &'t str,
    },
    Playground {
        path: &'t str,
    },
    Other,
}

fn parse_directive(inner: &str) -> Directive<'_> {
    let inner = inner.trim();
    let (name, arg) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
    let arg = arg.trim();
    let path_end = arg
        .find(|c: char| c == ':' || c.is_whitespace())
        .unwrap_or(arg.len());
    let (path, rest) = arg.split_at(path_end);
    match name {
        "include" | "rustdoc_include" if !path.is_empty() => {
            Directive::Include { name, path, rest }
        }
        "playground" | "rust_playground" if !path.is_empty() => Directive::Playground { path },
        _ => Directive::Other,
    }
}

/// Rewrite `{{#include}}`-style directives of a moved file: the files they read are copied
/// into the new book (with their own directives rewritten) and the paths point there.
/// `{{#playground}}` becomes an include in a `rust` block (reported: no Run button).
pub(crate) fn rewrite_includes(
    text: &str,
    m: &Moved,
    map: &mut Mapper,
    plan: &mut Plan,
    depth: usize,
) -> Result<String> {
    let mut edits = Vec::new();
    let mut at = 0;
    while let Some(i) = text[at..].find("{{#").map(|i| i + at) {
        let Some(len) = text[i..].find("}}") else {
            break;
        };
        let end = i + len + 2;
        at = end;
        if text[..i].ends_with('\\') {
            continue;
        }
        let line = line_of(text, i);
        let shown = map.shown(m.source);
        let inner = &text[i + 3..i + len];
        match parse_directive(inner) {
            Directive::Include { name, path, rest } => {
                let Some(new) = include_target(path, m, map, plan, depth, (&shown, line))? else {
                    continue;
                };
                plan.stats.includes += 1;
                edits.push((i..end, format!("{{{{#{name} {new}{rest}}}}}")));
            }
            Directive::Playground { path } => {
                let Some(new) = include_target(path, m, map, plan, depth, (&shown, line))? else {
                    continue;
                };
                plan.stats.includes += 1;
                plan.note(
                    &shown,
                    line,
                    "{{#playground}}: shown as a plain Rust block with the file's code (no Run button)",
                );
                edits.push((i..end, format!("```rust\n{{{{#include {new}}}}}\n```")));
            }
            Directive::Other => {
                let name = inner.split_whitespace().next().unwrap_or("");
                let ours = ["title", "include", "rustdoc_include"];
                if !name.is_empty() && !ours.contains(&name) {
                    plan.note(
                        &shown,
                        line,
                        format!("{{{{#{name}}}}} is an mdBook preprocessor handbook does not have; left as text"),
                    );
                }
            }
        }
    }
    Ok(apply(text, &edits))
}

/// Copy an included file (and what it includes) and give its path from the moved file.
fn include_target(
    path: &str,
    m: &Moved,
    map: &mut Mapper,
    plan: &mut Plan,
    depth: usize,
    (shown, line): (&str, usize),
) -> Result<Option<String>> {
    let source = normalize(&m.source.parent().unwrap_or(&map.src).join(path));
    if !source.is_file() {
        plan.note(
            shown,
            line,
            format!("include `{path}`: no such file; left as written (the build will say so)"),
        );
        return Ok(None);
    }
    let known = map.copied.contains_key(&source);
    let copy = map.copy(&source, plan)?;
    if !known && depth < 8 {
        let bytes = plan.files.get(&copy).cloned().unwrap_or_default();
        if let Ok(text) = String::from_utf8(bytes)
            && text.contains("{{#")
        {
            let inner = Moved {
                source: &source,
                new_path: &copy,
            };
            let new = rewrite_includes(&text, &inner, map, plan, depth + 1)?;
            plan.files.insert(copy.clone(), new.into_bytes());
        }
    }
    Ok(Some(relative(m.new_path, &copy)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_inline_and_reference_destinations_not_code() {
        let t = "See [a](x.md#h) and ![i](img/a.png \"t\") and [r][1].\n\n`[no](y.md)`\n\n<img class=\"r\" src=\"i/b.svg\">\n\n[1]: z.md\n";
        let d: Vec<String> = destinations(t)
            .into_iter()
            .map(|(r, s, w)| {
                assert_eq!(&t[r], s);
                assert_eq!(w == Written::Html, s == "i/b.svg");
                s
            })
            .collect();
        assert_eq!(d, ["x.md#h", "img/a.png", "i/b.svg", "z.md"]);
    }

    #[test]
    fn directives_parse() {
        assert!(matches!(
            parse_directive("include ../a.rs:2:4"),
            Directive::Include {
                path: "../a.rs",
                rest: ":2:4",
                ..
            }
        ));
        assert!(matches!(
            parse_directive("playground ex.rs editable"),
            Directive::Playground { path: "ex.rs" }
        ));
        assert!(matches!(parse_directive("include"), Directive::Other));
    }
}
