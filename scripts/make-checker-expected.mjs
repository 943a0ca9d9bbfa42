#!/usr/bin/env node
// Regenerates the expected stdout of the checker corpus (tests/checker) from
// the TypeScript twins, not from our compiler: every runnable case (run/,
// errors/valid/, modules/) is translated by scripts/som2ts.mjs, transpiled
// with TypeScript's transpileModule (CommonJS, es2020) and run with Node from
// its own folder, twice. A non-zero exit, any stderr output or a difference
// between the two runs fails the script and writes nothing for that case.
//
//   node scripts/make-checker-expected.mjs [--check] [filter]
//
// --check compares instead of writing (exit 1 on a difference).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listCases, writeTwins, runTwin, stdoutFile } from './checker-corpus.mjs';

const check = process.argv.includes('--check');
const filter = process.argv.slice(2).find((a) => !a.startsWith('--'));
const cases = listCases().filter((c) => ['run', 'valid', 'module'].includes(c.kind) && (!filter || c.id.includes(filter)));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'somon-checker-expected-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
const twinDirs = writeTwins(cases, path.join(tmp, 'ts'));

let failures = 0;
let written = 0;
let next = 0;
const workers = Array.from({ length: Math.max(2, os.availableParallelism?.() ?? 2) }, async () => {
  while (next < cases.length) {
    const c = cases[next++];
    const runs = [];
    for (const n of [1, 2]) runs.push(await runTwin(c, twinDirs.get(c.id), path.join(tmp, `js${n}`, c.id.replace(/\.som$/, ''))));
    const [a, b] = runs;
    let problem = null;
    if (a.code !== 0 || b.code !== 0) problem = `exit ${a.code}/${b.code}: ${(a.stderr || b.stderr).split('\n').slice(0, 4).join('\n')}`;
    else if (a.stderr || b.stderr) problem = `stderr: ${(a.stderr || b.stderr).split('\n').slice(0, 4).join('\n')}`;
    else if (a.stdout !== b.stdout) problem = 'stdout differs between two runs';
    else if (!a.stdout) problem = 'prints nothing';
    if (problem) {
      failures++;
      console.error(`FAIL ${c.id}: ${problem}`);
      continue;
    }
    const file = stdoutFile(c);
    const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    if (old === a.stdout) continue;
    if (check) {
      failures++;
      console.error(`DIFFERS ${c.id}: ${path.relative(process.cwd(), file)} is not what its twin prints`);
    } else {
      fs.writeFileSync(file, a.stdout);
      written++;
    }
  }
});
await Promise.all(workers);
console.log(`${cases.length} runnable cases, ${written} expected file(s) written, ${failures} failure(s)`);
if (failures) process.exitCode = 1;
