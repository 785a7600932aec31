//! Turns a diagram fence body into a typed model, reporting mistakes with their line number.

mod arrows;
mod compare;
mod label;
mod sequence;
mod spectrum;
mod stack;

use super::DiagramError;
use compare::parse_compare;
pub(crate) use label::parse_label;
use sequence::parse_sequence;
use spectrum::parse_spectrum;
use stack::parse_stack;

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
