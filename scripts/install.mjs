#!/usr/bin/env node
// `npm install` hook: use a prebuilt binary when one matches this platform
// (a local build or an `@somonscript/binding-*` optional dependency);
// otherwise build from source with cargo.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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

/** The one message for a platform without a binary and without sources to build one. */
function noBinaryMessage() {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const prefix = '@somonscript/binding-';
  const platforms = Object.keys(manifest.optionalDependencies ?? {})
    .filter((name) => name.startsWith(prefix))
    .map((name) => name.slice(prefix.length));
  const supported = platforms.includes(suffix);
  return [
    `somonscript: no compiler binary for this platform (${suffix}).`,
    `  Prebuilt binaries exist for: ${platforms.join(', ')}.`,
    supported
      ? `  ${suffix} is one of them, but its package ${prefix}${suffix} was not installed: optional dependencies must not be omitted (npm --omit=optional, --no-optional, or a lockfile made on another platform without it).`
      : `  ${suffix} is not one of them.`,
    '  To build from source: install Rust (https://rustup.rs), clone the SomonScript repository, run `npm install`',
    '  there (it builds the addon with cargo), then install that folder in your project (`npm install /path/to/clone`).',
  ].join('\n');
}

if (!existsSync(join(root, 'Cargo.toml'))) {
  console.error(noBinaryMessage());
  process.exit(1);
}
// In a clone of the repository the fast dev build is enough; an installed
// package built from source gets the optimised release build.
const inRepo = existsSync(join(root, '.git'));
const args = [join(root, 'scripts', 'build.mjs'), ...(inRepo ? [] : ['--release'])];
const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(r.status ?? 1);
