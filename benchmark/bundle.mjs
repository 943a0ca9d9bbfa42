#!/usr/bin/env node
// Bundle benchmark: a synthetic project of N modules (60–100 lines each,
// imports between them, classes, loops, template strings), generated from
// one template as SomonScript and as the equivalent TypeScript. Reports,
// in one run, medians of our `bundleSync` (release addon) and of esbuild
// bundling the TypeScript project, for 1,000 and 2,000 modules, plus the
// peak memory of a process that does one bundle; then one bundle of a
// large project (10,000 modules: time and peak RSS of a fresh process;
// the bar is 500 MB). Then sizes: for the first project size and for a
// 300-module project, the bytes of our minified bundle, minified and
// gzipped, next to esbuild's minified bundle of the same compiled modules
// (each .som compiled by us to an ES module, then bundled by esbuild), with
// both times. Nothing is asserted.
//
//   node benchmark/bundle.mjs [--runs 5] [--sizes 1000,2000] [--large 10000]
//                             [--size-modules 300] [--dev] [--json]
//                             [--addon path.node]
//   (--sizes 0 leaves the timed projects out, --large 0 the large case,
//   --size-modules 0 the sizes;
//   --dev loads the debug addon of `node scripts/build.mjs` instead of the
//   release one: times are then not comparable)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { libraryFileName } from '../scripts/platform.mjs';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, 'benchmark', '.work');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}
const runs = Number(arg('runs', 5));
const sizes = String(arg('sizes', '1000,2000')).split(',').map(Number).filter((n) => n > 0);
const large = Number(arg('large', 10000));
const asJson = process.argv.includes('--json');
const sizeModules = Number(arg('size-modules', 300));
const dev = process.argv.includes('--dev');
// `--addon path.node`: another build of the addon (a profiling build, a
// copy of an older release build to compare with).
const addonArg = arg('addon', null);

/** The addon's file: the release build (npm run bench builds it), or with
 * --dev the debug build `node scripts/build.mjs` leaves in the root. */
function addonPath() {
  if (addonArg) return addonArg;
  return dev ? require.resolve(root) : join(root, 'target', 'release', libraryFileName());
}

/** The release addon, loaded directly (npm run bench builds it). */
function loadAddon() {
  if (dev) return require(root);
  const lib = addonPath();
  const m = { exports: {} };
  process.dlopen(m, lib);
  return m.exports;
}

const WORDS = {
  som: {
    import: (names, from) => `ворид { ${names.join(', ')} } аз "${from}";`,
    export: 'содир', class: 'синф', extends: 'мерос', ctor: 'конструктор', this: 'ин', super: 'супер',
    new: 'нав', fn: 'функсия', ret: 'бозгашт', let: 'тағ', const: 'собит', if: 'агар', else: 'вагарна',
    for: 'барои', of: 'аз', num: 'рақам', str: 'сатр', log: 'чоп.сабт', push: 'илова', len: 'дарозӣ',
    map: 'харита', join: 'пайвастКардан',
  },
  ts: {
    import: (names, from) => `import { ${names.join(', ')} } from "${from}";`,
    export: 'export', class: 'class', extends: 'extends', ctor: 'constructor', this: 'this', super: 'super',
    new: 'new', fn: 'function', ret: 'return', let: 'let', const: 'const', if: 'if', else: 'else',
    for: 'for', of: 'of', num: 'number', str: 'string', log: 'console.log', push: 'push', len: 'length',
    map: 'map', join: 'join',
  },
};

