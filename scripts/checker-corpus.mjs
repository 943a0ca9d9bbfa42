// The checker corpus (tests/checker) and its TypeScript twins: listing the
// cases, translating them with som2ts into a folder, type-checking all twins
// with one TypeScript Program, and running a twin under Node.
// Used by __test__/checker-twins.test.mjs and scripts/make-checker-expected.mjs.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { somToTs } from './som2ts.mjs';
import { relTo, runNode, walk } from './corpus-io.mjs';

const require = createRequire(import.meta.url);
export const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
export const checkerCorpus = path.join(root, 'tests', 'checker');

/**
 * Every case of the corpus: { id, kind, dir, files (relative .som paths), main }.
 * kind: 'run' | 'valid' | 'error' | 'module' | 'project-error'.
 */
export function listCases(corpus = checkerCorpus) {
  const cases = [];
  for (const f of walk(path.join(corpus, 'run'), (p) => p.endsWith('.som'))) {
    cases.push({ id: relTo(corpus, f), kind: 'run', dir: path.dirname(f), files: [path.basename(f)], main: path.basename(f) });
  }
  for (const f of walk(path.join(corpus, 'errors'), (p) => p.endsWith('.som'))) {
    const id = relTo(corpus, f);
    if (id.startsWith('errors/projects/')) continue;
    const kind = id.startsWith('errors/valid/') ? 'valid' : 'error';
    cases.push({ id, kind, dir: path.dirname(f), files: [path.basename(f)], main: path.basename(f) });
  }
  for (const [sub, kind] of [['modules', 'module'], ['errors/projects', 'project-error']]) {
    const base = path.join(corpus, sub);
    if (!fs.existsSync(base)) continue;
    for (const entry of fs.readdirSync(base).sort()) {
      const dir = path.join(base, entry);
      if (!fs.existsSync(path.join(dir, 'main.som'))) continue;
      const files = walk(dir, (p) => p.endsWith('.som')).map((p) => relTo(dir, p));
      cases.push({ id: `${sub}/${entry}`, kind, dir, files, main: 'main.som' });
    }
  }
  return cases;
}

/**
 * Expected error lines of an error case, as a set of "file:line" (file
 * relative to the case folder).
 */
export function expectedErrorLines(c) {
  const out = new Set();
  if (c.kind === 'error') {
    for (const l of fs.readFileSync(path.join(c.dir, c.main.replace(/\.som$/, '.expect')), 'utf8').split('\n')) {
      const m = l.trim().match(/^[A-Z_]+ (\d+):/);
      if (m) out.add(`${c.main}:${m[1]}`);
    }
  } else if (c.kind === 'project-error') {
    for (const l of fs.readFileSync(path.join(c.dir, 'expect'), 'utf8').split('\n')) {
      const m = l.trim().match(/^(\S+) [A-Z_]+ (\d+):/);
      if (m) out.add(`${m[1]}:${m[2]}`);
    }
  }
  return out;
}

/**
 * A deliberate difference from TypeScript, declared in the first line of a
 * case's file: `// tsc: +3,5 reason` (tsc also reports lines 3 and 5) or
 * `// tsc: -4 reason` (tsc does not report line 4). Returns { extra, missing,
 * reason } as sets of "file:line".
 */
export function tscNote(c) {
  const extra = new Set();
  const missing = new Set();
  const reasons = [];
  for (const f of c.files) {
    const first = fs.readFileSync(path.join(c.dir, f), 'utf8').split('\n')[0];
    const m = first.match(/^\/\/ tsc: ([+-])([\d,]+) (.+)$/);
    if (!m) continue;
    for (const n of m[2].split(',')) (m[1] === '+' ? extra : missing).add(`${f}:${n}`);
    reasons.push(m[3]);
  }
  return { extra, missing, reasons };
}

/** Copies a project's data files (JSON and the like) next to its twins. */
function copyData(c, toDir) {
  if (c.kind !== 'module' && c.kind !== 'project-error') return;
  for (const p of walk(c.dir, (f) => !/\.(som|stdout)$/.test(f) && !['expect', 'expected.stdout'].includes(path.basename(f)))) {
    const target = path.join(toDir, relTo(c.dir, p));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(p, target);
  }
}

