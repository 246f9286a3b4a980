/**
 * The one comparer of a prediction with reality: a `check()` result against what a real send of the
 * same value did (`inspectArrival()`). The project's property and corpus suites judge the checker
 * with it, and `clonecheck --verify` reports its disagreements to users.
 */
import { DEFAULT_TARGET, type Channel, type CheckResult, type Finding, type PathSegment } from '../types.js';
import type { Difference } from './description.js';
import { diffDescriptions } from './diff.js';
import { inspectArrival, type Arrival } from './roundtrip.js';

/** One place where a prediction and a real send disagree. */
export interface Disagreement {
  readonly channel: Channel;
  /**
   * - `outcome`: the send threw, crashed the receiver, was swallowed or sent nothing, and no finding
   *   said so; or a finding said so, and it arrived.
   * - `unpredicted`: the value arrived different at a place that no finding at or above covers.
   * - `unconfirmed`: a finding says something is dropped or changed, but nothing differs there.
   */
  readonly kind: 'outcome' | 'unpredicted' | 'unconfirmed';
  /** The path for people (`$` for the whole send). */
  readonly at: string;
  /** One plain sentence. */
  readonly detail: string;
}

/** A prediction for one channel held against one real send. */
export interface Comparison {
  readonly channel: Channel;
  readonly arrival: Arrival;
  /** Where the arrived value differs from the sent one (empty unless it arrived). */
  readonly differences: readonly Difference[];
  /** The findings for this channel that were compared, ignored ones included. */
  readonly findings: readonly Finding[];
  /** Empty when the prediction and the send agree. */
  readonly disagreements: readonly Disagreement[];
}

/** What a `check()` result predicts, for `compare()`: a result, or a list of findings. */
export type Prediction = Pick<CheckResult, 'findings'> & { readonly ignored?: readonly Finding[] | undefined };

const sameStep = (a: PathSegment, b: PathSegment): boolean => {
  if (typeof a === 'object' || typeof b === 'object') {
    return typeof a === 'object' && typeof b === 'object' && a.kind === b.kind && a.index === b.index;
  }
  // A symbol on the receiver is never the sender's symbol: symbols compare by their text.
  return String(a) === String(b);
};

/** True when `prefix` is `path` or one of its ancestors. */
export function covers(prefix: readonly PathSegment[], path: readonly PathSegment[]): boolean {
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i++) if (!sameStep(prefix[i]!, path[i]!)) return false;
  return true;
}

function errorText(error: { readonly name: string; readonly message: string } | undefined): string {
  return error === undefined ? 'no error' : `${error.name}: ${error.message.split('\n')[0]}`;
}

function list(fs: readonly Finding[]): string {
  return fs.map((f) => `${f.code} ${f.at}`).join(', ') || 'nothing';
}

/**
 * Holds the findings of one channel against what a real send through it did:
 *
 * - a `throws` finding exactly when the send fails: it throws in the sender, or the receiver can't
 *   take the message (it crashes, or can't deserialize it);
 * - `MESSAGE_SWALLOWED` exactly when child_process IPC takes the message as its own: nothing arrives,
 *   or, for a `cmd` Node itself acts on (`NODE_HANDLE_ACK`, ...), the receiver crashes;
 * - on `json`, a value `JSON.stringify()` can't write at all sends nothing: a `dropped` or `changed`
 *   finding at the root must say so;
 * - when it arrives, every difference has a `dropped`/`changed` finding at it or above it, and every
 *   such finding has a difference at it or below it. The diff does not look inside a node whose
 *   kind or prototype changed, so a finding inside one is borne out by that change.
 *
 * Findings that `ignore` set aside are still predictions: they count here.
 */
