// What the serializers read from an object through its properties rather than its slots, judged
// by descriptors only: whether a value can be turned into a primitive (an Error's name, a boxed
// primitive over JSON), an Error's own stack, and a view as Node's serializer writes it.
import {
  apply,
  BUFFER_PROTOTYPE,
  bufferByteLength,
  dataViewBuffer,
  dataViewByteLength,
  dataViewByteOffset,
  getOwnPropertyDescriptor,
  getPrototypeOf,
  isProxy,
  lookupGetter,
  reflectSet,
  SafeSet,
  stringStartsWith,
  TYPED_ARRAY_NAMES,
  types,
  viewBuffer,
  viewByteLength,
  viewByteOffset,
  viewTag,
} from '../realm/intrinsics.js';
import type { ProtoInfo } from './prototype.js';

/** Whether an object (of any prototype) has a Symbol.toPrimitive, valueOf or toString to convert it with. */
export function canBecomePrimitive(o: object): boolean {
  const keys: PropertyKey[] = [Symbol.toPrimitive, 'valueOf', 'toString'];
  for (let p: object | null = o, n = 0; p !== null && n < 10000; p = getPrototypeOf(p), n++) {
    if (isProxy(p)) return true;
    for (let k = 0; k < keys.length; k++) if (getOwnPropertyDescriptor(p, keys[k]!)) return true;
  }
  return false;
}

/** Whether `o` or its prototype chain has Symbol.toPrimitive, valueOf or toString to convert it with. */
export function hasPrimitiveConversion(o: object, info: ProtoInfo): boolean {
  const keys: PropertyKey[] = [Symbol.toPrimitive, 'valueOf', 'toString'];
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    const own = getOwnPropertyDescriptor(o, key);
    if (own) return true;
    if (!info.readable) return true;
    for (let j = 0; j < info.chain.length; j++) if (getOwnPropertyDescriptor(info.chain[j]!, key)) return true;
  }
  return false;
}

/**
 * The getter V8 gives every Error's own `stack` from Node 22 on (undefined on Node 20, where the
 * stack is a lazy data property instead). Reading its descriptor formats nothing there.
 */
export const STANDARD_STACK_GETTER: unknown = getOwnPropertyDescriptor(new Error('stack probe'), 'stack')?.get;
const propertyIsEnumerable = Object.prototype.propertyIsEnumerable;

/**
 * An Error's own `stack` descriptor, read only where reading runs nothing. On Node 20, reading the
 * descriptor of V8's lazy stack formats it, which runs Error.prepareStackTrace (Node's, and any
 * built-in it uses, which the user may have patched). That stack is never enumerable and never an
 * accessor pair, so only a stack that is one of those (the user's own) is read there.
 */
export function readStackDescriptor(o: object): PropertyDescriptor | undefined {
  try {
    if (STANDARD_STACK_GETTER !== undefined) return getOwnPropertyDescriptor(o, 'stack');
    if (lookupGetter(o, 'stack') !== undefined || apply(propertyIsEnumerable, o, ['stack']) === true) return getOwnPropertyDescriptor(o, 'stack');
    // A set aimed at another receiver reads no value and changes nothing of `o`'s; it fails only on a
    // read-only data property, which V8's own stack never is: then the stack is the user's, safe to read.
    if (!reflectSet(o, 'stack', undefined, {})) return getOwnPropertyDescriptor(o, 'stack');
  } catch {
    // A stack that throws while being read: nothing to say about it.
  }
  return undefined;
}

const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype) as object;
const INTRINSIC_VIEW_GETTERS = new SafeSet<unknown>();
for (const proto of [typedArrayProto, DataView.prototype]) {
  for (const key of ['buffer', 'byteOffset', 'byteLength', Symbol.toStringTag]) INTRINSIC_VIEW_GETTERS.add(Object.getOwnPropertyDescriptor(proto, key)?.get);
}
INTRINSIC_VIEW_GETTERS.delete(undefined);
const HOST_VIEW_TAGS = new SafeSet([...TYPED_ARRAY_NAMES, 'DataView']);
const NODE_BUFFER: unknown = BUFFER_PROTOTYPE.constructor;
const typedArrayKeys = Object.getOwnPropertyDescriptor(typedArrayProto, 'keys')!.value as () => unknown;

