//! The Node.js binding (N-API via napi-rs). Architecture invariant: this is
//! the only crate that knows JavaScript types. Every call runs inside
//! `catch_unwind`, so a compiler bug becomes a JavaScript error, never a
//! crashed process; swc's `GLOBALS` are set per compilation inside
//! `somon_emit`.

use napi::bindgen_prelude::*;
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
            let detail = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
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
}

/// Environment the CLI needs, read by the JavaScript wrapper.
#[napi(object)]
pub struct CliEnvironment {
    pub cwd: String,
    pub color: bool,
    /// `--lang`/locale choice already made by the wrapper, if any.
    pub lang: Option<String>,
}

/// Runs the `somon` command line (used by `bin/somon.js`).
#[napi]
pub fn run_cli(args: Vec<String>, environment: CliEnvironment) -> Result<CliOutcome> {
    let env = somon_cli::Environment {
        cwd: environment.cwd.into(),
        color: environment.color,
        lang: environment
            .lang
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or_default(),
    };
    guarded(|| {
        let o = somon_cli::run(&args, &env);
        Ok(CliOutcome {
            exit_code: o.exit_code,
            run: o.run.map(|r| CliRun {
                filename: r.filename,
                code: r.code,
                args: r.args,
                esm: r.esm,
            }),
        })
    })
}
