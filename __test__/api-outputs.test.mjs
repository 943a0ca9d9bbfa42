// The API's quality items (issue 15 §4): options checked at run time
// against exactly the values index.d.ts lists (TypeError naming the key,
// the valid values and the closest one), compileFiles' output paths and
// maps, writing with `write: true`, formatDiagnostics as the CLI prints,
// and suggestions that carry the edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli, scratch, somon } from './helpers.mjs';

function typeError(code, pattern) {
  return (e) => {
    assert.ok(e instanceof TypeError, `${e?.constructor?.name}: ${e?.message}`);
    assert.equal(e.code, code);
    assert.match(e.message, pattern);
    return true;
  };
}

const PROJECT = {
  'src/main.som': 'ворид { ҷамъ } аз "./lib/ҳисоб";\nчоп.сабт(ҷамъ(1, 2));\n',
  'src/lib/ҳисоб.som': 'содир функсия ҷамъ(а: рақам, б: рақам): рақам {\n  бозгашт а + б;\n}\n',
};

function listFiles(dir) {
  return fs.readdirSync(dir, { recursive: true }).map((f) => f.split(path.sep).join('/')).sort();
}

test('enumerated option values are checked in every function, with the valid values and the closest one', async () => {
  const dir = scratch(PROJECT);
  const entry = path.join(dir, 'src/main.som');
  const bad = typeError.bind(null, 'ERR_INVALID_ARG_VALUE');
  assert.throws(() => somon.compile('', { target: 'es2099' }), bad(/invalid target `es2099` in options; valid values: es5, es2015, .*, esnext; did you mean `es2019`\?/));
  assert.throws(() => somon.compile('', { module: 'commonjs' }), bad(/invalid module `commonjs` in options; valid values: cjs, esm; did you mean `cjs`\?/));
  assert.throws(() => somon.compile('', { lang: 'de' }), bad(/invalid lang `de` in options; valid values: en, tj, tg, ru$/));
  assert.throws(() => somon.compile('', { sourceMap: 'file' }), bad(/valid values: true, false, inline/));
  assert.throws(() => somon.compileAsync('', { target: 'ES2020' }), bad(/did you mean `es2020`\?/));
  await assert.rejects(async () => somon.compileFiles([dir], { module: 'amd' }), bad(/invalid module `amd`/));
  await assert.rejects(async () => somon.check([dir], { target: 'es3' }), bad(/invalid target `es3`/));
  assert.throws(() => somon.bundleSync(entry, { format: 'commonjs' }), bad(/invalid format `commonjs` in options; valid values: cjs, esm, iife, umd; did you mean `cjs`\?/));
  assert.throws(() => somon.bundleSync(entry, { platform: 'deno' }), bad(/valid values: node, browser, neutral/));
  await assert.rejects(async () => somon.bundle(entry, { circular: 'ignore' }), bad(/valid values: warn, error/));
  assert.throws(() => somon.formatDiagnostics([], { lang: 'fr' }), bad(/invalid lang `fr`/));
});

test('unknown option keys are TypeErrors with the closest known key, in every function', async () => {
  const dir = scratch(PROJECT);
  const entry = path.join(dir, 'src/main.som');
  const unknown = typeError.bind(null, 'ERR_INVALID_ARG_TYPE');
  assert.throws(() => somon.compile('', { targt: 'es5' }), unknown(/unknown option `targt` in options; known options: .*; did you mean `target`\?$/));
  assert.throws(() => somon.compileAsync('', { minfy: true }), unknown(/did you mean `minify`\?/));
  // Each function has its own keys: `outDir` belongs to compileFiles.
  assert.throws(() => somon.compile('', { outDir: 'dist' }), unknown(/unknown option `outDir`/));
  await assert.rejects(async () => somon.compileFiles([dir], { outdir: 'dist' }), unknown(/did you mean `outDir`\?/));
  await assert.rejects(async () => somon.check([dir], { write: true }), unknown(/unknown option `write`/));
  assert.throws(() => somon.bundleSync(entry, { externals: ['fs'] }), unknown(/did you mean `external`\?/));
  await assert.rejects(async () => somon.bundle(entry, { formt: 'esm' }), unknown(/did you mean `format`\?/));
  assert.throws(() => somon.formatDiagnostics([], { colour: true }), unknown(/did you mean `color`\?/));
  // The option plugins rely on is known (a boolean).
  assert.equal(somon.compile('тағ а = 1;', { rewriteRelativeImportExtensions: true }).diagnostics.length, 0);
  assert.throws(() => somon.compile('', { rewriteRelativeImportExtensions: 'no' }), unknown(/must be a boolean, not a string/));
});

