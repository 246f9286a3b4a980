/**
 * `--verify`: each value is also sent through a real Worker and real forked children, and what
 * arrived is compared with the prediction.
 */
import type { Channel, CheckResult, Finding, PathSegment } from '../types.js';
import type { Arrival } from '../verify/roundtrip.js';
import type { Difference } from '../verify/description.js';

export interface Disagreement {
  readonly channel: Channel;
  /**
   * - `outcome`: the send threw, crashed the receiver or was swallowed when no finding said so, or
   *   the reverse.
   * - `unpredicted`: the value arrived different at a place no finding covers.
   * - `unconfirmed`: a finding says something is lost or changed, but it arrived the same.
   */
  readonly kind: 'outcome' | 'unpredicted' | 'unconfirmed';
  readonly at: string;
  readonly detail: string;
}

export interface Verification {
  readonly channel: Channel;
  /** What the real send did: `arrived`, `threw`, `swallowed` (child_process took it as its own) or `crashed`. */
  readonly outcome: Arrival['outcome'];
  /** The real send's error, when it threw or the receiver crashed. */
  readonly error?: string;
  /** How many places arrived different (when it arrived). */
  readonly differences?: number;
  readonly agrees: boolean;
  readonly disagreements: readonly Disagreement[];
}


/**
 * Where a real send disagrees with one channel's findings: a `throws` prediction against whether
 * the send threw (a receiver that crashes on the message counts as a throw, an IPC-swallowed
 * message as `MESSAGE_SWALLOWED`), and the lossy findings against the places that arrived
 * different. A finding covers a difference when one's path leads to the other's.
 */
export function compareWithArrival(channel: Channel, findings: readonly Finding[], arrival: Arrival, differences: readonly Difference[]): Disagreement[] {
  const mine = findings.filter((f) => f.channel === channel);
  const throwing = mine.find((f) => f.effect === 'throws');
  const swallowing = mine.find((f) => f.code === 'MESSAGE_SWALLOWED');
  const out: Disagreement[] = [];
  const outcome = (at: string, detail: string): void => void out.push({ channel, kind: 'outcome', at, detail });
  switch (arrival.outcome) {
    case 'threw':
      if (!throwing) outcome('$', `the real send threw (${errorText(arrival.error)}), but no finding says it throws`);
      return out;
    case 'crashed':
      if (!throwing) outcome('$', `the receiver could not take the message (${arrival.error ? errorText(arrival.error) : arrival.reason}), but no finding says the send fails`);
      return out;
    case 'swallowed':
      if (!swallowing) outcome('$', 'child_process IPC swallowed the message (nothing arrived), but no finding says so');
      return out;
    case 'arrived':
      break;
  }
  if (throwing) {
    outcome(throwing.at, `${throwing.code} says the send throws, but it arrived`);
    return out;
  }
  if (swallowing) {
    outcome(swallowing.at, 'MESSAGE_SWALLOWED says nothing arrives, but it arrived');
    return out;
  }
  const lossy = mine.filter((f) => f.effect !== 'note');
  const keysOf = (path: readonly PathSegment[]): string[] => path.map(segmentKey);
  const lossyKeys = lossy.map((f) => keysOf(f.path));
  const diffKeys = differences.map((d) => keysOf(d.path));
  differences.forEach((d, i) => {
    if (!lossyKeys.some((k) => related(k, diffKeys[i]!))) out.push({ channel, kind: 'unpredicted', at: d.at, detail: `arrived different, and no finding says so: ${d.what}` });
  });
  lossy.forEach((f, i) => {
    if (!diffKeys.some((k) => related(k, lossyKeys[i]!))) out.push({ channel, kind: 'unconfirmed', at: f.at, detail: `${f.code} says it is ${f.effect}, but it arrived the same` });
  });
  return out;
}

function segmentKey(segment: PathSegment): string {
  switch (typeof segment) {
    case 'number':
      return `#${segment}`;
    case 'string':
      return `.${segment}`;
    case 'symbol':
      return `@${String(segment)}`;
    default:
      return `${segment.kind}:${segment.index}`;
  }
}

/** One path is a prefix of the other. */
function related(a: readonly string[], b: readonly string[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

function errorText(error: { readonly name: string; readonly message: string }): string {
  return `${error.name}: ${error.message.split('\n')[0]}`;
}

/**
 * `sentForReal`: set once real sends were made, so that `run` stops the receivers before exiting.
 * `verifying`: the value being sent for real, while it is (an uncaught error then comes from the send).
 */
export const state = { sentForReal: false, verifying: undefined as string | undefined };

export async function verifyExport(value: unknown, result: CheckResult): Promise<Verification[]> {
  // Loaded only for --verify: it starts Workers and child processes.
  state.sentForReal = true;
  const { inspectArrival } = await import('../verify/roundtrip.js');
  const { diffDescriptions } = await import('../verify/diff.js');
  return Promise.all(
    result.channels.map(async (channel): Promise<Verification> => {
      const arrival = await inspectArrival(value, channel);
      const differences = arrival.outcome === 'arrived' ? diffDescriptions(arrival.sent, arrival.description) : [];
      const disagreements = compareWithArrival(channel, result.findings, arrival, differences);
      const error = arrival.outcome === 'threw' ? arrival.error : arrival.outcome === 'crashed' ? arrival.error : undefined;
      return {
        channel,
        outcome: arrival.outcome,
        ...(error ? { error: errorText(error) } : {}),
        ...(arrival.outcome === 'arrived' ? { differences: differences.length } : {}),
        agrees: disagreements.length === 0,
        disagreements,
      };
    }),
  );
}

export function renderVerification(verify: readonly Verification[]): string[] {
  if (verify.every((v) => v.agrees && v.outcome === 'arrived' && !v.differences)) {
    return [`verify: arrived the same on ${verify.map((v) => v.channel).join(', ')}, as predicted`];
  }
  const width = Math.max(...verify.map((v) => v.channel.length));
  const lines = ['verify (real sends):'];
  for (const v of verify) {
    lines.push(`  ${v.channel.padEnd(width)}  ${v.agrees ? 'agrees' : 'DISAGREES'}: ${outcomeText(v)}`);
    for (const d of v.disagreements) lines.push(`    ${d.at}  ${d.kind}: ${d.detail}`);
  }
  return lines;
}

function outcomeText(v: Verification): string {
  switch (v.outcome) {
    case 'arrived':
      return v.differences ? `arrived with ${v.differences} difference${v.differences === 1 ? '' : 's'}` : 'arrived the same';
    case 'threw':
      return `threw ${v.error ?? ''}`.trim();
    case 'crashed':
      return `receiver failed: ${v.error ?? ''}`.trim();
    case 'swallowed':
      return 'swallowed by IPC';
  }
}

