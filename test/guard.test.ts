import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import childProcess, { execFile, type ChildProcess } from 'node:child_process';
import cluster from 'node:cluster';
import { once } from 'node:events';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify, stripVTControlCharacters } from 'node:util';
import workerThreads, { BroadcastChannel, MessageChannel, MessagePort, Worker as NodeWorker } from 'node:worker_threads';
import * as workerThreadsNamespace from 'node:worker_threads';
import { CloneCheckError } from '../src/errors.js';
import type { Finding } from '../src/types.js';
import { ConfigError } from '../src/config/index.js';
import {
  fork,
  GuardEnvError,
  guardOptionsFromEnv,
  install,
  isInstalled,
  postMessage,
  registerOptions,
  send,
  uninstall,
  Worker,
  type GuardWarning,
} from '../src/guard.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = new URL('./guard-fixtures/', import.meta.url);
const fixture = (name: string): string => fileURLToPath(new URL(name, FIXTURES));
const THIS_FILE = fileURLToPath(import.meta.url);

/** `file:line` of the line marked `// SITE:<name>` in a fixture. */
function siteIn(name: string, marker: string): string {
  const file = fixture(name);
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(`// SITE:${marker}`));
  if (line < 0) throw new Error(`no SITE:${marker} in ${name}`);
  return `${file}:${line + 1}:`;
}

/** Runs a fixture in a fresh node with `--import clonecheck/register` (the built dist). */
async function runFixture(name: string, env: Record<string, string> = {}): Promise<{ out: any; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv['NODE_OPTIONS'];
  delete childEnv['CLONECHECK_GUARD'];
  Object.assign(childEnv, env);
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'clonecheck/register', fixture(name)], {
    cwd: REPO,
    env: childEnv,
    timeout: 20_000,
  });
  return { out: JSON.parse(stdout.trim().split('\n').pop()!), stderr };
}

/** The 1-based line of this test file that holds `marker`. */
function lineOf(marker: string): number {
  return (
    readFileSync(THIS_FILE, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(`// ${marker}`)) + 1
  );
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

/** Collects the process's CloneCheckWarnings (process.emitWarning delivers them on the next tick). */
function collectProcessWarnings(): { warnings: Error[]; stop: () => Promise<Error[]> } {
  const warnings: Error[] = [];
  const listener = (w: Error) => {
    if (w.name === 'CloneCheckWarning') warnings.push(w);
  };
  process.on('warning', listener);
  return {
    warnings,
    stop: async () => {
      await new Promise((resolve) => setImmediate(resolve));
      process.off('warning', listener);
      return warnings;
    },
  };
}

/** A worker that exits at once: only its threadId matters. */
const tinyWorker = () => new NodeWorker('0', { eval: true });

/**
 * A web-platform object that the worker channel sends as {} on every line (PLATFORM_OBJECT_BECOMES_PLAIN):
 * the change these tests need, a reshape that does not throw. (A URL was one on Node 20; from Node 21 its send throws.)
 */
const becomesPlain = (): object => new TextEncoder();

/** Node's own words for a transferList entry it cannot move: Node 20 says "object" (a TypeError), later lines "value" (a DataCloneError). */
const NODE_INVALID_TRANSFER =
  Number(process.versions.node.split('.')[0]) === 20 ? /^Found invalid object in transferList/ : /^Found invalid value in transferList/;

/**
 * Whether the running line's Node refuses a pooled Buffer's store in a transferList: Node 20 copies it
 * and sends, later lines throw. A real, unguarded send says.
 */
const POOLED_TRANSFER_REFUSED = ((): boolean => {
  const { port1, port2 } = new MessageChannel();
  const pooled = Buffer.from('probe');
  if (pooled.buffer.byteLength === pooled.byteLength) throw new Error('Buffer.from() did not give a pooled Buffer');
  try {
    port1.postMessage(pooled, [pooled.buffer]);
    return false;
  } catch {
    return true;
  } finally {
    port1.close();
    port2.close();
  }
})();

afterEach(() => uninstall());

describe('explicit helpers', () => {
  it('Worker: a function in workerData fails with the path before the thread exists', async () => {
    const before = tinyWorker();
    const error = caught(() => new Worker(new URL('data:text/javascript,0'), { workerData: { job: { id: 7, onDone() {} } } }));
    const after = tinyWorker();
    expect(error).toBeInstanceOf(CloneCheckError);
    const e = error as CloneCheckError;
    expect([e.channel, e.code, e.at]).toEqual(['worker', 'FUNCTION_NOT_CLONEABLE', '$.job.onDone']);
    expect(e.message.split('\n')[0]).toContain(`sent from ${THIS_FILE}:`);
    // No thread handle was made: the next worker gets the next id.
    expect(after.threadId).toBe(before.threadId + 1);

    // Node's own Worker makes the handle first, then fails without a path (the id is used up).
    const plain = caught(() => new NodeWorker('0', { eval: true, workerData: { job: { onDone() {} } } })) as Error;
    const last = tinyWorker();
    expect(plain.name).toBe('DataCloneError');
    expect(last.threadId).toBe(after.threadId + 2);
    await Promise.all([before, after, last].map((w) => w.terminate()));
  });

  it('Worker: a MessagePort in workerData needs the transferList, and passes with it', async () => {
    const { port1, port2 } = new MessageChannel();
    const e = caught(() => new Worker('0', { eval: true, workerData: { port: port2 } })) as CloneCheckError;
    expect([e.code, e.at]).toEqual(['TRANSFER_REQUIRED', '$.port']);
    const collector = collectProcessWarnings();
    const w = new Worker('const { workerData } = require("node:worker_threads"); workerData.port.postMessage("hi from the worker")', {
      eval: true,
      workerData: { port: port2 },
      transferList: [port2],
    });
    const [message] = await once(port1, 'message');
    expect(message).toBe('hi from the worker');
    // The move itself is a note: printed once, never thrown.
    const notes = await collector.stop();
    expect(notes.map((n) => (n as { detail?: string }).detail)).toEqual([expect.stringMatching(/\$\.port +note .*\(TRANSFERRED\)/)]);
    port1.close();
    await w.terminate();
  });

  it('Worker#postMessage is checked too', async () => {
    const w = new Worker('require("node:worker_threads").parentPort.once("message", () => process.exit(0))', { eval: true });
    const e = caught(() => w.postMessage({ list: [1, Symbol('s')] })) as CloneCheckError;
    expect([e.code, e.at]).toEqual(['SYMBOL_NOT_CLONEABLE', '$.list[1]']);
    w.postMessage('exit');
    await once(w, 'exit');
  });

  it('postMessage: transfers are reported, and a bad transferList throws before Node does', async () => {
    const { port1, port2 } = new MessageChannel();
    const got: unknown[] = [];
    port2.on('message', (m) => got.push(m));
    const collector = collectProcessWarnings();

    const ab = new ArrayBuffer(16);
    postMessage(port1, { ab }, [ab]);
    expect(ab.byteLength).toBe(0); // it really was transferred

    const view = new Uint8Array(4);
    const bad = caught(() => postMessage(port1, { view }, [view as unknown as ArrayBuffer])) as CloneCheckError;
    expect(bad).toBeInstanceOf(CloneCheckError);
    expect(bad.code).toBe('TRANSFER_LIST_INVALID');
    // Node's own error, for comparison: no path, another type.
    const own = caught(() => port1.postMessage({ view }, [view as unknown as ArrayBuffer])) as Error;
    expect(own).not.toBeInstanceOf(CloneCheckError);
    expect(own.message).toMatch(NODE_INVALID_TRANSFER);

    const warnings = await collector.stop();
    const text = warnings.map((w) => `${w.message}\n${(w as { detail?: string }).detail ?? ''}`).join('\n');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain(`port.postMessage() on the worker channel, sent from ${THIS_FILE}:`);
    expect(text).toMatch(/\$\.ab +note .*\(TRANSFERRED\)/);
    await new Promise((resolve) => setImmediate(resolve));
    expect(got).toHaveLength(1);
    port1.close();
  });

  it('postMessage: a pooled Buffer in the transferList is judged as the running line sends it (a real send decides)', async () => {
    const { port1, port2 } = new MessageChannel();
    const got: unknown[] = [];
    port2.on('message', (m) => got.push(m));
    const collector = collectProcessWarnings();

    const pooled = Buffer.from('pooled');
    if (POOLED_TRANSFER_REFUSED) {
      // Node refuses the pool's store: the helper throws first, with the path and the rule.
      const refused = caught(() => postMessage(port1, pooled, [pooled.buffer])) as CloneCheckError;
      expect(refused).toBeInstanceOf(CloneCheckError);
      expect(refused.findings.map((f) => f.code)).toEqual(['TRANSFER_LIST_INVALID']);
    } else {
      // Node 20 cannot move it either, but copies it: it arrives as a Uint8Array. Nothing is lost,
      // so it goes ahead with a warning.
      postMessage(port1, pooled, [pooled.buffer]);
    }
    // Strict mode (reshapes fail) throws, listing the reshape too.
    install({ strict: true, channels: ['fork'] });
    const copied = caught(() => postMessage(port1, pooled, [pooled.buffer])) as CloneCheckError;
    uninstall();
    expect(copied).toBeInstanceOf(CloneCheckError);
    const codes = POOLED_TRANSFER_REFUSED ? ['BUFFER_BECOMES_UINT8ARRAY', 'TRANSFER_LIST_INVALID'] : ['BUFFER_BECOMES_UINT8ARRAY'];
    expect(copied.findings.map((f) => f.code)).toEqual(codes);
    for (const code of codes) expect(copied.message).toContain(code);
    expect(pooled.toString()).toBe('pooled'); // never detached

    const warnings = await collector.stop();
    const text = warnings.map((w) => `${w.message}\n${(w as { detail?: string }).detail ?? ''}`).join('\n');
    await new Promise((resolve) => setImmediate(resolve));
    if (POOLED_TRANSFER_REFUSED) {
      expect(warnings).toEqual([]);
      expect(got).toEqual([]);
    } else {
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.message).toMatch(/: 2 findings that do not fail \(each is printed once\)$/);
      expect(text).toMatch(/POOLED_BUFFER_NOT_TRANSFERRED/);
      expect(got).toHaveLength(1);
      expect(got[0]).toEqual(new Uint8Array(Buffer.from('pooled')));
    }
    port1.close();
  });

  it('fork() knows its serialization: a Map throws on json and arrives on advanced; a class instance throws on both', async () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
      norm(): number {
        return Math.hypot(this.x, this.y);
      }
    }
    for (const serialization of ['json', 'advanced'] as const) {
      const child = fork(fixture('echo-child.mjs'), [], { serialization, execArgv: [] });
      await once(child, 'message'); // ready
      const e = caught(() => child.send(new Point(3, 4))) as CloneCheckError;
      expect([e.code, e.channel]).toEqual(['PROTOTYPE_LOST', serialization === 'json' ? 'fork' : 'fork-advanced']);
      const map = new Map([[1, 2]]);
      if (serialization === 'json') {
        expect((caught(() => send(child, { map })) as CloneCheckError).code).toBe('MAP_BECOMES_OBJECT');
      } else {
        send(child, map);
        const [reply] = await once(child, 'message');
        expect(reply.isMap).toBe(true);
      }
      child.send('bye');
      await once(child, 'exit');
    }
  });

  it('send() refuses a target without an IPC channel', () => {
    const notForked = { pid: 1 } as unknown as ChildProcess;
    expect(() => send(notForked, {})).toThrow(TypeError);
  });
});

