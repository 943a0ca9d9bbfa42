// Scope hoisting and tree shaking (issue 16, items 1–2): Node is the
// oracle. Each project runs unbundled (every module compiled to an ES
// module, under "type": "module") and bundled in each format, with and
// without tree shaking; the standard outputs must be the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { runNode, unbundledOutputs, writeFiles } from './helpers/esm-oracle.mjs';

const require = createRequire(import.meta.url);
const somon = require('../index.js');

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'somon-hoist-'));
let counter = 0;

function project(files) {
  return writeFiles(path.join(root, `p${++counter}`), files);
}

const node = runNode;

/** The unbundled program: every module as an ES module. */
async function oracle(dir) {
  const [stdout] = await unbundledOutputs(dir, ['main.som']);
  return stdout;
}

function bundle(dir, options) {
  const result = somon.bundleSync(path.join(dir, 'main.som'), options);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors, []);
  assert.ok(result.code);
  return result.code;
}

/** Runs the bundle in `format`; the entry's exports are printed after
 * the program's output (as JSON of their names and primitive values). */
function runBundled(dir, format, options = {}) {
  const code = bundle(dir, { format, globalName: 'Бандл', ...options });
  const file = path.join(root, `b${++counter}.${format === 'esm' ? 'mjs' : 'cjs'}`);
  fs.writeFileSync(file, code);
  return { code, stdout: node(file, dir) };
}

const FORMATS = ['cjs', 'esm', 'iife', 'umd'];

async function sameAsNode(files) {
  const dir = project(files);
  const expected = await oracle(dir);
  assert.notEqual(expected, '');
  const outputs = [];
  for (const format of FORMATS) {
    for (const treeShaking of [true, false]) {
      for (const minify of [false, true]) {
        const { code, stdout } = runBundled(dir, format, { treeShaking, minify });
        assert.equal(stdout, expected, `${format} treeShaking=${treeShaking} minify=${minify}\n${code}`);
        outputs.push(code);
      }
    }
  }
  return { dir, expected, outputs };
}

test('import cycles evaluate in ES module order with hoisted functions', async () => {
  await sameAsNode({
    'main.som': 'ворид { ҷуфтАст } аз "./ҷуфт";\nчоп.сабт("асосӣ", ҷуфтАст(4), ҷуфтАст(7));\n',
    'ҷуфт.som':
      'ворид { тоқАст } аз "./тоқ";\nчоп.сабт("ҷуфт бор шуд");\nсодир функсия ҷуфтАст(н: рақам): мантиқӣ {\n  бозгашт н === 0 ? дуруст : тоқАст(н - 1);\n}\n',
    'тоқ.som':
      'ворид { ҷуфтАст } аз "./ҷуфт";\nчоп.сабт("тоқ бор шуд", навъи ҷуфтАст);\nсодир функсия тоқАст(н: рақам): мантиқӣ {\n  бозгашт н === 0 ? нодуруст : ҷуфтАст(н - 1);\n}\n',
  });
});

test('live bindings: an exported тағ changed by its module is seen by importers', async () => {
  await sameAsNode({
    'main.som':
      'ворид { шумор, афзудан } аз "./ҳисоб";\nворид * чун ҳ аз "./ҳисоб";\nчоп.сабт(шумор, ҳ.шумор);\nафзудан();\nафзудан();\nчоп.сабт(шумор, ҳ.шумор);\n',
    'ҳисоб.som': 'содир тағ шумор = 0;\nсодир функсия афзудан() {\n  шумор += 1;\n}\n',
  });
});

test('re-exports, export * and namespace objects', async () => {
  const { outputs } = await sameAsNode({
    'main.som':
      'ворид * чун Г аз "./ҳама";\nворид { ҷамъ, зарбКун } аз "./ҳама";\nчоп.сабт(ҷамъ(2, 3), зарбКун(2, 3), Г.ПИ);\nчоп.сабт(Object.keys(Г).пайвастКардан(","), навъи (Г чун ҳар).пешфарз);\n',
    'ҳама.som': 'содир * аз "./амал";\nсодир { зарб чун зарбКун } аз "./зарб";\nсодир собит ПИ = 3;\n',
    'амал.som': 'содир функсия ҷамъ(а: рақам, б: рақам): рақам {\n  бозгашт а + б;\n}\nсодир пешфарз функсия ҳеҷ() {\n  бозгашт 0;\n}\n',
    'зарб.som': 'содир функсия зарб(а: рақам, б: рақам): рақам {\n  бозгашт а * б;\n}\n',
  });
  // Hoisted: no module table factory for Somon modules.
  assert.ok(!outputs[0].includes('"амал.som": function'), outputs[0]);
});

