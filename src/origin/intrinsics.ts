// Built-ins captured when clonecheck loads, so that finding a function's origin never calls a
// method or getter the user's code patched afterwards (docs/contract.md: "what the checker never does").
import { types } from 'node:util';

/** Reflect.apply as it was at load: the helpers below call it, never the global one, which user code may replace. */
export const apply = Reflect.apply;

const uncurry =
  <T extends (...args: never[]) => unknown>(fn: T) =>
  (self: unknown, ...args: Parameters<T>): ReturnType<T> =>
    apply(fn, self, args) as ReturnType<T>;

export const ownKeys = Reflect.ownKeys;
export const getOwnPropertyDescriptor = Reflect.getOwnPropertyDescriptor;
export const getPrototypeOf = Reflect.getPrototypeOf;
export const defineProperty = Reflect.defineProperty;
export const deleteProperty = Reflect.deleteProperty;
export const isArray = Array.isArray;
export const objectCreate = Object.create;
export const jsonParse = JSON.parse;
export const numberIsFinite = Number.isFinite;
export const objectIs = Object.is;
export const functionToString = uncurry(Function.prototype.toString as () => string);
export const regexpExec = uncurry(RegExp.prototype.exec as (s: string) => RegExpExecArray | null);
export const stringSlice = uncurry(String.prototype.slice as (start?: number, end?: number) => string);
export const stringStartsWith = uncurry(String.prototype.startsWith as (s: string) => boolean);
export const stringIndexOf = uncurry(String.prototype.indexOf as (s: string, from?: number) => number);
const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype) as object, Symbol.toStringTag)!.get!;
/** `Uint8Array`, `Float64Array`, ... read from the view's internal slot, never from the object. */
export const typedArrayName = (view: unknown): string | undefined => apply(typedArrayTag, view, []) as string | undefined;

export const {
  isProxy,
  isNativeError,
  isMap,
  isSet,
  isWeakMap,
  isWeakSet,
  isDate,
  isRegExp,
  isPromise,
  isArrayBuffer,
  isSharedArrayBuffer,
  isTypedArray,
  isDataView,
  isAsyncFunction,
  isGeneratorFunction,
  isGeneratorObject,
  isBoxedPrimitive,
  isMapIterator,
  isSetIterator,
  isModuleNamespaceObject,
  isExternal,
} = types;

/** The real global object, captured before any user code could shadow `globalThis`. */
export const realGlobal: object = globalThis;
