// `вагарна агар` chains do not count towards the nesting limit, and long
// ones are emitted flat, so a 5,000-branch chain compiles and runs (plain
// Node cannot even parse 5,000 nested `else if`s).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { somon, scratch } from './helpers.mjs';

function chain(n, pick) {
  let s = `тағ х = ${pick};\nагар (х === 0) { чоп.сабт("0"); }\n`;
  for (let i = 1; i < n; i++) s += `вагарна агар (х === ${i}) { чоп.сабт("${i}"); }\n`;
  return `${s}вагарна { чоп.сабт("ҳеҷ"); }\n`;
}

function run(code) {
  const dir = scratch();
  fs.writeFileSync(path.join(dir, 'занҷир.js'), code);
  return spawnSync(process.execPath, [path.join(dir, 'занҷир.js')], { encoding: 'utf8' });
}

for (const [n, pick, want] of [
  [5000, 4999, '4999'],
  [5000, 0, '0'],
  [5000, 5000, 'ҳеҷ'],
  [300, 123, '123'],
  [150, 149, '149'],
]) {
  test(`a ${n}-branch chain picking ${pick} compiles and runs`, () => {
    const r = somon.compile(chain(n, pick), { fileName: 'занҷир.som' });
    assert.deepEqual(r.diagnostics, []);
    const out = run(r.code);
    assert.equal(out.status, 0, out.stderr);
    assert.equal(out.stdout, `${want}\n`);
  });
}

test('a flat chain keeps break/continue of an enclosing loop and block scoping', () => {
  let s = 'тағ ҷамъ = 0;\nбарои (тағ и = 0; и < 6; и++) {\n  агар (и === 0) { давом; }\n';
  for (let i = 1; i < 400; i++) s += `  вагарна агар (и === ${i}) { собит к = ${i}; ҷамъ += к; агар (и === 4) шикастан; }\n`;
  s += '  вагарна { ҷамъ += 1000; }\n  ҷамъ += 10;\n}\nчоп.сабт(ҷамъ);\n';
  const r = somon.compile(s, { fileName: 'ҳалқа.som', target: 'es5' });
  assert.deepEqual(r.diagnostics, []);
  const out = run(r.code);
  assert.equal(out.status, 0, out.stderr);
  // и = 1, 2, 3 add themselves and 10; и = 4 adds 4 and leaves the loop.
  assert.equal(out.stdout, `${1 + 2 + 3 + 4 + 30}\n`);
});

test('deep nesting that is not an else-if chain is still DEPTH', () => {
  const src = `${'агар (дуруст) { '.repeat(500)}чоп.сабт(1);${' }'.repeat(500)}\n`;
  const r = somon.compile(src, { fileName: 'чуқур.som' });
  assert.ok(r.diagnostics.some((d) => d.code === 'DEPTH'));
});

test('source-map lines count U+2028 and U+2029 as line ends, as diagnostics do', async () => {
  const { SourceMap } = await import('node:module');
  const src = 'тағ а = 1\u2028а = а + 1\u2029партофтан нав Error("х");\n';
  const r = somon.compile(src, { fileName: 'сатрҳо.som', sourceMap: true });
  const map = new SourceMap(JSON.parse(r.map));
  const lines = r.code.split('\n');
  const at = lines.findIndex((l) => l.includes('throw'));
  const entry = map.findEntry(at, lines[at].indexOf('throw'));
  const bad = somon.compile('тағ а = 1\u2028а = ;\n', { fileName: 'б.som' });
  assert.equal(entry.originalLine + 1, 3);
  assert.equal(bad.diagnostics[0].line, 2);
});

// compile() type-checks on the calling thread (a worker's stack can be as
// small as 1 MB) while its pipeline thread emits: chains, which have no
// nesting limit, must neither overflow that stack nor be copied or freed
// there.
test('long chains compile in a worker with a 1 MB stack', async () => {
  const sum = `1${' + 1'.repeat(30000)}`;
  const sources = [
    `тағ а: ҳар = {};\nтағ б = а${'?.в'.repeat(30000)};\nчоп.сабт(б);\n`,
    `тағ с = ${sum};\nчоп.сабт(с);\n`,
    `тағ а: ҳар = 1;\nинтихоб (а) { ҳолат ${sum}: а = ${sum}; }\nчоп.сабт(а);\n`,
    `тағ а: ҳар = {};\nа${'!.в'.repeat(30000)} = 1;\n`,
  ];
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const somon = require(workerData.root);
    parentPort.postMessage(workerData.sources.map((s) => {
      const r = somon.compile(s, { fileName: 'занҷир.som' });
      return [r.code ? r.code.length : 0, r.diagnostics.map((d) => d.code)];
    }));`;
  const root = new URL('..', import.meta.url).pathname;
  const results = await new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { root, sources }, resourceLimits: { stackSizeMb: 1 } });
    w.once('message', resolve);
    w.once('error', reject);
    w.once('exit', (c) => c !== 0 && reject(new Error(`worker exited with ${c}`)));
  });
  for (const [length, codes] of results) {
    assert.deepEqual(codes, []);
    assert.ok(length > 0);
  }
  const out = run(somon.compile(sources[1], { fileName: 'ҷамъ.som' }).code);
  assert.equal(out.stdout, '30001\n');
});
