//! Types across files: each Somon module's exports are computed once, in
//! dependency order (a module in an import cycle sees the modules it waits
//! for as `ҳар`), and every module is then checked against the exports of
//! what it imports. Bundles, project compiles, `check` and the watchers
//! all take their imports from here.

use crate::fs::FileSystem;
use crate::graph::{build_graph_of, Graph, ImportTarget, ModuleSource};
use crate::resolve::Resolver;
use somon_check::{ImportTarget as CheckTarget, ModuleExports, ModuleImports};
use somon_diagnostics::Diagnostic;
use somon_syntax::ast::Program;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What one module's imports lead to, for the checker.
pub struct GraphImports<'g> {
    graph: &'g Graph,
    exports: ExportsView<'g>,
    module: usize,
}

/// Where [`GraphImports`] finds the exports of a module.
enum ExportsView<'g> {
    /// Every module's, as computed so far (or all of them).
    Done(&'g [Option<Arc<ModuleExports>>]),
    /// [`LiveExports`]: a module's exports as the dependency-order
    /// computation saw them when it reached the importing module.
    Live(&'g LiveExports, usize),
}

impl ExportsView<'_> {
    fn get(&self, id: usize) -> Option<Arc<ModuleExports>> {
        match self {
            ExportsView::Done(all) => all.get(id).cloned().flatten(),
            ExportsView::Live(live, me) => live.seen_by(*me, id),
        }
    }
}

impl ModuleImports for GraphImports<'_> {
    fn resolve(&self, specifier: &str) -> CheckTarget {
        let Some(m) = self.graph.modules.get(self.module) else {
            return CheckTarget::Unknown;
        };
        let target = m
            .imports
            .iter()
            .find(|i| i.specifier == specifier && !i.dynamic)
            .and_then(|i| match &i.target {
                Some(ImportTarget::Module(id)) => self.exports.get(*id),
                _ => None,
            });
        match target {
            Some(e) => CheckTarget::Module(e),
            None => CheckTarget::Unknown,
        }
    }
}

