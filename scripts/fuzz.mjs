#!/usr/bin/env node
// Seeds the cargo-fuzz corpora from the repository's SomonScript, JavaScript
// and configuration files, then runs each fuzz target for a fixed time, one
// after another, and prints what each run did (executions, coverage, corpus,
// crashes). Exits 1 if any target found a crash, a timeout or an OOM; the
// reproducer is in fuzz/artifacts/<target>/.
//
//   node scripts/fuzz.mjs [--seconds N] [--only a,b] [--dev] [--seed-only] [--no-build]
//
// CI runs `--dev --seconds 20`; a long campaign by hand (release build):
//   nice -n 19 node scripts/fuzz.mjs --seconds 720     (an hour over 5 targets)
//
// Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
// Corpora live in fuzz/corpus/<target>/ (not committed; they grow as the
// fuzzer finds new paths, and are reused by the next run).
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const fuzzDir = path.join(root, 'fuzz');
const TARGETS = ['parse', 'check', 'compile', 'config', 'js_scan'];
// Flags of every build and run: no sanitizer (the crates are safe Rust; the
// fuzzer hunts panics, hangs and memory blow-ups, and runs twice as fast
// without ASan); the release profile of fuzz/Cargo.toml, which keeps debug
// assertions and overflow checks on (swc's own checks included, except
// swc_ecma_parser's, off in every build: see fuzz/Cargo.toml). cargo-fuzz's
// `--dev`/`--debug-assertions` are not used: they force
// `-Cdebug-assertions` on every crate through RUSTFLAGS.
// `--dev`: the same profile without optimisation (and with cargo's usual
// codegen units): a cold build takes a fraction of the optimised build's
// time, for short runs such as CI's. All targets come from one build.
const BUILD_FLAGS = ['-O', '--sanitizer', 'none'];

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const seconds = Number(opt('--seconds', '20'));
const dev = args.includes('--dev');
const buildEnv = { ...process.env };
if (dev) {
  BUILD_FLAGS.push('--codegen-units', '16');
  buildEnv.CARGO_PROFILE_RELEASE_OPT_LEVEL = '0';
}
const only = opt('--only', TARGETS.join(',')).split(',');
for (const t of only) if (!TARGETS.includes(t)) throw new Error(`unknown target ${t}; targets: ${TARGETS.join(', ')}`);

/** Files below `dir` whose name matches `re`, skipping node_modules and dot-folders. */
function filesBelow(dir, re, out = []) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) filesBelow(p, re, out);
    else if (re.test(e.name)) out.push(p);
  }
  return out;
}

const somDirs = [
  path.join(root, '..', 'shared', 'conformance'),
  path.join(root, 'tests'),
  path.join(root, 'crates', 'somon_compiler', 'tests'),
  path.join(root, 'examples'),
];
const somFiles = somDirs.flatMap((d) => filesBelow(d, /\.som$/));
const jsFiles = [path.join(root, '..', 'shared', 'conformance'), path.join(root, 'tests')].flatMap((d) =>
  filesBelow(d, /\.(js|mjs|cjs)$/),
);
const configFiles = [
  ...filesBelow(path.join(fuzzDir, 'seeds', 'config'), /\.json$/),
  ...[path.join(root, '..', 'shared', 'conformance'), path.join(root, 'tests')].flatMap((d) =>
    filesBelow(d, /^(somon\.config\.json|\.somonrc|[^.]*\.json)$/),
  ),
];
// Files larger than this are left out: libFuzzer mutates small inputs best.
const MAX_SEED = 64 * 1024;

/** Copies seeds into fuzz/corpus/<target>/ under content-hash names (as libFuzzer names its finds). */
function seed(target, inputs) {
  const dir = path.join(fuzzDir, 'corpus', target);
  fs.mkdirSync(dir, { recursive: true });
  let added = 0;
  for (const bytes of inputs) {
    if (bytes.length > MAX_SEED) continue;
    const name = crypto.createHash('sha1').update(bytes).digest('hex');
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) {
      fs.writeFileSync(file, bytes);
      added++;
    }
  }
  return { dir, added, total: fs.readdirSync(dir).length };
}

