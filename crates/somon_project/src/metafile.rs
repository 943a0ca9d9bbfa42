//! What a bundle is made of: esbuild's metafile shape (`inputs` with their
//! bytes and imports, `outputs` with the bytes each input takes in them)
//! and the `--analyze` report built on it (the largest modules, and the
//! chain of imports that brings each one in).

use crate::bundle::BundleOutput;
use crate::graph::{Graph, ImportTarget, ModuleSource};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt::Write as _;
use std::path::Path;

/// One module of the graph as a metafile's `inputs` names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputReport {
    /// Relative to the request's `display_base` (the working folder), with
    /// `/` between names.
    pub path: String,
    /// Size of the file's text.
    pub bytes: usize,
    pub imports: Vec<ImportReport>,
    /// `esm` (Somon and ES modules), `cjs` (CommonJS); `None` for JSON.
    pub format: Option<&'static str>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportReport {
    /// The module it leads to (as [`InputReport::path`]), or for an
    /// external import the specifier itself.
    pub path: String,
    /// esbuild's import kinds: `import-statement`, `require-call`,
    /// `dynamic-import`.
    pub kind: &'static str,
    /// The specifier as written.
    pub original: String,
    pub external: bool,
}

fn slashed(s: String) -> String {
    if s.contains('\\') {
        s.replace('\\', "/")
    } else {
        s
    }
}

/// Every module of `graph` (in graph order: the entry first) with its
/// imports; unresolved imports are left out (they are errors).
pub(crate) fn inputs_of(graph: &Graph, base: &Path) -> Vec<InputReport> {
    // Each module's path once (an import names it again).
    let paths: Vec<String> = graph
        .modules
        .par_iter()
        .map(|m| slashed(graph.style.relative(base, &m.path)))
        .collect();
    let path_of = |id: usize| paths.get(id).cloned().unwrap_or_default();
    graph
        .modules
        .par_iter()
        .enumerate()
        .map(|(id, m)| {
            let (format, static_kind) = match m.source {
                ModuleSource::Somon(_) | ModuleSource::EsmJs => (Some("esm"), "import-statement"),
                ModuleSource::Js => (Some("cjs"), "require-call"),
                ModuleSource::Json => (None, "require-call"),
            };
            let imports = m
                .imports
                .iter()
                .filter_map(|i| {
                    let kind = if i.dynamic {
                        "dynamic-import"
                    } else {
                        static_kind
                    };
                    let (path, external) = match i.target.as_ref()? {
                        ImportTarget::Module(t) => (path_of(*t), false),
                        ImportTarget::External(_) => (i.specifier.clone(), true),
                    };
                    Some(ImportReport {
                        path,
                        kind,
                        original: i.specifier.clone(),
                        external,
                    })
                })
                .collect();
            InputReport {
                path: path_of(id),
                bytes: m.text.len(),
                imports,
                format,
            }
        })
        .collect()
}

/// A file a bundle wrote, for the metafile's `outputs`.
#[derive(Clone, Debug)]
pub struct OutputFile {
    /// Relative to the working folder, with `/` between names.
    pub path: String,
    pub bytes: usize,
    /// The bundle's code (with inputs, exports and entry point), else its
    /// source map.
    pub code: bool,
}

fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// The metafile of `out`, written as `outputs` (the bundle, then its map
/// when there is one), in esbuild's shape and key order, pretty-printed.
pub fn metafile_json(out: &BundleOutput, outputs: &[OutputFile]) -> String {
    let externals: Vec<OutputImport> = external_imports(out)
        .into_iter()
        .map(|(path, kind)| OutputImport {
            path,
            kind,
            external: true,
        })
        .collect();
    let entry = out.inputs.first().map(|e| e.path.clone());
    let reports: Vec<OutputReport<'_>> = outputs
        .iter()
        .map(|o| OutputReport {
            path: &o.path,
            bytes: o.bytes,
            imports: if o.code { &externals } else { &[] },
            exports: if o.code { &out.exports } else { &[] },
            entry_point: if o.code { entry.as_deref() } else { None },
            inputs: if o.code { &out.module_bytes } else { &[] },
        })
        .collect();
    metafile_of(out, &reports)
}

