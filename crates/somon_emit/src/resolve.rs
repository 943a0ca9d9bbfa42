//! Marks every identifier of the lowered module as swc's `resolver` would,
//! and renames free built-ins on the way (what `builtins::builtin_names`
//! does as a walk of its own after the resolver): one walk instead of two.
//!
//! The module is strict-mode ES module code without types, so scoping is
//! plain JavaScript's: a binding's context carries the mark of the scope
//! that declares it (the top level's mark for top-level bindings), and a
//! name no scope declares carries the unresolved mark. Scopes are created
//! where swc's resolver creates them, in the same order (a fresh mark,
//! child of the top level's, per function, block, loop head and body,
//! `catch`, `switch`, class, object literal and named function
//! expression), so the marks are those swc would give. Declarations are
//! known before their scope is walked ("hoisting"): a statement list's
//! `let`, `const`, classes and functions belong to its own scope, `var`s
//! anywhere inside a function body (blocks, loops, `try`, `switch`, not
//! nested functions) to the function body's scope, parameters to the
//! function's scope, a `catch` parameter to the `catch` scope, imports and
//! the top level's declarations to the module.
//!
//! Every identifier is then marked by looking its name up from the
//! innermost scope out, bindings and references alike; labels are not
//! marked, nor are names of other modules (imported names, `export … from`).
//! `emit`'s tests compile programs both ways (`ALWAYS_RUN_SWC_RESOLVER`)
//! and compare the output byte for byte.

use crate::builtins::Aliases;
use crate::names::builtin_global;
use rustc_hash::FxHashSet;
use swc_core::common::{Mark, SyntaxContext};
use swc_core::ecma::ast::{
    ArrowExpr, ArrowFunctionBody, BlockStmt, BreakStmt, CatchClause, Class, ClassDecl, ClassExpr,
    ClassMethod, Constructor, ContinueStmt, Decl, DefaultDecl, ExportDefaultDecl, FnDecl, FnExpr,
    ForHead, ForInStmt, ForOfStmt, ForStmt, Function, FunctionBody, Ident, ImportSpecifier,
    LabeledStmt, MemberExpr, Module, ModuleDecl, ModuleItem, NamedExport, ObjectLit, ObjectPatProp,
    Pat, PrivateMethod, Prop, StaticBlock, Stmt, SuperPropExpr, SwitchStmt, VarDecl, VarDeclKind,
    VarDeclOrExpr,
};
use swc_core::ecma::atoms::Atom;
use swc_core::ecma::visit::{VisitMut, VisitMutWith};

/// Marks `module` (its identifiers must carry no context yet) and renames
/// its free built-ins.
pub(crate) fn resolve_with_builtins(module: &mut Module, unresolved: Mark, top_level: Mark) {
    resolve_in(module, unresolved, top_level, None);
}

/// [`resolve_with_builtins`] of one statement of a module (as a module of
/// its own) whose top level declares `module_names`: they resolve to the
/// top level, wherever in the module they are declared.
pub(crate) fn resolve_statement_with_builtins(
    module: &mut Module,
    unresolved: Mark,
    top_level: Mark,
    module_names: &FxHashSet<Atom>,
) {
    resolve_in(module, unresolved, top_level, Some(module_names));
}

fn resolve_in(
    module: &mut Module,
    unresolved: Mark,
    top_level: Mark,
    module_names: Option<&FxHashSet<Atom>>,
) {
    let mut r = Resolve {
        scopes: Vec::new(),
        unresolved,
        unresolved_ctxt: SyntaxContext::empty().apply_mark(unresolved),
        top_level,
        vars_claimed: false,
        aliases: Aliases::default(),
        module_names,
        top_level_ctxt: SyntaxContext::empty().apply_mark(top_level),
    };
    module.visit_mut_with(&mut r);
}

struct Scope {
    /// The context of this scope's bindings (interning a context is a
    /// lookup in swc's global tables: done once per scope).
    ctxt: SyntaxContext,
    names: FxHashSet<Atom>,
}

struct Resolve<'n> {
    scopes: Vec<Scope>,
    /// The top-level names of the whole module, when one statement of it
    /// is resolved on its own.
    module_names: Option<&'n FxHashSet<Atom>>,
    top_level_ctxt: SyntaxContext,
    unresolved: Mark,
    unresolved_ctxt: SyntaxContext,
    top_level: Mark,
    /// A statement list around this point in the same function has already
    /// taken the function's `var`s.
    vars_claimed: bool,
    aliases: Aliases,
}

