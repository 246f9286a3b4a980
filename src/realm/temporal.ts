// Temporal (Node 26 on): engine objects with internal slots of their own, like Intl objects. No
// serializer writes them: structured clone throws DataCloneError and the V8 serializer (v8.serialize(),
// the advanced IPC serializer) "could not be cloned"; JSON calls their toJSON() (an ISO string).
// Told by a brand check (a getter of the type's own that reads only its slots), never by a
// prototype or a constructor's name, which a user can give anything.
import { apply, getOwnPropertyDescriptor, isProxy, SafeSet, stringStartsWith } from './intrinsics.js';

/** Each type's brand: a getter that returns a slot's value and throws for anything else. */
const BRAND_GETTERS: readonly (readonly [type: string, getter: string])[] = [
  ['PlainDate', 'calendarId'],
  ['PlainDateTime', 'calendarId'],
  ['PlainYearMonth', 'calendarId'],
  ['PlainMonthDay', 'calendarId'],
  ['ZonedDateTime', 'timeZoneId'],
  ['Instant', 'epochNanoseconds'],
  ['Duration', 'sign'],
  ['PlainTime', 'hour'],
];

const namespace = getOwnPropertyDescriptor(globalThis, 'Temporal')?.value as Record<string, unknown> | undefined;

/** This realm's Temporal prototypes. */
const PROTOTYPES = new SafeSet<object>();
const BRANDS: { readonly name: string; readonly get: () => unknown }[] = [];
if (namespace !== null && typeof namespace === 'object') {
  for (const [type, key] of BRAND_GETTERS) {
    const ctor = getOwnPropertyDescriptor(namespace, type)?.value as unknown;
    const proto = typeof ctor === 'function' ? (getOwnPropertyDescriptor(ctor, 'prototype')?.value as unknown) : undefined;
    if (proto === null || typeof proto !== 'object') continue;
    const get = getOwnPropertyDescriptor(proto, key)?.get;
    if (typeof get !== 'function') continue;
    PROTOTYPES.add(proto);
    BRANDS[BRANDS.length] = { name: `Temporal.${type}`, get: get as () => unknown };
  }
}

/** Whether this Node.js has Temporal. */
export const HAS_TEMPORAL = BRANDS.length > 0;

/**
 * `Temporal.PlainDate`, ... when `o` is a Temporal object by its slots, whatever its prototype (a
 * subclass's instance, or one given another Temporal prototype); undefined for anything else.
 */
export function temporalType(o: object): string | undefined {
  for (let i = 0; i < BRANDS.length; i++) {
    try {
      apply(BRANDS[i]!.get, o, []);
      return BRANDS[i]!.name;
    } catch {
      // Not of this type.
    }
  }
  return undefined;
}

/**
 * Whether a prototype chain holds a Temporal prototype: one of this realm's, or another realm's
 * (a `vm` context's), which names itself `Temporal.*` by its own Symbol.toStringTag.
 */
export function inheritsTemporal(chain: readonly object[]): boolean {
  for (let i = 0; i < chain.length; i++) {
    const proto = chain[i]!;
    if (PROTOTYPES.has(proto)) return true;
    if (isProxy(proto)) return false;
    const tag = getOwnPropertyDescriptor(proto, Symbol.toStringTag)?.value as unknown;
    if (typeof tag === 'string' && stringStartsWith(tag, 'Temporal.')) return true;
  }
  return false;
}
