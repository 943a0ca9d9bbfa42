// The addon's API for tools (bundler plugins, loader hooks, test
// transformers): `rewriteRelativeImportExtensions`, `compileModule`, and
// `resolve` with the project's `resolution` settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, renameSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const somon = require('../index.js');
const fixture = new URL('./fixtures/plugin-project/', import.meta.url);

function project() {
  const dir = mkdtempSync(join(tmpdir(), 'somon-module-'));
  cpSync(fixture, dir, { recursive: true });
  renameSync(join(dir, '_node_modules'), join(dir, 'node_modules'));
  return dir;
}

const SOURCE = 'ворид { а } аз "./lib/shakl";\nворид б аз "../б.som";\nчоп.сабт(а, б);\n';

function importLines(code) {
  return [...code.matchAll(/ from "([^"]*)"/g)].map((m) => m[1]);
}

test('rewriteRelativeImportExtensions: true (default) adds .js, false keeps specifiers as written', () => {
  const rewritten = somon.compile(SOURCE, { module: 'esm', typeCheck: false });
  assert.deepEqual(importLines(rewritten.code), ['./lib/shakl.js', '../б.js']);
  const kept = somon.compile(SOURCE, { module: 'esm', typeCheck: false, rewriteRelativeImportExtensions: false });
  assert.deepEqual(importLines(kept.code), ['./lib/shakl', '../б.som']);
  const cjs = somon.compile(SOURCE, { module: 'cjs', typeCheck: false, rewriteRelativeImportExtensions: false });
  assert.match(cjs.code, /require\("\.\/lib\/shakl"\)/);
  assert.match(cjs.code, /require\("\.\.\/б\.som"\)/);
  assert.throws(
    () => somon.compile(SOURCE, { rewriteRelativeImportExtensions: 'no' }),
    (e) => e instanceof TypeError && /rewriteRelativeImportExtensions/.test(e.message),
  );
});

test('resolve applies resolution.paths of the configuration found upward from the importer', () => {
  const dir = project();
  try {
    const main = join(dir, 'src', 'main.som');
    assert.deepEqual(somon.resolve('@асбоб/матн', main), {
      kind: 'file',
      path: join(dir, 'src', 'асбоб', 'матн.som'),
    });
    assert.equal(somon.resolve('./lib/shakl', main).path, join(dir, 'src', 'lib', 'shakl.som'));
    assert.equal(somon.resolve('salom-pkg', main).kind, 'package');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('compileModule checks a file against its imports and lists what it depends on', async () => {
  const dir = project();
  try {
    const main = join(dir, 'src', 'main.som');
    const text = readFileSync(main, 'utf8');
    const ok = await somon.compileModule(main, text, {
      module: 'esm',
      sourceMap: true,
      rewriteRelativeImportExtensions: false,
    });
    assert.deepEqual(ok.diagnostics, []);
    assert.match(ok.code, /from "\.\/lib\/shakl"/);
    assert.match(ok.code, /from "@асбоб\/матн"/);
    assert.equal(ok.configFile, join(dir, 'somon.config.json'));
    for (const f of ['src/lib/shakl.som', 'src/навъҳо.som', 'src/асбоб/матн.som', 'somon.config.json']) {
      assert.ok(ok.dependencies.includes(join(dir, f)), `${f} in ${ok.dependencies}`);
    }
    assert.ok(!ok.dependencies.includes(main));
    assert.deepEqual(JSON.parse(ok.map).sources.length, 1);

    // A type error across files: масоҳат takes a Шакл.
    const bad = await somon.compileModule(main, `${text}масоҳат("матн");\n`, { module: 'esm' });
    assert.equal(bad.code, '');
    const error = bad.diagnostics.find((d) => d.severity === 'error');
    assert.ok(error, JSON.stringify(bad.diagnostics));
    assert.equal(error.line, 14);

    // An invalid configuration is an error naming it.
    writeFileSync(join(dir, 'somon.config.json'), '{ "resolution": { "pathz": {} } }');
    await assert.rejects(somon.compileModule(main, text), /pathz/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
