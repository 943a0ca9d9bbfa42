//! Bundles: every module of a graph, compiled to CommonJS on the swc AST,
//! renamed and parenthesised (swc `hygiene` and `fixer`), and printed on
//! its own — in swc globals and a source map of its own — into a
//! [`ModulePiece`]: the factory's statements as text, with their source-map
//! mappings and the inlined helpers it uses. [`BundleEmitter::assemble`]
//! joins pieces into one program: the runtime (a fixed template parsed and
//! printed by swc), each helper once, and the module table of factories
//! `function (module, exports, require)`; the pieces' mappings, moved to
//! where they land, make one source map whose `sources` are the `.som`
//! files. Pieces do not depend on each other, so they can be printed in
//! parallel and cached between builds (the incremental bundler).
//!
//! Hoisted modules (Somon modules the entry reaches through static
//! imports) are pieces of another kind: printed as ES modules with holes
//! where top-level names go (`link`), linked and written into one scope
//! after the table by [`BundleEmitter::assemble`]; the table keeps the
//! rest.
//!
//! Imports were already rewritten to bundle keys during lowering (on the
//! AST, through the specifier map); nothing here builds JavaScript as text
//! but the table's punctuation around the pieces swc printed.

use crate::js_module::required_specifier;
pub use crate::js_module::{scan_js, JsScan};
use crate::link;
use crate::{extent, TextEnd};
use crate::{
    print_node, render_map, source_map, transform, EmitOptions, EmitOutput, Marks, ModuleKind,
    SourceMapKind,
};
use somon_syntax::ast::Program;
use std::collections::{HashMap, HashSet};
use swc_core::common::comments::SingleThreadedComments;
use swc_core::common::sync::Lrc;
use swc_core::common::{FileName, Globals, SourceMap, SyntaxContext, DUMMY_SP, GLOBALS};
use swc_core::ecma::ast as j;
use swc_core::ecma::atoms::Atom;

mod split;
pub use split::Chunk;
use swc_core::ecma::parser::{Parser, StringInput, Syntax};
use swc_core::ecma::visit::{VisitMut, VisitMutWith};

/// Text, mappings and each statement's byte range in the text.
type PrintedStatements = (String, crate::Mappings, Vec<(u32, u32)>);

/// A hoisted module's top-level statements printed one after the other
/// by one code generator, `indent` levels deep, each ending with a newline
/// (a `;` when minified), with the byte range of each: the same text as
/// printing each statement on its own and joining them, without a
/// printer, a buffer and a copy per statement.
fn print_statements(
    cm: &Lrc<SourceMap>,
    stmts: &[j::Stmt],
    indent: usize,
    opts: &EmitOptions,
    want_map: bool,
) -> Result<PrintedStatements, String> {
    use std::cell::RefCell;
    use swc_core::ecma::codegen::Node;
    /// The printer's output, readable between statements.
    struct Shared<'a>(&'a RefCell<Vec<u8>>);
    impl std::io::Write for Shared<'_> {
        fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(data);
            Ok(data.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buf = RefCell::new(Vec::new());
    let len = || u32::try_from(buf.borrow().len()).unwrap_or(u32::MAX);
    let ends_with = |b: u8| buf.borrow().last() == Some(&b);
    let mut mappings = Vec::new();
    let mut ranges = Vec::with_capacity(stmts.len());
    {
        let mut emitter = crate::emitter(
            cm,
            Shared(&buf),
            want_map.then_some(&mut mappings),
            indent,
            opts,
            false,
        )?;
        for stmt in stmts {
            let start = len();
            stmt.emit_with(&mut emitter).map_err(|e| e.to_string())?;
            if opts.minify {
                emitter
                    .wr
                    .commit_pending_semi()
                    .map_err(|e| e.to_string())?;
                if !ends_with(b';') {
                    emitter
                        .wr
                        .write_punct(None, ";", true)
                        .map_err(|e| e.to_string())?;
                }
            } else if !ends_with(b'\n') {
                emitter.wr.write_line().map_err(|e| e.to_string())?;
            }
            ranges.push((start, len()));
        }
    }
    let text = String::from_utf8(buf.into_inner()).map_err(|e| e.to_string())?;
    Ok((text, mappings, ranges))
}

/// An assembled bundle before minification and rendering: its code, its
/// source map, each module's bytes in the code (by key).
type Assembled = (
    String,
    Option<swc_sourcemap::SourceMap>,
    Vec<(String, usize)>,
);

/// One module of a bundle.
pub struct BundleModule<'a> {
    /// The module's key: its path relative to the entry's folder.
    pub key: String,
    /// Its `sources` entry in the map: relative to the output's folder.
    pub source_name: String,
    pub kind: BundleModuleKind<'a>,
    /// A Somon module the entry reaches through static imports of Somon
    /// modules only: its code is hoisted into the bundle's scope
    /// (`link`); other modules keep a factory in the module table.
    pub hoist: bool,
    /// Its package says `"sideEffects": false` (or its globs leave the
    /// file out): a hoisted module keeps only what is used.
    pub side_effect_free: bool,
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
    /// A JavaScript file (of the project or of a package): CommonJS is
    /// included as it is, an ES module converted to CommonJS
    /// (`js_module`); `require("…")` specifiers point into the bundle.
    Js {
        text: &'a str,
        /// As for Somon modules.
        specifiers: HashMap<String, String>,
        /// Those of `specifiers` whose modules are CommonJS or JSON (an ES
        /// module's default import of them is `module.exports`, as in Node).
        commonjs: HashSet<String>,
    },
}

impl BundleModule<'_> {
    /// Everything the module's compiled piece depends on besides its text
    /// and the bundle's options (a cache of pieces compares these): key,
    /// map name, kind and where its imports lead.
    pub fn fingerprint(&self) -> String {
        fn pairs(map: &HashMap<String, String>) -> Vec<(&str, &str)> {
            let mut v: Vec<(&str, &str)> =
                map.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            v.sort_unstable();
            v
        }
        let mut out = String::new();
        let mut field = |s: &str| {
            out.push_str(s);
            out.push('\0');
        };
        field(&self.key);
        field(&self.source_name);
        field(if self.hoist { "hoist" } else { "table" });
        field(if self.side_effect_free {
            "pure"
        } else {
            "effects"
        });
        match &self.kind {
            BundleModuleKind::Somon {
                program: _,
                source: _,
                specifiers,
            } => {
                field("somon");
                for (spec, key) in pairs(specifiers) {
                    field(spec);
                    field(key);
                }
            }
            BundleModuleKind::Json { text: _ } => field("json"),
            BundleModuleKind::Js {
                text: _,
                specifiers,
                commonjs,
            } => {
                field("js");
                for (spec, key) in pairs(specifiers) {
                    field(spec);
                    field(key);
                }
                field("commonjs");
                let mut commonjs: Vec<&str> = commonjs.iter().map(String::as_str).collect();
                commonjs.sort_unstable();
                for spec in commonjs {
                    field(spec);
                }
            }
        }
        out
    }
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

/// Where a bundle runs: Node.js (built-ins, `require` of externals, and
/// for ES module bundles `createRequire`), a browser, or anywhere
/// (neither Node.js nor browser APIs assumed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Platform {
    #[default]
    Node,
    Browser,
    Neutral,
}

