// String and template literals keep their exact UTF-16 code units from the
// .som source to the output, lone surrogates included, in every output form.
// The oracle is JavaScript itself: SomonScript's escapes are JavaScript's,
// so Node evaluating the same literal text gives the expected code units.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { somon, scratch } from './helpers.mjs';

const literals = [
  String.raw`"\uD83C"`,
  String.raw`'\uDF0D'`,
  String.raw`"\uD83C\uDF0D"`,
  String.raw`"\u{D83C}"`,
  String.raw`"\u{1F30D}"`,
  String.raw`"\uDF0D\uD83C"`,
  String.raw`"а\uD800б\uDBFFв\uDC00г\uDFFF"`,
  String.raw`"\x41\x7f\xff"`,
  String.raw`"\0\b\f\n\r\t\v\\\"\'"`,
  String.raw`"\u0000\u00a0\u2028\u2029\ufeff\uFFFD"`,
  String.raw`"\a\c\d\e\g\q\z\ё"`,
  '"a\\\nb"',
  '"a\\\r\nb"',
  '"a\\\u2028b"',
  '"\u2028\u2029"',
  '"🌍 салом"',
  String.raw`"\u{0}\u{10FFFF}\u{00000041}"`,
  '`\\uD83C`',
  '`\\uD83C${1}\\uDF0D`',
  '`\\u{D83C}\\u{DF0D}`',
  '`\\x41\\n\\t\\`\\${}`',
  '`a\r\nb\rc`',
  '`a\\\r\nb`',
];

const units = (s) => Array.from({ length: s.length }, (_, i) => s.charCodeAt(i));
const expected = JSON.stringify(literals.map((l) => units(vm.runInNewContext(`(${l})`))));
const program =
  `собит қиматҳо = [\n${literals.join(',\n')}\n];\n` +
  'чоп.сабт(JSON.stringify(қиматҳо.map((с) => Array.from({ length: с.length }, (_, и) => с.charCodeAt(и)))));\n';

const variants = {
  default: {},
  es5: { target: 'es5' },
  es2015: { target: 'es2015' },
  minify: { minify: true },
  esm: { module: 'esm' },
};

for (const [name, options] of Object.entries(variants)) {
  test(`every escape form keeps its UTF-16 code units (${name})`, () => {
    const r = somon.compile(program, { fileName: 'сатрҳо.som', ...options });
    assert.deepEqual(r.diagnostics, []);
    const dir = scratch();
    const file = path.join(dir, options.module === 'esm' ? 'сатрҳо.mjs' : 'сатрҳо.js');
    fs.writeFileSync(file, r.code);
    const run = spawnSync(process.execPath, [file], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), expected);
  });
}

test('a lone surrogate is written as an escape, never as U+FFFD', () => {
  const r = somon.compile('собит а = "\\uD83C";\nчоп.сабт(а);\n', { fileName: 'а.som' });
  assert.match(r.code, /"\\uD83C"/i);
  assert.doesNotMatch(r.code, /\uFFFD/);
});

test('"🌍".charAt(0) === "\\uD83C" holds', () => {
  const r = somon.compile('чоп.сабт("🌍".charAt(0) === "\\uD83C");\n', { fileName: 'б.som' });
  const dir = scratch();
  fs.writeFileSync(path.join(dir, 'б.js'), r.code);
  const run = spawnSync(process.execPath, [path.join(dir, 'б.js')], { encoding: 'utf8' });
  assert.equal(run.stdout, 'true\n');
});

test('a lone surrogate in a property key is kept too', () => {
  const keyText = String.raw`"\uD83C\u{DF0D}x"`;
  const expected = units(vm.runInNewContext(`(${keyText})`)).join(',');
  const src = `собит о = { ${keyText}: 1 };\nчоп.сабт(Object.keys(о).map((к) => Array.from({ length: к.length }, (_, и) => к.charCodeAt(и)).join(",")).join(" "));\n`;
  for (const options of [{}, { minify: true }, { target: 'es5' }]) {
    const r = somon.compile(src, { fileName: 'калид.som', ...options });
    assert.deepEqual(r.diagnostics, []);
    const dir = scratch();
    fs.writeFileSync(path.join(dir, 'калид.js'), r.code);
    const run = spawnSync(process.execPath, [path.join(dir, 'калид.js')], { encoding: 'utf8' });
    assert.equal(run.stdout.trim(), expected);
  }
});

// The code comes back across the N-API boundary as UTF-16 (Latin-1 when
// ASCII), not through V8's UTF-8 decoder: characters outside the BMP, line
// separators and Latin-1 letters come back unchanged, and a lone surrogate
// in the source string itself (not an escape) is read as U+FFFD.
test('the code crosses the boundary unchanged; a raw lone surrogate reads as U+FFFD', () => {
  const mixed = somon.compile('чоп.сабт("ё é 😀 \u2029 ascii");\n', { fileName: 'в.som' });
  assert.equal(mixed.code, '"use strict";\nconsole.log("ё é 😀 \\u2029 ascii");\n');
  const ascii = somon.compile('чоп.сабт(1);\n', { fileName: 'г.som' });
  assert.equal(ascii.code, '"use strict";\nconsole.log(1);\n');
  const lone = somon.compile('чоп.сабт("a\uD800b😀\uDC00");\n', { fileName: 'д.som' });
  assert.equal(lone.code, '"use strict";\nconsole.log("a\uFFFDb😀\uFFFD");\n');
});
