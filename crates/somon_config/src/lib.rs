//! SomonScript configuration.
//!
//! - **Files and discovery** ([`discover`], [`find_and_load`]): from a start
//!   folder upward to the root, the first `somon.config.json` or `.somonrc`
//!   (same JSON schema; when one folder has both, `somon.config.json` wins
//!   and `.somonrc` is ignored), or an explicit `--config <file>`.
//! - **One strict schema** ([`ConfigFile`]): serde types with
//!   `deny_unknown_fields` at every level and camelCase keys, enumerations as
//!   real enums. [`parse_config`] reports every unknown key (with the closest
//!   valid key) and every invalid value at once, each at its 1-based line and
//!   character column; a JSON syntax error is reported alone.
//! - **Paths**: relative paths in a file are relative to that file's folder;
//!   relative paths from the command line are relative to the working folder.
//! - **Effective configuration** ([`effective_config`]): defaults <
//!   configuration file < environment (`SOMON_LOG`, `NODE_ENV`) < command
//!   line, every value with its [`Source`]; [`render_effective`] is the text of
//!   `somon config`. [`CLI_FLAGS`] maps every command-line option to its key.
//! - **Production mode**: `--production` or `NODE_ENV=production`
//!   (`--no-production` wins over both); then `compilerOptions.typeCheck:
//!   false` is an error, `logging.format` defaults to `json` and
//!   `inlineSources` to `false`.
//! - **Diagnostics** ([`ConfigError`]): stable codes ([`codes`]), messages in
//!   English, Tajik and Russian, rendered like every other diagnostic.
//!
//! The only file-system access is through `somon_fs`'s [`FileSystem`]
//! ([`RealFs`], [`MemoryFs`], re-exported here); the environment is passed
//! in as [`EnvValues`].

mod discover;
mod effective;
mod error;
mod flags;
mod legacy;
mod locate;
mod paths;
mod provenance;
mod schema;
mod suggest;
/// "Did you mean …?": the closest candidate by edit distance (also used by
/// the command line and the Node.js API for their own names).
pub use suggest::closest;
mod texts;
mod validate;

pub use discover::{discover, find_and_load, load_config, CONFIG_FILE_NAMES};
pub use effective::{
    effective_config, production_mode, render_effective, render_effective_in, BundleSettings,
    CircuitBreakerSettings, CliOverride, CompilerSettings, EffectiveConfig, EffectiveEntry,
    EnvValues, LoggingSettings, Overrides, ProductionFlag, ProductionSettings, ResolutionSettings,
    ServiceSettings, WatchSettings, DEFAULT_COOLDOWN_MS, DEFAULT_DEBOUNCE_MS,
    DEFAULT_FAILURE_THRESHOLD, DEFAULT_HOST, DEFAULT_SHUTDOWN_TIMEOUT_MS, DEFAULT_WINDOW_MS,
    ENV_VARIABLES,
};
// The formatter's layout (issue 14).
pub use effective::{FormatSettings, DEFAULT_INDENT_WIDTH, DEFAULT_LINE_WIDTH};
pub use error::{
    codes, render_errors, ConfigError, Expected, Origin, ParseReason, Problem, ReadReason,
    Suggestion, TextSpan,
};
pub use flags::{
    find_flag, flag_value, render_flag_table, FlagMapping, FlagScope, FlagTarget, CLI_FLAGS,
};
pub use paths::{absolutize, normalize};
pub use provenance::{Setting, Source};
pub use schema::FormatOptions;
pub use schema::{
    json_schema, known_keys, BundleFormat, BundleOptions, CircuitBreakerOptions, CircularPolicy,
    CompilerOptions, ConfigFile, DiagnosticsFormat, EntryPoints, Language, LogFormat, LogLevel,
    LoggingOptions, ModuleKind, Platform, ProductionOptions, ResolutionOptions, ServiceOptions,
    SourceMapSetting, Target, WatchOptions,
};
pub use somon_fs::{FileSystem, MemoryFs, RealFs};
pub use validate::{parse_config, LoadedConfig};
