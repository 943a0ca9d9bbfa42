import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { cliPath, scratch } from './helpers.mjs';

/** Polls `check` every 50 ms for up to 15 s. */
async function until(check, what) {
  const end = Date.now() + 15000;
  while (Date.now() < end) {
    if (check()) return;
    await sleep(50);
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('watch recompiles only what changed, reports errors and deletions, and keeps running', async () => {
  const dir = scratch({ 'src/а.som': 'чоп.сабт(1);\n', 'src/б.som': 'чоп.сабт(2);\n' });
  const child = spawn(process.execPath, [cliPath, 'watch', 'src', '--out-dir', 'dist'], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d) => (stdout += d));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  try {
    const a = path.join(dir, 'dist', 'а.js');
    const b = path.join(dir, 'dist', 'б.js');
    await until(() => stderr.includes('INFO build succeeded modules=2 compiled=2'), 'the first build');
    const bBefore = fs.readFileSync(b, 'utf8');
    const bStat = fs.statSync(b).mtimeMs;

    fs.writeFileSync(path.join(dir, 'src', 'а.som'), 'чоп.сабт(10);\n');
    await until(() => fs.readFileSync(a, 'utf8').includes('console.log(10)'), 'а.js to be recompiled');
    assert.equal(fs.readFileSync(b, 'utf8'), bBefore);
    assert.equal(fs.statSync(b).mtimeMs, bStat, 'б.js was not rewritten');

    fs.writeFileSync(path.join(dir, 'src', 'а.som'), 'тағ = ;\n');
    await until(() => stdout.includes('error[SYNTAX]'), 'the syntax error (the build report is on stdout)');
    assert.ok(!stderr.includes('error[SYNTAX]'), 'logs and reports do not share a stream');
    assert.match(fs.readFileSync(a, 'utf8'), /console\.log\(10\)/, 'a failed build leaves the old output');

    fs.writeFileSync(path.join(dir, 'src', 'в.som'), 'чоп.сабт(3);\n');
    await until(() => fs.existsSync(path.join(dir, 'dist', 'в.js')), 'a new file');

    fs.rmSync(path.join(dir, 'src', 'б.som'));
    await until(() => stderr.includes('INFO removed from the build file=src/б.som'), 'the deletion');
    assert.equal(child.exitCode, null, 'still running');
  } finally {
    child.kill('SIGTERM');
  }
  // A signal is a graceful shutdown: exit 0 once everything is closed.
  const { code } = await exited;
  assert.equal(code, 0);
  assert.match(stderr, /INFO shutting down reason=SIGTERM/);
  assert.match(stderr, /INFO shutdown complete/);
});
