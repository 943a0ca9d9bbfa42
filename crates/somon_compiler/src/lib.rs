//! The SomonScript compiler pipeline: source text in, JavaScript and
//! diagnostics out. Pure: no file system, no environment, no clock (except
//! the opt-in stage timings of `CompileOptions::timings`, which never
//! change the output).
//!
//! `source → lexer → parser → (checker) → lowering to swc → JavaScript`.
//! Any error diagnostic means no code is returned (decisions.md §1.6).

use somon_check::CheckOptions;
pub use somon_check::{ModuleImports, NoImports};
use somon_diagnostics::{
    render_legacy, sort_diagnostics, Diagnostic, Lang, Message, ResolvedDiagnostic, Severity,
};
pub use somon_emit::define;
use somon_emit::emit_timed;
pub use somon_emit::set_probe;
pub use somon_emit::{deferring_drops, DeferredDrops};
pub use somon_emit::{EmitOptions, ModuleKind, SourceMapKind, SourceText, Stages, Target};
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct CompileOptions {
    /// The file name used in diagnostics and as the map's `sources` entry.
    pub file_name: String,
    /// The output file name, for the map's `file` field.
    pub output_name: Option<String>,
    pub target: Target,
    pub module: ModuleKind,
    pub minify: bool,
    pub compress: bool,
    pub mangle: bool,
    /// With `minify`: keep `.name` of functions and classes.
    pub keep_names: bool,
    pub source_map: SourceMapKind,
    pub inline_sources: bool,
    pub type_check: bool,
    pub lang: Lang,
    /// Import specifier → emitted specifier (see `somon_project::output_specifiers`).
    pub specifier_map: Option<std::collections::HashMap<String, String>>,
    /// `true` (default): relative imports get the extension of the emitted
    /// file (`./lib/shakl` → `./lib/shakl.js`) and `specifier_map` applies.
    /// `false`: every import specifier stays exactly as written, for tools
    /// that resolve them again themselves (bundler plugins, loader hooks).
    pub rewrite_relative_import_extensions: bool,
    /// Record how long each stage took (`CompileOutput::timings`): a
    /// diagnostic option for profiling; off, no clock is read.
    pub timings: bool,
}

