//! Lowering: the SomonScript tree → the swc ECMAScript tree (as an ES
//! module). Types are erased here; enums and namespaces become plain
//! JavaScript; property names go through the method table. Every node gets
//! the swc span of the Somon node it came from, which is what makes the
//! source maps exact. Precedence and parentheses are left to swc's `fixer`,
//! renaming to `hygiene`, module format to swc's module transforms.

use crate::names::property_name;
use somon_diagnostics::Span;
use somon_syntax::ast as s;
use std::collections::HashSet;
use swc_core::common::{BytePos, Span as SwcSpan, SyntaxContext, DUMMY_SP};
use swc_core::ecma::ast as j;
use swc_core::ecma::atoms::Atom;
use swc_core::ecma::transforms::base::helpers::generated::HelperName;
use swc_core::ecma::transforms::base::helpers::HELPERS;

pub struct LowerOptions<'a> {
    /// Rewrite relative module specifiers to the emitted file names
    /// (`./м.som` and `./м` → `./м.js`).
    pub rewrite_specifiers: bool,
    /// Exact replacements of module specifiers (the bundler maps each
    /// import to its module's key in the bundle). Wins over the rewrite.
    pub specifier_map: Option<&'a std::collections::HashMap<String, String>>,
    /// Give imports of `.json` files `with { type: "json" }` (ES module
    /// output).
    pub json_import_attributes: bool,
    /// Imported names that are only types in their module (specifier,
    /// exported name).
    pub type_only_imports: &'a [(String, String)],
    /// Put each class's constructor after its other members, as swc's
    /// class-fields pass does to every class it visits (below es2022): the
    /// output is then the same whether or not that pass has to run.
    pub constructor_last: bool,
    /// Lower public class fields to `_define_property` calls here, as swc's
    /// class-fields pass would (below es2022), with swc's helper context
    /// (the helper is enabled when used): the common forms, see
    /// `fields_to_define_property`. `None`: the pass does it all.
    pub define_property: Option<SyntaxContext>,
}

/// Constructs the lowering emitted that swc's compatibility passes for
/// older targets rewrite: when one is absent, its pass has nothing to do
/// and is skipped.
#[derive(Clone, Copy, Debug, Default)]
pub struct Features {
    /// Class fields lowering left as they are, private names, static
    /// blocks, computed class keys, regular expressions with the `d` flag
    /// (the es2022 passes).
    pub es2022: bool,
    /// `&&=`, `||=`, `??=` (the es2021 pass).
    pub es2021: bool,
    /// What swc's CommonJS pass rewrites besides import and export
    /// declarations (those are seen on the module's top level): `this`
    /// outside every non-arrow function (it becomes `void 0`), `import()`,
    /// `import.meta`.
    pub common_js: bool,
}

fn is_json_specifier(spec: &str) -> bool {
    let path = spec.split(['?', '#']).next().unwrap_or(spec);
    path.len() >= 5
        && path
            .get(path.len() - 5..)
            .is_some_and(|ext| ext.eq_ignore_ascii_case(".json"))
}

/// Every identifier the lowered items mention (references, shorthand
/// properties, export specifiers, and bindings — a shadowing binding keeps
/// an import, which is the safe side). Property names are `IdentName`s in
/// swc and are not counted.
fn value_names_used(items: &[j::ModuleItem]) -> rustc_hash::FxHashSet<Atom> {
    use swc_core::ecma::visit::{Visit, VisitWith};
    // An atom hashes as its precomputed hash (FxHash keeps that cheap);
    // most names are seen again, so they are looked up before being
    // cloned (which touches the atom's reference count).
    struct Names(rustc_hash::FxHashSet<Atom>);
    impl Visit for Names {
        fn visit_ident(&mut self, i: &j::Ident) {
            if !self.0.contains(&i.sym) {
                self.0.insert(i.sym.clone());
            }
        }
    }
    let mut names = Names(Default::default());
    for item in items {
        item.visit_with(&mut names);
    }
    names.0
}

impl LowerOptions<'_> {
    fn map_specifier(&self, spec: &str) -> String {
        if let Some(mapped) = self.specifier_map.and_then(|m| m.get(spec)) {
            return mapped.clone();
        }
        if self.rewrite_specifiers {
            rewrite_specifier(spec)
        } else {
            spec.to_string()
        }
    }
}

pub struct Lowerer<'a> {
    base: u32,
    /// Bytes at the start of the source that swc does not see (a BOM):
    /// no span may point into them.
    skip: u32,
    opts: &'a LowerOptions<'a>,
    /// While lowering an enum's initializers: the enum's name and the
    /// members declared so far, which bare names refer to.
    enum_ctx: Option<(Atom, HashSet<Box<str>>)>,
    /// Names declared only as types (interfaces, aliases) at module level,
    /// so exports of them can be erased like TypeScript does.
    type_only_names: HashSet<Box<str>>,
    tmp_counter: u32,
    /// Non-arrow functions (methods and constructors included) around the
    /// node being lowered: `this` at depth 0 is the module's.
    fn_depth: u32,
    /// What the emitted module contains that compatibility passes rewrite.
    pub features: Features,
    /// The Somon source (spans index into it): string literals whose value
    /// lost a lone surrogate are decoded again from their text.
    source: &'a str,
}

/// A string value with the exact UTF-16 code units of `text` (a literal's
/// source text, or a template's raw text) when `value` may have lost some:
/// a lone surrogate is U+FFFD in the tree's Rust strings.
fn exact_wtf8(value: &str, text: Option<&str>, quoted: bool) -> swc_core::ecma::atoms::Wtf8Atom {
    use swc_core::ecma::atoms::wtf8::Wtf8Buf;
    if value.contains('\u{fffd}') {
        if let Some(units) = text.and_then(|t| somon_syntax::lexer::literal_code_units(t, quoted)) {
            return swc_core::ecma::atoms::Wtf8Atom::from(&*Wtf8Buf::from_ill_formed_utf16(&units));
        }
    }
    value.into()
}

fn atom(s: &str) -> Atom {
    Atom::from(s)
}

fn ident_expr(name: &str, span: SwcSpan) -> j::Expr {
    j::Expr::Ident(j::Ident::new(atom(name), span, SyntaxContext::empty()))
}

fn str_lit(value: &str, span: SwcSpan) -> j::Expr {
    j::Expr::Lit(j::Lit::Str(j::Str {
        span,
        value: value.into(),
        raw: None,
    }))
}

fn member(obj: j::Expr, prop: &str, span: SwcSpan) -> j::Expr {
    j::Expr::Member(j::MemberExpr {
        span,
        obj: Box::new(obj),
        prop: j::MemberProp::Ident(j::IdentName::new(atom(prop), span)),
    })
}

fn computed_member(obj: j::Expr, prop: j::Expr, span: SwcSpan) -> j::Expr {
    j::Expr::Member(j::MemberExpr {
        span,
        obj: Box::new(obj),
        prop: j::MemberProp::Computed(j::ComputedPropName {
            span,
            expr: Box::new(prop),
        }),
    })
}

fn assign(target: j::Expr, value: j::Expr, span: SwcSpan) -> j::Expr {
    let left = match target {
        j::Expr::Member(m) => j::AssignTarget::Simple(j::SimpleAssignTarget::Member(m)),
        j::Expr::Ident(i) => j::AssignTarget::Simple(j::SimpleAssignTarget::Ident(i.into())),
        other => j::AssignTarget::Simple(j::SimpleAssignTarget::Paren(j::ParenExpr {
            span,
            expr: Box::new(other),
        })),
    };
    j::Expr::Assign(j::AssignExpr {
        span,
        op: j::AssignOp::Assign,
        left,
        right: Box::new(value),
    })
}

fn expr_stmt(expr: j::Expr, span: SwcSpan) -> j::Stmt {
    j::Stmt::Expr(j::ExprStmt {
        span,
        expr: Box::new(expr),
    })
}

fn binding(name: &str, span: SwcSpan) -> j::Pat {
    j::Pat::Ident(j::BindingIdent {
        id: j::Ident::new(atom(name), span, SyntaxContext::empty()),
        type_ann: None,
    })
}

fn var_decl(kind: j::VarDeclKind, name: &str, init: Option<j::Expr>, span: SwcSpan) -> j::Stmt {
    j::Stmt::Decl(j::Decl::Var(Box::new(j::VarDecl {
        span,
        ctxt: SyntaxContext::empty(),
        kind,
        declare: false,
        decls: vec![j::VarDeclarator {
            span,
            name: binding(name, span),
            init: init.map(Box::new),
            definite: false,
        }],
    })))
}

/// `вагарна агар` chains longer than this are lowered flat.
const LONG_ELSE_IF_CHAIN: usize = 200;

/// The number of `агар` branches in an `агар … вагарна агар …` chain.
fn else_if_chain_len(mut stmt: &s::Stmt) -> usize {
    let mut n = 0;
    while let s::Stmt::If { alt, .. } = stmt {
        n += 1;
        match alt.as_deref() {
            Some(next) => stmt = next,
            None => break,
        }
    }
    n
}

fn is_type_only_stmt(stmt: &s::Stmt) -> bool {
    matches!(stmt, s::Stmt::Interface(_) | s::Stmt::TypeAlias(_))
}

/// Rewrites a relative module specifier to the file the compiler emits.
pub fn rewrite_specifier(spec: &str) -> String {
    let relative = spec.starts_with("./") || spec.starts_with("../") || spec == "." || spec == "..";
    if !relative {
        return spec.to_string();
    }
    if let Some(stem) = spec.strip_suffix(".som") {
        return format!("{stem}.js");
    }
    let file = spec.rsplit('/').next().unwrap_or("");
    if file.is_empty() || file == "." || file == ".." {
        return spec.to_string();
    }
    if file.contains('.') {
        spec.to_string()
    } else {
        format!("{spec}.js")
    }
}

impl<'a> Lowerer<'a> {
    pub fn new(base: u32, skip: u32, opts: &'a LowerOptions<'a>, source: &'a str) -> Self {
        Lowerer {
            source,
            base,
            skip,
            opts,
            enum_ctx: None,
            type_only_names: HashSet::new(),
            tmp_counter: 0,
            fn_depth: 0,
            features: Features::default(),
        }
    }

    fn sp(&self, s: Span) -> SwcSpan {
        let lo = s.lo.max(self.skip) - self.skip;
        let hi = s.hi.max(self.skip) - self.skip;
        SwcSpan::new(BytePos(self.base + lo), BytePos(self.base + hi.max(lo)))
    }

    fn ident(&self, i: &s::Ident) -> j::Ident {
        j::Ident::new(atom(&i.name), self.sp(i.span), SyntaxContext::empty())
    }

    /// Whether the module `specifier` leads to exports `name` only as a
    /// type.
    fn is_type_only(&self, specifier: &str, name: &str) -> bool {
        let js = crate::names::property_name(name);
        self.opts
            .type_only_imports
            .iter()
            .any(|(s, n)| s == specifier && n == js)
    }

    fn fresh(&mut self, hint: &str) -> String {
        self.tmp_counter += 1;
        format!("_{hint}{}", self.tmp_counter)
    }

    // ============================================================ program

