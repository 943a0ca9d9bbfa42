// `somon compile <folder> --out-dir dist` takes along the non-.som files the
// modules import (JSON, .js, .cjs, and what those import), so
// `node dist/main.js` prints what `somon run` prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, scratch } from './helpers.mjs';

const FILES = {
  'src/main.som': `ворид маълумот аз "./data.json";
ворид { салом } аз "./lib/helper.js";
ворид к аз "./lib/old.cjs";
чоп.сабт(маълумот.ном, салом("дунё"), к.қимат);
`,
  'src/data.json': '{"ном": "Сомон"}\n',
  'src/lib/helper.js': "const extra = require('./extra.json');\nexports.салом = (x) => `салом, ${x}${extra.end}`;\n",
  'src/lib/extra.json': '{"end": "!"}\n',
  'src/lib/old.cjs': 'module.exports = { қимат: 42 };\n',
  'src/notes/unused.json': '{}\n',
};

test('compiled output runs on its own, as somon run does', () => {
  const dir = scratch(FILES);
  const run = runCli(['run', 'src/main.som'], { cwd: dir });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /Сомон/);

  const r = runCli(['compile', 'src', '--out-dir', 'dist'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  for (const f of ['data.json', 'lib/helper.js', 'lib/extra.json', 'lib/old.cjs']) {
    assert.equal(fs.readFileSync(path.join(dir, 'dist', f), 'utf8'), FILES[`src/${f}`], f);
  }
  // Only what is imported goes along.
  assert.ok(!fs.existsSync(path.join(dir, 'dist/notes/unused.json')));
  const node = spawnSync(process.execPath, ['dist/main.js'], { cwd: dir, encoding: 'utf8' });
  assert.equal(node.status, 0, node.stderr);
  assert.equal(node.stdout, run.stdout);

  // Compiling again changes nothing; an edited asset is copied again.
  const before = fs.statSync(path.join(dir, 'dist/data.json')).mtimeMs;
  assert.equal(runCli(['compile', 'src', '--out-dir', 'dist'], { cwd: dir }).status, 0);
  assert.equal(fs.statSync(path.join(dir, 'dist/data.json')).mtimeMs, before);
  fs.writeFileSync(path.join(dir, 'src/data.json'), '{"ном": "Ҷаҳон"}\n');
  assert.equal(runCli(['compile', 'src', '--out-dir', 'dist'], { cwd: dir }).status, 0);
  const again = spawnSync(process.execPath, ['dist/main.js'], { cwd: dir, encoding: 'utf8' });
  assert.match(again.stdout, /^Ҷаҳон /);
});

test('outputs next to their sources copy nothing and never touch an input', () => {
  const dir = scratch(FILES);
  const r = runCli(['compile', 'src'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  for (const [name, text] of Object.entries(FILES)) {
    assert.equal(fs.readFileSync(path.join(dir, name), 'utf8'), text, name);
  }
  const node = spawnSync(process.execPath, ['src/main.js'], { cwd: dir, encoding: 'utf8' });
  assert.equal(node.status, 0, node.stderr);
});

test('watch --out-dir takes the imported files along too', async () => {
  const { spawn } = await import('node:child_process');
  const { setTimeout: sleep } = await import('node:timers/promises');
  const { cliPath } = await import('./helpers.mjs');
  const dir = scratch(FILES);
  const child = spawn(process.execPath, [cliPath, 'watch', 'src', '--out-dir', 'dist'], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const until = async (check, what) => {
    const end = Date.now() + 15000;
    while (Date.now() < end) {
      if (check()) return;
      await sleep(50);
    }
    assert.fail(`timed out waiting for ${what}`);
  };
  try {
    await until(() => fs.existsSync(path.join(dir, 'dist/main.js')) && fs.existsSync(path.join(dir, 'dist/lib/extra.json')), 'the first build');
    // A module that starts importing another file takes it along.
    fs.writeFileSync(path.join(dir, 'src/notes/n.som'), 'ворид х аз "./unused.json";\nчоп.сабт(х);\n');
    await until(() => fs.existsSync(path.join(dir, 'dist/notes/unused.json')), 'the newly imported file');
  } finally {
    child.kill('SIGTERM');
  }
  await exited;
  const node = spawnSync(process.execPath, ['dist/main.js'], { cwd: dir, encoding: 'utf8' });
  assert.equal(node.status, 0, node.stderr);
});
