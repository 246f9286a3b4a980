/**
 * Real sends, for ground truth: `roundTrip()` sends a value through a real channel and resolves
 * with what comes back; `inspectArrival()` sends it and resolves with a description of what the
 * receiver got (see `./describe.js`), taken on the receiver's side.
 *
 * One Worker and one forked child per channel are started on first use and reused; calls on one
 * channel run one at a time. The receivers are unref()'ed while idle, so a process (or a test
 * runner) exits on its own even if `closeRoundTrip()` is never called.
 */
import { Worker } from 'node:worker_threads';
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { types } from 'node:util';
import { describe } from './describe.js';
import type { Description } from './description.js';
import type { ReceiverMode, ReceiverReply } from './receiver.js';
import type { Channel } from '../types.js';

/** What an error looked like, read without running its code. */
export interface ErrorInfo {
  readonly name: string;
  readonly message: string;
  /** `err.code`: a Node error code (`'ERR_MISSING_ARGS'`), or a DOMException's number. */
  readonly code?: string | number;
}

/** What a real send of a value did, and what arrived. `sent` is the sender's description, taken right before the send. */
export type Arrival =
  | { readonly outcome: 'arrived'; readonly threw: false; readonly sent: Description; readonly description: Description }
  | { readonly outcome: 'threw'; readonly threw: true; readonly sent: Description; readonly error: ErrorInfo }
  | { readonly outcome: 'swallowed'; readonly threw: false; readonly swallowed: true; readonly sent: Description }
  | {
      readonly outcome: 'crashed';
      readonly threw: false;
      readonly crashed: true;
      readonly sent: Description;
      /** Why nothing usable arrived: the receiver died, or could not deserialize the message (`messageerror`). */
      readonly reason: 'exit' | 'messageerror';
      readonly error?: ErrorInfo;
    };

