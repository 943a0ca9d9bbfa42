//! Expressions: precedence climbing over JavaScript's operator table, with
//! speculative parsing for arrow functions and explicit generic calls.

use super::{Ctx, Fatal, PResult, Parser};
use crate::ast::*;
use crate::keywords::Kw;
use crate::token::{Token, TokenKind, TokenValue, P};
use somon_diagnostics::Message;

/// Binding power of a binary operator token (higher binds tighter).
fn binary_op(t: &Token, no_in: bool) -> Option<(BinaryOp, u8)> {
    use BinaryOp::*;
    Some(match t.kind {
        TokenKind::Punct(p) => match p {
            P::QuestionQuestion => (Nullish, 1),
            P::PipePipe => (Or, 2),
            P::AmpAmp => (And, 3),
            P::Pipe => (BitOr, 4),
            P::Caret => (BitXor, 5),
            P::Amp => (BitAnd, 6),
            P::EqEq => (EqEq, 7),
            P::NotEq => (NotEq, 7),
            P::EqEqEq => (EqEqEq, 7),
            P::NotEqEq => (NotEqEq, 7),
            P::Lt => (Lt, 8),
            P::Gt => (Gt, 8),
            P::LtEq => (LtEq, 8),
            P::GtEq => (GtEq, 8),
            P::Shl => (Shl, 9),
            P::Shr => (Shr, 9),
            P::UShr => (UShr, 9),
            P::Plus => (Add, 10),
            P::Minus => (Sub, 10),
            P::Star => (Mul, 11),
            P::Slash => (Div, 11),
            P::Percent => (Mod, 11),
            P::StarStar => (Exp, 12),
            _ => return None,
        },
        TokenKind::Word => match t.kw {
            Some(Kw::Instanceof) => (Instanceof, 8),
            Some(Kw::In) if !no_in => (In, 8),
            _ => return None,
        },
        _ => return None,
    })
}

fn assign_op(p: P) -> Option<AssignOp> {
    use AssignOp::*;
    Some(match p {
        P::Eq => Assign,
        P::PlusEq => Add,
        P::MinusEq => Sub,
        P::StarEq => Mul,
        P::SlashEq => Div,
        P::PercentEq => Mod,
        P::StarStarEq => Exp,
        P::AmpEq => BitAnd,
        P::PipeEq => BitOr,
        P::CaretEq => BitXor,
        P::ShlEq => Shl,
        P::ShrEq => Shr,
        P::UShrEq => UShr,
        P::AmpAmpEq => And,
        P::PipePipeEq => Or,
        P::QuestionQuestionEq => Nullish,
        _ => return None,
    })
}

impl<'s> Parser<'s> {
    /// Expression, including the comma operator.
    pub fn parse_expr(&mut self) -> PResult<Expr> {
        let lo = self.cur().span.lo;
        let first = self.parse_assign()?;
        if !self.at(P::Comma) {
            return Ok(first);
        }
        let mut exprs = vec![first];
        while self.eat(P::Comma) {
            exprs.push(self.parse_assign()?);
        }
        Ok(Expr::Seq {
            exprs,
            span: self.span_from(lo),
        })
    }

    pub fn parse_expr_no_in(&mut self) -> PResult<Expr> {
        let saved = std::mem::replace(&mut self.no_in, true);
        let r = self.parse_expr();
        self.no_in = saved;
        r
    }

    pub fn parse_assign_no_in(&mut self) -> PResult<Expr> {
        let saved = std::mem::replace(&mut self.no_in, true);
        let r = self.parse_assign();
        self.no_in = saved;
        r
    }