/// An import of an output: another output (a chunk of a split build) or
/// an external module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputImport {
    pub path: String,
    /// `import-statement`, `dynamic-import`, `require-call`.
    pub kind: &'static str,
    pub external: bool,
}

/// One output of a metafile: its imports, exports, entry point and the
/// bytes each input takes in it.
#[derive(Clone, Debug)]
pub struct OutputReport<'a> {
    pub path: &'a str,
    pub bytes: usize,
    pub imports: &'a [OutputImport],
    pub exports: &'a [String],
    pub entry_point: Option<&'a str>,
    pub inputs: &'a [(String, usize)],
}

/// The metafile of a build: `out`'s inputs and the `outputs` given (a
/// split build has one per chunk and map), in esbuild's shape and key
/// order, pretty-printed.
pub fn metafile_of(out: &BundleOutput, outputs: &[OutputReport<'_>]) -> String {
    let mut s = String::from("{\n  \"inputs\": {");
    for (n, input) in out.inputs.iter().enumerate() {
        let _ = write!(
            s,
            "{}\n    {}: {{\n      \"bytes\": {},\n      \"imports\": [",
            if n > 0 { "," } else { "" },
            json(&input.path),
            input.bytes
        );
        for (k, i) in input.imports.iter().enumerate() {
            let _ = write!(
                s,
                "{}\n        {{\n          \"path\": {},\n          \"kind\": {},\n          ",
                if k > 0 { "," } else { "" },
                json(&i.path),
                json(i.kind),
            );
            if i.external {
                s.push_str("\"external\": true\n        }");
            } else {
                let _ = write!(s, "\"original\": {}\n        }}", json(&i.original));
            }
        }
        s.push_str(if input.imports.is_empty() {
            "]"
        } else {
            "\n      ]"
        });
        if let Some(format) = input.format {
            let _ = write!(s, ",\n      \"format\": {}", json(format));
        }
        s.push_str("\n    }");
    }
    s.push_str(if out.inputs.is_empty() {
        "},\n  \"outputs\": {"
    } else {
        "\n  },\n  \"outputs\": {"
    });
    for (n, o) in outputs.iter().enumerate() {
        let _ = write!(
            s,
            "{}\n    {}: {{\n      \"imports\": [",
            if n > 0 { "," } else { "" },
            json(o.path)
        );
        for (k, i) in o.imports.iter().enumerate() {
            let _ = write!(
                s,
                "{}\n        {{\n          \"path\": {},\n          \"kind\": {}",
                if k > 0 { "," } else { "" },
                json(&i.path),
                json(i.kind)
            );
            s.push_str(if i.external {
                ",\n          \"external\": true\n        }"
            } else {
                "\n        }"
            });
        }
        s.push_str(if o.imports.is_empty() {
            "],\n      \"exports\": ["
        } else {
            "\n      ],\n      \"exports\": ["
        });
        for (k, e) in o.exports.iter().enumerate() {
            let _ = write!(s, "{}\n        {}", if k > 0 { "," } else { "" }, json(e));
        }
        s.push_str(if o.exports.is_empty() {
            "]"
        } else {
            "\n      ]"
        });
        if let Some(entry) = o.entry_point {
            let _ = write!(s, ",\n      \"entryPoint\": {}", json(entry));
        }
        s.push_str(",\n      \"inputs\": {");
        for (k, (path, bytes)) in o.inputs.iter().enumerate() {
            let _ = write!(
                s,
                "{}\n        {}: {{\n          \"bytesInOutput\": {}\n        }}",
                if k > 0 { "," } else { "" },
                json(path),
                bytes
            );
        }
        s.push_str(if o.inputs.is_empty() {
            "},"
        } else {
            "\n      },"
        });
        let _ = write!(s, "\n      \"bytes\": {}\n    }}", o.bytes);
    }
    s.push_str(if outputs.is_empty() {
        "}\n}\n"
    } else {
        "\n  }\n}\n"
    });
    s
}

/// The external imports of the whole bundle, each once (first seen
/// first): the runtime loads them with the host's `require`.
fn external_imports(out: &BundleOutput) -> Vec<(String, &'static str)> {
    let mut seen = HashSet::new();
    let mut v = Vec::new();
    for i in out.inputs.iter().flat_map(|m| &m.imports) {
        if i.external && seen.insert(i.path.as_str()) {
            v.push((i.path.clone(), "require-call"));
        }
    }
    v
}

/// One line of `somon bundle --analyze`.
#[derive(Clone, Debug, PartialEq)]
pub struct AnalyzedModule {
    pub path: String,
    /// Bytes the module takes in the bundle.
    pub bytes: usize,
    /// Its share of the bundle's bytes, in percent.
    pub share: f64,
    /// The shortest chain of imports from the entry to it: the entry
    /// first, the module last (the entry alone for the entry).
    pub chain: Vec<String>,
}

/// The modules of `out`, largest first (ties in graph order), with why
/// each one is in the bundle. `total` is the bundle's size.
pub fn analyze(out: &BundleOutput, total: usize) -> Vec<AnalyzedModule> {
    analyze_bytes(out, &out.module_bytes, total, &[])
}

/// [`analyze`] of one output of a split build: `module_bytes` are the
/// modules it holds (by input path), `total` its size, `roots` the input
/// paths of the build's entries (chains start at the nearest; none: the
/// first input).
pub fn analyze_bytes(
    out: &BundleOutput,
    module_bytes: &[(String, usize)],
    total: usize,
    roots: &[&str],
) -> Vec<AnalyzedModule> {
    let index: HashMap<&str, usize> = out
        .inputs
        .iter()
        .enumerate()
        .map(|(i, m)| (m.path.as_str(), i))
        .collect();
    // Breadth first from the entry: each module's first importer on a
    // shortest path.
    let mut parent: Vec<Option<usize>> = vec![None; out.inputs.len()];
    let mut seen = vec![false; out.inputs.len()];
    let mut queue = VecDeque::new();
    let mut starts: Vec<usize> = roots.iter().filter_map(|r| index.get(r).copied()).collect();
    if starts.is_empty() {
        starts.push(0);
    }
    for at in starts {
        if let Some(s) = seen.get_mut(at) {
            if !*s {
                *s = true;
                queue.push_back(at);
            }
        }
    }
    while let Some(at) = queue.pop_front() {
        let Some(m) = out.inputs.get(at) else {
            continue;
        };
        for i in m.imports.iter().filter(|i| !i.external) {
            let Some(&to) = index.get(i.path.as_str()) else {
                continue;
            };
            if let Some(s) = seen.get_mut(to) {
                if !*s {
                    *s = true;
                    if let Some(p) = parent.get_mut(to) {
                        *p = Some(at);
                    }
                    queue.push_back(to);
                }
            }
        }
    }
    let chain_of = |mut at: usize| {
        let mut chain = Vec::new();
        // A chain is at most as long as the graph.
        for _ in 0..=out.inputs.len() {
            if let Some(m) = out.inputs.get(at) {
                chain.push(m.path.clone());
            }
            match parent.get(at).copied().flatten() {
                Some(p) => at = p,
                None => break,
            }
        }
        chain.reverse();
        chain
    };
    let mut rows: Vec<(usize, AnalyzedModule)> = module_bytes
        .iter()
        .map(|(path, bytes)| {
            let at = index.get(path.as_str()).copied().unwrap_or(usize::MAX);
            let share = if total == 0 {
                0.0
            } else {
                *bytes as f64 * 100.0 / total as f64
            };
            let chain = if at == usize::MAX {
                vec![path.clone()]
            } else {
                chain_of(at)
            };
            (
                at,
                AnalyzedModule {
                    path: path.clone(),
                    bytes: *bytes,
                    share,
                    chain,
                },
            )
        })
        .collect();
    rows.sort_by(|(a, x), (b, y)| y.bytes.cmp(&x.bytes).then(a.cmp(b)));
    rows.into_iter().map(|(_, m)| m).collect()
}
