import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import '../src/vitest.js';
import { check } from '../src/check/index.js';
import * as matchers from '../src/matchers.js';
import { toBeCloneable, type MatcherContextLike, type ToBeCloneableOptions } from '../src/matchers.js';
import { formatReport } from '../src/report/index.js';

/** The plain-text message of the assertion error that `run` throws; fails the test when it does not. */
function failure(run: () => void): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return stripVTControlCharacters((error as Error).message);
  }
  throw new Error('the matcher passed, but it should have failed');
}

const job = { job: { id: 7, onDone() {} } };
const dated = { a: { b: [1, { c: new Date(0) }] } };
const cached = { cache: new Map<string, unknown>([['k', () => 1]]) };

describe('toBeCloneable under vitest', () => {
  it('passes for plain data on every channel, and for what each channel keeps', () => {
    expect({ id: 1, tags: ['a'], nested: { ok: true } }).toBeCloneable();
    expect({ when: new Date(0), cache: new Map([['k', 1]]) }).toBeCloneable({ channel: 'worker' });
    expect({ when: new Date(0), cache: new Map([['k', 1]]) }).toBeCloneable({ channel: 'fork-advanced' });
    expect({ id: 1 }).toBeCloneable({ channel: 'fork' });
    expect({ when: new Date(0) }).toBeCloneable({ channels: ['worker', 'fork-advanced'] });
  });

  it.each([
    ['worker', job, '$.job.onDone', 'FUNCTION_NOT_CLONEABLE'],
    ['fork', dated, '$.a.b[1].c', 'DATE_BECOMES_STRING'],
    ['fork-advanced', cached, '$.cache.get("k")', 'FUNCTION_NOT_CLONEABLE'],
  ] as const)('fails on %s, naming the path and the code', (channel, value, at, code) => {
    const f = check(value, { channels: [channel] }).findings[0]!;
    expect(f).toMatchObject({ at, code });
    expect(value).not.toBeCloneable({ channel });
    const message = failure(() => expect(value).toBeCloneable({ channel }));
    expect(message.split('\n').slice(0, 3)).toEqual([
      'expect(received).toBeCloneable(options)',
      '',
      `Not cloneable for ${channel} at ${at}: ${f.message} (${code})`,
    ]);
  });

  it('shows the findings the way the CLI does', () => {
    const value = { ...job, ...dated, cache: cached.cache };
    const failing = check(value).findings.filter((f) => f.effect !== 'note');
    expect(new Set(failing.map((f) => f.channel))).toEqual(new Set(['worker', 'fork', 'fork-advanced']));
    const message = failure(() => expect(value).toBeCloneable());
    expect(message).toBe(
      `expect(received).toBeCloneable()\n\n` +
        `Not cloneable for worker at $.job.onDone: ${failing[0]!.message} (FUNCTION_NOT_CLONEABLE)\n\n` +
        formatReport(failing, { color: false }),
    );
    for (const at of ['$.job.onDone', '$.a.b[1].c', '$.cache.get("k")', '$.cache']) expect(message).toContain(at);
  });

  it('counts in severities, with the words of the CLI (a Date through JSON is a loss, not "changed")', () => {
    const message = failure(() => expect({ sentAt: new Date(0), cache: new Map([['k', 1]]) }).toBeCloneable({ channel: 'fork' }));
    expect(message).toContain('\nfork: 2 loss\n');
    expect(message).toMatch(/^ {2}\$\.sentAt {2}loss {5}A Date /m);
    expect(message).not.toMatch(/\b(throws|dropped|changed)\b {2}/);
  });

  it('under .not, fails for a value that arrives as sent, and says so', () => {
    expect(failure(() => expect({ id: 1 }).not.toBeCloneable({ channel: 'fork' }))).toBe(
      'expect(received).not.toBeCloneable(options)\n\nExpected the value to fail on fork, but nothing would throw or be lost.',
    );
    expect(failure(() => expect([1, 'a']).not.toBeCloneable())).toBe(
      'expect(received).not.toBeCloneable()\n\nExpected the value to fail on worker, fork and fork-advanced, but nothing would throw or be lost.',
    );
  });

  it('under .not, lists the notes a passing value still has', () => {
    const message = failure(() => expect({ s: new SharedArrayBuffer(8) }).not.toBeCloneable({ channel: 'worker' }));
    expect(message).toContain('Expected the value to fail on worker, but nothing would throw or be lost.');
    expect(message).toContain('SHARED_MEMORY');
    expect(message).toContain('$.s');
  });

  it('honours failOn', () => {
    expect({ when: new Date(0) }).toBeCloneable({ channel: 'fork', failOn: 'throw' });
    expect({ when: new Date(0) }).toBeCloneable({ channel: 'fork', failOn: ['throws'] });
    expect({ s: new SharedArrayBuffer(8) }).not.toBeCloneable({ channel: 'worker', failOn: 'note' });
    expect(failure(() => expect({ id: 1 }).not.toBeCloneable({ channel: 'worker', strict: true }))).toMatch(/but it arrives as sent\.$/);
  });

  it('passes a reshape by default, lists it under .not, and fails it in strict mode', () => {
    const frozen = Object.freeze({ items: Object.freeze([Object.freeze({ id: 1 })]) });
    expect(frozen).toBeCloneable();
    const message = failure(() => expect(frozen).not.toBeCloneable({ channel: 'worker' }));
    expect(message).toContain('but nothing would throw or be lost.');
    expect(message).toContain('INTEGRITY_LOST');
    expect(frozen).not.toBeCloneable({ strict: true });
    expect(failure(() => expect(frozen).toBeCloneable({ strict: true }))).toMatch(/^Not cloneable for worker at \$: .*\(INTEGRITY_LOST\)$/m);
  });

  it('takes ignore: codes, path patterns, classes; the message counts them', () => {
    const value = {
      when: new Date(0),
      meta: { m: new Map() },
      c: new (class Customer {
        greet() {}
      })(),
    };
    expect(value).not.toBeCloneable({ channel: 'fork' });
    expect(value).toBeCloneable({ channel: 'fork', ignore: ['DATE_BECOMES_STRING', '$.meta.**', 'class:Customer'] });
    const message = failure(() => expect(value).toBeCloneable({ channel: 'fork', ignore: ['$.meta.**', 'class:Customer'] }));
    expect(message).toMatch(/DATE_BECOMES_STRING/);
    expect(message).not.toMatch(/MAP_BECOMES_OBJECT|PROTOTYPE_LOST/);
    expect(message).toMatch(/\n\n2 ignored$/);
    expect(failure(() => expect(value).not.toBeCloneable({ channel: 'fork', ignore: ['DATE_BECOMES_STRING', '$.meta.**', 'class:Customer'] }))).toMatch(
      /\n\n3 ignored$/,
    );
  });

  it('works as an asymmetric matcher', () => {
    expect({ type: 'job', payload: { id: 1 } }).toEqual({ type: 'job', payload: expect.toBeCloneable({ channel: 'fork' }) });
    expect({ payload: { when: new Date(0) } }).not.toEqual({ payload: expect.toBeCloneable({ channel: 'fork' }) });
  });

  it('rejects bad options with a TypeError, whatever .not says', () => {
    expect(() => expect({}).toBeCloneable({ channel: 'http' } as unknown as ToBeCloneableOptions)).toThrow(
      new TypeError('clonecheck: toBeCloneable: unknown channel "http" in channel; use one of "worker", "fork", "fork-advanced", "json", "v8"'),
    );
    expect(() => expect({}).not.toBeCloneable({ channels: [] })).toThrow(/channels is empty/);
  });
});

