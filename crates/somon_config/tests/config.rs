//! Tests of the public API on real temporary folders (std::env::temp_dir,
//! unique names, removed afterwards) and on in-memory trees.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{json, Value};
use somon_config::*;
use somon_diagnostics::{Lang, RenderOptions};

// ---------------------------------------------------------------------------
// Helpers

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!(
            "somon_config_test_{name}_{}_{n}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.0.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, text).unwrap();
        p
    }

    fn mkdir(&self, rel: &str) -> PathBuf {
        let p = self.0.join(rel);
        fs::create_dir_all(&p).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn parse_errors(text: &str) -> Vec<ConfigError> {
    parse_config(text, Path::new("/p/somon.config.json")).unwrap_err()
}

fn parse_ok(text: &str) -> LoadedConfig {
    match parse_config(text, Path::new("/p/somon.config.json")) {
        Ok(c) => c,
        Err(e) => panic!("unexpected errors: {e:#?}"),
    }
}

fn pos(e: &ConfigError) -> (u32, u32) {
    (e.line().unwrap(), e.column().unwrap())
}

fn no_env() -> EnvValues {
    EnvValues::default()
}

fn effective(
    config: Option<&LoadedConfig>,
    env: &EnvValues,
    overrides: &Overrides,
) -> EffectiveConfig {
    match effective_config(config, env, overrides, Path::new("/work/cwd")) {
        Ok(c) => c,
        Err(e) => panic!("unexpected errors: {e:#?}"),
    }
}

/// Every key set to a valid, non-default value.
fn full_document() -> Value {
    json!({
        "compilerOptions": {
            "target": "es2015", "module": "esm", "minify": true, "keepNames": true, "sourceMap": "inline",
            "inlineSources": true, "typeCheck": false, "outDir": "dist", "output": "out/main.js", "lang": "tj",
            "diagnostics": "json"
        },
        "resolution": { "baseUrl": "src", "paths": { "@lib/*": ["lib/*", "vendor/*"] } },
        "bundle": {
            "entry": "src/main.som", "output": "out/app.js", "format": "umd",
            "globalName": "Барнома", "external": ["lodash"], "minify": true,
            "sourceMap": true, "inlineSources": true, "circular": "error",
            "platform": "browser", "define": ["DEBUG=false"], "drop": ["console"],
            "precompress": ["gzip=9", "br"], "treeShaking": false
        },
        "watch": { "debounceMs": 250 },
        "service": {
            "managementPort": 9090, "host": "0.0.0.0", "shutdownTimeoutMs": 5000,
            "circuitBreaker": { "failureThreshold": 3, "windowMs": 10000, "cooldownMs": 2000 }
        },
        "logging": { "level": "debug", "format": "json" },
        "production": { "fatalWarnings": ["CIRCULAR_IMPORT", "TYPE_NOT_ASSIGNABLE"] }
    })
}

// ---------------------------------------------------------------------------
// Discovery

#[test]
fn discovery_walks_upward_to_the_nearest_file() {
    let t = TempDir::new("upward");
    let root_cfg = t.write("somon.config.json", "{}");
    let deep = t.mkdir("a/b/c");
    assert_eq!(discover(&RealFs, &deep), Some(root_cfg.clone()));

    // A nearer file shadows the outer one.
    let nearer = t.write("a/.somonrc", "{}");
    assert_eq!(discover(&RealFs, &deep), Some(nearer));
    assert_eq!(discover(&RealFs, t.path()), Some(root_cfg));

    // find_and_load resolves a relative start folder against cwd.
    let loaded = find_and_load(&RealFs, t.path(), Path::new("a/b/c"), None)
        .unwrap()
        .unwrap();
    assert_eq!(loaded.path(), t.path().join("a/.somonrc"));
    assert_eq!(loaded.dir(), t.path().join("a"));
}

#[test]
fn somonrc_is_found_and_somon_config_json_wins_in_one_folder() {
    let t = TempDir::new("somonrc");
    let rc = t.write(
        "proj/.somonrc",
        r#"{ "compilerOptions": { "target": "es5" } }"#,
    );
    let start = t.mkdir("proj/src");
    assert_eq!(discover(&RealFs, &start), Some(rc.clone()));
    let loaded = load_config(&RealFs, &rc).unwrap();
    assert_eq!(
        loaded.file().compiler_options.as_ref().unwrap().target,
        Some(Target::Es5)
    );

    let json = t.write("proj/somon.config.json", "{}");
    assert_eq!(discover(&RealFs, &start), Some(json));
    assert_eq!(CONFIG_FILE_NAMES, ["somon.config.json", ".somonrc"]);
}

#[test]
fn discovery_without_any_file_and_explicit_config() {
    let mut fs = MemoryFs::default();
    fs.insert(
        "/elsewhere/custom.json",
        r#"{ "watch": { "debounceMs": 50 } }"#,
    );
    assert_eq!(discover(&fs, Path::new("/home/u/proj")), None);
    assert!(
        find_and_load(&fs, Path::new("/home/u/proj"), Path::new("."), None)
            .unwrap()
            .is_none()
    );

    // --config is relative to cwd and skips discovery.
    let loaded = find_and_load(
        &fs,
        Path::new("/elsewhere/sub"),
        Path::new("."),
        Some(Path::new("../custom.json")),
    )
    .unwrap()
    .unwrap();
    assert_eq!(loaded.path(), Path::new("/elsewhere/custom.json"));
    assert_eq!(loaded.file().watch.as_ref().unwrap().debounce_ms, Some(50));

    // A missing --config file is an error, not "no configuration".
    let errs = find_and_load(
        &fs,
        Path::new("/x"),
        Path::new("."),
        Some(Path::new("missing.json")),
    )
    .unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].code(), codes::CONFIG_READ_FAILED);
    assert_eq!(errs[0].file(), Some(Path::new("/x/missing.json")));
    assert_eq!(errs[0].problem, Problem::ReadFailed(ReadReason::NotFound));
    assert_eq!(
        errs[0].message(Lang::En),
        "cannot read the configuration file: file not found"
    );
}

#[test]
fn unreadable_file_is_read_failed() {
    let t = TempDir::new("utf8");
    let p = t.path().join("somon.config.json");
    fs::write(&p, [0xff, 0xfe, 0x00, b'{']).unwrap();
    let errs = load_config(&RealFs, &p).unwrap_err();
    assert_eq!(errs[0].code(), codes::CONFIG_READ_FAILED);
    assert_eq!(errs[0].problem, Problem::ReadFailed(ReadReason::NotUtf8));
    assert_eq!(errs[0].line(), None);
}

// ---------------------------------------------------------------------------
// Schema and positions

