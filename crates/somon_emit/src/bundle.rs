//! Bundles: every module of a graph, compiled to CommonJS on the swc AST,
//! renamed and parenthesised (swc `hygiene` and `fixer`, module by module),
//! wrapped in a factory `function (module, exports, require)` inside one
//! program with a small module runtime, and printed once — so the bundle
//! has one source map whose `sources` are the `.som` files.
//!
//! Imports were already rewritten to bundle keys during lowering (on the
//! AST, through the specifier map); nothing here touches JavaScript text
//! except the fixed runtime template, which is parsed by swc.

use crate::{print_prepared, transform, EmitOptions, EmitOutput, Marks, ModuleKind};
use somon_syntax::ast::Program;
use std::collections::HashMap;
use swc_core::common::comments::SingleThreadedComments;
use swc_core::common::sync::Lrc;
use swc_core::common::EqIgnoreSpan;
use swc_core::common::{FileName, Globals, SourceMap, SyntaxContext, DUMMY_SP, GLOBALS};
use swc_core::ecma::ast as j;
use swc_core::ecma::atoms::Atom;
use swc_core::ecma::parser::{Parser, StringInput, Syntax};
use swc_core::ecma::transforms::base::helpers::{Helpers, HELPERS};
use swc_core::ecma::visit::{VisitMut, VisitMutWith};

/// One module of a bundle.
pub struct BundleModule<'a> {
    /// The module's key: its path relative to the entry's folder.
    pub key: String,
    /// Its `sources` entry in the map: relative to the output's folder.
    pub source_name: String,
    pub kind: BundleModuleKind<'a>,
}

pub enum BundleModuleKind<'a> {
    Somon {
        /// Owned, so the bundler can drop each module's tree as soon as it
        /// is lowered: peak memory then holds one Somon tree at a time.
        program: Box<Program>,
        source: &'a str,
        /// Import specifier → key of the module it resolves to, for every
        /// module inside the bundle (externals are absent and stay as is).
        specifiers: HashMap<String, String>,
    },
    /// A JSON file, inlined as its value.
    Json { text: &'a str },
    /// A CommonJS JavaScript file of the project, included as it is but
    /// for its `require("…")` specifiers, which point into the bundle.
    Js {
        text: &'a str,
        /// As for Somon modules.
        specifiers: HashMap<String, String>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BundleFormat {
    Cjs,
    Esm,
    Iife,
    Umd,
}

impl BundleFormat {
    pub fn parse(s: &str) -> Option<BundleFormat> {
        Some(match s.to_ascii_lowercase().as_str() {
            "cjs" | "commonjs" => BundleFormat::Cjs,
            "esm" | "es" | "module" => BundleFormat::Esm,
            "iife" => BundleFormat::Iife,
            "umd" => BundleFormat::Umd,
            _ => return None,
        })
    }
}

pub struct BundleOptions {
    pub format: BundleFormat,
    /// The global variable for `iife` and `umd` bundles.
    pub global_name: Option<String>,
    pub emit: EmitOptions,
}

/// The runtime: a module table, a cache that is filled before a module
/// runs (so cycles see partial exports, as in Node), and a fallback to the
/// host's `require` for externals.
const RUNTIME: &str = r#"(function (__somon_host_require) {
  "use strict";
  var __somon_modules = __SOMON_MODULES__;
  var __somon_cache = {};
  function __somon_require(id) {
    var cached = __somon_cache[id];
    if (cached) return cached.exports;
    var factory = __somon_modules[id];
    if (!factory) {
      if (__somon_host_require) return __somon_host_require(id);
      throw new Error("Module '" + id + "' is not in the bundle and no require function is available");
    }
    var module = __somon_cache[id] = { exports: {} };
    factory.call(module.exports, module, module.exports, __somon_require);
    return module.exports;
  }
  return __somon_require(__SOMON_ENTRY__);
})"#;