    pub fn lower_program(&mut self, program: &s::Program) -> j::Module {
        for stmt in &program.body {
            match stmt {
                s::Stmt::Interface(i) => {
                    self.type_only_names.insert(i.name.name.clone());
                }
                s::Stmt::TypeAlias(a) => {
                    self.type_only_names.insert(a.name.name.clone());
                }
                s::Stmt::Export(e) => {
                    if let s::ExportDecl::Decl(s::Stmt::Interface(i), _) = &**e {
                        self.type_only_names.insert(i.name.name.clone());
                    }
                    if let s::ExportDecl::Decl(s::Stmt::TypeAlias(a), _) = &**e {
                        self.type_only_names.insert(a.name.name.clone());
                    }
                }
                _ => {}
            }
        }
        // A name that is also a value is not type-only.
        for stmt in &program.body {
            for name in declared_value_names(stmt) {
                self.type_only_names.remove(&*name);
            }
        }
        // Names bound by type-only import specifiers are types here too:
        // `содир { Т }` of them is erased like a local interface's; so are
        // names their module exports only as types.
        for stmt in &program.body {
            if let s::Stmt::Import(i) = stmt {
                for spec in &i.specifiers {
                    if let s::ImportSpecifier::Named {
                        local,
                        is_type,
                        imported,
                    } = spec
                    {
                        if *is_type || i.type_only || self.is_type_only(&i.source, imported.name())
                        {
                            self.type_only_names.insert(local.name.clone());
                        }
                    }
                }
            }
        }
        // Imports are lowered last: a specifier is kept only when its
        // local name is used as a value by the rest of the lowered module
        // (types are already erased there), as TypeScript elides imports
        // under `verbatimModuleSyntax: false`.
        // Everything else is lowered straight into the module's body (one
        // growing list, no list per statement), each import's place noted
        // as the length of the body when it was met.
        let mut body: Vec<j::ModuleItem> = Vec::new();
        let mut imports: Vec<(usize, &s::ImportDecl)> = Vec::new();
        for stmt in &program.body {
            match stmt {
                s::Stmt::Import(i) => imports.push((body.len(), i)),
                _ => self.lower_module_item(stmt, &mut body),
            }
        }
        if !imports.is_empty() {
            let used = value_names_used(&body);
            let mut rest = std::mem::take(&mut body).into_iter();
            body = Vec::with_capacity(rest.len() + imports.len());
            let mut at = 0;
            for (place, import) in imports {
                body.extend(rest.by_ref().take(place.saturating_sub(at)));
                at = place;
                self.lower_import(import, &used, &mut body);
            }
            body.extend(rest);
        }
        j::Module {
            span: self.sp(program.span),
            body,
            shebang: None,
        }
    }

    /// One top-level statement (also of a module emitted statement by
    /// statement, `crate::stream`; an import alone keeps every specifier).
    pub(crate) fn lower_module_item(&mut self, stmt: &s::Stmt, out: &mut Vec<j::ModuleItem>) {
        match stmt {
            s::Stmt::Import(i) => self.lower_import(i, &Default::default(), out),
            s::Stmt::Export(e) => self.lower_export(e, out),
            _ => {
                let mut stmts = Vec::new();
                self.lower_stmt_into(stmt, &mut stmts);
                out.extend(stmts.into_iter().map(j::ModuleItem::Stmt));
            }
        }
    }

    fn specifier(&self, source: &str, span: Span) -> Box<j::Str> {
        let value = self.opts.map_specifier(source);
        Box::new(j::Str {
            span: self.sp(span),
            value: value.as_str().into(),
            raw: None,
        })
    }

    fn export_name(&self, n: &s::ModuleExportName) -> j::ModuleExportName {
        match n {
            s::ModuleExportName::Ident(i) => j::ModuleExportName::Ident(j::Ident::new(
                atom(property_name(&i.name)),
                self.sp(i.span),
                SyntaxContext::empty(),
            )),
            s::ModuleExportName::Str(v, sp) => j::ModuleExportName::Str(j::Str {
                span: self.sp(*sp),
                value: property_name(v).into(),
                raw: None,
            }),
        }
    }

    /// Lowers one import, keeping only the specifiers whose local name is
    /// in `used` (names the module uses as values). A declaration that had
    /// specifiers and keeps none disappears; `ворид "./м";` stays.
    fn lower_import(
        &mut self,
        i: &s::ImportDecl,
        used: &rustc_hash::FxHashSet<Atom>,
        out: &mut Vec<j::ModuleItem>,
    ) {
        if i.type_only {
            return;
        }
        let span = self.sp(i.span);
        let src = self.specifier(&i.source, i.source_span);
        let with = self.import_attributes(&i.source, span);
        let mut specifiers = Vec::new();
        let mut default_local = None;
        for spec in &i.specifiers {
            let local = match spec {
                s::ImportSpecifier::Default(l) | s::ImportSpecifier::Namespace(l) => l,
                s::ImportSpecifier::Named { local, .. } => local,
            };
            if !used.contains(&atom(&local.name)) {
                continue;
            }
            match spec {
                s::ImportSpecifier::Default(local) => default_local = Some(local),
                s::ImportSpecifier::Namespace(local) => {
                    specifiers.push(j::ImportSpecifier::Namespace(j::ImportStarAsSpecifier {
                        span: self.sp(local.span),
                        local: self.ident(local),
                    }))
                }
                s::ImportSpecifier::Named {
                    imported,
                    local,
                    is_type,
                } => {
                    if *is_type {
                        continue;
                    }
                    let imported_name = self.export_name(imported);
                    let same = matches!(&imported_name, j::ModuleExportName::Ident(id) if *id.sym == *local.name);
                    specifiers.push(j::ImportSpecifier::Named(j::ImportNamedSpecifier {
                        span: self.sp(local.span),
                        local: self.ident(local),
                        imported: if same { None } else { Some(imported_name) },
                        is_type_only: false,
                    }));
                }
            }
        }
        let had_named = !i.specifiers.is_empty();
        // A default import reads `default` when the module has one, else the
        // whole module object (decisions.md §3.2): `ns.default ?? ns`.
        let mut default_stmt = None;
        if let Some(local) = default_local {
            let ns_name = match specifiers.iter().find_map(|s| match s {
                j::ImportSpecifier::Namespace(ns) => Some(ns.local.sym.to_string()),
                _ => None,
            }) {
                Some(n) => n,
                None => {
                    let n = self.fresh(&format!("{}_module", local.name));
                    specifiers.push(j::ImportSpecifier::Namespace(j::ImportStarAsSpecifier {
                        span: self.sp(local.span),
                        local: j::Ident::new(atom(&n), self.sp(local.span), SyntaxContext::empty()),
                    }));
                    n
                }
            };
            let lsp = self.sp(local.span);
            let value = j::Expr::Bin(j::BinExpr {
                span: lsp,
                op: j::BinaryOp::NullishCoalescing,
                left: Box::new(member(ident_expr(&ns_name, lsp), "default", lsp)),
                right: Box::new(ident_expr(&ns_name, lsp)),
            });
            default_stmt = Some(var_decl(
                j::VarDeclKind::Const,
                &local.name,
                Some(value),
                lsp,
            ));
        }
        // Named and namespace specifiers cannot share one declaration.
        let (ns, named): (Vec<_>, Vec<_>) = specifiers
            .into_iter()
            .partition(|s| matches!(s, j::ImportSpecifier::Namespace(_)));
        if !had_named || !ns.is_empty() {
            for spec in ns {
                out.push(j::ModuleItem::ModuleDecl(j::ModuleDecl::Import(
                    j::ImportDecl {
                        span,
                        specifiers: vec![spec],
                        src: src.clone(),
                        type_only: false,
                        with: with.clone(),
                        phase: Default::default(),
                    },
                )));
            }
            if !had_named {
                out.push(j::ModuleItem::ModuleDecl(j::ModuleDecl::Import(
                    j::ImportDecl {
                        span,
                        specifiers: Vec::new(),
                        src: src.clone(),
                        type_only: false,
                        with: with.clone(),
                        phase: Default::default(),
                    },
                )));
            }
        }
        if !named.is_empty() {
            out.push(j::ModuleItem::ModuleDecl(j::ModuleDecl::Import(
                j::ImportDecl {
                    span,
                    specifiers: named,
                    src,
                    type_only: false,
                    with: with.clone(),
                    phase: Default::default(),
                },
            )));
        }
        if let Some(stmt) = default_stmt {
            out.push(j::ModuleItem::Stmt(stmt));
        }
    }

    /// `with { type: "json" }` for a JSON module in ES module output
    /// (Node refuses a JSON import without it).
    fn import_attributes(&self, source: &str, span: SwcSpan) -> Option<Box<j::ObjectLit>> {
        if !self.opts.json_import_attributes || !is_json_specifier(source) {
            return None;
        }
        Some(Box::new(j::ObjectLit {
            span,
            props: vec![j::PropOrSpread::Prop(Box::new(j::Prop::KeyValue(
                j::KeyValueProp {
                    key: j::PropName::Ident(j::IdentName::new(atom("type"), span)),
                    value: Box::new(str_lit("json", span)),
                },
            )))],
        }))
    }

    fn export_specifiers(&self, pairs: &[(j::Ident, String)], span: SwcSpan) -> j::ModuleItem {
        j::ModuleItem::ModuleDecl(j::ModuleDecl::ExportNamed(j::NamedExport {
            span,
            specifiers: pairs
                .iter()
                .map(|(local, exported)| {
                    j::ExportSpecifier::Named(j::ExportNamedSpecifier {
                        span,
                        orig: j::ModuleExportName::Ident(local.clone()),
                        exported: if *local.sym == **exported {
                            None
                        } else {
                            Some(j::ModuleExportName::Ident(j::Ident::new(
                                atom(exported),
                                span,
                                SyntaxContext::empty(),
                            )))
                        },
                        is_type_only: false,
                    })
                })
                .collect(),
            src: None,
            type_only: false,
            with: None,
        }))
    }

