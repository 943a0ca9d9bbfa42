//! Type syntax. Types are erased from the output but parsed completely, so
//! the checker can use them and bad types are reported.

use super::{Fatal, PResult, Parser};
use crate::ast::*;
use crate::keywords::Kw;
use crate::token::{Token, TokenKind, TokenValue, ValueId, P};
use somon_diagnostics::Span;

impl<'s> Parser<'s> {
    pub fn parse_type(&mut self) -> PResult<Type> {
        self.nested(Self::parse_type_inner)
    }

    fn parse_type_inner(&mut self) -> PResult<Type> {
        let lo = self.cur().span.lo;
        // Function and constructor types: `(а: рақам) => сатр`, `<Т>(…) => …`.
        let is_ctor = self.at_kw(Kw::New) && (self.nth(1).is(P::LParen) || self.nth(1).is(P::Lt));
        if is_ctor || self.at(P::Lt) || self.at(P::LParen) {
            let f = self.try_parse(|p| {
                if is_ctor {
                    p.advance(1);
                }
                let type_params = p.parse_type_params_opt()?;
                let params = p.parse_params()?;
                if !p.eat(P::Arrow) {
                    return Err(Fatal);
                }
                Ok((type_params, params))
            });
            if let Some((type_params, params)) = f {
                let ret = self.parse_return_type()?;
                return Ok(Type::Function {
                    type_params,
                    params,
                    ret: Box::new(ret),
                    is_constructor: is_ctor,
                    span: self.span_from(lo),
                });
            }
        }
        let check = self.parse_union()?;
        if self.at_kw(Kw::Extends) && !self.cur().nl_before {
            self.advance(1);
            let extends = self.parse_union()?;
            self.expect(P::Question);
            let true_ty = self.parse_type()?;
            self.expect(P::Colon);
            let false_ty = self.parse_type()?;
            return Ok(Type::Conditional {
                check: Box::new(check),
                extends: Box::new(extends),
                true_ty: Box::new(true_ty),
                false_ty: Box::new(false_ty),
                span: self.span_from(lo),
            });
        }
        Ok(check)
    }

    /// A return type, which may be a type predicate `х аст Т`.
    pub fn parse_return_type(&mut self) -> PResult<Type> {
        let lo = self.cur().span.lo;
        let asserts = self.at_kw(Kw::Asserts)
            && self.nth(1).kind == TokenKind::Word
            && !self.nth(1).nl_before;
        let start = usize::from(asserts);
        let name = self.nth(start);
        if (name.kind == TokenKind::Word)
            && self.nth(start + 1).is_kw(Kw::Is)
            && !self.nth(start + 1).nl_before
        {
            self.advance(start + 2);
            self.parse_type()?;
            return Ok(Type::Predicate(self.span_from(lo)));
        }
        if asserts {
            self.advance(2);
            return Ok(Type::Predicate(self.span_from(lo)));
        }
        self.parse_type()
    }

    fn parse_union(&mut self) -> PResult<Type> {
        let lo = self.cur().span.lo;
        let leading = self.eat(P::Pipe);
        let first = self.parse_intersection()?;
        if !self.at(P::Pipe) {
            return Ok(if leading {
                Type::Union(vec![first], self.span_from(lo))
            } else {
                first
            });
        }
        let mut types = vec![first];
        while self.eat(P::Pipe) {
            types.push(self.parse_intersection()?);
        }
        Ok(Type::Union(types, self.span_from(lo)))
    }

    fn parse_intersection(&mut self) -> PResult<Type> {
        let lo = self.cur().span.lo;
        self.eat(P::Amp);
        let first = self.parse_type_operator()?;
        if !self.at(P::Amp) {
            return Ok(first);
        }
        let mut types = vec![first];
        while self.eat(P::Amp) {
            types.push(self.parse_type_operator()?);
        }
        Ok(Type::Intersection(types, self.span_from(lo)))
    }

