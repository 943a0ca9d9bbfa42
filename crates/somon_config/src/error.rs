//! Configuration problems as diagnostics: a stable code, where the problem is
//! (file, 1-based line and character column; or the environment variable or
//! command-line option), a message in English, Tajik or Russian, and for
//! unknown keys the closest valid key.

use std::fmt;
use std::path::{Path, PathBuf};

use somon_diagnostics::{render_pretty_in, Lang, RenderOptions, ResolvedDiagnostic, Severity};

use crate::provenance::Source;
use crate::texts;

/// The stable codes of configuration diagnostics.
pub mod codes {
    /// A key that the schema does not know (with a suggestion when one is close).
    pub const CONFIG_UNKNOWN_KEY: &str = "CONFIG_UNKNOWN_KEY";
    /// A value of the wrong type, outside its range, or not one of an enum's values.
    pub const CONFIG_INVALID_VALUE: &str = "CONFIG_INVALID_VALUE";
    /// The file is not JSON.
    pub const CONFIG_PARSE_ERROR: &str = "CONFIG_PARSE_ERROR";
    /// The file could not be read (missing `--config` file, permissions, not UTF-8).
    pub const CONFIG_READ_FAILED: &str = "CONFIG_READ_FAILED";
    /// The same key twice in one object.
    pub const CONFIG_DUPLICATE_KEY: &str = "CONFIG_DUPLICATE_KEY";
    /// `compilerOptions.typeCheck` is false in production mode.
    pub const CONFIG_PRODUCTION_TYPE_CHECK: &str = "CONFIG_PRODUCTION_TYPE_CHECK";
    /// A command-line option that has no entry in [`crate::CLI_FLAGS`] (a bug
    /// of the caller rather than of the user).
    pub const CONFIG_UNKNOWN_FLAG: &str = "CONFIG_UNKNOWN_FLAG";
    // ---- files of the previous SomonScript compiler (warnings) ----
    /// A key (or value) of the previous compiler, read as this schema's.
    pub const CONFIG_LEGACY_KEY: &str = "CONFIG_LEGACY_KEY";
    /// A key of the previous compiler with no meaning here: ignored.
    pub const CONFIG_IGNORED_KEY: &str = "CONFIG_IGNORED_KEY";

    /// Every code, for documentation and tests.
    pub const ALL: &[&str] = &[
        CONFIG_UNKNOWN_KEY,
        CONFIG_INVALID_VALUE,
        CONFIG_PARSE_ERROR,
        CONFIG_READ_FAILED,
        CONFIG_DUPLICATE_KEY,
        CONFIG_PRODUCTION_TYPE_CHECK,
        CONFIG_UNKNOWN_FLAG,
        CONFIG_LEGACY_KEY,
        CONFIG_IGNORED_KEY,
    ];
}

/// A position in a configuration file: 1-based lines and columns counted in
/// characters; the end is exclusive (the column after the last character).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextSpan {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    /// The text of the line the span starts on (a window of a long line:
    /// `somon_diagnostics::snippet_window`).
    pub snippet: String,
    /// See `ResolvedDiagnostic::snippet_offset`.
    pub snippet_offset: u32,
}

/// Where a problem comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A configuration file; `span` is `None` when the file could not be read.
    File {
        path: PathBuf,
        span: Option<TextSpan>,
    },
    /// An environment variable, by name (`SOMON_LOG`).
    Environment(String),
    /// A command-line override, by the origin it was given with (`--target`).
    CommandLine(String),
}

/// Why a file could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadReason {
    NotFound,
    PermissionDenied,
    NotUtf8,
    /// The operating system's own text.
    Other(String),
}

impl ReadReason {
    pub fn from_io(err: &std::io::Error) -> ReadReason {
        match err.kind() {
            std::io::ErrorKind::NotFound => ReadReason::NotFound,
            std::io::ErrorKind::PermissionDenied => ReadReason::PermissionDenied,
            std::io::ErrorKind::InvalidData => ReadReason::NotUtf8,
            _ => ReadReason::Other(err.to_string()),
        }
    }
}

/// Why a file is not JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseReason {
    UnexpectedEnd,
    ExpectedValue,
    ExpectedColon,
    ExpectedCommaOrBrace,
    ExpectedCommaOrBracket,
    KeyMustBeString,
    TrailingComma,
    TrailingCharacters,
    InvalidNumber,
    InvalidEscape,
    ControlCharacter,
    /// Something that starts like `true`, `false` or `null` but is not.
    InvalidLiteral,
    TooDeep,
    /// serde_json's own (English) text, for the rare cases above do not cover.
    Other(String),
}

