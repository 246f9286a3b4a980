/**
 * SPEC "Sameness" as code: `describe()` turns a value graph into plain JSON data without running any
 * of the value's code, and `diffDescriptions()` lists every place where one description is not the
 * same as another. The project uses it as ground truth: the sender describes the value right before
 * a real send, the receiver describes what it got, and the two descriptions are compared.
 */
import { types } from 'node:util';
import { createHash, randomBytes } from 'node:crypto';
import * as nodeBuffer from 'node:buffer';
import * as nodeCrypto from 'node:crypto';
import * as nodeNet from 'node:net';
import * as nodeEvents from 'node:events';
import * as nodeStreamWeb from 'node:stream/web';
import * as nodeWorker from 'node:worker_threads';
import * as nodePerf from 'node:perf_hooks';
import { describeMapKey, formatPath } from './path.js';
import type { PathSegment } from './types.js';

// ---------------------------------------------------------------------------------------------
// Description format (JSON-serialisable)
// ---------------------------------------------------------------------------------------------

/** A symbol, by what can be known of it in another realm or process. */
export interface DescribedSymbol {
  /** The description text; `null` for `Symbol()`. */
  readonly y: string | null;
  /** 1 for a registered symbol (`Symbol.for(y)`), which is the same symbol everywhere. */
  readonly g?: 1;
  /** The name of a well-known symbol (`'iterator'` for `Symbol.iterator`). */
  readonly w?: string;
}

/**
 * A value in a description: a primitive, or a reference to a node.
 * - strings, booleans, `null` and finite numbers other than `-0` stand for themselves;
 * - `{ r: id }` is the object `nodes[id]`;
 * - `{ u: 1 }` is `undefined`, `{ n: 'NaN' | '-0' | 'Infinity' | '-Infinity' }` a number JSON can't hold,
 *   `{ b: '12' }` a bigint, and a `DescribedSymbol` a symbol.
 */
export type DescribedValue =
  | string
  | number
  | boolean
  | null
  | { readonly r: number }
  | { readonly u: 1 }
  | { readonly n: 'NaN' | '-0' | 'Infinity' | '-Infinity' }
  | { readonly b: string }
  | DescribedSymbol;

/** Primitive-only internal data (never a reference). */
export type InternalValue = string | number | boolean | null;

/**
 * One own property: `[key, flags, value?]`. Flags: 1 writable, 2 enumerable, 4 configurable,
 * 8 accessor, 16 has a getter, 32 has a setter, 64 the descriptor could not be read.
 * Data properties carry their value; accessors never do (the getter is not run).
 */
export type DescribedKey = readonly [key: string | DescribedSymbol, flags: number, value?: DescribedValue];

export const WRITABLE = 1;
export const ENUMERABLE = 2;
export const CONFIGURABLE = 4;
export const ACCESSOR = 8;
export const HAS_GETTER = 16;
export const HAS_SETTER = 32;
export const UNREADABLE = 64;

export interface DescribedNode {
  /**
   * The built-in kind, from brand checks: 'Object', 'Array', 'Function', 'Date', 'RegExp', 'Map',
   * 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry', 'Error', 'ArrayBuffer',
   * 'SharedArrayBuffer', each TypedArray name, 'DataView', 'Number' / 'String' / 'Boolean' / 'BigInt' /
   * 'Symbol' (boxed), 'Promise', 'Arguments', 'Generator', 'MapIterator', 'SetIterator', 'Module',
   * 'External', 'Proxy', and Node host objects by prototype ('Blob', 'File', 'URL', 'KeyObject', ...).
   */
  readonly kind: string;
  /**
   * The prototype chain, nearest first, `[]` for a null prototype. A built-in prototype is named
   * the same in every realm (`'Map.prototype'`, `'%TypedArray%.prototype'`); any other prototype is
   * named `'<Name>.prototype#<n>@<process nonce>'`, which only that object in that process gets.
   * A Proxy in the chain ends it as `'Proxy'`.
   */
  readonly proto: readonly string[];
  /** Absent when the object is extensible. */
  readonly ext?: 'frozen' | 'sealed' | 'non-extensible';
  /** Own properties in `Reflect.ownKeys` order (array-index keys of typed arrays and String objects are left out: they are the internal data). Absent for a Proxy. */
  readonly keys?: readonly DescribedKey[];
  /** Internal data: Date time, RegExp source/flags, buffer bytes/lengths, view offsets, boxed value, host state. */
  readonly int?: Readonly<Record<string, InternalValue>>;
  /** Map entries in order. */
  readonly entries?: readonly (readonly [DescribedValue, DescribedValue])[];
  /** Set members in order. */
  readonly members?: readonly DescribedValue[];
  /** A view's ArrayBuffer / SharedArrayBuffer. */
  readonly buffer?: DescribedValue;
}

/**
 * A value graph as plain data. Nodes are numbered in DFS pre-order: for each object, first its
 * internal children (Map entries key then value, Set members, a view's buffer), then its own
 * properties in `Reflect.ownKeys` order. A second path to an object is a `{ r }` to the same id, so
 * shared references and cycles are part of the description.
 */
export interface Description {
  readonly v: 1;
  readonly root: DescribedValue;
  readonly nodes: readonly DescribedNode[];
}

/** One place where the receiver's value is not the same as the sender's. */
export interface Difference {
  /** Where it shows, deepest first: a missing key at `[...parent, key]`, a kind/prototype/integrity/internal change at the object's path. */
  readonly path: PathSegment[];
  /** `path` printed for people. */
  readonly at: string;
  /**
   * `category: detail`, where category is one of `value`, `kind`, `missing`, `added`,
   * `descriptor`, `prototype`, `integrity`, `internal`, `identity`.
   */
  readonly what: string;
}

// ---------------------------------------------------------------------------------------------
// Intrinsics, captured at load so that patched prototypes can't run during a walk
// ---------------------------------------------------------------------------------------------

type AnyFn = (...args: never[]) => unknown;
const apply = Reflect.apply as (fn: AnyFn, self: unknown, args: readonly unknown[]) => unknown;
const ownKeys = Reflect.ownKeys;
const gopd = Object.getOwnPropertyDescriptor;
const getPrototypeOf = Object.getPrototypeOf as (o: object) => object | null;
const isExtensible = Object.isExtensible;
const isFrozen = Object.isFrozen;
const isSealed = Object.isSealed;
const hasOwn = Object.hasOwn;
const isArray = Array.isArray;
const objectIs = Object.is;
const keyFor = Symbol.keyFor;
const U8 = Uint8Array;
const bufferFrom = Buffer.from.bind(Buffer) as (ab: ArrayBufferLike, off?: number, len?: number) => Buffer;

