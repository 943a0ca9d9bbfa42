//! Deterministic output (ARCHITECTURE.md, invariants): the same input and
//! options give byte-identical code and map, independent of the file's
//! folder and of threads. Checked over every `.som` file of the
//! conformance corpus.

use somon_compiler::{compile, CompileOptions, CompileOutput, SourceMapKind};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance")
}

/// Every corpus program as (path relative to the corpus, source), or
/// `None` with a note when the corpus is not there.
fn corpus() -> Option<Vec<(String, String)>> {
    let dir = corpus_dir();
    if !dir.is_dir() {
        eprintln!(
            "determinism: no conformance corpus at {}; skipped",
            dir.display()
        );
        return None;
    }
    let files = somon_fs::som_files_below(&somon_fs::RealFs, &dir);
    assert!(!files.is_empty(), "no .som files under {}", dir.display());
    Some(
        files
            .iter()
            .map(|p| {
                let rel = p
                    .strip_prefix(&dir)
                    .unwrap_or(p)
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes = std::fs::read(p).unwrap_or_default();
                (rel, String::from_utf8_lossy(&bytes).into_owned())
            })
            .collect(),
    )
}

fn options(file_name: &str) -> CompileOptions {
    let output = Path::new(file_name).with_extension("js");
    CompileOptions {
        file_name: file_name.to_string(),
        output_name: output.file_name().map(|n| n.to_string_lossy().to_string()),
        source_map: SourceMapKind::Separate,
        ..Default::default()
    }
}

/// The output, or the message of a panic (a compiler bug, reported by
/// `same_input_same_output`; the other tests compare what they can).
fn compile_file(name: &str, source: &str) -> Result<CompileOutput, String> {
    catch_unwind(AssertUnwindSafe(|| compile(source, &options(name)))).map_err(|payload| {
        somon_diagnostics::panic_text(payload.as_ref())
            .unwrap_or("(non-string panic payload)")
            .to_string()
    })
}

#[test]
fn same_input_same_output() {
    let Some(files) = corpus() else { return };
    let mut with_code = 0;
    let mut panics = Vec::new();
    for (name, source) in &files {
        let (first, second) = match (compile_file(name, source), compile_file(name, source)) {
            (Ok(first), Ok(second)) => (first, second),
            (Err(message), _) | (_, Err(message)) => {
                panics.push(format!("{name}: {message}"));
                continue;
            }
        };
        assert_eq!(first.code, second.code, "{name}: code differs between runs");
        assert_eq!(first.map, second.map, "{name}: map differs between runs");
        assert_eq!(first, second, "{name}: diagnostics differ between runs");
        if first.code.is_some() {
            assert!(first.map.is_some(), "{name}: code without a map");
            with_code += 1;
        }
    }
    eprintln!(
        "determinism: {} files, {with_code} with code, {} panicked",
        files.len(),
        panics.len()
    );
    assert!(with_code > 0, "no corpus file compiled");
    assert!(
        panics.is_empty(),
        "compile panicked (with a source map) on:\n{}",
        panics.join("\n")
    );
}

/// Replaces the map's `sources` so maps of differently named files compare.
fn map_without_sources(map: &str) -> serde_json::Value {
    let mut v: serde_json::Value =
        serde_json::from_str(map).unwrap_or_else(|e| panic!("the map is not JSON: {e}"));
    if let Some(o) = v.as_object_mut() {
        o.remove("sources");
    }
    v
}

#[test]
fn output_does_not_depend_on_the_folder() {
    let Some(files) = corpus() else { return };
    for (name, source) in &files {
        let a = compile_file(&format!("проект/src/{name}"), source);
        let b = compile_file(&format!("/tmp/бошқа/ҷой/src/{name}"), source);
        let (Ok(a), Ok(b)) = (a, b) else {
            continue; // a panic, reported by `same_input_same_output`
        };
        assert_eq!(a.code, b.code, "{name}: code depends on the folder");
        assert_eq!(
            a.map.as_deref().map(map_without_sources),
            b.map.as_deref().map(map_without_sources),
            "{name}: map (apart from `sources`) depends on the folder"
        );
        let strip = |o: &CompileOutput| -> Vec<_> {
            o.diagnostics
                .iter()
                .map(|d| (d.code, d.line, d.column, d.message.clone()))
                .collect()
        };
        assert_eq!(
            strip(&a),
            strip(&b),
            "{name}: diagnostics depend on the folder"
        );
    }
}

#[test]
fn threads_give_the_single_threaded_output() {
    let Some(files) = corpus() else { return };
    let single: Vec<_> = files.iter().map(|(n, s)| compile_file(n, s)).collect();
    // Both threads compile every file, in opposite orders, so each file is
    // compiled while the other thread compiles something else.
    let (forward, backward) = std::thread::scope(|scope| {
        let forward = scope.spawn(|| {
            files
                .iter()
                .map(|(n, s)| compile_file(n, s))
                .collect::<Vec<_>>()
        });
        let backward = scope.spawn(|| {
            let mut v: Vec<_> = files
                .iter()
                .rev()
                .map(|(n, s)| compile_file(n, s))
                .collect();
            v.reverse();
            v
        });
        (forward.join(), backward.join())
    });
    let (Ok(forward), Ok(backward)) = (forward, backward) else {
        panic!("a compiling thread panicked");
    };
    for (i, (name, _)) in files.iter().enumerate() {
        assert_eq!(forward[i], single[i], "{name}: thread 1 differs");
        assert_eq!(backward[i], single[i], "{name}: thread 2 differs");
    }
}

