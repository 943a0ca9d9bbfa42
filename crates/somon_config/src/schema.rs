//! The one configuration schema: serde types for the file (every level
//! `deny_unknown_fields`, camelCase keys) and the table of known keys per
//! level that validation, CLI overrides, documentation and the JSON Schema
//! are all derived from.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, Unexpected, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{json, Map, Value};

/// A closed set of string values: a real enum whose serde names, `NAMES`
/// list and `as_str` come from one literal each, so they cannot drift.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant ),+
        }

        impl $name {
            /// Every valid spelling, in schema order.
            pub const NAMES: &'static [&'static str] = &[$($text),+];
            /// Every value, in schema order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The spelling used in configuration files and on the command line.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text ),+
                }
            }

            /// The value spelled exactly `text`.
            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $( $text => Some($name::$variant), )+
                    _ => None,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum! {
    /// `compilerOptions.target`: the language level of the output.
    pub enum Target {
        Es5 = "es5",
        Es2015 = "es2015",
        Es2016 = "es2016",
        Es2017 = "es2017",
        Es2018 = "es2018",
        Es2019 = "es2019",
        Es2020 = "es2020",
        Es2021 = "es2021",
        Es2022 = "es2022",
        EsNext = "esnext",
    }
}

string_enum! {
    /// `compilerOptions.module`: the module format of compiled files.
    pub enum ModuleKind {
        Cjs = "cjs",
        Esm = "esm",
    }
}

string_enum! {
    /// `compilerOptions.lang`: the language of diagnostics.
    pub enum Language {
        En = "en",
        /// Tajik.
        Tj = "tj",
        Ru = "ru",
    }
}

impl Language {
    /// The catalogue language of `somon_diagnostics`.
    pub fn to_lang(self) -> somon_diagnostics::Lang {
        match self {
            Language::En => somon_diagnostics::Lang::En,
            Language::Tj => somon_diagnostics::Lang::Tg,
            Language::Ru => somon_diagnostics::Lang::Ru,
        }
    }
}

string_enum! {
    /// `compilerOptions.diagnostics`: how diagnostics are printed.
    pub enum DiagnosticsFormat {
        Pretty = "pretty",
        Json = "json",
    }
}

string_enum! {
    /// `bundle.format`.
    pub enum BundleFormat {
        Cjs = "cjs",
        Esm = "esm",
        Iife = "iife",
        Umd = "umd",
    }
}

string_enum! {
    /// `bundle.platform`: where a bundle runs (Node.js built-ins allowed
    /// only for `node`).
    pub enum Platform {
        Node = "node",
        Browser = "browser",
        Neutral = "neutral",
    }
}

string_enum! {
    /// `bundle.circular`: what an import cycle is.
    pub enum CircularPolicy {
        Warn = "warn",
        Error = "error",
    }
}

string_enum! {
    /// `logging.level`.
    pub enum LogLevel {
        Error = "error",
        Warn = "warn",
        Info = "info",
        Debug = "debug",
        Trace = "trace",
    }
}

string_enum! {
    /// `logging.format`.
    pub enum LogFormat {
        Text = "text",
        Json = "json",
    }
}

/// `sourceMap`: `false`, `true` (a separate `.map` file) or `"inline"` (a
/// data URL at the end of the output).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SourceMapSetting {
    #[default]
    Off,
    File,
    Inline,
}

impl SourceMapSetting {
    /// The JSON spelling: `false`, `true` or `"inline"`.
    pub fn to_json(self) -> Value {
        match self {
            SourceMapSetting::Off => Value::Bool(false),
            SourceMapSetting::File => Value::Bool(true),
            SourceMapSetting::Inline => Value::String("inline".into()),
        }
    }
}

impl Serialize for SourceMapSetting {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            SourceMapSetting::Off => serializer.serialize_bool(false),
            SourceMapSetting::File => serializer.serialize_bool(true),
            SourceMapSetting::Inline => serializer.serialize_str("inline"),
        }
    }
}

impl<'de> Deserialize<'de> for SourceMapSetting {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SourceMapVisitor;

