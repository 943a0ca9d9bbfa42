//! Lexer + parser: any text gives a program and diagnostics, never a
//! panic; every diagnostic resolves to a line and column and renders; and
//! parsing the tokens as they arrive in chunks (a large source is lexed
//! on a thread of its own) gives what lexing it all first gives.
#![no_main]

use libfuzzer_sys::fuzz_target;
use somon_diagnostics::{render_pretty, Lang, LineIndex, RenderOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let tokens = somon_syntax::lexer::tokenize(source);
    for t in &tokens.tokens {
        assert!(t.span.lo <= t.span.hi && t.span.hi as usize <= source.len());
    }
    let parsed = somon_syntax::parse(source);
    if let Some(difference) = somon_syntax::chunked_parse_difference(source, 3) {
        panic!("{difference}");
    }
    let index = LineIndex::new(source);
    for d in &parsed.diagnostics {
        let resolved = d.resolve("fuzz.som", &index, source, Lang::Tg);
        let _ = render_pretty(&resolved, RenderOptions { color: false });
    }
});
