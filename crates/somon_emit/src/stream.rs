//! Emission of a module one top-level statement at a time, for a large
//! module parsed statement by statement (`somon_syntax::parse_each`): each
//! statement is lowered, put through the passes and printed on its own,
//! then dropped, so neither the whole Somon tree nor the whole swc tree is
//! ever held. What spans statements is done once: the names the module
//! declares at its top level are given up front (their references get the
//! top-level context, so no statement takes them for free built-ins), the
//! directive prologue, `"use strict"` and the helpers are printed last and
//! put in front.
//!
//! Only modules whose statements need nothing of each other at emission
//! are streamed: the target is es2020 or later, no minifier, no
//! `--define`, no import or export, and no statement that a module-wide
//! pass would rewrite (class features or logical assignments that the
//! target lacks, `import()`, `import.meta`, a top-level `this`, CommonJS
//! globals in ES module output). For the others [`NotStreamable`] says
//! why, and the caller emits the whole tree instead.

use crate::lower::Lowerer;
use crate::{
    annotations, builtins, define, hygiene_and_fixer, print_node, render_map, resolve, source_map,
    EmitOptions, EmitOutput, Mappings, Marks, ModuleKind, SourceMapKind, Stages, Target, TextEnd,
};
use rustc_hash::FxHashSet;
use somon_syntax::ast::Stmt;
use swc_core::common::comments::SingleThreadedComments;
use swc_core::common::source_map::LineCol;
use swc_core::common::sync::Lrc;
use swc_core::common::{SourceMap, DUMMY_SP};
use swc_core::ecma::ast::{Module, ModuleItem, Pass, Program as JsProgram};
use swc_core::ecma::atoms::Atom;
use swc_core::ecma::transforms::base::helpers::inject_helpers;
use swc_core::ecma::utils::IsDirective;

/// What hands a module's statements, one at a time, to the function it
/// is given (which returns `false` when it wants no more).
pub type Statements<'f> = dyn FnMut(&mut dyn FnMut(&Stmt) -> bool) + 'f;

/// Why a module is emitted as a whole instead of statement by statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotStreamable(pub &'static str);

/// Whether the options allow emitting statement by statement at all
/// (what the statements contain is seen as they come).
pub fn streamable_options(opts: &EmitOptions) -> Result<(), NotStreamable> {
    if opts.target < Target::Es2020 {
        return Err(NotStreamable(
            "the target needs module-wide compatibility passes",
        ));
    }
    if opts.minify {
        return Err(NotStreamable("the minifier works on the whole module"));
    }
    if !opts.define.is_empty() {
        return Err(NotStreamable(
            "`--define` runs every pass on the whole module",
        ));
    }
    if crate::always_run_compat() || crate::always_run_swc_resolver() {
        return Err(NotStreamable("a test runs swc's own passes"));
    }
    Ok(())
}

/// The names a top-level statement declares as values (what the module's
/// top-level scope holds in the output).
pub fn top_level_names(stmt: &Stmt, out: &mut FxHashSet<Atom>) {
    for name in crate::lower::declared_value_names(stmt) {
        out.insert(Atom::from(&*name));
    }
}

/// Emits a module whose top-level statements `statements` hands, one at a
/// time, to the function it is given (in source order; `module_names`
/// are the names they declare, from [`top_level_names`]); when that
/// function returns `false`, no more are wanted. The result is
/// what [`crate::emit`] gives for the whole tree; `Err` when a statement
/// needs a module-wide pass (the caller then emits the whole tree).
pub fn emit_each(
    source: &crate::SourceText<'_>,
    opts: &EmitOptions,
    module_names: &FxHashSet<Atom>,
    statements: &mut Statements<'_>,
    stages: &mut Stages,
) -> Result<Result<EmitOutput, String>, NotStreamable> {
    streamable_options(opts)?;
    crate::in_swc_globals(|| {
        let cm: Lrc<SourceMap> = Default::default();
        let comments = SingleThreadedComments::default();
        let marks = Marks::new();
        let (fm, bom) = crate::register_source(&cm, source, &opts.source_name);
        let lower_opts = crate::lower_options(opts, opts.specifier_map.as_ref());
        let mut lowerer = Lowerer::new(fm.start_pos.0, bom, &lower_opts, source);
        stages.mark("emit setup");
        let want_map = opts.source_map != SourceMapKind::None;
        let mut out = Output::default();
        let mut failed: Result<(), EmitFailure> = Ok(());
        let mut statements_done = 0usize;
        let mut each = |stmt: &Stmt| {
            if failed.is_err() {
                return false;
            }
            statements_done += 1;
            if statements_done.is_multiple_of(FORGET_NAMES_EVERY) {
                crate::forget_unused_names();
            }
            let mut items = Vec::new();
            lowerer.lower_module_item(stmt, &mut items);
            let features = std::mem::take(&mut lowerer.features);
            let result = emit_items(
                &cm,
                &comments,
                &marks,
                opts,
                module_names,
                items,
                features,
                want_map,
                &mut out,
            );
            if let Err(e) = result {
                failed = Err(e);
                return false;
            }
            true
        };
        statements(&mut each);
        drop(lowerer);
        match failed {
            Err(EmitFailure::NotStreamable(why)) => return Err(why),
            Err(EmitFailure::Print(message)) => return Ok(Err(message)),
            Ok(()) => {}
        }
        stages.mark("lower, passes and codegen (each statement)");
        // The module's head: its directive prologue, `"use strict"` (CommonJS)
        // and the helpers the statements used, as the whole module has them.
        let mut head = Module {
            span: DUMMY_SP,
            body: std::mem::take(&mut out.prologue),
            shebang: None,
        };
        if opts.module == ModuleKind::Cjs {
            crate::strict_script_body(&mut head.body);
        }
        let mut head = JsProgram::Module(head);
        inject_helpers(marks.unresolved).process(&mut head);
        hygiene_and_fixer(&comments, &mut head, &mut Stages::off());
        let printed = print_node(&cm, &head, 0, opts, want_map, false);
        let (head_code, head_mappings) = match printed {
            Ok(printed) => printed,
            Err(message) => return Ok(Err(message)),
        };
        let head_end = TextEnd::of(&head_code);
        out.code.insert_str(0, &head_code);
        stages.mark("module head");
        if !want_map {
            return Ok(Ok(EmitOutput {
                code: out.code,
                map: None,
            }));
        }
        let mut mappings = head_mappings;
        mappings.reserve(out.mappings.len());
        mappings.extend(
            out.mappings
                .into_iter()
                .map(|(pos, lc)| (pos, shifted(head_end, lc))),
        );
        let map = source_map(&cm, &mut mappings, opts.inline_sources);
        let rendered = render_map(out.code, map, opts);
        stages.mark("source map");
        Ok(rendered)
    })
}

