//! Turns a diagram fence body into a typed model, reporting mistakes with their line number.

use super::DiagramError;

/// The four diagram kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Stack,
    Compare,
    Spectrum,
    Sequence,
}

impl Kind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Stack => "stack",
            Kind::Compare => "compare",
            Kind::Spectrum => "spectrum",
            Kind::Sequence => "sequence",
        }
    }
}

/// How a box is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Plain,
    Db,
    Queue,
    Cache,
    User,
    Cloud,
    Note,
}

/// The shape hints a node may carry (`DB {db}`), by the word written between the braces.
pub(super) const SHAPES: [(&str, Shape); 6] = [
    ("db", Shape::Db),
    ("queue", Shape::Queue),
    ("cache", Shape::Cache),
    ("user", Shape::User),
    ("cloud", Shape::Cloud),
    ("note", Shape::Note),
];
const SHAPES_ALLOWED: &str = "{db}, {queue}, {cache}, {user}, {cloud}, {note}";

/// A box: main text, optional smaller second line, shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Label {
    pub text: String,
    pub sub: Option<String>,
    pub shape: Shape,
}

/// Which way an arrow points: `Forward` is down in a stack, right in a chain, sender to
/// receiver in a sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    Forward,
    Backward,
    Both,
}

/// An arrow between rows or between chained boxes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Link {
    pub flow: Flow,
    pub dashed: bool,
    pub label: Option<String>,
}

/// One row of a stack: boxes side by side, or a chain when `chain` holds the links between
/// neighbouring boxes (`chain.len() == boxes.len() - 1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row {
    pub boxes: Vec<Label>,
    pub chain: Vec<Link>,
}

/// A stack: `links[i]` joins `rows[i]` and `rows[i + 1]` (None: layers without an arrow).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stack {
    pub rows: Vec<Row>,
    pub links: Vec<Option<Link>>,
}

/// A compare column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Column {
    pub heading: String,
    pub sub: Option<String>,
    pub items: Vec<String>,
}

/// A spectrum line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Band {
    pub left: String,
    pub right: String,
    pub left_examples: Option<String>,
    pub right_examples: Option<String>,
}

