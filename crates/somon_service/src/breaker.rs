//! Circuit breakers, one per module source. Only failures the user cannot
//! fix by editing code count: I/O errors (a file that cannot be read, an
//! output that cannot be written) and internal compiler errors. Syntax and
//! type errors never trip a breaker.
//!
//! After `failure_threshold` consecutive failures within `window`, the
//! source is *open*: rebuilds skip it (its previous output stays) for
//! `cooldown`. Then it is *half-open*: the next build tries it once; success
//! closes the breaker, failure opens it again for another cooldown.
//!
//! There are no timers here: the service loop asks [`Breakers::next_due`]
//! when to wake for a half-open attempt, and passes `now` to every call, so
//! the state machine is tested with a fake clock.

use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BreakerConfig {
    pub failure_threshold: u32,
    pub window: Duration,
    pub cooldown: Duration,
}

impl Default for BreakerConfig {
    fn default() -> Self {
        BreakerConfig {
            failure_threshold: 5,
            window: Duration::from_secs(60),
            cooldown: Duration::from_secs(30),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum BreakerState {
    Closed,
    Open,
    HalfOpen,
}

impl BreakerState {
    pub fn as_str(self) -> &'static str {
        match self {
            BreakerState::Closed => "closed",
            BreakerState::Open => "open",
            BreakerState::HalfOpen => "half_open",
        }
    }

    pub const ALL: [BreakerState; 3] = [
        BreakerState::Closed,
        BreakerState::Open,
        BreakerState::HalfOpen,
    ];
}

/// A state change, for logs and metrics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transition {
    pub source: PathBuf,
    pub from: BreakerState,
    pub to: BreakerState,
}

#[derive(Debug)]
struct Breaker {
    state: BreakerState,
    /// Times of the consecutive failures still inside the window.
    failures: VecDeque<Instant>,
    opened_at: Option<Instant>,
}

/// What `/health` shows of one breaker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BreakerView {
    pub source: PathBuf,
    pub state: BreakerState,
    pub recent_failures: usize,
    /// While open: how long until the half-open attempt.
    pub retry_in: Option<Duration>,
}

#[derive(Debug, Default)]
pub struct Breakers {
    config: BreakerConfig,
    by_source: BTreeMap<PathBuf, Breaker>,
}

impl Breakers {
    pub fn new(config: BreakerConfig) -> Self {
        Breakers {
            config,
            by_source: BTreeMap::new(),
        }
    }

    /// Moves every open breaker whose cooldown has passed to half-open;
    /// returns those changes.
    pub fn advance(&mut self, now: Instant) -> Vec<Transition> {
        let cooldown = self.config.cooldown;
        let mut changes = Vec::new();
        for (source, b) in &mut self.by_source {
            if b.state == BreakerState::Open
                && b.opened_at
                    .is_some_and(|t| now.duration_since(t) >= cooldown)
            {
                b.state = BreakerState::HalfOpen;
                changes.push(Transition {
                    source: source.clone(),
                    from: BreakerState::Open,
                    to: BreakerState::HalfOpen,
                });
            }
        }
        changes
    }

    /// Sources a build must skip.
    pub fn paused(&self) -> Vec<PathBuf> {
        self.by_source
            .iter()
            .filter(|(_, b)| b.state == BreakerState::Open)
            .map(|(s, _)| s.clone())
            .collect()
    }

    /// Sources whose half-open attempt is due.
    pub fn half_open(&self) -> Vec<PathBuf> {
        self.by_source
            .iter()
            .filter(|(_, b)| b.state == BreakerState::HalfOpen)
            .map(|(s, _)| s.clone())
            .collect()
    }

    /// When the earliest open breaker may be tried again.
    pub fn next_due(&self) -> Option<Instant> {
        self.by_source
            .values()
            .filter(|b| b.state == BreakerState::Open)
            .filter_map(|b| b.opened_at.map(|t| t + self.config.cooldown))
            .min()
    }

    pub fn record_failure(&mut self, source: &Path, now: Instant) -> Option<Transition> {
        let config = self.config;
        let b = self
            .by_source
            .entry(source.to_path_buf())
            .or_insert(Breaker {
                state: BreakerState::Closed,
                failures: VecDeque::new(),
                opened_at: None,
            });
        while b
            .failures
            .front()
            .is_some_and(|t| now.duration_since(*t) > config.window)
        {
            b.failures.pop_front();
        }
        b.failures.push_back(now);
        let from = b.state;
        let opens = match from {
            BreakerState::Closed => b.failures.len() >= config.failure_threshold.max(1) as usize,
            BreakerState::HalfOpen => true,
            // Not tried while open; a failure reported anyway extends nothing.
            BreakerState::Open => false,
        };
        if !opens {
            return None;
        }
        b.state = BreakerState::Open;
        b.opened_at = Some(now);
        Some(Transition {
            source: source.to_path_buf(),
            from,
            to: BreakerState::Open,
        })
    }