    /// Runs `f` with the `дар` operator allowed again (inside brackets).
    fn with_in<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        let saved = std::mem::replace(&mut self.no_in, false);
        let r = f(self);
        self.no_in = saved;
        r
    }

    /// Assignment expression: arrows, `ҳосил`, conditionals, assignments.
    pub fn parse_assign(&mut self) -> PResult<Expr> {
        self.nested(Self::parse_assign_inner)
    }

    fn parse_assign_inner(&mut self) -> PResult<Expr> {
        if let Some(arrow) = self.try_arrow()? {
            return Ok(arrow);
        }
        if self.ctx.in_generator {
            self.hint_yield();
        }
        if self.at_kw(Kw::Yield) && self.ctx.in_generator {
            return self.parse_yield();
        }
        let lo = self.cur().span.lo;
        let target = self.parse_conditional()?;
        let op = match self.cur().kind {
            TokenKind::Punct(p) => assign_op(p),
            _ => None,
        };
        let Some(op) = op else {
            return Ok(target);
        };
        let pat = if op == AssignOp::Assign {
            self.expr_to_pat(target)?
        } else {
            if !is_simple_target(&target) {
                self.error(Message::InvalidAssignmentTarget, target.span());
                return Err(Fatal);
            }
            Pat::Expr(Box::new(target))
        };
        self.advance(1);
        let value = self.parse_assign()?;
        Ok(Expr::Assign {
            op,
            target: Box::new(pat),
            value: Box::new(value),
            span: self.span_from(lo),
        })
    }

    fn parse_yield(&mut self) -> PResult<Expr> {
        let lo = self.bump().span.lo;
        let delegate = !self.cur().nl_before && self.eat(P::Star);
        let t = self.cur();
        let has_arg = delegate
            || !(t.nl_before
                || t.kind == TokenKind::Eof
                || matches!(
                    t.kind,
                    TokenKind::Punct(
                        P::RParen | P::RBracket | P::RBrace | P::Comma | P::Semi | P::Colon
                    )
                ));
        let arg = if has_arg {
            Some(Box::new(self.parse_assign()?))
        } else {
            None
        };
        Ok(Expr::Yield {
            arg,
            delegate,
            span: self.span_from(lo),
        })
    }

    /// Recognises an arrow function at the current position, or returns
    /// `None` with the parser untouched.
    fn try_arrow(&mut self) -> PResult<Option<Expr>> {
        let t = *self.cur();
        let lo = t.span.lo;
        let is_async = t.is_kw(Kw::Async) && !self.nth(1).nl_before;
        let start = if is_async { 1 } else { 0 };
        let first = *self.nth(start);
        // `х => …` and `ҳамзамон х => …`
        if first.kind == TokenKind::Word
            && !first.kw.is_some_and(Kw::is_reserved)
            && self.nth(start + 1).is(P::Arrow)
        {
            self.advance(start);
            let ident = self.binding_ident()?;
            let param = Param {
                span: ident.span,
                pat: Pat::Ident {
                    ident,
                    ty: None,
                    optional: false,
                },
                is_property: false,
            };
            return self
                .finish_arrow(lo, is_async, Vec::new(), vec![param], None)
                .map(Some);
        }
        if !(first.is(P::LParen) || first.is(P::Lt)) {
            return Ok(None);
        }
        // `(…) =>`: try the parameter list; roll back when it is not one.
        let head = self.try_parse(|p| {
            p.advance(start);
            let type_params = p.parse_type_params_opt()?;
            let params = p.parse_params()?;
            let ret = if p.at(P::Colon) {
                p.advance(1);
                Some(p.parse_return_type()?)
            } else {
                None
            };
            if !p.at(P::Arrow) {
                return Err(Fatal);
            }
            Ok((type_params, params, ret))
        });
        match head {
            Some((type_params, params, ret)) => self
                .finish_arrow(lo, is_async, type_params, params, ret)
                .map(Some),
            None => Ok(None),
        }
    }

    fn finish_arrow(
        &mut self,
        lo: u32,
        is_async: bool,
        type_params: Vec<TypeParam>,
        params: Vec<Param>,
        return_type: Option<Type>,
    ) -> PResult<Expr> {
        let arrow = *self.cur();
        if arrow.nl_before {
            self.error(Message::LineBreakBeforeArrow, arrow.span);
        }
        self.expect(P::Arrow);
        let saved = std::mem::replace(
            &mut self.ctx,
            Ctx {
                in_function: true,
                in_async: is_async,
                in_generator: false,
                ..Ctx::default()
            },
        );
        let body = if self.at(P::LBrace) {
            self.parse_block().map(ArrowBody::Block)
        } else {
            self.parse_assign().map(|e| ArrowBody::Expr(Box::new(e)))
        };
        self.ctx = saved;
        Ok(Expr::Arrow(Box::new(Arrow {
            type_params,
            params,
            return_type,
            body: body?,
            is_async,
            span: self.span_from(lo),
        })))
    }

    fn parse_conditional(&mut self) -> PResult<Expr> {
        let lo = self.cur().span.lo;
        let test = self.parse_binary(0)?;
        if !self.at(P::Question) {
            return Ok(test);
        }
        self.advance(1);
        let cons = self.with_in(Self::parse_assign)?;
        self.expect(P::Colon);
        let alt = self.parse_assign()?;
        Ok(Expr::Cond {
            test: Box::new(test),
            cons: Box::new(cons),
            alt: Box::new(alt),
            span: self.span_from(lo),
        })
    }

    fn parse_binary(&mut self, min_prec: u8) -> PResult<Expr> {
        let lo = self.cur().span.lo;
        // `#поле дар объект`
        let mut left = if self.cur().kind == TokenKind::PrivateName && self.nth(1).is_kw(Kw::In) {
            let t = self.bump();
            self.advance(1);
            let right = self.parse_binary(9)?;
            let name = Ident {
                name: self.name(&t).into(),
                span: t.span,
            };
            self.use_private(&name);
            Expr::PrivateIn {
                name,
                right: Box::new(right),
                span: self.span_from(lo),
            }
        } else {
            self.parse_unary()?
        };
        loop {
            // `х чун Т` (type assertion, erased) binds like a relational operator.
            if self.at_kw(Kw::As) && min_prec <= 8 && !self.cur().nl_before {
                self.advance(1);
                let ty = if self.at_kw(Kw::Const) {
                    let t = self.bump();
                    Type::Ref {
                        name: vec![Ident {
                            name: "const".into(),
                            span: t.span,
                        }],
                        args: Vec::new(),
                        span: t.span,
                    }
                } else {
                    self.parse_type()?
                };
                left = Expr::As {
                    expr: Box::new(left),
                    ty: Box::new(ty),
                    span: self.span_from(lo),
                };
                continue;
            }
            let Some((op, prec)) = binary_op(self.cur(), self.no_in) else {
                break;
            };
            if prec < min_prec {
                break;
            }
            if op == BinaryOp::Exp {
                if let Expr::Unary { span, .. } = &left {
                    // `-2 ** 2` is ambiguous and a JavaScript syntax error.
                    let span = *span;
                    let found = self.found();
                    self.error(
                        Message::Expected {
                            expected: "parentheses around the unary expression".into(),
                            found,
                        },
                        span,
                    );
                }
            }
            self.advance(1);
            // `**` is right-associative: parse its right side at the same level.
            let next_min = if op == BinaryOp::Exp { prec } else { prec + 1 };
            let right = self.nested(|p| p.parse_binary(next_min))?;
            left = Expr::Binary {
                op,
                left: Box::new(left),
                right: Box::new(right),
                span: self.span_from(lo),
            };
        }
        Ok(left)
    }

    fn parse_unary(&mut self) -> PResult<Expr> {
        self.nested(Self::parse_unary_inner)
    }

    fn parse_unary_inner(&mut self) -> PResult<Expr> {
        self.hint_expression_keyword();
        let t = *self.cur();
        let lo = t.span.lo;
        let unary = match t.kind {
            TokenKind::Punct(P::Bang) => Some(UnaryOp::Not),
            TokenKind::Punct(P::Minus) => Some(UnaryOp::Minus),
            TokenKind::Punct(P::Plus) => Some(UnaryOp::Plus),
            TokenKind::Punct(P::Tilde) => Some(UnaryOp::BitNot),
            TokenKind::Word if self.operator_word(&t) => match t.kw {
                Some(Kw::Typeof) => Some(UnaryOp::Typeof),
                Some(Kw::Delete) => Some(UnaryOp::Delete),
                Some(Kw::Void) => Some(UnaryOp::Void),
                _ => None,
            },
            _ => None,
        };
        if let Some(op) = unary {
            self.advance(1);
            let arg = self.parse_unary()?;
            return Ok(Expr::Unary {
                op,
                arg: Box::new(arg),
                span: self.span_from(lo),
            });
        }
        if t.is(P::PlusPlus) || t.is(P::MinusMinus) {
            self.advance(1);
            let arg = self.parse_unary()?;
            if !is_simple_target(&arg) {
                self.error(Message::InvalidAssignmentTarget, arg.span());
            }
            return Ok(Expr::Update {
                op: if t.is(P::PlusPlus) {
                    UpdateOp::Incr
                } else {
                    UpdateOp::Decr
                },
                prefix: true,
                arg: Box::new(arg),
                span: self.span_from(lo),
            });
        }
        if t.is_kw(Kw::Await) {
            self.advance(1);
            if !self.ctx.in_async {
                self.awaits_outside_async
                    .push((t.span, !self.ctx.in_function));
            }
            let arg = self.parse_unary()?;
            return Ok(Expr::Await {
                arg: Box::new(arg),
                span: self.span_from(lo),
            });
        }
        let expr = self.parse_postfix()?;
        let next = self.cur();
        if (next.is(P::PlusPlus) || next.is(P::MinusMinus)) && !next.nl_before {
            let op = if next.is(P::PlusPlus) {
                UpdateOp::Incr
            } else {
                UpdateOp::Decr
            };
            if !is_simple_target(&expr) {
                self.error(Message::InvalidAssignmentTarget, expr.span());
            }
            self.advance(1);
            return Ok(Expr::Update {
                op,
                prefix: false,
                arg: Box::new(expr),
                span: self.span_from(lo),
            });
        }
        Ok(expr)
    }

    /// A contextual operator word (`навъи`, `нобуд`) acts as an operator
    /// when an operand follows; otherwise it is a plain name.
    fn operator_word(&self, t: &Token) -> bool {
        if !matches!(t.kw, Some(Kw::Typeof | Kw::Delete | Kw::Void)) {
            return false;
        }
        if t.kw == Some(Kw::Void) {
            // `беҷавоб` is only a type keyword.
            return false;
        }
        let next = self.nth(1);
        match next.kind {
            TokenKind::Eof => false,
            TokenKind::Punct(p) => matches!(
                p,
                P::LParen
                    | P::LBracket
                    | P::LBrace
                    | P::Bang
                    | P::Minus
                    | P::Plus
                    | P::Tilde
                    | P::PlusPlus
                    | P::MinusMinus
            ),
            _ => {
                !(next.kind == TokenKind::Word
                    && (next.kw == Some(Kw::Instanceof) || (next.kw == Some(Kw::In))))
            }
        }
    }

    /// Member access, calls, tagged templates, non-null `!`.
    pub(crate) fn parse_postfix(&mut self) -> PResult<Expr> {
        let lo = self.cur().span.lo;
        let mut e = if self.at_kw(Kw::New) {
            self.parse_new()?
        } else {
            self.parse_primary()?
        };
        let mut steps = 0u32;
        loop {
            steps += 1;
            if steps > super::MAX_DEPTH * 4 {
                // Very long call chains nest the tree as deeply as brackets.
                self.enter()?;
                self.leave();
            }
            let t = *self.cur();
            match t.kind {
                TokenKind::Punct(P::Dot) => {
                    self.advance(1);
                    let prop = self.member_prop()?;
                    e = Expr::Member {
                        obj: Box::new(e),
                        prop,
                        optional: false,
                        span: self.span_from(lo),
                    };
                }
                TokenKind::Punct(P::QuestionDot) => {
                    self.advance(1);
                    if self.at(P::LParen) {
                        let args = self.parse_args()?;
                        e = Expr::Call {
                            callee: Box::new(e),
                            type_args: Vec::new(),
                            args,
                            optional: true,
                            span: self.span_from(lo),
                        };
                    } else if self.eat(P::LBracket) {
                        let prop = self.with_in(Self::parse_expr)?;
                        self.expect(P::RBracket);
                        e = Expr::Member {
                            obj: Box::new(e),
                            prop: MemberProp::Computed(Box::new(prop)),
                            optional: true,
                            span: self.span_from(lo),
                        };
                    } else {
                        let prop = self.member_prop()?;
                        e = Expr::Member {
                            obj: Box::new(e),
                            prop,
                            optional: true,
                            span: self.span_from(lo),
                        };
                    }
                }
                TokenKind::Punct(P::LBracket) => {
                    self.advance(1);
                    let prop = self.with_in(Self::parse_expr)?;
                    self.expect(P::RBracket);
                    e = Expr::Member {
                        obj: Box::new(e),
                        prop: MemberProp::Computed(Box::new(prop)),
                        optional: false,
                        span: self.span_from(lo),
                    };
                }
                TokenKind::Punct(P::LParen) => {
                    let args = self.parse_args()?;
                    e = Expr::Call {
                        callee: Box::new(e),
                        type_args: Vec::new(),
                        args,
                        optional: false,
                        span: self.span_from(lo),
                    };
                }
                TokenKind::Template | TokenKind::TemplateHead => {
                    let tpl = self.parse_template(true)?;
                    e = Expr::TaggedTemplate {
                        tag: Box::new(e),
                        type_args: Vec::new(),
                        tpl: Box::new(tpl),
                        span: self.span_from(lo),
                    };
                }
                TokenKind::Punct(P::Bang) if !t.nl_before => {
                    self.advance(1);
                    e = Expr::NonNull {
                        expr: Box::new(e),
                        span: self.span_from(lo),
                    };
                }
                TokenKind::Punct(P::Lt) => {
                    // `ф<Т>(х)`: type arguments only when they parse as types
                    // and a `(` or a template follows (decisions §4.5).
                    let args = self.try_parse(|p| {
                        let args = p.parse_type_args()?;
                        if p.at(P::LParen)
                            || p.cur().kind == TokenKind::Template
                            || p.cur().kind == TokenKind::TemplateHead
                        {
                            Ok(args)
                        } else {
                            Err(Fatal)
                        }
                    });
                    let Some(type_args) = args else { break };
                    if self.at(P::LParen) {
                        let args = self.parse_args()?;
                        e = Expr::Call {
                            callee: Box::new(e),
                            type_args,
                            args,
                            optional: false,
                            span: self.span_from(lo),
                        };
                    } else {
                        let tpl = self.parse_template(true)?;
                        e = Expr::TaggedTemplate {
                            tag: Box::new(e),
                            type_args,
                            tpl: Box::new(tpl),
                            span: self.span_from(lo),
                        };
                    }
                }
                _ => break,
            }
        }
        Ok(e)
    }

    fn member_prop(&mut self) -> PResult<MemberProp> {
        let t = *self.cur();
        match t.kind {
            TokenKind::PrivateName => {
                self.advance(1);
                let ident = Ident {
                    name: self.name(&t).into(),
                    span: t.span,
                };
                self.use_private(&ident);
                Ok(MemberProp::Private(ident))
            }
            _ => Ok(MemberProp::Ident(self.ident_name()?)),
        }
    }

    pub fn parse_args(&mut self) -> PResult<Vec<ExprOrSpread>> {
        self.expect(P::LParen);
        self.with_in(|p| {
            let mut args = Vec::new();
            while !p.at(P::RParen) && !p.at_eof() {
                let spread = p.eat(P::DotDotDot);
                let expr = p.parse_assign()?;
                args.push(ExprOrSpread { spread, expr });
                if !p.list_comma(P::RParen) {
                    break;
                }
            }
            p.expect(P::RParen);
            Ok(args)
        })
    }

    /// `нав Ҳадаф<Т>(…)`, `нав.target`.
    fn parse_new(&mut self) -> PResult<Expr> {
        let t = self.bump();
        let lo = t.span.lo;
        if self.at(P::Dot) {
            self.advance(1);
            let prop = self.ident_name()?;
            if &*prop.name != "target" && &*prop.name != "ҳадаф" {
                self.error(
                    Message::Expected {
                        expected: "`target`".into(),
                        found: somon_diagnostics::Found::Token(prop.name.to_string()),
                    },
                    prop.span,
                );
            }
            return Ok(Expr::NewTarget(self.span_from(lo)));
        }
        let callee = self.nested(Self::parse_lhs_expr_no_call)?;
        let type_args = if self.at(P::Lt) {
            self.try_parse(|p| {
                let a = p.parse_type_args()?;
                if p.at(P::LParen) {
                    Ok(a)
                } else {
                    Err(Fatal)
                }
            })
            .unwrap_or_default()
        } else {
            Vec::new()
        };
        let args = if self.at(P::LParen) {
            Some(self.parse_args()?)
        } else {
            None
        };
        Ok(Expr::New {
            callee: Box::new(callee),
            type_args,
            args,
            span: self.span_from(lo),
        })
    }

    /// A member expression without calls: the callee of `нав` and the
    /// superclass after `мерос`.
    pub fn parse_lhs_expr_no_call(&mut self) -> PResult<Expr> {
        let lo = self.cur().span.lo;
        let mut e = if self.at_kw(Kw::New) {
            self.parse_new()?
        } else {
            self.parse_primary()?
        };
        loop {
            if self.eat(P::Dot) {
                let prop = self.member_prop()?;
                e = Expr::Member {
                    obj: Box::new(e),
                    prop,
                    optional: false,
                    span: self.span_from(lo),
                };
            } else if self.eat(P::LBracket) {
                let prop = self.with_in(Self::parse_expr)?;
                self.expect(P::RBracket);
                e = Expr::Member {
                    obj: Box::new(e),
                    prop: MemberProp::Computed(Box::new(prop)),
                    optional: false,
                    span: self.span_from(lo),
                };
            } else {
                break;
            }
        }
        Ok(e)
    }

    fn parse_primary(&mut self) -> PResult<Expr> {
        // Literals from the token's payload; everything else from the
        // token itself.
        let cur = *self.cur();
        let span = cur.span;
        let literal = match (&cur.kind, self.value(&cur)) {
            (TokenKind::Num, TokenValue::Num(n)) => Some(Expr::Num(*n, span)),
            (TokenKind::BigInt, TokenValue::BigInt(big)) => Some(Expr::BigInt {
                digits: big.digits.clone(),
                radix: big.radix,
                span,
            }),
            (TokenKind::Str, TokenValue::Str(s)) => Some(Expr::Str(s.clone(), span)),
            (TokenKind::Regex, TokenValue::Regex(re)) => Some(Expr::Regex {
                pattern: re.pattern.clone(),
                flags: re.flags.clone(),
                span,
            }),
            // Already reported by the lexer.
            (TokenKind::Regex, _) => Some(Expr::Invalid(span)),
            _ => None,
        };
        if let Some(literal) = literal {
            self.advance(1);
            return Ok(literal);
        }
        let t = cur;
        match (&t.kind, ()) {
            (TokenKind::Template | TokenKind::TemplateHead, _) => {
                Ok(Expr::Template(self.parse_template(false)?))
            }
            (TokenKind::Punct(P::LParen), _) => {
                self.advance(1);
                let expr = self.with_in(Self::parse_expr)?;
                self.expect(P::RParen);
                Ok(Expr::Paren {
                    expr: Box::new(expr),
                    span: self.span_from(span.lo),
                })
            }
            (TokenKind::Punct(P::LBracket), _) => self.with_in(Self::parse_array),
            (TokenKind::Punct(P::LBrace), _) => self.with_in(Self::parse_object),
            (TokenKind::Word, _) => self.parse_word_primary(t),
            _ => Err(self.unexpected()),
        }
    }

    /// The current token, a word, as an expression.
    fn parse_word_primary(&mut self, t: Token) -> PResult<Expr> {
        let span = t.span;
        let simple = |p: &mut Self, e: Expr| {
            p.advance(1);
            Ok(e)
        };
        match t.kw {
            Some(Kw::This) => simple(self, Expr::This(span)),
            Some(Kw::Super) => simple(self, Expr::Super(span)),
            Some(Kw::True) => simple(self, Expr::Bool(true, span)),
            Some(Kw::False) => simple(self, Expr::Bool(false, span)),
            Some(Kw::Null) => simple(self, Expr::Null(span)),
            Some(Kw::Undefined) => simple(self, Expr::Undefined(span)),
            Some(Kw::Promise) => {
                let name = self.name(self.cur()).into();
                simple(self, Expr::Ident(Ident { name, span }))
            }
            Some(Kw::Function) => Ok(Expr::Function(Box::new(self.parse_function(true, true)?))),
            Some(Kw::Async) if self.nth(1).is_kw(Kw::Function) && !self.nth(1).nl_before => {
                Ok(Expr::Function(Box::new(self.parse_function(true, true)?)))
            }
            Some(Kw::Class) => Ok(Expr::Class(Box::new(self.parse_class(true, false)?))),
            // JavaScript's names for the values `холӣ` and `беқимат`
            // (decisions §6.1); `NaN`, `Infinity`, `globalThis` are
            // globals like any other.
            None if self.name(self.cur()) == "null" => simple(self, Expr::Null(span)),
            None if self.name(self.cur()) == "undefined" => simple(self, Expr::Undefined(span)),
            Some(Kw::Import) => {
                self.advance(1);
                if self.eat(P::Dot) {
                    let meta = self.ident_name()?;
                    if &*meta.name != "meta" {
                        return Err(self.unexpected());
                    }
                    return Ok(Expr::ImportMeta(self.span_from(span.lo)));
                }
                self.expect(P::LParen);
                let arg = self.with_in(Self::parse_assign)?;
                self.expect(P::RParen);
                if let Expr::Str(spec, sp) = &arg {
                    self.dynamic_imports.push((spec.clone(), *sp));
                }
                Ok(Expr::DynImport {
                    arg: Box::new(arg),
                    span: self.span_from(span.lo),
                })
            }
            Some(kw) if kw.is_reserved() => Err(self.unexpected()),
            _ => Ok(Expr::Ident(self.ident_reference()?)),
        }
    }

    fn parse_array(&mut self) -> PResult<Expr> {
        self.nested(|p| {
            let lo = p.bump().span.lo;
            let mut elems = Vec::new();
            while !p.at(P::RBracket) && !p.at_eof() {
                if p.eat(P::Comma) {
                    elems.push(None);
                    continue;
                }
                let spread = p.eat(P::DotDotDot);
                let expr = p.parse_assign()?;
                elems.push(Some(ExprOrSpread { spread, expr }));
                if !p.list_comma(P::RBracket) {
                    break;
                }
            }
            p.expect(P::RBracket);
            Ok(Expr::Array {
                elems,
                span: p.span_from(lo),
            })
        })
    }

    fn parse_object(&mut self) -> PResult<Expr> {
        self.nested(|p| {
            let lo = p.bump().span.lo;
            let mut props = Vec::new();
            while !p.at(P::RBrace) && !p.at_eof() {
                // `{ а: 1, , б: 2 }`: one error for the empty slot.
                if p.at(P::Comma) {
                    let _ = p.unexpected();
                    p.advance(1);
                    continue;
                }
                props.push(p.parse_object_prop()?);
                if !p.list_comma(P::RBrace) {
                    break;
                }
            }
            p.expect_closing(P::RBrace, lo);
            Ok(Expr::Object {
                props,
                span: p.span_from(lo),
            })
        })
    }

    fn parse_object_prop(&mut self) -> PResult<Prop> {
        if self.eat(P::DotDotDot) {
            return Ok(Prop::Spread(self.parse_assign()?));
        }
        let lo = self.cur().span.lo;
        let next_is_name = |p: &Self| {
            let n = p.nth(1);
            !matches!(
                n.kind,
                TokenKind::Punct(P::Colon | P::LParen | P::Comma | P::RBrace | P::Eq | P::Lt)
            )
        };
        let mut is_async = false;
        let mut kind = MethodKind::Method;
        if self.at_kw(Kw::Async) && next_is_name(self) && !self.nth(1).nl_before {
            self.advance(1);
            is_async = true;
        }
        let is_generator = self.eat(P::Star);
        if !is_async
            && !is_generator
            && matches!(self.cur().kw, Some(Kw::Get | Kw::Set))
            && next_is_name(self)
        {
            kind = if self.bump().kw == Some(Kw::Get) {
                MethodKind::Getter
            } else {
                MethodKind::Setter
            };
        }
        let t = *self.cur();
        let key = self.parse_prop_name()?;
        if self.at(P::LParen) || self.at(P::Lt) {
            let function = self.parse_function_rest(lo, None, is_async, is_generator, true)?;
            return Ok(Prop::Method {
                key,
                kind,
                function: Box::new(function),
            });
        }
        if is_async || is_generator || kind != MethodKind::Method {
            return Err(self.unexpected());
        }
        if self.eat(P::Colon) {
            let value = self.parse_assign()?;
            return Ok(Prop::KeyValue { key, value });
        }
        // `{ нон 1 }`: a value right after the key on the same line means
        // the `:` is missing; report it and read the value.
        let t_next = self.cur();
        let value_follows = !t_next.nl_before
            && (matches!(
                t_next.kind,
                TokenKind::Num | TokenKind::Str | TokenKind::BigInt | TokenKind::Template
            ) || (t_next.kind == TokenKind::Word
                && !matches!(t_next.kw, Some(Kw::In | Kw::Instanceof | Kw::As))));
        if value_follows {
            self.expect(P::Colon);
            let value = self.parse_assign()?;
            return Ok(Prop::KeyValue { key, value });
        }
        match key {
            PropName::Ident(ident) if t.kind == TokenKind::Word => {
                if t.kw.is_some_and(Kw::is_reserved) {
                    self.error(
                        Message::ReservedWordAsName {
                            word: ident.name.to_string(),
                        },
                        ident.span,
                    );
                }
                if self.at(P::Eq) {
                    // `{а = 1}` is only valid as a destructuring target;
                    // keep it as a default for `expr_to_pat`.
                    self.advance(1);
                    let value = self.parse_assign()?;
                    let span = self.span_from(lo);
                    return Ok(Prop::KeyValue {
                        key: PropName::Ident(ident.clone()),
                        value: Expr::Assign {
                            op: AssignOp::Assign,
                            target: Box::new(Pat::Ident {
                                ident,
                                ty: None,
                                optional: false,
                            }),
                            value: Box::new(value),
                            span,
                        },
                    });
                }
                Ok(Prop::Shorthand(ident))
            }
            _ => {
                self.expect(P::Colon);
                Err(Fatal)
            }
        }
    }

    /// A template literal; for tags, invalid escapes are allowed.
    fn parse_template(&mut self, tagged: bool) -> PResult<Template> {
        let lo = self.cur().span.lo;
        let mut quasis = Vec::new();
        let mut exprs = Vec::new();
        loop {
            let t = self.bump();
            let (cooked, raw) = match self.value(&t) {
                TokenValue::Template(text) => (text.cooked.clone(), text.raw.clone()),
                _ => (Some("".into()), "".into()),
            };
            if cooked.is_none() && !tagged {
                self.error(Message::InvalidEscape, t.span);
            }
            quasis.push(TemplateQuasi {
                cooked,
                raw,
                span: t.span,
            });
            match t.kind {
                TokenKind::TemplateHead | TokenKind::TemplateMiddle => {
                    exprs.push(self.with_in(Self::parse_expr)?);
                    if !matches!(
                        self.cur().kind,
                        TokenKind::TemplateMiddle | TokenKind::TemplateTail
                    ) {
                        let found = self.found();
                        let span = self.cur().span;
                        self.error(
                            Message::Expected {
                                expected: "`}`".into(),
                                found,
                            },
                            span,
                        );
                        return Err(Fatal);
                    }
                }
                _ => break,
            }
        }
        Ok(Template {
            quasis,
            exprs,
            span: self.span_from(lo),
        })
    }

    /// Reinterprets an expression as an assignment target (cover grammar).
    pub fn expr_to_pat(&mut self, e: Expr) -> PResult<Pat> {
        match e {
            Expr::Ident(ident) => Ok(Pat::Ident {
                ident,
                ty: None,
                optional: false,
            }),
            Expr::Member {
                optional: false, ..
            } => Ok(Pat::Expr(Box::new(e))),
            Expr::Paren { expr, .. } if matches!(*expr, Expr::Ident(_) | Expr::Member { .. }) => {
                self.expr_to_pat(*expr)
            }
            Expr::NonNull { expr, .. } | Expr::As { expr, .. } => self.expr_to_pat(*expr),
            Expr::Array { elems, span } => {
                let n = elems.len();
                let mut out = Vec::with_capacity(n);
                for (i, el) in elems.into_iter().enumerate() {
                    match el {
                        None => out.push(None),
                        Some(ExprOrSpread { spread: true, expr }) => {
                            if i + 1 != n {
                                self.error(Message::InvalidRestPosition, expr.span());
                            }
                            let s = expr.span();
                            out.push(Some(Pat::Rest {
                                arg: Box::new(self.expr_to_pat(expr)?),
                                ty: None,
                                span: s,
                            }));
                        }
                        Some(ExprOrSpread { expr, .. }) => out.push(Some(self.expr_to_pat(expr)?)),
                    }
                }
                Ok(Pat::Array {
                    elems: out,
                    ty: None,
                    span,
                })
            }
            Expr::Object { props, span } => {
                let mut out = Vec::with_capacity(props.len());
                for prop in props {
                    match prop {
                        Prop::Shorthand(ident) => out.push(ObjectPatProp::Shorthand {
                            ident,
                            default: None,
                        }),
                        Prop::KeyValue {
                            key: PropName::Ident(ident),
                            value:
                                Expr::Assign {
                                    op: AssignOp::Assign,
                                    target,
                                    value,
                                    ..
                                },
                        } if matches!(&*target, Pat::Ident { ident: t, .. } if t.name == ident.name && t.span == ident.span) => {
                            out.push(ObjectPatProp::Shorthand {
                                ident,
                                default: Some(*value),
                            })
                        }
                        Prop::KeyValue { key, value } => out.push(ObjectPatProp::KeyValue {
                            key,
                            value: self.expr_to_pat(value)?,
                        }),
                        Prop::Spread(e) => out.push(ObjectPatProp::Rest(self.expr_to_pat(e)?)),
                        Prop::Method { key, .. } => {
                            self.error(Message::InvalidAssignmentTarget, key.span());
                            return Err(Fatal);
                        }
                    }
                }
                Ok(Pat::Object {
                    props: out,
                    ty: None,
                    span,
                })
            }
            Expr::Assign {
                op: AssignOp::Assign,
                target,
                value,
                span,
            } => Ok(Pat::Assign {
                left: target,
                right: value,
                span,
            }),
            other => {
                self.error(Message::InvalidAssignmentTarget, other.span());
                Err(Fatal)
            }
        }
    }
}

/// Targets of compound assignment and `++`/`--`.
fn is_simple_target(e: &Expr) -> bool {
    match e {
        Expr::Ident(_) => true,
        Expr::Member { optional, .. } => !optional,
        Expr::Paren { expr, .. } | Expr::NonNull { expr, .. } | Expr::As { expr, .. } => {
            is_simple_target(expr)
        }
        _ => false,
    }
}
