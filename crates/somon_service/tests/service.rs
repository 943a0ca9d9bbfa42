//! The service with a scripted builder: readiness, health, metrics, the
//! Host check, breakers, start errors and the shutdown deadline.

mod common;
use common::*;
use somon_service::{BreakerConfig, Service, StartError, Stopped};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[test]
fn ready_health_and_metrics_follow_the_builds() {
    let r = start(BreakerConfig::default());
    let (status, body) = get(r.addr, "/ready");
    assert_eq!(status, 503);
    assert_eq!(json(&body)["reason"], "the first build has not finished");
    assert_eq!(
        json(&get(r.addr, "/health").1)["lastBuild"],
        serde_json::Value::Null
    );

    let _ = r.steps.send(Step::Errors(vec![
        "SYNTAX",
        "SYNTAX",
        "TYPE_NOT_ASSIGNABLE",
    ]));
    until("the failed build", || {
        json(&get(r.addr, "/health").1)["builds"]["failed"] == 1
    });
    let (status, body) = get(r.addr, "/ready");
    assert_eq!(status, 503);
    assert_eq!(json(&body)["reason"], "no build has succeeded yet");

    let health = json(&get(r.addr, "/health").1);
    assert_eq!(health["version"], "9.9.9");
    assert_eq!(health["status"], "degraded");
    assert_eq!(health["errorCount"], 3);
    assert_eq!(health["modules"], 3);
    assert!(health["memory"]["rssBytes"].as_u64().is_some_and(|v| v > 0));
    assert!(health["uptimeSeconds"].as_f64().is_some());
    assert_eq!(health["lastBuild"]["result"], "failure");

    let (status, metrics) = get(r.addr, "/metrics");
    assert_eq!(status, 200);
    assert!(
        metrics.contains("somon_builds_total{result=\"failure\"} 1\n"),
        "{metrics}"
    );
    assert!(metrics.contains("somon_builds_total{result=\"success\"} 0\n"));
    assert!(metrics.contains("somon_errors_total{code=\"SYNTAX\"} 2\n"));
    assert!(metrics.contains("somon_errors_total{code=\"TYPE_NOT_ASSIGNABLE\"} 1\n"));
    assert!(metrics.contains("somon_watched_files 2\n"));
    assert!(metrics.contains("somon_http_requests_total{path=\"/ready\",status=\"503\"} 2\n"));

    // Only GET and HEAD; only loopback names or addresses; no CORS.
    assert_eq!(request(r.addr, "POST", "/health", "127.0.0.1").0, 405);
    assert_eq!(request(r.addr, "GET", "/health", "attacker.example").0, 403);
    assert_eq!(request(r.addr, "GET", "/health", "localhost").0, 200);
    assert_eq!(get(r.addr, "/config").0, 404);
    let Ok(mut s) = TcpStream::connect(r.addr) else {
        panic!("connect");
    };
    let _ = write!(
        s,
        "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://evil.example\r\n\r\n"
    );
    let mut raw = String::new();
    let _ = s.read_to_string(&mut raw);
    assert!(
        !raw.to_ascii_lowercase().contains("access-control"),
        "{raw}"
    );

    let addr = r.addr;
    assert_eq!(stop(r), Stopped::Clean);
    assert!(TcpStream::connect(addr).is_err(), "the port is released");
}

