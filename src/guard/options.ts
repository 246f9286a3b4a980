// The guard's options: what install() takes, the policy it makes of them, and the explicit
// helpers' policy.
import {
  compileIgnore,
  DEFAULT_FAIL_LEVEL,
  didYouMean,
  IGNORE_NOTHING,
  resolveFailOn,
  SettingError,
  type FailOn,
  type IgnoreMatcher,
} from '../policy/index.js';
import { channelsProblem, maxFindingsProblem, modeProblem, onceProblem, ONCE_SITE, sampleProblem, switchProblem, targetProblem } from '../policy/settings.js';
import { ALL_CHANNELS, CHANNELS, type Channel, type Finding, type Target } from '../types.js';

export type GuardMode = 'throw' | 'warn';

export interface GuardOptions {
  /**
   * `'throw'`: a send with a failing finding throws a `CloneCheckError` before anything is sent.
   * `'warn'`: the send goes ahead, unchanged, and each distinct problem (send site, code, path) is
   * printed once as a `CloneCheckWarning`.
   * @default 'throw'
   */
  readonly mode?: GuardMode | undefined;
  /**
   * The channels whose sends are checked; sends on other channels pass unchecked.
   * @default ['worker', 'fork', 'fork-advanced']
   * @example install({ channels: ['worker'] }) // only Workers, MessagePorts and BroadcastChannels
   */
  readonly channels?: readonly Channel[] | undefined;
  /**
   * What makes a send fail (throw in `'throw'` mode, print as a problem in `'warn'` mode): a
   * severity level and everything more serious. `'loss'` fails a send that throws or loses data;
   * a reshape (a frozen object arriving unfrozen, a Buffer arriving as a Uint8Array) goes ahead.
   * A list of effects (the older form) still works.
   * @default 'loss'
   * @example install({ failOn: 'throw' }) // only what would make the send throw anyway
   */
  readonly failOn?: FailOn | undefined;
  /**
   * Fail reshapes too: the same as `failOn: 'reshape'`.
   * @default false
   */
  readonly strict?: boolean | undefined;
  /**
   * Findings to accept: codes (`'TRANSFERRED'` accepts deliberate transfers without a word),
   * path patterns (`'$.meta.**'`) and classes (`'class:Customer'`). They never fail or print;
   * a failing send's error counts them.
   * @default []
   * @example install({ ignore: ['DATE_BECOMES_STRING', 'TRANSFERRED'] })
   */
  readonly ignore?: readonly string[] | undefined;
  /**
   * The Node.js line whose rules apply.
   * @default the running Node.js's line
   */
  readonly target?: Target | undefined;
  /**
   * Also check the sends made from code under `node_modules` (a test runner's or a pool's own
   * messages). By default they go ahead unchecked: the guard judges your code, not your dependencies.
   * @default false
   */
  readonly nodeModules?: boolean | undefined;
  /**
   * Also print the findings that do not fail, once per send site, code and path: reshapes,
   * transfers that detach the sender's buffer, pooled Buffers copied instead of transferred, shared
   * memory. They never throw.
   * @default true
   */
  readonly notes?: boolean | undefined;
  /**
   * The share of messages that are checked, above 0 and at most 1: `0.01` checks one send in a
   * hundred, at random. `workerData` is always checked (a thread start costs far more than the check).
   * @default 1
   */
  readonly sample?: number | undefined;
  /**
   * `'site'`: check only the first send made from each call site (file, line and column), and let
   * later sends from there pass unchecked. Each send still costs a stack capture (a few
   * microseconds), so this pays off for large messages; `sample` is cheaper for small ones.
   * `workerData` is always checked.
   * @default false
   */
  readonly once?: 'site' | false | undefined;
  /**
   * Stop collecting findings for one send after this many.
   * @default 100
   */
  readonly maxFindings?: number | undefined;
  /**
   * Receives each warning instead of `process.emitWarning` (e.g. to route it to a logger).
   * Its `findings` are only the ones not printed before.
   */
  readonly onWarning?: ((warning: GuardWarning) => void) | undefined;
}