describe('install() and uninstall()', () => {
  it('a send whose ignored findings outnumber maxFindings still fails on the finding after them', () => {
    class Row {
      id = 1;
      label(): string {
        return `row ${this.id}`;
      }
    }
    const message = { rows: Array.from({ length: 150 }, () => new Row()), [Symbol('trace')]: 'lost' };
    const { port1, port2 } = new MessageChannel();
    try {
      install({ ignore: ['class:Row'], maxFindings: 100 });
      expect(() => port1.postMessage(message)).toThrow(CloneCheckError);
      expect(() => port1.postMessage(message)).toThrow(/SYMBOL_KEY_DROPPED/);
      // With the ignored class alone, the send goes ahead.
      port1.postMessage({ rows: message.rows });
    } finally {
      port1.close();
      port2.close();
    }
  });

  it('uninstall() puts every one of Node\u2019s methods back, including on children forked meanwhile', async () => {
    const current = () => ({
      Worker: workerThreads.Worker,
      workerPost: NodeWorker.prototype.postMessage,
      portPost: MessagePort.prototype.postMessage,
      broadcastPost: BroadcastChannel.prototype.postMessage,
      spawn: (childProcess.ChildProcess.prototype as unknown as { spawn: unknown }).spawn,
      clusterSend: (cluster as unknown as { Worker: { prototype: { send: unknown } } }).Worker.prototype.send,
      processSend: process.send,
    });
    const originals = current();
    const reference = childProcess.fork(fixture('echo-child.mjs'), [], { execArgv: [] });

    install({ mode: 'warn', onWarning: () => {} });
    expect(isInstalled()).toBe(true);
    const patched = current();
    for (const key of Object.keys(originals) as (keyof typeof originals)[]) {
      if (key === 'processSend' && originals.processSend === undefined) continue;
      expect(patched[key], key).not.toBe(originals[key]);
    }
    // The ESM live binding follows the patched export (import { Worker } from 'node:worker_threads').
    expect(workerThreadsNamespace.Worker).toBe(patched.Worker);
    const child = childProcess.fork(fixture('echo-child.mjs'), [], { execArgv: [] });
    const guardedSend = child.send;
    uninstall();

    expect(isInstalled()).toBe(false);
    expect(current()).toEqual(originals);
    for (const key of Object.keys(originals) as (keyof typeof originals)[]) expect(current()[key], key).toBe(originals[key]);
    expect(workerThreadsNamespace.Worker).toBe(originals.Worker);
    expect(child.send).not.toBe(guardedSend);
    expect(Function.prototype.toString.call(child.send)).toBe(Function.prototype.toString.call(reference.send));

    for (const c of [child, reference]) {
      await once(c, 'message'); // ready
      c.send({ after: 'uninstall' });
      const [reply] = await once(c, 'message');
      expect(reply.echo).toEqual({ after: 'uninstall' });
      c.send('bye');
      await once(c, 'exit');
    }
  });

  it('throw mode: new Worker, port, Worker#postMessage and BroadcastChannel name the path and this file', async () => {
    install({ channels: ['worker'] });
    const noThread = caught(() => new workerThreadsNamespace.Worker('0', { eval: true, workerData: { cb: () => 1 } })) as CloneCheckError; // SITE:inProcess
    expect([noThread.code, noThread.at]).toEqual(['FUNCTION_NOT_CLONEABLE', '$.cb']);
    // The line of this file as written (Vitest's source map), not of the code it runs.
    expect(noThread.message.split('\n')[0]).toContain(`sent from ${THIS_FILE}:${lineOf('SITE:inProcess')}:`);
    expect(noThread.stack!.split('\n').find((l) => l.startsWith('    at '))).toContain(THIS_FILE);

    const { port1, port2 } = new MessageChannel();
    expect((caught(() => port1.postMessage({ when: Promise.resolve(1) })) as CloneCheckError).at).toBe('$.when');
    const bc = new BroadcastChannel('clonecheck-guard-test');
    expect((caught(() => bc.postMessage({ f() {} })) as CloneCheckError).code).toBe('FUNCTION_NOT_CLONEABLE');
    bc.close();
    const w = new NodeWorker('require("node:worker_threads").parentPort.once("message", () => process.exit(0))', { eval: true });
    const viaWorker = caught(() => w.postMessage([new WeakMap()])) as CloneCheckError;
    expect([viaWorker.code, viaWorker.at]).toEqual(['UNCLONEABLE_TYPE', '$[0]']);
    // A clean message still goes through, once (the port inside Worker#postMessage is not checked twice).
    w.postMessage('exit');
    await once(w, 'exit');
    port1.close();
    port2.close();
  });

  it('warn mode: a hot loop prints one warning, and every message arrives as it would unguarded', async () => {
    const warnings: GuardWarning[] = [];
    install({ mode: 'warn', channels: ['worker'], onWarning: (w) => warnings.push(w) });
    const { port1, port2 } = new MessageChannel();
    const got: unknown[] = [];
    port2.on('message', (m) => got.push(m));
    const make = () => ({ id: 1, link: becomesPlain() });
    for (let i = 0; i < 100; i++) port1.postMessage(make()); // one site
    uninstall();
    port1.postMessage(make());
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(warnings).toHaveLength(1);
    const [w] = warnings;
    expect(w!.api).toBe('port.postMessage()');
    expect(w!.site).toContain(`${THIS_FILE}:`);
    expect(w!.findings.map((f) => `${f.at} ${f.code}`)).toEqual(['$.link PLATFORM_OBJECT_BECOMES_PLAIN']);
    expect(w!.text).toContain('PLATFORM_OBJECT_BECOMES_PLAIN');
    expect(got).toHaveLength(101);
    // What the guarded sends delivered is what the unguarded one delivered.
    for (const m of got) expect(m).toEqual(got[100]);
    port1.close();
  });

  it('warn mode: transfer lists are reported, and a bad entry still gets Node\u2019s own error', () => {
    const warnings: GuardWarning[] = [];
    install({ mode: 'warn', channels: ['worker'], onWarning: (w) => warnings.push(w) });
    const { port1, port2 } = new MessageChannel();
    const u8 = new Uint8Array(8);
    port1.postMessage({ u8 }, [u8.buffer]);
    const sab = new SharedArrayBuffer(8);
    expect(() => port1.postMessage({ sab }, [sab as unknown as ArrayBuffer])).toThrow(NODE_INVALID_TRANSFER);
    const codes = warnings.flatMap((w) => w.findings.map((f) => `${f.at} ${f.code}`));
    expect(codes).toEqual(['$.u8 TRANSFERRED', '$ TRANSFER_LIST_INVALID', '$.sab SHARED_MEMORY']);
    port1.close();
    port2.close();
  });

  it('warn mode: the options form of the transfer list is read, and a pooled Buffer in it is judged as the running line sends it', () => {
    const warnings: GuardWarning[] = [];
    install({ mode: 'warn', channels: ['worker'], onWarning: (w) => warnings.push(w) });
    const { port1, port2 } = new MessageChannel();
    const pooled = Buffer.from('abc');
    // The options form of the transfer list ({ transfer }) is read too (Node accepts it; @types/node 20 does not say so).
    const send = () => Reflect.apply(port1.postMessage, port1, [pooled, { transfer: [pooled.buffer] }]);
    if (POOLED_TRANSFER_REFUSED) {
      // Node refuses the pool's store: warn mode lets Node's own error through, after the warning.
      const own = caught(send) as Error;
      expect(own).not.toBeInstanceOf(CloneCheckError);
      expect([own.name, own.message.split('\n')[0]]).toEqual(['DataCloneError', 'Cannot transfer object of unsupported type.']);
    } else send();
    expect(pooled.toString()).toBe('abc'); // copied or refused, never moved
    const codes = warnings.flatMap((w) => w.findings.map((f) => `${f.at} ${f.code}`));
    expect(codes).toEqual(['$ BUFFER_BECOMES_UINT8ARRAY', POOLED_TRANSFER_REFUSED ? '$ TRANSFER_LIST_INVALID' : '$ POOLED_BUFFER_NOT_TRANSFERRED']);
    port1.close();
    port2.close();
  });

  it('notes: false prints only what fails; failOn decides what fails', () => {
    const warnings: GuardWarning[] = [];
    install({ mode: 'warn', channels: ['worker'], notes: false, failOn: ['throws'], onWarning: (w) => warnings.push(w) });
    const { port1, port2 } = new MessageChannel();
    const ab = new ArrayBuffer(4);
    port1.postMessage({ ab, link: becomesPlain() }, [ab]); // a note and a change: neither fails
    expect(warnings).toEqual([]);
    expect(() => port1.postMessage({ f() {} })).toThrow(/could not be cloned/); // Node's own error, after the warning
    expect(warnings.map((w) => w.findings[0]!.code)).toEqual(['FUNCTION_NOT_CLONEABLE']);
    port1.close();
    port2.close();
  });

  it('the default fails throw and loss only: a reshape goes ahead with a warning; strict and failOn move the line', () => {
    const warnings: GuardWarning[] = [];
    const { port1, port2 } = new MessageChannel();
    const frozen = Object.freeze({ items: Object.freeze([1, 2]) });
    install({ channels: ['worker'], onWarning: (w) => warnings.push(w) });
    port1.postMessage(frozen); // throw mode: a reshape does not throw
    expect(warnings.map((w) => w.findings.map((f) => f.code))).toEqual([['INTEGRITY_LOST', 'INTEGRITY_LOST']]);
    expect(warnings[0]!.text.split('\n')[0]).toMatch(/: 2 findings that do not fail \(each is printed once\)$/);
    expect(() => port1.postMessage({ f() {} })).toThrow(CloneCheckError);
    install({ channels: ['worker'], strict: true, onWarning: (w) => warnings.push(w) });
    expect(() => port1.postMessage(frozen)).toThrow(/\(INTEGRITY_LOST\)/);
    install({ channels: ['worker'], failOn: 'reshape', notes: false, onWarning: (w) => warnings.push(w) });
    expect(() => port1.postMessage(frozen)).toThrow(/\(INTEGRITY_LOST\)/);
    port1.close();
    port2.close();
  });

  it('ignore takes codes, path patterns and classes; an ignored finding never fails or prints, and the error counts it', () => {
    const warnings: GuardWarning[] = [];
    const { port1, port2 } = new MessageChannel();
    class Customer {
      greet() {}
    }
    install({ channels: ['worker'], ignore: ['$.meta.**', 'class:Customer'], onWarning: (w) => warnings.push(w) });
    port1.postMessage({ meta: { url: becomesPlain() }, who: new Customer() });
    expect(warnings).toEqual([]);
    const error = caught(() => port1.postMessage({ meta: { url: becomesPlain() }, f() {} })) as CloneCheckError;
    expect(error.findings.map((f) => f.code)).toEqual(['FUNCTION_NOT_CLONEABLE']);
    expect(error.message).toMatch(/\n\n1 ignored$/);
    // The explicit helpers take the installed ignores too.
    expect(() => postMessage(port1, { meta: { url: becomesPlain() } })).not.toThrow();
    // A deliberate transfer, accepted without a word.
    install({ channels: ['worker'], ignore: ['TRANSFERRED'], onWarning: (w) => warnings.push(w) });
    const ab = new ArrayBuffer(8);
    port1.postMessage({ ab }, [ab]);
    expect(ab.byteLength).toBe(0);
    expect(warnings).toEqual([]);
    uninstall();
    expect(() => postMessage(port1, { meta: { url: becomesPlain() } })).toThrow(/PLATFORM_OBJECT_BECOMES_PLAIN/);
    port1.close();
    port2.close();
  });

  it('a check clonecheck cannot finish never fails the send: it goes ahead, with one warning', async () => {
    const boom = new Error('walker bug');
    vi.resetModules();
    vi.doMock('../src/check/index.js', async (importOriginal) => {
      const real = await importOriginal<typeof import('../src/check/index.js')>();
      return {
        ...real,
        check: (value: unknown, options: Parameters<typeof real.check>[1]) => {
          const result = real.check(value, options);
          const incomplete = {
            ...result.findings[0]!,
            code: 'CHECK_INCOMPLETE',
            effect: 'changed',
            severity: 'loss',
            args: { error: 'walker bug' },
          } as unknown as Finding;
          return { ...result, findings: [incomplete, ...result.findings], internalError: boom };
        },
      };
    });
    const fresh = await import('../src/guard.js');
    const collector = collectProcessWarnings();
    const { port1, port2 } = new MessageChannel();
    const got: unknown[] = [];
    port2.on('message', (m) => got.push(m));
    try {
      fresh.install({ channels: ['worker'], notes: false });
      port1.postMessage({ when: new Date(0), frozen: Object.freeze({}) });
      // What the unfinished check did find still fails.
      expect(() => port1.postMessage({ link: becomesPlain() })).toThrow(/PLATFORM_OBJECT_BECOMES_PLAIN/);
    } finally {
      fresh.uninstall();
      vi.doUnmock('../src/check/index.js');
      vi.resetModules();
    }
    const warnings = await collector.stop();
    expect(warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^clonecheck guard: a send could not be checked .*walker bug/)]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(got).toHaveLength(1);
    port1.close();
  });

  it('rejects bad policy options, naming what is meant', () => {
    expect(() => install({ failOn: 'changed' as never })).toThrow(/^clonecheck: install\(\): failOn: unknown fail level "changed"/);
    expect(() => install({ ignore: ['DATE_BECOME_STRING'] })).toThrow(
      /^clonecheck: install\(\): ignore: unknown code "DATE_BECOME_STRING" \(did you mean "DATE_BECOMES_STRING"\?\)/,
    );
    expect(() => install({ ignroe: [] } as never)).toThrow(/unknown option ignroe \(did you mean "ignore"\?\)/);
    expect(() => install({ target: 'node21' as never })).toThrow(/unknown target "node21"/);
    expect(() => install({ strict: true, failOn: 'throw' })).toThrow(/strict: true means failOn: 'reshape'/);
    expect(() => install({ nodeModules: 'yes' as never })).toThrow(/nodeModules must be true or false/);
    expect(isInstalled()).toBe(false);
  });

  it("once: 'site' checks only the first send of each call site that is not plain data", () => {
    const warnings: GuardWarning[] = [];
    const sendAll = (port: workerThreads.MessagePort, values: unknown[]) => {
      for (const value of values) port.postMessage(value); // one site
    };
    const { port1, port2 } = new MessageChannel();
    install({ mode: 'warn', channels: ['worker'], once: 'site', onWarning: (w) => warnings.push(w) });
    // A Date is not plain data: this site is checked once, and the URL after it passes unchecked.
    sendAll(port1, [{ when: new Date(0) }, { link: becomesPlain() }]);
    expect(warnings).toEqual([]);
    port1.postMessage({ link: becomesPlain() }); // another site: checked
    expect(warnings).toHaveLength(1);
    // A small plain message is proven fine without using up its site's one check.
    for (const value of [{ fine: 1, list: [1, 'two'] }, { link: becomesPlain() }]) port1.postMessage(value); // one more site
    expect(warnings).toHaveLength(2);
    install({ mode: 'warn', channels: ['worker'], onWarning: (w) => warnings.push(w) });
    sendAll(port1, [{ when: new Date(0) }, { link: becomesPlain() }]);
    expect(warnings).toHaveLength(3);
    port1.close();
    port2.close();
  });

  it('sample checks the share of sends that Math.random() picks; workerData always', () => {
    const warnings: GuardWarning[] = [];
    install({ mode: 'warn', channels: ['worker'], sample: 0.25, onWarning: (w) => warnings.push(w) });
    const random = vi.spyOn(Math, 'random');
    const { port1, port2 } = new MessageChannel();
    try {
      random.mockReturnValue(0.5); // not picked
      port1.postMessage({ link: becomesPlain() });
      expect(warnings).toHaveLength(0);
      const e = caught(() => new workerThreadsNamespace.Worker('0', { eval: true, workerData: { f() {} } })) as Error;
      expect(e.name).toBe('DataCloneError'); // warn mode: Node's own error, after the warning
      expect(warnings.map((w) => w.api)).toEqual(['new Worker() workerData']);
      random.mockReturnValue(0.1); // picked
      port1.postMessage({ link: becomesPlain() });
      expect(warnings.map((w) => w.api)).toEqual(['new Worker() workerData', 'port.postMessage()']);
    } finally {
      random.mockRestore();
      port1.close();
      port2.close();
    }
  });

  it('a URL is judged by the running line: warn mode names what the same unguarded send does', async () => {
    const { port1, port2 } = new MessageChannel();
    const got: unknown[] = [];
    port2.on('message', (m) => got.push(m));
    const sendUrl = () => port1.postMessage({ link: new URL('https://example.org') });
    // Unguarded first: Node 20 sends {}, from Node 21 the send throws.
    let own: unknown;
    try {
      sendUrl();
    } catch (e) {
      own = e;
    }
    const warnings: GuardWarning[] = [];
    install({ mode: 'warn', channels: ['worker'], onWarning: (w) => warnings.push(w) });
    if (own === undefined) sendUrl();
    else {
      expect((own as Error).name).toBe('DataCloneError');
      const guarded = caught(sendUrl) as Error;
      expect(guarded).not.toBeInstanceOf(CloneCheckError); // warn mode: Node's own error
      expect([guarded.name, guarded.message.split('\n')[0]]).toEqual([(own as Error).name, (own as Error).message]);
    }
    expect(warnings.flatMap((w) => w.findings.map((f) => `${f.at} ${f.code}`))).toEqual([
      `$.link ${own === undefined ? 'PLATFORM_OBJECT_BECOMES_PLAIN' : 'UNCLONEABLE_TYPE'}`,
    ]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(got).toEqual(own === undefined ? [{ link: {} }, { link: {} }] : []);
    port1.close();
  });

  it('a throwing onWarning does not break the send', async () => {
    install({
      mode: 'warn',
      channels: ['worker'],
      onWarning: () => {
        throw new Error('logger down');
      },
    });
    const { port1, port2 } = new MessageChannel();
    port1.postMessage({ link: becomesPlain() });
    const [m] = await once(port2, 'message');
    expect(m).toEqual({ link: {} });
    port1.close();
  });

  it('a failure inside the guard is reported once and never breaks the send, even in throw mode', async () => {
    install({ channels: ['worker'] });
    const { port1, port2 } = new MessageChannel();
    let reads = 0;
    // The guard reads `transfer` first and gets a throw; Node reads it next and gets [].
    const options = {
      get transfer() {
        if (reads++ === 0) throw new Error('first read fails');
        return [];
      },
    };
    const collector = collectProcessWarnings();
    Reflect.apply(port1.postMessage, port1, [{ n: 1 }, options]);
    const [m] = await once(port2, 'message');
    expect(m).toEqual({ n: 1 });
    const warnings = await collector.stop();
    expect(warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/^clonecheck guard: a send could not be checked and went ahead unchecked .*first read fails/),
    ]);
    port1.close();
  });

  it('rejects unknown options and values', () => {
    expect(() => install({ mode: 'loud' as 'warn' })).toThrow(TypeError);
    expect(() => install({ sample: 0 })).toThrow(/sample/);
    expect(() => install({ channels: ['ipc' as 'fork'] })).toThrow(/channels/);
    expect(() => install({ colour: true } as never)).toThrow(/unknown option colour/);
    expect(isInstalled()).toBe(false);
  });
});

