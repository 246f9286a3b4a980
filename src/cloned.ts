import type { KeyObject, X509Certificate, webcrypto } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { BlockList, SocketAddress } from 'node:net';
import type { ReadableStream, TransformStream, WritableStream } from 'node:stream/web';
import type { TextDecoder, TextEncoder } from 'node:util';
import type { BroadcastChannel, MessagePort } from 'node:worker_threads';
import type { Channel } from './types.js';

/**
 * The type of what the receiver gets when a value of type `T` is sent on channel `C`: type a message
 * handler by what really arrives, not by what was sent.
 *
 * ```ts
 * parentPort.on('message', (job: Cloned<Job, 'worker'>) => { ... });   // structured clone
 * process.on('message', (job: Cloned<Job, 'fork'>) => { ... });        // JSON: job.createdAt is a string
 * ```
 *
 * What it models (each rule has a type test in `test/cloned.test-d.ts`):
 *
 * - every channel: methods and other function-valued properties are gone (a class instance arrives as
 *   a plain object of its data), symbol keys are gone, `readonly` is gone (the copy is the receiver's own);
 *   a branded primitive (`string & { __brand: 'Id' }`, zod's `string & z.BRAND<'Id'>`) arrives as
 *   itself: its object part exists only in the types;
 * - structured clone (`worker`), `fork-advanced`, `v8`: a function, a symbol, a `Promise`, `WeakMap`,
 *   `WeakSet` or `WeakRef` cannot be sent: `never`; every `Error` arrives as an `Error` (subclass and
 *   extra properties lost); `Map`, `Set`, `Date`, `RegExp`, typed arrays and `ArrayBuffer` keep their
 *   type; a `SharedArrayBuffer` is shared on `worker` and cannot be sent on the other two (`never`);
 *   a `Buffer` arrives as a `Uint8Array` on `worker` and stays a `Buffer` on the V8 channels;
 *   Node's host objects (`Blob`, `File`, `KeyObject`, `CryptoKey`, `X509Certificate`, `BlockList`,
 *   `SocketAddress`, ports, streams, a `FileHandle`) keep their type on `worker` and arrive as `{}` on
 *   `fork-advanced`; `v8.serialize()` throws on a `KeyObject`, `CryptoKey`, `MessagePort` or
 *   `FileHandle` (`never`), and gives `{}` for the others (from Node 22; on Node 20 it throws);
 *   web-platform objects (`URL`, `URLSearchParams`, `Headers`, `Request`, `Response`, events,
 *   `AbortSignal`, `TextEncoder`, ...) arrive as `{}`;
 * - JSON (`fork`, `json`): a `bigint` makes the send throw: `never`; a value with `toJSON()` arrives as
 *   what it returns (`Date` → `string`, `Buffer` → `{ type: 'Buffer'; data: number[] }`, `URL` →
 *   `string`); `Map`, `Set`, `RegExp`, `Error`'s message and stack, `Promise`, host and platform
 *   objects, typed arrays' type are lost (`{}` or a record of numbers); keys whose value may be `undefined` (or a function or symbol)
 *   become optional, and in arrays those become `null`.
 *
 * Types cannot tell everything a value holds (a getter on a prototype looks like a property; a
 * `NaN` is a `number`; an own arrow function and a method are both function-valued properties):
 * `check()` and `clonecheck scan` report those.
 */
export type Cloned<T, C extends Channel> = C extends 'fork' | 'json'
  ? JsonCloned<T>
  : C extends 'worker'
    ? StructuredCloned<T, 'worker'>
    : C extends 'fork-advanced'
      ? StructuredCloned<T, 'ipc'>
      : StructuredCloned<T, 'v8'>;

/** Which V8 serializer: structured clone (`worker`), Node's IPC subclass (`fork-advanced`), or `v8.serialize()`. */
type Serializer = 'worker' | 'ipc' | 'v8';

type Fn = (...args: never[]) => unknown;
type Uncloneable = Fn | symbol | Promise<unknown> | WeakMap<object, unknown> | WeakSet<object> | WeakRef<object>;
type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;
type Kept = Date | RegExp | ArrayBuffer | SharedArrayBuffer | DataView | TypedArray;
/**
 * Web-platform classes written in JavaScript (the registry's kind `platform`): their state is private,
 * so every channel sends `{}` (from Node 22 some throw on `worker`, a `URL` from 21; JSON calls a
 * `URL`'s toJSON() first).
 */
type Platform =
  URL | URLSearchParams | Headers | Request | Response | FormData | AbortController | AbortSignal | TextEncoder | TextDecoder | Event | BroadcastChannel;
/**
 * Node's host objects, which structured clone copies (a `File` before Node 24 as a `Blob`), keeps with
 * another internal prototype (`X509Certificate`, `BlockList`, `SocketAddress`) or moves by the
 * transferList (ports, streams, a `FileHandle`), and the process channels flatten to `{}`.
 */
