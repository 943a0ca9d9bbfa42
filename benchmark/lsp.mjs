// Language-server benchmark: drives `somon lsp` (through bin/somon.js, so
// with whichever addon is built: `npm run bench:lsp` builds the release
// one first) over stdio, as an editor does, and prints three figures.
// Nothing is asserted.
//
// 1. Diagnostics latency after an edit in a 5,000-line file: time from
//    sending `didChange` to receiving that file's `publishDiagnostics`
//    (each edit adds or removes one type error, so every edit changes the
//    diagnostics; the figure includes the server's 10 ms debounce). The
//    server's own stage times (`initializationOptions.timings`) are
//    printed beside it.
// 2. First hover on a 1,000-module project: from `initialize` to the
//    answer of the first hover in the last module of an import chain
//    (the server reads and checks the whole workspace first).
// 3. Memory over 10,000 edits: the server process's resident set size
//    (VmRSS, Linux) after every 1,000 incremental edits.
//
// `node benchmark/lsp.mjs --latency` measures the first figure only.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import rpc from 'vscode-jsonrpc/node.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'bin', 'somon.js');

function server(dir) {
  const child = spawn(process.execPath, [cli, 'lsp', '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const listeners = new Set();
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    for (const l of listeners) l(p);
  });
  const timings = [];
  conn.onNotification('window/logMessage', (p) => {
    if (p.message.startsWith('somon lsp timings:')) timings.push(p.message);
  });
  conn.listen();
  return {
    child,
    conn,
    timings,
    nextDiagnostics(uri) {
      return new Promise((resolve) => {
        const l = (p) => {
          if (p.uri === uri) {
            listeners.delete(l);
            resolve(p.diagnostics);
          }
        };
        listeners.add(l);
      });
    },
    async init(dir, initializationOptions = undefined) {
      await conn.sendRequest('initialize', {
        processId: process.pid,
        rootUri: pathToFileURL(dir).href,
        workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'bench' }],
        capabilities: {},
        initializationOptions,
      });
      await conn.sendNotification('initialized', {});
    },
    async stop() {
      await conn.sendRequest('shutdown');
      await conn.sendNotification('exit');
      await new Promise((r) => child.once('exit', r));
      conn.dispose();
    },
  };
}

function rssMiB(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return kb / 1024;
  } catch {
    return NaN;
  }
}

function tempDir() {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'somon-lsp-bench-')));
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function latency() {
  const dir = tempDir();
  const lines = [];
  for (let i = 0; lines.length < 5000; i++) {
    lines.push(
      `функсия ҳисоб${i}(а: рақам, б: рақам): рақам {`,
      `  собит ҷамъ = а + б * ${i};`,
      `  бозгашт ҷамъ > 10 ? ҷамъ : ${i};`,
      '}',
      `собит натиҷа${i}: рақам = ҳисоб${i}(${i}, 2);`,
    );
  }
  const text = lines.join('\n') + '\n';
  const file = path.join(dir, 'калон.som');
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const s = server(dir);
  await s.init(dir, { timings: true });
  let first = s.nextDiagnostics(uri);
  await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'somon', version: 1, text } });
  await first;
  const mid = 2504; // a `собит натиҷа…` line in the middle
  const original = lines[mid];
  const times = [];
  for (let i = 0; i < 20; i++) {
    const broken = i % 2 === 0;
    const newLine = broken ? original.replace(': рақам =', ': сатр =') : original;
    const oldLine = broken ? original : original.replace(': рақам =', ': сатр =');
    const got = s.nextDiagnostics(uri);
    const t0 = performance.now();
    await s.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: i + 2 },
      contentChanges: [{ range: { start: { line: mid, character: 0 }, end: { line: mid, character: oldLine.length } }, text: newLine }],
    });
    await got;
    times.push(performance.now() - t0);
  }
  // Give the last pass's timing line time to arrive.
  await s.conn.sendRequest('workspace/symbol', { query: 'натиҷа0' });
  await s.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  // The edits' passes (not the first one, after opening): each stage's
  // median.
  const stages = new Map();
  for (const line of s.timings.slice(1)) {
    for (const [, name, ms] of line.matchAll(/ ([a-z]+) ([0-9.]+) ms/g)) {
      if (!stages.has(name)) stages.set(name, []);
      stages.get(name).push(Number(ms));
    }
  }
  const serverStages = [...stages].map(([name, xs]) => `${name} ${pct(xs, 50).toFixed(1)}`).join(', ');
  return { lines: lines.length, median: pct(times, 50), p90: pct(times, 90), server: serverStages || '(no timings from this server)' };
}