function getter(proto: object | undefined, key: PropertyKey): AnyFn | undefined {
  if (proto === undefined) return undefined;
  const d = gopd(proto, key);
  return d?.get as AnyFn | undefined;
}
function method(proto: object | undefined, key: PropertyKey): AnyFn | undefined {
  if (proto === undefined) return undefined;
  const d = gopd(proto, key);
  return typeof d?.value === 'function' ? (d.value as AnyFn) : undefined;
}
function call<R>(fn: AnyFn | undefined, self: unknown, ...args: unknown[]): R {
  if (fn === undefined) throw new TypeError('intrinsic missing');
  return apply(fn, self, args) as R;
}

const TypedArrayProto = getPrototypeOf(Uint8Array.prototype)!;
const I = {
  fnToString: method(Function.prototype, 'toString'),
  symbolDescription: getter(Symbol.prototype, 'description'),
  dateGetTime: method(Date.prototype, 'getTime'),
  reSource: getter(RegExp.prototype, 'source'),
  reFlags: (
    [
      ['d', 'hasIndices'],
      ['g', 'global'],
      ['i', 'ignoreCase'],
      ['m', 'multiline'],
      ['s', 'dotAll'],
      ['u', 'unicode'],
      ['v', 'unicodeSets'],
      ['y', 'sticky'],
    ] as const
  )
    .map(([letter, name]): readonly [string, AnyFn | undefined] => [letter, getter(RegExp.prototype, name)])
    .filter((e): e is readonly [string, AnyFn] => e[1] !== undefined),
  mapForEach: method(Map.prototype, 'forEach'),
  setForEach: method(Set.prototype, 'forEach'),
  abByteLength: getter(ArrayBuffer.prototype, 'byteLength'),
  abResizable: getter(ArrayBuffer.prototype, 'resizable'),
  abMaxByteLength: getter(ArrayBuffer.prototype, 'maxByteLength'),
  sabByteLength: getter(SharedArrayBuffer.prototype, 'byteLength'),
  sabGrowable: getter(SharedArrayBuffer.prototype, 'growable'),
  sabMaxByteLength: getter(SharedArrayBuffer.prototype, 'maxByteLength'),
  taBuffer: getter(TypedArrayProto, 'buffer'),
  taByteOffset: getter(TypedArrayProto, 'byteOffset'),
  taByteLength: getter(TypedArrayProto, 'byteLength'),
  taLength: getter(TypedArrayProto, 'length'),
  taName: getter(TypedArrayProto, Symbol.toStringTag),
  dvBuffer: getter(DataView.prototype, 'buffer'),
  dvByteOffset: getter(DataView.prototype, 'byteOffset'),
  dvByteLength: getter(DataView.prototype, 'byteLength'),
  numberValueOf: method(Number.prototype, 'valueOf'),
  stringValueOf: method(String.prototype, 'valueOf'),
  booleanValueOf: method(Boolean.prototype, 'valueOf'),
  bigintValueOf: method(BigInt.prototype, 'valueOf'),
  symbolValueOf: method(Symbol.prototype, 'valueOf'),
  weakRefDeref: method(WeakRef.prototype, 'deref'),
  finRegUnregister: method(FinalizationRegistry.prototype, 'unregister'),
};

const WELL_KNOWN = new Map<symbol, string>();
for (const name of Object.getOwnPropertyNames(Symbol)) {
  const d = gopd(Symbol, name);
  if (d && typeof d.value === 'symbol') WELL_KNOWN.set(d.value, name);
}

/** Node's own globals are lazy getters; reading them at load runs Node's code, not the user's. */
function globalValue(name: string): unknown {
  try {
    return (globalThis as Record<string, unknown>)[name];
  } catch {
    return undefined;
  }
}
function protoOf(ctor: unknown): object | undefined {
  if (typeof ctor !== 'function') return undefined;
  const d = gopd(ctor, 'prototype');
  return d && d.value !== null && typeof d.value === 'object' ? (d.value as object) : undefined;
}
function dataValue(o: object, key: PropertyKey): unknown {
  const d = gopd(o, key);
  return d && hasOwn(d, 'value') ? d.value : undefined;
}

// ---------------------------------------------------------------------------------------------
// Naming prototypes
// ---------------------------------------------------------------------------------------------

interface ProtoInfo {
  readonly name: string;
  /** Host kind that an object with this prototype in its chain has (Blob, URL, KeyObject, ...). */
  readonly host?: string;
}

/** Prototypes of this realm by identity. */
const known = new Map<object, ProtoInfo>();
/** Signature → name, for recognising another realm's ECMAScript intrinsics. */
const intrinsicBySignature = new Map<string, string | null>();

function register(name: string, proto: unknown, host?: string, intrinsic = false): void {
  if (proto === null || (typeof proto !== 'object' && typeof proto !== 'function')) return;
  if (known.has(proto)) return;
  known.set(proto, host === undefined ? { name } : { name, host });
  if (intrinsic) {
    const sig = signature(proto);
    intrinsicBySignature.set(sig, intrinsicBySignature.has(sig) ? null : name);
  }
}

const ES_CONSTRUCTORS = [
  'Object', 'Function', 'Array', 'Number', 'Boolean', 'String', 'Symbol', 'BigInt', 'Date', 'RegExp',
  'Error', 'AggregateError', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError',
  'URIError', 'Promise', 'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry',
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray',
  'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float16Array', 'Float32Array',
  'Float64Array', 'BigInt64Array', 'BigUint64Array', 'Iterator', 'SuppressedError',
  'DisposableStack', 'AsyncDisposableStack',
];

