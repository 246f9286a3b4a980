// The one registry of built-in and host types: what a prototype is, by identity, in this realm
// or another (\`vm\`), and how Node's own classes cross each kind of channel.
import * as crypto from 'node:crypto';
import * as net from 'node:net';
import * as perfHooks from 'node:perf_hooks';
import * as streamWeb from 'node:stream/web';
import { BroadcastChannel, MessageChannel, MessagePort } from 'node:worker_threads';
import { foreignIteratorName, intlBrandPasses, intlTypeOf, ITERATOR_NAMES, ITERATOR_PROTOTYPES } from './engine.js';
import {
  apply,
  BUFFER_PROTOTYPE,
  bufferByteLength,
  ERROR_TYPE_NAMES,
  functionToString,
  getOwnPropertyDescriptor,
  getOwnPropertySymbols,
  hasOwn,
  isKeyless,
  isProxy,
  SafeMap,
  SafeSet,
  stringEndsWith,
  serializerRefuses,
  stringStartsWith,
  symbolDescription,
  TYPED_ARRAY_NAMES,
  types,
} from './intrinsics.js';

const { isSharedArrayBuffer } = types;

/** Names of the built-in prototypes of this realm, for naming what a value is. */
const builtinPrototypes = new SafeMap<object, string>();
for (const name of Object.getOwnPropertyNames(globalThis)) {
  const ctor = Object.getOwnPropertyDescriptor(globalThis, name)?.value as unknown;
  if (typeof ctor === 'function' && /^[A-Z]/.test(name)) {
    const proto = Object.getOwnPropertyDescriptor(ctor, 'prototype')?.value as unknown;
    if (proto && typeof proto === 'object' && !builtinPrototypes.has(proto)) builtinPrototypes.set(proto, name);
  }
}
for (const name of Object.getOwnPropertyNames(Intl)) {
  const ctor = Object.getOwnPropertyDescriptor(Intl, name)?.value as unknown;
  if (typeof ctor === 'function') builtinPrototypes.set((ctor as { prototype: object }).prototype, `Intl.${name}`);
}

// Function.prototype is itself a function, and the prototypes of async and generator functions have
// no global name: an object that inherits one is an ordinary object to every serializer.
for (const fn of [function () {}, async function () {}, function* () {}, async function* () {}]) {
  const proto = Object.getPrototypeOf(fn) as object;
  builtinPrototypes.set(proto, (Object.getOwnPropertyDescriptor(proto, 'constructor')?.value as { name: string }).name);
}
// A MessageChannel is made by native code but is an ordinary object holding two ports.
builtinPrototypes.set(MessageChannel.prototype, 'MessageChannel');
// %TypedArray%.prototype has no global name but is a built-in all the same.
builtinPrototypes.set(Object.getPrototypeOf(Uint8Array.prototype) as object, 'TypedArray');

export function builtinPrototypeName(proto: object): string | undefined {
  return builtinPrototypes.get(proto);
}

/**
 * How Node's own classes cross each channel. `worker` says what structured clone does with it;
 * the V8 serializer used by `fork-advanced` treats Node's host objects as a spread of their own
 * enumerable properties, and JSON treats them as ordinary objects (or calls their toJSON).
 */
export type HostKind =
  | 'cloneable' // structured clone copies it exactly
  | 'file' // arrives as a Blob
  | 'extra-prototype' // arrives working, with an internal prototype in front
  | 'transfer-only' // must be in the transferList
  | 'platform' // plain JS class whose state is private: arrives as {}
  | 'uncloneable' // structured clone throws
  | 'native' // another object of Node's native layer (vm.Script, a TLS context, a DNS handle, ...)
  | 'wasm-module' // WebAssembly.Module: shared by a worker, nowhere else
  | 'wasm-memory' // WebAssembly.Memory over an ArrayBuffer
  | 'wasm-shared-memory' // WebAssembly.Memory over a SharedArrayBuffer
  | 'wasm-other'; // WebAssembly.Global, Table, Instance, Tag, Exception