    fn lower_export(&mut self, e: &s::ExportDecl, out: &mut Vec<j::ModuleItem>) {
        match e {
            s::ExportDecl::Decl(stmt, span) => {
                if is_type_only_stmt(stmt) {
                    return;
                }
                let span = self.sp(*span);
                let mut stmts = Vec::new();
                self.lower_stmt_into(stmt, &mut stmts);
                out.extend(stmts.into_iter().map(j::ModuleItem::Stmt));
                let pairs: Vec<(j::Ident, String)> = declared_value_names_spanned(stmt)
                    .into_iter()
                    .map(|(name, sp)| {
                        let exported = property_name(&name).to_string();
                        (
                            j::Ident::new(atom(&name), self.sp(sp), SyntaxContext::empty()),
                            exported,
                        )
                    })
                    .collect();
                if !pairs.is_empty() {
                    out.push(self.export_specifiers(&pairs, span));
                }
            }
            s::ExportDecl::DefaultDecl(stmt, span) => {
                let span = self.sp(*span);
                match stmt {
                    s::Stmt::Function(f) => {
                        let function = self.lower_function(f);
                        out.push(j::ModuleItem::ModuleDecl(j::ModuleDecl::ExportDefaultDecl(
                            j::ExportDefaultDecl {
                                span,
                                decl: j::DefaultDecl::Fn(j::FnExpr {
                                    ident: f.name.as_ref().map(|n| self.ident(n)),
                                    function: Box::new(function),
                                }),
                            },
                        )));
                    }
                    s::Stmt::Class(c) => {
                        let class = self.lower_class(c);
                        out.push(j::ModuleItem::ModuleDecl(j::ModuleDecl::ExportDefaultDecl(
                            j::ExportDefaultDecl {
                                span,
                                decl: j::DefaultDecl::Class(j::ClassExpr {
                                    ident: c.name.as_ref().map(|n| self.ident(n)),
                                    class: Box::new(class),
                                }),
                            },
                        )));
                    }
                    _ => {}
                }
            }
            s::ExportDecl::DefaultExpr(expr, span) => {
                out.push(j::ModuleItem::ModuleDecl(j::ModuleDecl::ExportDefaultExpr(
                    j::ExportDefaultExpr {
                        span: self.sp(*span),
                        expr: Box::new(self.lower_expr(expr)),
                    },
                )));
            }
            s::ExportDecl::Named {
                specifiers,
                source,
                type_only,
                span,
            } => {
                if *type_only {
                    return;
                }
                let span = self.sp(*span);
                let specs: Vec<j::ExportSpecifier> = specifiers
                    .iter()
                    .filter(|sp| {
                        !sp.is_type
                            && match source {
                                Some((src, _)) => !self.is_type_only(src, sp.orig.name()),
                                None => !self.type_only_names.contains(sp.orig.name()),
                            }
                    })
                    .map(|sp| {
                        // A local binding keeps its name; the exported name is
                        // a property of the module object and is aliased.
                        let orig = match (&sp.orig, source) {
                            (s::ModuleExportName::Ident(i), None) => {
                                j::ModuleExportName::Ident(self.ident(i))
                            }
                            (other, _) => self.export_name(other),
                        };
                        let exported = match &sp.exported {
                            Some(e) => Some(self.export_name(e)),
                            None => {
                                let aliased = self.export_name(&sp.orig);
                                let differs = match (&aliased, &orig) {
                                    (
                                        j::ModuleExportName::Ident(a),
                                        j::ModuleExportName::Ident(o),
                                    ) => a.sym != o.sym,
                                    _ => false,
                                };
                                differs.then_some(aliased)
                            }
                        };
                        j::ExportSpecifier::Named(j::ExportNamedSpecifier {
                            span,
                            orig,
                            exported,
                            is_type_only: false,
                        })
                    })
                    .collect();
                if specs.is_empty() && source.is_none() {
                    return;
                }
                out.push(j::ModuleItem::ModuleDecl(j::ModuleDecl::ExportNamed(
                    j::NamedExport {
                        span,
                        specifiers: specs,
                        src: source.as_ref().map(|(src, sp)| self.specifier(src, *sp)),
                        type_only: false,
                        with: None,
                    },
                )));
            }
            s::ExportDecl::All {
                alias,
                source,
                span,
            } => {
                let span = self.sp(*span);
                let src = self.specifier(&source.0, source.1);
                match alias {
                    None => out.push(j::ModuleItem::ModuleDecl(j::ModuleDecl::ExportAll(
                        j::ExportAll {
                            span,
                            src,
                            type_only: false,
                            with: None,
                        },
                    ))),
                    Some(name) => out.push(j::ModuleItem::ModuleDecl(j::ModuleDecl::ExportNamed(
                        j::NamedExport {
                            span,
                            specifiers: vec![j::ExportSpecifier::Namespace(
                                j::ExportNamespaceSpecifier {
                                    span,
                                    name: self.export_name(name),
                                },
                            )],
                            src: Some(src),
                            type_only: false,
                            with: None,
                        },
                    ))),
                }
            }
        }
    }

    // ========================================================= statements

    fn lower_block(&mut self, b: &s::Block) -> j::BlockStmt {
        let mut stmts = Vec::with_capacity(b.stmts.len());
        for st in &b.stmts {
            self.lower_stmt_into(st, &mut stmts);
        }
        j::BlockStmt {
            span: self.sp(b.span),
            ctxt: SyntaxContext::empty(),
            stmts,
        }
    }

    fn lower_fn_body(&mut self, b: &s::Block) -> j::FunctionBody {
        let mut stmts = Vec::with_capacity(b.stmts.len());
        for st in &b.stmts {
            self.lower_stmt_into(st, &mut stmts);
        }
        j::FunctionBody {
            span: self.sp(b.span),
            stmts,
        }
    }

    /// Lowers a statement that must stay one statement (loop bodies, `if`
    /// branches): several lowered statements become a block.
    /// A long `вагарна агар` chain as a flat labelled block
    /// (`L: { if (а) { …; break L; } if (б) { …; break L; } … }`): the same
    /// meaning, but JavaScript engines parse `else if` chains recursively
    /// and give up after a few thousand branches.
    fn lower_long_else_if_chain(&mut self, st: &s::Stmt, out: &mut Vec<j::Stmt>) {
        let label = j::Ident::new(atom(&self.fresh("агар")), DUMMY_SP, SyntaxContext::empty());
        let whole = match st {
            s::Stmt::If { span, .. } => self.sp(*span),
            _ => DUMMY_SP,
        };
        let mut stmts = Vec::new();
        let mut cur = Some(st);
        while let Some(stmt) = cur.take() {
            match stmt {
                s::Stmt::If {
                    test,
                    cons,
                    alt,
                    span,
                } => {
                    // The branch's head (`агар (…)`): the tree's span runs
                    // to the end of the whole chain, and thousands of
                    // mappings to one far end make source maps slow.
                    let head = Span::new(span.lo, test.span().hi.max(span.lo));
                    let sp = self.sp(head);
                    let cons = self.lower_single_stmt(cons);
                    let exit = j::Stmt::Break(j::BreakStmt {
                        span: sp,
                        label: Some(label.clone()),
                    });
                    stmts.push(j::Stmt::If(j::IfStmt {
                        span: sp,
                        test: Box::new(self.lower_expr(test)),
                        cons: Box::new(j::Stmt::Block(j::BlockStmt {
                            span: sp,
                            ctxt: SyntaxContext::empty(),
                            stmts: vec![cons, exit],
                        })),
                        alt: None,
                    }));
                    cur = alt.as_deref();
                }
                other => stmts.push(self.lower_single_stmt(other)),
            }
        }
        out.push(j::Stmt::Labeled(j::LabeledStmt {
            span: whole,
            label,
            body: Box::new(j::Stmt::Block(j::BlockStmt {
                span: whole,
                ctxt: SyntaxContext::empty(),
                stmts,
            })),
        }));
    }

    fn lower_single_stmt(&mut self, st: &s::Stmt) -> j::Stmt {
        let mut v = Vec::new();
        self.lower_stmt_into(st, &mut v);
        if v.len() == 1 {
            if let Some(one) = v.pop() {
                return one;
            }
        }
        if v.is_empty() {
            return j::Stmt::Empty(j::EmptyStmt { span: DUMMY_SP });
        }
        j::Stmt::Block(j::BlockStmt {
            span: DUMMY_SP,
            ctxt: SyntaxContext::empty(),
            stmts: v,
        })
    }

    fn lower_var_decl(&mut self, d: &s::VarDecl) -> j::VarDecl {
        j::VarDecl {
            span: self.sp(d.span),
            ctxt: SyntaxContext::empty(),
            kind: match d.kind {
                s::VarKind::Let => j::VarDeclKind::Let,
                s::VarKind::Const => j::VarDeclKind::Const,
            },
            declare: false,
            decls: d
                .decls
                .iter()
                .map(|dd| j::VarDeclarator {
                    span: self.sp(dd.span),
                    name: self.lower_pat(&dd.pat),
                    init: dd.init.as_ref().map(|e| Box::new(self.lower_expr(e))),
                    definite: false,
                })
                .collect(),
        }
    }

    pub fn lower_stmt_into(&mut self, st: &s::Stmt, out: &mut Vec<j::Stmt>) {
        let stmt = match st {
            s::Stmt::Var(d) => j::Stmt::Decl(j::Decl::Var(Box::new(self.lower_var_decl(d)))),
            s::Stmt::Function(f) => {
                if f.body.is_none() {
                    return; // overload signature
                }
                let Some(name) = &f.name else { return };
                j::Stmt::Decl(j::Decl::Fn(j::FnDecl {
                    ident: self.ident(name),
                    declare: false,
                    function: Box::new(self.lower_function(f)),
                }))
            }
            s::Stmt::Class(c) => {
                let Some(name) = &c.name else { return };
                let ident = self.ident(name);
                let mut statics = Vec::new();
                let class = self.lower_class_with(c, Some((&ident, &mut statics)));
                out.push(j::Stmt::Decl(j::Decl::Class(j::ClassDecl {
                    ident,
                    declare: false,
                    class: Box::new(class),
                })));
                out.extend(statics);
                return;
            }
            s::Stmt::Interface(_)
            | s::Stmt::TypeAlias(_)
            | s::Stmt::Import(_)
            | s::Stmt::Export(_) => return,
            s::Stmt::Enum(e) => {
                self.lower_enum(e, out);
                return;
            }
            s::Stmt::Namespace(n) => {
                self.lower_namespace(n, out);
                return;
            }
            s::Stmt::Expr(e, span) => expr_stmt(self.lower_expr(e), self.sp(*span)),
            s::Stmt::Block(b) => j::Stmt::Block(self.lower_block(b)),
            s::Stmt::Empty(span) => j::Stmt::Empty(j::EmptyStmt {
                span: self.sp(*span),
            }),
            s::Stmt::If { .. } if else_if_chain_len(st) > LONG_ELSE_IF_CHAIN => {
                self.lower_long_else_if_chain(st, out);
                return;
            }
            s::Stmt::If {
                test,
                cons,
                alt,
                span,
            } => j::Stmt::If(j::IfStmt {
                span: self.sp(*span),
                test: Box::new(self.lower_expr(test)),
                cons: Box::new(self.lower_single_stmt(cons)),
                alt: alt.as_ref().map(|a| Box::new(self.lower_single_stmt(a))),
            }),
            s::Stmt::While { test, body, span } => j::Stmt::While(j::WhileStmt {
                span: self.sp(*span),
                test: Box::new(self.lower_expr(test)),
                body: Box::new(self.lower_single_stmt(body)),
            }),
            s::Stmt::DoWhile { body, test, span } => j::Stmt::DoWhile(j::DoWhileStmt {
                span: self.sp(*span),
                test: Box::new(self.lower_expr(test)),
                body: Box::new(self.lower_single_stmt(body)),
            }),
            s::Stmt::For {
                init,
                test,
                update,
                body,
                span,
            } => j::Stmt::For(j::ForStmt {
                span: self.sp(*span),
                init: init.as_ref().map(|i| match &**i {
                    s::ForInit::Var(d) => {
                        j::VarDeclOrExpr::VarDecl(Box::new(self.lower_var_decl(d)))
                    }
                    s::ForInit::Expr(e) => j::VarDeclOrExpr::Expr(Box::new(self.lower_expr(e))),
                }),
                test: test.as_ref().map(|e| Box::new(self.lower_expr(e))),
                update: update.as_ref().map(|e| Box::new(self.lower_expr(e))),
                body: Box::new(self.lower_single_stmt(body)),
            }),
            s::Stmt::ForIn {
                left,
                right,
                body,
                span,
            } => j::Stmt::ForIn(j::ForInStmt {
                span: self.sp(*span),
                left: self.lower_for_head(left),
                right: Box::new(self.lower_expr(right)),
                body: Box::new(self.lower_single_stmt(body)),
            }),
            s::Stmt::ForOf {
                is_await,
                left,
                right,
                body,
                span,
            } => j::Stmt::ForOf(j::ForOfStmt {
                span: self.sp(*span),
                is_await: *is_await,
                left: self.lower_for_head(left),
                right: Box::new(self.lower_expr(right)),
                body: Box::new(self.lower_single_stmt(body)),
            }),
            s::Stmt::Return { arg, span } => j::Stmt::Return(j::ReturnStmt {
                span: self.sp(*span),
                arg: arg.as_ref().map(|e| Box::new(self.lower_expr(e))),
            }),
            s::Stmt::Break { label, span } => j::Stmt::Break(j::BreakStmt {
                span: self.sp(*span),
                label: label.as_ref().map(|l| self.ident(l)),
            }),
            s::Stmt::Continue { label, span } => j::Stmt::Continue(j::ContinueStmt {
                span: self.sp(*span),
                label: label.as_ref().map(|l| self.ident(l)),
            }),
            s::Stmt::Throw { arg, span } => j::Stmt::Throw(j::ThrowStmt {
                span: self.sp(*span),
                arg: Box::new(self.lower_expr(arg)),
            }),
            s::Stmt::Try {
                block,
                handler,
                finalizer,
                span,
            } => j::Stmt::Try(Box::new(j::TryStmt {
                span: self.sp(*span),
                block: self.lower_block(block),
                handler: handler.as_ref().map(|h| j::CatchClause {
                    span: self.sp(h.span),
                    param: h.param.as_ref().map(|p| self.lower_pat(p)),
                    body: self.lower_block(&h.body),
                }),
                finalizer: finalizer.as_ref().map(|f| self.lower_block(f)),
            })),
            s::Stmt::Switch { disc, cases, span } => j::Stmt::Switch(j::SwitchStmt {
                span: self.sp(*span),
                body_ctxt: SyntaxContext::empty(),
                discriminant: Box::new(self.lower_expr(disc)),
                cases: cases
                    .iter()
                    .map(|c| {
                        let mut cons = Vec::new();
                        for st in &c.cons {
                            self.lower_stmt_into(st, &mut cons);
                        }
                        j::SwitchCase {
                            span: self.sp(c.span),
                            test: c.test.as_ref().map(|t| Box::new(self.lower_expr(t))),
                            cons,
                        }
                    })
                    .collect(),
            }),
            s::Stmt::Labeled { label, body, span } => j::Stmt::Labeled(j::LabeledStmt {
                span: self.sp(*span),
                label: self.ident(label),
                body: Box::new(self.lower_single_stmt(body)),
            }),
        };
        out.push(stmt);
    }

