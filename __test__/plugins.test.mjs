// SomonScript inside other tools (issue 15): one sample project
// (fixtures/plugin-project: several .som modules, an interface import, a
// JSON import, a `resolution.paths` alias and an npm package in a local
// node_modules) built with the real Vite, Rollup, Rolldown, webpack, Rspack
// and esbuild through `somonscript/<bundler>`; each output runs under Node
// and must print what `somon bundle` of the same project prints, and
// `node --enable-source-maps` must place a thrown error on its `.som` line.
// Then Vite's dev server, Jest, Vitest and `node --import somonscript/register`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root, runCli } from './helpers.mjs';

const fixture = path.join(root, '__test__', 'fixtures', 'plugin-project');
// Copies live below the repository (its node_modules has the bundlers) in
// the ignored target folder.
const work = path.join(root, 'target', 'plugin-tests');

/** A fresh copy of the sample project, with `node_modules/somonscript` linked to this package. */
function project(name) {
  fs.mkdirSync(work, { recursive: true });
  const dir = fs.mkdtempSync(path.join(work, `${name}-`));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  fs.cpSync(fixture, dir, { recursive: true });
  fs.renameSync(path.join(dir, '_node_modules'), path.join(dir, 'node_modules'));
  fs.symlinkSync(root, path.join(dir, 'node_modules', 'somonscript'), 'dir');
  return dir;
}

function node(args, { cwd, env = {} } = {}) {
  const environment = { ...process.env, NODE_OPTIONS: '', ...env };
  // A nested `node --test` would otherwise report to this test runner.
  delete environment.NODE_TEST_CONTEXT;
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: environment });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** What the sample prints, from SomonScript's own bundler. */
const expected = (() => {
  const dir = project('reference');
  const file = path.join(dir, 'reference.cjs');
  const built = runCli(['bundle', 'src/main.som', '-o', file], { cwd: dir });
  assert.equal(built.status, 0, built.stderr);
  const run = node([file], { cwd: dir });
  assert.equal(run.status, 0, run.stderr);
  assert.ok(run.stdout.split('\n').length > 3, run.stdout);
  return run.stdout;
})();

/** The 1-based line of `партофтан` in the sample's lib/shakl.som. */
const throwLine =
  fs
    .readFileSync(path.join(fixture, 'src', 'lib', 'shakl.som'), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes('партофтан')) + 1;

/** Runs a built output; then again with the error thrown, checking the stack's `.som` frame. */
function runOutput(dir, file) {
  const run = node(['--enable-source-maps', file], { cwd: dir });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, expected);
  const thrown = node(
    ['--enable-source-maps', '--import', 'data:text/javascript,globalThis.SOMON_THROW=true', file],
    { cwd: dir },
  );
  assert.notEqual(thrown.status, 0);
  assert.match(thrown.stderr, /шаклҳо хеле зиёданд: 1000/);
  const frame = thrown.stderr.split('\n').find((l) => /shakl\.som:\d+:\d+/.test(l));
  assert.ok(frame, `no .som frame in:\n${thrown.stderr}`);
  assert.equal(Number(frame.match(/shakl\.som:(\d+):/)[1]), throwLine, frame);
}

test('Rollup', async () => {
  const { rollup } = await import('rollup');
  const { default: somonPlugin } = await import('somonscript/rollup');
  const { default: json } = await import('@rollup/plugin-json');
  const { nodeResolve } = await import('@rollup/plugin-node-resolve');
  const dir = project('rollup');
  const bundle = await rollup({
    input: path.join(dir, 'src', 'main.som'),
    plugins: [somonPlugin(), json(), nodeResolve()],
  });
  // Watch mode rebuilds on a change of the configuration and of what the
  // type checks read (an interface-only module leaves no import behind).
  for (const file of ['somon.config.json', 'src/навъҳо.som', 'src/lib/shakl.som']) {
    assert.ok(bundle.watchFiles.includes(path.join(dir, file)), `${file} in ${bundle.watchFiles}`);
  }
  await bundle.write({ file: path.join(dir, 'dist', 'main.mjs'), format: 'es', sourcemap: true });
  await bundle.close();
  runOutput(dir, path.join(dir, 'dist', 'main.mjs'));
});

