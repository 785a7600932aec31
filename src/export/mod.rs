//! `handbook export`: the whole book as one HTML file that reads the same offline, from disk, as the website.

mod bundle;
mod cards;
mod html;
mod verify;

pub(crate) use bundle::{Part, bundle};
pub(crate) use verify::problems;

use crate::cli::ExportArgs;
use crate::settings::Settings;
use crate::util::slug::slugify;
use crate::{Log, Outcome};
use anyhow::{Context, Result};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Hides the "Open as a page" link of each note (and a separator just before it): in the
/// single file there is no separate page.
const EXPORT_STYLE: &str =
    "<style>.note-permalink,.sep:has(+ .note-permalink){display:none}</style>\n";

/// `handbook export [-o FILE]`.
pub(crate) fn run(settings: &Settings, args: &ExportArgs, log: &Log) -> Result<Outcome> {
    if let Some(path) = &args.cards {
        return cards::run(settings, path, log);
    }
    let t = Instant::now();
    let site = crate::site::build(settings)?;
    let build_ms = ms(t);
    let tb = Instant::now();
    let slugs: HashSet<&str> = site.book.notes.iter().map(|n| n.slug.as_str()).collect();
    let mut b = bundle(&site.files, &slugs)?;
    if let Some(i) = b.html.find("</head>") {
        b.html.insert_str(i, EXPORT_STYLE);
    }
    let limit = settings.build.image_size_limit_kb * 1024;
    let mut warnings: Vec<String> = Vec::new();
    for p in b
        .parts
        .iter()
        .filter(|p| p.is_image && p.source_bytes as u64 > limit)
    {
        warnings.push(format!(
            "warning: image {} is {} (limit {} KiB, [build] image-size-limit-kb in book.toml); it makes the file {} larger{}",
            p.name,
            human(p.source_bytes),
            settings.build.image_size_limit_kb,
            human(p.bytes),
            if p.uses > 1 { format!(" ({} uses)", p.uses) } else { String::new() }
        ));
    }
    for w in &b.warnings {
        warnings.push(format!("warning: {w}"));
    }
    // What a reader would hit offline that the rewrite did not already report.
    if b.warnings.is_empty() {
        for p in problems(&b.html) {
            warnings.push(format!("warning: exported file: {p}"));
        }
    }

    let bundle_ms = ms(tb);
    let path = target_path(args.output.as_deref(), settings);
    let path = if path.is_relative() {
        std::env::current_dir()?.join(path)
    } else {
        path
    };
    let path = crate::settings::normalize(&path);
    check_target(&path, settings)?;
    write_file(&path, b.html.as_bytes())?;

    if !log.quiet {
        for w in &site.warnings {
            eprintln!("{w}");
        }
        for w in &warnings {
            eprintln!("{w}");
        }
        if path.starts_with(&settings.output) {
            eprintln!(
                "note: {} is inside the output folder {}, which the next `handbook build` replaces",
                path.display(),
                settings.output.display()
            );
        }
        if log.verbose {
            eprintln!(
                "  build    {build_ms:>8.1} ms\n  bundle   {bundle_ms:>8.1} ms (inline, rewrite links, self-check)"
            );
        }
        eprint!("{}", size_report(&b.html, &b.parts));
        eprintln!(
            "exported {} notes into one file in {:.0} ms -> {}",
            site.stats.notes,
            t.elapsed().as_secs_f64() * 1000.0,
            path.display()
        );
    }
    Ok(Outcome::Ok)
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// Where the file goes: `-o FILE`, `-o DIR` or `-o DIR/` (then `DIR/<title-slug>.html`; a
/// missing `DIR/` is created), or by default
/// `<book root>/<title-slug>.html`: beside book.toml, outside the output folder that `build`
/// replaces whole.
pub(crate) fn target_path(output: Option<&Path>, settings: &Settings) -> PathBuf {
    let name = format!("{}.html", file_slug(&settings.book.title));
    match output {
        // A folder: one that exists, or a path ending in `/` (created by the write).
        Some(p)
            if p.is_dir()
                || p.as_os_str()
                    .to_string_lossy()
                    .ends_with(['/', std::path::MAIN_SEPARATOR]) =>
        {
            p.join(name)
        }
        Some(p) => p.to_path_buf(),
        None => settings.root.join(name),
    }
}

/// The export replaces only what could be an earlier export: never a file of the book's
/// sources, nor an existing file that is not an HTML document.
fn check_target(path: &Path, settings: &Settings) -> Result<()> {
    if let Some(folder) = crate::output::source_folder(&settings.root, path) {
        anyhow::bail!(
            "{} is inside the book's {folder}/ folder; write the export elsewhere, like the book's own folder",
            path.display()
        );
    }
    if std::fs::symlink_metadata(path).is_ok() && !is_html_document(path) {
        anyhow::bail!(
            "{} exists and is not an HTML document; export replaces only an earlier export, so choose another name",
            path.display()
        );
    }
    Ok(())
}

/// Whether the file starts like an HTML page (`<!DOCTYPE html` or `<html`, any case).
fn is_html_document(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 64];
    let Ok(n) = std::fs::File::open(path).and_then(|mut f| f.read(&mut head)) else {
        return false;
    };
    let head = String::from_utf8_lossy(&head[..n])
        .trim_start()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

fn file_slug(title: &str) -> String {
    let s = slugify(title);
    if s.is_empty() { "handbook".into() } else { s }
}

/// Write beside the target and rename, so a reader never sees half a file.
fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let name = path
        .file_name()
        .with_context(|| format!("{} is not a file name", path.display()))?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        anyhow::Error::new(e).context(format!("cannot write {}", path.display()))
    })
}

/// The size report: total, then the largest parts (the page's own HTML counted as one).
pub(crate) fn size_report(html: &str, parts: &[Part]) -> String {
    let inlined: usize = parts.iter().map(|p| p.bytes).sum();
    let mut rows: Vec<(String, usize)> = parts
        .iter()
        .map(|p| {
            let mut name = p.name.clone();
            if p.uses > 1 {
                name.push_str(&format!(" (x{})", p.uses));
            }
            (name, p.bytes)
        })
        .collect();
    rows.push((
        "notes, contents and page markup".into(),
        html.len().saturating_sub(inlined),
    ));
    rows.sort_by_key(|r| std::cmp::Reverse(r.1));
    let mut s = format!(
        "export size {} ({} parts inlined); largest parts:\n",
        human(html.len()),
        parts.len()
    );
    for (name, bytes) in rows.iter().take(6) {
        s.push_str(&format!("  {:>10}  {name}\n", human(*bytes)));
    }
    s
}

/// `1.2 MiB`, `34 KiB`, `900 B`.
pub(crate) fn human(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    } else if bytes >= 1024 {
        format!("{} KiB", bytes.div_ceil(1024))
    } else {
        format!("{bytes} B")
    }
}