fn wrapper(format: BundleFormat, global: &str) -> String {
    match format {
        BundleFormat::Cjs => format!("module.exports = {RUNTIME}(require);"),
        BundleFormat::Esm => format!(
            "import {{ createRequire as __somon_create_require }} from \"node:module\";\nexport default {RUNTIME}(__somon_create_require(import.meta.url));"
        ),
        BundleFormat::Iife => {
            let host = "typeof require === \"function\" ? require : undefined";
            if global.is_empty() {
                format!("{RUNTIME}({host});")
            } else {
                format!("var {global} = {RUNTIME}({host});")
            }
        }
        BundleFormat::Umd => format!(
            "(function (root, factory) {{\n  if (typeof module === \"object\" && module.exports) module.exports = factory(require);\n  else if (typeof define === \"function\" && define.amd) define([], function () {{ return factory(); }});\n  else root[{name}] = factory(undefined);\n}})(typeof globalThis !== \"undefined\" ? globalThis : this, function (__somon_require_host) {{\n  return {RUNTIME}(__somon_require_host);\n}});",
            name = serde_json_str(if global.is_empty() { "SomonBundle" } else { global })
        ),
    }
}

fn serde_json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn parse_js(cm: &Lrc<SourceMap>, name: &str, text: String) -> Result<j::Module, String> {
    let fm = cm.new_source_file(Lrc::new(FileName::Internal(name.to_string())), text);
    let mut parser = Parser::new(
        Syntax::Es(Default::default()),
        StringInput::from(&*fm),
        None,
    );
    parser
        .parse_module()
        .map_err(|e| format!("{name}: {:?}", e.kind()))
}

/// The literal specifier of a `require("…")` call.
fn required_specifier(call: &j::CallExpr) -> Option<&j::Str> {
    let j::Callee::Expr(callee) = &call.callee else {
        return None;
    };
    let j::Expr::Ident(name) = &**callee else {
        return None;
    };
    match call.args.as_slice() {
        [arg] if &*name.sym == "require" && arg.spread.is_none() => match &*arg.expr {
            j::Expr::Lit(j::Lit::Str(s)) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// What the bundler needs to know of a project JavaScript file.
#[derive(Debug, Default)]
pub struct JsScan {
    /// Every `require("…")` with a literal specifier, with its byte range.
    pub requires: Vec<(String, u32, u32)>,
    /// The byte range of the first `import`/`export`, which the bundler
    /// cannot wrap in a CommonJS factory.
    pub module_syntax: Option<(u32, u32)>,
    /// The parser's message and byte range when the file does not parse.
    pub syntax_error: Option<(String, u32, u32)>,
}

/// Scans a project JavaScript file.
pub fn scan_js(text: &str) -> JsScan {
    struct Collect<'a> {
        cm: &'a SourceMap,
        found: Vec<(String, u32, u32)>,
    }
    impl Collect<'_> {
        fn range(&self, span: swc_core::common::Span) -> (u32, u32) {
            let offset = |pos| self.cm.lookup_byte_offset(pos).pos.0;
            (offset(span.lo), offset(span.hi))
        }
    }
    impl swc_core::ecma::visit::Visit for Collect<'_> {
        fn visit_call_expr(&mut self, call: &j::CallExpr) {
            if let Some(s) = required_specifier(call) {
                let (lo, hi) = self.range(s.span);
                self.found
                    .push((s.value.to_string_lossy().into_owned(), lo, hi));
            }
            call.visit_children_with(self);
        }
    }
    use swc_core::common::Spanned;
    use swc_core::ecma::visit::VisitWith;
    GLOBALS.set(&Globals::new(), || {
        let cm: Lrc<SourceMap> = Default::default();
        let fm = cm.new_source_file(
            Lrc::new(FileName::Internal("module.js".into())),
            text.to_string(),
        );
        let mut parser = Parser::new(
            Syntax::Es(Default::default()),
            StringInput::from(&*fm),
            None,
        );
        let module = match parser.parse_module() {
            Ok(module) => module,
            Err(e) => {
                let offset = |pos| cm.lookup_byte_offset(pos).pos.0;
                let (lo, hi) = (offset(e.span().lo), offset(e.span().hi));
                return JsScan {
                    syntax_error: Some((e.kind().msg().into_owned(), lo, hi)),
                    ..JsScan::default()
                };
            }
        };
        let mut c = Collect {
            cm: &cm,
            found: Vec::new(),
        };
        module.visit_with(&mut c);
        let module_syntax = module.body.iter().find_map(|item| match item {
            j::ModuleItem::ModuleDecl(d) => Some(c.range(d.span())),
            j::ModuleItem::Stmt(_) => None,
        });
        JsScan {
            requires: c.found,
            module_syntax,
            syntax_error: None,
        }
    })
}

/// Points `require("…")` calls of a bundled CommonJS file at bundle keys.
struct RewriteRequires<'a> {
    specifiers: &'a HashMap<String, String>,
}

