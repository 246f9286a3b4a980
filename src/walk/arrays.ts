// Arrays, as every channel reads them: elements by own keys (or by index when long), holes, named
// properties (kept by the serializers, dropped by JSON) and an Array subclass or null prototype.
import { getOwnPropertyDescriptor, getOwnPropertySymbols, getPrototypeOf, hasOwn, lookupGetter, ownKeys } from '../realm/intrinsics.js';
import type { CheckOptions } from '../types.js';
import { frameOf, type Frame } from './frames.js';
import type { ChannelMasks } from './masks.js';
import { chainIndexFree, isIndexKey, protoInfoOf, type ProtoInfo } from './prototype.js';
import { accessorArgs, PLAIN_DATA, typeArgs } from './args.js';
import { ELEM, LISTED_KEYS_LIMIT, MAX_STRING_LENGTH, PROP, WalkerCore } from './walker.js';

const READ_ONLY = Object.freeze({ attributes: Object.freeze(['read-only']) });

export abstract class ArrayWalker extends WalkerCore {
  // Spelled out, as in every class of the walker: a derived class's implicit constructor spreads
  // its arguments, which calls the (patchable) Array.prototype[Symbol.iterator] on every check.
  constructor(k: ChannelMasks, options: CheckOptions, nodeName: string) {
    super(k, options, nodeName);
  }

  arrayPrototypeIndexFree(): boolean {
    return chainIndexFree(protoInfoOf(this.protos, Array.prototype));
  }

  array(f: Frame, arr: unknown[], m: number): void {
    const proto = getPrototypeOf(arr);
    const info = proto === Array.prototype ? null : proto === null ? undefined : protoInfoOf(this.protos, proto);
    if (info !== null && info?.builtin !== 'Array') {
      this.emit(
        'SUBCLASS_LOST',
        m,
        f,
        undefined,
        undefined,
        info?.className ? { className: info.className, base: 'Array' } : { base: 'Array', nullPrototype: info === undefined },
      );
    }
    if (m & this.J && this.toJSON(f, arr, info ?? null)) m &= ~this.J;
    const sealed = this.integrity(f, arr, m);
    const length = arr.length; // an Array's own length is a data property: reading it runs nothing
    // A read-only length (frozen arrays aside, which INTEGRITY_LOST covers) arrives writable everywhere.
    if (!sealed && getOwnPropertyDescriptor(arr, 'length')!.writable === false) {
      this.emit('READONLY_LOST', m, f, 'length', undefined, READ_ONLY);
    }
    let holes: number;
    if (length <= LISTED_KEYS_LIMIT) {
      const keys = ownKeys(arr);
      // Own keys list the indices in order, then 'length', then names and symbols: `length` keys
      // before 'length' and none after it are the indices 0..length-1 and nothing else.
      if (keys.length === length + 1 && keys[length] === 'length') {
        this.arrayElements(f, arr, m, sealed, length);
        holes = 0;
      } else {
        holes = this.arrayByKeys(f, arr, m, sealed, keys, length, 0);
      }
    } else {
      holes = this.arrayByIndex(f, arr, m, sealed, length, info ?? null);
      const symbols = getOwnPropertySymbols(arr);
      for (let k = 0; k < symbols.length; k++) this.emit('SYMBOL_KEY_DROPPED', m, f, symbols[k]!);
    }
    if (m & this.J && holes > 0) {
      if (holes * 5 > MAX_STRING_LENGTH) this.emit('JSON_TOO_LONG', this.J, f, undefined, undefined, this.countArgs(length));
      else this.emit('ARRAY_HOLES_BECOME_NULL', this.J, f, undefined, undefined, this.countArgs(holes));
    }
  }

  /**
   * A non-enumerable element, with JSON among the channels: JSON reads every index, enumerable or
   * not, and the element arrives as an ordinary one; the serializers skip it.
   */
  hiddenElement(f: Frame, index: number, d: PropertyDescriptor, m: number, sealed: boolean): void {
    this.emit('NON_ENUMERABLE_DROPPED', m & this.S, f, index, undefined, PLAIN_DATA);
    const attributes: string[] = ['non-enumerable'];
    if (!sealed && d.writable === false) attributes[attributes.length] = 'read-only';
    if (!sealed && !d.configurable) attributes[attributes.length] = 'non-configurable';
    this.emit('READONLY_LOST', m & this.J, f, index, undefined, { attributes });
    this.child(f, index, undefined, d.value, this.J, ELEM);
  }

  /** A packed array without named properties: each element by its descriptor, no key parsed. */
  arrayElements(f: Frame, arr: unknown[], m: number, sealed: boolean, length: number): void {
    for (let i = 0; i < length; i++) {
      const d = getOwnPropertyDescriptor(arr, i)!;
      if (!d.enumerable && m & this.J) {
        this.hiddenElement(f, i, d, m, sealed);
        continue;
      }
      this.property(f, i, d, m, sealed, ELEM);
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
        if (!d.enumerable && m & this.J) {
          this.hiddenElement(f, index, d, m, sealed);
          continue;
        }
        this.property(f, index, d, m, sealed, ELEM);
        continue;
      }
      if (key === 'length') continue;
      // A named property on an array: the serializers keep it, JSON drops it.
      const d = getOwnPropertyDescriptor(arr, key)!;
      if (!d.enumerable) {
        this.emit('NON_ENUMERABLE_DROPPED', m, f, key, undefined, accessorArgs(d));
        continue;
      }
      this.emit('EXTRA_PROPERTY_DROPPED', m & this.J, f, key, undefined, typeArgs('Array'));
      this.property(f, key, d, m & this.S, sealed, PROP);
    }
    return length - from - elements;
  }

  /**
   * Long arrays are read by index (listing their keys would cost a string per element). An own
   * getter is found with __lookupGetter__ before the element is read, so none ever runs.
   */
  arrayByIndex(f: Frame, arr: unknown[], m: number, sealed: boolean, length: number, info: ProtoInfo | null): number {
    const indexFree = info === null ? this.arrayPrototypeIndexFree() : chainIndexFree(info);
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
          this.stack[this.stack.length] = frameOf(v, f, i, undefined, f.depth + 1, m);
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
}
