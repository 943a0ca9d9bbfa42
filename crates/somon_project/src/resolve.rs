//! Module resolution (tooling.md §4.2, with its defects fixed): relative
//! and absolute paths, extension-less specifiers trying `.som` first,
//! `index` files in folders, `baseUrl`/`paths` aliases, Node built-ins, and
//! packages in `node_modules` honouring `package.json` `exports`, `main`
//! and `module`. A failure lists every candidate that was tried.

use crate::fs::{FileSystem, PathStyle};
use std::path::{Path, PathBuf};

/// Extensions tried, in order, for a specifier without one.
pub const EXTENSIONS: [&str; 5] = [".som", ".js", ".mjs", ".cjs", ".json"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A file of the project (or any file on disk reached by a path).
    File(PathBuf),
    /// A Node.js built-in module (`fs`, `node:path` …): always external.
    Builtin(String),
    /// A file inside a package in `node_modules`.
    Package { name: String, path: PathBuf },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolveError {
    pub specifier: String,
    /// Every path that was tried, in order.
    pub tried: Vec<PathBuf>,
}

#[derive(Clone, Debug, Default)]
pub struct ResolverConfig {
    /// Non-relative specifiers are also looked up under this folder.
    pub base_url: Option<PathBuf>,
    /// `paths` aliases: pattern (`@lib/*`) → targets (`src/lib/*`),
    /// relative to `base_url`.
    pub paths: Vec<(String, Vec<String>)>,
}

pub struct Resolver<'f> {
    fs: &'f dyn FileSystem,
    config: ResolverConfig,
}

/// Node.js built-in module names (without `node:`).
pub fn is_builtin(name: &str) -> bool {
    let name = name.strip_prefix("node:").unwrap_or(name);
    let root = name.split('/').next().unwrap_or(name);
    matches!(
        root,
        "assert"
            | "async_hooks"
            | "buffer"
            | "child_process"
            | "cluster"
            | "console"
            | "constants"
            | "crypto"
            | "dgram"
            | "diagnostics_channel"
            | "dns"
            | "domain"
            | "events"
            | "fs"
            | "http"
            | "http2"
            | "https"
            | "inspector"
            | "module"
            | "net"
            | "os"
            | "path"
            | "perf_hooks"
            | "process"
            | "punycode"
            | "querystring"
            | "readline"
            | "repl"
            | "stream"
            | "string_decoder"
            | "sys"
            | "test"
            | "timers"
            | "tls"
            | "trace_events"
            | "tty"
            | "url"
            | "util"
            | "v8"
            | "vm"
            | "wasi"
            | "worker_threads"
            | "zlib"
    )
}

fn is_relative(spec: &str) -> bool {
    spec == "." || spec == ".." || spec.starts_with("./") || spec.starts_with("../")
}

impl<'f> Resolver<'f> {
    pub fn new(fs: &'f dyn FileSystem, config: ResolverConfig) -> Self {
        Resolver { fs, config }
    }

    /// Resolves `spec` as imported by the file `from`.
    pub fn resolve(&self, spec: &str, from: &Path) -> Result<Resolved, ResolveError> {
        let mut tried = Vec::new();
        if spec.starts_with("node:") || (is_builtin(spec) && !is_relative(spec)) {
            return Ok(Resolved::Builtin(spec.to_string()));
        }
        let style = self.style();
        let from_dir = style.parent(from).unwrap_or_else(|| PathBuf::from("/"));
        let from_dir = from_dir.as_path();
        if spec.starts_with('#') {
            return self
                .resolve_imports(spec, from_dir, &mut tried)
                .ok_or_else(|| ResolveError {
                    specifier: spec.to_string(),
                    tried,
                });
        }
        if is_relative(spec) || spec.starts_with('/') {
            // `/x` is absolute (on Windows: on the importing file's drive).
            let base = if spec.starts_with('/') {
                style.join(from_dir, spec)
            } else {
                style.normalize(&style.join(from_dir, spec))
            };
            return self
                .probe(&base, &mut tried)
                .map(Resolved::File)
                .ok_or_else(|| ResolveError {
                    specifier: spec.to_string(),
                    tried,
                });
        }
        if let Some(base_url) = &self.config.base_url {
            for (pattern, targets) in &self.config.paths {
                let Some(rest) = match_pattern(pattern, spec) else {
                    continue;
                };
                for target in targets {
                    let candidate =
                        style.normalize(&style.join(base_url, target.replace('*', rest)));
                    if let Some(p) = self.probe(&candidate, &mut tried) {
                        return Ok(Resolved::File(p));
                    }
                }
            }
            let candidate = style.normalize(&style.join(base_url, spec));
            if let Some(p) = self.probe(&candidate, &mut tried) {
                return Ok(Resolved::File(p));
            }
        }
        self.resolve_package(spec, from_dir, &mut tried)
            .ok_or_else(|| ResolveError {
                specifier: spec.to_string(),
                tried,
            })
    }

