//! Memory mode for multi-module work (bundles, projects, the CLI).
//!
//! mimalloc keeps freed pages for 10 ms (100 ms for arena memory) before it
//! returns them to the OS. A bundle frees most of what it allocates —
//! rayon workers parse modules, the calling thread lowers and drops them —
//! and is done within that delay, so the pages freed on one thread are not
//! reused by another and the process peak grows with the graph (1,000
//! modules: 167 MB instead of 130 MB). While such work runs we purge at
//! once. It costs time (≈ 170 → 220 ms for 1,000 modules, `npm run
//! bench:bundle`).
//!
//! Single-file compiles go the other way ([`keep_warm`]): the first one sets
//! the delay to [`WARM_PURGE_DELAY_MS`], so the pages a compile frees are
//! still there for the next one instead of being returned and faulted in
//! (and zeroed by the kernel) again: repeated `compile()` calls of a
//! 0.5 MB program took 48,297 page faults for 8 calls with the 10 ms
//! default, 5,362 with 1 s (`perf stat -e page-faults`).
//! A user's own `MIMALLOC_PURGE_DELAY` always wins.

use std::os::raw::{c_int, c_long};
use std::sync::Mutex;

// From mimalloc's `mi_option_e` (include/mimalloc.h; the same number in v2,
// which we link through the `mimalloc` crate's `v2` feature, and v3).
const MI_OPTION_PURGE_DELAY: c_int = 15;

extern "C" {
    fn mi_option_get(option: c_int) -> c_long;
    fn mi_option_set(option: c_int, value: c_long);
    fn mi_process_info(
        elapsed_msecs: *mut usize,
        user_msecs: *mut usize,
        system_msecs: *mut usize,
        current_rss: *mut usize,
        peak_rss: *mut usize,
        current_commit: *mut usize,
        peak_commit: *mut usize,
        page_faults: *mut usize,
    );
}

/// The process's resident set and the memory mimalloc has committed (the
/// compiler's native heap), for the service's `/health` and `/metrics`.
pub(crate) fn usage() -> somon_cli::MemoryUsage {
    let mut v = [0usize; 8];
    let [a, b, c, d, e, f, g, h] = &mut v;
    // SAFETY: mimalloc writes one `size_t` through each of the eight
    // pointers, which point at distinct live locals.
    unsafe { mi_process_info(a, b, c, d, e, f, g, h) };
    let rss = somon_cli::proc_memory().rss_bytes;
    somon_cli::MemoryUsage {
        rss_bytes: if rss > 0 { rss } else { v[3] as u64 },
        heap_bytes: v[5] as u64,
    }
}

/// Number of lean scopes alive, and the delay to restore after the last.
static LEAN_SCOPES: Mutex<(usize, c_long)> = Mutex::new((0, 0));

/// The purge delay for single-file compiles (mimalloc's default: 10 ms).
pub(crate) const WARM_PURGE_DELAY_MS: c_long = 1000;

/// Keeps freed pages for [`WARM_PURGE_DELAY_MS`] from now on (once per
/// process; a lean scope still purges at once while it lives).
pub(crate) fn keep_warm() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        if let Ok(mut scopes) = LEAN_SCOPES.lock() {
            if scopes.0 == 0 {
                // SAFETY: as in `lean_scope`.
                unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, WARM_PURGE_DELAY_MS) };
            } else {
                // A lean scope runs: it restores this when it ends.
                scopes.1 = WARM_PURGE_DELAY_MS;
            }
        }
    });
}

/// Purges freed memory immediately while the returned guard lives.
pub(crate) fn lean_scope() -> LeanScope {
    let user_chose = std::env::var_os("MIMALLOC_PURGE_DELAY").is_some();
    if !user_chose {
        if let Ok(mut scopes) = LEAN_SCOPES.lock() {
            if scopes.0 == 0 {
                // SAFETY: mimalloc's option accessors take a plain option
                // number and are safe to call from any thread.
                scopes.1 = unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) };
                unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
            }
            scopes.0 += 1;
        }
    }
    LeanScope {
        active: !user_chose,
    }
}

pub(crate) struct LeanScope {
    active: bool,
}

impl Drop for LeanScope {
    fn drop(&mut self) {
        if !self.active {
            return;
        }
        if let Ok(mut scopes) = LEAN_SCOPES.lock() {
            scopes.0 = scopes.0.saturating_sub(1);
            if scopes.0 == 0 {
                // SAFETY: as above.
                unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, scopes.1) };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_scopes_restore_the_previous_delay() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        let before = unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) };
        {
            let _outer = lean_scope();
            {
                let _inner = lean_scope();
                assert_eq!(unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) }, 0);
            }
            assert_eq!(unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) }, 0);
        }
        assert_eq!(unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) }, before);
    }
}
