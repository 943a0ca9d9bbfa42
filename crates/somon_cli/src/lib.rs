//! The `somon` command line. The npm package's `bin/somon.js` is a thin
//! wrapper that calls [`run`] through the addon; this crate parses the
//! arguments, reads and writes files, prints diagnostics, and for `run`
//! hands the compiled program back to Node to execute.
//!
//! Exit codes: 0 success, 1 compile errors, 2 usage or configuration
//! errors; `run` ends with the program's own code.

pub mod api;
mod assets;
mod bug;
mod fmt;
mod fsutil;
mod help;
mod init;
mod inputs;
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod memory_tests;
mod report;
mod service;
mod streams;
mod watch;
mod worker;

use clap::{Args, Parser, Subcommand, ValueEnum};
use rayon::prelude::*;
use somon_compiler::{CompileOptions, CompileOutput, ModuleKind, SourceMapKind, Target};
use somon_diagnostics::{
    paint, render_pretty_in, Lang, Message, RenderOptions, ResolvedDiagnostic, Severity,
};
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

pub use fsutil::{relative_path, write_atomic};
pub use inputs::Files;
pub use service::{request_shutdown, SignalAnswer, DEFAULT_SERVE_PORT};
pub use somon_service::{proc_memory, MemoryProbe, MemoryUsage};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What the process environment tells the CLI (passed in, so the CLI stays
/// testable and the addon decides what to read).
#[derive(Clone, Debug, Default)]
pub struct Environment {
    pub cwd: PathBuf,
    pub color: bool,
    pub lang: Lang,
    /// `process.version` of the Node.js running the CLI.
    pub node_version: Option<String>,
    /// Reads the process's memory for `/health` and `/metrics` (the addon
    /// knows its allocator); `/proc/self/status` when `None`.
    pub memory: Option<somon_service::MemoryProbe>,
    /// Set from `--max-diagnostics-per-file` and `--max-diagnostics`.
    pub diagnostic_limits: DiagnosticLimits,
    /// The file system commands read inputs from and write outputs to (the
    /// disk unless a test gives an in-memory tree).
    pub files: Files,
}

/// A compiled program for the Node wrapper to execute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunRequest {
    /// Absolute path of the entry `.som` file (the module's filename).
    pub filename: String,
    pub code: String,
    pub args: Vec<String>,
    pub esm: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub exit_code: i32,
    pub run: Option<RunRequest>,
    /// A service's shutdown missed its deadline: work may still be running,
    /// so the caller must end the process instead of waiting for it.
    pub force_exit: bool,
}

impl Outcome {
    fn exit(exit_code: i32) -> Self {
        Outcome {
            exit_code,
            run: None,
            force_exit: false,
        }
    }
}

#[derive(Parser, Debug)]
#[command(
    name = "somon",
    version = VERSION,
    about = "SomonScript compiler: Tajik-keyword programs to JavaScript",
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// At most this many diagnostics are printed per file [default: 100]; 0: no limit
    #[arg(long, global = true, value_name = "N")]
    max_diagnostics_per_file: Option<usize>,
    /// At most this many diagnostics are printed per command or build [default: 1000]; 0: no limit
    #[arg(long, global = true, value_name = "N")]
    max_diagnostics: Option<usize>,
    /// Language of diagnostics: en, tj, ru
    #[arg(long, global = true, value_parser = parse_lang)]
    lang: Option<Lang>,
}

/// How many diagnostics are printed (the rest are counted in one summary
/// line): a minified file or a broken generated one can have hundreds of
/// thousands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DiagnosticLimits {
    /// 0: no limit.
    pub per_file: usize,
    /// 0: no limit.
    pub per_run: usize,
}

impl DiagnosticLimits {
    pub const DEFAULT_PER_FILE: usize = 100;
    pub const DEFAULT_PER_RUN: usize = 1000;
}

impl Default for DiagnosticLimits {
    fn default() -> Self {
        DiagnosticLimits {
            per_file: Self::DEFAULT_PER_FILE,
            per_run: Self::DEFAULT_PER_RUN,
        }
    }
}

// English command names always work; the Tajik and Russian names and
// aliases of tooling.md §1.2 work too, whatever the language.
#[derive(Subcommand, Debug)]
enum Command {
    /// Compile .som files, or every .som file in folders, to JavaScript
    #[command(aliases = ["c", "компайл", "к", "компилировать"])]
    Compile(CompileArgs),
    /// Compile, then recompile the files that change (`compile --watch`)
    #[command(aliases = ["w", "назорат", "наблюдать"])]
    Watch(CompileArgs),
    /// Compile a program (with every module it imports) and run it with
    /// the current Node.js
    #[command(aliases = ["r", "иҷро", "и", "запустить", "з"])]
    Run(RunArgs),
    /// Type-check .som files or folders without writing anything
    #[command(aliases = ["санҷиш", "проверить"])]
    Check(CheckArgs),
    /// Bundle an entry module and everything it imports into one file
    #[command(aliases = ["b", "баста", "б", "пакет", "п"])]
    Bundle(BundleArgs),
    /// Show a program's module graph, statistics and import cycles
    #[command(
        name = "module-info",
        aliases = ["info", "маълумоти-модул", "маълумот", "информация-модуля", "инфо"]
    )]
    ModuleInfo(ModuleInfoArgs),
    /// Show where an import specifier leads
    #[command(aliases = ["ҳал", "разрешить"])]
    Resolve(ResolveArgs),
    /// Run the build service: build, watch and rebuild, with the management
    /// endpoint (/health, /ready, /metrics) on
    #[command(aliases = ["хидмат", "сервер"])]
    Serve(ServeArgs),
    /// Create a new SomonScript project
    #[command(aliases = ["оғоз", "инициализация"])]
    Init(InitArgs),
    /// Run the language server (Language Server Protocol over stdin/stdout) for editors
    Lsp(LspArgs),
    /// Print the effective configuration and where each value comes from
    #[command(aliases = ["танзимот", "конфигурация"])]
    Config(ConfigArgs),
    /// Rewrite .som files in the one canonical layout (`--check` for CI)
    #[command(aliases = ["format", "тартиб", "форматировать", "формат"])]
    Fmt(fmt::FmtArgs),
    /// A Bazel persistent worker: JSON WorkRequests on stdin, WorkResponses
    /// on stdout, caches kept between requests
    Worker(worker::WorkerArgs),
}

#[derive(Args, Debug)]
struct ConfigArgs {
    /// A file or folder whose configuration to show (default: the current
    /// folder)
    path: Option<PathBuf>,
    /// Rewrite a configuration file of the previous SomonScript compiler
    /// in this schema (the old file is kept as a backup)
    #[arg(long)]
    migrate: bool,
    #[command(flatten)]
    codegen: CodegenArgs,
}

#[derive(Args, Debug)]
pub(crate) struct InitArgs {
    /// Folder (and package name) of the new project; the current folder
    /// when omitted
    pub(crate) name: Option<String>,
    /// Accept every default without asking
    #[arg(short, long)]
    pub(crate) yes: bool,
    /// Language level of the output
    #[arg(long, value_parser = target_parser())]
    pub(crate) target: Option<Target>,
    /// Module format of the output (cjs or esm)
    #[arg(long, value_enum)]
    pub(crate) module: Option<ModuleArg>,
    /// Do not create a .gitignore
    #[arg(long)]
    pub(crate) no_gitignore: bool,
    /// Do not create a README.md
    #[arg(long)]
    pub(crate) no_readme: bool,
    /// What the project is built with: node (compile to dist/), vite (a
    /// web page with Vite's dev server) or library (an npm package bundle)
    #[arg(long, value_enum)]
    pub(crate) template: Option<TemplateArg>,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub(crate) enum TemplateArg {
    Node,
    Vite,
    Library,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq, Default)]