describe('toBeCloneable without vitest (Jest-style expect.extend)', () => {
  /** What Jest's `expect.extend` gives a matcher as `this`: isNot, promise, equals, utils.matcherHint. */
  const jestContext = (isNot: boolean): MatcherContextLike & { equals: (a: unknown, b: unknown) => boolean } => ({
    isNot,
    promise: '',
    equals: Object.is,
    utils: {
      matcherHint: (name, received = 'received', expected = 'expected', options = {}) =>
        `expect(${received})${options.isNot ? '.not' : ''}.${name}(${expected}) [jest hint]`,
    },
  });

  it('is all the module exports, so that the module is what expect.extend takes', () => {
    expect({ ...matchers }).toEqual({ toBeCloneable });
  });

  it('passes and fails as under vitest, with the hint from this.utils', () => {
    expect(toBeCloneable.call(jestContext(false), { id: 1 }).pass).toBe(true);
    const result = toBeCloneable.call(jestContext(false), cached, { channel: 'worker' });
    expect(result.pass).toBe(false);
    const lines = result.message().split('\n');
    expect(lines[0]).toBe('expect(received).toBeCloneable(options) [jest hint]');
    expect(lines[2]).toMatch(/^Not cloneable for worker at \$\.cache\.get\("k"\): .* \(FUNCTION_NOT_CLONEABLE\)$/);
  });

  it('reads isNot for the message of a .not failure', () => {
    const result = toBeCloneable.call(jestContext(true), { id: 1 }, { channel: 'fork-advanced' });
    expect(result.pass).toBe(true);
    expect(result.message()).toBe(
      'expect(received).not.toBeCloneable(options) [jest hint]\n\nExpected the value to fail on fork-advanced, but nothing would throw or be lost.',
    );
  });

  it('needs no context at all', () => {
    const result = toBeCloneable.call(undefined, job, { channel: 'worker' });
    expect(result.pass).toBe(false);
    expect(result.message().split('\n')[0]).toBe('expect(received).toBeCloneable(options)');
    expect(toBeCloneable.call({ isNot: true, promise: 'resolves' }, { id: 1 }).message().split('\n')[0]).toBe('expect(received).resolves.not.toBeCloneable()');
  });
});
