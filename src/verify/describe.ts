/**
 * `describe()` turns a value graph into plain JSON data (`./description.ts`) without running any of
 * the value's code. The sender describes a value right before a real send, the receiver describes
 * what it got, and `diffDescriptions()` (`./diff.ts`) compares the two.
 */
import { types } from 'node:util';
import { createHash } from 'node:crypto';
import {
  ACCESSOR,
  CONFIGURABLE,
  ENUMERABLE,
  HAS_GETTER,
  HAS_SETTER,
  UNREADABLE,
  WRITABLE,
  type DescribedKey,
  type DescribedNode,
  type DescribedSymbol,
  type DescribedValue,
  type Description,
  type InternalValue,
} from './description.js';
import { bufferFrom, call, ensureRegistered, HOST_READERS, I, keyFor, objectIs, protoInfo, WELL_KNOWN, type AnyFn } from './prototypes.js';
import {
  arrayBufferByteLength,
  dataViewBuffer,
  dataViewByteLength,
  dataViewByteOffset,
  isDetached,
  isResizable,
  symbolDescription,
  dateGetTime,
  functionToString,
  getOwnPropertyDescriptor as gopd,
  getPrototypeOf,
  hasOwn,
  isArray,
  isExtensible,
  isFinalizationRegistry,
  isFrozen,
  isSealed,
  isWeakRef,
  ownKeys,
  readMapEntries,
  readSetMembers,
  regexpSource,
  sharedArrayBufferByteLength,
  viewBuffer,
  viewByteLength,
  viewByteOffset,
  viewLength,
  viewTag,
  TYPED_ARRAY_NAMES,
} from '../realm/intrinsics.js';
import { hostInfoOfChain, type HostInfo } from '../realm/registry.js';
// ---------------------------------------------------------------------------------------------
// describe()
// ---------------------------------------------------------------------------------------------

interface Pending {
  readonly obj: object;
  readonly ref: { r: number };
}

const INDEX = /^(?:0|[1-9]\d*)$/;
export function isArrayIndex(k: string): boolean {
  return INDEX.test(k) && (k.length < 10 || Number(k) < 4294967295);
}

function encodeSymbol(s: symbol): DescribedSymbol {
  const desc = symbolDescription(s);
  const y = desc === undefined ? null : desc;
  const w = WELL_KNOWN.get(s);
  if (w !== undefined) return { y, w };
  if (keyFor(s) !== undefined) return { y, g: 1 };
  return { y };
}

function encodePrimitive(v: unknown): DescribedValue {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      if (v !== v) return { n: 'NaN' };
      if (v === Infinity) return { n: 'Infinity' };
      if (v === -Infinity) return { n: '-Infinity' };
      if (objectIs(v, -0)) return { n: '-0' };
      return v;
    case 'bigint':
      return { b: v.toString() };
    case 'symbol':
      return encodeSymbol(v);
    case 'undefined':
      return { u: 1 };
    default:
      return null;
  }
}

function bytesOf(buf: ArrayBufferLike, length: number): string {
  const view = bufferFrom(buf, 0, length);
  if (length <= 32) return view.toString('hex');
  return `sha1:${createHash('sha1').update(view).digest('hex')}`;
}

const TYPED_ARRAY_KINDS = new Set(TYPED_ARRAY_NAMES);

/**
 * WeakRef and FinalizationRegistry have no `util.types` check; their brand check throws when it
 * fails, which is slow, so it is only tried on objects whose nearest prototype is not
 * `Object.prototype` / null (an ordinary object is by far the common case).
 */
function v8Kind(o: object, ordinary: boolean): string | undefined {
  if (typeof o === 'function') return 'Function';
  if (isArray(o)) return 'Array';
  if (types.isArrayBufferView(o)) return types.isDataView(o) ? 'DataView' : viewTag(o);
  if (types.isAnyArrayBuffer(o)) return types.isArrayBuffer(o) ? 'ArrayBuffer' : 'SharedArrayBuffer';
  if (types.isDate(o)) return 'Date';
  if (types.isRegExp(o)) return 'RegExp';
  if (types.isMap(o)) return 'Map';
  if (types.isSet(o)) return 'Set';
  if (types.isNativeError(o)) return 'Error';
  if (types.isBoxedPrimitive(o)) {
    if (types.isNumberObject(o)) return 'Number';
    if (types.isStringObject(o)) return 'String';
    if (types.isBooleanObject(o)) return 'Boolean';
    if (types.isBigIntObject(o)) return 'BigInt';
    return 'Symbol';
  }
  if (types.isPromise(o)) return 'Promise';
  if (types.isWeakMap(o)) return 'WeakMap';
  if (types.isWeakSet(o)) return 'WeakSet';
  if (types.isArgumentsObject(o)) return 'Arguments';
  if (types.isGeneratorObject(o)) return 'Generator';
  if (types.isMapIterator(o)) return 'MapIterator';
  if (types.isSetIterator(o)) return 'SetIterator';
  if (types.isModuleNamespaceObject(o)) return 'Module';
  if (types.isExternal(o)) return 'External';
  if (ordinary) return undefined;
  if (isWeakRef(o)) return 'WeakRef';
  if (isFinalizationRegistry(o)) return 'FinalizationRegistry';
  return undefined;
}

