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
//   node benchmark/compile.mjs [--mb 3] [--runs 7] [--warmup 2] [--json]
//
// `npm run bench` builds the release addon first; this script loads
// target/release's library directly (see `loadAddon`).
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
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
const targetMB = option('mb', 3);
const runs = Math.round(option('runs', 7));
const warmup = Math.round(option('warmup', 2));
const asJson = process.argv.includes('--json');

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

function expand(table, units) {
  const one = (n) =>
    TEMPLATE.replace(/«([^»]+)»/g, (_, k) => {
      const v = Object.hasOwn(table, k) ? table[k] : undefined;
      if (v === undefined) throw new Error(`template marker «${k}» has no translation`);
      return v;
    }).replaceAll('№', String(n));
  const parts = [];
  for (let n = 1; n <= units; n++) parts.push(one(n));
  return parts.join('\n');
}

function generate(units) {
  return { som: expand(SOMON, units), ts: expand(TYPESCRIPT, units) };
}

// ------------------------------------------------------------------ tools --

// The release library cargo built, loaded directly: `npm test` in the same
// tree puts a dev build at the path `index.js` loads, and a benchmark of that
// would be meaningless. Without a release build, `index.js` is used (and the
// report says so).
const releaseLibrary = join(process.env.CARGO_TARGET_DIR ?? join(root, 'target'), 'release', libraryFileName());
function loadAddon() {
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
  const ratios = { oursOverSwc: ours.medianMs / swcR.medianMs, oursOverTsc: ours.medianMs / tscR.medianMs };
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
    console.log(JSON.stringify({ env, results, ratios }, null, 2));
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
  console.log(
    `targets: ours ≥ 30 MB/s of SomonScript: ${f1(ours.mbPerS)} MB/s (${ours.mbPerS >= 30 ? 'met' : 'MISSED'}); ` +
      `ours ≤ 1.5 × swc's time: ${ratios.oursOverSwc.toFixed(2)}× (${ratios.oursOverSwc <= 1.5 ? 'met' : 'MISSED'})`,
  );
  console.log(`ours ÷ tsc: ${ratios.oursOverTsc.toFixed(2)}× (below 1 means ours is faster)`);
  const formatted = byName('somon format');
  if (formatted) {
    console.log(
      `somon format ÷ somon compile: ${(formatted.medianMs / ours.medianMs).toFixed(2)}× ` +
        '(below 1 means formatting the program takes less time than compiling it)',
    );
  }
}

main();
