// --keep-names / keepNames: under --minify, `.name` of functions and
// classes stays what it is without minification (declared names, names
// inferred from the variable, class expressions), at every target, in the
// API, the CLI, the configuration file and bundles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { somon, runCli, scratch } from './helpers.mjs';

const program = `
функсия ҳисобкунак() { бозгашт 1; }
синф Корбар {}
синф Админ мерос Корбар {}
функсия сохтан() {
    собит ф = () => 1;
    собит г = функсия () { бозгашт 2; };
    собит К = синф {};
    собит номдор = функсия Номдор() {};
    синф Маҳаллӣ {}
    бозгашт [ф.name, г.name, К.name, номдор.name, Маҳаллӣ.name, нав Админ().constructor.name];
}
чоп.сабт(ҳисобкунак.name, Корбар.name, Админ.name, сохтан().join(","));
`;

function run(code, dir = scratch()) {
  fs.writeFileSync(path.join(dir, 'номҳо.js'), code);
  const r = spawnSync(process.execPath, [path.join(dir, 'номҳо.js')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

const plain = run(somon.compile(program, { fileName: 'номҳо.som' }).code);

test('the program prints its names without minification', () => {
  assert.match(plain, /ҳисобкунак Корбар Админ ф,г,К,Номдор,Маҳаллӣ,Админ/);
});

test('--minify alone renames (the option is needed)', () => {
  const r = somon.compile(program, { fileName: 'номҳо.som', minify: true });
  assert.notEqual(run(r.code), plain);
});

for (const target of ['es5', 'es2015', 'es2020', 'esnext']) {
  test(`keepNames keeps every .name under minify (${target})`, () => {
    const r = somon.compile(program, { fileName: 'номҳо.som', minify: true, keepNames: true, target });
    assert.deepEqual(r.diagnostics, []);
    assert.equal(run(r.code), plain);
  });
}

test('the CLI flag, the configuration key and bundles', () => {
  const dir = scratch({ 'номҳо.som': program });
  const out = path.join(dir, 'бо-парчам.js');
  const c = runCli(['compile', 'номҳо.som', '-o', out, '--minify', '--keep-names'], { cwd: dir });
  assert.equal(c.status, 0, c.stderr);
  assert.equal(run(fs.readFileSync(out, 'utf8')), plain);

  const b = path.join(dir, 'бандл.js');
  const bundled = runCli(['bundle', 'номҳо.som', '-o', b, '--minify', '--keep-names'], { cwd: dir });
  assert.equal(bundled.status, 0, bundled.stderr);
  assert.equal(run(fs.readFileSync(b, 'utf8')), plain);

  fs.writeFileSync(
    path.join(dir, 'somon.config.json'),
    JSON.stringify({ compilerOptions: { minify: true, keepNames: true } }),
  );
  const cfgOut = path.join(dir, 'бо-танзимот.js');
  const viaConfig = runCli(['compile', 'номҳо.som', '-o', cfgOut], { cwd: dir });
  assert.equal(viaConfig.status, 0, viaConfig.stderr);
  assert.equal(run(fs.readFileSync(cfgOut, 'utf8')), plain);

  const bundleApi = somon.bundleSync(path.join(dir, 'номҳо.som'), { minify: true, keepNames: true });
  assert.equal(run(bundleApi.code), plain);
});
