//! Diagnostics as data.
//!
//! Every problem the project reports — lexer, parser, checker, module system,
//! CLI — is a [`Diagnostic`]: a [`Message`] from the single catalogue (which
//! knows its stable code and its English, Tajik and Russian text), a severity
//! and a byte [`Span`]. Positions become 1-based lines and character columns
//! only at the edge, in [`Diagnostic::resolve`], so the core never counts
//! characters it does not need to.

pub mod escape;
mod lang;
mod line_index;
mod message;
pub mod render;

pub use escape::{escape_control, is_bidi_control};
pub use lang::Lang;
pub use line_index::LineIndex;
pub use message::{Found, Message};
pub use render::{paint, render_legacy, render_pretty, render_pretty_in, RenderOptions};

use serde::Serialize;

/// A half-open byte range `lo..hi` into one source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub lo: u32,
    pub hi: u32,
}

impl Span {
    pub const fn new(lo: u32, hi: u32) -> Self {
        Span { lo, hi }
    }

    /// An empty span at `pos`.
    pub const fn at(pos: u32) -> Self {
        Span { lo: pos, hi: pos }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            lo: self.lo.min(other.lo),
            hi: self.hi.max(other.hi),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem found in one source text.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: Message,
    pub span: Span,
    /// Extra explanations (look-alike characters, the cycle that was found …).
    pub notes: Vec<Message>,
    /// A proposed fix ("did you mean …?").
    pub suggestion: Option<Message>,
    /// The edit the suggestion proposes, for editors: replace the text of
    /// `span` with `text`.
    pub replacement: Option<Replacement>,
}

/// A text edit: the bytes of `span` become `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replacement {
    pub span: Span,
    pub text: String,
}

/// A [`Replacement`] with its range in lines and columns (1-based,
/// columns in characters; the end is exclusive).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolvedReplacement {
    pub text: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl Diagnostic {
    pub fn error(message: Message, span: Span) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message,
            span,
            notes: Vec::new(),
            suggestion: None,
            replacement: None,
        }
    }

    pub fn warning(message: Message, span: Span) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message, span)
        }
    }

    pub fn with_note(mut self, note: Message) -> Self {
        self.notes.push(note);
        self
    }

    pub fn with_suggestion(mut self, suggestion: Message) -> Self {
        self.suggestion = Some(suggestion);
        self
    }

    /// The edit that applies the suggestion: `span` becomes `text`.
    pub fn with_replacement(mut self, span: Span, text: impl Into<String>) -> Self {
        self.replacement = Some(Replacement {
            span,
            text: text.into(),
        });
        self
    }

    pub fn code(&self) -> &'static str {
        self.message.code()
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Turns byte offsets into lines and columns and renders the texts in
    /// `lang`: the form every consumer (CLI, napi, tests) works with.
    pub fn resolve(
        &self,
        file: &str,
        index: &LineIndex,
        source: &str,
        lang: Lang,
    ) -> ResolvedDiagnostic {
        let start = index.line_col(source, self.span.lo);
        let end = index.line_col(source, self.span.hi.max(self.span.lo));
        let (snippet, snippet_offset) = index.snippet(source, self.span.lo);
        ResolvedDiagnostic {
            severity: self.severity,
            code: self.code(),
            message: self.message.render(lang),
            file: file.to_string(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            snippet,
            snippet_offset,
            notes: self.notes.iter().map(|n| n.render(lang)).collect(),
            suggestion: self.suggestion.as_ref().map(|s| s.render(lang)),
            replacement: self.replacement.as_ref().map(|r| {
                let from = index.line_col(source, r.span.lo);
                let to = index.line_col(source, r.span.hi.max(r.span.lo));
                ResolvedReplacement {
                    text: r.text.clone(),
                    line: from.line,
                    column: from.column,
                    end_line: to.line,
                    end_column: to.column,
                }
            }),
        }
    }
}

