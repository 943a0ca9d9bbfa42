//! The printer: syntax tree + trivia → document → text.

use crate::{FormatOptions, IGNORE_COMMENT};
use pretty::{Arena, BuildDoc, Doc, DocAllocator, DocBuilder};
use somon_syntax::ast::*;
use somon_syntax::keywords::Kw;
use somon_syntax::lexer::tokenize;
use somon_syntax::token::{TokenKind, P};
use somon_syntax::trivia::{Comment, CommentKind, Trivia};
use somon_syntax::ParseResult;

type D<'a> = DocBuilder<'a, Arena<'a>, ()>;

pub(crate) fn print(src: &str, parsed: &ParseResult, options: &FormatOptions) -> String {
    let arena = Arena::new();
    let mut p = Printer {
        a: &arena,
        src,
        trivia: &parsed.trivia,
        next: 0,
        indent: options.indent_width.clamp(1, 16) as isize,
        flat_binary: false,
    };
    let body = p.lines(&parsed.program.body, src.len() as u32, Printer::stmt_item);
    let mut out = Out {
        text: String::with_capacity(src.len() + src.len() / 8),
        pending: 0,
        line_start: true,
    };
    let width = options.line_width.clamp(20, 1000) as usize;
    if body.1.render_fmt(width, &mut out).is_err() {
        return src.to_string();
    }
    let mut text = out.text;
    let trimmed = text.trim_end_matches([' ', '\n']).len();
    text.truncate(trimmed);
    if !text.is_empty() {
        text.push('\n');
    }
    text
}

/// The renderer's output. The indentation the renderer writes after a line
/// break is held back until text follows on that line, so empty lines carry
/// no spaces; text itself (templates, code kept as written) is never
/// touched.
struct Out {
    text: String,
    /// Spaces of indentation not written yet.
    pending: usize,
    /// Whether only indentation was written since the last line break.
    line_start: bool,
}

impl std::fmt::Write for Out {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if s == "\n" {
            self.pending = 0;
            self.text.push('\n');
            self.line_start = true;
        } else if self.line_start && !s.is_empty() && s.bytes().all(|b| b == b' ') {
            self.pending += s.len();
        } else if !s.is_empty() {
            for _ in 0..self.pending {
                self.text.push(' ');
            }
            self.pending = 0;
            self.line_start = false;
            self.text.push_str(s);
        }
        Ok(())
    }
}

struct Printer<'a> {
    a: &'a Arena<'a>,
    src: &'a str,
    trivia: &'a Trivia,
    /// The first comment not printed yet.
    next: usize,
    indent: isize,
    /// The binary chain about to print is the whole value of an assignment
    /// (already indented on its own line when it breaks).
    flat_binary: bool,
}

/// The canonical spelling of a keyword.
pub fn kw(k: Kw) -> &'static str {
    match k {
        Kw::Let => "тағ",
        Kw::Const => "собит",
        Kw::Function => "функсия",
        Kw::If => "агар",
        Kw::Else => "вагарна",
        Kw::For => "барои",
        Kw::Return => "бозгашт",
        Kw::Class => "синф",
        Kw::New => "нав",
        Kw::This => "ин",
        Kw::True => "дуруст",
        Kw::False => "нодуруст",
        Kw::Undefined => "беқимат",
        Kw::Import => "ворид",
        Kw::Export => "содир",
        Kw::Default => "пешфарз",
        Kw::As => "чун",
        Kw::Break => "шикастан",
        Kw::Continue => "давом",
        Kw::Switch => "интихоб",
        Kw::Try => "кӯшиш",
        Kw::Finally => "ниҳоят",
        Kw::Throw => "партофтан",
        Kw::Async => "ҳамзамон",
        Kw::Await => "интизор",
        Kw::Promise => "ваъда",
        Kw::Bigint => "калонрақам",
        Kw::Symbol => "рамз",
        Kw::Interface => "интерфейс",
        Kw::While => "то",
        Kw::Do => "иҷро",
        Kw::Case => "ҳолат",
        Kw::Catch => "гирифтан",
        Kw::Super => "супер",
        Kw::Constructor => "конструктор",
        Kw::Extends => "мерос",
        Kw::Implements => "татбиқ",
        Kw::Public => "ҷамъиятӣ",
        Kw::Private => "хосусӣ",
        Kw::Protected => "муҳофизатшуда",
        Kw::Static => "статикӣ",
        Kw::Abstract => "мавҳум",
        Kw::Readonly => "танҳохонӣ",
        Kw::Null => "холӣ",
        Kw::From => "аз",
        Kw::In => "дар",
        Kw::Typeof => "навъи",
        Kw::Instanceof => "намунаи",
        Kw::Delete => "нобуд",
        Kw::Get => "гир",
        Kw::Set => "гузор",
        Kw::Yield => "ҳосил",
        Kw::Enum => "номгӯ",
        Kw::Type => "навъ",
        Kw::Namespace => "номфазо",
        Kw::Keyof => "калидҳои",
        Kw::Infer => "инфер",
        Kw::Unique => "беназир",
        Kw::Is => "аст",
        Kw::Asserts => "бармесоё",
        Kw::String => "сатр",
        Kw::Number => "рақам",
        Kw::Boolean => "мантиқӣ",
        Kw::Any => "ҳар",
        Kw::Unknown => "ношинос",
        Kw::Never => "абадан",
        Kw::Void => "беджавоб",
        Kw::Object => "объект",
    }
}

/// A word of modifiers as written, in its canonical spelling if it is a
/// keyword.
fn canon_word(w: &str) -> String {
    match Kw::lookup(&w.to_lowercase()) {
        Some(k) => kw(k).to_string(),
        None => w.to_string(),
    }
}

pub(crate) fn stmt_span(s: &Stmt) -> Span {
    match s {
        Stmt::Var(v) => v.span,
        Stmt::Function(f) => f.span,
        Stmt::Class(c) => c.span,
        Stmt::Interface(i) => i.span,
        Stmt::TypeAlias(t) => t.span,
        Stmt::Enum(e) => e.span,
        Stmt::Namespace(n) => n.span,
        Stmt::Import(i) => i.span,
        Stmt::Export(e) => match &**e {
            ExportDecl::Decl(_, s)
            | ExportDecl::DefaultDecl(_, s)
            | ExportDecl::DefaultExpr(_, s)
            | ExportDecl::Named { span: s, .. }
            | ExportDecl::All { span: s, .. } => *s,
        },
        Stmt::Expr(_, s) | Stmt::Empty(s) => *s,
        Stmt::Block(b) => b.span,
        Stmt::If { span, .. }
        | Stmt::While { span, .. }
        | Stmt::DoWhile { span, .. }
        | Stmt::For { span, .. }
        | Stmt::ForIn { span, .. }
        | Stmt::ForOf { span, .. }
        | Stmt::Return { span, .. }
        | Stmt::Break { span, .. }
        | Stmt::Continue { span, .. }
        | Stmt::Throw { span, .. }
        | Stmt::Try { span, .. }
        | Stmt::Switch { span, .. }
        | Stmt::Labeled { span, .. } => *span,
    }
}

fn member_span(m: &ClassMember) -> Span {
    match m {
        ClassMember::Constructor { span, .. }
        | ClassMember::Method { span, .. }
        | ClassMember::Field { span, .. } => *span,
        ClassMember::StaticBlock(b) => b.span,
        ClassMember::IndexSignature(s) => *s,
    }
}

fn type_member_span(m: &TypeMember) -> Span {
    match m {
        TypeMember::Property { span, .. }
        | TypeMember::Method { span, .. }
        | TypeMember::Call { span, .. }
        | TypeMember::Construct { span, .. }
        | TypeMember::Index { span, .. } => *span,
    }
}

use somon_diagnostics::Span;

fn unary_op(op: UnaryOp) -> &'static str {
    match op {
        UnaryOp::Not => "!",
        UnaryOp::Minus => "-",
        UnaryOp::Plus => "+",
        UnaryOp::BitNot => "~",
        UnaryOp::Typeof => "навъи ",
        UnaryOp::Delete => "нобуд ",
        UnaryOp::Void => "беджавоб ",
    }
}

fn binary_op(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Add => "+",
        BinaryOp::Sub => "-",
        BinaryOp::Mul => "*",
        BinaryOp::Div => "/",
        BinaryOp::Mod => "%",
        BinaryOp::Exp => "**",
        BinaryOp::Lt => "<",
        BinaryOp::Gt => ">",
        BinaryOp::LtEq => "<=",
        BinaryOp::GtEq => ">=",
        BinaryOp::EqEq => "==",
        BinaryOp::NotEq => "!=",
        BinaryOp::EqEqEq => "===",
        BinaryOp::NotEqEq => "!==",
        BinaryOp::BitAnd => "&",
        BinaryOp::BitOr => "|",
        BinaryOp::BitXor => "^",
        BinaryOp::Shl => "<<",
        BinaryOp::Shr => ">>",
        BinaryOp::UShr => ">>>",
        BinaryOp::And => "&&",
        BinaryOp::Or => "||",
        BinaryOp::Nullish => "??",
        BinaryOp::In => "дар",
        BinaryOp::Instanceof => "намунаи",
    }
}

/// Operators of one precedence level print as one chain.
fn precedence(op: BinaryOp) -> u8 {
    match op {
        BinaryOp::Nullish => 1,
        BinaryOp::Or => 2,
        BinaryOp::And => 3,
        BinaryOp::BitOr => 4,
        BinaryOp::BitXor => 5,
        BinaryOp::BitAnd => 6,
        BinaryOp::EqEq | BinaryOp::NotEq | BinaryOp::EqEqEq | BinaryOp::NotEqEq => 7,
        BinaryOp::Lt
        | BinaryOp::Gt
        | BinaryOp::LtEq
        | BinaryOp::GtEq
        | BinaryOp::In
        | BinaryOp::Instanceof => 8,
        BinaryOp::Shl | BinaryOp::Shr | BinaryOp::UShr => 9,
        BinaryOp::Add | BinaryOp::Sub => 10,
        BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => 11,
        BinaryOp::Exp => 12,
    }
}

fn assign_op(op: AssignOp) -> &'static str {
    match op {
        AssignOp::Assign => "=",
        AssignOp::Add => "+=",
        AssignOp::Sub => "-=",
        AssignOp::Mul => "*=",
        AssignOp::Div => "/=",
        AssignOp::Mod => "%=",
        AssignOp::Exp => "**=",
        AssignOp::BitAnd => "&=",
        AssignOp::BitOr => "|=",
        AssignOp::BitXor => "^=",
        AssignOp::Shl => "<<=",
        AssignOp::Shr => ">>=",
        AssignOp::UShr => ">>>=",
        AssignOp::And => "&&=",
        AssignOp::Or => "||=",
        AssignOp::Nullish => "??=",
    }
}

