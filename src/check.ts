import { effectOf, hintFor, messageFor, type FindingArgs, type FindingCode } from './codes.js';
import {
  BUFFER_POOL_SIZE,
  BUFFER_PROTOTYPE,
  builtinPrototypeName,
  bufferByteLength,
  dataViewBuffer,
  dateGetTime,
  functionToString,
  getOwnPropertyDescriptor,
  getOwnPropertyNames,
  getOwnPropertySymbols,
  getPrototypeOf,
  hasOwn,
  hostInfoOfChain,
  isArray,
  isDetached,
  isExtensible,
  isFinalizationRegistry,
  isFrozen,
  isProxy,
  isResizable,
  isRevokedProxy,
  isSealed,
  isWeakRef,
  NODE_MAJOR,
  lookupGetter,
  ownKeys,
  readMapEntries,
  readSetMembers,
  regexpExec,
  types,
  viewBuffer,
  viewByteLength,
  viewTag,
  type HostInfo,
} from './intrinsics.js';
import { describeMapKey, formatPath, quote } from './path.js';
import { CHANNELS, type Channel, type CheckOptions, type CheckResult, type Finding, type PathSegment } from './types.js';

// Channels are bits, so that one walk judges all of them: a node carries the set of channels that
// reach it (JSON does not reach Map entries; nothing reaches a symbol-keyed property).
const W = 1; // worker: structured clone
const J = 2; // fork: JSON
const V = 4; // fork-advanced: the V8 serializer
const BIT: Partial<Record<Channel, number>> = { worker: W, fork: J, 'fork-advanced': V };
const CHANNEL_OF_BIT: Channel[] = [];
CHANNEL_OF_BIT[W] = 'worker';
CHANNEL_OF_BIT[J] = 'fork';
CHANNEL_OF_BIT[V] = 'fork-advanced';

/**
 * Nesting depths at which each serializer overflows its stack (measured on Node 20 from a shallow
 * main-thread stack: structured clone ~1,925, postMessage ~3,082, fork-advanced ~1,928 with the child
 * crashing while decoding, JSON ~4,110). The checker reports from a little below the lowest figure.
 */
export const NESTING_LIMITS: Readonly<Record<Channel, number>> = { worker: 1800, fork: 4000, 'fork-advanced': 1800, json: 4000, v8: 1800 };
const LIMIT_OF_BIT: number[] = [];
LIMIT_OF_BIT[W] = NESTING_LIMITS.worker;
LIMIT_OF_BIT[J] = NESTING_LIMITS.fork;
LIMIT_OF_BIT[V] = NESTING_LIMITS['fork-advanced'];

/** V8's longest string, which bounds the JSON text of a message. */
const MAX_STRING_LENGTH = 2 ** 29 - 24;
/** Arrays and typed arrays up to this length have their named properties listed too (see docs). */
export const LISTED_KEYS_LIMIT = 65536;
/**
 * Typed arrays up to this length have their named properties listed: listing costs a string per
 * element, so beyond it only symbol keys are read and a view costs the same whatever its length.
 */
export const LISTED_VIEW_KEYS_LIMIT = 64;

const NATIVE_ERROR_NAMES = new Set(['EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError']);

// JSON contexts: where a primitive or function sits decides what JSON does with it.
const ROOT = 0;
const PROP = 1;
const ELEM = 2;
const OTHER = 3;

interface Frame {
  readonly value: object;
  readonly parent: Frame | null;
  readonly key: PathSegment | undefined;
  readonly label: string | undefined;
  readonly depth: number;
  mask: number;
  exit: boolean;
  /** The first frame of this object, which records the channels that reached it and are inside it. */
  rec: Frame | undefined;
  seen: number;
  open: number;
  again?: FindingArgs;
}

interface ProtoInfo {
  /** Object.prototype of any realm. */
  readonly objectProto: boolean;
  /** Name of the built-in this prototype belongs to ('Array', 'Map', ...), any realm. */
  readonly builtin: string | undefined;
  readonly chain: readonly object[];
  /** False when a Proxy sits on the chain (then nothing past it is read). */
  readonly readable: boolean;
  readonly host: HostInfo | undefined;
  readonly className: string | undefined;
  /** Names of the built-ins on the chain, nearest first. */
  readonly builtins: readonly string[];
  classDetails?: { methods: string[]; getters: string[]; setters: string[]; fields: string[] };
  toJSON?: { found: boolean; intrinsic: boolean };
  indexFree?: boolean;
  /** The args of PROTOTYPE_LOST and PRIVATE_FIELDS_DROPPED, made once per prototype and frozen. */
  lostArgs?: FindingArgs;
  fieldsArgs?: FindingArgs;
}

const INTRINSIC_TOJSON = new Set<unknown>([Date.prototype.toJSON, BUFFER_PROTOTYPE.toJSON, URL.prototype.toJSON]);

const ITERATOR_PROTOTYPES = new Map<object, string>([
  [Object.getPrototypeOf([][Symbol.iterator]()) as object, 'Array Iterator'],
  [Object.getPrototypeOf(''[Symbol.iterator]()) as object, 'String Iterator'],
  [Object.getPrototypeOf(/a/g[Symbol.matchAll]('')) as object, 'RegExp String Iterator'],
  [Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())) as object, 'Iterator'],
]);

/** Args shared by many findings are frozen: their message and hint are made once per check. */
const NO_ARGS: FindingArgs = Object.freeze({});
const NUMBER_ARGS: Readonly<Record<string, FindingArgs>> = {
  NaN: Object.freeze({ value: 'NaN' }),
  Infinity: Object.freeze({ value: 'Infinity' }),
  '-Infinity': Object.freeze({ value: '-Infinity' }),
  '-0': Object.freeze({ value: '-0' }),
};

const CANONICAL_INDEX = /^(?:0|[1-9]\d*)$/;
const ARROW = /^(?:async\s*)?(?:\([^)]*\)|[\w$]+)\s*=>/;
const isIndexKey = (key: string): boolean => regexpExec(CANONICAL_INDEX, key) !== null && Number(key) < 4294967295;

/**
 * Walks `value` once and reports, per channel and path by path, what would throw, what would be
 * lost or changed, and what stays shared. Never runs the value's code, never throws, never copies.
 *
 * @example
 * check({ job: { onDone() {} } }).findings[0]
 * // { channel: 'worker', effect: 'throws', code: 'FUNCTION_NOT_CLONEABLE', at: '$.job.onDone', ... }
 */
export function check(value: unknown, options: CheckOptions = {}): CheckResult {
  const channels = normalizeChannels(options.channels);
  let active = 0;
  for (const ch of channels) active |= BIT[ch]!;
  const walker = new Walker(active, options);
  try {
    walker.run(value);
  } catch (error) {
    // A check must never throw: a failure here is a bug in clonecheck, not in the user's value.
    walker.internalError = error;
  }
  return walker.result(channels);
}

