//! `handbook serve` end to end: the real binary on a free port against a temp fixture book,
//! talked to over raw HTTP and a hand-written WebSocket client (127.0.0.1 only).

use crate::common::{TestBook, standalone};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Debug builds render slowly; the first build of a fixture can take a while on a busy machine.
const START: Duration = Duration::from_secs(180);
const WAIT: Duration = Duration::from_secs(60);

struct Server {
    child: Child,
    port: u16,
    lines: mpsc::Receiver<String>,
    log: Vec<String>,
}

impl Server {
    fn start(book: &TestBook, port: u16) -> Server {
        Server::start_with(book, port, &[])
    }

    fn start_with(book: &TestBook, port: u16, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_handbook"))
            .args(["serve", "--port", &port.to_string()])
            .args(extra)
            .current_dir(book.root())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start handbook serve");
        let err = child.stderr.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for l in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx.send(l);
            }
        });
        let mut s = Server {
            child,
            port: 0,
            lines,
            log: Vec::new(),
        };
        let line = s.wait_line(|l| l.starts_with("serving http://"), START);
        let addr = line
            .trim_start_matches("serving http://")
            .split('/')
            .next()
            .unwrap();
        s.port = addr.rsplit(':').next().unwrap().parse().unwrap();
        s
    }

    /// Wait for a line of terminal output matching `pred`; panic with the log on timeout.
    fn wait_line(&mut self, pred: impl Fn(&str) -> bool, limit: Duration) -> String {
        let end = Instant::now() + limit;
        loop {
            let left = end.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(l) => {
                    self.log.push(l.clone());
                    if pred(&l) {
                        return l;
                    }
                }
                Err(_) => panic!("no matching output; got:\n{}", self.log.join("\n")),
            }
        }
    }

    fn get(&self, path: &str) -> (u16, String) {
        http_get(self.port, path)
    }

    fn socket(&self) -> Socket {
        Socket::connect(self.port)
    }

    /// Send SIGINT (what Ctrl-C sends) and wait for the process to end.
    fn interrupt(&mut self) -> std::process::ExitStatus {
        let st = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(st.success());
        let end = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(st) = self.child.try_wait().unwrap() {
                return st;
            }
            assert!(Instant::now() < end, "serve did not stop on SIGINT");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A raw HTTP/1.1 GET; the path is sent as is (no normalising), which is the point.
fn http_get(port: u16, path: &str) -> (u16, String) {
    raw_request(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}"),
    )
}

/// The live-reload socket, its messages read as JSON.
struct Socket(standalone::Socket);

impl Socket {
    fn connect(port: u16) -> Socket {
        let (s, head) = standalone::Socket::connect(port);
        assert!(head.starts_with("HTTP/1.1 101"), "no upgrade: {head}");
        Socket(s)
    }

    /// The next text message as JSON, or `None` on close or timeout.
    fn next(&mut self, limit: Duration) -> Option<Value> {
        self.0.s.set_read_timeout(Some(limit)).unwrap();
        serde_json::from_slice(&self.0.next_text()?).ok()
    }

    /// Read messages until one of `kind` arrives (skipping others); panic on timeout.
    fn expect(&mut self, kind: &str) -> Value {
        let end = Instant::now() + WAIT;
        while Instant::now() < end {
            let left = end.saturating_duration_since(Instant::now());
            match self.next(left) {
                Some(m) if m["type"] == kind => return m,
                Some(_) => {}
                None => break,
            }
        }
        panic!("no `{kind}` message within {WAIT:?}");
    }
}

fn book() -> TestBook {
    let b = TestBook::new();
    b.write("notes/01-basics/_section.toml", "title = \"Basics\"\n");
    b.note(
        "notes/01-basics/01-first.md",
        "First Note",
        "## Overview\n\nThe original first text.\n",
    );
    b.note(
        "notes/01-basics/02-second.md",
        "Second Note",
        "## Details\n\nBack to [first](01-first.md).\n",
    );
    b.write("static/extra.css", "body { color: black }\n");
    b
}

