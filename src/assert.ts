import { check } from './check/index.js';
import { loadConfig, readConfigFile, type CloneCheckConfig } from './config/index.js';
import { CloneCheckError } from './errors.js';
import { DEFAULT_FAIL_LEVEL, didYouMean, failing, readIgnore, resolveFailOn, SettingError, type FailOn } from './policy/index.js';
import { channelProblem, channelsProblem, quotedList, show, targetProblem } from './policy/settings.js';
import { CHANNELS, type Channel, type Finding, type Target } from './types.js';

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
   * What fails: a severity level and everything more serious. `'loss'` fails what throws and what
   * the receiver would not get; a reshape (a frozen object arriving unfrozen, a Buffer arriving as a
   * Uint8Array) is reported in the message but passes. A list of effects (the older form) still works.
   * @default 'loss'
   * @example assertCloneable(msg, { channel: 'fork', failOn: 'throw' }) // only what makes send() throw
   */
  readonly failOn?: FailOn | undefined;
  /**
   * Fail on every change, reshapes included: the same as `failOn: 'reshape'`.
   * @default false
   */
  readonly strict?: boolean | undefined;
  /**
   * Findings to accept: codes (`'DATE_BECOMES_STRING'`), path patterns (`'$.meta.**'`,
   * `'$.items[*].cache'`) and classes (`'class:Customer'`). They never fail; the message counts them.
   * @default []
   */
  readonly ignore?: readonly string[] | undefined;
  /**
   * The Node.js line whose rules apply.
   * @default the running Node.js's line
   */
  readonly target?: Target | undefined;
  /** What the send transfers instead of copying (`worker` only), as given to `postMessage`. */
  readonly transferList?: readonly unknown[] | undefined;
  /**
   * Read the project's config (`clonecheck.config.json`, or `"clonecheck"` in package.json, found
   * from the current directory upwards) for the channels, target, fail level and ignores this call
   * does not give; a string names the config file or the directory to search from.
   * @default false
   * @example assertCloneable(state, { config: true, channel: 'worker' })
   */
  readonly config?: boolean | string | undefined;
}

const OPTION_NAMES = ['channel', 'channels', 'failOn', 'strict', 'ignore', 'target', 'transferList', 'config'] as const;

/** What a value is judged against, after the options were checked. */
export interface Verdict {
  readonly channels: readonly Channel[];
  /** Every finding on those channels that was not ignored. */
  readonly findings: readonly Finding[];
  /** The findings the ignore list set aside. */
  readonly ignored: readonly Finding[];
  /** The findings that fail under the fail level; the value passes when there are none. */
  readonly failures: readonly Finding[];
  /** The fail level applied. */
  readonly failOn: FailOn;
}

/**
 * Returns quietly when nothing on the channels asked would throw or be lost (by default: a
 * reshape, such as a frozen object arriving unfrozen, passes); otherwise throws a
 * `CloneCheckError` that names the first problem and lists every failing finding.
 *
 * @example
 * assertCloneable({ id: 1, tags: ['a'] }, { channel: 'fork' }) // returns
 * assertCloneable(Object.freeze({ id: 1 }), { channel: 'worker' }) // returns (strict: true throws)
 * assertCloneable({ when: new Date() }, { channel: 'fork' })
 * // CloneCheckError: Not cloneable for fork at $.when: A Date arrives as its ISO string through JSON. (DATE_BECOMES_STRING)
 */
export function assertCloneable(value: unknown, options?: AssertOptions): void {
  const { failures, ignored } = judge(value, options, 'assertCloneable');
  if (failures.length > 0) throw new CloneCheckError(failures, { ignored: ignored.length });
}

/**
 * Checks the options (a `TypeError` names what is wrong), then the value. Shared by
 * `assertCloneable` and the `toBeCloneable` matcher so that both judge alike.
 */
export function judge(value: unknown, options: AssertOptions | undefined, caller: string): Verdict {
  const { channels, failOn, transferList, ignore, target } = readOptions(options, caller);
  // check() sets the ignored findings aside (readOptions has checked the list).
  const result = check(value, {
    channels,
    ...(ignore === undefined ? {} : { ignore }),
    ...(transferList === undefined ? {} : { transferList }),
    ...(target === undefined ? {} : { target }),
  });
  if (result.internalError !== undefined) {
    // check() could not finish: saying "cloneable" would be a guess.
    throw new Error(`clonecheck: ${caller}: the check could not finish (a bug in clonecheck; please report it)`, { cause: result.internalError });
  }
  const findings = [...result.findings];
  return { channels: result.channels, findings, ignored: [...result.ignored], failures: failing(findings, failOn), failOn };
}

function readOptions(options: AssertOptions | undefined, caller: string) {
  const fail = (what: string): never => {
    throw new TypeError(`clonecheck: ${caller}: ${what}`);
  };
  const refuse = (problem: string | undefined): void => {
    if (problem !== undefined) fail(problem);
  };
  /** Runs a reader of policy/ and fails with its words. */
  const read = <T>(run: () => T): T => {
    try {
      return run();
    } catch (error) {
      if (!(error instanceof SettingError)) throw error;
      return fail(error.text);
    }
  };

  if (options === undefined) return { channels: CHANNELS, failOn: DEFAULT_FAIL_LEVEL as FailOn, transferList: undefined, ignore: undefined, target: undefined };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    fail(`options must be an object like { channel: 'worker' }, got ${show(options)}`);
  }
  for (const key of Reflect.ownKeys(options)) {
    if (!(OPTION_NAMES as readonly PropertyKey[]).includes(key)) {
      const name = typeof key === 'string' ? key : String(key);
      fail(`unknown option ${show(name)}${didYouMean(name, OPTION_NAMES)}; the options are ${OPTION_NAMES.join(', ')}`);
    }
  }
  const { channel, channels, failOn, strict, ignore, target, transferList, config: configOption } = options;

  let config: CloneCheckConfig = {};
  if (configOption !== undefined && configOption !== false) {
    if (configOption === true) config = loadConfig()?.config ?? {};
    else if (typeof configOption === 'string')
      config = configOption.endsWith('.json') ? readConfigFile(configOption).config : (loadConfig(configOption)?.config ?? {});
    else fail(`config must be true, false or a path, got ${show(configOption)}`);
  }

  let picked: readonly Channel[] = config.channels ?? CHANNELS;
  if (channel !== undefined && channels !== undefined) fail('give channel or channels, not both');
  if (channel !== undefined) {
    if (Array.isArray(channel)) fail(`channel takes one channel id; for several, use channels: [${quotedList(channel.map(String))}]`);
    refuse(channelProblem(channel, 'channel'));
    picked = [channel];
  } else if (channels !== undefined) {
    refuse(channelsProblem(channels, 'channels'));
    picked = channels;
  }

  const level = failOn === undefined && strict === undefined && config.failOn !== undefined ? config.failOn : read(() => resolveFailOn(failOn, strict));

  let ignores: readonly string[] | undefined = config.ignore;
  if (ignore !== undefined) {
    read(() => readIgnore(ignore, 'ignore'));
    ignores = config.ignore === undefined ? ignore : [...config.ignore, ...ignore];
  }

  if (target !== undefined) refuse(targetProblem(target));
  const pickedTarget: Target | undefined = target ?? config.target;

  if (transferList !== undefined && !Array.isArray(transferList)) fail(`transferList must be an array, got ${show(transferList)}`);
  return { channels: picked, failOn: level, transferList, ignore: ignores, target: pickedTarget };
}
