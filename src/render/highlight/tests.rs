use super::cache::fenced_blocks;
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
    let o = FenceOptions::parse("{hl_lines=[2,\"4-5\"], linenos=true, title=\"q.sql\"}").unwrap();
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
