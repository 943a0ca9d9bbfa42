//! Bundles with `node_modules` packages and JavaScript ES modules: what is
//! inlined, what stays a `require`, Node's interop, diagnostics, and
//! determinism. Trees live in memory (`MemoryFs`); when `node` is on the
//! `PATH`, bundles are also run.

use somon_diagnostics::{ResolvedDiagnostic, Severity};
use somon_project::fs::MemoryFs;
use somon_project::{bundle, BundleFormat, BundleOutput, BundleRequest};
use std::path::{Path, PathBuf};

fn request(entry: &str, format: BundleFormat, externals: &[&str]) -> BundleRequest {
    let entry = PathBuf::from(entry);
    let display_base = entry.parent().map(Path::to_path_buf).unwrap_or_default();
    BundleRequest {
        externals: externals.iter().map(|e| e.to_string()).collect(),
        ..BundleRequest::new(entry, display_base, format)
    }
}

fn bundle_files(files: &[(&str, &str)], format: BundleFormat, externals: &[&str]) -> BundleOutput {
    let fs = MemoryFs::new(files.iter().copied());
    bundle(&request("/п/main.som", format, externals), &fs)
}

fn code_of(out: &BundleOutput) -> String {
    assert!(
        out.code.is_some(),
        "no bundle: {:?}",
        out.diagnostics
            .iter()
            .map(|d| format!(
                "{}:{}:{}: {} {}",
                d.file, d.line, d.column, d.code, d.message
            ))
            .collect::<Vec<_>>()
    );
    out.code.clone().unwrap_or_default()
}

