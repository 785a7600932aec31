//! The command line (clap): one subcommand per task, resolved into settings in one place.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "handbook",
    // The commit comes from build.rs (git, HANDBOOK_COMMIT, or "unknown").
    version = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("HANDBOOK_BUILD_COMMIT"), ")"),
    about = "Build technical handbooks: one page with every note, one page per note.",
    after_help = "Examples:\n  handbook init my-book          start a book that builds at once\n  handbook new \"Load Balancers\" --section core-building-blocks --level intermediate\n                                 add a note at the next number, print its path\n  handbook build                 build ./notes into ./public\n  handbook serve --open          live preview on http://127.0.0.1:3000\n  handbook check --format github link check for CI\n  handbook export -o book.html   the whole book as one offline file\n  handbook import mdbook ../old-book -o new-book\n                                 an mdBook as a handbook book, old URLs redirected\n  handbook completions zsh > ~/.zfunc/_handbook\n                                 shell completions (bash, zsh, fish)"
)]
pub struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
    /// Print only errors.
    #[arg(long, short, global = true)]
    pub(crate) quiet: bool,
    /// Print more detail (timings per stage).
    #[arg(long, short, global = true)]
    pub(crate) verbose: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Build the site into the output folder.
    Build(BuildArgs),
    /// Serve the book with live reload while you write.
    Serve(ServeArgs),
    /// Check links and anchors (exit 0 clean, 1 problems, 2 could not run).
    Check(CheckArgs),
    /// Write the whole book as one self-contained HTML file.
    Export(ExportArgs),
    /// Create a new book that builds at once.
    Init(InitArgs),
    /// Write a new note at the next number of a section and print its path.
    New(NewArgs),
    /// Print shell completions (bash, zsh, fish).
    Completions(CompletionsArgs),
    /// Make a book from an mdBook or a folder of Markdown, keeping links and old URLs.
    Import(ImportArgs),
}

/// Options shared by every command that reads a book.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct BookArgs {
    /// The book's folder (holding book.toml and notes/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Include notes marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Debug, Args)]
pub(crate) struct BuildArgs {
    #[command(flatten)]
    pub book: BookArgs,
    /// Output folder (default: build.output-dir from book.toml, or `public`).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Absolute URL the site is published at, e.g. https://user.github.io/handbook/
    #[arg(long)]
    pub site_url: Option<String>,
    /// Allow an output folder outside the book or not written by handbook.
    #[arg(long)]
    pub force: bool,
    /// Fail on broken internal links instead of warning.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    #[command(flatten)]
    pub book: BookArgs,
    #[arg(long, short, default_value_t = 3000)]
    pub port: u16,
    /// Address to listen on; only 127.0.0.1 unless you ask for another.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Also answer requests whose Host header names NAME (repeatable). Loopback names and
    /// addresses and the --host address are always allowed; others get 403.
    #[arg(long = "allowed-host", value_name = "NAME")]
    pub allowed_hosts: Vec<String>,
    /// Open the browser.
    #[arg(long)]
    pub open: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    Human,
    Github,
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub book: BookArgs,
    /// Also check http(s) links on the network.
    #[arg(long)]
    pub external: bool,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    #[command(flatten)]
    pub book: BookArgs,
    /// The file to write, or a folder for it (default: <book-title>.html beside book.toml).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Instead of the HTML file, write every self-test card to FILE as an Anki import (TSV).
    #[arg(long, value_name = "FILE.tsv", conflicts_with = "output")]
    pub cards: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// Folder for the new book (default: the current folder).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Write into a folder that is not empty.
    #[arg(long)]
    pub force: bool,
    /// Leave out .github/workflows/pages.yml (publishing with GitHub Pages).
    #[arg(long)]
    pub no_workflow: bool,
}

#[derive(Debug, Args)]
pub(crate) struct NewArgs {
    #[command(flatten)]
    pub book: BookArgs,
    /// The note's title.
    pub title: String,
    /// Section folder name or title (e.g. `02-core-building-blocks` or "Core Building Blocks").
    #[arg(long)]
    pub section: String,
    #[arg(long, default_value = "beginner")]
    pub level: String,
    #[arg(long, default_value = "0-2")]
    pub yoe: String,
    /// Comma-separated tags.
    #[arg(long, value_delimiter = ',')]
    pub tags: Vec<String>,
}

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    #[command(subcommand)]
    pub source: ImportSource,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ImportSource {
    /// An mdBook: book.toml and SUMMARY.md (parts, nesting, drafts), includes, links, old URLs as redirects.
    Mdbook(ImportPathArgs),
    /// A folder of Markdown (Obsidian, Jekyll, Hugo, Docusaurus): folders become sections, YAML front matter TOML.
    Markdown(ImportPathArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ImportPathArgs {
    /// The folder to import (never written to).
    pub path: PathBuf,
    /// Folder for the new book (default: the current folder); must be empty unless --force.
    #[arg(long, short, default_value = ".")]
    pub output: PathBuf,
    /// Write into a folder that is not empty.
    #[arg(long)]
    pub force: bool,
}