function registerIntrinsics(): void {
  for (const name of ES_CONSTRUCTORS) {
    const d = gopd(globalThis, name);
    if (d && typeof d.value === 'function') register(`${name}.prototype`, protoOf(d.value), undefined, true);
  }
  for (const ns of ['Intl', 'WebAssembly']) {
    const d = gopd(globalThis, ns);
    const o = d?.value as object | undefined;
    if (!o || typeof o !== 'object') continue;
    for (const key of Object.getOwnPropertyNames(o)) {
      const kd = gopd(o, key);
      if (kd && typeof kd.value === 'function') register(`${ns}.${key}.prototype`, protoOf(kd.value), undefined, true);
    }
  }
  register('%TypedArray%.prototype', TypedArrayProto, undefined, true);
  const arrayIter = getPrototypeOf([][Symbol.iterator]());
  register('%ArrayIteratorPrototype%', arrayIter, undefined, true);
  register('%IteratorPrototype%', arrayIter && getPrototypeOf(arrayIter), undefined, true);
  register('%MapIteratorPrototype%', getPrototypeOf(new Map().entries()), undefined, true);
  register('%SetIteratorPrototype%', getPrototypeOf(new Set().values()), undefined, true);
  register('%StringIteratorPrototype%', getPrototypeOf(''[Symbol.iterator]()), undefined, true);
  register('%RegExpStringIteratorPrototype%', getPrototypeOf(/a/[Symbol.matchAll]('')), undefined, true);
  const genFn = getPrototypeOf(function* () {});
  register('%GeneratorFunction.prototype%', genFn, undefined, true);
  register('%GeneratorPrototype%', genFn && dataValue(genFn, 'prototype'), undefined, true);
  register('%AsyncFunction.prototype%', getPrototypeOf(async function () {}), undefined, true);
  const asyncGenFn = getPrototypeOf(async function* () {});
  register('%AsyncGeneratorFunction.prototype%', asyncGenFn, undefined, true);
  const asyncGenProto = asyncGenFn && (dataValue(asyncGenFn, 'prototype') as object | undefined);
  register('%AsyncGeneratorPrototype%', asyncGenProto, undefined, true);
  register('%AsyncIteratorPrototype%', asyncGenProto && getPrototypeOf(asyncGenProto), undefined, true);
}

/** Host objects of this thread, made once at load: their prototypes (some internal) are reachable only through instances. */
const SAMPLES = (() => {
  try {
    const pair = nodeCrypto.generateKeyPairSync('ed25519');
    return {
      secretKey: nodeCrypto.createSecretKey(Buffer.alloc(1)),
      privateKey: pair.privateKey,
      publicKey: pair.publicKey,
      histogram: nodePerf.createHistogram(),
      others: [new nodeBuffer.Blob(['x']), new nodeBuffer.File(['x'], 'x'), new nodeNet.BlockList(), new nodeNet.SocketAddress({ address: '127.0.0.1' })],
    };
  } catch {
    return undefined; // a build without crypto
  }
})();

const HOST_GLOBALS = [
  'Blob', 'File', 'URL', 'URLSearchParams', 'AbortController', 'AbortSignal', 'EventTarget', 'Event',
  'MessageChannel', 'MessagePort', 'BroadcastChannel', 'TextEncoder', 'TextDecoder', 'Headers', 'Request',
  'Response', 'FormData', 'DOMException', 'ReadableStream', 'WritableStream', 'TransformStream', 'CryptoKey',
  'Crypto', 'SubtleCrypto', 'CompressionStream', 'DecompressionStream', 'TextEncoderStream',
  'TextDecoderStream', 'PerformanceEntry', 'Performance', 'Navigator', 'WebSocket', 'CustomEvent',
  'ByteLengthQueuingStrategy', 'CountQueuingStrategy', 'ReadableStreamDefaultReader',
  'ReadableByteStreamController', 'ReadableStreamBYOBReader', 'WritableStreamDefaultWriter',
];

function registerHost(): void {
  const modules = [nodeBuffer, nodeWorker, nodeStreamWeb] as unknown as Record<string, unknown>[];
  for (const name of HOST_GLOBALS) {
    let ctor = globalValue(name);
    for (const mod of modules) if (typeof ctor !== 'function') ctor = mod[name];
    register(`${name}.prototype`, protoOf(ctor), name);
  }
  register('Buffer.prototype', protoOf(nodeBuffer.Buffer)); // a Uint8Array with another prototype, not a kind of its own
  register('crypto.X509Certificate.prototype', protoOf(nodeCrypto.X509Certificate), 'X509Certificate');
  register('net.BlockList.prototype', protoOf(nodeNet.BlockList), 'BlockList');
  register('net.SocketAddress.prototype', protoOf(nodeNet.SocketAddress), 'SocketAddress');
  register('events.EventEmitter.prototype', protoOf(nodeEvents.EventEmitter));
  const samples: unknown[] = [];
  if (SAMPLES !== undefined) {
    const { secretKey, privateKey, publicKey, histogram, others } = SAMPLES;
    register('crypto.SecretKeyObject.prototype', getPrototypeOf(secretKey), 'KeyObject');
    register('crypto.PrivateKeyObject.prototype', getPrototypeOf(privateKey), 'KeyObject');
    register('crypto.PublicKeyObject.prototype', getPrototypeOf(publicKey), 'KeyObject');
    register('crypto.AsymmetricKeyObject.prototype', getPrototypeOf(getPrototypeOf(privateKey)!), 'KeyObject');
    register('perf_hooks.RecordableHistogram.prototype', getPrototypeOf(histogram), 'Histogram');
    register('perf_hooks.Histogram.prototype', getPrototypeOf(getPrototypeOf(histogram)!), 'Histogram');
    samples.push(secretKey, privateKey, publicKey, histogram, ...others);
  }
  register('crypto.KeyObject.prototype', protoOf(nodeCrypto.KeyObject), 'KeyObject');
  // Name Node's internal prototypes too: the ancestors of host prototypes (JSTransferable,
  // NodeEventTarget, ...) and those of the native handles that host objects hold (a KeyObject's or
  // a Blob's [kHandle]), so that they read the same in every thread, not as user prototypes.
  const chainUp = (o: object): void => {
    for (let p = getPrototypeOf(o); p !== null && !known.has(p); p = getPrototypeOf(p)) register(`${displayNameOf(p)}(node internal)`, p);
  };
  for (const proto of [...known.keys()]) chainUp(proto);
  const seen = new Set<unknown>();
  const stack: [unknown, number][] = samples.map((o) => [o, 0]);
  while (stack.length > 0) {
    const [o, depth] = stack.pop()!;
    if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o) || types.isProxy(o)) continue;
    seen.add(o);
    chainUp(o);
    if (depth < 2) for (const k of ownKeys(o)) stack.push([dataValue(o, k), depth + 1]);
  }
}

function keyText(k: string | symbol): string {
  return typeof k === 'string' ? k : `@@${String(call<string | undefined>(I.symbolDescription, k))}`;
}

/** What another realm's twin of a built-in prototype has in common with ours. */
function signature(p: object): string {
  const ctor = dataValue(p, 'constructor');
  const ctorName = typeof ctor === 'function' && !types.isProxy(ctor) ? dataValue(ctor, 'name') : undefined;
  const tag = dataValue(p, Symbol.toStringTag);
  const keys = ownKeys(p).map(keyText).sort();
  return `${typeof ctorName === 'string' ? ctorName : ''}|${typeof tag === 'string' ? tag : ''}|${keys.join(',')}`;
}

