//! Checks an exported file the way a browser with no network would read it: nothing fetched, every anchor found.

use super::bundle::is_remote;
use super::html::{Token, decode_entities, tokens};

/// Everything in `html` that would fail offline: fetched URLs that are not `data:`, links that
/// leave the file for a local path, and in-page anchors with no matching id.
pub(crate) fn problems(html: &str) -> Vec<String> {
    let toks = tokens(html);
    let ids = super::html::ids(&toks);
    let mut out = Vec::new();
    let mut in_style = false;
    for t in &toks {
        match t {
            Token::Text(s) => {
                if in_style {
                    out.extend(css_problems(s));
                    in_style = false;
                }
            }
            Token::Start(tag) => {
                in_style = tag.name == "style";
                for a in &tag.attrs {
                    let Some(v) = a.value.map(decode_entities) else {
                        continue;
                    };
                    let fetched = match (tag.name.as_str(), a.name.as_str()) {
                        ("a" | "area", "href") => {
                            if let Some(frag) = v.strip_prefix('#') {
                                let id = crate::util::paths::percent_decode(frag);
                                if !frag.is_empty() && !ids.contains(&id) {
                                    out.push(format!("link #{frag}: no element has id `{id}`"));
                                }
                            } else if !v.starts_with('?') && !is_remote(&v) && !is_inert(&v) {
                                out.push(format!("link {v} leaves the file for a local path"));
                            }
                            false
                        }
                        ("link", "href") => {
                            !["canonical", "alternate", "author", "license", "me", "help"]
                                .iter()
                                .any(|r| tag.rel_has(r))
                        }
                        (_, "src" | "poster" | "srcset") => true,
                        ("object", "data") => true,
                        (_, "style") => {
                            out.extend(css_problems(&v));
                            false
                        }
                        _ => false,
                    };
                    if fetched
                        && !v.trim().is_empty()
                        && !v.starts_with("data:")
                        && !v.starts_with('#')
                    {
                        out.push(format!(
                            "<{} {}=\"{}\"> would be fetched",
                            tag.name,
                            a.name,
                            clip(&v)
                        ));
                    }
                }
            }
        }
    }
    out
}

fn is_inert(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    l.starts_with("data:")
        || l.starts_with("mailto:")
        || l.starts_with("tel:")
        || l.starts_with("javascript:")
}

/// `url()` that is not `data:`/fragment, and any `@import`.
pub(crate) fn css_problems(css: &str) -> Vec<String> {
    let mut out = Vec::new();
    if css.contains("@import") {
        out.push("a stylesheet still has an @import".to_string());
    }
    for (i, _) in css.match_indices("url(") {
        let arg = css[i + 4..].trim_start().trim_start_matches(['"', '\'']);
        if !arg.starts_with("data:") && !arg.starts_with('#') {
            out.push(format!("stylesheet url({}) would be fetched", clip(arg)));
        }
    }
    out
}

fn clip(s: &str) -> String {
    s.chars().take(60).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_fetches_and_dangling_anchors() {
        let html = r##"<link rel="canonical" href="https://x/"><link rel="stylesheet" href="s.css"><style>a{background:url(x.png)}</style>
<p id="here"></p><a href="#here">ok</a><a href="#gone">bad</a><a href="?tags=x">ok</a><a href="n.html">bad</a><img src="data:image/png;base64,AA"><script src="a.js"></script>"##;
        let p = problems(html);
        assert_eq!(p.len(), 5, "{p:?}");
    }
}
