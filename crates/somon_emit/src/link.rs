//! Scope hoisting and tree shaking for the ES modules of a bundle.
//!
//! Per module (in parallel, cacheable): [`prepare`] takes the module's
//! swc tree after the resolver (so every top-level binding is known by
//! its `Id`), strips its `import`/`export` declarations into a table
//! ([`Hoist`]), and renames every top-level binding and every use of an
//! imported binding to a placeholder `__somon_hole{n}_{index}_`; the
//! printer prints the module once, and [`holes`] cuts the placeholders out
//! of the text, keeping where each was (byte offset, symbol) and every
//! top-level statement's byte range with the symbols it declares and
//! whether it may have a side effect (swc's `may_have_side_effects`).
//!
//! Sequentially ([`Linker`]): imports are resolved to the exporting
//! module's binding (through re-exports and `export *`), statements no
//! entry reaches and without a side effect are dropped, and the names
//! the survivors declare get their final names (the original one unless
//! another module or a nested scope needs it). Assembly then writes the
//! live statements with the names put in the holes, moving the mappings
//! by the bytes inserted: no tree is parsed or printed again.

use std::collections::{HashMap, HashSet};
use swc_core::common::{Spanned, SyntaxContext, DUMMY_SP};
use swc_core::ecma::ast as j;
use swc_core::ecma::atoms::Atom;
use swc_core::ecma::utils::{find_pat_ids, ExprCtx, ExprExt, StmtExt};
use swc_core::ecma::visit::{VisitMut, VisitMutWith};

/// What a placeholder stands for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Sym {
    /// A binding the module declares at its top level (its name).
    Local(String),
    /// An imported binding: the module's key and the export's name.
    Import { key: String, name: String },
    /// The namespace object of a module (`import * as ns`, used other
    /// than as `ns.x`).
    Namespace(String),
}

/// What an export name of a module leads to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Export {
    /// One of the module's symbols (a local or an import it re-exports).
    Sym(u32),
    /// `export { name as … } from "key"`.
    Reexport { key: String, name: String },
    /// `export * as … from "key"`.
    Namespace(String),
}

/// A top-level statement of a hoisted module: its bytes in the piece's
/// text, whether it may have a side effect, the symbols it declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    pub start: u32,
    pub end: u32,
    pub effects: bool,
    pub declares: Vec<u32>,
    /// Imported symbols whose calls are the statement's only effects: it
    /// has none when each of them is a `/*@__NO_SIDE_EFFECTS__*/`
    /// function (see [`Hoist::no_side_effects`]).
    pub pure_if: Vec<u32>,
}

/// One mapping at a byte offset of a piece's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByteToken {
    pub offset: u32,
    pub src_line: u32,
    pub src_col: u32,
    pub src: u32,
}

/// Everything the linker needs of a hoisted module.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hoist {
    pub symbols: Vec<Sym>,
    pub statements: Vec<Statement>,
    /// (byte offset in the text, symbol), in text order.
    pub holes: Vec<(u32, u32)>,
    pub exports: Vec<(String, Export)>,
    /// Keys of `export * from "…"`, in order.
    pub stars: Vec<String>,
    /// Keys the module requests (imports and re-exports), in source order.
    pub requests: Vec<String>,
    /// Keys of `import("…")` with a literal.
    pub dynamic: Vec<String>,
    /// Every other identifier name the module's code holds (nested
    /// bindings, globals, helpers), as [`name_hash`]es (sorted): a
    /// top-level name must not be one. Hashes keep a piece small; two
    /// names of one hash only cost a rename that was not needed.
    pub reserved: Vec<u64>,
    /// Mappings, by byte offset in the text.
    pub tokens: Vec<ByteToken>,
    /// Top-level functions annotated `/*@__NO_SIDE_EFFECTS__*/`: a call of
    /// one (from any module) may go when its result is unused.
    pub no_side_effects: Vec<u32>,
}

