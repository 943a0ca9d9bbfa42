// The addon loads anywhere (issue 17, item 2): in worker threads that come
// and go (test runners and pools such as Piscina recycle workers), and as
// two copies in one process (two versions in one node_modules tree). Each
// scenario runs in a child process, so a crash is a failed test, not a
// crashed test runner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root, scratch } from './helpers.mjs';

/** The native addon file the package loads. */
function addonFile() {
  const name = fs.readdirSync(root).find((f) => /^somonscript\..*\.node$/.test(f));
  assert.ok(name, 'no built addon in the package root');
  return path.join(root, name);
}

/** Runs `script` (CommonJS) in a fresh Node process. */
function runScript(script) {
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60000 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

// A worker that loads the addon, compiles one line and reports the code.
const workerHelpers = (addon) => `
const { Worker } = require('node:worker_threads');
const source = ${JSON.stringify(`const s = require(${JSON.stringify(addon)});
require('node:worker_threads').parentPort.postMessage(s.compile('чоп.сабт(1 + 1);').code);`)};
function worker() {
  return new Promise((resolve, reject) => {
    const w = new Worker(source, { eval: true });
    let code = null;
    w.once('message', (m) => (code = m));
    w.once('error', reject);
    w.once('exit', (exit) => (exit === 0 && code !== null ? resolve(code) : reject(new Error('worker exit ' + exit))));
  });
}
`;

test('two workers in sequence each load the addon (the first has exited)', () => {
  const r = runScript(`${workerHelpers(addonFile())}
(async () => {
  const a = await worker();
  const b = await worker();
  console.log(JSON.stringify([a, b]));
})().catch((e) => { console.error(e); process.exit(3); });`);
  assert.equal(r.signal, null, `crashed: ${r.signal}\n${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  const codes = JSON.parse(r.stdout);
  assert.equal(codes.length, 2);
  for (const c of codes) assert.match(c, /console\.log\(1 \+ 1\)/);
});

test('a recycled pool: workers one after another and several at once', () => {
  const r = runScript(`${workerHelpers(addonFile())}
(async () => {
  const results = [];
  for (let round = 0; round < 4; round++) {
    // Two or three at once, then all gone before the next round.
    results.push(...(await Promise.all(Array.from({ length: 2 + (round % 2) }, worker))));
  }
  // And the main thread loads it after its workers have gone.
  results.push(require(${JSON.stringify(addonFile())}).compile('чоп.сабт(1 + 1);').code);
  console.log(JSON.stringify(results));
})().catch((e) => { console.error(e); process.exit(3); });`);
  assert.equal(r.signal, null, `crashed: ${r.signal}\n${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  const codes = JSON.parse(r.stdout);
  assert.equal(codes.length, 2 + 3 + 2 + 3 + 1);
  for (const c of codes) assert.match(c, /console\.log\(1 \+ 1\)/);
});

test('two copies of the addon load and work in one process', () => {
  const dir = scratch();
  const copy = path.join(dir, 'copy', path.basename(addonFile()));
  fs.mkdirSync(path.dirname(copy));
  fs.copyFileSync(addonFile(), copy);
  const r = runScript(`
const a = require(${JSON.stringify(addonFile())});
const b = require(${JSON.stringify(copy)});
console.log(JSON.stringify([a !== b, a.compile('чоп.сабт(1);').code, b.compile('чоп.сабт(2);').code]));`);
  assert.equal(r.signal, null, `crashed: ${r.signal}\n${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  const [distinct, one, two] = JSON.parse(r.stdout);
  assert.equal(distinct, true);
  assert.match(one, /console\.log\(1\)/);
  assert.match(two, /console\.log\(2\)/);
});