function normalizeChannels(channels: readonly Channel[] | undefined): Channel[] {
  if (channels === undefined) return [...CHANNELS];
  const out: Channel[] = [];
  for (const ch of channels) {
    if (!(ch in BIT)) throw new TypeError(`clonecheck: unknown channel ${JSON.stringify(ch)}; use one of ${CHANNELS.join(', ')}`);
    if (!out.includes(ch)) out.push(ch);
  }
  return CHANNELS.filter((ch) => out.includes(ch));
}

class Walker {
  /** Findings per channel bit, made where they are found: no raw record, no sort at the end. */
  readonly byBit: Finding[][] = [[], [], [], [], []];
  count = 0;
  /** Sentences already made for frozen (shared) args, by args, then code and channel. */
  readonly sentences = new Map<FindingArgs, Map<string, Finding>>();
  readonly lossy: number[] = [];
  readonly ids = new Map<object, Frame>();
  readonly protos = new Map<object, ProtoInfo>();
  readonly stack: Frame[] = [];
  readonly transfer: Set<object>;
  readonly messageRoot: boolean;
  readonly maxFindings: number;
  deepReported = 0;
  truncated = false;
  internalError: unknown;

  constructor(
    readonly active: number,
    options: CheckOptions,
  ) {
    this.messageRoot = options.root !== 'value';
    this.maxFindings = options.maxFindings ?? Infinity;
    this.transfer = new Set();
    if (options.transferList && active & W) this.readTransferList(options.transferList);
  }

  // ---- findings ----

  emit(code: FindingCode, bits: number, frame: Frame | null, key?: PathSegment, label?: string, args: FindingArgs = NO_ARGS): void {
    bits &= this.active;
    if (!bits) return;
    const lossy = effectOf(code) !== 'note';
    for (let bit = 1; bit <= 4; bit <<= 1) {
      if (!(bits & bit)) continue;
      if (lossy) this.lossy[bit] = 1;
      if (this.count >= this.maxFindings) {
        this.truncated = true;
        continue;
      }
      this.count++;
      this.byBit[bit]!.push(materialize(code, bit, frame, key, label, args, this.sentences));
    }
  }

  result(channels: Channel[]): CheckResult {
    const findings: Finding[] = [];
    for (let c = 0; c < CHANNELS.length; c++) {
      const list = this.byBit[BIT[CHANNELS[c]!]!]!;
      for (let i = 0; i < list.length; i++) findings.push(list[i]!);
    }
    const lossless: Partial<Record<Channel, boolean>> = {};
    for (const ch of channels) lossless[ch] = !this.lossy[BIT[ch]!];
    const target = `node${NODE_MAJOR}` as CheckResult['target'];
    if (this.internalError !== undefined) {
      // Say so rather than pretend the value is fine. (Also kept on the list while callers move to
      // result.internalError.)
      Object.defineProperty(findings, 'internalError', { value: this.internalError, enumerable: false });
      for (const ch of channels) lossless[ch] = false;
      return { findings, ignored: [], channels, lossless, truncated: this.truncated, target, internalError: this.internalError };
    }
    return { findings, ignored: [], channels, lossless, truncated: this.truncated, target };
  }

  // ---- the walk ----

  run(root: unknown): void {
    if (root !== null && typeof root === 'object') {
      this.stack.push(frameOf(root, null, undefined, undefined, 0, this.active));
      this.loop();
    } else {
      this.leaf(null, undefined, undefined, root, this.active, this.messageRoot ? ROOT : PROP);
    }
  }

  loop(): void {
    const stack = this.stack;
    while (stack.length > 0) {
      const f = stack[stack.length - 1]!;
      if (f.exit) {
        stack.pop();
        if (f.rec) f.rec.open &= ~f.mask;
        continue;
      }
      f.exit = true;
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
      this.stack.push(frameOf(value, parent, key, label, parent ? parent.depth + 1 : 0, bits));
    } else if (value !== null) {
      this.leaf(parent, key, label, value, bits, ctx);
    }
  }

  /** Primitives and functions: judged where they sit, never entered. */
  leaf(parent: Frame | null, key: PathSegment | undefined, label: string | undefined, value: unknown, m: number, ctx: number): void {
    const atRoot = ctx === ROOT;
    switch (typeof value) {
      case 'number':
        if (m & J && (value !== value || value === Infinity || value === -Infinity || Object.is(value, -0))) {
          const text = Object.is(value, -0) ? '-0' : String(value);
          this.emit('NUMBER_NOT_JSON', J, parent, key, label, NUMBER_ARGS[text]);
        }
        return;
      case 'string':
      case 'boolean':
        return;
      case 'undefined':
        if (atRoot) this.emit('SEND_REFUSES_VALUE', m & (J | V), parent, key, label, { type: 'undefined' });
        else if (m & J) this.jsonLoss(parent, key, label, ctx, 'UNDEFINED_DROPPED', 'undefined');
        return;
      case 'bigint':
        if (atRoot) this.emit('SEND_REFUSES_VALUE', m & (J | V), parent, key, label, { type: 'bigint' });
        else this.emit('BIGINT_NOT_JSON', m & J, parent, key, label, { type: 'bigint' });
        return;
      case 'symbol':
        if (atRoot) {
          this.emit('SEND_REFUSES_VALUE', m & (J | V), parent, key, label, { type: 'symbol' });
          this.emit('SYMBOL_NOT_CLONEABLE', m & W, parent, key, label, { type: 'symbol' });
        } else {
          this.emit('SYMBOL_NOT_CLONEABLE', m & (W | V), parent, key, label, { type: 'symbol' });
          if (m & J) this.jsonLoss(parent, key, label, ctx, 'SYMBOL_VALUE_DROPPED', 'symbol');
        }
        return;
      case 'function': {
        const args = describeFunction(value);
        if (atRoot) {
          this.emit('SEND_REFUSES_VALUE', m & (J | V), parent, key, label, { type: 'function' });
          this.emit('FUNCTION_NOT_CLONEABLE', m & W, parent, key, label, args);
        } else {
          this.emit('FUNCTION_NOT_CLONEABLE', m & (W | V), parent, key, label, args);
          if (m & J) this.jsonLoss(parent, key, label, ctx, 'FUNCTION_DROPPED', args.type!, args);
        }
        return;
      }
    }
  }

  /** What JSON does with undefined, a function or a symbol: dropped from objects, null in arrays. */
  jsonLoss(parent: Frame | null, key: PathSegment | undefined, label: string | undefined, ctx: number, code: FindingCode, type: string, args?: FindingArgs): void {
    if (ctx === ELEM) this.emit('ARRAY_ELEMENT_BECOMES_NULL', J, parent, key, label, { type });
    else if (ctx === PROP) this.emit(code, J, parent, key, label, args ?? { type });
  }