    /// How the file system spells paths.
    pub fn style(&self) -> PathStyle {
        self.fs.style()
    }

    /// A file, the file with one of [`EXTENSIONS`], or a folder's package
    /// entry or `index` file.
    fn probe(&self, path: &Path, tried: &mut Vec<PathBuf>) -> Option<PathBuf> {
        self.probe_with(path, tried, true)
    }

    /// [`Self::probe`]; `manifest` says whether a folder's `package.json`
    /// is read. A package entry is probed without it, as Node's
    /// `tryPackage` does (the file, with extensions, or the folder's
    /// `index`): an entry that leads back to its own folder (`"main": "."`)
    /// or to a folder with a manifest of its own cannot recurse.
    fn probe_with(&self, path: &Path, tried: &mut Vec<PathBuf>, manifest: bool) -> Option<PathBuf> {
        tried.push(path.to_path_buf());
        if self.fs.is_file(path) {
            return Some(path.to_path_buf());
        }
        for ext in EXTENSIONS {
            let mut s = path.as_os_str().to_owned();
            s.push(ext);
            let candidate = PathBuf::from(s);
            tried.push(candidate.clone());
            if self.fs.is_file(&candidate) {
                return Some(candidate);
            }
        }
        if self.fs.is_dir(path) {
            return self.probe_folder(path, tried, manifest);
        }
        None
    }

    /// A folder's package entry (when `manifest`), else its `index` file.
    fn probe_folder(
        &self,
        dir: &Path,
        tried: &mut Vec<PathBuf>,
        manifest: bool,
    ) -> Option<PathBuf> {
        if let Some(entry) = manifest.then(|| self.package_entry(dir, ".")).flatten() {
            if let Some(p) = self.probe_with(&entry, tried, false) {
                return Some(p);
            }
        }
        for ext in EXTENSIONS {
            let candidate = self.style().join(dir, format!("index{ext}"));
            tried.push(candidate.clone());
            if self.fs.is_file(&candidate) {
                return Some(candidate);
            }
        }
        None
    }

    /// A `#name` specifier through the `imports` of the nearest
    /// `package.json` above the importing file: a file of that package, or
    /// a package.
    fn resolve_imports(
        &self,
        spec: &str,
        from_dir: &Path,
        tried: &mut Vec<PathBuf>,
    ) -> Option<Resolved> {
        let style = self.style();
        let mut dir = Some(from_dir.to_path_buf());
        while let Some(d) = dir {
            let manifest = style.join(&d, "package.json");
            if let Ok(text) = self.fs.read_to_string(&manifest) {
                tried.push(manifest);
                let json: serde_json::Value = serde_json::from_str(&text).ok()?;
                let target = subpath_target(json.get("imports")?, spec)?;
                if target.starts_with("./") {
                    let path = style.normalize(&style.join(&d, &target));
                    if !style.starts_with(&path, &d) {
                        return None;
                    }
                    return self.probe(&path, tried).map(Resolved::File);
                }
                return self.resolve_package(&target, &d, tried);
            }
            dir = style.parent(&d);
        }
        None
    }

