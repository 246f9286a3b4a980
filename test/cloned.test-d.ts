// Type tests for Cloned<T, C>: checked by `npm run typecheck` (tsc -p tsconfig.json), one block per rule.
// A runtime twin in test/cloned.test.ts is not needed: each rule here is the type form of a rule that
// check() reports and the real round trips pin (docs/codes.md).
import { expectTypeOf } from 'vitest';
import type { Cloned } from '../src/index.js';

class Customer {
  #token = 'k';
  constructor(
    public name: string,
    readonly tags: string[],
  ) {}
  greet(): string {
    return this.name + this.#token;
  }
  get domain(): string {
    return 'example.org';
  }
}

class HttpError extends Error {
  constructor(
    public status: number,
    message: string,
  ) {
    super(message);
  }
}

interface Job {
  id: number;
  createdAt: Date;
  tags: Set<string>;
  totals: Map<string, number>;
  onDone: () => void;
  note: string | undefined;
  retries?: number;
  [Symbol.iterator]?: () => Iterator<number>;
}

// ---- every channel: methods and function-valued properties are gone, symbol keys too ----
expectTypeOf<Cloned<Customer, 'worker'>>().toEqualTypeOf<{ name: string; tags: string[]; domain: string }>();
expectTypeOf<Cloned<Customer, 'fork'>>().toEqualTypeOf<{ name: string; tags: string[]; domain: string }>();
expectTypeOf<Cloned<Customer, 'fork-advanced'>>().not.toHaveProperty('greet');
expectTypeOf<Cloned<{ [Symbol.iterator]: number; a: 1 }, 'worker'>>().toEqualTypeOf<{ a: 1 }>();
expectTypeOf<Cloned<{ [Symbol.iterator]: number; a: 1 }, 'json'>>().toEqualTypeOf<{ a: 1 }>();

// ---- readonly is gone: the copy belongs to the receiver ----
expectTypeOf<Cloned<{ readonly a: number; readonly list: readonly number[] }, 'worker'>>().toEqualTypeOf<{ a: number; list: number[] }>();
expectTypeOf<Cloned<{ readonly a: number }, 'fork'>>().toEqualTypeOf<{ a: number }>();

// ---- structured clone: a function, a symbol, a Promise, a WeakMap, a WeakSet, a WeakRef cannot be sent ----
expectTypeOf<Cloned<() => void, 'worker'>>().toBeNever();
expectTypeOf<Cloned<symbol, 'worker'>>().toBeNever();
expectTypeOf<Cloned<Promise<number>, 'worker'>>().toBeNever();
expectTypeOf<Cloned<WeakMap<object, number>, 'fork-advanced'>>().toBeNever();
expectTypeOf<Cloned<WeakSet<object>, 'v8'>>().toBeNever();
expectTypeOf<Cloned<WeakRef<object>, 'worker'>>().toBeNever();
expectTypeOf<Cloned<{ p: Promise<number> }, 'worker'>>().toEqualTypeOf<{ p: never }>();

// ---- structured clone keeps Date, RegExp, Map, Set, typed arrays, ArrayBuffer, bigint, undefined ----
expectTypeOf<Cloned<Job, 'worker'>>().toEqualTypeOf<{
  id: number;
  createdAt: Date;
  tags: Set<string>;
  totals: Map<string, number>;
  note: string | undefined;
  retries?: number;
}>();
expectTypeOf<Cloned<{ re: RegExp; u8: Uint8Array; ab: ArrayBuffer; n: bigint }, 'v8'>>().toEqualTypeOf<{
  re: RegExp;
  u8: Uint8Array;
  ab: ArrayBuffer;
  n: bigint;
}>();
expectTypeOf<Cloned<Map<string, Customer>, 'worker'>>().toEqualTypeOf<Map<string, { name: string; tags: string[]; domain: string }>>();
expectTypeOf<Cloned<Set<Date>, 'fork-advanced'>>().toEqualTypeOf<Set<Date>>();

// ---- Buffer: a Uint8Array through a worker, still a Buffer through the V8 serializer, JSON data through JSON ----
expectTypeOf<Cloned<Buffer, 'worker'>>().toEqualTypeOf<Uint8Array>();
expectTypeOf<Cloned<Buffer, 'fork-advanced'>>().toEqualTypeOf<Buffer>();
expectTypeOf<Cloned<Buffer, 'fork'>>().toEqualTypeOf<{ type: 'Buffer'; data: number[] }>();

// ---- Errors: an Error on the clone channels (subclass and extra fields lost), its enumerable fields on JSON ----
expectTypeOf<Cloned<HttpError, 'worker'>>().toEqualTypeOf<Error>();
expectTypeOf<Cloned<TypeError, 'fork-advanced'>>().toEqualTypeOf<Error>();
expectTypeOf<Cloned<HttpError, 'fork'>>().toEqualTypeOf<{ status: number }>();
expectTypeOf<Cloned<Error, 'json'>>().toEqualTypeOf<{}>();