test('Rolldown', async () => {
  const { rolldown } = await import('rolldown');
  const { default: somonPlugin } = await import('somonscript/rolldown');
  const dir = project('rolldown');
  const bundle = await rolldown({ input: path.join(dir, 'src', 'main.som'), plugins: [somonPlugin()], platform: 'node' });
  await bundle.write({ file: path.join(dir, 'dist', 'main.mjs'), format: 'es', sourcemap: true });
  await bundle.close();
  runOutput(dir, path.join(dir, 'dist', 'main.mjs'));
});

test('Vite (build)', async () => {
  const { build } = await import('vite');
  const { default: somonPlugin } = await import('somonscript/vite');
  const dir = project('vite');
  await build({
    root: dir,
    configFile: false,
    logLevel: 'silent',
    plugins: [somonPlugin()],
    ssr: { noExternal: true },
    build: {
      ssr: path.join(dir, 'src', 'main.som'),
      outDir: path.join(dir, 'dist'),
      sourcemap: true,
      minify: false,
      rollupOptions: { output: { format: 'es', entryFileNames: 'main.mjs' } },
    },
  });
  runOutput(dir, path.join(dir, 'dist', 'main.mjs'));
});

test('esbuild', async () => {
  const esbuild = await import('esbuild');
  const { default: somonPlugin } = await import('somonscript/esbuild');
  const dir = project('esbuild');
  await esbuild.build({
    entryPoints: [path.join(dir, 'src', 'main.som')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    sourcemap: true,
    outfile: path.join(dir, 'dist', 'main.mjs'),
    plugins: [somonPlugin()],
    logLevel: 'silent',
  });
  runOutput(dir, path.join(dir, 'dist', 'main.mjs'));
});

/** webpack and Rspack take the same configuration; the plugin comes from the CommonJS entry, as in a webpack.config.js. */
function webpackConfig(dir, plugin) {
  return {
    mode: 'development',
    context: dir,
    target: 'node',
    entry: path.join(dir, 'src', 'main.som'),
    devtool: 'source-map',
    output: { path: path.join(dir, 'dist'), filename: 'main.cjs' },
    plugins: [plugin()],
  };
}

function runCompiler(compiler) {
  return new Promise((resolve, reject) => {
    compiler.run((err, stats) => {
      compiler.close(() => {
        if (err) return reject(err);
        if (stats.hasErrors()) return reject(new Error(stats.toString('errors-only')));
        resolve(stats);
      });
    });
  });
}

test('webpack', async () => {
  const { default: webpack } = await import('webpack');
  const somonPlugin = createRequireHere()('somonscript/webpack');
  const dir = project('webpack');
  await runCompiler(webpack(webpackConfig(dir, somonPlugin)));
  runOutput(dir, path.join(dir, 'dist', 'main.cjs'));
});

test('Rspack', async () => {
  const { rspack } = await import('@rspack/core');
  const somonPlugin = createRequireHere()('somonscript/rspack');
  const dir = project('rspack');
  await runCompiler(rspack(webpackConfig(dir, somonPlugin)));
  runOutput(dir, path.join(dir, 'dist', 'main.cjs'));
});

import { createRequire } from 'node:module';
function createRequireHere() {
  return createRequire(import.meta.url);
}

/** Adds a call with a type error to the sample's main.som; returns its 1-based line. */
function addTypeError(dir) {
  const main = path.join(dir, 'src', 'main.som');
  const text = fs.readFileSync(main, 'utf8');
  fs.writeFileSync(main, `${text}масоҳат("матн");\n`);
  return text.split('\n').length;
}

test('diagnostics are the bundler\'s errors with id, loc and a code frame; typeCheck: false lets type errors pass', async () => {
  const { rollup } = await import('rollup');
  const { default: somonPlugin } = await import('somonscript/rollup');
  const { default: json } = await import('@rollup/plugin-json');
  const { nodeResolve } = await import('@rollup/plugin-node-resolve');
  const dir = project('diagnostics');
  const line = addTypeError(dir);
  const main = path.join(dir, 'src', 'main.som');
  const error = await rollup({ input: main, plugins: [somonPlugin(), json(), nodeResolve()] }).then(
    () => assert.fail('the type error must fail the build'),
    (e) => e,
  );
  assert.equal(error.id, main);
  assert.equal(error.loc.line, line);
  assert.equal(error.loc.file, main);
  assert.match(error.message, /error\[\w+\]/);
  assert.match(error.frame, new RegExp(`^${line} \\| масоҳат\\("матн"\\);\\n\\s+\\| {9}\\^+`));

  const esbuild = await import('esbuild');
  const { default: somonEsbuild } = await import('somonscript/esbuild');
  const failed = await esbuild
    .build({ entryPoints: [main], bundle: true, write: false, platform: 'node', plugins: [somonEsbuild()], logLevel: 'silent' })
    .then(
      () => assert.fail('the type error must fail the esbuild build'),
      (e) => e,
    );
  assert.equal(failed.errors.length, 1);
  assert.equal(failed.errors[0].location?.line, line);
  assert.equal(path.resolve(failed.errors[0].location?.file ?? ''), main); // esbuild prints it relative to its working folder

  // webpack: one error (the SomonScript text is not parsed as JavaScript
  // after it), with the code frame in its message.
  const { default: webpack } = await import('webpack');
  const somonWebpack = createRequireHere()('somonscript/webpack');
  const stats = await new Promise((resolve, reject) => {
    const compiler = webpack({ ...webpackConfig(dir, somonWebpack), output: { path: path.join(dir, 'dist-webpack') } });
    compiler.run((err, result) => compiler.close(() => (err ? reject(err) : resolve(result))));
  });
  const { errors } = stats.toJson({ all: false, errors: true });
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.match(errors[0].message, new RegExp(`main\\.som:${line}:9\\)\\n${line} \\| масоҳат`));

  // Warnings are the bundler's warnings (a name with a Latin look-alike
  // letter: the `o` of `нoм` is Latin).
  const warned = project('warnings');
  const warnedMain = path.join(warned, 'src', 'main.som');
  const warnLine = fs.readFileSync(warnedMain, 'utf8').split('\n').length;
  fs.appendFileSync(warnedMain, 'собит нoм = 1;\nчоп.сабт(нoм);\n');
  const warnings = [];
  const withWarning = await rollup({
    input: warnedMain,
    plugins: [somonPlugin(), json(), nodeResolve()],
    onwarn: (w) => warnings.push(w),
  });
  await withWarning.close();
  const ours = warnings.filter((w) => w.plugin === 'somonscript');
  assert.equal(ours.length, 1, JSON.stringify(warnings));
  assert.equal(ours[0].id, warnedMain);
  assert.equal(ours[0].loc.line, warnLine);
  assert.match(ours[0].message, /warning\[LATIN_LOOKALIKE\]/);

  // Type errors only: typeCheck: false builds.
  const bundle = await rollup({ input: main, plugins: [somonPlugin({ typeCheck: false }), json(), nodeResolve()] });
  await bundle.close();
  assert.throws(() => somonPlugin({ module: 'cjs' }), /unknown option `module`.*set by the plugin/);
});

test('Vite dev server: an edited module is seen again, and an edit of what it imports re-checks it', async () => {
  const { createServer } = await import('vite');
  const { default: somonPlugin } = await import('somonscript/vite');
  const dir = project('vite-dev');
  const server = await createServer({
    root: dir,
    configFile: false,
    logLevel: 'silent',
    appType: 'custom',
    plugins: [somonPlugin()],
    server: { middlewareMode: true, hmr: false, watch: { usePolling: true, interval: 50 } },
  });
  try {
    const shakl = path.join(dir, 'src', 'lib', 'shakl.som');
    const first = await server.ssrLoadModule(shakl);
    assert.equal(first.масоҳат({ ном: 'а', паҳно: 2, баландӣ: 3 }), 6);
    const text = fs.readFileSync(shakl, 'utf8');
    const edited = text.replace('ш.паҳно * ш.баландӣ', 'ш.паҳно * ш.баландӣ * 10');
    // Wait for the watcher (no timing assertion: the loop ends on the
    // change). A write made before the polling watcher took its first look
    // at the file goes unseen, so the edit is written again every second.
    let value;
    for (let i = 0; i < 2400; i++) {
      if (i % 40 === 0) fs.writeFileSync(shakl, edited);
      value = (await server.ssrLoadModule(shakl)).масоҳат({ ном: 'а', паҳно: 2, баландӣ: 3 });
      if (value !== 6) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(value, 60);

    // Removing `баландӣ` from the interface in навъҳо.som (which shakl.som
    // imports) makes shakl.som a type error: it is transformed again.
    const types = path.join(dir, 'src', 'навъҳо.som');
    const narrowed = fs.readFileSync(types, 'utf8').replace('  баландӣ: рақам;\n', '');
    let error;
    for (let i = 0; i < 2400 && !error; i++) {
      if (i % 40 === 0) fs.writeFileSync(types, narrowed);
      error = await server.ssrLoadModule(shakl).then(
        () => undefined,
        (e) => e,
      );
      if (!error) await new Promise((r) => setTimeout(r, 25));
    }
    assert.ok(error, 'the importer was not checked again');
    assert.match(error.message, /баландӣ/);
    assert.match(error.message, /shakl\.som/);
  } finally {
    await server.close();
  }
});

/** Runs a JavaScript tool's command line (a bin file of this repository's node_modules) in `dir`. */
function tool(bin, args, dir, env) {
  return node([path.join(root, 'node_modules', ...bin.split('/')), ...args], { cwd: dir, env: { NO_COLOR: '1', CI: '1', ...env } });
}

const unitTestOf = (imp) => `${imp}
test('масоҳат', () => {
  expect(масоҳат({ ном: 'а', паҳно: 2, баландӣ: 5 })).toBe(10);
});
`;

test('Jest runs a test file importing .som modules through somonscript/jest', () => {
  const dir = project('jest');
  fs.writeFileSync(
    path.join(dir, 'jest.config.cjs'),
    `module.exports = {
  testEnvironment: 'node',
  transform: { '\\\\.som$': 'somonscript/jest' },
  moduleFileExtensions: ['som', 'js', 'json'],
};
`,
  );
  fs.mkdirSync(path.join(dir, 'test'));
  fs.writeFileSync(path.join(dir, 'test', 'shakl.test.js'), unitTestOf("const { масоҳат } = require('../src/lib/shakl');"));
  const run = tool('jest/bin/jest.js', ['--ci', '--no-watchman', '--cacheDirectory', path.join(dir, '.jest-cache')], dir);
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stderr, /Tests:\s+1 passed, 1 total/);

  // A failing assertion's stack points at the .som line (inline source map).
  fs.writeFileSync(
    path.join(dir, 'test', 'throw.test.js'),
    "const { санҷиш } = require('../src/lib/shakl.som');\ntest('санҷиш', () => { санҷиш(1000); });\n",
  );
  const failed = tool('jest/bin/jest.js', ['--ci', '--no-watchman', '--cacheDirectory', path.join(dir, '.jest-cache'), 'throw'], dir);
  assert.notEqual(failed.status, 0);
  assert.match(failed.stderr, new RegExp(`shakl\\.som:${throwLine}:`));
});

test('Jest in ES module mode (--experimental-vm-modules) runs .som modules compiled as ES modules', () => {
  const dir = project('jest-esm');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  fs.writeFileSync(
    path.join(dir, 'jest.config.js'),
    `export default {
  testEnvironment: 'node',
  transform: { '\\\\.som$': 'somonscript/jest' },
  extensionsToTreatAsEsm: ['.som'],
  moduleFileExtensions: ['som', 'js', 'json'],
};
`,
  );
  fs.mkdirSync(path.join(dir, 'test'));
  fs.writeFileSync(path.join(dir, 'test', 'shakl.test.js'), unitTestOf("import { масоҳат } from '../src/lib/shakl.som';"));
  const run = tool('jest/bin/jest.js', ['--ci', '--no-watchman', '--cacheDirectory', path.join(dir, '.jest-cache')], dir, {
    NODE_OPTIONS: '--experimental-vm-modules --no-warnings',
  });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stderr, /Tests:\s+1 passed, 1 total/);
});

