//! A scripted builder and an HTTP probe for the service tests.
#![allow(dead_code)]

use somon_service::{
    BreakerConfig, BuildReport, Builder, FailureKind, LogConfig, LogFormat, ManagementOptions,
    Service, ServiceOptions, ShutdownRequest, SourceFailure, Stopped, WatchRoot,
};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A builder that does what the test tells it, one build per script step.
pub struct Scripted {
    /// Each build first waits for a step (so tests control timing).
    pub steps: Receiver<Step>,
    pub watch: Vec<WatchRoot>,
    /// Every `paused` list the service gave.
    pub paused_seen: Arc<Mutex<Vec<Vec<PathBuf>>>>,
}

#[derive(Clone)]
pub enum Step {
    Ok {
        modules: usize,
        compiled: usize,
    },
    Errors(Vec<&'static str>),
    IoFailure(PathBuf),
    /// The builder panics (a compiler bug).
    Panic,
}

impl Builder for Scripted {
    fn build(&mut self, _changed: Option<&[PathBuf]>, paused: &[PathBuf]) -> BuildReport {
        if let Ok(mut seen) = self.paused_seen.lock() {
            seen.push(paused.to_vec());
        }
        match self.steps.recv() {
            Ok(Step::Ok { modules, compiled }) => BuildReport {
                ok: true,
                modules,
                compiled,
                cache_hits: modules - compiled,
                cache_misses: compiled,
                succeeded: vec![PathBuf::from("/p/a.som")],
                ..BuildReport::default()
            },
            Ok(Step::Errors(codes)) => BuildReport {
                ok: false,
                modules: 3,
                errors_now: codes.len(),
                error_codes: codes.into_iter().map(String::from).collect(),
                ..BuildReport::default()
            },
            Ok(Step::IoFailure(source)) => BuildReport {
                ok: false,
                modules: 3,
                failures: vec![SourceFailure {
                    source,
                    kind: FailureKind::Io,
                    message: "Is a directory".into(),
                }],
                ..BuildReport::default()
            },
            Ok(Step::Panic) => panic!("scripted compiler bug"),
            Err(_) => BuildReport::default(),
        }
    }
    fn watch_roots(&self) -> Vec<WatchRoot> {
        self.watch.clone()
    }
    fn watched_files(&self) -> usize {
        2
    }
    fn is_relevant(&self, _path: &Path) -> bool {
        true
    }
    fn is_source(&self, _path: &Path) -> bool {
        true
    }
}

pub struct Running {
    pub service: Service,
    pub steps: mpsc::Sender<Step>,
    pub addr: SocketAddr,
    pub paused_seen: Arc<Mutex<Vec<Vec<PathBuf>>>>,
}

pub fn options(port: u16, breaker: BreakerConfig) -> ServiceOptions {
    ServiceOptions {
        version: "9.9.9".into(),
        management: Some(ManagementOptions {
            host: "127.0.0.1".into(),
            port,
        }),
        debounce: Duration::from_millis(20),
        breaker,
        shutdown_timeout: Duration::from_secs(10),
        memory: somon_service::proc_memory,
        display_base: PathBuf::from("/p"),
        log: somon_service::log::dispatch(
            LogConfig {
                format: LogFormat::Json,
                level: tracing::Level::ERROR,
                color: false,
            },
            Arc::new(Mutex::new(Box::new(std::io::sink()))),
        ),
    }
}

pub fn start(breaker: BreakerConfig) -> Running {
    start_with(None, options(0, breaker))
}

/// Starts a service whose scripted builder watches `folder` (if any).
pub fn start_with(folder: Option<PathBuf>, options: ServiceOptions) -> Running {
    let (steps, rx) = mpsc::channel();
    let paused_seen = Arc::new(Mutex::new(Vec::new()));
    let builder = Scripted {
        steps: rx,
        watch: folder
            .into_iter()
            .map(|path| WatchRoot {
                path,
                recursive: false,
            })
            .collect(),
        paused_seen: paused_seen.clone(),
    };
    let service = match Service::start(Box::new(builder), options) {
        Ok(s) => s,
        Err(e) => panic!("service did not start: {e}"),
    };
    let Some(addr) = service.management_addr() else {
        panic!("no management address");
    };
    Running {
        service,
        steps,
        addr,
        paused_seen,
    }
}

/// A fresh empty folder in the temporary folder.
pub fn temp_folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("somon-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// One raw HTTP request; returns (status, body).
pub fn request(addr: SocketAddr, method: &str, path: &str, host: &str) -> (u16, String) {
    let Ok(mut s) = TcpStream::connect(addr) else {
        return (0, String::new());
    };
    let _ = write!(s, "{method} {path} HTTP/1.1\r\nHost: {host}\r\n\r\n");
    let mut text = String::new();
    let _ = s.read_to_string(&mut text);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    (status, body)
}

pub fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    request(addr, "GET", path, &addr.to_string())
}

pub fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_default()
}

/// Polls until `check` holds (5 s at most).
pub fn until(what: &str, mut check: impl FnMut() -> bool) {
    let end = Instant::now() + Duration::from_secs(5);
    while Instant::now() < end {
        if check() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("timed out waiting for {what}");
}

pub fn stop(r: Running) -> Stopped {
    let handle = r.service.shutdown_handle();
    assert!(matches!(
        handle.request("test"),
        ShutdownRequest::Started { .. }
    ));
    assert_eq!(handle.request("test"), ShutdownRequest::Repeated);
    drop(r.steps);
    r.service.wait()
}
