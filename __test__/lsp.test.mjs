// Protocol tests of `somon lsp`: the real server, started through the CLI
// wrapper (bin/somon.js → the addon), driven over stdio by vscode-jsonrpc
// as an editor would drive it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import rpc from 'vscode-jsonrpc/node.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'bin', 'somon.js');
const cliPath = cli;

/** Starts the server in `dir`; collects published diagnostics and logs. */
function start(dir, env = {}) {
  const child = spawn(process.execPath, [cli, 'lsp', '--stdio'], {
    cwd: dir,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const conn = rpc.createMessageConnection(
    new rpc.StreamMessageReader(child.stdout),
    new rpc.StreamMessageWriter(child.stdin),
  );
  const diagnostics = new Map();
  const waiters = [];
  const logs = [];
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    diagnostics.set(p.uri, p.diagnostics);
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.pred(p.diagnostics)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p.diagnostics);
      }
    }
  });
  conn.onNotification('window/logMessage', (p) => logs.push(p));
  conn.listen();
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    conn,
    logs,
    exited,
    stderr: () => stderr,
    /** The next published diagnostics of `uri` that satisfy `pred`. */
    diagnosticsOf(uri, pred = () => true) {
      const now = diagnostics.get(uri);
      if (now && pred(now)) return Promise.resolve(now);
      return new Promise((resolve, reject) => {
        const w = { uri, pred, resolve };
        waiters.push(w);
        setTimeout(() => reject(new Error(`no matching diagnostics for ${uri}: ${JSON.stringify(diagnostics.get(uri))}`)), 20000).unref();
      });
    },
    clear(uri) {
      diagnostics.delete(uri);
    },
  };
}

function project(files) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'somon-lsp-')));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const uri = (name) => pathToFileURL(path.join(dir, name)).href;
  return { dir, uri };
}

