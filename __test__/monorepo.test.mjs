// Monorepo builds (issue 19): what a build reads and writes as data
// (`module-info --json`, `--deps-file`), hermetic mode, the Bazel
// persistent worker, and byte-identical `compile` outputs across folders,
// thread counts and input order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { cliPath, runCli, scratch } from './helpers.mjs';
import { workspace, snapshot } from './monorepo-fixture.mjs';

/** Paths a report printed (relative to `cwd`, or absolute) as paths relative to `ws`. */
const fromWorkspace = (ws, cwd, list) =>
  list.map((p) => path.relative(ws, path.resolve(cwd, p)).split(path.sep).join('/')).sort();

/** The prerequisites and targets of a Make/Ninja depfile. */
function readDepfile(text) {
  const joined = text.replace(/\\\n/g, ' ');
  const colon = joined.search(/(?<!\\):/);
  const words = (s) =>
    s.trim().split(/(?<!\\)\s+/).filter(Boolean).map((w) => w.replace(/\\([ #\\])/g, '$1').replace(/\$\$/g, '$'));
  return { targets: words(joined.slice(0, colon)), prerequisites: words(joined.slice(colon + 1)) };
}

// What bundling package a reads, through its workspace packages.
const bundleReads = [
  'node_modules/@mono/b/package.json',
  'node_modules/@mono/c/package.json',
  'packages/a/somon.config.json',
  'packages/a/src/main.som',
  'packages/b/src/index.som',
  'packages/b/src/танзим.json',
  'packages/c/src/index.som',
];

test('module-info --json lists every file a bundle reads (sources, JSON, package.json, configuration) and writes', () => {
  const ws = workspace();
  const a = path.join(ws, 'packages/a');
  const r = runCli(['module-info', 'src/main.som', '--json'], { cwd: a });
  assert.equal(r.status, 0, r.stderr);
  const info = JSON.parse(r.stdout);
  assert.equal(info.entry, 'src/main.som');
  assert.equal(info.errors, 0);
  assert.deepEqual(fromWorkspace(ws, a, info.reads), bundleReads);
  assert.deepEqual(info.writes, ['dist/main.js', 'dist/main.js.map']);
  assert.deepEqual(fromWorkspace(ws, a, info.modules), [
    'packages/a/src/main.som',
    'packages/b/src/index.som',
    'packages/b/src/танзим.json',
    'packages/c/src/index.som',
  ]);
  // Nothing was written.
  assert.equal(fs.existsSync(path.join(a, 'dist')), false);

  // The same as a depfile.
  const d = runCli(['module-info', 'src/main.som', '--deps-file', 'info.d'], { cwd: a });
  assert.equal(d.status, 0, d.stderr);
  const dep = readDepfile(fs.readFileSync(path.join(a, 'info.d'), 'utf8'));
  assert.deepEqual(dep.targets, ['dist/main.js', 'dist/main.js.map']);
  assert.deepEqual(fromWorkspace(ws, a, dep.prerequisites), bundleReads);
});

test('bundle and compile --deps-file name what they wrote and every file they read', () => {
  const ws = workspace();
  const a = path.join(ws, 'packages/a');
  const r = runCli(['bundle', 'src/main.som', '-o', 'dist/main.js', '--source-map', '--deps-file', 'dist/main.d'], { cwd: a });
  assert.equal(r.status, 0, r.stderr);
  const dep = readDepfile(fs.readFileSync(path.join(a, 'dist/main.d'), 'utf8'));
  assert.deepEqual(dep.targets, ['dist/main.js', 'dist/main.js.map']);
  assert.deepEqual(fromWorkspace(ws, a, dep.prerequisites), bundleReads);
  const ran = spawnSync(process.execPath, [path.join(a, 'dist/main.js')], { encoding: 'utf8' });
  assert.equal(ran.stdout, 'ҳисоб(20) = 42\n', ran.stderr);

  // A depfile never replaces a file the build read.
  const source = fs.readFileSync(path.join(a, 'src/main.som'));
  const clash = runCli(['bundle', 'src/main.som', '-o', 'dist/x.js', '--deps-file', 'src/main.som'], { cwd: a });
  assert.equal(clash.status, 2);
  assert.match(clash.stderr, /error\[OUTPUT_IS_INPUT\]/);
  assert.ok(fs.readFileSync(path.join(a, 'src/main.som')).equals(source));

  // compile --out-dir: the outputs, their maps and the copied JSON.
  const b = path.join(ws, 'packages/b');
  const c = runCli(['compile', 'src', '--out-dir', 'dist', '--source-map', '--deps-file', 'build.d'], { cwd: b });
  assert.equal(c.status, 0, c.stderr);
  const cdep = readDepfile(fs.readFileSync(path.join(b, 'build.d'), 'utf8'));
  assert.deepEqual(cdep.targets, ['dist/index.js', 'dist/index.js.map', 'dist/танзим.json']);
  assert.deepEqual(fromWorkspace(ws, b, cdep.prerequisites), [
    'node_modules/@mono/c/package.json',
    'packages/b/somon.config.json',
    'packages/b/src/index.som',
    'packages/b/src/танзим.json',
    'packages/c/src/index.som',
  ]);
  // A build with errors writes no output: the depfile names itself.
  fs.writeFileSync(path.join(b, 'src/index.som'), 'тағ х: рақам = "матн";\n');
  const bad = runCli(['compile', 'src', '--out-dir', 'out2', '--deps-file', 'bad.d'], { cwd: b });
  assert.equal(bad.status, 1);
  assert.deepEqual(readDepfile(fs.readFileSync(path.join(b, 'bad.d'), 'utf8')).targets, ['bad.d']);
});

test('--no-config-lookup reads only --config; --hermetic also ignores the environment', () => {
  const dir = scratch({
    'somon.config.json': '{ "compilerOptions": { "targte": "es5" } }\n',
    'src/main.som': 'собит х = 1 ?? 2;\nчоп.сабт(х);\n',
    'other.json': '{ "compilerOptions": { "target": "es2015" } }\n',
  });
  // The configuration found upward is invalid: with lookup, exit 2.
  assert.equal(runCli(['compile', 'src/main.som', '-o', 'out/a.js'], { cwd: dir }).status, 2);
  const none = runCli(['compile', 'src/main.som', '-o', 'out/a.js', '--no-config-lookup'], { cwd: dir });
  assert.equal(none.status, 0, none.stderr);
  assert.match(fs.readFileSync(path.join(dir, 'out/a.js'), 'utf8'), /\?\?/); // es2020 keeps ??
  const named = runCli(['compile', 'src/main.som', '-o', 'out/b.js', '--no-config-lookup', '--config', 'other.json'], { cwd: dir });
  assert.equal(named.status, 0, named.stderr);
  assert.doesNotMatch(fs.readFileSync(path.join(dir, 'out/b.js'), 'utf8'), /\?\?/); // es2015 lowers it

  // NODE_ENV=production and SOMON_LANG change nothing under --hermetic.
  const bad = scratch({ 'main.som': 'тағ х: рақам = "матн";\n' });
  const args = ['check', 'main.som', '--diagnostics', 'json', '--no-type-check'];
  const plain = runCli([...args, '--hermetic'], { cwd: bad });
  const envd = runCli([...args, '--hermetic'], { cwd: bad, env: { NODE_ENV: 'production', SOMON_LANG: 'ru' } });
  assert.equal(envd.status, plain.status);
  assert.equal(envd.stdout, plain.stdout);
  // Without --hermetic the same environment changes the result
  // (production mode refuses --no-type-check).
  const open = runCli(args, { cwd: bad, env: { NODE_ENV: 'production', SOMON_LANG: 'ru' } });
  assert.notEqual(open.status, plain.status);
});

test('--hermetic refuses a file outside the project and its node_modules packages (HERMETIC_READ, en/tj/ru)', () => {
  const ws = workspace();
  const a = path.join(ws, 'packages/a');
  fs.writeFileSync(path.join(a, 'src/берун.som'), 'ворид { ҳисоб } аз "../../b/src/index";\nчоп.сабт(ҳисоб(1));\n');
  const open = runCli(['check', 'src/берун.som'], { cwd: a });
  assert.equal(open.status, 0, open.stderr);
  const texts = {};
  for (const lang of ['en', 'tj', 'ru']) {
    const r = runCli(['check', 'src/берун.som', '--hermetic', '--lang', lang], { cwd: a });
    assert.equal(r.status, 2);
    const line = r.stderr.split('\n').find((l) => l.startsWith('error[HERMETIC_READ]'));
    assert.ok(line, r.stderr);
    assert.ok(line.includes(path.join(ws, 'packages/b/src/index.som')), line);
    texts[lang] = line;
  }
  assert.equal(new Set(Object.values(texts)).size, 3);
  // The same package imported by its name is part of the hermetic build.
  const ok = runCli(['bundle', 'src/main.som', '-o', 'dist/h.js', '--hermetic', '--config', 'somon.config.json'], { cwd: a });
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(fs.existsSync(path.join(a, 'dist/h.js')), true);
});

/** A `somon worker --persistent_worker` process and a function sending one request. */
function startWorker(cwd) {
  const child = spawn(process.execPath, [cliPath, 'worker', '--persistent_worker'], {
    cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  const lines = readline.createInterface({ input: child.stdout });
  const waiting = [];
  const answers = [];
  lines.on('line', (l) => {
    const next = waiting.shift();
    if (next) next(l);
    else answers.push(l);
  });
  const nextLine = () => (answers.length ? Promise.resolve(answers.shift()) : new Promise((r) => waiting.push(r)));
  const send = async (request) => {
    child.stdin.write(typeof request === 'string' ? `${request}\n` : `${JSON.stringify(request)}\n`);
    return JSON.parse(await nextLine());
  };
  const stop = () =>
    new Promise((resolve) => {
      child.on('close', (code) => resolve(code));
      child.stdin.end();
    });
  return { send, stop };
}

test('somon worker speaks the Bazel JSON worker protocol and its outputs are byte-identical to one-shot commands', async () => {
  const ws = workspace();
  const a = path.join(ws, 'packages/a');
  const b = path.join(ws, 'packages/b');
  const worker = startWorker(ws);
  try {
    // Singleplex: no requestId (0), paths relative to the worker's folder.
    const bundleArgs = ['bundle', 'packages/a/src/main.som', '-o', 'out/w/main.js', '--source-map'];
    const first = await worker.send({ arguments: bundleArgs, inputs: [{ path: 'packages/a/src/main.som', digest: '' }] });
    assert.equal(first.exitCode, 0, first.output);
    assert.equal(first.requestId, 0);
    assert.match(first.output, /out\/w\/main\.js \(4 modules\)/);
    const once = runCli(['bundle', 'packages/a/src/main.som', '-o', 'out/once/main.js', '--source-map'], { cwd: ws });
    assert.equal(once.status, 0, once.stderr);
    const same = (x, y) => {
      assert.ok(fs.readFileSync(path.join(ws, x)).equals(fs.readFileSync(path.join(ws, y))), `${x} ≠ ${y}`);
    };
    same('out/w/main.js', 'out/once/main.js');
    same('out/w/main.js.map', 'out/once/main.js.map');

    // An edit, then the same request: the kept bundler rebuilds, and the
    // result is again what a fresh one-shot bundle writes.
    const tripled = 'содир функсия дучанд(х: рақам): рақам {\n  бозгашт х * 3;\n}\n';
    fs.writeFileSync(path.join(ws, 'packages/c/src/index.som'), tripled);
    const second = await worker.send({ arguments: bundleArgs });
    assert.equal(second.exitCode, 0, second.output);
    const again = runCli(['bundle', 'packages/a/src/main.som', '-o', 'out/once/main.js', '--source-map'], { cwd: ws });
    assert.equal(again.status, 0, again.stderr);
    same('out/w/main.js', 'out/once/main.js');
    const ran = spawnSync(process.execPath, [path.join(ws, 'out/w/main.js')], { encoding: 'utf8' });
    assert.equal(ran.stdout, 'ҳисоб(20) = 62\n', ran.stderr);

    // Multiplex: requestId and sandboxDir (the request's working folder).
    const compiled = await worker.send({
      arguments: ['compile', 'src', '--out-dir', 'wdist', '--source-map'],
      requestId: 7,
      sandboxDir: 'packages/b',
    });
    assert.equal(compiled.requestId, 7);
    assert.equal(compiled.exitCode, 0, compiled.output);
    const oneShot = runCli(['compile', 'src', '--out-dir', 'odist', '--source-map'], { cwd: b });
    assert.equal(oneShot.status, 0, oneShot.stderr);
    assert.deepEqual(snapshot(path.join(b, 'wdist')), snapshot(path.join(b, 'odist')));
    // The kept compiles follow edits of the file and of what it imports:
    // b's text, then c's exports (a parameter type).
    let last;
    for (const [file, text] of [
      ['packages/b/src/index.som', 'ворид { дучанд } аз "@mono/c";\nсодир функсия ҳисоб(х: рақам): рақам {\n  бозгашт дучанд(х) - 1;\n}\n'],
      ['packages/c/src/index.som', 'содир функсия дучанд(х: сатр): сатр {\n  бозгашт х + х;\n}\n'],
    ]) {
      fs.writeFileSync(path.join(ws, file), text);
      const w = await worker.send({ arguments: ['compile', 'src', '--out-dir', 'wdist', '--source-map'], requestId: 12, sandboxDir: 'packages/b' });
      const o = runCli(['compile', 'src', '--out-dir', 'odist', '--source-map'], { cwd: b });
      assert.equal(w.exitCode, o.status, w.output);
      assert.equal(w.output, o.stdout + o.stderr);
      last = w.exitCode;
      assert.deepEqual(snapshot(path.join(b, 'wdist')), snapshot(path.join(b, 'odist')));
    }
    // c's parameter is a string now: b's call is a type error, reported by both.
    assert.equal(last, 1);
    fs.writeFileSync(path.join(ws, 'packages/c/src/index.som'), tripled);

    // Diagnostics become the response's output, with the exit code.
    fs.writeFileSync(path.join(a, 'src/хато.som'), 'тағ х: рақам = "матн";\n');
    const failed = await worker.send({ arguments: ['check', 'src/хато.som'], requestId: 8, sandboxDir: 'packages/a' });
    assert.equal(failed.exitCode, 1);
    assert.match(failed.output, /error\[TYPE_NOT_ASSIGNABLE\]/);

    // A line that is not a request, and a command the worker does not run.
    const bad = await worker.send('{"arguments": 5, "requestId": 9}');
    assert.deepEqual([bad.requestId, bad.exitCode], [9, 2]);
    assert.match(bad.output, /error\[WORKER_REQUEST\]/);
    const watch = await worker.send({ arguments: ['watch', 'src'], requestId: 10 });
    assert.deepEqual([watch.requestId, watch.exitCode], [10, 2]);
    assert.match(watch.output, /error\[WORKER_REQUEST\].*`somon watch src`/);
    // A usage error of the command line is an answer too.
    const usage = await worker.send({ arguments: ['bundle', '--no-such-flag'], requestId: 11 });
    assert.deepEqual([usage.requestId, usage.exitCode], [11, 2]);
    assert.match(usage.output, /--no-such-flag/);
  } finally {
    assert.equal(await worker.stop(), 0);
  }
  // Workers off: Bazel runs the same action once with its flagfile.
  fs.writeFileSync(path.join(ws, 'params'), ['bundle', 'packages/a/src/main.som', '-o', 'out/flag/main.js', '--source-map'].join('\n'));
  const once = runCli(['worker', '@params'], { cwd: ws });
  assert.equal(once.status, 0, once.stderr);
  const fresh = runCli(['bundle', 'packages/a/src/main.som', '-o', 'out/fresh/main.js', '--source-map'], { cwd: ws });
  assert.equal(fresh.status, 0, fresh.stderr);
  assert.deepEqual(snapshot(path.join(ws, 'out/flag')), snapshot(path.join(ws, 'out/fresh')));
});

test('compile output (code and maps) is byte-identical across folders, thread counts and input order', () => {
  const files = {
    'src/main.som': 'ворид { ҷамъ } аз "./lib/ҳисоб";\nворид { Шакл } аз "./lib/шакл";\nчоп.сабт(ҷамъ(1, 2), нав Шакл(3).масоҳат());\n',
    'src/lib/ҳисоб.som': 'содир функсия ҷамъ(а: рақам, б: рақам): рақам {\n  бозгашт а + б;\n}\n',
    'src/lib/шакл.som': 'содир синф Шакл {\n  конструктор(хосусӣ р: рақам) {}\n  масоҳат(): рақам { бозгашт Риёзӣ.ПИ * ин.р ** 2; }\n}\n',
    'src/lib/ёр.som': 'ворид { ҷамъ } аз "./ҳисоб";\nсодир собит даҳ = ҷамъ(4, 6);\n',
  };
  const order = [['src'], ['src/main.som', 'src/lib/ҳисоб.som', 'src/lib/шакл.som', 'src/lib/ёр.som'], ['src/lib/ёр.som', 'src/lib/шакл.som', 'src/main.som', 'src/lib/ҳисоб.som']];
  const outputs = [];
  for (const [i, threads] of ['1', '2', '4'].entries()) {
    const dir = scratch(files);
    const r = runCli(['compile', ...order[i], '--out-dir', 'dist', '--source-map', '--module', 'esm'], {
      cwd: dir,
      env: { RAYON_NUM_THREADS: threads },
    });
    assert.equal(r.status, 0, r.stderr);
    outputs.push(snapshot(path.join(dir, 'dist')));
  }
  assert.equal(Object.keys(outputs[0]).length, 8);
  assert.deepEqual(outputs[1], outputs[0]);
  assert.deepEqual(outputs[2], outputs[0]);
});
