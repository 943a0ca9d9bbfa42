// The API boundary (issue 17, item 8): options of the wrong shape are
// TypeErrors (never ignored, never a JSON error), an AbortSignal is
// followed with addEventListener and let go when the call settles, one
// panicking file does not lose the others' results, and a crash under the
// CLI prints the "compiler bug" page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, scratch, somon } from './helpers.mjs';

const SOURCE = 'чоп.сабт(1);\n';

function isTypeError(pattern) {
  return (e) => {
    assert.ok(e instanceof TypeError, `${e?.constructor?.name}: ${e?.message}`);
    assert.equal(e.code, 'ERR_INVALID_ARG_TYPE');
    assert.match(e.message, pattern);
    return true;
  };
}

test('options that are not plain objects are TypeErrors in every export', () => {
  const dir = scratch({ 'а.som': SOURCE });
  const entry = path.join(dir, 'а.som');
  for (const [value, name] of [
    [5, 'a number'],
    ['es5', 'a string'],
    [[], 'an array'],
    [true, 'a boolean'],
  ]) {
    const pattern = new RegExp(`options must be an object, not ${name}`);
    assert.throws(() => somon.compile(SOURCE, value), isTypeError(pattern));
    assert.throws(() => somon.compileAsync(SOURCE, value), isTypeError(pattern));
    assert.throws(() => somon.bundleSync(entry, value), isTypeError(pattern));
    assert.throws(() => somon.bundle(entry, value), isTypeError(pattern));
    assert.throws(() => somon.compileFiles([dir], value), isTypeError(pattern));
    assert.throws(() => somon.check([dir], value), isTypeError(pattern));
  }
  // undefined and null mean "no options".
  assert.match(somon.compile(SOURCE, undefined).code, /console\.log\(1\)/);
  assert.match(somon.compile(SOURCE, null).code, /console\.log\(1\)/);
});

test('options of the wrong type, and unknown options, are TypeErrors naming them', () => {
  const dir = scratch({ 'а.som': SOURCE });
  const entry = path.join(dir, 'а.som');
  assert.throws(() => somon.compile(SOURCE, { target: 5 }), isTypeError(/options\.target must be a string, not a number/));
  assert.throws(() => somon.compile(SOURCE, { minify: 'yes' }), isTypeError(/options\.minify must be a boolean, not a string/));
  assert.throws(() => somon.compile(SOURCE, { sourceMap: {} }), isTypeError(/options\.sourceMap must be a boolean or a string, not an object/));
  assert.throws(() => somon.compile(SOURCE, { targt: 'es5' }), isTypeError(/unknown option `targt` in options; known options: fileName, target/));
  assert.throws(() => somon.bundleSync(entry, { external: 'fs' }), isTypeError(/options\.external must be an array of strings, not a string/));
  assert.throws(() => somon.bundleSync(entry, { external: ['fs', 1] }), isTypeError(/options\.external must be an array of strings, not an array/));
  // Values are still checked after their type (a known name, a valid value).
  assert.throws(() => somon.compile(SOURCE, { target: 'es3' }), /invalid target `es3`/);
});

test('a circular or self-referencing options object is no JSON error', () => {
  const dir = scratch({ 'а.som': SOURCE });
  const circular = { target: 'es2020' };
  circular.loop = circular;
  assert.throws(() => somon.compile(SOURCE, circular), isTypeError(/unknown option `loop`/));
  const inArray = [];
  inArray.push(inArray);
  assert.throws(
    () => somon.bundleSync(path.join(dir, 'а.som'), { external: inArray }),
    isTypeError(/options\.external must be an array of strings, not an array/),
  );
  const ok = { target: 'es2020', minify: false };
  assert.match(somon.compile(SOURCE, ok).code, /console\.log\(1\)/);
});

test('a signal of the wrong type is a TypeError', () => {
  assert.throws(() => somon.compileAsync(SOURCE, {}, 5), isTypeError(/signal must be an AbortSignal, not a number/));
  assert.throws(() => somon.compileAsync(SOURCE, {}, {}), isTypeError(/signal must be an AbortSignal, not an object/));
});

test('an already aborted signal rejects with its reason', async () => {
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(somon.compileAsync(SOURCE, {}, controller.signal), (e) => e.name === 'AbortError');
  const custom = new AbortController();
  const reason = new Error('stop, please');
  custom.abort(reason);
  await assert.rejects(somon.compileAsync(SOURCE, {}, custom.signal), (e) => e === reason);
});

test("the caller's onabort is left alone and the listener leaves when the call settles", async () => {
  const controller = new AbortController();
  const { signal } = controller;
  let calls = 0;
  const mine = () => calls++;
  signal.onabort = mine;
  const before = getEventListeners(signal, 'abort').length;
  const pending = somon.compileAsync(SOURCE, {}, signal);
  assert.equal(signal.onabort, mine);
  assert.equal(getEventListeners(signal, 'abort').length, before + 1);
  const r = await pending;
  assert.match(r.code, /console\.log\(1\)/);
  assert.equal(getEventListeners(signal, 'abort').length, before);
  // A later abort reaches only the caller's own handler and harms nothing.
  controller.abort();
  assert.equal(calls, 1);
  assert.equal(signal.onabort, mine);
  // The signal is aborted now: a new call with it rejects.
  await assert.rejects(somon.compileAsync(SOURCE, {}, signal), (e) => e.name === 'AbortError');
  assert.equal(getEventListeners(signal, 'abort').length, before);
});

