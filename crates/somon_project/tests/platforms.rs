//! The same projects on the in-memory file systems of every platform
//! (`somon_fs::testing::PLATFORMS`: Unix, Windows on a drive and on a UNC
//! share, macOS): resolution, the module graph, bundles and their source
//! maps, incremental rebuilds and the folders a watcher watches. Bundles
//! must be byte-identical on all of them (keys and map `sources` use `/`).

use somon_emit::SourceMapKind;
use somon_project::fs::testing::{each_platform, Platform, PLATFORMS};
use somon_project::fs::{folders_below, FileSystem, MemoryFs, Semantics};
use somon_project::graph::build_graph;
use somon_project::{
    bundle, BundleFormat, BundleOutput, BundleRequest, IncrementalBundler, Resolved, Resolver,
    ResolverConfig,
};
use std::path::{Path, PathBuf};

const PROJECT: &[(&str, &str)] = &[
    (
        "/п/src/main.som",
        "ворид { ҷамъ } аз \"./lib/ҳисоб\";\nворид { ном } аз \"@асбоб/ном\";\nворид { ёрӣ } аз \"пакет\";\nворид маълумот аз \"../маълумот.json\";\nчоп.сабт(ҷамъ(1, 2), ном, ёрӣ(), маълумот.х);\n",
    ),
    (
        "/п/src/lib/ҳисоб.som",
        "ворид { зарб } аз \"./ёрӣ\";\nсодир функсия ҷамъ(а: рақам, б: рақам): рақам {\n  бозгашт а + зарб(б, 1);\n}\n",
    ),
    (
        "/п/src/lib/ёрӣ/index.som",
        "содир функсия зарб(а: рақам, б: рақам): рақам {\n  бозгашт а * б;\n}\n",
    ),
    (
        "/п/src/асбоб/ном.som",
        "содир собит ном = \"Сомон\";\n",
    ),
    ("/п/маълумот.json", "{\"х\": 7}"),
    (
        "/п/node_modules/пакет/package.json",
        r#"{"exports": {".": {"require": "./dist/index.js"}}}"#,
    ),
    (
        "/п/node_modules/пакет/dist/index.js",
        "const { дигар } = require('./дигар');\nexports.ёрӣ = () => дигар + 1;\n",
    ),
    (
        "/п/node_modules/пакет/dist/дигар.js",
        "exports.дигар = 41;\n",
    ),
];

fn resolver_config(p: &Platform) -> ResolverConfig {
    ResolverConfig {
        base_url: Some(p.path("/п/src")),
        paths: vec![("@асбоб/*".into(), vec!["асбоб/*".into()])],
    }
}

fn request(p: &Platform) -> BundleRequest {
    let emit = somon_emit::EmitOptions {
        source_map: SourceMapKind::Separate,
        ..Default::default()
    };
    BundleRequest {
        output: Some(p.path("/п/dist/bundle.js")),
        emit,
        resolver: resolver_config(p),
        ..BundleRequest::new(p.path("/п/src/main.som"), p.path("/п"), BundleFormat::Cjs)
    }
}

fn describe(out: &BundleOutput) -> Vec<String> {
    out.diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{}: {} {}",
                d.file, d.line, d.column, d.code, d.message
            )
        })
        .collect()
}

#[test]
fn resolution_follows_each_platforms_paths() {
    each_platform(|p| {
        let fs = p.tree(PROJECT.iter().copied());
        let r = Resolver::new(&fs, resolver_config(p));
        let from = p.path("/п/src/main.som");
        let file = |s: &str| Ok(Resolved::File(p.path(s)));
        assert_eq!(
            r.resolve("./lib/ҳисоб", &from),
            file("/п/src/lib/ҳисоб.som"),
            "{}",
            p.name
        );
        assert_eq!(
            r.resolve("./ёрӣ", &p.path("/п/src/lib/ҳисоб.som")),
            file("/п/src/lib/ёрӣ/index.som"),
            "{}",
            p.name
        );
        assert_eq!(
            r.resolve("../маълумот.json", &from),
            file("/п/маълумот.json"),
            "{}",
            p.name
        );
        assert_eq!(
            r.resolve("@асбоб/ном", &from),
            file("/п/src/асбоб/ном.som"),
            "{}",
            p.name
        );
        assert_eq!(
            r.resolve("пакет", &from),
            Ok(Resolved::Package {
                name: "пакет".into(),
                path: p.path("/п/node_modules/пакет/dist/index.js"),
            }),
            "{}",
            p.name
        );
        assert_eq!(
            r.resolve("fs", &from),
            Ok(Resolved::Builtin("fs".into())),
            "{}",
            p.name
        );
        // What a failure lists is spelled the platform's way.
        let err = r.resolve("./нест", &from).err().map(|e| e.tried);
        let tried = err.unwrap_or_default();
        assert_eq!(tried.first(), Some(&p.path("/п/src/нест")), "{}", p.name);
        assert!(tried.contains(&p.path("/п/src/нест.som")), "{}", p.name);
    });
}

