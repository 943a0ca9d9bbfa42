#!/usr/bin/env node
// Conformance runner: walks ../shared/conformance as its README describes,
// compiles every case with the addon, runs the JavaScript with Node and
// compares stdout; error cases compare the set of `CODE LINE:COLUMN`.
//
// Each run/ program is also checked compiled with --target es5, --target
// es2015, --module esm and --minify (issue: every variant prints the same).
//
// Known failures live in scripts/conformance-known-failures.txt, one case id
// per line. The list may only shrink: an unlisted failure fails the suite,
// and so does a listed case that passes (remove it from the list).
//
//   node scripts/conformance.mjs [--update-known-failures] [filter]

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const somon = require(root);
const corpus = path.resolve(process.env.SOMON_CONFORMANCE_DIR ?? path.join(root, '..', 'shared', 'conformance'));
const knownFile = path.join(root, 'scripts', 'conformance-known-failures.txt');
const update = process.argv.includes('--update-known-failures');
const filter = process.argv.slice(2).find((a) => !a.startsWith('--'));

if (!fs.existsSync(path.join(corpus, 'README.md'))) {
  console.error(`conformance: corpus not found at ${corpus} (set SOMON_CONFORMANCE_DIR)`);
  process.exit(2);
}

const VARIANTS = {
  default: {},
  es5: { target: 'es5' },
  es2015: { target: 'es2015' },
  esm: { module: 'esm' },
  minify: { minify: true },
};

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'somon-conformance-'));
process.on('exit', () => fs.rmSync(tmpRoot, { recursive: true, force: true }));

function walk(dir, pred, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p, pred, out);
    else if (pred(p)) out.push(p);
  }
  return out;
}

// Corpus roots: the shared corpus, then the repository's own ones (same
// layout; every part optional). Ids of a repository corpus start with its
// path relative to the repository.
const corpora = [corpus, path.join(root, 'tests', 'conformance')];
let base = corpus;
const rel = (p) =>
  (base === corpus ? '' : `${path.relative(root, base).split(path.sep).join('/')}/`) +
  path.relative(base, p).split(path.sep).join('/');
const existing = (dir) => (fs.existsSync(dir) ? dir : null);

function runNode(file, cwd) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], {
      cwd,
      env: { ...process.env, LC_ALL: 'C.UTF-8', TZ: 'UTC', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

function describeDiagnostics(diags) {
  return diags.map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`).join('; ');
}

let tmpCounter = 0;
async function runProgram(somFile, options, { noDiagnostics }) {
  const source = fs.readFileSync(somFile, 'utf8');
  const result = somon.compile(source, { fileName: path.basename(somFile), ...options });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length || (noDiagnostics && result.diagnostics.length)) {
    return `unexpected diagnostics: ${describeDiagnostics(result.diagnostics)}`;
  }
  const ext = options.module === 'esm' ? '.mjs' : '.js';
  const out = path.join(tmpRoot, `${++tmpCounter}-${path.basename(somFile, '.som')}${ext}`);
  fs.writeFileSync(out, result.code);
  const expected = fs.readFileSync(somFile.replace(/\.som$/, '.stdout'), 'utf8');
  const r = await runNode(out, path.dirname(somFile));
  if (r.code !== 0) return `exit ${r.code ?? r.signal}: ${r.stderr.split('\n').slice(0, 6).join('\n')}`;
  if (r.stdout !== expected) return `stdout differs:\n--- expected\n${expected}--- actual\n${r.stdout}`;
  return null;
}

function checkErrors(somFile) {
  const source = fs.readFileSync(somFile, 'utf8');
  const result = somon.compile(source, { fileName: path.basename(somFile) });
  const expected = fs
    .readFileSync(somFile.replace(/\.som$/, '.expect'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const actual = [...new Set(result.diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`))];
  const matches = (want, got) => {
    const [wc, wpos] = want.split(' ');
    const [gc, gpos] = got.split(' ');
    const [wl, wcol] = wpos.split(':');
    const [gl, gcol] = gpos.split(':');
    return wc === gc && wl === gl && (wcol === '*' || wcol === gcol);
  };
  const missing = expected.filter((w) => !actual.some((g) => matches(w, g)));
  const extra = actual.filter((g) => !expected.some((w) => matches(w, g)));
  if (result.code) return 'compiled although errors were expected';
  if (missing.length || extra.length) {
    return `diagnostics differ: missing [${missing.join(', ')}] unexpected [${extra.join(', ')}]\n  ${describeDiagnostics(result.diagnostics)}`;
  }
  return null;
}

