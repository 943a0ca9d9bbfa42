// Bundles for production: `--define` (compile-time constants, folded so
// dead branches disappear), `--drop console,debugger`, from the command
// line, the configuration's `bundle` section and the API; `--minify` on
// the whole bundle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, scratch, somon } from './helpers.mjs';

const PROJECT = {
  'main.som': `ворид либ аз "lib";
агар (process.env.NODE_ENV === "production") {
  чоп.сабт("шохаи истеҳсолӣ", либ());
} вагарна {
  чоп.сабт("шохаи рушд");
}
функсия маҳаллӣ() {
  тағ process = { env: { NODE_ENV: "маҳаллӣ" } };
  бозгашт process.env.NODE_ENV;
}
чоп.сабт(маҳаллӣ());
чоп.огоҳӣ("огоҳӣ");
`,
  'node_modules/lib/package.json': '{ "name": "lib", "main": "index.js" }\n',
  'node_modules/lib/index.js':
    'module.exports = function () {\n  debugger;\n  if (process.env.NODE_ENV !== "production") { console.warn("lib in development"); }\n  return "lib-" + FLAG;\n};\n',
};

function run(file) {
  const r = spawnSync(process.execPath, [file], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('--define replaces free names in Somon modules and packages and folds dead branches away', () => {
  const dir = scratch(PROJECT);
  const r = runCli(
    ['bundle', 'main.som', '-o', 'out.js', '--define', 'process.env.NODE_ENV="production"', '--define', 'FLAG=false'],
    { cwd: dir },
  );
  assert.equal(r.status, 0, r.stderr);
  const code = fs.readFileSync(path.join(dir, 'out.js'), 'utf8');
  // The development branches are gone, in the program and in the package.
  assert.ok(!code.includes('шохаи рушд'), code);
  assert.ok(!code.includes('lib in development'));
  // A local `process` is not the global one: left as it is.
  assert.match(code, /маҳаллӣ/);
  const out = run(path.join(dir, 'out.js'));
  assert.equal(out.status, 0, out.stderr);
  assert.equal(out.stdout, 'шохаи истеҳсолӣ lib-false\nмаҳаллӣ\n');
  assert.equal(out.stderr, 'огоҳӣ\n');
  // Without defines, both branches are there and `FLAG` is a global.
  const plain = runCli(['bundle', 'main.som', '-o', 'plain.js'], { cwd: dir });
  assert.equal(plain.status, 0, plain.stderr);
  assert.match(fs.readFileSync(path.join(dir, 'plain.js'), 'utf8'), /шохаи рушд/);
});

test('--drop console,debugger removes console calls and debugger statements', () => {
  const dir = scratch(PROJECT);
  const r = runCli(['bundle', 'main.som', '-o', 'out.js', '--drop', 'console,debugger', '--define', 'FLAG=1'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const code = fs.readFileSync(path.join(dir, 'out.js'), 'utf8');
  assert.doesNotMatch(code, /console\.|debugger/);
  const out = run(path.join(dir, 'out.js'));
  assert.equal(out.status, 0, out.stderr);
  assert.equal(out.stdout + out.stderr, '');
  const d = runCli(['bundle', 'main.som', '-o', 'd.js', '--drop', 'debugger', '--define', 'FLAG=1'], { cwd: dir });
  assert.equal(d.status, 0, d.stderr);
  const dc = fs.readFileSync(path.join(dir, 'd.js'), 'utf8');
  assert.doesNotMatch(dc, /debugger/);
  assert.match(dc, /console\.warn/);
});

test('bundle.define and bundle.drop in somon.config.json; flags add to and override them', () => {
  const dir = scratch({
    ...PROJECT,
    'somon.config.json': JSON.stringify({
      bundle: { define: ['process.env.NODE_ENV="production"', 'FLAG="config"'], drop: ['debugger'] },
    }),
  });
  const r = runCli(['bundle', 'main.som', '-o', 'out.js'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(run(path.join(dir, 'out.js')).stdout, 'шохаи истеҳсолӣ lib-config\nмаҳаллӣ\n');
  assert.doesNotMatch(fs.readFileSync(path.join(dir, 'out.js'), 'utf8'), /debugger/);
  const f = runCli(['bundle', 'main.som', '-o', 'f.js', '--define', 'FLAG="flag"'], { cwd: dir });
  assert.equal(f.status, 0, f.stderr);
  assert.equal(run(path.join(dir, 'f.js')).stdout, 'шохаи истеҳсолӣ lib-flag\nмаҳаллӣ\n');
});

test('--define and --drop refuse what esbuild refuses, before any work', () => {
  const dir = scratch(PROJECT);
  for (const args of [
    ['--define', 'NO_VALUE'],
    ['--define', '1abc=1'],
    ['--define', 'a..b=1'],
    ['--define', 'X=)('],
    ['--drop', 'alert'],
  ]) {
    const r = runCli(['bundle', 'main.som', '-o', 'out.js', ...args], { cwd: dir });
    assert.equal(r.status, 2, `${args}: ${r.stderr}`);
    assert.match(r.stderr, /USAGE/);
    assert.ok(!fs.existsSync(path.join(dir, 'out.js')));
  }
});

test('API: define and drop', () => {
  const dir = scratch(PROJECT);
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const r = somon.bundleSync('main.som', {
      define: { 'process.env.NODE_ENV': '"production"', FLAG: '"api"' },
      drop: ['console', 'debugger'],
    });
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.ok(!r.code.includes('шохаи рушд'));
    assert.doesNotMatch(r.code, /console\.|debugger/);
    assert.throws(() => somon.bundleSync('main.som', { define: { 'a b': '1' } }), /define/);
    assert.throws(() => somon.bundleSync('main.som', { drop: ['alert'] }), /drop/);
    assert.throws(() => somon.bundleSync('main.som', { define: { A: 1 } }), /define/);
  } finally {
    process.chdir(cwd);
  }
});
