/**
 * fast-check arbitraries of values to send across threads and processes, far beyond
 * `fc.anything()`. fast-check is an optional peer dependency: only load this module if you have it.
 *
 * Three levels:
 * - `plainValue`: JSON-safe data, lossless on every channel.
 * - `structuredValue`: lossless on `worker` (structured clone): -0, NaN, bigint, undefined, holes,
 *   huge sparse arrays, Date, RegExp, Map, Set, boxed primitives, buffers and views, native errors,
 *   shared references and cycles.
 * - `richValue` (= `anyValue`): anything a program might try to send (functions, class instances,
 *   accessors, symbols, integrity levels, proxies, host objects, `{ cmd: 'NODE_…' }`, ...).
 * - `unusualValueMaker`: rich values with unusual ones mixed in (`./verify/unusual.ts`): replaced
 *   prototypes, host and engine objects with own properties, odd Errors, shadowed view properties.
 *
 * Each comes as a `…Maker` arbitrary too: a `Maker` is a function that builds a fresh value every
 * time it is called (so that one draw can be sent through several channels independently) and
 * prints as the code that builds it. Prefer the makers in property tests of rich values: fast-check
 * prints a failing *value* with `fc.stringify`, which reads through getters and throws on a revoked
 * proxy, whereas a maker prints as its recipe.
 *
 * Getters made here are pure: they return prebuilt plain data (as does what a Proxy wraps), so
 * nothing hidden behind a getter or a trap decides the outcome of a send. Nothing here throws when
 * read; a send throws only where the channel itself refuses what it can see (with
 * `unusualValueMaker`, a built-in it calls refuses: a borrowed `Date.prototype.toJSON`, a class
 * constructor as `toJSON`, a symbol as an Error's `message`).
 */
// First, before fast-check itself: a clear message when the optional peer is not installed.
import './verify/needs-fast-check.js';
import fc from 'fast-check';
import { maker, type Maker } from './verify/maker.js';
import {
  bufferMakers,
  dateMaker,
  objectFrom,
  objectRecipe,
  plainKey,
  plainPrimitive,
  primitiveMaker,
  regexpMaker,
  richLeafMakers,
  structuredPrimitive,
  symbolMaker,
} from './verify/leaves.js';
import { arrayMakers, boxedMakers, collectionMakers, errorMaker, richCompositeMakers, withTies, type Level } from './verify/composites.js';
import { unusualMakers } from './verify/unusual.js';

export type { Maker };

// ---------------------------------------------------------------------------------------------
// The three levels
// ---------------------------------------------------------------------------------------------

function makerFor(level: Level, plain?: fc.Arbitrary<Maker>, unusual = false): fc.Arbitrary<Maker> {
  const depthIdentifier = fc.createDepthIdentifier();
  const { value } = fc.letrec<{ value: Maker }>((tie) => {
    const v = tie('value');
    const plainObject = fc.array(fc.tuple(plainKey, v), { maxLength: 4 }).map((props) => maker(objectRecipe(props), () => objectFrom(props)));
    const prims = level === 'plain' ? plainPrimitive : structuredPrimitive;
    const leaves: fc.Arbitrary<Maker>[] = [primitiveMaker(prims)];
    const composites: fc.Arbitrary<Maker>[] = [plainObject, ...arrayMakers(v, level)];
    if (level !== 'plain') {
      leaves.push(dateMaker, regexpMaker, ...boxedMakers(), ...bufferMakers(level === 'rich'));
      composites.push(...collectionMakers(v, level), errorMaker(v, level));
    }
    if (level === 'rich') {
      leaves.push(symbolMaker, ...richLeafMakers);
      composites.push(...richCompositeMakers(v, plain ?? makerFor('plain')));
    }
    return {
      value: fc.oneof(
        { maxDepth: 3, depthIdentifier, depthSize: 'small' },
        // The first arbitrary is the one used at maximal depth: leaves only.
        { weight: 3, arbitrary: fc.oneof(...leaves.map((arbitrary, i) => ({ weight: i === 0 ? Math.max(4, leaves.length) : 1, arbitrary }))) },
        ...composites.map((arbitrary) => ({ weight: 1, arbitrary })),
        ...(unusual ? [{ weight: 3, arbitrary: fc.oneof(...unusualMakers(v)) }] : []),
      ),
    };
  });
  return level === 'plain' ? value : withTies(value);
}

/** Makers of JSON-safe data (no -0, NaN, ±Infinity, undefined, holes, shared references): lossless on every channel. */
export const plainValueMaker: fc.Arbitrary<Maker> = makerFor('plain');
/** Makers of values that the structured clone (`worker`) keeps exactly, shared references and cycles included. */
export const structuredValueMaker: fc.Arbitrary<Maker> = makerFor('structured');
/** Makers of anything a program might send. */
export const richValueMaker: fc.Arbitrary<Maker> = makerFor('rich', plainValueMaker);
export const anyValueMaker = richValueMaker;
/**
 * Makers of rich values with unusual ones mixed in (`./verify/unusual.ts`): replaced prototypes,
 * host and engine objects with own properties, odd Errors, shadowed view properties, integrity
 * levels on built-ins, JSON's corner cases. Some of them run code when a channel reads them.
 */
export const unusualValueMaker: fc.Arbitrary<Maker> = makerFor('rich', plainValueMaker, true);

/** JSON-safe data: lossless on every channel. */
export const plainValue: fc.Arbitrary<unknown> = plainValueMaker.map((m) => m());
/** Values that are lossless on `worker` (structured clone). */
export const structuredValue: fc.Arbitrary<unknown> = structuredValueMaker.map((m) => m());
/** Anything a program might send; see the module note on printing counterexamples. */
export const richValue: fc.Arbitrary<unknown> = richValueMaker.map((m) => m());
export const anyValue = richValue;
