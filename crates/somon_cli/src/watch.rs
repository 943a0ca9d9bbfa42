//! The builders behind the long-running commands.
//!
//! [`CompileBuilder`] (`somon watch`, `compile --watch`, `serve <folder>`):
//! every `.som` file of the input folders compiles on its own, so a change
//! recompiles only the files whose content hash changed (or whose output
//! is missing); when files are added or removed, everything is recompiled,
//! since an import may now lead elsewhere. A file that failed for an I/O
//! reason is retried by the next build; errors of files that were not
//! recompiled still count until they are fixed.
//!
//! Folders are watched one by one (not recursively), skipping
//! `node_modules` and dot-folders, so large dependency trees do not exhaust
//! the system's watches; the set is recomputed after every build.
//!
//! [`BundleBuilder`] (`bundle --watch`, `serve <entry>`): an incremental
//! bundler keeps each module's output keyed by its content hash; the
//! bundle is rewritten only when its bytes change; the folders of the
//! graph's files are watched, so a new import starts being watched and a
//! file that leaves the graph stops being watched.

use crate::{
    compile_job, display_path, fsutil::write_output, input_folder, plan_jobs, print_error,
    CompileArgs, DiagnosticsFormat, Environment, Job, Settings,
};
use rayon::prelude::*;
use somon_diagnostics::{Message, ResolvedDiagnostic, Severity};
use somon_service::{BuildReport, Builder, FailureKind, SourceFailure, WatchRoot};
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};

fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// The hash of a file's bytes, read through the command's file system
/// (not recorded as read: the build that follows reads and records it).
pub(crate) fn content_hash(fs: &crate::inputs::Tracked, path: &Path) -> Option<u64> {
    fs.peek(path).ok().map(|b| hash_bytes(&b))
}

/// At most this many folders are watched per root (a guard against
/// pointing `watch` at `/`).
const MAX_WATCHED_FOLDERS: usize = 10_000;

/// `root` and the folders below it, skipping `node_modules` and
/// dot-folders, sorted.
fn folders_below(root: &Path) -> Vec<PathBuf> {
    let (folders, cut) =
        somon_project::fs::folders_below(&somon_project::fs::RealFs, root, MAX_WATCHED_FOLDERS);
    if cut {
        tracing::warn!(path = %root.display(), limit = MAX_WATCHED_FOLDERS, "too many folders to watch; watching the first ones");
    }
    folders
}

fn non_recursive(folders: impl IntoIterator<Item = PathBuf>) -> Vec<WatchRoot> {
    folders
        .into_iter()
        .map(|path| WatchRoot {
            path,
            recursive: false,
        })
        .collect()
}

/// Prints a build's diagnostics on stdout (stderr carries the logs).
fn report_diagnostics(diags: &[ResolvedDiagnostic], env: &Environment, format: DiagnosticsFormat) {
    crate::print_diagnostics_to(&mut std::io::stdout().lock(), diags, env, format);
}

/// Codes of the error diagnostics, and the number of warnings.
fn tally(diags: &[ResolvedDiagnostic]) -> (Vec<String>, usize) {
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.code.to_string())
        .collect();
    let warnings = diags.len() - errors.len();
    (errors, warnings)
}

pub(crate) struct CompileBuilder {
    pub(crate) args: CompileArgs,
    pub(crate) settings: Settings,
    pub(crate) env: Environment,
    /// Content hash of each file as last compiled successfully.
    seen: HashMap<PathBuf, u64>,
    /// Error diagnostics of each file's last compile.
    errors: HashMap<PathBuf, usize>,
    roots: Vec<PathBuf>,
    folders: Vec<PathBuf>,
    files: HashSet<PathBuf>,
    outputs: HashSet<PathBuf>,
    /// The output of each source, as last planned.
    output_of: HashMap<PathBuf, PathBuf>,
}

/// Removes the output (and its source map) of a source that was deleted:
/// a stale output would keep running the old code. Only files this
/// watcher planned as outputs are touched.
fn remove_stale_output(output: &Path, env: &Environment) {
    for file in [output.to_path_buf(), crate::fsutil::map_path(output)] {
        if file.is_file() && std::fs::remove_file(&file).is_ok() {
            tracing::info!(file = %display_path(&file, env), "removed the output of a deleted source");
        }
    }
}

