#!/usr/bin/env node
// Writes `somon.tmLanguage.json` (the TextMate grammar `source.somon`) from
// the word lists below. Run `node editors/vscode/syntaxes/grammar.mjs` after
// changing it; `__test__/vscode-grammar.test.mjs` fails when the JSON is not
// what this file writes, and when a keyword of the lexer
// (crates/somon_syntax/src/keywords.rs) or a name of the built-in table
// (crates/somon_syntax/src/names.rs) is missing here.
//
// Keywords are case-insensitive (the lexer lower-cases a word before looking
// it up), so their words are matched under `(?i:…)` (only the words: a
// case-insensitive Unicode class around them is many times slower); built-in
// names are exact.

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Characters that continue an identifier (the lexer's XID_Continue + `$`, ZWNJ, ZWJ). */
const ID_CONT = '\\p{L}\\p{Nl}\\p{Mn}\\p{Mc}\\p{Nd}\\p{Pc}$\\x{200C}\\x{200D}';
const ID_START = '\\p{L}\\p{Nl}$_';
/** An identifier: Latin, Cyrillic (Tajik ғ ӣ қ ӯ ҳ ҷ included) or any other Unicode letter. */
const ID = `[${ID_START}][${ID_CONT}]*`;
/** Not inside a word and not a property name after `.`. */
const BEFORE = `(?<![${ID_CONT}.])`;
/** The word ends here. */
const AFTER = `(?![${ID_CONT}])`;

const words = (list) => list.join('|');
/** A whole word, exact case (built-in names). */
const exact = (list) => `${BEFORE}(${words(list)})${AFTER}`;

// Every spelling of crates/somon_syntax/src/keywords.rs, by class.
export const KEYWORDS = {
  'keyword.control.conditional.somon': ['агар', 'вагарна', 'чунин'],
  'keyword.control.switch.somon': ['интихоб', 'ҳолат', 'пешфарз'],
  'keyword.control.loop.somon': ['барои', 'то', 'иҷро'],
  'keyword.control.flow.somon': ['бозгашт', 'шикастан', 'давом', 'партофтан', 'интизор', 'ҳосил'],
  'keyword.control.trycatch.somon': ['кӯшиш', 'гирифтан', 'ниҳоят'],
  'keyword.control.import.somon': ['ворид'],
  'keyword.control.export.somon': ['содир'],
  'keyword.control.from.somon': ['аз'],
  'keyword.control.as.somon': ['чун'],
  'storage.type.somon': ['тағйирёбанда', 'тағ', 'собит'],
  'storage.type.function.somon': ['функсия', 'функция'],
  'storage.type.class.somon': ['синф'],
  'storage.type.interface.somon': ['интерфейс'],
  'storage.type.type.somon': ['навъ'],
  'storage.type.enum.somon': ['номгӯ'],
  'storage.type.namespace.somon': ['номфазо'],
  'storage.type.constructor.somon': ['конструктор'],
  'storage.type.property.somon': ['гир', 'гузор'],
  'storage.modifier.async.somon': ['ҳамзамон'],
  'storage.modifier.somon': ['ҷамъиятӣ', 'хосусӣ', 'муҳофизатшуда', 'статикӣ', 'мавҳум', 'танҳохонӣ'],
  'storage.modifier.extends.somon': ['мерос'],
  'storage.modifier.implements.somon': ['татбиқ'],
  'keyword.operator.new.somon': ['нав'],
  'keyword.operator.expression.typeof.somon': ['навъи'],
  'keyword.operator.expression.instanceof.somon': ['намунаи'],
  'keyword.operator.expression.in.somon': ['дар'],
  'keyword.operator.expression.delete.somon': ['нобуд'],
  'keyword.operator.expression.keyof.somon': ['калидҳои'],
  'keyword.operator.expression.infer.somon': ['инфер', 'хулоса'],
  'keyword.operator.expression.unique.somon': ['беназир'],
  'keyword.operator.expression.is.somon': ['аст'],
  'keyword.operator.expression.asserts.somon': ['бармесоё'],
  'constant.language.boolean.true.somon': ['дуруст'],
  'constant.language.boolean.false.somon': ['нодуруст'],
  'constant.language.null.somon': ['холӣ'],
  'constant.language.undefined.somon': ['беқимат'],
  'variable.language.this.somon': ['ин'],
  'variable.language.super.somon': ['супер'],
  'support.type.primitive.somon': [
    'сатр', 'рақам', 'мантиқӣ', 'калонрақам', 'рамз', 'ҳар', 'ношинос', 'абадан', 'беҷавоб', 'беджавоб', 'объект',
  ],
  'support.class.promise.somon': ['ваъда'],
};

/** After these keywords a `/` starts a regular expression (the lexer's `regex_allowed`). */
const REGEX_AFTER_KEYWORDS = [
  'бозгашт', 'партофтан', 'вагарна', 'чунин', 'пешфарз', 'интизор', 'иҷро', 'ҳолат',
  'навъи', 'намунаи', 'дар', 'нобуд', 'ҳосил', 'нав', 'содир', 'агар', 'барои',
];

// crates/somon_syntax/src/names.rs: free built-in names, `builtin_global`.
export const BUILTIN_GLOBALS = ['рӯйхат', 'сатрМетодҳо', 'математика', 'Риёзӣ', 'Хато', 'чоп', 'Ваъда'];

// crates/somon_syntax/src/names.rs: `receiver_member`.
export const RECEIVER_MEMBERS = {
  promise: ['ҳамаҲалШуда', 'ҳалШуда', 'радШуда', 'мусобиқа', 'ҳама', 'ягон'],
  json: ['сатрӣ', 'таҳлил'],
};

// crates/somon_syntax/src/names.rs: the method table, `property_alias`.
export const PROPERTY_ALIASES = [
  'xmlФеҳрист', 'Е', 'ЛН10', 'ЛН2', 'ЛОГ10Е', 'ЛОГ2Е', 'ПИ', 'РЕША1_2', 'РЕША2', 'аз', 'азАргументҳо',
  'азВоридот', 'азКодиАломат', 'азНуқтаиКод', 'аломат', 'аломатДар', 'анҷомБо', 'арккосинус',
  'арккосинусГиперболӣ', 'арксинус', 'арксинусГиперболӣ', 'арктангенс', 'арктангенс2',
  'арктангенсГиперболӣ', 'аст', 'баБаргардон', 'баПайваст', 'баСатр', 'баСатриМаҳаллӣ', 'баТартиб',
  'баргардон', 'бароиҲар', 'баровардан', 'баъд', 'баъзе', 'бириданАдад', 'бо', 'боло', 'бозгирифтан',
  'буридан', 'васеъшаванда', 'воридот', 'вақт', 'вақтОхир', 'вақтСабт', 'гипотенуза', 'гирифтан',
  'гузоштан', 'гуруҳ', 'гуруҳОхир', 'гуруҳПӯшида', 'гурӯҳбандӣ', 'дар', 'дарозиисатр', 'дарозииСатр',
  'дарозӣ', 'дорад', 'дорадКалид', 'дорадХосият', 'дузкунӣ', 'дуръшака', 'иловаБаАввал', 'илова',
  'индекси', 'индексиОхирин', 'индексиОхиринЁфтан', 'индексиЁфтан', 'исфти', 'калидҳо', 'калон',
  'калонМаҳаллӣ', 'косинус', 'косинусГиперболӣ', 'кодиАломатДар', 'кофтан', 'логарифм', 'логарифм10',
  'логарифм1п', 'логарифм2', 'манъиВасеъшавӣ', 'маълумот', 'мувофиқат', 'мувофиқатҲама',
  'муайянХосият', 'муайянХосиятҳо', 'муқаррарӣ', 'муқоисаиМаҳаллӣ', 'мутлақ', 'мӯҳр', 'мӯҳршуда',
  'нобудКардан', 'номҳоиХосият', 'нусхаДарДохил', 'нуқтаиКодДар', 'огоҳӣ', 'охиринЁфтан', 'оғозБо',
  'пайваст', 'пайвастКардан', 'пайвастан', 'пайҷо', 'полиз', 'поён', 'прототип', 'пуш', 'пурКардан',
  'пурКарданАввал', 'пурКарданОхир', 'рамзҳоиХосият', 'рӯйхатАст', 'решаиКубӣ', 'сабт', 'синус',
  'синусГиперболӣ', 'сохтан', 'тавсифиХосият', 'тавсифиХосиятҳо', 'такрор', 'танзимиПрототип',
  'тангенс', 'тангенсГиперболӣ', 'тартиб', 'тасдиқ', 'тасодуфӣ', 'таъин', 'тозаКардан',
  'тозаКарданАввал', 'тозаКарданОхир', 'филтр', 'феҳрист', 'харита', 'хато', 'хоми', 'хурд',
  'хурдМаҳаллӣ', 'ниҳоят', 'экспонента', 'яхКардан', 'яхшуда', 'қайд', 'қайдАсл', 'қисмат',
  'қиматиАслӣ', 'қиматҳо', 'қувват', 'ҳаддиАксар', 'ҳаддиАқал', 'ҳазфиАввал', 'ҳама', 'ҳаҷм',
  'ҳамвор', 'ҳамворХарита', 'ҷадвал', 'ҷамъбаст', 'ҷамъбастАзРост', 'ҷойгузин', 'ҷойивазкунӣ',
  'ҷойивазкунӣҲама', 'ҷудокунӣ', 'ҷустуҷӯ',
];

// JavaScript and Node.js globals the checker knows (crates/somon_check/src/globals.rs).
const JS_CLASSES = [
  'Array', 'ArrayBuffer', 'Atomics', 'BigInt', 'BigInt64Array', 'BigUint64Array', 'Boolean', 'DataView', 'Date',
  'Error', 'AggregateError', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError',
  'FinalizationRegistry', 'Float32Array', 'Float64Array', 'Function', 'Int8Array', 'Int16Array', 'Int32Array',
  'Intl', 'Iterator', 'JSON', 'Map', 'Math', 'Number', 'Object', 'Promise', 'Proxy', 'Reflect', 'RegExp', 'Set',
  'SharedArrayBuffer', 'String', 'Symbol', 'Uint8Array', 'Uint8ClampedArray', 'Uint16Array', 'Uint32Array',
  'WeakMap', 'WeakRef', 'WeakSet', 'Buffer', 'Request', 'Response', 'Headers', 'FormData', 'URL',
  'URLSearchParams', 'TextEncoder', 'TextDecoder', 'AbortController', 'AbortSignal', 'Event', 'EventTarget',
  'Blob', 'File', 'WebAssembly', 'WebSocket', 'CustomEvent', 'DOMException',
];
const JS_FUNCTIONS = [
  'eval', 'isFinite', 'isNaN', 'parseFloat', 'parseInt', 'decodeURI', 'decodeURIComponent', 'encodeURI',
  'encodeURIComponent', 'require', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate',
  'clearImmediate', 'queueMicrotask', 'structuredClone', 'fetch', 'atob', 'btoa',
];
const JS_VARIABLES = [
  'globalThis', 'arguments', 'module', 'exports', '__dirname', '__filename', 'process', 'global', 'console',
  'performance', 'crypto', 'navigator',
];
/** JavaScript's value names, values in Somon too (decisions.md §6.1). */
const JS_CONSTANTS = { 'constant.language.null.somon': ['null'], 'constant.language.undefined.somon': ['undefined'], 'constant.language.nan.somon': ['NaN'], 'constant.language.infinity.somon': ['Infinity'] };

/** Not one of these keywords (any case). */
const notKw = (list) => `(?!(?i:${words(list)})${AFTER})`;

const longestFirst = (list) => [...list].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));