fn type_keyword(k: TypeKeyword) -> &'static str {
    match k {
        TypeKeyword::String => "сатр",
        TypeKeyword::Number => "рақам",
        TypeKeyword::Boolean => "мантиқӣ",
        TypeKeyword::Bigint => "калонрақам",
        TypeKeyword::Symbol => "рамз",
        TypeKeyword::Any => "ҳар",
        TypeKeyword::Unknown => "ношинос",
        TypeKeyword::Never => "абадан",
        TypeKeyword::Void => "беджавоб",
        TypeKeyword::Object => "объект",
        TypeKeyword::Null => "холӣ",
        TypeKeyword::Undefined => "беқимат",
        TypeKeyword::This => "ин",
    }
}

/// Whether a value on the right of `=` moves to the next line when it is
/// too long (instead of breaking inside).
fn breaks_after_assign(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Binary { .. } | Expr::Cond { .. } | Expr::As { .. } | Expr::PrivateIn { .. }
    )
}

/// Whether the last argument of a call keeps the call's parentheses on its
/// first and last line (`ф(а, (х) => {`…`})`).
fn huggable(e: &Expr) -> bool {
    match e {
        Expr::Arrow(a) => matches!(a.body, ArrowBody::Block(_)),
        Expr::Function(_) => true,
        Expr::Object { props, .. } => !props.is_empty(),
        _ => false,
    }
}

fn is_simple_arg(e: &Expr) -> bool {
    match e {
        Expr::Ident(_)
        | Expr::This(_)
        | Expr::Null(_)
        | Expr::Undefined(_)
        | Expr::Bool(..)
        | Expr::Num(..)
        | Expr::BigInt { .. }
        | Expr::Str(..)
        | Expr::Regex { .. } => true,
        Expr::Template(t) => t.exprs.is_empty(),
        Expr::Member { obj, prop, .. } => {
            is_simple_arg(obj) && !matches!(prop, MemberProp::Computed(_))
        }
        Expr::Unary { arg, .. } => is_simple_arg(arg),
        Expr::Array { elems, .. } => elems.is_empty(),
        Expr::Object { props, .. } => props.is_empty(),
        _ => false,
    }
}

impl<'a> Printer<'a> {
    // ------------------------------------------------------------ basics

