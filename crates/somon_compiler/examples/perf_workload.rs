//! The fixed compile workload of the performance gate
//! (`scripts/perf-gate.mjs`, run under `valgrind --tool=cachegrind`, which
//! counts the instructions it executes).
//!
//!   perf_workload FILE.som…
//!
//! Each file is compiled twice, as the benchmark compiles it (es2020,
//! CommonJS, type checker on, no map) and for es2015 as an ES module with
//! a source map (more compat passes, the map), and must compile without
//! errors. `SOMON_PERF_GATE_EXTRA_LEX=N` lexes each file N more times: a
//! deliberately slowed workload, only for testing that the gate fails.

use somon_compiler::{compile, CompileOptions, ModuleKind, SourceMapKind, Target};
use std::process::ExitCode;

fn main() -> ExitCode {
    let extra: usize = std::env::var("SOMON_PERF_GATE_EXTRA_LEX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: perf_workload FILE.som…");
        return ExitCode::from(2);
    }
    let configurations = [
        CompileOptions::default(),
        CompileOptions {
            target: Target::Es2015,
            module: ModuleKind::Esm,
            source_map: SourceMapKind::Separate,
            ..Default::default()
        },
    ];
    let mut output_bytes = 0usize;
    for file in &files {
        let source = match std::fs::read_to_string(file) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("perf_workload: {file}: {e}");
                return ExitCode::from(2);
            }
        };
        for options in &configurations {
            let options = CompileOptions {
                file_name: file.clone(),
                ..options.clone()
            };
            let out = compile(&source, &options);
            let Some(code) = out.code else {
                eprintln!(
                    "perf_workload: {file} did not compile ({} diagnostics)",
                    out.diagnostics.len()
                );
                return ExitCode::FAILURE;
            };
            output_bytes += code.len() + out.map.map_or(0, |m| m.len());
        }
        for _ in 0..extra {
            output_bytes += lex_once(&source);
        }
    }
    println!(
        "perf_workload: {} file(s), {output_bytes} bytes out",
        files.len()
    );
    ExitCode::SUCCESS
}

/// The deliberate slowdown: one more lexing pass over `source`.
fn lex_once(source: &str) -> usize {
    somon_syntax::lexer::tokenize(source).tokens.len()
}
