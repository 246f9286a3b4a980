// The explicit, patch-free helpers: a checked Worker, fork(), send() and postMessage(). They are
// called on purpose, so they always check and throw (with an installed guard's fail level, ignores
// and target).
import childProcess, { type ChildProcess, type ForkOptions, type MessageOptions, type SendHandle } from 'node:child_process';
import workerThreads, { type TransferListItem, type WorkerOptions } from 'node:worker_threads';
import { guardSend } from './judge.js';
import { NodeWorker, wrapIpcSend } from './patches.js';
import { describeBroadcastPost, describeIpcSend, describePortPost, describeWorkerData, describeWorkerPost, recordIpcChannel } from './sends.js';
import { guardState, helperPolicy } from './state.js';

/** Something with an IPC channel: a forked `ChildProcess`, or `process` in a forked child. */
export type IpcTarget = ChildProcess | NodeJS.Process;
export type PostTarget = workerThreads.MessagePort | workerThreads.Worker | workerThreads.BroadcastChannel;
type SendCallback = (error: Error | null) => void;

const NodeBroadcastChannel = workerThreads.BroadcastChannel;
const nodeFork = childProcess.fork;

/**
 * `Worker` from `node:worker_threads`, checked: the constructor checks `workerData` (with its
 * `transferList`) before the thread is created, and `postMessage` checks each message. A failing
 * value throws a `CloneCheckError` that names the path and the call site.
 *
 * @example
 * new Worker('./job.js', { workerData: { job: { onDone() {} } } })
 * // CloneCheckError: Not cloneable for worker at $.job.onDone: A method (onDone) cannot be copied by structured clone, ...
 */
export class Worker extends NodeWorker {
  constructor(filename: string | URL, options?: WorkerOptions) {
    guardSend(helperPolicy(), describeWorkerData, undefined, [filename, options], Worker, true);
    guardState.depth++;
    try {
      super(filename, options);
    } finally {
      guardState.depth--;
    }
  }

  override postMessage(value: unknown, transferList?: readonly TransferListItem[]): void {
    guardSend(helperPolicy(), describeWorkerPost, this, [value, transferList], checkedWorkerPostMessage, true);
    guardState.depth++;
    try {
      super.postMessage(value, transferList);
    } finally {
      guardState.depth--;
    }
  }
}
const checkedWorkerPostMessage = Worker.prototype.postMessage;

/**
 * `child_process.fork()`, checked: every `child.send()` of the returned child is judged by the
 * child's own serialization (`'json'`, the default, or `'advanced'`).
 */
export function fork(modulePath: string | URL, options?: ForkOptions): ChildProcess;
export function fork(modulePath: string | URL, args?: readonly string[], options?: ForkOptions): ChildProcess;
export function fork(modulePath: string | URL, args?: readonly string[] | ForkOptions, options?: ForkOptions): ChildProcess {
  const opts = Array.isArray(args) ? options : ((args as ForkOptions | undefined) ?? options);
  let child: ChildProcess;
  guardState.depth++; // an installed guard does not wrap this child too
  try {
    child = Reflect.apply(nodeFork, childProcess, [modulePath, args, options]) as ChildProcess;
  } finally {
    guardState.depth--;
  }
  recordIpcChannel(child, opts?.serialization);
  wrapIpcSend(child, true);
  return child;
}

/**
 * `target.send(message, ...)`, checked by the target's serialization: `target` is a forked
 * `ChildProcess` or, in a forked child, `process`. Returns what `send` returns.
 */
export function send(target: IpcTarget, message: unknown, callback?: SendCallback): boolean;
export function send(target: IpcTarget, message: unknown, sendHandle?: SendHandle, callback?: SendCallback): boolean;
export function send(target: IpcTarget, message: unknown, sendHandle?: SendHandle, options?: MessageOptions, callback?: SendCallback): boolean;
export function send(target: IpcTarget, message: unknown, ...rest: unknown[]): boolean {
  const method = (target as { send?: unknown }).send;
  if (typeof method !== 'function') {
    throw new TypeError('clonecheck: send(): the target has no IPC channel (it was not forked, or spawned without "ipc" in stdio)');
  }
  guardSend(helperPolicy(), describeIpcSend, target, [message], send, true);
  guardState.depth++;
  try {
    return Reflect.apply(method, target, [message, ...rest]) as boolean;
  } finally {
    guardState.depth--;
  }
}

/**
 * `target.postMessage(value, transfer)`, checked as structured clone with that transfer list:
 * `target` is a `MessagePort` (so `parentPort` too), a `Worker` or a `BroadcastChannel`.
 */
export function postMessage(target: PostTarget, value: unknown, transfer?: readonly TransferListItem[] | { transfer?: readonly TransferListItem[] }): void {
  const describe = target instanceof NodeBroadcastChannel ? describeBroadcastPost : target instanceof NodeWorker ? describeWorkerPost : describePortPost;
  guardSend(helperPolicy(), describe, target, [value, transfer], postMessage, true);
  guardState.depth++;
  try {
    Reflect.apply(target.postMessage, target, transfer === undefined ? [value] : [value, transfer]);
  } finally {
    guardState.depth--;
  }
}
