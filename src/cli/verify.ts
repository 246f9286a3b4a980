/**
 * `--verify`: each value is also sent through a real Worker and real forked children, and the
 * project's comparer (src/verify/compare.ts) holds the prediction against what arrived.
 */
import type { Channel, CheckResult } from '../types.js';
import type { Disagreement } from '../verify/compare.js';
import type { Arrival } from '../verify/roundtrip.js';

export type { Disagreement };

export interface Verification {
  readonly channel: Channel;
  /** What the real send did: `arrived`, `threw`, `swallowed` (child_process took it as its own), `lost` (nothing sent) or `crashed`. */
  readonly outcome: Arrival['outcome'];
  /** The real send's error, when it threw or the receiver crashed. */
  readonly error?: string;
  /** How many places arrived different (when it arrived). */
  readonly differences?: number;
  readonly agrees: boolean;
  readonly disagreements: readonly Disagreement[];
}

/**
 * `sentForReal`: set once real sends were made, so that `run` stops the receivers before exiting.
 * `verifying`: the value being sent for real, while it is (an uncaught error then comes from the send).
 */
export const state = { sentForReal: false, verifying: undefined as string | undefined };

function errorText(error: { readonly name: string; readonly message: string }): string {
  return `${error.name}: ${error.message.split('\n')[0]}`;
}

export async function verifyExport(value: unknown, result: CheckResult): Promise<Verification[]> {
  // Loaded only for --verify: it starts Workers and child processes.
  state.sentForReal = true;
  const { verifyPrediction } = await import('../verify/compare.js');
  const comparisons = await verifyPrediction(value, result);
  return comparisons.map((c): Verification => {
    const a = c.arrival;
    const error = a.outcome === 'threw' ? a.error : a.outcome === 'crashed' ? a.error : undefined;
    return {
      channel: c.channel,
      outcome: a.outcome,
      ...(error ? { error: errorText(error) } : {}),
      ...(a.outcome === 'arrived' ? { differences: c.differences.length } : {}),
      agrees: c.disagreements.length === 0,
      disagreements: c.disagreements,
    };
  });
}

/** The lines a verification adds under its export. */
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
    case 'lost':
      return 'nothing was sent';
  }
}