/** The 0-based position of the `nth` occurrence of `needle` in `text`, plus `shift` characters. */
function positionOf(text, needle, shift = 0, nth = 0) {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} not in text`);
  const before = text.slice(0, at + shift);
  const lines = before.split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

// One server over a fresh project folder: `body` drives it (connection,
// the folder's uri maker, the folder); it must then shut down with status 0,
// and the process and folder are gone whatever happened.
async function session(files, body, env = {}) {
  const { dir, uri } = project(files);
  const s = start(dir, env);
  try {
    await body(s, uri, dir);
    assert.equal(await shutdown(s), 0);
  } finally {
    s.child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function initialize(s, dir, locale = 'en', initializationOptions = undefined) {
  const init = await s.conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'test' }],
    locale,
    capabilities: {},
    initializationOptions,
  });
  await s.conn.sendNotification('initialized', {});
  return init;
}

async function shutdown(s) {
  await s.conn.sendRequest('shutdown');
  await s.conn.sendNotification('exit');
  const code = await s.exited;
  s.conn.dispose();
  return code;
}

const LIB = [
  '// Ҷамъи ду рақам.',
  'содир функсия ҷамъ(а: рақам, б: рақам): рақам {',
  '  бозгашт а + б;',
  '}',
  '',
].join('\n');
const MAIN = [
  'ворид { ҷамъ } аз "./lib";',
  'собит натиҷа: рақам = ҷамъ(1, 2);',
  'собит корбар = { ном: "Алӣ", сол: 30 };',
  'чоп.сабт(натиҷа, корбар.ном);',
  '',
].join('\n');

test('a session: diagnostics across files, navigation, rename, completion, fixes, tokens', async () => {
  await session({ 'lib.som': LIB, 'main.som': MAIN }, async (s, uri, dir) => {
    const init = await initialize(s, dir);
    const caps = init.capabilities;
    assert.equal(caps.textDocumentSync.change, 2, 'incremental sync');
    assert.ok(caps.hoverProvider && caps.definitionProvider && caps.renameProvider);
    assert.equal(caps.documentFormattingProvider, true, 'formatting is advertised (somon fmt)');

    const lib = uri('lib.som');
    const main = uri('main.som');
    await s.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri: lib, languageId: 'somon', version: 1, text: LIB },
    });
    await s.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri: main, languageId: 'somon', version: 1, text: MAIN },
    });
    assert.deepEqual(await s.diagnosticsOf(main), []);

    // An edit in lib.som breaks main.som: the error arrives on main.som,
    // with the declaration in lib.som as related information.
    const retLine = positionOf(LIB, '): рақам {', 3);
    await s.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: lib, version: 2 },
      contentChanges: [
        { range: { start: retLine, end: { line: retLine.line, character: retLine.character + 'рақам'.length } }, text: 'сатр' },
      ],
    });
    const broken = await s.diagnosticsOf(main, (d) => d.length > 0);
    assert.equal(broken.length, 1, JSON.stringify(broken));
    assert.equal(broken[0].code, 'TYPE_NOT_ASSIGNABLE');
    assert.equal(broken[0].severity, 1);
    assert.equal(broken[0].range.start.line, 1);
    assert.ok(broken[0].relatedInformation?.[0]?.location.uri === lib, JSON.stringify(broken[0]));
    assert.match(broken[0].relatedInformation[0].message, /ҷамъ/);

    // Fixing lib.som clears it.
    await s.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: lib, version: 3 },
      contentChanges: [{ text: LIB }],
    });
    assert.deepEqual(await s.diagnosticsOf(main, (d) => d.length === 0), []);

    // Hover: the type in Somon syntax and the comment above the declaration.
    const hover = await s.conn.sendRequest('textDocument/hover', {
      textDocument: { uri: main },
      position: positionOf(MAIN, 'ҷамъ(1', 1),
    });
    assert.match(hover.contents.value, /\(а: рақам, б: рақам\) => рақам/);
    assert.match(hover.contents.value, /Ҷамъи ду рақам\./);

    // Hover on a member: the Tajik name beside the JavaScript one.
    const member = await s.conn.sendRequest('textDocument/hover', {
      textDocument: { uri: main },
      position: positionOf(MAIN, 'сабт(', 1),
    });
    assert.match(member.contents.value, /сабт — log: /);

    // Definition across files.
    const def = await s.conn.sendRequest('textDocument/definition', {
      textDocument: { uri: main },
      position: positionOf(MAIN, 'ҷамъ(1', 1),
    });
    assert.equal(def.uri, lib);
    assert.deepEqual(def.range.start, positionOf(LIB, 'ҷамъ('));

    // References from the declaration: both files.
    const refs = await s.conn.sendRequest('textDocument/references', {
      textDocument: { uri: lib },
      position: positionOf(LIB, 'ҷамъ('),
      context: { includeDeclaration: true },
    });
    const byFile = (u) => refs.filter((r) => r.uri === u).length;
    assert.equal(byFile(lib), 1, JSON.stringify(refs));
    assert.equal(byFile(main), 2, JSON.stringify(refs));

    // Document highlight in one file.
    const hl = await s.conn.sendRequest('textDocument/documentHighlight', {
      textDocument: { uri: main },
      position: positionOf(MAIN, 'натиҷа', 1, 1),
    });
    assert.equal(hl.length, 2);

    // Rename across files; keywords and invalid names are refused.
    const edit = await s.conn.sendRequest('textDocument/rename', {
      textDocument: { uri: main },
      position: positionOf(MAIN, 'ҷамъ(1', 1),
      newName: 'ҳисоб',
    });
    assert.equal(edit.changes[lib].length, 1, JSON.stringify(edit));
    assert.equal(edit.changes[main].length, 2, JSON.stringify(edit));
    assert.ok(Object.values(edit.changes).flat().every((e) => e.newText === 'ҳисоб'));
    await assert.rejects(
      s.conn.sendRequest('textDocument/rename', {
        textDocument: { uri: main },
        position: positionOf(MAIN, 'ҷамъ(1', 1),
        newName: 'агар',
      }),
      /keyword/,
    );
    await assert.rejects(
      s.conn.sendRequest('textDocument/rename', {
        textDocument: { uri: main },
        position: positionOf(MAIN, 'ҷамъ(1', 1),
        newName: '1ном',
      }),
      /cannot rename to `1ном`/,
    );

    // Completion after `чоп.`: Tajik aliases beside the JavaScript names.
    const typed = MAIN + 'чоп.';
    await s.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: main, version: 2 },
      contentChanges: [{ text: typed }],
    });
    const afterChop = await s.conn.sendRequest('textDocument/completion', {
      textDocument: { uri: main },
      position: positionOf(typed, 'чоп.', 4, 1),
    });
    const labels = afterChop.map((i) => i.label);
    assert.ok(labels.includes('сабт') && labels.includes('log'), labels.join(' '));
    assert.match(afterChop.find((i) => i.label === 'сабт').detail, /сабт — log/);

    // After a local object: its properties.
    const typed2 = MAIN + 'корбар.';
    await s.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: main, version: 3 },
      contentChanges: [{ text: typed2 }],
    });
    const afterObj = await s.conn.sendRequest('textDocument/completion', {
      textDocument: { uri: main },
      position: positionOf(typed2, 'корбар.', 7, 1),
    });
    assert.deepEqual(afterObj.map((i) => i.label).sort(), ['ном', 'сол']);

    // Names in scope and keywords where a statement starts.
    const typed3 = MAIN + 'на';
    await s.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: main, version: 4 },
      contentChanges: [{ text: typed3 }],
    });
    const names = await s.conn.sendRequest('textDocument/completion', {
      textDocument: { uri: main },
      position: positionOf(typed3, '\nна', 3),
    });
    const nameLabels = names.map((i) => i.label);
    for (const l of ['натиҷа', 'корбар', 'ҷамъ', 'агар', 'собит']) assert.ok(nameLabels.includes(l), l);

    // Signature help inside a call.
    const typed4 = MAIN + 'ҷамъ(1, ';
    await s.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: main, version: 5 },
      contentChanges: [{ text: typed4 }],
    });
    const sig = await s.conn.sendRequest('textDocument/signatureHelp', {
      textDocument: { uri: main },
      position: positionOf(typed4, 'ҷамъ(1, ', 8, 1),
    });
    assert.equal(sig.signatures[0].label, 'ҷамъ(а: рақам, б: рақам): рақам');
    assert.equal(sig.activeParameter, 1);

    // A quick fix: a misspelled keyword.
    const typo = MAIN + 'собт х = 1;\n';
    await s.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: main, version: 6 },
      contentChanges: [{ text: typo }],
    });
    const typoDiags = await s.diagnosticsOf(main, (d) => d.length > 0);
    const actions = await s.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri: main },
      range: typoDiags[0].range,
      context: { diagnostics: typoDiags },
    });
    const fix = actions.find((a) => a.title === 'replace with `собит`');
    assert.ok(fix, JSON.stringify(actions));
    const [te] = fix.edit.changes[main];
    const lines = typo.split('\n');
    const l = lines[te.range.start.line];
    lines[te.range.start.line] = l.slice(0, te.range.start.character) + te.newText + l.slice(te.range.end.character);
    const fixed = lines.join('\n');
    assert.ok(fixed.includes('собит х = 1;'));
    await s.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: main, version: 7 },
      contentChanges: [{ text: fixed }],
    });
    assert.deepEqual(await s.diagnosticsOf(main, (d) => d.length === 0), []);

    // Document symbols and semantic tokens.
    const symbols = await s.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri: main } });
    assert.deepEqual(symbols.map((x) => x.name), ['натиҷа', 'корбар', 'х']);
    const libSymbols = await s.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri: lib } });
    assert.equal(libSymbols[0].name, 'ҷамъ');
    assert.deepEqual(libSymbols[0].children.map((x) => x.name), ['а', 'б']);
    assert.equal(libSymbols[0].range.end.line, 3, 'the whole declaration');
    const tokens = await s.conn.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri: lib } });
    const legend = caps.semanticTokensProvider.legend.tokenTypes;
    const kinds = [];
    for (let i = 0; i < tokens.data.length; i += 5) kinds.push(legend[tokens.data[i + 3]]);
    // содир функсия ҷамъ ( а : рақам …
    assert.deepEqual(kinds.slice(0, 5), ['keyword', 'keyword', 'function', 'parameter', 'type']);

    const ws = await s.conn.sendRequest('workspace/symbol', { query: 'ҷам' });
    assert.ok(ws.some((x) => x.name === 'ҷамъ' && x.location.uri === lib));
  });
});

test('messages follow the locale; a broken configuration is reported on its file', async () => {
  await session({
    'somon.config.json': '{ "compilerOptions": { "target": 5 } }',
    'a.som': 'собит х: рақам = "сатр";\n',
  }, async (s, uri, dir) => {
    await initialize(s, dir, 'ru');
    await s.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri('a.som'), languageId: 'somon', version: 1, text: 'собит х: рақам = "сатр";\n' },
    });
    const cfg = await s.diagnosticsOf(uri('somon.config.json'), (d) => d.length > 0);
    assert.match(cfg[0].code, /CONFIG/);
    const d = await s.diagnosticsOf(uri('a.som'), (x) => x.length > 0);
    assert.equal(d[0].code, 'TYPE_NOT_ASSIGNABLE');
    assert.match(d[0].message, /[а-я]/, 'Russian text');
  });
});

test('bad input never kills the server; a panic answers one request with an error', async () => {
  await session({ 'a.som': 'собит а = 1;\n' }, async (s, uri, dir) => {
    await initialize(s, dir);
    const bin = uri('bin.som');
    // Binary-ish garbage, half-typed code, a file deleted while open.
    await s.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri: bin, languageId: 'somon', version: 1, text: '\u0000\u0001\uFFFD\u{1F600}"`${' },
    });
    await s.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri('a.som'), languageId: 'somon', version: 1, text: 'собит а = 1;\n' },
    });
    fs.rmSync(path.join(dir, 'a.som'));
    await s.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri('a.som'), version: 2 },
      contentChanges: [{ range: { start: { line: 99, character: 99 }, end: { line: 0, character: 0 } }, text: 'агар (' }],
    });
    assert.ok((await s.diagnosticsOf(bin, (d) => d.length > 0)).length > 0);
    await assert.rejects(
      s.conn.sendRequest('textDocument/hover', { textDocument: { uri: uri('a.som') }, position: { line: 0, character: 7 } }),
      /internal error/,
    );
    assert.ok(s.logs.some((l) => l.type === 1 && /SOMON_INTERNAL_TEST_PANIC/.test(l.message)), JSON.stringify(s.logs));
    // Still answering.
    const symbols = await s.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri: uri('a.som') } });
    assert.ok(Array.isArray(symbols));
    // Unknown methods and requests on files it never saw.
    await assert.rejects(s.conn.sendRequest('somon/unknown', {}), /unknown request/);
    assert.equal(await s.conn.sendRequest('textDocument/definition', {
      textDocument: { uri: uri('nowhere.som') },
      position: { line: 0, character: 0 },
    }), null);
  }, { SOMON_INTERNAL_TEST_PANIC: 'lsp-hover' });
});

