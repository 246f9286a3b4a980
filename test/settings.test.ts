// The settings every entry point reads (channels, target, maxFindings, the guard's own) are judged by
// one set of rules: the same mistake gets the same words everywhere, framed the way each entry point
// speaks to its users (a TypeError in code, a GuardEnvError for a variable, a ConfigError for a key).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertCloneable } from '../src/assert.js';
import { check } from '../src/check/index.js';
import { ConfigError, validateConfig } from '../src/config/index.js';
import { GuardEnvError, guardOptionsFromEnv } from '../src/guard/env.js';
import { readPolicy } from '../src/guard/options.js';
import type { Channel, Target } from '../src/types.js';

const FILE = '/app/clonecheck.config.json';
const CHANNEL_LIST = '"worker", "fork", "fork-advanced", "json", "v8"';
const TARGET_LIST = '"node20", "node22", "node24", "node26"';

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected it to throw');
}

/** Each entry point, given one setting: what it throws, and how it frames the words of the rule. */
interface EntryPoint {
  readonly name: string;
  readonly type: new (...args: never[]) => Error;
  readonly channels: (list: string[]) => unknown;
  readonly target: (target: string) => unknown;
  /** The message for `words`, said about the setting `key` given as `raw`. */
  readonly frame: (key: 'channels' | 'target', raw: string, words: string) => string;
  /** Whether the words name the list they are about (`in channels`): code options do, a key or a variable names it itself. */
  readonly namesList: boolean;
}

const ENTRY_POINTS: readonly EntryPoint[] = [
  {
    name: 'check()',
    type: TypeError,
    channels: (list) => check(1, { channels: list as Channel[] }),
    target: (target) => check(1, { target: target as Target }),
    frame: (_key, _raw, words) => `clonecheck: ${words}`,
    namesList: true,
  },
  {
    name: 'assertCloneable()',
    type: TypeError,
    channels: (list) => assertCloneable(1, { channels: list as Channel[] }),
    target: (target) => assertCloneable(1, { target: target as Target }),
    frame: (_key, _raw, words) => `clonecheck: assertCloneable: ${words}`,
    namesList: true,
  },
  {
    name: 'install()',
    type: TypeError,
    channels: (list) => readPolicy({ channels: list as Channel[] }),
    target: (target) => readPolicy({ target: target as Target }),
    frame: (_key, _raw, words) => `clonecheck: install(): ${words}`,
    namesList: true,
  },
  {
    name: 'the environment (clonecheck/register)',
    type: GuardEnvError,
    channels: (list) => guardOptionsFromEnv({ CLONECHECK_CHANNELS: list.join(',') }),
    target: (target) => guardOptionsFromEnv({ CLONECHECK_TARGET: target }),
    frame: (key, raw, words) => `clonecheck/register: CLONECHECK_${key.toUpperCase()}=${JSON.stringify(raw)} is not valid: ${words}`,
    namesList: false,
  },
  {
    name: 'the config file',
    type: ConfigError,
    channels: (list) => validateConfig({ channels: list }, FILE),
    target: (target) => validateConfig({ target }, FILE),
    frame: (key, _raw, words) => `clonecheck: ${FILE}: "${key}": ${words}`,
    namesList: false,
  },
  {
    name: "the config file's guard",
    type: ConfigError,
    channels: (list) => validateConfig({ guard: { channels: list } }, FILE),
    target: (target) => validateConfig({ guard: { target } }, FILE),
    frame: (key, _raw, words) => `clonecheck: ${FILE}: "guard.${key}": ${words}`,
    namesList: false,
  },
];

