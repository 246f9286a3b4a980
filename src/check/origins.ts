// Origins for the findings of one check: where each function and class found was defined, what a
// closure captures, and what to send instead (src/origin/, read through node:inspector). Looked up
// once per function or class, the first time a check meets it: the facts are kept (per function,
// weakly) and a later check that meets the same function or class reuses them without a lookup.
import type { FindingArgs, OriginFacts } from '../findings/codes.js';
import { formatPlace, hintFor, messageFor } from '../findings/messages.js';
import { functionFacts, functionOrigins, instanceHint, type HintOptions } from '../origin/index.js';
import { apply, freeze, getOwnPropertyDescriptor, getPrototypeOf, isProxy, SafeMap, SafeWeakMap } from '../realm/intrinsics.js';
import type { Finding, OriginOptions } from '../types.js';

const DEFAULT_MAX = 20;

/** What to look up: `true`/`undefined` is the default; `false` nothing. */
export function originOptions(option: boolean | OriginOptions | undefined): OriginOptions | undefined {
  if (option === false) return undefined;
  return option === true || option === undefined ? {} : option;
}

/**
 * Re-makes the findings whose args are those of a function or instance found, with its origin
 * facts in `args.origin` and the wording that names the place and the by-reference answer.
 */
export function attachOrigins(found: readonly [unknown, FindingArgs][], lists: readonly (Finding[] | undefined)[], options: OriginOptions): void {
  const max = options.max ?? DEFAULT_MAX;
  const n = found.length < max ? found.length : max;
  if (n === 0) return;
  const hintOptions = hintOptionsOf(options);
  const known = factsOf(hintOptions, FUNCTION_FACTS);
  const replaced = new SafeMap<FindingArgs, FindingArgs>();
  // The functions met before take their kept facts; the others are looked up together below.
  let missed: number[] | undefined;
  for (let i = 0; i < n; i++) {
    const value = found[i]![0];
    if (typeof value !== 'function') continue; // a class instance: its origin was attached in the walk
    const kept = known?.get(value);
    if (kept === undefined) (missed ??= [])[missed.length] = i;
    else if (kept !== null) replaced.set(found[i]![1], freeze({ ...found[i]![1], origin: kept }));
  }
  if (missed && builtinsAsLoaded()) {
    // One batched inspector round for every function not met before, then each one's facts from the cache.
    const fns: unknown[] = [];
    for (let j = 0; j < missed.length; j++) fns[j] = found[missed[j]!]![0];
    functionOrigins(fns);
    for (let j = 0; j < missed.length; j++) {
      const value = found[missed[j]!]![0] as object;
      const args = found[missed[j]!]![1];
      const origin = functionOriginFacts(value, hintOptions);
      known?.set(value, origin ?? null);
      if (origin) replaced.set(args, freeze({ ...args, origin }));
    }
  }
  if (replaced.size === 0) return;
  // One class's instances share one args object: its sentences are made once per code and channel.
  const made = new SafeMap<FindingArgs, SafeMap<string, Finding>>();
  for (let l = 0; l < lists.length; l++) {
    const list = lists[l];
    if (!list) continue;
    for (let i = 0; i < list.length; i++) {
      const f = list[i]!;
      const args = replaced.get(f.args);
      if (!args) continue;
      let byKey = made.get(args);
      if (!byKey) made.set(args, (byKey = new SafeMap()));
      const key = f.code + f.channel;
      const first = byKey.get(key);
      if (first) {
        list[i] = first.hint !== undefined ? { ...f, args, message: first.message, hint: first.hint } : { ...f, args, message: first.message };
      } else {
        list[i] = remake(f, args);
        byKey.set(key, list[i]!);
      }
    }
  }
}

/**
 * For the walk: the args of a class instance's findings with its origin facts, looked up at the
 * class's first instance (`index` is its place among the functions and instances found, which
 * `max` bounds), so that the findings of every instance are made once, in their final words.
 */
export function instanceOriginLookup<A extends FindingArgs>(options: OriginOptions): (value: object, args: A, index: number) => A {
  const max = options.max ?? DEFAULT_MAX;
  let hintOptions: HintOptions | undefined;
  let known: FactsCache | undefined;
  let asLoaded: boolean | undefined;
  return (value, args, index) => {
    if (index >= max) return args;
    try {
      const ctor = classOf(value);
      if (ctor === undefined) return args; // no class to name (a Proxy, no data constructor)
      if (hintOptions === undefined) {
        hintOptions = hintOptionsOf(options);
        known = factsOf(hintOptions, CLASS_FACTS);
      }
      const kept = known?.get(ctor);
      if (kept !== undefined) return kept === null ? args : (freeze({ ...args, origin: kept }) as A);
      asLoaded ??= builtinsAsLoaded();
      if (!asLoaded) return args;
      const origin = instanceOriginFacts(value, hintOptions);
      known?.set(ctor, origin ?? null);
      return origin ? (freeze({ ...args, origin }) as A) : args;
    } catch {
      return args; // origins only add words: without them the findings stand as they are
    }
  };
}

/**
 * The class an instance's origin is read from, as `instanceOrigin` (src/origin) reads it: its
 * prototype's own data `constructor`, when it is a function; `undefined` for a Proxy or otherwise.
 */
function classOf(value: object): object | undefined {
  if (isProxy(value)) return undefined;
  const proto = getPrototypeOf(value);
  if (proto === null || isProxy(proto)) return undefined;
  const d = getOwnPropertyDescriptor(proto, 'constructor');
  return d !== undefined && 'value' in d && typeof d.value === 'function' ? (d.value as object) : undefined;
}