export interface HostInfo {
  readonly name: string;
  readonly kind: HostKind;
  /** Node treats it as a host object: fork-advanced sends `{ ...object }`. */
  readonly host: boolean;
  /**
   * True when `o` really is one (not merely an object that inherits the prototype, such as
   * `Object.create(Blob.prototype)`), told by the own symbol keys Node's classes give every
   * instance, or by one of the class's own getters, which throws for anything else.
   */
  readonly isInstance: (o: object) => boolean;
  /** The string keys Node gives every instance of its own (a Histogram's `constructor`): its state, not the user's. */
  readonly ownKeys?: ReadonlySet<string>;
  /** The facts of this very instance, where they differ from its type's (a shared WebAssembly.Memory). */
  readonly refine?: (o: object) => HostInfo | undefined;
}

const hostClasses = new SafeMap<object, HostInfo>();

/**
 * How an instance is told from an impostor, worked out once per type from a sample instance:
 * the sample's own symbol keys (a real instance has them all), or else the first getter of the
 * prototype that answers on the sample and throws on a bare object of that prototype.
 */
/** Host types told by the own symbols of their instances, which survive a replaced prototype. */
const SYMBOL_BRANDS: { readonly proto: object; readonly is: (o: object) => boolean }[] = [];

function brandOf(proto: object, sample: (() => object) | undefined): (o: object) => boolean {
  let made: object | undefined;
  try {
    made = sample?.();
  } catch {
    made = undefined;
  }
  if (made === undefined) return () => true;
  const symbols = Object.getOwnPropertySymbols(made);
  if (symbols.length > 0) {
    const is = (o: object): boolean => {
      for (let i = 0; i < symbols.length; i++) if (!hasOwn(o, symbols[i]!)) return false;
      return true;
    };
    SYMBOL_BRANDS.push({ proto, is });
    return is;
  }
  const bare = Object.create(proto) as object;
  const keys = Reflect.ownKeys(proto);
  for (let k = 0; k < keys.length; k++) {
    const get = Object.getOwnPropertyDescriptor(proto, keys[k]!)?.get;
    if (!get) continue;
    try {
      apply(get, made, []);
    } catch {
      continue;
    }
    try {
      apply(get, bare, []);
      continue;
    } catch {
      // Throws for a non-instance: a brand check, and Node's own code (no user code on an instance).
      return (o) => {
        try {
          apply(get, o, []);
          return true;
        } catch {
          return false;
        }
      };
    }
  }
  return () => true;
}

const addHost = (ctor: unknown, name: string, kind: HostKind, host: boolean, sample?: () => object): void => {
  const proto = typeof ctor === 'function' ? (ctor as { prototype?: unknown }).prototype : undefined;
  if (proto && typeof proto === 'object') addHostPrototype(proto, name, kind, host, sample);
};

function addHostPrototype(proto: object, name: string, kind: HostKind, host: boolean, sample?: () => object): void {
  // Worked out when clonecheck loads, before the user's code can patch what making a sample uses.
  let keys: Set<string> | undefined;
  try {
    const made = sample?.();
    if (made) keys = new SafeSet(Object.getOwnPropertyNames(made));
  } catch {
    keys = undefined;
  }
  hostClasses.set(proto, { name, kind, host, isInstance: brandOf(proto, sample), ...(keys && keys.size > 0 ? { ownKeys: keys } : {}) });
}