type Internals = (o: object) => Record<string, InternalValue>;

function arrayBufferInternals(o: object): Record<string, InternalValue> {
  const byteLength = arrayBufferByteLength(o);
  const int: Record<string, InternalValue> = { byteLength };
  if (I.abMaxByteLength !== undefined) {
    const resizable = isResizable(o as ArrayBuffer);
    int.resizable = resizable;
    if (resizable) int.maxByteLength = call<number>(I.abMaxByteLength, o);
  }
  const detached = isDetached(o as ArrayBuffer);
  int.detached = detached;
  if (!detached) int.bytes = bytesOf(o as ArrayBuffer, byteLength);
  return int;
}

function sharedArrayBufferInternals(o: object): Record<string, InternalValue> {
  const byteLength = sharedArrayBufferByteLength(o);
  const int: Record<string, InternalValue> = { byteLength };
  if (I.sabGrowable !== undefined) {
    const growable = call<boolean>(I.sabGrowable, o);
    int.growable = growable;
    if (growable) int.maxByteLength = call<number>(I.sabMaxByteLength, o);
  }
  int.bytes = bytesOf(o as SharedArrayBuffer, byteLength);
  return int;
}

const boxed =
  (valueOf: AnyFn | undefined): Internals =>
  (o) => {
    const v = encodePrimitive(call<unknown>(valueOf, o));
    return { value: typeof v === 'object' && v !== null ? JSON.stringify(v) : v };
  };

/** Internal data of the kinds that hold no other value. */
const LEAF_INTERNALS: Readonly<Record<string, Internals>> = {
  Date: (o) => ({ time: String(dateGetTime(o)) }),
  RegExp: (o) => {
    let flags = '';
    for (const [letter, fn] of I.reFlags) if (call<boolean>(fn, o)) flags += letter;
    return { source: regexpSource(o), flags };
  },
  ArrayBuffer: arrayBufferInternals,
  SharedArrayBuffer: sharedArrayBufferInternals,
  Number: boxed(I.numberValueOf),
  String: boxed(I.stringValueOf),
  Boolean: boxed(I.booleanValueOf),
  BigInt: boxed(I.bigintValueOf),
  Symbol: boxed(I.symbolValueOf),
  Function: (o) => {
    const src = functionToString(o);
    return {
      async: types.isAsyncFunction(o),
      generator: types.isGeneratorFunction(o),
      source: src.length <= 64 ? src : `sha1:${createHash('sha1').update(src).digest('hex')}`,
    };
  },
};

interface MutableNode {
  kind: string;
  proto: readonly string[];
  ext?: 'frozen' | 'sealed' | 'non-extensible';
  keys?: DescribedKey[];
  int?: Record<string, InternalValue>;
  entries?: (readonly [DescribedValue, DescribedValue])[];
  members?: DescribedValue[];
  buffer?: DescribedValue;
}

class Describer {
  readonly nodes: DescribedNode[] = [];
  private readonly ids = new Map<object, number>();
  private readonly chains = new Map<object | null, { names: string[]; host: HostInfo | undefined }>();
  private children: Pending[] = [];

  run(value: unknown): Description {
    const rootChildren: Pending[] = [];
    this.children = rootChildren;
    const root = this.encode(value);
    const stack: Pending[] = rootChildren.reverse();
    while (stack.length > 0) {
      const { obj, ref } = stack.pop()!;
      const seen = this.ids.get(obj);
      if (seen !== undefined) {
        ref.r = seen;
        continue;
      }
      const id = this.nodes.length;
      this.ids.set(obj, id);
      ref.r = id;
      const children: Pending[] = [];
      this.children = children;
      this.nodes.push(this.node(obj));
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    }
    return { v: 1, root, nodes: this.nodes };
  }

  private encode(v: unknown): DescribedValue {
    if ((typeof v === 'object' && v !== null) || typeof v === 'function') {
      const seen = this.ids.get(v);
      if (seen !== undefined) return { r: seen };
      const ref = { r: -1 };
      this.children.push({ obj: v, ref });
      return ref;
    }
    return encodePrimitive(v);
  }

