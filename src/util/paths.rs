//! Paths and URLs: relative links between notes, percent-coding, the path part of a URL.

/// Join a relative link to the folder of `from` (both relative to the book root).
pub(crate) fn resolve_relative(from: &str, link: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// `%XX` escapes decoded (invalid UTF-8 replaced).
pub(crate) fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// A site path made safe for an `href`: spaces encoded.
pub(crate) fn encode_path(p: &str) -> String {
    p.replace(' ', "%20")
}

/// A file path made safe for a URL: bytes other than letters, digits, `-._~/` percent-encoded.
pub(crate) fn url_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The path part of a URL (`https://x.io/handbook/` -> `/handbook/`).
pub(crate) fn url_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn note_paths_are_percent_encoded_for_edit_links() {
        assert_eq!(
            url_encode_path("notes/01-a/02-b_c.d~e.md"),
            "notes/01-a/02-b_c.d~e.md"
        );
        assert_eq!(
            url_encode_path("notes/01 a/ü#?.md"),
            "notes/01%20a/%C3%BC%23%3F.md"
        );
    }
}
