// install()'s patches: Node's send methods replaced by checked ones, and put back by uninstall().
import childProcess, { type ChildProcess } from 'node:child_process';
import cluster from 'node:cluster';
import { syncBuiltinESMExports } from 'node:module';
import workerThreads from 'node:worker_threads';
import { explainRefusal } from './explain.js';
import { guardSend } from './judge.js';
import {
  describeBroadcastPost,
  describeClusterSend,
  describeIpcSend,
  describePortPost,
  describeWorkerData,
  describeWorkerPost,
  recordIpcChannel,
  type Describe,
} from './sends.js';
import { guardState, helperPolicy } from './state.js';

// Node's own functions, taken before anything is patched.
export const NodeWorker = workerThreads.Worker;
const { MessagePort, BroadcastChannel: NodeBroadcastChannel } = workerThreads;

interface Patch {
  readonly target: object;
  readonly key: PropertyKey;
  readonly original: PropertyDescriptor | undefined;
  readonly replacement: unknown;
}

const patches: Patch[] = [];
/** The IPC targets whose `send` install() wrapped; held weakly, restored by uninstall(). */
const wrappedTargets = new Set<WeakRef<object>>();
/** Each of our `send` wrappers, to Node's own function it calls. */
const sendOriginals = new WeakMap<Function, Function>();

function patch(target: object, key: PropertyKey, replacement: unknown): void {
  const original = Object.getOwnPropertyDescriptor(target, key);
  Object.defineProperty(target, key, {
    value: replacement,
    writable: original?.writable ?? true,
    enumerable: original?.enumerable ?? false,
    configurable: true,
  });
  patches.push({ target, key, original, replacement });
}

/** Our version of a method: checks when installed and not nested, then calls Node's own. */
function guardedMethod(original: Function, describe: Describe): Function {
  // `arguments` rather than rest parameters, and a bare call when nested (Node's Worker#postMessage
  // calls MessagePort#postMessage): the wrapper runs on every message, so it allocates nothing.
  const guarded = function (this: unknown): unknown {
    const policy = guardState.installed;
    if (guardState.depth > 0 || policy === undefined) return Reflect.apply(original, this, arguments);
    guardSend(policy, describe, this, arguments as unknown as readonly unknown[], guarded, false);
    guardState.depth++;
    try {
      return Reflect.apply(original, this, arguments);
    } catch (error) {
      explainRefusal(error, policy, describe, this, arguments as unknown as readonly unknown[]);
      throw error;
    } finally {
      guardState.depth--;
    }
  };
  Object.defineProperty(guarded, 'name', { value: original.name });
  return guarded;
}

/** Replaces `target.send` (an own property: Node defines it per child) with a checked one. */
export function wrapIpcSend(target: object, explicit: boolean): void {
  const original = (target as { send?: unknown }).send;
  if (typeof original !== 'function') return;
  // `arguments`, as in guardedMethod: no array made per message.
  const guarded = function send(this: unknown): unknown {
    const policy = explicit ? helperPolicy() : guardState.installed;
    const outer = policy !== undefined && guardState.depth === 0;
    if (outer) guardSend(policy, describeIpcSend, target, arguments as unknown as readonly unknown[], guarded, explicit);
    guardState.depth++;
    try {
      return Reflect.apply(original, this, arguments);
    } catch (error) {
      if (outer) explainRefusal(error, policy, describeIpcSend, target, arguments as unknown as readonly unknown[]);
      throw error;
    } finally {
      guardState.depth--;
    }
  };
  sendOriginals.set(guarded, original);
  (target as { send: Function }).send = guarded;
  if (!explicit) wrappedTargets.add(new WeakRef(target));
}

/** `new Worker(...)`: checks workerData before Node creates anything, then constructs. */
function constructWorker(target: typeof NodeWorker, args: unknown[], newTarget: Function): object {
  const policy = guardState.installed;
  const outer = policy !== undefined && guardState.depth === 0;
  if (outer) guardSend(policy, describeWorkerData, undefined, args, constructWorker, false);
  guardState.depth++;
  try {
    return Reflect.construct(target, args, newTarget) as object;
  } catch (error) {
    if (outer) explainRefusal(error, policy, describeWorkerData, undefined, args);
    throw error;
  } finally {
    guardState.depth--;
  }
}

/**
 * A stand-in for `Worker` that keeps its identity for `instanceof`, `prototype`, statics and
 * `class X extends Worker`. Made once: classes that extend it keep it after uninstall(), where it
 * passes every construction through unchecked.
 */
const WorkerProxy = new Proxy(NodeWorker, { construct: constructWorker });

const ChildProcessClass = childProcess.ChildProcess;
const ClusterWorker = (cluster as { Worker?: { prototype: { send?: Function; process?: unknown } } }).Worker;

export function patchAll(): void {
  patch(workerThreads, 'Worker', WorkerProxy);
  // `import { Worker } from 'node:worker_threads'` is a live binding to the ESM facade, which this
  // call brings in line with the CommonJS exports just patched.
  syncBuiltinESMExports();

  const workerPost = NodeWorker.prototype.postMessage as Function;
  patch(NodeWorker.prototype, 'postMessage', guardedMethod(workerPost, describeWorkerPost));
  const portPost = MessagePort.prototype.postMessage as Function;
  patch(MessagePort.prototype, 'postMessage', guardedMethod(portPost, describePortPost));
  const broadcastPost = NodeBroadcastChannel.prototype.postMessage as Function;
  patch(NodeBroadcastChannel.prototype, 'postMessage', guardedMethod(broadcastPost, describeBroadcastPost));

  // Every child with an IPC channel (fork, spawn with 'ipc', cluster.fork, and code that kept its
  // own reference to fork) is made by ChildProcess#spawn, which defines its own `send`.
  const nodeSpawn = (ChildProcessClass.prototype as unknown as { spawn: Function }).spawn;
  const guardedSpawn = function spawn(this: ChildProcess, ...args: unknown[]): unknown {
    const result = Reflect.apply(nodeSpawn, this, args);
    if (guardState.installed !== undefined && guardState.depth === 0 && typeof this.send === 'function') {
      const options = args[0] as { serialization?: unknown } | undefined;
      recordIpcChannel(this, options?.serialization);
      wrapIpcSend(this, false);
    }
    return result;
  };
  patch(ChildProcessClass.prototype, 'spawn', guardedSpawn);

  // cluster's worker.send() calls worker.process.send(): check at the outer call, so the site is the user's.
  const clusterSend = ClusterWorker?.prototype.send;
  if (ClusterWorker && typeof clusterSend === 'function') {
    patch(ClusterWorker.prototype, 'send', guardedMethod(clusterSend, describeClusterSend));
  }

  if (typeof process.send === 'function') wrapIpcSend(process, false);
}

export function unpatchAll(): void {
  for (const p of patches.reverse()) {
    // Someone wrapped our function in turn: leave theirs; ours passes through when uninstalled.
    if ((p.target as Record<PropertyKey, unknown>)[p.key] !== p.replacement) continue;
    if (p.original === undefined) Reflect.deleteProperty(p.target, p.key);
    else Object.defineProperty(p.target, p.key, p.original);
  }
  patches.length = 0;
  syncBuiltinESMExports();
  for (const ref of wrappedTargets) {
    const target = ref.deref() as { send?: Function } | undefined;
    const original = target?.send === undefined ? undefined : sendOriginals.get(target.send);
    if (target !== undefined && original !== undefined) target.send = original;
  }
  wrappedTargets.clear();
}
