//! A large module (at least `somon_emit::LARGE_INPUT_BYTES` of text) is
//! type-checked beside its lowering and emission: the result must be
//! exactly that of the sequential pipeline — the same code, and no code
//! with the same diagnostics when the check finds an error.

use somon_compiler::{check, compile, CompileOptions, CONCURRENT_CHECK_STAGE};

/// A program of `units` classes and uses, each unit about 120 bytes.
fn program(units: usize) -> String {
    let mut s = String::new();
    for i in 0..units {
        s.push_str(&format!(
            "синф Нуқта{i} {{\n  x: рақам = {i};\n}}\nтағ н{i} = нав Нуқта{i}();\nчоп.сабт(н{i}?.x ?? 0);\n"
        ));
    }
    s
}

fn large_program() -> String {
    let mut units = 1;
    while program(units).len() < somon_emit::LARGE_INPUT_BYTES {
        units *= 2;
    }
    program(units)
}

fn stage_names(options: &CompileOptions, source: &str) -> Vec<&'static str> {
    compile(source, options)
        .timings
        .iter()
        .map(|(name, _)| *name)
        .collect()
}

#[test]
fn a_large_clean_module_gets_the_code_of_the_unchecked_pipeline() {
    let source = large_program();
    let checked = compile(&source, &CompileOptions::default());
    let unchecked = compile(
        &source,
        &CompileOptions {
            type_check: false,
            ..Default::default()
        },
    );
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    assert!(checked.code.is_some());
    assert_eq!(checked.code, unchecked.code);
}

#[test]
fn a_type_error_in_a_large_module_means_no_code_and_the_checks_diagnostics() {
    let mut source = large_program();
    source.push_str("собит хато: рақам = \"матн\";\n");
    let out = compile(&source, &CompileOptions::default());
    assert_eq!(out.code, None);
    assert!(out.has_errors());
    assert_eq!(out.diagnostics, check(&source, &CompileOptions::default()));
}

#[test]
fn the_timings_name_the_check_that_ran_beside_emission_only_for_a_large_module() {
    let options = CompileOptions {
        timings: true,
        ..Default::default()
    };
    let large = stage_names(&options, &large_program());
    assert_eq!(
        large.iter().take(4).copied().collect::<Vec<_>>(),
        ["lex", "parse", CONCURRENT_CHECK_STAGE, "type-only imports"]
    );
    assert!(large.contains(&"wait for bind + check"));
    assert!(!large.contains(&"bind + check"));
    let small = stage_names(&options, &program(3));
    assert!(small.contains(&"bind + check"));
    assert!(!small.contains(&CONCURRENT_CHECK_STAGE));
}