impl Default for CompileOptions {
    fn default() -> Self {
        CompileOptions {
            file_name: "input.som".into(),
            output_name: None,
            target: Target::Es2020,
            module: ModuleKind::Cjs,
            minify: false,
            compress: true,
            mangle: true,
            keep_names: false,
            source_map: SourceMapKind::None,
            inline_sources: false,
            type_check: true,
            lang: Lang::En,
            specifier_map: None,
            rewrite_relative_import_extensions: true,
            timings: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct CompileOutput {
    /// `None` when any error was reported.
    pub code: Option<String>,
    pub map: Option<String>,
    pub diagnostics: Vec<ResolvedDiagnostic>,
    /// With `CompileOptions::timings`: each stage's name and duration, in
    /// pipeline order (lexing, parsing, checking, lowering, each swc pass,
    /// code generation, source map, diagnostics); empty otherwise.
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

impl CompileOutput {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// The old compiler's `errors` strings.
    pub fn legacy_errors(&self) -> Vec<String> {
        self.legacy(Severity::Error)
    }

    /// The old compiler's `warnings` strings.
    pub fn legacy_warnings(&self) -> Vec<String> {
        self.legacy(Severity::Warning)
    }

    fn legacy(&self, severity: Severity) -> Vec<String> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .map(render_legacy)
            .collect()
    }
}

/// The stack the pipeline is guaranteed: deep (but legal) input nests
/// deeply in swc's passes too.
pub const PIPELINE_STACK: usize = 256 * 1024 * 1024;

/// Runs `f` with at least [`PIPELINE_STACK`] bytes of stack: on the
/// current stack when that much is left (a thread made with
/// [`WORKER_STACK`], or a stack this function switched to further out),
/// otherwise on a fresh one. Switching costs an `mmap`/`munmap` pair and
/// the page faults of the new stack's pages on every call, which is a
/// large share of compiling a small file; threads that compile many files
/// are made with [`WORKER_STACK`] instead (their pages stay warm).
pub fn with_pipeline_stack<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(PIPELINE_STACK, WORKER_STACK, f)
}

/// Stack bytes the pipeline may need per byte of source: a tree can be
/// about as deep as its source is long (`1+1+1+…` adds a level every two
/// bytes), and swc's passes and code generation recurse without growing
/// their stack.
const STACK_PER_SOURCE_BYTE: usize = 512;

/// The most stack [`with_stack_for_source`] maps (a reservation: its
/// pages are touched only as deep as the tree goes; more could be refused
/// on a small machine, and no real source nests that deep).
const MAX_PIPELINE_STACK: usize = 1024 * 1024 * 1024;

/// [`with_pipeline_stack`] with room for the deepest tree `source_len`
/// bytes can make: at least [`PIPELINE_STACK`]; only a source of more than
/// half a megabyte can need more (a stack that big, up to 1 GiB, is then
/// mapped for the call).
pub fn with_stack_for_source<R>(source_len: usize, f: impl FnOnce() -> R) -> R {
    let needed = source_len
        .saturating_mul(STACK_PER_SOURCE_BYTE)
        .clamp(PIPELINE_STACK, MAX_PIPELINE_STACK);
    stacker::maybe_grow(needed, needed.saturating_add(1024 * 1024), f)
}

/// The stack size for threads that run [`compile_module`] (e.g. a rayon
/// pool's `stack_size`): the pipeline's stack and a megabyte for what
/// runs before it, so [`with_pipeline_stack`] never switches on them.
pub const WORKER_STACK: usize = PIPELINE_STACK + 1024 * 1024;

/// Compiles one SomonScript source text on its own (its imports are not
/// looked at: see [`compile_module`]).
/// An owned `String` is handed on without a copy (see [`SourceText`]).
pub fn compile<'a>(source: impl Into<SourceText<'a>>, options: &CompileOptions) -> CompileOutput {
    compile_module(source, options, &NoImports, Vec::new(), false)
}

/// Somewhere a compile can run the type check of a module while it lowers
/// and emits the module (N-API's `compile()` runs the check on the
/// calling JavaScript thread, which would otherwise only wait for the
/// pipeline thread).
pub trait CheckRunner {
    /// Starts `job` elsewhere, or gives it back (it then runs here).
    #[allow(clippy::type_complexity)]
    fn start(&self, job: Box<dyn FnOnce() + Send>) -> Result<(), Box<dyn FnOnce() + Send>>;
}

/// [`compile`] whose type check runs through `runner` beside lowering and
/// emission, whatever the size of the input (without a runner only large
/// inputs are checked beside emission, on a thread of their own). The
/// check reads a shared tree and never frees it on the runner's thread:
/// its share comes back here to be released. Same output and diagnostics
/// as [`compile`].
pub fn compile_with_runner<'a>(
    source: impl Into<SourceText<'a>>,
    options: &CompileOptions,
    runner: &dyn CheckRunner,
) -> CompileOutput {
    let source = source.into();
    with_stack_for_source(source.len(), || {
        compile_on_stack(
            &source,
            options,
            &NoImports,
            Vec::new(),
            false,
            Some(runner),
        )
    })
}

/// Parses and type-checks without producing code: exactly the diagnostics
/// [`compile`] reports.
pub fn check(source: &str, options: &CompileOptions) -> Vec<ResolvedDiagnostic> {
    compile_module(source, options, &NoImports, Vec::new(), true).diagnostics
}

/// The pipeline every command goes through, for one module: parse, the
/// rules of the output format (`интизор` at the top level), the type check
/// against what `imports` says the imported modules export, then lowering
/// and code generation (skipped when `check_only`, or when any error was
/// reported). `module_diagnostics` are what the module graph found about
/// this file (imports that lead nowhere).
pub fn compile_module<'a>(
    source: impl Into<SourceText<'a>>,
    options: &CompileOptions,
    imports: &dyn ModuleImports,
    module_diagnostics: Vec<Diagnostic>,
    check_only: bool,
) -> CompileOutput {
    let source = source.into();
    with_stack_for_source(source.len(), || {
        compile_on_stack(
            &source,
            options,
            imports,
            module_diagnostics,
            check_only,
            None,
        )
    })
}

