// Built-ins without slots of their own to copy (views, host and platform objects, uncloneable kinds)
// and the dispatch of every built-in by internal slot (util.types brand checks, captured intrinsics),
// never by what the prototype claims: a Map whose prototype was replaced is still a Map. Also the transferList.
import {
  isPoolStore,
  BUFFER_PROTOTYPE,
  bufferByteLength,
  dataViewBuffer,
  dataViewByteLength,
  getOwnPropertyDescriptor,
  getOwnPropertyNames,
  getOwnPropertySymbols,
  getPrototypeOf,
  includes,
  isDetached,
  isExtensible,
  isFinalizationRegistry,
  isFrozen,
  isProxy,
  isRawJSON,
  isResizable,
  isSealed,
  isWeakRef,
  ownKeys,
  types,
  viewBuffer,
  viewByteLength,
  viewTag,
} from '../realm/intrinsics.js';
import { engineType, hostInfoOfChain, HOSTS_REBUILT_AS_SUBCLASS, isForeignGlobal, wasmMemoryBytes, type HostInfo } from '../realm/registry.js';
import { HAS_TEMPORAL, inheritsTemporal, temporalType } from '../realm/temporal.js';
import type { CheckOptions } from '../types.js';
import { BuiltinWalker } from './builtins.js';
import { atOf, type Frame } from './frames.js';
import { groupBits, type ChannelMasks } from './masks.js';
import { hostViewWriteThrows, isOutOfBounds } from './properties.js';
import { bytesPerElement, isIndexKey, kindName, protoInfoOf, protoToJSON, type ProtoInfo } from './prototype.js';
import { NULL_PROTO_INFO } from './slots.js';
import { rebasedArgs, typeArgs } from './args.js';
import { rawJsonRounding } from './tojson.js';
import { LISTED_VIEW_KEYS_LIMIT, PROP } from './walker.js';

export class Walker extends BuiltinWalker {
  // Spelled out: a derived class's implicit constructor spreads its arguments, which calls the
  // (patchable) Array.prototype[Symbol.iterator] on every check.
  constructor(k: ChannelMasks, options: CheckOptions, nodeName: string) {
    super(k, options, nodeName);
    if (options.transferList && this.active & this.W) this.readTransferList(options.transferList);
  }

  special(f: Frame, o: object, m: number, info: ProtoInfo): void {
    // From Node 22 a DOMException is also a native error to util.types; it keeps its own host rules
    // (a worker send keeps it intact from Node 22: channels/worker.ts), whichever Node checks it.
    if (info.host && types.isNativeError(o) && info.host.isInstance(o)) return this.host(f, o, m, info, info.host.refine?.(o) ?? info.host);
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
    if (info === NULL_PROTO_INFO && isRawJSON(o)) return this.rawJson(f, o, m);
    if (info === NULL_PROTO_INFO || info.objectProto) {
      // A WeakRef or FinalizationRegistry without its prototype (visit() found its slots).
      if (isWeakRef(o)) return this.uncloneable(f, m, 'WeakRef', info);
      if (isFinalizationRegistry(o)) return this.uncloneable(f, m, 'FinalizationRegistry', info);
    }
    // Not util.types.isKeyObject/isCryptoKey: those read a property through the prototype chain.
    // An object that merely inherits a host prototype (Object.create(Blob.prototype)) is ordinary.
    if (o === globalThis || isForeignGlobal(o)) return this.uncloneable(f, m, 'global object', info);
    if (HAS_TEMPORAL && info.host?.kind === 'native') {
      // A Temporal object is the engine's, not Node's: judged by its slots; one that only inherits
      // a Temporal prototype is an ordinary object.
      const temporal = temporalType(o);
      if (temporal !== undefined) return this.temporal(f, o, m, info, temporal);
      if (inheritsTemporal(info.chain)) return this.ordinary(f, o, m, info);
    }
    if (info.host && info.host.isInstance(o)) return this.host(f, o, m, info, info.host.refine?.(o) ?? info.host);
    const names = info.builtins;
    for (let n = 0; n < names.length; n++) {
      const name = names[n]!;
      if (name === 'WeakRef' && isWeakRef(o)) return this.uncloneable(f, m, 'WeakRef', info);
      if (name === 'FinalizationRegistry' && isFinalizationRegistry(o)) return this.uncloneable(f, m, 'FinalizationRegistry', info);
    }
    // Engine objects (an iterator, an Intl object, ...) have instance types of their own, which no
    // serializer writes, whatever their prototype (a subclass's, another realm's, none); an object
    // of a user class that extends Iterator, or one made with Object.create(), is ordinary.
    const engine = engineType(o, info);
    if (engine !== undefined) return this.uncloneable(f, m, engine, info);
    this.ordinary(f, o, m, info);
  }