/// Windows and macOS find a file under another case (and macOS under
/// another Unicode normal form); Unix does not.
#[test]
fn case_and_normal_form_of_names() {
    let composed = "ӣ";
    let decomposed = "\u{0438}\u{0304}";
    each_platform(|p| {
        let fs = p.tree([
            ("/п/main.som", ""),
            ("/п/Асбоб.som", ""),
            ("/п/ёр\u{04E3}.som", ""),
        ]);
        let r = Resolver::new(&fs, ResolverConfig::default());
        let from = p.path("/п/main.som");
        let insensitive = p.semantics != Semantics::Unix;
        assert_eq!(
            r.resolve("./асбоб", &from).is_ok(),
            insensitive,
            "{}",
            p.name
        );
        assert_eq!(
            r.resolve("./АСБОБ.som", &from).is_ok(),
            insensitive,
            "{}",
            p.name
        );
        let nfd = format!("./ёр{decomposed}");
        assert_eq!(
            r.resolve(&nfd, &from).is_ok(),
            p.semantics == Semantics::MacOs,
            "{}",
            p.name
        );
        assert!(
            r.resolve(&format!("./ёр{composed}"), &from).is_ok(),
            "{}",
            p.name
        );
    });
}

/// Device names cannot be files on Windows: an import of `./con` is not
/// found there, whatever the tree holds elsewhere.
#[test]
fn windows_refuses_device_names() {
    for p in PLATFORMS
        .iter()
        .filter(|p| p.semantics == Semantics::Windows)
    {
        let fs = p.tree([("/п/main.som", "")]);
        for name in ["CON", "nul.som", "Com1.som", "lpt9.js", "aux"] {
            let path = p.path(&format!("/п/{name}"));
            assert!(fs.try_insert(&path, "").is_err(), "{name}");
            assert!(!fs.is_file(&path), "{name}");
            let r = Resolver::new(&fs, ResolverConfig::default());
            assert!(r
                .resolve(&format!("./{name}"), &p.path("/п/main.som"))
                .is_err());
        }
    }
}

#[test]
fn the_module_graph_is_the_same_everywhere() {
    let mut first: Option<Vec<(String, usize)>> = None;
    each_platform(|p| {
        let fs = p.tree(PROJECT.iter().copied());
        let r = Resolver::new(&fs, resolver_config(p));
        let graph = build_graph(&p.path("/п/src/main.som"), &fs, &r, &[]);
        let base = p.path("/п/src");
        let described: Vec<(String, usize)> = graph
            .modules
            .iter()
            .map(|m| (graph.style.relative(&base, &m.path), m.imports.len()))
            .collect();
        assert!(
            graph.modules.iter().all(|m| m.diagnostics.is_empty()),
            "{}",
            p.name
        );
        assert_eq!(described.len(), 7, "{}: {described:?}", p.name);
        assert!(
            described.iter().all(|(k, _)| !k.contains('\\')),
            "{}: {described:?}",
            p.name
        );
        match &first {
            None => first = Some(described),
            Some(f) => assert_eq!(f, &described, "{}", p.name),
        }
    });
}

#[test]
fn bundles_and_maps_are_byte_identical_on_every_platform() {
    let mut first: Option<(String, String)> = None;
    each_platform(|p| {
        let fs = p.tree(PROJECT.iter().copied());
        let out = bundle(&request(p), &fs);
        let (Some(code), Some(map)) = (out.code.clone(), out.map.clone()) else {
            panic!("{}: no bundle: {:?}", p.name, describe(&out));
        };
        assert!(
            out.diagnostics.is_empty(),
            "{}: {:?}",
            p.name,
            describe(&out)
        );
        let sources: serde_json::Value = serde_json::from_str(&map).unwrap_or_default();
        let sources: Vec<&str> = sources["sources"]
            .as_array()
            .map(|a| a.iter().filter_map(|s| s.as_str()).collect())
            .unwrap_or_default();
        assert!(
            sources.contains(&"../src/lib/ёрӣ/index.som"),
            "{}: {sources:?}",
            p.name
        );
        // Hoisted Somon modules have no key in the table: their map name.
        assert!(
            sources.contains(&"../src/lib/ҳисоб.som"),
            "{}: {sources:?}",
            p.name
        );
        assert!(
            code.contains("\"../node_modules/пакет/dist/дигар.js\""),
            "{}",
            p.name
        );
        match &first {
            None => first = Some((code, map)),
            Some((c, m)) => {
                assert_eq!(c, &code, "{}: code differs from unix", p.name);
                assert_eq!(m, &map, "{}: map differs from unix", p.name);
            }
        }
    });
}

