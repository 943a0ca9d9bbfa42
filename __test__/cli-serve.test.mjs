// `somon serve` / `bundle --watch` as deployment tooling sees them: the
// management endpoint, JSON logs, the circuit breaker, graceful shutdown,
// and resources that level out over many rebuilds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { cliPath, runCli, scratch } from './helpers.mjs';

/** A running `somon …` service whose JSON log lines are parsed as they come. */
class Service {
  constructor(args, cwd, env = {}) {
    this.logs = [];
    this.badLines = [];
    this.stdout = '';
    this.child = spawn(process.execPath, [cliPath, ...args, '--log-format', 'json'], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', LANG: 'C.UTF-8', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let pending = '';
    this.child.stderr.on('data', (d) => {
      pending += d;
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        try {
          this.logs.push(JSON.parse(line));
        } catch {
          this.badLines.push(line);
        }
      }
    });
    this.child.stdout.on('data', (d) => (this.stdout += d));
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
    );
  }

  /** Waits (15 s at most) for a log record matching `pred`. */
  async log(pred, what, from = 0) {
    const end = Date.now() + 15000;
    while (Date.now() < end) {
      const hit = this.logs.slice(from).find(pred);
      if (hit) return hit;
      if (this.child.exitCode !== null) break;
      await sleep(20);
    }
    assert.fail(`timed out waiting for ${what}; logs:\n${JSON.stringify(this.logs, null, 1)}\n${this.badLines.join('\n')}`);
  }

  async port() {
    const listening = await this.log((l) => l.message === 'management endpoint listening', 'the endpoint');
    return Number(listening.fields.address.split(':').pop());
  }

  count(message) {
    return this.logs.filter((l) => l.message === message).length;
  }

  stop() {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }
}

/** GET with an optional Host header; resolves { status, headers, body }. */
function get(port, pathname, host = `127.0.0.1:${port}`, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathname, method, headers: { Host: host } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function getJson(port, pathname) {
  const r = await get(port, pathname);
  return { ...r, json: JSON.parse(r.body) };
}

/**
 * Parses Prometheus text format 0.0.4: `# HELP`/`# TYPE` lines and samples
 * `name{label="value",…} number`. Throws on any other line.
 */
function parsePrometheus(text) {
  const samples = [];
  const types = new Map();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    let m;
    if ((m = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line))) {
      types.set(m[1], m[2]);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$/.test(line)) continue;
    m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.e+-]+|\+Inf|NaN)$/.exec(line);
    if (!m) throw new Error(`not Prometheus text: ${JSON.stringify(line)}`);
    const labels = {};
    if (m[3]) {
      const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/gy;
      let l;
      let consumed = 0;
      while ((l = re.exec(m[3]))) {
        labels[l[1]] = l[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
        consumed = re.lastIndex;
      }
      if (consumed !== m[3].length) throw new Error(`bad labels: ${line}`);
    }
    samples.push({ name: m[1], labels, value: Number(m[4]) });
  }
  return { samples, types };
}

function metric(parsed, name, labels = {}) {
  const s = parsed.samples.find(
    (x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v),
  );
  return s?.value;
}

