//! Code splitting: the hoisted modules of several entries (static entries
//! and `import()` targets) as ES module chunks. A module's chunk is the set
//! of entries that reach it through static imports (esbuild's rule): the
//! modules only one entry reaches are its chunk, the others are shared
//! chunks. Chunks import the bindings they use from each other by their
//! final names (the linker names every top-level binding of the build
//! once) and export what other chunks use; an entry chunk exports the
//! entry's exports. Names are content hashes: a chunk's own text with
//! placeholders for the chunks it names, folded with the own hashes of
//! every chunk it reaches.

use super::*;
use std::collections::{BTreeMap, BTreeSet};

/// One output file of a split build.
#[derive(Clone, Debug)]
pub struct Chunk {
    /// Path in the output folder (`/`-separated).
    pub file: String,
    pub code: String,
    pub map: Option<String>,
    /// Bytes of the chunk each module's code occupies (by key).
    pub module_bytes: Vec<(String, usize)>,
    /// Key of the static entry whose output it is.
    pub entry: Option<String>,
    /// The chunks it imports (files in the output folder, each once, in
    /// order) and whether by `import()` (for a metafile).
    pub imports: Vec<(String, bool)>,
    /// The names it exports (for a metafile).
    pub exports: Vec<String>,
    /// The entry's input path (set by the caller that knows inputs).
    pub entry_point: Option<String>,
}

/// Placeholder of a chunk's path in another chunk's text.
fn placeholder(c: usize) -> String {
    format!("__SOMON_CHUNK_{c}__")
}

/// Eight characters of base 32 of a hash.
fn hash_text(h: u64) -> String {
    const DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    (0..8)
        .map(|i| {
            let d = ((h >> (i * 5)) & 31) as usize;
            DIGITS.get(d).map_or('A', |b| *b as char)
        })
        .collect()
}

/// `to` relative to the folder of `from` (both `/`-separated paths in the
/// output folder), as an import specifier.
fn relative(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = from.split('/').collect();
    let from_dir = from_dir
        .get(..from_dir.len().saturating_sub(1))
        .unwrap_or(&[]);
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out: Vec<&str> = vec![".."; from_dir.len().saturating_sub(common)];
    out.extend(to_parts.get(common..).unwrap_or(&[]));
    let joined = out.join("/");
    if joined.starts_with("..") {
        joined
    } else {
        format!("./{joined}")
    }
}

/// The last path segment of a key without its extension.
fn stem(key: &str) -> String {
    let last = key.rsplit('/').next().unwrap_or(key);
    let s = match last.rfind('.') {
        Some(i) if i > 0 => last.get(..i).unwrap_or(last),
        _ => last,
    };
    let s: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() {
        "chunk".to_string()
    } else {
        s
    }
}

/// A chunk's text with placeholders, its map, its modules' bytes.
type Text = (
    String,
    Option<swc_sourcemap::SourceMap>,
    Vec<(String, usize)>,
);

#[derive(Default)]
struct Part {
    /// Piece indices in evaluation order.
    modules: Vec<usize>,
    /// Chunks it requests (evaluation before its own code), in order.
    deps: Vec<usize>,
    /// Names it imports, per chunk.
    imports: BTreeMap<usize, BTreeSet<String>>,
    /// Names other chunks import from it.
    exports: BTreeSet<String>,
    /// Namespace objects it defines (piece indices).
    namespaces: Vec<usize>,
    /// `import()` targets of its modules: (key, chunk).
    dynamic: Vec<(String, usize)>,
    /// Packages outside the build it imports.
    externals: BTreeSet<usize>,
    /// Namespaces of entries it uses: (entry chunk, piece), imported as
    /// `import * as` of the entry's chunk (the namespace `import()` gives).
    ns_imports: BTreeSet<(usize, usize)>,
    /// Factory modules it loads (indexes in the table).
    tables: BTreeSet<usize>,
}

impl BundleEmitter {
    /// An emitter whose hoisted pieces are printed at the top level of a
    /// chunk (pieces for [`BundleEmitter::assemble_split`]).
    pub fn for_chunks(mut self) -> Self {
        self.hoist_indent = 0;
        self
    }

