//! What `somon bundle` reports about a written bundle: the metafile
//! (`--metafile`), the largest modules and why each is included
//! (`--analyze`).

use crate::{display_path, fsutil, streams, Environment};
use somon_diagnostics::Message;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The reporting a bundle asked for.
#[derive(Clone, Debug, Default)]
pub(crate) struct ReportOptions {
    /// Where to write the metafile (absolute).
    pub(crate) metafile: Option<PathBuf>,
    pub(crate) analyze: bool,
}

/// A size as esbuild prints it: bytes, else kilobytes with one decimal.
pub(crate) fn size(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} b")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} kb", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} mb", bytes as f64 / (1024.0 * 1024.0))
    }
}

/// The metafile of a written bundle: `output` (its size as written, with
/// the `sourceMappingURL` comment) and `map` when there is one.
pub(crate) fn metafile_text(
    result: &somon_project::BundleOutput,
    output: &Path,
    map: Option<&Path>,
    env: &Environment,
) -> String {
    let len = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len() as usize);
    crate::api::metafile(result, Some(output), len(output), map.map(len), &env.cwd)
}

/// Writes the metafile (never over a file the build read).
pub(crate) fn write_metafile(
    path: &Path,
    text: &str,
    read: &fsutil::ReadFiles,
) -> Result<(), fsutil::WriteError> {
    if let Some(input) = read.replaced_by(path) {
        return Err(fsutil::WriteError::IsInput {
            output: path.to_path_buf(),
            input: input.to_path_buf(),
        });
    }
    fsutil::write_atomic(path, text.as_bytes())
        .map_err(|e| fsutil::WriteError::Io(path.to_path_buf(), e))
}

/// `--analyze`: the bundle, then each module (largest first) with its
/// share and the chain of imports from the entry, then the bytes that
/// belong to no module.
pub(crate) fn print_analysis(
    result: &somon_project::BundleOutput,
    output: &Path,
    env: &Environment,
) {
    let total = std::fs::metadata(output).map_or(0, |m| m.len());
    let share = |bytes: u64| {
        if total == 0 {
            "0.0%".to_string()
        } else {
            format!("{:.1}%", bytes as f64 * 100.0 / total as f64)
        }
    };
    let mut out = streams::stdout();
    let _ = writeln!(
        out,
        "\n  {}",
        Message::AnalyzeOutput {
            path: display_path(output, env),
            size: size(total),
        }
        .render(env.lang)
    );
    let rows = somon_project::metafile::analyze(result, total as usize);
    for row in &rows {
        let _ = writeln!(
            out,
            "   ├ {}",
            Message::AnalyzeModule {
                path: somon_diagnostics::escape_control(&row.path).into_owned(),
                size: size(row.bytes as u64),
                share: share(row.bytes as u64),
            }
            .render(env.lang)
        );
        let why = if row.chain.len() <= 1 {
            Message::AnalyzeEntry
        } else {
            Message::AnalyzeChain {
                chain: somon_diagnostics::escape_control(&row.chain.join(" → ")).into_owned(),
            }
        };
        let _ = writeln!(out, "   │  └ {}", why.render(env.lang));
    }
    let in_modules: u64 = rows.iter().map(|r| r.bytes as u64).sum();
    let rest = total.saturating_sub(in_modules);
    let _ = writeln!(
        out,
        "   └ {}\n",
        Message::AnalyzeRuntime {
            size: size(rest),
            share: share(rest),
        }
        .render(env.lang)
    );
}
