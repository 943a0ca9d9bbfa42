//! `somon compile` into another folder: the non-`.som` files the compiled
//! modules import (JSON, `.js`, `.mjs`, `.cjs`, and what those import)
//! are copied to the same place under the output folder, so
//! `node dist/main.js` finds them as `somon run` does.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use somon_diagnostics::Message;
use somon_project::fs::FileSystem;

use crate::{cannot_write, fsutil, Environment, Job, Settings};

/// Copies what the jobs' inputs import into the output folder `out_dir`.
/// A file outside the folder the outputs mirror stays where it is; an
/// input is never written; a copy whose bytes are already there is left
/// alone; each copy is written atomically. Returns the write errors.
pub(crate) fn copy_imported(
    jobs: &[Job],
    out_dir: &Path,
    st: &Settings,
    env: &Environment,
) -> Vec<Message> {
    let fs: &crate::inputs::Tracked = &st.io;
    let resolver = somon_project::Resolver::new(fs, st.resolver.clone());
    // (source, destination) pairs, each once.
    let pairs: BTreeSet<(PathBuf, PathBuf)> = jobs
        .par_iter()
        .flat_map_iter(|job| {
            let Some(root) = mirrored_root(job, out_dir) else {
                return Vec::new();
            };
            let Ok(source) = fs.read_to_string(&job.input) else {
                return Vec::new();
            };
            somon_project::imported_assets(&source, &job.input, &resolver, fs)
                .into_iter()
                .filter_map(|file| {
                    let rel = file.strip_prefix(&root).ok()?.to_path_buf();
                    Some((file, out_dir.join(rel)))
                })
                .collect()
        })
        .collect();
    let inputs: HashSet<PathBuf> = jobs
        .iter()
        .map(|j| fsutil::file_key(&j.input))
        .chain(pairs.iter().map(|(from, _)| fsutil::file_key(from)))
        .collect();
    let mut errors = Vec::new();
    for (from, to) in pairs {
        if inputs.contains(&fsutil::file_key(&to)) {
            continue;
        }
        // Read (and recorded as read) through the command's file system;
        // the copy already there is compared without being recorded.
        let Ok(bytes) = fs.read(&from) else {
            continue;
        };
        if fs.peek(&to).is_ok_and(|old| old == bytes) {
            fs.note_written(&to);
            continue;
        }
        // Atomically, missing folders created, recorded as written.
        if let Err(e) = fs.write(&to, &bytes) {
            errors.push(cannot_write(&to, env, &e));
        }
    }
    errors
}

/// The folder the job's output mirrors under `out_dir` (its output is
/// `out_dir/<input relative to it>.js`).
fn mirrored_root(job: &Job, out_dir: &Path) -> Option<PathBuf> {
    let rel = job.output.strip_prefix(out_dir).ok()?;
    let depth = rel.components().count();
    job.input.ancestors().nth(depth).map(Path::to_path_buf)
}
