//! Bundling a module graph into one JavaScript file.

use crate::fs::{FileSystem, PathStyle};
use crate::graph::{build_graph_with, load, Graph, ImportTarget, Module, ModuleSource};
use crate::resolve::{Resolver, ResolverConfig};
use rayon::prelude::*;
use somon_diagnostics::{sort_diagnostics, Diagnostic, Lang, Message, ResolvedDiagnostic};
use somon_emit::bundle::{
    BundleEmitter, BundleFormat, BundleModule, BundleModuleKind, BundleOptions, Chunk, ModulePiece,
    Platform,
};
use somon_emit::EmitOptions;
use somon_syntax::ast::Program;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CircularPolicy {
    /// Cycles work as Node runs them; a warning names each one.
    #[default]
    Warn,
    Error,
}

#[derive(Clone, Debug)]
pub struct BundleRequest {
    /// Absolute path of the entry module.
    pub entry: PathBuf,
    /// Where the bundle will be written (map `sources` are relative to its
    /// folder); the entry's folder when `None`.
    pub output: Option<PathBuf>,
    /// Diagnostics name files relative to this folder.
    pub display_base: PathBuf,
    pub format: BundleFormat,
    /// Where the bundle runs: only for Node.js may it use Node's built-in
    /// modules.
    pub platform: Platform,
    pub global_name: Option<String>,
    pub externals: Vec<String>,
    pub emit: EmitOptions,
    pub type_check: bool,
    pub lang: Lang,
    pub circular: CircularPolicy,
    pub resolver: ResolverConfig,
    /// Drop top-level statements no entry reaches (hoisted modules).
    pub tree_shaking: bool,
}

impl BundleRequest {
    /// A request with the defaults of `somon bundle`: Node.js platform,
    /// type checking and tree shaking on, no externals, no global name,
    /// default emit, language, cycle policy and resolver; the bundle's
    /// folder is the entry's. Callers change what they need with `..`.
    pub fn new(entry: PathBuf, display_base: PathBuf, format: BundleFormat) -> Self {
        BundleRequest {
            entry,
            output: None,
            display_base,
            format,
            platform: Platform::Node,
            global_name: None,
            externals: Vec::new(),
            emit: EmitOptions::default(),
            type_check: true,
            lang: Lang::default(),
            circular: CircularPolicy::default(),
            resolver: ResolverConfig::default(),
            tree_shaking: true,
        }
    }
}

#[derive(Debug)]
pub struct BundleOutput {
    /// `None` when any module has an error: no partial bundle.
    pub code: Option<String>,
    pub map: Option<String>,
    pub diagnostics: Vec<ResolvedDiagnostic>,
    pub modules: usize,
    /// Every file of the module graph (sources, JavaScript, JSON), sorted:
    /// what an output must never replace.
    pub files: Vec<PathBuf>,
    /// Every module of the graph (the entry first), for a metafile.
    pub inputs: Vec<crate::metafile::InputReport>,
    /// Each bundled module (as [`crate::metafile::InputReport::path`]) and
    /// the bytes of the bundle that are its own; the rest of the bundle
    /// (runtime, shared helpers, separators) belongs to no module.
    pub module_bytes: Vec<(String, usize)>,
    /// The names an ES module bundle exports.
    pub exports: Vec<String>,
}

/// A split build's chunks for reports: each chunk's module sizes by
/// input path, and an entry chunk's entry as its input path.
fn chunks_by_input(
    chunks: &mut [somon_emit::bundle::Chunk],
    keys: &[String],
    inputs: &[crate::metafile::InputReport],
) {
    for c in chunks {
        c.module_bytes = bytes_by_input(keys, inputs, std::mem::take(&mut c.module_bytes));
        c.entry_point = c.entry.as_ref().map(|k| {
            keys.iter()
                .zip(inputs)
                .find(|(key, _)| *key == k)
                .map_or_else(|| k.clone(), |(_, i)| i.path.clone())
        });
    }
}

/// `assembled`'s module sizes by input path (module keys are relative to
/// the entry's folder; inputs to the working folder): keys and inputs are
/// both in graph order.
pub(crate) fn bytes_by_input(
    keys: &[String],
    inputs: &[crate::metafile::InputReport],
    module_bytes: Vec<(String, usize)>,
) -> Vec<(String, usize)> {
    let path_of: HashMap<&str, &str> = keys
        .iter()
        .zip(inputs)
        .map(|(k, i)| (k.as_str(), i.path.as_str()))
        .collect();
    module_bytes
        .into_iter()
        .map(|(key, bytes)| {
            let path = path_of
                .get(key.as_str())
                .map_or(key.clone(), |p| p.to_string());
            (path, bytes)
        })
        .collect()
}

/// Resolves a graph's diagnostics, module by module, in module order.
pub(crate) fn resolve_all(
    graph: &Graph,
    per_module: Vec<Vec<Diagnostic>>,
    base: &Path,
    lang: Lang,
) -> Vec<ResolvedDiagnostic> {
    let mut out = Vec::new();
    for (m, mut diags) in graph.modules.iter().zip(per_module) {
        if diags.is_empty() {
            continue;
        }
        sort_diagnostics(&mut diags);
        let file = graph.style.relative(base, &m.path);
        out.extend(somon_diagnostics::resolve_all(&diags, &file, &m.text, lang));
    }
    out
}

