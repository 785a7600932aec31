//! The light and the dark theme: a token's classes (its colour's place in each palette, its font style) and the one stylesheet for them.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::LazyLock;
use syntect::highlighting::{Color, FontStyle, Highlighter, Style, Theme};
use syntect::parsing::{Scope, ScopeStack};

/// The classes for text under `stack`, computed once per distinct stack and thread.
pub(crate) fn classes_for(stack: &ScopeStack) -> Option<Rc<str>> {
    thread_local! {
        static CLASSES: std::cell::RefCell<HashMap<Vec<Scope>, Option<Rc<str>>>> =
            std::cell::RefCell::new(HashMap::new());
    }
    CLASSES.with(|c| {
        if let Some(hit) = c.borrow().get(stack.as_slice()) {
            return hit.clone();
        }
        let themes = &*THEMES;
        let style = |p: &Palette| {
            if stack.is_empty() {
                // What syntect's own iterator gives text outside every scope.
                Style::default()
            } else {
                p.highlighter.style_for_stack(stack.as_slice())
            }
        };
        let class: Option<Rc<str>> = themes
            .class(style(&themes.light), style(&themes.dark))
            .map(Rc::from);
        c.borrow_mut()
            .insert(stack.as_slice().to_vec(), class.clone());
        class
    })
}

/// A theme, its highlighter, and its palette: every colour its rules can give, in a fixed order,
/// so a token's class names the colour by position (`l3`, `d7`), the same on every build.
struct Palette {
    highlighter: Highlighter<'static>,
    colors: Vec<Color>,
    default: Style,
}

impl Palette {
    fn new(theme: &'static Theme) -> Palette {
        let highlighter = Highlighter::new(theme);
        let default = highlighter.get_default();
        let mut colors: Vec<Color> = theme
            .scopes
            .iter()
            .filter_map(|item| item.style.foreground)
            .chain([default.foreground])
            .collect();
        colors.sort_by_key(|c| (c.r, c.g, c.b, c.a));
        colors.dedup();
        Palette {
            highlighter,
            colors,
            default,
        }
    }

    fn index(&self, c: Color) -> usize {
        self.colors
            .iter()
            .position(|&p| p == c)
            .or_else(|| {
                self.colors
                    .iter()
                    .position(|&p| p == self.default.foreground)
            })
            .unwrap_or(0)
    }

    fn is_plain(&self, s: Style) -> bool {
        s.foreground == self.default.foreground && s.font_style.is_empty()
    }
}

/// The light and the dark theme.
pub(crate) struct Themes {
    light: Palette,
    dark: Palette,
}

impl Themes {
    /// Classes for a token: its colour in both themes (`l3 d7`) and its font style per theme
    /// (`li`, `db`...), or `None` when both themes show it as plain text.
    fn class(&self, light: Style, dark: Style) -> Option<String> {
        if self.light.is_plain(light) && self.dark.is_plain(dark) {
            return None;
        }
        let mut c = format!(
            "l{} d{}",
            self.light.index(light.foreground),
            self.dark.index(dark.foreground)
        );
        for (prefix, style) in [('l', light), ('d', dark)] {
            for (flag, letter) in FONT_FLAGS {
                if style.font_style.contains(flag) {
                    c.push(' ');
                    c.push(prefix);
                    c.push(letter);
                }
            }
        }
        Some(c)
    }
}

const FONT_FLAGS: [(FontStyle, char); 3] = [
    (FontStyle::BOLD, 'b'),
    (FontStyle::ITALIC, 'i'),
    (FontStyle::UNDERLINE, 'u'),
];

static THEME_SET: LazyLock<(Theme, Theme)> = LazyLock::new(|| {
    use two_face::theme::EmbeddedThemeName as T;
    let set = two_face::theme::extra();
    (
        set.get(T::ColdarkCold).clone(),
        set.get(T::ColdarkDark).clone(),
    )
});

pub(crate) static THEMES: LazyLock<Themes> = LazyLock::new(|| Themes {
    light: Palette::new(&THEME_SET.0),
    dark: Palette::new(&THEME_SET.1),
});

fn css_color(c: Color) -> String {
    if c.a == 0xff {
        format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b)
    } else {
        format!("#{:02x}{:02x}{:02x}{:02x}", c.r, c.g, c.b, c.a)
    }
}

/// Rules for one theme's classes (`prefix` `l` or `d`) under the CSS selector `scope`; `reset`
/// first cancels the other theme's font styles.
fn palette_rules(p: &Palette, prefix: char, scope: &str, reset: bool) -> String {
    let mut out = format!(
        "{scope}.hl-code {{ color: {} }}\n",
        css_color(p.default.foreground)
    );
    if reset {
        out.push_str(&format!(
            "{scope}.hl-code .lb {{ font-weight: inherit }} {scope}.hl-code .li {{ font-style: inherit }} {scope}.hl-code .lu {{ text-decoration: inherit }}\n"
        ));
    }
    for (i, &c) in p.colors.iter().enumerate() {
        out.push_str(&format!(
            "{scope}.hl-code .{prefix}{i} {{ color: {} }}\n",
            css_color(c)
        ));
    }
    out.push_str(&format!(
        "{scope}.hl-code .{prefix}b {{ font-weight: bold }} {scope}.hl-code .{prefix}i {{ font-style: italic }} {scope}.hl-code .{prefix}u {{ text-decoration: underline }}\n"
    ));
    out
}

/// One stylesheet with the light theme by default and the dark one under the theme switch
/// and `prefers-color-scheme`.
pub(crate) fn stylesheet() -> String {
    let themes = &*THEMES;
    let mut out = String::from(
        "/* Code highlighting: Coldark Cold (light) and Coldark Dark, generated by handbook. */\n",
    );
    out.push_str(&palette_rules(&themes.light, 'l', "", false));
    out.push_str(&palette_rules(
        &themes.dark,
        'd',
        ":root[data-theme=\"dark\"] ",
        true,
    ));
    out.push_str("@media (prefers-color-scheme: dark) {\n");
    out.push_str(&palette_rules(
        &themes.dark,
        'd',
        ":root:not([data-theme=\"light\"]) ",
        true,
    ));
    out.push_str("}\n");
    out
}
