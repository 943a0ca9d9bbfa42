//! The incremental bundler behind `somon bundle --watch` and `somon serve`:
//! one long-lived [`IncrementalBundler`] per bundle, rebuilt after each
//! batch of file changes.
//!
//! Every file of the graph has a cache entry keyed by its content hash:
//! the loading result (text, kind, import specifiers, syntax diagnostics),
//! the resolution of its specifiers, its type-check diagnostics, and its
//! compiled [`ModulePiece`] (printed factory text, source-map mappings,
//! helpers) with the [`BundleModule::fingerprint`](somon_emit::bundle::BundleModule::fingerprint)
//! it was compiled for. A
//! piece is a function of the module's text, its fingerprint (key, map
//! name, where each import leads) and the bundle options, so a build
//! re-parses only files whose text changed or whose imports now resolve
//! elsewhere (a file was added or deleted), re-emits only modules whose
//! text or fingerprint changed, and assembles the bundle from the pieces — the
//! same assembly as the one-shot [`crate::bundle()`], so the output is
//! byte-identical to a fresh build. Pieces are plain text and numbers:
//! nothing cached refers to swc's globals or a source map.
//!
//! Resolution is redone for every file only when the set of files may
//! have changed (a changed path that is not a cached module, a deleted
//! module, a `package.json`, or no change list at all); otherwise cached
//! modules keep their resolutions (on disk, resolving every import again
//! costs about half of a one-file rebuild). No tree is kept: as in the
//! one-shot bundle, a Somon module is parsed again on the worker that
//! needs its tree (exports, type check, emission) and the tree is dropped
//! when that work is done, so even the first build of a large graph holds
//! only the trees in flight. Entries of files that leave the graph are
//! dropped after each build.

use crate::bundle::{
    add_cycle_diagnostics, add_platform_diagnostics, bundle_options, internal_error, module_input,
    module_keys, no_program, on_large_stacks, resolve_all, wants_check, BundleOutput,
    BundleRequest, Folders,
};
use crate::fs::FileSystem;
use crate::graph::{build_graph_with, load_text, Loaded, ModuleSource};
use crate::resolve::{ResolveError, Resolved, Resolver};
use somon_diagnostics::{Diagnostic, Span};
use somon_emit::bundle::{BundleEmitter, ModulePiece};
use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Mutex;

/// What one build did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildStats {
    /// Modules in the graph.
    pub modules: usize,
    /// Files read and parsed again this build (sorted).
    pub reparsed: Vec<PathBuf>,
    /// Modules compiled and printed again this build (sorted).
    pub reemitted: Vec<PathBuf>,
    /// Modules for which nothing was redone: neither parsed nor (in a
    /// build that produced code) emitted again.
    pub cache_hits: usize,
    /// The other modules of the graph.
    pub cache_misses: usize,
    /// Every file of the graph, sorted: what a watcher must watch.
    pub files: Vec<PathBuf>,
    /// Source files that could not be read, with the reason (each also
    /// has a `READ_FAILED` diagnostic).
    pub failed_reads: Vec<(PathBuf, String)>,
}

#[derive(Debug)]
pub struct IncrementalOutput {
    pub output: BundleOutput,
    pub stats: BuildStats,
}

/// Where each import specifier of a file leads.
type Resolutions = Vec<Result<Resolved, ResolveError>>;

/// Everything kept of one file between builds.
struct Entry {
    hash: u64,
    text: String,
    /// The file's kind; a Somon file's tree is not kept.
    source: ModuleSource,
    /// Import specifiers with their spans, dynamic or not.
    specifiers: Vec<(String, Span, bool)>,
    /// Where each specifier led when last resolved.
    resolved: Resolutions,
    /// Diagnostics of loading (they depend on the text and on `resolved`).
    diagnostics: Vec<Diagnostic>,
    /// Type-check diagnostics of this text, once checked, with the key of
    /// the exports it imported then.
    check: Option<(u64, Vec<Diagnostic>)>,
    /// The module's exports, with the key of the exports it imported
    /// when they were computed.
    exports: Option<(u64, Arc<somon_check::ModuleExports>)>,
    /// The compiled piece and the fingerprint it was compiled for.
    piece: Option<(String, ModulePiece)>,
}

