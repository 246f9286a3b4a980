// pickle's answer for functions and classes, for a JavaScript send: pass a reference (module and
// name) and import it on the other side; a closure's data travels, its resources are recreated.
// Facts only: the hint is data (`OriginHint`, findings/codes.ts); findings/messages.ts words it.
import { isAbsolute, relative, sep } from 'node:path';
import type { OriginHint, Place } from '../findings/codes.js';
import { formatPlace } from '../findings/messages.js';
import * as I from './intrinsics.js';
import { functionOrigin, instanceOrigin } from './origin.js';
import type { Origin } from './types.js';

export type { OriginHint, Place };

/** A module and what it exports, as the command line loaded it (`LoadedModule` has this shape). */
export interface ModuleExports {
  /** The module's absolute path, or the file as the user gave it. */
  readonly path?: string;
  readonly file: string;
  readonly exports: readonly { readonly name: string; readonly value: unknown }[];
}

export interface HintOptions {
  /** Modules whose exports can be named in a reference (the CLI knows the ones it loaded). */
  readonly modules?: readonly ModuleExports[] | undefined;
  /** What printed paths and `module` specifiers are relative to. @default process.cwd() */
  readonly cwd?: string | undefined;
}

/**
 * The by-reference hint for a function found in a value. `undefined` when there is nothing better
 * to say than the checker's default hint (an origin that could not be read).
 *
 * @example
 * originHint(onDone, { modules: loaded })   // { kind: 'reference', module: './src/jobs.ts', name: 'onDone', definedAt: {...} }
 * originHint(makeJob(db, 'k:'))              // { kind: 'closure', data: [{ name: 'prefix', kind: 'string' }], recreate: [{ name: 'db', kind: 'Pool' }], ... }
 */
export function originHint(fn: unknown, options: HintOptions = {}): OriginHint | undefined {
  try {
    const origin = functionOrigin(fn);
    if (!origin) return undefined;
    const cwd = options.cwd ?? process.cwd();
    const exported = exportOf(fn, options.modules, cwd);
    const definedAt = placeOf(origin, cwd);
    if (exported) return { kind: 'reference', ...exported, ...(definedAt ? { definedAt } : {}) };
    switch (origin.kind) {
      case 'built-in':
        return { kind: 'built-in', ...(origin.name ? { name: origin.name } : {}) };
      case 'bound':
        return { kind: 'bound', ...(origin.name ? { name: origin.name } : {}) };
      case 'unknown':
        return undefined;
    }
    if (origin.topLevel && origin.functionKind === 'method') {
      return { kind: 'method', ...(origin.name ? { name: origin.name } : {}), ...(definedAt ? { definedAt } : {}) };
    }
    if (origin.topLevel && definedAt && origin.file && isAbsolute(origin.file)) {
      return { kind: 'top-level', module: specifier(origin.file, cwd), ...(origin.name ? { name: origin.name } : {}), definedAt };
    }
    const data: { name: string; kind: string }[] = [];
    const recreate: { name: string; kind: string }[] = [];
    for (const c of origin.captures ?? []) (c.travel === 'data' ? data : recreate).push({ name: c.name, kind: c.kind });
    return { kind: 'closure', ...(definedAt ? { definedAt } : {}), data, recreate };
  } catch {
    return undefined;
  }
}

/**
 * The rebuild hint for an instance of a user's class: its class's name and where it is defined
 * (and its export, when a loaded module exports it). `undefined` for plain objects and built-ins.
 */
export function instanceHint(value: unknown, options: HintOptions = {}): OriginHint | undefined {
  try {
    const found = instanceOrigin(value);
    if (!found || !found.className) return undefined;
    const cwd = options.cwd ?? process.cwd();
    const definedAt = placeOf(found.origin, cwd);
    const proto = I.getPrototypeOf(value as object);
    const ctor = proto ? I.getOwnPropertyDescriptor(proto, 'constructor')?.value : undefined;
    const exported = exportOf(ctor, options.modules, cwd);
    return {
      kind: 'class',
      className: found.className,
      ...(definedAt ? { definedAt } : {}),
      ...(exported ? { module: exported.module, exportName: exported.name } : {}),
    };
  } catch {
    return undefined;
  }
}

function placeOf(origin: Origin, cwd: string): Place | undefined {
  if (!origin.file) return undefined;
  const file = isAbsolute(origin.file) ? relativePath(origin.file, cwd) : origin.file;
  return { file, ...(origin.line !== undefined ? { line: origin.line } : {}), ...(origin.column !== undefined ? { column: origin.column } : {}) };
}

function relativePath(file: string, cwd: string): string {
  const r = relative(cwd, file);
  return r === '' || I.stringStartsWith(r, '..') || isAbsolute(r) ? file : r.split(sep).join('/');
}

/** `./src/jobs.ts` for a file under `cwd`, else its absolute path. */
function specifier(file: string, cwd: string): string {
  const r = relativePath(file, cwd);
  return isAbsolute(r) ? r : `./${r}`;
}

function exportOf(fn: unknown, modules: readonly ModuleExports[] | undefined, cwd: string): { module: string; name: string } | undefined {
  if (!modules || (typeof fn !== 'function' && (typeof fn !== 'object' || fn === null))) return undefined;
  for (const m of modules) {
    for (const e of m.exports) {
      if (e.value !== fn) continue;
      const path = m.path ?? m.file;
      return { module: isAbsolute(path) ? specifier(path, cwd) : I.stringStartsWith(path, '.') ? path : `./${path}`, name: e.name };
    }
  }
  return undefined;
}

/** Everything the checker can attach to a finding about a function, as plain data for its `args`. */
export interface FunctionFacts {
  readonly origin: Origin;
  /** `src/jobs.ts:41:18`, relative to `cwd`; absent for built-in, bound and unknown origins. */
  readonly definedAt?: string;
  readonly hint?: OriginHint;
}

/**
 * The origin, the place for people and the by-reference hint of a function, in one call; for a
 * class instance pass its constructor's facts through `instanceHint` instead. `undefined` when
 * `fn` is not a function.
 *
 * @example
 * functionFacts(job, { cwd: '/app' })
 * // { origin: { kind: 'source', ... }, definedAt: 'src/jobs.ts:41:18', hint: { kind: 'closure', data: [...], recreate: [...] } }
 */
export function functionFacts(fn: unknown, options: HintOptions = {}): FunctionFacts | undefined {
  const origin = functionOrigin(fn);
  if (!origin) return undefined;
  const place = placeOf(origin, options.cwd ?? process.cwd());
  const hint = originHint(fn, options);
  return { origin, ...(place ? { definedAt: formatPlace(place) } : {}), ...(hint ? { hint } : {}) };
}
