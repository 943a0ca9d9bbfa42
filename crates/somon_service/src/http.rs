//! The management endpoint's HTTP/1.1 server: read-only, one request per
//! connection, on std sockets (requests parsed by `httparse`).
//!
//! Safety rules (tooling.md §5.9): only `GET` and `HEAD` (405 otherwise);
//! no CORS headers at all; the `Host` header must name the machine by
//! address or `localhost` (a DNS-rebinding page arrives with its own
//! domain name and is refused with 403); request heads are capped at 8 KiB
//! and 64 header lines; the whole request head must arrive within 5 s
//! (each read and write within 2 s), so slow clients cannot hold
//! connections; at most 64 connections at once.
//!
//! Shutdown: [`Server::stop`] ends the accept loop, which closes the
//! listening socket first (the port is free at once), stops reading on
//! connections still waiting for a request head, lets the responses in
//! flight finish, and reports on its `done` channel.

use std::io::{self, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// A request head (request line, headers, blank line) of more bytes, or
/// of more header lines than [`MAX_HEADERS`], is answered 431.
pub const MAX_HEAD_BYTES: usize = 8 * 1024;
pub const MAX_HEADERS: usize = 64;
/// Connections served at once; past them, [`RESERVED_CONNECTIONS`] more
/// are served with the short [`RESERVED_HEAD_DEADLINE`], so slow clients
/// that fill the table cannot starve a probe; past those, 503 at once.
pub const MAX_CONNECTIONS: usize = 64;
pub const RESERVED_CONNECTIONS: usize = 8;
/// Connections one peer address may hold at once (503 past them).
pub const MAX_CONNECTIONS_PER_PEER: usize = 16;
const IO_TIMEOUT: Duration = Duration::from_secs(2);
/// The whole request head must arrive within this time.
pub const HEAD_DEADLINE: Duration = Duration::from_secs(5);
/// The same in a reserved slot: a probe sends its head at once.
pub const RESERVED_HEAD_DEADLINE: Duration = Duration::from_millis(500);
/// How long a closing connection's leftover input is read.
const LINGER: Duration = Duration::from_millis(200);
/// How often the accept loop looks at the stop flag.
const POLL: Duration = Duration::from_millis(20);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
}

impl Response {
    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        let mut body = value.to_string();
        body.push('\n');
        Response {
            status,
            content_type: "application/json; charset=utf-8",
            body,
        }
    }
}

/// Answers a `GET` for a path (query string removed).
pub type Handler = Arc<dyn Fn(&str) -> Response + Send + Sync>;
/// Told of every answered request: (its path's category, status). The
/// category is one of the served paths or `other`, so metrics stay bounded
/// whatever paths clients ask for.
pub type Observer = Arc<dyn Fn(&'static str, u16) + Send + Sync>;

pub struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

/// Binds first, so a taken port is an error before any thread starts.
pub fn bind(host: &str, port: u16) -> io::Result<TcpListener> {
    let ip: IpAddr = match host {
        "localhost" => IpAddr::from([127, 0, 0, 1]),
        other => other
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse()
            .map_err(|_| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("`{host}` is not an IP address"),
                )
            })?,
    };
    TcpListener::bind(SocketAddr::new(ip, port))
}

