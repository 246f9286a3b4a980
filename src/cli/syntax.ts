/**
 * Where a module that does not parse fails: Node's arrow message on a parse error, else `node
 * --check` (which runs nothing) on each JavaScript file the import reached, or that the module
 * imports by relative path.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MODULE_EXTENSIONS } from './files.js';

export function isParseError(error: unknown): boolean {
  if (!(error instanceof SyntaxError)) return false;
  // A parse error has no frame in user code; a SyntaxError thrown by running code (JSON.parse) has.
  const stack = stackOf(error);
  return /\n\s+at (?:compileSourceTextModule|wrapSafe|ModuleLoader\.moduleStrategy|new ModuleWrap)\b/.test(stack) || arrowLocation(stack) !== undefined;
}

export interface Location {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Node's "arrow message" at the top of a parse error's stack: `/abs/file.js:4\n  y: ,\n     ^\n`. */
export function arrowLocation(text: string): Location | undefined {
  const match = /^(.+):(\d+)\n(.*)\n([ \t]*)\^/.exec(text);
  if (!match) return undefined;
  const file = match[1]!.startsWith('file:') ? fileURLToPath(match[1]!) : match[1]!;
  return { file, line: Number(match[2]), column: match[4]!.length + 1 };
}

/**
 * Node does not say where an ES module fails to parse. `node --check` does, without running
 * anything: ask it about each JavaScript file the import reached, latest first.
 */
export function locateSyntaxError(imported: readonly string[]): Location | undefined {
  const files = imported
    .filter((url) => url.startsWith('file:'))
    .map((url) => fileURLToPath(url.replace(/\?.*$/, '')))
    .filter((path) => /\.[cm]?js$/.test(path));
  for (const path of [...new Set(files)].reverse().slice(0, 10)) {
    const run = spawnSync(process.execPath, ['--check', path], { encoding: 'utf8', timeout: 10_000 });
    if (run.status === 0 || typeof run.stderr !== 'string') continue;
    const at = arrowLocation(run.stderr);
    if (at) return at;
  }
  return undefined;
}

/**
 * The modules a file imports by relative specifier, and theirs, read from the source text (not
 * run): `import ... from './x.mjs'`, `export ... from`, `import('./x.js')`, `require('./x.cjs')`,
 * as file URLs, the file itself first. A few levels and a few dozen files at most.
 */
export function relativeImports(path: string): string[] {
  const seen = new Set<string>([path]);
  const queue = [path];
  for (let i = 0; i < queue.length && seen.size < 40; i++) {
    let text: string;
    try {
      text = readFileSync(queue[i]!, 'utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const found = resolveRelative(dirname(queue[i]!), m[1]!);
      if (found !== undefined && !seen.has(found)) {
        seen.add(found);
        queue.push(found);
      }
    }
  }
  return [...seen].map((p) => pathToFileURL(p).href);
}

/** `./lib.js` as Node or tsc would find it: the file itself, or its TypeScript source. */
function resolveRelative(dir: string, specifier: string): string | undefined {
  const base = resolve(dir, specifier);
  const candidates = [base, base.replace(/\.(m|c)?js$/, '.$1ts'), ...MODULE_EXTENSIONS.map((e) => `${base}${e}`)];
  for (const candidate of candidates) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

/** The engine's own getter of an error's `stack` (from Node 22 `stack` is an accessor, before a data property). */
const ENGINE_STACK_GETTER = Object.getOwnPropertyDescriptor(new Error(), 'stack')?.get;

/**
 * An error's stack, read without running a getter of the program's: a data property, or the
 * engine's own accessor (which formats the stack as `error.stack` would).
 */
export function stackOf(error: unknown): string {
  if (error === null || typeof error !== 'object') return '';
  const d = Object.getOwnPropertyDescriptor(error, 'stack');
  if (d === undefined) return '';
  if ('value' in d) return typeof d.value === 'string' ? d.value : '';
  if (ENGINE_STACK_GETTER === undefined || d.get !== ENGINE_STACK_GETTER) return '';
  try {
    const stack: unknown = Reflect.apply(ENGINE_STACK_GETTER, error, []);
    return typeof stack === 'string' ? stack : '';
  } catch {
    return '';
  }
}
