//! The incremental bundler: what a rebuild redoes, and that its output is
//! byte for byte what a fresh `bundle()` gives for the same files.

use somon_emit::{EmitOptions, SourceMapKind};
use somon_project::fs::MemoryFs;
use somon_project::{bundle, BundleFormat, BundleRequest, IncrementalBundler};
use std::path::PathBuf;
use std::time::Instant;

const ROOT: &str = "/лоиҳа";

fn path(name: &str) -> PathBuf {
    PathBuf::from(format!("{ROOT}/{name}"))
}

fn request(entry: &str, map: bool) -> BundleRequest {
    BundleRequest {
        output: Some(path("dist/bundle.js")),
        emit: EmitOptions {
            source_map: if map {
                SourceMapKind::Separate
            } else {
                SourceMapKind::None
            },
            inline_sources: map,
            output_name: Some("bundle.js".into()),
            ..EmitOptions::default()
        },
        ..BundleRequest::new(path(entry), PathBuf::from(ROOT), BundleFormat::Cjs)
    }
}

/// Module `i` of a generated project of `n` (as `benchmark/bundle.mjs`
/// makes them): it imports modules `2i+1` and `2i+2`, and every module
/// imports the shared `асбоб.som`.
fn module_text(i: usize, n: usize, salt: &str) -> String {
    let deps: Vec<usize> = [i * 2 + 1, i * 2 + 2]
        .into_iter()
        .filter(|&d| d < n)
        .collect();
    let mut l: Vec<String> = Vec::new();
    l.push("ворид { асбоб } аз \"./асбоб\";".into());
    for d in &deps {
        l.push(format!("ворид {{ Ҳисоб{d}, ҷамъ{d} }} аз \"./м{d}\";"));
    }
    l.push(format!("содир синф Ҳисоб{i} {{"));
    l.push("  ном: сатр;".into());
    l.push("  қиматҳо: рақам[] = [];".into());
    l.push("  конструктор(ном: сатр) {".into());
    l.push("    ин.ном = ном;".into());
    l.push("  }".into());
    l.push("  илова(қ: рақам): рақам {".into());
    l.push("    ин.қиматҳо.илова(қ);".into());
    l.push("    бозгашт ин.қиматҳо.дарозӣ;".into());
    l.push("  }".into());
    l.push("  ҷамъбаст(): рақам {".into());
    l.push("    тағ ҷ = 0;".into());
    l.push("    барои (собит қ аз ин.қиматҳо) {".into());
    l.push("      агар (қ % 2 === 0) {".into());
    l.push("        ҷ += қ * 2;".into());
    l.push("      } вагарна {".into());
    l.push("        ҷ -= (қ - 1) / 3;".into());
    l.push("      }".into());
    l.push("    }".into());
    l.push("    бозгашт ҷ;".into());
    l.push("  }".into());
    l.push("}".into());
    l.push(format!("содир синф Махсус{i} мерос Ҳисоб{i} {{"));
    l.push("  конструктор() {".into());
    l.push(format!("    супер(\"махсус-{i}{salt}\");"));
    l.push("  }".into());
    l.push("}".into());
    l.push(format!(
        "содир функсия ҷамъ{i}(а: рақам, б: рақам = 1): рақам {{"
    ));
    l.push("  тағ натиҷа = а;".into());
    l.push("  барои (тағ к = 0; к < б; к++) {".into());
    l.push(format!("    натиҷа += асбоб(к) * {};", i % 7));
    l.push("  }".into());
    for d in &deps {
        l.push(format!(
            "  натиҷа += ҷамъ{d}(нав Ҳисоб{d}(\"д\").илова({d}), 2);"
        ));
    }
    l.push("  бозгашт натиҷа;".into());
    l.push("}".into());
    if i == 0 {
        l.push("собит ҳ0 = нав Махсус0();".into());
        l.push("ҳ0.илова(3);".into());
        l.push("чоп.сабт(ҳ0.ҷамъбаст(), ҷамъ0(1, 3));".into());
    }
    l.join("\n") + "\n"
}

fn utility(salt: &str) -> String {
    format!("содир функсия асбоб(х: рақам): рақам {{\n  бозгашт х * 2{salt};\n}}\n")
}

