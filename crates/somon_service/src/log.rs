//! Structured logs through `tracing`, written by one serializer of ours so
//! the record shape is fixed:
//!
//! - `json`: one object per line, `{"timestamp","level","target","message",
//!   "fields":{…}}`. Event data is always nested under `fields`, so nothing
//!   a caller logs (a file name, a request path) can replace the timestamp,
//!   the level or the message.
//! - `text`: `2026-11-26T10:00:00.123Z  INFO message key=value …`, with
//!   control characters escaped, so a file name with a newline cannot forge
//!   a second log line.
//!
//! Logs go to stderr (or a writer the caller gives, in tests); program
//! output and build reports never use that stream.

use std::fmt::Write as _;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogConfig {
    pub level: Level,
    pub format: LogFormat,
    pub color: bool,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            level: Level::INFO,
            format: LogFormat::Text,
            color: false,
        }
    }
}

/// Where log lines go: shared, so every thread writes whole lines.
pub type LogSink = Arc<Mutex<Box<dyn Write + Send>>>;

/// A sink writing to the process's stderr through a writer thread
/// (`tracing-appender`), so a log reader that stalls can never block a
/// build, the management endpoint or a shutdown: when its buffer (128,000
/// lines) is full, lines are dropped instead. Logs are flushed when the
/// returned guard is dropped.
pub fn stderr_sink() -> (LogSink, tracing_appender::non_blocking::WorkerGuard) {
    let (writer, guard) = tracing_appender::non_blocking(std::io::stderr());
    (Arc::new(Mutex::new(Box::new(writer))), guard)
}

/// A dispatcher for `config`, writing to `sink`. Each service thread
/// installs it with `tracing::dispatcher::with_default`, so services with
/// different settings can run in one process (the addon, tests).
pub fn dispatch(config: LogConfig, sink: LogSink) -> tracing::Dispatch {
    let layer = LineLayer {
        format: config.format,
        color: config.color,
        sink,
    }
    .with_filter(LevelFilter::from_level(config.level));
    tracing::Dispatch::new(tracing_subscriber::registry().with(layer))
}

struct LineLayer {
    format: LogFormat,
    color: bool,
    sink: LogSink,
}

#[derive(Default)]
struct Fields {
    message: String,
    /// In the order they were given.
    pairs: Vec<(String, serde_json::Value)>,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.put(field, serde_json::Value::from(value));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.put(field, serde_json::Value::from(value));
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.put(field, serde_json::Value::from(value));
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.put(field, serde_json::Value::from(value));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.put(field, serde_json::Value::from(value));
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.put(field, serde_json::Value::from(format!("{value:?}")));
    }
}

impl Fields {
    fn put(&mut self, field: &Field, value: serde_json::Value) {
        if field.name() == "message" {
            self.message = match value {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
        } else {
            self.pairs.push((field.name().to_string(), value));
        }
    }
}

impl<S: Subscriber> Layer<S> for LineLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let meta = event.metadata();
        let timestamp = rfc3339(SystemTime::now());
        let line = match self.format {
            LogFormat::Json => json_line(&timestamp, *meta.level(), meta.target(), &fields),
            LogFormat::Text => text_line(&timestamp, *meta.level(), &fields, self.color),
        };
        if let Ok(mut sink) = self.sink.lock() {
            // One write per line: concurrent threads never interleave.
            let _ = sink.write_all(line.as_bytes());
            let _ = sink.flush();
        }
    }
}

/// `2026-11-26T10:00:00.123Z`. A clock outside years 1970–9999 (which
/// would make the formatter panic) is clamped into that range.
pub fn rfc3339(t: SystemTime) -> String {
    use std::time::{Duration, UNIX_EPOCH};
    // 9999-12-31T23:59:59.999Z
    let latest = UNIX_EPOCH + Duration::from_millis(253_402_300_799_999);
    let t = if t < UNIX_EPOCH {
        UNIX_EPOCH
    } else if t > latest {
        latest
    } else {
        t
    };
    humantime::format_rfc3339_millis(t).to_string()
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::ERROR => "error",
        Level::WARN => "warn",
        Level::INFO => "info",
        Level::DEBUG => "debug",
        Level::TRACE => "trace",
    }
}

fn json_line(timestamp: &str, level: Level, target: &str, fields: &Fields) -> String {
    let nested: serde_json::Map<String, serde_json::Value> = fields.pairs.iter().cloned().collect();
    let s = |v: &str| serde_json::Value::from(v).to_string();
    format!(
        "{{\"timestamp\":{},\"level\":{},\"target\":{},\"message\":{},\"fields\":{}}}\n",
        s(timestamp),
        s(level_name(level)),
        s(target),
        s(&fields.message),
        serde_json::Value::Object(nested)
    )
}

