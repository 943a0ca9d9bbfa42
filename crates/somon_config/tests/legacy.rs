//! Configuration files of the previous SomonScript compiler (written here
//! from its documented schema: `compilerOptions`, `moduleSystem`,
//! `bundle`): read with one warning per key, mapped where the key has a
//! meaning, ignored where it has none; truly unknown keys stay errors;
//! hints never invert a meaning; `migrated_text` validates cleanly.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use somon_config::*;
use somon_diagnostics::Severity;

const FILE: &str = "/p/somon.config.json";

fn load(text: &str) -> LoadedConfig {
    match parse_config(text, Path::new(FILE)) {
        Ok(c) => c,
        Err(e) => panic!("unexpected errors: {e:#?}"),
    }
}

fn errors(text: &str) -> Vec<ConfigError> {
    match parse_config(text, Path::new(FILE)) {
        Ok(_) => panic!("expected errors"),
        Err(e) => e,
    }
}

fn effective(c: &LoadedConfig) -> EffectiveConfig {
    match effective_config(
        Some(c),
        &EnvValues::default(),
        &Overrides::new(),
        Path::new("/p"),
    ) {
        Ok(e) => e,
        Err(e) => panic!("unexpected errors: {e:#?}"),
    }
}

/// `(code, message)` of each warning, in file order.
fn warnings(c: &LoadedConfig) -> Vec<(&'static str, String)> {
    c.warnings()
        .iter()
        .map(|w| (w.code(), w.message(somon_diagnostics::Lang::En)))
        .collect()
}

/// The `somon.config.json` its `init` wrote, and every other key of its
/// schema.
const OLD_PROJECT: &str = r#"{
  "compilerOptions": {
    "target": "es2020",
    "sourceMap": false,
    "minify": false,
    "noTypeCheck": true,
    "strict": false,
    "outDir": "dist",
    "watch": false,
    "compileOnSave": false,
    "output": "dist/main.js"
  },
  "moduleSystem": {
    "resolution": {
      "baseUrl": "src",
      "paths": { "@lib/*": ["lib/*"] },
      "extensions": [".som", ".js"],
      "moduleDirectories": ["node_modules"],
      "allowJs": true,
      "resolveJsonModule": true
    },
    "loading": { "encoding": "utf-8", "cache": true, "circularDependencyStrategy": "error" },
    "compilation": { "target": "es5" },
    "metrics": true,
    "circuitBreakers": true,
    "logger": true,
    "managementServer": true,
    "managementPort": 9300
  },
  "bundle": {
    "format": "commonjs",
    "minify": true,
    "sourceMaps": true,
    "inlineSources": true,
    "externals": ["lodash"],
    "force": true,
    "output": "dist/bundle.js"
  }
}"#;

#[test]
fn an_old_project_file_loads_with_one_warning_per_key() {
    let c = load(OLD_PROJECT);
    let w = warnings(&c);
    let legacy: Vec<&String> = w
        .iter()
        .filter(|(code, _)| *code == codes::CONFIG_LEGACY_KEY)
        .map(|(_, m)| m)
        .collect();
    let ignored: Vec<&String> = w
        .iter()
        .filter(|(code, _)| *code == codes::CONFIG_IGNORED_KEY)
        .map(|(_, m)| m)
        .collect();
    // Moved: noTypeCheck, baseUrl, paths, circularDependencyStrategy,
    // managementPort, sourceMaps, externals; and the value "commonjs".
    assert_eq!(legacy.len(), 8, "{w:#?}");
    for (old, new) in [
        ("compilerOptions.noTypeCheck", "compilerOptions.typeCheck"),
        ("moduleSystem.resolution.baseUrl", "resolution.baseUrl"),
        ("moduleSystem.resolution.paths", "resolution.paths"),
        (
            "moduleSystem.loading.circularDependencyStrategy",
            "bundle.circular",
        ),
        ("moduleSystem.managementPort", "service.managementPort"),
        ("bundle.sourceMaps", "bundle.sourceMap"),
        ("bundle.externals", "bundle.external"),
    ] {
        assert!(
            legacy
                .iter()
                .any(|m| m.contains(&format!("`{old}`")) && m.contains(&format!("`{new}`"))),
            "{old} → {new}: {w:#?}"
        );
    }
    assert!(legacy
        .iter()
        .any(|m| m.contains("\"commonjs\"") && m.contains("\"cjs\"")));
    // Ignored: strict, watch, compileOnSave, extensions,
    // moduleDirectories, allowJs, resolveJsonModule, encoding, cache,
    // compilation, metrics, circuitBreakers, logger, managementServer, force.
    assert_eq!(ignored.len(), 15, "{w:#?}");
    // Its `compilerOptions.output` is a key here too.
    assert!(!w.iter().any(|(_, m)| m.contains("compilerOptions.output")));
    assert!(c
        .warnings()
        .iter()
        .all(|w| w.severity() == Severity::Warning && w.line().is_some()));

    let e = effective(&c);
    assert!(!e.compiler_options.type_check.value, "noTypeCheck: true");
    assert_eq!(
        e.resolution.base_url.value,
        Some(Path::new("/p/src").to_path_buf())
    );
    assert_eq!(
        e.resolution.paths.value.get("@lib/*"),
        Some(&vec!["lib/*".to_string()])
    );
    assert_eq!(e.bundle.circular.value, CircularPolicy::Error);
    assert_eq!(e.bundle.format.value, BundleFormat::Cjs);
    assert_eq!(e.bundle.external.value, vec!["lodash".to_string()]);
    assert_eq!(e.bundle.source_map.value, SourceMapSetting::File);
    assert_eq!(e.service.management_port.value, Some(9300));
    assert_eq!(e.compiler_options.target.value, Target::Es2020);
    assert_eq!(
        e.compiler_options.output.value,
        Some(Path::new("/p/dist/main.js").to_path_buf())
    );
}

