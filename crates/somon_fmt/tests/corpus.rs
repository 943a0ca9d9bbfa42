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
        files.extend(somon_fs::som_files_below(&somon_fs::RealFs, &dir));
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

/// A small deterministic generator (no dependency, same shuffles on every
/// run).
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }

    fn spaces(&mut self) -> String {
        [" ", "  ", "\t", "   "][self.next(4) as usize].to_string()
    }
}

/// The program with its whitespace shuffled where neither automatic
/// semicolon insertion nor the layout rules can notice: runs of spaces
/// change length, indentation changes, blank lines grow, a line break is
/// added or removed after `,` and `(` between two tokens, never next to a
/// comment and never right after `{` (an object written with a break there
/// stays expanded).
fn shuffle(src: &str, seed: u64) -> String {
    let lexed = tokenize(src);
    let mut pieces: Vec<(u32, u32, bool)> = lexed
        .tokens
        .iter()
        .filter(|t| t.kind != TokenKind::Eof)
        .map(|t| (t.span.lo, t.span.hi, false))
        .collect();
    pieces.extend(
        lexed
            .trivia
            .comments
            .iter()
            .map(|c| (c.span.lo, c.span.hi, true)),
    );
    pieces.sort_unstable();
    let mut rng = Rng(seed | 1);
    let mut out = String::with_capacity(src.len() * 2);
    let mut end = 0usize;
    let mut prev: Option<(usize, bool)> = None;
    for (lo, hi, is_comment) in pieces {
        let (lo, hi) = (lo as usize, hi as usize);
        let gap = src.get(end..lo).unwrap_or("");
        let breaks = gap.matches('\n').count();
        let after = prev.and_then(|(p, c)| if c { None } else { src.get(p..p + 1) });
        let between_tokens = prev.is_some_and(|(_, c)| !c) && !is_comment;
        let loose = between_tokens && matches!(after, Some("," | "("));
        if gap.contains('\r') || gap.contains('\u{2028}') || gap.contains('\u{2029}') {
            out.push_str(gap);
        } else if breaks >= 2 {
            for _ in 0..2 + rng.next(2) {
                out.push('\n');
            }
            out.push_str(&rng.spaces());
        } else if breaks == 1 {
            if loose && rng.next(2) == 0 {
                out.push(' ');
            } else {
                out.push('\n');
                out.push_str(&rng.spaces());
            }
        } else if !gap.is_empty() {
            out.push_str(&rng.spaces());
        } else if loose && rng.next(3) == 0 {
            out.push('\n');
            out.push_str(&rng.spaces());
        }
        out.push_str(src.get(lo..hi).unwrap_or(""));
        end = hi;
        prev = Some((hi.saturating_sub(1), is_comment));
    }
    out.push_str(src.get(end..).unwrap_or(""));
    out
}

#[test]
fn shuffled_whitespace_formats_the_same() {
    let options = FormatOptions::default();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (i, path) in corpus().into_iter().enumerate() {
        let src = std::fs::read_to_string(&path).unwrap_or_default();
        // Statements kept as written keep their whitespace too.
        if src.contains(somon_fmt::IGNORE_COMMENT) {
            continue;
        }
        let Ok(expected) = format(&src, &options) else {
            continue;
        };
        for round in 0..2u64 {
            let shuffled = shuffle(&src, (i as u64 + 1) * 7919 + round);
            checked += 1;
            match format(&shuffled, &options) {
                Ok(got) if got == expected => {}
                Ok(got) => {
                    let line = expected
                        .lines()
                        .zip(got.lines())
                        .position(|(a, b)| a != b)
                        .unwrap_or(0);
                    failures.push(format!(
                        "{}: differs from line {}:\n  {:?}\n  {:?}",
                        path.display(),
                        line + 1,
                        expected.lines().nth(line),
                        got.lines().nth(line)
                    ));
                    break;
                }
                Err(d) => {
                    failures.push(format!(
                        "{}: shuffled text does not parse: {d:?}",
                        path.display()
                    ));
                    break;
                }
            }
        }
    }
    assert!(checked > 600, "only {checked} shuffles checked");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