describe('guardOptionsFromEnv (clonecheck/register)', () => {
  it('reads CLONECHECK_* variables, throw mode by default', () => {
    expect(guardOptionsFromEnv({})).toEqual({ mode: 'throw' });
    expect(guardOptionsFromEnv({ CLONECHECK_GUARD: 'off' })).toBeUndefined();
    expect(
      guardOptionsFromEnv({
        CLONECHECK_GUARD: 'warn',
        CLONECHECK_CHANNELS: 'worker, fork',
        CLONECHECK_FAIL_ON: 'throw',
        CLONECHECK_SAMPLE: '0.01',
        CLONECHECK_ONCE: 'site',
        CLONECHECK_NOTES: 'off',
        CLONECHECK_IGNORE: 'DATE_BECOMES_STRING, $["a,b"].**,class:Customer',
        CLONECHECK_TARGET: 'node22',
        CLONECHECK_NODE_MODULES: 'on',
      }),
    ).toEqual({
      mode: 'warn',
      channels: ['worker', 'fork'],
      failOn: 'throw',
      sample: 0.01,
      once: 'site',
      notes: false,
      ignore: ['DATE_BECOMES_STRING', '$["a,b"].**', 'class:Customer'],
      target: 'node22',
      nodeModules: true,
    });
    expect(guardOptionsFromEnv({ CLONECHECK_STRICT: '1' })).toEqual({ mode: 'throw', strict: true });
    // The older list of effects still reads.
    expect(guardOptionsFromEnv({ CLONECHECK_FAIL_ON: 'throws,dropped' })).toEqual({ mode: 'throw', failOn: ['throws', 'dropped'] });
  });

  it('names the variable when a value is wrong', () => {
    expect(() => guardOptionsFromEnv({ CLONECHECK_GUARD: 'warm' })).toThrow(/CLONECHECK_GUARD="warm"/);
    expect(() => guardOptionsFromEnv({ CLONECHECK_SAMPLE: '2' })).toThrow(/CLONECHECK_SAMPLE/);
    expect(() => guardOptionsFromEnv({ CLONECHECK_CHANNELS: 'worker,ipc' })).toThrow(/CLONECHECK_CHANNELS/);
    expect(() => guardOptionsFromEnv({ CLONECHECK_FAIL_ON: 'lots' })).toThrow(/CLONECHECK_FAIL_ON="lots" is not valid; expected throw, loss, reshape or note/);
    expect(() => guardOptionsFromEnv({ CLONECHECK_IGNORE: 'MAP_BECOME_OBJECT' })).toThrow(
      /CLONECHECK_IGNORE: unknown code "MAP_BECOME_OBJECT" \(did you mean "MAP_BECOMES_OBJECT"\?\)/,
    );
    expect(() => guardOptionsFromEnv({ CLONECHECK_TARGET: 'node19' })).toThrow(/CLONECHECK_TARGET="node19"/);
    expect(() => guardOptionsFromEnv({ CLONECHECK_STRICT: 'maybe' })).toThrow(/CLONECHECK_STRICT="maybe"/);
    const error = caught(() => guardOptionsFromEnv({ CLONECHECK_NOTES: 'loud' }));
    expect(error).toBeInstanceOf(GuardEnvError);
    expect(error).toMatchObject({
      name: 'GuardEnvError',
      variable: 'CLONECHECK_NOTES',
      message: 'clonecheck/register: CLONECHECK_NOTES="loud" is not valid; expected on or off',
    });
  });

  it('registerOptions: the config file under the environment; ignore lists add up', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clonecheck-register-'));
    try {
      expect(registerOptions({}, dir)).toEqual({});
      writeFileSync(
        join(dir, 'clonecheck.config.json'),
        JSON.stringify({ channels: ['worker'], failOn: 'reshape', ignore: ['$.meta.**'], guard: { mode: 'warn', ignore: ['TRANSFERRED'], sample: 0.5 } }),
      );
      expect(registerOptions({}, dir)).toEqual({ mode: 'warn', channels: ['worker'], failOn: 'reshape', ignore: ['$.meta.**', 'TRANSFERRED'], sample: 0.5 });
      expect(registerOptions({ CLONECHECK_GUARD: 'throw', CLONECHECK_IGNORE: 'DATE_BECOMES_STRING', CLONECHECK_STRICT: 'off' }, dir)).toEqual({
        mode: 'throw',
        channels: ['worker'],
        ignore: ['$.meta.**', 'TRANSFERRED', 'DATE_BECOMES_STRING'],
        strict: false,
        sample: 0.5,
      });
      expect(registerOptions({ CLONECHECK_GUARD: 'off' }, dir)).toBeUndefined();
      expect(registerOptions({ CLONECHECK_CONFIG: 'off' }, dir)).toEqual({});
      writeFileSync(join(dir, 'other.json'), JSON.stringify({ guard: { mode: 'off' } }));
      expect(registerOptions({ CLONECHECK_CONFIG: join(dir, 'other.json') }, dir)).toBeUndefined();
      expect(registerOptions({ CLONECHECK_CONFIG: join(dir, 'other.json'), CLONECHECK_GUARD: 'warn' }, dir)).toEqual({ mode: 'warn' });
      writeFileSync(join(dir, 'clonecheck.config.json'), JSON.stringify({ guard: { sample: 0 } }));
      expect(() => registerOptions({}, dir)).toThrow(/clonecheck\.config\.json: "guard\.sample": expected a number above 0 and at most 1, got 0/);
      expect(() => registerOptions({}, dir)).toThrow(ConfigError);
      // Off reads nothing else, so it runs a program whose other settings are wrong.
      expect(registerOptions({ CLONECHECK_GUARD: 'off', CLONECHECK_SAMPLE: '2' }, dir)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('node --import clonecheck/register, in real processes', () => {
  it('throw mode: a function in workerData fails with the path and the user\u2019s line before the thread starts; parentPort is guarded in the worker', async () => {
    const { out } = await runFixture('worker-data.mjs');
    expect(out).toMatchObject({ name: 'CloneCheckError', code: 'FUNCTION_NOT_CLONEABLE', channel: 'worker', at: '$.job.onDone' });
    expect(out.firstLine).toContain(`sent from ${siteIn('worker-data.mjs', 'workerData')}`);
    expect(out.stackTop).toContain(`worker-data.mjs:${siteIn('worker-data.mjs', 'workerData').split(':').at(-2)}:`);
    expect(out.unguarded).toMatch(/^DataCloneError: onDone\(\) \{\} could not be cloned\.$/);
    // Guarded: no thread id was used up; unguarded, Node made the handle before failing.
    const [first, second, third] = out.threadIds;
    expect(second).toBe(first + 1);
    expect(third).toBe(second + 2);
    expect(out.reply).toMatchObject({ name: 'CloneCheckError', code: 'FUNCTION_NOT_CLONEABLE', at: '$.result.next' });
    expect(out.reply.firstLine).toContain(`sent from ${siteIn('port-worker.mjs', 'parentPort')}`);
  });

  it('warn mode (CLONECHECK_GUARD=warn): a class instance over child.send() is reported once per channel and delivered as without the guard', async () => {
    const { out, stderr } = await runFixture('ipc-parent.mjs', { CLONECHECK_GUARD: 'warn' });
    const heads = stderr.split('\n').filter((l) => l.includes('CloneCheckWarning:'));
    const site = siteIn('ipc-parent.mjs', 'point');
    expect(heads).toHaveLength(2);
    expect(heads[0]).toContain(`child.send() on the fork channel, sent from ${site}`);
    expect(heads[1]).toContain(`child.send() on the fork-advanced channel, sent from ${site}`);
    expect(stderr.match(/PROTOTYPE_LOST/g)).toHaveLength(2);
    for (const serialization of ['json', 'advanced']) {
      const { guarded, unguarded } = out[serialization];
      expect(guarded).toHaveLength(50);
      for (const m of guarded) expect(m).toBe(unguarded);
      expect(JSON.parse(unguarded)).toEqual({ echo: { x: 3, y: 4 }, plainObject: true, isMap: false });
    }
    // process.send in the children (throw mode): judged by how each child was forked.
    expect(out.json.probe).toMatchObject({ probe: 'threw', name: 'CloneCheckError', code: 'MAP_BECOMES_OBJECT', channel: 'fork' });
    expect(out.json.probe.firstLine).toContain(`sent from ${siteIn('echo-child.mjs', 'probe')}`);
    expect(out.advanced.probeMap).toEqual([[1, 2]]);
  });

  it('warn mode: a send that then throws ends the process only after the warning is on stderr', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, CLONECHECK_GUARD: 'warn' };
    delete env['NODE_OPTIONS'];
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'clonecheck/register', fixture('warn-then-throw.mjs')],
        { cwd: REPO, env, timeout: 20_000 },
        (error, _stdout, err) => resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr: err }),
      );
    });
    expect(code).toBe(1);
    const warning = stderr.indexOf('CloneCheckWarning: port.postMessage() on the worker channel');
    const nodeError = stderr.indexOf('DataCloneError');
    expect(warning).toBeGreaterThanOrEqual(0);
    expect(stderr).toContain(`sent from ${siteIn('warn-then-throw.mjs', 'throws')}`);
    expect(stderr.slice(warning, nodeError)).toContain('$.job.onDone');
    expect(nodeError).toBeGreaterThan(warning);
  });

  it('cluster: the primary\u2019s worker.send() and the worker\u2019s cluster.worker.send() are checked as json', async () => {
    const { out } = await runFixture('cluster-primary.mjs');
    expect(out.primary).toMatchObject({ name: 'CloneCheckError', code: 'MAP_BECOMES_OBJECT', channel: 'fork', at: '$.settings' });
    expect(out.primary.firstLine).toContain(`sent from ${siteIn('cluster-primary.mjs', 'primary')}`);
    expect(out.worker).toMatchObject({ name: 'CloneCheckError', code: 'BIGINT_NOT_JSON', channel: 'fork', at: '$.count', got: { ok: true } });
    expect(out.worker.firstLine).toContain(`sent from ${siteIn('cluster-worker.mjs', 'clusterWorker')}`);
  });
});

