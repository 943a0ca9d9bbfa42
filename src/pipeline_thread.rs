//! The stack of synchronous single-file compiles.
//!
//! The pipeline needs [`somon_compiler::PIPELINE_STACK`] of stack and a
//! JavaScript thread has far less, so `with_pipeline_stack` would map a
//! fresh stack, fault its pages in and unmap it again on every `compile()`
//! call: about 30 µs for a call that touches little of it, 100 µs and more
//! for one that touches 200 KB — a large share of compiling a small file.
//! Instead each JavaScript thread that compiles gets one helper thread,
//! made once with [`somon_compiler::WORKER_STACK`], whose stack stays
//! mapped and warm; the calling thread hands it the work and waits for the
//! answer (a round trip of a few microseconds). The helper ends when its
//! JavaScript thread does (the thread-local sender is dropped). If no
//! helper can be made, the work runs here on a stack of its own, as before.
//!
//! Both sides poll briefly before they block ([`SPIN`]): a small file
//! compiles in a few hundred microseconds, and parking the waiting thread
//! costs a futex wake-up and a context switch on each side of every call
//! (about a tenth of a small compile's time in `perf`: kernel wake-up
//! paths). Polling is bounded, so a long compile or an idle helper still
//! sleeps.

use std::cell::RefCell;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, TryRecvError};
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

/// Runs `f` on this thread's pipeline helper and returns its result (a
/// panic in `f` is resumed here).
pub(crate) fn on_pipeline_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (back, answer) = sync_channel::<std::thread::Result<T>>(1);
    let job: Job = Box::new(move || {
        let _ = back.send(catch_unwind(AssertUnwindSafe(f)));
    });
    if let Err(job) = hand_over(job) {
        somon_compiler::with_pipeline_stack(job);
    }
    match receive(&answer) {
        Some(Ok(value)) => value,
        Some(Err(panic)) => resume_unwind(panic),
        // The job ran (here or on the helper) and always answers.
        None => resume_unwind(Box::new("the pipeline thread gave no answer")),
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