/// How many statements are emitted between two sweeps of the names no
/// statement holds any more (a sweep reads every name held).
const FORGET_NAMES_EVERY: usize = 4096;

enum EmitFailure {
    NotStreamable(NotStreamable),
    Print(String),
}

/// The output so far.
#[derive(Default)]
struct Output {
    code: String,
    /// Mappings of `code`, lines counted from its start.
    mappings: Mappings,
    /// Where `code` ends (kept only when mappings are made).
    end: TextEnd,
    /// The directive prologue while it lasts (printed with the head).
    prologue: Vec<ModuleItem>,
    /// A statement other than a directive has been seen.
    past_prologue: bool,
}

/// One statement's lowered items through the passes of `transform` and
/// `finish`, printed onto `out`.
#[allow(clippy::too_many_arguments)]
fn emit_items(
    cm: &Lrc<SourceMap>,
    comments: &SingleThreadedComments,
    marks: &Marks,
    opts: &EmitOptions,
    module_names: &FxHashSet<Atom>,
    mut items: Vec<ModuleItem>,
    features: crate::lower::Features,
    want_map: bool,
    out: &mut Output,
) -> Result<(), EmitFailure> {
    let not = |why| Err(EmitFailure::NotStreamable(NotStreamable(why)));
    if features.common_js {
        return not("`import()`, `import.meta` or a top-level `this`");
    }
    if (opts.target < Target::Es2022 && features.es2022)
        || (opts.target < Target::Es2021 && features.es2021)
    {
        return not("a class feature or logical assignment the target lacks");
    }
    if items.iter().any(ModuleItem::is_module_decl) {
        return not("an import or export");
    }
    if !out.past_prologue {
        // Directives stay in front (and `;` is dropped from the top level
        // of CommonJS output, as `strict_script_body` does).
        let mut rest = Vec::new();
        for item in items {
            if !out.past_prologue && item.directive_continue() {
                out.prologue.push(item);
            } else {
                out.past_prologue = true;
                rest.push(item);
            }
        }
        items = rest;
    }
    if opts.module == ModuleKind::Cjs {
        items.retain(|item| !matches!(item, ModuleItem::Stmt(swc_core::ecma::ast::Stmt::Empty(_))));
    }
    if items.is_empty() {
        return Ok(());
    }
    let mut module = Module {
        span: DUMMY_SP,
        body: items,
        shebang: None,
    };
    resolve::resolve_statement_with_builtins(
        &mut module,
        marks.unresolved,
        marks.top_level,
        module_names,
    );
    let mut js = JsProgram::Module(module);
    define::apply(
        cm,
        &mut js,
        marks.unresolved,
        &opts.define,
        opts.drop_console,
        opts.drop_debugger,
    );
    if opts.module == ModuleKind::Esm {
        if !builtins::free_commonjs_globals(&js, marks.unresolved).is_empty() {
            return not("CommonJS globals in ES module output");
        }
        if let JsProgram::Module(m) = &mut js {
            let free = swc_core::common::SyntaxContext::empty().apply_mark(marks.unresolved);
            annotations::wrap_classes(m, free);
        }
    }
    hygiene_and_fixer(comments, &mut js, &mut Stages::off());
    let (code, mappings) =
        print_node(cm, &js, 0, opts, want_map, false).map_err(EmitFailure::Print)?;
    // Dropped before the next statement is parsed.
    drop(js);
    reserve_gently(&mut out.code, code.len());
    out.code.push_str(&code);
    // Where the output ends only places mappings.
    if want_map {
        let end = out.end;
        out.mappings.extend(
            mappings
                .into_iter()
                .map(|(pos, lc)| (pos, shifted(end, lc))),
        );
        out.end.advance(&code);
    }
    Ok(())
}

/// A mapping of text printed after `end` on its own (a statement printed
/// after a block may go on on the block's last line).
fn shifted(end: TextEnd, lc: LineCol) -> LineCol {
    let (line, col) = end.shift(lc.line, lc.col);
    LineCol { line, col }
}

/// Grows `code` by a quarter when it is full, not by doubling: the output
/// is the largest thing a streamed compile holds.
fn reserve_gently(code: &mut String, more: usize) {
    let needed = code.len() + more;
    if needed > code.capacity() {
        let grown = (code.capacity() + code.capacity() / 4)
            .max(needed)
            .max(64 * 1024);
        code.reserve_exact(grown - code.len());
    }
}
