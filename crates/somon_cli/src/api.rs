//! What the Node.js API (`src/lib.rs`) shares with the command line:
//! where a compiled file goes, writing outputs with the same protections
//! (never over a file the build read, never over a read-only file,
//! atomically, with the `sourceMappingURL` comment), and the rendering of
//! diagnostics.

use crate::{display_path, fsutil, write_error, Environment};
use somon_diagnostics::Message;
use std::path::{Path, PathBuf};

pub use crate::format_diagnostics;
pub use somon_config::closest;

/// The folder output paths mirror: the common ancestor of the folders
/// given and of the folders of the files given (as `somon compile` does).
pub fn input_root(inputs: &[PathBuf]) -> PathBuf {
    let roots: Vec<PathBuf> = inputs
        .iter()
        .map(|p| {
            let p = fsutil::normalize(p);
            if p.is_dir() {
                p
            } else {
                p.parent().map(Path::to_path_buf).unwrap_or_default()
            }
        })
        .collect();
    fsutil::common_ancestor(&roots)
}

/// Where `file` (below `root`) is compiled to: next to it, or under
/// `out_dir` at the same place relative to `root`, with `.js`.
pub fn output_path(file: &Path, root: &Path, out_dir: Option<&Path>) -> PathBuf {
    match out_dir {
        Some(dir) => fsutil::normalize(dir)
            .join(file.strip_prefix(root).unwrap_or(file))
            .with_extension("js"),
        None => file.with_extension("js"),
    }
}

/// Where the separate source map of `output` goes (`<output>.map`).
pub fn map_path(output: &Path) -> PathBuf {
    fsutil::map_path(output)
}

/// `path` relative to the folder `from`, with `/` separators.
pub fn relative(from: &Path, path: &Path) -> String {
    fsutil::relative_path(from, path)
}

/// Writes `code` (and `map` beside it, named by a `sourceMappingURL`
/// comment) to `output` atomically, unless that would replace one of
/// `read` or a read-only file: then the catalogue message saying why,
/// with paths shown relative to `cwd`.
pub fn write_output(
    output: &Path,
    code: String,
    map: Option<&str>,
    read: &[PathBuf],
    cwd: &Path,
) -> Result<(), Message> {
    let mut files = fsutil::ReadFiles::default();
    files.extend(read);
    let env = Environment {
        cwd: cwd.to_path_buf(),
        ..Environment::default()
    };
    fsutil::write_output(&*env.files.0, output, code, map, false, &files)
        .map_err(|e| write_error(e, &env))
}

/// The message for an output that would replace an input, checked before
/// any work.
pub fn output_is_input(output: &Path, input: &Path, cwd: &Path) -> Message {
    let env = Environment {
        cwd: cwd.to_path_buf(),
        ..Environment::default()
    };
    Message::OutputIsInput {
        path: display_path(output, &env),
        input: display_path(input, &env),
    }
}

/// The metafile (esbuild's shape, JSON text) of a bundle whose code is
/// `code_bytes` long and is (or would be) written to `output` (paths shown
/// relative to `cwd`; `<stdout>` without an output), with its separate
/// map when there is one.
pub fn metafile(
    result: &somon_project::BundleOutput,
    output: Option<&Path>,
    code_bytes: usize,
    map_bytes: Option<usize>,
    cwd: &Path,
) -> String {
    let shown = |p: &Path| crate::inputs::shown(p, cwd);
    let code_path = output.map_or_else(|| "<stdout>".to_string(), shown);
    let mut outputs = Vec::new();
    if let Some(bytes) = map_bytes {
        outputs.push(somon_project::metafile::OutputFile {
            path: output.map_or_else(|| "<stdout>.map".to_string(), |o| shown(&map_path(o))),
            bytes,
            code: false,
        });
    }
    outputs.push(somon_project::metafile::OutputFile {
        path: code_path,
        bytes: code_bytes,
        code: true,
    });
    somon_project::metafile::metafile_json(result, &outputs)
}