        impl Visitor<'_> for SourceMapVisitor {
            type Value = SourceMapSetting;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("true, false or \"inline\"")
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<SourceMapSetting, E> {
                Ok(if v {
                    SourceMapSetting::File
                } else {
                    SourceMapSetting::Off
                })
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<SourceMapSetting, E> {
                if v == "inline" {
                    Ok(SourceMapSetting::Inline)
                } else {
                    Err(E::invalid_value(Unexpected::Str(v), &self))
                }
            }
        }

        deserializer.deserialize_any(SourceMapVisitor)
    }
}

/// The contents of one configuration file, exactly as written (paths are
/// the raw strings; see [`crate::EffectiveConfig`] for resolved values).
///
/// Ranges (`watch.debounceMs` 10..=10000 …) and non-empty strings are checked
/// by [`crate::parse_config`], not by serde alone: always load files through
/// it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ConfigFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compiler_options: Option<CompilerOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<ResolutionOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bundle: Option<BundleOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub watch: Option<WatchOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logging: Option<LoggingOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub production: Option<ProductionOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<FormatOptions>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CompilerOptions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<Target>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module: Option<ModuleKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minify: Option<bool>,
    /// With `minify`: keep `.name` of functions and classes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keep_names: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_map: Option<SourceMapSetting>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inline_sources: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type_check: Option<bool>,
    /// Relative to the configuration file's folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub out_dir: Option<String>,
    /// The output file of `somon compile <one file>` without `-o`
    /// (relative to the configuration file's folder; wins over `outDir`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<Language>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diagnostics: Option<DiagnosticsFormat>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ResolutionOptions {
    /// Relative to the configuration file's folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// Pattern → substitutions (relative to `baseUrl`, as in tsconfig).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paths: Option<BTreeMap<String, Vec<String>>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BundleOptions {
    /// One entry module, or several (each relative to the configuration
    /// file's folder).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<EntryPoints>,
    /// Relative to the configuration file's folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<BundleFormat>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minify: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_map: Option<SourceMapSetting>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inline_sources: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub circular: Option<CircularPolicy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// esbuild's `--define`: `"NAME=value"` strings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub define: Option<Vec<String>>,
    /// esbuild's `--drop`: `console`, `debugger`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drop: Option<Vec<String>>,
    /// `--precompress`: `gzip`, `br`, each with an optional `=level`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precompress: Option<Vec<String>>,
    /// `bundle.treeShaking`: drop code no entry reaches (default true).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tree_shaking: Option<bool>,
}

/// `bundle.entry`: one path, or a non-empty array of distinct paths (as
/// written; validation checks both forms).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum EntryPoints {
    One(String),
    Several(Vec<String>),
}

