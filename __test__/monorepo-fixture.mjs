// The three-package workspace of tests/monorepo, laid out in a scratch
// folder as npm workspaces install it: node_modules/@mono/{a,b,c} link to
// packages/*, node_modules/somonscript links to this package and
// node_modules/.bin/somon to its command.
import fs from 'node:fs';
import path from 'node:path';
import { root, scratch } from './helpers.mjs';

export const fixture = path.join(root, 'tests', 'monorepo');

/** A fresh copy of the workspace; `links` names packages of this repository's node_modules to link too. */
export function workspace({ links = [] } = {}) {
  const dir = fs.realpathSync(scratch());
  fs.cpSync(fixture, dir, { recursive: true });
  const nm = path.join(dir, 'node_modules');
  fs.mkdirSync(path.join(nm, '@mono'), { recursive: true });
  fs.mkdirSync(path.join(nm, '.bin'), { recursive: true });
  for (const p of ['a', 'b', 'c']) {
    fs.symlinkSync(path.join('..', '..', 'packages', p), path.join(nm, '@mono', p));
  }
  fs.symlinkSync(root, path.join(nm, 'somonscript'));
  fs.symlinkSync(path.join('..', 'somonscript', 'bin', 'somon.js'), path.join(nm, '.bin', 'somon'));
  for (const name of links) {
    fs.symlinkSync(path.join(root, 'node_modules', name), path.join(nm, name));
  }
  return dir;
}

/** Every file below `dir` (POSIX paths relative to it) with its bytes. */
export function snapshot(dir) {
  const out = {};
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((x, y) => x.name.localeCompare(y.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p).split(path.sep).join('/')] = fs.readFileSync(p).toString('base64');
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}
