//! The binder and type checker.
//!
//! One walk over the whole tree with a stack of lexical scopes (hoisting
//! every declaration of a block before its statements are visited), so
//! names are resolved in every position — conditions, returns, nested
//! functions, class bodies — and each check runs wherever its construct
//! appears (decisions.md §4.2). Types are narrowed by control flow
//! (`narrow.rs`); what the walk learns is kept in a [`SemanticModel`]
//! (`model.rs`) that editors query by position. The type model is
//! forgiving: anything the checker cannot be sure of is `Any` and never
//! reported.

mod assigned;
mod builtins;
mod globals;
pub mod model;
mod narrow;
mod project;
mod stream;
pub mod types;

use assigned::Assigned;
use globals::is_global;
pub use model::{Reference, SemanticModel, Symbol, SymbolKind};
use narrow::{Flow, RefKey};
pub use project::{ImportTarget, ModuleExports, ModuleImports, NoImports};
use rustc_hash::FxHashMap as HashMap;
use somon_diagnostics::{Diagnostic, Message, Span};
use somon_syntax::ast::*;
pub(crate) use somon_syntax::names::property_name;
use std::sync::Arc;
pub use stream::StreamedCheck;
use types::{display, ParamSig, Prop as ShapeProp, Shape, Sig, Ty};

/// What a check produces: diagnostics in source order and the semantic
/// model. (What importers need comes from [`module_exports`].)
#[derive(Debug)]
pub struct CheckResult {
    pub diagnostics: Vec<Diagnostic>,
    pub model: SemanticModel,
}

/// Options of one check.
#[derive(Clone, Copy, Debug, Default)]
pub struct CheckOptions {
    /// Record the semantic model beyond what the check itself reads: the
    /// references, each scope's symbols and the type of every expression
    /// (editors want them; a compile, which only wants the diagnostics,
    /// does not, and leaves them empty).
    pub record_model: bool,
}

/// Type-checks a parsed program on its own (imports are `ҳар`); returns
/// its diagnostics in source order.
pub fn check(program: &Program) -> Vec<Diagnostic> {
    check_module(program, &NoImports, CheckOptions::default()).diagnostics
}

/// Type-checks a module whose imports `imports` answers.
pub fn check_module(
    program: &Program,
    imports: &dyn ModuleImports,
    options: CheckOptions,
) -> CheckResult {
    let mut c = Checker::new(assigned::scan(program), imports, options);
    c.push_scope_span(Some(program.span));
    c.declare_imports(program);
    c.hoist(&program.body);
    for s in &program.body {
        c.stmt(s);
    }
    // Re-exports that lead nowhere are reported here.
    c.check_reexports(program);
    c.pop_scope();
    CheckResult {
        diagnostics: in_source_order(std::mem::take(&mut c.diags)),
        model: c.into_model(),
    }
}

/// A check's diagnostics, sorted by where they start and end.
fn in_source_order(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags.sort_by_key(|d| (d.span.lo, d.span.hi));
    diags
}

/// A module's exports from its declarations alone (no bodies are walked):
/// what the modules that import it need, computed once per module.
pub fn module_exports(program: &Program, imports: &dyn ModuleImports) -> ModuleExports {
    // Exports come only from top-level `содир` statements: a module with
    // none exports nothing, and its declarations need no hoisting (the
    // language server asks after every edit).
    if !program.body.iter().any(|s| matches!(s, Stmt::Export(_))) {
        return ModuleExports::default();
    }
    // No bodies are walked: the pre-pass of what they write is not needed.
    let mut c = Checker::new(Assigned::default(), imports, CheckOptions::default());
    c.push_scope_span(Some(program.span));
    c.declare_imports(program);
    c.hoist(&program.body);
    for s in &program.body {
        c.export_initializers(s);
    }
    let exports = c.collect_exports(program);
    c.pop_scope();
    exports
}

#[derive(Clone, Debug)]
enum BindKind {
    Value,
    Class(usize),
}

/// How a name was declared: what may be redeclared or assigned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeclKind {
    Let,
    Const,
    Function,
    /// A function signature without a body (an overload).
    Overload,
    Class,
    Param,
    Import,
    Enum,
    Namespace,
    CatchParam,
    /// A function expression's or class expression's own name.
    OwnName,
}

#[derive(Clone, Debug)]
struct Binding {
    ty: Ty,
    kind: BindKind,
    /// `тағ` without annotation: its type comes from the initializer when
    /// it is visited; until then (and for reassignments) it is open.
    inferred: bool,
    /// The symbol in the semantic model.
    sym: u32,
    decl: DeclKind,
}

#[derive(Clone, Debug)]
enum TypeDef {
    Any,
    Interface(Arc<Shape>),
    Alias(Arc<Type>),
    Class(usize),
    /// A type known only as a resolved type (imported aliases, enums).
    Resolved(Ty),
    /// A type parameter of a built-in declaration (while loading them).
    Param,
    /// A built-in interface (while loading them).
    Builtin,
}

#[derive(Default)]
struct Scope {
    values: HashMap<Box<str>, Binding>,
    types: HashMap<Box<str>, TypeDef>,
    /// The model's scope this one records into.
    model_scope: u32,
}

#[derive(Clone, Debug, Default)]
pub struct ClassInfo {
    name: Arc<str>,
    /// The superclass: `None` for no `мерос`, `Some(None)` when it is not a
    /// class this checker knows.
    base: Option<Option<usize>>,
    members: Members,
    ctor: Option<Arc<Sig>>,
    is_abstract: bool,
}

/// A class's own members by name, sorted: found by binary search. Most
/// classes have a few members, which a list holds in less than half the
/// room of a hash table (a large program has thousands of classes).
#[derive(Clone, Debug, Default)]
struct Members(Box<[(Box<str>, Ty)]>);

impl Members {
    fn get(&self, name: &str) -> Option<&Ty> {
        let at = self.0.binary_search_by(|(n, _)| (**n).cmp(name)).ok()?;
        self.0.get(at).map(|(_, t)| t)
    }

    /// By name.
    fn iter(&self) -> impl Iterator<Item = (&Box<str>, &Ty)> {
        self.0.iter().map(|(n, t)| (n, t))
    }
}

impl FromIterator<(Box<str>, Ty)> for Members {
    /// Names are unique in what a class info is built from (a hash map).
    fn from_iter<I: IntoIterator<Item = (Box<str>, Ty)>>(members: I) -> Self {
        let mut list: Vec<_> = members.into_iter().collect();
        list.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Members(list.into_boxed_slice())
    }
}

/// What the enclosing function expects `бозгашт` to return.
#[derive(Clone)]
enum ReturnCtx {
    None,
    Check(Ty),
    /// An unannotated arrow: its return type is what it returns.
    Collect(Vec<Ty>),
}

struct Checker<'a> {
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
    /// What is known at the current point beyond declared types.
    flow: Flow,
    /// The symbols of the top-level statement being checked, when it is
    /// checked on its own and nothing outlives it (see
    /// [`Checker::forget_statement_symbols`]).
    statement_symbols: Option<StatementSymbols>,
    /// Flows that leave the innermost loop or `интихоб` by `шикастан`.
    breaks: Vec<Vec<Flow>>,
    assigned: Assigned,
    imports: &'a dyn ModuleImports,
    /// Class tables of imported modules already copied in, by module.
    imported_classes: HashMap<usize, usize>,
    options: CheckOptions,
    /// Reading `lib.som`: interface names are built-in types.
    loading_builtins: bool,
    // The semantic model being recorded. What the check reads of each
    // symbol is kept for every one; the rest of a model symbol only with
    // `record_model` (a compile has tens of thousands of symbols).
    symbols: Vec<SymbolFacts>,
    symbol_model: Vec<SymbolModel>,
    references: Vec<Reference>,
    model_scopes: Vec<model::ScopeInfo>,
    expr_types: Vec<(Span, Ty)>,
}

/// Where the symbols of a top-level statement checked on its own start,
/// and the depth of the scopes outside it.
struct StatementSymbols {
    first: u32,
    depth: usize,
}

/// What the check itself reads of a symbol.
struct SymbolFacts {
    name: Box<str>,
    decl: DeclKind,
    span: Span,
}

/// The rest of a [`Symbol`] of the model (recorded with `record_model`).
struct SymbolModel {
    kind: SymbolKind,
    ty: Ty,
    import: Option<(String, String)>,
}

fn rc(s: &str) -> Arc<str> {
    Arc::from(s)
}

impl<'a> Checker<'a> {
    fn new(assigned: Assigned, imports: &'a dyn ModuleImports, options: CheckOptions) -> Self {
        Checker {
            scopes: Vec::new(),
            classes: Vec::new(),
            diags: Vec::new(),
            this_stack: Vec::new(),
            returns: Vec::new(),
            resolving: Vec::new(),
            resolved_aliases: HashMap::default(),
            flow: Flow::default(),
            statement_symbols: None,
            breaks: Vec::new(),
            assigned,
            imports,
            imported_classes: HashMap::default(),
            options,
            loading_builtins: false,
            symbols: Vec::new(),
            symbol_model: Vec::new(),
            references: Vec::new(),
            model_scopes: Vec::new(),
            expr_types: Vec::new(),
        }
    }

