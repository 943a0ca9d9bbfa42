// API soak: 100,000 `compile` calls in one process, and the resident set
// stays flat. Run by `.ci/run` (about 1.5–3 minutes with the dev addon, so
// not part of `npm test`):
//
//   node --expose-gc --test __test__/soak/compile-soak.test.mjs
//
// SOMON_SOAK_CALLS changes the number of calls (e.g. 20000 for a quick look).
//
// The calls mix what a long-running host (a bundler plugin, a dev server)
// does: small programs compiled to code, with a source map, and programs
// with type and syntax errors (diagnostics built and returned). Every
// result is checked, so a call that silently stops working fails too.
//
// Measure: RSS after a warm-up of 10,000 calls (allocator arenas, swc's
// interned atoms, V8's code caches have grown to their working size) and
// after every further 10,000; the test fails if the last reading exceeds
// the warm-up reading by more than TOLERANCE_BYTES (16 MiB: a leak of
// ≥ 180 bytes per call shows; allocator page retention and V8 heap noise
// stay below it), or if the readings rise at every checkpoint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { somon } from '../helpers.mjs';

const CALLS = Number(process.env.SOMON_SOAK_CALLS ?? 100_000);
const WARM_UP = Math.min(10_000, Math.floor(CALLS / 10));
const CHECKPOINT = Math.max(1, Math.floor((CALLS - WARM_UP) / 9));
const TOLERANCE_BYTES = 16 * 1024 * 1024;

const PROGRAMS = [
  { source: (i) => `чоп.сабт(${i});\n`, options: {}, ok: true },
  {
    source: (i) => `функсия ҷамъ(а: рақам, б: рақам): рақам { бозгашт а + б; }\nчоп.сабт(ҷамъ(${i}, 3));\n`,
    options: { sourceMap: true },
    ok: true,
  },
  { source: (i) => `тағ н = ${i};\nн += 1;\n`, options: { target: 'es5' }, ok: true },
  { source: (i) => `собит х: рақам = "сатр ${i}";\n`, options: {}, ok: false },
  { source: (i) => `агар (${i} {\n`, options: {}, ok: false },
];

function settle() {
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
    globalThis.gc();
  }
  return process.memoryUsage.rss();
}

function call(i) {
  const p = PROGRAMS[i % PROGRAMS.length];
  const out = somon.compile(p.source(i), p.options);
  if (p.ok) {
    if (typeof out.code !== 'string' || out.code.length === 0 || out.errors.length !== 0) {
      assert.fail(`call ${i}: expected code, got ${JSON.stringify(out)}`);
    }
    if (p.options.sourceMap && typeof out.map !== 'string') assert.fail(`call ${i}: no source map`);
  } else if (out.code || out.diagnostics.length === 0) {
    assert.fail(`call ${i}: expected diagnostics and no code, got ${JSON.stringify(out)}`);
  }
}

test(`${CALLS} compile calls keep RSS flat`, (t) => {
  if (typeof globalThis.gc !== 'function') t.diagnostic('run with --expose-gc for steadier readings');
  let i = 0;
  for (; i < WARM_UP; i++) call(i);
  const base = settle();
  const readings = [];
  const started = Date.now();
  while (i < CALLS) {
    const end = Math.min(CALLS, i + CHECKPOINT);
    for (; i < end; i++) call(i);
    readings.push({ calls: i, rss: settle() });
  }
  const mb = (b) => (b / 1048576).toFixed(1);
  t.diagnostic(
    `RSS after ${WARM_UP} warm-up calls: ${mb(base)} MiB; then ` +
      readings.map((r) => `${r.calls}: ${mb(r.rss)}`).join(', ') +
      ` MiB; ${((Date.now() - started) / (CALLS - WARM_UP)).toFixed(3)} ms per call`,
  );
  const last = readings[readings.length - 1].rss;
  assert.ok(
    last - base <= TOLERANCE_BYTES,
    `RSS grew by ${mb(last - base)} MiB over ${CALLS - WARM_UP} calls (tolerance ${mb(TOLERANCE_BYTES)} MiB)`,
  );
  const rising = readings.every((r, k) => k === 0 || r.rss > readings[k - 1].rss + 256 * 1024);
  assert.ok(!(readings.length >= 5 && rising), `RSS rose at every checkpoint: ${readings.map((r) => mb(r.rss)).join(', ')}`);
});