impl Resolve<'_> {
    fn push(&mut self, names: FxHashSet<Atom>) -> Mark {
        let mark = Mark::fresh(self.top_level);
        let ctxt = SyntaxContext::empty().apply_mark(mark);
        self.scopes.push(Scope { ctxt, names });
        mark
    }

    fn pop(&mut self) {
        self.scopes.pop();
    }

    fn lookup(&self, sym: &Atom) -> SyntaxContext {
        for scope in self.scopes.iter().rev() {
            if !scope.names.is_empty() && scope.names.contains(sym) {
                return scope.ctxt;
            }
        }
        // The module scope is the outermost: its names declared elsewhere
        // in the module come last.
        if self.module_names.is_some_and(|names| names.contains(sym)) {
            return self.top_level_ctxt;
        }
        self.unresolved_ctxt
    }

    fn mark_ctxt(ctxt: &mut SyntaxContext, mark: Mark) {
        if *ctxt == SyntaxContext::empty() {
            *ctxt = SyntaxContext::empty().apply_mark(mark);
        }
    }

    /// A statement list in a scope of its own: its declarations, then
    /// its statements.
    fn stmts_in_new_scope(&mut self, stmts: &mut Vec<Stmt>, ctxt: &mut SyntaxContext) {
        let mut names = FxHashSet::default();
        let claim = !self.vars_claimed;
        hoist_stmts(stmts, claim, &mut names);
        let mark = self.push(names);
        Self::mark_ctxt(ctxt, mark);
        let outer = std::mem::replace(&mut self.vars_claimed, true);
        // Nested blocks get more stack, as nested expressions do.
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || stmts.visit_mut_with(self));
        self.vars_claimed = outer;
        self.pop();
    }

    /// A function's parameters and body, in a scope of its own.
    fn function(&mut self, f: &mut Function) {
        let mut names = FxHashSet::default();
        for p in &f.params {
            pat_names(&p.pat, &mut names);
        }
        if let Some(body) = &f.body {
            hoist_stmts(&body.stmts, true, &mut names);
        }
        let mark = self.push(names);
        Self::mark_ctxt(&mut f.ctxt, mark);
        f.decorators.visit_mut_with(self);
        f.params.visit_mut_with(self);
        self.body(f.body.as_mut());
        self.pop();
    }

    /// A function body's statements, in the function's scope.
    fn body(&mut self, body: Option<&mut FunctionBody>) {
        if let Some(body) = body {
            let outer = std::mem::replace(&mut self.vars_claimed, true);
            body.stmts.visit_mut_with(self);
            self.vars_claimed = outer;
        }
    }

    /// A loop body: a scope of its own (a block's statements are in it).
    /// `for (left in right) body` and `for (left of right) body`: the
    /// head's lexical names in a scope of their own around the loop.
    fn for_in_or_of(
        &mut self,
        left: &mut ForHead,
        right: &mut swc_core::ecma::ast::Expr,
        body: &mut Stmt,
    ) {
        let mut names = FxHashSet::default();
        if let ForHead::VarDecl(v) = &*left {
            lexical_names(v, &mut names);
        }
        self.push(names);
        left.visit_mut_with(self);
        right.visit_mut_with(self);
        self.loop_body(body);
        self.pop();
    }

    fn loop_body(&mut self, body: &mut Stmt) {
        if let Stmt::Block(b) = body {
            self.stmts_in_new_scope(&mut b.stmts, &mut b.ctxt);
        } else {
            self.push(FxHashSet::default());
            body.visit_mut_with(self);
            self.pop();
        }
    }
}