#[test]
fn edits_reload_errors_overlay_and_the_last_good_site_stays() {
    let b = book();
    let mut srv = Server::start(&b, free_port());
    let mut ws = srv.socket();
    let hello = ws.expect("hello");
    assert!(hello["errors"].is_null(), "{hello}");
    assert!(
        srv.get("/first.html")
            .1
            .contains("The original first text.")
    );
    assert!(srv.get("/first.html").1.contains("/__handbook/reload.js"));

    // An edit: a reload message naming the changed pages, then the new text is served.
    b.note(
        "notes/01-basics/01-first.md",
        "First Note",
        "## Overview\n\nFreshly edited words.\n",
    );
    let m = ws.expect("reload");
    let pages: Vec<&str> = m["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(
        pages.contains(&"first.html") && pages.contains(&"index.html"),
        "{m}"
    );
    assert!(
        !pages.contains(&"second.html"),
        "an untouched page is not reloaded: {m}"
    );
    assert_eq!(m["focus"], serde_json::json!(["first"]));
    assert_eq!(m["css"], false);
    let (st, page) = srv.get("/first.html");
    assert_eq!(st, 200);
    assert!(page.contains("Freshly edited words.") && !page.contains("original first text"));
    assert!(srv.get("/").1.contains("Freshly edited words."));
    srv.wait_line(
        |l| l.starts_with("rebuilt in ") && l.contains("01-first.md"),
        WAIT,
    );

    // A broken note: the error reaches the browser with file and line; the old site stays.
    b.write(
        "notes/01-basics/01-first.md",
        "+++\ntitle = \"First Note\"\nlevel = \"wizard\"\nyoe = \"0-2\"\ntags = [\"a\"]\n+++\n\nBroken version.\n",
    );
    let m = ws.expect("errors");
    let e = &m["errors"][0];
    assert_eq!(e["file"], "notes/01-basics/01-first.md", "{m}");
    assert_eq!(e["line"], 3, "{m}");
    assert!(e["message"].as_str().unwrap().contains("wizard"), "{m}");
    let (st, page) = srv.get("/first.html");
    assert_eq!(st, 200);
    assert!(page.contains("Freshly edited words.") && !page.contains("Broken version"));
    let line = srv.wait_line(|l| l.starts_with("build failed in "), WAIT);
    assert!(line.contains("last good site"), "{line}");
    srv.wait_line(
        |l| l.contains("01-first.md:3") && l.contains("wizard"),
        WAIT,
    );
    // A page opened now learns about the errors at once.
    let hello = srv.socket().expect("hello");
    assert_eq!(hello["errors"][0]["line"], 3, "{hello}");

    // The fix: a reload, the new text, and no errors for pages opened afterwards.
    b.note(
        "notes/01-basics/01-first.md",
        "First Note",
        "## Overview\n\nFixed and fine.\n",
    );
    ws.expect("reload");
    assert!(srv.get("/first.html").1.contains("Fixed and fine."));
    let hello = srv.socket().expect("hello");
    assert!(hello["errors"].is_null(), "{hello}");

    // A template error is located in the template, and clears the same way.
    b.write(
        "templates/tag.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{{ oops( }}\n{% endblock main %}\n",
    );
    let m = ws.expect("errors");
    assert_eq!(m["errors"][0]["file"], "templates/tag.html", "{m}");
    std::fs::remove_file(b.path("templates/tag.html")).unwrap();
    ws.expect("reload");

    // A stylesheet change is swapped in place.
    b.write("static/extra.css", "body { color: red }\n");
    let m = ws.expect("reload");
    assert_eq!(m["css"], true, "{m}");
    assert_eq!(srv.get("/extra.css").1, "body { color: red }\n");

    // Ctrl-C: the socket is closed and the process exits cleanly.
    let st = srv.interrupt();
    assert!(st.success(), "{st:?}");
    assert!(ws.next(Duration::from_secs(5)).is_none());
    srv.wait_line(|l| l == "stopped", WAIT);
}

