//! What stands before a position, from the lexer's tokens (so brackets,
//! commas and keywords inside strings, templates and comments are never
//! counted): the call a position is an argument of (signature help, the
//! declaration a mismatched argument refers to) and which keywords may
//! start there (completion).

use somon_syntax::keywords::Kw;
use somon_syntax::token::{Token, TokenKind, P};

/// The tokens of `text` that end at or before `off` (a token the
/// position is inside of is left out: it is being typed).
fn tokens_before(text: &str, off: usize) -> Vec<Token> {
    let head = text.get(..off).unwrap_or("");
    let mut tokens = somon_syntax::lexer::tokenize(head).tokens;
    tokens.retain(|t| t.kind != TokenKind::Eof);
    tokens
}

/// An open bracket before the position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Frame {
    /// `(`: `header` when it follows `агар`, `барои`, `то`, `гирифтан`
    /// (a statement may follow its `)`); `at`: its byte offset.
    Paren {
        at: u32,
        header: bool,
        commas: u32,
    },
    Bracket,
    /// A block of statements.
    Block,
    /// The body of a class or an interface (members).
    Members,
    /// An object literal or an enum's body (properties).
    Object,
    /// `${` of a template.
    Template,
}

struct Walk {
    /// Open brackets, innermost last, each with its `?` not yet answered
    /// by a `:` (ternaries).
    stack: Vec<(Frame, u32)>,
    last: Option<Token>,
    before_last: Option<Token>,
    third_last: Option<Token>,
    /// `синф`/`интерфейс` seen: the next `{` opens members.
    members_next: bool,
    /// The last `)` closed a statement header.
    closed_header: bool,
    /// The last `:` answered a `?` (a ternary's, not a type's).
    ternary_colon: bool,
}

fn walk(tokens: &[Token]) -> Walk {
    let mut w = Walk {
        // The program's own level, never closed.
        stack: vec![(Frame::Block, 0)],
        last: None,
        before_last: None,
        third_last: None,
        members_next: false,
        closed_header: false,
        ternary_colon: false,
    };
    for t in tokens {
        let mut closed_header = false;
        match t.kind {
            TokenKind::Punct(P::LParen) => {
                let header = w.last.as_ref().is_some_and(|l| {
                    l.kind == TokenKind::Word
                        && matches!(l.kw, Some(Kw::If | Kw::For | Kw::While | Kw::Catch))
                });
                w.stack.push((
                    Frame::Paren {
                        at: t.span.lo,
                        header,
                        commas: 0,
                    },
                    0,
                ));
            }
            TokenKind::Punct(P::LBracket) => w.stack.push((Frame::Bracket, 0)),
            TokenKind::Punct(P::LBrace) => {
                let frame = if std::mem::take(&mut w.members_next) {
                    Frame::Members
                } else if opens_block(w.last.as_ref()) {
                    Frame::Block
                } else {
                    Frame::Object
                };
                w.stack.push((frame, 0));
            }
            TokenKind::TemplateHead => w.stack.push((Frame::Template, 0)),
            TokenKind::Punct(P::RParen)
            | TokenKind::Punct(P::RBracket)
            | TokenKind::Punct(P::RBrace)
            | TokenKind::TemplateTail => {
                if let Some((Frame::Paren { header: true, .. }, _)) = w.stack.last() {
                    closed_header = t.kind == TokenKind::Punct(P::RParen);
                }
                if w.stack.len() > 1 {
                    w.stack.pop();
                }
            }
            TokenKind::Punct(P::Comma) => {
                if let Some((Frame::Paren { commas, .. }, q)) = w.stack.last_mut() {
                    *commas += 1;
                    *q = 0;
                }
            }
            TokenKind::Punct(P::Question) => {
                if let Some((_, q)) = w.stack.last_mut() {
                    *q += 1;
                }
            }
            TokenKind::Punct(P::Colon) => {
                w.ternary_colon = false;
                if let Some((_, q)) = w.stack.last_mut() {
                    w.ternary_colon = *q > 0;
                    *q = q.saturating_sub(1);
                }
            }
            TokenKind::Word if matches!(t.kw, Some(Kw::Class | Kw::Interface)) => {
                w.members_next = true;
            }
            _ => {}
        }
        w.closed_header = closed_header;
        w.third_last = w.before_last.take();
        w.before_last = w.last.take();
        w.last = Some(*t);
    }
    w
}

/// Whether a `{` after `last` opens a block of statements (else an
/// object literal).
fn opens_block(last: Option<&Token>) -> bool {
    let Some(l) = last else { return true };
    match l.kind {
        TokenKind::Punct(P::Semi | P::LBrace | P::RBrace | P::RParen | P::Arrow) => true,
        TokenKind::Word => matches!(
            l.kw,
            Some(Kw::Else | Kw::Do | Kw::Try | Kw::Finally | Kw::Namespace)
        ),
        _ => false,
    }
}

