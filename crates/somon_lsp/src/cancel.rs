//! Cancellation of work already running. The server answers on one
//! thread; a second thread (the inbox, see `lib.rs`) takes every message
//! from the connection as it arrives and, before passing it on, notes
//! what makes running work useless:
//!
//! - a message that changes what the server knows (a buffer's text, a
//!   file on disk, a buffer closed) bumps the *generation*: a diagnostics
//!   pass started under an older generation is stale;
//! - a `$/cancelRequest` adds the request's id to the *cancelled* set.
//!
//! Long work holds a [`Token`] and asks [`Token::is_cancelled`] between
//! files and between the stages of a file (parse → exports → check), and
//! stops early when it is.

use lsp_server::RequestId;
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// What the inbox thread has seen, shared with the answering thread.
#[derive(Default)]
pub struct Signals {
    generation: AtomicU64,
    cancelled: Mutex<HashSet<RequestId>>,
}

impl Signals {
    /// A message changed what the server knows.
    pub fn bump(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// A `$/cancelRequest` named `id`.
    pub fn cancel(&self, id: RequestId) {
        if let Ok(mut set) = self.cancelled.lock() {
            // A client that cancels requests already answered must not
            // grow the set without bound.
            if set.len() > 10_000 {
                set.clear();
            }
            set.insert(id);
        }
    }

    /// The request is answered (or was never running): forget its id.
    pub fn forget(&self, id: &RequestId) {
        if let Ok(mut set) = self.cancelled.lock() {
            set.remove(id);
        }
    }

    fn is_cancelled(&self, id: &RequestId) -> bool {
        self.cancelled.lock().is_ok_and(|set| set.contains(id))
    }
}

/// What a piece of work is cancelled by.
#[derive(Clone, Default)]
pub struct Token {
    signals: Option<Arc<Signals>>,
    scope: Scope,
}

#[derive(Clone, Default)]
enum Scope {
    /// Never cancelled (notifications: they must be applied whole).
    #[default]
    Never,
    /// A request: cancelled by a `$/cancelRequest` naming it.
    Request(RequestId),
    /// A diagnostics pass: cancelled by any newer change.
    Generation(u64),
}

impl Token {
    /// A token that is never cancelled.
    pub fn never() -> Token {
        Token::default()
    }

    /// For request `id`.
    pub fn request(signals: &Arc<Signals>, id: RequestId) -> Token {
        Token {
            signals: Some(signals.clone()),
            scope: Scope::Request(id),
        }
    }

    /// For work about the world as it is now: cancelled by the next
    /// change.
    pub fn generation(signals: &Arc<Signals>) -> Token {
        Token {
            signals: Some(signals.clone()),
            scope: Scope::Generation(signals.generation()),
        }
    }

    pub fn is_cancelled(&self) -> bool {
        let Some(s) = &self.signals else {
            return false;
        };
        match &self.scope {
            Scope::Never => false,
            Scope::Request(id) => s.is_cancelled(id),
            Scope::Generation(g) => s.generation() != *g,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pass_is_cancelled_by_a_newer_change_and_a_request_by_its_cancel() {
        let signals = Arc::new(Signals::default());
        let pass = Token::generation(&signals);
        let request = Token::request(&signals, RequestId::from(7));
        let other = Token::request(&signals, RequestId::from(8));
        assert!(!pass.is_cancelled() && !request.is_cancelled());
        signals.bump();
        assert!(pass.is_cancelled());
        // A change does not cancel requests (they answer about the state
        // they were asked in).
        assert!(!request.is_cancelled());
        signals.cancel(RequestId::from(7));
        assert!(request.is_cancelled());
        assert!(!other.is_cancelled());
        signals.forget(&RequestId::from(7));
        assert!(!request.is_cancelled());
        // A pass started now is current again.
        assert!(!Token::generation(&signals).is_cancelled());
        assert!(!Token::never().is_cancelled());
    }
}
