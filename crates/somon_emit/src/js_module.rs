//! JavaScript files in bundles: project files and files of `node_modules`
//! packages.
//!
//! A file is CommonJS (a script: `.cjs`, or a `.js` file without module
//! syntax) or an ES module (`.mjs`, or a `.js` file with `import`/`export`,
//! `import.meta` or top-level `await`, as swc's unambiguous grammar decides,
//! like Node's own detection). [`scan_js`] finds the modules a file needs
//! (the bundle's edges) and what cannot be bundled; [`to_commonjs`] turns
//! the file into the body of a CommonJS factory: an ES module goes through
//! swc's `common_js` transform (imports become `require`s, exports
//! `exports.x` getters), so the bundler wraps and rewrites every file
//! alike.
//!
//! Interop follows Node: an ES module's default import of a CommonJS file
//! (or JSON) is its `module.exports`, even when it sets `__esModule`; of an
//! ES module (converted here, or Somon) its `default` export.

use crate::bundle::{BundleFormat, BundleOptions};
use crate::{Marks, Target};
use somon_diagnostics::{Diagnostic, Message, Span};
use std::collections::{HashMap, HashSet};
use swc_core::common::comments::SingleThreadedComments;
use swc_core::common::sync::Lrc;
use swc_core::common::{
    FileName, Globals, SourceFile, SourceMap, Spanned, SyntaxContext, DUMMY_SP, GLOBALS,
};
use swc_core::ecma::ast as j;
use swc_core::ecma::ast::Pass;
use swc_core::ecma::parser::{EsSyntax, Parser, StringInput, Syntax};
use swc_core::ecma::transforms::base::helpers::{
    generated::HelperName, inject_helpers, Helpers, HELPERS,
};
use swc_core::ecma::transforms::base::resolver;
use swc_core::ecma::transforms::module::{
    common_js, import_analysis::import_analyzer, path::Resolver, util::ImportInterop,
};
use swc_core::ecma::visit::{Visit, VisitMut, VisitMutWith, VisitWith};

/// `import.meta` properties a bundle supports: they name the bundle file
/// (as `__filename` does in a bundled CommonJS file).
const IMPORT_META_PROPERTIES: [&str; 3] = ["url", "filename", "dirname"];

/// How a module names another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsImportKind {
    /// `require("…")`: a missing module stays a run-time `require` (an
    /// optional dependency in a `try`, as Node would decide).
    Require,
    /// `import … from "…"`, `export … from "…"`: must resolve, as Node
    /// links them before the program runs.
    Static,
    /// `import("…")`: a missing module stays a run-time import.
    Dynamic,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsImport {
    pub specifier: String,
    /// Byte range of the specifier's string literal.
    pub span: Span,
    pub kind: JsImportKind,
}

