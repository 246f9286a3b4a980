// Reading origins never runs the user's code (docs/contract.md, "what the checker never does"): no getter,
// no Proxy trap, no patched built-in, no Error.prepareStackTrace, whatever the function holds or
// closes over; and it never throws.
import { describe, expect, it } from 'vitest';
import { captureVerdicts } from '../src/capture-verdicts.js';
import { check } from '../src/check/index.js';
import { functionOrigin, functionOrigins, instanceHint, originHint } from '../src/origin/index.js';

const calls: string[] = [];
const hit = (name: string) => (): number => {
  calls.push(name);
  return 1;
};
const trapHandler: ProxyHandler<object> = new Proxy(
  {},
  {
    get(_t, trap) {
      return () => {
        calls.push(`trap ${String(trap)}`);
        throw new Error(`trap ${String(trap)} ran`);
      };
    },
  },
);

/** A closure over every hostile kind of value, made fresh for each test (origins are cached per function). */
function hostileClosure(): () => unknown[] {
  const stackGetter = Object.defineProperty(new Error('s'), 'stack', { get: hit('error stack getter') });
  const messageGetter = Object.defineProperty(new Error('m'), 'message', { get: hit('error message getter') });
  class LoudError extends Error {
    override get stack(): string {
      return String(hit('subclass stack getter')());
    }
  }
  const loud = new LoudError('l');
  const unformatted = new TypeError('never printed'); // its stack is formatted on first read: Error.prepareStackTrace
  const proxy = new Proxy({}, trapHandler);
  const proxyFn = new Proxy(() => 1, trapHandler);
  const tagged = {
    get [Symbol.toStringTag]() {
      return String(hit('toStringTag getter')());
    },
  };
  const ctorGetter = Object.create(Object.defineProperty({}, 'constructor', { get: hit('constructor getter') }));
  const proxyProto = Object.create(new Proxy({}, trapHandler));
  const date = new Date(0);
  Object.defineProperty(date, 'toString', { value: hit('date toString') });
  class Cache extends Map {
    static override get name(): string {
      return String(hit('static name getter')());
    }
  }
  const cache = new Cache();
  const primitive = { toString: hit('toString'), valueOf: hit('valueOf'), [Symbol.toPrimitive]: hit('toPrimitive') };
  return () => [stackGetter, messageGetter, loud, unformatted, proxy, proxyFn, tagged, ctorGetter, proxyProto, date, cache, primitive];
}

