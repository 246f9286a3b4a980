// What the checker must never do (docs/contract.md): run the user's code, throw, crash on depth, hang on size,
// or copy the value. Each test counts every way the value's own code could run.
import * as vm from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { withPatchedBuiltins, type Patch } from './helpers/patched.js';

const internalError = (result: ReturnType<typeof check>): unknown => result.internalError;

describe('check() never runs the value’s code', () => {
  it('calls no getter, setter, toJSON, toString, valueOf or Symbol.toPrimitive', () => {
    const calls: string[] = [];
    const hit = (name: string) => () => {
      calls.push(name);
      return 1;
    };
    class Base {
      get inherited(): number {
        return hit('inherited getter')();
      }
      toJSON = undefined;
    }
    class WithJSON extends Base {
      override toJSON = undefined;
    }
    Object.defineProperty(WithJSON.prototype, 'toJSON', { get: hit('toJSON getter') });
    const value = {
      get own() {
        return hit('own getter')();
      },
      set own(_v: number) {
        hit('setter')();
      },
      thrower: Object.defineProperty({}, 'boom', {
        enumerable: true,
        get() {
          calls.push('throwing getter');
          throw new Error('boom');
        },
      }),
      hidden: Object.defineProperty({}, 'h', { get: hit('non-enumerable getter') }),
      instance: new WithJSON(),
      own2: { toJSON: hit('own toJSON'), toString: hit('toString'), valueOf: hit('valueOf'), [Symbol.toPrimitive]: hit('toPrimitive') },
      map: new Map<unknown, unknown>([
        [
          { valueOf: hit('map key valueOf') },
          {
            get g() {
              return hit('map value getter')();
            },
          },
        ],
      ]),
      err: Object.defineProperty(new Error('x'), 'code', { enumerable: true, get: hit('error getter') }),
      re: Object.assign(/x/g, { lastIndex: { toString: hit('lastIndex toString') } }),
      arr: Object.defineProperty([1, 2, 3], 1, { get: hit('index getter'), enumerable: true }),
      big: Object.defineProperty(new Array(100_000).fill(0), 50_000, { get: hit('big index getter'), enumerable: true }),
    };
    const result = check(value);
    expect(calls).toEqual([]);
    expect(internalError(result)).toBeUndefined();
    const codes = result.findings.filter((f) => f.channel === 'worker').map((f) => `${f.code} ${f.at}`);
    expect(codes).toContain('ACCESSOR_FLATTENED $.own');
    expect(codes).toContain('ACCESSOR_FLATTENED $.thrower.boom');
    expect(codes).toContain('ACCESSOR_FLATTENED $.arr[1]');
    expect(codes).toContain('ACCESSOR_FLATTENED $.big[50000]');
  });

  it('runs no Proxy trap, nested or in a prototype chain', () => {
    const traps: string[] = [];
    const handler: ProxyHandler<object> = new Proxy(
      {},
      {
        get(_t, trap) {
          return () => {
            traps.push(String(trap));
            throw new Error(`trap ${String(trap)} ran`);
          };
        },
      },
    );
    const sparse: unknown[] = [];
    sparse.length = 200_000;
    sparse[10] = 1;
    Object.setPrototypeOf(sparse, new Proxy([], handler));
    const value = {
      p: new Proxy({ a: 1 }, handler),
      fn: new Proxy(() => 1, handler),
      protoProxy: Object.create(new Proxy({}, handler)),
      arrayWithProxyProto: Object.setPrototypeOf([1, , 3], new Proxy([], handler)),
      sparse,
    };
    const result = check(value);
    expect(traps).toEqual([]);
    expect(internalError(result)).toBeUndefined();
    expect(result.findings.find((f) => f.channel === 'worker' && f.at === '$.p')?.code).toBe('PROXY_NOT_CLONEABLE');
    expect(result.findings.find((f) => f.channel === 'fork' && f.at === '$.p')?.code).toBe('PROXY_UNWRAPPED');
  });

  it('calls no patched prototype method or built-in getter', () => {
    const calls: string[] = [];
    const patches: Patch[] = [
      [Map.prototype, 'entries'],
      [Map.prototype, 'forEach'],
      [Map.prototype, Symbol.iterator],
      [Set.prototype, 'values'],
      [Set.prototype, Symbol.iterator],
      [Date.prototype, 'getTime'],
      [Date.prototype, 'toISOString'],
      [Date.prototype, 'toJSON'],
      [Object.prototype, 'toString'],
      [Object.prototype, 'hasOwnProperty'],
      [Function.prototype, 'toString'],
      [Symbol.prototype, 'toString'],
      [Error.prototype, 'toString'],
      [Object, 'keys'],
      [Object, 'hasOwn'],
      [Object, 'getOwnPropertyDescriptor'],
      [Reflect, 'ownKeys'],
      [Reflect, 'apply'],
      [Reflect, 'set'],
      [Reflect, 'construct'],
      [JSON, 'stringify'],
      [Map.prototype, 'get'],
      [Map.prototype, 'set'],
      [Set.prototype, 'has'],
      [Set.prototype, 'add'],
      [Array.prototype, Symbol.iterator],
      [Math, 'max'],
      [Math, 'min'],
      [Array.prototype, 'push'],
      [Array.prototype, 'pop'],
      [Array.prototype, 'includes'],
      [Array.prototype, 'find'],
      [Array.prototype, 'filter'],
      [String.prototype, 'startsWith'],
      [String.prototype, 'endsWith'],
      [String.prototype, 'charCodeAt'],
      [Object, 'is'],
    ];
    const getterPatches: Patch[] = [
      [RegExp.prototype, 'flags'],
      [RegExp.prototype, 'source'],
      [Map.prototype, 'size'],
      [Object.getPrototypeOf(Uint8Array.prototype) as object, 'buffer'],
      [Object.getPrototypeOf(Uint8Array.prototype) as object, 'length'],
      [ArrayBuffer.prototype, 'byteLength'],
    ];
    const value = {
      m: new Map([['k', new Set([1, new Date(0)])]]),
      re: /a/gi,
      u8: new Uint8Array(new ArrayBuffer(16), 2, 4),
      buf: Buffer.from('patched'),
      fn() {},
      cls: class A {
        #x = 1;
        get x(): number {
          return this.#x;
        }
      },
      inst: new (class B {
        #y = 2;
        y(): number {
          return this.#y;
        }
      })(),
      err: new TypeError('t'),
      // Recognised by name through String methods: a built-in of another realm, engine objects.
      foreign: vm.runInNewContext('({ at: new Date(0), list: new Map([[1, 2]]) })') as unknown,
      iterator: [1, 2].values(),
      collator: new Intl.Collator(),
    };
    // The same verdict with and without the patches (origins off: they are skipped under patches).
    const unpatched = check(value, { origins: false }).findings.map((f) => `${f.channel} ${f.code} ${f.at}`);
    const result = withPatchedBuiltins(calls, { methods: patches, getters: getterPatches }, () => check(value));
    expect(calls).toEqual([]);
    expect(internalError(result)).toBeUndefined();
    expect(result.findings.length).toBeGreaterThan(5);
    expect(result.findings.map((f) => `${f.channel} ${f.code} ${f.at}`)).toEqual(unpatched);
  });
});