impl EntryPoints {
    /// The paths, in the order written.
    pub fn paths(&self) -> Vec<&str> {
        match self {
            EntryPoints::One(p) => vec![p.as_str()],
            EntryPoints::Several(ps) => ps.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WatchOptions {
    /// 10..=10000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub debounce_ms: Option<u64>,
}

/// `somon fmt`'s layout.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FormatOptions {
    /// Spaces per indentation level, 1..=16.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indent_width: Option<u64>,
    /// The width lines should fit in, 20..=1000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_width: Option<u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ServiceOptions {
    /// 1..=65535.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub management_port: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// At least 1000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shutdown_timeout_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub circuit_breaker: Option<CircuitBreakerOptions>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CircuitBreakerOptions {
    /// At least 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_threshold: Option<u64>,
    /// At least 1000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_ms: Option<u64>,
    /// At least 1000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cooldown_ms: Option<u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LoggingOptions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<LogLevel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<LogFormat>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ProductionOptions {
    /// Diagnostic codes whose warnings are errors in production mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fatal_warnings: Option<Vec<String>>,
}

// ---------------------------------------------------------------------------
// The table of known keys.

/// One key of one level of the schema.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Field {
    pub key: &'static str,
    pub kind: Kind,
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum Kind {
    Section(&'static [Field]),
    Leaf(Leaf),
}

/// What a leaf value may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Leaf {
    Bool,
    /// `true`, `false` or `"inline"`.
    SourceMap,
    /// A non-empty string.
    Text,
    /// A non-empty string naming a file or folder.
    Path,
    Enum(&'static [&'static str]),
    /// An integer in `min..=max`.
    Int {
        min: u64,
        max: u64,
    },
    /// An array of non-empty strings.
    TextList,
    /// An object mapping patterns to arrays of non-empty strings.
    PathMap,
    /// An array of diagnostic codes (`[A-Z][A-Z0-9_]*`).
    CodeList,
    /// A non-empty string naming a file, or a non-empty array of distinct
    /// ones (`bundle.entry`).
    PathOrPaths,
}

const fn leaf(key: &'static str, leaf: Leaf) -> Field {
    Field {
        key,
        kind: Kind::Leaf(leaf),
    }
}

const fn section(key: &'static str, fields: &'static [Field]) -> Field {
    Field {
        key,
        kind: Kind::Section(fields),
    }
}

pub(crate) const COMPILER_OPTIONS: &[Field] = &[
    leaf("target", Leaf::Enum(Target::NAMES)),
    leaf("module", Leaf::Enum(ModuleKind::NAMES)),
    leaf("minify", Leaf::Bool),
    leaf("keepNames", Leaf::Bool),
    leaf("sourceMap", Leaf::SourceMap),
    leaf("inlineSources", Leaf::Bool),
    leaf("typeCheck", Leaf::Bool),
    leaf("outDir", Leaf::Path),
    leaf("output", Leaf::Path),
    leaf("lang", Leaf::Enum(Language::NAMES)),
    leaf("diagnostics", Leaf::Enum(DiagnosticsFormat::NAMES)),
];

pub(crate) const RESOLUTION: &[Field] =
    &[leaf("baseUrl", Leaf::Path), leaf("paths", Leaf::PathMap)];

pub(crate) const BUNDLE: &[Field] = &[
    leaf("entry", Leaf::PathOrPaths),
    leaf("output", Leaf::Path),
    leaf("format", Leaf::Enum(BundleFormat::NAMES)),
    leaf("globalName", Leaf::Text),
    leaf("external", Leaf::TextList),
    leaf("minify", Leaf::Bool),
    leaf("sourceMap", Leaf::SourceMap),
    leaf("inlineSources", Leaf::Bool),
    leaf("circular", Leaf::Enum(CircularPolicy::NAMES)),
    leaf("platform", Leaf::Enum(Platform::NAMES)),
    leaf("define", Leaf::TextList),
    leaf("drop", Leaf::TextList),
    leaf("precompress", Leaf::TextList),
    leaf("treeShaking", Leaf::Bool),
];

pub(crate) const WATCH: &[Field] = &[leaf(
    "debounceMs",
    Leaf::Int {
        min: 10,
        max: 10_000,
    },
)];

pub(crate) const CIRCUIT_BREAKER: &[Field] = &[
    leaf(
        "failureThreshold",
        Leaf::Int {
            min: 1,
            max: u64::MAX,
        },
    ),
    leaf(
        "windowMs",
        Leaf::Int {
            min: 1000,
            max: u64::MAX,
        },
    ),
    leaf(
        "cooldownMs",
        Leaf::Int {
            min: 1000,
            max: u64::MAX,
        },
    ),
];

pub(crate) const SERVICE: &[Field] = &[
    leaf(
        "managementPort",
        Leaf::Int {
            min: 1,
            max: 65_535,
        },
    ),
    leaf("host", Leaf::Text),
    leaf(
        "shutdownTimeoutMs",
        Leaf::Int {
            min: 1000,
            max: u64::MAX,
        },
    ),
    section("circuitBreaker", CIRCUIT_BREAKER),
];

pub(crate) const LOGGING: &[Field] = &[
    leaf("level", Leaf::Enum(LogLevel::NAMES)),
    leaf("format", Leaf::Enum(LogFormat::NAMES)),
];

pub(crate) const PRODUCTION: &[Field] = &[leaf("fatalWarnings", Leaf::CodeList)];

pub(crate) const FORMAT: &[Field] = &[
    leaf("indentWidth", Leaf::Int { min: 1, max: 16 }),
    leaf("lineWidth", Leaf::Int { min: 20, max: 1000 }),
];

/// The top level.
pub(crate) const ROOT: &[Field] = &[
    section("compilerOptions", COMPILER_OPTIONS),
    section("resolution", RESOLUTION),
    section("bundle", BUNDLE),
    section("watch", WATCH),
    section("service", SERVICE),
    section("logging", LOGGING),
    section("production", PRODUCTION),
    section("format", FORMAT),
];

/// The keys of one level, in schema order.
pub(crate) fn keys_of(fields: &'static [Field]) -> Vec<&'static str> {
    fields.iter().map(|f| f.key).collect()
}

/// Every leaf key as a dotted path (`compilerOptions.target` …), in schema
/// order: the keys `somon config` lists and CLI overrides may set.
pub fn known_keys() -> Vec<String> {
    fn walk(fields: &'static [Field], prefix: &str, out: &mut Vec<String>) {
        for f in fields {
            let path = if prefix.is_empty() {
                f.key.to_string()
            } else {
                format!("{prefix}.{}", f.key)
            };
            match f.kind {
                Kind::Section(inner) => walk(inner, &path, out),
                Kind::Leaf(_) => out.push(path),
            }
        }
    }
    let mut out = Vec::new();
    walk(ROOT, "", &mut out);
    out
}

/// Looks up a dotted key path. `Err((depth, level))` names the first
/// segment that is not a key of its level (and the level's fields).
pub(crate) fn lookup(path: &str) -> Result<Kind, (usize, &'static [Field])> {
    let mut level: &'static [Field] = ROOT;
    let segments: Vec<&str> = path.split('.').collect();
    let last = segments.len().saturating_sub(1);
    for (i, seg) in segments.iter().enumerate() {
        let Some(field) = level.iter().find(|f| f.key == *seg) else {
            return Err((i, level));
        };
        if i == last {
            return Ok(field.kind);
        }
        match field.kind {
            Kind::Section(inner) => level = inner,
            Kind::Leaf(_) => return Err((i + 1, &[])),
        }
    }
    Err((0, ROOT))
}

/// The leaf kind of a dotted key path, if it names a leaf.
pub(crate) fn leaf_of(path: &str) -> Option<Leaf> {
    match lookup(path) {
        Ok(Kind::Leaf(l)) => Some(l),
        _ => None,
    }
}

/// A JSON Schema (draft 2020-12) of the configuration file, generated from
/// the same table that validates it: for editors and documentation.
pub fn json_schema() -> Value {
    fn leaf_schema(leaf: Leaf) -> Value {
        let text = json!({ "type": "string", "minLength": 1 });
        match leaf {
            Leaf::Bool => json!({ "type": "boolean" }),
            Leaf::SourceMap => json!({ "enum": [true, false, "inline"] }),
            Leaf::Text | Leaf::Path => text,
            Leaf::Enum(names) => json!({ "type": "string", "enum": names }),
            Leaf::Int { min, max } => {
                let mut o = Map::new();
                o.insert("type".into(), json!("integer"));
                o.insert("minimum".into(), json!(min));
                if max != u64::MAX {
                    o.insert("maximum".into(), json!(max));
                }
                Value::Object(o)
            }
            Leaf::TextList => json!({ "type": "array", "items": text }),
            Leaf::PathMap => json!({
                "type": "object",
                "additionalProperties": { "type": "array", "items": text }
            }),
            Leaf::CodeList => json!({
                "type": "array",
                "items": { "type": "string", "pattern": "^[A-Z][A-Z0-9_]*$" }
            }),
            Leaf::PathOrPaths => json!({
                "oneOf": [
                    text,
                    { "type": "array", "items": text, "minItems": 1, "uniqueItems": true }
                ]
            }),
        }
    }
    fn object(fields: &'static [Field]) -> Value {
        let mut props = Map::new();
        for f in fields {
            let v = match f.kind {
                Kind::Section(inner) => object(inner),
                Kind::Leaf(l) => leaf_schema(l),
            };
            props.insert(f.key.to_string(), v);
        }
        json!({ "type": "object", "additionalProperties": false, "properties": props })
    }
    let mut root = object(ROOT);
    if let Value::Object(o) = &mut root {
        o.insert(
            "$schema".into(),
            json!("https://json-schema.org/draft/2020-12/schema"),
        );
        o.insert("title".into(), json!("SomonScript configuration"));
    }
    root
}
