//! What the server knows: the open buffers (which overlay the files on
//! disk), the projects they belong to (one per configuration file), each
//! project's module graph followed from the open files and the `.som`
//! files of the workspace folders, and a cache of every module's exports
//! and every checked file, keyed by content and by the exports it imports.

use crate::cancel::Token;
use crate::text::LineMap;
use somon_check::{ModuleExports, SemanticModel};
use somon_compiler::{CompileOptions, ModuleKind, Target};
use somon_diagnostics::{Diagnostic, Lang, ResolvedDiagnostic};
use somon_project::graph::{build_graph_of, Graph, ImportTarget, ModuleSource};
use somon_project::typecheck::{graph_exports, Exports};
use somon_project::{Resolver, ResolverConfig};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Open buffers over the disk, for the module graph and for configuration
/// files alike.
#[derive(Clone, Default)]
pub struct Overlay {
    pub docs: HashMap<PathBuf, Arc<str>>,
}

impl somon_project::fs::FileSystem for Overlay {
    fn read_to_string(&self, path: &Path) -> std::io::Result<String> {
        match self.docs.get(path) {
            Some(t) => Ok(t.to_string()),
            None => somon_project::fs::RealFs.read_to_string(path),
        }
    }

    fn is_file(&self, path: &Path) -> bool {
        self.docs.contains_key(path) || somon_project::fs::RealFs.is_file(path)
    }

    fn is_dir(&self, path: &Path) -> bool {
        somon_project::fs::RealFs.is_dir(path)
    }

    fn read_dir(&self, path: &Path) -> std::io::Result<Vec<somon_project::fs::DirEntry>> {
        let mut entries = somon_project::fs::RealFs.read_dir(path).unwrap_or_default();
        // A buffer not yet saved is a file of its folder too.
        for doc in self.docs.keys() {
            if doc.parent() == Some(path) {
                if let Some(name) = doc.file_name().and_then(|n| n.to_str()) {
                    if !entries.iter().any(|e| e.name == name) {
                        entries.push(somon_project::fs::DirEntry {
                            name: name.to_string(),
                            is_dir: false,
                        });
                    }
                }
            }
        }
        Ok(entries)
    }

    fn write(&self, _path: &Path, _bytes: &[u8]) -> std::io::Result<()> {
        // Edits reach files through the client (workspace edits), never
        // from the server itself.
        Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "the language server writes no files",
        ))
    }

    fn real_path(&self, path: &Path) -> PathBuf {
        if self.docs.contains_key(path) {
            return path.to_path_buf();
        }
        somon_project::fs::RealFs.real_path(path)
    }
}

/// One checked Somon file.
pub struct FileAnalysis {
    pub path: PathBuf,
    pub text: Arc<str>,
    pub lines: LineMap,
    pub diagnostics: Vec<Diagnostic>,
    pub model: SemanticModel,
    /// Content, options and imported exports it was checked with.
    key: u64,
}

/// A project: the files under one configuration file (or none).
pub struct Project {
    pub config_file: Option<PathBuf>,
    pub options: CompileOptions,
    pub resolver: ResolverConfig,
    /// Problems of the configuration file, shown on that file.
    pub config_problems: Vec<ResolvedDiagnostic>,
    pub graph: Graph,
    pub exports: Exports,
}

impl Project {
    pub fn module_id(&self, path: &Path) -> Option<usize> {
        self.graph.by_path.get(path).copied()
    }

    /// The module an import of `file` (by specifier) leads to.
    pub fn import_target(&self, file: &Path, specifier: &str) -> Option<usize> {
        let m = self.graph.modules.get(self.module_id(file)?)?;
        m.imports
            .iter()
            .find(|i| i.specifier == specifier)
            .and_then(|i| match i.target {
                Some(ImportTarget::Module(id)) => Some(id),
                _ => None,
            })
    }

    pub fn exports_of(&self, id: usize) -> Option<&Arc<ModuleExports>> {
        self.exports.exports.get(id)?.as_ref()
    }

    /// The project's own Somon files (not packages), in graph order.
    pub fn own_files(&self) -> Vec<PathBuf> {
        self.graph
            .modules
            .iter()
            .enumerate()
            .filter(|(i, _)| self.is_own_somon(*i))
            .map(|(_, m)| m.path.clone())
            .collect()
    }