describe('origins never run the user’s code', () => {
  it('reads a closure over errors with getters, Proxies, getters and patched methods without calling any', () => {
    const fn = hostileClosure(); // made first: redefining an Error's stack formats it
    calls.length = 0;
    const saved = Error.prepareStackTrace;
    Error.prepareStackTrace = (e, frames) => {
      calls.push(
        `Error.prepareStackTrace ${String((e as Error).message)} ${frames.map((f) => `${f.getFunctionName()} ${f.getFileName()}:${f.getLineNumber()}`).join(' | ')}`,
      );
      return `${String(e)} ${frames.length}`;
    };
    let origin: ReturnType<typeof functionOrigin>;
    let verdicts: ReturnType<typeof captureVerdicts>;
    try {
      origin = functionOrigin(fn);
      verdicts = captureVerdicts(fn, ['worker', 'fork']);
      originHint(fn);
    } finally {
      Error.prepareStackTrace = saved;
    }
    expect(calls).toEqual([]);
    expect(origin?.kind).toBe('source');
    const kinds = Object.fromEntries((origin?.captures ?? []).map((c) => [c.name, c.kind]));
    expect(kinds).toEqual({
      stackGetter: 'Error',
      messageGetter: 'Error',
      loud: 'LoudError',
      unformatted: 'TypeError',
      proxy: 'Proxy',
      proxyFn: 'Proxy',
      tagged: 'Object',
      ctorGetter: 'object',
      proxyProto: 'object',
      date: 'Date',
      cache: 'Map', // its name is a getter: not read; the built-in it extends is named instead
      primitive: 'Object',
    });
    expect(verdicts.find((v) => v.name === 'proxy')?.verdicts).toEqual({ worker: 'throw', fork: 'reshape' });
  });

  it('calls no getter of the function itself, and skips one whose own properties hold an Error', () => {
    calls.length = 0;
    const withGetters = Object.defineProperties(function withGetters() {}, {
      loud: { get: hit('own getter'), enumerable: true },
      name: { get: hit('name getter') },
    });
    const withError = Object.assign(function withError() {}, { last: Object.defineProperty(new Error('x'), 'stack', { get: hit('own error stack') }) });
    const withErrorProto = Object.setPrototypeOf(
      function withErrorProto() {},
      Object.defineProperty(new Error('p'), 'message', { get: hit('proto error message') }),
    );
    const withProxyProto = Object.setPrototypeOf(function withProxyProto() {}, new Proxy(Function.prototype, trapHandler));
    class StaticName {
      static get name(): string {
        return String(hit('class static name')());
      }
    }
    const proxyFn = new Proxy(function target() {}, trapHandler);
    const withProxyValue = Object.assign(function withProxyValue() {}, { inner: Object.create(new Proxy({}, trapHandler)), plain: new Proxy({}, trapHandler) });
    const [a, b, c, d, e, f, g] = functionOrigins([withGetters, withError, withErrorProto, withProxyProto, StaticName, proxyFn, withProxyValue]);
    expect(g).toEqual({ kind: 'unknown', functionKind: 'function', name: 'withProxyValue' });
    // A Proxy as an own value, own toString, toStringTag and constructor getters: described without running them.
    class Loud {
      static toString(): string {
        return String(hit('static toString')());
      }
      static get [Symbol.toStringTag](): string {
        return String(hit('static toStringTag')());
      }
      static proxy = new Proxy({}, trapHandler);
    }
    Object.defineProperty(Loud, 'constructor', { get: hit('static constructor getter') });
    expect(functionOrigin(Loud)).toMatchObject({ kind: 'source', functionKind: 'class', name: 'Loud', topLevel: false });
    expect(calls).toEqual([]);
    expect(a).toMatchObject({ kind: 'source', functionKind: 'function' });
    expect(a?.name).toBeUndefined();
    expect(b).toEqual({ kind: 'unknown', functionKind: 'function', name: 'withError' });
    expect(c).toEqual({ kind: 'unknown', functionKind: 'function', name: 'withErrorProto' });
    expect(d).toEqual({ kind: 'unknown', functionKind: 'function', name: 'withProxyProto' });
    expect(e).toMatchObject({ kind: 'source', functionKind: 'class' });
    expect(f).toEqual({ kind: 'unknown' });
    expect(instanceHint(new Proxy({}, trapHandler))).toBeUndefined();
    expect(instanceHint(Object.create(new Proxy({}, trapHandler)))).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('calls no patched built-in', () => {
    calls.length = 0;
    const patches: [object, PropertyKey][] = [
      [Function.prototype, 'toString'],
      [Object.prototype, 'toString'],
      [Error.prototype, 'toString'],
      [Map.prototype, 'entries'],
      [Map.prototype, Symbol.iterator],
      [Set.prototype, Symbol.iterator],
      [Date.prototype, 'toString'],
      [Date.prototype, 'toISOString'],
      [RegExp.prototype, 'exec'],
      [RegExp.prototype, Symbol.match],
      [String.prototype, 'startsWith'],
      [String.prototype, 'slice'],
      [String.prototype, 'indexOf'],
      [Object, 'keys'],
      [Object, 'getOwnPropertyDescriptor'],
      [Object, 'create'],
      [Object, 'defineProperty'],
      [Reflect, 'ownKeys'],
      [Reflect, 'getOwnPropertyDescriptor'],
      [Reflect, 'getPrototypeOf'],
      [Reflect, 'defineProperty'],
      [Reflect, 'apply'],
      [JSON, 'stringify'],
      [JSON, 'parse'],
    ];
    const define = Object.defineProperty;
    const saved = patches.map(([o, k]) => [o, k, Object.getOwnPropertyDescriptor(o, k)!] as const);
    const fn = hostileClosure();
    const plain = (() => {
      const secret = 'kept';
      return () => secret;
    })();
    let origins: ReturnType<typeof functionOrigins>;
    try {
      for (const [o, k] of patches) define(o, k, { configurable: true, writable: true, value: hit(`patched ${String(k)}`) });
      origins = functionOrigins([fn, plain, Math.max]);
    } finally {
      for (const [o, k, d] of saved) define(o, k, d);
    }
    expect(calls).toEqual([]);
    expect(origins.map((o) => o?.kind)).toEqual(['source', 'source', 'built-in']);
    expect(origins[1]?.captures).toEqual([{ name: 'secret', kind: 'string', category: 'primitive', travel: 'data' }]);
  });

  it('check() under patched built-ins: kept origins are reused without calling anything, new ones are not looked up', () => {
    class Kept {
      constructor(readonly n: number) {}
    }
    const keptFn = (() => {
      const secret = 'kept';
      return () => secret;
    })();
    class Fresh {}
    const freshFn = (() => {
      const other = 1;
      return () => other;
    })();
    const codes = (r: ReturnType<typeof check>): string[] => r.findings.map((f) => `${f.channel} ${f.code} ${f.at}`);
    const before = check({ k: new Kept(1), f: keptFn });
    const expected = codes(check({ k: new Kept(2), f: keptFn, n: new Fresh(), g: freshFn }, { origins: false }));
    expect(before.findings.filter((f) => f.args.origin?.definedAt !== undefined)).toHaveLength(before.findings.length);
    const patches: [object, PropertyKey][] = [
      [Function.prototype, 'toString'],
      [Object, 'getOwnPropertyDescriptor'],
      [Object, 'freeze'],
      [Reflect, 'getOwnPropertyDescriptor'],
      [Reflect, 'getPrototypeOf'],
      [Reflect, 'apply'],
      [Map.prototype, 'get'],
      [Map.prototype, 'set'],
      [WeakMap.prototype, 'get'],
      [WeakMap.prototype, 'set'],
      [Array.prototype, 'push'],
      [Array.prototype, Symbol.iterator],
      [String.prototype, 'slice'],
      [String.prototype, 'split'],
      [RegExp.prototype, 'exec'],
      [JSON, 'stringify'],
    ];
    const define = Object.defineProperty;
    const saved: [object, PropertyKey, PropertyDescriptor][] = [];
    for (let i = 0; i < patches.length; i++) saved[i] = [patches[i]![0], patches[i]![1], Object.getOwnPropertyDescriptor(patches[i]![0], patches[i]![1])!];
    calls.length = 0;
    let after: ReturnType<typeof check>;
    try {
      for (let i = 0; i < patches.length; i++) {
        const k = patches[i]![1];
        define(patches[i]![0], k, { configurable: true, writable: true, value: () => (calls[calls.length] = `patched ${String(k)}`) });
      }
      after = check({ k: new Kept(2), f: keptFn, n: new Fresh(), g: freshFn });
    } finally {
      for (let i = 0; i < saved.length; i++) define(saved[i]![0], saved[i]![1], saved[i]![2]);
    }
    expect(calls).toEqual([]);
    expect(codes(after)).toEqual(expected);
    for (const f of after.findings) {
      const kept = f.at === '$.k' || f.at === '$.f';
      expect(f.args.origin, f.at).toEqual(kept ? before.findings.find((b) => b.at === f.at && b.channel === f.channel)!.args.origin : undefined);
    }
    // Unpatched again: the ones skipped under the patches are looked up now.
    const later = check({ n: new Fresh(), g: freshFn });
    expect(later.findings.filter((f) => f.args.origin?.definedAt !== undefined)).toHaveLength(later.findings.length);
  });

  it('runs no trap of a Proxy used as a `with` object, and claims no captures there', async () => {
    const vm = await import('node:vm');
    calls.length = 0;
    const fn = (vm.runInThisContext('(function (o) { with (o) { return () => x; } })') as (o: object) => () => unknown)(new Proxy({ x: 1 }, trapHandler));
    calls.length = 0;
    const o = functionOrigin(fn);
    expect(calls).toEqual([]);
    expect(o).toMatchObject({ kind: 'source', functionKind: 'arrow', topLevel: false });
    expect(o?.captures).toBeUndefined();
  });

  it('leaves nothing behind on the global object', () => {
    functionOrigin(() => 1);
    expect(Object.getOwnPropertyNames(globalThis).filter((k) => k.includes('clonecheck'))).toEqual([]);
  });
});
