//! The effective configuration: defaults < configuration file < environment
//! < command line, every value with the layer it came from, paths resolved
//! (file paths against the file's folder, command-line paths against the
//! working directory), and production mode.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use somon_diagnostics::Lang;

use crate::error::{ConfigError, Expected, Origin, Problem, Suggestion};
use crate::paths::{absolutize, parent_dir};
use crate::provenance::{Setting, Source};
use crate::schema::{
    leaf_of, BundleFormat, CircularPolicy, DiagnosticsFormat, EntryPoints, Language, Leaf,
    LogFormat, LogLevel, ModuleKind, Platform, SourceMapSetting, Target,
};
use crate::texts::{self, Word};
use crate::validate::{check_document, describe, leaves, LoadedConfig};

/// The environment variables configuration reads (an allow-list: no other
/// variable changes the configuration).
pub const ENV_VARIABLES: [&str; 2] = ["SOMON_LOG", "NODE_ENV"];

/// The values of [`ENV_VARIABLES`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EnvValues {
    /// `SOMON_LOG` → `logging.level` (case-insensitive, validated).
    pub somon_log: Option<String>,
    /// `NODE_ENV=production` → production mode.
    pub node_env: Option<String>,
}

impl EnvValues {
    /// Reads the allow-listed variables through `lookup` (for the real
    /// process: `|name| std::env::var(name).ok()`).
    pub fn from_lookup(mut lookup: impl FnMut(&str) -> Option<String>) -> Self {
        EnvValues {
            somon_log: lookup("SOMON_LOG"),
            node_env: lookup("NODE_ENV"),
        }
    }
}

/// One command-line override: a dotted key (a leaf, or a section with an
/// object value), its JSON value and the origin shown as its source
/// (`--target` → `command line --target`).
#[derive(Clone, Debug, PartialEq)]
pub struct CliOverride {
    pub key: String,
    pub value: Value,
    pub origin: String,
}

/// `--production` / `--no-production`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductionFlag {
    pub enabled: bool,
    pub origin: String,
}

/// Everything the command line overrides, in the order given (a later
/// override of the same key wins).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overrides {
    pub values: Vec<CliOverride>,
    pub production: Option<ProductionFlag>,
}

impl Overrides {
    pub fn new() -> Self {
        Overrides::default()
    }

    pub fn set(
        &mut self,
        key: impl Into<String>,
        value: Value,
        origin: impl Into<String>,
    ) -> &mut Self {
        self.values.push(CliOverride {
            key: key.into(),
            value,
            origin: origin.into(),
        });
        self
    }

