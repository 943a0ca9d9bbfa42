//! Counters recorded once per operation, and the Prometheus text
//! exposition (format 0.0.4) of them plus the values read live at scrape
//! time (memory, watched files, breaker states). Units are in the names,
//! label values are escaped, no sample carries a timestamp.

use crate::breaker::{BreakerState, BreakerView};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

/// Upper bounds of the build-duration histogram, in seconds.
pub const DURATION_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

#[derive(Clone, Debug, Default)]
pub struct Counters {
    pub builds_succeeded: u64,
    pub builds_failed: u64,
    /// Cumulative counts per bucket of [`DURATION_BUCKETS`].
    pub duration_buckets: [u64; DURATION_BUCKETS.len()],
    pub duration_sum_seconds: f64,
    pub modules_compiled: u64,
    pub cache_hits: u64,
    pub cache_misses: u64,
    /// Error diagnostics by code, over all builds.
    pub errors_by_code: BTreeMap<String, u64>,
    /// Breaker state changes by the state entered.
    pub breaker_transitions: BTreeMap<&'static str, u64>,
    /// Management requests by path (unknown paths as `other`) and status.
    pub http_requests: BTreeMap<(&'static str, u16), u64>,
}

impl Counters {
    pub fn builds(&self) -> u64 {
        self.builds_succeeded + self.builds_failed
    }

    pub fn record_transition(&mut self, t: &crate::breaker::Transition) {
        *self.breaker_transitions.entry(t.to.as_str()).or_default() += 1;
    }

    pub fn record_build(&mut self, ok: bool, duration: Duration) {
        if ok {
            self.builds_succeeded += 1;
        } else {
            self.builds_failed += 1;
        }
        let secs = duration.as_secs_f64();
        self.duration_sum_seconds += secs;
        for (count, bound) in self.duration_buckets.iter_mut().zip(DURATION_BUCKETS) {
            if secs <= bound {
                *count += 1;
            }
        }
    }
}

/// Values read when the metrics are scraped.
pub struct Live<'a> {
    pub version: &'a str,
    pub uptime: Duration,
    pub rss_bytes: u64,
    pub heap_bytes: u64,
    pub watched_files: usize,
    pub modules: usize,
    pub ready: bool,
    pub breakers: &'a [BreakerView],
}

