//! The arrow spellings (horizontal and vertical, plain and dashed) and finding them in a line.

use super::Flow;

/// Horizontal arrow spellings, longest first so `-->` wins over `->`.
pub(crate) const H_ARROWS: [(&str, Flow, bool); 13] = [
    ("<-->", Flow::Both, true),
    ("-->>", Flow::Forward, true),
    ("<->", Flow::Both, false),
    ("-->", Flow::Forward, true),
    ("->>", Flow::Forward, false),
    ("<--", Flow::Backward, true),
    ("->", Flow::Forward, false),
    ("<-", Flow::Backward, false),
    ("→", Flow::Forward, false),
    ("←", Flow::Backward, false),
    ("↔", Flow::Both, false),
    ("⇢", Flow::Forward, true),
    ("⇠", Flow::Backward, true),
];

/// Vertical arrow spellings for stack arrow lines (horizontal ones are accepted too).
const V_ARROWS: [(&str, Flow, bool); 9] = [
    ("↓", Flow::Forward, false),
    ("v", Flow::Forward, false),
    ("⇣", Flow::Forward, true),
    ("↑", Flow::Backward, false),
    ("^", Flow::Backward, false),
    ("⇡", Flow::Backward, true),
    ("↕", Flow::Both, false),
    ("^v", Flow::Both, false),
    ("v^", Flow::Both, false),
];

pub(crate) fn vertical_token(tok: &str) -> Option<(Flow, bool)> {
    V_ARROWS
        .iter()
        .chain(H_ARROWS.iter())
        .find(|(s, _, _)| *s == tok)
        .map(|&(_, f, d)| (f, d))
}

/// Finds the horizontal arrows of a chain: tokens preceded by whitespace and followed by
/// whitespace, `|label|` or the end. Returns (start, end, flow, dashed) byte ranges.
pub(crate) fn find_h_arrows(l: &str) -> Vec<(usize, usize, Flow, bool)> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < l.len() {
        let prev_ok = i == 0 || l[..i].ends_with(char::is_whitespace);
        if prev_ok
            && let Some(&(tok, flow, dashed)) =
                H_ARROWS.iter().find(|(tok, _, _)| l[i..].starts_with(tok))
        {
            let end = i + tok.len();
            let next_ok = end == l.len()
                || l[end..].starts_with(char::is_whitespace)
                || l[end..].starts_with('|');
            if next_ok {
                found.push((i, end, flow, dashed));
                i = end;
                continue;
            }
        }
        i += l[i..].chars().next().map_or(1, char::len_utf8);
    }
    found
}
