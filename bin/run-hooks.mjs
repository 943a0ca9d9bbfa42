// Module loader hooks of `somon run --module esm` (registered by
// bin/somon.js): the entry's `.som` URL loads as the compiled ES module.
let entry;

export function initialize(data) {
  entry = data;
}

// The entry need not exist on disk (`somon run -` reads it from stdin).
export async function resolve(specifier, context, nextResolve) {
  if (entry && specifier === entry.url) {
    return { url: entry.url, format: 'module', shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (entry && url === entry.url) {
    return { format: 'module', source: entry.code, shortCircuit: true };
  }
  return nextLoad(url, context);
}
