//! Callouts: GitHub alerts and Obsidian callouts (`> [!tip] Title`) turned from block quotes into boxes.
//!
//! A pass over the parsed events, before the renderer's own: a block quote whose first paragraph
//! starts with `[!type]` becomes a `<div class="callout">` (or a `<details>` when the marker is
//! followed by `-` or `+`), its marker becomes a title line with a decorative icon and the type
//! named in text for screen readers. Everything inside stays ordinary events, so links, search
//! text and code in a callout are handled as anywhere else.

use pulldown_cmark::{Event, Tag, TagEnd};
use std::ops::Range;

type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

/// One of the five looks a callout can have, GitHub's five alert kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Note,
    Tip,
    Important,
    Warning,
    Caution,
}

impl Style {
    fn class(self) -> &'static str {
        match self {
            Style::Note => "note",
            Style::Tip => "tip",
            Style::Important => "important",
            Style::Warning => "warning",
            Style::Caution => "caution",
        }
    }

    /// A 16x16 outline icon, decorative only: the type is named in text next to it.
    fn icon(self) -> &'static str {
        match self {
            // A circle with an `i`.
            Style::Note => r#"<circle cx="8" cy="8" r="6.5"/><path d="M8 7v4.5M8 4.6v.1"/>"#,
            // A light bulb.
            Style::Tip => {
                r#"<path d="M5.5 10.5C4.3 9.6 3.5 8.3 3.5 6.8a4.5 4.5 0 0 1 9 0c0 1.5-.8 2.8-2 3.7v1.5h-5zM6 14h4"/>"#
            }
            // A speech bubble with an exclamation mark.
            Style::Important => {
                r#"<path d="M2 2.5h12v9H7l-3 2.5v-2.5H2z"/><path d="M8 4.5v3.5M8 9.6v.1"/>"#
            }
            // A warning triangle.
            Style::Warning => r#"<path d="M8 1.8l6.5 12H1.5z"/><path d="M8 6v3.8M8 11.7v.1"/>"#,
            // A stop octagon.
            Style::Caution => {
                r#"<path d="M5.3 1.5h5.4l3.8 3.8v5.4l-3.8 3.8H5.3l-3.8-3.8V5.3z"/><path d="M8 4.5v4M8 10.9v.1"/>"#
            }
        }
    }
}

/// A callout type the renderer knows: its name, the title shown when none is given, its look.
struct Kind {
    names: &'static [&'static str],
    label: &'static str,
    style: Style,
}

/// GitHub's five alerts, then Obsidian's types with their aliases. Where the two disagree
/// (`important`, `caution`) GitHub's look wins, so READMEs render as on GitHub.
const KINDS: &[Kind] = &[
    Kind {
        names: &["note"],
        label: "Note",
        style: Style::Note,
    },
    Kind {
        names: &["tip", "hint"],
        label: "Tip",
        style: Style::Tip,
    },
    Kind {
        names: &["important"],
        label: "Important",
        style: Style::Important,
    },
    Kind {
        names: &["warning", "attention"],
        label: "Warning",
        style: Style::Warning,
    },
    Kind {
        names: &["caution"],
        label: "Caution",
        style: Style::Caution,
    },
    Kind {
        names: &["abstract", "summary", "tldr"],
        label: "Summary",
        style: Style::Note,
    },
    Kind {
        names: &["info"],
        label: "Info",
        style: Style::Note,
    },
    Kind {
        names: &["todo"],
        label: "To do",
        style: Style::Note,
    },
    Kind {
        names: &["success", "check", "done"],
        label: "Success",
        style: Style::Tip,
    },
    Kind {
        names: &["question", "help", "faq"],
        label: "Question",
        style: Style::Important,
    },
    Kind {
        names: &["failure", "fail", "missing"],
        label: "Failure",
        style: Style::Caution,
    },
    Kind {
        names: &["danger", "error"],
        label: "Danger",
        style: Style::Caution,
    },
    Kind {
        names: &["bug"],
        label: "Bug",
        style: Style::Caution,
    },
    Kind {
        names: &["example"],
        label: "Example",
        style: Style::Important,
    },
    Kind {
        names: &["quote", "cite"],
        label: "Quote",
        style: Style::Note,
    },
];

fn kind_named(name: &str) -> Option<&'static Kind> {
    let lower = name.to_ascii_lowercase();
    KINDS.iter().find(|k| k.names.contains(&lower.as_str()))
}

/// Every type name, for the unknown-type warning.
fn known_names() -> String {
    let names: Vec<&str> = KINDS.iter().flat_map(|k| k.names.iter().copied()).collect();
    names.join(", ")
}