/// A name's hash for [`Hoist::reserved`]: SipHash with fixed keys, the
/// same in every build.
/// The text of one live statement of a hoisted piece (`body`) with the
/// linker's name of each hole (`name` of its symbol) written in, and the
/// statement's tokens at their offsets in that text (shifted by the bytes
/// the names inserted before them), for its mappings.
pub fn fill_statement<'h>(
    body: &str,
    h: &'h Hoist,
    stmt: &Statement,
    name: &mut dyn FnMut(u32) -> String,
) -> (String, Vec<(usize, &'h ByteToken)>) {
    let (a, b) = (stmt.start as usize, stmt.end as usize);
    let mut text = String::with_capacity(b.saturating_sub(a) + 16);
    // (offset in the piece, bytes inserted up to it)
    let mut inserted: Vec<(u32, usize)> = Vec::new();
    let mut at = a;
    let from = h.holes.partition_point(|&(o, _)| o < stmt.start);
    for &(o, sym) in h.holes.get(from..).unwrap_or(&[]) {
        if o >= stmt.end {
            break;
        }
        text.push_str(body.get(at..o as usize).unwrap_or(""));
        let n = name(sym);
        text.push_str(&n);
        let total = inserted.last().map_or(0, |x| x.1) + n.len();
        inserted.push((o, total));
        at = o as usize;
    }
    text.push_str(body.get(at..b).unwrap_or(""));
    let t_from = h.tokens.partition_point(|t| t.offset < stmt.start);
    let mut toks: Vec<(usize, &ByteToken)> = Vec::new();
    let mut k = 0usize;
    for t in h.tokens.get(t_from..).unwrap_or(&[]) {
        if t.offset >= stmt.end {
            break;
        }
        while inserted.get(k).is_some_and(|x| x.0 < t.offset) {
            k += 1;
        }
        let shift = if k == 0 {
            0
        } else {
            inserted.get(k - 1).map_or(0, |x| x.1)
        };
        toks.push(((t.offset - stmt.start) as usize + shift, t));
    }
    (text, toks)
}

pub fn name_hash(name: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    #[allow(deprecated)]
    let mut h = std::hash::SipHasher::new_with_keys(0x736f_6d6f_6e5f_6c69, 0x6e6b_5f72_6573_6572);
    name.hash(&mut h);
    h.finish()
}

/// The placeholder prefix of a module: one its source text does not hold.
pub fn hole_prefix(source: &str) -> String {
    let mut n = 0u32;
    loop {
        let p = format!("__somon_hole{n}_");
        if !source.contains(&p) {
            return p;
        }
        n += 1;
    }
}

fn export_name(n: &j::ModuleExportName) -> String {
    match n {
        j::ModuleExportName::Ident(i) => i.sym.to_string(),
        j::ModuleExportName::Str(s) => s.value.to_string_lossy().into_owned(),
    }
}

/// Result of [`prepare`]: the module's statements (helpers included, in
/// order) and, for each statement that is not a helper, its analysis.
pub struct Prepared {
    pub hoist: Hoist,
    /// Per non-helper statement: (side effects, declared symbols).
    pub analysis: Vec<(bool, Vec<u32>)>,
    /// Per non-helper statement: [`Statement::pure_if`].
    pub pure_if: Vec<Vec<u32>>,
}

/// Turns an ES module (after the resolver) into plain statements with
/// placeholders; see the module documentation. `is_helper` tells swc's
/// inlined helpers (kept as they are, shared by the bundle).
#[allow(clippy::too_many_arguments)]
pub fn prepare(
    module: &mut j::Module,
    bundled: &dyn Fn(&str) -> bool,
    top: SyntaxContext,
    unresolved: SyntaxContext,
    prefix: &str,
    is_helper: &dyn Fn(&j::FnDecl) -> bool,
    is_helper_name: &dyn Fn(&str) -> bool,
    default_kind: j::VarDeclKind,
    no_side_effects: &HashSet<j::Id>,
) -> Prepared {
    let mut hoist = Hoist::default();
    let mut by_id: HashMap<j::Id, u32> = HashMap::new();
    let mut by_sym: HashMap<Sym, u32> = HashMap::new();
    let mut ns_imports: HashMap<j::Id, String> = HashMap::new();
    let mut pending: Vec<(String, j::Id)> = Vec::new();
    let mut stmts: Vec<j::Stmt> = Vec::new();
    let request = |hoist: &mut Hoist, key: &str| {
        if !hoist.requests.iter().any(|r| r == key) {
            hoist.requests.push(key.to_string());
        }
    };
    let intern = |hoist: &mut Hoist, by_sym: &mut HashMap<Sym, u32>, s: Sym| -> u32 {
        if let Some(&i) = by_sym.get(&s) {
            return i;
        }
        let i = hoist.symbols.len() as u32;
        hoist.symbols.push(s.clone());
        by_sym.insert(s, i);
        i
    };
    let default_ident = || j::Ident::new(Atom::from("_default"), DUMMY_SP, top);
    for item in std::mem::take(&mut module.body) {
        let decl = match item {
            j::ModuleItem::Stmt(s) => {
                stmts.push(s);
                continue;
            }
            j::ModuleItem::ModuleDecl(d) => d,
        };
        match decl {
            j::ModuleDecl::Import(d) => {
                if d.type_only {
                    continue;
                }
                let key = d.src.value.to_string_lossy().into_owned();
                request(&mut hoist, &key);
                for s in d.specifiers {
                    match s {
                        j::ImportSpecifier::Named(n) => {
                            if n.is_type_only {
                                continue;
                            }
                            let name = n
                                .imported
                                .as_ref()
                                .map_or_else(|| n.local.sym.to_string(), export_name);
                            let i = intern(
                                &mut hoist,
                                &mut by_sym,
                                Sym::Import {
                                    key: key.clone(),
                                    name,
                                },
                            );
                            by_id.insert(n.local.to_id(), i);
                        }
                        j::ImportSpecifier::Default(d) => {
                            let i = intern(
                                &mut hoist,
                                &mut by_sym,
                                Sym::Import {
                                    key: key.clone(),
                                    name: "default".into(),
                                },
                            );
                            by_id.insert(d.local.to_id(), i);
                        }
                        j::ImportSpecifier::Namespace(n) => {
                            let i = intern(&mut hoist, &mut by_sym, Sym::Namespace(key.clone()));
                            by_id.insert(n.local.to_id(), i);
                            ns_imports.insert(n.local.to_id(), key.clone());
                        }
                    }
                }
            }
            j::ModuleDecl::ExportDecl(d) => {
                for id in decl_ids(&d.decl) {
                    pending.push((id.0.to_string(), id));
                }
                stmts.push(j::Stmt::Decl(d.decl));
            }
            j::ModuleDecl::ExportNamed(n) => {
                if n.type_only {
                    continue;
                }
                match &n.src {
                    Some(src) => {
                        let key = src.value.to_string_lossy().into_owned();
                        request(&mut hoist, &key);
                        for s in &n.specifiers {
                            match s {
                                j::ExportSpecifier::Named(s) if !s.is_type_only => {
                                    let name = export_name(&s.orig);
                                    let exported = s
                                        .exported
                                        .as_ref()
                                        .map_or_else(|| name.clone(), export_name);
                                    hoist.exports.push((
                                        exported,
                                        Export::Reexport {
                                            key: key.clone(),
                                            name,
                                        },
                                    ));
                                }
                                j::ExportSpecifier::Namespace(s) => {
                                    hoist.exports.push((
                                        export_name(&s.name),
                                        Export::Namespace(key.clone()),
                                    ));
                                }
                                j::ExportSpecifier::Default(s) => {
                                    hoist.exports.push((
                                        s.exported.sym.to_string(),
                                        Export::Reexport {
                                            key: key.clone(),
                                            name: "default".into(),
                                        },
                                    ));
                                }
                                j::ExportSpecifier::Named(_) => {}
                            }
                        }
                    }
                    None => {
                        for s in &n.specifiers {
                            if let j::ExportSpecifier::Named(s) = s {
                                if s.is_type_only {
                                    continue;
                                }
                                if let j::ModuleExportName::Ident(orig) = &s.orig {
                                    let exported = s
                                        .exported
                                        .as_ref()
                                        .map_or_else(|| orig.sym.to_string(), export_name);
                                    pending.push((exported, orig.to_id()));
                                }
                            }
                        }
                    }
                }
            }
            j::ModuleDecl::ExportDefaultDecl(d) => match d.decl {
                j::DefaultDecl::Fn(mut f) => {
                    let ident = f.ident.get_or_insert_with(default_ident).clone();
                    pending.push(("default".into(), ident.to_id()));
                    stmts.push(j::Stmt::Decl(j::Decl::Fn(j::FnDecl {
                        ident,
                        declare: false,
                        function: f.function,
                    })));
                }
                j::DefaultDecl::Class(mut c) => {
                    let ident = c.ident.get_or_insert_with(default_ident).clone();
                    pending.push(("default".into(), ident.to_id()));
                    stmts.push(j::Stmt::Decl(j::Decl::Class(j::ClassDecl {
                        ident,
                        declare: false,
                        class: c.class,
                    })));
                }
                j::DefaultDecl::TsInterfaceDecl(_) => {}
            },
            j::ModuleDecl::ExportDefaultExpr(e) => {
                let ident = default_ident();
                pending.push(("default".into(), ident.to_id()));
                stmts.push(j::Stmt::Decl(j::Decl::Var(Box::new(j::VarDecl {
                    span: e.span,
                    ctxt: SyntaxContext::empty(),
                    kind: default_kind,
                    declare: false,
                    decls: vec![j::VarDeclarator {
                        span: e.span,
                        name: j::Pat::Ident(ident.into()),
                        init: Some(e.expr),
                        definite: false,
                    }],
                }))));
            }
            j::ModuleDecl::ExportAll(a) => {
                if a.type_only {
                    continue;
                }
                let key = a.src.value.to_string_lossy().into_owned();
                request(&mut hoist, &key);
                if !hoist.stars.contains(&key) {
                    hoist.stars.push(key);
                }
            }
            _ => {}
        }
    }
    // Top-level bindings, statement by statement.
    let ctx = ExprCtx {
        unresolved_ctxt: unresolved,
        is_unresolved_ref_safe: false,
        in_strict: true,
        remaining_depth: 4,
    };
    let mut analysis = Vec::new();
    let mut pure_if = Vec::new();
    for s in &stmts {
        if let j::Stmt::Decl(j::Decl::Fn(f)) = s {
            if is_helper(f) {
                continue;
            }
        }
        let mut declares = Vec::new();
        if let j::Stmt::Decl(d) = s {
            for id in decl_ids(d) {
                let i = hoist.symbols.len() as u32;
                hoist.symbols.push(Sym::Local(id.0.to_string()));
                // A name declared twice (`var`, functions) is one binding.
                let i = *by_id.entry(id).or_insert(i);
                if i as usize + 1 != hoist.symbols.len() {
                    hoist.symbols.pop();
                }
                declares.push(i);
            }
        }
        let mut effects = statement_effects(s, ctx);
        // The wrapper our lowering writes for an enum or a namespace
        // declares its object; it does nothing else when its body only
        // fills that object.
        // `_define_property(C, "x", value)` after a class (static fields
        // for older targets) belongs to the class `C`.
        if let Some(target) = define_property_target(s, ctx, is_helper_name) {
            if let Some(&i) = by_id.get(&target) {
                effects = false;
                if !declares.contains(&i) {
                    declares.push(i);
                }
            }
        }
        if let Some(target) = wrapper_target(s, ctx) {
            if let Some(&i) = by_id.get(&target) {
                effects = false;
                if !declares.contains(&i) {
                    declares.push(i);
                }
            }
        }
        pure_if.push(if effects {
            calls_of_imports(s, &by_id, &hoist.symbols, ctx)
        } else {
            Vec::new()
        });
        analysis.push((effects, declares));
    }
    for id in no_side_effects {
        if let Some(&i) = by_id.get(id) {
            if matches!(hoist.symbols.get(i as usize), Some(Sym::Local(_))) {
                hoist.no_side_effects.push(i);
            }
        }
    }
    for (name, id) in pending {
        if let Some(&i) = by_id.get(&id) {
            hoist.exports.push((name, Export::Sym(i)));
        }
    }
    let mut rename = Rename {
        by_id: &by_id,
        ns_imports: &ns_imports,
        hoist: &mut hoist,
        by_sym: &mut by_sym,
        prefix,
        top,
        unresolved,
        bundled,
    };
    for s in &mut stmts {
        s.visit_mut_with(&mut rename);
    }
    module.body = stmts.into_iter().map(j::ModuleItem::Stmt).collect();
    Prepared {
        hoist,
        analysis,
        pure_if,
    }
}

/// The imported symbols a statement with effects calls, when those calls
/// are all its effects (it has none once they are taken as pure); else
/// nothing.
fn calls_of_imports(
    s: &j::Stmt,
    by_id: &HashMap<j::Id, u32>,
    symbols: &[Sym],
    ctx: ExprCtx,
) -> Vec<u32> {
    struct Mark<'a> {
        by_id: &'a HashMap<j::Id, u32>,
        symbols: &'a [Sym],
        found: Vec<u32>,
    }
    impl VisitMut for Mark<'_> {
        fn visit_mut_call_expr(&mut self, c: &mut j::CallExpr) {
            c.visit_mut_children_with(self);
            let j::Callee::Expr(callee) = &c.callee else {
                return;
            };
            let j::Expr::Ident(f) = unparen(callee) else {
                return;
            };
            let Some(&i) = self.by_id.get(&f.to_id()) else {
                return;
            };
            if matches!(self.symbols.get(i as usize), Some(Sym::Import { .. })) {
                c.span.lo = swc_core::common::BytePos::PURE;
                if !self.found.contains(&i) {
                    self.found.push(i);
                }
            }
        }
    }
    // Most statements with effects call no import: look before copying.
    struct Calls<'a> {
        by_id: &'a HashMap<j::Id, u32>,
        symbols: &'a [Sym],
        any: bool,
    }
    impl swc_core::ecma::visit::Visit for Calls<'_> {
        fn visit_call_expr(&mut self, c: &j::CallExpr) {
            if self.any {
                return;
            }
            if let j::Callee::Expr(callee) = &c.callee {
                if let j::Expr::Ident(f) = unparen(callee) {
                    let imported = self.by_id.get(&f.to_id()).is_some_and(|&i| {
                        matches!(self.symbols.get(i as usize), Some(Sym::Import { .. }))
                    });
                    if imported {
                        self.any = true;
                        return;
                    }
                }
            }
            swc_core::ecma::visit::VisitWith::visit_children_with(c, self);
        }
    }
    let mut calls = Calls {
        by_id,
        symbols,
        any: false,
    };
    swc_core::ecma::visit::VisitWith::visit_with(s, &mut calls);
    if !calls.any {
        return Vec::new();
    }
    let mut mark = Mark {
        by_id,
        symbols,
        found: Vec::new(),
    };
    let mut copy = s.clone();
    copy.visit_mut_with(&mut mark);
    if mark.found.is_empty() || statement_effects(&copy, ctx) {
        return Vec::new();
    }
    mark.found
}

