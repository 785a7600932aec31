//! `import mdbook`: reads `book.toml` and `SUMMARY.md` and plans the handbook book: sections, notes in reading order, redirects from the old page URLs.

use super::links::{Moved, rewrite_includes, rewrite_links};
use super::{Mapper, NewNote, Plan, toml_str, unique_slug, width};
use crate::settings::normalize;
use crate::util::slug::slugify;
use anyhow::{Context, Result, bail};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// Where a chapter sits in SUMMARY.md.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Place {
    Prefix,
    Numbered,
    Suffix,
}

/// One line of SUMMARY.md that names a chapter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Chapter {
    pub title: String,
    /// Relative to `src/`; `None` for a draft chapter `[Title]()`.
    pub path: Option<String>,
    /// 0 for top-level list items and prefix/suffix chapters.
    pub depth: usize,
    /// The `# Part` title it falls under, if any.
    pub part: Option<String>,
    pub place: Place,
    /// Line in SUMMARY.md.
    pub line: usize,
}

/// Parse SUMMARY.md: prefix chapters, `# Part` titles, nested list items (any marker, any
/// indentation), drafts, separators, suffix chapters.
pub(crate) fn parse_summary(text: &str) -> Vec<Chapter> {
    let mut out = Vec::new();
    let mut part: Option<String> = None;
    let mut seen_list = false;
    let mut seen_heading = false;
    let mut indents: Vec<usize> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        let t = line.trim_start();
        if t.is_empty() || t.starts_with("<!--") {
            continue;
        }
        if let Some(h) = t.strip_prefix("# ") {
            // The first heading before any chapter is the summary's own title.
            if seen_heading || !out.is_empty() {
                part = Some(h.trim().to_string());
            }
            seen_heading = true;
            continue;
        }
        if t.chars()
            .all(|c| c == '-' || c == '*' || c == '_' || c == ' ')
            && t.len() >= 3
        {
            continue; // separator
        }
        let indent = line.len() - t.len();
        let (item, is_list) = match list_item(t) {
            Some(rest) => (rest, true),
            None => (t, false),
        };
        let Some((title, path)) = link(item) else {
            continue;
        };
        let depth = if is_list {
            seen_list = true;
            while indents.last().is_some_and(|&d| d > indent) {
                indents.pop();
            }
            if indents.last() != Some(&indent) {
                indents.push(indent);
            }
            indents.len() - 1
        } else {
            0
        };
        let place = match (is_list, seen_list) {
            (true, _) => Place::Numbered,
            (false, false) => Place::Prefix,
            (false, true) => Place::Suffix,
        };
        out.push(Chapter {
            title,
            path,
            depth,
            part: if is_list { part.clone() } else { None },
            place,
            line: i + 1,
        });
    }
    out
}

/// The text after a list marker (`-`, `*`, `+`, `1.`), if `t` is a list item.
fn list_item(t: &str) -> Option<&str> {
    if let Some(r) = t.strip_prefix(['-', '*', '+']) {
        return r.strip_prefix(' ').map(str::trim_start);
    }
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 {
        return t[digits..]
            .strip_prefix(['.', ')'])
            .and_then(|r| r.strip_prefix(' '))
            .map(str::trim_start);
    }
    None
}

/// `[Title](path)`: the title and the path (`None` when empty: a draft).
fn link(t: &str) -> Option<(String, Option<String>)> {
    let t = t.strip_prefix('[')?;
    let close = t.rfind("](")?;
    let title = t[..close].replace("\\[", "[").replace("\\]", "]");
    let rest = &t[close + 2..];
    let end = rest.rfind(')')?;
    let path = rest[..end]
        .trim()
        .trim_start_matches("./")
        .replace("%20", " ");
    Some((title.trim().to_string(), (!path.is_empty()).then_some(path)))
}

/// A section of the new book and its chapters (indices into the parsed summary).
struct Group {
    title: String,
    chapters: Vec<usize>,
}

