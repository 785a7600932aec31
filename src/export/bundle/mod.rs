//! Turns the built all-notes page into one self-contained document: assets inlined, site links made in-page.

use super::html::{Attr, Tag, Token, decode_entities, tokens};
use crate::output::Files;
use crate::util::paths::{percent_decode, resolve_relative};
use crate::util::text::escape;
use base64::Engine;
use std::collections::{BTreeMap, HashSet};

/// What went into the file, for the size report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    /// The site file it came from (`style.css`, `notes/x/diagram.png`), or a description.
    pub name: String,
    /// Bytes it takes in the exported file (after base64 where encoded), over all its uses.
    pub bytes: usize,
    /// Size of the original file.
    pub source_bytes: usize,
    pub uses: usize,
    pub is_image: bool,
}

/// The exported document and what was learned making it.
pub(crate) struct Bundle {
    pub html: String,
    /// Inlined parts, largest first.
    pub parts: Vec<Part>,
    /// Things the reader would miss offline (unresolved or remote references).
    pub warnings: Vec<String>,
}

/// Build the single file from the site's files. `notes` are the slugs of the notes on the page.
pub(crate) fn bundle(files: &Files, notes: &HashSet<&str>) -> anyhow::Result<Bundle> {
    let index = files
        .get("index.html")
        .ok_or_else(|| anyhow::anyhow!("the built site has no index.html to export"))?;
    let index =
        std::str::from_utf8(index).map_err(|_| anyhow::anyhow!("index.html is not UTF-8"))?;
    let toks = tokens(index);
    let ids = super::html::ids(&toks);
    let mut b = Builder {
        files,
        notes,
        ids: &ids,
        parts: BTreeMap::new(),
        warnings: Vec::new(),
        search_inlined: false,
    };
    let mut out = String::with_capacity(index.len() * 2);
    let mut skip_text = false;
    for t in &toks {
        match t {
            Token::Text(s) => {
                if skip_text {
                    skip_text = false;
                    continue;
                }
                match s.find("</body>").filter(|_| !b.search_inlined) {
                    Some(pos) => {
                        out.push_str(&s[..pos]);
                        b.inline_search(&mut out);
                        out.push_str(&s[pos..]);
                    }
                    None => out.push_str(s),
                }
            }
            Token::Start(tag) => {
                // An inlined stylesheet or script replaces the tag (and drops its old content).
                skip_text = b.start_tag(tag, &mut out);
            }
        }
    }
    let mut parts: Vec<Part> = b.parts.into_values().collect();
    parts.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.name.cmp(&b.name)));
    Ok(Bundle {
        html: out,
        parts,
        warnings: b.warnings,
    })
}

struct Builder<'a> {
    files: &'a Files,
    notes: &'a HashSet<&'a str>,
    ids: &'a HashSet<String>,
    parts: BTreeMap<String, Part>,
    warnings: Vec<String>,
    search_inlined: bool,
}

/// A URL that names something on the network (or another origin).
pub(crate) fn is_remote(url: &str) -> bool {
    let l = url.trim().to_ascii_lowercase();
    l.starts_with("http:")
        || l.starts_with("https:")
        || l.starts_with("//")
        || l.starts_with("ftp:")
}

/// A URL that needs no file: in-page, data, mail and the like.
fn is_self_contained(url: &str) -> bool {
    let l = url.trim().to_ascii_lowercase();
    l.is_empty()
        || l.starts_with('#')
        || l.starts_with("data:")
        || l.starts_with("mailto:")
        || l.starts_with("tel:")
        || l.starts_with("javascript:")
}

/// Split `path?query#fragment`.
fn split_url(url: &str) -> (&str, Option<&str>, Option<&str>) {
    let (rest, frag) = match url.split_once('#') {
        Some((a, f)) => (a, Some(f)),
        None => (url, None),
    };
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    (path, query, frag)
}

/// The MIME type for a file name.
pub(crate) fn mime(path: &str) -> &'static str {
    crate::util::mime::of(path)
}

/// Make script text safe inside `<script>…</script>`: no early end tag, no comment-escape state.
/// Both replacements mean the same inside JavaScript strings, regexes and comments.
pub(crate) fn escape_script(js: &str) -> String {
    escape_after_lt(&escape_after_lt(js, "<!--"), "</script")
}

/// Make CSS safe inside `<style>`: `\/` is `/` in CSS strings.
fn escape_style(css: &str) -> String {
    escape_after_lt(css, "</style")
}