fn decl_ids(d: &j::Decl) -> Vec<j::Id> {
    match d {
        j::Decl::Fn(f) => vec![f.ident.to_id()],
        j::Decl::Class(c) => vec![c.ident.to_id()],
        j::Decl::Var(v) => find_pat_ids(&v.decls),
        j::Decl::Using(u) => find_pat_ids(&u.decls),
        _ => Vec::new(),
    }
}

/// Whether a top-level statement may do something when it runs besides
/// declaring its names: swc's analysis (a `var` is judged by its
/// initialisers, as `let`), `/*#__PURE__*/` calls aside.
fn statement_effects(s: &j::Stmt, ctx: ExprCtx) -> bool {
    match s {
        j::Stmt::Decl(j::Decl::Var(v)) => v
            .decls
            .iter()
            .any(|d| !d.name.is_ident() || d.init.as_ref().is_some_and(|e| expr_effects(e, ctx))),
        j::Stmt::Decl(j::Decl::Fn(_)) => false,
        j::Stmt::Expr(e) => expr_effects(&e.expr, ctx),
        s => s.may_have_side_effects(ctx),
    }
}

/// swc's analysis, and a `/*#__PURE__*/` call or `new` (swc's class
/// wrappers for old targets carry one) does nothing but evaluate its
/// arguments.
fn expr_effects(e: &j::Expr, ctx: ExprCtx) -> bool {
    let pure_args = |args: &[j::ExprOrSpread]| {
        args.iter()
            .all(|a| a.spread.is_none() && !expr_effects(&a.expr, ctx))
    };
    match unparen(e) {
        j::Expr::Call(c) if c.span.lo.is_pure() => !pure_args(&c.args),
        j::Expr::New(n) if n.span.lo.is_pure() => !n.args.as_deref().is_none_or(pure_args),
        j::Expr::Seq(s) => s.exprs.iter().any(|e| expr_effects(e, ctx)),
        e => e.may_have_side_effects(ctx),
    }
}