/// Diagnostics name files with `/` too, relative to the display folder.
#[test]
fn diagnostics_name_files_the_same_everywhere() {
    let mut first: Option<Vec<String>> = None;
    each_platform(|p| {
        let mut files: Vec<(&str, &str)> = PROJECT.to_vec();
        files.push((
            "/п/src/main.som",
            "ворид { ҷамъ } аз \"./lib/ҳисоб\";\nворид { х } аз \"./нест\";\nсобит а: сатр = ҷамъ(1, 2);\n",
        ));
        let fs = p.tree(files);
        let out = bundle(&request(p), &fs);
        assert!(out.code.is_none(), "{}", p.name);
        let described = describe(&out);
        assert!(
            described.iter().any(|d| d.starts_with("src/main.som:2:")),
            "{}: {described:?}",
            p.name
        );
        match &first {
            None => first = Some(described),
            Some(f) => assert_eq!(f, &described, "{}", p.name),
        }
    });
}

#[test]
fn incremental_rebuilds_equal_fresh_bundles_on_every_platform() {
    each_platform(|p| {
        let mut fs = p.tree(PROJECT.iter().copied());
        let mut inc = IncrementalBundler::new(request(p));
        let first = inc.build(&fs, None);
        let fresh = bundle(&request(p), &fs);
        assert_eq!(first.output.code, fresh.code, "{}", p.name);
        assert!(first.output.code.is_some(), "{}", p.name);
        let leaf = p.path("/п/src/асбоб/ном.som");
        fs.insert(&leaf, "содир собит ном = \"Сомон 2\";\n");
        let edit = inc.build(&fs, Some(std::slice::from_ref(&leaf)));
        let fresh = bundle(&request(p), &fs);
        assert_eq!(edit.output.code, fresh.code, "{}", p.name);
        assert_eq!(edit.output.map, fresh.map, "{}", p.name);
        assert!(
            edit.output
                .code
                .as_deref()
                .is_some_and(|c| c.contains("Сомон 2")),
            "{}",
            p.name
        );
    });
}

/// What a watcher watches, and the files a project compile finds, named
/// relative to the project on every platform.
#[test]
fn watched_folders_and_project_files() {
    let mut first: Option<(Vec<String>, Vec<String>)> = None;
    each_platform(|p| {
        let mut files: Vec<(&str, &str)> = PROJECT.to_vec();
        files.push(("/п/.git/HEAD", "ref"));
        files.push(("/п/src/холӣ/README", ""));
        let fs = p.tree(files);
        let root = p.path("/п");
        let style = fs.style();
        let (folders, cut) = folders_below(&fs, &root, 100);
        assert!(!cut);
        let folders: Vec<String> = folders.iter().map(|f| style.relative(&root, f)).collect();
        let sources = somon_fs_collect(&fs, &root);
        let sources: Vec<String> = sources.iter().map(|f| style.relative(&root, f)).collect();
        assert_eq!(
            folders,
            ["", "src", "src/lib", "src/lib/ёрӣ", "src/асбоб", "src/холӣ"],
            "{}",
            p.name
        );
        assert_eq!(sources.len(), 4, "{}: {sources:?}", p.name);
        let (few, cut) = folders_below(&fs, &root, 2);
        assert!(cut && few.len() == 2, "{}", p.name);
        // A removed folder is waited for in the nearest one that exists.
        let gone = p.path("/п/src/нест/дарун");
        assert_eq!(
            somon_project::fs::nearest_existing_ancestor(&fs, &gone),
            Some(p.path("/п/src")),
            "{}",
            p.name
        );
        match &first {
            None => first = Some((folders, sources)),
            Some(f) => assert_eq!(f, &(folders, sources), "{}", p.name),
        }
    });
}

fn somon_fs_collect(fs: &MemoryFs, root: &Path) -> Vec<PathBuf> {
    somon_fs::collect_som_files(fs, &[root.to_path_buf()]).unwrap_or_default()
}
