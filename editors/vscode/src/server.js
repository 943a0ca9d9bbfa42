'use strict';
// Where the language server comes from and how it is started. No `vscode`
// import: everything the editor knows comes in as arguments, so this file is
// unit-tested under plain Node (__test__/vscode-extension.test.mjs).
//
// Order (issue 13): the workspace's own `node_modules/somonscript` first (the
// compiler the project builds with is the one that checks it), then the
// `somon.server.path` setting, then the copy bundled with the extension.
// `bin/somon.js` is a Node script; VS Code's own executable is Electron, not
// Node, so it is run with the `node` found on PATH; without one, with
// VS Code's executable in Node mode (ELECTRON_RUN_AS_NODE=1: the addon is
// Node-API, which Electron loads too).

const path = require('node:path');
const fs = require('node:fs');

const SCRIPT = path.join('bin', 'somon.js');
const LANGUAGES = ['en', 'tj', 'ru'];

/** `fs` calls this module makes, replaceable in tests. */
const realFs = {
  isFile(p) {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  },
  isDirectory(p) {
    try {
      return fs.statSync(p).isDirectory();
    } catch {
      return false;
    }
  },
};

/** Folders from `dir` up to the root of its file system. */
function ancestors(dir, pathApi = path) {
  const out = [];
  let current = pathApi.resolve(dir);
  for (;;) {
    out.push(current);
    const parent = pathApi.dirname(current);
    if (parent === current) return out;
    current = parent;
  }
}

/**
 * The `node` executable on `PATH` (with PATHEXT on Windows), or undefined.
 */
function findNode({ env = process.env, platform = process.platform, fsApi = realFs } = {}) {
  const pathApi = platform === 'win32' ? path.win32 : path.posix;
  const pathVar = env.PATH ?? env.Path ?? '';
  const names =
    platform === 'win32'
      ? (env.PATHEXT || '.EXE;.CMD;.BAT').split(';').filter(Boolean).map((ext) => `node${ext.toLowerCase()}`)
      : ['node'];
  for (const dir of pathVar.split(pathApi.delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = pathApi.join(dir, name);
      if (fsApi.isFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * How to run a server found at `target` (`bin/somon.js`, a package folder
 * or an executable): `{ command, args, env, shell }`, or undefined when
 * `target` is none of these.
 */
function launchFor(target, { node, execPath, fsApi = realFs, pathApi = path }) {
  let script;
  if (fsApi.isDirectory(target)) {
    const inside = pathApi.join(target, SCRIPT);
    if (!fsApi.isFile(inside)) return undefined;
    script = inside;
  } else if (!fsApi.isFile(target)) {
    return undefined;
  } else if (/\.[cm]?js$/i.test(target)) {
    script = target;
  } else {
    // Windows runs `.cmd`/`.bat` wrappers (npm's `somon.cmd`) only through a
    // shell, which reads the command line as text: the path is quoted.
    const shell = /\.(cmd|bat)$/i.test(target);
    return { command: shell ? `"${target}"` : target, args: ['lsp'], env: {}, shell };
  }
  if (node) return { command: node, args: [script, 'lsp'], env: {}, shell: false };
  return { command: execPath, args: [script, 'lsp'], env: { ELECTRON_RUN_AS_NODE: '1' }, shell: false };
}

/**
 * Every server found, in the order to try them: the workspace's
 * `node_modules/somonscript` (in each open folder or a parent of it), the
 * `somon.server.path` setting, the bundled copy. The client starts the
 * first and falls back to the next when one does not start (an older
 * `somonscript` without `somon lsp`, a broken install).
 *
 * @param {object} o
 * @param {string[]} o.workspaceFolders  file-system paths of the open folders
 * @param {string} [o.configuredPath]    the `somon.server.path` setting
 * @param {string} o.extensionPath       the extension's own folder (bundled copy in `server/`)
 * @param {string} [o.node]              the `node` to run scripts with (default: found on PATH)
 * @param {string} [o.execPath]          VS Code's executable (the fallback Node)
 * @returns {{ found: Array<{ source: 'workspace'|'setting'|'bundled', path: string, command: string,
 *             args: string[], env: object, shell: boolean }>, tried: string[] }}
 */
function serverCandidates(o) {
  const fsApi = o.fsApi ?? realFs;
  const pathApi = o.platform === 'win32' ? path.win32 : o.platform ? path.posix : path;
  const node = o.node ?? findNode({ env: o.env, platform: o.platform, fsApi });
  const execPath = o.execPath ?? process.execPath;
  const tried = [];
  const found = [];
  const consider = (source, target) => {
    if (tried.includes(target)) return;
    tried.push(target);
    const launch = launchFor(target, { node, execPath, fsApi, pathApi });
    if (launch) found.push({ source, path: target, ...launch });
  };

  for (const folder of o.workspaceFolders ?? []) {
    for (const dir of ancestors(folder, pathApi)) consider('workspace', pathApi.join(dir, 'node_modules', 'somonscript'));
  }
  const configured = (o.configuredPath ?? '').trim();
  if (configured) {
    const folder = (o.workspaceFolders ?? [])[0];
    consider(
      'setting',
      pathApi.isAbsolute(configured) || !folder ? pathApi.resolve(configured) : pathApi.resolve(folder, configured),
    );
  }
  consider('bundled', pathApi.join(o.extensionPath, 'server'));
  return { found, tried };
}

/** The first of {@link serverCandidates}, or `{ error: 'not-found', tried }`. */
function resolveServer(o) {
  const { found, tried } = serverCandidates(o);
  return found[0] ?? { error: 'not-found', tried };
}

/**
 * `initializationOptions` for the server: the diagnostics language when one
 * is chosen (`auto`: none, the server follows `somon.config.json` or the
 * client's locale).
 */
function initializationOptions(language) {
  return LANGUAGES.includes(language) ? { lang: language } : {};
}

module.exports = { resolveServer, serverCandidates, findNode, launchFor, ancestors, initializationOptions, LANGUAGES };
