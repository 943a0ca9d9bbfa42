//! `somon lsp`: a Language Server Protocol 3.17 server over stdio. The
//! protocol layer only: framing is `lsp-server`'s, types are `lsp-types`',
//! and every answer comes from the compiler crates (the module graph of
//! `somon_project`, the checker's semantic model through
//! `somon_compiler::analyze_module`). The compiler crates know nothing of
//! this one.
//!
//! One thread answers, in the order messages arrive: notifications update
//! the buffers, requests are answered from analyses that are computed
//! when first needed and cached by content. Diagnostics are published
//! once no message has come for [`DEBOUNCE`]. A second thread, the inbox,
//! takes messages off the connection as they arrive and notes changes and
//! `$/cancelRequest`s for the running work ([`cancel`]): a cancelled
//! request stops at its next check and is answered `RequestCancelled`
//! (one still waiting in the queue is dropped), and a diagnostics pass
//! stops when a newer change has come (it runs again on the new text). A
//! panic inside a request is caught, logged with `window/logMessage` and
//! answered with an error for that request only.

pub mod cancel;
pub mod context;
pub mod features;
pub mod members;
pub mod text;
pub mod uri;
pub mod workspace;

use cancel::{Signals, Token};
use crossbeam_channel::{Receiver, RecvTimeoutError};
use lsp_server::{
    Connection, ErrorCode, Message as Msg, Notification, Request, RequestId, Response,
};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::*;
use serde_json::Value;
use somon_diagnostics::Lang;
use std::collections::{HashMap, VecDeque};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use text::LineMap;
use uri::{path_of, uri_of};
use workspace::World;

/// Quiet time after the last change before diagnostics are published: it
/// gathers the changes an editor sends together (a paste, several
/// cursors, an edit and its formatting). Keystrokes further apart each
/// start a pass; a pass overtaken by a newer change stops early.
pub const DEBOUNCE: Duration = Duration::from_millis(10);

/// Runs the server on stdin/stdout until `exit` (or the end of input).
/// The exit code: 0 after `shutdown` then `exit`, 1 otherwise.
pub fn run_stdio() -> i32 {
    let (connection, io_threads) = Connection::stdio();
    // The parser and checker grow their stack on demand (`stacker`): on a
    // thread with a small stack (the libuv pool's) every deep walk would
    // map and unmap new segments. One generous stack of our own instead.
    let worker = std::thread::Builder::new()
        .name("somon-lsp".into())
        .stack_size(256 * 1024 * 1024)
        .spawn(move || {
            let code = serve(&connection);
            drop(connection);
            code
        });
    let code = match worker {
        Ok(handle) => handle.join().unwrap_or(1),
        Err(_) => 1,
    };
    let _ = io_threads.join();
    code
}

/// What the server can do.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        type_definition_provider: Some(TypeDefinitionProviderCapability::Simple(true)),
        references_provider: Some(OneOf::Left(true)),
        document_highlight_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".into(), "\"".into(), "/".into()]),
            ..Default::default()
        }),
        signature_help_provider: Some(SignatureHelpOptions {
            trigger_characters: Some(vec!["(".into(), ",".into()]),
            retrigger_characters: None,
            work_done_progress_options: Default::default(),
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..Default::default()
        })),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: SemanticTokensLegend {
                    token_types: features::TOKEN_TYPES.to_vec(),
                    token_modifiers: features::TOKEN_MODIFIERS.to_vec(),
                },
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                work_done_progress_options: Default::default(),
            },
        )),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_range_formatting_provider: Some(OneOf::Left(true)),
        ..Default::default()
    }
}