test('quick fixes: did-you-mean names, Latin look-alikes, a missing import', async () => {
  const text = [
    'функсия ҳисоб(а: рақам): рақам { бозгашт а; }',
    'ҳисобб(1);',
    'собит тaғ = 2;',
    'чоп.сабт(ҷамъ(1, 2));',
    '',
  ].join('\n');
  await session({ 'lib.som': LIB, 'q.som': text }, async (s, uri, dir) => {
    await initialize(s, dir, 'tg');
    const q = uri('q.som');
    await s.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri: q, languageId: 'somon', version: 1, text },
    });
    const diags = await s.diagnosticsOf(q, (d) => d.length === 3);
    const fixes = async (line) => {
      const d = diags.find((x) => x.range.start.line === line);
      assert.ok(d, `a diagnostic on line ${line}: ${JSON.stringify(diags)}`);
      const actions = await s.conn.sendRequest('textDocument/codeAction', {
        textDocument: { uri: q },
        range: d.range,
        context: { diagnostics: [d] },
      });
      return actions.map((a) => ({ title: a.title, edits: a.edit.changes[q] }));
    };
    const [mean] = await fixes(1);
    assert.equal(mean.edits[0].newText, 'ҳисоб');
    assert.match(mean.title, /ҳисоб/);
    const [look] = await fixes(2);
    assert.equal(look.edits[0].newText, 'тағ');
    const imports = await fixes(3);
    const add = imports.find((a) => a.edits[0].newText.startsWith('ворид'));
    assert.ok(add, JSON.stringify(imports));
    assert.equal(add.edits[0].newText, 'ворид { ҷамъ } аз "./lib";\n');
    assert.deepEqual(add.edits[0].range.start, { line: 0, character: 0 });
    // The title is in Tajik (the client's locale).
    assert.equal(add.title, '`ҷамъ`-ро аз "./lib" ворид кунед');
  });
});

