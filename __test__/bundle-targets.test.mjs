// Bundles and `somon run` at every --target: the helpers a bundle needs are
// all there, each once, and stack frames in helper code do not name the
// program's .som file. Every variant is run under Node and must print what
// the same program prints compiled file by file for esnext (no bundle).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, scratch, somon } from './helpers.mjs';

const TARGETS = ['es5', 'es2015', 'es2016', 'es2017', 'es2018', 'es2019', 'es2020', 'es2021', 'es2022', 'esnext'];

// Two modules, so that helpers of both meet in one bundle: async functions,
// generators, async generators, `for await`, private fields and methods,
// object spread and optional chaining.
const FILES = {
  'util.som': `содир ҳамзамон функсия дучанд(х: рақам): Ваъда<рақам> {
  интизор нав Ваъда((ҳал) => setTimeout(ҳал, 1));
  бозгашт х * 2;
}
содир функсия* шумор(н: рақам) {
  барои (тағ и = 0; и < н; и++) ҳосил и;
}
содир ҳамзамон функсия* ҷараён(н: рақам) {
  барои (тағ и = 0; и < н; и++) {
    интизор 0;
    ҳосил и * 10;
  }
}
содир функсия паҳн(а: { х: рақам }) {
  бозгашт { ...а, у: 2 };
}
`,
  'main.som': `ворид { дучанд, шумор, ҷараён, паҳн } аз "./util";

синф Ҳисоб {
  #қимат = 0;
  статикӣ #шумора = 0;
  конструктор(қ: рақам) {
    ин.#қимат = қ;
    Ҳисоб.#шумора++;
  }
  #дохилӣ() {
    бозгашт ин.#қимат + 1;
  }
  ҳамзамон зиёд(): Ваъда<рақам> {
    ин.#қимат = интизор дучанд(ин.#қимат);
    бозгашт ин.#дохилӣ();
  }
  статикӣ шумора() {
    бозгашт Ҳисоб.#шумора;
  }
}

ҳамзамон функсия* ҳарду() {
  ҳосил* ҷараён(2);
  ҳосил интизор дучанд(50);
}

ҳамзамон функсия асосӣ() {
  собит ҳ = нав Ҳисоб(3);
  чоп.сабт("зиёд", интизор ҳ.зиёд(), Ҳисоб.шумора());
  чоп.сабт("шумор", [...шумор(4)].пайвастКардан(","));
  собит ҷ: рақам[] = [];
  барои интизор (собит қ аз ҷараён(3)) ҷ.илова(қ);
  барои интизор (собит қ аз ҳарду()) ҷ.илова(қ);
  чоп.сабт("ҷараён", ҷ.пайвастКардан(","));
  собит б = { ...паҳн({ х: 1 }), з: 3 };
  чоп.сабт("паҳн", JSON.stringify(б));
  собит ч: { д?: { е?: рақам } } = {};
  чоп.сабт("ихтиёрӣ", ч.д?.е ?? "нест", б?.х, ч.д?.е?.toFixed());
}
асосӣ().баъд(() => чоп.сабт("тамом"));
`,
};

