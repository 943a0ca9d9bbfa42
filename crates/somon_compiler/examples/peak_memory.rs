//! The compiler's own peak memory for one compile (issue 18): a counting
//! allocator around the system's records the bytes live at any moment;
//! the figure is the highest of them during `compile` minus what was live
//! before (the source text), printed as JSON for `benchmark/compile.mjs`.
//!
//!   peak_memory FILE.som
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

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() -> ExitCode {
    let Some(file) = std::env::args().nth(1) else {
        eprintln!("usage: peak_memory FILE.som");
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
    // measured on its own, everything freed in between).
    let tokens = peak_of(|| somon_syntax::lexer::tokenize(&source));
    let tree = peak_of(|| somon_syntax::parse(&source));
    let before = LIVE.load(Relaxed);
    PEAK.store(before, Relaxed);
    let (count, total) = (COUNT.load(Relaxed), TOTAL.load(Relaxed));
    let out = compile(&source, &options);
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
        somon_syntax::lexer::tokenize(&source).tokens.len(),
    );
    ExitCode::SUCCESS
}
