//! The Node.js binding (N-API via napi-rs). Architecture invariant: this is
//! the only crate that knows JavaScript types. Every call runs inside
//! `catch_unwind`, so a compiler bug becomes a JavaScript error, never a
//! crashed process; swc's `GLOBALS` are set per compilation inside
//! `somon_emit`.

use napi::bindgen_prelude::*;

mod memory;

/// mimalloc, as @swc/core uses: allocation is a large share of compile
/// time, and glibc's allocator is markedly slower for swc's many small
/// short-lived nodes.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use napi_derive::napi;
use somon_compiler::{
    CompileOptions as CoreOptions, CompileOutput, ModuleKind, SourceMapKind, Target,
};
use somon_diagnostics::{Lang, ResolvedDiagnostic};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Options of `compile` and `compileAsync`.
#[napi(object)]
#[derive(Default, Clone)]
pub struct CompileOptions {
    /// File name used in diagnostics and as the source map's `sources`.
    pub file_name: Option<String>,
    /// `es5`, `es2015` … `es2022`, `esnext` (default `es2020`).
    pub target: Option<String>,
    /// `cjs` (default) or `esm`.
    pub module: Option<String>,
    pub minify: Option<bool>,
    /// With `minify`: compress (default true).
    pub compress: Option<bool>,
    /// With `minify`: mangle names (default true).
    pub mangle: Option<bool>,
    /// With `minify`: keep `.name` of functions and classes (default false).
    pub keep_names: Option<bool>,
    /// `true` for a separate map in `map`, `"inline"` for a data URL.
    pub source_map: Option<Either<bool, String>>,
    pub inline_sources: Option<bool>,
    /// Run the type checker (default true).
    pub type_check: Option<bool>,
    /// Language of messages: `en`, `tj` (or `tg`), `ru`.
    pub lang: Option<String>,
}

/// One diagnostic. Lines and columns are 1-based; columns count characters.
#[napi(object)]
pub struct Diagnostic {
    pub severity: String,
    pub code: String,
    pub message: String,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub snippet: String,
    pub notes: Vec<String>,
    pub suggestion: Option<String>,
}

#[napi(object)]
pub struct CompileResult {
    /// The JavaScript; empty when there are errors.
    pub code: String,
    /// The source map (JSON) when `sourceMap: true`.
    pub map: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Errors in the old compiler's one-line format.
    pub errors: Vec<String>,
    /// Warnings in the old compiler's one-line format.
    pub warnings: Vec<String>,
}

fn to_js_diagnostic(d: &ResolvedDiagnostic) -> Diagnostic {
    Diagnostic {
        severity: d.severity.as_str().to_string(),
        code: d.code.to_string(),
        message: d.message.clone(),
        file: d.file.clone(),
        line: d.line,
        column: d.column,
        end_line: d.end_line,
        end_column: d.end_column,
        snippet: d.snippet.clone(),
        notes: d.notes.clone(),
        suggestion: d.suggestion.clone(),
    }
}

fn to_js_result(out: CompileOutput) -> CompileResult {
    CompileResult {
        errors: out.legacy_errors(),
        warnings: out.legacy_warnings(),
        diagnostics: out.diagnostics.iter().map(to_js_diagnostic).collect(),
        code: out.code.unwrap_or_default(),
        map: out.map,
    }
}

fn invalid_option(name: &str, value: &str, valid: &str) -> Error {
    Error::new(
        Status::InvalidArg,
        format!("invalid {name} `{value}`; valid values: {valid}"),
    )
}