function node(file, cwd) {
  const r = spawnSync(process.execPath, [file], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** What the program prints compiled file by file (no bundle) for esnext. */
async function reference(dir) {
  const copy = path.join(dir, 'reference');
  fs.mkdirSync(copy);
  for (const [name, text] of Object.entries(FILES)) fs.writeFileSync(path.join(copy, name), text);
  for (const r of await somon.compileFiles([copy], { target: 'esnext' })) {
    assert.deepEqual(r.diagnostics, []);
    fs.writeFileSync(r.file.replace(/\.som$/, '.js'), r.code);
  }
  const out = node(path.join(copy, 'main.js'), copy);
  assert.match(out, /^зиёд 7 1\n/);
  assert.match(out, /тамом\n$/);
  return out;
}

test('bundles and `somon run` print the same at every target, each helper declared once', async () => {
  const dir = scratch(FILES);
  const expected = await reference(dir);
  for (const target of TARGETS) {
    const run = runCli(['run', '--target', target, 'main.som'], { cwd: dir });
    assert.equal(run.status, 0, `run --target ${target}: ${run.stderr}`);
    assert.equal(run.stdout, expected, `run --target ${target}`);
    const esm = runCli(['run', '--module', 'esm', '--target', target, 'main.som'], { cwd: dir });
    assert.equal(esm.status, 0, `run --module esm --target ${target}: ${esm.stderr}`);
    assert.equal(esm.stdout, expected, `run --module esm --target ${target}`);
    for (const format of ['cjs', 'esm', 'iife', 'umd']) {
      for (const minify of [false, true]) {
        const r = somon.bundleSync(path.join(dir, 'main.som'), { target, format, minify });
        assert.deepEqual(r.diagnostics, [], `${target} ${format}`);
        const file = path.join(dir, `out-${target}-${format}${minify ? '-min' : ''}.${format === 'esm' ? 'mjs' : 'js'}`);
        fs.writeFileSync(file, r.code);
        assert.equal(node(file, dir), expected, `bundle --target ${target} --format ${format}${minify ? ' --minify' : ''}`);
        if (!minify) {
          // Every helper function once in the whole bundle.
          const names = [...r.code.matchAll(/^\s*function ([A-Za-z_$][\w$]*)\(/gm)].map((m) => m[1]);
          const helpers = names.filter((n) => /^_|^asyncGeneratorStep$|^ownKeys$|^AsyncFromSyncIterator$/.test(n));
          assert.deepEqual(helpers, [...new Set(helpers)], `${target} ${format}: a helper declared twice`);
          if (target === 'es2016') assert.ok(helpers.includes('asyncGeneratorStep'), 'es2016 needs asyncGeneratorStep');
        }
      }
    }
  }
});

test('stack frames in helper code name the compiled program, not the .som file', () => {
  const dir = scratch({
    'main.som': `ҳамзамон функсия хато() {
  интизор 1;
  партофтан нав Хато("бад");
}
хато().catch((х) => чоп.сабт(х.stack));
`,
  });
  for (const args of [['run', '--target', 'es2016'], ['run', '--module', 'esm', '--target', 'es2016']]) {
    const r = runCli([...args, 'main.som'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const frames = r.stdout.split('\n').filter((l) => l.trim().startsWith('at '));
    // The user's frame is mapped to its .som line.
    assert.ok(frames.some((f) => f.includes(`${path.join(dir, 'main.som')}:3:`)), r.stdout);
    // The helper's frames are not given a .som name or a temporary folder.
    const helper = frames.filter((f) => f.includes('asyncGeneratorStep') || f.includes('_next'));
    assert.ok(helper.length > 0, r.stdout);
    for (const f of helper) {
      assert.ok(!f.includes('.som'), f);
      assert.ok(!f.includes('somon-run-'), f);
    }
  }
});

test("the bundle runtime's own frames are not given a module's .som line", () => {
  const dir = scratch({
    'main.som': 'ворид { ф } аз "./b";\nф();\n',
    'b.som': 'содир функсия ф() {\n  партофтан нав Хато("бад");\n}\n',
  });
  for (const args of [['run'], ['run', '--module', 'esm'], ['run', '--target', 'es5']]) {
    const r = runCli([...args, 'main.som'], { cwd: dir });
    assert.equal(r.status, 1);
    const frames = r.stderr.split('\n').filter((l) => l.trim().startsWith('at '));
    assert.ok(frames.some((f) => f.includes(`${path.join(dir, 'b.som')}:2:`)), r.stderr);
    assert.ok(frames.some((f) => f.includes(`${path.join(dir, 'main.som')}:2:`)), r.stderr);
    // Frames in the bundle's own code (the loader, the hoisted modules'
    // function): neither a .som file nor Node's or the CLI's code.
    const runtime = frames.filter((f) => !f.includes('.som:') && !f.includes('node:') && !f.includes('somon.js'));
    assert.ok(runtime.length > 0, r.stderr);
    for (const f of runtime) assert.match(f, /\(somon:runtime:\d+:\d+\)/);
  }
});
