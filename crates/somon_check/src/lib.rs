//! The binder and type checker.
//!
//! One walk over the whole tree with a stack of lexical scopes (hoisting
//! every declaration of a block before its statements are visited), so
//! names are resolved in every position — conditions, returns, nested
//! functions, class bodies — and each check runs wherever its construct
//! appears (decisions.md §4.2). The type model is forgiving: anything the
//! checker cannot be sure of is `Any` and never reported.

mod globals;
pub mod types;

use globals::is_global;
use somon_diagnostics::{Diagnostic, Message, Span};
use somon_syntax::ast::*;
use std::collections::HashMap;
use std::rc::Rc;
use types::{display, ParamSig, Prop as ShapeProp, Shape, Sig, Ty};

/// Type-checks a parsed program; returns its diagnostics in source order.
pub fn check(program: &Program) -> Vec<Diagnostic> {
    let mut c = Checker::default();
    c.push_scope();
    c.hoist(&program.body);
    for s in &program.body {
        c.stmt(s);
    }
    c.pop_scope();
    let mut d = c.diags;
    d.sort_by_key(|d| (d.span.lo, d.span.hi));
    d
}

#[derive(Clone, Debug)]
enum BindKind {
    Value,
    Class(usize),
}

#[derive(Clone, Debug)]
struct Binding {
    ty: Ty,
    kind: BindKind,
    /// `тағ` without annotation: its type comes from the initializer when
    /// it is visited; until then (and for reassignments) it is open.
    inferred: bool,
}

#[derive(Clone, Debug)]
enum TypeDef {
    Any,
    Interface(Rc<Shape>),
    Alias(Rc<Type>),
    Class(usize),
}

#[derive(Default)]
struct Scope {
    values: HashMap<Box<str>, Binding>,
    types: HashMap<Box<str>, TypeDef>,
}

#[derive(Clone, Debug, Default)]
struct ClassInfo {
    name: Rc<str>,
    /// The superclass: `None` for no `мерос`, `Some(None)` when it is not a
    /// class this checker knows.
    base: Option<Option<usize>>,
    members: HashMap<Box<str>, Ty>,
    ctor: Option<Rc<Sig>>,
    is_abstract: bool,
}

/// What the enclosing function expects `бозгашт` to return.
#[derive(Clone)]
enum ReturnCtx {
    None,
    Check(Ty),
}

#[derive(Default)]
struct Checker {
    scopes: Vec<Scope>,
    classes: Vec<ClassInfo>,
    diags: Vec<Diagnostic>,
    /// Class instance type of `ин`, innermost last.
    this_stack: Vec<Ty>,
    returns: Vec<ReturnCtx>,
    /// Type aliases being resolved (a recursive alias is `Any` inside
    /// itself) and the ones already resolved, by the address of their
    /// syntax node, which lives as long as the check.
    resolving: Vec<usize>,
    resolved_aliases: HashMap<usize, Ty>,
}

fn rc(s: &str) -> Rc<str> {
    Rc::from(s)
}

impl Checker {
    // ================================================================ scopes

    fn push_scope(&mut self) {
        self.scopes.push(Scope::default());
    }

    fn pop_scope(&mut self) {
        self.scopes.pop();
    }

    fn declare(&mut self, name: &str, ty: Ty, kind: BindKind, inferred: bool) {
        if let Some(s) = self.scopes.last_mut() {
            s.values.insert(name.into(), Binding { ty, kind, inferred });
        }
    }

    fn declare_type(&mut self, name: &str, def: TypeDef) {
        if let Some(s) = self.scopes.last_mut() {
            s.types.insert(name.into(), def);
        }
    }

    fn lookup(&self, name: &str) -> Option<&Binding> {
        self.scopes.iter().rev().find_map(|s| s.values.get(name))
    }

    fn lookup_mut(&mut self, name: &str) -> Option<&mut Binding> {
        self.scopes
            .iter_mut()
            .rev()
            .find_map(|s| s.values.get_mut(name))
    }

    fn lookup_type(&self, name: &str) -> Option<&TypeDef> {
        self.scopes.iter().rev().find_map(|s| s.types.get(name))
    }

    fn error(&mut self, message: Message, span: Span) {
        self.diags.push(Diagnostic::error(message, span));
    }

    fn show(&self, ty: &Ty) -> String {
        display(ty, &|id| {
            self.classes
                .get(id)
                .map(|c| c.name.to_string())
                .unwrap_or_default()
        })
    }

    // =============================================================== hoisting

    /// Declares everything a block declares before its statements run:
    /// types first (so annotations can use them), then values.
    fn hoist(&mut self, stmts: &[Stmt]) {
        for s in stmts {
            self.hoist_type(s);
        }
        for s in stmts {
            self.hoist_value(s);
        }
    }

    fn hoist_type(&mut self, s: &Stmt) {
        match s {
            Stmt::Interface(i) => {
                let shape = self.interface_shape(i);
                self.declare_type(&i.name.name, TypeDef::Interface(shape));
            }
            Stmt::TypeAlias(a) => {
                if a.type_params.is_empty() {
                    self.declare_type(&a.name.name, TypeDef::Alias(Rc::new(a.ty.clone())));
                } else {
                    self.declare_type(&a.name.name, TypeDef::Any);
                }
            }
            Stmt::Class(c) => {
                if let Some(name) = &c.name {
                    let id = self.classes.len();
                    self.classes.push(ClassInfo {
                        name: rc(&name.name),
                        ..Default::default()
                    });
                    self.declare_type(&name.name, TypeDef::Class(id));
                    self.declare(&name.name, Ty::ClassValue(id), BindKind::Class(id), false);
                }
            }
            Stmt::Enum(e) => self.declare_type(&e.name.name, TypeDef::Any),
            Stmt::Import(i) if i.type_only => {
                for spec in &i.specifiers {
                    if let Some(local) = import_local(spec) {
                        self.declare_type(&local.name, TypeDef::Any);
                    }
                }
            }
            Stmt::Import(i) => {
                // An imported name may be a type as well as a value.
                for spec in &i.specifiers {
                    if let Some(local) = import_local(spec) {
                        self.declare_type(&local.name, TypeDef::Any);
                    }
                }
            }
            Stmt::Namespace(n) => {
                if let Some(first) = n.path.first() {
                    self.declare_type(&first.name, TypeDef::Any);
                }
            }
            Stmt::Export(e) => match &**e {
                ExportDecl::Decl(inner, _) | ExportDecl::DefaultDecl(inner, _) => {
                    self.hoist_type(inner)
                }
                _ => {}
            },
            _ => {}
        }
    }

    fn hoist_value(&mut self, s: &Stmt) {
        match s {
            Stmt::Var(d) => {
                for dd in &d.decls {
                    let annotated = dd.pat.type_annotation().map(|t| self.resolve(t));
                    let inferred = annotated.is_none();
                    self.declare_pattern(&dd.pat, annotated.unwrap_or(Ty::Any), inferred);
                }
            }
            Stmt::Function(f) => {
                if let Some(name) = &f.name {
                    let sig = self.function_sig(f);
                    self.declare(&name.name, Ty::Func(sig), BindKind::Value, false);
                }
            }
            Stmt::Class(c) => self.fill_class(c),
            Stmt::Enum(e) => self.declare(&e.name.name, Ty::Any, BindKind::Value, false),
            Stmt::Namespace(n) => {
                if let Some(first) = n.path.first() {
                    self.declare(&first.name, Ty::Any, BindKind::Value, false);
                }
            }
            Stmt::Import(i) if !i.type_only => {
                for spec in &i.specifiers {
                    if let ImportSpecifier::Named { is_type: true, .. } = spec {
                        continue;
                    }
                    if let Some(local) = import_local(spec) {
                        self.declare(&local.name, Ty::Any, BindKind::Value, false);
                    }
                }
            }
            Stmt::Export(e) => match &**e {
                ExportDecl::Decl(inner, _) | ExportDecl::DefaultDecl(inner, _) => {
                    self.hoist_value(inner)
                }
                _ => {}
            },
            _ => {}
        }
    }

