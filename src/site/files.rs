//! The site's other files: the theme's static files, note assets, navigation script, sitemap, robots.txt.

use super::templates;
use crate::book::Book;
use crate::output::Files;
use crate::render::markdown::{self, RenderedNote};
use crate::settings::Settings;
use anyhow::Result;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The theme's static files, with the book's `static/` laid over them.
pub(super) fn static_files(settings: &Settings) -> Result<Files> {
    let mut files: Files = templates::BUILTIN_STATIC
        .iter()
        .map(|(n, b)| (n.to_string(), b.to_vec().into()))
        .collect();
    let dir = settings.root.join("static");
    if dir.is_dir() {
        for e in walkdir::WalkDir::new(&dir).min_depth(1) {
            let e = e?;
            if e.file_type().is_file() {
                let rel = e
                    .path()
                    .strip_prefix(&dir)?
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes = std::fs::read(e.path())?;
                if !templates::is_theme_source(&rel, &bytes) {
                    files.insert(rel, bytes.into());
                }
            }
        }
    }
    Ok(files)
}

/// Images and files that notes link to beside themselves (not under static/) are copied along.
pub(super) fn copy_note_assets(
    settings: &Settings,
    rendered: &[Arc<RenderedNote>],
    files: &mut Files,
) {
    for r in rendered {
        for l in &r.links {
            if let markdown::LinkTarget::File(p) = &l.target
                && !files.contains_key(p)
                && p.starts_with("notes/")
                && inside_book(settings, p)
                && let Ok(bytes) = std::fs::read(settings.root.join(p))
            {
                files.insert(p.clone(), bytes.into());
            }
        }
    }
}

/// Whether `rel` really lies in the book: a symlink to a file elsewhere is not published.
pub(super) fn inside_book(settings: &Settings, rel: &str) -> bool {
    settings
        .root
        .join(rel)
        .canonicalize()
        .is_ok_and(|p| p.starts_with(&settings.root))
}

/// The full navigation, loaded once as a script by per-note pages so page size stays independent of book size.
pub(super) fn nav_js(book: &Book) -> String {
    #[derive(Serialize)]
    struct S<'a> {
        t: &'a str,
        n: Vec<(&'a str, usize, &'a str, &'a str)>,
    }
    let data: Vec<S> = book
        .sections
        .iter()
        .map(|s| S {
            t: &s.title,
            n: s.notes
                .iter()
                .map(|&i| {
                    let n = &book.notes[i];
                    (
                        n.slug.as_str(),
                        n.number(),
                        n.meta.title.as_str(),
                        n.meta.level.as_str(),
                    )
                })
                .collect(),
        })
        .collect();
    format!(
        "window.HANDBOOK_NAV={};\n",
        serde_json::to_string(&data).unwrap_or_else(|_| "[]".into())
    )
}

pub(super) fn sitemap(
    base: &str,
    book: &Book,
    tags: &BTreeMap<String, (String, Vec<usize>)>,
) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut push = |p: &str| {
        s.push_str(&format!(
            "  <url><loc>{}{}</loc></url>\n",
            crate::util::text::escape(base),
            p
        ));
    };
    push("");
    for n in &book.notes {
        push(&format!("{}.html", n.slug));
    }
    push("tags/index.html");
    for slug in tags.keys() {
        push(&format!("tags/{slug}.html"));
    }
    s.push_str("</urlset>\n");
    s
}

pub(super) fn robots(settings: &Settings) -> String {
    let mut s = String::from("User-agent: *\nAllow: /\n");
    if let Some(u) = &settings.site_url {
        s.push_str(&format!("Sitemap: {u}sitemap.xml\n"));
    }
    s
}