#[test]
fn unknown_top_level_key_with_position_and_suggestion() {
    let text = "{\n  \"compilerOption\": {\n    \"target\": \"es2015\"\n  }\n}\n";
    let errs = parse_errors(text);
    assert_eq!(errs.len(), 1);
    let e = &errs[0];
    assert_eq!(e.code(), codes::CONFIG_UNKNOWN_KEY);
    assert_eq!(e.file(), Some(Path::new("/p/somon.config.json")));
    assert_eq!(pos(e), (2, 3));
    assert_eq!(e.span().unwrap().end_column, 19);
    assert_eq!(
        e.suggestion,
        Some(Suggestion::Key("compilerOptions".into()))
    );
    assert_eq!(
        e.message(Lang::En),
        "unknown key `compilerOption` (valid keys: compilerOptions, resolution, bundle, watch, service, logging, production, format)"
    );
    assert_eq!(
        e.suggestion_text(Lang::En).unwrap(),
        "did you mean `compilerOptions`?"
    );
}

#[test]
fn every_unknown_key_is_reported_at_its_character_column() {
    let text = concat!(
        "{\n",
        "  \"bundle\": { \"globalName\": \"Барнома\", \"extrnal\": [\"a\"] },\n",
        "  \"compilerOptions\": {\n",
        "    \"traget\": \"es5\",\n",
        "    \"minify\": true, \"sourceMapp\": true\n",
        "  },\n",
        "  \"target\": \"es5\"\n",
        "}\n"
    );
    let errs = parse_errors(text);
    let got: Vec<(&str, (u32, u32), Option<Suggestion>)> = errs
        .iter()
        .map(|e| (e.code(), pos(e), e.suggestion.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            // Column 40 in characters (the Cyrillic value before it would
            // make it 47 in bytes).
            (
                codes::CONFIG_UNKNOWN_KEY,
                (2, 40),
                Some(Suggestion::Key("external".into()))
            ),
            (
                codes::CONFIG_UNKNOWN_KEY,
                (4, 5),
                Some(Suggestion::Key("target".into()))
            ),
            (
                codes::CONFIG_UNKNOWN_KEY,
                (5, 21),
                Some(Suggestion::Key("sourceMap".into()))
            ),
            (
                codes::CONFIG_UNKNOWN_KEY,
                (7, 3),
                Some(Suggestion::Path("compilerOptions.target".into()))
            ),
        ]
    );
    assert_eq!(
        errs[1].problem,
        Problem::UnknownKey {
            key: "traget".into(),
            section: "compilerOptions".into(),
            known: vec![
                "target",
                "module",
                "minify",
                "keepNames",
                "sourceMap",
                "inlineSources",
                "typeCheck",
                "outDir",
                "output",
                "lang",
                "diagnostics"
            ],
        }
    );
    assert!(errs[1]
        .message(Lang::En)
        .starts_with("unknown key `traget` in `compilerOptions` (valid keys: target, module,"));
    assert_eq!(
        errs[3].suggestion_text(Lang::En).unwrap(),
        "this key belongs in another section: did you mean `compilerOptions.target`?"
    );
}

#[test]
fn unknown_key_deep_in_service() {
    let text = r#"{"service": {"circuitBreaker": {"failureTreshold": 2}}}"#;
    let errs = parse_errors(text);
    assert_eq!(errs.len(), 1);
    assert_eq!(pos(&errs[0]), (1, 33));
    assert_eq!(
        errs[0].message(Lang::En),
        "unknown key `failureTreshold` in `service.circuitBreaker` (valid keys: failureThreshold, windowMs, cooldownMs)"
    );
    assert_eq!(
        errs[0].suggestion,
        Some(Suggestion::Key("failureThreshold".into()))
    );
}

#[test]
fn invalid_enum_value_lists_the_valid_values() {
    let text = "{\n  \"compilerOptions\": { \"target\": \"es2023\", \"module\": \"amd\" }\n}";
    let errs = parse_errors(text);
    assert_eq!(errs.len(), 2);
    assert_eq!(errs[0].code(), codes::CONFIG_INVALID_VALUE);
    assert_eq!(pos(&errs[0]), (2, 34));
    assert_eq!(
        errs[0].message(Lang::En),
        "invalid value \"es2023\" for `compilerOptions.target`: expected one of: es5, es2015, es2016, es2017, es2018, es2019, es2020, es2021, es2022, esnext"
    );
    assert_eq!(pos(&errs[1]), (2, 54));
    assert_eq!(
        errs[1].message(Lang::En),
        "invalid value \"amd\" for `compilerOptions.module`: expected one of: cjs, esm"
    );
}

#[test]
fn every_invalid_value_is_reported() {
    let text = r#"{
  "watch": { "debounceMs": 5 },
  "service": { "managementPort": 70000, "host": "", "shutdownTimeoutMs": 1.5,
               "circuitBreaker": { "windowMs": -1 } },
  "bundle": { "external": ["ok", 1], "sourceMap": "yes", "format": "amd", "circular": "ignore" },
  "resolution": { "paths": { "@a/*": "a", "@b/*": ["b", ""] } },
  "production": { "fatalWarnings": ["TYPE_NOT_ASSIGNABLE", "lowercase"] },
  "logging": "info",
  "compilerOptions": { "minify": "yes", "outDir": 3 }
}"#;
    let errs = parse_errors(text);
    let got: Vec<(String, (u32, u32))> = errs
        .iter()
        .map(|e| match &e.problem {
            Problem::InvalidValue { key, .. } => (key.clone(), pos(e)),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("watch.debounceMs".to_string(), (2, 28)),
            ("service.managementPort".to_string(), (3, 34)),
            ("service.host".to_string(), (3, 49)),
            ("service.shutdownTimeoutMs".to_string(), (3, 74)),
            ("service.circuitBreaker.windowMs".to_string(), (4, 48)),
            ("bundle.external[1]".to_string(), (5, 34)),
            ("bundle.sourceMap".to_string(), (5, 51)),
            ("bundle.format".to_string(), (5, 68)),
            ("bundle.circular".to_string(), (5, 87)),
            ("resolution.paths.@a/*".to_string(), (6, 38)),
            ("resolution.paths.@b/*[1]".to_string(), (6, 57)),
            ("production.fatalWarnings[1]".to_string(), (7, 60)),
            ("logging".to_string(), (8, 14)),
            ("compilerOptions.minify".to_string(), (9, 34)),
            ("compilerOptions.outDir".to_string(), (9, 51)),
        ]
    );
    let msg = |key: &str| {
        errs.iter()
            .find(|e| matches!(&e.problem, Problem::InvalidValue { key: k, .. } if k == key))
            .unwrap()
            .message(Lang::En)
    };
    assert_eq!(
        msg("watch.debounceMs"),
        "invalid value 5 for `watch.debounceMs`: expected an integer from 10 to 10000"
    );
    assert_eq!(
        msg("service.managementPort"),
        "invalid value 70000 for `service.managementPort`: expected an integer from 1 to 65535"
    );
    assert_eq!(
        msg("service.shutdownTimeoutMs"),
        "invalid value 1.5 for `service.shutdownTimeoutMs`: expected an integer of at least 1000"
    );
    assert_eq!(
        msg("bundle.sourceMap"),
        "invalid value \"yes\" for `bundle.sourceMap`: expected true, false or \"inline\""
    );
    assert_eq!(
        msg("logging"),
        "invalid value \"info\" for `logging`: expected an object"
    );
}

