//! A pass before `hygiene` that decides whether `hygiene` can rename
//! anything at all, and keeps its renaming linear when it runs and many
//! functions declare the same name (100,000 functions with a parameter `а`).
//!
//! After swc's resolver every binding has a syntax context of its own, so
//! `hygiene` sees 100,000 different `а`s and, for each, scans every `а`
//! it has already placed (`Scope::can_rename`): quadratic. Yet a binding
//! declared inside a function whose subtree mentions that name with no
//! other context cannot clash with anything: every use of the name there
//! is that binding, and it is visible nowhere else. Such bindings get one
//! shared context (a fresh mark): their subtrees are disjoint, so merging
//! them changes no meaning, and `hygiene` sees one `а` instead of many.
//!
//! The same walk tells when `hygiene` has nothing to do. A binding as
//! above is *hidden* from the functions around its own: nothing outside
//! its function can be captured by it, and nothing inside its function
//! refers to another binding of its name. If, with the hidden bindings
//! left out, every name is seen with one context only in the whole
//! program — and no hidden binding shares its name with a free (never
//! declared) one, which `hygiene` renames to keep the global reachable —
//! no two bindings of one name can meet in any scope, so `hygiene` would
//! keep every name as it is: it is skipped (`false` returned).
//! Programs with `with` or `eval` (dynamic scope) are left alone.

use rustc_hash::{FxHashMap, FxHashSet};
use swc_core::common::{Mark, SyntaxContext};
use swc_core::ecma::ast::{
    ArrowExpr, BindingIdent, BlockStmt, CatchClause, ClassDecl, ClassExpr, Constructor, Expr,
    FnDecl, FnExpr, ForInStmt, ForOfStmt, ForStmt, Function, Id, Ident, Param,
    Program as JsProgram, StaticBlock, VarDecl, VarDeclKind, WithStmt,
};
use swc_core::ecma::atoms::Atom;
use swc_core::ecma::visit::{Visit, VisitMut, VisitMutWith, VisitWith};

/// Gives the bindings described above one shared context. Needs swc's
/// `GLOBALS` (for the fresh mark). Returns whether `hygiene` still has
/// to run (when it returns `false`, the program was left as it was).
pub(crate) fn share_local_names(js: &mut JsProgram) -> bool {
    let mut collect = Collect {
        frames: vec![Frame {
            function: true,
            ..Frame::default()
        }],
        depth: 1,
        decl: None,
        declared: FxHashSet::default(),
        shareable: FxHashSet::default(),
        hidden_names: FxHashSet::default(),
        dynamic: false,
    };
    js.visit_with(&mut collect);
    if collect.dynamic {
        return true;
    }
    if !collect.needs_hygiene() {
        return false;
    }
    if collect.shareable.is_empty() {
        return true;
    }
    let shared = SyntaxContext::empty().apply_mark(Mark::new());
    js.visit_mut_with(&mut Share {
        ids: collect.shareable,
        shared,
    });
    true
}

/// The contexts a name has in a subtree: one, or several.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Contexts {
    One(SyntaxContext),
    Several,
}

impl Contexts {
    fn merge(&mut self, other: Contexts) {
        if *self != other {
            *self = Contexts::Several;
        }
    }
}

/// What a subtree shows of one name: every context it has there (for
/// sharing), and the contexts left once hidden bindings are left out
/// (`None`: none is left).
#[derive(Clone, Copy)]
struct Seen {
    all: Contexts,
    visible: Option<Contexts>,
}

/// One scope: a function (parameters, body and its `var`s) or a block
/// (`let`, `const`, classes and functions declared in it: output is
/// strict-mode code).
#[derive(Default)]
struct Frame {
    seen: FxHashMap<Atom, Seen>,
    /// The bindings declared in this scope itself.
    declared: FxHashSet<Id>,
    function: bool,
}

/// What a binding identifier being visited declares.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Decl {
    /// A `var` (or a parameter): belongs to the function around it.
    Var,
    /// `let`, `const`, a catch parameter: belongs to the innermost scope.
    Lexical,
}

struct Collect {
    /// The scopes being visited, innermost last (`frames[..depth]`; the
    /// frames past `depth` are cleared ones kept for reuse); the first is
    /// the program's top level (never shared).
    frames: Vec<Frame>,
    depth: usize,
    /// Inside a declaration's binding pattern (outside its expressions):
    /// elsewhere a binding identifier is an assignment's target.
    decl: Option<Decl>,
    /// Every declared binding.
    declared: FxHashSet<Id>,
    shareable: FxHashSet<Id>,
    /// Names of the hidden bindings.
    hidden_names: FxHashSet<Atom>,
    dynamic: bool,
}

impl Collect {
    fn top(&mut self) -> Option<&mut Frame> {
        self.depth
            .checked_sub(1)
            .and_then(|i| self.frames.get_mut(i))
    }

    fn enter(&mut self, function: bool) {
        if self.depth == self.frames.len() {
            self.frames.push(Frame::default());
        }
        if let Some(frame) = self.frames.get_mut(self.depth) {
            frame.function = function;
        }
        self.depth += 1;
    }

