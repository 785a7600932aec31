//! The benchmark scripts' own tests: the peer comparison's SVG plot (Python, stdlib unittest).

use crate::common::stdout_and_stderr;
use std::path::Path;
use std::process::Command;

#[test]
fn the_peer_comparison_plot_passes_its_python_tests() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = Command::new("python3")
        .args(["-m", "unittest", "-v", "benches/test_compare.py"])
        .current_dir(dir)
        .output()
        .expect("python3 is installed");
    let out = stdout_and_stderr(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("\nOK"), "{out}");
}
