//! Bundling a module graph into one JavaScript file.

use crate::fs::{relative_path, FileSystem};
use crate::graph::{build_graph, Graph, ImportTarget, ModuleSource};
use crate::resolve::{Resolver, ResolverConfig};
use rayon::prelude::*;
use somon_diagnostics::{
    sort_diagnostics, Diagnostic, Lang, LineIndex, Message, ResolvedDiagnostic,
};
use somon_emit::bundle::{
    emit_bundle, BundleFormat, BundleModule, BundleModuleKind, BundleOptions,
};
use somon_emit::EmitOptions;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CircularPolicy {
    /// Cycles work as Node runs them; a warning names each one.
    #[default]
    Warn,
    Error,
}

pub struct BundleRequest {
    /// Absolute path of the entry module.
    pub entry: PathBuf,
    /// Where the bundle will be written (map `sources` are relative to its
    /// folder); the entry's folder when `None`.
    pub output: Option<PathBuf>,
    /// Diagnostics name files relative to this folder.
    pub display_base: PathBuf,
    pub format: BundleFormat,
    pub global_name: Option<String>,
    pub externals: Vec<String>,
    pub emit: EmitOptions,
    pub type_check: bool,
    pub lang: Lang,
    pub circular: CircularPolicy,
    pub resolver: ResolverConfig,
}

#[derive(Debug)]
pub struct BundleOutput {
    /// `None` when any module has an error: no partial bundle.
    pub code: Option<String>,
    pub map: Option<String>,
    pub diagnostics: Vec<ResolvedDiagnostic>,
    pub modules: usize,
}

/// Resolves a graph's diagnostics, module by module, in module order.
fn resolve_all(
    graph: &Graph,
    per_module: Vec<Vec<Diagnostic>>,
    base: &Path,
    lang: Lang,
) -> Vec<ResolvedDiagnostic> {
    let mut out = Vec::new();
    for (m, mut diags) in graph.modules.iter().zip(per_module) {
        sort_diagnostics(&mut diags);
        let index = LineIndex::new(&m.text);
        let file = relative_path(base, &m.path);
        out.extend(
            diags
                .iter()
                .map(|d| d.resolve(&file, &index, &m.text, lang)),
        );
    }
    out
}

pub fn bundle(req: &BundleRequest, fs: &dyn FileSystem) -> BundleOutput {
    let resolver = Resolver::new(fs, req.resolver.clone());
    let mut graph = build_graph(&req.entry, fs, &resolver, &req.externals);
    let entry_dir = req
        .entry
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let out_dir = req
        .output
        .as_ref()
        .and_then(|o| o.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| entry_dir.clone());

    // Syntax diagnostics come from loading; type errors are checked in
    // parallel for every module that parsed cleanly.
    let mut per_module: Vec<Vec<Diagnostic>> = graph
        .modules
        .par_iter()
        .map(|m| {
            let mut d = m.diagnostics.clone();
            if let ModuleSource::Somon(program) = &m.source {
                if req.type_check && !d.iter().any(Diagnostic::is_error) {
                    d.extend(somon_check::check(program));
                }
            }
            d
        })
        .collect();

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
            cycle: graph.describe_cycle(&cycle, &entry_dir),
        };
        let d = match req.circular {
            CircularPolicy::Warn => Diagnostic::warning(message, span),
            CircularPolicy::Error => Diagnostic::error(message, span),
        };
        if let Some(slot) = per_module.get_mut(from) {
            slot.push(d);
        }
    }

    let has_errors = per_module.iter().flatten().any(Diagnostic::is_error);
    let diagnostics = resolve_all(&graph, per_module, &req.display_base, req.lang);
    let count = graph.modules.len();
    let fail = |diagnostics| BundleOutput {
        code: None,
        map: None,
        diagnostics,
        modules: count,
    };
    if has_errors {
        return fail(diagnostics);
    }

    let keys: Vec<String> = graph
        .modules
        .iter()
        .map(|m| relative_path(&entry_dir, &m.path))
        .collect();
    let key_of = |id: usize| keys.get(id).cloned().unwrap_or_default();
    let module_count = graph.modules.len();
    // The Somon trees move into the bundler, which drops each one as soon
    // as it is lowered.
    let mut programs: Vec<Option<Box<somon_syntax::ast::Program>>> = graph
        .modules
        .iter_mut()
        .map(
            |m| match std::mem::replace(&mut m.source, ModuleSource::Js) {
                ModuleSource::Somon(p) => Some(p),
                other => {
                    m.source = other;
                    None
                }
            },
        )
        .collect();
    let mut inputs = Vec::with_capacity(module_count);
    for (id, m) in graph.modules.iter().enumerate() {
        let key = key_of(id);
        let source_name = relative_path(&out_dir, &m.path);
        let specifiers: HashMap<String, String> = m
            .imports
            .iter()
            .filter_map(|i| match &i.target {
                Some(ImportTarget::Module(t)) => Some((i.specifier.clone(), key_of(*t))),
                _ => None,
            })
            .collect();
        let kind = match programs.get_mut(id).and_then(Option::take) {
            Some(program) => BundleModuleKind::Somon {
                program,
                source: &m.text,
                specifiers,
            },
            None => match &m.source {
                ModuleSource::Json => BundleModuleKind::Json { text: &m.text },
                _ => BundleModuleKind::Js {
                    text: &m.text,
                    specifiers,
                },
            },
        };
        inputs.push(BundleModule {
            key,
            source_name,
            kind,
        });
    }
    let options = BundleOptions {
        format: req.format,
        global_name: req.global_name.clone(),
        emit: req.emit.clone(),
    };
    match emit_bundle(inputs, &key_of(0), &options) {
        Ok(out) => BundleOutput {
            code: Some(out.code),
            map: out.map,
            diagnostics,
            modules: count,
        },
        Err(message) => {
            let mut d = diagnostics;
            d.push(ResolvedDiagnostic::whole_file(
                "INTERNAL",
                &relative_path(&req.display_base, &req.entry),
                format!("internal compiler error while bundling: {message}"),
            ));
            fail(d)
        }
    }
}
