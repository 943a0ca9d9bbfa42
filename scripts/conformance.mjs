#!/usr/bin/env node
// Conformance runner: walks ../shared/conformance as its README describes,
// compiles every case with the addon, runs the JavaScript with Node and
// compares stdout; error cases compare the set of `CODE LINE:COLUMN`.
//
// Module projects without JavaScript or JSON files are also bundled with
// --splitting (ES module chunks).
//
// Each run/ program is also checked compiled with --target es5, --target
// es2015, --module esm and --minify, and bundled with --target es5 and
// --target es2015 (issue: every variant prints the same).
//
// The same runner walks the project's own checker corpus, tests/checker
// (issue 11; same layout, plus errors/projects/NAME/ whose `expect` lists
// `file.som CODE LINE:COLUMN` that `somon check main.som` must report
// exactly). Its case ids start with `checker/`.
//
// Known failures live in scripts/conformance-known-failures.txt (shared
// corpus) and scripts/checker-known-failures.txt (tests/checker), one case id
// per line. The lists may only shrink: an unlisted failure fails the suite,
// and so does a listed case that passes (remove it from the list).
//
//   node scripts/conformance.mjs [--update-known-failures] [filter]

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { relTo, runNode, runProcess, walk } from './corpus-io.mjs';

const require = createRequire(import.meta.url);
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const somon = require(root);
const corpus = path.resolve(process.env.SOMON_CONFORMANCE_DIR ?? path.join(root, '..', 'shared', 'conformance'));
const checkerCorpus = path.join(root, 'tests', 'checker');
const ROOTS = [
  { dir: corpus, prefix: '', knownFile: path.join(root, 'scripts', 'conformance-known-failures.txt'), title: 'Conformance' },
  { dir: checkerCorpus, prefix: 'checker/', knownFile: path.join(root, 'scripts', 'checker-known-failures.txt'), title: 'Checker corpus (tests/checker)' },
  { dir: path.join(root, 'tests', 'conformance'), prefix: 'tests/conformance/', knownFile: path.join(root, 'scripts', 'repo-conformance-known-failures.txt'), title: 'Repository corpus (tests/conformance)' },
];
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
  // Bundled (runtime and shared helpers) under old targets.
  'bundle es5': { bundle: true, target: 'es5' },
  'bundle es2015': { bundle: true, target: 'es2015' },
};

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'somon-conformance-'));
process.on('exit', () => fs.rmSync(tmpRoot, { recursive: true, force: true }));