    fn lower_for_head(&mut self, h: &s::ForHead) -> j::ForHead {
        match h {
            s::ForHead::Var(kind, pat, decl_span) => {
                let span = self.sp(*decl_span);
                j::ForHead::VarDecl(Box::new(j::VarDecl {
                    span,
                    ctxt: SyntaxContext::empty(),
                    kind: match kind {
                        s::VarKind::Let => j::VarDeclKind::Let,
                        s::VarKind::Const => j::VarDeclKind::Const,
                    },
                    declare: false,
                    decls: vec![j::VarDeclarator {
                        span: self.sp(pat.span()),
                        name: self.lower_pat(pat),
                        init: None,
                        definite: false,
                    }],
                }))
            }
            s::ForHead::Pat(p) => j::ForHead::Pat(Box::new(self.lower_pat(p))),
        }
    }

    // ===================================================== enums, spaces

    /// `номгӯ Ранг { … }` → TypeScript's enum object with reverse mapping
    /// for numeric members.
    fn lower_enum(&mut self, e: &s::EnumDecl, out: &mut Vec<j::Stmt>) {
        let span = self.sp(e.span);
        let name = e.name.name.to_string();
        let param = name.clone();
        let mut body = Vec::new();
        let mut next: Option<f64> = Some(0.0);
        let mut known: HashSet<Box<str>> = HashSet::new();
        let mut values: Vec<(Box<str>, Option<f64>)> = Vec::new();
        for m in &e.members {
            let (key, kspan) = match &m.name {
                s::PropName::Ident(i) => (property_name(&i.name).to_string(), i.span),
                s::PropName::Str(v, sp) => (v.to_string(), *sp),
                _ => continue,
            };
            let msp = self.sp(m.span);
            let (value, numeric) = match &m.init {
                Some(init) => {
                    let c = const_eval(init, &values);
                    self.enum_ctx = Some((atom(&param), known.clone()));
                    let v = self.lower_expr(init);
                    self.enum_ctx = None;
                    match c {
                        Some(Const::Num(n)) => {
                            next = Some(n + 1.0);
                            (v, Some(n))
                        }
                        Some(Const::Str(_)) => {
                            next = None;
                            (v, None)
                        }
                        None => {
                            next = None;
                            // A computed member is numeric unless it is a string.
                            (v, Some(f64::NAN))
                        }
                    }
                }
                None => match next {
                    Some(n) => {
                        next = Some(n + 1.0);
                        (num(n, msp), Some(n))
                    }
                    None => {
                        // After a computed member: previous + 1.
                        let prev = values
                            .last()
                            .map(|(k, _)| k.to_string())
                            .unwrap_or_default();
                        let v = j::Expr::Bin(j::BinExpr {
                            span: msp,
                            op: j::BinaryOp::Add,
                            left: Box::new(member(ident_expr(&param, msp), &prev, msp)),
                            right: Box::new(num(1.0, msp)),
                        });
                        (v, Some(f64::NAN))
                    }
                },
            };
            let is_string = matches!(&m.init, Some(init) if matches!(const_eval(init, &values), Some(Const::Str(_))));
            let target =
                computed_member(ident_expr(&param, msp), str_lit(&key, self.sp(kspan)), msp);
            let assign_value = assign(target, value, msp);
            let stmt = if is_string {
                assign_value
            } else {
                // Ранг[Ранг["Сурх"] = 0] = "Сурх"
                assign(
                    computed_member(ident_expr(&param, msp), assign_value, msp),
                    str_lit(&key, msp),
                    msp,
                )
            };
            body.push(expr_stmt(stmt, msp));
            let declared_name: Box<str> = match &m.name {
                s::PropName::Ident(i) => i.name.clone(),
                s::PropName::Str(v, _) => v.clone(),
                _ => continue,
            };
            known.insert(declared_name.clone());
            values.push((key.into(), numeric.filter(|n| !n.is_nan())));
        }
        self.emit_iife_object(&name, body, span, out);
    }

    /// `var Н = (function (Н) { …; return Н; })(Н || {});` — merging-safe
    /// like TypeScript's output; `/*#__PURE__*/` when the body only fills
    /// the object (see [`crate::annotations::object_wrapper`]).
    fn emit_iife_object(
        &mut self,
        name: &str,
        body: Vec<j::Stmt>,
        span: SwcSpan,
        out: &mut Vec<j::Stmt>,
    ) {
        let init = crate::annotations::object_wrapper(name, body, span);
        out.push(j::Stmt::Decl(j::Decl::Var(Box::new(j::VarDecl {
            span,
            ctxt: SyntaxContext::empty(),
            kind: j::VarDeclKind::Var,
            declare: false,
            decls: vec![j::VarDeclarator {
                span,
                name: binding(name, span),
                init: Some(Box::new(init)),
                definite: false,
            }],
        }))));
    }

    /// `номфазо Н { содир … }`: the body runs once in a function; exported
    /// members become properties of the namespace object.
    fn lower_namespace(&mut self, n: &s::NamespaceDecl, out: &mut Vec<j::Stmt>) {
        let span = self.sp(n.span);
        let mut path = n.path.iter();
        let Some(first) = path.next() else { return };
        let rest: Vec<&s::Ident> = path.collect();
        let inner = self.namespace_body(&rest, &n.body, span);
        self.emit_iife_object(&first.name, inner_with_name(&first.name, inner), span, out);
    }

    fn namespace_body(
        &mut self,
        rest: &[&s::Ident],
        body: &[s::Stmt],
        span: SwcSpan,
    ) -> Vec<j::Stmt> {
        // The function parameter is the namespace object itself; nested
        // dotted names become nested objects.
        if let Some((head, tail)) = rest.split_first() {
            let inner = self.namespace_body(tail, body, span);
            let mut out = Vec::new();
            self.emit_iife_object(
                &head.name,
                inner_with_name(&head.name, inner),
                span,
                &mut out,
            );
            // Expose the nested namespace on the parent.
            out.push(expr_stmt(
                assign(
                    member(ident_expr(NS_SELF, span), property_name(&head.name), span),
                    ident_expr(&head.name, span),
                    span,
                ),
                span,
            ));
            return out;
        }
        let mut out = Vec::new();
        for st in body {
            match st {
                s::Stmt::Export(e) => {
                    // Other export forms are not valid inside a namespace.
                    if let s::ExportDecl::Decl(decl, dspan) = &**e {
                        if is_type_only_stmt(decl) {
                            continue;
                        }
                        self.lower_stmt_into(decl, &mut out);
                        let dsp = self.sp(*dspan);
                        for (name, _) in declared_value_names_spanned(decl) {
                            out.push(expr_stmt(
                                assign(
                                    member(ident_expr(NS_SELF, dsp), property_name(&name), dsp),
                                    ident_expr(&name, dsp),
                                    dsp,
                                ),
                                dsp,
                            ));
                        }
                    }
                }
                other => self.lower_stmt_into(other, &mut out),
            }
        }
        out
    }

    // ========================================================== functions

    fn lower_params(&mut self, params: &[s::Param]) -> Vec<j::Param> {
        params
            .iter()
            .map(|p| j::Param {
                span: self.sp(p.span),
                decorators: vec![],
                pat: self.lower_pat(&p.pat),
            })
            .collect()
    }

    pub fn lower_function(&mut self, f: &s::Function) -> j::Function {
        self.fn_depth += 1;
        let params = self.lower_params(&f.params);
        let body = f.body.as_ref().map(|b| self.lower_fn_body(b));
        self.fn_depth -= 1;
        j::Function {
            this_param: None,
            params,
            decorators: vec![],
            span: self.sp(f.span),
            ctxt: SyntaxContext::empty(),
            body,
            is_generator: f.is_generator,
            is_async: f.is_async,
            type_params: None,
            return_type: None,
        }
    }

    fn lower_arrow(&mut self, a: &s::Arrow) -> j::Expr {
        let params = a.params.iter().map(|p| self.lower_pat(&p.pat)).collect();
        let body = match &a.body {
            s::ArrowBody::Block(b) => j::ArrowFunctionBody::FunctionBody(self.lower_fn_body(b)),
            s::ArrowBody::Expr(e) => j::ArrowFunctionBody::Expr(Box::new(self.lower_expr(e))),
        };
        j::Expr::Arrow(j::ArrowExpr {
            span: self.sp(a.span),
            ctxt: SyntaxContext::empty(),
            params,
            body: Box::new(body),
            is_async: a.is_async,
            is_generator: false,
            type_params: None,
            return_type: None,
        })
    }