    pub fn record_success(&mut self, source: &Path) -> Option<Transition> {
        let b = self.by_source.get_mut(source)?;
        let from = b.state;
        if from == BreakerState::Open {
            return None;
        }
        // A closed breaker with no failures is forgotten: the map holds
        // only sources that failed recently.
        self.by_source.remove(source);
        (from == BreakerState::HalfOpen).then(|| Transition {
            source: source.to_path_buf(),
            from,
            to: BreakerState::Closed,
        })
    }

    /// Drops breakers of sources that are no longer built.
    pub fn retain(&mut self, keep: impl Fn(&Path) -> bool) {
        self.by_source.retain(|s, _| keep(s));
    }

    pub fn views(&self, now: Instant) -> Vec<BreakerView> {
        self.by_source
            .iter()
            .map(|(source, b)| BreakerView {
                source: source.clone(),
                state: b.state,
                recent_failures: b.failures.len(),
                retry_in: (b.state == BreakerState::Open)
                    .then(|| {
                        b.opened_at
                            .map(|t| (t + self.config.cooldown).saturating_duration_since(now))
                    })
                    .flatten(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> BreakerConfig {
        BreakerConfig {
            failure_threshold: 3,
            window: Duration::from_secs(10),
            cooldown: Duration::from_secs(5),
        }
    }

    #[test]
    fn opens_after_threshold_then_half_opens_and_closes() {
        let t0 = Instant::now();
        let a = Path::new("/p/a.som");
        let mut b = Breakers::new(config());
        assert_eq!(b.record_failure(a, t0), None);
        assert_eq!(b.record_failure(a, t0 + Duration::from_secs(1)), None);
        let opened = b.record_failure(a, t0 + Duration::from_secs(2));
        assert_eq!(
            opened.map(|t| (t.from, t.to)),
            Some((BreakerState::Closed, BreakerState::Open))
        );
        assert!(b.paused().contains(&a.to_path_buf()));
        assert_eq!(b.paused(), vec![a.to_path_buf()]);
        assert_eq!(b.next_due(), Some(t0 + Duration::from_secs(7)));
        assert!(b.advance(t0 + Duration::from_secs(6)).is_empty());
        let half = b.advance(t0 + Duration::from_secs(7));
        assert_eq!(half.len(), 1);
        assert!(!b.paused().contains(&a.to_path_buf()));
        assert_eq!(b.half_open(), vec![a.to_path_buf()]);
        let closed = b.record_success(a);
        assert_eq!(closed.map(|t| t.to), Some(BreakerState::Closed));
        assert!(b.views(t0).is_empty());
    }

    #[test]
    fn half_open_failure_reopens_at_once() {
        let t0 = Instant::now();
        let a = Path::new("/p/a.som");
        let mut b = Breakers::new(BreakerConfig {
            failure_threshold: 1,
            ..config()
        });
        assert!(b.record_failure(a, t0).is_some());
        b.advance(t0 + Duration::from_secs(5));
        let again = b.record_failure(a, t0 + Duration::from_secs(5));
        assert_eq!(
            again.map(|t| (t.from, t.to)),
            Some((BreakerState::HalfOpen, BreakerState::Open))
        );
        let views = b.views(t0 + Duration::from_secs(6));
        assert_eq!(views.len(), 1);
        assert_eq!(views[0].retry_in, Some(Duration::from_secs(4)));
    }

    #[test]
    fn failures_outside_the_window_and_successes_reset_the_count() {
        let t0 = Instant::now();
        let a = Path::new("/p/a.som");
        let mut b = Breakers::new(config());
        b.record_failure(a, t0);
        b.record_failure(a, t0 + Duration::from_secs(1));
        // The first two fell out of the window.
        assert_eq!(b.record_failure(a, t0 + Duration::from_secs(20)), None);
        b.record_success(a);
        b.record_failure(a, t0 + Duration::from_secs(21));
        assert_eq!(b.record_failure(a, t0 + Duration::from_secs(22)), None);
        assert!(!b.paused().contains(&a.to_path_buf()));
    }
}
