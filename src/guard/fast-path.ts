// The guard's fast path: a proof, for the common message, that check() would find nothing.
//
// Most messages are trees of plain objects and arrays holding strings, numbers and booleans. For
// those, a full check() (frames, identity map, findings, options) costs several times the send. This
// walk reads the same facts the walker reads (prototype, internal slots, integrity, own keys and
// their descriptors, what each channel does with a primitive) and allocates only the key lists and
// descriptors those reads return. It proves or gives up: the first thing it does not know for certain (a class instance, a
// Date, a getter, a symbol key, a shared object on a JSON channel, a NaN on a JSON channel, a deep
// or huge value, ...) sends the value to check(), which then says exactly what it is. It never runs
// the user's code: no property is read except through its descriptor.
//
// Frozen objects and arrays (state from Redux or Immer) are proven too: check() finds exactly one
// INTEGRITY_LOST at each of them and nothing else, and the walk counts them and keeps the printed
// paths of the first few, so that the guard can tell whether those notes would print (judge.ts).
import { channelInfo, type RootKind } from '../channels/index.js';
import { formatPath } from '../findings/path.js';
import * as intrinsics from '../realm/intrinsics.js';
import { ALL_CHANNELS, type Channel } from '../types.js';
import { LISTED_KEYS_LIMIT } from '../walk/walker.js';
import { hasBuiltinSlots } from '../walk/slots.js';

/** What the fast path needs to know of a channel, from the registry's facts. */
interface Facts {
  /** JSON.stringify writes it: no undefined, bigint, NaN, Infinity or -0; no toJSON; no shared objects. */
  readonly json: boolean;
  /** Node's IPC is in front of it: a top-level `cmd` may make the message Node's own. */
  readonly ipc: boolean;
  /** The top-level primitives the send treats on their own (refuses, drops). */
  readonly root: { readonly [K in RootKind]?: unknown };
}

const FACTS = {} as Record<Channel, Facts>;
for (const id of ALL_CHANNELS) {
  const info = channelInfo(id);
  FACTS[id] = { json: info.format === 'json', ipc: info.ipc, root: info.root };
}

/** The outcome of the proof. */
export const PROVEN = 0;
/** Something the fast path does not settle: check() must judge it. */
export const UNSURE = 1;
/** The value is larger than the budget allowed (see `provenFine`). */
export const OVER_BUDGET = 2;
/**
 * Fine but for the frozen objects in it: check() finds an INTEGRITY_LOST (a reshape) at each, and
 * nothing else; `FROZEN_FOUND` says how many and where.
 */
export const FROZEN = 3;
export type Proof = typeof PROVEN | typeof UNSURE | typeof OVER_BUDGET | typeof FROZEN;

/** The frozen objects met by the last proof that returned FROZEN (one walk at a time per thread). */
export const FROZEN_FOUND: {
  /** How many (each is one INTEGRITY_LOST on the channel). */
  count: number;
  /** The printed paths (`$.a[0]`, as check() prints them) of the first MAX_FROZEN_PATHS, in walk order. */
  readonly at: string[];
} = { count: 0, at: [] };
/** More frozen objects than this are counted, not located (the guard prints at most 25 problems per site). */
export const MAX_FROZEN_PATHS = 32;

/** Far below every channel's nesting limit (1,500 and more), where check() starts to report. */
const MAX_DEPTH = 200;
const OBJECT_PROTOTYPE = Object.prototype;
const ARRAY_PROTOTYPE = Array.prototype;

// The built-ins clonecheck captured at load, in constants of this module; whether an object whose
// prototype is Object.prototype is a built-in underneath is walk/slots.ts's hasBuiltinSlots, the
// walker's own test (its brand checks are constants there too).
const { getOwnPropertyDescriptor, getOwnPropertyNames, getOwnPropertySymbols, getPrototypeOf, isArray, isExtensible, isFrozen, ownKeys, SafeSet, types } =
  intrinsics;
const { isProxy } = types;

// The walk's state: one walk at a time per thread (it calls nothing that could start another).
let json = false;
let budget = 0;
let overBudget = false;
/** JSON channels only: every object met, since JSON sends a second path to one as a second copy. */
const seen = new SafeSet<object>();
/** The key of each object on the way down from the root (`keys[d]` leads to the object at depth d), for a frozen one's path. */
const keys: (string | number)[] = [];

/**
 * Whether `value` sent on `channel` gives no finding at all: PROVEN when check() would return no
 * finding, FROZEN when it would return only one INTEGRITY_LOST per frozen object (FROZEN_FOUND),
 * UNSURE when it might return others, OVER_BUDGET when the value holds more than `limit` values
 * (objects, elements and properties) before anything unsure was met.
 * `root: 'message'` applies the send's own rules for a top-level primitive (what `child.send()`
 * refuses); `'value'` judges it as a property (workerData).
 */
