//! The service: a build loop thread (file watcher, debounce, incremental
//! builds, circuit breakers), an optional management server, and one
//! shutdown path.
//!
//! Threads: `somon-build` owns the [`Builder`] and the `notify` watcher;
//! `somon-http` accepts management connections (one short thread per
//! connection). Both end on shutdown; [`Service::wait`] waits for them up
//! to the deadline. There are no timers: the build loop sleeps in
//! `recv_timeout` until the next file event, the end of the debounce, or
//! the next half-open breaker attempt.

use crate::breaker::{BreakerConfig, BreakerView, Breakers, Transition};
use crate::http::{self, Response};
use crate::metrics::{self, Counters};
use notify::{RecursiveMode, Watcher};
use serde_json::json;
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

/// Why a module source failed in a way a breaker counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureKind {
    /// Reading a source or writing an output failed.
    Io,
    /// The compiler itself failed (an `INTERNAL` diagnostic).
    Internal,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFailure {
    pub source: PathBuf,
    pub kind: FailureKind,
    pub message: String,
}

/// What one build did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildReport {
    /// No error diagnostics and no failures.
    pub ok: bool,
    /// Nothing was attempted (every needed source is paused by its
    /// breaker); not counted as a build.
    pub skipped: bool,
    /// Modules (or files) the build covers.
    pub modules: usize,
    /// Modules parsed and emitted again.
    pub compiled: usize,
    pub cache_hits: usize,
    pub cache_misses: usize,
    /// The code of every error diagnostic this build reported (counted in
    /// the metrics).
    pub error_codes: Vec<String>,
    /// Errors in the project now: this build's plus those of files it did
    /// not need to recompile (shown by `/health`).
    pub errors_now: usize,
    pub warnings: usize,
    pub failures: Vec<SourceFailure>,
    /// Sources the build worked on and did not fail on (they close a
    /// half-open breaker).
    pub succeeded: Vec<PathBuf>,
    /// Outputs written (unchanged outputs are not rewritten).
    pub written: usize,
}

/// A folder to watch.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct WatchRoot {
    pub path: PathBuf,
    pub recursive: bool,
}

/// What the service builds: a project folder, a bundle …
pub trait Builder: Send + 'static {
    /// One build. `changed`: the paths reported since the last build
    /// (`None` for the first build: everything). `paused`: sources whose
    /// breaker is open; their previous output must stay as it is.
    fn build(&mut self, changed: Option<&[PathBuf]>, paused: &[PathBuf]) -> BuildReport;
    /// Folders to watch after the last build.
    fn watch_roots(&self) -> Vec<WatchRoot>;
    /// Files the last build depends on.
    fn watched_files(&self) -> usize;
    /// Whether a change to `path` can matter.
    fn is_relevant(&self, path: &Path) -> bool;
    /// Every source a breaker may know (others are forgotten).
    fn is_source(&self, path: &Path) -> bool;
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemoryUsage {
    pub rss_bytes: u64,
    pub heap_bytes: u64,
}

/// Reads the process's memory; the addon gives one that knows its allocator.
pub type MemoryProbe = fn() -> MemoryUsage;

/// Resident set size and data segment from `/proc/self/status` (Linux);
/// zeros elsewhere.
pub fn proc_memory() -> MemoryUsage {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = |key: &str| -> u64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0)
            * 1024
    };
    MemoryUsage {
        rss_bytes: kib("VmRSS:"),
        heap_bytes: kib("VmData:"),
    }
}

#[derive(Clone, Debug)]
pub struct ManagementOptions {
    pub host: String,
    /// 0 picks a free port.
    pub port: u16,
}

#[derive(Clone)]
pub struct ServiceOptions {
    pub version: String,
    pub management: Option<ManagementOptions>,
    pub debounce: Duration,
    pub breaker: BreakerConfig,
    pub shutdown_timeout: Duration,
    pub memory: MemoryProbe,
    /// Breaker sources are shown relative to this folder.
    pub display_base: PathBuf,
    pub log: tracing::Dispatch,
}