test('somonscript/jest cache keys follow the text, the path and the options', async () => {
  const jest = createRequireHere()('somonscript/jest');
  const key = (text, file, config) => jest.getCacheKey(text, file, { transformerConfig: config, supportsStaticESM: false });
  const base = key('чоп.сабт(1);', '/а.som', {});
  assert.equal(key('чоп.сабт(1);', '/а.som', {}), base);
  assert.notEqual(key('чоп.сабт(2);', '/а.som', {}), base);
  assert.notEqual(key('чоп.сабт(1);', '/б.som', {}), base);
  assert.notEqual(key('чоп.сабт(1);', '/а.som', { target: 'es2022' }), base);
  assert.notEqual(jest.getCacheKey('чоп.сабт(1);', '/а.som', { transformerConfig: {}, supportsStaticESM: true }), base);
  assert.throws(() => jest.process('чоп.сабт(1);', '/а.som', { transformerConfig: { modul: 'esm' } }), /unknown option `modul`/);
  assert.throws(() => jest.process('собит а: рақам = "х";', '/а.som', {}), /а\.som:1:\d+: error\[/);
});

test('Vitest runs a test file importing a .som module through somonscript/vite', () => {
  const dir = project('vitest');
  fs.writeFileSync(path.join(dir, 'vitest.config.mjs'), "import somon from 'somonscript/vite';\nexport default { plugins: [somon()] };\n");
  fs.mkdirSync(path.join(dir, 'test'));
  fs.writeFileSync(
    path.join(dir, 'test', 'shakl.test.mjs'),
    unitTestOf("import { test, expect } from 'vitest';\nimport { масоҳат } from '../src/lib/shakl.som';"),
  );
  const run = tool('vitest/vitest.mjs', ['run', '--dir', 'test'], dir);
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /Tests\s+1 passed \(1\)/);
});

