// The rules of the settings that more than one entry point reads: the channels, the target,
// maxFindings and the guard's mode, once, sample and switches, each written once here. (The fail
// level and the ignore list are read by `readFailOn` and `readIgnore`, which throw a `SettingError`.)
//
// A rule answers with what is wrong, in words, or `undefined` for a good value. Each entry point
// frames the words for its users: check(), assertCloneable() and install() throw a TypeError
// (`clonecheck: install(): ...`), a config file a `ConfigError` naming the file and the key,
// `clonecheck/register` a `GuardEnvError` naming the variable (the last two end a run with exit
// code 2). Given `where`, the words name the setting (`channels must be an array of channel ids,
// got "fork"`); without it the frame names it (a config key) and they read `expected ..., got ...`.
//
// The rules run on every check(), so they read the value as the walk does: no method of the value
// or of the built-in prototypes it could have patched.
import { includes, isArray } from '../realm/intrinsics.js';
import { ALL_CHANNELS, CHANNELS, TARGETS, type Channel, type Target } from '../types.js';
import { didYouMean } from './suggest.js';

/**
 * A setting that is not valid, from the readers of a fail level and an ignore list: a `TypeError`
 * whose message is `clonecheck: <where>: <problem>`. `where` names the setting (`'failOn'`,
 * `'CLONECHECK_IGNORE'`), `problem` says what is wrong with it, so that a caller can frame them its
 * own way (a config file names its key instead).
 */
export class SettingError extends TypeError {
  readonly where: string | undefined;
  readonly problem: string;
  constructor(where: string | undefined, problem: string) {
    super(`clonecheck: ${where === undefined ? '' : `${where}: `}${problem}`);
    this.where = where;
    this.problem = problem;
  }

  /** The message without its `clonecheck: `: `failOn: unknown fail level "x"; ...`. */
  get text(): string {
    return this.where === undefined ? this.problem : `${this.where}: ${this.problem}`;
  }
}

/** A user's value as a message shows it: a string quoted, an object or a function by its kind. */
export function show(value: unknown): string {
  if (value === null) return 'null';
  if (isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  return String(value);
}

/** `"a", "b", "c"`. */
export function quotedList(words: readonly string[]): string {
  let out = '';
  for (let i = 0; i < words.length; i++) out += `${i === 0 ? '' : ', '}${JSON.stringify(words[i])}`;
  return out;
}

/** `a, b or c`. */
export function orList(words: readonly string[]): string {
  let out = '';
  for (let i = 0; i < words.length; i++) out += `${i === 0 ? '' : i === words.length - 1 ? ' or ' : ', '}${words[i]}`;
  return out;
}

function expected(what: string, value: unknown, where: string | undefined): string {
  return `${where === undefined ? 'expected' : `${where} must be`} ${what}, got ${show(value)}`;
}

/** One channel id, as `channel: 'worker'` or one entry of a list: `'chanel'` is not one. */
export function channelProblem(value: unknown, where?: string): string | undefined {
  if (typeof value === 'string' && includes(ALL_CHANNELS, value as Channel)) return undefined;
  const suggestion = typeof value === 'string' ? didYouMean(value, ALL_CHANNELS) : '';
  return `unknown channel ${show(value)}${where === undefined ? '' : ` in ${where}`}${suggestion}; use one of ${quotedList(ALL_CHANNELS)}`;
}

/**
 * A list of channel ids. An empty list checks nothing: refused where a user writes it (options,
 * the config file, the environment), allowed for check(), which then finds nothing.
 */
export function channelsProblem(value: unknown, where?: string, empty: 'refused' | 'allowed' = 'refused'): string | undefined {
  if (!isArray(value)) return expected('an array of channel ids', value, where);
  const list = value as readonly unknown[];
  if (list.length === 0 && empty === 'refused')
    return `${where ?? 'the list'} is empty, so nothing would be checked; use one or more of ${quotedList(CHANNELS)}`;
  for (let i = 0; i < list.length; i++) {
    const problem = channelProblem(list[i], where);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** A Node.js line whose rules apply: `'node22'`. */
export function targetProblem(value: unknown): string | undefined {
  if (typeof value === 'string' && includes(TARGETS, value as Target)) return undefined;
  const suggestion = typeof value === 'string' ? didYouMean(value, TARGETS) : '';
  return `unknown target ${show(value)}${suggestion}; use one of ${quotedList(TARGETS)}`;
}

/** How many findings to collect at most. */
export function maxFindingsProblem(value: unknown, where?: string): string | undefined {
  return typeof value === 'number' && value >= 1 ? undefined : expected('a number, 1 or more', value, where);
}

/** The share of sends the guard checks. */
export const SAMPLE_RANGE = 'a number above 0 and at most 1';

export function sampleProblem(value: unknown, where?: string): string | undefined {
  return typeof value === 'number' && value > 0 && value <= 1 ? undefined : expected(SAMPLE_RANGE, value, where);
}

/** The guard's modes in code; a config file and the environment also take `OFF` (install nothing). */
export const GUARD_MODES = ['throw', 'warn'] as const;
export const OFF = 'off';
const MODES_OR_OFF: readonly string[] = [...GUARD_MODES, OFF];

export function modeProblem(value: unknown, where?: string, off: 'with-off' | 'without-off' = 'without-off'): string | undefined {
  const modes: readonly string[] = off === 'with-off' ? MODES_OR_OFF : GUARD_MODES;
  return typeof value === 'string' && includes(modes, value) ? undefined : expected(orList(modes.map((m) => JSON.stringify(m))), value, where);
}

/** The guard's `once`: `'site'` checks the first send of each call site only. */
export const ONCE_SITE = 'site';

export function onceProblem(value: unknown, where?: string): string | undefined {
  return value === ONCE_SITE || value === false ? undefined : expected(`${JSON.stringify(ONCE_SITE)} or false`, value, where);
}

/** A switch: `notes`, `nodeModules`. */
export function switchProblem(value: unknown, where?: string): string | undefined {
  return typeof value === 'boolean' ? undefined : expected('true or false', value, where);
}
