//! The `somon` command line. The npm package's `bin/somon.js` is a thin
//! wrapper that calls [`run`] through the addon; this crate parses the
//! arguments, reads and writes files, prints diagnostics, and for `run`
//! hands the compiled program back to Node to execute.
//!
//! Exit codes: 0 success, 1 compile errors, 2 usage or configuration
//! errors; `run` ends with the program's own code.

mod fsutil;

use clap::{Args, Parser, Subcommand, ValueEnum};
use somon_compiler::{compile, CompileOptions, CompileOutput, ModuleKind, SourceMapKind, Target};
use somon_diagnostics::{render_pretty, Lang, RenderOptions, ResolvedDiagnostic, Severity};
use std::io::Write;
use std::path::{Path, PathBuf};

pub use fsutil::{relative_path, write_atomic};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What the process environment tells the CLI (passed in, so the CLI stays
/// testable and the addon decides what to read).
#[derive(Clone, Debug, Default)]
pub struct Environment {
    pub cwd: PathBuf,
    pub color: bool,
    pub lang: Lang,
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
}

impl Outcome {
    fn exit(exit_code: i32) -> Self {
        Outcome {
            exit_code,
            run: None,
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
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Compile a .som file to JavaScript
    #[command(alias = "c")]
    Compile(CompileArgs),
    /// Compile a .som file and run it with the current Node.js
    #[command(alias = "r")]
    Run(RunArgs),
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ModuleArg {
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
    /// Language level of the output
    #[arg(long, default_value = "es2020", value_parser = target_parser())]
    target: Target,
    /// Module format of the output
    #[arg(long, value_enum, default_value = "cjs")]
    module: ModuleArg,
    /// Minify the output with swc's minifier
    #[arg(long)]
    minify: bool,
    /// With --minify: do not compress
    #[arg(long, requires = "minify")]
    no_compress: bool,
    /// With --minify: do not mangle names
    #[arg(long, requires = "minify")]
    no_mangle: bool,
    /// Skip type checking
    #[arg(long)]
    no_type_check: bool,
    /// Language of diagnostics: en, tj, ru
    #[arg(long, value_parser = parse_lang)]
    lang: Option<Lang>,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("unknown language `{s}` (valid: en, tj, ru)"))
}

#[derive(Args, Debug)]
struct CompileArgs {
    /// The .som file to compile
    input: PathBuf,
    /// Output file (default: the input with a .js extension)
    #[arg(short, long, conflicts_with = "out_dir")]
    output: Option<PathBuf>,
    /// Output folder (the file keeps its name, with .js)
    #[arg(long)]
    out_dir: Option<PathBuf>,
    /// Write a source map: a separate .map file, or inline
    #[arg(long, value_enum, num_args = 0..=1, default_missing_value = "file", require_equals = true)]
    source_map: Option<SourceMapArg>,
    /// Include the .som text in the source map
    #[arg(long)]
    inline_sources: bool,
    #[command(flatten)]
    codegen: CodegenArgs,
}

#[derive(Args, Debug)]
struct RunArgs {
    /// The .som file to run
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

fn base_options(c: &CodegenArgs, env: &Environment) -> CompileOptions {
    CompileOptions {
        target: c.target,
        module: match c.module {
            ModuleArg::Cjs => ModuleKind::Cjs,
            ModuleArg::Esm => ModuleKind::Esm,
        },
        minify: c.minify,
        compress: !c.no_compress,
        mangle: !c.no_mangle,
        type_check: !c.no_type_check,
        lang: c.lang.unwrap_or(env.lang),
        ..Default::default()
    }
}

/// Runs the CLI with `args` (without the program name).
pub fn run(args: &[String], env: &Environment) -> Outcome {
    let argv = std::iter::once("somon".to_string()).chain(args.iter().cloned());
    let cli = match Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return Outcome::exit(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Compile(a) => compile_command(a, env),
        Command::Run(a) => run_command(a, env),
    }
}

fn display_path(p: &Path, env: &Environment) -> String {
    let rel = p.strip_prefix(&env.cwd).unwrap_or(p);
    rel.to_string_lossy().replace('\\', "/")
}

fn usage_error(env: &Environment, message: &str) -> Outcome {
    let mut err = std::io::stderr().lock();
    let prefix = if env.color {
        "\x1b[1;31merror\x1b[0m"
    } else {
        "error"
    };
    let _ = writeln!(err, "{prefix}: {message}");
    Outcome::exit(2)
}

fn print_diagnostics(diags: &[ResolvedDiagnostic], env: &Environment) {
    let mut err = std::io::stderr().lock();
    let opts = RenderOptions { color: env.color };
    for d in diags {
        let _ = write!(err, "{}", render_pretty(d, opts));
    }
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    if errors > 0 || warnings > 0 {
        let _ = writeln!(err, "{errors} error(s), {warnings} warning(s)");
    }
}

/// Reads the input or explains why it cannot.
fn read_input(path: &Path, env: &Environment) -> Result<String, Outcome> {
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|_| {
            usage_error(
                env,
                &format!("{}: the file is not valid UTF-8", display_path(path, env)),
            )
        }),
        Err(e) => Err(usage_error(
            env,
            &format!("cannot read {}: {}", display_path(path, env), e),
        )),
    }
}

fn compile_command(a: CompileArgs, env: &Environment) -> Outcome {
    let input = env.cwd.join(&a.input);
    let source = match read_input(&input, env) {
        Ok(s) => s,
        Err(o) => return o,
    };
    let file_name = input
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let js_name = Path::new(&file_name).with_extension("js");
    let output = match (&a.output, &a.out_dir) {
        (Some(o), _) => env.cwd.join(o),
        (None, Some(dir)) => env.cwd.join(dir).join(&js_name),
        (None, None) => input.with_file_name(&js_name),
    };
    if fsutil::same_file(&input, &output) {
        return usage_error(
            env,
            &format!(
                "the output {} would overwrite the input; choose another output with -o",
                display_path(&output, env)
            ),
        );
    }
    let out_dir = output
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| env.cwd.clone());
    let output_file_name = output
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut options = base_options(&a.codegen, env);
    options.file_name = display_path(&input, env);
    options.output_name = Some(output_file_name.clone());
    options.inline_sources = a.inline_sources;
    options.source_map = match a.source_map {
        None => SourceMapKind::None,
        Some(SourceMapArg::File) => SourceMapKind::Separate,
        Some(SourceMapArg::Inline) => SourceMapKind::Inline,
    };
    let result = compile_with_map_sources(&source, options, &input, &out_dir);
    print_diagnostics(&result.diagnostics, env);
    let Some(mut code) = result.code else {
        return Outcome::exit(1);
    };
    let map_path = output.with_file_name(format!("{output_file_name}.map"));
    if let Some(map) = &result.map {
        if !code.ends_with('\n') {
            code.push('\n');
        }
        code.push_str(&format!("//# sourceMappingURL={output_file_name}.map\n"));
        if let Err(e) = write_atomic(&map_path, map.as_bytes()) {
            return usage_error(
                env,
                &format!("cannot write {}: {}", display_path(&map_path, env), e),
            );
        }
    }
    if let Err(e) = write_atomic(&output, code.as_bytes()) {
        return usage_error(
            env,
            &format!("cannot write {}: {}", display_path(&output, env), e),
        );
    }
    Outcome::exit(0)
}

/// Compiles with the diagnostics naming the file as the user sees it, and
/// the map's `sources` relative to the output folder.
fn compile_with_map_sources(
    source: &str,
    mut options: CompileOptions,
    input: &Path,
    out_dir: &Path,
) -> CompileOutput {
    let shown = options.file_name.clone();
    if options.source_map != SourceMapKind::None {
        options.file_name = relative_path(out_dir, input);
    }
    let mut out = compile(source, &options);
    for d in &mut out.diagnostics {
        d.file = shown.clone();
    }
    out
}

fn run_command(a: RunArgs, env: &Environment) -> Outcome {
    let input = env.cwd.join(&a.input);
    let source = match read_input(&input, env) {
        Ok(s) => s,
        Err(o) => return o,
    };
    let mut options = base_options(&a.codegen, env);
    options.file_name = display_path(&input, env);
    options.source_map = SourceMapKind::Inline;
    let dir = input
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| env.cwd.clone());
    let esm = options.module == ModuleKind::Esm;
    let result = compile_with_map_sources(&source, options, &input, &dir);
    print_diagnostics(&result.diagnostics, env);
    match result.code {
        None => Outcome::exit(1),
        Some(code) => Outcome {
            exit_code: 0,
            run: Some(RunRequest {
                filename: input.to_string_lossy().to_string(),
                code,
                args: a.args,
                esm,
            }),
        },
    }
}
