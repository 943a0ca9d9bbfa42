// CLI polish found by new users (issue 15 §6, §7): the argument parser's
// errors are catalogue USAGE errors in the user's language with a
// did-you-mean, `--lang` works anywhere, summary lines and help are
// translated, `кӯмак`/`помощь` mean help, `run -` reads standard input,
// and `init --template` makes projects for node, Vite and libraries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { cliPath, runCli, scratch } from './helpers.mjs';

test("the parser's own errors are USAGE errors from the catalogue, with a did-you-mean, in en/tj/ru", () => {
  const cases = [
    [['compil', 'а.som'], /^error\[USAGE\]: unknown command `compil` \(`somon --help` lists the commands\)\. Did you mean `compile`\?\n$/],
    [['--lang', 'tj', 'compil'], /^error\[USAGE\]: фармони номаълум `compil` \(рӯйхати фармонҳоро `somon --help` нишон медиҳад\)\. Шояд `compile` дар назар буд\?\n$/],
    [['компаил', 'а.som'], /^error\[USAGE\]: unknown command `компаил` .*Did you mean `компайл`\?\n$/],
    [['проверит', 'а.som', '--lang', 'ru'], /^error\[USAGE\]: неизвестная команда `проверит` \(список команд покажет `somon --help`\)\. Возможно, имелась в виду `проверить`\?\n$/],
    [['check', 'а.som', '--minfy'], /^error\[USAGE\]: unknown option `--minfy` .*Did you mean `--minify`\?\n$/],
    [['check', 'а.som', '--minfy', '--lang=tj'], /^error\[USAGE\]: параметри номаълум `--minfy`/],
    [['check', '--lang', 'ru'], /^error\[USAGE\]: не указан обязательный аргумент: <INPUT>/],
    [['compile', 'а.som', '-o', 'б.js', '--out-dir', 'д'], /^error\[USAGE\]: --output cannot be used together with --out-dir\n$/],
    [['bundle', 'а.som', '--format', 'amd', '--lang', 'tj'], /^error\[USAGE\]: --format-и нодуруст `amd`; қиматҳои дуруст: cjs, esm, iife, umd\n$/],
    [['--lang', 'xx', 'check', 'а.som'], /^error\[USAGE\]: invalid --lang `xx`; valid values: en, tj, ru\n$/],
    [['check', 'а.som', '--max-diagnostics', 'бисёр'], /^error\[USAGE\]: invalid value `бисёр` for --max-diagnostics\n$/],
    [['resolve', 'fs', 'зиёдатӣ'], /^error\[USAGE\]: unexpected argument `зиёдатӣ`/],
  ];
  const dir = scratch({ 'а.som': 'чоп.сабт(1);\n' });
  for (const [args, pattern] of cases) {
    const r = runCli(args, { cwd: dir });
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, pattern, args.join(' '));
    assert.equal(r.stdout, '');
  }
});

test('--lang works before or after any command, and with --help', () => {
  const dir = scratch({ 'бад.som': 'чоп.сабт(нест);\n' });
  for (const args of [['--lang', 'tj', 'check', 'бад.som'], ['check', '--lang', 'tj', 'бад.som'], ['check', 'бад.som', '--lang=tj']]) {
    const r = runCli(args, { cwd: dir });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /error\[UNDEFINED_IDENTIFIER\]: Тағйирёбандаи 'нест' муайян нашудааст/, args.join(' '));
    assert.match(r.stderr, /хатоҳо: 1, огоҳиҳо: 0\n$/);
  }
  for (const args of [['--lang', 'ru', 'init', '--help'], ['init', '--help', '--lang', 'ru'], ['module-info', '--lang', 'ru', '--help'], ['--help', '--lang', 'ru']]) {
    const r = runCli(args, { cwd: dir });
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stdout, /^.*\n\nИспользование: somon/, args.join(' '));
    assert.doesNotMatch(r.stdout, /Usage|Options|Print help|Possible values/);
  }
  // `--lang` on commands without code generation (init, resolve) too.
  const resolved = runCli(['resolve', './нест', '--lang', 'tj'], { cwd: dir });
  assert.equal(resolved.status, 1);
});

test('summary lines speak the language of messages', () => {
  const dir = scratch({ 'а.som': 'чоп.сабт(1);\n', 'б.som': 'чоп.сабт(2);\n' });
  assert.equal(runCli(['check', '.'], { cwd: dir }).stdout, '2 file(s) checked, no errors\n');
  assert.equal(runCli(['check', '.', '--lang', 'tj'], { cwd: dir }).stdout, 'файлҳои санҷидашуда: 2, хато нест\n');
  assert.equal(runCli(['check', '.', '--lang', 'ru'], { cwd: dir }).stdout, 'проверено файлов: 2, ошибок нет\n');
  const bundled = runCli(['bundle', 'а.som', '-o', 'баста.js', '--lang', 'ru'], { cwd: dir });
  assert.equal(bundled.stdout, 'баста.js (модулей: 1)\n', bundled.stderr);
  assert.equal(runCli(['bundle', 'а.som', '-o', 'баста.js', '--lang', 'tj'], { cwd: dir }).stdout, 'баста.js (модулҳо: 1)\n');
});

