//! The Node.js binding (N-API via napi-rs). Architecture invariant: this is
//! the only crate that knows JavaScript types. Every export goes through
//! one boundary ([`boundary`] for its work, [`Call`] for the asynchronous
//! ones): `catch_unwind`, so a compiler bug becomes a JavaScript error,
//! never a crashed process; a large stack of its own; options checked for
//! their shape (`TypeError`); an `AbortSignal` followed with
//! `addEventListener`. swc's `GLOBALS` are set per compilation inside
//! `somon_emit`.

use napi::bindgen_prelude::*;
use napi::UnknownRef;

mod js_string;
mod memory;
mod pipeline_thread;

/// mimalloc, as @swc/core uses: allocation is a large share of compile
/// time, and glibc's allocator is markedly slower for swc's many small
/// short-lived nodes. Built as mimalloc v2 with local-dynamic TLS (the
/// crate's `v2` and `local_dynamic_tls` features): the addon takes no
/// static TLS, so several copies load in one process, and v2 survives the
/// exit of the thread that first allocated (v3.3's main-heap teardown
/// crashes the next worker thread that loads the addon).
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
    /// `true` (default): relative imports get the emitted file's extension
    /// (`./lib/shakl` → `./lib/shakl.js`); `false`: every import specifier
    /// stays exactly as written (for bundlers and loader hooks, which
    /// resolve them again).
    pub rewrite_relative_import_extensions: Option<bool>,
    /// Internal, for profiling (`benchmark/compile.mjs --stages`): return
    /// each compiler stage's time in `timings` (default false).
    pub timings: Option<bool>,
    /// `compileFiles`: the folder outputs go to, mirroring the inputs'
    /// common folder (default: next to each `.som`).
    pub out_dir: Option<String>,
    /// `compileFiles`: write the outputs (default false: only return them).
    pub write: Option<bool>,
}

/// How long one stage of a compile took (`timings: true`).
#[napi(object)]
pub struct StageTiming {
    pub stage: String,
    /// Milliseconds (fractional).
    pub ms: f64,
}

/// The edit a suggestion proposes: the text of the range becomes `text`.
#[napi(object)]
pub struct Replacement {
    pub text: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

/// A proposed fix: its message ("did you mean `ном`?") and, when the
/// compiler knows it, the edit that applies it (for editors).
#[napi(object)]
pub struct Suggestion {
    pub message: String,
    pub replacement: Option<Replacement>,
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
    pub suggestion: Option<Suggestion>,
}

#[napi(object)]
pub struct CompileResult {
    /// The JavaScript; empty when there are errors.
    #[napi(ts_type = "string")]
    pub code: js_string::JsText,
    /// The source map (JSON) when `sourceMap: true`.
    pub map: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Errors in the old compiler's one-line format.
    pub errors: Vec<String>,
    /// Warnings in the old compiler's one-line format.
    pub warnings: Vec<String>,
    /// With `timings: true`: each stage of the compile in order (the time
    /// spent outside them, in the N-API layer, is the caller's wall time
    /// minus their sum).
    pub timings: Option<Vec<StageTiming>>,
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
        // A fix without a suggestion of its own (a keyword hint) is what
        // the message itself proposes.
        suggestion: d
            .suggestion
            .as_ref()
            .or(d.replacement.as_ref().map(|_| &d.message))
            .map(|message| Suggestion {
                message: message.clone(),
                replacement: d.replacement.as_ref().map(|r| Replacement {
                    text: r.text.clone(),
                    line: r.line,
                    column: r.column,
                    end_line: r.end_line,
                    end_column: r.end_column,
                }),
            }),
    }
}

/// A diagnostic from JavaScript back in the compiler's form (for
/// `formatDiagnostics`).
fn from_js_diagnostic(d: Diagnostic) -> std::result::Result<ResolvedDiagnostic, String> {
    let severity = match d.severity.as_str() {
        "error" => somon_diagnostics::Severity::Error,
        "warning" => somon_diagnostics::Severity::Warning,
        other => {
            return Err(format!(
                "a diagnostic's severity must be \"error\" or \"warning\", not `{other}`"
            ))
        }
    };
    // A snippet that is a window of a long line starts with `…` where 40
    // characters before the column were kept (see `snippet_window`).
    let shown = d.snippet.chars().count();
    let snippet_offset = if d.snippet.starts_with('…')
        && d.column > 41
        && shown <= somon_diagnostics::SNIPPET_WINDOW_CHARS + 2
    {
        d.column - 42
    } else {
        0
    };
    // A suggestion that only repeats the message (see `to_js_diagnostic`)
    // has no line of its own.
    let suggestion = d
        .suggestion
        .as_ref()
        .map(|s| s.message.clone())
        .filter(|s| *s != d.message);
    Ok(ResolvedDiagnostic {
        severity,
        code: intern_code(&d.code),
        message: d.message,
        file: d.file,
        line: d.line,
        column: d.column,
        end_line: d.end_line,
        end_column: d.end_column,
        snippet: d.snippet,
        snippet_offset,
        notes: d.notes,
        suggestion,
        replacement: d.suggestion.and_then(|s| s.replacement).map(|r| {
            somon_diagnostics::ResolvedReplacement {
                text: r.text,
                line: r.line,
                column: r.column,
                end_line: r.end_line,
                end_column: r.end_column,
            }
        }),
    })
}

/// A diagnostic code as the `&'static str` the renderers take: the
/// catalogue's own when it has it, else kept once per distinct code (at
/// most [`MAX_FOREIGN_CODES`] of them; past that, `UNKNOWN`).
fn intern_code(code: &str) -> &'static str {
    use std::sync::{Mutex, OnceLock};
    static CODES: OnceLock<Mutex<std::collections::HashSet<&'static str>>> = OnceLock::new();
    let codes = CODES.get_or_init(|| {
        Mutex::new(
            somon_diagnostics::Message::samples()
                .iter()
                .map(|m| m.code())
                .chain(["INTERNAL", "READ_FAILED"])
                .collect(),
        )
    });
    let Ok(mut codes) = codes.lock() else {
        return "UNKNOWN";
    };
    if let Some(known) = codes.get(code) {
        return known;
    }
    if codes.len() >= MAX_FOREIGN_CODES {
        return "UNKNOWN";
    }
    let leaked: &'static str = Box::leak(code.to_string().into_boxed_str());
    codes.insert(leaked);
    leaked
}

const MAX_FOREIGN_CODES: usize = 1024;

fn to_js_result(out: CompileOutput) -> CompileResult {
    let timings = (!out.timings.is_empty()).then(|| {
        out.timings
            .iter()
            .map(|(stage, d)| StageTiming {
                stage: (*stage).to_string(),
                ms: d.as_secs_f64() * 1000.0,
            })
            .collect()
    });
    CompileResult {
        timings,
        errors: out.legacy_errors(),
        warnings: out.legacy_warnings(),
        diagnostics: out.diagnostics.iter().map(to_js_diagnostic).collect(),
        code: js_string::JsText(out.code.unwrap_or_default()),
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
    c.rewrite_relative_import_extensions = o.rewrite_relative_import_extensions.unwrap_or(true);
    c.timings = o.timings.unwrap_or(false);
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
        Err(panic) => Err(Error::new(
            Status::GenericFailure,
            internal_error_text(&panic),
        )),
    }
}

fn internal_error_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    let detail = somon_diagnostics::panic_text(panic.as_ref()).unwrap_or_default();
    format!(
        "internal compiler error (this is a bug in somonscript {}; please report it with the input that caused it): {detail}",
        env!("CARGO_PKG_VERSION")
    )
}

/// The boundary every export runs in: a panic becomes a JavaScript error.
/// The compiler's own work inside it runs on a large stack ([`deep`]).
fn boundary<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    big_stack_pool();
    guarded(f)
}

/// Makes rayon's global pool (every parallel compile, check and bundle)
/// with threads of [`somon_compiler::WORKER_STACK`]: the pipeline then runs
/// on the worker's own stack, whose pages stay resident between files,
/// instead of mapping, faulting in and unmapping a fresh 256 MiB stack for
/// each file (which also serialised the workers on the process's memory
/// map). Once per process, before the pool's first use; if something else
/// built the pool first, its threads keep their size and the pipeline
/// switches stacks as before.
fn big_stack_pool() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rayon::ThreadPoolBuilder::new()
            .stack_size(somon_compiler::WORKER_STACK)
            .build_global();
    });
}

