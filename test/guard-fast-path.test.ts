// The guard's fast path says a value is fine only when check() finds nothing in it: on every
// channel, as a message and as workerData, over the corpus and over generated values of each level.
import fc from 'fast-check';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { plainValueMaker, richValueMaker, structuredValueMaker, unusualValueMaker, type Maker } from '../src/arbitraries.js';
import { check } from '../src/check/index.js';
import { OVER_BUDGET, PROVEN, provenFine, UNSURE } from '../src/guard/fast-path.js';
import { install, uninstall, type GuardWarning } from '../src/guard.js';
import { ALL_CHANNELS, TARGETS } from '../src/types.js';
import { hasBuiltinSlots } from '../src/walk/slots.js';
import { corpus } from './corpus.js';

const ROOTS = ['message', 'value'] as const;
const LIMIT = 10_000_000;

/** The codes check() finds wherever the fast path proves `make()` fine (so: always []), and how often it proved it. */
function disagreements(make: () => unknown): { wrong: string[]; proven: number } {
  const wrong: string[] = [];
  let proven = 0;
  for (const channel of ALL_CHANNELS) {
    for (const root of ROOTS) {
      const value = make();
      if (provenFine(value, channel, root, LIMIT) !== PROVEN) continue;
      proven++;
      // The rules of every Node.js line: the guard takes a target, the fast path knows none.
      for (const target of TARGETS) {
        const codes = check(value, { channels: [channel], root, target }).findings.map((f) => f.code);
        if (codes.length > 0) wrong.push(`${channel} as ${root} on ${target}: ${codes.join(', ')}`);
      }
    }
  }
  return { wrong, proven };
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
});
