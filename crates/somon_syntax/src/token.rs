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

/// Decoded payload of literal tokens.
#[derive(Clone, Debug, PartialEq)]
pub enum TokenValue {
    None,
    /// Identifier name (original spelling) or private name without `#`.
    Name(Box<str>),
    Str(Box<str>),
    Num(f64),
    /// Digits without separators, with the radix prefix removed.
    BigInt {
        digits: Box<str>,
        radix: u32,
    },
    /// Template text: `cooked` is `None` when it holds an invalid escape
    /// (allowed only in tagged templates).
    Template {
        cooked: Option<Box<str>>,
        raw: Box<str>,
    },
    Regex {
        pattern: Box<str>,
        flags: Box<str>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub kw: Option<Kw>,
    pub span: Span,
    /// A line terminator (or a comment containing one) precedes the token.
    pub nl_before: bool,
    pub value: TokenValue,
}

impl Token {
    pub fn is(&self, p: P) -> bool {
        self.kind == TokenKind::Punct(p)
    }

    pub fn is_kw(&self, kw: Kw) -> bool {
        self.kind == TokenKind::Word && self.kw == Some(kw)
    }

    pub fn name(&self) -> &str {
        match &self.value {
            TokenValue::Name(n) => n,
            _ => "",
        }
    }
}