function isNativeFunction(f: unknown): boolean {
  if (typeof f !== 'function' || types.isProxy(f)) return false;
  try {
    return /^function [\w$]*\(\) \{\s*\[native code\]\s*\}$/.test(call<string>(I.fnToString, f));
  } catch {
    return false;
  }
}

const PROCESS_NONCE = randomBytes(6).toString('hex');
const NODE_MESSAGING = new Set(['messaging_clone_symbol', 'messaging_deserialize_symbol']);
let userProtoCounter = 0;
const userProtos = new WeakMap<object, ProtoInfo>();

function displayNameOf(p: object): string {
  const ctor = dataValue(p, 'constructor');
  if (typeof ctor === 'function' && !types.isProxy(ctor)) {
    const n = dataValue(ctor, 'name');
    if (typeof n === 'string' && n !== '') return `${n}.prototype`;
  }
  return '<anonymous prototype>';
}

/** A built-in prototype's realm-independent name, or a name only this object has. */
function protoInfo(p: object): ProtoInfo {
  const k = known.get(p);
  if (k !== undefined) return k;
  const u = userProtos.get(p);
  if (u !== undefined) return u;
  let info: ProtoInfo | undefined;
  try {
    // Another realm's intrinsic (a vm context): the same shape as ours, with native functions.
    const named = intrinsicBySignature.get(signature(p));
    if (typeof named === 'string') {
      const ctor = dataValue(p, 'constructor');
      const natives = ctor !== undefined ? isNativeFunction(ctor) : ownKeys(p).some((key) => isNativeFunction(dataValue(p, key)));
      if (natives) info = { name: named };
    }
  } catch {
    /* fall through */
  }
  // Node's clone machinery puts prototypes of its own in front of host objects (InternalCryptoKey,
  // the receiving side of a BlockList): they carry its messaging symbols, and are the same in every thread.
  if (info === undefined && ownKeys(p).some((k) => typeof k === 'symbol' && NODE_MESSAGING.has(String(call(I.symbolDescription, k))))) {
    info = { name: `${displayNameOf(p)}(node internal)` };
  }
  info ??= { name: `${displayNameOf(p)}#${++userProtoCounter}@${PROCESS_NONCE}` };
  userProtos.set(p, info);
  return info;
}

registerIntrinsics();
registerHost();

// ---------------------------------------------------------------------------------------------
// describe()
// ---------------------------------------------------------------------------------------------

interface Pending {
  readonly obj: object;
  readonly ref: { r: number };
}

const INDEX = /^(?:0|[1-9]\d*)$/;
function isArrayIndex(k: string): boolean {
  return INDEX.test(k) && (k.length < 10 || Number(k) < 4294967295);
}

function encodeSymbol(s: symbol): DescribedSymbol {
  const desc = call<string | undefined>(I.symbolDescription, s);
  const y = desc === undefined ? null : desc;
  const w = WELL_KNOWN.get(s);
  if (w !== undefined) return { y, w };
  if (keyFor(s) !== undefined) return { y, g: 1 };
  return { y };
}

function encodePrimitive(v: unknown): DescribedValue {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      if (v !== v) return { n: 'NaN' };
      if (v === Infinity) return { n: 'Infinity' };
      if (v === -Infinity) return { n: '-Infinity' };
      if (objectIs(v, -0)) return { n: '-0' };
      return v;
    case 'bigint':
      return { b: v.toString() };
    case 'symbol':
      return encodeSymbol(v);
    case 'undefined':
      return { u: 1 };
    default:
      return null;
  }
}

function bytesOf(buf: ArrayBufferLike, length: number): string {
  const view = bufferFrom(buf, 0, length);
  if (length <= 32) return view.toString('hex');
  return `sha1:${createHash('sha1').update(view).digest('hex')}`;
}

const TYPED_ARRAY_KINDS = new Set([
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
  'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
]);

/**
 * WeakRef and FinalizationRegistry have no `util.types` check; their brand check throws when it
 * fails, which is slow, so it is only tried on objects whose nearest prototype is not
 * `Object.prototype` / null (an ordinary object is by far the common case).
 */
function v8Kind(o: object, ordinary: boolean): string | undefined {
  if (typeof o === 'function') return 'Function';
  if (isArray(o)) return 'Array';
  if (types.isArrayBufferView(o)) return types.isDataView(o) ? 'DataView' : call<string>(I.taName, o);
  if (types.isAnyArrayBuffer(o)) return types.isArrayBuffer(o) ? 'ArrayBuffer' : 'SharedArrayBuffer';
  if (types.isDate(o)) return 'Date';
  if (types.isRegExp(o)) return 'RegExp';
  if (types.isMap(o)) return 'Map';
  if (types.isSet(o)) return 'Set';
  if (types.isNativeError(o)) return 'Error';
  if (types.isBoxedPrimitive(o)) {
    if (types.isNumberObject(o)) return 'Number';
    if (types.isStringObject(o)) return 'String';
    if (types.isBooleanObject(o)) return 'Boolean';
    if (types.isBigIntObject(o)) return 'BigInt';
    return 'Symbol';
  }
  if (types.isPromise(o)) return 'Promise';
  if (types.isWeakMap(o)) return 'WeakMap';
  if (types.isWeakSet(o)) return 'WeakSet';
  if (types.isArgumentsObject(o)) return 'Arguments';
  if (types.isGeneratorObject(o)) return 'Generator';
  if (types.isMapIterator(o)) return 'MapIterator';
  if (types.isSetIterator(o)) return 'SetIterator';
  if (types.isModuleNamespaceObject(o)) return 'Module';
  if (types.isExternal(o)) return 'External';
  if (ordinary) return undefined;
  try {
    call(I.weakRefDeref, o);
    return 'WeakRef';
  } catch {
    /* not a WeakRef */
  }
  try {
    call(I.finRegUnregister, o, {});
    return 'FinalizationRegistry';
  } catch {
    /* not a FinalizationRegistry */
  }
  return undefined;
}

/** Internal data of Node host objects, read with Node's own (captured) getters. */
type HostReader = (o: object) => Record<string, InternalValue>;