/// Sections: `# Part` titles when there are parts, else each top-level chapter with what is
/// nested under it; prefix chapters open an untitled section, suffix chapters close one.
fn group(chapters: &[Chapter]) -> Vec<Group> {
    let parts = chapters.iter().any(|c| c.part.is_some());
    let mut groups: Vec<Group> = vec![Group {
        title: String::new(),
        chapters: vec![],
    }];
    let mut last_part: Option<&str> = None;
    for (i, c) in chapters.iter().enumerate() {
        let new_group = match c.place {
            Place::Prefix => None,
            Place::Suffix if groups.last().is_some_and(|g| g.title == "Appendix") => None,
            Place::Suffix => Some("Appendix".to_string()),
            Place::Numbered if parts => (c.part.as_deref() != last_part || groups.len() == 1)
                .then(|| c.part.clone().unwrap_or_default()),
            Place::Numbered => (c.depth == 0).then(|| c.title.clone()),
        };
        if c.place == Place::Numbered {
            last_part = c.part.as_deref();
        }
        let merges = |t: &String| t.is_empty() && groups.last().is_some_and(|g| g.title.is_empty());
        if let Some(title) = new_group.filter(|t| !merges(t)) {
            groups.push(Group {
                title,
                chapters: vec![],
            });
        }
        groups.last_mut().expect("one group").chapters.push(i);
    }
    groups.retain(|g| !g.chapters.is_empty());
    groups
}

/// Read an mdBook and plan the new book.
pub(crate) fn plan(root: &Path) -> Result<Plan> {
    let toml_path = root.join("book.toml");
    let toml_text = std::fs::read_to_string(&toml_path)
        .with_context(|| format!("{}: no book.toml; is this an mdBook?", root.display()))?;
    let cfg: toml::Table = toml::from_str(&toml_text)
        .with_context(|| format!("{}: not valid TOML", toml_path.display()))?;
    let src_name = cfg
        .get("book")
        .and_then(|b| b.get("src"))
        .and_then(|s| s.as_str())
        .unwrap_or("src");
    let src = normalize(&root.join(src_name));
    let summary_path = src.join("SUMMARY.md");
    let summary = std::fs::read_to_string(&summary_path)
        .with_context(|| format!("cannot read {}", summary_path.display()))?;
    let chapters = parse_summary(&summary);
    if chapters.is_empty() {
        bail!("{}: no chapters found", summary_path.display());
    }
    let mut plan = Plan::default();
    let mut map = Mapper::new(&src);
    let placed = place_notes(&chapters, &src, &mut map, &mut plan);
    for p in &placed {
        write_note(&chapters, p, &placed, &mut map, &mut plan)?;
    }
    let redirects = redirects(&cfg, &chapters, &placed, &mut plan);
    plan.stats.redirects = redirects.len();
    plan.book_toml = book_toml(&cfg, &redirects);
    report_config(&cfg, root, &mut plan);
    Ok(plan)
}

/// A chapter's place in the new book.
struct Placed {
    chapter: usize,
    new_path: String,
    slug: String,
    /// The source file, if the chapter has one.
    source: Option<PathBuf>,
}

fn place_notes(chapters: &[Chapter], src: &Path, map: &mut Mapper, plan: &mut Plan) -> Vec<Placed> {
    let groups = group(chapters);
    let mut taken = HashSet::new();
    let mut placed = Vec::new();
    let sw = width(groups.len());
    let mut folder_no = 0;
    for g in &groups {
        let dir = if g.title.is_empty() {
            "notes".to_string()
        } else {
            folder_no += 1;
            let d = format!("notes/{folder_no:0sw$}-{}", slugify(&g.title));
            let dir_slug = if slugify(&g.title).is_empty() {
                "part".into()
            } else {
                slugify(&g.title)
            };
            let d = if d.ends_with('-') {
                format!("notes/{folder_no:0sw$}-{dir_slug}")
            } else {
                d
            };
            plan.files.insert(
                format!("{d}/_section.toml"),
                format!("title = {}\n", toml_str(&g.title)).into_bytes(),
            );
            d
        };
        let nw = width(g.chapters.len());
        for (k, &ci) in g.chapters.iter().enumerate() {
            let c = &chapters[ci];
            let slug = unique_slug(&slugify(&c.title), &mut taken);
            let new_path = format!("{dir}/{:0nw$}-{slug}.md", k + 1);
            let source = c.path.as_ref().map(|p| normalize(&src.join(p)));
            if let Some(s) = &source {
                map.add_note(s, &new_path);
            }
            placed.push(Placed {
                chapter: ci,
                new_path,
                slug,
                source,
            });
        }
    }
    placed
}

/// The nearest chapter above `ci` in the summary's nesting.
fn parent(chapters: &[Chapter], ci: usize) -> Option<usize> {
    let d = chapters[ci].depth;
    (d > 0)
        .then(|| (0..ci).rev().find(|&j| chapters[j].depth < d))
        .flatten()
}

