//! Keyword hints for learners: a JavaScript keyword (`const`), a keyword
//! typed on a Russian keyboard (`таг`) or a misspelled one (`собт`) where
//! the grammar makes the meant keyword certain gets one diagnostic at the
//! word, and the word is then read as that keyword, so nothing cascades.
//!
//! A word is only turned into a keyword where reading it as a name would be
//! an error anyway (a name followed by another name on the same line, a
//! call followed by a block, …): a valid program never changes meaning,
//! and a name such as `of` elsewhere is left alone.

use super::Parser;
use crate::keywords::{js_keyword, keyword_hint, spelling, HintKind, Kw};
use crate::token::{Token, TokenKind, P};
use somon_diagnostics::Message;

/// Keywords that start a statement.
const STATEMENT: &[Kw] = &[
    Kw::Let,
    Kw::Const,
    Kw::Function,
    Kw::Async,
    Kw::If,
    Kw::For,
    Kw::While,
    Kw::Do,
    Kw::Return,
    Kw::Throw,
    Kw::Try,
    Kw::Switch,
    Kw::Break,
    Kw::Continue,
    Kw::Class,
    Kw::Interface,
    Kw::Enum,
    Kw::Import,
    Kw::Export,
];

/// Keywords that start an expression.
const EXPRESSION: &[Kw] = &[
    Kw::New,
    Kw::Await,
    Kw::Typeof,
    Kw::Delete,
    Kw::This,
    Kw::True,
    Kw::False,
    Kw::Function,
    Kw::Class,
];

