/**
 * Loading a user's module for the command line: JavaScript through Node itself, TypeScript through
 * Node's type stripping where it can, else tsx (`tsImport`) with the tsconfig.json nearest to the
 * file, so `paths` and JSX settings work as they do under `tsx file.ts`. Loading executes the
 * module, as `node file.js` would.
 *
 * Every way a module can fail to load becomes a `LoadError` with one line for people.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { types } from 'node:util';
// One list of the file types the command line loads, shared with the path expansion.
import { MODULE_EXTENSIONS as EXTENSIONS } from './files.js';
import { arrowLocation, isParseError, locateSyntaxError, relativeImports, stackOf } from './syntax.js';

/**
 * Why a module could not be checked.
 * - `not-found`: no such file (or a directory).
 * - `unsupported`: not one of `EXTENSIONS`.
 * - `syntax`: the module (or one it imports) does not parse.
 * - `import-failed`: something it imports cannot be found.
 * - `threw`: it threw while loading, or an exported function threw when called (`--call`).
 * - `rejected`: an exported Promise (`--await`) or a called function's Promise rejected.
 * - `timeout`: loading, or a Promise, did not settle in time.
 */
export type LoadErrorKind = 'not-found' | 'unsupported' | 'syntax' | 'import-failed' | 'threw' | 'rejected' | 'timeout';

