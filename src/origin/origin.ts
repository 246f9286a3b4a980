// Where a function was defined and what it closes over, read through the in-process inspector:
// `Runtime.getProperties` on the function gives `[[FunctionLocation]]` and `[[Scopes]]`; the closure
// scopes are read as the plain objects the inspector materialises, with this module's own captured
// built-ins, so no getter, Proxy trap or patched method of the user's runs.
import * as I from './intrinsics.js';
import { post, release, remoteIds, scopeObjects, scriptInfo, type Properties, type RemoteObject } from './inspector.js';
import { describeValue, functionKindOf, isNativeSource, ownName, sourceOf } from './kind.js';
import { isAbsolute } from 'node:path';
import { classKeywordBefore, fileOfUrl, mapPosition, type ScriptInfo } from './source-map.js';
import type { Capture, FunctionKind, Origin } from './types.js';

const cache = new WeakMap<object, Origin>();
/** The captured values, in the order of `Origin.captures`; a WeakMap keeps them no longer than the function. */
const values = new WeakMap<object, unknown[]>();

/**
 * The origin of `fn`: where it was defined (mapped through source maps), and for a closure what it
 * captures. `undefined` when `fn` is not a function. Never throws, never runs the function's code;
 * without an inspector the answer is `{ kind: 'unknown' }` with what can be read without one.
 * Cached per function: a closure's captures are those it had when first asked.
 *
 * @example
 * functionOrigin(makeJob(db, 'k:'))
 * // { kind: 'source', functionKind: 'arrow', file: '/app/src/jobs.ts', line: 41, column: 18,
 * //   topLevel: false, captures: [{ name: 'db', kind: 'Pool', category: 'instance', travel: 'recreate' },
 * //                               { name: 'prefix', kind: 'string', category: 'primitive', travel: 'data' }] }
 */
export function functionOrigin(fn: unknown): Origin | undefined {
  return functionOrigins([fn])[0];
}

/** `functionOrigin` for many functions at once: one inspector round per batch instead of per function. */
export function functionOrigins(fns: readonly unknown[]): (Origin | undefined)[] {
  const out: (Origin | undefined)[] = [];
  const pending: { index: number; fn: object; base: Base }[] = [];
  for (let i = 0; i < fns.length; i++) {
    const fn = fns[i];
    out.push(undefined);
    if (typeof fn !== 'function') continue;
    const cached = cache.get(fn);
    if (cached) {
      out[i] = cached;
      continue;
    }
    let origin: Origin | undefined;
    let base: Base | undefined;
    try {
      [origin, base] = withoutInspector(fn);
    } catch {
      origin = { kind: 'unknown' };
    }
    if (origin) {
      cache.set(fn, origin);
      out[i] = origin;
    } else if (base) {
      pending.push({ index: i, fn, base });
    }
  }
  if (pending.length > 0) {
    for (let start = 0; start < pending.length; start += BATCH) {
      const slice: typeof pending = [];
      for (let j = start; j < pending.length && j < start + BATCH; j++) slice.push(pending[j]!);
      const found = inspectBatch(slice);
      for (let j = 0; j < slice.length; j++) {
        const origin = found[j] ?? unknown(slice[j]!.base);
        cache.set(slice[j]!.fn, origin);
        out[slice[j]!.index] = origin;
      }
    }
  }
  return out;
}

/** How many functions one inspector round takes; bounds the protocol messages' size. */
const BATCH = 1000;

interface Base {
  readonly name: string | undefined;
  readonly functionKind: FunctionKind;
  readonly source: string;
}

const unknown = (base: Base): Origin => ({ kind: 'unknown', functionKind: base.functionKind, ...(base.name ? { name: base.name } : {}) });