    fn declare_pattern(&mut self, p: &Pat, ty: Ty, inferred: bool) {
        match p {
            Pat::Ident { ident, .. } => self.declare(&ident.name, ty, BindKind::Value, inferred),
            Pat::Array { elems, .. } => {
                for e in elems.iter().flatten() {
                    self.declare_pattern(e, Ty::Any, true);
                }
            }
            Pat::Object { props, .. } => {
                for prop in props {
                    match prop {
                        ObjectPatProp::KeyValue { value, .. } => {
                            self.declare_pattern(value, Ty::Any, true)
                        }
                        ObjectPatProp::Shorthand { ident, .. } => {
                            self.declare(&ident.name, Ty::Any, BindKind::Value, true)
                        }
                        ObjectPatProp::Rest(r) => self.declare_pattern(r, Ty::Any, true),
                    }
                }
            }
            Pat::Rest { arg, .. } => self.declare_pattern(arg, ty, inferred),
            Pat::Assign { left, .. } => self.declare_pattern(left, ty, inferred),
            Pat::Expr(_) => {}
        }
    }

    /// Fills a hoisted class's members from its annotations.
    fn fill_class(&mut self, c: &Class) {
        let Some(name) = &c.name else { return };
        let Some(BindKind::Class(id)) = self.lookup(&name.name).map(|b| b.kind.clone()) else {
            return;
        };
        self.push_scope();
        for tp in &c.type_params {
            self.declare_type(&tp.name.name, TypeDef::Any);
        }
        let info = self.class_info(c);
        self.pop_scope();
        if let Some(slot) = self.classes.get_mut(id) {
            let name = slot.name.clone();
            *slot = ClassInfo { name, ..info };
        }
    }

    fn class_info(&mut self, c: &Class) -> ClassInfo {
        let mut members = HashMap::new();
        let mut ctor = None;
        for m in &c.members {
            match m {
                ClassMember::Field { key, ty, .. } => {
                    if let Some(n) = prop_key(key) {
                        let t = ty.as_ref().map(|t| self.resolve(t)).unwrap_or(Ty::Any);
                        members.insert(n.into(), t);
                    }
                }
                ClassMember::Method {
                    key,
                    kind,
                    function,
                    ..
                } => {
                    if let Some(n) = prop_key(key) {
                        let t = match kind {
                            MethodKind::Method => Ty::Func(self.function_sig(function)),
                            MethodKind::Getter => function
                                .return_type
                                .as_ref()
                                .map(|t| self.resolve(t))
                                .unwrap_or(Ty::Any),
                            MethodKind::Setter => Ty::Any,
                        };
                        // Overloads and accessor pairs: keep it open.
                        if members.contains_key(n) {
                            members.insert(n.into(), Ty::Any);
                        } else {
                            members.insert(n.into(), t);
                        }
                    }
                }
                ClassMember::Constructor { function, .. } => {
                    if function.body.is_some() {
                        ctor = Some(self.function_sig(function));
                    }
                    for p in function.params.iter().filter(|p| p.is_property) {
                        if let Some(n) = pat_name(&p.pat) {
                            let t = p
                                .pat
                                .type_annotation()
                                .map(|t| self.resolve(t))
                                .unwrap_or(Ty::Any);
                            members.insert(n.into(), t);
                        }
                    }
                }
                _ => {}
            }
        }
        let base = c.super_class.as_ref().map(|e| match e {
            Expr::Ident(i) => match self.lookup(&i.name).map(|b| b.kind.clone()) {
                Some(BindKind::Class(id)) => Some(id),
                _ => None,
            },
            _ => None,
        });
        ClassInfo {
            name: rc(c.name.as_ref().map(|n| &*n.name).unwrap_or("")),
            base,
            members,
            ctor,
            is_abstract: c.is_abstract,
        }
    }

    fn function_sig(&mut self, f: &Function) -> Rc<Sig> {
        self.push_scope();
        for tp in &f.type_params {
            self.declare_type(&tp.name.name, TypeDef::Any);
        }
        let params = self.param_sigs(&f.params);
        let ret = match &f.return_type {
            Some(t) if !f.is_async && !f.is_generator => self.resolve(t),
            _ => Ty::Any,
        };
        self.pop_scope();
        Rc::new(Sig { params, ret })
    }

    fn param_sigs(&mut self, params: &[Param]) -> Vec<ParamSig> {
        params
            .iter()
            .map(|p| {
                let (pat, has_default) = match &p.pat {
                    Pat::Assign { left, .. } => (&**left, true),
                    other => (other, false),
                };
                let rest = matches!(pat, Pat::Rest { .. });
                let optional = has_default || matches!(pat, Pat::Ident { optional: true, .. });
                let ty = match pat {
                    Pat::Rest { ty: Some(t), .. } => match self.resolve(t) {
                        Ty::Array(inner) => *inner,
                        _ => Ty::Any,
                    },
                    _ => pat
                        .type_annotation()
                        .map(|t| self.resolve(t))
                        .unwrap_or(Ty::Any),
                };
                let ty = match (&p.pat, &ty) {
                    // An unannotated parameter with a literal default takes
                    // the default's (widened) type, as in TypeScript.
                    (Pat::Assign { right, .. }, Ty::Any) if pat.type_annotation().is_none() => {
                        literal_type(right).widen()
                    }
                    _ => ty,
                };
                ParamSig {
                    name: rc(pat_name(pat).unwrap_or("")),
                    ty,
                    optional,
                    rest,
                }
            })
            .collect()
    }

    // ============================================================= types

