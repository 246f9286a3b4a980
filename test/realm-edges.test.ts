// Values that sit at the edge of what a prototype says: engine objects of another realm, ordinary
// objects made from a built-in's prototype, built-ins given another built-in's prototype. Each is
// sent through the real channels; check() must agree with what arrives (or with the throw).
import { open } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { closeRoundTrip } from '../src/roundtrip.js';
import { check } from '../src/check/index.js';
import { judge } from './oracle.js';
import { channelsUnderTest } from './volume.js';

afterAll(() => closeRoundTrip());

const inContext = (code: string) => () => vm.runInNewContext(code) as unknown;
const hasIteratorHelpers = typeof (([] as number[]).values() as { map?: unknown }).map === 'function';
const hasSuppressedError = typeof (globalThis as { SuppressedError?: unknown }).SuppressedError === 'function';

/** Every value of a family, on every channel under test: no disagreement with the real send. */
async function agrees(values: Record<string, () => unknown>): Promise<void> {
  const problems: string[] = [];
  for (const [name, make] of Object.entries(values)) {
    for (const channel of channelsUnderTest()) {
      const verdict = await judge(make(), channel);
      for (const p of verdict.problems) problems.push(`${name} (${channel}): ${p}`);
    }
  }
  expect(problems).toEqual([]);
}

const codes = (value: unknown, channel: 'worker' | 'json') => check(value, { channels: [channel] }).findings.map((f) => f.code);

