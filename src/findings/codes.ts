// Every rule's code, its effect and the facts it records. Detection fills in the facts; the
// wording lives in messages.ts, so no argument here is a sentence fragment or a quoted string.
/**
 * What happens to the value at a finding's path.
 * - `throws`: the send fails, nothing arrives.
 * - `dropped`: something the sender has is absent on the receiver.
 * - `changed`: it arrives, but not the same.
 * - `note`: it arrives the same, but there is something to know.
 */
export type Effect = 'throws' | 'dropped' | 'changed' | 'note';

/** The effect of each code: what happens to the value at the finding's path. */
export const CODE_EFFECT = {
  FUNCTION_NOT_CLONEABLE: 'throws',
  SYMBOL_NOT_CLONEABLE: 'throws',
  SEND_REFUSES_VALUE: 'throws',
  BIGINT_NOT_JSON: 'throws',
  CIRCULAR_NOT_JSON: 'throws',
  UNCLONEABLE_TYPE: 'throws',
  PROXY_NOT_CLONEABLE: 'throws',
  REVOKED_PROXY: 'throws',
  DETACHED_BUFFER: 'throws',
  SHARED_MEMORY_NOT_SERIALIZABLE: 'throws',
  TRANSFER_REQUIRED: 'throws',
  TRANSFER_LIST_INVALID: 'throws',
  NESTING_TOO_DEEP: 'throws',
  ERROR_FIELD_NOT_STRING: 'throws',
  ERROR_CAUSE_CYCLE: 'throws',
  JSON_THROWS: 'throws',
  CHECK_INCOMPLETE: 'changed',
  JSON_TOO_LONG: 'throws',
  TOP_LEVEL_DROPPED: 'dropped',
  FUNCTION_DROPPED: 'dropped',
  SYMBOL_VALUE_DROPPED: 'dropped',
  UNDEFINED_DROPPED: 'dropped',
  SYMBOL_KEY_DROPPED: 'dropped',
  NON_ENUMERABLE_DROPPED: 'dropped',
  EXTRA_PROPERTY_DROPPED: 'dropped',
  ERROR_PROPERTY_DROPPED: 'dropped',
  ERROR_FIELD_CHANGED: 'changed',
  ERROR_NAME_DROPPED: 'dropped',
  PRIVATE_FIELDS_DROPPED: 'dropped',
  MESSAGE_SWALLOWED: 'dropped',
  PROTOTYPE_LOST: 'changed',
  NULL_PROTOTYPE_LOST: 'changed',
  SUBCLASS_LOST: 'changed',
  ERROR_TYPE_CHANGED: 'changed',
  ERROR_BECOMES_OBJECT: 'changed',
  ACCESSOR_FLATTENED: 'changed',
  INTEGRITY_LOST: 'changed',
  READONLY_LOST: 'changed',
  NUMBER_NOT_JSON: 'changed',
  RAW_JSON_ROUNDED: 'changed',
  ARRAY_ELEMENT_BECOMES_NULL: 'changed',
  ARRAY_HOLES_BECOME_NULL: 'changed',
  DATE_BECOMES_STRING: 'changed',
  INVALID_DATE_BECOMES_NULL: 'changed',
  MAP_BECOMES_OBJECT: 'changed',
  SET_BECOMES_OBJECT: 'changed',
  TYPED_ARRAY_BECOMES_OBJECT: 'changed',
  BUFFER_BECOMES_JSON: 'changed',
  BUILTIN_BECOMES_OBJECT: 'changed',
  BOXED_PRIMITIVE_UNBOXED: 'changed',
  PLATFORM_OBJECT_BECOMES_PLAIN: 'changed',
  HOST_OBJECT_BECOMES_OBJECT: 'changed',
  HOST_OBJECT_PROTOTYPE_CHANGED: 'changed',
  FILE_BECOMES_BLOB: 'changed',
  BUFFER_BECOMES_UINT8ARRAY: 'changed',
  VIEW_REBASED: 'changed',
  DETACHED_VIEW_BECOMES_EMPTY: 'changed',
  SHARED_VIEW_COPIED: 'changed',
  SHARED_REFERENCE_DUPLICATED: 'changed',
  TOJSON_CALLED: 'changed',
  PROXY_UNWRAPPED: 'changed',
  REGEXP_LASTINDEX_RESET: 'changed',
  SHARED_MEMORY: 'note',
  BACKING_STORE_COPIED: 'note',
  TRANSFERRED: 'note',
  POOLED_BUFFER_NOT_TRANSFERRED: 'note',
} as const satisfies Record<string, Effect>;

export type FindingCode = keyof typeof CODE_EFFECT;

export const FINDING_CODES = Object.keys(CODE_EFFECT) as FindingCode[];

export function effectOf(code: FindingCode): Effect {
  return CODE_EFFECT[code];
}

type Empty = Readonly<Record<never, never>>;

