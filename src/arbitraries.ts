/**
 * fast-check arbitraries of values to send across threads and processes, far beyond
 * `fc.anything()`. fast-check is an optional peer dependency: only load this module if you have it.
 *
 * Three levels:
 * - `plainValue`: JSON-safe data, lossless on every channel.
 * - `structuredValue`: lossless on `worker` (structured clone): -0, NaN, bigint, undefined, holes,
 *   huge sparse arrays, Date, RegExp, Map, Set, boxed primitives, buffers and views, native errors,
 *   shared references and cycles.
 * - `richValue` (= `anyValue`): anything a program might try to send (functions, class instances,
 *   accessors, symbols, integrity levels, proxies, host objects, `{ cmd: 'NODE_…' }`, ...).
 * - `unusualValueMaker`: rich values with unusual ones mixed in (`./verify/unusual.ts`): replaced
 *   prototypes, host and engine objects with own properties, odd Errors, shadowed view properties.
 *
 * Each comes as a `…Maker` arbitrary too: a `Maker` is a function that builds a fresh value every
 * time it is called (so that one draw can be sent through several channels independently) and
 * prints as the code that builds it. Prefer the makers in property tests of rich values: fast-check
 * prints a failing *value* with `fc.stringify`, which reads through getters and throws on a revoked
 * proxy, whereas a maker prints as its recipe.
 *
 * Getters made here are pure: they return prebuilt plain data (as does what a Proxy wraps), so
 * nothing hidden behind a getter or a trap decides the outcome of a send. Nothing here throws when
 * read; a send throws only where the channel itself refuses what it can see.
 */
import fc from 'fast-check';
import { Blob, File } from 'node:buffer';
import { createSecretKey } from 'node:crypto';
import { MessageChannel } from 'node:worker_threads';
import { types } from 'node:util';
import { constant, maker, type Maker } from './verify/maker.js';
import { unusualMakers } from './verify/unusual.js';

export type { Maker };

function literal(v: unknown): string {
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

function defineData(o: object, key: PropertyKey, value: unknown, attrs: Partial<PropertyDescriptor> = {}): void {
  Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true, ...attrs });
}

/** Plain data property assignment that is safe for `__proto__` and friends. */
function objectFrom(props: readonly (readonly [string, Maker])[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, m] of props) defineData(o, k, m());
  return o;
}

function objectRecipe(props: readonly (readonly [string, Maker])[]): string {
  return `{ ${props.map(([k, m]) => `${JSON.stringify(k)}: ${m.recipe}`).join(', ')} }`;
}

// ---------------------------------------------------------------------------------------------
// Primitives
// ---------------------------------------------------------------------------------------------

const loneSurrogate = fc.constantFrom('\uD800', '\uDBFF', '\uDC00', '\uDFFF');
const anyUnit = fc.oneof({ weight: 5, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) }, { weight: 1, arbitrary: loneSurrogate });

const plainPrimitive: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ unit: anyUnit, maxLength: 6 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)),
  fc.boolean(),
  fc.constant(null),
);

const structuredPrimitive: fc.Arbitrary<unknown> = fc.oneof(
  plainPrimitive,
  fc.constantFrom(-0, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER + 2, Number.MIN_VALUE),
  fc.double(),
  fc.bigInt(),
  fc.constant(undefined),
);

const symbolMaker: fc.Arbitrary<Maker> = fc.oneof(
  fc.string({ maxLength: 6 }).map((d) => maker(`Symbol(${JSON.stringify(d)})`, () => Symbol(d))),
  constant('Symbol()', () => Symbol()),
  fc.string({ maxLength: 6 }).map((d) => maker(`Symbol.for(${JSON.stringify(d)})`, () => Symbol.for(d))),
  constant('Symbol.iterator', () => Symbol.iterator),
);

const primitiveMaker = (prims: fc.Arbitrary<unknown>): fc.Arbitrary<Maker> => prims.map((v) => maker(literal(v), () => v));

