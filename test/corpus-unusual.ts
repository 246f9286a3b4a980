// Unusual but legal values: built-ins whose prototype was replaced, objects that merely inherit a
// built-in or host prototype, engine and native objects, host objects with properties of their
// own, odd Errors, views whose own properties lie, and JSON's own ways to throw. Each is judged by
// what it is inside, as the serializers judge it; `reality.test.ts` sends every one for real.
import * as dns from 'node:dns';
import * as crypto from 'node:crypto';
import * as tls from 'node:tls';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type { CorpusCase } from './corpus.js';

const WASM = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
// The WebAssembly namespace, typed just enough (the project's TypeScript libs do not describe it).
type Construct = new (...args: unknown[]) => object;
const WebAssembly = (globalThis as unknown as { WebAssembly: Record<'Module' | 'Memory' | 'Global' | 'Table' | 'Instance', Construct> }).WebAssembly;
const reproto = <T extends object>(o: T, proto: object | null): T => Object.setPrototypeOf(o, proto) as T;
const withStack = (d: PropertyDescriptor): Error => Object.defineProperty(new Error('m'), 'stack', d);
const revokedProxy = (): object => {
  const r = Proxy.revocable({}, {});
  r.revoke();
  return r.proxy;
};

// Not here: an Error given a non-enumerable `stack` data property of another type or with other
// attributes by hand. On Node 20, reading that descriptor could format V8's lazy stack (running
// Error.prepareStackTrace), so only an enumerable or accessor stack is read there (docs/codes.md).
const cases: readonly Pick<CorpusCase, 'name' | 'make'>[] = [
  { name: 'Map whose prototype is Object.prototype', make: () => reproto(new Map([[1, 2]]), Object.prototype) },
  { name: 'Set without a prototype', make: () => reproto(new Set([1]), null) },
  { name: 'Date whose prototype is Object.prototype', make: () => reproto(new Date(5), Object.prototype) },
  { name: 'Promise without a prototype', make: () => reproto(Promise.resolve(1), null) },
  { name: 'WeakRef without a prototype', make: () => reproto(new WeakRef({}), null) },
  { name: 'Uint8Array whose prototype is Object.prototype', make: () => reproto(new Uint8Array([1, 2]), Object.prototype) },
  { name: 'Error whose prototype is Object.prototype', make: () => reproto(new Error('x'), Object.prototype) },
  { name: 'ArrayBuffer whose prototype is Object.prototype', make: () => reproto(new ArrayBuffer(4), Object.prototype) },
  { name: 'Number object without a prototype', make: () => reproto(new Number(3), null) },
  { name: 'object made from Blob.prototype', make: () => Object.create(Blob.prototype) },
  { name: 'object made from Uint8Array.prototype', make: () => Object.create(Uint8Array.prototype) },
  { name: 'object made from Intl.NumberFormat.prototype', make: () => Object.create(Intl.NumberFormat.prototype) },
  {
    name: 'instance of a class named FileHandle',
    make: () =>
      new (class FileHandle {
        a = 1;
      })(),
  },
  { name: 'WebAssembly.Module', make: () => new WebAssembly.Module(WASM) },
  { name: 'WebAssembly.Memory', make: () => new WebAssembly.Memory({ initial: 1 }) },
  { name: 'shared WebAssembly.Memory', make: () => new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }) },
  { name: 'WebAssembly.Global', make: () => new WebAssembly.Global({ value: 'i32', mutable: true }, 1) },
  { name: 'WebAssembly.Table', make: () => new WebAssembly.Table({ element: 'anyfunc', initial: 1 }) },
  { name: 'WebAssembly.Instance', make: () => new WebAssembly.Instance(new WebAssembly.Module(WASM)) },
  { name: 'vm.Script', make: () => new vm.Script('1') },
  { name: 'v8.Serializer', make: () => new v8.Serializer() },
  { name: 'a TLS secure context', make: () => tls.createSecureContext() },
  { name: 'a DNS resolver', make: () => new dns.Resolver() },
  { name: 'Intl.NumberFormat', make: () => new Intl.NumberFormat() },
  { name: 'Intl segments', make: () => new Intl.Segmenter().segment('ab') },
  { name: "a vm context's global object", make: () => vm.runInNewContext('globalThis') },
  { name: 'URL with a method of its own', make: () => Object.assign(new URL('http://a/'), { f: () => 1 }) },
  { name: 'Blob with a BigInt of its own', make: () => Object.assign(new Blob(['a']), { n: 1n }) },
  {
    name: 'Event that refers to itself',
    make: () => {
      const e = new Event('x');
      Object.assign(e, { self: e });
      return e;
    },
  },
  { name: 'KeyObject with a property of its own', make: () => Object.assign(crypto.createSecretKey(new Uint8Array([1, 2, 3])), { extra: 1 }) },
  { name: 'Error named by a symbol', make: () => Object.defineProperty(new Error('m'), 'name', { value: Symbol('n') }) },
  {
    name: 'Error whose message is a symbol',
    make: () => Object.defineProperty(new Error(), 'message', { value: Symbol('m'), writable: true, configurable: true }),
  },
  { name: 'Error with an enumerable stack', make: () => withStack({ value: 'x', enumerable: true, writable: true, configurable: true }) },
  { name: 'Error whose stack is a getter', make: () => withStack({ get: () => 'x', configurable: true }) },
  {
    name: 'Error that is its own cause',
    make: () => {
      const e = new Error('m');
      Object.assign(e, { cause: e });
      return e;
    },
  },
  {
    name: 'Errors that are each other’s cause',
    make: () => {
      const e = new Error('m');
      Object.defineProperty(e, 'cause', { value: new Error('n', { cause: e }), writable: true, configurable: true });
      return e;
    },
  },
  { name: 'Uint8Array with its own Symbol.toStringTag', make: () => Object.defineProperty(new Uint8Array(2), Symbol.toStringTag, { value: 'X' }) },
  { name: 'DataView with its own byteLength', make: () => Object.defineProperty(new DataView(new ArrayBuffer(4)), 'byteLength', { value: 9 }) },
  {
    name: 'view out of bounds of its resized buffer',
    make: () => {
      const b = new ArrayBuffer(8, { maxByteLength: 16 });
      const v = new Uint8Array(b, 4, 4);
      b.resize(2);
      return v;
    },
  },
  { name: 'view whose buffer has a property of its own', make: () => new Uint8Array(Object.assign(new ArrayBuffer(4), { x: 1 })) },
  { name: 'view whose buffer is frozen', make: () => new Uint8Array(Object.preventExtensions(new ArrayBuffer(4))) },
  {
    name: 'view and its buffer, view first',
    make: () => {
      const b = new ArrayBuffer(4);
      return { v: new Uint8Array(b), b };
    },
  },
  {
    name: 'view and its buffer, buffer first',
    make: () => {
      const b = new ArrayBuffer(4);
      return { b, v: new Uint8Array(b) };
    },
  },
  { name: 'object made from Date.prototype', make: () => ({ d: Object.create(Date.prototype) }) },
  { name: "a plain object that borrows Date's toJSON", make: () => ({ toJSON: Date.prototype.toJSON }) },
  { name: 'object whose prototype is a revoked Proxy', make: () => Object.create(revokedProxy()) },
  { name: 'object whose toJSON is a class', make: () => ({ toJSON: class {} }) },
  { name: 'object whose toJSON is BigInt', make: () => ({ a: { toJSON: BigInt } }) },
  {
    name: 'empty ArrayBuffer whose constructor getter throws',
    make: () =>
      Object.defineProperty(new ArrayBuffer(0), 'constructor', {
        get() {
          throw new Error('ran');
        },
      }),
  },
];

