// What a real send does to a value sent as a property of a message (`{ v: value }`), for the tests
// that hold the verdicts on a closure's captured values (src/capture-verdicts.ts) against real sends:
// a Worker and forked children (json and advanced) for the default channels, JSON.stringify/parse and
// v8.serialize/deserialize in process for `json` and `v8`.
import * as v8 from 'node:v8';
import type { CaptureVerdict, JudgedCapture } from '../../src/capture-verdicts.js';
import type { Channel } from '../../src/types.js';
import { describe as describeValue } from '../../src/verify/describe.js';
import { diffDescriptions } from '../../src/verify/diff.js';
import { inspectArrival } from '../../src/verify/roundtrip.js';

/** What the value did on the real channel: the send threw, the value arrived the same, or it arrived otherwise. */
export type Reality = 'throw' | 'ok' | 'changed';

/** Sends `{ v: value }` through the real channel and tells what happened to it. */
export async function reality(value: unknown, channel: Channel): Promise<Reality> {
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

/** What a verdict says a real send does: `ok` arrives the same, `throw` throws, any other severity arrives changed. */
export const realityOf = (verdict: CaptureVerdict): Reality => (verdict === 'ok' ? 'ok' : verdict === 'throw' ? 'throw' : 'changed');

/**
 * Where the checker's verdict on a running line is known to differ from the real send, said openly:
 * from `fromLine` on, the real send of capture `name` on `channel` gives `real`. A gap that no longer
 * shows (the send gives anything else, or the checker now says what the send does) is reported too,
 * so that such a list only ever shrinks.
 */
export interface KnownGap {
  readonly name: string;
  readonly channel: Channel;
  readonly fromLine: number;
  readonly real: Reality;
  readonly why: string;
}

const RUNNING_LINE = Number(process.versions.node.split('.')[0]);

/**
 * One line per capture whose verdict on `channel` is not what the real send of its value does, and
 * one per value that was not judged or judged capture that has no value (so that an empty or partial
 * list of captures cannot pass).
 */
export async function verdictsAgainstRealSends(
  judged: readonly JudgedCapture[],
  values: Readonly<Record<string, unknown>>,
  channel: Channel,
  gaps: readonly KnownGap[] = [],
): Promise<string[]> {
  const wrong: string[] = [];
  const names = new Set(judged.map((c) => c.name));
  for (const name of Object.keys(values)) if (!names.has(name)) wrong.push(`${name}: not judged`);
  for (const c of judged) {
    if (!Object.hasOwn(values, c.name)) {
      wrong.push(`${c.name} (${c.kind}): judged, but no such value`);
      continue;
    }
    const predicted = c.verdicts[channel];
    if (predicted === undefined) {
      wrong.push(`${c.name} (${c.kind}): no verdict on ${channel}`);
      continue;
    }
    const real = await reality(values[c.name], channel);
    const gap = gaps.find((g) => g.name === c.name && g.channel === channel && RUNNING_LINE >= g.fromLine);
    if (gap) {
      if (real !== gap.real || realityOf(predicted) === real)
        wrong.push(`${c.name} (${c.kind}): the known gap (${gap.why}) no longer shows: predicted ${predicted}, the real ${channel} send: ${real}`);
    } else if (realityOf(predicted) !== real) wrong.push(`${c.name} (${c.kind}): predicted ${predicted}, the real ${channel} send: ${real}`);
  }
  return wrong;
}