describe('check() never runs the code of unusual values either', () => {
  it('runs no getter of an Error, a view, a host object or a boxed primitive, and no toJSON', () => {
    const calls: string[] = [];
    const getter = (name: string, value: unknown = 'x') => ({
      get() {
        calls.push(name);
        return value;
      },
      configurable: true,
    });
    const errWithGetters = new Error('m');
    Object.defineProperty(errWithGetters, 'name', getter('error name getter', 'TypeError'));
    Object.defineProperty(errWithGetters, 'message', getter('error message getter'));
    const viewWithGetters = new Uint8Array(4);
    Object.defineProperty(viewWithGetters, 'constructor', getter('view constructor getter', Uint8Array));
    Object.defineProperty(viewWithGetters, Symbol.toStringTag, getter('view tag getter', 'Uint8Array'));
    Object.defineProperty(viewWithGetters, 'byteLength', getter('view byteLength getter', 4));
    const dataView = new DataView(new ArrayBuffer(4));
    Object.defineProperty(dataView, 'byteOffset', getter('DataView byteOffset getter', 0));
    const emptyBuffer = new ArrayBuffer(0);
    Object.defineProperty(emptyBuffer, 'constructor', getter('ArrayBuffer constructor getter'));
    const boxed = Object.setPrototypeOf(new Number(1), {
      get valueOf() {
        calls.push('boxed valueOf getter');
        return () => 1;
      },
    });
    const borrowed = {
      toJSON: Date.prototype.toJSON,
      get toISOString() {
        calls.push('toISOString getter');
        return () => 'x';
      },
    };
    const blob = Object.defineProperty(new Blob(['a']), 'extra', { ...getter('host object getter'), enumerable: true });
    const fakeBlob = Object.defineProperty(Object.create(Blob.prototype), 'size', getter('fake Blob getter', 1));
    const mapNoProto = Object.setPrototypeOf(
      new Map([
        [
          1,
          {
            get g() {
              calls.push('entry getter');
              return 1;
            },
          },
        ],
      ]),
      null,
    );
    const value = { errWithGetters, viewWithGetters, dataView, emptyBuffer, boxed, borrowed, blob, fakeBlob, mapNoProto };
    const result = check(value, { channels: ['worker', 'fork', 'fork-advanced', 'json', 'v8'] });
    expect(calls).toEqual([]);
    expect(internalError(result)).toBeUndefined();
  });

  it('reads a transferList without running it, and refuses one that is not an array', () => {
    let ran = 0;
    const list: unknown[] = [];
    Object.defineProperty(list, 0, { get: () => (ran++, new ArrayBuffer(1)), enumerable: true });
    const result = check({ a: 1 }, { channels: ['worker'], transferList: list });
    expect(ran).toBe(0);
    expect(result.findings.map((f) => f.code)).toEqual(['TRANSFER_LIST_INVALID']);
    const traps = new Proxy([], {
      get: () => {
        ran++;
        return 1;
      },
    });
    expect(() => check({ a: 1 }, { transferList: traps })).toThrow(TypeError);
    expect(() => check({ a: 1 }, { transferList: { length: 2 ** 25 } as unknown as unknown[] })).toThrow(TypeError);
    expect(ran).toBe(0);
  });

  it('reports an internal error as a finding on every channel, never as lossless', async () => {
    const { Walker } = await import('../src/walk/kinds.js');
    const visit = Walker.prototype.visit;
    Walker.prototype.visit = () => {
      throw new Error('a bug in the walker');
    };
    try {
      const result = check({ a: 1 }, { channels: ['worker', 'json'] });
      expect(result.findings.map((f) => `${f.channel} ${f.code} ${f.effect}`)).toEqual(['worker CHECK_INCOMPLETE changed', 'json CHECK_INCOMPLETE changed']);
      expect(result.findings[0]!.message).toContain('a bug in the walker');
      expect(result.lossless).toEqual({ worker: false, json: false });
    } finally {
      Walker.prototype.visit = visit;
    }
  });
});

