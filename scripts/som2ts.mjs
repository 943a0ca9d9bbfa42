#!/usr/bin/env node
// som2ts: a mechanical SomonScript → TypeScript translator for the checker
// corpus's TypeScript twins (tests/checker, __test__/checker-twins.test.mjs).
//
// It translates keywords, type keywords, free built-in names and method-table
// aliases ONLY, token by token; every other character (layout, comments,
// strings, template text, regular expressions) is copied, so line and column
// numbers of the twin match the .som file line for line. It has no parser
// and does no scope analysis, so corpus programs avoid what it cannot tell
// apart: a user binding named like a built-in (`тағ рӯйхат = …`), a
// contextual keyword used as a name (`собит ҳолат`, `навъ` outside property
// positions), and `сатр`/`объект` as bare values (only `сатр(…)`, `сатр.…`
// are values; elsewhere they are the types `string`/`object`). Property
// positions (after `.`/`?.`, keys of objects and patterns, class, interface
// and enum members, import/export lists) are recognised from the bracket
// structure: a `{` after `=`, `(`, `,`, `:` … or `тағ`/`бозгашт` … opens an
// object, after `синф`/`интерфейс`/`номгӯ` a body, anything else a block.
//
// The tables are read from the compiler's own Rust sources
// (crates/somon_syntax/src/keywords.rs, crates/somon_syntax/src/names.rs) every
// time, so they cannot drift from what the compiler does.
//
//   node scripts/som2ts.mjs FILE.som            TypeScript on stdout
//   node scripts/som2ts.mjs FILE.som -o OUT.ts
//
//   import { somToTs } from './scripts/som2ts.mjs'

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

// ------------------------------------------------------------------ tables

function functionBody(source, name, file) {
  const start = source.indexOf(`fn ${name}(`);
  if (start < 0) throw new Error(`som2ts: fn ${name} not found in ${file}`);
  const end = source.indexOf('_ => return None', start);
  if (end < 0) throw new Error(`som2ts: fn ${name} in ${file} has no \`_ => return None\` arm`);
  return source.slice(start, end);
}

const ARM_RE = /((?:"[^"]+"\s*\|\s*)*"[^"]+")\s*=>\s*("?)([^",\s]+)\2\s*,/g;

/** Parses `"a" | "b" => Target,` match arms. */
function stringArms(body) {
  const arms = [];
  for (const m of body.matchAll(ARM_RE)) {
    const keys = [...m[1].matchAll(/"([^"]+)"/g)].map((k) => k[1]);
    for (const k of keys) arms.push([k, m[3]]);
  }
  return arms;
}

/** Kw variant → the TypeScript word. */
function variantToTs(variant) {
  return variant === 'Promise' ? 'Promise' : variant.toLowerCase();
}

export function loadTables(repoRoot = root) {
  const kwFile = path.join(repoRoot, 'crates/somon_syntax/src/keywords.rs');
  const namesFile = path.join(repoRoot, 'crates/somon_syntax/src/names.rs');
  const kwSrc = fs.readFileSync(kwFile, 'utf8');
  const namesSrc = fs.readFileSync(namesFile, 'utf8');

  const keywords = new Map(stringArms(functionBody(kwSrc, 'lookup', kwFile)).map(([k, v]) => [k, v]));
  const globals = new Map(stringArms(functionBody(namesSrc, 'builtin_global', namesFile)));
  const aliases = new Map(stringArms(functionBody(namesSrc, 'property_alias', namesFile)));
  const receiverMembers = new Map();
  const recvBody = functionBody(namesSrc, 'receiver_member', namesFile);
  for (const m of recvBody.matchAll(/\(\s*"([^"]+)"\s*,\s*"([^"]+)"\s*\)\s*=>\s*"([^"]+)"/g)) {
    receiverMembers.set(`${m[1]}.${m[2]}`, m[3]);
  }
  // Guards: a reformatted Rust table must not silently yield an empty one.
  const enumVariants = new Set(
    [...kwSrc.slice(kwSrc.indexOf('pub enum Kw'), kwSrc.indexOf('impl Kw')).matchAll(/^\s*([A-Z]\w*),/gm)].map((m) => m[1]),
  );
  const mapped = new Set(keywords.values());
  for (const v of enumVariants) {
    if (!mapped.has(v)) throw new Error(`som2ts: keyword variant ${v} has no spelling parsed from ${kwFile}`);
  }
  for (const v of mapped) {
    if (!enumVariants.has(v)) throw new Error(`som2ts: parsed unknown keyword variant ${v} from ${kwFile}`);
  }
  // Every `=>` arm of a table must have been parsed.
  for (const [fn, src, file] of [['lookup', kwSrc, kwFile], ['builtin_global', namesSrc, namesFile], ['property_alias', namesSrc, namesFile]]) {
    const body = functionBody(src, fn, file);
    const arms = (body.match(/=>/g) ?? []).length;
    const parsed = [...body.matchAll(ARM_RE)].length;
    if (arms !== parsed) throw new Error(`som2ts: parsed ${parsed} of ${arms} arms of fn ${fn} in ${file}`);
  }
  if (globals.size < 5 || receiverMembers.size < 5) throw new Error(`som2ts: could not parse built-in tables in ${namesFile}`);
  return { keywords, globals, aliases, receiverMembers };
}

