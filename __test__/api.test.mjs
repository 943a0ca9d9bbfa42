import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { somon, root } from './helpers.mjs';

test('the package loads and reports its version', () => {
  assert.equal(typeof somon.compile, 'function');
  assert.equal(typeof somon.compileAsync, 'function');
  assert.match(somon.version(), /^\d+\.\d+\.\d+/);
});

test('compile returns code and no diagnostics for a valid program', () => {
  const r = somon.compile('тағ а = 1 - (2 - 3);\nчоп.сабт(а * (2 + 3));\n');
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.warnings, []);
  assert.match(r.code, /^"use strict";/);
  assert.match(r.code, /let а = 1 - \(2 - 3\);/);
  assert.match(r.code, /console\.log\(а \* \(2 \+ 3\)\);/);
});

test('syntax errors are structured diagnostics and no code is returned', () => {
  const r = somon.compile('тағ х = (1 + 2;\n', { fileName: 'бад.som' });
  assert.equal(r.code, '');
  assert.equal(r.diagnostics.length, 1);
  const [d] = r.diagnostics;
  assert.deepEqual(
    { severity: d.severity, code: d.code, file: d.file, line: d.line, column: d.column },
    { severity: 'error', code: 'SYNTAX', file: 'бад.som', line: 1, column: 15 },
  );
  assert.equal(d.snippet, 'тағ х = (1 + 2;');
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0], /^Parse error: .* at line 1, column 15$/);
});

test('messages follow the lang option', () => {
  const src = 'тағ х = "сатр\n';
  const en = somon.compile(src).diagnostics[0].message;
  const tj = somon.compile(src, { lang: 'tj' }).diagnostics[0].message;
  const ru = somon.compile(src, { lang: 'ru' }).diagnostics[0].message;
  assert.notEqual(en, tj);
  assert.notEqual(en, ru);
  assert.match(tj, /сатр/);
});

test('invalid options are rejected with the valid values', () => {
  assert.throws(() => somon.compile('', { target: 'es3' }), /es5, es2015/);
  assert.throws(() => somon.compile('', { module: 'amd' }), /cjs, esm/);
});

test('source maps point into the .som file', () => {
  const r = somon.compile('тағ а = 1;\nчоп.сабт(а);\n', { sourceMap: true, fileName: 'асосӣ.som' });
  const map = JSON.parse(r.map);
  assert.deepEqual(map.sources, ['асосӣ.som']);
  assert.equal(map.sourcesContent, undefined);
  assert.ok(map.mappings.length > 0);
  const inline = somon.compile('тағ а = 1;', { sourceMap: 'inline', inlineSources: true });
  assert.match(inline.code, /sourceMappingURL=data:application\/json/);
});

test('compileAsync resolves off the main thread', async () => {
  const r = await somon.compileAsync('чоп.сабт(1 + 2 * 3);');
  assert.match(r.code, /console\.log\(1 \+ 2 \* 3\)/);
});

test('the event loop stays responsive during a large async compile', async () => {
  const body = Array.from({ length: 20000 }, (_, i) => `тағ қ${i} = ${i} * (2 + ${i}) - (3 - ${i});`).join('\n');
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const started = Date.now();
  const r = await somon.compileAsync(body);
  clearInterval(timer);
  assert.equal(r.diagnostics.length, 0);
  const elapsed = Date.now() - started;
  // The timer fired while the compile ran on another thread.
  assert.ok(ticks > 0, `no timer tick in ${elapsed} ms`);
});

test('compileAsync can be cancelled before it starts', async () => {
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(somon.compileAsync('тағ а = 1;', {}, controller.signal));
});

test('compileAsync works inside a worker thread', async () => {
  const code = `
    const { parentPort } = require('node:worker_threads');
    const somon = require(${JSON.stringify(root)});
    somon.compileAsync('чоп.сабт("аз коргар");').then((r) => parentPort.postMessage(r.code));
  `;
  const worker = new Worker(code, { eval: true });
  const message = await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  assert.match(message, /console\.log\("аз коргар"\)/);
});

test('output is deterministic', () => {
  const src = 'синф А { #х = 1; гир х() { бозгашт ин.#х; } }\nчоп.сабт(нав А().х);';
  const a = somon.compile(src, { sourceMap: true, target: 'es5' });
  const b = somon.compile(src, { sourceMap: true, target: 'es5' });
  assert.equal(a.code, b.code);
  assert.equal(a.map, b.map);
});