/** A getter (or a method taking no argument) found on `proto` or up its chain. */
function findReader(proto: object | undefined, name: string): AnyFn | undefined {
  for (let p: object | null | undefined = proto; p; p = getPrototypeOf(p)) {
    const d = gopd(p, name);
    if (d === undefined) continue;
    return (d.get ?? (typeof d.value === 'function' ? d.value : undefined)) as AnyFn | undefined;
  }
  return undefined;
}
function toInternal(v: unknown): InternalValue {
  return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) ? v : String(v);
}
function hostReader(proto: object | undefined, names: readonly string[]): HostReader {
  const fns = names.map((n) => [n, findReader(proto, n)] as const);
  return (o) => {
    const out: Record<string, InternalValue> = {};
    for (const [n, fn] of fns) if (fn !== undefined) out[n] = toInternal(call<unknown>(fn, o));
    return out;
  };
}
function materialHash(m: unknown): string | undefined {
  return types.isUint8Array(m) ? `sha1:${createHash('sha1').update(m).digest('hex')}` : undefined;
}

const HOST_READERS: Record<string, HostReader> = {
  Blob: hostReader(protoOf(nodeBuffer.Blob), ['size', 'type']),
  File: hostReader(protoOf(nodeBuffer.File), ['size', 'type', 'name', 'lastModified']),
  URL: hostReader(protoOf(globalValue('URL')), ['href']),
  URLSearchParams: hostReader(protoOf(globalValue('URLSearchParams')), ['toString']),
  X509Certificate: hostReader(protoOf(nodeCrypto.X509Certificate), ['fingerprint256']),
  SocketAddress: hostReader(protoOf(nodeNet.SocketAddress), ['address', 'port', 'family', 'flowlabel']),
  AbortSignal: hostReader(protoOf(globalValue('AbortSignal')), ['aborted']),
};

if (SAMPLES !== undefined) {
  const secret = getPrototypeOf(SAMPLES.secretKey)!;
  const priv = getPrototypeOf(SAMPLES.privateKey)!;
  const pub = getPrototypeOf(SAMPLES.publicKey)!;
  const type = findReader(secret, 'type');
  const size = findReader(secret, 'symmetricKeySize');
  const asymType = findReader(priv, 'asymmetricKeyType');
  const exporters = { secret: findReader(secret, 'export'), private: findReader(priv, 'export'), public: findReader(pub, 'export') };
  HOST_READERS.KeyObject = (o) => {
    const t = call<string>(type, o);
    if (t === 'secret') {
      return { type: t, symmetricKeySize: toInternal(call(size, o)), material: toInternal(materialHash(call(exporters.secret, o))) };
    }
    const format = t === 'private' ? { type: 'pkcs8', format: 'der' } : { type: 'spki', format: 'der' };
    const material = materialHash(call(t === 'private' ? exporters.private : exporters.public, o, format));
    return { type: t, asymmetricKeyType: toInternal(call(asymType, o)), material: toInternal(material) };
  };
}

const cryptoKeyProto = protoOf(globalValue('CryptoKey'));
if (cryptoKeyProto !== undefined) {
  const basic = hostReader(cryptoKeyProto, ['type', 'extractable']);
  const algorithm = findReader(cryptoKeyProto, 'algorithm');
  const usages = findReader(cryptoKeyProto, 'usages');
  HOST_READERS.CryptoKey = (o) => {
    const out = basic(o);
    const alg = call<unknown>(algorithm, o);
    if (alg !== null && typeof alg === 'object') out.algorithm = toInternal(dataValue(alg, 'name'));
    const u = call<unknown>(usages, o);
    if (isArray(u)) out.usages = u.join(',');
    return out;
  };
}

class Describer {
  readonly nodes: DescribedNode[] = [];
  private readonly ids = new Map<object, number>();
  private readonly chains = new Map<object | null, { names: string[]; host: string | undefined }>();
  private children: Pending[] = [];

  run(value: unknown): Description {
    const rootChildren: Pending[] = [];
    this.children = rootChildren;
    const root = this.encode(value);
    const stack: Pending[] = rootChildren.reverse();
    while (stack.length > 0) {
      const { obj, ref } = stack.pop()!;
      const seen = this.ids.get(obj);
      if (seen !== undefined) {
        ref.r = seen;
        continue;
      }
      const id = this.nodes.length;
      this.ids.set(obj, id);
      ref.r = id;
      const children: Pending[] = [];
      this.children = children;
      this.nodes.push(this.node(obj));
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    }
    return { v: 1, root, nodes: this.nodes };
  }

  private encode(v: unknown): DescribedValue {
    if ((typeof v === 'object' && v !== null) || typeof v === 'function') {
      const seen = this.ids.get(v);
      if (seen !== undefined) return { r: seen };
      const ref = { r: -1 };
      this.children.push({ obj: v, ref });
      return ref;
    }
    return encodePrimitive(v);
  }

  private chain(first: object | null): { names: string[]; host: string | undefined } {
    const cached = this.chains.get(first);
    if (cached !== undefined) return cached;
    const names: string[] = [];
    let host: string | undefined;
    const visited = new Set<object>();
    let p = first;
    while (p !== null) {
      if (types.isProxy(p)) {
        names.push('Proxy');
        break;
      }
      if (visited.has(p)) break; // impossible for ordinary objects; never loop anyway
      visited.add(p);
      const info = protoInfo(p);
      names.push(info.name);
      host ??= info.host;
      p = getPrototypeOf(p);
    }
    const result = { names, host };
    this.chains.set(first, result);
    return result;
  }

  private node(o: object): DescribedNode {
    // A proxy is opaque: asking it anything (its prototype, its keys) would run a trap.
    if (types.isProxy(o)) return { kind: 'Proxy', proto: [] };
    const { names, host } = this.chain(getPrototypeOf(o));
    const kind = v8Kind(o, names.length === 0 || names[0] === 'Object.prototype') ?? host ?? 'Object';
    const node: {
      kind: string;
      proto: readonly string[];
      ext?: 'frozen' | 'sealed' | 'non-extensible';
      keys?: DescribedKey[];
      int?: Record<string, InternalValue>;
      entries?: (readonly [DescribedValue, DescribedValue])[];
      members?: DescribedValue[];
      buffer?: DescribedValue;
    } = { kind, proto: names };
    if (!isExtensible(o)) node.ext = isFrozen(o) ? 'frozen' : isSealed(o) ? 'sealed' : 'non-extensible';
    this.internal(o, kind, node);
    node.keys = this.keys(o, TYPED_ARRAY_KINDS.has(kind) || kind === 'String');
    return node;
  }