    /// The entry of `subpath` (`.` or `./x`) of the package in `dir`, from
    /// `exports` (conditions `require`, `node`, `default`, `import`; exact
    /// subpaths, then `*` patterns), then `main`, then `module`. An entry
    /// that is the folder itself (`""`, `"."`, `"./"`) counts as absent, as
    /// in Node: the folder's `index` file is used.
    fn package_entry(&self, dir: &Path, subpath: &str) -> Option<PathBuf> {
        let style = self.style();
        let text = self
            .fs
            .read_to_string(&style.join(dir, "package.json"))
            .ok()?;
        let json: serde_json::Value = serde_json::from_str(&text).ok()?;
        let dir = style.normalize(dir);
        let inside = |rel: &str| {
            let p = style.normalize(&style.join(&dir, rel));
            (style.starts_with(&p, &dir) && p != dir).then_some(p)
        };
        if let Some(exports) = json.get("exports") {
            let target = match exports {
                serde_json::Value::Object(map) if map.keys().any(|k| k.starts_with('.')) => {
                    subpath_target(exports, subpath)
                }
                other if subpath == "." => pick_condition(other),
                _ => None,
            };
            return target.and_then(|t| inside(&t));
        }
        if subpath != "." {
            return inside(subpath);
        }
        ["main", "module"]
            .iter()
            .filter_map(|k| json.get(*k).and_then(|v| v.as_str()))
            .find_map(inside)
    }

    fn resolve_package(
        &self,
        spec: &str,
        from_dir: &Path,
        tried: &mut Vec<PathBuf>,
    ) -> Option<Resolved> {
        let mut segments = spec.splitn(3, '/');
        let first = segments.next()?;
        let name = if first.starts_with('@') {
            format!("{first}/{}", segments.next()?)
        } else {
            first.to_string()
        };
        let sub = spec.get(name.len()..).unwrap_or("");
        let subpath = if sub.is_empty() {
            ".".to_string()
        } else {
            format!(".{sub}")
        };
        let style = self.style();
        let mut dir = Some(from_dir.to_path_buf());
        while let Some(d) = dir {
            let pkg = style.join(&style.join(&d, "node_modules"), &name);
            tried.push(pkg.clone());
            if self.fs.is_dir(&pkg) {
                let found = if subpath == "." {
                    self.probe_folder(&pkg, tried, true)
                } else {
                    match self.package_entry(&pkg, &subpath) {
                        Some(entry) => self.probe(&entry, tried),
                        None => self.probe(&style.join(&pkg, sub.trim_start_matches('/')), tried),
                    }
                };
                if let Some(path) = found {
                    let path = self.real_package_path(&d, path);
                    return Some(Resolved::Package { name, path });
                }
            }
            dir = style.parent(&d);
        }
        None
    }
}

impl Resolver<'_> {
    /// A package file where it really is, as Node finds it (pnpm links
    /// `node_modules/x` into `node_modules/.pnpm/…`; the package's own
    /// imports resolve from there). Kept below `base` (the folder holding
    /// `node_modules`) when it is inside it, so bundle keys stay relative
    /// paths of the project even when the project's own path has links.
    fn real_package_path(&self, base: &Path, path: PathBuf) -> PathBuf {
        let real = self.fs.real_path(&path);
        if real == path {
            return path;
        }
        let style = self.style();
        match style.strip_prefix(&real, &self.fs.real_path(base)) {
            Some(rest) => rest
                .iter()
                .fold(base.to_path_buf(), |p, name| style.join(&p, name)),
            None => real,
        }
    }
}

fn pick_condition(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Object(map) => ["require", "node", "default", "import"]
            .iter()
            .find_map(|c| map.get(*c).and_then(pick_condition)),
        serde_json::Value::Array(items) => items.iter().find_map(pick_condition),
        _ => None,
    }
}

