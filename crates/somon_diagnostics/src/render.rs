//! Text renderings of resolved diagnostics.

use crate::escape::{escape_control, push_escaped_char};
use crate::{Lang, ResolvedDiagnostic, Severity};

#[derive(Clone, Copy, Debug, Default)]
pub struct RenderOptions {
    pub color: bool,
}

/// Terminal styles for [`paint`].
pub const RED: &str = "\x1b[1;31m";
pub const YELLOW: &str = "\x1b[1;33m";
pub const BLUE: &str = "\x1b[1;34m";
pub const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// `text` in `style` when `color` is on, as it is otherwise.
pub fn paint(color: bool, style: &str, text: &str) -> String {
    if color {
        format!("{style}{text}{RESET}")
    } else {
        text.to_string()
    }
}

/// `file:line:column: error[CODE]: message`, then the source line with a
/// caret underline, then notes and the suggestion. Every text from outside
/// (file name, message, source line) is printed with control, bidirectional
/// and zero-width characters escaped ([`crate::escape`]); the underline
/// follows the escaped line.
pub fn render_pretty(d: &ResolvedDiagnostic, opts: RenderOptions) -> String {
    render_pretty_in(d, opts, Lang::En)
}

/// The `note` and `help` labels of [`render_pretty_in`] in `lang`.
fn labels(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::En => ("note", "help"),
        Lang::Tg => ("эзоҳ", "маслиҳат"),
        Lang::Ru => ("примечание", "подсказка"),
    }
}

/// [`render_pretty`] with the `note`/`help` labels in `lang` (the texts
/// are already in it).
pub fn render_pretty_in(d: &ResolvedDiagnostic, opts: RenderOptions, lang: Lang) -> String {
    let (note_label, help_label) = labels(lang);
    let paint = |style: &str, text: &str| paint(opts.color, style, text);
    let level_style = match d.severity {
        Severity::Error => RED,
        Severity::Warning => YELLOW,
    };
    let mut out = String::new();
    out.push_str(&paint(
        BOLD,
        &format!("{}:{}:{}", escape_control(&d.file), d.line, d.column),
    ));
    out.push_str(": ");
    out.push_str(&paint(
        level_style,
        &format!("{}[{}]", d.severity.as_str(), d.code),
    ));
    out.push_str(": ");
    out.push_str(&escape_control(&d.message));
    out.push('\n');

    let gutter = d.line.to_string();
    let pad = " ".repeat(gutter.len());
    // The snippet may be a window of a long line (`snippet_offset`).
    let start = (d.column.saturating_sub(1)).saturating_sub(d.snippet_offset) as usize;
    let chars: Vec<char> = d.snippet.chars().collect();
    let width = if d.end_line == d.line {
        (d.end_column.saturating_sub(d.column) as usize).max(1)
    } else {
        chars.len().saturating_sub(start).max(1)
    };
    // Escaped text, and where each character starts in it.
    let mut snippet = String::with_capacity(d.snippet.len());
    let mut shown_at = Vec::with_capacity(chars.len() + 1);
    let mut shown = 0usize;
    for &c in &chars {
        shown_at.push(shown);
        let before = snippet.len();
        if c == '\t' {
            snippet.push(' ');
        } else {
            push_escaped_char(&mut snippet, c, false);
        }
        shown += snippet[before..].chars().count();
    }
    shown_at.push(shown);
    // Past the end of the line (a caret at its end) counts on from there.
    let at = |i: usize| {
        shown_at.get(i.min(chars.len())).copied().unwrap_or(shown) + i.saturating_sub(chars.len())
    };
    let caret_start = at(start);
    let caret_width = at(start + width).saturating_sub(caret_start).max(1);
    out.push_str(&paint(BLUE, &format!("{gutter} | ")));
    out.push_str(&snippet);
    out.push('\n');
    out.push_str(&paint(BLUE, &format!("{pad} | ")));
    out.push_str(&" ".repeat(caret_start));
    out.push_str(&paint(level_style, &"^".repeat(caret_width)));
    out.push('\n');
    for note in &d.notes {
        out.push_str(&paint(BLUE, &format!("{pad} = ")));
        out.push_str(&format!("{note_label}: {}\n", escape_control(note)));
    }
    if let Some(s) = &d.suggestion {
        out.push_str(&paint(BLUE, &format!("{pad} = ")));
        out.push_str(&format!("{help_label}: {}\n", escape_control(s)));
    }
    out
}

/// The old compiler's one-line string forms, kept for the `errors` and
/// `warnings` arrays of the compile result.
pub fn render_legacy(d: &ResolvedDiagnostic) -> String {
    match d.code {
        "LEX" | "SYNTAX" | "DEPTH" | "TOP_LEVEL_AWAIT" => {
            format!(
                "Parse error: {} at line {}, column {}",
                escape_control(&d.message),
                d.line,
                d.column
            )
        }
        code => {
            let kind = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            format!(
                "Type {kind} [{code}] at line {}, column {}: {}\n> {}",
                d.line,
                d.column,
                escape_control(&d.message),
                escape_control(&d.snippet)
            )
        }
    }
}
