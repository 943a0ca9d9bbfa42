//! The parser: tokens → [`Program`] plus diagnostics.
//!
//! Architecture invariant: the parser never fails. It always returns a
//! program; every problem is a diagnostic. Recovery happens at statement and
//! class-member boundaries (skip to the end of the broken statement), a
//! missing closing token is reported where it was expected and then assumed
//! present, and nesting deeper than [`MAX_DEPTH`] stops the parse with one
//! `DEPTH` diagnostic instead of exhausting the stack.

mod expr;
mod hints;
mod stmt;
mod types;

use crate::ast::*;
use crate::keywords::{is_js_reserved, Kw};
use crate::lexer::{tokenize, value_of, values_before, LexedChunk};
use crate::token::{Token, TokenKind, TokenValue, ValueId, P};
use somon_diagnostics::{Diagnostic, Found, Message, Span};

/// The deepest nesting of statements, expressions and types the parser
/// accepts. Deeper input gets a `DEPTH` diagnostic.
pub const MAX_DEPTH: u32 = 400;

pub struct ParseResult {
    pub program: Program,
    pub diagnostics: Vec<Diagnostic>,
    /// `интизор` (and `барои интизор`) outside any `ҳамзамон` function:
    /// `(span, at_top_level)`. Whether that is an error depends on the
    /// output module format, which the parser does not know.
    pub awaits_outside_async: Vec<(Span, bool)>,
    /// `ворид("…")` calls with a string literal: the specifier and its span.
    pub dynamic_imports: Vec<(Box<str>, Span)>,
    /// Regular-expression literals with the `v` flag (ES2024): whether they
    /// may be emitted depends on the output's target.
    pub unicode_sets_regexes: Vec<Span>,
    /// Comments and blank lines, a side table the parser never reads
    /// (for the formatter, and doc comments for the language server).
    pub trivia: crate::trivia::Trivia,
}

/// Parses `src`. A source of [`LEX_BESIDE_BYTES`] or more is lexed on a
/// thread of its own while the parser reads its tokens
/// ([`parse_beside_lexer`]); the result is the same either way.
pub fn parse(src: &str) -> ParseResult {
    if src.len() >= LEX_BESIDE_BYTES {
        if let Some((parsed, _)) = parse_beside_lexer(src) {
            return parsed;
        }
    }
    parse_lexed(src, tokenize(src))
}

/// The size from which [`parse`] lexes a source on a thread of its own:
/// below it the thread would cost more than it saves.
pub const LEX_BESIDE_BYTES: usize = 128 * 1024;

/// How many tokens the lexer hands the parser at a time when the two run
/// side by side (about 20 KB of source).
const LEXED_CHUNK_TOKENS: usize = 4096;

/// The stack of the lexing thread (the lexer does not recurse;
/// regular-expression validation does, a little).
const LEX_THREAD_STACK: usize = 16 * 1024 * 1024;

/// Parses `src` while a thread of its own lexes it, handing the tokens on
/// in chunks ([`crate::lexer::tokenize_in_chunks`] + [`parse_chunks`]: the
/// same result as [`parse_lexed`]); with how long the lexing took. `None`
/// when no thread could be made. A panic in the lexer is resumed here.
pub fn parse_beside_lexer(src: &str) -> Option<(ParseResult, std::time::Duration)> {
    beside_lexer(src, None, LEXED_CHUNK_TOKENS, |chunks| {
        parse_chunks(src, chunks)
    })
}