    // ============================================================ classes

    fn prop_name(&mut self, k: &s::PropName) -> j::PropName {
        match k {
            s::PropName::Ident(i) => j::PropName::Ident(j::IdentName::new(
                atom(property_name(&i.name)),
                self.sp(i.span),
            )),
            s::PropName::Str(v, sp) => j::PropName::Str(j::Str {
                span: self.sp(*sp),
                value: exact_wtf8(v, self.source.get(sp.lo as usize..sp.hi as usize), true),
                raw: None,
            }),
            s::PropName::Num(n, sp) => j::PropName::Num(j::Number {
                span: self.sp(*sp),
                value: *n,
                raw: None,
            }),
            s::PropName::BigInt(digits, radix, sp) => j::PropName::BigInt(j::BigInt {
                span: self.sp(*sp),
                value: Box::new(parse_bigint(digits, *radix)),
                raw: None,
            }),
            s::PropName::Computed(e, sp) => j::PropName::Computed(j::ComputedPropName {
                span: self.sp(*sp),
                expr: Box::new(self.lower_expr(e)),
            }),
            // Private names are handled by the member lowering.
            s::PropName::Private(i) => {
                j::PropName::Ident(j::IdentName::new(atom(&i.name), self.sp(i.span)))
            }
        }
    }

    fn private_name(&mut self, i: &s::Ident) -> j::PrivateName {
        self.features.es2022 = true;
        j::PrivateName {
            span: self.sp(i.span),
            name: atom(&i.name),
        }
    }

    pub fn lower_class(&mut self, c: &s::Class) -> j::Class {
        self.lower_class_with(c, None)
    }

    /// A class; for a class declaration, its name and the statements after
    /// it, where static fields may be initialised.
    fn lower_class_with(
        &mut self,
        c: &s::Class,
        decl: Option<(&j::Ident, &mut Vec<j::Stmt>)>,
    ) -> j::Class {
        let mut body = Vec::new();
        let mut has_fields = false;
        for m in &c.members {
            match m {
                s::ClassMember::Constructor { function, span } => {
                    let mut f = self.lower_function(function);
                    // Parameter properties: `this.х = х` after `super(…)`.
                    let assigns: Vec<j::Stmt> = function
                        .params
                        .iter()
                        .filter(|p| p.is_property)
                        .filter_map(|p| match &p.pat {
                            s::Pat::Ident { ident, .. } => Some(ident),
                            s::Pat::Assign { left, .. } => match &**left {
                                s::Pat::Ident { ident, .. } => Some(ident),
                                _ => None,
                            },
                            _ => None,
                        })
                        .map(|ident| {
                            let sp = self.sp(ident.span);
                            expr_stmt(
                                assign(
                                    member(
                                        j::Expr::This(j::ThisExpr { span: sp }),
                                        property_name(&ident.name),
                                        sp,
                                    ),
                                    ident_expr(&ident.name, sp),
                                    sp,
                                ),
                                sp,
                            )
                        })
                        .collect();
                    if let (Some(b), false) = (&mut f.body, assigns.is_empty()) {
                        let at = b.stmts.iter().position(is_super_call).map_or(0, |i| i + 1);
                        for (k, st) in assigns.into_iter().enumerate() {
                            b.stmts.insert(at + k, st);
                        }
                    }
                    if f.body.is_none() {
                        continue;
                    }
                    body.push(j::ClassMember::Constructor(j::Constructor {
                        span: self.sp(*span),
                        ctxt: SyntaxContext::empty(),
                        key: j::PropName::Ident(j::IdentName::new(
                            atom("constructor"),
                            self.sp(*span),
                        )),
                        params: f
                            .params
                            .into_iter()
                            .map(j::ParamOrTsParamProp::Param)
                            .collect(),
                        body: f.body,
                        accessibility: None,
                        is_optional: false,
                    }));
                }
                s::ClassMember::Method {
                    key,
                    kind,
                    function,
                    is_static,
                    is_abstract,
                    span,
                    ..
                } => {
                    if *is_abstract || function.body.is_none() {
                        continue;
                    }
                    let kind = match kind {
                        s::MethodKind::Method => j::MethodKind::Method,
                        s::MethodKind::Getter => j::MethodKind::Getter,
                        s::MethodKind::Setter => j::MethodKind::Setter,
                    };
                    let function = Box::new(self.lower_function(function));
                    if let s::PropName::Private(p) = key {
                        body.push(j::ClassMember::PrivateMethod(j::PrivateMethod {
                            span: self.sp(*span),
                            key: self.private_name(p),
                            function,
                            kind,
                            is_static: *is_static,
                            accessibility: None,
                            is_abstract: false,
                            is_optional: false,
                            is_override: false,
                        }));
                    } else {
                        let key = self.prop_name(key);
                        if matches!(key, j::PropName::Computed(_)) {
                            self.features.es2022 = true;
                        }
                        body.push(j::ClassMember::Method(j::ClassMethod {
                            span: self.sp(*span),
                            key,
                            function,
                            kind,
                            is_static: *is_static,
                            accessibility: None,
                            is_abstract: false,
                            is_optional: false,
                            is_override: false,
                        }));
                    }
                }
                s::ClassMember::Field {
                    key,
                    value,
                    is_static,
                    is_abstract,
                    span,
                    ..
                } => {
                    if *is_abstract {
                        continue;
                    }
                    has_fields = true;
                    let value = value.as_ref().map(|v| Box::new(self.lower_expr(v)));
                    if let s::PropName::Private(p) = key {
                        body.push(j::ClassMember::PrivateProp(j::PrivateProp {
                            span: self.sp(*span),
                            ctxt: SyntaxContext::empty(),
                            key: self.private_name(p),
                            value,
                            type_ann: None,
                            is_static: *is_static,
                            decorators: vec![],
                            accessibility: None,
                            is_optional: false,
                            is_override: false,
                            readonly: false,
                            definite: false,
                        }));
                    } else {
                        let key = self.prop_name(key);
                        body.push(j::ClassMember::ClassProp(j::ClassProp {
                            span: self.sp(*span),
                            key,
                            value,
                            type_ann: None,
                            is_static: *is_static,
                            decorators: vec![],
                            accessibility: None,
                            is_abstract: false,
                            is_optional: false,
                            is_override: false,
                            readonly: false,
                            declare: false,
                            definite: false,
                        }));
                    }
                }
                s::ClassMember::StaticBlock(b) => {
                    self.features.es2022 = true;
                    body.push(j::ClassMember::StaticBlock(j::StaticBlock {
                        span: self.sp(b.span),
                        body: self.lower_block(b),
                    }))
                }
                s::ClassMember::IndexSignature(_) => {}
            }
        }
        let super_class = c.super_class.as_ref().map(|e| Box::new(self.lower_expr(e)));
        let span = self.sp(c.span);
        if has_fields {
            let lowered = match self.opts.define_property {
                Some(helper) => {
                    fields_to_define_property(&mut body, span, super_class.as_deref(), decl, helper)
                }
                None => false,
            };
            if lowered {
                // `define_property` is given only where the helpers are set.
                HELPERS.with(|h| h.enable(HelperName::define_property));
            } else {
                self.features.es2022 = true;
            }
        }
        if self.opts.constructor_last {
            if let Some(i) = body
                .iter()
                .position(|m| matches!(m, j::ClassMember::Constructor(_)))
            {
                let constructor = body.remove(i);
                body.push(constructor);
            }
        }
        j::Class {
            span,
            ctxt: SyntaxContext::empty(),
            decorators: vec![],
            body,
            super_class,
            is_abstract: false,
            type_params: None,
            super_type_params: None,
            implements: vec![],
        }
    }

    // ========================================================== patterns

    pub fn lower_pat(&mut self, p: &s::Pat) -> j::Pat {
        match p {
            s::Pat::Ident { ident, .. } => j::Pat::Ident(j::BindingIdent {
                id: self.ident(ident),
                type_ann: None,
            }),
            s::Pat::Array { elems, span, .. } => j::Pat::Array(j::ArrayPat {
                span: self.sp(*span),
                elems: elems
                    .iter()
                    .map(|e| e.as_ref().map(|p| self.lower_pat(p)))
                    .collect(),
                optional: false,
                type_ann: None,
            }),
            s::Pat::Object { props, span, .. } => j::Pat::Object(j::ObjectPat {
                span: self.sp(*span),
                props: props
                    .iter()
                    .map(|p| self.lower_object_pat_prop(p))
                    .collect(),
                optional: false,
                type_ann: None,
            }),
            s::Pat::Rest { arg, span, .. } => j::Pat::Rest(j::RestPat {
                span: self.sp(*span),
                dot3_token: self.sp(*span),
                arg: Box::new(self.lower_pat(arg)),
                type_ann: None,
            }),
            s::Pat::Assign { left, right, span } => j::Pat::Assign(j::AssignPat {
                span: self.sp(*span),
                left: Box::new(self.lower_pat(left)),
                right: Box::new(self.lower_expr(right)),
            }),
            s::Pat::Expr(e) => j::Pat::Expr(Box::new(self.lower_expr(e))),
        }
    }

    fn lower_object_pat_prop(&mut self, p: &s::ObjectPatProp) -> j::ObjectPatProp {
        match p {
            s::ObjectPatProp::KeyValue { key, value } => {
                j::ObjectPatProp::KeyValue(j::KeyValuePatProp {
                    key: self.prop_name(key),
                    value: Box::new(self.lower_pat(value)),
                })
            }
            s::ObjectPatProp::Shorthand { ident, default } => {
                let alias = property_name(&ident.name);
                if alias != &*ident.name {
                    // `{дарозӣ}` reads `length` into the binding `дарозӣ`.
                    let sp = self.sp(ident.span);
                    let mut value = j::Pat::Ident(j::BindingIdent {
                        id: self.ident(ident),
                        type_ann: None,
                    });
                    if let Some(d) = default {
                        value = j::Pat::Assign(j::AssignPat {
                            span: sp,
                            left: Box::new(value),
                            right: Box::new(self.lower_expr(d)),
                        });
                    }
                    return j::ObjectPatProp::KeyValue(j::KeyValuePatProp {
                        key: j::PropName::Ident(j::IdentName::new(atom(alias), sp)),
                        value: Box::new(value),
                    });
                }
                j::ObjectPatProp::Assign(j::AssignPatProp {
                    span: self.sp(ident.span),
                    key: j::BindingIdent {
                        id: self.ident(ident),
                        type_ann: None,
                    },
                    value: default.as_ref().map(|d| Box::new(self.lower_expr(d))),
                })
            }
            s::ObjectPatProp::Rest(r) => {
                let span = self.sp(r.span());
                j::ObjectPatProp::Rest(j::RestPat {
                    span,
                    dot3_token: span,
                    arg: Box::new(self.lower_pat(r)),
                    type_ann: None,
                })
            }
        }
    }

