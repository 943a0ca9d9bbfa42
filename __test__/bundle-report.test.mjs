// What a bundle reports about itself: `--metafile` (esbuild's shape, sizes
// that add up), `--analyze` (largest modules and why each is included) and
// the API's `metafile: true`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root, runCli, scratch, somon } from './helpers.mjs';

// A Somon entry importing a Somon module, a CommonJS file, a JSON file and
// a Node.js built-in (external), with a dynamic import.
const PROJECT = {
  'main.som': `ворид { ҷамъ } аз "./lib/math";
ворид маълумот аз "./data.json";
ворид { дароз } аз "./lib/util.js";
ворид fs аз "fs";
чоп.сабт(ҷамъ(1, 2), маълумот.ном, дароз("салом"), навъи fs.readFileSync);
содир собит натиҷа = ҷамъ(2, 3);
`,
  'lib/math.som': `ворид { дучанд } аз "./deep";
содир функсия ҷамъ(а: рақам, б: рақам): рақам { бозгашт дучанд(а) / 2 + б; }
`,
  'lib/deep.som': `содир функсия дучанд(а: рақам): рақам { бозгашт а * 2; }
`,
  'lib/util.js': `exports.дароз = function (s) { return s.length; };\n`,
  'data.json': `{ "ном": "Сомон" }\n`,
};

