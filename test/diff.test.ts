import { describe, expect, it } from 'vitest';
import vm from 'node:vm';
import { describe as describeValue, diff, diffDescriptions, type Difference } from '../src/roundtrip.js';

/** `at  category: …` lines, for readable assertions. */
const lines = (ds: Difference[]): string[] => ds.map((d) => `${d.at}  ${d.what}`);
const only = (a: unknown, b: unknown): Difference => {
  const ds = diff(a, b);
  expect(lines(ds)).toHaveLength(1);
  return ds[0]!;
};

describe('diff: nothing for the same value', () => {
  const cases: [string, () => unknown][] = [
    ['primitives', () => [0, -0, NaN, Infinity, 1n, '', 'a\uD800b', null, undefined, true]],
    ['nested data', () => ({ a: 1, b: [1, { c: 'x' }], d: { e: null } })],
    ['holes and sparse length', () => Object.assign([1, , 3], { length: 5, extra: 'x' })],
    [
      'Date, RegExp, Map, Set',
      () => ({
        d: new Date(0),
        bad: new Date(NaN),
        r: /a+/gi,
        m: new Map<unknown, unknown>([
          [{ k: 1 }, [1]],
          ['s', new Set([1, {}])],
        ]),
      }),
    ],
    [
      'buffers and views',
      () => {
        const ab = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]).buffer;
        return { ab, u8: new Uint8Array(ab, 2, 3), dv: new DataView(ab, 4), i16: new Int16Array([-1, 2]) };
      },
    ],
    ['boxed primitives', () => [new Number(-0), new String('s'), new Boolean(false), Object(2n)]],
    ['errors', () => Object.assign(new TypeError('m', { cause: { code: 42 } }), { stack: 'TypeError: m' })],
    [
      'a cycle',
      () => {
        const o: Record<string, unknown> = { name: 'root' };
        o.self = o;
        o.list = [o, { back: o }];
        return o;
      },
    ],
    [
      'shared references',
      () => {
        const s = { v: 1 };
        return { x: s, y: s, m: new Map([[s, s]]) };
      },
    ],
    ['integrity and descriptors', () => Object.freeze(Object.defineProperty({ a: 1 }, 'h', { value: 2, enumerable: false }))],
  ];
  for (const [name, make] of cases) {
    it(name, () => {
      expect(diff(make(), make())).toEqual([]);
    });
  }

  it('a class instance compared with another instance of the same class', () => {
    class P {
      x = 1;
    }
    expect(diff(new P(), new P())).toEqual([]);
  });

  it('treats a vm realm built-in prototype as its twin here', () => {
    const ctx = vm.createContext({});
    const theirs = vm.runInContext(
      '({ a: [1, { b: 2 }], m: new Map([[1, new Set(["x"])]]), d: new Date(0), r: /x/g, e: Object.assign(new RangeError("m"), { stack: "s" }), u: new Uint8Array([1, 2]), n: Object.create(null) })',
      ctx,
    );
    const ours = {
      a: [1, { b: 2 }],
      m: new Map([[1, new Set(['x'])]]),
      d: new Date(0),
      r: /x/g,
      e: Object.assign(new RangeError('m'), { stack: 's' }),
      u: new Uint8Array([1, 2]),
      n: Object.create(null),
    };
    expect(lines(diff(theirs, ours))).toEqual([]);
    expect(describeValue(theirs).nodes[0]!.proto).toEqual(['Object.prototype']);
  });

  it('survives a JSON round trip of the description', () => {
    const v = { a: -0, b: NaN, c: 10n, d: undefined, e: Symbol.for('x'), f: [, 1], g: new Map([[Symbol.iterator, 1]]) };
    const d = describeValue(v);
    const again = JSON.parse(JSON.stringify(d)) as typeof d;
    expect(diffDescriptions(d, again)).toEqual([]);
    expect(diffDescriptions(again, describeValue(v))).toEqual([]);
  });
});