// ---- JSON: Date becomes its string, Map and Set become {}, RegExp too, typed arrays a record of numbers ----
expectTypeOf<Cloned<Date, 'fork'>>().toEqualTypeOf<string>();
expectTypeOf<Cloned<{ m: Map<string, number>; s: Set<string>; re: RegExp }, 'json'>>().toEqualTypeOf<{
  m: Record<string, never>;
  s: Record<string, never>;
  re: Record<string, never>;
}>();
expectTypeOf<Cloned<Float64Array, 'fork'>>().toEqualTypeOf<Record<string, number>>();
expectTypeOf<Cloned<Promise<number>, 'fork'>>().toEqualTypeOf<Record<string, never>>();

// ---- JSON: toJSON() decides (URL → string, a class's own toJSON) ----
expectTypeOf<Cloned<URL, 'fork'>>().toEqualTypeOf<string>();
expectTypeOf<Cloned<{ toJSON(): { v: number; at: Date } }, 'json'>>().toEqualTypeOf<{ v: number; at: string }>();

// ---- JSON: bigint makes the send throw ----
expectTypeOf<Cloned<bigint, 'fork'>>().toBeNever();
expectTypeOf<Cloned<{ n: bigint }, 'json'>>().toEqualTypeOf<{ n: never }>();

// ---- JSON: undefined-valued, function and symbol members are absent; optional ones optional ----
expectTypeOf<Cloned<Job, 'fork'>>().toEqualTypeOf<{
  id: number;
  createdAt: string;
  tags: Record<string, never>;
  totals: Record<string, never>;
  note?: string;
  retries?: number;
}>();
expectTypeOf<Cloned<{ a: undefined; b: symbol; c: () => void; d: string | (() => void) }, 'json'>>().toEqualTypeOf<{ d?: string }>();

// ---- JSON: in arrays, undefined, functions and symbols become null ----
expectTypeOf<Cloned<(string | undefined)[], 'fork'>>().toEqualTypeOf<(string | null)[]>();
expectTypeOf<Cloned<[number, () => void, Date], 'json'>>().toEqualTypeOf<[number, null, string]>();

// ---- nesting, unions and generics ----
interface Tree {
  value: Date;
  children: Tree[];
}
expectTypeOf<Cloned<Tree, 'fork'>['children'][number]['value']>().toEqualTypeOf<string>();
expectTypeOf<Cloned<{ kind: 'a'; at: Date } | { kind: 'b'; n: bigint }, 'json'>>().toEqualTypeOf<{ kind: 'a'; at: string } | { kind: 'b'; n: never }>();
expectTypeOf<Cloned<string | number | null | boolean, 'worker'>>().toEqualTypeOf<string | number | null | boolean>();

// ---- a message handler typed by what arrives ----
declare function onMessage<C extends 'worker' | 'fork'>(channel: C, handler: (message: Cloned<Job, C>) => void): void;
onMessage('fork', (job) => expectTypeOf(job.createdAt).toEqualTypeOf<string>());
onMessage('worker', (job) => expectTypeOf(job.createdAt).toEqualTypeOf<Date>());
// @ts-expect-error: the method does not arrive
onMessage('worker', (job) => job.onDone());

// ---- host and web-platform objects ----
expectTypeOf<Cloned<Blob, 'worker'>>().toEqualTypeOf<Blob>();
expectTypeOf<Cloned<Blob, 'fork-advanced'>>().toEqualTypeOf<Record<string, never>>();
expectTypeOf<Cloned<Blob, 'fork'>>().toEqualTypeOf<Record<string, never>>();
expectTypeOf<Cloned<import('node:crypto').KeyObject, 'worker'>>().toEqualTypeOf<import('node:crypto').KeyObject>();
expectTypeOf<Cloned<import('node:crypto').KeyObject, 'fork-advanced'>>().toEqualTypeOf<Record<string, never>>();
// v8.serialize() throws "Unserializable host object" on these, on every line.
expectTypeOf<Cloned<import('node:crypto').KeyObject, 'v8'>>().toBeNever();
expectTypeOf<Cloned<import('node:worker_threads').MessagePort, 'v8'>>().toBeNever();
expectTypeOf<Cloned<Blob, 'v8'>>().toEqualTypeOf<Record<string, never>>();

