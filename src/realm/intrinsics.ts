// Built-ins captured when clonecheck loads, so that a check never calls a method or getter that the
// user's code could have patched or shadowed afterwards (docs/contract.md: "what the checker never does").
import { Buffer } from 'node:buffer';
import { inspect, types } from 'node:util';
import { Serializer } from 'node:v8';
import workerThreads from 'node:worker_threads';

/** Reflect.apply as it was at load (user code may replace the global one). */
export const apply = Reflect.apply;
export const construct = Reflect.construct;
export const reflectSet = Reflect.set;

const uncurry =
  <T extends (...args: never[]) => unknown>(fn: T) =>
  (self: unknown, ...args: Parameters<T>): ReturnType<T> =>
    apply(fn, self, args) as ReturnType<T>;

const getter = (proto: object, key: PropertyKey): ((self: unknown) => unknown) => {
  const get = Object.getOwnPropertyDescriptor(proto, key)?.get;
  if (!get) throw new Error(`clonecheck: missing intrinsic getter ${String(key)}`);
  return (self) => apply(get, self, []);
};

/**
 * Map, Set and WeakMap whose methods are copies taken at load: the checker's own bookkeeping (the
 * identity map, the prototype facts) keeps working the same when the user's code patches
 * Map.prototype.get or Set.prototype.has afterwards. Never iterate them with for...of.
 */
function makeSafe(base: { prototype: object }, safe: { prototype: object }): void {
  const keys = Reflect.ownKeys(base.prototype);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key === 'constructor') continue;
    Reflect.defineProperty(safe.prototype, key, Reflect.getOwnPropertyDescriptor(base.prototype, key)!);
  }
}
// Spelled-out constructors: an implicit one spreads its arguments through Array.prototype[Symbol.iterator].
export class SafeMap<K, V> extends Map<K, V> {
  constructor(entries?: Iterable<readonly [K, V]> | null) {
    super(entries);
  }
}
export class SafeSet<T> extends Set<T> {
  constructor(values?: Iterable<T> | null) {
    super(values);
  }
}
export class SafeWeakMap<K extends WeakKey, V> extends WeakMap<K, V> {
  constructor() {
    super();
  }
}
makeSafe(Map, SafeMap);
makeSafe(Set, SafeSet);
makeSafe(WeakMap, SafeWeakMap);

/** The Error types of the language: the ones the serializers recreate by name. */
export const ERROR_TYPE_NAMES: readonly string[] = [
  'Error',
  'EvalError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'TypeError',
  'URIError',
  'AggregateError',
];

/** The typed array types of every Node.js line clonecheck knows (Float16Array from Node 24). */
export const TYPED_ARRAY_NAMES: readonly string[] = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float16Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];

export const objectIs = Object.is;
export const stringStartsWith = uncurry(String.prototype.startsWith as (s: string) => boolean) as (self: string, search: string) => boolean;
export const stringEndsWith = uncurry(String.prototype.endsWith as (s: string) => boolean) as (self: string, search: string) => boolean;
export const stringSlice = uncurry(String.prototype.slice as (a: number, b?: number) => string) as (self: string, a: number, b?: number) => string;
export const stringToUpperCase = uncurry(String.prototype.toUpperCase as () => string) as (self: string) => string;
export const stringCharCodeAt = uncurry(String.prototype.charCodeAt as (i: number) => number) as (self: string, i: number) => number;

/** `list.includes(x)` without Array.prototype. */
export function includes<T>(list: readonly T[], x: T): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === x) return true;
  return false;
}

export const { isProxy } = types;
export const ownKeys = Reflect.ownKeys;
export const getOwnPropertyDescriptor = Reflect.getOwnPropertyDescriptor;
export const getPrototypeOf = Reflect.getPrototypeOf;
export const isExtensible = Object.isExtensible;
export const isFrozen = Object.isFrozen;
export const freeze = Object.freeze;
export const isSealed = Object.isSealed;
export const isArray = Array.isArray;
export const getOwnPropertySymbols = Object.getOwnPropertySymbols;
export const getOwnPropertyNames = Object.getOwnPropertyNames;
export const hasOwn = Object.hasOwn;
const lookupGetterFn = (Object.prototype as unknown as { __lookupGetter__: (key: PropertyKey) => unknown }).__lookupGetter__;
/** An own or inherited getter, found without calling it (and, past an own data property, without reading further). */
export const lookupGetter = (self: object, key: PropertyKey): unknown => apply(lookupGetterFn, self, [key]);