impl ParseReason {
    pub(crate) fn from_serde(err: &serde_json::Error) -> ParseReason {
        if err.is_eof() {
            return ParseReason::UnexpectedEnd;
        }
        let text = err.to_string();
        let text = match text.rfind(" at line ") {
            Some(i) => text.get(..i).unwrap_or(&text).to_string(),
            None => text,
        };
        match text.as_str() {
            "expected value" => ParseReason::ExpectedValue,
            "expected `:`" => ParseReason::ExpectedColon,
            "expected `,` or `}`" => ParseReason::ExpectedCommaOrBrace,
            "expected `,` or `]`" => ParseReason::ExpectedCommaOrBracket,
            "key must be a string" => ParseReason::KeyMustBeString,
            "trailing comma" => ParseReason::TrailingComma,
            "trailing characters" => ParseReason::TrailingCharacters,
            "invalid number" | "number out of range" => ParseReason::InvalidNumber,
            "invalid escape" | "invalid unicode code point" => ParseReason::InvalidEscape,
            "expected ident" => ParseReason::InvalidLiteral,
            "recursion limit exceeded" => ParseReason::TooDeep,
            t if t.starts_with("control character") => ParseReason::ControlCharacter,
            t if t.starts_with("lone leading surrogate")
                || t.starts_with("unexpected end of hex escape") =>
            {
                ParseReason::InvalidEscape
            }
            _ => ParseReason::Other(text),
        }
    }
}

/// What a value should have been.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expected {
    Object,
    Boolean,
    /// `true`, `false` or `"inline"`.
    BooleanOrInline,
    /// A non-empty string.
    Text,
    OneOf(&'static [&'static str]),
    /// An integer in `min..=max` (`max == u64::MAX`: no upper bound).
    Integer {
        min: u64,
        max: u64,
    },
    /// An array of non-empty strings.
    TextList,
    /// An object mapping patterns to arrays of strings.
    PathMap,
    /// An array of diagnostic codes.
    CodeList,
    /// One diagnostic code.
    Code,
    /// A non-empty string or a non-empty array of non-empty strings.
    PathOrPaths,
    /// A path not already listed (it is the same as element `first`).
    NewEntry {
        first: usize,
    },
}

/// What is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    ReadFailed(ReadReason),
    Parse(ParseReason),
    /// `section` is the dotted path of the enclosing object (`""` at the top);
    /// `known` are the valid keys there.
    UnknownKey {
        key: String,
        section: String,
        known: Vec<&'static str>,
    },
    /// `key` is the full dotted path (`bundle.external[1]`); `found` is a
    /// short rendering of the value, `None` when there was none.
    InvalidValue {
        key: String,
        expected: Expected,
        found: Option<String>,
    },
    DuplicateKey {
        key: String,
    },
    /// `because` is what turned production mode on.
    ProductionTypeCheck {
        because: Source,
    },
    UnknownFlag {
        flag: String,
    },
    // ---- files of the previous SomonScript compiler (warnings) ----
    /// `key` (full dotted path) is read as `replacement`; `inverted`: with
    /// the opposite value (`noTypeCheck` → `typeCheck`).
    LegacyKey {
        key: String,
        replacement: String,
        inverted: bool,
    },
    /// The previous compiler's spelling `old` of a value of `key`, read as
    /// `new` (both as JSON text).
    LegacyValue {
        key: String,
        old: String,
        new: String,
    },
    /// A key of the previous compiler without a meaning here.
    IgnoredKey {
        key: String,
    },
}

/// A proposed fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Suggestion {
    /// The closest valid key at the same level.
    Key(String),
    /// The key exists in another section: its full path.
    Path(String),
    /// For `CONFIG_PRODUCTION_TYPE_CHECK`.
    EnableTypeCheck,
    /// The valid spelling of an invalid value (`"ES2020"` → `"es2020"`,
    /// `"commonjs"` → `"cjs"`), as JSON text.
    Value(String),
    /// An unknown `noX` key whose closest key is `x`: the opposite of it,
    /// never a plain rename.
    Opposite { key: String, positive: String },
}

/// One configuration problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub problem: Problem,
    pub origin: Origin,
    pub suggestion: Option<Suggestion>,
    /// A warning made an error (`production.fatalWarnings`).
    pub fatal: bool,
}

impl ConfigError {
    pub fn new(problem: Problem, origin: Origin) -> Self {
        ConfigError {
            problem,
            origin,
            suggestion: None,
            fatal: false,
        }
    }

    /// This warning as an error.
    pub fn into_fatal(mut self) -> Self {
        self.fatal = true;
        self
    }

    pub fn with_suggestion(mut self, suggestion: Option<Suggestion>) -> Self {
        self.suggestion = suggestion;
        self
    }