test('default exports: expressions, functions and classes', async () => {
  await sameAsNode({
    'main.som':
      'ворид д аз "./ифода";\nворид ф аз "./функсия";\nворид С аз "./синф";\nчоп.сабт(д, ф(), нав С().ном);\n',
    'ифода.som': 'содир пешфарз 6 * 7;\n',
    'функсия.som': 'содир пешфарз функсия() {\n  бозгашт "ф";\n}\n',
    'синф.som': 'содир пешфарз синф {\n  ном = "с";\n}\n',
  });
});

test('CommonJS modules keep their factory and interoperate', async () => {
  const dir = project({
    'main.som':
      'ворид асбоб аз "./асбоб.js";\nворид { салом } аз "./асбоб.js";\nчоп.сабт(асбоб.салом("а"), салом("б"), асбоб.шумор);\n',
    'асбоб.js':
      'exports.салом = (н) => "салом " + н;\nexports.шумор = 1;\nconsole.log("асбоб бор шуд");\n',
  });
  for (const format of FORMATS) {
    const { code, stdout } = runBundled(dir, format);
    assert.equal(stdout, 'асбоб бор шуд\nсалом а салом б 1\n', code);
    assert.ok(code.includes('"асбоб.js": function'), code);
  }
});

test('the entry exports stay the bundle exports in every format', async () => {
  const dir = project({
    'main.som':
      'ворид { дигар } аз "./дигар";\nсодир собит ном = "бандл";\nсодир функсия ҷамъ(а: рақам, б: рақам): рақам {\n  бозгашт а + б;\n}\nсодир пешфарз дигар;\n',
    'дигар.som': 'содир собит дигар = 42;\nсодир собит нолозим = "ИН_НАБОЯД_БОШАД";\n',
  });
  const check = `(m) => console.log(m.ном, m.ҷамъ(2, 3), m.default)`;
  for (const format of FORMATS) {
    const code = bundle(dir, { format, globalName: 'Бандл' });
    assert.ok(!code.includes('ИН_НАБОЯД_БОШАД'), code);
    const file = path.join(root, `e${++counter}.${format === 'esm' ? 'mjs' : 'cjs'}`);
    fs.writeFileSync(file, code);
    const runner = path.join(root, `r${counter}.mjs`);
    const load =
      format === 'esm'
        ? `const m = await import(${JSON.stringify(file)});`
        : format === 'iife'
          ? `import vm from 'node:vm'; import fs from 'node:fs'; const ctx = { console }; vm.runInNewContext(fs.readFileSync(${JSON.stringify(file)}, 'utf8') + '\\n;globalThis.m = Бандл;', ctx); const m = ctx.m;`
          : `import { createRequire } from 'node:module'; const m = createRequire(import.meta.url)(${JSON.stringify(file)});`;
    fs.writeFileSync(runner, `${load}\n(${check})(m);\n`);
    assert.equal(node(runner, dir), 'бандл 5 42\n', `${format}\n${code}`);
  }
});

test('tree shaking drops unused exports and keeps side effects', async () => {
  const { outputs } = await sameAsNode({
    'main.som': 'ворид { лозим } аз "./асбоб";\nворид "./таъсир";\nчоп.сабт(лозим());\n',
    'асбоб.som':
      'содир функсия лозим(): сатр {\n  бозгашт "лозим";\n}\nсодир функсия нолозим(): сатр {\n  бозгашт "НОЛОЗИМ_МАТН";\n}\nсодир собит ҳамНолозим = "ҲАМ_НОЛОЗИМ";\nсодир синф СинфиНолозим {}\n',
    'таъсир.som': 'чоп.сабт("таъсир иҷро шуд");\nсодир собит беИстифода = 1;\n',
  });
  // Order of sameAsNode: per format, [shaken, shaken+minify, kept, kept+minify].
  for (let i = 0; i < outputs.length; i += 4) {
    for (const shaken of [outputs[i], outputs[i + 1]]) {
      assert.ok(!shaken.includes('НОЛОЗИМ_МАТН'), shaken);
      assert.ok(!shaken.includes('ҲАМ_НОЛОЗИМ'), shaken);
      assert.ok(!shaken.includes('СинфиНолозим'), shaken);
      assert.ok(shaken.includes('таъсир иҷро шуд'), shaken);
    }
    assert.ok(outputs[i + 2].includes('НОЛОЗИМ_МАТН'), outputs[i + 2]);
  }
});