  visit(f: Frame): void {
    const o = f.value;
    let m = f.mask;
    const rec = this.ids.get(o);
    if (rec) {
      const again = m & rec.seen;
      if (again & J) {
        rec.again ??= Object.freeze({ firstSeen: atOf(rec, undefined, undefined) });
        if (rec.open & J) this.emit('CIRCULAR_NOT_JSON', J, f, undefined, undefined, rec.again);
        else this.emit('SHARED_REFERENCE_DUPLICATED', J, f, undefined, undefined, rec.again);
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

    if (isProxy(o)) return this.proxy(f, m);
    if (isArray(o)) return this.array(f, o as unknown[], m);
    const proto = getPrototypeOf(o);
    if (proto === Object.prototype) {
      if (types.isArgumentsObject(o)) return this.uncloneable(f, m, 'arguments object', this.protoInfo(proto));
      return this.ordinary(f, o, m, null);
    }
    if (proto === null) {
      if (types.isModuleNamespaceObject(o)) return this.uncloneable(f, m, 'module namespace object', null);
      return this.ordinary(f, o, m, null);
    }
    const info = this.protoInfo(proto);
    if (info.objectProto && !types.isArgumentsObject(o)) return this.ordinary(f, o, m, info);
    this.special(f, o, m, info);
  }

  checkDepth(f: Frame): void {
    for (let bit = 1; bit <= 4; bit <<= 1) {
      if (f.mask & bit && !(this.deepReported & bit) && f.depth >= LIMIT_OF_BIT[bit]!) {
        this.deepReported |= bit;
        this.emit('NESTING_TOO_DEEP', bit, f, undefined, undefined, { depth: f.depth, limit: LIMIT_OF_BIT[bit]! });
      }
    }
  }

  special(f: Frame, o: object, m: number, info: ProtoInfo): void {
    if (types.isNativeError(o)) return this.error(f, o, m, info);
    if (types.isDate(o)) return this.date(f, o as Date, m, info);
    if (types.isRegExp(o)) return this.regexp(f, o, m, info);
    if (types.isMap(o)) return this.map(f, o, m, info);
    if (types.isSet(o)) return this.set(f, o, m, info);
    if (types.isArrayBufferView(o)) return this.view(f, o as ArrayBufferView, m, info);
    if (types.isArrayBuffer(o)) return this.arrayBuffer(f, o as ArrayBuffer, m, info);
    if (types.isSharedArrayBuffer(o)) return this.sharedArrayBuffer(f, o, m, info);
    if (types.isBoxedPrimitive(o)) return this.boxed(f, o, m, info);
    if (types.isPromise(o)) return this.uncloneable(f, m, 'Promise', info);
    if (types.isWeakMap(o)) return this.uncloneable(f, m, 'WeakMap', info);
    if (types.isWeakSet(o)) return this.uncloneable(f, m, 'WeakSet', info);
    if (types.isGeneratorObject(o)) return this.uncloneable(f, m, 'generator object', info);
    if (types.isMapIterator(o)) return this.uncloneable(f, m, 'Map iterator', info);
    if (types.isSetIterator(o)) return this.uncloneable(f, m, 'Set iterator', info);
    if (types.isArgumentsObject(o)) return this.uncloneable(f, m, 'arguments object', info);
    if (types.isModuleNamespaceObject(o)) return this.uncloneable(f, m, 'module namespace object', info);
    // Not util.types.isKeyObject/isCryptoKey: those read a property through the prototype chain.
    if (info.host) return this.host(f, o, m, info, info.host);
    if (o === globalThis) return this.uncloneable(f, m, 'global object', info);
    const names = info.builtins;
    for (let n = 0; n < names.length; n++) {
      const name = names[n]!;
      if (name === 'WeakRef' && isWeakRef(o)) return this.uncloneable(f, m, 'WeakRef', info);
      if (name === 'FinalizationRegistry' && isFinalizationRegistry(o)) return this.uncloneable(f, m, 'FinalizationRegistry', info);
      if (name.startsWith('Intl.') || name.endsWith('Iterator') || name === 'Iterator') return this.uncloneable(f, m, name, info);
    }
    this.ordinary(f, o, m, info);
  }

  // ---- kinds ----

  proxy(f: Frame, m: number): void {
    if (isRevokedProxy(f.value)) return this.emit('REVOKED_PROXY', m, f);
    this.emit('PROXY_NOT_CLONEABLE', m & (W | V), f);
    this.emit('PROXY_UNWRAPPED', m & J, f);
  }

  ordinary(f: Frame, o: object, m: number, info: ProtoInfo | null): void {
    if (info === null) {
      if (getPrototypeOf(o) === null) this.emit('NULL_PROTOTYPE_LOST', m, f);
    } else if (!info.objectProto) {
      if (!info.lostArgs) {
        const details = this.classDetails(info);
        info.lostArgs = Object.freeze({
          ...(info.className ? { className: info.className } : {}),
          methods: details.methods,
          getters: details.getters,
          setters: details.setters,
        });
        if (details.fields.length > 0) info.fieldsArgs = Object.freeze({ ...(info.className ? { className: info.className } : {}), fields: details.fields });
      }
      this.emit('PROTOTYPE_LOST', m, f, undefined, undefined, info.lostArgs);
      if (info.fieldsArgs) this.emit('PRIVATE_FIELDS_DROPPED', m, f, undefined, undefined, info.fieldsArgs);
    }
    if (m & J && this.toJSON(f, o, info)) m &= ~J;
    if (f.parent === null && this.messageRoot) this.nodeCommand(f, o, m);
    const sealed = this.integrity(f, o, m);
    this.properties(f, o, m, sealed);
  }

  /** JSON calls toJSON (own or inherited) and sends what it returns: report it, never call it. */
  toJSON(f: Frame, o: object, info: ProtoInfo | null, intrinsicOk = false): boolean {
    const own = getOwnPropertyDescriptor(o, 'toJSON');
    let found = false;
    let intrinsic = false;
    if (own) {
      found = own.get !== undefined || typeof own.value === 'function';
      intrinsic = found && INTRINSIC_TOJSON.has(own.value);
    } else if (info) {
      const tj = this.protoToJSON(info);
      found = tj.found;
      intrinsic = tj.intrinsic;
    }
    if (!found) return false;
    if (intrinsic && intrinsicOk) return false;
    this.emit('TOJSON_CALLED', J, f, undefined, undefined, { own: own !== undefined, ...(info?.className ? { className: info.className } : {}) });
    return true;
  }

  nodeCommand(f: Frame, o: object, m: number): void {
    if (!(m & (J | V))) return;
    const cmd = getOwnPropertyDescriptor(o, 'cmd');
    // Node takes a message as its own only when cmd is longer than the bare prefix.
    if (cmd && cmd.enumerable && typeof cmd.value === 'string' && cmd.value.length > 5 && cmd.value.startsWith('NODE_')) {
      this.emit('MESSAGE_SWALLOWED', m & (J | V), f, undefined, undefined, { value: quote(cmd.value) });
    }
  }

  /** Frozen, sealed and non-extensible objects arrive extensible. Returns true when sealed or frozen. */
  integrity(f: Frame, o: object, m: number): boolean {
    if (isExtensible(o)) return false;
    const integrity = isFrozen(o) ? 'frozen' : isSealed(o) ? 'sealed' : 'non-extensible';
    this.emit('INTEGRITY_LOST', m, f, undefined, undefined, { integrity });
    return integrity !== 'non-extensible';
  }

  /** Own properties of an ordinary object, as every channel reads them. */
  properties(f: Frame, o: object, m: number, sealed: boolean): void {
    let keys: string[];
    let symbols: symbol[];
    try {
      // Names then symbols is the order of Reflect.ownKeys, at a third of its cost on small objects.
      keys = getOwnPropertyNames(o);
      symbols = getOwnPropertySymbols(o);
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
      this.emit('NON_ENUMERABLE_DROPPED', m, f, key, undefined, { getter: d.get !== undefined, setter: d.set !== undefined });
      return;
    }
    if (d.get !== undefined || d.set !== undefined) {
      if (d.get === undefined && m & J) {
        // JSON reads undefined from a setter-only accessor: the key is left out (null in an array).
        this.jsonLoss(f, key, undefined, ctx, 'UNDEFINED_DROPPED', 'setter-only accessor');
        m &= ~J;
      }
      this.emit('ACCESSOR_FLATTENED', m, f, key, undefined, { getter: d.get !== undefined, setter: d.set !== undefined });
      return;
    }
    if (!sealed && (!d.writable || !d.configurable)) {
      const attributes = [!d.writable ? 'read-only' : '', !d.configurable ? 'non-configurable' : ''].filter(Boolean);
      this.emit('READONLY_LOST', m, f, key, undefined, { attributes });
    }
    this.child(f, key, undefined, d.value, m, ctx);
  }

  array(f: Frame, arr: unknown[], m: number): void {
    const proto = getPrototypeOf(arr);
    const info = proto === Array.prototype ? null : proto === null ? undefined : this.protoInfo(proto);
    if (info !== null && info?.builtin !== 'Array') {
      this.emit('SUBCLASS_LOST', m, f, undefined, undefined, { className: info?.className ?? 'Array (null prototype)', base: 'Array' });
    }
    if (m & J && this.toJSON(f, arr, info ?? null)) m &= ~J;
    const sealed = this.integrity(f, arr, m);
    const length = arr.length; // an Array's own length is a data property: reading it runs nothing
    let holes: number;
    if (length <= LISTED_KEYS_LIMIT) {
      holes = this.arrayByKeys(f, arr, m, sealed, ownKeys(arr), length, 0);
    } else {
      holes = this.arrayByIndex(f, arr, m, sealed, length, info ?? null);
      const symbols = getOwnPropertySymbols(arr);
      for (let k = 0; k < symbols.length; k++) this.emit('SYMBOL_KEY_DROPPED', m, f, symbols[k]!);
    }
    if (m & J && holes > 0) {
      if (holes * 5 > MAX_STRING_LENGTH) this.emit('JSON_TOO_LONG', J, f, undefined, undefined, { count: length });
      else this.emit('ARRAY_HOLES_BECOME_NULL', J, f, undefined, undefined, { count: holes });
    }
  }

  /** Reads elements and named properties from the own keys; returns the number of holes. */
  arrayByKeys(f: Frame, arr: unknown[], m: number, sealed: boolean, keys: (string | symbol)[], length: number, from: number): number {
    let elements = 0;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      if (typeof key === 'symbol') {
        this.emit('SYMBOL_KEY_DROPPED', m, f, key);
        continue;
      }
      if (isIndexKey(key)) {
        const index = Number(key);
        if (index < from) continue;
        elements++;
        const d = getOwnPropertyDescriptor(arr, key)!;
        if (!d.enumerable && m & J) {
          // JSON reads every index, enumerable or not; the serializers skip a non-enumerable one.
          this.emit('NON_ENUMERABLE_DROPPED', m & (W | V), f, index);
          this.child(f, index, undefined, d.value, J, ELEM);
          continue;
        }
        this.property(f, index, d, m, sealed, ELEM);
        continue;
      }
      if (key === 'length') continue;
      // A named property on an array: the serializers keep it, JSON drops it.
      const d = getOwnPropertyDescriptor(arr, key)!;
      if (!d.enumerable) {
        this.emit('NON_ENUMERABLE_DROPPED', m, f, key, undefined, { getter: d.get !== undefined, setter: d.set !== undefined });
        continue;
      }
      this.emit('EXTRA_PROPERTY_DROPPED', m & J, f, key, undefined, { type: 'Array' });
      this.property(f, key, d, m & (W | V), sealed, PROP);
    }
    return length - from - elements;
  }

  /**
   * Long arrays are read by index (listing their keys would cost a string per element). An own
   * getter is found with __lookupGetter__ before the element is read, so none ever runs.
   */
  arrayByIndex(f: Frame, arr: unknown[], m: number, sealed: boolean, length: number, info: ProtoInfo | null): number {
    const indexFree = info === null ? this.arrayPrototypeIndexFree() : this.chainIndexFree(info);
    let holes = 0;
    for (let i = 0; i < length; i++) {
      if (!indexFree && !hasOwn(arr, i)) {
        holes++;
      } else if (lookupGetter(arr, i) !== undefined) {
        this.property(f, i, getOwnPropertyDescriptor(arr, i)!, m, sealed, ELEM);
      } else {
        const v = arr[i];
        if (v === undefined) {
          const d = getOwnPropertyDescriptor(arr, i);
          if (d) this.property(f, i, d, m, sealed, ELEM);
          else holes++;
        } else if (typeof v === 'object' && v !== null) {
          this.stack.push(frameOf(v, f, i, undefined, f.depth + 1, m));
        } else {
          this.leaf(f, i, undefined, v, m, ELEM);
        }
      }
      // Mostly holes: a sparse array's own keys are few, so read those instead of every index.
      if (holes > 16 && holes * 2 > i) {
        return holes + this.arrayByKeys(f, arr, m, sealed, ownKeys(arr), length, i + 1);
      }
    }
    return holes;
  }

  arrayPrototypeIndexFree(): boolean {
    return this.chainIndexFree(this.protoInfo(Array.prototype));
  }

  /** No Proxy and no index-like key on the chain: reading a hole runs nothing and finds nothing. */
  chainIndexFree(info: ProtoInfo): boolean {
    if (info.indexFree === undefined) {
      let free = info.readable;
      for (let j = 0; free && j < info.chain.length; j++) {
        const keys = ownKeys(info.chain[j]!);
        for (let k = 0; k < keys.length; k++) {
          const key = keys[k]!;
          if (typeof key === 'string' && isIndexKey(key)) free = false;
        }
      }
      info.indexFree = free;
    }
    return info.indexFree;
  }

  /** Own properties of a built-in whose data lives in internal slots: the serializers copy only the slots. */
  builtinProperties(f: Frame, o: object, m: number, type: string, skip?: (key: string) => boolean): void {
    const keys = ownKeys(o);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      if (typeof key === 'symbol') {
        this.emit('SYMBOL_KEY_DROPPED', m, f, key);
        continue;
      }
      if (skip?.(key)) continue;
      const d = getOwnPropertyDescriptor(o, key);
      if (!d) continue;
      if (!d.enumerable) {
        this.emit('NON_ENUMERABLE_DROPPED', m, f, key, undefined, { getter: d.get !== undefined, setter: d.set !== undefined });
        continue;
      }
      this.emit('EXTRA_PROPERTY_DROPPED', m & (W | V), f, key, undefined, { type, key: quote(key) });
      // JSON sends the enumerable own properties of any object it does not otherwise know.
      if (m & J) this.property(f, key, d, J, false, PROP);
    }
  }

