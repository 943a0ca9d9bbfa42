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

/// Decoded payload of literal tokens. The rare literals (big integers,
/// templates, regular expressions) are boxed so a token stays small.
#[derive(Clone, Debug, PartialEq)]
pub enum TokenValue {
    None,
    /// Identifier name (original spelling) or private name without `#`.
    Name(Box<str>),
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

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub kw: Option<Kw>,
    pub span: Span,
    /// A line terminator (or a comment containing one) precedes the token.
    pub nl_before: bool,
    pub value: TokenValue,
}

// The whole text is tokenized up front: the token's size is most of the
// lexer's memory.
const _: () = assert!(std::mem::size_of::<Token>() <= 40);

/// A token without its payload: what most of the parser looks at, copied
/// for free (cloning a [`Token`] copies its text).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenHead {
    pub kind: TokenKind,
    pub kw: Option<Kw>,
    pub span: Span,
    pub nl_before: bool,
}

impl TokenHead {
    pub fn is(&self, p: P) -> bool {
        self.kind == TokenKind::Punct(p)
    }

    pub fn is_kw(&self, kw: Kw) -> bool {
        self.kind == TokenKind::Word && self.kw == Some(kw)
    }
}

impl Token {
    pub fn head(&self) -> TokenHead {
        TokenHead {
            kind: self.kind,
            kw: self.kw,
            span: self.span,
            nl_before: self.nl_before,
        }
    }

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
