//! The SomonScript formatter: one canonical layout for any program that
//! parses without errors. Pure (no IO): text in, text out.
//!
//! The program is parsed, then printed into a Wadler-style document (the
//! `pretty` crate) that decides where lines break for the configured width.
//! Comments and blank lines come from the lexer's side table
//! ([`somon_syntax::trivia::Trivia`]): a cursor walks the comments in source
//! order and every node first prints the comments that end before it
//! (leading), statements and members take the comments that follow them on
//! their line (trailing), and what is left before a closing brace or the end
//! of the file is printed there (dangling). No comment is ever dropped: one
//! the printer meets at no node is printed before the next node.
//!
//! Leaves are printed as written (identifiers, numbers, strings, regular
//! expressions, template text), keywords in their canonical spelling, so
//! the formatted program compiles to the same JavaScript.

mod printer;

pub use printer::kw as canonical_keyword;

use somon_diagnostics::{Diagnostic, Severity};

/// Layout options (`format.indentWidth` and `format.lineWidth` of
/// `somon.config.json`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormatOptions {
    /// Spaces per indentation level (default 2).
    pub indent_width: u32,
    /// The width lines should fit in (default 100).
    pub line_width: u32,
}

impl Default for FormatOptions {
    fn default() -> Self {
        FormatOptions {
            indent_width: 2,
            line_width: 100,
        }
    }
}

/// The comment that keeps the next statement as written.
pub const IGNORE_COMMENT: &str = "// somon-fmt-ignore";

/// Formats a program. A program with syntax errors is refused with its
/// diagnostics (errors and warnings), never half-formatted.
pub fn format(source: &str, options: &FormatOptions) -> Result<String, Vec<Diagnostic>> {
    let parsed = somon_syntax::parse(source);
    if parsed
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error)
    {
        return Err(parsed.diagnostics);
    }
    Ok(printer::print(source, &parsed, options))
}

/// Whether `source` is already formatted (it parses and formatting it
/// changes nothing).
pub fn is_formatted(source: &str, options: &FormatOptions) -> Result<bool, Vec<Diagnostic>> {
    format(source, options).map(|f| f == source)
}
