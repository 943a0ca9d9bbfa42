// Regular expressions are lowered only for targets that lack their
// features, and the `v` flag (ES2024, which swc cannot lower) is refused
// below esnext instead of being emitted broken.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';

const require = createRequire(import.meta.url);
const { compile } = require('../index.js');

const run = (code) => {
  const lines = [];
  runInNewContext(code, {
    console: { log: (...a) => lines.push(a.join(' ')) },
    exports: {},
    module: { exports: {} },
    require,
  });
  return lines;
};

test('ES2018 regular-expression features stay literals from es2018 on, and are lowered below', () => {
  const src = 'собит а = /(?<сол>\\d{4})(?<=\\d)-./su;\nчоп.сабт(а.exec("2024-\\n")?.groups?.сол, а.flags);\n';
  for (const target of ['es2018', 'es2019', 'es2020', 'es2021', 'es2022', 'esnext']) {
    const out = compile(src, { target });
    assert.equal(out.diagnostics.length, 0, target);
    assert.ok(out.code.includes('/(?<сол>\\d{4})(?<=\\d)-./su'), `${target} keeps the literal:\n${out.code}`);
    assert.deepEqual(run(out.code), ['2024 su'], target);
  }
  for (const target of ['es2015', 'es2017']) {
    const out = compile(src, { target });
    assert.equal(out.diagnostics.length, 0, target);
    assert.ok(!out.code.includes('/(?<сол>'), `${target} replaces the literal:\n${out.code}`);
    assert.ok(out.code.includes('_wrap_reg_exp'), `${target} wraps named groups`);
    assert.deepEqual(run(out.code), ['2024 su'], target);
  }
});

test('the v flag compiles for esnext and is a REGEX diagnostic below it', () => {
  const src = 'собит б = /[\\p{L}--\\p{Ll}]/v;\nчоп.сабт(б.test("A"), б.test("a"));\n';
  const ok = compile(src, { target: 'esnext' });
  assert.equal(ok.diagnostics.length, 0);
  assert.deepEqual(run(ok.code), ['true false']);
  for (const target of ['es5', 'es2020', 'es2022']) {
    const out = compile(src, { target });
    assert.ok(!out.code, target);
    const d = out.diagnostics.map((x) => `${x.code} ${x.line}:${x.column}`);
    assert.deepEqual(d, ['REGEX 1:11'], target);
    assert.match(out.diagnostics[0].message, new RegExp(target));
  }
});
