//! The all-notes page at scale and the split search index: index pieces on fixture books, and the browser test on the real book.

use crate::common::TestBook;
use std::process::Command;

#[test]
fn search_index_is_a_small_manifest_and_pieces_that_name_each_term() {
    let b = TestBook::new();
    b.write("notes/01-a/_section.toml", "title = \"A\"\n");
    b.write(
        "notes/01-a/01-one.md",
        "+++\ntitle = \"Consistent Hashing\"\ntags = [\"Kafka Streams\"]\n+++\n\nIntro text.\n\n## Virtual nodes\n\nEach server owns many points: replication follows.\n",
    );
    b.note("notes/01-a/02-two.md", "Two", "Body about quorum reads.\n");
    b.build_ok();
    let manifest = b.out("search-index.js");
    assert!(
        manifest.starts_with("window.HANDBOOK_SEARCH_INDEX={")
            && manifest.contains("\"t\":[")
            && manifest.contains("\"c\":"),
        "{manifest}"
    );
    let shard = b.out("search-index/t0.js");
    for term in [
        "\"consistent\":",
        "\"virtual\":",
        "\"replication\":",
        "\"quorum\":",
        "\"kafka\":",
    ] {
        assert!(shard.contains(term), "{term} missing from {shard}");
    }
    let notes = b.out("search-index/n0.js");
    assert!(
        notes.contains("[\"virtual-nodes\",\"Virtual nodes\",\"Each server owns many points: replication follows.\"]"),
        "{notes}"
    );
}

#[test]
fn browser_all_notes_page_and_split_search_on_the_real_book() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("site");
    let o = Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(["build", "--force", "--output"])
        .arg(&out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("run handbook");
    assert!(
        o.status.success(),
        "build failed:\n{}",
        crate::common::stderr(&o)
    );
    let site = out.to_string_lossy().into_owned();
    crate::common::browser_test("scale.test.mjs", &[site.as_str()]);
}
