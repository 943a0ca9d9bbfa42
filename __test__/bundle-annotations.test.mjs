// `/*#__PURE__*/` and `/*@__NO_SIDE_EFFECTS__*/` in JavaScript modules are
// honoured by tree shaking, and the wrappers our lowering writes (enums,
// namespaces, classes with static code that only fills the class) carry
// `/*#__PURE__*/`, so that esbuild drops them from our ES module output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root, runCli, scratch } from './helpers.mjs';

const node = (file) => spawnSync(process.execPath, [file], { encoding: 'utf8' });

const PACKAGE = {
  'node_modules/ёрдам/package.json': JSON.stringify({ name: 'ёрдам', type: 'module', main: 'index.js' }),
  'node_modules/ёрдам/index.js': [
    'export function сабт(x) { globalThis.__log = (globalThis.__log || []).concat(x); return x; }',
    '/*@__NO_SIDE_EFFECTS__*/ export function созанда(x) { сабт("созанда " + x); return { x }; }',
    'export const бесарфа = /*@__NO_SIDE_EFFECTS__*/ (x) => { сабт("бесарфа " + x); return x; };',
    'export const ЯКУМ = /*#__PURE__*/ сабт("ЯКУМ");',
    '/*#__PURE__*/ сабт("танҳо");',
    'export const ДУЮМ = /* @__PURE__ */ new Map([[1, "ДУЮМ"]]);',
    'созанда("дар дохил");',
    'сабт("ҳамеша");',
    '',
  ].join('\n'),
  'main.som': [
    'ворид { созанда, бесарфа, ЯКУМ } аз "ёрдам";',
    'созанда("нокор");',
    'бесарфа("нокор");',
    'собит к = созанда("истифода");',
    'чоп.сабт(ЯКУМ, к.x, JSON.stringify(globalThis.__log));',
    '',
  ].join('\n'),
};

test('annotated calls of JavaScript modules go when their results are unused', () => {
  const dir = scratch(PACKAGE);
  const r = runCli(['bundle', 'main.som', '-o', 'out.js'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const out = fs.readFileSync(path.join(dir, 'out.js'), 'utf8');
  // Unused pure calls are gone, in the package and in the entry (calls of
  // an imported no-side-effects function).
  for (const gone of ['"танҳо"', '"ДУЮМ"', '"дар дохил"', '"нокор"']) {
    assert.ok(!out.includes(gone), `${gone} should be dropped:\n${out}`);
  }
  // What is used, and calls without annotations, stay.
  assert.match(out, /\/\*#__PURE__\*\/ сабт\("ЯКУМ"\)/);
  assert.match(out, /"истифода"/);
  assert.match(out, /сабт\("ҳамеша"\)/);
  assert.equal(
    node(path.join(dir, 'out.js')).stdout,
    'ЯКУМ истифода ["ЯКУМ","ҳамеша","созанда истифода"]\n',
  );
  // Without tree shaking everything runs.
  const all = runCli(['bundle', 'main.som', '-o', 'all.js', '--no-tree-shaking'], { cwd: dir });
  assert.equal(all.status, 0, all.stderr);
  const ran = node(path.join(dir, 'all.js')).stdout;
  assert.match(ran, /"танҳо"/);
  assert.match(ran, /"созанда нокор"/);
});

const LIB = [
  'содир номгӯ Ранг { Сурх, Сабз }',
  'содир номфазо Асбоб {',
  '  содир функсия ф(): рақам { бозгашт 1; }',
  '}',
  'содир синф Ҳисоб {',
  '  статикӣ шумора: рақам = 0;',
  '  статикӣ { Ҳисоб.шумора = 5; }',
  '}',
  'содир синф Баланд {',
  '  статикӣ { чоп.сабт("Баланд рафт"); }',
  '}',
  'содир функсия ёрдам(): рақам { бозгашт 2; }',
  '',
].join('\n');

for (const target of ['es2022', 'es2020']) {
  test(`our wrappers are /*#__PURE__*/: esbuild drops the unused ones from our ${target} ES modules`, () => {
    const dir = scratch({
      'lib.som': LIB,
      'app.mjs': 'import { ёрдам, Ранг, Асбоб, Ҳисоб } from "./lib.js";\nconsole.log(ёрдам(), Ранг.Сабз, Асбоб.ф(), Ҳисоб.шумора);\n',
      'small.mjs': 'import { ёрдам } from "./lib.js";\nconsole.log(ёрдам());\n',
    });
    const c = runCli(['compile', 'lib.som', '-o', 'lib.js', '--module', 'esm', '--target', target], { cwd: dir });
    assert.equal(c.status, 0, c.stderr);
    const lib = fs.readFileSync(path.join(dir, 'lib.js'), 'utf8');
    assert.match(lib, /var Ранг = \/\*#__PURE__\*\/ function\(Ранг\)/);
    assert.match(lib, /var Асбоб = \/\*#__PURE__\*\/ function\(Асбоб\)/);
    assert.match(lib, /var Ҳисоб = \/\*#__PURE__\*\/ function\(\)/);
    // A class whose static block does something else is left as it is.
    assert.match(lib, /\nclass Баланд/);
    // Used, they work as before.
    const esbuild = path.join(root, 'node_modules', '.bin', 'esbuild');
    const full = spawnSync(esbuild, ['app.mjs', '--bundle', '--format=esm', '--outfile=full.mjs'], { cwd: dir, encoding: 'utf8' });
    assert.equal(full.status, 0, full.stderr);
    assert.equal(node(path.join(dir, 'full.mjs')).stdout, 'Баланд рафт\n2 1 1 5\n');
    // Unused, esbuild drops them (but not the class with an effect).
    const small = spawnSync(esbuild, ['small.mjs', '--bundle', '--format=esm', '--charset=utf8'], { cwd: dir, encoding: 'utf8' });
    assert.equal(small.status, 0, small.stderr);
    for (const gone of ['Сурх', 'Асбоб', 'шумора']) {
      assert.ok(!small.stdout.includes(gone), `${gone} should be dropped:\n${small.stdout}`);
    }
    assert.match(small.stdout, /Баланд рафт/);
    // Our own bundler drops them too.
    fs.writeFileSync(path.join(dir, 'main.som'), 'ворид { ёрдам } аз "./lib";\nчоп.сабт(ёрдам());\n');
    const b = runCli(['bundle', 'main.som', '-o', 'out.js', '--target', target], { cwd: dir });
    assert.equal(b.status, 0, b.stderr);
    const out = fs.readFileSync(path.join(dir, 'out.js'), 'utf8');
    for (const gone of ['Сурх', 'Асбоб', 'шумора']) {
      assert.ok(!out.includes(gone), `${gone} should be dropped:\n${out}`);
    }
    assert.equal(node(path.join(dir, 'out.js')).stdout, 'Баланд рафт\n2\n');
  });
}
