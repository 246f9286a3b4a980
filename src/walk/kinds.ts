// What each built-in and host kind does, per channel family: the second half of the walker.
// Kinds are told apart by internal slots (util.types brand checks, captured intrinsics), never by
// what the prototype claims: a Map whose prototype was replaced is still a Map.
import { isEngineObject, isForeignGlobal, nameOfPrototype, NATIVE_ERROR_NAMES, wasmMemoryBytes, type HostInfo } from '../realm/registry.js';
import type { ChannelMasks, RuleGroup } from './masks.js';
import type { CheckOptions } from '../types.js';
import { NULL_PROTO_INFO } from './slots.js';
import {
  BUFFER_POOL_SIZE,
  BUFFER_PROTOTYPE,
  bufferByteLength,
  dataViewBuffer,
  dateGetTime,
  dataViewByteLength,
  getOwnPropertyDescriptor,
  getOwnPropertyNames,
  includes,
  stringEndsWith,
  getOwnPropertySymbols,
  isExtensible,
  isFrozen,
  isProxy,
  isSealed,
  isDetached,
  isFinalizationRegistry,
  isResizable,
  isWeakRef,
  ownKeys,
  readMapEntries,
  readSetMembers,
  types,
  viewBuffer,
  viewByteLength,
  viewTag,
} from '../realm/intrinsics.js';
import { describeMapKey } from '../findings/path.js';
import { atOf, type Frame } from './frames.js';
import { canBecomePrimitive, hasPrimitiveConversion, hostViewWriteThrows, isOutOfBounds, readStackDescriptor, STANDARD_STACK_GETTER } from './properties.js';
import { bytesPerElement, inheritedData, isIndexKey, protoToJSON, type ProtoInfo } from './prototype.js';
import { LISTED_VIEW_KEYS_LIMIT, OTHER, PROP, WalkerCore } from './walker.js';

