//! Statements, declarations, classes and modules.

use super::{Ctx, Fatal, PResult, Parser};
use crate::ast::*;
use crate::keywords::Kw;
use crate::token::{TokenKind, TokenValue, P};
use somon_diagnostics::{Message, Span};

impl<'s> Parser<'s> {
    /// The items of a file or a namespace body, up to the end of file.
    pub fn parse_module_items(&mut self) -> Vec<Stmt> {
        let mut body = Vec::new();
        while !self.at_eof() && !self.aborted {
            self.module_item_into(&mut body);
        }
        body
    }

    /// One top-level statement (a stray `}` is reported and skipped).
    pub fn module_item_into(&mut self, out: &mut Vec<Stmt>) {
        if self.at(P::RBrace) {
            let _ = self.unexpected();
            self.advance(1);
            return;
        }
        self.statement_into(out);
    }

    /// Parses one statement, recovering from errors, and appends it.
    pub fn statement_into(&mut self, out: &mut Vec<Stmt>) {
        let start = self.pos;
        match self.parse_stmt() {
            Ok(s) => out.push(s),
            Err(Fatal) => {
                if !self.aborted {
                    self.recover_statement(start);
                }
            }
        }
        if self.pos == start && !self.aborted && !self.at_eof() {
            // Guarantee progress.
            self.advance(1);
        }
    }

    /// `{ … }`
    pub fn parse_block(&mut self) -> PResult<Block> {
        let lo = self.cur().span.lo;
        if !self.at(P::LBrace) {
            self.expect(P::LBrace);
            return Err(Fatal);
        }
        self.nested(|p| {
            p.advance(1);
            let mut stmts = Vec::new();
            while !p.at(P::RBrace) && !p.at_eof() && !p.aborted {
                p.statement_into(&mut stmts);
            }
            if p.aborted {
                return Err(Fatal);
            }
            p.expect_closing(P::RBrace, lo);
            Ok(Block {
                stmts,
                span: p.span_from(lo),
            })
        })
    }

    pub fn parse_stmt(&mut self) -> PResult<Stmt> {
        self.nested(Self::parse_stmt_inner)
    }

    fn parse_stmt_inner(&mut self) -> PResult<Stmt> {
        self.hint_statement_keyword();
        let t = *self.cur();
        let lo = t.span.lo;
        match t.kind {
            TokenKind::Punct(P::LBrace) => return Ok(Stmt::Block(self.parse_block()?)),
            TokenKind::Punct(P::Semi) => {
                self.advance(1);
                return Ok(Stmt::Empty(t.span));
            }
            TokenKind::Word => {}
            _ => return self.parse_expr_stmt(),
        }
        let next = *self.nth(1);
        match t.kw {
            Some(Kw::Let) => {
                let d = self.parse_var_decl(false)?;
                self.semicolon();
                Ok(Stmt::Var(d))
            }
            Some(Kw::Const) => {
                if next.is_kw(Kw::Enum) {
                    self.advance(1);
                    return self.parse_enum(lo, true);
                }
                let d = self.parse_var_decl(false)?;
                self.semicolon();
                Ok(Stmt::Var(d))
            }
            Some(Kw::Function) => Ok(Stmt::Function(Box::new(self.parse_function(false, true)?))),
            Some(Kw::Async) if next.is_kw(Kw::Function) && !next.nl_before => {
                Ok(Stmt::Function(Box::new(self.parse_function(false, true)?)))
            }
            Some(Kw::Class) => Ok(Stmt::Class(Box::new(self.parse_class(false, true)?))),
            Some(Kw::Abstract) if next.is_kw(Kw::Class) => {
                Ok(Stmt::Class(Box::new(self.parse_class(false, true)?)))
            }
            Some(Kw::Interface) => Ok(Stmt::Interface(Box::new(self.parse_interface()?))),
            Some(Kw::Type)
                if next.kind == TokenKind::Word && !next.nl_before && {
                    let n2 = self.nth(2);
                    n2.is(P::Eq) || n2.is(P::Lt)
                } =>
            {
                Ok(Stmt::TypeAlias(Box::new(self.parse_type_alias()?)))
            }
            Some(Kw::Enum) if next.kind == TokenKind::Word && self.nth(2).is(P::LBrace) => {
                self.parse_enum(lo, false)
            }
            Some(Kw::Namespace)
                if next.kind == TokenKind::Word
                    && (self.nth(2).is(P::LBrace) || self.nth(2).is(P::Dot)) =>
            {
                Ok(Stmt::Namespace(Box::new(self.parse_namespace()?)))
            }
            Some(Kw::Import) if !next.is(P::LParen) && !next.is(P::Dot) => {
                Ok(Stmt::Import(Box::new(self.parse_import()?)))
            }
            Some(Kw::Export) => Ok(Stmt::Export(Box::new(self.parse_export()?))),
            Some(Kw::If) => self.parse_if(),
            Some(Kw::For) => self.parse_for(),
            Some(Kw::While) if next.is(P::LParen) => {
                self.advance(1);
                let test = self.paren_expr()?;
                let body = self.loop_body()?;
                Ok(Stmt::While {
                    test,
                    body: Box::new(body),
                    span: self.span_from(lo),
                })
            }
            Some(Kw::Do) if next.is(P::LBrace) || self.do_while_follows() => {
                self.advance(1);
                let body = self.loop_body()?;
                self.hint_keyword_here(Kw::While, |p| p.nth(1).is(P::LParen));
                self.expect_kw(Kw::While, "то");
                let test = self.paren_expr()?;
                // `иҷро … то (…)` may be followed by a statement on the same line.
                self.eat(P::Semi);
                Ok(Stmt::DoWhile {
                    body: Box::new(body),
                    test,
                    span: self.span_from(lo),
                })
            }
            Some(Kw::Return) => {
                self.advance(1);
                let arg = if self.at(P::Semi)
                    || self.at(P::RBrace)
                    || self.at_eof()
                    || self.cur().nl_before
                {
                    None
                } else {
                    Some(self.parse_expr()?)
                };
                self.semicolon();
                Ok(Stmt::Return {
                    arg,
                    span: self.span_from(lo),
                })
            }
            Some(Kw::Break) | Some(Kw::Continue) => self.parse_break_continue(),
            Some(Kw::Throw) => {
                self.advance(1);
                if self.cur().nl_before {
                    let _ = self.unexpected();
                }
                let arg = self.parse_expr()?;
                self.semicolon();
                Ok(Stmt::Throw {
                    arg,
                    span: self.span_from(lo),
                })
            }
            Some(Kw::Try) => self.parse_try(),
            Some(Kw::Switch) => self.parse_switch(),
            Some(Kw::Else) => Err(self.unexpected()),
            _ if next.is(P::Colon) && self.at_ident() => {
                let label = self.binding_ident()?;
                self.advance(1);
                let is_loop = self.at_kw(Kw::For) || self.at_kw(Kw::While) || self.at_kw(Kw::Do);
                self.ctx.labels.push((label.name.clone(), is_loop));
                let body = self.parse_sub_stmt();
                self.ctx.labels.pop();
                Ok(Stmt::Labeled {
                    label,
                    body: Box::new(body?),
                    span: self.span_from(lo),
                })
            }
            _ => self.parse_expr_stmt(),
        }
    }

