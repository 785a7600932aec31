//! The renderer's placeholders (ids, links to notes, heading levels) in a form note text cannot forge.
//!
//! A placeholder is NUL, a kind letter, its content, NUL. Note text never holds a NUL by the
//! time it is rendered: `source` replaces each with U+FFFD (as CommonMark requires, and as an
//! HTML parser would), and everything written inside a placeholder goes through `attr`, which
//! does the same. So every NUL in a rendered body is a placeholder of ours, and every other
//! character of the note (private-use ones included, which icon fonts use) comes out as written.

use crate::util::text::escape;
use std::borrow::Cow;

/// Starts an id: `ID` id `END`, written as the id in the page's view.
pub(crate) const ID: &str = "\0i";
/// Starts a link to a note: `NOTE_LINK` slug [`#` fragment] `END`.
pub(crate) const NOTE_LINK: &str = "\0n";
/// Stands for a heading's level digit: `<h` `LEVEL` 2 `END`. A note's `##` is an h2 on its own
/// page, under the page's h1 title, and an h4 on the all-notes page, under the section's h2 and
/// the note title's h3.
pub(crate) const LEVEL: &str = "\0h";
/// Fences a card's question and answer (`q`/`Q`, `a`/`A` and the card's number): read by
/// `card::collect`, written as nothing.
pub(crate) const CARD: &str = "\0c";
/// Ends every placeholder.
pub(crate) const END: char = '\0';

/// What a placeholder stands for, from the letter after its NUL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Id,
    NoteLink,
    Level,
    Card,
}

/// Note text as the renderer reads it: each NUL replaced with U+FFFD.
pub(crate) fn source(text: &str) -> Cow<'_, str> {
    if text.contains('\0') {
        Cow::Owned(text.replace('\0', "\u{FFFD}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// `s` escaped for an attribute value or text, and free of NUL (so it can sit in a placeholder).
pub(crate) fn attr(s: &str) -> String {
    let out = escape(s);
    if out.contains('\0') {
        out.replace('\0', "\u{FFFD}")
    } else {
        out
    }
}

/// The next placeholder in `s`: (byte offset of its start, its kind, its content, the rest of
/// `s` after it). Content that never ends runs to the end of `s`.
pub(crate) fn next(s: &str) -> Option<(usize, Option<Kind>, &str, &str)> {
    let at = memchr::memchr(0, s.as_bytes())?;
    let kind = match s.as_bytes().get(at + 1) {
        Some(b'i') => Some(Kind::Id),
        Some(b'n') => Some(Kind::NoteLink),
        Some(b'h') => Some(Kind::Level),
        Some(b'c') => Some(Kind::Card),
        _ => None,
    };
    // The kind letter is ASCII, so the content starts on a character boundary.
    let after = s.get(at + 1 + usize::from(kind.is_some())..).unwrap_or("");
    let end = after.find(END).unwrap_or(after.len());
    let rest = after.get(end + 1..).unwrap_or("");
    Some((at, kind, &after[..end], rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_replaces_nul_and_keeps_private_use_characters() {
        assert_eq!(source("a\0b"), "a\u{FFFD}b");
        let icons = "\u{E000}\u{E001}\u{E002}\u{E003}\u{F8FF}";
        assert!(matches!(source(icons), Cow::Borrowed(s) if s == icons));
    }

    #[test]
    fn attr_escapes_quotes_and_markup_and_drops_nul() {
        assert_eq!(attr("a\"><img\0"), "a&quot;&gt;&lt;img\u{FFFD}");
    }

    #[test]
    fn next_splits_a_placeholder() {
        let s = format!("x{ID}a-b{END}y");
        assert_eq!(next(&s), Some((1, Some(Kind::Id), "a-b", "y")));
        assert_eq!(next("plain \u{E000}x\u{E001}"), None);
        // Cut short: no panic, the content runs to the end.
        assert_eq!(next("x\0n"), Some((1, Some(Kind::NoteLink), "", "")));
        assert_eq!(next("x\0"), Some((1, None, "", "")));
    }
}
