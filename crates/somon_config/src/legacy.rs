//! Configuration files of the previous SomonScript compiler (the TypeScript
//! one): its keys (`compilerOptions.noTypeCheck`, `moduleSystem.*`,
//! `bundle.sourceMaps` …) are recognised before validation. A key with a
//! meaning here is moved to its key of this schema (a warning names the
//! new key); a key without one is dropped with a warning. What is left is
//! validated as any other file, so truly unknown keys stay errors.
//! [`migrate_text`] is the same rewrite as a new file (`somon config
//! --migrate`).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::Expected;
use crate::locate::Seg;
use crate::schema::{Field, Kind, Leaf, ROOT};
use crate::validate::{check_leaf, describe};

/// What becomes of a key of the previous compiler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Action {
    /// The same value under this key of the new schema.
    Move(&'static str),
    /// The opposite boolean under this key (`noTypeCheck` → `typeCheck`).
    Invert(&'static str),
    /// `circularDependencyStrategy` → `bundle.circular`: `"ignore"` has no
    /// equivalent and becomes `"warn"` (cycles still run as in Node).
    Circular(&'static str),
    /// No meaning in this compiler: dropped.
    Ignore,
}

/// One key of the previous compiler's schema, with the kind of value it
/// took there.
struct LegacyKey {
    path: &'static str,
    leaf: Option<Leaf>,
    action: Action,
}

const fn key(path: &'static str, leaf: Option<Leaf>, action: Action) -> LegacyKey {
    LegacyKey { path, leaf, action }
}

const BOOL: Option<Leaf> = Some(Leaf::Bool);
const TEXT: Option<Leaf> = Some(Leaf::Text);
const TEXTS: Option<Leaf> = Some(Leaf::TextList);

/// The previous compiler's keys that this schema does not have at the same
/// place. (Its `compilerOptions.target`, `sourceMap`, `minify`, `outDir`,
/// `output` and `bundle.output`, `minify`, `inlineSources` are keys here
/// too.)
const LEGACY_KEYS: &[LegacyKey] = &[
    key(
        "compilerOptions.noTypeCheck",
        BOOL,
        Action::Invert("compilerOptions.typeCheck"),
    ),
    key("compilerOptions.strict", BOOL, Action::Ignore),
    key("compilerOptions.watch", BOOL, Action::Ignore),
    key("compilerOptions.compileOnSave", BOOL, Action::Ignore),
    key(
        "moduleSystem.resolution.baseUrl",
        Some(Leaf::Path),
        Action::Move("resolution.baseUrl"),
    ),
    key(
        "moduleSystem.resolution.paths",
        Some(Leaf::PathMap),
        Action::Move("resolution.paths"),
    ),
    key("moduleSystem.resolution.extensions", TEXTS, Action::Ignore),
    key(
        "moduleSystem.resolution.moduleDirectories",
        TEXTS,
        Action::Ignore,
    ),
    key("moduleSystem.resolution.allowJs", BOOL, Action::Ignore),
    key(
        "moduleSystem.resolution.resolveJsonModule",
        BOOL,
        Action::Ignore,
    ),
    key("moduleSystem.loading.encoding", TEXT, Action::Ignore),
    key("moduleSystem.loading.cache", BOOL, Action::Ignore),
    key(
        "moduleSystem.loading.circularDependencyStrategy",
        Some(Leaf::Enum(&["error", "warn", "ignore"])),
        Action::Circular("bundle.circular"),
    ),
    // Compiler options for imported modules: this compiler compiles every
    // module with `compilerOptions`.
    key("moduleSystem.compilation", None, Action::Ignore),
    key("moduleSystem.metrics", BOOL, Action::Ignore),
    key("moduleSystem.circuitBreakers", BOOL, Action::Ignore),
    key("moduleSystem.logger", BOOL, Action::Ignore),
    key("moduleSystem.managementServer", BOOL, Action::Ignore),
    key(
        "moduleSystem.managementPort",
        Some(Leaf::Int {
            min: 1,
            max: 65_535,
        }),
        Action::Move("service.managementPort"),
    ),
    key("bundle.sourceMaps", BOOL, Action::Move("bundle.sourceMap")),
    key("bundle.externals", TEXTS, Action::Move("bundle.external")),
    key("bundle.force", BOOL, Action::Ignore),
];

/// The sections only the previous compiler has, with the keys each took.
const LEGACY_SECTIONS: &[(&str, &[&str])] = &[
    (
        "moduleSystem",
        &[
            "resolution",
            "loading",
            "compilation",
            "metrics",
            "circuitBreakers",
            "logger",
            "managementServer",
            "managementPort",
        ],
    ),
    (
        "moduleSystem.resolution",
        &[
            "baseUrl",
            "paths",
            "extensions",
            "moduleDirectories",
            "allowJs",
            "resolveJsonModule",
        ],
    ),
    (
        "moduleSystem.loading",
        &["encoding", "cache", "circularDependencyStrategy"],
    ),
];

/// Values the previous compiler wrote for keys this schema has: `bundle.format:
/// "commonjs"` is `"cjs"` here.
const LEGACY_VALUES: &[(&str, &str, &str)] = &[("bundle.format", "commonjs", "cjs")];

/// What the rewrite found.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Finding {
    /// `old` was moved to `new` (`inverted`: with the opposite value).
    Moved {
        old: Vec<Seg>,
        new: &'static str,
        inverted: bool,
    },
    /// `path` has no meaning here and was dropped.
    Ignored { old: Vec<Seg> },
    /// The previous compiler's spelling of a value (`"commonjs"`), read as
    /// this schema's (`"cjs"`).
    Value {
        at: Vec<Seg>,
        old: &'static str,
        new: &'static str,
    },
    /// A value of a recognised key that was invalid there too.
    Invalid {
        at: Vec<Seg>,
        expected: Expected,
        found: String,
    },
    /// A key in a section of the previous compiler that it did not know
    /// either.
    Unknown {
        at: Vec<Seg>,
        section: String,
        known: Vec<&'static str>,
    },
}

/// The document with the previous compiler's keys rewritten, what was
/// found, and which new keys came from which old ones (for positions).
pub(crate) struct Rewritten {
    pub value: Value,
    pub findings: Vec<Finding>,
    /// New dotted key → the old path it came from.
    pub moved: BTreeMap<String, Vec<Seg>>,
}

fn segs(path: &str) -> Vec<Seg> {
    path.split('.').map(|k| Seg::Key(k.to_string())).collect()
}

fn get<'v>(v: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(v, |v, k| v.as_object()?.get(k))
}