impl CompileBuilder {
    pub(crate) fn new(args: CompileArgs, settings: Settings, env: Environment) -> Self {
        let mut roots: Vec<PathBuf> = args.inputs.iter().map(|p| input_folder(&env, p)).collect();
        roots.sort();
        roots.dedup();
        CompileBuilder {
            args,
            settings,
            env,
            seen: HashMap::new(),
            errors: HashMap::new(),
            folders: roots.iter().flat_map(|r| folders_below(r)).collect(),
            roots,
            files: HashSet::new(),
            outputs: HashSet::new(),
            output_of: HashMap::new(),
        }
    }
}

impl Builder for CompileBuilder {
    /// Every file's hash is checked (cheap next to compiling); the list of
    /// changes only names sources whose breaker waits for an attempt.
    fn build(&mut self, changed: Option<&[PathBuf]>, paused: &[PathBuf]) -> BuildReport {
        let env = &self.env;
        let jobs = match plan_jobs(&self.args, env) {
            Ok(jobs) => jobs,
            Err(message) => {
                // e.g. every file of a folder was deleted: say so, keep watching.
                print_error(&mut std::io::stdout().lock(), env, &message);
                self.folders = self.roots.iter().flat_map(|r| folders_below(r)).collect();
                for (input, output) in self.output_of.drain() {
                    if !input.exists() {
                        remove_stale_output(&output, env);
                    }
                }
                self.files.clear();
                self.errors.clear();
                return BuildReport {
                    ok: false,
                    error_codes: vec![message.code().to_string()],
                    errors_now: 1,
                    ..BuildReport::default()
                };
            }
        };
        let present: HashSet<PathBuf> = jobs.iter().map(|j| j.input.clone()).collect();
        for gone in self.files.difference(&present) {
            tracing::info!(file = %display_path(gone, env), "removed from the build");
            if let Some(output) = self.output_of.get(gone).filter(|_| !gone.exists()) {
                remove_stale_output(output, env);
            }
        }
        self.output_of = jobs
            .iter()
            .map(|j| (j.input.clone(), j.output.clone()))
            .collect();
        if changed.is_none() || present != self.files {
            // Folders change only with a full recheck (the service asks
            // for one on folder events) or with the set of files.
            self.folders = self.roots.iter().flat_map(|r| folders_below(r)).collect();
        }
        if !self.files.is_empty() && present != self.files {
            // A file came or went: imports of the others may now lead
            // elsewhere (`./ёр` → `./ёр/index`), so everything is compiled.
            self.seen.clear();
        }
        self.errors.retain(|p, _| present.contains(p));
        self.files = present;
        self.outputs = jobs.iter().map(|j| j.output.clone()).collect();
        let paused: HashSet<&PathBuf> = paused.iter().collect();
        // A file is compiled again when its text changed or what it
        // imports exports something else (or cannot be found any more).
        let types = crate::project_types(&jobs, &self.settings);
        let todo: Vec<(&Job, Option<u64>)> = jobs
            .iter()
            .filter(|j| !paused.contains(&j.input))
            .filter_map(|j| {
                let key = types.import_key(&j.input);
                let h = content_hash(&self.settings.io, &j.input).map(|h| h ^ key.rotate_left(1));
                let unchanged =
                    h.is_some() && self.seen.get(&j.input) == h.as_ref() && j.output.exists();
                (!unchanged).then_some((j, h))
            })
            .collect();
        let (args, settings) = (&self.args, &self.settings);
        // In `todo` order, which is file order.
        let reports: Vec<_> = todo
            .par_iter()
            .map(|(job, _)| compile_job(job, args, settings, env, &types, &self.outputs))
            .collect();
        let all: Vec<ResolvedDiagnostic> = reports
            .iter()
            .flat_map(|r| r.diagnostics.iter().cloned())
            .collect();
        report_diagnostics(&all, env, settings.diagnostics);
        // Into another folder, the files the recompiled modules import go
        // along (as for `compile --out-dir`).
        if let (Some(dir), None) = (&args.out_dir, &args.output) {
            let compiled: Vec<Job> = todo
                .iter()
                .map(|(j, _)| Job {
                    input: j.input.clone(),
                    output: j.output.clone(),
                })
                .collect();
            let out_dir = crate::fsutil::normalize(&env.cwd.join(dir));
            for m in crate::assets::copy_imported(&compiled, &out_dir, settings, env) {
                print_error(&mut std::io::stdout().lock(), env, &m);
            }
        }
        let mut failures = Vec::new();
        let mut succeeded = Vec::new();
        let mut written = 0;
        for ((job, hash), r) in todo.iter().zip(&reports) {
            let internal = r.diagnostics.iter().any(|d| d.code == "INTERNAL");
            if let Some(m) = &r.io_error {
                print_error(&mut std::io::stdout().lock(), env, m);
                failures.push(SourceFailure {
                    source: job.input.clone(),
                    kind: FailureKind::Io,
                    message: m.render(env.lang),
                });
                continue;
            }
            if internal {
                failures.push(SourceFailure {
                    source: job.input.clone(),
                    kind: FailureKind::Internal,
                    message: "internal compiler error".into(),
                });
                continue;
            }
            succeeded.push(job.input.clone());
            let errors = r
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            self.errors.insert(job.input.clone(), errors);
            if errors == 0 {
                written += 1;
                if let Some(h) = hash {
                    self.seen.insert(job.input.clone(), *h);
                }
            } else {
                // Compiled again on the next build, so its errors are
                // reported again until it is fixed.
                self.seen.remove(&job.input);
            }
        }
        // A listed source that needed no work is fine as it is (this
        // closes a half-open breaker whose source recovered unchanged).
        let compiled: HashSet<&PathBuf> = todo.iter().map(|(j, _)| &j.input).collect();
        for p in changed.unwrap_or_default() {
            if self.files.contains(p) && !compiled.contains(p) && !paused.contains(p) {
                succeeded.push(p.clone());
            }
        }
        let (error_codes, warnings) = tally(&all);
        let errors_now: usize = self.errors.values().sum();
        let skipped = jobs.iter().filter(|j| paused.contains(&j.input)).count();
        if !todo.is_empty() && settings.diagnostics == DiagnosticsFormat::Pretty {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(
                out,
                "{}",
                Message::FilesCompiled {
                    files: todo.len(),
                    errors: error_codes.len() + failures.len(),
                }
                .render(self.env.lang)
            );
        }
        BuildReport {
            ok: errors_now == 0 && failures.is_empty(),
            skipped: false,
            errors_now,
            modules: jobs.len(),
            compiled: todo.len(),
            cache_hits: jobs.len() - todo.len() - skipped,
            cache_misses: todo.len(),
            error_codes,
            warnings,
            failures,
            succeeded,
            written,
        }
    }

