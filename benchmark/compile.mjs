#!/usr/bin/env node
// Compile-speed benchmark: SomonScript's `compile` against @swc/core's
// `transformSync` and TypeScript's `transpileModule` on the same program.
//
// One template (below) is expanded into a large SomonScript program and the
// equivalent TypeScript program: the two texts differ only in keywords,
// built-in names (`чоп.сабт` ↔ `console.log`) and method aliases
// (`.дарозӣ` ↔ `.length`); identifiers are the same Tajik words in both.
// Before timing, a small instance of the template is compiled by all three
// tools, type-checked by TypeScript, and run: the three outputs must print
// the same lines, so the programs really are equivalent.
//
// Then the tools run interleaved (the order rotates every round), a GC
// before each call, and the medians are reported as MB/s of input and as
// ratios. It only reports: no timing is asserted.
//
//   node benchmark/compile.mjs [--mb 3] [--runs 7] [--warmup 2] [--small 1000] [--files 1000] [--json]
//   node benchmark/compile.mjs --write-input FILE [--mb 3]   (only writes the SomonScript program)
//   node benchmark/compile.mjs --write-small DIR [--small 1000]   (only writes the small modules, m1.som …)
//   node benchmark/compile.mjs --stages [--source-map] [--mb 3] [--runs 7] [--addon path.node]
//
// `--stages` profiles our compile alone: the compiler's per-stage times
// (lexing, parsing, checking, lowering, each swc pass, code generation,
// source map; the addon's internal `timings` option) as medians over the
// runs, and the N-API boundary (the call's wall time minus the stages:
// strings and result objects crossing into and out of JavaScript).
//
// Besides the large program, the default run measures:
// - small files: `--small N` (default 1,000) modules of ~2.7 KB, each one
//   compiled by its own call on one thread, type checker on, by ours, by
//   swc and esbuild (their TypeScript twins) and — when the environment
//   variable SOMON_OLD_COMPILER names a built checkout of the old
//   TypeScript compiler (lindentechde/Somon-Script after `HUSKY=0 npm ci &&
//   npm run build`) — by the old compiler, whose language subset the
//   template keeps to (no `?:`, no shorthand properties, no default
//   parameters, no trailing commas);
// - `compileFiles` of `--files N` (default 1,000) such modules written to
//   benchmark/.work/files, in a child process with RAYON_NUM_THREADS=1 and
//   in one with every core;
// - peak memory: the compiler's own allocations while compiling the large
//   program (crates/somon_compiler/examples/peak_memory.rs, a counting
//   allocator; built with the dev profile, since the allocations do not
//   depend on optimisation), against 4× the input's size.
// `--small 0`, `--files 0`, `--no-memory` leave them out.
//
// `npm run bench` builds the release addon first; this script loads
// target/release's library directly (see `loadAddon`), or the one
// `--addon` names (e.g. target/profiling/libsomonscript_node.so from
// `cargo build --profile profiling -p somonscript-node`).
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { libraryFileName, platformSuffix } from '../scripts/platform.mjs';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const workDir = join(root, 'benchmark', '.work');

// ---------------------------------------------------------------- options --

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) {
    console.error(`benchmark: --${name} needs a positive number`);
    process.exit(2);
  }
  return v;
}
// Like `option`, but 0 is allowed (leaves the case out).
function optionOrZero(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v < 0) {
    console.error(`benchmark: --${name} needs a number ≥ 0`);
    process.exit(2);
  }
  return v;
}
const targetMB = option('mb', 3);
const runs = Math.round(option('runs', 7));
const warmup = Math.round(option('warmup', 2));
const smallCount = Math.round(optionOrZero('small', 1000));
const filesCount = Math.round(optionOrZero('files', 1000));
const withMemory = !process.argv.includes('--no-memory');
const asJson = process.argv.includes('--json');
const stagesMode = process.argv.includes('--stages');
const stagesSourceMap = process.argv.includes('--source-map');
function pathOption(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}
const addonArg = pathOption('addon');
const writeInput = pathOption('write-input');
const filesChild = pathOption('files-child');
const writeSmall = pathOption('write-small');
const oldCompilerDir = process.env.SOMON_OLD_COMPILER;

// --------------------------------------------------------------- template --

// «word» markers are replaced from one of these two tables. Everything else
// in the template is shared text.
const SOMON = {
  interface: 'интерфейс', class: 'синф', extends: 'мерос', constructor: 'конструктор',
  this: 'ин', super: 'супер', new: 'нав', function: 'функсия', return: 'бозгашт',
  let: 'тағ', const: 'собит', if: 'агар', else: 'вагарна', for: 'барои', of: 'аз',
  true: 'дуруст', false: 'нодуруст', number: 'рақам', string: 'сатр', boolean: 'мантиқӣ',
  log: 'чоп.сабт', Math: 'Риёзӣ', sqrt: 'дуръшака',
  '.length': '.дарозӣ', '.push': '.илова', '.map': '.харита', '.filter': '.филтр',
  '.reduce': '.ҷамъбаст', '.join': '.пайвастКардан',
};
const TYPESCRIPT = Object.fromEntries(
  Object.keys(SOMON).map((k) => [k, k === 'log' ? 'console.log' : k]),
);

