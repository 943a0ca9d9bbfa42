'use strict';
// Shared by the register hooks (main thread and loader thread) and the
// Jest transformer.

const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

/** Diagnostics as the lines the command line prints: `file:line:col: error[CODE]: message`, the source line and a caret. */
function formatErrors(errors, file) {
  return errors
    .map((d) => {
      const line = String(d.line);
      const pad = ' '.repeat(line.length);
      const notes = (d.notes ?? []).map((n) => `\n${pad} = ${n}`).join('');
      return `${d.file || file}:${d.line}:${d.column}: ${d.severity}[${d.code}]: ${d.message}\n${line} | ${d.snippet}\n${pad} | ${' '.repeat(Math.max(0, d.column - 1))}^${notes}`;
    })
    .join('\n');
}

/** `"module"` when the nearest package.json says `"type": "module"`, else `"commonjs"` (Node's rule for `.js`). */
function packageType(file) {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    try {
      const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return json?.type === 'module' ? 'module' : 'commonjs';
    } catch (e) {
      if (e?.code !== 'ENOENT' && e?.code !== 'ENOTDIR') return 'commonjs';
    }
    if (dirname(dir) === dir) return 'commonjs';
  }
}

module.exports = { formatErrors, packageType };