const plainKey = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'length', '0', '1', '10', 'a-b', '') },
);
/** Keys for extra named properties of arrays (never an index, never `length`). */
const extraKey = fc.string({ maxLength: 4 }).map((s) => `x${s}`);

// ---------------------------------------------------------------------------------------------
// Classes used by rich values
// ---------------------------------------------------------------------------------------------

class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
  norm(): number {
    return Math.hypot(this.x, this.y);
  }
}
class Account {
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
class Bag {}
class MyMap<K, V> extends Map<K, V> {}
class MySet<T> extends Set<T> {}
class MyDate extends Date {}
class MyArray<T> extends Array<T> {}
class MyError extends Error {}
class NamedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NamedError';
  }
}
class WithToJSON {
  a = 1;
  toJSON(): unknown {
    return { custom: true };
  }
}
class MyU8 extends Uint8Array {}

const ERROR_TYPES = ['Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError'] as const;
const ERRORS: Record<(typeof ERROR_TYPES)[number], ErrorConstructor> = {
  Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError,
};

const TYPED_ARRAYS: Record<string, { new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): ArrayBufferView; BYTES_PER_ELEMENT: number }> = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
};
const Float16 = (globalThis as Record<string, unknown>).Float16Array;
if (typeof Float16 === 'function') TYPED_ARRAYS.Float16Array = Float16 as (typeof TYPED_ARRAYS)[string];
const TYPED_NAMES = Object.keys(TYPED_ARRAYS);

// ---------------------------------------------------------------------------------------------
// Leaves that need no child value
// ---------------------------------------------------------------------------------------------

function bytes(n: number, seed: readonly number[]): Uint8Array {
  const u = new Uint8Array(n);
  for (let i = 0; i < n; i++) u[i] = seed.length === 0 ? i : seed[i % seed.length]!;
  return u;
}

const dateMaker = fc.oneof(
  fc.integer({ min: -8.64e15, max: 8.64e15 }).map((t) => maker(`new Date(${t})`, () => new Date(t))),
  constant('new Date(NaN)', () => new Date(NaN)),
);

const REGEXP_SOURCES = ['a', 'ab+c', '^x$', '[a-z]+', '(?<year>\\d{4})', '\\u{1F600}', '.', '(?:)', '/'];
const regexpMaker = fc
  .tuple(fc.constantFrom(...REGEXP_SOURCES), fc.subarray(['d', 'g', 'i', 'm', 's', 'u', 'y']))
  .map(([src, flags]) => maker(`new RegExp(${JSON.stringify(src)}, ${JSON.stringify(flags.join(''))})`, () => new RegExp(src, flags.join(''))));