/// The folders a bundle's names are relative to: module keys to the
/// entry's, map `sources` to the output's.
pub(crate) struct Folders {
    pub(crate) entry: PathBuf,
    pub(crate) output: PathBuf,
}

impl Folders {
    pub(crate) fn new(req: &BundleRequest, style: PathStyle) -> Folders {
        let entry = style.parent(&req.entry).unwrap_or_default();
        let output = req
            .output
            .as_ref()
            .and_then(|o| style.parent(o))
            .unwrap_or_else(|| entry.clone());
        Folders { entry, output }
    }
}

pub(crate) fn bundle_options(req: &BundleRequest) -> BundleOptions {
    BundleOptions {
        format: req.format,
        platform: req.platform,
        global_name: req.global_name.clone(),
        emit: req.emit.clone(),
        tree_shaking: req.tree_shaking,
    }
}

/// Whether a module is type-checked: a Somon module whose loading gave no
/// error but imports that lead nowhere (as in a file-by-file compile).
pub(crate) fn wants_check(req: &BundleRequest, m: &Module) -> bool {
    req.type_check
        && matches!(m.source, ModuleSource::Somon(_))
        && !m
            .diagnostics
            .iter()
            .any(|d| d.is_error() && d.code() != "MODULE_NOT_FOUND")
}

/// For a bundle that does not run on Node.js, an error at each import of
/// a Node.js built-in module (unless it is listed as external).
pub(crate) fn add_platform_diagnostics(
    graph: &Graph,
    req: &BundleRequest,
    per_module: &mut [Vec<Diagnostic>],
) {
    if req.platform == Platform::Node {
        return;
    }
    for (m, slot) in graph.modules.iter().zip(per_module.iter_mut()) {
        for i in &m.imports {
            let builtin =
                matches!(&i.target, Some(ImportTarget::External(b)) if crate::is_builtin(b));
            if builtin && !req.externals.iter().any(|e| e == &i.specifier) {
                slot.push(Diagnostic::error(
                    Message::NodeBuiltinOnPlatform {
                        specifier: i.specifier.clone(),
                        platform: req.platform.as_str().to_string(),
                    },
                    i.span,
                ));
            }
        }
    }
}

/// What a module may not contain at the bundle's target (the `v` flag of
/// regular expressions below esnext).
pub(crate) fn target_diagnostics(req: &BundleRequest, m: &Module) -> Vec<Diagnostic> {
    if req.emit.target >= somon_emit::Target::EsNext || !matches!(m.source, ModuleSource::Somon(_))
    {
        return Vec::new();
    }
    somon_emit::target_diagnostics(
        &somon_syntax::parser::unicode_sets_regexes(&m.text),
        req.emit.target,
    )
}

/// A warning (or error) for each import cycle, at the import that closes it.
pub(crate) fn add_cycle_diagnostics(
    graph: &Graph,
    req: &BundleRequest,
    entry_dir: &Path,
    per_module: &mut [Vec<Diagnostic>],
) {
    for cycle in graph.cycles() {
        let (Some(&from), Some(&to)) = (cycle.first(), cycle.get(1)) else {
            continue;
        };
        let span = graph
            .modules
            .get(from)
            .and_then(|m| {
                m.imports
                    .iter()
                    .find(|i| i.target == Some(ImportTarget::Module(to)))
            })
            .map(|i| i.span)
            .unwrap_or_default();
        let message = Message::CircularImport {
            cycle: graph.describe_cycle(&cycle, entry_dir),
        };
        let d = match req.circular {
            CircularPolicy::Warn => Diagnostic::warning(message, span),
            CircularPolicy::Error => Diagnostic::error(message, span),
        };
        if let Some(slot) = per_module.get_mut(from) {
            slot.push(d);
        }
    }
}

/// Each module's key: its path relative to the entry's folder.
pub(crate) fn module_keys(graph: &Graph, entry_dir: &Path) -> Vec<String> {
    graph
        .modules
        .par_iter()
        .map(|m| graph.style.relative(entry_dir, &m.path))
        .collect()
}

/// What the emitter gets for module `id`: its key, its map name, its text
/// and imports mapped to keys, and for a Somon module `program` (the
/// incremental bundler passes an empty one to learn a module's
/// [`BundleModule::fingerprint`], and the tree only when it emits).
pub(crate) fn module_input<'g>(
    graph: &'g Graph,
    id: usize,
    keys: &[String],
    out_dir: &Path,
    program: Box<Program>,
    hoisted: &[bool],
    side_effect_free: &[bool],
) -> Option<BundleModule<'g>> {
    let m = graph.modules.get(id)?;
    let key_of = |id: usize| keys.get(id).cloned().unwrap_or_default();
    let specifiers: HashMap<String, String> = m
        .imports
        .iter()
        .filter_map(|i| match &i.target {
            Some(ImportTarget::Module(t)) => Some((i.specifier.clone(), key_of(*t))),
            _ => None,
        })
        .collect();
    // Modules an ES module sees as Node sees CommonJS (default import =
    // `module.exports`).
    let commonjs_module = |t: usize| {
        graph
            .modules
            .get(t)
            .is_some_and(|m| matches!(m.source, ModuleSource::Js | ModuleSource::Json))
    };
    let kind = match &m.source {
        ModuleSource::Somon(_) => BundleModuleKind::Somon {
            program,
            source: &m.text,
            specifiers,
        },
        ModuleSource::Json => BundleModuleKind::Json { text: &m.text },
        _ => BundleModuleKind::Js {
            text: &m.text,
            commonjs: m
                .imports
                .iter()
                .filter(|i| match &i.target {
                    Some(ImportTarget::Module(t)) => commonjs_module(*t),
                    _ => false,
                })
                .map(|i| i.specifier.clone())
                .collect(),
            specifiers,
        },
    };
    Some(BundleModule {
        key: key_of(id),
        source_name: graph.style.relative(out_dir, &m.path),
        kind,
        hoist: hoisted.get(id).copied().unwrap_or(false),
        side_effect_free: side_effect_free.get(id).copied().unwrap_or(false),
    })
}