/// Runs compiler work (no JavaScript calls: V8 refuses calls from a
/// foreign stack) on a large stack of its own: deep input nests deeply in
/// swc's passes.
fn deep<T>(f: impl FnOnce() -> T) -> T {
    somon_compiler::with_pipeline_stack(f)
}

// ------------------------------------------------------------ options

/// The JavaScript types an option may have.
#[derive(Clone, Copy)]
enum Kind {
    Str,
    Bool,
    StrArray,
    /// A string among these values.
    OneOf(&'static [&'static str]),
    /// A boolean, or a string among these values.
    BoolOrOneOf(&'static [&'static str]),
    /// A number.
    Num,
    /// A plain object whose values are strings.
    StrMap,
}

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Kind::Str | Kind::OneOf(_) => "a string",
            Kind::Bool => "a boolean",
            Kind::StrArray => "an array of strings",
            Kind::Num => "a number",
            Kind::BoolOrOneOf(_) => "a boolean or a string",
            Kind::StrMap => "an object of strings",
        }
    }

    /// The strings this option takes, when it takes only some.
    fn values(self) -> Option<&'static [&'static str]> {
        match self {
            Kind::OneOf(v) | Kind::BoolOrOneOf(v) => Some(v),
            _ => None,
        }
    }
}

// The values of the enumerated options: exactly what `index.d.ts` lists
// (`Target`, `ModuleKind`, `BundleFormat`, `Platform`, `Circular`,
// `Lang`).
const TARGETS: &[&str] = &[
    "es5", "es2015", "es2016", "es2017", "es2018", "es2019", "es2020", "es2021", "es2022", "esnext",
];
const MODULE_KINDS: &[&str] = &["cjs", "esm"];
const BUNDLE_FORMATS: &[&str] = &["cjs", "esm", "iife", "umd"];
const PLATFORMS: &[&str] = &["node", "browser", "neutral"];
const CIRCULAR: &[&str] = &["warn", "error"];
const LANGS: &[&str] = &["en", "tj", "tg", "ru"];
const SOURCE_MAP: &[&str] = &["inline"];

/// Spellings from other tools, with the value meant here.
const VALUE_HINTS: &[(&str, &str)] = &[
    ("commonjs", "cjs"),
    ("module", "esm"),
    ("es6", "esm"),
    ("es", "esm"),
    ("esmodule", "esm"),
    ("es2023", "esnext"),
    ("es2024", "esnext"),
    ("latest", "esnext"),
    ("tajik", "tj"),
    ("english", "en"),
    ("russian", "ru"),
];

/// "Did you mean …?" for `value` among `candidates`.
fn did_you_mean(value: &str, candidates: &[&str]) -> String {
    let lower = value.to_lowercase();
    let hinted = VALUE_HINTS
        .iter()
        .find(|(from, to)| *from == lower && candidates.contains(to))
        .map(|(_, to)| *to);
    match hinted.or_else(|| somon_cli::api::closest(value, candidates)) {
        Some(best) => format!("; did you mean `{best}`?"),
        None => String::new(),
    }
}

/// The code-generation options every compiling function takes.
const CODEGEN_OPTIONS: &[(&str, Kind)] = &[
    ("target", Kind::OneOf(TARGETS)),
    ("module", Kind::OneOf(MODULE_KINDS)),
    ("minify", Kind::Bool),
    ("compress", Kind::Bool),
    ("mangle", Kind::Bool),
    ("sourceMap", Kind::BoolOrOneOf(SOURCE_MAP)),
    ("inlineSources", Kind::Bool),
    ("typeCheck", Kind::Bool),
    ("lang", Kind::OneOf(LANGS)),
    ("keepNames", Kind::Bool),
    ("rewriteRelativeImportExtensions", Kind::Bool),
];

/// Options of `compile`, `compileAsync` and `compileModule`: the file name
/// and the internal stage timings besides code generation.
const COMPILE_OPTIONS: &[&[(&str, Kind)]] = &[
    &[("fileName", Kind::Str)],
    CODEGEN_OPTIONS,
    &[("timings", Kind::Bool)],
];

/// Options of `compileFiles`: those of `compile` (its `fileName` is each
/// file's own) and where outputs go.
const COMPILE_FILES_OPTIONS: &[&[(&str, Kind)]] = &[
    CODEGEN_OPTIONS,
    &[("outDir", Kind::Str), ("write", Kind::Bool)],
];

/// Options of `check`.
const CHECK_OPTIONS: &[&[(&str, Kind)]] = &[CODEGEN_OPTIONS];

const BUNDLE_OPTIONS: &[(&str, Kind)] = &[
    ("format", Kind::OneOf(BUNDLE_FORMATS)),
    ("globalName", Kind::Str),
    ("external", Kind::StrArray),
    ("output", Kind::Str),
    ("write", Kind::Bool),
    ("target", Kind::OneOf(TARGETS)),
    ("minify", Kind::Bool),
    ("sourceMap", Kind::BoolOrOneOf(SOURCE_MAP)),
    ("inlineSources", Kind::Bool),
    ("typeCheck", Kind::Bool),
    ("lang", Kind::OneOf(LANGS)),
    ("circular", Kind::OneOf(CIRCULAR)),
    ("platform", Kind::OneOf(PLATFORMS)),
    ("treeShaking", Kind::Bool),
    ("keepNames", Kind::Bool),
    ("metafile", Kind::Bool),
    ("define", Kind::StrMap),
    ("drop", Kind::StrArray),
    ("splitting", Kind::Bool),
    ("outdir", Kind::Str),
    ("chunkNames", Kind::Str),
];

const FORMAT_DIAGNOSTICS_OPTIONS: &[(&str, Kind)] =
    &[("color", Kind::Bool), ("lang", Kind::OneOf(LANGS))];

/// Throws a `TypeError` (code `ERR_INVALID_ARG_TYPE`, as Node's own
/// argument checks) and returns the error that lets it through.
fn type_error(env: &Env, message: String) -> Error {
    type_error_with(env, message, "ERR_INVALID_ARG_TYPE")
}

/// A `TypeError` with `code` (`ERR_INVALID_ARG_VALUE` for a value of the
/// right type that the option does not take).
fn type_error_with(env: &Env, message: String, code: &str) -> Error {
    if env.throw_type_error(&message, Some(code)).is_err() {
        return Error::new(Status::InvalidArg, message);
    }
    Error::new(Status::PendingException, message)
}

/// A positional string argument (`source`, `entry`, `specifier`), or a
/// `TypeError` naming it.
fn string_arg(env: &Env, value: &Unknown<'_>, name: &str) -> Result<String> {
    if value.get_type()? != ValueType::String {
        return Err(type_error(
            env,
            format!("{name} must be a string, not {}", type_name(value)),
        ));
    }
    // SAFETY: a string, checked just above.
    unsafe { String::from_napi_value(env.raw(), value.raw()) }
}

/// An optional positional string argument (`undefined`/`null`: none).
fn optional_string_arg(
    env: &Env,
    value: Option<Unknown<'_>>,
    name: &str,
) -> Result<Option<String>> {
    match value {
        None => Ok(None),
        Some(v) if matches!(v.get_type()?, ValueType::Undefined | ValueType::Null) => Ok(None),
        Some(v) => string_arg(env, &v, name).map(Some),
    }
}

/// A positional array of strings (`paths`), or a `TypeError` naming it.
fn string_array_arg(env: &Env, value: &Unknown<'_>, name: &str) -> Result<Vec<String>> {
    if !has_kind(value, Kind::StrArray)? {
        return Err(type_error(
            env,
            format!(
                "{name} must be an array of strings, not {}",
                type_name(value)
            ),
        ));
    }
    // SAFETY: an array of strings, checked just above.
    unsafe { Vec::<String>::from_napi_value(env.raw(), value.raw()) }
}