fn core_options(o: Option<CompileOptions>) -> Result<CoreOptions> {
    let o = o.unwrap_or_default();
    let mut c = CoreOptions::default();
    if let Some(f) = o.file_name {
        c.file_name = f;
    }
    if let Some(t) = o.target {
        let valid: Vec<&str> = Target::ALL.iter().map(|(n, _)| *n).collect();
        c.target =
            Target::parse(&t).ok_or_else(|| invalid_option("target", &t, &valid.join(", ")))?;
    }
    if let Some(m) = o.module {
        c.module = match m.as_str() {
            "cjs" | "commonjs" => ModuleKind::Cjs,
            "esm" | "es6" | "module" => ModuleKind::Esm,
            _ => return Err(invalid_option("module", &m, "cjs, esm")),
        };
    }
    c.minify = o.minify.unwrap_or(false);
    c.compress = o.compress.unwrap_or(true);
    c.mangle = o.mangle.unwrap_or(true);
    c.keep_names = o.keep_names.unwrap_or(false);
    c.inline_sources = o.inline_sources.unwrap_or(false);
    c.type_check = o.type_check.unwrap_or(true);
    c.source_map = match o.source_map {
        None | Some(Either::A(false)) => SourceMapKind::None,
        Some(Either::A(true)) => SourceMapKind::Separate,
        Some(Either::B(s)) if s == "inline" => SourceMapKind::Inline,
        Some(Either::B(s)) => {
            return Err(invalid_option("sourceMap", &s, "true, false, \"inline\""))
        }
    };
    if let Some(l) = o.lang {
        c.lang = Lang::parse(&l).ok_or_else(|| invalid_option("lang", &l, "en, tj, ru"))?;
    }
    Ok(c)
}

/// Runs `f`, turning a panic (a compiler bug) into a JavaScript error.
fn guarded<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(panic) => {
            let detail = somon_diagnostics::panic_text(panic.as_ref()).unwrap_or_default();
            Err(Error::new(
                Status::GenericFailure,
                format!(
                    "internal compiler error (this is a bug in somonscript {}; please report it with the input that caused it): {detail}",
                    env!("CARGO_PKG_VERSION")
                ),
            ))
        }
    }
}

/// Compiles SomonScript source to JavaScript on the calling thread.
#[napi]
pub fn compile(source: String, options: Option<CompileOptions>) -> Result<CompileResult> {
    let opts = core_options(options)?;
    guarded(|| Ok(to_js_result(somon_compiler::compile(&source, &opts))))
}

pub struct CompileTask {
    source: String,
    options: CoreOptions,
    /// The signal was already aborted when the call was made.
    aborted: bool,
}

impl Task for CompileTask {
    type Output = CompileOutput;
    type JsValue = CompileResult;

    fn compute(&mut self) -> Result<Self::Output> {
        if self.aborted {
            return Err(Error::new(
                Status::Cancelled,
                "AbortError: the operation was aborted",
            ));
        }
        guarded(|| Ok(somon_compiler::compile(&self.source, &self.options)))
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(to_js_result(output))
    }
}

/// Compiles on the libuv thread pool; the event loop stays free.
#[napi(
    ts_args_type = "source: string, options?: CompileOptions | undefined | null, signal?: AbortSignal | undefined | null",
    ts_return_type = "Promise<CompileResult>"
)]
pub fn compile_async(
    source: String,
    options: Option<CompileOptions>,
    signal: Option<Unknown<'_>>,
) -> Result<AsyncTask<CompileTask>> {
    let options = core_options(options)?;
    let (signal, aborted) = abort_signal(signal)?;
    Ok(AsyncTask::with_optional_signal(
        CompileTask {
            source,
            options,
            aborted,
        },
        signal,
    ))
}

/// napi's `AbortSignal` only reacts to a later `abort()`; a signal that is
/// already aborted must reject too, so its `aborted` flag is read here.
fn abort_signal(value: Option<Unknown<'_>>) -> Result<(Option<AbortSignal>, bool)> {
    let Some(value) = value else {
        return Ok((None, false));
    };
    if matches!(value.get_type()?, ValueType::Undefined | ValueType::Null) {
        return Ok((None, false));
    }
    // SAFETY: `value` is a live JavaScript value of this call; both casts
    // check the value's type and fail with an error when it does not fit.
    let object: Object = unsafe { value.cast()? };
    let aborted = object.get::<bool>("aborted")?.unwrap_or(false);
    let signal: AbortSignal = unsafe { value.cast()? };
    Ok((Some(signal), aborted))
}

