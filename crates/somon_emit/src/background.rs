//! Work taken off the critical path of a large compile.
//!
//! Freeing the trees of a multi-megabyte module walks every node (about
//! 13 ms each for the syntax tree and the swc tree of the benchmark's
//! 3 MB program); the caller does not wait for it: the trees are freed on
//! a thread of their own, or, on a thread that compiles one module after
//! another, by that thread after it has answered ([`deferring_drops`]).
//! Small inputs are freed in place: a thread costs more than their trees.

/// From this many bytes of source text on, a compile is "large": its
/// trees are freed on a background thread, and (in `somon_compiler`) the
/// type check runs beside lowering and emission.
pub const LARGE_INPUT_BYTES: usize = 128 * 1024;

/// Stack bytes per source byte of a thread that frees a module's trees
/// (`а!!!…` nests a level per byte, two frames each), up to
/// [`MAX_FREE_STACK`] (a reservation, touched only as deep as the tree).
const FREE_STACK_PER_SOURCE_BYTE: usize = 128;
const MAX_FREE_STACK: usize = 1024 * 1024 * 1024;

/// The stack that frees the trees of a source of `source_len` bytes:
/// freeing recurses as deep as the tree, which the source bounds (a chain
/// like `1+1+1+…` adds a level every two bytes); a reservation, its pages
/// are only touched as deep as needed.
fn free_stack(source_len: usize) -> usize {
    FREE_STACK_PER_SOURCE_BYTE
        .saturating_mul(source_len)
        .min(MAX_FREE_STACK)
}

/// Drops `value` on a short-lived thread when `source_len` is at least
/// [`LARGE_INPUT_BYTES`], in place otherwise (or when no thread can be
/// made: the closure holding it is then dropped here). Inside
/// [`deferring_drops`] a large value is kept instead, to be freed on this
/// thread once its caller has the answer.
pub fn drop_for_input<T: Send + 'static>(value: T, source_len: usize) {
    if source_len < LARGE_INPUT_BYTES {
        drop(value);
        return;
    }
    let mut value = Some(value);
    let _ = DEFERRED.try_with(|deferred| {
        if let Ok(mut deferred) = deferred.try_borrow_mut() {
            if let Some(list) = deferred.as_mut() {
                if let Some(value) = value.take() {
                    list.push((source_len, Box::new(value)));
                }
            }
        }
    });
    let Some(value) = value else {
        return;
    };
    let spawned = std::thread::Builder::new()
        .name("somon-free".into())
        .stack_size(free_stack(source_len))
        .spawn(move || drop(value));
    // A failed spawn dropped the closure, and the value with it.
    drop(spawned);
}

/// Large values kept by [`drop_for_input`] while [`deferring_drops`] runs
/// on this thread (with the length of the source each came from).
type Kept = Vec<(usize, Box<dyn std::any::Any + Send>)>;

thread_local! {
    static DEFERRED: std::cell::RefCell<Option<Kept>> = const { std::cell::RefCell::new(None) };
}

/// Large values a compile no longer needs, freed when this is dropped, on
/// the thread that drops it (each on a stack sized for its source).
#[must_use = "dropping it frees the values it holds"]
pub struct DeferredDrops(Kept);

impl Drop for DeferredDrops {
    fn drop(&mut self) {
        for (source_len, value) in self.0.drain(..) {
            let stack = free_stack(source_len);
            stacker::maybe_grow(stack, stack, move || drop(value));
        }
    }
}

/// Runs `f`, keeping the large values it frees with [`drop_for_input`]
/// instead of freeing them on threads of their own; returns them with
/// `f`'s result, to be freed once that result is delivered. A thread that
/// compiles one module after another (the N-API pipeline thread) frees
/// its trees itself so: memory a thread allocated and another frees is
/// taken back by the allocating thread in its later allocations, about
/// 12 ms of the next large compile's time (mimalloc's delayed frees, in
/// `perf`); freed here, after the answer went out, it costs the caller
/// nothing.
pub fn deferring_drops<R>(f: impl FnOnce() -> R) -> (R, DeferredDrops) {
    /// Puts back the list of an enclosing call; what this call kept is
    /// freed here if `f` unwinds.
    struct Scope(Option<Kept>);
    impl Drop for Scope {
        fn drop(&mut self) {
            let outer = self.0.take();
            if let Ok(Some(kept)) = DEFERRED.try_with(|deferred| deferred.replace(outer)) {
                drop(DeferredDrops(kept));
            }
        }
    }
    let Ok(outer) = DEFERRED.try_with(|deferred| deferred.replace(Some(Vec::new()))) else {
        return (f(), DeferredDrops(Vec::new()));
    };
    let scope = Scope(outer);
    let result = f();
    let kept = DEFERRED
        .try_with(|deferred| deferred.borrow_mut().take())
        .ok()
        .flatten()
        .unwrap_or_default();
    drop(scope);
    (result, DeferredDrops(kept))
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

/// Shared with the type check: whichever of the two shares is released
/// last frees the tree (`somon_compiler` releases the check's share here
/// too, on the pipeline's thread).
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

#[cfg(test)]
mod tests {
    use super::{deferring_drops, drop_for_input, LARGE_INPUT_BYTES};
    use std::sync::mpsc::{channel, Sender};
    use std::thread::ThreadId;

    /// Reports the thread it is dropped on.
    struct Tell(Sender<ThreadId>);
    impl Drop for Tell {
        fn drop(&mut self) {
            let _ = self.0.send(std::thread::current().id());
        }
    }

    #[test]
    fn a_large_value_is_freed_on_a_thread_of_its_own_or_kept_for_later() {
        let here = std::thread::current().id();
        let (sent, dropped) = channel();
        drop_for_input(Tell(sent.clone()), LARGE_INPUT_BYTES);
        assert_ne!(dropped.recv().ok(), Some(here));
        drop_for_input(Tell(sent.clone()), LARGE_INPUT_BYTES - 1);
        assert_eq!(dropped.try_recv().ok(), Some(here), "small: in place");

        let ((), kept) = deferring_drops(|| {
            drop_for_input(Tell(sent.clone()), LARGE_INPUT_BYTES);
            // Nested: the inner call's values go back with the inner one.
            let ((), inner) = deferring_drops(|| drop_for_input(Tell(sent.clone()), 1 << 20));
            drop(inner);
        });
        assert_eq!(dropped.try_recv().ok(), Some(here), "the inner value");
        assert!(dropped.try_recv().is_err(), "the outer one is kept");
        drop(kept);
        assert_eq!(dropped.try_recv().ok(), Some(here));
        // Outside the call again: a thread of its own.
        drop_for_input(Tell(sent), LARGE_INPUT_BYTES);
        assert_ne!(dropped.recv().ok(), Some(here));
    }

    #[test]
    fn values_kept_by_a_call_that_unwinds_are_freed() {
        let (sent, dropped) = channel();
        let unwound = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            deferring_drops(|| {
                drop_for_input(Tell(sent.clone()), LARGE_INPUT_BYTES);
                panic!("while compiling");
            })
        }));
        assert!(unwound.is_err());
        assert_eq!(dropped.try_recv().ok(), Some(std::thread::current().id()));
        // And nothing is kept afterwards.
        drop_for_input(Tell(sent), LARGE_INPUT_BYTES);
        assert_ne!(dropped.recv().ok(), Some(std::thread::current().id()));
    }
}
