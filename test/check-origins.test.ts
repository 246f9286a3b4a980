// Origins through check() itself: every finding about a function or a class instance names where it
// was defined (mapped to the .ts source), what a closure captures, and the by-reference answer;
// functions from a module the caller names can be sent by reference.
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import type { Finding } from '../src/types.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const file = `${root}fixtures/origin/jobs.ts`;
type Jobs = Record<string, unknown> & {
  makeJob: (db: unknown, prefix: string) => unknown;
  makeNested: (db: unknown) => (n: number) => unknown;
  Pool: new () => object;
  Customer: new (name: string) => object;
};
let jobs: Jobs;

beforeAll(async () => {
  jobs = (await tsImport(file, { parentURL: import.meta.url, tsconfig: `${root}tsconfig.json` })) as Jobs;
});

const worker = (value: unknown, options = {}): Finding[] => check(value, { channels: ['worker'], ...options }).findings;
const only = (value: unknown, options = {}): Finding => {
  const fs = worker(value, options);
  expect(fs).toHaveLength(1);
  return fs[0]!;
};

describe('origins in findings', () => {
  it('places each kind of function in its .ts source, by file:line:column', () => {
    for (const name of ['onDone', 'onProgress', 'fetchRow', 'ids', 'Customer']) {
      const f = only({ fn: jobs[name] });
      expect(f.code).toBe('FUNCTION_NOT_CLONEABLE');
      expect(f.args.origin?.definedAt, name).toMatch(/^fixtures\/origin\/jobs\.ts:\d+:\d+$/);
      expect(f.message).toContain(`defined at ${f.args.origin!.definedAt}`);
    }
    const method = only({ fn: (jobs.handlers as { onError: unknown }).onError });
    expect(method.args.origin?.instead?.kind).toBe('method');
  });

  it('lists what a closure captures, which can travel as data and which must be made again', () => {
    const f = only({ job: jobs.makeJob(new jobs.Pool(), 'k:') });
    expect(f.args.origin?.captures).toEqual(
      expect.arrayContaining([
        { name: 'prefix', kind: 'string', travel: 'data' },
        { name: 'db', kind: 'Pool', travel: 'recreate' },
      ]),
    );
    expect(f.message).toMatch(/closes over .*prefix \(a string, sendable as data\)/);
    expect(f.hint).toMatch(/Send .*prefix.* as data/);
    expect(f.hint).toMatch(/Create .*db \(a Pool\) again/);
  });

  it('follows nested closures to the scope that holds each variable', () => {
    const f = only({ job: jobs.makeNested(new jobs.Pool())(3) });
    const names = f.args.origin?.captures?.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['seen', 'limit', 'label', 'db']));
  });

  it('answers by reference for an export of a module the caller names, on every channel that loses it', () => {
    const modules = [{ path: file, file: 'fixtures/origin/jobs.ts', exports: Object.entries(jobs).map(([name, value]) => ({ name, value })) }];
    const r = check({ done: jobs.onDone }, { channels: ['worker', 'fork'], origins: { modules, cwd: root } });
    expect(r.findings.map((f) => f.code)).toEqual(['FUNCTION_NOT_CLONEABLE', 'FUNCTION_DROPPED']);
    for (const f of r.findings) {
      expect(f.args.origin?.instead).toMatchObject({ kind: 'reference', module: './fixtures/origin/jobs.ts', name: 'onDone' });
      expect(f.hint).toContain("{ module: './fixtures/origin/jobs.ts', name: 'onDone' }");
    }
  });

  it('names the class of an instance and where it is defined', () => {
    const f = only({ c: jobs.customer });
    expect(f.code).toBe('PROTOTYPE_LOST');
    expect(f.args.origin?.definedAt).toMatch(/^fixtures\/origin\/jobs\.ts:\d+/);
    expect(f.hint).toContain('new Customer(data)');
  });

  it('says bound and built-in functions are such', () => {
    expect(only({ f: jobs.boundDone }).args.origin?.instead?.kind).toBe('bound');
    expect(only({ f: Math.max }).args.origin?.instead?.kind).toBe('built-in');
  });

  it('costs nothing and changes nothing when turned off or when there is no function', () => {
    const off = only({ fn: jobs.onDone }, { origins: false });
    expect(off.args.origin).toBeUndefined();
    expect(off.hint).toBe('Send data, not behaviour: pass a name or an id and look the function up on the other side.');
    expect(worker({ a: 1, b: [2] })).toEqual([]);
  });
});

