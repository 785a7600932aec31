//! How much heap the link check's crawl of a built site holds (the `check` stage's share of a
//! build's peak memory), counted by a wrapping allocator: exact, unlike RSS, which depends on
//! how threads interleave. A measurement, not a test.
//!
//! cargo run --release --example crawl_memory -- BOOK

use handbook::check::Crawl;
use handbook::settings::{Overrides, Settings};
use std::alloc::{GlobalAlloc, Layout, System};
use std::path::PathBuf;
use std::sync::atomic::{AtomicIsize, Ordering};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged; only a counter is added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        LIVE.fetch_add(new as isize - l.size() as isize, Ordering::Relaxed);
        unsafe { System.realloc(p, l, new) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn mib(b: isize) -> f64 {
    b as f64 / (1024.0 * 1024.0)
}

fn main() {
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let settings = Settings::load(&root, &Overrides::default()).expect("book.toml");
    let site = handbook::site::build(&settings).expect("build");
    let before = LIVE.load(Ordering::Relaxed);
    let crawl = Crawl::new(&settings, &site.book, &site.rendered, &site.files);
    let held = LIVE.load(Ordering::Relaxed) - before;
    let problems = crawl.internal();
    println!(
        "site in memory: {:.1} MiB; the crawl holds {:.1} MiB ({} problems)",
        mib(before),
        mib(held),
        problems.len()
    );
}
