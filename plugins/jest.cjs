'use strict';
// `somonscript/jest`: a Jest transformer for `.som` files.
//
//   // jest.config.js
//   module.exports = {
//     transform: { '\\.som$': 'somonscript/jest' },
//     moduleFileExtensions: ['som', 'js', 'json'],
//   };
//
// Each file is compiled (type-checked against what it imports, with the
// somon.config.json found upward from it) as CommonJS, or as an ES module
// when Jest runs ES modules (`supportsStaticESM`), with a source map and
// import specifiers kept as written for Jest's resolver (which needs
// `moduleNameMapper` for `resolution.paths` aliases). Options of `compile` can be given
// as `['somonscript/jest', { target: 'es2022' }]`. The cache key covers the
// file's text and path, the options, Jest's ESM mode and the compiler's
// version.

const { createHash } = require('node:crypto');
const somon = require('../index.js');
const { formatErrors } = require('./register-common.cjs');

const ALLOWED = ['target', 'minify', 'compress', 'mangle', 'keepNames', 'inlineSources', 'typeCheck', 'lang'];

function userOptions(transformerConfig) {
  const given = transformerConfig ?? {};
  for (const key of Object.keys(given)) {
    if (!ALLOWED.includes(key)) {
      throw new TypeError(`somonscript/jest: unknown option \`${key}\`; known options: ${ALLOWED.join(', ')}`);
    }
  }
  return given;
}

function compileFor(sourceText, sourcePath, options) {
  const esm = Boolean(options?.supportsStaticESM);
  const out = somon.compileModuleSync(sourcePath, sourceText, {
    inlineSources: true,
    ...userOptions(options?.transformerConfig),
    module: esm ? 'esm' : 'cjs',
    sourceMap: true,
    rewriteRelativeImportExtensions: false,
  });
  const errors = out.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new SyntaxError(formatErrors(errors, sourcePath));
  const map = JSON.parse(out.map);
  map.sources = [sourcePath];
  return { code: out.code, map };
}

const transformer = {
  canInstrument: false,
  getCacheKey(sourceText, sourcePath, options) {
    return createHash('sha256')
      .update(somon.version())
      .update('\0')
      .update(sourcePath)
      .update('\0')
      .update(sourceText)
      .update('\0')
      .update(JSON.stringify(options?.transformerConfig ?? {}))
      .update(options?.supportsStaticESM ? '\0esm' : '\0cjs')
      .digest('hex');
  },
  process(sourceText, sourcePath, options) {
    return compileFor(sourceText, sourcePath, options);
  },
};

module.exports = transformer;
module.exports.createTransformer = () => transformer;