fn type_name(value: &Unknown<'_>) -> &'static str {
    match value.get_type() {
        Ok(ValueType::Undefined) => "undefined",
        Ok(ValueType::Null) => "null",
        Ok(ValueType::Boolean) => "a boolean",
        Ok(ValueType::Number) => "a number",
        Ok(ValueType::String) => "a string",
        Ok(ValueType::Symbol) => "a symbol",
        Ok(ValueType::Function) => "a function",
        Ok(ValueType::BigInt) => "a bigint",
        Ok(_) if value.is_array().unwrap_or(false) => "an array",
        _ => "an object",
    }
}

fn is_plain_object(value: &Unknown<'_>) -> bool {
    matches!(value.get_type(), Ok(ValueType::Object)) && !value.is_array().unwrap_or(true)
}

fn has_kind(value: &Unknown<'_>, kind: Kind) -> Result<bool> {
    let t = value.get_type()?;
    Ok(match kind {
        Kind::Str | Kind::OneOf(_) => t == ValueType::String,
        Kind::Bool => t == ValueType::Boolean,
        Kind::BoolOrOneOf(_) => matches!(t, ValueType::String | ValueType::Boolean),
        Kind::Num => t == ValueType::Number,
        Kind::StrArray => {
            if !value.is_array()? {
                return Ok(false);
            }
            // SAFETY: an array is an object.
            let array: Object = unsafe { value.cast()? };
            let len = array.get_array_length()?;
            for i in 0..len {
                let item: Unknown = array.get_element(i)?;
                if item.get_type()? != ValueType::String {
                    return Ok(false);
                }
            }
            true
        }
        Kind::StrMap => {
            if !is_plain_object(value) {
                return Ok(false);
            }
            // SAFETY: checked to be an object.
            let object: Object = unsafe { value.cast()? };
            let keys = object.get_property_names()?;
            let len = keys.get_array_length()?;
            for i in 0..len {
                let key: String = keys.get_element(i)?;
                let item: Unknown = object.get_named_property(&key)?;
                if item.get_type()? != ValueType::String {
                    return Ok(false);
                }
            }
            true
        }
    })
}

/// Checks that `value` is `undefined`, `null` or a plain object whose keys
/// are among `tables` (read as one list, in order), each of its kind (only those keys are read, so a
/// circular or huge object costs nothing), then converts it. Anything else
/// is a `TypeError` naming the option.
fn options_of<T: FromNapiValue>(
    env: &Env,
    value: Option<Unknown<'_>>,
    what: &str,
    tables: &[&[(&str, Kind)]],
) -> Result<Option<T>> {
    let Some(value) = value else {
        return Ok(None);
    };
    if matches!(value.get_type()?, ValueType::Undefined | ValueType::Null) {
        return Ok(None);
    }
    if !is_plain_object(&value) {
        return Err(type_error(
            env,
            format!("{what} must be an object, not {}", type_name(&value)),
        ));
    }
    // SAFETY: checked to be an object just above.
    let object: Object = unsafe { value.cast()? };
    let fields: Vec<(&str, Kind)> = tables.iter().flat_map(|t| t.iter().copied()).collect();
    let keys = Object::keys(&object)?;
    for key in &keys {
        if !fields.iter().any(|(name, _)| name == key) {
            let known: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
            return Err(type_error(
                env,
                format!(
                    "unknown option `{key}` in {what}; known options: {}{}",
                    known.join(", "),
                    did_you_mean(key, &known)
                ),
            ));
        }
    }
    // Only the options the object has (in the table's order): reading each
    // of the table's names costs a property lookup per call.
    for &(name, kind) in fields.iter().filter(|(n, _)| keys.iter().any(|k| k == n)) {
        let field: Unknown = object.get_named_property(name)?;
        if matches!(field.get_type()?, ValueType::Undefined | ValueType::Null) {
            continue;
        }
        if !has_kind(&field, kind)? {
            let values = kind
                .values()
                .map(|v| format!("; valid values: {}", v.join(", ")))
                .unwrap_or_default();
            return Err(type_error(
                env,
                format!(
                    "{what}.{name} must be {}, not {}{values}",
                    kind.describe(),
                    type_name(&field)
                ),
            ));
        }
        if let (Some(values), ValueType::String) = (kind.values(), field.get_type()?) {
            // SAFETY: a string, checked just above.
            let value = unsafe { String::from_napi_value(env.raw(), field.raw())? };
            if !values.contains(&value.as_str()) {
                return Err(type_error_with(
                    env,
                    format!(
                        "invalid {name} `{value}` in {what}; valid values: {}{}{}",
                        if matches!(kind, Kind::BoolOrOneOf(_)) {
                            "true, false, "
                        } else {
                            ""
                        },
                        values.join(", "),
                        did_you_mean(&value, values)
                    ),
                    "ERR_INVALID_ARG_VALUE",
                ));
            }
        }
    }
    // SAFETY: `value` is a live value of this call, checked above to have
    // the shape `T` converts from.
    Ok(Some(unsafe { T::from_napi_value(env.raw(), value.raw())? }))
}

// ------------------------------------------------------------ cancellation

/// Set when the caller's `AbortSignal` aborts.
#[derive(Clone, Default)]
pub struct Cancel(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Cancel {
    fn set(&self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    fn is_set(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// `Err` (an abort) once the signal has aborted.
    fn check(&self) -> Result<()> {
        if self.is_set() {
            Err(aborted())
        } else {
            Ok(())
        }
    }
}

fn aborted() -> Error {
    Error::new(Status::Cancelled, "AbortError: the operation was aborted")
}

/// The caller's `AbortSignal`, followed with an `abort` listener added by
/// `addEventListener` (its `onabort` is never touched), removed when the
/// call settles, so a later `abort()` reaches nothing of ours.
pub struct Listener {
    signal: ObjectRef<false>,
    handler: Option<UnknownRef<false>>,
}

impl Listener {
    /// Follows `value` (`undefined`, `null` or an `AbortSignal`) for `cancel`.
    fn follow(env: &Env, value: Option<Unknown<'_>>, cancel: &Cancel) -> Result<Option<Self>> {
        let Some(value) = value else {
            return Ok(None);
        };
        if matches!(value.get_type()?, ValueType::Undefined | ValueType::Null) {
            return Ok(None);
        }
        let not_a_signal = || {
            type_error(
                env,
                format!("signal must be an AbortSignal, not {}", type_name(&value)),
            )
        };
        if value.get_type()? != ValueType::Object {
            return Err(not_a_signal());
        }
        // SAFETY: checked to be an object just above.
        let object: Object = unsafe { value.cast()? };
        let aborted: Unknown = object.get_named_property("aborted")?;
        let add: Unknown = object.get_named_property("addEventListener")?;
        if aborted.get_type()? != ValueType::Boolean || add.get_type()? != ValueType::Function {
            return Err(not_a_signal());
        }
        let signal = object.create_ref::<false>()?;
        // SAFETY: a boolean, checked above.
        if unsafe { bool::from_napi_value(env.raw(), aborted.raw())? } {
            cancel.set();
            return Ok(Some(Listener {
                signal,
                handler: None,
            }));
        }
        let flag = cancel.clone();
        let handler: Function<Unknown, ()> =
            env.create_function_from_closure("somonAbort", move |_| {
                flag.set();
                Ok(())
            })?;
        // SAFETY: a function, checked above.
        let add: Function<FnArgs<(&str, Unknown, Object)>, Unknown> = unsafe { add.cast()? };
        let mut once = Object::new(env)?;
        once.set_named_property("once", true)?;
        add.apply(object, FnArgs::from(("abort", handler.to_unknown(), once)))?;
        // SAFETY: `handler` is a live function of this call.
        let handler = unsafe { UnknownRef::<false>::from_napi_value(env.raw(), handler.raw())? };
        Ok(Some(Listener {
            signal,
            handler: Some(handler),
        }))
    }

    /// The signal's `reason` (what an aborted call rejects with).
    fn reason<'e>(&self, env: &'e Env) -> Result<Unknown<'e>> {
        let signal = self.signal.get_value(env)?;
        signal.get_named_property("reason")
    }

    /// Removes the listener and releases the references.
    fn remove(self, env: &Env) -> Result<()> {
        let signal = self.signal.get_value(env)?;
        if let Some(handler) = self.handler {
            let remove: Function<FnArgs<(&str, Unknown)>, Unknown> =
                signal.get_named_property("removeEventListener")?;
            remove.apply(signal, FnArgs::from(("abort", handler.get_value(env)?)))?;
            handler.unref(env)?;
        }
        self.signal.unref(env)
    }
}

// ------------------------------------------------------------ async calls

/// What an asynchronous export does on the libuv pool.
pub trait Work: Send + Sized + 'static {
    type Output: Send + 'static;
    type JsValue: ToNapiValue + TypeName;
    /// Runs inside [`boundary`]; long work checks `cancel` between pieces.
    fn run(&mut self, cancel: &Cancel) -> Result<Self::Output>;
    fn to_js(output: Self::Output) -> Self::JsValue;
}

/// An asynchronous export: its work, and the signal it follows. Cancelled
/// while queued (the work does not start) and between pieces of work; an
/// abort while the last piece runs rejects the call once it returns.
pub struct Call<W: Work> {
    work: W,
    cancel: Cancel,
    listener: Option<Listener>,
}

impl<W: Work> Call<W> {
    fn start(env: &Env, work: W, signal: Option<Unknown<'_>>) -> Result<AsyncTask<Self>> {
        let cancel = Cancel::default();
        let listener = Listener::follow(env, signal, &cancel)?;
        Ok(AsyncTask::new(Call {
            work,
            cancel,
            listener,
        }))
    }
}

impl<W: Work> Call<W> {
    /// What an aborted call rejects with: the signal's reason (an
    /// `AbortError` DOMException unless the caller gave another), as
    /// Node's own APIs do.
    fn abort_error(&self, env: &Env) -> Error {
        match self.listener.as_ref().map(|l| l.reason(env)) {
            Some(Ok(reason)) if !matches!(reason.get_type(), Ok(ValueType::Undefined)) => {
                Error::from(reason)
            }
            _ => aborted(),
        }
    }
}

impl<W: Work> Task for Call<W> {
    type Output = W::Output;
    type JsValue = W::JsValue;

    fn compute(&mut self) -> Result<Self::Output> {
        self.cancel.check()?;
        let (work, cancel) = (&mut self.work, &self.cancel);
        boundary(|| deep(|| work.run(cancel)))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> Result<Self::JsValue> {
        if self.cancel.is_set() {
            // Aborted while the last piece of work ran: its result is dropped.
            return Err(self.abort_error(&env));
        }
        Ok(W::to_js(output))
    }

    fn reject(&mut self, env: Env, err: Error) -> Result<Self::JsValue> {
        if self.cancel.is_set() {
            return Err(self.abort_error(&env));
        }
        Err(err)
    }

    fn finally(self, env: Env) -> Result<()> {
        match self.listener {
            Some(listener) => listener.remove(&env),
            None => Ok(()),
        }
    }
}

// ------------------------------------------------------------ compile

/// Compiles SomonScript source to JavaScript synchronously: the call
/// returns when done (the type check runs on the calling thread, lowering
/// and code generation on a helper thread of its own).
#[napi(ts_args_type = "source: string, options?: CompileOptions | undefined | null")]
pub fn compile(
    env: Env,
    source: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> Result<CompileResult> {
    boundary(|| {
        memory::keep_warm();
        let source = string_arg(&env, &source, "source")?;
        let opts = core_options(compile_options(&env, options)?)?;
        Ok(to_js_result(pipeline_thread::on_pipeline_thread(
            // The text is handed on, not copied (see `SourceText`).
            move |checks| somon_compiler::compile_with_runner(source, &opts, checks),
        )))
    })
}

fn compile_options(env: &Env, value: Option<Unknown<'_>>) -> Result<Option<CompileOptions>> {
    options_of(env, value, "options", COMPILE_OPTIONS)
}

pub struct CompileWork {
    source: String,
    options: CoreOptions,
}

impl Work for CompileWork {
    type Output = CompileOutput;
    type JsValue = CompileResult;

    fn run(&mut self, _cancel: &Cancel) -> Result<Self::Output> {
        // A task runs once: the text is handed on, not copied.
        Ok(somon_compiler::compile(
            std::mem::take(&mut self.source),
            &self.options,
        ))
    }

    fn to_js(output: Self::Output) -> Self::JsValue {
        to_js_result(output)
    }
}

/// Compiles on the libuv thread pool; the event loop stays free.
#[napi(
    ts_args_type = "source: string, options?: CompileOptions | undefined | null, signal?: AbortSignal | undefined | null",
    ts_return_type = "Promise<CompileResult>"
)]
pub fn compile_async(
    env: Env,
    source: Unknown<'_>,
    options: Option<Unknown<'_>>,
    signal: Option<Unknown<'_>>,
) -> Result<AsyncTask<Call<CompileWork>>> {
    boundary(|| {
        memory::keep_warm();
        let source = string_arg(&env, &source, "source")?;
        let options = core_options(compile_options(&env, options)?)?;
        Call::start(&env, CompileWork { source, options }, signal)
    })
}

// ------------------------------------------------------------ format

/// Options of `format` and `formatAsync`.
#[napi(object)]
#[derive(Default, Clone)]
pub struct FormatOptions {
    /// Spaces per indentation level, 1 to 16 (default 2).
    pub indent_width: Option<u32>,
    /// The width lines should fit in, 20 to 1000 (default 100).
    pub line_width: Option<u32>,
    /// File name used in diagnostics.
    pub file_name: Option<String>,
    /// Language of diagnostics: `en` (default), `tj` or `ru`.
    pub lang: Option<String>,
}

const FORMAT_OPTIONS: &[(&str, Kind)] = &[
    ("indentWidth", Kind::Num),
    ("lineWidth", Kind::Num),
    ("fileName", Kind::Str),
    ("lang", Kind::OneOf(LANGS)),
];

/// What `format` answers.
#[napi(object)]
pub struct FormatResult {
    /// The formatted program; empty when it has syntax errors (a program
    /// that does not parse is never formatted).
    pub code: String,
    /// Whether `code` differs from the source.
    pub changed: bool,
    /// The syntax errors (and warnings) when the program was refused.
    pub diagnostics: Vec<Diagnostic>,
}

pub struct FormatWork {
    source: String,
    options: somon_fmt::FormatOptions,
    file_name: String,
    lang: Lang,
}

fn format_work(env: &Env, source: String, value: Option<Unknown<'_>>) -> Result<FormatWork> {
    let o: FormatOptions =
        options_of(env, value, "options", &[FORMAT_OPTIONS])?.unwrap_or_default();
    let defaults = somon_fmt::FormatOptions::default();
    let indent_width = o.indent_width.unwrap_or(defaults.indent_width);
    if !(1..=16).contains(&indent_width) {
        return Err(invalid_option(
            "indentWidth",
            &indent_width.to_string(),
            "1 to 16",
        ));
    }
    let line_width = o.line_width.unwrap_or(defaults.line_width);
    if !(20..=1000).contains(&line_width) {
        return Err(invalid_option(
            "lineWidth",
            &line_width.to_string(),
            "20 to 1000",
        ));
    }
    let lang = match o.lang {
        Some(l) => Lang::parse(&l).ok_or_else(|| invalid_option("lang", &l, "en, tj, ru"))?,
        None => Lang::En,
    };
    Ok(FormatWork {
        source,
        options: somon_fmt::FormatOptions {
            indent_width,
            line_width,
        },
        file_name: o.file_name.unwrap_or_else(|| "input.som".to_string()),
        lang,
    })
}

impl Work for FormatWork {
    type Output = FormatResult;
    type JsValue = FormatResult;

    fn run(&mut self, _cancel: &Cancel) -> Result<Self::Output> {
        Ok(match somon_fmt::format(&self.source, &self.options) {
            Ok(code) => FormatResult {
                changed: code != self.source,
                code,
                diagnostics: Vec::new(),
            },
            Err(diagnostics) => {
                let index = somon_diagnostics::LineIndex::new(&self.source);
                FormatResult {
                    code: String::new(),
                    changed: false,
                    diagnostics: diagnostics
                        .iter()
                        .map(|d| {
                            to_js_diagnostic(&d.resolve(
                                &self.file_name,
                                &index,
                                &self.source,
                                self.lang,
                            ))
                        })
                        .collect(),
                }
            }
        })
    }

    fn to_js(output: Self::Output) -> Self::JsValue {
        output
    }
}

/// Formats a program in the canonical layout on the calling thread.
#[napi(ts_args_type = "source: string, options?: FormatOptions | undefined | null")]
pub fn format(env: Env, source: String, options: Option<Unknown<'_>>) -> Result<FormatResult> {
    boundary(|| {
        let mut work = format_work(&env, source, options)?;
        deep(|| work.run(&Cancel::default()))
    })
}

/// Formats on the libuv thread pool; the event loop stays free.
#[napi(
    ts_args_type = "source: string, options?: FormatOptions | undefined | null, signal?: AbortSignalLike | undefined | null",
    ts_return_type = "Promise<FormatResult>"
)]
pub fn format_async(
    env: Env,
    source: String,
    options: Option<Unknown<'_>>,
    signal: Option<Unknown<'_>>,
) -> Result<AsyncTask<Call<FormatWork>>> {
    boundary(|| {
        let work = format_work(&env, source, options)?;
        Call::start(&env, work, signal)
    })
}

