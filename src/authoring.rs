//! `init`, `new` and `completions`: start a book, add a note at the right number, complete the shell.

use crate::book::{self, LEVELS, valid_yoe};
use crate::cli::{Cli, CompletionsArgs, InitArgs, NewArgs};
use crate::diagnostics::{ContentErrors, nearest};
use crate::settings::Settings;
use crate::term::{self, Stream, Style};
use crate::util::slug::{slug_of_file, slugify, strip_number};
use crate::{Log, Outcome};
use anyhow::{Context, Result, bail};
use clap::CommandFactory;
use std::io::Write;
use std::path::{Path, PathBuf};

mod publish;

/// `handbook init [DIR]`: write a starter book that builds as it is.
pub(crate) fn init(args: &InitArgs, log: &Log) -> Result<Outcome> {
    let dir = &args.dir;
    if dir.exists() && !dir.is_dir() {
        bail!("{} exists and is not a folder", dir.display());
    }
    let existing = visible_entries(dir)?;
    if !existing.is_empty() && !args.force {
        let mut shown: Vec<&str> = existing.iter().take(3).map(String::as_str).collect();
        if existing.len() > 3 {
            shown.push("...");
        }
        bail!(
            "{} is not empty (it holds {}); choose a new or empty folder, or pass --force to add \
             the starter files next to what is there (existing files are never overwritten)",
            dir.display(),
            shown.join(", ")
        );
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let title = book_title(dir);
    let mut created = Vec::new();
    let mut kept = Vec::new();
    for (rel, content) in starter_files(&title, !args.no_workflow) {
        let path = dir.join(rel);
        if path.exists() {
            kept.push(rel);
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        write_new(&path, &content)?;
        created.push(rel);
    }
    if !log.quiet {
        let on = term::colour(Stream::Stderr);
        let shown = shown_path(dir, Path::new(""));
        eprintln!(
            "{} book \"{title}\" in {shown}: {} files",
            term::paint("created", Style::Green, on),
            created.len()
        );
        if log.verbose {
            for rel in &created {
                eprintln!("  {rel}");
            }
        }
        for rel in &kept {
            eprintln!("  kept existing {rel}");
        }
        let cd = if shown == "." {
            String::new()
        } else {
            format!("cd {shown} && ")
        };
        eprintln!("next: {cd}handbook serve   (or `handbook build` to write public/)");
        if created.contains(&publish::WORKFLOW_PATH) {
            eprintln!(
                "publish: push to GitHub and turn on Pages (Settings -> Pages -> Source: GitHub \
                 Actions); {shown}/README.md says how"
            );
            if publish::REPOSITORY == publish::PLACEHOLDER {
                eprintln!(
                    "note: this handbook was built without knowing its repository: replace {} in \
                     {}",
                    publish::PLACEHOLDER,
                    publish::WORKFLOW_PATH
                );
            }
        }
    }
    Ok(Outcome::Ok)
}

/// Names in `dir` other than `.git`, sorted (empty when `dir` does not exist).
fn visible_entries(dir: &Path) -> Result<Vec<String>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut names = Vec::new();
    for e in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let name = e?.file_name().to_string_lossy().into_owned();
        if name != ".git" {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// A title from the folder name: `my-system-notes` -> `My System Notes`.
fn book_title(dir: &Path) -> String {
    let name = dir
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let words: Vec<String> = name
        .split(['-', '_', ' ', '.'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        })
        .collect();
    if words.is_empty() {
        "My Handbook".into()
    } else {
        words.join(" ")
    }
}

/// A TOML basic string holding `s`, quotes and escapes included.
fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The files of a new book, relative to its folder.
fn starter_files(title: &str, with_workflow: bool) -> Vec<(&'static str, String)> {
    let mut files = vec![
        (
            "book.toml",
            format!(
                "[book]\ntitle = {}\ndescription = \"Notes on what I am learning.\"\nlanguage = \"en\"\n# An \"Edit this note\" link on every note; {{path}} is the note's file:\n# edit-url = \"https://github.com/you/book/edit/main/{{path}}\"\n\n[build]\noutput-dir = \"public\"\n\n[notes]\n# Front-matter keys every note must have (the theme's filters and badges use them):\nrequire = [\"level\", \"yoe\", \"tags\"]\n",
                toml_str(title)
            ),
        ),
        (".gitignore", "/public/\n".to_string()),
        (
            "notes/01-getting-started/_section.toml",
            "title = \"Getting Started\"\ndescription = \"How this book is written and built.\"\n"
                .to_string(),
        ),
        (
            "notes/01-getting-started/01-welcome.md",
            starter_note(
                "Welcome",
                "handbook",
                "What a note looks like: front matter, headings, code, a diagram and links.",
                WELCOME,
            ),
        ),
        (
            "notes/01-getting-started/02-writing-notes.md",
            starter_note(
                "Writing Notes",
                "writing",
                "The front matter keys, and the commands that add, preview and check notes.",
                WRITING,
            ),
        ),
        ("README.md", publish::readme(title, with_workflow)),
    ];
    if with_workflow {
        files.push((publish::WORKFLOW_PATH, publish::workflow()));
    }
    files
}

/// A starter note: its front matter (beginner, 0-2 years, tagged `getting-started` and `tag`),
/// then `body`.
fn starter_note(title: &str, tag: &str, description: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nlevel = \"beginner\"\nyoe = \"0-2\"\ntags = [\"getting-started\", \"{tag}\"]\ndescription = \"{description}\"\n+++\n\n{body}"
    )
}

/// The body of the first starter note, "Welcome".
const WELCOME: &str = r##"## What you are looking at

This is a note. Every note is one Markdown file in a numbered section folder under `notes/`.
The block between the `+++` lines at the top is its front matter: the title, the level
(beginner, intermediate or advanced), the years of experience it is written for (`yoe`) and
its tags. The title comes from the front matter, so the body starts at `##` headings.

## Code

Fenced code blocks name their language and are highlighted when the book is built:

```python
def greet(name: str) -> str:
    return f"Hello, {name}!"
```

## Diagrams

A fence whose language is `diagram` is drawn as a picture (SVG) when the book is built, and
still reads as a picture in plain text:

```diagram
title: How a note reaches its readers
Markdown notes {note}
↓ handbook build
Static site ~ public/
↓
Readers {user} | Search engines {cloud}
```

## Links

Link to another note by its file, as you would on GitHub, optionally with a heading:
[how to write a note](02-writing-notes.md#front-matter). The link works when the repository is
browsed on GitHub, and points to the right page in the built site.
"##;

/// The body of the second starter note, "Writing Notes".
const WRITING: &str = r##"## Front matter

| Key | Required | Meaning |
|---|---|---|
| `title` | yes | The note's title. |
| `level` | yes | `beginner`, `intermediate` or `advanced`. |
| `yoe` | yes | Years of experience it targets: `"0-2"`, `"2-4"`, `"4-7"`, `"7+"`. |
| `tags` | yes | A list of tags; each gets a page listing its notes. |
| `description` | no | One sentence for link previews and search results. |
| `draft` | no | `true` keeps the note out of the site unless you build with `--drafts`. |

## Adding a note

`handbook new` writes a note with this front matter at the next number of a section and
prints its path:

```bash
handbook new "Caching Basics" --section getting-started --level intermediate --yoe 2-4 --tags caching,performance
```

## Previewing and publishing

- `handbook serve` shows the book on http://127.0.0.1:3000 and reloads as you save.
- `handbook check` reports broken links and anchors.
- `handbook build` writes the site into `public/`.

Back to [the first note](01-welcome.md).
"##;

/// `handbook new "Title" --section NAME`: write a note at the next number of a section.
pub(crate) fn new_note(settings: &Settings, args: &NewArgs, log: &Log) -> Result<Outcome> {
    let title = args.title.trim();
    if title.is_empty() {
        bail!(
            "the title is empty; write it in quotes: handbook new \"Load Balancers\" --section ..."
        );
    }
    if !LEVELS.contains(&args.level.as_str()) {
        bail!(
            "--level `{}` is not a level; allowed: {}",
            args.level,
            LEVELS.join(", ")
        );
    }
    if !valid_yoe(&args.yoe) {
        bail!(
            "--yoe `{}` is malformed; write a range of years like 0-2, 2-4, 4-7 or an open end like 7+",
            args.yoe
        );
    }
    let tags = clean_tags(&args.tags)?;
    let slug = slugify(title);
    if slug.is_empty() {
        bail!("the title `{title}` has no letters or digits to name the file with");
    }

    let notes_dir = settings.root.join("notes");
    if !notes_dir.is_dir() {
        bail!(
            "{} has no notes/ folder; `handbook init` makes a book with one",
            settings.root.display()
        );
    }
    let sections = list_sections(&notes_dir)?;
    let section = match_section(&sections, &args.section)?;
    if let Some(other) = find_slug(&notes_dir, &slug)? {
        bail!(
            "a note with the slug `{slug}` already exists: {}; slugs must be unique, so choose another title \
             (nothing was written)",
            crate::diagnostics::display_path(&settings.root, &other)
        );
    }
    let (number, width) = next_number(&section.path)?;
    let file_name = format!("{number:0width$}-{slug}.md");
    let rel = format!("notes/{}/{file_name}", section.name);
    let text = note_text(title, &args.level, &args.yoe, &tags);
    // The same checks a build makes: what we write must load.
    book::parse_note(&rel, &text, slug_of_file(&file_name), 0).map_err(ContentErrors)?;
    let path = section.path.join(&file_name);
    write_new(&path, &text)?;
    let shown = shown_path(&args.book.root, Path::new(&rel));
    if log.verbose {
        eprintln!(
            "section {} (\"{}\"), number {number}, slug {slug}",
            section.name, section.title
        );
    }
    println!("{shown}");
    Ok(Outcome::Ok)
}

/// Tags trimmed, empties dropped, duplicates removed; a tag with no letters or digits is an error.
fn clean_tags(raw: &[String]) -> Result<Vec<String>> {
    let mut tags: Vec<String> = Vec::new();
    for t in raw {
        let t = t.trim();
        if t.is_empty() {
            continue;
        }
        if slugify(t).is_empty() {
            bail!("--tags: tag `{t}` has no letters or digits");
        }
        if !tags.iter().any(|x| x == t) {
            tags.push(t.to_string());
        }
    }
    Ok(tags)
}

fn note_text(title: &str, level: &str, yoe: &str, tags: &[String]) -> String {
    let tags: Vec<String> = tags.iter().map(|t| toml_str(t)).collect();
    format!(
        "+++\ntitle = {}\nlevel = {}\nyoe = {}\ntags = [{}]\n+++\n\n## Overview\n\nWhat this note covers, in a few sentences.\n",
        toml_str(title),
        toml_str(level),
        toml_str(yoe),
        tags.join(", ")
    )
}

/// A section folder under `notes/`.
#[derive(Debug)]
struct SectionDir {
    name: String,
    path: PathBuf,
    /// From `_section.toml`, else from the folder name.
    title: String,
}

fn list_sections(notes_dir: &Path) -> Result<Vec<SectionDir>> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(notes_dir)
        .with_context(|| format!("cannot read {}", notes_dir.display()))?
    {
        let e = e?;
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('_') || name.starts_with('.') || !e.path().is_dir() {
            continue;
        }
        let title = std::fs::read_to_string(e.path().join("_section.toml"))
            .ok()
            .and_then(|t| toml::from_str::<toml::Table>(&t).ok())
            .and_then(|t| t.get("title").and_then(|v| v.as_str()).map(String::from))
            .unwrap_or_else(|| strip_number(&name).replace(['-', '_'], " "));
        out.push(SectionDir {
            name,
            path: e.path(),
            title,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The section named by `want`: its folder name, the name without its number, its number,
/// or its title (compared as slugs, so case and punctuation do not matter).
fn match_section<'a>(sections: &'a [SectionDir], want: &str) -> Result<&'a SectionDir> {
    let want = want.trim();
    let want_slug = slugify(want);
    let number = |name: &str| -> Option<u64> {
        let d: String = name.chars().take_while(|c| c.is_ascii_digit()).collect();
        d.parse().ok()
    };
    let found: Vec<&SectionDir> = sections
        .iter()
        .filter(|s| {
            s.name == want
                || (!want_slug.is_empty()
                    && (slugify(strip_number(&s.name)) == want_slug
                        || slugify(&s.name) == want_slug
                        || slugify(&s.title) == want_slug))
                || (!want.is_empty()
                    && want.chars().all(|c| c.is_ascii_digit())
                    && number(&s.name) == want.parse().ok())
        })
        .collect();
    let list = || {
        sections
            .iter()
            .map(|s| format!("  {} (\"{}\")", s.name, s.title))
            .collect::<Vec<_>>()
            .join("\n")
    };
    match found.as_slice() {
        [one] => Ok(one),
        [] if sections.is_empty() => {
            bail!("notes/ has no section folders yet; make one like notes/01-basics/ and run again")
        }
        [] => {
            let names: Vec<String> = sections
                .iter()
                .flat_map(|s| [strip_number(&s.name).to_string(), s.title.clone()])
                .collect();
            let hint = nearest(want, names.iter().map(String::as_str))
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            bail!(
                "no section `{want}`{hint}; give a folder name or title from:\n{}",
                list()
            )
        }
        many => bail!(
            "`{want}` matches {} sections; give the folder name:\n{}",
            many.len(),
            many.iter()
                .map(|s| format!("  {}", s.name))
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

/// A note anywhere under `notes/` whose slug is `slug`.
fn find_slug(notes_dir: &Path, slug: &str) -> Result<Option<PathBuf>> {
    for e in walkdir::WalkDir::new(notes_dir).max_depth(2) {
        let e = e?;
        let name = e.file_name().to_string_lossy();
        if e.file_type().is_file()
            && name.ends_with(".md")
            && !name.starts_with(['_', '.'])
            && slug_of_file(&name) == slug
        {
            return Ok(Some(e.into_path()));
        }
    }
    Ok(None)
}

/// One past the highest number prefix of the section's notes, and the digit width to write it
/// with (that of the existing prefixes, at least 2).
fn next_number(section: &Path) -> Result<(u64, usize)> {
    let mut max = 0;
    let mut width = 2;
    for e in
        std::fs::read_dir(section).with_context(|| format!("cannot read {}", section.display()))?
    {
        let name = e?.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".md") || name.starts_with(['_', '.']) {
            continue;
        }
        let digits: String = name.chars().take_while(|c| c.is_ascii_digit()).collect();
        if let Ok(n) = digits.parse::<u64>() {
            max = max.max(n);
            width = width.max(digits.len());
        }
    }
    Ok((max + 1, width))
}

/// Create `path` with `text`, refusing to replace a file that is there.
fn write_new(path: &Path, text: &str) -> Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                anyhow::anyhow!(
                    "{} already exists; refusing to overwrite it",
                    path.display()
                )
            } else {
                anyhow::anyhow!("cannot create {}: {e}", path.display())
            }
        })?;
    f.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// `base/rel` as the user would type it from where they ran the command.
fn shown_path(base: &Path, rel: &Path) -> String {
    let p = if base == Path::new(".") || base.as_os_str().is_empty() {
        rel.to_path_buf()
    } else {
        base.join(rel)
    };
    let s = p.to_string_lossy().trim_end_matches('/').to_string();
    if s.is_empty() { ".".into() } else { s }
}

/// `handbook completions SHELL`: the completion script on stdout.
pub(crate) fn completions(args: &CompletionsArgs) -> Result<Outcome> {
    let mut cmd = Cli::command();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(args.shell, &mut cmd, "handbook", &mut out);
    out.flush().context("cannot write the completions")?;
    Ok(Outcome::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sec(name: &str, title: &str) -> SectionDir {
        SectionDir {
            name: name.into(),
            path: PathBuf::from(name),
            title: title.into(),
        }
    }

    #[test]
    fn sections_match_by_folder_name_number_or_title() {
        let s = vec![
            sec("01-foundations-and-approach", "Foundations & Approach"),
            sec("02-core-building-blocks", "Core Building Blocks"),
        ];
        for want in [
            "02-core-building-blocks",
            "core-building-blocks",
            "Core Building Blocks",
            "core building blocks",
            "2",
            "02",
        ] {
            assert_eq!(
                match_section(&s, want).unwrap().name,
                "02-core-building-blocks",
                "{want}"
            );
        }
        assert_eq!(
            match_section(&s, "foundations & approach").unwrap().name,
            "01-foundations-and-approach"
        );
        let e = match_section(&s, "core-bulding-blocks")
            .unwrap_err()
            .to_string();
        assert!(e.contains("did you mean `core-building-blocks`?"), "{e}");
        assert!(
            e.contains("02-core-building-blocks (\"Core Building Blocks\")"),
            "{e}"
        );
    }

    #[test]
    fn ambiguous_section_is_an_error() {
        let s = vec![sec("01-a", "Same"), sec("02-b", "Same")];
        let e = match_section(&s, "same").unwrap_err().to_string();
        assert!(e.contains("matches 2 sections"), "{e}");
    }

    #[test]
    fn note_text_is_valid_front_matter_even_with_quotes() {
        let t = note_text("Say \"hi\" \\ now", "advanced", "7+", &["a b".into()]);
        let n = book::parse_note("notes/x/01-say.md", &t, "say".into(), 0).unwrap();
        assert_eq!(n.meta.title, "Say \"hi\" \\ now");
        assert_eq!(n.meta.tags, vec!["a b"]);
        assert_eq!(n.meta.yoe, "7+");
    }

    #[test]
    fn tags_are_trimmed_and_deduplicated() {
        let t = clean_tags(&["a".into(), " b ".into(), "".into(), "a".into()]).unwrap();
        assert_eq!(t, vec!["a", "b"]);
        assert!(clean_tags(&["!!".into()]).is_err());
    }

    #[test]
    fn titles_from_folder_names() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("my-system_notes");
        std::fs::create_dir(&p).unwrap();
        assert_eq!(book_title(&p), "My System Notes");
    }
}