enum DiagnosticsFormat {
    /// Human-readable, with the source line and a caret
    #[default]
    Pretty,
    /// One JSON document on stdout
    Json,
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// Files or folders to check
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// The same options as `compile`: what is reported depends on them
    /// (`--module esm` allows top-level `интизор`), so `check` reports
    /// exactly what `compile` would.
    #[command(flatten)]
    codegen: CodegenArgs,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
enum FormatArg {
    Cjs,
    Esm,
    Iife,
    Umd,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
enum PlatformArg {
    Node,
    Browser,
    Neutral,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
enum CircularArg {
    Warn,
    Error,
}

#[derive(Args, Debug, Clone)]
struct BundleArgs {
    /// The entry module [default: bundle.entry (one path, or an array of
    /// entries)]
    input: Option<PathBuf>,
    /// More entry modules: one bundle each in --outdir (with --splitting:
    /// chunks shared between them)
    #[arg(value_name = "MORE_INPUTS")]
    more_inputs: Vec<PathBuf>,
    /// Code splitting (with --format esm and --outdir): each import()
    /// target and entry is a chunk, modules several of them reach are in
    /// shared chunks
    #[arg(long)]
    splitting: bool,
    /// Names of chunks that are not entries [default: [name]-[hash]]
    #[arg(long, value_name = "TEMPLATE")]
    chunk_names: Option<String>,
    /// Output file (default: the entry with .bundle.js)
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Folder of the bundles, one per entry, named after the entry
    /// (main.som → main.js)
    #[arg(long, value_name = "DIR")]
    outdir: Option<PathBuf>,
    /// Bundle format [default: cjs]
    #[arg(short, long, value_enum)]
    format: Option<FormatArg>,
    /// Global variable name for iife and umd bundles
    #[arg(long)]
    global_name: Option<String>,
    /// Where the bundle runs: node (Node.js built-ins allowed), browser or
    /// neutral [default: bundle.platform, else node]
    #[arg(long, value_enum)]
    platform: Option<PlatformArg>,
    /// Packages that stay imports (comma-separated)
    #[arg(long, value_delimiter = ',')]
    external: Vec<String>,
    /// Write a source map: a separate .map file, or inline
    #[arg(long, value_enum, num_args = 0..=1, default_missing_value = "file", require_equals = true)]
    source_map: Option<SourceMapArg>,
    /// Include the .som texts in the source map
    #[arg(long)]
    inline_sources: bool,
    /// What an import cycle is [default: warn]
    #[arg(long, value_enum)]
    circular: Option<CircularArg>,
    /// Keep code no entry reaches (tree shaking is on by default)
    #[arg(long)]
    no_tree_shaking: bool,
    /// Write a Make/Ninja depfile: the files written, then every file read
    #[arg(long, value_name = "FILE")]
    deps_file: Option<PathBuf>,
    /// Write a JSON metafile (esbuild's shape): each input's size and
    /// imports, each output's size and the bytes each input takes in it
    #[arg(long, value_name = "FILE")]
    metafile: Option<PathBuf>,
    /// Print the largest modules of the bundle and why each is included
    #[arg(long)]
    analyze: bool,
    /// Also write compressed copies next to the bundle: gzip (.gz), br
    /// (.br), each with an optional level (gzip=9,br=11)
    #[arg(long, value_delimiter = ',', value_name = "CODECS")]
    precompress: Vec<String>,
    /// Replace a global name or dotted path with a constant expression,
    /// folded so dead branches disappear (repeatable):
    /// --define process.env.NODE_ENV='"production"'
    #[arg(long, value_name = "NAME=VALUE")]
    define: Vec<String>,
    /// Remove console calls and/or debugger statements (console,debugger)
    #[arg(long, value_delimiter = ',', value_name = "WHAT")]
    drop: Vec<String>,
    #[command(flatten)]
    live: service::WatchArgs,
    #[command(flatten)]
    codegen: CodegenArgs,
}

#[derive(Args, Debug)]
struct ServeArgs {
    /// A .som entry to bundle, or folders to compile [default: bundle.entry
    /// from the configuration]
    inputs: Vec<PathBuf>,
    /// The bundle (with an entry) [default: bundle.output, else the entry
    /// with .bundle.js]
    #[arg(short, long, conflicts_with = "out_dir")]
    output: Option<PathBuf>,
    /// Output folder (with folders) [default: compilerOptions.outDir]
    #[arg(long)]
    out_dir: Option<PathBuf>,
    #[command(flatten)]
    service: service::ServiceArgs,
    #[command(flatten)]
    codegen: CodegenArgs,
}

#[derive(Args, Debug)]
struct ModuleInfoArgs {
    /// The entry module
    input: PathBuf,
    /// Print the dependency tree
    #[arg(long)]
    graph: bool,
    /// Print statistics
    #[arg(long)]
    stats: bool,
    /// List import cycles; exit 1 when there is one
    #[arg(long)]
    circular: bool,
    /// Print as JSON what `somon bundle` of the entry reads and writes,
    /// with the modules and their imports
    #[arg(long)]
    json: bool,
    /// Write a Make/Ninja depfile of what `somon bundle` of the entry
    /// reads and writes
    #[arg(long, value_name = "FILE")]
    deps_file: Option<PathBuf>,
    /// Options of `somon bundle` (--config, --hermetic …)
    #[command(flatten)]
    codegen: CodegenArgs,
}

#[derive(Args, Debug)]
struct LspArgs {
    /// Talk over stdin/stdout (the only transport; accepted because
    /// editor clients pass it)
    #[arg(long)]
    stdio: bool,
}

#[derive(Args, Debug)]
struct ResolveArgs {
    /// The specifier, as written in an import
    specifier: String,
    /// The importing file (default: a file in the current folder)
    #[arg(short, long)]
    from: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub(crate) enum ModuleArg {
    Cjs,
    Esm,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
enum SourceMapArg {
    /// A separate `.map` file next to the output
    File,
    /// An inline `data:` URL at the end of the output
    Inline,
}

#[derive(Args, Debug, Clone)]
struct CodegenArgs {
    /// Language level of the output [default: es2020]
    #[arg(long)]
    target: Option<String>,
    /// Module format of the output [default: cjs]
    #[arg(long, value_enum)]
    module: Option<ModuleArg>,
    /// Configuration file (default: somon.config.json or .somonrc found
    /// upward from the input)
    #[arg(long)]
    config: Option<PathBuf>,
    /// Production mode (also NODE_ENV=production)
    #[arg(long, conflicts_with = "no_production")]
    production: bool,
    /// Not production mode, whatever NODE_ENV says
    #[arg(long)]
    no_production: bool,
    /// Minify the output with swc's minifier
    #[arg(long)]
    minify: bool,
    /// With --minify: do not compress
    #[arg(long, requires = "minify")]
    no_compress: bool,
    /// With --minify: do not mangle names
    #[arg(long, requires = "minify")]
    no_mangle: bool,
    /// With --minify: keep `.name` of functions and classes
    #[arg(long)]
    keep_names: bool,
    /// Skip type checking
    #[arg(long)]
    no_type_check: bool,
    /// `--lang`, a global option of the command line (filled in after
    /// parsing, so it may stand before or after the command).
    #[arg(skip)]
    lang: Option<Lang>,
    /// How diagnostics are printed [default: pretty]
    #[arg(long, value_enum)]
    diagnostics: Option<DiagnosticsFormat>,
    /// Read no configuration file but the one named with --config (no
    /// search upward from the input)
    #[arg(long)]
    no_config_lookup: bool,
    /// Hermetic build: --no-config-lookup, no environment variable changes
    /// anything (messages in English unless --lang), and no file outside
    /// the current folder and the node_modules packages the build imports
    /// is read (HERMETIC_READ)
    #[arg(long)]
    hermetic: bool,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("unknown language `{s}` (valid: en, tj, ru)"))
}

#[derive(Args, Debug)]
pub(crate) struct CompileArgs {
    /// The .som files to compile; a folder means every .som file below it
    /// (skipping node_modules and folders starting with a dot)
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Output file, for a single input file (default: the input with a .js
    /// extension, next to it)
    #[arg(short, long, conflicts_with = "out_dir")]
    output: Option<PathBuf>,
    /// Output folder: mirrors the input folder (or, for files, their common
    /// parent folder), each file keeping its name with .js
    #[arg(long)]
    out_dir: Option<PathBuf>,
    /// Write a source map: a separate .map file, or inline
    #[arg(long, value_enum, num_args = 0..=1, default_missing_value = "file", require_equals = true)]
    source_map: Option<SourceMapArg>,
    /// Include the .som text in the source map
    #[arg(long)]
    inline_sources: bool,
    /// Write a Make/Ninja depfile: the files written, then every file read
    #[arg(long, value_name = "FILE")]
    deps_file: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) live: service::WatchArgs,
    #[command(flatten)]
    codegen: CodegenArgs,
}

#[derive(Args, Debug)]
struct RunArgs {
    /// The .som file to run (`-`: read the program from standard input)
    input: PathBuf,
    #[command(flatten)]
    codegen: CodegenArgs,
    /// Arguments for the program (after `--`)
    #[arg(last = true)]
    args: Vec<String>,
}

/// Accepts exactly the targets the emitter knows, listing them in help and
/// in the error for an unknown one.
fn target_parser() -> impl clap::builder::TypedValueParser<Value = Target> {
    use clap::builder::{PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new(Target::ALL.map(|(name, _)| name))
        .map(|s| Target::parse(&s).unwrap_or(Target::Es2020))
}

/// Compiler options for one command: defaults < the configuration file
/// (found upward from `start_dir`, or `--config`) < environment < flags.
/// Configuration problems are all printed and end the command with exit 2.
#[derive(Clone)]
pub(crate) struct Settings {
    options: CompileOptions,
    /// `resolution.baseUrl` and `resolution.paths`.
    resolver: somon_project::ResolverConfig,
    diagnostics: DiagnosticsFormat,
    effective: somon_config::EffectiveConfig,
    /// The file system the command builds through: what it read and
    /// wrote, and the `--hermetic` guard.
    pub(crate) io: std::sync::Arc<inputs::Tracked>,
}

fn settings(
    c: &CodegenArgs,
    start_dir: &Path,
    env: &Environment,
    scope: somon_config::FlagScope,
) -> Result<Settings, Outcome> {
    settings_with(c, None, start_dir, env, scope)
}

/// How imports resolve under a configuration (`baseUrl`, `paths`).
fn resolver_config(effective: &somon_config::EffectiveConfig) -> somon_project::ResolverConfig {
    let res = &effective.resolution;
    let base_url = res.base_url.value.clone().or_else(|| {
        // `paths` without `baseUrl` are relative to the configuration file.
        (!res.paths.value.is_empty())
            .then(|| {
                effective
                    .config_file
                    .as_ref()
                    .and_then(|f| f.parent().map(Path::to_path_buf))
            })
            .flatten()
    });
    somon_project::ResolverConfig {
        base_url,
        paths: res
            .paths
            .value
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    }
}

/// The resolution settings of the configuration file found upward from
/// `start_dir` (none: the defaults), for the API's project compiles; an
/// invalid configuration is its rendered errors.
pub fn project_resolver(
    cwd: &Path,
    start_dir: &Path,
    lang: Lang,
) -> Result<somon_project::ResolverConfig, String> {
    project_resolution(cwd, start_dir, lang).map(|(config, _)| config)
}

/// [`project_resolver`] and the configuration file it was read from (what
/// a bundler plugin watches).
pub fn project_resolution(
    cwd: &Path,
    start_dir: &Path,
    lang: Lang,
) -> Result<(somon_project::ResolverConfig, Option<PathBuf>), String> {
    let render = |errors: Vec<somon_config::ConfigError>| {
        somon_config::render_errors(&errors, lang, RenderOptions { color: false })
    };
    let loaded =
        somon_config::find_and_load(&somon_config::RealFs, cwd, start_dir, None).map_err(render)?;
    let config_file = loaded.as_ref().map(|l| l.path().to_path_buf());
    let env_values = somon_config::EnvValues::from_lookup(|n| std::env::var(n).ok());
    let effective = somon_config::effective_config(
        loaded.as_ref(),
        &env_values,
        &somon_config::Overrides::default(),
        cwd,
    )
    .map_err(render)?;
    Ok((resolver_config(&effective), config_file))
}

/// Settings of `compile`/`bundle`, which may run as a service: decides
/// whether they watch (a service flag without `--watch` is a usage error)
/// and applies the service flags when they do.
fn live_settings(
    live: &mut service::WatchArgs,
    codegen: &CodegenArgs,
    start_dir: &Path,
    env: &Environment,
    scope: somon_config::FlagScope,
) -> Result<Settings, Outcome> {
    live.watch = live.service.watch_mode(live.watch, env)?;
    settings_with(
        codegen,
        live.watch.then_some(&live.service),
        start_dir,
        env,
        scope,
    )
}

/// [`settings`] with the long-running commands' flags too.
fn settings_with(
    c: &CodegenArgs,
    service_args: Option<&service::ServiceArgs>,
    start_dir: &Path,
    env: &Environment,
    scope: somon_config::FlagScope,
) -> Result<Settings, Outcome> {
    use serde_json::json;
    // Hermetic: nothing the environment says changes the build.
    let hermetic_env;
    let env = if c.hermetic {
        hermetic_env = Environment {
            lang: Lang::En,
            color: false,
            ..env.clone()
        };
        &hermetic_env
    } else {
        env
    };
    let lang = c.lang.unwrap_or(env.lang);
    let report = |errors: Vec<somon_config::ConfigError>| {
        let mut err = streams::stderr();
        let _ = write!(
            err,
            "{}",
            somon_config::render_errors(&errors, lang, RenderOptions { color: env.color })
        );
        Outcome::exit(2)
    };
    let loaded = if (c.no_config_lookup || c.hermetic) && c.config.is_none() {
        None
    } else {
        somon_config::find_and_load(
            &somon_config::RealFs,
            &env.cwd,
            start_dir,
            c.config.as_deref(),
        )
        .map_err(report)?
    };
    let mut o = somon_config::Overrides::default();
    let bundle = scope == somon_config::FlagScope::Bundle;
    if let Some(t) = &c.target {
        // Checked here, not by clap, so the error is a catalogue
        // diagnostic in the user's language.
        if Target::parse(t).is_none() {
            let shown = Environment {
                lang,
                ..env.clone()
            };
            return Err(usage_error(
                &shown,
                Message::InvalidValue {
                    option: "--target".into(),
                    value: t.clone(),
                    valid: Target::ALL.map(|(n, _)| n).join(", "),
                },
            ));
        }
        o.set(
            "compilerOptions.target",
            json!(t.to_ascii_lowercase()),
            "--target",
        );
    }
    if let Some(m) = c.module {
        o.set(
            "compilerOptions.module",
            json!(if m == ModuleArg::Esm { "esm" } else { "cjs" }),
            "--module",
        );
    }
    if c.minify {
        o.set(
            if bundle {
                "bundle.minify"
            } else {
                "compilerOptions.minify"
            },
            json!(true),
            "--minify",
        );
    }
    if c.no_type_check {
        o.set("compilerOptions.typeCheck", json!(false), "--no-type-check");
    }
    if c.keep_names {
        o.set("compilerOptions.keepNames", json!(true), "--keep-names");
    }
    if let Some(l) = c.lang {
        o.set("compilerOptions.lang", json!(l.as_str()), "--lang");
    }
    if let Some(d) = c.diagnostics {
        o.set(
            "compilerOptions.diagnostics",
            json!(if d == DiagnosticsFormat::Json {
                "json"
            } else {
                "pretty"
            }),
            "--diagnostics",
        );
    }
    if let Some(sa) = service_args {
        sa.apply(&mut o);
    }
    if c.production {
        o.set_production(true, "--production");
    } else if c.no_production {
        o.set_production(false, "--no-production");
    }
    let env_values = if c.hermetic {
        somon_config::EnvValues::from_lookup(|_| None)
    } else {
        somon_config::EnvValues::from_lookup(|n| std::env::var(n).ok())
    };
    let effective = somon_config::effective_config(loaded.as_ref(), &env_values, &o, &env.cwd)
        .map_err(report)?;
    // Keys of the previous SomonScript compiler: warnings, or errors when
    // production mode lists their code in `production.fatalWarnings`.
    if let Some(l) = &loaded {
        let warnings = l.warnings();
        let fatal: Vec<somon_config::ConfigError> = warnings
            .iter()
            .filter(|w| effective.is_fatal_warning(w.code()))
            .cloned()
            .map(somon_config::ConfigError::into_fatal)
            .collect();
        if !fatal.is_empty() {
            return Err(report(fatal));
        }
        if !warnings.is_empty() {
            let _ = write!(
                streams::stderr(),
                "{}",
                somon_config::render_errors(warnings, lang, RenderOptions { color: env.color })
            );
        }
    }
    let cc = &effective.compiler_options;
    let options = CompileOptions {
        target: Target::parse(cc.target.value.as_str()).unwrap_or(Target::Es2020),
        module: if cc.module.value.as_str() == "esm" {
            ModuleKind::Esm
        } else {
            ModuleKind::Cjs
        },
        minify: if bundle {
            effective.bundle.minify.value
        } else {
            cc.minify.value
        },
        compress: !c.no_compress,
        mangle: !c.no_mangle,
        keep_names: cc.keep_names.value,
        type_check: cc.type_check.value,
        lang: cc.lang.value.map(|l| l.to_lang()).unwrap_or(env.lang),
        ..Default::default()
    };
    let diagnostics = if cc.diagnostics.value.as_str() == "json" {
        DiagnosticsFormat::Json
    } else {
        DiagnosticsFormat::Pretty
    };
    let resolver = resolver_config(&effective);
    let base_url = resolver.base_url.clone();
    let res = &effective.resolution;
    // Fail fast: everything checkable before work, reported together.
    let mut problems: Vec<Message> = Vec::new();
    let mut warnings: Vec<Message> = Vec::new();
    if let Some(v) = &env.node_version {
        if !supported_node(v) {
            let m = Message::UnsupportedNode { version: v.clone() };
            if effective.production.enabled.value {
                problems.push(m);
            } else {
                warnings.push(m);
            }
        }
    }
    if let Some(base) = &base_url {
        for (pattern, targets) in &res.paths.value {
            for t in targets {
                // The part before `*` must exist: a file, or a folder.
                let fixed = t.split('*').next().unwrap_or("");
                let probe = base.join(fixed);
                // `lib/*` needs the folder `lib`; `lib/x*` too (its parent).
                let folder = if fixed.ends_with('/') || fixed.is_empty() {
                    Some(base.join(fixed))
                } else if t.contains('*') {
                    Path::new(fixed).parent().map(|p| base.join(p))
                } else {
                    None
                };
                let exists = probe.exists()
                    || folder.is_some_and(|p| p.is_dir())
                    || somon_project::resolve::EXTENSIONS
                        .iter()
                        .any(|e| base.join(format!("{fixed}{e}")).is_file());
                if !exists {
                    problems.push(Message::PathsTargetMissing {
                        pattern: pattern.clone(),
                        target: t.clone(),
                    });
                }
            }
        }
    }
    {
        let shown = Environment {
            lang: options.lang,
            ..env.clone()
        };
        let mut err = streams::stderr();
        for w in &warnings {
            let head = paint(
                env.color,
                somon_diagnostics::render::YELLOW,
                &format!("warning[{}]", w.code()),
            );
            let _ = writeln!(err, "{head}: {}", w.render(options.lang));
        }
        for p in &problems {
            print_error(&mut err, &shown, p);
        }
    }
    if !problems.is_empty() {
        return Err(Outcome::exit(2));
    }
    let io = inputs::Tracked::new(c.hermetic.then_some(env.cwd.as_path()), env.files.clone());
    if let Some(file) = &effective.config_file {
        io.note_read(file);
    }
    Ok(Settings {
        options,
        resolver,
        diagnostics,
        effective,
        io: std::sync::Arc::new(io),
    })
}

/// Runs the CLI with `args` (without the program name).
pub fn run(args: &[String], env: &Environment) -> Outcome {
    let _bug_page = bug::command_scope(env.lang, env.node_version.as_deref());
    if std::env::var_os("SOMON_INTERNAL_TEST_PANIC").is_some_and(|v| v == "cli") {
        // Tests of the bug page and of the addon's panic guard.
        panic!("SOMON_INTERNAL_TEST_PANIC=cli");
    }
    let (cli, env) = match parse_cli(args, env) {
        Ok(parsed) => parsed,
        Err(o) => return o,
    };
    dispatch(cli, &env)
}

/// The parsed command line with the environment in the language it asks
/// for, or the outcome of printing why there is none (or the help and
/// version texts).
fn parse_cli(args: &[String], env: &Environment) -> Result<(Cli, Environment), Outcome> {
    use clap::{CommandFactory, FromArgMatches};
    // `--lang` anywhere before `--` decides the language of help and of
    // the parser's own errors.
    let mut env = env.clone();
    if let Some(lang) = lang_in_args(args) {
        env.lang = lang;
    }
    let argv = std::iter::once("somon".to_string()).chain(help_words_as_help(args));
    let command = help::localize(Cli::command(), env.lang);
    let parsed = command
        .clone()
        .try_get_matches_from(argv)
        .and_then(|m| Cli::from_arg_matches(&m));
    let mut cli = match parsed {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // `--help`, `--version`.
            print_clap(&e);
            return Err(Outcome::exit(0));
        }
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(
                e.kind(),
                ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                // `somon` alone: the help, on stderr.
                print_clap(&e);
                return Err(Outcome::exit(2));
            }
            return Err(usage_error(&env, usage_message(&e, &command)));
        }
    };
    if let Some(lang) = cli.lang {
        if let Some(c) = codegen_of(&mut cli.command) {
            c.lang = Some(lang);
        }
    }
    Ok((cli, env))
}

/// Prints clap's own text (help, version), into the worker's captured
/// streams while a worker request runs.
fn print_clap(e: &clap::Error) {
    if streams::capturing() {
        if e.use_stderr() {
            let _ = write!(streams::stderr(), "{}", e.render());
        } else {
            let _ = write!(streams::stdout(), "{}", e.render());
        }
    } else {
        let _ = e.print();
    }
}

/// The environment with the diagnostic limits of the command line.
fn limited(cli: &Cli, env: &Environment) -> Environment {
    Environment {
        diagnostic_limits: DiagnosticLimits {
            per_file: cli
                .max_diagnostics_per_file
                .unwrap_or(DiagnosticLimits::DEFAULT_PER_FILE),
            per_run: cli
                .max_diagnostics
                .unwrap_or(DiagnosticLimits::DEFAULT_PER_RUN),
        },
        ..env.clone()
    }
}

/// Runs a parsed command.
fn dispatch(cli: Cli, env: &Environment) -> Outcome {
    let env = &limited(&cli, env);
    match cli.command {
        Command::Worker(a) => worker::worker_command(&a, env),
        Command::Compile(a) => compile_command(a, env),
        Command::Watch(mut a) => {
            a.live.watch = true;
            compile_command(a, env)
        }
        Command::Run(a) => run_command(a, env),
        Command::Check(a) => check_command(a, env),
        Command::Bundle(a) => bundle_configured(a, env),
        Command::ModuleInfo(a) => module_info_command(a, env),
        Command::Resolve(a) => resolve_command(a, env),
        Command::Serve(a) => serve_command(a, env),
        Command::Init(a) => init::init_command(a, env),
        Command::Lsp(_) => Outcome::exit(somon_lsp::run_stdio()),
        Command::Fmt(a) => fmt::fmt_command(a, env),
        Command::Config(a) => {
            let start = a
                .path
                .as_ref()
                .map(|p| env.cwd.join(p))
                .unwrap_or_else(|| env.cwd.clone());
            let start = if start.is_file() {
                start.parent().map(Path::to_path_buf).unwrap_or_default()
            } else {
                start
            };
            if a.migrate {
                return migrate_config(&a, &start, env);
            }
            match settings(&a.codegen, &start, env, somon_config::FlagScope::Compile) {
                Ok(st) => {
                    let mut out = streams::stdout();
                    let _ = write!(
                        out,
                        "{}",
                        somon_config::render_effective_in(&st.effective, st.options.lang)
                    );
                    Outcome::exit(0)
                }
                Err(o) => o,
            }
        }
    }
}

/// The last valid `--lang X`/`--lang=X` before `--`.
fn lang_in_args(args: &[String]) -> Option<Lang> {
    let mut found = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if a == "--lang" {
            found = it.next().and_then(|v| Lang::parse(v)).or(found);
        } else if let Some(v) = a.strip_prefix("--lang=") {
            found = Lang::parse(v).or(found);
        }
    }
    found
}

/// Words for "help" in Tajik and Russian (`somon кӯмак`, `somon помощь`):
/// as the command, they are `help`.
const HELP_WORDS: [&str; 4] = ["кӯмак", "кумак", "помощь", "справка"];

/// `args` with a help word in the command's place replaced by `help`.
fn help_words_as_help(args: &[String]) -> Vec<String> {
    let mut out: Vec<String> = args.to_vec();
    let mut i = 0;
    while let Some(a) = out.get(i) {
        if a == "--" {
            break;
        }
        if a.starts_with('-') {
            // Global options that take a separate value.
            let takes_value = matches!(
                a.as_str(),
                "--lang" | "--max-diagnostics" | "--max-diagnostics-per-file"
            );
            i += if takes_value { 2 } else { 1 };
            continue;
        }
        let lower = a.to_lowercase();
        if lower == "help" || HELP_WORDS.contains(&lower.as_str()) {
            if let Some(slot) = out.get_mut(i) {
                *slot = "help".to_string();
            }
            // `somon help --lang tj`: the language is already chosen, and
            // `help` takes command names only.
            let mut rest = out.split_off(i + 1).into_iter();
            while let Some(r) = rest.next() {
                if r == "--lang" {
                    rest.next();
                } else if !r.starts_with("--lang=") {
                    out.push(r);
                }
            }
        }
        break;
    }
    out
}

/// The code-generation options of a command that has them.
fn codegen_of(command: &mut Command) -> Option<&mut CodegenArgs> {
    match command {
        Command::Compile(a) | Command::Watch(a) => Some(&mut a.codegen),
        Command::Run(a) => Some(&mut a.codegen),
        Command::Check(a) => Some(&mut a.codegen),
        Command::Bundle(a) => Some(&mut a.codegen),
        Command::Serve(a) => Some(&mut a.codegen),
        Command::Config(a) => Some(&mut a.codegen),
        Command::ModuleInfo(_)
        | Command::Resolve(_)
        | Command::Init(_)
        | Command::Worker(_)
        | Command::Fmt(_)
        | Command::Lsp(_) => None,
    }
}

/// The argument parser's error as a catalogue message (`USAGE`), with a
/// did-you-mean for commands (their Tajik and Russian names included)
/// and options.
fn usage_message(e: &clap::Error, command: &clap::Command) -> Message {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let one = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => v.first().cloned(),
        _ => None,
    };
    let all = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        _ => String::new(),
    };
    // `--lang <LANG>` → `--lang`.
    let flag_name = |s: String| s.split([' ', '=']).next().unwrap_or("").to_string();
    let message = match e.kind() {
        ErrorKind::InvalidSubcommand => one(ContextKind::InvalidSubcommand).map(|name| {
            let names: Vec<String> = command
                .get_subcommands()
                .flat_map(|c| {
                    std::iter::once(c.get_name().to_string())
                        .chain(c.get_all_aliases().map(str::to_string))
                })
                .chain(std::iter::once("help".to_string()))
                .collect();
            let candidates: Vec<&str> = names.iter().map(String::as_str).collect();
            let suggestion = somon_config::closest(&name, &candidates).map(str::to_string);
            Message::UnknownCommand { name, suggestion }
        }),
        ErrorKind::UnknownArgument => one(ContextKind::InvalidArg).map(|arg| {
            if arg.starts_with('-') {
                Message::UnknownFlag {
                    flag: flag_name(arg),
                    suggestion: one(ContextKind::SuggestedArg).map(flag_name),
                }
            } else {
                Message::UnexpectedArgument { arg }
            }
        }),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            match (one(ContextKind::InvalidArg), one(ContextKind::InvalidValue)) {
                (Some(option), Some(value)) => {
                    let option = flag_name(option);
                    let valid = all(ContextKind::ValidValue);
                    Some(if !valid.is_empty() {
                        Message::InvalidValue {
                            option,
                            value,
                            valid,
                        }
                    } else if option == "--lang" {
                        Message::InvalidValue {
                            option,
                            value,
                            valid: "en, tj, ru".into(),
                        }
                    } else {
                        Message::InvalidFlagValue { option, value }
                    })
                }
                _ => None,
            }
        }
        ErrorKind::MissingRequiredArgument => {
            let what = all(ContextKind::InvalidArg);
            (!what.is_empty()).then_some(Message::MissingArgument { what })
        }
        ErrorKind::ArgumentConflict => {
            match (one(ContextKind::InvalidArg), one(ContextKind::PriorArg)) {
                (Some(first), Some(second)) => Some(Message::ConflictingFlags {
                    first: flag_name(first),
                    second: flag_name(second),
                }),
                _ => None,
            }
        }
        _ => None,
    };
    message.unwrap_or_else(|| {
        // The parser's own words, first line, without its `error: `.
        let text = e.render().to_string();
        let first = text.lines().next().unwrap_or("").trim();
        Message::UsageOther {
            detail: first.strip_prefix("error: ").unwrap_or(first).to_string(),
        }
    })
}

