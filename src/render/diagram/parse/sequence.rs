//! `kind: sequence`: participants and the messages and notes between them, in order.

use super::arrows::{H_ARROWS, find_h_arrows};
use super::{Event, Flow, Label, Sequence, Shape, err, parse_label, strip_key};
use crate::render::diagram::DiagramError;

struct Participants {
    list: Vec<Label>,
    declared: bool,
}

impl Participants {
    fn index(&mut self, name: &str, n: usize) -> Result<usize, DiagramError> {
        let label = parse_label(name, n)?;
        if let Some(i) = self.list.iter().position(|p| p.text == label.text) {
            if label.shape != Shape::Plain || label.sub.is_some() {
                let p = &mut self.list[i];
                if p.shape == Shape::Plain {
                    p.shape = label.shape;
                }
                if p.sub.is_none() {
                    p.sub = label.sub;
                }
            }
            return Ok(i);
        }
        if self.declared {
            let names: Vec<&str> = self.list.iter().map(|p| p.text.as_str()).collect();
            return Err(err(
                n,
                format!(
                    "unknown participant `{}`; declared: {}",
                    label.text,
                    names.join(", ")
                ),
            ));
        }
        self.list.push(label);
        Ok(self.list.len() - 1)
    }
}

pub(crate) fn parse_sequence(content: &[(usize, &str)]) -> Result<Sequence, DiagramError> {
    let mut parts = Participants {
        list: Vec::new(),
        declared: false,
    };
    let mut events = Vec::new();
    for &(n, l) in content {
        if let Some(rest) = strip_key(l, "participants") {
            if !events.is_empty() || parts.declared {
                return Err(err(
                    n,
                    "`participants:` must come once, before the first message",
                ));
            }
            for name in rest.split(',').filter(|s| !s.trim().is_empty()) {
                parts.index(name, n)?;
            }
            parts.declared = !parts.list.is_empty();
            continue;
        }
        let lower = l.get(..5).map(str::to_ascii_lowercase);
        let event = if lower.as_deref() == Some("note ") {
            parse_note(&l[5..], n, &mut parts)?
        } else {
            parse_message(l, n, &mut parts)?
        };
        events.push(event);
    }
    if parts.list.is_empty() {
        return Err(err(
            content.first().map_or(1, |(n, _)| *n),
            "empty sequence diagram: add messages such as `Client → Server: GET /`",
        ));
    }
    Ok(Sequence {
        participants: parts.list,
        events,
    })
}

/// `note [over] A: text` or `note A, B: text` (what follows `note `) on line `n`.
fn parse_note(rest: &str, n: usize, parts: &mut Participants) -> Result<Event, DiagramError> {
    let rest = rest.trim();
    let rest = rest
        .strip_prefix("over ")
        .map(str::trim_start)
        .unwrap_or(rest);
    let Some((names, text)) = rest.split_once(':') else {
        return Err(err(
            n,
            "a note needs a participant and a colon: `note Server: text` or `note A, B: text`",
        ));
    };
    let names: Vec<&str> = names.split(',').map(str::trim).collect();
    if names.len() > 2 || names.iter().any(|s| s.is_empty()) {
        return Err(err(
            n,
            "a note sits over one participant or spans two: `note Server: text` or `note A, B: text`",
        ));
    }
    let mut idx = Vec::new();
    for name in names {
        idx.push(parts.index(name, n)?);
    }
    let (a, b) = (idx[0], idx[idx.len() - 1]);
    Ok(Event::Note {
        first: a.min(b),
        last: a.max(b),
        text: text.trim().to_string(),
    })
}

/// `A → B: message` (any of the arrows) on line `n`.
fn parse_message(l: &str, n: usize, parts: &mut Participants) -> Result<Event, DiagramError> {
    let (head, text) = match l.split_once(':') {
        Some((h, t)) => (h, t.trim()),
        None => (l, ""),
    };
    let arrows = find_h_arrows(head);
    let found = arrows.first().copied().or_else(|| {
        // Also accept arrows written without spaces: `A->B: text`.
        H_ARROWS
            .iter()
            .filter_map(|&(tok, f, d)| head.find(tok).map(|i| (i, i + tok.len(), f, d)))
            .min_by_key(|&(i, end, _, _)| (i, usize::MAX - end))
    });
    let Some((start, end, flow, dashed)) = found else {
        return Err(err(
            n,
            format!(
                "unexpected line `{l}` in a sequence diagram; allowed: `A → B: message`, `A --> B: reply`, `note A: text`, `participants: A, B`"
            ),
        ));
    };
    let left = head[..start].trim();
    let right = head[end..].trim();
    if right.is_empty() {
        return Err(err(
            n,
            format!(
                "message from `{left}` goes nowhere; name the receiver, as in `{left} → Server: text`"
            ),
        ));
    }
    if left.is_empty() {
        return Err(err(
            n,
            format!(
                "message to `{right}` comes from nowhere; name the sender, as in `Client → {right}: text`"
            ),
        ));
    }
    let a = parts.index(left, n)?;
    let b = parts.index(right, n)?;
    let (from, to) = if flow == Flow::Backward {
        (b, a)
    } else {
        (a, b)
    };
    Ok(Event::Message {
        from,
        to,
        both: flow == Flow::Both,
        dashed,
        text: text.to_string(),
    })
}
