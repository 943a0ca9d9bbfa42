//! Where an effective value came from.

use std::fmt;
use std::path::PathBuf;

use somon_diagnostics::Lang;

/// The layer an effective value was taken from. Layers, lowest first:
/// defaults < configuration file < environment < command line.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    /// The built-in default.
    Default,
    /// The built-in default that applies in production mode
    /// (`logging.format = json`, `inlineSources = false`).
    ProductionDefault,
    /// A configuration file (absolute path).
    ConfigFile(PathBuf),
    /// An environment variable, by name.
    Environment(String),
    /// A command-line option, by the origin its override was given with.
    CommandLine(String),
}

impl Source {
    /// The text in `lang`: `default`, `config file /p/somon.config.json`,
    /// `environment SOMON_LOG`, `command line --target` …
    pub fn describe(&self, lang: Lang) -> String {
        crate::texts::source(self, lang)
    }

    pub fn is_default(&self) -> bool {
        matches!(self, Source::Default | Source::ProductionDefault)
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(Lang::En))
    }
}

/// An effective value and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub source: Source,
}

impl<T> Setting<T> {
    pub fn new(value: T, source: Source) -> Self {
        Setting { value, source }
    }

    pub fn default_value(value: T) -> Self {
        Setting {
            value,
            source: Source::Default,
        }
    }
}
