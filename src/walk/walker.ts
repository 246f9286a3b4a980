// The iterative walker: one visit per node for every active channel at once (channels are bits),
// with frames instead of recursion, one identity record per object, and paths made only when a
// finding is. It never names a channel: what a kind of value does comes from the channel masks
// and rule groups (walk/masks.ts), built from the channel modules.
import type { RootKind } from '../channels/index.js';
import { effectOf, type FindingArgs, type FindingArgsByCode, type FindingCode } from '../findings/codes.js';
import {
  freeze,
  getOwnPropertyDescriptor,
  objectIs,
  SafeMap,
  SafeSet,
  getOwnPropertyNames,
  getOwnPropertySymbols,
  getPrototypeOf,
  isArray,
  isExtensible,
  isFrozen,
  isProxy,
  isRevokedProxy,
  isSealed,
  types,
} from '../realm/intrinsics.js';
import { hostOfReprototyped, type HostInfo } from '../realm/registry.js';
import type { CheckOptions, Finding, PathSegment, Severity } from '../types.js';
import { IgnoredFindings, makeFinding, notePastLimit, SentenceCache } from './emit.js';
import { accessorArgs, NO_ARGS, NUMBER_ARGS, typeArgs } from './args.js';
import { atOf, frameOf, pathOf, printedAt, type Frame } from './frames.js';
import { hasBuiltinSlots, NULL_PROTO_INFO } from './slots.js';
import { swallowedAt } from './command.js';
import { bigintHook, jsonHookOf, sharedToJSONSet } from './json-hook.js';
import type { ChannelMasks } from './masks.js';
import { classDetails, describeFunction, protoInfoOf, type ProtoInfo } from './prototype.js';

/** V8's longest string, which bounds the JSON text of a message. */
export const MAX_STRING_LENGTH = 2 ** 29 - 24;
/** Arrays and typed arrays up to this length have their named properties listed too (see docs). */
export const LISTED_KEYS_LIMIT = 65536;
/**
 * Typed arrays up to this length have their named properties listed: listing costs a string per
 * element, so beyond it only symbol keys are read and a view costs the same whatever its length.
 */
export const LISTED_VIEW_KEYS_LIMIT = 64;

// JSON contexts: where a primitive or function sits decides what JSON does with it.
export const ROOT = 0;
export const PROP = 1;
export const ELEM = 2;
export const OTHER = 3;

// Empty until a check needs them (most never do): a small check allocates no table it does not use.
const NO_TRANSFERS = new SafeSet<object>();
const NO_STORES = new SafeMap<object, Frame>();
const NO_HOSTS = new SafeMap<object, number>();

export abstract class WalkerCore {
  /** Findings per channel bit, made where they are found: no raw record, no sort at the end. */
  readonly byBit: Finding[][] = [];
  count = 0;
  readonly sentences = new SentenceCache();
  /** `{ count }` args by count, made once per check (Maps and Sets of one size share sentences). */
  counts: SafeMap<number, FindingArgsByCode['MAP_BECOMES_OBJECT']> | undefined;
  readonly lossy: number[] = [];
  readonly ids = new SafeMap<object, Frame>();
  readonly protos = new SafeMap<object, ProtoInfo>();
  readonly stack: Frame[] = [];
  transfer: SafeSet<object> = NO_TRANSFERS;
  /** ArrayBuffers whose bytes a view had copied by Node's serializers, with that view's frame. */
  copiedStores: SafeMap<object, Frame> = NO_STORES;
  /** Objects Node's IPC serializer writes as `{ ...object }` (host objects), by the channels that do. */
  spreadHosts: SafeMap<object, number> = NO_HOSTS;
  /** Functions and class instances found, with the args object of their findings, for origins. */
  readonly originsFound: [value: unknown, args: FindingArgs][] = [];
  recordOrigins = false;
  /** The args of a class's findings with its origin (check/origins.ts), or the same args. */
  instanceOrigin: ((value: object, args: FindingArgsByCode['PROTOTYPE_LOST'], index: number) => FindingArgsByCode['PROTOTYPE_LOST']) | undefined;
  readonly messageRoot: boolean;
  readonly maxFindings: number;
  readonly active: number;
  /** Channels written as JSON, by the V8 serializer, behind Node's IPC; views cloned or as host objects. */
  readonly J: number;
  readonly S: number;
  readonly IPC: number;
  readonly W: number;
  readonly V: number;
  /** Whether a program gave Object.prototype, Array.prototype or BigInt.prototype a toJSON (walk/json-hook.ts). */
  readonly sharedToJSON: boolean;
  /** The caller's ignore list, when it has one (check/index.ts). */
  ignored: IgnoredFindings | undefined = undefined;
  deepReported = 0;
  truncated = false;
  readonly uncollected: Severity[] = []; // past maxFindings, per channel bit: the worst severity not collected
  internalError: unknown;

