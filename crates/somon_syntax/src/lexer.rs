//! The lexer: source text → tokens with byte spans.
//!
//! The parser looks ahead and backtracks freely (arrow functions, generic
//! calls) within the tokens it holds: the whole file tokenized up front
//! ([`tokenize`]), or chunks that arrive while the lexer goes on
//! ([`tokenize_in_chunks`], for a large input lexed on another thread
//! while the parser reads). Two JavaScript
//! ambiguities are settled here: `/` starts a regular expression or is a
//! division depending on the previous token, and `}` closes either a block
//! or a template substitution, tracked with a stack.

use crate::keywords::Kw;
use crate::token::{BigIntText, RegexText, TemplateText, Token, TokenKind, TokenValue, ValueId, P};
use crate::trivia::{Comment, CommentKind, Trivia};
use somon_diagnostics::{Diagnostic, Message, Span};

pub struct Lexed {
    pub tokens: Vec<Token>,
    /// The literals' decoded payloads, in token order (see [`Token::value`]).
    pub values: Vec<TokenValue>,
    pub diagnostics: Vec<Diagnostic>,
    /// Comments and blank lines (the parser never sees them).
    pub trivia: Trivia,
}

/// A run of tokens handed on while lexing goes on ([`tokenize_in_chunks`]).
#[derive(Debug)]
pub struct LexedChunk {
    pub tokens: Vec<Token>,
    /// The payloads of these tokens, numbered on from the previous
    /// chunk's (a [`ValueId`] indexes all of them in order).
    pub values: Vec<TokenValue>,
    /// Problems found while lexing them.
    pub diagnostics: Vec<Diagnostic>,
    /// With the last chunk (the one holding `Eof`): the comments and blank
    /// lines of the whole file.
    pub trivia: Option<Trivia>,
}

impl<'s> Lexer<'s> {
    /// A lexer at the start of `src`, with room for `token_capacity` tokens.
    fn new(src: &'s str, token_capacity: usize) -> Lexer<'s> {
        Lexer {
            src,
            bytes: src.as_bytes(),
            pos: 0,
            tokens: Vec::with_capacity(token_capacity),
            values: Vec::new(),
            values_base: 0,
            diagnostics: Vec::new(),
            template_stack: Vec::new(),
            open_templates: Vec::new(),
            nl_before: false,
            trivia: Trivia::default(),
            line_breaks: 0,
            line_start: true,
            comment_in_gap: false,
        }
    }

    /// A lexer for the whole of `src`: past a byte-order mark.
    fn at_start(src: &'s str, token_capacity: usize) -> Lexer<'s> {
        let mut lx = Lexer::new(src, token_capacity);
        if src.starts_with('\u{feff}') {
            lx.pos = 3;
        }
        lx
    }
}

impl Lexed {
    /// The payload of a token of this list (`TokenValue::None` for words
    /// and punctuators).
    pub fn value(&self, t: &Token) -> &TokenValue {
        value_of(&self.values, 0, t)
    }
}

/// The payload of token `t` among `values`, the first of which is the
/// value numbered `values_base` (0 for a whole [`Lexed::values`]; more
/// for a chunk's, or a list the parser has dropped values from).
pub fn value_of<'v>(values: &'v [TokenValue], values_base: usize, t: &Token) -> &'v TokenValue {
    static NONE: TokenValue = TokenValue::None;
    // An index before the list's first wraps around past its end.
    match t.value.index() {
        Some(i) => values.get(i.wrapping_sub(values_base)).unwrap_or(&NONE),
        None => &NONE,
    }
}

/// How many of `values_len` values, the first numbered `values_base`,
/// belong to tokens before `kept`: values are numbered in token order, so
/// they are those before the first kept token's.
pub(crate) fn values_before(kept: &[Token], values_base: usize, values_len: usize) -> usize {
    kept.iter()
        .find_map(|t| t.value.index())
        .map_or(values_len, |first| first.saturating_sub(values_base))
        .min(values_len)
}

/// Tokenizes `src`. Always ends with an `Eof` token; problems become
/// diagnostics and the lexer carries on.
pub fn tokenize(src: &str) -> Lexed {
    // About one token per 5 bytes of typical code (mostly Cyrillic words
    // of two-byte letters); a longer file grows the list.
    let mut lx = Lexer::at_start(src, src.len() / 5 + 1);
    lx.run_until(usize::MAX);
    Lexed {
        tokens: lx.tokens,
        values: lx.values,
        diagnostics: lx.diagnostics,
        trivia: lx.trivia,
    }
}

/// Tokenizes `src` as [`tokenize`] does, handing the tokens to `send` in
/// chunks of about `chunk_tokens` as they are made; the last chunk holds
/// `Eof` and the trivia. Together the chunks are exactly what [`tokenize`]
/// returns. A chunk is held back while a template literal is open (an
/// unterminated one takes back the tokens after it). Lexing stops early
/// when `send` returns `false` (nobody reads on).
pub fn tokenize_in_chunks(
    src: &str,
    chunk_tokens: usize,
    mut send: impl FnMut(LexedChunk) -> bool,
) {
    let chunk_tokens = chunk_tokens.max(1);
    let mut lx = Lexer::at_start(src, chunk_tokens + 2);
    loop {
        // Two tokens stay behind: whether a `/` starts a regular
        // expression depends on them.
        let done = lx.run_until(chunk_tokens + 2);
        if !send(lx.take_chunk(done, chunk_tokens + 2)) || done {
            return;
        }
    }
}

/// One decoded escape: text, or a lone surrogate code unit.
enum Escaped {
    Text(String),
    Surrogate(u16),
}

