//! The long-running commands — `watch`, `compile --watch`, `bundle
//! --watch`, `serve` — on top of `somon_service`: their flags, how the
//! configuration feeds the service, and the registry through which the
//! Node wrapper's signal handlers reach a running service.
//!
//! Streams: build reports (diagnostics, written files) go to stdout; logs
//! go to stderr, as text or JSON lines.

use crate::{print_error, Environment, Outcome, Settings, VERSION};
use clap::{Args, ValueEnum};
use somon_diagnostics::Message;
use somon_service::{
    BreakerConfig, Builder, LogConfig, LogFormat, ManagementOptions, Service, ServiceOptions,
    ShutdownHandle, ShutdownRequest, StartError, Stopped,
};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// The management port `somon serve` uses when neither `--management-port`
/// nor `service.managementPort` gives one.
pub const DEFAULT_SERVE_PORT: u16 = 9464;

#[derive(Args, Debug, Default, Clone)]
pub(crate) struct ServiceArgs {
    /// Serve /health, /ready and /metrics on this port (0: any free port;
    /// implies --watch)
    #[arg(long, value_name = "PORT")]
    pub(crate) management_port: Option<u16>,
    /// Address the management endpoint listens on [default: 127.0.0.1]
    #[arg(long, value_name = "ADDRESS")]
    pub(crate) management_host: Option<String>,
    /// Log level: error, warn, info, debug or trace [default: info; also
    /// SOMON_LOG]
    #[arg(long, value_name = "LEVEL")]
    pub(crate) log_level: Option<String>,
    /// Log format on stderr [default: text; json in production]
    #[arg(long, value_enum)]
    pub(crate) log_format: Option<LogFormatArg>,
    /// Milliseconds a graceful shutdown may take before the exit is forced
    /// [default: 30000]
    #[arg(long, value_name = "MS")]
    pub(crate) shutdown_timeout: Option<u64>,
}

impl ServiceArgs {
    /// The first flag given that only a long-running command can use
    /// (`--management-port` implies `--watch` instead).
    pub(crate) fn needs_watch(&self) -> Option<&'static str> {
        if self.management_host.is_some() {
            Some("--management-host")
        } else if self.log_level.is_some() {
            Some("--log-level")
        } else if self.log_format.is_some() {
            Some("--log-format")
        } else if self.shutdown_timeout.is_some() {
            Some("--shutdown-timeout")
        } else {
            None
        }
    }

    /// `--watch` (or `--management-port`, which implies it), else the
    /// usage error for a service flag given to a one-shot command.
    pub(crate) fn watch_mode(&self, watch: bool, env: &Environment) -> Result<bool, Outcome> {
        let watch = watch || self.management_port.is_some();
        match self.needs_watch() {
            Some(option) if !watch => Err(crate::usage_error(
                env,
                Message::NeedsWatch {
                    option: option.to_string(),
                },
            )),
            _ => Ok(watch),
        }
    }

    /// The flags that are configuration keys, as overrides (so they are
    /// validated like the file and shown by `somon config`).
    pub(crate) fn apply(&self, o: &mut somon_config::Overrides) {
        use serde_json::json;
        if let Some(l) = &self.log_level {
            o.set(
                "logging.level",
                json!(l.to_ascii_lowercase()),
                "--log-level",
            );
        }
        if let Some(f) = self.log_format {
            let name = match f {
                LogFormatArg::Text => "text",
                LogFormatArg::Json => "json",
            };
            o.set("logging.format", json!(name), "--log-format");
        }
        if let Some(h) = &self.management_host {
            o.set("service.host", json!(h), "--management-host");
        }
        if let Some(t) = self.shutdown_timeout {
            o.set("service.shutdownTimeoutMs", json!(t), "--shutdown-timeout");
        }
    }
}

/// `--watch` and the flags of the long-running commands, shared by
/// `compile` and `bundle`.
#[derive(Args, Debug, Default, Clone)]
pub(crate) struct WatchArgs {
    /// Keep running: rebuild what changes
    #[arg(short, long)]
    pub(crate) watch: bool,
    #[command(flatten)]
    pub(crate) service: ServiceArgs,
    /// Set by `serve`: the management port when none is configured.
    #[arg(skip)]
    pub(crate) serve_port: Option<u16>,
}

