//! `somon worker --persistent_worker`: a Bazel persistent worker with the
//! JSON protocol. Each line on standard input is a `WorkRequest`
//! (`arguments`, `requestId`, `sandboxDir`, `inputs`); each answer is one
//! line on standard output, a `WorkResponse` (`exitCode`, `output`,
//! `requestId`). Requests run one at a time, in arrival order (multiplexed
//! requests are answered by their `requestId`); a request with a
//! `sandboxDir` runs with that folder as its working folder. Everything a
//! request prints (diagnostics, reports) becomes its `output`: the
//! command line's streams (`crate::streams`) are captured while it runs,
//! so nothing but responses reaches standard output.
//!
//! `bundle` requests keep an incremental bundler per request (working
//! folder and every option), so a rebuild re-parses and re-emits only the
//! files whose text changed; its output is byte-identical to a one-shot
//! `somon bundle` (the incremental bundler's invariant). Other commands
//! run as `somon` would run them.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::PathBuf;

use serde_json::{json, Value};
use somon_diagnostics::Message;

use crate::{Command, Environment, Outcome};

#[derive(clap::Args, Debug)]
pub(crate) struct WorkerArgs {
    /// The flag Bazel starts persistent workers with (the worker runs the
    /// same without it)
    #[arg(long = "persistent_worker")]
    persistent_worker: bool,
    /// Without --persistent_worker: `@file` (one argument a line), run
    /// once, as Bazel runs a worker action when workers are off
    #[arg(value_name = "@FLAGFILE")]
    flagfile: Option<String>,
}

/// One `WorkRequest`.
#[derive(Debug, PartialEq)]
struct Request {
    id: i64,
    args: Vec<String>,
    sandbox: Option<PathBuf>,
    cancel: bool,
}

/// Parses one line; the error carries the request id when it was readable.
fn parse_request(line: &str) -> Result<Request, (i64, String)> {
    let value: Value = serde_json::from_str(line).map_err(|e| (0, e.to_string()))?;
    let Some(obj) = value.as_object() else {
        return Err((0, "a request must be a JSON object".into()));
    };
    let id = obj.get("requestId").and_then(Value::as_i64).unwrap_or(0);
    let args = match obj.get("arguments") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|a| a.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or((id, "`arguments` must be strings".to_string()))?,
        Some(_) => return Err((id, "`arguments` must be an array".into())),
    };
    let sandbox = obj
        .get("sandboxDir")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(PathBuf::from);
    let cancel = obj.get("cancel").and_then(Value::as_bool).unwrap_or(false);
    Ok(Request {
        id,
        args,
        sandbox,
        cancel,
    })
}

/// What the worker keeps between requests.
#[derive(Default)]
struct Cache {
    bundles: HashMap<String, somon_project::IncrementalBundler>,
}

/// At most this many bundles are cached (then the cache starts again).
const MAX_CACHED_BUNDLES: usize = 64;

pub(crate) fn worker_command(a: &WorkerArgs, env: &Environment) -> Outcome {
    let mut cache = Cache::default();
    if let (false, Some(flagfile)) = (a.persistent_worker, &a.flagfile) {
        // One action, outside the worker protocol.
        let file = env.cwd.join(flagfile.strip_prefix('@').unwrap_or(flagfile));
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(e) => return crate::usage_error(env, crate::cannot_read(&file, env, &e)),
        };
        let req = Request {
            id: 0,
            args: text.lines().map(str::to_string).collect(),
            sandbox: None,
            cancel: false,
        };
        return Outcome::exit(handle(&req, env, &mut cache));
    }
    let mut input = std::io::stdin().lock();
    let mut line = String::new();
    loop {
        line.clear();
        match input.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        if line.trim().is_empty() {
            continue;
        }
        let response = match parse_request(&line) {
            // Cancellation is not offered (no `supports-worker-cancellation`):
            // a request is answered when it is done.
            Ok(req) if req.cancel => continue,
            Ok(req) => {
                let (code, output) = crate::streams::capture(|| handle(&req, env, &mut cache));
                json!({
                    "exitCode": code,
                    "output": String::from_utf8_lossy(&output),
                    "requestId": req.id,
                })
            }
            Err((id, reason)) => json!({
                "exitCode": 2,
                "output": refusal(&reason, env),
                "requestId": id,
            }),
        };
        let mut out = std::io::stdout().lock();
        if writeln!(out, "{response}")
            .and_then(|()| out.flush())
            .is_err()
        {
            break;
        }
    }
    Outcome::exit(0)
}

fn refusal(reason: &str, env: &Environment) -> String {
    let m = Message::WorkerBadRequest {
        reason: reason.to_string(),
    };
    format!("error[{}]: {}\n", m.code(), m.render(env.lang))
}

/// Runs one request's command; its exit code.
fn handle(req: &Request, env: &Environment, cache: &mut Cache) -> i32 {
    let env = Environment {
        cwd: req
            .sandbox
            .as_ref()
            .map_or_else(|| env.cwd.clone(), |s| env.cwd.join(s)),
        ..env.clone()
    };
    let cli = match crate::parse_cli(&req.args, &env) {
        Ok(cli) => cli,
        Err(o) => return o.exit_code,
    };
    let env = crate::limited(&cli, &env);
    match cli.command {
        Command::Compile(a) if !a.live.watch => crate::compile_command(a, &env).exit_code,
        Command::Bundle(mut b) if !b.live.watch => {
            let plan = match crate::bundle_plan(&mut b, &env) {
                Ok(plan) => plan,
                Err(o) => return o.exit_code,
            };
            // Every option and the working folder: a request that differs
            // in anything gets a bundler of its own.
            let key = format!("{}\n{:?}", env.cwd.display(), plan.req);
            if cache.bundles.len() >= MAX_CACHED_BUNDLES && !cache.bundles.contains_key(&key) {
                cache.bundles.clear();
            }
            let bundler = cache
                .bundles
                .entry(key)
                .or_insert_with(|| somon_project::IncrementalBundler::new(plan.req.clone()));
            let result = bundler.build(&*plan.st.io, None).output;
            crate::bundle_finish(
                &plan.st,
                &plan.output,
                plan.read,
                result,
                b.deps_file.as_deref(),
                &env,
            )
            .exit_code
        }
        Command::Check(a) => crate::check_command(a, &env).exit_code,
        Command::ModuleInfo(a) => crate::module_info_command(a, &env).exit_code,
        _ => {
            let _ = write!(
                crate::streams::stderr(),
                "{}",
                refusal(
                    "only compile, check, bundle and module-info run in the worker (not --watch)",
                    &env
                )
            );
            2
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reads_bazel_json_work_requests() {
        let r = parse_request(
            r#"{"arguments":["bundle","src/main.som"],"inputs":[{"path":"src/main.som","digest":"YWJj"}],"requestId":7,"sandboxDir":"sb/7"}"#,
        )
        .unwrap();
        assert_eq!(
            r,
            Request {
                id: 7,
                args: vec!["bundle".into(), "src/main.som".into()],
                sandbox: Some(PathBuf::from("sb/7")),
                cancel: false,
            }
        );
        // Singleplex: no id, no sandbox.
        let r = parse_request(r#"{"arguments":["check","a.som"]}"#).unwrap();
        assert_eq!((r.id, r.sandbox), (0, None));
        assert_eq!(
            parse_request(r#"{"arguments":[1],"requestId":3}"#).unwrap_err(),
            (3, "`arguments` must be strings".to_string())
        );
        assert_eq!(parse_request("[]").unwrap_err().0, 0);
        assert!(parse_request("{").is_err());
    }
}
