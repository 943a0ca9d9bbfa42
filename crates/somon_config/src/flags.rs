//! The one table from command-line options to configuration keys, shared by
//! the CLI (to build overrides) and the documentation (to list them). No
//! reliance on the argument parser's negation rules: `--no-type-check` is an
//! explicit entry.

use serde_json::Value;

use crate::effective::Overrides;
use crate::error::{ConfigError, Origin, Problem};
use crate::schema::{leaf_of, Leaf};

/// Which commands an option applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FlagScope {
    /// Every command.
    Any,
    /// Every command except `bundle` (`compile`, `run`, `check`, `watch` …).
    Compile,
    /// `bundle`.
    Bundle,
}

impl FlagScope {
    fn includes(self, command: FlagScope) -> bool {
        self == FlagScope::Any || command == FlagScope::Any || self == command
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FlagScope::Any => "all commands",
            FlagScope::Compile => "all but bundle",
            FlagScope::Bundle => "bundle",
        }
    }
}

/// What an option does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FlagTarget {
    /// The option's argument is the key's value (converted to the key's
    /// type: integers, comma-separated lists, `--source-map[=file|inline]`).
    Value(&'static str),
    /// The option sets the key to a fixed boolean.
    Set(&'static str, bool),
    /// `--production` / `--no-production`.
    Production(bool),
}

/// One row of [`CLI_FLAGS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FlagMapping {
    pub flag: &'static str,
    pub scope: FlagScope,
    pub target: FlagTarget,
}

impl FlagMapping {
    /// The configuration key the option sets (`None` for production mode).
    pub fn key(&self) -> Option<&'static str> {
        match self.target {
            FlagTarget::Value(k) | FlagTarget::Set(k, _) => Some(k),
            FlagTarget::Production(_) => None,
        }
    }
}

const fn row(flag: &'static str, scope: FlagScope, target: FlagTarget) -> FlagMapping {
    FlagMapping {
        flag,
        scope,
        target,
    }
}

/// Every command-line option that overrides configuration, and the key it
/// overrides. `--minify`, `--source-map` and `--inline-sources` set
/// `compilerOptions.*` except in `bundle`, where they set `bundle.*`.
pub const CLI_FLAGS: &[FlagMapping] = &[
    row(
        "--target",
        FlagScope::Any,
        FlagTarget::Value("compilerOptions.target"),
    ),
    row(
        "--module",
        FlagScope::Compile,
        FlagTarget::Value("compilerOptions.module"),
    ),
    row(
        "--minify",
        FlagScope::Compile,
        FlagTarget::Set("compilerOptions.minify", true),
    ),
    row(
        "--minify",
        FlagScope::Bundle,
        FlagTarget::Set("bundle.minify", true),
    ),
    row(
        "--keep-names",
        FlagScope::Any,
        FlagTarget::Set("compilerOptions.keepNames", true),
    ),
    row(
        "--source-map",
        FlagScope::Compile,
        FlagTarget::Value("compilerOptions.sourceMap"),
    ),
    row(
        "--source-map",
        FlagScope::Bundle,
        FlagTarget::Value("bundle.sourceMap"),
    ),
    row(
        "--inline-sources",
        FlagScope::Compile,
        FlagTarget::Set("compilerOptions.inlineSources", true),
    ),
    row(
        "--inline-sources",
        FlagScope::Bundle,
        FlagTarget::Set("bundle.inlineSources", true),
    ),
    row(
        "--no-tree-shaking",
        FlagScope::Bundle,
        FlagTarget::Set("bundle.treeShaking", false),
    ),
    row(
        "--no-type-check",
        FlagScope::Any,
        FlagTarget::Set("compilerOptions.typeCheck", false),
    ),
    row(
        "--out-dir",
        FlagScope::Compile,
        FlagTarget::Value("compilerOptions.outDir"),
    ),
    row(
        "--lang",
        FlagScope::Any,
        FlagTarget::Value("compilerOptions.lang"),
    ),
    row(
        "--diagnostics",
        FlagScope::Any,
        FlagTarget::Value("compilerOptions.diagnostics"),
    ),
    row(
        "--format",
        FlagScope::Bundle,
        FlagTarget::Value("bundle.format"),
    ),
    row(
        "--platform",
        FlagScope::Bundle,
        FlagTarget::Value("bundle.platform"),
    ),
    row(
        "--global-name",
        FlagScope::Bundle,
        FlagTarget::Value("bundle.globalName"),
    ),
    row(
        "--external",
        FlagScope::Bundle,
        FlagTarget::Value("bundle.external"),
    ),
    row(
        "--circular",
        FlagScope::Bundle,
        FlagTarget::Value("bundle.circular"),
    ),
    row(
        "--log-level",
        FlagScope::Any,
        FlagTarget::Value("logging.level"),
    ),
    row(
        "--log-format",
        FlagScope::Any,
        FlagTarget::Value("logging.format"),
    ),
    row(
        "--management-port",
        FlagScope::Any,
        FlagTarget::Value("service.managementPort"),
    ),
    row("--production", FlagScope::Any, FlagTarget::Production(true)),
    row(
        "--no-production",
        FlagScope::Any,
        FlagTarget::Production(false),
    ),
];

