// Frozen args shared by many findings: a check makes their message and hint once (walk/emit.ts
// finds a made finding by its args), not once per finding.
import type { FindingArgs, FindingArgsByCode } from '../findings/codes.js';
import { freeze, SafeMap } from '../realm/intrinsics.js';

export const NO_ARGS: FindingArgs = Object.freeze({});
export const PLAIN_DATA: FindingArgsByCode['NON_ENUMERABLE_DROPPED'] = Object.freeze({ getter: false, setter: false });
export const NUMBER_ARGS: Readonly<Record<string, FindingArgsByCode['NUMBER_NOT_JSON']>> = {
  NaN: Object.freeze({ value: 'NaN' }),
  Infinity: Object.freeze({ value: 'Infinity' }),
  '-Infinity': Object.freeze({ value: '-Infinity' }),
  '-0': Object.freeze({ value: '-0' }),
};

/**
 * Frozen args shared by every finding of one type name (a Date, a Float64Array, a Blob), across
 * checks: their sentences are made once per check, not once per finding. Type names are the
 * built-in and host names the walker writes, so the table stays small; past its bound, args are made fresh.
 */
const TYPE_ARGS = new SafeMap<string, FindingArgsByCode['UNCLONEABLE_TYPE']>();
const REBASED_ARGS = new SafeMap<string, FindingArgsByCode['VIEW_REBASED']>();
const TYPE_ARGS_LIMIT = 4096;

export function typeArgs(type: string): FindingArgsByCode['UNCLONEABLE_TYPE'] {
  let args = TYPE_ARGS.get(type);
  if (args === undefined) {
    args = freeze({ type });
    if (TYPE_ARGS.size < TYPE_ARGS_LIMIT) TYPE_ARGS.set(type, args);
  }
  return args;
}

export function rebasedArgs(type: string, resizable: boolean): FindingArgsByCode['VIEW_REBASED'] {
  const key = resizable ? `${type} resizable` : type;
  let args = REBASED_ARGS.get(key);
  if (args === undefined) {
    args = freeze({ type, resizable });
    if (REBASED_ARGS.size < TYPE_ARGS_LIMIT) REBASED_ARGS.set(key, args);
  }
  return args;
}

/** NON_ENUMERABLE_DROPPED and ACCESSOR_FLATTENED args, by (getter, setter). */
const ACCESSOR_ARGS: readonly FindingArgsByCode['ACCESSOR_FLATTENED'][] = [
  PLAIN_DATA,
  Object.freeze({ getter: true, setter: false }),
  Object.freeze({ getter: false, setter: true }),
  Object.freeze({ getter: true, setter: true }),
];

export function accessorArgs(d: PropertyDescriptor): FindingArgsByCode['ACCESSOR_FLATTENED'] {
  return ACCESSOR_ARGS[(d.get !== undefined ? 1 : 0) + (d.set !== undefined ? 2 : 0)]!;
}