    pub fn set_production(&mut self, enabled: bool, origin: impl Into<String>) -> &mut Self {
        self.production = Some(ProductionFlag {
            enabled,
            origin: origin.into(),
        });
        self
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct CompilerSettings {
    pub target: Setting<Target>,
    pub module: Setting<ModuleKind>,
    pub minify: Setting<bool>,
    /// With minification: keep `.name` of functions and classes (for
    /// bundles too).
    pub keep_names: Setting<bool>,
    pub source_map: Setting<SourceMapSetting>,
    pub inline_sources: Setting<bool>,
    pub type_check: Setting<bool>,
    pub out_dir: Setting<Option<PathBuf>>,
    /// The output file of a one-file compile without `-o`.
    pub output: Setting<Option<PathBuf>>,
    /// `None`: not configured; the CLI chooses from the environment
    /// (`SOMON_LANG`, locale).
    pub lang: Setting<Option<Language>>,
    pub diagnostics: Setting<DiagnosticsFormat>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ResolutionSettings {
    /// `None`: the entry's folder.
    pub base_url: Setting<Option<PathBuf>>,
    /// Substitutions stay as written: they are relative to `base_url`.
    pub paths: Setting<BTreeMap<String, Vec<String>>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BundleSettings {
    /// The entry modules, absolute, in the order written (empty: none
    /// configured). `bundle.entry` is one path or an array of them.
    pub entry: Setting<Vec<PathBuf>>,
    pub output: Setting<Option<PathBuf>>,
    pub format: Setting<BundleFormat>,
    pub global_name: Setting<Option<String>>,
    pub external: Setting<Vec<String>>,
    pub minify: Setting<bool>,
    pub source_map: Setting<SourceMapSetting>,
    pub inline_sources: Setting<bool>,
    pub circular: Setting<CircularPolicy>,
    pub platform: Setting<Platform>,
    /// `NAME=value` strings (esbuild's `--define`).
    pub define: Setting<Vec<String>>,
    /// `console`, `debugger` (esbuild's `--drop`).
    pub drop: Setting<Vec<String>>,
    /// `gzip`, `br` with optional `=level` (`--precompress`).
    pub precompress: Setting<Vec<String>>,
    pub tree_shaking: Setting<bool>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct WatchSettings {
    pub debounce_ms: Setting<u64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CircuitBreakerSettings {
    pub failure_threshold: Setting<u64>,
    pub window_ms: Setting<u64>,
    pub cooldown_ms: Setting<u64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ServiceSettings {
    /// `None`: no management server.
    pub management_port: Setting<Option<u16>>,
    pub host: Setting<String>,
    pub shutdown_timeout_ms: Setting<u64>,
    pub circuit_breaker: CircuitBreakerSettings,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LoggingSettings {
    pub level: Setting<LogLevel>,
    pub format: Setting<LogFormat>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ProductionSettings {
    /// Whether production mode is on, and why.
    pub enabled: Setting<bool>,
    /// Codes whose warnings are errors (only in production mode).
    pub fatal_warnings: Setting<Vec<String>>,
}

/// The configuration a command runs with.
#[derive(Clone, Debug, PartialEq)]
pub struct EffectiveConfig {
    /// The configuration file used (absolute), if any.
    pub config_file: Option<PathBuf>,
    pub compiler_options: CompilerSettings,
    pub resolution: ResolutionSettings,
    pub bundle: BundleSettings,
    pub watch: WatchSettings,
    pub service: ServiceSettings,
    pub logging: LoggingSettings,
    pub production: ProductionSettings,
    pub format: FormatSettings,
}

/// `somon fmt`'s layout.
#[derive(Clone, Debug, PartialEq)]
pub struct FormatSettings {
    pub indent_width: Setting<u64>,
    pub line_width: Setting<u64>,
}

/// `format.indentWidth` when not configured.
pub const DEFAULT_INDENT_WIDTH: u64 = 2;
/// `format.lineWidth` when not configured.
pub const DEFAULT_LINE_WIDTH: u64 = 100;

/// One line of `somon config`: a dotted key, its effective value as JSON
/// (`null` when not set; paths absolute) and its source.
#[derive(Clone, Debug, PartialEq)]
pub struct EffectiveEntry<'a> {
    pub key: &'static str,
    pub value: Value,
    pub source: &'a Source,
}

fn json<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn json_path(p: &Option<PathBuf>) -> Value {
    match p {
        Some(p) => Value::String(p.to_string_lossy().into_owned()),
        None => Value::Null,
    }
}

/// `bundle.entry` as printed: `null`, one path, or an array of several.
fn json_paths(paths: &[PathBuf]) -> Value {
    let text = |p: &PathBuf| Value::String(p.to_string_lossy().into_owned());
    match paths {
        [] => Value::Null,
        [one] => text(one),
        many => Value::Array(many.iter().map(text).collect()),
    }
}

impl EffectiveConfig {
    /// Every key with its value and source, in schema order (the same keys
    /// as [`crate::known_keys`]).
    pub fn entries(&self) -> Vec<EffectiveEntry<'_>> {
        fn e<'a, T: Serialize>(key: &'static str, s: &'a Setting<T>) -> EffectiveEntry<'a> {
            EffectiveEntry {
                key,
                value: json(&s.value),
                source: &s.source,
            }
        }
        fn p<'a>(key: &'static str, s: &'a Setting<Option<PathBuf>>) -> EffectiveEntry<'a> {
            EffectiveEntry {
                key,
                value: json_path(&s.value),
                source: &s.source,
            }
        }
        let c = &self.compiler_options;
        let r = &self.resolution;
        let b = &self.bundle;
        let s = &self.service;
        let cb = &s.circuit_breaker;
        vec![
            e("compilerOptions.target", &c.target),
            e("compilerOptions.module", &c.module),
            e("compilerOptions.minify", &c.minify),
            e("compilerOptions.keepNames", &c.keep_names),
            e("compilerOptions.sourceMap", &c.source_map),
            e("compilerOptions.inlineSources", &c.inline_sources),
            e("compilerOptions.typeCheck", &c.type_check),
            p("compilerOptions.outDir", &c.out_dir),
            p("compilerOptions.output", &c.output),
            e("compilerOptions.lang", &c.lang),
            e("compilerOptions.diagnostics", &c.diagnostics),
            p("resolution.baseUrl", &r.base_url),
            e("resolution.paths", &r.paths),
            EffectiveEntry {
                key: "bundle.entry",
                value: json_paths(&b.entry.value),
                source: &b.entry.source,
            },
            p("bundle.output", &b.output),
            e("bundle.format", &b.format),
            e("bundle.globalName", &b.global_name),
            e("bundle.external", &b.external),
            e("bundle.minify", &b.minify),
            e("bundle.sourceMap", &b.source_map),
            e("bundle.inlineSources", &b.inline_sources),
            e("bundle.circular", &b.circular),
            e("bundle.platform", &b.platform),
            e("bundle.define", &b.define),
            e("bundle.drop", &b.drop),
            e("bundle.precompress", &b.precompress),
            e("bundle.treeShaking", &b.tree_shaking),
            e("watch.debounceMs", &self.watch.debounce_ms),
            e("service.managementPort", &s.management_port),
            e("service.host", &s.host),
            e("service.shutdownTimeoutMs", &s.shutdown_timeout_ms),
            e(
                "service.circuitBreaker.failureThreshold",
                &cb.failure_threshold,
            ),
            e("service.circuitBreaker.windowMs", &cb.window_ms),
            e("service.circuitBreaker.cooldownMs", &cb.cooldown_ms),
            e("logging.level", &self.logging.level),
            e("logging.format", &self.logging.format),
            e("production.fatalWarnings", &self.production.fatal_warnings),
            e("format.indentWidth", &self.format.indent_width),
            e("format.lineWidth", &self.format.line_width),
        ]
    }

    /// The entry of one dotted key.
    pub fn entry(&self, key: &str) -> Option<EffectiveEntry<'_>> {
        self.entries().into_iter().find(|e| e.key == key)
    }

    /// Whether production mode is on.
    pub fn is_production(&self) -> bool {
        self.production.enabled.value
    }

    /// Whether a warning with `code` must be treated as an error: in
    /// production mode, for the codes in `production.fatalWarnings`.
    pub fn is_fatal_warning(&self, code: &str) -> bool {
        self.is_production()
            && self
                .production
                .fatal_warnings
                .value
                .iter()
                .any(|c| c == code)
    }
}

/// Collects layered values and turns them into typed settings.
struct Builder<'a> {
    layers: BTreeMap<String, (Value, Source)>,
    cwd: &'a Path,
    config: Option<&'a LoadedConfig>,
    config_dir: Option<PathBuf>,
    errors: Vec<ConfigError>,
}

impl Builder<'_> {
    fn origin_of(&self, source: &Source, key: &str) -> Origin {
        origin_of(source, key, self.config)
    }

    fn typed<T: DeserializeOwned>(&mut self, key: &str) -> Option<(T, Source)> {
        let (value, source) = self.layers.get(key)?.clone();
        match serde_json::from_value::<T>(value.clone()) {
            Ok(t) => Some((t, source)),
            Err(_) => {
                // Unreachable while validation and the serde types agree.
                let expected = leaf_of(key).map_or(Expected::Object, expected_of);
                let origin = self.origin_of(&source, key);
                self.errors.push(ConfigError::new(
                    Problem::InvalidValue {
                        key: key.to_string(),
                        expected,
                        found: Some(describe(&value)),
                    },
                    origin,
                ));
                None
            }
        }
    }

    fn get<T: DeserializeOwned>(&mut self, key: &str, default: T, source: Source) -> Setting<T> {
        match self.typed(key) {
            Some((v, s)) => Setting::new(v, s),
            None => Setting::new(default, source),
        }
    }

    fn opt<T: DeserializeOwned>(&mut self, key: &str) -> Setting<Option<T>> {
        match self.typed(key) {
            Some((v, s)) => Setting::new(Some(v), s),
            None => Setting::default_value(None),
        }
    }

    fn path(&mut self, key: &str) -> Setting<Option<PathBuf>> {
        match self.typed::<String>(key) {
            Some((raw, source)) => {
                let base = self.base_of(&source);
                Setting::new(Some(absolutize(&base, Path::new(&raw))), source)
            }
            None => Setting::default_value(None),
        }
    }

    /// The folder relative paths from `source` are resolved against.
    fn base_of(&self, source: &Source) -> PathBuf {
        match (source, &self.config_dir) {
            (Source::ConfigFile(_), Some(dir)) => dir.clone(),
            _ => self.cwd.to_path_buf(),
        }
    }

    /// One path or an array of them (`bundle.entry`), each resolved as
    /// [`Self::path`] resolves one.
    fn paths(&mut self, key: &str) -> Setting<Vec<PathBuf>> {
        match self.typed::<EntryPoints>(key) {
            Some((raw, source)) => {
                let base = self.base_of(&source);
                let paths = raw
                    .paths()
                    .into_iter()
                    .map(|p| absolutize(&base, Path::new(p)))
                    .collect();
                Setting::new(paths, source)
            }
            None => Setting::default_value(Vec::new()),
        }
    }
}

/// What a leaf's value should be, for messages.
pub(crate) fn expected_of(leaf: Leaf) -> Expected {
    match leaf {
        Leaf::Bool => Expected::Boolean,
        Leaf::SourceMap => Expected::BooleanOrInline,
        Leaf::Text | Leaf::Path => Expected::Text,
        Leaf::Enum(names) => Expected::OneOf(names),
        Leaf::Int { min, max } => Expected::Integer { min, max },
        Leaf::TextList => Expected::TextList,
        Leaf::PathMap => Expected::PathMap,
        Leaf::CodeList => Expected::CodeList,
        Leaf::PathOrPaths => Expected::PathOrPaths,
    }
}

/// Where a value from `source` is, for a diagnostic about `key`.
fn origin_of(source: &Source, key: &str, config: Option<&LoadedConfig>) -> Origin {
    match source {
        Source::ConfigFile(path) => Origin::File {
            path: path.clone(),
            span: config.and_then(|c| c.span_of(key)),
        },
        Source::Environment(var) => Origin::Environment(var.clone()),
        Source::CommandLine(flag) => Origin::CommandLine(flag.clone()),
        Source::Default | Source::ProductionDefault => Origin::CommandLine(String::new()),
    }
}

/// `a.b.c` and a value → `{"a": {"b": {"c": value}}}`.
fn nest(key: &str, value: Value) -> Value {
    key.rsplit('.').fold(value, |inner, seg| {
        let mut m = serde_json::Map::new();
        m.insert(seg.to_string(), inner);
        Value::Object(m)
    })
}

/// Whether production mode is on, and why: `--production`/`--no-production`
/// win over `NODE_ENV=production`; otherwise off.
pub fn production_mode(env: &EnvValues, overrides: &Overrides) -> Setting<bool> {
    if let Some(flag) = &overrides.production {
        return Setting::new(flag.enabled, Source::CommandLine(flag.origin.clone()));
    }
    if env.node_env.as_deref().map(str::trim) == Some("production") {
        return Setting::new(true, Source::Environment("NODE_ENV".into()));
    }
    Setting::default_value(false)
}

/// Merges defaults < `config` < `env` < `overrides` into the effective
/// configuration. Relative paths from the file resolve against the file's
/// folder, those from the command line against `cwd`. Every invalid
/// environment value and override is reported, then the production checks.
pub fn effective_config(
    config: Option<&LoadedConfig>,
    env: &EnvValues,
    overrides: &Overrides,
    cwd: &Path,
) -> Result<EffectiveConfig, Vec<ConfigError>> {
    let mut errors = Vec::new();
    let mut layers: BTreeMap<String, (Value, Source)> = BTreeMap::new();
    let config_path = config.map(|c| absolutize(cwd, c.path()));

    // 1. The configuration file.
    if let (Some(c), Some(path)) = (config, &config_path) {
        for (key, v) in leaves(c.value()) {
            layers.insert(key, (v.clone(), Source::ConfigFile(path.clone())));
        }
    }

    // 2. The environment.
    if let Some(raw) = env.somon_log.as_deref().map(str::trim) {
        if !raw.is_empty() {
            let lower = raw.to_ascii_lowercase();
            if LogLevel::parse(&lower).is_some() {
                layers.insert(
                    "logging.level".into(),
                    (
                        Value::String(lower),
                        Source::Environment("SOMON_LOG".into()),
                    ),
                );
            } else {
                errors.push(ConfigError::new(
                    Problem::InvalidValue {
                        key: "logging.level".into(),
                        expected: Expected::OneOf(LogLevel::NAMES),
                        found: Some(describe(&Value::String(raw.to_string()))),
                    },
                    Origin::Environment("SOMON_LOG".into()),
                ));
            }
        }
    }

    // 3. The command line.
    for o in &overrides.values {
        let fragment = nest(&o.key, o.value.clone());
        let issues = check_document(&fragment);
        if issues.is_empty() {
            for (key, v) in leaves(&fragment) {
                layers.insert(key, (v.clone(), Source::CommandLine(o.origin.clone())));
            }
        } else {
            for issue in issues {
                let (problem, suggestion) = issue.into_problem();
                errors.push(
                    ConfigError::new(problem, Origin::CommandLine(o.origin.clone()))
                        .with_suggestion(suggestion),
                );
            }
        }
    }

    let production = production_mode(env, overrides);
    let prod = production.value;
    let pdefault = || {
        if prod {
            Source::ProductionDefault
        } else {
            Source::Default
        }
    };

    let mut b = Builder {
        layers,
        cwd,
        config,
        config_dir: config_path.as_deref().map(parent_dir),
        errors,
    };

    let compiler_options = CompilerSettings {
        target: b.get("compilerOptions.target", Target::Es2020, Source::Default),
        module: b.get("compilerOptions.module", ModuleKind::Cjs, Source::Default),
        minify: b.get("compilerOptions.minify", false, Source::Default),
        keep_names: b.get("compilerOptions.keepNames", false, Source::Default),
        source_map: b.get(
            "compilerOptions.sourceMap",
            SourceMapSetting::Off,
            Source::Default,
        ),
        inline_sources: b.get("compilerOptions.inlineSources", false, pdefault()),
        type_check: b.get("compilerOptions.typeCheck", true, Source::Default),
        out_dir: b.path("compilerOptions.outDir"),
        output: b.path("compilerOptions.output"),
        lang: b.opt("compilerOptions.lang"),
        diagnostics: b.get(
            "compilerOptions.diagnostics",
            DiagnosticsFormat::Pretty,
            Source::Default,
        ),
    };
    let resolution = ResolutionSettings {
        base_url: b.path("resolution.baseUrl"),
        paths: b.get("resolution.paths", BTreeMap::new(), Source::Default),
    };
    let bundle = BundleSettings {
        entry: b.paths("bundle.entry"),
        output: b.path("bundle.output"),
        format: b.get("bundle.format", BundleFormat::Cjs, Source::Default),
        global_name: b.opt("bundle.globalName"),
        external: b.get("bundle.external", Vec::new(), Source::Default),
        minify: b.get("bundle.minify", false, Source::Default),
        source_map: b.get("bundle.sourceMap", SourceMapSetting::Off, Source::Default),
        inline_sources: b.get("bundle.inlineSources", false, pdefault()),
        circular: b.get("bundle.circular", CircularPolicy::Warn, Source::Default),
        platform: b.get("bundle.platform", Platform::Node, Source::Default),
        define: b.get("bundle.define", Vec::new(), Source::Default),
        drop: b.get("bundle.drop", Vec::new(), Source::Default),
        precompress: b.get("bundle.precompress", Vec::new(), Source::Default),
        tree_shaking: b.get("bundle.treeShaking", true, Source::Default),
    };
    let watch = WatchSettings {
        debounce_ms: b.get("watch.debounceMs", DEFAULT_DEBOUNCE_MS, Source::Default),
    };
    let service = ServiceSettings {
        management_port: b.opt("service.managementPort"),
        host: b.get("service.host", DEFAULT_HOST.to_string(), Source::Default),
        shutdown_timeout_ms: b.get(
            "service.shutdownTimeoutMs",
            DEFAULT_SHUTDOWN_TIMEOUT_MS,
            Source::Default,
        ),
        circuit_breaker: CircuitBreakerSettings {
            failure_threshold: b.get(
                "service.circuitBreaker.failureThreshold",
                DEFAULT_FAILURE_THRESHOLD,
                Source::Default,
            ),
            window_ms: b.get(
                "service.circuitBreaker.windowMs",
                DEFAULT_WINDOW_MS,
                Source::Default,
            ),
            cooldown_ms: b.get(
                "service.circuitBreaker.cooldownMs",
                DEFAULT_COOLDOWN_MS,
                Source::Default,
            ),
        },
    };
    let logging = LoggingSettings {
        level: b.get("logging.level", LogLevel::Warn, Source::Default),
        format: b.get(
            "logging.format",
            if prod {
                LogFormat::Json
            } else {
                LogFormat::Text
            },
            pdefault(),
        ),
    };
    let production = ProductionSettings {
        enabled: production,
        fatal_warnings: b.get("production.fatalWarnings", Vec::new(), Source::Default),
    };

    let mut errors = std::mem::take(&mut b.errors);
    if prod && !compiler_options.type_check.value {
        errors.push(
            ConfigError::new(
                Problem::ProductionTypeCheck {
                    because: production.enabled.source.clone(),
                },
                origin_of(
                    &compiler_options.type_check.source,
                    "compilerOptions.typeCheck",
                    config,
                ),
            )
            .with_suggestion(Some(Suggestion::EnableTypeCheck)),
        );
    }
    let format = FormatSettings {
        indent_width: b.get("format.indentWidth", DEFAULT_INDENT_WIDTH, Source::Default),
        line_width: b.get("format.lineWidth", DEFAULT_LINE_WIDTH, Source::Default),
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(EffectiveConfig {
        config_file: config_path,
        compiler_options,
        resolution,
        bundle,
        watch,
        service,
        logging,
        production,
        format,
    })
}

/// `watch.debounceMs` when not configured.
pub const DEFAULT_DEBOUNCE_MS: u64 = 100;
/// `service.host` when not configured: loopback only.
pub const DEFAULT_HOST: &str = "127.0.0.1";
/// `service.shutdownTimeoutMs` when not configured.
pub const DEFAULT_SHUTDOWN_TIMEOUT_MS: u64 = 30_000;
/// `service.circuitBreaker.failureThreshold` when not configured.
pub const DEFAULT_FAILURE_THRESHOLD: u64 = 5;
/// `service.circuitBreaker.windowMs` when not configured.
pub const DEFAULT_WINDOW_MS: u64 = 60_000;
/// `service.circuitBreaker.cooldownMs` when not configured.
pub const DEFAULT_COOLDOWN_MS: u64 = 30_000;

/// [`render_effective_in`] in English.
pub fn render_effective(config: &EffectiveConfig) -> String {
    render_effective_in(config, Lang::En)
}

/// The text of `somon config`: the file used, whether production mode is on
/// and why, then `key = value (source)` for every key.
pub fn render_effective_in(config: &EffectiveConfig, lang: Lang) -> String {
    let mut out = String::new();
    match &config.config_file {
        Some(p) => out.push_str(&format!(
            "{}: {}\n",
            texts::word(Word::ConfigFile, lang),
            p.display()
        )),
        None => {
            out.push_str(texts::word(Word::NoConfigFile, lang));
            out.push('\n');
        }
    }
    let enabled = &config.production.enabled;
    out.push_str(&format!(
        "{}: {} ({})\n",
        texts::word(Word::ProductionMode, lang),
        texts::word(if enabled.value { Word::On } else { Word::Off }, lang),
        if enabled.value {
            texts::production_reason(&enabled.source, lang)
        } else {
            texts::source(&enabled.source, lang)
        }
    ));
    for e in config.entries() {
        let value = match &e.value {
            Value::Null => texts::word(Word::NotSet, lang).to_string(),
            v => v.to_string(),
        };
        out.push_str(&format!(
            "{} = {} ({})\n",
            e.key,
            value,
            texts::source(e.source, lang)
        ));
    }
    out
}
