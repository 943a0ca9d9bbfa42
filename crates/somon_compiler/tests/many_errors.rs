//! Reporting stays linear and bounded with very many errors (issue 17):
//! every error is still reported once, at its place, and a long line is
//! never copied into each diagnostic. Sizes are modest so the test is
//! quick in debug builds; the release figures (200,000 errors) are in the
//! README's performance section.

use somon_compiler::{compile, CompileOptions};

const N: usize = 20_000;

#[test]
fn one_parse_error_per_line_each_reported_once() {
    let source = "тағ = ;\n".repeat(N);
    let out = compile(&source, &CompileOptions::default());
    assert!(out.code.is_none());
    let errors: Vec<_> = out
        .diagnostics
        .iter()
        .filter(|d| d.severity == somon_diagnostics::Severity::Error)
        .collect();
    assert_eq!(errors.len(), N);
    for (i, d) in errors.iter().enumerate() {
        assert_eq!(d.line as usize, i + 1);
        assert_eq!(d.snippet, "тағ = ;");
    }
}

#[test]
fn errors_on_one_long_line_have_windowed_snippets() {
    let source = "@ ".repeat(N);
    let out = compile(&source, &CompileOptions::default());
    assert_eq!(out.diagnostics.len(), N);
    for (i, d) in out.diagnostics.iter().enumerate() {
        assert_eq!((d.line, d.column as usize), (1, 2 * i + 1));
        assert!(d.snippet.chars().count() <= somon_diagnostics::SNIPPET_WINDOW_CHARS + 2);
        // The snippet's offset leads back to the character at the column.
        let at = (d.column - 1 - d.snippet_offset) as usize;
        assert_eq!(d.snippet.chars().nth(at), Some('@'), "{i}: {}", d.snippet);
    }
}