describe.each(ENTRY_POINTS)('$name', (entry) => {
  it.each([
    ['wroker', ' (did you mean "worker"?)'],
    ['JSON', ' (did you mean "json"?)'],
    ['fork_advanced', ' (did you mean "fork-advanced"?)'],
    ['smoke', ''],
  ])('refuses the unknown channel %j, with a "did you mean"', (name, suggestion) => {
    const error = thrown(() => entry.channels(['worker', name]));
    expect(error).toBeInstanceOf(entry.type);
    const words = `unknown channel "${name}"${entry.namesList ? ' in channels' : ''}${suggestion}; use one of ${CHANNEL_LIST}`;
    expect(error.message).toBe(entry.frame('channels', `worker,${name}`, words));
  });

  it.each([
    ['node21', ' (did you mean "node20"?)'],
    ['Node24', ' (did you mean "node24"?)'],
    ['node 26', ' (did you mean "node26"?)'],
    ['bun', ''],
  ])('refuses the unknown target %j, with a "did you mean"', (name, suggestion) => {
    const error = thrown(() => entry.target(name));
    expect(error).toBeInstanceOf(entry.type);
    expect(error.message).toBe(entry.frame('target', name, `unknown target "${name}"${suggestion}; use one of ${TARGET_LIST}`));
  });

  it('takes every known channel and target', () => {
    expect(() => entry.channels(['worker', 'fork', 'fork-advanced', 'json', 'v8'])).not.toThrow();
    for (const target of ['node20', 'node22', 'node24', 'node26']) expect(() => entry.target(target)).not.toThrow();
  });
});

describe('the shape of a channel list', () => {
  it('is an array in code and in a config file', () => {
    const refused = [
      [() => check(1, { channels: 'fork' as never }), 'clonecheck: check() option channels must be an array of channel ids, got "fork"'],
      [() => assertCloneable(1, { channels: 'fork' as never }), 'clonecheck: assertCloneable: channels must be an array of channel ids, got "fork"'],
      [() => readPolicy({ channels: 'fork' as never }), 'clonecheck: install(): channels must be an array of channel ids, got "fork"'],
      [() => validateConfig({ channels: 'fork' }, FILE), `clonecheck: ${FILE}: "channels": expected an array of channel ids, got "fork"`],
    ] as const;
    for (const [run, message] of refused) expect(thrown(run).message).toBe(message);
  });

  it('is not empty where a user writes it; check() of no channel finds nothing', () => {
    const tail = 'is empty, so nothing would be checked; use one or more of "worker", "fork", "fork-advanced"';
    expect(thrown(() => assertCloneable(1, { channels: [] })).message).toBe(`clonecheck: assertCloneable: channels ${tail}`);
    expect(thrown(() => readPolicy({ channels: [] })).message).toBe(`clonecheck: install(): channels ${tail}`);
    expect(thrown(() => validateConfig({ guard: { channels: [] } }, FILE)).message).toBe(`clonecheck: ${FILE}: "guard.channels": the list ${tail}`);
    expect(check({ f() {} }, { channels: [] })).toMatchObject({ findings: [], channels: [] });
  });
});

describe('maxFindings: a number, 1 or more, wherever it is given', () => {
  it.each([0, -1, Number.NaN, '5'])('refuses %j', (value) => {
    const got = typeof value === 'string' ? JSON.stringify(value) : String(value);
    expect(() => check(1, { maxFindings: value as number })).toThrow(
      new TypeError(`clonecheck: check() option maxFindings must be a number, 1 or more, got ${got}`),
    );
    expect(() => readPolicy({ maxFindings: value as number })).toThrow(
      new TypeError(`clonecheck: install(): maxFindings must be a number, 1 or more, got ${got}`),
    );
    const error = thrown(() => validateConfig({ guard: { maxFindings: value } }, FILE));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(`clonecheck: ${FILE}: "guard.maxFindings": expected a number, 1 or more, got ${got}`);
  });

  it('takes 1, any larger number and Infinity', () => {
    expect(
      check(
        [1, 2, 3].map(() => () => 0),
        { maxFindings: 1 },
      ).findings,
    ).toHaveLength(1);
    for (const n of [1, 250, Infinity]) {
      expect(readPolicy({ maxFindings: n }).maxFindings).toBe(n);
      expect(validateConfig({ guard: { maxFindings: n } }, FILE).guard?.maxFindings).toBe(n);
    }
  });
});

