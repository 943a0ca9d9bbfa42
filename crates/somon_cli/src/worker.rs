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
//! `somon bundle` (the incremental bundler's invariant). `compile`
//! requests reuse the output of each file whose text, options, imports'
//! exports and import findings are those of an earlier compile
//! ([`compiled_once`]); the project's exports are computed afresh. Other
//! commands run as `somon` would run them.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde_json::{json, Value};
use somon_compiler::{CompileOptions, CompileOutput};
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

/// At most this many compiled files are kept (then the cache starts again).
const MAX_CACHED_FILES: usize = 20_000;

/// What `compile` requests compiled, by [`compile_key`]; `None` unless a
/// worker runs, so one-shot commands keep nothing.
static COMPILED: Mutex<Option<HashMap<u64, CompileOutput>>> = Mutex::new(None);

fn compiled() -> std::sync::MutexGuard<'static, Option<HashMap<u64, CompileOutput>>> {
    COMPILED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Everything a file's compile depends on: its text, its path, every
/// option (with where each import leads), the exports of what it imports
/// and the graph's findings about its imports.
fn compile_key(
    source: &str,
    options: &CompileOptions,
    input: &Path,
    types: &somon_project::ProjectTypes,
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    source.hash(&mut h);
    input.hash(&mut h);
    format!("{options:?}").hash(&mut h);
    types.import_key(input).hash(&mut h);
    format!("{:?}", types.import_diagnostics(input)).hash(&mut h);
    h.finish()
}

/// The output of compiling `input`: kept from an earlier request of this
/// worker when nothing it depends on changed, else `compile()`'s (kept
/// for the next request). Outside a worker, always `compile()`.
pub(crate) fn compiled_once(
    source: &str,
    options: &CompileOptions,
    input: &Path,
    types: &somon_project::ProjectTypes,
    compile: impl FnOnce() -> CompileOutput,
) -> CompileOutput {
    if compiled().is_none() {
        return compile();
    }
    let key = compile_key(source, options, input, types);
    if let Some(hit) = compiled().as_ref().and_then(|m| m.get(&key).cloned()) {
        return hit;
    }
    let out = compile();
    if let Some(m) = compiled().as_mut() {
        if m.len() >= MAX_CACHED_FILES {
            m.clear();
        }
        m.insert(key, out.clone());
    }
    out
}

pub(crate) fn worker_command(a: &WorkerArgs, env: &Environment) -> Outcome {
    let mut cache = Cache::default();
    compiled().get_or_insert_with(HashMap::new);
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
    let text = m.render(env.lang);
    format!(
        "error[{}]: {}\n",
        m.code(),
        somon_diagnostics::escape_control(&text)
    )
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
    let (cli, env) = match crate::parse_cli(&req.args, &env) {
        Ok(parsed) => parsed,
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
                &plan.report,
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
                refusal(&format!("`somon {}`", req.args.join(" ")), &env)
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

    #[test]
    fn compiles_are_kept_only_while_a_worker_runs_and_only_for_the_same_inputs() {
        let types = somon_project::ProjectTypes::load(
            &[],
            &somon_project::fs::MemoryFs::default(),
            &somon_project::Resolver::new(
                &somon_project::fs::MemoryFs::default(),
                Default::default(),
            ),
        );
        let options = CompileOptions::default();
        let input = Path::new("/п/а.som");
        let calls = std::cell::Cell::new(0);
        let compile = |text: &str| {
            calls.set(calls.get() + 1);
            somon_compiler::compile(text, &options)
        };
        // Not a worker: nothing is kept.
        *compiled() = None;
        compiled_once("тағ х = 1;", &options, input, &types, || {
            compile("тағ х = 1;")
        });
        compiled_once("тағ х = 1;", &options, input, &types, || {
            compile("тағ х = 1;")
        });
        assert_eq!(calls.get(), 2);
        *compiled() = Some(HashMap::new());
        let first = compiled_once("тағ х = 1;", &options, input, &types, || {
            compile("тағ х = 1;")
        });
        let again = compiled_once("тағ х = 1;", &options, input, &types, || {
            compile("тағ х = 1;")
        });
        assert_eq!((calls.get(), &first), (3, &again));
        // Another text, another option: compiled.
        compiled_once("тағ х = 2;", &options, input, &types, || {
            compile("тағ х = 2;")
        });
        let esm = CompileOptions {
            module: somon_compiler::ModuleKind::Esm,
            ..CompileOptions::default()
        };
        compiled_once("тағ х = 1;", &esm, input, &types, || {
            compile("тағ х = 1;")
        });
        assert_eq!(calls.get(), 5);
        *compiled() = None;
    }
}
