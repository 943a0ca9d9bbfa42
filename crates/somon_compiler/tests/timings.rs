//! The opt-in stage timings (`CompileOptions::timings`, used by
//! `benchmark/compile.mjs --stages`): nothing is recorded unless asked,
//! and asking changes nothing in the output.

use somon_compiler::{compile, CompileOptions, SourceMapKind, Target};

const SOURCE: &str =
    "синф Нуқта {\n  x: рақам = 1;\n}\nтағ н = нав Нуқта();\nчоп.сабт(н?.x ?? 0);\n";

fn stages(options: &CompileOptions) -> Vec<&'static str> {
    compile(SOURCE, options)
        .timings
        .iter()
        .map(|(name, _)| *name)
        .collect()
}

#[test]
fn off_by_default_and_then_nothing_is_recorded() {
    let out = compile(SOURCE, &CompileOptions::default());
    assert!(out.code.is_some());
    assert!(out.timings.is_empty());
}

#[test]
fn on_names_every_stage_in_pipeline_order_and_keeps_the_output() {
    let plain = CompileOptions {
        target: Target::Es2019,
        source_map: SourceMapKind::Separate,
        ..Default::default()
    };
    let timed = CompileOptions {
        timings: true,
        ..plain.clone()
    };
    let a = compile(SOURCE, &plain);
    let b = compile(SOURCE, &timed);
    assert_eq!((&a.code, &a.map), (&b.code, &b.map));
    assert_eq!(
        stages(&timed),
        [
            "lex",
            "parse",
            "bind + check",
            "type-only imports",
            "emit setup",
            "swc source file",
            "lower",
            "resolve + built-in names",
            "define + shims",
            "compat es2022",
            "compat es2021",
            "compat es2020",
            "swc common_js",
            "swc inject_helpers",
            "shared names",
            "swc hygiene",
            "swc fixer",
            "codegen",
            "source map",
            "free swc tree",
            "diagnostics",
        ]
    );
}

#[test]
fn a_program_with_errors_stops_after_the_diagnostics() {
    let options = CompileOptions {
        timings: true,
        ..Default::default()
    };
    let out = compile("тағ = ;", &options);
    assert!(out.code.is_none());
    let names: Vec<&str> = out.timings.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, ["lex", "parse", "diagnostics"]);
}
