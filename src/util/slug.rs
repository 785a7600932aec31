//! Slugs: the ids and file names made from titles, tags and note file names.

/// `07-load-balancers` -> `load-balancers`.
pub(crate) fn strip_number(name: &str) -> &str {
    let rest = name.trim_start_matches(|c: char| c.is_ascii_digit());
    if rest.len() == name.len() {
        return name;
    }
    rest.strip_prefix(['-', '_', '.', ' ']).unwrap_or(rest)
}

/// The slug of a note file name: number prefix and `.md` removed.
pub(crate) fn slug_of_file(file_name: &str) -> String {
    let stem = file_name.strip_suffix(".md").unwrap_or(file_name);
    slugify(strip_number(stem))
}

/// URL-safe slug: lowercase letters and digits, runs of anything else become one `-`.
pub(crate) fn slugify(s: &str) -> String {
    if s.is_ascii() {
        slugify_ascii(s)
    } else {
        slugify_chars(s)
    }
}

/// The slug of a tag's page, `tags/<slug>.html`: the tag slugified, except that
/// `tags/index.html` is the list of every tag, so the tag `index` gets `index--tag`. No other
/// tag can have that slug: `slugify` never writes two dashes in a row.
pub(crate) fn tag_slug(tag: &str) -> String {
    match slugify(tag) {
        s if s == "index" => "index--tag".to_string(),
        s => s,
    }
}

/// `slugify` a character at a time, for any text.
fn slugify_chars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in s.chars() {
        if c.is_alphanumeric() || c == '_' {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

/// `slugify` of ASCII text, a byte at a time (tags and headings are mostly ASCII, and every
/// build slugifies every tag of every note).
fn slugify_ascii(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    let mut dash = false;
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b == b'_' {
            if dash && !out.is_empty() {
                out.push(b'-');
            }
            dash = false;
            out.push(b.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    String::from_utf8(out).expect("ASCII in, ASCII out")
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn ascii_slugs_as_the_char_by_char_path_makes_them(s in "[ -~]{0,40}") {
            proptest::prop_assert_eq!(slugify_ascii(&s), slugify_chars(&s));
        }
    }

    #[test]
    fn slugs_of_mixed_text() {
        assert_eq!(
            slugify("L4 vs. L7: Load_Balancing!"),
            "l4-vs-l7-load_balancing"
        );
        assert_eq!(slugify("  Größe & Ärger "), "größe-ärger");
    }

    #[test]
    fn the_tag_index_does_not_take_the_tag_list_page() {
        assert_eq!(tag_slug("Index"), "index--tag");
        assert_eq!(tag_slug("Load balancer"), "load-balancer");
        assert_eq!(tag_slug("index tag"), "index-tag");
        assert!(!slugify("index - - tag").contains("--"));
    }
}
