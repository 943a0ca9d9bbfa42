import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli, scratch } from './helpers.mjs';

const project = {
  'main.som': 'ворид { ҷамъ } аз "./асбоб";\nчоп.сабт(ҷамъ(2, 3));\n',
  'асбоб/index.som': 'содир функсия ҷамъ(а: рақам, б: рақам): рақам { бозгашт а + б; }\n',
};

test('somon run runs a multi-file program', () => {
  const dir = scratch(project);
  const r = runCli(['run', 'main.som'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '5\n');
});

test('somon bundle writes a bundle and its map for every format', () => {
  const dir = scratch(project);
  for (const format of ['cjs', 'esm', 'iife', 'umd']) {
    const out = `dist/${format}.${format === 'esm' ? 'mjs' : 'js'}`;
    const r = runCli(['bundle', 'main.som', '-o', out, '--format', format, '--source-map', '--global-name', 'Барнома'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const map = JSON.parse(fs.readFileSync(path.join(dir, `${out}.map`), 'utf8'));
    assert.deepEqual([...map.sources].sort(), ['../main.som', '../асбоб/index.som']);
    const run = spawnSync(process.execPath, [path.join(dir, out)], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.stdout, '5\n', `${format}: ${run.stderr}`);
  }
});

test('CommonJS files of the project bring their own require()s into the bundle', () => {
  // Before: `./b.js` stayed a run-time require, resolved from the bundle's
  // folder (here: the bundle itself), and printed "салом undefined".
  const dir = scratch({
    'main.som': 'ворид { салом } аз "./lib/a.js";\nчоп.сабт(салом());\n',
    'lib/a.js': 'const b = require("./b.js");\nconst fs = require("node:fs");\nlet opt; try { opt = require("./набуда"); } catch { opt = "нест"; }\nexports.салом = () => `салом ${b.ном} ${typeof fs.readFileSync} ${opt}`;\n',
    'lib/b.js': 'exports.ном = "ҷаҳон";\n',
  });
  const expected = 'салом ҷаҳон function нест\n';
  const run = runCli(['run', 'main.som'], { cwd: dir });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, expected);
  for (const format of ['cjs', 'iife']) {
    const out = `out/${format}.js`;
    const r = runCli(['bundle', 'main.som', '-o', out, '--format', format, '--global-name', 'Б'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\(3 modules\)/);
    const ran = spawnSync(process.execPath, [path.join(dir, out)], { cwd: dir, encoding: 'utf8' });
    assert.equal(ran.stdout, expected, `${format}: ${ran.stderr}`);
  }
});

test('a project JavaScript file with import/export or a syntax error is a diagnostic at its own line', () => {
  const dir = scratch({
    'main.som': 'ворид { салом } аз "./lib/a.js";\nчоп.сабт(салом());\n',
    'lib/a.js': 'const b = require("./b.js");\nexports.салом = () => b.ном;\n',
    'lib/b.js': '// ESM\nexport const ном = "ҷаҳон";\n',
  });
  const r = runCli(['bundle', 'main.som', '-o', 'out.js'], { cwd: dir });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /lib\/b\.js:2:1: error\[UNSUPPORTED_JS_MODULE\]: JavaScript files with `import`\/`export` cannot be bundled yet/);
  assert.doesNotMatch(r.stderr, /INTERNAL|panicked/);
  assert.ok(!fs.existsSync(path.join(dir, 'out.js')));
  // A file that does not parse is the same kind of diagnostic.
  fs.writeFileSync(path.join(dir, 'lib/b.js'), 'exports.ном = ;\n');
  const bad = runCli(['bundle', 'main.som', '-o', 'out.js'], { cwd: dir });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /lib\/b\.js:1:15: error\[JS_SYNTAX\]: JavaScript syntax error: /);
  assert.doesNotMatch(bad.stderr, /INTERNAL|panicked/);
  assert.ok(!fs.existsSync(path.join(dir, 'out.js')));
});

test('somon bundle reports errors of all modules and writes nothing', () => {
  const dir = scratch({
    'main.som': 'ворид { а } аз "./нест";\nворид { б } аз "./б";\nчоп.сабт(а, б);\n',
    'б.som': 'содир собит б: рақам = "сатр";\n',
  });
  const r = runCli(['bundle', 'main.som', '-o', 'out.js'], { cwd: dir });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /main\.som:1:16: error\[MODULE_NOT_FOUND\]/);
  assert.match(r.stderr, /б\.som:1:7: error\[TYPE_NOT_ASSIGNABLE\]/);
  assert.ok(!fs.existsSync(path.join(dir, 'out.js')));
});