/// Put a backslash after the `<` of every (ASCII case-insensitive) `needle`.
fn escape_after_lt(s: &str, needle: &str) -> String {
    let lower = s.to_ascii_lowercase();
    if !lower.contains(needle) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut last = 0;
    for (i, _) in lower.match_indices(needle) {
        out.push_str(&s[last..=i]);
        out.push('\\');
        last = i + 1;
    }
    out.push_str(&s[last..]);
    out
}

impl Builder<'_> {
    /// Write a start tag, rewritten as needed. Returns true when the tag was replaced by an
    /// inlined element whose original content (the next text token) must be dropped.
    fn start_tag(&mut self, tag: &Tag, out: &mut String) -> bool {
        match tag.name.as_str() {
            "link" => self.link_tag(tag, out),
            "script" => self.script_tag(tag, out),
            _ => {
                self.other_tag(tag, out);
                false
            }
        }
    }

    fn link_tag(&mut self, tag: &Tag, out: &mut String) -> bool {
        let href = tag.get("href").unwrap_or_default();
        if tag.rel_has("stylesheet") && !is_remote(&href) && !is_self_contained(&href) {
            let (path, _, _) = split_url(&href);
            let path = resolve_relative("index.html", &percent_decode(path));
            if let Some(css) = self.text_file(&path) {
                let css = self.inline_css(&css, &path, 0);
                let css = escape_style(&css);
                self.count(&path, css.len(), false);
                out.push_str("<style");
                if let Some(m) = tag.get("media") {
                    out.push_str(&format!(" media=\"{}\"", escape(&m)));
                }
                out.push('>');
                out.push_str(&css);
                out.push_str("</style>");
                return false;
            }
            self.warnings.push(format!(
                "stylesheet {href} is not part of the site; it is left out"
            ));
            return false;
        }
        // Links a browser does not fetch keep their URL (canonical, alternate, …).
        let fetched = [
            "stylesheet",
            "icon",
            "apple-touch-icon",
            "preload",
            "prefetch",
            "modulepreload",
            "manifest",
            "mask-icon",
        ]
        .iter()
        .any(|r| tag.rel_has(r));
        if fetched {
            self.other_tag(tag, out);
        } else {
            out.push_str(tag.raw);
        }
        false
    }

    fn script_tag(&mut self, tag: &Tag, out: &mut String) -> bool {
        let Some(src) = tag.get("src") else {
            out.push_str(tag.raw);
            return false;
        };
        if is_remote(&src) {
            self.warnings.push(format!(
                "script {src} loads from the network and will not run offline"
            ));
            out.push_str(tag.raw);
            return false;
        }
        let (path, _, _) = split_url(&src);
        let path = resolve_relative("index.html", &percent_decode(path));
        let Some(js) = self.text_file(&path) else {
            self.warnings.push(format!(
                "script {src} is not part of the site; it is left out"
            ));
            out.push_str("<script>");
            return true;
        };
        // The search index is defined before the first script, so app.js finds it and loads nothing.
        self.inline_search(out);
        let js = escape_script(&js);
        self.count(&path, js.len(), false);
        out.push_str("<script");
        for a in &tag.attrs {
            if a.name == "type" || a.name == "nomodule" || a.name.starts_with("data-") {
                push_attr(out, a);
            }
        }
        out.push('>');
        out.push_str(&js);
        true
    }

    fn inline_search(&mut self, out: &mut String) {
        if self.search_inlined {
            return;
        }
        self.search_inlined = true;
        // The manifest and every piece: the page needs nothing more to search.
        let mut paths = vec!["search-index.js".to_string()];
        paths.extend(
            (self.files.keys())
                .filter(|p| p.starts_with("search-index/") && p.ends_with(".js"))
                .cloned(),
        );
        let mut js = String::new();
        for p in &paths {
            if let Some(part) = self.text_file(p) {
                js.push_str(&part);
            }
        }
        if !js.is_empty() {
            let js = escape_script(&js);
            self.count("search-index.js", js.len(), false);
            out.push_str("<script>");
            out.push_str(&js);
            out.push_str("</script>\n");
        }
    }

    /// Any other tag: links to site pages become in-page, fetched files become data URIs.
    fn other_tag(&mut self, tag: &Tag, out: &mut String) {
        let is_link = matches!(tag.name.as_str(), "a" | "area");
        let mut changed = false;
        let mut attrs: Vec<(String, Option<String>)> = Vec::with_capacity(tag.attrs.len());
        for a in &tag.attrs {
            let raw = a.value.map(str::to_string);
            let new = match (a.name.as_str(), a.value) {
                ("href", Some(_)) if is_link => {
                    self.page_link(&decode_entities(a.value.unwrap_or("")))
                }
                ("href", Some(v)) if tag.name == "link" => {
                    self.data_uri_for(&decode_entities(v), false)
                }
                ("src" | "poster", Some(v)) => self.data_uri_for(&decode_entities(v), true),
                ("data", Some(v)) if tag.name == "object" => {
                    self.data_uri_for(&decode_entities(v), true)
                }
                ("srcset", Some(v)) => self.srcset(&decode_entities(v)),
                ("style", Some(v)) if v.contains("url(") => {
                    let css = self.inline_css(&decode_entities(v), "index.html", 0);
                    Some(escape(&css))
                }
                _ => None,
            };
            match new {
                Some(v) if Some(&v) != raw.as_ref() => {
                    changed = true;
                    attrs.push((a.name.clone(), Some(v)));
                }
                _ => attrs.push((a.name.clone(), raw)),
            }
        }
        if !changed {
            out.push_str(tag.raw);
            return;
        }
        out.push('<');
        out.push_str(&tag.name);
        for (n, v) in attrs {
            out.push(' ');
            out.push_str(&n);
            if let Some(v) = v {
                out.push_str("=\"");
                out.push_str(&v);
                out.push('"');
            }
        }
        if tag.self_closing {
            out.push_str(" /");
        }
        out.push('>');
    }

    /// Where a link of the all-notes page should point inside the file (escaped for an attribute).
    fn page_link(&mut self, url: &str) -> Option<String> {
        if is_self_contained(url) || is_remote(url) || url.contains(':') && !url.contains('/') {
            return None;
        }
        let (path, query, frag) = split_url(url);
        let path = resolve_relative("index.html", &percent_decode(path));
        let frag = frag.filter(|f| !f.is_empty());
        let anchor = |id: &str| Some(format!("#{}", escape(id)));
        if path.is_empty() || path == "index.html" {
            return match (query, frag) {
                (Some(q), f) => Some(escape(&format!(
                    "?{q}{}",
                    f.map(|f| format!("#{f}")).unwrap_or_default()
                ))),
                (None, Some(f)) => anchor(f),
                (None, None) => anchor(if self.ids.contains("main") {
                    "main"
                } else {
                    ""
                }),
            };
        }
        if let Some(slug) = path
            .strip_suffix(".html")
            .filter(|s| self.notes.contains(s))
        {
            return match frag {
                Some(f) => anchor(&format!("{slug}--{}", percent_decode(f))),
                None => anchor(slug),
            };
        }
        // The review page is a view of the file itself (review.js draws it at `#review`).
        if path == "review.html" && self.ids.contains("review") {
            return anchor("review");
        }
        if path == "tags/index.html" || path == "tags" {
            return anchor(if self.ids.contains("filters-title") {
                "filters-title"
            } else {
                "main"
            });
        }
        if let Some(tag) = path
            .strip_prefix("tags/")
            .and_then(|p| p.strip_suffix(".html"))
        {
            return Some(escape(&format!("?tags={tag}")));
        }
        if path.ends_with(".html") && self.files.contains_key(&path) {
            return anchor("main");
        }
        // A download or image link: the file itself goes in.
        if self.files.contains_key(&path) {
            return self.data_uri_for(url, false);
        }
        self.warnings.push(format!(
            "link {url} points to {path}, which the site does not have"
        ));
        None
    }

    /// A data URI for a local file reference, or None to keep the reference as it is.
    fn data_uri_for(&mut self, url: &str, fetched: bool) -> Option<String> {
        if is_self_contained(url) {
            return None;
        }
        if is_remote(url) {
            if fetched {
                self.warnings.push(format!(
                    "{url} is loaded from the network; it will be missing offline"
                ));
            }
            return None;
        }
        let (path, _, _) = split_url(url);
        let path = resolve_relative("index.html", &percent_decode(path));
        self.data_uri(&path).or_else(|| {
            self.warnings
                .push(format!("{url} is not part of the site; it will be missing"));
            None
        })
    }

    fn data_uri(&mut self, path: &str) -> Option<String> {
        let bytes = self.files.get(path)?;
        let m = mime(path);
        let uri = format!(
            "data:{m};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes.as_slice())
        );
        self.count(path, uri.len(), m.starts_with("image/"));
        Some(uri)
    }

    fn srcset(&mut self, v: &str) -> Option<String> {
        let mut changed = false;
        let items: Vec<String> = v
            .split(',')
            .map(|item| {
                let item = item.trim();
                let (u, d) = item.split_once(char::is_whitespace).unwrap_or((item, ""));
                match self.data_uri_for(u, true) {
                    Some(uri) => {
                        changed = true;
                        format!("{uri} {d}").trim_end().to_string()
                    }
                    None => item.to_string(),
                }
            })
            .collect();
        changed.then(|| escape(&items.join(", ")))
    }

    fn text_file(&self, path: &str) -> Option<String> {
        self.files
            .get(path)
            .map(|b| String::from_utf8_lossy(b).into_owned())
    }

    fn count(&mut self, name: &str, bytes: usize, is_image: bool) {
        let source = self.files.get(name).map(|b| b.len()).unwrap_or(0);
        let p = self.parts.entry(name.to_string()).or_insert_with(|| Part {
            name: name.to_string(),
            bytes: 0,
            source_bytes: source,
            uses: 0,
            is_image,
        });
        p.bytes += bytes;
        p.uses += 1;
    }

    /// Inline what a stylesheet at `css_path` refers to: local `@import`s and `url()`s.
    fn inline_css(&mut self, css: &str, css_path: &str, depth: usize) -> String {
        let mut out = String::with_capacity(css.len());
        let mut rest = css;
        loop {
            let imp = rest.find("@import");
            let url = rest.find("url(");
            let (at, is_import) = match (imp, url) {
                (Some(i), Some(u)) if i < u => (i, true),
                (Some(i), None) => (i, true),
                (_, Some(u)) => (u, false),
                (None, None) => break,
            };
            out.push_str(&rest[..at]);
            if is_import {
                let end = rest[at..]
                    .find(';')
                    .map(|e| at + e + 1)
                    .unwrap_or(rest.len());
                let stmt = &rest[at..end];
                let target = css_target(&stmt["@import".len()..]);
                let local = target
                    .as_deref()
                    .filter(|t| !is_remote(t) && !is_self_contained(t));
                match local {
                    Some(t) if depth < 8 => {
                        let path = resolve_relative(css_path, &percent_decode(split_url(t).0));
                        match self.text_file(&path) {
                            Some(inner) => {
                                let inner = self.inline_css(&inner, &path, depth + 1);
                                out.push_str(&inner);
                            }
                            None => {
                                self.warnings.push(format!(
                                    "{css_path}: @import {t} is not part of the site"
                                ));
                                out.push_str(stmt);
                            }
                        }
                    }
                    _ => {
                        if let Some(t) = target.filter(|t| is_remote(t)) {
                            self.warnings
                                .push(format!("{css_path}: @import {t} loads from the network"));
                        }
                        out.push_str(stmt);
                    }
                }
                rest = &rest[end..];
                continue;
            }
            let close = rest[at..].find(')').map(|e| at + e).unwrap_or(rest.len());
            let inner = &rest[at + 4..close];
            let t = inner.trim().trim_matches(|c| c == '"' || c == '\'');
            if is_remote(t) {
                self.warnings
                    .push(format!("{css_path}: url({t}) loads from the network"));
                out.push_str(&rest[at..close]);
            } else if is_self_contained(t) {
                out.push_str(&rest[at..close]);
            } else {
                let path = resolve_relative(css_path, &percent_decode(split_url(t).0));
                match self.data_uri(&path) {
                    Some(uri) => {
                        out.push_str("url(\"");
                        out.push_str(&uri);
                        out.push('"');
                    }
                    None => {
                        self.warnings
                            .push(format!("{css_path}: url({t}) is not part of the site"));
                        out.push_str(&rest[at..close]);
                    }
                }
            }
            rest = &rest[close..];
        }
        out.push_str(rest);
        out
    }
}

fn push_attr(out: &mut String, a: &Attr) {
    out.push(' ');
    out.push_str(&a.name);
    if let Some(v) = a.value {
        out.push_str("=\"");
        out.push_str(v);
        out.push('"');
    }
}

/// The URL of `@import "x"` / `@import url(x)`.
fn css_target(s: &str) -> Option<String> {
    let s = s.trim_start();
    let s = s.strip_prefix("url(").unwrap_or(s);
    let q = s.chars().next()?;
    let body = if q == '"' || q == '\'' {
        &s[1..s[1..].find(q)? + 1]
    } else {
        s.split([')', ' ', ';']).next()?
    };
    Some(body.to_string())
}

#[cfg(test)]
mod tests;