describe('engine objects and built-in prototypes, against the real channels', () => {
  it('Intl objects of another realm are refused by every V8 channel', async () => {
    expect(codes(vm.runInNewContext('new Intl.NumberFormat()'), 'worker')).toContain('UNCLONEABLE_TYPE');
    await agrees({
      NumberFormat: inContext('new Intl.NumberFormat()'),
      DateTimeFormat: inContext('new Intl.DateTimeFormat()'),
      Locale: inContext('new Intl.Locale("en")'),
      Collator: inContext('new Intl.Collator()'),
      Segmenter: inContext('({ s: new Intl.Segmenter() })'),
    });
  });

  it('an ordinary object made from Intl.Locale.prototype is not a Locale', async () => {
    expect(codes(Object.setPrototypeOf({}, Intl.Locale.prototype), 'worker')).not.toContain('UNCLONEABLE_TYPE');
    await agrees({
      'Locale.prototype': () => Object.setPrototypeOf({}, Intl.Locale.prototype),
      'Locale.prototype with data': () => ({ l: Object.setPrototypeOf({ a: 1 }, Intl.Locale.prototype) }),
      'a Locale': () => new Intl.Locale('en'),
      'a Collator given Intl.Locale.prototype': () => Object.setPrototypeOf(new Intl.Collator(), Intl.Locale.prototype) as object,
    });
  });

  it('iterators of another realm are refused; an object made from an iterator prototype is ordinary', async () => {
    const iteratorProto = Object.getPrototypeOf([].values()) as object;
    expect(codes(vm.runInNewContext('[1].values()'), 'worker')).toContain('UNCLONEABLE_TYPE');
    expect(codes(Object.create(iteratorProto), 'worker')).not.toContain('UNCLONEABLE_TYPE');
    await agrees({
      'Array Iterator': inContext('[1].values()'),
      'String Iterator': inContext('"ab"[Symbol.iterator]()'),
      'RegExp String Iterator': inContext('"a".matchAll(/a/g)'),
      'nested keys()': inContext('({ it: [1].keys() })'),
      'typed array values()': inContext('new Uint8Array(2).values()'),
      ...(hasIteratorHelpers ? { 'Iterator Helper': inContext('[1].values().map((x) => x)') } : {}),
      'Object.create(Array Iterator prototype)': () => Object.create(iteratorProto),
      'Object.create(foreign Array Iterator prototype)': inContext('Object.create(Object.getPrototypeOf([].values()))'),
    });
  });

  it('an object that inherits a function prototype is an ordinary object', async () => {
    expect(codes(Object.setPrototypeOf({ a: 1 }, Function.prototype), 'worker')).not.toContain('UNCLONEABLE_TYPE');
    await agrees({
      'Function.prototype': () => Object.setPrototypeOf({ a: 1 }, Function.prototype),
      nested: () => ({ o: Object.setPrototypeOf({ a: 1 }, Function.prototype) }),
      'AsyncFunction.prototype': () => Object.create(Object.getPrototypeOf(async function () {}) as object),
      'GeneratorFunction.prototype': () => Object.create(Object.getPrototypeOf(function* () {}) as object),
      'another realm': inContext('Object.setPrototypeOf({ a: 1 }, Function.prototype)'),
    });
  });

  it('JSON throws at a built-in toJSON that refuses what it is called on, and only there', async () => {
    expect(codes(Object.setPrototypeOf({}, Buffer.prototype), 'json')).toContain('JSON_THROWS');
    await agrees({
      'Buffer.prototype': () => Object.setPrototypeOf({}, Buffer.prototype),
      'Buffer.prototype, own length': () => Object.setPrototypeOf({ length: 0 }, Buffer.prototype),
      'Date.prototype, own toISOString': () => Object.setPrototypeOf({ toISOString: () => 'x' }, Date.prototype),
      'Date.prototype, own valueOf': () => Object.setPrototypeOf({ valueOf: () => 1, toISOString: () => 'x' }, Date.prototype),
      'Date.prototype': () => Object.setPrototypeOf({}, Date.prototype),
      'Date.prototype of another realm': inContext('Object.setPrototypeOf({}, Date.prototype)'),
      'Date.prototype of another realm, own toISOString': inContext('Object.setPrototypeOf({ toISOString() { return "x"; } }, Date.prototype)'),
      'own Date toJSON': () => ({ toJSON: Date.prototype.toJSON }),
    });
  });

  it("a boxed primitive with another wrapper's prototype makes JSON throw", async () => {
    expect(codes(Object.setPrototypeOf(new Number(1), String.prototype), 'json')).toContain('JSON_THROWS');
    await agrees({
      'Number with String.prototype': () => Object.setPrototypeOf(new Number(1), String.prototype),
      'String with Number.prototype': () => Object.setPrototypeOf(new String('a'), Number.prototype),
      'Number with Date.prototype': () => Object.setPrototypeOf(new Number(1), Date.prototype),
      'Number with Boolean.prototype': () => ({ n: Object.setPrototypeOf(new Number(2), Boolean.prototype) }),
      'String with Object.prototype': () => Object.setPrototypeOf(new String('a'), Object.prototype),
      'another realm': inContext('Object.setPrototypeOf(new Number(1), String.prototype)'),
    });
  });

  it('errors of another realm are errors, SuppressedError too where the line has it', async () => {
    await agrees({
      TypeError: inContext('new TypeError("t")'),
      AggregateError: inContext('new AggregateError([1], "a")'),
      ...(hasSuppressedError ? { SuppressedError: inContext('new SuppressedError(1, 2)'), nested: inContext('({ e: new SuppressedError(1, 2, "m") })') } : {}),
    });
  });

  it("telling an engine object by the serializer's refusal runs nothing the program patched", () => {
    const value = () => ({
      it: vm.runInNewContext('[1].values()') as unknown,
      empty: Object.create(null) as object,
      plain: Object.create([].values()) as object,
    });
    const before = check(value()).findings.map((f) => `${f.channel} ${f.code} ${f.at}`);
    const proto = v8.Serializer.prototype as unknown as Record<string, unknown>;
    const keys = ['_getDataCloneError', '_writeHostObject', '_getSharedArrayBufferId', 'writeValue'];
    const saved = keys.map((k) => Object.getOwnPropertyDescriptor(proto, k));
    const calls: string[] = [];
    try {
      for (const k of keys) Object.defineProperty(proto, k, { configurable: true, writable: true, value: () => calls.push(k) });
      expect(check(value()).findings.map((f) => `${f.channel} ${f.code} ${f.at}`)).toEqual(before);
    } finally {
      keys.forEach((k, i) => (saved[i] ? Object.defineProperty(proto, k, saved[i]) : delete proto[k]));
    }
    expect(calls).toEqual([]);
    expect(before).toContain('worker UNCLONEABLE_TYPE $.it');
  });

  it('objects without a prototype or keys stay ordinary, a WeakRef without its prototype is still one', async () => {
    await agrees({
      'empty, no prototype': () => ({ a: Object.create(null) as object, b: [Object.create(null) as object] }),
      'WeakRef without prototype': () => Object.setPrototypeOf(new WeakRef({}), null) as object,
      'FinalizationRegistry without prototype': () => Object.setPrototypeOf(new FinalizationRegistry(() => {}), null) as object,
    });
  });

  it("a FileHandle is Node's transfer-only host on every line (on Node 20 its class extends a native one)", async () => {
    const handle = await open(fileURLToPath(import.meta.url));
    try {
      await agrees({ FileHandle: () => handle, 'FileHandle in an object': () => ({ handle }) });
      expect(check(handle, { channels: ['worker'] }).findings.map((f) => [f.code, f.args])).toEqual([['TRANSFER_REQUIRED', { type: 'FileHandle' }]]);
    } finally {
      await handle.close();
    }
  });
});

