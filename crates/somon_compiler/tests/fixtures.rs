//! Fixture tests: every `fixtures/<area>/<case>.som` compiles to a snapshot
//! that holds the input and the output (JavaScript or rendered
//! diagnostics) together. `cargo insta review` updates them.

use somon_compiler::{compile, CompileOptions};
use somon_diagnostics::{render_pretty, Lang, RenderOptions};
use std::path::Path;

fn compile_fixture(path: &Path) -> String {
    compile_fixture_in(path, Lang::En)
}

fn compile_fixture_in(path: &Path, lang: Lang) -> String {
    let source = std::fs::read_to_string(path).unwrap_or_default();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let out = compile(
        &source,
        &CompileOptions {
            file_name: name,
            lang,
            ..Default::default()
        },
    );
    let mut text = format!("--- input ---\n{source}\n--- output ---\n");
    match out.code {
        Some(code) => text.push_str(&code),
        None => {
            for d in &out.diagnostics {
                text.push_str(&render_pretty(d, RenderOptions { color: false }));
            }
        }
    }
    text
}

#[test]
fn codegen_fixtures() {
    insta::glob!("fixtures/codegen/*.som", |path| {
        insta::assert_snapshot!(compile_fixture(path));
    });
}

#[test]
fn error_fixtures() {
    insta::glob!("fixtures/errors/*.som", |path| {
        insta::assert_snapshot!(compile_fixture(path));
    });
}

/// Learner hints (keywords from JavaScript, a Russian keyboard, typos):
/// the diagnostics in all three languages.
#[test]
fn hint_fixtures() {
    insta::glob!("fixtures/hints/*.som", |path| {
        let mut text = compile_fixture_in(path, Lang::En);
        for lang in [Lang::Tg, Lang::Ru] {
            let rendered = compile_fixture_in(path, lang);
            let output = rendered
                .split_once("--- output ---\n")
                .map_or(rendered.as_str(), |(_, o)| o);
            text.push_str(&format!("--- output ({lang:?}) ---\n{output}"));
        }
        insta::assert_snapshot!(text);
    });
}