impl Entry {
    /// The file's loading result, as `graph::load` would give it, from the
    /// cache (a Somon file gets an empty tree: its own is not needed
    /// unless it is checked or emitted again).
    fn loaded(&self, resolved: &[Result<Resolved, ResolveError>]) -> Loaded {
        let source = match &self.source {
            ModuleSource::Somon(_) => ModuleSource::Somon(no_program()),
            other => other.clone(),
        };
        Loaded {
            text: self.text.clone(),
            source,
            imports: self
                .specifiers
                .iter()
                .zip(resolved)
                .map(|((spec, span, dynamic), r)| (spec.clone(), *span, *dynamic, r.clone()))
                .collect(),
            diagnostics: self.diagnostics.clone(),
        }
    }
}

/// A file loaded from its text this build.
struct Fresh {
    path: PathBuf,
    entry: Entry,
    /// Its text is the cached one (loaded again because its imports now
    /// lead elsewhere).
    same_text: bool,
}

fn content_hash(text: &str) -> u64 {
    let mut h = DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// A long-lived bundler: caches per file what a build needs, so a rebuild
/// after an edit redoes the work of the edited files only.
pub struct IncrementalBundler {
    req: BundleRequest,
    emitter: Result<BundleEmitter, String>,
    files: HashMap<PathBuf, Entry>,
}

impl IncrementalBundler {
    pub fn new(req: BundleRequest) -> Self {
        let emitter = BundleEmitter::new(bundle_options(&req));
        IncrementalBundler {
            req,
            emitter,
            files: HashMap::new(),
        }
    }

    pub fn request(&self) -> &BundleRequest {
        &self.req
    }

    /// Rebuilds. `changed`: paths the file watcher reported since the
    /// last build (`None` = unknown: every file is read again and compared
    /// by content hash). Files not in `changed` are assumed unchanged on
    /// disk; a file without a cache entry is loaded.
    pub fn build(&mut self, fs: &dyn FileSystem, changed: Option<&[PathBuf]>) -> IncrementalOutput {
        let req = &self.req;
        let resolver = Resolver::new(fs, req.resolver.clone());
        let style = fs.style();
        // As reported and normalized (graph paths are normalized, the
        // entry is as the request names it).
        let changed: Option<HashSet<PathBuf>> = changed.map(|c| {
            c.iter()
                .flat_map(|p| [p.clone(), style.normalize(p)])
                .collect()
        });
        // Resolutions hold while no file appeared or disappeared: every
        // changed path is a cached module that is still there.
        let reuse_resolutions = changed.as_ref().is_some_and(|set| {
            set.iter().all(|p| {
                let cached =
                    self.files.contains_key(p) || self.files.contains_key(&style.normalize(p));
                cached && style.file_name(p).is_none_or(|n| n != "package.json") && fs.is_file(p)
            })
        });

        let fresh: Mutex<Vec<Fresh>> = Mutex::new(Vec::new());
        let failed: Mutex<Vec<(PathBuf, String)>> = Mutex::new(Vec::new());
        let files = &self.files;
        // Loads a file from its text and records it; `same_text` when the
        // cached text is the same (its check and piece stay valid).
        let load_fresh = |path: &Path, text: String, hash: u64, same_text: bool| -> Loaded {
            let mut loaded = load_text(path, Ok(text.clone()), &resolver);
            // The tree is dropped here (parsed again where a pass needs it).
            if let ModuleSource::Somon(program) = &mut loaded.source {
                *program = no_program();
            }
            let source = loaded.source.clone();
            let entry = Entry {
                hash,
                text,
                source,
                specifiers: loaded
                    .imports
                    .iter()
                    .map(|(spec, span, dynamic, _)| (spec.clone(), *span, *dynamic))
                    .collect(),
                resolved: loaded.imports.iter().map(|i| i.3.clone()).collect(),
                diagnostics: loaded.diagnostics.clone(),
                check: None,
                exports: None,
                piece: None,
            };
            if let Ok(mut f) = fresh.lock() {
                f.push(Fresh {
                    path: path.to_path_buf(),
                    entry,
                    same_text,
                });
            }
            loaded
        };
        let from_cache = |path: &Path, e: &Entry| -> Loaded {
            if reuse_resolutions && e.resolved.len() == e.specifiers.len() {
                return e.loaded(&e.resolved);
            }
            let resolved: Resolutions = e
                .specifiers
                .iter()
                .map(|(spec, _, _)| resolver.resolve(spec, path))
                .collect();
            if resolved == e.resolved {
                return e.loaded(&e.resolved);
            }
            // Where an import leads may change what loading says (a
            // JavaScript file's static import that cannot be found): the
            // file is loaded again from its text.
            load_fresh(path, e.text.clone(), e.hash, true)
        };
        let load = |path: &Path| -> Loaded {
            let cached = files.get(path);
            if let (Some(set), Some(e)) = (&changed, cached) {
                if !set.contains(path) {
                    return from_cache(path, e);
                }
            }
            let text = match fs.read_to_string(path) {
                Ok(text) => text,
                Err(err) => {
                    if let Ok(mut f) = failed.lock() {
                        f.push((path.to_path_buf(), err.to_string()));
                    }
                    return load_text(path, Err(err), &resolver);
                }
            };
            let hash = content_hash(&text);
            match cached.filter(|e| e.hash == hash && e.text == text) {
                Some(e) => from_cache(path, e),
                None => load_fresh(path, text, hash, false),
            }
        };
        let graph = build_graph_with(
            std::slice::from_ref(&req.entry),
            &req.externals,
            fs.style(),
            &load,
        );

        let mut reparsed: HashSet<PathBuf> = HashSet::new();
        for f in fresh.into_inner().unwrap_or_default() {
            reparsed.insert(f.path.clone());
            let mut entry = f.entry;
            if let Some(old) = self.files.remove(&f.path).filter(|_| f.same_text) {
                // The same text: its type check holds, and its piece while
                // its fingerprint does.
                entry.check = old.check;
                entry.exports = old.exports;
                entry.piece = old.piece;
            }
            self.files.insert(f.path, entry);
        }
        let mut failed_reads = failed.into_inner().unwrap_or_default();
        for (path, _) in &failed_reads {
            self.files.remove(path);
        }
        // Files that left the graph leave the cache.
        self.files.retain(|p, _| graph.by_path.contains_key(p));

        let folders = Folders::new(req, fs.style());
        let count = graph.modules.len();
        // Owned, so the graph can go before the bundle is assembled.
        let paths: Vec<PathBuf> = graph.modules.iter().map(|m| m.path.clone()).collect();

        // Exports in dependency order: an entry's are reused while its text
        // and the exports it imports are the same.
        let exports = {
            let files = &self.files;
            let mut computed: Vec<(PathBuf, u64, Arc<somon_check::ModuleExports>)> = Vec::new();
            let exports = crate::typecheck::graph_exports(&graph, &mut |id, imports, key| {
                if !req.type_check {
                    return None;
                }
                let path = paths.get(id)?;
                let e = files.get(path)?;
                if !matches!(e.source, ModuleSource::Somon(_)) {
                    return None;
                }
                if let Some((k, ex)) = &e.exports {
                    if *k == key {
                        return Some(ex.clone());
                    }
                }
                let program = somon_syntax::parse(&e.text).program;
                let ex = Arc::new(somon_check::module_exports(&program, imports));
                computed.push((path.clone(), key, ex.clone()));
                Some(ex)
            });
            for (path, key, ex) in computed {
                if let Some(e) = self.files.get_mut(&path) {
                    e.exports = Some((key, ex));
                }
            }
            exports
        };

        // Type checks of texts not checked yet (or whose imports' exports
        // changed), in parallel.
        let to_check: Vec<usize> = (0..count)
            .filter(|&id| {
                graph.modules.get(id).is_some_and(|m| wants_check(req, m))
                    && paths
                        .get(id)
                        .and_then(|p| self.files.get(p))
                        .is_some_and(|e| {
                            e.check
                                .as_ref()
                                .is_none_or(|(k, _)| *k != exports.import_key(&graph, id))
                        })
            })
            .collect();
        // Each on a worker: the tree again, its check, the tree dropped.
        let checks: Vec<(usize, u64, Vec<Diagnostic>)> = {
            let files = &self.files;
            let graph = &graph;
            let exports = &exports;
            on_large_stacks(to_check, |id| {
                let e = files.get(paths.get(id)?)?;
                let program = somon_syntax::parse(&e.text).program;
                let imports = exports.imports(graph, id);
                let d =
                    somon_check::check_module(&program, &imports, Default::default()).diagnostics;
                Some((id, exports.import_key(graph, id), d))
            })
            .into_iter()
            .flatten()
            .collect()
        };
        for (id, key, diags) in checks {
            if let Some(path) = paths.get(id) {
                reparsed.insert(path.clone());
            }
            if let Some(e) = paths.get(id).and_then(|p| self.files.get_mut(p)) {
                e.check = Some((key, diags));
            }
        }
        let mut per_module: Vec<Vec<Diagnostic>> = graph
            .modules
            .iter()
            .map(|m| {
                let mut d = m.diagnostics.clone();
                d.extend(crate::bundle::target_diagnostics(req, m));
                if wants_check(req, m) {
                    if let Some((_, check)) = self.files.get(&m.path).and_then(|e| e.check.as_ref())
                    {
                        d.extend(check.iter().cloned());
                    }
                }
                d
            })
            .collect();
        add_cycle_diagnostics(&graph, req, &folders.entry, &mut per_module);
        add_platform_diagnostics(&graph, req, &mut per_module);
        let has_errors = per_module.iter().flatten().any(Diagnostic::is_error);
        let diagnostics = resolve_all(&graph, per_module, &req.display_base, req.lang);

        let mut stats = BuildStats {
            modules: count,
            files: {
                let mut f: Vec<PathBuf> = paths.clone();
                f.sort();
                f
            },
            ..BuildStats::default()
        };
        let mut output = BundleOutput {
            code: None,
            map: None,
            diagnostics,
            modules: count,
            files: stats.files.clone(),
            inputs: crate::metafile::inputs_of(&graph, &req.display_base),
            module_bytes: Vec::new(),
            exports: Vec::new(),
        };
        let mut reemitted: Vec<PathBuf> = Vec::new();
        // Types are not needed any more.
        drop(exports);
        if !has_errors {
            // For the metafile's bytes per input, kept past the graph.
            let keys = module_keys(&graph, &folders.entry);
            let emitted = match &self.emitter {
                Ok(emitter) => emit(
                    emitter,
                    fs,
                    &mut self.files,
                    &graph,
                    &folders,
                    &paths,
                    &mut reparsed,
                    &mut reemitted,
                )
                .and_then(|entry_key| {
                    // Only the cached pieces are joined: the graph's copy of
                    // every text and import goes first.
                    drop(graph);
                    assemble(emitter, &self.files, &paths, &entry_key)
                }),
                Err(message) => Err(message.clone()),
            };
            match emitted {
                Ok(out) => {
                    output.code = Some(out.output.code);
                    output.map = out.output.map;
                    output.module_bytes =
                        crate::bundle::bytes_by_input(&keys, &output.inputs, out.module_bytes);
                    output.exports = out.exports;
                }
                Err(message) => {
                    output
                        .diagnostics
                        .push(internal_error(&self.req, fs.style(), &message))
                }
            }
        }

        let redone: HashSet<&PathBuf> = reparsed
            .iter()
            .chain(&reemitted)
            .chain(failed_reads.iter().map(|(p, _)| p))
            .collect();
        stats.cache_misses = paths.iter().filter(|p| redone.contains(p)).count();
        stats.cache_hits = count - stats.cache_misses;
        stats.reparsed = reparsed.into_iter().collect();
        stats.reparsed.sort();
        reemitted.sort();
        stats.reemitted = reemitted;
        failed_reads.sort();
        stats.failed_reads = failed_reads;
        IncrementalOutput { output, stats }
    }

    /// Files with a cache entry (tests: entries leave with their files).
    pub fn cached_files(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = self.files.keys().cloned().collect();
        v.sort();
        v
    }
}

/// Compiles the modules whose piece is missing or was compiled for
/// another fingerprint; returns the entry's key (see [`assemble`]).
#[allow(clippy::too_many_arguments)]
fn emit(
    emitter: &BundleEmitter,
    fs: &dyn FileSystem,
    files: &mut HashMap<PathBuf, Entry>,
    graph: &crate::graph::Graph,
    folders: &Folders,
    paths: &[PathBuf],
    reparsed: &mut HashSet<PathBuf>,
    reemitted: &mut Vec<PathBuf>,
) -> Result<String, String> {
    let keys = module_keys(graph, &folders.entry);
    let hoisted = crate::bundle::hoisted_modules(graph);
    let pure = crate::bundle::side_effect_free_modules(graph, fs);
    let mut stale = Vec::new();
    for id in 0..graph.modules.len() {
        let input = module_input(
            graph,
            id,
            &keys,
            &folders.output,
            no_program(),
            &hoisted,
            &pure,
        )
        .ok_or_else(|| "a module left the graph".to_string())?;
        let fingerprint = input.fingerprint();
        let path = paths
            .get(id)
            .ok_or_else(|| "a module without a path".to_string())?;
        let entry = files
            .get(path)
            .ok_or_else(|| format!("{}: not loaded", input.key))?;
        if entry.piece.as_ref().is_none_or(|(f, _)| *f != fingerprint) {
            stale.push((id, fingerprint));
        }
    }
    // Each on a worker: the tree again, the module's piece printed, the
    // tree dropped (only the trees in flight are held, as in the one-shot
    // bundle).
    let emitted = {
        let files = &*files;
        let keys = &keys;
        let (hoisted, pure) = (&hoisted, &pure);
        on_large_stacks(stale, |(id, fingerprint)| -> Result<_, String> {
            let path = paths
                .get(id)
                .ok_or_else(|| "a module without a path".to_string())?;
            let entry = files
                .get(path)
                .ok_or_else(|| format!("{}: not loaded", path.display()))?;
            let somon = matches!(entry.source, ModuleSource::Somon(_));
            let program = if somon {
                Box::new(somon_syntax::parse(&entry.text).program)
            } else {
                no_program()
            };
            let input = module_input(graph, id, keys, &folders.output, program, hoisted, pure)
                .ok_or_else(|| "a module left the graph".to_string())?;
            Ok((path, fingerprint, somon, emitter.emit_module(input)))
        })
    };
    let mut failure = None;
    for done in emitted {
        let (path, fingerprint, somon, piece) = done?;
        if somon {
            reparsed.insert(path.clone());
        }
        reemitted.push(path.clone());
        match piece {
            Ok(piece) => {
                if let Some(e) = files.get_mut(path) {
                    e.piece = Some((fingerprint, piece));
                }
            }
            Err(message) => {
                if let Some(e) = files.get_mut(path) {
                    e.piece = None;
                }
                failure.get_or_insert(message);
            }
        }
    }
    if let Some(message) = failure {
        return Err(message);
    }
    Ok(keys.into_iter().next().unwrap_or_default())
}

/// The bundle from the cached pieces of `paths`, in graph order.
fn assemble(
    emitter: &BundleEmitter,
    files: &HashMap<PathBuf, Entry>,
    paths: &[PathBuf],
    entry_key: &str,
) -> Result<somon_emit::bundle::AssembledBundle, String> {
    let pieces = paths
        .iter()
        .map(|p| {
            files
                .get(p)
                .and_then(|e| e.piece.as_ref())
                .map(|(_, piece)| piece)
                .ok_or_else(|| format!("{}: no compiled module", p.display()))
        })
        .collect::<Result<Vec<&ModulePiece>, String>>()?;
    emitter.assemble_measured(&pieces, entry_key)
}
