// Names a captured value's kind by looking, never touching: internal slots through util.types,
// prototypes through Reflect, constructor names only from own data properties.
import * as I from './intrinsics.js';
import type { Capture, CaptureCategory, FunctionKind } from './types.js';

const objectProtoOfThisRealm = Object.prototype;

/** The `name` of a function when it is an own data property holding a string. */
export function ownName(fn: object): string | undefined {
  if (I.isProxy(fn)) return undefined;
  const d = I.getOwnPropertyDescriptor(fn, 'name');
  return d && 'value' in d && typeof d.value === 'string' ? d.value : undefined;
}

/** The constructor's name read from a prototype's own data `constructor`, without calling anything. */
function constructorNameOf(proto: object): string | undefined {
  if (I.isProxy(proto)) return undefined;
  const d = I.getOwnPropertyDescriptor(proto, 'constructor');
  if (!d || !('value' in d) || typeof d.value !== 'function') return undefined;
  return ownName(d.value as object);
}

/** True for an `Object.prototype`, of this realm or another (its own prototype is null and its constructor is `Object`). */
function isObjectPrototype(proto: object): boolean {
  if (proto === objectProtoOfThisRealm) return true;
  return !I.isProxy(proto) && I.getPrototypeOf(proto) === null && constructorNameOf(proto) === 'Object';
}

/** The source text of a (non-Proxy) function through the built-in `Function.prototype.toString`. */
export function sourceOf(fn: object): string {
  try {
    return I.functionToString(fn);
  } catch {
    return '';
  }
}

const NATIVE = /\{\s*\[native code\]\s*\}\s*$/;
export const isNativeSource = (source: string): boolean => I.regexpExec(NATIVE, source) !== null;

// A method's source starts with its name (`run() {`, `get x() {`, `[key]() {`), never with `(`:
// so a source that starts with `(`, or with one identifier and `=>`, is an arrow function.
const ARROW = /^(?:async\s*)?(?:\(|[\p{L}\p{Nl}$_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$\u200c\u200d]*\s*=>)/u;

/** Function, arrow, method, class, async or generator, from V8's flags and the start of the source. */
export function functionKindOf(fn: object, source: string): FunctionKind {
  if (I.stringStartsWith(source, 'class') && I.regexpExec(/^class\b/, source)) return 'class';
  const arrow = I.regexpExec(ARROW, source) !== null;
  const generator = I.isGeneratorFunction(fn);
  const async = I.isAsyncFunction(fn);
  if (generator) return async ? 'async-generator' : 'generator';
  if (async) return arrow ? 'async-arrow' : 'async';
  if (arrow) return 'arrow';
  if (I.regexpExec(/^function\b/, source)) return 'function';
  return 'method';
}

/** Kind and category of a captured value, and whether it can travel as data. */
export function describeValue(value: unknown): Omit<Capture, 'name'> {
  const [kind, category] = kindOf(value);
  return { kind, category, travel: TRAVEL[category] };
}

const TRAVEL: Record<CaptureCategory, Capture['travel']> = {
  primitive: 'data',
  'number-special': 'data',
  undefined: 'data',
  bigint: 'data',
  symbol: 'recreate',
  plain: 'data',
  map: 'data',
  set: 'data',
  date: 'data',
  regexp: 'data',
  error: 'data',
  binary: 'data',
  view: 'data',
  shared: 'data',
  boxed: 'data',
  function: 'recreate',
  class: 'recreate',
  uncloneable: 'recreate',
  proxy: 'recreate',
  instance: 'recreate',
};

function kindOf(value: unknown): [string, CaptureCategory] {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return [typeof value, 'primitive'];
    case 'number':
      return ['number', I.numberIsFinite(value) && !I.objectIs(value, -0) ? 'primitive' : 'number-special'];
    case 'undefined':
      return ['undefined', 'undefined'];
    case 'bigint':
      return ['bigint', 'bigint'];
    case 'symbol':
      return ['symbol', 'symbol'];
    case 'function': {
      if (I.isProxy(value)) return ['Proxy', 'proxy'];
      const source = sourceOf(value);
      return I.regexpExec(/^class\b/, source) ? ['class', 'class'] : ['function', 'function'];
    }
  }
  if (value === null) return ['null', 'primitive'];
  const o = value as object;
  if (I.isProxy(o)) return ['Proxy', 'proxy'];
  if (I.isMap(o)) return [named(o, 'Map'), 'map'];
  if (I.isSet(o)) return [named(o, 'Set'), 'set'];
  if (I.isDate(o)) return [named(o, 'Date'), 'date'];
  if (I.isRegExp(o)) return [named(o, 'RegExp'), 'regexp'];
  if (I.isNativeError(o)) return [named(o, 'Error'), 'error'];
  if (I.isSharedArrayBuffer(o)) return ['SharedArrayBuffer', 'shared'];
  if (I.isArrayBuffer(o)) return ['ArrayBuffer', 'binary'];
  if (I.isTypedArray(o)) return [named(o, I.typedArrayName(o) ?? 'TypedArray'), 'view'];
  if (I.isDataView(o)) return [named(o, 'DataView'), 'view'];
  if (I.isBoxedPrimitive(o)) return ['boxed primitive', 'boxed'];
  if (I.isPromise(o)) return ['Promise', 'uncloneable'];
  if (I.isWeakMap(o)) return ['WeakMap', 'uncloneable'];
  if (I.isWeakSet(o)) return ['WeakSet', 'uncloneable'];
  if (I.isGeneratorObject(o)) return ['Generator', 'uncloneable'];
  if (I.isMapIterator(o) || I.isSetIterator(o)) return ['Iterator', 'uncloneable'];
  if (I.isModuleNamespaceObject(o)) return ['module namespace', 'uncloneable'];
  if (I.isExternal(o)) return ['external', 'uncloneable'];
  if (I.isArray(o)) return ['Array', 'plain'];
  const proto = I.getPrototypeOf(o);
  if (proto === null) return ['null-prototype object', 'plain'];
  if (isObjectPrototype(proto)) return ['Object', 'plain'];
  return [constructorNameOf(proto) || 'object', 'instance'];
}

/** A built-in's own name, or its subclass's (`Buffer`, `class Cache extends Map`). */
function named(o: object, builtin: string): string {
  const proto = I.getPrototypeOf(o);
  return (proto && constructorNameOf(proto)) || builtin;
}