/// What the bundler needs to know of a JavaScript file.
#[derive(Debug, Default)]
pub struct JsScan {
    /// Every literal specifier the file imports, in source order.
    pub imports: Vec<JsImport>,
    /// An ES module (converted to CommonJS in a bundle).
    pub esm: bool,
    /// Syntax errors (swc's own words) and what a bundle cannot hold
    /// (top-level `await`, unsupported `import.meta` uses), each at its
    /// place in the file.
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Grammar {
    Script,
    Module,
    /// Module when the file has module syntax, else script.
    Either,
}

fn grammar(file_name: &str) -> Grammar {
    if file_name.ends_with(".mjs") {
        Grammar::Module
    } else if file_name.ends_with(".cjs") {
        Grammar::Script
    } else {
        Grammar::Either
    }
}

type ParseError = swc_core::ecma::parser::error::Error;

/// Parses a file by its extension's grammar; recoverable errors are
/// returned beside the program.
fn parse(fm: &SourceFile, file_name: &str) -> Result<(j::Program, Vec<ParseError>), ParseError> {
    parse_with(fm, file_name, None)
}

/// [`parse`], keeping the comments in `comments` when given.
fn parse_with(
    fm: &SourceFile,
    file_name: &str,
    comments: Option<&dyn swc_core::common::comments::Comments>,
) -> Result<(j::Program, Vec<ParseError>), ParseError> {
    let grammar = grammar(file_name);
    let syntax = Syntax::Es(EsSyntax {
        import_attributes: true,
        // Node wraps a CommonJS file in a function: `return` is allowed.
        allow_return_outside_function: grammar != Grammar::Module,
        ..Default::default()
    });
    let mut parser = Parser::new(syntax, StringInput::from(fm), comments);
    let program = match grammar {
        Grammar::Module => parser.parse_module().map(j::Program::Module)?,
        Grammar::Script => parser.parse_script().map(j::Program::Script)?,
        Grammar::Either => parser.parse_program()?,
    };
    Ok((program, parser.take_errors()))
}

/// The literal specifier of a `require("…")` call.
pub(crate) fn required_specifier(call: &j::CallExpr) -> Option<&j::Str> {
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

/// The literal specifier of an `import("…")` call.
fn imported_specifier(call: &j::CallExpr) -> Option<&j::Str> {
    if !matches!(call.callee, j::Callee::Import(_)) {
        return None;
    }
    match call.args.first() {
        Some(arg) if arg.spread.is_none() => match &*arg.expr {
            j::Expr::Lit(j::Lit::Str(s)) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// Byte offsets into the file's text (swc drops a leading byte-order mark
/// that the text, and so every span, still has).
struct Offsets<'a> {
    cm: &'a SourceMap,
    bom: u32,
}

impl Offsets<'_> {
    fn span(&self, span: swc_core::common::Span) -> Span {
        let offset = |pos| self.cm.lookup_byte_offset(pos).pos.0 + self.bom;
        Span::new(offset(span.lo), offset(span.hi))
    }
}

/// The stack the passes over a JavaScript file's tree run on, as the
/// bundler's emit workers use: swc's parser (built without its `stacker`
/// feature), its visitors and transforms (`resolver`, the scan,
/// `common_js`, hygiene, the printer) and the tree's drop all recurse once
/// or more per level of nesting.
pub const JS_STACK: usize = 256 * 1024 * 1024;

/// The deepest nesting of expressions, statements and patterns a bundled
/// JavaScript file may have (a `DEPTH` diagnostic beyond): every pass over
/// its tree then fits in [`JS_STACK`] (checked in debug builds, whose
/// frames are the largest, with 100,000 levels of the cheaper kinds). Far
/// beyond what Node itself parses (Node 20: arrays about 2,000 deep,
/// functions 1,000, calls 4,800, members 6,900); deeper arrays and objects
/// would also print quadratically large (one indented line per level).
pub const JS_MAX_DEPTH: u32 = 10_000;

/// Left-associative binary chains (`"a" + "b" + …`, `x && y && …`) do not
/// count as nesting: V8 and swc parse them with a loop, and generated code
/// has long ones. They are limited on their own (the left operands that are
/// binary expressions themselves, along a path, summed), still within
/// [`JS_STACK`].
pub const JS_MAX_CHAIN: u32 = 100_000;

/// Scans a JavaScript file; `file_name` decides the grammar by its
/// extension (`.mjs` module, `.cjs` script, else either). Runs on a stack
/// of its own ([`JS_STACK`]): graph loading calls it on rayon's workers,
/// whose 2 MiB stacks deeply nested (but legal) files would overflow. A
/// file nested beyond [`JS_MAX_DEPTH`] or [`JS_MAX_CHAIN`] is a `DEPTH`
/// diagnostic, and no other pass sees its tree.
pub fn scan_js(text: &str, file_name: &str) -> JsScan {
    stacker::grow(JS_STACK, || scan_on_stack(text, file_name))
}

/// Nesting at which a file is refused before it is parsed: swc's parser
/// recurses on the stack for brackets and prefix operators, and a hostile
/// file nested far enough would overflow even [`JS_STACK`]. Three times
/// [`JS_MAX_DEPTH`], so the parse-then-measure check stays the one that
/// decides for anything a parser could still handle.
const PRE_PARSE_LIMIT: u32 = 3 * JS_MAX_DEPTH;

/// Where a rough lexical measure of nesting first reaches
/// [`PRE_PARSE_LIMIT`]: open brackets (outside strings, comments and
/// template text) plus the length of the current run of prefix operators
/// (`! ~ + -`, `typeof`, `void`, `delete`, `await`, `new`, `yield`). It can
/// only overestimate nesting (regular expressions are read as code), which
/// at this limit no real file comes near.
fn lexical_nesting(text: &str) -> Option<usize> {
    #[derive(PartialEq)]
    enum In {
        Code,
        Quote(u8),
        Template,
        LineComment,
        BlockComment,
    }
    let bytes = text.as_bytes();
    let mut state = In::Code;
    // Brackets; for each `${`, the depth at which its template resumes.
    let mut depth: u32 = 0;
    let mut templates: Vec<u32> = Vec::new();
    let mut run: u32 = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let next = bytes.get(i + 1).copied();
        match state {
            In::Quote(q) => {
                if b == b'\\' {
                    i += 1;
                } else if b == q || b == b'\n' {
                    state = In::Code;
                }
            }
            In::Template => {
                if b == b'\\' {
                    i += 1;
                } else if b == b'`' {
                    state = In::Code;
                } else if b == b'$' && next == Some(b'{') {
                    templates.push(depth);
                    depth += 1;
                    state = In::Code;
                    i += 1;
                }
            }
            In::LineComment => {
                if b == b'\n' {
                    state = In::Code;
                }
            }
            In::BlockComment => {
                if b == b'*' && next == Some(b'/') {
                    state = In::Code;
                    i += 1;
                }
            }
            In::Code => match b {
                b'\'' | b'"' => {
                    state = In::Quote(b);
                    run = 0;
                }
                b'`' => state = In::Template,
                b'/' if next == Some(b'/') => state = In::LineComment,
                b'/' if next == Some(b'*') => state = In::BlockComment,
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    run = 0;
                }
                b')' | b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    run = 0;
                    if b == b'}' && templates.last() == Some(&depth) {
                        templates.pop();
                        state = In::Template;
                    }
                }
                b'!' | b'~' | b'+' | b'-' => run += 1,
                b' ' | b'\t' | b'\r' | b'\n' => {}
                b if b.is_ascii_alphanumeric() || b == b'_' || b == b'$' => {
                    let start = i;
                    while bytes
                        .get(i + 1)
                        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'$')
                    {
                        i += 1;
                    }
                    let word = bytes.get(start..=i).unwrap_or_default();
                    if matches!(
                        word,
                        b"typeof" | b"void" | b"delete" | b"await" | b"new" | b"yield"
                    ) {
                        run += 1;
                    } else {
                        run = 0;
                    }
                }
                _ => run = 0,
            },
        }
        if depth.saturating_add(run) >= PRE_PARSE_LIMIT {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn scan_on_stack(text: &str, file_name: &str) -> JsScan {
    if let Some(at) = lexical_nesting(text) {
        return JsScan {
            diagnostics: vec![Diagnostic::error(
                Message::TooDeeplyNested {
                    limit: PRE_PARSE_LIMIT,
                },
                Span::at(u32::try_from(at).unwrap_or(u32::MAX)),
            )],
            ..JsScan::default()
        };
    }
    GLOBALS.set(&Globals::new(), || {
        let cm: Lrc<SourceMap> = Default::default();
        let bom: u32 = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let fm = cm.new_source_file(
            Lrc::new(FileName::Internal("module.js".into())),
            text.get(bom as usize..).unwrap_or(text).to_string(),
        );
        let offsets = Offsets { cm: &cm, bom };
        let syntax_error = |e: &ParseError| {
            Diagnostic::error(
                Message::JsSyntax {
                    detail: e.kind().msg().into_owned(),
                },
                offsets.span(e.span()),
            )
        };
        let (mut program, errors) = match parse(&fm, file_name) {
            Ok(parsed) => parsed,
            Err(e) => {
                return JsScan {
                    diagnostics: vec![syntax_error(&e)],
                    ..JsScan::default()
                }
            }
        };
        let esm = matches!(program, j::Program::Module(_));
        let mut depth = Depth::default();
        program.visit_with(&mut depth);
        if let Some((span, limit)) = depth.too_deep {
            let lo = offsets.span(span).lo;
            let mut diagnostics: Vec<Diagnostic> = errors.iter().map(syntax_error).collect();
            diagnostics.push(Diagnostic::error(
                Message::TooDeeplyNested { limit },
                Span::at(lo),
            ));
            return JsScan {
                imports: Vec::new(),
                esm,
                diagnostics,
            };
        }
        // In an ES module only a free `require` is the module system's (a
        // local one comes from `createRequire` and is left alone).
        let free_require = if esm {
            let marks = Marks::new();
            resolver(marks.unresolved, marks.top_level, false).process(&mut program);
            Some(SyntaxContext::empty().apply_mark(marks.unresolved))
        } else {
            None
        };
        let mut scan = Scan {
            offsets: &offsets,
            esm,
            free_require,
            depth: 0,
            imports: Vec::new(),
            diagnostics: errors.iter().map(syntax_error).collect(),
        };
        program.visit_with(&mut scan);
        let Scan {
            imports,
            diagnostics,
            ..
        } = scan;
        JsScan {
            imports,
            esm,
            diagnostics,
        }
    })
}

/// Finds where a tree nests beyond [`JS_MAX_DEPTH`] (or its binary chains
/// beyond [`JS_MAX_CHAIN`]), without descending further: its own recursion
/// is bounded by the limits.
#[derive(Default)]
struct Depth {
    depth: u32,
    chain: u32,
    /// The first node beyond a limit, and that limit.
    too_deep: Option<(swc_core::common::Span, u32)>,
}

impl Depth {
    fn nest(&mut self, span: swc_core::common::Span, visit: impl FnOnce(&mut Self)) {
        if self.too_deep.is_some() {
            return;
        }
        if self.depth >= JS_MAX_DEPTH {
            self.too_deep = Some((span, JS_MAX_DEPTH));
            return;
        }
        self.depth += 1;
        visit(self);
        self.depth -= 1;
    }
}

impl Visit for Depth {
    fn visit_expr(&mut self, e: &j::Expr) {
        self.nest(e.span(), |v| e.visit_children_with(v));
    }

    fn visit_stmt(&mut self, s: &j::Stmt) {
        self.nest(s.span(), |v| s.visit_children_with(v));
    }

    fn visit_pat(&mut self, p: &j::Pat) {
        self.nest(p.span(), |v| p.visit_children_with(v));
    }

    fn visit_bin_expr(&mut self, b: &j::BinExpr) {
        match &*b.left {
            j::Expr::Bin(left) if self.too_deep.is_none() => {
                if self.chain >= JS_MAX_CHAIN {
                    self.too_deep = Some((left.span, JS_MAX_CHAIN));
                    return;
                }
                self.chain += 1;
                self.visit_bin_expr(left);
                self.chain -= 1;
            }
            left => left.visit_with(self),
        }
        b.right.visit_with(self);
    }
}

struct Scan<'a> {
    offsets: &'a Offsets<'a>,
    esm: bool,
    free_require: Option<SyntaxContext>,
    /// Function nesting: `await` at depth 0 is top-level.
    depth: u32,
    imports: Vec<JsImport>,
    diagnostics: Vec<Diagnostic>,
}

impl Scan<'_> {
    fn import(&mut self, s: &j::Str, kind: JsImportKind) {
        self.imports.push(JsImport {
            specifier: s.value.to_string_lossy().into_owned(),
            span: self.offsets.span(s.span),
            kind,
        });
    }

