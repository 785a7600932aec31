//! Footnotes: numbered in order of first reference, ids unique in the note, definitions listed at the end with links back.

use super::Renderer;
use crate::render::marker::{END, ID, attr};
use crate::util::slug::slugify;
use pulldown_cmark::Event;
use std::collections::HashSet;
use std::fmt::Write;
impl Renderer<'_> {
    /// A footnote reference: its number, linking to the note and back.
    pub(crate) fn footnote_ref(&mut self, label: &str) -> Event<'static> {
        let n = match self.footnote_order.iter().position(|l| l == label) {
            Some(p) => p + 1,
            None => {
                self.footnote_order.push(label.to_string());
                self.footnote_order.len()
            }
        };
        let id = self.footnote_id(label);
        // A footnote cited again gets its own id (`fnref:x-2`): ids must not repeat.
        let refs = self.footnote_refs.entry(id.clone()).or_insert(0);
        *refs += 1;
        let ref_id = if *refs == 1 {
            format!("fnref:{id}")
        } else {
            let mut k = *refs;
            while self.used_ids.contains(&format!("fnref:{id}-{k}")) {
                k += 1;
            }
            let r = format!("fnref:{id}-{k}");
            self.used_ids.insert(r.clone());
            r
        };
        let (id, ref_id) = (attr(&id), attr(&ref_id));
        Event::Html(
            format!(
                "<sup class=\"fnref\"><a href=\"#{ID}fn:{id}{END}\" id=\"{ID}{ref_id}{END}\">{n}</a></sup>"
            )
            .into(),
        )
    }

    /// The id of footnote `label` (`x` in `fn:x` and `fnref:x`): its slug, or `note`, with a
    /// number added when another label or a custom heading id took it.
    fn footnote_id(&mut self, label: &str) -> String {
        if let Some(id) = self.footnote_ids.get(label) {
            return id.clone();
        }
        let slug = slugify(label);
        let base = if slug.is_empty() { "note" } else { &slug };
        let mut id = base.to_string();
        let mut n = 1;
        let taken = |ids: &HashSet<String>, id: &str| {
            ids.contains(&format!("fn:{id}")) || ids.contains(&format!("fnref:{id}"))
        };
        while taken(&self.used_ids, &id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.used_ids.insert(format!("fn:{id}"));
        self.used_ids.insert(format!("fnref:{id}"));
        self.footnote_ids.insert(label.to_string(), id.clone());
        id
    }

    pub(crate) fn push_footnotes(
        &mut self,
        html: &mut String,
        mut defs: Vec<(String, Vec<Event>)>,
    ) {
        if defs.is_empty() {
            return;
        }
        // A label defined twice keeps its first definition (as link references do): one id each.
        let mut seen = HashSet::new();
        defs.retain(|(label, _)| seen.insert(label.clone()));
        // Order by first reference; unreferenced definitions go last.
        defs.sort_by_key(|(label, _)| {
            self.footnote_order
                .iter()
                .position(|l| l == label)
                .unwrap_or(usize::MAX)
        });
        html.push_str("<section class=\"footnotes\" aria-label=\"Footnotes\"><ol>\n");
        for (label, evs) in defs {
            let id = attr(&self.footnote_id(&label));
            let _ = write!(html, "<li id=\"{ID}fn:{id}{END}\">");
            pulldown_cmark::html::push_html(html, evs.into_iter());
            let _ = writeln!(
                html,
                " <a href=\"#{ID}fnref:{id}{END}\" class=\"fn-back\" aria-label=\"Back to reference\">↩</a></li>"
            );
        }
        html.push_str("</ol></section>\n");
    }
}