const bufferMakers = (rich: boolean): fc.Arbitrary<Maker>[] => {
  const seed = fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 8 });
  const list: fc.Arbitrary<Maker>[] = [
    fc.tuple(fc.nat(16), seed).map(([n, s]) => maker(`new Uint8Array(${JSON.stringify([...bytes(n, s)])}).buffer`, () => bytes(n, s).buffer)),
    fc.tuple(fc.nat(8), fc.nat(8)).map(([n, extra]) =>
      maker(`new ArrayBuffer(${n}, { maxByteLength: ${n + extra} })`, () => new (ArrayBuffer as unknown as new (n: number, o: object) => ArrayBuffer)(n, { maxByteLength: n + extra })),
    ),
    fc.tuple(fc.nat(16), seed).map(([n, s]) =>
      maker(`/* filled */ new SharedArrayBuffer(${n})`, () => {
        const sab = new SharedArrayBuffer(n);
        new Uint8Array(sab).set(bytes(n, s));
        return sab;
      }),
    ),
    fc.tuple(fc.nat(8), fc.nat(8)).map(([n, extra]) =>
      maker(`new SharedArrayBuffer(${n}, { maxByteLength: ${n + extra} })`, () => new (SharedArrayBuffer as unknown as new (n: number, o: object) => SharedArrayBuffer)(n, { maxByteLength: n + extra })),
    ),
    // A view, possibly at an offset into a bigger buffer.
    fc.record({ type: fc.constantFrom(...TYPED_NAMES), length: fc.nat(4), before: fc.nat(3), after: fc.nat(3), seed }).map(({ type, length, before, after, seed: s }) => {
      const Ctor = TYPED_ARRAYS[type]!;
      const size = Ctor.BYTES_PER_ELEMENT;
      const total = (before + length + after) * size;
      return maker(`new ${type}(/* ${total}-byte buffer */, ${before * size}, ${length})`, () => new Ctor(bytes(total, s).buffer, before * size, length));
    }),
    fc.tuple(fc.nat(4), fc.nat(4), fc.nat(4), seed).map(([before, length, after, s]) =>
      maker(`new DataView(/* ${before + length + after}-byte buffer */, ${before}, ${length})`, () => new DataView(bytes(before + length + after, s).buffer, before, length)),
    ),
    constant('(ab => [new Uint8Array(ab), new Int16Array(ab, 2, 1), new DataView(ab, 4)])(new ArrayBuffer(8))', () => {
      const ab = bytes(8, [1, 2, 3]).buffer;
      return [new Uint8Array(ab), new Int16Array(ab, 2, 1), new DataView(ab, 4)];
    }),
    constant('(ab => [ab, new Uint8Array(ab)])(new ArrayBuffer(4))', () => {
      const ab = bytes(4, [9]).buffer;
      return [ab, new Uint8Array(ab)];
    }),
    constant('new Uint8Array(new ArrayBuffer(4, { maxByteLength: 16 }))', () => new Uint8Array(new (ArrayBuffer as unknown as new (n: number, o: object) => ArrayBuffer)(4, { maxByteLength: 16 }))),
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

const functionMakers: fc.Arbitrary<Maker>[] = [
  constant('() => 1', () => () => 1),
  constant('async function af() {}', () => async function af() {}),
  constant('function* gf() { yield 1; }', () => function* gf() {
    yield 1;
  }),
  constant('async function* agf() {}', () => async function* agf() {}),
  constant('class K {}', () => class K {}),
  constant('(function f() {}).bind(null)', () => function f() {}.bind(null)),
  constant('({ m() { return 1; } }).m', () => ({ m() { return 1; } }).m),
  constant('Math.max', () => Math.max),
];

const richLeafMakers: fc.Arbitrary<Maker>[] = [
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
  constant('(function* () { yield 1; })()', () => (function* () {
    yield 1;
  })()),
  constant('[1, 2][Symbol.iterator]()', () => [1, 2][Symbol.iterator]()),
  constant('new Map([[1, 2]]).entries()', () => new Map([[1, 2]]).entries()),
  constant("(function () { return arguments; })(1, 'a')", () => (function (..._args: unknown[]) {
    return arguments;
  })(1, 'a')),
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
  constant("Object.create({ inherited: 1 }, { own: { value: 2, enumerable: true, writable: true, configurable: true } })", () =>
    Object.create({ inherited: 1 }, { own: { value: 2, enumerable: true, writable: true, configurable: true } }) as object,
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

// ---------------------------------------------------------------------------------------------
// Composites
// ---------------------------------------------------------------------------------------------

type Level = 'plain' | 'structured' | 'rich';

function arrayMakers(v: fc.Arbitrary<Maker>, level: Level): fc.Arbitrary<Maker>[] {
  const dense = fc.array(v, { maxLength: 4 }).map((ms) => maker(`[${ms.map((m) => m.recipe).join(', ')}]`, () => ms.map((m) => m())));
  if (level === 'plain') return [dense];
  const withHoles = fc
    .record({
      items: fc.array(fc.option(v, { nil: null, freq: 3 }) /* null: a hole */, { maxLength: 5 }),
      trailing: fc.nat(2),
      extra: fc.array(fc.tuple(extraKey, v), { maxLength: 2 }),
    })
    .map(({ items, trailing, extra }) => {
      const recipe = `Object.assign([${items.map((m) => (m === null ? '' : m.recipe)).join(', ')}${items.at(-1) === null ? ',' : ''}]${trailing ? ` /* length += ${trailing} */` : ''}, ${objectRecipe(extra)})`;
      return maker(recipe, () => {
        const a: unknown[] = [];
        items.forEach((m, i) => {
          if (m !== null) a[i] = m();
        });
        a.length = items.length + trailing;
        for (const [k, m] of extra) defineData(a, k, m());
        return a;
      });
    });
  const huge = fc
    .tuple(fc.constantFrom(2 ** 32 - 1, 100, 3000), fc.array(fc.tuple(fc.nat(), v), { minLength: 1, maxLength: 2 }))
    .map(([length, at]) =>
      maker(`/* sparse */ Object.assign(Array(${length}), { ${at.map(([i, m]) => `${i % length}: ${m.recipe}`).join(', ')} })`, () => {
        const a: unknown[] = [];
        a.length = length;
        for (const [i, m] of at) a[i % length] = m();
        return a;
      }),
    );
  const list = [dense, fc.oneof({ weight: 3, arbitrary: withHoles }, { weight: 1, arbitrary: huge })];
  if (level === 'rich') {
    list.push(
      fc.tuple(fc.array(v, { maxLength: 3 }), fc.string({ maxLength: 4 }), v).map(([ms, d, sv]) =>
        maker(`Object.assign([${ms.map((m) => m.recipe).join(', ')}], { [Symbol(${JSON.stringify(d)})]: ${sv.recipe} })`, () => {
          const a = ms.map((m) => m());
          defineData(a, Symbol(d), sv());
          return a;
        }),
      ),
    );
  }
  return list;
}

const DATA_KINDS = ['data', 'data', 'data', 'hidden', 'readonly', 'setter', 'symbol'] as const;
const ACCESSOR_KINDS = ['getter', 'accessor'] as const;
type PropKind = (typeof DATA_KINDS)[number] | (typeof ACCESSOR_KINDS)[number];
const PROTOS = ['object', 'object', 'object', 'null', 'custom', 'class'] as const;
const INTEGRITY = ['none', 'none', 'none', 'none', 'freeze', 'seal', 'preventExtensions'] as const;

function addProp(o: object, kind: PropKind, key: string, m: Maker): void {
  switch (kind) {
    case 'data':
      return defineData(o, key, m());
    case 'hidden':
      return defineData(o, key, m(), { enumerable: false });
    case 'readonly':
      return defineData(o, key, m(), { writable: false, configurable: false });
    case 'getter': {
      const value = m(); // built once: the getter is pure
      Object.defineProperty(o, key, { get: () => value, enumerable: true, configurable: true });
      return;
    }
    case 'setter':
      Object.defineProperty(o, key, { set: () => undefined, enumerable: true, configurable: true });
      return;
    case 'accessor': {
      let value = m();
      Object.defineProperty(o, key, {
        get: () => value,
        set: (x: unknown) => {
          value = x;
        },
        enumerable: true,
        configurable: true,
      });
      return;
    }
    case 'symbol':
      return defineData(o, Symbol(key), m());
  }
}

/**
 * What a getter returns, or a Proxy wraps, is plain data: a checker that runs no getter and no trap
 * can't know it, so the only thing that may show is the flattening or the unwrapping itself.
 */
function richObjectMaker(v: fc.Arbitrary<Maker>, plain: fc.Arbitrary<Maker>): fc.Arbitrary<Maker> {
  const prop = fc.oneof(
    { weight: 4, arbitrary: fc.tuple(plainKey, fc.constantFrom<PropKind>(...DATA_KINDS), v) },
    { weight: 1, arbitrary: fc.tuple(plainKey, fc.constantFrom<PropKind>(...ACCESSOR_KINDS), plain) },
  );
  return fc
    .record({
      props: fc.array(prop, { maxLength: 4 }),
      proto: fc.constantFrom(...PROTOS),
      integrity: fc.constantFrom(...INTEGRITY),
    })
    .map(({ props, proto, integrity }) => {
      const base = { object: '{}', null: 'Object.create(null)', custom: 'Object.create({ inherited: 1 })', class: 'new Bag()' }[proto];
      const recipe = `/* ${integrity} */ ${base} + ${props.map(([k, kind, m]) => `${kind} ${JSON.stringify(k)} = ${m.recipe}`).join('; ') || 'no props'}`;
      return maker(recipe, () => {
        const o: object = proto === 'object' ? {} : proto === 'null' ? Object.create(null) : proto === 'custom' ? Object.create({ inherited: 1 }) : new Bag();
        for (const [k, kind, m] of props) {
          // Redefining a non-configurable property would throw: the first definition of a key wins.
          const d = Object.getOwnPropertyDescriptor(o, kind === 'symbol' ? Symbol(k) : k);
          if (d !== undefined) continue;
          addProp(o, kind, k, m);
        }
        if (integrity === 'freeze') Object.freeze(o);
        else if (integrity === 'seal') Object.seal(o);
        else if (integrity === 'preventExtensions') Object.preventExtensions(o);
        return o;
      });
    });
}

function collectionMakers(v: fc.Arbitrary<Maker>, level: Level): fc.Arbitrary<Maker>[] {
  const rich = level === 'rich';
  const variant = rich ? fc.constantFrom('plain', 'plain', 'subclass', 'extra') : fc.constant('plain');
  const mapArb = fc.tuple(fc.array(fc.tuple(v, v), { maxLength: 3 }), variant).map(([entries, kind]) => {
    const body = `[${entries.map(([k, x]) => `[${k.recipe}, ${x.recipe}]`).join(', ')}]`;
    return maker(kind === 'subclass' ? `new MyMap(${body})` : kind === 'extra' ? `Object.assign(new Map(${body}), { extra: 1 })` : `new Map(${body})`, () => {
      const pairs = entries.map(([k, x]) => [k(), x()] as [unknown, unknown]);
      const m = kind === 'subclass' ? new MyMap(pairs) : new Map(pairs);
      if (kind === 'extra') defineData(m, 'extra', 1);
      return m;
    });
  });
  const setArb = fc.tuple(fc.array(v, { maxLength: 3 }), variant).map(([members, kind]) => {
    const body = `[${members.map((m) => m.recipe).join(', ')}]`;
    return maker(kind === 'subclass' ? `new MySet(${body})` : kind === 'extra' ? `Object.assign(new Set(${body}), { extra: 1 })` : `new Set(${body})`, () => {
      const ms = members.map((m) => m());
      const s = kind === 'subclass' ? new MySet(ms) : new Set(ms);
      if (kind === 'extra') defineData(s, 'extra', 1);
      return s;
    });
  });
  return [mapArb, setArb];
}

function boxedMakers(): fc.Arbitrary<Maker>[] {
  return [
    fc.double().map((n) => maker(`new Number(${literal(n)})`, () => new Number(n))),
    fc.string({ maxLength: 5 }).map((s) => maker(`new String(${JSON.stringify(s)})`, () => new String(s))),
    fc.boolean().map((b) => maker(`new Boolean(${b})`, () => new Boolean(b))),
    fc.bigInt().map((n) => maker(`Object(${n}n)`, () => Object(n) as object)),
  ];
}

function errorMaker(v: fc.Arbitrary<Maker>, level: Level): fc.Arbitrary<Maker> {
  const base = fc.record({ type: fc.constantFrom(...ERROR_TYPES), message: fc.string({ maxLength: 8 }), cause: fc.option(v, { freq: 3 }) });
  return base.map(({ type, message, cause }) =>
    maker(`new ${type}(${JSON.stringify(message)}${cause ? `, { cause: ${cause.recipe} }` : ''})`, () =>
      cause ? new ERRORS[type](message, { cause: cause() }) : new ERRORS[type](message),
    ),
  ).chain((m) =>
    level === 'rich'
      ? fc.constantFrom('as is', 'as is', 'extra').map((k) =>
          k === 'as is' ? m : maker(`Object.assign(${m.recipe}, { details: 1 })`, () => Object.assign(m() as object, { details: 1 })),
        )
      : fc.constant(m),
  );
}

function richCompositeMakers(v: fc.Arbitrary<Maker>, plain: fc.Arbitrary<Maker>): fc.Arbitrary<Maker>[] {
  const asObject = (m: Maker): Maker<object> =>
    maker(`Object(${m.recipe})`, () => {
      const x = m();
      return (typeof x === 'object' && x !== null) || typeof x === 'function' ? (x as object) : { v: x };
    });
  return [
    richObjectMaker(v, plain),
    plain.map((m) => maker(`new Proxy(${asObject(m).recipe}, {})`, () => new Proxy(asObject(m)(), {}))),
    // Wrapped in an array: resolving with the value itself would read its `then`.
    v.map((m) => maker(`Promise.resolve([${m.recipe}])`, () => Promise.resolve([m()]))),
    v.map((m) => maker(`new WeakRef(${asObject(m).recipe})`, () => new WeakRef(asObject(m)()))),
    fc.tuple(fc.string({ maxLength: 4 }), v).map(([s, m]) => maker(`{ cmd: ${JSON.stringify(`NODE_${s}`)}, payload: ${m.recipe} }`, () => ({ cmd: `NODE_${s}`, payload: m() }))),
    v.map((m) => maker(`{ value: ${m.recipe}, toJSON() { return 'json'; } }`, () => ({ value: m(), toJSON: () => 'json' }))),
    plain.map((m) => maker(`Object.defineProperty({}, 'g', { get: () => ${m.recipe}, enumerable: true })`, () => {
      const value = m();
      return Object.defineProperty({}, 'g', { get: () => value, enumerable: true, configurable: true });
    })),
    fc.array(v, { maxLength: 3 }).map((ms) =>
      maker(`new AggregateError([${ms.map((m) => m.recipe).join(', ')}], 'many')`, () => new AggregateError(ms.map((m) => m()), 'many')),
    ),
  ];
}

// ---------------------------------------------------------------------------------------------
// Shared references and cycles
// ---------------------------------------------------------------------------------------------

/**
 * After a value is built, ties random inner objects together: `container[tieN] = target`, where
 * a container is an extensible plain object or array of the value (the root included) and a target
 * any object of the value (so an ancestor makes a cycle, anything else a shared reference).
 */
function withTies(arb: fc.Arbitrary<Maker>): fc.Arbitrary<Maker> {
  return fc.tuple(arb, fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 })).map(([m, ties]) => {
    if (ties.length === 0) return m;
    return maker(`${m.recipe} /* ties ${JSON.stringify(ties)} */`, () => {
      const value = m();
      const { containers, targets } = collect(value);
      if (containers.length > 0 && targets.length > 0) {
        ties.forEach(([from, to], i) => defineData(containers[from % containers.length]!, `tie${i}`, targets[to % targets.length]));
      }
      return value;
    });
  });
}

function collect(root: unknown): { containers: object[]; targets: object[] } {
  const containers: object[] = [];
  const targets: object[] = [];
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const x = stack.pop();
    if (x === null || typeof x !== 'object' || seen.has(x) || types.isProxy(x)) continue;
    seen.add(x);
    // Only walk into our own plain containers; never through a proxy or an accessor.
    const proto = Object.getPrototypeOf(x) as unknown;
    const plain = Array.isArray(x) ? proto === Array.prototype : proto === Object.prototype;
    targets.push(x);
    if (!plain) continue;
    if (Object.isExtensible(x)) containers.push(x);
    for (const k of Object.keys(x)) {
      const d = Object.getOwnPropertyDescriptor(x, k);
      if (d && 'value' in d) stack.push(d.value);
    }
  }
  return { containers, targets };
}

