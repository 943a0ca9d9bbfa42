// `npm test`: builds the addon, then the Rust tests, the Node tests and the
// conformance corpus, stopping at the first failure.
//
// With SOMON_TEST_COVERAGE_DIR=<dir> (set by .ci/run) the same runs also
// measure line coverage, with one instrumented build (cargo-tarpaulin's LLVM
// engine; artifacts in <dir>/target):
//   1. everything `cargo test --workspace` builds, plus the addon, is built
//      with tarpaulin's flags and environment (`cargo build --lib --bins
//      --tests --examples`: the same targets, so the same features and
//      artifacts — a `cargo test` build does not make the addon, a cdylib);
//      the Rust tests then run under tarpaulin instead of a plain
//      `cargo test`, finding every artifact built (LCOV in <dir>/lcov.info);
//   2. the Node tests and the conformance corpus run under tarpaulin too,
//      through the ignored Rust test tests/node_suites.rs, with the instrumented addon (its debug
//      information stripped, <dir>/somonscript.node) in the place index.js
//      loads, `somonscript.<platform>.node`: every process they start (the
//      test runner, each `bin/somon.js`, the language server, workers)
//      counts its use of the Rust code, and tarpaulin maps it through the
//      addon (`--objects`; LCOV in <dir>/node/lcov.info); `--workspace`
//      again, so that cargo resolves the same features. The plain addon is
//      put back afterwards, pass or fail. (Not NAPI_RS_NATIVE_LIBRARY_PATH: other napi-rs packages the
//      tests run, such as nx, would load our addon as theirs.) The Node
//      tests also run with NODE_V8_COVERAGE (<dir>/v8), which every process
//      they spawn inherits, so the JavaScript wrapper counts.
// scripts/coverage-report.mjs reads all three.
//
//   node scripts/test.mjs                 everything (npm test)
//   node scripts/test.mjs --js-suites     only the Node tests and the conformance corpus

import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { libraryFileName, platformSuffix } from './platform.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const coverage = process.env.SOMON_TEST_COVERAGE_DIR
  ? path.resolve(root, process.env.SOMON_TEST_COVERAGE_DIR)
  : undefined;

// The instrumented build is made afresh for each CI run's changes: cargo's
// incremental caches would only add disk (5.6 GB seen beside 31 GB of
// artifacts; a full disk made the linker die of SIGBUS in CI).
if (coverage && process.env.CARGO_INCREMENTAL === undefined) process.env.CARGO_INCREMENTAL = '0';

/** Runs one step, stopping at a failure; prints what it took. */
function run(command, args, env = {}) {
  const shown = [command === process.execPath ? 'node' : command, ...args.slice(0, 3)].join(' ');
  console.log(`> ${[command, ...args].join(' ')}`);
  const start = Date.now();
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(`> (${Math.round((Date.now() - start) / 1000)} s) ${shown}${args.length > 3 ? ' …' : ''}`);
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function jsSuites() {
  const testFiles = readdirSync(path.join(root, '__test__'))
    .filter((f) => f.endsWith('.test.mjs'))
    .sort()
    .map((f) => path.join('__test__', f));
  if (coverage) rmSync(path.join(coverage, 'v8'), { recursive: true, force: true });
  run(process.execPath, ['--test', ...testFiles], coverage ? { NODE_V8_COVERAGE: path.join(coverage, 'v8') } : {});
  run(process.execPath, ['scripts/conformance.mjs']);
}

/** The flags tarpaulin compiles with (`RUSTFLAGS="…"` in its output). */
function tarpaulinFlags() {
  const r = spawnSync('cargo', ['tarpaulin', '--engine', 'llvm', '--print-rust-flags', '--color', 'never'], {
    cwd: root,
    encoding: 'utf8',
  });
  const m = /RUSTFLAGS="([^"]*)"/.exec(r.stdout ?? '');
  if (r.status !== 0 || !m) {
    console.error(`could not read cargo-tarpaulin's flags:\n${r.stdout}${r.stderr}`);
    process.exit(1);
  }
  return m[1].split(/\s+/).filter(Boolean);
}

if (process.argv.includes('--js-suites')) {
  jsSuites();
  process.exit(0);
}

run(process.execPath, ['scripts/build.mjs']);
if (!coverage) {
  run('cargo', ['test', '--workspace']);
  jsSuites();
  process.exit(0);
}

const targetDir = path.join(coverage, 'target');
const addon = path.join(coverage, 'somonscript.node');
run('cargo', ['build', '--workspace', '--lib', '--bins', '--tests', '--examples'], {
  CARGO_TARGET_DIR: targetDir,
  CARGO_ENCODED_RUSTFLAGS: tarpaulinFlags().join('\x1f'),
  TARPAULIN: '1',
  LLVM_PROFILE_FILE: path.join(root, 'build_rs_cov.profraw'),
});
const tarpaulin = ['tarpaulin', '--engine', 'llvm', '--skip-clean', '--target-dir', targetDir, '--out', 'Lcov', '--color', 'never'];
run('cargo', [...tarpaulin, '--workspace', '--output-dir', coverage, '--timeout', '600']);

// Without debug information (a third of the size; the coverage sections
// stay), as the test that packs the package copies it.
const built = path.join(targetDir, 'debug', libraryFileName());
if (spawnSync('objcopy', ['--strip-debug', built, addon], { stdio: 'inherit' }).status !== 0) copyFileSync(built, addon);

/** Puts `file` where index.js loads the addon (copy, then rename: a running process keeps the old one). */
function install(file) {
  const dest = path.join(root, `somonscript.${platformSuffix()}.node`);
  const tmp = `${dest}.${process.pid}.tmp`;
  copyFileSync(file, tmp);
  renameSync(tmp, dest);
}
install(addon);
const args = [
  ...tarpaulin,
  '--workspace', '--test', 'node_suites', '--objects', addon,
  '--output-dir', path.join(coverage, 'node'), '--timeout', '7200',
  '--', '--ignored',
];
console.log(`> cargo ${args.join(' ')}`);
const suites = spawnSync('cargo', args, { cwd: root, stdio: 'inherit', env: { ...process.env, SOMON_TEST_NODE: process.execPath } });
install(path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, 'target'), 'debug', libraryFileName()));
process.exit(suites.status ?? 1);
