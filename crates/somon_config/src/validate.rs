//! Validation of configuration JSON against the schema table: every unknown
//! key and every invalid value at once, each at its exact position; then the
//! typed serde deserialization of the whole file.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use somon_diagnostics::LineIndex;

use crate::error::{ConfigError, Expected, Origin, ParseReason, Problem, Suggestion, TextSpan};
use crate::locate::{display_path, scan, Locations, Seg};
use crate::paths::{normalize, parent_dir};
use crate::schema::{keys_of, ConfigFile, Field, Kind, Leaf, ROOT};
use crate::suggest::closest;

/// One problem found in a JSON value, by path; turned into a
/// [`ConfigError`] by whoever knows where the value came from.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Issue {
    pub path: Vec<Seg>,
    pub kind: IssueKind,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum IssueKind {
    Unknown {
        key: String,
        section: String,
        known: Vec<&'static str>,
        suggestion: Option<Suggestion>,
    },
    Invalid {
        expected: Expected,
        found: Option<String>,
        suggestion: Option<Suggestion>,
    },
}

impl Issue {
    pub fn into_problem(self) -> (Problem, Option<Suggestion>) {
        match self.kind {
            IssueKind::Unknown {
                key,
                section,
                known,
                suggestion,
            } => (
                Problem::UnknownKey {
                    key,
                    section,
                    known,
                },
                suggestion,
            ),
            IssueKind::Invalid {
                expected,
                found,
                suggestion,
            } => (
                Problem::InvalidValue {
                    key: display_path(&self.path),
                    expected,
                    found,
                },
                suggestion,
            ),
        }
    }
}

/// A short rendering of a JSON value for messages (at most 40 characters).
pub(crate) fn describe(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() <= 40 {
        return text;
    }
    let mut short: String = text.chars().take(39).collect();
    short.push('…');
    short
}

fn non_empty_str(v: &Value) -> bool {
    v.as_str().is_some_and(|s| !s.is_empty())
}

fn is_code(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        let mut chars = s.chars();
        chars.next().is_some_and(|c| c.is_ascii_uppercase())
            && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    })
}

/// Checks one leaf value; issue paths are relative to the leaf.
pub(crate) fn check_leaf(leaf: Leaf, v: &Value) -> Vec<(Vec<Seg>, Expected, &Value)> {
    let mut out = Vec::new();
    match leaf {
        Leaf::Bool => {
            if !v.is_boolean() {
                out.push((vec![], Expected::Boolean, v));
            }
        }
        Leaf::SourceMap => {
            if !(v.is_boolean() || v.as_str() == Some("inline")) {
                out.push((vec![], Expected::BooleanOrInline, v));
            }
        }
        Leaf::Text | Leaf::Path => {
            if !non_empty_str(v) {
                out.push((vec![], Expected::Text, v));
            }
        }
        Leaf::Enum(names) => {
            if !v.as_str().is_some_and(|s| names.contains(&s)) {
                out.push((vec![], Expected::OneOf(names), v));
            }
        }
        Leaf::Int { min, max } => {
            if !v.as_u64().is_some_and(|n| n >= min && n <= max) {
                out.push((vec![], Expected::Integer { min, max }, v));
            }
        }
        Leaf::TextList => match v.as_array() {
            None => out.push((vec![], Expected::TextList, v)),
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    if !non_empty_str(item) {
                        out.push((vec![Seg::Index(i)], Expected::Text, item));
                    }
                }
            }
        },
        Leaf::PathOrPaths => match v.as_array() {
            None if non_empty_str(v) => {}
            None => out.push((vec![], Expected::PathOrPaths, v)),
            Some(items) if items.is_empty() => out.push((vec![], Expected::PathOrPaths, v)),
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    if !non_empty_str(item) {
                        out.push((vec![Seg::Index(i)], Expected::Text, item));
                    } else if let Some(first) = items.iter().take(i).position(|x| x == item) {
                        out.push((vec![Seg::Index(i)], Expected::NewEntry { first }, item));
                    }
                }
            }
        },
        Leaf::CodeList => match v.as_array() {
            None => out.push((vec![], Expected::CodeList, v)),
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    if !is_code(item) {
                        out.push((vec![Seg::Index(i)], Expected::Code, item));
                    }
                }
            }
        },
        Leaf::PathMap => match v.as_object() {
            None => out.push((vec![], Expected::PathMap, v)),
            Some(map) => {
                for (pattern, targets) in map {
                    let at = Seg::Key(pattern.clone());
                    match targets.as_array() {
                        None => out.push((vec![at], Expected::TextList, targets)),
                        Some(items) => {
                            for (i, item) in items.iter().enumerate() {
                                if !non_empty_str(item) {
                                    out.push((
                                        vec![at.clone(), Seg::Index(i)],
                                        Expected::Text,
                                        item,
                                    ));
                                }
                            }
                        }
                    }
                }
            }
        },
    }
    out
}

