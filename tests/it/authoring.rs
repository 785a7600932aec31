//! `init`, `new`, `completions`, `--version`/`--help`, and terminal output (colour, quiet, verbose).

use crate::common::{TestBook, stderr, stdout, walk};
use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_handbook");

/// Run the binary in `dir` with a clean colour environment plus `env`.
fn run_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("CLICOLOR_FORCE")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("run handbook")
}

fn ok(o: &Output) {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        stdout(o),
        stderr(o)
    );
}

fn failed_with(o: &Output, code: i32, needle: &str) {
    assert_eq!(o.status.code(), Some(code), "stderr:\n{}", stderr(o));
    assert!(
        stderr(o).contains(needle),
        "wanted {needle:?} in:\n{}",
        stderr(o)
    );
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walk(dir)
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A fresh `init` book in a temp folder: (tempdir, book path).
fn init_book() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let o = run_in(tmp.path(), &["init", "my-notes"], &[]);
    ok(&o);
    let book = tmp.path().join("my-notes");
    (tmp, book)
}

#[test]
fn init_creates_a_book_that_builds_at_once() {
    let (_tmp, book) = init_book();
    assert_eq!(
        files_under(&book),
        vec![
            ".github/workflows/pages.yml",
            ".gitignore",
            "README.md",
            "book.toml",
            "notes/01-getting-started/01-welcome.md",
            "notes/01-getting-started/02-writing-notes.md",
            "notes/01-getting-started/_section.toml",
        ]
    );
    let workflow = std::fs::read_to_string(book.join(".github/workflows/pages.yml")).unwrap();
    let at_version = format!("@v{}", env!("CARGO_PKG_VERSION"));
    for want in [
        "actions/checkout@",
        at_version.as_str(),
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
        "pages: write",
        "id-token: write",
    ] {
        assert!(
            workflow.contains(want),
            "pages.yml lacks {want}:\n{workflow}"
        );
    }
    let readme = std::fs::read_to_string(book.join("README.md")).unwrap();
    assert!(readme.starts_with("# My Notes\n"), "{readme}");
    assert!(readme.contains("Settings → Pages"), "{readme}");
    let toml = std::fs::read_to_string(book.join("book.toml")).unwrap();
    assert!(toml.contains("title = \"My Notes\""), "{toml}");
    let welcome =
        std::fs::read_to_string(book.join("notes/01-getting-started/01-welcome.md")).unwrap();
    assert!(welcome.starts_with("+++\ntitle = \"Welcome\"\nlevel = "));
    assert!(welcome.contains("```python") && welcome.contains("```diagram"));
    assert!(welcome.contains("(02-writing-notes.md#front-matter)"));

    let o = run_in(&book, &["build"], &[]);
    ok(&o);
    let err = stderr(&o);
    assert!(
        err.contains("built 2 notes") && err.contains("0 warnings"),
        "{err}"
    );
    let page = std::fs::read_to_string(book.join("public/welcome.html")).unwrap();
    assert!(page.contains("<svg"), "the diagram fence is drawn");
    assert!(
        page.contains("href=\"writing-notes.html#front-matter\""),
        "the link resolves"
    );
    // The link's anchor exists on the target page.
    let target = std::fs::read_to_string(book.join("public/writing-notes.html")).unwrap();
    assert!(target.contains("id=\"front-matter\""));
}

