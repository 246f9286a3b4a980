/**
 * The description format: a value graph as plain JSON data (what `describe()` produces on each side
 * of a send), and a `Difference` (what `diffDescriptions()` reports), by the sameness rules of
 * docs/contract.md.
 */
import type { PathSegment } from '../types.js';

export interface DescribedSymbol {
  /** The description text; `null` for `Symbol()`. */
  readonly y: string | null;
  /** 1 for a registered symbol (`Symbol.for(y)`), which is the same symbol everywhere. */
  readonly g?: 1;
  /** The name of a well-known symbol (`'iterator'` for `Symbol.iterator`). */
  readonly w?: string;
}

/**
 * A value in a description: a primitive, or a reference to a node.
 * - strings, booleans, `null` and finite numbers other than `-0` stand for themselves;
 * - `{ r: id }` is the object `nodes[id]`;
 * - `{ u: 1 }` is `undefined`, `{ n: 'NaN' | '-0' | 'Infinity' | '-Infinity' }` a number JSON can't hold,
 *   `{ b: '12' }` a bigint, and a `DescribedSymbol` a symbol.
 */
export type DescribedValue =
  | string
  | number
  | boolean
  | null
  | { readonly r: number }
  | { readonly u: 1 }
  | { readonly n: 'NaN' | '-0' | 'Infinity' | '-Infinity' }
  | { readonly b: string }
  | DescribedSymbol;

/** Primitive-only internal data (never a reference). */
export type InternalValue = string | number | boolean | null;

/**
 * One own property: `[key, flags, value?]`. Flags: 1 writable, 2 enumerable, 4 configurable,
 * 8 accessor, 16 has a getter, 32 has a setter, 64 the descriptor could not be read.
 * Data properties carry their value; accessors never do (the getter is not run).
 */
export type DescribedKey = readonly [key: string | DescribedSymbol, flags: number, value?: DescribedValue];

export const WRITABLE = 1;
export const ENUMERABLE = 2;
export const CONFIGURABLE = 4;
export const ACCESSOR = 8;
export const HAS_GETTER = 16;
export const HAS_SETTER = 32;
export const UNREADABLE = 64;

export interface DescribedNode {
  /**
   * The built-in kind, from brand checks: 'Object', 'Array', 'Function', 'Date', 'RegExp', 'Map',
   * 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry', 'Error', 'ArrayBuffer',
   * 'SharedArrayBuffer', each TypedArray name, 'DataView', 'Number' / 'String' / 'Boolean' / 'BigInt' /
   * 'Symbol' (boxed), 'Promise', 'Arguments', 'Generator', 'MapIterator', 'SetIterator', 'Module',
   * 'External', 'Proxy', and Node host objects by prototype ('Blob', 'File', 'URL', 'KeyObject', ...).
   */
  readonly kind: string;
  /**
   * The prototype chain, nearest first, `[]` for a null prototype. A built-in prototype is named
   * the same in every realm (`'Map.prototype'`, `'%TypedArray%.prototype'`); any other prototype is
   * named `'<Name>.prototype#<n>@<process nonce>'`, which only that object in that process gets.
   * A Proxy in the chain ends it as `'Proxy'`.
   */
  readonly proto: readonly string[];
  /** Absent when the object is extensible. */
  readonly ext?: 'frozen' | 'sealed' | 'non-extensible';
  /** Own properties in `Reflect.ownKeys` order (array-index keys of typed arrays and String objects are left out: they are the internal data). Absent for a Proxy. */
  readonly keys?: readonly DescribedKey[];
  /** Internal data: Date time, RegExp source/flags, buffer bytes/lengths, view offsets, boxed value, host state. */
  readonly int?: Readonly<Record<string, InternalValue>>;
  /** Map entries in order. */
  readonly entries?: readonly (readonly [DescribedValue, DescribedValue])[];
  /** Set members in order. */
  readonly members?: readonly DescribedValue[];
  /** A view's ArrayBuffer / SharedArrayBuffer. */
  readonly buffer?: DescribedValue;
}

/**
 * A value graph as plain data. Nodes are numbered in DFS pre-order: for each object, first its
 * internal children (Map entries key then value, Set members, a view's buffer), then its own
 * properties in `Reflect.ownKeys` order. A second path to an object is a `{ r }` to the same id, so
 * shared references and cycles are part of the description.
 */
export interface Description {
  readonly v: 1;
  readonly root: DescribedValue;
  readonly nodes: readonly DescribedNode[];
}

/** One place where the receiver's value is not the same as the sender's. */
export interface Difference {
  /** Where it shows, deepest first: a missing key at `[...parent, key]`, a kind/prototype/integrity/internal change at the object's path. */
  readonly path: PathSegment[];
  /** `path` printed for people. */
  readonly at: string;
  /**
   * `category: detail`, where category is one of `value`, `kind`, `missing`, `added`,
   * `descriptor`, `prototype`, `integrity`, `internal`, `identity`.
   */
  readonly what: string;
}
