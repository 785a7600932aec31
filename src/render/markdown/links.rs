//! Links and images in a note: each destination resolved (a note, an anchor, a file, external), recorded for the link check, written with placeholders.

use super::{LinkRecord, LinkTarget, Renderer, Spanned, plain_text};
use crate::render::marker::{END, ID, NOTE_LINK, attr};
use crate::util::paths::{encode_path, percent_decode, resolve_relative};
use pulldown_cmark::Event;
use std::fmt::Write;
impl Renderer<'_> {
    /// The tag a link is written as, `<a …>` (which opens it), or an image, `<img …>`; `inner`
    /// are the events of the link's text or the image's alt text.
    pub(crate) fn link_or_image(
        &mut self,
        image: bool,
        dest: &str,
        title: &str,
        inner: &[Spanned],
        offset: usize,
    ) -> Event<'static> {
        let text = plain_text(inner);
        let target = self.link(dest, &text, offset, image);
        let mut tag = if image {
            format!(
                "<img src=\"{target}\" alt=\"{}\" loading=\"lazy\"",
                attr(&text)
            )
        } else {
            format!("<a href=\"{target}\"")
        };
        if !title.is_empty() {
            let _ = write!(tag, " title=\"{}\"", attr(title));
        }
        if !image && (target.starts_with("http://") || target.starts_with("https://")) {
            tag.push_str(" class=\"external\" rel=\"noopener\"");
        }
        tag.push('>');
        Event::Html(tag.into())
    }

    /// Resolve a link destination and return the href to write (with placeholders).
    fn link(&mut self, dest: &str, text: &str, offset: usize, is_image: bool) -> String {
        let (line, col) = self.pos(offset);
        let target = self.resolve(dest);
        let href = match &target {
            LinkTarget::Note { slug, fragment } => match fragment {
                Some(f) => format!("{NOTE_LINK}{}#{}{END}", attr(slug), attr(f)),
                None => format!("{NOTE_LINK}{}{END}", attr(slug)),
            },
            // A bare `#` means the top of the page in every view.
            LinkTarget::Anchor(f) if f.is_empty() => "#".to_string(),
            LinkTarget::Anchor(f) => format!("#{ID}{}{END}", attr(f)),
            LinkTarget::File(p) => attr(&encode_path(p)),
            LinkTarget::MissingNote(_) | LinkTarget::External(_) | LinkTarget::Other(_) => {
                attr(dest)
            }
        };
        self.links.push(LinkRecord {
            line,
            col,
            text: text.to_string(),
            dest: dest.to_string(),
            href: href.clone(),
            target,
            is_image,
        });
        href
    }

    fn resolve(&self, dest: &str) -> LinkTarget {
        let lower = dest.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            return LinkTarget::External(dest.to_string());
        }
        if dest.contains(':') && !dest.starts_with('#') && !dest.starts_with('/') {
            let scheme = &dest[..dest.find(':').unwrap_or(0)];
            if !scheme.contains('/') {
                return LinkTarget::Other(dest.to_string());
            }
        }
        if let Some(frag) = dest.strip_prefix('#') {
            return LinkTarget::Anchor(percent_decode(frag));
        }
        let (path_q, frag) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(percent_decode(f))),
            None => (dest, None),
        };
        let path = path_q.split('?').next().unwrap_or(path_q);
        let path = percent_decode(path);
        if path.ends_with(".md") {
            let resolved = resolve_relative(&self.note.rel_path, &path);
            if let Some(slug) = self.lookup.by_path.get(&resolved) {
                return LinkTarget::Note {
                    slug: slug.clone(),
                    fragment: frag,
                };
            }
            // A link may also name a note by file name alone, from any folder.
            let file = path.rsplit('/').next().unwrap_or(&path);
            let slug = crate::util::slug::slug_of_file(file);
            if self.lookup.by_slug.contains(&slug) {
                return LinkTarget::Note {
                    slug,
                    fragment: frag,
                };
            }
            return LinkTarget::MissingNote(resolved);
        }
        if path.starts_with('/') {
            // Root-absolute: kept as written; `check` reports it for sub-path hosting.
            return LinkTarget::Other(dest.to_string());
        }
        let resolved = resolve_relative(&self.note.rel_path, &path);
        // Files under static/ are copied to the output root; others keep their path.
        let out = resolved
            .strip_prefix("static/")
            .map(str::to_string)
            .unwrap_or(resolved);
        LinkTarget::File(out)
    }
}
