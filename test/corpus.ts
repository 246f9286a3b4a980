// The fixed corpus: one or more explicit cases per rule, with the codes expected on each channel.
// `check.test.ts` holds the checker to these; `reality.test.ts` sends every case through the real
// channels, so an expectation that Node contradicts fails there too.
import { Buffer } from 'node:buffer';
import * as crypto from 'node:crypto';
import * as net from 'node:net';
import * as vm from 'node:vm';
import type { FindingCode } from '../src/codes.js';

export interface CorpusCase {
  readonly name: string;
  readonly make: () => unknown;
  /** Codes per channel, in any order, duplicates ignored. Omitted channel = no finding. */
  readonly worker?: readonly FindingCode[];
  readonly fork?: readonly FindingCode[];
  readonly 'fork-advanced'?: readonly FindingCode[];
  readonly json?: readonly FindingCode[];
  readonly v8?: readonly FindingCode[];
  /** Leave out of the real-channel comparison (the reason says why). */
  readonly notSent?: string;
}

class Point {
  #secret = 1;
  constructor(
    public x = 1,
    public y = 2,
  ) {}
  norm(): number {
    return Math.hypot(this.x, this.y) + this.#secret;
  }
  get len(): number {
    return 2;
  }
}
class MyArray extends Array<number> {}
class MyMap extends Map<string, number> {}
class MySet extends Set<number> {}
class MyDate extends Date {}
class MyError extends Error {}
class MyTypeError extends TypeError {}
class NamedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NamedError';
  }
}
class MyU8 extends Uint8Array {}
class WithToJSON {
  a = 1;
  toJSON(): unknown {
    return { a: this.a };
  }
}

const pooled = (text: string): Buffer => Buffer.from(text);
const ctx = vm.createContext({});