// ---------------------------------------------------------------------------------------------
// The three levels
// ---------------------------------------------------------------------------------------------

function makerFor(level: Level, plain?: fc.Arbitrary<Maker>, unusual = false): fc.Arbitrary<Maker> {
  const depthIdentifier = fc.createDepthIdentifier();
  const { value } = fc.letrec<{ value: Maker }>((tie) => {
    const v = tie('value');
    const plainObject = fc.array(fc.tuple(plainKey, v), { maxLength: 4 }).map((props) => maker(objectRecipe(props), () => objectFrom(props)));
    const prims = level === 'plain' ? plainPrimitive : structuredPrimitive;
    const leaves: fc.Arbitrary<Maker>[] = [primitiveMaker(prims)];
    const composites: fc.Arbitrary<Maker>[] = [plainObject, ...arrayMakers(v, level)];
    if (level !== 'plain') {
      leaves.push(dateMaker, regexpMaker, ...boxedMakers(), ...bufferMakers(level === 'rich'));
      composites.push(...collectionMakers(v, level), errorMaker(v, level));
    }
    if (level === 'rich') {
      leaves.push(symbolMaker, ...richLeafMakers);
      composites.push(...richCompositeMakers(v, plain ?? makerFor('plain')));
    }
    return {
      value: fc.oneof(
        { maxDepth: 3, depthIdentifier, depthSize: 'small' },
        // The first arbitrary is the one used at maximal depth: leaves only.
        { weight: 3, arbitrary: fc.oneof(...leaves.map((arbitrary, i) => ({ weight: i === 0 ? Math.max(4, leaves.length) : 1, arbitrary }))) },
        ...composites.map((arbitrary) => ({ weight: 1, arbitrary })),
        ...(unusual ? [{ weight: 3, arbitrary: fc.oneof(...unusualMakers(v)) }] : []),
      ),
    };
  });
  return level === 'plain' ? value : withTies(value);
}

