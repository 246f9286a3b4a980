// A send the guard lets through (a library's, under node_modules; a site already checked with
// `once`; a channel the policy leaves out) that Node then refuses: Node's own error, the same object
// and class, with clonecheck's paths and rules added to its message and stack.
import { fork as nodeFork } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { install, uninstall } from '../src/guard.js';
import type { Finding } from '../src/types.js';

const dir = mkdtempSync(join(tmpdir(), 'clonecheck-explain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => uninstall());

/** A dependency that posts what it is given: its sends are a library's, which the guard lets through. */
mkdirSync(join(dir, 'node_modules', 'tiny-pool'), { recursive: true });
writeFileSync(
  join(dir, 'node_modules', 'tiny-pool', 'index.mjs'),
  ['export function post(port, task) { port.postMessage({ task, id: 1 }); }', 'export function send(child, task) { child.send({ task, id: 1 }); }', ''].join(
    '\n',
  ),
);
const pool = (await import(pathToFileURL(join(dir, 'node_modules', 'tiny-pool', 'index.mjs')).href)) as {
  post(port: import('node:worker_threads').MessagePort, task: unknown): void;
  send(child: { send(m: unknown): unknown }, task: unknown): void;
};

/** What the call throws (fails the test when it does not). */
function thrown(fn: () => void): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to throw');
}

/** The same call with the guard uninstalled: Node's own error. */
function unguarded(fn: () => void): Error {
  uninstall();
  return thrown(fn);
}

describe("a library's send that Node refuses", () => {
  it('keeps the DataCloneError, with the path and the rule added to its message and stack', () => {
    const { port1, port2 } = new MessageChannel();
    const task = { job: { id: 7, onDone: () => 1 } };
    const bare = unguarded(() => pool.post(port1, task));
    install();
    const error = thrown(() => pool.post(port1, task));
    expect(error.name).toBe('DataCloneError');
    expect(error).toBeInstanceOf(DOMException);
    expect(error.constructor).toBe(bare.constructor);
    expect(error.message.startsWith(`${bare.message}\n\nclonecheck: Not cloneable for worker at $.task.job.onDone: `)).toBe(true);
    expect(error.message).toContain('(FUNCTION_NOT_CLONEABLE)');
    expect(error.stack).toContain(`${error.name}: ${error.message}\n    at `);
    expect(error.stack!.split(bare.message).length).toBe(2); // said once
    const findings = (error as Error & { findings: readonly Finding[] }).findings;
    expect(findings.map((f) => [f.code, f.at])).toEqual([['FUNCTION_NOT_CLONEABLE', '$.task.job.onDone']]);
    expect(Object.keys(error)).not.toContain('findings');
    port1.close();
    port2.close();
  });

  it('lets through, untouched, what Node sends (a loss is not a throw: the guard does not judge a library)', async () => {
    const { port1, port2 } = new MessageChannel();
    install();
    class Job {
      constructor(readonly id: number) {}
      run(): number {
        return this.id;
      }
    }
    pool.post(port1, new Job(3));
    const [message] = (await once(port2, 'message')) as [{ task: unknown }];
    expect(message.task).toEqual({ id: 3 });
    port1.close();
    port2.close();
  });

  it("adds nothing where clonecheck finds no throw on that channel (the message is Node's alone)", () => {
    const { port1, port2 } = new MessageChannel();
    // A port that lists itself in its transfer list: Node refuses the send for a reason that is not
    // in the value, and its error goes on exactly as Node made it.
    const bare = unguarded(() => port1.postMessage({ a: 1 }, [port1]));
    install();
    const error = thrown(() => port1.postMessage({ a: 1 }, [port1]));
    expect(error.message).toBe(bare.message);
    expect(error).not.toHaveProperty('findings');
    port1.close();
    port2.close();
  });

  it("leaves alone an error the user's own code threw during the send (a getter), though the value also holds a function", () => {
    const { port1, port2 } = new MessageChannel();
    const mine = new RangeError('no stock');
    const task = {
      get stock(): number {
        throw mine;
      },
      onDone: () => 1,
    };
    // Node runs the getter, which throws before the function is met: the error is the user's.
    expect(unguarded(() => pool.post(port1, task))).toBe(mine);
    install();
    expect(thrown(() => pool.post(port1, task))).toBe(mine);
    expect(mine.message).toBe('no stock');
    expect(Object.getOwnPropertyNames(mine)).not.toContain('findings');
    port1.close();
    port2.close();
  });

  it('explains the JSON channel too: a circular task over child.send()', async () => {
    const child = nodeFork('-e', ['process.on("message", () => {})'], { stdio: 'ignore', execArgv: [] });
    try {
      const task: Record<string, unknown> = { id: 1 };
      task.self = task;
      const bare = unguarded(() => pool.send(child, task));
      install();
      // The guard wraps the send of children spawned while installed: a child made before keeps Node's.
      const guardedChild = nodeFork('-e', ['process.on("message", () => {})'], { stdio: 'ignore', execArgv: [] });
      try {
        const error = thrown(() => pool.send(guardedChild, task));
        expect(error).toBeInstanceOf(TypeError);
        expect(error.message.startsWith(`${bare.message}\n\nclonecheck: Not cloneable for fork at $.task.self: `)).toBe(true);
      } finally {
        guardedChild.kill();
      }
    } finally {
      child.kill();
    }
  });
});

describe('a user send the guard passed over', () => {
  it("once: 'site' checks a site once; when that site later sends what Node refuses, the error says why", () => {
    const { port1, port2 } = new MessageChannel();
    install({ once: 'site' });
    const sendFrom = (value: unknown): void => port1.postMessage(value);
    // A first send that takes a full check (a Date is beyond the guard's quick proof) marks the site.
    sendFrom({ at: new Date(0) });
    const error = thrown(() => sendFrom({ at: new Date(0), later: () => 2 }));
    expect(error.name).toBe('DataCloneError');
    expect(error.message).toMatch(/\n\nclonecheck: Not cloneable for worker at \$\.later: .*\(FUNCTION_NOT_CLONEABLE\)/);
    port1.close();
    port2.close();
  });

  it('a CloneCheckError from the guard itself is not explained again', () => {
    const { port1, port2 } = new MessageChannel();
    install();
    const error = thrown(() => port1.postMessage({ f: () => 1 }));
    expect(error.name).toBe('CloneCheckError');
    expect(error.message).not.toContain('clonecheck: ');
    port1.close();
    port2.close();
  });
});