/** Why `roundTrip()` did not resolve with a value. */
export class RoundTripError extends Error {
  override readonly name = 'RoundTripError';
  constructor(
    message: string,
    readonly channel: Channel,
    readonly reason: 'threw' | 'swallowed' | 'crashed' | 'messageerror' | 'reply-failed',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
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
    for (const name of ['verify/receiver', 'verify/describe', 'verify/prototypes', 'path']) {
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

type Outcome =
  | { readonly kind: 'reply'; readonly reply: ReceiverReply }
  | { readonly kind: 'threw'; readonly error: unknown }
  | { readonly kind: 'crashed'; readonly error: ErrorInfo };

interface Receiver {
  /** Sends synchronously (so a send error is the sender's), then waits for the reply. */
  request(mode: ReceiverMode, value: unknown, beforeSend: () => void): Promise<Outcome>;
  close(): Promise<void>;
}

interface Waiting {
  readonly seq: number;
  readonly resolve: (o: Outcome) => void;
}

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
      this.waiting = { seq, resolve };
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
      this.waiting = { seq, resolve };
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

const receivers = new Map<Channel, Receiver>();
const queues = new Map<Channel, Promise<unknown>>();

function receiverFor(channel: Channel): Receiver {
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
      default:
        throw new TypeError(`clonecheck: unknown channel ${JSON.stringify(channel)}`);
    }
    receivers.set(channel, r);
  }
  return r;
}

/** Runs `task` after every earlier call on this channel has finished. */
function enqueue<T>(channel: Channel, task: () => Promise<T>): Promise<T> {
  const run = (queues.get(channel) ?? Promise.resolve()).then(task, task);
  queues.set(channel, run.catch(() => undefined));
  return run;
}

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

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

function describeFailure(channel: Channel, outcome: Exclude<Outcome, { kind: 'reply' }>): RoundTripError {
  if (outcome.kind === 'threw') {
    const { name, message } = errorInfo(outcome.error);
    return new RoundTripError(`${channel}: the send threw ${name}: ${message}`, channel, 'threw', { cause: outcome.error });
  }
  return new RoundTripError(`${channel}: nothing arrived, the receiver crashed: ${outcome.error.message}`, channel, 'crashed');
}

/**
 * Sends `value` through a real channel and resolves with what the receiver sent back.
 *
 * - `worker`: a real `Worker`, by `postMessage`.
 * - `fork`: a real forked Node child with `serialization: 'json'`, by `child.send`.
 * - `fork-advanced`: the same with `serialization: 'advanced'`.
 *
 * The way back is itself a send through the same channel. In practice it is lossless for what the
 * first trip produces (JSON data is JSON again; what the structured clone and V8 deserializers
 * create they serialize again), except that typed arrays received through `fork-advanced` sit in a
 * larger IPC buffer; use `inspectArrival()` to see exactly what arrived.
 *
 * Rejects with a `RoundTripError`: `reason: 'threw'` when the send throws (the sender's error is
 * `cause`), `'swallowed'` when nothing arrives (child_process IPC takes an object whose `cmd`
 * starts with `NODE_` as its own), `'crashed'` when the receiver dies (it is restarted on the next
 * call), `'messageerror'` when the worker can't deserialize the message.
 *
 * @example await roundTrip(new Map([[1, 2]]), 'fork') // {}
 */
export function roundTrip(value: unknown, channel: Channel): Promise<unknown> {
  const receiver = receiverFor(channel);
  return enqueue(channel, async () => {
    const outcome = await receiver.request('echo', value, () => undefined);
    if (outcome.kind !== 'reply') throw describeFailure(channel, outcome);
    const { reply } = outcome;
    switch (reply.kind) {
      case 'value':
        return reply.value;
      case 'swallowed':
        throw new RoundTripError(
          `${channel}: nothing arrived: child_process IPC took the message as one of its own (an object whose cmd starts with "NODE_")`,
          channel,
          'swallowed',
        );
      case 'messageerror':
        throw new RoundTripError(`${channel}: the receiver could not deserialize the message: ${reply.error.message}`, channel, 'messageerror');
      default:
        throw new RoundTripError(`${channel}: the receiver could not send the value back: ${'error' in reply ? reply.error.message : reply.kind}`, channel, 'reply-failed');
    }
  });
}

/**
 * Sends `value` through a real channel; the receiver describes what it got (`describe()` from
 * `./describe.js`) and sends the description back as a JSON string, which every channel carries
 * unchanged. The sender's description is taken synchronously right before the send. Compare the
 * two with `diffDescriptions(arrival.sent, arrival.description)`.
 */
export function inspectArrival(value: unknown, channel: Channel): Promise<Arrival> {
  const receiver = receiverFor(channel);
  return enqueue(channel, async (): Promise<Arrival> => {
    let sent: Description | undefined;
    const outcome = await receiver.request('inspect', value, () => {
      sent = describe(value);
    });
    if (sent === undefined) sent = describe(value); // the receiver could not even be reached
    if (outcome.kind === 'threw') return { outcome: 'threw', threw: true, sent, error: errorInfo(outcome.error) };
    if (outcome.kind === 'crashed') return { outcome: 'crashed', threw: false, crashed: true, sent, reason: 'exit', error: outcome.error };
    const { reply } = outcome;
    switch (reply.kind) {
      case 'json':
        return { outcome: 'arrived', threw: false, sent, description: JSON.parse(reply.json) as Description };
      case 'swallowed':
        return { outcome: 'swallowed', threw: false, swallowed: true, sent };
      case 'messageerror':
        return { outcome: 'crashed', threw: false, crashed: true, sent, reason: 'messageerror', error: reply.error };
      default:
        return { outcome: 'crashed', threw: false, crashed: true, sent, reason: 'exit', error: 'error' in reply ? reply.error : { name: 'Error', message: reply.kind } };
    }
  });
}

/** Stops the receivers (they are restarted by the next call). */
export async function closeRoundTrip(): Promise<void> {
  const all = [...receivers.values()];
  receivers.clear();
  queues.clear();
  await Promise.all(all.map((r) => r.close()));
}

export { closeRoundTrip as close };