#[test]
fn json_syntax_errors_have_character_positions() {
    // A missing comma after a Cyrillic string: serde_json counts bytes.
    let errs = parse_errors("{\n  \"bundle\": { \"globalName\": \"Салом\" \"x\": 1 }\n}");
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].code(), codes::CONFIG_PARSE_ERROR);
    assert_eq!(
        errs[0].problem,
        Problem::Parse(ParseReason::ExpectedCommaOrBrace)
    );
    assert_eq!(pos(&errs[0]), (2, 37));
    assert_eq!(
        errs[0].message(Lang::En),
        "invalid JSON: expected `,` or `}`"
    );

    let errs = parse_errors("{\n  \"watch\": {},\n}");
    assert_eq!(errs[0].problem, Problem::Parse(ParseReason::TrailingComma));
    assert_eq!(pos(&errs[0]), (3, 1));

    let errs = parse_errors("{\n  \"watch\": {\n");
    assert_eq!(errs[0].problem, Problem::Parse(ParseReason::UnexpectedEnd));
    assert_eq!(errs[0].line(), Some(3));

    let errs = parse_errors("{ watch: 1 }");
    assert_eq!(
        errs[0].problem,
        Problem::Parse(ParseReason::KeyMustBeString)
    );
    assert_eq!(pos(&errs[0]), (1, 3));

    let errs = parse_errors("");
    assert_eq!(errs[0].problem, Problem::Parse(ParseReason::UnexpectedEnd));
    assert_eq!(pos(&errs[0]), (1, 1));
}

#[test]
fn root_must_be_an_object_and_duplicates_are_errors() {
    let errs = parse_errors("[1, 2]");
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].code(), codes::CONFIG_INVALID_VALUE);
    assert_eq!(
        errs[0].message(Lang::En),
        "invalid value [1,2]: expected an object"
    );

    let errs = parse_errors("{\"watch\": {}, \"logging\": {}, \"watch\": {}}");
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].code(), codes::CONFIG_DUPLICATE_KEY);
    assert_eq!(pos(&errs[0]), (1, 30));
    assert_eq!(
        errs[0].message(Lang::En),
        "key `watch` appears more than once"
    );
}

#[test]
fn byte_order_mark_is_not_a_column() {
    let errs = parse_errors("\u{feff}{\"wach\": {}}");
    assert_eq!(pos(&errs[0]), (1, 2));
    assert_eq!(errs[0].suggestion, Some(Suggestion::Key("watch".into())));
}

#[test]
fn the_full_schema_round_trips_through_serde() {
    let doc = full_document();
    let loaded = parse_ok(&doc.to_string());
    // Every key is known to both the table and the serde types, with the
    // same spelling.
    assert_eq!(serde_json::to_value(loaded.file()).unwrap(), doc);
    let file = loaded.file();
    assert_eq!(
        file.compiler_options.as_ref().unwrap().source_map,
        Some(SourceMapSetting::Inline)
    );
    assert_eq!(file.service.as_ref().unwrap().management_port, Some(9090));

    // deny_unknown_fields at every level, for serde itself too.
    let sections: [&[&str]; 8] = [
        &[],
        &["compilerOptions"],
        &["resolution"],
        &["bundle"],
        &["watch"],
        &["service"],
        &["service", "circuitBreaker"],
        &["logging"],
    ];
    for path in sections.iter().chain([&["production"][..]].iter()) {
        let mut doc = full_document();
        let mut at = &mut doc;
        for k in path.iter() {
            at = at.get_mut(*k).unwrap();
        }
        at.as_object_mut().unwrap().insert("bogus".into(), json!(1));
        assert!(
            serde_json::from_value::<ConfigFile>(doc.clone()).is_err(),
            "serde accepted an unknown key in {path:?}"
        );
        let errs = parse_errors(&doc.to_string());
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].code(), codes::CONFIG_UNKNOWN_KEY);
    }

    assert_eq!(known_keys().len(), 39);
}

#[test]
fn enumerations_are_real_enums() {
    fn check<T>(names: &[&str], all: &[T])
    where
        T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
    {
        assert_eq!(names.len(), all.len());
        for (name, value) in names.iter().zip(all) {
            let parsed: T = serde_json::from_value(json!(name)).unwrap();
            assert_eq!(&parsed, value);
            assert_eq!(serde_json::to_value(value).unwrap(), json!(name));
        }
        let err = serde_json::from_value::<T>(json!("nope")).unwrap_err();
        assert!(err.to_string().contains("unknown variant"), "{err}");
    }
    check(Target::NAMES, Target::ALL);
    check(ModuleKind::NAMES, ModuleKind::ALL);
    check(Language::NAMES, Language::ALL);
    check(DiagnosticsFormat::NAMES, DiagnosticsFormat::ALL);
    check(BundleFormat::NAMES, BundleFormat::ALL);
    check(CircularPolicy::NAMES, CircularPolicy::ALL);
    check(LogLevel::NAMES, LogLevel::ALL);
    check(LogFormat::NAMES, LogFormat::ALL);
    assert_eq!(Target::parse("es2017"), Some(Target::Es2017));
    assert_eq!(Language::Tj.to_lang(), Lang::Tg);

    for (v, s) in [
        (json!(false), SourceMapSetting::Off),
        (json!(true), SourceMapSetting::File),
        (json!("inline"), SourceMapSetting::Inline),
    ] {
        assert_eq!(
            serde_json::from_value::<SourceMapSetting>(v.clone()).unwrap(),
            s
        );
        assert_eq!(serde_json::to_value(s).unwrap(), v);
        assert_eq!(s.to_json(), v);
    }
    assert!(serde_json::from_value::<SourceMapSetting>(json!("file")).is_err());
}

// ---------------------------------------------------------------------------
// `bundle.entry`: one path or several