describe("the guard's own settings: install(), the config file and the environment say the same", () => {
  it.each([
    ['mode', 'loud', 'mode must be "throw" or "warn", got "loud"', 'expected "throw", "warn" or "off", got "loud"', ['CLONECHECK_GUARD', 'throw, warn or off']],
    [
      'sample',
      2,
      'sample must be a number above 0 and at most 1, got 2',
      'expected a number above 0 and at most 1, got 2',
      ['CLONECHECK_SAMPLE', 'a number above 0 and at most 1'],
    ],
    ['once', 'always', 'once must be "site" or false, got "always"', 'expected "site" or false, got "always"', ['CLONECHECK_ONCE', 'site']],
    ['notes', 'yes', 'notes must be true or false, got "yes"', 'expected true or false, got "yes"', ['CLONECHECK_NOTES', 'on or off']],
    ['nodeModules', 1, 'nodeModules must be true or false, got 1', 'expected true or false, got 1', ['CLONECHECK_NODE_MODULES', 'on or off']],
  ] as const)('%s: %j', (key, value, inCode, inConfig, [variable, expected]) => {
    expect(() => readPolicy({ [key]: value })).toThrow(new TypeError(`clonecheck: install(): ${inCode}`));
    const error = thrown(() => validateConfig({ guard: { [key]: value } }, FILE));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(`clonecheck: ${FILE}: "guard.${key}": ${inConfig}`);
    const envError = thrown(() => guardOptionsFromEnv({ [variable]: 'maybe' }));
    expect(envError).toBeInstanceOf(GuardEnvError);
    expect(envError.message).toBe(`clonecheck/register: ${variable}="maybe" is not valid; expected ${expected}`);
  });

  it('CLONECHECK_FAIL_ON lists the levels', () => {
    const error = thrown(() => guardOptionsFromEnv({ CLONECHECK_FAIL_ON: 'lots' }));
    expect(error).toBeInstanceOf(GuardEnvError);
    expect(error.message).toBe('clonecheck/register: CLONECHECK_FAIL_ON="lots" is not valid; expected throw, loss, reshape or note');
  });

  it('CLONECHECK_NOTES reads on and off as the other switches do', () => {
    for (const [text, notes] of [
      ['off', false],
      ['0', false],
      ['no', false],
      ['on', true],
      ['TRUE', true],
    ] as const) {
      expect(guardOptionsFromEnv({ CLONECHECK_NOTES: text })).toEqual({ mode: 'throw', notes });
      expect(guardOptionsFromEnv({ CLONECHECK_NODE_MODULES: text })).toEqual({ mode: 'throw', nodeModules: notes });
    }
  });
});

describe('docs/config.md', () => {
  it('shows what each entry point says of an unknown target', () => {
    const page = readFileSync(new URL('../docs/config.md', import.meta.url), 'utf8');
    const rows = new Map([...page.matchAll(/^\| (.+?) \| `(clonecheck[^`]*unknown target[^`]*)` \|/gm)].map((m) => [m[1]!, m[2]!]));
    const said: [string, () => unknown][] = [
      ['`check()`', () => check(1, { target: 'node21' as Target })],
      ['`assertCloneable()`, `toBeCloneable()`', () => assertCloneable(1, { target: 'node21' as Target })],
      ['`install()`', () => readPolicy({ target: 'node21' as Target })],
      ['the config file', () => validateConfig({ target: 'node21' }, FILE)],
      ['`CLONECHECK_TARGET`', () => guardOptionsFromEnv({ CLONECHECK_TARGET: 'node21' })],
    ];
    expect([...rows.keys()]).toEqual(said.map(([where]) => where));
    for (const [where, run] of said) {
      const shown = rows.get(where)!;
      const message = thrown(run).message;
      if (shown.endsWith(' ...')) expect(message.startsWith(shown.slice(0, -4)), `${where}: ${message}`).toBe(true);
      else expect(message).toBe(shown);
    }
  });
});
