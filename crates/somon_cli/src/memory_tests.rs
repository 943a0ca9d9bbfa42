//! Commands run over an in-memory tree ([`MemoryFs`] in the environment's
//! [`Files`]): every input, import, asset and output goes through the one
//! file-system trait, so nothing here touches the disk (the project folder
//! does not exist on it).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use somon_project::fs::{FileSystem, MemoryFs};

use crate::{run, Environment, Files};

/// A project folder that is not on the disk.
const ROOT: &str = "/somon-memory-test-project";

fn project(files: &[(&str, &str)]) -> Arc<MemoryFs> {
    let fs = MemoryFs::default();
    for (path, text) in files {
        fs.try_insert(format!("{ROOT}/{path}"), *text)
            .unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    Arc::new(fs)
}

fn env(fs: &Arc<MemoryFs>) -> Environment {
    Environment {
        cwd: PathBuf::from(ROOT),
        files: Files(fs.clone()),
        ..Environment::default()
    }
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_string()).collect()
}

fn text(fs: &MemoryFs, path: &str) -> Option<String> {
    fs.read_to_string(Path::new(&format!("{ROOT}/{path}"))).ok()
}

const MAIN: &str = "ворид { ҷамъ } аз \"./lib\";\nворид танзим аз \"./танзим.json\";\nворид ёрдам аз \"./ёрдам.js\";\nчоп.сабт(ҷамъ(1, 2), танзим.ном, ёрдам);\n";
const LIB: &str = "содир функсия ҷамъ(а: рақам, б: рақам): рақам {\n  бозгашт а + б;\n}\n";
const JSON: &str = "{ \"ном\": \"барнома\" }\n";
const HELPER: &str = "module.exports = 42;\n";

fn sample() -> Arc<MemoryFs> {
    project(&[
        ("src/main.som", MAIN),
        ("src/lib.som", LIB),
        ("src/танзим.json", JSON),
        ("src/ёрдам.js", HELPER),
    ])
}

#[test]
fn compile_reads_inputs_and_copies_assets_in_memory() {
    let fs = sample();
    let out = run(&args(&["compile", "src", "--out-dir", "dist"]), &env(&fs));
    assert_eq!(out.exit_code, 0);
    assert!(!Path::new(ROOT).exists(), "nothing was written to the disk");
    let main = text(&fs, "dist/main.js").unwrap_or_default();
    assert!(main.contains("require(\"./lib"), "{main}");
    assert!(text(&fs, "dist/lib.js").is_some_and(|t| t.contains("ҷамъ")));
    // The imported JSON and JavaScript files went along, byte for byte.
    assert_eq!(text(&fs, "dist/танзим.json").as_deref(), Some(JSON));
    assert_eq!(text(&fs, "dist/ёрдам.js").as_deref(), Some(HELPER));
    // The inputs are as they were.
    assert_eq!(text(&fs, "src/main.som").as_deref(), Some(MAIN));
}

#[test]
fn compile_never_writes_over_a_file_read_from_memory() {
    let fs = sample();
    // `-o` naming the module the entry imports: OUTPUT_IS_INPUT, and the
    // module keeps its text.
    let out = run(
        &args(&["compile", "src/main.som", "-o", "src/lib.som"]),
        &env(&fs),
    );
    assert_ne!(out.exit_code, 0);
    assert_eq!(text(&fs, "src/lib.som").as_deref(), Some(LIB));
    // The same for an imported JSON file.
    let out = run(
        &args(&["compile", "src/main.som", "-o", "src/танзим.json"]),
        &env(&fs),
    );
    assert_ne!(out.exit_code, 0);
    assert_eq!(text(&fs, "src/танзим.json").as_deref(), Some(JSON));
}

#[test]
fn a_missing_input_in_memory_is_a_read_error() {
    let fs = sample();
    let out = run(&args(&["compile", "src/нест.som"]), &env(&fs));
    assert_eq!(out.exit_code, 2);
    assert!(text(&fs, "src/нест.js").is_none());
}

#[test]
fn bundle_reads_the_entry_and_writes_the_bundle_in_memory() {
    let fs = sample();
    let out = run(
        &args(&["bundle", "src/main.som", "-o", "dist/app.js"]),
        &env(&fs),
    );
    assert_eq!(out.exit_code, 0);
    let bundle = text(&fs, "dist/app.js").unwrap_or_default();
    assert!(
        bundle.contains("бозгашт") || bundle.contains("return"),
        "{bundle}"
    );
    assert!(
        bundle.contains("барнома"),
        "the JSON module is in the bundle"
    );
    // An output naming an input is refused.
    let out = run(
        &args(&["bundle", "src/main.som", "-o", "src/ёрдам.js"]),
        &env(&fs),
    );
    assert_ne!(out.exit_code, 0);
    assert_eq!(text(&fs, "src/ёрдам.js").as_deref(), Some(HELPER));
}

#[test]
fn watch_hashes_read_through_the_file_system_without_recording() {
    let fs = sample();
    let tracked = crate::inputs::Tracked::new(None, Files(fs.clone()));
    let main = PathBuf::from(format!("{ROOT}/src/main.som"));
    let before = crate::watch::content_hash(&tracked, &main);
    assert!(before.is_some());
    fs.try_insert(&main, format!("{MAIN}// тағйир\n"))
        .unwrap_or_else(|e| panic!("{e}"));
    let after = crate::watch::content_hash(&tracked, &main);
    assert!(after.is_some() && after != before);
    assert!(tracked.reads().is_empty(), "hashing is not a build's read");
    // A build's read is recorded.
    assert!(tracked.read(&main).is_ok());
    assert_eq!(tracked.reads(), vec![main]);
}
