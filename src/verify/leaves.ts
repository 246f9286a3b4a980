/**
 * The leaves of the arbitraries (`../arbitraries.ts`): primitives, keys, the classes rich values use,
 * and values that hold no other generated value (dates, regexps, buffers and views, functions,
 * class instances, host objects, ...).
 */
import fc from 'fast-check';
import { Blob, File } from 'node:buffer';
import { createSecretKey } from 'node:crypto';
import { MessageChannel } from 'node:worker_threads';
import { constant, maker, type Maker } from './maker.js';

export function literal(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'bigint':
      return `${v}n`;
    case 'number':
      return Object.is(v, -0) ? '-0' : String(v);
    case 'symbol':
      return v.toString();
    default:
      return String(v);
  }
}

export function defineData(o: object, key: PropertyKey, value: unknown, attrs: Partial<PropertyDescriptor> = {}): void {
  Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true, ...attrs });
}

/** Plain data property assignment that is safe for `__proto__` and friends. */
export function objectFrom(props: readonly (readonly [string, Maker])[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, m] of props) defineData(o, k, m());
  return o;
}

export function objectRecipe(props: readonly (readonly [string, Maker])[]): string {
  return `{ ${props.map(([k, m]) => `${JSON.stringify(k)}: ${m.recipe}`).join(', ')} }`;
}

// ---------------------------------------------------------------------------------------------
// Primitives
// ---------------------------------------------------------------------------------------------

export const loneSurrogate = fc.constantFrom('\uD800', '\uDBFF', '\uDC00', '\uDFFF');
export const anyUnit = fc.oneof({ weight: 5, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) }, { weight: 1, arbitrary: loneSurrogate });

export const plainPrimitive: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ unit: anyUnit, maxLength: 6 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)),
  fc.boolean(),
  fc.constant(null),
);

export const structuredPrimitive: fc.Arbitrary<unknown> = fc.oneof(
  plainPrimitive,
  fc.constantFrom(-0, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER + 2, Number.MIN_VALUE),
  fc.double(),
  fc.bigInt(),
  fc.constant(undefined),
);

export const symbolMaker: fc.Arbitrary<Maker> = fc.oneof(
  fc.string({ maxLength: 6 }).map((d) => maker(`Symbol(${JSON.stringify(d)})`, () => Symbol(d))),
  constant('Symbol()', () => Symbol()),
  fc.string({ maxLength: 6 }).map((d) => maker(`Symbol.for(${JSON.stringify(d)})`, () => Symbol.for(d))),
  constant('Symbol.iterator', () => Symbol.iterator),
);

export const primitiveMaker = (prims: fc.Arbitrary<unknown>): fc.Arbitrary<Maker> => prims.map((v) => maker(literal(v), () => v));

export const plainKey = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'length', '0', '1', '10', 'a-b', '') },
);
/** Keys for extra named properties of arrays (never an index, never `length`). */
export const extraKey = fc.string({ maxLength: 4 }).map((s) => `x${s}`);

// ---------------------------------------------------------------------------------------------
// Classes used by rich values
// ---------------------------------------------------------------------------------------------

export class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
  norm(): number {
    return Math.hypot(this.x, this.y);
  }
}
export class Account {
  static instances = 0;
  #secret: string;
  owner: string;
  constructor(owner: string) {
    this.owner = owner;
    this.#secret = `s-${owner}`;
    Account.instances++;
  }
  get label(): string {
    return `${this.owner}`;
  }
  set label(v: string) {
    this.owner = v;
  }
  hasSecret(): boolean {
    return this.#secret.length > 0;
  }
}
export class Bag {}
export class MyMap<K, V> extends Map<K, V> {}
export class MySet<T> extends Set<T> {}
export class MyDate extends Date {}
export class MyArray<T> extends Array<T> {}
export class MyError extends Error {}
export class NamedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NamedError';
  }
}
export class WithToJSON {
  a = 1;
  toJSON(): unknown {
    return { custom: true };
  }
}
export class MyU8 extends Uint8Array {}

