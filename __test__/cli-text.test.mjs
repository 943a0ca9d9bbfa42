// Untrusted text is inert and reports are bounded (issue 17, items 3 and 5):
// bidirectional controls in strings, templates and comments are a
// BIDI_CONTROL warning; every diagnostic, report line and file name printed
// escapes control, bidirectional and zero-width characters; long lines are
// shown as a window around the column; at most N diagnostics per file and
// M per run are printed, then one summary note.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, scratch, somon } from './helpers.mjs';

const RLO = '\u202e';
const LRI = '\u2066';
const RLM = '\u200f';
// Anything a terminal would act on or hide.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c]/u;

test('bidirectional controls in strings, templates and comments are BIDI_CONTROL warnings at the character', () => {
  const source = [
    `тағ доступ = "user${RLO} // admin";`,
    `// ${LRI}comment`,
    `тағ т = \`а${RLM}б\`;`,
    'чоп.сабт(доступ, т);',
    '',
  ].join('\n');
  const r = somon.compile(source, { fileName: 'trojan.som' });
  assert.match(r.code, /console\.log/, 'warnings do not stop the compile');
  const bidi = r.diagnostics.filter((d) => d.code === 'BIDI_CONTROL');
  assert.deepEqual(
    bidi.map((d) => [d.severity, d.line, d.column, d.endColumn]),
    [
      ['warning', 1, 19, 20],
      ['warning', 2, 4, 5],
      ['warning', 3, 11, 12],
    ],
  );
  assert.match(bidi[0].message, /U\+202E \(RLO\).*"Trojan Source".*write the escape `\\u202E`/);
  assert.match(bidi[1].message, /U\+2066 \(LRI\)/);
  assert.match(bidi[2].message, /U\+200F \(RLM\)/);

  const dir = scratch({ 'trojan.som': source });
  const cli = runCli(['compile', 'trojan.som'], { cwd: dir });
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stderr, /trojan\.som:1:19: warning\[BIDI_CONTROL\]: the bidirectional control character U\+202E/);
  // The line is printed with the control escaped, the caret under it.
  assert.match(cli.stderr, /1 \| тағ доступ = "user\\u\{202e\} \/\/ admin";\n {2}\| {19}\^{8}\n/);
  assert.doesNotMatch(cli.stderr, UNSAFE);
  const tj = runCli(['compile', 'trojan.som', '--lang', 'tj'], { cwd: dir });
  assert.match(tj.stderr, /warning\[BIDI_CONTROL\]: аломати идоракунии самти матн U\+202E \(RLO\)/);
  const ru = runCli(['compile', 'trojan.som', '--lang', 'ru'], { cwd: dir });
  assert.match(ru.stderr, /warning\[BIDI_CONTROL\]: управляющий символ направления текста U\+202E \(RLO\)/);
  // The escaped form is a clean program.
  const clean = somon.compile('тағ а = "user\\u202E";\nчоп.сабт(а);\n');
  assert.deepEqual(clean.diagnostics, []);
});

test('control characters in diagnostics cannot retitle the terminal or forge lines', () => {
  // A raw escape sequence and a bell inside a string that is a type error.
  const dir = scratch({ 'а.som': 'тағ х: рақам = "\u001b]0;pwned\u0007 \u0000 zero\u200bwidth";\nчоп.сабт(х);\n' });
  const r = runCli(['compile', 'а.som'], { cwd: dir });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /error\[TYPE_NOT_ASSIGNABLE\]/);
  assert.match(r.stderr, /\\u\{1b\}\]0;pwned\\u\{7\}/);
  assert.match(r.stderr, /zero\\u\{200b\}width/);
  assert.doesNotMatch(r.stderr, UNSAFE);
  // JSON keeps the data (JSON escapes controls itself).
  const j = runCli(['compile', 'а.som', '--diagnostics', 'json'], { cwd: dir });
  assert.doesNotMatch(j.stdout.trimEnd(), /[\u0000-\u001f\u007f]/);
  assert.equal(JSON.parse(j.stdout).errors, 1);
});