for (const type of ['module', 'commonjs']) {
  test(`node --import somonscript/register runs the sample (${type} .som files)`, () => {
    const dir = project(`register-${type}`);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type }));
    const run = node(['--import', 'somonscript/register', 'src/main.som'], { cwd: dir });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, expected);
    // From NODE_OPTIONS, with the error thrown: source maps are on.
    const thrown = node(['--import', 'data:text/javascript,globalThis.SOMON_THROW=true', 'src/main.som'], {
      cwd: dir,
      env: { NODE_OPTIONS: '--import somonscript/register' },
    });
    assert.notEqual(thrown.status, 0);
    assert.match(thrown.stderr, new RegExp(`shakl\\.som:${throwLine}:\\d+\\)`));
    // A type error stops the program with the compiler's diagnostic.
    const line = addTypeError(dir);
    const bad = node(['--import', 'somonscript/register', 'src/main.som'], { cwd: dir });
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, new RegExp(`main\\.som:${line}:\\d+: error\\[`));
  });
}

test('node --test with the register hook runs a .som test file', () => {
  const dir = project('node-test');
  fs.mkdirSync(path.join(dir, 'test'));
  fs.writeFileSync(
    path.join(dir, 'test', 'shakl.test.som'),
    `ворид { test } аз "node:test";
ворид assert аз "node:assert/strict";
ворид { масоҳат } аз "../src/lib/shakl";
test("масоҳат", () => {
  assert.equal(масоҳат({ ном: "а", паҳно: 2, баландӣ: 5 }), 10);
});
`,
  );
  const run = node(['--import', 'somonscript/register', '--test', '--test-reporter=tap', 'test/shakl.test.som'], { cwd: dir });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /# pass 1/);
});