test('serve: /ready goes 503 → 200, /health and /metrics follow the builds, foreign Hosts are refused, SIGTERM drains', async () => {
  const dir = scratch({
    'src/main.som': 'ворид { салом } аз "./салом";\nчоп.сабт(салом("ҷаҳон"));\nтағ = ;\n',
    'src/салом.som': 'содир функсия салом(ном: сатр): сатр { бозгашт "салом " + ном; }\n',
  });
  const svc = new Service(['serve', 'src/main.som', '-o', 'dist/app.js', '--management-port', '0'], dir);
  try {
    const port = await svc.port();
    // The first build fails (a syntax error): not ready, with the reason.
    await svc.log((l) => l.message === 'build failed', 'the failing first build');
    let ready = await getJson(port, '/ready');
    assert.equal(ready.status, 503);
    assert.deepEqual(ready.json, { ready: false, reason: 'no build has succeeded yet' });
    assert.match(svc.stdout, /error\[SYNTAX\]/, 'diagnostics are the build report, on stdout');
    const before = (await getJson(port, '/health')).json;
    assert.equal(before.lastBuild.result, 'failure');
    assert.equal(before.errorCount, 1);
    assert.equal(before.status, 'degraded');

    // Fix it: ready, and the bundle runs.
    const mark = svc.logs.length;
    fs.writeFileSync(path.join(dir, 'src/main.som'), 'ворид { салом } аз "./салом";\nчоп.сабт(салом("ҷаҳон"));\n');
    await svc.log((l) => l.message === 'build succeeded', 'the fixed build', mark);
    ready = await getJson(port, '/ready');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.json, { ready: true });
    const after = (await getJson(port, '/health')).json;
    assert.equal(after.status, 'ok');
    assert.equal(after.modules, 2);
    assert.equal(after.lastBuild.result, 'success');
    assert.notEqual(after.lastBuild.startedAt, before.lastBuild.startedAt);
    assert.ok(after.uptimeSeconds >= before.uptimeSeconds);
    assert.ok(after.memory.rssBytes > 1_000_000 && after.memory.heapBytes > 0, JSON.stringify(after.memory));
    assert.equal(after.version, JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url))).version);

    // A new import: one more module, now watched.
    const mark2 = svc.logs.length;
    fs.writeFileSync(path.join(dir, 'src/нав.som'), 'содир тағ ҳафт = 7;\n');
    fs.writeFileSync(
      path.join(dir, 'src/main.som'),
      'ворид { салом } аз "./салом";\nворид { ҳафт } аз "./нав";\nчоп.сабт(салом("ҷаҳон"), ҳафт);\n',
    );
    const rebuilt = await svc.log((l) => l.message === 'build succeeded' && l.fields.modules === 3, 'the 3-module build', mark2);
    assert.ok(rebuilt.fields.compiled >= 1 && rebuilt.fields.compiled < 3, `only changed modules are recompiled: ${JSON.stringify(rebuilt.fields)}`);
    const health = (await getJson(port, '/health')).json;
    assert.equal(health.modules, 3);
    assert.equal(health.watchedFiles, 3);

    // Metrics parse, and the counters match the builds performed.
    const m = await get(port, '/metrics');
    assert.equal(m.status, 200);
    assert.match(m.headers['content-type'], /^text\/plain; version=0\.0\.4/);
    const parsed = parsePrometheus(m.body);
    const succeeded = svc.count('build succeeded');
    const failed = svc.count('build failed');
    assert.equal(metric(parsed, 'somon_builds_total', { result: 'success' }), succeeded);
    assert.equal(metric(parsed, 'somon_builds_total', { result: 'failure' }), failed);
    assert.equal(metric(parsed, 'somon_build_duration_seconds_count'), succeeded + failed);
    assert.equal(metric(parsed, 'somon_build_duration_seconds_bucket', { le: '+Inf' }), succeeded + failed);
    assert.equal(metric(parsed, 'somon_errors_total', { code: 'SYNTAX' }), 1);
    assert.equal(metric(parsed, 'somon_watched_files'), 3);
    assert.equal(metric(parsed, 'somon_modules'), 3);
    assert.equal(parsed.types.get('somon_build_duration_seconds'), 'histogram');
    assert.equal(parsed.types.get('somon_builds_total'), 'counter');
    assert.ok(metric(parsed, 'somon_process_resident_memory_bytes') > 1_000_000);
    const compiledLogged = svc.logs.filter((l) => l.message.startsWith('build ') && 'compiled' in l.fields).reduce((n, l) => n + l.fields.compiled, 0);
    assert.equal(metric(parsed, 'somon_modules_compiled_total'), compiledLogged);

    // DNS rebinding: a foreign Host is refused; only GET/HEAD; no CORS.
    const foreign = await get(port, '/health', 'attacker.example:80');
    assert.equal(foreign.status, 403);
    assert.equal((await get(port, '/health', `localhost:${port}`)).status, 200);
    assert.equal((await get(port, '/health', `127.0.0.1:${port}`, 'POST')).status, 405);
    assert.equal((await get(port, '/config')).status, 404);
    for (const r of [foreign, await get(port, '/health')]) {
      assert.ok(!Object.keys(r.headers).some((h) => h.startsWith('access-control')), JSON.stringify(r.headers));
    }
    await svc.log((l) => l.message.startsWith('management request refused') && l.fields.host === 'attacker.example:80', 'the refusal log');

    // Every log line was JSON with the fixed fields.
    assert.deepEqual(svc.badLines, []);
    for (const l of svc.logs) {
      assert.deepEqual(Object.keys(l), ['timestamp', 'level', 'target', 'message', 'fields']);
      assert.match(l.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    const built = svc.logs.find((l) => l.message === 'build succeeded');
    assert.equal(typeof built.fields.duration_ms, 'number');
    assert.equal(typeof built.fields.modules, 'number');

    const { code } = await svc.stop();
    assert.equal(code, 0);
    await svc.log((l) => l.message === 'shutdown complete', 'the shutdown log');
    await assert.rejects(get(port, '/health'), /ECONNREFUSED/);
  } finally {
    await svc.stop();
  }
});

