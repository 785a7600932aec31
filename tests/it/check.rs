//! `handbook check`: a fixture book with one of each broken link and one of each valid form,
//! external checks against a local HTTP server on 127.0.0.1, and the build's use of the checks.

use crate::common::{TestBook, stderr, stdout};
use serde_json::Value;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Two notes that use every link form that must pass: percent-encoded and unicode anchors,
/// `{#custom-id}`, footnotes, links to the same note, query strings, static files, templates.
fn valid_book() -> TestBook {
    let b = TestBook::two_sections();
    b.write("static/img/pic.png", "PNG");
    b.write("notes/01-basics/pics/local.png", "PNG");
    b.note(
        "notes/01-basics/01-first.md",
        "First",
        "## Overview\n\n## Café au lait\n\n## Привет мир\n\n## Custom {#custom-id}\n\n\
         [enc](#caf%C3%A9-au-lait) [uni](#café-au-lait) [ru](#привет-мир) [ru-enc](#%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82-%D0%BC%D0%B8%D1%80)\n\
         [custom](#custom-id) [self](01-first.md#overview) [self-page](01-first.md) [top](#)\n\
         [query](../02-more/02-second.md?x=1#details) [other-custom](../02-more/02-second.md#second-custom)\n\
         [by-name](02-second.md) footnote[^1] and a named one[^big note] and again[^1].\n\
         ![pic](../../static/img/pic.png?v=2) ![local](pics/local.png) [tags](../../tags/index.html)\n\
         [mail](mailto:a@example.com) [ext](https://example.com/x) [ref link][r] <https://example.com/auto>\n\n\
         | a | b |\n|---|---|\n| [in table](#overview) | x |\n\n\
         Regex in code: `[^abc]` and\n\n```text\n[^not-a-footnote]\n```\n\n\
         <a href=\"first.html#custom-id\">raw html link to this page</a>\n\n\
         [r]: ../02-more/02-second.md#details\n\n\
         [^1]: A footnote with [a link](#overview).\n\
         [^big note]: Named.\n",
    );
    b.note(
        "notes/02-more/02-second.md",
        "Second",
        "## Details\n\n## Second {#second-custom}\n\nBack to [first](../01-basics/01-first.md#привет-мир).\n",
    );
    b
}

/// One of each kind of broken link, at known lines. Returns the book and the note's first body line.
fn broken_book() -> TestBook {
    let b = TestBook::two_sections();
    b.write("static/img/pic.png", "PNG");
    // Front matter is 7 lines; the body starts on line 8.
    b.note(
        "notes/01-basics/01-first.md",
        "First",
        "## Overview\n\
         \n\
         [missing note](../02-more/03-secnd.md)\n\
         [bad anchor](../02-more/02-second.md#detials)\n\
         [bad self](#overveiw)\n\
         ![bad img](../../static/img/pik.png)\n\
         [bad file](files/nope.pdf)\n\
         [root abs](/img/pic.png)\n\
         Undefined footnote[^nope].\n\
         Footnote with a bad link[^2].\n\
         <a href=\"raw-broken.html\">raw html</a>\n\
         <a href=\"#overview\">raw anchor</a>\n\
         \n\
         ## Dup {#dup}\n\
         \n\
         ## Again {#dup}\n\
         \n\
         ## Main\n\
         \n\
         [^2]: See [bad in footnote](#nowhere).\n",
    );
    b.note(
        "notes/02-more/02-second.md",
        "Second",
        "## Details\n\nText.\n",
    );
    b.write(
        "templates/404.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>Lost</h1>\n<p><a href=\"{{ root }}nowhere.html\">Nowhere</a> <a href=\"/rooted.html\">Rooted</a></p>\n{% endblock main %}\n",
    );
    b
}

fn json(o: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(o))
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", stdout(o), stderr(o)))
}

fn problems(v: &Value) -> Vec<Value> {
    v["problems"].as_array().cloned().unwrap_or_default()
}

/// The problem at `line` of `file` whose target is `target`.
fn find<'a>(ps: &'a [Value], file: &str, target: &str) -> &'a Value {
    ps.iter()
        .find(|p| p["file"] == file && p["target"] == target)
        .unwrap_or_else(|| {
            panic!(
                "no problem for {target} in {file}:\n{}",
                serde_json::to_string_pretty(ps).unwrap()
            )
        })
}

