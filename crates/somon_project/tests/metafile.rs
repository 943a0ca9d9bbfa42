//! What a bundle says of itself: each module's bytes in the output (the
//! one-shot and the incremental bundler agree), the metafile's inputs and
//! the `--analyze` rows with their import chains.

use somon_project::fs::MemoryFs;
use somon_project::metafile::{analyze, metafile_json, OutputFile};
use somon_project::{bundle, BundleFormat, BundleRequest, IncrementalBundler};
use std::path::PathBuf;

const FILES: &[(&str, &str)] = &[
    (
        "/п/main.som",
        "ворид { ҷамъ } аз \"./lib/math\";\nворид к аз \"./k.json\";\nчоп.сабт(ҷамъ(1, к.а));\nсодир собит х = 1;\n",
    ),
    (
        "/п/lib/math.som",
        "ворид { дучанд } аз \"./deep\";\nсодир функсия ҷамъ(а: рақам, б: рақам): рақам { бозгашт дучанд(а) + б; }\n",
    ),
    (
        "/п/lib/deep.som",
        "содир функсия дучанд(а: рақам): рақам { бозгашт а * 2; }\n",
    ),
    ("/п/k.json", "{ \"а\": 2 }\n"),
];

fn request(format: BundleFormat) -> BundleRequest {
    BundleRequest {
        output: Some(PathBuf::from("/п/dist/app.js")),
        ..BundleRequest::new(PathBuf::from("/п/main.som"), PathBuf::from("/п"), format)
    }
}

#[test]
fn module_bytes_are_each_modules_own_code() {
    for format in [BundleFormat::Cjs, BundleFormat::Esm, BundleFormat::Iife] {
        let fs = MemoryFs::new(FILES.iter().copied());
        let out = bundle(&request(format), &fs);
        let code = out.code.clone().unwrap_or_default();
        assert!(!code.is_empty(), "{:?}", out.diagnostics);
        let paths: Vec<&str> = out.module_bytes.iter().map(|(p, _)| p.as_str()).collect();
        let mut sorted = paths.clone();
        sorted.sort_unstable();
        assert_eq!(
            sorted,
            ["k.json", "lib/deep.som", "lib/math.som", "main.som"]
        );
        for (path, bytes) in &out.module_bytes {
            // A module in the factory table (JSON here) owns its entry;
            // a hoisted one (the Somon modules) its live statements.
            let key = format!("\"{path}\"");
            match code.find(&format!("{key}:")) {
                Some(at) => {
                    let own = code.get(at..at + bytes).unwrap_or_default();
                    assert!(own.starts_with(&key) && own.ends_with('}'), "{path}: {own}");
                }
                None => assert!(*bytes > 0, "{path} has no bytes"),
            }
        }
        let sum: usize = out.module_bytes.iter().map(|(_, b)| b).sum();
        assert!(sum < code.len());
        // The incremental bundler measures the same.
        let mut inc = IncrementalBundler::new(request(format));
        let again = inc.build(&fs, None).output;
        assert_eq!(again.module_bytes, out.module_bytes);
        assert_eq!(again.inputs, out.inputs);
        assert_eq!(again.exports, out.exports);
        let expected_exports: &[&str] = if format == BundleFormat::Esm {
            &["default", "х"]
        } else {
            &[]
        };
        assert_eq!(out.exports, expected_exports);
    }
}

#[test]
fn analysis_orders_by_size_and_names_the_chain() {
    let fs = MemoryFs::new(FILES.iter().copied());
    let out = bundle(&request(BundleFormat::Cjs), &fs);
    let total = out.code.as_ref().map_or(0, String::len);
    let rows = analyze(&out, total);
    assert!(rows.windows(2).all(|w| w[0].bytes >= w[1].bytes));
    let deep = rows.iter().find(|r| r.path == "lib/deep.som");
    assert_eq!(
        deep.map(|r| r.chain.clone()),
        Some(vec![
            "main.som".to_string(),
            "lib/math.som".to_string(),
            "lib/deep.som".to_string()
        ])
    );
    let entry = rows.iter().find(|r| r.path == "main.som");
    assert_eq!(entry.map(|r| r.chain.len()), Some(1));
    let shares: f64 = rows.iter().map(|r| r.share).sum();
    assert!(shares > 0.0 && shares < 100.0);
    // The metafile's JSON parses and carries the same numbers.
    let json = metafile_json(
        &out,
        &[OutputFile {
            path: "dist/app.js".into(),
            bytes: total,
            code: true,
        }],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(v["outputs"]["dist/app.js"]["bytes"], total);
    assert_eq!(v["outputs"]["dist/app.js"]["entryPoint"], "main.som");
    assert_eq!(
        v["inputs"]["main.som"]["imports"][0]["path"],
        "lib/math.som"
    );
    for (path, bytes) in &out.module_bytes {
        assert_eq!(
            v["outputs"]["dist/app.js"]["inputs"][path]["bytesInOutput"],
            *bytes
        );
    }
}
