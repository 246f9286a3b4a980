// The guard's settings from outside the code: the CLONECHECK_* environment variables and the config
// file's "guard" key, layered for `--import clonecheck/register` (environment over file over defaults).
import { GUARD_KEYS, loadConfig, readConfigFile, SHARED_KEYS, type CloneCheckConfig } from '../config/index.js';
import { readFailOn, readIgnore, SettingError, SEVERITIES } from '../policy/index.js';
import { channelsProblem, GUARD_MODES, OFF, ONCE_SITE, orList, SAMPLE_RANGE, sampleProblem, targetProblem } from '../policy/settings.js';
import type { GuardMode, GuardOptions } from './options.js';
import type { Channel, Target } from '../types.js';

/**
 * A `CLONECHECK_*` variable with a value clonecheck does not know: `variable` names it, the
 * message says what it holds and what would be valid.
 */
export class GuardEnvError extends Error {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(`clonecheck/register: ${message}`);
    this.variable = variable;
  }
}
Object.defineProperty(GuardEnvError.prototype, 'name', { value: 'GuardEnvError', writable: true, configurable: true });

/**
 * The guard options that `clonecheck/register` reads from the environment, or `undefined` when
 * `CLONECHECK_GUARD=off` (the other variables are then not read). Throws a `GuardEnvError` naming
 * the variable for a value it does not know.
 *
 * - `CLONECHECK_GUARD`: `throw` (default), `warn` or `off`
 * - `CLONECHECK_CHANNELS`: e.g. `worker,fork` (default: the three)
 * - `CLONECHECK_FAIL_ON`: a level, `throw`, `loss` (default), `reshape` or `note`
 * - `CLONECHECK_STRICT`: `1` (or `true`, `on`) for `failOn: 'reshape'`
 * - `CLONECHECK_IGNORE`: codes, path patterns and classes, comma-separated:
 *   `DATE_BECOMES_STRING,$.meta.**,class:Customer`
 * - `CLONECHECK_TARGET`: `node20`, `node22`, `node24` or `node26`
 * - `CLONECHECK_NODE_MODULES`: `on` to check sends made from code under `node_modules` too
 * - `CLONECHECK_SAMPLE`: e.g. `0.01` (default: `1`)
 * - `CLONECHECK_ONCE`: `site` to check only the first send of each call site
 * - `CLONECHECK_NOTES`: `off` to print only failing findings
 *
 * `registerOptions()` adds the config file under these.
 */
