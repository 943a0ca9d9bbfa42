//! somon.config.json / .somonrc: any text is a configuration or a list
//! of positioned errors, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = somon_config::parse_config(text, Path::new("/project/somon.config.json"));
});
