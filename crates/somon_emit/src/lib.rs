//! JavaScript emission through swc.
//!
//! Pipeline: lower the Somon tree to an swc module → `resolve` (marks every
//! binding as swc's `resolver` would, so free names are known, and renames
//! built-in names and property aliases on the way) → swc compatibility
//! transforms for the target → swc's module transform (`cjs`) → helper
//! injection → optional minifier → `hygiene` → `fixer` → `swc_ecma_codegen`
//! with source-map mappings.
//!
//! Architecture invariant: no JavaScript text is built by hand; swc prints
//! everything, so parentheses, escapes and ASI are always right.

mod annotations;
mod background;
mod builtins;
pub mod bundle;
mod bundle_minify;
pub mod define;
pub mod js_module;
pub mod link;
mod lower;
mod resolve;
pub use somon_syntax::names;
mod shared_names;
mod source_text;
mod stages;
mod stream;
pub use stream::{emit_each, streamable_options, top_level_names, NotStreamable};

pub use background::{
    deferring_drops, drop_for_input, DeferredDrops, SyntaxTree, LARGE_INPUT_BYTES,
};
pub use source_text::SourceText;
pub use stages::{set_probe, Stages};

pub use lower::rewrite_specifier;

use lower::{LowerOptions, Lowerer};
use somon_syntax::ast::Program;
use swc_core::common::comments::SingleThreadedComments;
use swc_core::common::source_map::SourceMapGenConfig;
use swc_core::common::sync::Lrc;
use swc_core::common::{FileName, Globals, Mark, SourceMap, GLOBALS};
use swc_core::ecma::ast::{EsVersion, Pass, Program as JsProgram};
use swc_core::ecma::codegen::text_writer::JsWriter;
use swc_core::ecma::codegen::{Config as CodegenConfig, Emitter};
use swc_core::ecma::minifier::option::{
    CompressOptions, ExtraOptions, MangleOptions, MinifyOptions,
};
use swc_core::ecma::transforms::base::helpers::{inject_helpers, Helpers, HELPERS};
use swc_core::ecma::transforms::base::{fixer::fixer, hygiene::hygiene, resolver};
use swc_core::ecma::transforms::compat;
use swc_core::ecma::transforms::module::{
    common_js, import_analysis::import_analyzer, path::Resolver, util::ImportInterop,
};

/// The language level of the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    Es5,
    Es2015,
    Es2016,
    Es2017,
    Es2018,
    Es2019,
    Es2020,
    Es2021,
    Es2022,
    EsNext,
}