  constructor(
    readonly k: ChannelMasks,
    options: CheckOptions,
    /** The target's Node.js line, as messages name it. */
    readonly nodeName: string,
  ) {
    this.active = k.all;
    this.J = k.json;
    this.S = k.serializer;
    this.IPC = k.ipc;
    this.W = k.cloneViews;
    this.V = k.hostViews;
    this.sharedToJSON = k.json !== 0 && sharedToJSONSet();
    for (let bit = 1; bit <= k.all; bit <<= 1) if (k.all & bit) this.byBit[bit] = [];
    this.messageRoot = options.root !== 'value';
    this.maxFindings = options.maxFindings ?? Infinity;
  }

  /** Built-ins and host objects: classified by internal slot, then judged (walk/kinds.ts). */
  abstract special(f: Frame, o: object, m: number, info: ProtoInfo): void;
  abstract uncloneable(f: Frame, m: number, type: string, info: ProtoInfo | null): void;
  abstract reprototypedHost(f: Frame, o: object, m: number, host: HostInfo): number;
  /** Arrays: elements, holes and named properties (walk/arrays.ts). */
  abstract array(f: Frame, arr: unknown[], m: number): void;
  /** The caller's transferList, read once before the walk (walk/kinds.ts). */
  abstract readTransferList(list: readonly unknown[]): void;

  addTransfer(o: object): void {
    if (this.transfer === NO_TRANSFERS) this.transfer = new SafeSet();
    this.transfer.add(o);
  }

  copiedStore(buffer: object, f: Frame): void {
    if (this.copiedStores === NO_STORES) this.copiedStores = new SafeMap();
    this.copiedStores.set(buffer, f);
  }

  spreadHost(o: object, bits: number): void {
    if (this.spreadHosts === NO_HOSTS) this.spreadHosts = new SafeMap();
    this.spreadHosts.set(o, bits);
  }

  countArgs(count: number): FindingArgsByCode['MAP_BECOMES_OBJECT'] {
    const counts = (this.counts ??= new SafeMap());
    let args = counts.get(count);
    if (args === undefined) counts.set(count, (args = freeze({ count })));
    return args;
  }

  emit(code: FindingCode, bits: number, frame: Frame | null, key?: PathSegment, label?: string, args: FindingArgs = NO_ARGS): void {
    bits &= this.active;
    if (!bits) return;
    const lossy = effectOf(code) !== 'note';
    // One path and one printed path for all the channels found here (findings share them).
    let path: PathSegment[] | undefined;
    let at = '';
    const ignored = this.ignored;
    for (let bit = 1; bit <= bits; bit <<= 1) {
      if (!(bits & bit)) continue;
      let finding: Finding | undefined;
      if (ignored !== undefined) {
        // An ignored finding is set aside before it counts (the ignore list reads the made finding).
        path ??= pathOf(frame, key);
        at ||= printedAt(frame, key, label);
        finding = makeFinding(code, this.k.channelOfBit[bit]!, path, at, args, this.sentences);
        if (ignored.take(finding, bit)) continue;
      }
      if (lossy) this.lossy[bit] = 1;
      if (this.count >= this.maxFindings) {
        this.truncated = true;
        notePastLimit(this.uncollected, bit, code);
        continue;
      }
      this.count++;
      if (path === undefined) {
        path = pathOf(frame, key);
        at = printedAt(frame, key, label);
      }
      const list = this.byBit[bit]!;
      list[list.length] = finding ?? makeFinding(code, this.k.channelOfBit[bit]!, path, at, args, this.sentences);
    }
  }

