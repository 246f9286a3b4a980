// The judge: holds a check() verdict against what a real channel delivered, with the one comparer
// that `clonecheck --verify` uses too (src/verify/compare.ts).
import { check } from '../src/check/index.js';
import { compare, type Disagreement } from '../src/verify/compare.js';
import type { Difference } from '../src/verify/description.js';
import { inspectArrival, type Arrival } from '../src/verify/roundtrip.js';
import type { Channel, CheckOptions, Finding } from '../src/types.js';

export { covers } from '../src/verify/compare.js';

export interface Verdict {
  readonly channel: Channel;
  readonly findings: readonly Finding[];
  readonly arrival: Arrival;
  readonly differences: readonly Difference[];
  readonly disagreements: readonly Disagreement[];
  /** Empty when the checker and the channel agree: one line per disagreement. */
  readonly problems: string[];
}

/** Checks `value` for one channel, sends it through the real channel, and compares. */
export async function judge(value: unknown, channel: Channel, options: Omit<CheckOptions, 'channels'> = {}): Promise<Verdict> {
  const result = check(value, { ...options, channels: [channel] });
  const arrival = await inspectArrival(value, channel);
  const c = compare(result, channel, arrival);
  const problems = c.disagreements.map((d) => (d.at === '$' && d.kind === 'outcome' ? d.detail : `${d.kind} at ${d.at}: ${d.detail}`));
  if (result.internalError !== undefined) problems.push(`check() failed inside: ${String(result.internalError)}`);
  return { channel, findings: c.findings, arrival, differences: c.differences, disagreements: c.disagreements, problems };
}
