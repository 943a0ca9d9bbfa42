#!/usr/bin/env node
// `npm run pack:local`: the packages as they would be published, written to
// target/npm/: the `somonscript` tarball and this platform's
// `@somonscript/binding-<platform>` tarball with the addon inside.
//
//   node scripts/pack-local.mjs            packs the addon that is there
//                                          (somonscript.<platform>.node: the
//                                          last `scripts/build.mjs`, dev or release)
//   node scripts/pack-local.mjs --release  builds the release addon first
//
// Prints the two tarballs' paths, one a line (the binding first).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { platformSuffix } from './platform.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'target', 'npm');
const suffix = platformSuffix();
const addon = `somonscript.${suffix}.node`;

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) {
    console.error(`somonscript pack:local: \`${cmd} ${args.join(' ')}\` failed`);
    process.exit(r.status ?? 1);
  }
  return r.stdout;
}

if (process.argv.includes('--release')) run(process.execPath, [join(root, 'scripts', 'build.mjs'), '--release'], root);
if (!existsSync(join(root, addon))) {
  console.error(`somonscript pack:local: no ${addon}; run \`node scripts/build.mjs\` (or pass --release) first`);
  process.exit(1);
}
const platformDir = join(root, 'npm', suffix);
if (!existsSync(join(platformDir, 'package.json'))) {
  console.error(`somonscript pack:local: no npm/${suffix}/ package for this platform`);
  process.exit(1);
}

mkdirSync(out, { recursive: true });
// The binding package: npm/<platform>/ plus the addon, staged outside the
// source tree.
const stage = join(out, 'stage', suffix);
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
cpSync(platformDir, stage, { recursive: true });
cpSync(join(root, addon), join(stage, addon));
const bindingTgz = run('npm', ['pack', '--silent', '--pack-destination', out], stage).trim().split('\n').pop();
rmSync(join(out, 'stage'), { recursive: true, force: true });

// The main package, as `files` and `exports` describe it.
const mainTgz = run('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', out], root).trim().split('\n').pop();

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
writeFileSync(
  join(out, 'packed.json'),
  `${JSON.stringify({ version: manifest.version, platform: suffix, binding: join(out, bindingTgz), main: join(out, mainTgz) }, null, 2)}\n`,
);
console.log(join(out, bindingTgz));
console.log(join(out, mainTgz));
