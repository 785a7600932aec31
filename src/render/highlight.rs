//! Build-time syntax highlighting with syntect: grammars loaded once, each token classed by its colour in the light and the dark theme, one stylesheet for both.

use super::bounded_cache::BoundedCache;
use serde::Deserialize;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::{Arc, LazyLock, Mutex};
use syntect::highlighting::{Color, FontStyle, Highlighter, Style, Theme};
use syntect::parsing::{ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// The grammars (two-face's bundle: syntect's defaults plus TOML, protobuf, GraphQL, HTTP...).
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// Highlighted lines keyed by (language, code): identical blocks are highlighted once per
/// process. Bounded, so a long `serve` session that keeps editing code blocks does not grow it
/// without end; the budget holds the blocks of a 5,000-note book several times over (the
/// generated 5,000-note corpus fills 5 MiB, this book 153 KiB).
type LineCache = BoundedCache<(String, String), Arc<Vec<String>>>;
static CACHE: LazyLock<Mutex<LineCache>> =
    LazyLock::new(|| Mutex::new(BoundedCache::new(CACHE_BUDGET)));

/// Bytes of code and highlighted HTML the block cache holds at most (both generations).
const CACHE_BUDGET: usize = 32 << 20;

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
        // HTML templates (mdBook's theme files are Handlebars): highlighted as the HTML they are.
        "hbs" | "handlebars" | "mustache" => "html",
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
pub(crate) fn common_languages() -> &'static str {
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

/// Highlight ahead of rendering every fenced block found in `sources` (Markdown), in parallel,
/// into the block cache, so that the render finds them done. Blocks are grouped by language:
/// the first use of a grammar compiles its regexes, and two threads starting on different
/// grammars compile at the same time instead of one waiting for the other.
pub(crate) fn warm<'a>(sources: impl rayon::iter::ParallelIterator<Item = &'a str>) {
    use rayon::prelude::*;
    let mut blocks: Vec<(&'static SyntaxReference, String)> = sources
        .flat_map_iter(fenced_blocks)
        .filter_map(|(lang, code)| Some((find_syntax(lang)?, code)))
        .collect();
    blocks.sort_by(|a, b| (&a.0.name, &a.1).cmp(&(&b.0.name, &b.1)));
    blocks.dedup_by(|a, b| a.0.name == b.0.name && a.1 == b.1);
    blocks.par_iter().for_each(|(syntax, code)| {
        cached_lines(syntax, code);
    });
}

/// The fenced code blocks of a Markdown text, as (language, code), found line by line: fences
/// at the start of a line or indented (list items); what this misses is highlighted during
/// the render as usual. Diagrams are left out.
fn fenced_blocks(src: &str) -> Vec<(&str, String)> {
    let mut out = Vec::new();
    let mut lines = src.split_inclusive('\n');
    while let Some(line) = lines.next() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let t = &line[indent..];
        let fence_char = match t.as_bytes().first() {
            Some(b'`') => '`',
            Some(b'~') => '~',
            _ => continue,
        };
        let n = t.len() - t.trim_start_matches(fence_char).len();
        if n < 3 {
            continue;
        }
        let info = t[n..].trim();
        if fence_char == '`' && info.contains('`') {
            continue;
        }
        let lang = info
            .split(|c: char| c.is_whitespace() || c == '{' || c == ',')
            .next()
            .unwrap_or("");
        let mut code = String::new();
        for l in lines.by_ref() {
            let li = l.len() - l.trim_start_matches(' ').len();
            let lt = &l[li..];
            let close = lt.len() - lt.trim_start_matches(fence_char).len();
            if close >= n && lt[close..].trim().is_empty() {
                break;
            }
            code.push_str(&l[li.min(indent)..]);
        }
        if !lang.is_empty() && lang != "diagram" {
            out.push((lang, code));
        }
    }
    out
}