async function firstHover() {
  const dir = tempDir();
  const n = 1000;
  for (let i = 0; i < n; i++) {
    const prev = i === 0 ? '' : `ворид { қимат${i - 1} } аз "./м${i - 1}";\n`;
    const body = i === 0 ? '1' : `қимат${i - 1}() + 1`;
    fs.writeFileSync(
      path.join(dir, `м${i}.som`),
      `${prev}// Қимати модули ${i}.\nсодир функсия қимат${i}(): рақам {\n  бозгашт ${body};\n}\n`,
    );
  }
  const last = path.join(dir, `м${n - 1}.som`);
  const text = fs.readFileSync(last, 'utf8');
  const uri = pathToFileURL(last).href;
  const t0 = performance.now();
  const s = server(dir);
  await s.init(dir);
  await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'somon', version: 1, text } });
  const hover = await s.conn.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position: { line: 3, character: 12 },
  });
  const ms = performance.now() - t0;
  await s.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  return { modules: n, ms, answered: Boolean(hover) };
}

async function memory() {
  const dir = tempDir();
  const lines = [];
  for (let i = 0; i < 200; i++) lines.push(`собит қ${i}: рақам = ${i} + 1;`);
  const text = lines.join('\n') + '\n';
  const file = path.join(dir, 'хотира.som');
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const s = server(dir);
  await s.init(dir);
  await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'somon', version: 1, text } });
  await s.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
  const samples = [[0, rssMiB(s.child.pid)]];
  for (let i = 1; i <= 10000; i++) {
    // Type one digit into a number, or take it out again.
    const line = i % 200;
    const at = lines[line].indexOf('+ 1') + 2;
    const typing = i % 2 === 1;
    await s.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: i + 1 },
      contentChanges: [
        typing
          ? { range: { start: { line, character: at }, end: { line, character: at } }, text: '7' }
          : { range: { start: { line: (i - 1) % 200, character: lines[(i - 1) % 200].indexOf('+ 1') + 2 }, end: { line: (i - 1) % 200, character: lines[(i - 1) % 200].indexOf('+ 1') + 3 } }, text: '' },
      ],
    });
    if (i % 100 === 0) {
      // A request after a batch of edits: the server has applied them all
      // (and analysed the text) before it answers.
      await s.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 7 } });
    }
    if (i % 1000 === 0) samples.push([i, rssMiB(s.child.pid)]);
  }
  await s.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  return samples;
}

// `--latency`: only the first figure (for `perf record` of the server).
const only = process.argv.includes('--latency');
const l = await latency();
console.log(`diagnostics after an edit in a ${l.lines}-line file: median ${l.median.toFixed(1)} ms, p90 ${l.p90.toFixed(1)} ms (20 edits, 10 ms debounce included)`);
console.log(`  the server's stages (median ms): ${l.server}; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
if (only) process.exit(0);
const h = await firstHover();
console.log(`first hover on a ${h.modules}-module project (start → answer): ${h.ms.toFixed(0)} ms${h.answered ? '' : ' (no hover!)'}`);
const m = await memory();
console.log('server RSS over 10,000 edits (edits → MiB):');
for (const [i, mib] of m) console.log(`  ${String(i).padStart(6)}  ${mib.toFixed(1)}`);