    fn watch_roots(&self) -> Vec<WatchRoot> {
        // An input folder that is gone (`rm -rf src`) is waited for in its
        // nearest existing ancestor, so `mkdir src` is seen.
        let fs = somon_project::fs::RealFs;
        let waiting = self
            .roots
            .iter()
            .filter(|r| !r.is_dir())
            .filter_map(|r| somon_project::fs::nearest_existing_ancestor(&fs, r));
        let mut folders: Vec<PathBuf> = self.folders.iter().cloned().chain(waiting).collect();
        folders.sort();
        folders.dedup();
        non_recursive(folders)
    }

    fn watched_files(&self) -> usize {
        self.files.len()
    }

    fn is_relevant(&self, path: &Path) -> bool {
        // `.som` files, and outputs that were deleted (written again).
        path.extension().is_some_and(|x| x == "som")
            || (self.outputs.contains(path) && !path.exists())
    }

    fn is_source(&self, path: &Path) -> bool {
        self.files.contains(path)
    }
}

/// The folders a bundle's build depends on: the entry's folder and those
/// below it (without `node_modules` and dot-folders), and, for files
/// outside them (packages), each folder from the file up to its package's
/// root, where `package.json` lives.
fn bundle_folders(entry: &Path, files: &[PathBuf]) -> BTreeSet<PathBuf> {
    let mut folders: BTreeSet<PathBuf> = entry
        .parent()
        .map(folders_below)
        .unwrap_or_default()
        .into_iter()
        .collect();
    for f in files {
        let mut dir = f.parent();
        while let Some(d) = dir {
            if folders.contains(d) || d.file_name().is_some_and(|n| n == "node_modules") {
                break;
            }
            folders.insert(d.to_path_buf());
            if d.join("package.json").is_file() {
                break;
            }
            dir = d.parent();
        }
    }
    folders
}

