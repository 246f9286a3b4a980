// The guard's fast path says a value is fine only when check() finds nothing in it: on every
// channel, as a message and as workerData, over the corpus and over generated values of each level.
import fc from 'fast-check';
import { types } from 'node:util';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { plainValueMaker, richValueMaker, structuredValueMaker, unusualValueMaker, type Maker } from '../src/arbitraries.js';
import { check } from '../src/check/index.js';
import { FROZEN, FROZEN_FOUND, MAX_FROZEN_PATHS, OVER_BUDGET, PROVEN, provenFine, UNSURE } from '../src/guard/fast-path.js';
import { install, uninstall, type GuardWarning } from '../src/guard.js';
import { ALL_CHANNELS, TARGETS } from '../src/types.js';
import { hasBuiltinSlots } from '../src/walk/slots.js';
import { corpus } from './corpus.js';

const ROOTS = ['message', 'value'] as const;
const LIMIT = 10_000_000;

/** What the fast path says check() finds in a value it proved: nothing, or an INTEGRITY_LOST per frozen object. */
function expectedOf(proof: typeof PROVEN | typeof FROZEN): { at: string[]; count: number } {
  return proof === PROVEN ? { at: [], count: 0 } : { at: [...FROZEN_FOUND.at], count: FROZEN_FOUND.count };
}

/**
 * Where the fast path proves `make()` fine (or fine but for its frozen objects), what check() finds
 * beyond that (so: always []), and how often it proved it (`frozen`: how often with frozen objects).
 */
function disagreements(make: () => unknown): { wrong: string[]; proven: number; frozen: number } {
  const wrong: string[] = [];
  let proven = 0;
  let frozen = 0;
  for (const channel of ALL_CHANNELS) {
    for (const root of ROOTS) {
      const value = make();
      const proof = provenFine(value, channel, root, LIMIT);
      if (proof !== PROVEN && proof !== FROZEN) continue;
      const expected = expectedOf(proof);
      proven++;
      if (proof === FROZEN) frozen++;
      // The rules of every Node.js line: the guard takes a target, the fast path knows none.
      for (const target of TARGETS) {
        const findings = check(value, { channels: [channel], root, target, maxFindings: 1_000_000 }).findings;
        const found = findings.map((f) => `${f.code} ${f.at}`);
        // Every path while they are few (in check()'s order), the count past that; nothing else
        // (or, for a frozen object met twice, safeFor).
        const paths = expected.count <= MAX_FROZEN_PATHS ? expected.at : found.slice(0, MAX_FROZEN_PATHS).map((f) => f.slice('INTEGRITY_LOST '.length));
        const wanted = paths.map((at) => `INTEGRITY_LOST ${at}`);
        const same =
          found.length === expected.count
            ? found.every((f, i) => (i < wanted.length ? f === wanted[i] : f.startsWith('INTEGRITY_LOST '))) && expected.at.join() === paths.join()
            : safeFor(found, expected);
        if (!same) wrong.push(`${channel} as ${root} on ${target}: found ${found.join(', ')}; the fast path said ${expected.count}: ${expected.at.join(', ')}`);
      }
    }
  }
  return { wrong, proven, frozen };
}

/**
 * A frozen object met twice in a message is counted twice by the fast path, once by check() (a
 * shared object is written once): then the fast path says more findings, and every path check()
 * has among its own (the guard skips check() only when every path it was given was printed before).
 */
function safeFor(found: string[], expected: { at: string[]; count: number }): boolean {
  if (!found.every((f) => f.startsWith('INTEGRITY_LOST ')) || found.length > expected.count) return false;
  return expected.count > MAX_FROZEN_PATHS || found.every((f) => expected.at.includes(f.slice('INTEGRITY_LOST '.length)));
}

/** Freezes `value` and everything inside it, or (`every` 2) every other object met. */
function freezeTree(value: unknown, every = 1, seen = new Set<object>(), count = { n: 0 }): unknown {
  if (value === null || typeof value !== 'object' || seen.has(value) || types.isProxy(value)) return value;
  seen.add(value);
  if (Object.getPrototypeOf(value) !== Object.prototype && !Array.isArray(value)) return value; // leave built-ins and instances as they are
  for (const key of Reflect.ownKeys(value)) {
    const d = Reflect.getOwnPropertyDescriptor(value, key);
    if (d !== undefined && 'value' in d) freezeTree(d.value, every, seen, count);
  }
  if (count.n++ % every === 0 && !ArrayBuffer.isView(value)) Object.freeze(value);
  return value;
}

