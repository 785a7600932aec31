//! Build-time syntax highlighting with syntect: grammars loaded once, classed HTML, one light+dark stylesheet.

use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use syntect::highlighting::Theme;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The grammars (two-face's bundle: syntect's defaults plus TOML, protobuf, GraphQL, HTTP...).
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// Highlighted lines keyed by (language, code): identical blocks are highlighted once per process.
type LineCache = HashMap<(String, String), Arc<Vec<String>>>;
static CACHE: LazyLock<Mutex<LineCache>> = LazyLock::new(|| Mutex::new(HashMap::new()));

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
    pub fn parse(src: &str) -> Result<FenceOptions, String> {
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

    fn highlighted(&self, line: usize) -> bool {
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

/// What `render_block` produced.
pub struct Block {
    pub html: String,
    pub unknown_language: bool,
}

/// Names an author may write for a language, mapped to a name syntect knows.
fn canonical(lang: &str) -> Option<&str> {
    let l = lang.trim();
    Some(match l.to_ascii_lowercase().as_str() {
        "" | "text" | "txt" | "plain" | "plaintext" | "none" => return None,
        "js" | "javascript" | "mjs" | "node" => "js",
        "ts" | "typescript" => "ts",
        "py" | "python" | "python3" => "py",
        "sh" | "bash" | "shell" | "zsh" | "console" | "shellsession" => "sh",
        "proto" | "protobuf" | "proto3" => "proto",
        "gql" | "graphql" => "graphql",
        "yml" | "yaml" => "yaml",
        "rs" | "rust" => "rs",
        "golang" | "go" => "go",
        "http" | "https" => "http",
        "json" | "jsonc" | "json5" => "json",
        "sql" | "postgresql" | "postgres" | "mysql" => "sql",
        "dockerfile" | "docker" => "Dockerfile",
        "nginx" => "nginx",
        "diff" | "patch" => "diff",
        _ => l,
    })
}

fn find_syntax(lang: &str) -> Option<&'static SyntaxReference> {
    let name = canonical(lang)?;
    let ss: &'static SyntaxSet = &SYNTAXES;
    ss.find_syntax_by_token(name)
        .or_else(|| ss.find_syntax_by_name(name))
        .or_else(|| ss.find_syntax_by_extension(&name.to_ascii_lowercase()))
}

/// Whether `lang` is plain text on purpose (no warning) rather than unknown.
fn is_plain(lang: &str) -> bool {
    canonical(lang).is_none()
}

/// Languages listed in warnings, so authors know what to write.
pub fn common_languages() -> &'static str {
    "sql, python/py, javascript/js, typescript/ts, json, http, lua, protobuf/proto, graphql/gql, bash/sh, yaml, toml, rust, go, java, html, css, diff, text"
}

