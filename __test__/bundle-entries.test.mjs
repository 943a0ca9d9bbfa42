// `somon bundle a.som b.som --outdir dist`: one bundle (and map) per
// entry, named after the entry as esbuild names them; entries of the same
// name are an error before anything is written; `-o` with one entry is
// unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, scratch } from './helpers.mjs';

const FILES = {
  'src/а.som': 'ворид { н } аз "./умумӣ";\nчоп.сабт("а", н);\n',
  'src/b.som': 'ворид { н } аз "./умумӣ";\nчоп.сабт("b", н * 2);\n',
  'src/умумӣ.som': 'содир собит н = 7;\n',
  'src/x/main.som': 'чоп.сабт(1);\n',
  'src/y/main.som': 'чоп.сабт(2);\n',
};

const node = (file) => spawnSync(process.execPath, [file], { encoding: 'utf8' });

test('several entries: one bundle and one map each in --outdir, named after the entry', () => {
  const dir = scratch(FILES);
  const r = runCli(['bundle', 'src/а.som', 'src/b.som', '--outdir', 'dist', '--source-map'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(fs.readdirSync(path.join(dir, 'dist')).sort(), ['b.js', 'b.js.map', 'а.js', 'а.js.map']);
  assert.equal(node(path.join(dir, 'dist', 'а.js')).stdout, 'а 7\n');
  assert.equal(node(path.join(dir, 'dist', 'b.js')).stdout, 'b 14\n');
  // Each map names its own entry's sources.
  const map = JSON.parse(fs.readFileSync(path.join(dir, 'dist', 'b.js.map'), 'utf8'));
  assert.ok(map.sources.some((s) => s.endsWith('src/b.som')), map.sources.join());
  assert.ok(!map.sources.some((s) => s.endsWith('src/а.som')));
  // Each is the bundle the entry gives alone.
  const alone = runCli(['bundle', 'src/b.som', '-o', 'alone/b.js', '--source-map'], { cwd: dir });
  assert.equal(alone.status, 0, alone.stderr);
  const strip = (p) => fs.readFileSync(p, 'utf8');
  assert.equal(strip(path.join(dir, 'dist', 'b.js')), strip(path.join(dir, 'alone', 'b.js')));
  // One entry with --outdir works too.
  const one = runCli(['bundle', 'src/а.som', '--outdir', 'one', '--format', 'esm'], { cwd: dir });
  assert.equal(one.status, 0, one.stderr);
  assert.ok(fs.existsSync(path.join(dir, 'one', 'а.js')));
});

test('two entries of the same name are a diagnostic, and nothing is written', () => {
  const dir = scratch(FILES);
  const r = runCli(['bundle', 'src/x/main.som', 'src/y/main.som', '--outdir', 'dist'], { cwd: dir });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /OUTPUT_COLLISION/);
  assert.match(r.stderr, /src\/x\/main\.som and src\/y\/main\.som would both be written to dist\/main\.js/);
  assert.ok(!fs.existsSync(path.join(dir, 'dist')));
  const tj = runCli(['bundle', 'src/x/main.som', 'src/y/main.som', '--outdir', 'dist', '--lang', 'tj'], { cwd: dir });
  assert.match(tj.stderr, /ҳарду ба як файли dist\/main\.js навишта мешуданд/);
});

test('several entries need --outdir, not -o; -o with one entry is unchanged', () => {
  const dir = scratch(FILES);
  const r = runCli(['bundle', 'src/а.som', 'src/b.som'], { cwd: dir });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /2 entry points give one bundle each/);
  const o = runCli(['bundle', 'src/а.som', 'src/b.som', '--outdir', 'd', '-o', 'x.js'], { cwd: dir });
  assert.equal(o.status, 2);
  assert.match(o.stderr, /--outdir cannot be used together with --output/);
  const single = runCli(['bundle', 'src/а.som', '-o', 'out/app.js'], { cwd: dir });
  assert.equal(single.status, 0, single.stderr);
  assert.equal(node(path.join(dir, 'out', 'app.js')).stdout, 'а 7\n');
});

// `bundle.entry` in somon.config.json: one path or an array of entries.
const config = (entry) => JSON.stringify({ bundle: { entry, format: 'esm' } });