    fn assign_target(&mut self, p: &s::Pat) -> j::AssignTarget {
        match p {
            s::Pat::Ident { ident, .. } => {
                j::AssignTarget::Simple(j::SimpleAssignTarget::Ident(j::BindingIdent {
                    id: self.ident(ident),
                    type_ann: None,
                }))
            }
            s::Pat::Expr(e) => match self.lower_expr(e) {
                j::Expr::Member(m) => j::AssignTarget::Simple(j::SimpleAssignTarget::Member(m)),
                j::Expr::SuperProp(m) => {
                    j::AssignTarget::Simple(j::SimpleAssignTarget::SuperProp(m))
                }
                j::Expr::Ident(i) => {
                    j::AssignTarget::Simple(j::SimpleAssignTarget::Ident(i.into()))
                }
                j::Expr::Paren(pe) => j::AssignTarget::Simple(j::SimpleAssignTarget::Paren(pe)),
                j::Expr::OptChain(o) => j::AssignTarget::Simple(j::SimpleAssignTarget::OptChain(o)),
                other => j::AssignTarget::Simple(j::SimpleAssignTarget::Paren(j::ParenExpr {
                    span: DUMMY_SP,
                    expr: Box::new(other),
                })),
            },
            other => match self.lower_pat(other) {
                j::Pat::Array(a) => j::AssignTarget::Pat(j::AssignTargetPat::Array(a)),
                j::Pat::Object(o) => j::AssignTarget::Pat(j::AssignTargetPat::Object(o)),
                j::Pat::Ident(i) => j::AssignTarget::Simple(j::SimpleAssignTarget::Ident(i)),
                _ => j::AssignTarget::Simple(j::SimpleAssignTarget::Invalid(j::Invalid {
                    span: DUMMY_SP,
                })),
            },
        }
    }

    // ======================================================== expressions

    fn lower_args(&mut self, args: &[s::ExprOrSpread]) -> Vec<j::ExprOrSpread> {
        args.iter()
            .map(|a| j::ExprOrSpread {
                spread: a.spread.then(|| self.sp(a.expr.span())),
                expr: Box::new(self.lower_expr(&a.expr)),
            })
            .collect()
    }

    fn lower_template(&mut self, t: &s::Template) -> j::Tpl {
        let n = t.quasis.len();
        j::Tpl {
            span: self.sp(t.span),
            exprs: t
                .exprs
                .iter()
                .map(|e| Box::new(self.lower_expr(e)))
                .collect(),
            quasis: t
                .quasis
                .iter()
                .enumerate()
                .map(|(i, q)| j::TplElement {
                    span: self.sp(q.span),
                    tail: i + 1 == n,
                    cooked: q
                        .cooked
                        .as_deref()
                        .map(|c| exact_wtf8(c, Some(&q.raw), false)),
                    raw: atom(&q.raw),
                })
                .collect(),
        }
    }

    /// Wraps a member or call into an optional chain when its object is
    /// one, so `а?.б.в` short-circuits as a whole.
    fn chain(
        &self,
        base: j::OptChainBase,
        optional: bool,
        obj_is_chain: bool,
        span: SwcSpan,
    ) -> j::Expr {
        if optional || obj_is_chain {
            j::Expr::OptChain(j::OptChainExpr {
                span,
                optional,
                base: Box::new(base),
            })
        } else {
            match base {
                j::OptChainBase::Member(m) => j::Expr::Member(m),
                j::OptChainBase::Call(c) => j::Expr::Call(j::CallExpr {
                    span: c.span,
                    ctxt: c.ctxt,
                    callee: j::Callee::Expr(c.callee),
                    args: c.args,
                    type_args: None,
                }),
            }
        }
    }

    pub fn lower_expr(&mut self, e: &s::Expr) -> j::Expr {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.lower_expr_inner(e))
    }

    fn lower_expr_inner(&mut self, e: &s::Expr) -> j::Expr {
        match e {
            s::Expr::Ident(i) => {
                if let Some((enum_name, members)) = &self.enum_ctx {
                    if members.contains(&i.name) {
                        let sp = self.sp(i.span);
                        let obj = j::Expr::Ident(j::Ident::new(
                            enum_name.clone(),
                            sp,
                            SyntaxContext::empty(),
                        ));
                        return member(obj, property_name(&i.name), sp);
                    }
                }
                j::Expr::Ident(self.ident(i))
            }
            s::Expr::This(sp) => {
                if self.fn_depth == 0 {
                    self.features.common_js = true;
                }
                j::Expr::This(j::ThisExpr { span: self.sp(*sp) })
            }
            s::Expr::Super(sp) => {
                // `супер` alone is not an expression; the parser only lets it
                // through as a callee or object, handled below.
                ident_expr("super", self.sp(*sp))
            }
            s::Expr::Null(sp) => j::Expr::Lit(j::Lit::Null(j::Null { span: self.sp(*sp) })),
            s::Expr::Undefined(sp) => ident_expr("undefined", self.sp(*sp)),
            s::Expr::Bool(b, sp) => j::Expr::Lit(j::Lit::Bool(j::Bool {
                span: self.sp(*sp),
                value: *b,
            })),
            s::Expr::Num(n, sp) => num(*n, self.sp(*sp)),
            s::Expr::BigInt {
                digits,
                radix,
                span,
            } => j::Expr::Lit(j::Lit::BigInt(j::BigInt {
                span: self.sp(*span),
                value: Box::new(parse_bigint(digits, *radix)),
                raw: None,
            })),
            s::Expr::Str(v, sp) => j::Expr::Lit(j::Lit::Str(j::Str {
                span: self.sp(*sp),
                value: exact_wtf8(v, self.source.get(sp.lo as usize..sp.hi as usize), true),
                raw: None,
            })),
            s::Expr::Regex {
                pattern,
                flags,
                span,
            } => {
                if flags.contains('d') {
                    self.features.es2022 = true;
                }
                j::Expr::Lit(j::Lit::Regex(j::Regex {
                    span: self.sp(*span),
                    exp: atom(pattern),
                    flags: atom(flags),
                }))
            }
            s::Expr::Template(t) => j::Expr::Tpl(self.lower_template(t)),
            s::Expr::TaggedTemplate { tag, tpl, span, .. } => j::Expr::TaggedTpl(j::TaggedTpl {
                span: self.sp(*span),
                ctxt: SyntaxContext::empty(),
                tag: Box::new(self.lower_expr(tag)),
                type_params: None,
                tpl: Box::new(self.lower_template(tpl)),
            }),
            s::Expr::Array { elems, span } => j::Expr::Array(j::ArrayLit {
                span: self.sp(*span),
                elems: elems
                    .iter()
                    .map(|el| {
                        el.as_ref().map(|a| j::ExprOrSpread {
                            spread: a.spread.then(|| self.sp(a.expr.span())),
                            expr: Box::new(self.lower_expr(&a.expr)),
                        })
                    })
                    .collect(),
            }),
            s::Expr::Object { props, span } => j::Expr::Object(j::ObjectLit {
                span: self.sp(*span),
                props: props.iter().map(|p| self.lower_prop(p)).collect(),
            }),
            s::Expr::Function(f) => j::Expr::Fn(j::FnExpr {
                ident: f.name.as_ref().map(|n| self.ident(n)),
                function: Box::new(self.lower_function(f)),
            }),
            s::Expr::Arrow(a) => self.lower_arrow(a),
            s::Expr::Class(c) => j::Expr::Class(j::ClassExpr {
                ident: c.name.as_ref().map(|n| self.ident(n)),
                class: Box::new(self.lower_class(c)),
            }),
            s::Expr::Unary { op, arg, span } => j::Expr::Unary(j::UnaryExpr {
                span: self.sp(*span),
                op: match op {
                    s::UnaryOp::Not => j::UnaryOp::Bang,
                    s::UnaryOp::Minus => j::UnaryOp::Minus,
                    s::UnaryOp::Plus => j::UnaryOp::Plus,
                    s::UnaryOp::BitNot => j::UnaryOp::Tilde,
                    s::UnaryOp::Typeof => j::UnaryOp::TypeOf,
                    s::UnaryOp::Delete => j::UnaryOp::Delete,
                    s::UnaryOp::Void => j::UnaryOp::Void,
                },
                arg: Box::new(self.lower_expr(arg)),
            }),
            s::Expr::Update {
                op,
                prefix,
                arg,
                span,
            } => j::Expr::Update(j::UpdateExpr {
                span: self.sp(*span),
                op: match op {
                    s::UpdateOp::Incr => j::UpdateOp::PlusPlus,
                    s::UpdateOp::Decr => j::UpdateOp::MinusMinus,
                },
                prefix: *prefix,
                arg: Box::new(self.lower_expr(arg)),
            }),
            s::Expr::Binary {
                op,
                left,
                right,
                span,
            } => j::Expr::Bin(j::BinExpr {
                span: self.sp(*span),
                op: binary_op(*op),
                left: Box::new(self.lower_expr(left)),
                right: Box::new(self.lower_expr(right)),
            }),
            s::Expr::PrivateIn { name, right, span } => j::Expr::Bin(j::BinExpr {
                span: self.sp(*span),
                op: j::BinaryOp::In,
                left: Box::new(j::Expr::PrivateName(self.private_name(name))),
                right: Box::new(self.lower_expr(right)),
            }),
            s::Expr::Assign {
                op,
                target,
                value,
                span,
            } => {
                let left = self.assign_target(target);
                if matches!(
                    op,
                    s::AssignOp::And | s::AssignOp::Or | s::AssignOp::Nullish
                ) {
                    self.features.es2021 = true;
                }
                j::Expr::Assign(j::AssignExpr {
                    span: self.sp(*span),
                    op: assign_op(*op),
                    left,
                    right: Box::new(self.lower_expr(value)),
                })
            }
            s::Expr::Cond {
                test,
                cons,
                alt,
                span,
            } => j::Expr::Cond(j::CondExpr {
                span: self.sp(*span),
                test: Box::new(self.lower_expr(test)),
                cons: Box::new(self.lower_expr(cons)),
                alt: Box::new(self.lower_expr(alt)),
            }),
            s::Expr::Call {
                callee,
                args,
                optional,
                span,
                ..
            } => {
                let sp = self.sp(*span);
                let args = self.lower_args(args);
                if let s::Expr::Super(ssp) = &**callee {
                    return j::Expr::Call(j::CallExpr {
                        span: sp,
                        ctxt: SyntaxContext::empty(),
                        callee: j::Callee::Super(j::Super {
                            span: self.sp(*ssp),
                        }),
                        args,
                        type_args: None,
                    });
                }
                let callee = self.lower_expr(callee);
                let obj_is_chain = matches!(callee, j::Expr::OptChain(_));
                self.chain(
                    j::OptChainBase::Call(j::OptCall {
                        span: sp,
                        ctxt: SyntaxContext::empty(),
                        callee: Box::new(callee),
                        args,
                        type_args: None,
                    }),
                    *optional,
                    obj_is_chain,
                    sp,
                )
            }
            s::Expr::DynImport { arg, span } => {
                self.features.common_js = true;
                let sp = self.sp(*span);
                let arg = match &**arg {
                    s::Expr::Str(v, asp) => str_lit(&self.opts.map_specifier(v), self.sp(*asp)),
                    other => self.lower_expr(other),
                };
                j::Expr::Call(j::CallExpr {
                    span: sp,
                    ctxt: SyntaxContext::empty(),
                    callee: j::Callee::Import(j::Import {
                        span: sp,
                        phase: Default::default(),
                    }),
                    args: vec![j::ExprOrSpread {
                        spread: None,
                        expr: Box::new(arg),
                    }],
                    type_args: None,
                })
            }
            s::Expr::New {
                callee, args, span, ..
            } => j::Expr::New(j::NewExpr {
                span: self.sp(*span),
                ctxt: SyntaxContext::empty(),
                callee: Box::new(self.lower_expr(callee)),
                args: Some(
                    args.as_ref()
                        .map(|a| self.lower_args(a))
                        .unwrap_or_default(),
                ),
                type_args: None,
            }),
            s::Expr::Member {
                obj,
                prop,
                optional,
                span,
            } => {
                let sp = self.sp(*span);
                // Property names are aliased later, after scope resolution,
                // because receiver-specific names (`Ваъда.ҳама`) depend on
                // whether the receiver is a free built-in.
                let prop_j = match prop {
                    s::MemberProp::Ident(i) => {
                        j::MemberProp::Ident(j::IdentName::new(atom(&i.name), self.sp(i.span)))
                    }
                    s::MemberProp::Private(i) => j::MemberProp::PrivateName(self.private_name(i)),
                    s::MemberProp::Computed(e) => j::MemberProp::Computed(j::ComputedPropName {
                        span: self.sp(e.span()),
                        expr: Box::new(self.lower_expr(e)),
                    }),
                };
                if let s::Expr::Super(ssp) = &**obj {
                    let prop = match prop_j {
                        j::MemberProp::Ident(i) => j::SuperProp::Ident(i),
                        j::MemberProp::Computed(c) => j::SuperProp::Computed(c),
                        j::MemberProp::PrivateName(p) => {
                            j::SuperProp::Ident(j::IdentName::new(p.name, p.span))
                        }
                    };
                    return j::Expr::SuperProp(j::SuperPropExpr {
                        span: sp,
                        obj: j::Super {
                            span: self.sp(*ssp),
                        },
                        prop,
                    });
                }
                let obj = self.lower_expr(obj);
                let obj_is_chain = matches!(obj, j::Expr::OptChain(_));
                self.chain(
                    j::OptChainBase::Member(j::MemberExpr {
                        span: sp,
                        obj: Box::new(obj),
                        prop: prop_j,
                    }),
                    *optional,
                    obj_is_chain,
                    sp,
                )
            }
            s::Expr::Seq { exprs, span } => j::Expr::Seq(j::SeqExpr {
                span: self.sp(*span),
                exprs: exprs.iter().map(|e| Box::new(self.lower_expr(e))).collect(),
            }),
            s::Expr::Await { arg, span } => j::Expr::Await(j::AwaitExpr {
                span: self.sp(*span),
                arg: Box::new(self.lower_expr(arg)),
            }),
            s::Expr::Yield {
                arg,
                delegate,
                span,
            } => j::Expr::Yield(j::YieldExpr {
                span: self.sp(*span),
                arg: arg.as_ref().map(|a| Box::new(self.lower_expr(a))),
                delegate: *delegate,
            }),
            s::Expr::Paren { expr, span } => j::Expr::Paren(j::ParenExpr {
                span: self.sp(*span),
                expr: Box::new(self.lower_expr(expr)),
            }),
            s::Expr::As { expr, .. } | s::Expr::NonNull { expr, .. } => self.lower_expr(expr),
            s::Expr::NewTarget(sp) => j::Expr::MetaProp(j::MetaPropExpr {
                span: self.sp(*sp),
                kind: j::MetaPropKind::NewTarget,
            }),
            s::Expr::ImportMeta(sp) => {
                self.features.common_js = true;
                j::Expr::MetaProp(j::MetaPropExpr {
                    span: self.sp(*sp),
                    kind: j::MetaPropKind::ImportMeta,
                })
            }
            s::Expr::Invalid(sp) => j::Expr::Invalid(j::Invalid { span: self.sp(*sp) }),
        }
    }

    fn lower_prop(&mut self, p: &s::Prop) -> j::PropOrSpread {
        match p {
            s::Prop::Spread(e) => j::PropOrSpread::Spread(j::SpreadElement {
                dot3_token: self.sp(e.span()),
                expr: Box::new(self.lower_expr(e)),
            }),
            s::Prop::Shorthand(i) => {
                let alias = property_name(&i.name);
                let prop = if alias != &*i.name {
                    // `{дарозӣ}` is `{length: дарозӣ}`.
                    j::Prop::KeyValue(j::KeyValueProp {
                        key: j::PropName::Ident(j::IdentName::new(atom(alias), self.sp(i.span))),
                        value: Box::new(j::Expr::Ident(self.ident(i))),
                    })
                } else {
                    j::Prop::Shorthand(self.ident(i))
                };
                j::PropOrSpread::Prop(Box::new(prop))
            }
            s::Prop::KeyValue { key, value } => {
                j::PropOrSpread::Prop(Box::new(j::Prop::KeyValue(j::KeyValueProp {
                    key: self.prop_name(key),
                    value: Box::new(self.lower_expr(value)),
                })))
            }
            s::Prop::Method {
                key,
                kind,
                function,
            } => {
                let key = self.prop_name(key);
                let f = self.lower_function(function);
                let span = f.span;
                let function = Box::new(f);
                let prop = match kind {
                    s::MethodKind::Method => j::Prop::Method(j::MethodProp { key, function }),
                    s::MethodKind::Getter => j::Prop::Getter(j::GetterProp {
                        span,
                        key,
                        function,
                    }),
                    s::MethodKind::Setter => j::Prop::Setter(j::SetterProp {
                        span,
                        key,
                        function,
                    }),
                };
                j::PropOrSpread::Prop(Box::new(prop))
            }
        }
    }
}