    /// Whether module `id` is a Somon file of the project (not a package).
    pub fn is_own_somon(&self, id: usize) -> bool {
        self.graph
            .modules
            .get(id)
            .is_some_and(|m| matches!(m.source, ModuleSource::Somon(_)))
            && !self
                .graph
                .modules
                .get(id)
                .is_some_and(|m| m.path.components().any(|c| c.as_os_str() == "node_modules"))
    }
}

pub struct World {
    pub overlay: Overlay,
    /// `.som` files of the workspace folders (roots of the graphs besides
    /// the open files).
    pub workspace_files: Vec<PathBuf>,
    pub roots: Vec<PathBuf>,
    /// The language of messages when no configuration names one.
    pub client_lang: Lang,
    /// The language the client asked for (`initializationOptions.lang`,
    /// the editor's setting): it wins over the configuration's.
    pub forced_lang: Option<Lang>,
    /// By configuration file (`None`: files without one).
    pub projects: BTreeMap<Option<PathBuf>, Project>,
    analyses: HashMap<PathBuf, Arc<FileAnalysis>>,
    exports_cache: HashMap<PathBuf, (u64, Arc<ModuleExports>)>,
    /// The graphs need building again (a buffer or a file changed).
    pub stale: bool,
    /// Buffers changed since the graphs were last brought up to date.
    pending: std::collections::HashSet<PathBuf>,
    /// The parse of a buffer made when its module was replaced, under the
    /// hash of its text, for its check to reuse (its program is the one in
    /// the graph, taken from there for the check and put back).
    parses: HashMap<PathBuf, (u64, somon_syntax::ParseResult)>,
    /// What the running work is cancelled by (set by the server for each
    /// request and diagnostics pass).
    pub token: Token,
    /// Stages of the current diagnostics pass and their times, when the
    /// client asked for timings.
    pub timings: Option<Vec<(&'static str, Duration)>>,
    /// Buffers changed since diagnostics were last published.
    pub changed_files: HashSet<PathBuf>,
    /// Trees and analyses an edit replaced: freed after the diagnostics
    /// are published (freeing a large file's tree takes milliseconds).
    garbage: Vec<Box<dyn std::any::Any>>,
}

fn hash_of(parts: &[&dyn Fn(&mut std::collections::hash_map::DefaultHasher)]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for p in parts {
        p(&mut h);
    }
    h.finish()
}

/// Keeps `old` for [`World::collect_garbage`] (at most a few: without
/// passes to free them, they are freed here).
fn discard(garbage: &mut Vec<Box<dyn std::any::Any>>, old: Box<dyn std::any::Any>) {
    if garbage.len() >= 16 {
        garbage.clear();
    }
    garbage.push(old);
}

/// A tree with nothing in it, in the place of one lent out.
fn empty_program() -> somon_syntax::ast::Program {
    somon_syntax::ast::Program {
        body: Vec::new(),
        span: somon_diagnostics::Span::at(0),
    }
}

/// Every Somon module's exports, from the cache when its text and the
/// exports it imports are unchanged.
fn compute_exports(
    graph: &Graph,
    cache: &mut HashMap<PathBuf, (u64, Arc<ModuleExports>)>,
) -> Exports {
    graph_exports(graph, &mut |id, imports, key| {
        let m = graph.modules.get(id)?;
        let ModuleSource::Somon(program) = &m.source else {
            return None;
        };
        let k = hash_of(&[&|h| m.text.hash(h), &|h| key.hash(h)]);
        if let Some((ck, e)) = cache.get(&m.path) {
            if *ck == k {
                return Some(e.clone());
            }
        }
        let e = Arc::new(somon_check::module_exports(program, imports));
        cache.insert(m.path.clone(), (k, e.clone()));
        Some(e)
    })
}

impl World {
    pub fn new(client_lang: Lang) -> World {
        World {
            overlay: Overlay::default(),
            workspace_files: Vec::new(),
            roots: Vec::new(),
            client_lang,
            forced_lang: None,
            projects: BTreeMap::new(),
            analyses: HashMap::new(),
            exports_cache: HashMap::new(),
            stale: true,
            pending: Default::default(),
            parses: HashMap::new(),
            token: Token::never(),
            timings: None,
            changed_files: HashSet::new(),
            garbage: Vec::new(),
        }
    }