  run(root: unknown): void {
    if (root !== null && typeof root === 'object') {
      this.stack[this.stack.length] = frameOf(root, null, undefined, undefined, 0, this.active);
      this.loop();
    } else {
      this.leaf(null, undefined, undefined, root, this.active, this.messageRoot ? ROOT : PROP);
    }
  }

  loop(): void {
    const stack = this.stack;
    while (stack.length > 0) {
      const f = stack[stack.length - 1]!;
      if (f.rec !== undefined) {
        // Left: its channels are no longer open at this object. (A frame that added no channel
        // keeps itself as rec: clearing its own bits there touches no record.)
        stack.length = stack.length - 1;
        f.rec.open &= ~f.mask;
        continue;
      }
      f.rec = f;
      const base = stack.length;
      this.visit(f);
      // Children were pushed in key order; reverse them so they are visited in key order.
      for (let i = base, j = stack.length - 1; i < j; i++, j--) {
        const t = stack[i]!;
        stack[i] = stack[j]!;
        stack[j] = t;
      }
    }
  }

  child(parent: Frame | null, key: PathSegment | undefined, label: string | undefined, value: unknown, bits: number, ctx: number): void {
    if (!bits) return;
    if (value !== null && typeof value === 'object') {
      this.stack[this.stack.length] = frameOf(value, parent, key, label, parent ? parent.depth + 1 : 0, bits);
    } else if (value !== null) {
      this.leaf(parent, key, label, value, bits, ctx);
    }
  }

  /** Primitives and functions: judged where they sit, never entered. */
  leaf(parent: Frame | null, key: PathSegment | undefined, label: string | undefined, value: unknown, m: number, ctx: number): void {
    if (ctx === ROOT) {
      // A channel's own rule for a top-level value replaces what it does with a nested one.
      const kind = typeof value;
      if (kind === 'undefined' || kind === 'bigint' || kind === 'symbol' || kind === 'function') {
        // JSON calls a program's BigInt.prototype.toJSON on a top-level bigint too; Node's IPC refuses one first.
        if (kind === 'bigint' && m & this.J & ~this.IPC && bigintHook(this.sharedToJSON)) m = this.leafHook(m & this.J & ~this.IPC, m, parent, key, label);
        // JSON reads toJSON on a function too: a revoked Proxy of one throws (child.send() refuses it first).
        if (kind === 'function' && isProxy(value) && isRevokedProxy(value as object)) m = this.leafRevoked(m & ~this.IPC, m, parent, key, label);
        m = this.rootRule(kind, m, value, parent, key, label);
        if (!m) return;
      }
    }
    switch (typeof value) {
      case 'number':
        if (m & this.J && (value !== value || value === Infinity || value === -Infinity || objectIs(value, -0))) {
          const text = objectIs(value, -0) ? '-0' : value !== value ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
          this.emit('NUMBER_NOT_JSON', this.J, parent, key, label, NUMBER_ARGS[text]);
        }
        return;
      case 'string':
      case 'boolean':
        return;
      case 'undefined':
        if (m & this.J) this.jsonLoss(parent, key, label, ctx, 'UNDEFINED_DROPPED', 'undefined');
        return;
      case 'bigint':
        if (m & this.J && bigintHook(this.sharedToJSON)) m = this.leafHook(m & this.J, m, parent, key, label);
        this.emit('BIGINT_NOT_JSON', m & this.J, parent, key, label, typeArgs('bigint'));
        return;
      case 'symbol':
        this.emit('SYMBOL_NOT_CLONEABLE', m & this.S, parent, key, label, typeArgs('symbol'));
        if (m & this.J) this.jsonLoss(parent, key, label, ctx, 'SYMBOL_VALUE_DROPPED', 'symbol');
        return;
      case 'function': {
        if (isProxy(value) && isRevokedProxy(value)) return void this.leafRevoked(m, m, parent, key, label);
        const args = describeFunction(value);
        if (this.recordOrigins) this.originsFound[this.originsFound.length] = [value, args];
        this.emit('FUNCTION_NOT_CLONEABLE', m & this.S, parent, key, label, args);
        if (m & this.J) this.jsonLoss(parent, key, label, ctx, 'FUNCTION_DROPPED', args.type, args);
        return;
      }
    }
  }