test('somon check reports type errors, in JSON too', () => {
  const dir = scratch({ 'а.som': 'тағ х: рақам = "сатр";\nчоп.сабт(номаълум);\n', 'б.som': 'чоп.сабт(1);\n' });
  const pretty = runCli(['check', '.'], { cwd: dir });
  assert.equal(pretty.status, 1);
  assert.match(pretty.stderr, /а\.som:1:1: error\[TYPE_NOT_ASSIGNABLE\]/);
  assert.match(pretty.stderr, /а\.som:2:10: error\[UNDEFINED_IDENTIFIER\]/);
  const json = runCli(['check', '.', '--diagnostics', 'json'], { cwd: dir });
  assert.equal(json.status, 1);
  const doc = JSON.parse(json.stdout);
  assert.equal(doc.errors, 2);
  assert.deepEqual(doc.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}:${d.column}`), [
    'TYPE_NOT_ASSIGNABLE а.som:1:1',
    'UNDEFINED_IDENTIFIER а.som:2:10',
  ]);
  assert.equal(runCli(['check', 'б.som'], { cwd: dir }).status, 0);
});

test('diagnostics follow --lang and the locale', () => {
  const dir = scratch({ 'а.som': 'чоп.сабт(номаълум);\n' });
  const tj = runCli(['check', 'а.som', '--lang', 'tj'], { cwd: dir });
  assert.match(tj.stderr, /муайян нашудааст/);
  const ru = runCli(['check', 'а.som'], { cwd: dir, env: { LANG: 'ru_RU.UTF-8' } });
  assert.match(ru.stderr, /не определена/);
  const tg = runCli(['check', 'а.som'], { cwd: dir, env: { LC_ALL: 'tg_TJ.UTF-8', LANG: 'ru_RU.UTF-8' } });
  assert.match(tg.stderr, /муайян нашудааст/);
});

test('somon module-info and resolve', () => {
  const dir = scratch({
    ...project,
    'давр/а.som': 'ворид { б } аз "./б";\nсодир собит а = 1;\n',
    'давр/б.som': 'ворид { а } аз "./а";\nсодир собит б = 2;\n',
  });
  const info = runCli(['module-info', 'main.som', '--stats'], { cwd: dir });
  assert.equal(info.status, 0);
  assert.match(info.stdout, /Modules: 2/);
  const cyc = runCli(['module-info', 'давр/а.som', '--circular'], { cwd: dir });
  assert.equal(cyc.status, 1);
  assert.match(cyc.stdout, /cycle: а\.som -> б\.som -> а\.som/);
  const res = runCli(['resolve', './асбоб', '--from', 'main.som'], { cwd: dir });
  assert.equal(res.status, 0);
  assert.equal(res.stdout, 'асбоб/index.som\n');
  const missing = runCli(['resolve', './нест', '--from', 'main.som'], { cwd: dir });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /tried нест\.som/);
});

test('compile maps folder imports to the emitted index.js', () => {
  const dir = scratch(project);
  const r = runCli(['compile', '.'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.match(fs.readFileSync(path.join(dir, 'main.js'), 'utf8'), /require\("\.\/асбоб\/index\.js"\)/);
  const run = spawnSync(process.execPath, ['main.js'], { cwd: dir, encoding: 'utf8' });
  assert.equal(run.stdout, '5\n', run.stderr);
});