/// `_define_property(C, key, value)` with a class `C` declared in the
/// module and keys and values without side effects: `C`.
pub(crate) fn define_property_target(
    s: &j::Stmt,
    ctx: ExprCtx,
    is_helper_name: &dyn Fn(&str) -> bool,
) -> Option<j::Id> {
    let j::Stmt::Expr(e) = s else { return None };
    let j::Expr::Call(call) = unparen(&e.expr) else {
        return None;
    };
    let j::Callee::Expr(callee) = &call.callee else {
        return None;
    };
    let j::Expr::Ident(f) = unparen(callee) else {
        return None;
    };
    if !f.sym.starts_with("_define_property") || !is_helper_name(&f.sym) {
        return None;
    }
    let [target, rest @ ..] = call.args.as_slice() else {
        return None;
    };
    let j::Expr::Ident(target) = unparen(&target.expr) else {
        return None;
    };
    if target.ctxt == ctx.unresolved_ctxt
        || rest
            .iter()
            .any(|a| a.spread.is_some() || a.expr.may_have_side_effects(ctx))
    {
        return None;
    }
    Some(target.to_id())
}

fn unparen(e: &j::Expr) -> &j::Expr {
    match e {
        j::Expr::Paren(p) => unparen(&p.expr),
        e => e,
    }
}

/// `(function (E) { … })(E || (E = {}))` whose body only fills `E` (and
/// objects of its own): the binding `E`.
fn wrapper_target(s: &j::Stmt, ctx: ExprCtx) -> Option<j::Id> {
    let j::Stmt::Expr(e) = s else { return None };
    wrapper_call(&e.expr, ctx, 0)
}

fn wrapper_call(e: &j::Expr, ctx: ExprCtx, depth: usize) -> Option<j::Id> {
    if depth > 32 {
        return None;
    }
    let j::Expr::Call(call) = unparen(e) else {
        return None;
    };
    let j::Callee::Expr(callee) = &call.callee else {
        return None;
    };
    let (params, body): (Vec<&j::Pat>, &[j::Stmt]) = match unparen(callee) {
        j::Expr::Fn(f) => (
            f.function.params.iter().map(|p| &p.pat).collect(),
            f.function.body.as_ref()?.stmts.as_slice(),
        ),
        j::Expr::Arrow(a) => match &*a.body {
            j::ArrowFunctionBody::FunctionBody(b) => {
                (a.params.iter().collect(), b.stmts.as_slice())
            }
            j::ArrowFunctionBody::Expr(_) => return None,
        },
        _ => return None,
    };
    let [j::ExprOrSpread {
        spread: None,
        expr: arg,
    }] = call.args.as_slice()
    else {
        return None;
    };
    let [j::Pat::Ident(param)] = params.as_slice() else {
        return None;
    };
    // `E || (E = {})`
    let j::Expr::Bin(bin) = unparen(arg) else {
        return None;
    };
    if bin.op != j::BinaryOp::LogicalOr {
        return None;
    }
    let (j::Expr::Ident(target), j::Expr::Assign(assign)) =
        (unparen(&bin.left), unparen(&bin.right))
    else {
        return None;
    };
    let assigned = assign.left.as_ident().map(|i| i.to_id());
    let empty = matches!(unparen(&assign.right), j::Expr::Object(o) if o.props.is_empty());
    if assign.op != j::AssignOp::Assign || assigned != Some(target.to_id()) || !empty {
        return None;
    }
    let mut owned: HashSet<j::Id> = HashSet::new();
    owned.insert(param.id.to_id());
    for s in body {
        if !owned_statement(s, &mut owned, ctx, depth) {
            return None;
        }
    }
    Some(target.to_id())
}

/// A statement of a wrapper's body that changes nothing but objects the
/// wrapper owns (its parameter, aliases of it, its own locals).
pub(crate) fn owned_statement(
    s: &j::Stmt,
    owned: &mut HashSet<j::Id>,
    ctx: ExprCtx,
    depth: usize,
) -> bool {
    match s {
        j::Stmt::Decl(j::Decl::Fn(f)) => {
            owned.insert(f.ident.to_id());
            true
        }
        j::Stmt::Decl(j::Decl::Var(v)) => v.decls.iter().all(|d| {
            let j::Pat::Ident(name) = &d.name else {
                return false;
            };
            let fine = match d.init.as_deref().map(unparen) {
                None => true,
                Some(j::Expr::Ident(i)) => {
                    owned.contains(&i.to_id()) || i.ctxt != ctx.unresolved_ctxt
                }
                Some(e) => owned_expr(e, owned, ctx),
            };
            // Only a fresh object or an alias of an owned one is owned.
            let alias = match d.init.as_deref().map(unparen) {
                None => true,
                Some(j::Expr::Ident(i)) => owned.contains(&i.to_id()),
                Some(
                    j::Expr::Object(_) | j::Expr::Array(_) | j::Expr::Fn(_) | j::Expr::Arrow(_),
                ) => true,
                Some(_) => false,
            };
            if alias {
                owned.insert(name.id.to_id());
            }
            fine
        }),
        j::Stmt::Expr(e) => {
            if let Some(inner) = wrapper_call(&e.expr, ctx, depth + 1) {
                return owned.contains(&inner);
            }
            owned_expr(&e.expr, owned, ctx)
        }
        j::Stmt::Empty(_) => true,
        j::Stmt::Return(r) => r.arg.as_deref().is_none_or(|a| owned_expr(a, owned, ctx)),
        _ => false,
    }
}

/// Whether the body of a wrapper function with parameter `param` (before
/// the resolver: every name is taken as bound) changes nothing but
/// objects it owns: the parameter, its aliases and its own locals.
pub(crate) fn fills_only(param: &j::Id, body: &[j::Stmt]) -> bool {
    let ctx = ExprCtx {
        // No name has this context: every name counts as bound.
        unresolved_ctxt: SyntaxContext::from_u32(u32::MAX),
        is_unresolved_ref_safe: false,
        in_strict: true,
        remaining_depth: 4,
    };
    let mut owned: HashSet<j::Id> = HashSet::new();
    owned.insert(param.clone());
    body.iter().all(|s| owned_statement(s, &mut owned, ctx, 0))
}