// ---- shared memory: shared with a worker, refused by the process serializers ----
expectTypeOf<Cloned<SharedArrayBuffer, 'worker'>>().toEqualTypeOf<SharedArrayBuffer>();
expectTypeOf<Cloned<SharedArrayBuffer, 'fork-advanced'>>().toBeNever();
expectTypeOf<Cloned<SharedArrayBuffer, 'v8'>>().toBeNever();
expectTypeOf<Cloned<{ ab: ArrayBuffer; u8: Uint8Array }, 'fork-advanced'>>().toEqualTypeOf<{ ab: ArrayBuffer; u8: Uint8Array }>();
expectTypeOf<Cloned<{ h: Headers; q: URLSearchParams }, 'worker'>>().toEqualTypeOf<{ h: Record<string, never>; q: Record<string, never> }>();
expectTypeOf<Cloned<Headers, 'json'>>().toEqualTypeOf<Record<string, never>>();

// ---- every host and platform kind of the runtime registry (src/realm/registry.ts), as check() says ----
type Crypto = typeof import('node:crypto');
type CryptoKey = import('node:crypto').webcrypto.CryptoKey;
type X509 = InstanceType<Crypto['X509Certificate']>;
type BlockList = import('node:net').BlockList;
type SocketAddress = import('node:net').SocketAddress;
type FileHandle = import('node:fs/promises').FileHandle;
type Port = import('node:worker_threads').MessagePort;
type Stream = import('node:stream/web').ReadableStream<string>;
// 'cloneable', 'extra-prototype', 'transfer-only': kept by a worker (a port or stream moved by the transferList), {} through IPC and JSON.
expectTypeOf<Cloned<{ k: CryptoKey; x: X509; b: BlockList; a: SocketAddress; f: FileHandle; p: Port; s: Stream }, 'worker'>>().toEqualTypeOf<{
  k: CryptoKey;
  x: X509;
  b: BlockList;
  a: SocketAddress;
  f: FileHandle;
  p: Port;
  s: Stream;
}>();
expectTypeOf<Cloned<{ k: CryptoKey; x: X509; f: FileHandle; s: Stream }, 'fork-advanced'>>().toEqualTypeOf<{
  k: Record<string, never>;
  x: Record<string, never>;
  f: Record<string, never>;
  s: Record<string, never>;
}>();
expectTypeOf<Cloned<{ k: CryptoKey; b: BlockList; f: FileHandle; p: Port }, 'fork'>>().toEqualTypeOf<{
  k: Record<string, never>;
  b: Record<string, never>;
  f: Record<string, never>;
  p: Record<string, never>;
}>();
// v8.serialize() throws on a CryptoKey and a FileHandle on every line; a BlockList or a stream only on Node 20.
expectTypeOf<Cloned<CryptoKey, 'v8'>>().toBeNever();
expectTypeOf<Cloned<FileHandle, 'v8'>>().toBeNever();
expectTypeOf<Cloned<{ b: BlockList; s: Stream }, 'v8'>>().toEqualTypeOf<{ b: Record<string, never>; s: Record<string, never> }>();
// 'platform': a class whose state is private arrives as {} everywhere; JSON calls a URL's toJSON().
expectTypeOf<
  Cloned<
    {
      u: URL;
      e: Event;
      t: import('node:util').TextEncoder;
      d: import('node:util').TextDecoder;
      s: AbortSignal;
      c: import('node:worker_threads').BroadcastChannel;
    },
    'worker'
  >
>().toEqualTypeOf<{
  u: Record<string, never>;
  e: Record<string, never>;
  t: Record<string, never>;
  d: Record<string, never>;
  s: Record<string, never>;
  c: Record<string, never>;
}>();
expectTypeOf<Cloned<{ u: URL; e: Event; r: Response }, 'fork'>>().toEqualTypeOf<{ u: string; e: Record<string, never>; r: Record<string, never> }>();
expectTypeOf<Cloned<{ e: Event; r: Request }, 'v8'>>().toEqualTypeOf<{ e: Record<string, never>; r: Record<string, never> }>();

// ---- brands exist only in the types: a branded primitive arrives as that branded primitive (zod's symbol-keyed brands too) ----
declare const zodBrand: unique symbol;
type ZodId = string & { [zodBrand]: { ZodId: true } };
type Cents = number & { readonly __tag: 'cents' };
expectTypeOf<Cloned<{ id: ZodId; amount: Cents; ids: ZodId[] }, 'worker'>>().toEqualTypeOf<{ id: ZodId; amount: Cents; ids: ZodId[] }>();
expectTypeOf<Cloned<{ id: ZodId; amount: Cents; ids: ZodId[] }, 'json'>>().toEqualTypeOf<{ id: ZodId; amount: Cents; ids: ZodId[] }>();
expectTypeOf<Cloned<Map<ZodId, Cents>, 'v8'>>().toEqualTypeOf<Map<ZodId, Cents>>();