// One unit of the program; `№` stands for the unit's number, which suffixes every
// top-level name so units never collide.
const TEMPLATE = `// воҳиди №
«interface» Нуқта№ {
  x: «number»;
  y: «number»;
  ном: «string»;
  фаъол: «boolean»;
}

«interface» Ҳисобот№ {
  ҷамъ: «number»;
  миёна: «number»;
  тавсиф: «string»;
}

«class» Шакл№ {
  ном: «string»;
  ранг: «string» = "сурх";
  шумора: «number» = 0;

  «constructor»(ном: «string», ранг: «string») {
    «this».ном = ном;
    «this».ранг = ранг;
  }

  масоҳат(): «number» {
    «return» 0;
  }

  тавсиф(): «string» {
    «this».шумора++;
    «return» \`\${«this».ном} (\${«this».ранг}): \${«this».масоҳат().toFixed(2)}\`;
  }
}

«class» Доира№ «extends» Шакл№ {
  радиус: «number»;

  «constructor»(радиус: «number») {
    «super»("доира", "кабуд");
    «this».радиус = радиус;
  }

  масоҳат(): «number» {
    «return» «Math».PI * «this».радиус * «this».радиус;
  }
}

«class» Росткунҷа№ «extends» Шакл№ {
  бар: «number»;
  баландӣ: «number»;

  «constructor»(бар: «number», баландӣ: «number») {
    «super»("росткунҷа", "сабз");
    «this».бар = бар;
    «this».баландӣ = баландӣ;
  }

  масоҳат(): «number» {
    «return» «this».бар * «this».баландӣ;
  }

  мураббаъ(): «boolean» {
    «return» «this».бар === «this».баландӣ;
  }
}

«function» ҳисобкунӣ№(рақамҳо: «number»[], зариб: «number»): Ҳисобот№ {
  «let» ҷамъ = 0;
  «for» («let» к = 0; к < рақамҳо«.length»; к++) {
    «if» (рақамҳо[к] % 2 === 0) {
      ҷамъ += рақамҳо[к] * зариб;
    } «else» {
      ҷамъ -= рақамҳо[к];
    }
  }
  «const» миёна = рақамҳо«.length» > 0 ? ҷамъ / рақамҳо«.length» : 0;
  «return» { ҷамъ, миёна, тавсиф: \`ҷамъ=\${ҷамъ}, миёна=\${миёна.toFixed(3)}\` };
}

«function» номиПурра№(нуқта: Нуқта№, пешванд: «string» = "нуқта"): «string» {
  «if» (!нуқта.фаъол) {
    «return» \`\${пешванд} \${нуқта.ном} хомӯш аст\`;
  }
  «return» \`\${пешванд} \${нуқта.ном}: (\${нуқта.x}, \${нуқта.y})\`;
}

«const» нуқтаҳо№: Нуқта№[] = [
  { x: №, y: 2, ном: "алиф", фаъол: «true» },
  { x: 3, y: № % 5, ном: "бе", фаъол: «false» },
  { x: 7, y: 11, ном: "пе", фаъол: «true» },
];
«const» масофаҳо№ = нуқтаҳо№«.filter»((н) => н.фаъол)«.map»((н) => «Math».«sqrt»(н.x * н.x + н.y * н.y));
«const» шаклҳо№: Шакл№[] = [«new» Доира№(1 + № % 4), «new» Росткунҷа№(2, 3), «new» Росткунҷа№(4, 4)];
«const» тавсифҳо№: «string»[] = [];
«let» умумӣ№ = 0;
«for» («const» ш «of» шаклҳо№) {
  умумӣ№ += ш.масоҳат();
  тавсифҳо№«.push»(ш.тавсиф());
}
«const» зарб№ = (а: «number», б: «number»): «number» => а * б + №;
«const» танзимот№ = { ном: "воҳид№", андоза: [1, 2, 3], фаъол: «true», дарун: { сатҳ: №, рамзҳо: ["а", "б"] } };
«const» ҳисобот№ = ҳисобкунӣ№(танзимот№.андоза«.map»((р) => р + №), 3);
«const» ҷамъиМасофа№ = масофаҳо№«.reduce»((а, б) => а + б, 0);
«log»(\`воҳиди №: \${умумӣ№.toFixed(2)} | \${ҳисобот№.тавсиф} | \${зарб№(2, 3)} | \${ҷамъиМасофа№.toFixed(2)}\`);
«log»(нуқтаҳо№«.map»((н) => номиПурра№(н))«.join»("; "), тавсифҳо№«.join»(", "), танзимот№.дарун.рамзҳо«.length»);
`;

// One instance of `template` numbered `n`, in the language of `table`.
function instance(template, table, n) {
  return template
    .replace(/«([^»]+)»/g, (_, k) => {
      const v = Object.hasOwn(table, k) ? table[k] : undefined;
      if (v === undefined) throw new Error(`template marker «${k}» has no translation`);
      return v;
    })
    .replaceAll('№', String(n));
}