pub(crate) fn owned_expr(e: &j::Expr, owned: &HashSet<j::Id>, ctx: ExprCtx) -> bool {
    match unparen(e) {
        // A `/*#__PURE__*/` call (a nested wrapper of ours, or annotated in
        // JavaScript) does nothing but evaluate its arguments.
        j::Expr::Call(c) if c.span.lo.is_pure() => c
            .args
            .iter()
            .all(|a| a.spread.is_none() && owned_expr(&a.expr, owned, ctx)),
        j::Expr::Assign(a) if a.op == j::AssignOp::Assign => {
            let target = match &a.left {
                j::AssignTarget::Simple(j::SimpleAssignTarget::Member(m)) => {
                    let obj =
                        matches!(unparen(&m.obj), j::Expr::Ident(i) if owned.contains(&i.to_id()));
                    let prop = match &m.prop {
                        j::MemberProp::Computed(c) => owned_expr(&c.expr, owned, ctx),
                        _ => true,
                    };
                    obj && prop
                }
                _ => false,
            };
            target && owned_expr(&a.right, owned, ctx)
        }
        j::Expr::Seq(s) => s.exprs.iter().all(|e| owned_expr(e, owned, ctx)),
        e => !e.may_have_side_effects(ctx),
    }
}

struct Rename<'a> {
    by_id: &'a HashMap<j::Id, u32>,
    ns_imports: &'a HashMap<j::Id, String>,
    hoist: &'a mut Hoist,
    by_sym: &'a mut HashMap<Sym, u32>,
    prefix: &'a str,
    top: SyntaxContext,
    unresolved: SyntaxContext,
    bundled: &'a dyn Fn(&str) -> bool,
}

impl Rename<'_> {
    fn placeholder(&self, i: u32) -> Atom {
        Atom::from(format!("{}{i}_", self.prefix))
    }

    fn sym_of(&mut self, s: Sym) -> u32 {
        if let Some(&i) = self.by_sym.get(&s) {
            return i;
        }
        let i = self.hoist.symbols.len() as u32;
        self.hoist.symbols.push(s.clone());
        self.by_sym.insert(s, i);
        i
    }
}

impl VisitMut for Rename<'_> {
    fn visit_mut_expr(&mut self, e: &mut j::Expr) {
        // `ns.x` of `import * as ns`: the binding itself.
        if let j::Expr::Member(m) = e {
            if let j::Expr::Ident(obj) = &*m.obj {
                if let Some(key) = self.ns_imports.get(&obj.to_id()) {
                    let name = match &m.prop {
                        j::MemberProp::Ident(p) => Some(p.sym.to_string()),
                        j::MemberProp::Computed(c) => match &*c.expr {
                            j::Expr::Lit(j::Lit::Str(s)) => {
                                Some(s.value.to_string_lossy().into_owned())
                            }
                            _ => None,
                        },
                        j::MemberProp::PrivateName(_) => None,
                    };
                    if let Some(name) = name {
                        let key = key.clone();
                        let i = self.sym_of(Sym::Import { key, name });
                        *e = j::Expr::Ident(j::Ident::new(self.placeholder(i), m.span, self.top));
                        return;
                    }
                }
            }
        }
        // `import("key")` of a bundled module: the bundle's loader.
        if let j::Expr::Call(c) = e {
            if matches!(c.callee, j::Callee::Import(_)) && c.args.len() == 1 {
                if let Some(j::ExprOrSpread { spread: None, expr }) = c.args.first() {
                    if let j::Expr::Lit(j::Lit::Str(s)) = &**expr {
                        let key = s.value.to_string_lossy().into_owned();
                        if (self.bundled)(&key) && !self.hoist.dynamic.contains(&key) {
                            self.hoist.dynamic.push(key);
                        }
                        c.callee = j::Callee::Expr(Box::new(j::Expr::Ident(j::Ident::new(
                            Atom::from("__somon_import"),
                            c.callee.span(),
                            self.unresolved,
                        ))));
                        return;
                    }
                }
            }
        }
        e.visit_mut_children_with(self);
    }

    fn visit_mut_ident(&mut self, i: &mut j::Ident) {
        if let Some(&n) = self.by_id.get(&i.to_id()) {
            i.sym = self.placeholder(n);
            i.ctxt = self.top;
        }
    }

    fn visit_mut_prop(&mut self, p: &mut j::Prop) {
        if let j::Prop::Shorthand(i) = p {
            if self.by_id.contains_key(&i.to_id()) {
                let key = j::PropName::Ident(j::IdentName::new(i.sym.clone(), i.span));
                let mut value = i.clone();
                self.visit_mut_ident(&mut value);
                *p = j::Prop::KeyValue(j::KeyValueProp {
                    key,
                    value: Box::new(j::Expr::Ident(value)),
                });
                return;
            }
        }
        p.visit_mut_children_with(self);
    }

    fn visit_mut_object_pat_prop(&mut self, p: &mut j::ObjectPatProp) {
        if let j::ObjectPatProp::Assign(a) = p {
            if self.by_id.contains_key(&a.key.id.to_id()) {
                let key = j::PropName::Ident(j::IdentName::new(a.key.id.sym.clone(), a.key.span));
                let mut binding = a.key.clone();
                self.visit_mut_ident(&mut binding.id);
                let mut value = j::Pat::Ident(binding);
                if let Some(default) = a.value.take() {
                    let mut default = default;
                    default.visit_mut_with(self);
                    value = j::Pat::Assign(j::AssignPat {
                        span: a.span,
                        left: Box::new(value),
                        right: default,
                    });
                }
                *p = j::ObjectPatProp::KeyValue(j::KeyValuePatProp {
                    key,
                    value: Box::new(value),
                });
                return;
            }
        }
        p.visit_mut_children_with(self);
    }
}

/// Collects every identifier name but the placeholders.
pub struct Names<'a> {
    pub prefix: &'a str,
    pub names: HashSet<Atom>,
}

impl swc_core::ecma::visit::Visit for Names<'_> {
    fn visit_ident(&mut self, i: &j::Ident) {
        if !i.sym.starts_with(self.prefix) {
            self.names.insert(i.sym.clone());
        }
    }
}