    fn nil(&self) -> D<'a> {
        self.a.nil()
    }

    fn t(&self, s: &'static str) -> D<'a> {
        self.a.text(s)
    }

    fn s(&self, s: String) -> D<'a> {
        self.a.text(s)
    }

    fn hard(&self) -> D<'a> {
        self.a.hardline()
    }

    fn line(&self) -> D<'a> {
        self.a.line()
    }

    fn soft(&self) -> D<'a> {
        self.a.line_()
    }

    /// A comma when the enclosing group breaks.
    fn trailing_comma(&self) -> D<'a> {
        self.t(",").flat_alt(self.nil())
    }

    fn slice(&self, span: Span) -> &'a str {
        self.src
            .get(span.lo as usize..span.hi as usize)
            .unwrap_or("")
    }

    /// Text that may hold line breaks (templates, verbatim code): printed
    /// exactly, its first line counted for the width.
    fn raw(&self, s: &str) -> D<'a> {
        if !s.contains(['\n', '\r']) {
            return self.a.text(s.to_string());
        }
        let text = s.replace("\r\n", "\n").replace('\r', "\n");
        let first = text.split('\n').next().unwrap_or("").chars().count();
        let inner = self.a.alloc(Doc::OwnedText(text.into()));
        DocBuilder(self.a, BuildDoc::Doc(Doc::RenderLen(first, inner)))
    }

    /// Source text as written (its comments count as printed).
    fn verbatim(&mut self, span: Span) -> D<'a> {
        self.skip_comments_before(span.hi);
        self.raw(self.slice(span).trim_end())
    }

    fn skip_comments_before(&mut self, hi: u32) {
        while self
            .trivia
            .comments
            .get(self.next)
            .is_some_and(|c| c.span.lo < hi)
        {
            self.next += 1;
        }
    }

    /// Modifier words written between `lo` and `hi` (canonical spelling,
    /// one space apart), `None` when a comment is among them.
    fn words(&self, lo: u32, hi: u32) -> Option<Vec<String>> {
        let text = self.src.get(lo as usize..hi as usize)?;
        if text.contains("//") || text.contains("/*") {
            return None;
        }
        Some(text.split_whitespace().map(canon_word).collect())
    }

    /// A keyword-like word as written (`null` stays `null`), a keyword in
    /// its canonical spelling.
    fn word(&self, span: Span) -> D<'a> {
        let text = self.slice(span);
        match Kw::lookup(&text.to_lowercase()) {
            Some(k) => self.t(kw(k)),
            None => self.a.text(text),
        }
    }

    fn ident(&self, i: &Ident) -> D<'a> {
        let s = self.slice(i.span);
        if s.is_empty() {
            self.s(i.name.to_string())
        } else {
            self.a.text(s)
        }
    }

    fn join(&self, docs: Vec<D<'a>>, sep: D<'a>) -> D<'a> {
        self.a.intersperse(docs, sep)
    }

    // ---------------------------------------------------------- comments

    fn comment_text(&self, c: &Comment) -> D<'a> {
        let text = c.text(self.src).trim_end();
        if !text.contains(['\n', '\r']) {
            return self.a.text(text);
        }
        // A block comment whose lines all start with `*` is re-indented.
        let lines: Vec<&str> = text.lines().collect();
        let starred = lines
            .iter()
            .skip(1)
            .all(|l| l.trim_start().starts_with('*'));
        if starred {
            let mut d = self.nil();
            for (i, l) in lines.iter().enumerate() {
                if i == 0 {
                    d = d.append(self.a.text(l.trim_end()));
                } else {
                    d = d
                        .append(self.hard())
                        .append(self.s(format!(" {}", l.trim())));
                }
            }
            d
        } else {
            self.raw(text)
        }
    }

    /// Comments that end before `pos`, each followed by a line break (line
    /// comments, and comments that were followed by one) or a space.
    fn leading(&mut self, pos: u32) -> D<'a> {
        let mut d = self.nil();
        while let Some(c) = self.trivia.comments.get(self.next).copied() {
            if c.span.hi > pos {
                break;
            }
            self.next += 1;
            d = d.append(self.comment_text(&c));
            d = if c.kind == CommentKind::Line || c.nl_after {
                d.append(self.hard())
            } else {
                d.append(self.t(" "))
            };
        }
        d
    }

    /// Comments that follow on the line of what ended at `end` (and before
    /// `limit`), each after a space.
    fn trailing(&mut self, mut end: u32, limit: u32) -> D<'a> {
        let mut d = self.nil();
        while let Some(c) = self.trivia.comments.get(self.next).copied() {
            if c.own_line || c.span.lo < end || c.span.hi > limit {
                break;
            }
            let gap = self
                .src
                .get(end as usize..c.span.lo as usize)
                .unwrap_or("\n");
            if gap.contains(['\n', '\r', '\u{2028}', '\u{2029}']) {
                break;
            }
            self.next += 1;
            d = d.append(self.t(" ")).append(self.comment_text(&c));
            if c.kind == CommentKind::Line {
                break;
            }
            end = c.span.hi;
        }
        d
    }

    /// Comments right after what ended at `hi` (only spaces between, on
    /// its line) and before `limit`: `а /* шарҳ */ + б`.
    fn inline_after(&mut self, hi: u32, limit: u32, op: &str) -> D<'a> {
        let mut d = self.nil();
        let mut hi = hi;
        while let Some(c) = self.trivia.comments.get(self.next).copied() {
            if c.span.lo < hi || c.span.hi > limit {
                break;
            }
            if !self.same_line_gap(hi, c.span.lo, op) {
                break;
            }
            self.next += 1;
            d = d.append(self.t(" ")).append(self.comment_text(&c));
            if c.kind == CommentKind::Line {
                d = d.append(self.hard());
                break;
            }
            hi = c.span.hi;
        }
        d
    }

    /// Whether the comments [`Self::inline_after`] would take end with a
    /// line comment.
    fn line_comment_after(&self, hi: u32, limit: u32, op: &str) -> bool {
        let mut hi = hi;
        for c in self.trivia.comments.get(self.next..).unwrap_or(&[]) {
            if c.span.lo < hi || c.span.hi > limit {
                return false;
            }
            if !self.same_line_gap(hi, c.span.lo, op) {
                return false;
            }
            if c.kind == CommentKind::Line {
                return true;
            }
            hi = c.span.hi;
        }
        false
    }

    /// Whether `lo..hi` holds only spaces, and maybe the operator `op`.
    fn same_line_gap(&self, lo: u32, hi: u32, op: &str) -> bool {
        let gap = self.src.get(lo as usize..hi as usize).unwrap_or("\n");
        let rest = gap.trim_matches([' ', '\t']);
        let only_spaces = |t: &str| t.chars().all(|ch| ch == ' ' || ch == '\t');
        rest.is_empty() || (!op.is_empty() && rest.strip_prefix(op).is_some_and(only_spaces))
    }

    fn has_comments_before(&self, pos: u32) -> bool {
        self.trivia
            .comments
            .get(self.next)
            .is_some_and(|c| c.span.hi <= pos)
    }

    /// Items of a block (statements, members, cases) one per line: their
    /// comments in place, at most one blank line kept between them, the
    /// comments left before `end` printed after the last item.
    fn lines<T>(
        &mut self,
        items: &[T],
        end: u32,
        item: fn(&mut Self, &T, bool) -> Item<'a>,
    ) -> D<'a> {
        let mut d = self.nil();
        let mut first = true;
        // After an inline block comment the item follows on its line.
        let mut inline = false;
        let mut ignore = false;
        let spans: Vec<Span> = items.iter().map(|it| item(self, it, true).span).collect();
        for (i, it) in items.iter().enumerate() {
            let Some(&span) = spans.get(i) else { break };
            if span.lo == span.hi && span.lo == u32::MAX {
                // An item that prints nothing (an empty statement).
                continue;
            }
            let limit = spans
                .get(i + 1..)
                .and_then(|rest| rest.iter().find(|s| s.lo != u32::MAX))
                .map_or(end, |s| s.lo.min(end));
            while let Some(c) = self.trivia.comments.get(self.next).copied() {
                if c.span.hi > span.lo {
                    break;
                }
                self.next += 1;
                if !first && !inline {
                    d = d.append(self.hard());
                    if self.trivia.blank_lines_before(c.span.lo) > 0 {
                        d = d.append(self.hard());
                    }
                } else if inline {
                    d = d.append(self.t(" "));
                }
                d = d.append(self.comment_text(&c));
                ignore =
                    c.kind == CommentKind::Line && c.text(self.src).trim_end() == IGNORE_COMMENT;
                inline = c.kind != CommentKind::Line && !c.nl_after;
                first = false;
            }
            if inline {
                d = d.append(self.t(" "));
            } else if !first {
                d = d.append(self.hard());
                if self.trivia.blank_lines_before(span.lo) > 0 {
                    d = d.append(self.hard());
                }
            }
            let doc = if ignore {
                // A statement's span ends before its `;`: keep it too.
                let rest = self.src.get(span.hi as usize..).unwrap_or("");
                let gap = rest.len() - rest.trim_start_matches([' ', '\t']).len();
                let hi = if rest.get(gap..).is_some_and(|r| r.starts_with(';')) {
                    span.hi + gap as u32 + 1
                } else {
                    span.hi
                };
                self.verbatim(Span::new(span.lo, hi))
            } else {
                item(self, it, false).doc
            };
            d = d.append(doc);
            let tail = self.trailing(span.hi, limit);
            d = d.append(tail);
            first = false;
            inline = false;
            ignore = false;
        }
        while let Some(c) = self.trivia.comments.get(self.next).copied() {
            if c.span.hi > end {
                break;
            }
            self.next += 1;
            if !first && !inline {
                d = d.append(self.hard());
                if self.trivia.blank_lines_before(c.span.lo) > 0 {
                    d = d.append(self.hard());
                }
            } else if inline {
                d = d.append(self.t(" "));
            }
            d = d.append(self.comment_text(&c));
            inline = c.kind != CommentKind::Line && !c.nl_after;
            first = false;
        }
        d
    }

    /// `{` items `}`: `{}` when empty (and without comments), else one item
    /// per line, indented.
    fn braces_of<T>(
        &mut self,
        items: &[T],
        end: u32,
        item: fn(&mut Self, &T, bool) -> Item<'a>,
    ) -> D<'a> {
        if items.is_empty() && !self.has_comments_before(end) {
            return self.t("{}");
        }
        let body = self.lines(items, end, item);
        self.t("{")
            .append(self.hard().append(body).nest(self.indent))
            .append(self.hard())
            .append(self.t("}"))
    }

    fn block(&mut self, b: &Block) -> D<'a> {
        let lead = self.leading(b.span.lo);
        let end = b.span.hi.saturating_sub(1);
        lead.append(self.braces_of(&b.stmts, end, Printer::stmt_item))
    }

    // -------------------------------------------------------- statements

    fn stmt_item(&mut self, s: &Stmt, probe: bool) -> Item<'a> {
        if let Stmt::Empty(_) = s {
            return Item {
                span: Span::new(u32::MAX, u32::MAX),
                doc: self.nil(),
            };
        }
        let span = stmt_span(s);
        if probe {
            return Item {
                span,
                doc: self.nil(),
            };
        }
        Item {
            span,
            doc: self.stmt(s),
        }
    }

    fn stmt(&mut self, s: &Stmt) -> D<'a> {
        stacker::maybe_grow(128 * 1024, 2 * 1024 * 1024, || {
            let lead = self.leading(stmt_span(s).lo);
            lead.append(self.stmt_inner(s))
        })
    }

    /// The body of `агар`/loops: a block on the same line, anything else
    /// indented on the next line when it does not fit.
    fn body(&mut self, s: &Stmt) -> D<'a> {
        match s {
            Stmt::Block(b) => self.t(" ").append(self.block(b)),
            Stmt::Empty(_) => self.t(";"),
            _ => {
                let d = self.stmt(s);
                self.line().append(d).nest(self.indent).group()
            }
        }
    }

    fn semi(&self, d: D<'a>) -> D<'a> {
        d.append(self.t(";"))
    }

    fn stmt_inner(&mut self, s: &Stmt) -> D<'a> {
        match s {
            Stmt::Var(v) => {
                let d = self.var_decl(v);
                self.semi(d)
            }
            Stmt::Function(f) => {
                let head = self.function_head(f);
                self.function(f, Some(head))
            }
            Stmt::Class(c) => self.class(c),
            Stmt::Interface(i) => self.interface(i),
            Stmt::TypeAlias(t) => {
                let tp = self.type_params(&t.type_params);
                let name = self.ident(&t.name);
                let rhs = match &t.ty {
                    Type::Union(tys, span) => {
                        let lead = self.leading(span.lo);
                        let docs = self.union_docs(tys);
                        let sep = self.line().append(self.t("| "));
                        self.line()
                            .append(lead)
                            .append(self.t("| ").flat_alt(self.nil()))
                            .append(self.join(docs, sep))
                            .nest(self.indent)
                            .group()
                    }
                    other => {
                        let ty = self.ty(other);
                        self.t(" ").append(ty)
                    }
                };
                self.semi(
                    self.t("навъ ")
                        .append(name)
                        .append(tp)
                        .append(self.t(" ="))
                        .append(rhs),
                )
            }
            Stmt::Enum(e) => {
                let head = if e.is_const {
                    self.t("собит номгӯ ")
                } else {
                    self.t("номгӯ ")
                };
                let name = self.ident(&e.name);
                let end = e.span.hi.saturating_sub(1);
                let body = self.braces_of(&e.members, end, Printer::enum_member);
                head.append(name).append(self.t(" ")).append(body)
            }
            Stmt::Namespace(n) => {
                let path: Vec<D<'a>> = n.path.iter().map(|i| self.ident(i)).collect();
                let path = self.join(path, self.t("."));
                let end = n.span.hi.saturating_sub(1);
                let body = self.braces_of(&n.body, end, Printer::stmt_item);
                self.t("номфазо ")
                    .append(path)
                    .append(self.t(" "))
                    .append(body)
            }
            Stmt::Import(i) => self.import(i),
            Stmt::Export(e) => self.export(e),
            Stmt::Expr(e, _) => {
                let d = self.expr(e);
                self.semi(d)
            }
            Stmt::Block(b) => self.block(b),
            Stmt::Empty(_) => self.t(";"),
            Stmt::If { .. } => self.if_chain(s),
            Stmt::While { test, body, .. } => {
                let test = self.expr(test);
                let body = self.body(body);
                self.t("то (").append(test).append(self.t(")")).append(body)
            }
            Stmt::DoWhile { body, test, .. } => {
                let b = match &**body {
                    Stmt::Block(b) => self.t(" ").append(self.block(b)),
                    other => {
                        let d = self.stmt(other);
                        self.hard().append(d).nest(self.indent).append(self.hard())
                    }
                };
                let sep = if matches!(**body, Stmt::Block(_)) {
                    self.t(" ")
                } else {
                    self.nil()
                };
                let test = self.expr(test);
                self.t("иҷро")
                    .append(b)
                    .append(sep)
                    .append(self.t("то ("))
                    .append(test)
                    .append(self.t(");"))
            }
            Stmt::For {
                init,
                test,
                update,
                body,
                ..
            } => {
                let init = match init.as_deref() {
                    Some(ForInit::Var(v)) => self.var_decl(v),
                    Some(ForInit::Expr(e)) => self.expr(e),
                    None => self.nil(),
                };
                let test = match test {
                    Some(e) => self.t(" ").append(self.expr(e)),
                    None => self.nil(),
                };
                let update = match update {
                    Some(e) => self.t(" ").append(self.expr(e)),
                    None => self.nil(),
                };
                let body = self.body(body);
                self.t("барои (")
                    .append(init)
                    .append(self.t(";"))
                    .append(test)
                    .append(self.t(";"))
                    .append(update)
                    .append(self.t(")"))
                    .append(body)
            }
            Stmt::ForIn {
                left, right, body, ..
            } => {
                let left = self.for_head(left);
                let right = self.expr(right);
                let body = self.body(body);
                self.t("барои (")
                    .append(left)
                    .append(self.t(" дар "))
                    .append(right)
                    .append(self.t(")"))
                    .append(body)
            }
            Stmt::ForOf {
                is_await,
                left,
                right,
                body,
                ..
            } => {
                let head = if *is_await {
                    self.t("барои интизор (")
                } else {
                    self.t("барои (")
                };
                let left = self.for_head(left);
                let right = self.expr(right);
                let body = self.body(body);
                head.append(left)
                    .append(self.t(" аз "))
                    .append(right)
                    .append(self.t(")"))
                    .append(body)
            }
            Stmt::Return { arg, .. } => match arg {
                Some(e) => {
                    let d = self.expr(e);
                    self.semi(self.t("бозгашт ").append(d))
                }
                None => self.t("бозгашт;"),
            },
            Stmt::Break { label, .. } => match label {
                Some(l) => self.semi(self.t("шикастан ").append(self.ident(l))),
                None => self.t("шикастан;"),
            },
            Stmt::Continue { label, .. } => match label {
                Some(l) => self.semi(self.t("давом ").append(self.ident(l))),
                None => self.t("давом;"),
            },
            Stmt::Throw { arg, .. } => {
                let d = self.expr(arg);
                self.semi(self.t("партофтан ").append(d))
            }
            Stmt::Try {
                block,
                handler,
                finalizer,
                ..
            } => {
                let mut d = self.t("кӯшиш ").append(self.block(block));
                if let Some(h) = handler {
                    d = d.append(self.t(" гирифтан "));
                    if let Some(p) = &h.param {
                        let p = self.pat(p);
                        d = d.append(self.t("(")).append(p).append(self.t(") "));
                    }
                    d = d.append(self.block(&h.body));
                }
                if let Some(f) = finalizer {
                    d = d.append(self.t(" ниҳоят ")).append(self.block(f));
                }
                d
            }
            Stmt::Switch { disc, cases, span } => {
                let disc = self.expr(disc);
                let end = span.hi.saturating_sub(1);
                let body = self.braces_of(cases, end, Printer::case_item);
                self.t("интихоб (")
                    .append(disc)
                    .append(self.t(") "))
                    .append(body)
            }
            Stmt::Labeled { label, body, .. } => {
                let l = self.ident(label);
                let b = self.stmt(body);
                l.append(self.t(": ")).append(b)
            }
        }
    }

    fn if_chain(&mut self, s: &Stmt) -> D<'a> {
        // `вагарна агар` chains are printed in a loop (they may be long).
        let mut d = self.nil();
        let mut cur = s;
        loop {
            let Stmt::If {
                test, cons, alt, ..
            } = cur
            else {
                let tail = match cur {
                    Stmt::Block(b) => self.block(b),
                    other => {
                        let x = self.stmt(other);
                        self.line().append(x).nest(self.indent).group()
                    }
                };
                return if matches!(cur, Stmt::Block(_)) {
                    d.append(self.t(" ")).append(tail)
                } else {
                    d.append(tail)
                };
            };
            let test = self.expr(test);
            let body = self.body(cons);
            d = d
                .append(self.t("агар ("))
                .append(test)
                .append(self.t(")"))
                .append(body);
            let Some(alt) = alt else {
                return d;
            };
            let lead = self.leading(stmt_span(alt).lo);
            d = if matches!(**cons, Stmt::Block(_)) {
                d.append(self.t(" "))
            } else {
                d.append(self.hard())
            };
            d = d.append(lead).append(self.t("вагарна"));
            if matches!(**alt, Stmt::If { .. }) {
                d = d.append(self.t(" "));
            }
            cur = alt;
        }
    }

    fn case_item(&mut self, c: &SwitchCase, probe: bool) -> Item<'a> {
        if probe {
            return Item {
                span: c.span,
                doc: self.nil(),
            };
        }
        let head = match &c.test {
            Some(e) => {
                let e = self.expr(e);
                self.t("ҳолат ").append(e).append(self.t(":"))
            }
            None => self.t("пешфарз:"),
        };
        let doc = match c.cons.as_slice() {
            [] => head,
            [Stmt::Block(b)] => head.append(self.t(" ")).append(self.block(b)),
            stmts => {
                let body = self.lines(stmts, c.span.hi, Printer::stmt_item);
                head.append(self.hard().append(body).nest(self.indent))
            }
        };
        Item { span: c.span, doc }
    }

    fn for_head(&mut self, h: &ForHead) -> D<'a> {
        match h {
            ForHead::Var(k, p, _) => {
                let k = match k {
                    VarKind::Let => self.t("тағ "),
                    VarKind::Const => self.t("собит "),
                };
                k.append(self.pat(p))
            }
            ForHead::Pat(p) => self.pat(p),
        }
    }

    fn var_decl(&mut self, v: &VarDecl) -> D<'a> {
        let kind = match v.kind {
            VarKind::Let => self.t("тағ "),
            VarKind::Const => self.t("собит "),
        };
        let mut decls = Vec::with_capacity(v.decls.len());
        for d in &v.decls {
            let pat = self.pat(&d.pat);
            decls.push(match &d.init {
                Some(init) => self.assignment(pat, "=", init),
                None => pat,
            });
        }
        if decls.len() == 1 {
            return kind.append(self.a.concat(decls));
        }
        let sep = self.t(",").append(self.line());
        kind.append(self.join(decls, sep).nest(self.indent).group())
    }

    /// `left op value`, the value on the next line when it is too long and
    /// breaks after the operator best.
    fn assignment(&mut self, left: D<'a>, op: &'static str, value: &Expr) -> D<'a> {
        self.flat_binary = matches!(value, Expr::Binary { .. });
        let v = self.expr(value);
        self.flat_binary = false;
        if breaks_after_assign(value) {
            left.append(self.t(" "))
                .append(self.t(op))
                .append(self.line().append(v).nest(self.indent).group())
        } else {
            left.append(self.t(" "))
                .append(self.t(op))
                .append(self.t(" "))
                .append(v)
        }
    }

    fn import(&mut self, i: &ImportDecl) -> D<'a> {
        let mut d = self.t("ворид ");
        if i.type_only {
            d = d.append(self.t("навъ "));
        }
        let source = self.a.text(self.slice(i.source_span));
        let mut parts = Vec::new();
        let mut named = Vec::new();
        for s in &i.specifiers {
            match s {
                ImportSpecifier::Default(id) => parts.push(self.ident(id)),
                ImportSpecifier::Namespace(id) => {
                    parts.push(self.t("* чун ").append(self.ident(id)));
                }
                ImportSpecifier::Named {
                    imported,
                    local,
                    is_type,
                } => {
                    let lead = self.leading(imported.span().lo);
                    let mut n = lead;
                    if *is_type {
                        n = n.append(self.t("навъ "));
                    }
                    n = n.append(self.export_name(imported));
                    if imported.name() != &*local.name || imported.span() != local.span {
                        n = n.append(self.t(" чун ")).append(self.ident(local));
                    }
                    let (after, line) = self.after_elem(local.span.hi, i.source_span.lo);
                    named.push((n, after, line));
                }
            }
        }
        let braces_written = self
            .src
            .get(i.span.lo as usize..i.source_span.lo as usize)
            .is_some_and(|t| t.contains('{'));
        if !named.is_empty() || (braces_written && parts.is_empty()) {
            parts.push(self.braced_list(named, i.source_span.lo));
        }
        if parts.is_empty() {
            return self.semi(d.append(source));
        }
        let parts = self.join(parts, self.t(", "));
        self.semi(d.append(parts).append(self.t(" аз ")).append(source))
    }

    /// Comments after an element of a list, on its line, before the next
    /// element (`а, // шарҳ`): printed after the element's comma. Also
    /// whether one is a line comment (the list must then break there).
    fn after_elem(&mut self, hi: u32, limit: u32) -> (D<'a>, bool) {
        let mut d = self.nil();
        let mut hi = hi;
        while let Some(c) = self.trivia.comments.get(self.next).copied() {
            if c.span.lo < hi || c.span.hi > limit {
                break;
            }
            let gap = self.src.get(hi as usize..c.span.lo as usize).unwrap_or("x");
            if !gap
                .chars()
                .all(|ch| ch == ' ' || ch == '\t' || ch == ',' || ch == ';')
            {
                break;
            }
            self.next += 1;
            d = d.append(self.t(" ")).append(self.comment_text(&c));
            if c.kind == CommentKind::Line {
                return (d, true);
            }
            hi = c.span.hi;
        }
        (d, false)
    }

    /// The comments left before `end` inside a list or an empty pair of
    /// brackets, and whether the list must break for them.
    fn dangling(&mut self, end: u32) -> (Vec<Comment>, bool) {
        let mut cs = Vec::new();
        let mut breaks = false;
        while let Some(c) = self.trivia.comments.get(self.next).copied() {
            if c.span.hi > end {
                break;
            }
            self.next += 1;
            breaks |= c.kind == CommentKind::Line || c.nl_after || c.own_line;
            cs.push(c);
        }
        (cs, breaks)
    }

    /// `open` elements `close`: on one line when they fit (`spaced` puts
    /// spaces inside the brackets), else one element per line with a
    /// trailing comma (as `comma` says). `expanded` always breaks.
    #[allow(clippy::too_many_arguments)]
    fn list(
        &mut self,
        open: &'static str,
        close: &'static str,
        elems: Vec<(D<'a>, D<'a>, bool)>,
        end: u32,
        comma: Comma,
        spaced: bool,
        expanded: bool,
    ) -> D<'a> {
        self.list_sep(open, close, ",", elems, end, comma, spaced, expanded)
    }

    /// [`Self::list`] with another separator (`;` between the members of
    /// an object type).
    #[allow(clippy::too_many_arguments)]
    fn list_sep(
        &mut self,
        open: &'static str,
        close: &'static str,
        sep: &'static str,
        elems: Vec<(D<'a>, D<'a>, bool)>,
        end: u32,
        comma: Comma,
        spaced: bool,
        expanded: bool,
    ) -> D<'a> {
        let (dangling, dangling_breaks) = self.dangling(end);
        if elems.is_empty() {
            if dangling.is_empty() {
                return self.t(open).append(self.t(close));
            }
            if !dangling_breaks {
                let pad = if spaced { " " } else { "" };
                let mut d = self.t(open).append(self.t(pad));
                for (i, c) in dangling.iter().enumerate() {
                    if i > 0 {
                        d = d.append(self.t(" "));
                    }
                    d = d.append(self.comment_text(c));
                }
                return d.append(self.t(pad)).append(self.t(close));
            }
            let mut inner = self.nil();
            for c in &dangling {
                inner = inner.append(self.hard()).append(self.comment_text(c));
            }
            return self
                .t(open)
                .append(inner.nest(self.indent))
                .append(self.hard())
                .append(self.t(close));
        }
        let brk = || if spaced { self.line() } else { self.soft() };
        let n = elems.len();
        let mut inner = if expanded { self.hard() } else { brk() };
        let mut force = false;
        for (i, (doc, after, line)) in elems.into_iter().enumerate() {
            inner = inner.append(doc);
            if i + 1 < n {
                inner = inner.append(self.t(sep)).append(after);
                inner = inner.append(if line { self.hard() } else { self.line() });
            } else {
                inner = inner.append(match comma {
                    Comma::IfBreak => self.t(sep).flat_alt(self.nil()),
                    Comma::Always => self.t(sep),
                    Comma::Never => self.nil(),
                });
                inner = inner.append(after);
                force = line;
            }
        }
        for c in &dangling {
            inner = inner.append(self.hard()).append(self.comment_text(c));
            force = true;
        }
        let closing = if force { self.hard() } else { brk() };
        self.t(open)
            .append(inner.nest(self.indent))
            .append(closing)
            .append(self.t(close))
            .group()
    }

    /// `{ а, б }` breaking one per line; `{}` when empty.
    fn braced_list(&mut self, items: Vec<(D<'a>, D<'a>, bool)>, end: u32) -> D<'a> {
        self.list("{", "}", items, end, Comma::IfBreak, true, false)
    }

    fn export_name(&self, n: &ModuleExportName) -> D<'a> {
        match n {
            ModuleExportName::Ident(i) => self.ident(i),
            ModuleExportName::Str(_, s) => self.a.text(self.slice(*s)),
        }
    }

    fn export(&mut self, e: &ExportDecl) -> D<'a> {
        match e {
            ExportDecl::Decl(s, _) => {
                let d = self.stmt(s);
                self.t("содир ").append(d)
            }
            ExportDecl::DefaultDecl(s, _) => {
                let d = self.stmt(s);
                self.t("содир пешфарз ").append(d)
            }
            ExportDecl::DefaultExpr(x, _) => {
                let d = self.expr(x);
                self.semi(self.t("содир пешфарз ").append(d))
            }
            ExportDecl::Named {
                specifiers,
                source,
                type_only,
                span,
            } => {
                let mut d = self.t("содир ");
                if *type_only {
                    d = d.append(self.t("навъ "));
                }
                let mut items = Vec::new();
                for s in specifiers {
                    let lead = self.leading(s.orig.span().lo);
                    let mut n = lead;
                    if s.is_type {
                        n = n.append(self.t("навъ "));
                    }
                    n = n.append(self.export_name(&s.orig));
                    let hi = match &s.exported {
                        Some(x) => {
                            n = n.append(self.t(" чун ")).append(self.export_name(x));
                            x.span().hi
                        }
                        None => s.orig.span().hi,
                    };
                    let limit = source.as_ref().map_or(span.hi, |(_, s)| s.lo);
                    let (after, line) = self.after_elem(hi, limit);
                    items.push((n, after, line));
                }
                let end = match source {
                    Some((_, s)) => s.lo,
                    None => span.hi,
                };
                let list = self.braced_list(items, end);
                d = d.append(list);
                if let Some((_, s)) = source {
                    d = d.append(self.t(" аз ")).append(self.a.text(self.slice(*s)));
                }
                self.semi(d)
            }
            ExportDecl::All { alias, source, .. } => {
                let mut d = self.t("содир *");
                if let Some(a) = alias {
                    d = d.append(self.t(" чун ")).append(self.export_name(a));
                }
                self.semi(
                    d.append(self.t(" аз "))
                        .append(self.a.text(self.slice(source.1))),
                )
            }
        }
    }

    // --------------------------------------------------------- functions

    /// `ҳамзамон функсия* ном` of a function declaration or expression.
    fn function_head(&self, f: &Function) -> D<'a> {
        let mut d = self.nil();
        if f.is_async {
            d = d.append(self.t("ҳамзамон "));
        }
        d = d.append(self.t("функсия"));
        if f.is_generator {
            d = d.append(self.t("*"));
        }
        if let Some(n) = &f.name {
            d = d.append(self.t(" ")).append(self.ident(n));
        }
        d
    }

    /// A function after its head: type parameters, parameters, return
    /// type and body (`;` for a signature without one).
    fn function(&mut self, f: &Function, head: Option<D<'a>>) -> D<'a> {
        let head = head.unwrap_or_else(|| self.nil());
        let sig = self.signature(
            &f.type_params,
            &f.params,
            f.return_type.as_ref(),
            ": ",
            f.span.hi,
        );
        let body = match &f.body {
            Some(b) => self.t(" ").append(self.block(b)),
            None => self.t(";"),
        };
        head.append(sig).append(body)
    }

    /// `<Т>(а: рақам, б): Т`
    fn signature(
        &mut self,
        type_params: &[TypeParam],
        params: &[Param],
        ret: Option<&Type>,
        ret_sep: &'static str,
        end: u32,
    ) -> D<'a> {
        let tp = self.type_params(type_params);
        let ps = self.params(params, end);
        let ret = match ret {
            Some(t) => self.t(ret_sep).append(self.ty(t)),
            None => self.nil(),
        };
        tp.append(ps).append(ret)
    }

    fn params(&mut self, params: &[Param], end: u32) -> D<'a> {
        let mut docs = Vec::with_capacity(params.len());
        for (i, p) in params.iter().enumerate() {
            let d = self.param(p);
            let limit = params.get(i + 1).map_or(end, |n| n.span.lo);
            let (after, line) = self.after_elem(p.span.hi, limit);
            docs.push((d, after, line));
        }
        let rest = params
            .last()
            .is_some_and(|p| matches!(p.pat, Pat::Rest { .. }));
        // Comments up to the `)` after the last parameter stay inside.
        let close = params.last().map_or(0, |p| {
            self.src
                .get(p.span.hi as usize..)
                .and_then(|t| t.find(')'))
                .map_or(p.span.hi, |i| p.span.hi + i as u32)
        });
        let _ = end;
        let comma = if rest { Comma::Never } else { Comma::IfBreak };
        self.list("(", ")", docs, close, comma, false, false)
    }

    fn param(&mut self, p: &Param) -> D<'a> {
        let lead = self.leading(p.span.lo);
        let pat_lo = p.pat.span().lo;
        let mods = if pat_lo > p.span.lo {
            match self.words(p.span.lo, pat_lo) {
                Some(w) if !w.is_empty() => self.s(w.join(" ") + " "),
                Some(_) => self.nil(),
                None => return lead.append(self.verbatim(p.span)),
            }
        } else {
            self.nil()
        };
        lead.append(mods).append(self.pat(&p.pat))
    }

    fn arrow(&mut self, a: &Arrow) -> D<'a> {
        let mut d = self.nil();
        if a.is_async {
            d = d.append(self.t("ҳамзамон "));
        }
        let end = match &a.body {
            ArrowBody::Block(b) => b.span.lo,
            ArrowBody::Expr(e) => e.span().lo,
        };
        let sig = self.signature(&a.type_params, &a.params, a.return_type.as_ref(), ": ", end);
        d = d.append(sig).append(self.t(" =>"));
        match &a.body {
            ArrowBody::Block(b) => d.append(self.t(" ")).append(self.block(b)),
            ArrowBody::Expr(e) => {
                self.flat_binary = matches!(**e, Expr::Binary { .. });
                let body = self.expr(e);
                self.flat_binary = false;
                if breaks_after_assign(e) {
                    d.append(self.line().append(body).nest(self.indent).group())
                } else {
                    d.append(self.t(" ")).append(body)
                }
            }
        }
    }

    // ----------------------------------------------------------- classes

    fn class(&mut self, c: &Class) -> D<'a> {
        let mut d = self.nil();
        if c.is_abstract {
            d = d.append(self.t("мавҳум "));
        }
        d = d.append(self.t("синф"));
        if let Some(n) = &c.name {
            d = d.append(self.t(" ")).append(self.ident(n));
        }
        d = d.append(self.type_params(&c.type_params));
        if let Some(s) = &c.super_class {
            let s = self.expr(s);
            let args = self.type_args(&c.super_type_args);
            d = d.append(self.t(" мерос ")).append(s).append(args);
        }
        if !c.implements.is_empty() {
            let tys: Vec<D<'a>> = c.implements.iter().map(|t| self.ty(t)).collect();
            d = d
                .append(self.t(" татбиқ "))
                .append(self.join(tys, self.t(", ")));
        }
        let end = c.span.hi.saturating_sub(1);
        let body = self.braces_of(&c.members, end, Printer::member_item);
        d.append(self.t(" ")).append(body)
    }

    fn member_item(&mut self, m: &ClassMember, probe: bool) -> Item<'a> {
        let span = member_span(m);
        if probe {
            return Item {
                span,
                doc: self.nil(),
            };
        }
        let lead = self.leading(span.lo);
        let doc = match m {
            ClassMember::Constructor { function, span } => {
                match self.words(span.lo, function.span.lo) {
                    Some(w) => {
                        let mods = self.modifiers(w);
                        let f = self.function(function, None);
                        mods.append(self.t("конструктор")).append(f)
                    }
                    None => self.verbatim(*span),
                }
            }
            ClassMember::Method {
                key,
                function,
                is_optional,
                span,
                ..
            } => match self.words(span.lo, key.span().lo) {
                Some(w) => {
                    let mods = self.modifiers(w);
                    let key = self.prop_name(key);
                    let q = if *is_optional {
                        self.t("?")
                    } else {
                        self.nil()
                    };
                    let f = self.function(function, None);
                    mods.append(key).append(q).append(f)
                }
                None => self.verbatim(*span),
            },
            ClassMember::Field {
                key,
                value,
                ty,
                is_optional,
                is_definite,
                span,
                ..
            } => match self.words(span.lo, key.span().lo) {
                Some(w) => {
                    let mods = self.modifiers(w);
                    let mut d = mods.append(self.prop_name(key));
                    if *is_optional {
                        d = d.append(self.t("?"));
                    }
                    if *is_definite {
                        d = d.append(self.t("!"));
                    }
                    if let Some(t) = ty {
                        d = d.append(self.t(": ")).append(self.ty(t));
                    }
                    if let Some(v) = value {
                        d = self.assignment(d, "=", v);
                    }
                    self.semi(d)
                }
                None => self.verbatim(*span),
            },
            ClassMember::StaticBlock(b) => {
                let b = self.block(b);
                self.t("статикӣ ").append(b)
            }
            ClassMember::IndexSignature(span) => self.index_signature(*span),
        };
        Item {
            span,
            doc: lead.append(doc),
        }
    }

    /// Modifier words, one space apart; `*` sticks to the name.
    fn modifiers(&self, words: Vec<String>) -> D<'a> {
        let mut s = String::new();
        for w in words {
            s.push_str(&w);
            if !w.ends_with('*') {
                s.push(' ');
            }
        }
        self.s(s)
    }

    /// `[калид: сатр]: Т;` kept as written, one space apart.
    fn index_signature(&mut self, span: Span) -> D<'a> {
        let d = self.tokens_text(span);
        if self.slice(span).trim_end().ends_with(';') {
            d
        } else {
            d.append(self.t(";"))
        }
    }

    /// Erased syntax kept as written token by token (mapped and template
    /// types, type predicates, index signatures), one space where the
    /// canonical style puts one; as written when it holds a comment.
    fn tokens_text(&mut self, span: Span) -> D<'a> {
        let text = self.slice(span);
        if text.contains("//") || text.contains("/*") {
            return self.verbatim(span);
        }
        let lexed = tokenize(text);
        let mut out = String::with_capacity(text.len());
        let mut prev: Option<TokenKind> = None;
        for t in &lexed.tokens {
            if t.kind == TokenKind::Eof {
                break;
            }
            let piece = text
                .get(t.span.lo as usize..t.span.hi as usize)
                .unwrap_or("");
            let wordish = |k: TokenKind| {
                matches!(
                    k,
                    TokenKind::Word
                        | TokenKind::PrivateName
                        | TokenKind::Num
                        | TokenKind::BigInt
                        | TokenKind::Str
                        | TokenKind::Regex
                        | TokenKind::Template
                )
            };
            let space = match prev {
                None => false,
                Some(p) => {
                    matches!(
                        p,
                        TokenKind::Punct(
                            P::Colon | P::Comma | P::Semi | P::Eq | P::Arrow | P::Pipe | P::Amp
                        )
                    ) || (p == TokenKind::Punct(P::LBrace) && !t.is(P::RBrace))
                        || matches!(
                            t.kind,
                            TokenKind::Punct(P::Eq | P::Arrow | P::Pipe | P::Amp)
                        )
                        || (t.is(P::RBrace) && p != TokenKind::Punct(P::LBrace))
                        || (wordish(p) && wordish(t.kind))
                }
            };
            if space {
                out.push(' ');
            }
            out.push_str(piece);
            prev = Some(t.kind);
        }
        self.raw(&out)
    }

    fn interface(&mut self, i: &InterfaceDecl) -> D<'a> {
        let mut d = self.t("интерфейс ").append(self.ident(&i.name));
        d = d.append(self.type_params(&i.type_params));
        if !i.extends.is_empty() {
            let tys: Vec<D<'a>> = i.extends.iter().map(|t| self.ty(t)).collect();
            d = d
                .append(self.t(" мерос "))
                .append(self.join(tys, self.t(", ")));
        }
        let end = i.span.hi.saturating_sub(1);
        let body = self.braces_of(&i.members, end, Printer::type_member_item);
        d.append(self.t(" ")).append(body)
    }

    fn type_member_item(&mut self, m: &TypeMember, probe: bool) -> Item<'a> {
        let span = type_member_span(m);
        if probe {
            return Item {
                span,
                doc: self.nil(),
            };
        }
        let d = self.type_member(m);
        Item {
            span,
            doc: self.semi(d),
        }
    }

    fn type_member(&mut self, m: &TypeMember) -> D<'a> {
        let span = type_member_span(m);
        let lead = self.leading(span.lo);
        let d = match m {
            TypeMember::Property {
                key,
                ty,
                optional,
                readonly,
                ..
            } => {
                let mut d = if *readonly {
                    self.t("танҳохонӣ ")
                } else {
                    self.nil()
                };
                d = d.append(self.prop_name(key));
                if *optional {
                    d = d.append(self.t("?"));
                }
                if let Some(t) = ty {
                    d = d.append(self.t(": ")).append(self.ty(t));
                }
                d
            }
            TypeMember::Method {
                key,
                type_params,
                params,
                ret,
                optional,
                span,
            } => {
                let mut d = self.prop_name(key);
                if *optional {
                    d = d.append(self.t("?"));
                }
                d.append(self.signature(type_params, params, ret.as_ref(), ": ", span.hi))
            }
            TypeMember::Call {
                params, ret, span, ..
            } => self.signature(&[], params, ret.as_ref(), ": ", span.hi),
            TypeMember::Construct {
                params, ret, span, ..
            } => {
                let s = self.signature(&[], params, ret.as_ref(), ": ", span.hi);
                self.t("нав ").append(s)
            }
            TypeMember::Index { key_ty, ty, span } => {
                let prefix = self.src.get(span.lo as usize..key_ty.span().lo as usize);
                match prefix {
                    Some(p) if !p.contains("//") && !p.contains("/*") && p.contains('[') => {
                        let (mods, name) = p.split_once('[').unwrap_or(("", p));
                        let mods: Vec<String> = mods.split_whitespace().map(canon_word).collect();
                        let name = name.trim().trim_end_matches(':').trim();
                        let mut s = String::new();
                        for m in mods {
                            s.push_str(&m);
                            s.push(' ');
                        }
                        s.push('[');
                        s.push_str(name);
                        s.push_str(": ");
                        let k = self.ty(key_ty);
                        let v = self.ty(ty);
                        self.s(s).append(k).append(self.t("]: ")).append(v)
                    }
                    _ => self.verbatim(*span),
                }
            }
        };
        lead.append(d)
    }

    fn enum_member(&mut self, m: &EnumMember, probe: bool) -> Item<'a> {
        if probe {
            return Item {
                span: m.span,
                doc: self.nil(),
            };
        }
        let lead = self.leading(m.span.lo);
        let mut d = lead.append(self.prop_name(&m.name));
        if let Some(init) = &m.init {
            d = self.assignment(d, "=", init);
        }
        Item {
            span: m.span,
            doc: d.append(self.t(",")),
        }
    }

    fn prop_name(&mut self, k: &PropName) -> D<'a> {
        match k {
            PropName::Ident(i) | PropName::Private(i) => self.ident(i),
            PropName::Str(_, s) | PropName::Num(_, s) | PropName::BigInt(_, _, s) => {
                self.a.text(self.slice(*s))
            }
            PropName::Computed(e, _) => {
                let e = self.expr(e);
                self.t("[").append(e).append(self.t("]"))
            }
        }
    }

    // ------------------------------------------------------- expressions

    fn expr(&mut self, e: &Expr) -> D<'a> {
        stacker::maybe_grow(128 * 1024, 2 * 1024 * 1024, || {
            let lead = self.leading(e.span().lo);
            lead.append(self.expr_inner(e))
        })
    }

    fn expr_inner(&mut self, e: &Expr) -> D<'a> {
        if !matches!(e, Expr::Binary { .. }) {
            self.flat_binary = false;
        }
        if let Some(d) = self.member_chain(e) {
            return d;
        }
        match e {
            Expr::Ident(i) => self.ident(i),
            Expr::This(s)
            | Expr::Super(s)
            | Expr::Null(s)
            | Expr::Undefined(s)
            | Expr::Bool(_, s) => self.word(*s),
            Expr::Num(_, s)
            | Expr::Str(_, s)
            | Expr::BigInt { span: s, .. }
            | Expr::Regex { span: s, .. }
            | Expr::NewTarget(s)
            | Expr::ImportMeta(s)
            | Expr::Invalid(s) => self.verbatim(*s),
            Expr::Template(t) => self.template(t),
            Expr::TaggedTemplate {
                tag,
                type_args,
                tpl,
                ..
            } => {
                let tag = self.expr(tag);
                let args = self.type_args(type_args);
                let tpl = self.template(tpl);
                tag.append(args).append(tpl)
            }
            Expr::Array { elems, span } => {
                let end = span.hi.saturating_sub(1);
                let mut docs = Vec::with_capacity(elems.len());
                for (i, el) in elems.iter().enumerate() {
                    let limit = elems
                        .get(i + 1..)
                        .and_then(|r| r.iter().flatten().next())
                        .map_or(end, |n| n.expr.span().lo);
                    docs.push(match el {
                        Some(x) => {
                            let d = self.spread(x);
                            let (after, line) = self.after_elem(x.expr.span().hi, limit);
                            (d, after, line)
                        }
                        None => (self.nil(), self.nil(), false),
                    });
                }
                let comma = if matches!(elems.last(), Some(None)) {
                    Comma::Always
                } else {
                    Comma::IfBreak
                };
                self.list("[", "]", docs, end, comma, false, false)
            }
            Expr::Object { props, span } => self.object(props, *span),
            Expr::Function(f) => {
                let head = self.function_head(f);
                self.function(f, Some(head))
            }
            Expr::Arrow(a) => self.arrow(a),
            Expr::Class(c) => self.class(c),
            Expr::Unary { op, arg, .. } => {
                let a = self.expr(arg);
                // `- -х`, `+ +х`, `- --х` must not become `--х`/`++х`/`---х`.
                let clash = matches!(
                    (op, &**arg),
                    (
                        UnaryOp::Minus,
                        Expr::Unary {
                            op: UnaryOp::Minus,
                            ..
                        },
                    ) | (
                        UnaryOp::Plus,
                        Expr::Unary {
                            op: UnaryOp::Plus,
                            ..
                        },
                    ) | (
                        UnaryOp::Minus,
                        Expr::Update {
                            op: UpdateOp::Decr,
                            prefix: true,
                            ..
                        },
                    ) | (
                        UnaryOp::Plus,
                        Expr::Update {
                            op: UpdateOp::Incr,
                            prefix: true,
                            ..
                        },
                    )
                );
                let sp = if clash { self.t(" ") } else { self.nil() };
                self.t(unary_op(*op)).append(sp).append(a)
            }
            Expr::Update {
                op, prefix, arg, ..
            } => {
                let o = match op {
                    UpdateOp::Incr => self.t("++"),
                    UpdateOp::Decr => self.t("--"),
                };
                let a = self.expr(arg);
                if *prefix {
                    o.append(a)
                } else {
                    a.append(o)
                }
            }
            Expr::Binary { .. } => self.binary(e),
            Expr::PrivateIn { name, right, .. } => {
                let n = self.ident(name);
                let r = self.expr(right);
                n.append(self.t(" дар ")).append(r)
            }
            Expr::Assign {
                op, target, value, ..
            } => {
                let t = self.pat(target);
                self.assignment(t, assign_op(*op), value)
            }
            Expr::Cond {
                test, cons, alt, ..
            } => {
                let t = self.expr(test);
                let c = self.expr(cons);
                let a = self.expr(alt);
                t.append(
                    self.line()
                        .append(self.t("? "))
                        .append(c)
                        .append(self.line())
                        .append(self.t(": "))
                        .append(a)
                        .nest(self.indent),
                )
                .group()
            }
            Expr::Call {
                callee,
                type_args,
                args,
                optional,
                span,
            } => {
                let c = self.expr(callee);
                let ta = self.type_args(type_args);
                let q = if *optional { self.t("?.") } else { self.nil() };
                let args = self.args(args, span.hi);
                c.append(q).append(ta).append(args)
            }
            Expr::DynImport { arg, .. } => {
                let a = self.expr(arg);
                self.t("ворид(").append(a).append(self.t(")"))
            }
            Expr::New {
                callee,
                type_args,
                args,
                span,
            } => {
                let c = self.expr(callee);
                let ta = self.type_args(type_args);
                let args = match args {
                    Some(a) => self.args(a, span.hi),
                    None => self.nil(),
                };
                self.t("нав ").append(c).append(ta).append(args)
            }
            Expr::Member {
                obj,
                prop,
                optional,
                ..
            } => {
                let o = self.expr(obj);
                match prop {
                    MemberProp::Ident(i) | MemberProp::Private(i) => {
                        let dot = if *optional { self.t("?.") } else { self.t(".") };
                        let lead = self.leading(i.span.lo);
                        o.append(dot).append(lead).append(self.ident(i))
                    }
                    MemberProp::Computed(x) => {
                        let q = if *optional { self.t("?.") } else { self.nil() };
                        let x = self.expr(x);
                        o.append(q)
                            .append(self.t("["))
                            .append(x)
                            .append(self.t("]"))
                    }
                }
            }
            Expr::Seq { exprs, .. } => {
                let docs: Vec<D<'a>> = exprs.iter().map(|x| self.expr(x)).collect();
                let sep = self.t(",").append(self.line());
                self.join(docs, sep).nest(self.indent).group()
            }
            Expr::Await { arg, .. } => {
                let a = self.expr(arg);
                self.t("интизор ").append(a)
            }
            Expr::Yield { arg, delegate, .. } => {
                let mut d = self.t("ҳосил");
                if *delegate {
                    d = d.append(self.t("*"));
                }
                if let Some(a) = arg {
                    let a = self.expr(a);
                    d = d.append(self.t(" ")).append(a);
                }
                d
            }
            Expr::Paren { expr, span } => {
                let x = self.expr(expr);
                let dangling = self.leading(span.hi.saturating_sub(1));
                self.t("(").append(x).append(dangling).append(self.t(")"))
            }
            Expr::As { expr, ty, .. } => {
                let x = self.expr(expr);
                let t = self.ty(ty);
                x.append(self.t(" чун ")).append(t)
            }
            Expr::NonNull { expr, .. } => {
                let x = self.expr(expr);
                x.append(self.t("!"))
            }
        }
    }

    /// A chain of three or more method calls (`а.б().в().г()`): on one
    /// line when it fits, else one `.метод(…)` per line, indented.
    fn member_chain(&mut self, e: &Expr) -> Option<D<'a>> {
        let mut links = Vec::new();
        let mut calls = 0;
        let mut cur = e;
        loop {
            match cur {
                Expr::Call { callee, .. } => {
                    if matches!(**callee, Expr::Member { .. }) {
                        calls += 1;
                    }
                    links.push(cur);
                    cur = callee;
                }
                Expr::Member { obj, .. } => {
                    links.push(cur);
                    cur = obj;
                }
                Expr::NonNull { expr, .. } => {
                    links.push(cur);
                    cur = expr;
                }
                _ => break,
            }
        }
        if calls < 3 {
            return None;
        }
        let mut d = self.expr(cur);
        let mut chain = self.nil();
        let mut in_chain = false;
        // Innermost first; a break goes before each `.name` that is called.
        for (i, link) in links.iter().enumerate().rev() {
            let called = i
                .checked_sub(1)
                .and_then(|j| links.get(j))
                .is_some_and(|n| matches!(n, Expr::Call { .. }));
            let piece = match link {
                Expr::Member { prop, optional, .. } => match prop {
                    MemberProp::Ident(id) | MemberProp::Private(id) => {
                        let dot = if *optional { self.t("?.") } else { self.t(".") };
                        let lead = self.leading(id.span.lo);
                        let p = dot.append(lead).append(self.ident(id));
                        if called {
                            in_chain = true;
                            self.soft().append(p)
                        } else {
                            p
                        }
                    }
                    MemberProp::Computed(x) => {
                        let q = if *optional { self.t("?.") } else { self.nil() };
                        let x = self.expr(x);
                        q.append(self.t("[")).append(x).append(self.t("]"))
                    }
                },
                Expr::Call {
                    type_args,
                    args,
                    optional,
                    span,
                    ..
                } => {
                    let q = if *optional { self.t("?.") } else { self.nil() };
                    let ta = self.type_args(type_args);
                    let a = self.args(args, span.hi);
                    q.append(ta).append(a)
                }
                Expr::NonNull { .. } => self.t("!"),
                _ => self.nil(),
            };
            if in_chain {
                chain = chain.append(piece);
            } else {
                d = d.append(piece);
            }
        }
        Some(d.append(chain.nest(self.indent)).group())
    }

    fn spread(&mut self, x: &ExprOrSpread) -> D<'a> {
        let lead = if x.spread {
            self.leading(x.expr.span().lo)
        } else {
            self.nil()
        };
        let e = self.expr(&x.expr);
        if x.spread {
            lead.append(self.t("...")).append(e)
        } else {
            e
        }
    }

    fn template(&mut self, t: &Template) -> D<'a> {
        let mut d = self.t("`");
        for (i, q) in t.quasis.iter().enumerate() {
            d = d.append(self.raw(&q.raw));
            if let Some(e) = t.exprs.get(i) {
                let e = self.expr(e);
                let dangling = self.leading(t.quasis.get(i + 1).map_or(t.span.hi, |q| q.span.lo));
                d = d
                    .append(self.t("${"))
                    .append(e)
                    .append(dangling)
                    .append(self.t("}"));
            }
        }
        d.append(self.t("`"))
    }

    fn binary(&mut self, e: &Expr) -> D<'a> {
        // A left-leaning chain of one precedence level prints as one group.
        let Expr::Binary { op, .. } = e else {
            return self.expr(e);
        };
        let level = precedence(*op);
        let flat = std::mem::take(&mut self.flat_binary);
        let mut ops = Vec::new();
        let mut cur = e;
        while let Expr::Binary {
            op, left, right, ..
        } = cur
        {
            if precedence(*op) != level {
                break;
            }
            ops.push((*op, &**right));
            cur = left;
        }
        let first = self.expr(cur);
        let mut hi = cur.span().hi;
        let mut rest = self.nil();
        for (op, right) in ops.into_iter().rev() {
            let text = binary_op(op);
            let line_comment = self.line_comment_after(hi, right.span().lo, text);
            let after = self.inline_after(hi, right.span().lo, text);
            rest = if line_comment {
                // `а + // шарҳ` then the operand on the next line.
                rest.append(self.t(" "))
                    .append(self.t(binary_op(op)))
                    .append(after)
            } else {
                rest.append(after)
                    .append(self.t(" "))
                    .append(self.t(binary_op(op)))
                    .append(self.line())
            };
            let r = self.expr(right);
            hi = right.span().hi;
            rest = rest.append(r);
        }
        if flat {
            first.append(rest).group()
        } else {
            first.append(rest.nest(self.indent)).group()
        }
    }

    fn args(&mut self, args: &[ExprOrSpread], end: u32) -> D<'a> {
        let hug = match args.split_last() {
            Some((last, init)) => {
                !last.spread
                    && huggable(&last.expr)
                    && init.iter().all(|a| is_simple_arg(&a.expr))
                    && !self.has_comments_before(last.expr.span().lo)
            }
            None => false,
        };
        let hug_first =
            args.len() >= 2 && args.first().is_some_and(|a| {
                !a.spread
                    && matches!(&a.expr, Expr::Arrow(x) if matches!(x.body, ArrowBody::Block(_)))
                    || matches!(a.expr, Expr::Function(_))
            }) && args.iter().skip(1).all(|a| is_simple_arg(&a.expr))
                && !self.has_comments_before(end);
        if hug || hug_first {
            let mut docs = Vec::with_capacity(args.len());
            for a in args {
                docs.push(self.spread(a));
            }
            let dangling = self.leading(end.saturating_sub(1));
            return self
                .t("(")
                .append(self.join(docs, self.t(", ")))
                .append(dangling)
                .append(self.t(")"));
        }
        let mut docs = Vec::with_capacity(args.len());
        let end = end.saturating_sub(1);
        for (i, a) in args.iter().enumerate() {
            let d = self.spread(a);
            let limit = args.get(i + 1).map_or(end, |n| n.expr.span().lo);
            let (after, line) = self.after_elem(a.expr.span().hi, limit);
            docs.push((d, after, line));
        }
        self.list("(", ")", docs, end, Comma::IfBreak, false, false)
    }

    fn object(&mut self, props: &[Prop], span: Span) -> D<'a> {
        let end = span.hi.saturating_sub(1);
        // An object written with a line break after `{` stays expanded.
        let expanded = self
            .src
            .get(span.lo as usize + 1..)
            .and_then(|rest| {
                let first = props.first().map(|p| self.prop_lo(p))?;
                rest.get(..(first as usize).saturating_sub(span.lo as usize + 1))
            })
            .is_some_and(|gap| gap.contains(['\n', '\r']));
        let mut docs = Vec::with_capacity(props.len());
        for (i, p) in props.iter().enumerate() {
            let d = self.prop(p);
            let limit = props.get(i + 1).map_or(end, |n| self.prop_lo(n));
            let (after, line) = self.after_elem(self.prop_hi(p), limit);
            docs.push((d, after, line));
        }
        self.list("{", "}", docs, end, Comma::IfBreak, true, expanded)
    }

    fn prop_hi(&self, p: &Prop) -> u32 {
        match p {
            Prop::KeyValue { value, .. } => value.span().hi,
            Prop::Method { function, .. } => function.span.hi,
            Prop::Shorthand(i) => i.span.hi,
            Prop::Spread(e) => e.span().hi,
        }
    }

    fn prop_lo(&self, p: &Prop) -> u32 {
        match p {
            Prop::KeyValue { key, .. } | Prop::Method { key, .. } => key.span().lo,
            Prop::Shorthand(i) => i.span.lo,
            Prop::Spread(e) => e.span().lo.saturating_sub(3),
        }
    }

    fn prop(&mut self, p: &Prop) -> D<'a> {
        let lead = self.leading(self.prop_lo(p));
        let d = match p {
            Prop::KeyValue { key, value } => {
                let k = self.prop_name(key);
                let v = self.expr(value);
                k.append(self.t(": ")).append(v)
            }
            Prop::Shorthand(i) => self.ident(i),
            Prop::Method {
                key,
                kind,
                function,
            } => {
                let mut d = match kind {
                    MethodKind::Getter => self.t("гир "),
                    MethodKind::Setter => self.t("гузор "),
                    MethodKind::Method => self.nil(),
                };
                if function.is_async {
                    d = d.append(self.t("ҳамзамон "));
                }
                if function.is_generator {
                    d = d.append(self.t("*"));
                }
                let k = self.prop_name(key);
                let f = self.function(function, None);
                d.append(k).append(f)
            }
            Prop::Spread(e) => {
                let e = self.expr(e);
                self.t("...").append(e)
            }
        };
        lead.append(d)
    }

    // ---------------------------------------------------------- patterns

    fn pat(&mut self, p: &Pat) -> D<'a> {
        stacker::maybe_grow(128 * 1024, 2 * 1024 * 1024, || {
            let lead = self.leading(p.span().lo);
            lead.append(self.pat_inner(p))
        })
    }

    fn annotation(&mut self, ty: Option<&Type>) -> D<'a> {
        match ty {
            Some(t) => self.t(": ").append(self.ty(t)),
            None => self.nil(),
        }
    }

    fn pat_inner(&mut self, p: &Pat) -> D<'a> {
        match p {
            Pat::Ident {
                ident,
                ty,
                optional,
            } => {
                let mut d = self.ident(ident);
                if *optional {
                    d = d.append(self.t("?"));
                }
                d.append(self.annotation(ty.as_deref()))
            }
            Pat::Array { elems, ty, span } => {
                let mut docs = Vec::with_capacity(elems.len());
                for el in elems {
                    docs.push(match el {
                        Some(x) => self.pat(x),
                        None => self.nil(),
                    });
                }
                let hole_last = matches!(elems.last(), Some(None));
                let last_rest = matches!(elems.last(), Some(Some(Pat::Rest { .. })));
                let dangling = self.leading(span.hi.saturating_sub(1));
                let list = if docs.is_empty() {
                    self.t("[").append(dangling).append(self.t("]"))
                } else {
                    let sep = self.t(",").append(self.line());
                    let comma = if hole_last {
                        self.t(",")
                    } else if last_rest {
                        self.nil()
                    } else {
                        self.trailing_comma()
                    };
                    self.t("[")
                        .append(
                            self.soft()
                                .append(self.join(docs, sep))
                                .append(comma)
                                .append(dangling)
                                .nest(self.indent),
                        )
                        .append(self.soft())
                        .append(self.t("]"))
                        .group()
                };
                list.append(self.annotation(ty.as_deref()))
            }
            Pat::Object { props, ty, span } => {
                let mut docs = Vec::with_capacity(props.len());
                for pp in props {
                    docs.push(match pp {
                        ObjectPatProp::KeyValue { key, value } => {
                            let lead = self.leading(key.span().lo);
                            let k = self.prop_name(key);
                            let v = self.pat(value);
                            lead.append(k).append(self.t(": ")).append(v)
                        }
                        ObjectPatProp::Shorthand { ident, default } => {
                            let lead = self.leading(ident.span.lo);
                            let i = self.ident(ident);
                            match default {
                                Some(d) => lead.append(self.assignment(i, "=", d)),
                                None => lead.append(i),
                            }
                        }
                        ObjectPatProp::Rest(r) => {
                            let r = self.pat(r);
                            self.t("...").append(r)
                        }
                    });
                }
                let last_rest = matches!(props.last(), Some(ObjectPatProp::Rest(_)));
                let dangling = self.leading(span.hi.saturating_sub(1));
                let list = if docs.is_empty() {
                    self.t("{").append(dangling).append(self.t("}"))
                } else {
                    let sep = self.t(",").append(self.line());
                    let comma = if last_rest {
                        self.nil()
                    } else {
                        self.trailing_comma()
                    };
                    self.t("{")
                        .append(
                            self.line()
                                .append(self.join(docs, sep))
                                .append(comma)
                                .append(dangling)
                                .nest(self.indent),
                        )
                        .append(self.line())
                        .append(self.t("}"))
                        .group()
                };
                list.append(self.annotation(ty.as_deref()))
            }
            Pat::Rest { arg, ty, .. } => {
                let a = self.pat(arg);
                self.t("...")
                    .append(a)
                    .append(self.annotation(ty.as_deref()))
            }
            Pat::Assign { left, right, .. } => {
                let l = self.pat(left);
                self.assignment(l, "=", right)
            }
            Pat::Expr(e) => self.expr(e),
        }
    }

    // ------------------------------------------------------------- types

    fn type_params(&mut self, tps: &[TypeParam]) -> D<'a> {
        if tps.is_empty() {
            return self.nil();
        }
        let mut docs = Vec::with_capacity(tps.len());
        for tp in tps {
            let lead = self.leading(tp.name.span.lo);
            let mut d = lead.append(self.ident(&tp.name));
            if let Some(c) = &tp.constraint {
                d = d.append(self.t(" мерос ")).append(self.ty(c));
            }
            if let Some(x) = &tp.default {
                d = d.append(self.t(" = ")).append(self.ty(x));
            }
            docs.push(d);
        }
        self.angle_list(docs)
    }

    fn type_args(&mut self, tys: &[Type]) -> D<'a> {
        if tys.is_empty() {
            return self.nil();
        }
        let docs: Vec<D<'a>> = tys.iter().map(|t| self.ty(t)).collect();
        self.angle_list(docs)
    }

    fn angle_list(&self, docs: Vec<D<'a>>) -> D<'a> {
        let sep = self.t(",").append(self.line());
        self.t("<")
            .append(
                self.soft()
                    .append(self.join(docs, sep))
                    .append(self.trailing_comma())
                    .nest(self.indent),
            )
            .append(self.soft())
            .append(self.t(">"))
            .group()
    }

    fn ty(&mut self, t: &Type) -> D<'a> {
        stacker::maybe_grow(128 * 1024, 2 * 1024 * 1024, || {
            let lead = self.leading(t.span().lo);
            lead.append(self.ty_inner(t))
        })
    }

    fn ty_inner(&mut self, t: &Type) -> D<'a> {
        match t {
            Type::Keyword(k, _) => self.t(type_keyword(*k)),
            Type::Ref { name, args, .. } => {
                let parts: Vec<D<'a>> = name.iter().map(|i| self.ident(i)).collect();
                let n = self.join(parts, self.t("."));
                n.append(self.type_args(args))
            }
            Type::StrLit(_, s) | Type::NumLit(_, s) | Type::BigIntLit(s) => self.verbatim(*s),
            Type::TemplateLit(s) | Type::Mapped(s) | Type::Predicate(s) => self.tokens_text(*s),
            Type::BoolLit(true, _) => self.t("дуруст"),
            Type::BoolLit(false, _) => self.t("нодуруст"),
            Type::Array(inner, _) => {
                let i = self.ty(inner);
                i.append(self.t("[]"))
            }
            Type::Tuple(elems, span) => self.tuple(elems, *span),
            Type::Union(tys, _) => {
                let docs = self.union_docs(tys);
                let sep = self.line().append(self.t("| "));
                self.join(docs, sep).nest(self.indent).group()
            }
            Type::Intersection(tys, _) => {
                let docs: Vec<D<'a>> = tys.iter().map(|t| self.ty(t)).collect();
                self.join(docs, self.t(" & "))
            }
            Type::Function {
                type_params,
                params,
                ret,
                is_constructor,
                span,
            } => {
                let head = if *is_constructor {
                    self.t("нав ")
                } else {
                    self.nil()
                };
                let tp = self.type_params(type_params);
                let ps = self.params(params, span.hi);
                let r = self.ty(ret);
                head.append(tp).append(ps).append(self.t(" => ")).append(r)
            }
            Type::Object(members, span) => {
                let end = span.hi.saturating_sub(1);
                let mut docs = Vec::with_capacity(members.len());
                for (i, m) in members.iter().enumerate() {
                    let d = self.type_member(m);
                    let limit = members.get(i + 1).map_or(end, |n| type_member_span(n).lo);
                    let (after, line) = self.after_elem(type_member_span(m).hi, limit);
                    docs.push((d, after, line));
                }
                self.list_sep("{", "}", ";", docs, end, Comma::IfBreak, true, false)
            }
            Type::Paren(inner, _) => {
                let i = self.ty(inner);
                self.t("(").append(i).append(self.t(")"))
            }
            Type::Typeof(path, _) => {
                let parts: Vec<D<'a>> = path.iter().map(|i| self.ident(i)).collect();
                self.t("навъи ").append(self.join(parts, self.t(".")))
            }
            Type::Keyof(inner, _) => {
                let i = self.ty(inner);
                self.t("калидҳои ").append(i)
            }
            Type::Readonly(inner, _) => {
                let i = self.ty(inner);
                self.t("танҳохонӣ ").append(i)
            }
            Type::Unique(inner, _) => {
                let i = self.ty(inner);
                self.t("беназир ").append(i)
            }
            Type::IndexedAccess(obj, idx, _) => {
                let o = self.ty(obj);
                let i = self.ty(idx);
                o.append(self.t("[")).append(i).append(self.t("]"))
            }
            Type::Conditional {
                check,
                extends,
                true_ty,
                false_ty,
                ..
            } => {
                let c = self.ty(check);
                let e = self.ty(extends);
                let tt = self.ty(true_ty);
                let ft = self.ty(false_ty);
                c.append(self.t(" мерос "))
                    .append(e)
                    .append(
                        self.line()
                            .append(self.t("? "))
                            .append(tt)
                            .append(self.line())
                            .append(self.t(": "))
                            .append(ft)
                            .nest(self.indent),
                    )
                    .group()
            }
            Type::Infer(i, _) => self.t("инфер ").append(self.ident(i)),
        }
    }

    fn union_docs(&mut self, tys: &[Type]) -> Vec<D<'a>> {
        tys.iter().map(|t| self.ty(t)).collect()
    }

    fn tuple(&mut self, elems: &[TupleElem], span: Span) -> D<'a> {
        let mut docs = Vec::with_capacity(elems.len());
        let mut from = span.lo + 1;
        for el in elems {
            let lo = el.ty.span().lo;
            let Some(gap) = self.src.get(from as usize..lo as usize) else {
                return self.verbatim(span);
            };
            if gap.contains("//") || gap.contains("/*") {
                return self.verbatim(span);
            }
            // What was written before the type: `,`, a name, `...`, `?:`.
            let gap = gap.split_once(',').map_or(gap, |(_, g)| g);
            let prefix: String = gap.chars().filter(|c| !c.is_whitespace()).collect();
            let mut d = if prefix.is_empty() {
                if el.rest {
                    self.t("...")
                } else {
                    self.nil()
                }
            } else if prefix.ends_with(':') {
                self.s(prefix.clone() + " ")
            } else {
                self.s(prefix.clone())
            };
            d = d.append(self.ty(&el.ty));
            if el.optional && !prefix.contains('?') {
                d = d.append(self.t("?"));
            }
            docs.push(d);
            from = el.ty.span().hi;
        }
        let dangling = self.leading(span.hi.saturating_sub(1));
        if docs.is_empty() {
            return self.t("[").append(dangling).append(self.t("]"));
        }
        let sep = self.t(",").append(self.line());
        self.t("[")
            .append(
                self.soft()
                    .append(self.join(docs, sep))
                    .append(self.trailing_comma())
                    .append(dangling)
                    .nest(self.indent),
            )
            .append(self.soft())
            .append(self.t("]"))
            .group()
    }
}

/// Whether a broken list ends with a comma.
#[derive(Clone, Copy)]
enum Comma {
    IfBreak,
    Always,
    Never,
}

/// One item of a list printed by [`Printer::lines`].
struct Item<'a> {
    span: Span,
    doc: D<'a>,
}