/// The package version.
#[napi]
pub fn version() -> String {
    somon_cli::VERSION.to_string()
}

/// A program for the CLI wrapper to execute (`somon run`).
#[napi(object)]
pub struct CliRun {
    pub filename: String,
    pub code: String,
    pub args: Vec<String>,
    pub esm: bool,
}

#[napi(object)]
pub struct CliOutcome {
    pub exit_code: i32,
    pub run: Option<CliRun>,
    /// A service missed its shutdown deadline: end the process now.
    pub force_exit: bool,
}

/// Environment the CLI needs, read by the JavaScript wrapper.
#[napi(object)]
pub struct CliEnvironment {
    pub cwd: String,
    pub color: bool,
    /// `--lang`/locale choice already made by the wrapper, if any.
    pub lang: Option<String>,
    /// `process.version`, checked against the supported Node.js versions.
    pub node_version: Option<String>,
}

fn cli_environment(environment: CliEnvironment) -> somon_cli::Environment {
    somon_cli::Environment {
        cwd: environment.cwd.into(),
        color: environment.color,
        lang: environment
            .lang
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or_default(),
        node_version: environment.node_version,
        memory: Some(memory::usage),
    }
}

fn run_cli_guarded(args: &[String], env: &somon_cli::Environment) -> Result<CliOutcome> {
    let _lean = memory::lean_scope();
    guarded(|| {
        let o = somon_cli::run(args, env);
        Ok(CliOutcome {
            exit_code: o.exit_code,
            run: o.run.map(|r| CliRun {
                filename: r.filename,
                code: r.code,
                args: r.args,
                esm: r.esm,
            }),
            force_exit: o.force_exit,
        })
    })
}

/// Runs the `somon` command line on the calling thread.
#[napi]
pub fn run_cli(args: Vec<String>, environment: CliEnvironment) -> Result<CliOutcome> {
    run_cli_guarded(&args, &cli_environment(environment))
}

pub struct CliTask {
    args: Vec<String>,
    env: somon_cli::Environment,
}

impl Task for CliTask {
    type Output = CliOutcome;
    type JsValue = CliOutcome;

    fn compute(&mut self) -> Result<Self::Output> {
        run_cli_guarded(&self.args, &self.env)
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(output)
    }
}

/// Runs the `somon` command line on the libuv thread pool (used by
/// `bin/somon.js`): the event loop stays free, so signal handlers run while
/// `watch`/`serve` work, and reach the service through `requestShutdown`.
#[napi(ts_return_type = "Promise<CliOutcome>")]
pub fn run_cli_async(args: Vec<String>, environment: CliEnvironment) -> AsyncTask<CliTask> {
    AsyncTask::new(CliTask {
        args,
        env: cli_environment(environment),
    })
}

/// What `requestShutdown` did.
#[napi(object)]
pub struct ShutdownAnswer {
    /// `idle` (no service runs: apply the signal's default action),
    /// `draining` (a graceful shutdown began) or `forced` (it had already
    /// begun: exit now).
    pub state: String,
    /// With `draining`: the shutdown's deadline in milliseconds.
    pub deadline_ms: Option<u32>,
}

/// Asks the services started by `runCliAsync` (`watch`, `serve`, `bundle
/// --watch`) to shut down gracefully; `signal` (`SIGTERM`, `SIGINT`) is
/// logged as the reason.
#[napi]
pub fn request_shutdown(signal: String) -> ShutdownAnswer {
    match somon_cli::request_shutdown(&signal) {
        somon_cli::SignalAnswer::NoService => ShutdownAnswer {
            state: "idle".into(),
            deadline_ms: None,
        },
        somon_cli::SignalAnswer::Draining { deadline_ms } => ShutdownAnswer {
            state: "draining".into(),
            deadline_ms: Some(u32::try_from(deadline_ms).unwrap_or(u32::MAX)),
        },
        somon_cli::SignalAnswer::Forced => ShutdownAnswer {
            state: "forced".into(),
            deadline_ms: None,
        },
    }
}