/// What an editor needs of one module: the diagnostics [`compile_module`]
/// reports (unresolved, with their spans) and the semantic model with the
/// type of every expression. The model is built even when the text has
/// syntax errors (its type diagnostics are then left out, as in a compile).
pub struct Analysis {
    pub diagnostics: Vec<Diagnostic>,
    pub model: somon_check::SemanticModel,
    pub program: somon_syntax::ast::Program,
}

/// Parses and checks a module as [`compile_module`] does (same options,
/// same diagnostics), keeping the semantic model for editors.
pub fn analyze_module(
    source: &str,
    options: &CompileOptions,
    imports: &dyn ModuleImports,
    module_diagnostics: Vec<Diagnostic>,
) -> Analysis {
    analyze_parsed(
        somon_syntax::parse(source),
        options,
        imports,
        module_diagnostics,
    )
}

/// [`analyze_module`] of a text already parsed (`somon_syntax::parse` of
/// it, unchanged).
pub fn analyze_parsed(
    parsed: somon_syntax::ParseResult,
    options: &CompileOptions,
    imports: &dyn ModuleImports,
    module_diagnostics: Vec<Diagnostic>,
) -> Analysis {
    with_pipeline_stack(|| {
        let (parsed, diags, model) = front(
            parsed,
            options,
            imports,
            module_diagnostics,
            true,
            &mut Stages::off(),
        );
        Analysis {
            diagnostics: diags,
            model: model.unwrap_or_default(),
            program: parsed.program,
        }
    })
}

/// Parse, the output format's rules and the type check: the diagnostics
/// of a module, sorted. With `want_model` the checker also runs on a text
/// with syntax errors (its diagnostics dropped) so the model exists.
fn front(
    parsed: somon_syntax::ParseResult,
    options: &CompileOptions,
    imports: &dyn ModuleImports,
    module_diagnostics: Vec<Diagnostic>,
    want_model: bool,
    stages: &mut Stages,
) -> (
    somon_syntax::ParseResult,
    Vec<Diagnostic>,
    Option<somon_check::SemanticModel>,
) {
    let (parsed, mut diags, clean) = before_check(parsed, options, module_diagnostics);
    let mut model = None;
    if (options.type_check && clean) || want_model {
        let result = somon_check::check_module(
            &parsed.program,
            imports,
            CheckOptions {
                record_model: want_model,
            },
        );
        if options.type_check && clean {
            diags.extend(result.diagnostics);
        }
        model = Some(result.model);
        stages.mark("bind + check");
    }
    sort_diagnostics(&mut diags);
    (parsed, diags, model)
}

/// The diagnostics known before the type check (syntax, the output
/// format's rules, the module graph's), unsorted, and whether the text
/// parsed cleanly (type errors are reported only then: a recovered tree
/// would produce follow-up noise; an import that leads nowhere is only
/// `ҳар` to the checker).
fn before_check(
    mut parsed: somon_syntax::ParseResult,
    options: &CompileOptions,
    module_diagnostics: Vec<Diagnostic>,
) -> (somon_syntax::ParseResult, Vec<Diagnostic>, bool) {
    let mut diags: Vec<Diagnostic> = std::mem::take(&mut parsed.diagnostics);
    for (span, top_level) in &parsed.awaits_outside_async {
        if options.module == ModuleKind::Cjs || !top_level {
            diags.push(Diagnostic::error(Message::TopLevelAwait, *span));
        }
    }
    if options.target < Target::EsNext {
        diags.extend(somon_emit::target_diagnostics(
            &parsed.unicode_sets_regexes,
            options.target,
        ));
    }
    let clean = !diags.iter().any(Diagnostic::is_error);
    diags.extend(module_diagnostics);
    (parsed, diags, clean)
}

/// The type check's diagnostics (no model: lowering does not read it).
fn check_diagnostics(
    program: &somon_syntax::ast::Program,
    imports: &dyn ModuleImports,
) -> Vec<Diagnostic> {
    somon_check::check_module(
        program,
        imports,
        CheckOptions {
            record_model: false,
        },
    )
    .diagnostics
}

