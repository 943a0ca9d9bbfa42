// The VS Code extension's TextMate grammar (editors/vscode/syntaxes), run
// with the real engine VS Code uses (vscode-textmate + vscode-oniguruma).
// Keywords and built-in names are read from the compiler's own tables
// (crates/somon_syntax/src/keywords.rs and names.rs), so the grammar cannot
// drift from the language.

import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tokenize } from '../editors/vscode/test/tokenize.mjs';
import {
  grammarText,
  KEYWORDS,
  PROPERTY_ALIASES,
  BUILTIN_GLOBALS,
  RECEIVER_MEMBERS,
} from '../editors/vscode/syntaxes/grammar.mjs';

const require = createRequire(import.meta.url);
const root = new URL('../', import.meta.url);
const read = (p) => readFileSync(new URL(p, root), 'utf8');

/** The match arms `"a" | "b" => X` of the Rust function `name` in `src`. */
function matchArms(src, name) {
  const start = src.indexOf(`pub fn ${name}(`);
  assert.ok(start >= 0, `fn ${name} not found`);
  const body = src.slice(start, src.indexOf('_ => return None', start));
  const arms = [];
  for (const m of body.matchAll(/((?:\(?"[^"]+"(?:\s*,\s*"[^"]+")?\)?\s*\|?\s*)+)=>\s*("?[\w]+"?)/g)) {
    const strings = [...m[1].matchAll(/"([^"]+)"/g)].map((s) => s[1]);
    arms.push({ strings, target: m[2].replace(/"/g, '') });
  }
  return arms;
}

const keywordArms = matchArms(read('crates/somon_syntax/src/keywords.rs'), 'lookup');
const namesRs = read('crates/somon_syntax/src/names.rs');

/** The scope each keyword of the lexer must get, by its `Kw` variant. */
const EXPECTED = {
  Let: 'storage.type.somon',
  Const: 'storage.type.somon',
  Function: 'storage.type.function.somon',
  If: 'keyword.control.conditional.somon',
  Else: 'keyword.control.conditional.somon',
  For: 'keyword.control.loop.somon',
  Return: 'keyword.control.flow.somon',
  Class: 'storage.type.class.somon',
  New: 'keyword.operator.new.somon',
  This: 'variable.language.this.somon',
  True: 'constant.language.boolean.true.somon',
  False: 'constant.language.boolean.false.somon',
  Undefined: 'constant.language.undefined.somon',
  Import: 'keyword.control.import.somon',
  Export: 'keyword.control.export.somon',
  Default: 'keyword.control.switch.somon',
  As: 'keyword.control.as.somon',
  Break: 'keyword.control.flow.somon',
  Continue: 'keyword.control.flow.somon',
  Switch: 'keyword.control.switch.somon',
  Try: 'keyword.control.trycatch.somon',
  Finally: 'keyword.control.trycatch.somon',
  Throw: 'keyword.control.flow.somon',
  Async: 'storage.modifier.async.somon',
  Await: 'keyword.control.flow.somon',
  Promise: 'support.class.promise.somon',
  Bigint: 'support.type.primitive.somon',
  Symbol: 'support.type.primitive.somon',
  Interface: 'storage.type.interface.somon',
  While: 'keyword.control.loop.somon',
  Do: 'keyword.control.loop.somon',
  Case: 'keyword.control.switch.somon',
  Catch: 'keyword.control.trycatch.somon',
  Super: 'variable.language.super.somon',
  Constructor: 'storage.type.constructor.somon',
  Extends: 'storage.modifier.extends.somon',
  Implements: 'storage.modifier.implements.somon',
  Public: 'storage.modifier.somon',
  Private: 'storage.modifier.somon',
  Protected: 'storage.modifier.somon',
  Static: 'storage.modifier.somon',
  Abstract: 'storage.modifier.somon',
  Readonly: 'storage.modifier.somon',
  Null: 'constant.language.null.somon',
  From: 'keyword.control.from.somon',
  In: 'keyword.operator.expression.in.somon',
  Typeof: 'keyword.operator.expression.typeof.somon',
  Instanceof: 'keyword.operator.expression.instanceof.somon',
  Delete: 'keyword.operator.expression.delete.somon',
  Get: 'storage.type.property.somon',
  Set: 'storage.type.property.somon',
  Yield: 'keyword.control.flow.somon',
  Enum: 'storage.type.enum.somon',
  Type: 'storage.type.type.somon',
  Namespace: 'storage.type.namespace.somon',
  Keyof: 'keyword.operator.expression.keyof.somon',
  Infer: 'keyword.operator.expression.infer.somon',
  Unique: 'keyword.operator.expression.unique.somon',
  Is: 'keyword.operator.expression.is.somon',
  Asserts: 'keyword.operator.expression.asserts.somon',
  String: 'support.type.primitive.somon',
  Number: 'support.type.primitive.somon',
  Boolean: 'support.type.primitive.somon',
  Any: 'support.type.primitive.somon',
  Unknown: 'support.type.primitive.somon',
  Never: 'support.type.primitive.somon',
  Void: 'support.type.primitive.somon',
  Object: 'support.type.primitive.somon',
};

/** The innermost scope of the token `text` (the `nth` one) in `tokens`. */
function scopeOf(tokens, text, nth = 0) {
  const found = tokens.filter((t) => t.text === text);
  assert.ok(found.length > nth, `no token ${JSON.stringify(text)} (#${nth}) among ${tokens.length} tokens`);
  return found[nth].scopes;
}

function assertScope(tokens, text, scope, nth = 0) {
  const scopes = scopeOf(tokens, text, nth);
  assert.ok(scopes.includes(scope), `${JSON.stringify(text)}: expected ${scope}, got ${scopes.join(' ')}`);
}

const upperFirst = (w) => w.charAt(0).toUpperCase() + w.slice(1);

test('the committed grammar is what grammar.mjs writes', () => {
  assert.equal(read('editors/vscode/syntaxes/somon.tmLanguage.json'), grammarText(), 'run `npm run grammar`');
});

test('the lexer table was read', () => {
  const spellings = keywordArms.flatMap((a) => a.strings);
  assert.ok(spellings.includes('агар') && spellings.includes('беҷавоб'), 'keywords.rs could not be parsed');
  assert.ok(keywordArms.length >= 60);
});

test('every keyword of the lexer is a keyword in the grammar, in any letter case', async () => {
  const missingVariants = keywordArms.map((a) => a.target).filter((v) => !(v in EXPECTED));
  assert.deepEqual(missingVariants, [], 'a new keyword in keywords.rs: give it a scope here and in grammar.mjs');
  for (const { strings, target } of keywordArms) {
    for (const word of strings) {
      for (const spelling of [word, upperFirst(word), word.toUpperCase()]) {
        const tokens = await tokenize(`${spelling} х;`);
        assertScope(tokens, spelling, EXPECTED[target]);
      }
    }
  }
});

test('the grammar has no keyword the lexer does not have', () => {
  const lexer = new Set(keywordArms.flatMap((a) => a.strings));
  const extra = Object.values(KEYWORDS)
    .flat()
    .filter((w) => !lexer.has(w));
  assert.deepEqual(extra, []);
});

test('identifiers: Tajik letters, mixed scripts, $ and _ make one name', async () => {
  const names = ['ғӣқӯҳҷ', 'ҒӢҚӮҲҶ', 'ёъэюя', 'myТағйирёбанда123', 'xmlФеҳрист', '_приватная', '$қимат', 'ин_ҷо'];
  const t = await tokenize(names.map((n) => `ф(${n});`).join('\n'));
  for (const name of names) assertScope(t, name, 'variable.other.readwrite.somon');
  const d = await tokenize('тағ ҳаҷмиҶуфт = 1; функсия ҳисобиҚарз() {} синф ҶадвалиҒалла {}');
  assertScope(d, 'ҳаҷмиҶуфт', 'variable.other.readwrite.declaration.somon');
  assertScope(d, 'ҳисобиҚарз', 'entity.name.function.somon');
  assertScope(d, 'ҶадвалиҒалла', 'entity.name.type.class.somon');
});

test('keywords are whole words and are names after `.`', async () => {
  for (const word of ['агарчи', 'тағ1', 'ин_ҷо', 'функсия2', '$агар']) {
    const tokens = await tokenize(`${word} = 1;`);
    assertScope(tokens, word, 'variable.other.readwrite.somon');
  }
  const tokens = await tokenize('х.то = о?.аз + о.навъ;');
  assertScope(tokens, 'то', 'variable.other.property.somon');
  assertScope(tokens, 'аз', 'support.variable.property.alias.somon');
  assertScope(tokens, 'навъ', 'variable.other.property.somon');
});

test('every Tajik method name of names.rs is a built-in property, and a built-in method when called', async () => {
  const aliases = matchArms(namesRs, 'property_alias').flatMap((a) => a.strings);
  assert.ok(aliases.length > 150, 'names.rs could not be parsed');
  assert.deepEqual([...aliases].sort(), [...PROPERTY_ALIASES].sort());
  const lines = aliases.map((name) => `о.${name}; о?.${name}(1);`).join('\n');
  const tokens = await tokenize(lines);
  for (const name of aliases) {
    assertScope(tokens, name, 'support.variable.property.alias.somon', 0);
    assertScope(tokens, name, 'support.function.alias.somon', 1);
  }
});

test('free built-in names and receiver-specific members of names.rs', async () => {
  const globals = matchArms(namesRs, 'builtin_global').flatMap((a) => a.strings);
  const keywordSpellings = new Set(keywordArms.flatMap((a) => a.strings));
  for (const name of globals) {
    const tokens = await tokenize(`${name}.х;`);
    const scopes = scopeOf(tokens, name);
    if (keywordSpellings.has(name.toLowerCase())) {
      // `сатр`, `объект`, `ваъда` are also keywords: their keyword scope wins.
      assert.ok(!scopes.includes('variable.other.readwrite.somon'), `${name}: ${scopes.join(' ')}`);
    } else {
      assert.ok(
        scopes.some((s) => s.startsWith('support.class.')),
        `${name}: expected a support.class scope, got ${scopes.join(' ')}`,
      );
      assert.ok(BUILTIN_GLOBALS.includes(name), `${name} missing from BUILTIN_GLOBALS`);
    }
  }
  const members = matchArms(namesRs, 'receiver_member');
  assert.ok(members.length >= 8);
  for (const { strings } of members) {
    const [receiver, prop] = strings;
    const somon = receiver === 'Promise' ? 'Ваъда' : receiver;
    assert.ok(Object.values(RECEIVER_MEMBERS).flat().includes(prop), prop);
    const tokens = await tokenize(`${somon}.${prop}(х);`);
    assertScope(tokens, prop, 'support.function.builtin.somon');
  }
});

test('the sample files are valid SomonScript', () => {
  const { compile } = require('../index.js');
  for (const name of ['tour.som', 'regex.som']) {
    const source = read(`editors/vscode/test/samples/${name}`);
    const result = compile(source, { typeCheck: false });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errors, [], name);
  }
});

test('tour.som: keyword classes, declarations, built-ins', async () => {
  const t = await tokenize(read('editors/vscode/test/samples/tour.som'));
  const expect = [
    ['ворид', 'keyword.control.import.somon'],
    ['аз', 'keyword.control.from.somon'],
    ['чун', 'keyword.control.as.somon'],
    ['тағйирёбанда', 'storage.type.somon'],
    ['ҷамъ', 'variable.other.readwrite.declaration.somon'],
    ['ҳисоб', 'variable.other.readwrite.declaration.somon'],
    ['ном', 'variable.other.constant.declaration.somon'],
    ['салом', 'entity.name.function.somon'],
    ['тавлид', 'entity.name.function.somon'],
    ['*', 'keyword.generator.asterisk.somon', 1],
    ['ҳамзамон', 'storage.modifier.async.somon'],
    ['агар', 'keyword.control.conditional.somon'],
    ['вагарна', 'keyword.control.conditional.somon'],
    ['чунин', 'keyword.control.conditional.somon'],
    ['бозгашт', 'keyword.control.flow.somon'],
    ['партофтан', 'keyword.control.flow.somon'],
    ['ҳосил', 'keyword.control.flow.somon'],
    ['интизор', 'keyword.control.flow.somon'],
    ['барои', 'keyword.control.loop.somon'],
    ['то', 'keyword.control.loop.somon'],
    ['иҷро', 'keyword.control.loop.somon'],
    ['интихоб', 'keyword.control.switch.somon'],
    ['ҳолат', 'keyword.control.switch.somon'],
    ['пешфарз', 'keyword.control.switch.somon'],
    ['кӯшиш', 'keyword.control.trycatch.somon'],
    ['гирифтан', 'keyword.control.trycatch.somon'],
    ['ниҳоят', 'keyword.control.trycatch.somon'],
    ['шикастан', 'keyword.control.flow.somon'],
    ['берун', 'entity.name.label.somon'],
    ['давом', 'keyword.control.flow.somon'],
    ['берун', 'entity.name.label.somon', 1],
    ['навъи', 'keyword.operator.expression.typeof.somon'],
    ['намунаи', 'keyword.operator.expression.instanceof.somon'],
    ['нобуд', 'keyword.operator.expression.delete.somon'],
    ['калидҳои', 'keyword.operator.expression.keyof.somon'],
    ['инфер', 'keyword.operator.expression.infer.somon'],
    ['аст', 'keyword.operator.expression.is.somon'],
    ['нав', 'keyword.operator.new.somon'],
    ['холӣ', 'constant.language.null.somon'],
    ['беқимат', 'constant.language.undefined.somon'],
    ['дуруст', 'constant.language.boolean.true.somon'],
    ['нодуруст', 'constant.language.boolean.false.somon'],
    ['null', 'constant.language.null.somon'],
    ['undefined', 'constant.language.undefined.somon'],
    ['NaN', 'constant.language.nan.somon'],
    ['Infinity', 'constant.language.infinity.somon'],
    ['ин', 'variable.language.this.somon'],
    ['супер', 'variable.language.super.somon'],
    ['рақам', 'support.type.primitive.somon'],
    ['сатр', 'support.type.primitive.somon'],
    ['беҷавоб', 'support.type.primitive.somon'],
    ['калонрақам', 'support.type.primitive.somon'],
    ['ношинос', 'support.type.primitive.somon'],
    ['абадан', 'support.type.primitive.somon'],
    ['Шакл', 'entity.name.type.interface.somon', 1],
    ['Ҷуфт', 'entity.name.type.alias.somon'],
    ['Ранг', 'entity.name.type.enum.somon'],
    ['Самт', 'entity.name.type.enum.somon'],
    ['Асбоб.Дохилӣ', 'entity.name.type.module.somon'],
    ['Асос', 'entity.name.type.class.somon'],
    ['Доира', 'entity.name.type.class.somon'],
    ['Асос', 'entity.other.inherited-class.somon', 1],
    ['Шакл', 'entity.other.inherited-class.somon', 2],
    ['мерос', 'storage.modifier.extends.somon'],
    ['татбиқ', 'storage.modifier.implements.somon'],
    ['мавҳум', 'storage.modifier.somon'],
    ['хосусӣ', 'storage.modifier.somon'],
    ['муҳофизатшуда', 'storage.modifier.somon'],
    ['статикӣ', 'storage.modifier.somon'],
    ['ҷамъиятӣ', 'storage.modifier.somon'],
    ['танҳохонӣ', 'storage.modifier.somon'],
    ['конструктор', 'storage.type.constructor.somon'],
    ['гир', 'storage.type.property.somon'],
    ['гузор', 'storage.type.property.somon'],
    ['андоза', 'entity.name.function.accessor.somon'],
    ['#пинҳон', 'variable.other.private.somon'],
    ['Хато', 'entity.name.type.instance.somon'],
    ['Хато', 'support.class.builtin.somon', 1],
    ['чоп', 'support.class.console.somon'],
    ['сабт', 'support.function.alias.somon'],
    ['Риёзӣ', 'support.class.builtin.somon'],
    ['ПИ', 'support.variable.property.alias.somon'],
    ['Ваъда', 'support.class.promise.somon'],
    ['ҳама', 'support.function.builtin.somon'],
    ['JSON', 'support.class.builtin.somon'],
    ['сатрӣ', 'support.function.builtin.somon'],
    ['рӯйхат', 'support.class.builtin.somon'],
    ['математика', 'support.class.builtin.somon'],
    ['масоҳат', 'entity.name.function.somon'],
    ['тир', 'entity.name.function.somon'],
    ['пешфарз', 'keyword.control.default.somon', 1],
    ['=>', 'storage.type.function.arrow.somon'],
    ['...', 'keyword.operator.spread.somon'],
    ['??', 'keyword.operator.logical.somon'],
    ['**', 'keyword.operator.arithmetic.somon'],
    ['+=', 'keyword.operator.assignment.compound.somon'],
    ['===', 'keyword.operator.comparison.somon'],
  ];
  for (const [text, scope, nth] of expect) assertScope(t, text, scope, nth ?? 0);
});

test('tour.som: strings, escapes, templates with nested ${…}, comments', async () => {
  const t = await tokenize(read('editors/vscode/test/samples/tour.som'));
  assertScope(t, 'Сомон', 'string.quoted.double.somon');
  for (const escape of ['\\t', '\\u0041', '\\u{1F600}', '\\x41']) {
    assertScope(t, escape, 'constant.character.escape.somon');
  }
  assertScope(t, 'калимаи ', 'string.quoted.single.somon');
  assertScope(t, "\\'", 'constant.character.escape.somon');
  assertScope(t, './асбоб', 'string.quoted.single.somon', 1);
  // `Салом, ${ном}! ${ {к: `дохил ${ҳисоб + 1}`}.к }`
  assertScope(t, 'Салом, ', 'string.template.somon');
  const ном = t.find((x) => x.text === 'ном' && x.scopes.includes('meta.template.expression.somon'));
  assert.ok(ном, 'the name inside ${} is code');
  assert.ok(ном.scopes.includes('variable.other.readwrite.somon'));
  assert.ok(!ном.scopes.some((s) => s === 'string.template.somon' && ном.scopes.at(-1) === s));
  const inner = scopeOf(t, 'дохил ');
  assert.equal(inner.filter((s) => s === 'string.template.somon').length, 2, 'a template inside ${} inside a template');
  assert.equal(inner.filter((s) => s === 'meta.template.expression.somon').length, 1);
  const one = t.find((x) => x.text === '1' && x.scopes.filter((s) => s === 'meta.template.expression.somon').length === 2);
  assert.ok(one, 'the 1 of ${ҳисоб + 1} is two substitutions deep');
  assert.ok(one.scopes.includes('constant.numeric.decimal.somon'));
  // After the nested braces the outer template goes on and closes.
  const к = t.filter((x) => x.text === 'к' && x.scopes.includes('variable.other.property.somon'));
  assert.equal(к.length, 1);
  assertScope(t, 'хом', 'entity.name.function.tagged-template.somon');
  assertScope(t, '/**', 'comment.block.documentation.somon');
  assertScope(t, '@param', 'storage.type.class.doc.somon');
  assertScope(t, ' Блоки шарҳ ', 'comment.block.somon');
  assertScope(t, ' Тағйирёбандаҳо / Variables', 'comment.line.double-slash.somon');
  // The line after the comments is code again.
  assertScope(t, 'тағ', 'storage.type.somon');
});

test('tour.som: every form of number', async () => {
  const t = await tokenize(read('editors/vscode/test/samples/tour.som'));
  assertScope(t, '1_000', 'constant.numeric.decimal.somon');
  assertScope(t, '9_007_199_254_740_993', 'constant.numeric.decimal.somon');
  assertScope(t, 'n', 'storage.type.numeric.bigint.somon');
  assertScope(t, '0xFF', 'constant.numeric.hex.somon');
  assertScope(t, '0b1010_1010', 'constant.numeric.binary.somon');
  assertScope(t, '0o755', 'constant.numeric.octal.somon');
  for (const n of ['1e3', '2.5E-2', '.5', '007']) assertScope(t, n, 'constant.numeric.decimal.somon');
  const more = await tokenize('х = 0XAB_CDn + 0B1n + 0O7n + 1_0.0_1e+1_0 + 12n;');
  assertScope(more, '0XAB_CD', 'constant.numeric.hex.somon');
  assertScope(more, '0B1', 'constant.numeric.binary.somon');
  assertScope(more, '0O7', 'constant.numeric.octal.somon');
  assertScope(more, '1_0.0_1e+1_0', 'constant.numeric.decimal.somon');
  assertScope(more, '12', 'constant.numeric.decimal.somon');
  assert.equal(more.filter((x) => x.scopes.includes('storage.type.numeric.bigint.somon')).length, 4);
  // Digits inside a name are part of the name.
  assertScope(await tokenize('х1 = ЛН10;'), 'х1', 'variable.other.readwrite.somon');
});

test('regex.som: regular expressions and division, as the lexer tells them apart', async () => {
  const lines = read('editors/vscode/test/samples/regex.som').split('\n');
  const t = await tokenize(lines.join('\n'));
  const onLine = (n) => t.filter((x) => x.line === n);
  lines.forEach((text, n) => {
    const marker = text.match(/\/\/ (regex|division)$/);
    if (!marker) return;
    const slashes = onLine(n).filter((x) => x.text.startsWith('/') && !x.scopes.some((s) => s.startsWith('comment')));
    assert.ok(slashes.length > 0, text);
    const isRegex = slashes[0].scopes.includes('string.regexp.somon');
    assert.equal(isRegex, marker[1] === 'regex', `line ${n + 1}: ${text}`);
  });
  assertScope(t, 'gu', 'keyword.other.flags.regexp.somon');
  assertScope(t, '\\d', 'constant.other.character-class.regexp');
  assertScope(t, '\\p{L}', 'constant.other.character-class.unicode-property.regexp');
  assertScope(t, 'а-я', 'constant.other.character-class.range.regexp');
  assertScope(t, '{2,}', 'keyword.operator.quantifier.regexp');
  assertScope(t, '?<=', 'punctuation.definition.group.assertion.regexp');
  assertScope(t, '|', 'keyword.operator.or.regexp');
  assertScope(t, '\\/', 'constant.character.escape.regexp');
  // A `/` inside a class does not end the literal.
  const klass = t.find((x) => x.text === '[' && x.scopes.includes('constant.other.character-class.set.regexp') && x.line === lines.findIndex((l) => l.includes('[/]')));
  assert.ok(klass);
  const after = t.filter((x) => x.line === klass.line && x.text === 'х');
  assert.ok(after.every((x) => x.scopes.includes('string.regexp.somon')));
});

test('a line comment and an unclosed regex end with their line; a string may span lines, as in the language', async () => {
  const t = await tokenize('х = /абв // шарҳ\nтағ а = 1;');
  assertScope(t, 'тағ', 'storage.type.somon');
  assert.ok(!scopeOf(t, 'тағ').some((s) => s.startsWith('string') || s.startsWith('comment')));
  // language.md §1.7: raw line feeds may stand in a string.
  const s = await tokenize('собит м = "сатри\nдуюм";\nтағ б = 2;');
  assertScope(s, 'дуюм', 'string.quoted.double.somon');
  assertScope(s, 'тағ', 'storage.type.somon');
});

test('every valid program of the corpora ends at the grammar\'s top level, without an illegal token', async () => {
  const { readdirSync, existsSync } = await import('node:fs');
  const path = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const { INITIAL } = require('vscode-textmate');
  const { compile } = require('../index.js');
  const { loadGrammar } = await import('../editors/vscode/test/tokenize.mjs');
  const grammar = await loadGrammar();
  const rootDir = fileURLToPath(root);
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(p);
      else if (entry.name.endsWith('.som')) files.push(p);
    }
  };
  for (const dir of ['examples', 'tests', '../shared/conformance']) {
    const full = path.join(rootDir, dir);
    if (existsSync(full)) walk(full);
  }
  let valid = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const result = compile(text, { typeCheck: false });
    if (result.diagnostics.some((d) => d.severity === 'error')) continue;
    valid++;
    let state = INITIAL;
    text.split(/\r\n|\r|\n/).forEach((line, n) => {
      const r = grammar.tokenizeLine(line, state);
      for (const t of r.tokens) {
        assert.ok(
          !t.scopes.some((s) => s.startsWith('invalid.')),
          `${path.relative(rootDir, file)}:${n + 1}: ${line.slice(t.startIndex, t.endIndex)} is ${t.scopes.join(' ')}`,
        );
      }
      state = r.ruleStack;
    });
    assert.equal(state.depth, 1, `${path.relative(rootDir, file)} ends inside ${state.toString()}`);
  }
  assert.ok(valid >= 20, `only ${valid} valid programs found`);
});
