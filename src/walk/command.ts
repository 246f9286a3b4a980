// Node's IPC takes a message whose `cmd` starts with 'NODE_' as its own (nothing reaches the other
// side, or for a cmd Node acts on, the receiver crashes). It reads `cmd` on the message as it
// arrives, so what counts is whether the top-level object's own enumerable `cmd` survives the
// channel's writing: JSON writes the own enumerable properties of every object it has no rule for
// (an Error, a Map, a view, a host object), the V8 serializer keeps an array's named properties and
// Node's IPC writes its host objects as `{ ...object }`. Judged by internal slots, never by names.
import { apply, getOwnPropertyDescriptor, getPrototypeOf, isArray, isProxy, types } from '../realm/intrinsics.js';
import { jsonHookOf } from './json-hook.js';
import type { ChannelMasks } from './masks.js';
import { isInternalCmd, toPrimitive } from './properties.js';
import { protoInfoOf, type ProtoInfo } from './prototype.js';
import { hasBuiltinSlots, NULL_PROTO_INFO } from './slots.js';

const STRING_VALUE_OF = String.prototype.valueOf;

/**
 * The NODE_ command Node's IPC would read on the channels among `ipc` (a top-level object, never a
 * Proxy), with those channels: an own enumerable `cmd` string, or a String object JSON turns into
 * one with the built-in conversion (the V8 serializer sends it as an object, which Node ignores).
 */
export function swallowedAt(
  o: object,
  ipc: number,
  k: ChannelMasks,
  protos: Map<object, ProtoInfo>,
  shared: boolean,
): { cmd: string; bits: number } | undefined {
  const d = getOwnPropertyDescriptor(o, 'cmd');
  if (d === undefined || d.enumerable !== true) return undefined;
  let cmd: unknown = d.value;
  let on = ipc;
  if (cmd !== null && typeof cmd === 'object' && !isProxy(cmd) && types.isStringObject(cmd)) {
    const proto = getPrototypeOf(cmd);
    const info = proto === null ? NULL_PROTO_INFO : protoInfoOf(protos, proto);
    cmd = toPrimitive(cmd, info, 'string') === 'primitive' ? apply(STRING_VALUE_OF, cmd, []) : undefined;
    on &= k.json;
  }
  if (!isInternalCmd(cmd)) return undefined;
  const bits = on & keepsOwnAtRoot(o, on, k, protos, shared);
  return bits ? { cmd: cmd as string, bits } : undefined;
}

/** Whether JSON writes `o` as an object of its own enumerable properties (no toJSON, not unboxed, not an array). */
function jsonKeepsOwn(o: object, proto: object | null, protos: Map<object, ProtoInfo>, shared: boolean): boolean {
  if (isArray(o) || types.isNumberObject(o) || types.isStringObject(o) || types.isBooleanObject(o) || types.isBigIntObject(o)) return false;
  const info = proto === null || proto === Object.prototype ? null : protoInfoOf(protos, proto);
  return jsonHookOf(o, info, false, shared) === undefined;
}

/**
 * The channels among `ipc` (a top-level object, never a Proxy) on which the serializer keeps its
 * own enumerable properties: JSON channels as jsonKeepsOwn() says; V8 channels for an array, an
 * object without built-in slots, and a host object its channel writes as a plain object.
 */
function keepsOwnAtRoot(o: object, ipc: number, k: ChannelMasks, protos: Map<object, ProtoInfo>, shared: boolean): number {
  const proto = getPrototypeOf(o);
  let bits = 0;
  if (ipc & k.json && jsonKeepsOwn(o, proto, protos, shared)) bits |= ipc & k.json;
  const v8 = ipc & k.serializer;
  if (!v8) return bits;
  if (isArray(o)) return bits | v8;
  // V8 writes an Error (a DOMException from Node 22 too) from its fields, whatever Node calls it.
  if (types.isNativeError(o)) return bits;
  const info = proto === null ? undefined : protoInfoOf(protos, proto);
  const host = info?.host !== undefined && info.host.isInstance(o) ? (info.host.refine?.(o) ?? info.host) : undefined;
  if (host !== undefined) {
    const groups = k.hostRules(host);
    for (let g = 0; g < groups.length; g++) {
      const { code, bits: on } = groups[g]!;
      if (code === 'HOST_OBJECT_BECOMES_OBJECT' || code === 'PLATFORM_OBJECT_BECOMES_PLAIN') bits |= v8 & on;
    }
    return bits;
  }
  return hasBuiltinSlots(o, proto === null) ? bits : bits | v8;
}