fn project(n: usize) -> MemoryFs {
    let mut fs = MemoryFs::default();
    for i in 0..n {
        fs.insert(format!("{ROOT}/м{i}.som"), module_text(i, n, ""));
    }
    fs.insert(format!("{ROOT}/асбоб.som"), utility(""));
    fs
}

/// The incremental output equals a fresh bundle of the same files.
fn assert_same_as_fresh(
    req: &BundleRequest,
    fs: &dyn somon_project::fs::FileSystem,
    out: &somon_project::BundleOutput,
) {
    let fresh = bundle(req, fs);
    assert_eq!(out.diagnostics, fresh.diagnostics);
    assert_eq!(out.modules, fresh.modules);
    assert_eq!(out.code, fresh.code, "code differs from a fresh bundle");
    assert_eq!(out.map, fresh.map, "map differs from a fresh bundle");
}

#[test]
fn an_edit_redoes_only_the_edited_module() {
    const N: usize = 200;
    let mut fs = project(N);
    // Every module's code stays (the edited leaf's class is one no entry
    // uses: tree shaking would drop it).
    let req = BundleRequest {
        tree_shaking: false,
        ..request("м0.som", false)
    };
    let mut inc = IncrementalBundler::new(req.clone());

    let t = Instant::now();
    let first = inc.build(&fs, None);
    let full = t.elapsed();
    assert!(
        first.output.code.is_some(),
        "{:?}",
        first.output.diagnostics
    );
    assert_eq!(first.stats.modules, N + 1);
    assert_eq!(first.stats.reparsed.len(), N + 1);
    assert_eq!(first.stats.reemitted.len(), N + 1);
    assert_eq!(first.stats.files.len(), N + 1);
    assert_eq!(first.stats.cache_hits, 0);
    assert_same_as_fresh(&req, &fs, &first.output);

    // A leaf (modules 100… import nothing but the utility).
    let leaf = path("м150.som");
    fs.insert(format!("{ROOT}/м150.som"), module_text(150, N, "-б"));
    let t = Instant::now();
    let edit = inc.build(&fs, Some(std::slice::from_ref(&leaf)));
    let incremental = t.elapsed();
    assert_eq!(edit.stats.reparsed, vec![leaf.clone()]);
    assert_eq!(edit.stats.reemitted, vec![leaf.clone()]);
    assert_eq!(edit.stats.cache_hits, N);
    assert_eq!(edit.stats.cache_misses, 1);
    assert!(edit
        .output
        .code
        .as_deref()
        .is_some_and(|c| c.contains("махсус-150-б")));
    eprintln!(
        "{} modules: full build {:?}, one-leaf rebuild {:?} ({:.3}× the full build)",
        N + 1,
        full,
        incremental,
        incremental.as_secs_f64() / full.as_secs_f64()
    );
    assert_same_as_fresh(&req, &fs, &edit.output);

    // The module every other imports: its importers' output does not
    // depend on its text.
    let shared = path("асбоб.som");
    fs.insert(format!("{ROOT}/асбоб.som"), utility(" + 1"));
    let t = Instant::now();
    let edit = inc.build(&fs, Some(std::slice::from_ref(&shared)));
    let shared_time = t.elapsed();
    assert_eq!(edit.stats.reparsed, vec![shared.clone()]);
    assert_eq!(edit.stats.reemitted, vec![shared.clone()]);
    eprintln!(
        "edit of the module all import: {:?} ({:.3}× the full build)",
        shared_time,
        shared_time.as_secs_f64() / full.as_secs_f64()
    );
    assert_same_as_fresh(&req, &fs, &edit.output);

    // Unknown changes: every file is read and compared by hash, none is
    // parsed again; resolution is redone for every file.
    let t = Instant::now();
    let unknown = inc.build(&fs, None);
    eprintln!("rebuild with no change list: {:?}", t.elapsed());
    assert!(unknown.stats.reparsed.is_empty());
    assert!(unknown.stats.reemitted.is_empty());
    assert_eq!(unknown.stats.cache_hits, N + 1);
    assert_same_as_fresh(&req, &fs, &unknown.output);

    // Nothing changed: cached resolutions are used.
    let t = Instant::now();
    let same = inc.build(&fs, Some(&[]));
    eprintln!("rebuild with an empty change list: {:?}", t.elapsed());
    assert!(same.stats.reparsed.is_empty() && same.stats.reemitted.is_empty());
    assert_eq!(same.output.code, unknown.output.code);

    // A path that is not a cached module (a new file): every module is
    // resolved again, nothing else is redone.
    fs.insert(format!("{ROOT}/нав.som"), "содир собит н = 1;\n");
    let t = Instant::now();
    let added = inc.build(&fs, Some(&[path("нав.som")]));
    eprintln!(
        "rebuild after a new file (resolution redone): {:?}",
        t.elapsed()
    );
    assert!(added.stats.reparsed.is_empty());
    assert!(added.stats.reemitted.is_empty());
    assert_same_as_fresh(&req, &fs, &added.output);
}