/// Lexes and parses `source`, timing the two. A large module is lexed on a
/// thread of its own while the parser reads the tokens as they come
/// ([`somon_syntax::parse_beside_lexer`], as `somon_syntax::parse` does):
/// its `lex (concurrent)` stage ran beside `parse`, which then covers
/// both.
fn lex_and_parse(source: &str, stages: &mut Stages) -> somon_syntax::ParseResult {
    if source.len() >= somon_syntax::LEX_BESIDE_BYTES {
        if let Some((parsed, lex_took)) = somon_syntax::parse_beside_lexer(source) {
            stages.ran_beside(LEX_BESIDE_STAGE, lex_took);
            stages.mark("parse");
            return parsed;
        }
    }
    let lexed = somon_syntax::lexer::tokenize(source);
    stages.mark("lex");
    let parsed = somon_syntax::parse_lexed(source, lexed);
    stages.mark("parse");
    parsed
}

/// The stage name of lexing that ran beside parsing (see
/// [`lex_and_parse`]).
pub const LEX_BESIDE_STAGE: &str = "lex (concurrent)";

/// The stack of the thread that type-checks a large module beside its
/// emission (the checker grows its own stack where it recurses).
const CHECK_THREAD_STACK: usize = 16 * 1024 * 1024;

/// Type-checks `program` beside `emit`, which runs on this thread
/// (lowering never reads the checker's results, so the two are
/// independent): through `runner` when there is one, otherwise on a
/// thread of its own (or here first, when none can be made). Returns the
/// check's diagnostics, how long it took, and what `emit` returned.
///
/// The tree is shared with `emit`, which releases its share after
/// lowering; the check's share comes back here (from a runner's thread,
/// whose stack may be small) and is released here: whichever of the two
/// is last frees the tree, a large one with `drop_for_input` (on a thread
/// sized for it, or, inside `somon_emit::deferring_drops`, on this thread
/// after the answer: the memory goes back to the thread that allocated
/// it).
fn check_beside<R>(
    program: Arc<somon_syntax::ast::Program>,
    imports: &dyn ModuleImports,
    runner: Option<&dyn CheckRunner>,
    source_len: usize,
    emit: impl FnOnce() -> R,
) -> (Vec<Diagnostic>, std::time::Duration, R) {
    let (diags, took, share, emitted) = match runner {
        Some(runner) => check_through(runner, program, source_len, emit),
        None => check_on_thread(program, imports, source_len, emit),
    };
    release(share, source_len);
    (diags, took, emitted)
}

type Shared = Arc<somon_syntax::ast::Program>;

/// What a check beside emission answers: its diagnostics (or the panic
/// that ended it), its time, and its share of the tree.
type Checked = (
    std::thread::Result<Vec<Diagnostic>>,
    std::time::Duration,
    Option<Shared>,
);

/// Releases the check's share of the tree on the pipeline's thread (see
/// [`check_beside`]).
fn release(share: Option<Shared>, source_len: usize) {
    if let Some(share) = share {
        somon_emit::SyntaxTree::release(share, source_len);
    }
}

/// The check's diagnostics, its time and its share of the tree, which goes
/// back to the pipeline's thread. A panic in the check is caught so that
/// the share still goes back (unwinding would free the tree on the
/// check's thread, whose stack may be small).
fn timed_check(program: Shared, imports: &dyn ModuleImports) -> Checked {
    let start = std::time::Instant::now();
    let diags = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        check_diagnostics(&program, imports)
    }));
    (diags, start.elapsed(), Some(program))
}

/// The diagnostics of a [`Checked`], resuming its panic (after the share
/// of the tree is released here).
fn checked_diagnostics(
    checked: Checked,
    source_len: usize,
) -> (Vec<Diagnostic>, std::time::Duration, Option<Shared>) {
    match checked {
        (Ok(diags), took, share) => (diags, took, share),
        (Err(panic), _, share) => {
            release(share, source_len);
            std::panic::resume_unwind(panic)
        }
    }
}