/// A path as the user sees it in reports and messages: relative to the
/// working folder, `/`-separated, with control, bidirectional and
/// zero-width characters escaped (a file name cannot forge a report line).
pub(crate) fn display_path(p: &Path, env: &Environment) -> String {
    let rel = p.strip_prefix(&env.cwd).unwrap_or(p);
    let shown = rel.to_string_lossy().replace('\\', "/");
    somon_diagnostics::escape_control(&shown).into_owned()
}

/// A progress bar on stderr for work over about a second, only when stderr
/// is a terminal (never in pipes, logs or CI output).
struct Progress {
    done: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    fn start(total: usize, env: &Environment) -> Progress {
        use std::io::IsTerminal;
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        let done = std::sync::Arc::new(AtomicUsize::new(0));
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let enabled =
            total > 1 && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let thread = enabled.then(|| {
            let (done, stop, color) = (done.clone(), stop.clone(), env.color);
            std::thread::spawn(move || {
                let started = std::time::Instant::now();
                let mut shown = false;
                while !stop.load(Ordering::Relaxed) {
                    std::thread::sleep(std::time::Duration::from_millis(100));
                    if started.elapsed() < std::time::Duration::from_secs(1) {
                        continue;
                    }
                    let n = done.load(Ordering::Relaxed).min(total);
                    let width = 30;
                    let filled = n * width / total.max(1);
                    let bar = paint(
                        color,
                        somon_diagnostics::render::BLUE,
                        &format!("{}{}", "=".repeat(filled), " ".repeat(width - filled)),
                    );
                    let _ = write!(std::io::stderr().lock(), "\r[{bar}] {n}/{total}");
                    shown = true;
                }
                if shown {
                    let _ = write!(std::io::stderr().lock(), "\r{}\r", " ".repeat(48));
                }
            })
        });
        Progress { done, stop, thread }
    }

