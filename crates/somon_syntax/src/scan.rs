//! The module specifiers a source imports, found on its tokens without
//! building a tree (the bundler's graph walk needs only these).
//!
//! For a program that parses without errors, [`scan_imports`] gives the
//! list the full parse gives (`somon_project::graph::import_specifiers` of
//! [`crate::parse`]'s program and `dynamic_imports`): first the static
//! imports and re-exports of top-level statements that are not type-only,
//! in source order, then every `ворид("…")` call whose argument is one
//! string literal (not parenthesised), in source order. For text with
//! syntax errors the two may differ (the parser's recovery decides what a
//! broken statement was); a caller that needs the parse's list exactly
//! compares the two once it has the tree.

use crate::keywords::Kw;
use crate::lexer::{tokenize, Lexed};
use crate::token::{TokenKind, TokenValue, P};
use somon_diagnostics::Span;

/// An import found by the scan: specifier, the span of its string literal,
/// and whether it is a dynamic `ворид("…")`.
pub type ScannedImport = (Box<str>, Span, bool);

/// Static imports and re-exports (not type-only) of top-level statements,
/// then dynamic `ворид("…")` calls with a literal, each in source order.
pub fn scan_imports(src: &str) -> Vec<ScannedImport> {
    let lexed = tokenize(src);
    let toks = &lexed.tokens;
    let mut statics = Vec::new();
    let mut dynamics = Vec::new();
    // Nesting of brackets and template substitutions: top-level
    // statements start at depth 0.
    let mut depth: u32 = 0;
    for (i, t) in toks.iter().enumerate() {
        match t.kind {
            TokenKind::Punct(P::LParen | P::LBrace | P::LBracket) | TokenKind::TemplateHead => {
                depth += 1;
                continue;
            }
            TokenKind::Punct(P::RParen | P::RBrace | P::RBracket) | TokenKind::TemplateTail => {
                depth = depth.saturating_sub(1);
                continue;
            }
            TokenKind::Word => {}
            _ => continue,
        }
        let kw = match t.kw {
            Some(k @ (Kw::Import | Kw::Export)) => k,
            _ => continue,
        };
        // `x.ворид`, `x?.содир`: a property name.
        if i > 0
            && toks
                .get(i - 1)
                .is_some_and(|p| p.is(P::Dot) || p.is(P::QuestionDot))
        {
            continue;
        }
        let next = toks.get(i + 1);
        if kw == Kw::Import && next.is_some_and(|n| n.is(P::LParen)) {
            // `ворид("…")`: the argument is exactly one string literal.
            if let (Some((spec, span)), Some(close)) = (string_at(&lexed, i + 2), toks.get(i + 3)) {
                if close.is(P::RParen) {
                    dynamics.push((spec, span, true));
                }
            }
            continue;
        }
        if depth != 0 || next.is_some_and(|n| n.is(P::Dot)) {
            continue;
        }
        match kw {
            Kw::Import => {
                if let Some((spec, span)) = string_at(&lexed, i + 1) {
                    statics.push((spec, span, false));
                    continue;
                }
                let type_only = next.is_some_and(|n| n.is_kw(Kw::Type))
                    && toks.get(i + 2).is_some_and(|n2| {
                        n2.is(P::LBrace)
                            || n2.is(P::Star)
                            || (n2.kind == TokenKind::Word && !n2.is_kw(Kw::From))
                    });
                if !type_only {
                    if let Some((spec, span)) = source_after(&lexed, i + 1) {
                        statics.push((spec, span, false));
                    }
                }
            }
            _ => {
                if next.is_some_and(|n| n.is(P::Star)) {
                    if let Some((spec, span)) = source_after(&lexed, i + 1) {
                        statics.push((spec, span, false));
                    }
                    continue;
                }
                let type_only = next.is_some_and(|n| n.is_kw(Kw::Type))
                    && toks.get(i + 2).is_some_and(|n2| n2.is(P::LBrace));
                let open = if type_only { i + 2 } else { i + 1 };
                if type_only || !toks.get(open).is_some_and(|n| n.is(P::LBrace)) {
                    continue;
                }
                // `содир { … } аз "…"`: the source follows the closing brace.
                let close = toks
                    .iter()
                    .enumerate()
                    .skip(open + 1)
                    .find(|(_, t)| t.is(P::RBrace) || t.is(P::LBrace))
                    .map(|(j, _)| j);
                if let Some(close) = close {
                    if toks.get(close + 1).is_some_and(|t| t.is_kw(Kw::From)) {
                        if let Some((spec, span)) = string_at(&lexed, close + 2) {
                            statics.push((spec, span, false));
                        }
                    }
                }
            }
        }
    }
    statics.extend(dynamics);
    statics
}

/// The string literal at token `i`.
fn string_at(lexed: &Lexed, i: usize) -> Option<(Box<str>, Span)> {
    let t = lexed.tokens.get(i)?;
    match (t.kind, lexed.value(t)) {
        (TokenKind::Str, TokenValue::Str(s)) => Some((s.clone(), t.span)),
        _ => None,
    }
}

/// The first string literal after `аз` from token `from` on, within the
/// statement (before a `;` or a token that opens a block).
fn source_after(lexed: &Lexed, from: usize) -> Option<(Box<str>, Span)> {
    let mut prev_from = false;
    for t in lexed.tokens.get(from..)? {
        if prev_from {
            if let (TokenKind::Str, TokenValue::Str(s)) = (t.kind, lexed.value(t)) {
                return Some((s.clone(), t.span));
            }
        }
        if t.is(P::Semi) {
            return None;
        }
        prev_from = t.is_kw(Kw::From);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::scan_imports;

    fn specs(src: &str) -> Vec<(String, bool)> {
        scan_imports(src)
            .into_iter()
            .map(|(s, _, d)| (s.to_string(), d))
            .collect()
    }

    #[test]
    fn finds_static_reexport_and_dynamic_imports_in_parse_order() {
        let src = r#"
ворид "./side";
ворид { а, навъ Б } аз "./a";
ворид навъ { В } аз "./types";
ворид аз аз "./named_az";
ворид * чун н аз "./ns";
тағ x = ворид("./lazy");
тағ y = x.ворид("./not");
содир { а } аз "./re";
содир навъ { Б } аз "./re_types";
содир * чун м аз "./all";
содир { а чун б };
функсия f() { бозгашт ворид(("./paren")) }
тағ z = `${ворид("./tpl")}`;
"#;
        assert_eq!(
            specs(src),
            vec![
                ("./side".to_string(), false),
                ("./a".to_string(), false),
                ("./named_az".to_string(), false),
                ("./ns".to_string(), false),
                ("./re".to_string(), false),
                ("./all".to_string(), false),
                ("./lazy".to_string(), true),
                ("./tpl".to_string(), true),
            ]
        );
    }
}
