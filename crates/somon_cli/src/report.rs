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
    /// Compressed copies to write next to the bundle.
    pub(crate) precompress: Vec<Precompress>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Codec {
    Gzip,
    Brotli,
}

/// One compressed copy of each output: `.gz` or `.br`, at a level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Precompress {
    pub(crate) codec: Codec,
    pub(crate) level: u32,
}

impl Precompress {
    fn extension(self) -> &'static str {
        match self.codec {
            Codec::Gzip => "gz",
            Codec::Brotli => "br",
        }
    }

    fn label(self) -> &'static str {
        match self.codec {
            Codec::Gzip => "gzip",
            Codec::Brotli => "br",
        }
    }

    /// `bytes` compressed (deterministic: a gzip header without a time or
    /// a name).
    pub(crate) fn compress(self, bytes: &[u8]) -> std::io::Result<Vec<u8>> {
        use std::io::Write;
        match self.codec {
            Codec::Gzip => {
                let mut e = flate2::GzBuilder::new().write(
                    Vec::with_capacity(bytes.len() / 3),
                    flate2::Compression::new(self.level),
                );
                e.write_all(bytes)?;
                e.finish()
            }
            Codec::Brotli => {
                let mut out = Vec::with_capacity(bytes.len() / 3);
                let params = brotli::enc::BrotliEncoderParams {
                    quality: self.level as i32,
                    ..Default::default()
                };
                brotli::BrotliCompress(&mut std::io::Cursor::new(bytes), &mut out, &params)?;
                Ok(out)
            }
        }
    }
}

/// `--precompress` values: `gzip`, `br` (or `brotli`), each with an
/// optional `=level` (gzip 0–9, default 9; brotli 0–11, default 11). The
/// value that is not one of them is the error; each codec once.
pub(crate) fn parse_precompress(values: &[String]) -> Result<Vec<Precompress>, String> {
    let mut out: Vec<Precompress> = Vec::new();
    for v in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        let (name, level) = match v.split_once('=') {
            Some((n, l)) => (n.trim(), Some(l.trim())),
            None => (v, None),
        };
        let (codec, max) = match name {
            "gzip" | "gz" => (Codec::Gzip, 9),
            "br" | "brotli" => (Codec::Brotli, 11),
            _ => return Err(v.to_string()),
        };
        let level = match level {
            None => max,
            Some(l) => match l.parse::<u32>() {
                Ok(n) if n <= max => n,
                _ => return Err(v.to_string()),
            },
        };
        match out.iter_mut().find(|p| p.codec == codec) {
            Some(p) => p.level = level,
            None => out.push(Precompress { codec, level }),
        }
    }
    Ok(out)
}

/// `<output>.gz` / `<output>.br`.
fn compressed_path(output: &Path, p: Precompress) -> PathBuf {
    let mut name = output.as_os_str().to_os_string();
    name.push(".");
    name.push(p.extension());
    PathBuf::from(name)
}

/// Writes the compressed copies of the written bundle `output` (each
/// atomically, never over a file the build read) and returns the summary
/// of sizes (`gzip 1.2 kb, br 1.0 kb`) and the files written. Source maps
/// are not compressed: only developer tools fetch them.
pub(crate) fn write_precompressed(
    output: &Path,
    opts: &[Precompress],
    read: &fsutil::ReadFiles,
) -> Result<(String, Vec<PathBuf>), fsutil::WriteError> {
    let bytes =
        std::fs::read(output).map_err(|e| fsutil::WriteError::Io(output.to_path_buf(), e))?;
    let mut sizes = Vec::new();
    let mut written = Vec::new();
    for p in opts {
        let path = compressed_path(output, *p);
        fsutil::check_writable(&path, read)?;
        let packed = p
            .compress(&bytes)
            .map_err(|e| fsutil::WriteError::Io(path.clone(), e))?;
        fsutil::write_atomic(&path, &packed)
            .map_err(|e| fsutil::WriteError::Io(path.clone(), e))?;
        sizes.push(format!("{} {}", p.label(), size(packed.len() as u64)));
        written.push(path);
    }
    Ok((sizes.join(", "), written))
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
    let rows = somon_project::metafile::analyze(result, total as usize);
    print_rows(output, total, &rows, env);
}

