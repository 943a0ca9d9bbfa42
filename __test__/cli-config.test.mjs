import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, scratch } from './helpers.mjs';

test('an unknown config key is exit 2 with its position and a suggestion, in English and Tajik', () => {
  const dir = scratch({
    'somon.config.json': '{\n  "compilerOptions": {\n    "traget": "es5"\n  }\n}\n',
    'src/а.som': 'чоп.сабт(1);\n',
  });
  const en = runCli(['compile', 'src/а.som'], { cwd: dir });
  assert.equal(en.status, 2);
  assert.match(en.stderr, /somon\.config\.json:3:5: error\[CONFIG_UNKNOWN_KEY\]/);
  assert.match(en.stderr, /did you mean `target`\?/);
  const tj = runCli(['compile', 'src/а.som', '--lang', 'tj'], { cwd: dir });
  assert.equal(tj.status, 2);
  assert.match(tj.stderr, /error\[CONFIG_UNKNOWN_KEY\]: калиди номаълуми `traget`/);
  assert.ok(!fs.existsSync(path.join(dir, 'src', 'а.js')));
});

test('an invalid value in the config lists the valid ones', () => {
  const dir = scratch({ 'somon.config.json': '{ "compilerOptions": { "target": "es3" } }\n', 'а.som': 'чоп.сабт(1);\n' });
  const r = runCli(['compile', 'а.som'], { cwd: dir });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /error\[CONFIG_INVALID_VALUE\]/);
  assert.match(r.stderr, /es2015/);
});

test('config paths are relative to the config file; flags win over the file', () => {
  const dir = scratch({
    'somon.config.json': '{ "compilerOptions": { "outDir": "build", "target": "es5" } }\n',
    'src/а.som': 'тағ ф = () => 1;\nчоп.сабт(ф());\n',
  });
  // Run from a subfolder: outDir still means <config folder>/build.
  const r = runCli(['compile', 'а.som'], { cwd: path.join(dir, 'src') });
  assert.equal(r.status, 0, r.stderr);
  const js = fs.readFileSync(path.join(dir, 'build', 'а.js'), 'utf8');
  assert.doesNotMatch(js, /=>/, 'es5 from the config');
  const flag = runCli(['compile', 'а.som', '--target', 'es2020', '--out-dir', 'out'], { cwd: path.join(dir, 'src') });
  assert.equal(flag.status, 0, flag.stderr);
  assert.match(fs.readFileSync(path.join(dir, 'src', 'out', 'а.js'), 'utf8'), /=>/);
  const shown = runCli(['config'], { cwd: dir });
  assert.equal(shown.status, 0);
  assert.match(shown.stdout, /compilerOptions\.target = "es5" \(config file .*somon\.config\.json\)/);
  assert.match(shown.stdout, /production mode: off/);
});

test('production mode via the flag and NODE_ENV refuses --no-type-check', () => {
  const dir = scratch({ 'а.som': 'чоп.сабт(1);\n' });
  const flag = runCli(['compile', 'а.som', '--production', '--no-type-check'], { cwd: dir });
  assert.equal(flag.status, 2);
  assert.match(flag.stderr, /error\[CONFIG_PRODUCTION_TYPE_CHECK\]/);
  const envRun = runCli(['compile', 'а.som', '--no-type-check'], { cwd: dir, env: { NODE_ENV: 'production' } });
  assert.equal(envRun.status, 2);
  assert.match(envRun.stderr, /NODE_ENV=production/);
  const shown = runCli(['config', '--production'], { cwd: dir });
  assert.match(shown.stdout, /production mode: on \(command line --production\)/);
  assert.equal(runCli(['compile', 'а.som', '--no-type-check'], { cwd: dir }).status, 0);
});

