// The internal `timings` option of compile (benchmark/compile.mjs --stages):
// absent unless asked, the stages in pipeline order when asked, the output
// unchanged, and a non-boolean value refused like every other option.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { somon } from './helpers.mjs';

const SOURCE = 'тағ х: рақам = 2;\nчоп.сабт(х * 3);\n';

test('compile returns no timings unless asked', () => {
  const r = somon.compile(SOURCE);
  assert.equal(r.timings ?? null, null);
});

test('timings: true lists each stage once, in order, with the same code', async () => {
  const plain = somon.compile(SOURCE, { sourceMap: true });
  const timed = somon.compile(SOURCE, { sourceMap: true, timings: true });
  assert.equal(timed.code, plain.code);
  assert.equal(timed.map, plain.map);
  const names = timed.timings.map((t) => t.stage);
  // compile() type-checks on the calling thread while its pipeline thread
  // lowers and emits: the check's stage says so.
  for (const stage of ['lex', 'parse', 'bind + check (concurrent)', 'lower', 'swc hygiene', 'codegen', 'source map']) {
    assert.ok(names.includes(stage), `${stage} in ${names.join(', ')}`);
  }
  assert.ok(names.indexOf('lex') < names.indexOf('parse'));
  assert.ok(names.indexOf('lower') < names.indexOf('codegen'));
  for (const t of timed.timings) assert.ok(Number.isFinite(t.ms) && t.ms >= 0, `${t.stage}: ${t.ms}`);
  const asyncTimed = await somon.compileAsync(SOURCE, { timings: true });
  assert.deepEqual(asyncTimed.timings.map((t) => t.stage).slice(0, 3), ['lex', 'parse', 'bind + check']);
});

test('timings must be a boolean', () => {
  assert.throws(() => somon.compile(SOURCE, { timings: 'yes' }), TypeError);
});
