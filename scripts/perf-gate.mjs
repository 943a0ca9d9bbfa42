#!/usr/bin/env node
// Performance gate (issue 18, item 5): instruction counts of a fixed compile
// workload, which a noisy machine cannot change.
//
// The workload is `crates/somon_compiler/examples/perf_workload.rs`: the
// compile benchmark's program (benchmark/compile.mjs --write-input, 0.03 MB)
// compiled twice (es2020 + CommonJS, type checker on; es2015 + ESM with a
// source map). It runs under `valgrind --tool=cachegrind --cache-sim=no`,
// whose "I refs" is the number of instructions executed; that figure is
// compared with benchmark/perf-baseline.json (one entry per cargo profile).
// More than 5 % above the baseline fails; the figure is printed either way.
//
// By default the workload is built with the dev profile: CI has just built
// every dependency in it for `cargo test`, so the gate only links one
// example (a release/profiling build of swc would cost CI a full optimized
// build). Run-to-run variation is about 0.03 % (hash seeds). Counts depend
// on the Rust toolchain and, a little, on the CPU (run-time feature
// detection in memchr and friends): after a toolchain update, refresh the
// baseline in the same commit.
//
//   node scripts/perf-gate.mjs                 build, measure, compare
//   node scripts/perf-gate.mjs --update        write the measured figure as the baseline
//   node scripts/perf-gate.mjs --self-test     also show that a slowed workload fails
//   node scripts/perf-gate.mjs --profile profiling   (another cargo profile, its own baseline)
//   options: --threshold 5 (percent)

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const baselineFile = path.join(root, 'benchmark', 'perf-baseline.json');
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
function value(name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
}
const profile = value('profile', 'dev');
const threshold = Number(value('threshold', '5'));
const INPUT_MB = '0.03';
// Lexing the input this many more times adds about 7 % (self-test).
const SLOWDOWN_LEXES = '2';

function fail(message) {
  console.error(`perf-gate: ${message}`);
  process.exit(1);
}

function run(cmd, argv, options = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  if (r.error) fail(`could not run ${cmd}: ${r.error.message}`);
  return r;
}

function toolVersion(cmd, argv) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8' });
  return r.error || r.status !== 0 ? null : r.stdout.trim();
}

const valgrind = toolVersion('valgrind', ['--version']);
if (!valgrind) fail('valgrind is not installed (apt-get install valgrind); the gate needs it');
const rustc = toolVersion('rustc', ['--version']);

// Build the workload.
const build = run(
  'cargo',
  ['build', '--quiet', '-p', 'somon_compiler', '--example', 'perf_workload', '--profile', profile],
  { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
);
if (build.status !== 0) fail('cargo build of the workload failed');
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, 'target');
const binary = path.join(targetDir, profile === 'dev' ? 'debug' : profile, 'examples', 'perf_workload');

// The input: written into a scratch folder under a fixed name, and the
// workload runs there, so file names (and the map's `sources`) never vary.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'somon-perf-gate-'));
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));
const input = 'workload.som';
const gen = run(process.execPath, [path.join(root, 'benchmark', 'compile.mjs'), '--write-input', path.join(work, input), '--mb', INPUT_MB], {
  cwd: root,
});
if (gen.status !== 0) fail(`could not write the workload's input:\n${gen.stderr}`);

function instructions(extraLexes) {
  const env = { ...process.env };
  delete env.SOMON_PERF_GATE_EXTRA_LEX;
  if (extraLexes) env.SOMON_PERF_GATE_EXTRA_LEX = extraLexes;
  const r = run('valgrind', ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null', binary, input], {
    cwd: work,
    env,
  });
  if (r.status !== 0) fail(`the workload failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  const m = /I\s+refs:\s+([\d,]+)/.exec(r.stderr);
  if (!m) fail(`no instruction count in valgrind's output:\n${r.stderr}`);
  return Number(m[1].replaceAll(',', ''));
}

const baselines = fs.existsSync(baselineFile) ? JSON.parse(fs.readFileSync(baselineFile, 'utf8')) : {};
const measured = instructions(null);
const fmt = (n) => n.toLocaleString('en-US');

if (flag('update')) {
  baselines[profile] = {
    instructions: measured,
    input: `benchmark/compile.mjs --write-input --mb ${INPUT_MB}`,
    rustc,
    valgrind,
    date: new Date().toISOString().slice(0, 10),
  };
  fs.writeFileSync(baselineFile, `${JSON.stringify(baselines, null, 2)}\n`);
  console.log(`perf-gate: baseline for the ${profile} profile set to ${fmt(measured)} instructions`);
  process.exit(0);
}

const base = baselines[profile];
if (!base) fail(`no baseline for the ${profile} profile in ${path.relative(root, baselineFile)}: run with --update`);

function change(count) {
  return (100 * (count - base.instructions)) / base.instructions;
}

function verdict(count, label) {
  const pct = change(count);
  const sign = pct >= 0 ? '+' : '';
  const ok = pct <= threshold;
  console.log(
    `perf-gate${label}: ${fmt(count)} instructions, baseline ${fmt(base.instructions)} ` +
      `(${sign}${pct.toFixed(2)} %, limit +${threshold} %, ${profile} profile): ${ok ? 'ok' : 'REGRESSION'}`,
  );
  return ok;
}

if (base.rustc && rustc && base.rustc !== rustc) {
  console.log(`perf-gate: note: baseline measured with ${base.rustc}, now ${rustc}`);
}
const ok = verdict(measured, '');
if (change(measured) < -threshold) {
  console.log(`perf-gate: faster than the baseline by more than ${threshold} %: consider --update`);
}

if (flag('self-test')) {
  const slowed = instructions(SLOWDOWN_LEXES);
  const slowedOk = verdict(slowed, ` (self-test: workload slowed by ${SLOWDOWN_LEXES} extra lexing passes)`);
  if (slowedOk) fail('self-test: the slowed workload passed the gate');
  console.log('perf-gate: self-test: the slowed workload fails the gate, as it must');
}
if (!ok) process.exit(1);