  private keys(o: object, skipIndices: boolean): DescribedKey[] {
    const out: DescribedKey[] = [];
    for (const k of ownKeys(o)) {
      if (skipIndices && typeof k === 'string' && isArrayIndex(k)) continue;
      const key = typeof k === 'string' ? k : encodeSymbol(k);
      let d: PropertyDescriptor | undefined;
      try {
        d = gopd(o, k);
      } catch {
        out.push([key, UNREADABLE]); // e.g. a module namespace binding in its TDZ
        continue;
      }
      if (d === undefined) continue;
      let flags = (d.enumerable ? ENUMERABLE : 0) | (d.configurable ? CONFIGURABLE : 0);
      if (hasOwn(d, 'get')) {
        flags |= ACCESSOR | (d.get !== undefined ? HAS_GETTER : 0) | (d.set !== undefined ? HAS_SETTER : 0);
        out.push([key, flags]);
      } else {
        if (d.writable) flags |= WRITABLE;
        out.push([key, flags, this.encode(d.value)]);
      }
    }
    return out;
  }

  private internal(
    o: object,
    kind: string,
    node: {
      int?: Record<string, InternalValue>;
      entries?: (readonly [DescribedValue, DescribedValue])[];
      members?: DescribedValue[];
      buffer?: DescribedValue;
    },
  ): void {
    try {
      switch (kind) {
        case 'Date':
          node.int = { time: String(call<number>(I.dateGetTime, o)) };
          return;
        case 'RegExp': {
          let flags = '';
          for (const [letter, fn] of I.reFlags) if (call<boolean>(fn, o)) flags += letter;
          node.int = { source: call<string>(I.reSource, o), flags };
          return;
        }
        case 'Map': {
          const entries: (readonly [DescribedValue, DescribedValue])[] = [];
          call(I.mapForEach, o, (v: unknown, k: unknown) => {
            const key = this.encode(k);
            entries.push([key, this.encode(v)]);
          });
          node.entries = entries;
          return;
        }
        case 'Set': {
          const members: DescribedValue[] = [];
          call(I.setForEach, o, (v: unknown) => {
            members.push(this.encode(v));
          });
          node.members = members;
          return;
        }
        case 'ArrayBuffer': {
          const byteLength = call<number>(I.abByteLength, o);
          const int: Record<string, InternalValue> = { byteLength };
          if (I.abResizable !== undefined) {
            const resizable = call<boolean>(I.abResizable, o);
            int.resizable = resizable;
            if (resizable) int.maxByteLength = call<number>(I.abMaxByteLength, o);
          }
          let detached = false;
          if (byteLength === 0) {
            try {
              new U8(o as ArrayBuffer);
            } catch {
              detached = true;
            }
          }
          int.detached = detached;
          if (!detached) int.bytes = bytesOf(o as ArrayBuffer, byteLength);
          node.int = int;
          return;
        }
        case 'SharedArrayBuffer': {
          const byteLength = call<number>(I.sabByteLength, o);
          const int: Record<string, InternalValue> = { byteLength };
          if (I.sabGrowable !== undefined) {
            const growable = call<boolean>(I.sabGrowable, o);
            int.growable = growable;
            if (growable) int.maxByteLength = call<number>(I.sabMaxByteLength, o);
          }
          int.bytes = bytesOf(o as SharedArrayBuffer, byteLength);
          node.int = int;
          return;
        }
        case 'DataView':
          node.buffer = this.encode(call<object>(I.dvBuffer, o));
          node.int = { byteOffset: call<number>(I.dvByteOffset, o), byteLength: call<number>(I.dvByteLength, o) };
          return;
        case 'Number':
        case 'String':
        case 'Boolean':
        case 'BigInt':
        case 'Symbol': {
          const fn = { Number: I.numberValueOf, String: I.stringValueOf, Boolean: I.booleanValueOf, BigInt: I.bigintValueOf, Symbol: I.symbolValueOf }[kind];
          const v = encodePrimitive(call<unknown>(fn, o));
          node.int = { value: typeof v === 'object' && v !== null ? JSON.stringify(v) : v };
          return;
        }
        case 'Function': {
          const src = call<string>(I.fnToString, o);
          node.int = {
            async: types.isAsyncFunction(o),
            generator: types.isGeneratorFunction(o),
            source: src.length <= 64 ? src : `sha1:${createHash('sha1').update(src).digest('hex')}`,
          };
          return;
        }
        default:
          if (TYPED_ARRAY_KINDS.has(kind)) {
            node.buffer = this.encode(call<object>(I.taBuffer, o));
            node.int = {
              length: call<number>(I.taLength, o),
              byteOffset: call<number>(I.taByteOffset, o),
              byteLength: call<number>(I.taByteLength, o),
            };
            return;
          }
          const reader = HOST_READERS[kind];
          if (reader !== undefined) node.int = reader(o);
      }
    } catch {
      // Only host objects can get here (an object that has a host prototype but no host state).
      node.int = { ...node.int, unreadable: true };
    }
  }
}

/**
 * Describes a value graph as JSON-serialisable data, without running any of its code: no getter,
 * no `toJSON`, no Proxy trap, no patched prototype method. Works iteratively (any depth), on cycles,
 * on sparse arrays of any length, on revoked proxies and on objects of other realms.
 */
export function describe(value: unknown): Description {
  return new Describer().run(value);
}

// ---------------------------------------------------------------------------------------------
// diff
// ---------------------------------------------------------------------------------------------

/** A path as a linked list, so that a walk a million levels deep does not copy paths. */
interface PathNode {
  readonly up: PathNode | null;
  readonly seg: PathSegment;
  /** For a Map value: its key as it reads in `.get(…)`. */
  readonly mapKey?: string | undefined;
}

function materialise(p: PathNode | null): { path: PathSegment[]; mapKeys: (string | undefined)[] } {
  const path: PathSegment[] = [];
  const mapKeys: (string | undefined)[] = [];
  for (let n = p; n !== null; n = n.up) {
    path.push(n.seg);
    mapKeys.push(n.mapKey);
  }
  return { path: path.reverse(), mapKeys: mapKeys.reverse() };
}

function isRef(v: DescribedValue): v is { r: number } {
  return typeof v === 'object' && v !== null && hasOwn(v, 'r');
}

function primKey(v: DescribedValue): string {
  switch (typeof v) {
    case 'string':
      return `s${v}`;
    case 'number':
      return `n${v}`;
    case 'boolean':
      return `b${v}`;
    default:
      if (v === null) return 'null';
      if (hasOwn(v, 'y')) {
        const s = v as DescribedSymbol;
        return `y${s.w ?? ''}|${s.g ?? 0}|${s.y === null ? '\u0000' : `:${s.y}`}`;
      }
      return JSON.stringify(v);
  }
}