fn write_note(
    chapters: &[Chapter],
    p: &Placed,
    placed: &[Placed],
    map: &mut Mapper,
    plan: &mut Plan,
) -> Result<()> {
    let c = &chapters[p.chapter];
    plan.stats.chapters += 1;
    let mut fm = format!("title = {}\n", toml_str(&c.title));
    let body = match &p.source {
        None => {
            plan.stats.drafts += 1;
            fm.push_str("draft = true\n");
            plan.note(
                "SUMMARY.md",
                c.line,
                format!(
                    "draft chapter \"{}\" written as a draft note (built with --drafts)",
                    c.title
                ),
            );
            "\nThis chapter is not written yet.\n".to_string()
        }
        Some(source) => match std::fs::read_to_string(source) {
            Ok(text) => {
                let m = Moved {
                    source,
                    new_path: &p.new_path,
                };
                let text = rewrite_includes(&text, &m, map, plan, 0)?;
                let text = rewrite_links(&text, &m, map, plan)?;
                chapter_body(&text)
            }
            Err(e) => {
                plan.note(
                    "SUMMARY.md",
                    c.line,
                    format!(
                        "chapter `{}`: cannot read ({e}); written as an empty draft",
                        c.path.as_deref().unwrap_or("")
                    ),
                );
                fm.push_str("draft = true\n");
                String::new()
            }
        },
    };
    // Nesting deeper than the section is kept as a line naming the chapter above.
    let nesting = match (
        c.depth > 1 || (c.depth == 1 && c.part.is_some()),
        parent(chapters, p.chapter),
    ) {
        (true, Some(pi)) => {
            let up = placed.iter().find(|q| q.chapter == pi);
            let title = &chapters[pi].title;
            match up {
                Some(q) if q.source.is_some() => format!(
                    "\n*Part of [{title}]({}).*\n",
                    super::relative(&p.new_path, &q.new_path)
                ),
                _ => format!("\n*Part of {title}.*\n"),
            }
        }
        _ => String::new(),
    };
    plan.notes.push(NewNote {
        path: p.new_path.clone(),
        front_matter: fm,
        body: format!("{nesting}{body}"),
    });
    Ok(())
}

/// A chapter's text as a note body: its first `# ` heading (the title, now in the front
/// matter) removed, other `# ` headings made `## ` (bodies start at `##`).
fn chapter_body(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut fence: Option<&str> = None;
    let mut dropped_title = false;
    let mut seen_text = false;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| t.starts_with(m));
        match (fence, marker) {
            (None, Some(m)) => {
                fence = Some(m);
                out.push_str(&fence_line(line, m));
                seen_text = true;
                continue;
            }
            (Some(f), Some(m)) if f == m => fence = None,
            (None, None) if t.starts_with("# ") && line.len() - t.len() < 4 => {
                if !dropped_title && !seen_text {
                    dropped_title = true;
                    continue;
                }
                out.push('#');
            }
            _ => {}
        }
        if !t.trim().is_empty() && !t.starts_with("{{#title") {
            seen_text = true;
        }
        out.push_str(line);
    }
    if !out.starts_with('\n') {
        out.insert(0, '\n');
    }
    out
}

/// A fence's opening line with mdBook's code-block attributes (`rust,editable`, `ignore`,
/// `should_panic`...) left out: the language stays.
fn fence_line(line: &str, marker: &str) -> String {
    let indent = &line[..line.len() - line.trim_start().len()];
    let t = line.trim_start();
    let ticks = t.len()
        - t.trim_start_matches(marker.chars().next().unwrap_or('`'))
            .len();
    let info = t[ticks..].trim();
    if info.contains('{') {
        return line.to_string();
    }
    let lang = info.split([',', ' ']).next().unwrap_or("");
    let eol = if line.ends_with('\n') { "\n" } else { "" };
    format!("{indent}{}{lang}{eol}", &t[..ticks])
}