/** What can be said without the inspector; an origin when that is all there is, else the base for a lookup. */
function withoutInspector(fn: object): [Origin | undefined, Base | undefined] {
  if (I.isProxy(fn)) return [{ kind: 'unknown' }, undefined];
  const name = ownName(fn);
  const source = sourceOf(fn);
  const named = name ? { name } : {};
  if (isNativeSource(source)) {
    return [{ kind: name !== undefined && I.stringStartsWith(name, 'bound ') ? 'bound' : 'built-in', ...named }, undefined];
  }
  const base: Base = { name, functionKind: functionKindOf(fn, source), source };
  // The inspector describes every own property value and the prototype, and describing a native
  // Error reads its `stack` and `message` (user getters, Error.prepareStackTrace). Such a function
  // is not looked up.
  if (describingRunsCode(fn)) return [unknown(base), undefined];
  return [undefined, base];
}

function describingRunsCode(fn: object): boolean {
  if (chainHasProxy(fn)) return true;
  const keys = I.ownKeys(fn);
  for (let i = 0; i < keys.length; i++) {
    const d = I.getOwnPropertyDescriptor(fn, keys[i]!);
    if (!d) continue;
    if (risky(d.value) || risky(d.get) || risky(d.set)) return true;
  }
  return false;
}

/**
 * True for a value the inspector cannot describe without running code: a native Error (its
 * `stack` and `message` are read), or an object with a Proxy in its prototype chain (its
 * constructor's name is looked up through the chain, which runs the Proxy's traps).
 */
function risky(value: unknown): boolean {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  return I.isNativeError(value) || chainHasProxy(value);
}

/** True when a Proxy or a native Error is on the prototype chain of `o` (not counting `o`). */
function chainHasProxy(o: object): boolean {
  let p = I.isProxy(o) ? null : I.getPrototypeOf(o);
  for (let depth = 0; p !== null && depth < 1000; depth++) {
    if (I.isProxy(p) || I.isNativeError(p)) return true;
    p = I.getPrototypeOf(p);
  }
  return p !== null;
}

interface Found {
  location?: { scriptId: string; lineNumber: number; columnNumber: number } | undefined;
  scopes: { type: string; id: string; anonymous: boolean }[];
}

function inspectBatch(batch: readonly { fn: object; base: Base }[]): (Origin | undefined)[] {
  const out: (Origin | undefined)[] = [];
  try {
    const fns: object[] = [];
    for (let i = 0; i < batch.length; i++) fns.push(batch[i]!.fn);
    const ids = remoteIds(fns);
    const found: (Found | undefined)[] = [];
    const scopeIds: string[] = [];
    for (let i = 0; i < batch.length; i++) {
      const id = ids[i];
      found.push(id === undefined ? undefined : lookUp(id, scopeIds));
    }
    const scopeValues: (object | undefined)[] = [];
    for (let start = 0; start < scopeIds.length; start += 500) {
      const chunk: string[] = [];
      for (let j = start; j < scopeIds.length && j < start + 500; j++) chunk.push(scopeIds[j]!);
      const got = scopeObjects(chunk);
      for (let j = 0; j < got.length; j++) scopeValues.push(got[j]);
    }
    const scopeById = new Map<string, object | undefined>();
    for (let j = 0; j < scopeIds.length; j++) scopeById.set(scopeIds[j]!, scopeValues[j]);
    for (let i = 0; i < batch.length; i++) {
      const f = found[i];
      if (f === undefined) {
        out.push(undefined);
        continue;
      }
      const held: unknown[] = [];
      out.push(build(batch[i]!.base, f, scopeById, held));
      values.set(batch[i]!.fn, held);
    }
  } catch {
    // A lookup failed: whatever was not answered stays unknown.
  } finally {
    release();
  }
  return out;
}