    fn resolve(&mut self, t: &Type) -> Ty {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.resolve_inner(t))
    }

    fn resolve_inner(&mut self, t: &Type) -> Ty {
        match t {
            Type::Keyword(k, _) => match k {
                TypeKeyword::String => Ty::String,
                TypeKeyword::Number => Ty::Number,
                TypeKeyword::Boolean => Ty::Boolean,
                TypeKeyword::Bigint => Ty::BigInt,
                TypeKeyword::Symbol => Ty::Symbol,
                TypeKeyword::Never => Ty::Never,
                TypeKeyword::Void => Ty::Void,
                TypeKeyword::Null => Ty::Null,
                TypeKeyword::Undefined => Ty::Undefined,
                TypeKeyword::Object => Ty::Object,
                TypeKeyword::Any | TypeKeyword::Unknown | TypeKeyword::This => Ty::Any,
            },
            Type::StrLit(s, _) => Ty::StrLit(rc(s)),
            Type::NumLit(n, _) => Ty::NumLit(*n),
            Type::BoolLit(b, _) => Ty::BoolLit(*b),
            Type::Array(inner, _) => Ty::Array(Box::new(self.resolve(inner))),
            Type::Tuple(elems, _) => {
                if elems.iter().any(|e| e.optional || e.rest) {
                    Ty::Any
                } else {
                    Ty::Tuple(elems.iter().map(|e| self.resolve(&e.ty)).collect())
                }
            }
            Type::Union(items, _) => {
                let tys: Vec<Ty> = items.iter().map(|t| self.resolve(t)).collect();
                Ty::union(tys)
            }
            Type::Paren(inner, _) => self.resolve(inner),
            Type::Function { params, ret, .. } => {
                self.push_scope();
                let params = self.param_sigs(params);
                let ret = self.resolve(ret);
                self.pop_scope();
                Ty::Func(Rc::new(Sig { params, ret }))
            }
            Type::Object(members, _) => Ty::Shape(self.members_shape(None, members, false)),
            Type::Ref { name, args, .. } => self.resolve_ref(name, args),
            _ => Ty::Any,
        }
    }

    fn resolve_ref(&mut self, name: &[Ident], args: &[Type]) -> Ty {
        let [single] = name else { return Ty::Any };
        let n = &*single.name;
        if n == "Array" || n == "ReadonlyArray" {
            return match args {
                [t] => Ty::Array(Box::new(self.resolve(t))),
                _ => Ty::Any,
            };
        }
        match self.lookup_type(n).cloned() {
            Some(TypeDef::Interface(shape)) if args.is_empty() => Ty::Shape(shape),
            Some(TypeDef::Class(id)) if args.is_empty() => Ty::Instance(id),
            Some(TypeDef::Alias(t)) if args.is_empty() => {
                let key = t.as_ref() as *const Type as usize;
                if let Some(done) = self.resolved_aliases.get(&key) {
                    return done.clone();
                }
                if self.resolving.contains(&key) {
                    return Ty::Any;
                }
                self.resolving.push(key);
                let r = self.resolve(&t);
                self.resolving.pop();
                self.resolved_aliases.insert(key, r.clone());
                r
            }
            _ => Ty::Any,
        }
    }

    fn interface_shape(&mut self, i: &InterfaceDecl) -> Rc<Shape> {
        self.push_scope();
        for tp in &i.type_params {
            self.declare_type(&tp.name.name, TypeDef::Any);
        }
        let mut shape = (*self.members_shape(Some(rc(&i.name.name)), &i.members, false)).clone();
        for ext in &i.extends {
            match ext {
                Type::Ref { name, args, .. } if args.is_empty() && name.len() == 1 => {
                    let base = name.first().map(|n| n.name.to_string()).unwrap_or_default();
                    match self.lookup_type(&base).cloned() {
                        Some(TypeDef::Interface(b)) => {
                            for p in &b.props {
                                if !shape.props.iter().any(|q| q.name == p.name) {
                                    shape.props.push(p.clone());
                                }
                            }
                            shape.open |= b.open;
                        }
                        _ => shape.open = true,
                    }
                }
                _ => shape.open = true,
            }
        }
        self.pop_scope();
        Rc::new(shape)
    }

    fn members_shape(
        &mut self,
        name: Option<Rc<str>>,
        members: &[TypeMember],
        open: bool,
    ) -> Rc<Shape> {
        let mut props = Vec::new();
        let mut open = open;
        for m in members {
            match m {
                TypeMember::Property {
                    key, ty, optional, ..
                } => match prop_key(key) {
                    Some(n) => props.push(ShapeProp {
                        name: rc(n),
                        ty: ty.as_ref().map(|t| self.resolve(t)).unwrap_or(Ty::Any),
                        optional: *optional,
                    }),
                    None => open = true,
                },
                TypeMember::Method { key, optional, .. } => match prop_key(key) {
                    Some(n) => props.push(ShapeProp {
                        name: rc(n),
                        ty: Ty::Any,
                        optional: *optional,
                    }),
                    None => open = true,
                },
                TypeMember::Index { .. }
                | TypeMember::Call { .. }
                | TypeMember::Construct { .. } => open = true,
            }
        }
        Rc::new(Shape { name, props, open })
    }

    // ========================================================= assignability

    /// `false` only when `src` is certainly not assignable to `dst`.
    fn assignable(&self, src: &Ty, dst: &Ty) -> bool {
        match (src, dst) {
            (Ty::Any, _) | (_, Ty::Any) | (Ty::Never, _) => true,
            (Ty::Union(items), _) => items.iter().all(|s| self.assignable(s, dst)),
            (_, Ty::Union(items)) => items.iter().any(|d| self.assignable(src, d)),
            (Ty::StrLit(a), Ty::StrLit(b)) => a == b,
            (Ty::NumLit(a), Ty::NumLit(b)) => a == b,
            (Ty::BoolLit(a), Ty::BoolLit(b)) => a == b,
            (Ty::StrLit(_) | Ty::String, Ty::String) => true,
            (Ty::NumLit(_) | Ty::Number, Ty::Number) => true,
            (Ty::BoolLit(_) | Ty::Boolean, Ty::Boolean) => true,
            (Ty::BigInt, Ty::BigInt) | (Ty::Symbol, Ty::Symbol) | (Ty::Null, Ty::Null) => true,
            (Ty::Undefined, Ty::Undefined | Ty::Void) | (Ty::Void, Ty::Void) => true,
            (_, Ty::Object) => src.is_object_like(),
            (Ty::Array(a), Ty::Array(b)) => self.assignable(a, b),
            (Ty::Tuple(items), Ty::Array(b)) => items.iter().all(|s| self.assignable(s, b)),
            (Ty::Tuple(a), Ty::Tuple(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(s, d)| self.assignable(s, d))
            }
            (Ty::Array(_), Ty::Tuple(_)) => true,
            (Ty::Shape(s), Ty::Shape(d)) => self.shape_assignable(s, d),
            (Ty::Instance(a), Ty::Instance(b)) => self.derives_from(*a, *b),
            // Structural comparisons of classes, functions and shapes with
            // one another are left to TypeScript-level tools.
            (
                Ty::Instance(_) | Ty::Func(_) | Ty::ClassValue(_) | Ty::Object,
                Ty::Shape(_) | Ty::Func(_) | Ty::Instance(_),
            ) => true,
            (Ty::Shape(_), Ty::Instance(_) | Ty::Func(_)) => true,
            (Ty::Func(_), Ty::ClassValue(_)) | (Ty::ClassValue(_), Ty::ClassValue(_)) => true,
            // A primitive has the apparent members of its wrapper object.
            (
                Ty::String
                | Ty::StrLit(_)
                | Ty::Number
                | Ty::NumLit(_)
                | Ty::Boolean
                | Ty::BoolLit(_),
                Ty::Shape(_),
            ) => true,
            _ => false,
        }
    }

    fn shape_assignable(&self, s: &Shape, d: &Shape) -> bool {
        if s.open || d.open {
            return true;
        }
        d.props
            .iter()
            .all(|dp| match s.props.iter().find(|sp| sp.name == dp.name) {
                Some(sp) => self.assignable(&sp.ty, &dp.ty),
                None => dp.optional,
            })
    }

    fn derives_from(&self, a: usize, b: usize) -> bool {
        let mut cur = Some(a);
        let mut steps = 0;
        while let Some(id) = cur {
            if id == b {
                return true;
            }
            steps += 1;
            if steps > self.classes.len() {
                return true;
            }
            cur = match self.classes.get(id).and_then(|c| c.base) {
                None => return false,
                Some(None) => return true,
                Some(Some(base)) => Some(base),
            };
        }
        true
    }

    // ============================================================ statements

    fn block(&mut self, stmts: &[Stmt]) {
        self.push_scope();
        self.hoist(stmts);
        for s in stmts {
            self.stmt(s);
        }
        self.pop_scope();
    }

    fn stmt(&mut self, s: &Stmt) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.stmt_inner(s))
    }

    fn stmt_inner(&mut self, s: &Stmt) {
        match s {
            Stmt::Var(d) => self.var_decl(d),
            Stmt::Function(f) => self.function(f),
            Stmt::Class(c) => self.class(c),
            Stmt::Interface(_) | Stmt::TypeAlias(_) | Stmt::Import(_) => {}
            Stmt::Enum(e) => self.enum_decl(e),
            Stmt::Namespace(n) => {
                self.push_scope();
                self.hoist(&n.body);
                for s in &n.body {
                    self.stmt(s);
                }
                self.pop_scope();
            }
            Stmt::Export(e) => match &**e {
                ExportDecl::Decl(inner, _) | ExportDecl::DefaultDecl(inner, _) => self.stmt(inner),
                ExportDecl::DefaultExpr(e, _) => {
                    self.expr(e);
                }
                ExportDecl::Named {
                    specifiers, source, ..
                } => {
                    if source.is_none() {
                        for spec in specifiers {
                            if let ModuleExportName::Ident(i) = &spec.orig {
                                if !spec.is_type
                                    && self.lookup(&i.name).is_none()
                                    && self.lookup_type(&i.name).is_none()
                                {
                                    self.undefined(i);
                                }
                            }
                        }
                    }
                }
                ExportDecl::All { .. } => {}
            },
            Stmt::Expr(e, _) => {
                self.expr(e);
            }
            Stmt::Block(b) => self.block(&b.stmts),
            Stmt::Empty(_) => {}
            Stmt::If {
                test, cons, alt, ..
            } => {
                self.expr(test);
                self.nested_stmt(cons);
                if let Some(a) = alt {
                    self.nested_stmt(a);
                }
            }
            Stmt::While { test, body, .. } | Stmt::DoWhile { body, test, .. } => {
                self.expr(test);
                self.nested_stmt(body);
            }
            Stmt::For {
                init,
                test,
                update,
                body,
                ..
            } => {
                self.push_scope();
                match init {
                    Some(ForInit::Var(d)) => {
                        self.hoist_value(&Stmt::Var(d.clone()));
                        self.var_decl(d);
                    }
                    Some(ForInit::Expr(e)) => {
                        self.expr(e);
                    }
                    None => {}
                }
                if let Some(t) = test {
                    self.expr(t);
                }
                if let Some(u) = update {
                    self.expr(u);
                }
                self.nested_stmt(body);
                self.pop_scope();
            }
            Stmt::ForIn {
                left, right, body, ..
            }
            | Stmt::ForOf {
                left, right, body, ..
            } => {
                self.expr(right);
                self.push_scope();
                match left {
                    ForHead::Var(_, pat, _) => {
                        let ty = pat
                            .type_annotation()
                            .map(|t| self.resolve(t))
                            .unwrap_or(Ty::Any);
                        self.declare_pattern(pat, ty, true);
                        self.pattern_defaults(pat);
                    }
                    ForHead::Pat(p) => self.assign_target(p),
                }
                self.nested_stmt(body);
                self.pop_scope();
            }
            Stmt::Return { arg, .. } => {
                if let Some(a) = arg {
                    let t = self.expr(a);
                    if let Some(ReturnCtx::Check(expected)) = self.returns.last().cloned() {
                        self.check_assign(&t, &expected, a.span(), None);
                    }
                }
            }
            Stmt::Break { .. } | Stmt::Continue { .. } => {}
            Stmt::Throw { arg, .. } => {
                self.expr(arg);
            }
            Stmt::Try {
                block,
                handler,
                finalizer,
                ..
            } => {
                self.block(&block.stmts);
                if let Some(h) = handler {
                    self.push_scope();
                    if let Some(p) = &h.param {
                        self.declare_pattern(p, Ty::Any, true);
                    }
                    self.block(&h.body.stmts);
                    self.pop_scope();
                }
                if let Some(f) = finalizer {
                    self.block(&f.stmts);
                }
            }
            Stmt::Switch { disc, cases, .. } => {
                self.expr(disc);
                self.push_scope();
                let all: Vec<Stmt> = cases.iter().flat_map(|c| c.cons.iter().cloned()).collect();
                self.hoist(&all);
                for c in cases {
                    if let Some(t) = &c.test {
                        self.expr(t);
                    }
                    for s in &c.cons {
                        self.stmt(s);
                    }
                }
                self.pop_scope();
            }
            Stmt::Labeled { body, .. } => self.stmt(body),
        }
    }

    /// A statement in a branch or loop body gets its own scope when it
    /// declares something.
    fn nested_stmt(&mut self, s: &Stmt) {
        match s {
            Stmt::Block(b) => self.block(&b.stmts),
            other => self.block(std::slice::from_ref(other)),
        }
    }

    fn var_decl(&mut self, d: &VarDecl) {
        for dd in &d.decls {
            let annotated = dd.pat.type_annotation().map(|t| self.resolve(t));
            if let Some(init) = &dd.init {
                let t = self.expr_with_expected(init, annotated.as_ref());
                match &annotated {
                    Some(expected) => {
                        if !self.assignable(&t, expected) {
                            let (source, target) = (self.show(&t), self.show(expected));
                            self.error(
                                Message::TypeNotAssignable { source, target },
                                d.keyword_span,
                            );
                        } else {
                            self.check_excess_properties(init, expected);
                        }
                    }
                    None => {
                        // Remember what the initializer gave a plain name.
                        if let Pat::Ident { ident, .. } = &dd.pat {
                            let ty = if d.kind == VarKind::Const {
                                t.widen_props()
                            } else {
                                t.widen()
                            };
                            if let Some(b) = self.lookup_mut(&ident.name) {
                                if b.inferred {
                                    b.ty = ty;
                                    b.inferred = d.kind == VarKind::Let;
                                }
                            }
                        }
                    }
                }
            }
            self.pattern_defaults(&dd.pat);
        }
    }

    /// Visits default values and computed keys inside a binding pattern.
    fn pattern_defaults(&mut self, p: &Pat) {
        match p {
            Pat::Assign { left, right, .. } => {
                self.expr(right);
                self.pattern_defaults(left);
            }
            Pat::Array { elems, .. } => {
                for e in elems.iter().flatten() {
                    self.pattern_defaults(e);
                }
            }
            Pat::Object { props, .. } => {
                for prop in props {
                    match prop {
                        ObjectPatProp::KeyValue { key, value } => {
                            if let PropName::Computed(e, _) = key {
                                self.expr(e);
                            }
                            self.pattern_defaults(value);
                        }
                        ObjectPatProp::Shorthand {
                            default: Some(d), ..
                        } => {
                            self.expr(d);
                        }
                        ObjectPatProp::Shorthand { .. } => {}
                        ObjectPatProp::Rest(r) => self.pattern_defaults(r),
                    }
                }
            }
            Pat::Rest { arg, .. } => self.pattern_defaults(arg),
            Pat::Ident { .. } => {}
            Pat::Expr(e) => {
                self.expr(e);
            }
        }
    }

    /// The left side of an assignment (or a declaration-less for head).
    fn assign_target(&mut self, p: &Pat) {
        match p {
            Pat::Ident { ident, .. } => {
                if self.lookup(&ident.name).is_none() && !is_global(&ident.name) {
                    self.undefined(ident);
                }
            }
            Pat::Expr(e) => {
                self.expr(e);
            }
            Pat::Array { elems, .. } => {
                for e in elems.iter().flatten() {
                    self.assign_target(e);
                }
            }
            Pat::Object { props, .. } => {
                for prop in props {
                    match prop {
                        ObjectPatProp::KeyValue { key, value } => {
                            if let PropName::Computed(e, _) = key {
                                self.expr(e);
                            }
                            self.assign_target(value);
                        }
                        ObjectPatProp::Shorthand { ident, default } => {
                            if self.lookup(&ident.name).is_none() && !is_global(&ident.name) {
                                self.undefined(ident);
                            }
                            if let Some(d) = default {
                                self.expr(d);
                            }
                        }
                        ObjectPatProp::Rest(r) => self.assign_target(r),
                    }
                }
            }
            Pat::Rest { arg, .. } => self.assign_target(arg),
            Pat::Assign { left, right, .. } => {
                self.assign_target(left);
                self.expr(right);
            }
        }
    }

    fn function(&mut self, f: &Function) {
        self.function_body(f, None);
    }

    fn function_body(&mut self, f: &Function, this_ty: Option<Ty>) {
        self.push_scope();
        if let Some(name) = &f.name {
            // A function expression's own name is visible inside it.
            if self.lookup(&name.name).is_none() {
                self.declare(&name.name, Ty::Any, BindKind::Value, false);
            }
        }
        for tp in &f.type_params {
            self.declare_type(&tp.name.name, TypeDef::Any);
        }
        self.params(&f.params);
        let ret = match &f.return_type {
            Some(t) if !f.is_async && !f.is_generator => ReturnCtx::Check(self.resolve(t)),
            _ => ReturnCtx::None,
        };
        self.returns.push(ret);
        if let Some(t) = this_ty.clone() {
            self.this_stack.push(t);
        }
        if let Some(b) = &f.body {
            self.hoist(&b.stmts);
            for s in &b.stmts {
                self.stmt(s);
            }
        }
        if this_ty.is_some() {
            self.this_stack.pop();
        }
        self.returns.pop();
        self.pop_scope();
    }

    fn params(&mut self, params: &[Param]) {
        let sigs = self.param_sigs(params);
        for (p, sig) in params.iter().zip(sigs) {
            let ty = if sig.rest {
                Ty::Array(Box::new(sig.ty))
            } else {
                sig.ty
            };
            self.declare_pattern(&p.pat, ty, false);
            self.pattern_defaults(&p.pat);
        }
    }

    fn class(&mut self, c: &Class) {
        let id = match c
            .name
            .as_ref()
            .and_then(|n| self.lookup(&n.name))
            .map(|b| b.kind.clone())
        {
            Some(BindKind::Class(id)) => Some(id),
            _ => None,
        };
        self.class_body(c, id);
    }

    fn class_body(&mut self, c: &Class, id: Option<usize>) {
        if let Some(sup) = &c.super_class {
            self.check_extends(c, sup, id);
        }
        self.push_scope();
        for tp in &c.type_params {
            self.declare_type(&tp.name.name, TypeDef::Any);
        }
        let this_ty = id.map(Ty::Instance).unwrap_or(Ty::Any);
        for m in &c.members {
            match m {
                ClassMember::Constructor { function, .. } => {
                    self.function_body(function, Some(this_ty.clone()))
                }
                ClassMember::Method { key, function, .. } => {
                    if let PropName::Computed(e, _) = key {
                        self.expr(e);
                    }
                    self.function_body(function, Some(this_ty.clone()));
                }
                ClassMember::Field { key, value, ty, .. } => {
                    if let PropName::Computed(e, _) = key {
                        self.expr(e);
                    }
                    if let Some(v) = value {
                        self.this_stack.push(this_ty.clone());
                        self.returns.push(ReturnCtx::None);
                        let expected = ty.as_ref().map(|t| self.resolve(t));
                        let t = self.expr_with_expected(v, expected.as_ref());
                        self.returns.pop();
                        self.this_stack.pop();
                        if let Some(expected) = expected {
                            if !self.assignable(&t, &expected) {
                                let (source, target) = (self.show(&t), self.show(&expected));
                                let property = prop_key(key).unwrap_or("").to_string();
                                self.error(
                                    Message::PropertyNotAssignable {
                                        source,
                                        target,
                                        property,
                                    },
                                    key.span(),
                                );
                            }
                        }
                    }
                }
                ClassMember::StaticBlock(b) => {
                    self.this_stack.push(Ty::Any);
                    self.returns.push(ReturnCtx::None);
                    self.block(&b.stmts);
                    self.returns.pop();
                    self.this_stack.pop();
                }
                ClassMember::IndexSignature(_) => {}
            }
        }
        self.pop_scope();
    }

    fn check_extends(&mut self, c: &Class, sup: &Expr, id: Option<usize>) {
        let class_name = c
            .name
            .as_ref()
            .map(|n| n.name.to_string())
            .unwrap_or_default();
        let Expr::Ident(base) = sup else {
            self.expr(sup);
            return;
        };
        match self.lookup(&base.name).cloned() {
            None => {
                if is_global(&base.name) {
                    return;
                }
                if let Some(TypeDef::Interface(_)) = self.lookup_type(&base.name) {
                    self.error(
                        Message::ExtendsInterface {
                            class: class_name,
                            base: base.name.to_string(),
                        },
                        c.keyword_span,
                    );
                } else {
                    self.error(
                        Message::ClassNotFound {
                            name: base.name.to_string(),
                        },
                        c.keyword_span,
                    );
                }
            }
            Some(Binding {
                kind: BindKind::Class(base_id),
                ..
            }) => {
                // Walk up from the base: meeting this class again is a cycle.
                let Some(this_id) = id else { return };
                let mut cur = Some(base_id);
                let mut steps = 0;
                while let Some(k) = cur {
                    if k == this_id {
                        self.error(
                            Message::CircularInheritance { class: class_name },
                            c.keyword_span,
                        );
                        return;
                    }
                    steps += 1;
                    if steps > self.classes.len() {
                        return;
                    }
                    cur = self.classes.get(k).and_then(|ci| ci.base).flatten();
                }
            }
            Some(b) => {
                let ty = b.ty.clone();
                let is_value = matches!(
                    ty,
                    Ty::String
                        | Ty::Number
                        | Ty::Boolean
                        | Ty::BigInt
                        | Ty::Symbol
                        | Ty::Null
                        | Ty::Undefined
                        | Ty::StrLit(_)
                        | Ty::NumLit(_)
                        | Ty::BoolLit(_)
                        | Ty::Array(_)
                        | Ty::Tuple(_)
                );
                if is_value {
                    let kind = self.show(&ty.widen());
                    self.error(
                        Message::ExtendsNonClass {
                            class: class_name,
                            base: base.name.to_string(),
                            kind,
                        },
                        c.keyword_span,
                    );
                }
            }
        }
    }

    fn enum_decl(&mut self, e: &EnumDecl) {
        self.push_scope();
        for m in &e.members {
            if let Some(init) = &m.init {
                self.expr(init);
            }
            if let Some(n) = prop_key(&m.name) {
                self.declare(n, Ty::Any, BindKind::Value, false);
            }
        }
        self.pop_scope();
    }

    // ============================================================ expressions

    fn undefined(&mut self, i: &Ident) {
        let mut d = Diagnostic::error(
            Message::UndefinedIdentifier {
                name: i.name.to_string(),
            },
            i.span,
        );
        if let Some(best) = self.closest_name(&i.name) {
            d = d.with_suggestion(Message::DidYouMean { name: best });
        }
        if let Some((latin, cyrillic)) = somon_syntax::parser::latin_lookalike(&i.name) {
            d = d.with_note(Message::LatinLookalike { latin, cyrillic });
        }
        self.diags.push(d);
    }

    fn closest_name(&self, name: &str) -> Option<String> {
        let limit = (name.chars().count() / 3).clamp(1, 3);
        let mut best: Option<(usize, &str)> = None;
        for scope in &self.scopes {
            for candidate in scope.values.keys() {
                let d = edit_distance(name, candidate);
                if d <= limit && best.is_none_or(|(bd, bn)| (d, &**candidate) < (bd, bn)) {
                    best = Some((d, candidate));
                }
            }
        }
        best.map(|(_, n)| n.to_string())
    }

    fn expr(&mut self, e: &Expr) -> Ty {
        self.expr_with_expected(e, None)
    }

    fn expr_with_expected(&mut self, e: &Expr, expected: Option<&Ty>) -> Ty {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.expr_inner(e, expected))
    }

    fn expr_inner(&mut self, e: &Expr, expected: Option<&Ty>) -> Ty {
        match e {
            Expr::Ident(i) => match self.lookup(&i.name) {
                Some(b) => b.ty.clone(),
                None => {
                    if !is_global(&i.name) {
                        self.undefined(i);
                    }
                    Ty::Any
                }
            },
            Expr::This(_) => self.this_stack.last().cloned().unwrap_or(Ty::Any),
            Expr::Super(_) | Expr::NewTarget(_) | Expr::ImportMeta(_) | Expr::Invalid(_) => Ty::Any,
            Expr::Null(_) => Ty::Null,
            Expr::Undefined(_) => Ty::Undefined,
            Expr::Bool(b, _) => Ty::BoolLit(*b),
            Expr::Num(n, _) => Ty::NumLit(*n),
            Expr::BigInt { .. } => Ty::BigInt,
            Expr::Str(s, _) => Ty::StrLit(rc(s)),
            Expr::Regex { .. } => Ty::Any,
            Expr::Template(t) => {
                for x in &t.exprs {
                    self.expr(x);
                }
                Ty::String
            }
            Expr::TaggedTemplate { tag, tpl, .. } => {
                self.expr(tag);
                for x in &tpl.exprs {
                    self.expr(x);
                }
                Ty::Any
            }
            Expr::Array { elems, .. } => {
                let elem_expected = match expected {
                    Some(Ty::Array(inner)) => Some((**inner).clone()),
                    _ => None,
                };
                let mut tys = Vec::new();
                let mut spread = false;
                for el in elems {
                    match el {
                        Some(ExprOrSpread { spread: true, expr }) => {
                            self.expr(expr);
                            spread = true;
                        }
                        Some(ExprOrSpread { expr, .. }) => {
                            tys.push(self.expr_with_expected(expr, elem_expected.as_ref()))
                        }
                        None => tys.push(Ty::Undefined),
                    }
                }
                if spread {
                    Ty::Array(Box::new(Ty::Any))
                } else {
                    Ty::Tuple(tys)
                }
            }
            Expr::Object { props, .. } => self.object_literal(props),
            Expr::Function(f) => {
                let sig = self.function_sig(f);
                self.function_body(f, Some(Ty::Any));
                Ty::Func(sig)
            }
            Expr::Arrow(a) => self.arrow(a),
            Expr::Class(c) => {
                self.push_scope();
                let mut id = None;
                if let Some(name) = &c.name {
                    let new_id = self.classes.len();
                    self.classes.push(ClassInfo {
                        name: rc(&name.name),
                        ..Default::default()
                    });
                    self.declare(
                        &name.name,
                        Ty::ClassValue(new_id),
                        BindKind::Class(new_id),
                        false,
                    );
                    self.declare_type(&name.name, TypeDef::Class(new_id));
                    self.fill_class(c);
                    id = Some(new_id);
                }
                self.class_body(c, id);
                self.pop_scope();
                id.map(Ty::ClassValue).unwrap_or(Ty::Any)
            }
            Expr::Unary { op, arg, .. } => {
                self.expr(arg);
                match op {
                    UnaryOp::Not | UnaryOp::Delete => Ty::Boolean,
                    UnaryOp::Typeof => Ty::String,
                    UnaryOp::Void => Ty::Undefined,
                    UnaryOp::Minus | UnaryOp::BitNot | UnaryOp::Plus => Ty::Any,
                }
            }
            Expr::Update { arg, .. } => {
                self.expr(arg);
                Ty::Any
            }
            Expr::Binary {
                op, left, right, ..
            } => {
                let l = self.expr(left);
                let r = self.expr(right);
                binary_result(*op, &l, &r)
            }
            Expr::PrivateIn { right, .. } => {
                self.expr(right);
                Ty::Boolean
            }
            Expr::Assign {
                op, target, value, ..
            } => self.assignment(*op, target, value),
            Expr::Cond {
                test, cons, alt, ..
            } => {
                self.expr(test);
                let a = self.expr_with_expected(cons, expected);
                let b = self.expr_with_expected(alt, expected);
                Ty::union(vec![a, b])
            }
            Expr::Call { callee, args, .. } => self.call(callee, args),
            Expr::DynImport { arg, .. } => {
                self.expr(arg);
                Ty::Any
            }
            Expr::New { callee, args, .. } => {
                let t = self.expr(callee);
                let arg_list = args.as_deref().unwrap_or(&[]);
                match t {
                    Ty::ClassValue(id) => {
                        if let Some(info) = self.classes.get(id).filter(|c| c.is_abstract) {
                            let class = info.name.to_string();
                            self.error(
                                Message::AbstractInstantiation { class },
                                Span::at(e.span().lo),
                            );
                        }
                        let ctor = self.constructor_of(id);
                        match (ctor, callee.as_ref()) {
                            (Some(sig), Expr::Ident(name)) => {
                                self.check_args(&name.name, name.span, &sig, arg_list)
                            }
                            _ => self.visit_args(arg_list),
                        }
                        Ty::Instance(id)
                    }
                    _ => {
                        self.visit_args(arg_list);
                        Ty::Any
                    }
                }
            }
            Expr::Member { obj, prop, .. } => {
                let o = self.expr(obj);
                match prop {
                    MemberProp::Computed(p) => {
                        self.expr(p);
                        match o {
                            Ty::Array(inner) => *inner,
                            _ => Ty::Any,
                        }
                    }
                    MemberProp::Ident(name) => {
                        self.check_property_exists(&o, name);
                        self.member_type(&o, &name.name)
                    }
                    MemberProp::Private(name) => self.member_type(&o, &format!("#{}", name.name)),
                }
            }
            Expr::Seq { exprs, .. } => {
                let mut last = Ty::Any;
                for x in exprs {
                    last = self.expr(x);
                }
                last
            }
            Expr::Await { arg, .. } => {
                self.expr(arg);
                Ty::Any
            }
            Expr::Yield { arg, .. } => {
                if let Some(a) = arg {
                    self.expr(a);
                }
                Ty::Any
            }
            Expr::Paren { expr, .. } => self.expr_with_expected(expr, expected),
            Expr::As { expr, ty, .. } => {
                self.expr(expr);
                self.resolve(ty)
            }
            Expr::NonNull { expr, .. } => {
                let t = self.expr(expr);
                match t {
                    Ty::Union(items) => Ty::union(
                        items
                            .into_iter()
                            .filter(|t| !matches!(t, Ty::Null | Ty::Undefined))
                            .collect(),
                    ),
                    other => other,
                }
            }
        }
    }

    fn object_literal(&mut self, props: &[Prop]) -> Ty {
        let mut out = Vec::new();
        let mut open = false;
        for p in props {
            match p {
                Prop::KeyValue { key, value } => {
                    if let PropName::Computed(e, _) = key {
                        self.expr(e);
                    }
                    let t = self.expr(value);
                    match prop_key(key) {
                        Some(n) => out.push(ShapeProp {
                            name: rc(n),
                            ty: t,
                            optional: false,
                        }),
                        None => open = true,
                    }
                }
                Prop::Shorthand(i) => {
                    let t = self.expr(&Expr::Ident(i.clone()));
                    out.push(ShapeProp {
                        name: rc(&i.name),
                        ty: t,
                        optional: false,
                    });
                }
                Prop::Method {
                    key,
                    function,
                    kind,
                } => {
                    if let PropName::Computed(e, _) = key {
                        self.expr(e);
                    }
                    self.function_body(function, Some(Ty::Any));
                    match (prop_key(key), kind) {
                        (Some(n), _) => out.push(ShapeProp {
                            name: rc(n),
                            ty: Ty::Any,
                            optional: false,
                        }),
                        (None, _) => open = true,
                    }
                }
                Prop::Spread(e) => {
                    self.expr(e);
                    open = true;
                }
            }
        }
        Ty::Shape(Rc::new(Shape {
            name: None,
            props: out,
            open,
        }))
    }

    fn arrow(&mut self, a: &Arrow) -> Ty {
        self.push_scope();
        for tp in &a.type_params {
            self.declare_type(&tp.name.name, TypeDef::Any);
        }
        let params = self.param_sigs(&a.params);
        self.params(&a.params);
        let ret = match &a.return_type {
            Some(t) if !a.is_async => self.resolve(t),
            _ => Ty::Any,
        };
        let ctx = match &a.return_type {
            Some(_) if !a.is_async => ReturnCtx::Check(ret.clone()),
            _ => ReturnCtx::None,
        };
        self.returns.push(ctx);
        let body_ty = match &a.body {
            ArrowBody::Block(b) => {
                self.hoist(&b.stmts);
                for s in &b.stmts {
                    self.stmt(s);
                }
                Ty::Any
            }
            ArrowBody::Expr(e) => {
                let t = self.expr(e);
                if let Some(ReturnCtx::Check(expected)) = self.returns.last().cloned() {
                    self.check_assign(&t, &expected, e.span(), None);
                }
                t
            }
        };
        self.returns.pop();
        self.pop_scope();
        let ret = if a.return_type.is_some() || a.is_async {
            ret
        } else {
            body_ty.widen()
        };
        let ret = if a.is_async { Ty::Any } else { ret };
        Ty::Func(Rc::new(Sig { params, ret }))
    }

    fn assignment(&mut self, op: AssignOp, target: &Pat, value: &Expr) -> Ty {
        let declared = match target {
            Pat::Ident { ident, .. } => match self.lookup(&ident.name) {
                Some(b) if !b.inferred => Some(b.ty.clone()),
                _ => None,
            },
            Pat::Expr(e) => match &**e {
                Expr::Member { .. } => Some(self.expr(e)),
                _ => None,
            },
            _ => None,
        };
        if !matches!(target, Pat::Expr(_)) {
            self.assign_target(target);
        }
        let t = self.expr_with_expected(value, declared.as_ref());
        if op == AssignOp::Assign {
            if let Some(d) = declared {
                self.check_assign(&t, &d, value.span(), None);
            }
        }
        t
    }

    /// `TYPE_NOT_ASSIGNABLE` at `span` when `t` cannot go where `expected` is.
    fn check_assign(&mut self, t: &Ty, expected: &Ty, span: Span, property: Option<&str>) {
        if self.assignable(t, expected) {
            return;
        }
        let (source, target) = (self.show(t), self.show(expected));
        let message = match property {
            Some(p) => Message::PropertyNotAssignable {
                source,
                target,
                property: p.to_string(),
            },
            None => Message::TypeNotAssignable { source, target },
        };
        self.error(message, Span::at(span.lo));
    }

    /// `PROPERTY_NOT_FOUND` for a property a declared interface does not
    /// have. Only named, closed interfaces are checked: classes can gain
    /// fields at run time and object literals are often extended.
    fn check_property_exists(&mut self, obj: &Ty, name: &Ident) {
        let Ty::Shape(shape) = obj else { return };
        let Some(type_name) = &shape.name else { return };
        if shape.open
            || shape.props.iter().any(|p| *p.name == *name.name)
            || is_object_prototype_member(&name.name)
        {
            return;
        }
        self.error(
            Message::PropertyNotFound {
                property: name.name.to_string(),
                ty: type_name.to_string(),
            },
            name.span,
        );
    }

    /// `EXCESS_PROPERTY` for each key of an object literal, written where a
    /// declared interface is expected, that the interface does not have.
    fn check_excess_properties(&mut self, value: &Expr, expected: &Ty) {
        let (Expr::Object { props, .. }, Ty::Shape(shape)) = (strip_parens(value), expected) else {
            return;
        };
        let Some(type_name) = &shape.name else { return };
        if shape.open {
            return;
        }
        for p in props {
            let key = match p {
                Prop::KeyValue { key, .. } | Prop::Method { key, .. } => match key {
                    PropName::Ident(i) => Some((i.name.clone(), i.span)),
                    PropName::Str(s, sp) => Some((s.clone(), *sp)),
                    _ => None,
                },
                Prop::Shorthand(i) => Some((i.name.clone(), i.span)),
                Prop::Spread(_) => None,
            };
            if let Some((k, span)) = key {
                if !shape.props.iter().any(|sp| *sp.name == *k) {
                    self.error(
                        Message::ExcessProperty {
                            property: k.to_string(),
                            ty: type_name.to_string(),
                        },
                        span,
                    );
                }
            }
        }
    }

    fn member_type(&self, obj: &Ty, name: &str) -> Ty {
        match obj {
            Ty::Instance(id) => self.class_member(*id, name).unwrap_or(Ty::Any),
            Ty::Shape(s) => s
                .props
                .iter()
                .find(|p| &*p.name == name)
                .map(|p| p.ty.clone())
                .unwrap_or(Ty::Any),
            Ty::Array(_) | Ty::Tuple(_) if name == "дарозӣ" || name == "length" => Ty::Number,
            Ty::String | Ty::StrLit(_) if name == "дарозӣ" || name == "length" => Ty::Number,
            _ => Ty::Any,
        }
    }

    fn class_member(&self, id: usize, name: &str) -> Option<Ty> {
        let mut cur = Some(id);
        let mut steps = 0;
        while let Some(k) = cur {
            let info = self.classes.get(k)?;
            if let Some(t) = info.members.get(name) {
                return Some(t.clone());
            }
            steps += 1;
            if steps > self.classes.len() {
                return None;
            }
            cur = info.base.flatten();
        }
        None
    }

    /// The constructor signature of a class, following `мерос` when the
    /// class has none; `None` when unknown (an unknown base).
    fn constructor_of(&self, id: usize) -> Option<Rc<Sig>> {
        let mut cur = Some(id);
        let mut steps = 0;
        while let Some(k) = cur {
            let info = self.classes.get(k)?;
            if let Some(sig) = &info.ctor {
                return Some(sig.clone());
            }
            steps += 1;
            if steps > self.classes.len() {
                return None;
            }
            cur = match info.base {
                None => {
                    return Some(Rc::new(Sig {
                        params: Vec::new(),
                        ret: Ty::Any,
                    }))
                }
                Some(None) => return None,
                Some(Some(b)) => Some(b),
            };
        }
        None
    }

    fn visit_args(&mut self, args: &[ExprOrSpread]) {
        for a in args {
            self.expr(&a.expr);
        }
    }

    fn call(&mut self, callee: &Expr, args: &[ExprOrSpread]) -> Ty {
        match callee {
            Expr::Ident(name) => {
                let t = self.expr(callee);
                match t {
                    Ty::Func(sig) => {
                        self.check_args(&name.name, name.span, &sig, args);
                        sig.ret.clone()
                    }
                    Ty::String
                    | Ty::Number
                    | Ty::Boolean
                    | Ty::BigInt
                    | Ty::Null
                    | Ty::Undefined
                    | Ty::StrLit(_)
                    | Ty::NumLit(_)
                    | Ty::BoolLit(_)
                    | Ty::Array(_)
                    | Ty::Tuple(_)
                    | Ty::Instance(_) => {
                        let ty = self.show(&t);
                        self.error(Message::NotCallable { ty }, name.span);
                        self.visit_args(args);
                        Ty::Any
                    }
                    _ => {
                        self.visit_args(args);
                        Ty::Any
                    }
                }
            }
            Expr::Member {
                obj,
                prop: MemberProp::Ident(method),
                ..
            } => {
                let o = self.expr(obj);
                // A known method of a known class instance.
                let m = match &o {
                    Ty::Instance(id) => self.class_member(*id, &method.name),
                    _ => None,
                };
                match m {
                    Some(Ty::Func(sig)) => {
                        self.check_args(&method.name, method.span, &sig, args);
                        sig.ret.clone()
                    }
                    _ => {
                        self.visit_args(args);
                        Ty::Any
                    }
                }
            }
            _ => {
                self.expr(callee);
                self.visit_args(args);
                Ty::Any
            }
        }
    }

    fn check_args(&mut self, name: &str, callee_span: Span, sig: &Sig, args: &[ExprOrSpread]) {
        let has_spread = args.iter().any(|a| a.spread);
        let required = sig.required();
        let max = sig.max();
        if !has_spread && (args.len() < required || max.is_some_and(|m| args.len() > m)) {
            let expected = match max {
                Some(m) if m == required => required.to_string(),
                Some(m) => format!("{required}-{m}"),
                None => format!("{required}+"),
            };
            self.error(
                Message::ArgumentCountMismatch {
                    function: name.to_string(),
                    expected,
                    got: args.len(),
                },
                Span::at(callee_span.lo),
            );
        }
        for (i, a) in args.iter().enumerate() {
            let param = sig
                .params
                .get(i)
                .or_else(|| sig.params.last().filter(|p| p.rest));
            let expected = match param {
                // An optional or defaulted parameter also takes `беқимат`.
                Some(p) if !a.spread && p.optional => {
                    Some(Ty::union(vec![p.ty.clone(), Ty::Undefined]))
                }
                Some(p) if !a.spread => Some(p.ty.clone()),
                _ => None,
            };
            let t = self.expr_with_expected(&a.expr, expected.as_ref());
            if let Some(expected) = expected {
                if self.assignable(&t, &expected) {
                    self.check_excess_properties(&a.expr, &expected);
                } else {
                    let (got, exp) = (self.show(&t), self.show(&expected));
                    self.error(
                        Message::ArgumentTypeMismatch {
                            index: i + 1,
                            function: name.to_string(),
                            expected: exp,
                            got,
                        },
                        Span::at(a.expr.span().lo),
                    );
                }
            }
        }
    }
}

