// `somon compile` with several inputs: files and folders, --out-dir
// mirroring, errors in some files, and the usage errors around -o.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, scratch } from './helpers.mjs';

/** Every file below `dir`, as sorted `/`-separated relative paths. */
function tree(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

const read = (dir, name) => fs.readFileSync(path.join(dir, name), 'utf8');

const project = () =>
  scratch({
    'src/асосӣ.som': 'чоп.сабт("асосӣ");\n',
    'src/lib/ёрдам.som': 'содир функсия ёрдам() { бозгашт 1; }\n',
    'src/lib/чуқур/охир.som': 'тағ х = 0x10 + 1_000;\nчоп.сабт(х);\n',
    'src/node_modules/бегона/index.som': 'чоп.сабт(;\n',
    'src/.пинҳон/махфӣ.som': 'чоп.сабт(;\n',
    'src/хонда.md': '# not a program\n',
  });

test('a folder compiles every .som below it, each .js next to its .som', () => {
  const dir = project();
  const r = runCli(['compile', 'src'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.deepEqual(
    tree(dir).filter((f) => f.endsWith('.js')),
    ['src/lib/ёрдам.js', 'src/lib/чуқур/охир.js', 'src/асосӣ.js'].sort(),
  );
  assert.match(read(dir, 'src/асосӣ.js'), /console\.log\("асосӣ"\)/);
  assert.match(read(dir, 'src/lib/чуқур/охир.js'), /console\.log\(х\)/);
  // node_modules and dot-folders are skipped (their files would not compile).
  assert.ok(!fs.existsSync(path.join(dir, 'src/node_modules/бегона/index.js')));
  assert.ok(!fs.existsSync(path.join(dir, 'src/.пинҳон/махфӣ.js')));
});

test('--out-dir mirrors the folder given, with source maps pointing back', () => {
  const dir = project();
  const r = runCli(['compile', 'src', '--out-dir', 'dist', '--source-map'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(
    tree(path.join(dir, 'dist')),
    [
      'lib/ёрдам.js',
      'lib/ёрдам.js.map',
      'lib/чуқур/охир.js',
      'lib/чуқур/охир.js.map',
      'асосӣ.js',
      'асосӣ.js.map',
    ].sort(),
  );
  const map = JSON.parse(read(dir, 'dist/lib/чуқур/охир.js.map'));
  assert.deepEqual(map.sources, ['../../../src/lib/чуқур/охир.som']);
  assert.match(read(dir, 'dist/lib/чуқур/охир.js'), /\/\/# sourceMappingURL=охир\.js\.map/);
  // Nothing was written next to the sources.
  assert.deepEqual(
    tree(path.join(dir, 'src')).filter((f) => f.endsWith('.js')),
    [],
  );
});

test('file inputs mirror their common parent folder', () => {
  const dir = project();
  const r = runCli(
    ['compile', 'src/lib/чуқур/охир.som', 'src/асосӣ.som', '--out-dir', 'dist'],
    { cwd: dir },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(tree(path.join(dir, 'dist')), ['lib/чуқур/охир.js', 'асосӣ.js'].sort());
});

test('folders and files together; an input named twice is compiled once', () => {
  const dir = project();
  fs.writeFileSync(path.join(dir, 'танҳо.som'), 'чоп.сабт(2);\n');
  const r = runCli(
    ['compile', 'src/lib', 'танҳо.som', 'src/lib/ёрдам.som', '--out-dir', 'out'],
    { cwd: dir },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(
    tree(path.join(dir, 'out')),
    ['src/lib/ёрдам.js', 'src/lib/чуқур/охир.js', 'танҳо.js'].sort(),
  );
});

test('errors in some files: exit 1, every diagnostic sorted by file, the other files written', () => {
  const dir = scratch({
    'б/дуруст.som': 'чоп.сабт(1);\n',
    'в/хато.som': 'тағ а = 1;\nтағ х = (1 + 2;\n',
    'а/хато.som': 'чоп.сабт(;\n',
    'я.som': 'чоп.сабт(3);\n',
  });
  const r = runCli(['compile', '.'], { cwd: dir });
  assert.equal(r.status, 1);
  const files = [...r.stderr.matchAll(/^([^\s:]+\.som):\d+:\d+: error\[SYNTAX\]/gm)].map((m) => m[1]);
  assert.deepEqual(files, ['а/хато.som', 'в/хато.som']);
  assert.match(r.stderr, /в\/хато\.som:2:15: error\[SYNTAX\]: /);
  assert.match(r.stderr, /2 error\(s\), 0 warning\(s\)\n$/);
  assert.ok(fs.existsSync(path.join(dir, 'б/дуруст.js')));
  assert.ok(fs.existsSync(path.join(dir, 'я.js')));
  assert.ok(!fs.existsSync(path.join(dir, 'а/хато.js')));
  assert.ok(!fs.existsSync(path.join(dir, 'в/хато.js')));
});

test('compiling many files in parallel gives the same output and report every time', () => {
  const files = {};
  for (let i = 0; i < 24; i++) {
    files[`src/қисм${i % 4}/ф${i}.som`] =
      i % 7 === 3 ? `тағ а${i} = (${i};\n` : `функсия ф${i}(а) { бозгашт а * ${i}; }\nчоп.сабт(ф${i}(2));\n`;
  }
  const dir = scratch(files);
  const first = runCli(['compile', 'src', '--out-dir', 'якум', '--source-map'], { cwd: dir });
  const second = runCli(['compile', 'src', '--out-dir', 'дуюм', '--source-map'], { cwd: dir });
  assert.equal(first.status, 1);
  assert.equal(second.status, 1);
  assert.equal(first.stderr, second.stderr);
  const reported = [...first.stderr.matchAll(/^(\S+\.som):\d+:\d+: error/gm)].map((m) => m[1]);
  assert.deepEqual(reported, ['src/қисм1/ф17.som', 'src/қисм2/ф10.som', 'src/қисм3/ф3.som']);
  const a = path.join(dir, 'якум');
  const b = path.join(dir, 'дуюм');
  assert.deepEqual(tree(a), tree(b));
  assert.equal(tree(a).filter((f) => f.endsWith('.js')).length, 24 - 3);
  for (const f of tree(a)) assert.equal(read(a, f), read(b, f), f);
});

test('-o takes exactly one input file', () => {
  const dir = project();
  for (const args of [
    ['src/асосӣ.som', 'src/lib/ёрдам.som', '-o', 'якҷоя.js'],
    ['src', '-o', 'якҷоя.js'],
  ]) {
    const r = runCli(['compile', ...args], { cwd: dir });
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, /-o\/--output takes exactly one input file; use --out-dir/);
    assert.ok(!fs.existsSync(path.join(dir, 'якҷоя.js')));
    assert.deepEqual(tree(dir).filter((f) => f.endsWith('.js')), []);
  }
  const ok = runCli(['compile', 'src/асосӣ.som', '-o', 'якҷоя.js'], { cwd: dir });
  assert.equal(ok.status, 0, ok.stderr);
  assert.ok(fs.existsSync(path.join(dir, 'якҷоя.js')));
});

test('usage errors stop before anything is written', () => {
  const dir = scratch({
    'а.som': 'чоп.сабт(1);\n',
    'код.js': 'чоп.сабт(2);\n',
    'холӣ/хонда.md': 'no programs here\n',
    'б': 'чоп.сабт(3);\n',
    'б.som': 'чоп.сабт(4);\n',
  });
  const overwrite = runCli(['compile', 'а.som', 'код.js'], { cwd: dir });
  assert.equal(overwrite.status, 2);
  assert.match(overwrite.stderr, /error\[OUTPUT_IS_INPUT\]: the output код\.js would overwrite код\.js, a file this build reads/);
  assert.equal(read(dir, 'код.js'), 'чоп.сабт(2);\n');

  const empty = runCli(['compile', 'холӣ'], { cwd: dir });
  assert.equal(empty.status, 2);
  assert.match(empty.stderr, /no \.som files in холӣ/);

  const clash = runCli(['compile', 'б', 'б.som'], { cwd: dir });
  assert.equal(clash.status, 2);
  assert.match(clash.stderr, /б and б\.som would both be written to б\.js/);

  const missing = runCli(['compile', 'а.som', 'нест'], { cwd: dir });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read нест/);

  assert.ok(!fs.existsSync(path.join(dir, 'а.js')));
  assert.ok(!fs.existsSync(path.join(dir, 'б.js')));
});

test('compile with no input is a usage error', () => {
  const r = runCli(['compile'], { cwd: scratch() });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /INPUT/);
});
