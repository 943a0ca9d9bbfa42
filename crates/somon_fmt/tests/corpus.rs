//! Properties over every program of the conformance corpora, the checker
//! corpus and the examples: formatting is idempotent, keeps every comment,
//! every token (but `;`, `,` and parentheses) and the compiled JavaScript
//! and diagnostics; and a program whose whitespace and line breaks were
//! shuffled (where automatic semicolon insertion cannot notice) formats to
//! the same text as the original.

use somon_compiler::{compile, CompileOptions};
use somon_fmt::{canonical_keyword, format, FormatOptions};
use somon_syntax::lexer::tokenize;
use somon_syntax::token::{TokenKind, P};
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "som") {
            out.push(p);
        }
    }
}

fn corpus() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in [
        root.join("../shared/conformance"),
        root.join("tests/conformance"),
        root.join("tests/checker"),
        root.join("examples"),
        root.join("crates/somon_fmt/tests/fixtures"),
    ] {
        collect(&dir, &mut files);
    }
    files
}

/// Tokens with `;`, `,` and parentheses left out, keywords in their
/// canonical spelling.
fn tokens(src: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in tokenize(src).tokens {
        if matches!(
            t.kind,
            TokenKind::Punct(P::Semi | P::Comma | P::LParen | P::RParen) | TokenKind::Eof
        ) {
            continue;
        }
        // A leading `|` of a union type.
        if t.kind == TokenKind::Punct(P::Pipe)
            && out
                .last()
                .is_none_or(|p| matches!(p.as_str(), "=" | ":" | "<" | "[" | "=>" | "|"))
        {
            continue;
        }
        out.push(match (t.kind, t.kw) {
            (TokenKind::Word, Some(k)) => canonical_keyword(k).to_string(),
            _ => src
                .get(t.span.lo as usize..t.span.hi as usize)
                .unwrap_or("")
                .replace("\r\n", "\n")
                .replace('\r', "\n"),
        });
    }
    out
}

fn comments(src: &str) -> Vec<String> {
    let parsed = somon_syntax::parse(src);
    parsed
        .trivia
        .comments
        .iter()
        .map(|c| {
            c.text(src)
                .lines()
                .map(str::trim)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect()
}

fn compiled(src: &str) -> (Option<String>, Vec<(String, String)>) {
    let out = compile(src, &CompileOptions::default());
    let diags = out
        .diagnostics
        .iter()
        .map(|d| (d.code.to_string(), d.message.clone()))
        .collect();
    (out.code, diags)
}

#[test]
fn corpus_formats_idempotently_and_keeps_meaning() {
    let options = FormatOptions::default();
    let mut failures = Vec::new();
    let mut formatted_count = 0;
    for path in corpus() {
        let src = std::fs::read_to_string(&path).unwrap_or_default();
        let name = path.display().to_string();
        let Ok(once) = format(&src, &options) else {
            // Refused: the file has syntax errors (the error corpus).
            let parsed = somon_syntax::parse(&src);
            if !parsed
                .diagnostics
                .iter()
                .any(|d| d.severity == somon_diagnostics::Severity::Error)
            {
                failures.push(format!("{name}: refused without a syntax error"));
            }
            continue;
        };
        formatted_count += 1;
        match format(&once, &options) {
            Ok(twice) if twice == once => {}
            Ok(twice) => failures.push(format!(
                "{name}: not idempotent\n--- once ---\n{once}\n--- twice ---\n{twice}"
            )),
            Err(d) => failures.push(format!(
                "{name}: formatted text does not parse: {d:?}\n{once}"
            )),
        }
        if tokens(&src) != tokens(&once) {
            let (a, b) = (tokens(&src), tokens(&once));
            let at = a
                .iter()
                .zip(&b)
                .position(|(x, y)| x != y)
                .unwrap_or(a.len().min(b.len()));
            failures.push(format!(
                "{name}: tokens differ at {at}: {:?} vs {:?}",
                a.get(at..(at + 5).min(a.len())),
                b.get(at..(at + 5).min(b.len()))
            ));
        }
        if comments(&src) != comments(&once) {
            failures.push(format!("{name}: comments differ"));
        }
        if compiled(&src) != compiled(&once) {
            failures.push(format!("{name}: compiled JavaScript or diagnostics differ"));
        }
    }
    assert!(
        formatted_count > 300,
        "only {formatted_count} programs formatted"
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