#[derive(Debug)]
pub enum StartError {
    /// The management port could not be bound (taken, not an address …).
    Bind { address: String, error: String },
    /// A thread could not be started.
    Spawn(String),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Bind { address, error } => {
                write!(f, "cannot listen on {address}: {error}")
            }
            StartError::Spawn(e) => write!(f, "cannot start a thread: {e}"),
        }
    }
}

/// How the service ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stopped {
    /// Everything finished within the deadline.
    Clean,
    /// The deadline passed with work still running.
    DeadlineExceeded,
    /// The build loop failed (a bug) and the service stopped itself.
    Failed,
}

/// The answer to a shutdown request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShutdownRequest {
    /// Shutdown has begun; it must end within the deadline.
    Started { deadline: Duration },
    /// It had already begun: the caller should force the exit.
    Repeated,
}

#[derive(Clone, Debug)]
struct LastBuild {
    started: SystemTime,
    duration: Duration,
    ok: bool,
    errors: usize,
    compiled: usize,
}

#[derive(Default)]
struct State {
    ready: bool,
    /// The build loop died (a bug): the service cannot rebuild any more.
    loop_failed: Option<String>,
    building: bool,
    counters: Counters,
    last: Option<LastBuild>,
    modules: usize,
    watched_files: usize,
    breakers: Breakers,
}

struct Shared {
    state: Mutex<State>,
    started: Instant,
    version: String,
    memory: MemoryProbe,
    display_base: PathBuf,
    shutdown_requested: AtomicBool,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain data: keep serving.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn shown(&self, p: &Path) -> String {
        p.strip_prefix(&self.display_base)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/")
    }
}

enum Msg {
    Fs(notify::Result<notify::Event>),
    Shutdown,
}

/// Sends shutdown requests to a running service from any thread.
#[derive(Clone)]
pub struct ShutdownHandle {
    shared: Arc<Shared>,
    to_loop: Sender<Msg>,
    to_waiter: Sender<String>,
    deadline: Duration,
}

impl ShutdownHandle {
    /// Begins the graceful shutdown (`reason`: `SIGTERM`, `SIGINT`, …).
    pub fn request(&self, reason: &str) -> ShutdownRequest {
        if self.shared.shutdown_requested.swap(true, Ordering::SeqCst) {
            return ShutdownRequest::Repeated;
        }
        // Only the atomic flag: a signal handler must never wait for the
        // state lock.
        let _ = self.to_waiter.send(reason.to_string());
        let _ = self.to_loop.send(Msg::Shutdown);
        ShutdownRequest::Started {
            deadline: self.deadline,
        }
    }
}

pub struct Service {
    shared: Arc<Shared>,
    handle: ShutdownHandle,
    from_requests: Receiver<String>,
    done: Receiver<()>,
    parts: usize,
    build_thread: Option<JoinHandle<()>>,
    server: Option<http::Server>,
    dispatch: tracing::Dispatch,
}

