import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { cliPath, runCli, scratch } from './helpers.mjs';

test('Tajik and Russian command names work', () => {
  const dir = scratch({ 'а.som': 'чоп.сабт("салом");\n' });
  for (const name of ['иҷро', 'запустить', 'и', 'з']) {
    const r = runCli([name, 'а.som'], { cwd: dir });
    assert.equal(r.status, 0, `${name}: ${r.stderr}`);
    assert.equal(r.stdout, 'салом\n');
  }
  assert.equal(runCli(['компайл', 'а.som'], { cwd: dir }).status, 0);
  assert.ok(fs.existsSync(path.join(dir, 'а.js')));
  assert.equal(runCli(['санҷиш', 'а.som'], { cwd: dir }).status, 0);
});

test('--help speaks Tajik and Russian', () => {
  const tj = runCli(['--help'], { env: { LANG: 'tg_TJ.UTF-8' } });
  assert.equal(tj.status, 0);
  assert.match(tj.stdout, /Истифода:/);
  assert.match(tj.stdout, /Фармонҳо/);
  const ru = runCli(['compile', '--help', '--lang', 'ru']);
  assert.equal(ru.status, 0);
  assert.match(ru.stdout, /Использование:/);
  assert.match(ru.stdout, /Компилирует файлы/);
  const en = runCli(['bundle', '--help']);
  assert.match(en.stdout, /Usage:/);
});

test('init --yes creates a working project, and refuses a non-empty folder', () => {
  const dir = scratch();
  const r = runCli(['init', 'лоиҳа', '--yes'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const project = path.join(dir, 'лоиҳа');
  const pkg = JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8'));
  // A valid npm name: the Tajik folder name written in Latin letters.
  assert.equal(pkg.name, 'loiha');
  assert.deepEqual(Object.keys(pkg.scripts).sort(), ['build', 'dev', 'start', 'test']);
  assert.equal(pkg.scripts.dev, 'somon watch src --out-dir dist');
  assert.equal(pkg.type, undefined);
  const config = JSON.parse(fs.readFileSync(path.join(project, 'somon.config.json'), 'utf8'));
  assert.equal(config.compilerOptions.target, 'es2020');
  assert.ok(fs.existsSync(path.join(project, '.gitignore')));
  assert.ok(fs.existsSync(path.join(project, 'README.md')));
  const run = runCli(['run', 'src/main.som'], { cwd: project });
  assert.equal(run.stdout, 'Салом, ҷаҳон!\n', run.stderr);
  const again = runCli(['init', 'лоиҳа', '--yes'], { cwd: dir });
  assert.equal(again.status, 2);
  assert.match(again.stderr, /not empty/);
});

test('the init wizard reads its answers from standard input', () => {
  const dir = scratch();
  const r = spawnSync(process.execPath, [cliPath, 'init', 'нав'], {
    cwd: dir,
    input: 'барнома\nes2022\nesm\nn\nn\n',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  assert.equal(r.status, 0, r.stderr);
  const project = path.join(dir, 'нав');
  const pkg = JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8'));
  assert.equal(pkg.name, 'barnoma');
  // ES modules chosen: Node.js must load the emitted .js files as such.
  assert.equal(pkg.type, 'module');
  const config = JSON.parse(fs.readFileSync(path.join(project, 'somon.config.json'), 'utf8'));
  assert.deepEqual(config.compilerOptions, { target: 'es2022', module: 'esm', outDir: 'dist' });
  assert.ok(!fs.existsSync(path.join(project, '.gitignore')));
  assert.ok(!fs.existsSync(path.join(project, 'README.md')));
});
