//! Draws `diagram` fenced blocks as inline, theme-aware SVG figures (the public API).

mod layout;
mod parse;
mod svg;
mod text;

#[cfg(test)]
mod tests;

use parse::{Body, Diagram, Event, Flow, Label, Row};

/// A mistake in a diagram's source; `line` is 1-based within the fence body (line 1 = first
/// line after the opening fence).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagramError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for DiagramError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "diagram line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for DiagramError {}

/// Renders a diagram fence body to HTML:
/// `<figure class="diagram diagram-KIND"><svg ...>...</svg><figcaption>TITLE</figcaption></figure>`
/// (no figcaption when there is no title).
pub fn render(source: &str) -> Result<String, DiagramError> {
    let d = parse::parse(source)?;
    let desc = description(&d);
    let scene = layout::layout(&d);
    let svg = svg::svg(&scene, d.title.as_deref(), &desc);
    let caption = d
        .title
        .as_deref()
        .map(|t| format!("<figcaption>{}</figcaption>", svg::escape(t)))
        .unwrap_or_default();
    Ok(format!(
        "<figure class=\"diagram diagram-{}\">\n{svg}\n{caption}</figure>",
        d.kind().name()
    ))
}

/// Plain-words description used for `<desc>` (e.g.
/// "Users → Load Balancer → Server 1, Server 2, Server 3 → Database").
#[cfg(test)]
fn describe(source: &str) -> Result<String, DiagramError> {
    parse::parse(source).map(|d| description(&d))
}

fn label_words(l: &Label) -> String {
    match &l.sub {
        Some(s) => format!("{} ({s})", l.text),
        None => l.text.clone(),
    }
}

fn arrow_word(flow: Flow) -> &'static str {
    match flow {
        Flow::Forward => "→",
        Flow::Backward => "←",
        Flow::Both => "↔",
    }
}

fn row_words(r: &Row, many_rows: bool) -> String {
    if r.chain.is_empty() {
        return r
            .boxes
            .iter()
            .map(label_words)
            .collect::<Vec<_>>()
            .join(", ");
    }
    let mut s = String::new();
    for (i, b) in r.boxes.iter().enumerate() {
        if let Some(link) = i.checked_sub(1).and_then(|k| r.chain.get(k)) {
            s.push(' ');
            s.push_str(arrow_word(link.flow));
            if let Some(l) = &link.label {
                s.push_str(&format!(" ({l})"));
            }
            s.push(' ');
        }
        s.push_str(&label_words(b));
    }
    if many_rows { format!("[{s}]") } else { s }
}

fn description(d: &Diagram) -> String {
    match &d.body {
        Body::Stack(st) => stack_words(st),
        Body::Compare(cols) => cols
            .iter()
            .map(column_words)
            .collect::<Vec<_>>()
            .join(". Versus "),
        Body::Spectrum(bands) => bands.iter().map(band_words).collect::<Vec<_>>().join(". "),
        Body::Sequence(seq) => sequence_words(seq),
    }
}

fn stack_words(st: &parse::Stack) -> String {
    let many = st.rows.len() > 1;
    let mut s = String::new();
    for (i, row) in st.rows.iter().enumerate() {
        if i > 0 {
            match st.links.get(i - 1) {
                Some(Some(link)) => {
                    s.push(' ');
                    s.push_str(arrow_word(link.flow));
                    s.push(' ');
                    if let Some(l) = &link.label {
                        s.push_str(&format!("({l}) "));
                    }
                }
                _ => s.push_str(" / "),
            }
        }
        s.push_str(&row_words(row, many));
    }
    s
}

fn column_words(c: &parse::Column) -> String {
    let head = match &c.sub {
        Some(sub) => format!("{} ({sub})", c.heading),
        None => c.heading.clone(),
    };
    if c.items.is_empty() {
        head
    } else {
        format!("{head}: {}", c.items.join("; "))
    }
}

fn band_words(b: &parse::Band) -> String {
    let mut s = format!("{} ↔ {}", b.left, b.right);
    if let Some(e) = &b.left_examples {
        s.push_str(&format!("; {}: {e}", b.left));
    }
    if let Some(e) = &b.right_examples {
        s.push_str(&format!("; {}: {e}", b.right));
    }
    s
}

fn sequence_words(seq: &parse::Sequence) -> String {
    let name = |i: usize| {
        seq.participants
            .get(i)
            .map_or(String::new(), |p| p.text.clone())
    };
    let mut parts = vec![format!(
        "Participants: {}",
        seq.participants
            .iter()
            .map(label_words)
            .collect::<Vec<_>>()
            .join(", ")
    )];
    for e in &seq.events {
        parts.push(match e {
            Event::Message {
                from,
                to,
                both,
                dashed,
                text,
            } => {
                let arrow = if *both { "↔" } else { "→" };
                let reply = if *dashed { " (reply)" } else { "" };
                if text.is_empty() {
                    format!("{} {arrow} {}{reply}", name(*from), name(*to))
                } else {
                    format!("{} {arrow} {}{reply}: {text}", name(*from), name(*to))
                }
            }
            Event::Note { first, last, text } => {
                if first == last {
                    format!("note over {}: {text}", name(*first))
                } else {
                    format!("note over {} and {}: {text}", name(*first), name(*last))
                }
            }
        });
    }
    parts.join(". ")
}