impl Service {
    /// Binds the management port (if any), then starts the build loop,
    /// whose first build begins at once.
    pub fn start(
        builder: Box<dyn Builder>,
        options: ServiceOptions,
    ) -> Result<Service, StartError> {
        let listener = match &options.management {
            Some(m) => Some(http::bind(&m.host, m.port).map_err(|e| StartError::Bind {
                address: format!("{}:{}", m.host, m.port),
                error: e.to_string(),
            })?),
            None => None,
        };
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                breakers: Breakers::new(options.breaker),
                ..State::default()
            }),
            started: Instant::now(),
            version: options.version.clone(),
            memory: options.memory,
            display_base: options.display_base.clone(),
            shutdown_requested: AtomicBool::new(false),
        });
        let (to_loop, from_watch) = mpsc::channel::<Msg>();
        let (to_waiter, from_requests) = mpsc::channel::<String>();
        let (done_tx, done) = mpsc::channel::<()>();
        let handle = ShutdownHandle {
            shared: shared.clone(),
            to_loop: to_loop.clone(),
            to_waiter,
            deadline: options.shutdown_timeout,
        };
        let mut parts = 0;
        let server = match listener {
            Some(listener) => {
                let for_handler = shared.clone();
                let for_observer = shared.clone();
                let server = http::Server::start(
                    listener,
                    Arc::new(move |path: &str| respond(&for_handler, path)),
                    Arc::new(move |category: &'static str, status: u16| {
                        let mut st = for_observer.state();
                        *st.counters
                            .http_requests
                            .entry((category, status))
                            .or_default() += 1;
                    }),
                    options.log.clone(),
                    done_tx.clone(),
                )
                .map_err(|e| StartError::Spawn(e.to_string()))?;
                parts += 1;
                Some(server)
            }
            None => None,
        };
        if let Some(s) = &server {
            tracing::dispatcher::with_default(&options.log, || {
                tracing::info!(address = %s.addr(), "management endpoint listening");
            });
        }
        let loop_shared = shared.clone();
        let loop_options = options.clone();
        let loop_handle = handle.clone();
        let build_thread = std::thread::Builder::new()
            .name("somon-build".into())
            .spawn(move || {
                tracing::dispatcher::with_default(&loop_options.log.clone(), || {
                    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        build_loop(builder, &loop_shared, &loop_options, to_loop, &from_watch);
                    }));
                    if let Err(panic) = run {
                        let message = panic_message(panic.as_ref());
                        tracing::error!(error = %message, "the build loop failed; stopping");
                        loop_shared.state().loop_failed = Some(message);
                        // Without a loop the service cannot work: stop it,
                        // so a supervisor restarts it.
                        loop_handle.request("the build loop failed");
                    }
                });
                let _ = done_tx.send(());
            });
        let build_thread = match build_thread {
            Ok(t) => t,
            Err(e) => {
                if let Some(s) = server {
                    s.stop();
                    s.join();
                }
                return Err(StartError::Spawn(e.to_string()));
            }
        };
        parts += 1;
        Ok(Service {
            shared,
            handle,
            from_requests,
            done,
            parts,
            build_thread: Some(build_thread),
            server,
            dispatch: options.log,
        })
    }

    pub fn management_addr(&self) -> Option<SocketAddr> {
        self.server.as_ref().map(http::Server::addr)
    }

    pub fn shutdown_handle(&self) -> ShutdownHandle {
        self.handle.clone()
    }

    /// Waits for a shutdown request, then runs the shutdown: stop taking
    /// connections (the port is released), let the build in flight finish,
    /// drain connections, close the watcher, flush the logs — all within
    /// the deadline.
    pub fn wait(mut self) -> Stopped {
        let dispatch = self.dispatch.clone();
        tracing::dispatcher::with_default(&dispatch, || {
            let reason = self
                .from_requests
                .recv()
                .unwrap_or_else(|_| "service ended".into());
            let began = Instant::now();
            let deadline = self.handle.deadline;
            let in_flight = self.shared.state().building;
            tracing::info!(
                reason = %reason,
                deadline_ms = deadline.as_millis() as u64,
                build_in_flight = in_flight,
                "shutting down"
            );
            if let Some(s) = &self.server {
                s.stop();
            }
            let mut finished = 0;
            while finished < self.parts {
                let left = deadline.saturating_sub(began.elapsed());
                match self.done.recv_timeout(left) {
                    Ok(()) => finished += 1,
                    Err(_) => break,
                }
            }
            if finished < self.parts {
                tracing::error!(
                    deadline_ms = deadline.as_millis() as u64,
                    "shutdown deadline passed with work still running; forcing exit"
                );
                return Stopped::DeadlineExceeded;
            }
            if let Some(t) = self.build_thread.take() {
                let _ = t.join();
            }
            if let Some(s) = self.server.take() {
                s.join();
            }
            tracing::info!(
                duration_ms = began.elapsed().as_millis() as u64,
                "shutdown complete"
            );
            if self.shared.state().loop_failed.is_some() {
                Stopped::Failed
            } else {
                Stopped::Clean
            }
        })
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    somon_diagnostics::panic_text(panic)
        .unwrap_or("a panic")
        .to_string()
}

fn breaker_json(shared: &Shared, views: &[BreakerView]) -> serde_json::Value {
    serde_json::Value::Array(
        views
            .iter()
            .map(|b| {
                json!({
                    "source": shared.shown(&b.source),
                    "state": b.state.as_str(),
                    "recentFailures": b.recent_failures,
                    "retryInMs": b.retry_in.map(|d| d.as_millis() as u64),
                })
            })
            .collect(),
    )
}

