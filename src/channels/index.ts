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