/// The exact UTF-16 code units of a literal's text: a string literal with
/// its quotes, or a template's raw text (`quoted: false`; CR and CRLF read
/// as LF, as in the cooked value). Lone surrogates written as escapes are
/// kept. `None` when an escape is invalid.
pub fn literal_code_units(text: &str, quoted: bool) -> Option<Vec<u16>> {
    let body = if quoted {
        let mut chars = text.chars();
        chars.next()?;
        chars.next_back()?;
        chars.as_str()
    } else {
        text
    };
    let mut lx = Lexer::new(body, 0);
    let mut units = Vec::with_capacity(body.len());
    let mut buf = [0u16; 2];
    while let Some(c) = lx.peek() {
        lx.pos += c.len_utf8();
        match c {
            '\\' => match lx.escape_exact()? {
                Escaped::Text(t) => units.extend(t.encode_utf16()),
                Escaped::Surrogate(u) => units.push(u),
            },
            '\r' if !quoted => {
                if lx.byte_at(lx.pos) == b'\n' {
                    lx.pos += 1;
                }
                units.push(u16::from(b'\n'));
            }
            c => units.extend_from_slice(c.encode_utf16(&mut buf)),
        }
    }
    Some(units)
}

struct Lexer<'s> {
    src: &'s str,
    bytes: &'s [u8],
    pos: usize,
    tokens: Vec<Token>,
    values: Vec<TokenValue>,
    /// The number of values handed on in chunks before `values`.
    values_base: usize,
    diagnostics: Vec<Diagnostic>,
    /// One entry per open `{` or `${`: for a template substitution, the
    /// position of the template's opening backtick.
    template_stack: Vec<Option<usize>>,
    /// Templates not yet closed: where each starts and how deep
    /// `template_stack` was there (to abandon one that never ends).
    open_templates: Vec<(usize, usize)>,
    nl_before: bool,
    trivia: Trivia,
    /// Line breaks since the last token or comment (blank lines = breaks − 1).
    line_breaks: u32,
    /// Whether only whitespace precedes `pos` on its line.
    line_start: bool,
    /// Whether the last comment lies in the gap being skipped (no token
    /// since), so a line break now follows it.
    comment_in_gap: bool,
}

fn is_id_start(c: char) -> bool {
    c == '_' || c == '$' || unicode_ident::is_xid_start(c)
}

fn is_id_continue(c: char) -> bool {
    c == '$' || c == '\u{200c}' || c == '\u{200d}' || unicode_ident::is_xid_continue(c)
}

/// The keyword `word` spells in any letter case: [`Kw::lookup`] of its
/// lower case.
fn keyword_of(word: &str) -> Option<Kw> {
    // A word of ASCII and Cyrillic (U+0400–U+04FF) characters — nearly
    // every word — is lower-cased here, without a `String` (and not at
    // all when it is lower case already): each has one lower-case
    // character of the same length (`keyword_of_matches_lower_case_lookup`).
    const ROOM: usize = 64;
    let mut lower_already = true;
    for c in word.chars() {
        match quick_lower_case(c) {
            Some(l) if l == c => {}
            Some(_) => lower_already = false,
            None => {
                return if word.chars().any(char::is_uppercase) {
                    Kw::lookup(&word.to_lowercase())
                } else {
                    Kw::lookup(word)
                }
            }
        }
    }
    if lower_already {
        return Kw::lookup(word);
    }
    let mut lower = [0u8; ROOM];
    let mut len = 0;
    for c in word.chars().filter_map(quick_lower_case) {
        let Some(room) = lower.get_mut(len..len + c.len_utf8()) else {
            return Kw::lookup(&word.to_lowercase());
        };
        len += c.encode_utf8(room).len();
    }
    std::str::from_utf8(lower.get(..len)?)
        .ok()
        .and_then(Kw::lookup)
}

/// The lower case of an ASCII or Cyrillic (U+0400–U+04FF) character, by
/// arithmetic; `None` for any other.
fn quick_lower_case(c: char) -> Option<char> {
    match c {
        '\0'..='\u{7f}' => Some(c.to_ascii_lowercase()),
        '\u{400}'..='\u{4ff}' => Some(cyrillic_lower_case(c)),
        _ => None,
    }
}

/// The lower case of a letter of U+0400–U+04FF (the common ones by
/// arithmetic).
fn cyrillic_lower_case(c: char) -> char {
    match c {
        '\u{400}'..='\u{40f}' => char::from_u32(c as u32 + 0x50).unwrap_or(c),
        '\u{410}'..='\u{42f}' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
        // Pairs of capital and small letter, the capital first (and `Ӏ`).
        '\u{460}'..='\u{481}' | '\u{48a}'..='\u{4bf}' | '\u{4d0}'..='\u{4ff}'
            if (c as u32).is_multiple_of(2) =>
        {
            char::from_u32(c as u32 + 1).unwrap_or(c)
        }
        '\u{4c1}'..='\u{4ce}' if !(c as u32).is_multiple_of(2) => {
            char::from_u32(c as u32 + 1).unwrap_or(c)
        }
        '\u{4c0}' => '\u{4cf}',
        _ => c,
    }
}

fn span(lo: usize, hi: usize) -> Span {
    Span::new(lo as u32, hi as u32)
}

impl<'s> Lexer<'s> {
    fn peek(&self) -> Option<char> {
        match self.bytes.get(self.pos) {
            // Most of a program's characters: no decoding.
            Some(&b) if b.is_ascii() => Some(char::from(b)),
            Some(_) => self.src.get(self.pos..).and_then(|s| s.chars().next()),
            None => None,
        }
    }

    fn byte_at(&self, i: usize) -> u8 {
        self.bytes.get(i).copied().unwrap_or(0)
    }

    fn error(&mut self, message: Message, lo: usize, hi: usize) {
        self.diagnostics
            .push(Diagnostic::error(message, span(lo, hi)));
    }