/// The target of `key` in a `package.json` `exports` or `imports` map: an
/// exact key, else the `*` pattern with the longest prefix that matches,
/// its `*`s replaced by what the `*` matched.
fn subpath_target(map: &serde_json::Value, key: &str) -> Option<String> {
    let map = map.as_object()?;
    if let Some(v) = map.get(key) {
        return pick_condition(v);
    }
    let (rest, value) = map
        .iter()
        .filter_map(|(pattern, value)| {
            let (prefix, suffix) = pattern.split_once('*')?;
            let rest = key.strip_prefix(prefix)?.strip_suffix(suffix)?;
            Some((prefix.len(), pattern.len(), rest, value))
        })
        .max_by_key(|&(prefix, len, _, _)| (prefix, len))
        .map(|(_, _, rest, value)| (rest, value))?;
    pick_condition(value).map(|t| t.replace('*', rest))
}

/// `@lib/*` matches `@lib/x/y` with the remainder `x/y`; a pattern without
/// `*` matches itself with an empty remainder.
fn match_pattern<'s>(pattern: &str, spec: &'s str) -> Option<&'s str> {
    match pattern.split_once('*') {
        Some((prefix, suffix)) => spec
            .strip_prefix(prefix)
            .and_then(|r| r.strip_suffix(suffix))
            .filter(|r| !r.is_empty() || (prefix.len() + suffix.len() == spec.len())),
        None => (pattern == spec).then_some(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::MemoryFs;

    fn resolve(
        fs: &MemoryFs,
        config: ResolverConfig,
        spec: &str,
        from: &str,
    ) -> Result<Resolved, ResolveError> {
        Resolver::new(fs, config).resolve(spec, Path::new(from))
    }

    fn file(p: &str) -> Result<Resolved, ResolveError> {
        Ok(Resolved::File(PathBuf::from(p)))
    }

    #[test]
    fn relative_files_extensions_and_index() {
        let fs = MemoryFs::new([
            ("/п/main.som", ""),
            ("/п/асбоб.som", ""),
            ("/п/асбоб.js", ""),
            ("/п/lib/stats.som", ""),
            ("/п/ёр/index.som", ""),
            ("/п/маълумот.json", "{}"),
        ]);
        let r = |s: &str| resolve(&fs, ResolverConfig::default(), s, "/п/main.som");
        assert_eq!(r("./асбоб"), file("/п/асбоб.som"));
        assert_eq!(r("./асбоб.js"), file("/п/асбоб.js"));
        assert_eq!(r("./lib/stats.som"), file("/п/lib/stats.som"));
        assert_eq!(r("./ёр"), file("/п/ёр/index.som"));
        assert_eq!(r("./маълумот.json"), file("/п/маълумот.json"));
        assert_eq!(
            resolve(
                &fs,
                ResolverConfig::default(),
                "../асбоб",
                "/п/lib/stats.som"
            ),
            file("/п/асбоб.som")
        );
    }

    #[test]
    fn builtins_are_external() {
        let fs = MemoryFs::default();
        let r = |s: &str| resolve(&fs, ResolverConfig::default(), s, "/п/main.som");
        assert_eq!(r("fs"), Ok(Resolved::Builtin("fs".into())));
        assert_eq!(r("node:path"), Ok(Resolved::Builtin("node:path".into())));
        assert_eq!(
            r("fs/promises"),
            Ok(Resolved::Builtin("fs/promises".into()))
        );
    }

    #[test]
    fn a_missing_module_lists_what_was_tried() {
        let fs = MemoryFs::new([("/п/main.som", "")]);
        let err = resolve(&fs, ResolverConfig::default(), "./нест", "/п/main.som").err();
        let tried = err.map(|e| e.tried).unwrap_or_default();
        assert_eq!(tried.first(), Some(&PathBuf::from("/п/нест")));
        assert!(tried.contains(&PathBuf::from("/п/нест.som")));
        assert!(tried.contains(&PathBuf::from("/п/нест.json")));
    }

    #[test]
    fn packages_exports_main_and_module() {
        let fs = MemoryFs::new([
            (
                "/п/node_modules/бо-экспорт/package.json",
                r#"{"exports": {".": {"import": "./esm.js", "require": "./cjs.js"}, "./ёрӣ": "./lib/ёрӣ.js"}}"#,
            ),
            ("/п/node_modules/бо-экспорт/cjs.js", ""),
            ("/п/node_modules/бо-экспорт/lib/ёрӣ.js", ""),
            (
                "/п/node_modules/бо-main/package.json",
                r#"{"main": "dist/index"}"#,
            ),
            ("/п/node_modules/бо-main/dist/index.js", ""),
            (
                "/п/node_modules/@ск/бо-module/package.json",
                r#"{"module": "m.js"}"#,
            ),
            ("/п/node_modules/@ск/бо-module/m.js", ""),
            ("/п/src/main.som", ""),
        ]);
        let r = |s: &str| resolve(&fs, ResolverConfig::default(), s, "/п/src/main.som");
        let pkg = |name: &str, p: &str| {
            Ok(Resolved::Package {
                name: name.into(),
                path: PathBuf::from(p),
            })
        };
        assert_eq!(
            r("бо-экспорт"),
            pkg("бо-экспорт", "/п/node_modules/бо-экспорт/cjs.js")
        );
        assert_eq!(
            r("бо-экспорт/ёрӣ"),
            pkg("бо-экспорт", "/п/node_modules/бо-экспорт/lib/ёрӣ.js")
        );
        assert_eq!(
            r("бо-main"),
            pkg("бо-main", "/п/node_modules/бо-main/dist/index.js")
        );
        assert_eq!(
            r("@ск/бо-module"),
            pkg("@ск/бо-module", "/п/node_modules/@ск/бо-module/m.js")
        );
    }

    #[test]
    fn exports_patterns_and_package_imports() {
        let fs = MemoryFs::new([
            (
                "/п/node_modules/қолаб/package.json",
                r##"{"exports": {"./*": "./dist/*.js", "./ёрӣ/*": {"require": "./lib/*.cjs"}, "./нест/*": null}, "imports": {"#дарун/*": "./src/*.js", "#берун": "бо-main"}}"##,
            ),
            ("/п/node_modules/қолаб/dist/як.js", ""),
            ("/п/node_modules/қолаб/lib/ду.cjs", ""),
            ("/п/node_modules/қолаб/src/се.js", ""),
            (
                "/п/node_modules/бо-main/package.json",
                r#"{"main": "i.js"}"#,
            ),
            ("/п/node_modules/бо-main/i.js", ""),
            ("/п/main.som", ""),
        ]);
        let r = |s: &str, from: &str| resolve(&fs, ResolverConfig::default(), s, from);
        let pkg = |name: &str, p: &str| {
            Ok(Resolved::Package {
                name: name.into(),
                path: PathBuf::from(p),
            })
        };
        assert_eq!(
            r("қолаб/як", "/п/main.som"),
            pkg("қолаб", "/п/node_modules/қолаб/dist/як.js")
        );
        // The longest prefix wins.
        assert_eq!(
            r("қолаб/ёрӣ/ду", "/п/main.som"),
            pkg("қолаб", "/п/node_modules/қолаб/lib/ду.cjs")
        );
        let inside = "/п/node_modules/қолаб/dist/як.js";
        assert_eq!(
            r("#дарун/се", inside),
            file("/п/node_modules/қолаб/src/се.js")
        );
        assert_eq!(
            r("#берун", inside),
            pkg("бо-main", "/п/node_modules/бо-main/i.js")
        );
        assert!(r("#нест", inside).is_err());
        assert!(r("#дарун/се", "/п/main.som").is_err());
    }

    /// A `main` or `exports` that names the package's own folder is
    /// absent (Node falls back to `index`), and an entry that leads back
    /// to a folder being probed does not recurse.
    #[test]
    fn an_entry_naming_its_own_folder_falls_back_to_index() {
        let spellings = [
            r#"{"main": "."}"#,
            r#"{"main": "./"}"#,
            r#"{"main": ""}"#,
            r#"{"exports": "./"}"#,
            r#"{"exports": "."}"#,
            r#"{"exports": {".": "./"}}"#,
            r#"{"main": "./lib/.."}"#,
        ];
        for manifest in spellings {
            let fs = MemoryFs::new([
                ("/п/node_modules/ҳалқа/package.json", manifest),
                ("/п/node_modules/ҳалқа/index.js", ""),
                ("/п/node_modules/ҳалқа/lib/x.js", ""),
                ("/п/ҷузв/package.json", manifest),
                ("/п/ҷузв/index.js", ""),
                ("/п/main.som", ""),
            ]);
            let r = |s: &str| resolve(&fs, ResolverConfig::default(), s, "/п/main.som");
            assert_eq!(
                r("ҳалқа"),
                Ok(Resolved::Package {
                    name: "ҳалқа".into(),
                    path: PathBuf::from("/п/node_modules/ҳалқа/index.js"),
                }),
                "{manifest}"
            );
            assert_eq!(r("./ҷузв"), file("/п/ҷузв/index.js"), "{manifest}");
            // Without an index file: not found, after a bounded search.
            let fs = MemoryFs::new([
                ("/п/node_modules/ҳалқа/package.json", manifest),
                ("/п/ҷузв/package.json", manifest),
                ("/п/main.som", ""),
            ]);
            let r = |s: &str| resolve(&fs, ResolverConfig::default(), s, "/п/main.som");
            assert!(r("ҳалқа").is_err(), "{manifest}");
            assert!(r("./ҷузв").is_err(), "{manifest}");
        }
    }

    /// Entries that lead to folders whose manifests lead back: Node reads
    /// no manifest of an entry's folder, only its `index`.
    #[test]
    fn entries_leading_back_and_forth_do_not_recurse() {
        let fs = MemoryFs::new([
            ("/п/node_modules/а/package.json", r#"{"main": "./ҷ"}"#),
            ("/п/node_modules/а/ҷ/package.json", r#"{"main": ".."}"#),
            ("/п/node_modules/а/ҷ/index.js", ""),
            ("/п/node_modules/б/package.json", r#"{"main": "./ҷ"}"#),
            ("/п/node_modules/б/ҷ/package.json", r#"{"main": "./x.js"}"#),
            ("/п/node_modules/б/ҷ/x.js", ""),
            ("/п/node_modules/б/index.js", ""),
            ("/п/main.som", ""),
        ]);
        let r = |s: &str| resolve(&fs, ResolverConfig::default(), s, "/п/main.som");
        let pkg = |name: &str, p: &str| {
            Ok(Resolved::Package {
                name: name.into(),
                path: PathBuf::from(p),
            })
        };
        assert_eq!(r("а"), pkg("а", "/п/node_modules/а/ҷ/index.js"));
        assert_eq!(r("б"), pkg("б", "/п/node_modules/б/index.js"));
        // A subpath is a folder of its own: its manifest counts.
        assert_eq!(r("б/ҷ"), pkg("б", "/п/node_modules/б/ҷ/x.js"));
        assert_eq!(r("а/ҷ"), pkg("а", "/п/node_modules/а/ҷ/index.js"));
    }

    #[test]
    fn base_url_and_paths() {
        let fs = MemoryFs::new([("/п/src/lib/пул.som", ""), ("/п/src/main.som", "")]);
        let config = ResolverConfig {
            base_url: Some(PathBuf::from("/п/src")),
            paths: vec![("@lib/*".into(), vec!["lib/*".into()])],
        };
        assert_eq!(
            resolve(&fs, config.clone(), "@lib/пул", "/п/src/main.som"),
            file("/п/src/lib/пул.som")
        );
        assert_eq!(
            resolve(&fs, config, "lib/пул", "/п/src/main.som"),
            file("/п/src/lib/пул.som")
        );
    }
}