    fn parse_type_operator(&mut self) -> PResult<Type> {
        let t = *self.cur();
        let lo = t.span.lo;
        let next_starts_type = !self.nth(1).nl_before
            && matches!(
                self.nth(1).kind,
                TokenKind::Word | TokenKind::Punct(P::LParen | P::LBracket | P::LBrace)
            );
        match t.kw {
            Some(Kw::Keyof) if next_starts_type => {
                self.advance(1);
                let inner = self.nested(Self::parse_type_operator)?;
                Ok(Type::Keyof(Box::new(inner), self.span_from(lo)))
            }
            Some(Kw::Readonly) if next_starts_type => {
                self.advance(1);
                let inner = self.nested(Self::parse_type_operator)?;
                Ok(Type::Readonly(Box::new(inner), self.span_from(lo)))
            }
            Some(Kw::Unique) if next_starts_type => {
                self.advance(1);
                let inner = self.nested(Self::parse_type_operator)?;
                Ok(Type::Unique(Box::new(inner), self.span_from(lo)))
            }
            Some(Kw::Infer) if self.nth(1).kind == TokenKind::Word => {
                self.advance(1);
                let name = self.binding_ident()?;
                if self.at_kw(Kw::Extends) && !self.nth(1).is(P::Question) {
                    // `infer У мерос Т` constraint inside a conditional's extends.
                    let cp = self.checkpoint();
                    self.advance(1);
                    if self.nested(Self::parse_type_operator).is_err() || self.at(P::Question) {
                        self.rewind(cp);
                    }
                }
                Ok(Type::Infer(name, self.span_from(lo)))
            }
            _ => self.parse_postfix_type(),
        }
    }

    fn parse_postfix_type(&mut self) -> PResult<Type> {
        let lo = self.cur().span.lo;
        let mut ty = self.parse_primary_type()?;
        // Each `[]` nests the type one level deeper: it counts towards the
        // nesting limit (a loop would otherwise build a type of any depth).
        let mut levels = 0;
        while self.at(P::LBracket) && !self.cur().nl_before {
            self.enter()?;
            levels += 1;
            self.advance(1);
            if self.eat(P::RBracket) {
                ty = Type::Array(Box::new(ty), self.span_from(lo));
            } else {
                let index = self.parse_type()?;
                self.expect(P::RBracket);
                ty = Type::IndexedAccess(Box::new(ty), Box::new(index), self.span_from(lo));
            }
        }
        for _ in 0..levels {
            self.leave();
        }
        Ok(ty)
    }

