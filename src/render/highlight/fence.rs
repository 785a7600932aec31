//! The options an author writes after a fence's language (`{hl_lines=[2,"4-5"], linenos, title="…"}`), parsed and checked.

use serde::Deserialize;

/// Options an author can put after the language: `sql {hl_lines=[2,"4-5"], linenos=true, title="schema.sql"}`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FenceOptions {
    #[serde(default)]
    pub hl_lines: Vec<LineSpec>,
    #[serde(default)]
    pub linenos: bool,
    #[serde(default)]
    pub title: Option<String>,
}

/// A line number or an inclusive `"4-5"` range.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum LineSpec {
    One(usize),
    Range(String),
}

impl FenceOptions {
    /// Parse the text after the language. Accepts `{a=1, b=2}`, `{a=1 b=2}` and bare flags (`linenos`).
    pub(crate) fn parse(src: &str) -> Result<FenceOptions, String> {
        let s = src.trim();
        if s.is_empty() {
            return Ok(FenceOptions::default());
        }
        let inner = s
            .strip_prefix('{')
            .and_then(|r| r.strip_suffix('}'))
            .unwrap_or(s);
        let mut table = String::new();
        for item in split_top_level(inner) {
            if item.contains('=') {
                table.push_str(&item);
            } else {
                table.push_str(&format!("{item} = true"));
            }
            table.push('\n');
        }
        let opts: FenceOptions = toml::from_str(&table).map_err(|e| {
            let m = e.message().replace("unknown field", "unknown option");
            format!("{m} (allowed: hl_lines=[2, \"4-5\"], linenos, title=\"file.sql\")")
        })?;
        for spec in &opts.hl_lines {
            if let LineSpec::Range(r) = spec {
                parse_range(r)
                    .ok_or_else(|| format!("hl_lines range `{r}` must look like \"4-5\""))?;
            }
        }
        Ok(opts)
    }

    pub(crate) fn highlighted(&self, line: usize) -> bool {
        self.hl_lines.iter().any(|s| match s {
            LineSpec::One(n) => *n == line,
            LineSpec::Range(r) => parse_range(r).is_some_and(|(a, b)| (a..=b).contains(&line)),
        })
    }
}

fn parse_range(r: &str) -> Option<(usize, usize)> {
    let (a, b) = r.split_once('-')?;
    let (a, b) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (a <= b).then_some((a, b))
}

/// Split on commas or spaces that are outside quotes and brackets.
fn split_top_level(s: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut cur = String::new();
    let (mut depth, mut quote) = (0i32, None::<char>);
    for c in s.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                cur.push(c)
            }
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                cur.push(c)
            }
            (None, '[') => {
                depth += 1;
                cur.push(c)
            }
            (None, ']') => {
                depth -= 1;
                cur.push(c)
            }
            (None, ',' | ' ' | '\t') if depth == 0 => {
                if !cur.trim().is_empty() {
                    items.push(cur.trim().to_string());
                }
                cur.clear();
            }
            (None, c) => cur.push(c),
        }
    }
    if !cur.trim().is_empty() {
        items.push(cur.trim().to_string());
    }
    // Rejoin `key = value` split on spaces around `=`.
    let mut joined: Vec<String> = Vec::new();
    for it in items {
        match joined.last_mut() {
            Some(last) if last.ends_with('=') || it.starts_with('=') => last.push_str(&it),
            _ => joined.push(it),
        }
    }
    joined
}