  view(f: Frame, o: ArrayBufferView, m: number, info: ProtoInfo): void {
    const isDataView = types.isDataView(o);
    const type = isDataView ? 'DataView' : viewTag(o);
    const buffer = isDataView ? dataViewBuffer(o) : viewBuffer(o);
    const shared = types.isSharedArrayBuffer(buffer);
    const isBuffer = includes(info.chain, BUFFER_PROTOTYPE);
    const detached = !shared && isDetached(buffer);
    // A view over a resizable buffer that shrank below it: structured clone refuses it.
    const outOfBounds = !detached && isResizable(buffer) && isOutOfBounds(o, isDataView);
    const bytes = detached || outOfBounds ? 0 : isDataView ? dataViewByteLength(o) : viewByteLength(o);
    const storeBytes = detached ? 0 : bufferByteLength(buffer);
    const pooled = isBuffer && bytes < storeBytes && isPoolStore(buffer, storeBytes);
    const typeName = isBuffer ? 'Buffer' : type;

    // Node's serializers write a view through its own properties (constructor, Symbol.toStringTag,
    // buffer, byteOffset, byteLength), not its slots: one that reads wrong there throws.
    const readsProperties = m & this.V & groupBits(this.k.viewProperties);
    if (readsProperties && !detached && hostViewWriteThrows(o, info, isDataView)) {
      this.emit('UNCLONEABLE_TYPE', readsProperties, f, undefined, undefined, { type: `${typeName} whose view properties are overridden` });
      m &= ~readsProperties;
    }
    if (detached) {
      // A serializer that reads the view's slots (not its properties) writes a detached one as an
      // empty view; one that reads its properties constructs a view over the buffer, which throws.
      const emptied = m & this.V & ~groupBits(this.k.viewProperties);
      this.emit('DETACHED_BUFFER', m & this.S & ~emptied, f, undefined, undefined, typeArgs(typeName));
      this.emit('DETACHED_VIEW_BECOMES_EMPTY', emptied, f, undefined, undefined, typeArgs(typeName));
      this.viewSubclass(f, emptied, info, type, isBuffer);
    } else if (outOfBounds) {
      // Structured clone refuses it; writing a DataView through its properties reads a byteLength that throws.
      const refused = m & (this.W | (isDataView ? readsProperties : 0));
      this.emit('UNCLONEABLE_TYPE', refused, f, undefined, undefined, { type: `${typeName} out of bounds of its resized buffer` });
      m &= ~refused;
    }
    if (!detached) {
      if (isBuffer) this.emit('BUFFER_BECOMES_UINT8ARRAY', m & this.W, f);
      this.viewSubclass(f, m, info, type, isBuffer);
      if (m & this.W) {
        this.viewStore(f, buffer, m & this.W, shared);
        if (shared) this.emit('SHARED_MEMORY', this.W, f, undefined, undefined, { bytes: storeBytes });
        else if (this.transfer.has(buffer)) {
          // Node 21 throws for an untransferable entry; Node 20 silently copies it.
          if (pooled) {
            const groups = this.k.pooledTransfer;
            for (let g = 0; g < groups.length; g++) {
              const { code, bits } = groups[g]!;
              if (code === 'TRANSFER_LIST_INVALID') this.emit(code, m & bits, f, undefined, undefined, { type: 'Buffer', reason: 'pooled' });
              else this.emit(code, m & bits, f, undefined, undefined, { bytes, storeBytes });
            }
          } else this.emit('TRANSFERRED', this.W, f, undefined, undefined, typeArgs(typeName));
        } else if (storeBytes > bytes) {
          this.emit('BACKING_STORE_COPIED', this.W, f, undefined, undefined, { bytes, storeBytes, pooled });
        }
      }
      if (shared) this.emit('SHARED_VIEW_COPIED', m & this.V, f, undefined, undefined, typeArgs(typeName));
      else this.emit('VIEW_REBASED', m & this.V, f, undefined, undefined, rebasedArgs(typeName, isResizable(buffer)));
      if (m & this.V) {
        const direct = this.ids.get(buffer);
        if (direct && direct.seen & m & this.V)
          this.emit('SHARED_REFERENCE_DUPLICATED', direct.seen & m & this.V, f, undefined, undefined, { firstSeen: atOf(direct, undefined, undefined) });
        else this.copiedStore(buffer, f);
      }
    }
    if (m & this.J && !this.toJSON(f, o, info, isBuffer)) {
      if (isBuffer) this.emit('BUFFER_BECOMES_JSON', this.J, f);
      else if (isDataView) this.emit('BUILTIN_BECOMES_OBJECT', this.J, f, undefined, undefined, typeArgs(type));
      else if ((type === 'BigInt64Array' || type === 'BigUint64Array') && bytes > 0)
        this.emit('BIGINT_NOT_JSON', this.J, f, undefined, undefined, typeArgs(type));
      else this.emit('TYPED_ARRAY_BECOMES_OBJECT', this.J, f, undefined, undefined, typeArgs(type));
    }
    this.integrity(f, o, m);
    const elementSize = bytesPerElement(type); // not Math.max: a check calls no patchable built-in
    const length = isDataView ? 0 : detached ? 0 : viewByteLength(o) / (elementSize > 1 ? elementSize : 1);
    if (length <= LISTED_VIEW_KEYS_LIMIT) {
      this.builtinProperties(f, o, m, typeName, isDataView ? undefined : isIndexKey, length);
    } else {
      const symbols = getOwnPropertySymbols(o);
      for (let k = 0; k < symbols.length; k++) this.emit('SYMBOL_KEY_DROPPED', m, f, symbols[k]!);
    }
  }

