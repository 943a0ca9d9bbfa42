// Code splitting (issue 16, item 3): `somon bundle --splitting --format esm
// --outdir dir`. Node is the oracle: the split build prints what the
// unbundled ES modules print. With a Chromium on the machine the split
// build for --platform browser also runs in a real headless page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { findChromium, runPage } from './helpers/chromium.mjs';
import { runNode, unbundledOutputs, writeFiles } from './helpers/esm-oracle.mjs';

const require = createRequire(import.meta.url);
const somon = require('../index.js');
const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'somon.js');

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'somon-split-'));
let counter = 0;

function project(files, dir = path.join(root, `p${++counter}`)) {
  return writeFiles(dir, files);
}

const node = runNode;

function somonCli(args, cwd, env = {}) {
  return spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
}

/** The unbundled program: every module as an ES module; stdout of each entry. */
const oracle = unbundledOutputs;

/** Splits `entries` of `dir` into `dir/<out>`; the written files (sorted) and their texts. */
function split(dir, entries, extra = [], { out = 'dist', env = {} } = {}) {
  const outdir = path.join(dir, out);
  fs.rmSync(outdir, { recursive: true, force: true });
  const r = somonCli(['bundle', ...entries, '--splitting', '--format', 'esm', '--outdir', out, ...extra], dir, env);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const files = {};
  for (const f of fs.readdirSync(outdir, { recursive: true }).sort()) {
    const full = path.join(outdir, f);
    if (fs.statSync(full).isFile()) files[f.split(path.sep).join('/')] = fs.readFileSync(full, 'utf8');
  }
  // The chunks are ES modules named .js.
  fs.writeFileSync(path.join(outdir, 'package.json'), '{"type":"module"}');
  return { outdir, files };
}

const APP = {
  'main.som':
    'ворид { умумӣ } аз "./умумӣ";\nчоп.сабт("асосӣ", умумӣ("м"));\nҳамзамон функсия асосӣ() {\n  собит а = интизор ворид("./а");\n  собит б = интизор ворид("./б");\n  чоп.сабт(а.кор(), б.кор(), а.ном);\n  собит а2 = интизор ворид("./а");\n  чоп.сабт(а2 === а, Object.keys(б).пайвастКардан(","));\n}\nасосӣ();\n',
  'а.som':
    'ворид { ёрдам } аз "./ёрӣ";\nчоп.сабт("а бор шуд");\nсодир собит ном = "а";\nсодир функсия кор(): сатр {\n  бозгашт ёрдам("а");\n}\n',
  'б.som':
    'ворид { ёрдам, шумор } аз "./ёрӣ";\nчоп.сабт("б бор шуд", шумор);\nсодир функсия кор(): сатр {\n  бозгашт ёрдам("б");\n}\n',
  'ёрӣ.som':
    'чоп.сабт("ёрӣ бор шуд");\nсодир тағ шумор = 0;\nсодир функсия ёрдам(х: сатр): сатр {\n  шумор += 1;\n  бозгашт "КОДИ_УМУМӢ:" + х + шумор;\n}\nсодир функсия нолозим(): сатр {\n  бозгашт "НОЛОЗИМ_МАТН";\n}\n',
  'умумӣ.som': 'содир функсия умумӣ(х: сатр): сатр {\n  бозгашт "умумӣ " + х;\n}\n',
};

test('two dynamic imports and a shared module: an entry, two chunks and a shared chunk, run as under Node', async () => {
  const dir = project(APP);
  const [expected] = await oracle(dir, ['main.som']);
  assert.notEqual(expected, '');
  for (const extra of [[], ['--minify'], ['--source-map'], ['--no-tree-shaking']]) {
    const { outdir, files } = split(dir, ['main.som'], extra);
    const js = Object.keys(files).filter((f) => f.endsWith('.js'));
    assert.equal(js.length, 4, `${extra}: ${js}`);
    assert.ok(js.includes('main.js'), js.join());
    assert.ok(js.some((f) => /^а-[A-Z2-7]{8}\.js$/.test(f)), js.join());
    assert.ok(js.some((f) => /^б-[A-Z2-7]{8}\.js$/.test(f)), js.join());
    assert.ok(js.some((f) => /^chunk-[A-Z2-7]{8}\.js$/.test(f)), js.join());
    const all = js.map((f) => files[f]).join('\n');
    // The shared module's code is in one chunk only, which both import.
    assert.equal(all.split('КОДИ_УМУМӢ:').length - 1, 1, all);
    const shared = js.find((f) => f.startsWith('chunk-'));
    assert.match(files[js.find((f) => f.startsWith('а-'))], new RegExp(`from"?\\s*"\\./${shared.replace('.', '\\.')}"`));
    assert.equal(all.includes('НОЛОЗИМ_МАТН'), extra.includes('--no-tree-shaking'));
    // The entry loads the chunks with import() of their files.
    for (const f of js.filter((f) => f !== 'main.js' && !f.startsWith('chunk-'))) {
      assert.ok(files['main.js'].includes(`import("./${f}")`), `${f} in ${files['main.js']}`);
    }
    if (extra.includes('--source-map')) {
      for (const f of js) {
        assert.ok(files[`${f}.map`], `${f}.map`);
        assert.equal(JSON.parse(files[`${f}.map`]).file, f);
      }
    }
    assert.equal(node(path.join(outdir, 'main.js'), dir), expected, `${extra}\n${all}`);
  }
});

