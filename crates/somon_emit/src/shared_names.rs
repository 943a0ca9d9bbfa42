//! A pass before `hygiene` that keeps renaming linear when many functions
//! declare the same name (100,000 functions with a parameter `а`).
//!
//! After swc's resolver every binding has a syntax context of its own, so
//! `hygiene` sees 100,000 different `а`s and, for each, scans every `а`
//! it has already placed (`Scope::can_rename`): quadratic. Yet a binding
//! declared inside a function whose subtree mentions that name with no
//! other context cannot clash with anything: every use of the name there
//! is that binding, and it is visible nowhere else. Such bindings get one
//! shared context (a fresh mark): their subtrees are disjoint, so merging
//! them changes no meaning, and `hygiene` sees one `а` instead of many.
//! Programs with `with` or `eval` (dynamic scope) are left alone.

use std::collections::{HashMap, HashSet};
use swc_core::common::{Mark, SyntaxContext};
use swc_core::ecma::ast::{
    ArrowExpr, BindingIdent, ClassDecl, ClassExpr, FnDecl, FnExpr, Function, Id, Ident,
    Program as JsProgram, WithStmt,
};
use swc_core::ecma::atoms::Atom;
use swc_core::ecma::visit::{Visit, VisitMut, VisitMutWith, VisitWith};

/// Gives the bindings described above one shared context. Needs swc's
/// `GLOBALS` (for the fresh mark).
pub(crate) fn share_local_names(js: &mut JsProgram) {
    let mut collect = Collect {
        frames: vec![Frame::default()],
        shareable: HashSet::new(),
        dynamic: false,
    };
    js.visit_with(&mut collect);
    if collect.dynamic || collect.shareable.is_empty() {
        return;
    }
    let shared = SyntaxContext::empty().apply_mark(Mark::new());
    js.visit_mut_with(&mut Share {
        ids: collect.shareable,
        shared,
    });
}

/// The contexts a name has in a subtree: one, or several.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Contexts {
    One(SyntaxContext),
    Several,
}

#[derive(Default)]
struct Frame {
    seen: HashMap<Atom, Contexts>,
    declared: HashSet<Id>,
}

struct Collect {
    /// The functions being visited, innermost last; the first is the
    /// program's top level (never shared).
    frames: Vec<Frame>,
    shareable: HashSet<Id>,
    dynamic: bool,
}

impl Collect {
    fn top(&mut self) -> Option<&mut Frame> {
        self.frames.last_mut()
    }

    fn enter(&mut self) {
        self.frames.push(Frame::default());
    }

    fn leave(&mut self) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        for (sym, contexts) in &frame.seen {
            if let Contexts::One(ctxt) = contexts {
                let id = (sym.clone(), *ctxt);
                if frame.declared.contains(&id) {
                    self.shareable.insert(id);
                }
            }
        }
        if let Some(parent) = self.frames.last_mut() {
            for (sym, contexts) in frame.seen {
                parent
                    .seen
                    .entry(sym)
                    .and_modify(|c| {
                        if *c != contexts {
                            *c = Contexts::Several;
                        }
                    })
                    .or_insert(contexts);
            }
            parent.declared.extend(frame.declared);
        }
    }

    fn declare(&mut self, ident: &Ident) {
        if let Some(frame) = self.top() {
            frame.declared.insert(ident.to_id());
        }
    }
}

impl Visit for Collect {
    fn visit_ident(&mut self, ident: &Ident) {
        if &*ident.sym == "eval" {
            self.dynamic = true;
        }
        if let Some(frame) = self.top() {
            let ctxt = ident.ctxt;
            frame
                .seen
                .entry(ident.sym.clone())
                .and_modify(|c| {
                    if *c != Contexts::One(ctxt) {
                        *c = Contexts::Several;
                    }
                })
                .or_insert(Contexts::One(ctxt));
        }
    }

    fn visit_with_stmt(&mut self, n: &WithStmt) {
        self.dynamic = true;
        n.visit_children_with(self);
    }

    fn visit_binding_ident(&mut self, n: &BindingIdent) {
        self.declare(&n.id);
        n.visit_children_with(self);
    }

    fn visit_fn_decl(&mut self, n: &FnDecl) {
        // The name is declared where the declaration is; the function's
        // own frame covers its parameters and body.
        self.declare(&n.ident);
        n.visit_children_with(self);
    }

    fn visit_class_decl(&mut self, n: &ClassDecl) {
        self.declare(&n.ident);
        n.visit_children_with(self);
    }

    fn visit_fn_expr(&mut self, n: &FnExpr) {
        if let Some(ident) = &n.ident {
            self.declare(ident);
        }
        n.visit_children_with(self);
    }

    fn visit_class_expr(&mut self, n: &ClassExpr) {
        if let Some(ident) = &n.ident {
            self.declare(ident);
        }
        n.visit_children_with(self);
    }

    fn visit_function(&mut self, n: &Function) {
        self.enter();
        n.visit_children_with(self);
        self.leave();
    }

    fn visit_arrow_expr(&mut self, n: &ArrowExpr) {
        self.enter();
        n.visit_children_with(self);
        self.leave();
    }
}

struct Share {
    ids: HashSet<Id>,
    shared: SyntaxContext,
}

impl VisitMut for Share {
    fn visit_mut_ident(&mut self, ident: &mut Ident) {
        if self.ids.contains(&(ident.sym.clone(), ident.ctxt)) {
            ident.ctxt = self.shared;
        }
    }
}