export const corpus: readonly CorpusCase[] = [
  // primitives and the top level
  { name: 'plain data', make: () => ({ a: 1, b: 'two', c: [3, true, null], d: { e: 'x' } }) },
  { name: 'top-level undefined', make: () => undefined, fork: ['SEND_REFUSES_VALUE'], 'fork-advanced': ['SEND_REFUSES_VALUE'] },
  { name: 'top-level bigint', make: () => 10n, fork: ['SEND_REFUSES_VALUE'], 'fork-advanced': ['SEND_REFUSES_VALUE'] },
  {
    name: 'top-level symbol',
    make: () => Symbol('s'),
    worker: ['SYMBOL_NOT_CLONEABLE'],
    fork: ['SEND_REFUSES_VALUE'],
    'fork-advanced': ['SEND_REFUSES_VALUE'],
  },
  {
    name: 'top-level arrow function',
    make: () => () => 1,
    worker: ['FUNCTION_NOT_CLONEABLE'],
    fork: ['SEND_REFUSES_VALUE'],
    'fork-advanced': ['SEND_REFUSES_VALUE'],
  },
  { name: 'NaN, -0, Infinity', make: () => ({ nan: NaN, negZero: -0, inf: Infinity, list: [-Infinity] }), fork: ['NUMBER_NOT_JSON'] },
  { name: 'bigint property', make: () => ({ n: 10n }), fork: ['BIGINT_NOT_JSON'] },
  { name: 'boxed bigint', make: () => ({ n: Object(1n) }), fork: ['BIGINT_NOT_JSON'] },
  { name: 'undefined property', make: () => ({ a: undefined, b: 1 }), fork: ['UNDEFINED_DROPPED'] },
  {
    name: 'symbol value',
    make: () => ({ s: Symbol('v') }),
    worker: ['SYMBOL_NOT_CLONEABLE'],
    fork: ['SYMBOL_VALUE_DROPPED'],
    'fork-advanced': ['SYMBOL_NOT_CLONEABLE'],
  },
  {
    name: 'undefined, function and symbol in an array',
    make: () => ({ list: [undefined, 1] }),
    fork: ['ARRAY_ELEMENT_BECOMES_NULL'],
  },
  { name: 'holes', make: () => ({ list: [1, , 3] }), fork: ['ARRAY_HOLES_BECOME_NULL'] },
  {
    name: 'array of length 2**32-1 with one element',
    make: () => Object.assign(new Array(2 ** 32 - 1), { 5: 'x' }),
    fork: ['JSON_TOO_LONG'],
    notSent: 'the worker and fork-advanced copies are fine but slow to describe; JSON_TOO_LONG is checked by hand below',
  },

  // functions
  ...(
    [
      ['arrow', () => () => 1],
      ['async', () => async () => 1],
      ['generator', () => function* gen() {}],
      ['class', () => class Foo {}],
      ['bound', () => function f() {}.bind(null)],
      ['method', () => ({ m() {} }).m],
      ['built-in', () => Math.max],
    ] as const
  ).map(
    ([kind, make]): CorpusCase => ({
      name: `${kind} function in an object`,
      make: () => ({ fn: make(), keep: 1 }),
      worker: ['FUNCTION_NOT_CLONEABLE'],
      fork: ['FUNCTION_DROPPED'],
      'fork-advanced': ['FUNCTION_NOT_CLONEABLE'],
    }),
  ),
  {
    name: 'function in an array',
    make: () => [1, () => 2],
    worker: ['FUNCTION_NOT_CLONEABLE'],
    fork: ['ARRAY_ELEMENT_BECOMES_NULL'],
    'fork-advanced': ['FUNCTION_NOT_CLONEABLE'],
  },
  { name: 'non-enumerable function', make: () => Object.defineProperty({ a: 1 }, 'fn', { value: () => 1 }), worker: ['NON_ENUMERABLE_DROPPED'], fork: ['NON_ENUMERABLE_DROPPED'], 'fork-advanced': ['NON_ENUMERABLE_DROPPED'] },

  // prototypes and classes
  {
    name: 'class instance with #private',
    make: () => new Point(),
    worker: ['PROTOTYPE_LOST', 'PRIVATE_FIELDS_DROPPED'],
    fork: ['PROTOTYPE_LOST', 'PRIVATE_FIELDS_DROPPED'],
    'fork-advanced': ['PROTOTYPE_LOST', 'PRIVATE_FIELDS_DROPPED'],
  },
  { name: 'Object.create(proto)', make: () => Object.create({ inherited: 1 }, { own: { value: 2, enumerable: true, writable: true, configurable: true } }), worker: ['PROTOTYPE_LOST'], fork: ['PROTOTYPE_LOST'], 'fork-advanced': ['PROTOTYPE_LOST'] },
  { name: 'null prototype', make: () => Object.assign(Object.create(null), { a: 1 }), worker: ['NULL_PROTOTYPE_LOST'], fork: ['NULL_PROTOTYPE_LOST'], 'fork-advanced': ['NULL_PROTOTYPE_LOST'] },
  { name: 'Array subclass', make: () => MyArray.from([1, 2]), worker: ['SUBCLASS_LOST'], fork: ['SUBCLASS_LOST'], 'fork-advanced': ['SUBCLASS_LOST'] },
  { name: 'Map subclass', make: () => new MyMap([['a', 1]]), worker: ['SUBCLASS_LOST'], fork: ['MAP_BECOMES_OBJECT'], 'fork-advanced': ['SUBCLASS_LOST'] },
  { name: 'Set subclass', make: () => new MySet([1]), worker: ['SUBCLASS_LOST'], fork: ['SET_BECOMES_OBJECT'], 'fork-advanced': ['SUBCLASS_LOST'] },
  { name: 'Date subclass', make: () => new MyDate(0), worker: ['SUBCLASS_LOST'], fork: ['DATE_BECOMES_STRING'], 'fork-advanced': ['SUBCLASS_LOST'] },
  { name: 'typed array subclass', make: () => new MyU8([1, 2]), worker: ['SUBCLASS_LOST'], fork: ['TYPED_ARRAY_BECOMES_OBJECT'], 'fork-advanced': ['SUBCLASS_LOST', 'VIEW_REBASED'] },
  { name: 'class instance with toJSON', make: () => new WithToJSON(), worker: ['PROTOTYPE_LOST'], fork: ['PROTOTYPE_LOST', 'TOJSON_CALLED'], 'fork-advanced': ['PROTOTYPE_LOST'] },

  // accessors, keys, integrity
  { name: 'own enumerable getter', make: () => ({ get v() { return 1; } }), worker: ['ACCESSOR_FLATTENED'], fork: ['ACCESSOR_FLATTENED'], 'fork-advanced': ['ACCESSOR_FLATTENED'] },
  { name: 'setter only', make: () => ({ set v(_x: number) {} }), worker: ['ACCESSOR_FLATTENED'], fork: ['UNDEFINED_DROPPED'], 'fork-advanced': ['ACCESSOR_FLATTENED'] },
  {
    name: 'MessageChannel',
    make: () => { const mc = new MessageChannel(); mc.port1.close(); return { mc }; },
    worker: ['PROTOTYPE_LOST', 'TRANSFER_REQUIRED'],
    fork: ['PROTOTYPE_LOST', 'HOST_OBJECT_BECOMES_OBJECT'],
    'fork-advanced': ['PROTOTYPE_LOST', 'HOST_OBJECT_BECOMES_OBJECT'],
  },
  { name: 'BroadcastChannel', make: () => { const bc = new BroadcastChannel('cc'); bc.close(); return { bc }; }, worker: ['PLATFORM_OBJECT_BECOMES_PLAIN'], fork: ['PLATFORM_OBJECT_BECOMES_PLAIN'], 'fork-advanced': ['PLATFORM_OBJECT_BECOMES_PLAIN'] },
  { name: 'non-enumerable getter', make: () => Object.defineProperty({}, 'v', { get: () => 1 }), worker: ['NON_ENUMERABLE_DROPPED'], fork: ['NON_ENUMERABLE_DROPPED'], 'fork-advanced': ['NON_ENUMERABLE_DROPPED'] },
  { name: 'symbol key', make: () => ({ [Symbol('hidden')]: 1, visible: 2 }), worker: ['SYMBOL_KEY_DROPPED'], fork: ['SYMBOL_KEY_DROPPED'], 'fork-advanced': ['SYMBOL_KEY_DROPPED'] },
  { name: 'frozen object', make: () => Object.freeze({ a: 1 }), worker: ['INTEGRITY_LOST'], fork: ['INTEGRITY_LOST'], 'fork-advanced': ['INTEGRITY_LOST'] },
  { name: 'sealed object', make: () => Object.seal({ a: 1 }), worker: ['INTEGRITY_LOST'], fork: ['INTEGRITY_LOST'], 'fork-advanced': ['INTEGRITY_LOST'] },
  { name: 'non-extensible object', make: () => Object.preventExtensions({ a: 1 }), worker: ['INTEGRITY_LOST'], fork: ['INTEGRITY_LOST'], 'fork-advanced': ['INTEGRITY_LOST'] },
  { name: 'read-only property', make: () => Object.defineProperty({}, 'ro', { value: 1, enumerable: true }), worker: ['READONLY_LOST'], fork: ['READONLY_LOST'], 'fork-advanced': ['READONLY_LOST'] },
  { name: 'extra property on an array', make: () => Object.assign([1, 2], { meta: 'x' }), fork: ['EXTRA_PROPERTY_DROPPED'] },
  { name: 'extra property on a Map', make: () => Object.assign(new Map([['k', 1]]), { meta: 'x' }), worker: ['EXTRA_PROPERTY_DROPPED'], fork: ['MAP_BECOMES_OBJECT'], 'fork-advanced': ['EXTRA_PROPERTY_DROPPED'] },
  { name: 'extra property on a Date', make: () => Object.assign(new Date(0), { tz: 'UTC' }), worker: ['EXTRA_PROPERTY_DROPPED'], fork: ['DATE_BECOMES_STRING'], 'fork-advanced': ['EXTRA_PROPERTY_DROPPED'] },
  { name: 'extra property on a boxed number', make: () => Object.assign(new Number(42), { unit: 'ms' }), worker: ['EXTRA_PROPERTY_DROPPED'], fork: ['BOXED_PRIMITIVE_UNBOXED'], 'fork-advanced': ['EXTRA_PROPERTY_DROPPED'] },
  { name: 'RegExp lastIndex', make: () => Object.assign(/a/g, { lastIndex: 3 }), worker: ['REGEXP_LASTINDEX_RESET'], fork: ['BUILTIN_BECOMES_OBJECT'], 'fork-advanced': ['REGEXP_LASTINDEX_RESET'] },

  // built-ins on JSON
  { name: 'Date', make: () => ({ at: new Date(0) }), fork: ['DATE_BECOMES_STRING'] },
  { name: 'invalid Date', make: () => ({ at: new Date(NaN) }), fork: ['INVALID_DATE_BECOMES_NULL'] },
  { name: 'Map', make: () => ({ cache: new Map([['k', { v: 1 }]]) }), fork: ['MAP_BECOMES_OBJECT'] },
  { name: 'Set', make: () => ({ ids: new Set([1, 2]) }), fork: ['SET_BECOMES_OBJECT'] },
  { name: 'RegExp', make: () => ({ re: /ab+c/gi }), fork: ['BUILTIN_BECOMES_OBJECT'] },
  { name: 'boxed string', make: () => ({ s: new String('str') }), fork: ['BOXED_PRIMITIVE_UNBOXED'] },
  { name: 'ArrayBuffer', make: () => ({ ab: new ArrayBuffer(8) }), fork: ['BUILTIN_BECOMES_OBJECT'] },
  { name: 'Float64Array', make: () => ({ f: new Float64Array([1.5, -0]) }), fork: ['TYPED_ARRAY_BECOMES_OBJECT'], 'fork-advanced': ['VIEW_REBASED'] },
  { name: 'BigInt64Array', make: () => ({ b: new BigInt64Array([1n]) }), fork: ['BIGINT_NOT_JSON'], 'fork-advanced': ['VIEW_REBASED'] },
  { name: 'DataView', make: () => ({ dv: new DataView(new ArrayBuffer(4)) }), fork: ['BUILTIN_BECOMES_OBJECT'], 'fork-advanced': ['VIEW_REBASED'] },
  { name: 'shared reference', make: () => { const s = { v: 1 }; return { x: s, y: s }; }, fork: ['SHARED_REFERENCE_DUPLICATED'] },
  { name: 'cycle', make: () => { const o: Record<string, unknown> = { a: 1 }; o.self = o; return o; }, fork: ['CIRCULAR_NOT_JSON'] },
  { name: 'Map holding itself', make: () => { const m = new Map<string, unknown>(); m.set('me', m); return m; }, fork: ['MAP_BECOMES_OBJECT'] },
  { name: 'NODE_ command', make: () => ({ cmd: 'NODE_APP_READY', x: 1 }), fork: ['MESSAGE_SWALLOWED'], 'fork-advanced': ['MESSAGE_SWALLOWED'] },

  // errors
  { name: 'TypeError', make: () => new TypeError('bad'), fork: ['ERROR_BECOMES_OBJECT'] },
  { name: 'Error with cause', make: () => new Error('outer', { cause: new Error('inner') }), fork: ['ERROR_BECOMES_OBJECT'] },
  { name: 'Error subclass', make: () => new MyError('x'), worker: ['ERROR_TYPE_CHANGED'], fork: ['ERROR_BECOMES_OBJECT'], 'fork-advanced': ['ERROR_TYPE_CHANGED'] },
  { name: 'TypeError subclass', make: () => new MyTypeError('x'), worker: ['ERROR_TYPE_CHANGED'], fork: ['ERROR_BECOMES_OBJECT'], 'fork-advanced': ['ERROR_TYPE_CHANGED'] },
  { name: 'Error with own name', make: () => new NamedError('x'), worker: ['ERROR_TYPE_CHANGED', 'ERROR_NAME_DROPPED'], fork: ['ERROR_BECOMES_OBJECT'], 'fork-advanced': ['ERROR_TYPE_CHANGED', 'ERROR_NAME_DROPPED'] },
  { name: 'Error with code', make: () => Object.assign(new Error('x'), { code: 'E_X' }), worker: ['ERROR_PROPERTY_DROPPED'], fork: ['ERROR_BECOMES_OBJECT'], 'fork-advanced': ['ERROR_PROPERTY_DROPPED'] },
  { name: 'Error without a stack', make: () => { const e = new Error('x'); delete e.stack; return e; }, worker: ['ERROR_FIELD_CHANGED'], fork: ['ERROR_BECOMES_OBJECT'], 'fork-advanced': ['ERROR_FIELD_CHANGED'] },
  { name: 'Error with an enumerable message', make: () => Object.defineProperty(new Error(), 'message', { value: 'm', enumerable: true, writable: true, configurable: true }), worker: ['ERROR_FIELD_CHANGED'], fork: ['ERROR_BECOMES_OBJECT'], 'fork-advanced': ['ERROR_FIELD_CHANGED'] },
  { name: 'AggregateError', make: () => new AggregateError([new Error('a')], 'many'), worker: ['ERROR_TYPE_CHANGED', 'ERROR_PROPERTY_DROPPED'], fork: ['ERROR_BECOMES_OBJECT'], 'fork-advanced': ['ERROR_TYPE_CHANGED', 'ERROR_PROPERTY_DROPPED'] },

  // uncloneable kinds
  ...(
    [
      ['Promise', () => Promise.resolve(1)],
      ['WeakMap', () => new WeakMap()],
      ['WeakSet', () => new WeakSet()],
      ['WeakRef', () => new WeakRef({})],
      ['FinalizationRegistry', () => new FinalizationRegistry(() => {})],
      ['generator object', () => (function* g() {})()],
      ['Map iterator', () => new Map().keys()],
      ['array iterator', () => [1][Symbol.iterator]()],
      ['arguments object', function (this: unknown) { return (function (..._a: unknown[]) { return arguments; })(1, 2); }],
      ['Intl.DateTimeFormat', () => new Intl.DateTimeFormat('en')],
    ] as const
  ).map(
    ([kind, make]): CorpusCase => ({
      name: kind,
      make: () => ({ v: make() }),
      worker: ['UNCLONEABLE_TYPE'],
      fork: ['BUILTIN_BECOMES_OBJECT'],
      'fork-advanced': ['UNCLONEABLE_TYPE'],
    }),
  ),
  { name: 'Proxy', make: () => ({ p: new Proxy({ a: 1 }, {}) }), worker: ['PROXY_NOT_CLONEABLE'], fork: ['PROXY_UNWRAPPED'], 'fork-advanced': ['PROXY_NOT_CLONEABLE'] },
  {
    name: 'revoked Proxy',
    make: () => { const r = Proxy.revocable({}, {}); r.revoke(); return { p: r.proxy }; },
    worker: ['REVOKED_PROXY'],
    fork: ['REVOKED_PROXY'],
    'fork-advanced': ['REVOKED_PROXY'],
  },

  // memory
  { name: 'SharedArrayBuffer', make: () => ({ sab: new SharedArrayBuffer(8) }), worker: ['SHARED_MEMORY'], fork: ['BUILTIN_BECOMES_OBJECT'], 'fork-advanced': ['SHARED_MEMORY_NOT_SERIALIZABLE'] },
  { name: 'view over a SharedArrayBuffer', make: () => ({ counts: new Int32Array(new SharedArrayBuffer(8)) }), worker: ['SHARED_MEMORY'], fork: ['TYPED_ARRAY_BECOMES_OBJECT'], 'fork-advanced': ['SHARED_VIEW_COPIED'] },
  { name: 'view into a bigger buffer', make: () => ({ u: new Uint8Array(new ArrayBuffer(16), 4, 8) }), worker: ['BACKING_STORE_COPIED'], fork: ['TYPED_ARRAY_BECOMES_OBJECT'], 'fork-advanced': ['VIEW_REBASED'] },
  { name: 'pooled Buffer', make: () => ({ b: pooled('hi') }), worker: ['BUFFER_BECOMES_UINT8ARRAY', 'BACKING_STORE_COPIED'], fork: ['BUFFER_BECOMES_JSON'], 'fork-advanced': ['VIEW_REBASED'] },
  { name: 'unpooled Buffer', make: () => ({ b: Buffer.alloc(4, 1) }), worker: ['BUFFER_BECOMES_UINT8ARRAY'], fork: ['BUFFER_BECOMES_JSON'], 'fork-advanced': ['VIEW_REBASED'] },
  {
    name: 'detached ArrayBuffer',
    make: () => { const ab = new ArrayBuffer(8); structuredClone(ab, { transfer: [ab] }); return { ab }; },
    worker: ['DETACHED_BUFFER'],
    fork: ['BUILTIN_BECOMES_OBJECT'],
    'fork-advanced': ['DETACHED_BUFFER'],
  },
  { name: 'resizable ArrayBuffer', make: () => ({ ab: new ArrayBuffer(4, { maxByteLength: 16 }) }), fork: ['BUILTIN_BECOMES_OBJECT'] },

  // Node and web-platform objects
  { name: 'URL', make: () => ({ u: new URL('https://example.com/p?q=1') }), worker: ['PLATFORM_OBJECT_BECOMES_PLAIN'], fork: ['PLATFORM_OBJECT_BECOMES_PLAIN'], 'fork-advanced': ['PLATFORM_OBJECT_BECOMES_PLAIN'] },
  { name: 'Headers', make: () => ({ h: new Headers({ a: '1' }) }), worker: ['PLATFORM_OBJECT_BECOMES_PLAIN'], fork: ['PLATFORM_OBJECT_BECOMES_PLAIN'], 'fork-advanced': ['PLATFORM_OBJECT_BECOMES_PLAIN'] },
  { name: 'BlockList', make: () => ({ list: new net.BlockList() }), worker: ['HOST_OBJECT_PROTOTYPE_CHANGED'], fork: ['HOST_OBJECT_BECOMES_OBJECT'], 'fork-advanced': ['HOST_OBJECT_BECOMES_OBJECT'] },
  { name: 'KeyObject', make: () => ({ key: crypto.createSecretKey(Buffer.alloc(16, 1)) }), fork: ['HOST_OBJECT_BECOMES_OBJECT'], 'fork-advanced': ['HOST_OBJECT_BECOMES_OBJECT'] },
  { name: 'Blob', make: () => ({ blob: new Blob(['hello']) }), fork: ['HOST_OBJECT_BECOMES_OBJECT'], 'fork-advanced': ['HOST_OBJECT_BECOMES_OBJECT'] },
  { name: 'File', make: () => ({ file: new File(['x'], 'f.txt') }), worker: ['FILE_BECOMES_BLOB'], fork: ['HOST_OBJECT_BECOMES_OBJECT'], 'fork-advanced': ['HOST_OBJECT_BECOMES_OBJECT'] },
  { name: 'MessagePort without transfer', make: () => { const { port1, port2 } = new MessageChannel(); port1.close(); port2.close(); return { port: port1 }; }, worker: ['TRANSFER_REQUIRED'], fork: ['HOST_OBJECT_BECOMES_OBJECT'], 'fork-advanced': ['HOST_OBJECT_BECOMES_OBJECT'] },

  // other realms
  { name: 'objects from a vm context', make: () => vm.runInContext('({ list: [1, 2], at: new Date(0), m: new Map([["k", 1]]) })', ctx), fork: ['DATE_BECOMES_STRING', 'MAP_BECOMES_OBJECT'] },
  { name: 'class instance from a vm context', make: () => vm.runInContext('new (class Foo { constructor() { this.a = 1 } })()', ctx), worker: ['PROTOTYPE_LOST'], fork: ['PROTOTYPE_LOST'], 'fork-advanced': ['PROTOTYPE_LOST'] },
];
