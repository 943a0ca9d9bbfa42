// SomonScript for bundlers: one unplugin implementation behind
// `somonscript/vite`, `/rollup`, `/rolldown`, `/webpack`, `/rspack` and
// `/esbuild`. Every `.som` module goes through the addon's `compileModule`
// (off the JavaScript thread, type-checked against what it imports, with
// the `somon.config.json` found upward from it) as an ES module with its
// import specifiers kept as written; `resolveId` brings them back here and
// resolves them with the addon's `resolve`, the resolver of `somon bundle`.
import { createRequire } from 'node:module';
import { isAbsolute } from 'node:path';
import { createUnplugin } from 'unplugin';

const require = createRequire(import.meta.url);
const somon = require('../index.js');

const SOM = /\.som$/;
/** A `.som` module id, perhaps with a query (Vite's client asks for `x.som?import`). */
const SOM_ID = /\.som(?:$|[?#])/;
/** Options of `compile` the plugin passes on (everything but the fixed ones). */
const COMPILE_KEYS = ['target', 'minify', 'compress', 'mangle', 'keepNames', 'inlineSources', 'typeCheck', 'lang'];
const OWN_KEYS = ['include', 'exclude'];

function cleanId(id) {
  const q = id.search(/[?#]/);
  return q === -1 ? id : id.slice(0, q);
}

function toFilter(pattern) {
  if (pattern === undefined || pattern === null) return [];
  const list = Array.isArray(pattern) ? pattern : [pattern];
  return list.map((p) => {
    if (p instanceof RegExp) return (id) => p.test(id);
    if (typeof p === 'string') return (id) => id.includes(p);
    throw new TypeError(`somonscript plugin: include/exclude take strings and regular expressions, not ${typeof p}`);
  });
}

/** Checks the user's options: compile's options (those that make sense in a bundler) plus include/exclude. */
export function pluginOptions(options = {}) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError('somonscript plugin: options must be an object');
  }
  for (const key of Object.keys(options)) {
    if (!COMPILE_KEYS.includes(key) && !OWN_KEYS.includes(key)) {
      throw new TypeError(
        `somonscript plugin: unknown option \`${key}\`; known options: ${[...COMPILE_KEYS, ...OWN_KEYS].join(', ')}` +
          (['module', 'sourceMap', 'fileName', 'rewriteRelativeImportExtensions'].includes(key)
            ? ` (\`${key}\` is set by the plugin)`
            : ''),
      );
    }
  }
  const compile = {};
  for (const key of COMPILE_KEYS) if (options[key] !== undefined) compile[key] = options[key];
  compile.inlineSources ??= true;
  const include = toFilter(options.include);
  const exclude = toFilter(options.exclude);
  const wanted = (id) =>
    SOM.test(id) && (include.length === 0 || include.some((f) => f(id))) && !exclude.some((f) => f(id));
  return { compile, wanted };
}

/** A code frame: the diagnostic's line with a caret line under its columns. */
export function codeFrame(d) {
  const line = String(d.line);
  const pad = ' '.repeat(line.length);
  const width = d.endLine === d.line ? Math.max(1, d.endColumn - d.column) : 1;
  const snippet = d.snippet ?? '';
  return `${line} | ${snippet}\n${pad} | ${' '.repeat(Math.max(0, d.column - 1))}${'^'.repeat(width)}`;
}

/** One diagnostic as a bundler message (rollup's RollupLog shape, which unplugin maps for the others). */
export function toMessage(d, file) {
  const where = `${d.file || file}:${d.line}:${d.column}`;
  const notes = d.notes?.length ? `\n${d.notes.map((n) => `  = ${n}`).join('\n')}` : '';
  return {
    message: `${d.severity}[${d.code}]: ${d.message} (${where})${notes}`,
    id: file,
    code: d.code,
    plugin: 'somonscript',
    pluginCode: d.code,
    loc: { file, line: d.line, column: d.column - 1 },
    frame: codeFrame(d),
  };
}

function isRelative(spec) {
  return spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..';
}

export const unpluginFactory = (rawOptions, meta) => {
  const { compile, wanted } = pluginOptions(rawOptions ?? {});
  // webpack and Rspack print the message alone: the code frame goes in it.
  const frameInMessage = meta?.framework === 'webpack' || meta?.framework === 'rspack';
  const message = (d, id) => {
    const m = toMessage(d, id);
    if (frameInMessage) m.message += `\n${m.frame}`;
    return m;
  };
  return {
    name: 'somonscript',
    enforce: 'pre',

    resolveId(source, importer) {
      if (source.startsWith('\0') || source.startsWith('node:')) return null;
      const from = importer ? cleanId(importer) : undefined;
      const fromSom = from !== undefined && SOM.test(from);
      // Imports written in `.som` files (relative, extensionless, aliases
      // of `resolution.paths`) and any `.som` specifier.
      if (!fromSom && !SOM.test(cleanId(source))) return null;
      if (!fromSom && !isRelative(source) && !isAbsolute(source)) return null;
      let found;
      try {
        found = somon.resolve(cleanId(source), from);
      } catch {
        return null; // not ours: the bundler reports it the usual way
      }
      // `.som` files are ours; JavaScript and JSON files, packages and
      // built-ins are left to the bundler (whose loaders they need). An
      // id that is already the file's path needs no answer (webpack asks
      // again with what a resolveId returns).
      if (found.kind === 'file' && found.path && SOM.test(found.path) && found.path !== source) {
        return found.path;
      }
      return null;
    },

    transform: {
      filter: { id: { include: SOM_ID } },
      async handler(code, rawId) {
        const id = cleanId(rawId);
        if (!wanted(id)) return null;
        const result = await somon.compileModule(id, code, {
          ...compile,
          module: 'esm',
          sourceMap: true,
          rewriteRelativeImportExtensions: false,
        });
        for (const dep of result.dependencies) this.addWatchFile(dep);
        const errors = result.diagnostics.filter((d) => d.severity === 'error');
        for (const d of result.diagnostics) {
          if (d.severity !== 'error') this.warn(message(d, id));
        }
        if (errors.length > 0) {
          const [first, ...rest] = errors.map((d) => message(d, id));
          if (rest.length > 0) {
            first.message += `\n${rest.map((m) => (frameInMessage ? m.message : `${m.message}\n${m.frame}`)).join('\n')}`;
          }
          // Rollup, Rolldown and Vite throw here; webpack, Rspack and
          // esbuild record the error and go on: an empty module keeps them
          // from parsing the SomonScript text as JavaScript.
          this.error(first);
          return { code: '', map: null };
        }
        const map = JSON.parse(result.map);
        // The map's sources are the `.som` file itself (an absolute path
        // is what every bundler chains with its own).
        map.sources = [id];
        map.file = id;
        return { code: result.code, map };
      },
    },

    esbuild: {
      loader: 'js',
    },
  };
};

export const unplugin = /* @__PURE__ */ createUnplugin(unpluginFactory);
export const vite = unplugin.vite;
export const rollup = unplugin.rollup;
export const rolldown = unplugin.rolldown;
export const webpack = unplugin.webpack;
export const rspack = unplugin.rspack;
export const esbuild = unplugin.esbuild;
export default unplugin;