async function runProject(dir) {
  // Compile every module next to a copy of the project, then run main.js.
  const copy = path.join(tmpRoot, `project-${++tmpCounter}-${path.basename(dir)}`);
  fs.cpSync(dir, copy, { recursive: true });
    const failures = [];
  // compileFiles resolves each relative import to the file it will emit.
  for (const result of await somon.compileFiles([copy])) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) failures.push(`${path.relative(copy, result.file)}: ${describeDiagnostics(errors)}`);
    else fs.writeFileSync(result.file.replace(/\.som$/, '.js'), result.code);
  }
  if (failures.length) return `compile errors: ${failures.join('; ')}`;
  const expected = fs.readFileSync(path.join(dir, 'expected.stdout'), 'utf8');
  const r = await runNode(path.join(copy, 'main.js'), copy);
  if (r.code !== 0) return `exit ${r.code ?? r.signal}: ${r.stderr.split('\n').slice(0, 6).join('\n')}`;
  if (r.stdout !== expected) return `stdout differs:\n--- expected\n${expected}--- actual\n${r.stdout}`;
  return null;
}

async function runBundle(dir, format) {
  // The bundle is written outside the project and run from the project
  // folder: everything it needs must be inside it (or a Node built-in).
  const result = somon.bundleSync(path.join(dir, 'main.som'), { format, globalName: 'Барнома' });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length || !result.code) return `bundle failed: ${describeDiagnostics(result.diagnostics)}`;
  const out = path.join(tmpRoot, `${++tmpCounter}-bundle${format === 'esm' ? '.mjs' : '.js'}`);
  fs.writeFileSync(out, result.code);
  const expected = fs.readFileSync(path.join(dir, 'expected.stdout'), 'utf8');
  const r = await runNode(out, dir);
  if (r.code !== 0) return `exit ${r.code ?? r.signal}: ${r.stderr.split('\n').slice(0, 6).join('\n')}`;
  if (r.stdout !== expected) return `stdout differs:\n--- expected\n${expected}--- actual\n${r.stdout}`;
  return null;
}

