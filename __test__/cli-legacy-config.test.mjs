// Projects of the previous SomonScript compiler: its somon.config.json
// works with warnings, production mode can make them errors, and
// `somon config --migrate` rewrites it after a backup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, scratch } from './helpers.mjs';

// As the previous compiler's `init` wrote it.
const OLD = `{
  "compilerOptions": {
    "target": "es2020",
    "sourceMap": false,
    "minify": false,
    "noTypeCheck": false,
    "strict": false,
    "outDir": "dist",
    "watch": false,
    "compileOnSave": false
  },
  "bundle": { "format": "commonjs", "externals": [] }
}
`;

test('an old project compiles and runs, with a warning per old key', () => {
  const dir = scratch({ 'somon.config.json': OLD, 'main.som': 'чоп.сабт("салом", 1 + 1);\n' });
  const run = runCli(['run', 'main.som'], { cwd: dir });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'салом 2\n');
  for (const key of ['noTypeCheck', 'strict', 'watch', 'compileOnSave', 'externals']) {
    assert.match(run.stderr, new RegExp(`warning\\[CONFIG_(LEGACY|IGNORED)_KEY\\]: \`[a-zA-Z.]*${key}\``), key);
  }
  // noTypeCheck: false keeps type checking on.
  const cfg = runCli(['config'], { cwd: dir });
  assert.match(cfg.stdout, /compilerOptions\.typeCheck = true/);
  // Type errors are still errors.
  fs.writeFileSync(path.join(dir, 'bad.som'), 'тағ х: рақам = "сатр";\n');
  assert.equal(runCli(['compile', 'bad.som'], { cwd: dir }).status, 1);
});

test('compilerOptions.output names the output of a one-file compile', () => {
  const text = OLD.replace('"outDir": "dist",', '"outDir": "dist",\n    "output": "build/app.js",');
  const dir = scratch({ 'somon.config.json': text, 'main.som': 'чоп.сабт("як");\n', 'lib/b.som': 'чоп.сабт("ду");\n' });
  assert.equal(runCli(['compile', 'main.som'], { cwd: dir }).status, 0);
  const out = spawnSync(process.execPath, ['build/app.js'], { cwd: dir, encoding: 'utf8' });
  assert.equal(out.stdout, 'як\n');
  // A folder goes to outDir; -o wins over the configuration.
  assert.equal(runCli(['compile', 'lib'], { cwd: dir }).status, 0);
  assert.ok(fs.existsSync(path.join(dir, 'dist/b.js')));
  assert.equal(runCli(['compile', 'main.som', '-o', 'x.js'], { cwd: dir }).status, 0);
  assert.ok(fs.existsSync(path.join(dir, 'x.js')));
});

test('production.fatalWarnings makes the old keys errors in production mode', () => {
  const text = OLD.replace('"bundle"', '"production": { "fatalWarnings": ["CONFIG_LEGACY_KEY"] },\n  "bundle"');
  const dir = scratch({ 'somon.config.json': text, 'main.som': 'чоп.сабт(1);\n' });
  const dev = runCli(['compile', 'main.som'], { cwd: dir });
  assert.equal(dev.status, 0, dev.stderr);
  const prod = runCli(['compile', 'main.som', '--production'], { cwd: dir });
  assert.equal(prod.status, 2);
  assert.match(prod.stderr, /error\[CONFIG_LEGACY_KEY\]/);
  assert.doesNotMatch(prod.stderr, /error\[CONFIG_IGNORED_KEY\]/);
});

test('config --migrate keeps a backup first, and the new file validates cleanly', () => {
  const dir = scratch({ 'somon.config.json': OLD, 'somon.config.json.bak': 'an older backup\n' });
  const r = runCli(['config', '--migrate'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  // The existing backup is not replaced: the next free name is used.
  assert.equal(fs.readFileSync(path.join(dir, 'somon.config.json.bak'), 'utf8'), 'an older backup\n');
  assert.equal(fs.readFileSync(path.join(dir, 'somon.config.json.bak.1'), 'utf8'), OLD);
  const migrated = JSON.parse(fs.readFileSync(path.join(dir, 'somon.config.json'), 'utf8'));
  assert.equal(migrated.compilerOptions.typeCheck, true);
  assert.equal(migrated.compilerOptions.noTypeCheck, undefined);
  assert.equal(migrated.bundle.format, 'cjs');
  assert.deepEqual(migrated.bundle.external, []);
  const check = runCli(['config'], { cwd: dir });
  assert.equal(check.status, 0, check.stderr);
  assert.equal(check.stderr, '');
  // Nothing left to migrate: nothing written.
  const again = runCli(['config', '--migrate'], { cwd: dir });
  assert.equal(again.status, 0);
  assert.ok(!fs.existsSync(path.join(dir, 'somon.config.json.bak.2')));
  // No configuration file at all.
  const none = runCli(['config', '--migrate'], { cwd: scratch({}) });
  assert.equal(none.status, 2);
  assert.match(none.stderr, /CONFIG_NOT_FOUND/);
});
