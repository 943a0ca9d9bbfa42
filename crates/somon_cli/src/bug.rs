//! The "this is a compiler bug" page. While a command runs, a panic (on
//! any thread: rayon workers, the build service) prints one page to stderr
//! in the user's language, naming the version, the platform and how to
//! report it; the addon still turns the panic into an error, so the process
//! ends normally. Outside commands (the library API) the previous hook runs:
//! the API reports panics as exceptions.

use somon_diagnostics::{Lang, Message};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, Once};

/// Commands running now, and the language of the last one started.
static ACTIVE: AtomicUsize = AtomicUsize::new(0);
static LANG: Mutex<Lang> = Mutex::new(Lang::En);
static NODE: Mutex<Option<String>> = Mutex::new(None);
/// One page per crash: later panics while commands run add nothing.
static PRINTED: AtomicBool = AtomicBool::new(false);
static INSTALL: Once = Once::new();

/// While alive, panics print the bug page.
pub(crate) struct CommandScope(());

impl Drop for CommandScope {
    fn drop(&mut self) {
        ACTIVE.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Installs the hook (once) and marks a command as running.
pub(crate) fn command_scope(lang: Lang, node_version: Option<&str>) -> CommandScope {
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if ACTIVE.load(Ordering::SeqCst) == 0 {
                previous(info);
                return;
            }
            if PRINTED.swap(true, Ordering::SeqCst) {
                return;
            }
            let detail = somon_diagnostics::panic_text(info.payload()).unwrap_or("(no message)");
            let detail = match info.location() {
                Some(l) => format!("{detail} ({}:{}:{})", l.file(), l.line(), l.column()),
                None => detail.to_string(),
            };
            let node = NODE.lock().ok().and_then(|n| n.clone());
            let lang = LANG.lock().map(|l| *l).unwrap_or_default();
            eprintln!("{}", page(lang, &detail, node.as_deref()));
        }));
    });
    if let Ok(mut l) = LANG.lock() {
        *l = lang;
    }
    if let Ok(mut n) = NODE.lock() {
        *n = node_version.map(str::to_string);
    }
    if ACTIVE.fetch_add(1, Ordering::SeqCst) == 0 {
        PRINTED.store(false, Ordering::SeqCst);
    }
    CommandScope(())
}

/// The page's text (without colour: it must survive any terminal or log).
pub(crate) fn page(lang: Lang, detail: &str, node_version: Option<&str>) -> String {
    let platform = format!(
        "{} {}{}",
        std::env::consts::OS,
        std::env::consts::ARCH,
        node_version
            .map(|v| format!(", Node.js {v}"))
            .unwrap_or_default()
    );
    let m = Message::CompilerBug {
        version: crate::VERSION.to_string(),
        platform,
        detail: somon_diagnostics::escape_control(detail).into_owned(),
    };
    format!("error[{}]: {}", m.code(), m.render(lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_names_version_platform_and_how_to_report() {
        let en = page(Lang::En, "index out of bounds (x.rs:1:2)", Some("v22.1.0"));
        assert!(en.starts_with("error[INTERNAL]: "), "{en}");
        for part in [
            crate::VERSION,
            std::env::consts::OS,
            "Node.js v22.1.0",
            "index out of bounds (x.rs:1:2)",
            "issue",
        ] {
            assert!(en.contains(part), "{part} missing in {en}");
        }
        let tj = page(Lang::Tg, "x", None);
        assert!(tj.contains("хато"), "{tj}");
        assert!(tj.contains(crate::VERSION));
    }
}