/// Cuts the placeholders out of `text` (the module printed): the text
/// without them and the holes (offset in the new text, symbol index).
/// `offsets` (byte offsets in `text`, ascending) are moved along.
pub fn cut_holes(text: &str, prefix: &str, offsets: &mut [u32]) -> (String, Vec<(u32, u32)>) {
    let mut out = String::with_capacity(text.len());
    let mut holes = Vec::new();
    // (original start, removed length) of each placeholder.
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut rest = 0usize;
    while let Some(found) = text.get(rest..).and_then(|t| t.find(prefix)) {
        let start = rest + found;
        let digits_at = start + prefix.len();
        let digits = text
            .get(digits_at..)
            .map_or(0, |t| t.bytes().take_while(u8::is_ascii_digit).count());
        let end = digits_at + digits;
        let index = text.get(digits_at..end).and_then(|d| d.parse::<u32>().ok());
        match (index, text.as_bytes().get(end)) {
            (Some(index), Some(b'_')) => {
                out.push_str(text.get(rest..start).unwrap_or(""));
                holes.push((out.len() as u32, index));
                cuts.push((start, end + 1 - start));
                rest = end + 1;
            }
            _ => {
                out.push_str(text.get(rest..digits_at).unwrap_or(""));
                rest = digits_at;
            }
        }
    }
    out.push_str(text.get(rest..).unwrap_or(""));
    let mut removed = 0usize;
    let mut c = 0usize;
    for o in offsets.iter_mut() {
        while let Some(&(start, len)) = cuts.get(c) {
            if start < *o as usize {
                removed += len;
                c += 1;
            } else {
                break;
            }
        }
        *o = (*o as usize).saturating_sub(removed) as u32;
    }
    (out, holes)
}

/// Byte offsets of (line, UTF-16 column) positions of `text`; positions
/// must be in ascending order.
pub fn byte_offsets(text: &str, positions: &[(u32, u32)]) -> Vec<u32> {
    let mut out = Vec::with_capacity(positions.len());
    let bytes = text.as_bytes();
    let (mut line, mut col, mut at) = (0u32, 0u32, 0usize);
    for &(l, c) in positions {
        while line < l || (line == l && col < c) {
            let Some(&b) = bytes.get(at) else { break };
            if b == b'\n' {
                if line == l {
                    break;
                }
                line += 1;
                col = 0;
                at += 1;
            } else if b == b'\r' {
                if line == l {
                    break;
                }
                line += 1;
                col = 0;
                at += 1;
                if bytes.get(at) == Some(&b'\n') {
                    at += 1;
                }
            } else {
                let ch = text.get(at..).and_then(|t| t.chars().next());
                let Some(ch) = ch else { break };
                col += ch.len_utf16() as u32;
                at += ch.len_utf8();
            }
        }
        out.push(at as u32);
    }
    out
}

/// Where an imported name leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Binding {
    /// A top-level binding of a hoisted module (piece index, symbol).
    Local(usize, u32),
    /// The namespace object of a module.
    Namespace(String),
    /// A property of a module kept in the module table (or outside the
    /// bundle).
    Wrapped { key: String, name: String },
    /// Nothing exports it.
    Missing,
}

/// What the hoisted part of a bundle runs, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// The live statements of a hoisted module (piece index).
    Module(usize),
    /// Loading a module of the table (or the host's) by key.
    Load(String),
}

/// Re-export chains longer than this resolve to nothing (a bound on
/// recursion; real chains are short).
const MAX_CHAIN: usize = 512;

/// Resolves imports across the hoisted modules of a bundle and decides
/// what lives.
pub struct Linker<'a> {
    pub hoists: Vec<Option<&'a Hoist>>,
    pub by_key: HashMap<&'a str, usize>,
}

/// The linker's decisions.
pub struct Plan {
    pub events: Vec<Event>,
    /// Per piece (empty for pieces that are not hoisted): live statements.
    pub live: Vec<Vec<bool>>,
    /// Hoisted modules whose namespace object exists (piece indices, in
    /// order of need).
    pub namespaces: Vec<usize>,
    /// Final names of live top-level bindings.
    pub names: HashMap<(usize, u32), String>,
    /// Variable of each loaded table module.
    pub loads: HashMap<String, usize>,
}

impl<'a> Linker<'a> {
    pub fn new(pieces: &[(&'a str, Option<&'a Hoist>)]) -> Self {
        let mut by_key = HashMap::new();
        for (i, (k, _)) in pieces.iter().enumerate() {
            by_key.entry(*k).or_insert(i);
        }
        Linker {
            hoists: pieces.iter().map(|(_, h)| *h).collect(),
            by_key,
        }
    }

    fn hoisted(&self, key: &str) -> Option<(usize, &'a Hoist)> {
        let &p = self.by_key.get(key)?;
        Some((p, (*self.hoists.get(p)?)?))
    }

    pub fn resolve(&self, key: &str, name: &str) -> Binding {
        self.resolve_at(key, name, 0)
    }

    fn resolve_at(&self, key: &str, name: &str, depth: usize) -> Binding {
        if depth > MAX_CHAIN {
            return Binding::Missing;
        }
        let Some((p, h)) = self.hoisted(key) else {
            return Binding::Wrapped {
                key: key.to_string(),
                name: name.to_string(),
            };
        };
        if let Some((_, e)) = h.exports.iter().find(|(n, _)| n == name) {
            return match e {
                Export::Sym(s) => self.resolve_sym_at(p, *s, depth + 1),
                Export::Reexport { key, name } => self.resolve_at(key, name, depth + 1),
                Export::Namespace(k) => Binding::Namespace(k.clone()),
            };
        }
        if name != "default" {
            for star in &h.stars {
                let b = self.resolve_at(star, name, depth + 1);
                if b != Binding::Missing {
                    return b;
                }
            }
        }
        Binding::Missing
    }

    pub fn resolve_sym(&self, p: usize, s: u32) -> Binding {
        self.resolve_sym_at(p, s, 0)
    }

    fn resolve_sym_at(&self, p: usize, s: u32, depth: usize) -> Binding {
        let Some(h) = self.hoists.get(p).copied().flatten() else {
            return Binding::Missing;
        };
        match h.symbols.get(s as usize) {
            Some(Sym::Local(_)) => Binding::Local(p, s),
            Some(Sym::Import { key, name }) => self.resolve_at(key, name, depth + 1),
            Some(Sym::Namespace(k)) => Binding::Namespace(k.clone()),
            None => Binding::Missing,
        }
    }

    /// Every name a hoisted module exports (its own, then those of its
    /// `export *` modules but `default`), sorted as a namespace object's.
    pub fn export_names(&self, key: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        let mut visited: HashSet<&str> = HashSet::new();
        let mut work: Vec<(&str, bool)> = vec![(key, true)];
        while let Some((k, own)) = work.pop() {
            let Some((_, h)) = self.hoisted(k) else {
                continue;
            };
            if !visited.insert(k) {
                continue;
            }
            for (n, _) in &h.exports {
                if (own || n != "default") && seen.insert(n.clone()) {
                    out.push(n.clone());
                }
            }
            for s in h.stars.iter().rev() {
                work.push((s, false));
            }
        }
        out.sort();
        out
    }

    /// ES module evaluation order from the entry: each module after the
    /// modules it requests, in request order; a table module's load at
    /// the place of its first request.
    pub fn order(&self, entry: &str) -> Vec<Event> {
        self.order_many(&[entry])
    }