describe('--import clonecheck/register with the defaults: correct programs run, lossy sends fail', () => {
  it('a frozen workerData, a Buffer through worker.postMessage() and a Uint8Array over advanced IPC run unchanged', async () => {
    const { out, stderr } = await runFixture('correct-programs.mjs');
    expect(out).toEqual({
      installed: true,
      workerData: { todos: [{ id: 1, text: 'a', done: false }], filter: 'all' },
      buffer: { type: '[object Uint8Array]', length: 1024, isBuffer: false },
      pixels: { values: [1, 2, 3, 4], isUint8Array: true },
    });
    expect(stderr).not.toMatch(/CloneCheckError/);
    // Reshapes are reported, once per site, without failing the send.
    expect(stderr).toMatch(/INTEGRITY_LOST/);
    expect(stderr).toMatch(/BUFFER_BECOMES_UINT8ARRAY/);
    expect(stderr).toMatch(/VIEW_REBASED/);
  });

  it('a function in workerData, a class instance over fork and a Map over fork still fail, before the send', async () => {
    const { out } = await runFixture('failing-programs.mjs');
    expect(out).toEqual({
      functionInWorkerData: { name: 'CloneCheckError', code: 'FUNCTION_NOT_CLONEABLE', at: '$.job.onDone', channel: 'worker' },
      classOverFork: { name: 'CloneCheckError', code: 'PROTOTYPE_LOST', at: '$.customer', channel: 'fork' },
      mapOverFork: { name: 'CloneCheckError', code: 'MAP_BECOMES_OBJECT', at: '$.seen', channel: 'fork' },
    });
  });

  it('strict mode (CLONECHECK_STRICT=1) fails the reshapes too; CLONECHECK_IGNORE accepts them again', async () => {
    await expect(runFixture('correct-programs.mjs', { CLONECHECK_STRICT: '1' })).rejects.toThrow(
      /CloneCheckError: Not cloneable for worker at \$: .*\(INTEGRITY_LOST\)/,
    );
    const { out } = await runFixture('correct-programs.mjs', {
      CLONECHECK_STRICT: '1',
      CLONECHECK_IGNORE: 'INTEGRITY_LOST,BUFFER_BECOMES_UINT8ARRAY,$.**.pixels',
    });
    expect(out.pixels).toEqual({ values: [1, 2, 3, 4], isUint8Array: true });
  });
});

