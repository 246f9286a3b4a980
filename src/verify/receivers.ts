/**
 * The receivers behind `roundTrip()` and `inspectArrival()`: a real Worker (`worker`), real forked
 * children with each serialization (`fork`, `fork-advanced`), and the in-process `json` and `v8`.
 *
 * One Worker and one forked child per channel are started on first use and reused; calls on one
 * channel run one at a time. They are unref()'ed while idle, so a process (or a test runner) exits
 * on its own even if `closeRoundTrip()` is never called.
 *
 * A new channel gets its receiver in `receiverFor()`: a real thread or process where the channel
 * crosses one, or an in-process round trip through the serializer it uses. The corpus and property
 * suites then send through it, as they take every id of `ALL_CHANNELS`.
 */
import { Worker } from 'node:worker_threads';
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { types } from 'node:util';
import * as v8 from 'node:v8';
import { answer, plainError, type ReceiverMode, type ReceiverReply } from './reply.js';
import type { Channel } from '../types.js';

/** What an error looked like, read without running its code. */
export interface ErrorInfo {
  readonly name: string;
  readonly message: string;
  /** `err.code`: a Node error code (`'ERR_MISSING_ARGS'`), or a DOMException's number. */
  readonly code?: string | number;
}

const DOMException_prototype = (globalThis as { DOMException?: { prototype: object } }).DOMException?.prototype;

/** name / message / code of a thrown value, read from data properties only (and DOMException's own getters). */
export function errorInfo(e: unknown): ErrorInfo {
  if ((typeof e !== 'object' && typeof e !== 'function') || e === null) {
    return { name: typeof e, message: typeof e === 'string' ? e : typeof e === 'symbol' ? e.toString() : String(e) };
  }
  const read = (key: string): unknown => {
    for (let o: object | null = e; o !== null; o = Object.getPrototypeOf(o) as object | null) {
      if (types.isProxy(o)) return undefined;
      const d = Object.getOwnPropertyDescriptor(o, key);
      if (d === undefined) continue;
      if (Object.hasOwn(d, 'value')) return d.value;
      return o === DOMException_prototype && d.get ? Reflect.apply(d.get, e, []) : undefined;
    }
    return undefined;
  };
  const name = read('name');
  const message = read('message');
  const code = read('code');
  const info: { name: string; message: string; code?: string | number } = {
    name: typeof name === 'string' ? name : 'Error',
    message: typeof message === 'string' ? message : '',
  };
  if (typeof code === 'string' || typeof code === 'number') info.code = code;
  return info;
}

// ---------------------------------------------------------------------------------------------
// Locating the receiver
// ---------------------------------------------------------------------------------------------

let receiverPath: string | undefined;

/**
 * The compiled receiver. In the published package it sits next to this module
 * (`dist/verify/receiver.js`). When this module runs from `src/verify/*.ts` (tests through vitest),
 * there is no `.js` next to it, so the built one in `dist/verify/` is used (`npm test` builds first).
 */
function receiverFile(): string {
  if (receiverPath !== undefined) return receiverPath;
  const here = new URL('./receiver.js', import.meta.url);
  const built = new URL('../../dist/verify/receiver.js', import.meta.url);
  for (const candidate of [here, built]) {
    const path = fileURLToPath(candidate);
    if (!existsSync(path)) continue;
    if (candidate === built) warnIfStale();
    receiverPath = path;
    return path;
  }
  throw new Error(
    `clonecheck: the round-trip receiver was not found at ${fileURLToPath(here)} or ${fileURLToPath(built)}; build the package first (npm run build)`,
  );
}

function warnIfStale(): void {
  try {
    const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
    const src = fileURLToPath(new URL('../', import.meta.url));
    for (const name of ['verify/receiver', 'verify/reply', 'verify/describe', 'verify/prototypes', 'realm/intrinsics']) {
      const s = `${src}${name}.ts`;
      const d = `${dist}${name}.js`;
      if (existsSync(s) && (!existsSync(d) || statSync(d).mtimeMs < statSync(s).mtimeMs)) {
        process.emitWarning(`${d} is older than ${s}: the round-trip receiver runs stale code (npm run build)`, 'CloneCheckWarning');
        return;
      }
    }
  } catch {
    /* only a warning */
  }
}

// ---------------------------------------------------------------------------------------------
// Receivers
// ---------------------------------------------------------------------------------------------

export type Outcome =
  | { readonly kind: 'reply'; readonly reply: ReceiverReply }
  | { readonly kind: 'threw'; readonly error: unknown }
  | { readonly kind: 'crashed'; readonly error: ErrorInfo };