test('arguments of the wrong shape are TypeErrors naming them', async () => {
  const shape = typeError.bind(null, 'ERR_INVALID_ARG_TYPE');
  assert.throws(() => somon.compile(42), shape(/^source must be a string, not a number$/));
  assert.throws(() => somon.compileAsync(undefined), shape(/^source must be a string, not undefined$/));
  assert.throws(() => somon.compileFiles('src'), shape(/^paths must be an array of strings, not a string$/));
  assert.throws(() => somon.check(['a', 1]), shape(/^paths must be an array of strings, not an array$/));
  assert.throws(() => somon.bundleSync({}), shape(/^entry must be a string, not an object$/));
  assert.throws(() => somon.bundle(null), shape(/^entry must be a string, not null$/));
  assert.throws(() => somon.resolve(1), shape(/^specifier must be a string, not a number$/));
  assert.throws(() => somon.resolve('fs', 1), shape(/^from must be a string, not a number$/));
  assert.throws(() => somon.formatDiagnostics('x'), shape(/^diagnostics must be an array of diagnostics, not a string$/));
  assert.throws(() => somon.formatDiagnostics([{ code: 'X' }]), shape(/as compile\(\) returns them/));
  const d = somon.compile('чоп.сабт(х);').diagnostics[0];
  assert.throws(() => somon.formatDiagnostics([{ ...d, severity: 'fatal' }]), typeError('ERR_INVALID_ARG_VALUE', /"error" or "warning"/));
  assert.throws(() => somon.compile('', { target: 5 }), shape(/options\.target must be a string, not a number; valid values: es5/));
});

test('compileFiles returns output paths under outDir with map sources relative to the map, and writes nothing', async () => {
  const dir = scratch(PROJECT);
  const before = listFiles(dir);
  const results = await somon.compileFiles([path.join(dir, 'src')], { outDir: path.join(dir, 'dist'), sourceMap: true });
  assert.deepEqual(listFiles(dir), before, 'nothing is written without write: true');
  const byName = Object.fromEntries(results.map((r) => [path.relative(dir, r.file), r]));
  const main = byName[path.join('src', 'main.som')];
  const lib = byName[path.join('src', 'lib', 'ҳисоб.som')];
  assert.equal(main.outputPath, path.join(dir, 'dist', 'main.js'));
  assert.equal(main.mapPath, path.join(dir, 'dist', 'main.js.map'));
  assert.equal(lib.outputPath, path.join(dir, 'dist', 'lib', 'ҳисоб.js'));
  assert.equal(main.written, undefined);
  const mainMap = JSON.parse(main.map);
  const libMap = JSON.parse(lib.map);
  assert.deepEqual(mainMap.sources, ['../src/main.som']);
  assert.deepEqual(libMap.sources, ['../../src/lib/ҳисоб.som']);
  assert.equal(libMap.file, 'ҳисоб.js');
  // Each source, resolved against its map's folder, is the .som file.
  assert.equal(path.resolve(path.dirname(lib.mapPath), libMap.sources[0]), lib.file);
  // Without outDir, each output goes next to its .som.
  const beside = await somon.compileFiles([path.join(dir, 'src')]);
  assert.deepEqual(beside.map((r) => r.outputPath).sort(), beside.map((r) => r.file.replace(/\.som$/, '.js')).sort());
  assert.ok(beside.every((r) => r.mapPath === undefined));
  // check has no outputs.
  const checked = await somon.check([path.join(dir, 'src')]);
  assert.ok(checked.every((r) => r.outputPath === undefined && r.code === ''));
});