const g = globalThis as unknown as Record<string, unknown>;
addHost(crypto.KeyObject, 'KeyObject', 'cloneable', true, () => crypto.createSecretKey(new Uint8Array(1)));
// Node 20 has CryptoKey on webcrypto's namespace only; later lines also as a global.
addHost(g.CryptoKey ?? (crypto.webcrypto as unknown as Record<string, unknown>).CryptoKey, 'CryptoKey', 'cloneable', true);
addHost(g.File, 'File', 'file', true, () => new File([], 'f'));
addHost(g.Blob, 'Blob', 'cloneable', true, () => new Blob([]));
addHost(crypto.X509Certificate, 'X509Certificate', 'extra-prototype', true);
addHost(net.BlockList, 'BlockList', 'extra-prototype', true, () => new net.BlockList());
addHost(net.SocketAddress, 'SocketAddress', 'extra-prototype', true, () => new net.SocketAddress({}));
addHostPrototype(Object.getPrototypeOf(perfHooks.createHistogram()) as object, 'RecordableHistogram', 'cloneable', true, () => perfHooks.createHistogram());
addHost(MessagePort, 'MessagePort', 'transfer-only', true);
addHost(streamWeb.ReadableStream, 'ReadableStream', 'transfer-only', true, () => new streamWeb.ReadableStream());
addHost(streamWeb.WritableStream, 'WritableStream', 'transfer-only', true, () => new streamWeb.WritableStream());
addHost(streamWeb.TransformStream, 'TransformStream', 'transfer-only', true, () => new streamWeb.TransformStream());
// URLPattern (Node 24 and later): structured clone and v8.serialize() throw; advanced IPC and JSON
// send {} (measured: test/lines/measured/).
addHost(g.URLPattern, 'URLPattern', 'uncloneable', true, () => new (g.URLPattern as new (init: object) => object)({ pathname: '/' }));
// A MessageChannel is an ordinary object holding two ports (they need the transferList).
addHost(BroadcastChannel, 'BroadcastChannel', 'platform', false);
const PLATFORM_SAMPLES: Readonly<Record<string, () => object>> = {
  URL: () => new URL('http://localhost/'),
  URLSearchParams: () => new URLSearchParams(),
  Headers: () => new Headers(),
  Request: () => new Request('http://localhost/'),
  Response: () => new Response(),
  FormData: () => new FormData(),
  DOMException: () => new DOMException('m'),
  Event: () => new Event('e'),
  EventTarget: () => new EventTarget(),
  AbortController: () => new AbortController(),
  AbortSignal: () => new AbortController().signal,
  TextEncoder: () => new TextEncoder(),
  TextDecoder: () => new TextDecoder(),
};
/** The web-platform classes Node has as globals, by name: each is a host of kind 'platform'. */
export const PLATFORM_TYPE_NAMES: readonly string[] = [
  'URL',
  'URLSearchParams',
  'Headers',
  'Request',
  'Response',
  'FormData',
  'DOMException',
  'Event',
  'EventTarget',
  'AbortController',
  'AbortSignal',
  'TextEncoder',
  'TextDecoder',
  'CustomEvent',
  'MessageEvent',
  'Performance',
  'PerformanceEntry',
  'PerformanceMark',
  'PerformanceMeasure',
];
for (const name of PLATFORM_TYPE_NAMES) {
  addHost(g[name], name, 'platform', false, PLATFORM_SAMPLES[name]);
}

// WebAssembly objects, told by V8's own brand-checking accessors. A Memory's kind depends on
// whether its buffer is shared, so that one is refined per instance.
const wasm = (globalThis as unknown as { WebAssembly?: Record<string, unknown> }).WebAssembly;
if (wasm) {
  const exportsOf = wasm.Module as unknown as { exports: (m: unknown) => unknown };
  const memoryBuffer = Object.getOwnPropertyDescriptor((wasm.Memory as { prototype: object }).prototype, 'buffer')?.get;
  const brandCall =
    (fn: (() => unknown) | undefined) =>
    (o: object): boolean => {
      if (!fn) return true;
      try {
        fn.call(o);
        return true;
      } catch {
        return false;
      }
    };
  addHost(wasm.Module, 'WebAssembly.Module', 'wasm-module', false);
  const moduleInfo = hostClasses.get((wasm.Module as { prototype: object }).prototype);
  if (moduleInfo) {
    hostClasses.set((wasm.Module as { prototype: object }).prototype, {
      ...moduleInfo,
      isInstance: (o) => {
        try {
          apply(exportsOf.exports, exportsOf, [o]);
          return true;
        } catch {
          return false;
        }
      },
    });
  }
  const memoryProto = (wasm.Memory as { prototype: object }).prototype;
  const sharedMemory: HostInfo = { name: 'WebAssembly.Memory', kind: 'wasm-shared-memory', host: false, isInstance: () => true };
  hostClasses.set(memoryProto, {
    name: 'WebAssembly.Memory',
    kind: 'wasm-memory',
    host: false,
    isInstance: brandCall(memoryBuffer as (() => unknown) | undefined),
    refine: (o) => (memoryBuffer && isSharedArrayBuffer(apply(memoryBuffer, o, [])) ? sharedMemory : undefined),
  });
  const getterOf = (ctor: unknown, key: string) =>
    typeof ctor === 'function'
      ? (Object.getOwnPropertyDescriptor((ctor as { prototype: object }).prototype, key)?.get as (() => unknown) | undefined)
      : undefined;
  for (const [name, key] of [
    ['Global', 'value'],
    ['Table', 'length'],
    ['Instance', 'exports'],
    ['Tag', ''],
    ['Exception', ''],
  ] as const) {
    const ctor = wasm[name];
    if (typeof ctor !== 'function') continue;
    const proto = (ctor as { prototype: object }).prototype;
    hostClasses.set(proto, { name: `WebAssembly.${name}`, kind: 'wasm-other', host: false, isInstance: brandCall(key ? getterOf(ctor, key) : undefined) });
  }
}

