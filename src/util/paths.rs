//! Paths and URLs: relative links between notes, percent-coding, the path part of a URL.

/// Join a relative link to the folder of `from` (both relative to the book root).
pub fn resolve_relative(from: &str, link: &str) -> String {
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
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let hex = |b: u8| (b as char).to_digit(16);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A site path made safe for an `href`: spaces encoded.
pub fn encode_path(p: &str) -> String {
    p.replace(' ', "%20")
}

/// A file path made safe for a URL: bytes other than letters, digits, `-._~/` percent-encoded.
pub fn url_encode_path(path: &str) -> String {
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
pub fn url_path(url: &str) -> String {
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
