//! The graph walk's import scan (tokens only) finds what the full parse
//! imports, for every program of the conformance corpora, the checker
//! corpus and the examples that parses without errors.

use somon_project::graph::import_specifiers;
use somon_syntax::scan::scan_imports;
use std::path::Path;

/// The scan's list and the parse's, for a program without syntax errors
/// (`None` when it has some).
fn both(text: &str) -> Option<[Vec<(String, somon_diagnostics::Span, bool)>; 2]> {
    let parsed = somon_syntax::parse(text);
    if parsed.diagnostics.iter().any(|d| d.is_error()) {
        return None;
    }
    let expected = import_specifiers(&parsed.program, &parsed.dynamic_imports);
    let scanned = scan_imports(text)
        .into_iter()
        .map(|(s, span, d)| (s.into_string(), span, d))
        .collect();
    Some([scanned, expected])
}

/// Forms the corpora hold few of: dynamic imports in every kind of
/// expression position, parenthesised or computed arguments, names that
/// are the keywords, type-only imports and re-exports.
#[test]
fn scan_agrees_with_the_parse_on_rare_forms() {
    let programs = [
        "тағ а = ворид(\"./а\");\nтағ б = `${ворид(\"./б\")}`;\n",
        "функсия ф(х = ворид(\"./п\")) { бозгашт ворид(\"./д\") }\n",
        "тағ ф = (х = ворид(\"./с\")) => ворид(\"./т\");\n",
        "синф К { м = ворид(\"./м\"); статикӣ н = ворид(\"./н\"); }\n",
        "тағ о = { ворид: 1 };\nо.ворид;\nтағ ш = ворид((\"./қавс\"));\nтағ ч = ворид(\"./\" + \"ҷамъ\");\n",
        "функсия г<Т>(х: Т): Т { бозгашт х }\nг<рақам>(ворид(\"./ғ\") ? 1 : 2);\n",
        "ворид навъ { Т } аз \"./навъ\";\nворид навъ Н аз \"./навъ2\";\nворид навъ аз \"./номи_навъ\";\nворид аз аз \"./аз\";\n",
        "ворид \"./таъсир\";\nворид * чун н аз \"./н\";\nворид п, { а чун б, \"в-г\" чун д } аз \"./п\";\n",
        "содир навъ { Т } аз \"./навъ\";\nсодир { навъ Т, а } аз \"./қисман\";\nсодир * чун \"ном\" аз \"./ном\";\nсодир * аз \"./ҳама\";\n",
        "номфазо Ф { содир собит а = ворид(\"./дар_фазо\"); }\nагар (дуруст) { ворид(\"./дар_блок\"); }\n",
        "тағ х = 1 / 2; тағ р = /ворид(\"x\")/g; тағ с = \"ворид('./на')\";\n",
    ];
    let mut compared = 0;
    for text in programs {
        if let Some([scanned, expected]) = both(text) {
            assert_eq!(scanned, expected, "{text}");
            compared += 1;
        }
    }
    assert!(
        compared == programs.len(),
        "only {compared} parse without errors"
    );
}

#[test]
fn scan_finds_the_imports_the_parse_finds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    let mut dirs = vec![
        root.join("../shared/conformance"),
        root.join("tests"),
        root.join("examples"),
        root.join("benchmark"),
        root.join("__test__"),
    ];
    // More folders (e.g. the benchmark's generated modules), separated
    // like PATH.
    if let Some(extra) = std::env::var_os("SOMON_IMPORT_SCAN_DIRS") {
        dirs.extend(std::env::split_paths(&extra));
    }
    for dir in &dirs {
        files.extend(somon_project::fs::som_files_below(dir));
    }
    let mut compared = 0;
    let mut with_imports = 0;
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let Some([scanned, expected]) = both(&text) else {
            continue;
        };
        assert_eq!(scanned, expected, "{}", file.display());
        compared += 1;
        if !expected.is_empty() {
            with_imports += 1;
        }
    }
    eprintln!("{compared} programs compared, {with_imports} with imports");
    assert!(
        compared > 100 && with_imports > 20,
        "too few programs compared: {compared} ({with_imports} with imports)"
    );
}