/// [`check_beside`] on a thread of its own.
fn check_on_thread<R>(
    program: Shared,
    imports: &dyn ModuleImports,
    source_len: usize,
    emit: impl FnOnce() -> R,
) -> (Vec<Diagnostic>, std::time::Duration, Option<Shared>, R) {
    // A failed spawn drops its closure and the share in it.
    let fallback = Arc::clone(&program);
    let (checked, emitted) = std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("somon-check".into())
            .stack_size(CHECK_THREAD_STACK)
            .spawn_scoped(scope, move || timed_check(program, imports));
        match spawned {
            Ok(handle) => {
                drop(fallback);
                let emitted = emit();
                match handle.join() {
                    Ok(checked) => (checked, emitted),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            Err(_) => (timed_check(fallback, imports), emit()),
        }
    });
    let (diags, took, share) = checked_diagnostics(checked, source_len);
    (diags, took, share, emitted)
}

/// [`check_beside`] through a [`CheckRunner`]. The job cannot borrow an
/// import table: only modules compiled on their own
/// ([`compile_with_runner`]) come here.
fn check_through<R>(
    runner: &dyn CheckRunner,
    program: Shared,
    source_len: usize,
    emit: impl FnOnce() -> R,
) -> (Vec<Diagnostic>, std::time::Duration, Option<Shared>, R) {
    let (answer, checked) = std::sync::mpsc::sync_channel::<Checked>(1);
    let job = Box::new(move || {
        let _ = answer.send(timed_check(program, &NoImports));
    });
    // A panic in emission waits for the check's share first (unwinding
    // here would leave the runner's thread to free the tree).
    let emitted =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match runner.start(job) {
            Ok(()) => emit(),
            Err(job) => {
                job();
                emit()
            }
        }));
    let (diags, took, share) = match checked.recv() {
        Ok(checked) => checked_diagnostics(checked, source_len),
        // The job was dropped unrun (the runner's thread is gone).
        Err(_) => std::panic::resume_unwind(Box::new("the type check gave no answer")),
    };
    match emitted {
        Ok(emitted) => (diags, took, share, emitted),
        Err(panic) => {
            release(share, source_len);
            std::panic::resume_unwind(panic)
        }
    }
}

/// The pipeline (see [`compile_module`]). A `runner` checks the module
/// with [`NoImports`] (its job cannot borrow an import table): only
/// [`compile_with_runner`], which compiles a module on its own, passes one.
fn compile_on_stack(
    source: &SourceText<'_>,
    options: &CompileOptions,
    imports: &dyn ModuleImports,
    module_diagnostics: Vec<Diagnostic>,
    check_only: bool,
    runner: Option<&dyn CheckRunner>,
) -> CompileOutput {
    let mut stages = if options.timings {
        Stages::on()
    } else {
        Stages::off()
    };
    let stream = STREAMING
        .with(std::cell::Cell::get)
        .unwrap_or(source.len() >= STREAM_INPUT_BYTES);
    if stream && !check_only {
        let streamed = compile_streamed(source, options, imports, &module_diagnostics, &mut stages);
        if let Some((diags, emitted)) = streamed {
            return compile_output(&diags, emitted, source, options, stages, None);
        }
    }
    let parsed = lex_and_parse(source, &mut stages);
    let (mut parsed, mut diags, clean) = before_check(parsed, options, module_diagnostics);
    let checking = options.type_check && clean;
    // A large module that has no error yet is type-checked beside its
    // lowering and emission (the output is dropped if the check finds an
    // error, exactly as if emission had not run).
    let beside = checking
        && !check_only
        && (source.len() >= somon_emit::LARGE_INPUT_BYTES || runner.is_some())
        && !diags.iter().any(Diagnostic::is_error);
    if checking && !beside {
        diags.extend(check_diagnostics(&parsed.program, imports));
        stages.mark("bind + check");
    }
    if !beside {
        sort_diagnostics(&mut diags);
    }
    if check_only || diags.iter().any(Diagnostic::is_error) {
        return compile_output(&diags, None, source, options, stages, None);
    }
    let emit_options = emit_options(options, type_only_imports(&parsed.program, imports));
    stages.mark("type-only imports");
    let mut check_took = None;
    // Emission takes the tree and frees it once lowered (see
    // `somon_emit::SyntaxTree`); the rest of `parsed` is small.
    let span = parsed.program.span;
    let program = std::mem::replace(
        &mut parsed.program,
        somon_syntax::ast::Program {
            body: Vec::new(),
            span,
        },
    );
    drop(parsed);
    let emitted = if beside {
        let program = Arc::new(program);
        let (found, took, emitted) =
            check_beside(Arc::clone(&program), imports, runner, source.len(), || {
                emit_timed(program, source, &emit_options, &mut stages)
            });
        stages.mark("wait for bind + check");
        check_took = Some(took);
        diags.extend(found);
        sort_diagnostics(&mut diags);
        emitted
    } else {
        emit_timed(program, source, &emit_options, &mut stages)
    };
    compile_output(&diags, Some(emitted), source, options, stages, check_took)
}