type Host =
  | Blob
  | KeyObject
  | webcrypto.CryptoKey
  | X509Certificate
  | BlockList
  | SocketAddress
  | MessagePort
  | ReadableStream
  | WritableStream
  | TransformStream
  | FileHandle;
/**
 * What `v8.serialize()` throws on, on every Node.js line ("Unserializable host object"); a `Blob`,
 * `File`, `BlockList`, `SocketAddress`, `X509Certificate` or stream only on some.
 */
type V8Throws = KeyObject | webcrypto.CryptoKey | MessagePort | FileHandle;

/** The keys of T that carry data: no functions, no symbols. */
type DataKeys<T> = {
  [K in keyof T]-?: K extends symbol ? never : [Exclude<T[K], undefined>] extends [never] ? K : Exclude<T[K], undefined> extends Fn ? never : K;
}[keyof T];

// ---- structured clone and the V8 serializer ----

// Map and Set first: structurally, a Map is also a WeakMap and a Set a WeakSet.
type StructuredCloned<T, S extends Serializer> =
  T extends Map<infer K, infer V>
    ? Map<StructuredCloned<K, S>, StructuredCloned<V, S>>
    : T extends Set<infer M>
      ? Set<StructuredCloned<M, S>>
      : T extends Uncloneable
        ? never
        : S extends 'worker'
          ? StructuredData<T, S>
          : T extends SharedArrayBuffer // only a worker shares memory: the process serializers throw
            ? never
            : S extends 'v8'
              ? T extends V8Throws
                ? never
                : StructuredData<T, S>
              : StructuredData<T, S>;

type StructuredData<T, S extends Serializer> = T extends Buffer
  ? S extends 'worker'
    ? Uint8Array
    : Buffer
  : T extends Host
    ? S extends 'worker'
      ? T
      : Record<string, never>
    : T extends Platform
      ? Record<string, never>
      : StructuredPlain<T, S>;

/**
 * The primitives every channel copies as they are. A branded one (`string & { __brand: 'Id' }`,
 * zod's `string & z.BRAND<'Id'>`) is one too: the object part exists only in the types, though
 * TypeScript counts such an intersection as an `object`.
 */
type Primitive = string | number | bigint | boolean | null | undefined;

type StructuredPlain<T, S extends Serializer> = T extends Primitive
  ? T
  : T extends Kept
    ? T
    : T extends Error
      ? Error
      : T extends readonly unknown[]
        ? { -readonly [I in keyof T]: StructuredCloned<T[I], S> }
        : T extends object
          ? { -readonly [K in keyof T as K extends DataKeys<T> ? K : never]: StructuredCloned<T[K], S> }
          : T;

// ---- JSON ----

/** What JSON.stringify writes for a value in an object: `undefined` for what it leaves out. */
type JsonCloned<T> = T extends bigint
  ? never
  : T extends Fn | symbol | undefined
    ? undefined
    : T extends Primitive
      ? T
      : T extends { toJSON(...args: never[]): infer R }
        ? JsonCloned<R>
        : T extends Error
          ? JsonObject<Omit<T, 'name' | 'message' | 'stack' | 'cause'>>
          : T extends
                | Map<unknown, unknown>
                | Set<unknown>
                | WeakMap<object, unknown>
                | WeakSet<object>
                | WeakRef<object>
                | Promise<unknown>
                | RegExp
                | ArrayBuffer
                | SharedArrayBuffer
                | DataView
                | Platform
                | Host
            ? Record<string, never>
            : T extends TypedArray
              ? Record<string, number>
              : T extends readonly unknown[]
                ? { -readonly [I in keyof T]: JsonElement<T[I]> }
                : T extends object
                  ? JsonObject<T>
                  : T;

/** In an array, what JSON leaves out becomes null. */
type JsonElement<T> = T extends Fn | symbol | undefined ? null : JsonCloned<T>;

/** Keys whose value may be left out become optional; keys whose value is always left out are gone. */
type JsonObject<T> = Flatten<
  { -readonly [K in JsonKeys<T, 'kept'>]: JsonCloned<T[K]> } & { -readonly [K in JsonKeys<T, 'maybe'>]?: Exclude<JsonCloned<T[K]>, undefined> }
>;

type JsonKeys<T, Which extends 'kept' | 'maybe'> = {
  [K in keyof T]-?: K extends symbol
    ? never
    : [T[K]] extends [Fn | symbol | undefined]
      ? never
      : Extract<T[K], Fn | symbol | undefined> extends never
        ? {} extends Pick<T, K>
          ? Which extends 'maybe'
            ? K
            : never
          : Which extends 'kept'
            ? K
            : never
        : Which extends 'maybe'
          ? K
          : never;
}[keyof T];

type Flatten<T> = { [K in keyof T]: T[K] };
