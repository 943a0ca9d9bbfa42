//! A module of `STREAM_INPUT_BYTES` or more is compiled statement by
//! statement (`compile_streamed`: parsed twice, each statement checked on
//! a thread of its own and emitted, then dropped). Its result must be
//! exactly the whole pipeline's: the same code and map, and no code with
//! the same diagnostics when there is an error anywhere. (The corpus is
//! compiled both ways at every size in `determinism.rs`.)

use somon_compiler::{
    compile, with_streaming_at_every_size, without_streaming, CompileOptions, SourceMapKind,
    STREAM_INPUT_BYTES,
};

/// Units of classes, interfaces, functions declared after their use,
/// closures that write outer names, enums and loops, with names of their
/// own; repeated until the text is at least `bytes` long.
fn program_of(bytes: usize) -> String {
    let mut s = String::new();
    let mut i = 0;
    while s.len() < bytes {
        s.push_str(&format!(
            "интерфейс Ш{i} {{ x: рақам; ном: сатр; }}\n\
             синф Нуқта{i} {{\n  x: рақам = {i};\n  ном(): сатр {{ бозгашт `н${{ин.x}}`; }}\n}}\n\
             тағ ҳисоб{i} = 0;\n\
             функсия афзо{i}() {{ ҳисоб{i} += баъдӣ{i}(ш{i}); }}\n\
             собит ш{i}: Ш{i} = {{ x: {i}, ном: \"ш\" }};\n\
             номгӯ Ранг{i} {{ Сурх, Сабз = 5 }}\n\
             барои (тағ к = 0; к < 2; к++) {{ афзо{i}(); }}\n\
             чоп.сабт(нав Нуқта{i}().ном(), ҳисоб{i}, Ранг{i}.Сабз);\n\
             функсия баъдӣ{i}(ш: Ш{i}): рақам {{ бозгашт ш.x + 1; }}\n"
        ));
        i += 1;
    }
    s
}

/// Large enough for the lexer to run on a thread of its own (the tests
/// stream it whatever its size: a debug build compiles 1 MiB slowly).
fn large_program() -> String {
    program_of(160 * 1024)
}

fn both_ways(source: &str, options: &CompileOptions) {
    let streamed = with_streaming_at_every_size(|| compile(source, options));
    let whole = without_streaming(|| compile(source, options));
    assert_eq!(streamed.code, whole.code, "code differs");
    assert_eq!(streamed.map, whole.map, "map differs");
    assert_eq!(
        streamed.diagnostics, whole.diagnostics,
        "diagnostics differ"
    );
}

fn went_statement_by_statement(source: &str, options: &CompileOptions) -> bool {
    let timed = CompileOptions {
        timings: true,
        ..options.clone()
    };
    with_streaming_at_every_size(|| compile(source, &timed))
        .timings
        .iter()
        .any(|(stage, _)| stage.contains("each statement"))
}

#[test]
fn a_module_of_stream_input_bytes_goes_statement_by_statement() {
    let source = program_of(STREAM_INPUT_BYTES);
    let timed = CompileOptions {
        timings: true,
        ..Default::default()
    };
    let out = compile(&source, &timed);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics.first());
    assert!(out
        .timings
        .iter()
        .any(|(stage, _)| stage.contains("each statement")));
}

#[test]
fn a_large_module_compiled_statement_by_statement_is_compiled_as_a_whole() {
    let source = large_program();
    let options = CompileOptions {
        file_name: "калон.som".into(),
        source_map: SourceMapKind::Separate,
        ..Default::default()
    };
    let out = compile(&source, &options);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics.first());
    assert!(went_statement_by_statement(&source, &options));
    let code = out.code.unwrap_or_default();
    assert!(
        code.starts_with("\"use strict\";\nfunction _define_property("),
        "{}",
        code.get(..300).unwrap_or(&code)
    );
    both_ways(&source, &options);
    both_ways(
        &source,
        &CompileOptions {
            module: somon_compiler::ModuleKind::Esm,
            target: somon_compiler::Target::EsNext,
            ..options.clone()
        },
    );
}

#[test]
fn errors_anywhere_in_a_large_module_are_the_whole_pipelines() {
    let source = large_program();
    let options = CompileOptions::default();
    // A type error at the end, in the middle, and a syntax error.
    let middle = source.len() / 2;
    let at_line = middle + source.get(middle..).and_then(|s| s.find('\n')).unwrap_or(0) + 1;
    let type_error = "собит хато: рақам = \"матн\";\n";
    for broken in [
        format!("{source}{type_error}"),
        format!("{}{type_error}{}", &source[..at_line], &source[at_line..]),
        format!("{}тағ = ;\n{}", &source[..at_line], &source[at_line..]),
        format!("{source}функсия дубора() {{}}\nтағ ҳисоб0 = 1;\n"),
    ] {
        let out = compile(&broken, &options);
        assert_eq!(out.code, None);
        assert!(out.has_errors());
        both_ways(&broken, &options);
    }
}

#[test]
fn a_large_module_that_needs_a_module_wide_pass_is_compiled_whole() {
    let source = large_program();
    let options = CompileOptions::default();
    for (what, text) in [
        ("an export", format!("{source}содир {{ ҳисоб0 }};\n")),
        ("an import", format!("ворид {{ а }} аз \"./а\";\n{source}")),
        ("`import()`", format!("{source}ворид(\"./а\");\n")),
        (
            "a private field, below es2022",
            format!("{source}синф Хосусӣ {{ #пинҳон = 1; }}\n"),
        ),
    ] {
        assert!(
            !went_statement_by_statement(&text, &options),
            "{what}: streamed"
        );
        both_ways(&text, &options);
    }
    let old_target = CompileOptions {
        target: somon_compiler::Target::Es2019,
        ..Default::default()
    };
    assert!(!went_statement_by_statement(&source, &old_target));
}

/// A top-level statement checked on its own forgets its locals once
/// checked, and their ids are given out again: what the flow knew of them
/// (here `п` is a number after its assignment) must go with them, or a
/// later statement's local with the same id would inherit it (and `қ`
/// would pass for a number).
#[test]
fn what_was_known_of_a_statements_locals_does_not_reach_the_next() {
    let source = "{\n  тағ п: рақам | сатр = Риёзӣ.random() > 0.5 ? 1 : \"а\";\n  п = 2;\n}\n\
                  {\n  тағ қ: рақам | сатр;\n  тағ р: рақам = қ;\n  чоп.сабт(р);\n}\n";
    let options = CompileOptions::default();
    assert!(went_statement_by_statement(source, &options));
    both_ways(source, &options);
    let out = with_streaming_at_every_size(|| compile(source, &options));
    let codes: Vec<_> = out.diagnostics.iter().map(|d| (d.code, d.line)).collect();
    assert_eq!(codes, [("TYPE_NOT_ASSIGNABLE", 7)]);
}
