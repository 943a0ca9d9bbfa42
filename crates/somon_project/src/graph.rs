//! The module graph, built by a parallel worklist: each round parses every
//! newly found file at once (rayon), resolves its imports, and queues the
//! files it discovers. Modules are keyed by path in a hash map, so the
//! work is linear in the number of modules; ids follow discovery order
//! with imports in source order, so the graph is the same whatever the
//! thread count.

use crate::fs::{FileSystem, PathStyle};
use crate::resolve::{Resolved, Resolver};
use rayon::prelude::*;
use somon_diagnostics::{Diagnostic, Message, Span};
use somon_emit::js_module::JsImportKind;
use somon_syntax::ast::{ExportDecl, Program, Stmt};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
pub enum ModuleSource {
    Somon(Box<Program>),
    Json,
    /// A CommonJS JavaScript file (of the project or of a package).
    Js,
    /// A JavaScript ES module: converted to CommonJS in a bundle.
    EsmJs,
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
    /// How the file system the graph was read from spells paths.
    pub style: PathStyle,
}

impl Graph {
    pub fn entry(&self) -> Option<&Module> {
        self.modules.first()
    }

    /// Whether module `id` is a file of a `node_modules` package (below
    /// the entry's folder or above it).
    pub fn in_node_modules(&self, id: usize) -> bool {
        let base = self
            .entry()
            .and_then(|m| self.style.parent(&m.path))
            .unwrap_or_else(|| PathBuf::from("/"));
        self.modules.get(id).is_some_and(|m| {
            self.style
                .relative(&base, &m.path)
                .split('/')
                .any(|s| s == "node_modules")
        })
    }

    /// Every import cycle once, as module ids in import order, the first
    /// id repeated at the end. Cycles inside packages (all of whose
    /// modules are in `node_modules`) are left out: Node runs them, and
    /// they are not the program's to fix.
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
        cycles.retain(|c| !c.iter().all(|&i| self.in_node_modules(i)));
        cycles
    }

    /// A cycle rendered with paths relative to `base`: `a.som -> b.som -> a.som`.
    pub fn describe_cycle(&self, cycle: &[usize], base: &Path) -> String {
        cycle
            .iter()
            .filter_map(|&i| self.modules.get(i))
            .map(|m| self.style.relative(base, &m.path))
            .collect::<Vec<_>>()
            .join(" -> ")
    }
}

/// An import specifier, where it is written, and whether it is a dynamic
/// `import()`.
pub type ImportSpecifier = (String, Span, bool);