/// The old page URLs and where they now are: each chapter's `x.md` was served as `x.html`
/// (`README.md` as `index.html`), plus `[output.html.redirect]`.
fn redirects(
    cfg: &toml::Table,
    chapters: &[Chapter],
    placed: &[Placed],
    plan: &mut Plan,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut by_old: BTreeMap<String, String> = BTreeMap::new();
    for p in placed {
        let Some(path) = &chapters[p.chapter].path else {
            continue;
        };
        let old = old_url(path);
        by_old.insert(old.clone(), format!("{}.html", p.slug));
        // The all-notes page takes the book's front page; mdBook's print page has no match.
        if old != "index.html" && old != format!("{}.html", p.slug) {
            out.insert(old, format!("{}.html", p.slug));
        }
    }
    let extra = cfg
        .get("output")
        .and_then(|o| o.get("html"))
        .and_then(|h| h.get("redirect"))
        .and_then(|r| r.as_table());
    for (from, to) in extra.into_iter().flatten() {
        let from_rel = from.trim_start_matches('/').to_string();
        let Some(to) = to.as_str() else { continue };
        let target = if to.contains("://") {
            to.to_string()
        } else {
            let dir = Path::new(&from_rel).parent().unwrap_or(Path::new(""));
            let (p, frag) = to
                .split_once('#')
                .map_or((to, String::new()), |(a, b)| (a, format!("#{b}")));
            let joined = crate::diagnostics::display_path(Path::new(""), &normalize(&dir.join(p)));
            match by_old.get(&joined) {
                Some(new) => format!("{new}{frag}"),
                None => {
                    plan.note("book.toml", 0, format!("[output.html.redirect] \"{from}\" points at `{to}`, which is no chapter; kept as a path from the site's root"));
                    format!("{joined}{frag}")
                }
            }
        };
        out.insert(from_rel, target);
    }
    out
}

fn old_url(path: &str) -> String {
    let p = path.strip_suffix(".md").unwrap_or(path);
    match p
        .strip_suffix("README")
        .or_else(|| p.strip_suffix("readme"))
    {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("{dir}index.html"),
        _ => format!("{p}.html"),
    }
}

fn book_toml(cfg: &toml::Table, redirects: &BTreeMap<String, String>) -> String {
    let book = cfg.get("book").and_then(|b| b.as_table());
    let get = |k: &str| book.and_then(|b| b.get(k)).and_then(|v| v.as_str());
    let mut s = format!(
        "[book]\ntitle = {}\n",
        toml_str(get("title").unwrap_or("Handbook"))
    );
    if let Some(d) = get("description") {
        s.push_str(&format!("description = {}\n", toml_str(d)));
    }
    s.push_str(&format!(
        "language = {}\n",
        toml_str(get("language").unwrap_or("en"))
    ));
    if let Some(a) = book
        .and_then(|b| b.get("authors"))
        .and_then(|a| a.as_array())
    {
        let names: Vec<String> = a.iter().filter_map(|v| v.as_str()).map(toml_str).collect();
        s.push_str(&format!("authors = [{}]\n", names.join(", ")));
    }
    let html = cfg.get("output").and_then(|o| o.get("html"));
    if let Some(r) = html
        .and_then(|h| h.get("git-repository-url"))
        .and_then(|v| v.as_str())
    {
        s.push_str(&format!("repository = {}\n", toml_str(r)));
    }
    s.push_str("\n[build]\noutput-dir = \"public\"\n");
    if !redirects.is_empty() {
        s.push_str("\n# The old mdBook page URLs: build writes a page at each that sends readers on.\n[redirects]\n");
        for (from, to) in redirects {
            s.push_str(&format!("{} = {}\n", toml_str(from), toml_str(to)));
        }
    }
    s
}

/// book.toml settings with no counterpart, each reported.
fn report_config(cfg: &toml::Table, root: &Path, plan: &mut Plan) {
    let html = cfg
        .get("output")
        .and_then(|o| o.get("html"))
        .and_then(|h| h.as_table());
    let carried = [
        "git-repository-url",
        "redirect",
        "site-url",
        "smart-punctuation",
    ];
    for (k, _) in html.into_iter().flatten() {
        if !carried.contains(&k.as_str()) {
            plan.note(
                "book.toml",
                0,
                format!("[output.html] {k}: no handbook counterpart; not carried over"),
            );
        }
    }
    for (k, _) in cfg
        .get("preprocessor")
        .and_then(|p| p.as_table())
        .into_iter()
        .flatten()
    {
        plan.note("book.toml", 0, format!("[preprocessor.{k}]: preprocessors do not run in handbook; what it adds to pages is missing"));
    }
    for (k, _) in cfg
        .get("output")
        .and_then(|o| o.as_table())
        .into_iter()
        .flatten()
    {
        if k != "html" {
            plan.note(
                "book.toml",
                0,
                format!("[output.{k}]: only HTML output is carried over"),
            );
        }
    }
    if root.join("theme").is_dir() {
        plan.note("theme/", 0, "custom theme: not carried over (handbook's templates/ and static/ replace built-in files by name)");
    }
}

#[cfg(test)]
mod tests;