/// Which modules their package declares free of side effects: the
/// nearest `package.json` above a file under `node_modules` says
/// `"sideEffects": false`, or lists globs none of which matches the file
/// (a glob without `/` matches the file name; `*` within a folder, `**`
/// across folders, as bundlers read them).
pub(crate) fn side_effect_free_modules(graph: &Graph, fs: &dyn FileSystem) -> Vec<bool> {
    let style = graph.style;
    let mut manifests: HashMap<PathBuf, Option<(PathBuf, serde_json::Value)>> = HashMap::new();
    graph
        .modules
        .iter()
        .map(|m| {
            let in_package = m.path.components().any(|c| c.as_os_str() == "node_modules");
            if !in_package {
                return false;
            }
            let mut dir = m.path.parent().map(Path::to_path_buf);
            let mut found = None;
            while let Some(d) = dir {
                let entry = manifests.entry(d.clone()).or_insert_with(|| {
                    let file = d.join("package.json");
                    fs.read_to_string(&file)
                        .ok()
                        .and_then(|t| serde_json::from_str(&t).ok())
                        .map(|v| (d.clone(), v))
                });
                if let Some(found_here) = entry.clone() {
                    found = Some(found_here);
                    break;
                }
                if d.file_name().is_some_and(|n| n == "node_modules") {
                    break;
                }
                dir = d.parent().map(Path::to_path_buf);
            }
            let Some((root, manifest)) = found else {
                return false;
            };
            match manifest.get("sideEffects") {
                Some(serde_json::Value::Bool(b)) => !b,
                Some(serde_json::Value::Array(globs)) => {
                    let rel = style.relative(&root, &m.path);
                    let rel = rel.strip_prefix("./").unwrap_or(&rel);
                    let name = rel.rsplit('/').next().unwrap_or(rel);
                    !globs.iter().filter_map(|g| g.as_str()).any(|g| {
                        let g = g.strip_prefix("./").unwrap_or(g);
                        if g.contains('/') {
                            glob_matches(g, rel)
                        } else {
                            glob_matches(g, name)
                        }
                    })
                }
                _ => false,
            }
        })
        .collect()
}

/// `*` (within a folder) and `**` (across folders) globs, by dynamic
/// programming over (pattern position, text position): no recursion.
pub(crate) fn glob_matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // reach[j]: the pattern so far matches t[..j].
    let mut reach = vec![false; t.len() + 1];
    if let Some(r) = reach.first_mut() {
        *r = true;
    }
    let mut i = 0;
    while i < p.len() {
        let c = p.get(i).copied().unwrap_or_default();
        let mut next = vec![false; t.len() + 1];
        if c == '*' {
            let double = p.get(i + 1) == Some(&'*');
            let mut on = false;
            for j in 0..=t.len() {
                if reach.get(j).copied().unwrap_or(false) {
                    on = true;
                }
                if let Some(n) = next.get_mut(j) {
                    *n = on;
                }
                if !double && t.get(j) == Some(&'/') {
                    on = false;
                }
            }
            i += if double { 2 } else { 1 };
            // `**/` also matches no folder at all.
            if double && p.get(i) == Some(&'/') {
                let skip = reach.clone();
                i += 1;
                let mut after = vec![false; t.len() + 1];
                for j in 0..t.len() {
                    if next.get(j).copied().unwrap_or(false) && t.get(j) == Some(&'/') {
                        if let Some(a) = after.get_mut(j + 1) {
                            *a = true;
                        }
                    }
                }
                for (j, a) in after.iter_mut().enumerate() {
                    *a |= skip.get(j).copied().unwrap_or(false);
                }
                reach = after;
                continue;
            }
        } else {
            for j in 0..t.len() {
                if reach.get(j).copied().unwrap_or(false)
                    && (t.get(j) == Some(&c) || (c == '?' && t.get(j) != Some(&'/')))
                {
                    if let Some(n) = next.get_mut(j + 1) {
                        *n = true;
                    }
                }
            }
            i += 1;
        }
        reach = next;
    }
    reach.last().copied().unwrap_or(false)
}