/// The full dotted path of the first key named `key` (ignoring case) at a
/// level other than `here`.
fn find_elsewhere(key: &str, here: &'static [Field]) -> Option<String> {
    fn walk(
        fields: &'static [Field],
        prefix: &str,
        key: &str,
        here: &'static [Field],
    ) -> Option<String> {
        let same_level = std::ptr::eq(fields, here);
        for f in fields {
            let path = if prefix.is_empty() {
                f.key.to_string()
            } else {
                format!("{prefix}.{}", f.key)
            };
            if !same_level && f.key.eq_ignore_ascii_case(key) {
                return Some(path);
            }
            if let Kind::Section(inner) = f.kind {
                if let Some(found) = walk(inner, &path, key, here) {
                    return Some(found);
                }
            }
        }
        None
    }
    walk(ROOT, "", key, here)
}

/// The suggestion for an unknown `key` with value `v` at level `fields`.
/// A hint never inverts the meaning (`noTypeCheck` is not `typeCheck`)
/// and never points a plain value at a section.
pub(crate) fn suggest_key(key: &str, v: &Value, fields: &'static [Field]) -> Option<Suggestion> {
    let known = keys_of(fields);
    let is_section = |path: &str| matches!(crate::schema::lookup(path), Ok(Kind::Section(_)));
    // `noX`/`disableX` next to `x`: the opposite, not a spelling.
    let lower = key.to_ascii_lowercase();
    for prefix in ["no", "disable", "skip"] {
        if let Some(rest) = lower.strip_prefix(prefix) {
            let rest = rest.trim_start_matches(['-', '_']);
            if let Some(k) = known.iter().find(|k| k.eq_ignore_ascii_case(rest)) {
                return Some(Suggestion::Opposite {
                    key: key.to_string(),
                    positive: k.to_string(),
                });
            }
        }
    }
    if let Some(k) = closest(key, &known) {
        let section = fields
            .iter()
            .any(|f| f.key == k && matches!(f.kind, Kind::Section(_)));
        if !section || v.is_object() {
            return Some(Suggestion::Key(k.to_string()));
        }
        return None;
    }
    find_elsewhere(key, fields)
        .filter(|p| v.is_object() || !is_section(p))
        .map(Suggestion::Path)
}

/// The valid spelling of an invalid enum value: another case
/// (`"ES2020"`), or a tsconfig/Node spelling of a module format
/// (`"commonjs"` → `"cjs"`, `"ES2015"` → `"esm"`).
fn suggest_value(names: &'static [&'static str], v: &Value) -> Option<Suggestion> {
    let text = v.as_str()?.trim().to_ascii_lowercase();
    let quoted = |s: &str| Value::String(s.to_string()).to_string();
    if let Some(n) = names.iter().find(|n| **n == text) {
        return Some(Suggestion::Value(quoted(n)));
    }
    let module_like = names.contains(&"cjs") && names.contains(&"esm");
    if module_like {
        let alias = match text.as_str() {
            "commonjs" | "common-js" | "common_js" | "node" | "require" => Some("cjs"),
            "es" | "es6" | "module" | "esmodule" | "es-module" | "esnext" | "nodenext"
            | "node16" => Some("esm"),
            t if t.starts_with("es20") => Some("esm"),
            _ => None,
        };
        return alias.map(|a| Suggestion::Value(quoted(a)));
    }
    if names.contains(&"es2020") {
        let alias = match text.as_str() {
            "es6" => Some("es2015"),
            "es7" => Some("es2016"),
            "latest" | "next" => Some("esnext"),
            _ => None,
        };
        return alias.map(|a| Suggestion::Value(quoted(a)));
    }
    None
}

