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

/// Stack bytes per source byte of a thread that frees a module's trees
/// (`а!!!…` nests a level per byte, two frames each), up to
/// [`MAX_FREE_STACK`] (a reservation, touched only as deep as the tree).
const FREE_STACK_PER_SOURCE_BYTE: usize = 128;
const MAX_FREE_STACK: usize = 1024 * 1024 * 1024;

/// Drops `value` on a short-lived thread when `source_len` is at least
/// [`LARGE_INPUT_BYTES`], in place otherwise (or when no thread can be
/// made: the closure holding it is then dropped here).
pub fn drop_for_input<T: Send + 'static>(value: T, source_len: usize) {
    if source_len < LARGE_INPUT_BYTES {
        drop(value);
        return;
    }
    // Freeing recurses as deep as the tree, which the source bounds (a
    // chain like `1+1+1+…` adds a level every two bytes): the stack is
    // reserved for that (its pages are only touched as deep as needed).
    let spawned = std::thread::Builder::new()
        .name("somon-free".into())
        .stack_size(
            FREE_STACK_PER_SOURCE_BYTE
                .saturating_mul(source_len)
                .min(MAX_FREE_STACK),
        )
        .spawn(move || drop(value));
    // A failed spawn dropped the closure, and the value with it.
    drop(spawned);
}

/// The syntax tree emission lowers: borrowed (the caller frees it), owned
/// or shared with a type check running beside emission. Lowering is the
/// tree's last reader in emission, so [`SyntaxTree::release`] runs right
/// after it: the tree is not kept alive beside the swc tree through the
/// passes and code generation (at the peak of a large compile the two
/// trees, the checker's data and the output are what is live).
pub trait SyntaxTree {
    fn program(&self) -> &somon_syntax::ast::Program;
    /// Emission is done reading the tree.
    fn release(self, source_len: usize);
}

impl SyntaxTree for &somon_syntax::ast::Program {
    fn program(&self) -> &somon_syntax::ast::Program {
        self
    }
    fn release(self, _source_len: usize) {}
}

impl SyntaxTree for somon_syntax::ast::Program {
    fn program(&self) -> &somon_syntax::ast::Program {
        self
    }
    fn release(self, source_len: usize) {
        drop_for_input(self, source_len);
    }
}

/// Shared with the type check: whichever of the two finishes last frees
/// the tree (`somon_compiler` frees the check's share of a large tree with
/// [`drop_for_input`] too, and drops a small one's on the pipeline's
/// thread).
impl SyntaxTree for std::sync::Arc<somon_syntax::ast::Program> {
    fn program(&self) -> &somon_syntax::ast::Program {
        self
    }
    fn release(self, source_len: usize) {
        // `into_inner`: of two shares released at once, exactly one gets
        // the tree (`try_unwrap` could fail on both, and the second drop
        // would free it in place).
        if let Some(program) = std::sync::Arc::into_inner(self) {
            drop_for_input(program, source_len);
        }
    }
}
