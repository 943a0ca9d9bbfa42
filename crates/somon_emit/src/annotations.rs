//! The annotations bundlers agree on, read from JavaScript source modules
//! (Rollup's and esbuild's meaning):
//!
//! - `/*#__PURE__*/` (or `/*@__PURE__*/`) before a call or `new`: the call
//!   does nothing but compute its result, so it may go when the result is
//!   unused (its arguments are still evaluated);
//! - `/*@__NO_SIDE_EFFECTS__*/` (or `#`) before a function declaration, a
//!   function or arrow expression a `const`/`let`/`var` is initialised
//!   with, or that declaration itself: every call of that function is
//!   such a call.
//!
//! A pure call is marked the way swc marks the ones it writes (its span
//! starts at [`BytePos::PURE`]): the tree-shaking analysis of
//! [`crate::link`] knows that mark, and the printer writes
//! `/*#__PURE__*/` before the call, so bundlers that read our output see
//! the annotation too.

use std::collections::HashSet;

use swc_core::common::comments::{CommentKind, Comments};
use swc_core::common::{BytePos, Span, Spanned, SyntaxContext};
use swc_core::ecma::ast as j;
use swc_core::ecma::atoms::Atom;
use swc_core::ecma::visit::{Visit, VisitMut, VisitMutWith, VisitWith};

/// Whether `text` may hold an annotation (a cheap test before parsing
/// with comments).
pub(crate) fn may_have_annotations(text: &str) -> bool {
    text.contains("__PURE__") || text.contains("__NO_SIDE_EFFECTS__")
}

/// Marks the annotated calls of `module` (after the resolver) pure, and
/// the calls of its annotated functions; returns those functions' ids
/// (top-level ones among them are what other modules may call).
pub(crate) fn apply(module: &mut j::Module, comments: &dyn Comments) -> HashSet<j::Id> {
    let mut found = NoSideEffects {
        comments,
        ids: HashSet::new(),
    };
    module.visit_with(&mut found);
    let ids = found.ids;
    module.visit_mut_with(&mut MarkPure {
        comments,
        functions: &ids,
    });
    ids
}

/// Whether a block comment right before `lo` is `#__FLAG__` or
/// `@__FLAG__` (read without moving the comments, unlike swc's
/// `has_flag`).
fn flagged(comments: &dyn Comments, lo: BytePos, flag: &str) -> bool {
    if lo.is_dummy() || lo.is_pure() {
        return false;
    }
    comments.get_leading(lo).is_some_and(|cs| {
        cs.iter().any(|c| {
            c.kind == CommentKind::Block && {
                let t = c.text.trim();
                let inner = t.strip_prefix("#__").or_else(|| t.strip_prefix("@__"));
                inner.and_then(|i| i.strip_suffix("__")) == Some(flag)
            }
        })
    })
}

struct NoSideEffects<'a> {
    comments: &'a dyn Comments,
    ids: HashSet<j::Id>,
}

impl NoSideEffects<'_> {
    fn says(&self, lo: BytePos) -> bool {
        flagged(self.comments, lo, "NO_SIDE_EFFECTS")
    }
}

fn is_function(e: &j::Expr) -> bool {
    match e {
        j::Expr::Paren(p) => is_function(&p.expr),
        j::Expr::Fn(_) | j::Expr::Arrow(_) => true,
        _ => false,
    }
}

impl Visit for NoSideEffects<'_> {
    fn visit_export_decl(&mut self, d: &j::ExportDecl) {
        // `/*@__NO_SIDE_EFFECTS__*/ export function f() {}`
        if self.says(d.span.lo) {
            match &d.decl {
                j::Decl::Fn(f) => {
                    self.ids.insert(f.ident.to_id());
                }
                j::Decl::Var(v) => self.var_decl(v, true),
                _ => {}
            }
        }
        d.visit_children_with(self);
    }

    fn visit_fn_decl(&mut self, f: &j::FnDecl) {
        // The comment is before `function` (or `async`).
        if self.says(f.function.span.lo) {
            self.ids.insert(f.ident.to_id());
        }
        f.visit_children_with(self);
    }

    fn visit_var_decl(&mut self, v: &j::VarDecl) {
        let whole = self.says(v.span.lo);
        self.var_decl(v, whole);
        v.visit_children_with(self);
    }
}

