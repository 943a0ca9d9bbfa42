#!/usr/bin/env node
// `npm install` hook: use a prebuilt binary when one matches this platform
// (a local build or an `@somonscript/binding-*` optional dependency);
// otherwise build from source with cargo.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { platformSuffix } from './platform.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const suffix = platformSuffix();

function prebuiltAvailable() {
  if (existsSync(join(root, `somonscript.${suffix}.node`))) return true;
  try {
    require.resolve(`@somonscript/binding-${suffix}`);
    return true;
  } catch {
    return false;
  }
}

if (process.env.SOMONSCRIPT_SKIP_BUILD === '1' || prebuiltAvailable()) process.exit(0);

if (!existsSync(join(root, 'Cargo.toml'))) {
  console.error(`somonscript: no prebuilt binary for ${suffix} and no Rust sources to build from.`);
  process.exit(1);
}
// In a clone of the repository the fast dev build is enough; an installed
// package built from source gets the optimised release build.
const inRepo = existsSync(join(root, '.git'));
const args = [join(root, 'scripts', 'build.mjs'), ...(inRepo ? [] : ['--release'])];
const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(r.status ?? 1);
