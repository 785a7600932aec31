//! Build-time syntax highlighting with syntect: grammars loaded once, each token classed by its colour in the light and the dark theme, one stylesheet for both.

mod cache;
mod fence;
mod language;
mod lines;
mod theme;

use cache::cached_lines;
pub(crate) use cache::{block_cache_size, warm};
pub use fence::{FenceOptions, LineSpec};
pub(crate) use language::common_languages;
use language::{find_syntax, is_plain};
pub use lines::forget_lines;
use std::sync::{Arc, LazyLock};
use syntect::parsing::SyntaxSet;
use theme::THEMES;
pub(crate) use theme::stylesheet;

/// The grammars (two-face's bundle: syntect's defaults plus TOML, protobuf, GraphQL, HTTP...).
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// What `render_block` produced.
pub struct Block {
    pub html: String,
    pub unknown_language: bool,
}

/// Highlight a code block into classed HTML with per-line spans.
pub fn render_block(lang: &str, code: &str, opts: &FenceOptions) -> Block {
    let syntax = find_syntax(lang);
    let unknown_language = syntax.is_none() && !is_plain(lang);
    let lines: Arc<Vec<String>> = match syntax {
        Some(s) => cached_lines(s, code),
        None => Arc::new(
            code.lines()
                .map(|l| crate::util::text::escape(l).replace("&#39;", "'"))
                .collect(),
        ),
    };
    let lang_label = if lang.trim().is_empty() {
        "text"
    } else {
        lang.trim()
    };
    let lang_attr = crate::util::text::escape(lang_label);
    let mut html = String::with_capacity(code.len() * 3 + 128);
    html.push_str(&format!(
        "<div class=\"code-block\" data-lang=\"{lang_attr}\">"
    ));
    if let Some(t) = &opts.title {
        html.push_str(&format!(
            "<div class=\"code-title\"><span>{}</span></div>",
            crate::util::text::escape(t)
        ));
    }
    let mut classes = format!("hl-code language-{lang_attr}");
    if opts.linenos {
        classes.push_str(" linenos");
    }
    html.push_str(&format!("<pre class=\"{classes}\" tabindex=\"0\"><code>"));
    for (i, line) in lines.iter().enumerate() {
        let n = i + 1;
        if i > 0 {
            html.push('\n');
        }
        if opts.highlighted(n) {
            html.push_str("<span class=\"line hl\">");
        } else {
            html.push_str("<span class=\"line\">");
        }
        html.push_str(line);
        html.push_str("</span>");
    }
    html.push_str("</code></pre></div>\n");
    Block {
        html,
        unknown_language,
    }
}

/// Load the grammars and themes now (they are otherwise loaded on first use).
pub(crate) fn preload() {
    LazyLock::force(&SYNTAXES);
    LazyLock::force(&THEMES);
}

#[cfg(test)]
mod tests;