test('packages, import completion, type definition and folding', async () => {
  const main = [
    'ворид { салом } аз "асбоб";',
    'ворид { ҷамъ } аз "./lib";',
    'синф Нуқта {',
    '  х: рақам = 0;',
    '}',
    'собит н = нав Нуқта();',
    'чоп.сабт(салом(), ҷамъ(н.х, 1));',
    '',
  ].join('\n');
  await session({
    'lib.som': LIB,
    'main.som': main,
    'node_modules/асбоб/package.json': '{ "name": "асбоб", "main": "index.js" }',
    'node_modules/асбоб/index.js': 'exports.салом = () => "салом";\n',
    'node_modules/асбоб/index.d.ts': '/** Салом мегӯяд. */\nexport declare function салом(): string;\n',
  }, async (s, uri, dir) => {
    await initialize(s, dir);
    const m = uri('main.som');
    await s.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri: m, languageId: 'somon', version: 1, text: main },
    });
    assert.deepEqual(await s.diagnosticsOf(m), []);
    // Into the package's declarations.
    const def = await s.conn.sendRequest('textDocument/definition', {
      textDocument: { uri: m },
      position: positionOf(main, 'салом()', 1),
    });
    assert.equal(def.uri, uri('node_modules/асбоб/index.d.ts'));
    assert.equal(def.range.start.line, 1);
    // On the import's string: the module.
    const mod = await s.conn.sendRequest('textDocument/definition', {
      textDocument: { uri: m },
      position: positionOf(main, './lib', 2),
    });
    assert.equal(mod.uri, uri('lib.som'));
    // Type definition of an instance: its class.
    const td = await s.conn.sendRequest('textDocument/typeDefinition', {
      textDocument: { uri: m },
      position: positionOf(main, 'н =', 0),
    });
    assert.deepEqual(td?.range.start, positionOf(main, 'Нуқта {'));
    // Import paths inside the string, exported names inside the braces.
    const typing = main + 'ворид { } аз "./';
    await s.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: m, version: 2 },
      contentChanges: [{ text: typing }],
    });
    const paths = await s.conn.sendRequest('textDocument/completion', {
      textDocument: { uri: m },
      position: { line: 7, character: 'ворид { } аз "./'.length },
    });
    assert.ok(paths.some((i) => i.label === 'lib'), JSON.stringify(paths.map((i) => i.label)));
    const names = await s.conn.sendRequest('textDocument/completion', {
      textDocument: { uri: m },
      position: { line: 7, character: 'ворид { '.length },
    });
    assert.ok(names.some((i) => i.label === 'ҷамъ' && i.detail === './lib'), JSON.stringify(names));
    // Folding: the class body.
    const folds = await s.conn.sendRequest('textDocument/foldingRange', { textDocument: { uri: m } });
    assert.ok(folds.some((f) => f.startLine === 2 && f.endLine === 3), JSON.stringify(folds));
  });
});