type Expected = Omit<CorpusCase, 'name' | 'make'>;

/** What each channel reports (Node 20's rules; the other lines' differences are in test/lines/). */
const EXPECTED: Readonly<Record<string, Expected>> = {
  'Map whose prototype is Object.prototype': {
    worker: ['SUBCLASS_LOST'],
    fork: ['MAP_BECOMES_OBJECT'],
    'fork-advanced': ['SUBCLASS_LOST'],
    json: ['MAP_BECOMES_OBJECT'],
    v8: ['SUBCLASS_LOST'],
  },
  'Set without a prototype': {
    worker: ['SUBCLASS_LOST'],
    fork: ['SET_BECOMES_OBJECT'],
    'fork-advanced': ['SUBCLASS_LOST'],
    json: ['SET_BECOMES_OBJECT'],
    v8: ['SUBCLASS_LOST'],
  },
  'Date whose prototype is Object.prototype': {
    worker: ['SUBCLASS_LOST'],
    fork: ['BUILTIN_BECOMES_OBJECT'],
    'fork-advanced': ['SUBCLASS_LOST'],
    json: ['BUILTIN_BECOMES_OBJECT'],
    v8: ['SUBCLASS_LOST'],
  },
  'Promise without a prototype': {
    worker: ['UNCLONEABLE_TYPE'],
    fork: ['BUILTIN_BECOMES_OBJECT'],
    'fork-advanced': ['UNCLONEABLE_TYPE'],
    json: ['BUILTIN_BECOMES_OBJECT'],
    v8: ['UNCLONEABLE_TYPE'],
  },
  'WeakRef without a prototype': {
    worker: ['UNCLONEABLE_TYPE'],
    fork: ['BUILTIN_BECOMES_OBJECT'],
    'fork-advanced': ['UNCLONEABLE_TYPE'],
    json: ['BUILTIN_BECOMES_OBJECT'],
    v8: ['UNCLONEABLE_TYPE'],
  },
  'Uint8Array whose prototype is Object.prototype': {
    worker: ['SUBCLASS_LOST'],
    fork: ['TYPED_ARRAY_BECOMES_OBJECT'],
    'fork-advanced': ['UNCLONEABLE_TYPE'],
    json: ['TYPED_ARRAY_BECOMES_OBJECT'],
    v8: ['UNCLONEABLE_TYPE'],
  },
  'Error whose prototype is Object.prototype': {
    worker: ['ERROR_TYPE_CHANGED'],
    fork: ['ERROR_BECOMES_OBJECT'],
    'fork-advanced': ['ERROR_TYPE_CHANGED'],
    json: ['ERROR_BECOMES_OBJECT'],
    v8: ['ERROR_TYPE_CHANGED'],
  },
  'ArrayBuffer whose prototype is Object.prototype': {
    worker: ['SUBCLASS_LOST'],
    fork: ['BUILTIN_BECOMES_OBJECT'],
    'fork-advanced': ['SUBCLASS_LOST'],
    json: ['BUILTIN_BECOMES_OBJECT'],
    v8: ['SUBCLASS_LOST'],
  },
  'Number object without a prototype': {
    worker: ['SUBCLASS_LOST'],
    fork: ['JSON_THROWS'],
    'fork-advanced': ['SUBCLASS_LOST'],
    json: ['JSON_THROWS'],
    v8: ['SUBCLASS_LOST'],
  },
  'object made from Blob.prototype': {
    worker: ['PROTOTYPE_LOST'],
    fork: ['PROTOTYPE_LOST'],
    'fork-advanced': ['PROTOTYPE_LOST'],
    json: ['PROTOTYPE_LOST'],
    v8: ['PROTOTYPE_LOST'],
  },
  'object made from Uint8Array.prototype': {
    worker: ['PROTOTYPE_LOST'],
    fork: ['PROTOTYPE_LOST'],
    'fork-advanced': ['PROTOTYPE_LOST'],
    json: ['PROTOTYPE_LOST'],
    v8: ['PROTOTYPE_LOST'],
  },
  'object made from Intl.NumberFormat.prototype': {
    worker: ['PROTOTYPE_LOST'],
    fork: ['PROTOTYPE_LOST'],
    'fork-advanced': ['PROTOTYPE_LOST'],
    json: ['PROTOTYPE_LOST'],
    v8: ['PROTOTYPE_LOST'],
  },
  'instance of a class named FileHandle': {
    worker: ['PROTOTYPE_LOST'],
    fork: ['PROTOTYPE_LOST'],
    'fork-advanced': ['PROTOTYPE_LOST'],
    json: ['PROTOTYPE_LOST'],
    v8: ['PROTOTYPE_LOST'],
  },
  'WebAssembly.Module': {
    fork: ['PLATFORM_OBJECT_BECOMES_PLAIN'],
    'fork-advanced': ['UNCLONEABLE_TYPE'],
    json: ['PLATFORM_OBJECT_BECOMES_PLAIN'],
    v8: ['UNCLONEABLE_TYPE'],
  },
  'WebAssembly.Memory': {
    worker: ['UNCLONEABLE_TYPE'],
    fork: ['PLATFORM_OBJECT_BECOMES_PLAIN'],
    'fork-advanced': ['UNCLONEABLE_TYPE'],
    json: ['PLATFORM_OBJECT_BECOMES_PLAIN'],
    v8: ['UNCLONEABLE_TYPE'],
  },
  'shared WebAssembly.Memory': {
    worker: ['SHARED_MEMORY'],
    fork: ['PLATFORM_OBJECT_BECOMES_PLAIN'],
    'fork-advanced': ['SHARED_MEMORY_NOT_SERIALIZABLE'],
    json: ['PLATFORM_OBJECT_BECOMES_PLAIN'],
    v8: ['SHARED_MEMORY_NOT_SERIALIZABLE'],
  },
  'WebAssembly.Global': {
    worker: ['UNCLONEABLE_TYPE'],
    fork: ['PLATFORM_OBJECT_BECOMES_PLAIN'],
    'fork-advanced': ['UNCLONEABLE_TYPE'],
    json: ['PLATFORM_OBJECT_BECOMES_PLAIN'],
    v8: ['UNCLONEABLE_TYPE'],
  },
  'WebAssembly.Table': {
    worker: ['UNCLONEABLE_TYPE'],
    fork: ['PLATFORM_OBJECT_BECOMES_PLAIN'],
    'fork-advanced': ['UNCLONEABLE_TYPE'],
    json: ['PLATFORM_OBJECT_BECOMES_PLAIN'],
    v8: ['UNCLONEABLE_TYPE'],
  },
  'WebAssembly.Instance': {
    worker: ['UNCLONEABLE_TYPE'],
    fork: ['PLATFORM_OBJECT_BECOMES_PLAIN'],
    'fork-advanced': ['UNCLONEABLE_TYPE'],
    json: ['PLATFORM_OBJECT_BECOMES_PLAIN'],
    v8: ['UNCLONEABLE_TYPE'],
  },
  'vm.Script': {
    worker: ['UNCLONEABLE_TYPE'],
    fork: ['HOST_OBJECT_BECOMES_OBJECT', 'UNDEFINED_DROPPED'],
    'fork-advanced': ['HOST_OBJECT_BECOMES_OBJECT'],
    json: ['HOST_OBJECT_BECOMES_OBJECT', 'UNDEFINED_DROPPED'],
    v8: ['UNCLONEABLE_TYPE'],
  },
  'v8.Serializer': {
    worker: ['UNCLONEABLE_TYPE'],
    fork: ['HOST_OBJECT_BECOMES_OBJECT'],
    'fork-advanced': ['HOST_OBJECT_BECOMES_OBJECT'],
    json: ['HOST_OBJECT_BECOMES_OBJECT'],
    v8: ['UNCLONEABLE_TYPE'],
  },
  'a TLS secure context': {
    worker: ['PROTOTYPE_LOST', 'UNCLONEABLE_TYPE'],
    fork: ['PROTOTYPE_LOST', 'HOST_OBJECT_BECOMES_OBJECT'],
    'fork-advanced': ['PROTOTYPE_LOST', 'HOST_OBJECT_BECOMES_OBJECT'],
    json: ['PROTOTYPE_LOST', 'HOST_OBJECT_BECOMES_OBJECT'],
    v8: ['PROTOTYPE_LOST', 'UNCLONEABLE_TYPE'],
  },
  'a DNS resolver': {
    worker: ['PROTOTYPE_LOST', 'UNCLONEABLE_TYPE'],
    fork: ['PROTOTYPE_LOST', 'HOST_OBJECT_BECOMES_OBJECT'],
    'fork-advanced': ['PROTOTYPE_LOST', 'HOST_OBJECT_BECOMES_OBJECT'],
    json: ['PROTOTYPE_LOST', 'HOST_OBJECT_BECOMES_OBJECT'],
    v8: ['PROTOTYPE_LOST', 'UNCLONEABLE_TYPE'],
  },
  'Intl.NumberFormat': {
    worker: ['UNCLONEABLE_TYPE'],
    fork: ['BUILTIN_BECOMES_OBJECT'],
    'fork-advanced': ['UNCLONEABLE_TYPE'],
    json: ['BUILTIN_BECOMES_OBJECT'],
    v8: ['UNCLONEABLE_TYPE'],
  },
  'Intl segments': {
    worker: ['UNCLONEABLE_TYPE'],
    fork: ['BUILTIN_BECOMES_OBJECT'],
    'fork-advanced': ['UNCLONEABLE_TYPE'],
    json: ['BUILTIN_BECOMES_OBJECT'],
    v8: ['UNCLONEABLE_TYPE'],
  },
  "a vm context's global object": {
    worker: ['UNCLONEABLE_TYPE'],
    fork: ['BUILTIN_BECOMES_OBJECT'],
    'fork-advanced': ['UNCLONEABLE_TYPE'],
    json: ['BUILTIN_BECOMES_OBJECT'],
    v8: ['UNCLONEABLE_TYPE'],
  },
  'URL with a method of its own': {
    worker: ['PLATFORM_OBJECT_BECOMES_PLAIN', 'FUNCTION_NOT_CLONEABLE'],
    fork: ['PLATFORM_OBJECT_BECOMES_PLAIN'],
    'fork-advanced': ['PLATFORM_OBJECT_BECOMES_PLAIN', 'FUNCTION_NOT_CLONEABLE'],
    json: ['PLATFORM_OBJECT_BECOMES_PLAIN'],
    v8: ['PLATFORM_OBJECT_BECOMES_PLAIN', 'FUNCTION_NOT_CLONEABLE'],
  },
  'Blob with a BigInt of its own': {
    worker: ['EXTRA_PROPERTY_DROPPED'],
    fork: ['HOST_OBJECT_BECOMES_OBJECT', 'BIGINT_NOT_JSON'],
    'fork-advanced': ['HOST_OBJECT_BECOMES_OBJECT'],
    json: ['HOST_OBJECT_BECOMES_OBJECT', 'BIGINT_NOT_JSON'],
    v8: ['UNCLONEABLE_TYPE'],
  },
  'Event that refers to itself': {
    worker: ['PLATFORM_OBJECT_BECOMES_PLAIN'],
    fork: ['PLATFORM_OBJECT_BECOMES_PLAIN', 'CIRCULAR_NOT_JSON'],
    'fork-advanced': ['PLATFORM_OBJECT_BECOMES_PLAIN'],
    json: ['PLATFORM_OBJECT_BECOMES_PLAIN', 'CIRCULAR_NOT_JSON'],
    v8: ['PLATFORM_OBJECT_BECOMES_PLAIN'],
  },
  'KeyObject with a property of its own': {
    worker: ['EXTRA_PROPERTY_DROPPED'],
    fork: ['HOST_OBJECT_BECOMES_OBJECT'],
    'fork-advanced': ['HOST_OBJECT_BECOMES_OBJECT'],
    json: ['HOST_OBJECT_BECOMES_OBJECT'],
    v8: ['UNCLONEABLE_TYPE'],
  },
  'Error named by a symbol': {
    worker: ['ERROR_FIELD_NOT_STRING', 'ERROR_NAME_DROPPED'],
    fork: ['ERROR_BECOMES_OBJECT'],
    'fork-advanced': ['ERROR_FIELD_NOT_STRING', 'ERROR_NAME_DROPPED'],
    json: ['ERROR_BECOMES_OBJECT'],
    v8: ['ERROR_FIELD_NOT_STRING', 'ERROR_NAME_DROPPED'],
  },
  'Error whose message is a symbol': {
    worker: ['ERROR_FIELD_NOT_STRING'],
    fork: ['ERROR_BECOMES_OBJECT'],
    'fork-advanced': ['ERROR_FIELD_NOT_STRING'],
    json: ['ERROR_BECOMES_OBJECT'],
    v8: ['ERROR_FIELD_NOT_STRING'],
  },
  'Error with an enumerable stack': {
    worker: ['ERROR_FIELD_CHANGED'],
    fork: ['ERROR_BECOMES_OBJECT'],
    'fork-advanced': ['ERROR_FIELD_CHANGED'],
    json: ['ERROR_BECOMES_OBJECT'],
    v8: ['ERROR_FIELD_CHANGED'],
  },
  'Error whose stack is a getter': {
    worker: ['ERROR_FIELD_CHANGED'],
    fork: ['ERROR_BECOMES_OBJECT'],
    'fork-advanced': ['ERROR_FIELD_CHANGED'],
    json: ['ERROR_BECOMES_OBJECT'],
    v8: ['ERROR_FIELD_CHANGED'],
  },
  'Error that is its own cause': {
    worker: ['ERROR_FIELD_CHANGED', 'ERROR_CAUSE_CYCLE'],
    fork: ['ERROR_BECOMES_OBJECT', 'CIRCULAR_NOT_JSON'],
    'fork-advanced': ['ERROR_FIELD_CHANGED', 'ERROR_CAUSE_CYCLE'],
    json: ['ERROR_BECOMES_OBJECT', 'CIRCULAR_NOT_JSON'],
    v8: ['ERROR_FIELD_CHANGED', 'ERROR_CAUSE_CYCLE'],
  },
  'Errors that are each other’s cause': {
    worker: ['ERROR_CAUSE_CYCLE'],
    fork: ['ERROR_BECOMES_OBJECT'],
    'fork-advanced': ['ERROR_CAUSE_CYCLE'],
    json: ['ERROR_BECOMES_OBJECT'],
    v8: ['ERROR_CAUSE_CYCLE'],
  },
  'Uint8Array with its own Symbol.toStringTag': {
    worker: ['SYMBOL_KEY_DROPPED'],
    fork: ['TYPED_ARRAY_BECOMES_OBJECT', 'SYMBOL_KEY_DROPPED'],
    'fork-advanced': ['UNCLONEABLE_TYPE'],
    json: ['TYPED_ARRAY_BECOMES_OBJECT', 'SYMBOL_KEY_DROPPED'],
    v8: ['UNCLONEABLE_TYPE'],
  },
  'DataView with its own byteLength': {
    worker: ['NON_ENUMERABLE_DROPPED'],
    fork: ['BUILTIN_BECOMES_OBJECT', 'NON_ENUMERABLE_DROPPED'],
    'fork-advanced': ['UNCLONEABLE_TYPE'],
    json: ['BUILTIN_BECOMES_OBJECT', 'NON_ENUMERABLE_DROPPED'],
    v8: ['UNCLONEABLE_TYPE'],
  },
  'view out of bounds of its resized buffer': {
    worker: ['UNCLONEABLE_TYPE'],
    fork: ['TYPED_ARRAY_BECOMES_OBJECT'],
    'fork-advanced': ['VIEW_REBASED'],
    json: ['TYPED_ARRAY_BECOMES_OBJECT'],
    v8: ['VIEW_REBASED'],
  },
  'view whose buffer has a property of its own': {
    worker: ['EXTRA_PROPERTY_DROPPED'],
    fork: ['TYPED_ARRAY_BECOMES_OBJECT'],
    'fork-advanced': ['VIEW_REBASED'],
    json: ['TYPED_ARRAY_BECOMES_OBJECT'],
    v8: ['VIEW_REBASED'],
  },
  'view whose buffer is frozen': {
    worker: ['INTEGRITY_LOST'],
    fork: ['TYPED_ARRAY_BECOMES_OBJECT'],
    'fork-advanced': ['VIEW_REBASED'],
    json: ['TYPED_ARRAY_BECOMES_OBJECT'],
    v8: ['VIEW_REBASED'],
  },
  'view and its buffer, view first': {
    fork: ['TYPED_ARRAY_BECOMES_OBJECT', 'BUILTIN_BECOMES_OBJECT'],
    'fork-advanced': ['VIEW_REBASED', 'SHARED_REFERENCE_DUPLICATED'],
    json: ['TYPED_ARRAY_BECOMES_OBJECT', 'BUILTIN_BECOMES_OBJECT'],
    v8: ['VIEW_REBASED', 'SHARED_REFERENCE_DUPLICATED'],
  },
  'view and its buffer, buffer first': {
    fork: ['BUILTIN_BECOMES_OBJECT', 'TYPED_ARRAY_BECOMES_OBJECT'],
    'fork-advanced': ['VIEW_REBASED', 'SHARED_REFERENCE_DUPLICATED'],
    json: ['BUILTIN_BECOMES_OBJECT', 'TYPED_ARRAY_BECOMES_OBJECT'],
    v8: ['VIEW_REBASED', 'SHARED_REFERENCE_DUPLICATED'],
  },
  'object made from Date.prototype': {
    worker: ['PROTOTYPE_LOST'],
    fork: ['PROTOTYPE_LOST', 'JSON_THROWS'],
    'fork-advanced': ['PROTOTYPE_LOST'],
    json: ['PROTOTYPE_LOST', 'JSON_THROWS'],
    v8: ['PROTOTYPE_LOST'],
  },
  "a plain object that borrows Date's toJSON": {
    worker: ['FUNCTION_NOT_CLONEABLE'],
    fork: ['JSON_THROWS'],
    'fork-advanced': ['FUNCTION_NOT_CLONEABLE'],
    json: ['JSON_THROWS'],
    v8: ['FUNCTION_NOT_CLONEABLE'],
  },
  'object whose prototype is a revoked Proxy': {
    worker: ['PROTOTYPE_LOST'],
    fork: ['PROTOTYPE_LOST', 'JSON_THROWS'],
    'fork-advanced': ['PROTOTYPE_LOST'],
    json: ['PROTOTYPE_LOST', 'JSON_THROWS'],
    v8: ['PROTOTYPE_LOST'],
  },
  'object whose toJSON is a class': {
    worker: ['FUNCTION_NOT_CLONEABLE'],
    fork: ['JSON_THROWS'],
    'fork-advanced': ['FUNCTION_NOT_CLONEABLE'],
    json: ['JSON_THROWS'],
    v8: ['FUNCTION_NOT_CLONEABLE'],
  },
  'object whose toJSON is BigInt': {
    worker: ['FUNCTION_NOT_CLONEABLE'],
    fork: ['JSON_THROWS'],
    'fork-advanced': ['FUNCTION_NOT_CLONEABLE'],
    json: ['JSON_THROWS'],
    v8: ['FUNCTION_NOT_CLONEABLE'],
  },
  'empty ArrayBuffer whose constructor getter throws': {
    worker: ['NON_ENUMERABLE_DROPPED'],
    fork: ['BUILTIN_BECOMES_OBJECT', 'NON_ENUMERABLE_DROPPED'],
    'fork-advanced': ['NON_ENUMERABLE_DROPPED'],
    json: ['BUILTIN_BECOMES_OBJECT', 'NON_ENUMERABLE_DROPPED'],
    v8: ['NON_ENUMERABLE_DROPPED'],
  },
};

export const unusualCorpus: readonly CorpusCase[] = cases.map((c) => ({ ...c, ...EXPECTED[c.name] }));