/// Whether a module's text may use CommonJS's per-module names
/// (`require`, `module`, `exports`, `__filename`, `__dirname`) as
/// variables: such a module keeps its factory, which gives it its own. A
/// word that is not a property (`x.module`) counts wherever it is, even
/// in a string: a module is hoisted only when none is there at all.
pub(crate) fn uses_commonjs_globals(text: &str) -> bool {
    const NAMES: [&str; 5] = ["require", "module", "exports", "__filename", "__dirname"];
    let is_ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    NAMES.iter().any(|name| {
        text.match_indices(name).any(|(at, _)| {
            let before = text.get(..at).and_then(|t| t.chars().next_back());
            let after = text.get(at + name.len()..).and_then(|t| t.chars().next());
            !before.is_some_and(|c| is_ident(c) || c == '.') && !after.is_some_and(is_ident)
        })
    })
}

/// [`uses_commonjs_globals`] for Somon source, by its tokens: a name in a
/// comment or a string does not count (a split build has no factory to
/// fall back on, so it reads the source more closely).
pub(crate) fn names_commonjs_globals(text: &str) -> bool {
    use somon_syntax::token::{TokenKind, P};
    const NAMES: [&str; 5] = ["require", "module", "exports", "__filename", "__dirname"];
    if !uses_commonjs_globals(text) {
        return false;
    }
    let lexed = somon_syntax::lexer::tokenize(text);
    let mut after_dot = false;
    for t in &lexed.tokens {
        if t.kind == TokenKind::Word && !after_dot && NAMES.contains(&t.name(text)) {
            return true;
        }
        after_dot = matches!(
            t.kind,
            TokenKind::Punct(P::Dot) | TokenKind::Punct(P::QuestionDot)
        );
    }
    false
}

/// Which modules are hoisted: the Somon and ES module JavaScript modules
/// the entry (module 0, a Somon module) reaches through static imports of
/// such modules (that do not use CommonJS's per-module names). The
/// rest — CommonJS, JSON, JavaScript, and what only `import()` or
/// another kept module reaches (its evaluation stays lazy) — keep a
/// factory in the module table.
pub(crate) fn hoisted_modules(graph: &Graph) -> Vec<bool> {
    let n = graph.modules.len();
    let mut hoisted = vec![false; n];
    // Each module's text is read once, all in parallel.
    let hoistable: Vec<bool> = graph
        .modules
        .par_iter()
        .map(|m| match m.source {
            ModuleSource::Somon(_) => !uses_commonjs_globals(&m.text),
            // ES module JavaScript, without `import.meta` (which names the
            // bundle only in a factory's conversion).
            ModuleSource::EsmJs => {
                !uses_commonjs_globals(&m.text) && !m.text.contains("import.meta")
            }
            _ => false,
        })
        .collect();
    let is_somon = |id: usize| hoistable.get(id).copied().unwrap_or(false);
    let entry_is_somon = graph
        .modules
        .first()
        .is_some_and(|m| matches!(m.source, ModuleSource::Somon(_)));
    if n == 0 || !entry_is_somon || !is_somon(0) {
        return hoisted;
    }
    if let Some(h) = hoisted.get_mut(0) {
        *h = true;
    }
    let mut work = vec![0usize];
    while let Some(id) = work.pop() {
        let Some(m) = graph.modules.get(id) else {
            continue;
        };
        for i in &m.imports {
            if i.dynamic {
                continue;
            }
            if let Some(ImportTarget::Module(t)) = &i.target {
                if is_somon(*t) {
                    if let Some(h) = hoisted.get_mut(*t) {
                        if !*h {
                            *h = true;
                            work.push(*t);
                        }
                    }
                }
            }
        }
    }
    hoisted
}

/// An empty tree: stands for a module's own until it is needed.
pub(crate) fn no_program() -> Box<Program> {
    Box::new(Program {
        body: Vec::new(),
        span: Default::default(),
    })
}

/// `work` on every item, in parallel, results in order: runs of items on
/// workers with large stacks of their own (deep but legal input nests
/// deeply in swc's passes and the checker).
pub(crate) fn on_large_stacks<T: Send, R: Send>(
    items: Vec<T>,
    work: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    const STACK: usize = 256 * 1024 * 1024;
    let runs = rayon::current_num_threads().max(1) * 4;
    let per_run = items.len().div_ceil(runs).max(1);
    let mut chunks: Vec<Vec<T>> = Vec::with_capacity(runs);
    let mut items = items.into_iter();
    loop {
        let chunk: Vec<_> = items.by_ref().take(per_run).collect();
        if chunk.is_empty() {
            break;
        }
        chunks.push(chunk);
    }
    chunks
        .into_par_iter()
        .map(|chunk| stacker::grow(STACK, || chunk.into_iter().map(&work).collect::<Vec<_>>()))
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect()
}

/// A Somon module's tree, parsed again from its text.
struct Parsed {
    program: Box<Program>,
    /// Regular expressions with the `v` flag (the parse finds them: no
    /// second pass over the text for `target_diagnostics`).
    unicode_sets: Vec<somon_diagnostics::Span>,
    /// The parse's diagnostics when the graph walk only scanned the text
    /// (`graph::load_scanned`); otherwise they are the module's already.
    syntax: Vec<Diagnostic>,
    /// Whether the parse imports what the graph walk found.
    same_imports: bool,
}