/// Escapes backslashes, quotes and every character of
/// `somon_diagnostics::escape::is_unsafe_char` (controls, line and
/// paragraph separators, bidirectional controls, zero-width characters), so
/// one event is always one line and a value cannot end its quotes or
/// reorder the text around it. The same routine escapes diagnostics.
fn escape_text(out: &mut String, text: &str) {
    somon_diagnostics::escape::push_escaped(out, text, true);
}

fn text_line(timestamp: &str, level: Level, fields: &Fields, color: bool) -> String {
    let name = match level {
        Level::ERROR => "ERROR",
        Level::WARN => " WARN",
        Level::INFO => " INFO",
        Level::DEBUG => "DEBUG",
        Level::TRACE => "TRACE",
    };
    let mut out = String::with_capacity(80);
    out.push_str(timestamp);
    out.push(' ');
    if color {
        let code = match level {
            Level::ERROR => "31",
            Level::WARN => "33",
            Level::INFO => "32",
            _ => "34",
        };
        let _ = write!(out, "\x1b[{code}m{name}\x1b[0m");
    } else {
        out.push_str(name);
    }
    out.push(' ');
    escape_text(&mut out, &fields.message);
    for (key, value) in &fields.pairs {
        out.push(' ');
        out.push_str(key);
        out.push('=');
        match value {
            serde_json::Value::String(v) => {
                let needs_quotes =
                    v.is_empty() || v.contains(|c: char| c.is_whitespace() || c == '"' || c == '=');
                if needs_quotes {
                    out.push('"');
                    escape_text(&mut out, v);
                    out.push('"');
                } else {
                    escape_text(&mut out, v);
                }
            }
            other => out.push_str(&other.to_string()),
        }
    }
    out.push('\n');
    out
}

/// Parses `error|warn|info|debug|trace` (any case).
pub fn parse_level(text: &str) -> Option<Level> {
    Some(match text.trim().to_ascii_lowercase().as_str() {
        "error" => Level::ERROR,
        "warn" | "warning" => Level::WARN,
        "info" => Level::INFO,
        "debug" => Level::DEBUG,
        "trace" => Level::TRACE,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Collects what a dispatcher writes.
    fn capture(config: LogConfig, f: impl FnOnce()) -> String {
        let buffer: Arc<Mutex<Vec<u8>>> = Arc::default();
        struct Shared(Arc<Mutex<Vec<u8>>>);
        impl Write for Shared {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                if let Ok(mut v) = self.0.lock() {
                    v.extend_from_slice(b);
                }
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let sink: LogSink = Arc::new(Mutex::new(Box::new(Shared(buffer.clone()))));
        tracing::dispatcher::with_default(&dispatch(config, sink), f);
        let bytes = buffer.lock().map(|v| v.clone()).unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    #[test]
    fn json_lines_keep_fixed_fields_and_nest_caller_data() {
        let out = capture(
            LogConfig {
                format: LogFormat::Json,
                ..LogConfig::default()
            },
            || {
                tracing::info!(
                    file = "a\nb.som",
                    level = "forged",
                    duration_ms = 12u64,
                    "built"
                );
                tracing::debug!("hidden at info");
            },
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 1, "{out}");
        let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap_or_default();
        assert_eq!(v["level"], "info");
        assert_eq!(v["message"], "built");
        assert_eq!(v["fields"]["level"], "forged");
        assert_eq!(v["fields"]["file"], "a\nb.som");
        assert_eq!(v["fields"]["duration_ms"], 12);
        assert!(v["timestamp"].as_str().is_some_and(|t| t.ends_with('Z')));
    }

    #[test]
    fn text_lines_escape_control_characters() {
        let out = capture(LogConfig::default(), || {
            tracing::warn!(path = "/x\n2026-01-01 ERROR forged", "request refused");
        });
        assert_eq!(out.lines().count(), 1, "{out}");
        assert!(out.contains(" WARN request refused path=\"/x\\n2026-01-01 ERROR forged\""));
    }

    #[test]
    fn quotes_in_text_values_cannot_end_the_value() {
        let out = capture(LogConfig::default(), || {
            tracing::info!(file = "a\" level=error msg=\"x", "changed");
        });
        assert!(
            out.ends_with(" INFO changed file=\"a\\\" level=error msg=\\\"x\"\n"),
            "{out}"
        );
    }

    #[test]
    fn timestamps_are_clamped_instead_of_panicking() {
        use std::time::{Duration, UNIX_EPOCH};
        assert_eq!(
            rfc3339(UNIX_EPOCH - Duration::from_secs(5)),
            "1970-01-01T00:00:00.000Z"
        );
        assert_eq!(
            rfc3339(UNIX_EPOCH + Duration::from_secs(400_000_000_000)),
            "9999-12-31T23:59:59.999Z"
        );
    }

    #[test]
    fn levels_parse() {
        assert_eq!(parse_level("DEBUG"), Some(Level::DEBUG));
        assert_eq!(parse_level("loud"), None);
    }
}