#[test]
fn bundle_entry_may_be_an_array_of_entries() {
    let loaded = parse_ok(r#"{"bundle": {"entry": ["src/app.som", "src/admin.som"]}}"#);
    let eff = effective(Some(&loaded), &no_env(), &Overrides::new());
    assert_eq!(
        eff.bundle.entry.value,
        vec![
            PathBuf::from("/p/src/app.som"),
            PathBuf::from("/p/src/admin.som")
        ]
    );
    // `somon config` prints the array; one entry stays one string.
    let printed = eff.entry("bundle.entry").unwrap();
    assert_eq!(printed.value, json!(["/p/src/app.som", "/p/src/admin.som"]));
    let text = render_effective(&eff);
    assert!(
        text.lines().any(|l| l
            == "bundle.entry = [\"/p/src/app.som\",\"/p/src/admin.som\"] (config file /p/somon.config.json)"),
        "{text}"
    );
    let one = parse_ok(r#"{"bundle": {"entry": "main.som"}}"#);
    let eff = effective(Some(&one), &no_env(), &Overrides::new());
    assert_eq!(eff.bundle.entry.value, vec![PathBuf::from("/p/main.som")]);
    assert_eq!(
        eff.entry("bundle.entry").unwrap().value,
        json!("/p/main.som")
    );
    let none = effective(None, &no_env(), &Overrides::new());
    assert!(none.bundle.entry.value.is_empty());
    assert_eq!(none.entry("bundle.entry").unwrap().value, Value::Null);
}

#[test]
fn bundle_entry_arrays_must_be_non_empty_and_distinct() {
    let errs = parse_errors("{\"bundle\": {\"entry\": []}}");
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].code(), codes::CONFIG_INVALID_VALUE);
    assert_eq!(pos(&errs[0]), (1, 22));
    assert_eq!(
        errs[0].message(Lang::En),
        "invalid value [] for `bundle.entry`: expected the path of an entry module, or a non-empty array of such paths"
    );
    assert_eq!(
        errs[0].message(Lang::Tg),
        "қимати нодуруст [] барои `bundle.entry`: роҳи файли вуруд ё рӯйхати ғайрихолии чунин роҳҳо интизор мерафт"
    );
    let text = "{\"bundle\": {\"entry\": [\"a.som\", \"b.som\", \"a.som\", \"\"]}}";
    let errs = parse_errors(text);
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert_eq!(pos(&errs[0]), (1, 41));
    assert_eq!(
        errs[0].message(Lang::En),
        "invalid value \"a.som\" for `bundle.entry[2]`: expected an entry not listed before (it is already element 0)"
    );
    assert_eq!(
        errs[0].message(Lang::Ru),
        "недопустимое значение \"a.som\" для `bundle.entry[2]`: ожидалось вход, которого ещё нет в списке (он уже указан как элемент 0)"
    );
    assert_eq!(
        errs[1].message(Lang::En),
        "invalid value \"\" for `bundle.entry[3]`: expected a non-empty string"
    );
    let errs = parse_errors(r#"{"bundle": {"entry": 3}}"#);
    assert_eq!(errs.len(), 1);
    assert!(errs[0]
        .message(Lang::En)
        .contains("non-empty array of such paths"));
    // The JSON Schema says the same.
    assert_eq!(
        json_schema()["properties"]["bundle"]["properties"]["entry"]["oneOf"][1],
        json!({ "type": "array", "items": { "type": "string", "minLength": 1 }, "minItems": 1, "uniqueItems": true })
    );
}

#[test]
fn json_schema_is_strict_everywhere() {
    fn walk(v: &Value, objects: &mut usize) {
        if v.get("type") == Some(&json!("object")) && v.get("properties").is_some() {
            *objects += 1;
            assert_eq!(v.get("additionalProperties"), Some(&json!(false)));
            for p in v["properties"].as_object().unwrap().values() {
                walk(p, objects);
            }
        }
    }
    let schema = json_schema();
    let mut objects = 0;
    walk(&schema, &mut objects);
    assert_eq!(objects, 10);
    assert_eq!(
        schema["properties"]["watch"]["properties"]["debounceMs"],
        json!({ "type": "integer", "minimum": 10, "maximum": 10000 })
    );
}

// ---------------------------------------------------------------------------
// Paths

#[test]
fn relative_paths_resolve_against_the_config_folder_not_the_cwd() {
    let t = TempDir::new("paths");
    let cfg = t.write(
        "proj/somon.config.json",
        r#"{
  "compilerOptions": { "outDir": "dist" },
  "resolution": { "baseUrl": "./src", "paths": { "@/*": ["lib/*"] } },
  "bundle": { "entry": "src/main.som", "output": "../out/./app.js" }
}"#,
    );
    let cwd = t.mkdir("elsewhere/deeper");
    let loaded = find_and_load(&RealFs, &cwd, Path::new("."), Some(&cfg))
        .unwrap()
        .unwrap();
    let proj = t.path().join("proj");
    assert_eq!(loaded.resolve_path("dist"), proj.join("dist"));

    let mut o = Overrides::new();
    o.apply_flag("--out-dir", Some("build"), FlagScope::Compile)
        .unwrap();
    let eff = effective_config(Some(&loaded), &no_env(), &Overrides::new(), &cwd).unwrap();
    assert_eq!(eff.config_file, Some(cfg.clone()));
    assert_eq!(eff.compiler_options.out_dir.value, Some(proj.join("dist")));
    assert_eq!(eff.resolution.base_url.value, Some(proj.join("src")));
    assert_eq!(eff.bundle.entry.value, vec![proj.join("src/main.som")]);
    assert_eq!(eff.bundle.output.value, Some(t.path().join("out/app.js")));
    // Substitutions stay relative to baseUrl.
    assert_eq!(eff.resolution.paths.value["@/*"], vec!["lib/*".to_string()]);

    // A command-line path is relative to the working folder.
    let eff = effective_config(Some(&loaded), &no_env(), &o, &cwd).unwrap();
    assert_eq!(eff.compiler_options.out_dir.value, Some(cwd.join("build")));
    assert_eq!(
        eff.compiler_options.out_dir.source,
        Source::CommandLine("--out-dir".into())
    );

    // Absolute paths stay as they are.
    let abs = parse_ok(r#"{ "compilerOptions": { "outDir": "/srv/out" } }"#);
    let eff = effective(Some(&abs), &no_env(), &Overrides::new());
    assert_eq!(
        eff.compiler_options.out_dir.value,
        Some(PathBuf::from("/srv/out"))
    );
}

// ---------------------------------------------------------------------------
// Precedence, provenance, production

#[test]
fn defaults_without_anything() {
    let eff = effective(None, &no_env(), &Overrides::new());
    assert_eq!(eff.config_file, None);
    assert_eq!(
        eff.compiler_options.target,
        Setting::default_value(Target::Es2020)
    );
    assert_eq!(eff.compiler_options.module.value, ModuleKind::Cjs);
    assert_eq!(eff.compiler_options.source_map.value, SourceMapSetting::Off);
    assert!(eff.compiler_options.type_check.value);
    assert_eq!(eff.compiler_options.lang.value, None);
    assert_eq!(eff.bundle.format.value, BundleFormat::Cjs);
    assert_eq!(eff.bundle.circular.value, CircularPolicy::Warn);
    assert_eq!(eff.watch.debounce_ms.value, DEFAULT_DEBOUNCE_MS);
    assert_eq!(eff.service.host.value, "127.0.0.1");
    assert_eq!(eff.service.management_port.value, None);
    assert_eq!(eff.service.circuit_breaker.failure_threshold.value, 5);
    assert_eq!(eff.logging.level.value, LogLevel::Warn);
    assert_eq!(eff.logging.format.value, LogFormat::Text);
    assert!(!eff.is_production());
    assert!(eff.entries().iter().all(|e| *e.source == Source::Default));
    let keys: Vec<String> = eff.entries().iter().map(|e| e.key.to_string()).collect();
    assert_eq!(keys, known_keys());
}

#[test]
fn precedence_and_provenance() {
    let loaded = parse_ok(
        r#"{
  "compilerOptions": { "target": "es2015", "minify": true, "lang": "ru" },
  "logging": { "level": "info", "format": "json" },
  "bundle": { "external": ["a"] }
}"#,
    );
    let file = Source::ConfigFile(PathBuf::from("/p/somon.config.json"));
    let env = EnvValues::from_lookup(|name| (name == "SOMON_LOG").then(|| "DEBUG".to_string()));
    assert_eq!(env.somon_log.as_deref(), Some("DEBUG"));

    let mut o = Overrides::new();
    o.apply_flag("--target", Some("es2022"), FlagScope::Compile)
        .unwrap();
    o.apply_flag("--log-level", Some("trace"), FlagScope::Compile)
        .unwrap();

    // File < environment.
    let eff = effective(Some(&loaded), &env, &Overrides::new());
    assert_eq!(
        eff.compiler_options.target,
        Setting::new(Target::Es2015, file.clone())
    );
    assert_eq!(
        eff.logging.level,
        Setting::new(LogLevel::Debug, Source::Environment("SOMON_LOG".into()))
    );

    // Environment < command line.
    let eff = effective(Some(&loaded), &env, &o);
    assert_eq!(
        eff.compiler_options.target,
        Setting::new(Target::Es2022, Source::CommandLine("--target".into()))
    );
    assert_eq!(
        eff.logging.level,
        Setting::new(LogLevel::Trace, Source::CommandLine("--log-level".into()))
    );
    assert_eq!(
        eff.compiler_options.minify,
        Setting::new(true, file.clone())
    );
    assert_eq!(eff.compiler_options.lang.value, Some(Language::Ru));
    assert_eq!(
        eff.logging.format,
        Setting::new(LogFormat::Json, file.clone())
    );
    assert_eq!(
        eff.compiler_options.module,
        Setting::default_value(ModuleKind::Cjs)
    );

    let entry = eff.entry("compilerOptions.target").unwrap();
    assert_eq!(entry.value, json!("es2022"));
    assert_eq!(entry.source.to_string(), "command line --target");
    assert_eq!(file.to_string(), "config file /p/somon.config.json");
    assert_eq!(
        Source::Environment("SOMON_LOG".into()).to_string(),
        "environment SOMON_LOG"
    );
    assert_eq!(Source::Default.to_string(), "default");

    let text = render_effective(&eff);
    for line in [
        "configuration file: /p/somon.config.json",
        "production mode: off (default)",
        "compilerOptions.target = \"es2022\" (command line --target)",
        "compilerOptions.module = \"cjs\" (default)",
        "compilerOptions.minify = true (config file /p/somon.config.json)",
        "compilerOptions.outDir = (not set) (default)",
        "logging.level = \"trace\" (command line --log-level)",
        "bundle.external = [\"a\"] (config file /p/somon.config.json)",
        "service.host = \"127.0.0.1\" (default)",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing line {line:?} in\n{text}"
        );
    }
    assert_eq!(text.lines().count(), 2 + known_keys().len());

    // A later override of the same key wins; whole sections may be set.
    let mut o = Overrides::new();
    o.set("compilerOptions.target", json!("es5"), "first");
    o.set("compilerOptions", json!({ "target": "es2017" }), "second");
    let eff = effective(None, &no_env(), &o);
    assert_eq!(
        eff.compiler_options.target,
        Setting::new(Target::Es2017, Source::CommandLine("second".into()))
    );
}

