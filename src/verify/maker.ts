/**
 * A `Maker` builds a fresh value each time it is called (so that one draw can be sent through
 * several channels independently) and prints as the code that builds it.
 */
import fc from 'fast-check';

/** Builds a fresh value on each call; prints as the code that builds it. */
export interface Maker<T = unknown> {
  (): T;
  readonly recipe: string;
}

export function maker<T>(recipe: string, make: () => T): Maker<T> {
  const f = (() => make()) as Maker<T>;
  Object.defineProperty(f, 'recipe', { value: recipe });
  Object.defineProperty(f, 'toString', { value: () => recipe });
  Object.defineProperty(f, fc.toStringMethod, { value: () => recipe });
  return f;
}

/** A maker that always builds the same recipe. */
export const constant = (recipe: string, make: () => unknown): fc.Arbitrary<Maker> => fc.constant(maker(recipe, make));
