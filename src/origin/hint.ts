// pickle's answer for functions and classes, for a JavaScript send: pass a reference (module and
// name) and import it on the other side; a closure's data travels, its resources are recreated.
import { isAbsolute, relative, sep } from 'node:path';
import * as I from './intrinsics.js';
import { functionOrigin, instanceOrigin } from './origin.js';
import type { Origin } from './types.js';

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

/** Where something was defined, for people: `src/jobs.ts:41:18` (relative to `cwd`). */
export interface Place {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/**
 * What to send instead of a function or a class instance, as plain data:
 * - `reference`: it is an export: send `{ module, name }` and `import()` it in the receiver.
 * - `top-level`: defined at the top level of a module, not known to be exported: export it, then as `reference`.
 * - `closure`: move it into a module the receiver imports and send its name; the captures in
 *   `data` travel as data, those in `recreate` (a pool, a socket, another function) are made again there.
 * - `class`: an instance: send its data and rebuild it with `new <className>(data)`; the class is at `definedAt`.
 * - `method`: a method of a module-level class or object: send the data, call the method on the other side.
 * - `built-in`, `bound`: send the built-in's name, or the target's name and the bound arguments.
 */
export type OriginHint =
  | { readonly kind: 'reference'; readonly module: string; readonly name: string; readonly definedAt?: Place }
  | { readonly kind: 'top-level'; readonly module: string; readonly name?: string; readonly definedAt: Place }
  | {
      readonly kind: 'closure';
      readonly definedAt?: Place;
      readonly data: readonly { readonly name: string; readonly kind: string }[];
      readonly recreate: readonly { readonly name: string; readonly kind: string }[];
    }
  | { readonly kind: 'class'; readonly className: string; readonly definedAt?: Place; readonly module?: string; readonly exportName?: string }
  | { readonly kind: 'method'; readonly name?: string; readonly definedAt?: Place }
  | { readonly kind: 'built-in'; readonly name?: string }
  | { readonly kind: 'bound'; readonly name?: string };

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

/** `src/jobs.ts:41:18`. */
export function formatPlace(place: Place): string {
  return `${place.file}${place.line !== undefined ? `:${place.line}` : ''}${place.line !== undefined && place.column !== undefined ? `:${place.column}` : ''}`;
}

/** The hint in one or two plain sentences, no colour, for the messages table and the reports. */
export function formatOriginHint(hint: OriginHint): string {
  switch (hint.kind) {
    case 'reference':
      return `Send a reference instead: { module: '${hint.module}', name: '${hint.name}' }, and import() it in the worker or child.`;
    case 'top-level':
      // V8 keeps no scope for an enclosing function whose variables a function does not use, so
      // "captures nothing" is what is known: top-level, or inside a function without using it.
      return `It is defined at ${formatPlace(hint.definedAt)} and captures nothing from an enclosing function: export it from its module (at the top level), send { module: '${hint.module}', name: '${hint.name ?? '<its export name>'}' } and import() it in the worker or child.`;
    case 'closure': {
      const where = hint.definedAt ? ` defined at ${formatPlace(hint.definedAt)}` : '';
      const parts = [`It is a closure${where}: move it into a module the worker or child imports, and send its name.`];
      if (hint.data.length) parts.push(`Send ${list(hint.data)} as data.`);
      if (hint.recreate.length) parts.push(`Create ${list(hint.recreate)} again on the other side.`);
      return parts.join(' ');
    }
    case 'class': {
      const where = hint.definedAt ? `; the class is defined at ${formatPlace(hint.definedAt)}` : '';
      const ref = hint.module
        ? ` (import it from '${hint.module}'${hint.exportName && hint.exportName !== hint.className ? ` as ${hint.exportName}` : ''})`
        : '';
      return `Send the data and call new ${hint.className}(data) in the worker or child${ref}${where}.`;
    }
    case 'method': {
      const what = hint.name ? `the method ${hint.name}` : 'a method';
      const where = hint.definedAt ? ` defined at ${formatPlace(hint.definedAt)}` : '';
      return `It is ${what}${where}: send the object's data and call the method on an object rebuilt on the other side.`;
    }
    case 'built-in':
      return `It is the built-in ${hint.name ? `${hint.name}` : 'function'}: send its name and look it up on the other side.`;
    case 'bound':
      return `It is a bound function${hint.name ? ` (${hint.name})` : ''}: send the target's name and the bound arguments as data, and bind it again on the other side.`;
  }
}

const list = (items: readonly { name: string; kind: string }[]): string => items.map((i) => `${i.name} (${article(i.kind)})`).join(', ');
const article = (kind: string): string => (I.regexpExec(/^[aeiou]/i, kind) ? `an ${kind}` : `a ${kind}`);

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
