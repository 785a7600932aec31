//! Link checking with the renderer's own ids: links recorded while rendering, then the built pages crawled.

use crate::cli::{CheckArgs, Format};
use crate::config::Settings;
use crate::diagnostics::{Diagnostic, Severity, nearest};
use crate::markdown::{LinkTarget, RenderedNote};
use crate::notes::Book;
use crate::output::Files;
use crate::{Log, Outcome};
use anyhow::Result;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Check every link written in a note against the notes, their ids and the files of the book.
pub fn source_links(
    settings: &Settings,
    book: &Book,
    rendered: &[Arc<RenderedNote>],
) -> Vec<Diagnostic> {
    let by_slug = book.by_slug();
    let ids: Vec<HashSet<&str>> = rendered
        .iter()
        .map(|r| r.ids.iter().map(String::as_str).collect())
        .collect();
    let mut out = Vec::new();
    for n in &book.notes {
        let r = &rendered[n.index];
        for l in &r.links {
            let problem = match &l.target {
                LinkTarget::Note { slug, fragment } => {
                    let target = by_slug[slug.as_str()];
                    fragment.as_ref().and_then(|f| {
                        missing_anchor(f, &ids[target]).map(|hint| {
                            format!("no heading `#{f}` in {}{hint}", book.notes[target].rel_path)
                        })
                    })
                }
                LinkTarget::Anchor(f) => missing_anchor(f, &ids[n.index])
                    .map(|hint| format!("no heading `#{f}` in this note{hint}")),
                LinkTarget::MissingNote(p) => {
                    let file = p.rsplit('/').next().unwrap_or(p);
                    let want = crate::notes::slug_of_file(file);
                    let hint = nearest(&want, book.notes.iter().map(|n| n.slug.as_str()))
                        .map(|s| {
                            format!(
                                "; did you mean {}?",
                                relative_from(&n.rel_path, &book.notes[by_slug[s]].rel_path)
                            )
                        })
                        .unwrap_or_default();
                    Some(format!("no note at {p}{hint}"))
                }
                LinkTarget::File(p) => {
                    let exists = settings.root.join("static").join(p).exists()
                        || settings.root.join(p).exists()
                        || crate::templates::BUILTIN_STATIC
                            .iter()
                            .any(|(name, _)| name == p);
                    (!exists).then(|| {
                        format!("no file {p} (files live under static/ or beside the note)")
                    })
                }
                LinkTarget::Other(d) if d.starts_with('/') && !d.starts_with("//") => {
                    Some(format!(
                        "root-absolute link `{d}` breaks when the site is served under a sub-path (GitHub Pages /repo/); use a relative path"
                    ))
                }
                _ => None,
            };
            if let Some(msg) = problem {
                out.push(Diagnostic::error(
                    &n.rel_path,
                    l.line,
                    l.col,
                    format!(
                        "broken {} [{}]({}): {msg}",
                        if l.is_image { "image" } else { "link" },
                        l.text,
                        l.dest
                    ),
                ));
            }
        }
    }
    out
}

fn missing_anchor(frag: &str, ids: &HashSet<&str>) -> Option<String> {
    if ids.contains(frag) {
        return None;
    }
    Some(
        nearest(frag, ids.iter().copied())
            .map(|s| format!("; did you mean #{s}?"))
            .unwrap_or_default(),
    )
}

/// The path of `to` as a relative link from the note `from`.
fn relative_from(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = from.split('/').collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let from_dir = &from_dir[..from_dir.len() - 1];
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<&str> = vec![".."; from_dir.len() - common];
    parts.extend(&to_parts[common..]);
    parts.join("/")
}

/// Crawl the built pages: every relative `href`/`src` must name a file of the site, every
/// `#fragment` an id of its page, and no id may repeat within a page.
pub fn crawl(files: &Files) -> Vec<Diagnostic> {
    let mut ids: HashMap<&str, HashSet<String>> = HashMap::new();
    let mut out = Vec::new();
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        let mut seen = HashSet::new();
        for id in attr_values(&html, "id") {
            if !seen.insert(id.clone()) {
                out.push(Diagnostic::error(
                    path.as_str(),
                    0,
                    0,
                    format!("id `{id}` is repeated on this page"),
                ));
            }
        }
        ids.insert(path.as_str(), seen);
    }
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        // The 404 page anchors its links with <base>; they are checked from the root.
        let base_dir = if html.contains("<base href=") {
            ""
        } else {
            parent_dir(path)
        };
        for attr in ["href", "src"] {
            for v in attr_values(&html, attr) {
                if let Some(problem) = check_url(path, base_dir, &v, files, &ids) {
                    out.push(Diagnostic::error(path.as_str(), 0, 0, problem));
                }
            }
        }
    }
    out
}