#[test]
fn invalid_environment_and_command_line_values_are_reported_together() {
    let env = EnvValues {
        somon_log: Some("loud".into()),
        node_env: None,
    };
    let mut o = Overrides::new();
    o.apply_flag("--target", Some("es2099"), FlagScope::Compile)
        .unwrap();
    o.apply_flag("--management-port", Some("http"), FlagScope::Compile)
        .unwrap();
    o.set("compilerOptions.traget", json!("es5"), "--weird");
    let errs = effective_config(None, &env, &o, Path::new("/")).unwrap_err();
    let got: Vec<(&str, String)> = errs
        .iter()
        .map(|e| (e.code(), e.location_label(Lang::En)))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                codes::CONFIG_INVALID_VALUE,
                "environment SOMON_LOG".to_string()
            ),
            (
                codes::CONFIG_INVALID_VALUE,
                "command line --target".to_string()
            ),
            (
                codes::CONFIG_INVALID_VALUE,
                "command line --management-port".to_string()
            ),
            (
                codes::CONFIG_UNKNOWN_KEY,
                "command line --weird".to_string()
            ),
        ]
    );
    assert_eq!(
        errs[0].message(Lang::En),
        "invalid value \"loud\" for `logging.level`: expected one of: error, warn, info, debug, trace"
    );
    assert_eq!(
        errs[2].message(Lang::En),
        "invalid value \"http\" for `service.managementPort`: expected an integer from 1 to 65535"
    );
    assert_eq!(errs[3].suggestion, Some(Suggestion::Key("target".into())));
    assert_eq!(errs[0].file(), None);
    assert_eq!(errs[0].line(), None);
    assert_eq!(
        errs[1].to_string(),
        "command line --target: error[CONFIG_INVALID_VALUE]: invalid value \"es2099\" for `compilerOptions.target`: expected one of: es5, es2015, es2016, es2017, es2018, es2019, es2020, es2021, es2022, esnext"
    );
}