/// Checks an object against one level of the schema, recursively.
pub(crate) fn check_object(
    obj: &Map<String, Value>,
    fields: &'static [Field],
    path: &mut Vec<Seg>,
    out: &mut Vec<Issue>,
) {
    for (key, v) in obj {
        path.push(Seg::Key(key.clone()));
        match fields.iter().find(|f| f.key == key) {
            None => out.push(Issue {
                path: path.clone(),
                kind: IssueKind::Unknown {
                    key: key.clone(),
                    section: display_path(path.get(..path.len().saturating_sub(1)).unwrap_or(&[])),
                    known: keys_of(fields),
                    suggestion: suggest_key(key, v, fields),
                },
            }),
            Some(field) => match field.kind {
                Kind::Section(inner) => match v.as_object() {
                    Some(o) => check_object(o, inner, path, out),
                    None => out.push(Issue {
                        path: path.clone(),
                        kind: IssueKind::Invalid {
                            expected: Expected::Object,
                            found: Some(describe(v)),
                            suggestion: None,
                        },
                    }),
                },
                Kind::Leaf(leaf) => {
                    for (rel, expected, bad) in check_leaf(leaf, v) {
                        let mut full = path.clone();
                        full.extend(rel);
                        let suggestion = match leaf {
                            Leaf::Enum(names) => suggest_value(names, bad),
                            _ => None,
                        };
                        out.push(Issue {
                            path: full,
                            kind: IssueKind::Invalid {
                                expected,
                                found: Some(describe(bad)),
                                suggestion,
                            },
                        });
                    }
                }
            },
        }
        path.pop();
    }
}

/// Checks a whole document (the root must be an object).
pub(crate) fn check_document(value: &Value) -> Vec<Issue> {
    let mut out = Vec::new();
    match value.as_object() {
        Some(obj) => check_object(obj, ROOT, &mut Vec::new(), &mut out),
        None => out.push(Issue {
            path: Vec::new(),
            kind: IssueKind::Invalid {
                expected: Expected::Object,
                found: Some(describe(value)),
                suggestion: None,
            },
        }),
    }
    out
}

/// Every leaf of a (validated) document as `(dotted key, value)`, in schema
/// order.
pub(crate) fn leaves(value: &Value) -> Vec<(String, &Value)> {
    fn walk<'v>(
        obj: &'v Map<String, Value>,
        fields: &'static [Field],
        prefix: &str,
        out: &mut Vec<(String, &'v Value)>,
    ) {
        for f in fields {
            let Some(v) = obj.get(f.key) else { continue };
            let path = if prefix.is_empty() {
                f.key.to_string()
            } else {
                format!("{prefix}.{}", f.key)
            };
            match (f.kind, v.as_object()) {
                (Kind::Section(inner), Some(o)) => walk(o, inner, &path, out),
                (Kind::Section(_), None) => {}
                (Kind::Leaf(_), _) => out.push((path, v)),
            }
        }
    }
    let mut out = Vec::new();
    if let Some(obj) = value.as_object() {
        walk(obj, ROOT, "", &mut out);
    }
    out
}

