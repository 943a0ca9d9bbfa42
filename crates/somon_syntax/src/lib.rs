//! SomonScript syntax: tokens, lexer, syntax tree and parser.
//!
//! Architecture invariants: this crate does no IO and knows nothing of
//! JavaScript output; [`parse`] never fails — it returns a tree and
//! diagnostics for any input, and never recurses deeper than
//! [`parser::MAX_DEPTH`] levels of nesting. A large source is lexed on a
//! thread of its own while it is parsed ([`parse_beside_lexer`]), with the
//! same result.

pub mod ast;
pub mod keywords;
pub mod lexer;
pub mod names;
pub mod parser;
pub mod regex;
pub mod scan;
pub mod token;
pub mod trivia;

pub use parser::{
    chunked_parse_difference, parse, parse_beside_lexer, parse_chunks, parse_each,
    parse_each_in_chunks, parse_lexed, ParseResult, LEX_BESIDE_BYTES, LOOKAHEAD, MAX_DEPTH,
};