    // ================================================================ scopes

    fn push_scope(&mut self) {
        self.push_scope_span(None);
    }

    /// Opens a scope; `span` is the source it covers, when it is a block,
    /// a function or the program (for "what is visible here" queries).
    fn push_scope_span(&mut self, span: Option<Span>) {
        let parent = self.scopes.last().map(|s| s.model_scope);
        let id = self.model_scopes.len() as u32;
        if self.options.record_model {
            self.model_scopes.push(model::ScopeInfo {
                span,
                parent,
                symbols: Vec::new(),
            });
        }
        self.scopes.push(Scope {
            model_scope: id,
            ..Scope::default()
        });
    }

    fn pop_scope(&mut self) {
        self.scopes.pop();
    }

    fn new_symbol(&mut self, ident: &Ident, kind: SymbolKind, decl: DeclKind, ty: &Ty) -> u32 {
        let id = self.symbols.len() as u32;
        self.symbols.push(SymbolFacts {
            name: ident.name.clone(),
            decl,
            span: ident.span,
        });
        if self.options.record_model {
            self.symbol_model.push(SymbolModel {
                kind,
                ty: ty.clone(),
                import: None,
            });
        }
        if let Some(scope) = self.scopes.last() {
            if let Some(ms) = self.model_scopes.get_mut(scope.model_scope as usize) {
                ms.symbols.push(id);
            }
        }
        id
    }

    /// Declares a value; a second declaration of a name in one scope is
    /// `DUPLICATE_DECLARATION` where JavaScript or TypeScript refuse it.
    fn declare(&mut self, ident: &Ident, ty: Ty, kind: BindKind, inferred: bool, decl: DeclKind) {
        let previous = self
            .scopes
            .last()
            .and_then(|s| s.values.get(&ident.name))
            .map(|b| (b.decl, b.sym));
        if let Some((prev, prev_sym)) = previous {
            if self.symbols.get(prev_sym as usize).map(|s| s.span) == Some(ident.span) {
                // The same declaration seen again (a `барои` head).
                return;
            }
            if conflicts(prev, decl) {
                self.error(
                    Message::DuplicateDeclaration {
                        name: ident.name.to_string(),
                    },
                    ident.span,
                );
            }
        }
        let symbol_kind = match (&kind, decl) {
            (BindKind::Class(_), _) => SymbolKind::Class,
            (_, DeclKind::Function | DeclKind::Overload) => SymbolKind::Function,
            (_, DeclKind::Param) => SymbolKind::Parameter,
            (_, DeclKind::Import) => SymbolKind::Import,
            (_, DeclKind::Enum) => SymbolKind::Enum,
            (_, DeclKind::Namespace) => SymbolKind::Namespace,
            (_, DeclKind::Const) => SymbolKind::Constant,
            _ => SymbolKind::Variable,
        };
        // Overloads and merged declarations: one symbol of open type.
        let (ty, sym) = match previous {
            Some((prev, sym)) if !conflicts(prev, decl) => {
                let merged = if prev == DeclKind::Overload || decl == DeclKind::Overload {
                    Ty::Any
                } else {
                    ty
                };
                (merged, sym)
            }
            _ => {
                let sym = self.new_symbol(ident, symbol_kind, decl, &ty);
                (ty, sym)
            }
        };
        if let Some(own) = &self.statement_symbols {
            if sym >= own.first && self.scopes.len() <= own.depth {
                // A symbol of the statement outlives it: all are kept.
                self.statement_symbols = None;
            }
        }
        if let Some(s) = self.scopes.last_mut() {
            s.values.insert(
                ident.name.clone(),
                Binding {
                    ty,
                    kind,
                    inferred,
                    sym,
                    decl,
                },
            );
        }
    }

    /// Starts the check of one top-level statement whose own symbols (its
    /// locals: parameters, variables of its blocks) are forgotten once it
    /// is checked. Only without a model, which refers to every symbol.
    fn start_statement_symbols(&mut self) {
        if !self.options.record_model {
            self.statement_symbols = Some(StatementSymbols {
                first: self.symbols.len() as u32,
                depth: self.scopes.len(),
            });
        }
    }

    /// Forgets the symbols the statement started by
    /// [`Self::start_statement_symbols`] declared, and what the flow knows
    /// of them (their ids are given out again), unless one of them was
    /// declared in a scope that outlives the statement. A large module
    /// checked statement by statement then holds the symbols of its top
    /// level, not of every function in it.
    fn forget_statement_symbols(&mut self) {
        let Some(own) = self.statement_symbols.take() else {
            return;
        };
        self.symbols.truncate(own.first as usize);
        self.flow
            .facts
            .retain(|key, _| key.root < own.first || key.root == narrow::THIS_ROOT);
    }

    /// A new class: its slot in the class table, the type and the value of
    /// its name. Returns its id.
    fn declare_class(&mut self, name: &Ident, decl: DeclKind) -> usize {
        let id = self.classes.len();
        self.classes.push(ClassInfo {
            name: rc(&name.name),
            ..Default::default()
        });
        self.declare_type(&name.name, TypeDef::Class(id));
        self.declare(name, Ty::ClassValue(id), BindKind::Class(id), false, decl);
        id
    }

    fn declare_type(&mut self, name: &str, def: TypeDef) {
        if let Some(s) = self.scopes.last_mut() {
            s.types.insert(name.into(), def);
        }
    }

