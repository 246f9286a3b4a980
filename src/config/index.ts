import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readIgnore } from '../policy/ignore.js';
import { readFailOn, type FailOn } from '../policy/index.js';
import { didYouMean } from '../policy/suggest.js';
import { ALL_CHANNELS, TARGETS, type Channel, type Target } from '../types.js';

/** The guard's part of a config file: what `clonecheck/register` and `install()` read. */
export interface GuardConfig {
  /** `'throw'` (default), `'warn'` or `'off'`. */
  readonly mode?: 'throw' | 'warn' | 'off';
  readonly channels?: readonly Channel[];
  readonly target?: Target;
  readonly failOn?: FailOn;
  readonly ignore?: readonly string[];
  readonly sample?: number;
  readonly once?: 'site' | false;
  readonly notes?: boolean;
  /** Also check sends made from code under `node_modules`. @default false */
  readonly nodeModules?: boolean;
  readonly maxFindings?: number;
}

/**
 * What a config file holds. Every key is optional; options given in code, on the command line or in
 * the environment win over it.
 *
 * @example
 * { "channels": ["worker"], "failOn": "loss", "ignore": ["DATE_BECOMES_STRING", "$.meta.**"],
 *   "guard": { "mode": "warn" } }
 */
export interface CloneCheckConfig {
  readonly channels?: readonly Channel[];
  readonly target?: Target;
  readonly failOn?: FailOn;
  readonly ignore?: readonly string[];
  readonly guard?: GuardConfig;
}

export interface LoadedConfig {
  readonly config: CloneCheckConfig;
  /** The file it came from: a `clonecheck.config.json` or a `package.json`. */
  readonly file: string;
}

/** A config file that cannot be used: `file` and `key` say where (`key` is `''` for the whole file). */
export class ConfigError extends Error {
  declare readonly name: 'ConfigError';
  readonly file: string;
  readonly key: string;
  constructor(file: string, key: string, problem: string, options?: { cause?: unknown }) {
    super(`clonecheck: ${file}${key ? `: "${key}"` : ''}: ${problem}`, options);
    this.file = file;
    this.key = key;
  }
}
Object.defineProperty(ConfigError.prototype, 'name', { value: 'ConfigError', writable: true, configurable: true });

/** The config file's name; the other place is a `"clonecheck"` key in `package.json`. */
export const CONFIG_FILE = 'clonecheck.config.json';

const TOP_KEYS = ['$schema', 'channels', 'target', 'failOn', 'ignore', 'guard'] as const;
const GUARD_KEYS = ['mode', 'channels', 'target', 'failOn', 'ignore', 'sample', 'once', 'notes', 'nodeModules', 'maxFindings'] as const;

/**
 * Finds and reads the config that applies in `cwd`: in `cwd` and then each parent directory, the
 * first `clonecheck.config.json`, or `package.json` with a `"clonecheck"` key (in one directory,
 * the config file wins). Returns `undefined` when there is none. A file that is not valid JSON, or
 * holds a key or a value clonecheck does not know, is a `ConfigError` naming the file and the key.
 *
 * @example loadConfig() // { config: { failOn: 'loss', ignore: ['$.meta.**'] }, file: '/app/clonecheck.config.json' }
 */
