//! The stack of synchronous single-file compiles.
//!
//! The pipeline needs [`somon_compiler::PIPELINE_STACK`] of stack and a
//! JavaScript thread has far less, so `with_pipeline_stack` would map a
//! fresh stack, fault its pages in and unmap it again on every `compile()`
//! call: about 30 µs for a call that touches little of it, 100 µs and more
//! for one that touches 200 KB — a large share of compiling a small file.
//! Instead each JavaScript thread that compiles gets one helper thread,
//! made once with [`somon_compiler::WORKER_STACK`], whose stack stays
//! mapped and warm; the calling thread hands it the work. While the helper
//! lowers and emits, the calling thread runs the module's type check
//! ([`CallingThread`]; the checker grows its own stack where it recurses
//! and hands the tree back to the helper to free), so the check no longer
//! adds to the call's time. A large module's trees are freed by the
//! helper after it has answered (`somon_compiler::deferring_drops`). The
//! helper ends when its JavaScript thread does (the thread-local sender is
//! dropped). If no helper can be made, the work runs here on a stack of
//! its own, as before.
//!
//! Both sides poll briefly before they block ([`SPIN`]): a small file
//! compiles in a few hundred microseconds, and parking the waiting thread
//! costs a futex wake-up and a context switch on each side of every call
//! (about a tenth of a small compile's time in `perf`: kernel wake-up
//! paths). Polling is bounded, so a long compile or an idle helper still
//! sleeps.

use std::cell::RefCell;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender, TryRecvError};
use std::time::{Duration, Instant};

/// How long a side polls for the other before it blocks.
const SPIN: Duration = Duration::from_micros(200);

/// The next message of `rx`: polled for up to [`SPIN`], then waited for.
/// `None` when the sending side is gone.
fn receive<T>(rx: &Receiver<T>) -> Option<T> {
    let start = Instant::now();
    loop {
        match rx.try_recv() {
            Ok(message) => return Some(message),
            Err(TryRecvError::Disconnected) => return None,
            Err(TryRecvError::Empty) => {}
        }
        if start.elapsed() >= SPIN {
            return rx.recv().ok();
        }
        for _ in 0..64 {
            std::hint::spin_loop();
        }
    }
}

type Job = Box<dyn FnOnce() + Send>;

thread_local! {
    static HELPER: RefCell<Option<Sender<Job>>> = const { RefCell::new(None) };
}

/// What the helper sends back to the calling thread: a type check to run
/// there, or the answer.
enum Back<T> {
    Check(Job),
    Done(std::thread::Result<T>),
}

/// Runs type checks on the calling JavaScript thread while the helper
/// lowers and emits (`somon_compiler::compile_with_runner`): the calling
/// thread would otherwise only wait. The checker grows its own stack where
/// it recurses, and hands the tree back to the helper to free.
struct CallingThread<T> {
    back: SyncSender<Back<T>>,
    thread: std::thread::ThreadId,
}

impl<T: Send> somon_compiler::CheckRunner for CallingThread<T> {
    fn start(&self, job: Job) -> Result<(), Job> {
        // Run inline (no helper could be made): the caller is not waiting.
        if std::thread::current().id() == self.thread {
            return Err(job);
        }
        self.back.send(Back::Check(job)).map_err(|e| match e.0 {
            Back::Check(job) => job,
            Back::Done(_) => Box::new(|| {}),
        })
    }
}

/// Runs `f` on this thread's pipeline helper and returns its result (a
/// panic in `f` is resumed here); `f`'s runner runs type checks on this
/// thread meanwhile.
pub(crate) fn on_pipeline_thread<T: Send + 'static>(
    f: impl FnOnce(&dyn somon_compiler::CheckRunner) -> T + Send + 'static,
) -> T {
    // Room for a check and the answer: the helper never blocks on them.
    let (back, answer) = sync_channel::<Back<T>>(2);
    let runner = CallingThread {
        back: back.clone(),
        thread: std::thread::current().id(),
    };
    let job: Job = Box::new(move || {
        // A large module's trees are freed here once the caller has the
        // answer (`somon_compiler::deferring_drops`), not on threads of their
        // own: memory freed by another thread would be taken back by this
        // one in the next compile's allocations.
        let (result, trees) =
            somon_compiler::deferring_drops(|| catch_unwind(AssertUnwindSafe(|| f(&runner))));
        drop(runner);
        let _ = back.send(Back::Done(result));
        drop(trees);
    });
    if let Err(job) = hand_over(job) {
        somon_compiler::with_pipeline_stack(job);
    }
    let mut check_panic = None;
    loop {
        match receive(&answer) {
            Some(Back::Check(check)) => {
                if let Err(panic) = catch_unwind(AssertUnwindSafe(check)) {
                    check_panic.get_or_insert(panic);
                }
            }
            Some(Back::Done(result)) => {
                return match (check_panic, result) {
                    (Some(panic), _) | (None, Err(panic)) => resume_unwind(panic),
                    (None, Ok(value)) => value,
                };
            }
            // The job ran (here or on the helper) and always answers.
            None => resume_unwind(Box::new("the pipeline thread gave no answer")),
        }
    }
}

/// Sends `job` to this thread's helper, made on first use; the job back
/// when there is none (none could be made, or this thread's locals are
/// being destroyed).
fn hand_over(job: Job) -> Result<(), Job> {
    let mut job = Some(job);
    let _ = HELPER.try_with(|helper| {
        let mut helper = helper.borrow_mut();
        if helper.is_none() {
            *helper = spawn_helper();
        }
        if let (Some(sender), Some(work)) = (helper.as_ref(), job.take()) {
            if let Err(returned) = sender.send(work) {
                // The helper is gone: a new one next time.
                *helper = None;
                job = Some(returned.0);
            }
        }
    });
    match job {
        Some(job) => Err(job),
        None => Ok(()),
    }
}

fn spawn_helper() -> Option<Sender<Job>> {
    let (sender, jobs) = channel::<Job>();
    std::thread::Builder::new()
        .name("somon-pipeline".into())
        .stack_size(somon_compiler::WORKER_STACK)
        .spawn(move || {
            while let Some(job) = receive(&jobs) {
                job();
            }
        })
        .ok()?;
    Some(sender)
}