test('files changed on disk: watchers are registered and a created module is found', async () => {
  const main = 'ворид { ҷамъ } аз "./нав";\nчоп.сабт(ҷамъ(1, 2));\n';
  await session({ 'main.som': main }, async (s, uri, dir) => {
    const registrations = [];
    s.conn.onRequest('client/registerCapability', (p) => {
      registrations.push(...p.registrations);
      return null;
    });
    await s.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(dir).href,
      capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } },
    });
    await s.conn.sendNotification('initialized', {});
    const m = uri('main.som');
    await s.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri: m, languageId: 'somon', version: 1, text: main },
    });
    const missing = await s.diagnosticsOf(m, (d) => d.length > 0);
    assert.equal(missing[0].code, 'MODULE_NOT_FOUND');
    assert.ok(registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles'), JSON.stringify(registrations));
    fs.writeFileSync(path.join(dir, 'нав.som'), LIB);
    await s.conn.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('нав.som'), type: 1 }],
    });
    assert.deepEqual(await s.diagnosticsOf(m, (d) => d.length === 0), []);
  });
});

test('formatting and range formatting answer with what somon fmt prints; the editor setting of the language wins', async () => {
  const text = 'тағ а=1\nтағ б = 2;\nтағ в=3\n';
  await session({
    'somon.config.json': '{ "compilerOptions": { "lang": "en" }, "format": { "indentWidth": 4 } }',
    'a.som': text,
    'b.som': 'агар (1 > 0) {\nчоп.сабт(1)\n}\nсобит х: рақам = "сатр";\n',
  }, async (s, uri, dir) => {
    const init = await initialize(s, dir, 'en', { lang: 'tj' });
    assert.equal(init.capabilities.documentFormattingProvider, true);
    assert.equal(init.capabilities.documentRangeFormattingProvider, true);
    await s.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri('a.som'), languageId: 'somon', version: 1, text },
    });
    const options = { tabSize: 2, insertSpaces: true };
    const whole = await s.conn.sendRequest('textDocument/formatting', { textDocument: { uri: uri('a.som') }, options });
    const lines = text.split('\n');
    const applied = [...whole]
      .sort((x, y) => y.range.start.line - x.range.start.line)
      .reduce((ls, e) => {
        const inserted = e.newText.split('\n').slice(0, -1);
        ls.splice(e.range.start.line, e.range.end.line - e.range.start.line, ...inserted);
        return ls;
      }, lines.slice())
      .join('\n');
    const cli = spawnSync(process.execPath, [cliPath, 'fmt', '--stdin'], { cwd: dir, input: text, encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    assert.equal(applied, cli.stdout);
    const ranged = await s.conn.sendRequest('textDocument/rangeFormatting', {
      textDocument: { uri: uri('a.som') },
      range: { start: { line: 2, character: 0 }, end: { line: 2, character: 7 } },
      options,
    });
    assert.deepEqual(ranged.map((e) => [e.range.start.line, e.range.end.line, e.newText]), [[2, 3, 'тағ в = 3;\n']]);
    // The configuration's indentWidth applies.
    await s.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri('b.som'), languageId: 'somon', version: 1, text: 'агар (1 > 0) {\nчоп.сабт(1)\n}\nсобит х: рақам = "сатр";\n' },
    });
    const b = await s.conn.sendRequest('textDocument/formatting', { textDocument: { uri: uri('b.som') }, options });
    assert.ok(b.some((e) => e.newText.includes('    чоп.сабт(1);')), JSON.stringify(b));
    // initializationOptions.lang (tj) wins over the configuration's en.
    const d = await s.diagnosticsOf(uri('b.som'), (x) => x.length > 0);
    assert.equal(d[0].code, 'TYPE_NOT_ASSIGNABLE');
    assert.match(d[0].message, /[ӣӯқғҳҷ]/, 'Tajik text');
    // A program with syntax errors gets no edits.
    await s.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri('a.som'), version: 2 },
      contentChanges: [{ text: 'тағ = = ;\n' }],
    });
    const none = await s.conn.sendRequest('textDocument/formatting', { textDocument: { uri: uri('a.som') }, options });
    assert.equal(none, null);
  });
});