/// Specifiers a program imports: static imports and re-exports, then
/// dynamic `ворид("…")` calls with a literal.
pub fn import_specifiers(program: &Program, dynamic: &[(Box<str>, Span)]) -> Vec<ImportSpecifier> {
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

/// One file, read and parsed, with its imports resolved.
pub(crate) struct Loaded {
    pub(crate) text: String,
    pub(crate) source: ModuleSource,
    pub(crate) imports: Vec<(String, Span, bool, Result<Resolved, crate::ResolveError>)>,
    /// Of the text and of where its imports lead (syntax, `интизор`
    /// outside `ҳамзамон`, a JavaScript import that cannot be found, …).
    pub(crate) diagnostics: Vec<Diagnostic>,
}

pub(crate) fn load(path: &Path, fs: &dyn FileSystem, resolver: &Resolver<'_>) -> Loaded {
    load_text(path, fs.read_to_string(path), resolver)
}

/// [`load`] without a tree: a Somon module's imports come from
/// [`somon_syntax::scan::scan_imports`] (tokens only), its source is an
/// empty program and its diagnostics are only those of its imports; the
/// caller parses the text later and adds the parse's diagnostics
/// ([`syntax_diagnostics`]) in front of them. The scan's list equals the
/// parse's for text without syntax errors; the caller compares them once
/// it has the tree.
pub(crate) fn load_scanned(path: &Path, fs: &dyn FileSystem, resolver: &Resolver<'_>) -> Loaded {
    let read = fs.read_to_string(path);
    let is_somon = read.is_ok() && resolver.style().extension(path).is_some_and(|e| e == "som");
    if !is_somon {
        return load_text(path, read, resolver);
    }
    let text = read.unwrap_or_default();
    let imports = somon_syntax::scan::scan_imports(&text)
        .into_iter()
        .map(|(spec, span, dynamic)| {
            let r = resolver.resolve(&spec, path);
            (spec.into_string(), span, dynamic, r)
        })
        .collect();
    Loaded {
        text,
        source: ModuleSource::Somon(Box::new(Program {
            body: Vec::new(),
            span: Default::default(),
        })),
        imports,
        diagnostics: Vec::new(),
    }
}

/// What loading a Somon module reports of its parse: the lexer's and
/// parser's diagnostics, then `интизор` outside `ҳамзамон` (bundled
/// modules are CommonJS factories).
pub(crate) fn syntax_diagnostics(parsed: &mut somon_syntax::ParseResult) -> Vec<Diagnostic> {
    let mut diagnostics = std::mem::take(&mut parsed.diagnostics);
    for (span, _) in &parsed.awaits_outside_async {
        diagnostics.push(Diagnostic::error(Message::TopLevelAwait, *span));
    }
    diagnostics
}

/// [`load`] of a file already read (the incremental bundler reads first
/// to compare content hashes).
pub(crate) fn load_text(
    path: &Path,
    read: std::io::Result<String>,
    resolver: &Resolver<'_>,
) -> Loaded {
    let text = match read {
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
    let ext = resolver.style().extension(path).unwrap_or_default();
    if ext != "som" {
        let source = if ext == "json" {
            ModuleSource::Json
        } else {
            ModuleSource::Js
        };
        // A JavaScript file's own imports belong to the bundle too.
        let scan = if matches!(source, ModuleSource::Js) {
            somon_emit::js_module::scan_js(&text, &path.to_string_lossy())
        } else {
            Default::default()
        };
        let source = if scan.esm {
            ModuleSource::EsmJs
        } else {
            source
        };
        let mut diagnostics = scan.diagnostics;
        if matches!(source, ModuleSource::Json) {
            diagnostics.extend(json_syntax(&text));
        }
        let mut imports = Vec::with_capacity(scan.imports.len());
        for import in scan.imports {
            let r = resolver.resolve(&import.specifier, path);
            // Node links an ES module's static imports before it runs: one
            // that cannot be found is an error, as for Somon imports.
            // `require` and `import()` of a missing module stay for Node
            // to decide at run time (optional dependencies in `try`).
            if let (Err(e), JsImportKind::Static) = (&r, import.kind) {
                diagnostics.push(not_found(
                    resolver.style(),
                    path,
                    &import.specifier,
                    import.span,
                    e,
                ));
            }
            let dynamic = import.kind == JsImportKind::Dynamic;
            imports.push((import.specifier, import.span, dynamic, r));
        }
        return Loaded {
            text,
            source,
            imports,
            diagnostics,
        };
    }
    let mut parsed = somon_syntax::parse(&text);
    let diagnostics = syntax_diagnostics(&mut parsed);
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

/// The first syntax error of a JSON file as Node's `require` reads it
/// (`JSON.parse` after a leading byte-order mark, which it strips), at its
/// place in the text. It comes from the text alone, so a cached load stays
/// right.
///
/// The text is validated, not built into a value: serde_json skips an
/// `IgnoredAny` in a loop with a stack of its own, without recursion and
/// without its depth limit (128), as V8's `JSON.parse` takes any depth.
/// Its grammar is `JSON.parse`'s: the same whitespace, numbers and escapes
/// (a lone surrogate `\ud800` is not checked when skipping, and
/// `JSON.parse` accepts it).
pub(crate) fn json_syntax(text: &str) -> Option<Diagnostic> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = text.get(bom..).unwrap_or(text);
    let e = serde_json::from_str::<serde::de::IgnoredAny>(body).err()?;
    // serde_json counts lines from 1 and columns in bytes from 1 (the byte
    // it stopped at), 0 at the start of a line; at the end of the text it
    // stopped after the last byte.
    let at = if e.classify() == serde_json::error::Category::Eof {
        body.len()
    } else {
        let line_start = if e.line() <= 1 {
            0
        } else {
            body.match_indices('\n')
                .nth(e.line() - 2)
                .map_or(body.len(), |(i, _)| i + 1)
        };
        let mut at = (line_start + e.column().saturating_sub(1)).min(body.len());
        while !body.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let at = u32::try_from(bom + at).unwrap_or(u32::MAX);
    let message = e.to_string();
    let position = format!(" at line {} column {}", e.line(), e.column());
    let detail = message.strip_suffix(&position).unwrap_or(&message);
    Some(Diagnostic::error(
        Message::JsonSyntax {
            detail: detail.to_string(),
        },
        Span::at(at),
    ))
}

/// A module that cannot be found, at the importing specifier, with the
/// paths tried (relative to the importing file's folder).
pub(crate) fn not_found(
    style: PathStyle,
    path: &Path,
    specifier: &str,
    span: Span,
    e: &crate::ResolveError,
) -> Diagnostic {
    let tried = e
        .tried
        .iter()
        .map(|p| {
            let dir = style.parent(path).unwrap_or_else(|| PathBuf::from("/"));
            style.relative(&dir, p)
        })
        .collect::<Vec<_>>()
        .join(", ");
    Diagnostic::error(
        Message::ModuleNotFound {
            specifier: specifier.to_string(),
        },
        span,
    )
    .with_note(Message::TriedPaths { paths: tried })
}

/// Loads `entry` and everything it imports: project files and the files of
/// `node_modules` packages. `externals` are specifiers (or package names,
/// covering their subpaths) that stay `require`s even when they resolve;
/// Node built-ins always do.
pub fn build_graph(
    entry: &Path,
    fs: &dyn FileSystem,
    resolver: &Resolver<'_>,
    externals: &[String],
) -> Graph {
    build_graph_with(&[entry.to_path_buf()], externals, fs.style(), &|p| {
        load(p, fs, resolver)
    })
}

/// The graph of several entries (every file of a project compile) and all
/// they import; module ids follow the entries' order, then discovery.
pub fn build_graph_of(entries: &[PathBuf], fs: &dyn FileSystem, resolver: &Resolver<'_>) -> Graph {
    build_graph_with(entries, &[], fs.style(), &|p| load(p, fs, resolver))
}

/// [`build_graph`] with its own way of loading a file (the incremental
/// bundler answers from its cache).
pub(crate) fn build_graph_with(
    entries: &[PathBuf],
    externals: &[String],
    style: PathStyle,
    load: &(dyn Fn(&Path) -> Loaded + Sync),
) -> Graph {
    let mut graph = Graph {
        style,
        ..Graph::default()
    };
    let mut frontier = Vec::new();
    for entry in entries {
        if !graph.by_path.contains_key(entry) {
            graph.by_path.insert(entry.clone(), graph.by_path.len());
            frontier.push(entry.clone());
        }
    }
    while !frontier.is_empty() {
        let loaded: Vec<Loaded> = frontier.par_iter().map(|p| load(p)).collect();
        let mut next = Vec::new();
        for (path, l) in frontier.drain(..).zip(loaded) {
            let mut diagnostics = l.diagnostics;
            let is_js = matches!(l.source, ModuleSource::Js | ModuleSource::EsmJs);
            let mut imports = Vec::with_capacity(l.imports.len());
            for (specifier, span, dynamic, resolved) in l.imports {
                let is_external = externals
                    .iter()
                    .any(|e| specifier == *e || specifier.starts_with(&format!("{e}/")));
                let target = match resolved {
                    _ if is_external => Some(ImportTarget::External(specifier.clone())),
                    Ok(Resolved::Builtin(b)) => Some(ImportTarget::External(b)),
                    // A native addon cannot be inlined, nor found from the
                    // bundle's folder at run time.
                    Ok(Resolved::File(file) | Resolved::Package { path: file, .. })
                        if style.extension(&file).is_some_and(|e| e == "node") =>
                    {
                        let dir = style.parent(&path).unwrap_or_else(|| PathBuf::from("/"));
                        diagnostics.push(Diagnostic::error(
                            Message::NotBundlable {
                                path: style.relative(&dir, &file),
                            },
                            span,
                        ));
                        None
                    }
                    // Files of the project and of `node_modules` packages
                    // alike are modules of the bundle.
                    Ok(Resolved::File(file) | Resolved::Package { path: file, .. }) => {
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
                        diagnostics.push(not_found(style, &path, &specifier, span, &e));
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
