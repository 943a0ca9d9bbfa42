//! `somon fmt` (`тартиб`, `форматировать`): rewrites .som files in the
//! canonical layout of `somon_fmt`. Only files that change are written
//! (atomically); `--check` lists the files that are not formatted, `--diff`
//! shows what would change, `--stdin` formats standard input to standard
//! output. A file with syntax errors is never rewritten: its diagnostics are
//! printed and the command ends with exit 1.

use crate::{
    cannot_read, cannot_write, display_path, print_diagnostics_to, print_error, read_input,
    usage_error, write_atomic, DiagnosticsFormat, Environment, Outcome,
};
use clap::Args;
use rayon::prelude::*;
use somon_diagnostics::{Message, RenderOptions, ResolvedDiagnostic};
use somon_fmt::FormatOptions;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub(crate) struct FmtArgs {
    /// Files or folders to format; a folder means every .som file below it
    /// (skipping node_modules and folders starting with a dot) [default: .]
    #[arg(value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Write nothing: list the files that are not formatted, exit 1 if
    /// there are any (for CI)
    #[arg(long)]
    check: bool,
    /// Write nothing: show what formatting would change, as a unified diff
    #[arg(long)]
    diff: bool,
    /// Format the program on standard input and write it to standard output
    #[arg(long, conflicts_with = "inputs")]
    stdin: bool,
    /// Configuration file (default: somon.config.json or .somonrc found
    /// upward from the input); its `format` section sets the layout
    #[arg(long)]
    config: Option<PathBuf>,
    /// Language of diagnostics: en, tj, ru
    #[arg(long, value_parser = crate::parse_lang)]
    lang: Option<somon_diagnostics::Lang>,
}

/// The layout from the configuration found upward from `start` (or
/// `--config`); every configuration problem is printed and ends with exit 2.
fn layout(a: &FmtArgs, start: &Path, env: &Environment) -> Result<FormatOptions, Outcome> {
    let report = |errors: Vec<somon_config::ConfigError>| {
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "{}",
            somon_config::render_errors(&errors, env.lang, RenderOptions { color: env.color })
        );
        Outcome::exit(2)
    };
    let loaded =
        somon_config::find_and_load(&somon_config::RealFs, &env.cwd, start, a.config.as_deref())
            .map_err(report)?;
    let effective = somon_config::effective_config(
        loaded.as_ref(),
        &somon_config::EnvValues::default(),
        &somon_config::Overrides::default(),
        &env.cwd,
    )
    .map_err(report)?;
    let width = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
    Ok(FormatOptions {
        indent_width: width(effective.format.indent_width.value),
        line_width: width(effective.format.line_width.value),
    })
}

/// What formatting one file found.
enum Checked {
    Same,
    Changed { before: String, after: String },
    Broken(Vec<ResolvedDiagnostic>),
    Io(Message),
}

fn unified_diff(before: &str, after: &str, name: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(name, name)
        .to_string()
}

pub(crate) fn fmt_command(a: FmtArgs, env: &Environment) -> Outcome {
    let env = &Environment {
        lang: a.lang.unwrap_or(env.lang),
        ..env.clone()
    };
    if a.stdin {
        return fmt_stdin(&a, env);
    }
    let inputs: Vec<PathBuf> = if a.inputs.is_empty() {
        vec![env.cwd.clone()]
    } else {
        a.inputs.iter().map(|p| env.cwd.join(p)).collect()
    };
    if let Some(missing) = inputs.iter().find(|p| !p.exists()) {
        return usage_error(env, cannot_read(missing, env, &"no such file or folder"));
    }
    let start = inputs
        .first()
        .map(|p| {
            if p.is_dir() {
                p.clone()
            } else {
                p.parent().map(Path::to_path_buf).unwrap_or_default()
            }
        })
        .unwrap_or_else(|| env.cwd.clone());
    let options = match layout(&a, &start, env) {
        Ok(o) => o,
        Err(o) => return o,
    };
    let files = match somon_project::fs::collect_som_files(&inputs) {
        Ok(f) => f,
        Err(e) => return usage_error(env, cannot_read(&env.cwd, env, &e)),
    };
    let write = !a.check && !a.diff;
    let results: Vec<(PathBuf, Checked)> = files
        .par_iter()
        .map(|f| {
            let source = match read_input(&*env.files.0, f, env) {
                Ok(s) => s,
                Err(m) => return (f.clone(), Checked::Io(m)),
            };
            let checked = match somon_fmt::format(&source, &options) {
                Ok(out) if out == source => Checked::Same,
                Ok(out) => {
                    if write {
                        if let Err(e) = write_atomic(f, out.as_bytes()) {
                            return (f.clone(), Checked::Io(cannot_write(f, env, &e)));
                        }
                    }
                    Checked::Changed {
                        before: source,
                        after: out,
                    }
                }
                Err(d) => Checked::Broken(somon_diagnostics::resolve_all(
                    &d,
                    &display_path(f, env),
                    &source,
                    env.lang,
                )),
            };
            (f.clone(), checked)
        })
        .collect();
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    let mut changed = 0usize;
    let mut broken = Vec::new();
    let mut io_errors = 0usize;
    for (f, checked) in &results {
        match checked {
            Checked::Same => {}
            Checked::Changed { before, after } => {
                changed += 1;
                let shown = display_path(f, env);
                if a.diff {
                    let _ = write!(out, "{}", unified_diff(before, after, &shown));
                } else {
                    let _ = writeln!(out, "{shown}");
                }
            }
            Checked::Broken(d) => broken.extend(d.iter().cloned()),
            Checked::Io(m) => {
                io_errors += 1;
                print_error(&mut err, env, m);
            }
        }
    }
    print_diagnostics_to(&mut err, &broken, env, DiagnosticsFormat::Pretty);
    if io_errors > 0 {
        return Outcome::exit(2);
    }
    if !write && changed > 0 {
        print_error(&mut err, env, &Message::NotFormatted { count: changed });
        return Outcome::exit(1);
    }
    if !broken.is_empty() {
        return Outcome::exit(1);
    }
    if write {
        let _ = writeln!(
            err,
            "{} file(s) formatted, {} already formatted",
            changed,
            files.len() - changed
        );
    }
    Outcome::exit(0)
}

fn fmt_stdin(a: &FmtArgs, env: &Environment) -> Outcome {
    let options = match layout(a, &env.cwd, env) {
        Ok(o) => o,
        Err(o) => return o,
    };
    let mut source = String::new();
    if let Err(e) = std::io::stdin().lock().read_to_string(&mut source) {
        return usage_error(env, cannot_read(Path::new("<stdin>"), env, &e));
    }
    let mut out = std::io::stdout().lock();
    match somon_fmt::format(&source, &options) {
        Ok(formatted) => {
            if a.diff {
                let _ = write!(out, "{}", unified_diff(&source, &formatted, "<stdin>"));
            } else if !a.check {
                let _ = write!(out, "{formatted}");
            }
            if (a.check || a.diff) && formatted != source {
                if a.check {
                    let _ = writeln!(out, "<stdin>");
                }
                print_error(
                    &mut std::io::stderr().lock(),
                    env,
                    &Message::NotFormatted { count: 1 },
                );
                return Outcome::exit(1);
            }
            Outcome::exit(0)
        }
        Err(d) => {
            let resolved = somon_diagnostics::resolve_all(&d, "<stdin>", &source, env.lang);
            print_diagnostics_to(
                &mut std::io::stderr().lock(),
                &resolved,
                env,
                DiagnosticsFormat::Pretty,
            );
            Outcome::exit(1)
        }
    }
}