  /** A view arrives as its base type: a Buffer stays a Buffer where views are host objects. */
  viewSubclass(f: Frame, m: number, info: ProtoInfo, type: string, isBuffer: boolean): void {
    if (!isBuffer) this.subclass(f, m & this.S, info, type);
    else if (info.chain[0] !== BUFFER_PROTOTYPE && info.className !== 'FastBuffer' && info.className !== 'Buffer') {
      this.emit('SUBCLASS_LOST', m & this.V, f, undefined, undefined, info.className ? { className: info.className, base: 'Buffer' } : { base: 'Buffer' });
    }
  }

  /**
   * Structured clone writes a view's ArrayBuffer as an object of its own (identity kept), from its
   * slots: properties a user added to that buffer, and its frozen or sealed state, do not arrive.
   */
  viewStore(f: Frame, buffer: ArrayBufferLike, m: number, shared: boolean): void {
    if (shared) return;
    const keys = ownKeys(buffer);
    for (let k = 0; k < keys.length; k++) {
      const d = getOwnPropertyDescriptor(buffer, keys[k]!);
      if (d?.enumerable && typeof keys[k] === 'string') {
        this.emit('EXTRA_PROPERTY_DROPPED', m, f, undefined, undefined, typeArgs('ArrayBuffer'));
        break;
      }
    }
    if (!isExtensible(buffer))
      this.emit('INTEGRITY_LOST', m, f, undefined, undefined, { integrity: isFrozen(buffer) ? 'frozen' : isSealed(buffer) ? 'sealed' : 'non-extensible' });
  }