// --------------------------------------------------------------- tokenizer

const ID_START = /[\p{L}_$\u200c\u200d]/u;
const ID_PART = /[\p{L}\p{N}\p{Mn}\p{Mc}_$\u200c\u200d]/u;
const PUNCTS = [
  '>>>=', '...', '===', '!==', '**=', '<<=', '>>=', '>>>', '&&=', '||=', '??=',
  '=>', '==', '!=', '<=', '>=', '&&', '||', '??', '?.', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '**', '<<', '>>',
];

// Words after which a `/` starts a regular expression.
const REGEX_AFTER_WORDS = new Set(['return', 'throw', 'typeof', 'case', 'in', 'new', 'delete', 'void', 'yield', 'await', 'else', 'do', 'instanceof']);

/**
 * Splits source into tokens {type, text, line} whose texts concatenate to the
 * source. Types: ws, comment, word, num, str, tmpl (a whole template without
 * substitutions), tmplOpen (`…${`), tmplMid (`}…${`), tmplClose (`}…``),
 * regex, punct.
 */
export function tokenize(src, tables) {
  const tokens = [];
  const templateDepth = []; // brace depth inside each open `${`
  let i = 0;
  let line = 1;
  const push = (type, text) => {
    tokens.push({ type, text, line });
    for (const ch of text) if (ch === '\n') line++;
  };
  const lastSig = () => {
    for (let k = tokens.length - 1; k >= 0; k--) if (tokens[k].type !== 'ws' && tokens[k].type !== 'comment') return tokens[k];
    return null;
  };
  const regexAllowed = () => {
    const t = lastSig();
    if (!t) return true;
    if (t.type === 'word') {
      const kw = tables.keywords.get(t.text.toLowerCase());
      return kw ? REGEX_AFTER_WORDS.has(variantToTs(kw)) : false;
    }
    if (t.type === 'num' || t.type === 'str' || t.type === 'tmpl' || t.type === 'tmplClose' || t.type === 'regex') return false;
    return !(t.text === ')' || t.text === ']' || t.text === '}' || t.text === '++' || t.text === '--');
  };
  // Scans template text from i (just after ` or }) to the closing ` or ${.
  const templateText = (startAt) => {
    let j = startAt;
    while (j < src.length) {
      if (src[j] === '\\') j += 2;
      else if (src[j] === '`') return { end: j + 1, open: false };
      else if (src[j] === '$' && src[j + 1] === '{') return { end: j + 2, open: true };
      else j++;
    }
    return { end: src.length, open: false };
  };
  while (i < src.length) {
    const c = src[i];
    if (/\s/u.test(c) || c === '\ufeff') {
      let j = i;
      while (j < src.length && (/\s/u.test(src[j]) || src[j] === '\ufeff')) j++;
      push('ws', src.slice(i, j));
      i = j;
    } else if (c === '/' && src[i + 1] === '/') {
      let j = src.indexOf('\n', i);
      if (j < 0) j = src.length;
      push('comment', src.slice(i, j));
      i = j;
    } else if (c === '/' && src[i + 1] === '*') {
      let j = src.indexOf('*/', i + 2);
      j = j < 0 ? src.length : j + 2;
      push('comment', src.slice(i, j));
      i = j;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      push('str', src.slice(i, j + 1));
      i = j + 1;
    } else if (c === '`') {
      const t = templateText(i + 1);
      push(t.open ? 'tmplOpen' : 'tmpl', src.slice(i, t.end));
      if (t.open) templateDepth.push(0);
      i = t.end;
    } else if (c === '}' && templateDepth.length && templateDepth[templateDepth.length - 1] === 0) {
      templateDepth.pop();
      const t = templateText(i + 1);
      push(t.open ? 'tmplMid' : 'tmplClose', src.slice(i, t.end));
      if (t.open) templateDepth.push(0);
      i = t.end;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < src.length && (/[0-9a-zA-Z_.]/.test(src[j]) || ((src[j] === '+' || src[j] === '-') && /[eE]/.test(src[j - 1]) && !/^0[xX]/.test(src.slice(i, j))))) j++;
      push('num', src.slice(i, j));
      i = j;
    } else if (ID_START.test(c) || c === '\\') {
      let j = i + 1;
      while (j < src.length && ID_PART.test(src[j])) j++;
      push('word', src.slice(i, j));
      i = j;
    } else if (c === '/' && regexAllowed()) {
      let j = i + 1;
      let inClass = false;
      while (j < src.length && src[j] !== '\n') {
        if (src[j] === '\\') j += 2;
        else if (src[j] === '[') (inClass = true), j++;
        else if (src[j] === ']') (inClass = false), j++;
        else if (src[j] === '/' && !inClass) break;
        else j++;
      }
      j++;
      while (j < src.length && ID_PART.test(src[j])) j++;
      push('regex', src.slice(i, j));
      i = j;
    } else {
      const p = PUNCTS.find((q) => src.startsWith(q, i)) ?? c;
      // `?.5` is `?` then `.5`
      const text = p === '?.' && /[0-9]/.test(src[i + 2] ?? '') ? '?' : p;
      if (templateDepth.length) {
        if (text === '{') templateDepth[templateDepth.length - 1]++;
        else if (text === '}') templateDepth[templateDepth.length - 1]--;
      }
      push('punct', text);
      i += text.length;
    }
  }
  return tokens;
}

