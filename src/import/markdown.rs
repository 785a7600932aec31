//! `import markdown`: a folder of Markdown (Obsidian, Jekyll, Hugo, Docusaurus) as a book: folders become sections, YAML front matter TOML, `[[wiki links]]` relative links.

use super::links::{Moved, apply, line_of, rewrite_includes, rewrite_links};
use super::{Mapper, NewNote, Plan, relative, toml_str, unique_slug, width};
use crate::util::slug::{slugify, strip_number};
use anyhow::Result;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Front matter keys carried over; every other key is reported.
const KNOWN: [&str; 6] = [
    "title",
    "tags",
    "draft",
    "description",
    "weight",
    "sidebar_position",
];

/// A Markdown file before it is placed.
struct Source {
    path: PathBuf,
    meta: Meta,
    body: String,
    /// Line of the file where `body` starts.
    body_line: usize,
}

#[derive(Default, Debug, PartialEq)]
struct Meta {
    title: Option<String>,
    tags: Vec<String>,
    draft: bool,
    description: Option<String>,
    order: Option<f64>,
}

/// A folder that becomes a section.
struct Folder {
    title: String,
    order: Option<f64>,
    files: Vec<Source>,
}

pub(crate) fn plan(src: &Path) -> Result<Plan> {
    let mut plan = Plan::default();
    let mut folders = collect(src, &mut plan)?;
    folders.retain(|f| !f.files.is_empty());
    let mut map = Mapper::new(src);
    let placed = place(&folders, &mut map, &mut plan);
    for (f, folder) in folders.iter().enumerate() {
        for (k, s) in folder.files.iter().enumerate() {
            let new_path = &placed[f][k];
            let m = Moved {
                source: &s.path,
                new_path,
            };
            let body = wiki_links(&s.body, &m, &mut map, &mut plan, s.body_line)?;
            let body = rewrite_includes(&body, &m, &mut map, &mut plan, 0)?;
            let body = rewrite_links(&body, &m, &mut map, &mut plan)?;
            plan.stats.chapters += 1;
            plan.stats.drafts += usize::from(s.meta.draft);
            plan.notes.push(NewNote {
                path: new_path.clone(),
                front_matter: front_matter(&s.meta, &s.path, &body),
                body,
            });
        }
    }
    let title = src
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    plan.book_toml = format!(
        "[book]\ntitle = {}\nlanguage = \"en\"\n\n[build]\noutput-dir = \"public\"\n",
        toml_str(&title)
    );
    Ok(plan)
}

/// Every folder holding Markdown, the top folder first, each sorted by `weight` /
/// `sidebar_position`, then name.
fn collect(src: &Path, plan: &mut Plan) -> Result<Vec<Folder>> {
    let mut folders = Vec::new();
    let walk = walkdir::WalkDir::new(src)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for e in walk {
        let e = e?;
        if !e.file_type().is_dir() {
            continue;
        }
        let mut files = Vec::new();
        for f in std::fs::read_dir(e.path())? {
            let p = f?.path();
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            if p.is_file()
                && (name.ends_with(".md") || name.ends_with(".markdown"))
                && !name.starts_with('.')
            {
                files.push(read_source(src, &p, plan)?);
            }
        }
        let (mut title, mut order) = folder_meta(e.path(), e.depth());
        // Hugo's `_index.md` titles its folder instead of being a note.
        if let Some(i) = files
            .iter()
            .position(|s| s.path.file_name().is_some_and(|n| n == "_index.md"))
        {
            let idx = files.remove(i);
            title = idx.meta.title.unwrap_or(title);
            order = idx.meta.order.or(order);
        }
        files.sort_by(|a, b| order_cmp((a.meta.order, &a.path), (b.meta.order, &b.path)));
        folders.push(Folder {
            title,
            order,
            files,
        });
    }
    let first = folders.remove(0);
    folders.sort_by(|a, b| {
        order_cmp(
            (a.order, Path::new(&a.title)),
            (b.order, Path::new(&b.title)),
        )
    });
    folders.insert(0, first);
    Ok(folders)
}