#[test]
fn edits_additions_deletions_and_errors_match_fresh_builds() {
    let mut fs = MemoryFs::default();
    let file = |n: &str| format!("{ROOT}/{n}");
    fs.insert(
        file("main.som"),
        "ворид { х } аз \"./х\";\nворид { ю } аз \"./ю\";\nворид маълумот аз \"./маълумот.json\";\nчоп.сабт(х, ю, маълумот.ном);\n",
    );
    fs.insert(file("х/index.som"), "содир собит х = \"аз папка\";\n");
    fs.insert(
        file("ю.som"),
        "ворид { ҳисоб } аз \"./асбоб.js\";\nсодир собит ю = ҳисоб(2);\n",
    );
    fs.insert(
        file("асбоб.js"),
        "exports.ҳисоб = function (а) { return а * 2; };\n",
    );
    fs.insert(file("маълумот.json"), "{ \"ном\": \"Сомон\" }\n");
    let req = request("main.som", true);
    let mut inc = IncrementalBundler::new(req.clone());
    let check = |inc: &mut IncrementalBundler, fs: &MemoryFs, changed: &[&str]| {
        let changed: Vec<PathBuf> = changed.iter().map(|n| path(n)).collect();
        let out = inc.build(fs, Some(&changed));
        assert_same_as_fresh(&req, fs, &out.output);
        let unknown = inc.build(fs, None);
        assert_same_as_fresh(&req, fs, &unknown.output);
        assert!(unknown.stats.reemitted.is_empty() || unknown.output.code.is_none());
        out
    };

    let out = check(&mut inc, &fs, &[]);
    assert!(out.output.code.is_some(), "{:?}", out.output.diagnostics);

    // An edit.
    fs.insert(
        file("ю.som"),
        "ворид { ҳисоб } аз \"./асбоб.js\";\nсодир собит ю = ҳисоб(3);\n",
    );
    let out = check(&mut inc, &fs, &["ю.som"]);
    assert_eq!(out.stats.reemitted, vec![path("ю.som")]);

    // An added file changes where `./х` leads: the importer is emitted
    // again (and parsed again: a tree is not kept once emitted).
    fs.insert(file("х.som"), "содир собит х = \"аз файл\";\n");
    let out = check(&mut inc, &fs, &["х.som"]);
    assert_eq!(out.stats.reparsed, vec![path("main.som"), path("х.som")]);
    assert_eq!(out.stats.reemitted, vec![path("main.som"), path("х.som")]);
    assert!(!inc.cached_files().contains(&path("х/index.som")));

    // A syntax error: no code; then the fix.
    fs.insert(file("х.som"), "содир собит х = ;\n");
    let out = check(&mut inc, &fs, &["х.som"]);
    assert!(out.output.code.is_none());
    fs.insert(file("х.som"), "содир собит х = \"дубора\";\n");
    let out = check(&mut inc, &fs, &["х.som"]);
    assert!(out.output.code.is_some());
    assert_eq!(out.stats.reemitted, vec![path("х.som")]);

    // A type error in one module and an edit in another: no code; after
    // the fix, the other module's check is reused, and it is parsed again
    // to be emitted (no tree outlives the pass that needed it, so a first
    // build of a large graph never holds every tree).
    fs.insert(file("х.som"), "содир собит х: рақам = \"сатр\";\n");
    fs.insert(
        file("ю.som"),
        "ворид { ҳисоб } аз \"./асбоб.js\";\nсодир собит ю = ҳисоб(4);\n",
    );
    let out = check(&mut inc, &fs, &["х.som", "ю.som"]);
    assert!(out.output.code.is_none());
    fs.insert(file("х.som"), "содир собит х: рақам = 5;\n");
    let out = check(&mut inc, &fs, &["х.som"]);
    assert!(out.output.code.is_some());
    assert_eq!(out.stats.reparsed, vec![path("х.som"), path("ю.som")]);
    assert_eq!(out.stats.reemitted, vec![path("х.som"), path("ю.som")]);

    // A missing import, then the file appears.
    fs.insert(
        file("main.som"),
        "ворид { х } аз \"./х\";\nворид { ю } аз \"./ю\";\nворид { тоза } аз \"./нав\";\nворид маълумот аз \"./маълумот.json\";\nчоп.сабт(х, ю, тоза, маълумот.ном);\n",
    );
    let out = check(&mut inc, &fs, &["main.som"]);
    assert!(out.output.code.is_none());
    fs.insert(
        file("нав.som"),
        "ворид { х } аз \"./х\";\nсодир собит тоза = х + 1;\n",
    );
    let out = check(&mut inc, &fs, &["нав.som"]);
    assert!(out.output.code.is_some(), "{:?}", out.output.diagnostics);

    // A cycle (a warning) and the JavaScript and JSON modules edited.
    fs.insert(
        file("х.som"),
        "ворид { тоза } аз \"./нав\";\nсодир собит х = 5;\nсодир функсия ф() { бозгашт тоза; }\n",
    );
    fs.insert(
        file("асбоб.js"),
        "exports.ҳисоб = function (а) { return а * 3; };\n",
    );
    fs.insert(file("маълумот.json"), "{ \"ном\": \"Сомони нав\" }\n");
    let out = check(&mut inc, &fs, &["х.som", "асбоб.js", "маълумот.json"]);
    assert!(out.output.code.is_some());
    assert!(!out.output.diagnostics.is_empty());

    // Invalid JSON: a diagnostic of its loading (cached with the load, by
    // the text's hash), then the fix.
    fs.insert(file("маълумот.json"), "{ \"ном\": Сомон }\n");
    let out = check(&mut inc, &fs, &["маълумот.json"]);
    assert!(out.output.code.is_none());
    assert!(out
        .output
        .diagnostics
        .iter()
        .any(|d| d.code == "JSON_SYNTAX" && d.file == "маълумот.json" && d.column == 10));
    fs.insert(file("маълумот.json"), "{ \"ном\": \"Сомони нав\" }\n");
    let out = check(&mut inc, &fs, &["маълумот.json"]);
    assert!(out.output.code.is_some());
    assert_eq!(out.stats.reparsed, vec![path("маълумот.json")]);

    // Deleting the file `./х` led to: back to the folder's index.
    fs.remove(file("х.som"));
    let out = check(&mut inc, &fs, &["х.som"]);
    assert!(out.output.code.is_some(), "{:?}", out.output.diagnostics);
    assert!(!inc.cached_files().contains(&path("х.som")));
    assert!(inc.cached_files().contains(&path("х/index.som")));

    // An ES module whose static import cannot be found (an error of its
    // loading), then the file it imports appears.
    fs.insert(
        file("асбоб.js"),
        "import { ду } from \"./ёрӣ.js\";\nexport function ҳисоб(а) { return а * ду; }\n",
    );
    let out = check(&mut inc, &fs, &["асбоб.js"]);
    assert!(out.output.code.is_none());
    fs.insert(file("ёрӣ.js"), "export const ду = 2;\n");
    let out = check(&mut inc, &fs, &["ёрӣ.js"]);
    assert!(out.output.code.is_some(), "{:?}", out.output.diagnostics);
    assert!(out.stats.reparsed.contains(&path("асбоб.js")));

    // Deleting an imported file: a read failure / missing module.
    fs.remove(file("нав.som"));
    let out = check(&mut inc, &fs, &["нав.som"]);
    assert!(out.output.code.is_none());
    fs.insert(file("нав.som"), "содир собит тоза = 7;\n");
    let out = check(&mut inc, &fs, &["нав.som"]);
    assert!(out.output.code.is_some());
}