function describeDiagnostics(diags) {
  return diags.map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`).join('; ');
}

let tmpCounter = 0;
async function runProgram(somFile, { bundle, ...options }, { noDiagnostics }) {
  const result = bundle
    ? somon.bundleSync(somFile, options)
    : somon.compile(fs.readFileSync(somFile, 'utf8'), { fileName: path.basename(somFile), ...options });
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

function matchesDiag(want, got) {
  // "[file ]CODE LINE:COL"; a column `*` matches any column.
  const w = want.split(' ');
  const g = got.split(' ');
  if (w.length !== g.length) return false;
  const [wpos, gpos] = [w.pop(), g.pop()];
  const [wl, wcol] = wpos.split(':');
  const [gl, gcol] = gpos.split(':');
  return w.join(' ') === g.join(' ') && wl === gl && (wcol === '*' || wcol === gcol);
}

function runCli(args, cwd) {
  return runProcess([path.join(root, 'bin', 'somon.js'), ...args], cwd, { NO_COLOR: '1' });
}

async function checkProjectErrors(dir) {
  // `somon check main.som` from the project folder must fail with exactly the
  // diagnostics listed in `expect` (file relative to the project folder).
  const r = await runCli(['check', 'main.som', '--diagnostics', 'json'], dir);
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    return `somon check printed no JSON (exit ${r.code}): ${r.stderr.split('\n').slice(0, 4).join('\n')}`;
  }
  const expected = fs
    .readFileSync(path.join(dir, 'expect'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const actual = [
    ...new Set(report.diagnostics.map((d) => `${relTo(dir, path.resolve(dir, d.file ?? 'main.som'))} ${d.code} ${d.line}:${d.column}`)),
  ];
  const missing = expected.filter((w) => !actual.some((g) => matchesDiag(w, g)));
  const extra = actual.filter((g) => !expected.some((w) => matchesDiag(w, g)));
  if (r.code === 0) return 'somon check succeeded although errors were expected';
  if (missing.length || extra.length) {
    return `diagnostics differ: missing [${missing.join(', ')}] unexpected [${extra.join(', ')}]\n  ${report.diagnostics
      .map((d) => `${d.file} ${d.code} ${d.line}:${d.column} ${d.message}`)
      .join('; ')}`;
  }
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
  const matches = matchesDiag;
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

async function runBundle(dir, format, extra = {}) {
  // The bundle is written outside the project and run from the project
  // folder: everything it needs must be inside it (or a Node built-in).
  // Bundles hoist Somon modules and shake trees by default; one variant
  // keeps every statement, others minify.
  const result = somon.bundleSync(path.join(dir, 'main.som'), { format, globalName: 'Барнома', ...extra });
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

async function runSplit(dir, extra = []) {
  // `somon bundle --splitting`: the entry and its chunks (ES modules) in a
  // folder outside the project, run from the project folder.
  const out = path.join(tmpRoot, `${++tmpCounter}-split`);
  const r = await runCli(['bundle', 'main.som', '--splitting', '--format', 'esm', '--outdir', out, ...extra], dir);
  if (r.code !== 0) return `split bundle failed (${r.code}): ${(r.stderr + r.stdout).split('\n').slice(0, 6).join('\n')}`;
  fs.writeFileSync(path.join(out, 'package.json'), '{"type":"module"}');
  const expected = fs.readFileSync(path.join(dir, 'expected.stdout'), 'utf8');
  const run = await runNode(path.join(out, 'main.js'), dir);
  if (run.code !== 0) return `exit ${run.code ?? run.signal}: ${run.stderr.split('\n').slice(0, 6).join('\n')}`;
  if (run.stdout !== expected) return `stdout differs:\n--- expected\n${expected}--- actual\n${run.stdout}`;
  return null;
}

async function runWithCli(dir) {
  // `somon run main.som` from the project folder: bundled in memory.
  const expected = fs.readFileSync(path.join(dir, 'expected.stdout'), 'utf8');
  const r = await runCli(['run', 'main.som'], dir);
  if (r.code !== 0) return `exit ${r.code}: ${r.stderr.split('\n').slice(0, 6).join('\n')}`;
  if (r.stdout !== expected) return `stdout differs:\n--- expected\n${expected}--- actual\n${r.stdout}`;
  return null;
}

// ------------------------------------------------------------ collect cases
const cases = [];
for (const { dir: base, prefix } of ROOTS) {
  if (!fs.existsSync(base)) continue;
  const rel = (p) => prefix + relTo(base, p);
  for (const f of walk(path.join(base, 'run'), (p) => p.endsWith('.som'))) {
    const area = `${prefix}run/${relTo(base, f).split('/')[1]}`;
    for (const [name, options] of Object.entries(VARIANTS)) {
      const id = name === 'default' ? rel(f) : `${rel(f)} [${name}]`;
      cases.push({ id, area, run: () => runProgram(f, options, { noDiagnostics: false }) });
    }
  }
  const projectErrors = path.join(base, 'errors', 'projects');
  for (const f of walk(path.join(base, 'errors'), (p) => p.endsWith('.som') && !p.startsWith(projectErrors + path.sep))) {
    if (relTo(base, f).startsWith('errors/valid/')) {
      cases.push({ id: rel(f), area: `${prefix}errors/valid`, run: () => runProgram(f, {}, { noDiagnostics: true }) });
    } else {
      cases.push({ id: rel(f), area: `${prefix}errors`, run: async () => checkErrors(f) });
    }
  }
  if (fs.existsSync(projectErrors)) {
    for (const entry of fs.readdirSync(projectErrors).sort()) {
      const dir = path.join(projectErrors, entry);
      if (fs.existsSync(path.join(dir, 'main.som'))) {
        cases.push({ id: `${prefix}errors/projects/${entry}`, area: `${prefix}errors/projects`, run: () => checkProjectErrors(dir) });
      }
    }
  }
  const modules = path.join(base, 'modules');
  for (const entry of fs.existsSync(modules) ? fs.readdirSync(modules).sort() : []) {
    const dir = path.join(modules, entry);
    if (fs.existsSync(path.join(dir, 'main.som'))) {
      const id = `${prefix}modules/${entry}`;
      const area = `${prefix}modules`;
      cases.push({ id, area, run: () => runProject(dir) });
      for (const format of ['cjs', 'esm', 'iife', 'umd']) {
        cases.push({ id: `${id} [bundle ${format}]`, area, run: () => runBundle(dir, format) });
      }
      // Minified as a whole (top-level names mangled where the format
      // allows): the same stdout.
      for (const format of ['cjs', 'esm', 'iife']) {
        cases.push({ id: `${id} [bundle ${format} minify]`, area, run: () => runBundle(dir, format, { minify: true }) });
      }
      cases.push({ id: `${id} [bundle esm no-tree-shaking]`, area, run: () => runBundle(dir, 'esm', { treeShaking: false }) });
      cases.push({ id: `${id} [somon run]`, area, run: () => runWithCli(dir) });
      // Split builds (ES module chunks) of the projects that are ES modules
      // only: no JavaScript or JSON file of their own (a split build cannot
      // hold CommonJS or JSON: SPLIT_NOT_ESM).
      const foreign = walk(dir, (p) => /\.(c?js|mjs|json)$/.test(p) && !p.endsWith('.oracle.js'));
      if (foreign.length === 0) {
        cases.push({ id: `${id} [bundle split]`, area, run: () => runSplit(dir) });
        cases.push({ id: `${id} [bundle split minify]`, area, run: () => runSplit(dir, ['--minify']) });
      }
    }
  }
}

const selected = filter ? cases.filter((c) => c.id.includes(filter)) : cases;
const rootOf = (id) => ROOTS.find((r) => r.prefix && id.startsWith(r.prefix)) ?? ROOTS[0];
const readKnown = (file) =>
  fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
    : [];
const known = new Set(ROOTS.flatMap((r) => readKnown(r.knownFile)));

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
  // Cases outside the filter keep their entries; the file's comment header is kept.
  for (const r of ROOTS) {
    if (!selected.some((c) => rootOf(c.id) === r)) continue;
    const ran = new Set(selected.map((c) => c.id));
    const kept = readKnown(r.knownFile).filter((id) => !ran.has(id));
    const failing = [...kept, ...selected.filter((c) => rootOf(c.id) === r && results.get(c.id)).map((c) => c.id)];
    const old = fs.existsSync(r.knownFile) ? fs.readFileSync(r.knownFile, 'utf8').split('\n') : [];
    const header = old.filter((l) => l.startsWith('#'));
    const head = header.length ? header.join('\n') : `# ${r.title} cases known to fail, one id per line. This list may only shrink.`;
    fs.writeFileSync(r.knownFile, `${head}\n${failing.map((id) => `${id}\n`).join('')}`);
    console.log(`wrote ${failing.length} known failures to ${path.relative(root, r.knownFile)}`);
  }
} else {
  for (const [id, failure] of unexpected) console.log(`\nFAIL ${id}\n  ${failure.replace(/\n/g, '\n  ')}`);
  if (nowPassing.length) {
    console.log(`\nThese cases now pass; remove them from the known-failure list named after each:`);
    for (const id of nowPassing) console.log(`  ${id}  (${path.relative(root, rootOf(id).knownFile)})`);
  }
  const knownFailing = failed - unexpected.length;
  console.log(`\n${unexpected.length} unexpected failure(s), ${knownFailing} known failure(s), ${nowPassing.length} listed case(s) now passing`);
}
console.log(`${passed} passed, ${failed} failed`);
if (!update && (unexpected.length || (nowPassing.length && !filter))) process.exitCode = 1;
