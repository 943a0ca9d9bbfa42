//! Work taken off the critical path of a large compile.
//!
//! Freeing the trees of a multi-megabyte module walks every node (about
//! 13 ms each for the syntax tree and the swc tree of the benchmark's
//! 3 MB program); the caller does not wait for it. Small inputs are freed
//! in place: a thread costs more than their trees.

/// From this many bytes of source text on, a compile is "large": its
/// trees are freed on a background thread, and (in `somon_compiler`) the
/// type check runs beside lowering and emission.
pub const LARGE_INPUT_BYTES: usize = 128 * 1024;

/// Drops `value` on a short-lived thread when `source_len` is at least
/// [`LARGE_INPUT_BYTES`], in place otherwise (or when no thread can be
/// made: the closure holding it is then dropped here).
pub fn drop_for_input<T: Send + 'static>(value: T, source_len: usize) {
    if source_len < LARGE_INPUT_BYTES {
        drop(value);
        return;
    }
    let spawned = std::thread::Builder::new()
        .name("somon-free".into())
        .spawn(move || drop(value));
    // A failed spawn dropped the closure, and the value with it.
    drop(spawned);
}