/// The row for `flag` in a command of `scope` (pass [`FlagScope::Bundle`]
/// for `bundle`, [`FlagScope::Compile`] for the others).
pub fn find_flag(flag: &str, scope: FlagScope) -> Option<&'static FlagMapping> {
    CLI_FLAGS
        .iter()
        .find(|m| m.flag == flag && m.scope.includes(scope))
}

/// The JSON value of a command-line argument for `key`. Arguments that do
/// not convert stay strings, so that validation reports them with the key's
/// expected type. `None` for a missing argument where one is required.
pub fn flag_value(key: &str, argument: Option<&str>) -> Option<Value> {
    let leaf = leaf_of(key)?;
    // `--lang` takes what the CLI's language detection takes (`tg`, `tajik` …).
    if key == "compilerOptions.lang" {
        if let Some(lang) = argument.and_then(somon_diagnostics::Lang::parse) {
            return Some(Value::String(lang.as_str().to_string()));
        }
    }
    match (leaf, argument) {
        (Leaf::Bool, None) => Some(Value::Bool(true)),
        (Leaf::Bool, Some("true")) => Some(Value::Bool(true)),
        (Leaf::Bool, Some("false")) => Some(Value::Bool(false)),
        (Leaf::SourceMap, None | Some("true" | "file")) => Some(Value::Bool(true)),
        (Leaf::SourceMap, Some("false")) => Some(Value::Bool(false)),
        (Leaf::Int { .. }, Some(a)) => Some(match a.trim().parse::<u64>() {
            Ok(n) => Value::from(n),
            Err(_) => Value::String(a.to_string()),
        }),
        (Leaf::TextList | Leaf::CodeList, Some(a)) => Some(Value::Array(
            a.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_string()))
                .collect(),
        )),
        (Leaf::PathMap, Some(a)) => {
            Some(serde_json::from_str(a).unwrap_or_else(|_| Value::String(a.to_string())))
        }
        (_, Some(a)) => Some(Value::String(a.to_string())),
        (_, None) => None,
    }
}

impl Overrides {
    /// Records one command-line option through [`CLI_FLAGS`]: `argument` is
    /// its value (`None` for switches and a bare `--source-map`); `scope`
    /// says which command is running. Repeated list options
    /// (`--external a --external b,c`) accumulate. The value itself is
    /// validated by [`crate::effective_config`].
    // Cold path; `ConfigError` is the crate's one error type (callers
    // collect them in `Vec`s), so it is not boxed for this one signature.
    #[allow(clippy::result_large_err)]
    pub fn apply_flag(
        &mut self,
        flag: &str,
        argument: Option<&str>,
        scope: FlagScope,
    ) -> Result<(), ConfigError> {
        let unknown = || {
            ConfigError::new(
                Problem::UnknownFlag {
                    flag: flag.to_string(),
                },
                Origin::CommandLine(flag.to_string()),
            )
        };
        let mapping = find_flag(flag, scope).ok_or_else(unknown)?;
        match mapping.target {
            FlagTarget::Production(on) => {
                self.set_production(on, flag);
            }
            FlagTarget::Set(key, v) => {
                self.set(key, Value::Bool(v), flag);
            }
            FlagTarget::Value(key) => {
                let Some(value) = flag_value(key, argument) else {
                    let expected = leaf_of(key)
                        .map(crate::effective::expected_of)
                        .ok_or_else(unknown)?;
                    return Err(ConfigError::new(
                        Problem::InvalidValue {
                            key: key.to_string(),
                            expected,
                            found: None,
                        },
                        Origin::CommandLine(flag.to_string()),
                    ));
                };
                let is_list = matches!(leaf_of(key), Some(Leaf::TextList | Leaf::CodeList));
                if is_list {
                    let previous = self
                        .values
                        .iter_mut()
                        .rev()
                        .find(|o| o.key == key && o.origin == flag);
                    if let (Some(prev), Value::Array(more)) = (previous, &value) {
                        if let Value::Array(items) = &mut prev.value {
                            items.extend(more.iter().cloned());
                            return Ok(());
                        }
                    }
                }
                self.set(key, value, flag);
            }
        }
        Ok(())
    }
}

/// The table as Markdown, for the documentation:
/// `| Option | Configuration key | Commands |`.
pub fn render_flag_table() -> String {
    let mut out = String::from("| Option | Configuration key | Commands |\n| --- | --- | --- |\n");
    for m in CLI_FLAGS {
        let target = match m.target {
            FlagTarget::Value(k) => format!("`{k}`"),
            FlagTarget::Set(k, v) => format!("`{k}` = `{v}`"),
            FlagTarget::Production(true) => "production mode on".to_string(),
            FlagTarget::Production(false) => "production mode off".to_string(),
        };
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            m.flag,
            target,
            m.scope.as_str()
        ));
    }
    out
}