/** A chain of `n` modules, each with a loop, importing the next. */
function chainProject(n) {
  const files = {};
  for (let i = 0; i < n; i++) {
    const next = i + 1 < n ? `ворид { ф${i + 1} } аз "./м${i + 1}";\n` : '';
    files[`м${i}.som`] = `${next}содир функсия ф${i}(х: рақам): рақам {\n  тағ ҷ = 0;\n  барои (тағ и = 0; и < х; и++) { ҷ += и * ${i}; }\n  бозгашт ҷ${i + 1 < n ? ` + ф${i + 1}(1)` : ''};\n}\n`;
  }
  files['main.som'] = 'ворид { ф0 } аз "./м0";\nчоп.сабт(ф0(3));\n';
  return files;
}

test('bundle --watch: editing one module of 200 recompiles that module only, in a fraction of the full build', async () => {
  const dir = scratch(chainProject(200));
  const svc = new Service(['bundle', 'main.som', '-o', 'out.js', '--watch'], dir);
  try {
    const full = await svc.log((l) => l.message === 'build succeeded', 'the full build');
    assert.equal(full.fields.modules, 201);
    assert.equal(full.fields.compiled, 201);
    const before = fs.readFileSync(path.join(dir, 'out.js'), 'utf8');
    const mark = svc.logs.length;
    fs.writeFileSync(path.join(dir, 'м150.som'), fs.readFileSync(path.join(dir, 'м150.som'), 'utf8').replace('и * 150', 'и * 1500'));
    const inc = await svc.log((l) => l.message === 'build succeeded', 'the incremental build', mark);
    assert.equal(inc.fields.compiled, 1, JSON.stringify(inc.fields));
    assert.equal(inc.fields.cache_hits, 200);
    const after = fs.readFileSync(path.join(dir, 'out.js'), 'utf8');
    assert.notEqual(after, before);
    assert.match(after, /\* 1500/);
    console.log(
      `200-module bundle: full build ${full.fields.duration_ms.toFixed(1)} ms, one-module rebuild ${inc.fields.duration_ms.toFixed(1)} ms ` +
        `(${((100 * inc.fields.duration_ms) / full.fields.duration_ms).toFixed(1)} % of the full build)`,
    );
    // Saving the same bytes again rebuilds nothing and leaves the bundle alone.
    const mtime = fs.statSync(path.join(dir, 'out.js')).mtimeMs;
    const mark2 = svc.logs.length;
    fs.writeFileSync(path.join(dir, 'м150.som'), fs.readFileSync(path.join(dir, 'м150.som'), 'utf8'));
    const same = await svc.log((l) => l.message === 'build succeeded', 'the no-op build', mark2);
    assert.equal(same.fields.compiled, 0);
    assert.equal(same.fields.written, 0);
    assert.equal(fs.statSync(path.join(dir, 'out.js')).mtimeMs, mtime);
  } finally {
    await svc.stop();
  }
});

test('SIGTERM during a build lets it finish, exits 0 within the deadline and releases the port', async () => {
  // A first build big enough to still be running when the signal comes.
  const files = chainProject(300);
  const dir = scratch(files);
  const svc = new Service(['serve', 'main.som', '--management-port', '0', '--shutdown-timeout', '20000'], dir);
  try {
    const port = await svc.port();
    await svc.log((l) => l.message === 'build started', 'the first build to start');
    const sentAt = Date.now();
    svc.child.kill('SIGTERM');
    const { code, at } = await svc.exited;
    assert.equal(code, 0, JSON.stringify(svc.logs));
    assert.ok(at - sentAt < 20000, 'within the deadline');
    const shutting = svc.logs.find((l) => l.message === 'shutting down');
    assert.equal(shutting.fields.reason, 'SIGTERM');
    assert.equal(shutting.fields.deadline_ms, 20000);
    const order = svc.logs.map((l) => l.message);
    assert.ok(order.indexOf('shutting down') < order.lastIndexOf('shutdown complete'));
    if (shutting.fields.build_in_flight) {
      // The build in flight finished before the exit.
      assert.ok(order.lastIndexOf('build succeeded') > order.indexOf('shutting down'), order.join(' | '));
    }
    await assert.rejects(get(port, '/ready'), /ECONNREFUSED/);
    // The port is free for the next service.
    await new Promise((resolve, reject) => {
      const s = net.createServer().listen(port, '127.0.0.1', () => s.close(resolve));
      s.on('error', reject);
    });
  } finally {
    await svc.stop();
  }
});

