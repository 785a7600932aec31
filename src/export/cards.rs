//! `handbook export --cards FILE.tsv`: every self-test card as a row Anki imports.
//!
//! Anki's text import reads the header lines (`#separator:tab`, `#html:true`, `#guid column:1`,
//! `#tags column:4`), then one row per card: the card's id (so a second import updates the
//! cards instead of adding copies), the question and the answer as HTML, and the tags (the
//! note's tags, `level::…` and `section::…`). With the site's URL known, the answer ends with a
//! link to the note. A field holding a tab, a line break or a `"` is quoted, `"` doubled.

use crate::render::markdown::{View, materialize};
use crate::settings::Settings;
use crate::site::Site;
use crate::util::slug::slugify;
use crate::util::text::escape;
use crate::{Log, Outcome};
use anyhow::Result;
use std::fmt::Write;
use std::path::Path;

/// The first line of every file this writes: an existing file without it is not replaced.
const FIRST_LINE: &str = "#separator:tab";

/// Build the book and write its cards to `path`.
pub(crate) fn run(settings: &Settings, path: &Path, log: &Log) -> Result<Outcome> {
    let site = crate::site::build(settings)?;
    let tsv = tsv(&site, settings.site_url.as_deref());
    let path = if path.is_relative() {
        std::env::current_dir()?.join(path)
    } else {
        path.to_path_buf()
    };
    let path = crate::settings::normalize(&path);
    check_target(&path, settings)?;
    super::write_file(&path, tsv.as_bytes())?;
    if !log.quiet {
        for w in &site.warnings {
            eprintln!("{w}");
        }
        let cards: usize = site.rendered.iter().map(|r| r.cards.len()).sum();
        let notes = site.rendered.iter().filter(|r| !r.cards.is_empty()).count();
        if cards == 0 {
            eprintln!(
                "warning: the book has no cards: write them in notes as `> [!question] …` quotes (docs/study.md)"
            );
        }
        eprintln!(
            "exported {cards} cards from {notes} notes for Anki -> {}",
            path.display()
        );
    }
    Ok(Outcome::Ok)
}

/// The whole file: header lines, then a row per card in book order.
pub(crate) fn tsv(site: &Site, site_url: Option<&str>) -> String {
    let mut out = format!(
        "{FIRST_LINE}\n#html:true\n#guid column:1\n#tags column:4\n#columns:ID\tFront\tBack\tTags\n"
    );
    for n in &site.book.notes {
        let r = &site.rendered[n.index];
        if r.cards.is_empty() {
            continue;
        }
        let section = &site.book.sections[n.section];
        let mut tags: Vec<String> = n.meta.tags.iter().map(|t| slugify(t)).collect();
        if !n.meta.level.is_empty() {
            tags.push(format!("level::{}", slugify(&n.meta.level)));
        }
        tags.push(format!("section::{}", section.slug));
        let tags = tags.join(" ");
        for c in &r.cards {
            let front = materialize(&c.question, &n.slug, View::NotePage);
            let mut back = materialize(&c.answer, &n.slug, View::NotePage);
            if let Some(base) = site_url {
                front_and_back_links(&mut back, base);
                let _ = write!(
                    back,
                    "\n<p class=\"source\"><a href=\"{}{}.html\">Note {}: {}</a></p>",
                    escape(base),
                    escape(&n.slug),
                    n.number(),
                    escape(&n.meta.title)
                );
            }
            let row = [c.id.as_str(), front.trim(), back.trim(), tags.as_str()];
            let fields: Vec<String> = row.iter().map(|f| field(f)).collect();
            out.push_str(&fields.join("\t"));
            out.push('\n');
        }
    }
    out
}

/// Relative links of a card's answer made absolute against the site's URL, so they work in Anki.
fn front_and_back_links(html: &mut String, base: &str) {
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(p) = rest.find("href=\"") {
        let (head, tail) = rest.split_at(p + 6);
        out.push_str(head);
        let relative = !(tail.starts_with('#')
            || tail.starts_with('/')
            || tail.split('"').next().is_some_and(|v| v.contains(':')));
        if relative {
            out.push_str(&escape(base));
        }
        rest = tail;
    }
    out.push_str(rest);
    *html = out;
}

/// One field: quoted when it holds a tab, line break or quote, with quotes doubled.
fn field(s: &str) -> String {
    if s.contains(['\t', '\n', '\r', '"']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Replace only an earlier card export, never a file of the book's sources.
fn check_target(path: &Path, settings: &Settings) -> Result<()> {
    if let Some(folder) = crate::output::source_folder(&settings.root, path) {
        anyhow::bail!(
            "{} is inside the book's {folder}/ folder; write the cards elsewhere, like the book's own folder",
            path.display()
        );
    }
    if std::fs::symlink_metadata(path).is_ok() {
        let head = std::fs::read(path).unwrap_or_default();
        if !head.starts_with(FIRST_LINE.as_bytes()) {
            anyhow::bail!(
                "{} exists and is not a card export (it does not start with `{FIRST_LINE}`); choose another name",
                path.display()
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_tabs_breaks_or_quotes_are_quoted() {
        assert_eq!(field("plain <b>html</b>"), "plain <b>html</b>");
        assert_eq!(field("a\tb"), "\"a\tb\"");
        assert_eq!(field("say \"hi\"\nthen"), "\"say \"\"hi\"\"\nthen\"");
    }

    #[test]
    fn relative_links_are_made_absolute() {
        let mut h =
            "<a href=\"y.html#a\">y</a> <a href=\"https://x.org/\">x</a> <a href=\"#fn:1\">1</a>"
                .to_string();
        front_and_back_links(&mut h, "https://b.example/book/");
        assert_eq!(
            h,
            "<a href=\"https://b.example/book/y.html#a\">y</a> <a href=\"https://x.org/\">x</a> <a href=\"#fn:1\">1</a>"
        );
    }
}