    /// `keyword` is the length of the keyword that starts `span`.
    fn top_level_await(&mut self, span: swc_core::common::Span, keyword: u32) {
        if self.esm && self.depth == 0 {
            let lo = self.offsets.span(span).lo;
            self.diagnostics.push(Diagnostic::error(
                Message::JsTopLevelAwait,
                Span::new(lo, lo + keyword),
            ));
        }
    }
}

impl Visit for Scan<'_> {
    fn visit_call_expr(&mut self, call: &j::CallExpr) {
        if let Some(s) = imported_specifier(call) {
            self.import(s, JsImportKind::Dynamic);
        } else if let Some(s) = required_specifier(call) {
            let free = match (&self.free_require, &call.callee) {
                (Some(ctxt), j::Callee::Expr(e)) => {
                    matches!(&**e, j::Expr::Ident(i) if i.ctxt == *ctxt)
                }
                _ => true,
            };
            if free {
                self.import(s, JsImportKind::Require);
            }
        }
        call.visit_children_with(self);
    }

    fn visit_import_decl(&mut self, d: &j::ImportDecl) {
        if !d.type_only {
            self.import(&d.src, JsImportKind::Static);
        }
    }

    fn visit_named_export(&mut self, e: &j::NamedExport) {
        if let (Some(src), false) = (&e.src, e.type_only) {
            self.import(src, JsImportKind::Static);
        }
    }

    fn visit_export_all(&mut self, e: &j::ExportAll) {
        if !e.type_only {
            self.import(&e.src, JsImportKind::Static);
        }
    }

    fn visit_function(&mut self, f: &j::Function) {
        self.depth += 1;
        f.visit_children_with(self);
        self.depth -= 1;
    }

    fn visit_arrow_expr(&mut self, f: &j::ArrowExpr) {
        self.depth += 1;
        f.visit_children_with(self);
        self.depth -= 1;
    }

    fn visit_await_expr(&mut self, e: &j::AwaitExpr) {
        self.top_level_await(e.span, "await".len() as u32);
        e.visit_children_with(self);
    }

    fn visit_for_of_stmt(&mut self, s: &j::ForOfStmt) {
        if s.is_await {
            self.top_level_await(s.span, "for".len() as u32);
        }
        s.visit_children_with(self);
    }

    fn visit_using_decl(&mut self, d: &j::UsingDecl) {
        if d.is_await {
            self.top_level_await(d.span, "await".len() as u32);
        }
        d.visit_children_with(self);
    }

    fn visit_member_expr(&mut self, m: &j::MemberExpr) {
        let is_meta =
            matches!(&*m.obj, j::Expr::MetaProp(p) if p.kind == j::MetaPropKind::ImportMeta);
        if !is_meta {
            m.visit_children_with(self);
            return;
        }
        let property = match &m.prop {
            j::MemberProp::Ident(i) => Some(i.sym.to_string()),
            j::MemberProp::Computed(c) => match &*c.expr {
                j::Expr::Lit(j::Lit::Str(s)) => Some(s.value.to_string_lossy().into_owned()),
                _ => None,
            },
            j::MemberProp::PrivateName(_) => None,
            #[allow(unreachable_patterns)]
            _ => None,
        };
        match property {
            Some(p) if IMPORT_META_PROPERTIES.contains(&p.as_str()) => {}
            other => self.diagnostics.push(Diagnostic::error(
                Message::JsImportMeta {
                    property: other.map(|p| format!(".{p}")).unwrap_or_default(),
                },
                self.offsets.span(m.span),
            )),
        }
        if let j::MemberProp::Computed(c) = &m.prop {
            c.visit_with(self);
        }
    }

    fn visit_meta_prop_expr(&mut self, p: &j::MetaPropExpr) {
        // Only reached for `import.meta` on its own (members are above).
        if p.kind == j::MetaPropKind::ImportMeta {
            self.diagnostics.push(Diagnostic::error(
                Message::JsImportMeta {
                    property: String::new(),
                },
                self.offsets.span(p.span),
            ));
        }
    }
}