export function provenFine(value: unknown, channel: Channel, root: 'message' | 'value', limit: number): Proof {
  const facts = FACTS[channel];
  if (value === null || typeof value !== 'object') {
    if (root === 'message' && facts.root[typeof value as RootKind] !== undefined) return UNSURE;
    return leafFine(value, facts.json) ? PROVEN : UNSURE;
  }
  json = facts.json;
  budget = limit;
  overBudget = false;
  if (FROZEN_FOUND.count !== 0) {
    // (`at` has entries only when `count` has.)
    FROZEN_FOUND.count = 0;
    FROZEN_FOUND.at.length = 0;
  }
  try {
    const fine = objectFine(value, 0, root === 'message' && facts.ipc);
    return fine ? (FROZEN_FOUND.count === 0 ? PROVEN : FROZEN) : overBudget ? OVER_BUDGET : UNSURE;
  } catch {
    // A stack overflow in a deep caller, an exotic object: check() judges it.
    return UNSURE;
  } finally {
    if (json) seen.clear();
  }
}

/** A primitive (or function) inside an object or array: what crosses as it is. */
function leafFine(value: unknown, json: boolean): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      // JSON writes NaN and the infinities as null, and -0 as 0.
      return !json || (value === 0 ? 1 / value > 0 : value - value === 0);
    case 'undefined':
    case 'bigint':
      return !json;
    default:
      return value === null; // a symbol or a function: never fine
  }
}

/** A property or element as its descriptor has it: an ordinary, writable, enumerable, configurable data property. */
function dataFine(d: PropertyDescriptor | undefined, depth: number, key: string | number): boolean {
  if (d === undefined || d.writable !== true || d.enumerable !== true || d.configurable !== true) return false;
  const v: unknown = d.value;
  if (v === null || typeof v !== 'object') return leafFine(v, json);
  keys[depth + 1] = key;
  return objectFine(v, depth + 1, false);
}

/**
 * The same in a frozen object (every property read-only and non-configurable, which INTEGRITY_LOST
 * covers: check() reports no READONLY_LOST in it): an enumerable data property.
 */
function frozenDataFine(d: PropertyDescriptor | undefined, depth: number, key: string | number): boolean {
  // An accessor's descriptor has no `writable` of its own.
  if (d === undefined || d.writable !== false || d.enumerable !== true) return false;
  const v: unknown = d.value;
  if (v === null || typeof v !== 'object') return leafFine(v, json);
  keys[depth + 1] = key;
  return objectFine(v, depth + 1, false);
}

/** Counts a frozen object, with its printed path while there are few. */
function noteFrozen(depth: number): void {
  const n = FROZEN_FOUND.count++;
  if (n >= MAX_FROZEN_PATHS) return;
  const path = new Array<string | number>(depth);
  for (let d = 1; d <= depth; d++) path[d - 1] = keys[d]!;
  FROZEN_FOUND.at[n] = formatPath(path);
}

function objectFine(o: object, depth: number, ipcRoot: boolean): boolean {
  if (--budget < 0) {
    overBudget = true;
    return false;
  }
  if (depth > MAX_DEPTH || isProxy(o)) return false;
  // Frozen: every property read-only and non-configurable. Sealed or only non-extensible: check()'s.
  const frozen = !isExtensible(o);
  if (frozen && !isFrozen(o)) return false;
  if (json) {
    if (seen.has(o)) return false;
    seen.add(o);
  }
  if (isArray(o)) return arrayFine(o as unknown[], depth, frozen);
  if (getPrototypeOf(o) !== OBJECT_PROTOTYPE || hasBuiltinSlots(o, false) || getOwnPropertySymbols(o).length !== 0) return false;
  // check() reports it before what is inside: the paths are kept in its order.
  if (frozen) noteFrozen(depth);
  const names = getOwnPropertyNames(o);
  budget -= names.length;
  for (let k = 0; k < names.length; k++) {
    const key = names[k]!;
    // JSON calls an own toJSON; Node's IPC takes a top-level `cmd: 'NODE_...'` as its own message.
    if ((json && key === 'toJSON') || (ipcRoot && key === 'cmd')) return false;
    if (frozen) {
      if (!frozenDataFine(getOwnPropertyDescriptor(o, key), depth, key)) return false;
    } else if (!dataFine(getOwnPropertyDescriptor(o, key), depth, key)) return false;
  }
  return true;
}

function arrayFine(arr: unknown[], depth: number, frozen: boolean): boolean {
  if (getPrototypeOf(arr) !== ARRAY_PROTOTYPE) return false;
  const length = arr.length; // an Array's own length is a data property: reading it runs nothing
  // Longer arrays are read by index by check(), which then sees no named property: leave them to it.
  if (length > LISTED_KEYS_LIMIT) return false;
  if (length > budget) {
    // Over budget before listing the keys, which costs a string per element.
    overBudget = true;
    return false;
  }
  budget -= length;
  // A read-only length arrives writable (READONLY_LOST), but in a frozen array (INTEGRITY_LOST).
  if (!frozen && !getOwnPropertyDescriptor(arr, 'length')!.writable) return false;
  // Every index and `length`, and nothing else: no hole, no named property, no symbol. (On an array
  // one Reflect.ownKeys costs less than getOwnPropertyNames and getOwnPropertySymbols.)
  if (ownKeys(arr).length !== length + 1) return false;
  if (frozen) {
    noteFrozen(depth);
    for (let i = 0; i < length; i++) if (!frozenDataFine(getOwnPropertyDescriptor(arr, i), depth, i)) return false;
  } else {
    for (let i = 0; i < length; i++) if (!dataFine(getOwnPropertyDescriptor(arr, i), depth, i)) return false;
  }
  return true;
}