/** Module `i` of a project of `n` modules, in language `w`. */
function moduleText(i, n, w, ext) {
  const deps = [];
  for (const d of [i * 2 + 1, i * 2 + 2]) if (d < n) deps.push(d);
  const lines = [];
  for (const d of deps) lines.push(w.import([`Ҳисоб${d}`, `ҷамъ${d}`], `./м${d}${ext}`));
  lines.push(`${w.export} ${w.class} Ҳисоб${i} {`);
  lines.push(`  ном: ${w.str};`);
  lines.push(`  қиматҳо: ${w.num}[] = [];`);
  lines.push(`  ${w.ctor}(ном: ${w.str}) {`);
  lines.push(`    ${w.this}.ном = ном;`);
  lines.push(`  }`);
  lines.push(`  илова(қ: ${w.num}): ${w.num} {`);
  lines.push(`    ${w.this}.қиматҳо.${w.push}(қ);`);
  lines.push(`    ${w.ret} ${w.this}.қиматҳо.${w.len};`);
  lines.push(`  }`);
  lines.push(`  ҷамъбаст(): ${w.num} {`);
  lines.push(`    ${w.let} ҷ = 0;`);
  lines.push(`    ${w.for} (${w.const} қ ${w.of} ${w.this}.қиматҳо) {`);
  lines.push(`      ${w.if} (қ % 2 === 0) {`);
  lines.push(`        ҷ += қ * 2;`);
  lines.push(`      } ${w.else} {`);
  lines.push(`        ҷ -= (қ - 1) / 3;`);
  lines.push(`      }`);
  lines.push(`    }`);
  lines.push(`    ${w.ret} ҷ;`);
  lines.push(`  }`);
  lines.push(`  тавсиф(): ${w.str} {`);
  lines.push(`    ${w.ret} \`\${${w.this}.ном}: \${${w.this}.қиматҳо.${w.map}((қ) => қ.toFixed(1)).${w.join}(", ")}\`;`);
  lines.push(`  }`);
  lines.push(`}`);
  lines.push(`${w.export} ${w.class} Махсус${i} ${w.extends} Ҳисоб${i} {`);
  lines.push(`  ${w.ctor}() {`);
  lines.push(`    ${w.super}("махсус-${i}");`);
  lines.push(`  }`);
  lines.push(`  ҷамъбаст(): ${w.num} {`);
  lines.push(`    ${w.ret} ${w.super}.ҷамъбаст() + ${i};`);
  lines.push(`  }`);
  lines.push(`}`);
  lines.push(`${w.export} ${w.fn} ҷамъ${i}(а: ${w.num}, б: ${w.num} = 1): ${w.num} {`);
  lines.push(`  ${w.let} натиҷа = а;`);
  lines.push(`  ${w.for} (${w.let} к = 0; к < б; к++) {`);
  lines.push(`    натиҷа += к * ${i % 7};`);
  lines.push(`  }`);
  for (const d of deps) lines.push(`  натиҷа += ҷамъ${d}(к${d}(), 2);`);
  lines.push(`  ${w.ret} натиҷа;`);
  lines.push(`}`);
  for (const d of deps) {
    lines.push(`${w.fn} к${d}(): ${w.num} {`);
    lines.push(`  ${w.const} ҳ = ${w.new} Ҳисоб${d}("дар-${i}");`);
    lines.push(`  ҳ.илова(${d});`);
    lines.push(`  ${w.ret} ҳ.ҷамъбаст();`);
    lines.push(`}`);
  }
  for (let k = 0; k < 6; k++) {
    lines.push(`${w.export} ${w.const} ҷадвал${i}_${k} = {`);
    lines.push(`  ном: "ҷадвал ${k}",`);
    lines.push(`  рақамҳо: [${k}, ${k + 1}, ${k + 2}],`);
    lines.push(`  ҳисоб: (х: ${w.num}): ${w.num} => х * ${k + 1} + ${i},`);
    lines.push(`};`);
  }
  if (i === 0) {
    lines.push(`${w.const} ҳ0 = ${w.new} Махсус0();`);
    lines.push(`ҳ0.илова(3);`);
    lines.push(`${w.log}(ҳ0.тавсиф(), ҷамъ0(1, 3));`);
  }
  return lines.join('\n') + '\n';
}

