// What an object is inside, read from its internal slots as the serializers read it (V8 and Node
// dispatch on the object's instance type, never on its prototype): a Map whose prototype was
// replaced is still written as a Map, and `Object.create(Map.prototype)` is an ordinary object.
import { HAS_RAW_JSON, isKeyless, isRawJSON, serializerRefuses, types } from '../realm/intrinsics.js';
import type { ProtoInfo } from './prototype.js';

// Each brand check taken once, at load, and called as a plain function: a call through `types.x`
// looks the method up and passes `types` as its receiver on every object of every walk.
const {
  isArgumentsObject,
  isModuleNamespaceObject,
  isNativeError,
  isDate,
  isRegExp,
  isMap,
  isSet,
  isArrayBufferView,
  isAnyArrayBuffer,
  isBoxedPrimitive,
  isPromise,
  isWeakMap,
  isWeakSet,
  isGeneratorObject,
  isMapIterator,
  isSetIterator,
} = types;

/**
 * True when `o`, whose prototype is `Object.prototype` or `null`, is not an ordinary object: a
 * built-in whose prototype was replaced, an arguments object, a module namespace. Brand checks
 * only, so no user code runs. WeakRef and FinalizationRegistry have no brand check that does not
 * throw (and a throw costs microseconds), so they are tried only on null-prototype objects without
 * own keys, which is what such an object is once its prototype is taken away.
 */
export function hasBuiltinSlots(o: object, nullProto: boolean): boolean {
  return (
    isArgumentsObject(o) ||
    // A module namespace's prototype is always null (its [[SetPrototypeOf]] refuses any other).
    (nullProto && isModuleNamespaceObject(o)) ||
    isNativeError(o) ||
    isDate(o) ||
    isRegExp(o) ||
    isMap(o) ||
    isSet(o) ||
    isArrayBufferView(o) ||
    isAnyArrayBuffer(o) ||
    isBoxedPrimitive(o) ||
    isPromise(o) ||
    isWeakMap(o) ||
    isWeakSet(o) ||
    isGeneratorObject(o) ||
    isMapIterator(o) ||
    isSetIterator(o) ||
    // A WeakRef, an iterator, an Intl object...: refused by the serializer itself (walk/kinds.ts names it).
    (nullProto && isKeyless(o) && serializerRefuses(o)) ||
    // JSON.rawJSON() (Node 22+) makes a frozen null-prototype object with a slot of its own.
    (nullProto && HAS_RAW_JSON && isRawJSON(o))
  );
}

/** The prototype facts of an object whose prototype is `null`. */
export const NULL_PROTO_INFO: ProtoInfo = {
  objectProto: false,
  builtin: undefined,
  chain: [],
  readable: true,
  host: undefined,
  className: undefined,
  builtins: [],
  ownBuiltin: undefined,
};