/// Parses a JavaScript file of a bundle into `cm` (named by its bundle key,
/// whose extension decides the grammar; JavaScript files have no source
/// map entries) and returns the body of its CommonJS factory: only
/// statements, with `require("…")`s still naming the original specifiers
/// (the bundler points them at bundle keys). `specifiers` are the ones
/// inside the bundle; `commonjs` those of them that are CommonJS or JSON.
pub(crate) fn to_commonjs(
    cm: &Lrc<SourceMap>,
    text: &str,
    key: &str,
    specifiers: &HashMap<String, String>,
    commonjs: &HashSet<String>,
    opts: &BundleOptions,
) -> Result<j::Module, String> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let fm = cm.new_source_file(
        Lrc::new(FileName::Internal(key.to_string())),
        text.get(bom..).unwrap_or(text).to_string(),
    );
    let (program, _) = parse(&fm, key).map_err(|e| format!("{key}: {:?}", e.kind()))?;
    match program {
        j::Program::Script(script) => {
            let mut module = j::Module {
                span: script.span,
                body: script.body.into_iter().map(j::ModuleItem::Stmt).collect(),
                shebang: None,
            };
            let mut dynamic = DynamicImports {
                cm,
                specifiers,
                commonjs,
                changed: false,
            };
            module.visit_mut_with(&mut dynamic);
            if dynamic.changed {
                module.visit_mut_with(&mut swc_core::ecma::transforms::base::fixer::fixer(None));
            }
            Ok(module)
        }
        j::Program::Module(module) => HELPERS.set(&Helpers::new(false), || {
            esm_to_commonjs(module, commonjs, opts)
        }),
    }
}

