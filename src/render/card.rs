//! Self-test cards: a top-level `> [!question]` quote becomes a `<details>` card with a stable id.
//!
//! A pass over the parsed events, run before the callout pass. The quote's first line is the
//! question (inline Markdown), the rest of the quote is the answer (any blocks). The card is
//! written as `<details class="card" data-card-id="…">` so it folds without JavaScript, and its
//! question and answer are fenced by `CARD` placeholders so that `collect` can lift them out of
//! the rendered body for `review.html` and the Anki export (the placeholders write nothing on
//! a page). The id is the note's slug and a hash of the question's text: editing the answer
//! keeps a reader's schedule; rewording the question starts a new card.

use crate::render::marker::{CARD, END, attr};
use pulldown_cmark::{Event, Tag, TagEnd};
use std::collections::HashMap;
use std::ops::Range;

type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

/// One card of a note, as rendered (HTML still holding the renderer's placeholders).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Card {
    /// `slug:hash`, the `data-card-id` of its element.
    pub id: String,
    /// The question as plain text (whitespace collapsed).
    pub question_text: String,
    /// Inline HTML of the question.
    pub question: String,
    /// Block HTML of the answer.
    pub answer: String,
}

/// Each card's id and question text, in the order written.
pub(crate) type Found = Vec<(String, String)>;

/// What the pass tells the renderer: a content error at a byte offset of the body.
pub(crate) type Report<'r> = &'r mut dyn FnMut(usize, String);

/// The id of the card asking `question` in note `slug`: FNV-1a over the question's words,
/// lowercased, so spacing and case changes keep it; 8 hex digits.
pub(crate) fn card_id(slug: &str, question: &str) -> String {
    let norm = normalize(question);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in norm.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{slug}:{:08x}", (h >> 32) ^ (h & 0xffff_ffff))
}

fn normalize(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether the block quote opened at `i` starts with a `[!question]` marker.
fn is_card(events: &Events, i: usize) -> bool {
    if !matches!(events.get(i + 1), Some((Event::Start(Tag::Paragraph), _))) {
        return false;
    }
    let mut text = String::new();
    let mut j = i + 2;
    while let Some((Event::Text(t), _)) = events.get(j) {
        text.push_str(t);
        j += 1;
    }
    crate::render::callout::marker_name(&text).is_some_and(|n| n.eq_ignore_ascii_case("question"))
}

/// An open card: its number in the note and whether its answer has shown any content yet.
struct Open {
    n: usize,
    answered: bool,
    at: usize,
}

/// Turn top-level `[!question]` quotes into cards. Errors (a card inside a list, quote or
/// footnote; no question; no answer; the same question twice) go to `report`.
pub(crate) fn cards<'a>(events: Events<'a>, slug: &str, report: Report) -> (Events<'a>, Found) {
    let mut found = Found::new();
    if !events
        .iter()
        .any(|(e, _)| matches!(e, Event::Start(Tag::BlockQuote(_))))
    {
        return (events, found);
    }
    let mut out: Events<'a> = Vec::with_capacity(events.len());
    // Per open block quote: the card it is, if it is one.
    let mut quotes: Vec<Option<Open>> = Vec::new();
    let mut depth = 0usize;
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut count = 0;
    let mut i = 0;
    while i < events.len() {
        let (ev, range) = &events[i];
        match ev {
            Event::Start(Tag::BlockQuote(_)) if is_card(&events, i) => {
                let at = events[i + 2].1.start;
                depth += 1;
                if depth > 1 {
                    report(at, "a card (`[!question]`) must stand at the top level of the note body, not inside a list, quote, callout or footnote: move it out to its own block".into());
                    quotes.push(None);
                } else {
                    let (produced, next, question) = open_card(&events, i, slug, count);
                    check_question(&question, at, &mut seen, report);
                    out.extend(produced);
                    found.push((card_id(slug, &question), question));
                    quotes.push(Some(Open {
                        n: count,
                        answered: false,
                        at,
                    }));
                    count += 1;
                    i = next;
                    continue;
                }
            }
            Event::Start(Tag::BlockQuote(_)) => {
                depth += 1;
                quotes.push(None);
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                depth = depth.saturating_sub(1);
                if let Some(Some(card)) = quotes.pop() {
                    out.push((close_card(&card, report), range.clone()));
                    i += 1;
                    continue;
                }
            }
            Event::Start(Tag::Item | Tag::FootnoteDefinition(_)) => depth += 1,
            Event::End(TagEnd::Item | TagEnd::FootnoteDefinition) => {
                depth = depth.saturating_sub(1)
            }
            _ => {}
        }
        if let Some(Some(card)) = quotes.first_mut()
            && !matches!(
                ev,
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) | Event::SoftBreak
            )
        {
            card.answered = true;
        }
        out.push(events[i].clone());
        i += 1;
    }
    (out, found)
}

