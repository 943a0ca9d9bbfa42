// index.d.ts under the real TypeScript compiler (`tsc --strict`): a build
// script using the whole API type-checks with `lib: es2022` alone (no
// @types/node), and with @types/node a real AbortController's signal is
// accepted; misspelled option values, unknown option keys and the
// internal CLI functions are compile errors, each on the line marked for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { root, scratch } from './helpers.mjs';

const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');

/** A folder where `import … from 'somonscript'` finds this package. */
function project(files) {
  const dir = scratch(files);
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(root, path.join(dir, 'node_modules', 'somonscript'), 'dir');
  return dir;
}

/**
 * Runs `tsc --strict --noEmit` (lib es2022, no ambient types unless
 * `types` says so) over `files`; its diagnostics with file and line.
 */
function typeCheck(dir, files, { types = [] } = {}) {
  const compilerOptions = {
    strict: true,
    noEmit: true,
    lib: ['es2022'],
    target: 'es2022',
    module: 'esnext',
    moduleResolution: 'bundler',
    types,
    skipLibCheck: false,
  };
  if (types.length) compilerOptions.typeRoots = [path.join(root, 'node_modules', '@types')];
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files }));
  const r = spawnSync(process.execPath, [tsc, '-p', dir, '--pretty', 'false'], { cwd: dir, encoding: 'utf8' });
  const errors = [...r.stdout.matchAll(/^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/gm)].map(
    ([, file, line, code, message]) => ({ file, line: Number(line), code, message }),
  );
  return { status: r.status, errors, output: r.stdout + r.stderr };
}

const BUILD_SCRIPT = `
import * as somon from 'somonscript';
import type { BundleOptions, CompileOptions, Diagnostic, FileResult, Target } from 'somonscript';

const options: CompileOptions = {
  fileName: 'асосӣ.som', target: 'es2022', module: 'esm', minify: true, compress: true,
  mangle: false, keepNames: true, sourceMap: 'inline', inlineSources: true, typeCheck: true,
  lang: 'tj', rewriteRelativeImportExtensions: false,
};
const result = somon.compile('чоп.сабт(1);', options);
const code: string = result.code;
const seen: unknown[] = [];
const first: Diagnostic | undefined = result.diagnostics[0];
if (first) {
  const severity: 'error' | 'warning' = first.severity;
  const fix: string | undefined = first.suggestion?.replacement?.text;
  seen.push(severity, fix, first.suggestion?.message, first.endColumn);
}
const targets: Target[] = ['es5', 'es2015', 'es2020', 'esnext'];

// A signal made by hand: no DOM or Node.js types are needed.
const listeners: Array<() => void> = [];
const signal = {
  aborted: false,
  addEventListener(_type: 'abort', listener: () => void) { listeners.push(listener); },
  removeEventListener(_type: 'abort', _listener: () => void) {},
};

export async function build(): Promise<string> {
  const asyncResult = await somon.compileAsync('тағ а = 1;', { target: 'es5' }, signal);
  const files: FileResult[] = await somon.compileFiles(['src'], { outDir: 'dist', write: true, sourceMap: true });
  for (const f of files) {
    const out: string | undefined = f.outputPath;
    const map: string | undefined = f.mapPath;
    seen.push(out, map, f.written);
  }
  const checked = await somon.check(['src'], { module: 'esm' }, null);
  const bundleOptions: BundleOptions = {
    format: 'iife', globalName: 'Барнома', external: ['lodash'], output: 'dist/app.js',
    write: true, target: 'es2018', minify: true, keepNames: true, sourceMap: true,
    inlineSources: false, typeCheck: true, lang: 'ru', circular: 'error', platform: 'browser',
  };
  const bundled = await somon.bundle('src/main.som', bundleOptions);
  const again = somon.bundleSync('src/main.som', { format: 'esm', platform: 'neutral' });
  const chunked = somon.bundleSync('src/main.som', { format: 'esm', splitting: true, write: true, outdir: 'dist', chunkNames: 'c/[name]-[hash]' });
  const chunkFiles: string[] = (chunked.chunks ?? []).map((c) => (c.entry ? c.file : c.outputPath ?? c.code));
  const text: string = somon.formatDiagnostics([...bundled.diagnostics, ...checked[0].diagnostics], { color: false, lang: 'tg' });
  const where = somon.resolve('./асбоб', 'src/main.som');
  const kind: 'file' | 'builtin' | 'package' = where.kind;
  return [code, asyncResult.code, again.code, bundled.outputPath, chunkFiles.join(), text, kind, targets.join(), somon.version()].join('\\n');
}
`;

