#!/usr/bin/env node
// Packages the VS Code extension (editors/vscode) into
// target/vscode/somonscript-<version>.vsix with @vscode/vsce.
//
//   npm run vsix                 with the language server bundled
//   npm run vsix -- --no-server  without it (the extension then needs the
//                                project's node_modules/somonscript or the
//                                `somon.server.path` setting)
//   npm run vsix -- --out FILE   written to FILE instead
//
// The bundled server is this package as `npm pack` would ship it (index.js,
// bin/) plus the native addon(s) found beside index.js — build them first
// (`npm run build` for a small release addon). With exactly one addon the
// .vsix is marked for that platform (vsce --target).
//
// The extension's own dependencies are installed once with
// `npm ci --ignore-scripts --prefix editors/vscode` (the first run does it when they are
// missing); after that the build runs offline.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ext = path.join(root, 'editors', 'vscode');
const args = process.argv.slice(2);
const withServer = !args.includes('--no-server');

/** napi-rs addon suffixes → vsce platform targets. */
const TARGETS = {
  'linux-x64-gnu': 'linux-x64',
  'linux-arm64-gnu': 'linux-arm64',
  'linux-x64-musl': 'alpine-x64',
  'linux-arm64-musl': 'alpine-arm64',
  'darwin-x64': 'darwin-x64',
  'darwin-arm64': 'darwin-arm64',
  'win32-x64-msvc': 'win32-x64',
  'win32-arm64-msvc': 'win32-arm64',
};

function run(command, commandArgs, cwd) {
  const r = spawnSync(command, commandArgs, { cwd, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) {
    console.error(`vsix: \`${command} ${commandArgs.join(' ')}\` failed`);
    process.exit(r.status ?? 1);
  }
}

if (!existsSync(path.join(ext, 'node_modules', '@vscode', 'vsce'))) {
  console.log('vsix: installing the extension\'s dependencies (npm ci --prefix editors/vscode)');
  run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], ext);
}

const manifest = JSON.parse(readFileSync(path.join(ext, 'package.json'), 'utf8'));
const outFlag = args.indexOf('--out');
const out =
  outFlag >= 0 && args[outFlag + 1]
    ? path.resolve(args[outFlag + 1])
    : path.join(root, 'target', 'vscode', `${manifest.name}-${manifest.version}.vsix`);
mkdirSync(path.dirname(out), { recursive: true });

const serverDir = path.join(ext, 'server');
rmSync(serverDir, { recursive: true, force: true });
let target;
if (withServer) {
  const addons = readdirSync(root).filter((f) => /^somonscript\..+\.node$/.test(f));
  if (addons.length === 0) {
    console.error('vsix: no native addon beside index.js; run `npm run build` first, or pass --no-server');
    process.exit(1);
  }
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  mkdirSync(path.join(serverDir, 'bin'), { recursive: true });
  for (const file of ['index.js', 'index.d.ts', 'bin/somon.js', 'bin/run-hooks.mjs', ...addons]) {
    cpSync(path.join(root, file), path.join(serverDir, file));
  }
  writeFileSync(
    path.join(serverDir, 'package.json'),
    `${JSON.stringify(
      { name: pkg.name, version: pkg.version, license: pkg.license, main: pkg.main, bin: pkg.bin, engines: pkg.engines },
      null,
      2,
    )}\n`,
  );
  if (addons.length === 1) {
    const suffix = addons[0].replace(/^somonscript\.|\.node$/g, '');
    target = TARGETS[suffix];
  }
  console.log(`vsix: bundling the server (${addons.join(', ')})${target ? ` for ${target}` : ''}`);
}

const vsce = path.join(ext, 'node_modules', '@vscode', 'vsce', 'vsce');
const vsceArgs = [vsce, 'package', '--out', out, '--allow-missing-repository'];
if (target) vsceArgs.push('--target', target);
try {
  run(process.execPath, vsceArgs, ext);
  console.log(`vsix: contents of ${path.relative(root, out)}:`);
  run(process.execPath, [vsce, 'ls', '--tree'], ext);
} finally {
  rmSync(serverDir, { recursive: true, force: true });
}