impl VisitMut for Resolve<'_> {
    // Deeply nested code gets more stack, as in lowering.
    fn visit_mut_expr(&mut self, e: &mut swc_core::ecma::ast::Expr) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || e.visit_mut_children_with(self));
    }

    fn visit_mut_ident(&mut self, i: &mut Ident) {
        let free = if i.ctxt == SyntaxContext::empty() {
            i.ctxt = self.lookup(&i.sym);
            i.ctxt == self.unresolved_ctxt
        } else {
            i.ctxt.outer() == self.unresolved
        };
        if free {
            if let Some(js) = builtin_global(&i.sym) {
                i.sym = Atom::from(js);
            }
        }
    }

    fn visit_mut_member_expr(&mut self, m: &mut MemberExpr) {
        m.visit_mut_children_with(self);
        self.aliases.member(m, self.unresolved);
    }

    fn visit_mut_super_prop_expr(&mut self, s: &mut SuperPropExpr) {
        s.visit_mut_children_with(self);
        self.aliases.super_prop(s);
    }

    fn visit_mut_module(&mut self, module: &mut Module) {
        let mut names = FxHashSet::default();
        for item in &module.body {
            match item {
                ModuleItem::Stmt(s) => {
                    hoist_stmt(s, &mut names);
                    var_names_in_stmt(s, &mut names);
                }
                ModuleItem::ModuleDecl(d) => match d {
                    ModuleDecl::Import(i) => {
                        for s in &i.specifiers {
                            let local = match s {
                                ImportSpecifier::Named(n) => &n.local,
                                ImportSpecifier::Default(d) => &d.local,
                                ImportSpecifier::Namespace(n) => &n.local,
                            };
                            names.insert(local.sym.clone());
                        }
                    }
                    ModuleDecl::ExportDecl(e) => {
                        hoist_decl(&e.decl, &mut names);
                        if let Decl::Var(v) = &e.decl {
                            if v.kind == VarDeclKind::Var {
                                for d in &v.decls {
                                    pat_names(&d.name, &mut names);
                                }
                            }
                        }
                    }
                    ModuleDecl::ExportDefaultDecl(e) => match &e.decl {
                        DefaultDecl::Fn(f) => {
                            if let Some(i) = &f.ident {
                                names.insert(i.sym.clone());
                            }
                        }
                        DefaultDecl::Class(c) => {
                            if let Some(i) = &c.ident {
                                names.insert(i.sym.clone());
                            }
                        }
                        _ => {}
                    },
                    _ => {}
                },
            }
        }
        self.scopes.push(Scope {
            ctxt: SyntaxContext::empty().apply_mark(self.top_level),
            names,
        });
        self.vars_claimed = true;
        module.body.visit_mut_with(self);
        self.vars_claimed = false;
        self.pop();
    }

    fn visit_mut_import_specifier(&mut self, s: &mut ImportSpecifier) {
        match s {
            ImportSpecifier::Named(n) => n.local.visit_mut_with(self),
            ImportSpecifier::Default(d) => d.local.visit_mut_with(self),
            ImportSpecifier::Namespace(n) => n.local.visit_mut_with(self),
        }
    }

    fn visit_mut_named_export(&mut self, e: &mut NamedExport) {
        if e.src.is_none() {
            e.visit_mut_children_with(self);
        }
    }

    fn visit_mut_export_all(&mut self, _: &mut swc_core::ecma::ast::ExportAll) {}

    fn visit_mut_export_default_decl(&mut self, e: &mut ExportDefaultDecl) {
        match &mut e.decl {
            DefaultDecl::Fn(f) => {
                if let Some(i) = &mut f.ident {
                    i.visit_mut_with(self);
                    self.function(&mut f.function);
                } else {
                    f.visit_mut_with(self);
                }
            }
            DefaultDecl::Class(c) => {
                c.ident.visit_mut_with(self);
                c.class.visit_mut_with(self);
            }
            _ => e.visit_mut_children_with(self),
        }
    }

    fn visit_mut_labeled_stmt(&mut self, s: &mut LabeledStmt) {
        s.body.visit_mut_with(self);
    }

    fn visit_mut_break_stmt(&mut self, _: &mut BreakStmt) {}

    fn visit_mut_continue_stmt(&mut self, _: &mut ContinueStmt) {}

    fn visit_mut_block_stmt(&mut self, b: &mut BlockStmt) {
        self.stmts_in_new_scope(&mut b.stmts, &mut b.ctxt);
    }

    fn visit_mut_fn_decl(&mut self, f: &mut FnDecl) {
        f.ident.visit_mut_with(self);
        self.function(&mut f.function);
    }

    fn visit_mut_fn_expr(&mut self, f: &mut FnExpr) {
        if let Some(ident) = &mut f.ident {
            let mut names = FxHashSet::default();
            names.insert(ident.sym.clone());
            self.push(names);
            ident.visit_mut_with(self);
            self.function(&mut f.function);
            self.pop();
        } else {
            self.function(&mut f.function);
        }
    }

    fn visit_mut_arrow_expr(&mut self, a: &mut ArrowExpr) {
        let mut names = FxHashSet::default();
        for p in &a.params {
            pat_names(p, &mut names);
        }
        if let ArrowFunctionBody::FunctionBody(body) = &*a.body {
            hoist_stmts(&body.stmts, true, &mut names);
        }
        let mark = self.push(names);
        Self::mark_ctxt(&mut a.ctxt, mark);
        a.params.visit_mut_with(self);
        match &mut *a.body {
            ArrowFunctionBody::FunctionBody(b) => self.body(Some(b)),
            ArrowFunctionBody::Expr(e) => e.visit_mut_with(self),
        }
        self.pop();
    }

    fn visit_mut_constructor(&mut self, c: &mut Constructor) {
        let mut names = FxHashSet::default();
        for p in &c.params {
            if let swc_core::ecma::ast::ParamOrTsParamProp::Param(p) = p {
                pat_names(&p.pat, &mut names);
            }
        }
        if let Some(body) = &c.body {
            hoist_stmts(&body.stmts, true, &mut names);
        }
        let mark = self.push(names);
        Self::mark_ctxt(&mut c.ctxt, mark);
        c.params.visit_mut_with(self);
        self.body(c.body.as_mut());
        self.pop();
    }

    fn visit_mut_class_method(&mut self, m: &mut ClassMethod) {
        m.key.visit_mut_with(self);
        self.function(&mut m.function);
    }

    fn visit_mut_private_method(&mut self, m: &mut PrivateMethod) {
        self.function(&mut m.function);
    }

    fn visit_mut_static_block(&mut self, s: &mut StaticBlock) {
        let outer = std::mem::replace(&mut self.vars_claimed, false);
        self.stmts_in_new_scope(&mut s.body.stmts, &mut s.body.ctxt);
        self.vars_claimed = outer;
    }

    fn visit_mut_prop(&mut self, p: &mut Prop) {
        match p {
            Prop::Getter(g) => {
                g.key.visit_mut_with(self);
                self.function(&mut g.function);
            }
            Prop::Setter(s) => {
                s.key.visit_mut_with(self);
                self.function(&mut s.function);
            }
            Prop::Method(m) => {
                m.key.visit_mut_with(self);
                self.function(&mut m.function);
            }
            _ => p.visit_mut_children_with(self),
        }
    }

    fn visit_mut_object_lit(&mut self, o: &mut ObjectLit) {
        self.push(FxHashSet::default());
        o.visit_mut_children_with(self);
        self.pop();
    }

    fn visit_mut_class_decl(&mut self, c: &mut ClassDecl) {
        c.ident.visit_mut_with(self);
        self.push(FxHashSet::default());
        c.class.visit_mut_with(self);
        self.pop();
    }

    fn visit_mut_class_expr(&mut self, c: &mut ClassExpr) {
        c.class.super_class.visit_mut_with(self);
        let mut names = FxHashSet::default();
        if let Some(i) = &c.ident {
            names.insert(i.sym.clone());
        }
        self.push(names);
        c.ident.visit_mut_with(self);
        c.class.visit_mut_with(self);
        self.pop();
    }

    fn visit_mut_class(&mut self, c: &mut Class) {
        c.decorators.visit_mut_with(self);
        c.super_class.visit_mut_with(self);
        c.body.visit_mut_with(self);
    }

    fn visit_mut_for_stmt(&mut self, n: &mut ForStmt) {
        let mut names = FxHashSet::default();
        if let Some(VarDeclOrExpr::VarDecl(v)) = &n.init {
            lexical_names(v, &mut names);
        }
        self.push(names);
        n.init.visit_mut_with(self);
        n.test.visit_mut_with(self);
        n.update.visit_mut_with(self);
        self.loop_body(&mut n.body);
        self.pop();
    }

    fn visit_mut_for_in_stmt(&mut self, n: &mut ForInStmt) {
        self.for_in_or_of(&mut n.left, &mut n.right, &mut n.body);
    }

    fn visit_mut_for_of_stmt(&mut self, n: &mut ForOfStmt) {
        self.for_in_or_of(&mut n.left, &mut n.right, &mut n.body);
    }

    fn visit_mut_catch_clause(&mut self, c: &mut CatchClause) {
        let mut names = FxHashSet::default();
        if let Some(p) = &c.param {
            pat_names(p, &mut names);
        }
        hoist_stmts(&c.body.stmts, !self.vars_claimed, &mut names);
        let mark = self.push(names);
        c.param.visit_mut_with(self);
        Self::mark_ctxt(&mut c.body.ctxt, mark);
        let outer = std::mem::replace(&mut self.vars_claimed, true);
        c.body.stmts.visit_mut_with(self);
        self.vars_claimed = outer;
        self.pop();
    }

    fn visit_mut_switch_stmt(&mut self, s: &mut SwitchStmt) {
        s.discriminant.visit_mut_with(self);
        let mark = self.push(FxHashSet::default());
        Self::mark_ctxt(&mut s.body_ctxt, mark);
        for case in &mut s.cases {
            let mut names = FxHashSet::default();
            hoist_stmts(&case.cons, false, &mut names);
            if let Some(scope) = self.scopes.last_mut() {
                scope.names.extend(names);
            }
            case.cons.visit_mut_with(self);
            case.test.visit_mut_with(self);
        }
        self.pop();
    }
}