/// How [`graph_exports`] gets one module's exports.
pub type ComputeExports<'c> =
    dyn FnMut(usize, &GraphImports<'_>, u64) -> Option<Arc<ModuleExports>> + 'c;

/// The exports of every Somon module of a graph, computed in dependency
/// order without recursion, with a fingerprint of each. `compute` is given
/// a module, what its imports lead to and the key of its imports' exports
/// (equal keys: the same types come in); it returns `None` for JavaScript,
/// JSON and modules it cannot read.
pub fn graph_exports(graph: &Graph, compute: &mut ComputeExports<'_>) -> Exports {
    graph_exports_with(graph, true, compute)
}

/// [`graph_exports`] for callers that never look at the key (a bundle):
/// `compute` is given 0 and no fingerprint is taken until
/// [`Exports::import_key`] asks for one (a fingerprint formats every
/// exported type: a fair part of a large bundle's serial time).
pub fn graph_exports_unkeyed(graph: &Graph, compute: &mut ComputeExports<'_>) -> Exports {
    graph_exports_with(graph, false, compute)
}

fn graph_exports_with(graph: &Graph, keyed: bool, compute: &mut ComputeExports<'_>) -> Exports {
    let n = graph.modules.len();
    let mut out = Exports {
        exports: vec![None; n],
        fingerprints: (0..n).map(|_| std::sync::OnceLock::new()).collect(),
    };
    for id in export_order(graph) {
        let key = if keyed { out.import_key(graph, id) } else { 0 };
        let computed = {
            let imports = GraphImports {
                graph,
                exports: ExportsView::Done(&out.exports),
                module: id,
            };
            compute(id, &imports, key)
        };
        if let Some(slot) = out.exports.get_mut(id) {
            *slot = computed;
        }
    }
    out
}

/// The order in which [`graph_exports`] computes modules: each after its
/// static dependencies (post-order of a depth-first walk from each module
/// in id order, without recursion); in a cycle, the module that closes it
/// comes before the modules it waits for.
fn export_order(graph: &Graph) -> Vec<usize> {
    let n = graph.modules.len();
    let mut order = Vec::with_capacity(n);
    // 0: not visited, 1: in progress, 2: done.
    let mut state = vec![0u8; n];
    for root in 0..n {
        if state.get(root) != Some(&0) {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        if let Some(s) = state.get_mut(root) {
            *s = 1;
        }
        while let Some((id, next)) = stack.pop() {
            let dep = graph.modules.get(id).and_then(|m| static_deps(m).nth(next));
            if let Some(dep) = dep {
                stack.push((id, next + 1));
                if state.get(dep) == Some(&0) {
                    if let Some(s) = state.get_mut(dep) {
                        *s = 1;
                    }
                    stack.push((dep, 0));
                }
                continue;
            }
            // Every dependency is done (or waits in a cycle): this one now.
            order.push(id);
            if let Some(s) = state.get_mut(id) {
                *s = 2;
            }
        }
    }
    order
}

/// Every module's exports computed in parallel, each module as soon as
/// the modules [`graph_exports`] would have computed before it are done:
/// module `m` sees the exports of a static dependency exactly when that
/// dependency comes before `m` in [`graph_exports`]'s order, so the
/// results are the same as the one-by-one computation's, whatever the
/// thread count. A bundle computes a module's exports, its check and its
/// piece from one parse this way.
pub struct LiveExports {
    /// Position of each module in [`export_order`].
    rank: Vec<usize>,
    cells: Vec<std::sync::OnceLock<Option<Arc<ModuleExports>>>>,
}

impl LiveExports {
    pub fn new(graph: &Graph) -> LiveExports {
        let n = graph.modules.len();
        let mut rank = vec![0; n];
        for (i, id) in export_order(graph).into_iter().enumerate() {
            if let Some(r) = rank.get_mut(id) {
                *r = i;
            }
        }
        LiveExports {
            rank,
            cells: (0..n).map(|_| std::sync::OnceLock::new()).collect(),
        }
    }

    fn rank(&self, id: usize) -> usize {
        self.rank.get(id).copied().unwrap_or(usize::MAX)
    }

    /// The modules whose exports module `id` sees: they must be computed
    /// before it (each once, ascending).
    pub fn waits_for(&self, graph: &Graph, id: usize) -> Vec<usize> {
        let mine = self.rank(id);
        let mut deps: Vec<usize> = graph
            .modules
            .get(id)
            .map(|m| static_deps(m).filter(|&d| self.rank(d) < mine).collect())
            .unwrap_or_default();
        deps.sort_unstable();
        deps.dedup();
        deps
    }

    /// Whether module `id` sees every static dependency's exports (it is in
    /// no import cycle): what it sees then is also what every module's
    /// final exports give it.
    pub fn sees_all(&self, graph: &Graph, id: usize) -> bool {
        let mine = self.rank(id);
        graph
            .modules
            .get(id)
            .is_none_or(|m| static_deps(m).all(|d| self.rank(d) < mine))
    }

    /// What module `id`'s imports lead to, as the one-by-one computation
    /// gave them to it.
    pub fn imports<'g>(&'g self, graph: &'g Graph, id: usize) -> GraphImports<'g> {
        GraphImports {
            graph,
            exports: ExportsView::Live(self, id),
            module: id,
        }
    }

    /// Module `id`'s exports are known (`None`: it has none).
    pub fn set(&self, id: usize, exports: Option<Arc<ModuleExports>>) {
        if let Some(cell) = self.cells.get(id) {
            let _ = cell.set(exports);
        }
    }

    fn seen_by(&self, me: usize, id: usize) -> Option<Arc<ModuleExports>> {
        if self.rank(id) >= self.rank(me) {
            return None;
        }
        self.cells.get(id)?.get().cloned().flatten()
    }

    /// Every module's exports (once all are set).
    pub fn into_exports(self) -> Exports {
        let n = self.cells.len();
        Exports {
            exports: self
                .cells
                .into_iter()
                .map(|c| c.into_inner().flatten())
                .collect(),
            fingerprints: (0..n).map(|_| std::sync::OnceLock::new()).collect(),
        }
    }
}

fn static_deps(m: &crate::graph::Module) -> impl Iterator<Item = usize> + '_ {
    m.imports.iter().filter_map(|i| match i.target {
        Some(ImportTarget::Module(t)) if !i.dynamic => Some(t),
        _ => None,
    })
}

/// Every module's exports and their fingerprints.
pub struct Exports {
    pub exports: Vec<Option<Arc<ModuleExports>>>,
    /// Taken when first asked for (`import_key`).
    fingerprints: Vec<std::sync::OnceLock<u64>>,
}

impl Exports {
    /// What module `id` imports, for the checker.
    pub fn imports<'g>(&'g self, graph: &'g Graph, id: usize) -> GraphImports<'g> {
        GraphImports {
            graph,
            exports: ExportsView::Done(&self.exports),
            module: id,
        }
    }

    /// Module `id`'s fingerprint (0 for modules without exports).
    fn fingerprint(&self, id: usize) -> u64 {
        let Some(cell) = self.fingerprints.get(id) else {
            return 0;
        };
        *cell.get_or_init(|| {
            self.exports
                .get(id)
                .and_then(Option::as_ref)
                .map(|e| e.fingerprint())
                .unwrap_or(0)
        })
    }

    /// A key of the exports module `id` imports: a check of an unchanged
    /// text with an unchanged key gives the same diagnostics.
    pub fn import_key(&self, graph: &Graph, id: usize) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        if let Some(m) = graph.modules.get(id) {
            for dep in static_deps(m) {
                dep.hash(&mut h);
                self.fingerprint(dep).hash(&mut h);
            }
        }
        h.finish()
    }
}