    fn leave(&mut self) {
        if self.depth < 2 {
            return;
        }
        self.depth -= 1;
        let (outer, inner) = self.frames.split_at_mut(self.depth);
        let (Some(parent), Some(frame)) = (outer.last_mut(), inner.first_mut()) else {
            return;
        };
        for (sym, seen) in frame.seen.drain() {
            let mut visible = seen.visible;
            if let (Some(Contexts::One(ctxt)), false) = (visible, frame.declared.is_empty()) {
                let id = (sym.clone(), ctxt);
                if frame.declared.contains(&id) {
                    visible = None;
                    if seen.all == Contexts::One(ctxt) {
                        self.shareable.insert(id);
                    }
                    if !self.hidden_names.contains(&sym) {
                        self.hidden_names.insert(sym.clone());
                    }
                }
            }
            match parent.seen.entry(sym) {
                std::collections::hash_map::Entry::Occupied(mut e) => {
                    let p = e.get_mut();
                    p.all.merge(seen.all);
                    match (&mut p.visible, visible) {
                        (Some(pv), Some(v)) => pv.merge(v),
                        (pv @ None, Some(v)) => *pv = Some(v),
                        (_, None) => {}
                    }
                }
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(Seen {
                        all: seen.all,
                        visible,
                    });
                }
            }
        }
        frame.declared.clear();
    }

    /// Whether `hygiene` could rename anything: a name still seen with
    /// several contexts at the top level, a hidden binding named like a
    /// free name, or one named `NaN` or `Infinity` (which `hygiene` keeps
    /// free for the literals it prints).
    fn needs_hygiene(&self) -> bool {
        let Some(top) = self.frames.first() else {
            return true;
        };
        if self.hidden_names.contains(&Atom::from("NaN"))
            || self.hidden_names.contains(&Atom::from("Infinity"))
        {
            return true;
        }
        top.seen.iter().any(|(sym, seen)| match seen.visible {
            Some(Contexts::Several) => true,
            Some(Contexts::One(ctxt)) => {
                if self.declared.contains(&(sym.clone(), ctxt)) {
                    &**sym == "NaN" || &**sym == "Infinity"
                } else {
                    self.hidden_names.contains(sym)
                }
            }
            None => false,
        })
    }

    fn declare(&mut self, ident: &Ident, kind: Decl) {
        let id = ident.to_id();
        let frames = self.frames.get_mut(..self.depth).unwrap_or_default();
        let frame = if kind == Decl::Var {
            frames.iter_mut().rev().find(|f| f.function)
        } else {
            frames.last_mut()
        };
        if let Some(frame) = frame {
            frame.declared.insert(id.clone());
        }
        self.declared.insert(id);
    }

    fn scoped<N: VisitWith<Self> + ?Sized>(&mut self, function: bool, n: &N) {
        self.enter(function);
        n.visit_children_with(self);
        self.leave();
    }

    /// Visits `n` with binding identifiers declaring `decl`.
    fn with_decl<N: VisitWith<Self> + ?Sized>(&mut self, decl: Option<Decl>, n: &N) {
        let outer = self.decl;
        self.decl = decl;
        n.visit_with(self);
        self.decl = outer;
    }
}

impl Visit for Collect {
    fn visit_ident(&mut self, ident: &Ident) {
        if &*ident.sym == "eval" {
            self.dynamic = true;
        }
        if let Some(frame) = self.top() {
            let one = Contexts::One(ident.ctxt);
            // Looked up before inserting: most names are seen again, and
            // cloning an atom touches its reference count.
            if let Some(s) = frame.seen.get_mut(&ident.sym) {
                s.all.merge(one);
                if let Some(v) = &mut s.visible {
                    v.merge(one);
                } else {
                    s.visible = Some(one);
                }
            } else {
                frame.seen.insert(
                    ident.sym.clone(),
                    Seen {
                        all: one,
                        visible: Some(one),
                    },
                );
            }
        }
    }

    fn visit_with_stmt(&mut self, n: &WithStmt) {
        self.dynamic = true;
        n.visit_children_with(self);
    }

    fn visit_binding_ident(&mut self, n: &BindingIdent) {
        if let Some(kind) = self.decl {
            self.declare(&n.id, kind);
        }
        n.visit_children_with(self);
    }

    /// Expressions inside a pattern (defaults, computed keys) declare
    /// nothing.
    fn visit_expr(&mut self, n: &Expr) {
        if self.decl.is_some() {
            let outer = self.decl.take();
            n.visit_children_with(self);
            self.decl = outer;
        } else {
            n.visit_children_with(self);
        }
    }

    fn visit_var_decl(&mut self, n: &VarDecl) {
        let kind = if n.kind == VarDeclKind::Var {
            Decl::Var
        } else {
            Decl::Lexical
        };
        for d in &n.decls {
            self.with_decl(Some(kind), &d.name);
            self.with_decl(None, &d.init);
        }
    }