  host(f: Frame, o: object, m: number, info: ProtoInfo, host: HostInfo): void {
    const type = host.name;
    const groups = this.k.hostRules(host);
    // Channels that copy the object's state from its internal slots (and drop its own properties),
    // and channels that write it as an ordinary object (its own properties are all that travel).
    let slots = 0;
    let plain = 0;
    for (let g = 0; g < groups.length; g++) {
      const { code, bits } = groups[g]!;
      const on = m & bits;
      if (!on) continue;
      if (code === 'TRANSFER_REQUIRED' && this.transfer.has(o)) this.emit('TRANSFERRED', on, f, undefined, undefined, typeArgs(type));
      else if (code === 'SHARED_MEMORY') this.emit(code, on, f, undefined, undefined, { bytes: wasmMemoryBytes(o) });
      else this.emit(code, on, f, undefined, undefined, typeArgs(type));
      if (code === 'HOST_OBJECT_BECOMES_OBJECT') {
        this.spread(f, o, on);
        if (on & this.IPC) this.spreadHost(o, on & this.IPC);
      } else if (code === 'PLATFORM_OBJECT_BECOMES_PLAIN') plain |= on;
      else if (code === 'FILE_BECOMES_BLOB' || code === 'HOST_OBJECT_PROTOTYPE_CHANGED' || code === 'TRANSFERRED') slots |= on;
    }
    // Channels with no rule for this type copy it exactly, from its slots: a subclass's instance
    // arrives as the base class (its prototype is not a host class's own), except for the types
    // whose every instance Node makes from a subclass of its own and rebuilds as one.
    const exact = m & this.S & ~groupBits(groups);
    if (exact && !HOSTS_REBUILT_AS_SUBCLASS.has(type) && info.chain.length > 0 && hostInfoOfChain([info.chain[0]!]) === undefined)
      this.emit('SUBCLASS_LOST', exact, f, undefined, undefined, info.className ? { className: info.className, base: type } : { base: type });
    slots |= exact;
    if (slots) {
      this.hostOwnProperties(f, o, slots, type, false, host.ownKeys);
      // Rebuilt from its slots on the other side: extensible, whatever it was here.
      this.integrity(f, o, slots);
      if (types.isNativeError(o)) this.errorHostState(f, o, slots, type, host.ownKeys);
    }
    if (plain) this.hostOwnProperties(f, o, plain, type, true);
    if (m & this.J) {
      const tj = getOwnPropertyDescriptor(o, 'toJSON') ? { found: true, intrinsic: false } : protoToJSON(info);
      if (tj.found && !tj.intrinsic) this.toJSON(f, o, info);
      else if (tj.found) this.emit('PLATFORM_OBJECT_BECOMES_PLAIN', this.J, f, undefined, undefined, { type, viaToJSON: true });
      else {
        this.emit(host.host ? 'HOST_OBJECT_BECOMES_OBJECT' : 'PLATFORM_OBJECT_BECOMES_PLAIN', this.J, f, undefined, undefined, typeArgs(type));
        // JSON writes the enumerable own properties of any object it has no rule for.
        this.hostOwnProperties(f, o, this.J, type, true);
      }
    }
  }