#[allow(deprecated)]
fn serve(connection: &Connection) -> i32 {
    let Ok((id, params)) = connection.initialize_start() else {
        return 1;
    };
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let lang = params
        .locale
        .as_deref()
        .and_then(Lang::from_locale)
        .unwrap_or_default();
    // `initializationOptions: { lang: "en" | "tj" | "ru" }` (the editor's
    // setting) wins over the configuration's `lang`.
    let forced_lang = params
        .initialization_options
        .as_ref()
        .and_then(|o| o.get("lang"))
        .and_then(Value::as_str)
        .and_then(Lang::parse);
    let mut roots: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| path_of(&f.uri))
        .collect();
    if roots.is_empty() {
        roots.extend(params.root_uri.as_ref().and_then(path_of));
    }
    let result = InitializeResult {
        capabilities: capabilities(),
        server_info: Some(ServerInfo {
            name: "somon lsp".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    let Ok(result) = serde_json::to_value(result) else {
        return 1;
    };
    if connection.initialize_finish(id, result).is_err() {
        return 1;
    }
    let watch = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false);
    if watch {
        // Files changed by other programs (a checkout, a generator): the
        // graphs are built again when one of these changes.
        let watchers = [
            "**/*.som",
            "**/somon.config.json",
            "**/.somonrc",
            "**/package.json",
        ]
        .iter()
        .map(|g| FileSystemWatcher {
            glob_pattern: GlobPattern::String(g.to_string()),
            kind: None,
        })
        .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "somon-watch".into(),
                method: notification::DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        if let Ok(v) = serde_json::to_value(params) {
            let _ = connection.sender.send(Msg::Request(Request::new(
                RequestId::from("somon-register-watchers".to_string()),
                request::RegisterCapability::METHOD.into(),
                v,
            )));
        }
    }
    // `initializationOptions: { timings: true }`: each diagnostics pass
    // logs how long its stages took (`benchmark/lsp.mjs`).
    let timings = params
        .initialization_options
        .as_ref()
        .and_then(|o| o.get("timings"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut world = World::new(forced_lang.unwrap_or(lang));
    world.forced_lang = forced_lang;
    world.roots = roots;
    world.timings = timings.then(Vec::new);
    world.scan_roots();
    let signals = Arc::new(Signals::default());
    let inbox = inbox(connection, &signals);
    let mut server = Server {
        conn: connection,
        inbox,
        signals,
        world,
        published: HashMap::new(),
        dirty: false,
        queue: VecDeque::new(),
        shut_down: false,
    };
    server.run()
}

/// Whether a notification changes what the server knows (so running
/// diagnostics passes are stale).
fn is_change(method: &str) -> bool {
    use lsp_types::notification::*;
    [
        DidOpenTextDocument::METHOD,
        DidChangeTextDocument::METHOD,
        DidCloseTextDocument::METHOD,
        DidChangeWatchedFiles::METHOD,
    ]
    .contains(&method)
}

/// The id a `$/cancelRequest` names.
fn cancelled_id(n: &Notification) -> Option<RequestId> {
    let p = serde_json::from_value::<CancelParams>(n.params.clone()).ok()?;
    Some(match p.id {
        NumberOrString::Number(i) => RequestId::from(i),
        NumberOrString::String(s) => RequestId::from(s),
    })
}

/// The inbox thread: every message from the connection, as it arrives,
/// noted in `signals` and passed on. It stops after `exit` or when either
/// side is gone. Without a thread (none could be started) the connection
/// is read directly and only queued requests can be cancelled.
fn inbox(connection: &Connection, signals: &Arc<Signals>) -> Receiver<Msg> {
    let (tx, rx) = crossbeam_channel::unbounded();
    let from = connection.receiver.clone();
    let signals = signals.clone();
    let spawned = std::thread::Builder::new()
        .name("somon-lsp-inbox".into())
        .spawn(move || {
            for msg in from {
                let mut exit = false;
                if let Msg::Notification(n) = &msg {
                    if is_change(&n.method) {
                        signals.bump();
                    } else if n.method == notification::Cancel::METHOD {
                        if let Some(id) = cancelled_id(n) {
                            signals.cancel(id);
                        }
                    }
                    exit = n.method == notification::Exit::METHOD;
                }
                if tx.send(msg).is_err() || exit {
                    break;
                }
            }
        });
    match spawned {
        Ok(_) => rx,
        Err(_) => connection.receiver.clone(),
    }
}

struct Server<'c> {
    conn: &'c Connection,
    /// Messages from the connection, through the inbox thread.
    inbox: Receiver<Msg>,
    signals: Arc<Signals>,
    world: World,
    /// What was last published, by file.
    published: HashMap<PathBuf, Vec<Diagnostic>>,
    /// Buffers changed since diagnostics were last published.
    dirty: bool,
    queue: VecDeque<Msg>,
    shut_down: bool,
}

impl Server<'_> {
    fn run(&mut self) -> i32 {
        loop {
            if self.queue.is_empty() {
                let next = if self.dirty {
                    match self.inbox.recv_timeout(DEBOUNCE) {
                        Ok(m) => Some(m),
                        Err(RecvTimeoutError::Timeout) => None,
                        Err(RecvTimeoutError::Disconnected) => return 1,
                    }
                } else {
                    match self.inbox.recv() {
                        Ok(m) => Some(m),
                        Err(_) => return 1,
                    }
                };
                match next {
                    Some(m) => self.queue.push_back(m),
                    None => {
                        // The pass is about the world as it is now: a
                        // change that arrives while it runs stops it.
                        self.world.token = Token::generation(&self.signals);
                        if !self.inbox.is_empty() {
                            // Messages came after all: they first.
                            self.world.token = Token::never();
                            continue;
                        }
                        self.guarded("publishDiagnostics", |s| s.publish());
                        self.world.token = Token::never();
                        continue;
                    }
                }
            }
            while let Ok(m) = self.inbox.try_recv() {
                self.queue.push_back(m);
            }
            self.drop_cancelled();
            let Some(msg) = self.queue.pop_front() else {
                continue;
            };
            match msg {
                Msg::Request(req) => self.request(req),
                Msg::Notification(n) => {
                    if n.method == notification::Exit::METHOD {
                        return if self.shut_down { 0 } else { 1 };
                    }
                    let method = n.method.clone();
                    self.guarded(&method, |s| s.notification(n));
                }
                Msg::Response(_) => {}
            }
        }
    }

    /// Answers `RequestCancelled` for queued requests a `$/cancelRequest`
    /// names, and removes both.
    fn drop_cancelled(&mut self) {
        let mut cancelled: Vec<RequestId> = Vec::new();
        self.queue.retain(|m| match m {
            Msg::Notification(n) if n.method == notification::Cancel::METHOD => {
                cancelled.extend(cancelled_id(n));
                false
            }
            _ => true,
        });
        if cancelled.is_empty() {
            return;
        }
        // The cancel came after its request: that one is either still in
        // the queue (answered here) or already answered.
        for id in &cancelled {
            self.signals.forget(id);
        }
        let mut answered = Vec::new();
        self.queue.retain(|m| match m {
            Msg::Request(r) if cancelled.contains(&r.id) => {
                answered.push(r.id.clone());
                false
            }
            _ => true,
        });
        for id in answered {
            self.send(Msg::Response(Response::new_err(
                id,
                ErrorCode::RequestCanceled as i32,
                "cancelled".into(),
            )));
        }
    }

    fn send(&self, m: Msg) {
        let _ = self.conn.sender.send(m);
    }

    fn log(&self, typ: MessageType, message: String) {
        let params = LogMessageParams { typ, message };
        if let Ok(v) = serde_json::to_value(params) {
            self.send(Msg::Notification(Notification::new(
                notification::LogMessage::METHOD.into(),
                v,
            )));
        }
    }

    /// Runs `f`; a panic is logged and the server goes on (with its graphs
    /// built again when next needed: the panic may have left one half
    /// updated).
    fn guarded(&mut self, what: &str, f: impl FnOnce(&mut Self)) -> bool {
        match catch_unwind(AssertUnwindSafe(|| f(self))) {
            Ok(()) => true,
            Err(payload) => {
                self.world.stale = true;
                let detail = somon_diagnostics::panic_text(&*payload).unwrap_or("(no message)");
                self.log(
                    MessageType::ERROR,
                    format!("somon lsp: internal error in {what}: {detail}"),
                );
                false
            }
        }
    }

    fn request(&mut self, req: Request) {
        let id = req.id.clone();
        if self.shut_down {
            self.send(Msg::Response(Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".into(),
            )));
            return;
        }
        if req.method == request::Shutdown::METHOD {
            self.shut_down = true;
            self.send(Msg::Response(Response::new_ok(id, Value::Null)));
            return;
        }
        let method = req.method.clone();
        let mut answer = None;
        self.world.token = Token::request(&self.signals, id.clone());
        let ok = self.guarded(&method, |s| answer = Some(s.dispatch(req)));
        let cancelled = self.world.token.is_cancelled();
        self.world.token = Token::never();
        let response = match answer {
            // Stopped early (or finished after its cancel came): what it
            // found may be partial.
            _ if cancelled => Response::new_err(
                id.clone(),
                ErrorCode::RequestCanceled as i32,
                "cancelled".into(),
            ),
            Some(Ok(v)) if ok => Response::new_ok(id.clone(), v),
            Some(Err((code, message))) if ok => Response::new_err(id.clone(), code, message),
            _ => Response::new_err(
                id.clone(),
                ErrorCode::InternalError as i32,
                format!("somon lsp: internal error in {method}"),
            ),
        };
        self.send(Msg::Response(response));
        self.signals.forget(&id);
    }

    fn lang_of(&self, path: &std::path::Path) -> Lang {
        self.world
            .project_of(path)
            .map(|p| p.options.lang)
            .unwrap_or(self.world.client_lang)
    }

    fn dispatch(&mut self, req: Request) -> Result<Value, (i32, String)> {
        use lsp_types::request::*;
        fn params<P: serde::de::DeserializeOwned>(v: Value) -> Result<P, (i32, String)> {
            serde_json::from_value(v).map_err(|e| (ErrorCode::InvalidParams as i32, e.to_string()))
        }
        fn file(uri: &Uri) -> Result<PathBuf, (i32, String)> {
            path_of(uri).ok_or((
                ErrorCode::InvalidParams as i32,
                format!("not a file URI: {}", uri.as_str()),
            ))
        }
        fn json<T: serde::Serialize>(v: T) -> Result<Value, (i32, String)> {
            serde_json::to_value(v).map_err(|e| (ErrorCode::InternalError as i32, e.to_string()))
        }
        let w = &mut self.world;
        match req.method.as_str() {
            Formatting::METHOD => {
                let p: DocumentFormattingParams = params(req.params)?;
                let f = file(&p.text_document.uri)?;
                json(features::formatting(w, &f, None))
            }
            RangeFormatting::METHOD => {
                let p: DocumentRangeFormattingParams = params(req.params)?;
                let f = file(&p.text_document.uri)?;
                json(features::formatting(
                    w,
                    &f,
                    Some((p.range.start.line, p.range.end.line)),
                ))
            }
            HoverRequest::METHOD => {
                let p: HoverParams = params(req.params)?;
                let f = file(&p.text_document_position_params.text_document.uri)?;
                json(features::hover(
                    w,
                    &f,
                    p.text_document_position_params.position,
                ))
            }
            GotoDefinition::METHOD => {
                let p: GotoDefinitionParams = params(req.params)?;
                let f = file(&p.text_document_position_params.text_document.uri)?;
                json(features::definition(
                    w,
                    &f,
                    p.text_document_position_params.position,
                ))
            }
            GotoTypeDefinition::METHOD => {
                let p: GotoDefinitionParams = params(req.params)?;
                let f = file(&p.text_document_position_params.text_document.uri)?;
                json(features::type_definition(
                    w,
                    &f,
                    p.text_document_position_params.position,
                ))
            }
            References::METHOD => {
                let p: ReferenceParams = params(req.params)?;
                let f = file(&p.text_document_position.text_document.uri)?;
                json(features::references(
                    w,
                    &f,
                    p.text_document_position.position,
                    p.context.include_declaration,
                ))
            }
            DocumentHighlightRequest::METHOD => {
                let p: DocumentHighlightParams = params(req.params)?;
                let f = file(&p.text_document_position_params.text_document.uri)?;
                json(features::highlight(
                    w,
                    &f,
                    p.text_document_position_params.position,
                ))
            }
            PrepareRenameRequest::METHOD => {
                let p: TextDocumentPositionParams = params(req.params)?;
                let f = file(&p.text_document.uri)?;
                let lang = self.lang_of(&f);
                match features::prepare_rename(&mut self.world, &f, p.position) {
                    Ok(r) => json(PrepareRenameResponse::Range(r)),
                    Err(m) => Err((ErrorCode::RequestFailed as i32, m.render(lang))),
                }
            }
            Rename::METHOD => {
                let p: RenameParams = params(req.params)?;
                let f = file(&p.text_document_position.text_document.uri)?;
                let lang = self.lang_of(&f);
                match features::rename(
                    &mut self.world,
                    &f,
                    p.text_document_position.position,
                    &p.new_name,
                ) {
                    Ok(edit) => json(edit),
                    Err(m) => Err((ErrorCode::RequestFailed as i32, m.render(lang))),
                }
            }
            DocumentSymbolRequest::METHOD => {
                let p: DocumentSymbolParams = params(req.params)?;
                let f = file(&p.text_document.uri)?;
                json(features::document_symbols(w, &f).map(DocumentSymbolResponse::Nested))
            }
            WorkspaceSymbolRequest::METHOD => {
                let p: WorkspaceSymbolParams = params(req.params)?;
                json(WorkspaceSymbolResponse::Flat(features::workspace_symbols(
                    w, &p.query,
                )))
            }
            Completion::METHOD => {
                let p: CompletionParams = params(req.params)?;
                let f = file(&p.text_document_position.text_document.uri)?;
                json(
                    features::completion(w, &f, p.text_document_position.position)
                        .map(CompletionResponse::Array),
                )
            }
            SignatureHelpRequest::METHOD => {
                let p: SignatureHelpParams = params(req.params)?;
                let f = file(&p.text_document_position_params.text_document.uri)?;
                json(features::signature_help(
                    w,
                    &f,
                    p.text_document_position_params.position,
                ))
            }
            CodeActionRequest::METHOD => {
                let p: CodeActionParams = params(req.params)?;
                let f = file(&p.text_document.uri)?;
                let lang = self.lang_of(&f);
                json(features::code_actions(&mut self.world, &f, p.range, lang))
            }
            SemanticTokensFullRequest::METHOD => {
                let p: SemanticTokensParams = params(req.params)?;
                let f = file(&p.text_document.uri)?;
                json(features::semantic_tokens(w, &f).map(SemanticTokensResult::Tokens))
            }
            FoldingRangeRequest::METHOD => {
                let p: FoldingRangeParams = params(req.params)?;
                let f = file(&p.text_document.uri)?;
                json(features::folding_ranges(w, &f))
            }
            other => Err((
                ErrorCode::MethodNotFound as i32,
                format!("unknown request {other}"),
            )),
        }
    }

    fn notification(&mut self, n: Notification) {
        use lsp_types::notification::*;
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) else {
                    return;
                };
                let Some(f) = path_of(&p.text_document.uri) else {
                    return;
                };
                self.world
                    .set_text(f, Arc::from(p.text_document.text.as_str()));
                self.dirty = true;
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) else {
                    return;
                };
                let Some(f) = path_of(&p.text_document.uri) else {
                    return;
                };
                let mut text = self
                    .world
                    .overlay
                    .docs
                    .get(&f)
                    .map(|t| t.to_string())
                    .unwrap_or_default();
                for c in &p.content_changes {
                    text::apply_change(&mut text, c);
                }
                self.world.set_text(f, Arc::from(text.as_str()));
                self.dirty = true;
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) else {
                    return;
                };
                let Some(f) = path_of(&p.text_document.uri) else {
                    return;
                };
                self.world.overlay.docs.remove(&f);
                if self.published.remove(&f).is_some_and(|d| !d.is_empty()) {
                    self.publish_to(&f, Vec::new());
                }
                self.changed();
            }
            // Saving changes no buffer; other programs' changes to files
            // come as watched-file events.
            DidSaveTextDocument::METHOD => {}
            DidChangeWatchedFiles::METHOD => {
                self.world.scan_roots();
                self.changed();
            }
            _ => {}
        }
    }

    fn changed(&mut self) {
        self.world.stale = true;
        self.dirty = true;
    }

    fn publish_to(&self, path: &std::path::Path, diagnostics: Vec<Diagnostic>) {
        let Some(uri) = uri_of(path) else { return };
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        };
        if let Ok(v) = serde_json::to_value(params) {
            self.send(Msg::Notification(Notification::new(
                notification::PublishDiagnostics::METHOD.into(),
                v,
            )));
        }
    }

    /// Publishes the diagnostics of every open file (and of configuration
    /// files) that changed since they were last published.
    fn publish(&mut self) {
        self.dirty = false;
        let started = std::time::Instant::now();
        self.world.rebuild();
        let mut open: Vec<PathBuf> = self.world.overlay.docs.keys().cloned().collect();
        open.sort();
        // The files just edited first: their diagnostics are the ones
        // awaited.
        open.sort_by_key(|f| !self.world.recently_changed(f));
        for f in &open {
            if f.extension().is_none_or(|e| e != "som") {
                continue;
            }
            if self.world.token.is_cancelled() {
                // A newer change came: this pass is stale. What is done
                // stays cached; the next pass publishes.
                self.dirty = true;
                break;
            }
            let lang = self.lang_of(f);
            let diags = match self.world.analysis(f) {
                Some(a) => features::diagnostics_of(&self.world, &a, lang),
                None if self.world.token.is_cancelled() => {
                    self.dirty = true;
                    break;
                }
                None => Vec::new(),
            };
            // Each file as soon as it is known (the edited one first).
            self.send_if_changed(f.clone(), diags);
        }
        if self.dirty {
            self.world.timings_done(None);
            return;
        }
        // Problems of configuration files, at their positions.
        let mut fresh: Vec<(PathBuf, Vec<Diagnostic>)> = Vec::new();
        for project in self.world.projects.values() {
            let Some(cfg) = &project.config_file else {
                continue;
            };
            let text = self.world.text_of(cfg).unwrap_or_default();
            let map = LineMap::new(&text);
            let diags = project
                .config_problems
                .iter()
                .map(|d| {
                    let at = |line: u32, column: u32| {
                        // 1-based line, column in characters.
                        let line0 = line.saturating_sub(1);
                        let start = map.offset(
                            &text,
                            Position {
                                line: line0,
                                character: 0,
                            },
                        ) as usize;
                        let chars = column.saturating_sub(1) as usize;
                        let units: usize = text
                            .get(start..)
                            .unwrap_or("")
                            .chars()
                            .take_while(|c| *c != '\n' && *c != '\r')
                            .take(chars)
                            .map(char::len_utf16)
                            .sum();
                        Position {
                            line: line0,
                            character: units as u32,
                        }
                    };
                    let mut message = d.message.clone();
                    if let Some(s) = &d.suggestion {
                        message.push('\n');
                        message.push_str(s);
                    }
                    Diagnostic {
                        range: Range {
                            start: at(d.line, d.column),
                            end: at(d.end_line, d.end_column),
                        },
                        severity: Some(match d.severity {
                            somon_diagnostics::Severity::Error => DiagnosticSeverity::ERROR,
                            somon_diagnostics::Severity::Warning => DiagnosticSeverity::WARNING,
                        }),
                        code: Some(NumberOrString::String(d.code.to_string())),
                        source: Some("somon".into()),
                        message,
                        ..Default::default()
                    }
                })
                .collect();
            fresh.push((cfg.clone(), diags));
        }
        for (f, diags) in fresh {
            self.send_if_changed(f, diags);
        }
        self.world.changed_files.clear();
        if let Some(line) = self.world.timings_done(Some(started.elapsed())) {
            self.log(MessageType::LOG, line);
        }
        // Published: now free the trees and analyses the edits replaced.
        self.world.collect_garbage();
    }

    /// Publishes `diags` for `f` unless they are what was last published.
    fn send_if_changed(&mut self, f: PathBuf, diags: Vec<Diagnostic>) {
        if self.published.get(&f) == Some(&diags) {
            return;
        }
        if diags.is_empty() && !self.published.contains_key(&f) {
            // Nothing was shown and nothing is to be shown: say so once,
            // so a client knows the file was checked.
            self.publish_to(&f, Vec::new());
            self.published.insert(f, diags);
            return;
        }
        self.publish_to(&f, diags.clone());
        self.published.insert(f, diags);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(id: i32, method: &str, params: Value) -> Msg {
        Msg::Request(Request::new(RequestId::from(id), method.into(), params))
    }

    fn notify(method: &str, params: Value) -> Msg {
        Msg::Notification(Notification::new(method.into(), params))
    }

    /// Runs the server on an in-memory connection over `messages` (all
    /// queued before it starts); its exit code and everything it sent.
    fn session(messages: Vec<Msg>) -> (i32, Vec<Msg>) {
        let (server, client) = Connection::memory();
        for m in messages {
            assert!(client.sender.send(m).is_ok());
        }
        let code = serve(&server);
        drop(server);
        (code, client.receiver.try_iter().collect())
    }

    fn response(out: &[Msg], id: i32) -> Option<&Response> {
        out.iter().find_map(|m| match m {
            Msg::Response(r) if r.id == RequestId::from(id) => Some(r),
            _ => None,
        })
    }

    #[test]
    fn a_cancelled_request_is_answered_as_cancelled_and_the_rest_go_on() {
        let uri = "file:///nowhere/a.som";
        let (code, out) = session(vec![
            request(1, "initialize", json!({ "capabilities": {} })),
            notify("initialized", json!({})),
            notify(
                "textDocument/didOpen",
                json!({ "textDocument": { "uri": uri, "languageId": "somon", "version": 1, "text": "собит а = 1;\n" } }),
            ),
            request(
                2,
                "textDocument/hover",
                json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 6 } }),
            ),
            notify("$/cancelRequest", json!({ "id": 2 })),
            request(
                3,
                "textDocument/documentSymbol",
                json!({ "textDocument": { "uri": uri } }),
            ),
            request(4, "shutdown", Value::Null),
            notify("exit", Value::Null),
        ]);
        assert_eq!(code, 0);
        let cancelled = response(&out, 2).and_then(|r| r.error.as_ref());
        assert_eq!(
            cancelled.map(|e| e.code),
            Some(ErrorCode::RequestCanceled as i32)
        );
        let symbols = response(&out, 3).and_then(|r| r.result.clone());
        assert_eq!(
            symbols
                .as_ref()
                .and_then(|v| v.get(0))
                .and_then(|s| s.get("name")),
            Some(&json!("а"))
        );
        assert!(response(&out, 4).is_some_and(|r| r.error.is_none()));
    }

    /// A server over a memory connection, without the inbox thread (the
    /// tests play its part on `signals`).
    fn bare(conn: &Connection) -> Server<'_> {
        Server {
            conn,
            inbox: conn.receiver.clone(),
            signals: Arc::new(Signals::default()),
            world: World::new(Lang::En),
            published: HashMap::new(),
            dirty: false,
            queue: VecDeque::new(),
            shut_down: false,
        }
    }

    #[test]
    fn a_request_whose_cancel_comes_while_it_runs_is_answered_cancelled() {
        let (conn, client) = Connection::memory();
        let mut server = bare(&conn);
        // The inbox thread noted the cancel while the request ran.
        server.signals.cancel(RequestId::from(5));
        server.request(Request::new(
            RequestId::from(5),
            "workspace/symbol".into(),
            json!({ "query": "" }),
        ));
        let out: Vec<Msg> = client.receiver.try_iter().collect();
        assert_eq!(
            response(&out, 5)
                .and_then(|r| r.error.as_ref())
                .map(|e| e.code),
            Some(ErrorCode::RequestCanceled as i32)
        );
        // Answered, its id is forgotten: the next request with that id
        // (a client may reuse ids) is answered.
        server.request(Request::new(
            RequestId::from(5),
            "workspace/symbol".into(),
            json!({ "query": "" }),
        ));
        let out: Vec<Msg> = client.receiver.try_iter().collect();
        assert!(response(&out, 5).is_some_and(|r| r.error.is_none() && r.result.is_some()));
    }

    #[test]
    fn a_diagnostics_pass_overtaken_by_a_change_stops_and_runs_again() {
        let (conn, client) = Connection::memory();
        let mut server = bare(&conn);
        let file = PathBuf::from("/nowhere/a.som");
        server
            .world
            .set_text(file.clone(), Arc::from("собит х: рақам = \"сатр\";\n"));
        server.world.token = Token::generation(&server.signals);
        // A change arrives while the pass runs.
        server.signals.bump();
        server.publish();
        assert!(server.dirty, "the pass is to run again");
        assert_eq!(
            client.receiver.try_iter().count(),
            0,
            "nothing stale published"
        );
        // The next pass, on the world as it is now, publishes.
        server.world.token = Token::generation(&server.signals);
        server.publish();
        assert!(!server.dirty);
        let published: Vec<Msg> = client.receiver.try_iter().collect();
        let codes: Vec<String> = published
            .iter()
            .filter_map(|m| match m {
                Msg::Notification(n) => {
                    serde_json::from_value::<PublishDiagnosticsParams>(n.params.clone()).ok()
                }
                _ => None,
            })
            .flat_map(|p| p.diagnostics)
            .filter_map(|d| match d.code {
                Some(NumberOrString::String(c)) => Some(c),
                _ => None,
            })
            .collect();
        assert_eq!(codes, vec!["TYPE_NOT_ASSIGNABLE".to_string()]);
    }

    #[test]
    fn the_inbox_notes_changes_and_cancels_and_passes_every_message_on() {
        let (conn, client) = Connection::memory();
        let signals = Arc::new(Signals::default());
        let rx = inbox(&conn, &signals);
        let change = notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": "file:///nowhere/a.som", "version": 2 }, "contentChanges": [] }),
        );
        assert!(client.sender.send(change).is_ok());
        assert!(
            matches!(rx.recv(), Ok(Msg::Notification(n)) if n.method == "textDocument/didChange")
        );
        assert_eq!(signals.generation(), 1);
        let before = Token::request(&signals, RequestId::from(9));
        assert!(client
            .sender
            .send(notify("$/cancelRequest", json!({ "id": 9 })))
            .is_ok());
        assert!(rx.recv().is_ok());
        assert!(before.is_cancelled());
        // A hover changes nothing.
        assert!(client
            .sender
            .send(request(3, "textDocument/hover", json!({})))
            .is_ok());
        assert!(rx.recv().is_ok());
        assert_eq!(signals.generation(), 1);
        // After `exit` the thread stops: the channel closes.
        assert!(client.sender.send(notify("exit", Value::Null)).is_ok());
        assert!(rx.recv().is_ok());
        assert!(rx.recv().is_err());
    }

    #[test]
    fn exit_without_shutdown_is_an_error_exit_and_requests_after_shutdown_fail() {
        let (code, _) = session(vec![
            request(1, "initialize", json!({ "capabilities": {} })),
            notify("initialized", json!({})),
            notify("exit", Value::Null),
        ]);
        assert_eq!(code, 1);
        let (code, out) = session(vec![
            request(1, "initialize", json!({ "capabilities": {} })),
            notify("initialized", json!({})),
            request(2, "shutdown", Value::Null),
            request(3, "workspace/symbol", json!({ "query": "" })),
            notify("exit", Value::Null),
        ]);
        assert_eq!(code, 0);
        assert_eq!(
            response(&out, 3)
                .and_then(|r| r.error.as_ref())
                .map(|e| e.code),
            Some(ErrorCode::InvalidRequest as i32)
        );
    }
}