/// A compile's answer from its sorted diagnostics and what emission gave
/// (`None`: it did not run): no code when any diagnostic is an error (a
/// check beside emission may have found one after it ran), an emission
/// failure as an internal error.
fn compile_output(
    diags: &[Diagnostic],
    emitted: Option<Result<somon_emit::EmitOutput, String>>,
    source: &str,
    options: &CompileOptions,
    mut stages: Stages,
    check_took: Option<std::time::Duration>,
) -> CompileOutput {
    let mut diagnostics =
        somon_diagnostics::resolve_all(diags, &options.file_name, source, options.lang);
    let emitted = emitted.filter(|_| !diags.iter().any(Diagnostic::is_error));
    let (code, map) = match emitted {
        Some(Ok(out)) => (Some(out.code), out.map),
        Some(Err(message)) => {
            diagnostics.push(internal_error(&options.file_name, &message));
            (None, None)
        }
        None => (None, None),
    };
    stages.mark("diagnostics");
    CompileOutput {
        code,
        map,
        diagnostics,
        timings: with_concurrent_check(stages.into_times(), check_took),
    }
}

/// Lets go of a statement of a streamed compile: the last holder gives it
/// back to the thread that parsed it (or frees it, when that thread is
/// gone).
fn done_with(
    stmt: Arc<somon_syntax::ast::Stmt>,
    give_back: &std::sync::mpsc::Sender<somon_syntax::ast::Stmt>,
) {
    if let Some(stmt) = Arc::into_inner(stmt) {
        // A parse thread that is gone (it panicked) frees nothing more.
        let _ = give_back.send(stmt);
    }
}

/// How many statements streamed emission may have waiting.
const STREAMED_STATEMENTS_AHEAD: usize = 32;

/// How many statements the streamed type check may have waiting: more
/// than emission, so that a check that falls behind for a while (two
/// cores, four threads) does not stop the parse that emission waits for.
const STREAMED_CHECK_AHEAD: usize = 128;

/// The stack of the thread of a streamed compile's second parse (the
/// parser grows its own stack where it recurses).
const PARSE_THREAD_STACK: usize = 16 * 1024 * 1024;

/// The size from which a module is compiled statement by statement
/// ([`compile_streamed`]). Streaming parses twice (a third more time for
/// a 3 MB module) to hold a quarter of the memory; below 1 MiB the whole
/// tree costs less than 30 MB, and speed matters more.
pub const STREAM_INPUT_BYTES: usize = 1024 * 1024;

thread_local! {
    /// Tests compile small modules statement by statement too, or large
    /// ones whole, to compare (`None`: by size).
    static STREAMING: std::cell::Cell<Option<bool>> = const { std::cell::Cell::new(None) };
}

/// Runs `f` with every module compiled statement by statement when it can
/// be (whatever its size) on this thread: for tests that compare the two
/// ways of compiling.
pub fn with_streaming_at_every_size<R>(f: impl FnOnce() -> R) -> R {
    with_streaming(Some(true), f)
}

/// Runs `f` with every module compiled whole on this thread (for tests).
pub fn without_streaming<R>(f: impl FnOnce() -> R) -> R {
    with_streaming(Some(false), f)
}

fn with_streaming<R>(mode: Option<bool>, f: impl FnOnce() -> R) -> R {
    let before = STREAMING.with(|s| s.replace(mode));
    let r = f();
    STREAMING.with(|s| s.set(before));
    r
}