    /// `иҷро` is contextual: it starts a do-while only when a statement
    /// follows that is itself followed by `то`.
    fn do_while_follows(&mut self) -> bool {
        let next = self.nth(1);
        let plausible = match next.kind {
            TokenKind::Word => !matches!(next.kw, Some(Kw::In | Kw::Instanceof | Kw::As)),
            TokenKind::Punct(p) => matches!(
                p,
                P::PlusPlus | P::MinusMinus | P::LParen | P::LBracket | P::Semi
            ),
            _ => false,
        };
        if !plausible {
            return false;
        }
        // Look ahead only: parse the body, check for `то`, then rewind.
        let cp = self.checkpoint();
        let depth = self.depth;
        self.speculating += 1;
        self.advance(1);
        let ok = self.loop_body().is_ok() && self.at_kw(Kw::While) && !self.aborted;
        self.speculating -= 1;
        self.depth = depth;
        if !self.aborted {
            self.rewind(cp);
        }
        ok
    }

    fn parse_expr_stmt(&mut self) -> PResult<Stmt> {
        let lo = self.cur().span.lo;
        let expr = self.parse_expr()?;
        self.semicolon();
        Ok(Stmt::Expr(expr, self.span_from(lo)))
    }

    pub fn paren_expr(&mut self) -> PResult<Expr> {
        self.expect(P::LParen);
        let e = self.parse_expr()?;
        self.expect(P::RParen);
        Ok(e)
    }

    /// A statement that is the whole body of `агар`/`вагарна`, a loop or
    /// a label: a `тағ`, `собит` or `синф` declaration there is an error
    /// (JavaScript refuses it; TypeScript's TS1156), reported at its
    /// keyword. The statement is kept, so checking goes on.
    fn parse_sub_stmt(&mut self) -> PResult<Stmt> {
        let stmt = self.parse_stmt()?;
        let keyword = match &stmt {
            Stmt::Var(v) => Some((
                match v.kind {
                    VarKind::Let => "тағ",
                    VarKind::Const => "собит",
                },
                v.keyword_span,
            )),
            Stmt::Class(c) => Some((
                "синф",
                c.name.as_ref().map_or(Span::at(c.span.lo), |n| n.span),
            )),
            _ => None,
        };
        if let Some((keyword, span)) = keyword {
            self.error(
                Message::DeclarationNeedsBlock {
                    keyword: keyword.into(),
                },
                span,
            );
        }
        Ok(stmt)
    }

    fn loop_body(&mut self) -> PResult<Stmt> {
        self.ctx.loop_depth += 1;
        let r = self.parse_sub_stmt();
        self.ctx.loop_depth -= 1;
        r
    }

    /// `тағ`/`собит` declarations with one or more declarators. `in_for`
    /// allows a missing initializer for `собит` (for-in/of heads) and
    /// disallows the `дар` operator in initializers.
    pub fn parse_var_decl(&mut self, in_for: bool) -> PResult<VarDecl> {
        let kw = self.bump();
        let kind = if kw.kw == Some(Kw::Const) {
            VarKind::Const
        } else {
            VarKind::Let
        };
        let mut decls = Vec::new();
        loop {
            let lo = self.cur().span.lo;
            let pat = self.parse_binding_pattern(true)?;
            let init = if self.eat(P::Eq) {
                Some(if in_for {
                    self.parse_assign_no_in()?
                } else {
                    self.parse_assign()?
                })
            } else {
                None
            };
            if in_for {
                self.hint_for_of_in();
            }
            let is_for_head = in_for && (self.at_kw(Kw::From) || self.at_kw(Kw::In));
            if init.is_none() && !is_for_head {
                if kind == VarKind::Const {
                    let name = match &pat {
                        Pat::Ident { ident, .. } => ident.name.to_string(),
                        _ => String::new(),
                    };
                    self.error(Message::ConstWithoutInitializer { name }, pat.span());
                } else if !matches!(pat, Pat::Ident { .. }) {
                    let found = self.found();
                    let span = self.cur().span;
                    self.error(
                        Message::Expected {
                            expected: "`=`".into(),
                            found,
                        },
                        span,
                    );
                }
            }
            decls.push(VarDeclarator {
                pat,
                init,
                span: self.span_from(lo),
            });
            if !self.eat(P::Comma) {
                break;
            }
        }
        Ok(VarDecl {
            kind,
            decls,
            span: self.span_from(kw.span.lo),
            keyword_span: kw.span,
        })
    }