fn parse_somon(m: &Module, scanned: bool) -> Option<Parsed> {
    matches!(m.source, ModuleSource::Somon(_)).then(|| {
        let mut parsed = somon_syntax::parse(&m.text);
        let (syntax, same_imports) = if scanned {
            let specs = crate::graph::import_specifiers(&parsed.program, &parsed.dynamic_imports);
            let same = specs.len() == m.imports.len()
                && specs
                    .iter()
                    .zip(&m.imports)
                    .all(|((spec, span, dynamic), i)| {
                        *spec == i.specifier && *span == i.span && *dynamic == i.dynamic
                    });
            (crate::graph::syntax_diagnostics(&mut parsed), same)
        } else {
            (Vec::new(), true)
        };
        Parsed {
            program: Box::new(parsed.program),
            unicode_sets: parsed.unicode_sets_regexes,
            syntax,
            same_imports,
        }
    })
}

/// `work` on every module `0..waits.len()`, in parallel, each after the
/// modules it waits for (`waits[m]`, which must not form a cycle), results
/// in module order. Workers are threads of their own with large stacks
/// (deep but legal input nests deeply in swc's passes and the checker),
/// as many as rayon's thread count; a module whose dependencies are done
/// goes to the first idle worker. Results depend only on each module and
/// what it waits for, never on which thread ran it. A panic in `work`
/// lets the other modules finish, then continues on the calling thread.
pub(crate) fn in_dependency_order<R: Send>(
    waits: &[Vec<usize>],
    work: impl Fn(usize) -> R + Sync,
) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Condvar, Mutex};
    const STACK: usize = 256 * 1024 * 1024;
    let n = waits.len();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (id, w) in waits.iter().enumerate() {
        for &d in w {
            if let Some(list) = dependents.get_mut(d) {
                list.push(id);
            }
        }
    }
    let pending: Vec<AtomicUsize> = waits.iter().map(|w| AtomicUsize::new(w.len())).collect();
    struct Queue {
        ready: std::collections::VecDeque<usize>,
        left: usize,
    }
    let queue = Mutex::new(Queue {
        ready: (0..n)
            .filter(|&id| waits.get(id).is_some_and(Vec::is_empty))
            .collect(),
        left: n,
    });
    let wake = Condvar::new();
    let results: Vec<Mutex<Option<R>>> = (0..n).map(|_| Mutex::new(None)).collect();
    let panicked: Mutex<Option<Box<dyn std::any::Any + Send>>> = Mutex::new(None);
    let worker = || loop {
        let next = {
            let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
            loop {
                if let Some(id) = q.ready.pop_front() {
                    break Some(id);
                }
                if q.left == 0 {
                    break None;
                }
                q = wake.wait(q).unwrap_or_else(|e| e.into_inner());
            }
        };
        let Some(id) = next else {
            break;
        };
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(id))) {
            Ok(r) => {
                if let Some(cell) = results.get(id) {
                    *cell.lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
                }
            }
            Err(payload) => {
                let mut p = panicked.lock().unwrap_or_else(|e| e.into_inner());
                p.get_or_insert(payload);
            }
        }
        let mut now_ready = Vec::new();
        for &t in dependents.get(id).map(Vec::as_slice).unwrap_or_default() {
            if pending
                .get(t)
                .is_some_and(|p| p.fetch_sub(1, Ordering::AcqRel) == 1)
            {
                now_ready.push(t);
            }
        }
        let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
        q.left -= 1;
        q.ready.extend(now_ready);
        wake.notify_all();
    };
    let threads = rayon::current_num_threads().clamp(1, n.max(1));
    std::thread::scope(|scope| {
        for _ in 1..threads {
            // Without a thread, the others (and the caller) do its share.
            let _ = std::thread::Builder::new()
                .stack_size(STACK)
                .spawn_scoped(scope, worker);
        }
        stacker::grow(STACK, worker);
    });
    if let Some(payload) = panicked.into_inner().unwrap_or_else(|e| e.into_inner()) {
        std::panic::resume_unwind(payload);
    }
    results
        .into_iter()
        .filter_map(|cell| cell.into_inner().unwrap_or_else(|e| e.into_inner()))
        .collect()
}

pub(crate) fn internal_error(
    req: &BundleRequest,
    style: PathStyle,
    message: &str,
) -> ResolvedDiagnostic {
    ResolvedDiagnostic::whole_file(
        "INTERNAL",
        &style.relative(&req.display_base, &req.entry),
        format!("internal compiler error while bundling: {message}"),
    )
}

/// A module's piece, or why it could not be printed.
type PieceResult = Result<ModulePiece, String>;

/// Bundles `req.entry` and everything it imports.
///
/// Memory stays bounded by the work in flight, not by the graph: the
/// graph keeps each module's text, imports and diagnostics but no tree; a
/// Somon module is parsed again where a pass needs its tree (its exports,
/// in dependency order; then its check and its emission, together, on a
/// worker), and the tree is dropped as soon as the module's piece is
/// printed. Pieces are text and mappings; they are joined at the end.
pub fn bundle(req: &BundleRequest, fs: &dyn FileSystem) -> BundleOutput {
    bundle_inner(req, None, fs, true).0
}

/// What a split build adds to a [`BundleRequest`] (ES module output).
#[derive(Clone, Debug, Default)]
pub struct SplitRequest {
    /// More entry modules (absolute paths), after `req.entry`.
    pub more_entries: Vec<PathBuf>,
    /// Name template of chunks that are not static entries (`[name]`,
    /// `[hash]`; `.js` is added).
    pub chunk_names: String,
}

