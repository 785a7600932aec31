//! Headings: each one's id (from its text or its `{#id}`, unique on the page), TOC entry, search chunk and anchor link.

use super::{Renderer, TEMPLATE_IDS, TocEntry, plain_text};
use crate::render::marker::{END, ID, LEVEL, attr};
use crate::util::slug::slugify;
use pulldown_cmark::{Event, HeadingLevel};
impl Renderer<'_> {
    pub(crate) fn heading(
        &mut self,
        level: HeadingLevel,
        custom: Option<&str>,
        inner: &[(Event, std::ops::Range<usize>)],
        offset: usize,
    ) -> Event<'static> {
        let text = plain_text(inner);
        if text.trim().is_empty() {
            self.warn(
                offset,
                "empty heading: give it text (it names the section in the contents and in search)"
                    .into(),
            );
        }
        let id = match custom.filter(|c| !c.is_empty()) {
            Some(c) => self.custom_id(c, offset),
            None => self.unique_id(&slugify(&text)),
        };
        // The note's title is its one top heading; a `#` in the body would compete with it.
        let lvl = if level == HeadingLevel::H1 {
            self.warn(
                offset,
                "`#` heading in a note body: the title comes from the front matter, so sections start at `##`; shown as `##`".into(),
            );
            2
        } else {
            level as u8
        };
        if lvl <= 3 {
            self.toc.push(TocEntry {
                level: lvl,
                id: id.clone(),
                text: text.clone(),
            });
        }
        self.chunks.push((id.clone(), String::new()));
        let id = attr(&id);
        let mut inner_html = String::new();
        pulldown_cmark::html::push_html(&mut inner_html, inner.iter().map(|(e, _)| e.clone()));
        Event::Html(
            format!(
                "<h{LEVEL}{lvl}{END} id=\"{ID}{id}{END}\">{inner_html}<a class=\"anchor\" href=\"#{ID}{id}{END}\" aria-label=\"Link to this section: {}\">#</a></h{LEVEL}{lvl}{END}>\n",
                attr(&text)
            )
            .into(),
        )
    }

    /// A heading's `{#id}`, as written unless an earlier heading or the page template has it.
    fn custom_id(&mut self, id: &str, offset: usize) -> String {
        if self.custom_ids.insert(id.to_string()) && !TEMPLATE_IDS.contains(&id) {
            return id.to_string();
        }
        let unique = self.unique_id(id);
        self.warn(
            offset,
            format!("heading id `{id}` is already used on this page: this heading gets `{unique}`"),
        );
        unique
    }
}