export function guardOptionsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): GuardOptions | undefined {
  const options = readEnv(env);
  return options.mode === 'off' ? undefined : { mode: 'throw', ...withoutOff(options) };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type LayerOptions = Omit<GuardOptions, 'mode'> & { mode?: GuardMode | 'off' };

function withoutOff(options: LayerOptions): GuardOptions {
  const { mode, ...rest } = options;
  return mode === undefined || mode === 'off' ? rest : { mode, ...rest };
}

function readEnv(env: Readonly<Record<string, string | undefined>>): LayerOptions {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const bad = (name: string, value: string, expected: string): never => {
    throw new GuardEnvError(name, `${name}=${JSON.stringify(value)} is not valid; expected ${expected}`);
  };
  const onOff = (name: string): boolean | undefined => {
    const value = read(name);
    if (value === undefined) return undefined;
    if (/^(?:1|true|on|yes)$/i.test(value)) return true;
    if (/^(?:0|false|off|no)$/i.test(value)) return false;
    return bad(name, value, 'on or off');
  };

  /** A value whose problem a rule of policy/settings.ts words: `NAME="value" is not valid: <problem>`. */
  const refuse = (name: string, value: string, problem: string | undefined): void => {
    if (problem !== undefined) throw new GuardEnvError(name, `${name}=${JSON.stringify(value)} is not valid: ${problem}`);
  };

  const options: Mutable<LayerOptions> = {};
  const mode = read('CLONECHECK_GUARD');
  if (mode !== undefined) {
    const modes: readonly string[] = [...GUARD_MODES, OFF];
    if (!modes.includes(mode)) bad('CLONECHECK_GUARD', mode, orList(modes));
    options.mode = mode as GuardMode | typeof OFF;
    // Off is off: the way to run a program whose other settings are wrong.
    if (mode === OFF) return options;
  }
  const channels = read('CLONECHECK_CHANNELS');
  if (channels !== undefined) {
    const items = channels.split(',').map((x) => x.trim());
    refuse('CLONECHECK_CHANNELS', channels, channelsProblem(items));
    options.channels = items as Channel[];
  }
  const failOn = read('CLONECHECK_FAIL_ON');
  if (failOn !== undefined) {
    // A level (`loss`), or the older comma-separated list of effects (`throws,dropped`).
    const value = failOn.includes(',') || /^(?:throws|dropped|changed)$/.test(failOn) ? failOn.split(',').map((x) => x.trim()) : failOn;
    try {
      options.failOn = readFailOn(value, 'CLONECHECK_FAIL_ON');
    } catch {
      bad('CLONECHECK_FAIL_ON', failOn, orList(SEVERITIES));
    }
  }
  const strict = onOff('CLONECHECK_STRICT');
  if (strict !== undefined) options.strict = strict;
  const ignore = read('CLONECHECK_IGNORE');
  if (ignore !== undefined) options.ignore = ignoreFromEnv(ignore);
  const target = read('CLONECHECK_TARGET');
  if (target !== undefined) {
    refuse('CLONECHECK_TARGET', target, targetProblem(target));
    options.target = target as Target;
  }
  const nodeModules = onOff('CLONECHECK_NODE_MODULES');
  if (nodeModules !== undefined) options.nodeModules = nodeModules;
  const sample = read('CLONECHECK_SAMPLE');
  if (sample !== undefined) {
    const n = Number(sample);
    if (sampleProblem(n) !== undefined) bad('CLONECHECK_SAMPLE', sample, SAMPLE_RANGE);
    options.sample = n;
  }
  const once = read('CLONECHECK_ONCE');
  if (once !== undefined) {
    if (once !== ONCE_SITE) bad('CLONECHECK_ONCE', once, ONCE_SITE);
    options.once = ONCE_SITE;
  }
  const notes = onOff('CLONECHECK_NOTES');
  if (notes !== undefined) options.notes = notes;
  return options;
}

/** `CLONECHECK_IGNORE`'s entries, checked as every ignore list is. */
function ignoreFromEnv(text: string): string[] {
  const items = splitList(text);
  try {
    readIgnore(items, 'CLONECHECK_IGNORE');
  } catch (error) {
    if (!(error instanceof SettingError)) throw error;
    throw new GuardEnvError('CLONECHECK_IGNORE', error.text);
  }
  return items;
}

/**
 * Splits `a,$["x,y"],b` at the commas that are outside quotes and brackets: a path pattern may
 * hold a comma in a quoted key.
 */
function splitList(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quote = '';
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') {
        current += c + (text[++i] ?? '');
        continue;
      }
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '(') depth++;
    else if ((c === ']' || c === ')') && depth > 0) depth--;
    else if (c === ',' && depth === 0) {
      if (current.trim() !== '') items.push(current.trim());
      current = '';
      continue;
    }
    current += c;
  }
  if (current.trim() !== '') items.push(current.trim());
  return items;
}

/** The guard options a config file gives: its top-level keys, then its `guard` keys over them. */
export function guardOptionsFromConfig(config: CloneCheckConfig): LayerOptions {
  const options: Record<string, unknown> = {};
  for (const key of SHARED_KEYS) if (config[key] !== undefined) options[key] = config[key];
  const guard = config.guard;
  if (guard !== undefined) {
    for (const key of GUARD_KEYS) if (key !== 'ignore' && guard[key] !== undefined) options[key] = guard[key];
    if (guard.ignore !== undefined) options['ignore'] = [...(config.ignore ?? []), ...guard.ignore];
  }
  return options as LayerOptions;
}

/**
 * What `clonecheck/register` installs, or `undefined` for `off`: the project's config file (found
 * from `cwd` upwards, see `loadConfig`; `CLONECHECK_CONFIG` names another file, or `off` for none),
 * with the environment variables of `guardOptionsFromEnv` over it. Ignore lists add up.
 * A bad config file is a `ConfigError` naming the file and the key.
 */
export function registerOptions(env: Readonly<Record<string, string | undefined>> = process.env, cwd: string = process.cwd()): GuardOptions | undefined {
  const fromEnv = readEnv(env);
  if (fromEnv.mode === 'off') return undefined;
  const where = env['CLONECHECK_CONFIG']?.trim();
  let config: CloneCheckConfig | undefined;
  if (where === 'off') config = undefined;
  else if (where !== undefined && where !== '') config = readConfigFile(where).config;
  else config = loadConfig(cwd)?.config;
  const fromConfig = config === undefined ? {} : guardOptionsFromConfig(config);
  if (fromConfig.mode === 'off' && fromEnv.mode === undefined) return undefined;
  const merged: Mutable<LayerOptions> = { ...fromConfig, ...fromEnv };
  if (fromConfig.ignore !== undefined && fromEnv.ignore !== undefined) merged.ignore = [...fromConfig.ignore, ...fromEnv.ignore];
  // An environment that sets a level or strict replaces both from the config.
  if (fromEnv.failOn !== undefined && fromEnv.strict === undefined) delete merged.strict;
  if (fromEnv.strict !== undefined && fromEnv.failOn === undefined) delete merged.failOn;
  return withoutOff(merged);
}
