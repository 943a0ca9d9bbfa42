// The checker corpus's TypeScript twins (issue 11): every case of
// tests/checker is translated by scripts/som2ts.mjs (keywords and built-in
// names only, lines preserved) and type-checked by TypeScript's own compiler
// with --strict, in one Program. Valid twins (run/, errors/valid/, modules/)
// must have no errors; error twins must fail on exactly the lines of their
// .expect (or `expect`) file. A first-line comment `// tsc: +N,M reason` or
// `// tsc: -N reason` documents a deliberate difference from TypeScript.
// The expected stdout files must be what the twins print.

import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  listCases,
  writeTwins,
  typecheckTwins,
  compareTwin,
  tscNote,
  runTwin,
  stdoutFile,
} from '../scripts/checker-corpus.mjs';

const cases = listCases();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'somon-twins-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const twinDirs = writeTwins(cases, path.join(tmp, 'ts'));

test('the corpus has at least 150 cases of every kind', () => {
  const kinds = {};
  for (const c of cases) kinds[c.kind] = (kinds[c.kind] ?? 0) + 1;
  assert.ok(cases.length >= 150, `only ${cases.length} cases`);
  for (const k of ['run', 'valid', 'error', 'module', 'project-error']) assert.ok(kinds[k] > 0, `no ${k} cases`);
});

test('every case file is UTF-8 with LF line ends and no BOM; error cases have expectations', () => {
  for (const c of cases) {
    for (const f of c.files) {
      const text = fs.readFileSync(path.join(c.dir, f), 'utf8');
      assert.ok(!text.includes('\r'), `${c.id}/${f} has CR`);
      assert.ok(!text.startsWith('\ufeff'), `${c.id}/${f} has a BOM`);
    }
    if (c.kind === 'error' || c.kind === 'project-error') {
      const lines = (
        c.kind === 'error'
          ? fs.readFileSync(path.join(c.dir, c.main.replace(/\.som$/, '.expect')), 'utf8')
          : fs.readFileSync(path.join(c.dir, 'expect'), 'utf8')
      )
        .split('\n')
        .filter(Boolean);
      assert.ok(lines.length > 0, `${c.id}: empty expectation`);
      const re = c.kind === 'error' ? /^[A-Z_]+ \d+:\d+$/ : /^\S+\.som [A-Z_]+ \d+:\d+$/;
      for (const l of lines) assert.match(l, re, `${c.id}: malformed expectation line`);
    } else {
      assert.ok(fs.existsSync(stdoutFile(c)), `${c.id}: no expected stdout`);
    }
  }
});

test('tsc --strict agrees with every case', () => {
  const diags = typecheckTwins(cases, twinDirs);
  const failures = [];
  for (const c of cases) {
    const f = compareTwin(c, diags.get(c.id));
    if (f) failures.push(f);
    const note = tscNote(c);
    if (note.extra.size || note.missing.size) {
      assert.ok(note.reasons.every((r) => r.length > 20), `${c.id}: a // tsc: note needs a real reason`);
    }
  }
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

test('deliberate differences from tsc stay rare', () => {
  const noted = cases.filter((c) => {
    const n = tscNote(c);
    return n.extra.size || n.missing.size;
  });
  assert.ok(noted.length * 10 <= cases.length, `${noted.length} of ${cases.length} cases differ from tsc`);
});

test('expected stdout is what the TypeScript twin prints', async () => {
  const runnable = cases.filter((c) => ['run', 'valid', 'module'].includes(c.kind));
  const failures = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < runnable.length) {
        const c = runnable[next++];
        const r = await runTwin(c, twinDirs.get(c.id), path.join(tmp, 'js', c.id.replace(/\.som$/, '')));
        const expected = fs.readFileSync(stdoutFile(c), 'utf8');
        if (r.code !== 0) failures.push(`${c.id}: exit ${r.code}: ${r.stderr.split('\n').slice(0, 3).join(' ')}`);
        else if (r.stdout !== expected) failures.push(`${c.id}: stdout differs (run scripts/make-checker-expected.mjs)`);
      }
    }),
  );
  assert.deepEqual(failures, [], failures.join('\n'));
});
