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

const THROWS = {
  'main.som': `ворид { ҳисоб, Ҳисобгар } аз "./lib/calc";
чоп.сабт(ҳисоб(2), Ҳисобгар.name);
ҳисоб(-1);
`,
  'lib/calc.som': `содир функсия ҳисоб(а: рақам): рақам {
  агар (а < 0) {
    партофтан нав Error("манфӣ");
  }
  бозгашт а * 21;
}
содир синф Ҳисобгар {}
`,
};

test('--minify minifies the whole bundle: the runtime and top-level names too, the exported names kept', () => {
  const dir = scratch(THROWS);
  const r = runCli(['bundle', 'main.som', '-o', 'out.mjs', '--format', 'esm', '--minify'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const code = fs.readFileSync(path.join(dir, 'out.mjs'), 'utf8');
  // The runtime's own names are mangled across the whole file.
  assert.doesNotMatch(code, /__somon_load|__somon_modules|__somon_relative/);
  const lib = scratch({
    'lib.som': 'содир функсия дучанд(а: рақам): рақам { бозгашт а * 2; }\nсодир собит НОМ = "ном";\n',
  });
  const l = runCli(['bundle', 'lib.som', '-o', 'lib.mjs', '--format', 'esm', '--minify'], { cwd: lib });
  assert.equal(l.status, 0, l.stderr);
  const check = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', `import d, { дучанд, НОМ } from ${JSON.stringify(path.join(lib, 'lib.mjs'))}; console.log(дучанд(21), НОМ, typeof d.дучанд);`],
    { encoding: 'utf8' },
  );
  assert.equal(check.stdout, '42 ном function\n', check.stderr);
  // An iife's global keeps its name.
  const g = runCli(['bundle', 'lib.som', '-o', 'lib.js', '--format', 'iife', '--global-name', 'Китобхона', '--minify'], { cwd: lib });
  assert.equal(g.status, 0, g.stderr);
  const iife = spawnSync(
    process.execPath,
    ['-e', `${fs.readFileSync(path.join(lib, 'lib.js'), 'utf8')}\nconsole.log(Китобхона.дучанд(4))`],
    { encoding: 'utf8' },
  );
  assert.equal(iife.stdout, '8\n', iife.stderr);
});

test('--minify: the source map still points into the .som files (a stack trace names the line that threw)', () => {
  const dir = scratch(THROWS);
  for (const format of ['cjs', 'esm']) {
    const out = format === 'esm' ? 'out.mjs' : 'out.js';
    const r = runCli(['bundle', 'main.som', '-o', out, '--format', format, '--minify', '--source-map'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.readFileSync(path.join(dir, out), 'utf8').split('\n').filter(Boolean).length, 2, 'one line of code and the map comment');
    const run = spawnSync(process.execPath, ['--enable-source-maps', path.join(dir, out)], { encoding: 'utf8' });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /манфӣ/);
    // The frame of `партофтан` is lib/calc.som, line 3.
    assert.match(run.stderr, /lib\/calc\.som:3:\d+/, run.stderr);
    // And the caller's: main.som, line 3.
    assert.match(run.stderr, /main\.som:3:\d+/, run.stderr);
  }
});

test('--minify --keep-names: .name of functions and classes survives whole-bundle mangling', () => {
  const dir = scratch(THROWS);
  const kept = runCli(['bundle', 'main.som', '-o', 'kept.js', '--minify', '--keep-names'], { cwd: dir });
  assert.equal(kept.status, 0, kept.stderr);
  const k = spawnSync(process.execPath, [path.join(dir, 'kept.js')], { encoding: 'utf8' });
  assert.match(k.stdout, /^42 Ҳисобгар\n/);
  const mangled = runCli(['bundle', 'main.som', '-o', 'mangled.js', '--minify'], { cwd: dir });
  assert.equal(mangled.status, 0, mangled.stderr);
  const m = spawnSync(process.execPath, [path.join(dir, 'mangled.js')], { encoding: 'utf8' });
  assert.match(m.stdout, /^42 /);
  assert.doesNotMatch(m.stdout, /Ҳисобгар/);
});
