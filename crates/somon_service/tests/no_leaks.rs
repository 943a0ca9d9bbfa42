//! Starting and stopping the service many times in one process leaves no
//! thread, watcher (inotify descriptor) or socket behind. Its own test
//! binary, so no other test's threads run beside it.

mod common;
use common::*;
use somon_service::{BreakerConfig, Stopped};

fn count_entries(dir: &str) -> usize {
    std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}

#[test]
fn starting_and_stopping_many_times_leaves_nothing_behind() {
    // Warm up once (lazy statics, the allocator's threads).
    let warm = start(BreakerConfig::default());
    let _ = warm.steps.send(Step::Ok {
        modules: 1,
        compiled: 1,
    });
    let _ = get(warm.addr, "/health");
    assert_eq!(stop(warm), Stopped::Clean);
    let threads_before = count_entries("/proc/self/task");
    let fds_before = count_entries("/proc/self/fd");
    for _ in 0..25 {
        let Running {
            service,
            steps,
            addr,
            ..
        } = start_with(
            Some(std::env::temp_dir()),
            options(0, BreakerConfig::default()),
        );
        let _ = steps.send(Step::Ok {
            modules: 1,
            compiled: 1,
        });
        until("ready", || get(addr, "/ready").0 == 200);
        let _ = get(addr, "/metrics");
        service.shutdown_handle().request("test");
        drop(steps);
        assert_eq!(service.wait(), Stopped::Clean);
    }
    // notify closes its inotify descriptor on its own thread just after
    // the watcher is dropped, so the last service's may take a moment; the
    // test harness's own thread may come and go: one of slack.
    let settled = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let (mut threads_after, mut fds_after);
    loop {
        threads_after = count_entries("/proc/self/task");
        fds_after = count_entries("/proc/self/fd");
        let level = threads_after <= threads_before + 1 && fds_after <= fds_before + 1;
        if level || std::time::Instant::now() > settled {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        threads_after <= threads_before + 1,
        "threads {threads_before} → {threads_after}"
    );
    assert!(
        fds_after <= fds_before + 1,
        "fds {fds_before} → {fds_after}"
    );
}