/** Where in a file something went wrong: the file relative to the working directory, 1-based. */
export interface SourcePlace {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * A module that cannot be checked. `message` is one line, ready for people; `at` is the place it
 * names, where known (a syntax error's file, line and column, which may be a module it imports).
 */
export class LoadError extends Error {
  override readonly name = 'LoadError';
  constructor(
    readonly kind: LoadErrorKind,
    message: string,
    readonly at?: SourcePlace,
  ) {
    super(message);
  }
}

/**
 * What `process.exit()` throws while the command line runs a user's module (see `run()` in
 * cli.ts): a module that exits on import would otherwise end the run with its own exit code and no
 * report.
 */
export class ModuleExit extends Error {
  override readonly name = 'ModuleExit';
  constructor(readonly code: string | number | null | undefined) {
    super(`process.exit(${code ?? ''}) was called`);
  }
}

/** How an export's value was obtained: as exported, returned by calling it, or awaited. */
export type Obtained = 'value' | 'called' | 'awaited';

export interface ModuleExport {
  /** The export's name; `default` for the default export. */
  readonly name: string;
  readonly value: unknown;
  readonly obtained: Obtained;
}

export interface LoadedModule {
  /** The file as the user gave it. */
  readonly file: string;
  /** Its absolute path. */
  readonly path: string;
  /** Every export, `default` first, then by name. */
  readonly exports: readonly ModuleExport[];
}

export interface LoadOptions {
  /** Milliseconds that loading (top-level await included) may take. */
  readonly timeout: number;
  /** Where relative files are resolved from, and what printed paths are relative to. @default process.cwd() */
  readonly cwd?: string | undefined;
}

/**
 * Imports `file` and lists what it exports.
 *
 * For CommonJS, `module.exports` is the default export, as `import` sees it. When Node also finds
 * named exports in it (`exports.job = ...`), those are listed and `module.exports` is not, so that
 * nothing is reported twice. A module compiled from ES syntax (`__esModule`, what tsx makes of a
 * `.cts` file) lists the exports of its source.
 *
 * @throws LoadError
 */
export async function loadModule(file: string, options: LoadOptions): Promise<LoadedModule> {
  const cwd = options.cwd ?? process.cwd();
  const path = resolve(cwd, file);
  const ext = extname(path);
  if (!existsSync(path)) throw new LoadError('not-found', `${file}: no such file`);
  if (!statSync(path).isFile()) throw new LoadError('not-found', `${file}: is a directory, not a module`);
  if (!EXTENSIONS.includes(ext)) {
    throw new LoadError('unsupported', `${file}: clonecheck loads ${EXTENSIONS.join(', ')} files, not ${ext === '' ? 'files without an extension' : ext}`);
  }

  const imported: string[] = [];
  const tsconfig = tsconfigFor(path);
  const timeoutError = (): LoadError =>
    new LoadError(
      'timeout',
      `${file}: did not finish loading within ${options.timeout} ms (a top-level await that never settles?); use --timeout to wait longer`,
    );
  let namespace: Record<string, unknown>;
  let usedTsx = false;
  try {
    const loader = chooseLoader(ext, tsconfig);
    if (loader === 'node') {
      try {
        namespace = await withTimeout(import(pathToFileURL(path).href) as Promise<Record<string, unknown>>, options.timeout, timeoutError);
      } catch (error) {
        // Node could not even start on it (a TypeScript import, syntax that type stripping does not
        // support): nothing of the module ran yet, so tsx can take it from the start.
        if (!NEEDS_TSX.has(codeOf(error) as string) && !isTypeScriptStyleImport(error, ext, cwd)) throw error;
        usedTsx = true;
        namespace = await importWithTsx(path, file, tsconfig, imported, options.timeout, timeoutError);
      }
    } else {
      usedTsx = true;
      namespace = await importWithTsx(path, file, tsconfig, imported, options.timeout, timeoutError);
    }
  } catch (error) {
    if (
      usedTsx &&
      imported.length === 0 &&
      !(error instanceof LoadError) &&
      !(error instanceof ModuleExit) &&
      tsconfig !== false &&
      userFrame(stackOf(error), cwd) === undefined &&
      !(error instanceof SyntaxError)
    ) {
      // Nothing was imported yet and no code of the user's ran: tsx failed to set up, which is the
      // tsconfig's doing (a missing "extends"). (tsx does not always report imports it serves from
      // its cache, so a module that threw is told by its stack, not by the list.)
      throw new LoadError('import-failed', `${file}: cannot be loaded: ${shortPath(tsconfig, cwd)}: ${firstLine(messageOf(error))}`);
    }
    throw loadFailure(error, file, cwd, usedTsx ? imported : [pathToFileURL(path).href]);
  }
  return { file, path, exports: exportsOf(namespace) };
}

/**
 * A TypeScript file that imports `./lib.js` meaning `./lib.ts` (as tsc and tsx resolve it): Node
 * does not find the file while linking, before any code of the module runs (no frame of the user's
 * code on the stack), and tsx can take it from the start.
 */
function isTypeScriptStyleImport(error: unknown, ext: string, cwd: string): boolean {
  return (ext === '.ts' || ext === '.mts' || ext === '.cts') && codeOf(error) === 'ERR_MODULE_NOT_FOUND' && userFrame(stackOf(error), cwd) === undefined;
}

/** Errors Node raises before running anything of a module, that tsx gets past. */
const NEEDS_TSX = new Set([
  'ERR_UNKNOWN_FILE_EXTENSION',
  'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX',
  'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING',
  'ERR_INVALID_TYPESCRIPT_SYNTAX',
]);

/**
 * Which loader takes a file: Node itself for JavaScript, and for TypeScript where this Node strips
 * types on its own (22.18 and later) and the tsconfig asks for nothing only a compiler does
 * (`paths`, JSX); tsx otherwise. tsx is loaded only then: a `.js` check never pays for it.
 */
export function chooseLoader(
  ext: string,
  tsconfig: string | false,
  features: { readonly typescript?: unknown } = process.features as { typescript?: unknown },
): 'node' | 'tsx' {
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs') return 'node';
  if (ext === '.tsx' || !features.typescript) return 'tsx';
  if (tsconfig !== false) {
    try {
      const text = readFileSync(tsconfig, 'utf8');
      if (/"(?:paths|jsx|jsxFactory|experimentalDecorators|emitDecoratorMetadata)"\s*:/.test(text)) return 'tsx';
    } catch {
      return 'tsx';
    }
  }
  return 'node';
}

async function importWithTsx(
  path: string,
  file: string,
  tsconfig: string | false,
  imported: string[],
  timeout: number,
  onTimeout: () => LoadError,
): Promise<Record<string, unknown>> {
  let api: { tsImport: (url: string, options: object) => Promise<unknown> };
  try {
    // Imported here, not at the top: JavaScript, --help and usage errors need no compiler.
    api = (await import('tsx/esm/api')) as typeof api;
  } catch {
    throw new LoadError(
      'unsupported',
      `${file}: Node.js ${process.versions.node} cannot load this file by itself, and tsx is not installed: npm install --save-dev tsx${extname(path) === '.tsx' ? '' : ', or use Node.js 22.18 or later'}`,
    );
  }
  return (await withTimeout(
    api.tsImport(pathToFileURL(path).href, {
      parentURL: import.meta.url,
      tsconfig,
      onImport: (url: string) => imported.push(url),
    }) as Promise<Record<string, unknown>>,
    timeout,
    onTimeout,
  )) as Record<string, unknown>;
}

// ---- the exports of a namespace ----

function exportsOf(namespace: Record<string, unknown>): ModuleExport[] {
  let names = Object.keys(namespace);
  const def = names.includes('default') ? namespace['default'] : undefined;
  // From Node 23 the namespace of a CommonJS module also names `module.exports`: the same value as `default`.
  if (def !== undefined && names.includes(CJS_EXPORTS) && namespace[CJS_EXPORTS] === def) names = names.filter((name) => name !== CJS_EXPORTS);
  let entries: [string, unknown][];
  if (isCompiledEsm(def)) {
    // tsx (esbuild) compiled ES syntax to CommonJS: module.exports holds the source's exports as
    // getters; `default` among them is the source's default export.
    const exportsObject = def as Record<string, unknown>;
    entries = Object.keys(exportsObject).map((name) => [name, name in namespace && name !== 'default' ? namespace[name] : exportsObject[name]]);
  } else {
    entries = names.map((name) => [name, namespace[name]]);
    if (def !== undefined && names.length > 1 && isCommonJsExports(def, namespace, names)) {
      entries = entries.filter(([name]) => name !== 'default');
    }
  }
  entries.sort(([a], [b]) => (a === 'default' ? -1 : b === 'default' ? 1 : a < b ? -1 : a > b ? 1 : 0));
  return entries.map(([name, value]) => ({ name, value, obtained: 'value' }));
}

const CJS_EXPORTS = 'module.exports';

/** `module.exports` of a module compiled from ES syntax: it has an own `__esModule: true`. */
function isCompiledEsm(value: unknown): boolean {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function') || types.isProxy(value)) return false;
  const d = Object.getOwnPropertyDescriptor(value, '__esModule');
  return d !== undefined && 'value' in d && d.value === true;
}

/**
 * `module.exports` of a CommonJS module whose named exports Node found: every other export is an
 * own data property of it with the same value.
 */
function isCommonJsExports(value: unknown, namespace: Record<string, unknown>, names: readonly string[]): boolean {
  if (value === null || typeof value !== 'object' || types.isProxy(value)) return false;
  return names.every((name) => {
    if (name === 'default') return true;
    const d = Object.getOwnPropertyDescriptor(value, name);
    return d !== undefined && 'value' in d && Object.is(d.value, namespace[name]);
  });
}

export function isClass(fn: unknown): boolean {
  try {
    return Function.prototype.toString.call(fn).startsWith('class');
  } catch {
    return false;
  }
}

// ---- tsconfig ----

/**
 * The tsconfig.json that applies to `file`: `TSX_TSCONFIG_PATH` when set (as tsx reads it), else the
 * nearest one in the file's directory or above; `false` when there is none.
 */
export function tsconfigFor(file: string): string | false {
  const fromEnv = process.env['TSX_TSCONFIG_PATH'];
  if (fromEnv) return resolve(fromEnv);
  for (let dir = dirname(file); ;) {
    const candidate = join(dir, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) return false;
    dir = up;
  }
}

// ---- failures ----

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function loadFailure(error: unknown, file: string, cwd: string, imported: readonly string[]): LoadError {
  if (error instanceof LoadError) return error;
  if (error instanceof ModuleExit) return new LoadError('threw', `${file}: called process.exit(${error.code ?? ''}) while loading`);
  const message = messageOf(error);

  // tsx compiles TypeScript with esbuild: "Transform failed with 1 error:\n/abs/file.ts:4:5: ERROR: Unexpected ','"
  const esbuild = /^Transform failed with \d+ errors?:\n(.+?):(\d+):(\d+): ERROR: (.*)$/m.exec(message);
  if (esbuild) {
    const [, where, line, column, text] = esbuild;
    // esbuild counts columns from 0; editors and Node count from 1.
    const at = { file: shortPath(where!, cwd), line: Number(line), column: Number(column) + 1 };
    return new LoadError('syntax', `${at.file}:${at.line}:${at.column}: syntax error: ${text}`, at);
  }

  if (isParseError(error)) {
    // tsx does not always report the imports it serves from its cache (another run may have filled
    // it): then the modules the file imports, read from its source, are asked too.
    const at = arrowLocation(stackOf(error)) ?? locateSyntaxError(imported) ?? locateSyntaxError(relativeImports(resolve(cwd, file)));
    const first = firstLine(message);
    if (at) {
      const place = { file: shortPath(at.file, cwd), line: at.line, column: at.column };
      return new LoadError('syntax', `${place.file}:${place.line}:${place.column}: syntax error: ${first}`, place);
    }
    return new LoadError('syntax', `${file}: syntax error in the module or one it imports: ${first}`);
  }

  const code = codeOf(error);
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || code === 'ERR_UNSUPPORTED_DIR_IMPORT' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') {
    return new LoadError('import-failed', `${file}: cannot be loaded: ${shortenPaths(firstLine(message), cwd)}`);
  }
  return new LoadError('threw', `${file}: threw while loading: ${describeThrown(error, cwd)}`);
}

/**
 * One line for something user code threw: `Error: message (at src/file.ts:3:9)`, with the first
 * stack frame in the user's code.
 */
export function describeThrown(error: unknown, cwd: string = process.cwd()): string {
  if (!(error instanceof Error) && (error === null || typeof error !== 'object'))
    return `${typeof error === 'string' ? JSON.stringify(error) : String(error)} (not an Error)`;
  const name = error instanceof Error ? safeString(() => error.name) : 'thrown object';
  const text = `${name}: ${firstLine(messageOf(error))}`;
  const frame = userFrame(stackOf(error), cwd);
  return frame ? `${text} (at ${frame})` : text;
}

/** Where user code threw `error`: its first stack frame outside Node, tsx and clonecheck, `src/file.ts:3:9`. */
export function thrownAt(error: unknown, cwd: string = process.cwd()): string | undefined {
  return userFrame(stackOf(error), cwd);
}

/** The first stack frame outside Node, tsx and clonecheck: `src/file.ts:3:9`. */
function userFrame(stack: string, cwd: string): string | undefined {
  for (const line of stack.split('\n')) {
    const match = /^\s+at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/.exec(line);
    if (!match) continue;
    let where = match[1]!;
    if (where.startsWith('node:') || where.startsWith('data:') || where.includes('/node_modules/tsx/') || where.includes('/node_modules/esbuild/')) continue;
    if (where.startsWith('file:')) {
      try {
        where = fileURLToPath(where.replace(/\?.*$/, ''));
      } catch {
        continue;
      }
    }
    if (!isAbsolute(where) || where.startsWith(OWN_ROOT)) continue;
    return `${shortPath(where, cwd)}:${match[2]}:${match[3]}`;
  }
  return undefined;
}

/** The directory of clonecheck's own modules (frames in them are not the user's). */
const OWN_ROOT = fileURLToPath(new URL('../', import.meta.url));

function shortPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** Absolute paths in Node's messages ("imported from /abs/dir/file.ts"), made relative to cwd. */
function shortenPaths(text: string, cwd: string): string {
  return text.replace(/(?:file:\/\/)?(\/[^\s'"]+)/g, (whole, path: string) => (whole.startsWith('file:') ? whole : shortPath(path, cwd)));
}

function messageOf(error: unknown): string {
  if (error === null || typeof error !== 'object') return String(error);
  return safeString(() => {
    const d = Object.getOwnPropertyDescriptor(error, 'message');
    return d && 'value' in d ? String(d.value) : error instanceof Error ? error.message : Object.prototype.toString.call(error);
  });
}

function codeOf(error: unknown): unknown {
  if (error === null || typeof error !== 'object') return undefined;
  const d = Object.getOwnPropertyDescriptor(error, 'code');
  return d && 'value' in d ? d.value : undefined;
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.trim();
}

function safeString(read: () => string): string {
  try {
    return read();
  } catch {
    return '(unreadable)';
  }
}