describe('check() never fails and never hangs', () => {
  it('walks a chain a million levels deep', () => {
    let chain: Record<string, unknown> = {};
    const root = chain;
    for (let i = 0; i < 1_000_000; i++) chain = chain.next = {};
    const codes = (result: ReturnType<typeof check>): string[] => {
      expect(internalError(result)).toBeUndefined();
      return result.findings.map((f) => `${f.channel} ${f.code}`).sort();
    };
    // Node 20's rules, from any line: JSON.stringify recurses, so the fork send throws too.
    expect(codes(check(root, { target: 'node20' }))).toEqual(['fork NESTING_TOO_DEEP', 'fork-advanced NESTING_TOO_DEEP', 'worker NESTING_TOO_DEEP']);
    // The running line's: the fork send is JSON.stringify, which stops recursing from Node 26 (the send
    // goes through); what it does with this chain here decides.
    let jsonThrows = false;
    try {
      JSON.stringify(root);
    } catch (e) {
      expect(e).toBeInstanceOf(RangeError);
      jsonThrows = true;
    }
    expect(codes(check(root))).toEqual([...(jsonThrows ? ['fork NESTING_TOO_DEEP'] : []), 'fork-advanced NESTING_TOO_DEEP', 'worker NESTING_TOO_DEEP']);
  }, 60_000);

  it('costs one element for an array of length 2**32-1 with one element', () => {
    const arr: unknown[] = [];
    arr.length = 2 ** 32 - 1;
    arr[123_456_789] = () => 1;
    const started = performance.now();
    const result = check({ arr });
    expect(performance.now() - started).toBeLessThan(2000); // generous: a per-index loop takes minutes
    expect(result.findings.map((f) => `${f.channel} ${f.code} ${f.at}`)).toEqual([
      'worker FUNCTION_NOT_CLONEABLE $.arr[123456789]',
      'fork ARRAY_ELEMENT_BECOMES_NULL $.arr[123456789]',
      'fork JSON_TOO_LONG $.arr',
      'fork-advanced FUNCTION_NOT_CLONEABLE $.arr[123456789]',
    ]);
  });

  it('handles cycles through every container', () => {
    const o: Record<string, unknown> = {};
    const m = new Map<unknown, unknown>([[o, o]]);
    const s = new Set<unknown>([o, m]);
    const e = new Error('e', { cause: o });
    Object.assign(o, { m, s, e, arr: [o, m, s] });
    const result = check(o);
    expect(internalError(result)).toBeUndefined();
    expect(result.lossless.worker).toBe(true);
    expect(result.findings.filter((f) => f.code === 'CIRCULAR_NOT_JSON').map((f) => f.at)).toEqual(['$.arr[0]']);
  });

  it('judges objects from another realm by their kind', () => {
    const ctx = vm.createContext({});
    const value = vm.runInContext(
      `({ arr: [1, 2], map: new Map([[1, { a: 1 }]]), date: new Date(0), err: new TypeError('x'), re: /x/g, u8: new Uint8Array(2),
         nul: Object.create(null), fn: () => 1, p: Promise.resolve(1), args: (function () { return arguments })(1) })`,
      ctx,
    );
    const result = check(value, { channels: ['worker'] });
    expect(internalError(result)).toBeUndefined();
    expect(result.findings.map((f) => `${f.code} ${f.at}`).sort()).toEqual([
      'FUNCTION_NOT_CLONEABLE $.fn',
      'NULL_PROTOTYPE_LOST $.nul',
      'UNCLONEABLE_TYPE $.args',
      'UNCLONEABLE_TYPE $.p',
    ]);
  });

  it('never throws on anything fast-check can build', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBigInt: true,
          withMap: true,
          withSet: true,
          withDate: true,
          withTypedArray: true,
          withSparseArray: true,
          withNullPrototype: true,
          withBoxedValues: true,
          withObjectString: true,
          withUnicodeString: true,
        }),
        (value) => {
          const result = check(value);
          expect(internalError(result)).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects an unknown channel with a clear TypeError', () => {
    expect(() => check(1, { channels: ['browser' as never] })).toThrow(/unknown channel "browser"/);
  });
});