export function compare(prediction: Prediction | readonly Finding[], channel: Channel, arrival: Arrival): Comparison {
  const all = isFindingList(prediction) ? prediction : [...prediction.findings, ...(prediction.ignored ?? [])];
  const findings = all.filter((f) => f.channel === channel);
  const out: Disagreement[] = [];
  const outcome = (at: string, detail: string): void => void out.push({ channel, kind: 'outcome', at, detail });
  const throwing = findings.filter((f) => f.effect === 'throws');
  const swallowing = findings.find((f) => f.code === 'MESSAGE_SWALLOWED');
  const lossy = findings.filter((f) => f.effect === 'dropped' || f.effect === 'changed');
  const done = (differences: readonly Difference[] = []): Comparison => ({ channel, arrival, differences, findings, disagreements: out });

  switch (arrival.outcome) {
    case 'threw':
      if (throwing.length === 0) outcome('$', `the real send threw (${errorText(arrival.error)}), but the checker predicted ${list(findings)}`);
      return done();
    case 'crashed':
      if (throwing.length === 0 && swallowing === undefined) {
        const why = arrival.reason === 'messageerror' ? 'could not read the message' : 'crashed';
        outcome('$', `the receiver ${why} (${errorText(arrival.error)}), but the checker predicted ${list(findings)}`);
      }
      return done();
    case 'swallowed':
      if (swallowing === undefined) outcome('$', `child_process IPC swallowed the message (nothing arrived), but the checker predicted ${list(findings)}`);
      return done();
    case 'lost':
      if (throwing.length > 0) outcome(throwing[0]!.at, `${throwing[0]!.code} says the send throws, but it sent nothing, without an error`);
      else if (!lossy.some((f) => f.path.length === 0))
        outcome('$', `JSON.stringify() wrote nothing for the value, but the checker predicted ${list(findings)}`);
      return done();
    case 'arrived':
      break;
  }
  if (throwing.length > 0) {
    outcome(throwing[0]!.at, `the checker predicted a throw (${list(throwing)}), but the value arrived`);
    return done();
  }
  if (swallowing !== undefined) {
    outcome(swallowing.at, 'MESSAGE_SWALLOWED says nothing arrives, but it arrived');
    return done();
  }
  const differences = diffDescriptions(arrival.sent, arrival.description);
  for (const d of differences) {
    if (!lossy.some((f) => covers(f.path, d.path)))
      out.push({ channel, kind: 'unpredicted', at: d.at, detail: `arrived different, and no finding says so: ${d.what}` });
  }
  const stops = differences.filter((d) => d.what.startsWith('kind:') || d.what.startsWith('prototype:'));
  for (const f of lossy) {
    if (differences.some((d) => covers(f.path, d.path)) || stops.some((d) => covers(d.path, f.path))) continue;
    // A duplicate whose first copy sits inside such a node: the diff cannot see that pair either.
    const firstSeen = f.code === 'SHARED_REFERENCE_DUPLICATED' ? (f.args as { readonly firstSeen?: unknown }).firstSeen : undefined;
    if (typeof firstSeen === 'string' && stops.some((d) => firstSeen.startsWith(d.at))) continue;
    out.push({ channel, kind: 'unconfirmed', at: f.at, detail: `${f.code} says it is ${f.effect}, but nothing differs there` });
  }
  return done(differences);
}

function isFindingList(p: Prediction | readonly Finding[]): p is readonly Finding[] {
  return Array.isArray(p);
}

/**
 * Sends `value` for real through each channel of `prediction` (a `check()` result for the same
 * value) and compares. Real sends run the value's getters and `toJSON()`, as the channels do.
 * They prove the rules of the Node.js that runs them only: a prediction for another line's
 * `target` is refused with a TypeError rather than held against this line's sends.
 */
export async function verifyPrediction(
  value: unknown,
  prediction: Pick<CheckResult, 'findings' | 'channels'> & Prediction & { readonly target?: string | undefined },
): Promise<Comparison[]> {
  // The line whose rules check() applies here by default (Node 23 runs node22's).
  const here = DEFAULT_TARGET;
  if (prediction.target !== undefined && prediction.target !== here) {
    throw new TypeError(
      `clonecheck: a prediction for ${prediction.target} can't be verified by real sends on Node.js ${process.versions.node} (${here}); check with target '${here}', or verify on that line`,
    );
  }
  return Promise.all(prediction.channels.map(async (channel) => compare(prediction, channel, await inspectArrival(value, channel))));
}
