import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertCloneable, type AssertOptions } from '../src/assert.js';
import { check } from '../src/check/index.js';
import { CloneCheckError } from '../src/errors.js';
import type { Finding } from '../src/types.js';

/** What assertCloneable threw; fails the test when it returned. */
function thrown(value: unknown, options?: AssertOptions): CloneCheckError {
  try {
    assertCloneable(value, options);
  } catch (error) {
    expect(error).toBeInstanceOf(CloneCheckError);
    return error as CloneCheckError;
  }
  throw new Error('assertCloneable returned, but the value is not cloneable');
}

const firstLine = (e: Error): string => e.message.split('\n')[0]!;

/** The one finding of `code` at `at` that check() makes on `channel`. */
function findingOf(value: unknown, channel: Finding['channel'], code: string, at: string): Finding {
  const found = check(value, { channels: [channel] }).findings.filter((f) => f.code === code && f.at === at);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('assertCloneable: returns quietly when lossless', () => {
  it.each([
    ['plain data, every channel', { id: 1, name: 'job', tags: ['a', 'b'], nested: { ok: true, n: null } }, undefined],
    ['a Map and a Date on worker', { cache: new Map([['k', new Date(0)]]) }, { channel: 'worker' }],
    ['a Map and a Date on fork-advanced', { cache: new Map([['k', new Date(0)]]) }, { channel: 'fork-advanced' }],
    ['a Date where fork is not asked', { when: new Date(0) }, { channels: ['worker', 'fork-advanced'] }],
    ['a SharedArrayBuffer on worker: a note is not a failure by default', { s: new SharedArrayBuffer(8) }, { channel: 'worker' }],
    ['a Date on fork, failing only on throws', { when: new Date(0) }, { channel: 'fork', failOn: ['throws'] }],
  ] satisfies [string, unknown, AssertOptions | undefined][])('%s', (_, value, options) => {
    expect(assertCloneable(value, options)).toBeUndefined();
  });
});

describe('assertCloneable: throws a CloneCheckError naming the first problem', () => {
  it('worker: a method, at a nested path', () => {
    const value = { job: { id: 7, onDone() {} } };
    const e = thrown(value, { channel: 'worker' });
    const f = findingOf(value, 'worker', 'FUNCTION_NOT_CLONEABLE', '$.job.onDone');
    expect(firstLine(e)).toBe(`Not cloneable for worker at $.job.onDone: ${f.message} (FUNCTION_NOT_CLONEABLE)`);
    expect(e).toMatchObject({ name: 'CloneCheckError', channel: 'worker', code: 'FUNCTION_NOT_CLONEABLE', at: '$.job.onDone', path: ['job', 'onDone'] });
    expect(e.findings).toEqual([f]);
  });

  it('fork: a Date deep in arrays and objects', () => {
    const value = { a: { b: [1, { c: new Date(0) }] } };
    const e = thrown(value, { channel: 'fork' });
    const f = findingOf(value, 'fork', 'DATE_BECOMES_STRING', '$.a.b[1].c');
    expect(firstLine(e)).toBe(`Not cloneable for fork at $.a.b[1].c: ${f.message} (DATE_BECOMES_STRING)`);
    expect(e.path).toEqual(['a', 'b', 1, 'c']);
  });

  it('fork-advanced: a function inside a Map entry, at $.cache.get("k")', () => {
    const value = { cache: new Map<string, unknown>([['k', () => 1]]) };
    const e = thrown(value, { channel: 'fork-advanced' });
    const f = findingOf(value, 'fork-advanced', 'FUNCTION_NOT_CLONEABLE', '$.cache.get("k")');
    expect(firstLine(e)).toBe(`Not cloneable for fork-advanced at $.cache.get("k"): ${f.message} (FUNCTION_NOT_CLONEABLE)`);
    expect(e.path).toEqual(['cache', { kind: 'map-value', index: 0 }]);
  });

  it('lists every failing finding with its path and hint, and only those', () => {
    const value = { when: new Date(0), job: { onDone() {} }, s: new SharedArrayBuffer(8), ok: 1 };
    const e = thrown(value);
    const all = check(value).findings;
    const failing = all.filter((f) => f.effect !== 'note');
    expect(e.findings).toEqual(failing);
    // The first line names the first failure of the first channel in check() order.
    expect(firstLine(e)).toBe(`Not cloneable for worker at $.job.onDone: ${failing[0]!.message} (FUNCTION_NOT_CLONEABLE)`);
    const body = e.message.split('\n').slice(1).join('\n');
    for (const f of failing) {
      expect(body).toContain(f.at);
      expect(body).toContain(f.code);
      if (f.hint) expect(body).toContain(f.hint);
    }
    // The SharedArrayBuffer note on worker is not a failure, so it is not listed as one.
    const note = all.find((f) => f.effect === 'note')!;
    expect(note.code).toBe('SHARED_MEMORY');
    expect(body).not.toMatch(/SHARED_MEMORY(?!_)/);
  });

  it('all three channels by default: a Date fails through fork', () => {
    expect(() => assertCloneable({ when: new Date(0) })).toThrow(/^Not cloneable for fork at \$\.when: .*\(DATE_BECOMES_STRING\)$/m);
  });

  it('failOn decides what fails: a note fails when asked', () => {
    const e = thrown({ s: new SharedArrayBuffer(8) }, { channel: 'worker', failOn: 'note' });
    expect(e).toMatchObject({ code: 'SHARED_MEMORY', at: '$.s', channel: 'worker' });
    expect(thrown({ s: new SharedArrayBuffer(8) }, { channel: 'worker', failOn: ['note'] })).toMatchObject({ code: 'SHARED_MEMORY' });
    expect(() => assertCloneable({ n: 1n }, { channel: 'fork', failOn: 'throw' })).toThrow(/\(BIGINT_NOT_JSON\)/);
    expect(() => assertCloneable({ when: new Date(0) }, { channel: 'fork', failOn: 'throw' })).not.toThrow();
    expect(() => assertCloneable({ n: 1n }, { channel: 'fork', failOn: ['dropped', 'changed'] })).not.toThrow();
    expect(() => assertCloneable({ n: 1n }, { channel: 'fork', failOn: ['throws'] })).toThrow(/\(BIGINT_NOT_JSON\)/);
  });

  it('is an Error with a stack, printed under its name', () => {
    const e = thrown({ f() {} }, { channel: 'worker' });
    expect(e).toBeInstanceOf(Error);
    expect(String(e)).toMatch(/^CloneCheckError: Not cloneable for worker at \$\.f: /);
    expect(e.stack).toMatch(/^CloneCheckError: Not cloneable/);
    expect(e.stack).toContain('assert.test.ts');
  });

  it('a transferList is honoured: a transferred MessagePort is fine on worker', () => {
    const { port1, port2 } = new MessageChannel();
    try {
      expect(() => assertCloneable({ port: port1 }, { channel: 'worker' })).toThrow(CloneCheckError);
      expect(() => assertCloneable({ port: port1 }, { channel: 'worker', transferList: [port1] })).not.toThrow();
    } finally {
      port1.close();
      port2.close();
    }
  });
});

describe('assertCloneable: options are checked', () => {
  it.each([
    [
      { channel: 'wrker' },
      'clonecheck: assertCloneable: unknown channel "wrker" in channel (did you mean "worker"?); use one of "worker", "fork", "fork-advanced", "json", "v8"',
    ],
    [
      { channels: ['worker', 'jsn'] },
      'clonecheck: assertCloneable: unknown channel "jsn" in channels (did you mean "json"?); use one of "worker", "fork", "fork-advanced", "json", "v8"',
    ],
    [
      { channels: ['worker', 'smoke'] },
      'clonecheck: assertCloneable: unknown channel "smoke" in channels; use one of "worker", "fork", "fork-advanced", "json", "v8"',
    ],
    [{ channel: ['fork'] }, 'clonecheck: assertCloneable: channel takes one channel id; for several, use channels: ["fork"]'],
    [{ channels: 'fork' }, 'clonecheck: assertCloneable: channels must be an array of channel ids, got "fork"'],
    [{ channels: [] }, 'clonecheck: assertCloneable: channels is empty, so nothing would be checked; use one or more of "worker", "fork", "fork-advanced"'],
    [{ channel: 'fork', channels: ['worker'] }, 'clonecheck: assertCloneable: give channel or channels, not both'],
    [
      { chanel: 'fork' },
      'clonecheck: assertCloneable: unknown option "chanel" (did you mean "channel"?); the options are channel, channels, failOn, strict, ignore, target, transferList, config',
    ],
    [
      { ignroe: [] },
      'clonecheck: assertCloneable: unknown option "ignroe" (did you mean "ignore"?); the options are channel, channels, failOn, strict, ignore, target, transferList, config',
    ],
    [
      { failOn: 'changed' },
      "clonecheck: assertCloneable: failOn: unknown fail level \"changed\"; use one of 'throw', 'loss', 'reshape', 'note'; the severity levels replaced effects here (e.g. 'loss' for throws and dropped)",
    ],
    [
      { failOn: ['throw'] },
      "clonecheck: assertCloneable: failOn: unknown effect \"throw\"; give a level ('throw', 'loss', 'reshape', 'note') or a list of throws, dropped, changed, note",
    ],
    [{ failOn: [] }, "clonecheck: assertCloneable: failOn: an empty list fails nothing; use a level: 'throw', 'loss', 'reshape', 'note'"],
    [{ failOn: 'throw', strict: true }, "clonecheck: assertCloneable: strict: true means failOn: 'reshape'; give one or the other"],
    [{ strict: 1 }, 'clonecheck: assertCloneable: strict must be true or false, got 1'],
    [
      { ignore: ['DATE_BECOME_STRING'] },
      'clonecheck: assertCloneable: ignore: unknown code "DATE_BECOME_STRING" (did you mean "DATE_BECOMES_STRING"?); a path pattern starts with $, a class is class:Name',
    ],
    [{ ignore: '$.a' }, 'clonecheck: assertCloneable: ignore: expected an array of codes, path patterns ($.a.b) and class names (class:Name), got "$.a"'],
    [{ target: 'node21' }, 'clonecheck: assertCloneable: unknown target "node21" (did you mean "node20"?); use one of "node20", "node22", "node24", "node26"'],
    [{ config: 1 }, 'clonecheck: assertCloneable: config must be true, false or a path, got 1'],
    [{ transferList: {} }, 'clonecheck: assertCloneable: transferList must be an array, got an object'],
    ['worker', 'clonecheck: assertCloneable: options must be an object like { channel: \'worker\' }, got "worker"'],
    [null, "clonecheck: assertCloneable: options must be an object like { channel: 'worker' }, got null"],
  ])('%j', (options, message) => {
    // A cloneable value: the options alone must be what throws.
    expect(() => assertCloneable({ ok: 1 }, options as AssertOptions)).toThrow(new TypeError(message));
  });
});

describe('CloneCheckError', () => {
  const value = { job: { onDone() {} }, when: new Date(0) };
  const findings = check(value).findings;

  it('ends the first line with the site when given, and keeps the cause', () => {
    const cause = new Error('the original send');
    const e = new CloneCheckError(findings, { site: 'src/jobs.ts:12:5', cause });
    expect(firstLine(e)).toMatch(/^Not cloneable for worker at \$\.job\.onDone: .* \(FUNCTION_NOT_CLONEABLE\), sent from src\/jobs\.ts:12:5$/);
    expect(e.cause).toBe(cause);
    expect('cause' in new CloneCheckError(findings)).toBe(false);
  });

  it('heads the findings list with the title when given', () => {
    const e = new CloneCheckError(findings, { title: 'worker.postMessage(job) would fail' });
    expect(e.message.split('\n').slice(1).join('\n')).toContain('worker.postMessage(job) would fail');
  });

  it('names the first finding that loses something, not a note before it', () => {
    const [thrower, note] = check({ s: new SharedArrayBuffer(8), f() {} }, { channels: ['worker'] }).findings;
    const withNote = [note!, thrower!];
    expect(withNote.map((f) => f.effect)).toEqual(['note', 'throws']);
    const e = new CloneCheckError(withNote);
    expect(e).toMatchObject({ code: 'FUNCTION_NOT_CLONEABLE', at: '$.f' });
    expect(e.findings).toEqual(withNote);
  });

  it('keeps its findings frozen and out of its enumerable properties', () => {
    const e = new CloneCheckError(findings);
    expect(Object.isFrozen(e.findings)).toBe(true);
    expect(Object.keys(e)).toEqual(['path', 'at', 'channel', 'code']);
  });

  it('made from no findings, still says something', () => {
    const e = new CloneCheckError([]);
    expect(e.message).toBe('Not cloneable (no findings were given)');
    expect(e).toMatchObject({ path: [], at: '$', channel: undefined, code: undefined });
  });
});

describe('assertCloneable: the default fails what throws or is lost, not what is reshaped', () => {
  it('a frozen 1,000-item state (a Redux Toolkit store, frozen by Immer) passes by default and fails in strict mode', async () => {
    const { configureStore, createSlice } = await import('@reduxjs/toolkit');
    const todos = createSlice({
      name: 'todos',
      initialState: [] as { id: number; text: string; done: boolean }[],
      reducers: { add: (state, action: { payload: string }) => void state.push({ id: state.length, text: action.payload, done: false }) },
    });
    const store = configureStore({ reducer: { todos: todos.reducer } });
    for (let i = 0; i < 1000; i++) store.dispatch(todos.actions.add(`todo ${i}`));
    const state = store.getState();
    expect(state.todos).toHaveLength(1000);
    expect(Object.isFrozen(state.todos[999])).toBe(true);

    expect(() => assertCloneable(state)).not.toThrow();
    const e = thrown(state, { strict: true });
    expect(e.code).toBe('INTEGRITY_LOST');
    expect(e.findings.length).toBeGreaterThanOrEqual(1002);
    expect(thrown(state, { failOn: 'reshape', channel: 'worker' }).code).toBe('INTEGRITY_LOST');
  });

  it.each([
    ['a Buffer on worker (it arrives as a Uint8Array)', Buffer.alloc(16), 'worker', 'BUFFER_BECOMES_UINT8ARRAY'],
    ['a null-prototype object', Object.assign(Object.create(null) as object, { a: 1 }), 'worker', 'NULL_PROTOTYPE_LOST'],
    ['a read-only property', Object.defineProperty({}, 'id', { value: 1, enumerable: true }), 'fork-advanced', 'READONLY_LOST'],
  ] as const)('passes %s by default, fails it strict', (_, value, channel, code) => {
    expect(check(value, { channels: [channel] }).findings.map((f) => f.code)).toContain(code);
    expect(() => assertCloneable(value, { channel })).not.toThrow();
    expect(thrown(value, { channel, strict: true }).code).toBe(code);
  });

  it.each([
    ['a function in a job, on worker', { job: { run() {} } }, 'worker', 'FUNCTION_NOT_CLONEABLE'],
    [
      'a class instance over fork',
      {
        c: new (class Customer {
          greet() {}
        })(),
      },
      'fork',
      'PROTOTYPE_LOST',
    ],
    ['a Map over fork', { m: new Map([['a', 1]]) }, 'fork', 'MAP_BECOMES_OBJECT'],
    ['undefined over fork', { a: undefined }, 'fork', 'UNDEFINED_DROPPED'],
  ] as const)('still fails %s by default', (_, value, channel, code) => {
    expect(thrown(value, { channel }).code).toBe(code);
  });
});

describe('assertCloneable: ignore', () => {
  const value = {
    when: new Date(0),
    meta: { seen: new Map([['a', 1]]) },
    items: [{ cache: new Set([1]), id: 1 }],
    customer: new (class Customer {
      name = 'x';
      greet() {}
    })(),
  };

  it('takes codes, path patterns and classes, and counts what it set aside', () => {
    const e = thrown(value, { channel: 'fork' });
    expect(e.findings.map((f) => `${f.code} ${f.at}`)).toEqual([
      'DATE_BECOMES_STRING $.when',
      'MAP_BECOMES_OBJECT $.meta.seen',
      'SET_BECOMES_OBJECT $.items[0].cache',
      'PROTOTYPE_LOST $.customer',
    ]);
    expect(e.message).not.toMatch(/ignored/);
    const partly = thrown(value, { channel: 'fork', ignore: ['DATE_BECOMES_STRING', '$.meta.**'] });
    expect(partly.findings.map((f) => f.at)).toEqual(['$.items[0].cache', '$.customer']);
    expect(partly.message).toMatch(/\n\n2 ignored$/);
    expect(() => assertCloneable(value, { channel: 'fork', ignore: ['DATE_BECOMES_STRING', '$.meta.**', '$.items[*].cache', 'class:Customer'] })).not.toThrow();
  });

  it('reads the project config when asked, and lets the call add to it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clonecheck-assert-'));
    try {
      writeFileSync(join(dir, 'clonecheck.config.json'), JSON.stringify({ channels: ['fork'], ignore: ['DATE_BECOMES_STRING', '$.meta.**'] }));
      // Without config: every channel and no ignores.
      expect(thrown(value).findings.some((f) => f.channel === 'worker')).toBe(true);
      const e = thrown(value, { config: dir });
      expect(e.findings.map((f) => `${f.channel} ${f.at}`)).toEqual(['fork $.items[0].cache', 'fork $.customer']);
      expect(() => assertCloneable(value, { config: join(dir, 'clonecheck.config.json'), ignore: ['$.items[*].cache', 'class:Customer'] })).not.toThrow();
      // The call's own channels win over the config's.
      expect(() => assertCloneable(value, { config: dir, channel: 'worker' })).toThrow(/PROTOTYPE_LOST/);
      writeFileSync(join(dir, 'clonecheck.config.json'), JSON.stringify({ failOn: 'loud' }));
      expect(() => assertCloneable(1, { config: dir })).toThrow(/clonecheck\.config\.json: "failOn": unknown fail level "loud"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
