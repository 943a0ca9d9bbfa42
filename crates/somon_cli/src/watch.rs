//! The builders behind the long-running commands.
//!
//! [`CompileBuilder`] (`somon watch`, `compile --watch`, `serve <folder>`):
//! every `.som` file of the input folders compiles on its own, so a change
//! recompiles only the files whose content hash changed; new files are
//! picked up, deleted ones reported. A file that failed for an I/O reason
//! is retried by the next build.
//!
//! [`BundleBuilder`] (`bundle --watch`, `serve <entry>`): an incremental
//! bundler keeps each module's output keyed by its content hash; the
//! bundle is rewritten only when its bytes change; the folders of the
//! graph's files are watched, so a new import starts being watched and a
//! file that leaves the graph stops being watched.

use crate::{
    compile_job, display_path, input_folder, plan_jobs, print_error, write_atomic, CompileArgs,
    DiagnosticsFormat, Environment, Job, Settings,
};
use rayon::prelude::*;
use somon_diagnostics::{ResolvedDiagnostic, Severity};
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

fn content_hash(path: &Path) -> Option<u64> {
    std::fs::read(path).ok().map(|b| hash_bytes(&b))
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
    roots: Vec<PathBuf>,
    files: HashSet<PathBuf>,
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
            roots,
            files: HashSet::new(),
        }
    }
}

impl Builder for CompileBuilder {
    /// Every file's hash is checked (cheap next to compiling), so the list
    /// of changes is not needed.
    fn build(&mut self, _changed: Option<&[PathBuf]>, paused: &[PathBuf]) -> BuildReport {
        let env = &self.env;
        let jobs = match plan_jobs(&self.args, env) {
            Ok(jobs) => jobs,
            Err(message) => {
                // e.g. every file of a folder was deleted: say so, keep watching.
                print_error(&mut std::io::stdout().lock(), env, &message);
                self.files.clear();
                return BuildReport {
                    ok: false,
                    error_codes: vec![message.code().to_string()],
                    ..BuildReport::default()
                };
            }
        };
        let present: HashSet<PathBuf> = jobs.iter().map(|j| j.input.clone()).collect();
        for gone in self.files.difference(&present) {
            tracing::info!(file = %display_path(gone, env), "removed from the build");
        }
        self.seen.retain(|p, _| present.contains(p));
        self.files = present;
        let paused: HashSet<&PathBuf> = paused.iter().collect();
        let todo: Vec<(&Job, Option<u64>)> = jobs
            .iter()
            .filter(|j| !paused.contains(&j.input))
            .filter_map(|j| {
                let h = content_hash(&j.input);
                let unchanged = h.is_some() && self.seen.get(&j.input) == h.as_ref();
                (!unchanged).then_some((j, h))
            })
            .collect();
        let (args, settings) = (&self.args, &self.settings);
        // In `todo` order, which is file order.
        let reports: Vec<_> = todo
            .par_iter()
            .map(|(job, _)| compile_job(job, args, settings, env))
            .collect();
        let all: Vec<ResolvedDiagnostic> = reports
            .iter()
            .flat_map(|r| r.diagnostics.iter().cloned())
            .collect();
        report_diagnostics(&all, env, settings.diagnostics);
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
            if let Some(h) = hash {
                self.seen.insert(job.input.clone(), *h);
            }
            if !r.diagnostics.iter().any(|d| d.severity == Severity::Error) {
                written += 1;
            }
        }
        let (error_codes, warnings) = tally(&all);
        let skipped = jobs.iter().filter(|j| paused.contains(&j.input)).count();
        if !todo.is_empty() {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(
                out,
                "compiled {} file(s), {} error(s)",
                todo.len(),
                error_codes.len() + failures.len()
            );
        }
        BuildReport {
            ok: error_codes.is_empty() && failures.is_empty(),
            skipped: false,
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
        self.roots
            .iter()
            .map(|p| WatchRoot {
                path: p.clone(),
                recursive: true,
            })
            .collect()
    }

    fn watched_files(&self) -> usize {
        self.files.len()
    }

    fn is_relevant(&self, path: &Path) -> bool {
        path.extension().is_some_and(|x| x == "som")
    }

    fn is_source(&self, path: &Path) -> bool {
        self.files.contains(path)
    }
}

pub(crate) struct BundleBuilder {
    bundler: somon_project::IncrementalBundler,
    output: PathBuf,
    output_name: String,
    env: Environment,
    diagnostics: DiagnosticsFormat,
    /// Hash of the bundle (and map) last written.
    written: Option<u64>,
    files: Vec<PathBuf>,
    folders: BTreeSet<PathBuf>,
}

impl BundleBuilder {
    pub(crate) fn new(
        request: somon_project::BundleRequest,
        output: PathBuf,
        env: Environment,
        diagnostics: DiagnosticsFormat,
    ) -> Self {
        let output_name = output
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let entry_folder = request.entry.parent().map(Path::to_path_buf);
        BundleBuilder {
            bundler: somon_project::IncrementalBundler::new(request),
            output,
            output_name,
            env,
            diagnostics,
            written: None,
            files: Vec::new(),
            folders: entry_folder.into_iter().collect(),
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
        let result = self.bundler.build(&somon_project::fs::RealFs, changed);
        let stats = result.stats;
        let out = result.output;
        self.files = stats.files.clone();
        self.folders = stats
            .files
            .iter()
            .filter_map(|f| f.parent().map(Path::to_path_buf))
            .collect();
        if let Some(dir) = entry.parent() {
            self.folders.insert(dir.to_path_buf());
        }
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
        if let Some(mut code) = out.code {
            if out.map.is_some() {
                if !code.ends_with('\n') {
                    code.push('\n');
                }
                code.push_str(&format!("//# sourceMappingURL={}.map\n", self.output_name));
            }
            let hash = hash_bytes(code.as_bytes())
                ^ out
                    .map
                    .as_deref()
                    .map_or(0, |m| hash_bytes(m.as_bytes()).rotate_left(1));
            if self.written != Some(hash) {
                let map_path = self
                    .output
                    .with_file_name(format!("{}.map", self.output_name));
                let result = match &out.map {
                    Some(map) => {
                        write_atomic(&map_path, map.as_bytes()).map_err(|e| (map_path.clone(), e))
                    }
                    None => Ok(()),
                }
                .and_then(|()| {
                    write_atomic(&self.output, code.as_bytes())
                        .map_err(|e| (self.output.clone(), e))
                });
                match result {
                    Ok(()) => {
                        self.written = Some(hash);
                        written = 1;
                        let mut o = std::io::stdout().lock();
                        let _ = writeln!(
                            o,
                            "{} ({} modules)",
                            display_path(&self.output, &env),
                            out.modules
                        );
                    }
                    Err((path, e)) => {
                        let m = somon_diagnostics::Message::CannotWrite {
                            path: display_path(&path, &env),
                            reason: e.to_string(),
                        };
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
        self.folders
            .iter()
            .map(|p| WatchRoot {
                path: p.clone(),
                recursive: false,
            })
            .collect()
    }

    fn watched_files(&self) -> usize {
        self.files.len()
    }

    fn is_relevant(&self, path: &Path) -> bool {
        // A file of the graph, or a new file that an import may now find.
        self.files.iter().any(|f| f == path)
            || path
                .extension()
                .is_some_and(|x| matches!(x.to_str(), Some("som" | "js" | "mjs" | "cjs" | "json")))
                && path != self.output
    }

    fn is_source(&self, path: &Path) -> bool {
        self.files.iter().any(|f| f == path)
    }
}
