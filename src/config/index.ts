import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readIgnore } from '../policy/ignore.js';
import { readFailOn, type FailOn } from '../policy/index.js';
import {
  channelsProblem,
  maxFindingsProblem,
  modeProblem,
  onceProblem,
  sampleProblem,
  SettingError,
  show,
  switchProblem,
  targetProblem,
} from '../policy/settings.js';
import { didYouMean } from '../policy/suggest.js';
import type { Channel, Target } from '../types.js';

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

/** The keys of a config file that every reader takes, at the top and again under `guard`. */
export const SHARED_KEYS = ['channels', 'target', 'failOn', 'ignore'] as const;
const TOP_KEYS = ['$schema', ...SHARED_KEYS, 'guard'] as const;
/** The keys of a config file's `guard` object. */
export const GUARD_KEYS = ['mode', ...SHARED_KEYS, 'sample', 'once', 'notes', 'nodeModules', 'maxFindings'] as const;

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
    fail(prefix, `expected an object like { "failOn": "loss", "ignore": [] }, got ${show(value)}`);
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
    if (g === null || typeof g !== 'object' || Array.isArray(g)) fail(keyOf('guard'), `expected an object like { "mode": "warn" }, got ${show(g)}`);
    const guard = g as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(guard)) {
      if (!(GUARD_KEYS as readonly string[]).includes(key))
        fail(gKey(key), `unknown key${didYouMean(key, GUARD_KEYS)}; the guard's keys are ${GUARD_KEYS.join(', ')}`);
    }
    readCommon(guard, out, gKey, fail);
    const rules: readonly [(typeof GUARD_KEYS)[number], (value: unknown) => string | undefined][] = [
      ['mode', (value) => modeProblem(value, undefined, 'with-off')],
      ['sample', sampleProblem],
      ['once', onceProblem],
      ['notes', switchProblem],
      ['nodeModules', switchProblem],
      ['maxFindings', maxFindingsProblem],
    ];
    for (const [key, problemOf] of rules) {
      const value = guard[key];
      if (value === undefined) continue;
      const problem = problemOf(value);
      if (problem !== undefined) fail(gKey(key), problem);
      out[key] = value;
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
  /** Runs a reader of policy/ and fails with its words, at the key. */
  const read = <T>(key: string, run: () => T): T => {
    try {
      return run();
    } catch (error) {
      if (!(error instanceof SettingError)) throw error;
      return fail(keyOf(key), error.problem);
    }
  };
  if (channels !== undefined) {
    const problem = channelsProblem(channels);
    if (problem !== undefined) fail(keyOf('channels'), problem);
    to['channels'] = [...(channels as Channel[])];
  }
  if (target !== undefined) {
    const problem = targetProblem(target);
    if (problem !== undefined) fail(keyOf('target'), problem);
    to['target'] = target;
  }
  if (failOn !== undefined) to['failOn'] = read('failOn', () => readFailOn(failOn));
  if (ignore !== undefined) {
    read('ignore', () => readIgnore(ignore));
    to['ignore'] = (ignore as string[]).map((s) => s.trim());
  }
}
