/**
 * What the describer knows of built-ins and host types: intrinsics captured at load (so that a
 * patched prototype never runs during a walk), realm-independent names of built-in prototypes, and
 * readers of host objects' internal state.
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
import type { InternalValue } from './description.js';
import {
  ERROR_TYPE_NAMES,
  functionToString,
  getOwnPropertyDescriptor,
  getPrototypeOf as getProto,
  hasOwn,
  isArray,
  ownKeys,
  symbolDescription,
  TYPED_ARRAY_NAMES,
} from '../realm/intrinsics.js';

export type AnyFn = (...args: never[]) => unknown;
export const apply = Reflect.apply as (fn: AnyFn, self: unknown, args: readonly unknown[]) => unknown;
const gopd = getOwnPropertyDescriptor;
const getPrototypeOf = getProto as (o: object) => object | null;
export const objectIs = Object.is;
export const keyFor = Symbol.keyFor;
export const bufferFrom = Buffer.from.bind(Buffer) as (ab: ArrayBufferLike, off?: number, len?: number) => Buffer;

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
export function call<R>(fn: AnyFn | undefined, self: unknown, ...args: unknown[]): R {
  if (fn === undefined) throw new TypeError('intrinsic missing');
  return apply(fn, self, args) as R;
}

const TypedArrayProto = getPrototypeOf(Uint8Array.prototype)!;
export const I = {
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
  abMaxByteLength: getter(ArrayBuffer.prototype, 'maxByteLength'),
  sabGrowable: getter(SharedArrayBuffer.prototype, 'growable'),
  sabMaxByteLength: getter(SharedArrayBuffer.prototype, 'maxByteLength'),
  numberValueOf: method(Number.prototype, 'valueOf'),
  stringValueOf: method(String.prototype, 'valueOf'),
  booleanValueOf: method(Boolean.prototype, 'valueOf'),
  bigintValueOf: method(BigInt.prototype, 'valueOf'),
  symbolValueOf: method(Symbol.prototype, 'valueOf'),
};

export const WELL_KNOWN = new Map<symbol, string>();
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
export function dataValue(o: object, key: PropertyKey): unknown {
  const d = gopd(o, key);
  return d && hasOwn(d, 'value') ? d.value : undefined;
}

// ---------------------------------------------------------------------------------------------
// Naming prototypes
// ---------------------------------------------------------------------------------------------

export interface ProtoInfo {
  readonly name: string;
}

/** Prototypes of this realm by identity. */
const known = new Map<object, ProtoInfo>();
/** Signature → name, for recognising another realm's ECMAScript intrinsics. */
const intrinsicBySignature = new Map<string, string | null>();

function register(name: string, proto: unknown, intrinsic = false): void {
  if (proto === null || (typeof proto !== 'object' && typeof proto !== 'function')) return;
  if (known.has(proto)) return;
  known.set(proto, { name });
  if (intrinsic) {
    const sig = signature(proto);
    intrinsicBySignature.set(sig, intrinsicBySignature.has(sig) ? null : name);
  }
}

const ES_CONSTRUCTORS = [
  'Object',
  'Function',
  'Array',
  'Number',
  'Boolean',
  'String',
  'Symbol',
  'BigInt',
  'Date',
  'RegExp',
  ...ERROR_TYPE_NAMES,
  'Promise',
  'Map',
  'Set',
  'WeakMap',
  'WeakSet',
  'WeakRef',
  'FinalizationRegistry',
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  ...TYPED_ARRAY_NAMES,
  'Iterator',
  'SuppressedError',
  'DisposableStack',
  'AsyncDisposableStack',
];

function registerIntrinsics(): void {
  for (const name of ES_CONSTRUCTORS) {
    const d = gopd(globalThis, name);
    if (d && typeof d.value === 'function') register(`${name}.prototype`, protoOf(d.value), true);
  }
  for (const ns of ['Intl', 'WebAssembly']) {
    const d = gopd(globalThis, ns);
    const o = d?.value as object | undefined;
    if (!o || typeof o !== 'object') continue;
    for (const key of Object.getOwnPropertyNames(o)) {
      const kd = gopd(o, key);
      if (kd && typeof kd.value === 'function') register(`${ns}.${key}.prototype`, protoOf(kd.value), true);
    }
  }
  register('%TypedArray%.prototype', TypedArrayProto, true);
  const arrayIter = getPrototypeOf([][Symbol.iterator]());
  register('%ArrayIteratorPrototype%', arrayIter, true);
  register('%IteratorPrototype%', arrayIter && getPrototypeOf(arrayIter), true);
  register('%MapIteratorPrototype%', getPrototypeOf(new Map().entries()), true);
  register('%SetIteratorPrototype%', getPrototypeOf(new Set().values()), true);
  register('%StringIteratorPrototype%', getPrototypeOf(''[Symbol.iterator]()), true);
  register('%RegExpStringIteratorPrototype%', getPrototypeOf(/a/[Symbol.matchAll]('')), true);
  const genFn = getPrototypeOf(function* () {});
  register('%GeneratorFunction.prototype%', genFn, true);
  register('%GeneratorPrototype%', genFn && dataValue(genFn, 'prototype'), true);
  register(
    '%AsyncFunction.prototype%',
    getPrototypeOf(async function () {}),
    true,
  );
  const asyncGenFn = getPrototypeOf(async function* () {});
  register('%AsyncGeneratorFunction.prototype%', asyncGenFn, true);
  const asyncGenProto = asyncGenFn && (dataValue(asyncGenFn, 'prototype') as object | undefined);
  register('%AsyncGeneratorPrototype%', asyncGenProto, true);
  register('%AsyncIteratorPrototype%', asyncGenProto && getPrototypeOf(asyncGenProto), true);
}