fn order_cmp(a: (Option<f64>, &Path), b: (Option<f64>, &Path)) -> std::cmp::Ordering {
    let key = |o: Option<f64>| o.unwrap_or(f64::MAX);
    key(a.0).total_cmp(&key(b.0)).then_with(|| a.1.cmp(b.1))
}

/// A folder's section title (Docusaurus `_category_.json` `label`, or its name) and position.
fn folder_meta(dir: &Path, depth: usize) -> (String, Option<f64>) {
    if depth == 0 {
        return (String::new(), None);
    }
    let name = dir
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let fallback = strip_number(&name).replace(['-', '_'], " ");
    let cat: Option<serde_json::Value> = std::fs::read_to_string(dir.join("_category_.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok());
    let label = cat
        .as_ref()
        .and_then(|c| c.get("label"))
        .and_then(|l| l.as_str());
    let pos = cat
        .as_ref()
        .and_then(|c| c.get("position"))
        .and_then(|p| p.as_f64());
    (label.map(str::to_string).unwrap_or(fallback), pos)
}

fn read_source(src: &Path, path: &Path, plan: &mut Plan) -> Result<Source> {
    let text = std::fs::read_to_string(path)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let shown = super::Mapper::new(src).shown(path);
    let (fm, body, body_line) = split(text);
    let meta = match fm {
        Some(y) => parse_yaml(y, &shown, plan),
        None => Meta::default(),
    };
    Ok(Source {
        path: path.to_path_buf(),
        meta,
        body: body.to_string(),
        body_line,
    })
}

/// YAML front matter between `---` lines, the body, and the body's first line.
fn split(text: &str) -> (Option<&str>, &str, usize) {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return (None, text, 1);
    };
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" || line.trim_end() == "..." {
            return (Some(&rest[..offset]), &rest[offset + line.len()..], i + 3);
        }
        offset += line.len();
    }
    (None, text, 1)
}

/// The keys handbook has; the rest are reported with their line.
fn parse_yaml(yaml: &str, shown: &str, plan: &mut Plan) -> Meta {
    let value: serde_yaml_ng::Value = match serde_yaml_ng::from_str(yaml) {
        Ok(v) => v,
        Err(e) => {
            let line = e.location().map_or(1, |l| l.line() + 1);
            plan.note(
                shown,
                line,
                format!("front matter is not valid YAML ({e}); dropped"),
            );
            return Meta::default();
        }
    };
    let Some(map) = value.as_mapping() else {
        return Meta::default();
    };
    let mut meta = Meta::default();
    for (k, v) in map {
        let key = k.as_str().unwrap_or("");
        let as_text = || {
            v.as_str()
                .map(str::to_string)
                .or_else(|| v.as_f64().map(|n| n.to_string()))
        };
        match key {
            "title" => meta.title = as_text(),
            "description" => meta.description = as_text(),
            "draft" => meta.draft = v.as_bool().unwrap_or(false),
            "weight" | "sidebar_position" => meta.order = v.as_f64(),
            "tags" => meta.tags = tags(v),
            _ => {
                let line = yaml
                    .lines()
                    .position(|l| l.starts_with(&format!("{key}:")))
                    .map_or(1, |i| i + 2);
                plan.note(
                    shown,
                    line,
                    format!(
                        "front matter `{key}`: no handbook counterpart; dropped (carried: {})",
                        KNOWN.join(", ")
                    ),
                );
            }
        }
    }
    meta
}

