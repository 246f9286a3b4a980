// Built-ins whose data lives in internal slots (Date, RegExp, Map, Set, boxed primitives,
// ArrayBuffer, SharedArrayBuffer, Error), per channel family: the serializers copy the slots and
// drop the own properties; JSON calls toJSON or writes the enumerable own properties.
import { describeMapKey } from '../findings/path.js';
import {
  bufferByteLength,
  dateGetTime,
  getOwnPropertyDescriptor,
  isDetached,
  isProxy,
  ownKeys,
  readMapEntries,
  readSetMembers,
  stringEndsWith,
  types,
} from '../realm/intrinsics.js';
import { NATIVE_ERROR_NAMES } from '../realm/registry.js';
import { ArrayWalker } from './arrays.js';
import { atOf, type Frame } from './frames.js';
import type { CheckOptions } from '../types.js';
import { groupBits, type ChannelMasks } from './masks.js';
import { canBecomePrimitive, hasPrimitiveConversion, hostGetterRefusing, readStackDescriptor, STANDARD_STACK_GETTER } from './properties.js';
import { inheritedData, isIndexKey, protoToJSON, type ProtoInfo } from './prototype.js';
import { accessorArgs, typeArgs } from './args.js';
import { OTHER, PROP } from './walker.js';

export abstract class BuiltinWalker extends ArrayWalker {
  // Spelled out: an implicit constructor would spread its arguments through Array.prototype[Symbol.iterator].
  constructor(k: ChannelMasks, options: CheckOptions, nodeName: string) {
    super(k, options, nodeName);
  }

  /** Own properties of a built-in whose data lives in internal slots: the serializers copy only the slots. */
  builtinProperties(f: Frame, o: object, m: number, type: string, skip?: (key: string) => boolean, indices = 0): void {
    const keys = ownKeys(o);
    // A typed array lists its `indices` elements first, "0" to its last index, then the rest: when
    // the last index is where it should be, those keys are its elements and need no parsing.
    const first = indices > 0 && keys.length >= indices && keys[indices - 1] === `${indices - 1}` ? indices : 0;
    for (let k = first; k < keys.length; k++) {
      const key = keys[k]!;
      if (typeof key === 'symbol') {
        this.emit('SYMBOL_KEY_DROPPED', m, f, key);
        continue;
      }
      if (skip?.(key)) continue;
      const d = getOwnPropertyDescriptor(o, key);
      if (!d) continue;
      if (!d.enumerable) {
        this.emit('NON_ENUMERABLE_DROPPED', m, f, key, undefined, accessorArgs(d));
        continue;
      }
      this.emit('EXTRA_PROPERTY_DROPPED', m & this.S, f, key, undefined, typeArgs(type));
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
        this.emit('BUILTIN_BECOMES_OBJECT', this.J, f, undefined, undefined, typeArgs('Date'));
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
    if (m & this.J && !this.toJSON(f, o, info)) this.emit('BUILTIN_BECOMES_OBJECT', this.J, f, undefined, undefined, typeArgs('RegExp'));
    const sealed = this.integrity(f, o, m);
    // The serializers make a new RegExp, whose lastIndex is writable (a frozen one: INTEGRITY_LOST).
    if (!sealed && lastIndex && 'value' in lastIndex && !lastIndex.writable) {
      this.emit('READONLY_LOST', m & this.S, f, 'lastIndex', undefined, { attributes: ['read-only'] });
    }
    this.builtinProperties(f, o, m, 'RegExp', (k) => k === 'lastIndex');
  }

  map(f: Frame, o: object, m: number, info: ProtoInfo): void {
    this.subclass(f, m & this.S, info, 'Map');
    const entries = readMapEntries(o);
    if (m & this.J && !this.toJSON(f, o, info)) this.emit('MAP_BECOMES_OBJECT', this.J, f, undefined, undefined, this.countArgs(entries.length));
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
    if (m & this.J && !this.toJSON(f, o, info)) this.emit('SET_BECOMES_OBJECT', this.J, f, undefined, undefined, this.countArgs(members.length));
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
      this.emit('SYMBOL_NOT_CLONEABLE', m & this.S, f, undefined, undefined, typeArgs('boxed Symbol'));
    } else {
      this.subclass(f, m & this.S, info, type);
    }
    if (m & this.J && !this.toJSON(f, o, info)) {
      if (type === 'BigInt') this.emit('BIGINT_NOT_JSON', this.J, f, undefined, undefined, typeArgs('boxed BigInt'));
      // JSON converts a Number or String object with ToNumber/ToString, which needs one of these.
      else if ((type === 'Number' || type === 'String') && !hasPrimitiveConversion(o, info))
        this.emit('JSON_THROWS', this.J, f, undefined, undefined, { why: 'no-primitive', type });
      else if (type === 'Symbol') this.emit('BUILTIN_BECOMES_OBJECT', this.J, f, undefined, undefined, typeArgs('boxed Symbol'));
      else this.emit('BOXED_PRIMITIVE_UNBOXED', this.J, f, undefined, undefined, typeArgs(type));
      m &= ~this.J;
    }
    this.integrity(f, o, m);
    // A String object's characters are index properties of its own below its length; they are the
    // value, not extras. An index key at or past the length is a property of its own, lost as any.
    let chars = 0;
    if (type === 'String') {
      const length = getOwnPropertyDescriptor(o, 'length')?.value as unknown;
      chars = typeof length === 'number' ? length : 0;
    }
    this.builtinProperties(f, o, m, `boxed ${type}`, type === 'String' ? (k) => k === 'length' || (isIndexKey(k) && +k < chars) : undefined);
  }

