//! Hoisted bundles are deterministic (any folder, any number of
//! threads) and say how many bytes each module's code takes.

use somon_emit::{EmitOptions, SourceMapKind};
use somon_project::fs::MemoryFs;
use somon_project::{bundle, BundleFormat, BundleOutput, BundleRequest};
use std::path::PathBuf;

fn request(root: &str, tree_shaking: bool) -> BundleRequest {
    BundleRequest {
        output: Some(PathBuf::from(format!("{root}/dist/app.js"))),
        emit: EmitOptions {
            source_map: SourceMapKind::Separate,
            output_name: Some("app.js".into()),
            ..EmitOptions::default()
        },
        tree_shaking,
        ..BundleRequest::new(
            PathBuf::from(format!("{root}/main.som")),
            PathBuf::from(root),
            BundleFormat::Esm,
        )
    }
}

const FILES: [(&str, &str); 5] = [
    (
        "main.som",
        "ворид { ҷуфтАст } аз \"./ҷуфт\";\nворид * чун Ҳ аз \"./ҳисоб\";\nворид асбоб аз \"./асбоб.js\";\nчоп.сабт(ҷуфтАст(4), Ҳ, асбоб.х);\nсодир собит натиҷа = ҷуфтАст(2);\n",
    ),
    (
        "ҷуфт.som",
        "ворид { тоқАст } аз \"./тоқ\";\nсодир функсия ҷуфтАст(н: рақам): мантиқӣ {\n  бозгашт н === 0 ? дуруст : тоқАст(н - 1);\n}\n",
    ),
    (
        "тоқ.som",
        "ворид { ҷуфтАст } аз \"./ҷуфт\";\nсодир функсия тоқАст(н: рақам): мантиқӣ {\n  бозгашт н === 0 ? нодуруст : ҷуфтАст(н - 1);\n}\nсодир функсия нолозим(): рақам {\n  бозгашт 1;\n}\n",
    ),
    ("ҳисоб.som", "содир тағ шумор = 1;\nсодир собит ном = \"ҳ\";\n"),
    ("асбоб.js", "exports.х = 1;\n"),
];

fn bundle_in(root: &str, threads: usize, tree_shaking: bool) -> BundleOutput {
    let fs = MemoryFs::new(
        FILES
            .iter()
            .map(|(p, t)| (format!("{root}/{p}"), *t))
            .collect::<Vec<_>>()
            .iter()
            .map(|(p, t)| (p.as_str(), *t)),
    );
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap_or_else(|e| panic!("thread pool: {e}"));
    pool.install(|| bundle(&request(root, tree_shaking), &fs))
}

#[test]
fn hoisted_bundles_are_the_same_from_any_folder_and_thread_count() {
    let one = bundle_in("/а", 1, true);
    assert!(one.code.is_some(), "{:?}", one.diagnostics);
    let Some(code) = one.code.as_deref() else {
        panic!("no bundle: {:?}", one.diagnostics);
    };
    // Hoisted (no factory for Somon modules), the unused function gone.
    assert!(!code.contains("\"ҷуфт.som\": function"), "{code}");
    assert!(code.contains("function тоқАст("), "{code}");
    assert!(!code.contains("нолозим"), "{code}");
    for other in [bundle_in("/а", 2, true), bundle_in("/дигар/ҷой", 2, true)] {
        assert_eq!(one.code, other.code);
        assert_eq!(one.map, other.map);
    }
    let kept = bundle_in("/а", 2, false);
    assert!(kept.code.as_deref().is_some_and(|c| c.contains("нолозим")));
}

#[test]
fn each_module_s_bytes_are_counted_once() {
    let out = bundle_in("/а", 2, true);
    let Some(code) = out.code.as_deref() else {
        panic!("no bundle: {:?}", out.diagnostics);
    };
    let mut keys: Vec<&str> = out.module_bytes.iter().map(|(k, _)| k.as_str()).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["main.som", "асбоб.js", "тоқ.som", "ҳисоб.som", "ҷуфт.som"]
    );
    let total: usize = out.module_bytes.iter().map(|(_, b)| b).sum();
    assert!(total < code.len());
    // A module's bytes hold its code: тоқ.som's are its function.
    let toq = out
        .module_bytes
        .iter()
        .find(|(k, _)| k == "тоқ.som")
        .map_or(0, |(_, b)| *b);
    // Its lines: from the start of its function's line to the next
    // module's first line (ҷуфт.som, evaluated after it).
    let start = code
        .find("function тоқАст(")
        .and_then(|at| code.get(..at)?.rfind('\n').map(|n| n + 1))
        .unwrap_or(0);
    let end = code
        .find("function ҷуфтАст(")
        .and_then(|at| code.get(..at)?.rfind('\n').map(|n| n + 1))
        .unwrap_or(0);
    assert!(start > 0 && end > start, "{code}");
    assert_eq!(toq, end - start, "{code}");
}
