// The Node.js lines of package.json's `engines` are the ones the fail-fast
// check accepts, in production too; any other line is NODE_VERSION.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { root, scratch, somon } from './helpers.mjs';

const engines = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).engines.node;
const majors = [...engines.matchAll(/\^(\d+)\./g)].map((m) => m[1]);

test('engines lists Node.js 20, 22 and 24', () => {
  assert.deepEqual(majors, ['20', '22', '24']);
});

test('every line of engines passes the production check; others stop with NODE_VERSION', () => {
  const dir = scratch({ 'main.som': 'чоп.сабт(1);\n' });
  const check = (nodeVersion) =>
    somon.__internalRunCli(['compile', path.join(dir, 'main.som'), '-o', path.join(dir, 'main.js'), '--production'], { cwd: dir, color: false, lang: 'en', nodeVersion });
  for (const major of majors) {
    assert.equal(check(`v${major}.3.1`).exitCode, 0, `Node ${major}`);
  }
  for (const other of ['v18.19.0', 'v21.7.0', 'v23.1.0', 'v26.0.0']) {
    assert.equal(check(other).exitCode, 2, other);
  }
});
