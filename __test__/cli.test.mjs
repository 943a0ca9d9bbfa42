import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, scratch, somon } from './helpers.mjs';

test('somon --version and --help', () => {
  const v = runCli(['--version']);
  assert.equal(v.status, 0);
  assert.match(v.stdout, new RegExp(somon.version().replace(/\./g, '\\.')));
  const h = runCli(['--help']);
  assert.equal(h.status, 0);
  assert.match(h.stdout, /compile/);
  assert.match(h.stdout, /run/);
});

test('compile writes the JavaScript next to the input', () => {
  const dir = scratch({ 'салом.som': 'чоп.сабт("салом");\n' });
  const r = runCli(['compile', 'салом.som'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.match(fs.readFileSync(path.join(dir, 'салом.js'), 'utf8'), /console\.log\("салом"\)/);
});

test('compile -o, --out-dir and a separate source map', () => {
  const dir = scratch({ 'src/а.som': 'тағ а = 1;\nчоп.сабт(а);\n' });
  assert.equal(runCli(['compile', 'src/а.som', '-o', 'out/б.js'], { cwd: dir }).status, 0);
  assert.ok(fs.existsSync(path.join(dir, 'out/б.js')));
  const r = runCli(['compile', 'src/а.som', '--out-dir', 'dist', '--source-map'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const js = fs.readFileSync(path.join(dir, 'dist/а.js'), 'utf8');
  assert.match(js, /\/\/# sourceMappingURL=а\.js\.map/);
  const map = JSON.parse(fs.readFileSync(path.join(dir, 'dist/а.js.map'), 'utf8'));
  assert.deepEqual(map.sources, ['../src/а.som']);
});

test('a syntax error exits 1 with file:line:column, code and message, and writes nothing', () => {
  const dir = scratch({ 'бад.som': 'тағ а = 1;\nтағ х = (1 + 2;\n' });
  const r = runCli(['compile', 'бад.som'], { cwd: dir });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /бад\.som:2:15: error\[SYNTAX\]: /);
  assert.match(r.stderr, /\^/);
  assert.ok(!fs.existsSync(path.join(dir, 'бад.js')));
});

test('compile never overwrites its input', () => {
  const dir = scratch({ 'код.js': 'чоп.сабт(1);\n' });
  const r = runCli(['compile', 'код.js'], { cwd: dir });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /error\[OUTPUT_IS_INPUT\]: the output код\.js would overwrite код\.js/);
  assert.equal(fs.readFileSync(path.join(dir, 'код.js'), 'utf8'), 'чоп.сабт(1);\n');
});

test('a failed compile leaves the previous output untouched', () => {
  const dir = scratch({ 'а.som': 'чоп.сабт(1);\n' });
  assert.equal(runCli(['compile', 'а.som'], { cwd: dir }).status, 0);
  const before = fs.readFileSync(path.join(dir, 'а.js'));
  fs.writeFileSync(path.join(dir, 'а.som'), 'чоп.сабт(;\n');
  assert.equal(runCli(['compile', 'а.som'], { cwd: dir }).status, 1);
  assert.deepEqual(fs.readFileSync(path.join(dir, 'а.js')), before);
});

test('unknown option values are rejected with the valid ones', () => {
  const dir = scratch({ 'а.som': 'чоп.сабт(1);\n' });
  const r = runCli(['compile', 'а.som', '--target', 'es3'], { cwd: dir });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /es5/);
  assert.match(r.stderr, /esnext/);
});

test('a missing input is a clear error', () => {
  const r = runCli(['compile', 'нест.som'], { cwd: scratch() });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /error\[INPUT_UNREADABLE\]: cannot read нест\.som/);
  const tj = runCli(["compile", "нест.som", "--lang", "tj"], { cwd: scratch() });
  assert.equal(tj.status, 2);
  assert.match(tj.stderr, /error\[INPUT_UNREADABLE\]: нест\.som-ро хондан мумкин нест/);
});

test('run prints the program output and passes arguments', () => {
  const dir = scratch({ 'барнома.som': 'чоп.сабт("арг:", process.argv.slice(2).join(","));\n' });
  const r = runCli(['run', 'барнома.som', '--', 'як', '--ду'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'арг: як,--ду\n');
  // No temporary files are left in the source folder.
  assert.deepEqual(fs.readdirSync(dir), ['барнома.som']);
});

test("run ends with the program's exit code", () => {
  const dir = scratch({ 'хато.som': 'process.exitCode = 7;\n' });
  assert.equal(runCli(['run', 'хато.som'], { cwd: dir }).status, 7);
});

test('run with ES module output: top-level интизор, and CommonJS globals are provided', () => {
  const dir = scratch({ 'м.som': 'собит х = интизор Ваъда.ҳалШуда(5);\nчоп.сабт(х, навъи require, навъи ворид.meta.url);\n' });
  const r = runCli(['run', 'м.som', '--module', 'esm'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '5 function string\n');
  // The same program is an error as CommonJS.
  const cjs = runCli(['run', 'м.som'], { cwd: dir });
  assert.equal(cjs.status, 1);
  assert.match(cjs.stderr, /TOP_LEVEL_AWAIT/);
});

test("a runtime error's stack trace points into the .som file", () => {
  const src = 'функсия ф() {\n  партофтан нав Хато("бад");\n}\nф();\n';
  const dir = scratch({ 'партоб.som': src });
  const r = runCli(['run', 'партоб.som'], { cwd: dir });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /партоб\.som:2:\d+/);
});
