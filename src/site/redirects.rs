//! `[redirects]` of book.toml: a small page at each old path that sends readers to where the page lives now.

use crate::diagnostics::{ContentErrors, Diagnostic};
use crate::output::Files;
use crate::util::text::escape;
use anyhow::Result;
use std::collections::BTreeMap;

/// Add one redirect page per entry; an old path that is not a relative `.html` path, or that a
/// generated page already uses (in `files`, or `taken` though written out already), is an error
/// naming the entry.
pub(crate) fn add(
    redirects: &BTreeMap<String, String>,
    files: &mut Files,
    taken: impl Fn(&str) -> bool,
) -> Result<()> {
    let mut errors = Vec::new();
    for (from, to) in redirects {
        let from_path = from.trim_start_matches('/');
        if let Err(why) = check_from(from_path) {
            errors.push(entry_error(from, why));
            continue;
        }
        if files.contains_key(from_path) || taken(from_path) {
            errors.push(entry_error(
                from,
                "the site already has a page there; redirect only paths it no longer has".into(),
            ));
            continue;
        }
        let page = page(&target_from(from_path, to));
        files.insert(from_path.to_string(), page.into_bytes().into());
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ContentErrors(errors).into())
    }
}

fn entry_error(from: &str, why: String) -> Diagnostic {
    Diagnostic::error("book.toml", 0, 0, format!("[redirects] \"{from}\": {why}"))
}

fn check_from(from: &str) -> std::result::Result<(), String> {
    if !from.ends_with(".html") {
        return Err("old paths end in .html, like \"ch01-02-hello-world.html\"".into());
    }
    if from
        .split('/')
        .any(|p| p.is_empty() || p == "." || p == ".." || p.contains('\\'))
    {
        return Err("write the old path from the site's root, without `..`".into());
    }
    Ok(())
}

/// The target as a link from the old page: site-root paths get one `../` per folder of `from`.
fn target_from(from: &str, to: &str) -> String {
    let t = to.trim();
    if t.contains("://") || t.starts_with('#') {
        return t.to_string();
    }
    let depth = from.matches('/').count();
    format!("{}{}", "../".repeat(depth), t.trim_start_matches('/'))
}

fn page(target: &str) -> String {
    let t = escape(target);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved</title>\n<meta http-equiv=\"refresh\" content=\"0; url={t}\">\n<link rel=\"canonical\" href=\"{t}\">\n<meta name=\"robots\" content=\"noindex\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{t}\">{t}</a>.</p>\n</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_relative_to_the_old_page() {
        assert_eq!(target_from("a.html", "b.html#x"), "b.html#x");
        assert_eq!(target_from("x/y/a.html", "b.html"), "../../b.html");
        assert_eq!(target_from("x/a.html", "https://e.org/"), "https://e.org/");
        assert!(check_from("../a.html").is_err() && check_from("a.htm").is_err());
    }

    #[test]
    fn a_page_there_already_is_an_error() {
        let mut files = Files::default();
        files.insert("index.html".into(), Vec::new().into());
        let r = BTreeMap::from([("index.html".to_string(), "a.html".to_string())]);
        assert!(add(&r, &mut files, |_| false).is_err());
        // A page already written out (a one-shot build streams note pages) is there too.
        let r = BTreeMap::from([("n.html".to_string(), "a.html".to_string())]);
        assert!(add(&r, &mut files, |p| p == "n.html").is_err());
        assert!(!files.contains_key("n.html"));
        let r = BTreeMap::from([("old/x.html".to_string(), "a.html\"<".to_string())]);
        add(&r, &mut files, |_| false).unwrap();
        let page = String::from_utf8(files["old/x.html"].to_vec()).unwrap();
        assert!(page.contains("url=../a.html&quot;&lt;"), "{page}");
    }
}