// -------------------------------------------------------------- translator

const MODIFIERS = new Set(['static', 'private', 'public', 'protected', 'readonly', 'abstract', 'get', 'set', 'async']);
// After these words a `{` opens an object literal / destructuring pattern.
const OBJECT_AFTER_WORDS = new Set(['let', 'const', 'return', 'throw', 'yield', 'await', 'import', 'export', 'typeof', 'in', 'of', 'case', 'default']);
// After these punctuators a `{` opens an object literal, pattern or object type.
const OBJECT_AFTER_PUNCTS = new Set(['=', '(', ',', ':', '[', '?', '||', '&&', '??', '...', '|', '&', '<', '!', '+', '-', '+=', '??=', '||=', '&&=']);
// Type keywords that are also values when called or dotted (`сатр(х)`, `объект.калидҳо`).
const VALUE_OF_TYPE = { string: 'String', object: 'Object', symbol: 'Symbol', number: 'Number', boolean: 'Boolean', bigint: 'BigInt' };

let cachedTables;

/** Translates SomonScript source to TypeScript, preserving every line. */
export function somToTs(src, tables = (cachedTables ??= loadTables())) {
  const tokens = tokenize(src, tables);
  const sig = tokens.map((t, k) => k).filter((k) => tokens[k].type !== 'ws' && tokens[k].type !== 'comment');
  const out = tokens.map((t) => t.text);
  const kwOf = (t) => (t && t.type === 'word' ? tables.keywords.get(t.text.toLowerCase()) : undefined);
  const tsKw = (t) => {
    const v = kwOf(t);
    return v ? variantToTs(v) : undefined;
  };
  const stack = []; // 'block' | 'object' | 'class' | 'paren' | 'bracket' | 'template'
  let pendingBody = null; // 'class' | 'object' after синф/интерфейс/номгӯ until its `{`
  let importKind = 'import'; // the statement of the innermost `ворид {` / `содир {`
  let caseColon = false; // a `ҳолат …:` / `пешфарз:` colon is pending
  const caseColonAt = new Set();
  const memberKind = () => {
    const top = stack[stack.length - 1];
    return top === 'object' || top === 'class' || top === 'enum' || top === 'import' ? top : null;
  };
  const modifierAt = new Set();

  for (let s = 0; s < sig.length; s++) {
    const k = sig[s];
    const t = tokens[k];
    const prev = s > 0 ? tokens[sig[s - 1]] : null;
    const next = s + 1 < sig.length ? tokens[sig[s + 1]] : null;
    const prevText = prev ? prev.text : null;

    if (t.type === 'punct') {
      if (t.text === '{') {
        let kind = 'block';
        if (pendingBody) {
          kind = pendingBody;
          pendingBody = null;
        } else if (!prev) kind = 'block';
        else if (prev.type === 'punct') {
          if (prevText === ':' && caseColonAt.has(sig[s - 1])) kind = 'block';
          else kind = OBJECT_AFTER_PUNCTS.has(prevText) ? 'object' : 'block';
        } else if (prev.type === 'word') {
          const pk = tsKw(prev);
          kind = pk === 'import' || pk === 'export' ? 'import' : OBJECT_AFTER_WORDS.has(pk) ? 'object' : 'block';
          if (kind === 'import') importKind = pk;
        } else if (prev.type === 'tmplOpen' || prev.type === 'tmplMid') kind = 'object';
        stack.push(kind);
      } else if (t.text === '(') {
        // `барои (… аз …)` / `барои интизор (… аз …)`: the header of a for loop.
        const before = s > 1 ? tokens[sig[s - 2]] : null;
        const forHead = tsKw(prev) === 'for' || (tsKw(prev) === 'await' && tsKw(before) === 'for');
        stack.push(forHead ? 'forhead' : 'paren');
      }
      else if (t.text === '[') stack.push('bracket');
      else if (t.text === '}' || t.text === ')' || t.text === ']') stack.pop();
      else if (t.text === ':' && stack[stack.length - 1] !== 'object' && stack[stack.length - 1] !== 'class') {
        // `ҳолат …:` / `пешфарз:`, or a label `номи: …` at the start of a statement.
        const before = s > 1 ? tokens[sig[s - 2]] : null;
        const label = prev && prev.type === 'word' && (!before || [';', '{', '}'].includes(before.text) || caseColonAt.has(sig[s - 2]));
        if ((caseColon && stack[stack.length - 1] === 'block') || (label && (stack.length === 0 || stack[stack.length - 1] === 'block'))) {
          caseColonAt.add(k);
          caseColon = false;
        }
      }
      continue;
    }
    if (t.type === 'tmplOpen') stack.push('template');
    if (t.type === 'tmplClose') stack.pop();
    if (t.type !== 'word') continue;

    // Property access: `о.п`, `о?.п`.
    if (prevText === '.' || prevText === '?.') {
      if (prev.type === 'punct') {
        const recvTok = s > 1 ? tokens[sig[s - 2]] : null;
        const recv = recvTok && recvTok.type === 'word' ? out[sig[s - 2]] : null;
        const viaReceiver = recv ? tables.receiverMembers.get(`${recv}.${t.text}`) : undefined;
        out[k] = viaReceiver ?? tables.aliases.get(t.text) ?? t.text;
        continue;
      }
    }

    // Member names of object literals, destructuring patterns, classes,
    // interfaces, object types, enums and import/export lists.
    const mk = memberKind();
    if (mk) {
      const atStart =
        prev &&
        (prevText === '{' ||
          prevText === ',' ||
          prevText === ';' ||
          prevText === '*' ||
          modifierAt.has(sig[s - 1]) ||
          (mk === 'class' && (prevText === '}' || prev.line < t.line)));
      if (atStart) {
        const kw = tsKw(t);
        const nextIsName = next && (next.type === 'word' || next.type === 'str' || next.text === '[' || next.text === '#' || next.text === '*');
        if (kw && MODIFIERS.has(kw) && nextIsName) {
          out[k] = kw;
          modifierAt.add(k);
          continue;
        }
        const nameFollows =
          !next ||
          [':', '?', '(', '=', ',', '}', ';', '<', '!'].includes(next.text) ||
          (mk === 'class' && next.line > t.line) ||
          (mk === 'import' && tsKw(next) === 'as');
        if (nameFollows) {
          if (kw === 'constructor' && next && next.text === '(') out[k] = 'constructor';
          else {
            const alias = tables.aliases.get(t.text);
            const shorthand = next && [',', '}', '='].includes(next.text);
            if (!alias) out[k] = t.text;
            // `{дарозӣ}` is `{length: дарозӣ}` (decisions §2.2 and §2.6).
            else if (shorthand && mk === 'object') out[k] = `${alias}: ${t.text}`;
            else if (shorthand && mk === 'import') out[k] = importKind === 'import' ? `${alias} as ${t.text}` : `${t.text} as ${alias}`;
            else out[k] = alias;
          }
          continue;
        }
      }
    }

    const kw = tsKw(t);
    if (kw) {
      if (kw === 'class' || kw === 'interface') pendingBody = 'class';
      else if (kw === 'enum') pendingBody = 'enum';
      else if (kw === 'case' || kw === 'default') caseColon = kw === 'case' || (next && next.text === ':');
      if (kw === 'from' && stack[stack.length - 1] === 'forhead') out[k] = 'of';
      else if (VALUE_OF_TYPE[kw] && next && (next.text === '(' || next.text === '.' || next.text === '?.')) {
        out[k] = tables.globals.get(t.text) ?? VALUE_OF_TYPE[kw];
      } else out[k] = kw;
      continue;
    }
    const g = tables.globals.get(t.text);
    if (g) out[k] = g;
  }
  return out.join('');
}

// -------------------------------------------------------------------- CLI

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const o = args.indexOf('-o');
  const outFile = o >= 0 ? args[o + 1] : null;
  const input = args.find((a, idx) => !a.startsWith("-") && (o < 0 || idx !== o + 1));
  if (!input) {
    console.error('usage: node scripts/som2ts.mjs FILE.som [-o OUT.ts]');
    process.exit(2);
  }
  const ts = somToTs(fs.readFileSync(input, 'utf8'));
  if (outFile) fs.writeFileSync(outFile, ts);
  else process.stdout.write(ts);
}