/// [`Diagnostic::resolve`] of every diagnostic of one file, with one line
/// index of its text (none is built when there is no diagnostic).
pub fn resolve_all(
    diags: &[Diagnostic],
    file: &str,
    source: &str,
    lang: Lang,
) -> Vec<ResolvedDiagnostic> {
    if diags.is_empty() {
        return Vec::new();
    }
    let index = LineIndex::new(source);
    diags
        .iter()
        .map(|d| d.resolve(file, &index, source, lang))
        .collect()
}

/// A diagnostic with its position in lines and columns (1-based, columns in
/// Unicode scalar values) and its texts rendered in one language.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolvedDiagnostic {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    /// The text of the source line the diagnostic starts on; for a line of
    /// more than [`SNIPPET_MAX_CHARS`] characters, a window of
    /// [`SNIPPET_WINDOW_CHARS`] around the column with `…` where it was cut
    /// (so a minified line is never copied into every diagnostic).
    pub snippet: String,
    /// Characters of the line before the snippet's first, minus the `…`
    /// that stands for them: column `c` is character `c - 1 -
    /// snippet_offset` of the snippet. 0 for a whole line.
    #[serde(skip_serializing_if = "is_zero")]
    pub snippet_offset: u32,
    pub notes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// The edit the suggestion proposes (for editors).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replacement: Option<ResolvedReplacement>,
}

