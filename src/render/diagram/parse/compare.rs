//! `kind: compare`: side-by-side columns, each a `# Heading ~ subtitle` and its `- item`s.

use super::{Column, err};
use crate::render::diagram::DiagramError;

pub(crate) fn parse_compare(content: &[(usize, &str)]) -> Result<Vec<Column>, DiagramError> {
    let mut cols: Vec<Column> = Vec::new();
    for &(n, l) in content {
        if let Some(h) = l.strip_prefix('#') {
            let h = h.trim_start_matches('#').trim();
            let (heading, sub) = match h.split_once(" ~ ") {
                Some((a, b)) => (
                    a.trim(),
                    Some(b.trim().to_string()).filter(|s| !s.is_empty()),
                ),
                None => (h, None),
            };
            if heading.is_empty() {
                return Err(err(
                    n,
                    "empty column heading; write `# SQL ~ relational` (the `~ subtitle` is optional)",
                ));
            }
            cols.push(Column {
                heading: heading.to_string(),
                sub,
                items: Vec::new(),
            });
        } else if let Some(item) = l.strip_prefix("- ").or_else(|| l.strip_prefix("* ")) {
            let Some(col) = cols.last_mut() else {
                return Err(err(
                    n,
                    "compare item before any column heading; start a column with `# Heading` first",
                ));
            };
            col.items.push(item.trim().to_string());
        } else {
            return Err(err(
                n,
                format!(
                    "unexpected line `{l}` in a compare diagram; allowed: `# Heading ~ subtitle` or `- item`"
                ),
            ));
        }
    }
    Ok(cols)
}
