//! Developer tool: compile a `.som` file and print the JavaScript.
use somon_compiler::{compile, CompileOptions};

fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let src = std::fs::read_to_string(&path).unwrap_or_default();
    let out = compile(
        &src,
        &CompileOptions {
            file_name: path,
            ..Default::default()
        },
    );
    for d in &out.diagnostics {
        eprintln!(
            "{}:{}:{}: {} {}",
            d.file, d.line, d.column, d.code, d.message
        );
    }
    if let Some(code) = out.code {
        print!("{code}");
    }
}