async function runWithCli(dir) {
  // `somon run main.som` from the project folder: bundled in memory.
  const expected = fs.readFileSync(path.join(dir, 'expected.stdout'), 'utf8');
  const r = await new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'bin', 'somon.js'), 'run', 'main.som'], {
      cwd: dir,
      env: { ...process.env, LC_ALL: 'C.UTF-8', TZ: 'UTC', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  if (r.code !== 0) return `exit ${r.code}: ${r.stderr.split('\n').slice(0, 6).join('\n')}`;
  if (r.stdout !== expected) return `stdout differs:\n--- expected\n${expected}--- actual\n${r.stdout}`;
  return null;
}

// ------------------------------------------------------------ collect cases
const cases = [];
for (base of corpora) {
const at = rel(base).replace(/([^/])$/, '$1/');
const runDir = existing(path.join(base, 'run'));
for (const f of runDir ? walk(runDir, (p) => p.endsWith('.som')) : []) {
  const area = path.relative(runDir, f).split(path.sep)[0];
  for (const [name, options] of Object.entries(VARIANTS)) {
    const id = name === 'default' ? rel(f) : `${rel(f)} [${name}]`;
    cases.push({ id, area: `${at}run/${area}`, run: () => runProgram(f, options, { noDiagnostics: false }) });
  }
}
const errorsDir = existing(path.join(base, 'errors'));
for (const f of errorsDir ? walk(errorsDir, (p) => p.endsWith('.som')) : []) {
  if (path.relative(errorsDir, f).split(path.sep)[0] === 'valid') {
    cases.push({ id: rel(f), area: `${at}errors/valid`, run: () => runProgram(f, {}, { noDiagnostics: true }) });
  } else {
    cases.push({ id: rel(f), area: `${at}errors`, run: async () => checkErrors(f) });
  }
}
const modulesDir = existing(path.join(base, 'modules'));
for (const entry of modulesDir ? fs.readdirSync(modulesDir).sort() : []) {
  const dir = path.join(modulesDir, entry);
  if (fs.existsSync(path.join(dir, 'main.som'))) {
    cases.push({ id: `${at}modules/${entry}`, area: `${at}modules`, run: () => runProject(dir) });
        for (const format of ['cjs', 'esm', 'iife', 'umd']) {
      cases.push({ id: `${at}modules/${entry} [bundle ${format}]`, area: `${at}modules`, run: () => runBundle(dir, format) });
    }
    cases.push({ id: `${at}modules/${entry} [somon run]`, area: `${at}modules`, run: () => runWithCli(dir) });
  }
}
}

const selected = filter ? cases.filter((c) => c.id.includes(filter)) : cases;
const known = new Set(
  fs.existsSync(knownFile)
    ? fs.readFileSync(knownFile, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
    : [],
);

// --------------------------------------------------------------------- run
const results = new Map();
let next = 0;
const workers = Array.from({ length: Math.max(2, os.availableParallelism?.() ?? 2) }, async () => {
  while (next < selected.length) {
    const c = selected[next++];
    let failure;
    try {
      failure = await c.run();
    } catch (err) {
      failure = `runner error: ${err && err.stack ? err.stack : err}`;
    }
    results.set(c.id, failure);
  }
});
await Promise.all(workers);

const byArea = new Map();
let passed = 0;
let failed = 0;
const unexpected = [];
const nowPassing = [];
for (const c of selected) {
  const failure = results.get(c.id);
  const a = byArea.get(c.area) ?? { passed: 0, failed: 0 };
  if (failure) {
    a.failed++;
    failed++;
    if (!known.has(c.id)) unexpected.push([c.id, failure]);
  } else {
    a.passed++;
    passed++;
    if (known.has(c.id)) nowPassing.push(c.id);
  }
  byArea.set(c.area, a);
}

console.log('SomonScript conformance');
for (const [area, a] of [...byArea].sort()) {
  console.log(`  ${area.padEnd(40)} ${String(a.passed).padStart(4)} passed ${String(a.failed).padStart(4)} failed`);
}
if (update) {
  const failing = selected.filter((c) => results.get(c.id)).map((c) => c.id);
  fs.writeFileSync(knownFile, `# Conformance cases known to fail. This list may only shrink.\n${failing.join('\n')}\n`);
  console.log(`wrote ${failing.length} known failures to ${path.relative(root, knownFile)}`);
} else {
  for (const [id, failure] of unexpected) console.log(`\nFAIL ${id}\n  ${failure.replace(/\n/g, '\n  ')}`);
  if (nowPassing.length) {
    console.log(`\nThese cases now pass; remove them from ${path.relative(root, knownFile)}:`);
    for (const id of nowPassing) console.log(`  ${id}`);
  }
  const knownFailing = failed - unexpected.length;
  console.log(`\n${unexpected.length} unexpected failure(s), ${knownFailing} known failure(s), ${nowPassing.length} listed case(s) now passing`);
}
console.log(`${passed} passed, ${failed} failed`);
if (!update && (unexpected.length || (nowPassing.length && !filter))) process.exitCode = 1;