fn cached_lines(syntax: &'static SyntaxReference, code: &str) -> Arc<Vec<String>> {
    let key = (syntax.name.clone(), code.to_string());
    if let Some(hit) = CACHE.lock().ok().and_then(|mut c| c.get(&key)) {
        return hit;
    }
    let lines = Arc::new(highlight_lines(syntax, code));
    // What the entry costs: the key, each line's text and its `String`, the map's slot.
    let size = key.0.len() + key.1.len() + lines.iter().map(|l| l.len() + 24).sum::<usize>() + 96;
    if let Ok(mut c) = CACHE.lock() {
        c.insert(key, lines.clone(), size);
    }
    lines
}

/// The highlighted-block cache's size: (blocks, bytes counted against its budget).
pub(crate) fn block_cache_size() -> (usize, usize) {
    CACHE.lock().map_or((0, 0), |c| (c.len(), c.bytes()))
}

fn highlight_lines(syntax: &'static SyntaxReference, code: &str) -> Vec<String> {
    let mut state = LineState {
        parse: ParseState::new(syntax),
        stack: ScopeStack::new(),
    };
    let mut lines = Vec::new();
    for line in LinesWithEndings::from(code) {
        if let Some(html) = LINE_MEMO.with(|m| m.borrow().replay(syntax, line, &mut state)) {
            lines.push(html);
            continue;
        }
        // A line seen for the first time is only counted: its states are cloned and kept from
        // its second sighting on.
        let before = LINE_MEMO
            .with(|m| m.borrow_mut().seen_again(syntax, line))
            .then(|| state.clone());
        let Some(html) = state
            .parse
            .parse_line(line, &SYNTAXES)
            .ok()
            .and_then(|ops| line_html(line, &ops, &mut state.stack))
        else {
            // A grammar failure should never lose the code: fall back to plain text.
            return code.lines().map(crate::util::text::escape).collect();
        };
        if let Some(before) = before {
            LINE_MEMO.with(|m| {
                m.borrow_mut()
                    .record(syntax, line, before, html.clone(), state.clone())
            });
        }
        lines.push(html);
    }
    lines
}

/// Where the highlighter is between two lines: the grammar's parse state and the scopes open.
#[derive(Clone, PartialEq)]
struct LineState {
    parse: ParseState,
    stack: ScopeStack,
}

/// Lines already highlighted, by text: the same line in the same state always gives the same
/// HTML and the same next state, so a repeated line (`}`, a blank line, a common header or
/// import) is not parsed again. One per thread, so threads never wait for each other.
#[derive(Default)]
struct LineMemo {
    lines: HashMap<String, Vec<MemoEntry>>,
    entries: usize,
    /// Hashes of lines seen once: a line is kept only when it comes again, so lines that
    /// never repeat cost a hash, not two parser states.
    seen: std::collections::HashSet<u64>,
}

struct MemoEntry {
    syntax: *const SyntaxReference,
    before: LineState,
    html: String,
    after: LineState,
}

/// Lines kept per thread before the memo starts over (bounds its memory on huge books).
const MEMO_LINES: usize = 50_000;
/// States kept per distinct line text.
const MEMO_STATES: usize = 4;

impl LineMemo {
    fn replay(
        &self,
        syntax: &'static SyntaxReference,
        line: &str,
        state: &mut LineState,
    ) -> Option<String> {
        let e = self
            .lines
            .get(line)?
            .iter()
            .find(|e| std::ptr::eq(e.syntax, syntax) && e.before == *state)?;
        *state = e.after.clone();
        Some(e.html.clone())
    }

    /// Count a sighting of `line`; true when it was seen before (then it is worth keeping).
    fn seen_again(&mut self, syntax: &'static SyntaxReference, line: &str) -> bool {
        if self.entries >= MEMO_LINES || self.seen.len() >= 8 * MEMO_LINES {
            *self = LineMemo::default();
        }
        let h = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (syntax as *const SyntaxReference as usize, line).hash(&mut h);
            h.finish()
        };
        !self.seen.insert(h)
    }

    fn record(
        &mut self,
        syntax: &'static SyntaxReference,
        line: &str,
        before: LineState,
        html: String,
        after: LineState,
    ) {
        let slot = self.lines.entry(line.to_string()).or_default();
        if slot.len() < MEMO_STATES {
            slot.push(MemoEntry {
                syntax,
                before,
                html,
                after,
            });
            self.entries += 1;
        }
    }
}