    /// Splits a build into chunks. `entries` are the static entries (key,
    /// output name without `.js`), `chunk_names` the template of other
    /// chunks' names (`[name]`, `[hash]`; `.js` is added). Pieces not
    /// hoisted are factories in a chunk of their own (none may be an entry).
    pub fn assemble_split(
        &self,
        pieces: &[&ModulePiece],
        entries: &[(String, String)],
        chunk_names: &str,
    ) -> Result<Vec<Chunk>, String> {
        // Modules kept in factories (CommonJS, JSON, CommonJS names): one
        // chunk of their own holds them with the one-bundle loader; a chunk
        // that uses one imports the loader and loads it (once, cached)
        // where its first module that imports it runs.
        let tables: Vec<usize> = (0..pieces.len())
            .filter(|&p| pieces.get(p).is_some_and(|x| x.hoist.is_none()))
            .collect();
        let table_of = |k: &str| {
            tables
                .iter()
                .position(|&p| pieces.get(p).is_some_and(|x| x.name == k))
        };
        let table_var = |i: usize| format!("__somon_t{i}");
        let list: Vec<(&str, Option<&link::Hoist>)> = pieces
            .iter()
            .map(|p| (p.name.as_str(), p.hoist.as_deref()))
            .collect();
        let linker = link::Linker::new(&list);
        let hoist = |p: usize| pieces.get(p).and_then(|x| x.hoist.as_deref());
        let index = |k: &str| linker.by_key.get(k).copied();

        // Entries: the static ones, then `import()` targets as found.
        let mut entry_keys: Vec<String> = Vec::new();
        for (k, _) in entries {
            if index(k).is_some() && !entry_keys.contains(k) {
                entry_keys.push(k.clone());
            }
        }
        let n = pieces.len();
        let mut sets: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut e = 0;
        while let Some(key) = entry_keys.get(e).cloned() {
            let mut seen = vec![false; n];
            let mut work: Vec<usize> = index(&key).into_iter().collect();
            while let Some(p) = work.pop() {
                if seen.get(p).copied().unwrap_or(true) {
                    continue;
                }
                if let Some(s) = seen.get_mut(p) {
                    *s = true;
                }
                if let Some(s) = sets.get_mut(p) {
                    s.push(e);
                }
                let Some(h) = hoist(p) else { continue };
                for r in h.requests.iter().rev() {
                    if let Some(q) = index(r) {
                        work.push(q);
                    }
                }
                for d in &h.dynamic {
                    if index(d).is_some() && !entry_keys.contains(d) {
                        entry_keys.push(d.clone());
                    }
                }
            }
            e += 1;
        }
        let statics = entries.len().min(entry_keys.len());

        // Chunks: one per entry (its set is the entry alone), then the
        // shared sets in order.
        let mut by_set: BTreeMap<Vec<usize>, usize> = BTreeMap::new();
        for i in 0..entry_keys.len() {
            by_set.insert(vec![i], i);
        }
        let mut shared: Vec<Vec<usize>> = sets
            .iter()
            .enumerate()
            .filter(|(p, s)| s.len() > 1 && hoist(*p).is_some())
            .map(|(_, s)| s)
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        shared.sort();
        for s in shared {
            let c = by_set.len();
            by_set.insert(s, c);
        }
        let mut chunk_count = by_set.len();
        let mut chunk_of: Vec<Option<usize>> =
            sets.iter().map(|s| by_set.get(s).copied()).collect();
        for &p in &tables {
            if let Some(x) = chunk_of.get_mut(p) {
                *x = None;
            }
        }

        let mut reserved: HashSet<u64> = [
            "Object",
            "Symbol",
            "Promise",
            "undefined",
            "globalThis",
            "arguments",
            "eval",
        ]
        .iter()
        .map(|s| link::name_hash(s))
        .collect();
        reserved.extend(helper_names().iter().map(|s| link::name_hash(s)));
        for p in pieces {
            if let Some(h) = &p.hoist {
                reserved.extend(h.reserved.iter().copied());
            }
        }
        let entry_refs: Vec<&str> = entry_keys.iter().map(String::as_str).collect();
        let plan = linker.plan_many(&entry_refs, &[], self.opts.tree_shaking, &reserved);
        let mut position: Vec<usize> = vec![usize::MAX; n];
        for (i, ev) in plan.events.iter().enumerate() {
            if let link::Event::Module(p) = ev {
                if let Some(x) = position.get_mut(*p) {
                    *x = i;
                }
            }
        }
        // A chunk runs the chunks it imports before its own modules: where
        // a module of it with a side effect must run before a chunk it
        // reaches, the modules before that chunk become a part of their
        // own (a chunk the last part imports first).
        let effectful = |p: usize| match (hoist(p), plan.live.get(p)) {
            (Some(h), Some(live)) => h.statements.iter().zip(live).any(|(s, l)| *l && s.effects),
            _ => false,
        };
        let whole_chunks = chunk_count;
        let mut earlier_parts: Vec<Vec<usize>> = vec![Vec::new(); whole_chunks];
        for c in 0..whole_chunks {
            let mut mods: Vec<usize> = (0..n)
                .filter(|&p| {
                    chunk_of.get(p).copied().flatten() == Some(c)
                        && position.get(p).is_some_and(|x| *x != usize::MAX)
                })
                .collect();
            mods.sort_by_key(|p| position.get(*p).copied());
            let mut reached: BTreeSet<usize> = BTreeSet::new();
            let mut seen = vec![false; n];
            let mut work: Vec<usize> = mods.clone();
            while let Some(p) = work.pop() {
                if seen.get(p).copied().unwrap_or(true) {
                    continue;
                }
                if let Some(x) = seen.get_mut(p) {
                    *x = true;
                }
                if let Some(d) = chunk_of.get(p).copied().flatten().filter(|d| *d != c) {
                    reached.insert(d);
                }
                for r in hoist(p).map(|h| h.requests.as_slice()).unwrap_or(&[]) {
                    if let Some(q) = index(r) {
                        work.push(q);
                    }
                }
            }
            let pos = |p: &usize| position.get(*p).copied().unwrap_or(usize::MAX);
            let mut cuts: Vec<usize> = reached
                .iter()
                .map(|d| parts_first(&chunk_of, &position, *d))
                .filter(|first| {
                    mods.iter().any(|m| pos(m) < *first && effectful(*m))
                        && mods.iter().any(|m| pos(m) > *first)
                })
                .collect();
            cuts.sort();
            cuts.dedup();
            let mut rest: &[usize] = &mods;
            for cut in cuts {
                let at = rest.partition_point(|m| pos(m) < cut);
                let (before, after) = rest.split_at(at);
                if !before.is_empty() {
                    let part = chunk_count;
                    chunk_count += 1;
                    for &m in before {
                        if let Some(x) = chunk_of.get_mut(m) {
                            *x = Some(part);
                        }
                    }
                    if let Some(list) = earlier_parts.get_mut(c) {
                        list.push(part);
                    }
                }
                rest = after;
            }
        }
        let chunk_of = chunk_of;
        let chunk_at = |p: usize| chunk_of.get(p).copied().flatten();
        let mut parts: Vec<Part> = (0..chunk_count).map(|_| Part::default()).collect();
        // The loader's chunk, after all others.
        let table_chunk = match tables.is_empty() {
            true => None,
            false => {
                chunk_count += 1;
                parts.push(Part::default());
                Some(chunk_count - 1)
            }
        };
        for ev in &plan.events {
            if let link::Event::Module(p) = ev {
                if let Some(part) = chunk_at(*p).and_then(|c| parts.get_mut(c)) {
                    part.modules.push(*p);
                }
            }
        }
        let mut externals: Vec<String> = Vec::new();
        for ev in &plan.events {
            if let link::Event::Load(k) = ev {
                if index(k).is_none() && table_of(k).is_none() && !externals.contains(k) {
                    externals.push(k.clone());
                }
            }
        }
        externals.sort();
        let ns_var = |p: usize| format!("__somon_ns{p}");
        let ext_var = |i: usize| format!("__somon_ext{i}");

        // What each binding is called, and the chunk it lives in.
        let name_of = |b: &link::Binding| -> (String, Option<usize>, Option<usize>) {
            match b {
                link::Binding::Local(p, s) => match plan.names.get(&(*p, *s)) {
                    Some(name) => (name.clone(), chunk_at(*p), None),
                    None => ("(void 0)".to_string(), None, None),
                },
                link::Binding::Namespace(k) => match index(k) {
                    // An entry's namespace is its chunk's (imported where
                    // it is used); another module's is an object in its
                    // chunk.
                    Some(_) if table_of(k).is_some() => {
                        (table_of(k).map(table_var).unwrap_or_default(), None, None)
                    }
                    Some(p) if entry_keys.contains(k) => (ns_var(p), None, None),
                    Some(p) => (ns_var(p), chunk_at(p), None),
                    None => match externals.iter().position(|x| x == k) {
                        Some(i) => (ext_var(i), None, Some(i)),
                        None => ("(void 0)".to_string(), None, None),
                    },
                },
                link::Binding::Wrapped { key, name } => {
                    match externals.iter().position(|x| x == key) {
                        Some(i) => {
                            let var = ext_var(i);
                            let text = if is_ident_name(name) {
                                format!("(0, {var}.{name})")
                            } else {
                                format!("(0, {var}[{}])", serde_json_str(name))
                            };
                            (text, None, Some(i))
                        }
                        None => match table_of(key) {
                            Some(i) => {
                                let var = table_var(i);
                                let text = if name == "default" {
                                    format!("({var} && {var}.__esModule ? {var}.default : {var})")
                                } else if is_ident_name(name) {
                                    format!("(0, {var}.{name})")
                                } else {
                                    format!("(0, {var}[{}])", serde_json_str(name))
                                };
                                (text, None, None)
                            }
                            None => ("(void 0)".to_string(), None, None),
                        },
                    }
                }
                link::Binding::Missing => ("(void 0)".to_string(), None, None),
            }
        };

        // Pass 1: what each chunk needs of the others.
        let mut ns_needed: Vec<usize> = Vec::new();
        let mut uses: Vec<(usize, link::Binding)> = Vec::new();
        for (c, part) in parts.iter().enumerate() {
            for &p in &part.modules {
                let (Some(h), Some(live)) = (hoist(p), plan.live.get(p)) else {
                    continue;
                };
                for (stmt, _) in h.statements.iter().zip(live).filter(|(_, l)| **l) {
                    let from = h.holes.partition_point(|&(o, _)| o < stmt.start);
                    for &(o, sym) in h.holes.get(from..).unwrap_or(&[]) {
                        if o >= stmt.end {
                            break;
                        }
                        uses.push((c, linker.resolve_sym(p, sym)));
                    }
                }
            }
        }
        for (c, key) in entry_keys.iter().enumerate() {
            for name in linker.export_names(key) {
                uses.push((c, linker.resolve(key, &name)));
            }
        }
        let mut u = 0;
        while let Some((c, b)) = uses.get(u).cloned() {
            u += 1;
            if let link::Binding::Namespace(k) = &b {
                let entry = entry_keys.iter().position(|e| e == k);
                if let (Some(p), Some(t)) = (index(k), entry) {
                    if let Some(part) = parts.get_mut(c) {
                        part.ns_imports.insert((t, p));
                    }
                } else if let Some(p) = index(k) {
                    if !ns_needed.contains(&p) {
                        ns_needed.push(p);
                        if let Some(home) = chunk_at(p) {
                            for name in linker.export_names(k) {
                                uses.push((home, linker.resolve(k, &name)));
                            }
                        }
                    }
                }
            }
            let (name, home, ext) = name_of(&b);
            let table = match &b {
                link::Binding::Namespace(k) | link::Binding::Wrapped { key: k, .. } => table_of(k),
                _ => None,
            };
            if let Some(part) = parts.get_mut(c) {
                if let Some(i) = ext {
                    part.externals.insert(i);
                }
                if let Some(i) = table {
                    part.tables.insert(i);
                }
            }
            if let Some(home) = home.filter(|h| *h != c) {
                if let Some(part) = parts.get_mut(c) {
                    part.imports.entry(home).or_default().insert(name.clone());
                }
                if let Some(part) = parts.get_mut(home) {
                    part.exports.insert(name);
                }
            }
        }
        for &p in &ns_needed {
            if let Some(part) = chunk_at(p).and_then(|c| parts.get_mut(c)) {
                part.namespaces.push(p);
            }
        }
        for (c, part) in parts.iter_mut().enumerate() {
            part.namespaces.sort_by_key(|p| position.get(*p).copied());
            // Chunks to evaluate first: those of the modules its modules
            // request (and an entry's own module), by evaluation order.
            let mut deps: Vec<usize> = part.imports.keys().copied().collect();
            deps.extend(earlier_parts.get(c).into_iter().flatten().copied());
            let mut requested: Vec<usize> = Vec::new();
            if let Some(p) = entry_keys.get(c).and_then(|k| index(k)) {
                requested.push(p);
            }
            for &p in &part.modules {
                if let Some(h) = hoist(p) {
                    requested.extend(h.requests.iter().filter_map(|r| index(r)));
                    for d in &h.dynamic {
                        if let Some(t) = entry_keys.iter().position(|k| k == d) {
                            if !part.dynamic.iter().any(|(k, _)| k == d) {
                                part.dynamic.push((d.clone(), t));
                            }
                        }
                    }
                }
                if let Some(h) = hoist(p) {
                    for r in &h.requests {
                        if let Some(i) = externals.iter().position(|x| x == r) {
                            part.externals.insert(i);
                        }
                        if let Some(i) = table_of(r) {
                            part.tables.insert(i);
                        }
                    }
                }
            }
            if let Some(t) = table_chunk.filter(|_| !part.tables.is_empty()) {
                part.imports
                    .entry(t)
                    .or_default()
                    .insert("__somon_load".to_string());
                deps.push(t);
            }
            for q in requested {
                if let Some(d) = chunk_at(q).filter(|d| *d != c) {
                    deps.push(d);
                }
            }
            let first = |d: &usize| parts_first(&chunk_of, &position, *d);
            deps.sort_by_key(|d| (first(d), *d));
            deps.dedup();
            part.deps = deps;
        }
        if let Some(part) = table_chunk.and_then(|t| parts.get_mut(t)) {
            part.exports.insert("__somon_load".to_string());
        }

        // Pass 2: each chunk's text, with placeholders for chunk paths.
        let mut texts: Vec<Text> = Vec::with_capacity(chunk_count);
        let mut exported: Vec<Vec<String>> = Vec::with_capacity(chunk_count);
        let nl = "\n";
        for (c, part) in parts.iter().enumerate() {
            if Some(c) == table_chunk {
                texts.push(self.table_chunk(pieces, &tables)?);
                exported.push(vec!["__somon_load".to_string()]);
                continue;
            }
            let mut out = Assembly::new(0, self.want_map());
            let mut head = String::new();
            for &i in &part.externals {
                if let Some(k) = externals.get(i) {
                    head.push_str(&format!(
                        "import * as {} from {};{nl}",
                        ext_var(i),
                        serde_json_str(k)
                    ));
                }
            }
            for (t, p) in &part.ns_imports {
                head.push_str(&format!(
                    "import * as {} from \"{}\";{nl}",
                    ns_var(*p),
                    placeholder(*t)
                ));
            }
            for d in &part.deps {
                let names = part.imports.get(d);
                match names {
                    Some(names) if !names.is_empty() => {
                        let list: Vec<&str> = names.iter().map(String::as_str).collect();
                        head.push_str(&format!(
                            "import {{ {} }} from \"{}\";{nl}",
                            list.join(", "),
                            placeholder(*d)
                        ));
                    }
                    _ => head.push_str(&format!("import \"{}\";{nl}", placeholder(*d))),
                }
            }
            let import_hash = link::name_hash("__somon_import");
            let uses_import = part
                .modules
                .iter()
                .any(|&p| hoist(p).is_some_and(|h| h.reserved.binary_search(&import_hash).is_ok()));
            if !part.dynamic.is_empty() || uses_import {
                head.push_str("var __somon_chunks = {\n");
                for (k, t) in &part.dynamic {
                    head.push_str(&format!(
                        "{}: function () {{ return import(\"{}\"); }},\n",
                        serde_json_str(k),
                        placeholder(*t)
                    ));
                }
                head.push_str("};\nfunction __somon_import(id) {\nvar load = __somon_chunks[id];\nreturn load ? load() : import(id);\n}\n");
            }
            // Factory modules it uses that none of its modules imports
            // (through another module's re-export): loaded by a chunk that
            // ran before, loaded here from the cache.
            let mut loaded: BTreeSet<usize> = BTreeSet::new();
            let requested: BTreeSet<usize> = part
                .modules
                .iter()
                .filter_map(|&p| hoist(p))
                .flat_map(|h| h.requests.iter().filter_map(|r| table_of(r)))
                .collect();
            for &i in part.tables.difference(&requested) {
                let key = tables
                    .get(i)
                    .and_then(|&p| pieces.get(p))
                    .map(|x| x.name.as_str());
                if let Some(key) = key {
                    head.push_str(&format!(
                        "var {} = __somon_load({}, null);{nl}",
                        table_var(i),
                        serde_json_str(key)
                    ));
                    loaded.insert(i);
                }
            }
            out.text(&head);
            // Helpers of its modules, each once.
            let mut helper_seen: HashSet<&str> = HashSet::new();
            let mut helpers = String::new();
            for &p in &part.modules {
                if let Some(piece) = pieces.get(p) {
                    for (name, text) in &piece.helpers {
                        if helper_seen.insert(name.as_str()) {
                            helpers.push_str(text);
                            if !text.ends_with('\n') {
                                helpers.push('\n');
                            }
                        }
                    }
                }
            }
            out.text(&helpers);
            if !part.namespaces.is_empty() {
                let mut ns = String::from(NAMESPACE_FUNCTION);

                for &p in &part.namespaces {
                    let Some(key) = pieces.get(p).map(|x| x.name.as_str()) else {
                        continue;
                    };
                    ns.push_str(&namespace_declaration(&linker, key, &ns_var(p), &|b| {
                        name_of(b).0
                    }));
                }
                out.text(&ns);
            }
            let mut sizes: Vec<(String, usize)> = Vec::new();
            for &p in &part.modules {
                let (Some(piece), Some(live), Some(h)) =
                    (pieces.get(p), plan.live.get(p), hoist(p))
                else {
                    continue;
                };
                let mut loads = String::new();
                for i in h.requests.iter().filter_map(|r| table_of(r)) {
                    let key = tables
                        .get(i)
                        .and_then(|&t| pieces.get(t))
                        .map(|x| x.name.as_str());
                    if let Some(key) = key.filter(|_| loaded.insert(i)) {
                        loads.push_str(&format!(
                            "var {} = __somon_load({}, null);{nl}",
                            table_var(i),
                            serde_json_str(key)
                        ));
                    }
                }
                out.text(&loads);
                let before = out.code.len();
                let ids = out.sources(piece);
                for (stmt, _) in h.statements.iter().zip(live).filter(|(_, l)| **l) {
                    let (text, toks) = link::fill_statement(&piece.body, h, stmt, &mut |sym| {
                        name_of(&linker.resolve_sym(p, sym)).0
                    });
                    out.mapped(&text, &toks, &ids);
                }
                sizes.push((piece.name.clone(), out.code.len() - before));
            }
            // Exports: what other chunks import, and an entry's own.
            let mut tail = String::new();
            let mut list: Vec<String> = part.exports.iter().cloned().collect();
            if let Some(key) = entry_keys.get(c) {
                for (i, name) in linker.export_names(key).iter().enumerate() {
                    let local = name_of(&linker.resolve(key, name)).0;
                    let local = if is_ident_name(&local) {
                        local
                    } else {
                        let var = format!("__somon_export{i}");
                        tail.push_str(&format!("var {var} = {local};\n"));
                        var
                    };
                    let public = if is_ident_name(name) || name == "default" {
                        name.clone()
                    } else {
                        serde_json_str(name)
                    };
                    if local == public {
                        list.push(local);
                    } else {
                        list.push(format!("{local} as {public}"));
                    }
                }
            }
            list.sort();
            list.dedup();
            let mut public: Vec<String> = list
                .iter()
                .map(|l| l.rsplit(" as ").next().unwrap_or(l).to_string())
                .collect();
            public.sort();
            exported.push(public);
            if !list.is_empty() {
                tail.push_str(&format!("export {{ {} }};\n", list.join(", ")));
            }
            if !out.code.is_empty() && !out.code.ends_with('\n') {
                tail.insert(0, '\n');
            }
            out.text(&tail);
            let map = out.map.map(|m| m.builder.into_sourcemap());
            texts.push((out.code, map, sizes));
        }

        // Names: own hashes, then folded with every chunk reached.
        let own: Vec<u64> = texts.iter().map(|(t, _, _)| link::name_hash(t)).collect();
        let reach: Vec<Vec<usize>> = parts
            .iter()
            .map(|p| {
                p.deps
                    .iter()
                    .copied()
                    .chain(p.dynamic.iter().map(|(_, t)| *t))
                    .chain(p.ns_imports.iter().map(|(t, _)| *t))
                    .collect()
            })
            .collect();
        let mut files: Vec<String> = Vec::with_capacity(chunk_count);
        for c in 0..chunk_count {
            let mut seen: BTreeSet<usize> = BTreeSet::new();
            let mut work = vec![c];
            while let Some(x) = work.pop() {
                if seen.insert(x) {
                    work.extend(reach.get(x).into_iter().flatten().copied());
                }
            }
            let folded: Vec<String> = seen
                .iter()
                .map(|x| format!("{x}:{}", own.get(*x).copied().unwrap_or(0)))
                .collect();
            let hash = hash_text(link::name_hash(&folded.join(",")));
            let file = if c < statics {
                let name = entries.get(c).map_or("index", |(_, n)| n.as_str());
                format!("{name}.js")
            } else {
                let name = match entry_keys.get(c) {
                    Some(k) => stem(k),
                    None => "chunk".to_string(),
                };
                let mut f = chunk_names
                    .replace("[name]", &name)
                    .replace("[hash]", &hash);
                if !f.contains(&hash) {
                    f = format!("{f}-{hash}");
                }
                format!("{f}.js")
            };
            let mut file = file;
            let mut k = 1;
            while files.contains(&file) {
                file = format!("{}-{k}.js", file.trim_end_matches(".js"));
                k += 1;
            }
            files.push(file);
        }

        let mut chunks = Vec::with_capacity(chunk_count);
        for (c, (code, map, sizes)) in texts.into_iter().enumerate() {
            let Some(file) = files.get(c) else { continue };
            let mut code = code;
            if code.contains("__SOMON_CHUNK_") {
                for (d, other) in files.iter().enumerate().rev() {
                    code = code.replace(&placeholder(d), &relative(file, other));
                }
            }
            let out = match map {
                None => EmitOutput { code, map: None },
                Some(mut map) => {
                    // Sources are relative to the output folder: a chunk in
                    // a folder of its own (--chunk-names) names them from
                    // there.
                    let depth = file.matches('/').count();
                    if depth > 0 {
                        let up = "../".repeat(depth);
                        for i in 0..map.get_source_count() {
                            let Some(src) = map.get_source(i).map(|s| s.to_string()) else {
                                continue;
                            };
                            if !src.contains(':') && !src.starts_with('/') {
                                map.set_source(i, format!("{up}{src}").into());
                            }
                        }
                    }
                    let mut emit = self.opts.emit.clone();
                    emit.output_name = Some(file.rsplit('/').next().unwrap_or(file).to_string());
                    render_map(code, map, &emit)?
                }
            };
            let mut imports: Vec<(String, bool)> = Vec::new();
            if let Some(part) = parts.get(c) {
                let statics = part
                    .deps
                    .iter()
                    .chain(part.ns_imports.iter().map(|(t, _)| t))
                    .map(|t| (*t, false));
                let dynamics = part.dynamic.iter().map(|(_, t)| (*t, true));
                for (t, dynamic) in statics.chain(dynamics) {
                    if let Some(f) = files.get(t) {
                        if !imports.iter().any(|(x, d)| x == f && *d == dynamic) {
                            imports.push((f.clone(), dynamic));
                        }
                    }
                }
            }
            chunks.push(Chunk {
                file: file.clone(),
                code: out.code,
                map: out.map,
                module_bytes: sizes,
                entry: if c < statics {
                    entry_keys.get(c).cloned()
                } else {
                    None
                },
                imports,
                exports: exported.get(c).cloned().unwrap_or_default(),
                entry_point: None,
            });
        }
        Ok(chunks)
    }
}

