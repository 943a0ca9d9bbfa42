//! The module graph, built by a parallel worklist: each round parses every
//! newly found file at once (rayon), resolves its imports, and queues the
//! files it discovers. Modules are keyed by path in a hash map, so the
//! work is linear in the number of modules; ids follow discovery order
//! with imports in source order, so the graph is the same whatever the
//! thread count.

use crate::fs::{relative_path, FileSystem};
use crate::resolve::{Resolved, Resolver};
use rayon::prelude::*;
use somon_diagnostics::{Diagnostic, Message, Span};
use somon_syntax::ast::{ExportDecl, Program, Stmt};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub enum ModuleSource {
    Somon(Box<Program>),
    Json,
    /// A JavaScript file of the project: left to Node at run time.
    Js,
}

#[derive(Debug)]
pub struct Import {
    pub specifier: String,
    pub span: Span,
    /// `None` when the import could not be resolved (a diagnostic says so).
    pub target: Option<ImportTarget>,
    pub dynamic: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportTarget {
    Module(usize),
    /// Stays a `require` at run time: built-ins, packages, `--external`.
    External(String),
}

#[derive(Debug)]
pub struct Module {
    pub path: PathBuf,
    pub text: String,
    pub source: ModuleSource,
    pub imports: Vec<Import>,
    /// Lexer/parser diagnostics and unresolved imports (spans into `text`).
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Default)]
pub struct Graph {
    pub modules: Vec<Module>,
    pub by_path: HashMap<PathBuf, usize>,
}

impl Graph {
    pub fn entry(&self) -> Option<&Module> {
        self.modules.first()
    }

