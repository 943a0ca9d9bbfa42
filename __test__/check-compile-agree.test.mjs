// Issue 11 §1: `somon check` reports exactly what `somon compile` reports,
// honours somon.config.json as compile does,
// for every .som file of both corpora (tests/checker and
// ../shared/conformance, errors/ and run/); and the `--module esm` output of
// every corpus project runs under Node as an ES module package and prints
// its expected.stdout.
//
// Today's disagreements are listed in __test__/known-failures/*.json. The
// lists may only shrink: an unlisted failure fails, and so does a listed case
// that passes (the message says to remove it).

import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNode, walk } from '../scripts/corpus-io.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'bin', 'somon.js');
const CORPORA = [
  { name: 'checker', dir: path.join(root, 'tests', 'checker') },
  { name: 'conformance', dir: path.resolve(process.env.SOMON_CONFORMANCE_DIR ?? path.join(root, '..', 'shared', 'conformance')) },
].filter((c) => fs.existsSync(c.dir));
const knownDir = path.join(root, '__test__', 'known-failures');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'somon-agree-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const idOf = (corpus, p) => `${corpus.name}/${path.relative(corpus.dir, p).split(path.sep).join('/')}`;

function readKnown(name) {
  const file = path.join(knownDir, `${name}.json`);
  const list = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.ok(Array.isArray(list.knownFailures), `${file}: needs a "knownFailures" array`);
  return { file, known: new Set(list.knownFailures) };
}

/** Compares failures with a shrink-only known-failure list. */
function assertKnown(name, failures, ids) {
  const { file, known } = readKnown(name);
  const rel = path.relative(root, file);
  const unexpected = [...failures].filter(([id]) => !known.has(id)).map(([id, why]) => `${id}: ${why}`);
  const nowPassing = [...known].filter((id) => ids.has(id) && !failures.has(id));
  const stale = [...known].filter((id) => !ids.has(id));
  assert.deepEqual(unexpected, [], `unexpected failures (not in ${rel}):\n${unexpected.join('\n')}`);
  assert.deepEqual(nowPassing, [], `these cases now pass; remove them from ${rel}:\n${nowPassing.join('\n')}`);
  assert.deepEqual(stale, [], `these ids in ${rel} are not corpus cases any more; remove them:\n${stale.join('\n')}`);
}

function diagnosticsOf(args, files) {
  const r = spawnSync(process.execPath, [cli, ...args, '--diagnostics', 'json', ...files], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    maxBuffer: 256 * 1024 * 1024,
  });
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    throw new Error(`somon ${args[0]} printed no JSON (exit ${r.status}): ${r.stderr.slice(0, 500)}`);
  }
  const byFile = new Map(files.map((f) => [path.resolve(f), new Set()]));
  for (const d of report.diagnostics) {
    const key = path.resolve(d.file ?? '');
    if (!byFile.has(key)) byFile.set(key, new Set());
    byFile.get(key).add(`${d.code} ${d.line}:${d.column}`);
  }
  return byFile;
}

test('somon check and somon compile report the same diagnostics for every corpus file', () => {
  const files = [];
  const ids = new Map();
  for (const c of CORPORA) {
    for (const f of walk(path.join(c.dir, 'errors'), (p) => p.endsWith('.som')).concat(walk(path.join(c.dir, 'run'), (p) => p.endsWith('.som')))) {
      files.push(f);
      ids.set(path.resolve(f), idOf(c, f));
    }
  }
  assert.ok(files.length > 300, `only ${files.length} files found`);
  const checked = diagnosticsOf(['check'], files);
  const compiled = diagnosticsOf(['compile', '--out-dir', path.join(tmp, 'cjs')], files);
  const failures = new Map();
  for (const f of files) {
    const a = [...(checked.get(path.resolve(f)) ?? [])].sort();
    const b = [...(compiled.get(path.resolve(f)) ?? [])].sort();
    if (a.join() !== b.join()) failures.set(ids.get(path.resolve(f)), `check [${a.join(', ')}] compile [${b.join(', ')}]`);
  }
  for (const key of new Set([...checked.keys(), ...compiled.keys()])) {
    if (!ids.has(key)) failures.set(key, 'diagnostic for a file outside the inputs');
  }
  assertKnown('check-compile-agree', failures, new Set(ids.values()));
});