/** A property as a Get would find it, by descriptors only: the descriptor, or undefined. */
function find(o: object, info: ProtoInfo, key: PropertyKey): PropertyDescriptor | undefined {
  const own = getOwnPropertyDescriptor(o, key);
  if (own) return own;
  for (let j = 0; j < info.chain.length; j++) {
    const d = getOwnPropertyDescriptor(info.chain[j]!, key);
    if (d) return d;
  }
  return undefined;
}

/**
 * Whether Node's DefaultSerializer._writeHostObject throws for this view: `constructor` is not
 * Buffer and `Object.prototype.toString` does not name a view type, or `buffer`, `byteOffset`
 * and `byteLength` read as data that no Uint8Array can be made from. A user's getter there would
 * run at send time: then nothing is claimed.
 */
export function hostViewWriteThrows(o: object, info: ProtoInfo, isDataView: boolean): boolean {
  if (!info.readable && info.proxy !== undefined) return false;
  const ctor = find(o, info, 'constructor');
  if (ctor && !('value' in ctor)) return false;
  if (ctor?.value !== NODE_BUFFER) {
    const tag = find(o, info, Symbol.toStringTag);
    let name: unknown;
    if (tag === undefined) name = undefined;
    else if ('value' in tag) name = tag.value;
    else if (INTRINSIC_VIEW_GETTERS.has(tag.get)) name = isDataView ? undefined : viewTag(o);
    else return false;
    if (typeof name !== 'string' || !HOST_VIEW_TAGS.has(name)) return true;
  }
  const parts: unknown[] = [];
  const keys = ['buffer', 'byteOffset', 'byteLength'];
  let overridden = false;
  for (let k = 0; k < keys.length; k++) {
    const d = find(o, info, keys[k]!);
    if (d === undefined) return true;
    if (!('value' in d)) {
      if (!INTRINSIC_VIEW_GETTERS.has(d.get)) return false;
      parts[k] = undefined;
    } else {
      overridden = true;
      parts[k] = d.value;
    }
  }
  if (!overridden) return false;
  const buffer = parts[0] !== undefined ? parts[0] : isDataView ? dataViewBuffer(o) : viewBuffer(o);
  const offset = parts[1] !== undefined ? parts[1] : isDataView ? dataViewByteOffset(o) : viewByteOffset(o);
  const length = parts[2] !== undefined ? parts[2] : isDataView ? dataViewByteLength(o) : viewByteLength(o);
  if (buffer === null || typeof buffer !== 'object' || isProxy(buffer) || !types.isAnyArrayBuffer(buffer)) return true;
  // `new Uint8Array(buffer, byteOffset, byteLength)` coerces both with ToIndex: a string or null
  // is a number to it; only a negative, too large or uncoercible one throws.
  const start = toIndex(offset);
  const size = length === undefined ? 0 : toIndex(length);
  if (start === undefined || size === undefined) return true;
  return start + size > bufferByteLength(buffer as ArrayBufferLike);
}

/**
 * ToIndex of a primitive, as a view's constructor reads its offset and length; undefined where it
 * throws (negative, past 2**53 - 1, a bigint or a symbol) or would run code (an object).
 */
const MAX_INDEX = 2 ** 53 - 1;

function toIndex(value: unknown): number | undefined {
  if (value !== null && (typeof value === 'object' || typeof value === 'function' || typeof value === 'bigint' || typeof value === 'symbol')) return undefined;
  const n = +(value as number); // ToNumber of a primitive runs nothing
  if (n !== n) return 0;
  if (n < 0 || n > MAX_INDEX) return n > -1 ? 0 : undefined; // (-1, 0) truncates to -0: allowed
  return n - (n % 1); // truncated, without Math (which the caller's code may have patched)
}

/** A view that lies (partly) outside its resizable buffer: V8's own validation throws for it. */
export function isOutOfBounds(o: object, isDataView: boolean): boolean {
  try {
    if (isDataView) dataViewByteLength(o);
    else apply(typedArrayKeys, o, []);
    return false;
  } catch {
    return true;
  }
}

/**
 * A `cmd` Node's IPC takes for one of its own messages (lib/internal/child_process.js: a string
 * longer than `NODE_` that starts with it): such a message is swallowed, never delivered.
 */
export function isInternalCmd(cmd: unknown): boolean {
  return typeof cmd === 'string' && cmd.length > 5 && stringStartsWith(cmd, 'NODE_');
}