/** Turns a described primitive back into a value (a symbol comes back as a new symbol with the same description, unless registered or well-known). */
export function decodePrimitive(v: DescribedValue): unknown {
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'boolean':
      return v;
    default:
      if (v === null) return null;
      if (hasOwn(v, 'u')) return undefined;
      if (hasOwn(v, 'n')) return Number((v as { n: string }).n);
      if (hasOwn(v, 'b')) return BigInt((v as { b: string }).b);
      if (hasOwn(v, 'y')) return decodeSymbol(v as DescribedSymbol);
      return undefined;
  }
}

function decodeSymbol(s: DescribedSymbol): symbol {
  if (s.w !== undefined) {
    const d = gopd(Symbol, s.w);
    if (d && typeof d.value === 'symbol') return d.value;
  }
  if (s.g === 1 && s.y !== null) return Symbol.for(s.y);
  return s.y === null ? Symbol() : Symbol(s.y);
}

function showSymbol(s: DescribedSymbol): string {
  if (s.w !== undefined) return `Symbol.${s.w}`;
  if (s.g === 1) return `Symbol.for(${JSON.stringify(s.y)})`;
  return s.y === null ? 'Symbol()' : `Symbol(${s.y})`;
}

function showString(s: string): string {
  const q = JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
  return s.length > 40 ? `${q} (length ${s.length})` : q;
}

function showValue(v: DescribedValue | undefined, nodes: readonly DescribedNode[]): string {
  if (v === undefined) return '(none)';
  switch (typeof v) {
    case 'string':
      return `string ${showString(v)}`;
    case 'number':
      return `number ${v}`;
    case 'boolean':
      return `boolean ${v}`;
    default:
      if (v === null) return 'null';
      if (isRef(v)) return nodes[v.r]?.kind ?? 'object';
      if (hasOwn(v, 'u')) return 'undefined';
      if (hasOwn(v, 'n')) return `number ${(v as { n: string }).n}`;
      if (hasOwn(v, 'b')) return `bigint ${(v as { b: string }).b}n`;
      return `symbol ${showSymbol(v as DescribedSymbol)}`;
  }
}

function showChange(a: DescribedValue, b: DescribedValue, A: readonly DescribedNode[], B: readonly DescribedNode[]): string {
  if (typeof a === 'string' && typeof b === 'string' && (a.length > 40 || b.length > 40)) {
    let i = 0;
    while (i < a.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
    const around = (s: string): string => showString(s.slice(Math.max(0, i - 10), i + 20));
    return `string (length ${a.length}) → string (length ${b.length}), first different at index ${i}: ${around(a)} → ${around(b)}`;
  }
  return `${showValue(a, A)} → ${showValue(b, B)}`;
}

function showFlags(f: number): string {
  if (f & UNREADABLE) return 'unreadable';
  const parts: string[] = [];
  if (f & ACCESSOR) {
    const g = f & HAS_GETTER ? 'get' : '';
    const s = f & HAS_SETTER ? 'set' : '';
    parts.push(`accessor (${[g, s].filter(Boolean).join('+') || 'none'})`);
  } else {
    parts.push('data', f & WRITABLE ? 'writable' : 'read-only');
  }
  parts.push(f & ENUMERABLE ? 'enumerable' : 'non-enumerable', f & CONFIGURABLE ? 'configurable' : 'non-configurable');
  return parts.join(' ');
}

function showChain(names: readonly string[]): string {
  return names.length === 0 ? 'null' : names.map((n) => n.replace(/@[0-9a-f]+$/, '')).join(' > ');
}

function showInternal(v: InternalValue | undefined): string {
  return v === undefined ? '(none)' : typeof v === 'string' ? showString(v) : String(v);
}

function keySegment(k: string | DescribedSymbol, kind: string): PathSegment {
  if (typeof k !== 'string') return decodeSymbol(k);
  return kind === 'Array' && isArrayIndex(k) ? Number(k) : k;
}

/** A key's identity for matching: strings by value, symbols by description (and position among same-described symbols). */
function keyIds(keys: readonly DescribedKey[]): Map<string, number> {
  const ids = new Map<string, number>();
  const symbolCounts = new Map<string, number>();
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]![0];
    if (typeof k === 'string') ids.set(`s${k}`, i);
    else {
      const base = primKey(k);
      const n = symbolCounts.get(base) ?? 0;
      symbolCounts.set(base, n + 1);
      ids.set(`${base}#${n}`, i);
    }
  }
  return ids;
}

function sameKey(a: string | DescribedSymbol, b: string | DescribedSymbol): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return primKey(a) === primKey(b);
}

interface Sighting {
  readonly p: PathNode | null;
  readonly via: string;
}

interface Item {
  readonly p: PathNode | null;
  readonly a?: DescribedValue;
  readonly b?: DescribedValue;
  /** A difference to report when the walk gets here. */
  readonly emit?: string;
  /** Label for an internal edge (`[[buffer]] `), put in front of the detail. */
  readonly via?: string;
}

/**
 * Every place where `db` is not the same as `da` (SPEC "Sameness"), in the walk order of `da`.
 * Symbols are compared by description (a unique symbol can't be the same symbol in another realm
 * anyway), and reported at a path segment `Symbol(description)` (or the registered / well-known
 * symbol itself).
 */