function makeWritable(dir) {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(p);
    else fs.chmodSync(p, 0o644);
  }
}


test('--module esm output of every corpus project runs under Node as "type": "module"', async () => {
  const failures = new Map();
  const ids = new Set();
  for (const c of CORPORA) {
    const modules = path.join(c.dir, 'modules');
    for (const entry of fs.existsSync(modules) ? fs.readdirSync(modules).sort() : []) {
      const dir = path.join(modules, entry);
      if (!fs.existsSync(path.join(dir, 'main.som'))) continue;
      const id = `${c.name}/modules/${entry}`;
      ids.add(id);
      // The project is copied so that files it reads at run time are there too.
      const out = path.join(tmp, 'esm', c.name, entry);
      fs.cpSync(dir, out, { recursive: true });
      makeWritable(out); // ../shared is read-only, and cpSync keeps modes
      for (const f of walk(out, (p) => p.endsWith('.som') || p.endsWith('.oracle.js') || p.endsWith('.js'))) fs.rmSync(f);
      const r = spawnSync(process.execPath, [cli, 'compile', dir, '--out-dir', out, '--module', 'esm'], {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
      if (r.status !== 0) {
        failures.set(id, `compile failed: ${r.stderr.split('\n').slice(0, 4).join(' ')}`);
        continue;
      }
      fs.writeFileSync(path.join(out, 'package.json'), '{"type":"module"}\n');
      const run = await runNode(path.join(out, 'main.js'), out);
      const expected = fs.readFileSync(path.join(dir, 'expected.stdout'), 'utf8');
      if (run.code !== 0) failures.set(id, `exit ${run.code ?? run.signal}: ${run.stderr.split('\n').slice(0, 5).join(' ')}`);
      else if (run.stdout !== expected) failures.set(id, 'stdout differs from expected.stdout');
    }
  }
  assert.ok(ids.size > 0, 'no module projects found');
  assertKnown('esm-projects', failures, ids);
});

// Issue 11, "Done when": `check` honours the configuration file as `compile`
// does. Each scenario is a folder with a somon.config.json and main.som.
const CONFIG_SCENARIOS = {
  'invalid-config': {
    config: '{ "compilerOptions": { "target": 5 }, "нодуруст": 1 }\n',
    source: 'собит а = 1;\nчоп.сабт(а);\n',
  },
  'lang-tj': {
    config: '{ "compilerOptions": { "lang": "tj" } }\n',
    source: 'тағ а: рақам = "с";\nчоп.сабт(а);\n',
  },
};

function outcome(args, cwd) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const text = r.stdout + r.stderr;
  const codes = [...text.matchAll(/"code":"([A-Z_]+)"|error\[([A-Z_]+)\]/g)].map((m) => m[1] ?? m[2]).sort();
  const messages = [...text.matchAll(/"message":"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]).sort();
  return { status: r.status, codes, messages };
}

test('somon check honours somon.config.json as somon compile does', () => {
  const failures = new Map();
  for (const [name, s] of Object.entries(CONFIG_SCENARIOS)) {
    const dir = path.join(tmp, 'config', name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'somon.config.json'), s.config);
    fs.writeFileSync(path.join(dir, 'main.som'), s.source);
    const checked = outcome(['check', 'main.som', '--diagnostics', 'json'], dir);
    const compiled = outcome(['compile', 'main.som', '--out-dir', path.join(dir, 'out'), '--diagnostics', 'json'], dir);
    assert.ok(compiled.codes.length > 0, `${name}: compile reports nothing, the scenario tests nothing`);
    if (JSON.stringify(checked) !== JSON.stringify(compiled)) {
      failures.set(`config/${name}`, `check ${JSON.stringify(checked)} compile ${JSON.stringify(compiled)}`);
    }
  }
  assertKnown('check-config', failures, new Set(Object.keys(CONFIG_SCENARIOS).map((n) => `config/${n}`)));
});