/// The package version.
#[napi]
pub fn version() -> Result<String> {
    boundary(|| Ok(somon_cli::VERSION.to_string()))
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
        diagnostic_limits: Default::default(),
        files: Default::default(),
    }
}

/// The CLI's work (callers run it inside [`boundary`]).
fn run_cli_inner(args: &[String], env: &somon_cli::Environment) -> Result<CliOutcome> {
    let _lean = memory::lean_scope();
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
}

/// Runs the `somon` command line on the calling thread. Internal (the
/// `bin/somon.js` wrapper and tests), hence its name.
#[napi(js_name = "__internalRunCli")]
pub fn run_cli(args: Vec<String>, environment: CliEnvironment) -> Result<CliOutcome> {
    boundary(|| deep(|| run_cli_inner(&args, &cli_environment(environment))))
}

pub struct CliWork {
    args: Vec<String>,
    env: somon_cli::Environment,
}

impl Work for CliWork {
    type Output = CliOutcome;
    type JsValue = CliOutcome;

    fn run(&mut self, _cancel: &Cancel) -> Result<Self::Output> {
        run_cli_inner(&self.args, &self.env)
    }

    fn to_js(output: Self::Output) -> Self::JsValue {
        output
    }
}

/// Runs the `somon` command line on the libuv thread pool (used by
/// `bin/somon.js`): the event loop stays free, so signal handlers run while
/// `watch`/`serve` work, and reach the service through `requestShutdown`.
#[napi(
    js_name = "__internalRunCliAsync",
    ts_return_type = "Promise<CliOutcome>"
)]
pub fn run_cli_async(
    env: Env,
    args: Vec<String>,
    environment: CliEnvironment,
) -> Result<AsyncTask<Call<CliWork>>> {
    boundary(|| {
        let work = CliWork {
            args,
            env: cli_environment(environment),
        };
        Call::start(&env, work, None)
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
#[napi(js_name = "__internalRequestShutdown")]
pub fn request_shutdown(signal: String) -> Result<ShutdownAnswer> {
    boundary(|| Ok(shutdown_answer(&signal)))
}

fn shutdown_answer(signal: &str) -> ShutdownAnswer {
    match somon_cli::request_shutdown(signal) {
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
    /// Write the bundle (and its map) to `output`.
    pub write: Option<bool>,
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
    /// `node` (default), `browser` or `neutral`: whether Node.js built-in
    /// modules (and, for `esm`, `createRequire`) may be used.
    pub platform: Option<String>,
    /// Return the bundle's metafile (esbuild's shape) as `metafile`.
    pub metafile: Option<bool>,
    /// esbuild's `define`: global name or dotted path → JavaScript
    /// expression (`{ "process.env.NODE_ENV": '"production"' }`).
    pub define: Option<std::collections::HashMap<String, String>>,
    /// esbuild's `drop`: `console`, `debugger`.
    pub drop: Option<Vec<String>>,
    /// Drop code no entry reaches (default true).
    pub tree_shaking: Option<bool>,
    /// Code splitting (needs `format: 'esm'`): each `import()` target is a
    /// chunk of its own, modules several chunks use are in shared chunks;
    /// the chunks are returned in `chunks` (and written to `outdir` with
    /// `write: true`).
    pub splitting: Option<bool>,
    /// With `splitting`: the folder of the chunks (map `sources` are
    /// relative to it; required with `write: true`).
    pub outdir: Option<String>,
    /// With `splitting`: names of chunks that are not entries (default
    /// `[name]-[hash]`).
    pub chunk_names: Option<String>,
}

/// One file of a split bundle.
#[napi(object)]
pub struct BundleChunk {
    /// Its path in the output folder (`main.js`, `chunk-LNQ3TZ2B.js`).
    pub file: String,
    pub code: String,
    pub map: Option<String>,
    /// Whether it is the entry's chunk.
    pub entry: bool,
    /// With `write: true`: the file written.
    pub output_path: Option<String>,
}

#[napi(object)]
pub struct BundleResult {
    /// The bundle; empty when there are errors (no partial bundle).
    pub code: String,
    pub map: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Number of modules in the graph.
    pub modules: u32,
    /// With `write: true`: the file written.
    pub output_path: Option<String>,
    /// With `write: true` and `sourceMap: true`: the map written beside it.
    pub map_path: Option<String>,
    /// With `metafile: true` and no errors: the metafile as JSON text
    /// (esbuild's shape: `inputs` and `outputs`).
    pub metafile: Option<String>,
    /// With `splitting: true` and no errors: the entry's chunk first,
    /// then the others (`code` is empty then).
    pub chunks: Option<Vec<BundleChunk>>,
}

/// A bundle to make, and whether to write it.
pub struct BundleJob {
    req: somon_project::BundleRequest,
    write: bool,
    metafile: bool,
    cwd: std::path::PathBuf,
    /// With `splitting`: the split and the folder of the chunks.
    split: Option<(somon_project::SplitRequest, Option<std::path::PathBuf>)>,
}

fn bundle_request(env: &Env, entry: &str, o: Option<BundleOptions>) -> Result<BundleJob> {
    let o = o.unwrap_or_default();
    let write = o.write.unwrap_or(false);
    let splitting = o.splitting.unwrap_or(false);
    if splitting {
        if o.format.as_deref() != Some("esm") {
            return Err(type_error_with(
                env,
                "options.splitting needs options.format: 'esm' (chunks load each other as ES modules)".into(),
                "ERR_INVALID_ARG_VALUE",
            ));
        }
        if write && o.outdir.is_none() {
            return Err(type_error_with(
                env,
                "options.splitting with options.write needs options.outdir: the folder of the chunks".into(),
                "ERR_INVALID_ARG_VALUE",
            ));
        }
        if o.metafile.unwrap_or(false) {
            return Err(type_error_with(
                env,
                "options.metafile is for one-file bundles: use `somon bundle --splitting --metafile` for a split build".into(),
                "ERR_INVALID_ARG_VALUE",
            ));
        }
    } else if write && o.output.is_none() {
        return Err(type_error_with(
            env,
            "options.write needs options.output: the file to write the bundle to".into(),
            "ERR_INVALID_ARG_VALUE",
        ));
    }
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
    let platform = match o.platform.as_deref() {
        None => somon_project::Platform::Node,
        Some(p) => somon_project::Platform::parse(p)
            .ok_or_else(|| invalid_option("platform", p, "node, browser, neutral"))?,
    };
    let outdir = o.outdir.as_ref().map(|d| cwd.join(d));
    let stem = entry_path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "index".into());
    let output = match (&outdir, splitting) {
        // The entry's chunk: map `sources` are relative to the folder.
        (Some(dir), true) => Some(dir.join(format!("{stem}.js"))),
        (None, true) => Some(cwd.join(format!("{stem}.js"))),
        _ => o.output.map(|p| cwd.join(p)),
    };
    let output_name = output
        .as_ref()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().to_string());
    let req = somon_project::BundleRequest {
        entry: entry_path,
        output,
        display_base: cwd.clone(),
        format,
        platform,
        global_name: o.global_name,
        externals: o.external.unwrap_or_default(),
        emit: somon_emit_options(&core, output_name),
        type_check: core.type_check,
        lang: core.lang,
        circular,
        resolver: Default::default(),
        tree_shaking: o.tree_shaking.unwrap_or(true),
    };
    let mut req = req;
    let mut define: Vec<(String, String)> = o.define.unwrap_or_default().into_iter().collect();
    // The same bundle whatever the order of the object's keys.
    define.sort();
    for (k, v) in &define {
        if !somon_compiler::define::valid_define_key(k) {
            return Err(invalid_option("define", k, "a global name or dotted path"));
        }
        if !somon_compiler::define::valid_define_value(v) {
            return Err(invalid_option("define", v, "a JavaScript expression"));
        }
    }
    req.emit.define = define;
    for d in o.drop.unwrap_or_default() {
        match d.as_str() {
            "console" => req.emit.drop_console = true,
            "debugger" => req.emit.drop_debugger = true,
            other => return Err(invalid_option("drop", other, "console, debugger")),
        }
    }
    let split = splitting.then(|| {
        (
            somon_project::SplitRequest {
                more_entries: Vec::new(),
                chunk_names: o.chunk_names.unwrap_or_default(),
            },
            outdir,
        )
    });
    Ok(BundleJob {
        req,
        write,
        metafile: o.metafile.unwrap_or(false),
        cwd,
        split,
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
        type_only_imports: Vec::new(),
        define: Vec::new(),
        drop_console: false,
        drop_debugger: false,
    }
}

/// A bundle and, when it was written, where.
pub struct BundleDone {
    out: somon_project::BundleOutput,
    output_path: Option<String>,
    map_path: Option<String>,
    metafile: Option<String>,
    chunks: Option<Vec<BundleChunk>>,
}

fn to_bundle_result(done: BundleDone) -> BundleResult {
    let out = done.out;
    BundleResult {
        code: out.code.unwrap_or_default(),
        map: out.map,
        diagnostics: out.diagnostics.iter().map(to_js_diagnostic).collect(),
        modules: out.modules as u32,
        output_path: done.output_path,
        map_path: done.map_path,
        metafile: done.metafile,
        chunks: done.chunks,
    }
}

/// A split bundle ([`run_bundle`] with `splitting`): the chunks, written
/// to the folder with `write` as `somon bundle --splitting` writes them.
fn run_split(
    job: &BundleJob,
    split: &somon_project::SplitRequest,
    outdir: Option<&std::path::Path>,
) -> BundleDone {
    let (mut out, chunks) =
        somon_project::bundle_split(&job.req, split, &somon_project::fs::RealFs);
    let mut read = out.files.clone();
    read.push(job.req.entry.clone());
    let separate_map = job.req.emit.source_map == SourceMapKind::Separate;
    let mut result = Vec::with_capacity(chunks.len());
    let mut failed = false;
    for c in chunks {
        let mut output_path = None;
        if let (true, Some(dir), false) = (job.write, outdir, failed) {
            let path = dir.join(&c.file);
            if let Some(parent) = path.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            let map = if separate_map { c.map.as_deref() } else { None };
            match somon_cli::api::write_output(&path, c.code.clone(), map, &read, &job.cwd) {
                Ok(()) => output_path = Some(path.to_string_lossy().to_string()),
                Err(message) => {
                    failed = true;
                    out.diagnostics.push(ResolvedDiagnostic::whole_file(
                        message.code(),
                        &path.to_string_lossy(),
                        message.render(job.req.lang),
                    ));
                }
            }
        }
        result.push(BundleChunk {
            file: c.file,
            code: c.code,
            map: c.map,
            entry: c.entry.is_some(),
            output_path,
        });
    }
    let chunks = (!result.is_empty()).then_some(result);
    BundleDone {
        out,
        output_path: None,
        map_path: None,
        metafile: None,
        chunks,
    }
}

/// Bundles, and with `write` writes the bundle and its map as `somon
/// bundle` does: atomically, never over a file of the module graph or a
/// read-only file (then an error diagnostic says why and nothing is
/// written).
fn run_bundle(job: &BundleJob) -> BundleDone {
    let _lean = memory::lean_scope();
    if let Some((split, outdir)) = &job.split {
        return run_split(job, split, outdir.as_deref());
    }
    let mut out = somon_project::bundle(&job.req, &somon_project::fs::RealFs);
    let (mut output_path, mut map_path) = (None, None);
    if let (true, Some(code), Some(output)) = (job.write, &out.code, &job.req.output) {
        let separate_map = job.req.emit.source_map == SourceMapKind::Separate;
        let map = if separate_map {
            out.map.as_deref()
        } else {
            None
        };
        let mut read = out.files.clone();
        read.push(job.req.entry.clone());
        match somon_cli::api::write_output(output, code.clone(), map, &read, &job.cwd) {
            Ok(()) => {
                output_path = Some(output.to_string_lossy().to_string());
                map_path = map.map(|_| {
                    somon_cli::api::map_path(output)
                        .to_string_lossy()
                        .to_string()
                });
            }
            Err(message) => out.diagnostics.push(ResolvedDiagnostic::whole_file(
                message.code(),
                &output.to_string_lossy(),
                message.render(job.req.lang),
            )),
        }
    }
    let metafile = match (&out.code, job.metafile) {
        (Some(code), true) => {
            // Written: the files' sizes (the code with its
            // `sourceMappingURL` comment); else what `code` and `map` hold.
            let written = output_path.as_ref().map(std::path::PathBuf::from);
            let len = |p: &std::path::Path| std::fs::metadata(p).map_or(0, |m| m.len() as usize);
            let code_bytes = written.as_deref().map_or(code.len(), len);
            let map_bytes = match &map_path {
                Some(m) => Some(len(std::path::Path::new(m))),
                None if job.req.emit.source_map == SourceMapKind::Separate => {
                    out.map.as_ref().map(String::len)
                }
                None => None,
            };
            Some(somon_cli::api::metafile(
                &out,
                job.req.output.as_deref(),
                code_bytes,
                map_bytes,
                &job.cwd,
            ))
        }
        _ => None,
    };
    BundleDone {
        out,
        output_path,
        map_path,
        metafile,
        chunks: None,
    }
}

fn bundle_options(env: &Env, value: Option<Unknown<'_>>) -> Result<Option<BundleOptions>> {
    options_of(env, value, "options", &[BUNDLE_OPTIONS])
}

/// Bundles the module graph of `entry` on the calling thread.
#[napi(ts_args_type = "entry: string, options?: BundleOptions | undefined | null")]
pub fn bundle_sync(
    env: Env,
    entry: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> Result<BundleResult> {
    boundary(|| {
        let entry = string_arg(&env, &entry, "entry")?;
        let job = bundle_request(&env, &entry, bundle_options(&env, options)?)?;
        Ok(to_bundle_result(deep(|| run_bundle(&job))))
    })
}

pub struct BundleWork {
    job: BundleJob,
}

impl Work for BundleWork {
    type Output = BundleDone;
    type JsValue = BundleResult;

    fn run(&mut self, _cancel: &Cancel) -> Result<Self::Output> {
        Ok(run_bundle(&self.job))
    }

    fn to_js(output: Self::Output) -> Self::JsValue {
        to_bundle_result(output)
    }
}

/// Bundles off the JavaScript thread (modules are parsed and checked in
/// parallel).
#[napi(
    ts_args_type = "entry: string, options?: BundleOptions | undefined | null, signal?: AbortSignal | undefined | null",
    ts_return_type = "Promise<BundleResult>"
)]
pub fn bundle(
    env: Env,
    entry: Unknown<'_>,
    options: Option<Unknown<'_>>,
    signal: Option<Unknown<'_>>,
) -> Result<AsyncTask<Call<BundleWork>>> {
    boundary(|| {
        let entry = string_arg(&env, &entry, "entry")?;
        let job = bundle_request(&env, &entry, bundle_options(&env, options)?)?;
        Call::start(&env, BundleWork { job }, signal)
    })
}

/// One compiled file of `compileFiles`.
#[napi(object)]
pub struct FileResult {
    pub file: String,
    pub code: String,
    pub map: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// `compileFiles`: where the JavaScript goes (next to the `.som`, or
    /// under `outDir`); written there only with `write: true`.
    pub output_path: Option<String>,
    /// `compileFiles` with `sourceMap: true`: where the map goes
    /// (`<outputPath>.map`); its `sources` are relative to its folder.
    pub map_path: Option<String>,
    /// `compileFiles` with `write: true`: whether the files were written.
    pub written: Option<bool>,
}

/// Where `compileFiles` puts outputs.
#[derive(Clone)]
pub struct Outputs {
    /// The inputs' common folder, mirrored under `out_dir`.
    root: std::path::PathBuf,
    out_dir: Option<std::path::PathBuf>,
    write: bool,
    cwd: std::path::PathBuf,
}

pub struct FilesWork {
    files: Vec<std::path::PathBuf>,
    options: CoreOptions,
    resolver: somon_project::ResolverConfig,
    check_only: bool,
    outputs: Outputs,
}

/// A file's result, or its own internal error when compiling it panicked
/// (the other files keep theirs).
fn compile_file(
    path: &std::path::Path,
    options: &CoreOptions,
    check_only: bool,
    types: &somon_project::ProjectTypes,
    resolver: &somon_project::Resolver<'_>,
    outputs: &Outputs,
    inputs: &[std::path::PathBuf],
) -> FileResult {
    let file = path.to_string_lossy().to_string();
    let failed = |code: &'static str, message: String| FileResult {
        file: file.clone(),
        code: String::new(),
        map: None,
        diagnostics: vec![to_js_diagnostic(&ResolvedDiagnostic::whole_file(
            code, &file, message,
        ))],
        output_path: None,
        map_path: None,
        written: None,
    };
    match catch_unwind(AssertUnwindSafe(|| {
        compile_one_file(
            path, &file, options, check_only, types, resolver, outputs, inputs,
        )
    })) {
        Ok(Ok(result)) => result,
        Ok(Err(e)) => failed("READ_FAILED", format!("Cannot read '{file}': {e}")),
        Err(panic) => failed("INTERNAL", internal_error_text(&panic)),
    }
}

#[allow(clippy::too_many_arguments)]
fn compile_one_file(
    path: &std::path::Path,
    file: &str,
    options: &CoreOptions,
    check_only: bool,
    types: &somon_project::ProjectTypes,
    resolver: &somon_project::Resolver<'_>,
    outputs: &Outputs,
    inputs: &[std::path::PathBuf],
) -> std::io::Result<FileResult> {
    // The project's graph has read and parsed the file already: its text
    // and import specifiers come from there (the imports are resolved
    // again, which needs no parse).
    let (source, file_imports) = match types.somon_text_and_specifiers(path) {
        Some((text, specs)) => (
            std::borrow::Cow::Borrowed(text),
            somon_project::imports_of_specifiers(specs, path, resolver),
        ),
        None => {
            // Through the file system the resolver and the project's types read.
            let text =
                somon_project::fs::FileSystem::read_to_string(&somon_project::fs::RealFs, path)?;
            let imports = somon_project::file_imports(&text, path, resolver);
            (std::borrow::Cow::Owned(text), imports)
        }
    };
    if std::env::var_os("SOMON_INTERNAL_TEST_PANIC")
        .is_some_and(|v| !v.is_empty() && file.ends_with(&*v.to_string_lossy()))
    {
        // Tests of per-file panic isolation.
        panic!("SOMON_INTERNAL_TEST_PANIC={file}");
    }
    let output = (!check_only)
        .then(|| somon_cli::api::output_path(path, &outputs.root, outputs.out_dir.as_deref()));
    let out_folder = output
        .as_ref()
        .and_then(|o| o.parent())
        .map(std::path::Path::to_path_buf);
    let mut opts = CoreOptions {
        file_name: file.to_string(),
        specifier_map: Some(file_imports.specifiers),
        ..options.clone()
    };
    // As `somon compile` writes them: the map's `sources` relative to the
    // folder of the output (and of its map), its `file` the output's name.
    if let (Some(output), Some(folder)) = (&output, &out_folder) {
        if opts.source_map != SourceMapKind::None {
            opts.file_name = somon_cli::api::relative(folder, path);
        }
        opts.output_name = output.file_name().map(|n| n.to_string_lossy().to_string());
    }
    // The same pipeline as the command line: checked against what the
    // file imports.
    let imports = types.imports_of(path);
    let mut out = somon_compiler::compile_module(
        &*source,
        &opts,
        &*imports,
        types.import_diagnostics(path),
        check_only,
    );
    for d in &mut out.diagnostics {
        d.file = file.to_string();
    }
    let map_path = match (&output, opts.source_map) {
        (Some(o), SourceMapKind::Separate) => Some(somon_cli::api::map_path(o)),
        _ => None,
    };
    let mut written = None;
    if let (true, Some(output), Some(code)) = (outputs.write, &output, &out.code) {
        // Never over a file this call compiles or this file imports (the
        // other files' JavaScript outputs excepted: they are written too).
        let generated = |f: &std::path::PathBuf| {
            f.extension().is_some_and(|e| e == "js")
                && inputs.contains(&f.with_extension("som"))
                && outputs.out_dir.is_none()
        };
        let mut read: Vec<std::path::PathBuf> = inputs.to_vec();
        read.extend(file_imports.files.into_iter().filter(|f| !generated(f)));
        let map = map_path.as_ref().and(out.map.as_deref());
        match somon_cli::api::write_output(output, code.clone(), map, &read, &outputs.cwd) {
            Ok(()) => written = Some(true),
            Err(message) => {
                written = Some(false);
                out.diagnostics.push(ResolvedDiagnostic::whole_file(
                    message.code(),
                    file,
                    message.render(options.lang),
                ));
            }
        }
    } else if outputs.write && !check_only {
        written = Some(false);
    }
    Ok(FileResult {
        file: file.to_string(),
        code: out.code.clone().unwrap_or_default(),
        map: out.map.clone(),
        diagnostics: out.diagnostics.iter().map(to_js_diagnostic).collect(),
        output_path: output.map(|o| o.to_string_lossy().to_string()),
        map_path: map_path.map(|m| m.to_string_lossy().to_string()),
        written,
    })
}

impl Work for FilesWork {
    type Output = Vec<FileResult>;
    type JsValue = Vec<FileResult>;

    /// Files in parallel; each file is a piece of work: once the signal
    /// aborts, no further file starts.
    fn run(&mut self, cancel: &Cancel) -> Result<Self::Output> {
        use rayon::prelude::*;
        let (files, options, check_only) = (&self.files, &self.options, self.check_only);
        let outputs = &self.outputs;
        // No lean scope here (unlike bundles): each file is compiled and
        // its trees freed on the same worker, which reuses those pages for
        // its next file; purging them at once made every file fault its
        // memory in again, the two workers queueing on the process's memory
        // map (the graph's trees live until the end either way).
        memory::keep_warm();
        let fs = somon_project::fs::RealFs;
        let resolver = somon_project::Resolver::new(&fs, self.resolver.clone());
        let types = somon_project::ProjectTypes::load(files, &fs, &resolver);
        let results: Vec<Option<FileResult>> = files
            .par_iter()
            .map(|f| {
                (!cancel.is_set()).then(|| {
                    deep(|| compile_file(f, options, check_only, &types, &resolver, outputs, files))
                })
            })
            .collect();
        cancel.check()?;
        Ok(results.into_iter().flatten().collect())
    }

    fn to_js(output: Self::Output) -> Self::JsValue {
        output
    }
}

fn files_task(
    env: Env,
    paths: Unknown<'_>,
    options: Option<Unknown<'_>>,
    signal: Option<Unknown<'_>>,
    check_only: bool,
) -> Result<AsyncTask<Call<FilesWork>>> {
    boundary(|| {
        let paths = string_array_arg(&env, &paths, "paths")?;
        let fields = if check_only {
            CHECK_OPTIONS
        } else {
            COMPILE_FILES_OPTIONS
        };
        let js_options: Option<CompileOptions> = options_of(&env, options, "options", fields)?;
        let out_dir = js_options.as_ref().and_then(|o| o.out_dir.clone());
        let write = js_options.as_ref().and_then(|o| o.write).unwrap_or(false);
        let options = core_options(js_options)?;
        let cwd = std::env::current_dir()
            .map_err(|e| Error::new(Status::GenericFailure, e.to_string()))?;
        let inputs: Vec<std::path::PathBuf> = paths.iter().map(|p| cwd.join(p)).collect();
        let files = somon_project::fs::collect_som_files(&inputs)
            .map_err(|e| Error::new(Status::InvalidArg, e.to_string()))?;
        // `resolution.baseUrl`/`paths` of the project's configuration apply
        // as on the command line.
        let start = inputs
            .first()
            .map(|p| {
                if p.is_dir() {
                    p.clone()
                } else {
                    p.parent()
                        .map(|d| d.to_path_buf())
                        .unwrap_or_else(|| cwd.clone())
                }
            })
            .unwrap_or_else(|| cwd.clone());
        let resolver = somon_cli::project_resolver(&cwd, &start, options.lang)
            .map_err(|e| Error::new(Status::InvalidArg, e))?;
        let outputs = Outputs {
            root: somon_cli::api::input_root(&inputs),
            out_dir: out_dir.map(|d| cwd.join(d)),
            write,
            cwd: cwd.clone(),
        };
        let work = FilesWork {
            files,
            options,
            resolver,
            check_only,
            outputs,
        };
        Call::start(&env, work, signal)
    })
}

/// Compiles many files (or every `.som` below folders) in parallel.
#[napi(
    ts_args_type = "paths: Array<string>, options?: CompileOptions | undefined | null, signal?: AbortSignal | undefined | null",
    ts_return_type = "Promise<Array<FileResult>>"
)]
pub fn compile_files(
    env: Env,
    paths: Unknown<'_>,
    options: Option<Unknown<'_>>,
    signal: Option<Unknown<'_>>,
) -> Result<AsyncTask<Call<FilesWork>>> {
    files_task(env, paths, options, signal, false)
}

