// The active channels as bits, so that one walk judges all of them: a node carries the set of
// channels that reach it (JSON does not reach Map entries; nothing reaches a symbol-keyed property).
// The walker asks these masks and rule groups, built from the channel modules, what a kind does.
import { limitOnLine, ruleOnLine, type ChannelDefinition, type RootKind } from '../channels/index.js';
import type { FindingCode } from '../findings/codes.js';
import type { HostInfo } from '../realm/registry.js';
import { SafeMap } from '../realm/intrinsics.js';
import type { Channel } from '../types.js';

/** One code and the channels (bits) that give it. */
export interface RuleGroup {
  readonly code: FindingCode;
  readonly bits: number;
}

export interface ChannelMasks {
  /** All active channels. */
  readonly all: number;
  readonly channelOfBit: readonly Channel[];
  readonly limitOfBit: readonly number[];
  /** Written by JSON.stringify. */
  readonly json: number;
  /** Written by the V8 serializer. */
  readonly serializer: number;
  /** Node's IPC in front (NODE_ messages). */
  readonly ipc: number;
  /** Structured clone of views: whole stores copied, SharedArrayBuffers shared, transfers. */
  readonly cloneViews: number;
  /** Views written as host objects by Node's serializers; SharedArrayBuffers throw. */
  readonly hostViews: number;
  readonly root: Readonly<Record<RootKind, readonly RuleGroup[]>>;
  /** What each channel does with a Node or web-platform object: its type's rule, or its kind's. */
  hostRules(host: HostInfo): readonly RuleGroup[];
  readonly pooledTransfer: readonly RuleGroup[];
  /** What an Error at the closing end of a cycle does, per channel. */
  readonly errorCauseCycle: readonly RuleGroup[];
  readonly errorStackAccessor: readonly RuleGroup[];
  readonly errorStackData: readonly RuleGroup[];
  readonly viewProperties: readonly RuleGroup[];
}

const ROOT_KINDS: readonly RootKind[] = ['undefined', 'bigint', 'symbol', 'function'];

/** Groups channels by the code each gives, so that one emit covers all channels with that code. */
function group(defs: readonly (ChannelDefinition | undefined)[], codeOf: (d: ChannelDefinition) => FindingCode | null): RuleGroup[] {
  const out: { code: FindingCode; bits: number }[] = [];
  for (let i = 0; i < defs.length; i++) {
    const def = defs[i];
    if (def === undefined) continue;
    const code = codeOf(def);
    if (code === null) continue;
    let g: { code: FindingCode; bits: number } | undefined;
    for (let j = 0; j < out.length; j++) if (out[j]!.code === code) g = out[j];
    if (g) g.bits |= 1 << i;
    else out[out.length] = { code, bits: 1 << i };
  }
  return out;
}

/**
 * Bits are positions in `all` (the registry's order), so findings come out in that order.
 * `active` picks which of them the check judges; `line` is the target's Node.js line.
 */
export function buildMasks(all: readonly ChannelDefinition[], active: readonly Channel[], line: number): ChannelMasks {
  // Plain loops only: a check runs after the caller's code, which may patch Array.prototype.
  const defs: (ChannelDefinition | undefined)[] = [];
  for (let i = 0; i < all.length; i++) {
    let picked = false;
    for (let j = 0; j < active.length; j++) if (active[j] === all[i]!.id) picked = true;
    defs[i] = picked ? all[i] : undefined;
  }
  const bits = (pick: (d: ChannelDefinition) => boolean): number => {
    let m = 0;
    for (let i = 0; i < defs.length; i++) if (defs[i] && pick(defs[i]!)) m |= 1 << i;
    return m;
  };
  const root = {} as Record<RootKind, RuleGroup[]>;
  for (let i = 0; i < ROOT_KINDS.length; i++) {
    const k = ROOT_KINDS[i]!;
    root[k] = group(defs, (d) => d.root[k] ?? null);
  }
  const hostRules = new SafeMap<string, RuleGroup[]>();
  const channelOfBit: Channel[] = [];
  const limitOfBit: number[] = [];
  for (let i = 0; i < all.length; i++) {
    channelOfBit[1 << i] = all[i]!.id;
    limitOfBit[1 << i] = limitOnLine(all[i]!.nestingLimit, line);
  }
  return {
    all: bits(() => true),
    channelOfBit,
    limitOfBit,
    json: bits((d) => d.format === 'json'),
    serializer: bits((d) => d.format === 'v8'),
    ipc: bits((d) => d.ipc),
    cloneViews: bits((d) => d.views === 'clone'),
    hostViews: bits((d) => d.views === 'host'),
    root,
    hostRules(host: HostInfo): readonly RuleGroup[] {
      let rules = hostRules.get(host.kind + host.name);
      if (!rules) {
        rules = group(defs, (d) => (d.hosts ? ruleOnLine(d.hosts.byType?.[host.name] ?? d.hosts[host.kind], line) : null));
        hostRules.set(host.kind + host.name, rules);
      }
      return rules;
    },
    pooledTransfer: group(defs, (d) => ruleOnLine(d.pooledTransfer, line)),
    errorCauseCycle: group(defs, (d) => ruleOnLine(d.errorCauseCycle, line)),
    errorStackAccessor: group(defs, (d) => ruleOnLine(d.errorStackAccessor, line)),
    errorStackData: group(defs, (d) => ruleOnLine(d.errorStackData, line)),
    viewProperties: group(defs, (d) => ruleOnLine(d.viewProperties, line)),
  };
}

/** The channels (bits) of a list of rule groups. */
export function groupBits(groups: readonly RuleGroup[]): number {
  let bits = 0;
  for (let g = 0; g < groups.length; g++) bits |= groups[g]!.bits;
  return bits;
}
