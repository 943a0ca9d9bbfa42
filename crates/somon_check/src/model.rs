//! The semantic model a check leaves behind: every symbol with its
//! declaration, every reference resolved to its symbol, the scope tree and
//! (when asked for) the type of every expression. Plain data, queried by
//! byte offset; editors turn line:column into offsets with `LineIndex`.

use crate::types::{display, Ty};
use crate::{Checker, ClassInfo, DeclKind};
use somon_diagnostics::Span;

pub type SymbolId = u32;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Variable,
    Constant,
    Function,
    Parameter,
    Class,
    Interface,
    TypeAlias,
    Enum,
    Namespace,
    Import,
}

#[derive(Clone, Debug)]
pub struct Symbol {
    pub name: Box<str>,
    pub kind: SymbolKind,
    pub decl: DeclKind,
    /// The declaring name.
    pub span: Span,
    /// The declared (or inferred) type.
    pub ty: Ty,
    /// For an import: the specifier and the exported name it reads.
    pub import: Option<(String, String)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reference {
    pub span: Span,
    pub symbol: SymbolId,
}

#[derive(Clone, Debug)]
pub struct ScopeInfo {
    /// The source the scope covers, when it is a block, function or the
    /// program.
    pub span: Option<Span>,
    pub parent: Option<u32>,
    pub symbols: Vec<SymbolId>,
}

#[derive(Clone, Debug, Default)]
pub struct SemanticModel {
    pub symbols: Vec<Symbol>,
    /// In source order.
    pub references: Vec<Reference>,
    pub scopes: Vec<ScopeInfo>,
    /// Expression spans and their types (with `record_model`), inner
    /// expressions after the outer ones that contain them.
    pub expr_types: Vec<(Span, Ty)>,
    classes: Vec<ClassInfo>,
}

impl SemanticModel {
    pub fn symbol(&self, id: SymbolId) -> Option<&Symbol> {
        self.symbols.get(id as usize)
    }

    /// The symbol declared or referenced at `offset`.
    pub fn symbol_at(&self, offset: u32) -> Option<SymbolId> {
        let inside = |s: &Span| s.lo <= offset && offset <= s.hi;
        if let Some(r) = self.references.iter().find(|r| inside(&r.span)) {
            return Some(r.symbol);
        }
        self.symbols
            .iter()
            .position(|s| inside(&s.span))
            .map(|i| i as SymbolId)
    }

    /// Where the name at `offset` is declared (in this file; an import's
    /// symbol says where it leads).
    pub fn definition(&self, offset: u32) -> Option<Span> {
        self.symbol_at(offset)
            .and_then(|id| self.symbol(id))
            .map(|s| s.span)
    }

    /// Every use of a symbol, in source order (declaration not included).
    pub fn references_to(&self, id: SymbolId) -> Vec<Span> {
        self.references
            .iter()
            .filter(|r| r.symbol == id)
            .map(|r| r.span)
            .collect()
    }

    /// The type of the innermost expression at `offset`, or of the symbol
    /// declared there.
    pub fn type_at(&self, offset: u32) -> Option<&Ty> {
        let inside = |s: &Span| s.lo <= offset && offset <= s.hi;
        let expr = self
            .expr_types
            .iter()
            .filter(|(s, _)| inside(s))
            .min_by_key(|(s, _)| s.hi - s.lo)
            .map(|(_, t)| t);
        expr.or_else(|| self.symbols.iter().find(|s| inside(&s.span)).map(|s| &s.ty))
    }

    /// A type as SomonScript writes it (`(а: рақам) => рақам`).
    pub fn display(&self, ty: &Ty) -> String {
        display(ty, &|id| {
            self.classes
                .get(id)
                .map(|c| c.name.to_string())
                .unwrap_or_default()
        })
    }

    /// The members a value of type `ty` has, by JavaScript name, with
    /// their types (class members with those of its bases, object and
    /// interface properties, built-in members), sorted by name.
    pub fn members(&self, ty: &Ty) -> Vec<(String, Ty)> {
        let mut out: Vec<(String, Ty)> = Vec::new();
        let mut push = |name: &str, t: &Ty| {
            if !out.iter().any(|(n, _)| n == name) {
                out.push((name.to_string(), t.clone()));
            }
        };
        match ty {
            Ty::Instance(id) => {
                let mut cur = Some(*id);
                let mut steps = 0;
                while let Some(c) = cur.and_then(|i| self.classes.get(i)) {
                    for (n, t) in c.members.iter() {
                        push(n, t);
                    }
                    cur = c.base.flatten();
                    steps += 1;
                    if steps > self.classes.len() {
                        break;
                    }
                }
            }
            Ty::Shape(shape) => {
                for p in &shape.props {
                    push(&p.name, &p.ty);
                }
            }
            other => {
                if let Some((iface, args)) = crate::builtins::interface_of(other) {
                    if let Some(i) = crate::builtins::builtins().interfaces.get(iface) {
                        for name in i.members.keys() {
                            if let Some(t) = crate::builtins::builtins().member(iface, &args, name)
                            {
                                push(name, &t);
                            }
                        }
                    }
                }
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// The signature a call of a value of type `ty` goes through (a
    /// function's own, a class's constructor).
    pub fn signature(&self, ty: &Ty) -> Option<std::sync::Arc<crate::types::Sig>> {
        match ty {
            Ty::Func(sig) => Some(sig.clone()),
            Ty::ClassValue(id) => self.classes.get(*id).and_then(|c| c.ctor.clone()),
            _ => None,
        }
    }

    /// The type of a global built-in value (`console`, `Math` …), by its
    /// JavaScript name.
    pub fn global_type(name: &str) -> Option<Ty> {
        crate::builtins::builtins().globals.get(name).cloned()
    }

    /// The symbols visible at `offset`: those of every scope that contains
    /// it, innermost first.
    pub fn visible_at(&self, offset: u32) -> Vec<SymbolId> {
        let inside = |s: &Span| s.lo <= offset && offset <= s.hi;
        let innermost = self
            .scopes
            .iter()
            .enumerate()
            .filter(|(_, s)| s.span.as_ref().is_some_and(inside))
            .min_by_key(|(_, s)| s.span.map(|sp| sp.hi - sp.lo).unwrap_or(u32::MAX))
            .map(|(i, _)| i as u32);
        let mut out = Vec::new();
        let mut cur = innermost.or(if self.scopes.is_empty() {
            None
        } else {
            Some(0)
        });
        let mut steps = 0;
        while let Some(id) = cur {
            let Some(scope) = self.scopes.get(id as usize) else {
                break;
            };
            out.extend(scope.symbols.iter().copied());
            cur = scope.parent;
            steps += 1;
            if steps > self.scopes.len() {
                break;
            }
        }
        out
    }
}

impl Checker<'_> {
    pub(crate) fn into_model(self) -> SemanticModel {
        let mut references = self.references;
        references.sort_by_key(|r| (r.span.lo, r.span.hi));
        let symbols = self
            .symbols
            .into_iter()
            .zip(self.symbol_model)
            .map(|(facts, model)| Symbol {
                name: facts.name,
                kind: model.kind,
                decl: facts.decl,
                span: facts.span,
                ty: model.ty,
                import: model.import,
            })
            .collect();
        SemanticModel {
            symbols,
            references,
            scopes: self.model_scopes,
            expr_types: self.expr_types,
            classes: self.classes,
        }
    }
}