export interface Receiver {
  /** Sends synchronously (so a send error is the sender's), then waits for the reply. */
  request(mode: ReceiverMode, value: unknown, beforeSend: () => void): Promise<Outcome>;
  close(): Promise<void>;
}

interface Waiting {
  readonly seq: number;
  readonly resolve: (o: Outcome) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * How long a receiver may take to answer one message. A receiver that hangs (a deserializer stuck on
 * a value) is stopped and restarted, and the send counts as one that crashed it.
 */
export const REPLY_TIMEOUT_MS = 15_000;

function deadline(onExpire: () => void): NodeJS.Timeout {
  const timer = setTimeout(onExpire, REPLY_TIMEOUT_MS);
  timer.unref();
  return timer;
}

const TIMED_OUT: ErrorInfo = { name: 'Error', message: `the receiver did not answer within ${REPLY_TIMEOUT_MS / 1000} s` };

class WorkerReceiver implements Receiver {
  private worker: Worker | undefined;
  private waiting: Waiting | undefined;
  private seq = 0;

  private spawn(): Worker {
    if (this.worker !== undefined) return this.worker;
    const worker = new Worker(receiverFile(), { execArgv: [] });
    worker.unref();
    worker.on('message', (reply: ReceiverReply) => this.settle(reply.seq, { kind: 'reply', reply }));
    worker.on('error', (e: unknown) => this.crash(worker, errorInfo(e)));
    worker.on('exit', (code) => this.crash(worker, { name: 'Error', message: `the worker exited with code ${code}` }));
    this.worker = worker;
    return worker;
  }

  private settle(seq: number, outcome: Outcome): void {
    const w = this.waiting;
    if (w === undefined || w.seq !== seq) return;
    this.waiting = undefined;
    clearTimeout(w.timer);
    this.worker?.unref();
    w.resolve(outcome);
  }

  private crash(worker: Worker, error: ErrorInfo): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    if (this.waiting !== undefined) this.settle(this.waiting.seq, { kind: 'crashed', error });
  }

