// `node --import somonscript/register app.som` (or
// NODE_OPTIONS="--import somonscript/register"): `.som` files run under
// Node. ES module `.som` files go through the loader hooks of
// ./register-hooks.mjs (registered with `module.register`, so they run on
// Node's loader thread); CommonJS ones through `require`'s extension table.
// A `.som` file is an ES module when the nearest package.json says
// `"type": "module"`, as for `.js`. Source maps are on, so stack traces
// point at `.som` lines.
import { createRequire, register } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const somon = require('../index.js');
const Module = require('node:module');
const { formatErrors } = require('./register-common.cjs');

process.setSourceMapsEnabled(true);
register('./register-hooks.mjs', import.meta.url);

// require('./x.som'), and require('./x') trying `.som` after Node's own
// extensions.
Module._extensions['.som'] = function loadSom(module, filename) {
  const out = somon.compileModuleSync(filename, readFileSync(filename, 'utf8'), {
    module: 'cjs',
    sourceMap: 'inline',
    inlineSources: true,
    rewriteRelativeImportExtensions: false,
  });
  const errors = out.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new SyntaxError(formatErrors(errors, filename));
  module._compile(out.code, filename);
};

// `resolution.paths` aliases and extensionless imports written in `.som`
// files, resolved as `somon bundle` does.
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveSom(request, parent, ...rest) {
  if (parent?.filename?.endsWith('.som') && !Module.isBuiltin(request)) {
    try {
      const found = somon.resolve(request, parent.filename);
      if (found.kind === 'file' && found.path) return found.path;
    } catch {
      // not found here: Node's own resolution reports it
    }
  }
  return resolveFilename.call(this, request, parent, ...rest);
};