    /// The stable code (see [`codes`]).
    pub fn code(&self) -> &'static str {
        match &self.problem {
            Problem::ReadFailed(_) => codes::CONFIG_READ_FAILED,
            Problem::Parse(_) => codes::CONFIG_PARSE_ERROR,
            Problem::UnknownKey { .. } => codes::CONFIG_UNKNOWN_KEY,
            Problem::InvalidValue { .. } => codes::CONFIG_INVALID_VALUE,
            Problem::DuplicateKey { .. } => codes::CONFIG_DUPLICATE_KEY,
            Problem::ProductionTypeCheck { .. } => codes::CONFIG_PRODUCTION_TYPE_CHECK,
            Problem::UnknownFlag { .. } => codes::CONFIG_UNKNOWN_FLAG,
            Problem::LegacyKey { .. } | Problem::LegacyValue { .. } => codes::CONFIG_LEGACY_KEY,
            Problem::IgnoredKey { .. } => codes::CONFIG_IGNORED_KEY,
        }
    }

    /// Keys of the previous compiler are warnings (unless made fatal);
    /// every other configuration problem is an error.
    pub fn severity(&self) -> Severity {
        match self.problem {
            Problem::LegacyKey { .. }
            | Problem::LegacyValue { .. }
            | Problem::IgnoredKey { .. }
                if !self.fatal =>
            {
                Severity::Warning
            }
            _ => Severity::Error,
        }
    }

    /// The configuration file, when the problem is in one.
    pub fn file(&self) -> Option<&Path> {
        match &self.origin {
            Origin::File { path, .. } => Some(path),
            _ => None,
        }
    }

    pub fn span(&self) -> Option<&TextSpan> {
        match &self.origin {
            Origin::File { span, .. } => span.as_ref(),
            _ => None,
        }
    }

    /// 1-based line in the configuration file.
    pub fn line(&self) -> Option<u32> {
        self.span().map(|s| s.line)
    }

    /// 1-based column, in characters.
    pub fn column(&self) -> Option<u32> {
        self.span().map(|s| s.column)
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        texts::problem(&self.problem, lang)
    }

    /// The suggestion in `lang` ("did you mean `target`?").
    pub fn suggestion_text(&self, lang: Lang) -> Option<String> {
        self.suggestion.as_ref().map(|s| texts::suggestion(s, lang))
    }

    /// Where the problem is, as a label: the file path, or `environment
    /// SOMON_LOG`, or `command line --target`.
    pub fn location_label(&self, lang: Lang) -> String {
        match &self.origin {
            Origin::File { path, .. } => path.display().to_string(),
            Origin::Environment(var) => texts::source(&Source::Environment(var.clone()), lang),
            Origin::CommandLine(flag) => texts::source(&Source::CommandLine(flag.clone()), lang),
        }
    }

    /// The diagnostic record the CLI prints (pretty or as JSON). Problems
    /// without a position in a file are at line 1, column 1, with an empty
    /// snippet, and `file` is [`Self::location_label`].
    pub fn to_resolved(&self, lang: Lang) -> ResolvedDiagnostic {
        let (line, column, end_line, end_column, snippet, snippet_offset) = match self.span() {
            Some(s) => (
                s.line,
                s.column,
                s.end_line,
                s.end_column,
                s.snippet.clone(),
                s.snippet_offset,
            ),
            None => (1, 1, 1, 1, String::new(), 0),
        };
        ResolvedDiagnostic {
            severity: self.severity(),
            code: self.code(),
            message: self.message(lang),
            file: self.location_label(lang),
            line,
            column,
            end_line,
            end_column,
            snippet,
            snippet_offset,
            notes: Vec::new(),
            suggestion: self.suggestion_text(lang),
            replacement: None,
        }
    }

    /// Text for a terminal: with a position, the usual
    /// `file:line:column: error[CODE]: message`, the line and a caret (as
    /// every other diagnostic); without one, `where: error[CODE]: message`
    /// and the suggestion.
    pub fn render(&self, lang: Lang, opts: RenderOptions) -> String {
        if self.span().is_some() {
            return render_pretty_in(&self.to_resolved(lang), opts, lang);
        }
        let mut out = format!(
            "{}: {}[{}]: {}\n",
            self.location_label(lang),
            if self.severity() == Severity::Warning {
                "warning"
            } else {
                "error"
            },
            self.code(),
            self.message(lang)
        );
        if let Some(s) = self.suggestion_text(lang) {
            out.push_str(&format!("  = help: {s}\n"));
        }
        out
    }
}

impl fmt::Display for ConfigError {
    /// One English line: `file:line:column: error[CODE]: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lang = Lang::En;
        match self.span() {
            Some(s) => write!(
                f,
                "{}:{}:{}: error[{}]: {}",
                self.location_label(lang),
                s.line,
                s.column,
                self.code(),
                self.message(lang)
            )?,
            None => write!(
                f,
                "{}: error[{}]: {}",
                self.location_label(lang),
                self.code(),
                self.message(lang)
            )?,
        }
        if let Some(s) = self.suggestion_text(lang) {
            write!(f, " ({s})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

/// Renders every error with [`ConfigError::render`], in order.
pub fn render_errors(errors: &[ConfigError], lang: Lang, opts: RenderOptions) -> String {
    errors.iter().map(|e| e.render(lang, opts)).collect()
}
