//! Built-in names, applied after swc's `resolver` has marked every binding:
//! an identifier whose context carries the unresolved mark is free, so the
//! "only when free" rule of decisions.md §2.1 is exact, whatever the scopes.

use crate::names::{builtin_global, property_alias, receiver_member};
use rustc_hash::FxHashMap;
use swc_core::common::Mark;
use swc_core::ecma::ast::{Expr, Ident, MemberExpr, MemberProp, Pass, SuperProp, SuperPropExpr};
use swc_core::ecma::atoms::Atom;
use swc_core::ecma::visit::{visit_mut_pass, VisitMut, VisitMutWith};

pub fn builtin_names(unresolved_mark: Mark) -> impl Pass {
    visit_mut_pass(BuiltinNames {
        unresolved_mark,
        aliases: Aliases::default(),
    })
}

struct BuiltinNames {
    unresolved_mark: Mark,
    aliases: Aliases,
}

/// Property names and the names of members of free built-ins.
#[derive(Default)]
pub(crate) struct Aliases {
    /// `property_alias` of each property name met so far: the table is a
    /// string `match` over a few hundred names, an atom hashes as its
    /// precomputed hash, and a program uses few distinct property names.
    known: FxHashMap<Atom, Option<&'static str>>,
}

impl Aliases {
    fn property_alias(&mut self, name: &Atom) -> Option<&'static str> {
        if let Some(known) = self.known.get(name) {
            return *known;
        }
        let alias = property_alias(name);
        self.known.insert(name.clone(), alias);
        alias
    }

    /// `m.prop`, once `m`'s object is marked and named.
    pub(crate) fn member(&mut self, m: &mut MemberExpr, unresolved_mark: Mark) {
        let MemberProp::Ident(prop) = &mut m.prop else {
            return;
        };
        let receiver = match &*m.obj {
            Expr::Ident(obj) if obj.ctxt.outer() == unresolved_mark => Some(obj.sym.clone()),
            _ => None,
        };
        let mapped = match receiver.and_then(|r| receiver_member(&r, &prop.sym)) {
            Some(js) => Some(js),
            None => self.property_alias(&prop.sym),
        };
        if let Some(js) = mapped {
            prop.sym = Atom::from(js);
        }
    }

    pub(crate) fn super_prop(&mut self, s: &mut SuperPropExpr) {
        if let SuperProp::Ident(prop) = &mut s.prop {
            if let Some(js) = self.property_alias(&prop.sym) {
                prop.sym = Atom::from(js);
            }
        }
    }
}

impl VisitMut for BuiltinNames {
    fn visit_mut_ident(&mut self, i: &mut Ident) {
        if i.ctxt.outer() == self.unresolved_mark {
            if let Some(js) = builtin_global(&i.sym) {
                i.sym = Atom::from(js);
            }
        }
    }

    fn visit_mut_member_expr(&mut self, m: &mut MemberExpr) {
        m.visit_mut_children_with(self);
        self.aliases.member(m, self.unresolved_mark);
    }

    fn visit_mut_super_prop_expr(&mut self, s: &mut SuperPropExpr) {
        s.visit_mut_children_with(self);
        self.aliases.super_prop(s);
    }
}

/// Free references to CommonJS globals (`require`, `module`, `exports`,
/// `__filename`, `__dirname`) in a program emitted as an ES module, where
/// Node does not define them.
pub fn free_commonjs_globals(
    program: &swc_core::ecma::ast::Program,
    unresolved_mark: Mark,
) -> Vec<&'static str> {
    use swc_core::ecma::visit::{Visit, VisitWith};
    struct Finder {
        mark: Mark,
        found: [bool; 5],
    }
    const NAMES: [&str; 5] = ["require", "module", "exports", "__filename", "__dirname"];
    impl Visit for Finder {
        fn visit_ident(&mut self, i: &Ident) {
            if i.ctxt.outer() == self.mark {
                if let Some(k) = NAMES.iter().position(|n| *n == &*i.sym) {
                    if let Some(slot) = self.found.get_mut(k) {
                        *slot = true;
                    }
                }
            }
        }
    }
    let mut f = Finder {
        mark: unresolved_mark,
        found: [false; 5],
    };
    program.visit_with(&mut f);
    NAMES
        .iter()
        .zip(f.found)
        .filter_map(|(n, used)| used.then_some(*n))
        .collect()
}
