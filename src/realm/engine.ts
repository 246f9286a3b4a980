// Engine objects: the iterators and Intl objects of any realm, which have instance types of their
// own that no serializer writes, told from ordinary objects made from their prototypes.
import { apply, functionToString, getOwnPropertyDescriptor, isProxy, SafeMap, SafeSet, stringEndsWith } from './intrinsics.js';

/** The iterator prototypes, which have no constructor of their own to name them. */
export const ITERATOR_PROTOTYPES = new SafeMap<object, string>([
  [Object.getPrototypeOf([][Symbol.iterator]()) as object, 'Array Iterator'],
  [Object.getPrototypeOf(''[Symbol.iterator]()) as object, 'String Iterator'],
  [Object.getPrototypeOf(/a/g[Symbol.matchAll]('')) as object, 'RegExp String Iterator'],
  [Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())) as object, 'Iterator'],
]);
{
  const segments = new Intl.Segmenter().segment('');
  ITERATOR_PROTOTYPES.set(Object.getPrototypeOf(segments) as object, 'Intl.Segments');
  ITERATOR_PROTOTYPES.set(Object.getPrototypeOf(segments[Symbol.iterator]()) as object, 'Segment Iterator');
  // Iterator helpers (Node 22+): [].values().map(f).
  const values = [][Symbol.iterator]() as unknown as { map?: (f: (x: unknown) => unknown) => object };
  if (typeof values.map === 'function') ITERATOR_PROTOTYPES.set(Object.getPrototypeOf(values.map((x) => x)) as object, 'Iterator Helper');
}
/** The concrete iterator types, by the Symbol.toStringTag of their prototype (Segment Iterator's is 'Segmenter String Iterator'). */
const ITERATOR_TAGS = new SafeMap<string, string>();
for (const [proto, name] of ITERATOR_PROTOTYPES) {
  const tag = Object.getOwnPropertyDescriptor(proto, Symbol.toStringTag)?.value as unknown;
  if (typeof tag === 'string' && name !== 'Iterator' && name !== 'Intl.Segments') ITERATOR_TAGS.set(tag, name);
}
export const ITERATOR_NAMES = new SafeSet(ITERATOR_TAGS.values());

/**
 * An iterator prototype of another realm, which no constructor names: by its own tag and a native
 * next(). A label only: what an object of it is, the serializer's own refusal decides (isEngineObject).
 */
export function foreignIteratorName(proto: object): string | undefined {
  if (isProxy(proto)) return undefined;
  const tag = getOwnPropertyDescriptor(proto, Symbol.toStringTag)?.value as unknown;
  const name = typeof tag === 'string' ? ITERATOR_TAGS.get(tag) : undefined;
  const next = name === undefined ? undefined : (getOwnPropertyDescriptor(proto, 'next')?.value as unknown);
  if (typeof next !== 'function' || isProxy(next)) return undefined;
  try {
    return stringEndsWith(functionToString(next), '{ [native code] }') ? name : undefined;
  } catch {
    return undefined;
  }
}

/** A brand check of each Intl type: a method of its own that reads only internal slots. */
const INTL_BRANDS = new SafeMap<string, (o: object) => unknown>();
for (const name of Object.getOwnPropertyNames(Intl)) {
  const ctor = Object.getOwnPropertyDescriptor(Intl, name)?.value as unknown;
  const proto = typeof ctor === 'function' ? (ctor as { prototype?: unknown }).prototype : undefined;
  // Intl.Locale has no resolvedOptions(); its toString() reads its slots all the same.
  const key = name === 'Locale' ? 'toString' : 'resolvedOptions';
  const method = proto && typeof proto === 'object' ? (Object.getOwnPropertyDescriptor(proto, key)?.value as unknown) : undefined;
  if (typeof method === 'function') INTL_BRANDS.set(`Intl.${name}`, (o) => apply(method as () => unknown, o, []));
}
{
  const containing = (Object.getPrototypeOf(new Intl.Segmenter().segment('')) as { containing: (i: number) => unknown }).containing;
  INTL_BRANDS.set('Intl.Segments', (o) => apply(containing, o, [0]));
}

const INTL_TYPES: readonly string[] = [...INTL_BRANDS.keys()];

/** True when `o` passes the brand check of the Intl type `name` (false for any other name). */
export function intlBrandPasses(name: string, o: object): boolean {
  const brand = INTL_BRANDS.get(name);
  if (brand === undefined) return false;
  try {
    brand(o);
    return true;
  } catch {
    return false;
  }
}

/** The Intl type an object is, by brand checks alone (its prototype may be anything). */
export function intlTypeOf(o: object): string | undefined {
  for (let i = 0; i < INTL_TYPES.length; i++) if (intlBrandPasses(INTL_TYPES[i]!, o)) return INTL_TYPES[i];
  return undefined;
}
