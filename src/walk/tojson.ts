// When JSON.stringify is known to throw at a toJSON without running any user code: a built-in
// toJSON called on an object that is not of its type, a class constructor or BigInt as toJSON.
import type { FindingArgsByCode } from '../findings/codes.js';
import {
  BUFFER_PROTOTYPE,
  functionToString,
  getOwnPropertyDescriptor,
  getPrototypeOf,
  isProxy,
  regexpExec,
  SafeMap,
  SafeWeakMap,
  stringCharCodeAt,
  stringStartsWith,
  types,
} from '../realm/intrinsics.js';
import { INTRINSIC_TOJSON } from '../realm/registry.js';
import { findWithHolder, sameBuiltin, toPrimitive } from './properties.js';
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
  // For an object of Object.prototype or none, the caller has no prototype facts: its chain is that.
  const chain: Pick<ProtoInfo, 'chain' | 'readable'> = info ?? { chain: getPrototypeOf(o) === null ? NO_CHAIN : OBJECT_CHAIN, readable: true };
  if (fn === DATE_TO_JSON || isForeignDateToJSON(o, fn, info)) return types.isDate(o) ? undefined : dateToJSONThrows(o, chain);
  if (fn === BUFFER_TO_JSON) {
    // It reads the length with TypedArray.prototype's getter (this.length before Node 24, where an
    // own length is read instead), which throws for anything but a typed array.
    if (types.isTypedArray(o)) return undefined;
    const length = BUFFER_TO_JSON_READS_SLOT ? undefined : (getOwnPropertyDescriptor(o, 'length') ?? lookupDescriptor(chain, 'length'));
    return BUFFER_TO_JSON_READS_SLOT || length?.get === TYPED_ARRAY_LENGTH ? { why: 'tojson-receiver', type: 'Buffer' } : undefined;
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

/** Another realm's Date.prototype.toJSON, found on its Date.prototype: it does what this one does. */
function isForeignDateToJSON(o: object, fn: unknown, info: ProtoInfo | null): boolean {
  if (info === null) return false;
  const found = findWithHolder(o, info, 'toJSON');
  return found !== 1 && found !== undefined && found.value === fn && sameBuiltin(fn, found.holder, 'toJSON') === DATE_TO_JSON;
}

const NO_CHAIN: readonly object[] = [];
const OBJECT_CHAIN: readonly object[] = [Object.prototype];
const BUFFER_TO_JSON = BUFFER_PROTOTYPE.toJSON;
/** Whether this Node's Buffer.prototype.toJSON reads the length from the slot, told at load on an object of our own. */
const BUFFER_TO_JSON_READS_SLOT = ((): boolean => {
  try {
    Reflect.apply(BUFFER_TO_JSON, Object.setPrototypeOf({ length: 0 }, BUFFER_PROTOTYPE), []);
    return false;
  } catch {
    return true;
  }
})();
const TYPED_ARRAY_LENGTH = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype) as object, 'length')?.get;

/**
 * Date.prototype.toJSON on an object that is not a Date: ToPrimitive(o, number) first (a wrapper's
 * or Date's valueOf refuses it), then o.toISOString() (Date's refuses it); a user's method on the
 * way would run, and then nothing is claimed.
 */
function dateToJSONThrows(o: object, chain: Pick<ProtoInfo, 'chain' | 'readable'>): FindingArgsByCode['JSON_THROWS'] | undefined {
  const primitive = toPrimitive(o, chain, 'number');
  if (primitive === 'throws') return DATE_RECEIVER;
  // A number it made may not be finite (then toJSON returns null): only a string goes on for sure.
  if (primitive !== 'string') return undefined;
  const iso = findWithHolder(o, chain, 'toISOString');
  if (iso === 1) return undefined;
  if (typeof iso?.value !== 'function') return DATE_RECEIVER;
  return iso.value === DATE_TO_ISO || sameBuiltin(iso.value, iso.holder, 'toISOString') === DATE_TO_ISO ? DATE_RECEIVER : undefined;
}
const DATE_RECEIVER: FindingArgsByCode['JSON_THROWS'] = { why: 'tojson-receiver', type: 'Date' };

/** The methods of built-in prototypes that throw when called on anything but their own type. */
const BRANDED_METHODS = new SafeMap<unknown, { type: string; is: (o: object) => boolean }>();
for (const [type, proto, is] of [
  ['Date', Date.prototype, types.isDate],
  ['Map', Map.prototype, types.isMap],
  ['Set', Set.prototype, types.isSet],
  ['WeakMap', WeakMap.prototype, types.isWeakMap],
  ['WeakSet', WeakSet.prototype, types.isWeakSet],
  ['Number', Number.prototype, types.isNumberObject],
  ['String', String.prototype, types.isStringObject],
  ['Boolean', Boolean.prototype, types.isBooleanObject],
  ['BigInt', BigInt.prototype, types.isBigIntObject],
  ['Symbol', Symbol.prototype, types.isSymbolObject],
  ['Promise', Promise.prototype, types.isPromise],
  ['ArrayBuffer', ArrayBuffer.prototype, types.isArrayBuffer],
  ['DataView', DataView.prototype, types.isDataView],
  ['TypedArray', Object.getPrototypeOf(Uint8Array.prototype) as object, types.isTypedArray],
] as const) {
  for (const key of Reflect.ownKeys(proto)) {
    // String.prototype's other methods take any receiver: they make a string of it first.
    if (type === 'String' && key !== 'toString' && key !== 'valueOf') continue;
    const value = Object.getOwnPropertyDescriptor(proto, key)?.value as unknown;
    if (typeof value === 'function' && key !== 'constructor' && value !== DATE_TO_JSON) BRANDED_METHODS.set(value, { type, is: is as (o: object) => boolean });
  }
}

/** Whether a function is a class, read from its source once (a function's source never changes). */
const CLASS_FUNCTIONS = new SafeWeakMap<object, boolean>();

/** An inherited property's descriptor, read through descriptors only. */
function lookupDescriptor(info: Pick<ProtoInfo, 'chain'>, key: string): PropertyDescriptor | undefined {
  for (let j = 0; j < info.chain.length; j++) {
    const d = getOwnPropertyDescriptor(info.chain[j]!, key);
    if (d) return d;
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
