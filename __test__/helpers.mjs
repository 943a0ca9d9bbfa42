// Shared helpers for the package tests: one place that knows how to load
// the addon, run the CLI and make scratch folders.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
export const somon = createRequire(import.meta.url)(root);
export const cliPath = path.join(root, 'bin', 'somon.js');

/** A fresh scratch folder, removed when the process exits. */
export function scratch(files = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'somon-test-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** Runs `somon …args` and returns { status, stdout, stderr }. */
export function runCli(args, { cwd = root, env = {} } = {}) {
  const r = spawnSync(process.execPath, [cliPath, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