test('two entries share a chunk and each runs as under Node', async () => {
  const dir = project({
    ...APP,
    'дигар.som': 'ворид { ёрдам } аз "./ёрӣ";\nворид { умумӣ } аз "./умумӣ";\nчоп.сабт("дигар", ёрдам("д"), умумӣ("д"));\n',
  });
  const expected = await oracle(dir, ['main.som', 'дигар.som']);
  const { outdir, files } = split(dir, ['main.som', 'дигар.som']);
  const js = Object.keys(files).filter((f) => f.endsWith('.js'));
  assert.ok(js.includes('main.js') && js.includes('дигар.js'), js.join());
  const all = js.map((f) => files[f]).join('\n');
  assert.equal(all.split('КОДИ_УМУМӢ:').length - 1, 1, all);
  assert.equal(all.split('"умумӣ "').length - 1, 1, all);
  assert.equal(node(path.join(outdir, 'main.js'), dir), expected[0]);
  assert.equal(node(path.join(outdir, 'дигар.js'), dir), expected[1]);
});

test('split output is the same from two folders and with one or two threads', () => {
  const a = project(APP, path.join(root, 'якум', 'app'));
  const b = project(APP, path.join(root, 'дуюм', 'ҷои', 'дигар'));
  const one = split(a, ['main.som'], ['--source-map'], { env: { RAYON_NUM_THREADS: '1' } }).files;
  const two = split(a, ['main.som'], ['--source-map'], { env: { RAYON_NUM_THREADS: '2' } }).files;
  const elsewhere = split(b, ['main.som'], ['--source-map'], { env: { RAYON_NUM_THREADS: '2' } }).files;
  assert.ok(Object.keys(one).length >= 8);
  assert.deepEqual(two, one);
  assert.deepEqual(elsewhere, one);
});

test('a chunk name changes when a chunk it imports changes; the entry keeps its name', () => {
  const dir = project(APP);
  const before = Object.keys(split(dir, ['main.som']).files).sort();
  fs.writeFileSync(path.join(dir, 'ёрӣ.som'), APP['ёрӣ.som'].replace('КОДИ_УМУМӢ:', 'КОДИ_НАВ:'));
  const after = Object.keys(split(dir, ['main.som']).files).sort();
  const pick = (names, prefix) => names.find((f) => f.startsWith(prefix));
  assert.notEqual(pick(after, 'chunk-'), pick(before, 'chunk-'));
  // а's and б's own code did not change, only the shared chunk's name.
  assert.notEqual(pick(after, 'а-'), pick(before, 'а-'));
  assert.notEqual(pick(after, 'б-'), pick(before, 'б-'));
  assert.ok(after.includes('main.js'));
  // Unchanged input, unchanged names.
  assert.deepEqual(Object.keys(split(dir, ['main.som']).files).sort(), after);
});

test('--chunk-names names the chunks', () => {
  const dir = project(APP);
  const { outdir, files } = split(dir, ['main.som'], ['--chunk-names', 'chunks/[name].[hash]']);
  const js = Object.keys(files).filter((f) => f.endsWith('.js'));
  assert.ok(js.includes('main.js'));
  assert.equal(js.filter((f) => /^chunks\/.+\.[A-Z2-7]{8}\.js$/.test(f)).length, 3, js.join());
  fs.writeFileSync(path.join(outdir, 'chunks', 'package.json'), '{"type":"module"}');
  assert.match(node(path.join(outdir, 'main.js'), dir), /КОДИ_УМУМӢ:а/);
  // A chunk's map names the sources from its own folder.
  const { files: mapped } = split(dir, ['main.som'], ['--chunk-names', 'chunks/[name].[hash]', '--source-map']);
  for (const f of Object.keys(mapped).filter((f) => f.endsWith('.js.map'))) {
    const map = JSON.parse(mapped[f]);
    for (const src of map.sources.filter((s) => s.endsWith('.som'))) {
      assert.ok(fs.existsSync(path.resolve(path.dirname(path.join(dir, 'dist', f)), src)), `${f}: ${src}`);
    }
  }
});

