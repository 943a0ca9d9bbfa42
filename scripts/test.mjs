// `npm test`: builds the addon, then the Rust tests, the Node tests and the
// conformance corpus, stopping at the first failure.
//
// With SOMON_TEST_COVERAGE_DIR=<dir> (set by .ci/run) the same runs also
// measure line coverage: the Rust tests run under cargo-tarpaulin (LLVM
// engine, instrumented artifacts in <dir>/target, LCOV in <dir>/lcov.info)
// instead of a plain `cargo test`, and the Node tests with NODE_V8_COVERAGE
// (<dir>/v8), which every process they spawn inherits, so the CLI wrapper
// counts. scripts/coverage-report.mjs reads both.

import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const coverage = process.env.SOMON_TEST_COVERAGE_DIR
  ? path.resolve(root, process.env.SOMON_TEST_COVERAGE_DIR)
  : undefined;

/** Runs one step, stopping at a failure; prints what it took. */
function run(command, args, env = {}) {
  const shown = [command === process.execPath ? 'node' : command, ...args.slice(0, 3)].join(' ');
  console.log(`> ${[command, ...args].join(' ')}`);
  const start = Date.now();
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(`> (${Math.round((Date.now() - start) / 1000)} s) ${shown}${args.length > 3 ? ' …' : ''}`);
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run(process.execPath, ['scripts/build.mjs']);
if (coverage) {
  run('cargo', [
    'tarpaulin', '--workspace', '--engine', 'llvm', '--skip-clean',
    '--target-dir', path.join(coverage, 'target'),
    '--out', 'Lcov', '--output-dir', coverage, '--timeout', '600', '--color', 'never',
  ]);
} else {
  run('cargo', ['test', '--workspace']);
}
const testFiles = readdirSync(path.join(root, '__test__'))
  .filter((f) => f.endsWith('.test.mjs'))
  .sort()
  .map((f) => path.join('__test__', f));
if (coverage) rmSync(path.join(coverage, 'v8'), { recursive: true, force: true });
run(process.execPath, ['--test', ...testFiles], coverage ? { NODE_V8_COVERAGE: path.join(coverage, 'v8') } : {});
run(process.execPath, ['scripts/conformance.mjs']);