/** Location and scope entries of one function; the closure scopes' ids are added to `scopeIds`. */
function lookUp(id: string, scopeIds: string[]): Found | undefined {
  try {
    const props = post('Runtime.getProperties', { objectId: id, ownProperties: true, generatePreview: false }) as Properties;
    const found: Found = { scopes: [] };
    let scopesId: string | undefined;
    const internal = props.internalProperties ?? [];
    for (let i = 0; i < internal.length; i++) {
      const p = internal[i]!;
      if (p.name === '[[FunctionLocation]]') found.location = p.value?.value as Found['location'];
      else if (p.name === '[[Scopes]]') scopesId = p.value?.objectId;
    }
    if (scopesId !== undefined) {
      const list = post('Runtime.getProperties', { objectId: scopesId, ownProperties: true, generatePreview: false }) as Properties;
      for (let i = 0; i < list.result.length; i++) {
        const entry = list.result[i]!;
        const value: RemoteObject | undefined = entry.value;
        if (!value || value.subtype !== 'internal#scope' || value.objectId === undefined) continue;
        const type = scopeType(value.description ?? '');
        found.scopes.push({ type, id: value.objectId, anonymous: value.description === 'Closure' });
        if (CAPTURING.has(type)) scopeIds.push(value.objectId);
      }
    }
    return found;
  } catch {
    return undefined;
  }
}

/** Scopes whose variables belong to the function's enclosing code, not to its module or the global. */
const CAPTURING = new Set(['closure', 'block', 'catch']);
/** Scopes that make a function not top-level. `with` objects are the user's own objects: never read. */
const NESTED = new Set(['closure', 'block', 'catch', 'with', 'eval', 'local']);

function scopeType(description: string): string {
  const m = I.regexpExec(/^(Closure|Block|Catch|With Block|With|Eval|Local|Module|Script|Global|Wasm\w*)/, description);
  if (!m) return 'other';
  const t = m[1]!;
  return t === 'With Block' ? 'with' : t.toLowerCase();
}

function build(base: Base, found: Found, scopes: Map<string, object | undefined>, held: unknown[]): Origin {
  const origin: { -readonly [K in keyof Origin]: Origin[K] } = { kind: found.location ? 'source' : 'unknown', functionKind: base.functionKind };
  if (base.name) origin.name = base.name;
  const script = found.location ? scriptInfo(found.location.scriptId) : undefined;
  if (found.location && script) {
    placeAt(origin, script, found.location);
    // V8 places a class that has a constructor at its `constructor` keyword: find the class itself.
    if (base.functionKind === 'class' && origin.file !== undefined && origin.line !== undefined && origin.column !== undefined) {
      const at = classKeywordBefore(origin.file, script, origin.line - 1, origin.column - 1, base.name);
      if (at) {
        origin.line = at.line + 1;
        origin.column = at.column + 1;
      }
    }
  }
  const list = script && isAbsolute(fileOfUrl(script.url)) ? withoutModuleWrapper(found.scopes) : found.scopes;
  let nested = false;
  for (let i = 0; i < list.length; i++) if (NESTED.has(list[i]!.type)) nested = true;
  origin.topLevel = !nested;
  const captures = capturesOf(base.source, list, scopes, held);
  if (captures) origin.captures = captures;
  return origin;
}

/**
 * The scope list of a function from a module file, without the module's wrapper: CommonJS runs a
 * module's code inside an anonymous function, a test runner (Vitest) or a bundler inside a function
 * or a block, whose scope is then the outermost one, right above the script and global scopes (an
 * ES module has a Module scope there instead). Its variables are the module's own bindings, which
 * importing the module recreates, not captures; a function directly inside it is top-level. Code
 * that is not from a file (`vm`, `eval`) is classic script, where such a scope is a real closure.
 */
function withoutModuleWrapper(list: Found['scopes']): Found['scopes'] {
  let last = -1;
  for (let i = 0; i < list.length; i++) if (NESTED.has(list[i]!.type)) last = i;
  if (last === -1 || !((list[last]!.type === 'closure' && list[last]!.anonymous) || list[last]!.type === 'block')) return list;
  for (let i = last + 1; i < list.length; i++) if (list[i]!.type !== 'script' && list[i]!.type !== 'global') return list;
  const out: Found['scopes'] = [];
  for (let i = 0; i < list.length; i++) if (i !== last) out.push(list[i]!);
  return out;
}