impl Server {
    pub fn start(
        listener: TcpListener,
        handler: Handler,
        observer: Observer,
        dispatch: tracing::Dispatch,
        done: Sender<()>,
    ) -> io::Result<Server> {
        let addr = listener.local_addr()?;
        listener.set_nonblocking(true)?;
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let accept = std::thread::Builder::new()
            .name("somon-http".into())
            .spawn(move || {
                tracing::dispatcher::with_default(&dispatch.clone(), || {
                    let connections =
                        accept_loop(&listener, &stopping, &handler, &observer, &dispatch);
                    // The port is released before the drain.
                    drop(listener);
                    for (thread, stream) in connections {
                        // A connection still waiting for its request head
                        // gets no more input; responses being written finish.
                        let _ = stream.shutdown(std::net::Shutdown::Read);
                        let _ = thread.join();
                    }
                });
                let _ = done.send(());
            })?;
        Ok(Server {
            addr,
            stop,
            accept: Some(accept),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting; connections in flight finish on their own.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }

    /// Waits for the accept thread (after `stop` and the `done` report).
    pub fn join(mut self) {
        if let Some(t) = self.accept.take() {
            let _ = t.join();
        }
    }
}

/// Accepts until stopped; returns the connections still open.
/// A connection being served: its thread, a handle to close it, its peer.
type Connection = (JoinHandle<()>, TcpStream, Option<IpAddr>);

fn accept_loop(
    listener: &TcpListener,
    stop: &AtomicBool,
    handler: &Handler,
    observer: &Observer,
    dispatch: &tracing::Dispatch,
) -> Vec<(JoinHandle<()>, TcpStream)> {
    let mut connections: Vec<Connection> = Vec::new();
    while !stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, peer)) => {
                connections.retain(|(c, _, _)| !c.is_finished());
                let peer = Some(peer.ip());
                let from_peer = connections.iter().filter(|(_, _, p)| *p == peer).count();
                let refuse = if from_peer >= MAX_CONNECTIONS_PER_PEER {
                    Some("too many connections from this address")
                } else if connections.len() >= MAX_CONNECTIONS + RESERVED_CONNECTIONS {
                    Some("too many connections")
                } else {
                    None
                };
                if let Some(message) = refuse {
                    let mut stream = stream;
                    let _ = stream.set_nonblocking(false);
                    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
                    let r = error_response(503, message);
                    let _ = write_response(&mut stream, &r, false);
                    observer("other", 503);
                    continue;
                }
                // In a reserved slot, only a prompt request is served.
                let head_deadline = if connections.len() >= MAX_CONNECTIONS {
                    RESERVED_HEAD_DEADLINE
                } else {
                    HEAD_DEADLINE
                };
                let Ok(handle) = stream.try_clone() else {
                    continue;
                };
                let (handler, observer, dispatch) =
                    (handler.clone(), observer.clone(), dispatch.clone());
                let spawned = std::thread::Builder::new()
                    .name("somon-http-conn".into())
                    .spawn(move || {
                        tracing::dispatcher::with_default(&dispatch, || {
                            serve_connection(stream, &handler, &observer, head_deadline);
                        });
                    });
                if let Ok(t) = spawned {
                    connections.push((t, handle, peer));
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => std::thread::sleep(POLL),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                tracing::warn!(error = %e, "management endpoint: accept failed");
                std::thread::sleep(POLL);
            }
        }
    }
    connections
        .into_iter()
        .map(|(thread, stream, _)| (thread, stream))
        .collect()
}

fn error_response(status: u16, message: &str) -> Response {
    Response::json(status, &serde_json::json!({ "error": message }))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

fn write_response(stream: &mut TcpStream, r: &Response, head_only: bool) -> io::Result<()> {
    let mut out = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        r.status,
        reason(r.status),
        r.content_type,
        r.body.len()
    );
    if r.status == 405 {
        out.push_str("Allow: GET, HEAD\r\n");
    }
    out.push_str("\r\n");
    if !head_only {
        out.push_str(&r.body);
    }
    stream.write_all(out.as_bytes())?;
    stream.flush()
}

/// Whether a `Host` value is well formed: a name, an IPv4 address or a
/// bracketed IPv6 address, with at most one `:port` of 1–5 digits up to
/// 65535. A malformed Host is answered 400.
pub fn host_well_formed(host: &str) -> bool {
    let host = host.trim();
    let port_ok = |p: &str| {
        !p.is_empty()
            && p.len() <= 5
            && p.bytes().all(|b| b.is_ascii_digit())
            && p.parse::<u32>().is_ok_and(|n| n <= 65535)
    };
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let Some((address, after)) = rest.split_once(']') else {
            return false;
        };
        if address.parse::<std::net::Ipv6Addr>().is_err() {
            return false;
        }
        match after {
            "" => return true,
            p => match p.strip_prefix(':') {
                Some(p) => return port_ok(p),
                None => return false,
            },
        }
    } else {
        match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_')
        && port.is_none_or(port_ok)
}

/// `localhost`, `*.localhost`, or an IP address (with or without a port).
pub fn host_allowed(host: &str) -> bool {
    let host = host.trim();
    let name = if let Some(rest) = host.strip_prefix('[') {
        // `[::1]` or `[::1]:8080`, nothing else after the bracket.
        let Some((address, after)) = rest.split_once(']') else {
            return false;
        };
        let port_ok = after.is_empty()
            || after
                .strip_prefix(':')
                .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        if !port_ok {
            return false;
        }
        address
    } else if host.matches(':').count() == 1 {
        host.split(':').next().unwrap_or("")
    } else {
        host
    };
    let lower = name.to_ascii_lowercase();
    lower == "localhost" || lower.ends_with(".localhost") || lower.parse::<IpAddr>().is_ok()
}

fn category(path: &str) -> &'static str {
    match path {
        "/health" => "/health",
        "/ready" => "/ready",
        "/metrics" => "/metrics",
        _ => "other",
    }
}

/// Serves one request, then closes the connection (the accept loop keeps
/// a handle to it, so dropping this one would not).
fn serve_connection(
    mut stream: TcpStream,
    handler: &Handler,
    observer: &Observer,
    head_deadline: Duration,
) {
    serve_request(&mut stream, handler, observer, head_deadline);
    // Closing with unread input would reset the connection and could
    // destroy the answer in flight (a 431 to a head still arriving):
    // finish writing, then read what is left for a moment.
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let end = std::time::Instant::now() + LINGER;
    let mut sink = [0u8; 4096];
    loop {
        let left = end.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            break;
        }
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
    }
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