/// Escapes a label value: backslash, double quote and newline.
pub fn escape_label(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

fn head(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// Prometheus' text format: integers print without a fraction.
fn number(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

pub fn render(c: &Counters, live: &Live<'_>) -> String {
    let mut o = String::with_capacity(4096);
    head(
        &mut o,
        "somon_build_info",
        "gauge",
        "Version of the running compiler.",
    );
    let _ = writeln!(
        o,
        "somon_build_info{{version=\"{}\"}} 1",
        escape_label(live.version)
    );
    head(
        &mut o,
        "somon_uptime_seconds",
        "gauge",
        "Seconds since the service started.",
    );
    let _ = writeln!(o, "somon_uptime_seconds {}", live.uptime.as_secs_f64());
    head(
        &mut o,
        "somon_ready",
        "gauge",
        "1 when a build has succeeded and the service is not shutting down.",
    );
    let _ = writeln!(o, "somon_ready {}", u8::from(live.ready));
    head(&mut o, "somon_builds_total", "counter", "Builds by result.");
    let _ = writeln!(
        o,
        "somon_builds_total{{result=\"success\"}} {}",
        c.builds_succeeded
    );
    let _ = writeln!(
        o,
        "somon_builds_total{{result=\"failure\"}} {}",
        c.builds_failed
    );
    head(
        &mut o,
        "somon_build_duration_seconds",
        "histogram",
        "Wall time of builds.",
    );
    for (bound, count) in DURATION_BUCKETS.iter().zip(c.duration_buckets) {
        let _ = writeln!(
            o,
            "somon_build_duration_seconds_bucket{{le=\"{}\"}} {count}",
            number(*bound)
        );
    }
    let _ = writeln!(
        o,
        "somon_build_duration_seconds_bucket{{le=\"+Inf\"}} {}",
        c.builds()
    );
    let _ = writeln!(
        o,
        "somon_build_duration_seconds_sum {}",
        c.duration_sum_seconds
    );
    let _ = writeln!(o, "somon_build_duration_seconds_count {}", c.builds());
    head(
        &mut o,
        "somon_modules_compiled_total",
        "counter",
        "Modules parsed and emitted again by builds.",
    );
    let _ = writeln!(o, "somon_modules_compiled_total {}", c.modules_compiled);
    head(
        &mut o,
        "somon_cache_hits_total",
        "counter",
        "Modules whose cached output a build reused.",
    );
    let _ = writeln!(o, "somon_cache_hits_total {}", c.cache_hits);
    head(
        &mut o,
        "somon_cache_misses_total",
        "counter",
        "Modules a build had to compile.",
    );
    let _ = writeln!(o, "somon_cache_misses_total {}", c.cache_misses);
    head(
        &mut o,
        "somon_errors_total",
        "counter",
        "Error diagnostics reported by builds, by code.",
    );
    for (code, n) in &c.errors_by_code {
        let _ = writeln!(
            o,
            "somon_errors_total{{code=\"{}\"}} {n}",
            escape_label(code)
        );
    }
    head(
        &mut o,
        "somon_modules",
        "gauge",
        "Modules in the last build.",
    );
    let _ = writeln!(o, "somon_modules {}", live.modules);
    head(
        &mut o,
        "somon_watched_files",
        "gauge",
        "Files the service watches now.",
    );
    let _ = writeln!(o, "somon_watched_files {}", live.watched_files);
    head(
        &mut o,
        "somon_process_resident_memory_bytes",
        "gauge",
        "Resident set size of the process.",
    );
    let _ = writeln!(o, "somon_process_resident_memory_bytes {}", live.rss_bytes);
    head(
        &mut o,
        "somon_process_heap_bytes",
        "gauge",
        "Native heap committed by the compiler.",
    );
    let _ = writeln!(o, "somon_process_heap_bytes {}", live.heap_bytes);
    head(
        &mut o,
        "somon_circuit_breaker_state",
        "gauge",
        "1 for the state each module source's circuit breaker is in.",
    );
    for b in live.breakers {
        let source = escape_label(&b.source.to_string_lossy());
        for state in BreakerState::ALL {
            let _ = writeln!(
                o,
                "somon_circuit_breaker_state{{source=\"{source}\",state=\"{}\"}} {}",
                state.as_str(),
                u8::from(b.state == state)
            );
        }
    }
    head(
        &mut o,
        "somon_circuit_breakers_open",
        "gauge",
        "Module sources whose rebuilds are paused.",
    );
    let _ = writeln!(
        o,
        "somon_circuit_breakers_open {}",
        live.breakers
            .iter()
            .filter(|b| b.state == BreakerState::Open)
            .count()
    );
    head(
        &mut o,
        "somon_circuit_breaker_transitions_total",
        "counter",
        "Circuit breaker state changes, by the state entered.",
    );
    for state in BreakerState::ALL {
        let _ = writeln!(
            o,
            "somon_circuit_breaker_transitions_total{{to=\"{}\"}} {}",
            state.as_str(),
            c.breaker_transitions.get(state.as_str()).unwrap_or(&0)
        );
    }
    head(
        &mut o,
        "somon_http_requests_total",
        "counter",
        "Management endpoint requests, by path and status.",
    );
    for ((path, status), n) in &c.http_requests {
        let _ = writeln!(
            o,
            "somon_http_requests_total{{path=\"{path}\",status=\"{status}\"}} {n}"
        );
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_is_cumulative_and_labels_are_escaped() {
        let mut c = Counters::default();
        c.record_build(true, Duration::from_millis(20));
        c.record_build(false, Duration::from_millis(700));
        c.errors_by_code.insert("A\"B\\\n".into(), 2);
        let text = render(
            &c,
            &Live {
                version: "0.1.0",
                uptime: Duration::from_secs(3),
                rss_bytes: 10,
                heap_bytes: 5,
                watched_files: 4,
                modules: 7,
                ready: true,
                breakers: &[],
            },
        );
        assert!(text.contains("somon_build_duration_seconds_bucket{le=\"0.01\"} 0\n"));
        assert!(text.contains("somon_build_duration_seconds_bucket{le=\"0.025\"} 1\n"));
        assert!(text.contains("somon_build_duration_seconds_bucket{le=\"1\"} 2\n"));
        assert!(text.contains("somon_build_duration_seconds_bucket{le=\"+Inf\"} 2\n"));
        assert!(text.contains("somon_builds_total{result=\"failure\"} 1\n"));
        assert!(text.contains("somon_errors_total{code=\"A\\\"B\\\\\\n\"} 2\n"));
        assert!(text.contains("somon_watched_files 4\n"));
        assert!(text.ends_with('\n'));
    }
}