export const ERROR_TYPES = ['Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError'] as const;
export const ERRORS: Record<(typeof ERROR_TYPES)[number], ErrorConstructor> = {
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
};

export const TYPED_ARRAYS: Record<string, { new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): ArrayBufferView; BYTES_PER_ELEMENT: number }> =
  {
    Int8Array,
    Uint8Array,
    Uint8ClampedArray,
    Int16Array,
    Uint16Array,
    Int32Array,
    Uint32Array,
    Float32Array,
    Float64Array,
    BigInt64Array,
    BigUint64Array,
  };
export const Float16 = (globalThis as Record<string, unknown>).Float16Array;
if (typeof Float16 === 'function') TYPED_ARRAYS.Float16Array = Float16 as (typeof TYPED_ARRAYS)[string];
export const TYPED_NAMES = Object.keys(TYPED_ARRAYS);

// ---------------------------------------------------------------------------------------------
// Leaves that need no child value
// ---------------------------------------------------------------------------------------------

export function bytes(n: number, seed: readonly number[]): Uint8Array {
  const u = new Uint8Array(n);
  for (let i = 0; i < n; i++) u[i] = seed.length === 0 ? i : seed[i % seed.length]!;
  return u;
}

export const dateMaker = fc.oneof(
  fc.integer({ min: -8.64e15, max: 8.64e15 }).map((t) => maker(`new Date(${t})`, () => new Date(t))),
  constant('new Date(NaN)', () => new Date(NaN)),
);

export const REGEXP_SOURCES = ['a', 'ab+c', '^x$', '[a-z]+', '(?<year>\\d{4})', '\\u{1F600}', '.', '(?:)', '/'];
export const regexpMaker = fc
  .tuple(fc.constantFrom(...REGEXP_SOURCES), fc.subarray(['d', 'g', 'i', 'm', 's', 'u', 'y']))
  .map(([src, flags]) => maker(`new RegExp(${JSON.stringify(src)}, ${JSON.stringify(flags.join(''))})`, () => new RegExp(src, flags.join(''))));

