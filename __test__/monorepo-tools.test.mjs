// The real Turborepo and Nx (pinned devDependencies) on the three-package
// workspace of tests/monorepo: a second run is a full cache hit, and an
// edit of one package rebuilds only it and the packages that depend on it.
// Nx runs with the `somonscript/nx` plugin: targets inferred from
// somon.config.json, project-graph edges from the packages' imports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { root } from './helpers.mjs';
import { workspace } from './monorepo-fixture.mjs';

const require = createRequire(import.meta.url);
const quiet = {
  TURBO_TELEMETRY_DISABLED: '1',
  TURBO_NO_UPDATE_NOTIFIER: '1',
  DO_NOT_TRACK: '1',
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  NX_SKIP_NX_CACHE: 'false',
  NO_COLOR: '1',
  FORCE_COLOR: '0',
};

function run(cwd, command, args) {
  const r = spawnSync(process.execPath, [command, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...quiet },
    timeout: 300_000,
  });
  const output = `${r.stdout}\n${r.stderr}`;
  assert.equal(r.status, 0, output);
  return output;
}

const turbo = path.join(root, 'node_modules', 'turbo', 'bin', 'turbo');
const nx = path.join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js');

/** Turbo's `pkg:build: cache hit|miss` lines as { pkg: 'hit' | 'miss' }. */
function turboCache(output) {
  const out = {};
  for (const m of output.matchAll(/^(@mono\/\w):build: cache (hit|miss)/gm)) out[m[1]] = m[2];
  return out;
}

/** Nx's `> nx run pkg:build [local cache]` lines as { pkg: 'hit' | 'miss' }. */
function nxCache(output) {
  const out = {};
  for (const m of output.matchAll(/^> nx run (@mono\/\w):build(.*)$/gm)) out[m[1]] = /cache/.test(m[2]) ? 'hit' : 'miss';
  return out;
}

const editB = (ws) =>
  fs.appendFileSync(path.join(ws, 'packages/b/src/index.som'), '\nсодир собит нусха = 2;\n');

const runA = (ws) =>
  spawnSync(process.execPath, [path.join(ws, 'packages/a/dist/main.js')], { encoding: 'utf8' }).stdout;

test('turbo: a second run is a full cache hit; editing b rebuilds b and a, not c', () => {
  const ws = workspace();
  const first = run(ws, turbo, ['run', 'build']);
  assert.deepEqual(turboCache(first), { '@mono/a': 'miss', '@mono/b': 'miss', '@mono/c': 'miss' });
  assert.equal(runA(ws), 'ҳисоб(20) = 42\n');
  const second = run(ws, turbo, ['run', 'build']);
  assert.deepEqual(turboCache(second), { '@mono/a': 'hit', '@mono/b': 'hit', '@mono/c': 'hit' });
  assert.match(second, /FULL TURBO/);
  editB(ws);
  const third = run(ws, turbo, ['run', 'build']);
  assert.deepEqual(turboCache(third), { '@mono/a': 'miss', '@mono/b': 'miss', '@mono/c': 'hit' });
  // The restored outputs are the built ones.
  fs.rmSync(path.join(ws, 'packages/a/dist'), { recursive: true });
  const restored = run(ws, turbo, ['run', 'build']);
  assert.deepEqual(turboCache(restored), { '@mono/a': 'hit', '@mono/b': 'hit', '@mono/c': 'hit' });
  assert.equal(runA(ws), 'ҳисоб(20) = 42\n');
});

test('nx with somonscript/nx: inferred targets, graph edges from imports, full cache hit, only dependents rebuilt', () => {
  const ws = workspace({ links: ['nx'] });
  // No package.json dependencies: the edges must come from the imports.
  for (const p of ['a', 'b']) {
    const file = path.join(ws, 'packages', p, 'package.json');
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    delete manifest.dependencies;
    fs.writeFileSync(file, JSON.stringify(manifest, null, 2));
  }
  const a = JSON.parse(run(ws, nx, ['show', 'project', '@mono/a', '--json']).split('\n').find((l) => l.startsWith('{')));
  assert.equal(a.targets.build.options.command, 'somon bundle src/main.som -o dist/main.js --hermetic --config somon.config.json');
  assert.deepEqual(a.targets.build.outputs, ['{projectRoot}/dist/main.js', '{projectRoot}/dist/main.js.map']);
  assert.equal(a.targets.check.options.command, 'somon check src --hermetic --config somon.config.json');
  assert.equal(a.targets.fmt.options.command, 'somon fmt --check src');
  assert.equal(a.targets.fmt.configurations.write.command, 'somon fmt src');
  const c = JSON.parse(run(ws, nx, ['show', 'project', '@mono/c', '--json']).split('\n').find((l) => l.startsWith('{')));
  assert.equal(c.targets.build.options.command, 'somon compile src --hermetic --config somon.config.json');
  assert.deepEqual(c.targets.build.outputs, ['{projectRoot}/dist']);

  run(ws, nx, ['graph', '--file=graph.json']);
  const graph = JSON.parse(fs.readFileSync(path.join(ws, 'graph.json'), 'utf8')).graph.dependencies;
  const edges = Object.values(graph).flat().map((d) => `${d.source} → ${d.target}`).sort();
  assert.deepEqual(edges, ['@mono/a → @mono/b', '@mono/b → @mono/c']);

  const args = ['run-many', '-t', 'build', '--outputStyle=static'];
  assert.deepEqual(nxCache(run(ws, nx, args)), { '@mono/a': 'miss', '@mono/b': 'miss', '@mono/c': 'miss' });
  assert.equal(runA(ws), 'ҳисоб(20) = 42\n');
  assert.deepEqual(nxCache(run(ws, nx, args)), { '@mono/a': 'hit', '@mono/b': 'hit', '@mono/c': 'hit' });
  editB(ws);
  assert.deepEqual(nxCache(run(ws, nx, args)), { '@mono/a': 'miss', '@mono/b': 'miss', '@mono/c': 'hit' });
  assert.equal(runA(ws), 'ҳисоб(20) = 42\n');
});

test('somonscript/nx finds the import specifiers of a SomonScript file', () => {
  const plugin = require('somonscript/nx');
  assert.equal(plugin, require(path.join(root, 'nx', 'index.js')));
  assert.deepEqual(
    plugin.specifiers(
      'ворид { а } аз "@мо/а";\nВОРИД "./таъсир";\nсобит м = интизор ворид(\'./динамикӣ\');\n' +
        'собит аз2 = 1; // "аз" as text: "нест"\n/* ворид "./шарҳ" */ собит у = "http://x";\nсодир * аз "./аз-нав";\n',
    ),
    ['@мо/а', './таъсир', './динамикӣ', './аз-нав'],
  );
  assert.equal(typeof plugin.createNodesV2[1], 'function');
  assert.equal(plugin.createNodesV2[0], '**/somon.config.json');
});
