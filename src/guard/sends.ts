// What each guarded API sends: the value, its transfer list, and the channel it is written with,
// read from the receiver and the arguments of the call. Channels come from the registry's facts.
import type { WorkerOptions } from 'node:worker_threads';
import { channelOfSerialization, channelsOfSend, IPC_CHANNELS, channelInfo } from '../channels/index.js';
import type { Channel } from '../types.js';

/** What one send carries. */
export interface Send {
  readonly api: string;
  readonly channel: Channel | undefined;
  readonly value: unknown;
  readonly transferList?: readonly unknown[] | undefined;
  readonly root: 'message' | 'value';
  /** Checked whatever `sample` and `once` say (workerData). */
  readonly always?: boolean;
}

/** What a patched method sends, read from its receiver and arguments. */
export type Describe = (self: unknown, args: readonly unknown[]) => Send | undefined;

/** The channel each worker_threads send writes with, as the registry states it. */
const PORT_CHANNEL = channelsOfSend('worker_threads:MessagePort.postMessage')[0]!;
const WORKER_CHANNEL = channelsOfSend('worker_threads:Worker.postMessage')[0]!;
const BROADCAST_CHANNEL = channelsOfSend('worker_threads:BroadcastChannel.postMessage')[0]!;
const WORKER_DATA_CHANNEL = channelsOfSend('worker_threads:Worker.workerData')[0]!;
/** The IPC channels: Node's default serialization (JSON) and `serialization: 'advanced'`. */
const IPC_DEFAULT = channelOfSerialization(undefined);
const IPC_ADVANCED = channelOfSerialization('advanced');

export const describePortPost: Describe = (_self, args) => postedMessage('port.postMessage()', PORT_CHANNEL, args[0], args[1]);
export const describeWorkerPost: Describe = (_self, args) => postedMessage('worker.postMessage()', WORKER_CHANNEL, args[0], args[1]);
// BroadcastChannel#postMessage takes no transfer list.
export const describeBroadcastPost: Describe = (_self, args) => postedMessage('broadcastChannel.postMessage()', BROADCAST_CHANNEL, args[0], undefined);
/** `new Worker(filename, options)`: the options' workerData and transferList. */
export const describeWorkerData: Describe = (_self, args) => workerDataSend(args[1]);
/** `target.send(message, ...)`, where `self` is the IPC target. */
export const describeIpcSend: Describe = (self, args) => ipcSend(self === process ? 'process.send()' : 'child.send()', self as object, args[0]);
/** cluster's `worker.send(message)`: the channel of `worker.process`. */
export const describeClusterSend: Describe = (self, args) => {
  const proc = (self as { process?: unknown }).process;
  return proc !== null && typeof proc === 'object' ? ipcSend('worker.send()', proc, args[0]) : undefined;
};

function postedMessage(api: string, channel: Channel, value: unknown, transfer: unknown): Send {
  return { api, channel, value, transferList: transferListOf(transfer), root: 'message' };
}

/** `postMessage(value, [ab])` and `postMessage(value, { transfer: [ab] })` both transfer. */
function transferListOf(arg: unknown): readonly unknown[] | undefined {
  if (Array.isArray(arg)) return arg;
  if (arg !== null && typeof arg === 'object') {
    const transfer = (arg as { transfer?: unknown }).transfer;
    if (Array.isArray(transfer)) return transfer;
  }
  return undefined;
}

function workerDataSend(options: unknown): Send | undefined {
  if (options === null || typeof options !== 'object') return undefined;
  const { workerData, transferList } = options as WorkerOptions;
  if (workerData === undefined && transferList === undefined) return undefined;
  return {
    api: 'new Worker() workerData',
    channel: WORKER_DATA_CHANNEL,
    value: workerData,
    transferList: Array.isArray(transferList) ? transferList : undefined,
    root: 'value',
    always: true,
  };
}

/** How each IPC target serializes, as recorded at spawn time or read from its channel. */
const ipcChannels = new WeakMap<object, Channel>();

/** Records how a child just spawned serializes: its `serialization` option. */
export function recordIpcChannel(target: object, serialization: unknown): void {
  ipcChannels.set(target, channelOfSerialization(serialization));
}

function ipcChannelOf(target: object): Channel | undefined {
  let channel = ipcChannels.get(target);
  if (channel === undefined) {
    channel = readIpcChannel(target);
    if (channel !== undefined) ipcChannels.set(target, channel);
  }
  return channel;
}

/**
 * Node does not say how an IPC channel serializes, and in a forked child it deletes
 * NODE_CHANNEL_SERIALIZATION_MODE from the environment before any user code (or `--import`) runs.
 * Its channel handle shows it: the JSON reader keeps a `kJSONBuffer`, the advanced one a
 * `kMessageBuffer` (Node 20's lib/internal/child_process/serialization.js). When neither is found
 * the channel stays unknown and the send is not checked, rather than judged by the wrong rules.
 */
function readIpcChannel(target: object): Channel | undefined {
  for (const key of Object.getOwnPropertySymbols(target)) {
    if (key.description !== 'kChannelHandle') continue;
    const handle: unknown = (target as Record<symbol, unknown>)[key];
    if (handle === null || typeof handle !== 'object') break;
    for (const slot of Object.getOwnPropertySymbols(handle)) {
      if (slot.description === 'kMessageBuffer') return IPC_ADVANCED;
      if (slot.description === 'kJSONBuffer') return IPC_DEFAULT;
    }
    break;
  }
  if (target === process) {
    // The variable holds a serialization name; only the ones an IPC channel states are taken.
    const mode = process.env['NODE_CHANNEL_SERIALIZATION_MODE'];
    for (const channel of IPC_CHANNELS) if (mode !== undefined && channelInfo(channel).serialization === mode) return channel;
  }
  return undefined;
}

function ipcSend(api: string, target: object, message: unknown): Send {
  return { api, channel: ipcChannelOf(target), value: message, root: 'message' };
}