test('names are renamed only when two modules declare the same one', async () => {
  const { outputs } = await sameAsNode({
    'main.som':
      'ворид { қимат чун а } аз "./а";\nворид { қимат чун б } аз "./б";\nсобит танҳо = 5;\nчоп.сабт(а, б, танҳо);\n',
    'а.som': 'содир собит қимат = "а";\n',
    'б.som': 'содир собит қимат = "б";\n',
  });
  assert.match(outputs[0], /const танҳо = 5/);
  assert.match(outputs[0], /const қимат = "а"/);
  assert.match(outputs[0], /const қимат\$1 = "б"/);
});

test('dynamic import keeps its module lazy in the table', async () => {
  const dir = project({
    'main.som':
      'чоп.сабт("аввал");\nворид("./танбал").баъд((м) => чоп.сабт(м.ном, м.пешфарз));\nчоп.сабт("дуюм");\n',
    'танбал.som': 'чоп.сабт("танбал бор шуд");\nсодир собит ном = "т";\nсодир пешфарз 7;\n',
  });
  const expected = await oracle(dir);
  for (const format of FORMATS) {
    const { code, stdout } = runBundled(dir, format);
    assert.equal(stdout, expected, code);
    assert.ok(code.includes('"танбал.som": function'), code);
  }
});

test('bundling twice gives the same bytes', async () => {
  const dir = project({
    'main.som': 'ворид { а } аз "./а";\nворид { б } аз "./б";\nчоп.сабт(а, б);\n',
    'а.som': 'содир собит а = 1;\n',
    'б.som': 'содир собит б = 2;\n',
  });
  const one = bundle(dir, { format: 'esm' });
  const again = bundle(dir, { format: 'esm' });
  assert.equal(one, again);
});

test('for old targets, unused classes and enums go too (their wrappers are pure)', async () => {
  const dir = project({
    'main.som': 'ворид { лозим } аз "./а";\nчоп.сабт(лозим());\n',
    'а.som':
      'содир функсия лозим(): сатр {\n  бозгашт "лозим";\n}\nсодир синф СинфиНолозим {\n  статикӣ а = "СТАТИКИИ_НОЛОЗИМ";\n  усул(): рақам {\n    бозгашт 1;\n  }\n}\nсодир номгӯ НомгӯиНолозим {\n  Як = 1,\n}\n',
  });
  const expected = await oracle(dir);
  for (const target of ['es5', 'es2015', 'es2020']) {
    const { code, stdout } = runBundled(dir, 'cjs', { target });
    assert.equal(stdout, expected, code);
    for (const gone of ['СинфиНолозим', 'СТАТИКИИ_НОЛОЗИМ', 'НомгӯиНолозим']) {
      assert.ok(!code.includes(gone), `${target}: ${gone}\n${code}`);
    }
  }
});

test('ES module JavaScript is hoisted too; a "sideEffects": false package keeps only what is used', async () => {
  const { outputs } = await sameAsNode({
    'main.som': 'ворид { а } аз "пак";\nворид { ҷ } аз "./ёр.mjs";\nчоп.сабт(а(), ҷ);\n',
    'node_modules/пак/package.json': '{"name":"пак","sideEffects":false,"type":"module","main":"index.js"}',
    'node_modules/пак/index.js': 'export { а } from "./а.js";\nexport { б } from "./б.js";\nexport const ҳам = "ҲАМ_НОЛОЗИМ";\n',
    'node_modules/пак/а.js': 'export function а() { return "а"; }\nexport function нолозимА() { return "НОЛОЗИМ_А"; }\n',
    'node_modules/пак/б.js': 'export function б() { return "БЕ_ИСТИФОДА"; }\n',
    'ёр.mjs': 'import x from "./cj.cjs";\nexport const ҷ = x.v + 1;\nconsole.log("ёр таъсир");\nexport function нолозимЁр() { return "НОЛОЗИМИ_ЁР"; }\n',
    'cj.cjs': 'module.exports = { v: 41 };\n',
  });
  for (let i = 0; i < outputs.length; i += 4) {
    for (const shaken of [outputs[i], outputs[i + 1]]) {
      for (const gone of ['НОЛОЗИМ_А', 'БЕ_ИСТИФОДА', 'ҲАМ_НОЛОЗИМ', 'НОЛОЗИМИ_ЁР']) {
        assert.ok(!shaken.includes(gone), `${gone}\n${shaken}`);
      }
      // Hoisted: no factory for the ES modules, one for CommonJS.
      assert.ok(!shaken.includes('"node_modules/пак/а.js": function'), shaken);
      assert.ok(/"cj\.cjs": ?function/.test(shaken), shaken);
    }
  }
});
