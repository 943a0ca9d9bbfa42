//! SomonScript projects: module resolution, the module graph and bundling.

pub mod bundle;
pub mod fs;
pub mod graph;
pub mod incremental;
pub mod resolve;

pub use resolve::{is_builtin, ResolveError, Resolved, Resolver, ResolverConfig};

pub use bundle::{bundle, BundleOutput, BundleRequest, CircularPolicy};
pub use incremental::{BuildStats, IncrementalBundler, IncrementalOutput};
pub use somon_emit::bundle::BundleFormat;

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
    let dir = path.parent().unwrap_or(std::path::Path::new("/"));
    let mut map = std::collections::HashMap::new();
    let mut files = Vec::new();
    let mut missing = Vec::new();
    let specs = graph::import_specifiers(&parsed.program, &parsed.dynamic_imports);
    for (spec, span, dynamic) in specs {
        // Relative imports and `baseUrl`/`paths` aliases that lead to a
        // project file; packages and built-ins stay as written.
        let resolved = resolver.resolve(&spec, path);
        if let Err(e) = &resolved {
            if !dynamic && (spec.starts_with("./") || spec.starts_with("../")) {
                missing.push(graph::not_found(path, &spec, span, e));
            }
        }
        if let Ok(Resolved::File(file)) = resolved {
            files.push(file.clone());
            let emitted = if file.extension().is_some_and(|e| e == "som") {
                file.with_extension("js")
            } else {
                file
            };
            let rel = fs::relative_path(dir, &emitted);
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
