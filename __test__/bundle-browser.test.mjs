// A `--platform browser --format esm` bundle runs in a real headless
// Chromium page that loads it with <script type="module"> and prints to
// the console (the harness in helpers/chromium.mjs; it installs Debian's
// chromium when it can, else this test is skipped with the reason).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { runCli, scratch } from './helpers.mjs';
import { findChromium, runPage } from './helpers/chromium.mjs';

const chromium = findChromium();
const skip = chromium.skip ? `headless Chromium unavailable: ${chromium.skip}` : false;
if (skip) console.log(`# ${skip}`);

test('an esm bundle for the browser runs in a headless Chromium page and prints', { skip }, async () => {
  const dir = scratch({
    'main.som': `ворид { салом } аз "./lib/salom";
ворид маълумот аз "./data.json";
чоп.сабт(салом("ҷаҳон"));
чоп.сабт(маълумот.рақамҳо.length, навъи globalThis.document);
содир собит тайёр = дуруст;
`,
    'lib/salom.som': 'содир функсия салом(ном: сатр): сатр { бозгашт `Салом, ${ном}!`; }\n',
    'data.json': '{ "рақамҳо": [1, 2, 3] }\n',
  });
  const r = runCli(['bundle', 'main.som', '-o', 'dist/app.js', '--platform', 'browser', '--format', 'esm', '--minify'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const page = await runPage(chromium.path, dir, 'dist/app.js');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page.console, ['Салом, ҷаҳон!', '3 object']);
});

test('the harness reports uncaught errors of the page', { skip }, async () => {
  const dir = scratch({ 'boom.js': 'console.log("пеш"); throw new Error("таркиш");\n' });
  const page = await runPage(chromium.path, dir, 'boom.js');
  assert.deepEqual(page.console, ['пеш']);
  assert.equal(page.errors.length, 1);
  assert.match(page.errors[0], /таркиш/);
});