fn serve_request(
    stream: &mut TcpStream,
    handler: &Handler,
    observer: &Observer,
    head_deadline: Duration,
) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
    let mut head = Vec::with_capacity(512);
    let mut chunk = [0u8; 1024];
    let deadline = std::time::Instant::now() + head_deadline;
    let too_large = |stream: &mut TcpStream| {
        let _ = write_response(
            stream,
            &error_response(431, "request head too large"),
            false,
        );
        observer("other", 431);
    };
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            let _ = write_response(stream, &error_response(408, "request timeout"), false);
            observer("other", 408);
            return;
        }
        let _ = stream.set_read_timeout(Some(left.min(IO_TIMEOUT)));
        match stream.read(&mut chunk) {
            Ok(0) => return,
            Ok(n) => {
                // Only the new bytes (and the three before them) can
                // complete the blank line that ends the head.
                let from = head.len().saturating_sub(3);
                head.extend_from_slice(chunk.get(..n).unwrap_or_default());
                let end = head
                    .get(from..)
                    .and_then(|tail| tail.windows(4).position(|w| w == b"\r\n\r\n"))
                    .map(|i| from + i + 4);
                // The limit is exact: the head, blank line included.
                match end {
                    Some(end) if end > MAX_HEAD_BYTES => return too_large(stream),
                    Some(end) => {
                        head.truncate(end);
                        break;
                    }
                    None if head.len() > MAX_HEAD_BYTES => return too_large(stream),
                    None => {}
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => {
                // Timed out or reset before a whole request arrived.
                let _ = write_response(stream, &error_response(408, "request timeout"), false);
                observer("other", 408);
                return;
            }
        }
    }
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    let parsed = request.parse(&head);
    let (method, target) = match (parsed, request.method, request.path) {
        (Ok(httparse::Status::Complete(_)), Some(m), Some(p)) => (m.to_string(), p.to_string()),
        (Err(httparse::Error::TooManyHeaders), _, _) => return too_large(stream),
        _ => {
            let _ = write_response(stream, &error_response(400, "malformed request"), false);
            observer("other", 400);
            return;
        }
    };
    let path = target.split(['?', '#']).next().unwrap_or("").to_string();
    let hosts: Vec<String> = request
        .headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("host"))
        .map(|h| String::from_utf8_lossy(h.value).into_owned())
        .collect();
    let head_only = method == "HEAD";
    // An HTTP/1.0 client (an old probe) may send no Host: served to
    // loopback peers only, where no other page can reach it.
    let http10_loopback =
        request.version == Some(0) && stream.peer_addr().is_ok_and(|a| a.ip().is_loopback());
    let response = if method != "GET" && method != "HEAD" {
        error_response(405, "the management endpoint is read-only: use GET")
    } else {
        match hosts.as_slice() {
            [] if http10_loopback => handler(&path),
            [] => error_response(400, "missing Host header"),
            [_, _, ..] => error_response(400, "more than one Host header"),
            [h] if !host_well_formed(h) => error_response(400, "malformed Host header"),
            [h] if !host_allowed(h) => {
                tracing::warn!(path = %path, host = %h, "management request refused: Host is not a loopback name or an address");
                error_response(403, "Host not allowed")
            }
            [_] => handler(&path),
        }
    };
    let _ = write_response(stream, &response, head_only);
    tracing::debug!(method = %method, path = %path, status = response.status, "management request");
    observer(category(&path), response.status);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert!(host_allowed("127.0.0.1:9464"));
        assert!(host_allowed("localhost"));
        assert!(host_allowed("LOCALHOST:80"));
        assert!(host_allowed("[::1]:9464"));
        assert!(host_allowed("10.0.3.7:9464"));
        assert!(host_allowed("app.localhost:1"));
        assert!(!host_allowed("evil.example:9464"));
        assert!(!host_allowed("localhost.evil.example"));
        assert!(!host_allowed(""));
        assert!(host_allowed("[::1]"));
        assert!(!host_allowed("[::1].evil.example"));
        assert!(!host_allowed("[::1]:80x"));
    }

    #[test]
    fn well_formed_hosts() {
        for ok in [
            "localhost",
            "localhost:9464",
            "127.0.0.1:1",
            "[::1]",
            "[::1]:65535",
            "app.localhost",
            "10.0.3.7",
        ] {
            assert!(host_well_formed(ok), "{ok}");
        }
        for bad in [
            "localhost:abc",
            "localhost:",
            "localhost:65536",
            "localhost:1:2",
            "[::1]:x",
            "[::1]x",
            "[zz]",
            "",
            ":80",
            "a b",
            "evil.example/x",
        ] {
            assert!(!host_well_formed(bad), "{bad}");
        }
    }
}