  private chain(first: object | null): { names: string[]; host: HostInfo | undefined } {
    const cached = this.chains.get(first);
    if (cached !== undefined) return cached;
    const names: string[] = [];
    const protos: object[] = [];
    const visited = new Set<object>();
    let p = first;
    while (p !== null) {
      if (types.isProxy(p)) {
        names.push('Proxy');
        break;
      }
      if (visited.has(p)) break; // impossible for ordinary objects; never loop anyway
      visited.add(p);
      protos.push(p);
      names.push(protoInfo(p).name);
      p = getPrototypeOf(p);
    }
    const result = { names, host: hostInfoOfChain(protos) };
    this.chains.set(first, result);
    return result;
  }

  private node(o: object): DescribedNode {
    // A proxy is opaque: asking it anything (its prototype, its keys) would run a trap.
    if (types.isProxy(o)) return { kind: 'Proxy', proto: [] };
    const { names, host } = this.chain(getPrototypeOf(o));
    // Kinds come from internal slots: a Map whose prototype was replaced is still a Map, and an
    // object that merely inherits a host prototype (`Object.create(Blob.prototype)`) is not a Blob.
    // A null prototype is rare enough to pay for the WeakRef / FinalizationRegistry probes.
    const kind = v8Kind(o, names[0] === 'Object.prototype') ?? (host !== undefined && host.isInstance(o) ? host.name : 'Object');
    const node: MutableNode = { kind, proto: names };
    if (!isExtensible(o)) node.ext = isFrozen(o) ? 'frozen' : isSealed(o) ? 'sealed' : 'non-extensible';
    this.internal(o, kind, node);
    // A typed array's elements and a String's characters are its data, not properties; an index
    // key past a String's length is a property of its own (and lost by every channel).
    const dataIndices = TYPED_ARRAY_KINDS.has(kind) ? Infinity : kind === 'String' ? call<string>(I.stringValueOf, o).length : 0;
    node.keys = this.keys(o, dataIndices);
    return node;
  }

  /** Own keys with their attributes, less the index keys below `dataIndices` (the value's own data). */
  private keys(o: object, dataIndices: number): DescribedKey[] {
    const out: DescribedKey[] = [];
    for (const k of ownKeys(o)) {
      if (dataIndices > 0 && typeof k === 'string' && isArrayIndex(k) && Number(k) < dataIndices) continue;
      const key = typeof k === 'string' ? k : encodeSymbol(k);
      let d: PropertyDescriptor | undefined;
      try {
        d = gopd(o, k);
      } catch {
        out.push([key, UNREADABLE]); // e.g. a module namespace binding in its TDZ
        continue;
      }
      if (d === undefined) continue;
      let flags = (d.enumerable ? ENUMERABLE : 0) | (d.configurable ? CONFIGURABLE : 0);
      if (hasOwn(d, 'get')) {
        flags |= ACCESSOR | (d.get !== undefined ? HAS_GETTER : 0) | (d.set !== undefined ? HAS_SETTER : 0);
        out.push([key, flags]);
      } else {
        if (d.writable) flags |= WRITABLE;
        out.push([key, flags, this.encode(d.value)]);
      }
    }
    return out;
  }

  /** Internal data, and the internal edges (Map entries, Set members, a view's buffer). */
  private internal(o: object, kind: string, node: MutableNode): void {
    try {
      switch (kind) {
        case 'Map': {
          const entries: (readonly [DescribedValue, DescribedValue])[] = [];
          for (const [k, v] of readMapEntries(o)) {
            const key = this.encode(k);
            entries.push([key, this.encode(v)]);
          }
          node.entries = entries;
          return;
        }
        case 'Set': {
          const members: DescribedValue[] = [];
          for (const v of readSetMembers(o)) members.push(this.encode(v));
          node.members = members;
          return;
        }
        case 'DataView':
          node.buffer = this.encode(dataViewBuffer(o));
          node.int = { byteOffset: dataViewByteOffset(o), byteLength: dataViewByteLength(o) };
          return;
        default:
          if (TYPED_ARRAY_KINDS.has(kind)) {
            node.buffer = this.encode(viewBuffer(o));
            node.int = { length: viewLength(o), byteOffset: viewByteOffset(o), byteLength: viewByteLength(o) };
            return;
          }
          const read = LEAF_INTERNALS[kind] ?? HOST_READERS[kind];
          if (read !== undefined) node.int = read(o);
      }
    } catch {
      // A host object whose state can't be read with Node's own getters.
      node.int = { ...node.int, unreadable: true };
    }
  }
}

/**
 * Describes a value graph as JSON-serialisable data, without running any of its code: no getter,
 * no `toJSON`, no Proxy trap, no patched prototype method. Works iteratively (any depth), on cycles,
 * on sparse arrays of any length, on revoked proxies and on objects of other realms.
 */
export function describe(value: unknown): Description {
  ensureRegistered();
  return new Describer().run(value);
}