/** Replaces the whole text of an open buffer. */
async function setText(s, uri, version, text) {
  await s.conn.sendNotification('textDocument/didChange', {
    textDocument: { uri, version },
    contentChanges: [{ text }],
  });
}

test('the project graph follows edits of imports, files created and deleted on disk, and configuration edits', async () => {
  const main = 'чоп.сабт(1);\n';
  await session({ 'main.som': main, 'src/lib.som': LIB }, async (s, uri, dir) => {
    await initialize(s, dir);
    const m = uri('main.som');
    await s.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri: m, languageId: 'somon', version: 1, text: main },
    });
    assert.deepEqual(await s.diagnosticsOf(m), []);
    const notFound = (d) => d.length === 1 && d[0].code === 'MODULE_NOT_FOUND';
    const none = (d) => d.length === 0;

    // An import added to the open file: of a missing module, an error.
    const withImport = 'ворид { ҷамъ } аз "./нав";\nчоп.сабт(ҷамъ(1, 2));\n';
    await setText(s, m, 2, withImport);
    await s.diagnosticsOf(m, notFound);
    // Changed to a module that exists: cleared, and its types are used.
    await setText(s, m, 3, 'ворид { ҷамъ } аз "./src/lib";\nсобит х: сатр = ҷамъ(1, 2);\n');
    const mismatch = await s.diagnosticsOf(m, (d) => d.length === 1 && d[0].code === 'TYPE_NOT_ASSIGNABLE');
    // The related information is the declaration the value comes from.
    assert.equal(mismatch[0].relatedInformation?.[0]?.location.uri, uri('src/lib.som'), JSON.stringify(mismatch));
    await setText(s, m, 4, withImport);
    await s.diagnosticsOf(m, notFound);

    // The missing file created on disk: cleared; deleted again: back.
    fs.writeFileSync(path.join(dir, 'нав.som'), LIB);
    await s.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('нав.som'), type: 1 }] });
    await s.diagnosticsOf(m, none);
    fs.rmSync(path.join(dir, 'нав.som'));
    await s.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('нав.som'), type: 3 }] });
    await s.diagnosticsOf(m, notFound);

    // The import removed: cleared.
    await setText(s, m, 5, main);
    await s.diagnosticsOf(m, none);

    // An alias of `resolution.paths`: unknown until the configuration
    // (an open buffer, not saved) declares it.
    await setText(s, m, 6, 'ворид { ҷамъ } аз "@lib/lib";\nчоп.сабт(ҷамъ(1, 2));\n');
    await s.diagnosticsOf(m, notFound);
    const cfg = uri('somon.config.json');
    const config = '{ "resolution": { "baseUrl": ".", "paths": { "@lib/*": ["src/*"] } } }\n';
    await s.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri: cfg, languageId: 'json', version: 1, text: config },
    });
    await s.diagnosticsOf(m, none);
    // The alias changed in the buffer: not found again.
    await setText(s, cfg, 2, config.replace('src/*', 'нест/*'));
    await s.diagnosticsOf(m, notFound);
  });
});