  subclass(f: Frame, m: number, info: ProtoInfo, base: string): void {
    if (info.builtin !== base) {
      this.emit('SUBCLASS_LOST', m, f, undefined, undefined, { className: info.className ?? `${base} (custom prototype)`, base });
    }
  }

  date(f: Frame, o: Date, m: number, info: ProtoInfo): void {
    this.subclass(f, m & (W | V), info, 'Date');
    if (m & J && !this.toJSON(f, o, info, true)) {
      const time = dateGetTime(o);
      this.emit(time === time ? 'DATE_BECOMES_STRING' : 'INVALID_DATE_BECOMES_NULL', J, f);
    }
    this.integrity(f, o, m);
    this.builtinProperties(f, o, m & (W | V), 'Date');
  }

  regexp(f: Frame, o: object, m: number, info: ProtoInfo): void {
    this.subclass(f, m & (W | V), info, 'RegExp');
    const lastIndex = getOwnPropertyDescriptor(o, 'lastIndex');
    if (lastIndex && 'value' in lastIndex && lastIndex.value !== 0) {
      this.emit('REGEXP_LASTINDEX_RESET', m & (W | V), f, undefined, undefined, { value: typeof lastIndex.value === 'number' ? String(lastIndex.value) : typeof lastIndex.value });
    }
    if (m & J && !this.toJSON(f, o, info)) this.emit('BUILTIN_BECOMES_OBJECT', J, f, undefined, undefined, { type: 'RegExp' });
    this.integrity(f, o, m);
    this.builtinProperties(f, o, m, 'RegExp', (k) => k === 'lastIndex');
  }