function generate(n, langs = ['som', 'ts']) {
  const dir = join(work, `bundle-${n}`);
  rmSync(dir, { recursive: true, force: true });
  for (const [lang, ext, importExt] of [['som', '.som', ''], ['ts', '.ts', '']].filter(([l]) => langs.includes(l))) {
    const d = join(dir, lang);
    mkdirSync(d, { recursive: true });
    for (let i = 0; i < n; i++) writeFileSync(join(d, `м${i}${ext}`), moduleText(i, n, WORDS[lang], importExt));
  }
  return dir;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

function time(fn) {
  globalThis.gc?.();
  const t0 = performance.now();
  const r = fn();
  return [performance.now() - t0, r];
}

/** Peak RSS (KB) of a fresh process after loading the addon (`before`)
 * and after one bundle (`after`), and the bundle's time (`ms`). */
function peakRss(entry) {
  const script = `
    const m = { exports: {} };
    ${dev ? `m.exports = require(${JSON.stringify(root)});` : `process.dlopen(m, ${JSON.stringify(addonPath())});`}
    const before = process.resourceUsage().maxRSS;
    const t0 = performance.now();
    ${entry ? `const r = m.exports.bundleSync(${JSON.stringify(entry)}); if (!r.code) { console.error(JSON.stringify(r.diagnostics.slice(0, 5))); process.exit(3); }` : ''}
    const ms = performance.now() - t0;
    console.log(JSON.stringify({ before, after: process.resourceUsage().maxRSS, ms }));
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`peak RSS probe failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// Memory first, from a small parent: a child started from a large process
// reports the parent's size as its peak (fork before exec).
const dirs = new Map(sizes.map((n) => [n, generate(n)]));
const memory = new Map(sizes.map((n) => [n, peakRss(join(dirs.get(n), 'som', 'м0.som'))]));
let largeResult = null;
if (large > 0) {
  const dir = generate(large, ['som']);
  const peak = peakRss(join(dir, 'som', 'м0.som'));
  largeResult = { modules: large, ms: peak.ms, peakRssMB: peak.after / 1024, baselineRssMB: peak.before / 1024 };
  rmSync(dir, { recursive: true, force: true });
}

const somon = loadAddon();
let esbuild;
try {
  esbuild = require('esbuild');
} catch {
  console.error('benchmark: esbuild is not installed (npm install)');
  process.exit(2);
}

const results = [];
for (const n of sizes) {
    const dir = dirs.get(n);
  const somEntry = join(dir, 'som', 'м0.som');
  const tsEntry = join(dir, 'ts', 'м0.ts');
  const check = somon.bundleSync(somEntry);
  if (!check.code || check.diagnostics.some((d) => d.severity === 'error')) {
    console.error(check.diagnostics.slice(0, 5));
    throw new Error(`the generated SomonScript project of ${n} modules does not bundle`);
  }
  const ours = [];
  const theirs = [];
  for (let r = 0; r < runs + 1; r++) {
    const [a] = time(() => somon.bundleSync(somEntry));
    const [b] = time(() => esbuild.buildSync({ entryPoints: [tsEntry], bundle: true, write: false, platform: 'node', format: 'cjs', logLevel: 'silent' }));
    if (r > 0) {
      ours.push(a);
      theirs.push(b);
    }
  }
      const peak = memory.get(n);
  results.push({
    modules: n,
    oursMs: median(ours),
    esbuildMs: median(theirs),
    ratio: median(ours) / median(theirs),
        peakRssMB: peak.after / 1024,
    baselineRssMB: peak.before / 1024,
  });
}

/** Sizes of a project of `n` modules: our minified bundle and esbuild's
 * minified bundle of the modules as we compile them (ES modules, so
 * esbuild hoists and shakes them), raw and gzipped (level 9), with the
 * median time of each bundle. */
function sizesOf(n, dir) {
  const somDir = join(dir, 'som');
  const jsDir = join(dir, 'compiled');
  mkdirSync(jsDir, { recursive: true });
  for (let i = 0; i < n; i++) {
    const file = join(somDir, `м${i}.som`);
    const r = somon.compile(readFileSync(file, 'utf8'), { module: 'esm', fileName: file });
    if (!r.code) throw new Error(`м${i}.som does not compile: ${r.errors.slice(0, 3).join('; ')}`);
    writeFileSync(join(jsDir, `м${i}.js`), r.code);
  }
  const ours = [];
  const theirs = [];
  let ourCode = '';
  let theirCode = '';
  for (let r = 0; r < runs + 1; r++) {
    const [a, mine] = time(() => somon.bundleSync(join(somDir, 'м0.som'), { minify: true }));
    const [b, built] = time(() =>
      esbuild.buildSync({
        entryPoints: [join(jsDir, 'м0.js')],
        bundle: true,
        minify: true,
        write: false,
        platform: 'node',
        format: 'cjs',
        logLevel: 'silent',
      }),
    );
    ourCode = mine.code;
    theirCode = built.outputFiles[0].text;
    if (r > 0) {
      ours.push(a);
      theirs.push(b);
    }
  }
  const bytes = (s) => Buffer.byteLength(s);
  const gz = (s) => gzipSync(s, { level: 9 }).length;
  return {
    modules: n,
    ours: { minBytes: bytes(ourCode), gzipBytes: gz(ourCode), ms: median(ours) },
    esbuild: { minBytes: bytes(theirCode), gzipBytes: gz(theirCode), ms: median(theirs) },
    gzipRatio: gz(ourCode) / gz(theirCode),
  };
}

const sizeResults = [];
if (sizeModules > 0) {
  const projects = [...new Set([sizes[0], sizeModules].filter((n) => n > 0))];
  for (const n of projects) {
    const dir = dirs.get(n) ?? generate(n, ['som']);
    sizeResults.push(sizesOf(n, dir));
  }
}

if (asJson) {
  console.log(JSON.stringify({ cpus: cpus().length, load: loadavg(), results, large: largeResult, sizes: sizeResults }, null, 2));
} else {
  console.log(`Bundle benchmark (${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, median of ${runs})`);
  console.log('modules  somon bundle   esbuild   somon/esbuild   peak RSS after bundle   after loading (Node + addon)');
  for (const r of results) {
    console.log(
      `${String(r.modules).padStart(7)}  ${r.oursMs.toFixed(0).padStart(9)} ms  ${r.esbuildMs.toFixed(0).padStart(6)} ms  ${r.ratio.toFixed(2).padStart(13)}×  ${r.peakRssMB.toFixed(0).padStart(14)} MB  ${r.baselineRssMB.toFixed(0).padStart(17)} MB`,
    );
  }
  if (results.length === 2) {
    console.log(`${results[1].modules} modules take ${(results[1].oursMs / results[0].oursMs).toFixed(2)}× the ${results[0].modules}-module time`);
  }
  if (largeResult) {
    console.log(
      `${largeResult.modules} modules, one bundle in a fresh process: ${(largeResult.ms / 1000).toFixed(1)} s, peak RSS ${largeResult.peakRssMB.toFixed(0)} MB (${largeResult.baselineRssMB.toFixed(0)} MB after loading)`,
    );
  }
  if (sizeResults.length) {
    const kb = (b) => `${(b / 1024).toFixed(1)} kB`;
    console.log('\nMinified sizes (ours: somon bundle --minify; esbuild: --bundle --minify of the same modules compiled by somon to ES modules)');
    console.log('modules    ours min   ours min+gz    esbuild min  esbuild min+gz   gz ours/esbuild   ours time  esbuild time');
    for (const r of sizeResults) {
      console.log(
        `${String(r.modules).padStart(7)}  ${kb(r.ours.minBytes).padStart(10)}  ${kb(r.ours.gzipBytes).padStart(12)}  ${kb(r.esbuild.minBytes).padStart(13)}  ${kb(r.esbuild.gzipBytes).padStart(14)}  ${r.gzipRatio.toFixed(2).padStart(16)}×  ${r.ours.ms.toFixed(0).padStart(7)} ms  ${r.esbuild.ms.toFixed(0).padStart(9)} ms`,
      );
    }
  }
}