/// Report a card with no question, or one asking the same as an earlier card of the note.
fn check_question(question: &str, at: usize, seen: &mut HashMap<String, usize>, report: Report) {
    if question.trim().is_empty() {
        report(at, "a card needs its question on the `[!question]` line: `> [!question] What does X minimise?`, then the answer on the next lines of the quote".into());
    } else if seen.insert(normalize(question), at).is_some() {
        report(
            at,
            format!(
                "duplicate question in this note: `{}` (each card of a note asks something different)",
                question.trim()
            ),
        );
    }
}

/// The end of a card's quote: report it if nothing was answered, and close its `<details>`.
fn close_card(card: &Open, report: Report) -> Event<'static> {
    if !card.answered {
        report(card.at, "a card with no answer: write the answer on the lines after the question, in the same quote (`> The answer.`)".into());
    }
    let close = format!("{CARD}A{}{END}</div></details>\n", card.n);
    Event::Html(close.into())
}

/// The card's opening events (markup, the question's inline events, the answer's start), the
/// index to carry on from, and the question as plain text.
fn open_card<'a>(
    events: &Events<'a>,
    i: usize,
    slug: &str,
    n: usize,
) -> (Events<'a>, usize, String) {
    let range = events[i].1.clone();
    // The marker may be split over several text events: take them whole, drop the marker.
    let mut text = String::new();
    let mut j = i + 2;
    while let Some((Event::Text(t), _)) = events.get(j) {
        text.push_str(t);
        j += 1;
    }
    let rest = crate::render::callout::after_marker(&text).to_string();
    let mut question: Events<'a> = Vec::new();
    if !rest.trim().is_empty() {
        question.push((
            Event::Text(rest.trim_start().to_string().into()),
            range.clone(),
        ));
    }
    // The question ends at the first line break outside inline markup.
    let (line, k) = super::callout::first_line(events, j);
    question.extend(line);
    let plain = plain(&question);
    let id = attr(&card_id(slug, &plain));
    let mut produced: Events<'a> = vec![(
        Event::Html(
            format!(
                "<details class=\"card\" data-card-id=\"{id}\"><summary class=\"card-q\"><span class=\"card-label\">Question<span class=\"visually-hidden\">:</span></span> {CARD}q{n}{END}"
            )
            .into(),
        ),
        range.clone(),
    )];
    produced.extend(question);
    produced.push((
        Event::Html(
            format!("{CARD}Q{n}{END}</summary>\n<div class=\"card-a\">{CARD}a{n}{END}\n").into(),
        ),
        range.clone(),
    ));
    // The first paragraph goes on when more lines follow the question line.
    let next = if matches!(events.get(k), Some((Event::End(TagEnd::Paragraph), _))) {
        k + 1
    } else {
        produced.push((Event::Start(Tag::Paragraph), range));
        k
    };
    (produced, next, plain)
}