/// A large module is lexed on a thread of its own while the parser reads
/// its tokens in chunks: the same tree and diagnostics as lexing it all
/// first, for every corpus program and for two cut-short copies of it
/// (unterminated strings, comments and templates), with every token
/// boundary (chunks of one token) and a few others as chunk boundaries,
/// and for the whole corpus as one text (longer than the parser's
/// look-ahead, so that it reads on while it parses).
#[test]
fn lexing_in_chunks_gives_the_same_parse() {
    let Some(files) = corpus() else {
        return;
    };
    let mut failures = Vec::new();
    for (name, source) in &files {
        let cut = |fraction: usize| {
            let mut at = source.len() * fraction / 3;
            while !source.is_char_boundary(at) {
                at -= 1;
            }
            &source[..at]
        };
        for (variant, text) in [
            ("whole", source.as_str()),
            ("first third", cut(1)),
            ("two thirds", cut(2)),
        ] {
            for chunk in [1, 2, 7] {
                if let Some(difference) = somon_syntax::chunked_parse_difference(text, chunk) {
                    failures.push(format!("{name} ({variant}): {difference}"));
                }
            }
        }
    }
    // All of them in one text: far more tokens than the parser holds
    // ahead, so chunks arrive while it parses.
    let joined: String = files
        .iter()
        .map(|(_, source)| format!("{source}\n"))
        .collect();
    if let Some(difference) = somon_syntax::chunked_parse_difference(&joined, 64) {
        failures.push(format!("the corpus joined into one text: {difference}"));
    }
    assert!(
        failures.is_empty(),
        "{} difference(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A module compiled statement by statement (as a large one is: see
/// `somon_compiler::compile_streamed`) gives exactly what the whole
/// pipeline gives — code, map and diagnostics — for every corpus program,
/// in several output settings; the ones that cannot be streamed fall back
/// to the whole pipeline, and most can.
#[test]
fn statement_by_statement_gives_the_whole_output() {
    use somon_compiler::{ModuleKind, Target};
    let Some(files) = corpus() else { return };
    type Variant = (&'static str, fn(&mut CompileOptions));
    let variants: [Variant; 5] = [
        ("es2020 CommonJS, separate map", |_| {}),
        ("ES module", |o| o.module = ModuleKind::Esm),
        ("es2022, inline map", |o| {
            o.target = Target::Es2022;
            o.source_map = SourceMapKind::Inline;
        }),
        ("esnext ES module, no map", |o| {
            o.target = Target::EsNext;
            o.module = ModuleKind::Esm;
            o.source_map = SourceMapKind::None;
        }),
        ("no type check", |o| o.type_check = false),
    ];
    let mut streamed = 0;
    let mut compiled = 0;
    let mut failures = Vec::new();
    for (name, source) in &files {
        for (label, change) in &variants {
            let mut opts = options(name);
            change(&mut opts);
            let whole = catch_unwind(AssertUnwindSafe(|| compile(source, &opts)));
            let timed = CompileOptions {
                timings: true,
                ..opts.clone()
            };
            let each = somon_compiler::with_streaming_at_every_size(|| {
                catch_unwind(AssertUnwindSafe(|| compile(source, &timed)))
            });
            let (Ok(whole), Ok(each)) = (whole, each) else {
                failures.push(format!("{name} ({label}): a panic"));
                continue;
            };
            compiled += 1;
            if each
                .timings
                .iter()
                .any(|(stage, _)| stage.contains("each statement"))
            {
                streamed += 1;
            }
            let renamed_only = match (&whole.code, &each.code) {
                (Some(a), Some(b)) => {
                    a != b && without_name_suffixes(a) == without_name_suffixes(b)
                }
                _ => false,
            };
            if renamed_only {
                // See `without_name_suffixes`.
                continue;
            }
            if whole.code != each.code {
                failures.push(format!(
                    "{name} ({label}): code differs\n--- whole\n{}\n--- statement by statement\n{}",
                    whole.code.unwrap_or_default(),
                    each.code.unwrap_or_default()
                ));
            } else if whole.map != each.map {
                failures.push(format!(
                    "{name} ({label}): map differs\n  whole: {}\n  statement by statement: {}",
                    whole.map.unwrap_or_default(),
                    each.map.unwrap_or_default()
                ));
            } else if whole.diagnostics != each.diagnostics {
                failures.push(format!(
                    "{name} ({label}): diagnostics differ\n  whole: {:?}\n  statement by statement: {:?}",
                    whole.diagnostics, each.diagnostics
                ));
            }
        }
    }
    eprintln!("statement by statement: {streamed} of {compiled} compiles streamed");
    assert!(
        failures.is_empty(),
        "{} difference(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        streamed * 2 > compiled,
        "only {streamed} of {compiled} compiles went statement by statement"
    );
}

/// `code` with the digits that end names dropped. The one difference a
/// module compiled statement by statement may show: swc's `hygiene`
/// renames a local binding (`а` → `а1`) that has the name of a free one
/// (a global) used anywhere in the module, and a statement on its own
/// only sees the free names it uses itself — renames the whole module
/// makes where the global is not in the local's scope, so not needed.
/// (Only where no type error stops the output: globals such as `process`,
/// or with the type check off.)
fn without_name_suffixes(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(word.trim_end_matches(|c: char| c.is_ascii_digit()));
        word.clear();
    };
    for c in code.chars() {
        if c.is_alphanumeric() || c == '_' || c == '$' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}