/// One output's `--analyze` lines.
fn print_rows(
    output: &Path,
    total: u64,
    rows: &[somon_project::metafile::AnalyzedModule],
    env: &Environment,
) {
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
    for row in rows {
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

/// A chunk of a split build as written (its code and map dropped).
pub(crate) struct WrittenChunk {
    pub(crate) path: PathBuf,
    pub(crate) map: Option<PathBuf>,
    pub(crate) chunk: somon_project::Chunk,
}

/// Each chunk with its compressed sizes, and every file written.
pub(crate) type SplitReports = (Vec<(PathBuf, String)>, Vec<PathBuf>);

/// The reports of a split build: compressed copies of each chunk (not of
/// maps), and the metafile with one output per chunk and map. Returns
/// each chunk's compressed sizes (for the summary) and the files written.
pub(crate) fn split_reports(
    chunks: &[WrittenChunk],
    result: &somon_project::BundleOutput,
    report: &ReportOptions,
    read: &fsutil::ReadFiles,
    env: &Environment,
) -> Result<SplitReports, fsutil::WriteError> {
    let mut sizes = Vec::new();
    let mut files = Vec::new();
    if !report.precompress.is_empty() {
        for c in chunks {
            let (summary, mut written) = write_precompressed(&c.path, &report.precompress, read)?;
            files.append(&mut written);
            sizes.push((c.path.clone(), summary));
        }
    }
    if let Some(meta) = &report.metafile {
        let text = split_metafile_text(chunks, result, &env.cwd);
        write_metafile(meta, &text, read)?;
        files.push(meta.clone());
    }
    Ok((sizes, files))
}

/// esbuild's metafile of a split build: each chunk (after its map, as
/// esbuild lists them) with the chunks it imports (`import-statement`,
/// `dynamic-import`), its exports, `entryPoint` for an entry's chunk and
/// the bytes of each module in it.
fn split_metafile_text(
    chunks: &[WrittenChunk],
    result: &somon_project::BundleOutput,
    cwd: &Path,
) -> String {
    use somon_project::metafile::{OutputImport, OutputReport};
    let shown = |p: &Path| crate::inputs::shown(p, cwd);
    let len = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len() as usize);
    let paths: Vec<(String, Option<String>)> = chunks
        .iter()
        .map(|c| (shown(&c.path), c.map.as_deref().map(shown)))
        .collect();
    let imports: Vec<Vec<OutputImport>> = chunks
        .iter()
        .map(|c| {
            let dir = c.path.parent().unwrap_or(Path::new(""));
            c.chunk
                .imports
                .iter()
                .map(|(file, dynamic)| OutputImport {
                    path: shown(&fsutil::normalize(
                        &dir.join(relative_to(&c.chunk.file, file)),
                    )),
                    kind: if *dynamic {
                        "dynamic-import"
                    } else {
                        "import-statement"
                    },
                    external: false,
                })
                .collect()
        })
        .collect();
    let mut outputs: Vec<OutputReport<'_>> = Vec::new();
    for ((c, (path, map)), imports) in chunks.iter().zip(&paths).zip(&imports) {
        if let (Some(map), Some(map_path)) = (map, &c.map) {
            outputs.push(OutputReport {
                path: map,
                bytes: len(map_path),
                imports: &[],
                exports: &[],
                entry_point: None,
                inputs: &[],
            });
        }
        outputs.push(OutputReport {
            path,
            bytes: len(&c.path),
            imports,
            exports: &c.chunk.exports,
            entry_point: c.chunk.entry_point.as_deref(),
            inputs: &c.chunk.module_bytes,
        });
    }
    somon_project::metafile::metafile_of(result, &outputs)
}

/// The path of chunk file `to` from the folder of chunk file `from` (both
/// relative to the output folder, `/`-separated).
fn relative_to(from: &str, to: &str) -> PathBuf {
    let depth = from.matches('/').count();
    let mut p = PathBuf::new();
    for _ in 0..depth {
        p.push("..");
    }
    p.join(to)
}

/// `--analyze` of a split build: each chunk with its modules, as
/// [`print_analysis`] prints one bundle.
pub(crate) fn print_split_analysis(
    result: &somon_project::BundleOutput,
    chunks: &[WrittenChunk],
    env: &Environment,
) {
    let roots: Vec<&str> = chunks
        .iter()
        .filter_map(|c| c.chunk.entry_point.as_deref())
        .collect();
    for c in chunks {
        let total = std::fs::metadata(&c.path).map_or(0, |m| m.len());
        let rows = somon_project::metafile::analyze_bytes(
            result,
            &c.chunk.module_bytes,
            total as usize,
            &roots,
        );
        print_rows(&c.path, total, &rows, env);
    }
}
