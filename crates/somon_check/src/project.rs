//! Checking across files: what a module exports (values with their types,
//! types, the classes they refer to) and how an importing module takes
//! them in. The checker does no IO: the caller answers where an import
//! leads through [`ModuleImports`].

use crate::assigned::pat_idents;
use crate::types::{ParamSig, Prop, Shape, Sig, Ty};
use crate::{
    import_local, property_name, BindKind, Checker, ClassInfo, DeclKind, SymbolKind, TypeDef,
};
use somon_diagnostics::{Diagnostic, Message, Span};
use somon_syntax::ast::*;
use std::collections::HashMap;
use std::sync::Arc;

/// Where an import of a module leads, as far as checking is concerned.
#[derive(Clone, Debug)]
pub enum ImportTarget {
    /// A SomonScript module with known exports.
    Module(Arc<ModuleExports>),
    /// Anything else (a package, a built-in, JavaScript, JSON, a module in
    /// an import cycle not yet known, or a missing file, which the module
    /// graph reports): every name is `ҳар`.
    Unknown,
}

/// Answers where a module's imports lead.
pub trait ModuleImports: Sync {
    fn resolve(&self, specifier: &str) -> ImportTarget;
}

/// No module is known: every import is `ҳар` (a file checked on its own).
pub struct NoImports;

impl ModuleImports for NoImports {
    fn resolve(&self, _specifier: &str) -> ImportTarget {
        ImportTarget::Unknown
    }
}

/// What a module exports, by exported (JavaScript) name.
#[derive(Clone, Debug, Default)]
pub struct ModuleExports {
    pub(crate) values: HashMap<Box<str>, ExportedValue>,
    pub(crate) types: HashMap<Box<str>, ExportedType>,
    /// The classes the exported types refer to, by id.
    pub(crate) classes: Vec<ClassInfo>,
    /// Some exports are not known (`содир * аз` a module that is not).
    pub(crate) open: bool,
}

impl ModuleExports {
    /// Whether the module exports a value or a type of this name.
    pub fn has(&self, name: &str) -> bool {
        let js = property_name(name);
        self.values.contains_key(js) || self.types.contains_key(js)
    }

    /// Whether the module exports `name` as a type and not as a value.
    pub fn is_type_only(&self, name: &str) -> bool {
        let js = property_name(name);
        self.types.contains_key(js) && !self.values.contains_key(js) && !self.open
    }

    /// Exported names, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .values
            .keys()
            .chain(self.types.keys())
            .map(|k| k.to_string())
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// A hash of everything importing modules can see: equal fingerprints
    /// mean their checks need not run again.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        let mut values: Vec<_> = self.values.iter().collect();
        values.sort_by(|a, b| a.0.cmp(b.0));
        for (k, v) in values {
            k.hash(&mut h);
            format!("{:?}{:?}", v.ty, v.class).hash(&mut h);
        }
        let mut types: Vec<_> = self.types.iter().collect();
        types.sort_by(|a, b| a.0.cmp(b.0));
        for (k, t) in types {
            k.hash(&mut h);
            format!("{:?}", t.ty).hash(&mut h);
        }
        for c in &self.classes {
            let members: Vec<_> = c.members.iter().collect();
            format!(
                "{}{:?}{:?}{:?}{}",
                c.name, c.base, members, c.ctor, c.is_abstract
            )
            .hash(&mut h);
        }
        self.open.hash(&mut h);
        h.finish()
    }

    /// Where an exported name is declared in the module.
    pub fn declaration(&self, name: &str) -> Option<Span> {
        let js = property_name(name);
        self.values
            .get(js)
            .map(|v| v.span)
            .or_else(|| self.types.get(js).map(|t| t.span))
    }
}

