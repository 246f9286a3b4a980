// The comparer of a prediction with a real send (src/verify/compare.ts), on real arrivals and on
// hand-made predictions, so each rule of agreement is pinned by a case that breaks it.
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { closeRoundTrip, compare, inspectArrival, verifyPrediction } from '../src/roundtrip.js';
import type { Channel, Effect, Finding, PathSegment } from '../src/types.js';

afterAll(() => closeRoundTrip());

/** A finding as check() would make it, for the fields compare() reads. */
const finding = (channel: Channel, effect: Effect, code: string, path: PathSegment[], at: string, args: object = {}): Finding =>
  ({ channel, effect, code, path, at, message: '', args }) as unknown as Finding;

const kinds = (c: { disagreements: readonly { kind: string; at: string }[] }): string[] => c.disagreements.map((d) => `${d.kind} ${d.at}`);

describe('compare()', () => {
  it('a send that threw needs a throws finding', async () => {
    const arrival = await inspectArrival({ f: () => 1 }, 'worker');
    expect(arrival.outcome).toBe('threw');
    expect(kinds(compare([], 'worker', arrival))).toEqual(['outcome $']);
    expect(kinds(compare([finding('worker', 'throws', 'FUNCTION_NOT_CLONEABLE', ['f'], '$.f')], 'worker', arrival))).toEqual([]);
    // Another channel's finding predicts nothing here.
    expect(kinds(compare([finding('fork', 'throws', 'FUNCTION_NOT_CLONEABLE', ['f'], '$.f')], 'worker', arrival))).toEqual(['outcome $']);
  });

  it('a NODE_ cmd: swallowed, or a crash for one Node acts on, is what MESSAGE_SWALLOWED predicts', async () => {
    const swallowed = finding('fork-advanced', 'dropped', 'MESSAGE_SWALLOWED', [], '$');
    const gone = await inspectArrival({ cmd: 'NODE_x' }, 'fork-advanced');
    expect(gone.outcome).toBe('swallowed');
    expect(kinds(compare([swallowed], 'fork-advanced', gone))).toEqual([]);
    expect(kinds(compare([], 'fork-advanced', gone))).toEqual(['outcome $']);
    const crash = await inspectArrival({ cmd: 'NODE_HANDLE_ACK' }, 'fork-advanced');
    expect(crash.outcome).toBe('crashed');
    expect(kinds(compare([swallowed], 'fork-advanced', crash))).toEqual([]);
    expect(kinds(compare([], 'fork-advanced', crash))).toEqual(['outcome $']);
    // And when it arrives after all, the prediction was wrong.
    const arrived = await inspectArrival({ cmd: 'node_x' }, 'fork-advanced');
    expect(kinds(compare([swallowed], 'fork-advanced', arrived))).toEqual(['outcome $']);
  });

  it('json: nothing sent needs a finding at the root, and no throw', async () => {
    const lost = await inspectArrival(() => 1, 'json');
    expect(lost.outcome).toBe('lost');
    expect(kinds(compare([finding('json', 'dropped', 'FUNCTION_DROPPED', [], '$')], 'json', lost))).toEqual([]);
    expect(kinds(compare([finding('json', 'dropped', 'FUNCTION_DROPPED', ['a'], '$.a')], 'json', lost))).toEqual(['outcome $']);
    expect(kinds(compare([finding('json', 'throws', 'FUNCTION_NOT_CLONEABLE', [], '$')], 'json', lost))).toEqual(['outcome $']);
  });

  it('each difference needs a finding at or above it, each finding a difference at or below it', async () => {
    const arrival = await inspectArrival({ a: { d: new Date(0) }, same: 1 }, 'json');
    const at = (path: PathSegment[], p: string) => finding('json', 'changed', 'DATE_BECOMES_STRING', path, p);
    expect(kinds(compare([at(['a', 'd'], '$.a.d')], 'json', arrival))).toEqual([]);
    expect(kinds(compare([at(['a'], '$.a')], 'json', arrival))).toEqual([]);
    expect(kinds(compare([], 'json', arrival))).toEqual(['unpredicted $.a.d']);
    expect(kinds(compare([at(['a', 'd', 'x'], '$.a.d.x')], 'json', arrival))).toEqual(['unpredicted $.a.d']);
    expect(kinds(compare([at(['a', 'd'], '$.a.d'), at(['same'], '$.same')], 'json', arrival))).toEqual(['unconfirmed $.same']);
    // Notes are never held against an arrival.
    expect(kinds(compare([at(['a', 'd'], '$.a.d'), finding('json', 'note', 'X', ['same'], '$.same')], 'json', arrival))).toEqual([]);
  });

  it('a finding inside a node whose kind changed is borne out by that change', async () => {
    const arrival = await inspectArrival(new Map([['k', { f: 1 }]]), 'json');
    const inside = finding('json', 'dropped', 'ANY', [{ kind: 'map-value', index: 0 }, 'f'], '$.get("k").f');
    expect(kinds(compare([finding('json', 'changed', 'MAP_BECOMES_EMPTY_OBJECT', [], '$'), inside], 'json', arrival))).toEqual([]);
  });

  it('ignored findings still count as predictions', async () => {
    const arrival = await inspectArrival({ d: new Date(0) }, 'json');
    const date = finding('json', 'changed', 'DATE_BECOMES_STRING', ['d'], '$.d');
    expect(kinds(compare({ findings: [], ignored: [date] }, 'json', arrival))).toEqual([]);
    expect(kinds(compare({ findings: [] }, 'json', arrival))).toEqual(['unpredicted $.d']);
  });

  it('verifyPrediction() sends through every checked channel and agrees with check() on plain data', async () => {
    const value = { a: [1, 'x', null], b: { c: true } };
    const result = check(value, { channels: ['worker', 'fork', 'fork-advanced'] });
    const comparisons = await verifyPrediction(value, result);
    expect(comparisons.map((c) => [c.channel, c.arrival.outcome, c.disagreements.length])).toEqual([
      ['worker', 'arrived', 0],
      ['fork', 'arrived', 0],
      ['fork-advanced', 'arrived', 0],
    ]);
  });

  it("verifyPrediction() refuses a prediction for another line's rules", async () => {
    const here = Number(process.versions.node.split('.')[0]);
    const other = here === 22 ? 'node24' : 'node22';
    const result = check({ a: 1 }, { channels: ['worker'], target: other });
    await expect(verifyPrediction({ a: 1 }, result)).rejects.toThrow(new RegExp(`prediction for ${other} can't be verified`));
    await expect(verifyPrediction({ a: 1 }, check({ a: 1 }, { channels: ['worker'] }))).resolves.toHaveLength(1);
  });
});