/** Writes every case's twin (.ts) under outDir/<case id>/; returns the twin folder of each case id. */
export function writeTwins(cases, outDir) {
  const dirs = new Map();
  for (const c of cases) {
    const twinDir = path.join(outDir, c.id.replace(/\.som$/, ''));
    for (const f of c.files) {
      const target = path.join(twinDir, f.replace(/\.som$/, '.ts'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, somToTs(fs.readFileSync(path.join(c.dir, f), 'utf8')));
    }
    copyData(c, twinDir);
    dirs.set(c.id, twinDir);
  }
  return dirs;
}

export const TSC_OPTIONS = {
  strict: true,
  noEmit: true,
  target: 'es2022',
  lib: ['es2022'],
  types: ['node'],
  module: 'commonjs',
  moduleResolution: 'node10',
  moduleDetection: 'force',
  esModuleInterop: true,
  skipLibCheck: true,
  resolveJsonModule: true,
};

/**
 * Type-checks all twins with one Program (each file is its own module).
 * Returns Map<case id, [{file, line, code, message}]>.
 */
export function typecheckTwins(cases, twinDirs) {
  const ts = require('typescript');
  const { options, errors } = ts.convertCompilerOptionsFromJson(TSC_OPTIONS, root);
  if (errors.length) throw new Error(ts.flattenDiagnosticMessageText(errors[0].messageText, '\n'));
  options.typeRoots = [path.join(root, 'node_modules', '@types')];
  const owner = new Map();
  const rootNames = [];
  for (const c of cases) {
    const dir = twinDirs.get(c.id);
    for (const f of c.files) {
      const file = path.join(dir, f.replace(/\.som$/, '.ts'));
      rootNames.push(file);
      owner.set(path.resolve(file), { id: c.id, file: f });
    }
  }
  const program = ts.createProgram({ rootNames, options });
  const result = new Map(cases.map((c) => [c.id, []]));
  const global = [];
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const o = d.file && owner.get(path.resolve(d.file.fileName));
    if (!o) {
      global.push(`TS${d.code}: ${message}`);
      continue;
    }
    const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    result.get(o.id).push({ file: o.file, line: line + 1, code: d.code, message });
  }
  if (global.length) throw new Error(`tsc reported errors outside the corpus:\n${global.join('\n')}`);
  return result;
}

/**
 * Transpiles a case's twins to CommonJS (es2020) into jsDir and runs the main
 * module with Node from jsDir. Resolves to { code, stdout, stderr }.
 */
export async function runTwin(c, twinDir, jsDir) {
  const ts = require('typescript');
  copyData(c, jsDir);
  for (const f of c.files) {
    const tsText = fs.readFileSync(path.join(twinDir, f.replace(/\.som$/, '.ts')), 'utf8');
    const out = ts.transpileModule(tsText, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true },
      fileName: f.replace(/\.som$/, '.ts'),
    });
    const target = path.join(jsDir, f.replace(/\.som$/, '.js'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, out.outputText);
  }
  const r = await runNode(path.join(jsDir, c.main.replace(/\.som$/, '.js')), jsDir);
  return { code: r.code ?? r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Where the expected stdout of a runnable case lives. */
export function stdoutFile(c) {
  return c.kind === 'module' ? path.join(c.dir, 'expected.stdout') : path.join(c.dir, c.main.replace(/\.som$/, '.stdout'));
}

/** Compares a case's tsc errors with its expectation; returns a failure text or null. */
export function compareTwin(c, diags) {
  const note = tscNote(c);
  const got = new Set(diags.map((d) => `${d.file}:${d.line}`));
  const want = c.kind === 'error' || c.kind === 'project-error' ? expectedErrorLines(c) : new Set();
  for (const x of note.extra) want.add(x);
  for (const x of note.missing) want.delete(x);
  const missing = [...want].filter((x) => !got.has(x));
  const extra = [...got].filter((x) => !want.has(x));
  if (!missing.length && !extra.length) return null;
  const detail = diags.map((d) => `  ${d.file}:${d.line} TS${d.code} ${d.message.split('\n')[0]}`).join('\n');
  return `${c.id}: tsc lines differ: missing [${missing.join(', ')}] unexpected [${extra.join(', ')}]\n${detail}`;
}