    /// A type declaration that is also a symbol of the model.
    fn declare_type_symbol(&mut self, ident: &Ident, def: TypeDef, kind: SymbolKind) {
        self.new_symbol(ident, kind, DeclKind::Const, &Ty::Any);
        self.declare_type(&ident.name, def);
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

    /// A use of a name: recorded in the model.
    fn reference(&mut self, ident: &Ident, sym: u32) {
        if !self.options.record_model {
            return;
        }
        self.references.push(Reference {
            span: ident.span,
            symbol: sym,
        });
    }

    fn record_type(&mut self, span: Span, ty: &Ty) {
        if self.options.record_model {
            self.expr_types.push((span, ty.clone()));
        }
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
        self.hoist_all(stmts.iter());
    }

    /// [`Self::hoist`] of statements from several lists (the cases of an
    /// `интихоб` share one scope); never a copy of them: the checker must
    /// not clone or free syntax (a copy of a deep tree recurses).
    fn hoist_all<'s>(&mut self, stmts: impl Iterator<Item = &'s Stmt> + Clone) {
        for s in stmts.clone() {
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
                self.declare_type_symbol(&i.name, TypeDef::Interface(shape), SymbolKind::Interface);
            }
            Stmt::TypeAlias(a) => {
                let def = if a.type_params.is_empty() {
                    TypeDef::Alias(Arc::new(a.ty.clone()))
                } else {
                    TypeDef::Any
                };
                self.declare_type_symbol(&a.name, def, SymbolKind::TypeAlias);
            }
            Stmt::Class(c) => {
                if let Some(name) = &c.name {
                    self.declare_class(name, DeclKind::Class);
                }
            }
            Stmt::Enum(e) => {
                let numeric = !e
                    .members
                    .iter()
                    .any(|m| matches!(m.init, Some(Expr::Str(..) | Expr::Template(_))));
                let ty = Ty::Enum(rc(&e.name.name), numeric);
                self.declare_type(&e.name.name, TypeDef::Resolved(ty));
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

    /// The names a variable declaration binds, from its patterns (their
    /// annotations give the types; without one, the initializer will).
    fn hoist_var<'p>(&mut self, kind: VarKind, patterns: impl Iterator<Item = &'p Pat>) {
        let decl = match kind {
            VarKind::Let => DeclKind::Let,
            VarKind::Const => DeclKind::Const,
        };
        for pat in patterns {
            let annotated = pat.type_annotation().map(|t| self.resolve(t));
            let inferred = annotated.is_none();
            self.declare_pattern(pat, annotated.unwrap_or(Ty::Any), inferred, decl);
        }
    }

    fn hoist_value(&mut self, s: &Stmt) {
        match s {
            Stmt::Var(d) => self.hoist_var(d.kind, d.decls.iter().map(|dd| &dd.pat)),
            Stmt::Function(f) => {
                if let Some(name) = &f.name {
                    let sig = self.function_sig(f);
                    let decl = if f.body.is_some() {
                        DeclKind::Function
                    } else {
                        DeclKind::Overload
                    };
                    self.declare(name, Ty::Func(sig), BindKind::Value, false, decl);
                }
            }
            Stmt::Class(c) => self.fill_class(c),
            Stmt::Enum(e) => {
                // The enum object: its members, each of the enum's type.
                let member_ty = match self.lookup_type(&e.name.name) {
                    Some(TypeDef::Resolved(t)) => t.clone(),
                    _ => Ty::Any,
                };
                let props: Vec<ShapeProp> = e
                    .members
                    .iter()
                    .filter_map(|m| prop_key(&m.name))
                    .map(|n| ShapeProp {
                        name: rc(n),
                        ty: member_ty.clone(),
                        optional: false,
                    })
                    .collect();
                let previous = self
                    .scopes
                    .last()
                    .and_then(|sc| sc.values.get(&e.name.name))
                    .is_some();
                // Merged declarations: members of several blocks.
                let ty = if previous {
                    Ty::Any
                } else {
                    Ty::Shape(Arc::new(Shape {
                        name: Some(rc(&e.name.name)),
                        props,
                        open: false,
                    }))
                };
                self.declare(&e.name, ty, BindKind::Value, false, DeclKind::Enum)
            }
            Stmt::Namespace(n) => {
                if let Some(first) = n.path.first() {
                    self.declare(first, Ty::Any, BindKind::Value, false, DeclKind::Namespace);
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

    fn declare_pattern(&mut self, p: &Pat, ty: Ty, inferred: bool, decl: DeclKind) {
        match p {
            Pat::Ident { ident, .. } => self.declare(ident, ty, BindKind::Value, inferred, decl),
            Pat::Array { elems, .. } => {
                let elem = match &ty {
                    Ty::Array(inner) => Some((**inner).clone()),
                    _ => None,
                };
                for (i, e) in elems.iter().enumerate() {
                    let Some(e) = e else { continue };
                    let t = match (&ty, &elem, e) {
                        (_, _, Pat::Rest { .. }) => Ty::Any,
                        (Ty::Tuple(items), _, _) => items.get(i).cloned().unwrap_or(Ty::Any),
                        (_, Some(inner), _) => inner.clone(),
                        _ => Ty::Any,
                    };
                    self.declare_pattern(e, t, true, decl);
                }
            }
            Pat::Object { props, .. } => {
                for prop in props {
                    match prop {
                        ObjectPatProp::KeyValue { key, value } => {
                            let t = match prop_key(key) {
                                Some(k) => self.declared_member(&ty, k).unwrap_or(Ty::Any),
                                None => Ty::Any,
                            };
                            self.declare_pattern(value, t, true, decl)
                        }
                        ObjectPatProp::Shorthand { ident, default } => {
                            let t = self.declared_member(&ty, &ident.name).unwrap_or(Ty::Any);
                            let t = if default.is_some() {
                                narrow::non_nullish(&t)
                            } else {
                                t
                            };
                            self.declare(ident, t, BindKind::Value, true, decl)
                        }
                        ObjectPatProp::Rest(r) => self.declare_pattern(r, Ty::Any, true, decl),
                    }
                }
            }
            Pat::Rest { arg, .. } => self.declare_pattern(arg, ty, inferred, decl),
            Pat::Assign { left, .. } => self.declare_pattern(left, ty, inferred, decl),
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
        let mut members = HashMap::default();
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
            members: members.into_iter().collect(),
            ctor,
            is_abstract: c.is_abstract,
        }
    }

    fn function_sig(&mut self, f: &Function) -> Arc<Sig> {
        self.push_scope();
        for tp in &f.type_params {
            self.declare_type(&tp.name.name, TypeDef::Any);
        }
        let params = self.param_sigs(&f.params);
        let ret = match &f.return_type {
            Some(t) if !f.is_generator => self.resolve(t),
            // An async function always returns a promise.
            None if f.is_async && !f.is_generator => {
                Ty::Builtin(Arc::from("Promise"), vec![Ty::Any])
            }
            _ => Ty::Any,
        };
        self.pop_scope();
        Arc::new(Sig { params, ret })
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
                TypeKeyword::Unknown => Ty::Unknown,
                TypeKeyword::Any | TypeKeyword::This => Ty::Any,
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
                Ty::Func(Arc::new(Sig { params, ret }))
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
            Some(TypeDef::Resolved(t)) if args.is_empty() => t,
            Some(TypeDef::Param) => Ty::Param(Arc::from(n)),
            Some(TypeDef::Builtin) => {
                let args = args.iter().map(|t| self.resolve(t)).collect();
                Ty::Builtin(Arc::from(n), args)
            }
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
            Some(_) => Ty::Any,
            None if self.loading_builtins => Ty::Any,
            None => match builtins::builtin_type_name(n) {
                Some(b) => {
                    let args = args.iter().map(|t| self.resolve(t)).collect();
                    Ty::Builtin(Arc::from(b), args)
                }
                None => Ty::Any,
            },
        }
    }

    /// A signature from parameters and a return type (of a type member).
    fn signature(&mut self, params: &[Param], ret: Option<&Type>) -> Arc<Sig> {
        self.push_scope();
        let params = self.param_sigs(params);
        let ret = ret.map(|t| self.resolve(t)).unwrap_or(Ty::Any);
        self.pop_scope();
        Arc::new(Sig { params, ret })
    }

    fn interface_shape(&mut self, i: &InterfaceDecl) -> Arc<Shape> {
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
        Arc::new(shape)
    }

    fn members_shape(
        &mut self,
        name: Option<Arc<str>>,
        members: &[TypeMember],
        open: bool,
    ) -> Arc<Shape> {
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
                TypeMember::Method {
                    key,
                    optional,
                    params,
                    ret,
                    type_params,
                    ..
                } => match prop_key(key) {
                    Some(n) => {
                        let ty = if type_params.is_empty() {
                            Ty::Func(self.signature(params, ret.as_ref()))
                        } else {
                            Ty::Any
                        };
                        // Overloads: keep it open.
                        if let Some(p) = props.iter_mut().find(|p: &&mut ShapeProp| &*p.name == n) {
                            p.ty = Ty::Any;
                        } else {
                            props.push(ShapeProp {
                                name: rc(n),
                                ty,
                                optional: *optional,
                            })
                        }
                    }
                    None => open = true,
                },
                TypeMember::Index { .. }
                | TypeMember::Call { .. }
                | TypeMember::Construct { .. } => open = true,
            }
        }
        Arc::new(Shape { name, props, open })
    }

    // ========================================================= assignability

    /// `false` only when `src` is certainly not assignable to `dst`.
    pub(crate) fn assignable(&self, src: &Ty, dst: &Ty) -> bool {
        match (src, dst) {
            (Ty::Any, _) | (_, Ty::Any) | (Ty::Never, _) => true,
            (_, Ty::Unknown) | (Ty::Param(_), _) | (_, Ty::Param(_)) => true,
            (Ty::Union(items), _) => items.iter().all(|s| self.assignable(s, dst)),
            (_, Ty::Union(items)) => items.iter().any(|d| self.assignable(src, d)),
            (Ty::Unknown, _) => false,
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
            (Ty::Builtin(a, xs), Ty::Builtin(b, ys)) => {
                a == b
                    && (xs.len() != ys.len()
                        || xs.iter().zip(ys).all(|(x, y)| self.assignable(x, y)))
            }
            // Structural comparisons of classes, functions, shapes and
            // built-in objects with one another are left to TypeScript-level
            // tools.
            (
                Ty::Instance(_)
                | Ty::Func(_)
                | Ty::ClassValue(_)
                | Ty::Object
                | Ty::Builtin(..)
                | Ty::Array(_)
                | Ty::Tuple(_),
                Ty::Shape(_) | Ty::Func(_) | Ty::Instance(_) | Ty::Builtin(..),
            ) => true,
            (Ty::Shape(_), Ty::Instance(_) | Ty::Func(_) | Ty::Builtin(..)) => true,
            (Ty::Func(_), Ty::ClassValue(_)) | (Ty::ClassValue(_), Ty::ClassValue(_)) => true,
            // A primitive has the members of its wrapper object: it fits an
            // interface whose required members the wrapper has.
            (
                Ty::String
                | Ty::StrLit(_)
                | Ty::Number
                | Ty::NumLit(_)
                | Ty::Boolean
                | Ty::BoolLit(_),
                Ty::Shape(d),
            ) => {
                d.open
                    || d.props
                        .iter()
                        .all(|p| p.optional || self.declared_member(src, &p.name).is_some())
            }
            (Ty::Enum(a, _), Ty::Enum(b, _)) => a == b,
            (Ty::Enum(_, numeric), Ty::Number) => *numeric,
            (Ty::Enum(_, numeric), Ty::String) => !*numeric,
            (Ty::Number | Ty::NumLit(_), Ty::Enum(_, numeric)) => *numeric,
            (Ty::String | Ty::StrLit(_), Ty::Builtin(b, _)) => &**b == "String",
            (Ty::Number | Ty::NumLit(_), Ty::Builtin(b, _)) => &**b == "Number",
            (Ty::Boolean | Ty::BoolLit(_), Ty::Builtin(b, _)) => &**b == "Boolean",
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

    /// Whether class `a` derives from `b`; a class whose base is not known
    /// might (no error is raised on what cannot be decided).
    fn derives_from(&self, a: usize, b: usize) -> bool {
        self.derives(a, b, true)
    }

    /// Walks `a`'s bases up to `b`; `unknown` answers for a base the
    /// checker does not know (and for a cycle).
    fn derives(&self, a: usize, b: usize, unknown: bool) -> bool {
        let mut cur = Some(a);
        let mut steps = 0;
        while let Some(id) = cur {
            if id == b {
                return true;
            }
            steps += 1;
            if steps > self.classes.len() {
                return unknown;
            }
            cur = match self.classes.get(id).and_then(|c| c.base) {
                None => return false,
                Some(None) => return unknown,
                Some(Some(base)) => Some(base),
            };
        }
        unknown
    }

    // ============================================================ statements

    fn block(&mut self, stmts: &[Stmt]) {
        self.block_at(stmts, None);
    }

    fn block_at(&mut self, stmts: &[Stmt], span: Option<Span>) {
        self.push_scope_span(span);
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
                let outer = self.flow.clone();
                self.push_scope_span(Some(n.span));
                self.hoist(&n.body);
                for s in &n.body {
                    self.stmt(s);
                }
                self.pop_scope();
                self.flow = outer;
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
                                match self.lookup(&i.name).map(|b| b.sym) {
                                    Some(sym) => self.reference(i, sym),
                                    None => {
                                        if !spec.is_type
                                            && self.lookup_type(&i.name).is_none()
                                            && !is_global(&i.name)
                                        {
                                            self.undefined(i);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                ExportDecl::All { .. } => {}
            },
            Stmt::Expr(e, _) => {
                // A call of a function declared to return `абадан` does
                // not come back.
                if self.expr(e) == Ty::Never && matches!(strip_parens(e), Expr::Call { .. }) {
                    self.flow = Flow::dead();
                }
            }
            Stmt::Block(b) => self.block_at(&b.stmts, Some(b.span)),
            Stmt::Empty(_) => {}
            Stmt::If {
                test, cons, alt, ..
            } => {
                let (t, f) = self.condition(test);
                self.flow = t;
                self.nested_stmt(cons);
                let after_cons = std::mem::take(&mut self.flow);
                self.flow = f;
                if let Some(a) = alt {
                    self.nested_stmt(a);
                }
                let after_alt = std::mem::take(&mut self.flow);
                self.flow = Flow::join(after_cons, after_alt);
            }
            Stmt::While { test, body, .. } => {
                self.forget_written(s);
                let (t, f) = self.condition(test);
                self.flow = t;
                self.loop_body(body, f);
            }
            Stmt::DoWhile { body, test, .. } => {
                self.forget_written(s);
                self.breaks.push(Vec::new());
                self.nested_stmt(body);
                // `давом` reaches the test too; what the loop writes is
                // already forgotten, so the entry flow stands in for it.
                self.flow.dead = false;
                let (_, f) = self.condition(test);
                let breaks = self.breaks.pop().unwrap_or_default();
                self.flow = Flow::join(f, Flow::join_all(breaks));
            }
            Stmt::For {
                init,
                test,
                update,
                body,
                ..
            } => {
                self.push_scope();
                match init.as_deref() {
                    Some(ForInit::Var(d)) => {
                        for dd in &d.decls {
                            let annotated = dd.pat.type_annotation().map(|t| self.resolve(t));
                            let inferred = annotated.is_none();
                            let decl = match d.kind {
                                VarKind::Let => DeclKind::Let,
                                VarKind::Const => DeclKind::Const,
                            };
                            self.declare_pattern(
                                &dd.pat,
                                annotated.unwrap_or(Ty::Any),
                                inferred,
                                decl,
                            );
                        }
                        self.var_decl(d);
                    }
                    Some(ForInit::Expr(e)) => {
                        self.expr(e);
                    }
                    None => {}
                }
                self.forget_written(s);
                let exit = match test {
                    Some(t) => {
                        let (t, f) = self.condition(t);
                        self.flow = t;
                        f
                    }
                    None => Flow::dead(),
                };
                let entry = self.flow.clone();
                self.breaks.push(Vec::new());
                self.nested_stmt(body);
                self.flow = entry.clone();
                if let Some(u) = update {
                    self.expr(u);
                }
                let breaks = self.breaks.pop().unwrap_or_default();
                self.flow = Flow::join(exit, Flow::join_all(breaks));
                self.pop_scope();
            }
            Stmt::ForIn {
                left, right, body, ..
            }
            | Stmt::ForOf {
                left, right, body, ..
            } => {
                let collection = self.expr(right);
                self.forget_written(s);
                let entry = self.flow.clone();
                self.push_scope();
                let item = match s {
                    // The keys of `барои … дар` are always strings.
                    Stmt::ForIn { .. } => Ty::String,
                    Stmt::ForOf {
                        is_await: false, ..
                    } => self.element_type(&collection),
                    _ => Ty::Any,
                };
                match &**left {
                    ForHead::Var(kind, pat, _) => {
                        let ty = pat
                            .type_annotation()
                            .map(|t| self.resolve(t))
                            .unwrap_or(item);
                        let decl = match kind {
                            VarKind::Let => DeclKind::Let,
                            VarKind::Const => DeclKind::Const,
                        };
                        self.declare_pattern(pat, ty, *kind == VarKind::Let, decl);
                        self.pattern_defaults(pat);
                    }
                    ForHead::Pat(p) => self.assign_target(p),
                }
                self.breaks.push(Vec::new());
                self.nested_stmt(body);
                let breaks = self.breaks.pop().unwrap_or_default();
                self.pop_scope();
                self.flow = Flow::join(entry, Flow::join_all(breaks));
            }
            Stmt::Return { arg, .. } => {
                if let Some(a) = arg {
                    let expected = match self.returns.last() {
                        Some(ReturnCtx::Check(t)) => Some(t.clone()),
                        _ => None,
                    };
                    let t = self.expr_with_expected(a, expected.as_ref());
                    if let Some(expected) = expected {
                        self.check_assign(&t, &expected, a.span(), None);
                    }
                    if let Some(ReturnCtx::Collect(tys)) = self.returns.last_mut() {
                        tys.push(t);
                    }
                } else if let Some(ReturnCtx::Collect(tys)) = self.returns.last_mut() {
                    tys.push(Ty::Undefined);
                }
                self.flow = Flow::dead();
            }
            Stmt::Break { .. } => {
                let here = std::mem::replace(&mut self.flow, Flow::dead());
                if let Some(b) = self.breaks.last_mut() {
                    b.push(here);
                }
            }
            Stmt::Continue { .. } => self.flow = Flow::dead(),
            Stmt::Throw { arg, .. } => {
                self.expr(arg);
                self.flow = Flow::dead();
            }
            Stmt::Try {
                block,
                handler,
                finalizer,
                ..
            } => {
                let entry = self.flow.clone();
                self.block_at(&block.stmts, Some(block.span));
                let after_try = std::mem::take(&mut self.flow);
                self.flow = entry;
                self.forget_written(s);
                let after_catch = match handler {
                    Some(h) => {
                        self.push_scope_span(Some(h.span));
                        if let Some(p) = &h.param {
                            let ty = p
                                .type_annotation()
                                .map(|t| self.resolve(t))
                                .unwrap_or(Ty::Any);
                            self.declare_pattern(p, ty, true, DeclKind::CatchParam);
                        }
                        self.block_at(&h.body.stmts, Some(h.body.span));
                        self.pop_scope();
                        std::mem::take(&mut self.flow)
                    }
                    None => Flow::dead(),
                };
                self.flow = Flow::join(after_try, after_catch);
                if let Some(f) = finalizer {
                    let dead = self.flow.dead;
                    self.flow.dead = false;
                    self.block_at(&f.stmts, Some(f.span));
                    self.flow.dead |= dead;
                }
            }
            Stmt::Switch { disc, cases, .. } => self.switch(disc, cases),
            Stmt::Labeled { body, .. } => {
                self.breaks.push(Vec::new());
                self.stmt(body);
                let breaks = self.breaks.pop().unwrap_or_default();
                let here = std::mem::take(&mut self.flow);
                self.flow = Flow::join(here, Flow::join_all(breaks));
            }
        }
    }

    /// The body of a `то` loop, entered with its condition true; `exit` is
    /// the flow where the condition is false.
    fn loop_body(&mut self, body: &Stmt, exit: Flow) {
        self.breaks.push(Vec::new());
        self.nested_stmt(body);
        let breaks = self.breaks.pop().unwrap_or_default();
        self.flow = Flow::join(exit, Flow::join_all(breaks));
    }

    /// `интихоб`: each case is entered with the discriminant equal to its
    /// test (or falling through from the case before); `пешфарз` with it
    /// equal to none of them.
    fn switch(&mut self, disc: &Expr, cases: &[SwitchCase]) {
        self.expr(disc);
        let entry = self.flow.clone();
        self.push_scope();
        self.hoist_all(cases.iter().flat_map(|c| c.cons.iter()));
        self.breaks.push(Vec::new());
        // The flow where the discriminant matched no test so far.
        let mut unmatched = entry.clone();
        let mut fallthrough = Flow::dead();
        let mut has_default = false;
        for c in cases {
            let matched = match &c.test {
                Some(t) => {
                    self.flow = unmatched.clone();
                    self.expr(t);
                    let (yes, no) = self.case_flows(disc, t, unmatched);
                    unmatched = no;
                    yes
                }
                None => {
                    has_default = true;
                    Flow::dead()
                }
            };
            self.flow = Flow::join(fallthrough, matched);
            if c.test.is_none() {
                // `пешфарз` may stand anywhere; it runs when nothing else
                // matched, so its flow is decided after every test.
                let here = std::mem::take(&mut self.flow);
                let mut rest = unmatched.clone();
                for t in cases.iter().filter_map(|other| other.test.as_ref()) {
                    rest = self.case_flows(disc, t, rest).1;
                }
                self.flow = Flow::join(here, rest);
            }
            for s in &c.cons {
                self.stmt(s);
            }
            fallthrough = std::mem::take(&mut self.flow);
        }
        let breaks = self.breaks.pop().unwrap_or_default();
        self.pop_scope();
        let mut after = Flow::join(fallthrough, Flow::join_all(breaks));
        if !has_default {
            after = Flow::join(after, unmatched);
        }
        self.flow = after;
    }

    /// A statement in a branch or loop body gets its own scope when it
    /// declares something.
    fn nested_stmt(&mut self, s: &Stmt) {
        match s {
            Stmt::Block(b) => self.block_at(&b.stmts, Some(b.span)),
            Stmt::Var(_)
            | Stmt::Function(_)
            | Stmt::Class(_)
            | Stmt::Enum(_)
            | Stmt::Interface(_)
            | Stmt::TypeAlias(_)
            | Stmt::Namespace(_)
            | Stmt::Labeled { .. } => self.block(std::slice::from_ref(s)),
            // No scope for a statement that declares nothing: `вагарна
            // агар` chains would otherwise nest one scope per branch and
            // every name lookup would walk them all.
            other => self.stmt(other),
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
                            // A union-typed variable starts narrowed to
                            // what its initializer can be.
                            if let Pat::Ident { ident, .. } = &dd.pat {
                                self.narrow_assignment(&Expr::Ident(ident.clone()), expected, &t);
                            }
                        }
                    }
                    None => {
                        // Remember what the initializer gave a plain name,
                        // or the parts a pattern takes from it.
                        match &dd.pat {
                            Pat::Ident { ident, .. } => {
                                let ty = if d.kind == VarKind::Const && !matches!(t, Ty::Tuple(_)) {
                                    t.widen_props()
                                } else {
                                    t.widen()
                                };
                                let symbol = self.lookup(&ident.name).map(|b| b.sym);
                                if let Some(b) = self.lookup_mut(&ident.name) {
                                    if b.inferred {
                                        b.ty = ty.clone();
                                        b.inferred = d.kind == VarKind::Let;
                                    }
                                }
                                if let Some(sym) =
                                    symbol.and_then(|s| self.symbol_model.get_mut(s as usize))
                                {
                                    sym.ty = ty;
                                }
                            }
                            pat => {
                                // A pattern takes a tuple's parts one by one.
                                let t = match &t {
                                    Ty::Tuple(items) => {
                                        Ty::Tuple(items.iter().map(Ty::widen).collect())
                                    }
                                    other => other.widen(),
                                };
                                self.refine_pattern(pat, &t, d.kind == VarKind::Let);
                            }
                        }
                    }
                }
            }
            self.pattern_defaults(&dd.pat);
        }
    }

    /// Gives the names of a destructuring pattern the types of the parts
    /// of its initializer.
    fn refine_pattern(&mut self, p: &Pat, ty: &Ty, open: bool) {
        match p {
            Pat::Ident { ident, .. } => {
                if let Some(b) = self.lookup_mut(&ident.name) {
                    if b.inferred {
                        b.ty = ty.clone();
                        b.inferred = open;
                    }
                }
            }
            Pat::Array { elems, .. } => {
                for (i, e) in elems.iter().enumerate() {
                    let Some(e) = e else { continue };
                    if matches!(e, Pat::Rest { .. }) {
                        continue;
                    }
                    let t = match ty {
                        Ty::Tuple(items) => items.get(i).cloned().unwrap_or(Ty::Any),
                        Ty::Array(inner) => (**inner).clone(),
                        _ => Ty::Any,
                    };
                    self.refine_pattern(e, &t, open);
                }
            }
            Pat::Object { props, .. } => {
                for prop in props {
                    match prop {
                        ObjectPatProp::KeyValue { key, value } => {
                            let t = prop_key(key)
                                .and_then(|k| self.declared_member(ty, k))
                                .unwrap_or(Ty::Any);
                            self.refine_pattern(value, &t, open);
                        }
                        ObjectPatProp::Shorthand {
                            ident,
                            default: None,
                        } => {
                            let t = self.declared_member(ty, &ident.name).unwrap_or(Ty::Any);
                            self.refine_pattern(
                                &Pat::Ident {
                                    ident: ident.clone(),
                                    ty: None,
                                    optional: false,
                                },
                                &t,
                                open,
                            );
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
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

    /// A name written by an assignment: it must exist and may not be a
    /// `собит`, an import or an enum.
    fn write_name(&mut self, ident: &Ident) {
        match self.lookup(&ident.name).map(|b| (b.sym, b.decl)) {
            Some((sym, decl)) => {
                self.reference(ident, sym);
                if matches!(decl, DeclKind::Const | DeclKind::Import | DeclKind::Enum) {
                    self.error(
                        Message::ConstAssignment {
                            name: ident.name.to_string(),
                        },
                        ident.span,
                    );
                }
                if let Some(key) = self.ref_key(&Expr::Ident(ident.clone())) {
                    self.flow.forget(&key);
                }
            }
            None => {
                if !is_global(&ident.name) {
                    self.undefined(ident);
                }
            }
        }
    }

    /// A member written by an assignment: enum members are read-only.
    fn write_member(&mut self, e: &Expr) {
        if let Expr::Ident(i) = strip_parens(e) {
            self.write_name(i);
            return;
        }
        if let Expr::Member {
            obj,
            prop: MemberProp::Ident(p),
            ..
        } = strip_parens(e)
        {
            if let Expr::Ident(o) = strip_parens(obj) {
                if self
                    .lookup(&o.name)
                    .is_some_and(|b| b.decl == DeclKind::Enum)
                {
                    self.error(
                        Message::ConstAssignment {
                            name: format!("{}.{}", o.name, p.name),
                        },
                        Span::at(e.span().lo),
                    );
                }
            }
        }
        if let Some(key) = self.ref_key(e) {
            self.flow.forget(&key);
        }
    }

    /// The left side of an assignment (or a declaration-less for head).
    fn assign_target(&mut self, p: &Pat) {
        match p {
            Pat::Ident { ident, .. } => self.write_name(ident),
            Pat::Expr(e) => {
                self.expr(e);
                self.write_member(e);
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
                            self.write_name(ident);
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
        self.function_body(f, None, None);
    }

    /// Walks a function; `contextual` gives the parameter types a callback
    /// takes from the signature it is passed to.
    fn function_body(&mut self, f: &Function, this_ty: Option<Ty>, contextual: Option<&Sig>) {
        let inner_flow = self.flow_for_function(false);
        let outer_flow = std::mem::replace(&mut self.flow, inner_flow);
        let outer_breaks = std::mem::take(&mut self.breaks);
        self.push_scope_span(Some(f.span));
        if let Some(name) = &f.name {
            // A function expression's own name is visible inside it.
            if self.lookup(&name.name).is_none() {
                self.declare(name, Ty::Any, BindKind::Value, false, DeclKind::OwnName);
            }
        }
        for tp in &f.type_params {
            self.declare_type(&tp.name.name, TypeDef::Any);
        }
        self.params(&f.params, contextual);
        let ret = match &f.return_type {
            Some(t) if !f.is_async && !f.is_generator => ReturnCtx::Check(self.resolve(t)),
            Some(t) if f.is_async && !f.is_generator => match self.resolve(t) {
                Ty::Builtin(name, args) if &*name == "Promise" => {
                    ReturnCtx::Check(Ty::union(vec![
                        args.first().cloned().unwrap_or(Ty::Any),
                        Ty::Builtin(name, args),
                    ]))
                }
                _ => ReturnCtx::None,
            },
            None if !f.is_async && !f.is_generator && f.body.is_some() => {
                ReturnCtx::Collect(Vec::new())
            }
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
        let falls_off = !self.flow.dead;
        let inferred = match self.returns.pop() {
            Some(ReturnCtx::Collect(tys)) if tys.is_empty() => Some(Ty::Void),
            Some(ReturnCtx::Collect(mut tys)) => {
                if falls_off {
                    tys.push(Ty::Undefined);
                }
                Some(Ty::union(tys).widen())
            }
            _ => None,
        };
        self.pop_scope();
        self.flow = outer_flow;
        self.breaks = outer_breaks;
        // A declared function's return type is what it returns: uses after
        // its body see it.
        if let (Some(ret), Some(name), None) = (inferred, &f.name, &this_ty) {
            let sym = self.lookup(&name.name).map(|b| b.sym);
            if let Some(b) = self.lookup_mut(&name.name) {
                if let Ty::Func(sig) = &b.ty {
                    if sig.ret == Ty::Any && !matches!(b.decl, DeclKind::Overload) {
                        b.ty = Ty::Func(Arc::new(Sig {
                            params: sig.params.clone(),
                            ret,
                        }));
                    }
                }
                let ty = b.ty.clone();
                if let Some(s) = sym.and_then(|s| self.symbol_model.get_mut(s as usize)) {
                    s.ty = ty;
                }
            }
        }
    }

    fn params(&mut self, params: &[Param], contextual: Option<&Sig>) {
        let sigs = self.param_sigs(params);
        for (i, (p, sig)) in params.iter().zip(sigs).enumerate() {
            let mut ty = if sig.rest {
                Ty::Array(Box::new(sig.ty))
            } else {
                sig.ty
            };
            if p.pat.type_annotation().is_none() {
                if let Some(ctx) = contextual.and_then(|c| c.params.get(i)) {
                    if !ctx.rest && !sig.rest {
                        ty = ctx.ty.clone();
                    }
                }
            }
            self.declare_pattern(&p.pat, ty, false, DeclKind::Param);
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
                    self.function_body(function, Some(this_ty.clone()), None)
                }
                ClassMember::Method { key, function, .. } => {
                    if let PropName::Computed(e, _) = key {
                        self.expr(e);
                    }
                    self.function_body(function, Some(this_ty.clone()), None);
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
            if let PropName::Ident(n) = &m.name {
                self.declare(n, Ty::Any, BindKind::Value, false, DeclKind::Enum);
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
            d = d
                .with_replacement(i.span, best.clone())
                .with_suggestion(Message::DidYouMean { name: best });
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
        let t = stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.expr_inner(e, expected));
        self.record_type(e.span(), &t);
        t
    }

    fn expr_inner(&mut self, e: &Expr, expected: Option<&Ty>) -> Ty {
        match e {
            Expr::Ident(i) => match self.lookup(&i.name).map(|b| (b.sym, b.ty.clone())) {
                Some((sym, declared)) => {
                    self.reference(i, sym);
                    let key = RefKey {
                        root: sym,
                        path: Vec::new(),
                    };
                    self.flow.facts.get(&key).cloned().unwrap_or(declared)
                }
                None => {
                    if !is_global(&i.name) {
                        self.undefined(i);
                        Ty::Any
                    } else {
                        self.global_type(&i.name)
                    }
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
            Expr::Regex { .. } => Ty::Builtin(Arc::from("RegExp"), Vec::new()),
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
                let contextual = match expected {
                    Some(Ty::Func(s)) => Some(s.clone()),
                    _ => None,
                };
                self.function_body(f, Some(Ty::Any), contextual.as_deref());
                Ty::Func(sig)
            }
            Expr::Arrow(a) => {
                let contextual = match expected {
                    Some(Ty::Func(s)) => Some(s.clone()),
                    _ => None,
                };
                self.arrow(a, contextual.as_deref())
            }
            Expr::Class(c) => {
                self.push_scope();
                let mut id = None;
                if let Some(name) = &c.name {
                    let new_id = self.declare_class(name, DeclKind::OwnName);
                    self.fill_class(c);
                    id = Some(new_id);
                }
                self.class_body(c, id);
                self.pop_scope();
                id.map(Ty::ClassValue).unwrap_or(Ty::Any)
            }
            Expr::Unary { op, arg, .. } => {
                let t = self.expr(arg);
                match op {
                    UnaryOp::Not | UnaryOp::Delete => Ty::Boolean,
                    UnaryOp::Typeof => Ty::String,
                    UnaryOp::Void => Ty::Undefined,
                    UnaryOp::Plus => Ty::Number,
                    UnaryOp::Minus | UnaryOp::BitNot => numeric_result(&t),
                }
            }
            Expr::Update { arg, .. } => {
                let t = self.expr(arg);
                match strip_parens(arg) {
                    Expr::Ident(i) => self.write_name(i),
                    other => self.write_member(other),
                }
                numeric_result(&t)
            }
            Expr::Binary {
                op: BinaryOp::And | BinaryOp::Or,
                ..
            } => {
                let (ty, t, f) = self.condition_typed(e);
                self.flow = Flow::join(t, f);
                ty
            }
            Expr::Binary {
                op: BinaryOp::Nullish,
                left,
                right,
                ..
            } => {
                let l = self.expr(left);
                let entry = self.flow.clone();
                let r = self.expr_with_expected(right, expected);
                let after = std::mem::take(&mut self.flow);
                self.flow = Flow::join(entry, after);
                Ty::union(vec![narrow::non_nullish(&l), r])
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
                let (t, f) = self.condition(test);
                self.flow = t;
                let a = self.expr_with_expected(cons, expected);
                let after_a = std::mem::take(&mut self.flow);
                self.flow = f;
                let b = self.expr_with_expected(alt, expected);
                let after_b = std::mem::take(&mut self.flow);
                self.flow = Flow::join(after_a, after_b);
                Ty::union(vec![a, b])
            }
            Expr::Call { callee, args, .. } => self.call(callee, args),
            Expr::DynImport { arg, .. } => {
                self.expr(arg);
                Ty::Any
            }
            Expr::New {
                callee,
                args,
                type_args,
                ..
            } => {
                let t = self.expr(callee);
                let arg_list = args.as_deref().unwrap_or(&[]);
                let result = match t {
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
                                self.check_args(&name.name, name.span, &sig, arg_list);
                            }
                            _ => self.visit_args(arg_list),
                        }
                        Ty::Instance(id)
                    }
                    Ty::Builtin(iface, _) => {
                        let ctor = builtins::builtins()
                            .interfaces
                            .get(&*iface)
                            .and_then(|i| i.construct.clone());
                        match ctor {
                            Some(sig) => {
                                // `нав Map<сатр, рақам>()`: explicit type
                                // arguments give the instance's parameters.
                                let explicit: Vec<Ty> =
                                    type_args.iter().map(|t| self.resolve(t)).collect();
                                let sig = match (&sig.ret, explicit.is_empty()) {
                                    (Ty::Builtin(_, params), false) => {
                                        let names: Vec<Arc<str>> = params
                                            .iter()
                                            .filter_map(|p| match p {
                                                Ty::Param(n) => Some(n.clone()),
                                                _ => None,
                                            })
                                            .collect();
                                        let subst = |n: &str| {
                                            names
                                                .iter()
                                                .position(|m| &**m == n)
                                                .and_then(|i| explicit.get(i).cloned())
                                        };
                                        Arc::new(Sig {
                                            params: sig
                                                .params
                                                .iter()
                                                .map(|p| ParamSig {
                                                    ty: p.ty.substitute(&subst),
                                                    ..p.clone()
                                                })
                                                .collect(),
                                            ret: sig.ret.substitute(&subst),
                                        })
                                    }
                                    _ => sig,
                                };
                                let name = callee_name(callee);
                                self.check_args(&name, Span::at(callee.span().lo), &sig, arg_list)
                            }
                            None => {
                                self.visit_args(arg_list);
                                Ty::Any
                            }
                        }
                    }
                    _ => {
                        self.visit_args(arg_list);
                        Ty::Any
                    }
                };
                self.forget_captured();
                result
            }
            Expr::Member {
                obj,
                prop,
                optional,
                ..
            } => {
                let o = self.expr(obj);
                let o = if *optional {
                    narrow::non_nullish(&o)
                } else {
                    o
                };
                let t = match prop {
                    MemberProp::Computed(p) => {
                        let k = self.expr(p);
                        match (&o, &k) {
                            (Ty::Array(inner), _) => (**inner).clone(),
                            (Ty::Tuple(items), Ty::NumLit(n)) => {
                                items.get(*n as usize).cloned().unwrap_or(Ty::Any)
                            }
                            (Ty::String | Ty::StrLit(_), Ty::Number | Ty::NumLit(_)) => Ty::String,
                            _ => Ty::Any,
                        }
                    }
                    MemberProp::Ident(name) => {
                        self.check_property_exists(&o, name);
                        match self
                            .ref_key(e)
                            .and_then(|k| self.flow.facts.get(&k).cloned())
                        {
                            Some(narrowed) => narrowed,
                            None => self.member_type(&o, &name.name),
                        }
                    }
                    MemberProp::Private(name) => self.member_type(&o, &format!("#{}", name.name)),
                };
                if *optional && !matches!(t, Ty::Any) {
                    Ty::union(vec![t, Ty::Undefined])
                } else {
                    t
                }
            }
            Expr::Seq { exprs, .. } => {
                let mut last = Ty::Any;
                for x in exprs {
                    last = self.expr(x);
                }
                last
            }
            Expr::Await { arg, .. } => match self.expr(arg) {
                Ty::Func(_) | Ty::Shape(_) | Ty::Instance(_) | Ty::Object => Ty::Any,
                other => awaited(&other),
            },
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
                narrow::non_nullish(&t)
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
                    self.function_body(function, Some(Ty::Any), None);
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
        Ty::Shape(Arc::new(Shape {
            name: None,
            props: out,
            open,
        }))
    }

    fn arrow(&mut self, a: &Arrow, contextual: Option<&Sig>) -> Ty {
        let inner_flow = self.flow_for_function(true);
        let outer_flow = std::mem::replace(&mut self.flow, inner_flow);
        let outer_breaks = std::mem::take(&mut self.breaks);
        self.push_scope_span(Some(a.span));
        for tp in &a.type_params {
            self.declare_type(&tp.name.name, TypeDef::Any);
        }
        let mut params = self.param_sigs(&a.params);
        self.params(&a.params, contextual);
        // What a callback's parameters got from the call is its type too.
        for (i, p) in params.iter_mut().enumerate() {
            let annotated = a
                .params
                .get(i)
                .is_some_and(|p| p.pat.type_annotation().is_some());
            if !annotated && !p.rest {
                if let Some(ctx) = contextual.and_then(|c| c.params.get(i)) {
                    p.ty = ctx.ty.clone();
                }
            }
        }
        let ret = match &a.return_type {
            Some(t) if !a.is_async => self.resolve(t),
            _ => Ty::Any,
        };
        let ctx = match &a.return_type {
            Some(_) if !a.is_async => ReturnCtx::Check(ret.clone()),
            None if !a.is_async => ReturnCtx::Collect(Vec::new()),
            _ => ReturnCtx::None,
        };
        self.returns.push(ctx);
        let body_ty = match &a.body {
            ArrowBody::Block(b) => {
                self.hoist(&b.stmts);
                for s in &b.stmts {
                    self.stmt(s);
                }
                let falls_off = !self.flow.dead;
                match self.returns.last() {
                    Some(ReturnCtx::Collect(tys)) if tys.is_empty() => Ty::Void,
                    Some(ReturnCtx::Collect(tys)) => {
                        let mut tys = tys.clone();
                        if falls_off {
                            tys.push(Ty::Undefined);
                        }
                        Ty::union(tys)
                    }
                    _ => Ty::Any,
                }
            }
            ArrowBody::Expr(e) => {
                let expected = match self.returns.last() {
                    Some(ReturnCtx::Check(t)) => Some(t.clone()),
                    _ => None,
                };
                let t = self.expr_with_expected(e, expected.as_ref());
                if let Some(expected) = expected {
                    self.check_assign(&t, &expected, e.span(), None);
                }
                t
            }
        };
        self.returns.pop();
        self.pop_scope();
        self.flow = outer_flow;
        self.breaks = outer_breaks;
        let ret = if a.return_type.is_some() || a.is_async {
            ret
        } else {
            body_ty.widen()
        };
        let ret = if a.is_async { Ty::Any } else { ret };
        Ty::Func(Arc::new(Sig { params, ret }))
    }

    fn assignment(&mut self, op: AssignOp, target: &Pat, value: &Expr) -> Ty {
        let declared = match target {
            Pat::Ident { ident, .. } => match self.lookup(&ident.name) {
                // Writing a `собит` is reported once, as such.
                Some(b)
                    if matches!(b.decl, DeclKind::Const | DeclKind::Import | DeclKind::Enum) =>
                {
                    None
                }
                Some(b) if !b.inferred => Some(b.ty.clone()),
                _ => None,
            },
            Pat::Expr(e) => match &**e {
                Expr::Member { obj, prop, .. } => {
                    let o = self.expr(obj);
                    if let MemberProp::Computed(p) = prop {
                        self.expr(p);
                    }
                    match prop {
                        MemberProp::Ident(name) => {
                            self.check_property_exists(&o, name);
                            self.declared_member(&o, &name.name)
                        }
                        MemberProp::Private(name) => {
                            self.declared_member(&o, &format!("#{}", name.name))
                        }
                        MemberProp::Computed(_) => None,
                    }
                }
                _ => None,
            },
            _ => None,
        };
        let before = match target {
            Pat::Ident { ident, .. } => Some(self.ref_type(&Expr::Ident(ident.clone()))),
            Pat::Expr(e) => Some(self.ref_type(e)),
            _ => None,
        };
        let t = self.expr_with_expected(value, declared.as_ref());
        match target {
            Pat::Expr(e) => self.write_member(e),
            other => self.assign_target(other),
        }
        // `х ??= у` / `х ||= у`: afterwards `х` is what it was, minus what
        // made the assignment happen, or `у`.
        if let (Some(before), Some(key), AssignOp::Nullish | AssignOp::Or) = (
            before,
            match target {
                Pat::Ident { ident, .. } => self.ref_key(&Expr::Ident(ident.clone())),
                Pat::Expr(e) => self.ref_key(e),
                _ => None,
            },
            op,
        ) {
            let kept = if op == AssignOp::Nullish {
                narrow::non_nullish(&before)
            } else {
                narrow::truthy(&before)
            };
            if !matches!(before, Ty::Any) {
                self.flow
                    .facts
                    .insert(key, Ty::union(vec![kept, t.clone()]));
            }
        }
        if op == AssignOp::Assign {
            if let Some(d) = &declared {
                if self.assignable(&t, d) {
                    self.check_excess_properties(value, d);
                } else {
                    self.check_assign(&t, d, value.span(), None);
                }
            }
            if let Some(d) = &declared {
                match target {
                    Pat::Ident { ident, .. } => {
                        self.narrow_assignment(&Expr::Ident(ident.clone()), d, &t)
                    }
                    Pat::Expr(e) => self.narrow_assignment(e, d, &t),
                    _ => {}
                }
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
        // Primitives and arrays have exactly their built-in members.
        if matches!(
            obj,
            Ty::String | Ty::StrLit(_) | Ty::Number | Ty::NumLit(_) | Ty::Array(_) | Ty::Tuple(_)
        ) {
            if self.declared_member(obj, &name.name).is_none()
                && !is_object_prototype_member(&name.name)
                && !is_object_prototype_member(property_name(&name.name))
            {
                let ty = self.show(&obj.widen());
                self.error(
                    Message::PropertyNotFound {
                        property: name.name.to_string(),
                        ty,
                    },
                    name.span,
                );
            }
            return;
        }
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
        self.declared_member(obj, name).unwrap_or(Ty::Any)
    }

    /// The declared type of a member, when the object's type is known:
    /// class members, interface and object-literal properties, and the
    /// members of built-ins (Tajik aliases included).
    pub(crate) fn declared_member(&self, obj: &Ty, name: &str) -> Option<Ty> {
        match obj {
            Ty::Instance(id) => self.class_member(*id, name).or_else(|| {
                let js = property_name(name);
                self.class_member(*id, js)
            }),
            Ty::Shape(s) => {
                let js = property_name(name);
                s.props
                    .iter()
                    .find(|p| &*p.name == name || property_name(&p.name) == js)
                    .map(|p| {
                        if p.optional {
                            Ty::union(vec![p.ty.clone(), Ty::Undefined])
                        } else {
                            p.ty.clone()
                        }
                    })
            }
            Ty::Union(items) => {
                let mut out = Vec::new();
                for m in items {
                    if m.is_nullish() {
                        continue;
                    }
                    out.push(self.declared_member(m, name)?);
                }
                Some(Ty::union(out))
            }
            Ty::Never => Some(Ty::Never),
            other => {
                let (iface, args) = builtins::interface_of(other)?;
                // `JSON.сатрӣ`, `Ваъда.ҳама`: names of one receiver.
                let receiver = iface.trim_end_matches("Constructor");
                let js = somon_syntax::names::receiver_member(receiver, name)
                    .unwrap_or_else(|| property_name(name));
                builtins::builtins().member(iface, &args, js)
            }
        }
    }

    /// The type of a global value (`Math`, `чоп`, `parseInt` …).
    fn global_type(&self, name: &str) -> Ty {
        let js = somon_syntax::names::builtin_global(name).unwrap_or(name);
        builtins::builtins()
            .globals
            .get(js)
            .cloned()
            .unwrap_or(Ty::Any)
    }

    /// What `барои (… аз х)` gives for each element.
    fn element_type(&self, t: &Ty) -> Ty {
        match t {
            Ty::Array(inner) => (**inner).clone(),
            Ty::Tuple(items) => Ty::union(items.clone()),
            Ty::String | Ty::StrLit(_) => Ty::String,
            Ty::Builtin(name, args) if &**name == "Set" => args.first().cloned().unwrap_or(Ty::Any),
            Ty::Builtin(name, args) if &**name == "Map" => Ty::Tuple(vec![
                args.first().cloned().unwrap_or(Ty::Any),
                args.get(1).cloned().unwrap_or(Ty::Any),
            ]),
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

    /// The class a name declares, if it is one this checker knows.
    pub(crate) fn class_id(&self, name: &str) -> Option<usize> {
        match self.lookup(name).map(|b| b.kind.clone()) {
            Some(BindKind::Class(id)) => Some(id),
            _ => None,
        }
    }

    /// Whether class `a` certainly derives from `b` (an unknown base
    /// answers no).
    pub(crate) fn derives_from_known(&self, a: usize, b: usize) -> bool {
        self.derives(a, b, false)
    }

    /// The constructor signature of a class, following `мерос` when the
    /// class has none; `None` when unknown (an unknown base).
    fn constructor_of(&self, id: usize) -> Option<Arc<Sig>> {
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
                    return Some(Arc::new(Sig {
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
        let result = self.call_inner(callee, args);
        // The callee may have written a captured variable.
        self.forget_captured();
        result
    }

    fn call_inner(&mut self, callee: &Expr, args: &[ExprOrSpread]) -> Ty {
        match strip_parens(callee) {
            Expr::Ident(name) => {
                let t = self.expr(callee);
                match t {
                    Ty::Func(sig) => self.check_args(&name.name, name.span, &sig, args),
                    Ty::Builtin(iface, _) => {
                        let call = builtins::builtins()
                            .interfaces
                            .get(&*iface)
                            .and_then(|i| i.call.clone());
                        match call {
                            Some(sig) => self.check_args(&name.name, name.span, &sig, args),
                            None => {
                                self.visit_args(args);
                                Ty::Any
                            }
                        }
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
                optional,
                ..
            } => {
                let o = self.expr(obj);
                let o = if *optional {
                    narrow::non_nullish(&o)
                } else {
                    o
                };
                self.check_property_exists(&o, method);
                // `Ваъда.ҳама([…])`: a promise of each element's value, a
                // tuple for a tuple.
                let is_all = matches!(&o, Ty::Builtin(n, _) if &**n == "PromiseConstructor")
                    && somon_syntax::names::receiver_member("Promise", &method.name)
                        .unwrap_or(&method.name)
                        == "all";
                if is_all {
                    let values = match args.first() {
                        Some(a) if !a.spread && args.len() == 1 => self.expr(&a.expr),
                        _ => {
                            self.visit_args(args);
                            Ty::Any
                        }
                    };
                    let inner = match values {
                        Ty::Tuple(items) => Ty::Tuple(items.iter().map(awaited).collect()),
                        Ty::Array(item) => Ty::Array(Box::new(awaited(&item))),
                        _ => Ty::Array(Box::new(Ty::Any)),
                    };
                    return Ty::Builtin(Arc::from("Promise"), vec![inner]);
                }
                match self.declared_member(&o, &method.name) {
                    Some(Ty::Func(sig)) => self.check_args(&method.name, method.span, &sig, args),
                    _ => {
                        self.visit_args(args);
                        Ty::Any
                    }
                }
            }
            _ => {
                let t = self.expr(callee);
                match t {
                    Ty::Func(sig) => {
                        let span = Span::at(callee.span().lo);
                        self.check_args("", span, &sig, args)
                    }
                    _ => {
                        self.visit_args(args);
                        Ty::Any
                    }
                }
            }
        }
    }

    /// Checks a call's arguments against a signature, inferring the
    /// signature's type parameters from them; returns the call's type.
    fn check_args(
        &mut self,
        name: &str,
        callee_span: Span,
        sig: &Sig,
        args: &[ExprOrSpread],
    ) -> Ty {
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
        let generic = sig.ret.has_params() || sig.params.iter().any(|p| p.ty.has_params());
        let mut bindings: HashMap<Arc<str>, Ty> = HashMap::default();
        // As in TypeScript, arguments that are not callbacks are inferred
        // from first: `ҷамъбаст((а, б) => а + б, 0)` gives `а` the type of
        // `0`.
        let mut early: HashMap<usize, Ty> = HashMap::default();
        if generic {
            for (i, a) in args.iter().enumerate() {
                if a.spread || matches!(strip_parens(&a.expr), Expr::Arrow(_) | Expr::Function(_)) {
                    continue;
                }
                let Some(p) = sig.params.get(i) else { continue };
                if !p.ty.has_params() {
                    continue;
                }
                let t = self.expr_with_expected(&a.expr, Some(&p.ty.erase_params()));
                unify(&p.ty, &t, &mut bindings);
                early.insert(i, t);
            }
        }
        for (i, a) in args.iter().enumerate() {
            let param = sig
                .params
                .get(i)
                .or_else(|| sig.params.last().filter(|p| p.rest));
            let declared = match param {
                // An optional or defaulted parameter also takes `беқимат`.
                Some(p) if !a.spread && p.optional => {
                    Some(Ty::union(vec![p.ty.clone(), Ty::Undefined]))
                }
                Some(p) if !a.spread => Some(p.ty.clone()),
                _ => None,
            };
            let declared = declared.map(|d| {
                if generic {
                    d.substitute(&|n| bindings.get(n).cloned())
                } else {
                    d
                }
            });
            // Parameters not inferred yet are `ҳар` for the argument.
            let expected = declared.as_ref().map(Ty::erase_params);
            let t = match early.remove(&i) {
                Some(t) => t,
                None => self.expr_with_expected(&a.expr, expected.as_ref()),
            };
            if let Some(d) = &declared {
                if d.has_params() {
                    unify(d, &t, &mut bindings);
                }
            }
            let expected =
                declared.map(|d| d.substitute(&|n| bindings.get(n).cloned()).erase_params());
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
        if generic {
            sig.ret
                .substitute(&|n| bindings.get(n).cloned())
                .erase_params()
        } else {
            sig.ret.clone()
        }
    }
}

/// The value a promise gives (`интизор`).
fn awaited(t: &Ty) -> Ty {
    match t {
        Ty::Builtin(n, args) if &**n == "Promise" => args.first().cloned().unwrap_or(Ty::Any),
        Ty::Union(items) => Ty::union(items.iter().map(awaited).collect()),
        other => other.clone(),
    }
}

/// Infers type parameters of `param` from an argument of type `arg`.
fn unify(param: &Ty, arg: &Ty, out: &mut HashMap<Arc<str>, Ty>) {
    match (param, arg) {
        (Ty::Param(n), a) => {
            if matches!(a, Ty::Any | Ty::Never) {
                if matches!(a, Ty::Any) {
                    out.entry(n.clone()).or_insert(Ty::Any);
                }
                return;
            }
            if matches!(out.get(n), Some(Ty::Any)) {
                return;
            }
            let a = a.widen();
            let merged = match out.get(n) {
                Some(prev) => Ty::union(vec![prev.clone(), a]),
                None => a,
            };
            out.insert(n.clone(), merged);
        }
        (Ty::Array(p), Ty::Array(a)) => unify(p, a, out),
        (Ty::Array(p), Ty::Tuple(items)) => unify(p, &Ty::union(items.clone()), out),
        (Ty::Func(p), Ty::Func(a)) => unify(&p.ret, &a.ret, out),
        (Ty::Builtin(pn, ps), Ty::Builtin(an, as_)) if pn == an => {
            for (p, a) in ps.iter().zip(as_) {
                unify(p, a, out);
            }
        }
        (Ty::Union(members), a) => {
            // `U | Ваъда<U>`: a promise gives its value, anything else
            // itself.
            let promise = members
                .iter()
                .find(|m| matches!(m, Ty::Builtin(n, _) if &**n == "Promise"));
            match (promise, a) {
                (Some(p), Ty::Builtin(n, _)) if &**n == "Promise" => unify(p, a, out),
                _ => {
                    if let Some(bare) = members.iter().find(|m| matches!(m, Ty::Param(_))) {
                        unify(bare, a, out);
                    }
                }
            }
        }
        _ => {}
    }
}

pub(crate) fn strip_parens(e: &Expr) -> &Expr {
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
        Add if is_num(l) && is_num(r) => Ty::Number,
        Add => Ty::Any,
        // Arithmetic and bitwise operators always give a number (or a
        // bigint from bigints), whatever they were given.
        Sub | Mul | Div | Mod | Exp | BitAnd | BitOr | BitXor | Shl | Shr | UShr => match (l, r) {
            (Ty::BigInt, Ty::BigInt) => Ty::BigInt,
            (Ty::BigInt, Ty::Any) | (Ty::Any, Ty::BigInt) => Ty::Any,
            _ if op == UShr => Ty::Number,
            _ => Ty::Number,
        },
        And | Or | Nullish => Ty::Any,
    }
}

/// The type of `-х`, `~х`, `х++`.
fn numeric_result(t: &Ty) -> Ty {
    match t {
        Ty::BigInt => Ty::BigInt,
        Ty::Any | Ty::Unknown => Ty::Any,
        _ => Ty::Number,
    }
}

/// Whether a second declaration of a name in one scope is refused.
fn conflicts(prev: DeclKind, new: DeclKind) -> bool {
    use DeclKind::*;
    !matches!(
        (prev, new),
        (OwnName, _)
            | (_, OwnName)
            | (Function | Overload, Function | Overload)
            | (Enum, Enum)
            | (Namespace, Namespace)
            | (Namespace, Function | Class | Enum)
            | (Function | Class | Enum, Namespace)
            | (Param, Function | Overload)
    )
}

/// The name a `нав` expression's callee is shown with.
fn callee_name(e: &Expr) -> String {
    match strip_parens(e) {
        Expr::Ident(i) => i.name.to_string(),
        Expr::Member {
            prop: MemberProp::Ident(p),
            ..
        } => p.name.to_string(),
        _ => String::new(),
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

pub(crate) fn prop_key(k: &PropName) -> Option<&str> {
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
