//! SomonScript projects: module resolution, the module graph and bundling.

pub mod bundle;
pub mod fs;
pub mod graph;
pub mod incremental;
pub mod metafile;
pub mod resolve;
pub mod typecheck;

pub use resolve::{is_builtin, ResolveError, Resolved, Resolver, ResolverConfig};

pub use bundle::{bundle, bundle_split, BundleOutput, BundleRequest, CircularPolicy, SplitRequest};
pub use incremental::{BuildStats, IncrementalBundler, IncrementalOutput};
pub use somon_emit::bundle::Chunk;
pub use somon_emit::bundle::{BundleFormat, Platform};
pub use typecheck::ProjectTypes;

/// For a file compiled on its own (not bundled): each import that
/// resolves to a project file (relative, or through `baseUrl`/`paths`), mapped to the `.js` file the compiler
/// emits for it, relative to the importing file (`./асбобҳо` →
/// `./асбобҳо/index.js`). Unresolved imports keep the default rewrite.
pub fn output_specifiers(
    source: &str,
    path: &std::path::Path,
    resolver: &Resolver<'_>,
) -> std::collections::HashMap<String, String> {
    file_imports(source, path, resolver).specifiers
}

/// What a file compiled on its own imports.
#[derive(Debug, Default)]
pub struct FileImports {
    /// See [`output_specifiers`].
    pub specifiers: std::collections::HashMap<String, String>,
    /// The project files the imports lead to (what compiling the file
    /// depends on, so no output may replace them).
    pub files: Vec<std::path::PathBuf>,
    /// A `MODULE_NOT_FOUND` error (with the paths tried) for each static
    /// relative import (`./`, `../`) that leads to no file.
    pub missing: Vec<somon_diagnostics::Diagnostic>,
}

/// [`output_specifiers`], the files imported and the relative imports
/// that lead nowhere.
pub fn file_imports(source: &str, path: &std::path::Path, resolver: &Resolver<'_>) -> FileImports {
    let parsed = somon_syntax::parse(source);
    let specs = graph::import_specifiers(&parsed.program, &parsed.dynamic_imports);
    imports_of_specifiers(specs, path, resolver)
}

/// [`file_imports`] of a file whose import specifiers are already known
/// (`graph::import_specifiers` of its program, e.g. from a module graph
/// that parsed it), without parsing it again.
pub fn imports_of_specifiers(
    specs: Vec<graph::ImportSpecifier>,
    path: &std::path::Path,
    resolver: &Resolver<'_>,
) -> FileImports {
    let style = resolver.style();
    let dir = style
        .parent(path)
        .unwrap_or_else(|| std::path::PathBuf::from("/"));
    let mut map = std::collections::HashMap::new();
    let mut files = Vec::new();
    let mut missing = Vec::new();
    for (spec, span, dynamic) in specs {
        // Relative imports and `baseUrl`/`paths` aliases that lead to a
        // project file; packages and built-ins stay as written.
        let resolved = resolver.resolve(&spec, path);
        if let Err(e) = &resolved {
            if !dynamic && (spec.starts_with("./") || spec.starts_with("../")) {
                missing.push(graph::not_found(style, path, &spec, span, e));
            }
        }
        if let Ok(Resolved::File(file)) = resolved {
            files.push(file.clone());
            let emitted = if style.extension(&file).is_some_and(|e| e == "som") {
                style.with_extension(&file, "js")
            } else {
                file
            };
            let rel = style.relative(&dir, &emitted);
            let rel = if rel.starts_with("../") {
                rel
            } else {
                format!("./{rel}")
            };
            map.insert(spec, rel);
        }
    }
    FileImports {
        specifiers: map,
        files,
        missing,
    }
}

/// The project files that are not `.som` (JSON, `.js`, `.mjs`, `.cjs` …)
/// a file compiled on its own needs at run time, beside what the compiler
/// emits: those its imports resolve to, and (read through `fs`) those
/// these files import in turn, each once, in discovery order. A project
/// compiled to another folder copies them there, so the output runs as
/// `somon run` does.
pub fn imported_assets(
    source: &str,
    path: &std::path::Path,
    resolver: &Resolver<'_>,
    fs: &dyn fs::FileSystem,
) -> Vec<std::path::PathBuf> {
    let parsed = somon_syntax::parse(source);
    let style = fs.style();
    let mut work: Vec<std::path::PathBuf> = Vec::new();
    for (spec, _, _) in graph::import_specifiers(&parsed.program, &parsed.dynamic_imports) {
        if let Ok(Resolved::File(file)) = resolver.resolve(&spec, path) {
            if style.extension(&file).is_none_or(|e| e != "som") {
                work.push(file);
            }
        }
    }
    work.reverse();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    while let Some(file) = work.pop() {
        if !seen.insert(file.clone()) {
            continue;
        }
        let is_js = style
            .extension(&file)
            .is_some_and(|e| e == "js" || e == "mjs" || e == "cjs");
        if is_js {
            if let Ok(text) = fs.read_to_string(&file) {
                let scan = somon_emit::js_module::scan_js(&text, &file.to_string_lossy());
                let mut next = Vec::new();
                for import in scan.imports {
                    // Only the file's own relative imports: packages stay
                    // where Node finds them.
                    if !import.specifier.starts_with('.') {
                        continue;
                    }
                    if let Ok(Resolved::File(f)) = resolver.resolve(&import.specifier, &file) {
                        if style.extension(&f).is_none_or(|e| e != "som") {
                            next.push(f);
                        }
                    }
                }
                next.reverse();
                work.extend(next);
            }
        }
        out.push(file);
    }
    out
}
