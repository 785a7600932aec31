//! Code highlighted line by line into classed spans, with a per-thread memo of lines already seen in the same state.

use super::SYNTAXES;
use super::theme::classes_for;
use std::collections::HashMap;
use std::rc::Rc;
use syntect::parsing::{ParseState, ScopeStack, ScopeStackOp, SyntaxReference};
use syntect::util::LinesWithEndings;

pub(crate) fn highlight_lines(syntax: &'static SyntaxReference, code: &str) -> Vec<String> {
    let mut state = LineState {
        parse: ParseState::new(syntax),
        stack: ScopeStack::new(),
    };
    let mut lines = Vec::new();
    for line in LinesWithEndings::from(code) {
        if let Some(html) = LINE_MEMO.with(|m| m.borrow().replay(syntax, line, &mut state)) {
            lines.push(html);
            continue;
        }
        // A line seen for the first time is only counted: its states are cloned and kept from
        // its second sighting on.
        let before = LINE_MEMO
            .with(|m| m.borrow_mut().seen_again(syntax, line))
            .then(|| state.clone());
        let Some(html) = state
            .parse
            .parse_line(line, &SYNTAXES)
            .ok()
            .and_then(|ops| line_html(line, &ops, &mut state.stack))
        else {
            // A grammar failure should never lose the code: fall back to plain text.
            return code.lines().map(crate::util::text::escape).collect();
        };
        if let Some(before) = before {
            LINE_MEMO.with(|m| {
                m.borrow_mut()
                    .record(syntax, line, before, html.clone(), state.clone())
            });
        }
        lines.push(html);
    }
    lines
}

/// Where the highlighter is between two lines: the grammar's parse state and the scopes open.
#[derive(Clone, PartialEq)]
struct LineState {
    parse: ParseState,
    stack: ScopeStack,
}

/// Lines already highlighted, by text: the same line in the same state always gives the same
/// HTML and the same next state, so a repeated line (`}`, a blank line, a common header or
/// import) is not parsed again. One per thread, so threads never wait for each other.
#[derive(Default)]
struct LineMemo {
    lines: HashMap<String, Vec<MemoEntry>>,
    entries: usize,
    /// Hashes of lines seen once: a line is kept only when it comes again, so lines that
    /// never repeat cost a hash, not two parser states.
    seen: std::collections::HashSet<u64>,
}

struct MemoEntry {
    syntax: *const SyntaxReference,
    before: LineState,
    html: String,
    after: LineState,
}

/// Lines kept per thread before the memo starts over (bounds its memory on huge books).
const MEMO_LINES: usize = 50_000;
/// States kept per distinct line text.
const MEMO_STATES: usize = 4;

impl LineMemo {
    fn replay(
        &self,
        syntax: &'static SyntaxReference,
        line: &str,
        state: &mut LineState,
    ) -> Option<String> {
        let e = self
            .lines
            .get(line)?
            .iter()
            .find(|e| std::ptr::eq(e.syntax, syntax) && e.before == *state)?;
        *state = e.after.clone();
        Some(e.html.clone())
    }

    /// Count a sighting of `line`; true when it was seen before (then it is worth keeping).
    fn seen_again(&mut self, syntax: &'static SyntaxReference, line: &str) -> bool {
        if self.entries >= MEMO_LINES || self.seen.len() >= 8 * MEMO_LINES {
            *self = LineMemo::default();
        }
        let h = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (syntax as *const SyntaxReference as usize, line).hash(&mut h);
            h.finish()
        };
        !self.seen.insert(h)
    }

    fn record(
        &mut self,
        syntax: &'static SyntaxReference,
        line: &str,
        before: LineState,
        html: String,
        after: LineState,
    ) {
        let slot = self.lines.entry(line.to_string()).or_default();
        if slot.len() < MEMO_STATES {
            slot.push(MemoEntry {
                syntax,
                before,
                html,
                after,
            });
            self.entries += 1;
        }
    }
}

/// Drop every thread's line memo (a one-shot build needs the memory more than the memo): the
/// pool's threads' and the caller's, which may be outside the pool.
pub fn forget_lines() {
    let forget = || LINE_MEMO.with(|m| *m.borrow_mut() = LineMemo::default());
    forget();
    rayon::broadcast(|_| forget());
}

thread_local! {
    static LINE_MEMO: std::cell::RefCell<LineMemo> = std::cell::RefCell::new(LineMemo::default());
}

/// One line's HTML from the grammar's scope changes: a span per run of text with the same
/// classes, none for text in the default colours. `stack` holds the scopes open before the
/// line and is left with those open after it; `None` if the grammar gave an impossible change.
fn line_html(line: &str, ops: &[(usize, ScopeStackOp)], stack: &mut ScopeStack) -> Option<String> {
    // Runs of text with the same classes, as (classes, start, end) in `line`.
    let mut runs: Vec<(Option<Rc<str>>, usize, usize)> = Vec::new();
    let mut push = |class: Option<Rc<str>>, start: usize, end: usize| {
        if start == end {
            return;
        }
        match runs.last_mut() {
            Some(last) if last.0 == class => last.2 = end,
            _ => runs.push((class, start, end)),
        }
    };
    let mut at = 0;
    let mut class = classes_for(stack);
    for (pos, op) in ops {
        push(class, at, *pos);
        at = *pos;
        stack.apply(op).ok()?;
        class = classes_for(stack);
    }
    push(class, at, line.len());
    let mut out = String::with_capacity(line.len() * 2);
    for (class, start, end) in runs {
        let text = crate::util::text::escape(line[start..end].trim_end_matches(['\n', '\r']));
        if text.is_empty() {
            continue;
        }
        match class {
            Some(class) => {
                out.push_str("<span class=\"");
                out.push_str(&class);
                out.push_str("\">");
                out.push_str(&text);
                out.push_str("</span>");
            }
            None => out.push_str(&text),
        }
    }
    Some(out)
}