export class Walker extends WalkerCore {
  // Spelled out: a derived class's implicit constructor spreads its arguments, which calls the
  // (patchable) Array.prototype[Symbol.iterator] on every check.
  constructor(k: ChannelMasks, options: CheckOptions, nodeName: string) {
    super(k, options, nodeName);
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
    if (info === NULL_PROTO_INFO || info.objectProto) {
      // A WeakRef or FinalizationRegistry without its prototype (visit() found its slots).
      if (isWeakRef(o)) return this.uncloneable(f, m, 'WeakRef', info);
      if (isFinalizationRegistry(o)) return this.uncloneable(f, m, 'FinalizationRegistry', info);
    }
    // Not util.types.isKeyObject/isCryptoKey: those read a property through the prototype chain.
    // An object that merely inherits a host prototype (Object.create(Blob.prototype)) is ordinary.
    if (o === globalThis || isForeignGlobal(o)) return this.uncloneable(f, m, 'global object', info);
    if (info.host && info.host.isInstance(o)) return this.host(f, o, m, info, info.host.refine?.(o) ?? info.host);
    const names = info.builtins;
    for (let n = 0; n < names.length; n++) {
      const name = names[n]!;
      if (name === 'WeakRef' && isWeakRef(o)) return this.uncloneable(f, m, 'WeakRef', info);
      if (name === 'FinalizationRegistry' && isFinalizationRegistry(o)) return this.uncloneable(f, m, 'FinalizationRegistry', info);
      // Engine objects (an iterator, an Intl object) have their own instance type, which no
      // serializer writes; their prototype is the engine's. An object of a user class that
      // extends Iterator, or one made with Object.create(), is ordinary.
      if (n === 0 && info.chain.length > 0 && nameOfPrototype(info.chain[0]!) === name && isEngineObject(name, o)) return this.uncloneable(f, m, name, info);
    }
    this.ordinary(f, o, m, info);
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
      this.emit('EXTRA_PROPERTY_DROPPED', m & this.S, f, key, undefined, { type });
      // JSON sends the enumerable own properties of any object it does not otherwise know.
      if (m & this.J) this.property(f, key, d, this.J, false, PROP);
    }
  }

  subclass(f: Frame, m: number, info: ProtoInfo, base: string): void {
    if (info.builtin !== base) {
      this.emit('SUBCLASS_LOST', m, f, undefined, undefined, info.className ? { className: info.className, base } : { base });
    }
  }

  date(f: Frame, o: Date, m: number, info: ProtoInfo): void {
    this.subclass(f, m & this.S, info, 'Date');
    if (m & this.J && !this.toJSON(f, o, info, true)) {
      if (!getOwnPropertyDescriptor(o, 'toJSON') && !protoToJSON(info).found) {
        // A Date without Date.prototype on its chain has no toJSON: JSON writes its own properties.
        this.emit('BUILTIN_BECOMES_OBJECT', this.J, f, undefined, undefined, { type: 'Date' });
        this.builtinProperties(f, o, this.J, 'Date');
      } else {
        const time = dateGetTime(o);
        this.emit(time === time ? 'DATE_BECOMES_STRING' : 'INVALID_DATE_BECOMES_NULL', this.J, f);
      }
    }
    this.integrity(f, o, m);
    this.builtinProperties(f, o, m & this.S, 'Date');
  }

  regexp(f: Frame, o: object, m: number, info: ProtoInfo): void {
    this.subclass(f, m & this.S, info, 'RegExp');
    const lastIndex = getOwnPropertyDescriptor(o, 'lastIndex');
    if (lastIndex && 'value' in lastIndex && lastIndex.value !== 0) {
      this.emit('REGEXP_LASTINDEX_RESET', m & this.S, f, undefined, undefined, {
        value: typeof lastIndex.value === 'number' ? String(lastIndex.value) : typeof lastIndex.value,
      });
    }
    if (m & this.J && !this.toJSON(f, o, info)) this.emit('BUILTIN_BECOMES_OBJECT', this.J, f, undefined, undefined, { type: 'RegExp' });
    this.integrity(f, o, m);
    this.builtinProperties(f, o, m, 'RegExp', (k) => k === 'lastIndex');
  }

  map(f: Frame, o: object, m: number, info: ProtoInfo): void {
    this.subclass(f, m & this.S, info, 'Map');
    const entries = readMapEntries(o);
    if (m & this.J && !this.toJSON(f, o, info)) this.emit('MAP_BECOMES_OBJECT', this.J, f, undefined, undefined, { count: entries.length });
    this.integrity(f, o, m);
    this.builtinProperties(f, o, m, 'Map');
    const wv = m & this.S;
    if (!wv) return;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!; // by index: destructuring would call the (patchable) array iterator
      this.child(f, { kind: 'map-key', index: i }, undefined, entry[0], wv, OTHER);
      this.child(f, { kind: 'map-value', index: i }, describeMapKey(entry[0]), entry[1], wv, OTHER);
    }
  }

  set(f: Frame, o: object, m: number, info: ProtoInfo): void {
    this.subclass(f, m & this.S, info, 'Set');
    const members = readSetMembers(o);
    if (m & this.J && !this.toJSON(f, o, info)) this.emit('SET_BECOMES_OBJECT', this.J, f, undefined, undefined, { count: members.length });
    this.integrity(f, o, m);
    this.builtinProperties(f, o, m, 'Set');
    const wv = m & this.S;
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
      this.emit('SYMBOL_NOT_CLONEABLE', m & this.S, f, undefined, undefined, { type: 'boxed Symbol' });
    } else {
      this.subclass(f, m & this.S, info, type);
    }
    if (m & this.J && !this.toJSON(f, o, info)) {
      if (type === 'BigInt') this.emit('BIGINT_NOT_JSON', this.J, f, undefined, undefined, { type: 'boxed BigInt' });
      // JSON converts a Number or String object with ToNumber/ToString, which needs one of these.
      else if ((type === 'Number' || type === 'String') && !hasPrimitiveConversion(o, info))
        this.emit('JSON_THROWS', this.J, f, undefined, undefined, { why: 'no-primitive', type });
      else if (type === 'Symbol') this.emit('BUILTIN_BECOMES_OBJECT', this.J, f, undefined, undefined, { type: 'boxed Symbol' });
      else this.emit('BOXED_PRIMITIVE_UNBOXED', this.J, f, undefined, undefined, { type });
      m &= ~this.J;
    }
    this.integrity(f, o, m);
    // A String object's characters are index properties of its own; they are the value, not extras.
    this.builtinProperties(f, o, m, `boxed ${type}`, type === 'String' ? (k) => k === 'length' || isIndexKey(k) : undefined);
  }

  arrayBuffer(f: Frame, o: ArrayBuffer, m: number, info: ProtoInfo): void {
    this.subclass(f, m & this.S, info, 'ArrayBuffer');
    // Node's serializers copy a view's bytes, not its buffer: reached here too, it arrives twice.
    const viewFrame = m & this.V ? this.copiedStores.get(o) : undefined;
    if (viewFrame) this.emit('SHARED_REFERENCE_DUPLICATED', m & this.V, f, undefined, undefined, { firstSeen: atOf(viewFrame, undefined, undefined) });
    if (m & this.W && this.transfer.has(o)) {
      this.emit('TRANSFERRED', this.W, f, undefined, undefined, { type: 'ArrayBuffer' });
      m &= ~this.W;
    }
    if (isDetached(o)) this.emit('DETACHED_BUFFER', m & this.S, f, undefined, undefined, { type: 'ArrayBuffer' });
    if (m & this.J && !this.toJSON(f, o, info)) this.emit('BUILTIN_BECOMES_OBJECT', this.J, f, undefined, undefined, { type: 'ArrayBuffer' });
    this.integrity(f, o, m);
    this.builtinProperties(f, o, m, 'ArrayBuffer');
  }

  sharedArrayBuffer(f: Frame, o: object, m: number, info: ProtoInfo): void {
    this.subclass(f, m & this.W, info, 'SharedArrayBuffer');
    this.emit('SHARED_MEMORY', m & this.W, f, undefined, undefined, { bytes: bufferByteLength(o as SharedArrayBuffer) });
    this.emit('SHARED_MEMORY_NOT_SERIALIZABLE', m & this.V, f);
    if (m & this.J && !this.toJSON(f, o, info)) this.emit('BUILTIN_BECOMES_OBJECT', this.J, f, undefined, undefined, { type: 'SharedArrayBuffer' });
    this.integrity(f, o, m & ~this.V);
    this.builtinProperties(f, o, m & ~this.V, 'SharedArrayBuffer');
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
    const pooled = isBuffer && storeBytes === BUFFER_POOL_SIZE && bytes < storeBytes;
    const typeName = isBuffer ? 'Buffer' : type;

    // Node's serializers write a view through its own properties (constructor, Symbol.toStringTag,
    // buffer, byteOffset, byteLength), not its slots: one that reads wrong there throws.
    const readsProperties = m & this.V & groupBits(this.k.viewProperties);
    if (readsProperties && !detached && hostViewWriteThrows(o, info, isDataView)) {
      this.emit('UNCLONEABLE_TYPE', readsProperties, f, undefined, undefined, { type: `${typeName} whose view properties are overridden` });
      m &= ~readsProperties;
    }
    if (detached) {
      this.emit('DETACHED_BUFFER', m & this.S, f, undefined, undefined, { type: typeName });
    } else if (outOfBounds && m & this.W) {
      this.emit('UNCLONEABLE_TYPE', m & this.W, f, undefined, undefined, { type: `${typeName} out of bounds of its resized buffer` });
      m &= ~this.W;
    }
    if (!detached) {
      if (isBuffer) this.emit('BUFFER_BECOMES_UINT8ARRAY', m & this.W, f);
      if (!isBuffer) this.subclass(f, m & this.S, info, type);
      else if (info.chain[0] !== BUFFER_PROTOTYPE && info.className !== 'FastBuffer' && info.className !== 'Buffer') {
        this.emit('SUBCLASS_LOST', m & this.V, f, undefined, undefined, info.className ? { className: info.className, base: 'Buffer' } : { base: 'Buffer' });
      }
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
          } else this.emit('TRANSFERRED', this.W, f, undefined, undefined, { type: typeName });
        } else if (storeBytes > bytes) {
          this.emit('BACKING_STORE_COPIED', this.W, f, undefined, undefined, { bytes, storeBytes, pooled });
        }
      }
      if (shared) this.emit('SHARED_VIEW_COPIED', m & this.V, f, undefined, undefined, { type: typeName });
      else this.emit('VIEW_REBASED', m & this.V, f, undefined, undefined, { type: typeName, resizable: isResizable(buffer) });
      if (m & this.V) {
        const direct = this.ids.get(buffer);
        if (direct && direct.seen & m & this.V)
          this.emit('SHARED_REFERENCE_DUPLICATED', direct.seen & m & this.V, f, undefined, undefined, { firstSeen: atOf(direct, undefined, undefined) });
        else this.copiedStores.set(buffer, f);
      }
    }
    if (m & this.J && !this.toJSON(f, o, info, isBuffer)) {
      if (isBuffer) this.emit('BUFFER_BECOMES_JSON', this.J, f);
      else if (isDataView) this.emit('BUILTIN_BECOMES_OBJECT', this.J, f, undefined, undefined, { type });
      else if ((type === 'BigInt64Array' || type === 'BigUint64Array') && bytes > 0) this.emit('BIGINT_NOT_JSON', this.J, f, undefined, undefined, { type });
      else this.emit('TYPED_ARRAY_BECOMES_OBJECT', this.J, f, undefined, undefined, { type });
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
        this.emit('EXTRA_PROPERTY_DROPPED', m, f, undefined, undefined, { type: 'ArrayBuffer' });
        break;
      }
    }
    if (!isExtensible(buffer))
      this.emit('INTEGRITY_LOST', m, f, undefined, undefined, { integrity: isFrozen(buffer) ? 'frozen' : isSealed(buffer) ? 'sealed' : 'non-extensible' });
  }

  error(f: Frame, o: object, m: number, info: ProtoInfo): void {
    let nativeName = 'Error';
    for (let n = 0; n < info.builtins.length; n++) {
      if (stringEndsWith(info.builtins[n]!, 'Error')) {
        nativeName = info.builtins[n]!;
        break;
      }
    }
    const ownName = getOwnPropertyDescriptor(o, 'name');
    const wv = m & this.S;
    if (wv) {
      // The serializers Get `name` through the prototype chain and convert it to a string (a
      // symbol throws), then keep only the six native types.
      const name = ownName ? ('value' in ownName ? ownName.value : undefined) : inheritedData(info, 'name');
      if (typeof name === 'symbol') this.emit('ERROR_FIELD_NOT_STRING', wv, f, 'name', undefined, { key: 'name', type: 'symbol' });
      else if (name !== null && typeof name === 'object' && !isProxy(name) && !canBecomePrimitive(name)) {
        this.emit('ERROR_FIELD_NOT_STRING', wv, f, 'name', undefined, { key: 'name', type: 'object without toString' });
      }
      const to = typeof name === 'string' && NATIVE_ERROR_NAMES.has(name) ? name : 'Error';
      const exact = info.builtin === nativeName;
      const named = !exact && info.className !== undefined && info.className !== to;
      const from = exact ? nativeName : (info.className ?? nativeName);
      if ((exact || named ? from : `${from} subclass`) !== to || info.builtin !== to)
        this.emit('ERROR_TYPE_CHANGED', wv, f, undefined, undefined, { from, to, subclass: !exact && !named });
      if (ownName) {
        const value: unknown = ownName.value;
        this.emit('ERROR_NAME_DROPPED', wv, f, 'name', undefined, typeof value === 'string' ? { name: value, type: 'string' } : { type: typeof value });
      }
    }
    if (m & this.J && !this.toJSON(f, o, info)) this.emit('ERROR_BECOMES_OBJECT', this.J, f, undefined, undefined, { type: info.className ?? nativeName });
    this.integrity(f, o, m);
    const keys = ownKeys(o);
    let hasStack = false;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      if (typeof key === 'symbol') {
        this.emit('SYMBOL_KEY_DROPPED', m, f, key);
        continue;
      }
      if (key === 'stack') {
        hasStack = true;
        this.errorStack(f, o, m);
        continue;
      }
      if (key === 'name') continue;
      const d = getOwnPropertyDescriptor(o, key);
      if (!d) continue;
      if (key === 'message' || key === 'cause') {
        // The serializers copy an own data message (as a string) and cause, as non-enumerable,
        // writable and configurable properties; an accessor is not copied at all.
        if (!('value' in d)) {
          this.emit('ERROR_PROPERTY_DROPPED', wv, f, key, undefined, { key });
        } else if (key === 'message' && typeof d.value === 'symbol') {
          this.emit('ERROR_FIELD_NOT_STRING', wv, f, key, undefined, { key, type: 'symbol' });
        } else if (key === 'message' && d.value !== null && typeof d.value === 'object' && !isProxy(d.value) && !canBecomePrimitive(d.value)) {
          this.emit('ERROR_FIELD_NOT_STRING', wv, f, key, undefined, { key, type: 'object without toString' });
        } else {
          const changes: ('string' | 'non-enumerable' | 'writable')[] = [];
          if (key === 'message' && typeof d.value !== 'string') changes[changes.length] = 'string';
          if (d.enumerable) changes[changes.length] = 'non-enumerable';
          if (!d.writable || !d.configurable) changes[changes.length] = 'writable';
          if (changes.length > 0) this.emit('ERROR_FIELD_CHANGED', wv, f, key, undefined, { key, changes });
          if (key === 'cause') this.child(f, key, undefined, d.value, wv, OTHER);
        }
        if (d.enumerable && m & this.J) this.property(f, key, d, this.J, false, PROP);
        continue;
      }
      this.emit('ERROR_PROPERTY_DROPPED', wv, f, key, undefined, { key });
      // JSON sends the enumerable own properties; ERROR_BECOMES_OBJECT already covers the rest.
      if (m & this.J && d.enumerable) this.property(f, key, d, this.J, false, PROP);
    }
    if (!hasStack) this.emit('ERROR_FIELD_CHANGED', wv, f, 'stack', undefined, { key: 'stack', changes: ['own-undefined'] });
  }

  /**
   * The serializers Get `stack` (running a getter) and write it only when it is a string; the
   * receiver always defines it as a non-enumerable, writable, configurable data property.
   */
  errorStack(f: Frame, o: object, m: number): void {
    const wv = m & this.S;
    const jv = m & this.J;
    if (!wv && !jv) return;
    const d = readStackDescriptor(o);
    if (!d || (STANDARD_STACK_GETTER !== undefined && d.get === STANDARD_STACK_GETTER)) return;
    if (wv) {
      // Node 20 turns a getter stack into data; from 22 every received stack is an accessor.
      const toData = wv & groupBits(this.k.errorStackAccessor);
      const toAccessor = wv & groupBits(this.k.errorStackData);
      if (!('value' in d)) {
        if (toData)
          this.emit('ERROR_FIELD_CHANGED', toData, f, 'stack', undefined, { key: 'stack', changes: d.enumerable ? ['data', 'non-enumerable'] : ['data'] });
        if (d.enumerable && wv & ~toData) this.emit('ERROR_FIELD_CHANGED', wv & ~toData, f, 'stack', undefined, { key: 'stack', changes: ['non-enumerable'] });
      } else {
        const changes: ('non-enumerable' | 'writable' | 'own-undefined')[] = [];
        if (typeof d.value !== 'string') changes[changes.length] = 'own-undefined';
        if (d.enumerable) changes[changes.length] = 'non-enumerable';
        if (!d.writable || !d.configurable) changes[changes.length] = 'writable';
        if (changes.length > 0 && wv & ~toAccessor) this.emit('ERROR_FIELD_CHANGED', wv & ~toAccessor, f, 'stack', undefined, { key: 'stack', changes });
        if (toAccessor)
          this.emit('ERROR_FIELD_CHANGED', toAccessor, f, 'stack', undefined, {
            key: 'stack',
            changes: d.enumerable ? ['accessor', 'non-enumerable'] : ['accessor'],
          });
      }
    }
    if (jv && d.enumerable) this.property(f, 'stack', d, jv, false, PROP);
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
      if (code === 'TRANSFER_REQUIRED' && this.transfer.has(o)) this.emit('TRANSFERRED', on, f, undefined, undefined, { type });
      else if (code === 'SHARED_MEMORY') this.emit(code, on, f, undefined, undefined, { bytes: wasmMemoryBytes(o) });
      else this.emit(code, on, f, undefined, undefined, { type });
      if (code === 'HOST_OBJECT_BECOMES_OBJECT') {
        this.spread(f, o, on);
        if (on & this.IPC) this.spreadHosts.set(o, on & this.IPC);
      } else if (code === 'PLATFORM_OBJECT_BECOMES_PLAIN') plain |= on;
      else if (code === 'FILE_BECOMES_BLOB' || code === 'HOST_OBJECT_PROTOTYPE_CHANGED' || code === 'TRANSFERRED') slots |= on;
    }
    // Channels with no rule for this type copy it exactly, from its slots.
    slots |= m & this.S & ~groupBits(groups);
    if (slots) {
      this.hostOwnProperties(f, o, slots, type, false, host.ownKeys);
      // Rebuilt from its slots on the other side: extensible, whatever it was here.
      this.integrity(f, o, slots);
    }
    if (plain) this.hostOwnProperties(f, o, plain, type, true);
    if (m & this.J) {
      const tj = getOwnPropertyDescriptor(o, 'toJSON') ? { found: true, intrinsic: false } : protoToJSON(info);
      if (tj.found && !tj.intrinsic) this.toJSON(f, o, info);
      else if (tj.found) this.emit('PLATFORM_OBJECT_BECOMES_PLAIN', this.J, f, undefined, undefined, { type, viaToJSON: true });
      else {
        this.emit(host.host ? 'HOST_OBJECT_BECOMES_OBJECT' : 'PLATFORM_OBJECT_BECOMES_PLAIN', this.J, f, undefined, undefined, { type });
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
      else this.emit('EXTRA_PROPERTY_DROPPED', m, f, key, undefined, { type });
    }
  }

  uncloneable(f: Frame, m: number, type: string, info: ProtoInfo | null): void {
    this.emit('UNCLONEABLE_TYPE', m & this.S, f, undefined, undefined, { type });
    if (!(m & this.J) || this.toJSON(f, f.value, info)) return;
    this.emit('BUILTIN_BECOMES_OBJECT', this.J, f, undefined, undefined, { type });
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
}

function groupBits(groups: readonly RuleGroup[]): number {
  let bits = 0;
  for (let g = 0; g < groups.length; g++) bits |= groups[g]!.bits;
  return bits;
}