  /**
   * The own enumerable string-keyed properties a user added to a host or platform object. Where the
   * object is copied from its slots they are dropped; where it is written as an ordinary object
   * they travel, with that channel's rules. Node's own keys (symbols, non-enumerable) are its state.
   */
  hostOwnProperties(f: Frame, o: object, m: number, type: string, travel: boolean, own?: ReadonlySet<string>): void {
    let keys: string[];
    try {
      keys = getOwnPropertyNames(o);
    } catch {
      return;
    }
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      if (own?.has(key)) continue;
      const d = getOwnPropertyDescriptor(o, key);
      if (!d || !d.enumerable) continue;
      if (travel) this.property(f, key, d, m, false, PROP);
      else this.emit('EXTRA_PROPERTY_DROPPED', m, f, key, undefined, typeArgs(type));
    }
  }

  /**
   * A Node host object whose prototype was replaced: structured clone asks for a transfer and
   * v8.serialize() refuses it as an unknown host object, unless that channel writes its type as a
   * plain object anyway; Node's IPC spreads it and JSON walks it, as the ordinary object it now
   * looks like. Returns the channels that refuse it.
   */
  reprototypedHost(f: Frame, o: object, m: number, host: HostInfo): number {
    const groups = this.k.hostRules(host);
    let plain = 0;
    for (let g = 0; g < groups.length; g++) if (groups[g]!.code === 'HOST_OBJECT_BECOMES_OBJECT') plain |= groups[g]!.bits;
    const refused = m & this.S & ~this.IPC & ~plain;
    if (m & this.S & this.IPC) this.spreadHost(o, m & this.S & this.IPC);
    this.emit('UNCLONEABLE_TYPE', refused, f, undefined, undefined, { type: `${host.name} whose prototype was replaced` });
    return refused;
  }

  /**
   * A host object that is also an Error (a DOMException from Node 22), rebuilt from its slots: only
   * Node's state of it travels (name, message, stack), so an own non-enumerable property (a cause,
   * an own message) is dropped too, and one whose stack was deleted gets the receiver's accessor.
   */
  errorHostState(f: Frame, o: object, m: number, type: string, own: ReadonlySet<string> | undefined): void {
    const keys = getOwnPropertyNames(o);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      if (own?.has(key)) continue;
      const d = getOwnPropertyDescriptor(o, key);
      if (d && !d.enumerable) this.emit('EXTRA_PROPERTY_DROPPED', m, f, key, undefined, typeArgs(type));
    }
    if (!getOwnPropertyDescriptor(o, 'stack')) this.emit('ERROR_FIELD_CHANGED', m, f, 'stack', undefined, { key: 'stack', changes: ['accessor'] });
  }

  uncloneable(f: Frame, m: number, type: string, info: ProtoInfo | null): void {
    this.emit('UNCLONEABLE_TYPE', m & this.S, f, undefined, undefined, typeArgs(type));
    if (!(m & this.J) || this.toJSON(f, f.value, info)) return;
    this.emit('BUILTIN_BECOMES_OBJECT', this.J, f, undefined, undefined, typeArgs(type));
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
      if (d?.enumerable) this.property(f, key, d, this.J, true, PROP);
    }
  }

  /**
   * A Temporal object (Node 26+): no serializer writes its slots, so every V8 channel throws; JSON
   * sends what its toJSON() returns, as for Node's classes with one.
   */
  temporal(f: Frame, o: object, m: number, info: ProtoInfo, type: string): void {
    this.emit('UNCLONEABLE_TYPE', m & this.S, f, undefined, undefined, typeArgs(type));
    if (m & this.J) this.host(f, o, m & this.J, info, info.host!);
  }

  /**
   * A JSON.rawJSON() object (Node 22+): the V8 serializers refuse it; JSON writes its text as it
   * is, so it arrives as what JSON.parse makes of that text, which for a long number is not it.
   */
  rawJson(f: Frame, o: object, m: number): void {
    this.emit('UNCLONEABLE_TYPE', m & this.S, f, undefined, undefined, typeArgs('JSON.rawJSON() object'));
    if (!(m & this.J)) return;
    const d = getOwnPropertyDescriptor(o, 'rawJSON');
    const text: unknown = d && 'value' in d ? d.value : undefined;
    const value = typeof text === 'string' ? rawJsonRounding(text) : undefined;
    if (value !== undefined) this.emit('RAW_JSON_ROUNDED', this.J, f, undefined, undefined, { text: text as string, value });
    else this.emit('BOXED_PRIMITIVE_UNBOXED', this.J, f, undefined, undefined, typeArgs('JSON.rawJSON() object'));
  }

  /** Node's IPC serializer sends `{ ...object }` for its host objects: the enumerable own string keys. */
  spread(f: Frame, o: object, m: number): void {
    const keys = ownKeys(o);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      if (typeof key === 'symbol') continue;
      const d = getOwnPropertyDescriptor(o, key);
      if (d?.enumerable) this.property(f, key, d, m, true, PROP);
    }
  }

  readTransferList(list: readonly unknown[]): void {
    // The caller's array, read by descriptors: a getter at an index is not run (it is not a transfer).
    const length = list.length;
    for (let i = 0; i < length; i++) {
      const d = getOwnPropertyDescriptor(list, i);
      const entry: unknown = d && 'value' in d ? d.value : undefined;
      const ok =
        entry !== null &&
        typeof entry === 'object' &&
        !isProxy(entry) &&
        (types.isArrayBuffer(entry) || hostInfoOfChain(protoInfoOf(this.protos, getPrototypeOf(entry) ?? Object.prototype).chain)?.kind === 'transfer-only');
      if (!ok) {
        const view = entry !== null && typeof entry === 'object' && !isProxy(entry) && types.isArrayBufferView(entry) && !types.isDataView(entry);
        this.emit('TRANSFER_LIST_INVALID', this.W, null, undefined, undefined, {
          index: i,
          type: view ? viewTag(entry) : kindName(entry),
          reason: view ? 'view' : 'untransferable',
        });
      } else if (this.transfer.has(entry)) {
        this.emit('TRANSFER_LIST_INVALID', this.W, null, undefined, undefined, { index: i, type: kindName(entry), reason: 'duplicate' });
      } else {
        this.addTransfer(entry);
      }
    }
  }
}