function expand(table, units) {
  const parts = [];
  for (let n = 1; n <= units; n++) parts.push(instance(TEMPLATE, table, n));
  return parts.join('\n');
}

function generate(units) {
  return { som: expand(SOMON, units), ts: expand(TYPESCRIPT, units) };
}

// A small module (~2.7 KB of SomonScript) for the small-files case, in the
// old compiler's language subset: no `?:`, no shorthand properties, no
// default parameters, no trailing commas, and no user method named like a
// built-in alias (the old compiler renames those).
const SMALL_TEMPLATE = `// модули №
«interface» Маълумот№ {
  ном: «string»;
  синну: «number»;
  фаъол: «boolean»;
}

«class» Ҳисобкунак№ {
  ном: «string»;
  адад: «number»[];
  шумора: «number»;

  «constructor»(ном: «string») {
    «this».ном = ном;
    «this».адад = [];
    «this».шумора = 0;
  }

  гузор(қ: «number»): «number» {
    «this».адад«.push»(қ);
    «this».шумора = «this».шумора + 1;
    «return» «this».адад«.length»;
  }

  натиҷа(): «number» {
    «let» ҷ: «number» = 0;
    «for» («let» и = 0; и < «this».адад«.length»; и++) {
      «if» («this».адад[и] % 2 === 0) {
        ҷ = ҷ + «this».адад[и] * 2;
      } «else» {
        ҷ = ҷ - «this».адад[и];
      }
    }
    «return» ҷ;
  }

  тавсиф(): «string» {
    «return» \`\${«this».ном}: \${«this».натиҷа()} аз \${«this».шумора}\`;
  }
}

«class» Ҳисобкунаки№Калон «extends» Ҳисобкунак№ {
  зариб: «number»;

  «constructor»(ном: «string», зариб: «number») {
    «super»(ном);
    «this».зариб = зариб;
  }

  натиҷа(): «number» {
    «return» «super».натиҷа() * «this».зариб;
  }
}

«function» миёна№(рақамҳо: «number»[]): «number» {
  «if» (рақамҳо«.length» === 0) {
    «return» 0;
  }
  «let» ҷамъ: «number» = 0;
  «for» («const» р «of» рақамҳо) {
    ҷамъ = ҷамъ + р;
  }
  «return» ҷамъ / рақамҳо«.length»;
}

«function» салом№(м: Маълумот№): «string» {
  «if» (м.фаъол) {
    «return» \`Салом, \${м.ном} (\${м.синну})\`;
  }
  «return» \`\${м.ном} ғоиб аст\`;
}

«const» одамон№: Маълумот№[] = [
  { ном: "Алӣ", синну: 20 + №, фаъол: «true» },
  { ном: "Вали", синну: 31, фаъол: «false» },
  { ном: "Сино", синну: 42, фаъол: «true» }
];
«const» ҳ№ = «new» Ҳисобкунаки№Калон("модул№", 3);
«for» («let» к = 0; к < 10; к++) {
  ҳ№.гузор(к * № + 1);
}
«const» синнуҳо№ = одамон№«.map»((о) => о.синну);
«const» фаъолон№ = одамон№«.filter»((о) => о.фаъол)«.map»((о) => салом№(о));
«const» ҷамъиСинну№ = синнуҳо№«.reduce»((а, б) => а + б, 0);
«log»(ҳ№.тавсиф(), миёна№(синнуҳо№), ҷамъиСинну№);
«log»(фаъолон№«.join»("; "));
`;

// `count` small modules in both languages.
function generateSmall(count) {
  const som = [];
  const ts = [];
  for (let n = 1; n <= count; n++) {
    som.push(instance(SMALL_TEMPLATE, SOMON, n));
    ts.push(instance(SMALL_TEMPLATE, TYPESCRIPT, n));
  }
  return { som, ts };
}

// ------------------------------------------------------------------ tools --

// The release library cargo built, loaded directly: `npm test` in the same
// tree puts a dev build at the path `index.js` loads, and a benchmark of that
// would be meaningless. Without a release build, `index.js` is used (and the
// report says so).
const releaseLibrary = join(process.env.CARGO_TARGET_DIR ?? join(root, 'target'), 'release', libraryFileName());
function loadAddon() {
  if (addonArg) {
    const m = { exports: {} };
    const path = resolvePath(addonArg);
    process.dlopen(m, path);
    return { somon: m.exports, path, release: true };
  }
  if (existsSync(releaseLibrary)) {
    const m = { exports: {} };
    process.dlopen(m, releaseLibrary);
    return { somon: m.exports, path: releaseLibrary, release: true };
  }
  const path = join(root, `somonscript.${platformSuffix()}.node`);
  return { somon: require(join(root, 'index.js')), path: existsSync(path) ? path : 'index.js', release: false };
}
const addon = loadAddon();
const somon = addon.somon;
const swc = require('@swc/core');
const ts = require('typescript');
const esbuild = require('esbuild');

