//! Tokens produced by the lexer.

use crate::keywords::Kw;
use somon_diagnostics::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum P {
    LParen,
    RParen,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Semi,
    Comma,
    Dot,
    DotDotDot,
    Question,
    QuestionDot,
    QuestionQuestion,
    Colon,
    Arrow,
    Hash,
    At,
    // Operators.
    Plus,
    Minus,
    Star,
    StarStar,
    Slash,
    Percent,
    PlusPlus,
    MinusMinus,
    Lt,
    Gt,
    LtEq,
    GtEq,
    EqEq,
    NotEq,
    EqEqEq,
    NotEqEq,
    Amp,
    Pipe,
    Caret,
    Tilde,
    Bang,
    AmpAmp,
    PipePipe,
    Shl,
    Shr,
    UShr,
    // Assignment.
    Eq,
    PlusEq,
    MinusEq,
    StarEq,
    StarStarEq,
    SlashEq,
    PercentEq,
    AmpEq,
    PipeEq,
    CaretEq,
    ShlEq,
    ShrEq,
    UShrEq,
    AmpAmpEq,
    PipePipeEq,
    QuestionQuestionEq,
}

impl P {
    pub fn text(self) -> &'static str {
        use P::*;
        match self {
            LParen => "(",
            RParen => ")",
            LBrace => "{",
            RBrace => "}",
            LBracket => "[",
            RBracket => "]",
            Semi => ";",
            Comma => ",",
            Dot => ".",
            DotDotDot => "...",
            Question => "?",
            QuestionDot => "?.",
            QuestionQuestion => "??",
            Colon => ":",
            Arrow => "=>",
            Hash => "#",
            At => "@",
            Plus => "+",
            Minus => "-",
            Star => "*",
            StarStar => "**",
            Slash => "/",
            Percent => "%",
            PlusPlus => "++",
            MinusMinus => "--",
            Lt => "<",
            Gt => ">",
            LtEq => "<=",
            GtEq => ">=",
            EqEq => "==",
            NotEq => "!=",
            EqEqEq => "===",
            NotEqEq => "!==",
            Amp => "&",
            Pipe => "|",
            Caret => "^",
            Tilde => "~",
            Bang => "!",
            AmpAmp => "&&",
            PipePipe => "||",
            Shl => "<<",
            Shr => ">>",
            UShr => ">>>",
            Eq => "=",
            PlusEq => "+=",
            MinusEq => "-=",
            StarEq => "*=",
            StarStarEq => "**=",
            SlashEq => "/=",
            PercentEq => "%=",
            AmpEq => "&=",
            PipeEq => "|=",
            CaretEq => "^=",
            ShlEq => "<<=",
            ShrEq => ">>=",
            UShrEq => ">>>=",
            AmpAmpEq => "&&=",
            PipePipeEq => "||=",
            QuestionQuestionEq => "??=",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A word: an identifier or a keyword (see [`Token::kw`]).
    Word,
    /// `#name`
    PrivateName,
    Num,
    BigInt,
    Str,
    Regex,
    /// `` `text` `` with no substitutions.
    Template,
    /// `` `text${ ``
    TemplateHead,
    /// `}text${`
    TemplateMiddle,
    /// `` }text` ``
    TemplateTail,
    Punct(P),
    Eof,
}

/// Decoded payload of a literal token, kept beside the token list
/// ([`crate::lexer::Lexed::values`]) so a token stays small. A word's or
/// private name's text is not a payload: it is the source at the token's
/// span (the lexer has no escapes in identifiers), see [`Token::name`].
#[derive(Clone, Debug, PartialEq)]
pub enum TokenValue {
    None,
    Str(Box<str>),
    Num(f64),
    BigInt(Box<BigIntText>),
    Template(Box<TemplateText>),
    Regex(Box<RegexText>),
}

/// A big integer literal's digits without separators, with the radix
/// prefix removed.
#[derive(Clone, Debug, PartialEq)]
pub struct BigIntText {
    pub digits: Box<str>,
    pub radix: u32,
}

/// Template text: `cooked` is `None` when it holds an invalid escape
/// (allowed only in tagged templates).
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateText {
    pub cooked: Option<Box<str>>,
    pub raw: Box<str>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RegexText {
    pub pattern: Box<str>,
    pub flags: Box<str>,
}

/// The index of a token's payload in [`crate::lexer::Lexed::values`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValueId(u32);

impl ValueId {
    /// No payload (punctuators, words, the end of the file).
    pub const NONE: ValueId = ValueId(u32::MAX);

    pub(crate) fn new(index: usize) -> ValueId {
        ValueId(u32::try_from(index).unwrap_or(u32::MAX))
    }

    pub(crate) fn index(self) -> Option<usize> {
        (self != ValueId::NONE).then_some(self.0 as usize)
    }
}

/// A token: plain data, copied freely. Its text is the source at `span`;
/// a literal's decoded payload sits in the lexer's side table at `value`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub kw: Option<Kw>,
    /// A line terminator (or a comment containing one) precedes the token.
    pub nl_before: bool,
    pub span: Span,
    pub value: ValueId,
}

// The whole text is tokenized up front: the token's size is most of the
// lexer's memory (16 bytes: 9 MB for the 3 MB benchmark program).
const _: () = assert!(std::mem::size_of::<Token>() <= 16);

impl Token {
    pub fn is(&self, p: P) -> bool {
        self.kind == TokenKind::Punct(p)
    }

    pub fn is_kw(&self, kw: Kw) -> bool {
        self.kind == TokenKind::Word && self.kw == Some(kw)
    }

    /// A word's text, or a private name's without its `#`; `""` for other
    /// tokens. `src` is the text the token was lexed from.
    pub fn name<'s>(&self, src: &'s str) -> &'s str {
        let lo = match self.kind {
            TokenKind::Word => self.span.lo,
            TokenKind::PrivateName => self.span.lo + 1,
            _ => return "",
        };
        src.get(lo as usize..self.span.hi as usize).unwrap_or("")
    }
}
