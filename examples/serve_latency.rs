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

#[path = "../tests/it/common/standalone.rs"]
mod standalone;

use standalone::{Socket, copy_tree, walk};
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
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
            copy_tree(&from, &tmp.path().join(part));
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

    let (mut ws, _head) = Socket::connect(port_used);
    ws.s.set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    let _hello = next_text(&mut ws);
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
            let m = next_text(&mut ws).expect("the server closed the socket");
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
            rss_first = handbook::site::proc_status_mib(&child.id().to_string(), "VmRSS");
        }
        std::thread::sleep(Duration::from_millis(150));
    }
    let rss_last = handbook::site::proc_status_mib(&child.id().to_string(), "VmRSS");
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

/// The next text message from the server, or `None` when the socket closed.
fn next_text(ws: &mut Socket) -> Option<String> {
    ws.next_text()
        .map(|p| String::from_utf8_lossy(&p).into_owned())
}