describe('the guard fast path', () => {
  it('proves no corpus value fine that check() finds anything in, and proves plain data fine on every channel', () => {
    for (const c of corpus) expect(disagreements(c.make).wrong, c.name).toEqual([]);
    const plain = corpus.find((c) => c.name === 'plain data')!;
    expect(disagreements(plain.make).proven).toBe(ALL_CHANNELS.length * ROOTS.length);
  });

  for (const [level, arbitrary, runs] of [
    ['structured', structuredValueMaker, 300],
    ['rich', richValueMaker, 300],
    ['unusual', unusualValueMaker, 200],
  ] as const) {
    it(`never disagrees with check() on ${level} values, and proves some of them fine`, () => {
      let proven = 0;
      fc.assert(
        fc.property(arbitrary, (make: Maker) => {
          const d = disagreements(make);
          expect(d.wrong).toEqual([]);
          proven += d.proven;
        }),
        { numRuns: runs },
      );
      // A proof that settled nothing would pass the line above without testing it.
      expect(proven).toBeGreaterThan(0);
    });
  }

  for (const [how, every] of [
    ['deep-frozen', 1],
    ['partly frozen', 2],
  ] as const) {
    it(`never disagrees with check() on ${how} values, and proves some of them fine but for their frozen objects`, () => {
      let frozen = 0;
      for (const [arbitrary, runs] of [
        [plainValueMaker, 200],
        [structuredValueMaker, 200],
        [richValueMaker, 150],
        [unusualValueMaker, 100],
      ] as const) {
        fc.assert(
          fc.property(arbitrary, (make: Maker) => {
            const d = disagreements(() => freezeTree(make(), every));
            expect(d.wrong).toEqual([]);
            frozen += d.frozen;
            // Deeper inside a message, under an array.
            const value = freezeTree(make(), every);
            expect(disagreements(() => ({ wrap: [value], n: 1 })).wrong).toEqual([]);
          }),
          { numRuns: runs },
        );
      }
      expect(frozen).toBeGreaterThan(0);
    });
  }

  it('proves frozen plain data fine but for its frozen objects wherever check() finds only INTEGRITY_LOST', () => {
    fc.assert(
      fc.property(plainValueMaker, (make: Maker) => {
        for (const channel of ALL_CHANNELS) {
          const value = freezeTree(make());
          const codes = check(value, { channels: [channel] }).findings.map((f) => f.code);
          if (codes.every((code) => code === 'INTEGRITY_LOST'))
            expect(provenFine(value, channel, 'message', LIMIT), channel).toBe(codes.length > 0 ? FROZEN : PROVEN);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('leaves sealed and non-extensible objects, and what hides in a frozen one, to check()', () => {
    for (const channel of ALL_CHANNELS) {
      expect(provenFine({ a: Object.seal({ b: 1 }) }, channel, 'message', LIMIT)).toBe(UNSURE);
      expect(provenFine({ a: Object.preventExtensions({ b: 1 }) }, channel, 'message', LIMIT)).toBe(UNSURE);
      expect(provenFine(Object.freeze({ a: Object.seal([1]) }), channel, 'message', LIMIT)).toBe(UNSURE);
      const getter = Object.freeze(Object.defineProperty({}, 'x', { get: () => 1, enumerable: true }));
      expect(provenFine({ getter }, channel, 'message', LIMIT)).toBe(UNSURE);
      const hidden = Object.freeze(Object.defineProperty({}, 'x', { value: 1, enumerable: false }));
      expect(provenFine({ hidden }, channel, 'message', LIMIT)).toBe(UNSURE);
      expect(provenFine(Object.freeze([1, , 3]), channel, 'message', LIMIT)).toBe(UNSURE);
      expect(provenFine(Object.freeze(Object.assign([1], { extra: 2 })), channel, 'message', LIMIT)).toBe(UNSURE);
      expect(provenFine(Object.freeze(new Date(0)), channel, 'message', LIMIT)).toBe(UNSURE);
    }
    // Past MAX_FROZEN_PATHS they are counted, and the first ones located.
    const many = Object.freeze(Array.from({ length: MAX_FROZEN_PATHS + 8 }, (_, i) => Object.freeze({ i })));
    expect(provenFine(many, 'worker', 'message', LIMIT)).toBe(FROZEN);
    expect(FROZEN_FOUND.count).toBe(MAX_FROZEN_PATHS + 9);
    expect(FROZEN_FOUND.at.slice(0, 3)).toEqual(['$', '$[0]', '$[1]']);
    expect(FROZEN_FOUND.at).toHaveLength(MAX_FROZEN_PATHS);
  });

  it('proves plain data fine wherever check() finds nothing', () => {
    fc.assert(
      fc.property(plainValueMaker, (make: Maker) => {
        for (const channel of ALL_CHANNELS) {
          const value = make();
          if (check(value, { channels: [channel] }).findings.length === 0) expect(provenFine(value, channel, 'message', LIMIT), channel).toBe(PROVEN);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives every built-in with internal slots to check(), even behind Object.prototype', () => {
    // A sloppy-mode arguments object, stripped of its own length and callee.
    const args = new Function('const a = arguments; delete a.length; delete a.callee; return a;')(1, 2) as object;
    const bare = (e: Error): Error => (delete (e as { stack?: unknown }).stack, e);
    const builtins: [string, object][] = [
      ['arguments', args],
      ['Error', bare(new Error())],
      ['Date', new Date(0)],
      ['Map', new Map()],
      ['Set', new Set()],
      ['Uint8Array', new Uint8Array(2)],
      ['DataView', new DataView(new ArrayBuffer(1))],
      ['ArrayBuffer', new ArrayBuffer(1)],
      ['SharedArrayBuffer', new SharedArrayBuffer(1)],
      ['Number', Object(1)],
      ['Boolean', Object(true)],
      ['BigInt', Object(1n)],
      ['Symbol', Object(Symbol('s'))],
      ['Promise', Promise.resolve()],
      ['WeakMap', new WeakMap()],
      ['WeakSet', new WeakSet()],
      ['generator', (function* () {})()],
      ['Map iterator', new Map().entries()],
      ['Set iterator', new Set().values()],
    ];
    for (const [name, o] of builtins) {
      Object.setPrototypeOf(o, Object.prototype);
      expect(hasBuiltinSlots(o, false), name).toBe(true);
      for (const channel of ALL_CHANNELS) expect(provenFine({ o }, channel, 'message', LIMIT), `${name} on ${channel}`).toBe(UNSURE);
    }
  });

  it('stops at cycles, deep nesting and its budget, never loops', () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle['self'] = cycle;
    expect(provenFine(cycle, 'worker', 'message', LIMIT)).toBe(UNSURE);
    let deep: unknown = 1;
    for (let i = 0; i < 300; i++) deep = { deep };
    expect(provenFine(deep, 'worker', 'message', LIMIT)).toBe(UNSURE);
    // 2^40 paths through 40 shared objects: the budget ends it.
    let dag: unknown = 1;
    for (let i = 0; i < 40; i++) dag = [dag, dag];
    expect(provenFine(dag, 'worker', 'message', 100_000)).toBe(OVER_BUDGET);
    expect(provenFine(dag, 'fork', 'message', 100_000)).toBe(UNSURE); // JSON sends a shared object twice: check() says so
    expect(provenFine({ rows: [1, 2, 3] }, 'worker', 'message', 2)).toBe(OVER_BUDGET);
  });

  it('leaves the top-level rules of each send to check()', () => {
    expect(provenFine(undefined, 'fork', 'message', LIMIT)).toBe(UNSURE);
    expect(provenFine(undefined, 'worker', 'message', LIMIT)).toBe(PROVEN);
    expect(provenFine(1n, 'fork-advanced', 'message', LIMIT)).toBe(UNSURE);
    expect(provenFine({ cmd: 'NODE_X' }, 'fork', 'message', LIMIT)).toBe(UNSURE);
    expect(provenFine({ cmd: 'NODE_X' }, 'worker', 'message', LIMIT)).toBe(PROVEN);
    expect(provenFine({ n: -0 }, 'fork', 'message', LIMIT)).toBe(UNSURE);
    expect(provenFine({ n: -0, u: undefined, b: 1n }, 'worker', 'message', LIMIT)).toBe(PROVEN);
  });
});

describe('the guard with its fast path', () => {
  afterEach(() => uninstall());

  it('lets plain data through without a word, and still reports what hides inside plain-looking data', () => {
    const warnings: GuardWarning[] = [];
    install({ mode: 'warn', onWarning: (w) => warnings.push(w) });
    const { port1, port2 } = new MessageChannel();
    const row = (i: number) => ({ id: i, name: `row-${i}`, tags: ['a', 'b'], nested: { ok: true, n: null } });
    port1.postMessage({ rows: [row(1), row(2)] });
    expect(warnings).toEqual([]);
    const withGetter = { rows: [row(1), row(2)] };
    Object.defineProperty(withGetter.rows[1]!.nested, 'late', { get: () => 1, enumerable: true });
    port1.postMessage(withGetter);
    const readOnly = { rows: [row(1)] };
    Object.defineProperty(readOnly.rows[0]!.tags, 0, { value: 'a', writable: false, enumerable: true, configurable: true });
    port1.postMessage(readOnly);
    expect(warnings.flatMap((w) => w.findings.map((f) => `${f.code} ${f.at}`))).toEqual([
      'ACCESSOR_FLATTENED $.rows[1].nested.late',
      'READONLY_LOST $.rows[0].tags[0]',
    ]);
    port1.close();
    port2.close();
  });

  it('judges frozen messages as check() does: their INTEGRITY_LOST prints once per site and path, fails when strict, and hides nothing else', () => {
    const deepFrozen = (i: number) => freezeTree({ kind: 'resize', id: i, payload: { name: 'panel', width: 640, tags: ['a', 'b'] } });
    const seen = (warnings: GuardWarning[]) => warnings.map((w) => w.findings.map((f) => `${f.code} ${f.at}`).join('; '));
    const { port1, port2 } = new MessageChannel();
    try {
      let warnings: GuardWarning[] = [];
      install({ mode: 'warn', onWarning: (w) => warnings.push(w) });
      const send = (value: unknown) => port1.postMessage(value); // one site
      for (let i = 0; i < 3; i++) send(deepFrozen(i));
      expect(seen(warnings)).toEqual(['INTEGRITY_LOST $; INTEGRITY_LOST $.payload; INTEGRITY_LOST $.payload.tags']);
      // A new frozen path from the same site prints; then a getter in a frozen object, whatever was printed before.
      send(freezeTree({ kind: 'x', id: 1, payload: { name: 'p', width: 1, tags: ['a'] }, extra: {} }));
      send(Object.freeze({ payload: Object.freeze(Object.defineProperty({}, 'late', { get: () => 1, enumerable: true })) }));
      expect(seen(warnings).slice(1)).toEqual(['INTEGRITY_LOST $.extra', 'ACCESSOR_FLATTENED $.payload.late']);
      // Another site prints its own.
      port1.postMessage(deepFrozen(9));
      expect(warnings).toHaveLength(4);
      uninstall();

      warnings = [];
      install({ mode: 'warn', notes: false, onWarning: (w) => warnings.push(w) });
      send(deepFrozen(1));
      expect(warnings).toEqual([]);
      uninstall();

      install({ strict: true });
      expect(() => send(deepFrozen(1))).toThrow(/INTEGRITY_LOST|frozen/);
      uninstall();
      install({ strict: true, ignore: ['INTEGRITY_LOST'] });
      expect(() => send(deepFrozen(1))).not.toThrow();
      uninstall();
      // A path pattern ignores only its paths: the others still fail.
      install({ strict: true, ignore: ['$.payload.**'] });
      expect(() => send(deepFrozen(1))).toThrow(/\$ /);
    } finally {
      port1.close();
      port2.close();
    }
  });
});
