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
  functionToString,
  getOwnPropertyDescriptor,
  getPrototypeOf,
  isProxy,
  lookupGetter,
  reflectSet,
  SafeSet,
  stringStartsWith,
  SafeMap,
  TYPED_ARRAY_NAMES,
  types,
  viewBuffer,
  viewByteLength,
  viewByteOffset,
  viewTag,
} from '../realm/intrinsics.js';
import { foreignBuiltinName, hostInfoOfChain } from '../realm/registry.js';
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

/**
 * What ToPrimitive(o, hint) does, judged by descriptors and captured built-ins only: 'string' when
 * Object.prototype.toString makes it a string, 'primitive' when another built-in accepts it,
 * 'throws' when the first method it calls is a built-in that refuses `o` (String.prototype.valueOf
 * on a Number object) or there is none, 'runs-code' when a user's method or getter would decide.
 */
export function toPrimitive(
  o: object,
  info: Pick<ProtoInfo, 'chain' | 'readable'>,
  hint: 'number' | 'string',
): 'string' | 'primitive' | 'throws' | 'runs-code' {
  const exotic = findWithHolder(o, info, Symbol.toPrimitive);
  if (exotic === RUNS_CODE) return 'runs-code';
  const method: unknown = exotic?.value;
  if (method !== undefined && method !== null) {
    const c = converterOf(method, exotic!.holder, Symbol.toPrimitive);
    if (c === undefined) return typeof method === 'function' ? 'runs-code' : 'throws';
    // Date.prototype[Symbol.toPrimitive] goes on as below; Symbol.prototype's checks its receiver.
    if (c.kind === 'brand') return c.is(o) ? 'primitive' : 'throws';
  }
  const order = hint === 'string' ? STRING_FIRST : NUMBER_FIRST;
  for (let k = 0; k < order.length; k++) {
    const found = findWithHolder(o, info, order[k]!);
    if (found === RUNS_CODE) return 'runs-code';
    if (typeof found?.value !== 'function') continue;
    const c = converterOf(found.value, found.holder, order[k]!);
    if (c === undefined) return 'runs-code';
    if (c.kind === 'object-valueOf') continue; // returns the object itself
    if (c.kind === 'object-toString') return 'string';
    if (c.kind === 'brand') return c.is(o) ? 'primitive' : 'throws';
  }
  return 'throws';
}

/** Whether JSON can turn this Number or String object into a primitive (ToNumber / ToString) without a throw. */
export function hasPrimitiveConversion(o: object, info: ProtoInfo): boolean {
  return toPrimitive(o, info, types.isStringObject(o) ? 'string' : 'number') !== 'throws';
}

const RUNS_CODE = 1;
const STRING_FIRST: readonly string[] = ['toString', 'valueOf'];
const NUMBER_FIRST: readonly string[] = ['valueOf', 'toString'];

/** A data property as a Get finds it, with the object that holds it; RUNS_CODE past a getter or a Proxy. */
export function findWithHolder(
  o: object,
  info: Pick<ProtoInfo, 'chain' | 'readable'>,
  key: PropertyKey,
): { value: unknown; holder: object } | typeof RUNS_CODE | undefined {
  let d = getOwnPropertyDescriptor(o, key);
  let holder = o;
  for (let j = 0; d === undefined && j < info.chain.length; j++) d = getOwnPropertyDescriptor((holder = info.chain[j]!), key);
  if (d === undefined) return info.readable ? undefined : RUNS_CODE;
  return 'value' in d ? { value: d.value, holder } : RUNS_CODE;
}

interface Converter {
  readonly kind: 'brand' | 'date-toPrimitive' | 'object-valueOf' | 'object-toString';
  readonly is: (o: object) => boolean;
}
/** The conversion methods of the built-in prototypes, by identity; each of a wrapper or Date checks its receiver. */
const CONVERTERS = new SafeMap<unknown, Converter>();
const CONVERTER_PROTOS = new SafeMap<string, object>();
for (const [type, proto, is] of [
  ['Number', Number.prototype, types.isNumberObject],
  ['String', String.prototype, types.isStringObject],
  ['Boolean', Boolean.prototype, types.isBooleanObject],
  ['BigInt', BigInt.prototype, types.isBigIntObject],
  ['Symbol', Symbol.prototype, types.isSymbolObject],
  ['Date', Date.prototype, types.isDate],
  ['Object', Object.prototype, () => true],
] as const) {
  CONVERTER_PROTOS.set(type, proto);
  for (const key of ['valueOf', 'toString', Symbol.toPrimitive]) {
    const fn = Object.getOwnPropertyDescriptor(proto, key)?.value as unknown;
    if (typeof fn !== 'function') continue;
    const kind =
      type === 'Object'
        ? key === 'valueOf'
          ? 'object-valueOf'
          : 'object-toString'
        : type === 'Date' && key === Symbol.toPrimitive
          ? 'date-toPrimitive'
          : 'brand';
    CONVERTERS.set(fn, { kind, is: is as (o: object) => boolean });
  }
}

/**
 * This realm's built-in that `fn`, found on `holder` under `key`, is: `fn` itself, or for a built-in
 * prototype of another realm (a \`vm\` context) the one of the same place here, when `fn` is native
 * code of the same name (a bound function's source names nothing). Undefined for anything else.
 */
export function sameBuiltin(fn: unknown, holder: object, key: PropertyKey): unknown {
  if (typeof fn !== 'function' || isProxy(fn)) return undefined;
  const type = foreignBuiltinName(holder);
  const here = type === undefined ? undefined : CONVERTER_PROTOS.get(type);
  const ours: unknown = here === undefined ? undefined : getOwnPropertyDescriptor(here, key)?.value;
  if (typeof ours !== 'function') return undefined;
  try {
    return functionToString(fn) === functionToString(ours) ? ours : undefined;
  } catch {
    return undefined;
  }
}

function converterOf(fn: unknown, holder: object, key: PropertyKey): Converter | undefined {
  return CONVERTERS.get(fn) ?? CONVERTERS.get(sameBuiltin(fn, holder, key));
}

/**
 * The Node or web-platform class whose prototype's getter Get(o, key) would run on an object that is
 * not one of its instances (DOMException.prototype's \`name\` on an Error given that prototype): such a
 * getter checks its receiver and throws, so a serializer that reads the key throws. Undefined when
 * the key is found otherwise (own, data, a user's getter) or the object is an instance.
 */
export function hostGetterRefusing(o: object, info: ProtoInfo, key: string): string | undefined {
  if (getOwnPropertyDescriptor(o, key) !== undefined) return undefined;
  for (let j = 0; j < info.chain.length; j++) {
    const d = getOwnPropertyDescriptor(info.chain[j]!, key);
    if (d === undefined) continue;
    const host = d.get === undefined ? undefined : hostInfoOfChain([info.chain[j]!]);
    return host !== undefined && host.kind !== 'native' && !host.isInstance(o) ? host.name : undefined;
  }
  return undefined;
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