/// Drop every thread's line memo (a one-shot build needs the memory more than the memo): the
/// pool's threads' and the caller's, which may be outside the pool.
pub fn forget_lines() {
    let forget = || LINE_MEMO.with(|m| *m.borrow_mut() = LineMemo::default());
    forget();
    rayon::broadcast(|_| forget());
}

thread_local! {
    static LINE_MEMO: std::cell::RefCell<LineMemo> = std::cell::RefCell::new(LineMemo::default());
}

/// One line's HTML from the grammar's scope changes: a span per run of text with the same
/// classes, none for text in the default colours. `stack` holds the scopes open before the
/// line and is left with those open after it; `None` if the grammar gave an impossible change.
fn line_html(line: &str, ops: &[(usize, ScopeStackOp)], stack: &mut ScopeStack) -> Option<String> {
    // Runs of text with the same classes, as (classes, start, end) in `line`.
    let mut runs: Vec<(Option<Rc<str>>, usize, usize)> = Vec::new();
    let mut push = |class: Option<Rc<str>>, start: usize, end: usize| {
        if start == end {
            return;
        }
        match runs.last_mut() {
            Some(last) if last.0 == class => last.2 = end,
            _ => runs.push((class, start, end)),
        }
    };
    let mut at = 0;
    let mut class = classes_for(stack);
    for (pos, op) in ops {
        push(class, at, *pos);
        at = *pos;
        stack.apply(op).ok()?;
        class = classes_for(stack);
    }
    push(class, at, line.len());
    let mut out = String::with_capacity(line.len() * 2);
    for (class, start, end) in runs {
        let text = crate::util::text::escape(line[start..end].trim_end_matches(['\n', '\r']));
        if text.is_empty() {
            continue;
        }
        match class {
            Some(class) => {
                out.push_str("<span class=\"");
                out.push_str(&class);
                out.push_str("\">");
                out.push_str(&text);
                out.push_str("</span>");
            }
            None => out.push_str(&text),
        }
    }
    Some(out)
}

/// The classes for text under `stack`, computed once per distinct stack and thread.
fn classes_for(stack: &ScopeStack) -> Option<Rc<str>> {
    thread_local! {
        static CLASSES: std::cell::RefCell<HashMap<Vec<Scope>, Option<Rc<str>>>> =
            std::cell::RefCell::new(HashMap::new());
    }
    CLASSES.with(|c| {
        if let Some(hit) = c.borrow().get(stack.as_slice()) {
            return hit.clone();
        }
        let themes = &*THEMES;
        let style = |p: &Palette| {
            if stack.is_empty() {
                // What syntect's own iterator gives text outside every scope.
                Style::default()
            } else {
                p.highlighter.style_for_stack(stack.as_slice())
            }
        };
        let class: Option<Rc<str>> = themes
            .class(style(&themes.light), style(&themes.dark))
            .map(Rc::from);
        c.borrow_mut()
            .insert(stack.as_slice().to_vec(), class.clone());
        class
    })
}

/// A theme, its highlighter, and its palette: every colour its rules can give, in a fixed order,
/// so a token's class names the colour by position (`l3`, `d7`), the same on every build.
struct Palette {
    highlighter: Highlighter<'static>,
    colors: Vec<Color>,
    default: Style,
}

impl Palette {
    fn new(theme: &'static Theme) -> Palette {
        let highlighter = Highlighter::new(theme);
        let default = highlighter.get_default();
        let mut colors: Vec<Color> = theme
            .scopes
            .iter()
            .filter_map(|item| item.style.foreground)
            .chain([default.foreground])
            .collect();
        colors.sort_by_key(|c| (c.r, c.g, c.b, c.a));
        colors.dedup();
        Palette {
            highlighter,
            colors,
            default,
        }
    }