impl Platform {
    pub fn parse(s: &str) -> Option<Platform> {
        Some(match s.to_ascii_lowercase().as_str() {
            "node" => Platform::Node,
            "browser" => Platform::Browser,
            "neutral" => Platform::Neutral,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Node => "node",
            Platform::Browser => "browser",
            Platform::Neutral => "neutral",
        }
    }
}

#[derive(Clone, Debug)]
pub struct BundleOptions {
    pub format: BundleFormat,
    pub platform: Platform,
    /// The global variable for `iife` and `umd` bundles.
    pub global_name: Option<String>,
    pub emit: EmitOptions,
    /// Drop the top-level statements of hoisted modules that no entry
    /// reaches and that have no side effect.
    pub tree_shaking: bool,
}

/// The runtime: a module table, a cache that is filled before a module
/// runs (so cycles see partial exports, as in Node), and a fallback to the
/// host's `require` for externals. Not strict itself: a CommonJS file
/// runs in sloppy mode as under Node, while Somon modules and ES modules
/// start their factories with `"use strict"`. Each module gets a
/// `require` of its own with Node's fields: `require.main` is the entry's
/// `module` (so `require.main === module` holds in the entry),
/// `require.cache` the bundle's cache by key (deleting an entry loads the
/// module again), `require.resolve` a bundled module's key or else the
/// host's, relative specifiers taken from the requiring module's folder as
/// Node takes them; `module` has `id`,
/// `loaded`, `parent` and `children`.
const RUNTIME_HEAD: &str =
    "(function (__somon_host_require) {\n  var __somon_modules = __SOMON_MODULES__;\n";

/// The loader of the factory table (`__somon_modules`), shared by the
/// runtime above and a split build's chunk of factories. The first module
/// loaded without a parent is `require.main` (the one-bundle runtime loads
/// only its entry so; hoisted code passes `__somon_root`).
pub(crate) const LOADER: &str = r#"  var __somon_cache = {};
  var __somon_main;
  function __somon_relative(parent, id) {
    if (!parent || (id.slice(0, 2) !== "./" && id.slice(0, 3) !== "../")) return id;
    var parts = parent.id.split("/");
    parts.pop();
    var segments = id.split("/");
    for (var i = 0; i < segments.length; i++) {
      var s = segments[i];
      if (s === "..") {
        if (parts.length && parts[parts.length - 1] !== "..") parts.pop();
        else parts.push("..");
      } else if (s !== "." && s !== "") parts.push(s);
    }
    var joined = parts.join("/");
    return joined === ".." || joined.slice(0, 3) === "../" ? joined : "./" + joined;
  }
  function __somon_require_for(parent) {
    function require(id) {
      return __somon_load(id, parent);
    }
    require.resolve = function (id, options) {
      if (__somon_modules[id]) return id;
      if (__somon_host_require && __somon_host_require.resolve) return __somon_host_require.resolve(__somon_relative(parent, id), options);
      throw new Error("Cannot find module '" + id + "'");
    };
    require.cache = __somon_cache;
    require.main = __somon_main;
    return require;
  }
  function __somon_load(id, parent) {
    var cached = __somon_cache[id];
    if (cached) return cached.exports;
    var factory = __somon_modules[id];
    if (!factory) {
      // Not bundled: the host resolves it from the requiring module's
      // folder (keys are paths relative to the entry's folder).
      if (__somon_host_require) return __somon_host_require(__somon_relative(parent, id));
      throw new Error("Module '" + id + "' is not in the bundle and no require function is available");
    }
    var module = __somon_cache[id] = { id: id, exports: {}, loaded: false, parent: parent, children: [] };
    if (parent) parent.children.push(module);
    else if (!__somon_main) __somon_main = module;
    factory.call(module.exports, module, module.exports, __somon_require_for(module));
    module.loaded = true;
    return module.exports;
  }
"#;

const RUNTIME_TAIL: &str = "  return __somon_load(__SOMON_ENTRY__, null);\n})";

fn runtime() -> String {
    [RUNTIME_HEAD, LOADER, RUNTIME_TAIL].concat()
}

/// The entry's exports object in an ES module bundle.
const ENTRY_EXPORTS: &str = "__somon_entry";

fn wrapper(format: BundleFormat, global: &str, platform: Platform, has_default: bool) -> String {
    let runtime = runtime();
    match format {
        BundleFormat::Cjs => format!("module.exports = {runtime}(require);"),
        // CommonJS code inside the bundle may use `__filename` and
        // `__dirname`: for Node, an ES module defines them from its URL,
        // as Node defines them for the CommonJS formats. The entry's
        // exports are the bundle's named exports (added on the tree);
        // `default` is the entry's default export, or else all of them.
        BundleFormat::Esm => {
            let default = if has_default {
                format!("{ENTRY_EXPORTS}.default")
            } else {
                ENTRY_EXPORTS.to_string()
            };
            match platform {
                Platform::Node => format!(
                    "import {{ createRequire as __somon_create_require }} from \"node:module\";\nimport {{ fileURLToPath as __somon_file_path }} from \"node:url\";\nimport {{ dirname as __somon_dirname }} from \"node:path\";\nvar __filename = __somon_file_path(import.meta.url), __dirname = __somon_dirname(__filename);\nvar {ENTRY_EXPORTS} = {runtime}(__somon_create_require(import.meta.url));\nexport default {default};"
                ),
                Platform::Browser | Platform::Neutral => format!(
                    "var {ENTRY_EXPORTS} = {runtime}(undefined);\nexport default {default};"
                ),
            }
        }
        BundleFormat::Iife => {
            let host = "typeof require === \"function\" ? require : undefined";
            if global.is_empty() {
                format!("{runtime}({host});")
            } else {
                format!("var {global} = {runtime}({host});")
            }
        }
        BundleFormat::Umd => format!(
            "(function (root, factory) {{\n  if (typeof module === \"object\" && module.exports) module.exports = factory(require);\n  else if (typeof define === \"function\" && define.amd) define([], function () {{ return factory(); }});\n  else root[{name}] = factory(undefined);\n}})(typeof globalThis !== \"undefined\" ? globalThis : this, function (__somon_require_host) {{\n  return {runtime}(__somon_require_host);\n}});",
            name = serde_json_str(if global.is_empty() { "SomonBundle" } else { global })
        ),
    }
}

fn is_ident_name(n: &str) -> bool {
    let mut chars = n.chars();
    chars
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
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

/// Marks where the shared helpers go in the printed runtime.
const HELPERS_MARK: &str = "__SOMON_HELPERS__";
/// Marks where the module table goes in the printed runtime.
const MODULES_MARK: &str = "__SOMON_MODULES__";

/// Fills the template's entry and puts a statement that marks the place
/// of the shared helpers after its `"use strict"` (the module table's
/// placeholder stays: both are replaced in the printed text).
struct FillTemplate {
    entry: String,
    helpers_marked: bool,
}

impl VisitMut for FillTemplate {
    fn visit_mut_function(&mut self, f: &mut j::Function) {
        // The runtime's own function (`function (__somon_host_require)`).
        let is_runtime = f
            .params
            .iter()
            .any(|p| matches!(&p.pat, j::Pat::Ident(i) if &*i.id.sym == "__somon_host_require"));
        if is_runtime && !self.helpers_marked {
            if let Some(body) = f.body.as_mut() {
                // After the "use strict" directive.
                let at = usize::from(body.stmts.first().is_some_and(|s| s.is_use_strict()));
                let mark = j::Stmt::Expr(j::ExprStmt {
                    span: DUMMY_SP,
                    expr: Box::new(j::Expr::Ident(j::Ident::new(
                        Atom::from(HELPERS_MARK),
                        DUMMY_SP,
                        SyntaxContext::empty(),
                    ))),
                });
                body.stmts.insert(at, mark);
                self.helpers_marked = true;
            }
        }
        f.visit_mut_children_with(self);
    }

    fn visit_mut_expr(&mut self, e: &mut j::Expr) {
        if let j::Expr::Ident(i) = e {
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

/// The printed runtime, cut where the helpers and the module table go.
struct Runtime {
    head: String,
    middle: String,
    tail: String,
    /// Indentation levels of the helpers and of the `var __somon_modules`
    /// line (0 when minified).
    helper_indent: usize,
    table_indent: usize,
}

const INDENT: &str = "    ";

/// `var __somon_export_N = __somon_entry["name"]; export { __somon_export_N as name };`
/// for each export name but `default` (a string export name when it is
/// not an identifier name).
fn named_exports(names: &[String]) -> Vec<j::ModuleItem> {
    let mut items = Vec::new();
    let is_ident_name = |n: &str| {
        let mut chars = n.chars();
        chars
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
            && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
    };
    for (i, name) in names.iter().filter(|n| *n != "default").enumerate() {
        let local = j::Ident::new(
            Atom::from(format!("__somon_export_{i}")),
            DUMMY_SP,
            SyntaxContext::empty(),
        );
        let init = j::Expr::Member(j::MemberExpr {
            span: DUMMY_SP,
            obj: Box::new(j::Expr::Ident(j::Ident::new(
                Atom::from(ENTRY_EXPORTS),
                DUMMY_SP,
                SyntaxContext::empty(),
            ))),
            prop: j::MemberProp::Computed(j::ComputedPropName {
                span: DUMMY_SP,
                expr: Box::new(j::Expr::Lit(j::Lit::Str(j::Str {
                    span: DUMMY_SP,
                    value: name.as_str().into(),
                    raw: None,
                }))),
            }),
        });
        items.push(j::ModuleItem::Stmt(j::Stmt::Decl(j::Decl::Var(Box::new(
            j::VarDecl {
                span: DUMMY_SP,
                ctxt: SyntaxContext::empty(),
                kind: j::VarDeclKind::Var,
                declare: false,
                decls: vec![j::VarDeclarator {
                    span: DUMMY_SP,
                    name: j::Pat::Ident(local.clone().into()),
                    init: Some(Box::new(init)),
                    definite: false,
                }],
            },
        )))));
        let exported = if is_ident_name(name) {
            j::ModuleExportName::Ident(j::Ident::new(
                Atom::from(name.as_str()),
                DUMMY_SP,
                SyntaxContext::empty(),
            ))
        } else {
            j::ModuleExportName::Str(j::Str {
                span: DUMMY_SP,
                value: name.as_str().into(),
                raw: None,
            })
        };
        items.push(j::ModuleItem::ModuleDecl(j::ModuleDecl::ExportNamed(
            j::NamedExport {
                span: DUMMY_SP,
                specifiers: vec![j::ExportSpecifier::Named(j::ExportNamedSpecifier {
                    span: DUMMY_SP,
                    orig: j::ModuleExportName::Ident(local),
                    exported: Some(exported),
                    is_type_only: false,
                })],
                src: None,
                type_only: false,
                with: None,
            },
        )));
    }
    items
}

/// Marks where hoisted modules go in the printed runtime.
const HOISTED_MARK: &str = "__SOMON_HOISTED__";

/// Cuts `text` at the statement `{mark};`: the text before and after (the
/// mark's whole line unless minified).
fn cut_at_mark(text: &str, mark: &str, minify: bool) -> Option<(String, String)> {
    // Minified, the last statement of a block loses its semicolon.
    let at = text.rfind(mark)?;
    let mut end = at + mark.len();
    if text.get(end..)?.starts_with(';') {
        end += 1;
    }
    let start = if minify {
        at
    } else {
        if text.get(end..)?.starts_with('\n') {
            end += 1;
        }
        text.get(..at)?.rfind('\n').map_or(0, |i| i + 1)
    };
    Some((text.get(..start)?.to_string(), text.get(end..)?.to_string()))
}

fn print_runtime(opts: &BundleOptions, entry: &str, exports: &[String]) -> Result<Runtime, String> {
    print_runtime_for(opts, entry, exports, false)
}

fn print_runtime_for(
    opts: &BundleOptions,
    entry: &str,
    exports: &[String],
    hoisted: bool,
) -> Result<Runtime, String> {
    GLOBALS.set(&Globals::new(), || {
        let cm: Lrc<SourceMap> = Default::default();
        let global = opts.global_name.clone().unwrap_or_default();
        let has_default = exports.iter().any(|e| e == "default");
        let mut text = wrapper(opts.format, &global, opts.platform, has_default);
        if hoisted {
            text = text.replace(
                "return __somon_load(__SOMON_ENTRY__, null);",
                &format!("{HOISTED_MARK};"),
            );
        }
        let mut runtime = parse_js(&cm, "somon-runtime", text)?;
        runtime.visit_mut_with(&mut FillTemplate {
            entry: entry.to_string(),
            helpers_marked: false,
        });
        if opts.format == BundleFormat::Esm {
            runtime.body.extend(named_exports(exports));
        }
        let (text, _) = print_node(
            &cm,
            &j::Program::Module(runtime),
            0,
            &opts.emit,
            false,
            false,
        )?;
        split_runtime(&text, opts.emit.minify).ok_or_else(|| "the runtime template".to_string())
    })
}

/// Leading spaces of the line `at` is on, in indentation levels.
fn indent_at(text: &str, at: usize) -> Option<usize> {
    let before = text.get(..at)?;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.get(start..)?;
    Some((line.len() - line.trim_start_matches(' ').len()) / INDENT.len())
}

fn split_runtime(text: &str, minify: bool) -> Option<Runtime> {
    // A global name or UMD name comes before the runtime: the last
    // occurrence of each mark is the runtime's.
    let m = text.rfind(MODULES_MARK)?;
    let before = text.get(..m)?;
    let tail = text.get(m + MODULES_MARK.len()..)?.to_string();
    let statement = format!("{HELPERS_MARK};");
    let h = before.rfind(&statement)?;
    let (head_end, mut middle_start) = (h, h + statement.len());
    let (head_end, helper_indent, table_indent) = if minify {
        (head_end, 0, 0)
    } else {
        // The mark's whole line goes.
        let start = before.get(..h)?.rfind('\n').map_or(0, |i| i + 1);
        if before.get(middle_start..)?.starts_with('\n') {
            middle_start += 1;
        }
        (start, indent_at(text, h)?, indent_at(text, m)?)
    };
    Some(Runtime {
        head: before.get(..head_end)?.to_string(),
        middle: before.get(middle_start..)?.to_string(),
        tail,
        helper_indent,
        table_indent,
    })
}

/// One source-map mapping, relative to the start of its printed text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Token {
    dst_line: u32,
    dst_col: u32,
    src_line: u32,
    src_col: u32,
    /// Index into the piece's `sources`.
    src: u32,
}

/// One module compiled and printed on its own: all a bundle needs of it,
/// with no tie to swc's globals or source map (so it can be cached and
/// assembled with others, in any build).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModulePiece {
    /// The module's key as a printed string literal.
    key: String,
    /// The factory's statements, printed at their depth in the table.
    body: String,
    /// Where `body` ends (line breaks, UTF-16 length of the last line);
    /// kept only with source maps.
    body_end: (u32, u32),
    tokens: Vec<Token>,
    /// Map `sources` of the tokens, with their content when the map
    /// embeds it.
    sources: Vec<(String, Option<String>)>,
    /// swc's inlined helpers this module uses: name and declaration
    /// printed at the runtime's depth. A bundle declares each once, in
    /// the runtime, where every factory sees it.
    helpers: Vec<(String, String)>,
    /// The module's key as it is (to find the entry's piece).
    name: String,
    /// For ES module bundles, the names a Somon module exports: the
    /// entry's become the bundle's.
    exports: Vec<String>,
    /// Keys of the bundled modules it imports or requires (sorted).
    deps: Vec<String>,
    /// For a hoisted module: `body` is its code with holes where its
    /// top-level names go, and this says what fills them (`link`).
    hoist: Option<Box<link::Hoist>>,
}

impl ModulePiece {
    /// Bytes of JavaScript this module contributes (helpers aside).
    pub fn code_len(&self) -> usize {
        self.body.len()
    }
}

/// An ES module ready for hoisting: its tree after the resolver, the
/// contexts of its top-level and free names, its placeholder prefix.
struct HoistParts {
    module: j::Module,
    top: SyntaxContext,
    free: SyntaxContext,
    prefix: String,
    side_effect_free: bool,
    /// Functions annotated `/*@__NO_SIDE_EFFECTS__*/` (JavaScript).
    no_side_effects: HashSet<j::Id>,
}

/// Compiles modules into [`ModulePiece`]s and assembles pieces into a
/// bundle: the runtime, the shared helpers and the module table, joined
/// as text (each piece was printed by swc at its final depth), with one
/// source map whose mappings are the pieces' mappings moved to where the
/// pieces land.
pub struct BundleEmitter {
    opts: BundleOptions,
    /// Indentation of the factories' statements and of the helpers.
    body_indent: usize,
    helper_indent: usize,
    /// Indentation of hoisted modules' statements.
    hoist_indent: usize,
}

impl BundleEmitter {
    pub fn new(opts: BundleOptions) -> Result<Self, String> {
        let runtime = print_runtime(&opts, "", &[])?;
        let (body_indent, helper_indent) = if opts.emit.minify {
            (0, 0)
        } else {
            (runtime.table_indent + 2, runtime.helper_indent)
        };
        let hoist_indent = if opts.emit.minify {
            0
        } else {
            helper_indent + 1
        };
        Ok(BundleEmitter {
            opts,
            body_indent,
            helper_indent,
            hoist_indent,
        })
    }

    pub fn options(&self) -> &BundleOptions {
        &self.opts
    }

    fn want_map(&self) -> bool {
        self.opts.emit.source_map != SourceMapKind::None
    }

    /// Compiles and prints one module, in swc globals and a source map of
    /// its own. Deeply nested input needs a large stack (callers on
    /// worker threads grow theirs).
    pub fn emit_module(&self, module: BundleModule<'_>) -> Result<ModulePiece, String> {
        crate::in_swc_globals(|| self.emit_module_inner(module))
    }

    fn emit_module_inner(&self, m: BundleModule<'_>) -> Result<ModulePiece, String> {
        let opts = &self.opts;
        let cm: Lrc<SourceMap> = Default::default();
        let comments = SingleThreadedComments::default();
        let module_opts = EmitOptions {
            module: ModuleKind::Cjs,
            ..self.opts.emit.clone()
        };
        let marks = Marks::new();
        let free = SyntaxContext::empty().apply_mark(marks.unresolved);
        let mut helpers: Vec<j::FnDecl> = Vec::new();
        let mut exports = Vec::new();
        let name = m.key.clone();
        let mut deps: Vec<String> = match &m.kind {
            BundleModuleKind::Somon { specifiers, .. }
            | BundleModuleKind::Js { specifiers, .. } => specifiers.values().cloned().collect(),
            BundleModuleKind::Json { .. } => Vec::new(),
        };
        deps.sort_unstable();
        deps.dedup();
        if m.hoist {
            if let BundleModuleKind::Js {
                text,
                specifiers,
                commonjs,
            } = &m.kind
            {
                let prepared =
                    crate::js_module::esm_for_hoisting(&cm, text, &m.key, specifiers, commonjs)?;
                if let Some((module, marks, no_side_effects)) = prepared {
                    let parts = HoistParts {
                        module,
                        top: SyntaxContext::empty().apply_mark(marks.top_level),
                        free: SyntaxContext::empty().apply_mark(marks.unresolved),
                        prefix: link::hole_prefix(text),
                        side_effect_free: m.side_effect_free,
                        no_side_effects,
                    };
                    return self.hoist_module(&cm, &comments, parts, specifiers, name, deps);
                }
            }
            if let BundleModuleKind::Somon {
                program,
                source,
                specifiers,
            } = m.kind
            {
                return self.emit_hoisted(
                    &cm,
                    program,
                    source,
                    &specifiers,
                    &m.source_name,
                    name,
                    deps,
                );
            }
        }
        let stmts = match m.kind {
            BundleModuleKind::Somon {
                program,
                source,
                specifiers,
            } => {
                if opts.format == BundleFormat::Esm {
                    // `*specifier` → `*key` of the module it leads to.
                    exports = crate::export_names(&program, source)
                        .into_iter()
                        .filter_map(|n| match n.strip_prefix('*') {
                            Some(spec) => specifiers.get(spec).map(|k| format!("*{k}")),
                            None => Some(n),
                        })
                        .collect();
                }
                let mut js = transform(
                    &cm,
                    &comments,
                    &marks,
                    &*program,
                    &source.into(),
                    &m.source_name,
                    Some(&specifiers),
                    &module_opts,
                    &mut crate::Stages::off(),
                    true,
                );
                // The Somon tree is not needed any more.
                drop(program);
                if module_opts.minify {
                    crate::minify(&cm, &comments, &marks, &mut js, &module_opts);
                }
                // Renaming and parentheses per module: each module is its
                // own scope in the bundle, and whole-bundle hygiene grows
                // faster than linearly with the number of modules.
                crate::hygiene_and_fixer(&comments, &mut js, &mut crate::Stages::off());
                let j::Program::Module(module) = js else {
                    return Err(format!("{}: expected a module", m.key));
                };
                let mut stmts = Vec::with_capacity(module.body.len());
                for item in module.body {
                    match item {
                        // swc's inlined helpers (spanless `_name` functions)
                        // are shared: one copy per bundle, not per module.
                        j::ModuleItem::Stmt(j::Stmt::Decl(j::Decl::Fn(f))) if is_helper(&f) => {
                            helpers.push(f)
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
            BundleModuleKind::Js {
                text,
                specifiers,
                commonjs,
            } => {
                let mut parsed = crate::js_module::to_commonjs(
                    &cm,
                    text,
                    &m.key,
                    &specifiers,
                    &commonjs,
                    &self.opts,
                )?;
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
                // `--define`/`--drop` reach packages too (`process.env.NODE_ENV`
                // in a library is what a define is most often for).
                let e = &opts.emit;
                if !e.define.is_empty() || e.drop_console || e.drop_debugger {
                    let mut program = j::Program::Script(j::Script {
                        span: DUMMY_SP,
                        body: stmts,
                        shebang: None,
                    });
                    crate::define::apply(
                        &cm,
                        &mut program,
                        marks.unresolved,
                        &e.define,
                        e.drop_console,
                        e.drop_debugger,
                    );
                    stmts = match program {
                        j::Program::Script(s) => s.body,
                        j::Program::Module(m) => m
                            .body
                            .into_iter()
                            .filter_map(|i| match i {
                                j::ModuleItem::Stmt(s) => Some(s),
                                j::ModuleItem::ModuleDecl(_) => None,
                            })
                            .collect(),
                    };
                }
                stmts
            }
            BundleModuleKind::Json { text } => vec![json_module(text, free)],
        };
        let want_map = self.want_map();
        let emit = &opts.emit;
        let body = j::Script {
            span: DUMMY_SP,
            body: stmts,
            shebang: None,
        };
        let (body, mut mappings) = print_node(&cm, &body, self.body_indent, emit, want_map, true)?;
        let key = j::Expr::Lit(j::Lit::Str(j::Str {
            span: DUMMY_SP,
            value: m.key.as_str().into(),
            raw: None,
        }));
        let (key, _) = print_node(&cm, &key, 0, emit, false, false)?;
        let mut printed_helpers = Vec::with_capacity(helpers.len());
        for f in helpers {
            let name = f.ident.sym.to_string();
            let decl = j::Script {
                span: DUMMY_SP,
                body: vec![j::Stmt::Decl(j::Decl::Fn(f))],
                shebang: None,
            };
            let (text, _) = print_node(&cm, &decl, self.helper_indent, emit, false, false)?;
            printed_helpers.push((name, text));
        }
        let (mut tokens, mut sources, mut body_end) = (Vec::new(), Vec::new(), (0, 0));
        if want_map {
            body_end = extent(&body);
            if !mappings.is_empty() {
                let map = source_map(&cm, &mut mappings, emit.inline_sources);
                tokens = map
                    .tokens()
                    .map(|t| Token {
                        dst_line: t.get_dst_line(),
                        dst_col: t.get_dst_col(),
                        src_line: t.get_src_line(),
                        src_col: t.get_src_col(),
                        src: t.get_src_id(),
                    })
                    .collect();
                sources = (0..map.get_source_count())
                    .map(|i| {
                        let name = map.get_source(i).map(|s| s.to_string()).unwrap_or_default();
                        let content = map.get_source_contents(i).map(|s| s.to_string());
                        (name, content)
                    })
                    .collect();
            }
        }
        Ok(ModulePiece {
            key,
            body,
            body_end,
            tokens,
            sources,
            helpers: printed_helpers,
            name,
            exports,
            deps,
            hoist: None,
        })
    }

    /// A hoisted module's piece: its ES module tree without imports and
    /// exports, top-level names as placeholders (`link::prepare`), each
    /// top-level statement printed on its own at the hoisted depth; then
    /// the placeholders cut out of the text (holes).
    #[allow(clippy::too_many_arguments)]
    fn emit_hoisted(
        &self,
        cm: &Lrc<SourceMap>,
        program: Box<Program>,
        source: &str,
        specifiers: &HashMap<String, String>,
        source_name: &str,
        name: String,
        deps: Vec<String>,
    ) -> Result<ModulePiece, String> {
        let comments = SingleThreadedComments::default();
        let marks = Marks::new();
        let mut free = SyntaxContext::empty().apply_mark(marks.unresolved);
        let mut top = SyntaxContext::empty().apply_mark(marks.top_level);
        let emit = &self.opts.emit;
        let module_opts = EmitOptions {
            module: ModuleKind::Esm,
            ..emit.clone()
        };
        let mut js = transform(
            cm,
            &comments,
            &marks,
            &*program,
            &source.into(),
            source_name,
            Some(specifiers),
            &module_opts,
            &mut crate::Stages::off(),
            false,
        );
        drop(program);
        if module_opts.minify {
            crate::minify(cm, &comments, &marks, &mut js, &module_opts);
            // The mangler's names are right as text but its contexts are
            // not bindings any more: resolve the printed names again.
            js.visit_mut_with(&mut SetCtxt {
                ctxt: SyntaxContext::empty(),
            });
            let again = Marks::new();
            swc_core::ecma::ast::Pass::process(
                &mut swc_core::ecma::transforms::base::resolver(
                    again.unresolved,
                    again.top_level,
                    false,
                ),
                &mut js,
            );
            free = SyntaxContext::empty().apply_mark(again.unresolved);
            top = SyntaxContext::empty().apply_mark(again.top_level);
        }
        let j::Program::Module(module) = js else {
            return Err(format!("{name}: expected a module"));
        };
        let parts = HoistParts {
            module,
            top,
            free,
            prefix: link::hole_prefix(source),
            side_effect_free: false,
            no_side_effects: HashSet::new(),
        };
        self.hoist_module(cm, &comments, parts, specifiers, name, deps)
    }

    /// A hoisted ES module (after the resolver) as a piece.
    fn hoist_module(
        &self,
        cm: &Lrc<SourceMap>,
        comments: &SingleThreadedComments,
        parts: HoistParts,
        specifiers: &HashMap<String, String>,
        name: String,
        deps: Vec<String>,
    ) -> Result<ModulePiece, String> {
        let HoistParts {
            mut module,
            top,
            free,
            prefix,
            side_effect_free,
            no_side_effects,
        } = parts;
        let emit = &self.opts.emit;
        let bundled: HashSet<&str> = specifiers.values().map(String::as_str).collect();
        let mut prepared = link::prepare(
            &mut module,
            &|k| bundled.contains(k),
            top,
            free,
            &prefix,
            &is_helper,
            &|n| helper_names().contains(n.trim_end_matches(|c: char| c.is_ascii_digit())),
            if emit.target < crate::Target::Es2015 {
                j::VarDeclKind::Var
            } else {
                j::VarDeclKind::Const
            },
            &no_side_effects,
        );
        if side_effect_free {
            // `"sideEffects": false` in its package: only what is used stays.
            for (effects, _) in &mut prepared.analysis {
                *effects = false;
            }
        }
        let mut js = j::Program::Module(module);
        crate::hygiene_and_fixer(comments, &mut js, &mut crate::Stages::off());
        let mut names = link::Names {
            prefix: &prefix,
            names: HashSet::new(),
        };
        swc_core::ecma::visit::VisitWith::visit_with(&js, &mut names);
        let j::Program::Module(module) = js else {
            return Err(format!("{name}: expected a module"));
        };
        let mut helpers = Vec::new();
        let mut stmts = Vec::with_capacity(module.body.len());
        for item in module.body {
            match item {
                j::ModuleItem::Stmt(j::Stmt::Decl(j::Decl::Fn(f))) if is_helper(&f) => {
                    helpers.push(f)
                }
                j::ModuleItem::Stmt(s) => stmts.push(s),
                j::ModuleItem::ModuleDecl(_) => {
                    return Err(format!(
                        "{name}: an import or export was left in a hoisted module"
                    ))
                }
            }
        }
        if stmts.len() != prepared.analysis.len() {
            return Err(format!("{name}: hoisted statements changed in number"));
        }
        let want_map = self.want_map();
        let (text, mut mappings, ranges) =
            print_statements(cm, &stmts, self.hoist_indent, emit, want_map)?;
        // Mappings at byte offsets, then every offset moved past the
        // placeholders cut out.
        let mut raw_tokens: Vec<(u32, u32, u32, u32, u32)> = Vec::new();
        let mut sources = Vec::new();
        if want_map && !mappings.is_empty() {
            let map = source_map(cm, &mut mappings, emit.inline_sources);
            raw_tokens = map
                .tokens()
                .map(|t| {
                    (
                        t.get_dst_line(),
                        t.get_dst_col(),
                        t.get_src_line(),
                        t.get_src_col(),
                        t.get_src_id(),
                    )
                })
                .collect();
            raw_tokens.sort_unstable();
            sources = (0..map.get_source_count())
                .map(|i| {
                    let name = map.get_source(i).map(|s| s.to_string()).unwrap_or_default();
                    let content = map.get_source_contents(i).map(|s| s.to_string());
                    (name, content)
                })
                .collect();
        }
        let positions: Vec<(u32, u32)> = raw_tokens.iter().map(|t| (t.0, t.1)).collect();
        let token_offsets = link::byte_offsets(&text, &positions);
        // One ascending list: token offsets and statement bounds.
        let mut offsets: Vec<(u32, usize)> = token_offsets
            .iter()
            .enumerate()
            .map(|(i, &o)| (o, i))
            .collect();
        let n_tokens = offsets.len();
        for (i, (a, b)) in ranges.iter().enumerate() {
            offsets.push((*a, n_tokens + 2 * i));
            offsets.push((*b, n_tokens + 2 * i + 1));
        }
        offsets.sort_unstable();
        let mut values: Vec<u32> = offsets.iter().map(|o| o.0).collect();
        let (body, holes) = link::cut_holes(&text, &prefix, &mut values);
        let mut moved = vec![0u32; offsets.len()];
        for ((_, slot), v) in offsets.iter().zip(values) {
            if let Some(m) = moved.get_mut(*slot) {
                *m = v;
            }
        }
        let tokens: Vec<link::ByteToken> = raw_tokens
            .iter()
            .zip(&moved)
            .map(|(t, &offset)| link::ByteToken {
                offset,
                src_line: t.2,
                src_col: t.3,
                src: t.4,
            })
            .collect();
        let statements: Vec<link::Statement> = prepared
            .analysis
            .into_iter()
            .enumerate()
            .zip(prepared.pure_if)
            .map(|((i, (effects, declares)), pure_if)| link::Statement {
                start: moved.get(n_tokens + 2 * i).copied().unwrap_or(0),
                end: moved.get(n_tokens + 2 * i + 1).copied().unwrap_or(0),
                effects,
                declares,
                pure_if,
            })
            .collect();
        let mut reserved: Vec<u64> = names.names.iter().map(|a| link::name_hash(a)).collect();
        reserved.sort_unstable();
        reserved.dedup();
        let mut hoist = prepared.hoist;
        hoist.statements = statements;
        hoist.holes = holes;
        hoist.reserved = reserved;
        hoist.tokens = tokens;
        let mut printed_helpers = Vec::with_capacity(helpers.len());
        for f in helpers {
            let name = f.ident.sym.to_string();
            let decl = j::Script {
                span: DUMMY_SP,
                body: vec![j::Stmt::Decl(j::Decl::Fn(f))],
                shebang: None,
            };
            let (text, _) = print_node(cm, &decl, self.helper_indent, emit, false, false)?;
            printed_helpers.push((name, text));
        }
        let key = j::Expr::Lit(j::Lit::Str(j::Str {
            span: DUMMY_SP,
            value: name.as_str().into(),
            raw: None,
        }));
        let (key, _) = print_node(cm, &key, 0, emit, false, false)?;
        Ok(ModulePiece {
            key,
            body,
            body_end: (0, 0),
            tokens: Vec::new(),
            sources,
            helpers: printed_helpers,
            name,
            exports: Vec::new(),
            deps,
            hoist: Some(Box::new(hoist)),
        })
    }

    /// The bundle of `pieces` (in module-table order); `entry` is the
    /// entry's key.
    pub fn assemble(&self, pieces: &[&ModulePiece], entry: &str) -> Result<EmitOutput, String> {
        self.assemble_measured(pieces, entry).map(|a| a.output)
    }

    /// [`BundleEmitter::assemble`], with the bytes each module takes in
    /// the bundle and the names the bundle exports (for a metafile).
    pub fn assemble_measured(
        &self,
        pieces: &[&ModulePiece],
        entry: &str,
    ) -> Result<AssembledBundle, String> {
        let exports = entry_exports(pieces, entry);
        let (code, map, module_bytes, table_keys) =
            if pieces.iter().any(|p| p.name == entry && p.hoist.is_some()) {
                let (code, map, bytes) = self.assemble_hoisted(pieces, entry)?;
                let table: Vec<String> = pieces
                    .iter()
                    .filter(|p| p.hoist.is_none())
                    .map(|p| p.name.clone())
                    .collect();
                (code, map, bytes, table)
            } else {
                let (code, map, bytes) = self.assemble_table(pieces, entry, &exports)?;
                let keys = pieces.iter().map(|p| p.name.clone()).collect();
                (code, map, bytes, keys)
            };
        self.finish(code, map, module_bytes, &table_keys, exports)
    }

    /// Minifies the assembled bundle as a whole (when asked), renders its
    /// map and lists the names it exports.
    fn finish(
        &self,
        code: String,
        map: Option<swc_sourcemap::SourceMap>,
        mut module_bytes: Vec<(String, usize)>,
        table_keys: &[String],
        exports: Vec<String>,
    ) -> Result<AssembledBundle, String> {
        let (code, map) = if self.opts.emit.minify {
            // The whole bundle, across modules and the runtime.
            let assembled_len = code.len();
            let whole =
                crate::bundle_minify::minify_bundle(code, map.as_ref(), table_keys, &self.opts)?;
            module_bytes = crate::bundle_minify::remeasure(
                &module_bytes,
                assembled_len,
                whole.module_bytes,
                whole.code.len(),
            );
            (whole.code, whole.map)
        } else {
            (code, map)
        };
        let output = match map {
            None => EmitOutput { code, map: None },
            Some(map) => render_map(code, map, &self.opts.emit)?,
        };
        let mut exports = if self.opts.format == BundleFormat::Esm {
            let mut names = exports;
            names.push("default".to_string());
            names
        } else {
            Vec::new()
        };
        exports.sort();
        exports.dedup();
        Ok(AssembledBundle {
            output,
            module_bytes,
            exports,
        })
    }

    /// The bundle as a module table of factories (no module is hoisted).
    fn assemble_table(
        &self,
        pieces: &[&ModulePiece],
        entry: &str,
        exports: &[String],
    ) -> Result<Assembled, String> {
        let mut module_bytes: Vec<(String, usize)> = Vec::with_capacity(pieces.len());
        let runtime = print_runtime(&self.opts, entry, exports)?;
        // Each helper once, in the order modules first use it. Helpers call
        // each other (`_async_to_generator` calls `asyncGeneratorStep`),
        // and a module's helpers are complete: every helper one of them
        // calls is among them. So a module's helpers are shared all
        // together or not at all: a module with a helper whose text
        // differs from the shared one of the same name (hygiene renamed
        // something in it) keeps all its helpers at the end of its factory
        // (function declarations are hoisted); every shared helper then
        // calls exactly the helpers its module declared.
        let mut shared: Vec<&str> = Vec::new();
        let mut by_name: HashMap<&str, &str> = HashMap::new();
        let mut own: Vec<Vec<&str>> = vec![Vec::new(); pieces.len()];
        for (p, own) in pieces.iter().zip(own.iter_mut()) {
            let agrees = p.helpers.iter().all(|(name, text)| {
                by_name
                    .get(name.as_str())
                    .is_none_or(|t| *t == text.as_str())
            });
            for (name, text) in &p.helpers {
                if !agrees {
                    own.push(text);
                } else if !by_name.contains_key(name.as_str()) {
                    by_name.insert(name, text);
                    shared.push(text);
                }
            }
        }
        let size = runtime.head.len()
            + runtime.middle.len()
            + runtime.tail.len()
            + shared.iter().map(|h| h.len()).sum::<usize>()
            + pieces
                .iter()
                .map(|p| p.key.len() + p.body.len() + 64)
                .sum::<usize>();
        let mut out = Assembly::new(size, self.want_map());
        out.text(&runtime.head);
        for h in &shared {
            out.text(h);
        }
        out.text(&runtime.middle);
        let table: Vec<(&ModulePiece, &Vec<&str>)> =
            pieces.iter().copied().zip(own.iter()).collect();
        self.write_table(&mut out, &table, runtime.table_indent, &mut module_bytes)?;
        out.text(&runtime.tail);
        let map = out.map.map(|state| state.builder.into_sourcemap());
        Ok((out.code, map, module_bytes))
    }

    /// A bundle whose entry is hoisted: the runtime and the module table
    /// (modules that are not hoisted), then the hoisted modules' live
    /// statements in evaluation order, inside one strict function, with
    /// the linker's names in their holes.
    fn assemble_hoisted(&self, pieces: &[&ModulePiece], entry: &str) -> Result<Assembled, String> {
        let minify = self.opts.emit.minify;
        let list: Vec<(&str, Option<&link::Hoist>)> = pieces
            .iter()
            .map(|p| (p.name.as_str(), p.hoist.as_deref()))
            .collect();
        let linker = link::Linker::new(&list);
        let is_hoisted = |k: &str| {
            linker
                .by_key
                .get(k)
                .and_then(|&i| linker.hoists.get(i))
                .is_some_and(|h| h.is_some())
        };
        // Hoisted modules the table's modules require or `import()` loads:
        // they get a namespace object in the table's cache.
        let mut required: Vec<String> = Vec::new();
        for p in pieces {
            let keys: &[String] = match &p.hoist {
                None => &p.deps,
                Some(h) => &h.dynamic,
            };
            for k in keys {
                if is_hoisted(k) && k != entry && !required.contains(k) {
                    required.push(k.clone());
                }
            }
        }
        required.sort();
        let mut reserved: HashSet<u64> = [
            "Object",
            "Symbol",
            "Promise",
            "Error",
            "undefined",
            "globalThis",
            "require",
            "module",
            "exports",
            "__filename",
            "__dirname",
            "arguments",
            "eval",
        ]
        .iter()
        .map(|s| link::name_hash(s))
        .collect();
        reserved.extend(helper_names().iter().map(|s| link::name_hash(s)));
        for p in pieces {
            if let Some(h) = &p.hoist {
                reserved.extend(h.reserved.iter().copied());
            }
        }
        let plan = linker.plan(entry, &required, self.opts.tree_shaking, &reserved);
        let exports = linker.export_names(entry);
        let runtime = print_runtime_for(&self.opts, entry, &exports, true)?;
        let (tail_head, tail_rest) = cut_at_mark(&runtime.tail, HOISTED_MARK, minify)
            .ok_or_else(|| "the runtime template's hoisting mark".to_string())?;
        let in_order: HashSet<usize> = plan
            .events
            .iter()
            .filter_map(|e| match e {
                link::Event::Module(p) => Some(*p),
                link::Event::Load(_) => None,
            })
            .collect();
        let ns_var = |p: usize| format!("__somon_ns{p}");
        let load_var = |k: &str| plan.loads.get(k).map(|i| format!("__somon_w{i}"));
        let sep = if minify { "," } else { ", " };
        let binding_text = |b: &link::Binding| -> String {
            match b {
                link::Binding::Local(p, s) => plan
                    .names
                    .get(&(*p, *s))
                    .cloned()
                    .unwrap_or_else(|| "(void 0)".to_string()),
                link::Binding::Namespace(k) => match linker.by_key.get(k.as_str()) {
                    Some(&p) if is_hoisted(k) => ns_var(p),
                    _ => load_var(k).unwrap_or_else(|| {
                        format!("__somon_load({}{sep}__somon_root)", serde_json_str(k))
                    }),
                },
                link::Binding::Wrapped { key, name } => {
                    let var = load_var(key).unwrap_or_else(|| {
                        format!("__somon_load({}{sep}__somon_root)", serde_json_str(key))
                    });
                    if name == "default" {
                        format!("(__somon_default({var}))")
                    } else if is_ident_name(name) {
                        format!("(0{sep}{var}.{name})")
                    } else {
                        format!("(0{sep}{var}[{}])", serde_json_str(name))
                    }
                }
                link::Binding::Missing => "(void 0)".to_string(),
            }
        };
        // The hoisted part's own code: helpers of its own, the table
        // modules' variables, namespace objects, the cache entries.
        let entry_index = linker.by_key.get(entry).copied().unwrap_or(0);
        let mut prelude = format!(
            "var __somon_root = {{ id: {}, exports: {{}}, loaded: false, parent: null, children: [] }};\n__somon_main = __somon_root;\nreturn (function () {{\n\"use strict\";\n",
            serde_json_str(entry)
        );
        // The loader's helpers the hoisted code uses.
        let import_hash = link::name_hash("__somon_import");
        let mut uses_default = false;
        let mut uses_import = false;
        for e in &plan.events {
            let link::Event::Module(p) = e else { continue };
            let (Some(h), Some(live)) = (
                pieces.get(*p).and_then(|x| x.hoist.as_deref()),
                plan.live.get(*p),
            ) else {
                continue;
            };
            uses_import |= h.reserved.binary_search(&import_hash).is_ok();
            for (stmt, _) in h.statements.iter().zip(live).filter(|(_, l)| **l) {
                let from = h.holes.partition_point(|&(o, _)| o < stmt.start);
                for &(o, sym) in h.holes.get(from..).unwrap_or(&[]) {
                    if o >= stmt.end {
                        break;
                    }
                    if let link::Binding::Wrapped { name, .. } = linker.resolve_sym(*p, sym) {
                        uses_default |= name == "default";
                    }
                }
            }
        }
        for &p in &plan.namespaces {
            if let Some(key) = pieces.get(p).map(|x| x.name.as_str()) {
                uses_default |= linker.export_names(key).iter().any(|n| {
                    matches!(linker.resolve(key, n), link::Binding::Wrapped { name, .. } if name == "default")
                });
            }
        }
        prelude.push_str(NAMESPACE_FUNCTION);
        if uses_default {
            prelude.push_str(
                "function __somon_default(m) {\nreturn m && m.__esModule ? m.default : m;\n}\n",
            );
        }
        if uses_import {
            prelude.push_str("function __somon_import(id) {\nreturn Promise.resolve().then(function () {\nvar e = __somon_load(id, __somon_root);\nreturn e && e.__esModule ? e : Object.freeze(Object.assign(Object.create(null), e, { default: e }));\n});\n}\n");
        }
        if !plan.loads.is_empty() {
            let mut vars: Vec<(usize, &String)> = plan.loads.iter().map(|(k, i)| (*i, k)).collect();
            vars.sort();
            let vars: Vec<String> = vars.iter().map(|(i, _)| format!("__somon_w{i}")).collect();
            prelude.push_str(&format!("var {};\n", vars.join(", ")));
        }
        for &p in &plan.namespaces {
            let Some(key) = pieces.get(p).map(|x| x.name.as_str()) else {
                continue;
            };
            prelude.push_str(&namespace_declaration(&linker, key, &ns_var(p), &|b| {
                binding_text(b)
            }));
            if required.iter().any(|k| k == key) {
                prelude.push_str(&format!(
                    "__somon_cache[{k}] = {{ id: {k}, exports: {}, loaded: true, parent: null, children: [] }};\n",
                    ns_var(p),
                    k = serde_json_str(key)
                ));
            }
        }
        prelude.push_str(&format!(
            "__somon_root.exports = {};\n__SOMON_BODY__;\n__somon_root.loaded = true;\nreturn __somon_root.exports;\n}})();\n",
            ns_var(entry_index)
        ));
        let prelude = self.reprint(&prelude, self.helper_indent)?;
        let (open, close) = cut_at_mark(&prelude, "__SOMON_BODY__", minify)
            .ok_or_else(|| "the hoisting template".to_string())?;

        // Helpers, shared as in the table (a hoisted module's helpers are
        // the shared ones: its top-level names are placeholders, so
        // hygiene renamed nothing in them).
        let mut shared: Vec<&str> = Vec::new();
        let mut by_name: HashMap<&str, &str> = HashMap::new();
        let mut own: Vec<Vec<&str>> = vec![Vec::new(); pieces.len()];
        for (i, (p, own)) in pieces.iter().zip(own.iter_mut()).enumerate() {
            if p.hoist.is_some() && !in_order.contains(&i) {
                continue;
            }
            let agrees = p.hoist.is_some()
                || p.helpers.iter().all(|(name, text)| {
                    by_name
                        .get(name.as_str())
                        .is_none_or(|t| *t == text.as_str())
                });
            for (name, text) in &p.helpers {
                if !agrees {
                    own.push(text);
                } else if !by_name.contains_key(name.as_str()) {
                    by_name.insert(name, text);
                    shared.push(text);
                }
            }
        }
        let mut sizes: Vec<(String, usize)> = Vec::new();
        let mut out = Assembly::new(
            pieces.iter().map(|p| p.body.len() + 64).sum(),
            self.want_map(),
        );
        out.text(&runtime.head);
        for h in &shared {
            out.text(h);
        }
        out.text(&runtime.middle);
        let table: Vec<(&ModulePiece, &Vec<&str>)> = pieces
            .iter()
            .zip(&own)
            .filter(|(p, _)| p.hoist.is_none())
            .map(|(p, o)| (*p, o))
            .collect();
        self.write_table(&mut out, &table, runtime.table_indent, &mut sizes)?;
        out.text(&tail_head);
        out.text(&open);
        let hoist_indent = INDENT.repeat(self.hoist_indent);
        for e in &plan.events {
            match e {
                link::Event::Load(k) => {
                    let Some(var) = load_var(k) else { continue };
                    let line = if minify {
                        format!("{var}=__somon_load({},__somon_root);", serde_json_str(k))
                    } else {
                        format!(
                            "{hoist_indent}{var} = __somon_load({}, __somon_root);\n",
                            serde_json_str(k)
                        )
                    };
                    out.text(&line);
                }
                link::Event::Module(p) => {
                    let (Some(piece), Some(live)) = (pieces.get(*p), plan.live.get(*p)) else {
                        continue;
                    };
                    let Some(h) = piece.hoist.as_deref() else {
                        continue;
                    };
                    let before = out.code.len();
                    let ids = out.sources(piece);
                    for (stmt, _) in h.statements.iter().zip(live).filter(|(_, l)| **l) {
                        let (text, toks) = link::fill_statement(&piece.body, h, stmt, &mut |sym| {
                            binding_text(&linker.resolve_sym(*p, sym))
                        });
                        out.mapped(&text, &toks, &ids);
                    }
                    sizes.push((piece.name.clone(), out.code.len() - before));
                }
            }
        }
        out.text(&close);
        out.text(&tail_rest);
        let map = out.map.map(|state| state.builder.into_sourcemap());
        Ok((out.code, map, sizes))
    }

    /// The module table: `{ key: function (module, exports, require) {…}, … }`
    /// with each factory's own helpers at its end; records each module's
    /// bytes (from its key to the factory's closing brace).
    fn write_table(
        &self,
        out: &mut Assembly,
        table: &[(&ModulePiece, &Vec<&str>)],
        table_indent: usize,
        module_bytes: &mut Vec<(String, usize)>,
    ) -> Result<(), String> {
        let minify = self.opts.emit.minify;
        let entry_indent = INDENT.repeat(table_indent + 1);
        let (open, header, separator) = if minify {
            ("{", ":function(module,exports,require){", ",")
        } else {
            ("{\n", ": function(module, exports, require) {\n", ",\n")
        };
        if table.is_empty() {
            out.text("{}");
            return Ok(());
        }
        out.text(open);
        for (i, (p, own)) in table.iter().enumerate() {
            if i > 0 {
                out.text(separator);
            }
            if !minify {
                out.text(&entry_indent);
            }
            let start = out.code.len();
            out.text(&p.key);
            out.text(header);
            out.piece(p);
            for h in own.iter() {
                out.text(&self.reprint_helper(h)?);
            }
            if !minify {
                if !p.body.is_empty() && !p.body.ends_with('\n') {
                    out.text("\n");
                }
                out.text(&entry_indent);
            }
            out.text("}");
            module_bytes.push((p.name.clone(), out.code.len() - start));
        }
        if !minify {
            out.text("\n");
            out.text(&INDENT.repeat(table_indent));
        }
        out.text("}");
        Ok(())
    }

    /// JavaScript of the bundle's own, printed by swc at `indent`.
    fn reprint(&self, text: &str, indent: usize) -> Result<String, String> {
        GLOBALS.set(&Globals::new(), || {
            let cm: Lrc<SourceMap> = Default::default();
            let wrapped = format!("function __somon_template() {{\n{text}}}");
            let parsed = parse_js(&cm, "somon-hoisting", wrapped)?;
            let body = parsed
                .body
                .into_iter()
                .find_map(|item| match item {
                    j::ModuleItem::Stmt(j::Stmt::Decl(j::Decl::Fn(f))) => f.function.body,
                    _ => None,
                })
                .map(|b| b.stmts)
                .unwrap_or_default();
            let script = j::Script {
                span: DUMMY_SP,
                body,
                shebang: None,
            };
            let indent = if self.opts.emit.minify { 0 } else { indent };
            print_node(&cm, &script, indent, &self.opts.emit, false, false).map(|(t, _)| t)
        })
    }

    /// A helper declaration printed again at the depth of factory bodies.
    fn reprint_helper(&self, text: &str) -> Result<String, String> {
        GLOBALS.set(&Globals::new(), || {
            let cm: Lrc<SourceMap> = Default::default();
            let parsed = parse_js(&cm, "somon-helper", text.to_string())?;
            let script = j::Script {
                span: DUMMY_SP,
                body: parsed
                    .body
                    .into_iter()
                    .filter_map(|item| match item {
                        j::ModuleItem::Stmt(s) => Some(s),
                        j::ModuleItem::ModuleDecl(_) => None,
                    })
                    .collect(),
                shebang: None,
            };
            print_node(
                &cm,
                &script,
                self.body_indent,
                &self.opts.emit,
                false,
                false,
            )
            .map(|(text, _)| text)
        })
    }
}

/// A bundle with what a metafile says of it.
#[derive(Debug)]
pub struct AssembledBundle {
    pub output: EmitOutput,
    /// Each module's key and the bytes of the bundle that are its own
    /// (its table entry: from its key to the factory's closing brace); the
    /// rest (runtime, shared helpers, separators, a source-map comment)
    /// belongs to no module.
    pub module_bytes: Vec<(String, usize)>,
    /// The names an ES module bundle exports (its entry's and `default`),
    /// sorted; empty for the other formats.
    pub exports: Vec<String>,
}

/// The names the entry exports: its own, and those of the modules it
/// re-exports with `содир * аз` (without their `default`, as in
/// JavaScript), each once.
fn entry_exports(pieces: &[&ModulePiece], entry: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut visited: HashSet<&str> = HashSet::new();
    let mut work: Vec<(&str, bool)> = vec![(entry, true)];
    while let Some((key, is_entry)) = work.pop() {
        if !visited.insert(key) {
            continue;
        }
        let Some(p) = pieces.iter().find(|p| p.name == key) else {
            continue;
        };
        // A table piece lists `*key` for `export * from`; a hoisted one
        // keeps its names and stars apart.
        let (names, stars): (Vec<&str>, Vec<&str>) = match &p.hoist {
            None => p
                .exports
                .iter()
                .map(String::as_str)
                .partition(|n| !n.starts_with('*')),
            Some(h) => (
                h.exports.iter().map(|(n, _)| n.as_str()).collect(),
                h.stars.iter().map(String::as_str).collect(),
            ),
        };
        for k in stars {
            work.push((k.strip_prefix('*').unwrap_or(k), false));
        }
        for n in names {
            if (n != "default" || is_entry) && !out.iter().any(|o| o == n) {
                out.push(n.to_string());
            }
        }
    }
    out
}

/// The runtime function that makes a module's namespace object (frozen,
/// `__esModule`, `Symbol.toStringTag` "Module") from its getters.
const NAMESPACE_FUNCTION: &str = "function __somon_namespace(getters) {\nvar ns = Object.create(null);\nObject.defineProperty(ns, \"__esModule\", { value: true });\nif (typeof Symbol === \"function\" && Symbol.toStringTag) Object.defineProperty(ns, Symbol.toStringTag, { value: \"Module\" });\nfor (var k in getters) Object.defineProperty(ns, k, { enumerable: true, get: getters[k] });\nreturn Object.freeze(ns);\n}\n";

/// `var <var> = __somon_namespace({ "name": function () { return <binding>; }, … });`
/// for the exports of hoisted module `key`, each binding written by `name`.
fn namespace_declaration(
    linker: &link::Linker,
    key: &str,
    var: &str,
    name: &dyn Fn(&link::Binding) -> String,
) -> String {
    let getters: Vec<String> = linker
        .export_names(key)
        .iter()
        .map(|n| {
            format!(
                "{}: function () {{ return {}; }}",
                serde_json_str(n),
                name(&linker.resolve(key, n))
            )
        })
        .collect();
    format!(
        "var {var} = __somon_namespace({{ {} }});\n",
        getters.join(", ")
    )
}

/// The bundle being joined, and where it ends (for the source map).
struct Assembly {
    code: String,
    map: Option<MapState>,
}

impl Assembly {
    /// An empty assembly of about `capacity` bytes, with a map when asked.
    fn new(capacity: usize, map: bool) -> Assembly {
        Assembly {
            code: String::with_capacity(capacity),
            map: map.then(|| MapState {
                builder: swc_sourcemap::SourceMapBuilder::new(None),
                end: TextEnd::default(),
                after_piece: false,
                runtime_source: None,
            }),
        }
    }
}

struct MapState {
    builder: swc_sourcemap::SourceMapBuilder,
    /// Where the bundle's text ends.
    end: TextEnd,
    /// After the first module, the bundle's own text (the table's
    /// punctuation, helpers kept in a factory, the runtime's tail) is
    /// mapped line by line to [`RUNTIME_SOURCE`] at its own position:
    /// a source-map consumer takes the closest mapping before a position
    /// (Node.js even keeps the last source for a mapping without one), so
    /// without these a frame in the runtime (`__somon_load`) would be
    /// given the last module's line.
    after_piece: bool,
    runtime_source: Option<u32>,
}

/// The map `sources` name of the bundle's own code.
pub const RUNTIME_SOURCE: &str = "somon:runtime";

impl Assembly {
    fn text(&mut self, s: &str) {
        self.code.push_str(s);
        if let Some(m) = &mut self.map {
            if m.after_piece && !s.is_empty() {
                let src = match m.runtime_source {
                    Some(src) => src,
                    None => {
                        let src = m.builder.add_source(RUNTIME_SOURCE.into());
                        m.runtime_source = Some(src);
                        src
                    }
                };
                // Where the text starts and where each of its lines
                // starts: the generated position itself.
                let TextEnd { line, col } = m.end;
                m.builder
                    .add_raw(line, col, line, col, Some(src), None, false);
                let mut line = line;
                for (i, b) in s.bytes().enumerate() {
                    if b == b'\n' && i + 1 < s.len() {
                        line += 1;
                        m.builder.add_raw(line, 0, line, 0, Some(src), None, false);
                    }
                }
            }
            m.end.advance(s);
        }
    }

    /// Registers a piece's map `sources`: their ids in the map.
    fn sources(&mut self, p: &ModulePiece) -> Vec<u32> {
        let Some(m) = &mut self.map else {
            return Vec::new();
        };
        p.sources
            .iter()
            .map(|(name, content)| {
                let id = m.builder.add_source(name.clone().into());
                if let Some(content) = content {
                    m.builder
                        .set_source_contents(id, Some(content.clone().into()));
                }
                id
            })
            .collect()
    }

    /// Text of a module with its mappings at byte offsets of `s`
    /// (ascending).
    fn mapped(&mut self, s: &str, tokens: &[(usize, &link::ByteToken)], ids: &[u32]) {
        self.code.push_str(s);
        let Some(m) = &mut self.map else {
            return;
        };
        let bytes = s.as_bytes();
        let (mut line, mut col, mut at) = (0u32, 0u32, 0usize);
        for &(offset, t) in tokens {
            while at < offset {
                let Some(&b) = bytes.get(at) else { break };
                if b == b'\n' || (b == b'\r' && bytes.get(at + 1) != Some(&b'\n')) {
                    line += 1;
                    col = 0;
                    at += 1;
                } else if b < 0x80 {
                    col += 1;
                    at += 1;
                } else {
                    let Some(ch) = s.get(at..).and_then(|r| r.chars().next()) else {
                        break;
                    };
                    col += ch.len_utf16() as u32;
                    at += ch.len_utf8();
                }
            }
            let Some(&src) = ids.get(t.src as usize) else {
                continue;
            };
            let (l, c) = m.end.shift(line, col);
            m.builder
                .add_raw(l, c, t.src_line, t.src_col, Some(src), None, false);
        }
        m.end.advance(s);
        m.after_piece |= !tokens.is_empty();
    }

    fn piece(&mut self, p: &ModulePiece) {
        self.code.push_str(&p.body);
        let Some(m) = &mut self.map else {
            return;
        };
        let ids: Vec<u32> = p
            .sources
            .iter()
            .map(|(name, content)| {
                let id = m.builder.add_source(name.clone().into());
                if let Some(content) = content {
                    m.builder
                        .set_source_contents(id, Some(content.clone().into()));
                }
                id
            })
            .collect();
        for t in &p.tokens {
            let Some(&src) = ids.get(t.src as usize) else {
                continue;
            };
            let (line, col) = m.end.shift(t.dst_line, t.dst_col);
            m.builder
                .add_raw(line, col, t.src_line, t.src_col, Some(src), None, false);
        }
        m.end.advance_by(p.body_end);
        m.after_piece |= !p.tokens.is_empty();
    }
}

/// Builds one bundle from compiled modules; `entry` is the entry's key.
/// Modules are compiled one after another on this thread (the project
/// bundler compiles them in parallel through [`BundleEmitter`]).
pub fn emit_bundle(
    modules: Vec<BundleModule<'_>>,
    entry: &str,
    opts: &BundleOptions,
) -> Result<EmitOutput, String> {
    let emitter = BundleEmitter::new(opts.clone())?;
    let pieces = modules
        .into_iter()
        .map(|m| emitter.emit_module(m))
        .collect::<Result<Vec<_>, _>>()?;
    let refs: Vec<&ModulePiece> = pieces.iter().collect();
    emitter.assemble(&refs, entry)
}

/// swc's inlined helpers: top-level functions without a span in the
/// user's file whose name is one that swc's helper sources declare
/// (`_async_to_generator`, but also what helpers call, such as
/// `asyncGeneratorStep` or `ownKeys`), possibly with the digits hygiene
/// appends when a module declares the same name.
fn is_helper(f: &j::FnDecl) -> bool {
    f.function.span.is_dummy()
        && f.ident.span.is_dummy()
        && helper_names().contains(f.ident.sym.trim_end_matches(|c: char| c.is_ascii_digit()))
}

/// Every top-level function name of swc's helper sources.
fn helper_names() -> &'static HashSet<&'static str> {
    static NAMES: std::sync::OnceLock<HashSet<&'static str>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        swc_core::ecma::transforms::base::helpers::generated::ALL
            .iter()
            .flat_map(|def| def.source.lines())
            .filter_map(|line| {
                let rest = line
                    .strip_prefix("function ")
                    .or_else(|| line.strip_prefix("async function "))?;
                let rest = rest.strip_prefix('*').unwrap_or(rest).trim_start();
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
                    .unwrap_or(rest.len());
                rest.get(..end).filter(|name| !name.is_empty())
            })
            .collect()
    })
}

/// The factory of a JSON file, as Node's `require` loads it:
/// `module.exports = JSON.parse("…")` with the text (a leading byte-order
/// mark stripped, as Node strips it) as a string literal that the printer
/// escapes. Never the text as JavaScript: a `"__proto__"` key stays an own
/// property (an object literal would set the prototype), and nothing in
/// the file runs. `JSON.parse` takes any depth and is fast on large
/// files. The graph validates the text beforehand (a `JSON_SYNTAX`
/// diagnostic at its place), so the parse does not throw at run time.
fn json_module(text: &str, free: SyntaxContext) -> j::Stmt {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let ident = |name: &str| j::Ident::new(Atom::from(name), DUMMY_SP, free);
    let member = |obj: &str, prop: &str| j::MemberExpr {
        span: DUMMY_SP,
        obj: Box::new(j::Expr::Ident(ident(obj))),
        prop: j::MemberProp::Ident(j::IdentName::new(Atom::from(prop), DUMMY_SP)),
    };
    let parse = j::Expr::Call(j::CallExpr {
        span: DUMMY_SP,
        ctxt: SyntaxContext::empty(),
        callee: j::Callee::Expr(Box::new(j::Expr::Member(member("JSON", "parse")))),
        args: vec![j::ExprOrSpread {
            spread: None,
            expr: Box::new(j::Expr::Lit(j::Lit::Str(j::Str {
                span: DUMMY_SP,
                value: text.into(),
                raw: None,
            }))),
        }],
        type_args: None,
    });
    j::Stmt::Expr(j::ExprStmt {
        span: DUMMY_SP,
        expr: Box::new(j::Expr::Assign(j::AssignExpr {
            span: DUMMY_SP,
            op: j::AssignOp::Assign,
            left: j::AssignTarget::Simple(j::SimpleAssignTarget::Member(member(
                "module", "exports",
            ))),
            right: Box::new(parse),
        })),
    })
}

/// Gives parsed identifiers a context (of a JavaScript file's statements).
struct SetCtxt {
    ctxt: SyntaxContext,
}

impl VisitMut for SetCtxt {
    fn visit_mut_ident(&mut self, i: &mut j::Ident) {
        i.ctxt = self.ctxt;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(key: &str, body: &str, helper: (&str, &str)) -> ModulePiece {
        ModulePiece {
            key: format!("\"{key}\""),
            body: body.to_string(),
            body_end: extent(body),
            tokens: Vec::new(),
            sources: Vec::new(),
            helpers: vec![(helper.0.to_string(), helper.1.to_string())],
            name: key.to_string(),
            exports: Vec::new(),
            deps: Vec::new(),
            hoist: None,
        }
    }

    /// A JSON module is `module.exports = JSON.parse("…")` with the text
    /// (without a byte-order mark) as the string's value, whatever it
    /// holds: nothing of it is JavaScript.
    #[test]
    fn json_is_a_string_for_json_parse() {
        let text =
            "{\"__proto__\": {\"x\": 1}, \"s\": \"\\\" \\\\ \\u2028 ё 😀 </script>\u{2028}\"}\n";
        for minify in [false, true] {
            let opts = BundleOptions {
                format: BundleFormat::Cjs,
                platform: Platform::Node,
                global_name: None,
                emit: EmitOptions {
                    minify,
                    ..EmitOptions::default()
                },
                tree_shaking: true,
            };
            let module = BundleModule {
                key: "д.json".into(),
                source_name: "д.json".into(),
                kind: BundleModuleKind::Json {
                    text: &format!("\u{feff}{text}"),
                },
                hoist: false,
                side_effect_free: false,
            };
            let Ok(out) = emit_bundle(vec![module], "д.json", &opts) else {
                panic!("bundle");
            };
            let value = GLOBALS.set(&Globals::new(), || {
                let parsed = parse_js(&Default::default(), "bundle", out.code.clone());
                let mut find = FindJsonParse(None);
                if let Ok(m) = parsed {
                    swc_core::ecma::visit::VisitWith::visit_with(&m, &mut find);
                }
                find.0
            });
            assert_eq!(value.as_deref(), Some(text), "{}", out.code);
        }
    }

    /// The string argument of the `JSON.parse(…)` call of a bundle.
    struct FindJsonParse(Option<String>);

    impl swc_core::ecma::visit::Visit for FindJsonParse {
        fn visit_call_expr(&mut self, call: &j::CallExpr) {
            let is_json_parse = matches!(&call.callee, j::Callee::Expr(e) if matches!(&**e,
                j::Expr::Member(m) if matches!(&*m.obj, j::Expr::Ident(o) if &*o.sym == "JSON")
                    && matches!(&m.prop, j::MemberProp::Ident(p) if &*p.sym == "parse")));
            match call.args.as_slice() {
                [arg] if is_json_parse => {
                    if let j::Expr::Lit(j::Lit::Str(s)) = &*arg.expr {
                        self.0 = Some(s.value.to_string_lossy().into_owned());
                    }
                }
                _ => swc_core::ecma::visit::VisitWith::visit_children_with(call, self),
            }
        }
    }

    #[test]
    fn extents_count_lines_and_utf16_columns() {
        assert_eq!(extent(""), (0, 0));
        assert_eq!(extent("аб"), (0, 2));
        assert_eq!(extent("a\nбв"), (1, 2));
        assert_eq!(extent("a\r\nb\rcd\n"), (3, 0));
        assert_eq!(extent("😀"), (0, 2));
    }

    /// Helpers call each other: a module whose helpers do not all agree
    /// with the shared ones keeps all of them, so no shared helper calls a
    /// helper of another module's making, and none is missing.
    #[test]
    fn a_module_with_a_differing_helper_keeps_every_helper() {
        let opts = BundleOptions {
            format: BundleFormat::Cjs,
            platform: Platform::Node,
            global_name: None,
            emit: EmitOptions::default(),
            tree_shaking: true,
        };
        let Ok(emitter) = BundleEmitter::new(opts) else {
            panic!("runtime template");
        };
        let outer = "    function _outer() {\n        return step();\n    }\n";
        let step1 = "    function step() {\n        return 1;\n    }\n";
        let step2 = "    function step() {\n        return 2;\n    }\n";
        let mut a = piece("a.som", "            _outer();\n", ("_outer", outer));
        a.helpers.push(("step".into(), step1.into()));
        let mut b = piece("b.som", "            _outer();\n", ("_outer", outer));
        b.helpers.push(("step".into(), step2.into()));
        let Ok(out) = emitter.assemble(&[&a, &b], "a.som") else {
            panic!("assembly");
        };
        // a's two helpers shared; b keeps both of its own.
        assert_eq!(out.code.matches("function _outer()").count(), 2);
        assert_eq!(out.code.matches("return 1;").count(), 1);
        assert_eq!(out.code.matches("return 2;").count(), 1);
        let b_start = out.code.find("\"b.som\"").unwrap_or(usize::MAX);
        let own = out.code.get(b_start..).unwrap_or("");
        assert!(
            own.contains("function _outer()") && own.contains("return 2;"),
            "{}",
            out.code
        );
    }

    /// The names helpers declare include those they call.
    #[test]
    fn helper_names_include_the_helpers_helpers() {
        for name in [
            "_async_to_generator",
            "asyncGeneratorStep",
            "ownKeys",
            "_object_spread",
        ] {
            assert!(helper_names().contains(name), "{name}");
        }
        assert!(!helper_names().contains("асосӣ"));
    }

    /// A helper whose text differs from the shared one of the same name
    /// stays in its module's factory.
    #[test]
    fn a_differing_helper_stays_in_its_module() {
        let opts = BundleOptions {
            format: BundleFormat::Cjs,
            platform: Platform::Node,
            global_name: None,
            emit: EmitOptions::default(),
            tree_shaking: true,
        };
        let Ok(emitter) = BundleEmitter::new(opts) else {
            panic!("runtime template");
        };
        let shared = "    function _h() {\n        return 1;\n    }\n";
        let other = "    function _h() {\n        return 2;\n    }\n";
        let a = piece("a.som", "            _h();\n", ("_h", shared));
        let b = piece("b.som", "            _h();\n", ("_h", other));
        let c = piece("c.som", "            _h();\n", ("_h", shared));
        let Ok(out) = emitter.assemble(&[&a, &b, &c], "a.som") else {
            panic!("assembly");
        };
        assert_eq!(out.code.matches("function _h()").count(), 2);
        assert!(out.code.contains(shared));
        assert!(out.code.contains(
            "\"b.som\": function(module, exports, require) {\n            _h();\n            function _h() {\n                return 2;\n            }\n        },"
        ));
        let parsed = GLOBALS.set(&Globals::new(), || {
            parse_js(&Default::default(), "bundle", out.code.clone())
        });
        assert!(parsed.is_ok(), "{}", out.code);
    }
}
