//! The bundler's JavaScript scanner (imports, requires, what a bundle
//! cannot hold) on any text: no panic, positions inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let scan = somon_emit::js_module::scan_js(text, "/project/input.js");
    for d in &scan.diagnostics {
        assert!(
            d.span.lo as usize <= text.len(),
            "diagnostic inside the file"
        );
    }
});