/// The call whose argument list holds `off`: the offset of its `(` and
/// the index of the argument (commas at its level before `off`).
pub fn call_at(text: &str, off: usize) -> Option<(usize, u32)> {
    let w = walk(&tokens_before(text, off));
    match w.stack.last()? {
        (Frame::Paren { at, commas, .. }, _) => Some((*at as usize, *commas)),
        _ => None,
    }
}

/// Which keywords may stand where a word starts at `start`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// A statement may start (and so an expression).
    Statement,
    /// Inside an expression, where an operand may start.
    Expression,
    /// After a complete operand: only infix words (`дар`, `намунаи`, `чун`).
    AfterOperand,
    /// A type may start.
    Type,
    /// A member of a class or interface may start.
    Member,
    /// A new name is being declared (after `тағ`, `функсия` …): no
    /// keywords.
    NewName,
}

pub fn place_at(text: &str, start: usize) -> Place {
    let tokens = tokens_before(text, start);
    let w = walk(&tokens);
    // Does the word at `start` begin a new line?
    let new_line = text
        .get(..start)
        .unwrap_or("")
        .trim_end_matches([' ', '\t'])
        .ends_with(['\n', '\r']);
    let top = w.stack.last().copied();
    let Some(last) = &w.last else {
        return Place::Statement;
    };
    let at_statement_level = matches!(top, Some((Frame::Block, _)));
    match last.kind {
        TokenKind::Punct(P::Semi) | TokenKind::Punct(P::RBrace) => match top {
            Some((Frame::Members, _)) => Place::Member,
            Some((Frame::Object | Frame::Paren { .. } | Frame::Bracket, _)) => Place::Expression,
            _ => Place::Statement,
        },
        TokenKind::Punct(P::LBrace) => match top {
            Some((Frame::Members, _)) => Place::Member,
            Some((Frame::Block, _)) => Place::Statement,
            _ => Place::Expression,
        },
        TokenKind::Punct(P::RParen) if w.closed_header => Place::Statement,
        TokenKind::Punct(P::Colon) => {
            let object = matches!(top, Some((Frame::Object, _)));
            if w.ternary_colon || object {
                Place::Expression
            } else {
                Place::Type
            }
        }
        TokenKind::Punct(P::Eq)
            if w.before_last
                .as_ref()
                .is_some_and(|t| t.kind == TokenKind::Word)
                && w.third_last.as_ref().is_some_and(|t| t.is_kw(Kw::Type)) =>
        {
            Place::Type
        }
        TokenKind::Word => match last.kw {
            Some(
                Kw::Let
                | Kw::Const
                | Kw::Class
                | Kw::Interface
                | Kw::Enum
                | Kw::Namespace
                | Kw::Function
                | Kw::Import,
            ) => Place::NewName,
            Some(Kw::Type) if at_statement_level => Place::NewName,
            Some(Kw::Else | Kw::Do | Kw::Export | Kw::Default) if at_statement_level => {
                Place::Statement
            }
            Some(Kw::As | Kw::Implements | Kw::Keyof) => Place::Type,
            Some(
                Kw::Return
                | Kw::Throw
                | Kw::Await
                | Kw::Yield
                | Kw::Typeof
                | Kw::Delete
                | Kw::New
                | Kw::In
                | Kw::Instanceof
                | Kw::Case
                | Kw::Extends
                | Kw::From
                | Kw::Async,
            ) => Place::Expression,
            Some(
                Kw::Static | Kw::Public | Kw::Private | Kw::Protected | Kw::Abstract | Kw::Readonly,
            ) if matches!(top, Some((Frame::Members, _))) => Place::Member,
            _ if new_line && at_statement_level => Place::Statement,
            _ => Place::AfterOperand,
        },
        TokenKind::Num
        | TokenKind::BigInt
        | TokenKind::Str
        | TokenKind::Regex
        | TokenKind::Template
        | TokenKind::TemplateTail
        | TokenKind::PrivateName
        | TokenKind::Punct(P::RParen | P::RBracket) => {
            if new_line && at_statement_level {
                Place::Statement
            } else {
                Place::AfterOperand
            }
        }
        _ => Place::Expression,
    }
}

/// Statement keywords (a statement may also be an expression).
pub const STATEMENT_WORDS: &[&str] = &[
    "тағ",
    "собит",
    "функсия",
    "ҳамзамон",
    "агар",
    "вагарна",
    "барои",
    "то",
    "иҷро",
    "бозгашт",
    "партофтан",
    "кӯшиш",
    "гирифтан",
    "ниҳоят",
    "интихоб",
    "ҳолат",
    "пешфарз",
    "шикастан",
    "давом",
    "синф",
    "мавҳум",
    "интерфейс",
    "номгӯ",
    "навъ",
    "номфазо",
    "ворид",
    "содир",
];