/// The known name closest to `name` by edit distance, if it is close enough to be a typo.
fn nearest(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    KINDS
        .iter()
        .flat_map(|k| k.names.iter().copied())
        .map(|n| (edit_distance(&lower, n), n))
        .filter(|(d, n)| *d <= 2.max(n.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The `[!type]` marker at the start of a callout, as written.
#[derive(Debug, PartialEq)]
struct Marker {
    name: String,
    /// `None`: not foldable; `Some(true)`: `+`, starts open; `Some(false)`: `-`, starts closed.
    fold: Option<bool>,
    /// Bytes of the text taken by `[!type]` and the fold sign.
    len: usize,
}

fn parse_marker(text: &str) -> Option<Marker> {
    let rest = text.strip_prefix("[!")?;
    let close = rest.find(']')?;
    let name = &rest[..close];
    let name_ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !name_ok {
        return None;
    }
    let after = &rest[close + 1..];
    let fold = match after.chars().next() {
        Some('-') => Some(false),
        Some('+') => Some(true),
        _ => None,
    };
    Some(Marker {
        name: name.to_string(),
        fold,
        len: 2 + close + 1 + usize::from(fold.is_some()),
    })
}

/// The type named by a `[!type]` marker at the start of `text`, if there is one.
pub(crate) fn marker_name(text: &str) -> Option<String> {
    parse_marker(text).map(|m| m.name)
}

/// What follows a `[!type]` marker (and its fold sign) in `text`; all of `text` without one.
pub(crate) fn after_marker(text: &str) -> &str {
    parse_marker(text).map_or(text, |m| &text[m.len..])
}

/// Turn block quotes that start with a `[!type]` marker into callouts. `warn` gets the byte
/// offset of an unknown type's marker and the message; the callout is still drawn, as a note.
pub(crate) fn callouts<'a>(events: Events<'a>, warn: &mut dyn FnMut(usize, String)) -> Events<'a> {
    let mut out: Events<'a> = Vec::with_capacity(events.len());
    // For each open block quote: the closing markup if it became a callout.
    let mut open: Vec<Option<&'static str>> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        match &events[i].0 {
            Event::Start(Tag::BlockQuote(_)) => match start_callout(&events, i, warn) {
                Some((produced, next, close)) => {
                    out.extend(produced);
                    open.push(Some(close));
                    i = next;
                    continue;
                }
                None => open.push(None),
            },
            Event::End(TagEnd::BlockQuote(_)) => {
                if let Some(Some(close)) = open.pop() {
                    out.push((Event::Html(close.into()), events[i].1.clone()));
                    i += 1;
                    continue;
                }
            }
            _ => {}
        }
        out.push(events[i].clone());
        i += 1;
    }
    out
}

/// The events of a paragraph's first line from `j`, and where the rest starts. Inline markup may
/// span a line break: the line ends at the first break outside it (the break is skipped).
pub(crate) fn first_line<'a>(events: &Events<'a>, j: usize) -> (Events<'a>, usize) {
    let mut line = Vec::new();
    let mut k = j;
    let mut depth = 0i32;
    while let Some((e, r)) = events.get(k) {
        match e {
            Event::SoftBreak | Event::HardBreak if depth == 0 => return (line, k + 1),
            Event::End(TagEnd::Paragraph) => break,
            Event::Start(_) => depth += 1,
            Event::End(_) => depth -= 1,
            _ => {}
        }
        line.push((e.clone(), r.clone()));
        k += 1;
    }
    (line, k)
}

/// If the block quote opened at `i` is a callout: its opening events (markup, title, and what is
/// left of the first paragraph), the index to carry on from, and the closing markup.
fn start_callout<'a>(
    events: &Events<'a>,
    i: usize,
    warn: &mut dyn FnMut(usize, String),
) -> Option<(Events<'a>, usize, &'static str)> {
    let para = i + 1;
    if !matches!(events.get(para), Some((Event::Start(Tag::Paragraph), _))) {
        return None;
    }
    // The marker may be split over several text events (`[`, `!tip`, `]`, `- Title`).
    let mut text = String::new();
    let mut j = para + 1;
    while let Some((Event::Text(t), _)) = events.get(j) {
        text.push_str(t);
        j += 1;
    }
    let marker = parse_marker(&text)?;
    let kind = kind_or_note(&marker.name, events[para + 1].1.start, warn);
    let range = events[i].1.clone();
    let (title, k) = title_events(events, j, &text[marker.len..], range.clone());
    let custom = title
        .iter()
        .any(|(e, _)| !matches!(e, Event::Text(t) if t.trim().is_empty()));
    let mut produced = open_markup(kind, marker.fold, custom, range.clone());
    if !custom {
        produced.push((Event::Text(kind.label.into()), range.clone()));
    }
    produced.extend(title);
    let (title_end, body_start) = match marker.fold {
        Some(_) => ("</summary>", "<div class=\"callout-body\">"),
        None => ("</p>", "<div class=\"callout-body\">"),
    };
    produced.push((
        Event::Html(format!("{title_end}\n{body_start}\n").into()),
        range.clone(),
    ));
    // The first paragraph goes on if more lines follow the title line.
    let next = if matches!(events.get(k), Some((Event::End(TagEnd::Paragraph), _))) {
        k + 1
    } else {
        produced.push((Event::Start(Tag::Paragraph), range));
        k
    };
    let close = match marker.fold {
        Some(_) => "</div></details>\n",
        None => "</div></div>\n",
    };
    Some((produced, next, close))
}

