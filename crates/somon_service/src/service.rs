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
use std::collections::{BTreeMap, BTreeSet};
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
    /// The code of every error diagnostic.
    pub error_codes: Vec<String>,
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
    shutting_down: bool,
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
        self.shared.state().shutting_down = true;
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
                    Arc::new(move |path: &str, status: u16| {
                        let mut st = for_observer.state();
                        let key = match path {
                            "/health" => "/health",
                            "/ready" => "/ready",
                            "/metrics" => "/metrics",
                            _ => "other",
                        };
                        *st.counters.http_requests.entry((key, status)).or_default() += 1;
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
        let build_thread = std::thread::Builder::new()
            .name("somon-build".into())
            .spawn(move || {
                tracing::dispatcher::with_default(&loop_options.log.clone(), || {
                    build_loop(builder, &loop_shared, &loop_options, to_loop, &from_watch);
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
            Stopped::Clean
        })
    }
}

fn rfc3339(t: SystemTime) -> String {
    humantime::format_rfc3339_millis(t).to_string()
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
            let status = if st.shutting_down {
                "shutting_down"
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
                    "startedAt": rfc3339(l.started),
                    "durationMs": l.duration.as_secs_f64() * 1000.0,
                    "result": if l.ok { "success" } else { "failure" },
                    "errors": l.errors,
                    "compiled": l.compiled,
                })),
                "errorCount": st.last.as_ref().map_or(0, |l| l.errors),
                "circuitBreakers": breaker_json(shared, &views),
            });
            Response::json(200, &body)
        }
        "/ready" => {
            let st = shared.state();
            let reason = if st.shutting_down {
                Some("shutting down")
            } else if !st.ready {
                Some(if st.last.is_some() {
                    "no build has succeeded yet"
                } else {
                    "the first build has not finished"
                })
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
                    ready: st.ready && !st.shutting_down,
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
}

impl Watches {
    fn sync(&mut self, wanted: Vec<WatchRoot>) {
        let Some(w) = self.watcher.as_mut() else {
            return;
        };
        let wanted: BTreeSet<WatchRoot> = wanted.into_iter().collect();
        for gone in self.roots.difference(&wanted) {
            let _ = w.unwatch(&gone.path);
            tracing::debug!(path = %gone.path.display(), "stopped watching");
        }
        let mut kept = BTreeSet::new();
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
            match w.watch(&root.path, mode) {
                Ok(()) => {
                    tracing::debug!(path = %root.path.display(), "watching");
                    kept.insert(root.clone());
                }
                Err(e) => {
                    tracing::warn!(path = %root.path.display(), error = %e, "cannot watch");
                }
            }
        }
        self.roots = kept;
    }
}

fn log_transition(shared: &Shared, t: &Transition, st: &mut State) {
    *st.counters
        .breaker_transitions
        .entry(t.to.as_str())
        .or_default() += 1;
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
    };
    run_build(&mut *builder, shared, None, &mut watches);
    let mut pending: BTreeSet<PathBuf> = BTreeSet::new();
    let mut settle_at: Option<Instant> = None;
    loop {
        if shared.shutdown_requested.load(Ordering::SeqCst) {
            break;
        }
        let due = shared.state().breakers.next_due();
        let wake = match (settle_at, due) {
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
            Ok(Msg::Fs(Ok(event))) => {
                let relevant: Vec<PathBuf> = event
                    .paths
                    .into_iter()
                    .filter(|p| builder.is_relevant(p))
                    .collect();
                if !relevant.is_empty() {
                    for p in &relevant {
                        tracing::debug!(file = %shared.shown(p), "changed");
                    }
                    pending.extend(relevant);
                    settle_at = Some(Instant::now() + options.debounce);
                }
            }
            Ok(Msg::Fs(Err(e))) => {
                // The watcher lost track (e.g. an overflow): rebuild all.
                tracing::warn!(error = %e, "file watcher error; checking every file");
                settle_at = Some(Instant::now() + options.debounce);
                pending.insert(PathBuf::new());
            }
            Err(RecvTimeoutError::Timeout) => {}
        }
        let now = Instant::now();
        let breaker_due = {
            let mut st = shared.state();
            let changes = st.breakers.advance(now);
            for t in &changes {
                log_transition(shared, t, &mut st);
            }
            st.breakers.half_open()
        };
        let settled = settle_at.is_some_and(|t| t <= now);
        if settled || !breaker_due.is_empty() {
            if settled {
                settle_at = None;
            }
            let mut changed: Vec<PathBuf> = std::mem::take(&mut pending).into_iter().collect();
            // A half-open attempt rebuilds its source even if it did not change.
            let full = changed.iter().any(|p| p.as_os_str().is_empty());
            changed.extend(breaker_due);
            changed.sort();
            changed.dedup();
            if full {
                run_build(&mut *builder, shared, None, &mut watches);
            } else {
                run_build(&mut *builder, shared, Some(&changed), &mut watches);
            }
        }
    }
    // Releasing the watcher closes its inotify descriptor and thread.
    watches.watcher = None;
}

fn run_build(
    builder: &mut dyn Builder,
    shared: &Shared,
    changed: Option<&[PathBuf]>,
    watches: &mut Watches,
) {
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
    let report = builder.build(changed, &paused);
    let duration = started.elapsed();
    watches.sync(builder.watch_roots());
    let now = Instant::now();
    let mut st = shared.state();
    st.building = false;
    if report.skipped {
        tracing::info!(
            paused = paused.len(),
            "build skipped: a circuit breaker is open; the previous output stays"
        );
        return;
    }
    st.counters.record_build(report.ok, duration);
    st.counters.modules_compiled += report.compiled as u64;
    st.counters.cache_hits += report.cache_hits as u64;
    st.counters.cache_misses += report.cache_misses as u64;
    let mut by_code: BTreeMap<&str, u64> = BTreeMap::new();
    for code in &report.error_codes {
        *by_code.entry(code).or_default() += 1;
    }
    for (code, n) in &by_code {
        *st.counters
            .errors_by_code
            .entry((*code).to_string())
            .or_default() += n;
    }
    st.modules = report.modules;
    st.watched_files = builder.watched_files();
    if report.ok {
        st.ready = true;
    }
    st.last = Some(LastBuild {
        started: started_at,
        duration,
        ok: report.ok,
        errors: report.error_codes.len(),
        compiled: report.compiled,
    });
    for f in &report.failures {
        tracing::error!(
            file = %shared.shown(&f.source),
            kind = match f.kind { FailureKind::Io => "io", FailureKind::Internal => "internal" },
            error = %f.message,
            "build failure"
        );
        if let Some(t) = st.breakers.record_failure(&f.source, now) {
            log_transition(shared, &t, &mut st);
        }
    }
    for s in &report.succeeded {
        if let Some(t) = st.breakers.record_success(s) {
            log_transition(shared, &t, &mut st);
        }
    }
    st.breakers.retain(|p| builder.is_source(p));
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
            errors = report.error_codes.len(),
            failures = report.failures.len(),
            duration_ms,
            "build failed"
        );
    }
}
