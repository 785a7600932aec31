//! Tera templates and theme files: built-in ones embedded in the binary, overridden file by file by the book's own.

use super::template_errors::{RenderError, Source, parse_error};
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::Path;
use tera::Tera;

/// The built-in templates, by name.
pub(crate) const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("note.html", include_str!("../../templates/note.html")),
    ("tag.html", include_str!("../../templates/tag.html")),
    ("tags.html", include_str!("../../templates/tags.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("review.html", include_str!("../../templates/review.html")),
];

/// The built-in static files, copied to the output root unless the book has its own.
pub(crate) const BUILTIN_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    // The search engine is its own file but ships at the start of app.js (pages keep to four
    // scripts; app.js needs it from its first line on the all-notes page).
    (
        "app.js",
        concat!(
            include_str!("../../static/search.js"),
            include_str!("../../static/app.js")
        )
        .as_bytes(),
    ),
    ("diagram.css", include_bytes!("../../static/diagram.css")),
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
    ("study.css", include_bytes!("../../static/study.css")),
    ("study.js", include_bytes!("../../static/study.js")),
    // The scheduler is its own file (tested under Node) but ships inside review.js: pages keep
    // to four scripts.
    (
        "review.js",
        concat!(
            include_str!("../../static/schedule.js"),
            include_str!("../../static/review.js")
        )
        .as_bytes(),
    ),
];

/// The theme's own source files that two built-in files are made of. A book whose `static/`
/// holds one of them unchanged (as this repository's own book does, its `static/` being the
/// theme's) keeps the built-in file: its copy is not an override.
const THEME_SOURCES: &[(&str, &[u8])] = &[
    ("app.js", include_bytes!("../../static/app.js")),
    ("search.js", include_bytes!("../../static/search.js")),
    ("schedule.js", include_bytes!("../../static/schedule.js")),
    ("review.js", include_bytes!("../../static/review.js")),
];

/// Whether a book's static file `name` is one of the theme's sources, unchanged.
pub(crate) fn is_theme_source(name: &str, bytes: &[u8]) -> bool {
    THEME_SOURCES.iter().any(|(n, b)| *n == name && *b == bytes)
}

/// Load the templates: built-in first, then every file of the book's `templates/` on top.
pub(crate) fn load(root: &Path) -> Result<Tera> {
    let mut sources: BTreeMap<String, Source> = BUILTIN_TEMPLATES
        .iter()
        .map(|(n, s)| {
            let text = s.to_string();
            (n.to_string(), Source { text, own: false })
        })
        .collect();
    let dir = root.join("templates");
    if dir.is_dir() {
        for e in walkdir::WalkDir::new(&dir).min_depth(1) {
            let e = e?;
            if !e.file_type().is_file() {
                continue;
            }
            let name = e
                .path()
                .strip_prefix(&dir)
                .unwrap_or(e.path())
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(e.path())
                .with_context(|| format!("templates/{name}: cannot read as UTF-8"))?;
            sources.insert(name, Source { text, own: true });
        }
    }
    let mut tera = Tera::default();
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.text.as_str())))
        .map_err(|e| parse_error(&causes(&e), &sources))?;
    Ok(tera)
}

/// Render a template, turning Tera's nested errors into one readable line.
pub(crate) fn render(tera: &Tera, name: &str, ctx: &tera::Context) -> Result<String> {
    let mut page = tera.render(name, ctx).map_err(|e| RenderError {
        name: name.to_string(),
        causes: causes(&e),
        chain: error_chain(&e),
    })?;
    // Tera grows its buffer by doubling: a 16 KB page can sit in 32 KB. Pages are kept until
    // written, so at 5,000 notes the slack would be tens of MiB of peak memory.
    page.shrink_to_fit();
    Ok(page)
}

/// Tera hides the real cause several levels deep: print the whole chain once.
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    causes(e).join(": ")
}

/// Each distinct message of an error's chain, outermost first.
fn causes(e: &dyn std::error::Error) -> Vec<String> {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(c) = cur {
        let s = c.to_string();
        if !parts.contains(&s) {
            parts.push(s);
        }
        cur = c.source();
    }
    parts
}

/// Escape like Tera does, but leave `/` alone so URLs in attributes stay readable.
fn escape_html(s: &str) -> String {
    crate::util::text::escape(s)
}
