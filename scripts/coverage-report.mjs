#!/usr/bin/env node
// Line coverage from cargo-tarpaulin's LCOV file for the Rust crates and
// V8's coverage files for the JavaScript wrapper: a table per area, the
// totals, and the biggest uncovered areas (files with the most uncovered
// lines, with their line ranges).
//
//   node scripts/coverage-report.mjs --rust target/coverage/lcov.info \
//        [--rust target/coverage/node/lcov.info] \
//        --v8 target/coverage/v8 [--target 80] [--rust-min N] [--js-min N] [--top 15]
//
// (`--rust` may be given more than once: the Rust tests' LCOV and the Node
// suites' through the instrumented addon; a line counts as covered when
// any run executed it.)
// (`--v8 <dir>`: the folder NODE_V8_COVERAGE named while the Node tests
// ran; `--js <file.lcov>` takes an LCOV file instead.)
//
// Areas: each Rust crate (`crates/<name>`, the addon `src/`), and each
// hand-written JavaScript file of the package (`bin/`, `scripts/install.mjs`,
// `scripts/build.mjs`). `index.js` is reported on its own line and left out
// of the JavaScript total: napi-rs generates it, and most of it loads the
// binaries of other platforms, which cannot run here.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const opts = (name) => args.flatMap((a, i) => (a === name && i + 1 < args.length ? [args[i + 1]] : []));
// --target N: the figure every total should reach (printed as met or not);
// --rust-min N / --js-min N: below these the script exits 1 (a ratchet, so
// coverage does not fall while a total is still short of the target).
const target = Number(opt('--target') ?? 80);
const minimum = { rust: opt('--rust-min'), js: opt('--js-min') };
const top = Number(opt('--top') ?? 15);

/** Parses LCOV files: Map<relative path, Map<line, hits>> (hits summed over records and files). */
function readLcov(...lcovFiles) {
  const files = new Map();
  let current = null;
  for (const line of lcovFiles.flatMap((file) => fs.readFileSync(file, 'utf8').split('\n'))) {
    if (line.startsWith('SF:')) {
      const abs = path.resolve(root, line.slice(3).trim());
      const rel = path.relative(root, abs).split(path.sep).join('/');
      current = files.get(rel) ?? new Map();
      files.set(rel, current);
    } else if (line.startsWith('DA:') && current) {
      const [ln, hits] = line.slice(3).split(',');
      current.set(Number(ln), (current.get(Number(ln)) ?? 0) + Number(hits));
    } else if (line === 'end_of_record') {
      current = null;
    }
  }
  return files;
}

