//! Placeholders filled in per view: plain ids and `slug.html#id` links on a note's own page, namespaced ids and in-page links on the all-notes page.

use super::View;
use crate::render::marker::{self, Kind};

/// Fill in placeholders for one view of the note `own_slug`.
pub fn materialize(html: &str, own_slug: &str, view: View) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    materialize_into(&mut out, html, own_slug, view);
    out
}

/// `materialize`, appending to `out`.
pub(crate) fn materialize_into(out: &mut String, html: &str, own_slug: &str, view: View) {
    let mut rest = html;
    while let Some((at, kind, inner, after)) = marker::next(rest) {
        out.push_str(&rest[..at]);
        rest = after;
        match kind {
            Some(Kind::Id) => push_id(out, own_slug, inner, view),
            Some(Kind::Level) => push_level(out, inner, view),
            Some(Kind::NoteLink) => push_note_link(out, own_slug, inner, view),
            Some(Kind::Card) | None => {}
        }
    }
    out.push_str(rest);
}

/// A heading level digit: as written on the note's own page, two deeper on the all-notes page.
fn push_level(out: &mut String, level: &str, view: View) {
    let level: u8 = level.parse().unwrap_or(2);
    let shown = match view {
        View::NotePage => level,
        View::AllNotes => level.saturating_add(2),
    };
    out.push(char::from(b'0' + shown.clamp(1, 6)));
}

/// The href of a link to note `slug#fragment` (fragment optional) from note `own_slug`.
fn push_note_link(out: &mut String, own_slug: &str, inner: &str, view: View) {
    let (slug, frag) = match inner.split_once('#') {
        Some((s, f)) => (s, Some(f)),
        None => (inner, None),
    };
    match view {
        View::NotePage => {
            if slug != own_slug || frag.is_none() {
                out.push_str(slug);
                out.push_str(".html");
            }
            if let Some(f) = frag {
                out.push('#');
                out.push_str(f);
            }
        }
        View::AllNotes => {
            out.push('#');
            match frag {
                Some(f) => push_id(out, slug, f, view),
                None => out.push_str(slug),
            }
        }
    }
}

fn push_id(out: &mut String, slug: &str, id: &str, view: View) {
    if view == View::AllNotes {
        out.push_str(slug);
        out.push_str("--");
    }
    out.push_str(id);
}
