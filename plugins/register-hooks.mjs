// Loader hooks of `somonscript/register` (run on Node's loader thread).
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const somon = require('../index.js');
const { formatErrors, packageType } = require('./register-common.cjs');

const isSom = (url) => url.startsWith('file:') && /\.som$/.test(url.split(/[?#]/)[0]);

export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL;
  if (parent && isSom(parent) && !specifier.startsWith('node:')) {
    try {
      const found = somon.resolve(specifier, fileURLToPath(parent));
      if (found.kind === 'file' && found.path) {
        return { url: pathToFileURL(found.path).href, shortCircuit: true };
      }
    } catch {
      // not a project file: Node's resolution decides
    }
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (!isSom(url)) return nextLoad(url, context);
  const file = fileURLToPath(url);
  if (packageType(file) !== 'module') {
    // CommonJS: Node's CommonJS loader runs it through require's
    // extension table (set by register.mjs).
    return { format: 'commonjs', shortCircuit: true };
  }
  const { readFile } = await import('node:fs/promises');
  const out = await somon.compileModule(file, await readFile(file, 'utf8'), {
    module: 'esm',
    sourceMap: 'inline',
    inlineSources: true,
    rewriteRelativeImportExtensions: false,
  });
  const errors = out.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new SyntaxError(formatErrors(errors, file));
  return { format: 'module', source: out.code, shortCircuit: true };
}