/** RegExp.prototype.exec as it was at load: reads only the regexp's internal slots and lastIndex. */
export const regexpExec = uncurry(RegExp.prototype.exec as (s: string) => RegExpExecArray | null);
export const functionToString = uncurry(Function.prototype.toString as () => string);
export const dateGetTime = uncurry(Date.prototype.getTime as () => number);
export const symbolDescription = getter(Symbol.prototype, 'description') as (self: symbol) => string | undefined;

const regexpProto = RegExp.prototype;
export const regexpSource = getter(regexpProto, 'source') as (self: unknown) => string;

const mapEntries = uncurry(Map.prototype.entries as () => Iterator<[unknown, unknown]>);
const mapIteratorNext = uncurry(Object.getPrototypeOf(new Map().entries()).next as () => IteratorResult<[unknown, unknown]>);
const setValues = uncurry(Set.prototype.values as () => Iterator<unknown>);
const setIteratorNext = uncurry(Object.getPrototypeOf(new Set().values()).next as () => IteratorResult<unknown>);

/** Map entries in insertion order, read through the captured iterator. */
export function readMapEntries(map: object): [unknown, unknown][] {
  const it = mapEntries(map);
  const out: [unknown, unknown][] = [];
  for (let r = mapIteratorNext(it); !r.done; r = mapIteratorNext(it)) out[out.length] = r.value;
  return out;
}

/** Set members in insertion order, read through the captured iterator. */
export function readSetMembers(set: object): unknown[] {
  const it = setValues(set);
  const out: unknown[] = [];
  for (let r = setIteratorNext(it); !r.done; r = setIteratorNext(it)) out[out.length] = r.value;
  return out;
}

const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype) as object;
export const viewBuffer = getter(typedArrayProto, 'buffer') as (self: unknown) => ArrayBufferLike;
export const viewByteOffset = getter(typedArrayProto, 'byteOffset') as (self: unknown) => number;
export const viewByteLength = getter(typedArrayProto, 'byteLength') as (self: unknown) => number;
export const viewLength = getter(typedArrayProto, 'length') as (self: unknown) => number;
export const viewTag = getter(typedArrayProto, Symbol.toStringTag) as (self: unknown) => string;
export const dataViewBuffer = getter(DataView.prototype, 'buffer') as (self: unknown) => ArrayBufferLike;
export const dataViewByteOffset = getter(DataView.prototype, 'byteOffset') as (self: unknown) => number;
export const arrayBufferByteLength = getter(ArrayBuffer.prototype, 'byteLength') as (self: unknown) => number;
export const dataViewByteLength = getter(DataView.prototype, 'byteLength') as (self: unknown) => number;
const arrayBufferDetached = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'detached')?.get;
const Uint8ArrayCtor = Uint8Array;
const arrayBufferResizable = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'resizable')?.get;
export const sharedArrayBufferByteLength = getter(SharedArrayBuffer.prototype, 'byteLength') as (self: unknown) => number;

/** A buffer's byte length, reading 0 for a detached one (no user code runs). */
export function bufferByteLength(buffer: ArrayBufferLike): number {
  return types.isSharedArrayBuffer(buffer) ? sharedArrayBufferByteLength(buffer) : arrayBufferByteLength(buffer);
}

export function isResizable(buffer: ArrayBufferLike): boolean {
  return !types.isSharedArrayBuffer(buffer) && arrayBufferResizable !== undefined && apply(arrayBufferResizable, buffer, []) === true;
}

