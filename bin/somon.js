#!/usr/bin/env node
'use strict';
// The `somon` command: a thin wrapper over the native addon. Argument
// parsing, compiling and reporting happen in Rust (`__internalRunCliAsync`, internal to this wrapper); this file
// only gathers the environment and, for `somon run`, executes the compiled
// program in this Node process. It sets `process.exitCode`, never calls
// `process.exit()`, so output is always flushed.

const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const Module = require('node:module');
const { pathToFileURL } = require('node:url');
const binding = require('../index.js');

function pickLang(argv) {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') break;
    if (argv[i] === '--lang' && argv[i + 1]) return argv[i + 1];
    if (argv[i].startsWith('--lang=')) return argv[i].slice('--lang='.length);
  }
  const env = process.env;
  for (const v of [env.SOMON_LANG, env.LC_ALL, env.LC_MESSAGES, env.LANG]) {
    if (v && v.trim()) {
      const l = v.trim().toLowerCase();
      if (l.startsWith('tg') || l.startsWith('tj')) return 'tj';
      if (l.startsWith('ru')) return 'ru';
      return 'en';
    }
  }
  return undefined;
}

function useColor(argv) {
  const env = process.env;
  if ('NO_COLOR' in env && env.NO_COLOR !== '') return false;
  if ('FORCE_COLOR' in env) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  // Colour is a development convenience: off in production unless forced.
  const production = (env.NODE_ENV === 'production' || argv.includes('--production')) && !argv.includes('--no-production');
  if (production) return false;
  return Boolean(process.stderr.isTTY);
}

/**
 * The name stack traces give the compiled program's own code (bundle
 * runtime, helpers): frames the source map maps show the `.som` file and
 * line, every other frame this name, never the `.som` file with a line of
 * the JavaScript.
 */
function scriptName(filename) {
  return `somon-run:${path.basename(filename).replace(/\.som$/i, '')}.js`;
}

/** Runs compiled CommonJS as the module `filename`, with source maps on. */
function runCommonJs(filename, code) {
  const m = new Module(filename, null);
  m.filename = filename;
  m.paths = Module._nodeModulePaths(path.dirname(filename));
  require.main = m;
  process.mainModule = m;
  m._compile(`${code}\n//# sourceURL=${scriptName(filename)}\n`, filename);
}

/**
 * Runs an ES module as the entry's own URL: a module loader hook answers
 * that URL with the compiled code, so `import.meta.url`, relative imports
 * and packages resolve from the program's folder, and source maps resolve
 * against it. Node versions without `module.register` import a copy from
 * a private temporary folder instead.
 */
async function runEsm(filename, code) {
  code = `${code}\n//# sourceURL=${scriptName(filename)}\n`;
  const url = pathToFileURL(filename).href;
  if (typeof Module.register === 'function') {
    Module.register(pathToFileURL(path.join(__dirname, 'run-hooks.mjs')).href, {
      data: { url, code },
    });
    await import(url);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'somon-run-'));
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  process.once('exit', cleanup);
  const file = path.join(dir, path.basename(filename).replace(/\.som$/, '') + '.mjs');
  fs.writeFileSync(file, code);
  try {
    await import(pathToFileURL(file).href);
  } finally {
    cleanup();
  }
}

// Exit codes for a forced exit after a signal (128 + the signal number).
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 };

/**
 * While a command runs, SIGINT and SIGTERM go to the service it started
 * (`watch`, `serve`, `bundle --watch`): the first begins a graceful
 * shutdown, a second forces the exit. Without a service a signal does what
 * it does by default. Returns a function that removes the handlers.
 */
function forwardSignals() {
  const handlers = new Map();
  const remove = () => {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
    handlers.clear();
  };
  for (const signal of Object.keys(SIGNAL_EXIT_CODES)) {
    const handler = () => {
      const answer = binding.__internalRequestShutdown(signal);
      if (answer.state === 'idle') {
        // No service to drain (a one-shot command, or a service not yet
        // started): stop now. Exiting, rather than re-raising the signal,
        // also works as PID 1 in a container, where the default action of
        // SIGTERM is to be ignored.
        remove();
        process.exit(SIGNAL_EXIT_CODES[signal]);
      } else if (answer.state === 'forced') {
        process.stderr.write(`somon: ${signal} again: exiting without waiting for the shutdown to finish\n`);
        process.exit(SIGNAL_EXIT_CODES[signal]);
      }
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  return remove;
}

async function main() {
  const args = process.argv.slice(2);
  const removeSignalHandlers = forwardSignals();
  let outcome;
  try {
    // Off the main thread, so signal handlers run while a service works.
    outcome = await binding.__internalRunCliAsync(args, {
      cwd: process.cwd(),
      color: useColor(args),
      lang: pickLang(args),
      nodeVersion: process.version,
    });
  } finally {
    removeSignalHandlers();
  }
  process.exitCode = outcome.exitCode;
  if (outcome.forceExit) {
    // A shutdown missed its deadline; its threads must not hold the process.
    process.exit(outcome.exitCode);
  }
  const run = outcome.run;
  if (!run) return;
  process.setSourceMapsEnabled(true);
  process.argv = [process.argv[0], run.filename, ...run.args];
  // A macrotask outside the promise chain: the program's uncaught errors
  // behave exactly as in a plain `node` run.
  setImmediate(() => {
    if (run.esm) {
      runEsm(run.filename, run.code).catch((err) => {
        console.error(err);
        process.exitCode = 1;
      });
    } else {
      runCommonJs(run.filename, run.code);
    }
  });
}

// Exit code of a compiler crash (EX_SOFTWARE): the addon has already
// printed the "compiler bug" page, in the user's language.
const INTERNAL_ERROR_EXIT_CODE = 70;

main().catch((err) => {
  if (err && typeof err.message === 'string' && err.message.startsWith('internal compiler error')) {
    process.exitCode = INTERNAL_ERROR_EXIT_CODE;
    return;
  }
  console.error(err);
  process.exitCode = 1;
});