/// A split build: [`BundleOutput`] without `code`/`map` (its sizes and
/// files), and the chunks (empty when a module has an error).
pub fn bundle_split(
    req: &BundleRequest,
    split: &SplitRequest,
    fs: &dyn FileSystem,
) -> (BundleOutput, Vec<Chunk>) {
    bundle_inner(req, Some(split), fs, true)
}

/// Which modules a split build hoists: [`hoisted_modules`] from every
/// static entry and every `import()` target (each is an entry).
pub(crate) fn hoisted_modules_split(graph: &Graph, entries: &[usize]) -> Vec<bool> {
    let n = graph.modules.len();
    let mut hoisted = vec![false; n];
    let hoistable: Vec<bool> = graph
        .modules
        .par_iter()
        .map(|m| match m.source {
            ModuleSource::Somon(_) => !names_commonjs_globals(&m.text),
            ModuleSource::EsmJs => {
                !uses_commonjs_globals(&m.text) && !m.text.contains("import.meta")
            }
            _ => false,
        })
        .collect();
    let hoistable = |id: usize| hoistable.get(id).copied().unwrap_or(false);
    let mut work: Vec<usize> = entries.iter().copied().filter(|e| hoistable(*e)).collect();
    for &e in &work {
        if let Some(h) = hoisted.get_mut(e) {
            *h = true;
        }
    }
    while let Some(id) = work.pop() {
        let Some(m) = graph.modules.get(id) else {
            continue;
        };
        for i in &m.imports {
            if let Some(ImportTarget::Module(t)) = &i.target {
                if hoistable(*t) {
                    if let Some(h) = hoisted.get_mut(*t) {
                        if !*h {
                            *h = true;
                            work.push(*t);
                        }
                    }
                }
            }
        }
    }
    hoisted
}