// Each line that must be an error says which TypeScript error it is.
const MISTAKES = `
import * as somon from 'somonscript';

somon.compile('', { target: 'es2099' }); // TS2820
somon.compile('', { module: 'commonjs2' }); // TS2322
somon.compile('', { module: 'commonjs' }); // TS2322
somon.compile('', { targt: 'es2020' }); // TS2561
somon.compile('', { lang: 'de' }); // TS2322
somon.compile('', { sourceMap: 'file' }); // TS2322
somon.compile('', { outDir: 'dist' }); // TS2353
somon.compileAsync('', { minify: 'yes' }); // TS2322
somon.compileFiles(['src'], { fileName: 'а.som' }); // TS2353
somon.compileFiles(['src'], { write: 'true' }); // TS2322
somon.check(['src'], { target: 'ES2020' }); // TS2820
somon.bundle('main.som', { format: 'commonjs' }); // TS2322
somon.bundle('main.som', { platform: 'deno' }); // TS2322
somon.bundleSync('main.som', { circular: 'ignore' }); // TS2322
somon.bundleSync('main.som', { externals: ['fs'] }); // TS2561
somon.formatDiagnostics([], { colour: true }); // TS2561
somon.bundleSync('main.som', { write: true }); // TS2345
somon.bundleSync('main.som', { splitting: true, format: 'esm', write: true }); // TS2345
somon.compileAsync('', {}, { aborted: false }); // TS2345
somon.runCli(['compile'], { cwd: '.', color: false }); // TS2339
somon.runCliAsync(['compile'], { cwd: '.', color: false }); // TS2339
somon.requestShutdown('SIGTERM'); // TS2339
somon.__internalRunCli([], { cwd: '.', color: false }); // TS2339
`;

test('a TypeScript build script using the whole API type-checks with lib es2022 alone', () => {
  const dir = project({ 'build.ts': BUILD_SCRIPT });
  const r = typeCheck(dir, ['build.ts']);
  assert.deepEqual(r.errors, [], r.output);
  assert.equal(r.status, 0, r.output);
});

test('index.d.ts itself type-checks under --strict with lib es2022 and no other types', () => {
  const dir = project({ 'uses.ts': "export type { Diagnostic } from 'somonscript';\n" });
  const r = typeCheck(dir, ['uses.ts', path.join(root, 'index.d.ts')]);
  assert.equal(r.status, 0, r.output);
});

test("with @types/node, a real AbortController's signal is accepted", () => {
  const dir = project({
    'node.ts': "import { compileAsync } from 'somonscript';\nconst c = new AbortController();\nexport const p = compileAsync('', {}, c.signal);\n",
  });
  const r = typeCheck(dir, ['node.ts'], { types: ['node'] });
  assert.equal(r.status, 0, r.output);
});

test('misspelled option values, unknown keys and internal functions are compile errors', () => {
  const dir = project({ 'mistakes.ts': MISTAKES });
  const r = typeCheck(dir, ['mistakes.ts']);
  assert.notEqual(r.status, 0);
  const expected = MISTAKES.split('\n')
    .map((text, i) => ({ line: i + 1, code: text.match(/\/\/ (TS\d+)$/)?.[1] }))
    .filter((e) => e.code);
  assert.ok(expected.length >= 20);
  // Exactly one error on each marked line, of the marked kind, and no other.
  const got = r.errors.map((e) => ({ line: e.line, code: e.code }));
  assert.deepEqual(got, expected, r.output);
  // The messages name the valid values.
  const target = r.errors.find((e) => e.line === 4);
  assert.match(target.message, /'"es2099"' is not assignable to type 'Target \| undefined'\. Did you mean '"es2019"'/);
});