#[test]
fn production_mode_from_environment_and_flags() {
    let prod_env = EnvValues {
        somon_log: None,
        node_env: Some("production".into()),
    };
    let eff = effective(None, &prod_env, &Overrides::new());
    assert_eq!(
        eff.production.enabled,
        Setting::new(true, Source::Environment("NODE_ENV".into()))
    );
    assert_eq!(
        eff.logging.format,
        Setting::new(LogFormat::Json, Source::ProductionDefault)
    );
    assert_eq!(
        eff.compiler_options.inline_sources,
        Setting::new(false, Source::ProductionDefault)
    );
    assert_eq!(
        eff.bundle.inline_sources,
        Setting::new(false, Source::ProductionDefault)
    );
    assert!(render_effective(&eff)
        .lines()
        .any(|l| l == "production mode: on (environment NODE_ENV=production)"));

    // An explicit logging.format still wins over the production default.
    let text_logs = parse_ok(r#"{ "logging": { "format": "text" } }"#);
    let eff = effective(Some(&text_logs), &prod_env, &Overrides::new());
    assert_eq!(eff.logging.format.value, LogFormat::Text);

    // --no-production turns it off whatever NODE_ENV says.
    let mut off = Overrides::new();
    off.apply_flag("--no-production", None, FlagScope::Compile)
        .unwrap();
    let eff = effective(None, &prod_env, &off);
    assert_eq!(
        eff.production.enabled,
        Setting::new(false, Source::CommandLine("--no-production".into()))
    );
    assert_eq!(eff.logging.format, Setting::default_value(LogFormat::Text));

    // --production turns it on; other NODE_ENV values do not.
    let mut on = Overrides::new();
    on.apply_flag("--production", None, FlagScope::Bundle)
        .unwrap();
    let dev_env = EnvValues {
        somon_log: None,
        node_env: Some("development".into()),
    };
    assert!(!effective(None, &dev_env, &Overrides::new()).is_production());
    let eff = effective(None, &dev_env, &on);
    assert_eq!(
        eff.production.enabled,
        Setting::new(true, Source::CommandLine("--production".into()))
    );
    assert!(render_effective(&eff)
        .lines()
        .any(|l| l == "production mode: on (command line --production)"));

    // fatalWarnings apply only in production.
    let fatal = parse_ok(r#"{ "production": { "fatalWarnings": ["CIRCULAR_IMPORT"] } }"#);
    assert!(effective(Some(&fatal), &dev_env, &on).is_fatal_warning("CIRCULAR_IMPORT"));
    assert!(!effective(Some(&fatal), &dev_env, &on).is_fatal_warning("LEX"));
    assert!(
        !effective(Some(&fatal), &dev_env, &Overrides::new()).is_fatal_warning("CIRCULAR_IMPORT")
    );
}

#[test]
fn type_check_off_is_an_error_in_production() {
    let prod_env = EnvValues {
        somon_log: None,
        node_env: Some("production".into()),
    };
    let text = "{\n  \"compilerOptions\": {\n    \"typeCheck\": false\n  }\n}";
    let loaded = parse_ok(text);
    // Fine outside production.
    assert!(
        !effective(Some(&loaded), &no_env(), &Overrides::new())
            .compiler_options
            .type_check
            .value
    );

    let errs =
        effective_config(Some(&loaded), &prod_env, &Overrides::new(), Path::new("/")).unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].code(), codes::CONFIG_PRODUCTION_TYPE_CHECK);
    assert_eq!(errs[0].file(), Some(Path::new("/p/somon.config.json")));
    assert_eq!(pos(&errs[0]), (3, 18));
    assert_eq!(
        errs[0].message(Lang::En),
        "`compilerOptions.typeCheck` cannot be false in production mode (production mode is on: environment NODE_ENV=production)"
    );
    assert_eq!(errs[0].suggestion, Some(Suggestion::EnableTypeCheck));

    // From the command line.
    let mut o = Overrides::new();
    o.apply_flag("--no-type-check", None, FlagScope::Compile)
        .unwrap();
    o.apply_flag("--production", None, FlagScope::Compile)
        .unwrap();
    let errs = effective_config(None, &no_env(), &o, Path::new("/")).unwrap_err();
    assert_eq!(errs[0].code(), codes::CONFIG_PRODUCTION_TYPE_CHECK);
    assert_eq!(
        errs[0].origin,
        Origin::CommandLine("--no-type-check".into())
    );
    assert!(errs[0]
        .message(Lang::En)
        .ends_with("(production mode is on: command line --production)"));

    // --no-production lifts it.
    let mut o = Overrides::new();
    o.apply_flag("--no-type-check", None, FlagScope::Compile)
        .unwrap();
    o.apply_flag("--no-production", None, FlagScope::Compile)
        .unwrap();
    assert!(effective_config(Some(&loaded), &prod_env, &o, Path::new("/")).is_ok());
}

// ---------------------------------------------------------------------------
// The flag table

#[test]
fn the_flag_table_covers_every_option() {
    let compile = [
        ("--target", "compilerOptions.target"),
        ("--module", "compilerOptions.module"),
        ("--minify", "compilerOptions.minify"),
        ("--source-map", "compilerOptions.sourceMap"),
        ("--inline-sources", "compilerOptions.inlineSources"),
        ("--no-type-check", "compilerOptions.typeCheck"),
        ("--out-dir", "compilerOptions.outDir"),
        ("--lang", "compilerOptions.lang"),
        ("--diagnostics", "compilerOptions.diagnostics"),
        ("--log-level", "logging.level"),
        ("--log-format", "logging.format"),
        ("--management-port", "service.managementPort"),
    ];
    let bundle = [
        ("--target", "compilerOptions.target"),
        ("--format", "bundle.format"),
        ("--global-name", "bundle.globalName"),
        ("--external", "bundle.external"),
        ("--circular", "bundle.circular"),
        ("--minify", "bundle.minify"),
        ("--source-map", "bundle.sourceMap"),
        ("--inline-sources", "bundle.inlineSources"),
        ("--no-tree-shaking", "bundle.treeShaking"),
        ("--no-type-check", "compilerOptions.typeCheck"),
        ("--lang", "compilerOptions.lang"),
        ("--diagnostics", "compilerOptions.diagnostics"),
        ("--log-level", "logging.level"),
        ("--log-format", "logging.format"),
        ("--management-port", "service.managementPort"),
    ];
    for (scope, rows) in [
        (FlagScope::Compile, &compile[..]),
        (FlagScope::Bundle, &bundle[..]),
    ] {
        for (flag, key) in rows {
            let m = find_flag(flag, scope).unwrap_or_else(|| panic!("{flag} missing"));
            assert_eq!(m.key(), Some(*key), "{flag} in {scope:?}");
        }
    }
    assert_eq!(
        find_flag("--no-type-check", FlagScope::Compile)
            .unwrap()
            .target,
        FlagTarget::Set("compilerOptions.typeCheck", false)
    );
    assert_eq!(
        find_flag("--production", FlagScope::Compile)
            .unwrap()
            .target,
        FlagTarget::Production(true)
    );
    assert_eq!(
        find_flag("--no-production", FlagScope::Bundle)
            .unwrap()
            .target,
        FlagTarget::Production(false)
    );
    // Bundle-only options are not options of compile, and vice versa.
    assert!(find_flag("--format", FlagScope::Compile).is_none());
    assert!(find_flag("--circular", FlagScope::Compile).is_none());
    assert!(find_flag("--out-dir", FlagScope::Bundle).is_none());
    assert!(find_flag("--config", FlagScope::Compile).is_none());

    // Every key in the table is a known key.
    let known = known_keys();
    for m in CLI_FLAGS {
        if let Some(k) = m.key() {
            assert!(known.iter().any(|x| x == k), "{} → {k}", m.flag);
        }
    }
    let table = render_flag_table();
    assert!(table
        .contains("| `--no-type-check` | `compilerOptions.typeCheck` = `false` | all commands |"));
    assert_eq!(table.lines().count(), 2 + CLI_FLAGS.len());
}

