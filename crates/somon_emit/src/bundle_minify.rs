//! `--minify` on the whole bundle, after assembly: each module was already
//! minified on its own; this pass compresses and mangles across modules
//! and the runtime (top-level names included when the format allows:
//! never the global an `iife` bundle declares, never an export name), then
//! composes the new source map with the assembly's, so the map still
//! points into the `.som` files. Each module's bytes are measured again
//! on the result (its entry in the module table).

use crate::bundle::{BundleFormat, BundleOptions};
use crate::{print_node, source_map, EmitOptions};
use swc_core::common::sync::Lrc;
use swc_core::common::{FileName, Globals, Mark, SourceMap, Spanned, GLOBALS};
use swc_core::ecma::ast as j;
use swc_core::ecma::ast::Pass;
use swc_core::ecma::minifier::option::{
    CompressOptions, ExtraOptions, MangleOptions, MinifyOptions, TopLevelOptions,
};
use swc_core::ecma::parser::{Parser, StringInput, Syntax};
use swc_core::ecma::transforms::base::fixer::fixer;
use swc_core::ecma::transforms::base::hygiene::hygiene;
use swc_core::ecma::transforms::base::resolver;

/// The deepest nesting of expressions and statements the whole-bundle
/// compression takes on.
const MAX_COMPRESS_DEPTH: usize = 1_000;

/// Whether no expression or statement of `program` nests deeper than
/// `limit` (stops looking as soon as one does).
fn depth_at_most(program: &j::Program, limit: usize) -> bool {
    use swc_core::ecma::visit::{Visit, VisitWith};
    struct Depth {
        at: usize,
        limit: usize,
        over: bool,
    }
    impl Depth {
        fn enter<N: VisitWith<Self>>(&mut self, n: &N) {
            if self.over {
                return;
            }
            self.at += 1;
            if self.at > self.limit {
                self.over = true;
            } else {
                n.visit_children_with(self);
            }
            self.at -= 1;
        }
    }
    impl Visit for Depth {
        fn visit_expr(&mut self, e: &j::Expr) {
            self.enter(e);
        }
        fn visit_stmt(&mut self, s: &j::Stmt) {
            self.enter(s);
        }
    }
    let mut d = Depth {
        at: 0,
        limit,
        over: false,
    };
    program.visit_with(&mut d);
    !d.over
}

/// The bundle minified as a whole: code, its map (composed with `map`,
/// the assembly's) and each module's bytes in it.
pub(crate) struct Minified {
    pub(crate) code: String,
    pub(crate) map: Option<swc_sourcemap::SourceMap>,
    pub(crate) module_bytes: Vec<(String, usize)>,
}

fn parse(cm: &Lrc<SourceMap>, code: String, module: bool) -> Result<j::Program, String> {
    // A custom name: swc leaves internal files out of source maps.
    let fm = cm.new_source_file(Lrc::new(FileName::Custom("bundle".into())), code);
    let mut parser = Parser::new(
        Syntax::Es(Default::default()),
        StringInput::from(&*fm),
        None,
    );
    // A CommonJS, iife or umd bundle is a script: its CommonJS modules may
    // be sloppy-mode code.
    let program = if module {
        parser.parse_module().map(j::Program::Module)
    } else {
        parser.parse_script().map(j::Program::Script)
    };
    program.map_err(|e| format!("bundle: {:?}", e.kind()))
}

/// Minifies the assembled `code` (with `map`, the assembly's map, when
/// source maps are on); `keys` are the modules' keys in table order.
pub(crate) fn minify_bundle(
    code: String,
    map: Option<&swc_sourcemap::SourceMap>,
    keys: &[String],
    opts: &BundleOptions,
) -> Result<Minified, String> {
    // Deep (but legal) input nests deeply in swc's passes: on a large
    // stack of its own, as each module's printing.
    const STACK: usize = 256 * 1024 * 1024;
    stacker::grow(STACK, || minify_on_stack(code, map, keys, opts))
}

fn minify_on_stack(
    code: String,
    map: Option<&swc_sourcemap::SourceMap>,
    keys: &[String],
    opts: &BundleOptions,
) -> Result<Minified, String> {
    GLOBALS.set(&Globals::new(), || {
        let cm: Lrc<SourceMap> = Default::default();
        let module = opts.format == BundleFormat::Esm;
        let mut program = parse(&cm, code, module)?;
        let unresolved = Mark::new();
        let top_level = Mark::new();
        resolver(unresolved, top_level, false).process(&mut program);
        // Only an `iife` with a global name has a top-level name others
        // see (its `var`); an ES module's exports keep their names (the
        // mangler renames the local and keeps the exported name).
        let top = !(opts.format == BundleFormat::Iife
            && opts.global_name.as_deref().is_some_and(|g| !g.is_empty()));
        let e = &opts.emit;
        // swc's compressor takes time quadratic in the nesting of
        // expressions: a bundle nested deeper than this (generated code)
        // is mangled as a whole but compressed only module by module.
        let shallow = depth_at_most(&program, MAX_COMPRESS_DEPTH);
        let options = MinifyOptions {
            compress: (e.compress && shallow).then(|| CompressOptions {
                top_level: top.then_some(TopLevelOptions { functions: true }),
                keep_fnames: e.keep_names,
                keep_classnames: e.keep_names,
                ..Default::default()
            }),
            mangle: e.mangle.then(|| MangleOptions {
                top_level: Some(top),
                keep_fn_names: e.keep_names,
                keep_class_names: e.keep_names,
                ..Default::default()
            }),
            ..Default::default()
        };
        let mut program = swc_core::ecma::minifier::optimize(
            program,
            cm.clone(),
            None,
            None,
            &options,
            &ExtraOptions {
                unresolved_mark: unresolved,
                top_level_mark: top_level,
                mangle_name_cache: None,
            },
        );
        if !e.mangle {
            hygiene().process(&mut program);
        }
        fixer(None).process(&mut program);
        let print_opts = EmitOptions {
            minify: true,
            ..e.clone()
        };
        let (code, mut mappings) = print_node(&cm, &program, 0, &print_opts, map.is_some(), false)?;
        drop(program);
        let map = match map {
            Some(assembled) => {
                let own = source_map(&cm, &mut mappings, false);
                Some(compose(&own, assembled))
            }
            None => None,
        };
        let module_bytes = measure_table(&code, keys, module)?;
        Ok(Minified {
            code,
            map,
            module_bytes,
        })
    })
}