impl VisitMut for RewriteRequires<'_> {
    fn visit_mut_call_expr(&mut self, call: &mut j::CallExpr) {
        call.visit_mut_children_with(self);
        let key = required_specifier(call)
            .and_then(|s| self.specifiers.get(&*s.value.to_string_lossy()))
            .cloned();
        if let (Some(key), Some(arg)) = (key, call.args.first_mut()) {
            let span = swc_core::common::Spanned::span(&*arg.expr);
            *arg.expr = j::Expr::Lit(j::Lit::Str(j::Str {
                span,
                value: key.as_str().into(),
                raw: None,
            }));
        }
    }
}

/// Replaces the template's placeholders with the module table and entry.
struct FillTemplate {
    modules: Option<j::Expr>,
    entry: String,
    /// Declared at the top of the runtime function, where every module
    /// factory sees them.
    helpers: Option<Vec<j::FnDecl>>,
}

impl VisitMut for FillTemplate {
    fn visit_mut_function(&mut self, f: &mut j::Function) {
        // The runtime's own function (`function (__somon_host_require)`).
        let is_runtime = f
            .params
            .iter()
            .any(|p| matches!(&p.pat, j::Pat::Ident(i) if &*i.id.sym == "__somon_host_require"));
        if is_runtime {
            if let (Some(helpers), Some(body)) = (self.helpers.take(), f.body.as_mut()) {
                // After the "use strict" directive.
                let at = usize::from(body.stmts.first().is_some_and(|s| s.is_use_strict()));
                for (k, h) in helpers.into_iter().enumerate() {
                    body.stmts.insert(at + k, j::Stmt::Decl(j::Decl::Fn(h)));
                }
            }
        }
        f.visit_mut_children_with(self);
    }

    fn visit_mut_expr(&mut self, e: &mut j::Expr) {
        if let j::Expr::Ident(i) = e {
            if &*i.sym == "__SOMON_MODULES__" {
                if let Some(m) = self.modules.take() {
                    *e = m;
                }
                return;
            }
            if &*i.sym == "__SOMON_ENTRY__" {
                *e = j::Expr::Lit(j::Lit::Str(j::Str {
                    span: DUMMY_SP,
                    value: self.entry.as_str().into(),
                    raw: None,
                }));
                return;
            }
        }
        e.visit_mut_children_with(self);
    }
}

fn param(name: &str, ctxt: SyntaxContext) -> j::Param {
    j::Param {
        span: DUMMY_SP,
        decorators: vec![],
        pat: j::Pat::Ident(j::BindingIdent {
            id: j::Ident::new(Atom::from(name), DUMMY_SP, ctxt),
            type_ann: None,
        }),
    }
}

fn factory(stmts: Vec<j::Stmt>, ctxt: SyntaxContext) -> j::Expr {
    j::Expr::Fn(j::FnExpr {
        ident: None,
        function: Box::new(j::Function {
            this_param: None,
            params: vec![
                param("module", ctxt),
                param("exports", ctxt),
                param("require", ctxt),
            ],
            decorators: vec![],
            span: DUMMY_SP,
            ctxt: SyntaxContext::empty(),
            body: Some(j::FunctionBody {
                span: DUMMY_SP,
                stmts,
            }),
            is_generator: false,
            is_async: false,
            type_params: None,
            return_type: None,
        }),
    })
}

/// Builds one bundle from compiled modules; `entry` is the entry's key.
pub fn emit_bundle(
    modules: Vec<BundleModule<'_>>,
    entry: &str,
    opts: &BundleOptions,
) -> Result<EmitOutput, String> {
    GLOBALS.set(&Globals::new(), || {
        HELPERS.set(&Helpers::new(false), || bundle_inner(modules, entry, opts))
    })
}