test('every subpath export is typed: tsc --strict accepts correct uses and rejects a misspelled option', () => {
  const dir = fs.mkdtempSync(path.join(work, 'tsc-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const names = ['vite', 'rollup', 'rolldown', 'webpack', 'rspack', 'esbuild'];
  fs.writeFileSync(
    path.join(dir, 'esm.mts'),
    `${names.map((n) => `import ${n} from 'somonscript/${n}';`).join('\n')}
import { compileModule, type ModuleResult } from 'somonscript';
import 'somonscript/register';
${names.map((n) => `${n}({ typeCheck: false, include: [/src/], exclude: 'vendor' });`).join('\n')}
const r: Promise<ModuleResult> = compileModule('a.som', '', { rewriteRelativeImportExtensions: false });
void r;
// @ts-expect-error a misspelled option
vite({ typecheck: false });
`,
  );
  fs.writeFileSync(
    path.join(dir, 'cjs.cts'),
    `${names.map((n) => `import ${n} = require('somonscript/${n}');`).join('\n')}
import jest = require('somonscript/jest');
${names.map((n) => `${n}({ lang: 'tj' });`).join('\n')}
const key: string = jest.getCacheKey('', 'a.som', {});
void key;
`,
  );
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, module: 'node16', moduleResolution: 'node16', noEmit: true, skipLibCheck: false, lib: ['es2022'], types: ['node'] },
      files: ['esm.mts', 'cjs.cts'],
    }),
  );
  const run = tool('typescript/bin/tsc', ['-p', dir], dir);
  assert.equal(run.status, 0, run.stdout + run.stderr);
});