test('bundle.entry as an array: `somon bundle --outdir` bundles every configured entry', () => {
  const dir = scratch({ ...FILES, 'somon.config.json': config(['src/а.som', 'src/b.som']) });
  const r = runCli(['bundle', '--outdir', 'dist'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(fs.readdirSync(path.join(dir, 'dist')).sort(), ['b.js', 'а.js']);
  fs.writeFileSync(path.join(dir, 'dist', 'package.json'), '{"type":"module"}');
  assert.equal(node(path.join(dir, 'dist', 'а.js')).stdout, 'а 7\n');
  assert.equal(node(path.join(dir, 'dist', 'b.js')).stdout, 'b 14\n');
  // With --splitting the configured entries share a chunk.
  const s = runCli(['bundle', '--outdir', 'split', '--splitting'], { cwd: dir });
  assert.equal(s.status, 0, s.stderr);
  const files = fs.readdirSync(path.join(dir, 'split')).sort();
  assert.equal(files.length, 3, files.join());
  fs.writeFileSync(path.join(dir, 'split', 'package.json'), '{"type":"module"}');
  assert.equal(node(path.join(dir, 'split', 'а.js')).stdout, 'а 7\n');
  assert.equal(node(path.join(dir, 'split', 'b.js')).stdout, 'b 14\n');
  // Several entries without --outdir: the usual usage error.
  const no = runCli(['bundle'], { cwd: dir });
  assert.equal(no.status, 2);
  assert.match(no.stderr, /2 entry points give one bundle each/);
  // `somon config` prints the array.
  const c = runCli(['config'], { cwd: dir });
  assert.equal(c.status, 0, c.stderr);
  const line = c.stdout.split('\n').find((l) => l.startsWith('bundle.entry = '));
  assert.match(line, /^bundle\.entry = \[".*src\/а\.som",".*src\/b\.som"\] \(config file /);
});

test('bundle.entry with one path still gives one bundle; an entry on the command line wins', () => {
  const dir = scratch({ ...FILES, 'somon.config.json': config('src/b.som') });
  const r = runCli(['bundle', '-o', 'out.mjs'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(node(path.join(dir, 'out.mjs')).stdout, 'b 14\n');
  const given = runCli(['bundle', 'src/а.som', '-o', 'given.mjs'], { cwd: dir });
  assert.equal(given.status, 0, given.stderr);
  assert.equal(node(path.join(dir, 'given.mjs')).stdout, 'а 7\n');
});

test('bundle.entry problems are diagnostics: empty, repeated, missing, none', () => {
  const empty = scratch({ ...FILES, 'somon.config.json': config([]) });
  const e = runCli(['bundle', '--outdir', 'dist'], { cwd: empty });
  assert.equal(e.status, 2);
  assert.match(e.stderr, /CONFIG_INVALID_VALUE/);
  assert.match(e.stderr, /non-empty array of such paths/);
  const twice = scratch({ ...FILES, 'somon.config.json': config(['src/а.som', 'src/а.som']) });
  const t = runCli(['bundle', '--outdir', 'dist', '--lang', 'tj'], { cwd: twice });
  assert.equal(t.status, 2);
  assert.match(t.stderr, /bundle\.entry\[1\]/);
  assert.match(t.stderr, /пештар номбар нашудааст/);
  const missing = scratch({ ...FILES, 'somon.config.json': config(['src/а.som', 'src/нест.som']) });
  const m = runCli(['bundle', '--outdir', 'dist'], { cwd: missing });
  assert.equal(m.status, 2);
  assert.match(m.stderr, /BUNDLE_ENTRY_MISSING/);
  assert.match(m.stderr, /`bundle\.entry\[1\]` in somon\.config\.json names src\/нест\.som, but there is no such file/);
  assert.ok(!fs.existsSync(path.join(missing, 'dist')));
  const ru = runCli(['bundle', '--outdir', 'dist', '--lang', 'ru'], { cwd: missing });
  assert.match(ru.stderr, /но такого файла нет/);
  const none = scratch(FILES);
  const n = runCli(['bundle'], { cwd: none });
  assert.equal(n.status, 2);
  assert.match(n.stderr, /set `bundle\.entry` in somon\.config\.json/);
});