/// `noTypeCheck: false` keeps type checking on, and no hint ever says to
/// write `typeCheck` with the same value.
#[test]
fn no_type_check_false_keeps_type_checking() {
    let c = load(r#"{ "compilerOptions": { "noTypeCheck": false } }"#);
    assert!(effective(&c).compiler_options.type_check.value);
    let w = warnings(&c);
    assert_eq!(w.len(), 1);
    assert!(w[0].1.contains("opposite value"), "{w:?}");

    // An unknown `noX` key elsewhere is the opposite of `x`, not a typo.
    let e = errors(r#"{ "bundle": { "noMinify": true } }"#);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].code(), codes::CONFIG_UNKNOWN_KEY);
    assert!(matches!(
        &e[0].suggestion,
        Some(Suggestion::Opposite { positive, .. }) if positive == "minify"
    ));
}

#[test]
fn ignore_strategy_reads_as_warn() {
    let c =
        load(r#"{ "moduleSystem": { "loading": { "circularDependencyStrategy": "ignore" } } }"#);
    assert_eq!(effective(&c).bundle.circular.value, CircularPolicy::Warn);
}

/// A key of this schema written next to its old spelling wins.
#[test]
fn the_new_key_wins_over_the_old_spelling() {
    let c = load(r#"{ "compilerOptions": { "typeCheck": true, "noTypeCheck": true } }"#);
    assert!(effective(&c).compiler_options.type_check.value);
}

#[test]
fn truly_unknown_keys_stay_errors() {
    let e = errors(
        r#"{ "moduleSystem": { "resolution": { "aliases": {} }, "plugins": [] }, "compilerOptions": { "jsx": "react" } }"#,
    );
    let shown: Vec<String> = e.iter().map(|e| e.to_string()).collect();
    assert_eq!(e.len(), 3, "{shown:#?}");
    assert!(e.iter().all(|e| e.code() == codes::CONFIG_UNKNOWN_KEY));
    assert!(shown
        .iter()
        .any(|s| s.contains("`aliases` in `moduleSystem.resolution`")));
    assert!(shown
        .iter()
        .any(|s| s.contains("`plugins` in `moduleSystem`")));
    assert!(shown
        .iter()
        .any(|s| s.contains("`jsx` in `compilerOptions`")));
}

/// A value of a recognised key that was invalid in the old schema too is
/// an error at that value.
#[test]
fn invalid_old_values_are_errors_at_the_value() {
    let e = errors(r#"{ "compilerOptions": { "noTypeCheck": "yes" } }"#);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].code(), codes::CONFIG_INVALID_VALUE);
    assert_eq!((e[0].line(), e[0].column()), (Some(1), Some(39)));
    assert!(e[0].to_string().contains("compilerOptions.noTypeCheck"));
}

/// A plain value is not pointed at a section (`watch: false` is not the
/// `watch` section).
#[test]
fn scalar_values_are_not_pointed_at_sections() {
    let e = errors(r#"{ "bundle": { "service": 5, "Watch": false } }"#);
    assert_eq!(e.len(), 2);
    assert!(e.iter().all(|e| e.suggestion.is_none()), "{e:#?}");
    // An object is: it may be the section written in the wrong place.
    let e = errors(r#"{ "bundle": { "service": { "host": "x" } } }"#);
    assert!(matches!(&e[0].suggestion, Some(Suggestion::Path(p)) if p == "service"));
}

/// tsconfig spellings get the exact value or key to write.
#[test]
fn tsconfig_spellings_are_hinted_precisely() {
    let hint = |text: &str| -> Vec<Option<Suggestion>> {
        errors(text).into_iter().map(|e| e.suggestion).collect()
    };
    let v = |s: &str| Some(Suggestion::Value(format!("\"{s}\"")));
    assert_eq!(
        hint(r#"{ "compilerOptions": { "target": "ES2020" } }"#),
        vec![v("es2020")]
    );
    assert_eq!(
        hint(r#"{ "compilerOptions": { "target": "ES6" } }"#),
        vec![v("es2015")]
    );
    assert_eq!(
        hint(r#"{ "compilerOptions": { "module": "commonjs" } }"#),
        vec![v("cjs")]
    );
    assert_eq!(
        hint(r#"{ "compilerOptions": { "module": "ESNext" } }"#),
        vec![v("esm")]
    );
    assert_eq!(hint(r#"{ "bundle": { "format": "ESM" } }"#), vec![v("esm")]);
    assert_eq!(
        hint(r#"{ "compilerOptions": { "sourceMaps": true } }"#),
        vec![Some(Suggestion::Key("sourceMap".into()))]
    );
}

/// `migrated_text` is the same configuration in this schema: it loads
/// without a warning or error and gives the same effective values.
#[test]
fn the_migrated_file_validates_cleanly_and_means_the_same() {
    let old = load(OLD_PROJECT);
    let text = old.migrated_text().expect("something to migrate");
    let new = load(&text);
    assert!(new.warnings().is_empty(), "{:#?}", new.warnings());
    assert_eq!(new.migrated_text(), None);
    assert_eq!(
        render_effective(&effective(&old)),
        render_effective(&effective(&new))
    );
    assert!(text.ends_with("}\n"));
    assert!(!text.contains("moduleSystem") && !text.contains("noTypeCheck"));
    // A file of this schema has nothing to migrate.
    assert_eq!(
        load(r#"{ "compilerOptions": { "typeCheck": false } }"#).migrated_text(),
        None
    );
}