  map(f: Frame, o: object, m: number, info: ProtoInfo): void {
    this.subclass(f, m & (W | V), info, 'Map');
    const entries = readMapEntries(o);
    if (m & J && !this.toJSON(f, o, info)) this.emit('MAP_BECOMES_OBJECT', J, f, undefined, undefined, { count: entries.length });
    this.integrity(f, o, m);
    this.builtinProperties(f, o, m, 'Map');
    const wv = m & (W | V);
    if (!wv) return;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!; // by index: destructuring would call the (patchable) array iterator
      this.child(f, { kind: 'map-key', index: i }, undefined, entry[0], wv, OTHER);
      this.child(f, { kind: 'map-value', index: i }, describeMapKey(entry[0]), entry[1], wv, OTHER);
    }
  }

  set(f: Frame, o: object, m: number, info: ProtoInfo): void {
    this.subclass(f, m & (W | V), info, 'Set');
    const members = readSetMembers(o);
    if (m & J && !this.toJSON(f, o, info)) this.emit('SET_BECOMES_OBJECT', J, f, undefined, undefined, { count: members.length });
    this.integrity(f, o, m);
    this.builtinProperties(f, o, m, 'Set');
    const wv = m & (W | V);
    if (!wv) return;
    for (let i = 0; i < members.length; i++) this.child(f, { kind: 'set-member', index: i }, undefined, members[i], wv, OTHER);
  }

  boxed(f: Frame, o: object, m: number, info: ProtoInfo): void {
    const type = types.isNumberObject(o)
      ? 'Number'
      : types.isStringObject(o)
        ? 'String'
        : types.isBooleanObject(o)
          ? 'Boolean'
          : types.isBigIntObject(o)
            ? 'BigInt'
            : 'Symbol';
    if (type === 'Symbol') {
      this.emit('SYMBOL_NOT_CLONEABLE', m & (W | V), f, undefined, undefined, { type: 'boxed Symbol' });
    } else {
      this.subclass(f, m & (W | V), info, type);
    }
    if (m & J && !this.toJSON(f, o, info)) {
      if (type === 'BigInt') this.emit('BIGINT_NOT_JSON', J, f, undefined, undefined, { type: 'boxed BigInt' });
      else if (type === 'Symbol') this.emit('BUILTIN_BECOMES_OBJECT', J, f, undefined, undefined, { type: 'boxed Symbol' });
      else this.emit('BOXED_PRIMITIVE_UNBOXED', J, f, undefined, undefined, { type });
      m &= ~J;
    }
    this.integrity(f, o, m);
    // A String object's characters are index properties of its own; they are the value, not extras.
    this.builtinProperties(f, o, m, `boxed ${type}`, type === 'String' ? (k) => k === 'length' || isIndexKey(k) : undefined);
  }

  arrayBuffer(f: Frame, o: ArrayBuffer, m: number, info: ProtoInfo): void {
    this.subclass(f, m & (W | V), info, 'ArrayBuffer');
    if (m & W && this.transfer.has(o)) {
      this.emit('TRANSFERRED', W, f, undefined, undefined, { type: 'ArrayBuffer' });
      m &= ~W;
    }
    if (isDetached(o)) this.emit('DETACHED_BUFFER', m & (W | V), f, undefined, undefined, { type: 'ArrayBuffer' });
    if (m & J && !this.toJSON(f, o, info)) this.emit('BUILTIN_BECOMES_OBJECT', J, f, undefined, undefined, { type: 'ArrayBuffer' });
    this.integrity(f, o, m);
    this.builtinProperties(f, o, m, 'ArrayBuffer');
  }

  sharedArrayBuffer(f: Frame, o: object, m: number, info: ProtoInfo): void {
    this.subclass(f, m & W, info, 'SharedArrayBuffer');
    this.emit('SHARED_MEMORY', m & W, f, undefined, undefined, { bytes: bufferByteLength(o as SharedArrayBuffer) });
    this.emit('SHARED_MEMORY_NOT_SERIALIZABLE', m & V, f);
    if (m & J && !this.toJSON(f, o, info)) this.emit('BUILTIN_BECOMES_OBJECT', J, f, undefined, undefined, { type: 'SharedArrayBuffer' });
    this.integrity(f, o, m & ~V);
    this.builtinProperties(f, o, m & ~V, 'SharedArrayBuffer');
  }

  view(f: Frame, o: ArrayBufferView, m: number, info: ProtoInfo): void {
    const isDataView = types.isDataView(o);
    const type = isDataView ? 'DataView' : viewTag(o);
    const buffer = isDataView ? dataViewBuffer(o) : viewBuffer(o);
    const shared = types.isSharedArrayBuffer(buffer);
    const isBuffer = info.chain.includes(BUFFER_PROTOTYPE);
    const detached = !shared && isDetached(buffer);
    const bytes = detached ? 0 : isDataView ? (o as DataView).byteLength : viewByteLength(o);
    const storeBytes = detached ? 0 : bufferByteLength(buffer);
    const pooled = isBuffer && storeBytes === BUFFER_POOL_SIZE && bytes < storeBytes;
    const typeName = isBuffer ? 'Buffer' : type;

    if (detached) {
      this.emit('DETACHED_BUFFER', m & (W | V), f, undefined, undefined, { type: typeName });
    } else {
      if (isBuffer) this.emit('BUFFER_BECOMES_UINT8ARRAY', m & W, f);
      if (!isBuffer) this.subclass(f, m & (W | V), info, type);
      else if (info.chain[0] !== BUFFER_PROTOTYPE && info.className !== 'FastBuffer' && info.className !== 'Buffer') {
        this.emit('SUBCLASS_LOST', m & V, f, undefined, undefined, { className: info.className ?? 'Buffer subclass', base: 'Buffer' });
      }
      if (m & W) {
        if (shared) this.emit('SHARED_MEMORY', W, f, undefined, undefined, { bytes: storeBytes });
        else if (this.transfer.has(buffer)) {
          // Node 21 throws for an untransferable entry; Node 20 silently copies it.
          if (pooled && NODE_MAJOR >= 21) this.emit('TRANSFER_LIST_INVALID', W, f, undefined, undefined, { key: 'for this Buffer', type: "Node's Buffer pool" });
          else if (pooled) this.emit('POOLED_BUFFER_NOT_TRANSFERRED', W, f, undefined, undefined, { bytes, storeBytes });
          else this.emit('TRANSFERRED', W, f, undefined, undefined, { type: typeName });
        } else if (storeBytes > bytes) {
          this.emit('BACKING_STORE_COPIED', W, f, undefined, undefined, { bytes, storeBytes, pooled });
        }
      }
      if (shared) this.emit('SHARED_VIEW_COPIED', m & V, f, undefined, undefined, { type: typeName });
      else this.emit('VIEW_REBASED', m & V, f, undefined, undefined, { type: typeName, resizable: isResizable(buffer) });
    }
    if (m & J && !this.toJSON(f, o, info, isBuffer)) {
      if (isBuffer) this.emit('BUFFER_BECOMES_JSON', J, f);
      else if (isDataView) this.emit('BUILTIN_BECOMES_OBJECT', J, f, undefined, undefined, { type });
      else if ((type === 'BigInt64Array' || type === 'BigUint64Array') && bytes > 0) this.emit('BIGINT_NOT_JSON', J, f, undefined, undefined, { type });
      else this.emit('TYPED_ARRAY_BECOMES_OBJECT', J, f, undefined, undefined, { type });
    }
    this.integrity(f, o, m);
    const length = isDataView ? 0 : detached ? 0 : viewByteLength(o) / Math.max(1, bytesPerElement(type));
    if (length <= LISTED_VIEW_KEYS_LIMIT) {
      this.builtinProperties(f, o, m, typeName, isDataView ? undefined : isIndexKey);
    } else {
      const symbols = getOwnPropertySymbols(o);
      for (let k = 0; k < symbols.length; k++) this.emit('SYMBOL_KEY_DROPPED', m, f, symbols[k]!);
    }
  }

  error(f: Frame, o: object, m: number, info: ProtoInfo): void {
    const nativeName = info.builtins.find((n) => n.endsWith('Error')) ?? 'Error';
    const ownName = getOwnPropertyDescriptor(o, 'name');
    const wv = m & (W | V);
    if (wv) {
      // The serializers read `name` through the prototype chain and keep only the six native types.
      const name = ownName && 'value' in ownName ? ownName.value : this.inheritedData(info, 'name');
      const to = typeof name === 'string' && NATIVE_ERROR_NAMES.has(name) ? name : 'Error';
      const from = info.builtin === nativeName ? nativeName : info.className && info.className !== to ? info.className : `${info.className ?? nativeName} subclass`;
      if (from !== to || info.builtin !== to) this.emit('ERROR_TYPE_CHANGED', wv, f, undefined, undefined, { from, to });
      if (ownName) this.emit('ERROR_NAME_DROPPED', wv, f, 'name', undefined, { value: typeof ownName.value === 'string' ? quote(ownName.value) : typeof ownName.value });
    }
    if (m & J && !this.toJSON(f, o, info)) this.emit('ERROR_BECOMES_OBJECT', J, f, undefined, undefined, { type: info.className ?? nativeName });
    this.integrity(f, o, m);
    const keys = ownKeys(o);
    let hasStack = false;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      if (typeof key === 'symbol') {
        this.emit('SYMBOL_KEY_DROPPED', m, f, key);
        continue;
      }
      // Reading the stack's descriptor would format the stack, calling Error.prepareStackTrace.
      if (key === 'stack') {
        hasStack = true;
        continue;
      }
      if (key === 'name') continue;
      const d = getOwnPropertyDescriptor(o, key);
      if (!d) continue;
      if (key === 'message' || key === 'cause') {
        // The serializers copy an own data message (as a string) and cause, as non-enumerable,
        // writable and configurable properties; an accessor is not copied at all.
        if (!('value' in d)) {
          this.emit('ERROR_PROPERTY_DROPPED', wv, f, key, undefined, { key: quote(key) });
        } else {
          const reasons: string[] = [];
          if (key === 'message' && typeof d.value !== 'string') reasons.push('becomes a string');
          if (d.enumerable) reasons.push('becomes non-enumerable');
          if (!d.writable || !d.configurable) reasons.push('becomes writable and configurable');
          if (reasons.length > 0) this.emit('ERROR_FIELD_CHANGED', wv, f, key, undefined, { key: quote(key), value: reasons.join(' and ') });
          if (key === 'cause') this.child(f, key, undefined, d.value, wv, OTHER);
        }
        if (d.enumerable && m & J) this.property(f, key, d, J, false, PROP);
        continue;
      }
      this.emit('ERROR_PROPERTY_DROPPED', wv, f, key, undefined, { key: quote(key) });
      // JSON sends the enumerable own properties; ERROR_BECOMES_OBJECT already covers the rest.
      if (m & J && d.enumerable) this.property(f, key, d, J, false, PROP);
    }
    if (!hasStack) this.emit('ERROR_FIELD_CHANGED', wv, f, 'stack', undefined, { key: '"stack"', value: 'arrives as an own undefined stack' });
  }

  host(f: Frame, o: object, m: number, info: ProtoInfo, host: HostInfo): void {
    const type = host.name;
    if (m & W) {
      switch (host.kind) {
        case 'cloneable':
          break;
        case 'file':
          this.emit('FILE_BECOMES_BLOB', W, f);
          break;
        case 'extra-prototype':
          this.emit('HOST_OBJECT_PROTOTYPE_CHANGED', W, f, undefined, undefined, { type });
          break;
        case 'transfer-only':
          if (this.transfer.has(o)) this.emit('TRANSFERRED', W, f, undefined, undefined, { type });
          else this.emit('TRANSFER_REQUIRED', W, f, undefined, undefined, { type });
          break;
        case 'platform':
          // From Node 21 a URL is marked uncloneable (nodejs/node#60504).
          if (type === 'URL' && NODE_MAJOR >= 21) this.emit('UNCLONEABLE_TYPE', W, f, undefined, undefined, { type });
          else this.emit('PLATFORM_OBJECT_BECOMES_PLAIN', W, f, undefined, undefined, { type });
          break;
        case 'uncloneable':
          this.emit('UNCLONEABLE_TYPE', W, f, undefined, undefined, { type });
          break;
      }
    }
    if (m & V) {
      if (host.host) {
        // Node's IPC serializer sends `{ ...object }` for its host objects.
        this.emit('HOST_OBJECT_BECOMES_OBJECT', V, f, undefined, undefined, { type });
        const keys = ownKeys(o);
        for (let k = 0; k < keys.length; k++) {
          const key = keys[k]!;
          if (typeof key === 'symbol') continue;
          const d = getOwnPropertyDescriptor(o, key);
          if (d?.enumerable) this.property(f, key, d, V, true, PROP);
        }
      } else {
        this.emit('PLATFORM_OBJECT_BECOMES_PLAIN', V, f, undefined, undefined, { type });
      }
    }
    if (m & J) {
      const tj = getOwnPropertyDescriptor(o, 'toJSON') ? { found: true, intrinsic: false } : this.protoToJSON(info);
      if (tj.found && !tj.intrinsic) this.toJSON(f, o, info);
      else if (tj.found) this.emit('PLATFORM_OBJECT_BECOMES_PLAIN', J, f, undefined, undefined, { type, own: true, to: 'string or plain object' });
      else if (host.host) this.emit('HOST_OBJECT_BECOMES_OBJECT', J, f, undefined, undefined, { type });
      else this.emit('PLATFORM_OBJECT_BECOMES_PLAIN', J, f, undefined, undefined, { type });
    }
  }

  uncloneable(f: Frame, m: number, type: string, info: ProtoInfo | null): void {
    this.emit('UNCLONEABLE_TYPE', m & (W | V), f, undefined, undefined, { type });
    if (!(m & J) || this.toJSON(f, f.value, info)) return;
    this.emit('BUILTIN_BECOMES_OBJECT', J, f, undefined, undefined, { type });
    // JSON still sends the enumerable own properties (an arguments object's elements, a namespace's exports).
    let keys: (string | symbol)[];
    try {
      keys = ownKeys(f.value);
    } catch {
      return;
    }
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      if (typeof key === 'symbol') continue;
      let d: PropertyDescriptor | undefined;
      try {
        d = getOwnPropertyDescriptor(f.value, key);
      } catch {
        continue;
      }
      if (d?.enumerable) this.property(f, key, d, J, true, PROP);
    }
  }

  // ---- prototypes ----

  protoInfo(proto: object): ProtoInfo {
    let info = this.protos.get(proto);
    if (info) return info;
    const chain: object[] = [];
    const builtins: string[] = [];
    let readable = true;
    let objectProto = false;
    for (let p: object | null = proto; p !== null; ) {
      if (isProxy(p)) {
        readable = false;
        break;
      }
      chain.push(p);
      const name = builtinPrototypeName(p) ?? ITERATOR_PROTOTYPES.get(p) ?? foreignBuiltinName(p);
      if (name) builtins.push(name);
      p = getPrototypeOf(p);
      if (chain.length > 10000) break;
    }
    const builtin = readable ? (builtinPrototypeName(proto) ?? foreignBuiltinName(proto)) : undefined;
    objectProto = builtin === 'Object';
    info = {
      objectProto,
      builtin,
      chain,
      readable,
      host: hostInfoOfChain(chain),
      className: constructorName(proto),
      builtins,
    };
    this.protos.set(proto, info);
    return info;
  }

  protoToJSON(info: ProtoInfo): { found: boolean; intrinsic: boolean } {
    if (!info.toJSON) {
      info.toJSON = { found: false, intrinsic: false };
      const chain = info.chain;
      for (let j = 0; j < chain.length; j++) {
        const p = chain[j]!;
        const d = getOwnPropertyDescriptor(p, 'toJSON');
        if (!d) continue;
        if (d.get !== undefined || typeof d.value === 'function') {
          info.toJSON = { found: true, intrinsic: d.get === undefined && (INTRINSIC_TOJSON.has(d.value) || builtinPrototypeName(p) !== undefined || foreignBuiltinName(p) !== undefined || hostInfoOfChain([p]) !== undefined) };
        }
        break;
      }
    }
    return info.toJSON;
  }

  inheritedData(info: ProtoInfo, key: string): unknown {
    const chain = info.chain;
    for (let j = 0; j < chain.length; j++) {
      const p = chain[j]!;
      const d = getOwnPropertyDescriptor(p, key);
      if (d) return 'value' in d ? d.value : undefined;
    }
    return undefined;
  }

  classDetails(info: ProtoInfo): NonNullable<ProtoInfo['classDetails']> {
    if (info.classDetails) return info.classDetails;
    const methods: string[] = [];
    const getters: string[] = [];
    const setters: string[] = [];
    const fields: string[] = [];
    const chain = info.chain;
    for (let j = 0; j < chain.length; j++) {
      const p = chain[j]!;
      if (builtinPrototypeName(p) !== undefined || foreignBuiltinName(p) === 'Object') break;
      const keys = ownKeys(p);
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k]!;
        if (key === 'constructor') {
          const ctor = getOwnPropertyDescriptor(p, key)?.value as unknown;
          if (typeof ctor === 'function' && !isProxy(ctor)) {
            const declared = privateFieldsOf(ctor);
            for (let d = 0; d < declared.length; d++) if (!fields.includes(declared[d]!)) fields.push(declared[d]!);
          }
          continue;
        }
        const d = getOwnPropertyDescriptor(p, key)!;
        const name = typeof key === 'symbol' ? `[${String(key)}]` : key;
        if (d.get) getters.push(name);
        if (d.set) setters.push(name);
        if (!d.get && !d.set && typeof d.value === 'function') methods.push(name);
      }
    }
    info.classDetails = { methods, getters, setters, fields };
    return info.classDetails;
  }

  readTransferList(list: readonly unknown[]): void {
    for (let i = 0; i < list.length; i++) {
      const entry = list[i];
      const key = `transferList[${i}]`;
      const ok =
        entry !== null &&
        typeof entry === 'object' &&
        !isProxy(entry) &&
        (types.isArrayBuffer(entry) || hostInfoOfChain(this.protoInfo(getPrototypeOf(entry) ?? Object.prototype).chain)?.kind === 'transfer-only');
      if (!ok) {
        this.emit('TRANSFER_LIST_INVALID', W, null, undefined, undefined, { key, type: kindName(entry) });
      } else if (this.transfer.has(entry)) {
        this.emit('TRANSFER_LIST_INVALID', W, null, undefined, undefined, { key, type: `duplicate ${kindName(entry)}` });
      } else {
        this.transfer.add(entry);
      }
    }
  }
}