describe('diff: each kind of difference, at the right path', () => {
  it('-0 and NaN are values of their own', () => {
    expect(lines(diff({ z: -0, n: NaN }, { z: 0, n: null }))).toEqual(['$.z  value: number -0 → number 0', '$.n  value: number NaN → null']);
    expect(diff([NaN], [NaN])).toEqual([]);
  });

  it('a missing key at [...parent, key], an added one too', () => {
    const d = diff({ a: { b: 1, c: 2 } }, { a: { c: 2, d: 3 } });
    expect(d.map((x) => x.path)).toEqual([
      ['a', 'b'],
      ['a', 'd'],
    ]);
    expect(d[0]!.what).toMatch(/^missing: own property/);
    expect(d[1]!.what).toMatch(/^added: own property/);
  });

  it('array indices are numbers in paths', () => {
    const d = only([1, [2, 3]], [1, [2, 4]]);
    expect(d.path).toEqual([1, 1]);
    expect(d.at).toBe('$[1][1]');
  });

  it('a hole is a missing element', () => {
    expect(lines(diff([1, , 3], [1, null, 3]))).toEqual(['$[1]  added: own property (data writable enumerable configurable, null)']);
  });

  it('a symbol key is reported at Symbol(description)', () => {
    const d = only({ [Symbol('hidden')]: 1, visible: 2 }, { visible: 2 });
    expect(d.path).toHaveLength(1);
    expect(typeof d.path[0]).toBe('symbol');
    expect(String(d.path[0])).toBe('Symbol(hidden)');
    expect(d.at).toBe('$[Symbol(hidden)]');
    // Registered symbols come back as themselves.
    expect(only({ [Symbol.for('reg')]: 1 }, {}).path[0]).toBe(Symbol.for('reg'));
  });

  it('a non-enumerable property counts', () => {
    const d = only(Object.defineProperty({ a: 1 }, 'h', { value: 2, enumerable: false }), { a: 1 });
    expect(d.at).toBe('$.h');
    expect(d.what).toBe('missing: own property (data read-only non-enumerable non-configurable, number 2)');
  });

  it('an accessor that became data', () => {
    const sender = Object.defineProperty({}, 'g', { get: () => 42, enumerable: true, configurable: true });
    expect(lines(diff(sender, { g: 42 }))).toEqual([
      '$.g  descriptor: accessor (get) enumerable configurable → data writable enumerable configurable, number 42',
    ]);
  });

  it('read-only became writable', () => {
    const d = only(Object.defineProperty({}, 'ro', { value: 1, enumerable: true }), { ro: 1 });
    expect(d.what).toBe('descriptor: data read-only enumerable non-configurable → data writable enumerable configurable');
  });

  it('a prototype: a class instance becomes a plain object, and the walk goes on inside', () => {
    class Point {
      constructor(public x: number) {}
    }
    const d = diff(new Point(1), { x: 2 });
    expect(d.map((x) => x.at)).toEqual(['$', '$.x']);
    expect(d[0]!.what).toMatch(/^prototype: Point\.prototype#\d+ > Object\.prototype → Object\.prototype$/);
    expect(d[1]!.what).toBe('value: number 1 → number 2');
  });

  it('two classes with the same name are different prototypes', () => {
    const make = () => class Same {};
    const A = make();
    const B = make();
    expect(only(new A(), new B()).what).toMatch(/^prototype: Same\.prototype#(\d+) > Object\.prototype → Same\.prototype#(?!\1)\d+ > Object\.prototype$/);
  });

  it('a null prototype', () => {
    expect(lines(diff(Object.create(null), {}))).toEqual(['$  prototype: null → Object.prototype']);
  });

  it('integrity levels', () => {
    expect(lines(diff(Object.preventExtensions({ a: 1 }), { a: 1 }))).toEqual(['$  integrity: non-extensible → extensible']);
    expect(lines(diff(Object.seal({ a: 1 }), { a: 1 }))).toEqual([
      '$  integrity: sealed → extensible',
      '$.a  descriptor: data writable enumerable non-configurable → data writable enumerable configurable',
    ]);
    expect(diff(Object.freeze({}), {})[0]!.what).toBe('integrity: frozen → extensible');
  });

  it('a kind change is one difference, and the walk stops there', () => {
    expect(lines(diff({ m: new Map([[1, { a: 1 }]]) }, { m: {} }))).toEqual(['$.m  kind: Map → Object']);
    expect(lines(diff(new Date(0), '1970-01-01T00:00:00.000Z'))).toEqual(['$  kind: Date → string "1970-01-01T00:00:00.000Z"']);
  });

  it('Date and RegExp internals', () => {
    expect(lines(diff(new Date(0), new Date(1)))).toEqual(['$  internal: time "0" → "1"']);
    expect(lines(diff(new Date(0), new Date(NaN)))).toEqual(['$  internal: time "0" → "NaN"']);
    expect(lines(diff(/a/gi, /a/g))).toEqual(['$  internal: flags "gi" → "g"']);
    expect(lines(diff(/a/, /b/))).toEqual(['$  internal: source "a" → "b"']);
    expect(lines(diff(Object.assign(/a/g, { lastIndex: 3 }), /a/g))).toEqual(['$.lastIndex  value: number 3 → number 0']);
  });

  it('Map entries: by position, key then value', () => {
    const d = only(new Map([['k', { v: 1 }]]), new Map([['k', { v: 2 }]]));
    expect(d.path).toEqual([{ kind: 'map-value', index: 0 }, 'v']);
    expect(d.at).toBe('$.get("k").v');
    const k = only(new Map([[{ id: 1 }, 'x']]), new Map([[{ id: 2 }, 'x']]));
    expect(k.path).toEqual([{ kind: 'map-key', index: 0 }, 'id']);
    const missing = only(
      new Map([
        [1, 1],
        [2, 2],
      ]),
      new Map([[1, 1]]),
    );
    expect(missing.path).toEqual([{ kind: 'map-key', index: 1 }]);
    expect(missing.what).toBe('missing: Map entry (key number 2)');
  });

  it('Set members: by position', () => {
    const d = only(new Set([1, { a: 1 }]), new Set([1, { a: 2 }]));
    expect(d.path).toEqual([{ kind: 'set-member', index: 1 }, 'a']);
    expect(only(new Set([1, 2]), new Set([1])).what).toBe('missing: Set member number 2');
  });

  it('buffer bytes and lengths', () => {
    expect(lines(diff(new Uint8Array([1, 2]).buffer, new Uint8Array([1, 3]).buffer))).toEqual(['$  internal: bytes "0102" → "0103"']);
    expect(lines(diff(new ArrayBuffer(2), new ArrayBuffer(3)))).toEqual(['$  internal: byteLength 2 → 3', '$  internal: bytes "0000" → "000000"']);
    const resizable = new (ArrayBuffer as unknown as new (n: number, o: object) => ArrayBuffer)(2, { maxByteLength: 4 });
    expect(lines(diff(resizable, new ArrayBuffer(2)))).toEqual(['$  internal: resizable true → false', '$  internal: maxByteLength 4 → (none)']);
    const detached = new ArrayBuffer(4);
    structuredClone(detached, { transfer: [detached] });
    expect(lines(diff(detached, new ArrayBuffer(0)))).toEqual(['$  internal: detached true → false', '$  internal: bytes (none) → ""']);
  });

  it('a view: type, offset, length, and its buffer', () => {
    const big = new Uint8Array([0, 1, 2, 3]).buffer;
    expect(lines(diff(new Uint8Array(big, 1, 2), new Uint8Array(new Uint8Array([1, 2]).buffer)))).toEqual([
      '$  internal: byteOffset 1 → 0',
      '$  internal: [[buffer]] byteLength 4 → 2',
      '$  internal: [[buffer]] bytes "00010203" → "0102"',
    ]);
    expect(lines(diff(new Uint8Array(2), new Int8Array(2)))).toEqual(['$  kind: Uint8Array → Int8Array']);
    expect(lines(diff(Buffer.alloc(2), new Uint8Array(2)))[0]).toBe(
      '$  prototype: Buffer.prototype > Uint8Array.prototype > %TypedArray%.prototype > Object.prototype → Uint8Array.prototype > %TypedArray%.prototype > Object.prototype',
    );
  });

  it('boxed primitives', () => {
    expect(lines(diff(new Number(-0), new Number(0)))).toEqual(['$  internal: value "{\\"n\\":\\"-0\\"}" → 0']);
    expect(lines(diff(new String('ab'), 'ab'))).toEqual(['$  kind: String → string "ab"']);
  });

  it('identity: a shared reference lost is reported at the later sighting', () => {
    const s = { v: 1 };
    const d = only({ x: s, y: s }, { x: { v: 1 }, y: { v: 1 } });
    expect(d.path).toEqual(['y']);
    expect(d.what).toBe('identity: shared reference lost (was the same object as $.x)');
  });

  it('identity: two objects merged into one, at the later sighting', () => {
    const s = { v: 1 };
    const d = only({ a: [{ v: 1 }, { v: 1 }] }, { a: [s, s] });
    expect(d.path).toEqual(['a', 1]);
    expect(d.what).toBe('identity: now the same object as $.a[0] (a different object on the sender)');
  });

  it('identity: a cycle that became a copy, and inside Map entries', () => {
    const o: Record<string, unknown> = { n: 1 };
    o.self = o;
    expect(lines(diff(o, { n: 1, self: { n: 1 } }))).toEqual(['$.self  identity: shared reference lost (was the same object as $)']);
    const k = { id: 1 };
    expect(lines(diff(new Map([[k, k]]), new Map([[{ id: 1 }, { id: 1 }]])))).toEqual([
      '$.values()[0]  identity: shared reference lost (was the same object as $.keys()[0])',
    ]);
  });

  it('identity: views that stopped sharing their buffer', () => {
    const ab = new ArrayBuffer(2);
    const d = only([ab, new Uint8Array(ab)], [new ArrayBuffer(2), new Uint8Array(2)]);
    expect(d.path).toEqual([1]);
    expect(d.what).toBe('identity: [[buffer]] shared reference lost (was the same object as $[0])');
  });

  it('long strings say where they differ', () => {
    const a = `${'x'.repeat(100)}a`;
    expect(only(a, `${'x'.repeat(100)}b`).what).toMatch(/^value: string \(length 101\) → string \(length 101\), first different at index 100/);
  });
});

describe("describe: runs none of the value's code", () => {
  it('never calls a getter, not even a throwing one', () => {
    let calls = 0;
    const o = {
      get boom(): never {
        calls++;
        throw new Error('getter ran');
      },
    };
    const d = describeValue({ o, arr: Object.defineProperty([], '0', { get: () => calls++, enumerable: true }) });
    expect(calls).toBe(0);
    expect(d.nodes[1]!.keys![0]![1] & 8).toBe(8); // an accessor
  });

  it('never runs a Proxy trap, and a revoked proxy is fine', () => {
    const trapped: string[] = [];
    const handler = new Proxy(
      {},
      {
        get: (_t, trap) => (
          trapped.push(String(trap)),
          () => {
            throw new Error('trap');
          }
        ),
      },
    );
    const p = new Proxy({ a: 1 }, handler);
    const r = Proxy.revocable({}, {});
    r.revoke();
    const d = describeValue({ p, revoked: r.proxy, proto: Object.create(p) as object });
    expect(trapped).toEqual([]);
    expect(d.nodes.map((n) => n.kind)).toEqual(['Object', 'Proxy', 'Proxy', 'Object']);
    expect(d.nodes[3]!.proto).toEqual(['Proxy']);
    expect(diff({ p }, { p })).toEqual([]);
  });

  it('ignores toJSON and patched prototype methods', () => {
    const saved = {
      forEach: Map.prototype.forEach,
      getTime: Date.prototype.getTime,
      setForEach: Set.prototype.forEach,
      global: Object.getOwnPropertyDescriptor(RegExp.prototype, 'global')!,
      byteOffset: Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), 'byteOffset')!,
    };
    const boom = (): never => {
      throw new Error('patched method ran');
    };
    try {
      Map.prototype.forEach = boom;
      Set.prototype.forEach = boom;
      Date.prototype.getTime = boom;
      Object.defineProperty(RegExp.prototype, 'global', { get: boom, configurable: true });
      Object.defineProperty(Object.getPrototypeOf(Uint8Array.prototype), 'byteOffset', { get: boom, configurable: true });
      const v = { toJSON: boom, m: new Map([[1, 2]]), s: new Set([1]), d: new Date(5), r: /x/g, u: new Uint8Array(2) };
      const d = describeValue(v);
      expect(d.nodes.find((n) => n.kind === 'Date')!.int).toEqual({ time: '5' });
      expect(d.nodes.find((n) => n.kind === 'RegExp')!.int).toEqual({ source: 'x', flags: 'g' });
      expect(d.nodes.find((n) => n.kind === 'Map')!.entries).toEqual([[1, 2]]);
      expect(d.nodes.find((n) => n.kind === 'Uint8Array')!.int).toEqual({ length: 2, byteOffset: 0, byteLength: 2 });
    } finally {
      Map.prototype.forEach = saved.forEach;
      Set.prototype.forEach = saved.setForEach;
      Date.prototype.getTime = saved.getTime;
      Object.defineProperty(RegExp.prototype, 'global', saved.global);
      Object.defineProperty(Object.getPrototypeOf(Uint8Array.prototype), 'byteOffset', saved.byteOffset);
    }
  });
});