    fn tick(&self) {
        self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    fn finish(mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// `error[CODE]: message`, in the user's language.
pub(crate) fn print_error(err: &mut impl Write, env: &Environment, message: &Message) {
    let head = paint(
        env.color,
        somon_diagnostics::render::RED,
        &format!("error[{}]", message.code()),
    );
    let text = message.render(env.lang);
    let _ = writeln!(err, "{head}: {}", somon_diagnostics::escape_control(&text));
}

pub(crate) fn usage_error(env: &Environment, message: Message) -> Outcome {
    print_error(&mut streams::stderr(), env, &message);
    Outcome::exit(2)
}

pub(crate) fn print_diagnostics_as(
    diags: &[ResolvedDiagnostic],
    env: &Environment,
    format: DiagnosticsFormat,
) {
    if format == DiagnosticsFormat::Json {
        print_diagnostics_to(&mut streams::stdout(), diags, env, format);
    } else {
        print_diagnostics_to(&mut streams::stderr(), diags, env, format);
    }
}

/// Diagnostics as a JSON document or as code frames with a summary line;
/// past the limits of `env.diagnostic_limits` (per file, per run) they are
/// only counted, in one `DIAGNOSTICS_LIMIT` note (JSON: `omitted`).
pub(crate) fn print_diagnostics_to(
    err: &mut dyn Write,
    diags: &[ResolvedDiagnostic],
    env: &Environment,
    format: DiagnosticsFormat,
) {
    let limits = env.diagnostic_limits;
    let under = |n: usize, limit: usize| limit == 0 || n < limit;
    let mut per_file: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut shown: Vec<&ResolvedDiagnostic> = Vec::new();
    for d in diags {
        let in_file = per_file.entry(d.file.as_str()).or_default();
        if under(*in_file, limits.per_file) && under(shown.len(), limits.per_run) {
            *in_file += 1;
            shown.push(d);
        }
    }
    let omitted = diags.len() - shown.len();
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    if format == DiagnosticsFormat::Json {
        let mut doc = serde_json::json!({
            "diagnostics": shown,
            "errors": errors,
            "warnings": warnings,
        });
        if omitted > 0 {
            doc["omitted"] = serde_json::json!(omitted);
        }
        let _ = writeln!(err, "{doc}");
        return;
    }
    let opts = RenderOptions { color: env.color };
    for d in &shown {
        let _ = write!(err, "{}", render_pretty_in(d, opts, env.lang));
    }
    if omitted > 0 {
        let m = Message::DiagnosticsOmitted {
            omitted,
            per_file: limits.per_file,
            per_run: limits.per_run,
        };
        let head = paint(
            env.color,
            somon_diagnostics::render::BLUE,
            &format!("note[{}]", m.code()),
        );
        let _ = writeln!(err, "{head}: {}", m.render(env.lang));
    }
    if errors > 0 || warnings > 0 {
        let _ = writeln!(
            err,
            "{}",
            Message::DiagnosticCounts { errors, warnings }.render(env.lang)
        );
    }
}

/// Diagnostics as the command line prints them (code frames, then the
/// summary line), without its limits: what the Node.js API's
/// `formatDiagnostics` returns.
pub fn format_diagnostics(diags: &[ResolvedDiagnostic], color: bool, lang: Lang) -> String {
    let env = Environment {
        color,
        lang,
        diagnostic_limits: DiagnosticLimits {
            per_file: 0,
            per_run: 0,
        },
        ..Environment::default()
    };
    let mut out = Vec::new();
    print_diagnostics_to(&mut out, diags, &env, DiagnosticsFormat::Pretty);
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads the input through `fs` or explains why it cannot.
fn read_input(
    fs: &dyn somon_project::fs::FileSystem,
    path: &Path,
    env: &Environment,
) -> Result<String, Message> {
    match fs.read(path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|_| Message::NotUtf8 {
            path: display_path(path, env),
        }),
        Err(e) => Err(cannot_read(path, env, &e)),
    }
}

fn cannot_read(path: &Path, env: &Environment, e: &dyn std::fmt::Display) -> Message {
    Message::CannotRead {
        path: display_path(path, env),
        reason: e.to_string(),
    }
}

fn cannot_write(path: &Path, env: &Environment, e: &dyn std::fmt::Display) -> Message {
    Message::CannotWrite {
        path: display_path(path, env),
        reason: e.to_string(),
    }
}

/// One input file and where its JavaScript goes.
pub(crate) struct Job {
    input: PathBuf,
    output: PathBuf,
}

/// What compiling one file produced, for the report.
pub(crate) struct FileReport {
    shown: String,
    diagnostics: Vec<ResolvedDiagnostic>,
    /// A problem that is not a diagnostic (reading or writing a file).
    io_error: Option<Message>,
}

/// The absolute input files (folders expanded, duplicates dropped, sorted)
/// and the root that `--out-dir` mirrors: the common parent of the folders
/// given and of the given files' folders.
fn collect_inputs(args: &[PathBuf], env: &Environment) -> Result<(Vec<PathBuf>, PathBuf), Message> {
    let fs = &*env.files.0;
    let mut files = Vec::new();
    let mut roots = Vec::new();
    for arg in args {
        let path = fsutil::normalize(&env.cwd.join(arg));
        if fs.is_dir(&path) {
            // The same walk as the API's `compileFiles`.
            let found = somon_fs::collect_som_files(fs, std::slice::from_ref(&path))
                .map_err(|e| cannot_read(&path, env, &e))?;
            if found.is_empty() {
                return Err(Message::NoSomFiles {
                    path: display_path(&path, env),
                });
            }
            files.extend(found);
            roots.push(path);
        } else {
            if !fs.exists(&path) {
                // Why it is not there, as the file system says (listing a
                // missing path fails as looking it up does).
                let e = fs.read_dir(&path).err().unwrap_or_else(|| {
                    std::io::Error::new(std::io::ErrorKind::NotFound, "no such file")
                });
                return Err(cannot_read(&path, env, &e));
            }
            roots.push(path.parent().map(Path::to_path_buf).unwrap_or_default());
            files.push(path);
        }
    }
    files.sort();
    files.dedup();
    Ok((files, fsutil::common_ancestor(&roots)))
}

/// Pairs every input with its output, refusing outputs that would
/// overwrite an input or be written twice.
pub(crate) fn plan_jobs(a: &CompileArgs, env: &Environment) -> Result<Vec<Job>, Message> {
    if a.output.is_some() && (a.inputs.len() != 1 || env.cwd.join(&a.inputs[0]).is_dir()) {
        return Err(Message::OutputNeedsOneInput);
    }
    let (inputs, root) = collect_inputs(&a.inputs, env)?;
    let out_dir = a
        .out_dir
        .as_ref()
        .map(|d| fsutil::normalize(&env.cwd.join(d)));
    let mut jobs: Vec<Job> = Vec::with_capacity(inputs.len());
    for input in inputs {
        let output = match (&a.output, &out_dir) {
            (Some(o), _) => fsutil::normalize(&env.cwd.join(o)),
            (None, Some(dir)) => dir
                .join(input.strip_prefix(&root).unwrap_or(&input))
                .with_extension("js"),
            (None, None) => input.with_extension("js"),
        };
        jobs.push(Job { input, output });
    }
    let mut inputs = fsutil::ReadFiles::default();
    inputs.extend(jobs.iter().map(|j| &j.input));
    if let Some((job, input)) = jobs
        .iter()
        .find_map(|j| Some((j, inputs.replaced_by(&j.output)?)))
    {
        return Err(Message::OutputIsInput {
            path: display_path(&job.output, env),
            input: display_path(input, env),
        });
    }
    let mut outputs: Vec<(&Path, &Path)> = jobs
        .iter()
        .map(|j| (j.output.as_path(), j.input.as_path()))
        .collect();
    outputs.sort();
    if let Some(w) = outputs.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(Message::SameOutput {
            first: display_path(w[0].1, env),
            second: display_path(w[1].1, env),
            output: display_path(w[0].0, env),
        });
    }
    Ok(jobs)
}

/// An input folder itself, or the folder of an input file.
pub(crate) fn input_folder(env: &Environment, input: &Path) -> PathBuf {
    let p = env.cwd.join(input);
    if p.is_dir() {
        p
    } else {
        p.parent().map(Path::to_path_buf).unwrap_or_default()
    }
}

fn compile_command(mut a: CompileArgs, env: &Environment) -> Outcome {
    let start = a
        .inputs
        .first()
        .map(|p| input_folder(env, p))
        .unwrap_or_else(|| env.cwd.clone());
    let st = match live_settings(
        &mut a.live,
        &a.codegen,
        &start,
        env,
        somon_config::FlagScope::Compile,
    ) {
        Ok(s) => s,
        Err(o) => return o,
    };
    // Settings the command line did not give come from the configuration.
    let cc = &st.effective.compiler_options;
    // `compilerOptions.output` names the output of a one-file compile (and
    // wins over `outDir` there, as in the previous SomonScript compiler).
    let one_file = matches!(a.inputs.as_slice(), [one] if env.cwd.join(one).is_file());
    if a.out_dir.is_none() && a.output.is_none() && one_file {
        a.output = cc.output.value.clone();
    }
    if a.out_dir.is_none() && a.output.is_none() {
        a.out_dir = cc.out_dir.value.clone();
    }
    if a.source_map.is_none() {
        a.source_map = match cc.source_map.value {
            somon_config::SourceMapSetting::Off => None,
            somon_config::SourceMapSetting::File => Some(SourceMapArg::File),
            somon_config::SourceMapSetting::Inline => Some(SourceMapArg::Inline),
        };
    }
    a.inline_sources |= cc.inline_sources.value;
    let jobs = match plan_jobs(&a, env) {
        Ok(jobs) => jobs,
        Err(message) => return usage_error(env, message),
    };
    let unwritable: Vec<Message> = jobs
        .iter()
        .filter_map(|j| j.output.parent())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .filter(|d| !fsutil::dir_creatable(d))
        .map(|d| Message::OutputDirNotCreatable {
            path: display_path(d, env),
        })
        .collect();
    if !unwritable.is_empty() {
        let mut err = streams::stderr();
        for m in &unwritable {
            print_error(&mut err, env, m);
        }
        return Outcome::exit(2);
    }
    if a.live.watch {
        // The service runs the first build itself.
        let sa = a.live.service.clone();
        let default_port = a.live.serve_port;
        let builder = watch::CompileBuilder::new(a, st.clone(), env.clone());
        return service::run_service(builder, &st, env, &sa, default_port);
    }
    let types = project_types(&jobs, &st);
    let progress = Progress::start(jobs.len(), env);
    let outputs: HashSet<PathBuf> = jobs.iter().map(|j| j.output.clone()).collect();
    let mut reports: Vec<FileReport> = jobs
        .par_iter()
        .map(|job| {
            let r = compile_job(job, &a, &st, env, &types, &outputs);
            progress.tick();
            r
        })
        .collect();
    progress.finish();
    // Reported in file order, whatever order the threads finished in.
    reports.sort_by(|x, y| x.shown.cmp(&y.shown));
    let all: Vec<ResolvedDiagnostic> = reports
        .iter()
        .flat_map(|r| r.diagnostics.iter().cloned())
        .collect();
    print_diagnostics_as(&all, env, st.diagnostics);
    // Into another folder: what the modules import besides `.som` files
    // goes along (JSON, JavaScript), so the output runs on its own.
    let copy_errors = match &a.out_dir {
        Some(d) if a.output.is_none() => {
            assets::copy_imported(&jobs, &fsutil::normalize(&env.cwd.join(d)), &st, env)
        }
        _ => Vec::new(),
    };
    let mut io_errors = reports
        .iter()
        .filter_map(|r| r.io_error.as_ref())
        .chain(copy_errors.iter())
        .peekable();
    let exit_code = if io_errors.peek().is_some() {
        let mut err = streams::stderr();
        io_errors.for_each(|message| print_error(&mut err, env, message));
        2
    } else if all.iter().any(|d| d.severity == Severity::Error) {
        1
    } else {
        0
    };
    Outcome::exit(finish_io(&st, env, a.deps_file.as_deref(), exit_code))
}

/// `--hermetic`: prints a `HERMETIC_READ` error for every file the build
/// was kept from reading; whether there was one.
fn report_refused(st: &Settings, env: &Environment) -> bool {
    let refused = st.io.refused();
    // In the language of the diagnostics (English under --hermetic
    // unless --lang says otherwise).
    let env = &Environment {
        lang: st.options.lang,
        ..env.clone()
    };
    let root = st
        .io
        .root()
        .map(|r| display_path(r, env))
        .unwrap_or_default();
    let root = if root.is_empty() {
        ".".to_string()
    } else {
        root
    };
    let mut err = streams::stderr();
    for path in &refused {
        let message = Message::HermeticOutside {
            path: display_path(path, env),
            root: root.clone(),
        };
        print_error(&mut err, env, &message);
    }
    !refused.is_empty()
}

/// The end of a one-shot `compile` or `bundle`: the `--hermetic` errors,
/// then the `--deps-file` (written after the outputs, so it names them);
/// the exit code.
fn finish_io(st: &Settings, env: &Environment, deps_file: Option<&Path>, exit_code: i32) -> i32 {
    if report_refused(st, env) {
        return 2;
    }
    let Some(deps) = deps_file else {
        return exit_code;
    };
    let deps = fsutil::normalize(&env.cwd.join(deps));
    let reads = st.io.reads();
    let mut read = fsutil::ReadFiles::default();
    read.extend(&reads);
    if let Some(input) = read.replaced_by(&deps) {
        let message = Message::OutputIsInput {
            path: display_path(&deps, env),
            input: display_path(input, env),
        };
        print_error(&mut streams::stderr(), env, &message);
        return 2;
    }
    let writes = st.io.writes();
    // Without an output (errors, `check`), the depfile names itself.
    let targets = if writes.is_empty() {
        vec![deps.clone()]
    } else {
        writes
    };
    let text = inputs::depfile(&targets, &reads, &env.cwd);
    match fsutil::write_atomic(&deps, text.as_bytes()) {
        Ok(()) => exit_code,
        Err(e) => {
            print_error(&mut streams::stderr(), env, &cannot_write(&deps, env, &e));
            2
        }
    }
}

/// Every file of a compile and all they import, with their exports, so
/// each file is checked against the modules it imports.
pub(crate) fn project_types(jobs: &[Job], st: &Settings) -> somon_project::ProjectTypes {
    let fs: &inputs::Tracked = &st.io;
    let resolver = somon_project::Resolver::new(fs, st.resolver.clone());
    let inputs: Vec<PathBuf> = jobs.iter().map(|j| j.input.clone()).collect();
    somon_project::ProjectTypes::load(&inputs, fs, &resolver)
}

/// Reads, compiles and (when there is no error) writes one file. Its
/// output may not replace the file, the configuration file or a file its
/// imports lead to (except JavaScript written by the other jobs of this
/// run, whose outputs are `outputs`).
pub(crate) fn compile_job(
    job: &Job,
    a: &CompileArgs,
    st: &Settings,
    env: &Environment,
    types: &somon_project::ProjectTypes,
    outputs: &HashSet<PathBuf>,
) -> FileReport {
    let base = &st.options;
    let shown = display_path(&job.input, env);
    let mut report = FileReport {
        shown: shown.clone(),
        diagnostics: Vec::new(),
        io_error: None,
    };
    // Read through the command's file system, which records it as read.
    let source = match read_input(&*st.io, &job.input, env) {
        Ok(s) => s,
        Err(message) => {
            report.io_error = Some(message);
            return report;
        }
    };
    let out_dir = job
        .output
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| env.cwd.clone());
    let output_file_name = job
        .output
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut options = base.clone();
    options.file_name = shown;
    options.output_name = Some(output_file_name);
    // Each relative import becomes the file it resolves to (`./ёр` →
    // `./ёр/index.js`).
    let resolver = somon_project::Resolver::new(&*st.io, st.resolver.clone());
    // The project's graph parsed this very text already: its import
    // specifiers are taken from there rather than parsing it again.
    let imports = match types.somon_text_and_specifiers(&job.input) {
        Some((text, specs)) if text == source => {
            somon_project::imports_of_specifiers(specs, &job.input, &resolver)
        }
        _ => somon_project::file_imports(&source, &job.input, &resolver),
    };
    let imported = imports.files;
    options.specifier_map = Some(imports.specifiers);
    let mut read = fsutil::ReadFiles::default();
    read.insert(&job.input);
    read.extend(&st.effective.config_file);
    // Another job's JavaScript output may be imported (it is written by
    // this run); a source never is an output.
    let generated = |f: &PathBuf| {
        outputs.contains(f) && *f != job.output && f.extension().is_none_or(|e| e != "som")
    };
    read.extend(imported.iter().filter(|f| !generated(f)));
    options.inline_sources = a.inline_sources;
    options.source_map = match a.source_map {
        None => SourceMapKind::None,
        Some(SourceMapArg::File) => SourceMapKind::Separate,
        Some(SourceMapArg::Inline) => SourceMapKind::Inline,
    };
    let result = worker::compiled_once(&source, &options, &job.input, types, || {
        compile_with_map_sources(&source, options.clone(), &job.input, &out_dir, types)
    });
    report.diagnostics = result.diagnostics;
    let Some(code) = result.code else {
        return report;
    };
    // While watching, an output whose bytes did not change is left alone,
    // so tools watching the outputs do not restart for nothing.
    let map = result.map.is_some().then(|| fsutil::map_path(&job.output));
    match fsutil::write_output(
        st.io.files(),
        &job.output,
        code,
        result.map.as_deref(),
        a.live.watch,
        &read,
    ) {
        Ok(()) => {
            st.io.note_written(&job.output);
            map.iter().for_each(|m| st.io.note_written(m));
        }
        Err(e) => report.io_error = Some(write_error(e, env)),
    }
    report
}

/// The catalogue message for an output that was not written.
pub(crate) fn write_error(e: fsutil::WriteError, env: &Environment) -> Message {
    match e {
        fsutil::WriteError::IsInput { output, input } => Message::OutputIsInput {
            path: display_path(&output, env),
            input: display_path(&input, env),
        },
        fsutil::WriteError::ReadOnly(path) => Message::OutputReadOnly {
            path: display_path(&path, env),
        },
        fsutil::WriteError::Io(path, e) => cannot_write(&path, env, &e),
    }
}

/// Compiles with the diagnostics naming the file as the user sees it, and
/// the map's `sources` relative to the output folder.
fn compile_with_map_sources(
    source: &str,
    mut options: CompileOptions,
    input: &Path,
    out_dir: &Path,
    types: &somon_project::ProjectTypes,
) -> CompileOutput {
    let shown = options.file_name.clone();
    if options.source_map != SourceMapKind::None {
        options.file_name = relative_path(out_dir, input);
    }
    let imports = types.imports_of(input);
    let mut out = somon_compiler::compile_module(
        source,
        &options,
        &*imports,
        types.import_diagnostics(input),
        false,
    );
    for d in &mut out.diagnostics {
        d.file = shown.clone();
    }
    out
}

/// The canonical path of an entry module, or the usage error saying why
/// there is none.
fn entry_file(input: &Path, env: &Environment) -> Result<PathBuf, Outcome> {
    let fs = &*env.files.0;
    if fs.is_file(input) {
        return Ok(fsutil::normalize(&fs.real_path(input)));
    }
    if fs.exists(input) {
        return Err(usage_error(
            env,
            Message::NotAFile {
                path: display_path(input, env),
            },
        ));
    }
    // Why it is not there, as the file system says.
    let e = fs
        .read_dir(input)
        .err()
        .unwrap_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"));
    Err(usage_error(env, cannot_read(input, env, &e)))
}

/// `somon config --migrate`: the configuration file found from `start`
/// (or `--config`) rewritten in this schema. The old text is first copied
/// to a backup that did not exist before (`somon.config.json.bak`, then
/// `.bak.1` …), atomically; only then is the file replaced, atomically.
fn migrate_config(a: &ConfigArgs, start: &Path, env: &Environment) -> Outcome {
    let lang = a.codegen.lang.unwrap_or(env.lang);
    let shown = Environment {
        lang,
        ..env.clone()
    };
    let file = match &a.codegen.config {
        Some(c) => Some(env.cwd.join(c)),
        None => somon_config::discover(&somon_config::RealFs, start),
    };
    let Some(file) = file else {
        return usage_error(
            &shown,
            Message::NoConfigToMigrate {
                path: display_path(start, env),
            },
        );
    };
    let text = match std::fs::read(&file) {
        Ok(bytes) => bytes,
        Err(e) => return usage_error(&shown, cannot_read(&file, env, &e)),
    };
    let loaded = match std::str::from_utf8(&text)
        .map_err(|_| Vec::new())
        .and_then(|t| somon_config::parse_config(t, &file))
    {
        Ok(l) => l,
        Err(errors) if errors.is_empty() => {
            return usage_error(
                &shown,
                Message::NotUtf8 {
                    path: display_path(&file, env),
                },
            )
        }
        Err(errors) => {
            let _ = write!(
                streams::stderr(),
                "{}",
                somon_config::render_errors(&errors, lang, RenderOptions { color: env.color })
            );
            return Outcome::exit(2);
        }
    };
    let name = display_path(&file, env);
    let Some(migrated) = loaded.migrated_text() else {
        let mut out = streams::stdout();
        let _ = match lang {
            Lang::En => writeln!(out, "{name} already uses this compiler's keys: nothing to migrate"),
            Lang::Tg => writeln!(out, "{name} аллакай калидҳои ҳамин компиляторро истифода мебарад: чизе барои табдил нест"),
            Lang::Ru => writeln!(out, "{name} уже использует ключи этого компилятора: переносить нечего"),
        };
        return Outcome::exit(0);
    };
    // A backup name nobody uses yet: an earlier backup is never replaced.
    let mut backup = PathBuf::from(format!("{}.bak", file.display()));
    let mut n = 0u32;
    while backup.exists() {
        n += 1;
        backup = PathBuf::from(format!("{}.bak.{n}", file.display()));
    }
    let write = |path: &Path, bytes: &[u8]| {
        fsutil::write_atomic(path, bytes).map_err(|e| {
            usage_error(
                &shown,
                Message::CannotWrite {
                    path: display_path(path, env),
                    reason: e.to_string(),
                },
            )
        })
    };
    if let Err(o) = write(&backup, &text) {
        return o;
    }
    if let Err(o) = write(&file, migrated.as_bytes()) {
        return o;
    }
    let kept = display_path(&backup, env);
    let mut out = streams::stdout();
    let _ = match lang {
        Lang::En => writeln!(out, "{name} rewritten in this compiler's keys; the old file is kept as {kept}"),
        Lang::Tg => writeln!(out, "{name} бо калидҳои ҳамин компилятор аз нав навишта шуд; файли кӯҳна ҳамчун {kept} нигоҳ дошта шуд"),
        Lang::Ru => writeln!(out, "{name} переписан с ключами этого компилятора; старый файл сохранён как {kept}"),
    };
    Outcome::exit(0)
}

/// The Node.js lines the package supports (`engines` in package.json):
/// 20, 22 and 24.
pub const SUPPORTED_NODE_MAJORS: [&str; 3] = ["20", "22", "24"];

/// Whether `process.version` (`v24.1.0`) is of a supported line.
fn supported_node(version: &str) -> bool {
    let major = version
        .trim_start_matches('v')
        .split('.')
        .next()
        .unwrap_or("");
    SUPPORTED_NODE_MAJORS.contains(&major)
}

/// The file name a program read from standard input (`somon run -`) has:
/// in the working folder, so its relative imports start there.
const STDIN_FILE: &str = "stdin.som";

/// The real file system with one more file: the program read from
/// standard input.
struct StdinFs {
    path: PathBuf,
    text: String,
}

impl somon_project::fs::FileSystem for StdinFs {
    fn read_to_string(&self, path: &Path) -> std::io::Result<String> {
        if path == self.path {
            return Ok(self.text.clone());
        }
        somon_project::fs::RealFs.read_to_string(path)
    }

