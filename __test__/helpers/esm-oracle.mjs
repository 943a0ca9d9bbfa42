// Shared by the bundle tests whose oracle is Node running the unbundled
// program: project folders, running a file, and the program compiled
// module by module to ES modules.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const somon = require('../../index.js');

/** Writes `files` (relative name → text) into `dir`; returns `dir`. */
export function writeFiles(dir, files) {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** Runs `file` under Node in `cwd`; it must succeed; its stdout. */
export function runNode(file, cwd, extra = []) {
  const r = spawnSync(process.execPath, [...extra, file], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, `${file}: ${r.stderr}`);
  return r.stdout;
}

/** The unbundled program: a copy of `dir` with every module compiled to an
 * ES module (under "type": "module"); the stdout of each entry. */
export async function unbundledOutputs(dir, entries) {
  const copy = `${dir}-esm`;
  fs.cpSync(dir, copy, { recursive: true });
  fs.writeFileSync(path.join(copy, 'package.json'), '{"type":"module"}');
  for (const result of await somon.compileFiles([copy], { module: 'esm' })) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errors, [], result.file);
    fs.writeFileSync(result.file.replace(/\.som$/, '.js'), result.code);
  }
  return entries.map((e) => runNode(path.join(copy, e.replace(/\.som$/, '.js')), copy));
}