test('compileFiles with write: true writes code and maps that run, as somon compile does', async () => {
  const dir = scratch(PROJECT);
  const results = await somon.compileFiles([path.join(dir, 'src')], { outDir: path.join(dir, 'dist'), sourceMap: true, write: true });
  assert.ok(results.every((r) => r.written === true && r.diagnostics.length === 0));
  assert.deepEqual(listFiles(path.join(dir, 'dist')), ['lib', 'lib/ҳисоб.js', 'lib/ҳисоб.js.map', 'main.js', 'main.js.map']);
  const code = fs.readFileSync(path.join(dir, 'dist', 'main.js'), 'utf8');
  assert.match(code, /\/\/# sourceMappingURL=main\.js\.map\n$/);
  const run = spawnSync(process.execPath, [path.join(dir, 'dist', 'main.js')], { encoding: 'utf8' });
  assert.equal(run.stdout, '3\n', run.stderr);
  // The same files as the CLI writes.
  const cli = runCli(['compile', 'src', '--out-dir', 'cli', '--source-map'], { cwd: dir });
  assert.equal(cli.status, 0, cli.stderr);
  for (const f of ['main.js', 'main.js.map', 'lib/ҳисоб.js', 'lib/ҳисоб.js.map']) {
    const fromCli = fs.readFileSync(path.join(dir, 'cli', f), 'utf8');
    const fromApi = fs.readFileSync(path.join(dir, 'dist', f), 'utf8');
    assert.equal(fromApi, fromCli, f);
  }
});

test('compileFiles never writes over a file it reads, nor a read-only file', async () => {
  // `a.som` imports `../out/a.js`, which is where its output would go.
  const dir = scratch({
    'src/a.som': 'ворид * чун м аз "../out/a.js";\nчоп.сабт(м);\n',
    'src/b.som': 'чоп.сабт(2);\n',
    'out/a.js': 'module.exports = 1;\n',
    'out/b.js': 'old\n',
  });
  fs.chmodSync(path.join(dir, 'out', 'b.js'), 0o444);
  const results = await somon.compileFiles([path.join(dir, 'src')], { outDir: path.join(dir, 'out'), write: true });
  const byName = Object.fromEntries(results.map((r) => [path.basename(r.file), r]));
  assert.equal(byName['a.som'].written, false);
  assert.deepEqual(byName['a.som'].diagnostics.map((d) => d.code), ['OUTPUT_IS_INPUT']);
  assert.equal(fs.readFileSync(path.join(dir, 'out', 'a.js'), 'utf8'), 'module.exports = 1;\n');
  assert.equal(byName['b.som'].written, false);
  assert.deepEqual(byName['b.som'].diagnostics.map((d) => d.code), ['OUTPUT_READ_ONLY']);
  assert.equal(fs.readFileSync(path.join(dir, 'out', 'b.js'), 'utf8'), 'old\n');
});

test('bundle with write: true writes the bundle and its map with a sourceMappingURL comment', async () => {
  const dir = scratch(PROJECT);
  const output = path.join(dir, 'out', 'app.js');
  const r = await somon.bundle(path.join(dir, 'src/main.som'), { output, write: true, sourceMap: true });
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.outputPath, output);
  assert.equal(r.mapPath, `${output}.map`);
  const written = fs.readFileSync(output, 'utf8');
  assert.equal(written, `${r.code}${r.code.endsWith('\n') ? '' : '\n'}//# sourceMappingURL=app.js.map\n`);
  assert.equal(fs.readFileSync(`${output}.map`, 'utf8'), r.map);
  assert.deepEqual(JSON.parse(r.map).sources.sort(), ['../src/lib/ҳисоб.som', '../src/main.som', 'somon:runtime']);
  const run = spawnSync(process.execPath, ['--enable-source-maps', output], { encoding: 'utf8' });
  assert.equal(run.stdout, '3\n', run.stderr);
  // Without write, bundleSync writes nothing.
  const other = path.join(dir, 'out', 'other.js');
  assert.equal(somon.bundleSync(path.join(dir, 'src/main.som'), { output: other }).outputPath, undefined);
  assert.ok(!fs.existsSync(other));
  // Never over a module of the graph: an OUTPUT_IS_INPUT error, nothing written.
  const lib = path.join(dir, 'src', 'lib', 'ҳисоб.som');
  const text = fs.readFileSync(lib, 'utf8');
  const refused = somon.bundleSync(path.join(dir, 'src/main.som'), { output: lib, write: true });
  assert.deepEqual(refused.diagnostics.map((d) => d.code), ['OUTPUT_IS_INPUT']);
  assert.equal(refused.outputPath, undefined);
  assert.equal(fs.readFileSync(lib, 'utf8'), text);
  assert.throws(() => somon.bundleSync(path.join(dir, 'src/main.som'), { write: true }), typeError('ERR_INVALID_ARG_VALUE', /options\.write needs options\.output/));
});

