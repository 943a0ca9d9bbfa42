//! The standard streams the command line prints to. `somon worker`
//! captures them while a request runs (each request's diagnostics and
//! reports become its response's `output`, and standard output carries
//! only the protocol); otherwise they are the process's own.

use std::io::Write;
use std::sync::Mutex;

/// What a running worker request has printed so far (`None`: not
/// capturing).
static CAPTURED: Mutex<Option<Vec<u8>>> = Mutex::new(None);

fn captured() -> std::sync::MutexGuard<'static, Option<Vec<u8>>> {
    CAPTURED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Standard output, or the capture.
pub(crate) struct Out;
/// Standard error, or the capture.
pub(crate) struct Err;

pub(crate) fn stdout() -> Out {
    Out
}

pub(crate) fn stderr() -> Err {
    Err
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match captured().as_mut() {
            Some(c) => {
                c.extend_from_slice(buf);
                Ok(buf.len())
            }
            None => std::io::stdout().lock().write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stdout().lock().flush()
    }
}

impl Write for Err {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match captured().as_mut() {
            Some(c) => {
                c.extend_from_slice(buf);
                Ok(buf.len())
            }
            None => std::io::stderr().lock().write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().lock().flush()
    }
}

/// Whether a worker request is being captured.
pub(crate) fn capturing() -> bool {
    captured().is_some()
}

/// Runs `f` with what it prints (on either stream, from any thread)
/// captured; what `f` returned and what it printed.
pub(crate) fn capture<T>(f: impl FnOnce() -> T) -> (T, Vec<u8>) {
    *captured() = Some(Vec::new());
    let value = f();
    let bytes = captured().take().unwrap_or_default();
    (value, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capture_collects_both_streams_in_order() {
        let (v, bytes) = capture(|| {
            let _ = writeln!(stdout(), "а");
            let _ = writeln!(stderr(), "б");
            7
        });
        assert_eq!((v, bytes), (7, "а\nб\n".as_bytes().to_vec()));
    }
}