/// A builder whose builds a test triggers by writing files in a watched
/// folder: the breaker's whole cycle runs through real file events.
#[test]
fn breaker_cycle_through_file_events() {
    let dir = temp_folder("breaker");
    let mut opts = options(
        0,
        BreakerConfig {
            failure_threshold: 2,
            window: Duration::from_secs(60),
            cooldown: Duration::from_millis(300),
        },
    );
    opts.display_base = PathBuf::from("/p");
    let Running {
        service,
        steps,
        addr,
        paused_seen,
    } = start_with(Some(dir.clone()), opts);
    let source = PathBuf::from("/p/a.som");
    let builds = |n: u64| move || json(&get(addr, "/health").1)["builds"]["total"] == n;
    let _ = steps.send(Step::IoFailure(source.clone()));
    until("build 1", builds(1));
    let _ = steps.send(Step::IoFailure(source.clone()));
    let _ = std::fs::write(dir.join("a.som"), "1");
    until("build 2", builds(2));
    let health = json(&get(addr, "/health").1);
    assert_eq!(health["circuitBreakers"][0]["state"], "open", "{health}");
    assert!(health["circuitBreakers"][0]["retryInMs"].as_u64().is_some());
    let metrics = get(addr, "/metrics").1;
    assert!(
        metrics.contains("somon_circuit_breaker_state{source=\"a.som\",state=\"open\"} 1\n"),
        "{metrics}"
    );
    assert!(metrics.contains("somon_circuit_breaker_transitions_total{to=\"open\"} 1\n"));
    // After the cooldown the service tries the source once by itself.
    let _ = steps.send(Step::Ok {
        modules: 1,
        compiled: 1,
    });
    until("the half-open attempt", builds(3));
    let health = json(&get(addr, "/health").1);
    assert_eq!(health["circuitBreakers"], serde_json::json!([]), "{health}");
    let metrics = get(addr, "/metrics").1;
    assert!(metrics.contains("somon_circuit_breaker_transitions_total{to=\"half_open\"} 1\n"));
    assert!(metrics.contains("somon_circuit_breaker_transitions_total{to=\"closed\"} 1\n"));
    let seen = paused_seen.lock().map(|v| v.clone()).unwrap_or_default();
    assert_eq!(seen.len(), 3);
    assert!(
        seen.iter().all(|p| p.is_empty()),
        "half-open builds are not paused: {seen:?}"
    );
    let handle = service.shutdown_handle();
    handle.request("test");
    drop(steps);
    assert_eq!(service.wait(), Stopped::Clean);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_taken_port_is_a_start_error() {
    let r = start(BreakerConfig::default());
    let (steps, rx) = mpsc::channel::<Step>();
    drop(steps);
    let builder = Scripted {
        steps: rx,
        watch: Vec::new(),
        paused_seen: Arc::default(),
    };
    match Service::start(
        Box::new(builder),
        options(r.addr.port(), BreakerConfig::default()),
    ) {
        Err(StartError::Bind { address, .. }) => {
            assert!(address.ends_with(&r.addr.port().to_string()))
        }
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("bound a taken port"),
    }
    assert_eq!(stop(r), Stopped::Clean);
}

#[test]
fn the_deadline_is_reported_when_a_build_does_not_finish() {
    let r = start(BreakerConfig::default());
    let mut o = options(0, BreakerConfig::default());
    o.shutdown_timeout = Duration::from_millis(200);
    let Running {
        service: stuck,
        steps,
        ..
    } = start_with(None, o);
    // Its first build waits for a step that never comes.
    stuck.shutdown_handle().request("SIGTERM");
    let began = Instant::now();
    assert_eq!(stuck.wait(), Stopped::DeadlineExceeded);
    assert!(began.elapsed() < Duration::from_secs(5));
    // Let the stuck build thread finish.
    drop(steps);
    assert_eq!(stop(r), Stopped::Clean);
}

#[test]
fn a_panicking_build_is_an_internal_error_and_the_service_goes_on() {
    let dir = temp_folder("panic");
    let Running {
        service,
        steps,
        addr,
        ..
    } = start_with(Some(dir.clone()), options(0, BreakerConfig::default()));
    let _ = steps.send(Step::Panic);
    until("the failed build", || {
        json(&get(addr, "/health").1)["builds"]["failed"] == 1
    });
    let metrics = get(addr, "/metrics").1;
    assert!(
        metrics.contains("somon_errors_total{code=\"INTERNAL\"} 1\n"),
        "{metrics}"
    );
    // The loop is alive: a file event builds again.
    let _ = steps.send(Step::Ok {
        modules: 1,
        compiled: 1,
    });
    let _ = std::fs::write(dir.join("a.som"), "1");
    until("the next build", || get(addr, "/ready").0 == 200);
    assert_eq!(json(&get(addr, "/health").1)["status"], "ok");
    service.shutdown_handle().request("test");
    drop(steps);
    assert_eq!(service.wait(), Stopped::Clean);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_idle_connection_does_not_hold_up_the_shutdown() {
    let r = start(BreakerConfig::default());
    let _ = r.steps.send(Step::Ok {
        modules: 1,
        compiled: 1,
    });
    until("ready", || get(r.addr, "/ready").0 == 200);
    // A client that connects and sends half a request head, then nothing.
    let Ok(mut idle) = TcpStream::connect(r.addr) else {
        panic!("connect");
    };
    let _ = write!(idle, "GET /health HTTP/1.1\r\n");
    std::thread::sleep(Duration::from_millis(100));
    let began = Instant::now();
    let addr = r.addr;
    assert_eq!(stop(r), Stopped::Clean);
    assert!(
        began.elapsed() < Duration::from_millis(1500),
        "shutdown waited {:?} for an idle client",
        began.elapsed()
    );
    assert!(TcpStream::connect(addr).is_err());
}