test('rename through `чун` aliases and of class members across files', async () => {
  const lib = [
    'функсия ҷамъ(а: рақам, б: рақам): рақам {',
    '  бозгашт а + б;',
    '}',
    'содир { ҷамъ чун ҳисоб };',
    'содир синф Ҳисобгар {',
    '  натиҷа: рақам = 0;',
    '  илова(н: рақам): рақам {',
    '    ин.натиҷа = ин.натиҷа + н;',
    '    бозгашт ин.натиҷа;',
    '  }',
    '}',
    '',
  ].join('\n');
  const main = [
    'ворид { ҳисоб чун ҳ, Ҳисобгар } аз "./lib";',
    'ворид { ҳисоб } аз "./lib";',
    'собит г = нав Ҳисобгар();',
    'г.илова(ҳ(1, 2));',
    'чоп.сабт(г.натиҷа, ҳисоб(3, 4));',
    'собит объект = { натиҷа: 1 };',
    'чоп.сабт(объект.натиҷа);',
    '',
  ].join('\n');
  await session({ 'lib.som': lib, 'main.som': main }, async (s, uri, dir) => {
    await initialize(s, dir);
    const l = uri('lib.som');
    const m = uri('main.som');
    for (const [u, text] of [[l, lib], [m, main]]) {
      await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: u, languageId: 'somon', version: 1, text } });
    }
    assert.deepEqual(await s.diagnosticsOf(m), []);
    const rename = (u, text, needle, shift, nth, newName) =>
      s.conn.sendRequest('textDocument/rename', {
        textDocument: { uri: u },
        position: positionOf(text, needle, shift, nth),
        newName,
      });
    const spelled = (edit, u, text) =>
      (edit.changes[u] ?? []).map((e) => {
        const line = text.split('\n')[e.range.start.line];
        return line.slice(e.range.start.character, e.range.end.character);
      });

    // The exported name `ҳисоб` (renamed from main.som, where one import
    // uses it as it is and one under `ҳ`): the export's alias in lib.som,
    // the plain import and its use; `ҳ` and its use stay, only the name
    // it imports changes.
    const e1 = await rename(m, main, 'ҳисоб(3', 0, 0, 'ҳисобкун');
    assert.deepEqual(spelled(e1, l, lib), ['ҳисоб'], JSON.stringify(e1));
    assert.deepEqual(spelled(e1, m, main).sort(), ['ҳисоб', 'ҳисоб', 'ҳисоб'], JSON.stringify(e1));
    const mainLines = e1.changes[m].map((e) => e.range.start.line).sort();
    assert.deepEqual(mainLines, [0, 1, 4]);

    // The local alias `ҳ`: this file only.
    const e2 = await rename(m, main, 'ҳ(1', 0, 0, 'ҳҳ');
    assert.deepEqual(Object.keys(e2.changes), [m]);
    assert.deepEqual(e2.changes[m].map((e) => e.range.start.line), [0, 3]);

    // The declaration `ҷамъ` exported under another name: lib.som only.
    const e3 = await rename(l, lib, 'ҷамъ(', 0, 0, 'ҷамъкун');
    assert.deepEqual(Object.keys(e3.changes), [l]);
    assert.deepEqual(e3.changes[l].map((e) => e.range.start.line), [0, 3]);

    // A field of a class: its declaration, `ин.натиҷа` in the class and
    // `г.натиҷа` in main.som; an object's own `натиҷа` stays.
    const e4 = await rename(m, main, 'г.натиҷа', 2, 0, 'ҳосил');
    assert.deepEqual(e4.changes[l].map((e) => e.range.start.line), [5, 7, 7, 8], JSON.stringify(e4));
    assert.deepEqual(e4.changes[m].map((e) => e.range.start.line), [4], JSON.stringify(e4));
    // A method, from its declaration.
    const e5 = await rename(l, lib, 'илова(', 0, 0, 'зам');
    assert.deepEqual(e5.changes[l].map((e) => e.range.start.line), [6]);
    assert.deepEqual(e5.changes[m].map((e) => e.range.start.line), [3]);

    // Keywords and invalid names are refused with a message that says so.
    await assert.rejects(rename(m, main, 'г.натиҷа', 2, 0, 'бозгашт'), /keyword/);
    await assert.rejects(rename(m, main, 'ҳ(1', 0, 0, 'а-б'), /cannot rename to `а-б`/);
  });
});

