//! Text renderings of resolved diagnostics.

use crate::{ResolvedDiagnostic, Severity};

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
/// caret underline, then notes and the suggestion.
pub fn render_pretty(d: &ResolvedDiagnostic, opts: RenderOptions) -> String {
    let paint = |style: &str, text: &str| paint(opts.color, style, text);
    let level_style = match d.severity {
        Severity::Error => RED,
        Severity::Warning => YELLOW,
    };
    let mut out = String::new();
    out.push_str(&paint(BOLD, &format!("{}:{}:{}", d.file, d.line, d.column)));
    out.push_str(": ");
    out.push_str(&paint(
        level_style,
        &format!("{}[{}]", d.severity.as_str(), d.code),
    ));
    out.push_str(": ");
    out.push_str(&d.message);
    out.push('\n');

    let gutter = d.line.to_string();
    let pad = " ".repeat(gutter.len());
    let snippet: String = d
        .snippet
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    out.push_str(&paint(BLUE, &format!("{gutter} | ")));
    out.push_str(&snippet);
    out.push('\n');
    let start = d.column.saturating_sub(1) as usize;
    let line_len = snippet.chars().count();
    let width = if d.end_line == d.line {
        (d.end_column.saturating_sub(d.column) as usize).max(1)
    } else {
        line_len.saturating_sub(start).max(1)
    };
    out.push_str(&paint(BLUE, &format!("{pad} | ")));
    out.push_str(&" ".repeat(start));
    out.push_str(&paint(level_style, &"^".repeat(width)));
    out.push('\n');
    for note in &d.notes {
        out.push_str(&paint(BLUE, &format!("{pad} = ")));
        out.push_str(&format!("note: {note}\n"));
    }
    if let Some(s) = &d.suggestion {
        out.push_str(&paint(BLUE, &format!("{pad} = ")));
        out.push_str(&format!("help: {s}\n"));
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
                d.message, d.line, d.column
            )
        }
        code => {
            let kind = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            format!(
                "Type {kind} [{code}] at line {}, column {}: {}\n> {}",
                d.line, d.column, d.message, d.snippet
            )
        }
    }
}