/// Compiles a large module statement by statement, so that neither its
/// whole syntax tree nor its whole swc tree is ever held: a first parse
/// keeps only what hoisting needs (the checker's declaration skeletons)
/// and the names of the top level; a second, on a thread of its own, hands
/// each statement to the type check (on another) and to emission (here),
/// and frees it once both are done with it (`somon_check::StreamedCheck`,
/// `somon_emit::emit_each`). Gives the sorted diagnostics and what
/// emission gave (`None` when an error stopped it before), exactly as the
/// whole pipeline; `None` when the module cannot be emitted so (see
/// `somon_emit::NotStreamable`): it is then compiled as a whole.
#[allow(clippy::type_complexity)]
fn compile_streamed(
    source: &SourceText<'_>,
    options: &CompileOptions,
    imports: &dyn ModuleImports,
    module_diagnostics: &[Diagnostic],
    stages: &mut Stages,
) -> Option<(
    Vec<Diagnostic>,
    Option<Result<somon_emit::EmitOutput, String>>,
)> {
    let emit_options = emit_options(options, Vec::new());
    somon_emit::streamable_options(&emit_options).ok()?;
    let whole = somon_diagnostics::Span::new(0, source.len() as u32);
    let mut check = somon_check::StreamedCheck::new(imports, CheckOptions::default(), whole);
    let mut names = rustc_hash::FxHashSet::default();
    let mut module_syntax = false;
    let parsed = somon_syntax::parse_each(source, &mut |stmt| {
        if stmt.is_import_or_export() {
            // Imports and exports are emitted by module-wide passes (and
            // checked against the whole module's declarations).
            module_syntax = true;
            return false;
        }
        if options.type_check {
            check.declare(&stmt);
        }
        somon_emit::top_level_names(&stmt, &mut names);
        true
    });
    if module_syntax {
        return None;
    }
    stages.mark("parse (declarations)");
    let (_, mut diags, clean) = before_check(parsed, options, module_diagnostics.to_vec());
    if diags.iter().any(Diagnostic::is_error) {
        sort_diagnostics(&mut diags);
        return Some((diags, None));
    }
    let checking = options.type_check && clean;
    if checking {
        check.start();
        stages.mark("hoist");
    }
    // The check of each statement runs on a thread of its own beside its
    // emission; the statements go to it shared, a few at a time. Whichever
    // of the two is done with a statement last gives it back to the
    // thread that parsed it, which frees it: a block freed by another
    // thread costs the allocator more on both threads (measured: moving
    // frees onto the emitting thread's path made it a fifth slower).
    let (emitted, found) = std::thread::scope(|scope| {
        let (send, received) =
            std::sync::mpsc::sync_channel::<Arc<somon_syntax::ast::Stmt>>(STREAMED_CHECK_AHEAD);
        let (give_back, given_back) = std::sync::mpsc::channel::<somon_syntax::ast::Stmt>();
        let checker = if checking {
            let give_back = give_back.clone();
            let spawned = std::thread::Builder::new()
                .name("somon-check".into())
                .stack_size(CHECK_THREAD_STACK)
                .spawn_scoped(scope, move || {
                    for stmt in received {
                        check.check(&stmt);
                        done_with(stmt, &give_back);
                    }
                    check.finish()
                });
            // No thread: compiled as a whole.
            Some(spawned.ok()?)
        } else {
            drop(received);
            None
        };
        // The second parse runs on a thread of its own (its lexer on
        // another), handing each statement to emission here and to the
        // check. No thread: compiled as a whole.
        let (to_emit, parsed) = std::sync::mpsc::sync_channel::<Arc<somon_syntax::ast::Stmt>>(
            STREAMED_STATEMENTS_AHEAD,
        );
        let to_check = send.clone();
        let text: &str = source;
        let parser = std::thread::Builder::new()
            .name("somon-parse".into())
            .stack_size(PARSE_THREAD_STACK)
            .spawn_scoped(scope, move || {
                somon_syntax::parse_each(text, &mut |stmt| {
                    given_back.try_iter().for_each(drop);
                    let stmt = Arc::new(stmt);
                    // Emission stopped: so does the parse.
                    if to_emit.send(Arc::clone(&stmt)).is_err() {
                        return false;
                    }
                    if checking {
                        // A check that stopped (it panicked) is resumed
                        // below.
                        let _ = to_check.send(stmt);
                    }
                    // What was given back while the sends waited.
                    given_back.try_iter().for_each(drop);
                    true
                });
                drop((to_emit, to_check));
                // Until emission and the check are done.
                given_back.iter().for_each(drop);
            })
            .ok()?;
        let emitted = somon_emit::emit_each(
            source,
            &emit_options,
            &names,
            &mut |each| {
                for stmt in parsed.iter() {
                    let go_on = each(&stmt);
                    done_with(stmt, &give_back);
                    if !go_on {
                        break;
                    }
                }
            },
            stages,
        );
        drop((parsed, give_back, send));
        let found = match checker.map(|c| c.join()) {
            Some(Ok(found)) => found,
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            None => Vec::new(),
        };
        if let Err(panic) = parser.join() {
            std::panic::resume_unwind(panic);
        }
        Some((emitted.ok()?, found))
    })?;
    if checking {
        diags.extend(found);
        stages.mark("wait for bind + check");
    }
    sort_diagnostics(&mut diags);
    Some((diags, Some(emitted)))
}

