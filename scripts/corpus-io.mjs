// What the corpus runners share (scripts/conformance.mjs,
// scripts/checker-corpus.mjs, __test__/check-compile-agree.test.mjs):
// walking a corpus folder in a fixed order and running Node (emitted
// JavaScript, the CLI) with a fixed environment.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Files below `dir` (recursive, sorted by name) for which `pred(path)` holds; none when `dir` is absent. */
export function walk(dir, pred, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p, pred, out);
    else if (pred(p)) out.push(p);
  }
  return out;
}

/** `p` relative to `base`, with `/` separators. */
export const relTo = (base, p) => path.relative(base, p).split(path.sep).join('/');

/**
 * Runs Node with `args` in `cwd` (UTF-8 locale, UTC, and `env` on top of the
 * caller's environment; killed after `timeoutMs` unless it is `null`) and
 * resolves to `{ code, signal, stdout, stderr }`.
 */
export function runProcess(args, cwd, env = {}, timeoutMs = null) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...process.env, LC_ALL: 'C.UTF-8', TZ: 'UTC', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = timeoutMs === null ? null : setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Runs the JavaScript file `file` in `cwd` (no NODE_OPTIONS; killed after 20 s): see {@link runProcess}. */
export const runNode = (file, cwd) => runProcess([file], cwd, { NODE_OPTIONS: '' }, 20_000);