/// Tags as a list, or one string split at commas and spaces (Jekyll allows both).
fn tags(v: &serde_yaml_ng::Value) -> Vec<String> {
    let raw: Vec<String> = match v {
        serde_yaml_ng::Value::Sequence(s) => s
            .iter()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect(),
        serde_yaml_ng::Value::String(s) => s.split([',', ' ']).map(str::to_string).collect(),
        _ => Vec::new(),
    };
    let mut seen = HashSet::new();
    raw.into_iter()
        .map(|t| t.trim().trim_start_matches('#').to_string())
        .filter(|t| !slugify(t).is_empty() && seen.insert(slugify(t)))
        .collect()
}

/// New paths: `notes/` for the top folder's files, `notes/NN-folder/` for each other folder.
fn place(folders: &[Folder], map: &mut Mapper, plan: &mut Plan) -> Vec<Vec<String>> {
    let mut taken = HashSet::new();
    let sw = width(folders.len());
    let mut out = Vec::new();
    let mut number = 0;
    for (i, f) in folders.iter().enumerate() {
        let dir = if f.title.is_empty() && i == 0 {
            "notes".to_string()
        } else {
            number += 1;
            let i = number;
            let slug = slugify(&f.title);
            let d = format!(
                "notes/{i:0sw$}-{}",
                if slug.is_empty() { "section" } else { &slug }
            );
            plan.files.insert(
                format!("{d}/_section.toml"),
                format!("title = {}\n", toml_str(&f.title)).into_bytes(),
            );
            d
        };
        let nw = width(f.files.len());
        let mut paths = Vec::new();
        for (k, s) in f.files.iter().enumerate() {
            let stem = s
                .path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let slug = unique_slug(&slugify(strip_number(&stem)), &mut taken);
            let p = format!("{dir}/{:0nw$}-{slug}.md", k + 1);
            map.add_note(&s.path, &p);
            paths.push(p);
        }
        out.push(paths);
    }
    out
}

fn front_matter(meta: &Meta, path: &Path, body: &str) -> String {
    let mut fm = String::new();
    // Without a title and a `# ` heading to take it from, the file name gives one.
    let has_heading = body.lines().any(|l| l.starts_with("# "));
    let title = meta.title.clone().or_else(|| {
        (!has_heading).then(|| {
            let stem = path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            strip_number(&stem).replace(['-', '_'], " ")
        })
    });
    if let Some(t) = title {
        fm.push_str(&format!("title = {}\n", toml_str(&t)));
    }
    if let Some(d) = &meta.description {
        fm.push_str(&format!("description = {}\n", toml_str(d)));
    }
    if !meta.tags.is_empty() {
        let t: Vec<String> = meta.tags.iter().map(|t| toml_str(t)).collect();
        fm.push_str(&format!("tags = [{}]\n", t.join(", ")));
    }
    if meta.draft {
        fm.push_str("draft = true\n");
    }
    fm
}

/// Obsidian's `[[Note]]`, `[[Note|text]]`, `[[Note#Heading]]` and `![[image.png]]` as Markdown
/// links and images (fenced code and inline code left alone).
fn wiki_links(
    body: &str,
    m: &Moved,
    map: &mut Mapper,
    plan: &mut Plan,
    body_line: usize,
) -> Result<String> {
    let mut edits = Vec::new();
    let mut fence = false;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = !fence;
        }
        if !fence {
            wiki_in_line(line, offset, m, map, plan, &mut edits, (body, body_line))?;
        }
        offset += line.len();
    }
    Ok(apply(body, &edits))
}

