//! Fixture tests: every `fixtures/<case>.som` is formatted; the snapshot
//! holds the input and the formatted output together, and formatting the
//! output again must change nothing. `cargo insta review` updates them.

use somon_fmt::{format, FormatOptions};

fn format_fixture(source: &str, options: &FormatOptions) -> String {
    let out = match format(source, options) {
        Ok(out) => out,
        Err(diagnostics) => panic!("fixture does not parse: {diagnostics:?}"),
    };
    assert_eq!(
        format(&out, options).ok().as_deref(),
        Some(out.as_str()),
        "formatting is not idempotent"
    );
    format!("--- input ---\n{source}\n--- output ---\n{out}")
}

#[test]
fn fixtures() {
    insta::glob!("fixtures/*.som", |path| {
        let source = std::fs::read_to_string(path).unwrap_or_default();
        insta::assert_snapshot!(format_fixture(&source, &FormatOptions::default()));
    });
}

/// `format.indentWidth` and `format.lineWidth`.
#[test]
fn narrow_and_wide_indent() {
    let source = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/long-lines.som"),
    )
    .unwrap_or_default();
    insta::assert_snapshot!(format_fixture(
        &source,
        &FormatOptions {
            indent_width: 4,
            line_width: 60,
        }
    ));
}

/// A program with a syntax error is refused with its diagnostics.
#[test]
fn syntax_errors_are_refused() {
    let result = format("тағ а = ;\nфунксия (", &FormatOptions::default());
    let codes: Vec<&str> = match &result {
        Err(d) => d.iter().map(|d| d.message.code()).collect(),
        Ok(text) => panic!("formatted a broken program: {text}"),
    };
    insta::assert_snapshot!(codes.join("\n"));
}

/// CRLF line ends, a byte-order mark and trailing spaces are normalized;
/// an empty file stays empty.
#[test]
fn line_ends_and_empty_files() {
    let options = FormatOptions::default();
    assert_eq!(format("", &options).ok().as_deref(), Some(""));
    assert_eq!(format("\n\n  \n", &options).ok().as_deref(), Some(""));
    assert_eq!(
        format("тағ а = 1;   \r\n\r\n\r\n\r\nтағ б = 2", &options)
            .ok()
            .as_deref(),
        Some("тағ а = 1;\n\nтағ б = 2;\n")
    );
}