#[test]
fn init_no_workflow_leaves_the_pages_workflow_out() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run_in(tmp.path(), &["init", "plain", "--no-workflow"], &[]);
    ok(&o);
    let book = tmp.path().join("plain");
    assert!(!book.join(".github").exists());
    let readme = std::fs::read_to_string(book.join("README.md")).unwrap();
    assert!(
        !readme.contains("pages.yml") && readme.contains("handbook init --force"),
        "{readme}"
    );
    assert!(!stderr(&o).contains("publish:"), "{}", stderr(&o));
    // Run again with --force: the workflow is added, what is there is kept.
    let o = run_in(&book, &["init", "--force"], &[]);
    ok(&o);
    assert!(book.join(".github/workflows/pages.yml").is_file());
    assert!(
        stderr(&o).contains("kept existing README.md"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("publish: push to GitHub"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn init_in_current_folder_and_beside_git() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join(".git")).unwrap();
    let o = run_in(tmp.path(), &["init"], &[]);
    ok(&o);
    assert!(tmp.path().join("book.toml").is_file());
    assert!(
        stderr(&o).contains("next: handbook serve"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn init_refuses_a_non_empty_folder_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("taken");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("book.toml"), "[book]\ntitle = \"Mine\"\n").unwrap();
    let o = run_in(tmp.path(), &["init", "taken"], &[]);
    failed_with(&o, 2, "is not empty (it holds book.toml)");
    assert_eq!(files_under(&dir), vec!["book.toml"], "nothing was written");

    // --force adds the starter files but keeps what is there.
    let o = run_in(tmp.path(), &["init", "taken", "--force"], &[]);
    ok(&o);
    assert!(
        stderr(&o).contains("kept existing book.toml"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("book.toml")).unwrap(),
        "[book]\ntitle = \"Mine\"\n"
    );
    assert!(dir.join("notes/01-getting-started/01-welcome.md").is_file());

    // A file in the way is not a folder.
    std::fs::write(tmp.path().join("file"), "x").unwrap();
    failed_with(
        &run_in(tmp.path(), &["init", "file"], &[]),
        2,
        "not a folder",
    );
}

#[test]
fn new_writes_numbered_notes_that_build_in_an_init_book() {
    let (_tmp, book) = init_book();
    let o = run_in(
        &book,
        &[
            "new",
            "Caching Basics",
            "--section",
            "getting-started",
            "--level",
            "intermediate",
            "--yoe",
            "2-4",
            "--tags",
            "caching, performance",
        ],
        &[],
    );
    ok(&o);
    assert_eq!(
        stdout(&o),
        "notes/01-getting-started/03-caching-basics.md\n"
    );
    let text = std::fs::read_to_string(book.join("notes/01-getting-started/03-caching-basics.md"))
        .unwrap();
    assert!(
        text.starts_with(
            "+++\ntitle = \"Caching Basics\"\nlevel = \"intermediate\"\nyoe = \"2-4\"\ntags = [\"caching\", \"performance\"]\n+++\n"
        ),
        "{text}"
    );

    // By the section's title, with defaults and a title that needs escaping.
    let o = run_in(
        &book,
        &["new", "Say \"Hi\"", "--section", "Getting Started"],
        &[],
    );
    ok(&o);
    assert_eq!(stdout(&o), "notes/01-getting-started/04-say-hi.md\n");

    let o = run_in(&book, &["build"], &[]);
    ok(&o);
    assert!(stderr(&o).contains("built 4 notes"), "{}", stderr(&o));
    let page = std::fs::read_to_string(book.join("public/caching-basics.html")).unwrap();
    assert!(page.contains("Caching Basics"));
    assert!(book.join("public/tags/caching.html").is_file());
    let hi = std::fs::read_to_string(book.join("public/say-hi.html")).unwrap();
    assert!(hi.contains("Say &quot;Hi&quot;") || hi.contains("Say \"Hi\""));
}

#[test]
fn new_continues_the_numbering_of_the_section() {
    let b = crate::common::two_section_book();
    // Section 02-more holds 02-second.md: the next is 03, whatever other sections hold.
    let o = b.run(&["new", "Third Note", "--section", "more"]);
    ok(&o);
    assert_eq!(stdout(&o), "notes/02-more/03-third-note.md\n");
    // Three-digit prefixes keep three digits; the number follows the highest one.
    b.note("notes/03-wide/009-nine.md", "Nine", "## A\n");
    b.note("notes/03-wide/010-ten.md", "Ten", "## A\n");
    let o = b.run(&["new", "Eleven", "--section", "3"]);
    ok(&o);
    assert_eq!(stdout(&o), "notes/03-wide/011-eleven.md\n");
    b.build_ok();
}

#[test]
fn new_prints_a_path_usable_from_where_it_ran() {
    let b = crate::common::two_section_book();
    let parent = b.root().parent().unwrap();
    let name = b.root().file_name().unwrap().to_str().unwrap();
    let o = run_in(
        parent,
        &["new", "Remote", "--section", "basics", "--root", name],
        &[],
    );
    ok(&o);
    let printed = stdout(&o);
    assert_eq!(printed, format!("{name}/notes/01-basics/02-remote.md\n"));
    assert!(parent.join(printed.trim()).is_file());
}

#[test]
fn new_refuses_to_overwrite_or_duplicate_a_slug() {
    let (_tmp, book) = init_book();
    let welcome = book.join("notes/01-getting-started/01-welcome.md");
    let before = std::fs::read_to_string(&welcome).unwrap();
    let all_before = files_under(&book);
    // Same slug as an existing note (`welcome`): refused, nothing written or changed.
    let o = run_in(
        &book,
        &["new", "Welcome", "--section", "getting-started"],
        &[],
    );
    failed_with(&o, 2, "a note with the slug `welcome` already exists");
    assert!(stderr(&o).contains("notes/01-getting-started/01-welcome.md"));
    assert_eq!(std::fs::read_to_string(&welcome).unwrap(), before);
    assert_eq!(files_under(&book), all_before);
    // Twice the same new title: the second run refuses.
    ok(&run_in(
        &book,
        &["new", "Queues", "--section", "getting-started"],
        &[],
    ));
    let o = run_in(
        &book,
        &["new", "Queues", "--section", "getting-started"],
        &[],
    );
    failed_with(&o, 2, "already exists");
    assert_eq!(files_under(&book).len(), all_before.len() + 1);
}

#[test]
fn new_validates_its_arguments_like_the_build_does() {
    let (_tmp, book) = init_book();
    let before = files_under(&book);
    let cases: &[(&[&str], &str)] = &[
        (
            &["--level", "expert"],
            "allowed: beginner, intermediate, advanced",
        ),
        (&["--yoe", "4-2"], "--yoe `4-2` is malformed"),
        (&["--yoe", "lots"], "open end like 7+"),
        (&["--tags", "ok,!!"], "tag `!!` has no letters or digits"),
    ];
    for (extra, msg) in cases {
        let mut args = vec!["new", "Fine Title", "--section", "getting-started"];
        args.extend_from_slice(extra);
        failed_with(&run_in(&book, &args, &[]), 2, msg);
    }
    failed_with(
        &run_in(&book, &["new", "Fine", "--section", "geting-started"], &[]),
        2,
        "no section `geting-started` (did you mean `getting-started`?)",
    );
    failed_with(
        &run_in(&book, &["new", "!!!", "--section", "getting-started"], &[]),
        2,
        "no letters or digits",
    );
    failed_with(
        &run_in(
            &book,
            &["new", "Index", "--section", "getting-started"],
            &[],
        ),
        2,
        "reserved",
    );
    assert_eq!(files_under(&book), before, "a refused `new` writes nothing");

    // Outside a book: points at init.
    let empty = tempfile::tempdir().unwrap();
    failed_with(
        &run_in(empty.path(), &["new", "X", "--section", "a"], &[]),
        2,
        "handbook init",
    );
}

#[test]
fn completions_for_each_shell_name_the_subcommands() {
    let tmp = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let o = run_in(tmp.path(), &["completions", shell], &[]);
        ok(&o);
        let s = stdout(&o);
        assert!(s.len() > 500, "{shell}: {s}");
        for sub in [
            "build",
            "serve",
            "check",
            "export",
            "init",
            "new",
            "completions",
        ] {
            assert!(s.contains(sub), "{shell} completions lack {sub}");
        }
        assert!(
            s.contains("section") && s.contains("yoe"),
            "{shell} completions lack flags"
        );
    }
    assert!(stdout(&run_in(tmp.path(), &["completions", "bash"], &[])).contains("complete -F"));
    assert!(
        stdout(&run_in(tmp.path(), &["completions", "zsh"], &[])).starts_with("#compdef handbook")
    );
    assert!(
        stdout(&run_in(tmp.path(), &["completions", "fish"], &[])).contains("complete -c handbook")
    );
    let o = run_in(tmp.path(), &["completions", "cmd.exe"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bash"), "{}", stderr(&o));
}

#[test]
fn version_and_help_with_examples() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run_in(tmp.path(), &["--version"], &[]);
    ok(&o);
    // The version and the commit the binary was built from (build.rs: this checkout's HEAD).
    let head = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    let commit = std::env::var("HANDBOOK_COMMIT")
        .ok()
        .map(|c| c.trim().chars().take(12).collect::<String>())
        .filter(|c| !c.is_empty())
        .or(head)
        .unwrap_or_else(|| "unknown".into());
    assert_eq!(
        stdout(&o),
        format!("handbook {} (commit {commit})\n", env!("CARGO_PKG_VERSION"))
    );
    let o = run_in(tmp.path(), &["--help"], &[]);
    ok(&o);
    let h = stdout(&o);
    assert!(
        h.contains("Examples:") && h.contains("handbook init my-book"),
        "{h}"
    );
    assert!(h.contains("handbook new"), "{h}");
    let o = run_in(tmp.path(), &["new", "--help"], &[]);
    assert!(stdout(&o).contains("--section"));
}

/// A book whose build has a warning (a broken link) and a book whose build fails.
fn warning_book() -> TestBook {
    let b = TestBook::new();
    b.note(
        "notes/01-a/01-one.md",
        "One",
        "## Start\n\nSee [missing](02-nowhere.md).\n",
    );
    b
}

fn broken_book() -> TestBook {
    let b = TestBook::new();
    b.write(
        "notes/01-a/01-one.md",
        "+++\ntitle = \"One\"\nlevel = \"expert\"\nyoe = \"0-2\"\ntags = []\n+++\n",
    );
    b
}

fn has_ansi(s: &str) -> bool {
    s.contains('\x1b')
}

#[test]
fn piped_output_has_no_colour_and_puts_the_location_first() {
    let b = warning_book();
    for env in [&[][..], &[("CI", "true")][..]] {
        let o = run_in(b.root(), &["build"], env);
        ok(&o);
        let err = stderr(&o);
        assert!(!has_ansi(&err) && !err.contains('\r'), "{env:?}: {err:?}");
        let warn = err
            .lines()
            .find(|l| l.contains("warning"))
            .expect("a warning");
        assert!(warn.starts_with("notes/01-a/01-one.md:10:5"), "{warn}");
        assert!(warn.contains(": warning: "), "{warn}");
    }
    let bad = broken_book();
    let o = run_in(bad.root(), &["build"], &[("CI", "1")]);
    failed_with(
        &o,
        2,
        "notes/01-a/01-one.md:3:1: error: unknown level `expert`",
    );
    assert!(!has_ansi(&stderr(&o)));
    assert!(stderr(&o).contains("build failed: 1 error"));
    let o = run_in(
        bad.root(),
        &["new", "X", "--section", "a", "--level", "nope"],
        &[],
    );
    assert!(stderr(&o).starts_with("error: --level"), "{}", stderr(&o));
}

#[test]
fn clicolor_force_colours_a_pipe_unless_no_color() {
    let b = warning_book();
    let o = run_in(b.root(), &["build"], &[("CLICOLOR_FORCE", "1")]);
    ok(&o);
    let err = stderr(&o);
    assert!(
        err.contains("\x1b[1mnotes/01-a/01-one.md:10:5")
            && err.contains("\x1b[1;33mwarning\x1b[0m"),
        "{err:?}"
    );
    let o = run_in(
        b.root(),
        &["build"],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
    );
    assert!(!has_ansi(&stderr(&o)), "{:?}", stderr(&o));
    let bad = broken_book();
    let o = run_in(bad.root(), &["build"], &[("CLICOLOR_FORCE", "1")]);
    assert!(
        stderr(&o).contains("\x1b[1;31merror\x1b[0m"),
        "{:?}",
        stderr(&o)
    );
}

/// Run inside a pseudo-terminal with `script` (util-linux), returning what the terminal showed.
/// `None` (a skip) where `script` is missing, except under CI.
fn run_on_terminal(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Option<String> {
    if !Path::new("/usr/bin/script").exists() {
        if std::env::var_os("CI").is_some() {
            panic!("terminal tests need /usr/bin/script (util-linux)");
        }
        eprintln!("skipping: /usr/bin/script is missing");
        return None;
    }
    let cmd = format!("'{BIN}' {}", args.join(" "));
    let o = Command::new("/usr/bin/script")
        .args(["-qec", &cmd, "/dev/null"])
        .current_dir(dir)
        .env_remove("CI")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env("TERM", "xterm-256color")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("run script");
    Some(String::from_utf8_lossy(&o.stdout).into_owned())
}

#[test]
fn a_terminal_gets_colour_but_not_under_ci_or_no_color() {
    let b = warning_book();
    let Some(tty) = run_on_terminal(b.root(), &["build"], &[]) else {
        return;
    };
    assert!(tty.contains("\x1b[1;33mwarning\x1b[0m"), "{tty:?}");
    assert!(tty.contains("\x1b[1mnotes/01-a/01-one.md:10:5"), "{tty:?}");
    for env in [("CI", "true"), ("NO_COLOR", "1"), ("TERM", "dumb")] {
        let out = run_on_terminal(b.root(), &["build"], &[env]).unwrap();
        assert!(out.contains("warning"), "{out:?}");
        assert!(!has_ansi(&out), "{env:?}: {out:?}");
    }
}

#[test]
fn progress_bar_never_reaches_a_pipe() {
    // Enough notes that rendering takes a moment; on a terminal a bar may draw, in a pipe never.
    let b = TestBook::new();
    for i in 1..=60 {
        b.note(
            &format!("notes/01-a/{i:02}-n{i}.md"),
            &format!("Note {i}"),
            "## Code\n\n```rust\nfn main() { println!(\"hi\"); }\n```\n\n```sql\nSELECT 1;\n```\n",
        );
    }
    let o = run_in(b.root(), &["build"], &[]);
    ok(&o);
    let err = stderr(&o);
    assert!(
        !err.contains('\r') && !err.contains("rendering notes"),
        "{err:?}"
    );
    assert_eq!(err.lines().count(), 1, "one summary line: {err:?}");
    if let Some(tty) = run_on_terminal(b.root(), &["build", "--quiet"], &[]) {
        assert!(
            !tty.contains("rendering notes"),
            "--quiet hides the bar: {tty:?}"
        );
    }
    if let Some(tty) = run_on_terminal(b.root(), &["build"], &[("CI", "1")]) {
        assert!(
            !tty.contains("rendering notes"),
            "CI hides the bar: {tty:?}"
        );
    }
}

#[test]
fn quiet_and_verbose_across_commands() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run_in(tmp.path(), &["--quiet", "init", "q"], &[]);
    ok(&o);
    assert_eq!(stderr(&o), "");
    let book = tmp.path().join("q");
    let o = run_in(&book, &["build", "-q"], &[]);
    ok(&o);
    assert_eq!(stderr(&o), "");
    let o = run_in(&book, &["build", "-v"], &[]);
    ok(&o);
    assert!(
        stderr(&o).contains("render") && stderr(&o).contains(" ms"),
        "{}",
        stderr(&o)
    );
    let o = run_in(&book, &["-v", "new", "Verbose", "--section", "1"], &[]);
    ok(&o);
    assert!(
        stderr(&o).contains("number 3, slug verbose"),
        "{}",
        stderr(&o)
    );
    // The path is the command's answer: printed even with --quiet.
    let o = run_in(&book, &["-q", "new", "Quiet", "--section", "1"], &[]);
    ok(&o);
    assert_eq!(stdout(&o), "notes/01-getting-started/04-quiet.md\n");
    assert_eq!(stderr(&o), "");
    let o = run_in(tmp.path(), &["-v", "init", "v"], &[]);
    assert!(stderr(&o).contains("notes/01-getting-started/01-welcome.md"));
    // Warnings are hidden by --quiet, errors are not.
    let w = warning_book();
    assert_eq!(stderr(&run_in(w.root(), &["build", "-q"], &[])), "");
    let bad = broken_book();
    let o = run_in(bad.root(), &["build", "-q"], &[]);
    failed_with(&o, 2, "unknown level");
}