test('formatDiagnostics returns exactly what the CLI prints, in its languages and colours', async () => {
  const dir = scratch({
    'бад.som': 'тағ салом = 1;\nчоп.сабт(салм);\nсобит х: рақам = "матн";\n',
  });
  for (const lang of ['en', 'tj', 'ru']) {
    const [file] = await somon.check([path.join(dir, 'бад.som')], { lang });
    const cli = runCli(['check', 'бад.som', '--lang', lang], { cwd: dir });
    assert.equal(cli.status, 1);
    // The CLI names the file relative to its working folder.
    const relative = file.diagnostics.map((d) => ({ ...d, file: 'бад.som' }));
    assert.equal(somon.formatDiagnostics(relative, { lang }), cli.stderr);
  }
  const [tjFile] = await somon.check([path.join(dir, 'бад.som')], { lang: 'tj' });
  const tj = somon.formatDiagnostics(tjFile.diagnostics, { lang: 'tj' });
  assert.match(tj, /\n  = маслиҳат: шояд `салом` дар назар буд\?\n/);
  assert.match(tj, /\nхатоҳо: 2, огоҳиҳо: 0\n$/);
  const [file] = await somon.check([path.join(dir, 'бад.som')]);
  const plain = somon.formatDiagnostics(file.diagnostics);
  assert.match(plain, /error\[UNDEFINED_IDENTIFIER\]: Variable 'салм' is not defined\n2 \| чоп\.сабт\(салм\);\n  \|          \^\^\^\^\n  = help: did you mean `салом`\?\n/);
  assert.match(plain, /\n2 error\(s\), 0 warning\(s\)\n$/);
  const colored = somon.formatDiagnostics(file.diagnostics, { color: true });
  assert.match(colored, /\x1b\[1;31merror\[UNDEFINED_IDENTIFIER\]\x1b\[0m/);
  assert.equal(colored.replace(/\x1b\[[0-9;]*m/g, ''), plain);
  assert.equal(somon.formatDiagnostics([]), '');
  // A long line's window keeps its caret under the column.
  const long = `тағ а = 1;\n${'а = а + 1; '.repeat(40)}чоп.сабт(нест);\n`;
  const cliDir = scratch({ 'дароз.som': long });
  const [longFile] = await somon.check([path.join(cliDir, 'дароз.som')]);
  const cliLong = runCli(['check', 'дароз.som'], { cwd: cliDir });
  assert.equal(somon.formatDiagnostics(longFile.diagnostics.map((d) => ({ ...d, file: 'дароз.som' }))), cliLong.stderr);
});

test('suggestions carry the replacement text and range; applying it fixes the program', () => {
  const source = 'тағ салом = 1;\nчоп.сабт(салм);\n';
  const [d] = somon.compile(source, { fileName: 'а.som' }).diagnostics;
  assert.equal(d.code, 'UNDEFINED_IDENTIFIER');
  assert.deepEqual(d.suggestion, {
    message: 'did you mean `салом`?',
    replacement: { text: 'салом', line: 2, column: 10, endLine: 2, endColumn: 14 },
  });
  const tj = somon.compile(source, { lang: 'tj' }).diagnostics[0].suggestion;
  assert.equal(tj.message, 'шояд `салом` дар назар буд?');
  assert.deepEqual(tj.replacement, d.suggestion.replacement);
  // A misspelled keyword: the edit writes the keyword.
  const keyword = somon.compile('собт а = 1;\n').diagnostics[0];
  assert.equal(keyword.code, 'SYNTAX');
  assert.deepEqual(keyword.suggestion, {
    message: keyword.message,
    replacement: { text: 'собит', line: 1, column: 1, endLine: 1, endColumn: 5 },
  });
  assert.equal(applyAll('собт а = 1;\n', [keyword]), 'собит а = 1;\n');
  // Applying every replacement leaves a program without diagnostics.
  const fixed = applyAll(source, [d]);
  assert.equal(fixed, 'тағ салом = 1;\nчоп.сабт(салом);\n');
  assert.deepEqual(somon.compile(fixed).diagnostics, []);
});

/** Applies the replacements of `diagnostics` (one per line at most) to `source`. */
function applyAll(source, diagnostics) {
  const lines = source.split('\n');
  for (const d of diagnostics) {
    const r = d.suggestion?.replacement;
    if (!r || r.line !== r.endLine) continue;
    const chars = [...lines[r.line - 1]];
    chars.splice(r.column - 1, r.endColumn - r.column, r.text);
    lines[r.line - 1] = chars.join('');
  }
  return lines.join('\n');
}