/// A configuration file that has been read and validated.
#[derive(Clone, Debug)]
pub struct LoadedConfig {
    path: PathBuf,
    file: ConfigFile,
    value: Value,
    text: String,
    index: LineIndex,
    locations: Locations,
    /// Keys of the previous SomonScript compiler (warnings), by position.
    warnings: Vec<ConfigError>,
    /// Keys moved from the previous compiler's spelling: new dotted key →
    /// where it is written.
    moved: std::collections::BTreeMap<String, Vec<Seg>>,
}

impl LoadedConfig {
    /// The file's path (normalized; absolute when it was given absolute).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The folder every relative path in the file is relative to.
    pub fn dir(&self) -> PathBuf {
        parent_dir(&self.path)
    }

    /// The typed contents, exactly as written.
    pub fn file(&self) -> &ConfigFile {
        &self.file
    }

    /// The text of the file (without a byte-order mark).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// A path written in this file, resolved against its folder.
    pub fn resolve_path(&self, raw: &str) -> PathBuf {
        normalize(&self.dir().join(raw))
    }

    /// Where the value of a dotted key (`compilerOptions.typeCheck`) is
    /// (for a key read from the previous compiler's spelling, where that
    /// is).
    pub fn span_of(&self, key: &str) -> Option<TextSpan> {
        let path: Vec<Seg> = match self.moved.get(key) {
            Some(old) => old.clone(),
            None => key.split('.').map(|k| Seg::Key(k.to_string())).collect(),
        };
        self.locations
            .value_range(&path)
            .map(|r| span_of_range(&self.text, &self.index, r))
    }

    /// Warnings about keys of the previous SomonScript compiler, in the
    /// order they appear in the file.
    pub fn warnings(&self) -> &[ConfigError] {
        &self.warnings
    }

    /// The file rewritten in this schema (keys of the previous compiler
    /// moved or dropped), as `somon config --migrate` writes it; `None`
    /// when the file has nothing to rewrite.
    pub fn migrated_text(&self) -> Option<String> {
        if self.warnings.is_empty() {
            return None;
        }
        Some(crate::legacy::render(&self.value))
    }

    pub(crate) fn value(&self) -> &Value {
        &self.value
    }
}

fn span_of_range(text: &str, index: &LineIndex, (lo, hi): (usize, usize)) -> TextSpan {
    let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let start = index.line_col(text, to_u32(lo));
    let end = index.line_col(text, to_u32(hi.max(lo)));
    let (snippet, snippet_offset) = index.snippet(text, to_u32(lo));
    TextSpan {
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        snippet,
        snippet_offset,
    }
}

