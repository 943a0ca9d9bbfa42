// `somon run` gives the program Node's module fields: it prints what the
// same modules compiled file by file print under plain `node`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { runCli, scratch } from './helpers.mjs';

const FILES = {
  'main.som': `ворид { ном, падар } аз "./lib";
чоп.сабт("main:", require.main === module, module.parent, ном, падар);
чоп.сабт(навъи require.resolve, навъи require.cache, require.resolve("node:fs"), require.resolve("fs"));
чоп.сабт(module.children.length, module.loaded, module.children[0] === require.cache[module.children[0].id]);
`,
  'lib.som': `содир собит ном = require.main === module ? "асосӣ" : "модул";
содир собит падар = module.parent === require.main;
`,
};

test('require.main, module.parent, require.resolve and require.cache as under node', () => {
  const dir = scratch(FILES);
  const compiled = runCli(['compile', '.'], { cwd: dir });
  assert.equal(compiled.status, 0, compiled.stderr);
  const plain = spawnSync(process.execPath, [path.join(dir, 'main.js')], { cwd: dir, encoding: 'utf8' });
  assert.equal(plain.status, 0, plain.stderr);
  assert.match(plain.stdout, /^main: true null модул true\n/);
  for (const target of ['es5', 'es2020']) {
    const run = runCli(['run', '--target', target, 'main.som'], { cwd: dir });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, plain.stdout, target);
  }
});

test('a nested module resolves and requires files of its own folder, as under node', () => {
  const dir = scratch({
    'main.som': `ворид { роҳ, матн } аз "./lib/mod";\nчоп.сабт(роҳ, матн);\n`,
    'lib/mod.som': `собит path = require("node:path");\nсодир собит роҳ = path.relative(process.cwd(), require.resolve("./note.txt"));\nсодир собит матн = require("./extra.cjs").салом;\n`,
    'lib/note.txt': 'қайд\n',
    'lib/extra.cjs': 'exports.салом = "салом аз lib";\n',
  });
  const compiled = runCli(['compile', '.'], { cwd: dir });
  assert.equal(compiled.status, 0, compiled.stderr);
  const plain = spawnSync(process.execPath, [path.join(dir, 'main.js')], { cwd: dir, encoding: 'utf8' });
  assert.equal(plain.status, 0, plain.stderr);
  assert.equal(plain.stdout, `${path.join('lib', 'note.txt')} салом аз lib\n`);
  const run = runCli(['run', 'main.som'], { cwd: dir });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, plain.stdout);
});