/// The names a pattern binds.
fn pat_names(p: &Pat, out: &mut FxHashSet<Atom>) {
    match p {
        Pat::Ident(i) => {
            out.insert(i.id.sym.clone());
        }
        Pat::Array(a) => {
            for e in a.elems.iter().flatten() {
                pat_names(e, out);
            }
        }
        Pat::Rest(r) => pat_names(&r.arg, out),
        Pat::Object(o) => {
            for prop in &o.props {
                match prop {
                    ObjectPatProp::KeyValue(kv) => pat_names(&kv.value, out),
                    ObjectPatProp::Assign(a) => {
                        out.insert(a.key.id.sym.clone());
                    }
                    ObjectPatProp::Rest(r) => pat_names(&r.arg, out),
                }
            }
        }
        Pat::Assign(a) => pat_names(&a.left, out),
        Pat::Invalid(_) | Pat::Expr(_) => {}
    }
}

fn lexical_names(v: &VarDecl, out: &mut FxHashSet<Atom>) {
    if v.kind != VarDeclKind::Var {
        for d in &v.decls {
            pat_names(&d.name, out);
        }
    }
}

/// The declarations of a statement list that belong to its own scope;
/// with `vars`, the `var`s of everything inside it too.
fn hoist_stmts(stmts: &[Stmt], vars: bool, out: &mut FxHashSet<Atom>) {
    for s in stmts {
        hoist_stmt(s, out);
        if vars {
            var_names_in_stmt(s, out);
        }
    }
}