#[derive(Clone, Debug)]
pub(crate) struct ExportedValue {
    pub ty: Ty,
    pub class: Option<usize>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub(crate) struct ExportedType {
    pub ty: ExportedTypeDef,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub(crate) enum ExportedTypeDef {
    Any,
    Interface(Arc<Shape>),
    Class(usize),
    Ty(Ty),
}

/// Shifts class ids of a type by `offset` (a module's class table copied
/// into another's).
fn remap(t: &Ty, offset: usize) -> Ty {
    if offset == 0 {
        return t.clone();
    }
    match t {
        Ty::Instance(id) => Ty::Instance(id + offset),
        Ty::ClassValue(id) => Ty::ClassValue(id + offset),
        Ty::Array(inner) => Ty::Array(Box::new(remap(inner, offset))),
        Ty::Tuple(items) => Ty::Tuple(items.iter().map(|t| remap(t, offset)).collect()),
        Ty::Union(items) => Ty::Union(items.iter().map(|t| remap(t, offset)).collect()),
        Ty::Builtin(n, items) => {
            Ty::Builtin(n.clone(), items.iter().map(|t| remap(t, offset)).collect())
        }
        Ty::Func(sig) => Ty::Func(remap_sig(sig, offset)),
        Ty::Shape(s) => Ty::Shape(remap_shape(s, offset)),
        other => other.clone(),
    }
}

fn remap_sig(sig: &Sig, offset: usize) -> Arc<Sig> {
    Arc::new(Sig {
        params: sig
            .params
            .iter()
            .map(|p| ParamSig {
                ty: remap(&p.ty, offset),
                ..p.clone()
            })
            .collect(),
        ret: remap(&sig.ret, offset),
    })
}

fn remap_shape(s: &Shape, offset: usize) -> Arc<Shape> {
    Arc::new(Shape {
        name: s.name.clone(),
        props: s
            .props
            .iter()
            .map(|p| Prop {
                ty: remap(&p.ty, offset),
                ..p.clone()
            })
            .collect(),
        open: s.open,
    })
}

impl Checker<'_> {
    /// Copies an imported module's class table in (once per module);
    /// returns the offset of its ids here.
    fn adopt_classes(&mut self, exports: &Arc<ModuleExports>) -> usize {
        let key = Arc::as_ptr(exports) as usize;
        if let Some(off) = self.imported_classes.get(&key) {
            return *off;
        }
        let offset = self.classes.len();
        for c in &exports.classes {
            let mut c = c.clone();
            c.base = c.base.map(|b| b.map(|id| id + offset));
            c.members = c
                .members
                .iter()
                .map(|(k, t)| (k.clone(), remap(t, offset)))
                .collect();
            c.ctor = c.ctor.as_ref().map(|s| remap_sig(s, offset));
            self.classes.push(c);
        }
        self.imported_classes.insert(key, offset);
        offset
    }

    /// Declares what the module's imports bring in, with their types when
    /// the imported module is known; a name it does not export is
    /// `EXPORT_NOT_FOUND` at the imported name.
    pub(crate) fn declare_imports(&mut self, program: &Program) {
        for s in &program.body {
            let Stmt::Import(i) = s else { continue };
            let target = self.imports.resolve(&i.source);
            for spec in &i.specifiers {
                let Some(local) = import_local(spec) else {
                    continue;
                };
                let type_only =
                    i.type_only || matches!(spec, ImportSpecifier::Named { is_type: true, .. });
                let (value, ty) = match (&target, spec) {
                    (ImportTarget::Module(exports), ImportSpecifier::Named { imported, .. }) => {
                        let name = property_name(imported.name());
                        let found = exports.has(name);
                        if !found && !exports.open {
                            self.diags.push(Diagnostic::error(
                                Message::ExportNotFound {
                                    name: imported.name().to_string(),
                                    module: i.source.to_string(),
                                },
                                imported.span(),
                            ));
                        }
                        self.imported(exports, name)
                    }
                    (ImportTarget::Module(exports), ImportSpecifier::Default(_)) => {
                        if exports.has("default") {
                            self.imported(exports, "default")
                        } else {
                            (Some((Ty::Any, None)), TypeDef::Any)
                        }
                    }
                    _ => (Some((Ty::Any, None)), TypeDef::Any),
                };
                self.declare_type(&local.name, ty);
                if !type_only {
                    let (t, class) = value.unwrap_or((Ty::Any, None));
                    let kind = class.map(BindKind::Class).unwrap_or(BindKind::Value);
                    self.declare(local, t, kind, false, DeclKind::Import);
                    if let Some(sym) = self.lookup(&local.name).map(|b| b.sym) {
                        if let Some(s) = self.symbol_model.get_mut(sym as usize) {
                            let imported = match spec {
                                ImportSpecifier::Named { imported, .. } => {
                                    property_name(imported.name()).to_string()
                                }
                                ImportSpecifier::Default(_) => "default".into(),
                                ImportSpecifier::Namespace(_) => "*".into(),
                            };
                            s.import = Some((i.source.to_string(), imported));
                        }
                    }
                } else {
                    self.new_symbol(local, SymbolKind::Import, DeclKind::Import, &Ty::Any);
                }
            }
        }
    }