impl NoSideEffects<'_> {
    /// `const f = /*@__NO_SIDE_EFFECTS__*/ () => …`, or the whole
    /// declaration annotated (one declarator, as esbuild reads it).
    fn var_decl(&mut self, v: &j::VarDecl, whole: bool) {
        let one = v.decls.len() == 1;
        for d in &v.decls {
            let (j::Pat::Ident(name), Some(init)) = (&d.name, d.init.as_deref()) else {
                continue;
            };
            if is_function(init) && ((whole && one) || self.says(init.span_lo())) {
                self.ids.insert(name.id.to_id());
            }
        }
    }
}

struct MarkPure<'a> {
    comments: &'a dyn Comments,
    functions: &'a HashSet<j::Id>,
}

impl MarkPure<'_> {
    fn callee_is_annotated(&self, callee: &j::Expr) -> bool {
        match callee {
            j::Expr::Ident(i) => self.functions.contains(&i.to_id()),
            j::Expr::Paren(p) => self.callee_is_annotated(&p.expr),
            _ => false,
        }
    }
}

impl VisitMut for MarkPure<'_> {
    fn visit_mut_call_expr(&mut self, c: &mut j::CallExpr) {
        c.visit_mut_children_with(self);
        let annotated = match &c.callee {
            j::Callee::Expr(callee) => self.callee_is_annotated(callee),
            _ => false,
        };
        if annotated || flagged(self.comments, c.span.lo, "PURE") {
            c.span.lo = BytePos::PURE;
        }
    }

    fn visit_mut_new_expr(&mut self, n: &mut j::NewExpr) {
        n.visit_mut_children_with(self);
        if self.callee_is_annotated(&n.callee) || flagged(self.comments, n.span.lo, "PURE") {
            n.span.lo = BytePos::PURE;
        }
    }
}

/// The wrapper call our lowering writes for an enum or a namespace `name`
/// (`(function (Н) { …; return Н; })(Н || {})`), marked `/*#__PURE__*/`
/// when `body` does nothing but fill objects it owns (the parameter, its
/// aliases, its own locals), so that bundlers drop it when `Н` is unused.
pub(crate) fn object_wrapper(name: &str, mut body: Vec<j::Stmt>, span: Span) -> j::Expr {
    let ident = |sp: Span| j::Ident::new(Atom::from(name), sp, SyntaxContext::empty());
    let pure = crate::link::fills_only(&ident(span).to_id(), &body);
    body.push(j::Stmt::Return(j::ReturnStmt {
        span,
        arg: Some(Box::new(j::Expr::Ident(ident(span)))),
    }));
    let func = j::Function {
        this_param: None,
        params: vec![j::Param {
            span,
            decorators: vec![],
            pat: j::Pat::Ident(ident(span).into()),
        }],
        decorators: vec![],
        span,
        ctxt: SyntaxContext::empty(),
        body: Some(j::FunctionBody { span, stmts: body }),
        is_generator: false,
        is_async: false,
        type_params: None,
        return_type: None,
    };
    let arg = j::Expr::Bin(j::BinExpr {
        span,
        op: j::BinaryOp::LogicalOr,
        left: Box::new(j::Expr::Ident(ident(span))),
        right: Box::new(j::Expr::Object(j::ObjectLit {
            span,
            props: vec![],
        })),
    });
    let call_span = if pure {
        // Not `Span::new`, which would put the larger position last.
        Span {
            lo: BytePos::PURE,
            hi: span.hi,
        }
    } else {
        span
    };
    j::Expr::Call(j::CallExpr {
        span: call_span,
        ctxt: SyntaxContext::empty(),
        callee: j::Callee::Expr(Box::new(j::Expr::Paren(j::ParenExpr {
            span,
            expr: Box::new(j::Expr::Fn(j::FnExpr {
                ident: None,
                function: Box::new(func),
            })),
        }))),
        args: vec![j::ExprOrSpread {
            spread: None,
            expr: Box::new(arg),
        }],
        type_args: None,
    })
}