test('a second signal during the shutdown forces the exit at once', async () => {
  const dir = scratch(chainProject(1000));
  const svc = new Service(['serve', 'main.som', '--management-port', '0'], dir);
  try {
    await svc.log((l) => l.message === 'build started', 'the first build to start');
    svc.child.kill('SIGINT');
    await svc.log((l) => l.message === 'shutting down', 'the graceful shutdown to begin');
    svc.child.kill('SIGINT');
    const { code } = await svc.exited;
    // Unless the whole shutdown was already over when it came, the second
    // signal ends the process at once, with 130 and a message.
    if (code !== 0) {
      assert.equal(code, 130);
      assert.match(svc.badLines.join('\n'), /somon: SIGINT again: exiting without waiting for the shutdown to finish/);
    }
  } finally {
    await svc.stop();
  }
});

test('a taken management port is a clear error, exit 2, nothing left running', async () => {
  const blocker = net.createServer();
  await new Promise((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const { port } = blocker.address();
  const dir = scratch({ 'main.som': 'чоп.сабт(1);\n' });
  const svc = new Service(['serve', 'main.som', '--management-port', String(port)], dir);
  const { code } = await svc.exited;
  blocker.close();
  assert.equal(code, 2);
  assert.deepEqual(svc.logs, [], 'no build ran');
  assert.ok(!fs.existsSync(path.join(dir, 'main.bundle.js')));
  assert.match(svc.badLines.join('\n'), new RegExp(`error\\[MANAGEMENT_UNAVAILABLE\\]: the management endpoint cannot listen on 127\\.0\\.0\\.1:${port}`));
});

test('a source that keeps failing for I/O reasons opens its breaker, is reported, and closes after the cooldown', async () => {
  const dir = scratch({
    'src/а.som': 'чоп.сабт(1);\n',
    'src/б.som': 'чоп.сабт(2);\n',
    'somon.config.json': JSON.stringify({
      service: { circuitBreaker: { failureThreshold: 2, windowMs: 60000, cooldownMs: 1000 } },
      watch: { debounceMs: 20 },
    }),
  });
  // The output of а.som cannot be written: a folder stands where it goes.
  fs.mkdirSync(path.join(dir, 'dist', 'а.js', 'x'), { recursive: true });
  const svc = new Service(['serve', 'src', '--out-dir', 'dist', '--management-port', '0'], dir);
  try {
    const port = await svc.port();
    await svc.log((l) => l.message === 'build failed', 'the first failure');
    // A second failing build reaches the threshold.
    fs.writeFileSync(path.join(dir, 'src/а.som'), 'чоп.сабт(10);\n');
    const opened = await svc.log((l) => l.message.startsWith('circuit breaker opened'), 'the breaker to open');
    assert.equal(opened.level, 'warn');
    assert.equal(opened.fields.file, 'src/а.som');
    let health = (await getJson(port, '/health')).json;
    assert.equal(health.status, 'degraded');
    assert.equal(health.circuitBreakers.length, 1);
    assert.equal(health.circuitBreakers[0].source, 'src/а.som');
    assert.equal(health.circuitBreakers[0].state, 'open');
    let parsed = parsePrometheus((await get(port, '/metrics')).body);
    assert.equal(metric(parsed, 'somon_circuit_breaker_state', { source: 'src/а.som', state: 'open' }), 1);
    assert.equal(metric(parsed, 'somon_circuit_breakers_open'), 1);

    // While open, edits of а.som do not rebuild it; б.som still builds.
    const mark = svc.logs.length;
    fs.writeFileSync(path.join(dir, 'src/б.som'), 'чоп.сабт(20);\n');
    await svc.log((l) => l.message === 'build succeeded', 'б.som to build', mark);
    assert.match(fs.readFileSync(path.join(dir, 'dist/б.js'), 'utf8'), /console\.log\(20\)/);

    // Repair the output folder; after the cooldown one half-open attempt
    // succeeds and closes the breaker.
    fs.rmSync(path.join(dir, 'dist', 'а.js'), { recursive: true });
    await svc.log((l) => l.message.startsWith('circuit breaker half-open'), 'half-open');
    await svc.log((l) => l.message === 'circuit breaker closed', 'the breaker to close');
    assert.match(fs.readFileSync(path.join(dir, 'dist/а.js'), 'utf8'), /console\.log\(10\)/);
    health = (await getJson(port, '/health')).json;
    assert.deepEqual(health.circuitBreakers, []);
    parsed = parsePrometheus((await get(port, '/metrics')).body);
    assert.equal(metric(parsed, 'somon_circuit_breaker_transitions_total', { to: 'open' }), 1);
    assert.equal(metric(parsed, 'somon_circuit_breaker_transitions_total', { to: 'half_open' }), 1);
    assert.equal(metric(parsed, 'somon_circuit_breaker_transitions_total', { to: 'closed' }), 1);
    // Syntax errors never trip it.
    const mark2 = svc.logs.length;
    for (let i = 0; i < 3; i++) {
      fs.writeFileSync(path.join(dir, 'src/а.som'), `тағ = ${i} ;;; (\n`);
      await svc.log(() => svc.logs.slice(mark2).filter((l) => l.message === 'build failed').length > i, `syntax error build ${i}`);
    }
    assert.deepEqual((await getJson(port, '/health')).json.circuitBreakers, []);
  } finally {
    await svc.stop();
  }
});

/** Open descriptors of a process (Linux). */
function openFds(pid) {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

for (const mode of ['folder', 'bundle']) {
  test(`over many edit cycles RSS and open descriptors level out (${mode})`, async () => {
    const dir = scratch({
      'src/а.som': 'ворид { б } аз "./б";\nчоп.сабт(б(0));\n',
      'src/б.som': 'содир функсия б(х: рақам): рақам { бозгашт х * 2; }\n',
      'somon.config.json': JSON.stringify({ watch: { debounceMs: 10 } }),
    });
    const target = mode === 'folder' ? ['src', '--out-dir', 'dist'] : ['src/а.som', '-o', 'dist/а.js'];
    const svc = new Service(['serve', ...target, '--management-port', '0'], dir);
    try {
      const port = await svc.port();
      await svc.log((l) => l.message === 'build succeeded', 'the first build');
      const sample = async () => ({
        rss: (await getJson(port, '/health')).json.memory.rssBytes,
        fds: openFds(svc.child.pid),
      });
      const cycles = 100;
      let warm;
      for (let i = 1; i <= cycles; i++) {
        const mark = svc.logs.length;
        fs.writeFileSync(path.join(dir, 'src/а.som'), `ворид { б } аз "./б";\nчоп.сабт(б(${i}));\n`);
        await svc.log((l) => l.message === 'build succeeded', `rebuild ${i}`, mark);
        if (i === 30) warm = await sample();
      }
      const end = await sample();
      console.log(
        `${mode}: after 30 rebuilds rss ${(warm.rss / 2 ** 20).toFixed(1)} MiB, ${warm.fds} fds; ` +
          `after ${cycles}: rss ${(end.rss / 2 ** 20).toFixed(1)} MiB, ${end.fds} fds`,
      );
      assert.ok(end.fds <= warm.fds + 2, `descriptors grew: ${warm.fds} → ${end.fds}`);
      assert.ok(end.rss - warm.rss < 16 * 2 ** 20, `RSS grew by ${end.rss - warm.rss} bytes over ${cycles - 30} rebuilds`);
      assert.match(fs.readFileSync(path.join(dir, 'dist/а.js'), 'utf8'), new RegExp(`\\(${cycles}\\)`));
    } finally {
      await svc.stop();
    }
  });
}

test('service flags on a one-shot command are a usage error, not a service that never ends', () => {
  const dir = scratch({ 'main.som': 'чоп.сабт(1);\n' });
  for (const flag of [['--log-format', 'json'], ['--log-level', 'debug'], ['--shutdown-timeout', '5000']]) {
    const r = runCli(['bundle', 'main.som', ...flag], { cwd: dir });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`error\\[USAGE\\]: ${flag[0]} is for the long-running commands: add --watch`));
  }
  assert.ok(!fs.existsSync(path.join(dir, 'main.bundle.js')));
  const tj = runCli(['compile', 'main.som', '--log-level', 'debug', '--lang', 'tj'], { cwd: dir });
  assert.equal(tj.status, 2);
  assert.match(tj.stderr, /--log-level барои фармонҳои дарозмуддат аст/);
});

test('bundle --watch recovers when a missing import appears in a new folder', async () => {
  const dir = scratch({ 'src/main.som': 'ворид { ном } аз "./ёр";\nчоп.сабт(ном);\n' });
  const svc = new Service(['bundle', 'src/main.som', '-o', 'dist/app.js', '--watch'], dir);
  try {
    await svc.log((l) => l.message === 'build failed', 'the build with the missing import');
    assert.match(svc.stdout, /error\[MODULE_NOT_FOUND\]/);
    const mark = svc.logs.length;
    fs.mkdirSync(path.join(dir, 'src/ёр'));
    fs.writeFileSync(path.join(dir, 'src/ёр/index.som'), 'содир тағ ном = "ёр";\n');
    await svc.log((l) => l.message === 'build succeeded' && l.fields.modules === 2, 'the import to be found', mark);
    const ran = await new Promise((resolve) => {
      const c = spawn(process.execPath, [path.join(dir, 'dist/app.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      c.stdout.on('data', (d) => (out += d));
      c.on('exit', () => resolve(out));
    });
    assert.equal(ran, 'ёр\n');
    // An edit inside the new folder is seen too.
    const mark2 = svc.logs.length;
    fs.writeFileSync(path.join(dir, 'src/ёр/index.som'), 'содир тағ ном = "ёр 2";\n');
    await svc.log((l) => l.message === 'build succeeded' && l.fields.compiled === 1, 'the edit in the new folder', mark2);
    assert.match(fs.readFileSync(path.join(dir, 'dist/app.js'), 'utf8'), /ёр 2/);
    // A deleted bundle is written again by the next build.
    fs.rmSync(path.join(dir, 'dist/app.js'));
    const mark3 = svc.logs.length;
    fs.writeFileSync(path.join(dir, 'src/main.som'), 'ворид { ном } аз "./ёр";\nчоп.сабт(ном, 3);\n');
    await svc.log((l) => l.message === 'build succeeded', 'the rebuild', mark3);
    assert.ok(fs.existsSync(path.join(dir, 'dist/app.js')));
  } finally {
    await svc.stop();
  }
});

test('an idle service stays idle, and a folder removed and made again is watched again', async () => {
  const dir = scratch({ 'src/lib/а.som': 'чоп.сабт(1);\n', 'src/б.som': 'чоп.сабт(2);\n' });
  const svc = new Service(['serve', 'src', '--out-dir', 'dist', '--management-port', '0'], dir);
  try {
    const port = await svc.port();
    await svc.log((l) => l.message === 'build succeeded', 'the first build');
    // The builds' own reads of the sources are not changes.
    await sleep(1000);
    const idle = (await getJson(port, '/health')).json.builds.total;
    await sleep(1000);
    assert.equal((await getJson(port, '/health')).json.builds.total, idle, 'no build without a change');
    assert.ok(idle <= 2, `builds while idle: ${idle}`);

    // `git checkout`-like: the folder goes away and comes back.
    fs.rmSync(path.join(dir, 'src/lib'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'src/lib'));
    fs.writeFileSync(path.join(dir, 'src/lib/а.som'), 'чоп.сабт(10);\n');
    const out = path.join(dir, 'dist/lib/а.js');
    const until = async (re, what) => {
      const end = Date.now() + 15000;
      while (Date.now() < end) {
        if (fs.existsSync(out) && re.test(fs.readFileSync(out, 'utf8'))) return;
        await sleep(30);
      }
      assert.fail(`timed out waiting for ${what}`);
    };
    await until(/console\.log\(10\)/, 'the recreated folder to build');
    fs.writeFileSync(path.join(dir, 'src/lib/а.som'), 'чоп.сабт(11);\n');
    await until(/console\.log\(11\)/, 'an edit in the recreated folder');
    // A deleted output is written again by the next build.
    fs.rmSync(out);
    fs.writeFileSync(path.join(dir, 'src/б.som'), 'чоп.сабт(20);\n');
    await until(/console\.log\(11\)/, 'the deleted output to come back');
  } finally {
    await svc.stop();
  }
});

test('watch: a deleted import is MODULE_NOT_FOUND and its stale output goes; a removed input folder is watched again; /ready says when nothing is watched', async () => {
  const dir = scratch({
    'src/main.som': 'ворид { ҷамъ } аз "./lib";\nчоп.сабт(ҷамъ(1, 2));\n',
    'src/lib.som': 'содир функсия ҷамъ(а: рақам, б: рақам): рақам { бозгашт а + б; }\n',
  });
  const svc = new Service(['serve', 'src', '--out-dir', 'dist', '--management-port', '0'], dir);
  const waitFor = async (check, what) => {
    const end = Date.now() + 15000;
    while (Date.now() < end) {
      if (await check()) return;
      await sleep(30);
    }
    assert.fail(`timed out waiting for ${what}; stdout:\n${svc.stdout}`);
  };
  try {
    const port = await svc.port();
    await svc.log((l) => l.message === 'build succeeded', 'the first build');
    const lib = path.join(dir, 'dist/lib.js');
    assert.ok(fs.existsSync(lib));
    assert.equal((await get(port, '/ready')).status, 200);

    fs.rmSync(path.join(dir, 'src/lib.som'));
    await waitFor(() => /main\.som:1:\d+: error\[MODULE_NOT_FOUND\]: Cannot find module '\.\/lib'/.test(svc.stdout), 'MODULE_NOT_FOUND');
    await waitFor(() => !fs.existsSync(lib), 'the stale output to be removed');
    await svc.log((l) => l.message === 'removed the output of a deleted source', 'the removal log');

    // The input folder goes away: nothing is watched, and /ready says so.
    fs.rmSync(path.join(dir, 'src'), { recursive: true });
    await waitFor(async () => {
      const r = await get(port, '/ready');
      return r.status === 503 && /no source file is watched/.test(r.body);
    }, '/ready to say that nothing is watched');

    // It comes back: watched again, built, ready again.
    fs.mkdirSync(path.join(dir, 'src'));
    await sleep(200);
    fs.writeFileSync(path.join(dir, 'src/main.som'), 'чоп.сабт("боз");\n');
    const main = path.join(dir, 'dist/main.js');
    await waitFor(() => fs.existsSync(main) && fs.readFileSync(main, 'utf8').includes('"боз"'), 'the recreated folder to build');
    await waitFor(async () => (await get(port, '/ready')).status === 200, '/ready again');
  } finally {
    await svc.stop();
  }
});

/** Sends raw bytes; resolves with the whole answer (the server closes). */
function raw(port, bytes, localAddress = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1', localAddress }, () => s.end(bytes));
    let out = '';
    s.on('data', (d) => (out += d));
    s.on('end', () => resolve(out));
    s.on('error', reject);
  });
}

test('the endpoint under attack: Host rules, exact head limits, per-peer limits and reserved slots for probes', async () => {
  const dir = scratch({ 'src/а.som': 'чоп.сабт(1);\n' });
  const svc = new Service(['serve', 'src', '--out-dir', 'dist', '--management-port', '0'], dir);
  const idle = [];
  try {
    const port = await svc.port();
    await svc.log((l) => l.message === 'build succeeded', 'the first build');
    const status = (answer) => Number(/^HTTP\/1\.1 (\d+)/.exec(answer)?.[1]);
    const req = (headers) => `GET /ready HTTP/1.1\r\n${headers}\r\n`;
    assert.equal(status(await raw(port, req(`Host: 127.0.0.1:${port}\r\n`))), 200);
    assert.equal(status(await raw(port, req('Host: localhost\r\nHost: evil.example\r\n'))), 400);
    assert.equal(status(await raw(port, req('Host: localhost:abc\r\n'))), 400);
    assert.equal(status(await raw(port, req('Host: localhost:99999\r\n'))), 400);
    assert.equal(status(await raw(port, req(''))), 400);
    // HTTP/1.0 without Host, from loopback.
    assert.equal(status(await raw(port, 'GET /ready HTTP/1.0\r\n\r\n')), 200);
    // The head limit is exactly 8,192 bytes, blank line included.
    const sized = (n) => {
      const start = `GET /ready HTTP/1.1\r\nHost: localhost\r\nX-Pad: `;
      return `${start}${'a'.repeat(n - start.length - 4)}\r\n\r\n`;
    };
    assert.equal(sized(8192).length, 8192);
    assert.equal(status(await raw(port, sized(8192))), 200);
    assert.equal(status(await raw(port, sized(8193))), 431);
    const many = Array.from({ length: 70 }, (_, i) => `X-${i}: 1\r\n`).join('');
    assert.equal(status(await raw(port, req(`Host: localhost\r\n${many}`))), 431);

    // Slow clients from four addresses fill the table (16 each, the
    // per-peer limit); a probe still gets its answer from a reserved slot.
    const open = (localAddress) =>
      new Promise((resolve, reject) => {
        const s = net.connect({ port, host: '127.0.0.1', localAddress }, () => resolve(s));
        s.on('error', reject);
      });
    for (const a of ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5']) {
      for (let i = 0; i < 16; i++) idle.push(await open(a));
    }
    // (Refused before its request is read: it sends nothing.)
    const answerOf = (s) =>
      new Promise((resolve) => {
        let out = '';
        s.on('data', (d) => (out += d));
        s.on('close', () => resolve(out));
      });
    const seventeenth = await answerOf(await open('127.0.0.2'));
    assert.equal(status(seventeenth), 503);
    assert.match(seventeenth, /too many connections from this address/);
    assert.equal(status(await raw(port, req(`Host: 127.0.0.1:${port}\r\n`))), 200);
    // A slow client in a reserved slot is cut short.
    assert.equal(status(await answerOf(await open('127.0.0.6'))), 408);
  } finally {
    for (const s of idle) s.destroy();
    await svc.stop();
  }
});

test('bundle --watch --splitting: each build splits again and rewrites only the chunks that changed', async () => {
  const dir = scratch({
    'main.som': 'ворид { умумӣ } аз "./умумӣ";\nчоп.сабт(умумӣ(1));\nворид("./саҳифа").then((м) => чоп.сабт(м.ном));\n',
    'саҳифа.som': 'ворид { умумӣ } аз "./умумӣ";\nсодир собит ном = "саҳифа " + умумӣ(2);\n',
    'умумӣ.som': 'содир функсия умумӣ(х: рақам): рақам {\n  бозгашт х * 10;\n}\n',
  });
  const svc = new Service(['bundle', 'main.som', '--splitting', '--format', 'esm', '--outdir', 'dist', '--watch'], dir);
  const run = () => {
    fs.writeFileSync(path.join(dir, 'dist', 'package.json'), '{"type":"module"}');
    return spawnSync(process.execPath, [path.join(dir, 'dist', 'main.js')], { encoding: 'utf8' }).stdout;
  };
  try {
    const first = await svc.log((l) => l.message === 'build succeeded', 'the first build');
    assert.equal(first.fields.written, 3, JSON.stringify(first.fields));
    assert.equal(run(), '10\nсаҳифа 20\n');
    const page = fs.readdirSync(path.join(dir, 'dist')).find((f) => f.startsWith('саҳифа-'));
    const pageText = fs.readFileSync(path.join(dir, 'dist', page), 'utf8');
    // An edit of the entry rewrites the entry's chunk only.
    let mark = svc.logs.length;
    fs.writeFileSync(path.join(dir, 'main.som'), fs.readFileSync(path.join(dir, 'main.som'), 'utf8').replace('умумӣ(1)', 'умумӣ(3)'));
    // (A recheck build may come first and write nothing.)
    const wrote = (l) => l.message === 'build succeeded' && l.fields.written > 0;
    const second = await svc.log(wrote, 'the rebuild', mark);
    assert.equal(second.fields.written, 1, JSON.stringify(second.fields));
    assert.equal(fs.readFileSync(path.join(dir, 'dist', page), 'utf8'), pageText);
    assert.equal(run(), '30\nсаҳифа 20\n');
    // An edit of the shared module gives new chunk names; the entry loads them.
    mark = svc.logs.length;
    fs.writeFileSync(path.join(dir, 'умумӣ.som'), fs.readFileSync(path.join(dir, 'умумӣ.som'), 'utf8').replace('х * 10', 'х * 100'));
    await svc.log(wrote, 'the rebuild of the shared module', mark);
    assert.equal(run(), '300\nсаҳифа 200\n');
  } finally {
    await svc.stop();
  }
});
