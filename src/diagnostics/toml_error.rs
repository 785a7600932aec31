//! Turns TOML/serde errors into located diagnostics that say what is allowed and suggest a fix.

use crate::diagnostics::{line_col, nearest};

/// Message, and 1-based line/column inside `text`, for a TOML parse or schema error.
/// `unknown field` errors gain a "did you mean" from the expected names.
pub(crate) fn explain(err: &toml::de::Error, text: &str) -> (usize, usize, String) {
    let (line, col) = err
        .span()
        .map(|s| line_col(text, s.start))
        .unwrap_or((0, 0));
    let msg = err.message().trim().to_string();
    (line, col, improve(&msg))
}

fn improve(msg: &str) -> String {
    let Some(rest) = msg.strip_prefix("unknown field `") else {
        return msg.to_string();
    };
    let Some(end) = rest.find('`') else {
        return msg.to_string();
    };
    let key = &rest[..end];
    let expected: Vec<&str> = rest[end + 1..].split('`').skip(1).step_by(2).collect();
    let mut out = format!("unknown key `{key}`");
    if !expected.is_empty() {
        out.push_str(&format!(
            "; allowed: {}",
            expected
                .iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let Some(n) = nearest(key, expected.iter().copied()) {
        out.push_str(&format!(" (did you mean `{n}`?)"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        title: String,
        language: Option<String>,
    }

    #[test]
    fn unknown_key_gets_suggestion_and_line() {
        let text = "title = \"x\"\ntitel = \"y\"\n";
        let err = toml::from_str::<T>(text).unwrap_err();
        let (line, _, msg) = explain(&err, text);
        assert_eq!(line, 2);
        assert!(msg.contains("unknown key `titel`"), "{msg}");
        assert!(msg.contains("did you mean `title`?"), "{msg}");
    }
}