/// Classes whose static code (static fields and blocks, and the
/// `_define_property(C, …)` statements that follow a class on targets
/// without static fields) only fills the class itself become
/// `var C = /*#__PURE__*/ function () { class C { … } …; return C; }();`,
/// which bundlers (ours, esbuild, Rollup, webpack) drop when `C` is
/// unused; other classes stay as they are. `unresolved` is the resolver's
/// context of free names.
pub(crate) fn wrap_classes(module: &mut j::Module, unresolved: SyntaxContext) {
    let ctx = swc_core::ecma::utils::ExprCtx {
        unresolved_ctxt: unresolved,
        is_unresolved_ref_safe: false,
        in_strict: true,
        remaining_depth: 4,
    };
    let items = std::mem::take(&mut module.body);
    let mut out: Vec<j::ModuleItem> = Vec::with_capacity(items.len());
    let mut rest = items.into_iter().peekable();
    while let Some(item) = rest.next() {
        let (class, exported) = match item {
            j::ModuleItem::Stmt(j::Stmt::Decl(j::Decl::Class(c))) => (c, false),
            j::ModuleItem::ModuleDecl(j::ModuleDecl::ExportDecl(j::ExportDecl {
                decl: j::Decl::Class(c),
                ..
            })) => (c, true),
            other => {
                out.push(other);
                continue;
            }
        };
        let id = class.ident.to_id();
        let mut owned: HashSet<j::Id> = HashSet::new();
        owned.insert(id.clone());
        let Some(has_static) = static_code_fills_class(&class.class, &owned, ctx) else {
            out.push(class_item(class, exported));
            continue;
        };
        let mut trailing: Vec<j::Stmt> = Vec::new();
        while let Some(j::ModuleItem::Stmt(s @ j::Stmt::Expr(_))) = rest.peek() {
            let fills =
                crate::link::define_property_target(s, ctx, &|n| n.starts_with("_define_property"))
                    .is_some_and(|t| t == id)
                    || crate::link::owned_statement(s, &mut owned.clone(), ctx, 0);
            if !fills {
                break;
            }
            if let Some(j::ModuleItem::Stmt(s)) = rest.next() {
                trailing.push(s);
            }
        }
        if !has_static && trailing.is_empty() {
            out.push(class_item(class, exported));
            continue;
        }
        out.push(wrapped_class(class, trailing, exported));
    }
    module.body = out;
}

fn class_item(class: j::ClassDecl, exported: bool) -> j::ModuleItem {
    let decl = j::Decl::Class(class);
    if exported {
        j::ModuleItem::ModuleDecl(j::ModuleDecl::ExportDecl(j::ExportDecl {
            span: Span::default(),
            decl,
        }))
    } else {
        j::ModuleItem::Stmt(j::Stmt::Decl(decl))
    }
}

/// `Some(whether there is static code)` when every static field and
/// block only fills the class (`owned`); `None` otherwise.
fn static_code_fills_class(
    class: &j::Class,
    owned: &HashSet<j::Id>,
    ctx: swc_core::ecma::utils::ExprCtx,
) -> Option<bool> {
    use swc_core::ecma::utils::ExprExt;
    if !class.decorators.is_empty()
        || class
            .super_class
            .as_deref()
            .is_some_and(|s| s.may_have_side_effects(ctx))
    {
        return None;
    }
    let key_ok = |k: &j::PropName| match k {
        j::PropName::Computed(c) => !c.expr.may_have_side_effects(ctx),
        _ => true,
    };
    // A static field's initialiser (public or private) runs with the class:
    // it counts as static code and may only fill what the class owns.
    let static_value_ok = |is_static: bool, value: Option<&j::Expr>, any: &mut bool| match value
        .filter(|_| is_static)
    {
        Some(v) => {
            *any = true;
            crate::link::owned_expr(v, owned, ctx)
        }
        None => true,
    };
    let mut any = false;
    for m in &class.body {
        match m {
            j::ClassMember::StaticBlock(b) => {
                any = true;
                let mut owned = owned.clone();
                if !b
                    .body
                    .stmts
                    .iter()
                    .all(|s| crate::link::owned_statement(s, &mut owned, ctx, 0))
                {
                    return None;
                }
            }
            j::ClassMember::ClassProp(p) => {
                if !key_ok(&p.key) || !p.decorators.is_empty() {
                    return None;
                }
                if !static_value_ok(p.is_static, p.value.as_deref(), &mut any) {
                    return None;
                }
            }
            j::ClassMember::PrivateProp(p) => {
                if !static_value_ok(p.is_static, p.value.as_deref(), &mut any) {
                    return None;
                }
            }
            j::ClassMember::Method(m) => {
                if !key_ok(&m.key) {
                    return None;
                }
            }
            j::ClassMember::Constructor(_)
            | j::ClassMember::PrivateMethod(_)
            | j::ClassMember::Empty(_) => {}
            _ => return None,
        }
    }
    Some(any)
}