    fn is_file(&self, path: &Path) -> bool {
        path == self.path || somon_project::fs::RealFs.is_file(path)
    }

    fn is_dir(&self, path: &Path) -> bool {
        somon_project::fs::RealFs.is_dir(path)
    }

    fn read_dir(&self, path: &Path) -> std::io::Result<Vec<somon_project::fs::DirEntry>> {
        somon_project::fs::RealFs.read_dir(path)
    }

    fn write(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        somon_project::fs::RealFs.write(path, bytes)
    }

    fn real_path(&self, path: &Path) -> PathBuf {
        if path == self.path {
            return path.to_path_buf();
        }
        somon_project::fs::RealFs.real_path(path)
    }
}

fn run_command(a: RunArgs, env: &Environment) -> Outcome {
    let stdin_fs;
    let fs: &dyn somon_project::fs::FileSystem;
    let entry = if a.input.as_os_str() == "-" {
        // `somon run -`: the program is standard input.
        let mut text = String::new();
        if let Err(e) = std::io::Read::read_to_string(&mut std::io::stdin().lock(), &mut text) {
            return usage_error(env, cannot_read(Path::new("-"), env, &e));
        }
        let cwd = std::fs::canonicalize(&env.cwd).unwrap_or_else(|_| env.cwd.clone());
        stdin_fs = StdinFs {
            path: cwd.join(STDIN_FILE),
            text,
        };
        fs = &stdin_fs;
        stdin_fs.path.clone()
    } else {
        fs = &*env.files.0;
        match entry_file(&env.cwd.join(&a.input), env) {
            Ok(p) => p,
            Err(o) => return o,
        }
    };
    let entry_dir = entry.parent().map(Path::to_path_buf).unwrap_or_default();
    let st = match settings(
        &a.codegen,
        &entry_dir,
        env,
        somon_config::FlagScope::Compile,
    ) {
        Ok(s) => s,
        Err(o) => return o,
    };
    let options = st.options.clone();
    let esm = options.module == ModuleKind::Esm;
    // The program and every module it imports, bundled in memory, with
    // an inline source map so stack traces name the .som files.
    let req = somon_project::BundleRequest {
        entry: entry.clone(),
        output: None,
        display_base: env.cwd.clone(),
        format: if esm {
            somon_project::BundleFormat::Esm
        } else {
            somon_project::BundleFormat::Cjs
        },
        // `run` runs the program under Node.js.
        platform: somon_project::Platform::Node,
        global_name: None,
        externals: Vec::new(),
        emit: emit_options(&options, SourceMapKind::Inline, false, None),
        type_check: options.type_check,
        lang: options.lang,
        circular: if st.effective.production.enabled.value
            && st.effective.is_fatal_warning("CIRCULAR_IMPORT")
        {
            somon_project::CircularPolicy::Error
        } else {
            somon_project::CircularPolicy::Warn
        },
        resolver: st.resolver.clone(),
        tree_shaking: true,
    };
    // The program from standard input is read through its own file
    // system; a program on disk through the recording one.
    let build_fs: &dyn somon_project::fs::FileSystem = if a.input.as_os_str() == "-" {
        fs
    } else {
        &*st.io
    };
    let result = somon_project::bundle(&req, build_fs);
    // A one-module ES program runs as a real ES module (no factory, so
    // top-level `интизор` works); a bundle wraps modules in CommonJS
    // factories.
    let (code, diagnostics) = if esm && result.modules == 1 {
        let source = read_input(build_fs, &entry, env);
        match source {
            Ok(source) => {
                let single = CompileOptions {
                    file_name: display_path(&entry, env),
                    source_map: SourceMapKind::Inline,
                    ..options.clone()
                };
                // Map `sources` relative to the entry's folder: the
                // module runs as the entry's own URL.
                let resolver = somon_project::Resolver::new(build_fs, st.resolver.clone());
                let types = somon_project::ProjectTypes::load(
                    std::slice::from_ref(&entry),
                    build_fs,
                    &resolver,
                );
                let out = compile_with_map_sources(&source, single, &entry, &entry_dir, &types);
                (out.code, out.diagnostics)
            }
            Err(message) => return usage_error(env, message),
        }
    } else {
        (result.code, result.diagnostics)
    };
    print_diagnostics_as(&diagnostics, env, st.diagnostics);
    if report_refused(&st, env) {
        return Outcome::exit(2);
    }
    match code {
        None => Outcome::exit(1),
        Some(code) => Outcome {
            exit_code: 0,
            run: Some(RunRequest {
                filename: entry.to_string_lossy().to_string(),
                code,
                args: a.args,
                esm,
            }),
            force_exit: false,
        },
    }
}

fn emit_options(
    o: &CompileOptions,
    source_map: SourceMapKind,
    inline_sources: bool,
    output_name: Option<String>,
) -> somon_compiler::EmitOptions {
    somon_compiler::EmitOptions {
        target: o.target,
        module: ModuleKind::Cjs,
        minify: o.minify,
        compress: o.compress,
        mangle: o.mangle,
        keep_names: o.keep_names,
        source_map,
        inline_sources,
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

fn check_command(a: CheckArgs, env: &Environment) -> Outcome {
    let inputs: Vec<PathBuf> = a.inputs.iter().map(|p| env.cwd.join(p)).collect();
    if let Some(missing) = inputs.iter().find(|p| !p.exists()) {
        return usage_error(env, cannot_read(missing, env, &"no such file or folder"));
    }
    // The same configuration and options as `compile`.
    let start = a
        .inputs
        .first()
        .map(|p| input_folder(env, p))
        .unwrap_or_else(|| env.cwd.clone());
    let st = match settings(&a.codegen, &start, env, somon_config::FlagScope::Compile) {
        Ok(s) => s,
        Err(o) => return o,
    };
    let files = match somon_project::fs::collect_som_files(&inputs) {
        Ok(f) => f,
        Err(e) => return usage_error(env, cannot_read(&env.cwd, env, &e)),
    };
    let fs: &inputs::Tracked = &st.io;
    let resolver = somon_project::Resolver::new(fs, st.resolver.clone());
    let types = somon_project::ProjectTypes::load(&files, fs, &resolver);
    let results: Vec<Result<Vec<ResolvedDiagnostic>, Message>> = files
        .par_iter()
        .map(|f| {
            let source = read_input(fs, f, env)?;
            let options = CompileOptions {
                file_name: display_path(f, env),
                ..st.options.clone()
            };
            let imports = types.imports_of(f);
            Ok(somon_compiler::compile_module(
                &source,
                &options,
                &*imports,
                types.import_diagnostics(f),
                true,
            )
            .diagnostics)
        })
        .collect();
    let mut all = Vec::new();
    let mut io_errors = Vec::new();
    for r in results {
        match r {
            Ok(d) => all.extend(d),
            Err(e) => io_errors.push(e),
        }
    }
    print_diagnostics_as(&all, env, st.diagnostics);
    if !io_errors.is_empty() {
        let mut err = streams::stderr();
        for e in &io_errors {
            print_error(&mut err, env, e);
        }
        return Outcome::exit(2);
    }
    if report_refused(&st, env) {
        return Outcome::exit(2);
    }
    let errors = all.iter().any(|d| d.severity == Severity::Error);
    if !errors && st.diagnostics == DiagnosticsFormat::Pretty {
        let mut out = streams::stdout();
        let _ = writeln!(
            out,
            "{}",
            Message::FilesChecked { files: files.len() }.render(env.lang)
        );
    }
    Outcome::exit(i32::from(errors))
}

/// What `somon bundle` with these arguments builds, before any work: the
/// settings, the request, the output and the files it must not replace.
pub(crate) struct BundlePlan {
    pub(crate) st: Settings,
    pub(crate) req: somon_project::BundleRequest,
    pub(crate) output: PathBuf,
    read: fsutil::ReadFiles,
    pub(crate) report: report::ReportOptions,
}

pub(crate) fn bundle_plan(a: &mut BundleArgs, env: &Environment) -> Result<BundlePlan, Outcome> {
    let input = env.cwd.join(a.input.as_deref().unwrap_or(Path::new("")));
    let entry = entry_file(&input, env)?;
    let entry_dir = entry.parent().map(Path::to_path_buf).unwrap_or_default();
    let st = live_settings(
        &mut a.live,
        &a.codegen,
        &entry_dir,
        env,
        somon_config::FlagScope::Bundle,
    )?;
    let b = &st.effective.bundle;
    let output = match (&a.output, &b.output.value) {
        (Some(o), _) => env.cwd.join(o),
        (None, Some(o)) => o.clone(),
        (None, None) => {
            let stem = entry
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            entry.with_file_name(format!("{stem}.bundle.js"))
        }
    };
    // The entry and the configuration are known now; the rest of the
    // graph is checked before the bundle is written.
    let mut read = fsutil::ReadFiles::default();
    read.insert(&entry);
    read.extend(&st.effective.config_file);
    if let Some(input) = read.replaced_by(&output) {
        return Err(usage_error(
            env,
            Message::OutputIsInput {
                path: display_path(&output, env),
                input: display_path(input, env),
            },
        ));
    }
    let output_name = output
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let options = st.options.clone();
    let source_map = match (a.source_map, b.source_map.value) {
        (Some(SourceMapArg::File), _) | (None, somon_config::SourceMapSetting::File) => {
            SourceMapKind::Separate
        }
        (Some(SourceMapArg::Inline), _) | (None, somon_config::SourceMapSetting::Inline) => {
            SourceMapKind::Inline
        }
        (None, somon_config::SourceMapSetting::Off) => SourceMapKind::None,
    };
    let format = a.format.unwrap_or(match b.format.value.as_str() {
        "esm" => FormatArg::Esm,
        "iife" => FormatArg::Iife,
        "umd" => FormatArg::Umd,
        _ => FormatArg::Cjs,
    });
    // In production, warnings listed in `production.fatalWarnings` are
    // errors (the import cycle is the warning bundles can give).
    let cycles_fatal =
        st.effective.production.enabled.value && st.effective.is_fatal_warning("CIRCULAR_IMPORT");
    let circular = a
        .circular
        .unwrap_or(if b.circular.value.as_str() == "error" || cycles_fatal {
            CircularArg::Error
        } else {
            CircularArg::Warn
        });
    let externals: Vec<String> = if a.external.is_empty() {
        b.external.value.clone()
    } else {
        a.external.clone()
    };
    let req = somon_project::BundleRequest {
        entry,
        output: Some(output.clone()),
        display_base: env.cwd.clone(),
        format: match format {
            FormatArg::Cjs => somon_project::BundleFormat::Cjs,
            FormatArg::Esm => somon_project::BundleFormat::Esm,
            FormatArg::Iife => somon_project::BundleFormat::Iife,
            FormatArg::Umd => somon_project::BundleFormat::Umd,
        },
        platform: match a.platform {
            Some(PlatformArg::Node) => somon_project::Platform::Node,
            Some(PlatformArg::Browser) => somon_project::Platform::Browser,
            Some(PlatformArg::Neutral) => somon_project::Platform::Neutral,
            None => somon_project::Platform::parse(b.platform.value.as_str())
                .unwrap_or(somon_project::Platform::Node),
        },
        global_name: a
            .global_name
            .clone()
            .or_else(|| b.global_name.value.clone()),
        externals: externals
            .iter()
            .map(|e| e.trim().to_string())
            .filter(|e| !e.is_empty())
            .collect(),
        emit: emit_options(
            &options,
            source_map,
            a.inline_sources || b.inline_sources.value,
            Some(output_name.clone()),
        ),
        type_check: options.type_check,
        lang: options.lang,
        circular: match circular {
            CircularArg::Warn => somon_project::CircularPolicy::Warn,
            CircularArg::Error => somon_project::CircularPolicy::Error,
        },
        resolver: st.resolver.clone(),
        tree_shaking: !a.no_tree_shaking && b.tree_shaking.value,
    };
    let (define, drop_console, drop_debugger) =
        code_transforms(&a.define, &a.drop, &b.define.value, &b.drop.value)
            .map_err(|m| usage_error(env, m))?;
    let precompress_values = if a.precompress.is_empty() {
        &b.precompress.value
    } else {
        &a.precompress
    };
    let precompress = report::parse_precompress(precompress_values).map_err(|value| {
        usage_error(
            env,
            Message::InvalidFlagValue {
                option: "--precompress".into(),
                value,
            },
        )
    })?;
    let mut req = req;
    req.emit.define = define;
    req.emit.drop_console = drop_console;
    req.emit.drop_debugger = drop_debugger;
    let report = report::ReportOptions {
        metafile: a
            .metafile
            .as_ref()
            .map(|m| fsutil::normalize(&env.cwd.join(m))),
        analyze: a.analyze,
        precompress,
    };
    Ok(BundlePlan {
        st,
        req,
        output,
        read,
        report,
    })
}

/// Defines (name, expression), and whether console calls and debugger
/// statements are dropped.
type CodeTransforms = (Vec<(String, String)>, bool, bool);

/// `--define` and `--drop` (after the configuration's `bundle.define` and
/// `bundle.drop`; a name defined twice takes the last value), checked:
/// a name that is not a dotted identifier, a value that is not a
/// JavaScript expression or something to drop other than `console` and
/// `debugger` is a usage error.
fn code_transforms(
    define_flags: &[String],
    drop_flags: &[String],
    define_config: &[String],
    drop_config: &[String],
) -> Result<CodeTransforms, Message> {
    let mut define: Vec<(String, String)> = Vec::new();
    for d in define_config.iter().chain(define_flags) {
        let invalid = || Message::InvalidFlagValue {
            option: "--define".into(),
            value: d.clone(),
        };
        let (key, value) = d.split_once('=').ok_or_else(invalid)?;
        let key = key.trim();
        if !somon_compiler::define::valid_define_key(key)
            || !somon_compiler::define::valid_define_value(value)
        {
            return Err(invalid());
        }
        define.retain(|(k, _)| k != key);
        define.push((key.to_string(), value.to_string()));
    }
    let drops = if drop_flags.is_empty() {
        drop_config
    } else {
        drop_flags
    };
    let (mut console, mut debugger) = (false, false);
    for d in drops.iter().map(|d| d.trim()).filter(|d| !d.is_empty()) {
        match d {
            "console" => console = true,
            "debugger" => debugger = true,
            _ => {
                return Err(Message::InvalidFlagValue {
                    option: "--drop".into(),
                    value: d.to_string(),
                })
            }
        }
    }
    Ok((define, console, debugger))
}

/// `somon bundle a.som b.som --outdir dist`: one bundle per entry, each
/// named after its entry (`a.som` → `dist/a.js`), as esbuild names them;
/// two entries of the same name are an error before any work.
fn bundle_entries(mut a: BundleArgs, env: &Environment) -> Outcome {
    let mut entries: Vec<PathBuf> = a.input.iter().cloned().collect();
    entries.append(&mut a.more_inputs);
    let Some(outdir) = a.outdir.take() else {
        return usage_error(
            env,
            Message::EntriesNeedOutdir {
                entries: entries.len(),
            },
        );
    };
    let conflict = |first: &str, second: &str| {
        usage_error(
            env,
            Message::ConflictingFlags {
                first: first.into(),
                second: second.into(),
            },
        )
    };
    if a.output.is_some() {
        return conflict("--outdir", "--output");
    }
    if entries.len() > 1 {
        if a.live.watch {
            return conflict("--watch", "several entries");
        }
        if a.metafile.is_some() {
            return conflict("--metafile", "several entries");
        }
    }
    let outdir = env.cwd.join(outdir);
    let mut outputs: Vec<(PathBuf, PathBuf)> = Vec::new();
    for entry in &entries {
        let stem = entry
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let output = fsutil::normalize(&outdir.join(format!("{stem}.js")));
        if let Some((first, _)) = outputs.iter().find(|(_, o)| *o == output) {
            return usage_error(
                env,
                Message::OutputNameCollision {
                    output: display_path(&output, env),
                    first: display_path(&env.cwd.join(first), env),
                    second: display_path(&env.cwd.join(entry), env),
                },
            );
        }
        outputs.push((entry.clone(), output));
    }
    let mut code = 0;
    for (entry, output) in outputs {
        let mut one = a.clone();
        one.input = Some(entry);
        one.output = Some(output);
        let done = bundle_command(one, env);
        code = code.max(done.exit_code);
        // A usage or IO error stops the build; compile errors of one
        // entry do not stop the others.
        if done.exit_code == 2 {
            break;
        }
    }
    Outcome::exit(code)
}

/// `somon bundle` as typed: without an entry on the command line, the
/// entries of `bundle.entry` (one path, or an array: then as if each were
/// given, so several need `--outdir`), each checked to exist first.
fn bundle_configured(mut a: BundleArgs, env: &Environment) -> Outcome {
    if a.input.is_some() {
        return bundle_command(a, env);
    }
    let st = match settings(&a.codegen, &env.cwd, env, somon_config::FlagScope::Bundle) {
        Ok(s) => s,
        Err(o) => return o,
    };
    let entries = &st.effective.bundle.entry.value;
    let config = st
        .effective
        .config_file
        .as_deref()
        .map(|c| display_path(c, env))
        .unwrap_or_default();
    for (i, entry) in entries.iter().enumerate() {
        if !env.files.0.is_file(entry) {
            let key = if entries.len() == 1 {
                "bundle.entry".to_string()
            } else {
                format!("bundle.entry[{i}]")
            };
            return usage_error(
                env,
                Message::BundleEntryMissing {
                    key,
                    path: display_path(entry, env),
                    config,
                },
            );
        }
    }
    let mut entries = entries.iter().cloned();
    let Some(first) = entries.next() else {
        return usage_error(env, Message::BundleNeedsEntry);
    };
    a.input = Some(first);
    let mut more: Vec<PathBuf> = entries.collect();
    more.append(&mut a.more_inputs);
    a.more_inputs = more;
    bundle_command(a, env)
}

fn bundle_command(mut a: BundleArgs, env: &Environment) -> Outcome {
    if a.splitting {
        return bundle_split_command(a, env);
    }
    if !a.more_inputs.is_empty() || a.outdir.is_some() {
        return bundle_entries(a, env);
    }
    let BundlePlan {
        st,
        req,
        output,
        read,
        report,
    } = match bundle_plan(&mut a, env) {
        Ok(plan) => plan,
        Err(o) => return o,
    };
    if a.live.watch {
        if !fsutil::dir_creatable(output.parent().unwrap_or(Path::new("."))) {
            return usage_error(
                env,
                Message::OutputDirNotCreatable {
                    path: display_path(output.parent().unwrap_or(Path::new(".")), env),
                },
            );
        }
        let builder = watch::BundleBuilder::new(
            req,
            output,
            env.clone(),
            st.diagnostics,
            st.effective.config_file.clone(),
            st.io.clone(),
        );
        return service::run_service(builder, &st, env, &a.live.service, a.live.serve_port);
    }
    let result = somon_project::bundle(&req, &*st.io);
    bundle_finish(
        &st,
        &output,
        read,
        result,
        a.deps_file.as_deref(),
        &report,
        env,
    )
}

/// `somon bundle a.som [b.som …] --splitting --format esm --outdir dist`:
/// the entries as ES modules named after them, and their chunks.
fn bundle_split_command(mut a: BundleArgs, env: &Environment) -> Outcome {
    let Some(outdir) = a.outdir.take().map(|o| env.cwd.join(o)) else {
        return usage_error(env, Message::SplittingNeedsOutdir);
    };
    let stem = a
        .input
        .as_deref()
        .and_then(Path::file_stem)
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    a.output = Some(outdir.join(format!("{stem}.js")));
    let BundlePlan {
        st,
        req,
        output: _,
        mut read,
        report,
    } = match bundle_plan(&mut a, env) {
        Ok(plan) => plan,
        Err(o) => return o,
    };
    if req.format != somon_project::BundleFormat::Esm {
        let format = match req.format {
            somon_project::BundleFormat::Cjs => "cjs",
            somon_project::BundleFormat::Iife => "iife",
            somon_project::BundleFormat::Umd => "umd",
            somon_project::BundleFormat::Esm => "esm",
        };
        return usage_error(
            env,
            Message::SplittingNeedsEsm {
                format: format.into(),
            },
        );
    }
    let split = somon_project::SplitRequest {
        more_entries: a
            .more_inputs
            .iter()
            .map(|p| fsutil::normalize(&env.cwd.join(p)))
            .collect(),
        chunk_names: a.chunk_names.clone().unwrap_or_default(),
    };
    if a.live.watch {
        if !a.more_inputs.is_empty() {
            return usage_error(
                env,
                Message::ConflictingFlags {
                    first: "--watch".into(),
                    second: "several entries".into(),
                },
            );
        }
        let builder = watch::SplitBuilder::new(
            req,
            split,
            outdir,
            (env, st.diagnostics, st.effective.config_file.clone()),
            st.io.clone(),
        );
        return service::run_service(builder, &st, env, &a.live.service, a.live.serve_port);
    }
    let (result, chunks) = somon_project::bundle_split(&req, &split, &*st.io);
    print_diagnostics_as(&result.diagnostics, env, st.diagnostics);
    if chunks.is_empty() {
        return Outcome::exit(finish_io(&st, env, a.deps_file.as_deref(), 1));
    }
    read.extend(&result.files);
    let mut written: Vec<report::WrittenChunk> = Vec::new();
    for mut chunk in chunks {
        let path = fsutil::normalize(&outdir.join(&chunk.file));
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let map = chunk.map.is_some().then(|| fsutil::map_path(&path));
        if let Err(e) = fsutil::write_output(
            st.io.files(),
            &path,
            chunk.code,
            chunk.map.as_deref(),
            false,
            &read,
        ) {
            return usage_error(env, write_error(e, env));
        }
        st.io.note_written(&path);
        map.iter().for_each(|m| st.io.note_written(m));
        chunk.code = String::new();
        chunk.map = None;
        written.push(report::WrittenChunk { path, map, chunk });
    }
    let sizes = match report::split_reports(&written, &result, &report, &read, env) {
        Ok((sizes, files)) => {
            files.iter().for_each(|p| st.io.note_written(p));
            sizes
        }
        Err(e) => return usage_error(env, write_error(e, env)),
    };
    if st.diagnostics == DiagnosticsFormat::Pretty {
        let mut out = streams::stdout();
        let _ = writeln!(
            out,
            "{}",
            Message::BundleWritten {
                path: display_path(&outdir, env),
                modules: result.modules,
            }
            .render(env.lang)
        );
        // Each chunk on a line of its own (with its sizes when compressed
        // copies were asked for), entries first, as esbuild lists outputs.
        if sizes.is_empty() {
            let (entries, others): (Vec<_>, Vec<_>) =
                written.iter().partition(|w| w.chunk.entry.is_some());
            for w in entries.into_iter().chain(others) {
                let _ = writeln!(out, "  {}", display_path(&w.path, env));
            }
        }
        for (path, sizes) in sizes {
            let raw = std::fs::metadata(&path).map_or(0, |m| m.len());
            let _ = writeln!(
                out,
                "  {}: {}",
                display_path(&path, env),
                Message::BundleSizes {
                    raw: report::size(raw),
                    sizes,
                }
                .render(env.lang)
            );
        }
    }
    if report.analyze {
        report::print_split_analysis(&result, &written, env);
    }
    Outcome::exit(finish_io(&st, env, a.deps_file.as_deref(), 0))
}

/// Reports a bundle and writes it (with its map and the depfile).
pub(crate) fn bundle_finish(
    st: &Settings,
    output: &Path,
    mut read: fsutil::ReadFiles,
    mut result: somon_project::BundleOutput,
    deps_file: Option<&Path>,
    report: &report::ReportOptions,
    env: &Environment,
) -> Outcome {
    print_diagnostics_as(&result.diagnostics, env, st.diagnostics);
    let Some(code) = result.code.take() else {
        return Outcome::exit(finish_io(st, env, deps_file, 1));
    };
    read.extend(&result.files);
    let map = result.map.is_some().then(|| fsutil::map_path(output));
    if let Err(e) = fsutil::write_output(
        st.io.files(),
        output,
        code,
        result.map.as_deref(),
        false,
        &read,
    ) {
        return usage_error(env, write_error(e, env));
    }
    st.io.note_written(output);
    map.iter().for_each(|m| st.io.note_written(m));
    let mut sizes = None;
    if !report.precompress.is_empty() {
        match report::write_precompressed(output, &report.precompress, &read) {
            Ok((summary, written)) => {
                written.iter().for_each(|p| st.io.note_written(p));
                sizes = Some(summary);
            }
            Err(e) => return usage_error(env, write_error(e, env)),
        }
    }
    if let Some(meta) = &report.metafile {
        let text = report::metafile_text(&result, output, map.as_deref(), env);
        if let Err(e) = report::write_metafile(meta, &text, &read) {
            return usage_error(env, write_error(e, env));
        }
        st.io.note_written(meta);
    }
    if st.diagnostics == DiagnosticsFormat::Pretty {
        let mut out = streams::stdout();
        let _ = writeln!(
            out,
            "{}",
            Message::BundleWritten {
                path: display_path(output, env),
                modules: result.modules,
            }
            .render(env.lang)
        );
        if let Some(sizes) = sizes {
            let raw = std::fs::metadata(output).map_or(0, |m| m.len());
            let _ = writeln!(
                out,
                "  {}",
                Message::BundleSizes {
                    raw: report::size(raw),
                    sizes,
                }
                .render(env.lang)
            );
        }
    }
    if report.analyze {
        report::print_analysis(&result, output, env);
    }
    Outcome::exit(finish_io(st, env, deps_file, 0))
}

/// `serve`: `bundle --watch` for an entry, `compile --watch` for folders,
/// with the management endpoint on [`DEFAULT_SERVE_PORT`] unless the flags
/// or the configuration choose another.
fn serve_command(a: ServeArgs, env: &Environment) -> Outcome {
    let mut inputs = a.inputs;
    if inputs.is_empty() {
        let st = match settings(&a.codegen, &env.cwd, env, somon_config::FlagScope::Bundle) {
            Ok(s) => s,
            Err(o) => return o,
        };
        match st.effective.bundle.entry.value.as_slice() {
            [] => return usage_error(env, Message::ServeNeedsInput),
            [entry] => inputs.push(entry.clone()),
            // One service rebuilds one bundle.
            _ => {
                return usage_error(
                    env,
                    Message::ConflictingFlags {
                        first: "--watch".into(),
                        second: "several entries".into(),
                    },
                )
            }
        }
    }
    let is_entry = match inputs.as_slice() {
        [one] => {
            let p = env.cwd.join(one);
            p.is_file() || p.extension().is_some_and(|x| x == "som")
        }
        _ => false,
    };
    if is_entry {
        let input = inputs.into_iter().next().unwrap_or_default();
        bundle_command(
            BundleArgs {
                input: Some(input),
                more_inputs: Vec::new(),
                outdir: None,
                splitting: false,
                chunk_names: None,
                output: a.output,
                format: None,
                global_name: None,
                platform: None,
                external: Vec::new(),
                source_map: None,
                inline_sources: false,
                circular: None,
                no_tree_shaking: false,
                deps_file: None,
                metafile: None,
                analyze: false,
                precompress: Vec::new(),
                define: Vec::new(),
                drop: Vec::new(),
                live: service::WatchArgs::serving(a.service),
                codegen: a.codegen,
            },
            env,
        )
    } else {
        compile_command(
            CompileArgs {
                inputs,
                output: None,
                out_dir: a.out_dir,
                source_map: None,
                inline_sources: false,
                deps_file: None,
                live: service::WatchArgs::serving(a.service),
                codegen: a.codegen,
            },
            env,
        )
    }
}

/// `module-info --json` / `--deps-file`: what `somon bundle` of the entry
/// reads and would write, found by building the bundle in memory.
fn module_info_io(a: ModuleInfoArgs, env: &Environment) -> Outcome {
    let mut b = BundleArgs {
        input: Some(a.input),
        more_inputs: Vec::new(),
        outdir: None,
        splitting: false,
        chunk_names: None,
        output: None,
        format: None,
        global_name: None,
        platform: None,
        external: Vec::new(),
        source_map: None,
        inline_sources: false,
        circular: None,
        no_tree_shaking: false,
        deps_file: None,
        metafile: None,
        analyze: false,
        precompress: Vec::new(),
        define: Vec::new(),
        drop: Vec::new(),
        live: service::WatchArgs::default(),
        codegen: a.codegen,
    };
    let plan = match bundle_plan(&mut b, env) {
        Ok(plan) => plan,
        Err(o) => return o,
    };
    let result = somon_project::bundle(&plan.req, &*plan.st.io);
    let io = &plan.st.io;
    io.note_written(&plan.output);
    if result.map.is_some() {
        io.note_written(&fsutil::map_path(&plan.output));
    }
    let errors = result
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if a.json {
        let list = |paths: &[PathBuf]| -> Vec<String> {
            paths.iter().map(|p| inputs::shown(p, &env.cwd)).collect()
        };
        let doc = serde_json::json!({
            "entry": inputs::shown(&plan.req.entry, &env.cwd),
            "modules": list(&result.files),
            "reads": list(&io.reads()),
            "writes": list(&io.writes()),
            "errors": errors,
        });
        let _ = writeln!(streams::stdout(), "{doc:#}");
    } else if errors > 0 {
        print_diagnostics_as(&result.diagnostics, env, plan.st.diagnostics);
    }
    let code = i32::from(errors > 0);
    Outcome::exit(finish_io(&plan.st, env, a.deps_file.as_deref(), code))
}

fn module_info_command(a: ModuleInfoArgs, env: &Environment) -> Outcome {
    use somon_project::graph::{build_graph, ImportTarget};
    if a.json || a.deps_file.is_some() {
        return module_info_io(a, env);
    }
    let input = env.cwd.join(&a.input);
    let entry = match entry_file(&input, env) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let fs = somon_project::fs::RealFs;
    let resolver = somon_project::Resolver::new(&fs, Default::default());
    let graph = build_graph(&entry, &fs, &resolver, &[]);
    let base = entry.parent().map(Path::to_path_buf).unwrap_or_default();
    let name = |id: usize| {
        graph
            .modules
            .get(id)
            .map(|m| relative_path(&base, &m.path))
            .unwrap_or_default()
    };
    let mut out = streams::stdout();
    let show_all = !a.graph && !a.stats && !a.circular;
    if a.graph || show_all {
        for (id, m) in graph.modules.iter().enumerate() {
            let _ = writeln!(out, "{}", name(id));
            for i in &m.imports {
                let target = match &i.target {
                    Some(ImportTarget::Module(t)) => name(*t),
                    Some(ImportTarget::External(e)) => format!("{e} (external)"),
                    None => format!("{} (not found)", i.specifier),
                };
                let _ = writeln!(
                    out,
                    "  └── {target}{}",
                    if i.dynamic { " (dynamic)" } else { "" }
                );
            }
        }
    }
    let cycles = graph.cycles();
    if a.stats || show_all {
        let deps: usize = graph.modules.iter().map(|m| m.imports.len()).sum();
        let n = graph.modules.len().max(1);
        let stats = Message::ModuleStats {
            modules: graph.modules.len(),
            dependencies: deps,
            average: format!("{:.2}", deps as f64 / n as f64),
            cycles: cycles.len(),
        };
        let _ = writeln!(out, "{}", stats.render(env.lang));
    }
    if a.circular {
        if cycles.is_empty() {
            let _ = writeln!(out, "{}", Message::NoImportCycles.render(env.lang));
        } else {
            for c in &cycles {
                let line = Message::ImportCycleLine {
                    cycle: graph.describe_cycle(c, &base),
                };
                let _ = writeln!(out, "{}", line.render(env.lang));
            }
            return Outcome::exit(1);
        }
    }
    Outcome::exit(0)
}

fn resolve_command(a: ResolveArgs, env: &Environment) -> Outcome {
    let from = match &a.from {
        Some(f) => env.cwd.join(f),
        None => env.cwd.join("__somon_resolve__.som"),
    };
    let fs = somon_project::fs::RealFs;
    let resolver = somon_project::Resolver::new(&fs, Default::default());
    let mut out = streams::stdout();
    match resolver.resolve(&a.specifier, &from) {
        Ok(somon_project::Resolved::File(p)) => {
            let _ = writeln!(out, "{}", display_path(&p, env));
            Outcome::exit(0)
        }
        Ok(somon_project::Resolved::Builtin(b)) => {
            let _ = writeln!(
                out,
                "{}",
                Message::ResolvedBuiltin { name: b }.render(env.lang)
            );
            Outcome::exit(0)
        }
        Ok(somon_project::Resolved::Package { name, path }) => {
            let line = Message::ResolvedPackage {
                path: display_path(&path, env),
                name,
            };
            let _ = writeln!(out, "{}", line.render(env.lang));
            Outcome::exit(0)
        }
        Err(e) => {
            let mut err = streams::stderr();
            print_error(
                &mut err,
                env,
                &Message::ModuleNotFound {
                    specifier: e.specifier.clone(),
                },
            );
            for t in &e.tried {
                let line = Message::TriedPath {
                    path: display_path(t, env),
                };
                let _ = writeln!(err, "  {}", line.render(env.lang));
            }
            Outcome::exit(1)
        }
    }
}