/// Runs `parse` on the chunks of `chunk_tokens` tokens of `src` a thread
/// of its own lexes (see [`parse_beside_lexer`]). With `ahead`, the lexer
/// waits when that many chunks are waiting for the parser (without, it
/// runs to the end).
fn beside_lexer<R>(
    src: &str,
    ahead: Option<usize>,
    chunk_tokens: usize,
    parse: impl FnOnce(Box<dyn Iterator<Item = LexedChunk> + '_>) -> R,
) -> Option<(R, std::time::Duration)> {
    std::thread::scope(|scope| {
        let (chunks, received) = match ahead {
            Some(n) => {
                let (send, received) = std::sync::mpsc::sync_channel(n);
                (Sender::Bounded(send), received)
            }
            None => {
                let (send, received) = std::sync::mpsc::channel();
                (Sender::Unbounded(send), received)
            }
        };
        let lexer = std::thread::Builder::new()
            .name("somon-lex".into())
            .stack_size(LEX_THREAD_STACK)
            .spawn_scoped(scope, move || {
                let start = std::time::Instant::now();
                // A parser that stopped (it panicked) reads no more.
                crate::lexer::tokenize_in_chunks(src, chunk_tokens, |chunk| chunks.send(chunk));
                start.elapsed()
            })
            .ok()?;
        let parsed = parse(Box::new(received.into_iter()));
        match lexer.join() {
            Ok(took) => Some((parsed, took)),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// [`parse`] of tokens already produced by [`crate::lexer::tokenize`]`(src)`
/// (so a caller can time the two apart).
pub fn parse_lexed(src: &str, lexed: crate::lexer::Lexed) -> ParseResult {
    let mut p = Parser::new(src, None, 0);
    p.receive(LexedChunk {
        tokens: lexed.tokens,
        values: lexed.values,
        diagnostics: lexed.diagnostics,
        trivia: Some(lexed.trivia),
    });
    p.finish()
}

/// [`parse`] of the chunks [`crate::lexer::tokenize_in_chunks`]`(src, …)`
/// hands on, read as they arrive (the lexer may still be running on
/// another thread): the same result as [`parse`]. The parser holds
/// [`LOOKAHEAD`] tokens beyond the one it is at, waiting for more chunks
/// when it has fewer.
pub fn parse_chunks<'s>(
    src: &'s str,
    chunks: impl Iterator<Item = LexedChunk> + 's,
) -> ParseResult {
    // About one token per 5 bytes (see `tokenize`).
    let mut p = Parser::new(src, Some(Box::new(chunks)), src.len() / 5 + 1);
    p.refill();
    p.finish()
}

/// Parses `src` handing each top-level statement to `each` as soon as it
/// is parsed, in order, and holding only the tokens not yet read (the
/// lexer runs on a thread of its own for a large source): memory stays
/// that of one statement, not of the whole tree. The result is
/// [`parse`]'s with an empty `program.body` (its statements went to
/// `each`). When `each` returns `false` the parse stops there (the lexer
/// too): the result is then only what was found so far.
pub fn parse_each(src: &str, each: &mut dyn FnMut(Stmt) -> bool) -> ParseResult {
    if src.len() >= LEX_BESIDE_BYTES {
        // A few chunks ahead: the lexer is faster than what is done with
        // each statement, and would otherwise hold all the tokens. (When
        // no thread could be made, `each` was not called: lexed below.)
        let ran = beside_lexer(
            src,
            Some(STREAMED_CHUNKS_AHEAD),
            STREAMED_CHUNK_TOKENS,
            |chunks| parse_chunks_each(src, chunks, STREAMED_CHUNK_TOKENS, &mut *each),
        );
        if let Some((parsed, _)) = ran {
            return parsed;
        }
    }
    parse_each_in_chunks(src, STREAMED_CHUNK_TOKENS, each)
}

/// How many chunks the lexer may have waiting for [`parse_each`].
const STREAMED_CHUNKS_AHEAD: usize = 4;

/// The tokens in a chunk for [`parse_each`]: smaller than
/// [`LEXED_CHUNK_TOKENS`], since what it holds at once is the point.
const STREAMED_CHUNK_TOKENS: usize = 2048;

/// The sending end of the lexer's chunks.
enum Sender {
    Bounded(std::sync::mpsc::SyncSender<LexedChunk>),
    Unbounded(std::sync::mpsc::Sender<LexedChunk>),
}

impl Sender {
    /// `false` once the parser is gone.
    fn send(&self, chunk: LexedChunk) -> bool {
        match self {
            Sender::Bounded(s) => s.send(chunk).is_ok(),
            Sender::Unbounded(s) => s.send(chunk).is_ok(),
        }
    }
}

/// [`parse_each`] with the source lexed first, in chunks of
/// `chunk_tokens` tokens (tests drop tokens after every few).
pub fn parse_each_in_chunks(
    src: &str,
    chunk_tokens: usize,
    each: &mut dyn FnMut(Stmt) -> bool,
) -> ParseResult {
    let mut chunks = Vec::new();
    crate::lexer::tokenize_in_chunks(src, chunk_tokens, |chunk| {
        chunks.push(chunk);
        true
    });
    parse_chunks_each(src, Box::new(chunks.into_iter()), chunk_tokens, each)
}

fn parse_chunks_each<'s>(
    src: &'s str,
    chunks: Chunks<'s>,
    chunk_tokens: usize,
    each: &mut dyn FnMut(Stmt) -> bool,
) -> ParseResult {
    // Room for what is held at most: the look-ahead, the chunk read last,
    // the read tokens not yet dropped (a chunk's worth) and the statement
    // being parsed (up to two chunks' worth: a longer one grows the list).
    let mut p = Parser::new(src, Some(chunks), LOOKAHEAD + 4 * chunk_tokens);
    p.drop_after = chunk_tokens.max(1);
    p.refill();
    p.finish_each(each)
}

/// Where parsing `src` from chunks of `chunk_tokens` tokens (as
/// [`parse_chunks`] reads them) differs from lexing it all first
/// ([`parse_lexed`]): `None` when the two
/// results are equal in every part. Tests and the fuzzer compare the two
/// paths with small chunks, so that every token boundary is a chunk's.
pub fn chunked_parse_difference(src: &str, chunk_tokens: usize) -> Option<String> {
    let whole = parse_lexed(src, tokenize(src));
    let mut chunks = Vec::new();
    crate::lexer::tokenize_in_chunks(src, chunk_tokens, |chunk| {
        chunks.push(chunk);
        true
    });
    let chunked = parse_chunks(src, chunks.into_iter());
    // Handed on statement by statement, read tokens dropped as it goes.
    let mut streamed_body = Vec::new();
    let mut streamed = parse_each_in_chunks(src, chunk_tokens, &mut |s| {
        streamed_body.push(s);
        true
    });
    streamed.program.body = streamed_body;
    let streamed_same = whole.program == streamed.program
        || format!("{:?}", whole.program) == format!("{:?}", streamed.program);
    let parts = [
        ("tree handed on statement by statement", streamed_same),
        (
            "the rest of a parse handed on statement by statement",
            whole.diagnostics == streamed.diagnostics
                && whole.awaits_outside_async == streamed.awaits_outside_async
                && whole.dynamic_imports == streamed.dynamic_imports
                && whole.unicode_sets_regexes == streamed.unicode_sets_regexes
                && whole.trivia == streamed.trivia,
        ),
        // Compared as text: a malformed number's value is NaN, which is
        // not equal to itself.
        (
            "tree",
            whole.program == chunked.program
                || format!("{:?}", whole.program) == format!("{:?}", chunked.program),
        ),
        ("diagnostics", whole.diagnostics == chunked.diagnostics),
        (
            "top-level awaits",
            whole.awaits_outside_async == chunked.awaits_outside_async,
        ),
        (
            "dynamic imports",
            whole.dynamic_imports == chunked.dynamic_imports,
        ),
        (
            "`v` regexes",
            whole.unicode_sets_regexes == chunked.unicode_sets_regexes,
        ),
        ("trivia", whole.trivia == chunked.trivia),
    ];
    let differing: Vec<&str> = parts
        .iter()
        .filter(|(_, same)| !same)
        .map(|(part, _)| *part)
        .collect();
    if differing.is_empty() {
        return None;
    }
    Some(format!(
        "parsing in chunks of {chunk_tokens} token(s) differs in: {}\n  diagnostics whole: {:?}\n  diagnostics chunked: {:?}",
        differing.join(", "),
        whole.diagnostics,
        chunked.diagnostics
    ))
}

/// How many tokens beyond the current one the parser may look at: what
/// it holds before it reads on when tokens arrive in chunks. Its furthest
/// look ahead is a hint's scan of a parenthesised head (4,096 tokens) from
/// a few hundred tokens on.
pub const LOOKAHEAD: usize = 16 * 1024;

type Chunks<'s> = Box<dyn Iterator<Item = LexedChunk> + 's>;

impl<'s> Parser<'s> {
    /// A parser of `src`, its tokens from `feed` (when `None`, handed
    /// over whole by [`Parser::receive`]), with room for `token_room`.
    fn new(src: &'s str, feed: Option<Chunks<'s>>, token_room: usize) -> Parser<'s> {
        let eof_pos = src.len() as u32;
        Parser {
            src,
            toks: Vec::with_capacity(token_room),
            values: Vec::new(),
            pos: 0,
            reported: std::collections::HashMap::new(),
            lex_diags: Vec::new(),
            diags: Vec::new(),
            depth: 0,
            aborted: false,
            eof: Token {
                kind: TokenKind::Eof,
                kw: None,
                span: Span::at(eof_pos),
                nl_before: true,
                value: ValueId::NONE,
            },
            ctx: Ctx::default(),
            speculating: 0,
            undo: Vec::new(),
            awaits_outside_async: Vec::new(),
            no_in: false,
            dynamic_imports: Vec::new(),
            private_scopes: Vec::new(),
            feed,
            trivia: crate::trivia::Trivia::default(),
            base: 0,
            values_base: 0,
            unicode_sets: Vec::new(),
            drop_after: usize::MAX,
        }
    }

    /// Token `i` of the source, when the parser holds it (one before the
    /// first held wraps around to an index past the end: none).
    #[inline]
    pub(crate) fn tok(&self, i: usize) -> Option<&Token> {
        self.toks.get(i.wrapping_sub(self.base))
    }

    #[inline]
    fn tok_mut(&mut self, i: usize) -> Option<&mut Token> {
        self.toks.get_mut(i.wrapping_sub(self.base))
    }

    /// One past the last token held.
    #[inline]
    fn held_end(&self) -> usize {
        self.base + self.toks.len()
    }

    /// Drops the tokens before the current one but one (the previous
    /// token's end is still asked for), once there are many. Only between
    /// top-level statements: no speculation can go back that far.
    fn drop_read_tokens(&mut self) {
        let keep_from = self.pos.saturating_sub(1);
        let drop = keep_from.saturating_sub(self.base);
        if drop < self.drop_after || self.speculating > 0 {
            return;
        }
        self.undo.clear();
        let (dropped, kept) = self.toks.split_at(drop.min(self.toks.len()));
        self.unicode_sets
            .extend(unicode_sets_in(dropped, &self.values, self.values_base));
        let drop_values = values_before(kept, self.values_base, self.values.len());
        self.toks.drain(..drop);
        self.values.drain(..drop_values);
        self.base += drop;
        self.values_base += drop_values;
    }

    /// Takes in one chunk of the lexer's output.
    fn receive(&mut self, chunk: LexedChunk) {
        // All tokens at once ([`parse_lexed`], no chunks to come): taken
        // as they are. Chunks go into the list made for the whole file.
        if self.feed.is_none() && self.toks.is_empty() {
            self.toks = chunk.tokens;
            self.values = chunk.values;
        } else {
            self.toks.extend(chunk.tokens);
            self.values.extend(chunk.values);
        }
        for d in &chunk.diagnostics {
            *self.reported.entry((d.span.lo, d.code())).or_insert(0) += 1;
        }
        self.lex_diags.extend(chunk.diagnostics);
        if let Some(trivia) = chunk.trivia {
            self.trivia = trivia;
            self.feed = None;
        }
    }

    /// Reads chunks until [`LOOKAHEAD`] tokens lie beyond the current one
    /// or the lexer is done.
    fn refill(&mut self) {
        while self.held_end() <= self.pos + LOOKAHEAD {
            let Some(feed) = self.feed.as_mut() else {
                return;
            };
            match feed.next() {
                Some(chunk) => self.receive(chunk),
                // The lexer stopped without its last chunk (it panicked):
                // what arrived is all there is.
                None => self.feed = None,
            }
        }
    }

    /// Parses the module and gathers the result (reading every chunk
    /// still to come: a stopped parse still reports the lexer's findings).
    fn finish(mut self) -> ParseResult {
        let body = self.parse_module_items();
        self.gather(body)
    }

    /// [`Self::finish`] handing each statement to `each` (see
    /// [`parse_each`]).
    fn finish_each(mut self, each: &mut dyn FnMut(Stmt) -> bool) -> ParseResult {
        let mut parsed = Vec::new();
        'statements: while !self.at_eof() && !self.aborted {
            self.module_item_into(&mut parsed);
            for s in parsed.drain(..) {
                if !each(s) {
                    // No more chunks are read: the lexer stops too.
                    self.feed = None;
                    break 'statements;
                }
            }
            self.drop_read_tokens();
        }
        self.gather(Vec::new())
    }

    /// The result around a parsed body.
    fn gather(mut self, body: Vec<Stmt>) -> ParseResult {
        let eof_pos = self.src.len() as u32;
        while let Some(chunk) = self.feed.as_mut().and_then(|feed| feed.next()) {
            self.receive(chunk);
        }
        let mut unicode_sets_regexes = std::mem::take(&mut self.unicode_sets);
        unicode_sets_regexes.extend(unicode_sets_in(&self.toks, &self.values, self.values_base));
        let mut diagnostics = self.lex_diags;
        diagnostics.append(&mut self.diags);
        ParseResult {
            program: Program {
                body,
                span: Span::new(0, eof_pos),
            },
            diagnostics,
            awaits_outside_async: self.awaits_outside_async,
            dynamic_imports: self.dynamic_imports,
            unicode_sets_regexes,
            trivia: self.trivia,
        }
    }
}

/// Regular-expression literals with the `v` flag among tokens.
fn unicode_sets_in(toks: &[Token], values: &[TokenValue], values_base: usize) -> Vec<Span> {
    toks.iter()
        .filter(|t| t.kind == TokenKind::Regex)
        .filter_map(|t| match value_of(values, values_base, t) {
            TokenValue::Regex(re) if re.flags.contains('v') => Some(t.span),
            _ => None,
        })
        .collect()
}

/// Regular-expression literals with the `v` flag (ES2024) in a source, for
/// the outputs whose target predates them.
pub fn unicode_sets_regexes(src: &str) -> Vec<Span> {
    if !src.contains('v') {
        return Vec::new();
    }
    let lexed = tokenize(src);
    unicode_sets_in(&lexed.tokens, &lexed.values, 0)
}

/// Marker for "a diagnostic was recorded; unwind to the nearest recovery
/// point".
#[derive(Debug)]
pub(crate) struct Fatal;

pub(crate) type PResult<T> = Result<T, Fatal>;

#[derive(Clone, Default)]
pub(crate) struct Ctx {
    pub in_function: bool,
    pub in_async: bool,
    pub in_generator: bool,
    pub loop_depth: u32,
    pub switch_depth: u32,
    /// Labels in scope: name and whether it labels a loop.
    pub labels: Vec<(Box<str>, bool)>,
}

pub(crate) struct Parser<'s> {
    pub src: &'s str,
    pub toks: Vec<Token>,
    /// The literals' payloads ([`crate::lexer::Lexed::values`]).
    pub values: Vec<TokenValue>,
    /// The current token. Moved forward only by [`Parser::advance`] and
    /// [`Parser::seek`]: with chunked input they read on.
    pub pos: usize,
    pub diags: Vec<Diagnostic>,
    /// How many diagnostics of `diags` start where and have which code:
    /// [`Parser::error`]'s "one mistake, one message" check in O(1), so
    /// reporting stays linear with hundreds of thousands of errors. The
    /// lexer's diagnostics count too.
    pub reported: std::collections::HashMap<(u32, &'static str), u32>,
    /// The lexer's diagnostics (they come first in the result; a rolled
    /// back speculation never removes them).
    pub lex_diags: Vec<Diagnostic>,
    pub depth: u32,
    /// Set once nesting exceeded [`MAX_DEPTH`]: every loop stops.
    pub aborted: bool,
    pub eof: Token,
    pub ctx: Ctx,
    /// Non-zero while trying a parse that may be rolled back.
    pub speculating: u32,
    /// Tokens replaced while splitting `>>` in type arguments, so a rolled
    /// back speculation can restore them.
    pub undo: Vec<(usize, Token)>,
    pub awaits_outside_async: Vec<(Span, bool)>,
    /// Inside a `барои` head, where `дар` ends the left side instead of
    /// being the `in` operator.
    pub no_in: bool,
    pub dynamic_imports: Vec<(Box<str>, Span)>,
    /// One entry per class being parsed: private names it declares and
    /// the ones used inside it (checked when the class ends).
    pub private_scopes: Vec<PrivateScope>,
    /// Chunks of tokens still to come ([`parse_chunks`]); `None` once the
    /// last has arrived.
    feed: Option<Chunks<'s>>,
    /// The lexer's comments and blank lines (with its last chunk).
    trivia: crate::trivia::Trivia,
    /// The index of `toks[0]` among all the source's tokens (`pos` counts
    /// all of them): a parse that hands on its statements one at a time
    /// ([`parse_each`]) drops the tokens of those it has handed on.
    base: usize,
    /// The [`ValueId`] of `values[0]` (dropped with their tokens).
    values_base: usize,
    /// Regular expressions with the `v` flag among the dropped tokens.
    unicode_sets: Vec<Span>,
    /// How many read tokens [`Parser::drop_read_tokens`] lets gather
    /// before it drops them (a few chunks: each drop moves what is kept).
    drop_after: usize,
}

#[derive(Default)]
pub(crate) struct PrivateScope {
    pub declared: std::collections::HashSet<Box<str>>,
    pub used: Vec<(Box<str>, Span)>,
}

pub(crate) struct Checkpoint {
    pos: usize,
    diags: usize,
    undo: usize,
    awaits: usize,
    dynamic_imports: usize,
}

impl<'s> Parser<'s> {
    // ------------------------------------------------------------ tokens

    pub fn cur(&self) -> &Token {
        self.assert_held(0);
        self.tok(self.pos).unwrap_or(&self.eof)
    }

    pub fn nth(&self, n: usize) -> &Token {
        self.assert_held(n);
        self.tok(self.pos + n).unwrap_or(&self.eof)
    }

    pub fn at(&self, p: P) -> bool {
        self.cur().is(p)
    }

    pub fn at_kw(&self, kw: Kw) -> bool {
        self.cur().is_kw(kw)
    }

    pub fn at_eof(&self) -> bool {
        self.cur().kind == TokenKind::Eof
    }

    /// Steps over the current token.
    pub fn bump(&mut self) -> Token {
        let t = *self.cur();
        if self.pos < self.held_end() {
            self.advance(1);
        }
        t
    }

    /// Tests catch a forward move of `pos` that bypassed [`Self::advance`]
    /// (it would read the end-of-file token while more tokens are due).
    #[inline]
    fn assert_held(&self, n: usize) {
        debug_assert!(n < LOOKAHEAD, "look-ahead beyond what the parser holds");
        debug_assert!(
            self.feed.is_none() || self.pos + n < self.held_end(),
            "token {} read before it arrived (pos moved without `advance`)",
            self.pos + n
        );
    }

    /// Moves `n` tokens on (reading more chunks when they are due). Every
    /// forward move of `pos` goes through here (or [`Self::seek`]).
    #[inline]
    pub fn advance(&mut self, n: usize) {
        self.pos += n;
        if self.feed.is_some() && self.held_end() <= self.pos + LOOKAHEAD {
            self.refill();
        }
    }

    /// Moves to token `pos` (forward or back).
    pub fn seek(&mut self, pos: usize) {
        if pos > self.pos {
            self.advance(pos - self.pos);
        } else {
            self.pos = pos;
        }
    }

    /// A literal token's payload.
    pub fn value(&self, t: &Token) -> &TokenValue {
        value_of(&self.values, self.values_base, t)
    }

    /// A word's text (a private name's without `#`): the source at its span.
    pub fn name(&self, t: &Token) -> &'s str {
        t.name(self.src)
    }

    pub fn eat(&mut self, p: P) -> bool {
        if self.at(p) {
            self.advance(1);
            true
        } else {
            false
        }
    }

    pub fn eat_kw(&mut self, kw: Kw) -> bool {
        if self.at_kw(kw) {
            self.advance(1);
            true
        } else {
            false
        }
    }

    /// End of the previous token.
    pub fn prev_end(&self) -> u32 {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.tok(i))
            .map_or(0, |t| t.span.hi)
    }

    pub fn span_from(&self, lo: u32) -> Span {
        Span::new(lo, self.prev_end().max(lo))
    }

    pub fn token_text(&self, t: &Token) -> String {
        self.src
            .get(t.span.lo as usize..t.span.hi as usize)
            .unwrap_or("")
            .to_string()
    }

    pub fn found(&self) -> Found {
        let t = self.cur();
        if t.kind == TokenKind::Eof {
            Found::EndOfFile
        } else {
            Found::Token(self.token_text(t))
        }
    }

    // -------------------------------------------------------- diagnostics

    /// Records an error unless one was already reported at the same place
    /// (one mistake, one message).
    pub fn error(&mut self, message: Message, span: Span) {
        if self.reported.contains_key(&(span.lo, message.code())) {
            return;
        }
        *self.reported.entry((span.lo, message.code())).or_insert(0) += 1;
        let mut d = Diagnostic::error(message, span);
        // A word at or just before the error that mixes Cyrillic with a
        // Latin look-alike (`тaғ` with a Latin `a`) is the likely cause.
        let prev = self.pos.checked_sub(1).and_then(|i| self.tok(i));
        let hint = [Some(self.cur()), prev]
            .into_iter()
            .flatten()
            .filter(|t| t.kind == TokenKind::Word)
            .find_map(|t| latin_lookalike(t.name(self.src)));
        if let Some((latin, cyrillic)) = hint {
            d = d.with_note(Message::LatinLookalike { latin, cyrillic });
        }
        self.diags.push(d);
    }

    /// "Unexpected token" at the current token; unwinds.
    pub fn unexpected(&mut self) -> Fatal {
        let found = self.found();
        let span = self.cur().span;
        self.error(Message::UnexpectedToken { found }, span);
        Fatal
    }

    /// Consumes `p`, or reports it missing at the current token and carries
    /// on as if it had been there.
    pub fn expect(&mut self, p: P) -> bool {
        if self.eat(p) {
            return true;
        }
        let found = self.found();
        let span = self.cur().span;
        self.error(
            Message::Expected {
                expected: format!("`{}`", p.text()),
                found,
            },
            span,
        );
        false
    }

    /// After an element of a `,`-separated list closed by `close`: whether
    /// another element follows. A missing `,` before something that can
    /// only start another element is reported and assumed (`ф(а б)` is one
    /// error, and the list goes on); anything else is left for the caller's
    /// missing `close`.
    pub fn list_comma(&mut self, close: P) -> bool {
        if self.at(close) || self.eat(P::Comma) {
            return true;
        }
        let t = self.cur();
        let starts_element = match t.kind {
            // A name or a keyword that starts an expression; not an
            // operator word, nor a statement keyword (`тағ` on the next
            // line means the `)` was forgotten, not a `,`).
            TokenKind::Word => match t.kw {
                Some(Kw::In | Kw::Instanceof | Kw::As | Kw::From | Kw::Is) => false,
                Some(
                    Kw::This
                    | Kw::True
                    | Kw::False
                    | Kw::Undefined
                    | Kw::New
                    | Kw::Function
                    | Kw::Class
                    | Kw::Async
                    | Kw::Await
                    | Kw::Import
                    | Kw::Promise
                    | Kw::Symbol
                    | Kw::Bigint,
                ) => true,
                Some(kw) => !kw.is_reserved(),
                None => true,
            },
            TokenKind::Num
            | TokenKind::BigInt
            | TokenKind::Str
            | TokenKind::Regex
            | TokenKind::Template
            | TokenKind::TemplateHead
            | TokenKind::PrivateName => true,
            TokenKind::Punct(p) => matches!(
                p,
                P::LParen | P::LBracket | P::LBrace | P::Bang | P::Tilde | P::DotDotDot
            ),
            _ => false,
        };
        if starts_element {
            self.expect(P::Comma);
        }
        // Otherwise the caller reports the missing closing bracket.
        starts_element
    }

    /// Consumes the `close` of a bracket opened at `open_at`; when the file
    /// ends instead, the error notes where the bracket was opened.
    pub fn expect_closing(&mut self, close: P, open_at: u32) -> bool {
        let at_eof = self.at_eof();
        let before = self.diags.len();
        let ok = self.expect(close);
        if !ok && at_eof && self.diags.len() > before {
            let at = somon_diagnostics::LineIndex::new(self.src).line_col(self.src, open_at);
            let open = match close {
                P::RParen => "(",
                P::RBracket => "[",
                _ => "{",
            };
            if let Some(d) = self.diags.last_mut() {
                d.notes.push(Message::UnclosedBracket {
                    bracket: open.to_string(),
                    line: at.line,
                    column: at.column,
                });
            }
        }
        ok
    }

    /// Like [`Parser::expect`] but unwinds when the token is missing: used
    /// where carrying on could not produce anything sensible.
    pub fn expect_or_fail(&mut self, p: P) -> PResult<()> {
        if self.expect(p) {
            Ok(())
        } else {
            Err(Fatal)
        }
    }

    pub fn expect_kw(&mut self, kw: Kw, text: &str) -> bool {
        if self.eat_kw(kw) {
            return true;
        }
        let found = self.found();
        let span = self.cur().span;
        self.error(
            Message::Expected {
                expected: format!("`{text}`"),
                found,
            },
            span,
        );
        false
    }

    /// Statement terminator: `;`, or automatic semicolon insertion before a
    /// line break, `}` or the end of the file.
    pub fn semicolon(&mut self) {
        if self.eat(P::Semi) {
            return;
        }
        let t = self.cur();
        if t.nl_before || t.is(P::RBrace) || t.kind == TokenKind::Eof {
            return;
        }
        let span = t.span;
        self.error(Message::MissingSemicolon, span);
    }

    // ------------------------------------------------------------- depth

    pub fn enter(&mut self) -> PResult<()> {
        if self.aborted {
            return Err(Fatal);
        }
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let span = self.cur().span;
            let message = Message::TooDeeplyNested { limit: MAX_DEPTH };
            *self.reported.entry((span.lo, message.code())).or_insert(0) += 1;
            self.diags.push(Diagnostic::error(message, span));
            self.aborted = true;
            return Err(Fatal);
        }
        Ok(())
    }

    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Runs `f` one nesting level deeper.
    pub fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        self.enter()?;
        // Grow the stack on demand so the depth limit, not the size of the
        // thread's stack, decides how deep input may nest.
        let r = stacker::maybe_grow(128 * 1024, 2 * 1024 * 1024, || f(self));
        self.leave();
        r
    }

    // ------------------------------------------------------- speculation

    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            pos: self.pos,
            diags: self.diags.len(),
            undo: self.undo.len(),
            awaits: self.awaits_outside_async.len(),
            dynamic_imports: self.dynamic_imports.len(),
        }
    }

    pub fn rewind(&mut self, cp: Checkpoint) {
        self.pos = cp.pos;
        for d in self.diags.get(cp.diags..).unwrap_or_default() {
            let key = (d.span.lo, d.code());
            if let Some(n) = self.reported.get_mut(&key) {
                *n -= 1;
                if *n == 0 {
                    self.reported.remove(&key);
                }
            }
        }
        self.diags.truncate(cp.diags);
        self.awaits_outside_async.truncate(cp.awaits);
        self.dynamic_imports.truncate(cp.dynamic_imports);
        while self.undo.len() > cp.undo {
            if let Some((i, tok)) = self.undo.pop() {
                if let Some(slot) = self.tok_mut(i) {
                    *slot = tok;
                }
            }
        }
    }

    /// Tries `f`; keeps its result only when it succeeds without new
    /// diagnostics, otherwise restores the parser exactly.
    pub fn try_parse<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> Option<T> {
        if self.aborted {
            return None;
        }
        let cp = self.checkpoint();
        let depth = self.depth;
        self.speculating += 1;
        let r = f(self);
        self.speculating -= 1;
        self.depth = depth;
        match r {
            Ok(v) if self.diags.len() == cp.diags && !self.aborted => Some(v),
            _ => {
                if self.aborted {
                    // A DEPTH stop is final even inside a speculation.
                    return None;
                }
                self.rewind(cp);
                None
            }
        }
    }

    /// Replaces the current token (splitting `>>` into `>` `>`), recording
    /// the original for [`Parser::rewind`].
    pub fn replace_current(&mut self, tok: Token) {
        let pos = self.pos;
        if let Some(slot) = self.tok_mut(pos) {
            let old = std::mem::replace(slot, tok);
            self.undo.push((self.pos, old));
        }
    }

    // ------------------------------------------------------------- names

    /// Records a use of `#name`; outside every class it is an error now.
    pub fn use_private(&mut self, name: &Ident) {
        match self.private_scopes.last_mut() {
            Some(scope) => scope.used.push((name.name.clone(), name.span)),
            None => self.error(
                Message::UndeclaredPrivateName {
                    name: name.name.to_string(),
                },
                name.span,
            ),
        }
    }

    /// Ends a class: its undeclared private names belong to an enclosing
    /// class, or are errors.
    pub fn end_private_scope(&mut self) {
        let Some(scope) = self.private_scopes.pop() else {
            return;
        };
        for (name, span) in scope.used {
            if scope.declared.contains(&name) {
                continue;
            }
            match self.private_scopes.last_mut() {
                Some(outer) => outer.used.push((name, span)),
                None => self.error(
                    Message::UndeclaredPrivateName {
                        name: name.to_string(),
                    },
                    span,
                ),
            }
        }
    }

    /// An identifier reference in an expression. Unlike a binding,
    /// `arguments` and `eval` are fine here.
    pub fn ident_reference(&mut self) -> PResult<Ident> {
        let t = self.cur();
        if t.kind == TokenKind::Word
            && !t.kw.is_some_and(Kw::is_reserved)
            && matches!(self.name(t), "arguments" | "eval")
        {
            return self.ident_name();
        }
        self.checked_name()
    }

    /// True when the current token is a word usable as an identifier
    /// reference (not a reserved keyword).
    pub fn at_ident(&self) -> bool {
        let t = self.cur();
        t.kind == TokenKind::Word && !t.kw.is_some_and(Kw::is_reserved)
    }

    /// A binding name. A reserved word is reported once and then used as
    /// the name, so one mistake gives one diagnostic.
    pub fn binding_ident(&mut self) -> PResult<Ident> {
        let ident = self.checked_name()?;
        // JavaScript's value names stay values (decisions §6.1).
        if matches!(
            &*ident.name,
            "undefined" | "NaN" | "Infinity" | "globalThis"
        ) {
            self.error(
                Message::ReservedWordAsName {
                    word: ident.name.to_string(),
                },
                ident.span,
            );
        }
        // A declared name with a stray Latin look-alike letter (`нaрх`)
        // works, but every later use typed in Cyrillic will not find it:
        // say so at the name.
        if let Some((latin, cyrillic)) = stray_lookalike(&ident.name) {
            self.diags.push(Diagnostic::warning(
                Message::LookalikeInName {
                    name: ident.name.to_string(),
                    latin,
                    cyrillic,
                },
                ident.span,
            ));
        }
        Ok(ident)
    }

    /// A name (binding or reference): reserved words are reported.
    fn checked_name(&mut self) -> PResult<Ident> {
        let cur = self.cur();
        if cur.kind != TokenKind::Word {
            return Err(self.unexpected());
        }
        let t = *cur;
        let name: Box<str> = self.name(&t).into();
        self.advance(1);
        if t.kw.is_some_and(Kw::is_reserved) {
            self.error(
                Message::ReservedWordAsName {
                    word: name.to_string(),
                },
                t.span,
            );
        } else if is_js_reserved(&name) {
            self.error(
                Message::JsReservedWordAsName {
                    word: name.to_string(),
                },
                t.span,
            );
        }
        Ok(Ident { name, span: t.span })
    }

    /// Any word, keywords included (property names after `.`, object keys,
    /// class members, import/export names).
    pub fn ident_name(&mut self) -> PResult<Ident> {
        let t = self.cur();
        if t.kind != TokenKind::Word {
            return Err(self.unexpected());
        }
        let ident = Ident {
            name: self.name(t).into(),
            span: t.span,
        };
        self.advance(1);
        Ok(ident)
    }

    // ---------------------------------------------------------- recovery

    /// Skips the rest of a broken statement: up to and including `;` at
    /// the statement's own nesting level, or up to (not including) a `}`
    /// that closes an enclosing block, or a line that starts a declaration.
    pub fn recover_statement(&mut self, start: usize) {
        self.skip_broken(start, false);
    }

    /// Skips a broken class member: to its `;`, the end of its body, the
    /// next line, or the class's `}`.
    pub fn recover_member(&mut self, start: usize) {
        self.skip_broken(start, true);
    }

    fn skip_broken(&mut self, start: usize, member: bool) {
        if self.pos == start && !self.at_eof() && !self.at(P::RBrace) {
            self.advance(1);
        }
        let mut depth: i32 = 0;
        loop {
            let t = self.cur();
            match t.kind {
                TokenKind::Eof => return,
                TokenKind::Punct(P::Semi) if depth <= 0 => {
                    self.advance(1);
                    return;
                }
                TokenKind::Punct(P::LBrace | P::LParen | P::LBracket) => depth += 1,
                TokenKind::Punct(P::RBrace) => {
                    if depth <= 0 {
                        return;
                    }
                    depth -= 1;
                    if member && depth == 0 {
                        // The end of the broken member's body.
                        self.advance(1);
                        return;
                    }
                }
                TokenKind::Punct(P::RParen | P::RBracket) => depth -= 1,
                _ if depth <= 0
                    && t.nl_before
                    && self.pos > start
                    && (member || self.starts_declaration(t)) =>
                {
                    return
                }
                _ => {}
            }
            self.advance(1);
        }
    }

    fn starts_declaration(&self, t: &Token) -> bool {
        matches!(
            t.kw,
            Some(
                Kw::Let
                    | Kw::Const
                    | Kw::Function
                    | Kw::If
                    | Kw::For
                    | Kw::Return
                    | Kw::Class
                    | Kw::Import
                    | Kw::Export
                    | Kw::Switch
                    | Kw::Try
                    | Kw::Throw
                    | Kw::Interface
            )
        )
    }
}