// ------------------------------------------------------------ projects

/// Options of `bundle` and `bundleSync`.
#[napi(object)]
#[derive(Default, Clone)]
pub struct BundleOptions {
    /// `cjs` (default), `esm`, `iife` or `umd`.
    pub format: Option<String>,
    /// Global variable for `iife` and `umd`.
    pub global_name: Option<String>,
    /// Packages and specifiers that stay `require`s.
    pub external: Option<Vec<String>>,
    /// Where the bundle will be written: map `sources` are relative to it.
    pub output: Option<String>,
    pub target: Option<String>,
    pub minify: Option<bool>,
    /// With `minify`: keep `.name` of functions and classes (default false).
    pub keep_names: Option<bool>,
    /// `true` for a separate map in `map`, `"inline"` for a data URL.
    pub source_map: Option<Either<bool, String>>,
    pub inline_sources: Option<bool>,
    pub type_check: Option<bool>,
    pub lang: Option<String>,
    /// `warn` (default) or `error` for import cycles.
    pub circular: Option<String>,
}

#[napi(object)]
pub struct BundleResult {
    /// The bundle; empty when there are errors (no partial bundle).
    pub code: String,
    pub map: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Number of modules in the graph.
    pub modules: u32,
}

fn bundle_request(entry: &str, o: Option<BundleOptions>) -> Result<somon_project::BundleRequest> {
    let o = o.unwrap_or_default();
    let cwd =
        std::env::current_dir().map_err(|e| Error::new(Status::GenericFailure, e.to_string()))?;
    let entry_path = std::fs::canonicalize(cwd.join(entry)).map_err(|e| {
        Error::new(
            Status::InvalidArg,
            format!("cannot read the entry `{entry}`: {e}"),
        )
    })?;
    let core = core_options(Some(CompileOptions {
        target: o.target,
        minify: o.minify,
        keep_names: o.keep_names,
        source_map: o.source_map,
        inline_sources: o.inline_sources,
        type_check: o.type_check,
        lang: o.lang,
        ..Default::default()
    }))?;
    let format = match o.format.as_deref() {
        None => somon_project::BundleFormat::Cjs,
        Some(f) => somon_project::BundleFormat::parse(f)
            .ok_or_else(|| invalid_option("format", f, "cjs, esm, iife, umd"))?,
    };
    let circular = match o.circular.as_deref() {
        None | Some("warn") => somon_project::CircularPolicy::Warn,
        Some("error") => somon_project::CircularPolicy::Error,
        Some(other) => return Err(invalid_option("circular", other, "warn, error")),
    };
    let output = o.output.map(|p| cwd.join(p));
    let output_name = output
        .as_ref()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().to_string());
    Ok(somon_project::BundleRequest {
        entry: entry_path,
        output,
        display_base: cwd,
        format,
        global_name: o.global_name,
        externals: o.external.unwrap_or_default(),
        emit: somon_emit_options(&core, output_name),
        type_check: core.type_check,
        lang: core.lang,
        circular,
        resolver: Default::default(),
    })
}

fn somon_emit_options(c: &CoreOptions, output_name: Option<String>) -> somon_compiler::EmitOptions {
    somon_compiler::EmitOptions {
        target: c.target,
        module: ModuleKind::Cjs,
        minify: c.minify,
        compress: c.compress,
        mangle: c.mangle,
        keep_names: c.keep_names,
        source_map: c.source_map,
        inline_sources: c.inline_sources,
        source_name: String::new(),
        output_name,
        rewrite_specifiers: true,
        specifier_map: None,
    }
}

fn to_bundle_result(out: somon_project::BundleOutput) -> BundleResult {
    BundleResult {
        code: out.code.unwrap_or_default(),
        map: out.map,
        diagnostics: out.diagnostics.iter().map(to_js_diagnostic).collect(),
        modules: out.modules as u32,
    }
}