/// Keywords that start an operand.
pub const EXPRESSION_WORDS: &[&str] = &[
    "нав",
    "ин",
    "супер",
    "интизор",
    "ҳосил",
    "навъи",
    "нобуд",
    "функсия",
    "ҳамзамон",
    "синф",
    "дуруст",
    "нодуруст",
    "холӣ",
    "беқимат",
];

/// Words between two operands.
pub const INFIX_WORDS: &[&str] = &["дар", "намунаи", "чун"];

/// Words that start a member of a class.
pub const MEMBER_WORDS: &[&str] = &[
    "конструктор",
    "статикӣ",
    "ҷамъиятӣ",
    "хосусӣ",
    "муҳофизатшуда",
    "мавҳум",
    "танҳохонӣ",
    "ҳамзамон",
    "гир",
    "гузор",
];

/// Keywords of types besides the type names.
pub const TYPE_KEYWORDS: &[&str] = &["навъи", "калидҳои", "беназир", "ваъда"];

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` with `|` at the position.
    fn at(text: &str) -> (String, usize) {
        let off = text.find('|').unwrap_or(text.len());
        (text.replacen('|', "", 1), off)
    }

    fn call(text: &str) -> Option<(String, u32)> {
        let (t, off) = at(text);
        call_at(&t, off).map(|(open, n)| (t[..open].to_string(), n))
    }

    #[test]
    fn arguments_are_counted_through_brackets_strings_templates_and_comments() {
        assert_eq!(call("ф(1, |"), Some(("ф".into(), 1)));
        assert_eq!(call("ф([1, 2], {а: 1, б: 2}, |"), Some(("ф".into(), 2)));
        assert_eq!(call("ф(\"а, б)\", '(', |"), Some(("ф".into(), 2)));
        assert_eq!(call("ф(`${а, б} ${ҷ(1, 2)}`, |"), Some(("ф".into(), 1)));
        assert_eq!(call("ф(/* ,,( */ 1, // ),\n |"), Some(("ф".into(), 1)));
        // The innermost call.
        assert_eq!(call("ф(1, ғ(2, 3, |"), Some(("ф(1, ғ".into(), 2)));
        assert_eq!(call("ф(1, ғ(2, 3), |"), Some(("ф".into(), 2)));
        // Inside an array or object argument: no call at this level.
        assert_eq!(call("ф([1, |"), None);
        assert_eq!(call("ф(1);\n|"), None);
        // A `(` in a string being typed is not an open call.
        assert_eq!(call("ф(\"(|"), Some(("ф".into(), 0)));
    }

    fn place(text: &str) -> Place {
        let (t, off) = at(text);
        place_at(&t, off)
    }

    #[test]
    fn keywords_fit_where_a_statement_type_or_operand_may_start() {
        assert_eq!(place("|"), Place::Statement);
        assert_eq!(place("тағ а = 1;\n|"), Place::Statement);
        assert_eq!(place("тағ а = 1\n|"), Place::Statement);
        assert_eq!(place("агар (а) {\n  |"), Place::Statement);
        assert_eq!(place("агар (а) |"), Place::Statement);
        assert_eq!(place("агар (а) { } |"), Place::Statement);
        assert_eq!(place("тағ а = |"), Place::Expression);
        assert_eq!(place("ф(1, |"), Place::Expression);
        assert_eq!(place("бозгашт |"), Place::Expression);
        assert_eq!(place("тағ а = б |"), Place::AfterOperand);
        assert_eq!(place("тағ а = ф(1) |"), Place::AfterOperand);
        assert_eq!(place("тағ а: |"), Place::Type);
        assert_eq!(place("функсия ф(а: |"), Place::Type);
        assert_eq!(place("функсия ф(а): |"), Place::Type);
        assert_eq!(place("навъ Н = |"), Place::Type);
        assert_eq!(place("тағ а = б чун |"), Place::Type);
        // A ternary's `:` and an object's `:` are in expressions.
        assert_eq!(place("тағ а = б ? 1 : |"), Place::Expression);
        assert_eq!(place("тағ а = { б: |"), Place::Expression);
        assert_eq!(place("тағ а = {\n  |"), Place::Expression);
        assert_eq!(place("синф К {\n  |"), Place::Member);
        assert_eq!(place("синф К мерос Б {\n  ном: сатр;\n  |"), Place::Member);
        assert_eq!(place("тағ |"), Place::NewName);
        assert_eq!(place("функсия |"), Place::NewName);
        // Words in strings and comments are not keywords.
        assert_eq!(place("тағ а = \"тағ\" |"), Place::AfterOperand);
        assert_eq!(place("// бозгашт\n|"), Place::Statement);
    }
}