    fn index(&self, c: Color) -> usize {
        self.colors
            .iter()
            .position(|&p| p == c)
            .or_else(|| {
                self.colors
                    .iter()
                    .position(|&p| p == self.default.foreground)
            })
            .unwrap_or(0)
    }

    fn is_plain(&self, s: Style) -> bool {
        s.foreground == self.default.foreground && s.font_style.is_empty()
    }
}

/// The light and the dark theme.
struct Themes {
    light: Palette,
    dark: Palette,
}

impl Themes {
    /// Classes for a token: its colour in both themes (`l3 d7`) and its font style per theme
    /// (`li`, `db`...), or `None` when both themes show it as plain text.
    fn class(&self, light: Style, dark: Style) -> Option<String> {
        if self.light.is_plain(light) && self.dark.is_plain(dark) {
            return None;
        }
        let mut c = format!(
            "l{} d{}",
            self.light.index(light.foreground),
            self.dark.index(dark.foreground)
        );
        for (prefix, style) in [('l', light), ('d', dark)] {
            for (flag, letter) in FONT_FLAGS {
                if style.font_style.contains(flag) {
                    c.push(' ');
                    c.push(prefix);
                    c.push(letter);
                }
            }
        }
        Some(c)
    }
}

const FONT_FLAGS: [(FontStyle, char); 3] = [
    (FontStyle::BOLD, 'b'),
    (FontStyle::ITALIC, 'i'),
    (FontStyle::UNDERLINE, 'u'),
];

static THEME_SET: LazyLock<(Theme, Theme)> = LazyLock::new(|| {
    use two_face::theme::EmbeddedThemeName as T;
    let set = two_face::theme::extra();
    (
        set.get(T::ColdarkCold).clone(),
        set.get(T::ColdarkDark).clone(),
    )
});

static THEMES: LazyLock<Themes> = LazyLock::new(|| Themes {
    light: Palette::new(&THEME_SET.0),
    dark: Palette::new(&THEME_SET.1),
});

fn css_color(c: Color) -> String {
    if c.a == 0xff {
        format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b)
    } else {
        format!("#{:02x}{:02x}{:02x}{:02x}", c.r, c.g, c.b, c.a)
    }
}

/// Rules for one theme's classes (`prefix` `l` or `d`) under the CSS selector `scope`; `reset`
/// first cancels the other theme's font styles.
fn palette_rules(p: &Palette, prefix: char, scope: &str, reset: bool) -> String {
    let mut out = format!(
        "{scope}.hl-code {{ color: {} }}\n",
        css_color(p.default.foreground)
    );
    if reset {
        out.push_str(&format!(
            "{scope}.hl-code .lb {{ font-weight: inherit }} {scope}.hl-code .li {{ font-style: inherit }} {scope}.hl-code .lu {{ text-decoration: inherit }}\n"
        ));
    }
    for (i, &c) in p.colors.iter().enumerate() {
        out.push_str(&format!(
            "{scope}.hl-code .{prefix}{i} {{ color: {} }}\n",
            css_color(c)
        ));
    }
    out.push_str(&format!(
        "{scope}.hl-code .{prefix}b {{ font-weight: bold }} {scope}.hl-code .{prefix}i {{ font-style: italic }} {scope}.hl-code .{prefix}u {{ text-decoration: underline }}\n"
    ));
    out
}