/// The parameter name a namespace body uses for its own object.
const NS_SELF: &str = "__somon_ns";

/// Adds the `Н.x = x` target binding: namespace bodies refer to their
/// object through [`NS_SELF`], bound to the namespace's own parameter.
fn inner_with_name(name: &str, mut body: Vec<j::Stmt>) -> Vec<j::Stmt> {
    body.insert(
        0,
        var_decl(
            j::VarDeclKind::Const,
            NS_SELF,
            Some(ident_expr(name, DUMMY_SP)),
            DUMMY_SP,
        ),
    );
    body
}

fn is_super_call(st: &j::Stmt) -> bool {
    matches!(st, j::Stmt::Expr(j::ExprStmt { expr, .. }) if matches!(&**expr, j::Expr::Call(j::CallExpr { callee: j::Callee::Super(_), .. })))
}

fn num(n: f64, span: SwcSpan) -> j::Expr {
    if n < 0.0 || (n == 0.0 && n.is_sign_negative()) {
        return j::Expr::Unary(j::UnaryExpr {
            span,
            op: j::UnaryOp::Minus,
            arg: Box::new(j::Expr::Lit(j::Lit::Num(j::Number {
                span,
                value: -n,
                raw: None,
            }))),
        });
    }
    j::Expr::Lit(j::Lit::Num(j::Number {
        span,
        value: n,
        raw: None,
    }))
}

fn parse_bigint(digits: &str, radix: u32) -> j::BigIntValue {
    j::BigIntValue::parse_bytes(digits.as_bytes(), radix).unwrap_or_default()
}

fn binary_op(op: s::BinaryOp) -> j::BinaryOp {
    use j::BinaryOp as J;
    use s::BinaryOp as S;
    match op {
        S::Add => J::Add,
        S::Sub => J::Sub,
        S::Mul => J::Mul,
        S::Div => J::Div,
        S::Mod => J::Mod,
        S::Exp => J::Exp,
        S::Lt => J::Lt,
        S::Gt => J::Gt,
        S::LtEq => J::LtEq,
        S::GtEq => J::GtEq,
        S::EqEq => J::EqEq,
        S::NotEq => J::NotEq,
        S::EqEqEq => J::EqEqEq,
        S::NotEqEq => J::NotEqEq,
        S::BitAnd => J::BitAnd,
        S::BitOr => J::BitOr,
        S::BitXor => J::BitXor,
        S::Shl => J::LShift,
        S::Shr => J::RShift,
        S::UShr => J::ZeroFillRShift,
        S::And => J::LogicalAnd,
        S::Or => J::LogicalOr,
        S::Nullish => J::NullishCoalescing,
        S::In => J::In,
        S::Instanceof => J::InstanceOf,
    }
}

fn assign_op(op: s::AssignOp) -> j::AssignOp {
    use j::AssignOp as J;
    use s::AssignOp as S;
    match op {
        S::Assign => J::Assign,
        S::Add => J::AddAssign,
        S::Sub => J::SubAssign,
        S::Mul => J::MulAssign,
        S::Div => J::DivAssign,
        S::Mod => J::ModAssign,
        S::Exp => J::ExpAssign,
        S::BitAnd => J::BitAndAssign,
        S::BitOr => J::BitOrAssign,
        S::BitXor => J::BitXorAssign,
        S::Shl => J::LShiftAssign,
        S::Shr => J::RShiftAssign,
        S::UShr => J::ZeroFillRShiftAssign,
        S::And => J::AndAssign,
        S::Or => J::OrAssign,
        S::Nullish => J::NullishAssign,
    }
}

enum Const {
    Num(f64),
    Str(String),
}

/// Constant value of an enum initializer, for auto-increment and for
/// telling string members (no reverse mapping) from numeric ones.
fn const_eval(e: &s::Expr, members: &[(Box<str>, Option<f64>)]) -> Option<Const> {
    let n = |e: &s::Expr| match const_eval(e, members) {
        Some(Const::Num(v)) => Some(v),
        _ => None,
    };
    Some(match e {
        s::Expr::Num(v, _) => Const::Num(*v),
        s::Expr::Str(v, _) => Const::Str(v.to_string()),
        s::Expr::Template(t) if t.exprs.is_empty() => {
            Const::Str(t.quasis.first()?.cooked.as_deref()?.to_string())
        }
        s::Expr::Paren { expr, .. } => return const_eval(expr, members),
        s::Expr::Ident(i) => {
            let key = property_name(&i.name);
            Const::Num(members.iter().find(|(k, _)| &**k == key)?.1?)
        }
        s::Expr::Unary { op, arg, .. } => {
            let v = n(arg)?;
            Const::Num(match op {
                s::UnaryOp::Minus => -v,
                s::UnaryOp::Plus => v,
                s::UnaryOp::BitNot => !(v as i64 as i32) as f64,
                _ => return None,
            })
        }
        s::Expr::Binary {
            op, left, right, ..
        } => {
            if let (Some(Const::Str(a)), Some(Const::Str(b))) =
                (const_eval(left, members), const_eval(right, members))
            {
                if *op == s::BinaryOp::Add {
                    return Some(Const::Str(a + &b));
                }
                return None;
            }
            let (a, b) = (n(left)?, n(right)?);
            let (ai, bi) = (a as i64 as i32, b as i64 as i32);
            Const::Num(match op {
                s::BinaryOp::Add => a + b,
                s::BinaryOp::Sub => a - b,
                s::BinaryOp::Mul => a * b,
                s::BinaryOp::Div => a / b,
                s::BinaryOp::Mod => a % b,
                s::BinaryOp::Exp => a.powf(b),
                s::BinaryOp::BitOr => (ai | bi) as f64,
                s::BinaryOp::BitAnd => (ai & bi) as f64,
                s::BinaryOp::BitXor => (ai ^ bi) as f64,
                s::BinaryOp::Shl => ai.wrapping_shl(bi as u32 & 31) as f64,
                s::BinaryOp::Shr => ai.wrapping_shr(bi as u32 & 31) as f64,
                s::BinaryOp::UShr => ((ai as u32) >> (bi as u32 & 31)) as f64,
                _ => return None,
            })
        }
        _ => return None,
    })
}

