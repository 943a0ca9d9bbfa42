//! Checking across files: imports resolved while checking, exports of the
//! imported modules, their types flowing into the importers.

use somon_project::fs::MemoryFs;
use std::path::{Path, PathBuf};

fn check(files: &[(&str, &str)]) -> Vec<String> {
    let fs = MemoryFs::new(files.iter().copied());
    let resolver = somon_project::Resolver::new(&fs, Default::default());
    let inputs: Vec<PathBuf> = files
        .iter()
        .filter(|(p, _)| p.ends_with(".som"))
        .map(|(p, _)| PathBuf::from(p))
        .collect();
    let types = somon_project::ProjectTypes::load(&inputs, &fs, &resolver);
    let mut out = Vec::new();
    for (path, text) in files.iter().filter(|(p, _)| p.ends_with(".som")) {
        let imports = types.imports_of(Path::new(path));
        let options = somon_compiler::CompileOptions {
            file_name: path.trim_start_matches("/p/").to_string(),
            ..Default::default()
        };
        let r = somon_compiler::compile_module(
            *text,
            &options,
            &*imports,
            types.import_diagnostics(Path::new(path)),
            true,
        );
        for d in r.diagnostics {
            out.push(format!("{} {} {}:{}", d.file, d.code, d.line, d.column));
        }
    }
    out.sort();
    out
}

#[test]
fn missing_modules_missing_exports_and_imported_types() {
    let lib = "содир функсия ҷамъ(а: рақам, б: рақам): рақам {\n  бозгашт а + б;\n}\nсодир интерфейс Нуқта { х: рақам; }\nсодир синф Ҳисоб { дучанд(н: рақам): рақам { бозгашт н * 2; } }\n";
    let main = "ворид { ҷамъ, Нуқта, Ҳисоб } аз \"./lib\";\nчоп.сабт(ҷамъ(\"1\", 2));\nсобит н: Нуқта = { х: \"2\" };\nнав Ҳисоб().дучанд(дуруст);\n";
    let missing_export = "ворид { тарҳ } аз \"./lib\";\nчоп.сабт(тарҳ);\n";
    let missing_module = "ворид { а } аз \"./нест\";\nчоп.сабт(а);\n";
    let got = check(&[
        ("/p/lib.som", lib),
        ("/p/main.som", main),
        ("/p/b.som", missing_export),
        ("/p/c.som", missing_module),
    ]);
    assert_eq!(
        got,
        [
            "b.som EXPORT_NOT_FOUND 1:9",
            "c.som MODULE_NOT_FOUND 1:16",
            "main.som ARGUMENT_TYPE_MISMATCH 2:15",
            "main.som ARGUMENT_TYPE_MISMATCH 4:20",
            "main.som TYPE_NOT_ASSIGNABLE 3:1",
        ]
    );
}

#[test]
fn cycles_reexports_and_aliases_are_fine() {
    let a = "ворид { б } аз \"./b\";\nсодир функсия а(н: рақам): рақам { бозгашт н > 0 ? б(н - 1) : 0; }\n";
    let b = "ворид { а } аз \"./a\";\nсодир функсия б(н: рақам): рақам { бозгашт а(н); }\n";
    let index = "содир { а } аз \"./a\";\nсодир * аз \"./b\";\n";
    let main =
        "ворид { а, б } аз \"./index\";\nсобит х: рақам = а(1) + б(2);\nсобит у: сатр = а(3);\n";
    let got = check(&[
        ("/p/a.som", a),
        ("/p/b.som", b),
        ("/p/index.som", index),
        ("/p/main.som", main),
    ]);
    assert_eq!(got, ["main.som TYPE_NOT_ASSIGNABLE 3:1"]);
}

#[test]
fn references_are_followed_across_files() {
    let lib = "содир функсия ҷамъ(а: рақам, б: рақам): рақам {\n  бозгашт а + б;\n}\n";
    let main = "ворид { ҷамъ } аз \"./lib\";\nчоп.сабт(ҷамъ(1, 2));\n";
    let fs = MemoryFs::new([("/p/lib.som", lib), ("/p/main.som", main)]);
    let resolver = somon_project::Resolver::new(&fs, Default::default());
    let types = somon_project::ProjectTypes::load(&[PathBuf::from("/p/main.som")], &fs, &resolver);
    let program = somon_syntax::parse(main).program;
    let imports = types.imports_of(Path::new("/p/main.som"));
    let checked = somon_check::check_module(
        &program,
        &*imports,
        somon_check::CheckOptions { record_model: true },
    );
    let model = &checked.model;
    let use_at = main.rfind("ҷамъ").unwrap_or_default() as u32;
    let symbol = model.symbol_at(use_at).and_then(|id| model.symbol(id));
    let (specifier, exported) = symbol.and_then(|s| s.import.clone()).unwrap_or_default();
    assert_eq!((specifier.as_str(), exported.as_str()), ("./lib", "ҷамъ"));
    // The type came across too.
    let ty = model.type_at(use_at).map(|t| model.display(t));
    assert_eq!(ty.as_deref(), Some("(а: рақам, б: рақам) => рақам"));
    let def = types.import_definition(Path::new("/p/main.som"), &specifier, &exported);
    let lo = lib.find("ҷамъ").unwrap_or_default() as u32;
    assert_eq!(
        def.map(|(p, span)| (p, span.lo)),
        Some((PathBuf::from("/p/lib.som"), lo))
    );
}