export function loadConfig(cwd: string = process.cwd()): LoadedConfig | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const own = join(dir, CONFIG_FILE);
    if (isFile(own)) return { config: validateConfig(parseJson(own), own, ''), file: own };
    const pkg = join(dir, 'package.json');
    if (isFile(pkg)) {
      // A package.json that is not JSON holds no "clonecheck" key: passed over, not an error (it may
      // be an unrelated folder's above the project, and it would end a correct program's run).
      const json = parseJsonOrUndefined(pkg);
      if (json !== null && typeof json === 'object' && !Array.isArray(json) && Object.hasOwn(json, 'clonecheck')) {
        return { config: validateConfig((json as Record<string, unknown>)['clonecheck'], pkg, 'clonecheck'), file: pkg };
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Reads one given file: a `clonecheck.config.json`-style file, or a `package.json` (its `"clonecheck"` key). */
export function readConfigFile(file: string): LoadedConfig {
  const path = resolve(file);
  if (!isFile(path)) throw new ConfigError(path, '', 'no such file');
  const json = parseJson(path);
  if (path.endsWith('package.json')) {
    const inner = json !== null && typeof json === 'object' ? (json as Record<string, unknown>)['clonecheck'] : undefined;
    if (inner === undefined) throw new ConfigError(path, 'clonecheck', 'this package.json has no "clonecheck" key');
    return { config: validateConfig(inner, path, 'clonecheck'), file: path };
  }
  return { config: validateConfig(json, path, ''), file: path };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function parseJsonOrUndefined(file: string): unknown {
  try {
    return parseJson(file);
  } catch {
    return undefined;
  }
}

function parseJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, '', `cannot be read (${(error as Error).message})`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, '', `is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Checks a config object (as read from `file` under `prefix`) and returns it typed; the first
 * problem is a `ConfigError` naming the key, e.g. `"guard.mode"` or `"clonecheck.failOn"`.
 */
export function validateConfig(value: unknown, file: string, prefix = ''): CloneCheckConfig {
  const keyOf = (k: string): string => (prefix ? `${prefix}.${k}` : k);
  const fail = (key: string, problem: string): never => {
    throw new ConfigError(file, key, problem);
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    fail(prefix, `expected an object like { "failOn": "loss", "ignore": [] }, got ${describe(value)}`);
  const object = value as Record<string, unknown>;
  const config: Record<string, unknown> = {};
  for (const key of Object.keys(object)) {
    if (!(TOP_KEYS as readonly string[]).includes(key))
      fail(keyOf(key), `unknown key${didYouMean(key, TOP_KEYS)}; the keys are ${TOP_KEYS.slice(1).join(', ')}`);
  }
  readCommon(object, config, keyOf, fail);
  if (object['guard'] !== undefined) {
    const g = object['guard'];
    const gKey = (k: string): string => keyOf(`guard.${k}`);
    if (g === null || typeof g !== 'object' || Array.isArray(g)) fail(keyOf('guard'), `expected an object like { "mode": "warn" }, got ${describe(g)}`);
    const guard = g as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(guard)) {
      if (!(GUARD_KEYS as readonly string[]).includes(key))
        fail(gKey(key), `unknown key${didYouMean(key, GUARD_KEYS)}; the guard's keys are ${GUARD_KEYS.join(', ')}`);
    }
    readCommon(guard, out, gKey, fail);
    const { mode, sample, once, notes, nodeModules, maxFindings } = guard;
    if (mode !== undefined) {
      if (mode !== 'throw' && mode !== 'warn' && mode !== 'off') fail(gKey('mode'), `expected "throw", "warn" or "off", got ${describe(mode)}`);
      out['mode'] = mode;
    }
    if (sample !== undefined) {
      if (typeof sample !== 'number' || !(sample > 0 && sample <= 1)) fail(gKey('sample'), `expected a number above 0 and at most 1, got ${describe(sample)}`);
      out['sample'] = sample;
    }
    if (once !== undefined) {
      if (once !== 'site' && once !== false) fail(gKey('once'), `expected "site" or false, got ${describe(once)}`);
      out['once'] = once;
    }
    for (const [k, v] of [
      ['notes', notes],
      ['nodeModules', nodeModules],
    ] as const) {
      if (v === undefined) continue;
      if (typeof v !== 'boolean') fail(gKey(k), `expected true or false, got ${describe(v)}`);
      out[k] = v;
    }
    if (maxFindings !== undefined) {
      if (typeof maxFindings !== 'number' || !(maxFindings >= 1)) fail(gKey('maxFindings'), `expected a number, 1 or more, got ${describe(maxFindings)}`);
      out['maxFindings'] = maxFindings;
    }
    config['guard'] = out;
  }
  return config as CloneCheckConfig;
}

function readCommon(
  from: Record<string, unknown>,
  to: Record<string, unknown>,
  keyOf: (k: string) => string,
  fail: (key: string, problem: string) => never,
): void {
  const { channels, target, failOn, ignore } = from;
  if (channels !== undefined) {
    if (!Array.isArray(channels) || channels.length === 0)
      fail(keyOf('channels'), `expected a non-empty list of ${ALL_CHANNELS.map((c) => `"${c}"`).join(', ')}, got ${describe(channels)}`);
    for (const ch of channels as unknown[]) {
      if (typeof ch !== 'string' || !(ALL_CHANNELS as readonly string[]).includes(ch)) {
        fail(
          keyOf('channels'),
          `unknown channel ${describe(ch)}${typeof ch === 'string' ? didYouMean(ch, ALL_CHANNELS) : ''}; the channels are ${ALL_CHANNELS.join(', ')}`,
        );
      }
    }
    to['channels'] = [...(channels as Channel[])];
  }
  if (target !== undefined) {
    if (typeof target !== 'string' || !(TARGETS as readonly string[]).includes(target)) {
      fail(
        keyOf('target'),
        `unknown target ${describe(target)}${typeof target === 'string' ? didYouMean(target, TARGETS) : ''}; the targets are ${TARGETS.join(', ')}`,
      );
    }
    to['target'] = target;
  }
  if (failOn !== undefined) {
    try {
      to['failOn'] = readFailOn(failOn);
    } catch (error) {
      fail(keyOf('failOn'), stripPrefix((error as Error).message));
    }
  }
  if (ignore !== undefined) {
    try {
      readIgnore(ignore);
    } catch (error) {
      fail(keyOf('ignore'), stripPrefix((error as Error).message));
    }
    to['ignore'] = (ignore as string[]).map((s) => s.trim());
  }
}

/** `'clonecheck: failOn: unknown …'` → `'unknown …'`: the ConfigError says where already. */
function stripPrefix(message: string): string {
  return message.replace(/^clonecheck: [^:]+: /, '');
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}