/// Value names a declaration introduces (for exports).
pub(crate) fn declared_value_names(stmt: &s::Stmt) -> Vec<Box<str>> {
    declared_value_names_spanned(stmt)
        .into_iter()
        .map(|(n, _)| n)
        .collect()
}

fn declared_value_names_spanned(stmt: &s::Stmt) -> Vec<(Box<str>, Span)> {
    let mut out = Vec::new();
    match stmt {
        s::Stmt::Var(d) => {
            for dd in &d.decls {
                pat_names(&dd.pat, &mut out);
            }
        }
        s::Stmt::Function(f) if f.body.is_some() => {
            if let Some(n) = &f.name {
                out.push((n.name.clone(), n.span));
            }
        }
        s::Stmt::Class(c) => {
            if let Some(n) = &c.name {
                out.push((n.name.clone(), n.span));
            }
        }
        s::Stmt::Enum(e) => out.push((e.name.name.clone(), e.name.span)),
        s::Stmt::Namespace(n) => {
            if let Some(first) = n.path.first() {
                out.push((first.name.clone(), first.span));
            }
        }
        s::Stmt::Export(e) => {
            if let s::ExportDecl::Decl(inner, _) = &**e {
                out.extend(declared_value_names_spanned(inner));
            }
        }
        _ => {}
    }
    out
}

fn pat_names(p: &s::Pat, out: &mut Vec<(Box<str>, Span)>) {
    match p {
        s::Pat::Ident { ident, .. } => out.push((ident.name.clone(), ident.span)),
        s::Pat::Array { elems, .. } => elems.iter().flatten().for_each(|e| pat_names(e, out)),
        s::Pat::Object { props, .. } => {
            for prop in props {
                match prop {
                    s::ObjectPatProp::KeyValue { value, .. } => pat_names(value, out),
                    s::ObjectPatProp::Shorthand { ident, .. } => {
                        out.push((ident.name.clone(), ident.span))
                    }
                    s::ObjectPatProp::Rest(r) => pat_names(r, out),
                }
            }
        }
        s::Pat::Rest { arg, .. } => pat_names(arg, out),
        s::Pat::Assign { left, .. } => pat_names(left, out),
        s::Pat::Expr(_) => {}
    }
}

/// What swc's class-fields pass does to a class whose only fields are
/// public ones with a name or string key (below es2022): instance fields
/// become `_define_property(this, "к", value)` after the constructor's
/// `super(…)` (first in a base class's), static ones
/// `_define_property(Class, "к", value)` statements after a class
/// declaration, and a base class without a constructor gets `constructor()
/// {}`. Returns false, changing nothing, for every other class (class
/// expressions, private members, computed keys, static blocks, a derived
/// class without a constructor, values that use `super`, `new.target` or
/// classes, static values that use `this`, a value naming a binding of the
/// constructor it would move into…): the pass lowers those.
fn fields_to_define_property(
    body: &mut Vec<j::ClassMember>,
    class_span: SwcSpan,
    super_class: Option<&j::Expr>,
    decl: Option<(&j::Ident, &mut Vec<j::Stmt>)>,
    helper: SyntaxContext,
) -> bool {
    use swc_core::ecma::visit::{Visit, VisitWith};

    /// The names a field value mentions, and whether it has what the pass
    /// rewrites in values (or what this lowering leaves to it).
    #[derive(Default)]
    struct ValueScan {
        names: rustc_hash::FxHashSet<Atom>,
        this: bool,
        other: bool,
    }
    impl Visit for ValueScan {
        fn visit_ident(&mut self, i: &j::Ident) {
            self.names.insert(i.sym.clone());
        }
        fn visit_this_expr(&mut self, _: &j::ThisExpr) {
            self.this = true;
        }
        fn visit_super(&mut self, _: &j::Super) {
            self.other = true;
        }
        fn visit_meta_prop_expr(&mut self, _: &j::MetaPropExpr) {
            self.other = true;
        }
        fn visit_class(&mut self, _: &j::Class) {
            self.other = true;
        }
        fn visit_private_name(&mut self, _: &j::PrivateName) {
            self.other = true;
        }
    }

    /// Every name the constructor binds anywhere, and its `super(…)` calls.
    #[derive(Default)]
    struct ConstructorScan {
        bound: rustc_hash::FxHashSet<Atom>,
        super_calls: usize,
    }
    impl Visit for ConstructorScan {
        fn visit_binding_ident(&mut self, b: &j::BindingIdent) {
            self.bound.insert(b.id.sym.clone());
        }
        fn visit_fn_decl(&mut self, f: &j::FnDecl) {
            self.bound.insert(f.ident.sym.clone());
            f.visit_children_with(self);
        }
        fn visit_fn_expr(&mut self, f: &j::FnExpr) {
            if let Some(i) = &f.ident {
                self.bound.insert(i.sym.clone());
            }
            f.visit_children_with(self);
        }
        fn visit_class_decl(&mut self, c: &j::ClassDecl) {
            self.bound.insert(c.ident.sym.clone());
            c.visit_children_with(self);
        }
        fn visit_class_expr(&mut self, c: &j::ClassExpr) {
            if let Some(i) = &c.ident {
                self.bound.insert(i.sym.clone());
            }
            c.visit_children_with(self);
        }
        fn visit_callee(&mut self, c: &j::Callee) {
            if matches!(c, j::Callee::Super(_)) {
                self.super_calls += 1;
            }
            c.visit_children_with(self);
        }
    }

    // The pass names class expressions (`_class`, also an anonymous
    // default export's) and turns one that is an arrow's body into a
    // declaration: it lowers those.
    let Some((class_ident, after)) = decl else {
        return false;
    };
    let has_super = super_class.is_some();
    let mut instance_names = rustc_hash::FxHashSet::default();
    let mut constructor = None;
    for (i, member) in body.iter().enumerate() {
        match member {
            j::ClassMember::Constructor(_) => constructor = Some(i),
            j::ClassMember::Method(m) if !matches!(m.key, j::PropName::Computed(_)) => {}
            j::ClassMember::ClassProp(p)
                if matches!(p.key, j::PropName::Ident(_) | j::PropName::Str(_)) =>
            {
                // The pass gives a static field's superclass a name unless
                // it is a name already.
                if p.is_static && super_class.is_some_and(|e| !matches!(e, j::Expr::Ident(_))) {
                    return false;
                }
                let mut scan = ValueScan::default();
                p.value.visit_with(&mut scan);
                if scan.other || (p.is_static && scan.this) {
                    return false;
                }
                if !p.is_static {
                    instance_names.extend(scan.names);
                }
            }
            _ => return false,
        }
    }
    // The constructor's `super(…)` statement, or the index to insert at.
    let mut super_stmt = None;
    match constructor.and_then(|i| body.get(i)) {
        Some(j::ClassMember::Constructor(c)) => {
            let mut scan = ConstructorScan::default();
            c.params.visit_with(&mut scan);
            c.body.visit_with(&mut scan);
            if instance_names.iter().any(|n| scan.bound.contains(n)) {
                return false;
            }
            let stmts = c.body.as_ref().map_or(&[][..], |b| &b.stmts[..]);
            if has_super {
                super_stmt = stmts.iter().position(|st| {
                    matches!(st, j::Stmt::Expr(e)
                        if matches!(&*e.expr, j::Expr::Call(call) if matches!(call.callee, j::Callee::Super(_))))
                });
                if scan.super_calls != 1 || super_stmt.is_none() {
                    return false;
                }
            } else if scan.super_calls != 0 {
                return false;
            }
        }
        _ if has_super => return false,
        _ => {}
    }

    let define = |target: j::Expr, key: j::PropName, value: Option<Box<j::Expr>>, span| {
        let key = match key {
            j::PropName::Ident(i) => j::Expr::Lit(j::Lit::Str(j::Str {
                span: i.span,
                raw: None,
                value: i.sym.into(),
            })),
            j::PropName::Str(s) => j::Expr::Lit(j::Lit::Str(s)),
            // Only name and string keys get here.
            _ => j::Expr::Invalid(j::Invalid { span: DUMMY_SP }),
        };
        let value = value.unwrap_or_else(|| j::Expr::undefined(span));
        j::Expr::Call(j::CallExpr {
            span,
            ctxt: SyntaxContext::empty(),
            callee: j::Callee::Expr(Box::new(j::Expr::Ident(j::Ident::new(
                atom("_define_property"),
                DUMMY_SP,
                helper,
            )))),
            args: vec![
                j::ExprOrSpread {
                    spread: None,
                    expr: Box::new(target),
                },
                j::ExprOrSpread {
                    spread: None,
                    expr: Box::new(key),
                },
                j::ExprOrSpread {
                    spread: None,
                    expr: value,
                },
            ],
            type_args: None,
        })
    };
    let mut inits = Vec::new();
    let mut statics = Vec::new();
    body.retain_mut(|member| {
        let j::ClassMember::ClassProp(p) = member else {
            return true;
        };
        let key = std::mem::replace(&mut p.key, j::PropName::Ident(j::IdentName::default()));
        if p.is_static {
            let class = j::Expr::Ident(class_ident.clone());
            let call = define(class, key, p.value.take(), p.span);
            statics.push(j::Stmt::Expr(j::ExprStmt {
                span: p.span,
                expr: Box::new(call),
            }));
        } else {
            let this = j::Expr::This(j::ThisExpr { span: DUMMY_SP });
            inits.push(Box::new(define(this, key, p.value.take(), p.span)));
        }
        false
    });
    after.extend(statics);
    if inits.is_empty() {
        return true;
    }
    let constructor = match constructor {
        // The fields were removed before it: it moved up by as many.
        Some(_) => body.iter_mut().find_map(|m| match m {
            j::ClassMember::Constructor(c) => Some(c),
            _ => None,
        }),
        None => {
            body.push(j::ClassMember::Constructor(
                swc_core::ecma::utils::default_constructor_with_span(false, class_span),
            ));
            match body.last_mut() {
                Some(j::ClassMember::Constructor(c)) => Some(c),
                _ => None,
            }
        }
    };
    let Some(stmts) = constructor
        .and_then(|c| c.body.as_mut())
        .map(|b| &mut b.stmts)
    else {
        return true;
    };
    match super_stmt.and_then(|i| stmts.get_mut(i)) {
        Some(j::Stmt::Expr(e)) => {
            // `super(…), _define_property(this, …), …;`
            let call = std::mem::replace(
                &mut *e.expr,
                j::Expr::Invalid(j::Invalid { span: DUMMY_SP }),
            );
            let mut exprs = Vec::with_capacity(inits.len() + 1);
            exprs.push(Box::new(call));
            exprs.extend(inits);
            *e.expr = j::Expr::Seq(j::SeqExpr {
                span: DUMMY_SP,
                exprs,
            });
        }
        _ => {
            stmts.splice(
                0..0,
                inits.into_iter().map(|e| {
                    j::Stmt::Expr(j::ExprStmt {
                        span: swc_core::common::Spanned::span(&*e),
                        expr: e,
                    })
                }),
            );
        }
    }
    true
}
