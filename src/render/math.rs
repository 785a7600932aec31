//! Math: `$...$` and `$$...$$` turned into MathML Core at build time, so formulas need no script.
//!
//! Uses the `math-core` crate (LaTeX to MathML Core, the subset browsers lay out natively). The
//! TeX source stays with each formula three ways: `alttext` and `aria-label` on `<math>` (the
//! name a screen reader announces) and an `application/x-tex` annotation, which browsers do not
//! draw but which reaches the search index as ordinary text.

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};
use pulldown_cmark::Event;
use std::ops::Range;
use std::sync::OnceLock;

type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

fn converter() -> &'static LatexToMathML {
    static CONVERTER: OnceLock<LatexToMathML> = OnceLock::new();
    CONVERTER.get_or_init(|| {
        LatexToMathML::new(MathCoreConfig::default()).expect("no custom macros to parse")
    })
}

/// Replace math events with MathML. `error` gets the byte offset in `body` where invalid TeX
/// goes wrong and the converter's message; the formula is then left out of the page.
pub(crate) fn math<'a>(
    events: Events<'a>,
    body: &str,
    error: &mut dyn FnMut(usize, String),
) -> Events<'a> {
    if !events
        .iter()
        .any(|(e, _)| matches!(e, Event::InlineMath(_) | Event::DisplayMath(_)))
    {
        return events;
    }
    let mut out: Events<'a> = Vec::with_capacity(events.len());
    for (event, range) in events {
        let (tex, display) = match &event {
            // `$5-$10`: a `$` followed by a digit is a price, so the pair stays text.
            Event::InlineMath(t) if t.starts_with(|c: char| c.is_ascii_digit()) => {
                out.push((Event::Text(format!("${t}$").into()), range));
                continue;
            }
            Event::InlineMath(t) => (t.clone(), MathDisplay::Inline),
            Event::DisplayMath(t) => (t.clone(), MathDisplay::Block),
            _ => {
                out.push((event, range));
                continue;
            }
        };
        match converter().convert_with_local_state(&tex, display) {
            Ok(r) => out.extend(
                formula(&r.mathml, &tex, display)
                    .into_iter()
                    .map(|e| (e, range.clone())),
            ),
            Err(e) => {
                let start = tex_start(body, &range, &tex) + e.0.start.min(tex.len());
                error(
                    start,
                    format!("invalid TeX in `{}`: {}", tex.trim(), e.error_message()),
                );
            }
        }
    }
    out
}

/// Byte offset of the TeX source in the body: after the `$` or `$$` that opens it.
fn tex_start(body: &str, range: &Range<usize>, tex: &str) -> usize {
    body.get(range.clone())
        .and_then(|src| src.find(tex))
        .map_or(range.start, |p| range.start + p)
}

/// The events for one formula: `<math>` with its accessible name, the converter's MathML as
/// the drawn part of `<semantics>`, and the source as an annotation text event.
fn formula<'a>(mathml: &str, tex: &str, display: MathDisplay) -> Vec<Event<'a>> {
    // math-core writes `<math>` or `<math display="block">`, then the content, then `</math>`.
    let inner_start = mathml.find('>').map_or(0, |p| p + 1);
    let inner_end = mathml.rfind("</math>").unwrap_or(mathml.len());
    let inner = strip_markers(&mathml[inner_start..inner_end.max(inner_start)]);
    let name = attribute(tex.trim());
    let (wrap, unwrap, block) = match display {
        MathDisplay::Block => (
            // Focusable: a formula wider than the column scrolls, and keyboard users must reach it.
            "<span class=\"math-display\" tabindex=\"0\">",
            "</span>",
            " display=\"block\"",
        ),
        MathDisplay::Inline => ("", "", ""),
    };
    let open = format!(
        "{wrap}<math{block} alttext=\"{name}\" aria-label=\"{name}\"><semantics><mrow>{inner}</mrow><annotation encoding=\"application/x-tex\">"
    );
    vec![
        Event::InlineHtml(open.into()),
        Event::Text(strip_markers(tex.trim()).into()),
        Event::InlineHtml(format!("</annotation></semantics></math>{unwrap}").into()),
    ]
}