function placeAt(origin: { -readonly [K in keyof Origin]: Origin[K] }, script: ScriptInfo, loc: NonNullable<Found['location']>): void {
  const file = fileOfUrl(script.url);
  const mapped = mapPosition(script, loc.lineNumber, loc.columnNumber, () => scriptInfo(loc.scriptId, true));
  if (mapped) {
    origin.file = mapped.file;
    origin.line = mapped.line + 1;
    origin.column = mapped.column + 1;
    origin.generated = { file, line: loc.lineNumber + 1, column: loc.columnNumber + 1 };
  } else {
    origin.file = file;
    origin.line = loc.lineNumber + 1;
    origin.column = loc.columnNumber + 1;
  }
}

/** The captures, or undefined when a scope could not be read (then nothing is claimed about them). */
function capturesOf(source: string, list: Found['scopes'], scopes: Map<string, object | undefined>, held: unknown[]): Capture[] | undefined {
  // Inside `with`, names resolve through the user's object at run time: nothing can be listed.
  for (let i = 0; i < list.length; i++) if (list[i]!.type === 'with') return undefined;
  const used = identifiersIn(source);
  const seen = new Set<string>();
  const out: Capture[] = [];
  for (let i = 0; i < list.length; i++) {
    const entry = list[i]!;
    if (!CAPTURING.has(entry.type)) continue;
    const scope = scopes.get(entry.id);
    if (!scope) {
      held.length = 0;
      return undefined;
    }
    const keys = I.ownKeys(scope);
    for (let k = 0; k < keys.length; k++) {
      const name = keys[k];
      // V8 keeps one context per scope, shared by all closures made in it: a variable only a
      // sibling closure uses is there too. The function's own source says which ones are its own.
      if (typeof name !== 'string' || seen.has(name) || !used.has(name)) continue;
      seen.add(name);
      const d = I.getOwnPropertyDescriptor(scope, name);
      const value = d && 'value' in d ? (d.value as unknown) : undefined;
      out.push({ name, ...describeValue(value) });
      held.push(value);
    }
  }
  return out;
}

const IDENTIFIER = /[\p{L}\p{Nl}$_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$\u200c\u200d]*/gu;

/** Identifiers in a function's source that are not property names after a dot. */
function identifiersIn(source: string): Set<string> {
  const set = new Set<string>();
  const re = new RegExp(IDENTIFIER.source, 'gu');
  for (let m = I.regexpExec(re, source); m !== null; m = I.regexpExec(re, source)) {
    const at = m.index;
    if (at > 0 && source.charCodeAt(at - 1) === 46 /* . */ && !(at > 2 && source.charCodeAt(at - 2) === 46 && source.charCodeAt(at - 3) === 46)) continue;
    set.add(m[0]);
  }
  return set;
}

/**
 * The values `fn` captures, with their `Capture` records, as they were when its origin was first
 * read (looked up now if it was not). For a caller that judges them itself, e.g. with `check()`.
 */
export function capturedValues(fn: unknown): { capture: Capture; value: unknown }[] {
  const origin = functionOrigin(fn);
  const held = typeof fn === 'function' ? values.get(fn) : undefined;
  const out: { capture: Capture; value: unknown }[] = [];
  if (!origin?.captures || !held) return out;
  for (let i = 0; i < origin.captures.length && i < held.length; i++) out.push({ capture: origin.captures[i]!, value: held[i] });
  return out;
}

/**
 * The class of an instance and that class's origin, read without calling anything: the
 * prototype's own data `constructor`. `undefined` for a plain object, a Proxy, or when the
 * constructor is not a plain data property.
 */
export function instanceOrigin(value: unknown): { className: string | undefined; origin: Origin } | undefined {
  try {
    if (typeof value !== 'object' || value === null || I.isProxy(value)) return undefined;
    const proto = I.getPrototypeOf(value);
    if (proto === null || I.isProxy(proto)) return undefined;
    const d = I.getOwnPropertyDescriptor(proto, 'constructor');
    if (!d || !('value' in d) || typeof d.value !== 'function') return undefined;
    const origin = functionOrigin(d.value);
    if (!origin || origin.kind === 'built-in') return undefined;
    return { className: origin.name, origin };
  } catch {
    return undefined;
  }
}