    /// Frees what edits replaced (see `garbage`).
    pub fn collect_garbage(&mut self) {
        self.garbage.clear();
    }

    /// Whether `path` changed since diagnostics were last published.
    pub fn recently_changed(&self, path: &Path) -> bool {
        self.changed_files.contains(path)
    }

    /// Records that `stage` took the time since `since` (with timings on).
    fn mark(&mut self, stage: &'static str, since: Instant) {
        if let Some(t) = &mut self.timings {
            t.push((stage, since.elapsed()));
        }
    }

    /// The end of a diagnostics pass: its stages (summed by name, in the
    /// order they first ran) and its total as one line, with timings on
    /// and when the pass finished (`total`) and did some work.
    pub fn timings_done(&mut self, total: Option<Duration>) -> Option<String> {
        let stages = std::mem::take(self.timings.as_mut()?);
        let total = total?;
        if stages.is_empty() {
            return None;
        }
        let mut summed: Vec<(&'static str, Duration)> = Vec::new();
        for (name, d) in stages {
            match summed.iter_mut().find(|(n, _)| *n == name) {
                Some((_, sum)) => *sum += d,
                None => summed.push((name, d)),
            }
        }
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let mut line = String::from("somon lsp timings:");
        for (name, d) in summed {
            line.push_str(&format!(" {name} {:.2} ms,", ms(d)));
        }
        line.push_str(&format!(" total {:.2} ms", ms(total)));
        Some(line)
    }

    /// Reads the `.som` files below the workspace folders again.
    pub fn scan_roots(&mut self) {
        let mut files = somon_project::fs::collect_som_files(&self.roots).unwrap_or_default();
        // A workspace that is a whole disk is not a project.
        files.truncate(20_000);
        self.workspace_files = files;
        self.stale = true;
    }

    pub fn is_open(&self, path: &Path) -> bool {
        self.overlay.docs.contains_key(path)
    }

    /// A buffer's new text. When the file is a module of the graphs and
    /// its imports (specifiers and places) are the same as before, only
    /// its module is replaced (no other file is read or parsed again and
    /// the other modules' exports come from the cache); otherwise the
    /// graphs are built again when next needed.
    /// The work waits until an answer needs the graphs, so a burst of
    /// keystrokes parses the file once.
    pub fn set_text(&mut self, path: PathBuf, text: Arc<str>) {
        self.overlay.docs.insert(path.clone(), text);
        self.changed_files.insert(path.clone());
        self.pending.insert(path);
    }

    fn update_in_place(&mut self, path: &Path, text: &str) -> bool {
        if path.extension().is_none_or(|e| e != "som") {
            return false;
        }
        let holders: Vec<Option<PathBuf>> = self
            .projects
            .iter()
            .filter(|(_, p)| p.graph.by_path.contains_key(path))
            .map(|(k, _)| k.clone())
            .collect();
        if holders.is_empty() {
            return false;
        }
        let started = Instant::now();
        let mut parsed = somon_syntax::parse(text);
        self.mark("parse", started);
        let specs =
            somon_project::graph::import_specifiers(&parsed.program, &parsed.dynamic_imports);
        for key in &holders {
            let Some(p) = self.projects.get(key) else {
                return false;
            };
            let Some(m) = p.module_id(path).and_then(|id| p.graph.modules.get(id)) else {
                return false;
            };
            let same = m.imports.len() == specs.len()
                && m.imports
                    .iter()
                    .zip(&specs)
                    .all(|(i, (spec, span, dynamic))| {
                        i.specifier == *spec && i.span == *span && i.dynamic == *dynamic
                    });
            if !same || !matches!(m.source, ModuleSource::Somon(_)) {
                return false;
            }
        }
        let started = Instant::now();
        let text_hash = hash_of(&[&|h| text.hash(h)]);
        let last = holders.len().saturating_sub(1);
        for (i, key) in holders.iter().enumerate() {
            let Some(p) = self.projects.get_mut(key) else {
                continue;
            };
            let Some(id) = p.module_id(path) else {
                continue;
            };
            // The tree moves into the graph (a copy only for a file that
            // two projects hold).
            let program = if i == last {
                std::mem::replace(&mut parsed.program, empty_program())
            } else {
                parsed.program.clone()
            };
            if let Some(m) = p.graph.modules.get_mut(id) {
                m.text = text.to_string();
                let old = std::mem::replace(&mut m.source, ModuleSource::Somon(Box::new(program)));
                discard(&mut self.garbage, Box::new(old));
            }
            // Its exports again; when importers see the same (equal
            // fingerprints: no declaration changed what it exports), the
            // rest of the graph's exports and checks stay as they are.
            let fresh = {
                let imports = p.exports.imports(&p.graph, id);
                let import_key = p.exports.import_key(&p.graph, id);
                match p.graph.modules.get(id).map(|m| &m.source) {
                    Some(ModuleSource::Somon(program)) => {
                        let e = Arc::new(somon_check::module_exports(program, &imports));
                        let k = hash_of(&[&|h| text.hash(h), &|h| import_key.hash(h)]);
                        Some((k, e))
                    }
                    _ => None,
                }
            };
            let same = match (&fresh, p.exports_of(id)) {
                (Some((_, new)), Some(old)) => new.fingerprint() == old.fingerprint(),
                _ => false,
            };
            if let Some((k, e)) = fresh {
                self.exports_cache
                    .insert(path.to_path_buf(), (k, e.clone()));
                if same {
                    if let Some(slot) = p.exports.exports.get_mut(id) {
                        *slot = Some(e);
                    }
                    continue;
                }
            }
            p.exports = compute_exports(&p.graph, &mut self.exports_cache);
        }
        self.mark("exports", started);
        self.parses.insert(path.to_path_buf(), (text_hash, parsed));
        true
    }

    /// The configuration file that governs `file`.
    fn config_of(&self, file: &Path) -> Option<PathBuf> {
        let dir = file.parent().unwrap_or(Path::new("/"));
        somon_config::discover(&self.overlay, dir)
    }

    /// The formatter's options for a file: the `format` section of its
    /// configuration (defaults when there is none or it has errors).
    pub fn format_options(&self, file: &Path) -> somon_fmt::FormatOptions {
        let defaults = somon_fmt::FormatOptions::default();
        let Some(config) = self.config_of(file) else {
            return defaults;
        };
        let dir = config.parent().unwrap_or(Path::new("/"));
        let Ok(loaded) = somon_config::find_and_load(&self.overlay, dir, dir, Some(&config)) else {
            return defaults;
        };
        let env_values = somon_config::EnvValues::from_lookup(|n| std::env::var(n).ok());
        match somon_config::effective_config(
            loaded.as_ref(),
            &env_values,
            &somon_config::Overrides::default(),
            dir,
        ) {
            Ok(e) => somon_fmt::FormatOptions {
                indent_width: u32::try_from(e.format.indent_width.value)
                    .unwrap_or(defaults.indent_width),
                line_width: u32::try_from(e.format.line_width.value).unwrap_or(defaults.line_width),
            },
            Err(_) => defaults,
        }
    }

    /// The project of a file.
    pub fn project_of(&self, file: &Path) -> Option<&Project> {
        self.projects.get(&self.config_of(file))
    }

    /// Builds every project's graph and exports again (exports of modules
    /// whose text and imported exports did not change come from the cache).
    pub fn rebuild(&mut self) {
        if !self.stale && !self.pending.is_empty() {
            let mut pending: Vec<PathBuf> = self.pending.iter().cloned().collect();
            pending.sort();
            for path in pending {
                if self.token.is_cancelled() {
                    // The rest stays pending for the next pass.
                    return;
                }
                self.pending.remove(&path);
                let Some(text) = self.overlay.docs.get(&path).cloned() else {
                    self.stale = true;
                    break;
                };
                if !self.update_in_place(&path, &text) {
                    self.stale = true;
                    break;
                }
            }
        }
        if !self.stale || self.token.is_cancelled() {
            return;
        }
        let started = Instant::now();
        self.stale = false;
        self.pending.clear();
        self.parses.clear();
        let mut groups: BTreeMap<Option<PathBuf>, Vec<PathBuf>> = BTreeMap::new();
        let mut open: Vec<PathBuf> = self
            .overlay
            .docs
            .keys()
            .filter(|p| p.extension().is_some_and(|e| e == "som"))
            .cloned()
            .collect();
        open.sort();
        for f in open.iter().chain(self.workspace_files.iter()) {
            let group = groups.entry(self.config_of(f)).or_default();
            if !group.contains(f) {
                group.push(f.clone());
            }
        }
        // A configuration file that is open but governs no file yet still
        // gets its problems shown.
        for p in self.overlay.docs.keys() {
            if somon_config::CONFIG_FILE_NAMES
                .iter()
                .any(|n| p.file_name().is_some_and(|f| f == *n))
            {
                groups.entry(Some(p.clone())).or_default();
            }
        }
        let mut projects = BTreeMap::new();
        for (config, files) in groups {
            if self.token.is_cancelled() {
                // Half the projects would be of the old files: all again
                // next time.
                self.stale = true;
                return;
            }
            let project = self.load_project(config.clone(), &files);
            projects.insert(config, project);
        }
        self.projects = projects;
        self.mark("graph", started);
        // Forget what no graph holds any more.
        let known: std::collections::HashSet<&PathBuf> = self
            .projects
            .values()
            .flat_map(|p| p.graph.by_path.keys())
            .collect();
        self.exports_cache.retain(|p, _| known.contains(p));
        self.analyses.retain(|p, _| known.contains(p));
    }

    fn load_project(&mut self, config_file: Option<PathBuf>, files: &[PathBuf]) -> Project {
        let (options, resolver, config_problems) = self.configuration(config_file.as_deref());
        let overlay = &self.overlay;
        let res = Resolver::new(overlay, resolver.clone());
        let graph = build_graph_of(files, overlay, &res);
        let exports = compute_exports(&graph, &mut self.exports_cache);
        Project {
            config_file,
            options,
            resolver,
            config_problems,
            graph,
            exports,
        }
    }

    /// Compile options and resolution of a configuration file; its
    /// problems (the defaults are used then).
    fn configuration(
        &self,
        config_file: Option<&Path>,
    ) -> (CompileOptions, ResolverConfig, Vec<ResolvedDiagnostic>) {
        let mut options = CompileOptions {
            lang: self.client_lang,
            ..CompileOptions::default()
        };
        let Some(file) = config_file else {
            return (options, ResolverConfig::default(), Vec::new());
        };
        let lang = self.client_lang;
        let dir = file.parent().unwrap_or(Path::new("/"));
        let render = |errors: Vec<somon_config::ConfigError>| -> Vec<ResolvedDiagnostic> {
            errors.iter().map(|e| e.to_resolved(lang)).collect()
        };
        let loaded = match somon_config::find_and_load(&self.overlay, dir, dir, Some(file)) {
            Ok(l) => l,
            Err(e) => return (options, ResolverConfig::default(), render(e)),
        };
        let mut problems: Vec<ResolvedDiagnostic> = loaded
            .as_ref()
            .map(|l| l.warnings().iter().map(|w| w.to_resolved(lang)).collect())
            .unwrap_or_default();
        let env_values = somon_config::EnvValues::from_lookup(|n| std::env::var(n).ok());
        let effective = match somon_config::effective_config(
            loaded.as_ref(),
            &env_values,
            &somon_config::Overrides::default(),
            dir,
        ) {
            Ok(e) => e,
            Err(e) => {
                problems.extend(render(e));
                return (options, ResolverConfig::default(), problems);
            }
        };
        let cc = &effective.compiler_options;
        options.target = Target::parse(cc.target.value.as_str()).unwrap_or(Target::Es2020);
        options.module = if cc.module.value.as_str() == "esm" {
            ModuleKind::Esm
        } else {
            ModuleKind::Cjs
        };
        options.type_check = cc.type_check.value;
        options.lang = self.forced_lang.unwrap_or_else(|| {
            cc.lang
                .value
                .map(|l| l.to_lang())
                .unwrap_or(self.client_lang)
        });
        let res = &effective.resolution;
        let base_url = res.base_url.value.clone().or_else(|| {
            (!res.paths.value.is_empty())
                .then(|| file.parent().map(Path::to_path_buf))
                .flatten()
        });
        let resolver = ResolverConfig {
            base_url,
            paths: res
                .paths
                .value
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        };
        (options, resolver, problems)
    }

    /// The analysis of a Somon file of some project (checked again only
    /// when its text, its options or what it imports changed).
    pub fn analysis(&mut self, path: &Path) -> Option<Arc<FileAnalysis>> {
        self.rebuild();
        let config = self.config_of(path);
        let project = self.projects.get(&config)?;
        let id = project.module_id(path)?;
        let module = project.graph.modules.get(id)?;
        if !matches!(module.source, ModuleSource::Somon(_)) {
            return None;
        }
        let import_key = project.exports.import_key(&project.graph, id);
        let o = &project.options;
        let text_key = hash_of(&[&|h| module.text.as_str().hash(h)]);
        let key = hash_of(&[&|h| text_key.hash(h), &|h| import_key.hash(h), &|h| {
            format!("{:?}{:?}{}{:?}", o.target, o.module, o.type_check, o.lang).hash(h)
        }]);
        if let Some(a) = self.analyses.get(path) {
            if a.key == key {
                return Some(a.clone());
            }
        }
        let module_diagnostics: Vec<Diagnostic> = module
            .diagnostics
            .iter()
            .filter(|d| d.code() == "MODULE_NOT_FOUND")
            .cloned()
            .collect();
        let reused = match self.parses.remove(path) {
            Some((k, parsed)) if k == text_key => Some(parsed),
            _ => None,
        };
        if self.token.is_cancelled() {
            // Stopped between the parse and the check: the parse waits
            // for the next pass.
            if let Some(parsed) = reused {
                self.parses.insert(path.to_path_buf(), (text_key, parsed));
            }
            return None;
        }
        let started = Instant::now();
        let analysis = match reused {
            Some(mut parsed) => {
                // The tree is the graph's: lent to the check, then put
                // back.
                let module = self.projects.get_mut(&config)?.graph.modules.get_mut(id)?;
                if let ModuleSource::Somon(program) = &mut module.source {
                    parsed.program = std::mem::replace(&mut **program, empty_program());
                }
                let project = self.projects.get(&config)?;
                let imports = project.exports.imports(&project.graph, id);
                let mut analysis = somon_compiler::analyze_parsed(
                    parsed,
                    &project.options,
                    &imports,
                    module_diagnostics,
                );
                let program = std::mem::replace(&mut analysis.program, empty_program());
                let module = self.projects.get_mut(&config)?.graph.modules.get_mut(id)?;
                module.source = ModuleSource::Somon(Box::new(program));
                analysis
            }
            None => {
                let project = self.projects.get(&config)?;
                let module = project.graph.modules.get(id)?;
                let imports = project.exports.imports(&project.graph, id);
                somon_compiler::analyze_module(
                    &module.text,
                    &project.options,
                    &imports,
                    module_diagnostics,
                )
            }
        };
        self.mark("check", started);
        let module = self.projects.get(&config)?.graph.modules.get(id)?;
        let text: Arc<str> = Arc::from(module.text.as_str());
        let a = Arc::new(FileAnalysis {
            path: path.to_path_buf(),
            lines: LineMap::new(&text),
            text,
            diagnostics: analysis.diagnostics,
            model: analysis.model,
            key,
        });
        if let Some(old) = self.analyses.insert(path.to_path_buf(), a.clone()) {
            discard(&mut self.garbage, Box::new(old));
        }
        Some(a)
    }

    /// Analyses `text` as if it were the content of `path` (completion
    /// and signature help on a patched copy of the buffer).
    pub fn analyze_text(&mut self, path: &Path, text: &str) -> Option<SemanticModel> {
        self.rebuild();
        let project = self.projects.get(&self.config_of(path))?;
        let id = project.module_id(path)?;
        let imports = project.exports.imports(&project.graph, id);
        Some(somon_compiler::analyze_module(text, &project.options, &imports, Vec::new()).model)
    }

    /// The text of a file: its buffer, else the disk.
    pub fn text_of(&self, path: &Path) -> Option<Arc<str>> {
        if let Some(t) = self.overlay.docs.get(path) {
            return Some(t.clone());
        }
        std::fs::read_to_string(path).ok().map(Arc::from)
    }
}