#[test]
fn flag_arguments_become_typed_values() {
    let mut o = Overrides::new();
    o.apply_flag("--management-port", Some("8080"), FlagScope::Compile)
        .unwrap();
    o.apply_flag("--external", Some("lodash, react"), FlagScope::Bundle)
        .unwrap();
    o.apply_flag("--external", Some("vue"), FlagScope::Bundle)
        .unwrap();
    o.apply_flag("--source-map", Some("inline"), FlagScope::Bundle)
        .unwrap();
    o.apply_flag("--source-map", None, FlagScope::Compile)
        .unwrap();
    o.apply_flag("--minify", None, FlagScope::Bundle).unwrap();
    o.apply_flag("--lang", Some("tj"), FlagScope::Compile)
        .unwrap();
    let eff = effective(None, &no_env(), &o);
    assert_eq!(eff.service.management_port.value, Some(8080));
    assert_eq!(eff.bundle.external.value, vec!["lodash", "react", "vue"]);
    assert_eq!(eff.bundle.source_map.value, SourceMapSetting::Inline);
    assert_eq!(
        eff.compiler_options.source_map.value,
        SourceMapSetting::File
    );
    assert!(eff.bundle.minify.value);
    assert!(!eff.compiler_options.minify.value);
    assert_eq!(eff.compiler_options.lang.value, Some(Language::Tj));

    assert_eq!(
        flag_value("bundle.external", Some("a,,b")),
        Some(json!(["a", "b"]))
    );
    assert_eq!(
        flag_value("compilerOptions.lang", Some("TG")),
        Some(json!("tj"))
    );
    assert_eq!(
        flag_value("compilerOptions.lang", Some("de")),
        Some(json!("de"))
    );
    assert_eq!(flag_value("compilerOptions.target", None), None);
    assert_eq!(flag_value("no.such.key", Some("x")), None);

    // A missing argument and an unknown option.
    let err = o
        .apply_flag("--target", None, FlagScope::Compile)
        .unwrap_err();
    assert_eq!(err.code(), codes::CONFIG_INVALID_VALUE);
    assert_eq!(
        err.message(Lang::En),
        "missing value for `compilerOptions.target`: expected one of: es5, es2015, es2016, es2017, es2018, es2019, es2020, es2021, es2022, esnext"
    );
    let err = o
        .apply_flag("--format", Some("esm"), FlagScope::Compile)
        .unwrap_err();
    assert_eq!(err.code(), codes::CONFIG_UNKNOWN_FLAG);
    assert_eq!(
        err.message(Lang::En),
        "no configuration key for the command-line option `--format`"
    );
}

// ---------------------------------------------------------------------------
// Languages and rendering

#[test]
fn messages_in_english_tajik_and_russian() {
    let errs = parse_errors(
        "{\n  \"compilerOptions\": { \"traget\": \"es5\", \"module\": \"amd\" },\n  \"wach\": {}\n}",
    );
    let unknown = &errs[0];
    let invalid = &errs[1];
    assert_eq!(
        (unknown.code(), invalid.code()),
        (codes::CONFIG_UNKNOWN_KEY, codes::CONFIG_INVALID_VALUE)
    );

    assert!(unknown
        .message(Lang::En)
        .starts_with("unknown key `traget` in `compilerOptions` (valid keys: target,"));
    assert!(unknown
        .message(Lang::Tg)
        .starts_with("калиди номаълуми `traget` дар `compilerOptions` (калидҳои дуруст: target,"));
    assert!(unknown
        .message(Lang::Ru)
        .starts_with("неизвестный ключ `traget` в `compilerOptions` (допустимые ключи: target,"));
    assert_eq!(
        unknown.suggestion_text(Lang::Tg).unwrap(),
        "шояд `target` дар назар буд?"
    );
    assert_eq!(
        unknown.suggestion_text(Lang::Ru).unwrap(),
        "возможно, имелось в виду `target`?"
    );

    assert_eq!(
        invalid.message(Lang::Tg),
        "қимати нодуруст \"amd\" барои `compilerOptions.module`: яке аз инҳо: cjs, esm интизор мерафт"
    );
    assert_eq!(
        invalid.message(Lang::Ru),
        "недопустимое значение \"amd\" для `compilerOptions.module`: ожидалось одно из: cjs, esm"
    );

    let parse = &parse_errors("{,}")[0];
    assert_eq!(
        parse.message(Lang::Tg),
        "JSON-и нодуруст: калидҳо бояд сатрҳо дар нохунаки дукарата бошанд"
    );
    assert_eq!(
        parse.message(Lang::Ru),
        "некорректный JSON: ключи должны быть строками в двойных кавычках"
    );

    let read = ConfigError::new(
        Problem::ReadFailed(ReadReason::NotFound),
        Origin::File {
            path: "/x/.somonrc".into(),
            span: None,
        },
    );
    assert_eq!(
        read.message(Lang::Tg),
        "файли танзимотро хондан мумкин нест: файл ёфт нашуд"
    );
    assert_eq!(
        read.message(Lang::Ru),
        "не удалось прочитать файл конфигурации: файл не найден"
    );

    let prod = ConfigError::new(
        Problem::ProductionTypeCheck {
            because: Source::Environment("NODE_ENV".into()),
        },
        Origin::CommandLine("--no-type-check".into()),
    )
    .with_suggestion(Some(Suggestion::EnableTypeCheck));
    assert_eq!(
        prod.message(Lang::Tg),
        "дар реҷаи истеҳсолӣ `compilerOptions.typeCheck` наметавонад false бошад (реҷаи истеҳсолӣ фаъол аст: тағйирёбандаи муҳит NODE_ENV=production)"
    );
    assert_eq!(
        prod.message(Lang::Ru),
        "в производственном режиме `compilerOptions.typeCheck` не может быть false (производственный режим включён: переменная окружения NODE_ENV=production)"
    );
    assert_eq!(
        prod.location_label(Lang::Ru),
        "командная строка --no-type-check"
    );

    // Every problem has a non-empty text in every language, and the Tajik
    // and Russian texts are not the English one.
    let samples = vec![
        Problem::ReadFailed(ReadReason::PermissionDenied),
        Problem::ReadFailed(ReadReason::NotUtf8),
        Problem::Parse(ParseReason::UnexpectedEnd),
        Problem::Parse(ParseReason::TrailingComma),
        Problem::Parse(ParseReason::InvalidLiteral),
        Problem::UnknownKey {
            key: "x".into(),
            section: String::new(),
            known: vec!["watch"],
        },
        Problem::InvalidValue {
            key: "watch.debounceMs".into(),
            expected: Expected::Integer {
                min: 10,
                max: 10_000,
            },
            found: None,
        },
        Problem::InvalidValue {
            key: "bundle.external".into(),
            expected: Expected::TextList,
            found: Some("1".into()),
        },
        Problem::DuplicateKey {
            key: "watch".into(),
        },
        Problem::ProductionTypeCheck {
            because: Source::CommandLine("--production".into()),
        },
        Problem::UnknownFlag { flag: "--x".into() },
        Problem::LegacyKey {
            key: "compilerOptions.noTypeCheck".into(),
            replacement: "compilerOptions.typeCheck".into(),
            inverted: true,
        },
        Problem::LegacyKey {
            key: "bundle.externals".into(),
            replacement: "bundle.external".into(),
            inverted: false,
        },
        Problem::LegacyValue {
            key: "bundle.format".into(),
            old: "\"commonjs\"".into(),
            new: "\"cjs\"".into(),
        },
        Problem::IgnoredKey {
            key: "compilerOptions.strict".into(),
        },
    ];
    let cyrillic = |s: &str| s.chars().any(|c| ('\u{0400}'..='\u{04ff}').contains(&c));
    for p in samples {
        let e = ConfigError::new(p, Origin::CommandLine("--x".into()));
        let (en, tg, ru) = (
            e.message(Lang::En),
            e.message(Lang::Tg),
            e.message(Lang::Ru),
        );
        assert!(!en.is_empty() && !cyrillic(&en), "{en}");
        assert!(cyrillic(&tg) && tg != en, "{tg}");
        assert!(cyrillic(&ru) && ru != en && ru != tg, "{ru}");
    }
    assert_eq!(codes::ALL.len(), 9);
}