fn run_bundle(req: &somon_project::BundleRequest) -> Result<somon_project::BundleOutput> {
    let _lean = memory::lean_scope();
    guarded(|| {
        Ok(stacker_grow(|| {
            somon_project::bundle(req, &somon_project::fs::RealFs)
        }))
    })
}

/// Deep input nests deeply in swc's passes: run on a large stack.
fn stacker_grow<T>(f: impl FnOnce() -> T) -> T {
    stacker::grow(256 * 1024 * 1024, f)
}

/// Bundles the module graph of `entry` on the calling thread.
#[napi]
pub fn bundle_sync(entry: String, options: Option<BundleOptions>) -> Result<BundleResult> {
    let req = bundle_request(&entry, options)?;
    run_bundle(&req).map(to_bundle_result)
}

pub struct BundleTask {
    req: somon_project::BundleRequest,
    aborted: bool,
}

impl Task for BundleTask {
    type Output = somon_project::BundleOutput;
    type JsValue = BundleResult;

    fn compute(&mut self) -> Result<Self::Output> {
        if self.aborted {
            return Err(Error::new(
                Status::Cancelled,
                "AbortError: the operation was aborted",
            ));
        }
        run_bundle(&self.req)
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(to_bundle_result(output))
    }
}

/// Bundles off the JavaScript thread (modules are parsed and checked in
/// parallel).
#[napi(
    ts_args_type = "entry: string, options?: BundleOptions | undefined | null, signal?: AbortSignal | undefined | null",
    ts_return_type = "Promise<BundleResult>"
)]
pub fn bundle(
    entry: String,
    options: Option<BundleOptions>,
    signal: Option<Unknown<'_>>,
) -> Result<AsyncTask<BundleTask>> {
    let req = bundle_request(&entry, options)?;
    let (signal, aborted) = abort_signal(signal)?;
    Ok(AsyncTask::with_optional_signal(
        BundleTask { req, aborted },
        signal,
    ))
}

/// One compiled file of `compileFiles`.
#[napi(object)]
pub struct FileResult {
    pub file: String,
    pub code: String,
    pub map: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

pub struct CompileFilesTask {
    files: Vec<std::path::PathBuf>,
    options: CoreOptions,
    aborted: bool,
    check_only: bool,
}

fn compile_file(path: &std::path::Path, options: &CoreOptions, check_only: bool) -> FileResult {
    let file = path.to_string_lossy().to_string();
    let source = match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) => {
            return FileResult {
                file: file.clone(),
                code: String::new(),
                map: None,
                diagnostics: vec![to_js_diagnostic(&ResolvedDiagnostic::whole_file(
                    "READ_FAILED",
                    &file,
                    format!("Cannot read '{file}': {e}"),
                ))],
            }
        }
    };
    let fs = somon_project::fs::RealFs;
    let resolver = somon_project::Resolver::new(&fs, Default::default());
    let opts = CoreOptions {
        file_name: file.clone(),
        specifier_map: Some(somon_project::output_specifiers(&source, path, &resolver)),
        ..options.clone()
    };
    if check_only {
        let out = somon_compiler::check(&source, &opts);
        return FileResult {
            file,
            code: String::new(),
            map: None,
            diagnostics: out.iter().map(to_js_diagnostic).collect(),
        };
    }
    let out = somon_compiler::compile(&source, &opts);
    FileResult {
        file,
        code: out.code.clone().unwrap_or_default(),
        map: out.map.clone(),
        diagnostics: out.diagnostics.iter().map(to_js_diagnostic).collect(),
    }
}

impl Task for CompileFilesTask {
    type Output = Vec<FileResult>;
    type JsValue = Vec<FileResult>;