/// An ES module through swc's `common_js` transform, renamed on its own.
fn esm_to_commonjs(
    module: j::Module,
    commonjs: &HashSet<String>,
    opts: &BundleOptions,
) -> Result<j::Module, String> {
    let marks = Marks::new();
    let mut js = j::Program::Module(module);
    resolver(marks.unresolved, marks.top_level, false).process(&mut js);
    let interop = ImportInterop::Swc;
    import_analyzer(interop, false).process(&mut js);
    let target = opts.emit.target;
    let config = common_js::Config {
        import_interop: Some(interop),
        strict_mode: true,
        // An ES module bundle is itself a module, where `import.meta` names
        // the bundle; elsewhere swc lowers `url`, `filename` and `dirname`
        // to `__filename`-based values, which name the bundle too.
        preserve_import_meta: opts.format == BundleFormat::Esm,
        ..Default::default()
    };
    let features = common_js::FeatureFlag {
        support_block_scoping: target >= Target::Es2015,
        support_arrow: target >= Target::Es2015,
    };
    common_js::common_js(Resolver::Default, marks.unresolved, config, features).process(&mut js);
    let helper_ctxt = SyntaxContext::empty().apply_mark(HELPERS.with(|h| h.mark()));
    js.visit_mut_with(&mut NodeInterop {
        commonjs,
        helper_ctxt,
    });
    inject_helpers(marks.unresolved).process(&mut js);
    let j::Program::Module(mut module) = js else {
        return Err("expected a module".into());
    };
    // The factory's parameters are free names of the module: a top-level
    // binding of the same name (legal in an ES module) is renamed.
    let free = SyntaxContext::empty().apply_mark(marks.unresolved);
    let reserved = ["module", "exports", "require", "__filename", "__dirname"];
    module
        .body
        .push(j::ModuleItem::Stmt(j::Stmt::Expr(j::ExprStmt {
            span: DUMMY_SP,
            expr: Box::new(j::Expr::Seq(j::SeqExpr {
                span: DUMMY_SP,
                exprs: reserved
                    .iter()
                    .map(|name| {
                        Box::new(j::Expr::Ident(j::Ident::new(
                            (*name).into(),
                            DUMMY_SP,
                            free,
                        )))
                    })
                    .collect(),
            })),
        })));
    let comments = SingleThreadedComments::default();
    let mut js = j::Program::Module(module);
    crate::hygiene_and_fixer(&comments, &mut js, &mut crate::Stages::off());
    let j::Program::Module(mut module) = js else {
        return Err("expected a module".into());
    };
    module.body.pop();
    // swc puts the helpers first; `"use strict"` must lead the factory.
    if let Some(at) = module
        .body
        .iter()
        .position(|item| matches!(item, j::ModuleItem::Stmt(s) if s.is_use_strict()))
    {
        let directive = module.body.remove(at);
        module.body.insert(0, directive);
    }
    if module
        .body
        .iter()
        .any(|item| matches!(item, j::ModuleItem::ModuleDecl(_)))
    {
        return Err("an import or export was left after the CommonJS transform".into());
    }
    Ok(module)
}