/**
 * An object of Node's native layer that no table names (a vm.Script, a v8.Serializer, a TLS
 * context, a DNS channel, ...): a prototype whose constructor is native code but no built-in of
 * the language or the web platform. Such objects carry internal fields: structured clone refuses
 * them, Node's IPC serializer sends `{ ...object }`, v8.serialize() throws.
 */
function nativeHostInfo(proto: object): HostInfo | undefined {
  if (builtinPrototypes.has(proto) || ITERATOR_PROTOTYPES.has(proto) || foreignBuiltinName(proto) !== undefined) return undefined;
  const source = nativeConstructorSource(proto);
  if (source === undefined || !stringStartsWith(source, 'function ')) return undefined;
  return { name: constructorName(proto) ?? 'native object', kind: 'native', host: true, isInstance: () => true };
}

/**
 * The source of the constructor whose own `prototype` is `proto`, when it is written in native code
 * (`function X() { [native code] }`); undefined for a user's class or function, or a Proxy.
 */
function nativeConstructorSource(proto: object): string | undefined {
  const ctor = getOwnPropertyDescriptor(proto, 'constructor')?.value as unknown;
  if (typeof ctor !== 'function' || isProxy(ctor)) return undefined;
  if (getOwnPropertyDescriptor(ctor, 'prototype')?.value !== proto) return undefined;
  let source: string;
  try {
    source = functionToString(ctor);
  } catch {
    return undefined;
  }
  return stringEndsWith(source, '{ [native code] }') ? source : undefined;
}

/**
 * Host types (as the registry names them) whose every instance Node makes from an internal subclass
 * of its own (SecretKeyObject, InternalCryptoKey) and rebuilds as one: a user's subclass of them is
 * not what decides what arrives.
 */
export const HOSTS_REBUILT_AS_SUBCLASS: ReadonlySet<string> = new SafeSet(['KeyObject', 'CryptoKey']);

/** Node's fs/promises FileHandle, told by the own symbols every instance has (a class merely named so has none). */
const FILE_HANDLE: HostInfo = {
  name: 'FileHandle',
  kind: 'transfer-only',
  host: true,
  isInstance: (o) => {
    const symbols = getOwnPropertySymbols(o);
    let fd = false;
    let handle = false;
    for (let i = 0; i < symbols.length; i++) {
      const description = symbolDescription(symbols[i]!);
      if (description === 'kFd') fd = true;
      else if (description === 'kHandle') handle = true;
    }
    return fd && handle;
  },
};

/** The first Node or web-platform class on a prototype chain, if any. */
export function hostInfoOfChain(chain: readonly object[]): HostInfo | undefined {
  // fs/promises does not export its FileHandle class: know it by its constructor's name, before the
  // native class it extends on Node 20 (JSTransferable) is taken for it.
  const ctor = chain.length > 0 && !isProxy(chain[0]) ? getOwnPropertyDescriptor(chain[0]!, 'constructor')?.value : undefined;
  if (typeof ctor === 'function' && !isProxy(ctor) && getOwnPropertyDescriptor(ctor, 'name')?.value === 'FileHandle') return FILE_HANDLE;
  for (let i = 0; i < chain.length; i++) {
    const info = hostClasses.get(chain[i]!) ?? nativeHostInfo(chain[i]!);
    if (info) return info;
  }
  return undefined;
}