    /// `агар (…) … [вагарна агар (…) …]* [вагарна …]`. An `вагарна агар`
    /// chain is read in a loop, so its length does not count towards the
    /// nesting limit (generated code has thousands of branches); the tree
    /// is the usual right-nested one.
    fn parse_if(&mut self) -> PResult<Stmt> {
        let mut branches: Vec<(u32, Expr, Stmt)> = Vec::new();
        let mut alt = None;
        loop {
            let lo = self.bump().span.lo;
            let test = self.paren_expr()?;
            let cons = self.parse_sub_stmt()?;
            branches.push((lo, test, cons));
            self.hint_else();
            if !self.eat_kw(Kw::Else) {
                break;
            }
            self.hint_statement_keyword();
            if !self.at_kw(Kw::If) {
                alt = Some(Box::new(self.parse_sub_stmt()?));
                break;
            }
        }
        let hi = self.prev_end();
        let mut stmt = None;
        while let Some((lo, test, cons)) = branches.pop() {
            let alt = match stmt.take() {
                Some(inner) => Some(Box::new(inner)),
                None => alt.take(),
            };
            stmt = Some(Stmt::If {
                test,
                cons: Box::new(cons),
                alt,
                span: Span::new(lo, hi.max(lo)),
            });
        }
        stmt.ok_or(Fatal)
    }

    fn parse_for(&mut self) -> PResult<Stmt> {
        let lo = self.bump().span.lo;
        let is_await = if self.at_kw(Kw::Await) {
            let t = self.bump();
            if !self.ctx.in_async {
                self.awaits_outside_async
                    .push((t.span, !self.ctx.in_function));
            }
            true
        } else {
            false
        };
        self.expect(P::LParen);
        let mut init = None;
        self.hint_for_declaration();
        if self.at(P::Semi) {
        } else if self.at_kw(Kw::Let) || self.at_kw(Kw::Const) {
            let decl = self.parse_var_decl(true)?;
            self.hint_for_of_in();
            if (self.at_kw(Kw::From) || self.at_kw(Kw::In)) && decl.decls.len() == 1 {
                let (kind, span) = (decl.kind, decl.span);
                let pat = decl.decls.into_iter().next().map(|d| d.pat).ok_or(Fatal)?;
                return self.finish_for_in_of(lo, is_await, ForHead::Var(kind, pat, span));
            }
            init = Some(ForInit::Var(decl));
        } else {
            let e = self.parse_expr_no_in()?;
            self.hint_for_of_in();
            if self.at_kw(Kw::From) || self.at_kw(Kw::In) {
                let pat = self.expr_to_pat(e)?;
                return self.finish_for_in_of(lo, is_await, ForHead::Pat(pat));
            }
            init = Some(ForInit::Expr(e));
        }
        self.expect(P::Semi);
        let test = if self.at(P::Semi) {
            None
        } else {
            Some(self.parse_expr()?)
        };
        self.expect(P::Semi);
        let update = if self.at(P::RParen) {
            None
        } else {
            Some(self.parse_expr()?)
        };
        self.expect(P::RParen);
        let body = self.loop_body()?;
        Ok(Stmt::For {
            init: init.map(Box::new),
            test: test.map(Box::new),
            update: update.map(Box::new),
            body: Box::new(body),
            span: self.span_from(lo),
        })
    }

    fn finish_for_in_of(&mut self, lo: u32, is_await: bool, left: ForHead) -> PResult<Stmt> {
        let is_of = self.bump().kw == Some(Kw::From);
        let right = if is_of {
            self.parse_assign()?
        } else {
            self.parse_expr()?
        };
        self.expect(P::RParen);
        let body = Box::new(self.loop_body()?);
        let span = self.span_from(lo);
        Ok(if is_of {
            Stmt::ForOf {
                is_await,
                left: Box::new(left),
                right,
                body,
                span,
            }
        } else {
            Stmt::ForIn {
                left: Box::new(left),
                right,
                body,
                span,
            }
        })
    }

    fn parse_break_continue(&mut self) -> PResult<Stmt> {
        let t = self.bump();
        let is_break = t.kw == Some(Kw::Break);
        let label = if self.at_ident() && !self.cur().nl_before {
            let l = self.binding_ident()?;
            let known = self.ctx.labels.iter().rev().find(|(n, _)| **n == *l.name);
            match known {
                None => self.error(
                    Message::UndefinedLabel {
                        label: l.name.to_string(),
                    },
                    l.span,
                ),
                Some((_, false)) if !is_break => self.error(Message::ContinueOutsideLoop, t.span),
                _ => {}
            }
            Some(l)
        } else {
            None
        };
        if label.is_none() {
            if is_break && self.ctx.loop_depth == 0 && self.ctx.switch_depth == 0 {
                self.error(Message::BreakOutsideLoop, t.span);
            } else if !is_break && self.ctx.loop_depth == 0 {
                self.error(Message::ContinueOutsideLoop, t.span);
            }
        }
        self.semicolon();
        let span = self.span_from(t.span.lo);
        Ok(if is_break {
            Stmt::Break { label, span }
        } else {
            Stmt::Continue { label, span }
        })
    }

