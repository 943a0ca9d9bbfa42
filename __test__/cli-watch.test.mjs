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
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  try {
    const a = path.join(dir, 'dist', 'а.js');
    const b = path.join(dir, 'dist', 'б.js');
    await until(() => stderr.includes('watching 2 file(s)'), 'the first build');
    const bBefore = fs.readFileSync(b, 'utf8');
    const bStat = fs.statSync(b).mtimeMs;

    fs.writeFileSync(path.join(dir, 'src', 'а.som'), 'чоп.сабт(10);\n');
    await until(() => fs.readFileSync(a, 'utf8').includes('console.log(10)'), 'а.js to be recompiled');
    assert.equal(fs.readFileSync(b, 'utf8'), bBefore);
    assert.equal(fs.statSync(b).mtimeMs, bStat, 'б.js was not rewritten');

    fs.writeFileSync(path.join(dir, 'src', 'а.som'), 'тағ = ;\n');
    await until(() => stderr.includes('error[SYNTAX]'), 'the syntax error');
    assert.match(fs.readFileSync(a, 'utf8'), /console\.log\(10\)/, 'a failed build leaves the old output');

    fs.writeFileSync(path.join(dir, 'src', 'в.som'), 'чоп.сабт(3);\n');
    await until(() => fs.existsSync(path.join(dir, 'dist', 'в.js')), 'a new file');

    fs.rmSync(path.join(dir, 'src', 'б.som'));
    await until(() => stderr.includes('removed: src/б.som'), 'the deletion');
    assert.equal(child.exitCode, null, 'still running');
  } finally {
    child.kill('SIGTERM');
  }
  const { signal } = await exited;
  assert.equal(signal, 'SIGTERM');
});