    fn compute(&mut self) -> Result<Self::Output> {
        if self.aborted {
            return Err(Error::new(
                Status::Cancelled,
                "AbortError: the operation was aborted",
            ));
        }
        use rayon::prelude::*;
        let (files, options, check_only) = (&self.files, &self.options, self.check_only);
        let _lean = memory::lean_scope();
        guarded(|| {
            Ok(files
                .par_iter()
                .map(|f| compile_file(f, options, check_only))
                .collect())
        })
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(output)
    }
}

fn files_task(
    paths: Vec<String>,
    options: Option<CompileOptions>,
    signal: Option<Unknown<'_>>,
    check_only: bool,
) -> Result<AsyncTask<CompileFilesTask>> {
    let options = core_options(options)?;
    let cwd =
        std::env::current_dir().map_err(|e| Error::new(Status::GenericFailure, e.to_string()))?;
    let inputs: Vec<std::path::PathBuf> = paths.iter().map(|p| cwd.join(p)).collect();
    let files = somon_project::fs::collect_som_files(&inputs)
        .map_err(|e| Error::new(Status::InvalidArg, e.to_string()))?;
    let (signal, aborted) = abort_signal(signal)?;
    Ok(AsyncTask::with_optional_signal(
        CompileFilesTask {
            files,
            options,
            aborted,
            check_only,
        },
        signal,
    ))
}

/// Compiles many files (or every `.som` below folders) in parallel.
#[napi(
    ts_args_type = "paths: Array<string>, options?: CompileOptions | undefined | null, signal?: AbortSignal | undefined | null",
    ts_return_type = "Promise<Array<FileResult>>"
)]
pub fn compile_files(
    paths: Vec<String>,
    options: Option<CompileOptions>,
    signal: Option<Unknown<'_>>,
) -> Result<AsyncTask<CompileFilesTask>> {
    files_task(paths, options, signal, false)
}

/// Type-checks files (or folders) in parallel without producing code.
#[napi(
    ts_args_type = "paths: Array<string>, options?: CompileOptions | undefined | null, signal?: AbortSignal | undefined | null",
    ts_return_type = "Promise<Array<FileResult>>"
)]
pub fn check(
    paths: Vec<String>,
    options: Option<CompileOptions>,
    signal: Option<Unknown<'_>>,
) -> Result<AsyncTask<CompileFilesTask>> {
    files_task(paths, options, signal, true)
}

/// Where `specifier` imported from the file `from` leads.
#[napi(object)]
pub struct ResolveResult {
    /// `file`, `builtin` or `package`.
    pub kind: String,
    pub path: Option<String>,
    pub name: Option<String>,
}

/// Resolves a module specifier as the bundler does. Throws an error whose
/// `code` is `InvalidArg` and whose message lists the paths tried.
#[napi]
pub fn resolve(specifier: String, from: Option<String>) -> Result<ResolveResult> {
    let cwd =
        std::env::current_dir().map_err(|e| Error::new(Status::GenericFailure, e.to_string()))?;
    let from_file = match from {
        Some(f) => cwd.join(f),
        None => cwd.join("__somon_resolve__.som"),
    };
    let fs = somon_project::fs::RealFs;
    let resolver = somon_project::Resolver::new(&fs, Default::default());
    match resolver.resolve(&specifier, &from_file) {
        Ok(somon_project::Resolved::File(p)) => Ok(ResolveResult {
            kind: "file".into(),
            path: Some(p.to_string_lossy().to_string()),
            name: None,
        }),
        Ok(somon_project::Resolved::Builtin(b)) => Ok(ResolveResult {
            kind: "builtin".into(),
            path: None,
            name: Some(b),
        }),
        Ok(somon_project::Resolved::Package { name, path }) => Ok(ResolveResult {
            kind: "package".into(),
            path: Some(path.to_string_lossy().to_string()),
            name: Some(name),
        }),
        Err(e) => Err(Error::new(
            Status::InvalidArg,
            format!(
                "MODULE_NOT_FOUND: cannot find module '{}'; tried: {}",
                e.specifier,
                e.tried
                    .iter()
                    .map(|p| p.to_string_lossy().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}