/// The management endpoint's answers; every value is read now.
fn respond(shared: &Shared, path: &str) -> Response {
    match path {
        "/health" => {
            let memory = (shared.memory)();
            let st = shared.state();
            let views = st.breakers.views(Instant::now());
            let any_open = views
                .iter()
                .any(|b| b.state == crate::breaker::BreakerState::Open);
            let last_failed = st.last.as_ref().is_some_and(|l| !l.ok);
            let status = if shared.shutdown_requested.load(Ordering::SeqCst) {
                "shutting_down"
            } else if st.loop_failed.is_some() {
                "failed"
            } else if any_open || last_failed {
                "degraded"
            } else {
                "ok"
            };
            let body = json!({
                "status": status,
                "version": shared.version,
                "uptimeSeconds": shared.started.elapsed().as_secs_f64(),
                "memory": { "rssBytes": memory.rss_bytes, "heapBytes": memory.heap_bytes },
                "modules": st.modules,
                "watchedFiles": st.watched_files,
                "building": st.building,
                "builds": {
                    "total": st.counters.builds(),
                    "succeeded": st.counters.builds_succeeded,
                    "failed": st.counters.builds_failed,
                },
                "lastBuild": st.last.as_ref().map(|l| json!({
                    "startedAt": crate::log::rfc3339(l.started),
                    "durationMs": l.duration.as_secs_f64() * 1000.0,
                    "result": if l.ok { "success" } else { "failure" },
                    "errors": l.errors,
                    "compiled": l.compiled,
                })),
                "errorCount": st.last.as_ref().map_or(0, |l| l.errors),
                "loopFailure": st.loop_failed,
                "circuitBreakers": breaker_json(shared, &views),
            });
            // Liveness fails only when the service can no longer work.
            Response::json(if st.loop_failed.is_some() { 503 } else { 200 }, &body)
        }
        "/ready" => {
            let st = shared.state();
            let reason = if shared.shutdown_requested.load(Ordering::SeqCst) {
                Some("shutting down")
            } else if st.loop_failed.is_some() {
                Some("the build loop failed; restart the service")
            } else if !st.ready {
                Some(if st.last.is_some() {
                    "no build has succeeded yet"
                } else {
                    "the first build has not finished"
                })
            } else if st.watched_files == 0 {
                Some("no source file is watched: the input is missing or empty")
            } else {
                None
            };
            match reason {
                None => Response::json(200, &json!({ "ready": true })),
                Some(r) => Response::json(503, &json!({ "ready": false, "reason": r })),
            }
        }
        "/metrics" => {
            let memory = (shared.memory)();
            let st = shared.state();
            let views = st.breakers.views(Instant::now());
            let mut shown: Vec<BreakerView> = views;
            for v in &mut shown {
                v.source = PathBuf::from(shared.shown(&v.source));
            }
            let text = metrics::render(
                &st.counters,
                &metrics::Live {
                    version: &shared.version,
                    uptime: shared.started.elapsed(),
                    rss_bytes: memory.rss_bytes,
                    heap_bytes: memory.heap_bytes,
                    watched_files: st.watched_files,
                    modules: st.modules,
                    ready: st.ready
                        && st.loop_failed.is_none()
                        && !shared.shutdown_requested.load(Ordering::SeqCst),
                    breakers: &shown,
                },
            );
            Response {
                status: 200,
                content_type: "text/plain; version=0.0.4; charset=utf-8",
                body: text,
            }
        }
        _ => Response::json(
            404,
            &json!({ "error": "not found", "paths": ["/health", "/ready", "/metrics"] }),
        ),
    }
}

/// Keeps the watcher's folders equal to what the builder needs.
struct Watches {
    watcher: Option<notify::RecommendedWatcher>,
    roots: BTreeSet<WatchRoot>,
    /// Folders that could not be watched (warned about once).
    failed: BTreeSet<PathBuf>,
}