/// One stylesheet with the light theme by default and the dark one under the theme switch
/// and `prefers-color-scheme`.
pub(crate) fn stylesheet() -> String {
    let themes = &*THEMES;
    let mut out = String::from(
        "/* Code highlighting: Coldark Cold (light) and Coldark Dark, generated by handbook. */\n",
    );
    out.push_str(&palette_rules(&themes.light, 'l', "", false));
    out.push_str(&palette_rules(
        &themes.dark,
        'd',
        ":root[data-theme=\"dark\"] ",
        true,
    ));
    out.push_str("@media (prefers-color-scheme: dark) {\n");
    out.push_str(&palette_rules(
        &themes.dark,
        'd',
        ":root:not([data-theme=\"light\"]) ",
        true,
    ));
    out.push_str("}\n");
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
            ("hbs", "<p class=\"x\">{{ title }}</p>"),
            (
                "handlebars",
                "<ul>{{#each items}}<li>{{this}}</li>{{/each}}</ul>",
            ),
        ];
        for (lang, code) in samples {
            let b = spans(lang, code);
            assert!(!b.unknown_language, "{lang} unknown");
            assert!(
                b.html.contains("<span class=\"l"),
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
        assert!(css.contains(":root[data-theme=\"dark\"] .hl-code .d0 { color: #"));
        assert!(css.contains("prefers-color-scheme: dark"));
        assert!(css.contains(".hl-code .l0 { color: #"));
        // Every class a token can carry has a rule in both themes.
        let b = spans("python", "# note\ndef f(x):\n    return 'a' + 1");
        let code = &b.html[b.html.find("<code>").unwrap()..];
        for class in code.split("class=\"").skip(1) {
            for c in class[..class.find('"').unwrap()].split(' ') {
                if c != "line" {
                    assert!(css.contains(&format!(".hl-code .{c} {{")), "{c}");
                }
            }
        }
    }

    #[test]
    fn fenced_blocks_are_found_as_the_renderer_sees_them() {
        let md = "Intro\n\n```sql {linenos}\nSELECT 1;\n```\n\n- item\n\n  ```python\n  x = 1\n    y = 2\n  ```\n\n~~~~json\n{\"a\": \"```\"}\n~~~~\n\n```diagram\nstack: A\n```\n\n```\nplain\n```\n";
        let blocks = fenced_blocks(md);
        assert_eq!(
            blocks,
            vec![
                ("sql", "SELECT 1;\n".to_string()),
                ("python", "x = 1\n  y = 2\n".to_string()),
                ("json", "{\"a\": \"```\"}\n".to_string()),
            ]
        );
        // The same blocks, with the same code, as the Markdown parser gives the renderer.
        use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
        let (mut parsed, mut cur) = (Vec::new(), None::<(String, String)>);
        for ev in Parser::new(md) {
            match ev {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                    let lang = info.split([' ', '{']).next().unwrap_or("").to_string();
                    cur = Some((lang, String::new()));
                }
                Event::Text(t) => {
                    if let Some((_, code)) = &mut cur {
                        code.push_str(&t);
                    }
                }
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, code) = cur.take().unwrap();
                    if !lang.is_empty() && lang != "diagram" {
                        parsed.push((lang, code));
                    }
                }
                _ => {}
            }
        }
        let found: Vec<(String, String)> = blocks
            .into_iter()
            .map(|(l, c)| (l.to_string(), c))
            .collect();
        assert_eq!(found, parsed);
    }

    #[test]
    fn a_repeated_line_is_highlighted_by_its_state_not_only_its_text() {
        let line_html = |html: &str, n: usize| -> String {
            let code = &html[html.find("<code>").unwrap()..];
            let l = code.split("<span class=\"line\">").nth(n + 1).unwrap();
            l[..l.rfind("</span>").unwrap()].to_string()
        };
        // The same text five times as code, then five times inside a string: the memo keeps
        // a line after its second sighting, so later ones replay it.
        let plain = render_block("python", &"y = 2\n".repeat(5), &FenceOptions::default()).html;
        let quoted = format!("s = \"\"\"\n{}\"\"\"\n", "y = 2\n".repeat(5));
        let quoted = render_block("python", &quoted, &FenceOptions::default()).html;
        let first = line_html(&plain, 0);
        for n in 1..5 {
            assert_eq!(line_html(&plain, n), first);
        }
        for n in 1..6 {
            assert_ne!(line_html(&quoted, n), first, "line {n} inside the string");
            assert_eq!(line_html(&quoted, n), line_html(&quoted, 1));
        }
    }
}