describe('describe: size and depth', () => {
  it('a chain 100,000 deep', () => {
    const chain = (leaf: number): Record<string, unknown> => {
      const root: Record<string, unknown> = {};
      let o = root;
      for (let i = 0; i < 100_000; i++) o = (o.next = {}) as Record<string, unknown>;
      o.leaf = leaf;
      return root;
    };
    const a = describeValue(chain(1));
    expect(a.nodes).toHaveLength(100_001);
    const d = diffDescriptions(a, describeValue(chain(2)));
    expect(d).toHaveLength(1);
    expect(d[0]!.path).toHaveLength(100_001);
    expect(d[0]!.what).toBe('value: number 1 → number 2');
  }, 30_000);

  it('a sparse array of length 2**32-1 with one element', () => {
    const a: unknown[] = [];
    a.length = 2 ** 32 - 1;
    a[4_000_000_000] = 'x';
    const t = performance.now();
    const d = describeValue(a);
    expect(performance.now() - t).toBeLessThan(100);
    expect(d.nodes[0]!.keys!.map((k) => k[0])).toEqual(['4000000000', 'length']);
    const b: unknown[] = [];
    b.length = 2 ** 32 - 1;
    b[4_000_000_001] = 'x';
    expect(lines(diff(a, b)).map((l) => l.split('  ')[0])).toEqual(['$[4000000000]', '$[4000000001]']);
  });

  it('a 1,000,000-element array', () => {
    const a = Array.from({ length: 1_000_000 }, (_, i) => i);
    const t = performance.now();
    const d = describeValue(a);
    expect(performance.now() - t).toBeLessThan(10_000);
    expect(d.nodes[0]!.keys).toHaveLength(1_000_001);
    const b = a.slice();
    b[999_999] = -1;
    expect(lines(diffDescriptions(d, describeValue(b)))).toEqual(['$[999999]  value: number 999999 → number -1']);
  }, 30_000);
});

