//! The whole pipeline (parse, check, lowering, swc transforms, codegen,
//! source maps) under option sets picked by the first byte: no panic, and
//! code exactly when no error was reported.
#![no_main]

use libfuzzer_sys::fuzz_target;
use somon_compiler::{compile, CompileOptions, ModuleKind, SourceMapKind, Target};

const TARGETS: [Target; 4] = [Target::Es2020, Target::Es5, Target::Es2015, Target::EsNext];

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Ok(source) = std::str::from_utf8(rest) else {
        return;
    };
    let options = CompileOptions {
        target: TARGETS[usize::from(flags & 3)],
        module: if flags & 4 != 0 {
            ModuleKind::Esm
        } else {
            ModuleKind::Cjs
        },
        minify: flags & 8 != 0,
        keep_names: flags & 16 != 0,
        source_map: if flags & 32 != 0 {
            SourceMapKind::Separate
        } else {
            SourceMapKind::None
        },
        type_check: flags & 64 == 0,
        ..CompileOptions::default()
    };
    let out = compile(source, &options);
    assert_eq!(
        out.code.is_some(),
        !out.has_errors(),
        "code exactly when there is no error"
    );
});