impl BundleEmitter {
    /// The text of the chunk holding a split build's factory modules.
    fn table_chunk(&self, pieces: &[&ModulePiece], tables: &[usize]) -> Result<Text, String> {
        let mut out = Assembly::new(0, self.want_map());
        let host = match self.opts.platform {
            Platform::Node => "import { createRequire as __somon_create_require } from \"node:module\";\nimport { fileURLToPath as __somon_file_path } from \"node:url\";\nimport { dirname as __somon_dirname } from \"node:path\";\nvar __somon_host_require = __somon_create_require(import.meta.url);\nvar __filename = __somon_file_path(import.meta.url), __dirname = __somon_dirname(__filename);\n",
            _ => "var __somon_host_require;\n",
        };
        out.text(host);
        out.text("var __somon_modules = ");
        let helpers: Vec<Vec<&str>> = tables
            .iter()
            .map(|&p| {
                pieces
                    .get(p)
                    .map(|x| x.helpers.iter().map(|(_, t)| t.as_str()).collect())
                    .unwrap_or_default()
            })
            .collect();
        let table: Vec<(&ModulePiece, &Vec<&str>)> = tables
            .iter()
            .zip(&helpers)
            .filter_map(|(&p, h)| pieces.get(p).map(|x| (*x, h)))
            .collect();
        let mut sizes: Vec<(String, usize)> = Vec::new();
        self.write_table(&mut out, &table, 0, &mut sizes)?;
        out.text(";\n");
        // The one-bundle runtime's loader, at the chunk's top level;
        // `require` of a module not in the table is the host's.
        for line in super::LOADER.lines() {
            out.text(line.strip_prefix("  ").unwrap_or(line));
            out.text("\n");
        }
        out.text("export { __somon_load };\n");
        let map = out.map.map(|m| m.builder.into_sourcemap());
        Ok((out.code, map, sizes))
    }
}

/// The first place in evaluation order of a chunk's modules.
fn parts_first(chunk_of: &[Option<usize>], position: &[usize], c: usize) -> usize {
    chunk_of
        .iter()
        .zip(position)
        .filter(|(x, _)| **x == Some(c))
        .map(|(_, p)| *p)
        .min()
        .unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_paths_are_relative_specifiers() {
        assert_eq!(relative("main.js", "chunk-A.js"), "./chunk-A.js");
        assert_eq!(relative("main.js", "chunks/a.js"), "./chunks/a.js");
        assert_eq!(relative("chunks/a.js", "chunks/b.js"), "./b.js");
        assert_eq!(relative("chunks/a.js", "main.js"), "../main.js");
    }

    #[test]
    fn stems_name_chunks() {
        assert_eq!(stem("src/page.som"), "page");
        assert_eq!(stem("a.b.som"), "a_b");
        assert_eq!(hash_text(0).len(), 8);
    }
}