describe('engine objects whatever their prototype, and host getters that refuse an Error (walk/kinds.ts, walk/builtins.ts)', () => {
  const IteratorClass = (globalThis as { Iterator?: new () => object }).Iterator;
  const Disposable = (globalThis as { DisposableStack?: new () => object }).DisposableStack;

  it('an instance of a subclass of an Intl type is refused by every V8 channel', async () => {
    class F extends Intl.NumberFormat {}
    expect(codes(new F(), 'worker')).toContain('UNCLONEABLE_TYPE');
    await agrees({
      NumberFormat: () => ({ f: new F() }),
      'Locale, with a field': () =>
        new (class L extends Intl.Locale {
          x = 1;
        })('en'),
      Segmenter: () => new (class S extends Intl.Segmenter {})(),
      DateTimeFormat: () => new (class D extends Intl.DateTimeFormat {})(),
      'Object.create(NumberFormat.prototype)': () => Object.create(Intl.NumberFormat.prototype) as object,
    });
  });

  it('an engine object without its prototype is still refused; an empty object without one is not', async () => {
    expect(codes(Object.setPrototypeOf([1].values(), null), 'worker')).toContain('UNCLONEABLE_TYPE');
    await agrees({
      'Locale, null prototype': () => Object.setPrototypeOf(new Intl.Locale('en'), null) as object,
      'Collator, null prototype': () => ({ c: Object.setPrototypeOf(new Intl.Collator(), null) as object }),
      'Array Iterator, null prototype': () => Object.setPrototypeOf([1].values(), null) as object,
      'another realm, null prototype': inContext('Object.setPrototypeOf("ab"[Symbol.iterator](), null)'),
      'empty, null prototype': () => Object.create(null) as object,
      ...(Disposable
        ? { 'DisposableStack, null prototype': () => Object.setPrototypeOf(new Disposable(), null) as object, DisposableStack: () => new Disposable() }
        : {}),
      ...(IteratorClass ? { 'a class extending Iterator': () => new (class It extends IteratorClass {})() } : {}),
    });
  });

  it('an Error given DOMException.prototype makes the V8 channels throw at its name', async () => {
    expect(codes(Object.setPrototypeOf(new Error('x'), DOMException.prototype), 'worker')).toContain('UNCLONEABLE_TYPE');
    await agrees({
      'Error with DOMException.prototype': () => Object.setPrototypeOf(new Error('x'), DOMException.prototype) as object,
      nested: () => ({ e: Object.setPrototypeOf(new TypeError('x'), DOMException.prototype) as object }),
      'own name': () => Object.setPrototypeOf(Object.assign(new Error('x'), { name: 'N' }), DOMException.prototype) as object,
      'a DOMException': () => new DOMException('m', 'AbortError'),
    });
  });
});