    /// Warns at each bidirectional control character in `lo..hi` (a
    /// string, template or comment): it can make code read differently
    /// from what it does ("Trojan Source").
    fn warn_bidi(&mut self, lo: usize, hi: usize) {
        let Some(text) = self.src.get(lo..hi) else {
            return;
        };
        // Every bidi control is encoded with a lead byte 0xD8 or 0xE2.
        if !text.bytes().any(|b| b == 0xd8 || b == 0xe2) {
            return;
        }
        for (i, c) in text.char_indices() {
            if somon_diagnostics::is_bidi_control(c) {
                let at = lo + i;
                self.diagnostics.push(Diagnostic::warning(
                    Message::BidiControl { ch: c },
                    span(at, at + c.len_utf8()),
                ));
            }
        }
    }

    /// Pushes a literal's token with its payload (numbered on from the
    /// values so far).
    fn push(&mut self, kind: TokenKind, lo: usize, value: TokenValue) {
        self.values.push(value);
        let value = ValueId::new(self.values_base + self.values.len() - 1);
        self.push_token(kind, None, lo, value);
    }

    /// Pushes a token whose payload (if any) is already numbered: words and
    /// punctuators go here directly, with `ValueId::NONE`.
    fn push_token(&mut self, kind: TokenKind, kw: Option<Kw>, lo: usize, value: ValueId) {
        self.tokens.push(Token {
            kind,
            kw,
            span: span(lo, self.pos),
            nl_before: self.nl_before,
            value,
        });
        self.nl_before = false;
    }

    /// Lexes until `limit` tokens are waiting and no template is open
    /// (`false`), or to the end of the source (`true`: `Eof` pushed).
    fn run_until(&mut self, limit: usize) -> bool {
        loop {
            if self.tokens.len() >= limit && self.open_templates.is_empty() {
                return false;
            }
            self.skip_trivia();
            let lo = self.pos;
            let Some(c) = self.peek() else {
                // The end of the file inside a template's substitution.
                if let Some(&(start, _)) = self.open_templates.first() {
                    self.abandon_template(start);
                    continue;
                }
                self.push_token(TokenKind::Eof, None, lo, ValueId::NONE);
                return true;
            };
            match c {
                '0'..='9' => self.number(lo),
                '.' if self.byte_at(self.pos + 1).is_ascii_digit() => self.number(lo),
                '"' | '\'' => self.string(lo, c),
                '`' => {
                    self.pos += 1;
                    self.open_templates.push((lo, self.template_stack.len()));
                    self.template_part(lo, lo, true);
                }
                '}' if matches!(self.template_stack.last(), Some(Some(_))) => {
                    let start = self.template_stack.pop().flatten().unwrap_or(lo);
                    self.pos += 1;
                    self.template_part(lo, start, false);
                }
                '#' if self
                    .src
                    .get(self.pos + 1..)
                    .and_then(|s| s.chars().next())
                    .is_some_and(is_id_start) =>
                {
                    self.pos += 1;
                    self.word_text();
                    self.push_token(TokenKind::PrivateName, None, lo, ValueId::NONE);
                }
                '/' if self.regex_allowed() => self.regex(lo),
                c if is_id_start(c) => self.word(lo),
                _ => {
                    if let Some(p) = self.punct() {
                        match p {
                            P::LBrace => self.template_stack.push(None),
                            P::RBrace => {
                                self.template_stack.pop();
                            }
                            _ => {}
                        }
                        self.push_token(TokenKind::Punct(p), None, lo, ValueId::NONE);
                    } else {
                        self.pos += c.len_utf8();
                        let mut d = Diagnostic::error(
                            Message::UnexpectedCharacter { ch: c },
                            span(lo, self.pos),
                        );
                        if c == '\u{a0}' {
                            d = d.with_note(Message::NonBreakingSpace);
                        }
                        self.diagnostics.push(d);
                    }
                }
            }
        }
    }

    /// The tokens made since the last chunk, with their values and
    /// diagnostics; the last two tokens stay unless `done` (see
    /// [`Self::regex_allowed`]).
    fn take_chunk(&mut self, done: bool, capacity: usize) -> LexedChunk {
        // A diagnostic ahead of the lexer (found while searching for the
        // end of something) may still be taken back by a template that
        // never ends; it and those after it wait (their order is kept).
        let settled = if done {
            self.diagnostics.len()
        } else {
            self.diagnostics
                .iter()
                .position(|d| d.span.lo as usize >= self.pos)
                .unwrap_or(self.diagnostics.len())
        };
        let keep = if done { 0 } else { self.tokens.len().min(2) };
        let cut = self.tokens.len() - keep;
        // The list goes as it is (however long an open template made it);
        // the kept tokens start a new one.
        let mut next = Vec::with_capacity(if done { 0 } else { capacity });
        next.extend(self.tokens.drain(cut..));
        let tokens = std::mem::replace(&mut self.tokens, next);
        let handed = values_before(&self.tokens, self.values_base, self.values.len());
        let values: Vec<TokenValue> = self.values.drain(..handed).collect();
        self.values_base += handed;
        LexedChunk {
            tokens,
            values,
            diagnostics: self.diagnostics.drain(..settled).collect(),
            trivia: done.then(|| std::mem::take(&mut self.trivia)),
        }
    }