test('Vite dev server (browser side): .som modules are served as JavaScript, and an edit reaches the HMR channel', async () => {
  const { createServer } = await import('vite');
  const { default: somonPlugin } = await import('somonscript/vite');
  const dir = project('vite-hmr');
  const server = await createServer({
    root: dir,
    configFile: false,
    logLevel: 'silent',
    appType: 'custom',
    plugins: [somonPlugin()],
    server: { middlewareMode: true, ws: false, watch: { usePolling: true, interval: 50 } },
  });
  try {
    const client = server.environments.client;
    const sent = [];
    const send = client.hot.send.bind(client.hot);
    client.hot.send = (payload, ...rest) => {
      sent.push(payload);
      return send(payload, ...rest);
    };
    const main = await client.transformRequest('/src/main.som');
    // Imports come back resolved by the plugin, as URLs the browser asks for.
    assert.match(main.code, /from "\/src\/lib\/shakl\.som(\?import)?"/);
    assert.match(main.code, /from "\/src\/асбоб\/матн\.som(\?import)?"/); // the `resolution.paths` alias
    const shakl = await client.transformRequest('/src/lib/shakl.som?import');
    assert.match(shakl.code, /export \{|export function/);
    assert.ok(shakl.map?.sources?.some((s) => s.endsWith('shakl.som')), JSON.stringify(shakl.map?.sources));

    const file = path.join(dir, 'src', 'lib', 'shakl.som');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('ш.паҳно * ш.баландӣ', 'ш.паҳно * ш.баландӣ * 2'));
    for (let i = 0; i < 400 && sent.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    // No module accepts the update itself, so the page reloads (what Vite
    // does for any plain module), triggered by the edited file.
    assert.ok(sent.length > 0, 'no HMR message');
    assert.ok(
      sent.some((p) => (p.type === 'full-reload' && p.triggeredBy === file) || (p.type === 'update' && JSON.stringify(p).includes('shakl.som'))),
      JSON.stringify(sent),
    );
    const again = await client.transformRequest('/src/lib/shakl.som?import');
    assert.match(again.code, /\* 2/);
  } finally {
    await server.close();
  }
});