fn check_url(
    page: &str,
    base_dir: &str,
    url: &str,
    files: &Files,
    ids: &HashMap<&str, HashSet<String>>,
) -> Option<String> {
    if url.is_empty()
        || url.contains("://")
        || url.starts_with("mailto:")
        || url.starts_with("data:")
        || url.starts_with("javascript:")
        || url.starts_with("tel:")
    {
        return None;
    }
    if url.starts_with('/') {
        if page == "404.html" {
            return None;
        }
        return Some(format!(
            "root-absolute link `{url}` breaks under a sub-path"
        ));
    }
    let url = decode_entities(url);
    let (path, frag) = match url.split_once('#') {
        Some((p, f)) => (p, Some(crate::markdown::percent_decode(f))),
        None => (url.as_str(), None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let target = if path.is_empty() {
        page.to_string()
    } else {
        let joined = crate::markdown::resolve_relative(
            &format!("{base_dir}x"),
            &crate::markdown::percent_decode(path),
        );
        if joined.is_empty() || path.ends_with('/') {
            format!(
                "{}index.html",
                if joined.is_empty() {
                    String::new()
                } else {
                    format!("{joined}/")
                }
            )
        } else {
            joined
        }
    };
    if !files.contains_key(&target) {
        return Some(format!(
            "link `{url}` points to {target}, which the site does not have"
        ));
    }
    if let Some(f) = frag {
        if f.is_empty() {
            return None;
        }
        if let Some(page_ids) = ids.get(target.as_str()) {
            if !page_ids.contains(&f) {
                let hint = nearest(&f, page_ids.iter().map(String::as_str))
                    .map(|s| format!("; did you mean #{s}?"))
                    .unwrap_or_default();
                return Some(format!("link `{url}`: no id `{f}` on {target}{hint}"));
            }
        }
    }
    None
}

fn parent_dir(path: &str) -> &str {
    match path.rfind('/') {
        Some(i) => &path[..=i],
        None => "",
    }
}

/// Decode the character references an attribute value may hold (`&amp;`, `&#x2F;`, `&#39;`...).
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &tail[1..e];
            let c = match name {
                "amp" => Some('&'),
                "quot" => Some('"'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "apos" => Some('\''),
                n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                    .ok()
                    .and_then(char::from_u32),
                n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Values of `name="..."` attributes in HTML, outside `<script>` and `<code>`/`<pre>` text.
pub fn attr_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        // Skip text inside <script> blocks.
        let before = &rest[..i];
        if let Some(s) = before.rfind("<script") {
            if before[s..].find("</script>").is_none() {
                match rest[i..].find("</script>") {
                    Some(e) => {
                        rest = &rest[i + e..];
                        continue;
                    }
                    None => break,
                }
            }
        }
        let start = i + needle.len();
        let end = rest[start..]
            .find('"')
            .map(|e| start + e)
            .unwrap_or(rest.len());
        out.push(rest[start..end].to_string());
        rest = &rest[end..];
    }
    out
}

/// `handbook check`.
pub fn run(settings: &Settings, args: &CheckArgs, log: &Log) -> Result<Outcome> {
    let site = crate::site::build(settings)?;
    let mut problems = source_links(settings, &site.book, &site.rendered);
    let source_dests: HashSet<String> = problems.iter().map(|d| d.message.clone()).collect();
    let crawl_problems = crawl(&site.files);
    // Broken links from notes are already reported with their line; keep the crawl's own finds.
    if problems.is_empty() {
        problems.extend(crawl_problems);
    } else {
        problems.extend(
            crawl_problems
                .into_iter()
                .filter(|d| d.message.contains("repeated")),
        );
    }
    let _ = source_dests;
    let mut warnings: Vec<Diagnostic> = site.warnings.clone();
    if args.external {
        let ext = crate::check_external::check(settings, &site, log)?;
        for d in ext {
            match d.severity {
                Severity::Error => problems.push(d),
                Severity::Warning => warnings.push(d),
            }
        }
    }
    report(&problems, &warnings, args.format, log);
    Ok(if problems.is_empty() {
        Outcome::Ok
    } else {
        Outcome::Problems
    })
}

fn report(problems: &[Diagnostic], warnings: &[Diagnostic], format: Format, log: &Log) {
    match format {
        Format::Human => {
            for d in problems
                .iter()
                .chain(warnings.iter().filter(|_| !log.quiet))
            {
                println!("{d}");
            }
            if !log.quiet {
                println!(
                    "check: {} problem{}, {} warning{}",
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" },
                    warnings.len(),
                    if warnings.len() == 1 { "" } else { "s" }
                );
            }
        }
        Format::Github => {
            for d in problems.iter().chain(warnings) {
                let kind = if d.severity == Severity::Error {
                    "error"
                } else {
                    "warning"
                };
                let mut loc = format!("file={}", d.file);
                if d.line > 0 {
                    loc.push_str(&format!(",line={}", d.line));
                }
                if d.col > 0 {
                    loc.push_str(&format!(",col={}", d.col));
                }
                println!("::{kind} {loc}::{}", gh_escape(&d.message));
            }
        }
        Format::Json => {
            let all: Vec<&Diagnostic> = problems.iter().chain(warnings).collect();
            println!("{}", serde_json::to_string_pretty(&all).unwrap_or_default());
        }
    }
}

/// Workflow commands need `%`, CR and LF escaped.
fn gh_escape(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_between_notes() {
        assert_eq!(
            relative_from("notes/a/1-x.md", "notes/b/2-y.md"),
            "../b/2-y.md"
        );
        assert_eq!(relative_from("notes/a/1-x.md", "notes/a/2-y.md"), "2-y.md");
    }

    #[test]
    fn attr_values_skip_scripts() {
        let v = attr_values(
            "<a href=\"x\"><script>let s=' href=\"no\"';</script><a href=\"y\">",
            "href",
        );
        assert_eq!(v, vec!["x", "y"]);
    }
}