function frameOf(value: object, parent: Frame | null, key: PathSegment | undefined, label: string | undefined, depth: number, mask: number): Frame {
  return { value, parent, key, label, depth, mask, exit: false, rec: undefined, seen: 0, open: 0 };
}

function materialize(code: FindingCode, bit: number, frame: Frame | null, key: PathSegment | undefined, label: string | undefined, args: FindingArgs, sentences: Map<FindingArgs, Map<string, Finding>>): Finding {
  const channel = CHANNEL_OF_BIT[bit]!;
  const path = pathOf(frame, key);
  const at = formatPath(path, labelsOf(frame, key, label, path.length));
  // Frozen args are shared by many findings (NaN, a Date, one class): make their sentences once.
  const shared = isFrozen(args);
  const made = shared ? sentences.get(args)?.get(code + channel) : undefined;
  const message = made ? made.message : messageFor(code, args, channel);
  const hint = made ? made.hint : hintFor(code, args, channel);
  const effect = effectOf(code);
  const finding: Finding =
    hint !== undefined ? { channel, effect, code, path, at, message, hint, args } : { channel, effect, code, path, at, message, args };
  if (shared && !made) {
    let byCode = sentences.get(args);
    if (!byCode) sentences.set(args, (byCode = new Map()));
    byCode.set(code + channel, finding);
  }
  return finding;
}