/// After `common_js` with swc's interop: a module that is CommonJS or JSON
/// is seen as Node sees it from an ES module (default = `module.exports`,
/// `__esModule` ignored): `_interop_require_default(require(x))` and
/// `_interop_require_wildcard(require(x))` become
/// `_interop_require_wildcard(require(x), true)`.
struct NodeInterop<'a> {
    commonjs: &'a HashSet<String>,
    helper_ctxt: SyntaxContext,
}

impl VisitMut for NodeInterop<'_> {
    fn visit_mut_call_expr(&mut self, call: &mut j::CallExpr) {
        call.visit_mut_children_with(self);
        let j::Callee::Expr(callee) = &mut call.callee else {
            return;
        };
        let j::Expr::Ident(helper) = &mut **callee else {
            return;
        };
        let is_interop = helper.ctxt == self.helper_ctxt
            && matches!(
                &*helper.sym,
                "_interop_require_default" | "_interop_require_wildcard"
            );
        let of_commonjs = match call.args.as_slice() {
            [arg] => match &*arg.expr {
                j::Expr::Call(inner) => required_specifier(inner)
                    .is_some_and(|s| self.commonjs.contains(&*s.value.to_string_lossy())),
                _ => false,
            },
            _ => false,
        };
        if is_interop && of_commonjs {
            HELPERS.with(|h| h.enable(HelperName::interop_require_wildcard));
            helper.sym = "_interop_require_wildcard".into();
            call.args.push(j::ExprOrSpread {
                spread: None,
                expr: Box::new(j::Expr::Lit(j::Lit::Bool(j::Bool {
                    span: DUMMY_SP,
                    value: true,
                }))),
            });
        }
    }
}

/// In a CommonJS file, `import("…")` of a module inside the bundle becomes
/// a promise of its namespace: `module.exports` as `default` beside its
/// properties for CommonJS and JSON, the exports object of an ES module.
/// Other `import()`s stay for Node to run.
struct DynamicImports<'a> {
    cm: &'a Lrc<SourceMap>,
    specifiers: &'a HashMap<String, String>,
    commonjs: &'a HashSet<String>,
    changed: bool,
}

impl VisitMut for DynamicImports<'_> {
    fn visit_mut_expr(&mut self, e: &mut j::Expr) {
        e.visit_mut_children_with(self);
        let j::Expr::Call(call) = e else {
            return;
        };
        let Some(spec) = imported_specifier(call).cloned() else {
            return;
        };
        let name = spec.value.to_string_lossy().into_owned();
        if !self.specifiers.contains_key(&name) {
            return;
        }
        let template = if self.commonjs.contains(&name) {
            "Promise.resolve().then(function () { var m = require(__SOMON_SPECIFIER__); return Object.assign({}, typeof m === \"object\" || typeof m === \"function\" ? m : null, { default: m }); });"
        } else {
            "Promise.resolve().then(function () { return require(__SOMON_SPECIFIER__); });"
        };
        let Some(mut replacement) = parse_expression(self.cm, template) else {
            return;
        };
        replacement.visit_mut_with(&mut FillSpecifier {
            specifier: Some(spec),
        });
        if let j::Expr::Call(c) = &mut replacement {
            c.span = call.span;
        }
        *e = replacement;
        self.changed = true;
    }
}

/// The expression of a one-statement template, parsed by swc.
fn parse_expression(cm: &Lrc<SourceMap>, template: &str) -> Option<j::Expr> {
    let fm = cm.new_source_file(
        Lrc::new(FileName::Internal("somon-dynamic-import".into())),
        template.to_string(),
    );
    let mut parser = Parser::new(
        Syntax::Es(Default::default()),
        StringInput::from(&*fm),
        None,
    );
    let script = parser.parse_script().ok()?;
    match script.body.into_iter().next()? {
        j::Stmt::Expr(s) => Some(*s.expr),
        _ => None,
    }
}