#[test]
fn a_deleted_module_leaves_the_cache() {
    let mut fs = MemoryFs::default();
    fs.insert(
        format!("{ROOT}/main.som"),
        "ворид { а } аз \"./а\";\nчоп.сабт(а);\n",
    );
    fs.insert(format!("{ROOT}/а.som"), "содир собит а = 1;\n");
    let req = request("main.som", false);
    let mut inc = IncrementalBundler::new(req.clone());
    let out = inc.build(&fs, None);
    assert!(out.output.code.is_some());
    assert_eq!(inc.cached_files(), vec![path("main.som"), path("а.som")]);

    fs.insert(format!("{ROOT}/main.som"), "чоп.сабт(1);\n");
    fs.remove(format!("{ROOT}/а.som"));
    let out = inc.build(&fs, Some(&[path("main.som"), path("а.som")]));
    assert!(out.output.code.is_some());
    assert_eq!(out.stats.files, vec![path("main.som")]);
    assert_eq!(inc.cached_files(), vec![path("main.som")]);
    assert_same_as_fresh(&req, &fs, &out.output);

    // A missing entry is a read failure, reported in the stats.
    fs.remove(format!("{ROOT}/main.som"));
    let out = inc.build(&fs, Some(&[path("main.som")]));
    assert!(out.output.code.is_none());
    assert_eq!(out.stats.failed_reads.len(), 1);
    assert!(inc.cached_files().is_empty());
}