/** The name a prototype's own \`constructor\` gives itself, read without running anything. */
export function constructorName(proto: object): string | undefined {
  if (isProxy(proto)) return undefined;
  const ctor = getOwnPropertyDescriptor(proto, 'constructor')?.value as unknown;
  if (typeof ctor !== 'function' || isProxy(ctor)) return undefined;
  const name = getOwnPropertyDescriptor(ctor, 'name')?.value as unknown;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

const FOREIGN_BUILTINS = new SafeSet([
  'Object',
  'Array',
  'Date',
  'RegExp',
  'Map',
  'Set',
  ...ERROR_TYPE_NAMES,
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Number',
  'String',
  'Boolean',
  'BigInt',
  'Symbol',
  'Promise',
  'WeakMap',
  'WeakSet',
  'WeakRef',
  'FinalizationRegistry',
  'SuppressedError',
  'Function',
  'AsyncFunction',
  'GeneratorFunction',
  'AsyncGeneratorFunction',
  'DisposableStack',
  'AsyncDisposableStack',
  ...TYPED_ARRAY_NAMES,
]);
const INTL_NAMES = new SafeSet(Object.getOwnPropertyNames(Intl));

/**
 * A built-in prototype of another realm (a \`vm\` context): recognised by being its constructor's own
 * \`prototype\`, with the constructor named like a built-in and written in native code.
 */
export function foreignBuiltinName(proto: object): string | undefined {
  const name = constructorName(proto);
  const builtin = name === undefined ? undefined : FOREIGN_BUILTINS.has(name) ? name : INTL_NAMES.has(name) ? `Intl.${name}` : undefined;
  return builtin !== undefined && nativeConstructorSource(proto) !== undefined ? builtin : undefined;
}

export { ITERATOR_PROTOTYPES };

/**
 * The engine type that no serializer writes (an Intl object, an iterator, a DisposableStack, ...) of
 * an object the slot checks did not place, whatever its prototype: an Intl type on its chain whose
 * brand check it passes (a subclass's instance), or, for a keyless object without a prototype or
 * whose own prototype is a built-in's (\`ownBuiltin\`), the serializer's own refusal. Undefined for
 * an ordinary object.
 */
export function engineType(
  o: object,
  info: { readonly chain: readonly object[]; readonly builtins: readonly string[]; readonly ownBuiltin: string | undefined },
): string | undefined {
  const names = info.builtins;
  for (let n = 0; n < names.length; n++) if (intlBrandPasses(names[n]!, o)) return names[n];
  const own = info.ownBuiltin;
  if (info.chain.length > 0 && own === undefined) return undefined;
  if (!isKeyless(o)) return own !== undefined && ITERATOR_NAMES.has(own) ? own : undefined;
  if (!serializerRefuses(o)) return undefined;
  return own ?? intlTypeOf(o) ?? 'built-in object without its prototype';
}

/** The name of a built-in, iterator or Intl prototype, of this realm or another. */
export function nameOfPrototype(p: object): string | undefined {
  return builtinPrototypes.get(p) ?? ITERATOR_PROTOTYPES.get(p) ?? foreignBuiltinName(p) ?? foreignIteratorName(p);
}

/** The global object of another realm (a vm context): it names itself as its own `globalThis`. */
export function isForeignGlobal(o: object): boolean {
  return getOwnPropertyDescriptor(o, 'globalThis')?.value === o;
}

const wasmMemoryBuffer = Object.getOwnPropertyDescriptor(
  (globalThis as unknown as { WebAssembly?: { Memory: { prototype: object } } }).WebAssembly?.Memory.prototype ?? {},
  'buffer',
)?.get;

/** The size of a WebAssembly.Memory's buffer, read with V8's own getter. */
export function wasmMemoryBytes(o: object): number {
  try {
    const buffer = wasmMemoryBuffer ? (apply(wasmMemoryBuffer, o, []) as ArrayBufferLike) : undefined;
    return buffer ? bufferByteLength(buffer) : 0;
  } catch {
    return 0;
  }
}

/** The toJSON methods of built-in and platform classes (they return data, they do not run user code). */
export const INTRINSIC_TOJSON = new SafeSet<unknown>([Date.prototype.toJSON, BUFFER_PROTOTYPE.toJSON, URL.prototype.toJSON]);

/** The native Error types the serializers keep; any other error arrives as one of these. */
export const NATIVE_ERROR_NAMES = new SafeSet(['EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError']);

/**
 * The host type of an object whose prototype was replaced by Object.prototype or null but which
 * still carries a Node host instance's own symbols (a Blob given another prototype): Node's
 * serializers still take it for a host object, without the methods its prototype gave it. The
 * caller has seen that `o` has own symbols (every brand is one).
 */
export function hostOfReprototyped(o: object): HostInfo | undefined {
  for (let i = 0; i < SYMBOL_BRANDS.length; i++) {
    const brand = SYMBOL_BRANDS[i]!;
    if (brand.is(o)) return hostClasses.get(brand.proto);
  }
  return undefined;
}