/// Highlight a code block into classed HTML with per-line spans.
pub fn render_block(lang: &str, code: &str, opts: &FenceOptions) -> Block {
    let syntax = find_syntax(lang);
    let unknown_language = syntax.is_none() && !is_plain(lang);
    let lines: Arc<Vec<String>> = match syntax {
        Some(s) => cached_lines(s, code),
        None => Arc::new(
            code.lines()
                .map(|l| crate::markdown::escape(l).replace("&#39;", "'"))
                .collect(),
        ),
    };
    let lang_label = if lang.trim().is_empty() {
        "text"
    } else {
        lang.trim()
    };
    let lang_attr = crate::markdown::escape(lang_label);
    let mut html = String::with_capacity(code.len() * 3 + 128);
    html.push_str(&format!(
        "<div class=\"code-block\" data-lang=\"{lang_attr}\">"
    ));
    if let Some(t) = &opts.title {
        html.push_str(&format!(
            "<div class=\"code-title\"><span>{}</span></div>",
            crate::markdown::escape(t)
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

fn cached_lines(syntax: &'static SyntaxReference, code: &str) -> Arc<Vec<String>> {
    let key = (syntax.name.clone(), code.to_string());
    if let Some(hit) = CACHE.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return hit;
    }
    let lines = Arc::new(highlight_lines(syntax, code));
    if let Ok(mut c) = CACHE.lock() {
        c.insert(key, lines.clone());
    }
    lines
}

fn highlight_lines(syntax: &SyntaxReference, code: &str) -> Vec<String> {
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            // A grammar failure should never lose the code: fall back to plain text.
            return code.lines().map(crate::markdown::escape).collect();
        }
    }
    split_balanced(&generator.finalize())
}

/// Split highlighted HTML at newlines, closing open spans at each line end and reopening them after.
fn split_balanced(html: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut open: Vec<&str> = Vec::new();
    let mut cur = String::new();
    let mut rest = html;
    while !rest.is_empty() {
        if rest.starts_with("<span") {
            let end = rest.find('>').map(|i| i + 1).unwrap_or(rest.len());
            open.push(&rest[..end]);
            cur.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if rest.starts_with("</span>") {
            open.pop();
            cur.push_str("</span>");
            rest = &rest[7..];
        } else if rest.starts_with('\n') {
            for _ in &open {
                cur.push_str("</span>");
            }
            lines.push(std::mem::take(&mut cur));
            for o in &open {
                cur.push_str(o);
            }
            rest = &rest[1..];
        } else {
            let next = rest.find(['<', '\n']).unwrap_or(rest.len());
            let next = if next == 0 { 1 } else { next };
            cur.push_str(&rest[..next]);
            rest = &rest[next..];
        }
    }
    // Drop the empty tail after the final newline (only closing spans left).
    if !strip_tags(&cur).is_empty() {
        lines.push(cur);
    }
    lines
}

fn strip_tags(s: &str) -> String {
    crate::markdown::strip_tags(s)
}

fn theme(name: two_face::theme::EmbeddedThemeName) -> Theme {
    two_face::theme::extra().get(name).clone()
}

/// One stylesheet with the light theme by default and the dark one under the theme switch
/// and `prefers-color-scheme`.
pub fn stylesheet() -> String {
    use two_face::theme::EmbeddedThemeName as T;
    let light =
        css_for_theme_with_class_style(&theme(T::ColdarkCold), CLASS_STYLE).unwrap_or_default();
    let dark =
        css_for_theme_with_class_style(&theme(T::ColdarkDark), CLASS_STYLE).unwrap_or_default();
    let mut out = String::from(
        "/* Code highlighting: Coldark Cold (light) and Coldark Dark, generated by handbook. */\n",
    );
    out.push_str(&scope_rules(&light, ""));
    out.push_str(&scope_rules(&dark, ":root[data-theme=\"dark\"] "));
    out.push_str("@media (prefers-color-scheme: dark) {\n");
    out.push_str(&scope_rules(&dark, ":root:not([data-theme=\"light\"]) "));
    out.push_str("}\n");
    out
}

/// Prefix every selector of a flat stylesheet with `scope`, dropping comments.
fn scope_rules(css: &str, scope: &str) -> String {
    let mut out = String::new();
    let mut rest = strip_comments(css);
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| c + open) else {
            break;
        };
        let selectors = rest[..open].trim();
        let body = rest[open + 1..close].trim();
        let scoped: Vec<String> = selectors
            .split(',')
            .map(|s| format!("{scope}{}", s.trim()))
            .collect();
        // Keep the page's own code-block background; take the theme's text colour.
        let body = if selectors.trim() == ".hl-code" {
            body.lines()
                .filter(|l| !l.contains("background"))
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            body.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        out.push_str(&format!("{} {{ {} }}\n", scoped.join(", "), body));
        rest = rest[close + 1..].to_string();
    }
    out
}

fn strip_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find("/*") {
        out.push_str(&rest[..i]);
        rest = rest[i..]
            .find("*/")
            .map(|j| &rest[i + j + 2..])
            .unwrap_or("");
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(lang: &str, code: &str) -> Block {
        render_block(lang, code, &FenceOptions::default())
    }

    #[test]
    fn every_language_the_notes_use_is_highlighted() {
        let samples = [
            ("sql", "SELECT id FROM users WHERE id = 1;"),
            ("python", "def f(x):\n    return x + 1"),
            ("py", "import os"),
            ("javascript", "const x = () => 42;"),
            ("js", "let y = 'a';"),
            ("json", "{\"a\": [1, true]}"),
            ("http", "GET /api/users HTTP/1.1\nHost: example.com"),
            ("lua", "local x = redis.call('GET', KEYS[1])"),
            ("protobuf", "message User { string name = 1; }"),
            ("proto", "syntax = \"proto3\";"),
            ("graphql", "query { user(id: 1) { name } }"),
            ("gql", "type User { id: ID! }"),
            ("bash", "echo \"$HOME\" | grep x"),
            ("sh", "ls -la"),
            ("yaml", "key: value\nlist:\n  - a"),
            ("toml", "[book]\ntitle = \"x\""),
            ("rust", "fn main() { let x = 1; }"),
            ("go", "func main() { fmt.Println(1) }"),
            ("diff", "- old\n+ new"),
        ];
        for (lang, code) in samples {
            let b = spans(lang, code);
            assert!(!b.unknown_language, "{lang} unknown");
            assert!(
                b.html.contains("<span class=\"hl-"),
                "{lang} not highlighted: {}",
                b.html
            );
        }
    }

    #[test]
    fn unknown_and_plain_languages_fall_back_to_escaped_text() {
        let b = spans("klingon", "<b>&</b>");
        assert!(b.unknown_language);
        assert!(b.html.contains("&lt;b&gt;&amp;&lt;/b&gt;"));
        let b = spans("text", "a < b");
        assert!(!b.unknown_language);
        assert!(b.html.contains("a &lt; b"));
        assert!(!spans("", "x").unknown_language);
    }

    #[test]
    fn html_inside_code_is_escaped() {
        let b = spans("javascript", "el.innerHTML = '<script>alert(1)</script>';");
        assert!(!b.html.contains("<script>"));
    }

    #[test]
    fn fence_options_parse_and_mark_lines() {
        let o =
            FenceOptions::parse("{hl_lines=[2,\"4-5\"], linenos=true, title=\"q.sql\"}").unwrap();
        assert!(o.linenos && o.highlighted(2) && o.highlighted(5) && !o.highlighted(3));
        let o2 = FenceOptions::parse("{hl_lines=[1] linenos}").unwrap();
        assert!(o2.linenos && o2.highlighted(1));
        assert!(
            FenceOptions::parse("{colour=1}")
                .unwrap_err()
                .contains("unknown option")
        );
        let b = render_block("sql", "a\nb\nc", &o);
        assert_eq!(b.html.matches("line hl").count(), 1);
        assert!(b.html.contains("code-title") && b.html.contains("linenos"));
    }

    #[test]
    fn lines_stay_balanced() {
        let b = spans("python", "s = \"\"\"multi\nline\nstring\"\"\"\nx = 1");
        for line in b.html.split('\n') {
            assert_eq!(
                line.matches("<span").count(),
                line.matches("</span>").count(),
                "{line}"
            );
        }
    }

    #[test]
    fn stylesheet_has_light_and_dark() {
        let css = stylesheet();
        assert!(css.contains(":root[data-theme=\"dark\"] .hl-"));
        assert!(css.contains("prefers-color-scheme: dark"));
        assert!(css.contains(".hl-keyword") || css.contains(".hl-storage"));
    }
}