/// The emission options of a compile.
fn emit_options(options: &CompileOptions, type_only_imports: Vec<(String, String)>) -> EmitOptions {
    EmitOptions {
        target: options.target,
        module: options.module,
        minify: options.minify,
        compress: options.compress,
        mangle: options.mangle,
        keep_names: options.keep_names,
        source_map: options.source_map,
        inline_sources: options.inline_sources,
        source_name: options.file_name.clone(),
        output_name: options.output_name.clone(),
        rewrite_specifiers: options.rewrite_relative_import_extensions,
        specifier_map: options
            .specifier_map
            .clone()
            .filter(|_| options.rewrite_relative_import_extensions),
        type_only_imports,
        ..EmitOptions::default()
    }
}

/// The stage timings with the duration of a type check that ran beside
/// emission, after parsing; its name says it ran concurrently (its time
/// is not part of the call's sequence of stages).
fn with_concurrent_check(
    mut times: Vec<(&'static str, std::time::Duration)>,
    check_took: Option<std::time::Duration>,
) -> Vec<(&'static str, std::time::Duration)> {
    if let (Some(took), false) = (check_took, times.is_empty()) {
        let at = times
            .iter()
            .position(|(name, _)| *name == "parse")
            .map_or(0, |i| i + 1);
        times.insert(at, (CONCURRENT_CHECK_STAGE, took));
    }
    times
}

/// The stage name of a type check that ran beside emission.
pub const CONCURRENT_CHECK_STAGE: &str = "bind + check (concurrent)";

/// Names the module imports or re-exports that their module exports only
/// as types: lowering erases them.
fn type_only_imports(
    program: &somon_syntax::ast::Program,
    imports: &dyn ModuleImports,
) -> Vec<(String, String)> {
    use somon_syntax::ast::{ExportDecl, ImportSpecifier, Stmt};
    let mut out = Vec::new();
    let mut add = |source: &str, name: &str| {
        if let somon_check::ImportTarget::Module(m) = imports.resolve(source) {
            if m.is_type_only(name) {
                let js = somon_syntax::names::property_name(name).to_string();
                out.push((source.to_string(), js));
            }
        }
    };
    for s in &program.body {
        match s {
            Stmt::Import(i) => {
                for spec in &i.specifiers {
                    if let ImportSpecifier::Named { imported, .. } = spec {
                        add(&i.source, imported.name());
                    }
                }
            }
            Stmt::Export(e) => {
                if let ExportDecl::Named {
                    specifiers,
                    source: Some((src, _)),
                    ..
                } = &**e
                {
                    for spec in specifiers {
                        add(src, spec.orig.name());
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn internal_error(file: &str, message: &str) -> ResolvedDiagnostic {
    ResolvedDiagnostic::whole_file(
        "INTERNAL",
        file,
        format!("internal compiler error: {message}"),
    )
}
