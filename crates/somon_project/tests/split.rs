//! Code splitting: the chunks of a build with two `import()` targets and
//! two entries, the same from any folder and thread count; chunk names
//! change with the content of the chunks they reach.

use somon_emit::{EmitOptions, SourceMapKind};
use somon_project::fs::MemoryFs;
use somon_project::{bundle_split, BundleFormat, BundleOutput, BundleRequest, Chunk, SplitRequest};
use std::path::PathBuf;

fn request(root: &str) -> BundleRequest {
    BundleRequest {
        output: Some(PathBuf::from(format!("{root}/dist/main.js"))),
        emit: EmitOptions {
            source_map: SourceMapKind::Separate,
            output_name: Some("main.js".into()),
            ..EmitOptions::default()
        },
        ..BundleRequest::new(
            PathBuf::from(format!("{root}/main.som")),
            PathBuf::from(root),
            BundleFormat::Esm,
        )
    }
}

fn files(shared: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "main.som",
            "ҳамзамон функсия асосӣ() {\n  собит а = интизор ворид(\"./а\");\n  собит б = интизор ворид(\"./б\");\n  чоп.сабт(а.кор(), б.кор());\n}\nасосӣ();\n".into(),
        ),
        (
            "а.som",
            "ворид { ёрдам } аз \"./ёрӣ\";\nсодир функсия кор(): сатр {\n  бозгашт ёрдам(\"а\");\n}\n".into(),
        ),
        (
            "б.som",
            "ворид { ёрдам } аз \"./ёрӣ\";\nсодир функсия кор(): сатр {\n  бозгашт ёрдам(\"б\");\n}\n".into(),
        ),
        (
            "ёрӣ.som",
            format!("содир функсия ёрдам(х: сатр): сатр {{\n  бозгашт \"{shared}\" + х;\n}}\nсодир функсия нолозим(): сатр {{\n  бозгашт \"НОЛОЗИМ\";\n}}\n"),
        ),
        (
            "дигар.som",
            "ворид { ёрдам } аз \"./ёрӣ\";\nчоп.сабт(ёрдам(\"д\"));\n".into(),
        ),
        ("кӯҳна.js", "module.exports = 1;\n".into()),
        (
            "бад.som",
            "ворид х аз \"./кӯҳна.js\";\nчоп.сабт(х);\n".into(),
        ),
    ]
}

fn split_in(root: &str, threads: usize, shared: &str, more: &[&str]) -> (BundleOutput, Vec<Chunk>) {
    let files = files(shared);
    let fs = MemoryFs::new(
        files
            .iter()
            .map(|(p, t)| (format!("{root}/{p}"), t.clone()))
            .collect::<Vec<_>>()
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str())),
    );
    let split = SplitRequest {
        more_entries: more
            .iter()
            .map(|m| PathBuf::from(format!("{root}/{m}")))
            .collect(),
        chunk_names: String::new(),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap_or_else(|e| panic!("thread pool: {e}"));
    pool.install(|| bundle_split(&request(root), &split, &fs))
}

fn names(chunks: &[Chunk]) -> Vec<String> {
    chunks.iter().map(|c| c.file.clone()).collect()
}

#[test]
fn two_dynamic_imports_and_a_shared_module_make_four_chunks() {
    let (out, chunks) = split_in("/а", 1, "ЁРДАМ:", &[]);
    assert!(
        chunks.len() == 4,
        "{:?} {:?}",
        names(&chunks),
        out.diagnostics
    );
    let files = names(&chunks);
    assert_eq!(files.first().map(String::as_str), Some("main.js"));
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("а-") && f.ends_with(".js")),
        "{files:?}"
    );
    assert!(files.iter().any(|f| f.starts_with("б-")), "{files:?}");
    assert!(files.iter().any(|f| f.starts_with("chunk-")), "{files:?}");
    // The shared module's code once, its unused function nowhere.
    let all: String = chunks.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(all.matches("ЁРДАМ:").count(), 1, "{all}");
    assert!(!all.contains("НОЛОЗИМ"), "{all}");
    assert!(chunks.iter().all(|c| c.map.is_some()));
    for (threads, root) in [(2, "/а"), (2, "/дигар/ҷой")] {
        let (_, other) = split_in(root, threads, "ЁРДАМ:", &[]);
        assert_eq!(names(&chunks), names(&other));
        for (a, b) in chunks.iter().zip(&other) {
            assert_eq!(a.code, b.code);
            assert_eq!(a.map, b.map);
        }
    }
}

#[test]
fn a_chunk_name_changes_with_a_chunk_it_imports() {
    let (_, before) = split_in("/а", 1, "ЁРДАМ:", &[]);
    let (_, after) = split_in("/а", 1, "ЁРДАМИ_НАВ:", &[]);
    let find = |chunks: &[Chunk], prefix: &str| {
        chunks
            .iter()
            .find(|c| c.file.starts_with(prefix))
            .map(|c| (c.file.clone(), c.code.clone()))
            .unwrap_or_default()
    };
    // а's own text is the same but for the name of the shared chunk it
    // imports: its name changes all the same.
    let (a1, _) = find(&before, "а-");
    let (a2, _) = find(&after, "а-");
    let (s1, _) = find(&before, "chunk-");
    let (s2, _) = find(&after, "chunk-");
    assert_ne!(s1, s2);
    assert_ne!(a1, a2);
    // The entry keeps its name.
    assert_eq!(find(&after, "main").0, "main.js");
}

#[test]
fn two_entries_share_a_chunk() {
    let (out, chunks) = split_in("/а", 2, "ЁРДАМ:", &["дигар.som"]);
    let files = names(&chunks);
    assert!(
        files.contains(&"main.js".to_string()),
        "{files:?} {:?}",
        out.diagnostics
    );
    assert!(files.contains(&"дигар.js".to_string()), "{files:?}");
    let other = chunks
        .iter()
        .find(|c| c.file == "дигар.js")
        .map(|c| c.code.clone())
        .unwrap_or_default();
    assert!(
        other.contains("import { ёрдам } from \"./chunk-"),
        "{other}"
    );
    let all: String = chunks.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(all.matches("ЁРДАМ:").count(), 1, "{all}");
}

#[test]
fn a_commonjs_module_is_a_factory_in_a_chunk_of_its_own() {
    let (out, chunks) = split_in("/а", 1, "ЁРДАМ:", &["бад.som"]);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let tables: Vec<&Chunk> = chunks
        .iter()
        .filter(|c| c.code.contains("var __somon_modules = "))
        .collect();
    assert_eq!(tables.len(), 1, "{:?}", names(&chunks));
    let table = tables.first().map(|c| c.file.clone()).unwrap_or_default();
    assert!(table.starts_with("chunk-"), "{table}");
    let bad = chunks
        .iter()
        .find(|c| c.file == "бад.js")
        .map(|c| c.code.clone())
        .unwrap_or_default();
    assert!(
        bad.contains(&format!("import {{ __somon_load }} from \"./{table}\"")),
        "{bad}"
    );
    assert!(bad.contains("__somon_load(\"кӯҳна.js\", null)"), "{bad}");
}

#[test]
fn a_commonjs_entry_cannot_be_split() {
    let (out, chunks) = split_in("/а", 1, "ЁРДАМ:", &["кӯҳна.js"]);
    assert!(chunks.is_empty());
    assert!(
        out.diagnostics.iter().any(|d| d.code == "SPLIT_NOT_ESM"),
        "{:?}",
        out.diagnostics
    );
}