fn plain(events: &Events) -> String {
    let mut s = String::new();
    for (e, _) in events {
        match e {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lift each card's question and answer HTML out of the rendered body, in the pass's order.
pub(crate) fn collect(html: &str, found: Found) -> Vec<Card> {
    found
        .into_iter()
        .enumerate()
        .map(|(n, (id, question_text))| Card {
            id,
            question_text,
            question: between(
                html,
                &format!("{CARD}q{n}{END}"),
                &format!("{CARD}Q{n}{END}"),
            ),
            answer: between(
                html,
                &format!("{CARD}a{n}{END}"),
                &format!("{CARD}A{n}{END}"),
            )
            .trim()
            .to_string(),
        })
        .collect()
}

fn between(html: &str, start: &str, end: &str) -> String {
    let Some(s) = html.find(start).map(|p| p + start.len()) else {
        return String::new();
    };
    let e = html[s..].find(end).map_or(html.len(), |p| s + p);
    html[s..e].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Run the card pass over `md`: the HTML, the cards and the errors (offset, message).
    fn render(md: &str) -> (String, Vec<Card>, Vec<(usize, String)>) {
        let events = crate::render::markdown::events(md);
        let mut errors = Vec::new();
        let (events, found) = cards(events, "note", &mut |at, m| errors.push((at, m)));
        let html = crate::render::markdown::html_of(events);
        let cards = collect(&html, found);
        (html, cards, errors)
    }

    #[test]
    fn a_question_quote_becomes_a_details_card_with_question_and_answer() {
        let (html, cards, errors) =
            render("> [!question] What does *hashing* minimise?\n> Moved keys.\n>\n> - K/N\n");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(cards.len(), 1);
        let c = &cards[0];
        assert_eq!(c.id, card_id("note", "What does hashing minimise?"));
        assert_eq!(c.question_text, "What does hashing minimise?");
        assert_eq!(c.question, "What does <em>hashing</em> minimise?");
        assert!(c.answer.starts_with("<p>Moved keys.</p>"), "{}", c.answer);
        assert!(c.answer.contains("<li>K/N</li>"), "{}", c.answer);
        assert!(
            html.starts_with(&format!(
                "<details class=\"card\" data-card-id=\"{}\"><summary class=\"card-q\">",
                c.id
            )),
            "{html}"
        );
        assert!(
            !html.contains("blockquote") && !html.contains("[!"),
            "{html}"
        );
    }

    #[test]
    fn the_id_keeps_to_the_question_not_the_answer_or_its_spacing() {
        let (_, a, _) = render("> [!question] Why a queue?\n> It absorbs bursts.\n");
        let (_, b, _) = render("> [!QUESTION]  Why  a QUEUE?\n> Something else entirely.\n");
        let (_, c, _) = render("> [!question] Why a log?\n> It absorbs bursts.\n");
        assert_eq!(a[0].id, b[0].id);
        assert_ne!(a[0].id, c[0].id);
        assert!(a[0].id.starts_with("note:") && a[0].id.len() == "note:".len() + 8);
    }

    #[test]
    fn malformed_cards_are_errors_at_their_marker() {
        let md = "> [!question] Alone?\n\n- item\n\n  > [!question] Nested?\n  > Yes.\n\n> [!question] Dup?\n> One.\n\n> [!question] dup?\n> Two.\n\n> [!question]\n> Answer without a question.\n";
        let (_, _, errors) = render(md);
        let at = |s: &str| md.find(s).unwrap();
        let got: Vec<(usize, &str)> = errors.iter().map(|(o, m)| (*o, m.as_str())).collect();
        assert_eq!(got.len(), 4, "{got:?}");
        assert!(got[0].0 == at("[!question] Alone") && got[0].1.contains("no answer"));
        assert!(got[1].0 == at("[!question] Nested") && got[1].1.contains("top level"));
        assert!(got[2].0 == at("[!question] dup?") && got[2].1.contains("duplicate question"));
        assert!(got[3].1.contains("needs its question"), "{}", got[3].1);
    }

    #[test]
    fn other_callouts_and_quotes_are_left_to_the_callout_pass() {
        let md = "> [!faq] Not a card\n> Body.\n\n> Plain quote.\n";
        let (html, cards, errors) = render(md);
        assert!(cards.is_empty() && errors.is_empty());
        assert_eq!(html.matches("<blockquote>").count(), 2, "{html}");
    }
}
