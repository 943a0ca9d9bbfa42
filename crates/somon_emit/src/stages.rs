//! Per-stage wall-clock timings of one compilation, for profiling
//! (`benchmark/compile.mjs --stages`). Off by default: then every `mark`
//! is one branch on a `None` and no clock is read.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// A function called with each stage's name as it ends, on recorders that
/// are on: the memory probe of `somon_compiler`'s `peak_memory` example
/// reads its allocator's live bytes there (set once per process).
static PROBE: OnceLock<fn(&'static str)> = OnceLock::new();

/// Installs the stage probe (see [`PROBE`]); a second call is ignored.
pub fn set_probe(probe: fn(&'static str)) {
    let _ = PROBE.set(probe);
}

/// Records how long each stage of a pipeline took: `mark(name)` closes the
/// stage that ran since the previous mark (or since `on()`).
#[derive(Debug, Default)]
pub struct Stages {
    last: Option<Instant>,
    times: Vec<(&'static str, Duration)>,
}

impl Stages {
    /// A recorder that records nothing (no clock is read).
    pub fn off() -> Self {
        Stages::default()
    }

    /// A recorder whose first stage starts now.
    pub fn on() -> Self {
        Stages {
            last: Some(Instant::now()),
            times: Vec::new(),
        }
    }

    pub fn is_on(&self) -> bool {
        self.last.is_some()
    }

    /// Ends the stage `name` now.
    #[inline]
    pub fn mark(&mut self, name: &'static str) {
        if let Some(last) = self.last.as_mut() {
            let now = Instant::now();
            self.times.push((name, now.duration_since(*last)));
            *last = now;
            if let Some(probe) = PROBE.get() {
                probe(name);
            }
        }
    }

    /// Records `took` for a stage `name` that ran beside this pipeline
    /// (on another thread); the current stage goes on.
    pub fn ran_beside(&mut self, name: &'static str, took: Duration) {
        if self.last.is_some() {
            self.times.push((name, took));
        }
    }

    /// The stages recorded so far, in order (a name may repeat).
    pub fn times(&self) -> &[(&'static str, Duration)] {
        &self.times
    }

    pub fn into_times(self) -> Vec<(&'static str, Duration)> {
        self.times
    }
}

#[cfg(test)]
mod tests {
    use super::Stages;

    #[test]
    fn off_records_nothing_and_on_records_each_mark_in_order() {
        let mut off = Stages::off();
        off.mark("a");
        assert!(off.times().is_empty());
        assert!(!off.is_on());
        let mut on = Stages::on();
        on.mark("a");
        on.mark("b");
        let names: Vec<&str> = on.times().iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["a", "b"]);
    }
}
