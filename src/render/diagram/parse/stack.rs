//! `kind: stack`: rows of boxes chained by horizontal arrows, with vertical arrow lines between rows.

use super::arrows::{find_h_arrows, vertical_token};
use super::{Flow, Link, Row, Stack, err, parse_label};
use crate::render::diagram::DiagramError;

pub(crate) fn parse_stack(content: &[(usize, &str)]) -> Result<Stack, DiagramError> {
    let mut rows: Vec<Row> = Vec::new();
    let mut links: Vec<Option<Link>> = Vec::new();
    let mut pending: Option<(usize, Link)> = None;
    for &(n, l) in content {
        if let Some(link) = parse_arrow_line(l) {
            if rows.is_empty() {
                return Err(err(
                    n,
                    "arrow line with no row above it; an arrow line (`↓`, `↑`, `↕`, `v`, `^`) goes between two rows of boxes",
                ));
            }
            if let Some((pn, _)) = pending {
                return Err(err(
                    pn,
                    "arrow line with no row below it (another arrow line follows); put a row of boxes between the arrows",
                ));
            }
            pending = Some((n, link));
            continue;
        }
        let row = parse_row(l, n)?;
        if !rows.is_empty() {
            links.push(pending.take().map(|(_, link)| link));
        }
        rows.push(row);
    }
    if let Some((n, _)) = pending {
        return Err(err(
            n,
            "arrow line with no row below it; add the row the arrow points to, e.g. `Database {db}`",
        ));
    }
    Ok(Stack { rows, links })
}

/// A line whose first word is a vertical arrow: `↓`, `↓ ↓ ↓ label`, `v`, `^ reply`.
fn parse_arrow_line(l: &str) -> Option<Link> {
    let mut flow: Option<Flow> = None;
    let mut dashed = false;
    let mut rest = l;
    loop {
        let trimmed = rest.trim_start();
        let word_end = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
        let word = &trimmed[..word_end];
        match vertical_token(word) {
            Some((f, d)) if !word.is_empty() => {
                flow = Some(match flow {
                    None => f,
                    Some(prev) if prev == f => f,
                    Some(_) => Flow::Both,
                });
                dashed |= d;
                rest = &trimmed[word_end..];
            }
            _ => break,
        }
    }
    let label = rest.trim();
    let label = label.strip_prefix(':').unwrap_or(label).trim();
    flow.map(|flow| Link {
        flow,
        dashed,
        label: Some(label.to_string()).filter(|s| !s.is_empty()),
    })
}

fn parse_row(l: &str, n: usize) -> Result<Row, DiagramError> {
    let arrows = find_h_arrows(l);
    if arrows.is_empty() {
        let boxes = l
            .split('|')
            .map(|part| parse_label(part, n))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Row {
            boxes,
            chain: Vec::new(),
        });
    }
    let mut boxes = Vec::new();
    let mut chain = Vec::new();
    let mut pos = 0;
    for (start, end, flow, dashed) in arrows {
        let left = l[pos..start].trim();
        if left.is_empty() {
            return Err(err(
                n,
                "chain arrow with no box on its left; a chain looks like `Client → Server → DB`",
            ));
        }
        boxes.push(parse_label(left, n)?);
        pos = end;
        let mut label = None;
        if let Some(after) = l[end..].strip_prefix('|') {
            let Some(close) = after.find('|') else {
                return Err(err(
                    n,
                    "unclosed arrow label `|...`; write it as `A →|label| B`",
                ));
            };
            label = Some(after[..close].trim().to_string()).filter(|s| !s.is_empty());
            pos = end + 1 + close + 1;
        }
        chain.push(Link {
            flow,
            dashed,
            label,
        });
    }
    let last = l[pos..].trim();
    if last.is_empty() {
        return Err(err(
            n,
            "chain arrow with no box on its right; a chain looks like `Client → Server → DB`",
        ));
    }
    boxes.push(parse_label(last, n)?);
    Ok(Row { boxes, chain })
}