#[test]
fn source_maps_of_rebuilds_equal_fresh_maps() {
    const N: usize = 20;
    let mut fs = project(N);
    let req = request("м0.som", true);
    let mut inc = IncrementalBundler::new(req.clone());
    let first = inc.build(&fs, None);
    assert!(first.output.map.is_some());
    assert_same_as_fresh(&req, &fs, &first.output);
    for (i, salt) in [(3, "-а"), (0, "-б"), (17, "-в\n\n\n")] {
        fs.insert(format!("{ROOT}/м{i}.som"), module_text(i, N, salt));
        let out = inc.build(&fs, Some(&[path(&format!("м{i}.som"))]));
        assert_eq!(out.stats.reemitted, vec![path(&format!("м{i}.som"))]);
        assert_same_as_fresh(&req, &fs, &out.output);
    }
    // Minified, with an inline map.
    let mut req = request("м0.som", true);
    req.emit.minify = true;
    req.emit.source_map = SourceMapKind::Inline;
    let mut inc = IncrementalBundler::new(req.clone());
    assert_same_as_fresh(&req, &fs, &inc.build(&fs, None).output);
    fs.insert(format!("{ROOT}/м5.som"), module_text(5, N, "-г"));
    let out = inc.build(&fs, Some(&[path("м5.som")]));
    assert_eq!(out.stats.reemitted, vec![path("м5.som")]);
    assert_same_as_fresh(&req, &fs, &out.output);
}

/// The same on disk (`RealFs`), where resolving costs file-system calls:
/// prints what redoing every resolution costs next to reusing them.
#[test]
fn rebuilds_on_disk() {
    use somon_project::fs::RealFs;
    const N: usize = 200;
    let dir = std::env::temp_dir().join(format!("somon-incremental-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text);
    assert!(std::fs::create_dir_all(&dir).is_ok());
    for i in 0..N {
        assert!(write(&format!("м{i}.som"), &module_text(i, N, "")).is_ok());
    }
    assert!(write("асбоб.som", &utility("")).is_ok());
    let mut req = request("м0.som", false);
    req.entry = dir.join("м0.som");
    req.output = None;
    req.display_base = dir.clone();
    let mut inc = IncrementalBundler::new(req.clone());
    let first = inc.build(&RealFs, None);
    assert!(
        first.output.code.is_some(),
        "{:?}",
        first.output.diagnostics
    );

    let leaf = dir.join("м120.som");
    assert!(write("м120.som", &module_text(120, N, "-д")).is_ok());
    let t = Instant::now();
    let edit = inc.build(&RealFs, Some(std::slice::from_ref(&leaf)));
    let reused = t.elapsed();
    assert_eq!(edit.stats.reemitted, vec![leaf.clone()]);
    assert_same_as_fresh(&req, &RealFs, &edit.output);

    assert!(write("м120.som", &module_text(120, N, "-е")).is_ok());
    let unknown = dir.join("нав-папка");
    let t = Instant::now();
    let edit = inc.build(&RealFs, Some(&[leaf.clone(), unknown]));
    let redone = t.elapsed();
    assert_eq!(edit.stats.reemitted, vec![leaf]);
    assert_same_as_fresh(&req, &RealFs, &edit.output);
    eprintln!(
        "on disk, {} modules: one-leaf rebuild {reused:?} with cached resolutions, {redone:?} resolving every import again",
        N + 1
    );
    let _ = std::fs::remove_dir_all(&dir);
}
