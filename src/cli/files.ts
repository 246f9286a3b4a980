/**
 * What the command line's paths name: files as they are, directories walked for modules, and globs
 * (`'src/**\/*.ts'`, quoted so that the shell leaves them alone) matched here, the same on every
 * shell. `node_modules` and dot-directories are never entered.
 */
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** The module types a directory or a glob picks up (declaration files aside). */
export const MODULE_EXTENSIONS: readonly string[] = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs'];

export interface Expanded {
  /** Files to load, in order, each once: as the user wrote it, or relative to the cwd when found. */
  readonly files: string[];
  /** Paths that name nothing, each with its one-line reason, at its place among `files`. */
  readonly missing: { readonly file: string; readonly error: string; readonly index: number }[];
}

const MAGIC = /[*?[\]{}]/;

function isModule(name: string): boolean {
  if (/\.d\.[mc]?ts$/.test(name)) return false;
  return MODULE_EXTENSIONS.some((ext) => name.endsWith(ext));
}

function skipDir(name: string): boolean {
  return name === 'node_modules' || name.startsWith('.');
}

/** Every module file under `dir`, sorted, not entering node_modules or dot-directories. */
function walk(dir: string, out: string[], match?: (rel: string) => boolean, base: string = dir): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) {
      if (!skipDir(e.name)) walk(full, out, match, base);
    } else if (e.isFile() || e.isSymbolicLink()) {
      const rel = relative(base, full).split(sep).join('/');
      // Declaration files have no runtime: never a module to load.
      if (/\.d\.[mc]?ts$/.test(e.name)) continue;
      if (match ? match(rel) : isModule(e.name)) out.push(full);
    }
  }
}

/**
 * A glob as a regular expression over `/`-separated relative paths: `**` any number of directories,
 * `*` and `?` within one name, `[abc]` a class, `{a,b}` alternatives.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
        if (atStart && atEnd) {
          // `**/` matches zero or more directories.
          re += i + 2 === glob.length ? '.*' : '(?:[^/]*/)*';
          i += i + 2 === glob.length ? 1 : 2;
          continue;
        }
        re += '[^/]*';
        i++;
        continue;
      }
      re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end === -1) re += '\\[';
      else {
        const body = glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = end;
      }
    } else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) re += '|';
    else re += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Expands the command line's paths. Never throws: what names nothing is listed in `missing`. */
export function expandPaths(inputs: readonly string[], cwd: string = process.cwd()): Expanded {
  const files: string[] = [];
  const missing: Expanded['missing'] = [];
  const seen = new Set<string>();
  const add = (full: string, shown: string): void => {
    if (seen.has(full)) return;
    seen.add(full);
    files.push(shown);
  };
  const show = (full: string): string => {
    const rel = relative(cwd, full);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : full;
  };
  for (const input of inputs) {
    const full = resolve(cwd, input);
    let stat;
    try {
      stat = statSync(full);
    } catch {
      stat = undefined;
    }
    if (stat?.isDirectory()) {
      const found: string[] = [];
      walk(full, found);
      if (found.length === 0)
        missing.push({ file: input, error: `${input}: no module in this directory (${MODULE_EXTENSIONS.join(', ')})`, index: files.length });
      for (const f of found) add(f, show(f));
    } else if (stat) {
      add(full, input);
    } else if (MAGIC.test(input)) {
      const matched = glob(input, cwd);
      if (matched.length === 0) missing.push({ file: input, error: `${input}: no file matches this pattern`, index: files.length });
      for (const f of matched) add(f, show(f));
    } else {
      missing.push({ file: input, error: `${input}: no such file`, index: files.length });
    }
  }
  return { files, missing };
}

/** The files a glob matches, sorted; the part before the first wildcard is where the walk starts. */
function glob(pattern: string, cwd: string): string[] {
  const normalized = pattern.split(sep).join('/');
  const parts = normalized.split('/');
  const fixed: string[] = [];
  for (const p of parts) {
    if (MAGIC.test(p)) break;
    fixed.push(p);
  }
  const baseText = fixed.join('/');
  const base = resolve(cwd, baseText === '' ? '.' : baseText || '/');
  const rest = parts.slice(fixed.length).join('/');
  const re = globToRegExp(rest);
  const out: string[] = [];
  walk(base, out, (rel) => re.test(rel));
  return out;
}
