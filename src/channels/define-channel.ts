// What a channel module states: how its send writes a value, and what happens to each kind of
// value on it, as data. The walker reads these facts once per check and never names a channel.
import type { FindingCode } from '../findings/codes.js';
import type { HostKind } from '../realm/registry.js';
import { ownKeys } from '../realm/intrinsics.js';
import type { Channel } from '../types.js';

/**
 * A rule that differs between Node.js lines: the code (or `null`, nothing to report) from each
 * line on, keyed by the first line it holds for. `{ 20: 'A', 22: 'B' }` is A on Node 20 and 21,
 * B from 22. A plain code holds on every line.
 */
export type LineRule = FindingCode | null | { readonly [line: number]: FindingCode | null };

/** The top-level values a send treats on their own (child.send() refuses some outright). */
export type RootKind = 'undefined' | 'bigint' | 'symbol' | 'function';

export interface ChannelDefinition {
  readonly id: Channel;
  /** The send as messages name it: 'structured clone', 'JSON', 'v8.serialize()'. */
  readonly sendName: string;
  /**
   * Depth from which the serializer overflows its stack; reported from there. A number, or one per
   * Node.js line keyed by the first line it holds for (measured: test/lines/measured/).
   */
  readonly nestingLimit: number | { readonly [line: number]: number };
  /**
   * How the value is written.
   * - `json`: JSON.stringify: toJSON is called, enumerable string keys only, no Map or Set entries,
   *   no identity (a shared object is sent twice, a cycle throws), NaN and Infinity become null.
   * - `v8`: the V8 serializer: identity and cycles kept, built-ins copied by their internal slots.
   */
  readonly format: 'json' | 'v8';
  /** Node's IPC sits in front of the send: it swallows messages whose cmd starts with NODE_. */
  readonly ipc: boolean;
  /**
   * IPC channels only: the `serialization` option of `fork()`, `spawn()` and `cluster.setupPrimary()`
   * that selects this channel (`'json'` is Node's default).
   */
  readonly serialization?: 'json' | 'advanced';
  /**
   * The sends that write with this channel whatever the process was spawned with, each
   * `module:Owner.member` as Node's (or the package's) typings declare it: `worker_threads:MessagePort.postMessage`,
   * `v8:serialize`; `lib:` is TypeScript's DOM and ES libs, `globals:` Node's globals, `Owner` is empty for
   * a free function. `worker_threads:Worker.workerData` stands for `new Worker(file, { workerData })`.
   * The scan finds send sites by these and the guard names them. An IPC send belongs to the channel
   * whose `serialization` the child was spawned with (`ipcSends`), not to a fixed one.
   */
  readonly sends?: readonly string[];
  /** The value leaves the process (for wording: "cannot cross a process boundary"). */
  readonly crossesProcesses: boolean;
  /** What a top-level primitive or function does, when it is not what the format does inside. */
  readonly root: { readonly [K in RootKind]?: FindingCode };
  /**
   * V8 format only. How ArrayBuffer views are written:
   * - `clone`: structured clone copies the whole backing store and shares SharedArrayBuffers; a
   *   Buffer arrives as a Uint8Array; the send takes a transferList;
   * - `host`: Node's serializer writes each view's own bytes as a host object (the view is re-based
   *   on arrival, a Buffer stays a Buffer, a subclass is lost), and a SharedArrayBuffer throws.
   */
  readonly views?: 'clone' | 'host';
  /**
   * V8 format only. What each kind of Node or web-platform object does (see realm/registry.ts),
   * with `byType` for single types whose rule differs, e.g. per Node.js line.
   * A code of HOST_OBJECT_BECOMES_OBJECT means the object's enumerable own properties are sent.
   */
  readonly hosts?: { readonly [K in HostKind]: LineRule } & { readonly byType?: { readonly [type: string]: LineRule } };
  /** `views: 'clone'` only: a Buffer whose store is Node's pool listed in the transferList. */
  readonly pooledTransfer?: LineRule;
  /**
   * V8 format only. An Error whose `cause` chain leads back to it: Node 20 cannot read it back (the
   * send throws or nothing arrives); from Node 22 the cycle is kept (measured: test/lines/measured/).
   */
  readonly errorCauseCycle?: LineRule;
  /** V8 format only: what an Error's own `stack` accessor becomes (a data property on Node 20, an accessor again from 22). */
  readonly errorStackAccessor?: LineRule;
  /** V8 format only: what an Error's own `stack` data property becomes (itself on Node 20, give or take; an accessor from 22). */
  readonly errorStackData?: LineRule;
  /**
   * `views: 'host'` only: what a view whose own properties (constructor, Symbol.toStringTag, buffer,
   * byteOffset, byteLength) read wrong does, since Node's serializer writes a view through them.
   * `null` where the serializer reads the view's internal slots instead: there a view over a
   * detached buffer is written as an empty view (DETACHED_VIEW_BECOMES_EMPTY), where constructing
   * a view over that buffer from its properties throws (DETACHED_BUFFER).
   */
  readonly viewProperties?: LineRule;
}

/** Identity helper: a typed channel module. */
export function defineChannel<const D extends ChannelDefinition>(definition: D): D {
  return definition;
}

/**
 * The entry of a per-line table that holds on `line`: the one keyed by the highest line not above
 * it; `fallback` when none is. Captured Reflect.ownKeys and a plain loop: a check runs after the
 * caller's code, which may patch Object.
 */
function onLine<T>(table: { readonly [line: number]: T }, line: number, fallback: T): T {
  let best = -1;
  let value = fallback;
  const keys = ownKeys(table);
  for (let i = 0; i < keys.length; i++) {
    const from = Number(keys[i]);
    if (from <= line && from > best) {
      best = from;
      value = table[from]!;
    }
  }
  return value;
}

/** A channel's nesting limit on a Node.js line: the entry of the highest line not above it. */
export function limitOnLine(limit: ChannelDefinition['nestingLimit'], line: number): number {
  return typeof limit === 'number' ? limit : onLine(limit, line, Infinity);
}

/** The code a rule gives on a Node.js line: the entry of the highest line not above it. */
export function ruleOnLine(rule: LineRule | undefined, line: number): FindingCode | null {
  if (rule === undefined || rule === null || typeof rule === 'string') return rule ?? null;
  return onLine<FindingCode | null>(rule, line, null);
}