    fn parse_primary_type(&mut self) -> PResult<Type> {
        let t = *self.cur();
        let span = t.span;
        let lo = span.lo;
        match (&t.kind, self.value(&t).clone()) {
            (TokenKind::Str, TokenValue::Str(s)) => {
                self.advance(1);
                return Ok(Type::StrLit(s, span));
            }
            (TokenKind::Num, TokenValue::Num(n)) => {
                self.advance(1);
                return Ok(Type::NumLit(n, span));
            }
            (TokenKind::BigInt, _) => {
                self.advance(1);
                return Ok(Type::BigIntLit(span));
            }
            (TokenKind::Punct(P::Minus), _) if self.nth(1).kind == TokenKind::Num => {
                self.advance(1);
                let t = self.bump();
                let n = match self.value(&t) {
                    TokenValue::Num(n) => -n,
                    _ => 0.0,
                };
                return Ok(Type::NumLit(n, self.span_from(lo)));
            }
            (TokenKind::Template | TokenKind::TemplateHead, _) => {
                // Template-literal types: `ном-${сатр}`.
                loop {
                    let t = self.bump();
                    if matches!(t.kind, TokenKind::Template | TokenKind::TemplateTail) {
                        break;
                    }
                    self.parse_type()?;
                    if !matches!(
                        self.cur().kind,
                        TokenKind::TemplateMiddle | TokenKind::TemplateTail
                    ) {
                        return Err(self.unexpected());
                    }
                }
                return Ok(Type::TemplateLit(self.span_from(lo)));
            }
            (TokenKind::Punct(P::LParen), _) => {
                self.advance(1);
                let inner = self.parse_type()?;
                self.expect(P::RParen);
                return Ok(Type::Paren(Box::new(inner), self.span_from(lo)));
            }
            (TokenKind::Punct(P::LBracket), _) => return self.parse_tuple_type(),
            (TokenKind::Punct(P::LBrace), _) => {
                if self.is_mapped_type_start() {
                    return self.parse_mapped_type();
                }
                let members = self.parse_type_members()?;
                return Ok(Type::Object(members, self.span_from(lo)));
            }
            (TokenKind::Word, _) => {}
            _ => return Err(self.unexpected()),
        }
        let keyword = |k| Some(Type::Keyword(k, span));
        let simple = match t.kw {
            Some(Kw::String) => keyword(TypeKeyword::String),
            Some(Kw::Number) => keyword(TypeKeyword::Number),
            Some(Kw::Boolean) => keyword(TypeKeyword::Boolean),
            Some(Kw::Bigint) => keyword(TypeKeyword::Bigint),
            Some(Kw::Symbol) => keyword(TypeKeyword::Symbol),
            Some(Kw::Any) => keyword(TypeKeyword::Any),
            Some(Kw::Unknown) => keyword(TypeKeyword::Unknown),
            Some(Kw::Never) => keyword(TypeKeyword::Never),
            Some(Kw::Void) => keyword(TypeKeyword::Void),
            Some(Kw::Object) => keyword(TypeKeyword::Object),
            Some(Kw::Null) => keyword(TypeKeyword::Null),
            Some(Kw::Undefined) => keyword(TypeKeyword::Undefined),
            Some(Kw::This) => keyword(TypeKeyword::This),
            Some(Kw::True) => Some(Type::BoolLit(true, span)),
            Some(Kw::False) => Some(Type::BoolLit(false, span)),
            _ => None,
        };
        // A keyword type followed by `.` is a qualified name (`сатр.Т`
        // never happens, but `ин.х` in `навъи` does): only when not.
        if let Some(ty) = simple {
            if !self.nth(1).is(P::Dot) {
                self.advance(1);
                return Ok(ty);
            }
        }
        if t.kw == Some(Kw::Typeof) && self.nth(1).kind == TokenKind::Word {
            self.advance(1);
            let mut path = vec![self.ident_name()?];
            while self.eat(P::Dot) {
                path.push(self.ident_name()?);
            }
            if self.at(P::Lt) && !self.cur().nl_before {
                self.parse_type_args()?;
            }
            return Ok(Type::Typeof(path, self.span_from(lo)));
        }
        self.parse_type_ref()
    }

    /// `Ном.Ном<Т, …>`
    pub fn parse_type_ref(&mut self) -> PResult<Type> {
        let lo = self.cur().span.lo;
        let first = self.ident_name()?;
        let mut name = vec![first];
        while self.at(P::Dot) && self.nth(1).kind == TokenKind::Word {
            self.advance(1);
            name.push(self.ident_name()?);
        }
        let args = if self.at(P::Lt) && !self.cur().nl_before {
            self.parse_type_args()?
        } else {
            Vec::new()
        };
        Ok(Type::Ref {
            name,
            args,
            span: self.span_from(lo),
        })
    }

    fn parse_tuple_type(&mut self) -> PResult<Type> {
        let lo = self.bump().span.lo;
        let mut elems = Vec::new();
        while !self.at(P::RBracket) && !self.at_eof() {
            let rest = self.eat(P::DotDotDot);
            // Named elements: `[ном: сатр, синну?: рақам]`.
            let named = self.cur().kind == TokenKind::Word
                && (self.nth(1).is(P::Colon)
                    || (self.nth(1).is(P::Question) && self.nth(2).is(P::Colon)));
            let mut optional = false;
            if named {
                self.advance(1);
                optional = self.eat(P::Question);
                self.advance(1);
            }
            let ty = self.parse_type()?;
            if !named && self.eat(P::Question) {
                optional = true;
            }
            elems.push(TupleElem { ty, optional, rest });
            if !self.at(P::RBracket) && !self.expect(P::Comma) {
                break;
            }
        }
        self.expect(P::RBracket);
        Ok(Type::Tuple(elems, self.span_from(lo)))
    }