// The old TypeScript compiler, when SOMON_OLD_COMPILER names its built
// checkout (its `dist/index.js` exports `compile(source, options)`).
function loadOldCompiler() {
  if (!oldCompilerDir) return null;
  const entry = join(resolvePath(oldCompilerDir), 'dist', 'index.js');
  if (!existsSync(entry)) fail(`SOMON_OLD_COMPILER: ${entry} does not exist (run \`HUSKY=0 npm ci && npm run build\` there)`);
  const mod = require(entry);
  if (typeof mod.compile !== 'function') fail(`SOMON_OLD_COMPILER: ${entry} exports no compile function`);
  let version = 'unknown';
  try {
    version = require(join(resolvePath(oldCompilerDir), 'package.json')).version;
  } catch {}
  return { compile: mod.compile, path: resolvePath(oldCompilerDir), version };
}

// Same language level and module kind everywhere: ES2020, CommonJS, no
// source maps, no minification.
const tools = [
  {
    name: 'somon compile',
    lang: 'som',
    run: (src) => {
      const r = somon.compile(src, { fileName: 'bench.som', target: 'es2020', module: 'cjs', minify: false, sourceMap: false });
      return { code: r.code, diagnostics: r.diagnostics };
    },
  },
  {
    // For information: the same call without the type checker, to show its
    // share. Not part of the targets.
    name: 'somon, typeCheck off',
    lang: 'som',
    extra: true,
    run: (src) => {
      const r = somon.compile(src, { fileName: 'bench.som', target: 'es2020', module: 'cjs', minify: false, sourceMap: false, typeCheck: false });
      return { code: r.code, diagnostics: r.diagnostics };
    },
  },
  // For information: the formatter (`somon fmt`, issue 14) on the same
  // program, which should take less time than compiling it. Its output is
  // SomonScript, so it is not part of the equivalence check.
  ...(typeof somon.format === 'function'
    ? [
        {
          name: 'somon format',
          lang: 'som',
          extra: true,
          run: (src) => {
            const r = somon.format(src);
            return { code: r.code, diagnostics: r.diagnostics };
          },
        },
      ]
    : []),
  {
    name: 'swc transformSync',
    lang: 'ts',
    run: (src) => ({
      code: swc.transformSync(src, {
        filename: 'bench.ts',
        swcrc: false,
        configFile: false,
        sourceMaps: false,
        minify: false,
        jsc: { parser: { syntax: 'typescript' }, target: 'es2020' },
        module: { type: 'commonjs' },
      }).code,
    }),
  },
  {
    name: 'esbuild transformSync',
    lang: 'ts',
    run: (src) => ({
      code: esbuild.transformSync(src, { loader: 'ts', format: 'cjs', target: 'es2020', sourcemap: false, minify: false }).code,
    }),
  },
  {
    name: 'tsc transpileModule',
    lang: 'ts',
    run: (src) => ({
      code: ts.transpileModule(src, {
        fileName: 'bench.ts',
        reportDiagnostics: false,
        compilerOptions: {
          target: ts.ScriptTarget.ES2020,
          module: ts.ModuleKind.CommonJS,
          sourceMap: false,
          removeComments: false,
        },
      }).outputText,
    }),
  },
];

function fail(message) {
  console.error(`benchmark: ${message}`);
  process.exit(1);
}

function compileChecked(tool, src) {
  let out;
  try {
    out = tool.run(src);
  } catch (e) {
    fail(`${tool.name} threw: ${e?.message ?? e}`);
  }
  if (out.diagnostics?.length) {
    const shown = out.diagnostics
      .slice(0, 5)
      .map((d) => `  ${d.file}:${d.line}:${d.column}: ${d.severity}[${d.code}]: ${d.message}`)
      .join('\n');
    fail(`the generated SomonScript has ${out.diagnostics.length} diagnostic(s):\n${shown}`);
  }
  if (!out.code || out.code.trim() === '') fail(`${tool.name} produced no output`);
  return out.code;
}

// Runs compiled CommonJS in a fresh context and returns what it printed.
function execute(code) {
  const lines = [];
  const fmt = (v) => (typeof v === 'string' ? v : JSON.stringify(v));
  const sandbox = {
    console: { log: (...a) => lines.push(a.map(fmt).join(' ')) },
    exports: {},
    module: { exports: {} },
    require,
  };
  runInNewContext(code, sandbox, { timeout: 10_000 });
  return lines.join('\n');
}