/// Type-checks files (or folders) in parallel without producing code.
#[napi(
    ts_args_type = "paths: Array<string>, options?: CompileOptions | undefined | null, signal?: AbortSignal | undefined | null",
    ts_return_type = "Promise<Array<FileResult>>"
)]
pub fn check(
    env: Env,
    paths: Unknown<'_>,
    options: Option<Unknown<'_>>,
    signal: Option<Unknown<'_>>,
) -> Result<AsyncTask<Call<FilesWork>>> {
    files_task(env, paths, options, signal, true)
}

/// Where `specifier` imported from the file `from` leads.
#[napi(object)]
pub struct ResolveResult {
    /// `file`, `builtin` or `package`.
    pub kind: String,
    pub path: Option<String>,
    pub name: Option<String>,
}

/// Resolves a module specifier as the bundler does (with the
/// `resolution` settings of the `somon.config.json` found upward from
/// `from`). Throws an error whose
/// `code` is `InvalidArg` and whose message lists the paths tried.
#[napi(ts_args_type = "specifier: string, from?: string | undefined | null")]
pub fn resolve(
    env: Env,
    specifier: Unknown<'_>,
    from: Option<Unknown<'_>>,
) -> Result<ResolveResult> {
    boundary(|| {
        let specifier = string_arg(&env, &specifier, "specifier")?;
        let from = optional_string_arg(&env, from, "from")?;
        deep(|| resolve_specifier(&specifier, from))
    })
}