impl ResolvedDiagnostic {
    /// A diagnostic about a whole file (no position in it): an internal
    /// error, a file that cannot be read.
    pub fn whole_file(code: &'static str, file: &str, message: String) -> Self {
        ResolvedDiagnostic {
            severity: Severity::Error,
            code,
            message,
            file: file.to_string(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
            snippet: String::new(),
            snippet_offset: 0,
            notes: Vec::new(),
            suggestion: None,
            replacement: None,
        }
    }
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Lines up to this many characters are shown whole in diagnostics.
pub const SNIPPET_MAX_CHARS: usize = 200;
/// Characters of a longer line shown around the diagnostic's column.
pub const SNIPPET_WINDOW_CHARS: usize = 120;
/// Characters of the window before the column.
const SNIPPET_BEFORE_CHARS: usize = 40;

/// The snippet of `line` for a diagnostic at byte `at` of it, which is
/// its 1-based character `column`, and the snippet's offset (see
/// [`ResolvedDiagnostic::snippet_offset`]). Costs O(window), not O(line).
pub fn snippet_window(line: &str, at: usize, column: u32) -> (String, u32) {
    if line.len() <= SNIPPET_MAX_CHARS || line.chars().nth(SNIPPET_MAX_CHARS).is_none() {
        return (line.to_string(), 0);
    }
    let mut at = at.min(line.len());
    while !line.is_char_boundary(at) {
        at -= 1;
    }
    let before = line.get(..at).unwrap_or("");
    // Up to SNIPPET_BEFORE_CHARS characters before the column.
    let (start, shown_before) = before
        .char_indices()
        .rev()
        .take(SNIPPET_BEFORE_CHARS)
        .enumerate()
        .last()
        .map_or((at, 0), |(n, (i, _))| (i, n + 1));
    let cut = (column.saturating_sub(1) as usize).saturating_sub(shown_before);
    let rest = line.get(start..).unwrap_or("");
    let end = rest
        .char_indices()
        .nth(SNIPPET_WINDOW_CHARS)
        .map_or(rest.len(), |(i, _)| i);
    let mut window = String::with_capacity(end + 8);
    if cut > 0 {
        window.push('…');
    }
    window.push_str(rest.get(..end).unwrap_or(""));
    if end < rest.len() {
        window.push('…');
    }
    let offset = cut.saturating_sub(1);
    (window, u32::try_from(offset).unwrap_or(u32::MAX))
}

/// Sorts diagnostics by position so output does not depend on the order in
/// which passes ran.
/// The text a panic was raised with (`panic!("…")` gives a `&str` or a
/// `String`), for reporting a compiler bug; `None` for other payloads.
pub fn panic_text(payload: &(dyn std::any::Any + Send)) -> Option<&str> {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
}

pub fn sort_diagnostics(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| (a.span.lo, a.span.hi, a.code()).cmp(&(b.span.lo, b.span.hi, b.code())));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The character the rendered caret stands under, in the rendered
    /// snippet line.
    fn under_caret(rendered: &str) -> String {
        let lines: Vec<&str> = rendered.lines().collect();
        let caret_line = lines.get(2).copied().unwrap_or_default();
        let at = caret_line.chars().position(|c| c == '^').unwrap_or(0);
        let snippet_line = lines.get(1).copied().unwrap_or_default();
        snippet_line.chars().skip(at).take(3).collect()
    }

    #[test]
    fn long_lines_are_windowed_and_the_caret_follows() {
        let source = format!("{}ХАТО{}\n", "ҷ".repeat(50_000), "x".repeat(50_000));
        let lo = source.find("ХАТО").map_or(0, |i| i as u32);
        let d = Diagnostic::error(Message::UnterminatedString, Span::new(lo, lo + 8));
        let r = d.resolve("a.som", &LineIndex::new(&source), &source, Lang::En);
        assert_eq!(r.column, 50_001);
        assert!(r.snippet.chars().count() <= SNIPPET_WINDOW_CHARS + 2);
        assert!(r.snippet.starts_with('…') && r.snippet.ends_with('…'));
        let rendered = render_pretty(&r, RenderOptions::default());
        assert_eq!(under_caret(&rendered), "ХАТ", "{rendered}");
        assert!(rendered.contains("^^^^\n"), "{rendered}");
        // Short lines are whole, and escaped characters move the caret.
        let source = "а\u{202e}б = ХАТО;\n";
        let lo = source.find("ХАТО").map_or(0, |i| i as u32);
        let d = Diagnostic::error(Message::UnterminatedString, Span::new(lo, lo + 8));
        let r = d.resolve("a\nb.som", &LineIndex::new(source), source, Lang::En);
        assert_eq!(
            (r.snippet.as_str(), r.snippet_offset),
            ("а\u{202e}б = ХАТО;", 0)
        );
        let rendered = render_pretty(&r, RenderOptions::default());
        assert!(rendered.starts_with("a\\nb.som:1:7: "), "{rendered}");
        assert!(rendered.contains("а\\u{202e}б = ХАТО;"), "{rendered}");
        assert_eq!(under_caret(&rendered), "ХАТ", "{rendered}");
    }

    /// The edit of a suggestion is resolved with the diagnostic, and the
    /// `note`/`help` labels follow the language of the texts.
    #[test]
    fn replacements_resolve_and_labels_are_translated() {
        let source = "тағ салом = 1;\nчоп.сабт(салм);\n";
        let lo = source.find("салм").map_or(0, |i| i as u32);
        let span = Span::new(lo, lo + "салм".len() as u32);
        let d = Diagnostic::error(
            Message::UndefinedIdentifier {
                name: "салм".into(),
            },
            span,
        )
        .with_note(Message::NonBreakingSpace)
        .with_replacement(span, "салом")
        .with_suggestion(Message::DidYouMean {
            name: "салом".into(),
        });
        let index = LineIndex::new(source);
        let r = d.resolve("а.som", &index, source, Lang::Ru);
        assert_eq!(
            r.replacement,
            Some(ResolvedReplacement {
                text: "салом".into(),
                line: 2,
                column: 10,
                end_line: 2,
                end_column: 14,
            })
        );
        let ru = render::render_pretty_in(&r, RenderOptions::default(), Lang::Ru);
        assert!(ru.contains("  = примечание: "), "{ru}");
        assert!(
            ru.ends_with("  = подсказка: возможно, имелось в виду `салом`?\n"),
            "{ru}"
        );
        let tg = d.resolve("а.som", &index, source, Lang::Tg);
        let tg = render::render_pretty_in(&tg, RenderOptions::default(), Lang::Tg);
        assert!(
            tg.contains("  = эзоҳ: ") && tg.contains("  = маслиҳат: шояд"),
            "{tg}"
        );
        let en = render_pretty(
            &d.resolve("а.som", &index, source, Lang::En),
            RenderOptions::default(),
        );
        assert!(
            en.contains("  = note: ") && en.contains("  = help: did you mean"),
            "{en}"
        );
    }
}