/// The byte offset serde_json means by `line`/`column` (its column counts
/// bytes up to and including the offending one), snapped to a character
/// boundary.
fn serde_offset(text: &str, index: &LineIndex, line: usize, column: usize) -> usize {
    let line = u32::try_from(line.max(1)).unwrap_or(u32::MAX);
    let start = index.line_start(line) as usize;
    let mut offset = (start + column.saturating_sub(1)).min(text.len());
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Parses and validates the text of a configuration file. `path` is used in
/// diagnostics and as the base of relative paths (pass an absolute path).
/// All unknown keys and invalid values are reported at once, sorted by
/// position; a JSON syntax error is reported alone.
pub fn parse_config(text: &str, path: &Path) -> Result<LoadedConfig, Vec<ConfigError>> {
    let path = normalize(path);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).to_string();
    let index = LineIndex::new(&text);
    let at = |range: Option<(usize, usize)>| Origin::File {
        path: path.clone(),
        span: range.map(|r| span_of_range(&text, &index, r)),
    };

    let value: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(err) => {
            let lo = serde_offset(&text, &index, err.line(), err.column());
            let hi = text
                .get(lo..)
                .and_then(|rest| rest.chars().next())
                .map_or(lo, |c| lo + c.len_utf8());
            return Err(vec![ConfigError::new(
                Problem::Parse(ParseReason::from_serde(&err)),
                at(Some((lo, hi))),
            )]);
        }
    };

    let locations = scan(&text);
    let mut found: Vec<(usize, ConfigError)> = Vec::new();
    // Keys of the previous SomonScript compiler: read as this schema's
    // (warnings), the rest validated as written.
    let rewritten = crate::legacy::rewrite(&value);
    let moved = rewritten.moved;
    let mut warnings: Vec<(usize, ConfigError)> = Vec::new();
    for finding in rewritten.findings {
        use crate::legacy::Finding;
        let (range, problem, is_warning) = match finding {
            Finding::Moved { old, new, inverted } => (
                locations.key_range(&old),
                Problem::LegacyKey {
                    key: display_path(&old),
                    replacement: new.to_string(),
                    inverted,
                },
                true,
            ),
            Finding::Ignored { old } => (
                locations.key_range(&old),
                Problem::IgnoredKey {
                    key: display_path(&old),
                },
                true,
            ),
            Finding::Value { at, old, new } => (
                locations.value_range(&at),
                Problem::LegacyValue {
                    key: display_path(&at),
                    old: Value::String(old.into()).to_string(),
                    new: Value::String(new.into()).to_string(),
                },
                true,
            ),
            Finding::Invalid {
                at,
                expected,
                found,
            } => (
                locations.value_range(&at),
                Problem::InvalidValue {
                    key: display_path(&at),
                    expected,
                    found: Some(found),
                },
                false,
            ),
            Finding::Unknown { at, section, known } => (
                locations.key_range(&at),
                Problem::UnknownKey {
                    key: at
                        .last()
                        .map(|s| display_path(std::slice::from_ref(s)))
                        .unwrap_or_default(),
                    section,
                    known,
                },
                false,
            ),
        };
        let e = ConfigError::new(problem, at(range));
        let offset = range.map_or(0, |r| r.0);
        if is_warning {
            warnings.push((offset, e));
        } else {
            found.push((offset, e));
        }
    }
    let value = rewritten.value;
    // A path of the rewritten document in the text: keys that were moved
    // are where their old spelling is.
    let in_text = |path: &[Seg]| -> Vec<Seg> {
        for (new, old) in &moved {
            let new: Vec<Seg> = new.split('.').map(|k| Seg::Key(k.to_string())).collect();
            if path.starts_with(&new) {
                let mut p = old.clone();
                p.extend(path.iter().skip(new.len()).cloned());
                return p;
            }
        }
        path.to_vec()
    };
    for issue in check_document(&value) {
        let range = match issue.kind {
            IssueKind::Unknown { .. } => locations.key_range(&in_text(&issue.path)),
            IssueKind::Invalid { .. } => locations.value_range(&in_text(&issue.path)),
        };
        let (problem, suggestion) = issue.into_problem();
        found.push((
            range.map_or(0, |r| r.0),
            ConfigError::new(problem, at(range)).with_suggestion(suggestion),
        ));
    }
    for (dup_path, range) in &locations.duplicates {
        found.push((
            range.0,
            ConfigError::new(
                Problem::DuplicateKey {
                    key: display_path(dup_path),
                },
                at(Some(*range)),
            ),
        ));
    }
    if !found.is_empty() {
        found.sort_by_key(|(offset, _)| *offset);
        return Err(found.into_iter().map(|(_, e)| e).collect());
    }

    // The schema table and the serde types describe the same schema (a test
    // checks it), so this only fails if they drift apart.
    let file: ConfigFile = match serde_json::from_value(value.clone()) {
        Ok(f) => f,
        Err(err) => {
            return Err(vec![ConfigError::new(
                Problem::InvalidValue {
                    key: String::new(),
                    expected: Expected::Object,
                    found: Some(err.to_string()),
                },
                at(locations.value_range(&[])),
            )])
        }
    };

    warnings.sort_by_key(|(offset, _)| *offset);
    Ok(LoadedConfig {
        path,
        file,
        value,
        text,
        index,
        locations,
        warnings: warnings.into_iter().map(|(_, e)| e).collect(),
        moved,
    })
}
