/**
 * Where a function or class found in a value was defined, and what it closes over. Plain data: no
 * references to the user's values, safe to put in a finding's `args`, JSON or an error message.
 */
export interface Origin {
  /**
   * - `source`: defined in a script or module, `file`/`line`/`column` say where.
   * - `built-in`: native code (`Math.max`, `Array.prototype.push`, a Node binding).
   * - `bound`: made by `Function.prototype.bind`; `name` is `bound <target>`.
   * - `unknown`: the location could not be read (no inspector in this runtime, a lookup error, or
   *   a function whose own properties the inspector cannot describe without running user code).
   */
  readonly kind: 'source' | 'built-in' | 'bound' | 'unknown';
  /** What sort of function it is, from its source text and V8's own flags. */
  readonly functionKind?: FunctionKind;
  /** The function's own `name` when that is a plain data property (never read through a getter). */
  readonly name?: string;
  /**
   * The file it was defined in: an absolute path, or a URL for code that did not come from a file
   * (`node:internal/...`, `data:`, `evalmachine.<anonymous>`). Mapped back through the module's source
   * map when it has one (tsx, Node's type stripping, a bundler's inline map).
   */
  readonly file?: string;
  /** 1-based line in `file`. */
  readonly line?: number;
  /** 1-based column in `file`. */
  readonly column?: number;
  /** Where V8 sees it, when `file:line:column` was mapped through a source map. */
  readonly generated?: { readonly file: string; readonly line: number; readonly column: number };
  /**
   * True when the function is defined at the top level of its module or script: it closes over
   * nothing but module-level bindings, so a worker that imports the module gets the same function.
   */
  readonly topLevel?: boolean;
  /**
   * For a closure: the variables of its enclosing function and block scopes that its source uses,
   * innermost scope first (module-level and global bindings are not listed: importing the module
   * recreates them). Absent when not known; `[]` when it captures nothing.
   */
  readonly captures?: readonly Capture[];
}

export type FunctionKind = 'function' | 'arrow' | 'method' | 'class' | 'async' | 'async-arrow' | 'generator' | 'async-generator';

/** One captured variable. */
export interface Capture {
  readonly name: string;
  /** The value's kind for people: `string`, `number`, `Map`, `Array`, `Object`, `function`, `class`, or a class name such as `Pool`. */
  readonly kind: string;
  /** The rule family the value falls in, which decides how each channel treats it. */
  readonly category: CaptureCategory;
  /**
   * `data`: it can travel as data (send it, on the channels whose verdict allows it).
   * `recreate`: it cannot cross as itself (a function, a class instance, a handle, a Promise):
   * create it again on the receiving side.
   */
  readonly travel: 'data' | 'recreate';
}

/**
 * - `primitive`: a string, a boolean, null or a finite number.
 * - `number-special`: NaN, -0 or ±Infinity (JSON changes them).
 * - `undefined`, `bigint`, `symbol`: as named.
 * - `plain`: a plain object, an array or a null-prototype object; its verdict depends on its contents.
 * - `map`, `set`, `date`, `regexp`, `error`, `binary` (an ArrayBuffer), `view` (a typed array, a DataView, a Buffer), `shared` (SharedArrayBuffer), `boxed`.
 * - `function`, `class`: code.
 * - `uncloneable`: a Promise, WeakMap, WeakSet, iterator, generator, module namespace or external.
 * - `proxy`: a Proxy (never looked into).
 * - `instance`: an instance of a user's or a library's class (`Pool`, `Socket`, `Customer`).
 */
export type CaptureCategory =
  | 'primitive'
  | 'number-special'
  | 'undefined'
  | 'bigint'
  | 'symbol'
  | 'plain'
  | 'map'
  | 'set'
  | 'date'
  | 'regexp'
  | 'error'
  | 'binary'
  | 'view'
  | 'shared'
  | 'boxed'
  | 'function'
  | 'class'
  | 'uncloneable'
  | 'proxy'
  | 'instance';
