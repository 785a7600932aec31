//! Records the commit the binary is built from, for `handbook --version`, and the repository
//! handbook is released from, for the workflow `handbook init` writes.
//!
//! Order: `HANDBOOK_COMMIT` when set (release builds or builds from a source archive say it
//! themselves), else `git rev-parse HEAD` in the crate's folder, else the commit cargo wrote into
//! `.cargo_vcs_info.json` when the crate was packaged, else "unknown". The script reruns only
//! when the checked-out commit can have changed: `.git/HEAD`, the branch it points to, and
//! `packed-refs` (and `config`, for the repository), so editing sources does not rerun it.
//!
//! The repository: `HANDBOOK_REPOSITORY` (owner/name; the release workflow sets it), else the
//! GitHub `origin` remote of the checkout, else the placeholder `OWNER/handbook`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=HANDBOOK_COMMIT");
    let commit = std::env::var("HANDBOOK_COMMIT")
        .ok()
        .map(|c| short(c.trim()))
        .filter(|c| !c.is_empty())
        .or_else(git_commit)
        .or_else(packaged_commit)
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=HANDBOOK_BUILD_COMMIT={commit}");
    println!("cargo:rerun-if-env-changed=HANDBOOK_REPOSITORY");
    let repository = std::env::var("HANDBOOK_REPOSITORY")
        .ok()
        .filter(|r| is_owner_name(r))
        .or_else(origin_repository)
        .unwrap_or_else(|| "OWNER/handbook".into());
    println!("cargo:rustc-env=HANDBOOK_BUILD_REPOSITORY={repository}");
}

/// `owner/name` with no spaces, quotes or further slashes (it goes into a YAML `uses:`).
fn is_owner_name(r: &str) -> bool {
    let mut parts = r.split('/');
    let ok = |p: Option<&str>| {
        p.is_some_and(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        })
    };
    ok(parts.next()) && ok(parts.next()) && parts.next().is_none()
}

/// `owner/name` of a GitHub `origin` remote (https or ssh form), for `handbook init`'s workflow.
fn origin_repository() -> Option<String> {
    let url = git(&["config", "--get", "remote.origin.url"])?;
    let rest = url
        .split_once("github.com")?
        .1
        .trim_start_matches([':', '/']);
    let r = rest.trim_end_matches('/').trim_end_matches(".git");
    is_owner_name(r).then(|| r.to_string())
}

/// A full commit id cut to the 12 digits git shows; anything else as given.
fn short(c: &str) -> String {
    if c.len() > 12 && c.chars().all(|ch| ch.is_ascii_hexdigit()) {
        c[..12].to_string()
    } else {
        c.to_string()
    }
}

/// Output of `git <args>` run in the crate's folder, trimmed; None when git fails or is absent.
fn git(args: &[&str]) -> Option<String> {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")?;
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !s.is_empty()).then_some(s)
}

/// The checked-out commit (12 hex digits), and the rerun triggers for it.
fn git_commit() -> Option<String> {
    // Only this repository's own history: not that of a folder the sources were unpacked in.
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?);
    let here = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    if top.canonicalize().ok()? != here.canonicalize().ok()? {
        return None;
    }
    let commit = git(&["rev-parse", "--short=12", "HEAD"])?;
    // HEAD lives in the worktree's git folder; branches and packed-refs in the shared one.
    let git_dir = PathBuf::from(git(&["rev-parse", "--absolute-git-dir"])?);
    let common = git(&["rev-parse", "--git-common-dir"])
        .map(|c| absolute(&git_dir, &c))
        .unwrap_or_else(|| git_dir.clone());
    // `config` holds the origin remote that names the repository.
    let mut watch = vec![
        git_dir.join("HEAD"),
        common.join("packed-refs"),
        common.join("config"),
    ];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watch.push(common.join(&branch));
        watch.push(git_dir.join(&branch));
    }
    // Cargo reruns on every build when a watched path is missing: watch only what exists.
    for p in watch.iter().filter(|p| p.exists()) {
        println!("cargo:rerun-if-changed={}", p.display());
    }
    Some(commit)
}

/// `--git-common-dir` may be relative to the crate's folder; make it absolute.
fn absolute(git_dir: &Path, common: &str) -> PathBuf {
    let p = PathBuf::from(common);
    if p.is_absolute() {
        return p;
    }
    match std::env::var_os("CARGO_MANIFEST_DIR") {
        Some(d) => PathBuf::from(d).join(p),
        None => git_dir.to_path_buf(),
    }
}

/// The commit `cargo package` recorded (`"sha1": "..."` in `.cargo_vcs_info.json`).
fn packaged_commit() -> Option<String> {
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    let info = std::fs::read_to_string(dir.join(".cargo_vcs_info.json")).ok()?;
    let rest = &info[info.find("\"sha1\"")? + 6..];
    let start = rest.find('"')? + 1;
    let sha: String = rest[start..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    (sha.len() >= 12).then(|| sha[..12].to_string())
}
