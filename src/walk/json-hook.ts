// What JSON does with a value's toJSON, own or inherited, told without calling it: nothing (there is
// none), it calls it and sends what it returns, or the call throws. This includes a toJSON a program
// put on a prototype every object, array or bigint inherits: `BigInt.prototype.toJSON = function ()
// { return this.toString(); }`, the usual way to make JSON.stringify take bigints, or
// `Object.prototype.toJSON`.
import type { FindingArgsByCode } from '../findings/codes.js';
import { getOwnPropertyDescriptor, getPrototypeOf, isProxy, isRevokedProxy } from '../realm/intrinsics.js';
import { INTRINSIC_TOJSON } from '../realm/registry.js';
import { protoToJSON, type ProtoInfo } from './prototype.js';
import { jsonCallThrows } from './tojson.js';

/** This realm's prototypes that every ordinary object, array and bigint inherits, taken at load. */
const SHARED_PROTOTYPES: readonly object[] = [Object.prototype, Array.prototype, BigInt.prototype];
const BIGINT_PROTOTYPE: object = BigInt.prototype;

export type JSONHook =
  | { readonly code: 'JSON_THROWS'; readonly args: FindingArgsByCode['JSON_THROWS'] }
  | { readonly code: 'TOJSON_CALLED'; readonly args: FindingArgsByCode['TOJSON_CALLED'] };

const REVOKED_PROTOTYPE: JSONHook = { code: 'JSON_THROWS', args: { why: 'revoked-prototype', type: 'Proxy' } };
const BIGINT_TOJSON: JSONHook = { code: 'TOJSON_CALLED', args: { own: false, className: 'BigInt' } };

/**
 * Whether a program gave this realm's Object.prototype, Array.prototype or BigInt.prototype a
 * toJSON. Read once per check: when none has one (nearly always), an object whose prototype is one
 * of them needs no lookup of its own.
 */
export function sharedToJSONSet(): boolean {
  for (let i = 0; i < SHARED_PROTOTYPES.length; i++) {
    if (getOwnPropertyDescriptor(SHARED_PROTOTYPES[i]!, 'toJSON') !== undefined) return true;
  }
  return false;
}

/**
 * The toJSON JSON finds on the chain from `proto`: the first property of that name decides, and it
 * is called when it is a function or an accessor (whose getter JSON runs). A Proxy on the chain
 * ends the search: its traps are never run.
 */
function inheritedToJSON(proto: object | null): { fn: unknown } | undefined {
  for (let p = proto; p !== null; p = getPrototypeOf(p)) {
    if (isProxy(p)) return undefined;
    const d = getOwnPropertyDescriptor(p, 'toJSON');
    if (d !== undefined) return d.get !== undefined || typeof d.value === 'function' ? { fn: d.value } : undefined;
  }
  return undefined;
}

/** What JSON does with a bigint when a program gave BigInt.prototype (or Object.prototype) a toJSON. */
export function bigintHook(shared: boolean): JSONHook | undefined {
  return shared && inheritedToJSON(BIGINT_PROTOTYPE) !== undefined ? BIGINT_TOJSON : undefined;
}

/**
 * What JSON does with `o`'s toJSON. `info` describes its prototype (null for Object.prototype,
 * Array.prototype or none); `shared` is sharedToJSONSet() for this check; with `intrinsicOk`, a
 * built-in's own toJSON that JSON calls as designed (Date's) is no finding.
 */
export function jsonHookOf(o: object, info: ProtoInfo | null, intrinsicOk: boolean, shared: boolean): JSONHook | undefined {
  const own = getOwnPropertyDescriptor(o, 'toJSON');
  let found = false;
  let intrinsic = false;
  let fn: unknown;
  if (own) {
    found = own.get !== undefined || typeof own.value === 'function';
    intrinsic = found && INTRINSIC_TOJSON.has(own.value);
    fn = own.value;
  } else {
    if (info) {
      if (!info.readable && info.proxy !== undefined && isRevokedProxy(info.proxy)) return REVOKED_PROTOTYPE;
      const tj = protoToJSON(info);
      found = tj.found;
      intrinsic = tj.intrinsic;
      fn = tj.fn;
    }
    if (!found && shared && info === null) {
      // Object.prototype or Array.prototype, which a program gave a toJSON (protoToJSON() read any
      // other object's whole chain, up to a Proxy if there is one).
      const inherited = inheritedToJSON(getPrototypeOf(o));
      found = inherited !== undefined;
      fn = inherited?.fn;
      intrinsic = found && INTRINSIC_TOJSON.has(fn);
    }
  }
  if (!found) return undefined;
  const thrown = jsonCallThrows(o, fn, info);
  if (thrown) return { code: 'JSON_THROWS', args: thrown };
  if (intrinsic && intrinsicOk) return undefined;
  return { code: 'TOJSON_CALLED', args: { own: own !== undefined, ...(info?.className ? { className: info.className } : {}) } };
}
