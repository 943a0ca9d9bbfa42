// Module loader hooks of `somon run --module esm` (registered by
// bin/somon.js): the entry's `.som` URL loads as the compiled ES module.
let entry;

export function initialize(data) {
  entry = data;
}

export async function load(url, context, nextLoad) {
  if (entry && url === entry.url) {
    return { format: 'module', source: entry.code, shortCircuit: true };
  }
  return nextLoad(url, context);
}
