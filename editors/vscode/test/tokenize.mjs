// Tokenizes SomonScript text with the real TextMate engine VS Code uses
// (vscode-textmate over vscode-oniguruma) and the extension's grammar.
// Used by __test__/vscode-grammar.test.mjs; needs the root devDependencies.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const grammarPath = new URL('../syntaxes/somon.tmLanguage.json', import.meta.url);

let registryPromise;

async function registry() {
  const textmate = require('vscode-textmate');
  const onig = require('vscode-oniguruma');
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  return new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new onig.OnigScanner(patterns),
      createOnigString: (s) => new onig.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName !== 'source.somon') return null;
      const text = readFileSync(grammarPath, 'utf8');
      return textmate.parseRawGrammar(text, grammarPath.pathname);
    },
  });
}

/** The grammar `source.somon`, loaded once. */
export async function loadGrammar() {
  registryPromise ??= registry();
  const reg = await registryPromise;
  return reg.loadGrammar('source.somon');
}

/**
 * Tokens of `text`, line by line (the state carried between lines as in
 * the editor): `{ line, text, scopes }` with `scopes` the full scope stack.
 */
export async function tokenize(text) {
  const { INITIAL } = require('vscode-textmate');
  const grammar = await loadGrammar();
  const tokens = [];
  let state = INITIAL;
  text.split(/\r?\n/).forEach((lineText, line) => {
    const r = grammar.tokenizeLine(lineText, state);
    for (const t of r.tokens) {
      tokens.push({ line, text: lineText.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    }
    state = r.ruleStack;
  });
  return tokens;
}