#[test]
fn rendering_like_other_diagnostics() {
    let errs = parse_errors("{\n  \"compilerOptions\": { \"traget\": \"es5\" }\n}");
    let e = &errs[0];
    let resolved = e.to_resolved(Lang::En);
    assert_eq!(resolved.code, "CONFIG_UNKNOWN_KEY");
    assert_eq!(resolved.file, "/p/somon.config.json");
    assert_eq!((resolved.line, resolved.column), (2, 24));
    assert_eq!((resolved.end_line, resolved.end_column), (2, 32));
    assert_eq!(
        resolved.snippet,
        "  \"compilerOptions\": { \"traget\": \"es5\" }"
    );
    assert_eq!(
        resolved.suggestion.as_deref(),
        Some("did you mean `target`?")
    );
    let text = e.render(Lang::En, RenderOptions { color: false });
    assert!(text.starts_with(
        "/p/somon.config.json:2:24: error[CONFIG_UNKNOWN_KEY]: unknown key `traget` in `compilerOptions`"
    ));
    assert!(
        text.contains("\n  |                        ^^^^^^^^\n"),
        "{text}"
    );
    assert!(text.ends_with("= help: did you mean `target`?\n"));
    assert_eq!(
        e.to_string(),
        "/p/somon.config.json:2:24: error[CONFIG_UNKNOWN_KEY]: unknown key `traget` in `compilerOptions` (valid keys: target, module, minify, keepNames, sourceMap, inlineSources, typeCheck, outDir, output, lang, diagnostics) (did you mean `target`?)"
    );

    // Without a position: no snippet, no caret.
    let env_err = ConfigError::new(
        Problem::InvalidValue {
            key: "logging.level".into(),
            expected: Expected::OneOf(LogLevel::NAMES),
            found: Some("\"loud\"".into()),
        },
        Origin::Environment("SOMON_LOG".into()),
    );
    assert_eq!(
        env_err.render(Lang::Ru, RenderOptions { color: false }),
        "переменная окружения SOMON_LOG: error[CONFIG_INVALID_VALUE]: недопустимое значение \"loud\" для `logging.level`: ожидалось одно из: error, warn, info, debug, trace\n"
    );
    assert_eq!(
        render_errors(
            &[env_err.clone(), env_err],
            Lang::En,
            RenderOptions::default()
        )
        .lines()
        .count(),
        2
    );
}

#[test]
fn render_effective_in_every_language() {
    let loaded = parse_ok(r#"{ "compilerOptions": { "target": "es5" } }"#);
    let eff = effective(Some(&loaded), &no_env(), &Overrides::new());
    let tg = render_effective_in(&eff, Lang::Tg);
    assert!(tg.starts_with(
        "файли танзимот: /p/somon.config.json\nреҷаи истеҳсолӣ: ғайрифаъол (пешфарз)\n"
    ));
    assert!(tg.contains("compilerOptions.target = \"es5\" (файли танзимот /p/somon.config.json)\n"));
    assert!(tg.contains("compilerOptions.outDir = (муқаррар нашудааст) (пешфарз)\n"));
    let ru = render_effective_in(&eff, Lang::Ru);
    assert!(ru.contains("производственный режим: выключен (по умолчанию)\n"));
    assert!(ru.contains("compilerOptions.module = \"cjs\" (по умолчанию)\n"));
    let none = render_effective(&effective(None, &no_env(), &Overrides::new()));
    assert!(none.starts_with("no configuration file\n"));
}

/// `format.indentWidth` and `format.lineWidth` (issue 14): defaults, the
/// configured values and their ranges.
#[test]
fn format_section() {
    let mut fs = MemoryFs::default();
    fs.insert(
        "/p/somon.config.json",
        r#"{ "format": { "indentWidth": 4, "lineWidth": 80 } }"#,
    );
    let loaded = find_and_load(&fs, Path::new("/p"), Path::new("."), None)
        .unwrap()
        .unwrap();
    let eff = effective_config(
        Some(&loaded),
        &EnvValues::default(),
        &Overrides::default(),
        Path::new("/p"),
    )
    .unwrap();
    assert_eq!(eff.format.indent_width.value, 4);
    assert_eq!(eff.format.line_width.value, 80);
    let eff = effective_config(
        None,
        &EnvValues::default(),
        &Overrides::default(),
        Path::new("/p"),
    )
    .unwrap();
    assert_eq!(eff.format.indent_width.value, DEFAULT_INDENT_WIDTH);
    assert_eq!(eff.format.line_width.value, DEFAULT_LINE_WIDTH);
    let errs = parse_errors(r#"{ "format": { "indentWidth": 0, "lineWidth": 5 } }"#);
    assert_eq!(errs.len(), 2);
    assert!(errs.iter().all(|e| e.code() == codes::CONFIG_INVALID_VALUE));
}

// ---------------------------------------------------------------------------
// Every platform's file system (in memory)

#[test]
fn discovery_and_loading_on_every_platform() {
    somon_fs::testing::each_platform(|p| {
        let fs = p.tree([
            (
                "/п/somon.config.json",
                "{\n  \"watch\": { \"debounceMs\": 40 }\n}\n",
            ),
            (
                "/п/src/ичора/.somonrc",
                "{\n  \"watch\": { \"debounceM\": 1 }\n}\n",
            ),
            ("/п/src/main.som", ""),
            ("/дигар/Somon.Config.json", "{}"),
        ]);
        let found = discover(&fs, &p.path("/п/src/deep/er"));
        assert_eq!(found, Some(p.path("/п/somon.config.json")), "{}", p.name);
        let loaded = find_and_load(&fs, &p.path("/п/src"), Path::new("."), None)
            .unwrap()
            .unwrap();
        assert_eq!(loaded.path(), p.path("/п/somon.config.json"), "{}", p.name);
        assert_eq!(loaded.file().watch.as_ref().unwrap().debounce_ms, Some(40));
        // --config relative to the working folder, `..` folded.
        let explicit = find_and_load(
            &fs,
            &p.path("/п/src/lib"),
            Path::new("."),
            Some(Path::new("../ичора/.somonrc")),
        )
        .unwrap_err();
        assert_eq!(explicit.len(), 1, "{}", p.name);
        assert_eq!(explicit[0].code(), codes::CONFIG_UNKNOWN_KEY, "{}", p.name);
        assert_eq!(
            explicit[0].file(),
            Some(p.path("/п/src/ичора/.somonrc").as_path()),
            "{}",
            p.name
        );
        assert_eq!(explicit[0].line(), Some(2), "{}", p.name);
        // A file name spelled in another case counts where names have no
        // case.
        let other = discover(&fs, &p.path("/дигар/лоиҳа"));
        assert_eq!(
            other.is_some(),
            p.semantics != somon_fs::Semantics::Unix,
            "{}",
            p.name
        );
    });
}