    fn skip_trivia(&mut self) {
        self.comment_in_gap = false;
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\u{b}' | '\u{c}' | '\u{feff}' => self.pos += c.len_utf8(),
                // CR alone ends a line as LF does (and CRLF is one break).
                '\n' | '\r' | '\u{2028}' | '\u{2029}' => {
                    if !(c == '\n' && self.pos > 0 && self.byte_at(self.pos - 1) == b'\r') {
                        self.line_breaks += 1;
                        self.line_start = true;
                    }
                    self.pos += c.len_utf8();
                    self.nl_before = true;
                }
                '/' if self.byte_at(self.pos + 1) == b'/' => {
                    let lo = self.pos;
                    while let Some(c) = self.peek() {
                        if matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}') {
                            break;
                        }
                        self.pos += c.len_utf8();
                    }
                    self.warn_bidi(lo, self.pos);
                    self.record_comment(CommentKind::Line, lo);
                }
                '/' if self.byte_at(self.pos + 1) == b'*' => {
                    let lo = self.pos;
                    match self.src.get(self.pos + 2..).and_then(|s| s.find("*/")) {
                        Some(end) => {
                            let body = self.src.get(self.pos + 2..self.pos + 2 + end).unwrap_or("");
                            if body.contains(['\n', '\r', '\u{2028}', '\u{2029}']) {
                                self.nl_before = true;
                            }
                            self.pos += 2 + end + 2;
                            self.warn_bidi(lo, self.pos);
                            let kind = if body.starts_with('*') && !body.is_empty() {
                                CommentKind::Doc
                            } else {
                                CommentKind::Block
                            };
                            self.record_comment(kind, lo);
                        }
                        None => {
                            self.pos = self.src.len();
                            self.error(Message::UnterminatedComment, lo, lo + 2);
                        }
                    }
                }
                // Other Unicode spaces are whitespace in JavaScript; the
                // non-breaking space is reported (it is almost always pasted
                // from a word processor), everything else is skipped.
                c if c != '\u{a0}' && c.is_whitespace() => self.pos += c.len_utf8(),
                _ => {
                    self.end_trivia(self.pos);
                    return;
                }
            }
        }
        self.end_trivia(self.pos);
    }

    /// Notes the blank lines before the token or comment at `at`.
    fn end_trivia(&mut self, at: usize) {
        if self.line_breaks > 1 {
            let entry = (at as u32, self.line_breaks - 1);
            // Re-lexing after an abandoned template may pass here again.
            if self
                .trivia
                .blank_lines
                .last()
                .is_none_or(|&(last, _)| last < entry.0)
            {
                self.trivia.blank_lines.push(entry);
            }
        }
        if self.line_breaks > 0 && self.comment_in_gap {
            if let Some(last) = self.trivia.comments.last_mut() {
                last.nl_after = true;
            }
        }
        self.line_breaks = 0;
        self.line_start = false;
    }

    fn record_comment(&mut self, kind: CommentKind, lo: usize) {
        let own_line = self.line_start;
        self.end_trivia(lo);
        let span = span(lo, self.pos);
        if self
            .trivia
            .comments
            .last()
            .is_none_or(|c| c.span.lo < span.lo)
        {
            self.trivia.comments.push(Comment {
                kind,
                span,
                own_line,
                nl_after: false,
            });
            self.comment_in_gap = true;
        }
    }

    /// Whether a `/` here starts a regular expression literal.
    fn regex_allowed(&self) -> bool {
        let Some(prev) = self.tokens.last() else {
            return true;
        };
        match prev.kind {
            TokenKind::Punct(P::RParen | P::RBracket | P::RBrace | P::PlusPlus | P::MinusMinus) => {
                false
            }
            TokenKind::Punct(_) => true,
            TokenKind::Word => {
                let after_dot = self
                    .tokens
                    .len()
                    .checked_sub(2)
                    .and_then(|i| self.tokens.get(i))
                    .is_some_and(|t| t.is(P::Dot) || t.is(P::QuestionDot));
                if after_dot {
                    return false;
                }
                match prev.kw {
                    Some(
                        Kw::This | Kw::Super | Kw::True | Kw::False | Kw::Undefined | Kw::Null,
                    ) => false,
                    Some(
                        Kw::Typeof
                        | Kw::Instanceof
                        | Kw::In
                        | Kw::Delete
                        | Kw::Yield
                        | Kw::Case
                        | Kw::Do,
                    ) => true,
                    Some(kw) => kw.is_reserved(),
                    None => false,
                }
            }
            TokenKind::TemplateHead | TokenKind::TemplateMiddle => true,
            _ => false,
        }
    }

    fn word_text(&mut self) -> &'s str {
        let lo = self.pos;
        loop {
            let next = self.byte_at(self.pos + 1);
            // ASCII letters, digits, `_` and `$`, and the two-byte Cyrillic
            // letters (U+0400–U+0481, U+048A–U+04FF) without decoding:
            // nearly every character of a word.
            let len = match self.byte_at(self.pos) {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'$' => 1,
                0xd0 | 0xd1 | 0xd3 if (0x80..=0xbf).contains(&next) => 2,
                0xd2 if matches!(next, 0x80 | 0x81 | 0x8a..=0xbf) => 2,
                b if b.is_ascii() => break,
                _ => match self.peek() {
                    Some(c) if is_id_continue(c) || (self.pos == lo && is_id_start(c)) => {
                        c.len_utf8()
                    }
                    _ => break,
                },
            };
            self.pos += len;
        }
        self.src.get(lo..self.pos).unwrap_or("")
    }

    fn word(&mut self, lo: usize) {
        let text = self.word_text();
        self.push_token(TokenKind::Word, keyword_of(text), lo, ValueId::NONE);
    }

    fn punct(&mut self) -> Option<P> {
        use P::*;
        let b = |i: usize| self.byte_at(self.pos + i);
        let (p, len) = match b(0) {
            b'(' => (LParen, 1),
            b')' => (RParen, 1),
            b'{' => (LBrace, 1),
            b'}' => (RBrace, 1),
            b'[' => (LBracket, 1),
            b']' => (RBracket, 1),
            b';' => (Semi, 1),
            b',' => (Comma, 1),
            b':' => (Colon, 1),
            b'~' => (Tilde, 1),
            b'#' => (Hash, 1),
            b'@' => return None,
            b'.' => {
                if b(1) == b'.' && b(2) == b'.' {
                    (DotDotDot, 3)
                } else {
                    (Dot, 1)
                }
            }
            b'?' => match (b(1), b(2)) {
                (b'?', b'=') => (QuestionQuestionEq, 3),
                (b'?', _) => (QuestionQuestion, 2),
                // `a?.5:b` is a conditional, not optional chaining.
                (b'.', d) if !d.is_ascii_digit() => (QuestionDot, 2),
                _ => (Question, 1),
            },
            b'=' => match (b(1), b(2)) {
                (b'=', b'=') => (EqEqEq, 3),
                (b'=', _) => (EqEq, 2),
                (b'>', _) => (Arrow, 2),
                _ => (Eq, 1),
            },
            b'!' => match (b(1), b(2)) {
                (b'=', b'=') => (NotEqEq, 3),
                (b'=', _) => (NotEq, 2),
                _ => (Bang, 1),
            },
            b'+' => match b(1) {
                b'+' => (PlusPlus, 2),
                b'=' => (PlusEq, 2),
                _ => (Plus, 1),
            },
            b'-' => match b(1) {
                b'-' => (MinusMinus, 2),
                b'=' => (MinusEq, 2),
                _ => (Minus, 1),
            },
            b'*' => match (b(1), b(2)) {
                (b'*', b'=') => (StarStarEq, 3),
                (b'*', _) => (StarStar, 2),
                (b'=', _) => (StarEq, 2),
                _ => (Star, 1),
            },
            b'/' => match b(1) {
                b'=' => (SlashEq, 2),
                _ => (Slash, 1),
            },
            b'%' => match b(1) {
                b'=' => (PercentEq, 2),
                _ => (Percent, 1),
            },
            b'<' => match (b(1), b(2)) {
                (b'<', b'=') => (ShlEq, 3),
                (b'<', _) => (Shl, 2),
                (b'=', _) => (LtEq, 2),
                _ => (Lt, 1),
            },
            b'>' => match (b(1), b(2), b(3)) {
                (b'>', b'>', b'=') => (UShrEq, 4),
                (b'>', b'>', _) => (UShr, 3),
                (b'>', b'=', _) => (ShrEq, 3),
                (b'>', _, _) => (Shr, 2),
                (b'=', _, _) => (GtEq, 2),
                _ => (Gt, 1),
            },
            b'&' => match (b(1), b(2)) {
                (b'&', b'=') => (AmpAmpEq, 3),
                (b'&', _) => (AmpAmp, 2),
                (b'=', _) => (AmpEq, 2),
                _ => (Amp, 1),
            },
            b'|' => match (b(1), b(2)) {
                (b'|', b'=') => (PipePipeEq, 3),
                (b'|', _) => (PipePipe, 2),
                (b'=', _) => (PipeEq, 2),
                _ => (Pipe, 1),
            },
            b'^' => match b(1) {
                b'=' => (CaretEq, 2),
                _ => (Caret, 1),
            },
            _ => return None,
        };
        self.pos += len;
        Some(p)
    }

    fn number(&mut self, lo: usize) {
        let b0 = self.byte_at(self.pos);
        let b1 = self.byte_at(self.pos + 1).to_ascii_lowercase();
        let radix = match (b0, b1) {
            (b'0', b'x') => 16,
            (b'0', b'o') => 8,
            (b'0', b'b') => 2,
            _ => 10,
        };
        let mut valid = true;
        let value;
        let mut bigint = None;
        if radix != 10 {
            self.pos += 2;
            let digits_lo = self.pos;
            while self.byte_at(self.pos).is_ascii_alphanumeric() || self.byte_at(self.pos) == b'_' {
                if self.byte_at(self.pos) == b'n' {
                    break;
                }
                self.pos += 1;
            }
            let digits: String = self
                .src
                .get(digits_lo..self.pos)
                .unwrap_or("")
                .chars()
                .filter(|&c| c != '_')
                .collect();
            valid = !digits.is_empty()
                && digits.chars().all(|c| c.is_digit(radix))
                && self.separators_ok(digits_lo, self.pos);
            value = digits.chars().fold(0f64, |acc, c| {
                acc * radix as f64 + c.to_digit(radix).unwrap_or(0) as f64
            });
            if self.byte_at(self.pos) == b'n' {
                self.pos += 1;
                bigint = Some(digits);
            }
        } else {
            let int_lo = self.pos;
            while self.byte_at(self.pos).is_ascii_digit() || self.byte_at(self.pos) == b'_' {
                self.pos += 1;
            }
            let int_hi = self.pos;
            let mut is_int = true;
            if self.byte_at(self.pos) == b'.' {
                is_int = false;
                self.pos += 1;
                while self.byte_at(self.pos).is_ascii_digit() || self.byte_at(self.pos) == b'_' {
                    self.pos += 1;
                }
            }
            if matches!(self.byte_at(self.pos), b'e' | b'E') {
                let save = self.pos;
                self.pos += 1;
                if matches!(self.byte_at(self.pos), b'+' | b'-') {
                    self.pos += 1;
                }
                if self.byte_at(self.pos).is_ascii_digit() {
                    is_int = false;
                    while self.byte_at(self.pos).is_ascii_digit() || self.byte_at(self.pos) == b'_'
                    {
                        self.pos += 1;
                    }
                } else {
                    self.pos = save;
                    valid = false;
                    self.pos += 1;
                }
            }
            let text = self.src.get(lo..self.pos).unwrap_or("");
            valid = valid && self.separators_ok(lo, self.pos);
            let cleaned: String = text.chars().filter(|&c| c != '_').collect();
            value = cleaned.parse::<f64>().unwrap_or(f64::NAN);
            if self.byte_at(self.pos) == b'n' {
                self.pos += 1;
                // A BigInt has no fraction, exponent or leading zero.
                let int_text = self.src.get(int_lo..int_hi).unwrap_or("");
                if !is_int || (int_text.len() > 1 && int_text.starts_with('0')) {
                    valid = false;
                }
                bigint = Some(cleaned);
            }
        }
        // `3in` or `0x1g`: a number must not run into a word.
        if self
            .peek()
            .is_some_and(|c| is_id_start(c) || c.is_ascii_digit())
        {
            valid = false;
            while self.peek().is_some_and(is_id_continue) {
                self.pos += self.peek().map_or(1, char::len_utf8);
            }
        }
        if !valid {
            let text = self.src.get(lo..self.pos).unwrap_or("").to_string();
            self.error(Message::InvalidNumber { text }, lo, self.pos);
        }
        match bigint {
            Some(digits) => self.push(
                TokenKind::BigInt,
                lo,
                TokenValue::BigInt(Box::new(BigIntText {
                    digits: digits.into(),
                    radix,
                })),
            ),
            None => self.push(TokenKind::Num, lo, TokenValue::Num(value)),
        }
    }

    /// Numeric separators must sit between two digits.
    fn separators_ok(&self, lo: usize, hi: usize) -> bool {
        let text = self.bytes.get(lo..hi).unwrap_or(&[]);
        text.iter().enumerate().all(|(i, &b)| {
            if b != b'_' {
                return true;
            }
            let before = i
                .checked_sub(1)
                .and_then(|j| text.get(j))
                .copied()
                .unwrap_or(0);
            let after = text.get(i + 1).copied().unwrap_or(0);
            before.is_ascii_hexdigit() && after.is_ascii_hexdigit()
        })
    }

    /// Reads an escape after `\`; returns the decoded text, or `None` when
    /// the escape is invalid. A lone surrogate (`\uD83C`), which Rust text
    /// cannot hold, is U+FFFD here; lowering takes the exact code units
    /// from [`literal_code_units`].
    fn escape(&mut self) -> Option<String> {
        Some(match self.escape_exact()? {
            Escaped::Text(s) => s,
            Escaped::Surrogate(_) => "\u{fffd}".into(),
        })
    }

    fn escape_exact(&mut self) -> Option<Escaped> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(Escaped::Text(match c {
            'n' => "\n".into(),
            't' => "\t".into(),
            'r' => "\r".into(),
            'b' => "\u{8}".into(),
            'f' => "\u{c}".into(),
            'v' => "\u{b}".into(),
            '0' if !self.byte_at(self.pos).is_ascii_digit() => "\0".into(),
            '\r' => {
                if self.byte_at(self.pos) == b'\n' {
                    self.pos += 1;
                }
                String::new()
            }
            '\n' | '\u{2028}' | '\u{2029}' => String::new(),
            'x' => {
                let hex = self.src.get(self.pos..self.pos + 2)?;
                let v = u32::from_str_radix(hex, 16).ok()?;
                self.pos += 2;
                char::from_u32(v)?.to_string()
            }
            'u' => {
                let v = self.unicode_escape_value()?;
                // A surrogate pair written as two escapes.
                if (0xD800..0xDC00).contains(&v)
                    && self
                        .src
                        .get(self.pos..)
                        .is_some_and(|s| s.starts_with("\\u"))
                {
                    let save = self.pos;
                    self.pos += 2;
                    match self.unicode_escape_value() {
                        Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                            let cp = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
                            return char::from_u32(cp).map(|c| Escaped::Text(c.into()));
                        }
                        _ => self.pos = save,
                    }
                }
                match char::from_u32(v) {
                    Some(c) => c.to_string(),
                    None => return Some(Escaped::Surrogate(u16::try_from(v).ok()?)),
                }
            }
            c if c.is_ascii_digit() => {
                // Legacy octal escapes are not allowed in strict code.
                return None;
            }
            other => other.to_string(),
        }))
    }

    fn unicode_escape_value(&mut self) -> Option<u32> {
        if self.byte_at(self.pos) == b'{' {
            let end = self.src.get(self.pos..)?.find('}')?;
            let hex = self.src.get(self.pos + 1..self.pos + end)?;
            let v = u32::from_str_radix(hex, 16)
                .ok()
                .filter(|&v| v <= 0x10FFFF)?;
            self.pos += end + 1;
            Some(v)
        } else {
            let hex = self.src.get(self.pos..self.pos + 4)?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            self.pos += 4;
            u32::from_str_radix(hex, 16).ok()
        }
    }

    fn string(&mut self, lo: usize, quote: char) {
        self.pos += 1;
        let mut value = String::new();
        let diagnostics_before = self.diagnostics.len();
        loop {
            let Some(c) = self.peek() else {
                // Never closed: the string ends at the end of the line it
                // started on (as in JavaScript) and the following lines are
                // lexed as code again, so their mistakes are reported too.
                // (A string closed on a later line is legal: language.md §1.7.)
                self.error(Message::UnterminatedString, lo, lo + 1);
                let line_end = self
                    .src
                    .get(lo..)
                    .and_then(|rest| rest.find(['\n', '\r']))
                    .map_or(self.src.len(), |i| lo + i);
                // What the search for a closing quote found beyond that
                // line is lexed again (and reported then, once).
                let mut index = 0;
                self.diagnostics.retain(|d| {
                    index += 1;
                    index <= diagnostics_before || (d.span.lo as usize) < line_end
                });
                self.pos = line_end;
                let text = self.src.get(lo + 1..line_end).unwrap_or("");
                value = text.to_string();
                break;
            };
            self.pos += c.len_utf8();
            if c == quote {
                break;
            }
            if c == '\\' {
                let esc_lo = self.pos - 1;
                match self.escape() {
                    Some(s) => value.push_str(&s),
                    None => self.error(Message::InvalidEscape, esc_lo, self.pos),
                }
            } else {
                // U+2028 and U+2029 may stand in a string, as in JavaScript.
                value.push(c);
            }
        }
        self.warn_bidi(lo, self.pos);
        self.push(TokenKind::Str, lo, TokenValue::Str(value.into()));
    }

    /// A template that never ends: one error at its backtick; it becomes
    /// one (empty) template token up to the end of the line it started on,
    /// and lexing resumes on the next line, so the rest of the file is
    /// still checked.
    fn abandon_template(&mut self, start: usize) {
        let line_end = self
            .src
            .get(start..)
            .and_then(|rest| rest.find(['\n', '\r', '\u{2028}', '\u{2029}']))
            .map_or(self.src.len(), |i| start + i);
        let nl_before = self
            .tokens
            .iter()
            .find(|t| t.span.lo as usize >= start)
            .map_or(self.nl_before, |t| t.nl_before);
        let kept = self
            .tokens
            .partition_point(|t| (t.span.lo as usize) < start);
        if let Some(first) = self
            .tokens
            .get(kept..)
            .and_then(|dropped| dropped.iter().find_map(|t| t.value.index()))
        {
            self.values.truncate(first.saturating_sub(self.values_base));
        }
        self.tokens.truncate(kept);
        self.diagnostics.retain(|d| (d.span.lo as usize) < line_end);
        if let Some(i) = self.open_templates.iter().position(|&(s, _)| s == start) {
            let depth = self.open_templates.get(i).map_or(0, |&(_, d)| d);
            self.open_templates.truncate(i);
            self.template_stack.truncate(depth);
        }
        self.error(Message::UnterminatedTemplate, start, start + 1);
        self.pos = line_end;
        self.nl_before = nl_before;
        self.push(
            TokenKind::Template,
            start,
            TokenValue::Template(Box::new(TemplateText {
                cooked: Some("".into()),
                raw: "".into(),
            })),
        );
    }

    /// Lexes template text after `` ` `` or a substitution's `}` up to the
    /// closing `` ` `` or the next `${`.
    fn template_part(&mut self, lo: usize, template_start: usize, is_start: bool) {
        let mut cooked = Some(String::new());
        let raw_lo = self.pos;
        let (kind, raw_hi) = loop {
            let Some(c) = self.peek() else {
                self.abandon_template(template_start);
                return;
            };
            if c == '`' {
                let hi = self.pos;
                self.pos += 1;
                self.open_templates.retain(|&(s, _)| s != template_start);
                break (
                    if is_start {
                        TokenKind::Template
                    } else {
                        TokenKind::TemplateTail
                    },
                    hi,
                );
            }
            if c == '$' && self.byte_at(self.pos + 1) == b'{' {
                let hi = self.pos;
                self.pos += 2;
                self.template_stack.push(Some(template_start));
                break (
                    if is_start {
                        TokenKind::TemplateHead
                    } else {
                        TokenKind::TemplateMiddle
                    },
                    hi,
                );
            }
            self.pos += c.len_utf8();
            if c == '\\' {
                match self.escape() {
                    Some(s) => {
                        if let Some(cooked) = &mut cooked {
                            cooked.push_str(&s);
                        }
                    }
                    None => cooked = None,
                }
            } else if c == '\r' {
                // Template text normalises CR and CRLF to LF.
                if self.byte_at(self.pos) == b'\n' {
                    self.pos += 1;
                }
                if let Some(cooked) = &mut cooked {
                    cooked.push('\n');
                }
            } else if let Some(cooked) = &mut cooked {
                cooked.push(c);
            }
        };
        let raw = self
            .src
            .get(raw_lo..raw_hi)
            .unwrap_or("")
            .replace("\r\n", "\n")
            .replace('\r', "\n");
        self.warn_bidi(raw_lo, raw_hi);
        self.push(
            kind,
            lo,
            TokenValue::Template(Box::new(TemplateText {
                cooked: cooked.map(Into::into),
                raw: raw.into(),
            })),
        );
    }

    fn regex(&mut self, lo: usize) {
        self.pos += 1;
        let mut in_class = false;
        loop {
            let Some(c) = self.peek() else {
                self.error(Message::UnterminatedRegex, lo, lo + 1);
                self.push_token(TokenKind::Regex, None, lo, ValueId::NONE);
                return;
            };
            if matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}') {
                self.error(Message::UnterminatedRegex, lo, lo + 1);
                self.push_token(TokenKind::Regex, None, lo, ValueId::NONE);
                return;
            }
            self.pos += c.len_utf8();
            match c {
                '\\' => {
                    if let Some(n) = self.peek() {
                        if !matches!(n, '\n' | '\r' | '\u{2028}' | '\u{2029}') {
                            self.pos += n.len_utf8();
                        }
                    }
                }
                '[' => in_class = true,
                ']' => in_class = false,
                '/' if !in_class => break,
                _ => {}
            }
        }
        let pattern = self.src.get(lo + 1..self.pos - 1).unwrap_or("");
        let flags_lo = self.pos;
        while self.peek().is_some_and(is_id_continue) {
            self.pos += self.peek().map_or(1, char::len_utf8);
        }
        let flags = self.src.get(flags_lo..self.pos).unwrap_or("");
        if let Some(message) = crate::regex::validate(pattern, flags) {
            self.error(message, lo, self.pos);
        }
        self.push(
            TokenKind::Regex,
            lo,
            TokenValue::Regex(Box::new(RegexText {
                pattern: pattern.into(),
                flags: flags.into(),
            })),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_take_exactly_the_identifier_characters() {
        // The byte-level fast paths of `word_text` against the definition,
        // for every character: inside a word, and first.
        for c in (0..=0x10ffff_u32).filter_map(char::from_u32) {
            let inside = format!("а{c}б");
            let mut lx = Lexer::new(&inside, 0);
            let expected = if is_id_continue(c) { inside.len() } else { 2 };
            assert_eq!(lx.word_text().len(), expected, "{c:?} inside a word");
            let first = format!("{c}б");
            let mut lx = Lexer::new(&first, 0);
            let expected = if is_id_continue(c) || is_id_start(c) {
                first.len()
            } else {
                0
            };
            assert_eq!(lx.word_text().len(), expected, "{c:?} first");
        }
    }

    #[test]
    fn keyword_of_matches_lower_case_lookup() {
        // The letters the fast path lower-cases: each to the one letter
        // `to_lowercase` gives, in the block and of the same length.
        for c in (0..=0x10ffff_u32).filter_map(char::from_u32) {
            let Some(fast) = quick_lower_case(c) else {
                continue;
            };
            let lower: String = c.to_lowercase().collect();
            assert_eq!(fast.to_string(), lower, "{c:?}");
            assert_eq!(fast.len_utf8(), c.len_utf8(), "{c:?}");
        }
        for (word, kw) in [
            ("агар", Some(Kw::If)),
            ("АГАР", Some(Kw::If)),
            ("Ҳар", Some(Kw::Any)),
            ("ҶАМЪИЯТӢ", Some(Kw::Public)),
            ("ТАҒЙИРЁБАНДА", Some(Kw::Let)),
            ("агарҳо", None),
            ("агарX", None),
            ("Нуқта1", None),
            ("АГАР_", None),
            ("Агар\u{300}", None),
            ("Agar", None),
            ("", None),
        ] {
            assert_eq!(keyword_of(word), kw, "{word}");
            assert_eq!(keyword_of(word), Kw::lookup(&word.to_lowercase()), "{word}");
        }
        let long = "а".repeat(40);
        assert_eq!(keyword_of(&long), None);
    }

    #[test]
    fn bidi_controls_in_strings_templates_and_comments_are_warnings() {
        let src = "\"a\u{202e}b\" `c\u{2067}${1}d\u{200f}` // e\u{61c}\n/* \u{2069} */ x";
        let warnings: Vec<(u32, Message)> = tokenize(src)
            .diagnostics
            .into_iter()
            .map(|d| {
                assert_eq!(d.severity, somon_diagnostics::Severity::Warning);
                (d.span.lo, d.message)
            })
            .collect();
        let at = |c: char| src.find(c).map_or(0, |i| i as u32);
        assert_eq!(
            warnings,
            ['\u{202e}', '\u{2067}', '\u{200f}', '\u{61c}', '\u{2069}']
                .map(|ch| (at(ch), Message::BidiControl { ch }))
        );
        // Escapes are fine, and so is right-to-left text itself.
        assert!(tokenize("\"\\u202E\" // عربي").diagnostics.is_empty());
    }

    #[test]
    fn an_unterminated_string_reports_the_lines_after_it_once() {
        // The search for the closing quote reads on to the end of the file;
        // the lines after the string's are lexed again and reported then.
        let src = "тағ а = 'бе охир\nтағ б = \"\\x\";\n";
        let found: Vec<(u32, &str)> = tokenize(src)
            .diagnostics
            .iter()
            .map(|d| (d.span.lo, d.code()))
            .collect();
        let string_at = src.find('\'').map_or(0, |i| i as u32);
        let escape_at = src.find('\\').map_or(0, |i| i as u32);
        assert_eq!(
            found,
            [
                (string_at, Message::UnterminatedString.code()),
                (escape_at, Message::InvalidEscape.code())
            ]
        );
    }

    /// Lexing in chunks hands on exactly what lexing all at once returns,
    /// whatever the chunk size (the parser's side: `chunked_parse_difference`).
    #[test]
    fn chunks_together_are_the_whole_lexing() {
        let src = "тағ а = /б+/g; `в${ {г: `д${1}`}.г }е` / 2; 'бе охир\n// шарҳ\n`ж${ /* з */ 1";
        let whole = tokenize(src);
        for size in [1, 2, 3, 5, 64] {
            let (mut tokens, mut values, mut diagnostics, mut trivia) =
                (Vec::new(), Vec::new(), Vec::new(), None);
            tokenize_in_chunks(src, size, |chunk| {
                tokens.extend(chunk.tokens);
                values.extend(chunk.values);
                diagnostics.extend(chunk.diagnostics);
                assert!(trivia.is_none(), "trivia come once, with the last chunk");
                trivia = chunk.trivia;
                true
            });
            assert_eq!(tokens, whole.tokens, "chunks of {size}");
            assert_eq!(values, whole.values, "chunks of {size}");
            assert_eq!(diagnostics, whole.diagnostics, "chunks of {size}");
            assert_eq!(trivia.as_ref(), Some(&whole.trivia), "chunks of {size}");
        }
    }

    fn kinds(src: &str) -> Vec<String> {
        let lexed = tokenize(src);
        lexed
            .tokens
            .iter()
            .map(|t| match (&t.kind, lexed.value(t)) {
                (TokenKind::Punct(p), _) => p.text().to_string(),
                (TokenKind::Word, _) => format!("w:{}", t.name(src)),
                (TokenKind::Num, TokenValue::Num(n)) => format!("n:{n}"),
                (TokenKind::Regex, TokenValue::Regex(re)) => {
                    format!("re:{}/{}", re.pattern, re.flags)
                }
                (k, _) => format!("{k:?}"),
            })
            .collect()
    }

    #[test]
    fn division_and_regex() {
        assert_eq!(kinds("а / б / 2"), ["w:а", "/", "w:б", "/", "n:2", "Eof"]);
        assert_eq!(kinds("х = /аб+/g"), ["w:х", "=", "re:аб+/g", "Eof"]);
        assert_eq!(kinds("(а) / 2"), ["(", "w:а", ")", "/", "n:2", "Eof"]);
    }

    #[test]
    fn numbers() {
        assert_eq!(
            kinds("0xFF 0b1010_1010 0o755 1_000 .5 1E3 007"),
            ["n:255", "n:170", "n:493", "n:1000", "n:0.5", "n:1000", "n:7", "Eof"]
        );
        assert!(!tokenize("1__0").diagnostics.is_empty());
        assert!(!tokenize("3in").diagnostics.is_empty());
    }

    #[test]
    fn templates_nest() {
        let k = kinds("`а${ {б: `в${1}`}.б }г`");
        assert_eq!(k.first().map(String::as_str), Some("TemplateHead"));
        assert_eq!(k.get(k.len() - 2).map(String::as_str), Some("TemplateTail"));
        assert!(tokenize("`а${ {б: `в${1}`}.б }г`").diagnostics.is_empty());
    }

    #[test]
    fn keywords_are_case_insensitive() {
        let t = tokenize("Агар АГАР агарчи").tokens;
        assert_eq!(t.first().and_then(|t| t.kw), Some(Kw::If));
        assert_eq!(t.get(1).and_then(|t| t.kw), Some(Kw::If));
        assert_eq!(t.get(2).and_then(|t| t.kw), None);
    }
}
