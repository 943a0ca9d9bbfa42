//! The JavaScript half of `npm test` — the Node tests and the conformance
//! corpus (`node scripts/test.mjs --js-suites`) — as a Rust test, so that
//! cargo-tarpaulin counts the Rust code they exercise through the addon.
//!
//! In coverage mode scripts/test.mjs runs the Rust tests under tarpaulin
//! (whose build makes the instrumented addon, a dependency of this test),
//! puts that addon where index.js loads it, then runs this test under
//! tarpaulin with the addon as an extra object: every process the suites
//! start loads the instrumented addon and, when it exits, adds its counters
//! to a profile in the folder where tarpaulin collects them. A plain
//! `cargo test` skips it: `npm test` runs the same suites directly.

use std::path::Path;
use std::process::Command;

#[test]
#[ignore = "run under coverage by scripts/test.mjs; npm test runs these suites directly"]
fn node_tests_and_conformance_pass() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let node = std::env::var_os("SOMON_TEST_NODE").unwrap_or_else(|| "node".into());
    let mut command = Command::new(node);
    command
        .args(["scripts/test.mjs", "--js-suites"])
        .current_dir(root);
    if let Some(dir) = std::env::var_os("LLVM_PROFILE_FILE")
        .as_deref()
        .map(Path::new)
        .and_then(Path::parent)
    {
        // One profile per instrumented module, merged at every process exit
        // (`%m`), rather than tarpaulin's one per process: the suites start
        // hundreds of processes.
        command.env("LLVM_PROFILE_FILE", dir.join("node_suites_%m.profraw"));
    }
    let status = command.status().expect("node could not be started");
    assert!(
        status.success(),
        "the Node tests or the conformance corpus failed: {status}"
    );
}