describe('describe: kinds come from internal slots, not prototypes', () => {
  const kindOf = (v: unknown): string => describeValue(v).nodes[0]!.kind;

  it('a built-in whose prototype was replaced keeps its kind', () => {
    expect(kindOf(Object.setPrototypeOf(new Map([[1, 2]]), Object.prototype))).toBe('Map');
    expect(kindOf(Object.setPrototypeOf(new Date(0), null))).toBe('Date');
    expect(kindOf(Object.setPrototypeOf(new Uint8Array(2), Object.prototype))).toBe('Uint8Array');
    expect(kindOf(Object.setPrototypeOf(Promise.resolve(1), null))).toBe('Promise');
    expect(kindOf(Object.setPrototypeOf(new WeakRef({}), null))).toBe('WeakRef');
    expect(kindOf(Object.setPrototypeOf(new FinalizationRegistry(() => undefined), null))).toBe('FinalizationRegistry');
  });

  it('an object that only inherits a built-in or host prototype is an ordinary object', () => {
    expect(kindOf(Object.create(Map.prototype))).toBe('Object');
    expect(kindOf(Object.create(Blob.prototype))).toBe('Object');
    expect(kindOf(Object.create(URL.prototype))).toBe('Object');
    expect(kindOf(new Blob(['x']))).toBe('Blob');
    expect(kindOf(new URL('https://a.example/'))).toBe('URL');
    // ... and says so as a prototype change, not a kind change, when it arrives as a plain object.
    expect(lines(diff(Object.create(Blob.prototype), {}))[0]).toMatch(/^\$ {2}prototype: Blob\.prototype/);
  });
});
