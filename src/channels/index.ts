// The registry: every channel module, in report order. Adding a channel is one module here.
import { SafeMap } from '../realm/intrinsics.js';
import type { Channel } from '../types.js';
import { limitOnLine, type ChannelDefinition } from './define-channel.js';
import { forkAdvanced } from './fork-advanced.js';
import { fork } from './fork.js';
import { json } from './json.js';
import { v8 } from './v8.js';
import { worker } from './worker.js';

export { defineChannel, limitOnLine, ruleOnLine, type ChannelDefinition, type LineRule, type RootKind } from './define-channel.js';

/** Every channel, in the order reports list them (the default three first). */
export const CHANNEL_DEFINITIONS: readonly ChannelDefinition[] = [worker, fork, forkAdvanced, json, v8];

const BY_ID = new SafeMap<string, ChannelDefinition>(CHANNEL_DEFINITIONS.map((d) => [d.id, d] as const));

/** The module of a channel id; undefined for an unknown id. */
export function findChannel(id: string): ChannelDefinition | undefined {
  return BY_ID.get(id);
}

/** The module of a known channel id. */
export function channelInfo(id: Channel): ChannelDefinition {
  return BY_ID.get(id)!;
}

/** Nesting depths at which each serializer overflows its stack on the running Node.js line (measured; Infinity: none found). */
export const NESTING_LIMITS = Object.fromEntries(
  CHANNEL_DEFINITIONS.map((d) => [d.id, limitOnLine(d.nestingLimit, Number(process.versions.node.split('.')[0]))]),
) as Readonly<Record<Channel, number>>;

/**
 * The IPC sends: `child.send()`, `process.send()` and cluster's `worker.send()`. Which channel they
 * write with is the child's `serialization`, set when it was spawned (`channelOfSerialization`).
 */
export const IPC_SENDS: readonly string[] = ['child_process:ChildProcess.send', 'process:Process.send', 'cluster:Worker.send'];

/** The IPC channels, in report order: what an IPC send may write with when its child's serialization is not known. */
export const IPC_CHANNELS: readonly Channel[] = CHANNEL_DEFINITIONS.filter((d) => d.ipc).map((d) => d.id);

/**
 * The IPC channel a `serialization` option selects: `'advanced'` or `'json'`; anything else (unset)
 * is Node's default, JSON.
 */
export function channelOfSerialization(serialization: unknown): Channel {
  let fallback: Channel | undefined;
  for (let i = 0; i < CHANNEL_DEFINITIONS.length; i++) {
    const d = CHANNEL_DEFINITIONS[i]!;
    if (!d.ipc || d.serialization === undefined) continue;
    if (d.serialization === serialization) return d.id;
    if (d.serialization === 'json') fallback = d.id;
  }
  return fallback!;
}

const SEND_CHANNELS = new SafeMap<string, Channel[]>();
for (const d of CHANNEL_DEFINITIONS) {
  for (const send of d.sends ?? []) {
    const list = SEND_CHANNELS.get(send) ?? [];
    list.push(d.id);
    SEND_CHANNELS.set(send, list);
  }
}

/**
 * The channels a send writes with, by its `module:Owner.member` name (see `ChannelDefinition.sends`);
 * empty for a name no channel lists. IPC sends are not here: see `IPC_SENDS`.
 */
export function channelsOfSend(send: string): readonly Channel[] {
  return SEND_CHANNELS.get(send) ?? [];
}

/** Whether a send name is one of the IPC sends, whose channel is the child's serialization. */
export function isIpcSend(send: string): boolean {
  return IPC_SENDS.includes(send);
}
