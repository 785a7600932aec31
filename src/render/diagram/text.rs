//! Estimates how wide text renders, so boxes can be sized to their labels without a font.

/// Font size of box labels and message text, in px.
pub(crate) const MAIN_SIZE: f64 = 14.0;
/// Font size of sublabels, examples and other secondary text, in px.
pub(crate) const SUB_SIZE: f64 = 11.5;
/// Line height of main text, in px.
pub(crate) const MAIN_LINE: f64 = 18.0;
/// Line height of secondary text, in px.
pub(crate) const SUB_LINE: f64 = 15.0;

/// Widths of printable ASCII (0x20..=0x7e) in thousandths of an em, modelled on a typical
/// sans-serif (Helvetica/Arial metrics).
const ASCII: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278,
    278, // ' '..'/'
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584,
    556, // '0'..'?'
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722,
    778, // '@'..'O'
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469,
    556, // 'P'..'_'
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556,
    556, // '`'..'o'
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // 'p'..'~'
];

/// Safety factor: system-ui fonts (Segoe UI, SF, Roboto, DejaVu Sans) run up to ~10% wider
/// than Arial, so the estimate errs on the roomy side.
const SLACK: f64 = 1.1;

fn char_em(c: char) -> f64 {
    let code = c as u32;
    if (0x20..=0x7e).contains(&code) {
        return f64::from(ASCII[(code - 0x20) as usize]) / 1000.0;
    }
    match code {
        // Combining marks and zero-width characters take no space.
        0x0300..=0x036f | 0x200b..=0x200f | 0xfe00..=0xfe0f => 0.0,
        // CJK, Hangul, fullwidth forms and emoji are about one em wide.
        0x1100..=0x115f
        | 0x2e80..=0xa4cf
        | 0xac00..=0xd7a3
        | 0xf900..=0xfaff
        | 0xff00..=0xff60
        | 0x1f300..=0x1faff => 1.0,
        // Arrows and symbols.
        0x2190..=0x22ff => 0.8,
        // Narrow punctuation such as typographic quotes and the en dash.
        0x2018..=0x201f => 0.3,
        0x2013 => 0.556,
        0x2014 => 1.0,
        _ => 0.62,
    }
}

/// Estimated rendered width in px of `s` at `size` px; `bold` text is about 7% wider.
pub(crate) fn width(s: &str, size: f64, bold: bool) -> f64 {
    let em: f64 = s.chars().map(char_em).sum();
    let w = em * size * SLACK;
    if bold { w * 1.07 } else { w }
}

/// Splits `s` into at most two lines, breaking at the space nearest the middle, when it has
/// more than `max_chars` characters. Text without spaces stays on one line.
pub(crate) fn wrap_two(s: &str, max_chars: usize) -> Vec<String> {
    let len = s.chars().count();
    if len <= max_chars {
        return vec![s.to_string()];
    }
    let middle = len / 2;
    let best = s
        .char_indices()
        .enumerate()
        .filter(|(_, (_, c))| *c == ' ')
        .min_by_key(|(ci, _)| ci.abs_diff(middle))
        .map(|(_, (bi, _))| bi);
    match best {
        Some(bi) => {
            let (a, b) = s.split_at(bi);
            vec![a.trim().to_string(), b.trim().to_string()]
        }
        None => vec![s.to_string()],
    }
}

/// Greedy word wrap into lines of at most `max_chars` characters (a longer word keeps its
/// own line).
pub(crate) fn wrap_greedy(s: &str, max_chars: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in s.split_whitespace() {
        let fits = cur.chars().count() + 1 + word.chars().count() <= max_chars;
        if cur.is_empty() {
            cur.push_str(word);
        } else if fits {
            cur.push(' ');
            cur.push_str(word);
        } else {
            lines.push(std::mem::take(&mut cur));
            cur.push_str(word);
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_letters_are_wider_than_narrow_ones() {
        assert!(width("MMMM", 14.0, false) > width("iiii", 14.0, false) * 3.0);
        assert!(width("abc", 14.0, true) > width("abc", 14.0, false));
        assert_eq!(width("", 14.0, false), 0.0);
    }

    #[test]
    fn wraps_at_the_middle_space() {
        assert_eq!(wrap_two("short", 24), vec!["short"]);
        assert_eq!(
            wrap_two("Authentication and authorization service", 24),
            vec!["Authentication and", "authorization service"]
        );
        assert_eq!(wrap_two(&"x".repeat(40), 24).len(), 1);
        assert_eq!(wrap_greedy("a bb ccc dddd", 6), vec!["a bb", "ccc", "dddd"]);
        assert_eq!(wrap_greedy("", 6), vec![""]);
    }
}