fn strip_parens(e: &Expr) -> &Expr {
    match e {
        Expr::Paren { expr, .. } => strip_parens(expr),
        other => other,
    }
}

/// Members every object has through `Object.prototype` (Tajik aliases too).
fn is_object_prototype_member(name: &str) -> bool {
    matches!(
        name,
        "constructor"
            | "hasOwnProperty"
            | "isPrototypeOf"
            | "propertyIsEnumerable"
            | "toLocaleString"
            | "toString"
            | "valueOf"
            | "__proto__"
            | "баСатр"
            | "баСатриМаҳаллӣ"
            | "қиматиАслӣ"
    )
}

fn binary_result(op: BinaryOp, l: &Ty, r: &Ty) -> Ty {
    use BinaryOp::*;
    let is_str = |t: &Ty| matches!(t, Ty::String | Ty::StrLit(_));
    let is_num = |t: &Ty| matches!(t, Ty::Number | Ty::NumLit(_));
    match op {
        Lt | Gt | LtEq | GtEq | EqEq | NotEq | EqEqEq | NotEqEq | In | Instanceof => Ty::Boolean,
        Add if is_str(l) || is_str(r) => Ty::String,
        Add | Sub | Mul | Div | Mod | Exp if is_num(l) && is_num(r) => Ty::Number,
        BitAnd | BitOr | BitXor | Shl | Shr | UShr if is_num(l) && is_num(r) => Ty::Number,
        _ => Ty::Any,
    }
}

