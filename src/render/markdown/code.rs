//! Code blocks in a note: diagrams drawn, other fences highlighted with their options, mistakes reported at the fence's line.

use super::{Renderer, Spanned};
use crate::render::highlight::{self, FenceOptions};
use pulldown_cmark::{CodeBlockKind, Event};
impl Renderer<'_> {
    /// A fenced or indented code block (its inner events are the code's text) as HTML.
    pub(crate) fn code_block_event(
        &mut self,
        kind: &CodeBlockKind,
        inner: &[Spanned],
        offset: usize,
    ) -> Event<'static> {
        let code: String = inner
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Text(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let info = match kind {
            CodeBlockKind::Fenced(info) => info.as_ref(),
            CodeBlockKind::Indented => "",
        };
        Event::Html(self.code_block(info, &code, offset).into())
    }

    fn code_block(&mut self, info: &str, code: &str, offset: usize) -> String {
        let (fence_line, _) = self.pos(offset);
        let (lang, opts_src) = split_info(info);
        if lang == "diagram" {
            return match crate::render::diagram::render(code) {
                Ok(svg) => svg,
                Err(e) => {
                    self.error(fence_line + e.line, format!("diagram: {}", e.message));
                    String::new()
                }
            };
        }
        let opts = match FenceOptions::parse(opts_src) {
            Ok(o) => o,
            Err(msg) => {
                self.warn(offset, format!("code fence options ignored: {msg}"));
                FenceOptions::default()
            }
        };
        let out = highlight::render_block(lang, code, &opts);
        if out.unknown_language {
            self.warn(
                offset,
                format!(
                    "unknown code language `{lang}`: shown as plain text (known: {})",
                    highlight::common_languages()
                ),
            );
        }
        out.html
    }
}

/// `sql {hl_lines=[2]}` -> ("sql", "{hl_lines=[2]}"); also `sql,linenos`.
fn split_info(info: &str) -> (&str, &str) {
    let info = info.trim();
    let end = info
        .find(|c: char| c.is_whitespace() || c == '{' || c == ',')
        .unwrap_or(info.len());
    (&info[..end], info[end..].trim_start_matches(',').trim())
}