fn wrapped_class(class: j::ClassDecl, mut trailing: Vec<j::Stmt>, exported: bool) -> j::ModuleItem {
    let span = class.class.span;
    let ident = class.ident.clone();
    let mut stmts = vec![j::Stmt::Decl(j::Decl::Class(class))];
    stmts.append(&mut trailing);
    stmts.push(j::Stmt::Return(j::ReturnStmt {
        span,
        arg: Some(Box::new(j::Expr::Ident(ident.clone()))),
    }));
    let func = j::Function {
        this_param: None,
        params: vec![],
        decorators: vec![],
        span,
        ctxt: SyntaxContext::empty(),
        body: Some(j::FunctionBody { span, stmts }),
        is_generator: false,
        is_async: false,
        type_params: None,
        return_type: None,
    };
    let call = j::Expr::Call(j::CallExpr {
        span: Span {
            lo: BytePos::PURE,
            hi: span.hi,
        },
        ctxt: SyntaxContext::empty(),
        callee: j::Callee::Expr(Box::new(j::Expr::Paren(j::ParenExpr {
            span,
            expr: Box::new(j::Expr::Fn(j::FnExpr {
                ident: None,
                function: Box::new(func),
            })),
        }))),
        args: vec![],
        type_args: None,
    });
    let decl = j::Decl::Var(Box::new(j::VarDecl {
        span,
        ctxt: SyntaxContext::empty(),
        kind: j::VarDeclKind::Var,
        declare: false,
        decls: vec![j::VarDeclarator {
            span,
            name: j::Pat::Ident(ident.into()),
            init: Some(Box::new(call)),
            definite: false,
        }],
    }));
    if exported {
        j::ModuleItem::ModuleDecl(j::ModuleDecl::ExportDecl(j::ExportDecl { span, decl }))
    } else {
        j::ModuleItem::Stmt(j::Stmt::Decl(decl))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: &str) -> j::Ident {
        j::Ident::new(Atom::from(n), Span::default(), SyntaxContext::empty())
    }

    /// `E[E["A"] = 0] = "A"`
    fn fill(obj: &str) -> j::Stmt {
        let member = |prop: j::Expr| {
            j::SimpleAssignTarget::Member(j::MemberExpr {
                span: Span::default(),
                obj: Box::new(j::Expr::Ident(id(obj))),
                prop: j::MemberProp::Computed(j::ComputedPropName {
                    span: Span::default(),
                    expr: Box::new(prop),
                }),
            })
        };
        let inner = j::Expr::Assign(j::AssignExpr {
            span: Span::default(),
            op: j::AssignOp::Assign,
            left: member(j::Expr::Lit(j::Lit::Str("A".into()))).into(),
            right: Box::new(j::Expr::Lit(j::Lit::Num(0.0.into()))),
        });
        j::Stmt::Expr(j::ExprStmt {
            span: Span::default(),
            expr: Box::new(j::Expr::Assign(j::AssignExpr {
                span: Span::default(),
                op: j::AssignOp::Assign,
                left: member(inner).into(),
                right: Box::new(j::Expr::Lit(j::Lit::Str("A".into()))),
            })),
        })
    }

    #[test]
    fn a_wrapper_that_only_fills_its_object_is_pure() {
        let call = |body| match object_wrapper("E", body, Span::default()) {
            j::Expr::Call(c) => c.span.lo.is_pure(),
            _ => false,
        };
        assert!(call(vec![fill("E")]));
        // Filling another object is an effect.
        assert!(!call(vec![fill("Other")]));
    }
}
