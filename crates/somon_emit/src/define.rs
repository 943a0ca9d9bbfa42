//! esbuild's `--define` and `--drop`, applied after swc's `resolver` (so
//! only free names are touched: a local `process` or `console` is left
//! alone): a global name or dotted path (`process.env.NODE_ENV`) becomes a
//! constant expression, then constant conditions are folded and dead
//! branches removed; `console.…(…)` calls and `debugger` statements are
//! dropped.

use swc_core::common::{FileName, Mark, SourceMap, Spanned, SyntaxContext, DUMMY_SP};
use swc_core::ecma::ast as j;
use swc_core::ecma::ast::Pass;
use swc_core::ecma::parser::{parse_file_as_expr, EsSyntax, Syntax};
use swc_core::ecma::visit::{VisitMut, VisitMutWith};

/// A `--define` key: a JavaScript identifier or dotted identifiers.
pub fn valid_define_key(key: &str) -> bool {
    !key.is_empty()
        && key.split('.').all(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .is_some_and(|c| c == '$' || c == '_' || c.is_alphabetic())
                && chars.all(|c| c == '$' || c == '_' || c.is_alphanumeric())
        })
}

/// A `--define` value parsed as a JavaScript expression (a JSON value,
/// a string in quotes, a number, an identifier …); `None` when it is not
/// one.
fn parse_value(cm: &SourceMap, value: &str) -> Option<Box<j::Expr>> {
    let fm = cm.new_source_file(
        swc_core::common::sync::Lrc::new(FileName::Internal("define".into())),
        value.to_string(),
    );
    let mut errors = Vec::new();
    let expr = parse_file_as_expr(
        &fm,
        Syntax::Es(EsSyntax::default()),
        j::EsVersion::EsNext,
        None,
        &mut errors,
    )
    .ok()?;
    errors.is_empty().then_some(expr)
}

/// Whether a `--define` value is a JavaScript expression.
pub fn valid_define_value(value: &str) -> bool {
    swc_core::common::GLOBALS.set(&Default::default(), || {
        parse_value(&SourceMap::default(), value).is_some()
    })
}

struct Define {
    path: Vec<String>,
    value: Box<j::Expr>,
}

struct Apply {
    defines: Vec<Define>,
    drop_console: bool,
    drop_debugger: bool,
    free: SyntaxContext,
}

impl Apply {
    /// Whether `e` is the free name or member path `path`.
    fn is_path(&self, e: &j::Expr, path: &[String]) -> bool {
        let Some((last, rest)) = path.split_last() else {
            return false;
        };
        match e {
            j::Expr::Ident(i) => rest.is_empty() && i.ctxt == self.free && *i.sym == **last,
            j::Expr::Member(m) => {
                let name_matches = match &m.prop {
                    j::MemberProp::Ident(p) => *p.sym == **last,
                    j::MemberProp::Computed(c) => {
                        matches!(&*c.expr, j::Expr::Lit(j::Lit::Str(s)) if s.value.to_string_lossy() == last.as_str())
                    }
                    j::MemberProp::PrivateName(_) => false,
                };
                name_matches && self.is_path(&m.obj, rest)
            }
            j::Expr::Paren(p) => self.is_path(&p.expr, path),
            _ => false,
        }
    }

    /// The free root name of a callee's member chain (`console` of
    /// `console.log.bind`).
    fn root_is_console(&self, e: &j::Expr) -> bool {
        match e {
            j::Expr::Ident(i) => i.ctxt == self.free && &*i.sym == "console",
            j::Expr::Member(m) => self.root_is_console(&m.obj),
            j::Expr::Paren(p) => self.root_is_console(&p.expr),
            _ => false,
        }
    }

    fn is_console_call(&self, e: &j::Expr) -> bool {
        self.drop_console
            && matches!(e, j::Expr::Call(c) if matches!(&c.callee, j::Callee::Expr(callee) if matches!(&**callee, j::Expr::Member(_)) && self.root_is_console(callee)))
    }
}

/// Free identifiers of a define's value stay free where they land.
struct Free(SyntaxContext);

impl VisitMut for Free {
    fn visit_mut_ident(&mut self, i: &mut j::Ident) {
        i.ctxt = self.0;
    }
}

impl VisitMut for Apply {
    fn visit_mut_expr(&mut self, e: &mut j::Expr) {
        if let Some(d) = self.defines.iter().find(|d| self.is_path(e, &d.path)) {
            let mut value = d.value.clone();
            // The defined expression takes the place (and position) of
            // what it replaces.
            let span = e.span();
            if let j::Expr::Lit(j::Lit::Str(s)) = &mut *value {
                s.span = span;
            }
            *e = *value;
            return;
        }
        if self.is_console_call(e) {
            *e = j::Expr::Unary(j::UnaryExpr {
                span: e.span(),
                op: j::UnaryOp::Void,
                arg: Box::new(j::Expr::Lit(j::Lit::Num(j::Number {
                    span: DUMMY_SP,
                    value: 0.0,
                    raw: None,
                }))),
            });
            return;
        }
        e.visit_mut_children_with(self);
    }

    fn visit_mut_stmt(&mut self, s: &mut j::Stmt) {
        let drop = match s {
            j::Stmt::Debugger(_) => self.drop_debugger,
            j::Stmt::Expr(e) => self.is_console_call(&e.expr),
            _ => false,
        };
        if drop {
            *s = j::Stmt::Empty(j::EmptyStmt { span: s.span() });
            return;
        }
        s.visit_mut_children_with(self);
    }

    // An assignment's target is not a read: `process.env.X = 1` stays.
    fn visit_mut_simple_assign_target(&mut self, _: &mut j::SimpleAssignTarget) {}
}

/// Applies the options' defines and drops to `js` (after `resolver`:
/// `unresolved` marks free names). Invalid defines were refused earlier
/// and are skipped here.
pub(crate) fn apply(
    cm: &SourceMap,
    js: &mut j::Program,
    unresolved: Mark,
    defines: &[(String, String)],
    drop_console: bool,
    drop_debugger: bool,
) {
    if defines.is_empty() && !drop_console && !drop_debugger {
        return;
    }
    let free = SyntaxContext::empty().apply_mark(unresolved);
    let defines: Vec<Define> = defines
        .iter()
        .filter(|(k, _)| valid_define_key(k))
        .filter_map(|(k, v)| {
            let mut value = parse_value(cm, v)?;
            value.visit_mut_with(&mut Free(free));
            Some(Define {
                path: k.split('.').map(str::to_string).collect(),
                value,
            })
        })
        .collect();
    let folds = !defines.is_empty();
    js.visit_mut_with(&mut Apply {
        defines,
        drop_console,
        drop_debugger,
        free,
    });
    if folds {
        // `if ("production" !== "production") …` → gone.
        use swc_core::ecma::transforms::optimization::simplify::{
            dead_branch_remover, expr_simplifier,
        };
        for _ in 0..2 {
            expr_simplifier(unresolved, Default::default()).process(js);
            dead_branch_remover(unresolved).process(js);
        }
    }
}