struct FillSpecifier {
    specifier: Option<j::Str>,
}

impl VisitMut for FillSpecifier {
    fn visit_mut_expr(&mut self, e: &mut j::Expr) {
        if matches!(e, j::Expr::Ident(i) if &*i.sym == "__SOMON_SPECIFIER__") {
            if let Some(s) = self.specifier.take() {
                *e = j::Expr::Lit(j::Lit::Str(s));
            }
            return;
        }
        e.visit_mut_children_with(self);
    }
}

/// An ES module JavaScript file for hoisting: parsed, its import and
/// export sources (and `import("…")` literals) pointed at bundle keys, a
/// default import of a CommonJS or JSON module made a namespace import
/// (the module's `module.exports`, as Node gives it), resolved, its
/// `/*#__PURE__*/` and `/*@__NO_SIDE_EFFECTS__*/` annotations applied
/// (the ids of its no-side-effects functions beside it). `None` for a
/// script (it keeps its factory).
pub(crate) fn esm_for_hoisting(
    cm: &Lrc<SourceMap>,
    text: &str,
    key: &str,
    specifiers: &HashMap<String, String>,
    commonjs: &HashSet<String>,
) -> Result<Option<(j::Module, Marks, HashSet<j::Id>)>, String> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let fm = cm.new_source_file(
        Lrc::new(FileName::Internal(key.to_string())),
        text.get(bom..).unwrap_or(text).to_string(),
    );
    let comments = crate::annotations::may_have_annotations(text)
        .then(swc_core::common::comments::SingleThreadedComments::default);
    let (program, _) = parse_with(
        &fm,
        key,
        comments
            .as_ref()
            .map(|c| c as &dyn swc_core::common::comments::Comments),
    )
    .map_err(|e| format!("{key}: {:?}", e.kind()))?;
    let j::Program::Module(mut module) = program else {
        return Ok(None);
    };
    let to_key = |src: &mut j::Str| {
        let spec = src.value.to_string_lossy().into_owned();
        if let Some(k) = specifiers.get(&spec) {
            *src = j::Str {
                span: src.span,
                value: k.as_str().into(),
                raw: None,
            };
        }
    };
    for item in &mut module.body {
        let j::ModuleItem::ModuleDecl(d) = item else {
            continue;
        };
        match d {
            j::ModuleDecl::Import(i) => {
                let spec = i.src.value.to_string_lossy().into_owned();
                if commonjs.contains(&spec) {
                    for s in &mut i.specifiers {
                        if let j::ImportSpecifier::Default(d) = s {
                            *s = j::ImportSpecifier::Namespace(j::ImportStarAsSpecifier {
                                span: d.span,
                                local: d.local.clone(),
                            });
                        }
                    }
                }
                to_key(&mut i.src);
            }
            j::ModuleDecl::ExportNamed(n) => {
                if let Some(src) = &mut n.src {
                    to_key(src);
                }
            }
            j::ModuleDecl::ExportAll(a) => to_key(&mut a.src),
            _ => {}
        }
    }
    struct DynamicKeys<'a>(&'a HashMap<String, String>);
    impl VisitMut for DynamicKeys<'_> {
        fn visit_mut_call_expr(&mut self, call: &mut j::CallExpr) {
            call.visit_mut_children_with(self);
            if !matches!(call.callee, j::Callee::Import(_)) {
                return;
            }
            if let Some(j::ExprOrSpread { spread: None, expr }) = call.args.first_mut() {
                if let j::Expr::Lit(j::Lit::Str(s)) = &mut **expr {
                    if let Some(k) = self.0.get(&*s.value.to_string_lossy()) {
                        *s = j::Str {
                            span: s.span,
                            value: k.as_str().into(),
                            raw: None,
                        };
                    }
                }
            }
        }
    }
    module.visit_mut_with(&mut DynamicKeys(specifiers));
    let marks = Marks::new();
    let mut js = j::Program::Module(module);
    resolver(marks.unresolved, marks.top_level, false).process(&mut js);
    match js {
        j::Program::Module(mut m) => {
            let pure_functions = match &comments {
                Some(c) => crate::annotations::apply(&mut m, c),
                None => HashSet::new(),
            };
            Ok(Some((m, marks, pure_functions)))
        }
        j::Program::Script(_) => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `scan_js` on a thread with a small stack (as rayon's workers have):
    /// its own grown stack holds the parse, and nesting past the limit is
    /// a `DEPTH` diagnostic at the node that passes it.
    fn scan_on_small_stack(text: String, name: &'static str) -> JsScan {
        let worker = std::thread::Builder::new()
            .stack_size(512 * 1024)
            .spawn(move || scan_js(&text, name));
        match worker.map(std::thread::JoinHandle::join) {
            Ok(Ok(scan)) => scan,
            _ => panic!("the scan failed"),
        }
    }

    fn depth_errors(scan: &JsScan) -> Vec<(u32, Message)> {
        scan.diagnostics
            .iter()
            .map(|d| (d.span.lo, d.message.clone()))
            .collect()
    }

    #[test]
    fn nesting_beyond_the_limit_is_a_diagnostic() {
        let n = 20_000;
        let text = format!(
            "require('./а');\nmodule.exports = {}1{};\n",
            "[".repeat(n),
            "]".repeat(n)
        );
        let scan = scan_on_small_stack(text, "deep.js");
        // Statement, assignment, then arrays: the one at level 10,001.
        let at = "require('./а');\nmodule.exports = ".len() as u32 + JS_MAX_DEPTH - 2;
        assert_eq!(
            depth_errors(&scan),
            [(
                at,
                Message::TooDeeplyNested {
                    limit: JS_MAX_DEPTH
                }
            )]
        );
        // No other pass sees the tree: not even its imports are taken.
        assert!(scan.imports.is_empty());

        // Just within the limit (the innermost `1` at level 10,000):
        // scanned as usual.
        let n = JS_MAX_DEPTH as usize - 3;
        let text = format!(
            "require('./а');\nmodule.exports = {}1{};\n",
            "[".repeat(n),
            "]".repeat(n)
        );
        let scan = scan_on_small_stack(text, "deep.js");
        assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
        assert_eq!(scan.imports.len(), 1);
    }

    #[test]
    fn nesting_no_parser_could_survive_is_refused_before_parsing() {
        let prefix = "module.exports = ";
        for (text, name) in [
            (format!("{prefix}{}", "[".repeat(1_000_000)), "brackets.js"),
            (format!("{prefix}{}x;", "!".repeat(400_000)), "nots.js"),
            (
                format!("{prefix}{}x;", "typeof ".repeat(200_000)),
                "typeofs.js",
            ),
            (
                format!("{prefix}`${{{}", "(`${".repeat(200_000)),
                "templates.js",
            ),
        ] {
            let scan = scan_on_small_stack(text, name);
            let errors = depth_errors(&scan);
            assert_eq!(errors.len(), 1, "{name}: {errors:?}");
            assert_eq!(
                errors[0].1,
                Message::TooDeeplyNested {
                    limit: PRE_PARSE_LIMIT
                },
                "{name}"
            );
        }
        // Brackets in strings, comments and template text do not count.
        let quoted = "(".repeat(40_000);
        let text = format!(
            "const a = '{quoted}';\nconst b = \"{quoted}\"; // {quoted}\n/* {quoted} */\nconst c = `{quoted}${{1}}{quoted}`;\nmodule.exports = [a, b, c];\n"
        );
        assert_eq!(lexical_nesting(&text), None);
        let scan = scan_on_small_stack(text, "strings.js");
        assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
    }

    #[test]
    fn binary_chains_have_a_limit_of_their_own() {
        // `n` operators: `n - 1` left operands that are binary themselves.
        let chain = |n: usize| format!("export const x = 0{};\n", "+1".repeat(n));
        let scan = scan_on_small_stack(chain(JS_MAX_CHAIN as usize + 1), "chain.mjs");
        assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
        assert!(scan.esm);
        let scan = scan_on_small_stack(chain(JS_MAX_CHAIN as usize + 2), "chain.mjs");
        assert_eq!(
            depth_errors(&scan),
            [(
                "export const x = ".len() as u32,
                Message::TooDeeplyNested {
                    limit: JS_MAX_CHAIN
                }
            )]
        );
    }

    /// Fuzz find (js_scan): an unclosed parenthesis before an arrow whose
    /// parameters hold a call took swc's parser into a path that breaks an
    /// internal assertion. Each is a syntax diagnostic in every build.
    #[test]
    fn unclosed_arrow_parameters_are_a_syntax_error() {
        for text in [
            "const f = (a, m(b) => 1;",
            "(a, m(b) => 1",
            "f((a, b(c) => d);",
            "const g = (x, y.z(w), q) => 1;",
        ] {
            let scan = scan_js(text, "input.js");
            assert!(
                scan.diagnostics
                    .iter()
                    .any(|d| matches!(d.message, Message::JsSyntax { .. })),
                "{text}: {:?}",
                scan.diagnostics
            );
        }
    }
}
