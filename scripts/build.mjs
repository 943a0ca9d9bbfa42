#!/usr/bin/env node
// Builds the native addon from source: `cargo build` of the binding crate,
// then copies the library to `somonscript.<platform>.node`, where index.js
// looks first. Plain cargo (no `--target`) keeps one target folder, so
// `cargo test` afterwards reuses every compiled dependency.
//
//   node scripts/build.mjs            dev profile (fast to build; tests)
//   node scripts/build.mjs --release  release profile (LTO; benchmarks, publishing)
import { spawnSync } from 'node:child_process';
import { copyFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { libraryFileName, platformSuffix } from './platform.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const release = process.argv.includes('--release');
const args = ['build', '-p', 'somonscript-node', ...(release ? ['--release'] : [])];
const result = spawnSync('cargo', args, { cwd: root, stdio: 'inherit' });
if (result.error) {
  console.error(`somonscript: could not run cargo (${result.error.message}). Install Rust from https://rustup.rs to build from source.`);
  process.exit(1);
}
if (result.status !== 0) process.exit(result.status ?? 1);

const targetDir = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
const built = join(targetDir, release ? 'release' : 'debug', libraryFileName());
const dest = join(root, `somonscript.${platformSuffix()}.node`);
// Copy then rename: a running process that has the old addon loaded keeps it.
const tmp = `${dest}.${process.pid}.tmp`;
copyFileSync(built, tmp);
renameSync(tmp, dest);
console.error(`somonscript: built ${release ? 'release' : 'dev'} addon → ${dest}`);