function ranges(lines) {
  const out = [];
  for (const l of lines) {
    const last = out[out.length - 1];
    if (last && l === last[1] + 1) last[1] = l;
    else out.push([l, l]);
  }
  return out.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`));
}

function summarize(files) {
  let total = 0;
  let covered = 0;
  for (const lines of files.values()) {
    total += lines.size;
    for (const hits of lines.values()) if (hits > 0) covered++;
  }
  return { total, covered, pct: total ? (100 * covered) / total : 100 };
}

/**
 * Line coverage from the V8 coverage files that `NODE_V8_COVERAGE=<dir>`
 * makes every Node process write (the test runner's and each process the
 * tests spawn). Per process, a line takes the count of the innermost range
 * (block or function) that contains all of it, as v8-to-istanbul does; a
 * line counts as covered when any process ran it. Blank lines and lines
 * with only a comment or a closing bracket are not counted.
 * Returns the same shape as readLcov, for the files `keep` accepts.
 */
function readV8(dir, keep) {
  const files = new Map();
  const texts = new Map();
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    let data;
    try {
      data = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
    } catch {
      continue; // a process killed while writing
    }
    for (const script of data.result ?? []) {
      if (!script.url.startsWith('file:')) continue;
      const rel = path.relative(root, fileURLToPath(script.url)).split(path.sep).join('/');
      if (!keep(rel)) continue;
      if (!texts.has(rel)) texts.set(rel, fs.readFileSync(path.join(root, rel), 'utf8'));
      const text = texts.get(rel);
      const lines = lineSpans(text);
      const counts = lines.map(() => 0);
      const all = script.functions.flatMap((f) => f.ranges);
      all.sort((a, b) => b.endOffset - b.startOffset - (a.endOffset - a.startOffset));
      for (const r of all) {
        for (let i = 0; i < lines.length; i++) {
          const l = lines[i];
          if (l && r.startOffset <= l.start && l.end <= r.endOffset) counts[i] = r.count;
        }
      }
      const m = files.get(rel) ?? new Map();
      lines.forEach((l, i) => {
        if (l) m.set(i + 1, Math.max(m.get(i + 1) ?? 0, counts[i]));
      });
      files.set(rel, m);
    }
  }
  return files;
}

/** Per line: the UTF-16 offsets of its first and last non-blank character (null: not counted). */
function lineSpans(text) {
  const out = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    const counted = trimmed !== '' && !/^(\/\/|\/\*|\*|[})\]];?,?$)/.test(trimmed) && !/^[})\]]+[;,)]*$/.test(trimmed);
    const start = offset + line.length - line.trimStart().length;
    out.push(counted ? { start, end: start + trimmed.length } : null);
    offset += line.length + 1;
  }
  return out;
}

const pct = (s) => `${s.pct.toFixed(1).padStart(5)} %  ${String(s.covered).padStart(6)} / ${String(s.total).padEnd(6)}`;
let failed = false;
const report = [];

function section(kind, title, files, areaOf, { exclude = () => false } = {}) {
  const areas = new Map();
  const counted = new Map();
  for (const [file, lines] of files) {
    const area = areaOf(file);
    if (!area) continue;
    const m = areas.get(area) ?? new Map();
    m.set(file, lines);
    areas.set(area, m);
    if (!exclude(file)) counted.set(file, lines);
  }
  console.log(`\n${title}`);
  for (const [area, m] of [...areas].sort()) {
    const note = [...m.keys()].every(exclude) ? '  (not in the total)' : '';
    console.log(`  ${area.padEnd(28)} ${pct(summarize(m))}${note}`);
  }
  const total = summarize(counted);
  console.log(`  ${'total'.padEnd(28)} ${pct(total)}`);
  if (kind === 'rust' && rustLcov.length === 1) {
    // The CLI crate and the addon are driven mostly by the Node tests: with
    // the Rust tests' LCOV alone, cargo test sees little of them.
    const core = new Map([...counted].filter(([f]) => !/^(crates\/somon_cli\/|src\/)/.test(f)));
    console.log(`  ${'without somon_cli and src/'.padEnd(28)} ${pct(summarize(core))}`);
  }
  console.log(`  ${total.pct >= target ? 'meets' : 'BELOW'} the target of ${target} % (total)`);
  if (minimum[kind] !== undefined && total.pct < Number(minimum[kind])) {
    console.log(`  FAILED: below the minimum of ${minimum[kind]} %`);
    failed = true;
  }
  report.push(...[...counted].map(([file, lines]) => ({ file, lines })));
  return total;
}

const rustLcov = opts('--rust');
const jsLcov = opt('--js');
const jsV8 = opt('--v8');
const isWrapper = (f) => /^(bin\/|index\.js$|scripts\/(install|build)\.mjs$)/.test(f);
if (rustLcov.length > 0) {
  const title =
    rustLcov.length > 1
      ? 'Rust line coverage (cargo tarpaulin: `cargo test --workspace`, and the Node tests and conformance corpus through the instrumented addon)'
      : 'Rust line coverage (cargo tarpaulin, `cargo test --workspace`)';
  section('rust', title, readLcov(...rustLcov), (f) => {
    const m = /^crates\/([^/]+)\/src\//.exec(f);
    if (m) return m[1];
    if (f.startsWith('src/')) return 'somonscript-node (src/)';
    return null;
  });
}
if (jsLcov || jsV8) {
  section(
    'js',
    jsV8
      ? 'JavaScript line coverage (V8 coverage of the Node tests and every process they spawn)'
      : 'JavaScript line coverage (LCOV)',
    jsV8 ? readV8(jsV8, isWrapper) : readLcov(jsLcov),
    (f) => (isWrapper(f) ? f : null),
    { exclude: (f) => f === 'index.js' },
  );
}

console.log(`\nLargest uncovered areas (uncovered lines):`);
const uncovered = report
  .map(({ file, lines }) => ({
    file,
    missing: [...lines].filter(([, h]) => h === 0).map(([l]) => l).sort((a, b) => a - b),
  }))
  .filter((u) => u.missing.length > 0)
  .sort((a, b) => b.missing.length - a.missing.length)
  .slice(0, top);
for (const u of uncovered) {
  const r = ranges(u.missing);
  const shown = r.slice(0, 12).join(' ') + (r.length > 12 ? ` … (${r.length} ranges)` : '');
  console.log(`  ${String(u.missing.length).padStart(5)}  ${u.file}: ${shown}`);
}
process.exit(failed ? 1 : 0);
