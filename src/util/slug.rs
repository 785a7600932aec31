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