    fn parse_try(&mut self) -> PResult<Stmt> {
        let t = self.bump();
        let block = self.parse_block()?;
        let mut handler = None;
        self.hint_keyword_here(Kw::Catch, |p| {
            p.nth(1).is(P::LParen) || p.nth(1).is(P::LBrace)
        });
        if self.at_kw(Kw::Catch) {
            let clo = self.bump().span.lo;
            let param = if self.eat(P::LParen) {
                let p = self.parse_binding_pattern(true)?;
                self.expect(P::RParen);
                Some(p)
            } else {
                None
            };
            let body = self.parse_block()?;
            handler = Some(CatchClause {
                param,
                body,
                span: self.span_from(clo),
            });
        }
        self.hint_keyword_here(Kw::Finally, |p| p.nth(1).is(P::LBrace));
        let finalizer = if self.eat_kw(Kw::Finally) {
            Some(self.parse_block()?)
        } else {
            None
        };
        if handler.is_none() && finalizer.is_none() {
            let found = self.found();
            let span = self.cur().span;
            self.error(
                Message::Expected {
                    expected: "`гирифтан` / `ниҳоят`".into(),
                    found,
                },
                span,
            );
        }
        Ok(Stmt::Try {
            block,
            handler: handler.map(Box::new),
            finalizer,
            span: self.span_from(t.span.lo),
        })
    }

    fn parse_switch(&mut self) -> PResult<Stmt> {
        let lo = self.bump().span.lo;
        let disc = self.paren_expr()?;
        self.expect_or_fail(P::LBrace)?;
        let mut cases = Vec::new();
        let mut seen_default = false;
        self.ctx.switch_depth += 1;
        while !self.at(P::RBrace) && !self.at_eof() && !self.aborted {
            let clo = self.cur().span.lo;
            self.hint_keyword_here(Kw::Case, |_| true);
            self.hint_keyword_here(Kw::Default, |p| p.nth(1).is(P::Colon));
            let test = if self.at_kw(Kw::Case) {
                self.advance(1);
                Some(self.parse_expr()?)
            } else if self.at_kw(Kw::Default) {
                let d = self.bump();
                if seen_default {
                    self.error(Message::DuplicateDefault, d.span);
                }
                seen_default = true;
                None
            } else {
                self.ctx.switch_depth -= 1;
                return Err(self.unexpected());
            };
            self.expect(P::Colon);
            let mut cons = Vec::new();
            while !self.at(P::RBrace)
                && !self.at_kw(Kw::Case)
                && !self.at_kw(Kw::Default)
                && !self.at_eof()
                && !self.aborted
            {
                self.statement_into(&mut cons);
            }
            cases.push(SwitchCase {
                test,
                cons,
                span: self.span_from(clo),
            });
        }
        self.ctx.switch_depth -= 1;
        self.expect(P::RBrace);
        Ok(Stmt::Switch {
            disc,
            cases,
            span: self.span_from(lo),
        })
    }

    // --------------------------------------------------------- functions

    /// `[ҳамзамон] функсия[*] [ном]<…>(…)[: Т] {…}`
    pub fn parse_function(&mut self, is_expr: bool, require_body: bool) -> PResult<Function> {
        let lo = self.cur().span.lo;
        let is_async = self.eat_kw(Kw::Async);
        self.expect_kw(Kw::Function, "функсия");
        let is_generator = self.eat(P::Star);
        let name = if self.cur().kind == TokenKind::Word && !self.at(P::LParen) {
            Some(self.binding_ident()?)
        } else {
            if !is_expr {
                return Err(self.unexpected());
            }
            None
        };
        self.parse_function_rest(lo, name, is_async, is_generator, require_body)
    }

    /// Type parameters, parameters, return type and body.
    pub fn parse_function_rest(
        &mut self,
        lo: u32,
        name: Option<Ident>,
        is_async: bool,
        is_generator: bool,
        require_body: bool,
    ) -> PResult<Function> {
        let type_params = self.parse_type_params_opt()?;
        let saved = std::mem::replace(
            &mut self.ctx,
            Ctx {
                in_function: true,
                in_async: is_async,
                in_generator: is_generator,
                ..Ctx::default()
            },
        );
        let r = (|| {
            let params = self.parse_params()?;
            let return_type = if self.eat(P::Colon) {
                Some(self.parse_return_type()?)
            } else {
                None
            };
            let body = if self.at(P::LBrace) || require_body {
                Some(self.parse_block()?)
            } else {
                self.semicolon();
                None
            };
            Ok((params, return_type, body))
        })();
        self.ctx = saved;
        let (params, return_type, body) = r?;
        Ok(Function {
            name,
            type_params,
            params,
            return_type,
            body,
            is_async,
            is_generator,
            span: self.span_from(lo),
        })
    }

    /// `( параметр, … )`
    pub fn parse_params(&mut self) -> PResult<Vec<Param>> {
        self.expect_or_fail(P::LParen)?;
        let mut params = Vec::new();
        while !self.at(P::RParen) && !self.at_eof() {
            let lo = self.cur().span.lo;
            let mut is_property = false;
            // Constructor parameter properties: `хосусӣ ном: сатр`.
            while matches!(
                self.cur().kw,
                Some(Kw::Public | Kw::Private | Kw::Protected | Kw::Readonly)
            ) && matches!(
                self.nth(1).kind,
                TokenKind::Word | TokenKind::Punct(P::LBrace | P::LBracket)
            ) {
                self.advance(1);
                is_property = true;
            }
            // `ин: Т` parameter (a TypeScript `this` type) is erased.
            if self.at_kw(Kw::This) && self.nth(1).is(P::Colon) {
                self.advance(2);
                self.parse_type()?;
                if !self.eat(P::Comma) {
                    break;
                }
                continue;
            }
            let pat = if self.eat(P::DotDotDot) {
                let arg = self.parse_binding_pattern(false)?;
                let ty = if self.eat(P::Colon) {
                    Some(Box::new(self.parse_type()?))
                } else {
                    None
                };
                if self.at(P::Comma) && !self.nth(1).is(P::RParen) {
                    let span = self.cur().span;
                    self.error(Message::InvalidRestPosition, span);
                }
                Pat::Rest {
                    arg: Box::new(arg),
                    ty,
                    span: self.span_from(lo),
                }
            } else {
                self.parse_binding_element()?
            };
            params.push(Param {
                pat,
                is_property,
                span: self.span_from(lo),
            });
            if !self.eat(P::Comma) {
                break;
            }
        }
        self.expect(P::RParen);
        Ok(params)
    }