    fn is_mapped_type_start(&self) -> bool {
        let mut i = 1;
        let n = self.nth(i);
        if matches!(n.kw, Some(Kw::Readonly)) || n.is(P::Plus) || n.is(P::Minus) {
            i += 1;
            if self.nth(i).is_kw(Kw::Readonly) {
                i += 1;
            }
        }
        self.nth(i).is(P::LBracket)
            && self.nth(i + 1).kind == TokenKind::Word
            && self.nth(i + 2).is_kw(Kw::In)
    }

    fn parse_mapped_type(&mut self) -> PResult<Type> {
        let lo = self.bump().span.lo;
        if self.at(P::Plus) || self.at(P::Minus) {
            self.advance(1);
        }
        self.eat_kw(Kw::Readonly);
        self.expect(P::LBracket);
        self.binding_ident()?;
        self.advance(1); // дар
        self.parse_type()?;
        if self.eat_kw(Kw::As) {
            self.parse_type()?;
        }
        self.expect(P::RBracket);
        if self.at(P::Plus) || self.at(P::Minus) {
            self.advance(1);
        }
        self.eat(P::Question);
        if self.eat(P::Colon) {
            self.parse_type()?;
        }
        self.eat(P::Semi);
        self.eat(P::Comma);
        self.expect(P::RBrace);
        Ok(Type::Mapped(self.span_from(lo)))
    }

    /// `{ ном: Т; усул(…): Т; [к: сатр]: Т; (…): Т; нав (…): Т }`
    pub fn parse_type_members(&mut self) -> PResult<Vec<TypeMember>> {
        self.expect_or_fail(P::LBrace)?;
        let mut members = Vec::new();
        while !self.at(P::RBrace) && !self.at_eof() && !self.aborted {
            let lo = self.cur().span.lo;
            if self.at(P::LParen) || self.at(P::Lt) {
                self.parse_type_params_opt()?;
                let params = self.parse_params()?;
                let ret = if self.eat(P::Colon) {
                    Some(self.parse_return_type()?)
                } else {
                    None
                };
                members.push(TypeMember::Call {
                    params,
                    ret,
                    span: self.span_from(lo),
                });
            } else if self.at_kw(Kw::New) && (self.nth(1).is(P::LParen) || self.nth(1).is(P::Lt)) {
                self.advance(1);
                self.parse_type_params_opt()?;
                let params = self.parse_params()?;
                let ret = if self.eat(P::Colon) {
                    Some(self.parse_type()?)
                } else {
                    None
                };
                members.push(TypeMember::Construct {
                    params,
                    ret,
                    span: self.span_from(lo),
                });
            } else {
                let readonly = self.at_kw(Kw::Readonly)
                    && !matches!(
                        self.nth(1).kind,
                        TokenKind::Punct(P::Colon | P::Question | P::LParen | P::Semi | P::Comma)
                    );
                if readonly {
                    self.advance(1);
                }
                if self.at(P::LBracket)
                    && self.nth(1).kind == TokenKind::Word
                    && self.nth(2).is(P::Colon)
                {
                    self.advance(3);
                    let key_ty = self.parse_type()?;
                    self.expect(P::RBracket);
                    self.expect(P::Colon);
                    let ty = self.parse_type()?;
                    members.push(TypeMember::Index {
                        key_ty,
                        ty,
                        span: self.span_from(lo),
                    });
                } else {
                    let getter_setter = matches!(self.cur().kw, Some(Kw::Get | Kw::Set))
                        && matches!(self.nth(1).kind, TokenKind::Word | TokenKind::Str);
                    if getter_setter {
                        self.advance(1);
                    }
                    let key = self.parse_prop_name()?;
                    let optional = self.eat(P::Question);
                    if self.at(P::LParen) || self.at(P::Lt) {
                        let type_params = self.parse_type_params_opt()?;
                        let params = self.parse_params()?;
                        let ret = if self.eat(P::Colon) {
                            Some(self.parse_return_type()?)
                        } else {
                            None
                        };
                        members.push(TypeMember::Method {
                            key,
                            type_params,
                            params,
                            ret,
                            optional,
                            span: self.span_from(lo),
                        });
                    } else {
                        let ty = if self.eat(P::Colon) {
                            Some(self.parse_type()?)
                        } else {
                            None
                        };
                        members.push(TypeMember::Property {
                            key,
                            ty,
                            optional,
                            readonly,
                            span: self.span_from(lo),
                        });
                    }
                }
            }
            // Members are separated by `;`, `,` or a line break.
            if !self.eat(P::Semi)
                && !self.eat(P::Comma)
                && !self.at(P::RBrace)
                && !self.cur().nl_before
            {
                let found = self.found();
                let span = self.cur().span;
                self.error(
                    somon_diagnostics::Message::Expected {
                        expected: "`;`".into(),
                        found,
                    },
                    span,
                );
                return Err(Fatal);
            }
        }
        self.expect(P::RBrace);
        Ok(members)
    }