/// A step of a sequence diagram; participants are indexes into `Sequence::participants`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Event {
    Message {
        from: usize,
        to: usize,
        both: bool,
        dashed: bool,
        text: String,
    },
    Note {
        first: usize,
        last: usize,
        text: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sequence {
    pub participants: Vec<Label>,
    pub events: Vec<Event>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Body {
    Stack(Stack),
    Compare(Vec<Column>),
    Spectrum(Vec<Band>),
    Sequence(Sequence),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Diagram {
    pub title: Option<String>,
    pub body: Body,
}

impl Diagram {
    pub(crate) fn kind(&self) -> Kind {
        match self.body {
            Body::Stack(_) => Kind::Stack,
            Body::Compare(_) => Kind::Compare,
            Body::Spectrum(_) => Kind::Spectrum,
            Body::Sequence(_) => Kind::Sequence,
        }
    }
}

fn err(line: usize, message: impl Into<String>) -> DiagramError {
    DiagramError {
        line,
        message: message.into(),
    }
}

/// Horizontal arrow spellings, longest first so `-->` wins over `->`.
const H_ARROWS: [(&str, Flow, bool); 13] = [
    ("<-->", Flow::Both, true),
    ("-->>", Flow::Forward, true),
    ("<->", Flow::Both, false),
    ("-->", Flow::Forward, true),
    ("->>", Flow::Forward, false),
    ("<--", Flow::Backward, true),
    ("->", Flow::Forward, false),
    ("<-", Flow::Backward, false),
    ("→", Flow::Forward, false),
    ("←", Flow::Backward, false),
    ("↔", Flow::Both, false),
    ("⇢", Flow::Forward, true),
    ("⇠", Flow::Backward, true),
];

/// Vertical arrow spellings for stack arrow lines (horizontal ones are accepted too).
const V_ARROWS: [(&str, Flow, bool); 9] = [
    ("↓", Flow::Forward, false),
    ("v", Flow::Forward, false),
    ("⇣", Flow::Forward, true),
    ("↑", Flow::Backward, false),
    ("^", Flow::Backward, false),
    ("⇡", Flow::Backward, true),
    ("↕", Flow::Both, false),
    ("^v", Flow::Both, false),
    ("v^", Flow::Both, false),
];

fn vertical_token(tok: &str) -> Option<(Flow, bool)> {
    V_ARROWS
        .iter()
        .chain(H_ARROWS.iter())
        .find(|(s, _, _)| *s == tok)
        .map(|&(_, f, d)| (f, d))
}

/// Parses a whole fence body.
pub(crate) fn parse(source: &str) -> Result<Diagram, DiagramError> {
    let lines: Vec<(usize, &str)> = source
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    let mut title = None;
    let mut kind = Kind::Stack;
    let mut start = 0;
    for &(n, l) in &lines {
        if let Some(rest) = strip_key(l, "title") {
            title = Some(rest.to_string()).filter(|t| !t.is_empty());
        } else if let Some(rest) = strip_key(l, "kind") {
            kind = match rest.to_ascii_lowercase().as_str() {
                "stack" => Kind::Stack,
                "compare" => Kind::Compare,
                "spectrum" => Kind::Spectrum,
                "sequence" => Kind::Sequence,
                other => {
                    return Err(err(
                        n,
                        format!(
                            "unknown diagram kind `{other}`; allowed: stack, compare, spectrum, sequence"
                        ),
                    ));
                }
            };
        } else {
            break;
        }
        start += 1;
    }
    let content = &lines[start..];
    if content.is_empty() {
        let n = lines.last().map_or(1, |(n, _)| *n);
        return Err(err(
            n,
            format!(
                "empty {} diagram: add content below the `title:`/`kind:` lines, e.g. `Client → Server`",
                kind.name()
            ),
        ));
    }
    let body = match kind {
        Kind::Stack => Body::Stack(parse_stack(content)?),
        Kind::Compare => Body::Compare(parse_compare(content)?),
        Kind::Spectrum => Body::Spectrum(parse_spectrum(content)?),
        Kind::Sequence => Body::Sequence(parse_sequence(content)?),
    };
    Ok(Diagram { title, body })
}

/// `key: value` with a case-insensitive key; returns the trimmed value.
fn strip_key<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let head = line.get(..key.len())?;
    if !head.eq_ignore_ascii_case(key) {
        return None;
    }
    line[key.len()..]
        .trim_start()
        .strip_prefix(':')
        .map(str::trim)
}

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

fn parse_stack(content: &[(usize, &str)]) -> Result<Stack, DiagramError> {
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

/// Finds the horizontal arrows of a chain: tokens preceded by whitespace and followed by
/// whitespace, `|label|` or the end. Returns (start, end, flow, dashed) byte ranges.
fn find_h_arrows(l: &str) -> Vec<(usize, usize, Flow, bool)> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < l.len() {
        let prev_ok = i == 0 || l[..i].ends_with(char::is_whitespace);
        if prev_ok
            && let Some(&(tok, flow, dashed)) =
                H_ARROWS.iter().find(|(tok, _, _)| l[i..].starts_with(tok))
        {
            let end = i + tok.len();
            let next_ok = end == l.len()
                || l[end..].starts_with(char::is_whitespace)
                || l[end..].starts_with('|');
            if next_ok {
                found.push((i, end, flow, dashed));
                i = end;
                continue;
            }
        }
        i += l[i..].chars().next().map_or(1, char::len_utf8);
    }
    found
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

fn parse_compare(content: &[(usize, &str)]) -> Result<Vec<Column>, DiagramError> {
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

fn parse_spectrum(content: &[(usize, &str)]) -> Result<Vec<Band>, DiagramError> {
    let mut bands = Vec::new();
    for &(n, l) in content {
        let arrow = find_h_arrows(l)
            .into_iter()
            .find(|(_, _, flow, _)| *flow == Flow::Both);
        let Some((start, end, _, _)) = arrow else {
            return Err(err(
                n,
                "spectrum line without `↔` (or `<->`); write `Consistency ↔ Availability ~ banking | social feeds`",
            ));
        };
        let left = l[..start].trim();
        let rest = l[end..].trim();
        let (right, examples) = match rest.split_once(" ~ ") {
            Some((r, e)) => (r.trim(), Some(e.trim())),
            None => (rest.strip_suffix(" ~").unwrap_or(rest).trim(), None),
        };
        if left.is_empty() || right.is_empty() {
            return Err(err(
                n,
                "spectrum line needs a label at both ends, as in `Consistency ↔ Availability`",
            ));
        }
        let (le, re) = match examples {
            Some(e) => match e.split_once('|') {
                Some((a, b)) => (a.trim(), b.trim()),
                None => (e, ""),
            },
            None => ("", ""),
        };
        let some = |s: &str| Some(s.to_string()).filter(|x| !x.is_empty());
        bands.push(Band {
            left: left.to_string(),
            right: right.to_string(),
            left_examples: some(le),
            right_examples: some(re),
        });
    }
    Ok(bands)
}

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

fn parse_sequence(content: &[(usize, &str)]) -> Result<Sequence, DiagramError> {
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