test('module-info and resolve report in the language of messages', () => {
  const dir = scratch({ 'а.som': 'ворид { б } аз "./б";\nсодир собит а = 1;\nчоп.сабт(б);\n', 'б.som': 'ворид { а } аз "./а";\nсодир собит б = 2;\n' });
  const en = runCli(['module-info', 'а.som', '--stats', '--circular'], { cwd: dir });
  assert.equal(en.status, 1);
  assert.match(en.stdout, /^Modules: 2\nDependencies: 2\nAverage dependencies per module: 1\.00\nImport cycles: 1\ncycle: /);
  const tj = runCli(['module-info', 'а.som', '--stats', '--circular', '--lang', 'tj'], { cwd: dir });
  assert.match(tj.stdout, /^Модулҳо: 2\nВобастагиҳо: 2\nМиёнаи вобастагиҳои як модул: 1\.00\nВоридоти даврӣ: 1\nдавра: /);
  const ru = runCli(['module-info', 'б.som', '--circular', '--lang', 'ru'], { cwd: scratch({ 'б.som': 'чоп.сабт(1);\n' }) });
  assert.equal(ru.stdout, 'Циклических импортов нет\n');
  assert.equal(runCli(['resolve', 'fs', '--lang', 'tj'], { cwd: dir }).stdout, 'fs (модули дарунсохти Node.js)\n');
  assert.equal(runCli(['resolve', 'fs'], { cwd: dir }).stdout, 'fs (Node.js built-in)\n');
  const missing = runCli(['resolve', './нест', '--lang', 'ru'], { cwd: dir });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /\n  проверено: нест\.som\n/);
});

test('the Tajik and Russian help of every command has no English sentences', () => {
  const commands = ['', 'compile', 'watch', 'run', 'check', 'bundle', 'module-info', 'resolve', 'serve', 'init', 'config'];
  for (const lang of ['tj', 'ru']) {
    for (const command of commands) {
      const r = runCli([...(command ? [command] : []), '--help', '--lang', lang]);
      assert.equal(r.status, 0, `${command}: ${r.stderr}`);
      assert.doesNotMatch(r.stdout, /Usage|Commands|Arguments|Options|Print |Possible values|A separate|An inline|Human-readable|One JSON/, `${lang} ${command}`);
    }
  }
  const values = runCli(['compile', '--help', '--lang', 'tj']).stdout;
  assert.match(values, /Харитаи манбаъ: файли алоҳида ё дарунӣ \[қиматҳо: file, inline\]/);
});

test('кӯмак and помощь mean help', () => {
  for (const [args, heading] of [[['кӯмак', '--lang', 'tj'], /Истифода: somon/], [['помощь', '--lang', 'ru'], /Использование: somon/], [['кӯмак', 'compile', '--lang', 'tj'], /Истифода: somon compile/], [['помощь'], /Usage: somon/]]) {
    const r = runCli(args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stdout, heading, args.join(' '));
  }
});

test('somon run - reads the program from standard input', () => {
  const dir = scratch({ 'асбоб.som': 'содир функсия ҷамъ(а: рақам, б: рақам): рақам {\n  бозгашт а + б;\n}\n' });
  const run = (input, args = []) =>
    spawnSync(process.execPath, [cliPath, 'run', '-', ...args], {
      cwd: dir,
      input,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', LANG: 'C.UTF-8' },
    });
  // Relative imports start from the working folder; arguments follow `--`.
  const r = run('ворид { ҷамъ } аз "./асбоб";\nчоп.сабт(ҷамъ(2, 3), process.argv.slice(2).join(","));\n', ['--', 'а', 'б']);
  assert.equal(r.stdout, '5 а,б\n', r.stderr);
  assert.equal(r.status, 0);
  const esm = run('собит х = интизор Ваъда.ҳалШуда(41);\nчоп.сабт(х + 1);\n', ['--module', 'esm']);
  assert.equal(esm.stdout, '42\n', esm.stderr);
  const bad = run('чоп.сабт(нест);\n');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^stdin\.som:1:10: error\[UNDEFINED_IDENTIFIER\]/);
  // Nothing is written next to the program.
  assert.deepEqual(fs.readdirSync(dir), ['асбоб.som']);
});