const punct = (name) => ({ name });

function build() {
  const repository = {};

  repository.comments = {
    patterns: [
      {
        name: 'comment.block.documentation.somon',
        begin: '/\\*\\*(?!/)',
        end: '\\*/',
        beginCaptures: { 0: punct('punctuation.definition.comment.begin.somon') },
        endCaptures: { 0: punct('punctuation.definition.comment.end.somon') },
        patterns: [
          {
            match: `(?<![^\\s*{])(@[\\p{L}_][${ID_CONT}-]*)`,
            captures: { 1: punct('storage.type.class.doc.somon') },
          },
        ],
      },
      {
        name: 'comment.block.somon',
        begin: '/\\*',
        end: '\\*/',
        beginCaptures: { 0: punct('punctuation.definition.comment.begin.somon') },
        endCaptures: { 0: punct('punctuation.definition.comment.end.somon') },
      },
      {
        name: 'comment.line.double-slash.somon',
        begin: '//',
        end: '(?=$)',
        beginCaptures: { 0: punct('punctuation.definition.comment.somon') },
      },
    ],
  };

  const escapes = [
    {
      // Legacy octal escapes are errors in strict code; so are short \x and \u.
      name: 'invalid.illegal.escape.somon',
      match: '\\\\(?:[1-9]|0(?=[0-9])|x(?![0-9A-Fa-f]{2})|u(?![0-9A-Fa-f]{4}|\\{[0-9A-Fa-f]+\\}))',
    },
    {
      name: 'constant.character.escape.somon',
      match: '\\\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|u\\{[0-9A-Fa-f]+\\}|0|\\r?\\n|\\r|.)',
    },
  ];
  repository['string-escapes'] = { patterns: escapes };

  repository.strings = {
    patterns: [
      {
        name: 'string.quoted.double.somon',
        begin: '"',
        end: '"',
        beginCaptures: { 0: punct('punctuation.definition.string.begin.somon') },
        endCaptures: { 0: punct('punctuation.definition.string.end.somon') },
        patterns: [{ include: '#string-escapes' }],
      },
      {
        name: 'string.quoted.single.somon',
        begin: "'",
        end: "'",
        beginCaptures: { 0: punct('punctuation.definition.string.begin.somon') },
        endCaptures: { 0: punct('punctuation.definition.string.end.somon') },
        patterns: [{ include: '#string-escapes' }],
      },
    ],
  };

  const templateBody = [
    { include: '#string-escapes' },
    {
      name: 'meta.template.expression.somon',
      begin: '\\$\\{',
      end: '\\}',
      beginCaptures: { 0: punct('punctuation.definition.template-expression.begin.somon') },
      endCaptures: { 0: punct('punctuation.definition.template-expression.end.somon') },
      contentName: 'meta.embedded.line.somon',
      patterns: [{ include: '#expression' }],
    },
  ];
  repository.templates = {
    patterns: [
      {
        name: 'string.template.somon',
        begin: `${BEFORE}${notKw(Object.values(KEYWORDS).flat())}(${ID})\\s*(\`)`,
        end: '`',
        beginCaptures: {
          1: punct('entity.name.function.tagged-template.somon'),
          2: punct('punctuation.definition.string.template.begin.somon'),
        },
        endCaptures: { 0: punct('punctuation.definition.string.template.end.somon') },
        patterns: templateBody,
      },
      {
        name: 'string.template.somon',
        begin: '`',
        end: '`',
        beginCaptures: { 0: punct('punctuation.definition.string.template.begin.somon') },
        endCaptures: { 0: punct('punctuation.definition.string.template.end.somon') },
        patterns: templateBody,
      },
    ],
  };

  // A `/` starts a regular expression after an operator, an opening bracket,
  // `,` `;` `:` `=>`, the start of a line, or one of REGEX_AFTER_KEYWORDS;
  // after a name, a number, `)` `]` `}` `++` `--` it divides (the lexer's
  // rule, as far as one line shows it). The literal must also close on its line.
  const regexShape = `(?=(?:[^/\\\\\\[\\n]|\\\\.|\\[(?:[^\\]\\\\\\n]|\\\\.)*\\])+/[dgimsuvy]*(?![${ID_CONT}]))`;
  const regexEnd = {
    end: '(/)([dgimsuvy]*)',
    endCaptures: {
      1: punct('string.regexp.somon punctuation.definition.string.end.somon'),
      2: punct('string.regexp.somon keyword.other.flags.regexp.somon'),
    },
    contentName: 'string.regexp.somon',
    patterns: [{ include: '#regexp' }],
  };
  // The keywords before a regular expression, grouped by their scope: one
  // rule takes the keyword and the literal's `/` together.
  const kwGroups = Object.entries(KEYWORDS)
    .map(([scope, list]) => [scope, list.filter((k) => REGEX_AFTER_KEYWORDS.includes(k))])
    .filter(([, list]) => list.length > 0);
  const kwCaptures = Object.fromEntries(kwGroups.map(([scope], i) => [i + 1, punct(scope)]));
  repository.regex = {
    patterns: [
      {
        begin: `(?<!\\+\\+|--)(?<=[=(,:\\[!&|?{};~+\\-*%<>^]|^|=>)\\s*(/)(?![/*])${regexShape}`,
        beginCaptures: { 1: punct('string.regexp.somon punctuation.definition.string.begin.somon') },
        ...regexEnd,
      },
      {
        begin: `${BEFORE}(?:${kwGroups.map(([, list]) => `((?i:${words(longestFirst(list))}))`).join('|')})${AFTER}\\s*(/)(?![/*])${regexShape}`,
        beginCaptures: {
          ...kwCaptures,
          [kwGroups.length + 1]: punct('string.regexp.somon punctuation.definition.string.begin.somon'),
        },
        ...regexEnd,
      },
    ],
  };
  const regexEscapes = [
    {
      name: 'constant.other.character-class.unicode-property.regexp',
      match: '\\\\[pP]\\{[A-Za-z_=]+\\}',
    },
    { name: 'constant.other.character-class.regexp', match: '\\\\[dDwWsS]' },
    { name: 'keyword.other.back-reference.regexp', match: `\\\\(?:[1-9][0-9]*|k<${ID}>)` },
    {
      name: 'constant.character.escape.regexp',
      match: '\\\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|u\\{[0-9A-Fa-f]+\\}|c[A-Za-z]|.)',
    },
  ];
  repository.regexp = {
    patterns: [
      { name: 'keyword.control.anchor.regexp', match: '\\\\[bB]|\\^|\\$' },
      ...regexEscapes,
      {
        name: 'meta.group.assertion.regexp',
        begin: '(\\()(\\?(?:<=|<!|=|!))',
        end: '\\)',
        beginCaptures: {
          1: punct('punctuation.definition.group.regexp'),
          2: punct('punctuation.definition.group.assertion.regexp'),
        },
        endCaptures: { 0: punct('punctuation.definition.group.regexp') },
        patterns: [{ include: '#regexp' }],
      },
      {
        name: 'meta.group.regexp',
        begin: `(\\()(?:(\\?:)|(\\?<)(${ID})(>))?`,
        end: '\\)',
        beginCaptures: {
          1: punct('punctuation.definition.group.regexp'),
          2: punct('punctuation.definition.group.no-capture.regexp'),
          3: punct('punctuation.definition.group.capture-name.regexp'),
          4: punct('variable.other.group-name.regexp'),
          5: punct('punctuation.definition.group.capture-name.regexp'),
        },
        endCaptures: { 0: punct('punctuation.definition.group.regexp') },
        patterns: [{ include: '#regexp' }],
      },
      {
        name: 'constant.other.character-class.set.regexp',
        begin: '(\\[)(\\^)?',
        end: '\\]',
        beginCaptures: {
          1: punct('punctuation.definition.character-class.regexp'),
          2: punct('keyword.operator.negation.regexp'),
        },
        endCaptures: { 0: punct('punctuation.definition.character-class.regexp') },
        patterns: [
          {
            name: 'constant.other.character-class.range.regexp',
            match: '(?:[^\\]\\\\]|\\\\.)-(?:[^\\]\\\\]|\\\\.)',
          },
          ...regexEscapes,
        ],
      },
      { name: 'keyword.operator.quantifier.regexp', match: '(?:[?+*]|\\{[0-9]+(?:,[0-9]*)?\\})\\??' },
      { name: 'keyword.operator.or.regexp', match: '\\|' },
      { name: 'constant.other.character-class.any.regexp', match: '\\.' },
    ],
  };

  // Numbers: decimal (fraction, exponent), hex, octal, binary, `_` separators, BigInt `n`.
  const bigint = '(n)?';
  const numEnd = `(?![${ID_CONT}])`;
  const numberCaptures = { 1: punct('storage.type.numeric.bigint.somon') };
  repository.numbers = {
    patterns: [
      { name: 'constant.numeric.hex.somon', match: `${BEFORE}0[xX][0-9A-Fa-f](?:_?[0-9A-Fa-f])*${bigint}${numEnd}`, captures: numberCaptures },
      { name: 'constant.numeric.binary.somon', match: `${BEFORE}0[bB][01](?:_?[01])*${bigint}${numEnd}`, captures: numberCaptures },
      { name: 'constant.numeric.octal.somon', match: `${BEFORE}0[oO][0-7](?:_?[0-7])*${bigint}${numEnd}`, captures: numberCaptures },
      {
        name: 'constant.numeric.decimal.somon',
        match: `${BEFORE}(?:[0-9](?:_?[0-9])*${bigint}${numEnd}(?!\\.[0-9])|(?:[0-9](?:_?[0-9])*(?:\\.(?:[0-9](?:_?[0-9])*)?)?|\\.[0-9](?:_?[0-9])*)(?:[eE][+-]?[0-9](?:_?[0-9])*)?${numEnd})`,
        captures: numberCaptures,
      },
    ],
  };

  // `.name` / `?.name`: a property, never a keyword (contextual keywords are
  // names there); Tajik aliases of JavaScript names are marked as built-ins.
  const aliases = longestFirst(PROPERTY_ALIASES).join('|');
  const accessor = { 1: punct('punctuation.accessor.somon') };
  repository.properties = {
    patterns: [
      {
        match: `(?:(Ваъда|ваъда|Promise)|(JSON))\\s*(\\?\\.|\\.)\\s*(?:(${longestFirst(RECEIVER_MEMBERS.promise).join('|')})|(${longestFirst(RECEIVER_MEMBERS.json).join('|')}))${AFTER}`,
        captures: {
          1: punct('support.class.promise.somon'),
          2: punct('support.class.builtin.somon'),
          3: punct('punctuation.accessor.somon'),
          4: punct('support.function.builtin.somon'),
          5: punct('support.function.builtin.somon'),
        },
      },
      {
        name: 'meta.function-call.somon',
        match: `(\\?\\.|\\.)\\s*(${aliases})${AFTER}(?=\\s*(?:\\?\\.)?\\()`,
        captures: { ...accessor, 2: punct('support.function.alias.somon') },
      },
      {
        match: `(\\?\\.|\\.)\\s*(${aliases})${AFTER}`,
        captures: { ...accessor, 2: punct('support.variable.property.alias.somon') },
      },
      {
        name: 'meta.function-call.somon',
        match: `(\\?\\.|\\.)\\s*(#?${ID})(?=\\s*(?:\\?\\.)?\\()`,
        captures: { ...accessor, 2: punct('entity.name.function.member.somon') },
      },
      {
        match: `(\\?\\.|\\.)\\s*(#?${ID})`,
        captures: { ...accessor, 2: punct('variable.other.property.somon') },
      },
    ],
  };

  repository.declarations = {
    patterns: [
      {
        match: `${BEFORE}((?i:функсия|функция))${AFTER}\\s*(\\*)?\\s*(${ID})?`,
        captures: {
          1: punct('storage.type.function.somon'),
          2: punct('keyword.generator.asterisk.somon'),
          3: punct('entity.name.function.somon'),
        },
      },
      {
        match: `${BEFORE}((?i:синф))${AFTER}\\s*${notKw(['мерос', 'татбиқ'])}(${ID})?`,
        captures: { 1: punct('storage.type.class.somon'), 2: punct('entity.name.type.class.somon') },
      },
      {
        match: `${BEFORE}((?i:интерфейс))${AFTER}\\s*(${ID})?`,
        captures: { 1: punct('storage.type.interface.somon'), 2: punct('entity.name.type.interface.somon') },
      },
      {
        match: `${BEFORE}((?i:навъ))${AFTER}\\s+(${ID})(?=\\s*(?:<|=))`,
        captures: { 1: punct('storage.type.type.somon'), 2: punct('entity.name.type.alias.somon') },
      },
      {
        match: `${BEFORE}(?:((?i:собит))\\s+)?((?i:номгӯ))${AFTER}\\s*(${ID})?`,
        captures: {
          1: punct('storage.type.somon'),
          2: punct('storage.type.enum.somon'),
          3: punct('entity.name.type.enum.somon'),
        },
      },
      {
        match: `${BEFORE}((?i:номфазо))${AFTER}\\s*(${ID}(?:\\.${ID})*)?`,
        captures: { 1: punct('storage.type.namespace.somon'), 2: punct('entity.name.type.module.somon') },
      },
      {
        match: `${BEFORE}((?i:мерос))${AFTER}\\s*(${ID})?`,
        captures: { 1: punct('storage.modifier.extends.somon'), 2: punct('entity.other.inherited-class.somon') },
      },
      {
        begin: `${BEFORE}((?i:татбиқ))${AFTER}`,
        end: '(?=\\{)',
        beginCaptures: { 1: punct('storage.modifier.implements.somon') },
        patterns: [
          { include: '#comments' },
          { match: `${ID}`, name: 'entity.other.inherited-class.somon' },
          { match: ',', name: 'punctuation.separator.comma.somon' },
        ],
      },
      {
        match: `${BEFORE}((?i:гир|гузор))${AFTER}\\s*(${ID})(?=\\s*\\()`,
        captures: { 1: punct('storage.type.property.somon'), 2: punct('entity.name.function.accessor.somon') },
      },
      {
        match: `${BEFORE}((?i:нав))${AFTER}\\s*${notKw(['синф', 'функсия', 'функция'])}(${ID})?`,
        captures: { 1: punct('keyword.operator.new.somon'), 2: punct('entity.name.type.instance.somon') },
      },
      {
        // `собит дучанд = (х) => …`, `тағ ф = ҳамзамон функсия …`: the name of a function.
        match: `${BEFORE}((?i:тағйирёбанда|тағ|собит))${AFTER}\\s*(${ID})(?=\\s*(?::[^=;]+)?=\\s*(?:(?i:ҳамзамон)\\s+)?(?:(?i:функсия|функция)${AFTER}|\\([^()]*\\)\\s*(?::[^=;]*)?=>|${ID}\\s*=>))`,
        captures: { 1: punct('storage.type.somon'), 2: punct('entity.name.function.somon') },
      },
      {
        match: `${BEFORE}((?i:содир))${AFTER}\\s+((?i:пешфарз))${AFTER}`,
        captures: { 1: punct('keyword.control.export.somon'), 2: punct('keyword.control.default.somon') },
      },
      {
        match: `${BEFORE}((?i:тағйирёбанда|тағ))${AFTER}\\s*(${ID})?`,
        captures: { 1: punct('storage.type.somon'), 2: punct('variable.other.readwrite.declaration.somon') },
      },
      {
        match: `${BEFORE}((?i:собит))${AFTER}\\s*(${ID})?`,
        captures: { 1: punct('storage.type.somon'), 2: punct('variable.other.constant.declaration.somon') },
      },
      {
        // `шикастан берун;` / `давом берун;`: a label on the same line.
        match: `${BEFORE}((?i:шикастан|давом))${AFTER}[ \\t]+(${ID})`,
        captures: { 1: punct('keyword.control.flow.somon'), 2: punct('entity.name.label.somon') },
      },
      {
        // A label before a loop or block: `берун: барои (…)`.
        match: `^\\s*(${ID})\\s*(:)(?=\\s*(?:(?i:барои|то|иҷро)${AFTER}|\\{))`,
        captures: { 1: punct('entity.name.label.somon'), 2: punct('punctuation.separator.label.somon') },
      },
    ],
  };

  // One pattern for every keyword (one group per scope): a scanner tries
  // each pattern at each position, so one alternation is far cheaper than
  // forty rules.
  const keywordClasses = Object.entries(KEYWORDS);
  repository.keywords = {
    patterns: [
      {
        match: `${BEFORE}(?:${keywordClasses.map(([, list]) => `((?i:${words(longestFirst(list))}))`).join('|')})${AFTER}`,
        captures: Object.fromEntries(keywordClasses.map(([scope], i) => [i + 1, punct(scope)])),
      },
    ],
  };

  repository.builtins = {
    patterns: [
      { name: 'constant.language.nan.somon', match: exact(['NaN']) },
      { name: 'constant.language.infinity.somon', match: exact(['Infinity']) },
      { name: 'constant.language.null.somon', match: exact(['null']) },
      { name: 'constant.language.undefined.somon', match: exact(['undefined']) },
      { name: 'support.class.console.somon', match: exact(['чоп', 'console']) },
      {
        name: 'support.class.builtin.somon',
        match: exact(longestFirst([...BUILTIN_GLOBALS.filter((n) => n !== 'чоп'), ...JS_CLASSES])),
      },
      { name: 'support.function.builtin.somon', match: `${exact(longestFirst(JS_FUNCTIONS))}(?=\\s*\\()` },
      { name: 'support.variable.builtin.somon', match: exact(longestFirst(JS_VARIABLES.filter((n) => n !== 'console'))) },
    ],
  };

  repository['function-calls'] = {
    patterns: [
      {
        name: 'meta.function-call.somon',
        match: `${BEFORE}(${ID})(?=\\s*(?:\\?\\.)?\\()`,
        captures: { 1: punct('entity.name.function.somon') },
      },
    ],
  };

  repository.identifiers = {
    patterns: [
      { name: 'variable.other.private.somon', match: `#${ID}` },
      { name: 'variable.other.readwrite.somon', match: ID },
    ],
  };

  repository.operators = {
    patterns: [
      { name: 'storage.type.function.arrow.somon', match: '=>' },
      { name: 'keyword.operator.spread.somon', match: '\\.\\.\\.' },
      { name: 'punctuation.accessor.optional.somon', match: '\\?\\.(?![0-9])' },
      { name: 'keyword.operator.assignment.compound.somon', match: '\\?\\?=|&&=|\\|\\|=|\\*\\*=|>>>=|<<=|>>=|[-+*/%&|^]=' },
      { name: 'keyword.operator.comparison.somon', match: '===|!==|==|!=' },
      { name: 'keyword.operator.relational.somon', match: '<=|>=' },
      { name: 'keyword.operator.assignment.somon', match: '=' },
      { name: 'keyword.operator.logical.somon', match: '\\?\\?|&&|\\|\\||!' },
      { name: 'keyword.operator.bitwise.shift.somon', match: '>>>|<<|>>' },
      { name: 'keyword.operator.relational.somon', match: '<|>' },
      { name: 'keyword.operator.bitwise.somon', match: '[&|^~]' },
      { name: 'keyword.operator.increment.somon', match: '\\+\\+' },
      { name: 'keyword.operator.decrement.somon', match: '--' },
      { name: 'keyword.operator.arithmetic.somon', match: '\\*\\*|[-+*/%]' },
      { name: 'keyword.operator.ternary.somon', match: '\\?' },
      { name: 'punctuation.separator.colon.somon', match: ':' },
      { name: 'punctuation.terminator.statement.somon', match: ';' },
      { name: 'punctuation.separator.comma.somon', match: ',' },
      { name: 'punctuation.accessor.somon', match: '\\.' },
      { name: 'meta.brace.round.somon', match: '[()]' },
      { name: 'meta.brace.square.somon', match: '[\\[\\]]' },
    ],
  };

  // `{ … }` nests, so that the `}` of a template's `${ … }` is found.
  repository.block = {
    name: 'meta.block.somon',
    begin: '\\{',
    end: '\\}',
    beginCaptures: { 0: punct('punctuation.definition.block.somon') },
    endCaptures: { 0: punct('punctuation.definition.block.somon') },
    patterns: [{ include: '#expression' }],
  };

  repository.expression = {
    patterns: [
      { include: '#comments' },
      { include: '#strings' },
      { include: '#templates' },
      { include: '#regex' },
      { include: '#numbers' },
      { include: '#properties' },
      { include: '#declarations' },
      { include: '#keywords' },
      { include: '#builtins' },
      { include: '#function-calls' },
      { include: '#identifiers' },
      { include: '#block' },
      { include: '#operators' },
    ],
  };

  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'SomonScript',
    scopeName: 'source.somon',
    fileTypes: ['som'],
    comment: 'Generated by grammar.mjs beside this file; edit that and run it.',
    patterns: [{ include: '#expression' }],
    repository,
  };
}

export function grammarText() {
  return `${JSON.stringify(build(), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = new URL('./somon.tmLanguage.json', import.meta.url);
  writeFileSync(out, grammarText());
  console.log(`wrote ${fileURLToPath(out)}`);
}