export const bufferMakers = (rich: boolean): fc.Arbitrary<Maker>[] => {
  const seed = fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 8 });
  const list: fc.Arbitrary<Maker>[] = [
    fc.tuple(fc.nat(16), seed).map(([n, s]) => maker(`new Uint8Array(${JSON.stringify([...bytes(n, s)])}).buffer`, () => bytes(n, s).buffer)),
    fc
      .tuple(fc.nat(8), fc.nat(8))
      .map(([n, extra]) =>
        maker(
          `new ArrayBuffer(${n}, { maxByteLength: ${n + extra} })`,
          () => new (ArrayBuffer as unknown as new (n: number, o: object) => ArrayBuffer)(n, { maxByteLength: n + extra }),
        ),
      ),
    fc.tuple(fc.nat(16), seed).map(([n, s]) =>
      maker(`/* filled */ new SharedArrayBuffer(${n})`, () => {
        const sab = new SharedArrayBuffer(n);
        new Uint8Array(sab).set(bytes(n, s));
        return sab;
      }),
    ),
    fc
      .tuple(fc.nat(8), fc.nat(8))
      .map(([n, extra]) =>
        maker(
          `new SharedArrayBuffer(${n}, { maxByteLength: ${n + extra} })`,
          () => new (SharedArrayBuffer as unknown as new (n: number, o: object) => SharedArrayBuffer)(n, { maxByteLength: n + extra }),
        ),
      ),
    // A view, possibly at an offset into a bigger buffer.
    fc
      .record({ type: fc.constantFrom(...TYPED_NAMES), length: fc.nat(4), before: fc.nat(3), after: fc.nat(3), seed })
      .map(({ type, length, before, after, seed: s }) => {
        const Ctor = TYPED_ARRAYS[type]!;
        const size = Ctor.BYTES_PER_ELEMENT;
        const total = (before + length + after) * size;
        return maker(`new ${type}(/* ${total}-byte buffer */, ${before * size}, ${length})`, () => new Ctor(bytes(total, s).buffer, before * size, length));
      }),
    fc
      .tuple(fc.nat(4), fc.nat(4), fc.nat(4), seed)
      .map(([before, length, after, s]) =>
        maker(
          `new DataView(/* ${before + length + after}-byte buffer */, ${before}, ${length})`,
          () => new DataView(bytes(before + length + after, s).buffer, before, length),
        ),
      ),
    constant('(ab => [new Uint8Array(ab), new Int16Array(ab, 2, 1), new DataView(ab, 4)])(new ArrayBuffer(8))', () => {
      const ab = bytes(8, [1, 2, 3]).buffer;
      return [new Uint8Array(ab), new Int16Array(ab, 2, 1), new DataView(ab, 4)];
    }),
    constant('(ab => [ab, new Uint8Array(ab)])(new ArrayBuffer(4))', () => {
      const ab = bytes(4, [9]).buffer;
      return [ab, new Uint8Array(ab)];
    }),
    constant(
      'new Uint8Array(new ArrayBuffer(4, { maxByteLength: 16 }))',
      () => new Uint8Array(new (ArrayBuffer as unknown as new (n: number, o: object) => ArrayBuffer)(4, { maxByteLength: 16 })),
    ),
  ];
  if (rich) {
    list.push(
      fc.string({ maxLength: 8 }).map((s) => maker(`Buffer.from(${JSON.stringify(s)})`, () => Buffer.from(s))),
      fc.nat(16).map((n) => maker(`Buffer.alloc(${n}, 1)`, () => Buffer.alloc(n, 1))),
      constant('/* detached */ new ArrayBuffer(8)', () => {
        const ab = new ArrayBuffer(8);
        structuredClone(ab, { transfer: [ab] });
        return ab;
      }),
      constant('/* over a detached buffer */ new Uint8Array(4)', () => {
        const u = new Uint8Array(4);
        structuredClone(u.buffer, { transfer: [u.buffer] });
        return u;
      }),
      constant('new MyU8([1, 2])', () => new MyU8([1, 2])),
      constant('Object.assign(new Uint8Array(2), { extra: 1 })', () => Object.assign(new Uint8Array(2), { extra: 1 })),
    );
  }
  return list;
};

export const functionMakers: fc.Arbitrary<Maker>[] = [
  constant('() => 1', () => () => 1),
  constant('async function af() {}', () => async function af() {}),
  constant(
    'function* gf() { yield 1; }',
    () =>
      function* gf() {
        yield 1;
      },
  ),
  constant('async function* agf() {}', () => async function* agf() {}),
  constant('class K {}', () => class K {}),
  constant('(function f() {}).bind(null)', () => function f() {}.bind(null)),
  constant(
    '({ m() { return 1; } }).m',
    () =>
      ({
        m() {
          return 1;
        },
      }).m,
  ),
  constant('Math.max', () => Math.max),
];