#[test]
fn nothing_outside_the_site_is_reachable_and_unknown_paths_get_the_404_page() {
    let b = book();
    let secret = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(secret.path(), "TOP SECRET").unwrap();
    std::fs::create_dir_all(b.path("static")).unwrap();
    std::os::unix::fs::symlink(secret.path(), b.path("static/leak.txt")).unwrap();
    std::os::unix::fs::symlink(secret.path(), b.path("notes/01-basics/leak.png")).unwrap();
    b.note(
        "notes/01-basics/03-third.md",
        "Third Note",
        "![leak](leak.png)\n",
    );
    // Another server holds the port asked for: the next one is used.
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let mut srv = Server::start(&b, port);
    assert_ne!(srv.port, port);
    assert!(
        srv.log
            .iter()
            .any(|l| l.contains(&format!("port {port} is in use"))),
        "{:?}",
        srv.log
    );

    let secret_name = secret
        .path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let tmp = secret
        .path()
        .parent()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    for path in [
        "/../book.toml".to_string(),
        "/%2e%2e/book.toml".into(),
        "/%2E%2E%2Fbook.toml".into(),
        "/notes/..%2f..%2fbook.toml".into(),
        "/book.toml".into(),
        "/notes/01-basics/01-first.md".into(),
        format!("{tmp}/{secret_name}"),
        format!("/%2e%2e/%2e%2e/%2e%2e/%2e%2e{tmp}/{secret_name}"),
        "http://127.0.0.1/../book.toml".into(),
        "/etc/passwd".into(),
        "/leak.txt".into(),
        "/notes/01-basics/leak.png".into(),
        "/missing.html".into(),
    ] {
        let (st, body) = srv.get(&path);
        assert_eq!(st, 404, "{path}");
        assert!(
            body.contains("Page not found"),
            "{path}: the book's 404 page"
        );
        assert!(
            !body.contains("TOP SECRET") && !body.contains("[book]"),
            "{path}"
        );
    }
    let (st, body) = srv.get("/third.html");
    assert_eq!(st, 200);
    assert!(body.contains("Third Note"));
    assert!(srv.interrupt().success());
}

#[test]
fn a_browser_sees_edits_errors_and_style_changes_live() {
    let b = book();
    let long: String = (0..60)
        .map(|i| format!("Paragraph {i} of a long note. original-marker\n\n"))
        .collect();
    b.note("notes/01-basics/01-first.md", "First Note", &long);
    let srv = Server::start(&b, free_port());
    let shots = std::env::temp_dir().join("handbook-serve-shots");
    std::fs::create_dir_all(&shots).unwrap();
    crate::common::browser_test(
        "serve.test.mjs",
        &[
            &format!("http://127.0.0.1:{}/", srv.port),
            b.root().to_str().unwrap(),
            shots.to_str().unwrap(),
        ],
    );
}