const som = somFiles.map((f) => fs.readFileSync(f));
const seeds = {
  parse: som,
  check: som,
  // The compile target reads its options from the first byte: the files
  // take turns at a few option sets (default; es5 + source map; esm +
  // minify + keepNames; esnext without the checker).
  compile: som.map((b, i) => Buffer.concat([Buffer.from([[0, 1 | 32, 4 | 8 | 16, 3 | 64][i % 4]]), b])),
  config: configFiles.map((f) => fs.readFileSync(f)),
  js_scan: jsFiles.map((f) => fs.readFileSync(f)),
};

for (const t of only) {
  const s = seed(t, seeds[t]);
  console.log(`seed ${t}: ${s.added} new, ${s.total} in ${path.relative(root, s.dir)}`);
}
if (args.includes('--seed-only')) process.exit(0);

const cargo = (extra) => ['+nightly', 'fuzz', ...extra];
if (!args.includes('--no-build')) {
  const built = spawnSync('cargo', cargo(['build', ...BUILD_FLAGS]), { cwd: root, stdio: 'inherit', env: buildEnv });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

function binary(target) {
  const host = /host: (\S+)/.exec(spawnSync('rustc', ['+nightly', '-vV'], { encoding: 'utf8' }).stdout)?.[1];
  return path.join(fuzzDir, 'target', host ?? 'x86_64-unknown-linux-gnu', 'release', target);
}

/** Runs one target for `seconds`; resolves with the figures of its last status line. */
function run(target) {
  return new Promise((resolve) => {
    // The binary `cargo fuzz build` made, run directly (what `cargo fuzz run`
    // does after a build), so a long campaign holds no cargo lock.
    const child = spawn(
      binary(target),
      [
        `-artifact_prefix=${path.join(fuzzDir, 'artifacts', target)}${path.sep}`,
        `-max_total_time=${seconds}`, '-timeout=20', '-rss_limit_mb=4096', '-print_final_stats=1',
        path.join(fuzzDir, 'corpus', target),
      ],
      { cwd: fuzzDir, stdio: ['ignore', 'inherit', 'pipe'] },
    );
    let tail = '';
    child.stderr.on('data', (d) => {
      tail = (tail + d).slice(-20000);
    });
    child.on('exit', (code) => {
      const stat = (name) => Number(new RegExp(`stat::${name}:\\s+(\\d+)`).exec(tail)?.[1] ?? NaN);
      const m = [...tail.matchAll(/^#\d+\s+\w+\s+cov: (\d+) ft: (\d+) corp: (\d+)/gm)].pop();
      // A unit slower than 10 s is reported ("slow-unit-…" written) but is
      // no failure; a hang past -timeout is ("timeout-…").
      const crash =
        /==\d+== ERROR: libFuzzer|deadly signal|panicked at/.test(tail) ||
        /Test unit written to \S*(crash|oom|timeout|leak)-/.test(tail);
      if (code !== 0 || crash) process.stderr.write(tail.slice(-6000));
      resolve({
        target,
        code,
        crash: code !== 0 || crash,
        execs: stat('number_of_executed_units'),
        execsPerSec: stat('average_exec_per_sec'),
        peakRssMb: stat('peak_rss_mb'),
        cov: m ? Number(m[1]) : NaN,
        features: m ? Number(m[2]) : NaN,
        corpus: m ? Number(m[3]) : NaN,
        artifact: /Test unit written to (\S*(?:crash|oom|timeout|leak)-\S+)/.exec(tail)?.[1],
        slowUnits: [...tail.matchAll(/Test unit written to (\S*slow-unit-\S+)/g)].length,
      });
    });
  });
}

const results = [];
for (const t of only) {
  fs.mkdirSync(path.join(fuzzDir, 'artifacts', t), { recursive: true });
  console.log(`== fuzz ${t} for ${seconds} s`);
  results.push(await run(t));
}
console.log('\ntarget     result  executions  exec/s  coverage(edges)  features  corpus  peak RSS MB');
for (const r of results) {
  console.log(
    `${r.target.padEnd(10)} ${(r.crash ? 'CRASH' : r.slowUnits ? 'slow' : 'ok').padEnd(7)} ${String(r.execs).padStart(10)}  ${String(r.execsPerSec).padStart(6)}  ${String(r.cov).padStart(15)}  ${String(r.features).padStart(8)}  ${String(r.corpus).padStart(6)}  ${String(r.peakRssMb).padStart(11)}${r.artifact ? `  ${r.artifact}` : ''}`,
  );
}
process.exit(results.some((r) => r.crash) ? 1 : 0);