export function diffDescriptions(da: Description, db: Description): Difference[] {
  const out: Difference[] = [];
  const A = da.nodes;
  const B = db.nodes;
  const pairA = new Int32Array(A.length).fill(-1);
  const pairB = new Int32Array(B.length).fill(-1);
  // Where each paired node was first seen, for identity messages.
  const firstA: Sighting[] = new Array<Sighting>(A.length);
  const firstB: Sighting[] = new Array<Sighting>(B.length);

  const report = (p: PathNode | null, what: string): void => {
    const { path, mapKeys } = materialise(p);
    out.push({ path, at: formatPath(path, mapKeys), what });
  };
  const atOf = ({ p, via }: Sighting): string => {
    const { path, mapKeys } = materialise(p);
    return `${formatPath(path, mapKeys)}${via === '' ? '' : ` ${via.trim()}`}`;
  };

  const stack: Item[] = [{ p: null, a: da.root, b: db.root }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (item.emit !== undefined) report(item.p, item.emit);
    if (item.a === undefined || item.b === undefined) continue;
    const { a, b, p } = item;
    const via = item.via ?? '';
    const aRef = isRef(a);
    const bRef = isRef(b);
    if (!aRef && !bRef) {
      if (primKey(a) !== primKey(b)) report(p, `value: ${via}${showChange(a, b, A, B)}`);
      continue;
    }
    if (!aRef || !bRef) {
      report(p, `kind: ${via}${showValue(a, A)} → ${showValue(b, B)}`);
      continue;
    }
    const ia = a.r;
    const ib = b.r;
    const pa = pairA[ia]!;
    const pb = pairB[ib]!;
    if (pa === ib) continue; // the same pair seen again: consistent sharing, compared already
    if (pa !== -1 || pb !== -1) {
      if (pa !== -1 && pb === -1) {
        report(p, `identity: ${via}shared reference lost (was the same object as ${atOf(firstA[ia]!)})`);
      } else if (pa === -1) {
        report(p, `identity: ${via}now the same object as ${atOf(firstB[ib]!)} (a different object on the sender)`);
      } else {
        report(p, `identity: ${via}was the same object as ${atOf(firstA[ia]!)}, now the same object as ${atOf(firstB[ib]!)}`);
      }
      continue;
    }
    pairA[ia] = ib;
    pairB[ib] = ia;
    firstA[ia] = firstB[ib] = { p, via };
    const na = A[ia]!;
    const nb = B[ib]!;
    if (na.kind !== nb.kind) {
      report(p, `kind: ${via}${na.kind} → ${nb.kind}`);
      continue;
    }
    if (na.proto.length !== nb.proto.length || na.proto.some((n, i) => n !== nb.proto[i])) {
      const [ca, cb] = [showChain(na.proto), showChain(nb.proto)];
      report(p, `prototype: ${via}${ca} → ${cb}${ca === cb ? ' (other objects of the same names)' : ''}`);
    }
    if (na.ext !== nb.ext) report(p, `integrity: ${via}${na.ext ?? 'extensible'} → ${nb.ext ?? 'extensible'}`);
    const intA = na.int ?? {};
    const intB = nb.int ?? {};
    for (const k of new Set([...Object.keys(intA), ...Object.keys(intB)])) {
      if (intA[k] !== intB[k]) report(p, `internal: ${via}${k} ${showInternal(intA[k])} → ${showInternal(intB[k])}`);
    }

    const children: Item[] = [];
    if (na.entries !== undefined || nb.entries !== undefined) {
      const ea = na.entries ?? [];
      const eb = nb.entries ?? [];
      for (let i = 0; i < Math.max(ea.length, eb.length); i++) {
        const kp: PathNode = { up: p, seg: { kind: 'map-key', index: i } };
        const x = ea[i];
        const y = eb[i];
        if (x === undefined) children.push({ p: kp, emit: `added: Map entry (key ${showValue(y![0], B)})` });
        else if (y === undefined) children.push({ p: kp, emit: `missing: Map entry (key ${showValue(x[0], A)})` });
        else {
          const k = isRef(x[0]) ? undefined : describeMapKey(decodePrimitive(x[0]));
          children.push({ p: kp, a: x[0], b: y[0] });
          children.push({ p: { up: p, seg: { kind: 'map-value', index: i }, mapKey: k }, a: x[1], b: y[1] });
        }
      }
    }
    if (na.members !== undefined || nb.members !== undefined) {
      const ma = na.members ?? [];
      const mb = nb.members ?? [];
      for (let i = 0; i < Math.max(ma.length, mb.length); i++) {
        const mp: PathNode = { up: p, seg: { kind: 'set-member', index: i } };
        if (i >= ma.length) children.push({ p: mp, emit: `added: Set member ${showValue(mb[i], B)}` });
        else if (i >= mb.length) children.push({ p: mp, emit: `missing: Set member ${showValue(ma[i], A)}` });
        else children.push({ p: mp, a: ma[i]!, b: mb[i]! });
      }
    }
    if (na.buffer !== undefined && nb.buffer !== undefined) {
      children.push({ p, a: na.buffer, b: nb.buffer, via: '[[buffer]] ' });
    }
    keyItems(na, nb, p, children, A, B);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return out;
}

function keyItems(
  na: DescribedNode,
  nb: DescribedNode,
  p: PathNode | null,
  children: Item[],
  A: readonly DescribedNode[],
  B: readonly DescribedNode[],
): void {
  const ka = na.keys ?? [];
  const kb = nb.keys ?? [];
  let aligned = ka.length === kb.length;
  for (let i = 0; aligned && i < ka.length; i++) aligned = sameKey(ka[i]![0], kb[i]![0]);
  let matchedB: Uint8Array | undefined;
  let lookup: ((i: number) => number) | undefined;
  if (!aligned) {
    const idsB = keyIds(kb);
    const idsA = [...keyIds(ka)];
    const aToB = new Int32Array(ka.length).fill(-1);
    for (const [id, i] of idsA) aToB[i] = idsB.get(id) ?? -1;
    lookup = (i) => aToB[i]!;
    matchedB = new Uint8Array(kb.length);
  }
  for (let i = 0; i < ka.length; i++) {
    const [key, fa, va] = ka[i]!;
    const j = lookup === undefined ? i : lookup(i);
    if (j === -1) {
      children.push({ p: { up: p, seg: keySegment(key, na.kind) }, emit: `missing: own property (${showFlags(fa)}${va === undefined ? '' : `, ${showValue(va, A)}`})` });
      continue;
    }
    if (matchedB !== undefined) matchedB[j] = 1;
    const [, fb, vb] = kb[j]!;
    if (fa === fb) {
      // Equal primitives (by far the common case) need no walk item at all.
      if (va !== undefined && vb !== undefined && (isRef(va) || isRef(vb) || primKey(va) !== primKey(vb))) {
        children.push({ p: { up: p, seg: keySegment(key, na.kind) }, a: va, b: vb });
      }
      continue;
    }
    const kp: PathNode = { up: p, seg: keySegment(key, na.kind) };
    const what = `descriptor: ${showFlags(fa)} → ${showFlags(fb)}`;
    if (va !== undefined && vb !== undefined) children.push({ p: kp, a: va, b: vb, emit: what });
    else children.push({ p: kp, emit: va === undefined && vb !== undefined ? `${what}, ${showValue(vb, B)}` : what });
  }
  if (matchedB !== undefined) {
    for (let j = 0; j < kb.length; j++) {
      if (matchedB[j]) continue;
      const [key, fb, vb] = kb[j]!;
      children.push({
        p: { up: p, seg: keySegment(key, nb.kind) },
        emit: `added: own property (${showFlags(fb)}${vb === undefined ? '' : `, ${showValue(vb, B)}`})`,
      });
    }
  }
}

/** Every place where `b` is not the same as `a` (SPEC "Sameness"). Runs no code of either value. */
export function diff(a: unknown, b: unknown): Difference[] {
  return diffDescriptions(describe(a), describe(b));
}