test('--splitting needs --format esm and --outdir; a CommonJS module cannot be an import() target', () => {
  const dir = project({ ...APP, 'кӯҳна.js': 'module.exports = 1;\n', 'бад.som': 'ворид("./кӯҳна.js").then((м) => чоп.сабт(м));\n' });
  let r = somonCli(['bundle', 'main.som', '--splitting', '--outdir', 'dist', '--format', 'cjs'], dir);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--format esm, not cjs/);
  r = somonCli(['--lang', 'ru', 'bundle', 'main.som', '--splitting', '--format', 'esm'], dir);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--outdir/);
  r = somonCli(['bundle', 'бад.som', '--splitting', '--format', 'esm', '--outdir', 'dist2'], dir);
  assert.equal(r.status, 1);
  assert.match(r.stdout + r.stderr, /SPLIT_NOT_ESM/);
  assert.ok(!fs.existsSync(path.join(dir, 'dist2', 'бад.js')));
});

// A CommonJS package (requiring a JSON file of its own) that two
// `ворид("…")` pages and the entry use: its factory runs once, lazily, in
// the chunk of factories every chunk that uses it imports.
const CJS_APP = {
  'node_modules/ҳисоб/package.json': '{"name":"ҳисоб","main":"index.js"}',
  'node_modules/ҳисоб/index.js':
    'var дода = require("./дода.json");\nconsole.log("ҳисоб бор шуд");\nvar шумор = 0;\nexports.ном = дода.ном;\nexports.ҷамъ = function (а, б) { шумор += 1; return а + б + дода.изофа; };\nexports.чанд = function () { return шумор; };\n',
  'node_modules/ҳисоб/дода.json': '{"ном":"ҲИСОБ_НОМ","изофа":100}',
  'main.som':
    'чоп.сабт("асосӣ");\nҳамзамон функсия асосӣ() {\n  собит а = интизор ворид("./а");\n  собит б = интизор ворид("./б");\n  чоп.сабт(а.кор(), б.кор());\n}\nасосӣ();\n',
  'а.som': 'ворид { ҷамъ, ном } аз "ҳисоб";\nчоп.сабт("а бор шуд", ном);\nсодир функсия кор(): сатр {\n  бозгашт "а" + ҷамъ(1, 2);\n}\n',
  'б.som': 'ворид { ҷамъ, чанд } аз "ҳисоб";\nчоп.сабт("б бор шуд");\nсодир функсия кор(): сатр {\n  бозгашт "б" + ҷамъ(3, 4) + ":" + чанд();\n}\n',
};

test('a CommonJS package and its JSON in a split build: one chunk of factories, run as under Node', async () => {
  const dir = project(CJS_APP);
  const [expected] = await oracle(dir, ['main.som']);
  assert.match(expected, /ҲИСОБ_НОМ/);
  for (const extra of [[], ['--minify'], ['--source-map']]) {
    const { outdir, files } = split(dir, ['main.som'], extra);
    const js = Object.keys(files).filter((f) => f.endsWith('.js'));
    const all = js.map((f) => files[f]).join('\n');
    // The package and its JSON are in the bundle once.
    assert.equal(all.split('ҳисоб бор шуд').length - 1, 1, all);
    assert.equal(all.split('ҲИСОБ_НОМ').length - 1, 1, all);
    assert.equal(node(path.join(outdir, 'main.js'), dir), expected, `${extra}`);
    // The same bytes again.
    assert.deepEqual(split(dir, ['main.som'], extra).files, files);
  }
});

const chromium = findChromium();
test('a split build for --platform browser runs in a headless Chromium page', { skip: chromium.skip }, async () => {
  const dir = project(APP);
  const [expected] = await oracle(dir, ['main.som']);
  const { outdir } = split(dir, ['main.som'], ['--platform', 'browser']);
  const page = await runPage(chromium.path, outdir, 'main.js');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page.console, expected.split('\n').filter((l) => l.length > 0));
});

