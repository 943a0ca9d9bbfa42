// Packages that install anywhere (issue 15): `npm run pack:local` writes the
// `somonscript` tarball and this platform's binding tarball; installing both
// in an empty folder with no Rust toolchain on PATH gives a working
// `npx somon`, `require('somonscript')`, plugins and register hook; and
// `somonscript` alone, without its binary, fails its install with one
// message naming the supported platforms and how to build from source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from './helpers.mjs';

// No cargo: node's folder (npm's `#!/usr/bin/env node` finds this node) and
// the system's.
const PATH = [path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter);
const env = { ...process.env, PATH, NODE_OPTIONS: '', npm_config_audit: 'false', npm_config_fund: 'false' };
for (const key of Object.keys(env)) {
  // The outer npm's settings (`npm test`) must not leak into the inner installs.
  if (key.startsWith('npm_') && !key.startsWith('npm_config_audit') && !key.startsWith('npm_config_fund')) delete env[key];
}
delete env.NODE_TEST_CONTEXT;
const cargoOnPath = !spawnSync('cargo', ['--version'], { env }).error;

function sh(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

function emptyProject() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'somon-install-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'try-somon', version: '1.0.0', private: true }));
  return dir;
}

/** `npm run pack:local`, once: [binding tarball, main tarball]. */
let packed;
function pack() {
  if (!packed) {
    const r = sh(process.execPath, [path.join(root, 'scripts', 'pack-local.mjs')], root);
    assert.equal(r.status, 0, r.stderr);
    packed = r.stdout.trim().split('\n');
  }
  return packed;
}

const skip = cargoOnPath ? 'cargo is on the system PATH here, so "no Rust toolchain" cannot be arranged' : false;

test('pack:local tarballs install with no Rust toolchain and work', { skip }, () => {
  const [binding, main] = pack();
  assert.match(path.basename(binding), /^somonscript-binding-.+-\d+\.\d+\.\d+\.tgz$/);
  assert.match(path.basename(main), /^somonscript-\d+\.\d+\.\d+\.tgz$/);
  const listed = sh('tar', ['tzf', binding], root).stdout;
  assert.match(listed, /package\/somonscript\..+\.node/);

  const dir = emptyProject();
  const installed = sh('npm', ['install', '--prefer-offline', binding, main], dir);
  assert.equal(installed.status, 0, installed.stdout + installed.stderr);
  fs.writeFileSync(path.join(dir, 'app.som'), 'собит ҷамъ = (а: рақам, б: рақам): рақам => а + б;\nчоп.сабт("ҷамъ:", ҷамъ(2, 3));\n');

  const run = sh('npx', ['--no-install', 'somon', 'run', 'app.som'], dir);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'ҷамъ: 5\n');

  const api = sh(
    process.execPath,
    [
      '-e',
      `const s = require('somonscript');
       const out = s.compile('чоп.сабт(1 + 1);');
       console.log(JSON.stringify({ version: s.version(), code: out.code, path: require.resolve('somonscript') }));`,
    ],
    dir,
  );
  assert.equal(api.status, 0, api.stderr);
  const answer = JSON.parse(api.stdout);
  assert.equal(answer.version, JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version);
  assert.match(answer.code, /console\.log\(1 \+ 1\)/);
  assert.ok(answer.path.startsWith(path.join(fs.realpathSync(dir), 'node_modules')), answer.path);

  // What `files` ships: every subpath of `exports` loads.
  const subpaths = sh(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const names = ['vite', 'rollup', 'rolldown', 'webpack', 'rspack', 'esbuild'];
       const kinds = [];
       for (const n of names) kinds.push(typeof (await import('somonscript/' + n)).default);
       const { createRequire } = await import('node:module');
       const require = createRequire(process.cwd() + '/');
       for (const n of names) kinds.push(typeof require('somonscript/' + n));
       kinds.push(typeof require('somonscript/jest').process);
       console.log(kinds.join(' '));`,
    ],
    dir,
  );
  assert.equal(subpaths.status, 0, subpaths.stderr);
  assert.equal(subpaths.stdout.trim(), Array(13).fill('function').join(' '));
  const registered = sh(process.execPath, ['--import', 'somonscript/register', 'app.som'], dir);
  assert.equal(registered.status, 0, registered.stderr);
  assert.equal(registered.stdout, 'ҷамъ: 5\n');
});

test('somonscript without its binary and without cargo: one message with the platforms and how to build', { skip }, () => {
  const [, main] = pack();
  const dir = emptyProject();
  // --omit=optional: as on a platform that has no binary package.
  const installed = sh('npm', ['install', '--prefer-offline', '--omit=optional', main], dir);
  assert.notEqual(installed.status, 0);
  const text = installed.stdout + installed.stderr;
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  for (const name of Object.keys(manifest.optionalDependencies)) {
    assert.ok(text.includes(name.replace('@somonscript/binding-', '')), `${name} in:\n${text}`);
  }
  assert.match(text, /no compiler binary for this platform/);
  assert.match(text, /To build from source: install Rust \(https:\/\/rustup\.rs\)/);
  assert.equal(text.match(/no compiler binary/g).length, 1);
});