describe('origins kept from one check to the next', () => {
  it('gives a repeated check the same origins, sentences and hints as the first', () => {
    const value = { c: new jobs.Customer('a'), fn: jobs.onDone, job: jobs.makeJob(new jobs.Pool(), 'k:') };
    const first = check(value).findings;
    const again = check({ ...value, c: new jobs.Customer('b') }).findings;
    expect(first.filter((f) => f.args.origin !== undefined).length).toBeGreaterThanOrEqual(3);
    expect(again).toEqual(first);
  });

  it('places a kept origin relative to the folder each check asks for', () => {
    const sub = `${root}fixtures/`;
    const fn = (jobs.handlers as { onError: unknown }).onError;
    const inRoot = only({ fn }, { origins: { cwd: root } });
    const inSub = only({ fn }, { origins: { cwd: sub } });
    const inRootAgain = only({ fn }, { origins: { cwd: root } });
    expect(inRoot.args.origin?.definedAt).toMatch(/^fixtures\/origin\/jobs\.ts:\d+:\d+$/);
    expect(inSub.args.origin?.definedAt).toBe(inRoot.args.origin!.definedAt!.slice('fixtures/'.length));
    expect(inRootAgain.args.origin).toEqual(inRoot.args.origin);
    const inst = (cwd: string) => only({ c: new jobs.Customer('x') }, { origins: { cwd } }).args.origin?.definedAt;
    expect(inst(root)).toMatch(/^fixtures\/origin\/jobs\.ts:\d+/);
    expect(inst(sub)).toBe(inst(root)!.slice('fixtures/'.length));
  });

  it('answers by reference once the caller names the module, after checks that did not', () => {
    expect(only({ done: jobs.onDone }, { origins: { cwd: root } }).args.origin?.instead?.kind).toBe('top-level');
    expect(only({ c: jobs.customer }, { origins: { cwd: root } }).args.origin?.instead).not.toHaveProperty('module');
    const modules = [{ path: file, file: 'fixtures/origin/jobs.ts', exports: Object.entries(jobs).map(([name, value]) => ({ name, value })) }];
    expect(only({ done: jobs.onDone }, { origins: { modules, cwd: root } }).args.origin?.instead).toMatchObject({ kind: 'reference', name: 'onDone' });
    expect(only({ c: jobs.customer }, { origins: { modules, cwd: root } }).args.origin?.instead).toMatchObject({
      kind: 'class',
      module: './fixtures/origin/jobs.ts',
    });
    // A list whose exports change between checks is read again each time.
    const some = [{ path: file, file: 'fixtures/origin/jobs.ts', exports: [] as { name: string; value: unknown }[] }];
    expect(only({ p: jobs.onProgress }, { origins: { modules: some, cwd: root } }).args.origin?.instead?.kind).toBe('top-level');
    some[0]!.exports.push({ name: 'onProgress', value: jobs.onProgress });
    expect(only({ p: jobs.onProgress }, { origins: { modules: some, cwd: root } }).args.origin?.instead).toMatchObject({
      kind: 'reference',
      name: 'onProgress',
    });
  });

  it('keeps the words of a function or class without an origin to name', () => {
    class Local {}
    const fn = new Proxy(() => 1, {});
    for (let i = 0; i < 2; i++) {
      expect(only({ fn }).args.origin).toBeUndefined();
      expect(only({ l: new Local() }).args.origin?.definedAt).toMatch(/check-origins\.test\.ts:\d+/);
    }
  });
});

describe('origins in the guard', () => {
  it('names where a function in a failing send was defined, in the CloneCheckError', async () => {
    const { install, uninstall } = await import('../src/guard.js');
    const { MessageChannel } = await import('node:worker_threads');
    const { port1, port2 } = new MessageChannel();
    install({ mode: 'throw', channels: ['worker'] });
    try {
      expect(() => port1.postMessage({ job: jobs.makeJob(new jobs.Pool(), 'k:') })).toThrow(/defined at fixtures\/origin\/jobs\.ts:\d+:\d+/);
    } finally {
      uninstall();
      port1.close();
      port2.close();
    }
  });
});