/// `let`, `const`, a class or a function declared by `s` itself.
fn hoist_stmt(s: &Stmt, out: &mut FxHashSet<Atom>) {
    if let Stmt::Decl(d) = s {
        hoist_decl(d, out);
    }
}

fn hoist_decl(d: &Decl, out: &mut FxHashSet<Atom>) {
    match d {
        Decl::Class(c) => {
            out.insert(c.ident.sym.clone());
        }
        Decl::Fn(f) => {
            out.insert(f.ident.sym.clone());
        }
        Decl::Var(v) => lexical_names(v, out),
        _ => {}
    }
}

/// The `var`s declared in `s`, nested statements included (not nested
/// functions or classes).
fn var_names_in_stmt(s: &Stmt, out: &mut FxHashSet<Atom>) {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || var_names_in_stmt_inner(s, out));
}

fn var_names_in_stmt_inner(s: &Stmt, out: &mut FxHashSet<Atom>) {
    let var = |v: &VarDecl, out: &mut FxHashSet<Atom>| {
        if v.kind == VarDeclKind::Var {
            for d in &v.decls {
                pat_names(&d.name, out);
            }
        }
    };
    match s {
        Stmt::Decl(Decl::Var(v)) => var(v, out),
        Stmt::Block(b) => b.stmts.iter().for_each(|s| var_names_in_stmt(s, out)),
        Stmt::If(i) => {
            var_names_in_stmt(&i.cons, out);
            if let Some(alt) = &i.alt {
                var_names_in_stmt(alt, out);
            }
        }
        Stmt::For(f) => {
            if let Some(VarDeclOrExpr::VarDecl(v)) = &f.init {
                var(v, out);
            }
            var_names_in_stmt(&f.body, out);
        }
        Stmt::ForIn(f) => {
            if let ForHead::VarDecl(v) = &f.left {
                var(v, out);
            }
            var_names_in_stmt(&f.body, out);
        }
        Stmt::ForOf(f) => {
            if let ForHead::VarDecl(v) = &f.left {
                var(v, out);
            }
            var_names_in_stmt(&f.body, out);
        }
        Stmt::While(w) => var_names_in_stmt(&w.body, out),
        Stmt::DoWhile(w) => var_names_in_stmt(&w.body, out),
        Stmt::Labeled(l) => var_names_in_stmt(&l.body, out),
        Stmt::With(w) => var_names_in_stmt(&w.body, out),
        Stmt::Try(t) => {
            t.block.stmts.iter().for_each(|s| var_names_in_stmt(s, out));
            if let Some(h) = &t.handler {
                h.body.stmts.iter().for_each(|s| var_names_in_stmt(s, out));
            }
            if let Some(f) = &t.finalizer {
                f.stmts.iter().for_each(|s| var_names_in_stmt(s, out));
            }
        }
        Stmt::Switch(sw) => {
            for c in &sw.cases {
                c.cons.iter().for_each(|s| var_names_in_stmt(s, out));
            }
        }
        _ => {}
    }
}