test('a module imported both statically and with import() is one module with one namespace', async () => {
  const dir = project({
    'main.som':
      'ворид { кор } аз "./а";\nворид * чун Н аз "./н";\nчоп.сабт("асосӣ", кор(), Н.х);\nҳамзамон функсия асосӣ() {\n  собит а = интизор ворид("./а");\n  чоп.сабт(а.кор(), а.ном);\n  собит н = интизор ворид("./н");\n  чоп.сабт(н === Н, н.х, Object.keys(н).пайвастКардан(","));\n}\nасосӣ();\n',
    'а.som': 'чоп.сабт("а бор шуд");\nсодир собит ном = "а";\nсодир функсия кор(): сатр {\n  бозгашт "кор";\n}\n',
    'н.som': 'содир собит х = 5;\nсодир собит й = 6;\n',
  });
  const [expected] = await oracle(dir, ['main.som']);
  assert.match(expected, /^true 5 /m);
  for (const extra of [[], ['--minify']]) {
    const { outdir, files } = split(dir, ['main.som'], extra);
    const all = Object.values(files).join('\n');
    assert.equal(all.split('бор шуд').length - 1, 1, all);
    assert.equal(node(path.join(outdir, 'main.js'), dir), expected, all);
  }
});

test('each chunk has its own source map: a stack names the .som line in a chunk', async () => {
  const thrower = 'чоп.сабт("а бор шуд");\nсодир функсия кор(): сатр {\n  партофтан нав Error("АЗ_ЧАНК");\n}\n';
  const dir = project({ ...APP, 'а.som': thrower });
  const { outdir, files } = split(dir, ['main.som'], ['--source-map']);
  const chunk = Object.keys(files).find((f) => /^а-.*\.js$/.test(f));
  assert.ok(chunk, Object.keys(files).join());
  assert.ok(files[chunk].includes(`//# sourceMappingURL=${chunk}.map`));
  const r = spawnSync(process.execPath, ['--enable-source-maps', path.join(outdir, 'main.js')], { cwd: dir, encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  const line = thrower.split('\n').findIndex((l) => l.includes('партофтан')) + 1;
  assert.match(r.stderr, /АЗ_ЧАНК/);
  assert.ok(r.stderr.includes(`а.som:${line}:`), r.stderr);
});

test('a side effect imported before a shared module still runs first', async () => {
  const dir = project({
    'main.som': 'ворид "./а";\nворид { ш } аз "./ш";\nворид "./в";\nчоп.сабт("асосӣ", ш);\nворид("./д").баъд((м) => чоп.сабт(м.д));\n',
    'а.som': 'чоп.сабт("а");\n',
    'в.som': 'чоп.сабт("в");\n',
    'ш.som': 'чоп.сабт("ш");\nсодир собит ш = 1;\n',
    'д.som': 'ворид { ш } аз "./ш";\nсодир собит д = ш + 1;\n',
  });
  const [expected] = await oracle(dir, ['main.som']);
  assert.ok(expected.indexOf('а') < expected.indexOf('ш'), expected);
  for (const extra of [[], ['--minify']]) {
    const { outdir, files } = split(dir, ['main.som'], extra);
    const all = Object.values(files).join('\n');
    assert.equal(node(path.join(outdir, 'main.js'), dir), expected, all);
  }
});

test('--metafile, --analyze and --precompress with --splitting: one output per chunk', async () => {
  const zlib = await import('node:zlib');
  const dir = project(APP);
  const { outdir, files } = split(dir, ['main.som'], ['--metafile', 'meta.json', '--analyze', '--precompress', 'gzip,br', '--source-map']);
  const js = Object.keys(files).filter((f) => f.endsWith('.js'));
  assert.equal(js.length, 4, js.join());
  // Each chunk (not its map) has a .gz and a .br that decompress to it.
  for (const f of js) {
    const text = fs.readFileSync(path.join(outdir, f));
    assert.deepEqual(zlib.gunzipSync(fs.readFileSync(path.join(outdir, `${f}.gz`))), text);
    assert.deepEqual(zlib.brotliDecompressSync(fs.readFileSync(path.join(outdir, `${f}.br`))), text);
    assert.ok(!fs.existsSync(path.join(outdir, `${f}.map.gz`)));
  }
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8'));
  const outputs = Object.keys(meta.outputs);
  // One output per chunk and per map, named as written.
  assert.deepEqual(outputs.filter((o) => o.endsWith('.js')).sort(), js.map((f) => `dist/${f}`).sort());
  assert.deepEqual(outputs.filter((o) => o.endsWith('.map')).sort(), js.map((f) => `dist/${f}.map`).sort());
  for (const [name, o] of Object.entries(meta.outputs)) {
    assert.equal(o.bytes, fs.statSync(path.join(dir, name)).size, name);
    // The modules' bytes are at most the chunk's.
    const inChunk = Object.values(o.inputs).reduce((n, i) => n + i.bytesInOutput, 0);
    assert.ok(inChunk <= o.bytes, name);
    for (const input of Object.keys(o.inputs)) assert.ok(meta.inputs[input], input);
  }
  const main = meta.outputs['dist/main.js'];
  assert.equal(main.entryPoint, 'main.som');
  assert.ok(main.inputs['main.som']);
  // The entry imports the page chunks with import() and nothing else has an entry point.
  const dynamic = main.imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path).sort();
  assert.deepEqual(dynamic, js.filter((f) => /^[аб]-/.test(f)).map((f) => `dist/${f}`).sort());
  const shared = js.find((f) => f.startsWith('chunk-'));
  const pageA = meta.outputs[`dist/${js.find((f) => f.startsWith('а-'))}`];
  assert.deepEqual(pageA.imports, [{ path: `dist/${shared}`, kind: 'import-statement' }]);
  assert.equal(pageA.entryPoint, undefined);
  assert.ok(meta.outputs[`dist/${shared}`].inputs['ёрӣ.som']);
  assert.ok(meta.outputs[`dist/${shared}`].exports.length > 0);
  // Every module's bytes are in the chunks, once.
  const all = Object.values(meta.outputs).flatMap((o) => Object.keys(o.inputs));
  assert.equal(new Set(all).size, all.length);
  // --analyze prints each chunk with its modules.
  const r = somonCli(['bundle', 'main.som', '--splitting', '--format', 'esm', '--outdir', 'dist', '--analyze'], dir);
  assert.equal(r.status, 0, r.stderr);
  for (const f of js) assert.match(r.stdout, new RegExp(`dist/${f.replace('.', '\\.')}`));
  assert.match(r.stdout, /ёрӣ\.som .*\n.*included because: main\.som → а\.som → ёрӣ\.som|ёрӣ\.som .*\n.*included because: main\.som → б\.som → ёрӣ\.som/);
});

test('API: splitting returns the chunks in memory, or writes them to outdir', async () => {
  const dir = project(APP);
  const [expected] = await oracle(dir, ['main.som']);
  const entry = path.join(dir, 'main.som');
  const mem = await somon.bundle(entry, { format: 'esm', splitting: true, sourceMap: true });
  assert.deepEqual(mem.diagnostics, []);
  assert.equal(mem.code, '');
  const names = mem.chunks.map((c) => c.file);
  assert.equal(names.length, 4, names.join());
  assert.equal(mem.chunks[0].file, 'main.js');
  assert.deepEqual(mem.chunks.map((c) => c.entry), [true, false, false, false]);
  for (const c of mem.chunks) {
    assert.equal(JSON.parse(c.map).file, c.file);
    assert.equal(c.outputPath, undefined);
  }
  // The same chunks as the CLI writes (which names each map in a comment).
  const { files } = split(dir, ['main.som'], ['--source-map']);
  for (const c of mem.chunks) {
    assert.equal(`${c.code}//# sourceMappingURL=${path.basename(c.file)}.map\n`, files[c.file], c.file);
  }
  // Written: each chunk (and map) in outdir, and they run.
  const apiOut = path.join(dir, 'api-out');
  const sync = somon.bundleSync(entry, { format: 'esm', splitting: true, write: true, outdir: apiOut, chunkNames: 'chunks/[name]-[hash]' });
  assert.deepEqual(sync.diagnostics, []);
  for (const c of sync.chunks) {
    assert.equal(c.outputPath, path.join(apiOut, c.file));
    assert.equal(fs.readFileSync(c.outputPath, 'utf8'), c.code);
  }
  assert.ok(sync.chunks.slice(1).every((c) => c.file.startsWith('chunks/')), sync.chunks.map((c) => c.file).join());
  fs.writeFileSync(path.join(apiOut, 'package.json'), '{"type":"module"}');
  assert.equal(node(path.join(apiOut, 'main.js'), dir), expected);
  // Splitting needs esm, and outdir to write.
  assert.throws(() => somon.bundleSync(entry, { splitting: true }), { code: 'ERR_INVALID_ARG_VALUE', message: /format: 'esm'/ });
  assert.throws(() => somon.bundleSync(entry, { format: 'esm', splitting: true, write: true }), { code: 'ERR_INVALID_ARG_VALUE', message: /outdir/ });
});