  /** A bigint JSON sends as what a program's BigInt.prototype.toJSON returns, on `bits`; returns the other channels. */
  leafHook(bits: number, m: number, parent: Frame | null, key: PathSegment | undefined, label: string | undefined): number {
    const hook = bigintHook(this.sharedToJSON)!;
    this.emit(hook.code, bits, parent, key, label, hook.args);
    return m & ~bits;
  }

  /** A revoked Proxy of a function: every channel on `bits` throws reading it; returns the other channels. */
  leafRevoked(bits: number, m: number, parent: Frame | null, key: PathSegment | undefined, label: string | undefined): number {
    this.emit('REVOKED_PROXY', bits, parent, key, label);
    return m & ~bits;
  }

  /** Emits each active channel's rule for a top-level value of this kind; returns the channels without one. */
  rootRule(kind: RootKind, m: number, value: unknown, parent: Frame | null, key: PathSegment | undefined, label: string | undefined): number {
    const groups = this.k.root[kind];
    for (let g = 0; g < groups.length; g++) {
      const { code, bits } = groups[g]!;
      if (!(m & bits)) continue;
      let args: FindingArgs = typeArgs(kind);
      if (code === 'FUNCTION_NOT_CLONEABLE') {
        args = describeFunction(value);
        if (this.recordOrigins) this.originsFound[this.originsFound.length] = [value, args];
      }
      this.emit(code, m & bits, parent, key, label, args);
      m &= ~bits;
    }
    return m;
  }

  /** What JSON does with undefined, a function or a symbol: dropped from objects, null in arrays. */
  jsonLoss(
    parent: Frame | null,
    key: PathSegment | undefined,
    label: string | undefined,
    ctx: number,
    code: FindingCode,
    type: string,
    args?: FindingArgs,
  ): void {
    if (ctx === ELEM) this.emit('ARRAY_ELEMENT_BECOMES_NULL', this.J, parent, key, label, typeArgs(type));
    else if (ctx === PROP) this.emit(code, this.J, parent, key, label, args ?? typeArgs(type));
  }