test('completion offers keywords only where they may stand; signature help counts arguments on tokens', async () => {
  const base = 'функсия ф(а: рақам, б: сатр, в: рақам): рақам {\n  бозгашт а;\n}\nсобит объект = { ном: "Алӣ" };\n';
  await session({ 'main.som': base }, async (s, uri, dir) => {
    await initialize(s, dir);
    const m = uri('main.som');
    await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: m, languageId: 'somon', version: 1, text: base } });
    await s.diagnosticsOf(m);
    let version = 1;
    const complete = async (typed) => {
      const text = base + typed.replace('|', '');
      await setText(s, m, ++version, text);
      const at = positionOf(text, typed.replace('|', ''), typed.indexOf('|'));
      const items = await s.conn.sendRequest('textDocument/completion', { textDocument: { uri: m }, position: at });
      return items.filter((i) => i.kind === 14).map((i) => i.label);
    };
    // Where a statement starts: statement keywords.
    const statement = await complete('|');
    assert.ok(statement.includes('агар') && statement.includes('собит') && statement.includes('бозгашт'), statement.join(' '));
    // Inside an expression: only keywords that start an operand.
    const operand = await complete('собит х = |');
    assert.ok(operand.includes('нав') && operand.includes('дуруст'), operand.join(' '));
    assert.ok(!operand.includes('агар') && !operand.includes('собит'), operand.join(' '));
    // After an operand: only words between operands.
    assert.deepEqual((await complete('собит у = объект |')).sort(), ['дар', 'намунаи', 'чун'].sort());
    // Where a type starts: type names.
    const type = await complete('тағ т: |');
    assert.ok(type.includes('рақам') && type.includes('мантиқӣ') && !type.includes('агар'), type.join(' '));
    // After `.`: members, no keywords.
    assert.deepEqual(await complete('объект.|'), []);
    // A keyword in a string is not a place for keywords.
    const inCall = await complete('ф(1, "агар, (", |');
    assert.ok(!inCall.includes('агар') && inCall.includes('нав'), inCall.join(' '));

    // Signature help: commas in strings, templates and brackets are not
    // arguments.
    const help = async (typed) => {
      const text = base + typed;
      await setText(s, m, ++version, text);
      const at = positionOf(text, typed, typed.length);
      return s.conn.sendRequest('textDocument/signatureHelp', { textDocument: { uri: m }, position: at });
    };
    assert.equal((await help('ф(1, "а, б", ')).activeParameter, 2);
    assert.equal((await help('ф([1, 2].length, `${1, 2}`')).activeParameter, 1);
    assert.equal((await help('ф(1, /* , */ ')).activeParameter, 1);
    const inner = await help('ф(1, String(1, ');
    assert.match(inner?.signatures?.[0]?.label ?? 'ф', /^(?!ф\()/, 'the innermost call');
    assert.equal((await help('ф(ф(1, "", 2), ')).activeParameter, 1);
  });
});