// TypeScript's full type check of the small TypeScript program.
function typeCheck(file) {
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS,
    types: [],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

function verifyEquivalence() {
  const small = generate(3);
  mkdirSync(workDir, { recursive: true });
  writeFileSync(join(workDir, 'sample.som'), small.som);
  writeFileSync(join(workDir, 'sample.ts'), small.ts);
  const problems = typeCheck(join(workDir, 'sample.ts'));
  if (problems.length) fail(`the generated TypeScript does not type-check:\n  ${problems.slice(0, 5).join('\n  ')}`);
  const printed = tools.filter((t) => !t.extra).map((t) => {
    const code = compileChecked(t, small[t.lang]);
    writeFileSync(join(workDir, `sample.${t.name.split(' ')[0]}.js`), code);
    try {
      return execute(code);
    } catch (e) {
      return fail(`the output of ${t.name} on the small program failed to run: ${e?.message ?? e}`);
    }
  });
  if (!printed[0]) fail('the small program printed nothing');
  const names = tools.filter((t) => !t.extra).map((t) => t.name);
  for (let i = 1; i < printed.length; i++) {
    if (printed[i] !== printed[0]) {
      fail(
        `the small program prints differently under ${names[0]} and ${names[i]}:\n` +
          `--- ${names[0]}\n${printed[0]}\n--- ${names[i]}\n${printed[i]}`,
      );
    }
  }
}

// ---------------------------------------------------------------- measure --

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function main() {
  verifyEquivalence();

  const unitBytes = Buffer.byteLength(expand(SOMON, 1));
  const units = Math.max(1, Math.round((targetMB * 1e6) / unitBytes));
  const src = generate(units);
  writeFileSync(join(workDir, 'bench.som'), src.som);
  writeFileSync(join(workDir, 'bench.ts'), src.ts);
  const bytes = { som: Buffer.byteLength(src.som), ts: Buffer.byteLength(src.ts) };
  const lines = src.som.split('\n').length;
  // Before anything is timed (it may build the counting example).
  const memory = withMemory ? measureMemory(join(workDir, 'bench.som')) : null;

  // Check the big inputs once; this also counts as the first warm-up.
  for (const t of tools) {
    const code = compileChecked(t, src[t.lang]);
    t.outBytes = Buffer.byteLength(code);
  }

  const times = tools.map(() => []);
  const rounds = warmup - 1 + runs;
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < tools.length; k++) {
      const i = (r + k) % tools.length; // rotate who goes first
      gc();
      const t0 = performance.now();
      const out = tools[i].run(src[tools[i].lang]);
      const ms = performance.now() - t0;
      if (!out.code) fail(`${tools[i].name} produced no output in round ${r + 1}`);
      if (r >= warmup - 1) times[i].push(ms);
    }
  }

  const results = tools.map((t, i) => {
    const med = median(times[i]);
    return {
      tool: t.name,
      input: t.lang === 'som' ? 'SomonScript' : 'TypeScript',
      inputBytes: bytes[t.lang],
      outputBytes: t.outBytes,
      medianMs: med,
      minMs: Math.min(...times[i]),
      maxMs: Math.max(...times[i]),
      mbPerS: bytes[t.lang] / 1e6 / (med / 1000),
      timesMs: times[i],
    };
  });
  const byName = (n) => results.find((r) => r.tool === n);
  const ours = byName('somon compile');
  const swcR = byName('swc transformSync');
  const tscR = byName('tsc transpileModule');
  const esbuildR = byName('esbuild transformSync');
  const ratios = {
    oursOverSwc: ours.medianMs / swcR.medianMs,
    oursOverEsbuild: ours.medianMs / esbuildR.medianMs,
    oursOverTsc: ours.medianMs / tscR.medianMs,
  };
  const small = smallCount > 0 ? measureSmall(smallCount) : null;
  const files = filesCount > 0 ? measureFiles(filesCount) : null;
  const env = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
    loadavg: loadavg().map((x) => x.toFixed(2)).join(' '),
    swc: swc.version,
    typescript: ts.version,
    addon: addon.path,
    addonIsRelease: addon.release,
    addonBytes: statSync(addon.path, { throwIfNoEntry: false })?.size ?? null,
    units,
    lines,
    runs,
    warmup,
  };

  if (asJson) {
    console.log(JSON.stringify({ env, results, ratios, small, files, memory }, null, 2));
    return;
  }

  const f1 = (x) => x.toFixed(1);
  const mb = (b) => `${(b / 1e6).toFixed(2)} MB`;
  console.log(`SomonScript compile benchmark — ${env.date}`);
  console.log(`node ${env.node}, ${env.cpu}, load ${env.loadavg}; @swc/core ${env.swc}, typescript ${env.typescript}`);
  console.log(`addon: ${env.addon}${addon.release ? '' : '  (no release build found: run `npm run bench`)'}`);
  console.log(
    `input: ${units} template units, ${lines} lines; SomonScript ${mb(bytes.som)}, TypeScript ${mb(bytes.ts)} ` +
      `(MB = 10^6 bytes of UTF-8); ${warmup} warm-up + ${runs} timed runs each, interleaved\n`,
  );
  const rows = [
    ['tool', 'input', 'median ms', 'min ms', 'max ms', 'MB/s', 'ours ÷ this'],
    ...results.map((r) => [
      r.tool,
      `${r.input} ${mb(r.inputBytes)}`,
      f1(r.medianMs),
      f1(r.minMs),
      f1(r.maxMs),
      f1(r.mbPerS),
      `${(ours.medianMs / r.medianMs).toFixed(2)}×`,
    ]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  for (const [n, row] of rows.entries()) {
    console.log(row.map((cell, c) => (c >= 2 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  '));
    if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  console.log('');
  const met = (ok) => (ok ? 'met' : 'MISSED');
  console.log(
    `targets: ours ≤ 0.8 × swc's time: ${ratios.oursOverSwc.toFixed(2)}× (${met(ratios.oursOverSwc <= 0.8)}); ` +
      `below esbuild's: ${ratios.oursOverEsbuild.toFixed(2)}× (${met(ratios.oursOverEsbuild < 1)}); ` +
      `ours ≥ 30 MB/s of SomonScript: ${f1(ours.mbPerS)} MB/s (${met(ours.mbPerS >= 30)})`,
  );
  console.log(`ours ÷ tsc: ${ratios.oursOverTsc.toFixed(2)}× (below 1 means ours is faster)`);
  const formatted = byName('somon format');
  if (formatted) {
    console.log(
      `somon format ÷ somon compile: ${(formatted.medianMs / ours.medianMs).toFixed(2)}× ` +
        '(below 1 means formatting the program takes less time than compiling it)',
    );
  }
  if (memory) {
    console.log('');
    if (memory.skipped) console.log(`peak memory: skipped (${memory.skipped})`);
    else {
      const ratio = memory.peakBytes / memory.inputBytes;
      console.log(
        `peak memory of compiling the ${mb(memory.inputBytes)} program (the compiler's own allocations, counted): ` +
          `${mb(memory.peakBytes)} = ${ratio.toFixed(2)}× the input (target ≤ 4×: ${met(ratio <= 4)}); ` +
          `${memory.allocations.toLocaleString('en-US')} allocations, ${mb(memory.allocatedBytes)} allocated in all`,
      );
    }
  }
  if (small) printSmall(small, f1, met);
  if (files) {
    console.log('');
    console.log(
      `compileFiles of ${files.files} small modules (${files.cores} cores; ${files.oneThread.timesMs.length} runs each, two child processes each): ` +
        `1 thread ${f1(files.oneThread.medianMs)} ms, all threads ${f1(files.allThreads.medianMs)} ms = ` +
        `${files.ratio.toFixed(2)}× the one-thread time (target ≤ 0.65× on 2 cores: ${met(files.ratio <= 0.65)})`,
    );
  }
}

function printSmall(small, f1, met) {
  console.log('');
  const oldNote = small.old ? `old compiler ${small.old.version} from ${small.old.path}` : 'old compiler left out (set SOMON_OLD_COMPILER to its built checkout)';
  console.log(`small files: ${small.count} modules, one call each, one thread, type checking on (ours, old); ${oldNote}`);
  const ours = small.results[0];
  const rows = [
    ['tool', 'input', 'median ms', 'min ms', 'max ms', 'µs/file', 'ours ÷ this'],
    ...small.results.map((r) => [
      r.tool,
      `${r.input} ${(r.inputBytes / 1e6).toFixed(2)} MB`,
      f1(r.medianMs),
      f1(r.minMs),
      f1(r.maxMs),
      f1(r.perFileUs),
      `${(ours.medianMs / r.medianMs).toFixed(2)}×`,
    ]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  for (const [n, row] of rows.entries()) {
    console.log(row.map((cell, c) => (c >= 2 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  '));
    if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  const old = small.results.find((r) => r.tool === 'old compiler compile');
  if (old) {
    const x = old.medianMs / ours.medianMs;
    console.log(`target: ours ≥ 2× faster than the old compiler on small files: ${x.toFixed(2)}× (${met(x >= 2)})`);
  }
}

// ------------------------------------------------------------ small files --

// Each tool compiles every small module with its own call, one after the
// other on the calling thread; a round is one pass over all of them.
function smallTools(old) {
  const list = [
    {
      name: 'somon compile',
      lang: 'som',
      run: (src) => {
        const r = somon.compile(src, { fileName: 'module.som', target: 'es2020', module: 'cjs', minify: false, sourceMap: false });
        return { code: r.code, problems: r.diagnostics.map((d) => `${d.line}:${d.column}: ${d.message}`) };
      },
    },
  ];
  if (old) {
    list.push({
      name: 'old compiler compile',
      lang: 'som',
      // The old compiler's defaults with its type check on: ES2020 is
      // emitted directly (no TypeScript pass), no source map, no minify.
      run: (src) => {
        const r = old.compile(src, { typeCheck: true, target: 'es2020', sourceMap: false, minify: false });
        // Its parse errors come back as warnings: count both.
        return { code: r.code, problems: [...r.errors, ...r.warnings] };
      },
    });
  }
  list.push(
    {
      name: 'swc transformSync',
      lang: 'ts',
      run: (src) => ({
        code: swc.transformSync(src, {
          filename: 'module.ts',
          swcrc: false,
          configFile: false,
          sourceMaps: false,
          minify: false,
          jsc: { parser: { syntax: 'typescript' }, target: 'es2020' },
          module: { type: 'commonjs' },
        }).code,
        problems: [],
      }),
    },
    {
      name: 'esbuild transformSync',
      lang: 'ts',
      run: (src) => ({
        code: esbuild.transformSync(src, { loader: 'ts', format: 'cjs', target: 'es2020', sourcemap: false, minify: false }).code,
        problems: [],
      }),
    },
  );
  return list;
}

// Checks the small-files case before timing it: every tool compiles every
// module without a problem, two modules print the same lines under every
// tool, and the old compiler's type check is really on (it reports a
// planted type error, as ours does).
function verifySmall(list, inputs, old) {
  for (const t of list) {
    for (const [i, src] of inputs[t.lang].entries()) {
      let out;
      try {
        out = t.run(src);
      } catch (e) {
        fail(`${t.name} threw on small module ${i + 1}: ${e?.message ?? e}`);
      }
      if (out.problems.length) fail(`${t.name} reports on small module ${i + 1}:\n  ${out.problems.slice(0, 5).join('\n  ')}`);
      if (!out.code || out.code.trim() === '') fail(`${t.name} produced no output for small module ${i + 1}`);
    }
  }
  for (const i of [0, inputs.som.length - 1]) {
    const printed = list.map((t) => execute(t.run(inputs[t.lang][i]).code));
    for (let k = 1; k < list.length; k++) {
      if (printed[k] !== printed[0]) {
        fail(`small module ${i + 1} prints differently under ${list[0].name} and ${list[k].name}:\n--- ${printed[0]}\n--- ${printed[k]}`);
      }
    }
  }
  if (old) {
    const planted = `${SOMON.let} х: ${SOMON.number} = "матн";\n${SOMON.log}(х);\n`;
    const ours = list[0].run(planted);
    const theirs = old.compile(planted, { typeCheck: true, target: 'es2020' });
    if (!ours.problems.length || !theirs.errors.length) fail('a planted type error was not reported by both compilers: is type checking on?');
  }
}

function measureSmall(count) {
  const old = loadOldCompiler();
  const list = smallTools(old);
  const inputs = generateSmall(count);
  verifySmall(list, inputs, old);
  const bytes = { som: inputs.som.reduce((a, x) => a + Buffer.byteLength(x), 0), ts: inputs.ts.reduce((a, x) => a + Buffer.byteLength(x), 0) };
  const times = list.map(() => []);
  for (let r = 0; r < warmup - 1 + runs; r++) {
    for (let k = 0; k < list.length; k++) {
      const i = (r + k) % list.length;
      gc();
      const t0 = performance.now();
      for (const src of inputs[list[i].lang]) list[i].run(src);
      const ms = performance.now() - t0;
      if (r >= warmup - 1) times[i].push(ms);
    }
  }
  const results = list.map((t, i) => ({
    tool: t.name,
    input: t.lang === 'som' ? 'SomonScript' : 'TypeScript',
    inputBytes: bytes[t.lang],
    medianMs: median(times[i]),
    minMs: Math.min(...times[i]),
    maxMs: Math.max(...times[i]),
    perFileUs: (1000 * median(times[i])) / count,
    timesMs: times[i],
  }));
  return { count, old: old && { path: old.path, version: old.version }, results };
}

// -------------------------------------------------------------- compileFiles --

// Runs in a child process (RAYON_NUM_THREADS set by the parent): times
// `compileFiles` over the folder, after one checked call.
async function filesChildMain(dir) {
  const options = { target: 'es2020', module: 'cjs', sourceMap: false };
  const first = await somon.compileFiles([dir], options);
  const bad = first.find((f) => f.diagnostics.length || !f.code);
  if (bad) fail(`compileFiles: ${bad.file}: ${bad.diagnostics.map((d) => d.message).join('; ') || 'no output'}`);
  const times = [];
  for (let r = 0; r < warmup - 1 + runs; r++) {
    gc();
    const t0 = performance.now();
    const out = await somon.compileFiles([dir], options);
    const ms = performance.now() - t0;
    if (out.length !== first.length) fail('compileFiles returned a different number of files');
    if (r >= warmup - 1) times.push(ms);
  }
  console.log(JSON.stringify({ files: first.length, timesMs: times }));
}

function measureFiles(count) {
  const dir = join(workDir, 'files');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const { som } = generateSmall(count);
  writeSmallModules(dir, som);
  const child = (threads) => {
    const env = { ...process.env };
    if (threads) env.RAYON_NUM_THREADS = String(threads);
    else delete env.RAYON_NUM_THREADS;
    const argv = [fileURLToPath(import.meta.url), '--files-child', dir, '--runs', String(runs), '--warmup', String(warmup)];
    if (addonArg) argv.push('--addon', addonArg);
    const r = spawnSync(process.execPath, argv, { env, encoding: 'utf8', maxBuffer: 16 << 20 });
    if (r.status !== 0) fail(`compileFiles child (${threads || 'all'} threads) failed:\n${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  // Alternate the two, twice, so a burst of load hits both.
  const one = [];
  const all = [];
  for (let k = 0; k < 2; k++) {
    one.push(...child(1).timesMs);
    all.push(...child(0).timesMs);
  }
  return {
    files: count,
    cores: cpus().length,
    oneThread: { medianMs: median(one), timesMs: one },
    allThreads: { medianMs: median(all), timesMs: all },
    ratio: median(all) / median(one),
  };
}

function writeSmallModules(dir, som) {
  mkdirSync(dir, { recursive: true });
  som.forEach((text, i) => writeFileSync(join(dir, `m${i + 1}.som`), text));
}

// ----------------------------------------------------------------- memory --

// The compiler's own peak allocations for the large program, counted by
// crates/somon_compiler/examples/peak_memory.rs (dev build: allocation
// sizes do not depend on optimisation).
function measureMemory(file) {
  const build = spawnSync('cargo', ['build', '--quiet', '-p', 'somon_compiler', '--example', 'peak_memory'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (build.error || build.status !== 0) {
    return { skipped: `could not build the peak_memory example: ${build.error?.message ?? build.stderr.trim().split('\n').pop()}` };
  }
  const exe = join(process.env.CARGO_TARGET_DIR ?? join(root, 'target'), 'debug', 'examples', 'peak_memory');
  const r = spawnSync(exe, [file], { encoding: 'utf8' });
  if (r.status !== 0) return { skipped: `peak_memory failed: ${r.stderr.trim()}` };
  return JSON.parse(r.stdout);
}

// One compile split into the compiler's stages (medians over the runs).
function stagesMain() {
  const unitBytes = Buffer.byteLength(expand(SOMON, 1));
  const units = Math.max(1, Math.round((targetMB * 1e6) / unitBytes));
  const src = generate(units).som;
  const options = {
    fileName: 'bench.som', target: 'es2020', module: 'cjs', minify: false,
    sourceMap: stagesSourceMap, timings: true,
  };
  const perStage = new Map();
  const walls = [];
  for (let r = 0; r < warmup + runs; r++) {
    gc();
    const t0 = performance.now();
    const out = somon.compile(src, options);
    const wall = performance.now() - t0;
    if (!out.code) fail(`no output (${out.diagnostics.length} diagnostics)`);
    if (!out.timings) fail('the addon returned no timings: build it from this tree');
    if (r < warmup) continue;
    walls.push(wall);
    const seen = new Map();
    for (const { stage, ms } of out.timings) seen.set(stage, (seen.get(stage) ?? 0) + ms);
    // A stage that ran beside the others (the type check of a large
    // module) is not part of the call's sequence.
    const inside = [...seen]
      .filter(([stage]) => !stage.endsWith('(concurrent)'))
      .reduce((a, [, ms]) => a + ms, 0);
    seen.set('N-API boundary (wall − stages)', wall - inside);
    for (const [stage, ms] of seen) {
      if (!perStage.has(stage)) perStage.set(stage, []);
      perStage.get(stage).push(ms);
    }
  }
  const wall = median(walls);
  const rows = [...perStage].map(([stage, xs]) => ({ stage, medianMs: median(xs) }));
  const env = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
    loadavg: loadavg().map((x) => x.toFixed(2)).join(' '),
    addon: addon.path,
    bytes: Buffer.byteLength(src),
    sourceMap: stagesSourceMap,
    runs,
    warmup,
  };
  if (asJson) {
    console.log(JSON.stringify({ env, wallMedianMs: wall, stages: rows }, null, 2));
    return;
  }
  console.log(`SomonScript compile stages — ${env.date}`);
  console.log(`node ${env.node}, ${env.cpu}, load ${env.loadavg}; addon ${env.addon}`);
  console.log(
    `input ${(env.bytes / 1e6).toFixed(2)} MB, es2020 + cjs, source map ${stagesSourceMap ? 'on' : 'off'}; ` +
      `${warmup} warm-up + ${runs} runs, medians (a stage's median; they need not add up to the wall median)\n`,
  );
  const w = Math.max(...rows.map((r) => r.stage.length));
  for (const r of rows) {
    const share = ((100 * r.medianMs) / wall).toFixed(1).padStart(5);
    console.log(`${r.stage.padEnd(w)}  ${r.medianMs.toFixed(2).padStart(9)} ms  ${share} %`);
  }
  console.log(`${'wall (compile() call)'.padEnd(w)}  ${wall.toFixed(2).padStart(9)} ms`);
}

// The program alone (scripts/perf-gate.mjs compiles it under valgrind).
function writeInputMain(file) {
  const unitBytes = Buffer.byteLength(expand(SOMON, 1));
  const units = Math.max(1, Math.round((targetMB * 1e6) / unitBytes));
  writeFileSync(file, generate(units).som);
}

if (writeInput) writeInputMain(writeInput);
else if (writeSmall) writeSmallModules(writeSmall, generateSmall(smallCount).som);
else if (filesChild) await filesChildMain(filesChild);
else if (stagesMode) stagesMain();
else main();