/// Send `head` (request line and headers, without the blank line) as is; the status and body.
fn raw_request(port: u16, head: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    write!(s, "{head}\r\nConnection: close\r\n\r\n").unwrap();
    let mut buf = Vec::new();
    // An accepted upgrade keeps the connection open: read what arrives, then stop.
    let mut chunk = [0u8; 4096];
    while let Ok(n) = s.read(&mut chunk) {
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        if buf.starts_with(b"HTTP/1.1 101") && buf.windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn get_with_host(port: u16, host: &str) -> (u16, String) {
    raw_request(port, &format!("GET /first.html HTTP/1.1\r\nHost: {host}"))
}

fn upgrade(port: u16, host: &str, origin: Option<&str>) -> u16 {
    let origin = origin
        .map(|o| format!("\r\nOrigin: {o}"))
        .unwrap_or_default();
    raw_request(
        port,
        &format!(
            "GET /__handbook/ws HTTP/1.1\r\nHost: {host}{origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13"
        ),
    )
    .0
}

#[test]
fn only_this_machine_and_allowed_hosts_are_answered() {
    let b = book();
    let mut srv = Server::start_with(&b, free_port(), &["--allowed-host", "book.test"]);
    let p = srv.port;
    for host in [
        format!("127.0.0.1:{p}"),
        format!("localhost:{p}"),
        format!("docs.localhost:{p}"),
        format!("[::1]:{p}"),
        format!("127.0.0.2:{p}"),
        format!("book.test:{p}"),
        "book.test".into(),
    ] {
        let (st, body) = get_with_host(p, &host);
        assert_eq!(st, 200, "{host}: {body}");
        assert!(body.contains("First Note"), "{host}");
    }
    // DNS rebinding: the attacker's name now points at 127.0.0.1; the Host still says so.
    for host in [
        format!("evil.example:{p}"),
        "evil.example".into(),
        format!("localhost.evil.example:{p}"),
        format!("10.1.2.3:{p}"),
        format!("sub.book.test:{p}"),
    ] {
        let (st, body) = get_with_host(p, &host);
        assert_eq!(st, 403, "{host}: {body}");
        assert!(!body.contains("First Note"), "{host}");
        assert_eq!(body.lines().count(), 1, "one line: {body}");
        assert!(body.contains("--allowed-host"), "{body}");
    }
    // The same host again is refused without another terminal line.
    assert_eq!(get_with_host(p, "evil.example").0, 403);
    assert_eq!(get_with_host(p, "last.example").0, 403);
    srv.wait_line(|l| l.contains("last.example"), WAIT);
    let evil = srv
        .log
        .iter()
        .filter(|l| l.starts_with("refused") && l.contains("Host `evil.example"))
        .count();
    assert_eq!(evil, 1, "{:?}", srv.log);
    assert!(srv.interrupt().success());
}

#[test]
fn the_reload_socket_takes_only_same_origin_upgrades() {
    let b = book();
    let srv = Server::start(&b, free_port());
    let p = srv.port;
    let host = format!("127.0.0.1:{p}");
    assert_eq!(upgrade(p, &host, Some(&format!("http://{host}"))), 101);
    // A program (no Origin) may connect; its Host is still checked.
    assert_eq!(upgrade(p, &host, None), 101);
    assert_eq!(upgrade(p, &format!("evil.example:{p}"), None), 403);
    for origin in [
        "http://evil.example".to_string(),
        format!("http://evil.example:{p}"),
        format!("http://localhost:{p}"),
        format!("http://127.0.0.1:{}", p.wrapping_add(1)),
        "null".into(),
    ] {
        assert_eq!(upgrade(p, &host, Some(&origin)), 403, "{origin}");
    }
    // A rebound page is same-origin with itself, but its Host is refused.
    assert_eq!(
        upgrade(
            p,
            &format!("evil.example:{p}"),
            Some(&format!("http://evil.example:{p}"))
        ),
        403
    );
}

#[test]
fn a_change_to_an_included_file_re_renders_the_note_that_includes_it() {
    let b = book();
    // One file outside the watched folders, one inside notes/.
    b.write("listings/demo.rs", "fn demo() { \"first version\" }\n");
    b.write("notes/01-basics/parts/bit.md", "Included bit one.\n");
    b.note(
        "notes/01-basics/01-first.md",
        "First Note",
        "## Code\n\n```rust\n{{#include ../../listings/demo.rs}}\n```\n\n{{#include parts/bit.md}}\n",
    );
    let srv = Server::start(&b, free_port());
    let mut ws = srv.socket();
    ws.expect("hello");
    assert!(srv.get("/first.html").1.contains("first version"));
    b.write("listings/demo.rs", "fn demo() { \"second version\" }\n");
    let m = ws.expect("reload");
    assert_eq!(m["focus"], serde_json::json!([]), "{m}");
    assert!(srv.get("/first.html").1.contains("second version"));
    b.write("notes/01-basics/parts/bit.md", "Included bit two.\n");
    ws.expect("reload");
    assert!(srv.get("/first.html").1.contains("Included bit two."));
}
