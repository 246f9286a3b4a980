// The judge: holds a check() verdict against what a real channel delivered (SPEC, "Sameness").
import { check } from '../src/check.js';
import { diffDescriptions } from '../src/verify/diff.js';
import type { Difference } from '../src/verify/description.js';
import { inspectArrival, type Arrival } from '../src/verify/roundtrip.js';
import type { Channel, Finding, PathSegment } from '../src/types.js';

export interface Verdict {
  readonly channel: Channel;
  readonly findings: readonly Finding[];
  readonly arrival: Arrival;
  readonly differences: readonly Difference[];
  /** Empty when the checker and the channel agree. */
  readonly problems: string[];
}

const sameStep = (a: PathSegment, b: PathSegment): boolean => {
  if (typeof a === 'object' || typeof b === 'object') {
    return typeof a === 'object' && typeof b === 'object' && a.kind === b.kind && a.index === b.index;
  }
  // A symbol on the receiver is never the sender's symbol: compare symbols by their text.
  return String(a) === String(b);
};

/** True when `prefix` is `path` or one of its ancestors. */
export const covers = (prefix: readonly PathSegment[], path: readonly PathSegment[]): boolean =>
  prefix.length <= path.length && prefix.every((step, i) => sameStep(step, path[i]!));

/**
 * Sends `value` through the real channel and compares:
 * - `throws` predicted exactly when the real send fails (throws in the sender, or nothing usable arrives);
 * - lossless predicted exactly when the receiver's value is the same;
 * - every `dropped`/`changed` finding's path leads to a place that differs, and every difference is
 *   covered by a finding at it or above it.
 */
export async function judge(value: unknown, channel: Channel): Promise<Verdict> {
  const findings = check(value, { channels: [channel] }).findings;
  const arrival = await inspectArrival(value, channel);
  const problems: string[] = [];
  const lossy = findings.filter((f) => f.effect === 'dropped' || f.effect === 'changed');
  const predictedThrow = findings.some((f) => f.effect === 'throws');
  let differences: Difference[] = [];
  const list = (fs: readonly Finding[]) => fs.map((f) => `${f.code} ${f.at}`).join(', ') || 'nothing';

  switch (arrival.outcome) {
    case 'threw':
    case 'crashed':
      // A cmd that Node itself acts on (NODE_HANDLE_ACK, ...) can crash the child: nothing arrives either way.
      if (arrival.outcome === 'crashed' && findings.some((f) => f.code === 'MESSAGE_SWALLOWED')) break;
      if (!predictedThrow) {
        const why = arrival.outcome === 'threw' ? `threw ${arrival.error.name}: ${arrival.error.message}` : `crashed the receiver (${arrival.reason})`;
        problems.push(`the real send ${why}, but the checker predicted ${list(findings)}`);
      }
      break;
    case 'swallowed':
      if (!findings.some((f) => f.code === 'MESSAGE_SWALLOWED')) problems.push(`the message was swallowed, but the checker predicted ${list(findings)}`);
      break;
    case 'arrived': {
      if (predictedThrow) {
        problems.push(`the checker predicted a throw (${list(findings.filter((f) => f.effect === 'throws'))}), but the value arrived`);
        break;
      }
      differences = diffDescriptions(arrival.sent, arrival.description);
      if (differences.length === 0 && lossy.length > 0) problems.push(`the value arrived the same, but the checker reported ${list(lossy)}`);
      if (differences.length > 0 && lossy.length === 0) {
        problems.push(`the checker called it lossless, but the receiver differs: ${differences.map((d) => `${d.at} ${d.what}`).join('; ')}`);
      }
      if (differences.length > 0 && lossy.length > 0) {
        for (const d of differences) {
          if (!lossy.some((f) => covers(f.path, d.path))) problems.push(`no finding covers the difference at ${d.at}: ${d.what}`);
        }
        // The diff stops at a node whose kind or prototype changed, so a finding inside such a node
        // is borne out by the difference above it.
        const stops = differences.filter((d) => d.what.startsWith('kind:') || d.what.startsWith('prototype:'));
        for (const f of lossy) {
          // A duplicate whose first copy sits inside such a node: the diff cannot see that pair either.
          const firstSeen = f.code === 'SHARED_REFERENCE_DUPLICATED' ? f.args.firstSeen : undefined;
          const hidden = firstSeen !== undefined && stops.some((d) => firstSeen.startsWith(d.at));
          if (!differences.some((d) => covers(f.path, d.path)) && !stops.some((d) => covers(d.path, f.path)) && !hidden) {
            problems.push(`${f.code} at ${f.at}, but nothing differs there`);
          }
        }
      }
      break;
    }
  }
  return { channel, findings, arrival, differences, problems };
}
