//! Builds a fixture book in this process through the library (no binary per case): fast enough
//! for property tests, and a panic in the build fails the test where it happens.

use crate::common::TestBook;
use handbook::settings::Settings;

/// The built site's files by path, or the build's error message.
pub fn build(book: &TestBook) -> Result<handbook::output::Files, String> {
    let settings =
        Settings::load(book.root(), &Default::default()).map_err(|e| format!("{e:#}"))?;
    handbook::site::build(&settings)
        .map(|site| site.files)
        .map_err(|e| format!("{e:#}"))
}

/// The built site, which must build; panics with the error otherwise.
pub fn build_ok(book: &TestBook) -> handbook::output::Files {
    build(book).unwrap_or_else(|e| panic!("build failed: {e}"))
}

/// A page of a built site as text.
pub fn page(files: &handbook::output::Files, path: &str) -> String {
    let bytes = files.get(path).unwrap_or_else(|| panic!("no {path}"));
    String::from_utf8(bytes.to_vec()).expect("pages are UTF-8")
}
