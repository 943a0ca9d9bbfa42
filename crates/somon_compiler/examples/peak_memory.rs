//! The compiler's own peak memory for one compile (issue 18): a counting
//! allocator around the system's records the bytes live at any moment;
//! the figure is the highest of them during `compile` minus what was live
//! before (the source text, handed to `compile` as N-API's `compile()`
//! hands it: owned), printed as JSON for `benchmark/compile.mjs`.
//!
//!   peak_memory FILE.som [--stages] [--compile-only]
//!
//! `--stages` also prints, on stderr, where the memory goes: for each
//! stage of a second compile (the names of `CompileOptions::timings`),
//! the bytes live when it ended and the highest during it (the type check
//! of a large input runs on its own thread beside lowering and emission,
//! so its allocations count in the stages it overlaps); then the syntax
//! tree's size and the type check's own peak, each measured alone.
//!
//! The compile is the benchmark's (es2020, CommonJS, type checker on, no
//! source map). Allocation sizes do not depend on the optimisation level,
//! so a dev build gives the same figure as a release build.

// A global allocator can only be written with `unsafe` (the trait is
// unsafe); it forwards every call to the system allocator unchanged.
#![allow(unsafe_code)]

use somon_compiler::{compile, CompileOptions};
use std::alloc::{GlobalAlloc, Layout, System};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Mutex;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static COUNT: AtomicUsize = AtomicUsize::new(0);
static TOTAL: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let now = LIVE.fetch_add(bytes, Relaxed) + bytes;
    PEAK.fetch_max(now, Relaxed);
    COUNT.fetch_add(1, Relaxed);
    TOTAL.fetch_add(bytes, Relaxed);
}

// SAFETY: every method forwards to `System` with the caller's arguments;
// the counters are only bookkeeping.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Relaxed);
            grew(new_size);
        }
        p
    }
}

/// The peak of live bytes while `f` runs (its result dropped inside).
fn peak_of<T>(f: impl FnOnce() -> T) -> usize {
    let before = LIVE.load(Relaxed);
    PEAK.store(before, Relaxed);
    drop(f());
    PEAK.load(Relaxed) - before
}

/// Each stage's name, the bytes live when it ended and the peak during
/// it, for `--stages` (reserved up front: the probe does not allocate).
static STAGES: Mutex<Vec<(&'static str, usize, usize)>> = Mutex::new(Vec::new());

fn probe(name: &'static str) {
    let live = LIVE.load(Relaxed);
    let peak = PEAK.swap(live, Relaxed);
    if let Ok(mut stages) = STAGES.lock() {
        if stages.len() < stages.capacity() {
            stages.push((name, live, peak));
        }
    }
}

fn mb(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// The stage breakdown of `--stages` (see the top of the file).
fn print_stages(source: &str, options: &CompileOptions) {
    if let Ok(mut stages) = STAGES.lock() {
        stages.reserve(256);
    }
    somon_compiler::set_probe(probe);
    let options = CompileOptions {
        timings: true,
        type_check: !std::env::args().any(|a| a == "--no-check"),
        ..options.clone()
    };
    let input = source.to_string();
    let before = LIVE.load(Relaxed);
    PEAK.store(before, Relaxed);
    let out = compile(input, &options);
    let live_after = LIVE.load(Relaxed);
    drop(out);
    // Large trees are freed on threads of their own: let them finish.
    std::thread::sleep(std::time::Duration::from_millis(500));
    eprintln!("stage                          live at end   peak during (above the input)");
    if let Ok(stages) = STAGES.lock() {
        for (name, live, peak) in stages.iter() {
            eprintln!(
                "{name:<30} {:>11} {:>13}",
                mb(live.saturating_sub(before)),
                mb(peak.saturating_sub(before))
            );
        }
    }
    eprintln!(
        "{:<30} {:>11}",
        "(output returned)",
        mb(live_after.saturating_sub(before))
    );
    // Measured alone: the tree (after parsing, the tokens freed) and the
    // type check on top of it (what it holds at its own peak).
    let start = LIVE.load(Relaxed);
    let parsed = somon_syntax::parse(source);
    let tree = LIVE.load(Relaxed).saturating_sub(start);
    let check = peak_of(|| {
        somon_check::check_module(
            &parsed.program,
            &somon_compiler::NoImports,
            somon_check::CheckOptions::default(),
        )
    });
    drop(parsed);
    eprintln!("syntax tree alone (tokens freed): {}", mb(tree));
    eprintln!("type check alone, peak above the tree: {}", mb(check));
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() -> ExitCode {
    let stages = std::env::args().any(|a| a == "--stages");
    let Some(file) = std::env::args().skip(1).find(|a| !a.starts_with("--")) else {
        eprintln!("usage: peak_memory FILE.som [--stages]");
        return ExitCode::from(2);
    };
    let source = match std::fs::read_to_string(&file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("peak_memory: {file}: {e}");
            return ExitCode::from(2);
        }
    };
    let options = CompileOptions {
        file_name: file.clone(),
        ..Default::default()
    };
    // Where it goes: the token list alone, then the syntax tree (each
    // measured on its own, everything freed in between). `--compile-only`
    // leaves them out, so that the process's peak is the compile's (for
    // `heaptrack` or `valgrind --tool=massif`).
    let compile_only = std::env::args().any(|a| a == "--compile-only");
    let tokens = if compile_only {
        0
    } else {
        peak_of(|| somon_syntax::lexer::tokenize(&source))
    };
    let tree = if compile_only {
        0
    } else {
        peak_of(|| somon_syntax::parse(&source))
    };
    // Handed over owned, as N-API's `compile()` hands the string it took
    // from JavaScript: the input is what was live before.
    let input = source.clone();
    let before = LIVE.load(Relaxed);
    PEAK.store(before, Relaxed);
    let (count, total) = (COUNT.load(Relaxed), TOTAL.load(Relaxed));
    let out = compile(input, &options);
    let peak = PEAK.load(Relaxed) - before;
    let Some(code) = out.code else {
        eprintln!(
            "peak_memory: {file} did not compile ({} diagnostics)",
            out.diagnostics.len()
        );
        return ExitCode::FAILURE;
    };
    println!(
        "{{\"inputBytes\":{},\"outputBytes\":{},\"peakBytes\":{peak},\"allocations\":{},\"allocatedBytes\":{},\"lexPeakBytes\":{tokens},\"parsePeakBytes\":{tree},\"tokenBytes\":{},\"tokens\":{}}}",
        source.len(),
        code.len(),
        COUNT.load(Relaxed) - count,
        TOTAL.load(Relaxed) - total,
        std::mem::size_of::<somon_syntax::token::Token>(),
        if compile_only {
            0
        } else {
            somon_syntax::lexer::tokenize(&source).tokens.len()
        },
    );
    if stages {
        print_stages(&source, &options);
    }
    ExitCode::SUCCESS
}