/** The steps from the root to `key` in `frame`, built once at the right length. */
function pathOf(frame: Frame | null, key: PathSegment | undefined): PathSegment[] {
  let n = key !== undefined ? 1 : 0;
  for (let f = frame; f !== null && f.key !== undefined; f = f.parent) n++;
  const path = new Array<PathSegment>(n);
  let i = n;
  if (key !== undefined) path[--i] = key;
  for (let f = frame; f !== null && f.key !== undefined; f = f.parent) path[--i] = f.key;
  return path;
}

/** The Map keys printed in `.get(...)` steps, or undefined when the path has none (the usual case). */
function labelsOf(frame: Frame | null, key: PathSegment | undefined, label: string | undefined, n: number): (string | undefined)[] | undefined {
  let labels: (string | undefined)[] | undefined;
  let i = n;
  if (key !== undefined && --i >= 0 && label !== undefined) (labels ??= new Array(n))[i] = label;
  for (let f = frame; f !== null && f.key !== undefined; f = f.parent) {
    i--;
    if (f.label !== undefined) (labels ??= new Array(n))[i] = f.label;
  }
  return labels;
}

function atOf(frame: Frame | null, key: PathSegment | undefined, label: string | undefined): string {
  const path = pathOf(frame, key);
  return formatPath(path, labelsOf(frame, key, label, path.length));
}