export const richLeafMakers: fc.Arbitrary<Maker>[] = [
  ...functionMakers,
  fc.tuple(fc.integer(), fc.integer()).map(([x, y]) => maker(`new Point(${x}, ${y})`, () => new Point(x, y))),
  fc.string({ maxLength: 5 }).map((s) => maker(`new Account(${JSON.stringify(s)}) /* #private, accessors, static */`, () => new Account(s))),
  constant('new WithToJSON() /* inherited toJSON */', () => new WithToJSON()),
  constant('{ a: 1, toJSON() { return { replaced: true }; } }', () => ({ a: 1, toJSON: () => ({ replaced: true }) })),
  constant('Promise.resolve(1)', () => Promise.resolve(1)),
  constant('new WeakMap([[{}, 1]])', () => new WeakMap([[{}, 1]])),
  constant('new WeakSet([{}])', () => new WeakSet([{}])),
  constant('new WeakRef({})', () => new WeakRef({})),
  constant('new FinalizationRegistry(() => {})', () => new FinalizationRegistry(() => {})),
  constant('(function* () { yield 1; })()', () =>
    (function* () {
      yield 1;
    })(),
  ),
  constant('[1, 2][Symbol.iterator]()', () => [1, 2][Symbol.iterator]()),
  constant('new Map([[1, 2]]).entries()', () => new Map([[1, 2]]).entries()),
  constant("(function () { return arguments; })(1, 'a')", () =>
    (function (..._args: unknown[]) {
      return arguments;
    })(1, 'a'),
  ),
  constant("new URL('https://user:pw@example.com:8080/p?q=1#h')", () => new URL('https://user:pw@example.com:8080/p?q=1#h')),
  constant("new URLSearchParams('a=1&b=2')", () => new URLSearchParams('a=1&b=2')),
  constant("new Blob(['hello'], { type: 'text/plain' })", () => new Blob(['hello'], { type: 'text/plain' })),
  constant("new File(['x'], 'f.txt', { type: 'text/plain' })", () => new File(['x'], 'f.txt', { type: 'text/plain' })),
  constant("crypto.createSecretKey(Buffer.from('0123456789abcdef'))", () => createSecretKey(Buffer.from('0123456789abcdef'))),
  constant('new AbortController()', () => new AbortController()),
  constant("new Headers({ a: '1' })", () => new Headers({ a: '1' })),
  constant('new TextEncoder()', () => new TextEncoder()),
  constant("new Intl.NumberFormat('en-US')", () => new Intl.NumberFormat('en-US')),
  constant("new Intl.Locale('en-US')", () => new Intl.Locale('en-US')),
  constant('new MessageChannel().port1 /* both ports unref()ed */', () => {
    const { port1, port2 } = new MessageChannel();
    port1.unref();
    port2.unref();
    return port1;
  }),
  constant('Object.create(null)', () => Object.create(null) as object),
  constant(
    'Object.create({ inherited: 1 }, { own: { value: 2, enumerable: true, writable: true, configurable: true } })',
    () => Object.create({ inherited: 1 }, { own: { value: 2, enumerable: true, writable: true, configurable: true } }) as object,
  ),
  constant('new Proxy({ a: 1 }, {})', () => new Proxy({ a: 1 }, {})),
  constant('/* revoked */ Proxy.revocable({}, {}).proxy', () => {
    const r = Proxy.revocable({}, {});
    r.revoke();
    return r.proxy;
  }),
  constant('Object.assign(new Date(0), { tag: "x" })', () => Object.assign(new Date(0), { tag: 'x' })),
  constant('new MyDate(0)', () => new MyDate(0)),
  fc.nat(5).map((n) => maker(`Object.assign(/a/g, { lastIndex: ${n + 1} })`, () => Object.assign(/a/g, { lastIndex: n + 1 }))),
  constant('Object.assign(/x/, { extra: 1 })', () => Object.assign(/x/, { extra: 1 })),
  constant('Object(Symbol("boxed"))', () => Object(Symbol('boxed')) as object),
  constant('Object.assign(new Number(1), { extra: 1 })', () => Object.assign(new Number(1), { extra: 1 })),
  constant('MyArray.from([1, 2])', () => MyArray.from([1, 2])),
  constant('new AggregateError([new Error("a"), "b"], "many")', () => new AggregateError([new Error('a'), 'b'], 'many')),
  constant('new MyError("custom")', () => new MyError('custom')),
  constant('new NamedError("named")', () => new NamedError('named')),
  constant('Object.assign(new Error("n"), { name: "CustomName" })', () => Object.assign(new Error('n'), { name: 'CustomName' })),
  constant('Object.assign(new Error("with props"), { code: "E_X" })', () => Object.assign(new Error('with props'), { code: 'E_X' })),
  constant('/* stack deleted */ new Error("nostack")', () => {
    const e = new Error('nostack');
    delete e.stack;
    return e;
  }),
  constant("new DOMException('dom msg', 'DataCloneError')", () => new DOMException('dom msg', 'DataCloneError')),
  constant('Object.freeze({ a: 1, nested: { b: 2 } })', () => Object.freeze({ a: 1, nested: { b: 2 } })),
  constant('Object.freeze([1, 2])', () => Object.freeze([1, 2])),
];