/// The first Latin letter in a word that also has Cyrillic letters, when
/// it looks like a Cyrillic one: `(latin, cyrillic)`.
pub fn latin_lookalike(word: &str) -> Option<(char, char)> {
    if !word.chars().any(|c| ('\u{400}'..='\u{52f}').contains(&c)) {
        return None;
    }
    word.chars().find_map(|c| {
        let cyrillic = match c {
            'a' => 'а',
            'e' => 'е',
            'o' => 'о',
            'p' => 'р',
            'c' => 'с',
            'x' => 'х',
            'y' => 'у',
            'A' => 'А',
            'B' => 'В',
            'E' => 'Е',
            'H' => 'Н',
            'K' => 'К',
            'M' => 'М',
            'O' => 'О',
            'P' => 'Р',
            'C' => 'С',
            'T' => 'Т',
            'X' => 'Х',
            _ => return None,
        };
        Some((c, cyrillic))
    })
}

/// A Latin look-alike letter standing among Cyrillic ones (`нaрх`, `хa`):
/// a run of at most two Latin letters, all look-alikes, in a word with
/// Cyrillic letters, that is lower case or has Cyrillic on both sides.
/// Runs such as `HTML` in `форматиHTML`, or a capital `X` closing
/// `нуқтаX`, are deliberate.
pub fn stray_lookalike(word: &str) -> Option<(char, char)> {
    let cyrillic = |c: char| ('\u{400}'..='\u{52f}').contains(&c);
    if !word.chars().any(cyrillic) {
        return None;
    }
    let chars: Vec<char> = word.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars.get(i).is_some_and(char::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        let start = i;
        while chars.get(i).is_some_and(char::is_ascii_alphabetic) {
            i += 1;
        }
        let run = chars.get(start..i).unwrap_or(&[]);
        let before = start.checked_sub(1).and_then(|b| chars.get(b)).copied();
        let after = chars.get(i).copied();
        let enclosed = before.is_some_and(cyrillic) && after.is_some_and(cyrillic);
        let lower = run.iter().all(char::is_ascii_lowercase);
        let touches = before.is_some_and(cyrillic) || after.is_some_and(cyrillic);
        if run.len() > 2 || !touches || !(lower || enclosed) {
            continue;
        }
        let twins: Vec<_> = run
            .iter()
            .filter_map(|c| latin_lookalike(&format!("ж{c}")))
            .collect();
        if twins.len() == run.len() {
            return twins.first().copied();
        }
    }
    None
}

#[cfg(test)]
mod tests;
