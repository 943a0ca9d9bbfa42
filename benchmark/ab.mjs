#!/usr/bin/env node
// Two builds of the addon, side by side: `compile()` of the same program,
// the builds called alternately in one process (a `gc()` and a pause before
// every call, so neither pays for the other's garbage), medians of the call
// and of each stage. A machine whose speed drifts during a run cannot bias
// the comparison the way two separate runs of benchmark/compile.mjs can.
//
//   node --expose-gc benchmark/ab.mjs A.node B.node [--rounds 30] [--input FILE.som] [--pause 50]
//
// Without --input it compiles the compile benchmark's 3 MB program
// (benchmark/compile.mjs --write-input). Prints one line per build.

import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const optionNames = new Set(['--rounds', '--input', '--pause']);
const builds = args.filter((a, i) => !a.startsWith('--') && !optionNames.has(args[i - 1]));
if (builds.length !== 2) {
  console.error('usage: node --expose-gc benchmark/ab.mjs A.node B.node [--rounds 30] [--input FILE.som] [--pause 50]');
  process.exit(2);
}
const rounds = Number(option('rounds', 30));
const pause = Number(option('pause', 50));

let input = option('input');
if (!input) {
  input = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'somon-ab-')), 'bench.som');
  const made = spawnSync(process.execPath, [path.join(here, 'compile.mjs'), '--write-input', input], { stdio: 'inherit' });
  if (made.status !== 0) process.exit(made.status ?? 1);
}
const source = fs.readFileSync(input, 'utf8');
const addons = builds.map((b) => require(path.resolve(b)));
const options = { fileName: path.basename(input), target: 'es2020', module: 'cjs', timings: true };
const walls = builds.map(() => []);
const stages = builds.map(() => new Map());
const warmUp = 2;
for (let round = 0; round < rounds + warmUp; round++) {
  for (let k = 0; k < addons.length; k++) {
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, pause));
    const start = performance.now();
    const out = addons[k].compile(source, options);
    const wall = performance.now() - start;
    if (!out.code) throw new Error(`${builds[k]}: no code (${out.diagnostics[0]?.message ?? 'no diagnostic'})`);
    if (round < warmUp) continue;
    walls[k].push(wall);
    for (const t of out.timings) {
      if (!stages[k].has(t.stage)) stages[k].set(t.stage, []);
      stages[k].get(t.stage).push(t.ms);
    }
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
};
if (!globalThis.gc) console.log('(run with --expose-gc for a gc() before each call)');
console.log(`${(source.length / 1e6).toFixed(2)} M characters, ${rounds} rounds, builds called alternately`);
for (let k = 0; k < builds.length; k++) {
  const shown = [...stages[k]]
    .map(([name, ms]) => [name, median(ms)])
    .filter(([, ms]) => ms >= 1)
    .map(([name, ms]) => `${name} ${ms.toFixed(1)}`)
    .join(', ');
  console.log(`${builds[k]}: median ${median(walls[k]).toFixed(1)} ms | ${shown}`);
}
console.log(`B ÷ A: ${(median(walls[1]) / median(walls[0])).toFixed(3)}`);
