//! `rewrite_relative_import_extensions`: by default relative imports get
//! the emitted file's extension; turned off, every specifier stays exactly
//! as written (what bundler plugins and loader hooks need, since they
//! resolve the specifiers again themselves).

use somon_compiler::{compile, CompileOptions, ModuleKind};

const SOURCE: &str = "\
ворид { калонКун } аз \"./асбобҳо/матн\";
ворид { миёна } аз \"./lib/shakl.som\";
ворид тавсиф аз \"../тавсиф\";
ворид { join } аз \"node:path\";
ворид маълумот аз \"./маълумот.json\";
чоп.сабт(калонКун(\"а\"), миёна([1]), тавсиф(), join(\"а\", \"б\"), маълумот);
";

/// The specifiers of the emitted `import … from "…"` lines, in order.
fn specifiers(rewrite: bool, module: ModuleKind) -> Vec<String> {
    let out = compile(
        SOURCE,
        &CompileOptions {
            module,
            type_check: false,
            rewrite_relative_import_extensions: rewrite,
            ..Default::default()
        },
    );
    let code = out.code.unwrap_or_default();
    assert!(!code.is_empty(), "{:?}", out.diagnostics);
    code.lines()
        .filter(|l| l.contains(" from \"") || l.contains("require(\""))
        .filter_map(|l| l.split('"').nth(1).map(str::to_string))
        .collect()
}

#[test]
fn relative_specifiers_get_the_js_extension_by_default() {
    assert_eq!(
        specifiers(true, ModuleKind::Esm),
        [
            "./асбобҳо/матн.js",
            "./lib/shakl.js",
            "../тавсиф.js",
            "node:path",
            "./маълумот.json"
        ]
    );
}

#[test]
fn specifiers_stay_as_written_when_turned_off() {
    let written = [
        "./асбобҳо/матн",
        "./lib/shakl.som",
        "../тавсиф",
        "node:path",
        "./маълумот.json",
    ];
    assert_eq!(specifiers(false, ModuleKind::Esm), written);
    assert_eq!(specifiers(false, ModuleKind::Cjs), written);
}