    /// A binding pattern with an optional default: `х = 1`, `{а} = {}`.
    pub fn parse_binding_element(&mut self) -> PResult<Pat> {
        let lo = self.cur().span.lo;
        let pat = self.parse_binding_pattern(true)?;
        if self.eat(P::Eq) {
            let right = self.parse_assign()?;
            return Ok(Pat::Assign {
                left: Box::new(pat),
                right: Box::new(right),
                span: self.span_from(lo),
            });
        }
        Ok(pat)
    }

    /// `ном[?][: Т]`, `[а, б]`, `{а, б: в}`. With `annotated`, a type
    /// annotation may follow.
    pub fn parse_binding_pattern(&mut self, annotated: bool) -> PResult<Pat> {
        self.nested(|p| {
            let lo = p.cur().span.lo;
            let mut pat = if p.at(P::LBracket) {
                p.advance(1);
                let mut elems = Vec::new();
                while !p.at(P::RBracket) && !p.at_eof() {
                    if p.at(P::Comma) {
                        p.advance(1);
                        elems.push(None);
                        continue;
                    }
                    let elo = p.cur().span.lo;
                    let el = if p.eat(P::DotDotDot) {
                        let arg = p.parse_binding_pattern(false)?;
                        Pat::Rest {
                            arg: Box::new(arg),
                            ty: None,
                            span: p.span_from(elo),
                        }
                    } else {
                        p.parse_binding_element()?
                    };
                    elems.push(Some(el));
                    if !p.at(P::RBracket) && !p.expect(P::Comma) {
                        break;
                    }
                }
                p.expect(P::RBracket);
                Pat::Array {
                    elems,
                    ty: None,
                    span: p.span_from(lo),
                }
            } else if p.at(P::LBrace) {
                p.advance(1);
                let mut props = Vec::new();
                while !p.at(P::RBrace) && !p.at_eof() {
                    if p.eat(P::DotDotDot) {
                        props.push(ObjectPatProp::Rest(p.parse_binding_pattern(false)?));
                    } else if p.at_ident() && !p.nth(1).is(P::Colon) {
                        let ident = p.binding_ident()?;
                        let default = if p.eat(P::Eq) {
                            Some(p.parse_assign()?)
                        } else {
                            None
                        };
                        props.push(ObjectPatProp::Shorthand { ident, default });
                    } else {
                        let key = p.parse_prop_name()?;
                        p.expect(P::Colon);
                        let value = p.parse_binding_element()?;
                        props.push(ObjectPatProp::KeyValue { key, value });
                    }
                    if !p.at(P::RBrace) && !p.expect(P::Comma) {
                        break;
                    }
                }
                p.expect(P::RBrace);
                Pat::Object {
                    props,
                    ty: None,
                    span: p.span_from(lo),
                }
            } else {
                let ident = p.binding_ident()?;
                let optional = annotated && p.eat(P::Question);
                Pat::Ident {
                    ident,
                    ty: None,
                    optional,
                }
            };
            if annotated && p.eat(P::Colon) {
                let t = p.parse_type()?;
                match &mut pat {
                    Pat::Ident { ty, .. } | Pat::Array { ty, .. } | Pat::Object { ty, .. } => {
                        *ty = Some(Box::new(t))
                    }
                    _ => {}
                }
            }
            Ok(pat)
        })
    }

    // ----------------------------------------------------------- classes

    /// `[мавҳум] синф [Ном]<…> [мерос Асос<…>] [татбиқ И, …] { … }`
    pub fn parse_class(&mut self, is_expr: bool, _decl: bool) -> PResult<Class> {
        let lo = self.cur().span.lo;
        let is_abstract = self.eat_kw(Kw::Abstract);
        let keyword_span = self.cur().span;
        self.expect_kw(Kw::Class, "синф");
        let name = if self.cur().kind == TokenKind::Word
            && !self.at_kw(Kw::Extends)
            && !self.at_kw(Kw::Implements)
        {
            Some(self.binding_ident()?)
        } else {
            if !is_expr {
                return Err(self.unexpected());
            }
            None
        };
        let type_params = self.parse_type_params_opt()?;
        let mut super_class = None;
        let mut super_type_args = Vec::new();
        self.hint_keyword_here(Kw::Extends, |p| p.nth(1).kind == TokenKind::Word);
        if self.eat_kw(Kw::Extends) {
            // Any left-hand-side expression, calls included (`мерос
            // БоНом(Асос)`), as JavaScript's `extends`.
            super_class = Some(self.nested(Self::parse_postfix)?);
            if self.at(P::Lt) {
                super_type_args = self.parse_type_args()?;
            }
        }
        let mut implements = Vec::new();
        self.hint_keyword_here(Kw::Implements, |p| p.nth(1).kind == TokenKind::Word);
        if self.eat_kw(Kw::Implements) {
            loop {
                implements.push(self.parse_type_ref()?);
                if !self.eat(P::Comma) {
                    break;
                }
            }
        }
        let body_open = self.cur().span.lo;
        self.expect_or_fail(P::LBrace)?;
        let saved = std::mem::take(&mut self.ctx);
        self.private_scopes.push(Default::default());
        let mut members = Vec::new();
        while !self.at(P::RBrace) && !self.at_eof() && !self.aborted {
            if self.eat(P::Semi) {
                continue;
            }
            let start = self.pos;
            match self.nested(Self::parse_class_member) {
                Ok(m) => members.push(m),
                Err(Fatal) => {
                    if self.aborted {
                        break;
                    }
                    self.recover_member(start);
                }
            }
        }
        self.ctx = saved;
        if self.aborted {
            self.private_scopes.pop();
            return Err(Fatal);
        }
        if let Some(scope) = self.private_scopes.last_mut() {
            for m in &members {
                if let ClassMember::Method {
                    key: PropName::Private(i),
                    ..
                }
                | ClassMember::Field {
                    key: PropName::Private(i),
                    ..
                } = m
                {
                    scope.declared.insert(i.name.clone());
                }
            }
        }
        self.end_private_scope();
        self.expect_closing(P::RBrace, body_open);
        Ok(Class {
            name,
            type_params,
            super_class,
            super_type_args,
            implements,
            members,
            is_abstract,
            span: self.span_from(lo),
            keyword_span,
        })
    }