fn wiki_in_line(
    line: &str,
    offset: usize,
    m: &Moved,
    map: &mut Mapper,
    plan: &mut Plan,
    edits: &mut Vec<(std::ops::Range<usize>, String)>,
    (body, body_line): (&str, usize),
) -> Result<()> {
    let mut at = 0;
    let mut in_code = false;
    while at < line.len() {
        let rest = &line[at..];
        if rest.starts_with('`') {
            in_code = !in_code;
            at += 1;
            continue;
        }
        let embed = rest.starts_with("![[");
        if in_code || !(rest.starts_with("[[") || embed) {
            at += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let open = if embed { 3 } else { 2 };
        let Some(close) = rest[open..].find("]]") else {
            break;
        };
        let inner = &rest[open..open + close];
        let start = offset + at;
        let end = start + open + close + 2;
        let line_no = body_line + line_of(body, start) - 1;
        if let Some(new) = wiki_target(inner, embed, m, map, plan, line_no)? {
            edits.push((start..end, new));
        }
        at += open + close + 2;
    }
    Ok(())
}

/// The Markdown for one wiki link.
fn wiki_target(
    inner: &str,
    embed: bool,
    m: &Moved,
    map: &mut Mapper,
    plan: &mut Plan,
    line: usize,
) -> Result<Option<String>> {
    let (target, text) = inner
        .split_once('|')
        .map_or((inner, None), |(a, b)| (a, Some(b)));
    let (name, heading) = target
        .split_once('#')
        .map_or((target, None), |(a, b)| (a, Some(b)));
    let name = name.trim();
    let label = text
        .unwrap_or(if name.is_empty() {
            heading.unwrap_or("")
        } else {
            name
        })
        .trim()
        .to_string();
    let anchor = heading
        .map(|h| format!("#{}", crate::util::slug::slugify(h.trim_start_matches('^'))))
        .unwrap_or_default();
    let shown = map.shown(m.source);
    if name.is_empty() {
        return Ok(Some(format!("[{label}]({anchor})")));
    }
    let key = Path::new(name)
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .to_lowercase();
    let is_note = !embed || name.ends_with(".md") || Path::new(name).extension().is_none();
    if is_note && let Some(src) = map.stems.get(&key).and_then(|v| v.first()).cloned() {
        let note = map.notes[&src].clone();
        plan.stats.links += 1;
        if embed {
            plan.note(
                &shown,
                line,
                format!("![[{inner}]]: embedding a note is not carried over; written as a link"),
            );
        }
        return Ok(Some(format!(
            "[{label}]({}{anchor})",
            relative(m.new_path, &note)
        )));
    }
    if let Some(file) = find_file(&map.src, name) {
        let copy = map.copy(&file, plan)?;
        plan.stats.links += 1;
        let rel = relative(m.new_path, &copy).replace(' ', "%20");
        return Ok(Some(if embed {
            format!("![{label}]({rel})")
        } else {
            format!("[{label}]({rel})")
        }));
    }
    plan.note(
        &shown,
        line,
        format!("[[{inner}]]: no note or file by that name; left as written"),
    );
    Ok(None)
}

/// A file named `name` (a path or a bare file name, as Obsidian allows) in the vault.
fn find_file(src: &Path, name: &str) -> Option<PathBuf> {
    let direct = src.join(name);
    if direct.is_file() {
        return Some(direct);
    }
    let base = Path::new(name).file_name()?;
    walkdir::WalkDir::new(src)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .find(|e| e.file_type().is_file() && e.file_name() == base)
        .map(|e| e.into_path())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_front_matter_keys_and_report() {
        let mut plan = Plan::default();
        let text = "---\ntitle: Hello\ntags: [a, B c]\ndraft: true\nsidebar_position: 2\nslug: /x\n---\nBody\n";
        let (fm, body, line) = split(text);
        assert_eq!((body, line), ("Body\n", 8));
        let meta = parse_yaml(fm.unwrap(), "a.md", &mut plan);
        assert_eq!(
            meta,
            Meta {
                title: Some("Hello".into()),
                tags: vec!["a".into(), "B c".into()],
                draft: true,
                description: None,
                order: Some(2.0)
            }
        );
        assert_eq!(plan.report.len(), 1);
        assert_eq!(
            (plan.report[0].line, plan.report[0].file.as_str()),
            (6, "a.md")
        );
        assert!(plan.report[0].message.contains("`slug`"));
        let meta = parse_yaml("tags: one, two", "b.md", &mut plan);
        assert_eq!(meta.tags, ["one", "two"]);
    }
}