/// Computes every module's exports from its program.
pub fn exports_from_programs(graph: &Graph) -> Exports {
    graph_exports_unkeyed(graph, &mut |id, imports, _| {
        somon_program(graph, id).map(|p| Arc::new(somon_check::module_exports(p, imports)))
    })
}

/// The program of a Somon module of a graph.
pub fn somon_program(graph: &Graph, id: usize) -> Option<&Program> {
    match &graph.modules.get(id)?.source {
        ModuleSource::Somon(p) => Some(p),
        _ => None,
    }
}

/// Types of a whole project for file-by-file compiles and checks: the
/// graph of the given files and all they import, with every module's
/// exports.
pub struct ProjectTypes {
    graph: Graph,
    exports: Exports,
}

impl ProjectTypes {
    pub fn load(files: &[PathBuf], fs: &dyn FileSystem, resolver: &Resolver<'_>) -> ProjectTypes {
        let graph = build_graph_of(files, fs, resolver);
        let exports = exports_from_programs(&graph);
        ProjectTypes { graph, exports }
    }

    /// Every file of the graph (the given files and all they import,
    /// packages' files included), in discovery order.
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        self.graph.modules.iter().map(|m| m.path.as_path())
    }

    /// What the imports of `file` lead to (every import `ҳар` for a file
    /// not in the graph).
    pub fn imports_of(&self, file: &Path) -> Box<dyn ModuleImports + '_> {
        match self.graph.by_path.get(file) {
            Some(&module) => Box::new(self.exports.imports(&self.graph, module)),
            None => Box::new(somon_check::NoImports),
        }
    }

    /// Where a name that `file` imports from `specifier` (as `exported`)
    /// is declared: the module's path and the span of its declaration
    /// there. With a symbol's `import`, this follows references across
    /// files.
    pub fn import_definition(
        &self,
        file: &Path,
        specifier: &str,
        exported: &str,
    ) -> Option<(PathBuf, somon_diagnostics::Span)> {
        let module = self.graph.modules.get(*self.graph.by_path.get(file)?)?;
        let target = module
            .imports
            .iter()
            .find(|i| i.specifier == specifier)
            .and_then(|i| match i.target {
                Some(ImportTarget::Module(id)) => Some(id),
                _ => None,
            })?;
        let span = self
            .exports
            .exports
            .get(target)?
            .as_ref()?
            .declaration(exported)?;
        Some((self.graph.modules.get(target)?.path.clone(), span))
    }

    /// A key of the exports `file` imports (see [`Exports::import_key`]).
    pub fn import_key(&self, file: &Path) -> u64 {
        match self.graph.by_path.get(file) {
            Some(&id) => self.exports.import_key(&self.graph, id),
            None => 0,
        }
    }

    /// The text of a SomonScript file of the graph as it was read and
    /// parsed, with its import specifiers (`graph::import_specifiers`):
    /// file-by-file commands compile from these instead of reading and
    /// parsing the file once more for its imports. `None` for a file not
    /// in the graph, not SomonScript, or that could not be read.
    pub fn somon_text_and_specifiers(
        &self,
        file: &Path,
    ) -> Option<(&str, Vec<crate::graph::ImportSpecifier>)> {
        let module = self.graph.modules.get(*self.graph.by_path.get(file)?)?;
        let ModuleSource::Somon(_) = &module.source else {
            return None;
        };
        let specs = module
            .imports
            .iter()
            .map(|i| (i.specifier.clone(), i.span, i.dynamic))
            .collect();
        Some((&module.text, specs))
    }

    /// Imports of `file` that lead nowhere (`MODULE_NOT_FOUND` with the
    /// paths tried), at their specifiers.
    pub fn import_diagnostics(&self, file: &Path) -> Vec<Diagnostic> {
        self.graph
            .by_path
            .get(file)
            .and_then(|&id| self.graph.modules.get(id))
            .map(|m| {
                m.diagnostics
                    .iter()
                    .filter(|d| d.code() == "MODULE_NOT_FOUND")
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }
}