    /// Whether the current word is used as a modifier (followed on the same
    /// line by something that can be a member name).
    fn at_modifier(&self) -> bool {
        let next = self.nth(1);
        !next.nl_before
            && matches!(
                next.kind,
                TokenKind::Word
                    | TokenKind::Str
                    | TokenKind::Num
                    | TokenKind::PrivateName
                    | TokenKind::Punct(P::LBracket | P::Star)
            )
    }

    fn parse_class_member(&mut self) -> PResult<ClassMember> {
        let lo = self.cur().span.lo;
        let mut is_static = false;
        let mut is_abstract = false;
        let mut is_async = false;
        let mut kind = MethodKind::Method;
        loop {
            match self.cur().kw {
                Some(Kw::Public | Kw::Private | Kw::Protected | Kw::Readonly)
                    if self.at_modifier() =>
                {
                    self.advance(1)
                }
                Some(Kw::Static) if self.nth(1).is(P::LBrace) => {
                    self.advance(1);
                    let saved = std::mem::replace(
                        &mut self.ctx,
                        Ctx {
                            in_function: true,
                            ..Ctx::default()
                        },
                    );
                    let b = self.parse_block();
                    self.ctx = saved;
                    return Ok(ClassMember::StaticBlock(b?));
                }
                Some(Kw::Static) if self.at_modifier() => {
                    self.advance(1);
                    is_static = true;
                }
                Some(Kw::Abstract) if self.at_modifier() => {
                    self.advance(1);
                    is_abstract = true;
                }
                Some(Kw::Async) if self.at_modifier() => {
                    self.advance(1);
                    is_async = true;
                }
                // The reference allowed `функсия` before a method name.
                Some(Kw::Function) if self.at_modifier() => self.advance(1),
                _ => break,
            }
        }
        let is_generator = self.eat(P::Star);
        if matches!(self.cur().kw, Some(Kw::Get | Kw::Set)) && self.at_modifier() && !is_generator {
            kind = if self.bump().kw == Some(Kw::Get) {
                MethodKind::Getter
            } else {
                MethodKind::Setter
            };
        }
        // Index signature `[к: сатр]: Т;` — erased.
        if self.at(P::LBracket) && self.nth(1).kind == TokenKind::Word && self.nth(2).is(P::Colon) {
            self.advance(3);
            self.parse_type()?;
            self.expect(P::RBracket);
            self.expect(P::Colon);
            self.parse_type()?;
            self.semicolon();
            return Ok(ClassMember::IndexSignature(self.span_from(lo)));
        }
        if self.at_kw(Kw::Constructor) && self.nth(1).is(P::LParen) && kind == MethodKind::Method {
            let clo = self.bump().span.lo;
            let function = self.parse_function_rest(clo, None, false, false, false)?;
            return Ok(ClassMember::Constructor {
                function: Box::new(function),
                span: self.span_from(lo),
            });
        }
        let key = self.parse_prop_name()?;
        let is_optional = self.eat(P::Question);
        let is_definite = !is_optional && self.eat(P::Bang);
        if self.at(P::LParen) || self.at(P::Lt) {
            let function =
                self.parse_function_rest(key.span().lo, None, is_async, is_generator, false)?;
            if function.body.is_none() && !is_abstract {
                // An overload signature: erased like the abstract method.
            }
            return Ok(ClassMember::Method {
                key,
                kind,
                function: Box::new(function),
                is_static,
                is_abstract,
                is_optional,
                span: self.span_from(lo),
            });
        }
        if kind != MethodKind::Method || is_async || is_generator {
            return Err(self.unexpected());
        }
        let ty = if self.eat(P::Colon) {
            Some(self.parse_type()?)
        } else {
            None
        };
        let value = if self.eat(P::Eq) {
            let saved = std::mem::replace(
                &mut self.ctx,
                Ctx {
                    in_function: true,
                    ..Ctx::default()
                },
            );
            let v = self.parse_assign();
            self.ctx = saved;
            Some(v?)
        } else {
            None
        };
        self.semicolon();
        Ok(ClassMember::Field {
            key,
            value,
            ty: ty.map(Box::new),
            is_static,
            is_abstract,
            is_optional,
            is_definite,
            span: self.span_from(lo),
        })
    }