/// `scan`: the graph walk finds a Somon module's imports by scanning its
/// tokens (no tree); the one parse on the worker gives its syntax
/// diagnostics. Should a parse import other than the scan found (only
/// text with syntax errors can), the bundle is made again with the
/// graph walk parsing every module, so the output is always that of the
/// parse's imports.
fn bundle_inner(
    req: &BundleRequest,
    split: Option<&SplitRequest>,
    fs: &dyn FileSystem,
    scan: bool,
) -> (BundleOutput, Vec<Chunk>) {
    let resolver = Resolver::new(fs, req.resolver.clone());
    let mut entries = vec![req.entry.clone()];
    if let Some(split) = split {
        for e in &split.more_entries {
            if !entries.contains(e) {
                entries.push(e.clone());
            }
        }
    }
    let graph = build_graph_with(&entries, &req.externals, fs.style(), &|p| {
        if scan {
            return crate::graph::load_scanned(p, fs, &resolver);
        }
        let mut loaded = load(p, fs, &resolver);
        if let ModuleSource::Somon(program) = &mut loaded.source {
            *program = no_program();
        }
        loaded
    });
    let folders = Folders::new(req, fs.style());

    let keys = module_keys(&graph, &folders.entry);
    let entry_ids: Vec<usize> = entries
        .iter()
        .filter_map(|e| graph.by_path.get(e).copied())
        .collect();
    let hoisted = match split {
        Some(_) => hoisted_modules_split(&graph, &entry_ids),
        None => hoisted_modules(&graph),
    };
    let pure = side_effect_free_modules(&graph, fs);
    let emitter = BundleEmitter::new(bundle_options(req)).map(|e| match split {
        Some(_) => e.for_chunks(),
        None => e,
    });
    // Each module is checked against what the modules it imports export,
    // computed in dependency order (`LiveExports`). Syntax diagnostics
    // come from loading; then, per module on a worker, as soon as the
    // exports it sees are known: the tree again, its exports, its type
    // check (a Somon module that loaded without errors), and its piece
    // while no error is known (a bundle with errors drops them all). A
    // module in an import cycle is checked and emitted after all exports
    // are known, from a parse of its own.
    let live = crate::typecheck::LiveExports::new(&graph);
    let n = graph.modules.len();
    let waits: Vec<Vec<usize>> = (0..n)
        .map(|id| match req.type_check {
            true => live.waits_for(&graph, id),
            false => Vec::new(),
        })
        .collect();
    let differs = std::sync::atomic::AtomicBool::new(false);
    let finish = |id: usize,
                  m: &Module,
                  parsed: Option<Parsed>,
                  imports: &dyn somon_check::ModuleImports| {
        let (program, unicode_sets, mut d) = match parsed {
            Some(p) => {
                if !p.same_imports {
                    differs.store(true, std::sync::atomic::Ordering::Relaxed);
                }
                (Some(p.program), p.unicode_sets, p.syntax)
            }
            None => (None, Vec::new(), Vec::new()),
        };
        let syntax_ok = !d
            .iter()
            .any(|d| d.is_error() && d.code() != "MODULE_NOT_FOUND");
        d.extend(m.diagnostics.iter().cloned());
        if req.emit.target < somon_emit::Target::EsNext {
            d.extend(somon_emit::target_diagnostics(
                &unicode_sets,
                req.emit.target,
            ));
        }
        if let Some(program) = &program {
            if syntax_ok && wants_check(req, m) {
                d.extend(
                    somon_check::check_module(program, imports, Default::default()).diagnostics,
                );
            }
        }
        let piece = match &emitter {
            Ok(emitter) if !d.iter().any(Diagnostic::is_error) => {
                let program = program.unwrap_or_else(no_program);
                module_input(&graph, id, &keys, &folders.output, program, &hoisted, &pure)
                    .map(|input| emitter.emit_module(input))
            }
            _ => None,
        };
        (d, piece)
    };
    let first: Vec<Option<(Vec<Diagnostic>, Option<PieceResult>)>> =
        in_dependency_order(&waits, |id| {
            let Some(m) = graph.modules.get(id) else {
                return Some((Vec::new(), None));
            };
            let parsed = parse_somon(m, scan);
            if req.type_check {
                let exports = parsed.as_ref().map(|p| {
                    Arc::new(somon_check::module_exports(
                        &p.program,
                        &live.imports(&graph, id),
                    ))
                });
                live.set(id, exports);
                if !live.sees_all(&graph, id) {
                    return None;
                }
            }
            Some(finish(id, m, parsed, &live.imports(&graph, id)))
        });
    let exports = live.into_exports();
    let in_cycles: Vec<usize> = (0..n)
        .filter(|&id| matches!(first.get(id), Some(None)))
        .collect();
    let mut later = on_large_stacks(in_cycles, |id| {
        let m = graph.modules.get(id)?;
        Some(finish(
            id,
            m,
            parse_somon(m, scan),
            &exports.imports(&graph, id),
        ))
    })
    .into_iter();
    let done: Vec<(Vec<Diagnostic>, Option<PieceResult>)> = first
        .into_iter()
        .map(|r| r.or_else(|| later.next().flatten()).unwrap_or_default())
        .collect();
    // Types are not needed any more: only text is left to join. Freeing
    // them (allocated on the workers) takes a while: another thread does
    // it while the bundle is assembled.
    let _ = std::thread::Builder::new().spawn(move || drop(exports));
    if differs.into_inner() {
        drop((done, graph));
        return bundle_inner(req, split, fs, false);
    }
    let (mut per_module, pieces): (Vec<Vec<Diagnostic>>, Vec<_>) = done.into_iter().unzip();
    add_cycle_diagnostics(&graph, req, &folders.entry, &mut per_module);
    add_platform_diagnostics(&graph, req, &mut per_module);
    if split.is_some() {
        // A module kept in a factory (CommonJS, JSON, CommonJS names) goes
        // to the chunk of factories, loaded where ES modules import it. It
        // cannot be an entry or an `import()` target (a chunk of its own),
        // nor require a module that is an ES module of a chunk.
        let is_hoisted = |t: usize| hoisted.get(t).copied().unwrap_or(false);
        let mut unsplittable: Vec<bool> = graph
            .modules
            .iter()
            .enumerate()
            .map(|(id, m)| {
                !is_hoisted(id)
                    && (entry_ids.contains(&id)
                        || m.imports.iter().any(
                            |i| matches!(i.target, Some(ImportTarget::Module(t)) if is_hoisted(t)),
                        ))
            })
            .collect();
        for m in &graph.modules {
            for i in m.imports.iter().filter(|i| i.dynamic) {
                if let Some(ImportTarget::Module(t)) = i.target {
                    if !is_hoisted(t) {
                        if let Some(u) = unsplittable.get_mut(t) {
                            *u = true;
                        }
                    }
                }
            }
        }
        for (d, u) in per_module.iter_mut().zip(&unsplittable) {
            if *u {
                d.push(Diagnostic::error(
                    Message::SplittingNeedsEsModules,
                    Default::default(),
                ));
            }
        }
    }

    let has_errors = per_module.iter().flatten().any(Diagnostic::is_error);
    let diagnostics = resolve_all(&graph, per_module, &req.display_base, req.lang);
    let entry_keys: Vec<(String, PathBuf)> = entry_ids
        .iter()
        .zip(&entries)
        .filter_map(|(id, p)| keys.get(*id).map(|k| (k.clone(), p.clone())))
        .collect();
    let count = graph.modules.len();
    let mut files: Vec<PathBuf> = graph.modules.iter().map(|m| m.path.clone()).collect();
    files.sort();
    let inputs = crate::metafile::inputs_of(&graph, &req.display_base);
    drop(graph);
    let fail = |diagnostics, files, inputs| {
        (
            BundleOutput {
                code: None,
                map: None,
                diagnostics,
                modules: count,
                files,
                inputs,
                module_bytes: Vec::new(),
                exports: Vec::new(),
            },
            Vec::new(),
        )
    };
    if has_errors {
        return fail(diagnostics, files, inputs);
    }
    if let Some(split) = split {
        let emitted = emitter.and_then(|emitter| {
            let pieces = pieces
                .into_iter()
                .flatten()
                .collect::<Result<Vec<_>, _>>()?;
            let refs: Vec<&ModulePiece> = pieces.iter().collect();
            let named: Vec<(String, String)> = entry_keys
                .iter()
                .map(|(k, p)| {
                    let stem = p
                        .file_stem()
                        .map(|s| s.to_string_lossy().to_string())
                        .unwrap_or_else(|| "index".to_string());
                    (k.clone(), stem)
                })
                .collect();
            let names = if split.chunk_names.is_empty() {
                "[name]-[hash]"
            } else {
                split.chunk_names.as_str()
            };
            emitter.assemble_split(&refs, &named, names)
        });
        return match emitted {
            Ok(mut chunks) => {
                chunks_by_input(&mut chunks, &keys, &inputs);
                (
                    BundleOutput {
                        code: None,
                        map: None,
                        diagnostics,
                        modules: count,
                        module_bytes: bytes_by_input(
                            &keys,
                            &inputs,
                            chunks
                                .iter()
                                .flat_map(|c| c.module_bytes.iter().cloned())
                                .collect(),
                        ),
                        files,
                        inputs,
                        exports: Vec::new(),
                    },
                    chunks,
                )
            }
            Err(message) => {
                let mut d = diagnostics;
                d.push(internal_error(req, fs.style(), &message));
                fail(d, files, inputs)
            }
        };
    }
    let emitted = emitter.and_then(|emitter| {
        let pieces = pieces
            .into_iter()
            .flatten()
            .collect::<Result<Vec<_>, _>>()?;
        let refs: Vec<&ModulePiece> = pieces.iter().collect();
        emitter.assemble_measured(&refs, keys.first().map_or("", String::as_str))
    });
    match emitted {
        Ok(out) => (
            BundleOutput {
                code: Some(out.output.code),
                map: out.output.map,
                diagnostics,
                modules: count,
                files,
                module_bytes: bytes_by_input(&keys, &inputs, out.module_bytes),
                inputs,
                exports: out.exports,
            },
            Vec::new(),
        ),
        Err(message) => {
            let mut d = diagnostics;
            d.push(internal_error(req, fs.style(), &message));
            fail(d, files, inputs)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bundle from scanned imports is the bundle from parsed ones, also
    /// when a module's syntax errors make the scan find imports the parse
    /// does not (the bundle is then made again from parses).
    #[test]
    fn scanned_imports_bundle_as_parsed_ones() {
        let projects: [&[(&str, &str)]; 3] = [
            &[
                (
                    "/p/main.som",
                    "ворид { а } аз \"./а\";\nсодир * аз \"./б\";\nсодир { в } аз \"./б\";\nчоп.сабт(а, ворид(\"./лозим\"));\n",
                ),
                ("/p/а.som", "содир собит а = 1;\n"),
                ("/p/б.som", "содир собит в = 2;\n"),
                ("/p/лозим.som", "содир собит г = 3;\n"),
            ],
            &[
                (
                    "/p/main.som",
                    "ворид { \"а\" } аз \"./нест\";\nчоп.сабт(1);\n",
                ),
            ],
            &[
                (
                    "/p/main.som",
                    "ворид { а } аз \"./а\";\nсобит = ;\nчоп.сабт(а);\n",
                ),
                ("/p/а.som", "содир собит а = 1;\n"),
            ],
        ];
        // The second project is one where they differ.
        let broken = projects[1][0].1;
        let parsed = somon_syntax::parse(broken);
        assert_ne!(
            somon_syntax::scan::scan_imports(broken).len(),
            crate::graph::import_specifiers(&parsed.program, &parsed.dynamic_imports).len()
        );
        for files in projects {
            let fs = crate::fs::MemoryFs::new(files.iter().copied());
            let req = BundleRequest::new(
                PathBuf::from("/p/main.som"),
                PathBuf::from("/p"),
                BundleFormat::Esm,
            );
            let scanned = bundle_inner(&req, None, &fs, true).0;
            let parsed = bundle_inner(&req, None, &fs, false).0;
            assert_eq!(format!("{scanned:?}"), format!("{parsed:?}"));
        }
    }

    #[test]
    fn side_effect_globs_match_as_bundlers_read_them() {
        for (pattern, text, expected) in [
            ("*.css", "style.css", true),
            ("*.css", "dir/style.css", false),
            ("src/*.js", "src/a.js", true),
            ("src/*.js", "src/x/a.js", false),
            ("src/**/*.js", "src/a.js", true),
            ("src/**/*.js", "src/x/y/a.js", true),
            ("**/polyfill.js", "polyfill.js", true),
            ("**/polyfill.js", "lib/polyfill.js", true),
            ("lib/?.js", "lib/a.js", true),
            ("lib/?.js", "lib/ab.js", false),
            ("index.js", "index.js", true),
            ("index.js", "index.jsx", false),
        ] {
            assert_eq!(glob_matches(pattern, text), expected, "{pattern} {text}");
        }
    }

    #[test]
    fn commonjs_names_are_found_as_words() {
        assert!(names_commonjs_globals("собит ф = require(\"fs\");"));
        assert!(names_commonjs_globals("чоп.сабт(module?.id);"));
        assert!(!names_commonjs_globals(
            "// module.exports дар шарҳ\nчоп.сабт(\"require\", х.exports);"
        ));
        assert!(uses_commonjs_globals("собит ф = require(\"fs\");"));
        assert!(uses_commonjs_globals("чоп.сабт(module.id);"));
        assert!(!uses_commonjs_globals(
            "чоп.сабт(x.module, modules, requireX);"
        ));
    }
}