/** Makers of JSON-safe data (no -0, NaN, ±Infinity, undefined, holes, shared references): lossless on every channel. */
export const plainValueMaker: fc.Arbitrary<Maker> = makerFor('plain');
/** Makers of values that the structured clone (`worker`) keeps exactly, shared references and cycles included. */
export const structuredValueMaker: fc.Arbitrary<Maker> = makerFor('structured');
/** Makers of anything a program might send. */
export const richValueMaker: fc.Arbitrary<Maker> = makerFor('rich', plainValueMaker);
export const anyValueMaker = richValueMaker;
/**
 * Makers of rich values with unusual ones mixed in (`./verify/unusual.ts`): replaced prototypes,
 * host and engine objects with own properties, odd Errors, shadowed view properties, integrity
 * levels on built-ins, JSON's corner cases. Some of them run code when a channel reads them.
 */
export const unusualValueMaker: fc.Arbitrary<Maker> = makerFor('rich', plainValueMaker, true);

/** JSON-safe data: lossless on every channel. */
export const plainValue: fc.Arbitrary<unknown> = plainValueMaker.map((m) => m());
/** Values that are lossless on `worker` (structured clone). */
export const structuredValue: fc.Arbitrary<unknown> = structuredValueMaker.map((m) => m());
/** Anything a program might send; see the module note on printing counterexamples. */
export const richValue: fc.Arbitrary<unknown> = richValueMaker.map((m) => m());
export const anyValue = richValue;
