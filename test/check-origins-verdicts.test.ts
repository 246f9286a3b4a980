// The verdicts by kind come from the checker (src/capture-verdicts.ts), not from a table of their
// own: held here against real sends for the kinds test/origin-verdict.test.ts does not capture
// (subclasses, other views and errors, a null-prototype object, ...).
import { afterAll, describe, expect, it, vi } from 'vitest';
import { captureVerdicts, verdictByKind, type CaptureVerdict } from '../src/capture-verdicts.js';
import { check } from '../src/check/index.js';
import { ALL_CHANNELS, TARGETS, type Channel, type Finding } from '../src/types.js';
import { closeRoundTrip } from '../src/verify/roundtrip.js';
import { verdictsAgainstRealSends, type KnownGap } from './helpers/reality.js';

// check() itself, watched: the verdicts must be asked of it with the target's rules.
vi.mock('../src/check/index.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/check/index.js')>();
  return { ...actual, check: vi.fn(actual.check) };
});

afterAll(() => closeRoundTrip());

class Cache extends Map<string, number> {}
class Tags extends Set<string> {}
class Bytes extends Uint8Array {}
class JobError extends Error {}

function closure() {
  const bare = Object.assign(Object.create(null) as object, { a: 1 });
  const cache = new Cache([['a', 1]]);
  const tags = new Tags(['x']);
  const floats = new Float32Array([1.5, 2]);
  const view = new DataView(new ArrayBuffer(4));
  const bytes = new Bytes([1, 2]);
  const jobError = new JobError('failed');
  const range = new RangeError('too far');
  const many = new AggregateError([], 'many');
  const weakSet = new WeakSet();
  const flag = true;
  const nothing = null;
  const values = { bare, cache, tags, floats, view, bytes, jobError, range, many, weakSet, flag, nothing };
  return { values, job: () => [bare, cache, tags, floats, view, bytes, jobError, range, many, weakSet, flag, nothing] };
}

/** The worst severity of the findings on a channel, notes aside (throw > loss > reshape), or `ok`. */
function worstOn(findings: readonly Finding[], channel: Channel): CaptureVerdict {
  const order: readonly CaptureVerdict[] = ['ok', 'reshape', 'loss', 'throw'];
  let worst: CaptureVerdict = 'ok';
  for (const f of findings) if (f.channel === channel && f.severity !== 'note' && order.indexOf(f.severity) > order.indexOf(worst)) worst = f.severity;
  return worst;
}

/** Captures of kinds that get every verdict: thrown (a function, a symbol, a BigInt on JSON), lost, reshaped, ok, a note only. */
function kindsOfEveryVerdict() {
  const map = new Map([[1, 1]]);
  const cache = new Cache([['a', 1]]);
  const fn = (x: number) => x;
  const sym = Symbol('s');
  const big = 1n;
  const shared = new SharedArrayBuffer(8);
  const proxy = new Proxy({}, {});
  const notANumber = NaN;
  const when = new Date(0);
  const bytes = new Bytes([1]);
  const jobError = new JobError('failed');
  const text = 'text';
  const values = { map, cache, fn, sym, big, shared, proxy, notANumber, when, bytes, jobError, text };
  return { values, job: () => [map, cache, fn, sym, big, shared, proxy, notANumber, when, bytes, jobError, text] };
}

/** As test/lines/matrix.test.ts (cases 135-140) says of the same values sent alone. */
const GAPS: readonly KnownGap[] = [
  {
    name: 'floats',
    channel: 'fork-advanced',
    fromLine: 24,
    real: 'ok',
    why: 'from Node 24 a multi-byte typed array spanning its buffer arrives intact or re-based depending on the offset its bytes land at in the message; VIEW_REBASED cannot say which',
  },
];

describe('verdicts by kind, from the checker', () => {
  const { values, job } = closure();
  const judged = captureVerdicts(job, ALL_CHANNELS);

  it('names every capture by its kind', () => {
    const kinds = Object.fromEntries(judged.map((c) => [c.name, c.kind]));
    expect(kinds).toMatchObject({ bare: 'null-prototype object', cache: 'Cache', bytes: 'Bytes', jobError: 'JobError', floats: 'Float32Array' });
    expect(judged.every((c) => c.judgedBy === 'kind')).toBe(true);
  });

  for (const channel of ALL_CHANNELS) {
    it(`matches what ${channel} does to each kind of value`, async () => {
      expect(await verdictsAgainstRealSends(judged, values, channel, GAPS)).toEqual([]);
    });
  }

  it('a null-prototype object arrives with Object.prototype on every channel (a reshape, not ok)', () => {
    const bare = judged.find((c) => c.name === 'bare')!;
    for (const channel of ALL_CHANNELS) expect(bare.verdicts[channel]).toBe('reshape');
  });

  it('gives what check() gives for a value of that kind, on the target asked for', () => {
    for (const target of TARGETS) {
      const findings = check({ v: new Map([[1, 1]]) }, { channels: ALL_CHANNELS, origins: false, target }).findings;
      for (const channel of ALL_CHANNELS)
        expect({ target, channel, verdict: verdictByKind({ kind: 'Map', category: 'map' }, channel, target) }).toEqual({
          target,
          channel,
          verdict: worstOn(findings, channel),
        });
    }
  });

  it('gives each capture the worst check() gives its value, notes aside, on every target', () => {
    const { values, job } = kindsOfEveryVerdict();
    const seen = new Set<CaptureVerdict>();
    for (const target of TARGETS) {
      const captures = captureVerdicts(job, ALL_CHANNELS, undefined, target);
      expect(captures.map((c) => c.name).sort()).toEqual(Object.keys(values).sort());
      const wrong: string[] = [];
      for (const c of captures) {
        const findings = check({ v: values[c.name as keyof typeof values] }, { channels: ALL_CHANNELS, origins: false, target }).findings;
        for (const channel of ALL_CHANNELS) {
          const verdict = c.verdicts[channel];
          seen.add(verdict!);
          if (verdict !== worstOn(findings, channel))
            wrong.push(`${target} ${channel} ${c.name} (${c.kind}): ${verdict}, check(): ${worstOn(findings, channel)}`);
        }
      }
      expect(wrong).toEqual([]);
    }
    // The values give every verdict, and a channel with a note only (a SharedArrayBuffer over a worker).
    expect([...seen].sort()).toEqual(['loss', 'ok', 'reshape', 'throw']);
    expect(check({ v: new SharedArrayBuffer(8) }, { channels: ['worker'], origins: false }).findings.map((f) => f.severity)).toEqual(['note']);
  });

  it("applies the target asked for: check() is asked with each target's rules, once per kind and target", () => {
    const calls = vi.mocked(check).mock.calls.length;
    for (const target of TARGETS) verdictByKind({ kind: 'RegExp', category: 'regexp' }, 'fork', target);
    for (const target of TARGETS) verdictByKind({ kind: 'RegExp', category: 'regexp' }, 'json', target);
    const asked = vi.mocked(check).mock.calls.slice(calls);
    expect(asked.map(([value, options]) => [Object.prototype.toString.call((value as { v: unknown }).v), options?.target])).toEqual(
      TARGETS.map((target) => ['[object RegExp]', target]),
    );
  });

  it('an unknown target is the checker’s TypeError', () => {
    expect(() => verdictByKind({ kind: 'Map', category: 'map' }, 'fork', 'node19' as never)).toThrow(TypeError);
  });
});