/// The kind a marker names; an unknown name is a note, with a warning at `at` naming the
/// nearest known type.
fn kind_or_note(name: &str, at: usize, warn: &mut dyn FnMut(usize, String)) -> &'static Kind {
    kind_named(name).unwrap_or_else(|| {
        let hint = nearest(name)
            .map(|n| format!(" Did you mean `{n}`?"))
            .unwrap_or_default();
        warn(
            at,
            format!(
                "unknown callout type `[!{name}]`: drawn as a note.{hint} Known types: {}",
                known_names()
            ),
        );
        &KINDS[0]
    })
}

/// The title: `after_marker` (the marker's text event after `[!type]`) and the rest of the
/// first line from event `j`; with the index of the event after the first line.
fn title_events<'a>(
    events: &Events<'a>,
    j: usize,
    after_marker: &str,
    range: Range<usize>,
) -> (Events<'a>, usize) {
    let rest = after_marker.trim_start().to_string();
    let mut title: Events<'a> = Vec::new();
    if !rest.is_empty() {
        title.push((Event::Text(rest.into()), range));
    }
    let (first, k) = first_line(events, j);
    title.extend(first);
    // The marker may end inside a text event: the title starts at the next non-space.
    if let Some((Event::Text(t), _)) = title.first_mut() {
        *t = t.trim_start().to_string().into();
    }
    (title, k)
}