fn bundle_inner(
    modules: Vec<BundleModule<'_>>,
    entry: &str,
    opts: &BundleOptions,
) -> Result<EmitOutput, String> {
    let cm: Lrc<SourceMap> = Default::default();
    let comments = SingleThreadedComments::default();
    let module_opts = EmitOptions {
        module: ModuleKind::Cjs,
        ..opts.emit.clone()
    };
    let mut props = Vec::with_capacity(modules.len());
    let mut shared_helpers: Vec<j::FnDecl> = Vec::new();
    for m in modules {
        let marks = Marks::new();
        let free = SyntaxContext::empty().apply_mark(marks.unresolved);
        let stmts = match m.kind {
            BundleModuleKind::Somon {
                program,
                source,
                specifiers,
            } => {
                let mut js = transform(
                    &cm,
                    &comments,
                    &marks,
                    &program,
                    source,
                    &m.source_name,
                    Some(&specifiers),
                    &module_opts,
                );
                if module_opts.minify {
                    crate::minify(&cm, &comments, &marks, &mut js, &module_opts);
                }
                // Renaming and parentheses per module: each module is its
                // own scope in the bundle, and whole-bundle hygiene grows
                // faster than linearly with the number of modules.
                crate::hygiene_and_fixer(&comments, &mut js);
                let j::Program::Module(module) = js else {
                    return Err(format!("{}: expected a module", m.key));
                };
                let mut stmts = Vec::with_capacity(module.body.len());
                for item in module.body {
                    match item {
                        // swc's inlined helpers (spanless `_name` functions)
                        // are shared: one copy per bundle, not per module.
                        j::ModuleItem::Stmt(j::Stmt::Decl(j::Decl::Fn(f))) if is_helper(&f) => {
                            match shared_helpers.iter().find(|h| h.ident.sym == f.ident.sym) {
                                Some(existing) if existing.eq_ignore_span(&f) => {}
                                Some(_) => stmts.push(j::Stmt::Decl(j::Decl::Fn(f))),
                                None => shared_helpers.push(f),
                            }
                        }
                        j::ModuleItem::Stmt(s) => stmts.push(s),
                        j::ModuleItem::ModuleDecl(_) => {
                            return Err(format!(
                                "{}: an import or export was left after the CommonJS transform",
                                m.key
                            ))
                        }
                    }
                }
                stmts
            }
            BundleModuleKind::Js { text, specifiers } => {
                let mut parsed = parse_js(&cm, &m.key, text.to_string())?;
                parsed.visit_mut_with(&mut RewriteRequires {
                    specifiers: &specifiers,
                });
                let mut stmts = Vec::new();
                for item in parsed.body {
                    match item {
                        j::ModuleItem::Stmt(s) => stmts.push(s),
                        j::ModuleItem::ModuleDecl(_) => {
                            return Err(format!(
                                "{}: JavaScript modules with import/export syntax cannot be bundled yet; use CommonJS",
                                m.key
                            ))
                        }
                    }
                }
                let mut fix = SetCtxt { ctxt: free };
                for s in &mut stmts {
                    s.visit_mut_with(&mut fix);
                }
                stmts
            }
            BundleModuleKind::Json { text } => {
                let parsed = parse_js(&cm, &m.key, format!("module.exports = {text};"))?;
                let mut stmts = Vec::new();
                for item in parsed.body {
                    if let j::ModuleItem::Stmt(s) = item {
                        stmts.push(s);
                    }
                }
                // The parsed `module` must be the factory's parameter.
                let mut fix = SetCtxt { ctxt: free };
                for s in &mut stmts {
                    s.visit_mut_with(&mut fix);
                }
                stmts
            }
        };
        props.push(j::PropOrSpread::Prop(Box::new(j::Prop::KeyValue(
            j::KeyValueProp {
                key: j::PropName::Str(j::Str {
                    span: DUMMY_SP,
                    value: m.key.as_str().into(),
                    raw: None,
                }),
                value: Box::new(factory(stmts, free)),
            },
        ))));
    }
    let table = j::Expr::Object(j::ObjectLit {
        span: DUMMY_SP,
        props,
    });
    let global = opts.global_name.clone().unwrap_or_default();
    let mut runtime = parse_js(&cm, "somon-runtime", wrapper(opts.format, &global))?;
    runtime.visit_mut_with(&mut FillTemplate {
        modules: Some(table),
        entry: entry.to_string(),
        helpers: Some(shared_helpers),
    });
    let js = j::Program::Module(runtime);
    print_prepared(&cm, &js, &opts.emit)
}

/// swc's inlined helpers: top-level functions named `_…` that come from
/// swc's helper sources (no span in the user's file).
fn is_helper(f: &j::FnDecl) -> bool {
    f.ident.sym.starts_with('_') && f.function.span.is_dummy() && f.ident.span.is_dummy()
}

/// Gives parsed identifiers a context (for the JSON wrapper's `module`).
struct SetCtxt {
    ctxt: SyntaxContext,
}

impl VisitMut for SetCtxt {
    fn visit_mut_ident(&mut self, i: &mut j::Ident) {
        i.ctxt = self.ctxt;
    }
}
