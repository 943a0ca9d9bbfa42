// A headless Chromium for tests that must run a bundle in a real browser
// page. No npm package: Chromium itself loads the page (`--dump-dom` after
// the page settles, with `--virtual-time-budget` so module and `import()`
// fetches finish), and a small script that runs before the page's modules
// copies every console call and uncaught error into the document, where
// the dumped DOM carries them back.
//
//   const chromium = findChromium();            // { path } or { skip: reason }
//   const { console, errors } = await runPage(chromium.path, dir, 'dist/app.js');
//
// findChromium looks for `chromium`, `chromium-browser`, `google-chrome`
// (or SOMON_TEST_CHROMIUM) on the PATH; when there is none, it installs
// Debian's `chromium` with apt-get if it runs as root with apt available
// (SOMON_TEST_NO_BROWSER_INSTALL=1 turns that off). When no Chromium can
// be had, the reason is returned so the test skips visibly.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const full = path.join(dir, name);
    try {
      fs.accessSync(full, fs.constants.X_OK);
      return full;
    } catch {
      // not here
    }
  }
  return null;
}

function find() {
  const chosen = process.env.SOMON_TEST_CHROMIUM;
  if (chosen) return fs.existsSync(chosen) ? chosen : onPath(chosen);
  for (const name of NAMES) {
    const found = onPath(name);
    if (found) return found;
  }
  return null;
}

/** A Chromium to run, or why there is none. */
export function findChromium() {
  let found = find();
  if (found) return { path: found };
  if (process.platform !== 'linux') return { skip: 'no Chromium on the PATH (chromium, chromium-browser, google-chrome)' };
  if (process.env.SOMON_TEST_NO_BROWSER_INSTALL === '1') {
    return { skip: 'no Chromium on the PATH and SOMON_TEST_NO_BROWSER_INSTALL=1' };
  }
  if (process.getuid?.() !== 0) return { skip: 'no Chromium on the PATH, and not root to install it with apt-get' };
  if (!onPath('apt-get')) return { skip: 'no Chromium on the PATH and no apt-get to install it' };
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { env, encoding: 'utf8', timeout: 15 * 60_000 });
  let r = install();
  if (r.status !== 0) {
    // The package lists may be missing (a fresh container): once more after an update.
    spawnSync('apt-get', ['update'], { env, encoding: 'utf8', timeout: 5 * 60_000 });
    r = install();
  }
  found = find();
  if (found) return { path: found };
  const why = (r.stderr || r.stdout || String(r.error ?? '')).trim().split('\n').slice(-2).join(' ');
  return { skip: `no Chromium on the PATH and apt-get install chromium failed: ${why}` };
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** Serves `dir` on 127.0.0.1 (a free port); `page` is served at `/`. */
export async function serve(dir, page) {
  const root = path.resolve(dir);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': TYPES['.html'] });
      res.end(page);
      return;
    }
    const file = path.join(root, decodeURIComponent(url.pathname));
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(resolve)) };
}

// Runs before the page's modules: console calls and uncaught errors become
// lines of <pre id="somon-console"> and <pre id="somon-errors">.
const CAPTURE = `
(() => {
  const box = (id) => {
    let el = document.getElementById(id);
    if (!el) { el = document.createElement('pre'); el.id = id; document.documentElement.appendChild(el); }
    return el;
  };
  const show = (v) => (typeof v === 'string' ? v : (() => { try { return JSON.stringify(v); } catch { return String(v); } })());
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    const original = console[level].bind(console);
    console[level] = (...args) => {
      box('somon-console').append(args.map(show).join(' ') + '\\n');
      original(...args);
    };
  }
  addEventListener('error', (e) => box('somon-errors').append(String(e.message) + '\\n'));
  addEventListener('unhandledrejection', (e) => box('somon-errors').append('unhandled rejection: ' + String(e.reason && e.reason.message || e.reason) + '\\n'));
})();
`;

function lines(dom, id) {
  const m = dom.match(new RegExp(`<pre id="${id}">([\\s\\S]*?)</pre>`));
  if (!m) return [];
  const text = m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  return text.split('\n').filter((l) => l.length > 0);
}

/**
 * Serves `dir`, loads a page whose only script is
 * `<script type="module" src="/<script>">` in headless Chromium, and
 * returns what the page printed (`console`) and its uncaught errors
 * (`errors`).
 */
export async function runPage(chromium, dir, script, { budgetMs = 5000, timeoutMs = 60_000 } = {}) {
  const page = `<!doctype html><html><head><meta charset="utf-8"><script>${CAPTURE}</script></head><body><script type="module" src="/${script}"></script></body></html>`;
  const server = await serve(dir, page);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'somon-chromium-'));
  try {
    const args = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--no-default-browser-check',
      `--user-data-dir=${profile}`,
      `--virtual-time-budget=${budgetMs}`,
      '--dump-dom',
      server.url,
    ];
    const child = spawn(chromium, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const code = await new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('close', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    if (code !== 0 && !stdout) throw new Error(`chromium exited with ${code}: ${stderr.split('\n').slice(-5).join('\n')}`);
    return { console: lines(stdout, 'somon-console'), errors: lines(stdout, 'somon-errors'), dom: stdout };
  } finally {
    await server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}
