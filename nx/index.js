'use strict';
// `somonscript/nx`: an Nx plugin for SomonScript projects.
//
// - createNodesV2: every folder with a somon.config.json is a project with
//   inferred targets `build` (`somon bundle <bundle.entry>` when the
//   configuration names one, else `somon compile <folder>`), `check`
//   (`somon check`) and `fmt` (`somon fmt --check`; the `write`
//   configuration formats in place). Every target runs `--hermetic` with
//   the project's own configuration, so its outputs depend only on the
//   inputs Nx hashes, and is cacheable.
// - createDependencies: a static edge from a project to every project
//   whose files its `.som` files import (resolved as the compiler
//   resolves them: workspace links in node_modules, `paths`, relative
//   imports into another project).
//
// Options (nx.json `plugins: [{ plugin: "somonscript/nx", options }]`):
// buildTargetName, checkTargetName, fmtTargetName (defaults: build, check,
// fmt) and sources (the folder compiled and checked, default "src" when it
// exists, else the project folder).

const fs = require('node:fs');
const path = require('node:path');

const CONFIG_GLOB = '**/somon.config.json';

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** A path as a POSIX path relative to the project folder. */
function rel(from, to) {
  return path.relative(from, to).split(path.sep).join('/') || '.';
}

/** The named input `somon` and the targets of one project, from its somon.config.json. */
function projectFor(projectRoot, config, options, workspaceRoot) {
  const abs = path.join(workspaceRoot, projectRoot);
  const sources =
    options.sources ?? (fs.existsSync(path.join(abs, 'src')) ? 'src' : '.');
  const common = ['--hermetic', '--config', 'somon.config.json'];
  const bundle = config?.bundle ?? {};
  const compilerOptions = config?.compilerOptions ?? {};
  const bundleOutput =
    typeof bundle.entry === 'string'
      ? bundle.output ?? bundle.entry.replace(/\.som$/i, '.bundle.js')
      : undefined;
  // What the build writes, never one of its inputs.
  const outputs = bundleOutput
    ? [`{projectRoot}/${bundleOutput}`, `{projectRoot}/${bundleOutput}.map`]
    : compilerOptions.outDir
      ? [`{projectRoot}/${compilerOptions.outDir}`]
      : [`{projectRoot}/${sources}/**/*.js`, `{projectRoot}/${sources}/**/*.js.map`];
  const excluded = bundleOutput
    ? outputs.map((o) => `!${o}`)
    : compilerOptions.outDir
      ? [`!{projectRoot}/${compilerOptions.outDir}/**`]
      : outputs.map((o) => `!${o}`);
  // Everything a compile can read: sources, JSON (configuration,
  // package.json, imported data), JavaScript; a dependency's own `somon`
  // files through `^somon`.
  const namedInputs = {
    somon: [
      '{projectRoot}/**/*.som',
      '{projectRoot}/**/*.json',
      '{projectRoot}/**/*.{js,mjs,cjs}',
      ...excluded,
    ],
  };
  const inputs = ['somon', '^somon'];
  const opts = (command) => ({ command, cwd: '{projectRoot}' });
  const build = {
    executor: 'nx:run-commands',
    options: opts(
      bundleOutput
        ? ['somon bundle', bundle.entry, '-o', bundleOutput, ...common].join(' ')
        : ['somon compile', sources, ...common].join(' '),
    ),
    inputs,
    outputs,
    cache: true,
  };
  const check = {
    executor: 'nx:run-commands',
    options: opts(['somon check', sources, ...common].join(' ')),
    inputs,
    outputs: [],
    cache: true,
  };
  const fmt = {
    executor: 'nx:run-commands',
    options: opts(`somon fmt --check ${sources}`),
    configurations: { write: { command: `somon fmt ${sources}` } },
    inputs: ['{projectRoot}/**/*.som'],
    outputs: [],
    cache: true,
  };
  return {
    namedInputs,
    targets: {
      [options.buildTargetName ?? 'build']: build,
      [options.checkTargetName ?? 'check']: check,
      [options.fmtTargetName ?? 'fmt']: fmt,
    },
  };
}

const createNodesV2 = [
  CONFIG_GLOB,
  async (configFiles, options, context) => {
    const opts = options ?? {};
    return configFiles.map((configFile) => {
      const projectRoot = path.dirname(configFile).split(path.sep).join('/');
      const config = readJson(path.join(context.workspaceRoot, configFile));
      const manifest = readJson(path.join(context.workspaceRoot, projectRoot, 'package.json'));
      const project = {
        root: projectRoot,
        ...projectFor(projectRoot, config, opts, context.workspaceRoot),
      };
      // Named after its package, else after its folder.
      project.name =
        manifest?.name ??
        (projectRoot === '.' ? path.basename(context.workspaceRoot) : projectRoot.split('/').join('-'));
      return [configFile, { projects: { [projectRoot]: project } }];
    });
  },
];

/** The text with its comments blanked out (strings and templates kept). */
function withoutComments(text) {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"' || ch === "'" || ch === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== ch && !(ch !== '`' && text[j] === '\n')) j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (ch === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
      out += ' ';
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** Import specifiers of a SomonScript text (`ворид … аз "x"`, `ворид "x"`, `ворид("x")`, `содир … аз "x"`). */
function specifiers(text) {
  const out = new Set();
  const re = /(?:^|[^\p{L}\p{N}_$])(?:аз|ворид)\s*\(?\s*(["'])([^"'\n]+)\1/giu;
  for (const m of withoutComments(text).matchAll(re)) out.add(m[2]);
  return [...out];
}

function realpath(p) {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/** The project (name) whose folder holds `file`, the deepest one. */
function projectOf(file, roots) {
  let best;
  for (const [root, name] of roots) {
    if ((file === root || file.startsWith(root + path.sep)) && (!best || root.length > best[0].length)) {
      best = [root, name];
    }
  }
  return best?.[1];
}

function createDependencies(_options, context) {
  const somon = require('..');
  // Keyed by name (Nx 20+), each with its root.
  const roots = Object.entries(context.projects).map(([key, p]) => [
    realpath(path.join(context.workspaceRoot, p.root ?? key)),
    p.name ?? key,
  ]);
  const edges = new Map();
  const files = context.filesToProcess?.projectFileMap ?? context.fileMap?.projectFileMap ?? {};
  for (const [source, list] of Object.entries(files)) {
    for (const { file } of list) {
      if (!file.endsWith('.som')) continue;
      const abs = path.join(context.workspaceRoot, file);
      let text;
      try {
        text = fs.readFileSync(abs, 'utf8');
      } catch {
        continue;
      }
      for (const spec of specifiers(text)) {
        let where;
        try {
          where = somon.resolve(spec, abs);
        } catch {
          continue; // not found: the compiler reports it
        }
        if (!where.path) continue; // a Node built-in
        const target = projectOf(realpath(where.path), roots);
        if (target && target !== source) {
          edges.set(`${source}\0${target}\0${file}`, { source, target, sourceFile: file, type: 'static' });
        }
      }
    }
  }
  return [...edges.values()];
}

module.exports = { createNodesV2, createDependencies, specifiers, name: 'somonscript/nx' };
