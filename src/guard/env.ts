// The guard's settings from outside the code: the CLONECHECK_* environment variables and the config
// file's "guard" key, layered for `--import clonecheck/register` (environment over file over defaults).
import { loadConfig, readConfigFile, type CloneCheckConfig } from '../config/index.js';
import { readFailOn, readIgnore } from '../policy/index.js';
import type { GuardMode, GuardOptions } from './options.js';
import { ALL_CHANNELS, TARGETS, type Channel, type Target } from '../types.js';

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

  const options: Mutable<LayerOptions> = {};
  const mode = read('CLONECHECK_GUARD');
  if (mode !== undefined) {
    if (mode !== 'throw' && mode !== 'warn' && mode !== 'off') bad('CLONECHECK_GUARD', mode, 'throw, warn or off');
    options.mode = mode as GuardMode | 'off';
    // Off is off: the way to run a program whose other settings are wrong.
    if (mode === 'off') return options;
  }
  const channels = read('CLONECHECK_CHANNELS');
  if (channels !== undefined) {
    const items = channels.split(',').map((x) => x.trim());
    for (const item of items)
      if (!(ALL_CHANNELS as readonly string[]).includes(item)) bad('CLONECHECK_CHANNELS', channels, `a comma-separated list of ${ALL_CHANNELS.join(', ')}`);
    options.channels = items as Channel[];
  }
  const failOn = read('CLONECHECK_FAIL_ON');
  if (failOn !== undefined) {
    // A level (`loss`), or the older comma-separated list of effects (`throws,dropped`).
    const value = failOn.includes(',') || /^(?:throws|dropped|changed)$/.test(failOn) ? failOn.split(',').map((x) => x.trim()) : failOn;
    try {
      options.failOn = readFailOn(value, 'CLONECHECK_FAIL_ON');
    } catch {
      bad('CLONECHECK_FAIL_ON', failOn, 'throw, loss, reshape or note');
    }
  }
  const strict = onOff('CLONECHECK_STRICT');
  if (strict !== undefined) options.strict = strict;
  const ignore = read('CLONECHECK_IGNORE');
  if (ignore !== undefined) {
    const items = splitList(ignore);
    try {
      readIgnore(items, 'CLONECHECK_IGNORE');
    } catch (error) {
      throw new GuardEnvError('CLONECHECK_IGNORE', (error as Error).message.replace(/^clonecheck: /, ''));
    }
    options.ignore = items;
  }
  const target = read('CLONECHECK_TARGET');
  if (target !== undefined) {
    if (!(TARGETS as readonly string[]).includes(target)) bad('CLONECHECK_TARGET', target, `one of ${TARGETS.join(', ')}`);
    options.target = target as Target;
  }
  const nodeModules = onOff('CLONECHECK_NODE_MODULES');
  if (nodeModules !== undefined) options.nodeModules = nodeModules;
  const sample = read('CLONECHECK_SAMPLE');
  if (sample !== undefined) {
    const n = Number(sample);
    if (!(n > 0 && n <= 1)) bad('CLONECHECK_SAMPLE', sample, 'a number above 0 and at most 1');
    options.sample = n;
  }
  const once = read('CLONECHECK_ONCE');
  if (once !== undefined) {
    if (once !== 'site') bad('CLONECHECK_ONCE', once, 'site');
    options.once = 'site';
  }
  const notes = read('CLONECHECK_NOTES');
  if (notes !== undefined) {
    if (notes !== 'on' && notes !== 'off') bad('CLONECHECK_NOTES', notes, 'on or off');
    options.notes = notes === 'on';
  }
  return options;
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
  const options: Mutable<LayerOptions> = {};
  if (config.channels !== undefined) options.channels = config.channels;
  if (config.target !== undefined) options.target = config.target;
  if (config.failOn !== undefined) options.failOn = config.failOn;
  if (config.ignore !== undefined) options.ignore = config.ignore;
  const guard = config.guard;
  if (guard !== undefined) {
    for (const key of ['mode', 'channels', 'target', 'failOn', 'sample', 'once', 'notes', 'nodeModules', 'maxFindings'] as const) {
      if (guard[key] !== undefined) (options as Record<string, unknown>)[key] = guard[key];
    }
    if (guard.ignore !== undefined) options.ignore = [...(options.ignore ?? []), ...guard.ignore];
  }
  return options;
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