/** `somon init NAME --yes …` in a fresh folder: the project's folder and package.json. */
function init(name, args = []) {
  const dir = scratch();
  const r = runCli(['init', name, '--yes', ...args], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const project = path.join(dir, name);
  return { project, pkg: JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8')) };
}

test('init makes a valid npm package name of any project name', () => {
  const valid = /^(?:@[a-z0-9-*~][a-z0-9-*._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
  for (const [name, expected] of [['лоиҳаи нав', 'loihai-nav'], ['Мой Проект', 'moy-proekt'], ['ҷадвали ғизо', 'jadvali-ghizo'], ['My App', 'my-app'], ['_хусусӣ', 'khususi']]) {
    const { pkg } = init(name);
    assert.equal(pkg.name, expected, name);
    assert.match(pkg.name, valid);
  }
});

test('init --template node: compile to dist, a dev script that watches, "type": "module" for ESM', () => {
  const { project, pkg } = init('барнома', ['--template', 'node', '--module', 'esm']);
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.scripts.dev, 'somon watch src --out-dir dist');
  assert.equal(pkg.scripts.build, 'somon compile src --out-dir dist');
  assert.equal(pkg.scripts.start, 'node dist/main.js');
  const config = JSON.parse(fs.readFileSync(path.join(project, 'somon.config.json'), 'utf8'));
  assert.equal(config.compilerOptions.module, 'esm');
  // `npm run build` then `npm start`, with this package's CLI.
  assert.equal(runCli(['compile', 'src', '--out-dir', 'dist'], { cwd: project }).status, 0);
  const run = spawnSync(process.execPath, [path.join(project, 'dist', 'main.js')], { encoding: 'utf8' });
  assert.equal(run.stdout, 'Салом, ҷаҳон!\n', run.stderr);
  const cjs = init('кӯҳна', ['--template', 'node']);
  assert.equal(cjs.pkg.type, undefined);
});

test('init --template vite: Vite scripts, the plugin in vite.config.js, ES modules for the browser', () => {
  const { project, pkg } = init('сайт', ['--template', 'vite']);
  assert.equal(pkg.type, 'module');
  assert.deepEqual(pkg.scripts, { dev: 'vite', build: 'somon check src && vite build', preview: 'vite preview', test: 'somon check src' });
  assert.ok(pkg.devDependencies.vite);
  assert.ok(pkg.devDependencies.somonscript);
  assert.match(fs.readFileSync(path.join(project, 'vite.config.js'), 'utf8'), /import somon from 'somonscript\/vite';[\s\S]*plugins: \[somon\(\)\]/);
  assert.match(fs.readFileSync(path.join(project, 'index.html'), 'utf8'), /<script type="module" src="\/src\/main\.som"><\/script>/);
  const config = JSON.parse(fs.readFileSync(path.join(project, 'somon.config.json'), 'utf8'));
  assert.equal(config.compilerOptions.module, 'esm');
  assert.equal(config.bundle.platform, 'browser');
  // The page's program type-checks, and runs (without a document) under Node.
  assert.equal(runCli(['check', 'src'], { cwd: project }).status, 0);
  assert.equal(runCli(['run', 'src/main.som'], { cwd: project }).stdout, 'Салом, ҷаҳон!\n');
});

test('init --template library: a bundle in dist with exports, a watching dev script', () => {
  const { project, pkg } = init('китобхона', ['--template', 'library', '--module', 'esm']);
  assert.equal(pkg.name, 'kitobkhona');
  assert.equal(pkg.type, 'module');
  assert.deepEqual(pkg.exports, { '.': './dist/index.js' });
  assert.deepEqual(pkg.files, ['dist']);
  assert.equal(pkg.scripts.build, 'somon bundle src/index.som -o dist/index.js --format esm --source-map');
  assert.equal(pkg.scripts.dev, `${pkg.scripts.build} --watch`);
  const build = runCli(['bundle', 'src/index.som', '-o', 'dist/index.js', '--format', 'esm', '--source-map'], { cwd: project });
  assert.equal(build.status, 0, build.stderr);
  const use = spawnSync(process.execPath, ['--input-type=module', '-e', `import { салом } from ${JSON.stringify(path.join(project, 'dist', 'index.js'))}; console.log(салом('дунё'));`], { encoding: 'utf8' });
  assert.equal(use.stdout, 'Салом, дунё!\n', use.stderr);
  const cjs = init('lib-cjs', ['--template', 'library']);
  assert.equal(cjs.pkg.type, undefined);
  assert.match(cjs.pkg.scripts.build, /--format cjs/);
});

test('the init wizard asks for the template last', () => {
  const dir = scratch();
  const r = spawnSync(process.execPath, [cliPath, 'init', 'нав'], {
    cwd: dir,
    input: 'сомон\nes2022\ncjs\nn\nn\nvite\n',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  assert.equal(r.status, 0, r.stderr);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'нав', 'package.json'), 'utf8'));
  assert.equal(pkg.name, 'somon');
  assert.equal(pkg.scripts.dev, 'vite');
  assert.equal(pkg.type, 'module');
  const bad = spawnSync(process.execPath, [cliPath, 'init', 'дигар'], { cwd: dir, input: '\n\n\n\n\nwebpack\n', encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /error\[USAGE\]: invalid template `webpack`; valid values: node, vite, library/);
});