  request(mode: ReceiverMode, value: unknown, beforeSend: () => void): Promise<Outcome> {
    const worker = this.spawn();
    const seq = ++this.seq;
    return new Promise<Outcome>((resolve) => {
      const timer = deadline(() => {
        this.crash(worker, TIMED_OUT);
        void worker.terminate();
      });
      this.waiting = { seq, resolve, timer };
      worker.ref();
      try {
        beforeSend();
        worker.postMessage({ seq, mode, value });
      } catch (error) {
        this.settle(seq, { kind: 'threw', error });
      }
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (this.waiting !== undefined) this.settle(this.waiting.seq, { kind: 'crashed', error: { name: 'Error', message: 'closeRoundTrip() was called' } });
    if (worker === undefined) return;
    worker.ref(); // so that awaiting the close keeps the process alive until it is done
    await worker.terminate();
  }
}

class ChildReceiver implements Receiver {
  private child: ChildProcess | undefined;
  private waiting: Waiting | undefined;
  private seq = 0;
  private readonly nonce = `__clonecheck_${randomBytes(8).toString('hex')}`;
  private stderr = '';

  constructor(private readonly serialization: 'json' | 'advanced') {}

  private spawn(): ChildProcess {
    if (this.child !== undefined && this.child.connected) return this.child;
    this.stderr = '';
    const child = fork(receiverFile(), [this.nonce], {
      serialization: this.serialization,
      execArgv: [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    child.on('message', (msg: unknown) => {
      if (msg === null || typeof msg !== 'object' || !Object.hasOwn(msg, this.nonce)) return;
      const reply = (msg as Record<string, ReceiverReply>)[this.nonce]!;
      this.settle(reply.seq, { kind: 'reply', reply });
    });
    child.on('error', (e) => this.crash(child, errorInfo(e)));
    child.on('exit', (code, signal) => {
      // Node prints an uncaught error as a source excerpt, then `Name: message`, then the stack.
      const lines = this.stderr.split('\n').map((l) => l.trim());
      const thrown = lines.find((l) => /^(?:[A-Z]\w*)?(?:Error|Exception)\b/.test(l)) ?? lines.filter(Boolean).at(-1);
      const message = `the child process exited (code ${code}, signal ${signal})${thrown ? `: ${thrown}` : ''}`;
      this.crash(child, { name: 'Error', message });
    });
    this.child = child;
    this.idle(child);
    return child;
  }

  /** Lets the process exit while nothing is being waited for. */
  private idle(child: ChildProcess): void {
    child.unref();
    (child.channel as { unref?: () => void } | null | undefined)?.unref?.();
    (child.stderr as { unref?: () => void } | null)?.unref?.();
  }

  private busy(child: ChildProcess): void {
    child.ref();
    (child.channel as { ref?: () => void } | null | undefined)?.ref?.();
    (child.stderr as { ref?: () => void } | null)?.ref?.();
  }

  private settle(seq: number, outcome: Outcome): void {
    const w = this.waiting;
    if (w === undefined || w.seq !== seq) return;
    this.waiting = undefined;
    clearTimeout(w.timer);
    if (this.child !== undefined) this.idle(this.child);
    w.resolve(outcome);
  }

  private crash(child: ChildProcess, error: ErrorInfo): void {
    if (this.child !== child) return;
    this.child = undefined;
    if (this.waiting !== undefined) this.settle(this.waiting.seq, { kind: 'crashed', error });
  }

  request(mode: ReceiverMode, value: unknown, beforeSend: () => void): Promise<Outcome> {
    const child = this.spawn();
    const seq = ++this.seq;
    return new Promise<Outcome>((resolve) => {
      const timer = deadline(() => {
        this.crash(child, TIMED_OUT);
        child.kill('SIGKILL');
      });
      this.waiting = { seq, resolve, timer };
      this.busy(child);
      const onAsyncError = (e: Error | null): void => {
        if (e) this.settle(seq, { kind: 'threw', error: e });
      };
      try {
        beforeSend();
        // The value goes alone, so that send()'s rules for the top-level message apply to it.
        child.send(value as never, onAsyncError);
      } catch (error) {
        this.settle(seq, { kind: 'threw', error });
        return;
      }
      // The trailer: it arrives right after the value, or alone when IPC swallowed the value.
      child.send({ [this.nonce]: { seq, mode } }, onAsyncError);
    });
  }

  async close(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (this.waiting !== undefined) this.settle(this.waiting.seq, { kind: 'crashed', error: { name: 'Error', message: 'closeRoundTrip() was called' } });
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      this.busy(child); // so that awaiting the close keeps the process alive until it is done
      if (child.connected) child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      timer.unref();
    });
  }
}

/**
 * `json` and `v8` have no second thread or process: the value is serialized and parsed again right
 * here, by the same functions that job queues (`JSON`) and caches (`v8.serialize`) call.
 * `JSON.stringify()` returning `undefined` (a top-level `undefined`, function or symbol) sends
 * nothing, without an error; a `v8.deserialize()` that fails is a message that can't be read.
 */
class InProcessReceiver implements Receiver {
  constructor(private readonly format: 'json' | 'v8') {}

  request(mode: ReceiverMode, value: unknown, beforeSend: () => void): Promise<Outcome> {
    let wire: string | Buffer | undefined;
    try {
      beforeSend();
      wire = this.format === 'json' ? (JSON.stringify(value) as string | undefined) : v8.serialize(value);
    } catch (error) {
      return Promise.resolve({ kind: 'threw', error });
    }
    if (wire === undefined) return Promise.resolve({ kind: 'reply', reply: { seq: 0, kind: 'lost' } });
    let arrived: unknown;
    try {
      arrived = typeof wire === 'string' ? JSON.parse(wire) : v8.deserialize(wire);
    } catch (e) {
      return Promise.resolve({ kind: 'reply', reply: { seq: 0, kind: 'messageerror', error: plainError(e) } });
    }
    try {
      return Promise.resolve({ kind: 'reply', reply: answer(0, mode, arrived) });
    } catch (e) {
      return Promise.resolve({ kind: 'reply', reply: { seq: 0, kind: 'reply-failed', error: plainError(e) } });
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

const receivers = new Map<Channel, Receiver>();
const queues = new Map<Channel, Promise<unknown>>();

export function receiverFor(channel: Channel): Receiver {
  let r = receivers.get(channel);
  if (r === undefined) {
    switch (channel) {
      case 'worker':
        r = new WorkerReceiver();
        break;
      case 'fork':
        r = new ChildReceiver('json');
        break;
      case 'fork-advanced':
        r = new ChildReceiver('advanced');
        break;
      case 'json':
      case 'v8':
        r = new InProcessReceiver(channel);
        break;
      default:
        throw new TypeError(`clonecheck: unknown channel ${JSON.stringify(channel)}`);
    }
    receivers.set(channel, r);
  }
  return r;
}

/** Runs `task` after every earlier call on this channel has finished. */
export function enqueue<T>(channel: Channel, task: () => Promise<T>): Promise<T> {
  const run = (queues.get(channel) ?? Promise.resolve()).then(task, task);
  queues.set(
    channel,
    run.catch(() => undefined),
  );
  return run;
}

/** Stops the receivers (they are restarted by the next call). */
export async function closeReceivers(): Promise<void> {
  const all = [...receivers.values()];
  receivers.clear();
  queues.clear();
  await Promise.all(all.map((r) => r.close()));
}