    /// A property name: word (any keyword), string, number, `[computed]`,
    /// or `#private`.
    pub fn parse_prop_name(&mut self) -> PResult<PropName> {
        if self.cur().kind == TokenKind::Word {
            return Ok(PropName::Ident(self.ident_name()?));
        }
        let t = *self.cur();
        match (t.kind, self.value(&t).clone()) {
            (TokenKind::Word, _) => Ok(PropName::Ident(self.ident_name()?)),
            (TokenKind::PrivateName, _) => {
                self.advance(1);
                Ok(PropName::Private(Ident {
                    name: self.name(&t).into(),
                    span: t.span,
                }))
            }
            (TokenKind::Str, TokenValue::Str(s)) => {
                self.advance(1);
                Ok(PropName::Str(s, t.span))
            }
            (TokenKind::Num, TokenValue::Num(n)) => {
                self.advance(1);
                Ok(PropName::Num(n, t.span))
            }
            (TokenKind::BigInt, TokenValue::BigInt(big)) => {
                self.advance(1);
                Ok(PropName::BigInt(big.digits, big.radix, t.span))
            }
            (TokenKind::Punct(P::LBracket), _) => {
                self.advance(1);
                let e = self.parse_assign()?;
                self.expect(P::RBracket);
                Ok(PropName::Computed(Box::new(e), self.span_from(t.span.lo)))
            }
            _ => Err(self.unexpected()),
        }
    }

    // --------------------------------------------- interfaces, aliases…

    fn parse_interface(&mut self) -> PResult<InterfaceDecl> {
        let lo = self.bump().span.lo;
        let name = self.binding_ident()?;
        let type_params = self.parse_type_params_opt()?;
        let mut extends = Vec::new();
        if self.eat_kw(Kw::Extends) {
            loop {
                extends.push(self.parse_type_ref()?);
                if !self.eat(P::Comma) {
                    break;
                }
            }
        }
        let members = self.parse_type_members()?;
        Ok(InterfaceDecl {
            name,
            type_params,
            extends,
            members,
            span: self.span_from(lo),
        })
    }

    fn parse_type_alias(&mut self) -> PResult<TypeAliasDecl> {
        let lo = self.bump().span.lo;
        let name = self.binding_ident()?;
        let type_params = self.parse_type_params_opt()?;
        self.expect(P::Eq);
        let ty = self.parse_type()?;
        self.semicolon();
        Ok(TypeAliasDecl {
            name,
            type_params,
            ty,
            span: self.span_from(lo),
        })
    }

    fn parse_enum(&mut self, lo: u32, is_const: bool) -> PResult<Stmt> {
        self.advance(1); // номгӯ
        let name = self.binding_ident()?;
        self.expect_or_fail(P::LBrace)?;
        let mut members = Vec::new();
        while !self.at(P::RBrace) && !self.at_eof() {
            let mlo = self.cur().span.lo;
            let name = match self.parse_prop_name()? {
                n @ (PropName::Ident(_) | PropName::Str(..)) => n,
                _ => return Err(self.unexpected()),
            };
            let init = if self.eat(P::Eq) {
                Some(self.parse_assign()?)
            } else {
                None
            };
            members.push(EnumMember {
                name,
                init,
                span: self.span_from(mlo),
            });
            if !self.at(P::RBrace) && !self.expect(P::Comma) {
                break;
            }
        }
        self.expect(P::RBrace);
        Ok(Stmt::Enum(Box::new(EnumDecl {
            name,
            is_const,
            members,
            span: self.span_from(lo),
        })))
    }

    fn parse_namespace(&mut self) -> PResult<NamespaceDecl> {
        let lo = self.bump().span.lo;
        let mut path = vec![self.binding_ident()?];
        while self.eat(P::Dot) {
            path.push(self.binding_ident()?);
        }
        self.expect_or_fail(P::LBrace)?;
        let mut body = Vec::new();
        while !self.at(P::RBrace) && !self.at_eof() && !self.aborted {
            self.statement_into(&mut body);
        }
        self.expect(P::RBrace);
        Ok(NamespaceDecl {
            path,
            body,
            span: self.span_from(lo),
        })
    }

    // ----------------------------------------------------------- modules

    fn module_source(&mut self) -> PResult<(Box<str>, Span)> {
        let t = *self.cur();
        match (t.kind, self.value(&t)) {
            (TokenKind::Str, TokenValue::Str(s)) => {
                let s = s.clone();
                self.advance(1);
                Ok((s, t.span))
            }
            _ => {
                let found = self.found();
                self.error(
                    Message::Expected {
                        expected: "a module path".into(),
                        found,
                    },
                    t.span,
                );
                Err(Fatal)
            }
        }
    }

    fn module_export_name(&mut self) -> PResult<ModuleExportName> {
        let t = *self.cur();
        if let (TokenKind::Str, TokenValue::Str(s)) = (t.kind, self.value(&t)) {
            let s = s.clone();
            self.advance(1);
            return Ok(ModuleExportName::Str(s, t.span));
        }
        Ok(ModuleExportName::Ident(self.ident_name()?))
    }

