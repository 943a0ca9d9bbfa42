//! SomonScript projects: module resolution, the module graph and bundling.

pub mod bundle;
pub mod fs;
pub mod graph;
pub mod incremental;
pub mod resolve;
pub mod typecheck;

pub use resolve::{is_builtin, ResolveError, Resolved, Resolver, ResolverConfig};

pub use bundle::{bundle, BundleOutput, BundleRequest, CircularPolicy};
pub use incremental::{BuildStats, IncrementalBundler, IncrementalOutput};
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
    let parsed = somon_syntax::parse(source);
    let dir = path.parent().unwrap_or(std::path::Path::new("/"));
    let mut map = std::collections::HashMap::new();
    let specs = graph::import_specifiers(&parsed.program, &parsed.dynamic_imports);
    for (spec, _, _) in specs {
        // Relative imports and `baseUrl`/`paths` aliases that lead to a
        // project file; packages and built-ins stay as written.
        if let Ok(Resolved::File(file)) = resolver.resolve(&spec, path) {
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
    map
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
    let mut work: Vec<std::path::PathBuf> = Vec::new();
    for (spec, _, _) in graph::import_specifiers(&parsed.program, &parsed.dynamic_imports) {
        if let Ok(Resolved::File(file)) = resolver.resolve(&spec, path) {
            if file.extension().is_none_or(|e| e != "som") {
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
        let is_js = file
            .extension()
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
                        if f.extension().is_none_or(|e| e != "som") {
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