    /// `<Т мерос У = В, …>` when present.
    pub fn parse_type_params_opt(&mut self) -> PResult<Vec<TypeParam>> {
        if !self.at(P::Lt) {
            return Ok(Vec::new());
        }
        self.advance(1);
        let mut params = Vec::new();
        while !self.at_gt() && !self.at_eof() {
            self.eat_kw(Kw::Const);
            let name = self.binding_ident()?;
            let constraint = if self.eat_kw(Kw::Extends) {
                Some(self.parse_type()?)
            } else {
                None
            };
            let default = if self.eat(P::Eq) {
                Some(self.parse_type()?)
            } else {
                None
            };
            params.push(TypeParam {
                name,
                constraint,
                default,
            });
            if !self.at_gt() && !self.expect(P::Comma) {
                break;
            }
        }
        self.expect_gt();
        Ok(params)
    }

    /// `<Т, …>` type arguments.
    pub fn parse_type_args(&mut self) -> PResult<Vec<Type>> {
        self.expect_or_fail(P::Lt)?;
        let mut args = Vec::new();
        while !self.at_gt() && !self.at_eof() {
            args.push(self.parse_type()?);
            if !self.at_gt() && !self.expect(P::Comma) {
                return Err(Fatal);
            }
        }
        if !self.expect_gt() {
            return Err(Fatal);
        }
        Ok(args)
    }

    fn at_gt(&self) -> bool {
        matches!(
            self.cur().kind,
            TokenKind::Punct(P::Gt | P::Shr | P::UShr | P::GtEq | P::ShrEq | P::UShrEq)
        )
    }

    /// Consumes one `>`, splitting `>>`, `>>>`, `>=`, `>>=` as needed so
    /// nested generics close correctly.
    fn expect_gt(&mut self) -> bool {
        let t = *self.cur();
        let rest = match t.kind {
            TokenKind::Punct(P::Gt) => {
                self.advance(1);
                return true;
            }
            TokenKind::Punct(P::Shr) => P::Gt,
            TokenKind::Punct(P::UShr) => P::Shr,
            TokenKind::Punct(P::GtEq) => P::Eq,
            TokenKind::Punct(P::ShrEq) => P::GtEq,
            TokenKind::Punct(P::UShrEq) => P::ShrEq,
            _ => return self.expect(P::Gt),
        };
        self.replace_current(Token {
            kind: TokenKind::Punct(rest),
            kw: None,
            span: Span::new(t.span.lo + 1, t.span.hi),
            nl_before: false,
            value: ValueId::NONE,
        });
        true
    }
}
