//! A box's label, `text ~ sub {shape}`, as every diagram kind writes it.

use super::{Label, SHAPES, SHAPES_ALLOWED, Shape, err};
use crate::render::diagram::DiagramError;

/// Parses `text ~ sub {shape}`.
pub(crate) fn parse_label(s: &str, line: usize) -> Result<Label, DiagramError> {
    let mut s = s.trim();
    let joined: String;
    let mut shape = Shape::Plain;
    if let Some(open) = s.rfind('{') {
        let rest = &s[open + 1..];
        let Some(close) = rest.find('}') else {
            return Err(err(
                line,
                format!(
                    "unclosed `{{` in `{s}`; a shape hint looks like `Postgres {{db}}` (allowed: {SHAPES_ALLOWED})"
                ),
            ));
        };
        let hint = rest[..close].trim();
        let after = rest[close + 1..].trim();
        // The hint may also end the main label, before its ` ~ ` sublabel.
        if !after.is_empty() && !after.starts_with('~') {
            return Err(err(
                line,
                format!(
                    "text after the shape hint `{{{hint}}}` in `{s}`; the hint ends the box or its main label, as in `Postgres {{db}}` or `Postgres {{db}} ~ primary`"
                ),
            ));
        }
        shape = SHAPES
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(hint))
            .map(|&(_, sh)| sh)
            .ok_or_else(|| {
                err(
                    line,
                    format!("unknown shape hint `{{{hint}}}`; allowed: {SHAPES_ALLOWED}"),
                )
            })?;
        joined = format!("{} {after}", s[..open].trim());
        s = joined.trim();
    }
    let (text, sub) = match s.split_once(" ~ ") {
        Some((t, sub)) => (
            t.trim(),
            Some(sub.trim().to_string()).filter(|x| !x.is_empty()),
        ),
        None => (s.strip_suffix(" ~").unwrap_or(s).trim(), None),
    };
    if text.is_empty() {
        return Err(err(
            line,
            "empty box: every box needs a label, e.g. `Server` or `Cache ~ Redis {cache}`",
        ));
    }
    Ok(Label {
        text: text.to_string(),
        sub,
        shape,
    })
}