describe('a project that uses clonecheck/register', () => {
  /** A throwaway project with clonecheck installed from this repo's build (dist/ and package.json) and this repo's vitest. */
  function project(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'clonecheck-project-'));
    projects.push(dir);
    const installed = join(dir, 'node_modules', 'clonecheck');
    mkdirSync(installed, { recursive: true });
    cpSync(join(REPO, 'dist'), join(installed, 'dist'), { recursive: true });
    cpSync(join(REPO, 'package.json'), join(installed, 'package.json'));
    symlinkSync(join(REPO, 'node_modules', 'vitest'), join(dir, 'node_modules', 'vitest'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'demo', private: true, type: 'module' }));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return dir;
  }
  const projects: string[] = [];
  afterAll(() => {
    for (const dir of projects) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs `node <args>` in `dir` with NODE_OPTIONS="--import clonecheck/register"; never rejects. */
  async function run(dir: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '--import clonecheck/register', ...env };
    for (const key of Object.keys(childEnv)) if (key.startsWith('CLONECHECK_') && !(key in env)) delete childEnv[key];
    for (const key of ['VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID', 'VITEST_MODE', 'TEST', 'NODE_ENV']) delete childEnv[key];
    return new Promise((resolve) => {
      execFile(process.execPath, args, { cwd: dir, env: childEnv, timeout: 60_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? (((error as { code?: unknown }).code as number | null) ?? null) : 0, stdout, stderr });
      });
    });
  }

  const APP_TEST = `
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { expect, test } from 'vitest';
import { isInstalled } from 'clonecheck/guard';

test('the guard runs in the test process', () => {
  expect(isInstalled()).toBe(true);
});

test('a frozen workerData goes through', async () => {
  const w = new Worker('const t = require("node:worker_threads"); t.parentPort.postMessage(t.workerData)', { eval: true, workerData: Object.freeze({ a: Object.freeze([1, 2]) }) });
  const [got] = await once(w, 'message');
  await w.terminate();
  expect(got).toEqual({ a: [1, 2] });
});

test('a lossy send from the test itself is stopped', () => {
  expect(() => new Worker('0', { eval: true, workerData: { f() {} } })).toThrow(/FUNCTION_NOT_CLONEABLE/);
});
`;

  it.each(['forks', 'threads'])(
    'NODE_OPTIONS="--import clonecheck/register" vitest run completes and passes (pool: %s)',
    async (pool) => {
      const dir = project({ 'test/app.test.js': APP_TEST });
      const { code, stdout, stderr } = await run(dir, [join(REPO, 'node_modules', 'vitest', 'vitest.mjs'), 'run', `--pool=${pool}`]);
      expect({ code, stderr: stderr.match(/CloneCheckError.*|Error: .*/g) ?? [] }).toEqual({ code: 0, stderr: [] });
      expect(stripVTControlCharacters(stdout)).toMatch(/Tests +3 passed \(3\)/);
    },
    70_000,
  );

  const DEPENDENCY = {
    'node_modules/tiny-pool/package.json': JSON.stringify({ name: 'tiny-pool', type: 'module', exports: './index.js' }),
    // A dependency that sends its own bookkeeping (a Map) over JSON IPC.
    'node_modules/tiny-pool/index.js': `export function dispatch(child, job) { child.send({ job, seen: new Map([['a', 1]]) }); }`,
    'child.js': `process.on('message', (m) => { process.send(m); process.disconnect(); });`,
    'app.js': `
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { dispatch } from 'tiny-pool';
const child = fork(new URL('./child.js', import.meta.url));
let result;
try {
  dispatch(child, { id: 1 });
  const [echo] = await once(child, 'message');
  result = { delivered: echo };
} catch (e) {
  result = { name: e.name, code: e.code };
  child.kill();
}
console.log(JSON.stringify(result));
`,
  };

  it('leaves sends made from code under node_modules unchecked, unless CLONECHECK_NODE_MODULES=on', async () => {
    const dir = project(DEPENDENCY);
    const plain = await run(dir, ['app.js']);
    expect(plain.code).toBe(0);
    expect(JSON.parse(plain.stdout)).toEqual({ delivered: { job: { id: 1 }, seen: {} } });
    expect(plain.stderr).not.toMatch(/CloneCheck/);
    const checked = await run(dir, ['app.js'], { CLONECHECK_NODE_MODULES: 'on' });
    expect(JSON.parse(checked.stdout)).toEqual({ name: 'CloneCheckError', code: 'MAP_BECOMES_OBJECT' });
  }, 30_000);

  it('honours the config file: clonecheck.config.json and the "clonecheck" key of package.json, found upwards', async () => {
    const dir = project({ ...DEPENDENCY, 'clonecheck.config.json': JSON.stringify({ guard: { nodeModules: true } }) });
    expect(JSON.parse((await run(dir, ['app.js'])).stdout)).toEqual({ name: 'CloneCheckError', code: 'MAP_BECOMES_OBJECT' });
    // From a sub-directory, ignoring the code in the config.
    writeFileSync(join(dir, 'clonecheck.config.json'), JSON.stringify({ ignore: ['MAP_BECOMES_OBJECT'], guard: { nodeModules: true } }));
    mkdirSync(join(dir, 'sub'));
    const ignored = await run(join(dir, 'sub'), [join(dir, 'app.js')]);
    expect(JSON.parse(ignored.stdout)).toEqual({ delivered: { job: { id: 1 }, seen: {} } });
    expect(ignored.stderr).not.toMatch(/CloneCheck/);
    // The environment wins over the config file; CLONECHECK_CONFIG=off reads none.
    expect(JSON.parse((await run(dir, ['app.js'], { CLONECHECK_IGNORE: 'DATE_BECOMES_STRING' })).stdout)).toHaveProperty('delivered');
    expect(JSON.parse((await run(dir, ['app.js'], { CLONECHECK_CONFIG: 'off' })).stdout)).toHaveProperty('delivered');

    rmSync(join(dir, 'clonecheck.config.json'));
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'demo', private: true, type: 'module', clonecheck: { guard: { nodeModules: true, mode: 'warn' } } }),
    );
    const warned = await run(dir, ['app.js']);
    expect(JSON.parse(warned.stdout)).toEqual({ delivered: { job: { id: 1 }, seen: {} } });
    expect(warned.stderr).toMatch(/CloneCheckWarning: child\.send\(\) on the fork channel, sent from .*tiny-pool.index\.js:1:\d+: 1 problem/);

    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'demo', private: true, type: 'module', clonecheck: { guard: { mode: 'loud' } } }));
    const bad = await run(dir, ['app.js']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`clonecheck/register: ${join(dir, 'package.json')}: "clonecheck.guard.mode": expected "throw", "warn" or "off", got "loud"`);
  }, 60_000);

  it('a setting it does not know stops the program with one line naming it and exit code 2, without a stack; CLONECHECK_GUARD=off runs it', async () => {
    const dir = project({ 'app.js': `console.log('started');` });
    const NOT_STARTED = ' (the program was not started; CLONECHECK_GUARD=off runs it unguarded)\n';
    const cases: [Record<string, string>, string][] = [
      [{ CLONECHECK_GUARD: 'warm' }, 'CLONECHECK_GUARD="warm" is not valid; expected throw, warn or off'],
      [{ CLONECHECK_FAIL_ON: 'loud' }, 'CLONECHECK_FAIL_ON="loud" is not valid; expected throw, loss, reshape or note'],
      [{ CLONECHECK_IGNORE: 'MAP_BECOME_OBJECT' }, 'CLONECHECK_IGNORE: unknown code "MAP_BECOME_OBJECT" (did you mean "MAP_BECOMES_OBJECT"?)'],
    ];
    const runs = await Promise.all(cases.map(([env]) => run(dir, ['app.js'], env)));
    runs.forEach((r, i) => {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.startsWith(`clonecheck/register: ${cases[i]![1]}`)).toBe(true);
      expect(r.stderr.endsWith(NOT_STARTED)).toBe(true);
      expect(r.stderr.split('\n')).toHaveLength(2);
    });
    writeFileSync(join(dir, 'clonecheck.config.json'), JSON.stringify({ failOn: 'loud' }));
    const config = await run(dir, ['app.js']);
    expect(config).toEqual({
      code: 2,
      stdout: '',
      stderr: `clonecheck/register: ${join(dir, 'clonecheck.config.json')}: "failOn": unknown fail level "loud"; use one of 'throw', 'loss', 'reshape', 'note'${NOT_STARTED}`,
    });
    writeFileSync(join(dir, 'clonecheck.config.json'), '{ "failOn": ');
    const json = await run(dir, ['app.js']);
    expect(json.code).toBe(2);
    expect(json.stderr).toMatch(/^clonecheck\/register: \S+clonecheck\.config\.json: is not valid JSON: [^\n]+\(the program was not started; [^\n]+\)\n$/);
    // Off is off: neither the other variables nor the config file are read.
    expect(await run(dir, ['app.js'], { CLONECHECK_GUARD: 'off', CLONECHECK_FAIL_ON: 'loud' })).toEqual({ code: 0, stdout: 'started\n', stderr: '' });
  }, 60_000);

  it('a guarded send that fails in a callback: Node prints the error and a stack that starts at the user\u2019s line, not a line of clonecheck', async () => {
    const dir = project({
      'timer.js': [
        `import { Worker } from 'node:worker_threads';`,
        `setTimeout(() => {`,
        `  new Worker('0', { eval: true, workerData: { job: { onDone() {} } } });`,
        `}, 1);`,
      ].join('\n'),
      'handler.js': [
        `import { EventEmitter } from 'node:events';`,
        `import { MessageChannel } from 'node:worker_threads';`,
        `const { port1 } = new MessageChannel();`,
        `const jobs = new EventEmitter();`,
        `jobs.on('job', (job) => port1.postMessage({ job, done() {} }));`,
        `setImmediate(() => jobs.emit('job', { id: 1 }));`,
      ].join('\n'),
    });
    const [timer, handler] = await Promise.all([run(dir, ['timer.js']), run(dir, ['handler.js'])]);
    for (const [r, file, line, code] of [
      [timer, 'timer.js', 3, 'FUNCTION_NOT_CLONEABLE'],
      [handler, 'handler.js', 5, 'FUNCTION_NOT_CLONEABLE'],
    ] as const) {
      expect(r.code).toBe(1);
      const lines = r.stderr.split('\n');
      // Node's banner (the source line of the throw, with a caret) is left out; the error comes first.
      expect(lines[0]).toMatch(new RegExp(`^CloneCheckError: Not cloneable for worker at \\$\\S*: .*\\(${code}\\), sent from \\S*${file}:${line}:\\d+$`));
      expect(r.stderr).not.toMatch(/clonecheck[\\/]dist/);
      expect(lines.find((l) => l.startsWith('    at '))).toMatch(new RegExp(`${file}:${line}:\\d+\\)$`));
    }
  }, 60_000);
});