test('a file name with a newline cannot forge a report line', () => {
  const forged = 'x\nINFO build succeeded';
  const dir = scratch({ [`${forged}.som`]: 'тағ а: рақам = "сатр";\n', 'ok.som': 'чоп.сабт(1);\n' });
  const r = runCli(['compile', '.'], { cwd: dir });
  assert.equal(r.status, 1);
  for (const line of (r.stdout + r.stderr).split('\n')) assert.doesNotMatch(line, /^INFO build succeeded/);
  assert.match(r.stderr, /x\\nINFO build succeeded\.som:1:\d+: error/);
  const b = runCli(['bundle', 'ok.som', '-o', `${forged}.js`], { cwd: dir });
  assert.equal(b.status, 0, b.stderr);
  assert.match(b.stdout, /^x\\nINFO build succeeded\.js \(1 modules\)\n$/);
  assert.ok(fs.existsSync(path.join(dir, `${forged}.js`)));
});

test('a very long line is shown as a window around the column', () => {
  // One 100 KB line (a minified file) with an error near its end.
  const filler = 'чоп.сабт(1);'.repeat(10_000);
  const source = `${filler} тағ б: рақам = "x";\n`;
  const r = somon.compile(source);
  const [d] = r.diagnostics;
  assert.equal(d.code, 'TYPE_NOT_ASSIGNABLE');
  assert.ok(d.snippet.length < 200, `snippet of ${d.snippet.length} characters`);
  assert.match(d.snippet, /^…1\);(чоп\.сабт\(1\);)+ тағ б: рақам = "x";$/);
  const dir = scratch({ 'min.som': source });
  const cli = runCli(['compile', 'min.som'], { cwd: dir });
  assert.equal(cli.status, 1);
  assert.ok(cli.stderr.length < 2000, `${cli.stderr.length} bytes of diagnostics`);
  // The caret still points at the diagnostic's column inside the window.
  const lines = cli.stderr.split('\n');
  const at = lines.findIndex((l) => l.includes('| …'));
  const caret = lines[at + 1].indexOf('^');
  assert.ok(d.column > 100_000);
  assert.equal(lines[at].slice(caret, caret + 6), [...source].slice(d.column - 1, d.column + 5).join(''));
});

test('at most N diagnostics per file and M per run are printed, then one summary note', () => {
  const bad = (n) => '@\n'.repeat(n);
  const dir = scratch({ 'а.som': bad(150), 'б.som': bad(150), 'в.som': bad(20) });
  const r = runCli(['check', '.'], { cwd: dir });
  assert.equal(r.status, 1);
  const count = (text) => (text.match(/: error\[/g) || []).length;
  assert.equal(count(r.stderr), 100 + 100 + 20);
  assert.match(r.stderr, /note\[DIAGNOSTICS_LIMIT\]: 100 more error\(s\) and warning\(s\) not shown \(at most 100 per file and 1000 in all/);
  assert.match(r.stderr, /320 error\(s\), 0 warning\(s\)\n$/);
  const small = runCli(['check', '.', '--max-diagnostics', '5', '--lang', 'tj'], { cwd: dir });
  assert.equal(count(small.stderr), 5);
  assert.match(small.stderr, /note\[DIAGNOSTICS_LIMIT\]: боз 315 хато ва огоҳӣ нишон дода нашуд/);
  const all = runCli(['check', '.', '--max-diagnostics-per-file', '0', '--max-diagnostics', '0'], { cwd: dir });
  assert.equal(count(all.stderr), 320);
  assert.doesNotMatch(all.stderr, /DIAGNOSTICS_LIMIT/);
  const json = JSON.parse(runCli(['check', '.', '--diagnostics', 'json', '--max-diagnostics', '7'], { cwd: dir }).stdout);
  assert.equal(json.diagnostics.length, 7);
  assert.equal(json.omitted, 313);
  assert.equal(json.errors, 320);
});

test('a one-line file with thousands of errors prints a bounded report', () => {
  const dir = scratch({ 'min.som': `${'@ '.repeat(20_000)}\n` });
  const r = runCli(['compile', 'min.som'], { cwd: dir });
  assert.equal(r.status, 1);
  assert.ok(r.stderr.length < 100 * 400, `${r.stderr.length} bytes`);
  for (const line of r.stderr.split('\n')) assert.ok(line.length < 400, `a line of ${line.length} characters`);
  assert.match(r.stderr, /note\[DIAGNOSTICS_LIMIT\]: 19900 more error\(s\)/);
  assert.match(r.stderr, /20000 error\(s\), 0 warning\(s\)/);
});