/** Where something was defined, for people: `src/jobs.ts:41:18` (relative to the working directory). */
export interface Place {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/**
 * What to send instead of a function or a class instance, as plain data (src/origin/ finds it,
 * findings/messages.ts words it):
 * - `reference`: it is an export: send `{ module, name }` and `import()` it in the receiver.
 * - `top-level`: defined at the top level of a module, not known to be exported: export it, then as `reference`.
 * - `closure`: move it into a module the receiver imports and send its name; the captures in
 *   `data` travel as data, those in `recreate` (a pool, a socket, another function) are made again there.
 * - `class`: an instance: send its data and rebuild it with `new <className>(data)`; the class is at `definedAt`.
 * - `method`: a method of a module-level class or object: send the data, call the method on the other side.
 * - `built-in`, `bound`: send the built-in's name, or the target's name and the bound arguments.
 */
export type OriginHint =
  | { readonly kind: 'reference'; readonly module: string; readonly name: string; readonly definedAt?: Place }
  | { readonly kind: 'top-level'; readonly module: string; readonly name?: string; readonly definedAt: Place }
  | {
      readonly kind: 'closure';
      readonly definedAt?: Place;
      readonly data: readonly { readonly name: string; readonly kind: string }[];
      readonly recreate: readonly { readonly name: string; readonly kind: string }[];
    }
  | { readonly kind: 'class'; readonly className: string; readonly definedAt?: Place; readonly module?: string; readonly exportName?: string }
  | { readonly kind: 'method'; readonly name?: string; readonly definedAt?: Place }
  | { readonly kind: 'built-in'; readonly name?: string }
  | { readonly kind: 'bound'; readonly name?: string };

/**
 * Where a function or a class was defined and what to send instead (see src/origin/): set on
 * FUNCTION_NOT_CLONEABLE, FUNCTION_DROPPED and PROTOTYPE_LOST when `check()` could read it.
 */
export interface OriginFacts {
  /** `src/jobs.ts:41:18`, relative to the working directory. */
  readonly definedAt?: string;
  /** What a closure captures: each variable, the kind of its value, and whether it can travel as data. */
  readonly captures?: readonly { readonly name: string; readonly kind: string; readonly travel: 'data' | 'recreate' }[];
  /** The by-reference answer, as data (`kind`: reference, top-level, closure, class, method, built-in, bound). */
  readonly instead?: OriginHint;
}
/** A value's kind as people say it: 'arrow function', 'Map', 'URL', 'bigint'. */
export interface Typed {
  readonly type: string;
}
export interface Accessor {
  readonly getter: boolean;
  readonly setter: boolean;
}

/** The facts each code records. Plain data: strings, numbers, booleans and lists of them. */
export interface FindingArgsByCode {
  FUNCTION_NOT_CLONEABLE: Typed & { readonly name?: string; readonly origin?: OriginFacts };
  SYMBOL_NOT_CLONEABLE: Typed;
  SEND_REFUSES_VALUE: Typed;
  BIGINT_NOT_JSON: Typed;
  /** `firstSeen`: the printed path where the object was first reached. */
  CIRCULAR_NOT_JSON: { readonly firstSeen: string };
  UNCLONEABLE_TYPE: Typed;
  PROXY_NOT_CLONEABLE: Empty;
  REVOKED_PROXY: Empty;
  DETACHED_BUFFER: Typed;
  SHARED_MEMORY_NOT_SERIALIZABLE: Empty;
  TRANSFER_REQUIRED: Typed;
  /**
   * `index`: the entry's position in the transferList (absent for a Buffer's pooled store);
   * `reason`: what is wrong with it.
   */
  TRANSFER_LIST_INVALID: Typed & { readonly index?: number; readonly reason: 'untransferable' | 'view' | 'duplicate' | 'pooled' };
  NESTING_TOO_DEEP: { readonly depth: number; readonly limit: number; readonly node: string };
  JSON_TOO_LONG: { readonly count: number };
  /** `key`: 'name' or 'message'; `type`: what it holds (a symbol). */
  ERROR_FIELD_NOT_STRING: { readonly key: string; readonly type: string };
  ERROR_CAUSE_CYCLE: Empty;
  /**
   * Why JSON.stringify throws: a built-in toJSON called on an object that is not of its type, a
   * toJSON that cannot be called as a function, a boxed primitive without a way to a primitive, or
   * a revoked Proxy on the prototype chain where toJSON is looked up.
   */
  JSON_THROWS: { readonly why: 'tojson-receiver' | 'tojson-uncallable' | 'no-primitive' | 'revoked-prototype'; readonly type: string };
  /** `error`: what went wrong inside clonecheck, as text. */
  CHECK_INCOMPLETE: { readonly error: string };
  TOP_LEVEL_DROPPED: Typed;
  FUNCTION_DROPPED: Typed & { readonly name?: string; readonly origin?: OriginFacts };
  SYMBOL_VALUE_DROPPED: Typed;
  UNDEFINED_DROPPED: Typed;
  SYMBOL_KEY_DROPPED: Empty;
  NON_ENUMERABLE_DROPPED: Accessor;
  EXTRA_PROPERTY_DROPPED: Typed;
  ERROR_PROPERTY_DROPPED: { readonly key: string };
  /** `changes`: how the field differs on arrival. */
  ERROR_FIELD_CHANGED: {
    readonly key: string;
    readonly changes: readonly ('string' | 'non-enumerable' | 'writable' | 'own-undefined' | 'data' | 'accessor')[];
  };
  /** `name`: the own name when it is a string; `type`: its typeof otherwise. */
  ERROR_NAME_DROPPED: { readonly name?: string; readonly type: string };
  PRIVATE_FIELDS_DROPPED: { readonly className?: string; readonly fields: readonly string[] };
  MESSAGE_SWALLOWED: { readonly cmd: string };
  PROTOTYPE_LOST: {
    readonly className?: string;
    readonly methods: readonly string[];
    readonly getters: readonly string[];
    readonly setters: readonly string[];
    readonly origin?: OriginFacts;
  };
  NULL_PROTOTYPE_LOST: Empty;
  /** No `className`: a custom prototype without a constructor name (`nullPrototype`: a null one). */
  SUBCLASS_LOST: { readonly className?: string; readonly base: string; readonly nullPrototype?: boolean };
  /** `subclass`: `from` is a subclass of a native Error type (named `from` when it has no name). */
  ERROR_TYPE_CHANGED: { readonly from: string; readonly to: string; readonly subclass: boolean };
  ERROR_BECOMES_OBJECT: Typed;
  ACCESSOR_FLATTENED: Accessor;
  INTEGRITY_LOST: { readonly integrity: 'frozen' | 'sealed' | 'non-extensible' };
  /** `attributes`: 'read-only', 'non-configurable' and/or 'non-enumerable' (an array element through JSON). */
  READONLY_LOST: { readonly attributes: readonly string[] };
  /** `value`: 'NaN', 'Infinity', '-Infinity' or '-0'. */
  NUMBER_NOT_JSON: { readonly value: string };
  /** `text`: the raw JSON number as written; `value`: what JSON.parse makes of it. */
  RAW_JSON_ROUNDED: { readonly text: string; readonly value: string };
  ARRAY_ELEMENT_BECOMES_NULL: Typed;
  ARRAY_HOLES_BECOME_NULL: { readonly count: number };
  DATE_BECOMES_STRING: Empty;
  INVALID_DATE_BECOMES_NULL: Empty;
  /** `count`: the entries it had (absent when judged from a type). */
  MAP_BECOMES_OBJECT: { readonly count?: number };
  SET_BECOMES_OBJECT: { readonly count?: number };
  TYPED_ARRAY_BECOMES_OBJECT: Typed;
  BUFFER_BECOMES_JSON: Empty;
  BUILTIN_BECOMES_OBJECT: Typed;
  BOXED_PRIMITIVE_UNBOXED: Typed;
  /** `viaToJSON`: JSON sends what the type's own toJSON() returns. */
  PLATFORM_OBJECT_BECOMES_PLAIN: Typed & { readonly viaToJSON?: boolean };
  HOST_OBJECT_BECOMES_OBJECT: Typed;
  HOST_OBJECT_PROTOTYPE_CHANGED: Typed;
  FILE_BECOMES_BLOB: Empty;
  BUFFER_BECOMES_UINT8ARRAY: Empty;
  VIEW_REBASED: Typed & { readonly resizable: boolean };
  DETACHED_VIEW_BECOMES_EMPTY: Typed;
  SHARED_VIEW_COPIED: Typed;
  SHARED_REFERENCE_DUPLICATED: { readonly firstSeen: string };
  TOJSON_CALLED: { readonly own: boolean; readonly className?: string };
  PROXY_UNWRAPPED: Empty;
  /** `value`: the lastIndex as a number, or its typeof when it is not one. */
  REGEXP_LASTINDEX_RESET: { readonly value: string };
  SHARED_MEMORY: { readonly bytes: number };
  BACKING_STORE_COPIED: { readonly bytes: number; readonly storeBytes: number; readonly pooled: boolean };
  TRANSFERRED: Typed;
  POOLED_BUFFER_NOT_TRANSFERRED: { readonly bytes: number; readonly storeBytes: number };
}

type Merged<U> = (U extends unknown ? (k: U) => void : never) extends (k: infer I) => void ? I : never;

/**
 * The args of any code, every field optional: what a consumer that does not switch on the code can
 * read (`finding.args.className`). Narrow with `FindingArgsByCode[finding.code]` for exact types.
 */
export type FindingArgs = Partial<Merged<FindingArgsByCode[FindingCode]>>;