  visit(f: Frame): void {
    const o = f.value;
    let m = f.mask;
    const rec = this.ids.get(o);
    if (rec) {
      const again = m & rec.seen;
      if (again & this.J) {
        rec.again ??= freeze({ firstSeen: atOf(rec, undefined, undefined) });
        if (rec.open & this.J) this.emit('CIRCULAR_NOT_JSON', this.J, f, undefined, undefined, rec.again);
        else this.emit('SHARED_REFERENCE_DUPLICATED', this.J, f, undefined, undefined, rec.again);
      }
      // A cycle that closes at an Error on a serializer channel runs through its cause (the only part
      // of an Error those channels descend into): the receiver cannot read such an Error back.
      const cycle = m & rec.open & this.S;
      if (cycle && types.isNativeError(o)) {
        const groups = this.k.errorCauseCycle;
        for (let g = 0; g < groups.length; g++) if (cycle & groups[g]!.bits) this.emit(groups[g]!.code, cycle & groups[g]!.bits, f);
      }
      // A host object Node's IPC writes as `{ ...object }` that is its own ancestor: the child cannot
      // read the back-reference to it ("Unable to deserialize cloned data").
      const hostCycle = this.spreadHosts.size > 0 ? m & rec.open & (this.spreadHosts.get(o) ?? 0) : 0;
      if (hostCycle) this.emit('UNCLONEABLE_TYPE', hostCycle, f, undefined, undefined, { type: 'host object that refers back to itself' });
      // Each further path to an ArrayBuffer whose bytes a view had copied (Node's serializers) reaches
      // a copy that is not that view's buffer.
      const copied = m & rec.seen & this.V;
      if (copied && this.copiedStores.size > 0) {
        const view = this.copiedStores.get(o);
        if (view) this.emit('SHARED_REFERENCE_DUPLICATED', copied, f, undefined, undefined, { firstSeen: atOf(view, undefined, undefined) });
      }
      // Structured clone and the V8 serializer keep identity: a second path is not a second copy.
      m &= ~rec.seen;
      if (!m) return;
      rec.seen |= m;
      rec.open |= m;
      f.rec = rec;
    } else {
      f.seen = m;
      f.open = m;
      f.rec = f;
      this.ids.set(o, f);
    }
    f.mask = m;
    if (f.depth >= 1000) this.checkDepth(f);
    if (f.parent === null && m & this.IPC && this.messageRoot && !isProxy(o)) this.nodeCommand(f, o, m & this.IPC);

    if (isProxy(o)) return this.proxy(f, m);
    if (isArray(o)) return this.array(f, o as unknown[], m);
    const proto = getPrototypeOf(o);
    if (proto === Object.prototype || proto === null) {
      // The serializers judge by internal slots: a built-in whose prototype was replaced is still one.
      if (!hasBuiltinSlots(o, proto === null)) {
        // A Node host object whose prototype was replaced (walk/kinds.ts): some channels refuse it.
        const symbols = getOwnPropertySymbols(o);
        const host = m & this.S && symbols.length > 0 ? hostOfReprototyped(o) : undefined;
        const refused = host ? this.reprototypedHost(f, o, m, host) : 0;
        return this.ordinary(f, o, m & ~refused, null, proto === null, symbols);
      }
      return this.special(f, o, m, proto === null ? NULL_PROTO_INFO : protoInfoOf(this.protos, proto));
    }
    const info = protoInfoOf(this.protos, proto);
    if (info.objectProto && !hasBuiltinSlots(o, false)) return this.ordinary(f, o, m, info);
    this.special(f, o, m, info);
  }

  checkDepth(f: Frame): void {
    for (let bit = 1; bit <= f.mask; bit <<= 1) {
      const limit = this.k.limitOfBit[bit]!;
      if (f.mask & bit && !(this.deepReported & bit) && f.depth >= limit) {
        this.deepReported |= bit;
        this.emit('NESTING_TOO_DEEP', bit, f, undefined, undefined, { depth: f.depth, limit, node: this.nodeName });
      }
    }
  }

  proxy(f: Frame, m: number): void {
    if (isRevokedProxy(f.value)) return this.emit('REVOKED_PROXY', m, f);
    this.emit('PROXY_NOT_CLONEABLE', m & this.S, f);
    this.emit('PROXY_UNWRAPPED', m & this.J, f);
  }

  /**
   * An ordinary object: `info` is null for `Object.prototype` or no prototype (`nullProto`), and
   * `symbols` its own symbol keys when the caller has read them already.
   */
  ordinary(f: Frame, o: object, m: number, info: ProtoInfo | null, nullProto = false, symbols?: symbol[]): void {
    if (info === null) {
      if (nullProto) this.emit('NULL_PROTOTYPE_LOST', m, f);
    } else if (!info.objectProto) {
      if (!info.lostArgs) {
        const details = classDetails(info);
        info.lostArgs = freeze({
          ...(info.className ? { className: info.className } : {}),
          methods: details.methods,
          getters: details.getters,
          setters: details.setters,
        });
        if (this.recordOrigins) {
          // Looked up now, at the class's first instance: its findings are made once, in their final words.
          const index = this.originsFound.length;
          this.originsFound[index] = [o, info.lostArgs];
          if (this.instanceOrigin) info.lostArgs = this.instanceOrigin(o, info.lostArgs, index);
        }
        if (details.fields.length > 0) info.fieldsArgs = freeze({ ...(info.className ? { className: info.className } : {}), fields: details.fields });
      }
      this.emit('PROTOTYPE_LOST', m, f, undefined, undefined, info.lostArgs);
      if (info.fieldsArgs) this.emit('PRIVATE_FIELDS_DROPPED', m, f, undefined, undefined, info.fieldsArgs);
    }
    if (m & this.J && this.toJSON(f, o, info)) m &= ~this.J;
    const sealed = this.integrity(f, o, m);
    this.properties(f, o, m, sealed, symbols);
  }