// Facts kept per function and per class, by the folder printed places are relative to: a function's
// origin is read once (src/origin caches it, captures included), and its place and hint depend only on
// that folder. A check that passes `modules` looks up every time (the list's exports can change).
// A kept answer is used without looking anything up and without comparing the built-ins: using it calls
// no method or getter the user's code could patch (messages use none either, see findings/messages.ts),
// so it may still be used after a patch, when no new lookup is made.
type FactsCache = SafeWeakMap<object, OriginFacts | null>;
const FUNCTION_FACTS = 0;
const CLASS_FACTS = 1;
const keptByFolder = new SafeMap<string, [FactsCache, FactsCache]>();
/** More folders than this (a program that changes directory often) start the kept facts afresh. */
const MAX_FOLDERS = 16;
const processCwd = process.cwd;

function hintOptionsOf(options: OriginOptions): HintOptions {
  return { modules: options.modules, cwd: options.cwd ?? (apply(processCwd, process, []) as string) };
}

function factsOf(options: HintOptions, which: typeof FUNCTION_FACTS | typeof CLASS_FACTS): FactsCache | undefined {
  if (options.modules !== undefined || options.cwd === undefined) return undefined;
  let pair = keptByFolder.get(options.cwd);
  if (pair === undefined) {
    if (keptByFolder.size >= MAX_FOLDERS) keptByFolder.clear();
    pair = [new SafeWeakMap(), new SafeWeakMap()];
    keptByFolder.set(options.cwd, pair);
  }
  return pair[which];
}

// The inspector and Node's source-map support are JavaScript that uses the language's built-ins.
// If the user's code has replaced one since clonecheck loaded, a lookup could run it: then nothing
// is looked up, and the functions and classes not met before keep their plain wording. Compared only
// when a check has something to look up (about 30 µs, against some 300 µs for the lookup itself).
// The list is not cut down to the methods clonecheck's own code calls: Node's code around the
// inspector calls some live too (on Node 20, events.js runs a listener through Function.prototype.apply).
const WATCHED: readonly object[] = [
  Object,
  Object.prototype,
  Function.prototype,
  Array,
  Array.prototype,
  Object.getPrototypeOf([][Symbol.iterator]()) as object,
  String.prototype,
  RegExp.prototype,
  Map.prototype,
  Set.prototype,
  WeakMap.prototype,
  WeakSet.prototype,
  Promise,
  Promise.prototype,
  Object.getPrototypeOf(Uint8Array.prototype) as object,
  Uint8Array.prototype,
  ArrayBuffer.prototype,
  Symbol.prototype,
  Error,
  Error.prototype,
  Number.prototype,
  Date.prototype,
  JSON,
  Reflect,
  Math,
];
const SNAPSHOT: readonly (readonly [object, PropertyKey, unknown, unknown, unknown])[] = (() => {
  const out: [object, PropertyKey, unknown, unknown, unknown][] = [];
  for (const o of WATCHED) {
    for (const key of Reflect.ownKeys(o)) {
      const d = Object.getOwnPropertyDescriptor(o, key)!;
      if (typeof d.value === 'function' || d.get || d.set) out.push([o, key, d.value, d.get, d.set]);
    }
  }
  return out;
})();
const getDescriptor = Reflect.getOwnPropertyDescriptor;

/** True when every built-in method and accessor is still the one there was when clonecheck loaded. */
function builtinsAsLoaded(): boolean {
  for (let i = 0; i < SNAPSHOT.length; i++) {
    const entry = SNAPSHOT[i]!;
    const o = entry[0];
    const key = entry[1];
    const value = entry[2];
    const get = entry[3];
    const set = entry[4];
    const d = getDescriptor(o, key);
    if (!d || d.value !== value || d.get !== get || d.set !== set) return false;
  }
  return true;
}

function functionOriginFacts(fn: unknown, options: HintOptions): OriginFacts | undefined {
  const facts = functionFacts(fn, options);
  if (!facts) return undefined;
  const captures: { name: string; kind: string; travel: 'data' | 'recreate' }[] = [];
  const list = facts.origin.captures;
  if (list) for (let i = 0; i < list.length; i++) captures[i] = { name: list[i]!.name, kind: list[i]!.kind, travel: list[i]!.travel };
  if (!facts.definedAt && !facts.hint && captures.length === 0) return undefined;
  return {
    ...(facts.definedAt ? { definedAt: facts.definedAt } : {}),
    ...(captures.length > 0 ? { captures } : {}),
    ...(facts.hint ? { instead: facts.hint } : {}),
  };
}

function instanceOriginFacts(value: unknown, options: HintOptions): OriginFacts | undefined {
  const hint = instanceHint(value, options);
  if (!hint) return undefined;
  const place = 'definedAt' in hint && hint.definedAt ? formatPlace(hint.definedAt) : undefined;
  return { ...(place ? { definedAt: place } : {}), instead: hint };
}

function remake(f: Finding, args: FindingArgs): Finding {
  const message = messageFor(f.code, args, f.channel);
  const hint = hintFor(f.code, args, f.channel);
  const base = { channel: f.channel, effect: f.effect, severity: f.severity, code: f.code, path: f.path, at: f.at, message, args };
  return hint !== undefined ? { ...base, hint } : base;
}