    /// Every import cycle once, as module ids in import order, the first
    /// id repeated at the end.
    pub fn cycles(&self) -> Vec<Vec<usize>> {
        // Iterative DFS colouring; a back edge closes a cycle.
        let n = self.modules.len();
        let mut state = vec![0u8; n];
        let mut cycles = Vec::new();
        for root in 0..n {
            if state.get(root) != Some(&0) {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
            let mut path: Vec<usize> = vec![root];
            if let Some(s) = state.get_mut(root) {
                *s = 1;
            }
            while let Some((node, next)) = stack.pop() {
                let deps: Vec<usize> = self
                    .modules
                    .get(node)
                    .map(|m| {
                        m.imports
                            .iter()
                            .filter(|i| !i.dynamic)
                            .filter_map(|i| match i.target {
                                Some(ImportTarget::Module(t)) => Some(t),
                                _ => None,
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                if let Some(&dep) = deps.get(next) {
                    stack.push((node, next + 1));
                    match state.get(dep) {
                        Some(0) => {
                            if let Some(s) = state.get_mut(dep) {
                                *s = 1;
                            }
                            path.push(dep);
                            stack.push((dep, 0));
                        }
                        Some(1) => {
                            if let Some(pos) = path.iter().position(|&p| p == dep) {
                                let mut cycle: Vec<usize> =
                                    path.get(pos..).map(<[usize]>::to_vec).unwrap_or_default();
                                cycle.push(dep);
                                cycles.push(cycle);
                            }
                        }
                        _ => {}
                    }
                } else {
                    if let Some(s) = state.get_mut(node) {
                        *s = 2;
                    }
                    path.pop();
                }
            }
        }
        cycles
    }

    /// A cycle rendered with paths relative to `base`: `a.som -> b.som -> a.som`.
    pub fn describe_cycle(&self, cycle: &[usize], base: &Path) -> String {
        cycle
            .iter()
            .filter_map(|&i| self.modules.get(i))
            .map(|m| relative_path(base, &m.path))
            .collect::<Vec<_>>()
            .join(" -> ")
    }
}

/// Specifiers a program imports: static imports and re-exports, then
/// dynamic `ворид("…")` calls with a literal.
pub(crate) fn import_specifiers(
    program: &Program,
    dynamic: &[(Box<str>, Span)],
) -> Vec<(String, Span, bool)> {
    let mut out = Vec::new();
    for s in &program.body {
        match s {
            Stmt::Import(i) if !i.type_only => {
                out.push((i.source.to_string(), i.source_span, false))
            }
            Stmt::Export(e) => match &**e {
                ExportDecl::Named {
                    source: Some((src, sp)),
                    type_only: false,
                    ..
                } => out.push((src.to_string(), *sp, false)),
                ExportDecl::All {
                    source: (src, sp), ..
                } => out.push((src.to_string(), *sp, false)),
                _ => {}
            },
            _ => {}
        }
    }
    for (spec, sp) in dynamic {
        out.push((spec.to_string(), *sp, true));
    }
    out
}

struct Loaded {
    text: String,
    source: ModuleSource,
    imports: Vec<(String, Span, bool, Result<Resolved, crate::ResolveError>)>,
    diagnostics: Vec<Diagnostic>,
}

fn load(path: &Path, fs: &dyn FileSystem, resolver: &Resolver<'_>) -> Loaded {
    let text = match fs.read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            return Loaded {
                text: String::new(),
                source: ModuleSource::Js,
                imports: Vec::new(),
                diagnostics: vec![Diagnostic::error(
                    Message::ReadFailed {
                        path: path.to_string_lossy().to_string(),
                        reason: e.to_string(),
                    },
                    Span::at(0),
                )],
            }
        }
    };
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if ext != "som" {
        let source = if ext == "json" {
            ModuleSource::Json
        } else {
            ModuleSource::Js
        };
        // A CommonJS file's own `require("./…")`s belong to the bundle too.
        let scan = if matches!(source, ModuleSource::Js) {
            somon_emit::bundle::scan_js(&text)
        } else {
            Default::default()
        };
        let imports = scan
            .requires
            .into_iter()
            .map(|(spec, lo, hi)| {
                let r = resolver.resolve(&spec, path);
                (spec, Span::new(lo, hi), false, r)
            })
            .collect();
        let esm = scan
            .module_syntax
            .map(|(lo, hi)| Diagnostic::error(Message::EsmJavaScript, Span::new(lo, hi)));
        let syntax = scan.syntax_error.map(|(detail, lo, hi)| {
            Diagnostic::error(Message::JsSyntax { detail }, Span::new(lo, hi))
        });
        let diagnostics = esm.into_iter().chain(syntax).collect();
        return Loaded {
            text,
            source,
            imports,
            diagnostics,
        };
    }
    let parsed = somon_syntax::parse(&text);
    let mut diagnostics = parsed.diagnostics;
    // Bundled modules are CommonJS factories: `интизор` needs a
    // `ҳамзамон` function.
    for (span, _) in &parsed.awaits_outside_async {
        diagnostics.push(Diagnostic::error(Message::TopLevelAwait, *span));
    }
    let imports = import_specifiers(&parsed.program, &parsed.dynamic_imports)
        .into_iter()
        .map(|(spec, span, dynamic)| {
            let r = resolver.resolve(&spec, path);
            (spec, span, dynamic, r)
        })
        .collect();
    Loaded {
        text,
        source: ModuleSource::Somon(Box::new(parsed.program)),
        imports,
        diagnostics,
    }
}

/// Loads `entry` and everything it imports. `externals` are specifiers
/// (or package names) that stay `require`s even when they resolve.
pub fn build_graph(
    entry: &Path,
    fs: &dyn FileSystem,
    resolver: &Resolver<'_>,
    externals: &[String],
) -> Graph {
    let mut graph = Graph::default();
    graph.by_path.insert(entry.to_path_buf(), 0);
    let mut frontier = vec![entry.to_path_buf()];
    while !frontier.is_empty() {
        let loaded: Vec<Loaded> = frontier.par_iter().map(|p| load(p, fs, resolver)).collect();
        let mut next = Vec::new();
        for (path, l) in frontier.drain(..).zip(loaded) {
            let mut diagnostics = l.diagnostics;
            let is_js = matches!(l.source, ModuleSource::Js);
            let mut imports = Vec::with_capacity(l.imports.len());
            for (specifier, span, dynamic, resolved) in l.imports {
                let is_external = externals
                    .iter()
                    .any(|e| specifier == *e || specifier.starts_with(&format!("{e}/")));
                let target = match resolved {
                    _ if is_external => Some(ImportTarget::External(specifier.clone())),
                    Ok(Resolved::Builtin(b)) => Some(ImportTarget::External(b)),
                    Ok(Resolved::Package { .. }) => Some(ImportTarget::External(specifier.clone())),
                    Ok(Resolved::File(file)) => {
                        let id = match graph.by_path.get(&file) {
                            Some(&id) => id,
                            None => {
                                let id = graph.by_path.len();
                                graph.by_path.insert(file.clone(), id);
                                next.push(file);
                                id
                            }
                        };
                        Some(ImportTarget::Module(id))
                    }
                    // Plain JavaScript may require what it cannot find
                    // (optional dependencies in `try`): Node decides at
                    // run time, as without a bundle.
                    Err(_) if is_js => Some(ImportTarget::External(specifier.clone())),
                    Err(e) => {
                        let tried = e
                            .tried
                            .iter()
                            .map(|p| relative_path(path.parent().unwrap_or(Path::new("/")), p))
                            .collect::<Vec<_>>()
                            .join(", ");
                        diagnostics.push(
                            Diagnostic::error(
                                Message::ModuleNotFound {
                                    specifier: specifier.clone(),
                                },
                                span,
                            )
                            .with_note(Message::TriedPaths { paths: tried }),
                        );
                        None
                    }
                };
                imports.push(Import {
                    specifier,
                    span,
                    target,
                    dynamic,
                });
            }
            graph.modules.push(Module {
                path,
                text: l.text,
                source: l.source,
                imports,
                diagnostics,
            });
        }
        frontier = next;
    }
    graph
}