test('a call aborted while queued behind busy pool threads rejects', async () => {
  // Keep the libuv pool busy with larger compiles, then queue one more.
  const big = 'тағ а = 0;\n' + 'а = а + 1;\n'.repeat(20000);
  const busy = Array.from({ length: 6 }, () => somon.compileAsync(big));
  const controller = new AbortController();
  const queued = somon.compileAsync(SOURCE, {}, controller.signal);
  controller.abort();
  await assert.rejects(queued, (e) => e.name === 'AbortError');
  for (const r of await Promise.all(busy)) assert.equal(r.diagnostics.length, 0);
});

test('compileFiles and bundle can be aborted after they started', async () => {
  const files = {};
  for (let i = 0; i < 60; i++) files[`ф${i}.som`] = `тағ а${i} = ${i};\nчоп.сабт(а${i});\n`;
  const dir = scratch(files);
  const controller = new AbortController();
  const running = somon.compileFiles([dir], {}, controller.signal);
  setImmediate(() => controller.abort());
  await assert.rejects(running, (e) => e.name === 'AbortError');
  const b = new AbortController();
  const bundling = somon.bundle(path.join(dir, 'ф1.som'), {}, b.signal);
  b.abort();
  await assert.rejects(bundling, (e) => e.name === 'AbortError');
  // Without an abort the same calls work.
  assert.equal((await somon.compileFiles([dir])).length, 60);
});

test('a file whose compile panics gets an INTERNAL diagnostic; the other files keep their results', async () => {
  const dir = scratch({ 'а.som': SOURCE, 'б.som': SOURCE, 'в.som': 'чоп.сабт(3);\n' });
  process.env.SOMON_INTERNAL_TEST_PANIC = 'б.som';
  try {
    for (const check of [false, true]) {
      const results = await (check ? somon.check([dir]) : somon.compileFiles([dir]));
      const byName = Object.fromEntries(results.map((r) => [path.basename(r.file), r]));
      assert.deepEqual(Object.keys(byName).sort(), ['а.som', 'б.som', 'в.som']);
      assert.deepEqual(byName['б.som'].diagnostics.map((d) => d.code), ['INTERNAL']);
      assert.match(byName['б.som'].diagnostics[0].message, /internal compiler error \(this is a bug in somonscript/);
      assert.deepEqual(byName['а.som'].diagnostics, []);
      assert.deepEqual(byName['в.som'].diagnostics, []);
      if (!check) assert.match(byName['в.som'].code, /console\.log\(3\)/);
    }
  } finally {
    delete process.env.SOMON_INTERNAL_TEST_PANIC;
  }
});

test('resolve and __internalRequestShutdown answer through the boundary', () => {
  const answer = somon.__internalRequestShutdown('SIGTERM');
  assert.equal(answer.state, 'idle');
  assert.equal(answer.deadlineMs, undefined);
  assert.equal(somon.resolve('fs').kind, 'builtin');
  assert.throws(() => somon.resolve('./нест'), /MODULE_NOT_FOUND/);
});

test('a crash under the CLI prints the compiler-bug page and exits 70', () => {
  const dir = scratch({ 'а.som': SOURCE });
  const r = runCli(['compile', 'а.som'], { cwd: dir, env: { SOMON_INTERNAL_TEST_PANIC: 'cli' } });
  assert.equal(r.status, 70, r.stderr);
  assert.match(r.stderr, /error\[INTERNAL\]: the compiler crashed\. This is a bug in SomonScript, not in your program\./);
  assert.match(r.stderr, new RegExp(`version: +somonscript ${somon.version().replace(/\./g, '\\.')}`));
  assert.match(r.stderr, new RegExp(`platform: +${process.platform === 'darwin' ? 'macos' : process.platform} `));
  assert.match(r.stderr, /Node\.js v\d+/);
  assert.match(r.stderr, /panic: +SOMON_INTERNAL_TEST_PANIC=cli \(crates\/somon_cli\/src\/lib\.rs:\d+:\d+\)/);
  assert.match(r.stderr, /issue tracker/);
  // Once, without Rust's own panic message or a JavaScript stack.
  assert.equal(r.stderr.match(/the compiler crashed/g).length, 1);
  assert.doesNotMatch(r.stderr, /thread '.*' panicked|at main|node:internal/);
  const tj = runCli(['compile', 'а.som', '--lang', 'tj'], { cwd: dir, env: { SOMON_INTERNAL_TEST_PANIC: 'cli' } });
  assert.equal(tj.status, 70);
  assert.match(tj.stderr, /компилятор аз кор монд\. Ин хатои SomonScript аст/);
  assert.ok(!fs.existsSync(path.join(dir, 'а.js')));
});
