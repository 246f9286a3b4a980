// When JSON.stringify is known to throw at a toJSON without running any user code: a built-in
// toJSON called on an object that is not of its type, a class constructor or BigInt as toJSON.
import type { FindingArgsByCode } from '../findings/codes.js';
import {
  functionToString,
  getOwnPropertyDescriptor,
  isProxy,
  regexpExec,
  SafeMap,
  SafeWeakMap,
  stringCharCodeAt,
  stringStartsWith,
  types,
} from '../realm/intrinsics.js';
import { INTRINSIC_TOJSON } from '../realm/registry.js';
import type { ProtoInfo } from './prototype.js';

const DATE_TO_JSON = Date.prototype.toJSON;
const DATE_TO_ISO = Date.prototype.toISOString;
const URL_TO_JSON = URL.prototype.toJSON;
const BIGINT = BigInt;

/**
 * When calling `fn` as o.toJSON(key) is known to throw without running any user code: a built-in
 * toJSON on an object that is not of its type, a class constructor, BigInt.
 */
export function jsonCallThrows(o: object, fn: unknown, info: ProtoInfo | null): FindingArgsByCode['JSON_THROWS'] | undefined {
  if (typeof fn !== 'function' || isProxy(fn)) return undefined;
  if (fn === DATE_TO_JSON && !types.isDate(o)) {
    // ToPrimitive(o, number), then o.toISOString(): a user's toISOString would run, anything else throws.
    const iso = info ? lookupData(o, info, 'toISOString') : getOwnPropertyDescriptor(o, 'toISOString')?.value;
    if (typeof iso === 'function' && iso !== DATE_TO_ISO) return undefined;
    return { why: 'tojson-receiver', type: 'Date' };
  }
  if (fn === URL_TO_JSON) {
    return info?.host?.name === 'URL' && info.host.isInstance(o) ? undefined : { why: 'tojson-receiver', type: 'URL' };
  }
  if (fn === BIGINT) return { why: 'tojson-uncallable', type: 'BigInt function' };
  // A built-in method that checks what it is called on (BigInt.prototype.toString, Map.prototype.get, ...).
  const branded = BRANDED_METHODS.get(fn);
  if (branded && !branded.is(o)) return { why: 'tojson-receiver', type: branded.type };
  if (INTRINSIC_TOJSON.has(fn)) return undefined;
  let isClass = CLASS_FUNCTIONS.get(fn);
  if (isClass === undefined) {
    try {
      isClass = stringStartsWith(functionToString(fn), 'class');
    } catch {
      isClass = false;
    }
    CLASS_FUNCTIONS.set(fn, isClass);
  }
  return isClass ? { why: 'tojson-uncallable', type: 'class' } : undefined;
}

/** The methods of built-in prototypes that throw when called on anything but their own type. */
const BRANDED_METHODS = new SafeMap<unknown, { type: string; is: (o: object) => boolean }>();
for (const [type, proto, is] of [
  ['Date', Date.prototype, types.isDate],
  ['Map', Map.prototype, types.isMap],
  ['Set', Set.prototype, types.isSet],
  ['WeakMap', WeakMap.prototype, types.isWeakMap],
  ['WeakSet', WeakSet.prototype, types.isWeakSet],
  ['Number', Number.prototype, types.isNumberObject],
  ['Boolean', Boolean.prototype, types.isBooleanObject],
  ['BigInt', BigInt.prototype, types.isBigIntObject],
  ['Symbol', Symbol.prototype, types.isSymbolObject],
  ['Promise', Promise.prototype, types.isPromise],
  ['ArrayBuffer', ArrayBuffer.prototype, types.isArrayBuffer],
  ['DataView', DataView.prototype, types.isDataView],
  ['TypedArray', Object.getPrototypeOf(Uint8Array.prototype) as object, types.isTypedArray],
] as const) {
  for (const key of Reflect.ownKeys(proto)) {
    const value = Object.getOwnPropertyDescriptor(proto, key)?.value as unknown;
    if (typeof value === 'function' && key !== 'constructor' && value !== DATE_TO_JSON) BRANDED_METHODS.set(value, { type, is: is as (o: object) => boolean });
  }
}

/** Whether a function is a class, read from its source once (a function's source never changes). */
const CLASS_FUNCTIONS = new SafeWeakMap<object, boolean>();

/** A data property's value, own or inherited, read through descriptors only. */
function lookupData(o: object, info: ProtoInfo, key: string): unknown {
  const own = getOwnPropertyDescriptor(o, key);
  if (own) return own.value;
  const chain = info.chain;
  for (let j = 0; j < chain.length; j++) {
    const d = getOwnPropertyDescriptor(chain[j]!, key);
    if (d) return d.value;
  }
  return undefined;
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const INTEGER = /^-?(?:0|[1-9]\d*)$/;
const STRINGIFY = String;

/** The significant digits of a decimal number's text: no sign, point, exponent, leading or trailing zeros. */
function significantDigits(text: string): string {
  let digits = '';
  for (let i = 0; i < text.length; i++) {
    const c = stringCharCodeAt(text, i);
    if (c === 101 || c === 69) break; // e, E: the exponent
    if (c >= 48 && c <= 57 && !(digits === '' && c === 48)) digits += text[i];
  }
  let end = digits.length;
  while (end > 0 && stringCharCodeAt(digits, end - 1) === 48) end--;
  let out = '';
  for (let i = 0; i < end; i++) out += digits[i];
  return out;
}

/**
 * What JSON.parse makes of a JSON.rawJSON() number's text, when that is not the number written (more
 * digits than a double holds, or beyond its range); undefined when it arrives as written or is no number.
 */
export function rawJsonRounding(text: string): string | undefined {
  if (regexpExec(JSON_NUMBER, text) === null) return undefined;
  const value = +text;
  const shown = STRINGIFY(value);
  if (value !== value || value === Infinity || value === -Infinity) return shown;
  if (regexpExec(INTEGER, text) !== null) return BIGINT(text) === BIGINT(value) ? undefined : shown;
  return significantDigits(text) === significantDigits(shown) ? undefined : shown;
}