test('a .somonrc is found upward and bundle settings come from it', () => {
  const dir = scratch({
    '.somonrc': '{ "bundle": { "format": "iife", "globalName": "Барнома" } }\n',
    'app/main.som': 'чоп.сабт("аз баста");\n',
  });
  const r = runCli(['bundle', 'app/main.som', '-o', 'out.js'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.match(fs.readFileSync(path.join(dir, 'out.js'), 'utf8'), /^var Барнома = /);
});

test('resolution.paths aliases work in run, bundle and compile', () => {
  const dir = scratch({
    'somon.config.json': '{ "resolution": { "baseUrl": "src", "paths": { "@ёр/*": ["lib/*"] } } }\n',
    'src/main.som': 'ворид { ҷамъ } аз "@ёр/ҳисоб";\nчоп.сабт(ҷамъ(20, 22));\n',
    'src/lib/ҳисоб.som': 'содир функсия ҷамъ(а: рақам, б: рақам): рақам { бозгашт а + б; }\n',
  });
  const run = runCli(['run', 'src/main.som'], { cwd: dir });
  assert.equal(run.stdout, '42\n', run.stderr);
  assert.equal(runCli(['bundle', 'src/main.som', '-o', 'out.js'], { cwd: dir }).status, 0);
  const compiled = runCli(['compile', 'src', '--out-dir', 'dist'], { cwd: dir });
  assert.equal(compiled.status, 0, compiled.stderr);
  assert.match(fs.readFileSync(path.join(dir, 'dist', 'main.js'), 'utf8'), /require\("\.\/lib\/ҳисоб\.js"\)/);
});

test('fail fast: an output folder that cannot be created, in English and Tajik', () => {
  const dir = scratch({ 'а.som': 'чоп.сабт(1);\n', 'файл.txt': 'not a folder\n' });
  const en = runCli(['compile', 'а.som', '--out-dir', 'файл.txt/dist'], { cwd: dir });
  assert.equal(en.status, 2);
  assert.match(en.stderr, /error\[OUTPUT_UNWRITABLE\]: the output folder файл\.txt\/dist cannot be created/);
  const tj = runCli(['compile', 'а.som', '--out-dir', 'файл.txt/dist', '--lang', 'tj'], { cwd: dir });
  assert.equal(tj.status, 2);
  assert.match(tj.stderr, /error\[OUTPUT_UNWRITABLE\]: ҷузвдони натиҷаи/);
});

test('fail fast: every bad paths target is reported together', () => {
  const dir = scratch({
    'somon.config.json': '{ "resolution": { "baseUrl": ".", "paths": { "@а/*": ["нест/*"], "@б": ["ҳам/нест"] } } }\n',
    'а.som': 'чоп.сабт(1);\n',
  });
  const r = runCli(['compile', 'а.som'], { cwd: dir });
  assert.equal(r.status, 2);
  const codes = r.stderr.match(/CONFIG_PATHS_TARGET_MISSING/g) ?? [];
  assert.equal(codes.length, 2, r.stderr);
});

test('production: warnings listed as fatal become errors', () => {
  const dir = scratch({
    'somon.config.json': '{ "production": { "fatalWarnings": ["CIRCULAR_IMPORT"] } }\n',
    'main.som': 'ворид { б } аз "./б";\nсодир собит а = 1;\nчоп.сабт(б());\n',
    'б.som': 'ворид { а } аз "./main";\nсодир функсия б() { бозгашт а + 1; }\n',
  });
  const dev = runCli(['bundle', 'main.som', '-o', 'dev.js'], { cwd: dir });
  assert.equal(dev.status, 0, dev.stderr);
  assert.match(dev.stderr, /warning\[CIRCULAR_IMPORT\]/);
  const prod = runCli(['bundle', 'main.som', '-o', 'prod.js', '--production'], { cwd: dir });
  assert.equal(prod.status, 1);
  assert.match(prod.stderr, /error\[CIRCULAR_IMPORT\]/);
  assert.ok(!fs.existsSync(path.join(dir, 'prod.js')));
});

test('progress is never printed when output is piped', () => {
  const files = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`src/ф${i}.som`, `чоп.сабт(${i});\n`]));
  const dir = scratch(files);
  const r = runCli(['compile', 'src'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /\r|\[=/);
});

test('fail-fast checks in English and Tajik: invalid target, output equals input, bad paths', () => {
  const dir = scratch({ 'код.js': 'чоп.сабт(1);\n', 'а.som': 'чоп.сабт(1);\n' });
  const cases = [
    [['compile', 'а.som', '--target', 'es3'], 'USAGE', /invalid --target `es3`; valid values: es5/, /--target-и нодуруст `es3`/],
    [['compile', 'код.js'], 'OUTPUT_IS_INPUT', /the output код\.js would overwrite код\.js, a file this build reads/, /файли код\.js-ро, ки ҳангоми сохтан хонда мешавад, иваз мекард/],
  ];
  for (const [args, code, en, tj] of cases) {
    const e = runCli(args, { cwd: dir });
    assert.equal(e.status, 2, `${args.join(' ')}: ${e.stderr}`);
    assert.match(e.stderr, new RegExp(`error\\[${code}\\]`));
    assert.match(e.stderr, en);
    const t = runCli([...args, '--lang', 'tj'], { cwd: dir });
    assert.equal(t.status, 2);
    assert.match(t.stderr, new RegExp(`error\\[${code}\\]`));
    assert.match(t.stderr, tj);
  }
  const bad = scratch({ 'somon.config.json': '{ "resolution": { "paths": { "@а/*": ["нест/*"] } } }\n', 'а.som': 'чоп.сабт(1);\n' });
  const tj = runCli(['compile', 'а.som', '--lang', 'tj'], { cwd: bad });
  assert.equal(tj.status, 2);
  assert.match(tj.stderr, /error\[CONFIG_PATHS_TARGET_MISSING\]: resolution\.paths `@а\/\*`: ҳадафи нест\/\* вуҷуд надорад/);
});

test('fail fast: an unreadable input (not UTF-8) in English and Tajik', () => {
  const dir = scratch();
  fs.writeFileSync(path.join(dir, 'бад.som'), Buffer.from([0xff, 0xfe, 0x00, 0x80]));
  const en = runCli(['compile', 'бад.som'], { cwd: dir });
  assert.equal(en.status, 2);
  assert.match(en.stderr, /error\[INPUT_UNREADABLE\]: бад\.som: the file is not valid UTF-8/);
  const tj = runCli(['compile', 'бад.som', '--lang', 'tj'], { cwd: dir });
  assert.equal(tj.status, 2);
  assert.match(tj.stderr, /error\[INPUT_UNREADABLE\]: бад\.som: файл дар UTF-8 дуруст нест/);
});
