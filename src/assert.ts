import { check } from './check.js';
import { CloneCheckError } from './errors.js';
import { DEFAULT_FAIL_ON, failing } from './policy.js';
import { CHANNELS, EFFECTS, type Channel, type Effect, type Finding } from './types.js';

export interface AssertOptions {
  /**
   * The one channel the value must survive. Give `channel` or `channels`, not both.
   * @example assertCloneable(job, { channel: 'worker' })
   */
  readonly channel?: Channel | undefined;
  /**
   * The channels the value must survive.
   * @default ['worker', 'fork', 'fork-advanced']
   * @example assertCloneable(msg, { channels: ['fork', 'fork-advanced'] })
   */
  readonly channels?: readonly Channel[] | undefined;
  /**
   * The effects that count as a failure. Add `'note'` to fail on shared memory or detached buffers too.
   * @default ['throws', 'dropped', 'changed']
   * @example assertCloneable(msg, { channel: 'fork', failOn: ['throws'] }) // only what makes send() throw
   */
  readonly failOn?: readonly Effect[] | undefined;
  /** What the send transfers instead of copying (`worker` only), as given to `postMessage`. */
  readonly transferList?: readonly unknown[] | undefined;
}

const OPTION_NAMES = ['channel', 'channels', 'failOn', 'transferList'] as const;

/** What a value is judged against, after the options were checked. */
export interface Verdict {
  readonly channels: readonly Channel[];
  /** Every finding on those channels. */
  readonly findings: readonly Finding[];
  /** The findings whose effect is in `failOn`; the value passes when there are none. */
  readonly failures: readonly Finding[];
}

/**
 * Returns quietly when `value` would arrive as sent on every channel asked; otherwise throws a
 * `CloneCheckError` that names the first problem and lists every failing finding.
 *
 * @example
 * assertCloneable({ id: 1, tags: ['a'] }, { channel: 'fork' }) // returns
 * assertCloneable({ when: new Date() }, { channel: 'fork' })
 * // CloneCheckError: Not cloneable for fork at $.when: A Date arrives as its ISO string through JSON. (DATE_BECOMES_STRING)
 */
export function assertCloneable(value: unknown, options?: AssertOptions): void {
  const { failures } = judge(value, options, 'assertCloneable');
  if (failures.length > 0) throw new CloneCheckError(failures);
}

/**
 * Checks the options (a `TypeError` names what is wrong), then the value. Shared by
 * `assertCloneable` and the `toBeCloneable` matcher so that both judge alike.
 */
export function judge(value: unknown, options: AssertOptions | undefined, caller: string): Verdict {
  const { channels, failOn, transferList } = readOptions(options, caller);
  const result = check(value, transferList === undefined ? { channels } : { channels, transferList });
  const internalError = (result.findings as { internalError?: unknown }).internalError;
  if (internalError !== undefined) {
    // check() could not finish: saying "cloneable" would be a guess.
    throw new Error(`clonecheck: ${caller}: the check could not finish (a bug in clonecheck; please report it)`, { cause: internalError });
  }
  return { channels: result.channels, findings: result.findings, failures: failing(result.findings, failOn) };
}

function readOptions(options: AssertOptions | undefined, caller: string) {
  const fail = (what: string): never => {
    throw new TypeError(`clonecheck: ${caller}: ${what}`);
  };
  const list = (ids: readonly string[]): string => ids.map((id) => JSON.stringify(id)).join(', ');
  const show = (x: unknown): string => (typeof x === 'string' ? JSON.stringify(x) : typeof x === 'object' && x !== null ? (Array.isArray(x) ? 'an array' : 'an object') : String(x));

  if (options === undefined) return { channels: CHANNELS, failOn: DEFAULT_FAIL_ON, transferList: undefined };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    fail(`options must be an object like { channel: 'worker' }, got ${show(options)}`);
  }
  for (const key of Reflect.ownKeys(options)) {
    if (!(OPTION_NAMES as readonly PropertyKey[]).includes(key)) {
      fail(`unknown option ${show(typeof key === 'string' ? key : String(key))}; the options are ${OPTION_NAMES.join(', ')}`);
    }
  }
  const { channel, channels, failOn, transferList } = options;

  const checkChannel = (ch: unknown, where: string): Channel =>
    typeof ch === 'string' && (CHANNELS as readonly string[]).includes(ch) ? (ch as Channel) : fail(`unknown channel ${show(ch)} in ${where}; use one of ${list(CHANNELS)}`);

  let picked: readonly Channel[] = CHANNELS;
  if (channel !== undefined && channels !== undefined) fail('give channel or channels, not both');
  if (channel !== undefined) {
    if (Array.isArray(channel)) fail(`channel takes one channel id; for several, use channels: [${list(channel.map(String))}]`);
    picked = [checkChannel(channel, 'channel')];
  } else if (channels !== undefined) {
    if (!Array.isArray(channels)) fail(`channels must be an array of channel ids, got ${show(channels)}`);
    if (channels.length === 0) fail(`channels is empty, so nothing would be checked; use one or more of ${list(CHANNELS)}`);
    picked = channels.map((ch) => checkChannel(ch, 'channels'));
  }

  let effects: readonly Effect[] = DEFAULT_FAIL_ON;
  if (failOn !== undefined) {
    if (!Array.isArray(failOn)) fail(`failOn must be an array of effects, got ${show(failOn)}`);
    if (failOn.length === 0) fail(`failOn is empty, so nothing could fail; use one or more of ${list(EFFECTS)}`);
    for (const e of failOn as readonly unknown[]) {
      if (typeof e !== 'string' || !(EFFECTS as readonly string[]).includes(e)) fail(`unknown effect ${show(e)} in failOn; use one of ${list(EFFECTS)}`);
    }
    effects = failOn;
  }

  if (transferList !== undefined && !Array.isArray(transferList)) fail(`transferList must be an array, got ${show(transferList)}`);
  return { channels: picked, failOn: effects, transferList };
}