/** Host objects of this thread, made once: their prototypes (some internal) are reachable only through instances. */
function makeSamples() {
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
}
let SAMPLES: ReturnType<typeof makeSamples>;

const HOST_GLOBALS = [
  'Blob',
  'File',
  'URL',
  'URLSearchParams',
  'AbortController',
  'AbortSignal',
  'EventTarget',
  'Event',
  'MessageChannel',
  'MessagePort',
  'BroadcastChannel',
  'TextEncoder',
  'TextDecoder',
  'Headers',
  'Request',
  'Response',
  'FormData',
  'DOMException',
  'ReadableStream',
  'WritableStream',
  'TransformStream',
  'CryptoKey',
  'Crypto',
  'SubtleCrypto',
  'CompressionStream',
  'DecompressionStream',
  'TextEncoderStream',
  'TextDecoderStream',
  'PerformanceEntry',
  'Performance',
  'Navigator',
  'WebSocket',
  'CustomEvent',
  'ByteLengthQueuingStrategy',
  'CountQueuingStrategy',
  'ReadableStreamDefaultReader',
  'ReadableByteStreamController',
  'ReadableStreamBYOBReader',
  'WritableStreamDefaultWriter',
];

function registerHost(): void {
  const modules = [nodeBuffer, nodeWorker, nodeStreamWeb] as unknown as Record<string, unknown>[];
  for (const name of HOST_GLOBALS) {
    let ctor = globalValue(name);
    for (const mod of modules) if (typeof ctor !== 'function') ctor = mod[name];
    register(`${name}.prototype`, protoOf(ctor));
  }
  register('Buffer.prototype', protoOf(nodeBuffer.Buffer)); // a Uint8Array with another prototype, not a kind of its own
  register('crypto.X509Certificate.prototype', protoOf(nodeCrypto.X509Certificate));
  register('net.BlockList.prototype', protoOf(nodeNet.BlockList));
  register('net.SocketAddress.prototype', protoOf(nodeNet.SocketAddress));
  register('events.EventEmitter.prototype', protoOf(nodeEvents.EventEmitter));
  const samples: unknown[] = [];
  if (SAMPLES !== undefined) {
    const { secretKey, privateKey, publicKey, histogram, others } = SAMPLES;
    register('crypto.SecretKeyObject.prototype', getPrototypeOf(secretKey));
    register('crypto.PrivateKeyObject.prototype', getPrototypeOf(privateKey));
    register('crypto.PublicKeyObject.prototype', getPrototypeOf(publicKey));
    register('crypto.AsymmetricKeyObject.prototype', getPrototypeOf(getPrototypeOf(privateKey)!));
    register('perf_hooks.RecordableHistogram.prototype', getPrototypeOf(histogram));
    register('perf_hooks.Histogram.prototype', getPrototypeOf(getPrototypeOf(histogram)!));
    samples.push(secretKey, privateKey, publicKey, histogram, ...others);
  }
  register('crypto.KeyObject.prototype', protoOf(nodeCrypto.KeyObject));
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
  return typeof k === 'string' ? k : `@@${String(symbolDescription(k))}`;
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
    return /^function [\w$]*\(\) \{\s*\[native code\]\s*\}$/.test(functionToString(f));
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
export function protoInfo(p: object): ProtoInfo {
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
  if (info === undefined && ownKeys(p).some((k) => typeof k === 'symbol' && NODE_MESSAGING.has(String(symbolDescription(k))))) {
    info = { name: `${displayNameOf(p)}(node internal)` };
  }
  info ??= { name: `${displayNameOf(p)}#${++userProtoCounter}@${PROCESS_NONCE}` };
  userProtos.set(p, info);
  return info;
}

// The intrinsics are named at load, before a program can patch the built-ins this calls.
registerIntrinsics();

let registered = false;

/**
 * Names the host prototypes of this thread, once, on the first `describe()` (not at load: a
 * program that imports clonecheck only to check values does not pay for a key pair).
 */
export function ensureRegistered(): void {
  if (registered) return;
  registered = true;
  SAMPLES = makeSamples();
  registerHost();
  addKeyObjectReader();
}

/** Internal data of Node host objects, read with Node's own (captured) getters. */
export type HostReader = (o: object) => Record<string, InternalValue>;

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

export const HOST_READERS: Record<string, HostReader> = {
  Blob: hostReader(protoOf(nodeBuffer.Blob), ['size', 'type']),
  File: hostReader(protoOf(nodeBuffer.File), ['size', 'type', 'name', 'lastModified']),
  URL: hostReader(protoOf(globalValue('URL')), ['href']),
  URLSearchParams: hostReader(protoOf(globalValue('URLSearchParams')), ['toString']),
  X509Certificate: hostReader(protoOf(nodeCrypto.X509Certificate), ['fingerprint256']),
  SocketAddress: hostReader(protoOf(nodeNet.SocketAddress), ['address', 'port', 'family', 'flowlabel']),
  AbortSignal: hostReader(protoOf(globalValue('AbortSignal')), ['aborted']),
};

function addKeyObjectReader(): void {
  if (SAMPLES === undefined) return;
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