impl Watches {
    /// Returns whether a folder was added (changes in it may have been
    /// missed before the watch began). Changes are applied as one batch
    /// (`paths_mut`): macOS restarts its event stream once per batch, not
    /// once per folder, and may lose events while it does, so there any
    /// change of the set asks for a recheck.
    fn sync(&mut self, wanted: Vec<WatchRoot>) -> bool {
        let Some(w) = self.watcher.as_mut() else {
            return false;
        };
        let wanted: BTreeSet<WatchRoot> = wanted.into_iter().collect();
        let mut paths = w.paths_mut();
        let mut removed = false;
        for gone in self.roots.difference(&wanted) {
            let _ = paths.remove(&gone.path);
            removed = true;
            tracing::debug!(path = %gone.path.display(), "stopped watching");
        }
        let mut kept = BTreeSet::new();
        let mut added = false;
        for root in &wanted {
            if self.roots.contains(root) {
                kept.insert(root.clone());
                continue;
            }
            let mode = if root.recursive {
                RecursiveMode::Recursive
            } else {
                RecursiveMode::NonRecursive
            };
            match paths.add(&root.path, mode) {
                Ok(()) => {
                    tracing::debug!(path = %root.path.display(), "watching");
                    self.failed.remove(&root.path);
                    kept.insert(root.clone());
                    added = true;
                }
                Err(e) => {
                    if self.failed.insert(root.path.clone()) {
                        tracing::warn!(path = %root.path.display(), error = %e, "cannot watch");
                    }
                }
            }
        }
        if let Err(e) = paths.commit() {
            tracing::warn!(error = %e, "cannot apply the watched folders");
        }
        self.roots = kept;
        added || (removed && cfg!(target_os = "macos"))
    }

    /// The watcher drops the watches of a folder that is removed or moved
    /// away (and of those below it): forget them, so the next sync watches
    /// the folder again if it comes back.
    fn forget_below(&mut self, path: &Path) {
        self.roots.retain(|r| !r.path.starts_with(path));
    }
}

/// What a file event means for the loop.
enum Change {
    /// Nothing to build (reads, metadata of unrelated files …).
    None,
    /// Paths the builder may care about.
    Paths(Vec<PathBuf>),
    /// A folder came, went or was renamed: recheck everything.
    Folders,
}

fn classify(event: notify::Event, watches: &mut Watches, builder: &dyn Builder) -> Change {
    use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind, RemoveKind};
    use notify::EventKind;
    match event.kind {
        // The builds' own reads would otherwise start the next build.
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => {}
        EventKind::Access(_) => return Change::None,
        EventKind::Create(CreateKind::Folder) | EventKind::Remove(RemoveKind::Folder) => {
            for p in &event.paths {
                watches.forget_below(p);
            }
            return Change::Folders;
        }
        EventKind::Modify(ModifyKind::Name(_)) | EventKind::Remove(_) => {
            // A renamed or removed path may have been a watched folder.
            let folder = event
                .paths
                .iter()
                .any(|p| p.is_dir() || watches.roots.iter().any(|r| r.path.starts_with(p)));
            if folder {
                for p in &event.paths {
                    watches.forget_below(p);
                }
                return Change::Folders;
            }
        }
        _ => {}
    }
    let paths: Vec<PathBuf> = event
        .paths
        .into_iter()
        .filter(|p| builder.is_relevant(p))
        .collect();
    if paths.is_empty() {
        Change::None
    } else {
        Change::Paths(paths)
    }
}

fn log_transition(shared: &Shared, t: &Transition) {
    let source = shared.shown(&t.source);
    match t.to {
        crate::breaker::BreakerState::Open => tracing::warn!(
            file = %source,
            from = t.from.as_str(),
            "circuit breaker opened: rebuilds of this source are paused"
        ),
        crate::breaker::BreakerState::HalfOpen => tracing::info!(
            file = %source,
            "circuit breaker half-open: trying this source once"
        ),
        crate::breaker::BreakerState::Closed => {
            tracing::info!(file = %source, "circuit breaker closed")
        }
    }
}

/// What the loop must build next.
#[derive(Default)]
struct Pending {
    paths: BTreeSet<PathBuf>,
    /// Check everything (watcher overflow, a new watch that may have
    /// missed events).
    full: bool,
    /// When the first change of this batch arrived.
    since: Option<Instant>,
    /// When the batch is considered settled.
    settle_at: Option<Instant>,
}

