//! Which grammar a fence's language names: the aliases authors write, and the names that mean plain text on purpose.

use super::SYNTAXES;
use syntect::parsing::{SyntaxReference, SyntaxSet};

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

pub(crate) fn find_syntax(lang: &str) -> Option<&'static SyntaxReference> {
    let name = canonical(lang)?;
    let ss: &'static SyntaxSet = &SYNTAXES;
    ss.find_syntax_by_token(name)
        .or_else(|| ss.find_syntax_by_name(name))
        .or_else(|| ss.find_syntax_by_extension(&name.to_ascii_lowercase()))
}

/// Whether `lang` is plain text on purpose (no warning) rather than unknown.
pub(crate) fn is_plain(lang: &str) -> bool {
    canonical(lang).is_none()
}

/// Languages listed in warnings, so authors know what to write.
pub(crate) fn common_languages() -> &'static str {
    "sql, python/py, javascript/js, typescript/ts, json, http, lua, protobuf/proto, graphql/gql, bash/sh, yaml, toml, rust, go, java, html, css, diff, text"
}