/// The callout's opening tag and the start of its title line, up to the title text.
fn open_markup<'a>(
    kind: &Kind,
    fold: Option<bool>,
    custom: bool,
    range: Range<usize>,
) -> Events<'a> {
    let style = kind.style.class();
    let name = kind.names[0];
    let icon = format!(
        "<svg class=\"callout-icon\" aria-hidden=\"true\" focusable=\"false\" viewBox=\"0 0 16 16\" width=\"16\" height=\"16\">{}</svg>",
        kind.style.icon()
    );
    // The type in words, unless the title already is the type's name.
    let named = if custom {
        format!("<span class=\"visually-hidden\">{}: </span>", kind.label)
    } else {
        String::new()
    };
    let html = match fold {
        Some(open) => format!(
            "<details class=\"callout callout-{style}\" data-callout=\"{name}\"{}><summary class=\"callout-title\">{icon}{named}",
            if open { " open" } else { "" }
        ),
        None => format!(
            "<div class=\"callout callout-{style}\" data-callout=\"{name}\"><p class=\"callout-title\">{icon}{named}"
        ),
    };
    vec![(Event::Html(html.into()), range)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Options;

    /// Render `md` with the callout pass; returns the HTML and the warnings.
    fn render(md: &str) -> (String, Vec<(usize, String)>) {
        let events = crate::render::markdown::events(md);
        let mut warnings = Vec::new();
        let events = callouts(events, &mut |at, m| warnings.push((at, m)));
        let html = crate::render::markdown::html_of(events);
        (html, warnings)
    }

    #[test]
    fn every_github_alert_kind_gets_its_own_look_and_title() {
        for (marker, class, title) in [
            ("NOTE", "callout-note", "Note"),
            ("TIP", "callout-tip", "Tip"),
            ("IMPORTANT", "callout-important", "Important"),
            ("WARNING", "callout-warning", "Warning"),
            ("CAUTION", "callout-caution", "Caution"),
        ] {
            let (html, w) = render(&format!("> [!{marker}]\n> Useful text.\n"));
            assert!(w.is_empty(), "{w:?}");
            assert!(
                html.contains(&format!("<div class=\"callout {class}\"")),
                "{html}"
            );
            assert!(html.contains("aria-hidden=\"true\""), "{html}");
            assert!(html.contains(&format!("{title}</p>")), "{html}");
            assert!(html.contains("<p>Useful text.</p>"), "{html}");
            assert!(!html.contains("[!"), "{html}");
            assert!(!html.contains("blockquote"), "{html}");
        }
    }

    #[test]
    fn a_custom_title_is_shown_and_the_type_named_for_screen_readers() {
        let (html, _) = render("> [!tip] Key *takeaway*\n> Cache the hot keys.\n");
        assert!(
            html.contains("<span class=\"visually-hidden\">Tip: </span>Key <em>takeaway</em></p>"),
            "{html}"
        );
        assert!(html.contains("<p>Cache the hot keys.</p>"), "{html}");
    }

    #[test]
    fn obsidian_aliases_map_to_their_type() {
        for (alias, class, label) in [
            ("faq", "callout-important", "Question"),
            ("tldr", "callout-note", "Summary"),
            ("error", "callout-caution", "Danger"),
            ("done", "callout-tip", "Success"),
            ("Example", "callout-important", "Example"),
            ("cite", "callout-note", "Quote"),
        ] {
            let (html, w) = render(&format!("> [!{alias}]\n> Body.\n"));
            assert!(w.is_empty(), "{alias}: {w:?}");
            assert!(html.contains(class), "{alias}: {html}");
            assert!(html.contains(&format!("{label}</p>")), "{alias}: {html}");
        }
    }

    #[test]
    fn folding_signs_make_details_closed_or_open() {
        let (html, _) = render("> [!faq]- Why a queue?\n> It absorbs bursts.\n");
        assert!(
            html.contains(
                "<details class=\"callout callout-important\" data-callout=\"question\"><summary"
            ),
            "{html}"
        );
        assert!(html.contains("Why a queue?</summary>"), "{html}");
        assert!(html.contains("</div></details>"), "{html}");
        let (html, _) = render("> [!note]+\n> Open.\n");
        assert!(
            html.contains("data-callout=\"note\" open><summary"),
            "{html}"
        );
        assert!(html.contains("Note</summary>"), "{html}");
    }

    #[test]
    fn nested_callouts_and_plain_quotes_keep_their_structure() {
        let md =
            "> [!note] Outer\n> Before.\n>\n> > [!warning]\n> > Inner.\n>\n> > Just a quote.\n";
        let (html, _) = render(md);
        assert_eq!(html.matches("<div class=\"callout ").count(), 2, "{html}");
        assert_eq!(html.matches("</div></div>").count(), 2, "{html}");
        assert!(
            html.contains("<blockquote>\n<p>Just a quote.</p>\n</blockquote>"),
            "{html}"
        );
        let outer = html.find("callout-note").unwrap();
        let inner = html.find("callout-warning").unwrap();
        let quote = html.find("<blockquote>").unwrap();
        let last_close = html.rfind("</div></div>").unwrap();
        assert!(
            outer < inner && inner < quote && quote < last_close,
            "{html}"
        );
    }

    #[test]
    fn a_callout_inside_a_list_item_stays_in_the_item() {
        let (html, _) = render("- Step one\n\n  > [!tip]\n  > Do this first.\n- Step two\n");
        let li = html.find("<li>").unwrap();
        let callout = html.find("callout-tip").unwrap();
        let end = html.find("</li>").unwrap();
        assert!(li < callout && callout < end, "{html}");
        assert!(html.contains("<p>Do this first.</p>"), "{html}");
    }

    #[test]
    fn an_unknown_type_is_a_note_with_a_warning_naming_the_nearest() {
        let md = "Intro.\n\n> [!warnign] Careful\n> Text.\n";
        let (html, w) = render(md);
        assert!(html.contains("callout-note"), "{html}");
        assert!(html.contains("Careful</p>"), "{html}");
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].0, md.find("[!warnign]").unwrap());
        assert!(w[0].1.contains("`[!warnign]`"), "{}", w[0].1);
        assert!(w[0].1.contains("Did you mean `warning`?"), "{}", w[0].1);
        assert!(w[0].1.contains("note, tip, hint, important"), "{}", w[0].1);
    }

    #[test]
    fn quotes_without_a_marker_and_links_stay_as_they_are() {
        let (html, w) = render("> Just [a link](x.md) in a quote.\n\n> [not a marker]\n");
        assert!(w.is_empty());
        assert_eq!(html.matches("<blockquote>").count(), 2, "{html}");
        let (html, _) = render("> [!tip]\n> See [the cache note](08-caching.md).\n");
        assert!(
            html.contains("<a href=\"08-caching.md\">the cache note</a>"),
            "{html}"
        );
    }

    #[test]
    fn a_marker_alone_in_its_paragraph_leaves_no_empty_paragraph() {
        let (html, _) = render("> [!NOTE]\n>\n> Second paragraph.\n");
        assert!(!html.contains("<p></p>"), "{html}");
        assert!(html.contains("<p>Second paragraph.</p>"), "{html}");
    }

    #[test]
    fn marker_parsing() {
        assert_eq!(
            parse_marker("[!faq]- t"),
            Some(Marker {
                name: "faq".into(),
                fold: Some(false),
                len: 7
            })
        );
        assert_eq!(parse_marker("[! x]"), None);
        assert_eq!(parse_marker("[!]"), None);
        assert_eq!(parse_marker("[x]"), None);
        let _ = Options::empty();
    }
}