impl Pending {
    /// Debounce: each change moves the settle time, but never past one
    /// second (plus the debounce) after the first change of the batch, so
    /// a file rewritten continuously still gets built.
    fn touch(&mut self, now: Instant, debounce: Duration) {
        let since = *self.since.get_or_insert(now);
        let cap = since + debounce + Duration::from_secs(1);
        self.settle_at = Some((now + debounce).min(cap));
    }

    fn take(&mut self) -> (bool, Vec<PathBuf>) {
        let full = std::mem::take(&mut self.full);
        self.since = None;
        self.settle_at = None;
        (full, std::mem::take(&mut self.paths).into_iter().collect())
    }
}

fn build_loop(
    mut builder: Box<dyn Builder>,
    shared: &Shared,
    options: &ServiceOptions,
    to_loop: Sender<Msg>,
    from_watch: &Receiver<Msg>,
) {
    let sender = Mutex::new(to_loop);
    let watcher = notify::recommended_watcher(move |event| {
        if let Ok(tx) = sender.lock() {
            let _ = tx.send(Msg::Fs(event));
        }
    });
    let mut watches = Watches {
        watcher: match watcher {
            Ok(w) => Some(w),
            Err(e) => {
                tracing::error!(error = %e, "cannot start the file watcher; building once");
                None
            }
        },
        roots: BTreeSet::new(),
        failed: BTreeSet::new(),
    };
    // Watch what is known before the first build, so edits made while it
    // runs are seen.
    watches.sync(builder.watch_roots());
    let mut pending = Pending::default();
    if run_build(&mut *builder, shared, None, &mut watches) {
        pending.full = true;
        pending.touch(Instant::now(), options.debounce);
    }
    loop {
        if shared.shutdown_requested.load(Ordering::SeqCst) {
            break;
        }
        let due = shared.state().breakers.next_due();
        let wake = match (pending.settle_at, due) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let msg = match wake {
            Some(at) => from_watch.recv_timeout(at.saturating_duration_since(Instant::now())),
            None => from_watch
                .recv()
                .map_err(|_| RecvTimeoutError::Disconnected),
        };
        match msg {
            Ok(Msg::Shutdown) | Err(RecvTimeoutError::Disconnected) => break,
            Ok(Msg::Fs(Ok(event))) if event.need_rescan() => {
                tracing::warn!("file watcher lost events; checking every file");
                pending.full = true;
                pending.touch(Instant::now(), options.debounce);
            }
            Ok(Msg::Fs(Ok(event))) => match classify(event, &mut watches, &*builder) {
                Change::None => {}
                Change::Folders => {
                    tracing::debug!("folders changed; checking every file");
                    pending.full = true;
                    pending.touch(Instant::now(), options.debounce);
                }
                Change::Paths(relevant) => {
                    for p in &relevant {
                        tracing::debug!(file = %shared.shown(p), "changed");
                    }
                    pending.paths.extend(relevant);
                    pending.touch(Instant::now(), options.debounce);
                }
            },
            Ok(Msg::Fs(Err(e))) => {
                tracing::warn!(error = %e, "file watcher error; checking every file");
                pending.full = true;
                pending.touch(Instant::now(), options.debounce);
            }
            Err(RecvTimeoutError::Timeout) => {}
        }
        let now = Instant::now();
        let (changes, breaker_due) = {
            let mut st = shared.state();
            let changes = st.breakers.advance(now);
            for t in &changes {
                st.counters.record_transition(t);
            }
            (changes, st.breakers.half_open())
        };
        for t in &changes {
            log_transition(shared, t);
        }
        let settled = pending.settle_at.is_some_and(|t| t <= now);
        if !settled && breaker_due.is_empty() {
            continue;
        }
        let (full, mut changed) = if settled {
            pending.take()
        } else {
            (false, Vec::new())
        };
        // A half-open attempt rebuilds its source even if it did not change.
        changed.extend(breaker_due);
        changed.sort();
        changed.dedup();
        let grew = if full {
            run_build(&mut *builder, shared, None, &mut watches)
        } else {
            run_build(&mut *builder, shared, Some(&changed), &mut watches)
        };
        if grew {
            // New folders are watched now; what changed in them before
            // that is found by comparing every file once more.
            pending.full = true;
            pending.touch(Instant::now(), options.debounce);
        }
    }
    // Releasing the watcher closes its inotify descriptor and thread.
    watches.watcher = None;
}