/// A bundle's graph as the watcher sees it: its files, and the folders to
/// watch for files an import may find next (both watch builders keep it).
struct GraphFiles {
    files: Vec<PathBuf>,
    folders: BTreeSet<PathBuf>,
}

impl GraphFiles {
    fn new(entry: &Path) -> Self {
        GraphFiles {
            files: Vec::new(),
            folders: bundle_folders(entry, &[]),
        }
    }

    /// The graph after a build; the folders are listed again when its
    /// files changed or `relist` asks for it.
    fn update(&mut self, entry: &Path, files: &[PathBuf], relist: bool) {
        if relist || files != self.files.as_slice() {
            self.folders = bundle_folders(entry, files);
        }
        if files != self.files.as_slice() {
            self.files = files.to_vec();
        }
    }

    fn contains(&self, path: &Path) -> bool {
        self.files.iter().any(|f| f == path)
    }

    /// A file of the graph, or a new file an import may now find (folders
    /// are the service's concern).
    fn may_import(&self, path: &Path) -> bool {
        self.contains(path)
            || path.extension().is_some_and(|x| {
                matches!(
                    x.to_str(),
                    Some("som" | "js" | "mjs" | "cjs" | "json" | "node")
                )
            })
    }
}

pub(crate) struct BundleBuilder {
    bundler: somon_project::IncrementalBundler,
    output: PathBuf,
    map_path: PathBuf,
    env: Environment,
    diagnostics: DiagnosticsFormat,
    /// Hash of the bundle (and map) last written.
    written: Option<u64>,
    graph: GraphFiles,
    /// The configuration file, which the bundle must not replace either.
    config_file: Option<PathBuf>,
    /// The command's file system (`--hermetic`).
    fs: std::sync::Arc<crate::inputs::Tracked>,
}

impl BundleBuilder {
    pub(crate) fn new(
        request: somon_project::BundleRequest,
        output: PathBuf,
        env: Environment,
        diagnostics: DiagnosticsFormat,
        config_file: Option<PathBuf>,
        fs: std::sync::Arc<crate::inputs::Tracked>,
    ) -> Self {
        let output = somon_project::fs::normalize(&output);
        let map_path = crate::fsutil::map_path(&output);
        let graph = GraphFiles::new(&request.entry);
        BundleBuilder {
            bundler: somon_project::IncrementalBundler::new(request),
            output,
            map_path,
            env,
            diagnostics,
            written: None,
            graph,
            config_file,
            fs,
        }
    }

    fn entry(&self) -> PathBuf {
        self.bundler.request().entry.clone()
    }
}