    fn parse_import(&mut self) -> PResult<ImportDecl> {
        let lo = self.bump().span.lo;
        self.hint_from_ahead();
        let mut specifiers = Vec::new();
        let mut type_only = false;
        if self.cur().kind == TokenKind::Str {
            let (source, source_span) = self.module_source()?;
            self.semicolon();
            return Ok(ImportDecl {
                specifiers,
                source,
                source_span,
                type_only,
                span: self.span_from(lo),
            });
        }
        if self.at_kw(Kw::Type)
            && (self.nth(1).is(P::LBrace)
                || self.nth(1).is(P::Star)
                || (self.nth(1).kind == TokenKind::Word && !self.nth(1).is_kw(Kw::From)))
        {
            self.advance(1);
            type_only = true;
        }
        if self.cur().kind == TokenKind::Word && !self.at_kw(Kw::From) {
            specifiers.push(ImportSpecifier::Default(self.binding_ident()?));
            if !self.eat(P::Comma) {
                return self.finish_import(lo, specifiers, type_only);
            }
        } else if self.cur().kind == TokenKind::Word {
            // `ворид аз "…"` is a default import named `аз` only when
            // followed by `аз`; otherwise it is the keyword.
            if self.nth(1).is_kw(Kw::From) {
                specifiers.push(ImportSpecifier::Default(self.binding_ident()?));
                return self.finish_import(lo, specifiers, type_only);
            }
        }
        if self.eat(P::Star) {
            self.expect_kw(Kw::As, "чун");
            specifiers.push(ImportSpecifier::Namespace(self.binding_ident()?));
        } else if self.eat(P::LBrace) {
            while !self.at(P::RBrace) && !self.at_eof() {
                let is_type = self.at_kw(Kw::Type)
                    && matches!(self.nth(1).kind, TokenKind::Word | TokenKind::Str)
                    && !self.nth(1).is_kw(Kw::As);
                if is_type {
                    self.advance(1);
                }
                let imported = self.module_export_name()?;
                let local = if self.eat_kw(Kw::As) {
                    self.binding_ident()?
                } else {
                    match &imported {
                        ModuleExportName::Ident(i) => {
                            if self
                                .tok(self.pos.saturating_sub(1))
                                .is_some_and(|t| t.kw.is_some_and(Kw::is_reserved))
                            {
                                self.error(
                                    Message::ReservedWordAsName {
                                        word: i.name.to_string(),
                                    },
                                    i.span,
                                );
                            }
                            i.clone()
                        }
                        ModuleExportName::Str(_, span) => {
                            let found = self.found();
                            self.error(
                                Message::Expected {
                                    expected: "`чун`".into(),
                                    found,
                                },
                                *span,
                            );
                            return Err(Fatal);
                        }
                    }
                };
                specifiers.push(ImportSpecifier::Named {
                    imported,
                    local,
                    is_type,
                });
                if !self.at(P::RBrace) && !self.expect(P::Comma) {
                    break;
                }
            }
            self.expect(P::RBrace);
        } else {
            return Err(self.unexpected());
        }
        self.finish_import(lo, specifiers, type_only)
    }

    fn finish_import(
        &mut self,
        lo: u32,
        specifiers: Vec<ImportSpecifier>,
        type_only: bool,
    ) -> PResult<ImportDecl> {
        self.expect_kw(Kw::From, "аз");
        let (source, source_span) = self.module_source()?;
        self.semicolon();
        Ok(ImportDecl {
            specifiers,
            source,
            source_span,
            type_only,
            span: self.span_from(lo),
        })
    }

    fn parse_export(&mut self) -> PResult<ExportDecl> {
        let lo = self.bump().span.lo;
        self.hint_keyword_here(Kw::Default, |p| p.same_line(1).is_some());
        if !self.at(P::LBrace) && !self.at(P::Star) {
            self.hint_statement_keyword();
        }
        self.hint_from_ahead();
        if self.eat_kw(Kw::Default) {
            let is_decl = self.at_kw(Kw::Function)
                || (self.at_kw(Kw::Async) && self.nth(1).is_kw(Kw::Function))
                || self.at_kw(Kw::Class)
                || (self.at_kw(Kw::Abstract) && self.nth(1).is_kw(Kw::Class))
                || self.at_kw(Kw::Interface);
            if is_decl {
                let stmt = if self.at_kw(Kw::Interface) {
                    Stmt::Interface(Box::new(self.parse_interface()?))
                } else if self.at_kw(Kw::Class) || self.at_kw(Kw::Abstract) {
                    Stmt::Class(Box::new(self.parse_class(true, true)?))
                } else {
                    Stmt::Function(Box::new(self.parse_function(true, true)?))
                };
                return Ok(ExportDecl::DefaultDecl(stmt, self.span_from(lo)));
            }
            let e = self.parse_assign()?;
            self.semicolon();
            return Ok(ExportDecl::DefaultExpr(e, self.span_from(lo)));
        }
        if self.eat(P::Star) {
            let alias = if self.eat_kw(Kw::As) {
                Some(self.module_export_name()?)
            } else {
                None
            };
            self.expect_kw(Kw::From, "аз");
            let source = self.module_source()?;
            self.semicolon();
            return Ok(ExportDecl::All {
                alias,
                source,
                span: self.span_from(lo),
            });
        }
        let type_only = self.at_kw(Kw::Type) && self.nth(1).is(P::LBrace);
        if type_only {
            self.advance(1);
        }
        if self.eat(P::LBrace) {
            let mut specifiers = Vec::new();
            while !self.at(P::RBrace) && !self.at_eof() {
                let is_type = self.at_kw(Kw::Type)
                    && matches!(self.nth(1).kind, TokenKind::Word | TokenKind::Str)
                    && !self.nth(1).is_kw(Kw::As);
                if is_type {
                    self.advance(1);
                }
                let orig = self.module_export_name()?;
                let exported = if self.eat_kw(Kw::As) {
                    Some(self.module_export_name()?)
                } else {
                    None
                };
                specifiers.push(ExportSpecifier {
                    orig,
                    exported,
                    is_type,
                });
                if !self.at(P::RBrace) && !self.expect(P::Comma) {
                    break;
                }
            }
            self.expect(P::RBrace);
            let source = if self.eat_kw(Kw::From) {
                Some(self.module_source()?)
            } else {
                None
            };
            self.semicolon();
            return Ok(ExportDecl::Named {
                specifiers,
                source,
                type_only,
                span: self.span_from(lo),
            });
        }
        let stmt = self.parse_stmt()?;
        match &stmt {
            Stmt::Var(_)
            | Stmt::Function(_)
            | Stmt::Class(_)
            | Stmt::Interface(_)
            | Stmt::TypeAlias(_)
            | Stmt::Enum(_)
            | Stmt::Namespace(_) => Ok(ExportDecl::Decl(stmt, self.span_from(lo))),
            _ => {
                let span = Span::new(lo, lo);
                let found = self.found();
                self.error(
                    Message::Expected {
                        expected: "a declaration".into(),
                        found,
                    },
                    span,
                );
                Err(Fatal)
            }
        }
    }
}
