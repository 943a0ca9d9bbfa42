//! The checker on whatever the parser made of any text: no panic, with
//! every expression's type recorded (as the language server asks) and the
//! declarations-only exports pass too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use somon_check::{check_module, module_exports, CheckOptions, NoImports};
use somon_diagnostics::{Lang, LineIndex};

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = somon_syntax::parse(source);
    let result = check_module(
        &parsed.program,
        &NoImports,
        CheckOptions { record_model: true },
    );
    let index = LineIndex::new(source);
    for d in &result.diagnostics {
        let _ = d.resolve("fuzz.som", &index, source, Lang::En);
    }
    let _ = module_exports(&parsed.program, &NoImports);
});
