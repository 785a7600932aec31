//! Benchmark for the link check that `build` runs: builds a book in memory once, then times
//! `check::internal` (build's crawl) and `check::source_only` (serve's check) several times each
//! and prints the minimum and median (a measurement, not a test).
//!
//! cargo run --release --example check_stage -- BOOK [RUNS] [FINDINGS_FILE]
//!
//! FINDINGS_FILE, if given, receives every finding of `check::internal` (one JSON object a
//! line), so two versions of the checker can be compared with `diff`.

use handbook::check;
use handbook::settings::{Overrides, Settings};
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = PathBuf::from(args.first().map(String::as_str).unwrap_or("."));
    let runs: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(5);
    let settings = Settings::load(&root, &Overrides::default()).expect("book.toml");
    let t = Instant::now();
    let site = handbook::site::build(&settings).expect("build");
    eprintln!(
        "built {} notes, {} files in memory in {:.0} ms",
        site.book.notes.len(),
        site.files.len(),
        t.elapsed().as_secs_f64() * 1000.0
    );
    let mut internal = Vec::new();
    let mut source = Vec::new();
    let mut problems = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        problems = check::internal(&settings, &site.book, &site.rendered, &site.files);
        internal.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        let s = check::source_only(&settings, &site.book, &site.rendered, &site.files);
        source.push(t.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(s);
    }
    report("check::internal (build)", &mut internal);
    report("check::source_only (serve)", &mut source);
    eprintln!("{} findings", problems.len());
    if let Some(path) = args.get(2) {
        let lines: Vec<String> = problems
            .iter()
            .map(|p| serde_json::to_string(p).expect("json"))
            .collect();
        std::fs::write(path, lines.join("\n") + "\n").expect("write findings");
    }
}

fn report(name: &str, times: &mut [f64]) {
    times.sort_by(f64::total_cmp);
    eprintln!(
        "{name:28} min {:8.1} ms  median {:8.1} ms  ({} runs)",
        times[0],
        times[times.len() / 2],
        times.len()
    );
}