    /// The value (type and class) and the type an imported name has here.
    #[allow(clippy::type_complexity)]
    fn imported(
        &mut self,
        exports: &Arc<ModuleExports>,
        name: &str,
    ) -> (Option<(Ty, Option<usize>)>, TypeDef) {
        let offset = self.adopt_classes(exports);
        let value = exports
            .values
            .get(name)
            .map(|v| (remap(&v.ty, offset), v.class.map(|c| c + offset)));
        let ty = match exports.types.get(name).map(|t| &t.ty) {
            Some(ExportedTypeDef::Interface(s)) => TypeDef::Interface(remap_shape(s, offset)),
            Some(ExportedTypeDef::Class(id)) => TypeDef::Class(id + offset),
            Some(ExportedTypeDef::Ty(t)) => TypeDef::Resolved(remap(t, offset)),
            Some(ExportedTypeDef::Any) | None => TypeDef::Any,
        };
        let value = if value.is_none() && exports.open {
            Some((Ty::Any, None))
        } else {
            value
        };
        (value, ty)
    }

    /// In a declarations-only pass: the types exported `собит`/`тағ`
    /// initializers have without walking bodies (literals, annotated
    /// functions and arrows).
    pub(crate) fn export_initializers(&mut self, s: &Stmt) {
        let Stmt::Export(e) = s else { return };
        let ExportDecl::Decl(Stmt::Var(d), _) = &**e else {
            return;
        };
        for dd in &d.decls {
            let (
                Pat::Ident {
                    ident, ty: None, ..
                },
                Some(init),
            ) = (&dd.pat, &dd.init)
            else {
                continue;
            };
            let t = match init {
                Expr::Arrow(a) if a.type_params.is_empty() => {
                    self.push_scope();
                    let params = self.param_sigs(&a.params);
                    let ret = match &a.return_type {
                        Some(t) if !a.is_async => self.resolve(t),
                        _ => Ty::Any,
                    };
                    self.pop_scope();
                    Ty::Func(Arc::new(Sig { params, ret }))
                }
                Expr::Function(f) => Ty::Func(self.function_sig(f)),
                other => crate::literal_type(other),
            };
            let t = if d.kind == VarKind::Let { t.widen() } else { t };
            if let Some(b) = self.lookup_mut(&ident.name) {
                if b.inferred {
                    b.ty = t;
                }
            }
        }
    }

    /// The module's exports, read from its top-level scope.
    pub(crate) fn collect_exports(&mut self, program: &Program) -> ModuleExports {
        let mut out = ModuleExports::default();
        for s in &program.body {
            let Stmt::Export(e) = s else { continue };
            match &**e {
                ExportDecl::Decl(inner, _) => {
                    for ident in declared_names(inner) {
                        self.export_local(&mut out, ident, property_name(&ident.name));
                    }
                }
                ExportDecl::DefaultDecl(inner, span) => match declared_names(inner).first() {
                    Some(ident) => self.export_local(&mut out, ident, "default"),
                    None => {
                        out.values.insert(
                            "default".into(),
                            ExportedValue {
                                ty: Ty::Any,
                                class: None,
                                span: *span,
                            },
                        );
                    }
                },
                ExportDecl::DefaultExpr(_, span) => {
                    out.values.insert(
                        "default".into(),
                        ExportedValue {
                            ty: Ty::Any,
                            class: None,
                            span: *span,
                        },
                    );
                }
                ExportDecl::Named {
                    specifiers,
                    source: None,
                    ..
                } => {
                    for spec in specifiers {
                        let exported = spec.exported.as_ref().unwrap_or(&spec.orig);
                        let name = property_name(exported.name());
                        if let ModuleExportName::Ident(orig) = &spec.orig {
                            self.export_local(&mut out, orig, name);
                        }
                    }
                }
                ExportDecl::Named {
                    specifiers,
                    source: Some((src, _)),
                    ..
                } => {
                    let target = self.imports.resolve(src);
                    for spec in specifiers {
                        let exported = spec.exported.as_ref().unwrap_or(&spec.orig);
                        let name = property_name(exported.name());
                        let orig = property_name(spec.orig.name());
                        match &target {
                            // A name `m` lacks is reported by `check_reexports`.
                            ImportTarget::Module(m) => {
                                self.reexport(&mut out, m, orig, name, spec.orig.span());
                            }
                            ImportTarget::Unknown => {
                                out.values.insert(
                                    name.into(),
                                    ExportedValue {
                                        ty: Ty::Any,
                                        class: None,
                                        span: spec.orig.span(),
                                    },
                                );
                                out.types.insert(
                                    name.into(),
                                    ExportedType {
                                        ty: ExportedTypeDef::Any,
                                        span: spec.orig.span(),
                                    },
                                );
                            }
                        }
                    }
                }
                ExportDecl::All {
                    alias: Some(alias),
                    source,
                    ..
                } => {
                    let _ = source;
                    out.values.insert(
                        property_name(alias.name()).into(),
                        ExportedValue {
                            ty: Ty::Any,
                            class: None,
                            span: alias.span(),
                        },
                    );
                }
                ExportDecl::All {
                    alias: None,
                    source: (src, span),
                    ..
                } => match self.imports.resolve(src) {
                    ImportTarget::Module(m) => {
                        let names: Vec<Box<str>> = m
                            .values
                            .keys()
                            .chain(m.types.keys())
                            .filter(|n| &***n != "default")
                            .cloned()
                            .collect();
                        for n in names {
                            if !out.values.contains_key(&n) && !out.types.contains_key(&n) {
                                self.reexport(&mut out, &m, &n, &n, *span);
                            }
                        }
                        out.open |= m.open;
                    }
                    ImportTarget::Unknown => out.open = true,
                },
            }
        }
        out.classes = self.classes.clone();
        out
    }