/// Options of `formatDiagnostics`.
#[napi(object)]
#[derive(Default)]
pub struct FormatDiagnosticsOptions {
    /// Terminal colours (default false).
    pub color: Option<bool>,
    /// Language of the summary line: `en` (default), `tj`, `ru`.
    pub lang: Option<String>,
}

/// Diagnostics as `somon` prints them: each with its source line and a
/// caret, notes and the suggestion, then the "N error(s), N warning(s)"
/// line (the command line's own renderer; without its limits).
#[napi(
    ts_args_type = "diagnostics: Array<Diagnostic>, options?: FormatDiagnosticsOptions | undefined | null"
)]
pub fn format_diagnostics(
    env: Env,
    diagnostics: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> Result<String> {
    boundary(|| {
        let o: FormatDiagnosticsOptions =
            options_of(&env, options, "options", &[FORMAT_DIAGNOSTICS_OPTIONS])?
                .unwrap_or_default();
        if !diagnostics.is_array()? {
            return Err(type_error(
                &env,
                format!(
                    "diagnostics must be an array of diagnostics, not {}",
                    type_name(&diagnostics)
                ),
            ));
        }
        // SAFETY: an array, checked just above; each element's shape is
        // checked by the conversion.
        let list = match unsafe { Vec::<Diagnostic>::from_napi_value(env.raw(), diagnostics.raw()) }
        {
            Ok(list) => list,
            Err(e) => {
                return Err(type_error(
                    &env,
                    format!(
                        "diagnostics must be an array of diagnostics as compile() returns them: {}",
                        e.reason
                    ),
                ))
            }
        };
        let mut resolved = Vec::with_capacity(list.len());
        for d in list {
            match from_js_diagnostic(d) {
                Ok(r) => resolved.push(r),
                Err(message) => {
                    return Err(type_error_with(&env, message, "ERR_INVALID_ARG_VALUE"))
                }
            }
        }
        let lang = o.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
        Ok(somon_cli::api::format_diagnostics(
            &resolved,
            o.color.unwrap_or(false),
            lang,
        ))
    })
}

fn resolve_specifier(specifier: &str, from: Option<String>) -> Result<ResolveResult> {
    let cwd =
        std::env::current_dir().map_err(|e| Error::new(Status::GenericFailure, e.to_string()))?;
    let from_file = match from {
        Some(f) => cwd.join(f),
        None => cwd.join("__somon_resolve__.som"),
    };
    // `resolution.baseUrl`/`paths` of the configuration found upward from
    // the importing file apply, as in `somon bundle`.
    let start = from_file.parent().unwrap_or(&cwd).to_path_buf();
    let (config, _) = somon_cli::project_resolution(&cwd, &start, Lang::En)
        .map_err(|e| Error::new(Status::InvalidArg, e))?;
    let fs = somon_project::fs::RealFs;
    let resolver = somon_project::Resolver::new(&fs, config);
    match resolver.resolve(specifier, &from_file) {
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

// ------------------------------------------------------------ tools
// (bundler plugins, loader hooks, test transformers: `plugins/`)

/// One module compiled for a tool by `compileModule`.
#[napi(object)]
pub struct ModuleResult {
    /// The JavaScript; empty when there are errors.
    pub code: String,
    pub map: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Absolute paths of every file whose change may change this result:
    /// the module graph below the file (what its type check reads) and
    /// the configuration file.
    pub dependencies: Vec<String>,
    /// The `somon.config.json` (or `.somonrc`) that applies, if any.
    pub config_file: Option<String>,
}

pub struct ModuleWork {
    file: std::path::PathBuf,
    source: String,
    options: CoreOptions,
}

/// Runs on a deep stack (`Call`'s, or `compile_module_sync`'s own).
fn compile_module_file(w: &ModuleWork) -> Result<ModuleResult> {
    let cwd =
        std::env::current_dir().map_err(|e| Error::new(Status::GenericFailure, e.to_string()))?;
    let start = w.file.parent().unwrap_or(&cwd).to_path_buf();
    let (config, config_file) = somon_cli::project_resolution(&cwd, &start, w.options.lang)
        .map_err(|e| Error::new(Status::InvalidArg, e))?;
    let _lean = memory::lean_scope();
    let fs = somon_project::fs::RealFs;
    let resolver = somon_project::Resolver::new(&fs, config);
    let types = somon_project::ProjectTypes::load(std::slice::from_ref(&w.file), &fs, &resolver);
    let mut opts = w.options.clone();
    if opts.rewrite_relative_import_extensions {
        opts.specifier_map = Some(somon_project::output_specifiers(
            &w.source, &w.file, &resolver,
        ));
    }
    let imports = types.imports_of(&w.file);
    let out = somon_compiler::compile_module(
        &w.source,
        &opts,
        &*imports,
        types.import_diagnostics(&w.file),
        false,
    );
    let mut dependencies: Vec<String> = types
        .files()
        .filter(|p| *p != w.file.as_path())
        .map(|p| p.to_string_lossy().to_string())
        .collect();
    let config_file = config_file.map(|p| p.to_string_lossy().to_string());
    dependencies.extend(config_file.clone());
    Ok(ModuleResult {
        code: out.code.unwrap_or_default(),
        map: out.map,
        diagnostics: out.diagnostics.iter().map(to_js_diagnostic).collect(),
        dependencies,
        config_file,
    })
}

impl Work for ModuleWork {
    type Output = ModuleResult;
    type JsValue = ModuleResult;

    fn run(&mut self, _cancel: &Cancel) -> Result<Self::Output> {
        compile_module_file(self)
    }

    fn to_js(output: Self::Output) -> Self::JsValue {
        output
    }
}

/// `compileModule` on the calling thread (for hooks that must answer
/// synchronously: `require`, Jest's transformers).
#[napi(ts_args_type = "file: string, source: string, options?: CompileOptions | undefined | null")]
pub fn compile_module_sync(
    env: Env,
    file: String,
    source: String,
    options: Option<Unknown<'_>>,
) -> Result<ModuleResult> {
    boundary(|| {
        let work = module_work(&env, file, source, options)?;
        deep(|| compile_module_file(&work))
    })
}

fn module_work(
    env: &Env,
    file: String,
    source: String,
    options: Option<Unknown<'_>>,
) -> Result<ModuleWork> {
    memory::keep_warm();
    let given = compile_options(env, options)?;
    let named = given.as_ref().is_some_and(|o| o.file_name.is_some());
    let mut options = core_options(given)?;
    let cwd =
        std::env::current_dir().map_err(|e| Error::new(Status::GenericFailure, e.to_string()))?;
    let file = cwd.join(file);
    if !named {
        options.file_name = file.to_string_lossy().to_string();
    }
    Ok(ModuleWork {
        file,
        source,
        options,
    })
}

/// Compiles the text `source` of the project file `file` (a bundler's
/// transform) off the JavaScript thread: type-checked against what it
/// imports, with the `resolution` settings of the configuration found
/// upward from it; `fileName` defaults to `file`.
#[napi(
    ts_args_type = "file: string, source: string, options?: CompileOptions | undefined | null, signal?: AbortSignal | undefined | null",
    ts_return_type = "Promise<ModuleResult>"
)]
pub fn compile_module(
    env: Env,
    file: String,
    source: String,
    options: Option<Unknown<'_>>,
    signal: Option<Unknown<'_>>,
) -> Result<AsyncTask<Call<ModuleWork>>> {
    boundary(|| Call::start(&env, module_work(&env, file, source, options)?, signal))
}