/// TeX source made safe for a double-quoted attribute.
fn attribute(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in strip_markers(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Drops the private-use characters the renderer uses as placeholders (U+E000 to U+E003), so
/// text inside a formula can never stand for an id or link in the page.
fn strip_markers(s: &str) -> String {
    s.chars()
        .filter(|c| !('\u{E000}'..='\u{E003}').contains(c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(md: &str) -> (String, Vec<(usize, String)>) {
        let events = crate::render::markdown::events(md);
        let mut errors = Vec::new();
        let events = math(events, md, &mut |at, m| errors.push((at, m)));
        let html = crate::render::markdown::html_of(events);
        (html, errors)
    }

    #[test]
    fn inline_and_display_math_become_mathml_named_by_their_source() {
        let (html, e) = render("Quorum: $W + R > N$.\n\n$$A = \\frac{MTBF}{MTBF + MTTR}$$\n");
        assert!(e.is_empty(), "{e:?}");
        assert!(
            html.contains("<math alttext=\"W + R &gt; N\" aria-label=\"W + R &gt; N\"><semantics><mrow><mi>W</mi>"),
            "{html}"
        );
        assert!(
            html.contains("<mo>&gt;</mo>") || html.contains("<mo>></mo>"),
            "{html}"
        );
        assert!(
            html.contains("<annotation encoding=\"application/x-tex\">W + R &gt; N</annotation>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"math-display\" tabindex=\"0\"><math display=\"block\""),
            "{html}"
        );
        assert!(html.contains("<mfrac>"), "{html}");
    }

    #[test]
    fn dollar_prices_in_prose_are_not_math() {
        for md in [
            "It costs $5 and $10 a month.\n",
            "Say you transfer $100 from A to B, then $100 back.\n",
            "Replay: +$500, then −$200, then +$100, which gives $400.\n",
            "Three $49.99 headphones (3 × $49.99 = $149.97) is about three times the $50 average.\n",
            "A row says the balance is $500. An order row says \"shipped\".\n",
            "- AccountOpened +$500\n- MoneyWithdrawn -$200\n- MoneyDeposited +$100\n",
            "Plans cost $5-$10 a month.\n",
        ] {
            let (html, e) = render(md);
            assert!(e.is_empty(), "{md}: {e:?}");
            assert!(!html.contains("<math"), "{md} became math: {html}");
            assert!(html.contains('$'), "{md}: {html}");
        }
        let (html, _) = render("Plans cost $5-$10 a month, and ${2^{10}}$ is math.\n");
        assert!(html.contains("Plans cost $5-$10 a month"), "{html}");
        assert_eq!(html.matches("<math").count(), 1, "{html}");
    }

    #[test]
    fn invalid_tex_is_an_error_at_the_offending_offset() {
        let md = "Line one.\n\nSee $\\frac{a}$ here.\n";
        let (html, e) = render(md);
        assert_eq!(e.len(), 1, "{e:?}");
        let tex_at = md.find("\\frac").unwrap();
        assert!(
            e[0].0 >= tex_at && e[0].0 <= tex_at + "\\frac{a}".len(),
            "{e:?}"
        );
        assert!(
            e[0].1.starts_with("invalid TeX in `\\frac{a}`: "),
            "{}",
            e[0].1
        );
        assert!(!html.contains("<math"), "{html}");
        let (_, e) = render("$\\nosuchcommand x$\n");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].0, 1, "points at the command: {e:?}");
        assert!(e[0].1.contains("nosuchcommand"), "{}", e[0].1);
    }

    #[test]
    fn source_text_cannot_break_out_of_the_page() {
        let (html, e) = render("$\\text{</math><script>\u{E000}x}$\n");
        assert!(e.is_empty(), "{e:?}");
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains('\u{E000}'), "{html}");
    }
}