fn remove(v: &mut Value, path: &str) -> Option<Value> {
    let (parent, last) = match path.rsplit_once('.') {
        Some((p, l)) => (Some(p), l),
        None => (None, path),
    };
    let obj = match parent {
        Some(p) => p
            .split('.')
            .try_fold(v, |v, k| v.as_object_mut()?.get_mut(k))?,
        None => v,
    };
    obj.as_object_mut()?.remove(last)
}

/// Sets `path` unless it is already set (a key of the new schema written
/// next to its old spelling wins). Returns whether it was set.
fn insert(v: &mut Value, path: &str, value: Value) -> bool {
    let mut cur = v;
    let parts: Vec<&str> = path.split('.').collect();
    let Some((last, parents)) = parts.split_last() else {
        return false;
    };
    for p in parents {
        let Some(obj) = cur.as_object_mut() else {
            return false;
        };
        cur = obj
            .entry(p.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    match cur.as_object_mut() {
        Some(obj) if !obj.contains_key(*last) => {
            obj.insert(last.to_string(), value);
            true
        }
        _ => false,
    }
}

/// Rewrites the previous compiler's keys of `doc` (any JSON value).
pub(crate) fn rewrite(doc: &Value) -> Rewritten {
    let mut value = doc.clone();
    let mut findings = Vec::new();
    let mut moved = BTreeMap::new();
    if !value.is_object() {
        return Rewritten {
            value,
            findings,
            moved,
        };
    }
    for k in LEGACY_KEYS {
        let Some(old) = get(doc, k.path) else {
            continue;
        };
        // Only inside objects: `"compilerOptions": 5` is reported by
        // validation as it is.
        let problems = k.leaf.map(|l| check_leaf(l, old)).unwrap_or_default();
        if let Some((rel, expected, bad)) = problems.into_iter().next() {
            let mut at = segs(k.path);
            at.extend(rel);
            findings.push(Finding::Invalid {
                at,
                expected,
                found: describe(bad),
            });
            remove(&mut value, k.path);
            continue;
        }
        let new_value = match k.action {
            Action::Move(_) => Some(old.clone()),
            Action::Invert(_) => old.as_bool().map(|b| Value::Bool(!b)),
            Action::Circular(_) => Some(Value::String(
                if old.as_str() == Some("error") {
                    "error"
                } else {
                    "warn"
                }
                .into(),
            )),
            Action::Ignore => None,
        };
        remove(&mut value, k.path);
        match (k.action, new_value) {
            (Action::Move(new) | Action::Invert(new) | Action::Circular(new), Some(v)) => {
                if insert(&mut value, new, v) {
                    moved.insert(new.to_string(), segs(k.path));
                }
                findings.push(Finding::Moved {
                    old: segs(k.path),
                    new,
                    inverted: matches!(k.action, Action::Invert(_)),
                });
            }
            _ => findings.push(Finding::Ignored { old: segs(k.path) }),
        }
    }
    for (path, old, new) in LEGACY_VALUES {
        if get(&value, path).and_then(Value::as_str) == Some(old) {
            remove(&mut value, path);
            insert(&mut value, path, Value::String((*new).into()));
            findings.push(Finding::Value {
                at: segs(path),
                old,
                new,
            });
        }
    }
    // The previous compiler's own sections: what is left in them it did
    // not know either (an error, as any unknown key); then they go.
    for (section, known) in LEGACY_SECTIONS.iter().rev() {
        let Some(obj) = get(&value, section).and_then(Value::as_object) else {
            continue;
        };
        for (key, _) in obj {
            if known.contains(&key.as_str()) {
                // An inner section, already handled.
                continue;
            }
            let mut at = segs(section);
            at.push(Seg::Key(key.clone()));
            findings.push(Finding::Unknown {
                at,
                section: section.to_string(),
                known: known.to_vec(),
            });
        }
        remove(&mut value, section);
    }
    // A non-object `moduleSystem` is left for validation (unknown key).
    Rewritten {
        value,
        findings,
        moved,
    }
}

/// A document in this schema's key order (JSON objects of `serde_json`
/// are sorted by key): two-space indentation and a final line break.
pub(crate) fn render(doc: &Value) -> String {
    fn write(v: &Value, fields: Option<&'static [Field]>, depth: usize, out: &mut String) {
        match (v.as_object(), fields) {
            (Some(obj), Some(fields)) if !obj.is_empty() => {
                out.push_str("{\n");
                let mut first = true;
                for f in fields {
                    let Some(inner) = obj.get(f.key) else {
                        continue;
                    };
                    if !first {
                        out.push_str(",\n");
                    }
                    first = false;
                    out.push_str(&"  ".repeat(depth + 1));
                    out.push_str(&Value::String(f.key.to_string()).to_string());
                    out.push_str(": ");
                    let nested = match f.kind {
                        Kind::Section(s) => Some(s),
                        Kind::Leaf(_) => None,
                    };
                    write(inner, nested, depth + 1, out);
                }
                out.push('\n');
                out.push_str(&"  ".repeat(depth));
                out.push('}');
            }
            _ => {
                let text = serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string());
                let pad = "  ".repeat(depth);
                let mut lines = text.lines();
                if let Some(first) = lines.next() {
                    out.push_str(first);
                }
                for line in lines {
                    out.push('\n');
                    out.push_str(&pad);
                    out.push_str(line);
                }
            }
        }
    }
    // serde_json's objects are sorted by key (no `preserve_order`): the
    // text is written here, in the schema's order.
    let mut out = String::new();
    write(doc, Some(ROOT), 0, &mut out);
    out.push('\n');
    out
}
