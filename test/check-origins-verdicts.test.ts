// The verdicts by kind come from the checker (src/capture-verdicts.ts), not from a table of their
// own: held here against real sends for the kinds test/origin-verdict.test.ts does not capture
// (subclasses, other views and errors, a null-prototype object, ...).
import * as v8 from 'node:v8';
import { afterAll, describe, expect, it } from 'vitest';
import { captureVerdicts, verdictByKind, type CaptureVerdict } from '../src/capture-verdicts.js';
import { ALL_CHANNELS, type Channel } from '../src/types.js';
import { describe as describeValue } from '../src/verify/describe.js';
import { diffDescriptions } from '../src/verify/diff.js';
import { closeRoundTrip, inspectArrival } from '../src/verify/roundtrip.js';
import { check } from '../src/check/index.js';

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

type Reality = 'throw' | 'ok' | 'changed';

async function reality(value: unknown, channel: Channel): Promise<Reality> {
  const message = { v: value };
  if (channel === 'json' || channel === 'v8') {
    let back: unknown;
    try {
      back = channel === 'json' ? JSON.parse(JSON.stringify(message)) : v8.deserialize(v8.serialize(message));
    } catch {
      return 'throw';
    }
    return diffDescriptions(describeValue(message), describeValue(back)).length === 0 ? 'ok' : 'changed';
  }
  const arrival = await inspectArrival(message, channel);
  if (arrival.outcome === 'threw' || arrival.outcome === 'crashed') return 'throw';
  if (arrival.outcome !== 'arrived') return 'changed';
  return diffDescriptions(arrival.sent, arrival.description).length === 0 ? 'ok' : 'changed';
}

const expected = (v: CaptureVerdict): Reality => (v === 'ok' ? 'ok' : v === 'throw' ? 'throw' : 'changed');

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
      const wrong: string[] = [];
      for (const c of judged) {
        const real = await reality(values[c.name as keyof typeof values], channel);
        const predicted = c.verdicts[channel]!;
        if (expected(predicted) !== real) wrong.push(`${c.name} (${c.kind}): predicted ${predicted}, the real ${channel} send: ${real}`);
      }
      expect(wrong).toEqual([]);
    });
  }

  it('a null-prototype object arrives with Object.prototype on every channel (a reshape, not ok)', () => {
    const bare = judged.find((c) => c.name === 'bare')!;
    for (const channel of ALL_CHANNELS) expect(bare.verdicts[channel]).toBe('reshape');
  });

  it('gives what check() gives for a value of that kind, on the target asked for', () => {
    for (const channel of ALL_CHANNELS) {
      const findings = check({ v: new Map([[1, 1]]) }, { channels: [channel], origins: false, target: 'node22' }).findings;
      const worst = findings.some((f) => f.severity === 'loss') ? 'loss' : findings.some((f) => f.severity === 'reshape') ? 'reshape' : 'ok';
      expect(verdictByKind({ kind: 'Map', category: 'map' }, channel, 'node22')).toBe(worst);
    }
  });

  it('an unknown target is the checker’s TypeError', () => {
    expect(() => verdictByKind({ kind: 'Map', category: 'map' }, 'fork', 'node19' as never)).toThrow(TypeError);
  });
});