impl WatchArgs {
    /// What `serve` runs with: watching, the endpoint on by default.
    pub(crate) fn serving(service: ServiceArgs) -> Self {
        WatchArgs {
            watch: true,
            service,
            serve_port: Some(DEFAULT_SERVE_PORT),
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub(crate) enum LogFormatArg {
    Text,
    Json,
}

/// Services started by this process's CLI calls, for signal handlers.
static ACTIVE: Mutex<Vec<(u64, ShutdownHandle)>> = Mutex::new(Vec::new());
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// What a signal did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignalAnswer {
    /// No service runs: the caller applies the signal's default action.
    NoService,
    /// A graceful shutdown began; it ends within the deadline.
    Draining { deadline_ms: u64 },
    /// A shutdown was already under way: the caller exits at once.
    Forced,
}

/// Asks every running service to shut down (`signal`: `SIGTERM` …).
pub fn request_shutdown(signal: &str) -> SignalAnswer {
    let active = ACTIVE.lock().unwrap_or_else(|e| e.into_inner());
    let mut answer = SignalAnswer::NoService;
    for (_, handle) in active.iter() {
        answer = match handle.request(signal) {
            ShutdownRequest::Started { deadline } => SignalAnswer::Draining {
                deadline_ms: deadline.as_millis() as u64,
            },
            ShutdownRequest::Repeated => SignalAnswer::Forced,
        };
    }
    answer
}

/// Removes a service from [`ACTIVE`] when its command ends, even by panic.
struct Registered(u64);

impl Drop for Registered {
    fn drop(&mut self) {
        let mut active = ACTIVE.lock().unwrap_or_else(|e| e.into_inner());
        active.retain(|(id, _)| *id != self.0);
    }
}

/// Runs `builder` as a service until a signal stops it.
pub(crate) fn run_service(
    builder: impl Builder,
    st: &Settings,
    env: &Environment,
    sa: &ServiceArgs,
    default_port: Option<u16>,
) -> Outcome {
    let effective = &st.effective;
    let logging = &effective.logging;
    // Long-running commands report progress at `info` unless told otherwise.
    let level = if logging.level.source == somon_config::Source::Default {
        tracing::Level::INFO
    } else {
        somon_service::log::parse_level(logging.level.value.as_str())
            .unwrap_or(tracing::Level::INFO)
    };
    let format = if logging.format.value.as_str() == "json" {
        LogFormat::Json
    } else {
        LogFormat::Text
    };
    // The guard lives until the command returns: dropping it flushes the
    // last log lines.
    let (sink, _flush_logs) = somon_service::log::stderr_sink();
    let log = somon_service::log::dispatch(
        LogConfig {
            level,
            format,
            color: env.color && format == LogFormat::Text,
        },
        sink,
    );
    let service = &effective.service;
    let breaker = &service.circuit_breaker;
    let port = sa
        .management_port
        .or(service.management_port.value)
        .or(default_port);
    let options = ServiceOptions {
        version: VERSION.to_string(),
        management: port.map(|port| ManagementOptions {
            host: service.host.value.clone(),
            port,
        }),
        debounce: Duration::from_millis(effective.watch.debounce_ms.value),
        breaker: BreakerConfig {
            failure_threshold: u32::try_from(breaker.failure_threshold.value).unwrap_or(u32::MAX),
            window: Duration::from_millis(breaker.window_ms.value),
            cooldown: Duration::from_millis(breaker.cooldown_ms.value),
        },
        shutdown_timeout: Duration::from_millis(service.shutdown_timeout_ms.value),
        memory: env.memory.unwrap_or(somon_service::proc_memory),
        display_base: env.cwd.clone(),
        log,
    };
    let running = match Service::start(Box::new(builder), options) {
        Ok(s) => s,
        Err(e) => {
            let (address, reason) = match e {
                StartError::Bind { address, error } => (address, error),
                StartError::Spawn(error) => ("-".to_string(), error),
            };
            print_error(
                &mut std::io::stderr().lock(),
                env,
                &Message::ManagementUnavailable { address, reason },
            );
            return Outcome::exit(2);
        }
    };
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    ACTIVE
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((id, running.shutdown_handle()));
    let _registered = Registered(id);
    match running.wait() {
        Stopped::Clean => Outcome::exit(0),
        Stopped::Failed => Outcome::exit(1),
        Stopped::DeadlineExceeded => Outcome {
            exit_code: 1,
            run: None,
            force_exit: true,
        },
    }
}