function bundleWithMeta(dir, extra = []) {
  const r = runCli(['bundle', 'main.som', '-o', 'dist/app.js', '--metafile', 'meta.json', ...extra], { cwd: dir });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  return { r, meta: JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8')) };
}

test('--metafile: every input with its bytes, imports and format; paths relative to the working folder', () => {
  const dir = scratch(PROJECT);
  const { meta } = bundleWithMeta(dir, ['--source-map']);
  assert.deepEqual(Object.keys(meta.inputs).sort(), ['data.json', 'lib/deep.som', 'lib/math.som', 'lib/util.js', 'main.som']);
  for (const [p, input] of Object.entries(meta.inputs)) {
    assert.equal(input.bytes, fs.statSync(path.join(dir, p)).size, p);
  }
  assert.equal(meta.inputs['main.som'].format, 'esm');
  assert.equal(meta.inputs['lib/util.js'].format, 'cjs');
  assert.equal(meta.inputs['data.json'].format, undefined);
  assert.deepEqual(meta.inputs['main.som'].imports, [
    { path: 'lib/math.som', kind: 'import-statement', original: './lib/math' },
    { path: 'data.json', kind: 'import-statement', original: './data.json' },
    { path: 'lib/util.js', kind: 'import-statement', original: './lib/util.js' },
    { path: 'fs', kind: 'import-statement', external: true },
  ]);
  // The bundle and its map are the outputs; the bundle names its entry.
  assert.deepEqual(Object.keys(meta.outputs).sort(), ['dist/app.js', 'dist/app.js.map']);
  const out = meta.outputs['dist/app.js'];
  assert.equal(out.entryPoint, 'main.som');
  assert.equal(out.bytes, fs.statSync(path.join(dir, 'dist/app.js')).size);
  assert.equal(meta.outputs['dist/app.js.map'].bytes, fs.statSync(path.join(dir, 'dist/app.js.map')).size);
  assert.deepEqual(out.imports, [{ path: 'fs', kind: 'require-call', external: true }]);
  // A CommonJS bundle exports nothing by name.
  assert.deepEqual(out.exports, []);
});

test('--metafile: the bytes of each input are its own stretch of the bundle, and with the rest they add up to the output', () => {
  for (const extra of [[], ['--minify'], ['--format', 'esm', '--source-map=inline']]) {
    const dir = scratch(PROJECT);
    const { meta } = bundleWithMeta(dir, extra);
    const code = fs.readFileSync(path.join(dir, 'dist/app.js'), 'utf8');
    const out = meta.outputs['dist/app.js'];
    const bytes = Buffer.from(code);
    let rest = bytes;
    const sum = Object.values(out.inputs).reduce((n, i) => n + i.bytesInOutput, 0);
    assert.ok(sum > 0 && sum < out.bytes, `${extra}: ${sum} of ${out.bytes}`);
    let hoisted = 0;
    for (const [p, { bytesInOutput }] of Object.entries(out.inputs)) {
      // A module in the factory table (JSON, CommonJS, lazily loaded):
      // its entry starts with its key and is exactly bytesInOutput long
      // (it ends with the factory's closing brace). A hoisted module's
      // bytes are its live statements, between the others'.
      const key = Buffer.from(`${JSON.stringify(p)}:`);
      const at = rest.indexOf(key);
      if (at < 0) {
        assert.ok(bytesInOutput > 0, `${extra}: ${p} has bytes`);
        hoisted += bytesInOutput;
        continue;
      }
      const own = rest.subarray(at, at + bytesInOutput).toString();
      assert.ok(own.trimEnd().endsWith('}'), `${extra}: ${p} ends its factory: ${own.slice(-40)}`);
      rest = Buffer.concat([rest.subarray(0, at), rest.subarray(at + bytesInOutput)]);
    }
    // What is left is the hoisted modules' code and the bundle's own: the
    // runtime, not a module's factory.
    assert.equal(rest.length - hoisted, out.bytes - sum, `${extra}`);
    const left = rest.toString();
    assert.match(left, /__somon_modules|function\s*\(/);
    // No module's factory is left in it.
    assert.doesNotMatch(left, /function\s*\(module,\s*exports,\s*require\)/, `${extra}`);
    if (extra.includes('esm')) assert.deepEqual(out.exports, ['default', 'натиҷа']);
    const run = spawnSync(process.execPath, [path.join(dir, 'dist/app.js')], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  }
});

test("--metafile has the shape of esbuild's metafile for an equivalent JavaScript project", async () => {
  const esbuild = await import(path.join(root, 'node_modules', 'esbuild', 'lib', 'main.js'));
  const dir = scratch({
    ...PROJECT,
    'js/main.js': `import { ҷамъ } from "./math.js";\nimport fs from "fs";\nimport("./late.js");\nconsole.log(ҷамъ(1, 2), typeof fs);\nexport const натиҷа = 1;\n`,
    'js/math.js': `export function ҷамъ(а, б) { return а + б; }\n`,
    'js/late.js': `module.exports = 1;\n`,
  });
  const theirs = (
    await esbuild.build({
      absWorkingDir: dir,
      entryPoints: ['js/main.js'],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: 'js/out.js',
      sourcemap: true,
      metafile: true,
      logLevel: 'silent',
    })
  ).metafile;
  const { meta: ours } = bundleWithMeta(dir, ['--format', 'esm', '--source-map']);
  // Key order included: a reader written for esbuild's metafile reads ours.
  const shape = (m) => {
    const inputs = Object.values(m.inputs);
    const imports = inputs.flatMap((i) => i.imports);
    const outputs = Object.values(m.outputs);
    const code = outputs.find((o) => o.entryPoint);
    return {
      top: Object.keys(m),
      input: [...new Set(inputs.filter((i) => i.format).map((i) => Object.keys(i).join()))],
      internalImport: [...new Set(imports.filter((i) => !i.external).map((i) => Object.keys(i).join()))],
      externalImport: [...new Set(imports.filter((i) => i.external).map((i) => Object.keys(i).join()))],
      output: Object.keys(code),
      outputInput: [...new Set(Object.values(code.inputs).map((i) => Object.keys(i).join()))],
      map: outputs.filter((o) => !o.entryPoint).map((o) => Object.keys(o).join()),
      kinds: [...new Set(imports.map((i) => typeof i.kind))],
    };
  };
  assert.deepEqual(shape(ours), shape(theirs));
});

test('--analyze: the largest modules first, each with its share and the chain of imports from the entry', () => {
  const dir = scratch(PROJECT);
  const { r, meta } = bundleWithMeta(dir, ['--analyze']);
  const lines = r.stdout.split('\n');
  const rows = lines.filter((l) => l.startsWith('   ├ '));
  const sizes = Object.entries(meta.outputs['dist/app.js'].inputs)
    .sort(([, a], [, b]) => b.bytesInOutput - a.bytesInOutput)
    .map(([p]) => p);
  assert.deepEqual(
    rows.map((l) => l.slice(5).split('  ')[0]),
    sizes,
  );
  // Why lib/deep.som is there: main.som → lib/math.som → lib/deep.som.
  const deep = lines.findIndex((l) => l.startsWith('   ├ lib/deep.som'));
  assert.equal(lines[deep + 1], '   │  └ included because: main.som → lib/math.som → lib/deep.som');
  const entry = lines.findIndex((l) => l.startsWith('   ├ main.som'));
  assert.equal(lines[entry + 1], '   │  └ included because it is the entry point');
  assert.match(r.stdout, /\(the bundle's runtime and shared helpers, no module\)/);
  assert.match(r.stdout, /\d+(\.\d)?%/);
  // In Tajik and Russian through the catalogue.
  const tj = runCli(['bundle', 'main.som', '-o', 'dist/app.js', '--analyze', '--lang', 'tj'], { cwd: dir });
  assert.match(tj.stdout, /дар бандл аст, зеро ворид шудааст: main\.som → lib\/math\.som → lib\/deep\.som/);
  const ru = runCli(['bundle', 'main.som', '-o', 'dist/app.js', '--analyze', '--lang', 'ru'], { cwd: dir });
  assert.match(ru.stdout, /включён, потому что это точка входа/);
});

test('--metafile never replaces a file the build read', () => {
  const dir = scratch(PROJECT);
  const before = fs.readFileSync(path.join(dir, 'data.json'), 'utf8');
  const r = runCli(['bundle', 'main.som', '-o', 'dist/app.js', '--metafile', 'data.json'], { cwd: dir });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /data\.json/);
  assert.equal(fs.readFileSync(path.join(dir, 'data.json'), 'utf8'), before);
});

test('API: metafile: true returns the metafile; its output is the code returned (or the file written)', () => {
  const dir = scratch(PROJECT);
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const r = somon.bundleSync('main.som', { metafile: true, format: 'esm' });
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
    const meta = JSON.parse(r.metafile);
    assert.deepEqual(Object.keys(meta.outputs), ['<stdout>']);
    assert.equal(meta.outputs['<stdout>'].bytes, Buffer.byteLength(r.code));
    assert.equal(meta.outputs['<stdout>'].entryPoint, 'main.som');
    const w = somon.bundleSync('main.som', { metafile: true, write: true, output: 'out/b.js', sourceMap: true });
    const wm = JSON.parse(w.metafile);
    assert.deepEqual(Object.keys(wm.outputs), ['out/b.js.map', 'out/b.js']);
    assert.equal(wm.outputs['out/b.js'].bytes, fs.statSync(path.join(dir, 'out/b.js')).size);
    assert.equal(somon.bundleSync('main.som').metafile, undefined);
  } finally {
    process.chdir(cwd);
  }
});

test('--precompress writes .gz and .br copies that decompress to the bundle, at the levels asked for', async () => {
  const zlib = await import('node:zlib');
  const dir = scratch(PROJECT);
  const r = runCli(['bundle', 'main.som', '-o', 'dist/app.js', '--source-map', '--precompress', 'gzip,br'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const code = fs.readFileSync(path.join(dir, 'dist/app.js'));
  const gz = fs.readFileSync(path.join(dir, 'dist/app.js.gz'));
  const br = fs.readFileSync(path.join(dir, 'dist/app.js.br'));
  assert.deepEqual(zlib.gunzipSync(gz), code);
  assert.deepEqual(zlib.brotliDecompressSync(br), code);
  // Maps are not compressed (only developer tools fetch them).
  assert.ok(!fs.existsSync(path.join(dir, 'dist/app.js.map.gz')));
  // The summary names the raw and compressed sizes.
  const kb = (n) => (n < 1024 ? `${n} b` : `${(n / 1024).toFixed(1)} kb`);
  assert.ok(
    r.stdout.includes(`size: ${kb(code.length)}; compressed: gzip ${kb(gz.length)}, br ${kb(br.length)}`),
    r.stdout,
  );
  // Deterministic: the same bytes again (no time in the gzip header).
  runCli(['bundle', 'main.som', '-o', 'dist/app.js', '--source-map', '--precompress', 'gzip,br'], { cwd: dir });
  assert.deepEqual(fs.readFileSync(path.join(dir, 'dist/app.js.gz')), gz);
  // Lower levels give other (valid) bytes; only the codecs asked for.
  const low = scratch(PROJECT);
  const l = runCli(['bundle', 'main.som', '-o', 'dist/app.js', '--precompress', 'gzip=1'], { cwd: low });
  assert.equal(l.status, 0, l.stderr);
  assert.deepEqual(
    zlib.gunzipSync(fs.readFileSync(path.join(low, 'dist/app.js.gz'))),
    fs.readFileSync(path.join(low, 'dist/app.js')),
  );
  assert.ok(!fs.existsSync(path.join(low, 'dist/app.js.br')));
  assert.match(l.stdout, /compressed: gzip /);
});

test('--precompress: an unknown codec or a level out of range is a usage error before any work', () => {
  const dir = scratch(PROJECT);
  for (const bad of ['zip', 'gzip=10', 'br=12', 'br=x']) {
    const r = runCli(['bundle', 'main.som', '-o', 'dist/app.js', '--precompress', bad], { cwd: dir });
    assert.equal(r.status, 2, bad);
    assert.match(r.stderr, /USAGE/);
    assert.ok(r.stderr.includes(bad), r.stderr);
    assert.ok(!fs.existsSync(path.join(dir, 'dist/app.js')), bad);
  }
});