fn errors(out: &BundleOutput) -> Vec<&ResolvedDiagnostic> {
    out.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

fn at(d: &ResolvedDiagnostic) -> String {
    format!("{}:{}:{}: {}", d.file, d.line, d.column, d.code)
}

/// Runs a bundle with `node` (`.mjs` for ES module bundles) and returns
/// its standard output; `None` when `node` is not available.
fn run_node(code: &str, format: BundleFormat) -> Option<String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "somon-packages-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).ok()?;
    let file = dir.join(if format == BundleFormat::Esm {
        "bundle.mjs"
    } else {
        "bundle.js"
    });
    std::fs::write(&file, code).ok()?;
    let out = std::process::Command::new("node").arg(&file).output();
    let _ = std::fs::remove_dir_all(&dir);
    let out = out.ok()?;
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The module keys of a bundle, in table order.
/// Keys of the module table (hoisted Somon modules have none).
fn keys(code: &str) -> Vec<String> {
    code.lines()
        .filter_map(|l| {
            let l = l.trim_start();
            let rest = l.strip_prefix('"')?;
            let (key, tail) = rest.split_once('"')?;
            tail.starts_with(": function(module, exports, require)")
                .then(|| key.to_string())
        })
        .collect()
}

const CJS_PACKAGE: [(&str, &str); 5] = [
    (
        "/п/main.som",
        "ворид салом аз \"салом-пакет\";\nчоп.сабт(салом(\"ҷаҳон\"), салом.ном);\n",
    ),
    (
        "/п/node_modules/салом-пакет/package.json",
        r#"{"name": "салом-пакет", "main": "lib/main"}"#,
    ),
    (
        "/п/node_modules/салом-пакет/lib/main.js",
        "var ёр = require('./ёр');\nvar path = require('path');\nmodule.exports = function (н) { return ёр.пеш + н + path.extname('a.txt'); };\nmodule.exports.ном = require('../package.json').name;\n",
    ),
    (
        "/п/node_modules/салом-пакет/lib/ёр.js",
        "exports.пеш = 'салом, ';\n",
    ),
    ("/п/other.txt", ""),
];

#[test]
fn a_commonjs_package_is_inlined_with_its_nested_requires() {
    let out = bundle_files(&CJS_PACKAGE, BundleFormat::Cjs, &[]);
    let code = code_of(&out);
    assert_eq!(
        keys(&code),
        [
            "node_modules/салом-пакет/lib/main.js",
            "node_modules/салом-пакет/lib/ёр.js",
            "node_modules/салом-пакет/package.json",
        ]
    );
    // The built-in stays a require for Node; the package does not.
    assert!(code.contains("require('path')"), "{code}");
    assert!(!code.contains("require(\"салом-пакет\")"), "{code}");
    assert_eq!(out.modules, 4);
    if let Some(stdout) = run_node(&code, BundleFormat::Cjs) {
        assert_eq!(stdout, "салом, ҷаҳон.txt салом-пакет\n");
    }
}

#[test]
fn an_external_package_stays_a_require() {
    let out = bundle_files(&CJS_PACKAGE, BundleFormat::Cjs, &["салом-пакет"]);
    let code = code_of(&out);
    assert!(keys(&code).is_empty(), "{code}");
    // Loaded by the host's require (the runtime falls back to it).
    assert!(
        code.contains("__somon_load(\"салом-пакет\", __somon_root)"),
        "{code}"
    );
    assert_eq!(out.modules, 1);
}

#[test]
fn packages_honour_exports_conditions_patterns_and_imports() {
    let files = [
        (
            "/п/main.som",
            "ворид { навъ } аз \"шартӣ\";\nворид { иловагӣ } аз \"шартӣ/фреймҳо/як\";\nчоп.сабт(навъ, иловагӣ);\n",
        ),
        (
            "/п/node_modules/шартӣ/package.json",
            r##"{"exports": {".": {"import": "./dist/index.mjs", "require": "./dist/index.cjs"}, "./фреймҳо/*": "./dist/ф/*.js"}, "imports": {"#дарунӣ": {"node": "./dist/дарунӣ.js", "default": "./dist/браузер.js"}}}"##,
        ),
        (
            "/п/node_modules/шартӣ/dist/index.cjs",
            "exports.навъ = 'cjs ' + require('#дарунӣ');\n",
        ),
        (
            "/п/node_modules/шартӣ/dist/index.mjs",
            "export const навъ = 'esm';\n",
        ),
        (
            "/п/node_modules/шартӣ/dist/дарунӣ.js",
            "module.exports = 'дарунӣ';\n",
        ),
        ("/п/node_modules/шартӣ/dist/ф/як.js", "exports.иловагӣ = 1;\n"),
    ];
    let code = code_of(&bundle_files(&files, BundleFormat::Cjs, &[]));
    assert_eq!(
        keys(&code),
        [
            "node_modules/шартӣ/dist/index.cjs",
            "node_modules/шартӣ/dist/ф/як.js",
            "node_modules/шартӣ/dist/дарунӣ.js",
        ]
    );
    if let Some(stdout) = run_node(&code, BundleFormat::Cjs) {
        assert_eq!(stdout, "cjs дарунӣ 1\n");
    }
}

/// An ES module package imported from Somon (default and named), an `.mjs`
/// project file, and CommonJS files imported from ES modules: Node's
/// interop (default = `module.exports`, even with `__esModule`).
const ESM_PROJECT: [(&str, &str); 8] = [
    (
        "/п/main.som",
        "ворид асосӣ, { номдор, дер } аз \"esm-пакет\";\nворид e, { салом } аз \"./lib/e.mjs\";\nчоп.сабт(асосӣ(), номдор);\nчоп.сабт(e, салом);\nдер().then((х) => чоп.сабт(х));\n",
    ),
    (
        "/п/node_modules/esm-пакет/package.json",
        r#"{"type": "module", "exports": "./index.js"}"#,
    ),
    (
        "/п/node_modules/esm-пакет/index.js",
        "import cjs from './cjs.cjs';\nimport * as ns from './cjs.cjs';\nimport bab, { named } from 'babel-пакет';\nimport data from './data.json' with { type: 'json' };\nexport const номдор = [cjs.v, ns.default.v, ns.v, typeof bab, named, data.д].join(' ');\nexport default function () { return 'пешфарз'; }\nconst module = 1, require = 2, exports = 3;\nexport async function дер() { return (await import('./дер.js')).дер + ' ' + typeof import.meta.url; }\n",
    ),
    ("/п/node_modules/esm-пакет/cjs.cjs", "exports.v = 'v';\n"),
    ("/п/node_modules/esm-пакет/data.json", r#"{"д": "json"}"#),
    ("/п/node_modules/esm-пакет/дер.js", "export const дер = 'дер';\n"),
    (
        "/п/node_modules/babel-пакет/index.js",
        "Object.defineProperty(exports, '__esModule', { value: true });\nexports.default = 'babel-default';\nexports.named = 'babel-named';\n",
    ),
    (
        "/п/lib/e.mjs",
        "import c from './c.js';\nexport const салом = c.салом;\nexport default 'e';\n",
    ),
];

#[test]
fn es_modules_are_converted_with_node_interop() {
    let mut files = ESM_PROJECT.to_vec();
    files.push(("/п/lib/c.js", "module.exports = { салом: 'салом' };\n"));
    for format in [BundleFormat::Cjs, BundleFormat::Esm] {
        let code = code_of(&bundle_files(&files, format, &[]));
        assert!(!code.contains("import cjs"), "{code}");
        if let Some(stdout) = run_node(&code, format) {
            assert_eq!(
                stdout, "пешфарз v v v object babel-named json\ne салом\nдер string\n",
                "{format:?}"
            );
        }
    }
}

#[test]
fn es_modules_that_cannot_be_bundled_are_diagnostics_at_their_place() {
    let files = [
        (
            "/п/main.som",
            "ворид { а } аз \"./lib/a.mjs\";\nворид н аз \"native\";\nчоп.сабт(а, н);\n",
        ),
        (
            "/п/lib/a.mjs",
            "import x from './нест.js';\nconst r = await Promise.resolve(1);\nexport const а = import.meta.resolve('./б');\nconst meta = import.meta;\nexport const url = import.meta.url + import.meta.dirname;\nasync function f() { await 1; for await (const q of []) {} }\n",
        ),
        ("/п/node_modules/native/index.js", "module.exports = require('./build/x.node');\n"),
        ("/п/node_modules/native/build/x.node", "\u{0}"),
    ];
    let out = bundle_files(&files, BundleFormat::Cjs, &[]);
    assert!(out.code.is_none());
    let found: Vec<String> = errors(&out).into_iter().map(at).collect();
    assert_eq!(
        found,
        [
            "lib/a.mjs:1:15: MODULE_NOT_FOUND",
            "lib/a.mjs:2:11: TOP_LEVEL_AWAIT",
            "lib/a.mjs:3:18: UNSUPPORTED_IMPORT_META",
            "lib/a.mjs:4:14: UNSUPPORTED_IMPORT_META",
            "node_modules/native/index.js:1:26: UNBUNDLABLE_FILE",
        ]
    );
    assert!(out.diagnostics.iter().all(|d| !d.message.is_empty()));
}

#[test]
fn a_package_may_require_what_it_cannot_find() {
    let files = [
        ("/п/main.som", "ворид { ихтиёрӣ } аз \"пакет\";\nчоп.сабт(ихтиёрӣ);\n"),
        (
            "/п/node_modules/пакет/index.js",
            "let x; try { x = require('нест-пакет'); } catch { x = 'нест'; }\nexports.ихтиёрӣ = x;\n",
        ),
    ];
    let out = bundle_files(&files, BundleFormat::Cjs, &[]);
    let code = code_of(&out);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert!(code.contains("require('нест-пакет')"));
    if let Some(stdout) = run_node(&code, BundleFormat::Cjs) {
        assert_eq!(stdout, "нест\n");
    }
}

#[test]
fn cycles_inside_packages_are_not_reported() {
    let files = [
        ("/п/main.som", "ворид { а } аз \"давр\";\nчоп.сабт(а);\n"),
        (
            "/п/node_modules/давр/index.js",
            "exports.а = 'а';\nrequire('./б.js');\n",
        ),
        ("/п/node_modules/давр/б.js", "require('./index.js');\n"),
    ];
    let out = bundle_files(&files, BundleFormat::Cjs, &[]);
    code_of(&out);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
}

#[test]
fn bundles_with_packages_are_the_same_in_any_folder() {
    let main = "ворид салом аз \"салом-пакет\";\nворид асосӣ аз \"esm-пакет\";\nчоп.сабт(салом(\"ҷаҳон\"), асосӣ());\n";
    let files: Vec<(&str, &str)> = CJS_PACKAGE
        .iter()
        .chain(ESM_PROJECT.iter())
        .skip(1)
        .filter(|(p, _)| *p != "/п/main.som")
        .copied()
        .chain([("/п/main.som", main)])
        .collect();
    let moved: Vec<(String, &str)> = files
        .iter()
        .map(|(p, t)| (p.replacen("/п/", "/дигар/ҷой/", 1), *t))
        .collect();
    let here = MemoryFs::new(files.iter().copied());
    let there = MemoryFs::new(moved.iter().map(|(p, t)| (p.as_str(), *t)));
    let mut a = request("/п/main.som", BundleFormat::Cjs, &[]);
    let mut b = request("/дигар/ҷой/main.som", BundleFormat::Cjs, &[]);
    for r in [&mut a, &mut b] {
        r.emit.source_map = somon_emit::SourceMapKind::Separate;
    }
    let (x, y) = (bundle(&a, &here), bundle(&b, &there));
    assert_eq!(keys(&code_of(&x)).len(), 8);
    assert_eq!(code_of(&x), code_of(&y));
    assert_eq!(x.map, y.map);
}

/// A `main` or `exports` naming the package's own folder (`"."`, `"./"`,
/// `""`) is absent, as in Node: the folder's `index.js` is the entry. Any
/// package the bundle follows may have one; it once recursed until the
/// stack overflowed.
#[test]
fn a_package_whose_main_is_its_own_folder_uses_its_index() {
    let files = [
        ("/п/main.som", "ворид { ном } аз \"нуқта\";\nчоп.сабт(ном);\n"),
        ("/п/node_modules/нуқта/package.json", r#"{"main": "."}"#),
        (
            "/п/node_modules/нуқта/index.js",
            "exports.ном = 'нуқта ' + require('хат') + ' ' + require('./lib') + ' ' + require('холӣ');\n",
        ),
        ("/п/node_modules/хат/package.json", r#"{"main": "./"}"#),
        ("/п/node_modules/хат/index.js", "module.exports = 'хат';\n"),
        ("/п/node_modules/нуқта/lib/package.json", r#"{"exports": "./"}"#),
        ("/п/node_modules/нуқта/lib/index.js", "module.exports = 'lib';\n"),
        ("/п/node_modules/холӣ/package.json", r#"{"main": ""}"#),
        ("/п/node_modules/холӣ/index.js", "module.exports = 'холӣ';\n"),
    ];
    let out = bundle_files(&files, BundleFormat::Cjs, &[]);
    let code = code_of(&out);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert_eq!(
        keys(&code),
        [
            "node_modules/нуқта/index.js",
            "node_modules/хат/index.js",
            "node_modules/нуқта/lib/index.js",
            "node_modules/холӣ/index.js",
        ]
    );
    if let Some(stdout) = run_node(&code, BundleFormat::Cjs) {
        assert_eq!(stdout, "нуқта хат lib холӣ\n");
    }
}

/// A JSON file that `JSON.parse` rejects is a `JSON_SYNTAX` diagnostic at
/// its own line and column (in characters), and no bundle: it is never
/// pasted into the bundle as JavaScript.
#[test]
fn invalid_json_is_a_diagnostic_at_its_place() {
    let cases: [(&str, &str); 8] = [
        ("{\n  \"а\": 1,\n  \"б\": х\n}\n", "д.json:3:8: JSON_SYNTAX"),
        ("", "д.json:1:1: JSON_SYNTAX"),
        ("\n\n", "д.json:3:1: JSON_SYNTAX"),
        ("module.exports = 1;\n", "д.json:1:1: JSON_SYNTAX"),
        ("[1, 2,]", "д.json:1:7: JSON_SYNTAX"),
        ("{\"а\": 1} {}", "д.json:1:10: JSON_SYNTAX"),
        ("{\"ҷ\": \"бе охир", "д.json:1:15: JSON_SYNTAX"),
        ("\u{feff}{'а': 1}", "д.json:1:2: JSON_SYNTAX"),
    ];
    for (json, want) in cases {
        let files = [
            ("/п/main.som", "ворид д аз \"./д.json\";\nчоп.сабт(д);\n"),
            ("/п/д.json", json),
        ];
        let out = bundle_files(&files, BundleFormat::Cjs, &[]);
        assert!(out.code.is_none(), "{json:?}");
        let found: Vec<String> = errors(&out).into_iter().map(at).collect();
        assert_eq!(found, [want], "{json:?}");
        assert!(
            out.diagnostics
                .iter()
                .all(|d| d.message.starts_with("JSON syntax error: ")
                    && !d.message.contains(" at line ")),
            "{:?}",
            out.diagnostics
        );
    }
}

/// JSON is loaded as Node loads it, with `JSON.parse`: a `"__proto__"`
/// key is an own property, not the prototype; strings (escapes, astral
/// characters, lone surrogates), numbers (exponents, beyond `f64`), a
/// leading byte-order mark and deep nesting all come through as they are.
#[test]
fn json_is_loaded_with_json_parse_semantics() {
    let proto = r#"{"__proto__": {"x": 1}, "y": 2}"#;
    let values = "\u{feff}[\"ҷаҳон 😀 \\u00e9 \\ud800 \\\" \\\\ \\n \\u2028 </script>\", 0, -0.5, 1e3, 12345678901234567890, 1e400, true, null, {}, []]";
    let deep = format!("{}1{}", "[".repeat(20_000), "]".repeat(20_000));
    let files = [
        (
            "/п/main.som",
            "ворид прото аз \"./прото.json\";\nворид қиматҳо аз \"./қиматҳо.json\";\nворид { чуқур } аз \"./чуқур.js\";\nчоп.сабт(JSON.stringify(Object.getOwnPropertyNames(прото)), Object.getPrototypeOf(прото) === Object.prototype, JSON.stringify(прото.__proto__), прото.x);\nчоп.сабт(JSON.stringify(қиматҳо));\nчоп.сабт(чуқур);\n",
        ),
        ("/п/прото.json", proto),
        ("/п/қиматҳо.json", values),
        ("/п/чуқур.json", &deep),
        (
            "/п/чуқур.js",
            "var д = require('./чуқур.json'), н = 0;\nwhile (Array.isArray(д)) { д = д[0]; н++; }\nexports.чуқур = н + ' ' + д;\n",
        ),
    ];
    let out = bundle_files(&files, BundleFormat::Cjs, &[]);
    let code = code_of(&out);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert!(code.contains("JSON.parse("), "{code}");
    if let Some(stdout) = run_node(&code, BundleFormat::Cjs) {
        let mut lines = stdout.lines();
        assert_eq!(
            lines.next(),
            Some(r#"["__proto__","y"] true {"x":1} undefined"#)
        );
        // What `JSON.parse` gives for the same text, printed by Node.
        let expected = std::process::Command::new("node")
            .arg("-e")
            .arg("process.stdout.write(JSON.stringify(JSON.parse(process.argv[1])))")
            .arg(values.trim_start_matches('\u{feff}'))
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        assert_eq!(lines.next(), Some(expected.as_str()));
        assert_eq!(lines.next(), Some("20000 1"));
    }
}

/// JavaScript nested 20,000 levels deep (ten times what Node's own parser
/// takes) is a `DEPTH` diagnostic where it passes the limit, never a
/// crash: it is parsed and scanned on a grown stack (graph loading runs on
/// rayon's 2 MiB workers) and no other pass sees its tree.
#[test]
fn deeply_nested_javascript_is_a_diagnostic_not_a_crash() {
    let depth = 20_000;
    let nested = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    let cjs = format!("module.exports = {nested};\n");
    let esm = format!("export default {nested};\n");
    let files = [
        (
            "/п/main.som",
            "ворид чуқур аз \"./чуқур.js\";\nворид м аз \"./м.mjs\";\nчоп.сабт(чуқур, м);\n",
        ),
        ("/п/чуқур.js", cjs.as_str()),
        ("/п/м.mjs", esm.as_str()),
    ];
    let out = bundle_files(&files, BundleFormat::Cjs, &[]);
    assert!(out.code.is_none());
    let found: Vec<String> = errors(&out).into_iter().map(at).collect();
    // The array that would be the 10,001st level (after the statement and
    // the assignment in the CommonJS file, the export in the ES module).
    assert_eq!(found, ["чуқур.js:1:10016: DEPTH", "м.mjs:1:10016: DEPTH"]);
    let limit = somon_emit::js_module::JS_MAX_DEPTH.to_string();
    assert!(errors(&out).iter().all(|d| d.message.contains(&limit)));
}

/// Deep JavaScript that Node runs still bundles and runs: arrays 1,500
/// deep (Node takes about 2,000), a binary chain of 50,000 terms (Node and
/// swc parse those with a loop; not counted as nesting).
#[test]
fn deep_javascript_that_node_runs_is_bundled() {
    let arrays = format!(
        "var д = {}1{}, н = 0;\nwhile (Array.isArray(д)) {{ д = д[0]; н++; }}\nexports.н = н;\n",
        "[".repeat(1_500),
        "]".repeat(1_500)
    );
    let chain = format!("export const ҷамъ = 0{};\n", " + 1".repeat(50_000));
    let files = [
        (
            "/п/main.som",
            "ворид { н } аз \"./массив.js\";\nворид { ҷамъ } аз \"./занҷир.mjs\";\nчоп.сабт(н, ҷамъ);\n",
        ),
        ("/п/массив.js", arrays.as_str()),
        ("/п/занҷир.mjs", chain.as_str()),
    ];
    for minify in [false, true] {
        let mut req = request("/п/main.som", BundleFormat::Cjs, &[]);
        req.emit.minify = minify;
        let out = bundle(&req, &MemoryFs::new(files.iter().copied()));
        let code = code_of(&out);
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        if let Some(stdout) = run_node(&code, BundleFormat::Cjs) {
            assert_eq!(stdout, "1500 50000\n", "minify: {minify}");
        }
    }
}