    /// [`Linker::order`] from several entries in turn: a module runs once,
    /// for the first entry that reaches it.
    pub fn order_many<'k>(&'k self, entries: &[&'k str]) -> Vec<Event> {
        let mut events = Vec::new();
        let mut visited: HashSet<&str> = HashSet::new();
        for entry in entries {
            let Some((first, _)) = self.hoisted(entry) else {
                continue;
            };
            if !visited.insert(entry) {
                continue;
            }
            self.order_from(first, &mut visited, &mut events);
        }
        events
    }

    fn order_from<'k>(
        &'k self,
        first: usize,
        visited: &mut HashSet<&'k str>,
        events: &mut Vec<Event>,
    ) {
        let mut stack: Vec<(usize, usize)> = vec![(first, 0)];
        while let Some(top) = stack.last_mut() {
            let (p, next) = *top;
            let request = self
                .hoists
                .get(p)
                .copied()
                .flatten()
                .and_then(|h| h.requests.get(next));
            match request {
                Some(key) => {
                    top.1 += 1;
                    if !visited.insert(key.as_str()) {
                        continue;
                    }
                    match self.hoisted(key) {
                        Some((q, _)) => stack.push((q, 0)),
                        None => events.push(Event::Load(key.clone())),
                    }
                }
                None => {
                    stack.pop();
                    events.push(Event::Module(p));
                }
            }
        }
    }

    /// Whether statement `s` of piece `p` may do something: its own
    /// analysis, unless its only effects are calls of imported functions
    /// that are all `/*@__NO_SIDE_EFFECTS__*/`.
    pub fn has_effects(&self, p: usize, s: &Statement) -> bool {
        if !s.effects || s.pure_if.is_empty() {
            return s.effects;
        }
        !s.pure_if.iter().all(|&sym| match self.resolve_sym(p, sym) {
            Binding::Local(q, t) => self
                .hoists
                .get(q)
                .copied()
                .flatten()
                .is_some_and(|h| h.no_side_effects.contains(&t)),
            _ => false,
        })
    }

    /// Decides the live statements (all of them without tree shaking),
    /// the namespace objects and the final names. `required` are the
    /// hoisted modules whose namespace the table's modules or `import()`
    /// need; `reserved` names no top-level binding may take.
    pub fn plan(
        &self,
        entry: &str,
        required: &[String],
        shake: bool,
        reserved: &HashSet<u64>,
    ) -> Plan {
        self.plan_many(&[entry], required, shake, reserved)
    }

    /// [`Linker::plan`] for several entries (code splitting): the
    /// evaluation order of [`Linker::order_many`], every entry's exports
    /// live.
    pub fn plan_many(
        &self,
        entries: &[&str],
        required: &[String],
        shake: bool,
        reserved: &HashSet<u64>,
    ) -> Plan {
        let events = self.order_many(entries);
        let mut live: Vec<Vec<bool>> = self
            .hoists
            .iter()
            .map(|h| vec![!shake; h.map_or(0, |h| h.statements.len())])
            .collect();
        let mut declared: Vec<HashMap<u32, Vec<usize>>> = Vec::with_capacity(self.hoists.len());
        for h in &self.hoists {
            let mut m: HashMap<u32, Vec<usize>> = HashMap::new();
            if let Some(h) = h {
                for (i, s) in h.statements.iter().enumerate() {
                    for d in &s.declares {
                        m.entry(*d).or_default().push(i);
                    }
                }
            }
            declared.push(m);
        }
        let mut work: Vec<(usize, usize)> = Vec::new();
        let mut needs: Vec<Binding> = Vec::new();
        let mut namespaces: Vec<usize> = Vec::new();
        let mut ns_seen: HashSet<usize> = HashSet::new();
        let mut loads: HashMap<String, usize> = HashMap::new();
        for e in &events {
            match e {
                Event::Module(p) => {
                    let Some(l) = live.get_mut(*p) else { continue };
                    let h = self.hoists.get(*p).copied().flatten();
                    for (i, flag) in l.iter_mut().enumerate() {
                        let effects = h
                            .and_then(|h| h.statements.get(i))
                            .is_some_and(|s| self.has_effects(*p, s));
                        if *flag || effects {
                            *flag = true;
                            work.push((*p, i));
                        }
                    }
                }
                Event::Load(k) => {
                    let n = loads.len();
                    loads.entry(k.clone()).or_insert(n);
                }
            }
        }
        for entry in entries {
            needs.push(Binding::Namespace(entry.to_string()));
        }
        for k in required {
            needs.push(Binding::Namespace(k.clone()));
        }
        loop {
            if let Some(b) = needs.pop() {
                match b {
                    Binding::Local(p, s) => {
                        let stmts = declared.get(p).and_then(|m| m.get(&s));
                        for &i in stmts.into_iter().flatten() {
                            if let Some(flag) = live.get_mut(p).and_then(|l| l.get_mut(i)) {
                                if !*flag {
                                    *flag = true;
                                    work.push((p, i));
                                }
                            }
                        }
                    }
                    Binding::Namespace(k) => {
                        if let Some((p, _)) = self.hoisted(&k) {
                            if ns_seen.insert(p) {
                                namespaces.push(p);
                                for n in self.export_names(&k) {
                                    needs.push(self.resolve(&k, &n));
                                }
                            }
                        }
                    }
                    Binding::Wrapped { .. } | Binding::Missing => {}
                }
                continue;
            }
            let Some((p, i)) = work.pop() else { break };
            let Some(h) = self.hoists.get(p).copied().flatten() else {
                continue;
            };
            let Some(s) = h.statements.get(i) else {
                continue;
            };
            let from = h.holes.partition_point(|&(o, _)| o < s.start);
            for &(o, sym) in h.holes.get(from..).unwrap_or(&[]) {
                if o >= s.end {
                    break;
                }
                needs.push(self.resolve_sym(p, sym));
            }
        }
        // Final names, in evaluation order.
        let mut taken: HashSet<String> = HashSet::new();
        let mut names: HashMap<(usize, u32), String> = HashMap::new();
        for e in &events {
            let Event::Module(p) = e else { continue };
            let Some(h) = self.hoists.get(*p).copied().flatten() else {
                continue;
            };
            for (i, s) in h.statements.iter().enumerate() {
                if !live
                    .get(*p)
                    .and_then(|l| l.get(i))
                    .copied()
                    .unwrap_or(false)
                {
                    continue;
                }
                for &d in &s.declares {
                    if names.contains_key(&(*p, d)) {
                        continue;
                    }
                    let base = match h.symbols.get(d as usize) {
                        Some(Sym::Local(n)) => n.as_str(),
                        _ => "_",
                    };
                    let mut name = base.to_string();
                    let mut n = 1;
                    while taken.contains(&name)
                        || reserved.contains(&name_hash(&name))
                        || name.starts_with("__somon_")
                    {
                        name = format!("{base}${n}");
                        n += 1;
                    }
                    taken.insert(name.clone());
                    names.insert((*p, d), name);
                }
            }
        }
        Plan {
            events,
            live,
            namespaces,
            names,
            loads,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holes_are_cut_and_offsets_moved() {
        let p = "__somon_hole0_";
        let text = "const __somon_hole0_3_ = 1;\nf(__somon_hole0_12_, \"__somon_hole0_x\");\n";
        // Offsets: the first placeholder's start, the `f`, the second
        // placeholder's start, the end.
        let mut offsets = [6, 28, 30, text.len() as u32];
        let (out, holes) = cut_holes(text, p, &mut offsets);
        assert_eq!(out, "const  = 1;\nf(, \"__somon_hole0_x\");\n");
        assert_eq!(holes, vec![(6, 3), (14, 12)]);
        assert_eq!(offsets, [6, 12, 14, out.len() as u32]);
    }

    #[test]
    fn byte_offsets_count_utf16_columns() {
        let text = "аб 😀x\ncd";
        assert_eq!(
            byte_offsets(text, &[(0, 0), (0, 3), (0, 5), (1, 1)]),
            vec![0, 5, 9, 12]
        );
    }

    #[test]
    fn the_prefix_avoids_what_the_source_holds() {
        assert_eq!(hole_prefix("x"), "__somon_hole0_");
        assert_eq!(
            hole_prefix("// __somon_hole0_ __somon_hole1_"),
            "__somon_hole2_"
        );
    }

    fn module(requests: &[&str], exports: Vec<(&str, Export)>, stars: &[&str]) -> Hoist {
        Hoist {
            requests: requests.iter().map(|s| s.to_string()).collect(),
            exports: exports
                .into_iter()
                .map(|(n, e)| (n.to_string(), e))
                .collect(),
            stars: stars.iter().map(|s| s.to_string()).collect(),
            ..Hoist::default()
        }
    }

    /// Cycles evaluate each module once, after what it requests (but the
    /// module that closes the cycle); table modules load where first
    /// requested.
    #[test]
    fn evaluation_order_is_es_modules() {
        let main = module(&["a", "cjs", "b"], Vec::new(), &[]);
        let a = module(&["b"], Vec::new(), &[]);
        let b = module(&["a", "cjs"], Vec::new(), &[]);
        let pieces = [
            ("main", Some(&main)),
            ("a", Some(&a)),
            ("b", Some(&b)),
            ("cjs", None),
        ];
        let linker = Linker::new(&pieces);
        assert_eq!(
            linker.order("main"),
            vec![
                Event::Load("cjs".into()),
                Event::Module(2),
                Event::Module(1),
                Event::Module(0)
            ]
        );
    }

    /// Names resolve through re-exports and `export *` (never its
    /// `default`); a name nothing exports is missing.
    #[test]
    fn imports_resolve_through_reexports_and_stars() {
        let mut leaf = module(
            &[],
            vec![("x", Export::Sym(0)), ("default", Export::Sym(1))],
            &[],
        );
        leaf.symbols = vec![Sym::Local("x".into()), Sym::Local("d".into())];
        let mid = module(
            &["leaf"],
            vec![(
                "y",
                Export::Reexport {
                    key: "leaf".into(),
                    name: "x".into(),
                },
            )],
            &["leaf", "cjs"],
        );
        let pieces = [("leaf", Some(&leaf)), ("mid", Some(&mid)), ("cjs", None)];
        let linker = Linker::new(&pieces);
        assert_eq!(linker.resolve("mid", "y"), Binding::Local(0, 0));
        assert_eq!(linker.resolve("mid", "x"), Binding::Local(0, 0));
        assert_eq!(linker.resolve("mid", "default"), Binding::Missing);
        assert_eq!(
            linker.resolve("mid", "z"),
            Binding::Wrapped {
                key: "cjs".into(),
                name: "z".into()
            }
        );
        assert_eq!(linker.export_names("mid"), vec!["x", "y"]);
    }

    /// Only what an entry reaches or what has an effect lives; a name
    /// taken by an earlier module or reserved gets a suffix.
    #[test]
    fn plans_keep_what_is_reached_and_rename_on_collision() {
        // entry: `import { f } from "lib"; f$hole();` (one statement with effects)
        let mut entry = module(&["lib"], Vec::new(), &[]);
        entry.symbols = vec![Sym::Import {
            key: "lib".into(),
            name: "f".into(),
        }];
        entry.statements = vec![Statement {
            start: 0,
            end: 4,
            effects: true,
            declares: Vec::new(),
            pure_if: Vec::new(),
        }];
        entry.holes = vec![(0, 0)];
        // lib: `function f() {}` `function g() {}` `log()`, f and g exported.
        let mut lib = module(&[], vec![("f", Export::Sym(0)), ("g", Export::Sym(1))], &[]);
        lib.symbols = vec![Sym::Local("f".into()), Sym::Local("g".into())];
        lib.statements = vec![
            Statement {
                start: 0,
                end: 10,
                effects: false,
                declares: vec![0],
                pure_if: Vec::new(),
            },
            Statement {
                start: 10,
                end: 20,
                effects: false,
                declares: vec![1],
                pure_if: Vec::new(),
            },
            Statement {
                start: 20,
                end: 30,
                effects: true,
                declares: Vec::new(),
                pure_if: Vec::new(),
            },
        ];
        let pieces = [("entry", Some(&entry)), ("lib", Some(&lib))];
        let linker = Linker::new(&pieces);
        let reserved: HashSet<u64> = [name_hash("f")].into_iter().collect();
        let plan = linker.plan("entry", &[], true, &reserved);
        assert_eq!(plan.live, vec![vec![true], vec![true, false, true]]);
        assert_eq!(plan.names.get(&(1, 0)).map(String::as_str), Some("f$1"));
        assert_eq!(plan.names.get(&(1, 1)), None);
        let kept = linker.plan("entry", &[], false, &HashSet::new());
        assert_eq!(kept.live, vec![vec![true], vec![true, true, true]]);
        assert_eq!(kept.names.get(&(1, 0)).map(String::as_str), Some("f"));

        // `f()` whose only effect is the call of `f`: dropped once `f` is a
        // `/*@__NO_SIDE_EFFECTS__*/` function, kept while it is not.
        if let Some(s) = entry.statements.first_mut() {
            s.pure_if = vec![0];
        }
        let pieces = [("entry", Some(&entry)), ("lib", Some(&lib))];
        let plan = Linker::new(&pieces).plan("entry", &[], true, &HashSet::new());
        assert_eq!(plan.live, vec![vec![true], vec![true, false, true]]);
        lib.no_side_effects = vec![0];
        let pieces = [("entry", Some(&entry)), ("lib", Some(&lib))];
        let plan = Linker::new(&pieces).plan("entry", &[], true, &HashSet::new());
        assert_eq!(plan.live, vec![vec![false], vec![false, false, true]]);
    }
}