  /**
   * JSON calls toJSON (own or inherited) and sends what it returns: report it, never call it.
   * Returns true when JSON's outcome here is settled (toJSON runs, or JSON throws).
   */
  toJSON(f: Frame, o: object, info: ProtoInfo | null, intrinsicOk = false): boolean {
    const hook = jsonHookOf(o, info, intrinsicOk, this.sharedToJSON);
    if (hook === undefined) return false;
    this.emit(hook.code, this.J, f, undefined, undefined, hook.args);
    return true;
  }

  /** A top-level message Node's IPC takes as its own, on the channels whose writing keeps its `cmd` (walk/command.ts). */
  nodeCommand(f: Frame, o: object, ipc: number): void {
    const swallowed = swallowedAt(o, ipc, this.k, this.protos, this.sharedToJSON);
    if (swallowed) this.emit('MESSAGE_SWALLOWED', swallowed.bits, f, undefined, undefined, { cmd: swallowed.cmd });
  }

  /** Frozen, sealed and non-extensible objects arrive extensible. Returns true when sealed or frozen. */
  integrity(f: Frame, o: object, m: number): boolean {
    if (isExtensible(o)) return false;
    const integrity = isFrozen(o) ? 'frozen' : isSealed(o) ? 'sealed' : 'non-extensible';
    this.emit('INTEGRITY_LOST', m, f, undefined, undefined, { integrity });
    return integrity !== 'non-extensible';
  }

  /** Own properties of an ordinary object, as every channel reads them. */
  properties(f: Frame, o: object, m: number, sealed: boolean, symbols?: symbol[]): void {
    let keys: string[];
    try {
      // Names then symbols is the order of Reflect.ownKeys, at a third of its cost on small objects.
      keys = getOwnPropertyNames(o);
      symbols ??= getOwnPropertySymbols(o);
    } catch {
      return; // a module namespace still being evaluated
    }
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      let d: PropertyDescriptor | undefined;
      try {
        d = getOwnPropertyDescriptor(o, key);
      } catch {
        continue; // an uninitialised binding of a module namespace
      }
      if (!d) continue;
      this.property(f, key, d, m, sealed, PROP);
    }
    for (let k = 0; k < symbols.length; k++) this.emit('SYMBOL_KEY_DROPPED', m, f, symbols[k]!);
  }

  property(f: Frame, key: string | number, d: PropertyDescriptor, m: number, sealed: boolean, ctx: number): void {
    if (!d.enumerable) {
      this.emit('NON_ENUMERABLE_DROPPED', m, f, key, undefined, accessorArgs(d));
      return;
    }
    if (d.get !== undefined || d.set !== undefined) {
      if (d.get === undefined && m & this.J) {
        // JSON reads undefined from a setter-only accessor: the key is left out (null in an array).
        this.jsonLoss(f, key, undefined, ctx, 'UNDEFINED_DROPPED', 'setter-only accessor');
        m &= ~this.J;
      }
      this.emit('ACCESSOR_FLATTENED', m, f, key, undefined, accessorArgs(d));
      return;
    }
    if (!sealed && (!d.writable || !d.configurable)) {
      const attributes: string[] = [];
      if (!d.writable) attributes[attributes.length] = 'read-only';
      if (!d.configurable) attributes[attributes.length] = 'non-configurable';
      this.emit('READONLY_LOST', m, f, key, undefined, { attributes });
    }
    this.child(f, key, undefined, d.value, m, ctx);
  }
}