    fn visit_param(&mut self, n: &Param) {
        n.decorators.visit_with(self);
        self.with_decl(Some(Decl::Var), &n.pat);
    }

    fn visit_fn_decl(&mut self, n: &FnDecl) {
        // The name is declared where the declaration is; the function's
        // own frame covers its parameters and body.
        self.declare(&n.ident, Decl::Lexical);
        n.visit_children_with(self);
    }

    fn visit_class_decl(&mut self, n: &ClassDecl) {
        self.declare(&n.ident, Decl::Lexical);
        n.visit_children_with(self);
    }

    fn visit_fn_expr(&mut self, n: &FnExpr) {
        if let Some(ident) = &n.ident {
            self.declare(ident, Decl::Lexical);
        }
        n.visit_children_with(self);
    }

    fn visit_class_expr(&mut self, n: &ClassExpr) {
        if let Some(ident) = &n.ident {
            self.declare(ident, Decl::Lexical);
        }
        n.visit_children_with(self);
    }

    // Bodies are `FunctionBody`s, not blocks: parameters and the body's
    // statements share one frame.
    fn visit_function(&mut self, n: &Function) {
        self.scoped(true, n);
    }

    fn visit_arrow_expr(&mut self, n: &ArrowExpr) {
        self.enter(true);
        self.with_decl(Some(Decl::Var), &n.params);
        n.body.visit_with(self);
        self.leave();
    }

    fn visit_constructor(&mut self, n: &Constructor) {
        self.scoped(true, n);
    }

    fn visit_static_block(&mut self, n: &StaticBlock) {
        self.scoped(true, n);
    }

    fn visit_block_stmt(&mut self, n: &BlockStmt) {
        self.scoped(false, n);
    }

    fn visit_for_stmt(&mut self, n: &ForStmt) {
        self.scoped(false, n);
    }

    fn visit_for_in_stmt(&mut self, n: &ForInStmt) {
        self.scoped(false, n);
    }

    fn visit_for_of_stmt(&mut self, n: &ForOfStmt) {
        self.scoped(false, n);
    }

    fn visit_catch_clause(&mut self, n: &CatchClause) {
        self.enter(false);
        self.with_decl(Some(Decl::Lexical), &n.param);
        n.body.visit_with(self);
        self.leave();
    }
}

struct Share {
    ids: FxHashSet<Id>,
    shared: SyntaxContext,
}

impl VisitMut for Share {
    fn visit_mut_ident(&mut self, ident: &mut Ident) {
        if self.ids.contains(&(ident.sym.clone(), ident.ctxt)) {
            ident.ctxt = self.shared;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::share_local_names;
    use swc_core::common::{sync::Lrc, FileName, Globals, Mark, SourceMap, GLOBALS};
    use swc_core::ecma::ast::{Pass, Program};
    use swc_core::ecma::parser::{parse_file_as_module, Syntax};
    use swc_core::ecma::transforms::base::resolver;

    /// Whether `hygiene` has to run on `js` once resolved.
    fn needs_hygiene(js: &str) -> bool {
        GLOBALS.set(&Globals::new(), || {
            let cm: Lrc<SourceMap> = Default::default();
            let fm = cm.new_source_file(Lrc::new(FileName::Anon), js.to_string());
            let module = parse_file_as_module(
                &fm,
                Syntax::Es(Default::default()),
                Default::default(),
                None,
                &mut vec![],
            );
            let Ok(module) = module else {
                panic!("test program does not parse: {js}");
            };
            let mut program = Program::Module(module);
            resolver(Mark::new(), Mark::new(), false).process(&mut program);
            share_local_names(&mut program)
        })
    }

    #[test]
    fn bindings_that_only_shadow_need_no_renaming() {
        let js = "let а = 1;
            function f(а) { return а; }
            function g(а) { const h = (а) => а; return h(а); }
            for (const x of [1]) { console.log(x); }
            for (const x of [2]) { console.log(x); }
            class C { constructor(а) { this.а = а; } m() { { let а = 2; } return а; } }
            try { f(1); } catch (e) { console.log(e); }
            try { f(2); } catch (e) { console.log(e); }
            function v() { if (а) { var y = 1; } return y; }";
        assert!(!needs_hygiene(js));
    }

    #[test]
    fn a_local_named_like_a_free_name_needs_renaming() {
        // `hygiene` renames the parameter so that the global stays reachable.
        assert!(needs_hygiene(
            "function f(console) { return console; } console.log(1);"
        ));
        assert!(needs_hygiene("function f() { { let а = 1; } return а; }"));
    }

    #[test]
    fn one_name_with_two_meanings_in_one_scope_needs_renaming() {
        // A label and a variable of one spelling: two contexts at the top.
        assert!(needs_hygiene("а: for (;;) { break а; } let а = 1;"));
        // `NaN` as a binding: `hygiene` keeps the literal's name free.
        assert!(needs_hygiene("function f(NaN) { return NaN; }"));
    }

    #[test]
    fn dynamic_scope_needs_renaming() {
        assert!(needs_hygiene("function f(а) { return eval('а'); }"));
    }
}
