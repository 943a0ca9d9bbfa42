// No output ever replaces an input (issue 17, item 1): every file the module
// graph read (sources, JavaScript, JSON, the configuration file) is refused
// as an output of compile, bundle and the bundle watcher, naming both paths;
// a read-only output is refused; a replaced output keeps its mode bits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { cliPath, runCli, scratch } from './helpers.mjs';

const read = (dir, name) => fs.readFileSync(path.join(dir, name), 'utf8');

const project = () =>
  scratch({
    'main.som': 'ворид { ҷамъ } аз "./lib";\nворид ёр аз "./helper.js";\nворид маълумот аз "./data.json";\nчоп.сабт(ҷамъ(1, 2), ёр, маълумот);\n',
    'lib.som': 'содир функсия ҷамъ(а: рақам, б: рақам): рақам { бозгашт а + б; }\n',
    'helper.js': 'module.exports = 42;\n',
    'data.json': '{ "а": 1 }\n',
    'somon.config.json': '{ "compilerOptions": { "target": "es2020" } }\n',
  });

test('bundle refuses every file of the module graph as its output, naming both', () => {
  const dir = project();
  const before = Object.fromEntries(
    ['main.som', 'lib.som', 'helper.js', 'data.json', 'somon.config.json'].map((f) => [f, read(dir, f)]),
  );
  for (const [output, input] of [
    ['lib.som', 'lib.som'],
    ['helper.js', 'helper.js'],
    ['data.json', 'data.json'],
    ['somon.config.json', 'somon.config.json'],
    ['./sub/../lib.som', 'lib.som'],
  ]) {
    const r = runCli(['bundle', 'main.som', '-o', output], { cwd: dir });
    assert.equal(r.status, 2, `${output}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /error\[OUTPUT_IS_INPUT\]/);
    assert.ok(r.stderr.includes(`would overwrite ${input}, a file this build reads`), r.stderr);
  }
  // Through a symbolic link to an input, too.
  fs.symlinkSync(path.join(dir, 'lib.som'), path.join(dir, 'link.js'));
  const viaLink = runCli(['bundle', 'main.som', '-o', 'link.js'], { cwd: dir });
  assert.equal(viaLink.status, 2, viaLink.stderr);
  assert.match(viaLink.stderr, /the output link\.js would overwrite lib\.som/);
  // A source map beside the output is an output too.
  fs.writeFileSync(path.join(dir, 'out.js.map'), '{}');
  const map = runCli(['bundle', 'main.som', '-o', 'out.js', '--source-map'], { cwd: dir });
  assert.equal(map.status, 0, map.stderr);
  for (const [f, text] of Object.entries(before)) assert.equal(read(dir, f), text, f);
});

test('a source map that would replace an input is refused before anything is written', () => {
  const dir = scratch({ 'main.som': 'ворид к аз "./out.js.map";\nчоп.сабт(к);\n', 'out.js.map': 'module.exports = 1;\n' });
  const r = runCli(['bundle', 'main.som', '-o', 'out.js', '--source-map'], { cwd: dir });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /the output out\.js\.map would overwrite out\.js\.map/);
  assert.equal(read(dir, 'out.js.map'), 'module.exports = 1;\n');
  assert.ok(!fs.existsSync(path.join(dir, 'out.js')));
});

test('compile refuses an output that is a file the input imports, or the configuration', () => {
  const dir = project();
  const lib = read(dir, 'lib.som');
  const r = runCli(['compile', 'main.som', '-o', 'lib.som'], { cwd: dir });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /error\[OUTPUT_IS_INPUT\]: the output lib\.som would overwrite lib\.som/);
  assert.equal(read(dir, 'lib.som'), lib);
  for (const output of ['helper.js', 'data.json', 'somon.config.json']) {
    const before = read(dir, output);
    const o = runCli(['compile', 'main.som', '-o', output], { cwd: dir });
    assert.equal(o.status, 2, `${output}: ${o.stderr}`);
    assert.ok(o.stderr.includes(`would overwrite ${output}`), o.stderr);
    assert.equal(read(dir, output), before);
  }
  // Tajik and Russian name both files too.
  const tj = runCli(['compile', 'main.som', '-o', 'lib.som', '--lang', 'tj'], { cwd: dir });
  assert.match(tj.stderr, /натиҷаи lib\.som файли lib\.som-ро/);
  const ru = runCli(['compile', 'main.som', '-o', 'lib.som', '--lang', 'ru'], { cwd: dir });
  assert.match(ru.stderr, /результат lib\.som перезаписал бы lib\.som/);
  // Compiling the whole folder still works: outputs of this run may be
  // imported (`lib.js` is written while `main.js` imports it).
  const all = runCli(['compile', '.'], { cwd: dir });
  assert.equal(all.status, 0, all.stderr);
  assert.ok(fs.existsSync(path.join(dir, 'lib.js')));
});

test('a read-only output is OUTPUT_READ_ONLY and stays as it was', () => {
  const dir = scratch({ 'а.som': 'чоп.сабт(1);\n', 'а.js': 'old\n', 'b.js': 'old bundle\n' });
  fs.chmodSync(path.join(dir, 'а.js'), 0o444);
  fs.chmodSync(path.join(dir, 'b.js'), 0o444);
  const c = runCli(['compile', 'а.som'], { cwd: dir });
  assert.equal(c.status, 2, c.stderr);
  assert.match(c.stderr, /error\[OUTPUT_READ_ONLY\]: the output а\.js exists and is read-only/);
  assert.equal(read(dir, 'а.js'), 'old\n');
  const b = runCli(['bundle', 'а.som', '-o', 'b.js', '--lang', 'tj'], { cwd: dir });
  assert.equal(b.status, 2, b.stderr);
  assert.match(b.stderr, /error\[OUTPUT_READ_ONLY\]: натиҷаи b\.js аллакай ҳаст/);
  assert.equal(read(dir, 'b.js'), 'old bundle\n');
  assert.equal(fs.statSync(path.join(dir, 'b.js')).mode & 0o777, 0o444);
});

test('a replaced output keeps its mode bits', () => {
  const dir = scratch({ 'а.som': 'чоп.сабт(1);\n', 'а.js': 'old\n', 'b.js': 'old\n' });
  fs.chmodSync(path.join(dir, 'а.js'), 0o640);
  fs.chmodSync(path.join(dir, 'b.js'), 0o750);
  assert.equal(runCli(['compile', 'а.som'], { cwd: dir }).status, 0);
  assert.equal(runCli(['bundle', 'а.som', '-o', 'b.js'], { cwd: dir }).status, 0);
  assert.match(read(dir, 'а.js'), /console\.log\(1\)/);
  assert.equal(fs.statSync(path.join(dir, 'а.js')).mode & 0o777, 0o640);
  assert.equal(fs.statSync(path.join(dir, 'b.js')).mode & 0o777, 0o750);
});

test('bundle --watch refuses an imported file as its output and keeps watching', async () => {
  const dir = project();
  const lib = read(dir, 'lib.som');
  const child = spawn(process.execPath, [cliPath, 'bundle', 'main.som', '-o', 'helper.js', '--watch'], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', LANG: 'C.UTF-8' },
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const deadline = Date.now() + 30000;
  while (!/OUTPUT_IS_INPUT/.test(out) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  assert.match(out, /the output helper\.js would overwrite helper\.js, a file this build reads/);
  assert.equal(read(dir, 'helper.js'), 'module.exports = 42;\n');
  assert.equal(read(dir, 'lib.som'), lib);
});