/** True for an ArrayBuffer whose memory was transferred away. */
export function isDetached(buffer: ArrayBufferLike): boolean {
  if (types.isSharedArrayBuffer(buffer) || arrayBufferByteLength(buffer) !== 0) return false;
  if (arrayBufferDetached !== undefined) return apply(arrayBufferDetached, buffer, []) === true;
  // Not slice(): it reads `constructor` and Symbol.species. Constructing a view reads nothing of the
  // buffer's and throws only for a detached one.
  try {
    construct(Uint8ArrayCtor, [buffer, 0, 0]);
    return false;
  } catch {
    return true;
  }
}

export const weakRefDeref = uncurry(WeakRef.prototype.deref as () => unknown);
const finalizationUnregister = uncurry(FinalizationRegistry.prototype.unregister as (token: object) => boolean);

/** JSON.isRawJSON (Node 22+): a raw JSON object, by its instance type; always false where there is none. */
const isRawJSONNative = (JSON as { isRawJSON?: (value: unknown) => boolean }).isRawJSON;
export const isRawJSON: (value: object) => boolean = isRawJSONNative ?? (() => false);
export const HAS_RAW_JSON = isRawJSONNative !== undefined;

/** Brand checks by internal slot: true whatever the realm or the prototype. */
export function isWeakRef(value: object): boolean {
  try {
    weakRefDeref(value);
    return true;
  } catch {
    return false;
  }
}

export function isFinalizationRegistry(value: object): boolean {
  try {
    finalizationUnregister(value, {});
    return true;
  } catch {
    return false;
  }
}

/** No own keys at all, string or symbol. */
export function isKeyless(o: object): boolean {
  return getOwnPropertyNames(o).length === 0 && getOwnPropertySymbols(o).length === 0;
}

const SerializerClass = Serializer;
const serializerWriteValue = Serializer.prototype.writeValue;
const serializerRefused = new Error('refused');
const serializerHost = new Error('host object');
const SERIALIZER_HOOKS: PropertyDescriptorMap = {
  // Own hooks: nothing the caller put on v8.Serializer.prototype runs.
  _getDataCloneError: { value: () => serializerRefused },
  _writeHostObject: {
    value: () => {
      throw serializerHost;
    },
  },
  _getSharedArrayBufferId: {
    value: () => {
      throw serializerHost;
    },
  },
};
const defineProperties = Object.defineProperties;

/**
 * True when V8's serializer refuses `o` by its instance type (an iterator, an Intl object, a WeakRef,
 * a DisposableStack, ...), which every V8 channel does whatever the object's prototype or realm: the
 * serializers' own brand check. Asked only of a keyless object that is not a Proxy, of which the
 * serializer reads nothing, so no code runs; a host object (Node's channels have rules of their own
 * for those) is not refused here. A fresh serializer each time: one keeps every object it wrote.
 */
export function serializerRefuses(o: object): boolean {
  const probe = defineProperties(new SerializerClass(), SERIALIZER_HOOKS);
  try {
    apply(serializerWriteValue, probe, [o]);
    return false;
  } catch (e) {
    return e === serializerRefused;
  }
}

/** True for a Proxy whose handler was revoked (read by util.inspect, which runs no trap with showProxy). */
export function isRevokedProxy(value: object): boolean {
  return inspect(value, { showProxy: true, customInspect: false, depth: -1 }) === '<Revoked Proxy>';
}

export const BUFFER_PROTOTYPE = Buffer.prototype;
export const BUFFER_POOL_SIZE = Buffer.poolSize;
/** Node 21+: whether an ArrayBuffer carries Node's untransferable mark (the Buffer pool's store does). */
const isMarkedAsUntransferable = (workerThreads as { isMarkedAsUntransferable?: (value: object) => boolean }).isMarkedAsUntransferable;

/**
 * Whether `buffer` (of `storeBytes` bytes) is the store of Node's Buffer pool: told by the mark Node
 * puts on it where Node has one (the store is larger than `Buffer.poolSize` on Node 26: 65,600
 * bytes for 65,536), else by its size.
 */
export function isPoolStore(buffer: object, storeBytes: number): boolean {
  return isMarkedAsUntransferable !== undefined ? isMarkedAsUntransferable(buffer) : storeBytes === BUFFER_POOL_SIZE;
}

/** The major version of the Node.js that runs clonecheck: the default target's line. */
export const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

export { types };
