//! Developer tool: bundle an entry module and print the JavaScript.
use somon_project::fs::RealFs;
use somon_project::{bundle, BundleFormat, BundleRequest};
use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let entry =
        std::fs::canonicalize(PathBuf::from(args.next().unwrap_or_default())).unwrap_or_default();
    let format = args
        .next()
        .and_then(|f| BundleFormat::parse(&f))
        .unwrap_or(BundleFormat::Cjs);
    let req = BundleRequest {
        global_name: Some("Бандл".into()),
        ..BundleRequest::new(entry, std::env::current_dir().unwrap_or_default(), format)
    };
    let out = bundle(&req, &RealFs);
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