impl Builder for BundleBuilder {
    fn build(&mut self, changed: Option<&[PathBuf]>, paused: &[PathBuf]) -> BuildReport {
        let env = self.env.clone();
        let entry = self.entry();
        if !paused.is_empty() {
            // A bundle needs every module: while one source's breaker is
            // open, the previous bundle stays.
            return BuildReport {
                ok: false,
                skipped: true,
                ..BuildReport::default()
            };
        }
        let result = self.bundler.build(&*self.fs, changed);
        let stats = result.stats;
        let out = result.output;
        // Folders change only with a full recheck (the service asks for
        // one on folder events) or with the graph's files.
        self.graph.update(&entry, &stats.files, changed.is_none());
        report_diagnostics(&out.diagnostics, &env, self.diagnostics);
        let (error_codes, warnings) = tally(&out.diagnostics);
        let mut failures: Vec<SourceFailure> = stats
            .failed_reads
            .iter()
            .map(|(path, reason)| SourceFailure {
                source: path.clone(),
                kind: FailureKind::Io,
                message: reason.clone(),
            })
            .collect();
        if error_codes.iter().any(|c| c == "INTERNAL") {
            failures.push(SourceFailure {
                source: entry.clone(),
                kind: FailureKind::Internal,
                message: "internal compiler error while bundling".into(),
            });
        }
        let mut written = 0;
        if let Some(code) = out.code {
            let hash = hash_bytes(code.as_bytes())
                ^ out
                    .map
                    .as_deref()
                    .map_or(0, |m| hash_bytes(m.as_bytes()).rotate_left(1));
            let missing = !self.output.exists() || (out.map.is_some() && !self.map_path.exists());
            if self.written != Some(hash) || missing {
                let mut read = crate::fsutil::ReadFiles::default();
                read.extend(&out.files);
                read.extend(&self.config_file);
                match write_output(
                    self.fs.files(),
                    &self.output,
                    code,
                    out.map.as_deref(),
                    false,
                    &read,
                ) {
                    Ok(()) => {
                        self.written = Some(hash);
                        written = 1;
                        if self.diagnostics == DiagnosticsFormat::Pretty {
                            let mut o = std::io::stdout().lock();
                            let _ = writeln!(
                                o,
                                "{}",
                                Message::BundleWritten {
                                    path: display_path(&self.output, &env),
                                    modules: out.modules,
                                }
                                .render(env.lang)
                            );
                        }
                    }
                    Err(e) => {
                        let m = crate::write_error(e, &env);
                        print_error(&mut std::io::stdout().lock(), &env, &m);
                        failures.push(SourceFailure {
                            source: entry.clone(),
                            kind: FailureKind::Io,
                            message: m.render(env.lang),
                        });
                    }
                }
            } else {
                tracing::debug!(file = %display_path(&self.output, &env), "bundle unchanged; not rewritten");
            }
        }
        let failed: HashSet<&PathBuf> = failures.iter().map(|f| &f.source).collect();
        BuildReport {
            ok: error_codes.is_empty() && failures.is_empty(),
            skipped: false,
            errors_now: error_codes.len(),
            modules: stats.modules,
            // Parsed or emitted again (a build with errors parses but
            // does not emit).
            compiled: stats
                .reparsed
                .iter()
                .chain(&stats.reemitted)
                .collect::<BTreeSet<_>>()
                .len(),
            cache_hits: stats.cache_hits,
            cache_misses: stats.cache_misses,
            error_codes,
            warnings,
            succeeded: stats
                .files
                .iter()
                .filter(|f| !failed.contains(f))
                .cloned()
                .collect(),
            failures,
            written,
        }
    }

    fn watch_roots(&self) -> Vec<WatchRoot> {
        non_recursive(self.graph.folders.iter().cloned())
    }

    fn watched_files(&self) -> usize {
        self.graph.files.len()
    }

    fn is_relevant(&self, path: &Path) -> bool {
        // The bundle and its map matter only when deleted (written again).
        if path == self.output || path == self.map_path {
            return !path.exists();
        }
        self.graph.may_import(path)
    }

    fn is_source(&self, path: &Path) -> bool {
        self.graph.contains(path)
    }
}

/// `bundle --watch --splitting`: every build splits the whole graph again
/// (the incremental bundler makes one-file bundles) and rewrites only the
/// chunks whose bytes changed; chunks of earlier builds stay in the
/// folder, as esbuild's watch mode leaves them.
pub(crate) struct SplitBuilder {
    request: somon_project::BundleRequest,
    split: somon_project::SplitRequest,
    outdir: PathBuf,
    env: Environment,
    diagnostics: DiagnosticsFormat,
    /// Hash of each chunk (and its map) last written.
    written: HashMap<PathBuf, u64>,
    graph: GraphFiles,
    config_file: Option<PathBuf>,
    fs: std::sync::Arc<crate::inputs::Tracked>,
}