/** What a warning is made of; `text` is what `process.emitWarning` prints by default. */
export interface GuardWarning {
  /** The send, as people call it: `'child.send()'`, `'new Worker() workerData'`, ... */
  readonly api: string;
  readonly channel: Channel;
  /** `file:line:column` of the user's call, or `'<unknown>'`. */
  readonly site: string;
  /** The findings of this send that were not printed before. */
  readonly findings: readonly Finding[];
  /** The whole warning as plain text: one line naming the send, then the findings. */
  readonly text: string;
}

/** The options of install(), checked and settled. */
export interface Policy {
  readonly mode: GuardMode;
  readonly channels: readonly Channel[];
  readonly failOn: FailOn;
  readonly ignore: readonly string[] | undefined;
  readonly isIgnored: IgnoreMatcher;
  readonly target: Target | undefined;
  readonly nodeModules: boolean;
  readonly notes: boolean;
  readonly sample: number;
  readonly once: boolean;
  readonly maxFindings: number;
  readonly onWarning: ((warning: GuardWarning) => void) | undefined;
}

/**
 * The explicit helpers' policy: they are called on purpose, so they always check and throw. They
 * take the fail level, ignores and target of an installed guard (see `helperPolicy`).
 */
export const HELPER_POLICY: Policy = {
  mode: 'throw',
  channels: ALL_CHANNELS,
  failOn: DEFAULT_FAIL_LEVEL,
  ignore: undefined,
  isIgnored: IGNORE_NOTHING,
  target: undefined,
  nodeModules: true,
  notes: true,
  sample: 1,
  once: false,
  maxFindings: 100,
  onWarning: undefined,
};

const OPTION_NAMES = ['mode', 'channels', 'failOn', 'strict', 'ignore', 'target', 'nodeModules', 'notes', 'sample', 'once', 'maxFindings', 'onWarning'];

/** Checks install()'s options; a bad one is a TypeError naming it. */
export function readPolicy(options: GuardOptions): Policy {
  const fail = (what: string): never => {
    throw new TypeError(`clonecheck: install(): ${what}`);
  };
  if (options === null || typeof options !== 'object') fail('options must be an object like { mode: "warn" }');
  for (const key of Reflect.ownKeys(options)) {
    if (typeof key !== 'string' || !OPTION_NAMES.includes(key))
      fail(`unknown option ${String(key)}${typeof key === 'string' ? didYouMean(key, OPTION_NAMES) : ''}; the options are ${OPTION_NAMES.join(', ')}`);
  }
  const {
    mode = 'throw',
    channels = CHANNELS,
    failOn,
    strict,
    ignore,
    target,
    nodeModules = false,
    notes = true,
    sample = 1,
    once = false,
    maxFindings = 100,
    onWarning,
  } = options;
  const refuse = (problem: string | undefined): void => {
    if (problem !== undefined) fail(problem);
  };
  refuse(modeProblem(mode, 'mode'));
  refuse(channelsProblem(channels, 'channels'));
  let level: FailOn = DEFAULT_FAIL_LEVEL;
  let isIgnored: IgnoreMatcher = IGNORE_NOTHING;
  try {
    level = resolveFailOn(failOn, strict);
    if (ignore !== undefined) isIgnored = compileIgnore(ignore, 'ignore');
  } catch (error) {
    if (!(error instanceof SettingError)) throw error;
    fail(error.text);
  }
  if (target !== undefined) refuse(targetProblem(target));
  refuse(switchProblem(nodeModules, 'nodeModules'));
  refuse(switchProblem(notes, 'notes'));
  refuse(sampleProblem(sample, 'sample'));
  refuse(onceProblem(once, 'once'));
  refuse(maxFindingsProblem(maxFindings, 'maxFindings'));
  if (onWarning !== undefined && typeof onWarning !== 'function') fail('onWarning must be a function');
  return {
    mode,
    channels: [...channels],
    failOn: level,
    ignore: ignore === undefined || ignore.length === 0 ? undefined : ignore.map((entry) => entry.trim()),
    isIgnored,
    target,
    nodeModules,
    notes,
    sample,
    once: once === ONCE_SITE,
    maxFindings,
    onWarning,
  };
}
