import type { FindingCode } from './codes.js';

/**
 * How much a finding matters to the receiver, most serious first.
 *
 * - `throw`: the send throws; nothing arrives.
 * - `loss`: data the sender has is not there on the receiver (a function or `undefined` dropped,
 *   a class's methods, symbol keys, a `Map` turned `{}`, a `Date` turned string, ...).
 * - `reshape`: the same data arrives in another form (integrity level, null prototype,
 *   `Buffer` → `Uint8Array`, a re-based view, read-only turned writable, ...).
 * - `note`: it arrives the same; there is something to know. A note never fails.
 *
 * The default fail level everywhere is `'loss'` (throw and loss fail, reshape is reported);
 * strict mode is the fail level `'reshape'`.
 */
export type Severity = 'throw' | 'loss' | 'reshape' | 'note';

/** Every severity, most serious first. */
export const SEVERITIES: readonly Severity[] = ['throw', 'loss', 'reshape', 'note'];

/** The fail level used when nobody says otherwise: throw and loss fail. */
export const DEFAULT_FAIL_LEVEL: Severity = 'loss';

/** The fail level of strict mode: everything but notes fails. */
export const STRICT_FAIL_LEVEL: Severity = 'reshape';

const RANK: Readonly<Record<Severity, number>> = { throw: 3, loss: 2, reshape: 1, note: 0 };

/**
 * The severity of every code. `docs/config.md` gives the reason for each line; a test keeps
 * the two, and this table and the codes, in step.
 */
export const SEVERITY_OF_CODE = {
  // the send throws
  FUNCTION_NOT_CLONEABLE: 'throw',
  SYMBOL_NOT_CLONEABLE: 'throw',
  SEND_REFUSES_VALUE: 'throw',
  BIGINT_NOT_JSON: 'throw',
  CIRCULAR_NOT_JSON: 'throw',
  UNCLONEABLE_TYPE: 'throw',
  PROXY_NOT_CLONEABLE: 'throw',
  REVOKED_PROXY: 'throw',
  DETACHED_BUFFER: 'throw',
  SHARED_MEMORY_NOT_SERIALIZABLE: 'throw',
  TRANSFER_REQUIRED: 'throw',
  TRANSFER_LIST_INVALID: 'throw',
  NESTING_TOO_DEEP: 'throw',
  ERROR_FIELD_NOT_STRING: 'throw',
  ERROR_CAUSE_CYCLE: 'throw',
  JSON_THROWS: 'throw',
  // Nothing can be promised about a value clonecheck could not finish judging.
  CHECK_INCOMPLETE: 'loss',
  JSON_TOO_LONG: 'throw',

  // data the receiver does not get
  TOP_LEVEL_DROPPED: 'loss',
  FUNCTION_DROPPED: 'loss',
  SYMBOL_VALUE_DROPPED: 'loss',
  UNDEFINED_DROPPED: 'loss',
  SYMBOL_KEY_DROPPED: 'loss',
  NON_ENUMERABLE_DROPPED: 'loss',
  EXTRA_PROPERTY_DROPPED: 'loss',
  ERROR_PROPERTY_DROPPED: 'loss',
  ERROR_NAME_DROPPED: 'loss',
  PRIVATE_FIELDS_DROPPED: 'loss',
  MESSAGE_SWALLOWED: 'loss',
  PROTOTYPE_LOST: 'loss',
  SUBCLASS_LOST: 'loss',
  ERROR_TYPE_CHANGED: 'loss',
  ERROR_BECOMES_OBJECT: 'loss',
  NUMBER_NOT_JSON: 'loss',
  RAW_JSON_ROUNDED: 'loss',
  ARRAY_ELEMENT_BECOMES_NULL: 'loss',
  ARRAY_HOLES_BECOME_NULL: 'loss',
  DATE_BECOMES_STRING: 'loss',
  INVALID_DATE_BECOMES_NULL: 'loss',
  MAP_BECOMES_OBJECT: 'loss',
  SET_BECOMES_OBJECT: 'loss',
  TYPED_ARRAY_BECOMES_OBJECT: 'loss',
  BUFFER_BECOMES_JSON: 'loss',
  BUILTIN_BECOMES_OBJECT: 'loss',
  PLATFORM_OBJECT_BECOMES_PLAIN: 'loss',
  HOST_OBJECT_BECOMES_OBJECT: 'loss',
  FILE_BECOMES_BLOB: 'loss',
  SHARED_VIEW_COPIED: 'loss',
  DETACHED_VIEW_BECOMES_EMPTY: 'loss',
  REGEXP_LASTINDEX_RESET: 'loss',

  // the same data in another form
  ERROR_FIELD_CHANGED: 'reshape',
  NULL_PROTOTYPE_LOST: 'reshape',
  ACCESSOR_FLATTENED: 'reshape',
  INTEGRITY_LOST: 'reshape',
  READONLY_LOST: 'reshape',
  BOXED_PRIMITIVE_UNBOXED: 'reshape',
  HOST_OBJECT_PROTOTYPE_CHANGED: 'reshape',
  BUFFER_BECOMES_UINT8ARRAY: 'reshape',
  VIEW_REBASED: 'reshape',
  SHARED_REFERENCE_DUPLICATED: 'reshape',
  TOJSON_CALLED: 'reshape',
  PROXY_UNWRAPPED: 'reshape',

  // arrives the same
  SHARED_MEMORY: 'note',
  BACKING_STORE_COPIED: 'note',
  TRANSFERRED: 'note',
  POOLED_BUFFER_NOT_TRANSFERRED: 'note',
} as const satisfies Partial<Record<FindingCode, Severity>>;

/**
 * The severity of a code. A code this table does not list yet counts as `'loss'`, so a new
 * rule fails by default until someone decides otherwise (a test lists every code here).
 *
 * @example severityOf('INTEGRITY_LOST') // 'reshape'
 */
export function severityOf(code: FindingCode | string): Severity {
  const s = (SEVERITY_OF_CODE as Partial<Record<string, Severity>>)[code];
  return s ?? 'loss';
}

/** True when `severity` is `level` or more serious: `atLeast('loss', 'reshape') === true`. */
export function atLeast(severity: Severity, level: Severity): boolean {
  return RANK[severity] >= RANK[level];
}

/** True for the four severity names. */
export function isSeverity(value: unknown): value is Severity {
  return value === 'throw' || value === 'loss' || value === 'reshape' || value === 'note';
}