impl SplitBuilder {
    pub(crate) fn new(
        request: somon_project::BundleRequest,
        split: somon_project::SplitRequest,
        outdir: PathBuf,
        settings: (&Environment, DiagnosticsFormat, Option<PathBuf>),
        fs: std::sync::Arc<crate::inputs::Tracked>,
    ) -> Self {
        let (env, diagnostics, config_file) = settings;
        let graph = GraphFiles::new(&request.entry);
        SplitBuilder {
            request,
            split,
            outdir: somon_project::fs::normalize(&outdir),
            env: env.clone(),
            diagnostics,
            written: HashMap::new(),
            graph,
            config_file,
            fs,
        }
    }
}

impl Builder for SplitBuilder {
    fn build(&mut self, _changed: Option<&[PathBuf]>, paused: &[PathBuf]) -> BuildReport {
        if !paused.is_empty() {
            return BuildReport {
                ok: false,
                skipped: true,
                ..BuildReport::default()
            };
        }
        let env = self.env.clone();
        let entry = self.request.entry.clone();
        let (out, chunks) = somon_project::bundle_split(&self.request, &self.split, &*self.fs);
        self.graph.update(&entry, &out.files, false);
        report_diagnostics(&out.diagnostics, &env, self.diagnostics);
        let (error_codes, warnings) = tally(&out.diagnostics);
        let mut failures: Vec<SourceFailure> = Vec::new();
        let mut read = crate::fsutil::ReadFiles::default();
        read.extend(&out.files);
        read.extend(&self.config_file);
        let mut written = 0;
        let mut entry_written: Option<PathBuf> = None;
        for chunk in chunks {
            let path = somon_project::fs::normalize(&self.outdir.join(&chunk.file));
            let map_path = crate::fsutil::map_path(&path);
            let hash = hash_bytes(chunk.code.as_bytes())
                ^ chunk
                    .map
                    .as_deref()
                    .map_or(0, |m| hash_bytes(m.as_bytes()).rotate_left(1));
            let missing = !path.exists() || (chunk.map.is_some() && !map_path.exists());
            if self.written.get(&path) == Some(&hash) && !missing {
                continue;
            }
            if let Some(dir) = path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            match write_output(
                self.fs.files(),
                &path,
                chunk.code,
                chunk.map.as_deref(),
                false,
                &read,
            ) {
                Ok(()) => {
                    self.written.insert(path.clone(), hash);
                    written += 1;
                    if chunk.entry.is_some() && entry_written.is_none() {
                        entry_written = Some(path);
                    }
                }
                Err(e) => {
                    let m = crate::write_error(e, &env);
                    print_error(&mut std::io::stdout().lock(), &env, &m);
                    failures.push(SourceFailure {
                        source: entry.clone(),
                        kind: FailureKind::Io,
                        message: m.render(env.lang),
                    });
                    break;
                }
            }
        }
        if written > 0 && self.diagnostics == DiagnosticsFormat::Pretty {
            let shown = entry_written.as_deref().unwrap_or(&self.outdir);
            let mut o = std::io::stdout().lock();
            let _ = writeln!(
                o,
                "{}",
                Message::BundleWritten {
                    path: display_path(shown, &env),
                    modules: out.modules,
                }
                .render(env.lang)
            );
        }
        let failed = !failures.is_empty();
        BuildReport {
            ok: error_codes.is_empty() && !failed,
            skipped: false,
            errors_now: error_codes.len(),
            modules: out.modules,
            compiled: out.modules,
            cache_hits: 0,
            cache_misses: out.modules,
            error_codes,
            warnings,
            succeeded: if failed {
                Vec::new()
            } else {
                out.files.clone()
            },
            failures,
            written,
        }
    }

    fn watch_roots(&self) -> Vec<WatchRoot> {
        non_recursive(self.graph.folders.iter().cloned())
    }

    fn watched_files(&self) -> usize {
        self.graph.files.len()
    }

    fn is_relevant(&self, path: &Path) -> bool {
        // A chunk matters only when deleted (written again).
        if path.starts_with(&self.outdir) {
            return self.written.contains_key(path) && !path.exists();
        }
        self.graph.may_import(path)
    }

    fn is_source(&self, path: &Path) -> bool {
        self.graph.contains(path)
    }
}
