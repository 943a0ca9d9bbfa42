//! `somon watch` / `somon compile --watch`: after the first build, watch
//! the input folders (the `notify` crate), wait until changes settle
//! (`watch.debounceMs`, default 100 ms), and recompile only the `.som` files
//! whose content changed; new files are picked up, deleted ones reported.
//! Errors are printed and watching goes on. The process runs until it is
//! stopped (Ctrl+C / SIGTERM).

use crate::{
    compile_job, display_path, input_folder, plan_jobs, print_diagnostics_as, print_error,
    CompileArgs, Environment, Job, Outcome, Settings,
};
use notify::{RecursiveMode, Watcher};
use rayon::prelude::*;
use somon_diagnostics::{paint, Message, ResolvedDiagnostic, Severity};
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn content_hash(path: &Path) -> Option<u64> {
    let bytes = std::fs::read(path).ok()?;
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    Some(h.finish())
}

fn say(env: &Environment, text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "{}",
        paint(env.color, somon_diagnostics::render::BLUE, text)
    );
}

pub(crate) fn watch(a: &CompileArgs, st: &Settings, first: &[Job], env: &Environment) -> Outcome {
    // What the first build saw: later builds skip files whose bytes are
    // the same.
    let mut seen: HashMap<PathBuf, u64> = first
        .iter()
        .filter_map(|j| content_hash(&j.input).map(|h| (j.input.clone(), h)))
        .collect();
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = match notify::recommended_watcher(move |event| {
        let _ = tx.send(event);
    }) {
        Ok(w) => w,
        Err(e) => {
            print_error(
                &mut std::io::stderr().lock(),
                env,
                &Message::CannotRead {
                    path: ".".into(),
                    reason: e.to_string(),
                },
            );
            return Outcome::exit(2);
        }
    };
    let mut roots: Vec<PathBuf> = a.inputs.iter().map(|p| input_folder(env, p)).collect();
    roots.sort();
    roots.dedup();
    for root in &roots {
        if let Err(e) = watcher.watch(root, RecursiveMode::Recursive) {
            print_error(
                &mut std::io::stderr().lock(),
                env,
                &Message::CannotRead {
                    path: display_path(root, env),
                    reason: e.to_string(),
                },
            );
            return Outcome::exit(2);
        }
    }
    let debounce = Duration::from_millis(st.effective.watch.debounce_ms.value);
    say(
        env,
        &format!("watching {} file(s); stop with Ctrl+C", seen.len()),
    );
    loop {
        // Wait for a change to a .som file, then for the changes to settle.
        let Ok(event) = rx.recv() else {
            return Outcome::exit(0);
        };
        if !touches_som(&event) {
            continue;
        }
        let mut deadline = Instant::now() + debounce;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match rx.recv_timeout(left) {
                Ok(e) if touches_som(&e) => deadline = Instant::now() + debounce,
                Ok(_) => {}
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => break,
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return Outcome::exit(0),
            }
        }
        rebuild(a, st, env, &mut seen);
    }
}

fn touches_som(event: &notify::Result<notify::Event>) -> bool {
    match event {
        Ok(e) => e
            .paths
            .iter()
            .any(|p| p.extension().is_some_and(|x| x == "som")),
        Err(_) => true,
    }
}

fn rebuild(a: &CompileArgs, st: &Settings, env: &Environment, seen: &mut HashMap<PathBuf, u64>) {
    let started = Instant::now();
    let jobs = match plan_jobs(a, env) {
        Ok(jobs) => jobs,
        Err(message) => {
            // e.g. every file of a folder was deleted: say so, keep watching.
            print_error(&mut std::io::stderr().lock(), env, &message);
            return;
        }
    };
    let present: std::collections::HashSet<&PathBuf> = jobs.iter().map(|j| &j.input).collect();
    let removed: Vec<PathBuf> = seen
        .keys()
        .filter(|p| !present.contains(p))
        .cloned()
        .collect();
    for r in &removed {
        seen.remove(r);
        say(env, &format!("removed: {}", display_path(r, env)));
    }
    let changed: Vec<(&Job, u64)> = jobs
        .iter()
        .filter_map(|j| {
            let h = content_hash(&j.input)?;
            (seen.get(&j.input) != Some(&h)).then_some((j, h))
        })
        .collect();
    if changed.is_empty() {
        return;
    }
    let mut reports: Vec<_> = changed
        .par_iter()
        .map(|(job, _)| compile_job(job, a, st, env))
        .collect();
    reports.sort_by(|x, y| x.shown.cmp(&y.shown));
    let all: Vec<ResolvedDiagnostic> = reports
        .iter()
        .flat_map(|r| r.diagnostics.iter().cloned())
        .collect();
    print_diagnostics_as(&all, env, st.diagnostics);
    for r in &reports {
        if let Some(m) = &r.io_error {
            print_error(&mut std::io::stderr().lock(), env, m);
        }
    }
    for (job, h) in &changed {
        seen.insert(job.input.clone(), *h);
    }
    let errors = all.iter().filter(|d| d.severity == Severity::Error).count();
    say(
        env,
        &format!(
            "recompiled {} file(s) in {} ms, {errors} error(s)",
            changed.len(),
            started.elapsed().as_millis()
        ),
    );
}