/// The type of a literal default value (for unannotated parameters).
fn literal_type(e: &Expr) -> Ty {
    match e {
        Expr::Str(s, _) => Ty::StrLit(rc(s)),
        Expr::Num(n, _) => Ty::NumLit(*n),
        Expr::Bool(b, _) => Ty::BoolLit(*b),
        _ => Ty::Any,
    }
}

fn import_local(spec: &ImportSpecifier) -> Option<&Ident> {
    match spec {
        ImportSpecifier::Default(l) | ImportSpecifier::Namespace(l) => Some(l),
        ImportSpecifier::Named { local, .. } => Some(local),
    }
}

fn prop_key(k: &PropName) -> Option<&str> {
    match k {
        PropName::Ident(i) => Some(&i.name),
        PropName::Str(s, _) => Some(s),
        _ => None,
    }
}

fn pat_name(p: &Pat) -> Option<&str> {
    match p {
        Pat::Ident { ident, .. } => Some(&ident.name),
        Pat::Rest { arg, .. } => pat_name(arg),
        Pat::Assign { left, .. } => pat_name(left),
        _ => None,
    }
}

/// Levenshtein distance over characters (for "did you mean").
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        if let Some(first) = cur.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(usize::MAX) + 1;
            let ins = cur.get(j).copied().unwrap_or(usize::MAX) + 1;
            let sub = prev.get(j).copied().unwrap_or(usize::MAX) + cost;
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = del.min(ins).min(sub);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.get(b.len()).copied().unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests;