impl Parser<'_> {
    /// A plain word (not a keyword) at the current token.
    fn plain_word(&self) -> Option<Token> {
        let t = self.cur();
        (t.kind == TokenKind::Word && t.kw.is_none()).then_some(*t)
    }

    /// At the start of a statement: a word that can only be a misspelled
    /// statement keyword becomes it.
    pub(crate) fn hint_statement_keyword(&mut self) {
        self.hint_keyword(STATEMENT, &Self::statement_fits);
    }

    /// At the start of an operand: `new Х`, `await х`, `true`, `this` ….
    pub(crate) fn hint_expression_keyword(&mut self) {
        self.hint_keyword(EXPRESSION, &Self::expression_fits);
    }

    /// Where only `kw` can stand (`гирифтан` after a `кӯшиш` block, `аз`
    /// after the variable of a `барои` head …) and `fits` says what follows
    /// is that keyword's continuation: a word that hints at it becomes it.
    pub(crate) fn hint_keyword_here(&mut self, kw: Kw, fits: impl Fn(&Self) -> bool) -> bool {
        self.hint_keyword(&[kw], &|p: &Self, _, _| fits(p))
    }

    fn hint_keyword(&mut self, candidates: &[Kw], fits: &dyn Fn(&Self, Kw, bool) -> bool) -> bool {
        let Some(t) = self.plain_word() else {
            return false;
        };
        // The spelling hints (edit distances to every candidate's
        // spellings) cost far more than the checks of what follows, and
        // this runs at every name that starts a statement or an operand:
        // look for them only where some candidate would fit. (A JavaScript
        // keyword is one table lookup.) Same result: a hint that does not
        // fit is dropped below anyway.
        if js_keyword(self.name(&t)).is_none()
            && !candidates.iter().any(|&kw| fits(self, kw, false))
        {
            return false;
        }
        let Some((kw, kind)) = keyword_hint(self.name(&t), candidates) else {
            return false;
        };
        if !fits(self, kw, kind == HintKind::JavaScript) {
            return false;
        }
        let word = self.name(&t).to_string();
        let keyword = spelling(kw).to_string();
        let replacement = keyword.clone();
        let message = match kind {
            HintKind::JavaScript => Message::JsKeyword { word, keyword },
            HintKind::RussianKeyboard => Message::RussianKeyboardKeyword { word, keyword },
            HintKind::Misspelled => Message::MisspelledKeyword { word, keyword },
        };
        let before = self.diags.len();
        self.error(message, t.span);
        // Editors can apply the fix: the word becomes the keyword.
        if self.diags.len() > before {
            if let Some(d) = self.diags.last_mut() {
                d.replacement = Some(somon_diagnostics::Replacement {
                    span: t.span,
                    text: replacement,
                });
            }
        }
        let mut as_keyword = t;
        as_keyword.kw = Some(kw);
        self.replace_current(as_keyword);
        if kw == Kw::Async {
            // `async function`: the second word is a mistake of its own.
            self.advance(1);
            self.hint_keyword_here(Kw::Function, |_| true);
            self.pos -= 1;
        }
        true
    }

    /// The token `n` ahead, when it is on the same line as the one before.
    pub(crate) fn same_line(&self, n: usize) -> Option<&Token> {
        let t = self.nth(n);
        (!t.nl_before && t.kind != TokenKind::Eof).then_some(t)
    }

    /// A word that reads as a name (not an operator keyword such as
    /// `дар`/`намунаи`/`чун`).
    fn name_like(t: &Token) -> bool {
        t.kind == TokenKind::Word
            && !matches!(
                t.kw,
                Some(Kw::In | Kw::Instanceof | Kw::As | Kw::From | Kw::Is)
            )
    }

    /// Whether the token `n` ahead is `kw` or a plain word hinting at it.
    fn is_or_hints(&self, n: usize, kw: Kw) -> bool {
        let t = self.nth(n);
        t.is_kw(kw)
            || (t.kind == TokenKind::Word
                && t.kw.is_none()
                && keyword_hint(self.name(t), &[kw]).is_some())
    }

    /// An operand that cannot continue the word before it as an
    /// expression: a name, a number, a string.
    fn operand_start(t: &Token) -> bool {
        Self::name_like(t) || matches!(t.kind, TokenKind::Num | TokenKind::BigInt | TokenKind::Str)
    }

    /// The token after the `)` matching the `(` at `n` tokens ahead.
    fn after_parens(&self, n: usize) -> Option<usize> {
        let mut depth = 0usize;
        let mut i = n;
        // Bounded: a head longer than this is not worth a hint.
        while i < n + 4096 {
            let t = self.nth(i);
            match t.kind {
                TokenKind::Punct(P::LParen) => depth += 1,
                TokenKind::Punct(P::RParen) => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Some(i + 1);
                    }
                }
                TokenKind::Eof => return None,
                _ => {}
            }
            i += 1;
        }
        None
    }

    /// `(…)` at `n` followed, on the same line, by a block or a statement:
    /// a call cannot be.
    fn head_then_body(&self, n: usize) -> bool {
        if !self.same_line(n).is_some_and(|t| t.is(P::LParen)) {
            return false;
        }
        let Some(after) = self.after_parens(n) else {
            return false;
        };
        self.same_line(after)
            .is_some_and(|t| t.is(P::LBrace) || Self::name_like(t))
    }

    fn statement_fits(&self, kw: Kw, js: bool) -> bool {
        let next = self.same_line(1);
        let ends = {
            let t = self.nth(1);
            t.nl_before || t.is(P::Semi) || t.is(P::RBrace) || t.kind == TokenKind::Eof
        };
        match kw {
            Kw::Let | Kw::Const => next.is_some_and(|t| Self::name_like(t) || t.is(P::LBrace)),
            Kw::Function => {
                next.is_some_and(|t| Self::name_like(t) && self.nth(2).is(P::LParen))
                    || (js && next.is_some_and(|t| t.is(P::Star)))
            }
            Kw::Async => next.is_some() && self.is_or_hints(1, Kw::Function),
            Kw::Class | Kw::Interface | Kw::Enum => {
                next.is_some_and(Self::name_like)
                    && (self.nth(2).is(P::LBrace)
                        || self.nth(2).is(P::Lt)
                        || self.is_or_hints(2, Kw::Extends)
                        || self.is_or_hints(2, Kw::Implements))
            }
            Kw::If | Kw::For | Kw::While | Kw::Switch => self.head_then_body(1),
            Kw::Try | Kw::Do => next.is_some_and(|t| t.is(P::LBrace)),
            Kw::Return | Kw::Throw => {
                next.is_some_and(|t| Self::operand_start(t) || t.is(P::LBrace))
                    || (js && kw == Kw::Return && ends)
            }
            // `break`/`continue` are JavaScript's reserved words: never names.
            Kw::Break | Kw::Continue => js && (ends || next.is_some_and(Self::name_like)),
            Kw::Import => next.is_some_and(|t| {
                t.is(P::LBrace)
                    || t.kind == TokenKind::Str
                    || (Self::name_like(t) && self.is_or_hints(2, Kw::From))
            }),
            Kw::Export => next.is_some_and(|t| {
                t.is(P::LBrace)
                    || (t.kind == TokenKind::Word && t.kw.is_some_and(Kw::is_reserved))
                    || (t.kind == TokenKind::Word
                        && t.kw.is_none()
                        && (keyword_hint(self.name(t), STATEMENT).is_some()
                            || keyword_hint(self.name(t), &[Kw::Default]).is_some()))
            }),
            _ => false,
        }
    }

    fn expression_fits(&self, kw: Kw, js: bool) -> bool {
        let next = self.same_line(1);
        match kw {
            Kw::New => next.is_some_and(Self::name_like),
            Kw::Await | Kw::Typeof | Kw::Delete => next.is_some_and(Self::operand_start),
            // JavaScript's reserved words are never names in SomonScript.
            Kw::This | Kw::True | Kw::False => js,
            Kw::Function => js && next.is_some_and(|t| t.is(P::LParen) || Self::name_like(t)),
            Kw::Class => js && next.is_some_and(|t| t.is(P::LBrace) || Self::name_like(t)),
            _ => false,
        }
    }

    /// In a generator: `yield х` (JavaScript's reserved word, never a
    /// name) or a misspelled `ҳосил` followed by an operand.
    pub(crate) fn hint_yield(&mut self) {
        self.hint_keyword(&[Kw::Yield], &|p: &Self, _, js| {
            js || p.same_line(1).is_some_and(Self::operand_start)
        });
    }

    /// `вагарна` after an `агар` statement: the word is followed by a
    /// block, an `агар`, or a statement on the same line.
    pub(crate) fn hint_else(&mut self) -> bool {
        self.hint_keyword_here(Kw::Else, |p| {
            p.same_line(1).is_some_and(|t| t.is(P::LBrace)) || p.is_or_hints(1, Kw::If)
        })
    }

    /// In a `барои` head: `const`/`таг` before the variable, `of`/`in`
    /// after it.
    pub(crate) fn hint_for_declaration(&mut self) {
        self.hint_keyword(&[Kw::Let, Kw::Const], &|p: &Self, _, _| {
            p.same_line(1)
                .is_some_and(|t| Self::name_like(t) || t.is(P::LBrace) || t.is(P::LBracket))
        });
    }

    pub(crate) fn hint_for_of_in(&mut self) {
        self.hint_keyword(&[Kw::From, Kw::In], &|_: &Self, _, js| js);
    }

    /// `from "…"` (or a misspelled `аз`) somewhere in the import or export
    /// statement that starts here, before its module path.
    pub(crate) fn hint_from_ahead(&mut self) {
        let start = self.pos;
        for i in 0..256 {
            let t = self.nth(i);
            if t.is(P::Semi) || t.kind == TokenKind::Eof || t.kind == TokenKind::Str {
                break;
            }
            if t.kind == TokenKind::Word && t.kw.is_none() && self.nth(i + 1).kind == TokenKind::Str
            {
                self.seek(start + i);
                self.hint_keyword_here(Kw::From, |_| true);
                break;
            }
        }
        self.pos = start;
    }
}
