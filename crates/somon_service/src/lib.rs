//! The long-running build service behind `somon watch`, `bundle --watch`
//! and `somon serve`: it watches files (`notify`), rebuilds incrementally
//! through a [`Builder`] the CLI provides, pauses sources that keep failing
//! for I/O or internal reasons (circuit breakers), reports its state on a
//! read-only management endpoint (`/health`, `/ready`, `/metrics`), logs
//! through `tracing` in text or JSON, and stops through one graceful
//! shutdown path with a deadline.

pub mod breaker;
pub mod http;
pub mod log;
pub mod metrics;
mod service;

pub use breaker::{BreakerConfig, BreakerState};
pub use log::{LogConfig, LogFormat};
pub use service::{
    proc_memory, BuildReport, Builder, FailureKind, ManagementOptions, MemoryProbe, MemoryUsage,
    Service, ServiceOptions, ShutdownHandle, ShutdownRequest, SourceFailure, StartError, Stopped,
    WatchRoot,
};