/// `outer` maps the minified bundle to the assembled one, `inner` the
/// assembled bundle to the sources: each of `outer`'s mappings is taken
/// through `inner` (the closest mapping at or before its position, as a
/// map consumer reads it).
fn compose(
    outer: &swc_sourcemap::SourceMap,
    inner: &swc_sourcemap::SourceMap,
) -> swc_sourcemap::SourceMap {
    let mut b = swc_sourcemap::SourceMapBuilder::new(None);
    let mut ids: Vec<Option<u32>> = vec![None; inner.get_source_count() as usize];
    for t in outer.tokens() {
        let Some(at) = inner.lookup_token(t.get_src_line(), t.get_src_col()) else {
            continue;
        };
        let src = at.get_src_id();
        let Some(slot) = ids.get_mut(src as usize) else {
            continue;
        };
        let id = match *slot {
            Some(id) => id,
            None => {
                let name = inner
                    .get_source(src)
                    .map(|s| s.to_string())
                    .unwrap_or_default();
                let id = b.add_source(name.into());
                if let Some(content) = inner.get_source_contents(src) {
                    b.set_source_contents(id, Some(content.to_string().into()));
                }
                *slot = Some(id);
                id
            }
        };
        b.add_raw(
            t.get_dst_line(),
            t.get_dst_col(),
            at.get_src_line(),
            at.get_src_col(),
            Some(id),
            None,
            false,
        );
    }
    b.into_sourcemap()
}

/// Each module's bytes in the minified bundle: the properties of the
/// module table (the object whose keys are exactly the modules' keys), from
/// the key to the end of the factory.
fn measure_table(
    code: &str,
    keys: &[String],
    module: bool,
) -> Result<Vec<(String, usize)>, String> {
    use swc_core::ecma::visit::{Visit, VisitWith};
    struct Find<'k> {
        keys: &'k [String],
        found: Option<Vec<(String, usize)>>,
    }
    impl Visit for Find<'_> {
        fn visit_object_lit(&mut self, o: &j::ObjectLit) {
            if self.found.is_some() {
                return;
            }
            let mut sizes = Vec::with_capacity(o.props.len());
            for p in &o.props {
                let j::PropOrSpread::Prop(p) = p else {
                    break;
                };
                let j::Prop::KeyValue(kv) = &**p else {
                    break;
                };
                let key = match &kv.key {
                    j::PropName::Str(s) => s.value.to_string_lossy().into_owned(),
                    j::PropName::Ident(i) => i.sym.to_string(),
                    _ => break,
                };
                let span = p.span();
                sizes.push((key, (span.hi.0 - span.lo.0) as usize));
            }
            let same = sizes.len() == self.keys.len()
                && sizes.iter().zip(self.keys).all(|((k, _), key)| k == key);
            if same && !sizes.is_empty() {
                self.found = Some(sizes);
                return;
            }
            o.visit_children_with(self);
        }
    }
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let cm: Lrc<SourceMap> = Default::default();
    let program = parse(&cm, code.to_string(), module)?;
    let mut find = Find { keys, found: None };
    program.visit_with(&mut find);
    find.found
        .ok_or_else(|| "the minified bundle has no module table".to_string())
}

/// Each module's bytes in the minified bundle: `measured` gives those of
/// the module table's factories exactly; hoisted modules' statements are
/// mixed with each other and the runtime's by the whole-bundle pass, so
/// each gets the share of the rest that its bytes had before (the
/// figures still add up to at most the output's size).
pub(crate) fn remeasure(
    before: &[(String, usize)],
    assembled_len: usize,
    measured: Vec<(String, usize)>,
    minified_len: usize,
) -> Vec<(String, usize)> {
    let exact: std::collections::HashMap<&str, usize> =
        measured.iter().map(|(k, n)| (k.as_str(), *n)).collect();
    let table_before: usize = before
        .iter()
        .filter(|(k, _)| exact.contains_key(k.as_str()))
        .map(|(_, n)| n)
        .sum();
    let rest_before = assembled_len.saturating_sub(table_before).max(1) as u128;
    let rest_after = minified_len.saturating_sub(measured.iter().map(|(_, n)| n).sum()) as u128;
    before
        .iter()
        .map(|(k, n)| match exact.get(k.as_str()) {
            Some(&m) => (k.clone(), m),
            None => (k.clone(), (*n as u128 * rest_after / rest_before) as usize),
        })
        .collect()
}
