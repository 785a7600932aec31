//! Benchmark for `handbook serve`: time from saving a note to the reload message on the
//! WebSocket, over many edits; prints median and p95 (a measurement, not a test).
//!
//! cargo build --release && cargo run --release --example serve_latency -- BOOK [EDITS]
//!
//! BOOK is copied to a temp folder first (the original is never edited); the server is the
//! release binary `target/release/handbook` (override with HANDBOOK_BIN).
//!
//! With CODE_LINES=N each save also adds a code block of N lines never seen before (what grows
//! the highlight cache); the server's resident memory after the first and the last save is
//! printed either way.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let book = PathBuf::from(args.first().map(String::as_str).unwrap_or("."));
    let edits: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(40);
    let bin = std::env::var("HANDBOOK_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/handbook"));
    assert!(
        bin.exists(),
        "{} missing: run `cargo build --release` first",
        bin.display()
    );

    let tmp = tempfile::tempdir().expect("temp folder");
    for part in ["book.toml", "notes", "templates", "static"] {
        let from = book.join(part);
        if from.exists() {
            copy(&from, &tmp.path().join(part));
        }
    }
    let mut notes: Vec<PathBuf> = walk(&tmp.path().join("notes"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    notes.sort();
    let target = notes[notes.len() / 2].clone();
    let original = std::fs::read_to_string(&target).unwrap();

    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let t = Instant::now();
    let mut child = Command::new(&bin)
        .args(["-v", "serve", "--port", &port.to_string()])
        .current_dir(tmp.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start handbook serve");
    let (tx, rx) = mpsc::channel();
    let err = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for l in BufReader::new(err).lines().map_while(Result::ok) {
            let _ = tx.send(l);
        }
    });
    let mut port_used = port;
    for l in rx.iter() {
        if let Some(rest) = l.strip_prefix("serving http://") {
            port_used = rest
                .split('/')
                .next()
                .unwrap()
                .rsplit(':')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            break;
        }
    }
    println!(
        "book: {} ({} notes), first build and start {:.1} s; editing {}",
        book.display(),
        notes.len(),
        t.elapsed().as_secs_f64(),
        target.strip_prefix(tmp.path()).unwrap().display()
    );

    let mut ws = Socket::connect(port_used);
    let _hello = ws.next();
    let code_lines: usize = std::env::var("CODE_LINES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let mut times = Vec::with_capacity(edits);
    let mut rss_first = None;
    for i in 0..edits {
        let mut text =
            format!("{original}\nLatency probe {i}: a sentence that changes on every save.\n");
        if code_lines > 0 {
            text.push_str("\n```rust\n");
            for l in 0..code_lines {
                text.push_str(&format!(
                    "let edit_{i}_line_{l} = compute({i}, {l}); // save {i}\n"
                ));
            }
            text.push_str("```\n");
        }
        let t0 = Instant::now();
        std::fs::write(&target, text).unwrap();
        loop {
            let m = ws.next().expect("the server closed the socket");
            if m.contains("\"type\":\"reload\"") {
                break;
            }
            assert!(
                !m.contains("\"type\":\"errors\""),
                "the edit failed to build: {m}"
            );
        }
        times.push(t0.elapsed().as_secs_f64() * 1000.0);
        if i == 0 {
            rss_first = rss_mib(child.id());
        }
        std::thread::sleep(Duration::from_millis(150));
    }
    let rss_last = rss_mib(child.id());
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let _ = child.wait();
    let log: Vec<String> = rx.try_iter().collect();
    stage_medians(&log);
    if let Some(l) = log.iter().rev().find(|l| l.contains("highlight cache")) {
        println!("last rebuild: {}", l.trim());
    }
    println!(
        "server memory (VmRSS): {:.1} MiB after the first save, {:.1} MiB after save {edits}",
        rss_first.unwrap_or(f64::NAN),
        rss_last.unwrap_or(f64::NAN)
    );

    times.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "save -> reload message over {} edits: median {:.1} ms, p95 {:.1} ms, min {:.1} ms, max {:.1} ms",
        times.len(),
        pct(0.5),
        pct(0.95),
        times[0],
        times[times.len() - 1]
    );
}

/// Median time per build stage, from the server's `-v` output of the rebuilds.
fn stage_medians(log: &[String]) {
    let mut stages: Vec<(String, Vec<f64>)> = Vec::new();
    for l in log.iter().skip_while(|l| !l.starts_with("rebuilt")) {
        let parts: Vec<&str> = l.split_whitespace().collect();
        if l.starts_with("  ") && parts.len() == 3 && parts[2] == "ms" {
            let Ok(v) = parts[1].parse::<f64>() else {
                continue;
            };
            match stages.iter_mut().find(|(n, _)| n == parts[0]) {
                Some((_, vs)) => vs.push(v),
                None => stages.push((parts[0].to_string(), vec![v])),
            }
        }
    }
    let line: Vec<String> = stages
        .iter_mut()
        .map(|(n, vs)| {
            vs.sort_by(|a, b| a.total_cmp(b));
            format!("{n} {:.1}", vs[vs.len() / 2])
        })
        .collect();
    println!(
        "median per stage (ms, inside the server): {}",
        line.join(", ")
    );
}

/// A process's resident memory (Linux `VmRSS`), in MiB.
fn rss_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            copy(&e.path(), &to.join(e.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Reads the server's text frames (just enough WebSocket for this).
struct Socket {
    s: TcpStream,
}

impl Socket {
    fn connect(port: u16) -> Socket {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            s,
            "GET /__handbook/ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        .unwrap();
        let mut head = Vec::new();
        let mut b = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            s.read_exact(&mut b).unwrap();
            head.push(b[0]);
        }
        s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
        Socket { s }
    }

    fn next(&mut self) -> Option<String> {
        loop {
            let mut h = [0u8; 2];
            self.s.read_exact(&mut h).ok()?;
            let mut len = (h[1] & 0x7f) as u64;
            if len == 126 {
                let mut l = [0u8; 2];
                self.s.read_exact(&mut l).ok()?;
                len = u16::from_be_bytes(l) as u64;
            } else if len == 127 {
                let mut l = [0u8; 8];
                self.s.read_exact(&mut l).ok()?;
                len = u64::from_be_bytes(l);
            }
            let mut payload = vec![0u8; len as usize];
            self.s.read_exact(&mut payload).ok()?;
            match h[0] & 0x0f {
                1 => return Some(String::from_utf8_lossy(&payload).into_owned()),
                8 => return None,
                _ => {}
            }
        }
    }
}
