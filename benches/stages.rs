//! Micro-benchmarks of the build stages on the repository's own book (criterion).
//! `cargo bench --bench stages`; each stage is measured on warm caches except where named.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use handbook::book as notes;
use handbook::render::highlight::{self, FenceOptions, render_block};
use handbook::render::markdown::{Lookup, View, materialize};
use handbook::render::{diagram, markdown};
use handbook::settings::{Overrides, Settings};
use handbook::{output, site};
use std::hint::black_box;
use std::path::Path;

fn settings() -> Settings {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join("handbook-bench-stages");
    Settings::load(
        root,
        &Overrides {
            output: Some(dir),
            force: true,
            ..Default::default()
        },
    )
    .expect("book.toml")
}

fn stages(c: &mut Criterion) {
    let settings = settings();
    let book = notes::load(&settings).expect("notes");
    let lookup = Lookup::new(&book);
    let sample = &book.notes[7];
    let text = std::fs::read_to_string(settings.root.join(&sample.rel_path)).unwrap();

    c.bench_function("front matter: parse one note", |b| {
        b.iter(|| notes::parse_note("n.md", black_box(&text), "n".into(), 0).unwrap())
    });
    c.bench_function("load: walk and parse all notes", |b| {
        b.iter(|| notes::load(black_box(&settings)).unwrap())
    });
    c.bench_function("markdown: render one note (warm highlight cache)", |b| {
        b.iter(|| markdown::render(black_box(sample), &book, &lookup))
    });
    let code = "SELECT u.id, u.name, COUNT(o.id) AS orders\nFROM users u\nLEFT JOIN orders o ON o.user_id = u.id\nWHERE u.created_at > NOW() - INTERVAL '30 days'\nGROUP BY u.id, u.name;\n";
    let mut salt = 0u64;
    // A block never seen before: the per-thread line memo is emptied before each one, so every
    // line is parsed and highlighted (the grammar's regexes stay compiled).
    c.bench_function("highlight: new sql block (uncached)", |b| {
        b.iter_batched(
            || {
                highlight::forget_lines();
                salt += 1;
                format!("{code}-- {salt}\n")
            },
            |block| render_block("sql", &block, &FenceOptions::default()),
            BatchSize::PerIteration,
        )
    });
    let src = "title: Load balancer\nUsers {user}\n↓\nLoad Balancer\n↓\nServer 1 | Server 2 | Server 3\n↓\nDatabase {db}\n";
    c.bench_function("diagram: stack of 4 rows", |b| {
        b.iter(|| diagram::render(black_box(src)).unwrap())
    });
    let built = site::build(&settings).expect("build");
    c.bench_function("materialize: all-notes view of one note", |b| {
        b.iter(|| {
            materialize(
                black_box(&built.rendered[7].html),
                "load-balancers",
                View::AllNotes,
            )
        })
    });
    c.bench_function("templates: compose every page", |b| {
        b.iter(|| {
            let mut stats = site::Stats::default();
            site::compose(&settings, &book, &built.rendered, &mut stats).unwrap()
        })
    });
    c.bench_function(
        "write: staged write and swap (over the previous output)",
        |b| b.iter(|| output::write_atomically(&settings, &built.files).unwrap()),
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = stages
}
criterion_main!(benches);
