// ES module bundles: the entry's exports are the bundle's named exports
// (and `default`), and --platform decides whether Node.js may be assumed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, scratch, somon } from './helpers.mjs';

const FILES = {
  'lib.som': `ворид { дучанд } аз "./ёрдам";
содир функсия ҷамъ(а: рақам, б: рақам): рақам {
  бозгашт дучанд(а) + б;
}
содир собит ном = "китобхона";
содир синф Ҳисобгар {
  қимат = 0;
  зам(х: рақам) { ин.қимат += х; бозгашт ин; }
}
содир интерфейс Навъ { х: рақам; }
содир { ҷамъ чун sum };
содир пешфарз функсия салом(н: сатр) { бозгашт \`салом, \${н}\`; }
`,
  'ёрдам.som': 'содир функсия дучанд(х: рақам) { бозгашт х * 2; }\n',
  'nodefault.som': 'содир собит а = 1;\nсодир собит б = 2;\n',
  'use.mjs': `import салом, { ҷамъ, sum, ном, Ҳисобгар } from './out/lib.mjs';
import * as all from './out/lib.mjs';
import whole, { а } from './out/nodefault.mjs';
console.log(ҷамъ(2, 3), sum(1, 1), ном, new Ҳисобгар().зам(4).қимат, салом('дунё'));
console.log(Object.keys(all).sort().join(','), JSON.stringify(whole), а);
`,
};

function runUse(dir) {
  const r = spawnSync(process.execPath, ['use.mjs'], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('a Node .mjs imports the bundle and uses its named exports, on every platform', () => {
  for (const platform of ['node', 'browser', 'neutral']) {
    const dir = scratch(FILES);
    for (const entry of ['lib', 'nodefault']) {
      const r = runCli(['bundle', `${entry}.som`, '-f', 'esm', '--platform', platform, '-o', `out/${entry}.mjs`], { cwd: dir });
      assert.equal(r.status, 0, r.stderr);
    }
    const code = fs.readFileSync(path.join(dir, 'out/lib.mjs'), 'utf8');
    if (platform === 'node') {
      assert.match(code, /createRequire/);
    } else {
      assert.doesNotMatch(code, /createRequire|node:|import\.meta/, platform);
    }
    assert.equal(
      runUse(dir),
      // ҷамъ(2, 3) = 2*2 + 3; the type-only export is not a value.
      `7 3 китобхона 4 салом, дунё\n${['default', 'sum', 'ном', 'Ҳисобгар', 'ҷамъ'].sort().join(',')} {"а":1,"б":2} 1\n`,
    );
  }
});

test('a browser or neutral bundle that needs a Node built-in is an error naming the import', () => {
  const dir = scratch({
    'main.som': 'ворид фс аз "node:fs";\nворид { join } аз "path";\nчоп.сабт(фс.existsSync, join("a", "b"));\n',
  });
  for (const platform of ['browser', 'neutral']) {
    for (const format of ['esm', 'iife']) {
      const r = runCli(['bundle', 'main.som', '-f', format, '--platform', platform, '-o', 'out.js'], { cwd: dir });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /main\.som:1:13: error\[PLATFORM_NODE_BUILTIN\]: 'node:fs'/);
      assert.match(r.stderr, /main\.som:2:19: error\[PLATFORM_NODE_BUILTIN\]: 'path'/);
      assert.ok(!fs.existsSync(path.join(dir, 'out.js')));
    }
  }
  // Listed as external, it stays an import the page must provide.
  const ext = somon.bundleSync(path.join(dir, 'main.som'), { platform: 'browser', external: ['node:fs', 'path'] });
  assert.deepEqual(ext.diagnostics.map((d) => d.code), []);
  // For Node (the default, and what `somon run` uses) it is fine.
  assert.equal(runCli(['bundle', 'main.som', '-o', 'out.js'], { cwd: dir }).status, 0);
  assert.equal(runCli(['run', 'main.som'], { cwd: dir }).status, 0);
  // bundle.platform in the configuration.
  fs.writeFileSync(path.join(dir, 'somon.config.json'), '{ "bundle": { "platform": "browser" } }\n');
  const conf = runCli(['bundle', 'main.som', '-o', 'out.js'], { cwd: dir });
  assert.equal(conf.status, 1);
  assert.match(conf.stderr, /PLATFORM_NODE_BUILTIN/);
  assert.equal(runCli(['bundle', 'main.som', '--platform', 'node', '-o', 'out.js'], { cwd: dir }).status, 0);
});

test('names re-exported with `содир * аз` are named exports too', () => {
  const dir = scratch({
    'main.som': 'содир * аз "./a";\nсодир собит худ = 1;\n',
    'a.som': 'содир собит а = "а";\nсодир * аз "./b";\nсодир пешфарз 5;\n',
    'b.som': 'содир функсия б() { бозгашт "б"; }\n',
    'use.mjs': "import * as m from './out.mjs';\nconsole.log(Object.keys(m).sort().join(','), m.а, m.б(), m.худ);\n",
  });
  const r = runCli(['bundle', 'main.som', '-f', 'esm', '-o', 'out.mjs'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const use = spawnSync(process.execPath, ['use.mjs'], { cwd: dir, encoding: 'utf8' });
  assert.equal(use.status, 0, use.stderr);
  // `default` of a re-exported module is not re-exported (as in JavaScript).
  assert.equal(use.stdout, `${['default', 'а', 'б', 'худ'].sort().join(',')} а б 1\n`);
});
