// The one registry of built-in and host types: what a prototype is, by identity, in this realm
// or another (\`vm\`), and how Node's own classes cross each kind of channel.
import * as crypto from 'node:crypto';
import * as net from 'node:net';
import * as perfHooks from 'node:perf_hooks';
import * as streamWeb from 'node:stream/web';
import { MessagePort, BroadcastChannel } from 'node:worker_threads';
import { BUFFER_PROTOTYPE, functionToString, getOwnPropertyDescriptor, isProxy } from './intrinsics.js';

/** Names of the built-in prototypes of this realm, for naming what a value is. */
const builtinPrototypes = new Map<object, string>();
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
  | 'uncloneable'; // structured clone throws

export interface HostInfo {
  readonly name: string;
  readonly kind: HostKind;
  /** Node treats it as a host object: fork-advanced sends `{ ...object }`. */
  readonly host: boolean;
}

const hostClasses = new Map<object, HostInfo>();
const addHost = (ctor: unknown, name: string, kind: HostKind, host: boolean): void => {
  const proto = typeof ctor === 'function' ? (ctor as { prototype?: unknown }).prototype : undefined;
  if (proto && typeof proto === 'object') hostClasses.set(proto, { name, kind, host });
};

addHost(crypto.KeyObject, 'KeyObject', 'cloneable', true);
addHost((globalThis.crypto as unknown as { CryptoKey?: unknown } | undefined)?.CryptoKey ?? (crypto.webcrypto as unknown as { CryptoKey?: unknown }).CryptoKey, 'CryptoKey', 'cloneable', true);
addHost(globalThis.File, 'File', 'file', true);
addHost(globalThis.Blob, 'Blob', 'cloneable', true);
addHost(crypto.X509Certificate, 'X509Certificate', 'extra-prototype', true);
addHost(net.BlockList, 'BlockList', 'extra-prototype', true);
addHost(net.SocketAddress, 'SocketAddress', 'extra-prototype', true);
{
  const recordable = Object.getPrototypeOf(perfHooks.createHistogram()) as object;
  hostClasses.set(recordable, { name: 'RecordableHistogram', kind: 'cloneable', host: true });
}
addHost(MessagePort, 'MessagePort', 'transfer-only', true);
addHost(streamWeb.ReadableStream, 'ReadableStream', 'transfer-only', true);
addHost(streamWeb.WritableStream, 'WritableStream', 'transfer-only', true);
addHost(streamWeb.TransformStream, 'TransformStream', 'transfer-only', true);
// A MessageChannel is an ordinary object holding two ports (they need the transferList).
addHost(BroadcastChannel, 'BroadcastChannel', 'platform', false);
for (const name of [
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
]) {
  addHost((globalThis as Record<string, unknown>)[name], name, 'platform', false);
}

const FILE_HANDLE: HostInfo = { name: 'FileHandle', kind: 'transfer-only', host: true };

/** The first Node or web-platform class on a prototype chain, if any. */
export function hostInfoOfChain(chain: readonly object[]): HostInfo | undefined {
  for (let i = 0; i < chain.length; i++) {
    const info = hostClasses.get(chain[i]!);
    if (info) return info;
  }
  // fs/promises does not export its FileHandle class: know it by its constructor's name.
  const ctor = chain.length > 0 && !isProxy(chain[0]) ? getOwnPropertyDescriptor(chain[0]!, 'constructor')?.value : undefined;
  if (typeof ctor === 'function' && !isProxy(ctor) && getOwnPropertyDescriptor(ctor, 'name')?.value === 'FileHandle') return FILE_HANDLE;
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

const FOREIGN_BUILTINS = new Set([
  'Object', 'Array', 'Date', 'RegExp', 'Map', 'Set', 'Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError', 'AggregateError',
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Number', 'String', 'Boolean', 'BigInt', 'Symbol', 'Promise', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry',
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
  'Float16Array',
]);

/**
 * A built-in prototype of another realm (a \`vm\` context): recognised by being its constructor's own
 * \`prototype\`, with the constructor named like a built-in and written in native code.
 */
export function foreignBuiltinName(proto: object): string | undefined {
  const name = constructorName(proto);
  if (!name || !FOREIGN_BUILTINS.has(name)) return undefined;
  const ctor = getOwnPropertyDescriptor(proto, 'constructor')!.value as object;
  if (getOwnPropertyDescriptor(ctor, 'prototype')?.value !== proto) return undefined;
  let source: string;
  try {
    source = functionToString(ctor);
  } catch {
    return undefined;
  }
  return source.endsWith('{ [native code] }') ? name : undefined;
}

/** The iterator prototypes, which have no constructor of their own to name them. */
export const ITERATOR_PROTOTYPES = new Map<object, string>([
  [Object.getPrototypeOf([][Symbol.iterator]()) as object, 'Array Iterator'],
  [Object.getPrototypeOf(''[Symbol.iterator]()) as object, 'String Iterator'],
  [Object.getPrototypeOf(/a/g[Symbol.matchAll]('')) as object, 'RegExp String Iterator'],
  [Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())) as object, 'Iterator'],
]);

/** The toJSON methods of built-in and platform classes (they return data, they do not run user code). */
export const INTRINSIC_TOJSON = new Set<unknown>([Date.prototype.toJSON, BUFFER_PROTOTYPE.toJSON, URL.prototype.toJSON]);

/** The native Error types the serializers keep; any other error arrives as one of these. */
export const NATIVE_ERROR_NAMES = new Set(['EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError']);