#[test]
fn valid_forms_are_not_flagged() {
    let b = valid_book();
    let o = b.run(&["check"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("check: 0 problems, 0 warnings"),
        "{}",
        stdout(&o)
    );
    // The build agrees: no warnings, even with --strict.
    let o = b.run(&["build", "--strict"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains(", 0 warnings"), "{}", stderr(&o));
}

#[test]
fn each_broken_kind_is_reported_with_note_line_column_text_and_suggestion() {
    let b = broken_book();
    let o = b.run(&["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v = json(&o);
    let ps = problems(&v);
    let note = "notes/01-basics/01-first.md";
    let expect =
        |target: &str, line: u64, col: u64, kind: &str, text: &str, suggestion: Option<&str>| {
            let p = find(&ps, note, target);
            assert_eq!(
                (p["line"].as_u64(), p["col"].as_u64()),
                (Some(line), Some(col)),
                "{p}"
            );
            assert_eq!(p["kind"], kind, "{p}");
            assert_eq!(p["text"], text, "{p}");
            assert_eq!(p["suggestion"].as_str(), suggestion, "{p}");
            assert_eq!(p["severity"], "error", "{p}");
        };
    expect(
        "../02-more/03-secnd.md",
        10,
        1,
        "link",
        "missing note",
        Some("../02-more/02-second.md"),
    );
    expect(
        "../02-more/02-second.md#detials",
        11,
        1,
        "link",
        "bad anchor",
        Some("../02-more/02-second.md#details"),
    );
    expect("#overveiw", 12, 1, "link", "bad self", Some("#overview"));
    expect(
        "../../static/img/pik.png",
        13,
        1,
        "image",
        "bad img",
        Some("../../static/img/pic.png"),
    );
    expect("files/nope.pdf", 14, 1, "link", "bad file", None);
    expect(
        "/img/pic.png",
        15,
        1,
        "link",
        "root abs",
        Some("../../static/img/pic.png"),
    );
    expect("[^nope]", 16, 19, "footnote", "nope", None);
    expect("#nowhere", 27, 11, "link", "bad in footnote", None);
    // Raw HTML is only seen by the crawl, which traces it back to the note.
    let raw = find(&ps, note, "raw-broken.html");
    assert_eq!(
        (raw["line"].as_u64(), raw["col"].as_u64()),
        (Some(18), Some(10)),
        "{raw}"
    );
    assert_eq!(
        raw["pages"],
        serde_json::json!(["first.html", "index.html"])
    );
    // Raw HTML anchors are not rewritten for the all-notes page, where ids are `slug--id`.
    let anchor = find(&ps, note, "#overview");
    assert_eq!(
        (anchor["line"].as_u64(), anchor["col"].as_u64()),
        (Some(19), Some(10)),
        "{anchor}"
    );
    assert_eq!(anchor["pages"], serde_json::json!(["index.html"]));
    assert!(
        anchor["reason"]
            .as_str()
            .unwrap()
            .contains("use a Markdown link"),
        "{anchor}"
    );
    // A repeated `{#dup}` cannot repeat an id on the page: the renderer gives the second one
    // `dup-1` and says so in a build warning (at its line), which the report carries.
    assert!(!ps.iter().any(|p| p["target"] == "dup"), "{ps:?}");
    let all = stdout(&o);
    assert!(
        all.contains("heading id `dup` is already used on this page: this heading gets `dup-1`"),
        "{all}"
    );
    // A heading named "Main" no longer takes the template's <main id="main">: it gets `main-1`.
    assert!(!ps.iter().any(|p| p["target"] == "main"), "{ps:?}");
    // Template links are reported in the template file, with the page they break on.
    let t = find(&ps, "templates/404.html", "nowhere.html");
    assert_eq!(
        (t["line"].as_u64(), t["col"].as_u64(), t["text"].as_str()),
        (Some(4), Some(21), Some("Nowhere")),
        "{t}"
    );
    assert_eq!(t["pages"], serde_json::json!(["404.html"]));
    let r = find(&ps, "templates/404.html", "/rooted.html");
    assert!(r["reason"].as_str().unwrap().contains("sub-path"), "{r}");
    // Nothing else: the valid link to #overview and the note's other ids pass.
    // (12 link problems and the renderer's warning about `dup`.)
    assert_eq!(
        ps.len(),
        13,
        "{}",
        serde_json::to_string_pretty(&ps).unwrap()
    );
    assert_eq!(v["errors"], 12);
}

#[test]
fn human_and_github_formats() {
    let b = broken_book();
    let o = b.run(&["check"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("notes/01-basics/01-first.md:12:1: error: broken link [bad self](#overveiw): no heading or footnote `#overveiw` in this note; did you mean #overview?"),
        "{out}"
    );
    assert!(out.ends_with("check: 12 problems, 1 warning\n"), "{out}");

    let o = b.run(&["check", "--format", "github"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("::error file=notes/01-basics/01-first.md,line=11,col=1::broken link [bad anchor](../02-more/02-second.md#detials)"),
        "{out}"
    );
    assert!(
        out.contains("::error file=templates/404.html,line=4,col=21::"),
        "{out}"
    );
    assert_eq!(
        out.lines().filter(|l| l.starts_with("::error ")).count(),
        12,
        "{out}"
    );
}

#[test]
fn build_warns_and_strict_fails() {
    let b = broken_book();
    let o = b.run(&["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(
            "notes/01-basics/01-first.md:12:1: warning: broken link [bad self](#overveiw)"
        ),
        "{err}"
    );
    assert!(
        err.contains("templates/404.html:4:21: warning: broken link [Nowhere]"),
        "{err}"
    );
    assert!(err.contains("13 warnings"), "{err}");

    let o = b.run(&["build", "--strict", "--output", "strict-out"]);
    assert!(!o.status.success(), "strict build passed:\n{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("notes/01-basics/01-first.md:12:1: error: broken link [bad self](#overveiw)"),
        "{err}"
    );
    assert!(err.contains("build failed: 12 errors"), "{err}");
    assert!(
        !b.path("strict-out").exists(),
        "a failed build wrote its output"
    );

    // `strict = true` in book.toml does the same, and `check` still reports (exit 1, not 2).
    b.write(
        "book.toml",
        "[book]\ntitle = \"Test Book\"\n[build]\nstrict = true\n",
    );
    let o = b.run(&["build", "--output", "strict-out"]);
    assert!(!o.status.success());
    let o = b.run(&["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(json(&o)["errors"], 12);
}

/// The build writes its big pages out as it makes them and checks links from records of them;
/// `check` crawls the pages in memory. Both must find the same problems at the same places with
/// the same text, on a book with every kind of broken link, some only on the all-notes page.
#[test]
fn build_finds_what_check_finds() {
    let b = broken_book();
    // Many raw links inside a long note, one left open to the end of the page, and a comment
    // left open. (How a page longer than one scan window is cut is unit-tested in check::html.)
    let mut long = String::from("## Long\n\n");
    for k in 0..4_000 {
        let far = if k % 40 == 0 {
            format!("nope{k}")
        } else {
            "details".to_string()
        };
        long.push_str(&format!(
            "Para {k} <a href=\"#long\">ok</a> <a href=\"02-second.html#{far}\">far</a>\n\n"
        ));
    }
    long.push_str("<a href=\"open-end.html\">never closed\n\n<!-- a comment left open\n");
    b.note("notes/02-more/03-long.md", "Long", &long);
    let lines = |text: &str, tag: &str| -> Vec<String> {
        let mut v: Vec<String> = text
            .lines()
            .filter(|l| l.contains(tag))
            .map(|l| l.replacen(tag, ": problem: ", 1))
            .collect();
        v.sort();
        v
    };
    let built = b.run(&["build"]);
    assert!(built.status.success(), "{}", stderr(&built));
    let checked = b.run(&["check"]);
    // The build's warnings are the link problems plus the renderer's warnings, which `check`
    // reports as warnings beside its problems.
    let check_out = format!("{}{}", stdout(&checked), stderr(&checked));
    let render_warnings = lines(&check_out, ": warning: ");
    let from_build: Vec<String> = lines(&stderr(&built), ": warning: ")
        .into_iter()
        .filter(|l| !render_warnings.contains(l))
        .collect();
    let from_check = lines(&check_out, ": error: ");
    assert!(from_build.len() > 12, "{from_build:#?}");
    let only_build: Vec<_> = from_build
        .iter()
        .filter(|l| !from_check.contains(l))
        .collect();
    let only_check: Vec<_> = from_check
        .iter()
        .filter(|l| !from_build.contains(l))
        .collect();
    assert!(
        only_build.is_empty() && only_check.is_empty(),
        "only the build found {only_build:#?}\nonly check found {only_check:#?}"
    );
    assert_eq!(from_build, from_check);
    assert!(
        from_build
            .iter()
            .any(|l| l.contains("[far](02-second.html#nope3960)")),
        "{from_build:#?}"
    );
}

#[test]
fn chromium_agrees_with_the_checker() {
    let b = valid_book();
    b.build_ok();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"));
    crate::common::browser_test(
        "check.test.mjs",
        &[b.path("public").to_str().unwrap(), shots.to_str().unwrap()],
    );
}

#[test]
fn exit_2_when_the_book_cannot_be_read() {
    let b = TestBook::new();
    std::fs::remove_file(b.path("book.toml")).unwrap();
    let o = b.run(&["check"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("book.toml"), "{}", stderr(&o));
}

#[test]
fn the_real_book_is_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(["check", "--format", "github", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
}

// ---- external checks against a local server ----

/// A tiny HTTP/1.1 server on 127.0.0.1 that answers by path and records every request.
struct Server {
    port: u16,
    hits: Arc<Mutex<Vec<(String, String, Instant)>>>,
    slow_peak: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let hits = Arc::new(Mutex::new(Vec::new()));
        let slow_now = Arc::new(AtomicUsize::new(0));
        let slow_peak = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (h, sn, sp, st) = (
            hits.clone(),
            slow_now.clone(),
            slow_peak.clone(),
            stop.clone(),
        );
        std::thread::spawn(move || {
            let started = Instant::now();
            for conn in listener.incoming() {
                // Bounded: stops when the test is done, and after a minute whatever happens.
                if st.load(Ordering::SeqCst) || started.elapsed() > Duration::from_secs(60) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let (h, sn, sp) = (h.clone(), sn.clone(), sp.clone());
                std::thread::spawn(move || handle(conn, &h, &sn, &sp));
            }
        });
        Server {
            port,
            hits,
            slow_peak,
            stop,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Requests for `path`, as (method, time).
    fn requests(&self, path: &str) -> Vec<(String, Instant)> {
        self.hits
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, p, _)| p == path)
            .map(|(m, _, t)| (m.clone(), *t))
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn handle(
    mut conn: TcpStream,
    hits: &Mutex<Vec<(String, String, Instant)>>,
    slow_now: &AtomicUsize,
    slow_peak: &AtomicUsize,
) {
    conn.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match conn.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let head = String::from_utf8_lossy(&buf).into_owned();
    let mut first = head.lines().next().unwrap_or("").split_whitespace();
    let method = first.next().unwrap_or("").to_string();
    let path = first.next().unwrap_or("").to_string();
    let seen_before = {
        let mut h = hits.lock().unwrap();
        let n = h.iter().filter(|(_, p, _)| *p == path).count();
        h.push((method.clone(), path.clone(), Instant::now()));
        n
    };
    let (status, extra): (u16, String) = match path.as_str() {
        "/ok" => (200, String::new()),
        "/moved" => (301, "Location: /ok\r\n".into()),
        "/found" => (302, "Location: /ok\r\n".into()),
        "/missing" => (404, String::new()),
        "/limited" if seen_before == 0 => (429, "Retry-After: 1\r\n".into()),
        "/limited" => (200, String::new()),
        "/flaky" if seen_before == 0 => (500, String::new()),
        "/flaky" => (200, String::new()),
        "/loop-a" => (302, "Location: /loop-b\r\n".into()),
        "/loop-b" => (302, "Location: loop-a\r\n".into()),
        "/bad-location" => (302, "Location: http://[::1\r\n".into()),
        "/nohead" if method == "HEAD" => (405, String::new()),
        "/nohead" => (200, String::new()),
        "/hang" => {
            // Never answers: hold the connection past the client's timeout, then close.
            std::thread::sleep(Duration::from_secs(3));
            return;
        }
        p if p.starts_with("/slow/") => {
            let now = slow_now.fetch_add(1, Ordering::SeqCst) + 1;
            slow_peak.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(300));
            slow_now.fetch_sub(1, Ordering::SeqCst);
            (200, String::new())
        }
        _ => (404, String::new()),
    };
    let _ = write!(
        conn,
        "HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n{extra}\r\n"
    );
}

fn external_book(s: &Server, extra_toml: &str) -> TestBook {
    let b = TestBook::new();
    b.write(
        "book.toml",
        &format!(
            "[book]\ntitle = \"Ext\"\n[check]\ntimeout = 1\nper-host = 2\nskip = [\"{}\"]\n{extra_toml}",
            s.url("/skipped")
        ),
    );
    b.write("notes/01-a/_section.toml", "title = \"A\"\n");
    let body = [
        "ok",
        "moved",
        "found",
        "missing",
        "limited",
        "flaky",
        "loop-a",
        "hang",
        "nohead",
        "skipped/x",
    ]
    .iter()
    .map(|p| format!("[{p}]({})\n", s.url(&format!("/{p}"))))
    .collect::<String>();
    // Line 8 is the first body line: `ok` is on 8, `moved` on 9, ...; a second `ok` with a fragment at the end.
    b.note(
        "notes/01-a/01-links.md",
        "Links",
        &format!("{body}[ok again]({}#part)\n", s.url("/ok")),
    );
    b
}

#[test]
fn external_links_against_a_local_server() {
    let s = Server::start();
    let b = external_book(&s, "");
    let t = Instant::now();
    let o = b.run(&["check", "--external", "--format", "json"]);
    let elapsed = t.elapsed();
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let v = json(&o);
    let ps = problems(&v);
    let note = "notes/01-a/01-links.md";
    let by_target: HashMap<String, &Value> = ps
        .iter()
        .map(|p| (p["target"].as_str().unwrap().to_string(), p))
        .collect();
    let get = |path: &str| by_target.get(&s.url(path)).copied();

    // 200, a temporary redirect, HEAD refused then GET, 429 then 200, 500 then 200: all fine.
    for ok in ["/ok", "/found", "/nohead", "/limited", "/flaky", "/ok#part"] {
        assert!(get(ok).is_none(), "{ok} flagged: {}", get(ok).unwrap());
    }
    let moved = get("/moved").expect("permanent redirect reported");
    assert_eq!(
        (
            moved["severity"].as_str(),
            moved["line"].as_u64(),
            moved["col"].as_u64()
        ),
        (Some("warning"), Some(9), Some(1))
    );
    assert!(
        moved["reason"]
            .as_str()
            .unwrap()
            .contains(&format!("moved permanently to {}", s.url("/ok"))),
        "{moved}"
    );
    let missing = get("/missing").expect("404 reported");
    assert_eq!(
        (
            missing["severity"].as_str(),
            missing["file"].as_str(),
            missing["line"].as_u64()
        ),
        (Some("error"), Some(note), Some(11))
    );
    assert!(
        missing["reason"].as_str().unwrap().starts_with("HTTP 404"),
        "{missing}"
    );
    assert_eq!(missing["text"], "missing");
    let lp = get("/loop-a").expect("loop reported");
    assert!(
        lp["reason"].as_str().unwrap().contains("redirect loop"),
        "{lp}"
    );
    let hang = get("/hang").expect("timeout reported");
    assert!(
        hang["reason"].as_str().unwrap().contains("timed out"),
        "{hang}"
    );
    assert_eq!(
        ps.len(),
        4,
        "{}",
        serde_json::to_string_pretty(&ps).unwrap()
    );
    assert_eq!(v["errors"], 3);

    // HEAD first; GET only when HEAD is refused.
    let methods = |p: &str| {
        s.requests(p)
            .into_iter()
            .map(|(m, _)| m)
            .collect::<Vec<_>>()
    };
    // Two links to /ok (one with a fragment) make one request; the redirects from /moved and /found two more.
    assert_eq!(methods("/ok"), ["HEAD"; 3]);
    assert_eq!(methods("/nohead"), ["HEAD", "GET"]);
    // Retry-After: 1 is honoured: the retry comes a second later.
    let lim = s.requests("/limited");
    assert_eq!(lim.len(), 2);
    assert!(
        lim[1].1 - lim[0].1 >= Duration::from_millis(950),
        "retried after {:?}",
        lim[1].1 - lim[0].1
    );
    assert_eq!(s.requests("/flaky").len(), 2);
    assert!(
        s.requests("/skipped/x").is_empty(),
        "a skipped URL was requested"
    );
    // The server that never answers costs one timeout, not a hang.
    assert!(elapsed < Duration::from_secs(15), "took {elapsed:?}");

    // Good results are cached in the book; broken ones are checked again.
    assert!(b.path(".handbook-cache/external-links.json").exists());
    let o = b.run(&["check", "--external", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(problems(&json(&o)).len(), 4, "{}", stdout(&o));
    assert_eq!(s.requests("/ok").len(), 3, "cached link requested again");
    assert_eq!(
        s.requests("/moved").len(),
        1,
        "cached redirect requested again"
    );
    // A 404 to HEAD is asked again with GET (some servers refuse HEAD), and again next run.
    assert_eq!(
        methods("/missing"),
        ["HEAD", "GET", "HEAD", "GET"],
        "broken link not re-checked"
    );
}

/// A redirect whose Location is no URL is a broken link that says so (no crash, no guess).
#[test]
fn a_redirect_to_a_location_that_is_no_url_is_reported() {
    let s = Server::start();
    let b = TestBook::new();
    b.write(
        "book.toml",
        "[book]\ntitle = \"Ext\"\n[check]\ntimeout = 1\n",
    );
    b.write("notes/01-a/_section.toml", "title = \"A\"\n");
    b.note(
        "notes/01-a/01-links.md",
        "Links",
        &format!("[bad]({})\n", s.url("/bad-location")),
    );
    let o = b.run(&["check", "--external", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let ps = problems(&json(&o));
    assert_eq!(ps.len(), 1, "{ps:?}");
    let reason = ps[0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("HTTP 302 redirect to a Location that is not a valid URL: \"http://[::1\""),
        "{reason}"
    );
}

#[test]
fn cache_age_limit_and_allow_list() {
    let s = Server::start();
    let allow = format!(
        "allow = [\"{}\", \"{}\"]\ncache-hours = 0\n",
        s.url("/ok"),
        s.url("/missing")
    );
    let b = external_book(&s, &allow);
    for _ in 0..2 {
        let o = b.run(&["check", "--external", "--format", "json"]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let ps = problems(&json(&o));
        assert_eq!(ps.len(), 1, "{}", stdout(&o));
        assert_eq!(ps[0]["target"], s.url("/missing"));
    }
    // cache-hours = 0: nothing kept, so /ok is asked both times; nothing outside `allow` is asked.
    assert_eq!(s.requests("/ok").len(), 2);
    assert!(s.requests("/hang").is_empty() && s.requests("/moved").is_empty());
    assert!(!b.path(".handbook-cache/external-links.json").exists());
}

#[test]
fn requests_per_host_are_bounded() {
    let s = Server::start();
    let b = TestBook::new();
    b.write(
        "book.toml",
        "[book]\ntitle = \"Ext\"\n[check]\nper-host = 2\ncache-hours = 0\n",
    );
    b.write("notes/01-a/_section.toml", "title = \"A\"\n");
    let body: String = (0..8)
        .map(|i| format!("[s{i}]({})\n", s.url(&format!("/slow/{i}"))))
        .collect();
    b.note("notes/01-a/01-slow.md", "Slow", &body);
    let o = b.run(&["check", "--external"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(
        s.slow_peak.load(Ordering::SeqCst),
        2,
        "peak concurrent requests to one host"
    );
}

#[test]
fn edit_links_are_fetched_once_and_reported_at_book_toml() {
    let s = Server::start();
    let b = TestBook::new();
    b.write(
        "book.toml",
        &format!(
            "[book]\ntitle = \"Ext\"\nedit-url = \"{}\"\n[check]\ncache-hours = 0\n",
            s.url("/edit/main/{path}")
        ),
    );
    b.write("notes/01-a/_section.toml", "title = \"A\"\n");
    for i in 1..=3 {
        b.note(
            &format!("notes/01-a/0{i}-n{i}.md"),
            &format!("N{i}"),
            "Text.\n",
        );
    }
    let o = b.run(&["check", "--external", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // One URL (asked with HEAD, then GET after the 404).
    let edits: std::collections::BTreeSet<_> = s
        .hits
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, p, _)| p.starts_with("/edit/"))
        .map(|(_, p, _)| p.clone())
        .collect();
    assert_eq!(edits.len(), 1, "one edit link asked: {edits:?}");
    let ps = problems(&json(&o));
    assert_eq!(ps.len(), 1, "{}", stdout(&o));
    assert_eq!(ps[0]["file"], "book.toml");
    assert_eq!(ps[0]["line"], 3);
    assert!(
        ps[0]["target"]
            .as_str()
            .unwrap()
            .starts_with(&s.url("/edit/main/notes/01-a/"))
    );
}