    /// `EXPORT_NOT_FOUND` for each name re-exported from a module that does
    /// not export it.
    pub(crate) fn check_reexports(&mut self, program: &Program) {
        for s in &program.body {
            let Stmt::Export(e) = s else { continue };
            let ExportDecl::Named {
                specifiers,
                source: Some((src, _)),
                ..
            } = &**e
            else {
                continue;
            };
            let ImportTarget::Module(m) = self.imports.resolve(src) else {
                continue;
            };
            for spec in specifiers {
                if !m.has(spec.orig.name()) && !m.open {
                    self.diags.push(Diagnostic::error(
                        Message::ExportNotFound {
                            name: spec.orig.name().to_string(),
                            module: src.to_string(),
                        },
                        spec.orig.span(),
                    ));
                }
            }
        }
    }

    fn reexport(
        &mut self,
        out: &mut ModuleExports,
        m: &Arc<ModuleExports>,
        orig: &str,
        name: &str,
        span: Span,
    ) {
        let (value, ty) = self.imported(m, orig);
        if let Some((t, class)) = value {
            out.values
                .insert(name.into(), ExportedValue { ty: t, class, span });
        }
        let def = match ty {
            TypeDef::Interface(s) => Some(ExportedTypeDef::Interface(s)),
            TypeDef::Class(id) => Some(ExportedTypeDef::Class(id)),
            TypeDef::Resolved(t) => Some(ExportedTypeDef::Ty(t)),
            _ if m.types.contains_key(orig) => Some(ExportedTypeDef::Any),
            _ => None,
        };
        if let Some(def) = def {
            out.types
                .insert(name.into(), ExportedType { ty: def, span });
        }
    }

    /// Exports a top-level name as `name`.
    fn export_local(&mut self, out: &mut ModuleExports, ident: &Ident, name: &str) {
        if let Some(b) = self.lookup(&ident.name).cloned() {
            let class = match b.kind {
                BindKind::Class(id) => Some(id),
                BindKind::Value => None,
            };
            let span = self
                .symbols
                .get(b.sym as usize)
                .map(|s| s.span)
                .unwrap_or(ident.span);
            out.values.insert(
                name.into(),
                ExportedValue {
                    ty: b.ty.clone(),
                    class,
                    span,
                },
            );
        }
        let def = self.lookup_type(&ident.name).cloned();
        if let Some(def) = def {
            let ty = match def {
                TypeDef::Interface(s) => ExportedTypeDef::Interface(s),
                TypeDef::Class(id) => ExportedTypeDef::Class(id),
                TypeDef::Resolved(t) => ExportedTypeDef::Ty(t),
                TypeDef::Alias(a) => {
                    let t = self.resolve(&a);
                    ExportedTypeDef::Ty(t)
                }
                _ => ExportedTypeDef::Any,
            };
            out.types.insert(
                name.into(),
                ExportedType {
                    ty,
                    span: ident.span,
                },
            );
        }
    }
}

/// The names a declaration statement declares.
fn declared_names(s: &Stmt) -> Vec<&Ident> {
    let mut out = Vec::new();
    match s {
        Stmt::Var(d) => {
            for dd in &d.decls {
                pat_idents(&dd.pat, &mut out);
            }
        }
        Stmt::Function(f) => out.extend(f.name.as_ref()),
        Stmt::Class(c) => out.extend(c.name.as_ref()),
        Stmt::Interface(i) => out.push(&i.name),
        Stmt::TypeAlias(a) => out.push(&a.name),
        Stmt::Enum(e) => out.push(&e.name),
        Stmt::Namespace(n) => out.extend(n.path.first()),
        _ => {}
    }
    out
}
