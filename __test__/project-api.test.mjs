import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { spawnSync } from 'node:child_process';
import { root, scratch, somon } from './helpers.mjs';

const project = {
  'main.som': 'ворид { ҷамъ } аз "./lib/ҳисоб";\nворид маълумот аз "./маълумот.json";\nворид * чун path аз "node:path";\nчоп.сабт(ҷамъ(2, 3), маълумот.ном, path.basename("/а/б.txt"));\n',
  'lib/ҳисоб.som': 'содир функсия ҷамъ(а: рақам, б: рақам): рақам {\n  бозгашт а + б;\n}\n',
  'маълумот.json': '{ "ном": "Сомон" }',
};

function runFile(file, cwd) {
  const r = spawnSync(process.execPath, [file], { cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('bundleSync builds a runnable bundle in every format', () => {
  const dir = scratch(project);
  for (const format of ['cjs', 'esm', 'iife', 'umd']) {
    const r = somon.bundleSync(path.join(dir, 'main.som'), { format, globalName: 'Барнома' });
    assert.deepEqual(r.diagnostics, [], format);
    // main, lib/ҳисоб.som and the JSON file; node:path stays external.
    assert.equal(r.modules, 3);
    const out = path.join(dir, `bundle-${format}.${format === 'esm' ? 'mjs' : 'js'}`);
    fs.writeFileSync(out, r.code);
    const run = runFile(out, dir);
    assert.equal(run.stdout, '5 Сомон б.txt\n', `${format}: ${run.stderr}`);
  }
});

test('bundles are byte-identical in different folders', () => {
  const a = scratch(project);
  const b = scratch(project);
  const ra = somon.bundleSync(path.join(a, 'main.som'), { sourceMap: true });
  const rb = somon.bundleSync(path.join(b, 'main.som'), { sourceMap: true });
  assert.equal(ra.code, rb.code);
  assert.equal(ra.map, rb.map);
  const map = JSON.parse(ra.map);
  assert.ok(map.sources.includes('main.som'), map.sources.join(','));
  assert.ok(map.sources.includes('lib/ҳисоб.som'), map.sources.join(','));
});

test('errors in any module are all reported and no bundle is produced', () => {
  const dir = scratch({
    'main.som': 'ворид { ф } аз "./б";\nворид { г } аз "./нест";\nчоп.сабт(ф(1));\n',
    'б.som': 'содир функсия ф(): рақам { бозгашт "х"; }\n',
  });
  const r = somon.bundleSync(path.join(dir, 'main.som'));
  assert.equal(r.code, '');
  const codes = r.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}:${d.column}`).sort();
  assert.ok(codes.some((c) => c.startsWith('MODULE_NOT_FOUND') && c.includes('main.som:2:16')), codes.join('\n'));
  assert.ok(codes.some((c) => c.startsWith('TYPE_NOT_ASSIGNABLE') && c.includes('б.som:1:36')), codes.join('\n'));
  const missing = r.diagnostics.find((d) => d.code === 'MODULE_NOT_FOUND');
  assert.match(missing.notes.join(' '), /нест\.som/);
});

test('import cycles warn, or fail with circular: error', () => {
  const dir = scratch({
    'main.som': 'ворид { б } аз "./б";\nсодир собит а = 1;\nчоп.сабт(б());\n',
    'б.som': 'ворид { а } аз "./main";\nсодир функсия б() { бозгашт а + 1; }\n',
  });
  const warn = somon.bundleSync(path.join(dir, 'main.som'));
  assert.ok(warn.code.length > 0);
  assert.deepEqual(warn.diagnostics.map((d) => [d.code, d.severity]), [['CIRCULAR_IMPORT', 'warning']]);
  assert.match(warn.diagnostics[0].message, /main\.som -> б\.som -> main\.som/);
  const err = somon.bundleSync(path.join(dir, 'main.som'), { circular: 'error' });
  assert.equal(err.code, '');
  assert.equal(err.diagnostics[0].severity, 'error');
});

test('bundle() runs off the main thread and can be aborted', async () => {
  const dir = scratch(project);
  const r = await somon.bundle(path.join(dir, 'main.som'), { minify: true });
  assert.deepEqual(r.diagnostics, []);
  assert.ok(r.code.length > 0);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(somon.bundle(path.join(dir, 'main.som'), {}, controller.signal), (e) => e.name === 'AbortError');
});

test('hundreds of concurrent calls are safe', async () => {
  const dir = scratch(project);
  const results = await Promise.all(
    Array.from({ length: 200 }, (_, i) =>
      i % 2 ? somon.bundle(path.join(dir, 'main.som')) : somon.compileAsync(`чоп.сабт(${i});`),
    ),
  );
  const bundles = new Set(results.filter((_, i) => i % 2).map((r) => r.code));
  assert.equal(bundles.size, 1);
});

test('calls from several worker threads', async () => {
  const dir = scratch(project);
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const somon = require(${JSON.stringify(root)});
    Promise.all([somon.bundle(workerData), somon.compileAsync('тағ а = 1;')])
      .then(([b, c]) => parentPort.postMessage(b.code.length > 0 && c.code.length > 0));
  `;
  const runs = Array.from({ length: 4 }, async () => {
    const worker = new Worker(code, { eval: true, workerData: path.join(dir, 'main.som') });
    const ok = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    return ok;
  });
  assert.deepEqual(await Promise.all(runs), [true, true, true, true]);
});

test('compileFiles and check work on folders in parallel', async () => {
  const dir = scratch({ ...project, 'бад.som': 'тағ х: рақам = "сатр";\n' });
  const compiled = await somon.compileFiles([dir]);
  assert.deepEqual(compiled.map((f) => path.relative(dir, f.file)), ['бад.som', 'lib/ҳисоб.som', 'main.som'].sort());
  const main = compiled.find((f) => f.file.endsWith('main.som'));
  assert.match(main.code, /require\("\.\/lib\/ҳисоб\.js"\)/);
  const checked = await somon.check([dir]);
  const bad = checked.find((f) => f.file.endsWith('бад.som'));
  assert.deepEqual(bad.diagnostics.map((d) => d.code), ['TYPE_NOT_ASSIGNABLE']);
  assert.equal(bad.code, '');
});

test('resolve() explains what it tried', () => {
  const dir = scratch(project);
  const from = path.join(dir, 'main.som');
  assert.deepEqual(somon.resolve('./lib/ҳисоб', from), {
    kind: 'file',
    path: path.join(fs.realpathSync(dir) === dir ? dir : dir, 'lib', 'ҳисоб.som'),
  });
  assert.deepEqual(somon.resolve('node:fs', from), { kind: 'builtin', name: 'node:fs' });
  assert.throws(() => somon.resolve('./нест', from), /MODULE_NOT_FOUND.*нест\.som/);
});

test('a bundle is byte-identical with 1 and with 2 threads', () => {
  const dir = scratch({
    ...project,
    'lib/б.som': 'содир собит б = 2;\n',
    'lib/в.som': 'ворид { б } аз "./б";\nсодир собит в = б + 1;\n',
    'main2.som': 'ворид { в } аз "./lib/в";\nворид { ҷамъ } аз "./lib/ҳисоб";\nчоп.сабт(ҷамъ(в, 1));\n',
  });
  const script = `const s = require(${JSON.stringify(root)}); const r = s.bundleSync(${JSON.stringify(path.join(dir, 'main2.som'))}, { sourceMap: true }); process.stdout.write(JSON.stringify([r.code, r.map]));`;
  const outputs = ['1', '2'].map((threads) => {
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, RAYON_NUM_THREADS: threads } });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  });
  assert.equal(outputs[0], outputs[1]);
  assert.ok(JSON.parse(outputs[0])[0].length > 0);
});

test("swc's helpers appear once per bundle, not once per module", () => {
  const dir = scratch({
    'main.som': 'ворид { А } аз "./а";\nворид { Б } аз "./б";\nчоп.сабт(нав А().х + нав Б().у);\n',
    'а.som': 'содир синф А { х = 1; }\n',
    'б.som': 'содир синф Б { у = 2; }\n',
  });
  const r = somon.bundleSync(path.join(dir, 'main.som'));
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.code.split('function _define_property(').length - 1, 1);
  const out = path.join(dir, 'out.js');
  fs.writeFileSync(out, r.code);
  assert.equal(runFile(out, dir).stdout, '3\n');
});