/// One build; returns whether the watch set gained folders.
fn run_build(
    builder: &mut dyn Builder,
    shared: &Shared,
    changed: Option<&[PathBuf]>,
    watches: &mut Watches,
) -> bool {
    let paused = {
        let mut st = shared.state();
        st.building = true;
        st.breakers.paused()
    };
    let started_at = SystemTime::now();
    let started = Instant::now();
    match changed {
        None => tracing::info!("build started"),
        Some(c) => tracing::info!(changed = c.len(), "build started"),
    }
    for p in &paused {
        tracing::debug!(file = %shared.shown(p), "skipped: circuit breaker open");
    }
    // A compiler bug must not end the service: it is an internal failure
    // of this build, and the next change is built again.
    let report = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        builder.build(changed, &paused)
    })) {
        Ok(report) => report,
        Err(panic) => {
            let message = panic_message(panic.as_ref());
            tracing::error!(error = %message, "internal error during the build");
            BuildReport {
                ok: false,
                modules: shared.state().modules,
                error_codes: vec!["INTERNAL".to_string()],
                errors_now: 1,
                // The sources this build was for count towards their
                // breakers: a compiler bug that repeats pauses them.
                failures: changed
                    .unwrap_or_default()
                    .iter()
                    .filter(|p| builder.is_source(p))
                    .map(|p| SourceFailure {
                        source: p.clone(),
                        kind: FailureKind::Internal,
                        message: message.clone(),
                    })
                    .collect(),
                ..BuildReport::default()
            }
        }
    };
    let duration = started.elapsed();
    let grew = watches.sync(builder.watch_roots());
    let watched_files = builder.watched_files();
    let now = Instant::now();
    let mut transitions = Vec::new();
    {
        let mut st = shared.state();
        st.building = false;
        if report.skipped {
            drop(st);
            tracing::info!(
                paused = paused.len(),
                "build skipped: a circuit breaker is open; the previous output stays"
            );
            return grew;
        }
        st.counters.record_build(report.ok, duration);
        st.counters.modules_compiled += report.compiled as u64;
        st.counters.cache_hits += report.cache_hits as u64;
        st.counters.cache_misses += report.cache_misses as u64;
        for code in &report.error_codes {
            *st.counters.errors_by_code.entry(code.clone()).or_default() += 1;
        }
        st.modules = report.modules;
        st.watched_files = watched_files;
        if report.ok {
            st.ready = true;
        }
        st.last = Some(LastBuild {
            started: started_at,
            duration,
            ok: report.ok,
            errors: report.errors_now,
            compiled: report.compiled,
        });
        for f in &report.failures {
            if let Some(t) = st.breakers.record_failure(&f.source, now) {
                transitions.push(t);
            }
        }
        for s in &report.succeeded {
            if let Some(t) = st.breakers.record_success(s) {
                transitions.push(t);
            }
        }
        for t in &transitions {
            st.counters.record_transition(t);
        }
        st.breakers.retain(|p| builder.is_source(p));
    }
    // Logged with the state lock released: a slow log reader must never
    // block the endpoint or a shutdown request.
    for f in &report.failures {
        tracing::error!(
            file = %shared.shown(&f.source),
            kind = match f.kind { FailureKind::Io => "io", FailureKind::Internal => "internal" },
            error = %f.message,
            "build failure"
        );
    }
    for t in &transitions {
        log_transition(shared, t);
    }
    // Microsecond precision is plenty for a log line.
    let duration_ms = (duration.as_secs_f64() * 1e6).round() / 1000.0;
    if report.ok {
        tracing::info!(
            modules = report.modules,
            compiled = report.compiled,
            cache_hits = report.cache_hits,
            written = report.written,
            warnings = report.warnings,
            duration_ms,
            "build succeeded"
        );
    } else {
        tracing::warn!(
            modules = report.modules,
            compiled = report.compiled,
            errors = report.errors_now,
            failures = report.failures.len(),
            duration_ms,
            "build failed"
        );
    }
    grew
}