impl Target {
    pub const ALL: [(&'static str, Target); 10] = [
        ("es5", Target::Es5),
        ("es2015", Target::Es2015),
        ("es2016", Target::Es2016),
        ("es2017", Target::Es2017),
        ("es2018", Target::Es2018),
        ("es2019", Target::Es2019),
        ("es2020", Target::Es2020),
        ("es2021", Target::Es2021),
        ("es2022", Target::Es2022),
        ("esnext", Target::EsNext),
    ];

    pub fn parse(s: &str) -> Option<Target> {
        let lower = s.to_ascii_lowercase();
        Target::ALL
            .iter()
            .find(|(n, _)| *n == lower)
            .map(|(_, t)| *t)
    }

    fn es_version(self) -> EsVersion {
        match self {
            Target::Es5 => EsVersion::Es5,
            Target::Es2015 => EsVersion::Es2015,
            Target::Es2016 => EsVersion::Es2016,
            Target::Es2017 => EsVersion::Es2017,
            Target::Es2018 => EsVersion::Es2018,
            Target::Es2019 => EsVersion::Es2019,
            Target::Es2020 => EsVersion::Es2020,
            Target::Es2021 => EsVersion::Es2021,
            Target::Es2022 => EsVersion::Es2022,
            Target::EsNext => EsVersion::EsNext,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ModuleKind {
    /// CommonJS (`require`), strict mode.
    Cjs,
    /// ECMAScript modules.
    Esm,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SourceMapKind {
    None,
    /// A separate `.map` document.
    Separate,
    /// An inline `data:` URL comment at the end of the code.
    Inline,
}

#[derive(Clone, Debug)]
pub struct EmitOptions {
    pub target: Target,
    pub module: ModuleKind,
    pub minify: bool,
    pub compress: bool,
    pub mangle: bool,
    /// With `minify`: keep `.name` of functions and classes (esbuild's
    /// `--keep-names`).
    pub keep_names: bool,
    pub source_map: SourceMapKind,
    /// Embed the `.som` text in the map's `sourcesContent`.
    pub inline_sources: bool,
    /// The source's name as the map's `sources` entry: a relative path.
    pub source_name: String,
    /// The output file's name, for the map's `file` field.
    pub output_name: Option<String>,
    pub rewrite_specifiers: bool,
    /// Exact replacements of import specifiers (wins over the rewrite):
    /// project compiles map each relative import to the emitted file it
    /// resolves to (`./асбобҳо` → `./асбобҳо/index.js`).
    pub specifier_map: Option<std::collections::HashMap<String, String>>,
    /// Imported names that the module they come from exports only as types
    /// (specifier, exported name): erased from imports and re-exports,
    /// which one file alone cannot tell (`содир { Т } аз "./м"`).
    pub type_only_imports: Vec<(String, String)>,
    /// esbuild's `--define`: a global name or dotted path and the
    /// JavaScript expression it becomes (only where the name is free).
    pub define: Vec<(String, String)>,
    /// esbuild's `--drop console`: `console.…(…)` calls are removed.
    pub drop_console: bool,
    /// esbuild's `--drop debugger`: `debugger` statements are removed.
    pub drop_debugger: bool,
}

impl Default for EmitOptions {
    fn default() -> Self {
        EmitOptions {
            target: Target::Es2020,
            module: ModuleKind::Cjs,
            minify: false,
            compress: true,
            mangle: true,
            keep_names: false,
            source_map: SourceMapKind::None,
            inline_sources: false,
            source_name: "input.som".into(),
            output_name: None,
            rewrite_specifiers: true,
            specifier_map: None,
            type_only_imports: Vec::new(),
            define: Vec::new(),
            drop_console: false,
            drop_debugger: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmitOutput {
    pub code: String,
    /// The source map as JSON, when a separate one was asked for.
    pub map: Option<String>,
}

struct MapConfig {
    inline_sources: bool,
}

impl SourceMapGenConfig for MapConfig {
    /// Each `.som` file is registered under the name its map entry should
    /// carry (a relative path), so the name is used as is.
    fn file_name_to_source(&self, f: &FileName) -> String {
        match f {
            FileName::Custom(name) => name.clone(),
            other => other.to_string(),
        }
    }

    fn inline_sources_content(&self, _f: &FileName) -> bool {
        self.inline_sources
    }
}

/// Emits JavaScript for one parsed program. `source` is the text the
/// program was parsed from (spans index into it).
pub fn emit(program: &Program, source: &str, opts: &EmitOptions) -> Result<EmitOutput, String> {
    emit_timed(program, &source.into(), opts, &mut Stages::off())
}

/// [`emit`], recording the time of each stage in `stages` (when it is on).
/// The tree is released as soon as lowering has read it (see
/// [`SyntaxTree`]).
pub fn emit_timed(
    program: impl SyntaxTree,
    source: &SourceText<'_>,
    opts: &EmitOptions,
    stages: &mut Stages,
) -> Result<EmitOutput, String> {
    in_swc_globals(|| {
        let cm: Lrc<SourceMap> = Default::default();
        let comments = SingleThreadedComments::default();
        let marks = Marks::new();
        let mut js = transform(
            &cm,
            &comments,
            &marks,
            program,
            source,
            &opts.source_name,
            opts.specifier_map.as_ref(),
            opts,
            stages,
            true,
        );
        let out = finish(&cm, &comments, &marks, &mut js, opts, stages);
        drop_for_input(js, source.len());
        stages.mark("free swc tree");
        out
    })
}

/// Runs `f` in fresh swc globals (marks, syntax contexts) and inline
/// helpers: one compilation unit's. The names it made that nothing holds
/// any more are then let go (see [`forget_unused_names`]).
pub(crate) fn in_swc_globals<R>(f: impl FnOnce() -> R) -> R {
    let r = GLOBALS.set(&Globals::new(), || HELPERS.set(&Helpers::new(false), f));
    forget_unused_names();
    r
}

/// Frees the names (swc atoms) no tree holds any more. swc interns every
/// name longer than 7 bytes (most Tajik names) in a store of the thread
/// that keeps them until asked: without this, a long-lived process (the
/// addon, the language server, `somon watch`) would keep every name it
/// ever compiled, and a large module all of its names at once.
pub(crate) fn forget_unused_names() {
    hstr::global_atom_store_gc();
}

/// The marks of one compilation unit (swc's `resolver` output).
pub(crate) struct Marks {
    pub unresolved: Mark,
    pub top_level: Mark,
}

impl Marks {
    pub(crate) fn new() -> Self {
        Marks {
            unresolved: Mark::new(),
            top_level: Mark::new(),
        }
    }
}

/// Registers `source` as swc's source file in `cm`; with how many bytes
/// of byte-order mark it leaves out: swc's source file drops a leading
/// one, while Somon spans count it, so the text is registered without it
/// and lowering shifts the spans back.
pub(crate) fn register_source(
    cm: &Lrc<SourceMap>,
    source: &SourceText<'_>,
    source_name: &str,
) -> (Lrc<swc_core::common::SourceFile>, u32) {
    let bom: u32 = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let fm = cm.new_source_file(
        Lrc::new(FileName::Custom(source_name.to_string())),
        swc_source_text(source, bom as usize),
    );
    (fm, bom)
}

/// What lowering is told of the output options (`specifier_map`: the
/// bundler's, or the options' own).
pub(crate) fn lower_options<'a>(
    opts: &'a EmitOptions,
    specifier_map: Option<&'a std::collections::HashMap<String, String>>,
) -> LowerOptions<'a> {
    LowerOptions {
        rewrite_specifiers: opts.rewrite_specifiers,
        specifier_map,
        json_import_attributes: opts.module == ModuleKind::Esm,
        type_only_imports: &opts.type_only_imports,
        constructor_last: opts.target < Target::Es2022,
        // Tests run swc's pass on every class to compare; `--define`
        // values are arbitrary JavaScript, and with any every pass runs.
        define_property: (opts.target < Target::Es2022
            && opts.define.is_empty()
            && !always_run_compat()
            && HELPERS.is_set())
        .then(|| swc_core::common::SyntaxContext::empty().apply_mark(HELPERS.with(|h| h.mark()))),
    }
}

/// Lowering and every semantic pass up to the module format: the result
/// is a complete swc program, not yet renamed, parenthesised or printed.
#[allow(clippy::too_many_arguments)]
pub(crate) fn transform(
    cm: &Lrc<SourceMap>,
    comments: &SingleThreadedComments,
    marks: &Marks,
    program: impl SyntaxTree,
    source: &SourceText<'_>,
    source_name: &str,
    specifier_map: Option<&std::collections::HashMap<String, String>>,
    opts: &EmitOptions,
    stages: &mut Stages,
    // The shims of CommonJS globals in ES module output (a hoisted bundle
    // module has the bundle's own).
    esm_shims: bool,
) -> JsProgram {
    stages.mark("emit setup");
    let (fm, bom) = register_source(cm, source, source_name);
    stages.mark("swc source file");
    let lower_opts = lower_options(opts, specifier_map);
    let mut lowerer = Lowerer::new(fm.start_pos.0, bom, &lower_opts, source);
    let module = lowerer.lower_program(program.program());
    program.release(source.len());
    // What the compatibility passes below would rewrite; `--define`
    // values are arbitrary JavaScript, so with any, every pass runs.
    let mut features = lowerer.features;
    if !opts.define.is_empty() || always_run_compat() {
        features.es2022 = true;
        features.es2021 = true;
        features.common_js = true;
    }
    drop(lowerer);
    let mut js = JsProgram::Module(module);
    stages.mark("lower");
    let unresolved_mark = marks.unresolved;
    // Marks as swc's resolver gives them, and free built-ins renamed, in
    // one walk (`resolve`); tests can ask for swc's two passes instead.
    match &mut js {
        JsProgram::Module(m) if !always_run_swc_resolver() => {
            resolve::resolve_with_builtins(m, unresolved_mark, marks.top_level);
            stages.mark("resolve + built-in names");
        }
        _ => {
            resolver(unresolved_mark, marks.top_level, false).process(&mut js);
            stages.mark("swc resolver");
            builtins::builtin_names(unresolved_mark).process(&mut js);
        }
    }
    define::apply(
        cm,
        &mut js,
        unresolved_mark,
        &opts.define,
        opts.drop_console,
        opts.drop_debugger,
    );
    if opts.module == ModuleKind::Esm && esm_shims {
        esm_commonjs_shims(cm, &mut js, unresolved_mark);
    }
    stages.mark("define + shims");

    let t = opts.target;
    // The es2022 and es2021 passes only rewrite constructs that lowering
    // reports in `features` (classes are already in the member order the
    // class-fields pass would give them): without any, they are skipped.
    if t < Target::Es2022 && features.es2022 {
        // swc's es2022 pass also lowers every regular-expression feature of
        // ES2018 (named groups, lookbehind, `s`, `\p{…}`); those are lowered
        // only below es2018, by the es2018 pass. Here: the `d` flag.
        let mut regexp = swc_ecma_transformer::RegExpOptions::default();
        regexp.has_indices = true;
        swc_ecma_transformer::es2022_runtime_transforms(regexp).process(&mut js);
        compat::es2022::class_properties(Default::default(), unresolved_mark).process(&mut js);
    }
    if t < Target::Es2022 {
        stages.mark("compat es2022");
    }
    if t < Target::Es2021 && features.es2021 {
        compat::es2021::es2021().process(&mut js);
    }
    if t < Target::Es2021 {
        stages.mark("compat es2021");
    }
    if t < Target::Es2020 {
        compat::es2020::es2020(Default::default(), unresolved_mark).process(&mut js);
        stages.mark("compat es2020");
    }
    if t < Target::Es2019 {
        compat::es2019::es2019().process(&mut js);
        stages.mark("compat es2019");
    }
    if t < Target::Es2018 {
        compat::es2018::es2018(Default::default()).process(&mut js);
        stages.mark("compat es2018");
    }
    if t < Target::Es2017 {
        compat::es2017::es2017(Default::default(), unresolved_mark).process(&mut js);
        stages.mark("compat es2017");
    }
    if t < Target::Es2016 {
        compat::es2016::es2016().process(&mut js);
        stages.mark("compat es2016");
    }
    if t < Target::Es2015 {
        compat::es2015::es2015(unresolved_mark, Some(comments), Default::default())
            .process(&mut js);
        stages.mark("compat es2015");
    }
    let module_syntax = match &js {
        JsProgram::Module(m) => m.body.iter().any(|item| item.is_module_decl()),
        JsProgram::Script(_) => false,
    };
    if opts.module == ModuleKind::Cjs && !features.common_js && !module_syntax {
        // Nothing for swc's CommonJS pass to rewrite: what it still does
        // to such a module is done here (the equivalence test runs both).
        if let JsProgram::Module(m) = &mut js {
            strict_script_body(&mut m.body);
        }
        stages.mark("swc common_js");
    } else if opts.module == ModuleKind::Cjs {
        let interop = ImportInterop::Swc;
        import_analyzer(interop, false).process(&mut js);
        let config = common_js::Config {
            import_interop: Some(interop),
            strict_mode: true,
            ..Default::default()
        };
        let features = common_js::FeatureFlag {
            support_block_scoping: t >= Target::Es2015,
            support_arrow: t >= Target::Es2015,
        };
        common_js::common_js(Resolver::Default, unresolved_mark, config, features).process(&mut js);
        stages.mark("swc common_js");
    }
    inject_helpers(unresolved_mark).process(&mut js);
    stages.mark("swc inject_helpers");
    if opts.module == ModuleKind::Esm {
        if let JsProgram::Module(m) = &mut js {
            let free = swc_core::common::SyntaxContext::empty().apply_mark(unresolved_mark);
            annotations::wrap_classes(m, free);
        }
    }
    js
}

/// What swc's CommonJS pass does to a module without import or export
/// declarations, `import()`, `import.meta` or a top-level `this`: it keeps
/// the directive prologue, adds `"use strict"` after it unless the prologue
/// has one, and drops the other top-level empty statements.
fn strict_script_body(body: &mut Vec<swc_core::ecma::ast::ModuleItem>) {
    use swc_core::ecma::ast::{Expr, ExprStmt, Lit, ModuleItem, Stmt, Str};
    use swc_core::ecma::utils::IsDirective;
    let prologue = body
        .iter()
        .position(|item| !item.directive_continue())
        .unwrap_or(body.len());
    let has_use_strict = body.iter().take(prologue).any(|item| item.is_use_strict());
    let mut index = 0;
    body.retain(|item| {
        index += 1;
        index <= prologue || !matches!(item, ModuleItem::Stmt(Stmt::Empty(_)))
    });
    if !has_use_strict {
        let directive = Stmt::Expr(ExprStmt {
            span: swc_core::common::DUMMY_SP,
            expr: Box::new(Expr::Lit(Lit::Str(Str {
                span: swc_core::common::DUMMY_SP,
                raw: None,
                value: "use strict".into(),
            }))),
        });
        body.insert(prologue, ModuleItem::Stmt(directive));
    }
}

// Switches for the equivalence tests below. They are per thread: the test
// harness runs tests in parallel, and a switch flipped by one test must
// not change what another compiles.
#[cfg(test)]
thread_local! {
    /// Run swc's resolver and the built-in names pass instead of
    /// `resolve`, to show that the output is the same.
    static ALWAYS_RUN_SWC_RESOLVER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Run every compatibility pass, to show that skipping them changes
    /// nothing.
    static ALWAYS_RUN_COMPAT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn always_run_swc_resolver() -> bool {
    #[cfg(test)]
    {
        ALWAYS_RUN_SWC_RESOLVER.with(|on| on.get())
    }
    #[cfg(not(test))]
    {
        false
    }
}

fn always_run_compat() -> bool {
    #[cfg(test)]
    {
        ALWAYS_RUN_COMPAT.with(|on| on.get())
    }
    #[cfg(not(test))]
    {
        false
    }
}

/// The names a Somon module exports (`default` included), in source
/// order: from its lowered ES module, so type-only exports are gone.
/// `содир * аз "…"` is listed as `*` followed by its specifier (the
/// bundler expands it with that module's names).
pub(crate) fn export_names(program: &Program, source: &str) -> Vec<String> {
    use swc_core::ecma::ast::{Decl, ModuleDecl, ModuleExportName, ModuleItem};
    let cm: Lrc<SourceMap> = Default::default();
    let bom: u32 = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let text = source.get(bom as usize..).unwrap_or(source);
    let fm = cm.new_source_file(
        Lrc::new(FileName::Internal("exports".into())),
        text.to_string(),
    );
    let lower_opts = LowerOptions {
        rewrite_specifiers: false,
        specifier_map: None,
        json_import_attributes: false,
        type_only_imports: &[],
        constructor_last: false,
        define_property: None,
    };
    let module = Lowerer::new(fm.start_pos.0, bom, &lower_opts, source).lower_program(program);
    let name = |n: &ModuleExportName| match n {
        ModuleExportName::Ident(i) => i.sym.to_string(),
        ModuleExportName::Str(s) => s.value.to_string_lossy().into_owned(),
    };
    let mut out: Vec<String> = Vec::new();
    for item in &module.body {
        let ModuleItem::ModuleDecl(decl) = item else {
            continue;
        };
        match decl {
            ModuleDecl::ExportDecl(e) => match &e.decl {
                Decl::Var(v) => {
                    let ids: Vec<swc_core::ecma::ast::Ident> =
                        swc_core::ecma::utils::find_pat_ids(&v.decls);
                    out.extend(ids.into_iter().map(|i| i.sym.to_string()));
                }
                Decl::Fn(f) => out.push(f.ident.sym.to_string()),
                Decl::Class(c) => out.push(c.ident.sym.to_string()),
                Decl::TsEnum(en) => out.push(en.id.sym.to_string()),
                Decl::TsModule(m) => {
                    if let swc_core::ecma::ast::TsModuleName::Ident(i) = &m.id {
                        out.push(i.sym.to_string());
                    }
                }
                _ => {}
            },
            ModuleDecl::ExportNamed(n) if !n.type_only => {
                for spec in &n.specifiers {
                    match spec {
                        swc_core::ecma::ast::ExportSpecifier::Named(s) if !s.is_type_only => {
                            out.push(name(s.exported.as_ref().unwrap_or(&s.orig)))
                        }
                        swc_core::ecma::ast::ExportSpecifier::Namespace(s) => {
                            out.push(name(&s.name))
                        }
                        swc_core::ecma::ast::ExportSpecifier::Default(s) => {
                            out.push(s.exported.sym.to_string())
                        }
                        _ => {}
                    }
                }
            }
            ModuleDecl::ExportDefaultDecl(_) | ModuleDecl::ExportDefaultExpr(_) => {
                out.push("default".into())
            }
            ModuleDecl::ExportAll(all) if !all.type_only => {
                out.push(format!("*{}", all.src.value.to_string_lossy()))
            }
            _ => {}
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|n| seen.insert(n.clone()));
    out
}

/// The text swc's source map sees. swc's line table ends lines at LF and
/// CR but not at U+2028/U+2029, which end lines in JavaScript (and in our
/// diagnostics): each becomes two spaces and a LF, the same three bytes, so
/// every span still points where it did and map lines match diagnostics.
fn swc_source_text(source: &SourceText<'_>, bom: usize) -> bytes_str::BytesStr {
    let text = source.get(bom..).unwrap_or(source);
    // A byte scan (U+2028/U+2029 are E2 80 A8/A9 in UTF-8): a search for a
    // set of chars decodes every character of the file. `memchr` finds the
    // lead byte E2 (rare in Cyrillic text, whose letters lead with D0–D3)
    // many bytes at a time; only its hits are looked at.
    let bytes = text.as_bytes();
    let separator = |at: usize| matches!(bytes.get(at..at + 3), Some([0xE2, 0x80, 0xA8 | 0xA9]));
    if memchr::memchr_iter(0xE2, bytes).any(separator) {
        return text.replace(['\u{2028}', '\u{2029}'], "  \n").into();
    }
    source.to_shared().slice(bom..)
}

/// Regular expressions the target cannot have: the `v` flag is ES2024 and
/// swc cannot lower it, so it is refused rather than emitted broken.
pub fn target_diagnostics(
    unicode_sets: &[somon_diagnostics::Span],
    target: Target,
) -> Vec<somon_diagnostics::Diagnostic> {
    let name = Target::ALL
        .iter()
        .find(|(_, t)| *t == target)
        .map(|(n, _)| *n)
        .unwrap_or("es2020");
    unicode_sets
        .iter()
        .map(|span| {
            somon_diagnostics::Diagnostic::error(
                somon_diagnostics::Message::RegexUnicodeSetsTarget {
                    target: name.to_string(),
                },
                *span,
            )
        })
        .collect()
}

/// In ES module output, programs that use CommonJS globals get them from
/// `node:module`'s `createRequire` and `import.meta.url` (as esbuild's
/// shims do), so they mean what they mean in the CommonJS output.
fn esm_commonjs_shims(cm: &Lrc<SourceMap>, js: &mut JsProgram, unresolved_mark: Mark) {
    let used = builtins::free_commonjs_globals(js, unresolved_mark);
    if used.is_empty() {
        return;
    }
    let mut text =
        String::from("import { createRequire as __somon_create_require } from \"node:module\";\n");
    text.push_str("import { fileURLToPath as __somon_file_url_to_path } from \"node:url\";\n");
    text.push_str("const __somon_filename = __somon_file_url_to_path(import.meta.url);\n");
    for name in &used {
        let line = match *name {
            "require" => "const require = __somon_create_require(import.meta.url);\n",
            "module" => "const module = { exports: {}, filename: __somon_filename };\n",
            "exports" => "const exports = {};\n",
            "__filename" => "const __filename = __somon_filename;\n",
            _ => "const __dirname = __somon_filename.slice(0, Math.max(__somon_filename.lastIndexOf(\"/\"), __somon_filename.lastIndexOf(\"\\\\\")));\n",
        };
        text.push_str(line);
    }
    let fm = cm.new_source_file(Lrc::new(FileName::Internal("somon-esm-shims".into())), text);
    let mut parser = swc_core::ecma::parser::Parser::new(
        swc_core::ecma::parser::Syntax::Es(Default::default()),
        swc_core::ecma::parser::StringInput::from(&*fm),
        None,
    );
    let Ok(shims) = parser.parse_module() else {
        return;
    };
    // The shim declarations bind the same (free) identifiers the program
    // uses: give them the program's unresolved context.
    struct Mark(swc_core::common::SyntaxContext);
    impl swc_core::ecma::visit::VisitMut for Mark {
        fn visit_mut_ident(&mut self, i: &mut swc_core::ecma::ast::Ident) {
            i.ctxt = self.0;
        }
    }
    let ctxt = swc_core::common::SyntaxContext::empty().apply_mark(unresolved_mark);
    let mut shims = shims;
    swc_core::ecma::visit::VisitMutWith::visit_mut_with(&mut shims, &mut Mark(ctxt));
    if let JsProgram::Module(m) = js {
        let mut body = shims.body;
        body.append(&mut m.body);
        m.body = body;
    }
}

/// Minifier, `hygiene`, `fixer`, code generation and the source map.
pub(crate) fn finish(
    cm: &Lrc<SourceMap>,
    comments: &SingleThreadedComments,
    marks: &Marks,
    js: &mut JsProgram,
    opts: &EmitOptions,
    stages: &mut Stages,
) -> Result<EmitOutput, String> {
    if opts.minify {
        minify(cm, comments, marks, js, opts);
        stages.mark("swc minifier");
    }
    hygiene_and_fixer(comments, js, stages);
    print(cm, js, opts, stages)
}

/// swc's minifier (compress and mangle as configured).
pub(crate) fn minify(
    cm: &Lrc<SourceMap>,
    comments: &SingleThreadedComments,
    marks: &Marks,
    js: &mut JsProgram,
    opts: &EmitOptions,
) {
    // Names of functions and classes are never mangled under keepNames:
    // transforms for old targets bind a class's inner function and its
    // variable as one name, which `keep_fnames` alone would not keep.
    let reserved = if opts.keep_names {
        keep_inferred_names(js, marks.unresolved)
    } else {
        Vec::new()
    };
    let options = MinifyOptions {
        compress: opts.compress.then(|| CompressOptions {
            top_level: None,
            keep_fnames: opts.keep_names,
            keep_classnames: opts.keep_names,
            ..Default::default()
        }),
        mangle: opts.mangle.then(|| MangleOptions {
            keep_fn_names: opts.keep_names,
            keep_class_names: opts.keep_names,
            reserved,
            ..Default::default()
        }),
        ..Default::default()
    };
    let taken = std::mem::replace(js, JsProgram::Module(Default::default()));
    *js = swc_core::ecma::minifier::optimize(
        taken,
        cm.clone(),
        Some(comments),
        None,
        &options,
        &ExtraOptions {
            unresolved_mark: marks.unresolved,
            top_level_mark: marks.top_level,
            mangle_name_cache: None,
        },
    );
}

/// `keep_fnames`/`keep_classnames` keep the names functions and classes
/// are declared with; an anonymous one gets its `.name` from the variable
/// it is bound to, which mangling renames. Such bindings get the name
/// written into the value (`Object.defineProperty(v, "name", …)`, as
/// esbuild's `--keep-names` does), so `.name` is what it was.
fn keep_inferred_names(js: &mut JsProgram, unresolved: Mark) -> Vec<swc_core::ecma::atoms::Atom> {
    use swc_core::common::DUMMY_SP;
    use swc_core::ecma::ast as j;
    use swc_core::ecma::visit::{VisitMut, VisitMutWith};
    struct Names(
        swc_core::common::SyntaxContext,
        std::collections::BTreeSet<swc_core::ecma::atoms::Atom>,
    );
    fn is_name(key: &j::PropName) -> bool {
        match key {
            j::PropName::Ident(i) => &*i.sym == "name",
            j::PropName::Str(s) => &*s.value == "name",
            _ => false,
        }
    }
    fn anonymous(e: &j::Expr) -> bool {
        match e {
            j::Expr::Arrow(_) => true,
            j::Expr::Fn(f) => f.ident.is_none(),
            // A class with its own static `name` keeps it.
            j::Expr::Class(c) => {
                c.ident.is_none()
                    && !c.class.body.iter().any(|m| match m {
                        j::ClassMember::Method(m) => m.is_static && is_name(&m.key),
                        j::ClassMember::ClassProp(p) => p.is_static && is_name(&p.key),
                        _ => false,
                    })
            }
            _ => false,
        }
    }
    impl VisitMut for Names {
        fn visit_mut_fn_decl(&mut self, f: &mut j::FnDecl) {
            self.1.insert(f.ident.sym.clone());
            f.visit_mut_children_with(self);
        }
        fn visit_mut_class_decl(&mut self, c: &mut j::ClassDecl) {
            self.1.insert(c.ident.sym.clone());
            c.visit_mut_children_with(self);
        }
        fn visit_mut_fn_expr(&mut self, f: &mut j::FnExpr) {
            if let Some(i) = &f.ident {
                self.1.insert(i.sym.clone());
            }
            f.visit_mut_children_with(self);
        }
        fn visit_mut_class_expr(&mut self, c: &mut j::ClassExpr) {
            if let Some(i) = &c.ident {
                self.1.insert(i.sym.clone());
            }
            c.visit_mut_children_with(self);
        }
        fn visit_mut_var_declarator(&mut self, d: &mut j::VarDeclarator) {
            d.visit_mut_children_with(self);
            let (j::Pat::Ident(id), Some(init)) = (&d.name, &mut d.init) else {
                return;
            };
            if !anonymous(init) {
                return;
            }
            let name = id.id.sym.clone();
            let value =
                std::mem::replace(&mut **init, j::Expr::Invalid(j::Invalid { span: DUMMY_SP }));
            let str_lit = |s: &str| {
                j::Expr::Lit(j::Lit::Str(j::Str {
                    span: DUMMY_SP,
                    value: s.into(),
                    raw: None,
                }))
            };
            let descriptor = j::Expr::Object(j::ObjectLit {
                span: DUMMY_SP,
                props: vec![
                    j::PropOrSpread::Prop(Box::new(j::Prop::KeyValue(j::KeyValueProp {
                        key: j::PropName::Ident(j::IdentName::new("value".into(), DUMMY_SP)),
                        value: Box::new(str_lit(&name)),
                    }))),
                    j::PropOrSpread::Prop(Box::new(j::Prop::KeyValue(j::KeyValueProp {
                        key: j::PropName::Ident(j::IdentName::new("configurable".into(), DUMMY_SP)),
                        value: Box::new(j::Expr::Lit(j::Lit::Bool(j::Bool {
                            span: DUMMY_SP,
                            value: true,
                        }))),
                    }))),
                ],
            });
            let object = j::Expr::Ident(j::Ident::new("Object".into(), DUMMY_SP, self.0));
            **init = j::Expr::Call(j::CallExpr {
                span: DUMMY_SP,
                ctxt: swc_core::common::SyntaxContext::empty(),
                callee: j::Callee::Expr(Box::new(j::Expr::Member(j::MemberExpr {
                    span: DUMMY_SP,
                    obj: Box::new(object),
                    prop: j::MemberProp::Ident(j::IdentName::new(
                        "defineProperty".into(),
                        DUMMY_SP,
                    )),
                }))),
                args: vec![
                    j::ExprOrSpread {
                        spread: None,
                        expr: Box::new(value),
                    },
                    j::ExprOrSpread {
                        spread: None,
                        expr: Box::new(str_lit("name")),
                    },
                    j::ExprOrSpread {
                        spread: None,
                        expr: Box::new(descriptor),
                    },
                ],
                type_args: None,
            });
        }
    }
    let mut names = Names(
        swc_core::common::SyntaxContext::empty().apply_mark(unresolved),
        Default::default(),
    );
    js.visit_mut_with(&mut names);
    names.1.into_iter().collect()
}

pub(crate) fn hygiene_and_fixer(
    comments: &SingleThreadedComments,
    js: &mut JsProgram,
    stages: &mut Stages,
) {
    // Keeps `hygiene` linear when many functions declare the same name,
    // and skips it when no two bindings of one name can meet.
    let rename = shared_names::share_local_names(js);
    stages.mark("shared names");
    if rename {
        hygiene().process(js);
    }
    stages.mark("swc hygiene");
    fixer(Some(comments)).process(js);
    stages.mark("swc fixer");
}

/// Some swc transforms derive spans by arithmetic (`span.hi - 1`), which
/// can land inside a multi-byte character of a Tajik source; a mapping
/// must point at a character, so each is moved back to one.
fn snap_to_char_boundaries(
    cm: &Lrc<SourceMap>,
    mappings: &mut [(
        swc_core::common::BytePos,
        swc_core::common::source_map::LineCol,
    )],
) {
    for (pos, _) in mappings.iter_mut() {
        let Some(fm) = cm.try_lookup_source_file(*pos).ok().flatten() else {
            continue;
        };
        let src: &str = &fm.src;
        let mut rel = (pos.0.saturating_sub(fm.start_pos.0)) as usize;
        if rel > src.len() {
            rel = src.len();
        }
        while rel > 0 && !src.is_char_boundary(rel) {
            rel -= 1;
        }
        *pos = swc_core::common::BytePos(fm.start_pos.0 + rel as u32);
    }
}

fn print(
    cm: &Lrc<SourceMap>,
    js: &JsProgram,
    opts: &EmitOptions,
    stages: &mut Stages,
) -> Result<EmitOutput, String> {
    let want_map = opts.source_map != SourceMapKind::None;
    let (code, mut mappings) = print_node(cm, js, 0, opts, want_map, false)?;
    stages.mark("codegen");
    if !want_map {
        return Ok(EmitOutput { code, map: None });
    }
    let map = source_map(cm, &mut mappings, opts.inline_sources);
    let out = render_map(code, map, opts);
    stages.mark("source map");
    out
}

/// Where `s` ends relative to where it starts, counted as swc's writer
/// counts for source maps: line breaks (`\n`, `\r`, `\r\n`) and the
/// UTF-16 length of the last line.
pub(crate) fn extent(s: &str) -> (u32, u32) {
    let bytes = s.as_bytes();
    let mut lines = 0u32;
    let mut last_start = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        match b {
            b'\r' => {
                if bytes.get(i) == Some(&b'\n') {
                    i += 1;
                }
                lines += 1;
                last_start = i;
            }
            b'\n' => {
                lines += 1;
                last_start = i;
            }
            _ => {}
        }
    }
    let last = s.get(last_start..).unwrap_or("");
    let col = if last.is_ascii() {
        last.len()
    } else {
        last.encode_utf16().count()
    };
    (lines, col as u32)
}

/// Where text printed so far ends: its line and the UTF-16 column on it
/// (as source maps count), for placing the mappings of text printed on
/// its own and appended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct TextEnd {
    pub line: u32,
    pub col: u32,
}

impl TextEnd {
    /// The end of `text` printed from the start.
    pub(crate) fn of(text: &str) -> TextEnd {
        let mut end = TextEnd::default();
        end.advance(text);
        end
    }

    /// Moves past `text`, printed here.
    pub(crate) fn advance(&mut self, text: &str) {
        self.advance_by(extent(text));
    }

    /// Moves past text of that [`extent`].
    pub(crate) fn advance_by(&mut self, (lines, col): (u32, u32)) {
        if lines == 0 {
            self.col += col;
        } else {
            self.line += lines;
            self.col = col;
        }
    }

    /// Where a position (`line`, `col`) of text printed from here on,
    /// counted from that text's own start, lies.
    pub(crate) fn shift(self, line: u32, col: u32) -> (u32, u32) {
        if line == 0 {
            (self.line, self.col + col)
        } else {
            (self.line + line, col)
        }
    }
}

/// Raw mappings from the code generator: a position in the source map's
/// files and the generated line and column (UTF-16).
pub(crate) type Mappings = Vec<(
    swc_core::common::BytePos,
    swc_core::common::source_map::LineCol,
)>;

/// Prints one node `indent` levels deep (four spaces each) with the
/// code-generation settings of `opts`; collects the mappings when
/// `want_map`. `omit_last_semi` leaves out a final `;` of minified
/// statements that a `}` will close.
pub(crate) fn print_node<N: swc_core::ecma::codegen::Node>(
    cm: &Lrc<SourceMap>,
    node: &N,
    indent: usize,
    opts: &EmitOptions,
    want_map: bool,
    omit_last_semi: bool,
) -> Result<(String, Mappings), String> {
    let mut buf = Vec::new();
    let mut mappings = Vec::new();
    {
        let mut emitter = emitter(
            cm,
            &mut buf,
            want_map.then_some(&mut mappings),
            indent,
            opts,
            omit_last_semi,
        )?;
        node.emit_with(&mut emitter).map_err(|e| e.to_string())?;
    }
    let code = String::from_utf8(buf).map_err(|e| e.to_string())?;
    Ok((code, mappings))
}

/// A code generator writing into `out`, `indent` levels deep (four spaces
/// each), with the code-generation settings of `opts`; mappings go to
/// `mappings` when given. `omit_last_semi` leaves out a final `;` of
/// minified code that a `}` will close.
pub(crate) fn emitter<'a, W: std::io::Write + 'a>(
    cm: &Lrc<SourceMap>,
    out: W,
    mappings: Option<&'a mut Mappings>,
    indent: usize,
    opts: &EmitOptions,
    omit_last_semi: bool,
) -> Result<
    Emitter<'a, Box<dyn swc_core::ecma::codegen::text_writer::WriteJs + 'a>, SourceMap>,
    String,
> {
    use swc_core::ecma::codegen::text_writer::{omit_trailing_semi, WriteJs};
    let mut wr = JsWriter::new(cm.clone(), "\n", out, mappings);
    for _ in 0..indent {
        wr.increase_indent().map_err(|e| e.to_string())?;
    }
    let wr: Box<dyn WriteJs + 'a> = if opts.minify {
        Box::new(omit_trailing_semi(wr))
    } else {
        Box::new(wr)
    };
    Ok(Emitter {
        cfg: CodegenConfig::default()
            .with_minify(opts.minify)
            .with_target(opts.target.es_version())
            .with_ascii_only(false)
            .with_omit_last_semi(omit_last_semi && opts.minify),
        cm: cm.clone(),
        comments: None,
        wr,
    })
}

/// The source map of printed code, from its raw mappings (files named
/// `FileName::Internal` — runtime, JSON and JavaScript modules — have none).
pub(crate) fn source_map(
    cm: &Lrc<SourceMap>,
    mappings: &mut Mappings,
    inline_sources: bool,
) -> swc_sourcemap::SourceMap {
    snap_to_char_boundaries(cm, mappings);
    cm.build_source_map(mappings, None, MapConfig { inline_sources })
}

/// The map as JSON next to the code, or inlined at its end.
pub(crate) fn render_map(
    mut code: String,
    mut map: swc_sourcemap::SourceMap,
    opts: &EmitOptions,
) -> Result<EmitOutput, String> {
    if let Some(file) = &opts.output_name {
        map.set_file(Some(file.clone()));
    }
    let mut json = Vec::new();
    map.to_writer(&mut json).map_err(|e| e.to_string())?;
    let json = String::from_utf8(json).map_err(|e| e.to_string())?;
    match opts.source_map {
        SourceMapKind::Inline => {
            use base64::Engine;
            if !code.ends_with('\n') {
                code.push('\n');
            }
            code.push_str("//# sourceMappingURL=data:application/json;charset=utf-8;base64,");
            code.push_str(&base64::engine::general_purpose::STANDARD.encode(json.as_bytes()));
            code.push('\n');
            Ok(EmitOutput { code, map: None })
        }
        _ => Ok(EmitOutput {
            code,
            map: Some(json),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::{
        emit, EmitOptions, ModuleKind, SourceMapKind, Target, ALWAYS_RUN_COMPAT,
        ALWAYS_RUN_SWC_RESOLVER,
    };
    use std::path::{Path, PathBuf};

    /// The programs the equivalence tests compile both ways: the
    /// repository's conformance and fixture folders, the shared corpus when
    /// it is there, and the files `SOMON_RESOLVE_EXTRA` names (such as the
    /// benchmark's program).
    fn corpus_files() -> Vec<PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files = Vec::new();
        for dir in [
            "tests/conformance",
            "crates/somon_compiler/tests/fixtures",
            "../shared/conformance",
        ] {
            files.extend(somon_fs::som_files_below(
                &somon_fs::RealFs,
                &root.join(dir),
            ));
        }
        if let Ok(extra) = std::env::var("SOMON_RESOLVE_EXTRA") {
            files.extend(extra.split(':').map(PathBuf::from));
        }
        assert!(
            files.len() > 50,
            "corpus not found below {}",
            root.display()
        );
        files
    }

    /// `resolve` (our marks and built-in names in one walk) gives the
    /// output swc's resolver and the built-in names pass give: every
    /// program of the repository's conformance and fixture folders (and
    /// of the shared corpus, when it is there; `SOMON_RESOLVE_EXTRA` names
    /// more files, such as the benchmark's program), at several targets,
    /// both module formats and minified.
    #[test]
    fn own_resolver_gives_the_output_of_swcs() {
        let files = corpus_files();
        let mut compared = 0;
        for file in &files {
            let Ok(src) = std::fs::read_to_string(file) else {
                continue;
            };
            let parsed = somon_syntax::parse(&src);
            if !parsed.diagnostics.is_empty() {
                continue;
            }
            let configs = [
                (Target::Es5, ModuleKind::Cjs, false),
                (Target::Es2015, ModuleKind::Esm, false),
                (Target::Es2020, ModuleKind::Cjs, false),
                (Target::Es2020, ModuleKind::Esm, false),
                (Target::EsNext, ModuleKind::Cjs, false),
                (Target::Es2020, ModuleKind::Cjs, true),
            ];
            for (target, module, minify) in configs {
                let opts = EmitOptions {
                    target,
                    module,
                    minify,
                    ..EmitOptions::default()
                };
                let ours = emit(&parsed.program, &src, &opts);
                ALWAYS_RUN_SWC_RESOLVER.with(|on| on.set(true));
                let swc = emit(&parsed.program, &src, &opts);
                ALWAYS_RUN_SWC_RESOLVER.with(|on| on.set(false));
                assert_eq!(
                    ours,
                    swc,
                    "{} {target:?} {module:?} minify {minify}",
                    file.display()
                );
                compared += 1;
            }
        }
        assert!(compared > 300, "only {compared} compilations compared");
    }

    /// The output with every skippable pass run (es2022, es2021, swc's
    /// CommonJS pass) and swc lowering every class field must be the output
    /// with them skipped and the common fields lowered directly, at targets
    /// below es2022 and above, both module formats and minified.
    fn assert_passes_change_nothing(src: &str, label: &str) -> usize {
        let parsed = somon_syntax::parse(src);
        if !parsed.diagnostics.is_empty() {
            return 0;
        }
        let configs = [
            (Target::Es5, ModuleKind::Cjs, false, SourceMapKind::None),
            (Target::Es2015, ModuleKind::Cjs, false, SourceMapKind::None),
            (Target::Es2015, ModuleKind::Esm, false, SourceMapKind::None),
            (
                Target::Es2020,
                ModuleKind::Cjs,
                false,
                SourceMapKind::Separate,
            ),
            (Target::Es2020, ModuleKind::Esm, false, SourceMapKind::None),
            (Target::Es2021, ModuleKind::Cjs, false, SourceMapKind::None),
            (Target::EsNext, ModuleKind::Cjs, false, SourceMapKind::None),
            (Target::Es2020, ModuleKind::Cjs, true, SourceMapKind::None),
        ];
        for (target, module, minify, source_map) in configs {
            let opts = EmitOptions {
                target,
                module,
                minify,
                source_map,
                ..EmitOptions::default()
            };
            let skipped = emit(&parsed.program, src, &opts);
            ALWAYS_RUN_COMPAT.with(|on| on.set(true));
            let all = emit(&parsed.program, src, &opts);
            ALWAYS_RUN_COMPAT.with(|on| on.set(false));
            assert_eq!(
                skipped, all,
                "{label} {target:?} {module:?} minify {minify}"
            );
        }
        configs.len()
    }

    /// The es2022, es2021 and CommonJS passes are skipped when lowering
    /// emitted nothing they rewrite: the output must be what running them
    /// gives, for every program of the conformance and fixture folders
    /// (`SOMON_RESOLVE_EXTRA` names more files) and the programs below.
    /// (Other tests of this crate may run while the switch is on: they then
    /// run every pass, which by this very test changes nothing.)
    #[test]
    fn skipping_compat_passes_changes_no_output() {
        let programs = [
            // Classes without fields: the class-fields pass only moves
            // the constructor last, which lowering now does itself.
            "синф А {\n  ф(): рақам { бозгашт 1; }\n  конструктор(н: рақам) { чоп.сабт(н); }\n}\n\
             синф Б мерос А {\n  конструктор() { супер(2); }\n  г() { бозгашт супер.ф(); }\n}\n\
             тағ В = синф { конструктор() {} м() {} };\nчоп.сабт(нав Б().г(), В);\n",
            "синф А {\n  конструктор() {}\n  [\"к\" + 1]() { бозгашт 1; }\n}\n",
            // Fields, private names, static blocks.
            "синф А {\n  х = 1;\n  #у = 2;\n  статикӣ { чоп.сабт(1); }\n  ф() { бозгашт #у дар ин; }\n}\n",
            // Fields lowered directly: base and derived classes, with and
            // without a constructor and initialisers, name and string keys,
            // static ones (after the class), in nested functions.
            "синф А {\n  х: рақам;\n  у = 2;\n  \"з к\" = \"с\";\n  статикӣ с = 3;\n  статикӣ т: рақам;\n\
               конструктор(н: рақам) { ин.х = н; }\n  ф() { бозгашт ин.у; }\n}\n\
             синф Б мерос А {\n  б = () => ин.у;\n  статикӣ ҳ = [1, 2];\n\
               конструктор(н: рақам, ҷамъиятӣ м: рақам) { супер(н); чоп.сабт(н); }\n}\n\
             синф В { в = { а: 1 }; ф() {} }\n\
             функсия ф() { синф Г мерос В { г = 1; конструктор() { супер(); } } бозгашт нав Г(); }\n\
             чоп.сабт(нав Б(1, 2), нав В(), ф(), А.с, Б.ҳ);\n",
            // Fields left to swc's pass: a value naming a constructor
            // binding, a derived class without a constructor, `this` in a
            // static value, a class expression with a static field, a
            // superclass that is not a name, `super` and `new.target` in
            // values, two `super(…)` calls.
            "тағ н = 1;\nсинф А { х = н; конструктор(н: рақам) { чоп.сабт(н); } }\n\
             синф Б мерос А { у = 2; }\n\
             синф В { статикӣ в = 1; статикӣ г = ин.в; }\n\
             тағ Г = синф { статикӣ г = 1; };\n\
             тағ Д = синф { д = 1; };\n\
             синф Е мерос (А) { статикӣ е = 1; конструктор() { супер(1); } }\n\
             синф Ж мерос А { ж = супер.х; з = нав.target; конструктор() { агар (н) супер(1); вагарна супер(2); } }\n\
             чоп.сабт(нав Б(1), В, Г, Д, Е, Ж);\n",
            "синф А { а = 1; #б = 2; }\nсинф Б { [\"к\"] = 1; }\nсинф В { в = 1; [\"м\"]() {} }\n\
             синф Г { г = 1; статикӣ { чоп.сабт(1); } }\nчоп.сабт(А, Б, В, Г);\n",
            // The class's own name in values; a class in a switch case and
            // a namespace.
            "синф А { статикӣ а = 1; статикӣ б = А.а + 1; х = А.б; }\nчоп.сабт(нав А().х);\n",
            "интихоб (1) { ҳолат 1: синф А { а = 1; статикӣ б = 2; } чоп.сабт(А); }\n",
            "номфазо Н { содир синф А { а = 1; статикӣ б = 2; } синф Б { б = 1; } }\nчоп.сабт(Н.А);\n",
            "содир синф А { а = 1; статикӣ б = 2; }\nсодир пешфарз синф { в = 1; }\n",
            "содир пешфарз синф Б { в = 1; }\nтағ ф = () => синф { г = 1; };\nчоп.сабт(ф());\n",
            // Logical assignment and a regular expression with `d`.
            "тағ а: рақам | холӣ = холӣ;\nа ??= 1;\nтағ б = /х/d;\nчоп.сабт(а, б);\n",
            "тағ а = 1;\nчоп.сабт(а);\n",
            // `this` at the top level, in arrows, keys and values (the
            // CommonJS pass makes it `void 0`) and in functions (it does not).
            "чоп.сабт(ин);\n",
            "тағ ф = () => ин;\nфунксия г() { бозгашт ин; }\nчоп.сабт(ф(), г());\n",
            "тағ о = { х: 1, ф() { бозгашт ин; }, гир г() { бозгашт ин; } };\nчоп.сабт(о);\n",
            "тағ о = { х: ин };\nчоп.сабт(о);\n",
            "синф А {\n  ф() { бозгашт ин; }\n  х = ин;\n  статикӣ у = ин;\n}\nчоп.сабт(А);\n",
            "синф А {\n  конструктор(а = ин) { чоп.сабт(а); }\n}\nчоп.сабт(А);\n",
            // Directive prologue and empty statements.
            "\"салом\";\n\"use strict\";\n;\nтағ а = 1;;\nчоп.сабт(а);\n;\n",
            "\"салом\";\n;\n\"дигар\";\nчоп.сабт(1);\n",
            ";\n",
            "",
            // `import()` and `import.meta`.
            "ворид(\"./м.js\").then((м) => чоп.сабт(м));\n",
            "чоп.сабт(ворид.meta.url);\n",
            // Module syntax.
            "содир тағ а = 1;\n",
            "ворид { б } аз \"./б\";\nчоп.сабт(б);\n",
        ];
        let mut compared = 0;
        for src in programs {
            let parsed = somon_syntax::parse(src);
            assert!(
                parsed.diagnostics.is_empty(),
                "{src}: {:?}",
                parsed.diagnostics
            );
            compared += assert_passes_change_nothing(src, src);
        }
        let files = corpus_files();
        for file in &files {
            if let Ok(src) = std::fs::read_to_string(file) {
                compared += assert_passes_change_nothing(&src, &file.display().to_string());
            }
        }
        assert!(compared > 400, "only {compared} compilations compared");
    }
}