function constructorName(proto: object): string | undefined {
  if (isProxy(proto)) return undefined;
  const ctor = getOwnPropertyDescriptor(proto, 'constructor')?.value as unknown;
  if (typeof ctor !== 'function' || isProxy(ctor)) return undefined;
  const name = getOwnPropertyDescriptor(ctor, 'name')?.value as unknown;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

const FOREIGN_BUILTINS = new Set([
  'Object', 'Array', 'Date', 'RegExp', 'Map', 'Set', 'Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError', 'AggregateError',
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Number', 'String', 'Boolean', 'BigInt', 'Symbol', 'Promise', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry',
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
]);

/**
 * A built-in prototype of another realm (a `vm` context): recognised by being its constructor's own
 * `prototype`, with the constructor named like a built-in and written in native code.
 */
function foreignBuiltinName(proto: object): string | undefined {
  const name = constructorName(proto);
  if (!name || !FOREIGN_BUILTINS.has(name)) return undefined;
  const ctor = getOwnPropertyDescriptor(proto, 'constructor')!.value as object;
  if (getOwnPropertyDescriptor(ctor, 'prototype')?.value !== proto) return undefined;
  let source: string;
  try {
    source = functionToString(ctor);
  } catch {
    return undefined;
  }
  return source.endsWith('{ [native code] }') ? name : undefined;
}

/** `#private` names a class's source declares (reading the source runs nothing). */
/** A function's source never changes: what it declares is read once per constructor, across checks. */
const PRIVATE_FIELDS = new WeakMap<object, readonly string[]>();

function privateFieldsOf(ctor: object): readonly string[] {
  let fields = PRIVATE_FIELDS.get(ctor);
  if (!fields) PRIVATE_FIELDS.set(ctor, (fields = readPrivateFields(ctor)));
  return fields;
}

function readPrivateFields(ctor: object): string[] {
  let source: string;
  try {
    source = functionToString(ctor);
  } catch {
    return [];
  }
  return source.startsWith('class') ? privateNames(source) : [];
}


function describeFunction(fn: unknown): FindingArgs {
  if (isProxy(fn)) return { type: 'proxied function' };
  const nameDesc = getOwnPropertyDescriptor(fn as object, 'name');
  const name = nameDesc && typeof nameDesc.value === 'string' && nameDesc.value !== '' ? nameDesc.value : undefined;
  let type = 'function';
  if (types.isAsyncFunction(fn)) type = types.isGeneratorFunction(fn) ? 'async generator function' : 'async function';
  else if (types.isGeneratorFunction(fn)) type = 'generator function';
  else {
    let source = '';
    try {
      source = functionToString(fn);
    } catch {
      /* a function whose source cannot be read */
    }
    if (source.startsWith('class')) type = 'class';
    else if (name?.startsWith('bound ')) type = 'bound function';
    else if (source.endsWith('{ [native code] }')) type = 'built-in function';
    else if (!getOwnPropertyDescriptor(fn as object, 'prototype')) type = regexpExec(ARROW, source) !== null ? 'arrow function' : 'method';
  }
  return name ? { type, name } : { type };
}

function kindName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  if (isProxy(value)) return 'Proxy';
  if (types.isSharedArrayBuffer(value)) return 'SharedArrayBuffer';
  if (types.isArrayBufferView(value)) return types.isDataView(value) ? 'DataView' : `${viewTag(value)} (transfer its .buffer)`;
  return constructorName(getPrototypeOf(value) ?? Object.prototype) ?? 'object';
}

function bytesPerElement(type: string): number {
  return type.includes('64') ? 8 : type.includes('32') ? 4 : type.includes('16') ? 2 : 1;
}

/**
 * The `#names` a class's source declares or uses, skipping strings, comments and template text.
 * A hand-written scan: no RegExp method runs, so a patched RegExp.prototype cannot be called.
 */
function privateNames(source: string): string[] {
  const names: string[] = [];
  const n = source.length;
  for (let i = 0; i < n; i++) {
    const c = source.charCodeAt(i);
    if (c === 47 /* / */ && source.charCodeAt(i + 1) === 47) {
      while (i < n && source.charCodeAt(i) !== 10) i++;
    } else if (c === 47 && source.charCodeAt(i + 1) === 42 /* * */) {
      i += 2;
      while (i < n && !(source.charCodeAt(i) === 42 && source.charCodeAt(i + 1) === 47)) i++;
      i++;
    } else if (c === 39 || c === 34 || c === 96) {
      for (i++; i < n && source.charCodeAt(i) !== c; i++) if (source.charCodeAt(i) === 92) i++;
    } else if (c === 35 /* # */ && isIdentifierStart(source.charCodeAt(i + 1))) {
      let j = i + 1;
      while (j < n && isIdentifierPart(source.charCodeAt(j))) j++;
      const name = source.slice(i, j);
      if (!names.includes(name)) names.push(name);
      i = j - 1;
    }
  }
  return names;
}

const isIdentifierStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
const isIdentifierPart = (c: number): boolean => isIdentifierStart(c) || (c >= 48 && c <= 57);