  arrayBuffer(f: Frame, o: ArrayBuffer, m: number, info: ProtoInfo): void {
    this.subclass(f, m & this.S, info, 'ArrayBuffer');
    // Node's serializers copy a view's bytes, not its buffer: reached here too, it arrives twice.
    const viewFrame = m & this.V ? this.copiedStores.get(o) : undefined;
    if (viewFrame) this.emit('SHARED_REFERENCE_DUPLICATED', m & this.V, f, undefined, undefined, { firstSeen: atOf(viewFrame, undefined, undefined) });
    if (m & this.W && this.transfer.has(o)) {
      this.emit('TRANSFERRED', this.W, f, undefined, undefined, typeArgs('ArrayBuffer'));
      m &= ~this.W;
    }
    if (isDetached(o)) this.emit('DETACHED_BUFFER', m & this.S, f, undefined, undefined, typeArgs('ArrayBuffer'));
    if (m & this.J && !this.toJSON(f, o, info)) this.emit('BUILTIN_BECOMES_OBJECT', this.J, f, undefined, undefined, typeArgs('ArrayBuffer'));
    this.integrity(f, o, m);
    this.builtinProperties(f, o, m, 'ArrayBuffer');
  }

  sharedArrayBuffer(f: Frame, o: object, m: number, info: ProtoInfo): void {
    this.subclass(f, m & this.W, info, 'SharedArrayBuffer');
    this.emit('SHARED_MEMORY', m & this.W, f, undefined, undefined, { bytes: bufferByteLength(o as SharedArrayBuffer) });
    this.emit('SHARED_MEMORY_NOT_SERIALIZABLE', m & this.V, f);
    if (m & this.J && !this.toJSON(f, o, info)) this.emit('BUILTIN_BECOMES_OBJECT', this.J, f, undefined, undefined, typeArgs('SharedArrayBuffer'));
    this.integrity(f, o, m & ~this.V);
    this.builtinProperties(f, o, m & ~this.V, 'SharedArrayBuffer');
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
    // A host class's name getter on the chain (DOMException.prototype's) refuses an Error that is not
    // one of its instances: the serializers read the name, and the send throws.
    const refusing = ownName === undefined && m & this.S ? hostGetterRefusing(o, info, 'name') : undefined;
    if (refusing !== undefined) {
      this.emit('UNCLONEABLE_TYPE', m & this.S, f, undefined, undefined, { type: `Error whose name getter is ${refusing}'s` });
      m &= ~this.S;
    }
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
    if (m & this.J && !this.toJSON(f, o, info)) this.emit('ERROR_BECOMES_OBJECT', this.J, f, undefined, undefined, typeArgs(info.className ?? nativeName));
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
}
