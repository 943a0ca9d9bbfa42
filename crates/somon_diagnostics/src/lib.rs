//! Diagnostics as data.
//!
//! Every problem the project reports — lexer, parser, checker, module system,
//! CLI — is a [`Diagnostic`]: a [`Message`] from the single catalogue (which
//! knows its stable code and its English, Tajik and Russian text), a severity
//! and a byte [`Span`]. Positions become 1-based lines and character columns
//! only at the edge, in [`Diagnostic::resolve`], so the core never counts
//! characters it does not need to.

mod lang;
mod line_index;
mod message;
pub mod render;

pub use lang::Lang;
pub use line_index::LineIndex;
pub use message::{Found, Message};
pub use render::{paint, render_legacy, render_pretty, RenderOptions};

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
}

impl Diagnostic {
    pub fn error(message: Message, span: Span) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message,
            span,
            notes: Vec::new(),
            suggestion: None,
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
        ResolvedDiagnostic {
            severity: self.severity,
            code: self.code(),
            message: self.message.render(lang),
            file: file.to_string(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            snippet: index.line_text(source, start.line).to_string(),
            notes: self.notes.iter().map(|n| n.render(lang)).collect(),
            suggestion: self.suggestion.as_ref().map(|s| s.render(lang)),
        }
    }
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
    /// The full text of the source line the diagnostic starts on.
    pub snippet: String,
    pub notes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
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
            notes: Vec::new(),
            suggestion: None,
        }
    }
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
