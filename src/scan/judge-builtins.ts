// The built-in types by name, when a default library or Node's types declare them: one small judge
// per kind (Date, RegExp, Map, Set, buffers and views, boxed primitives, Errors, uncloneable
// built-ins), then the host and platform types.
import type * as TS from 'typescript';
import { ERROR_TYPE_NAMES, TYPED_ARRAY_NAMES } from '../realm/intrinsics.js';
import { engineObjectName, judgeHost } from './judge-hosts.js';
import { UNKNOWN_BYTES, UNKNOWN_COUNT, onCloneViews, onHostViews, onJson, onV8, typeArguments, type JudgeContext } from './judge-context.js';

/** A built-in's judge: false when the name turns out not to be the built-in after all (a `String` that is the primitive). */
type BuiltinJudge = (cx: JudgeContext, type: TS.Type, name: string) => boolean | void;

export const NATIVE_ERRORS: ReadonlySet<string> = new Set(ERROR_TYPE_NAMES);

/** Built-ins whose subclasses check() reports as SUBCLASS_LOST. */
export const SUBCLASSABLE: ReadonlySet<string> = new Set(['Map', 'Set', 'Date', 'RegExp', 'Array', 'ArrayBuffer', 'DataView', ...TYPED_ARRAY_NAMES]);

const UNCLONEABLE_BUILTINS = ['Promise', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry'];

/**
 * The engine's iterators and generator objects, by the name their type is declared with in the
 * default libraries, and the name `check()` gives their values (the registry's iterator prototypes,
 * `walk/kinds.ts`'s brand checks). No serializer writes them. (`IterableIterator` and
 * `IteratorObject` are not here: a user's iterator has those types too.)
 */
const ENGINE_ITERATORS: Readonly<Record<string, string>> = {
  ArrayIterator: 'Array Iterator',
  StringIterator: 'String Iterator',
  RegExpStringIterator: 'RegExp String Iterator',
  MapIterator: 'Map iterator',
  SetIterator: 'Set iterator',
  Generator: 'generator object',
  AsyncGenerator: 'generator object',
};

const judgeMap: BuiltinJudge = (cx, type) => {
  cx.emit('MAP_BECOMES_OBJECT', onJson, UNKNOWN_COUNT);
  const [k, v] = typeArguments(cx, type);
  if (k) cx.descend({ kind: 'map-key', index: -1 }, () => cx.walkOn(onV8, k, 'entry'));
  if (v) cx.descend({ kind: 'map-value', index: -1 }, () => cx.walkOn(onV8, v, 'entry'));
};

const judgeSet: BuiltinJudge = (cx, type) => {
  cx.emit('SET_BECOMES_OBJECT', onJson, UNKNOWN_COUNT);
  const [m] = typeArguments(cx, type);
  if (m) cx.descend({ kind: 'set-member', index: -1 }, () => cx.walkOn(onV8, m, 'entry'));
};

const judgeUncloneable: BuiltinJudge = (cx, _type, name) => {
  const type = ENGINE_ITERATORS[name] ?? name;
  cx.emit('UNCLONEABLE_TYPE', onV8, { type });
  cx.emit('BUILTIN_BECOMES_OBJECT', onJson, { type });
};

const judgeArrayBuffer: BuiltinJudge = (cx) => {
  if (cx.options.transfers?.includes('ArrayBuffer')) cx.emit('TRANSFERRED', onCloneViews, { type: 'ArrayBuffer' });
  cx.emit('BUILTIN_BECOMES_OBJECT', onJson, { type: 'ArrayBuffer' });
};

const judgeSharedArrayBuffer: BuiltinJudge = (cx) => {
  cx.emit('SHARED_MEMORY', onCloneViews, UNKNOWN_BYTES);
  cx.emit('SHARED_MEMORY_NOT_SERIALIZABLE', onHostViews, {});
  cx.emit('BUILTIN_BECOMES_OBJECT', onJson, { type: 'SharedArrayBuffer' });
};

const judgeBuffer: BuiltinJudge = (cx) => {
  cx.emit('BUFFER_BECOMES_UINT8ARRAY', onCloneViews, {});
  cx.emit('VIEW_REBASED', onHostViews, { type: 'Buffer', resizable: false });
  cx.emit('BUFFER_BECOMES_JSON', onJson, {});
};

const judgeView: BuiltinJudge = (cx, _type, name) => {
  cx.emit('VIEW_REBASED', onHostViews, { type: name, resizable: false });
  if (name === 'DataView') cx.emit('BUILTIN_BECOMES_OBJECT', onJson, { type: name });
  else if (name.startsWith('Big')) cx.emit('BIGINT_NOT_JSON', onJson, { type: name });
  else cx.emit('TYPED_ARRAY_BECOMES_OBJECT', onJson, { type: name });
};

const judgeBoxed: BuiltinJudge = (cx, type, name) => {
  if (!(type.flags & cx.ts.TypeFlags.Object)) return false;
  cx.emit('BOXED_PRIMITIVE_UNBOXED', onJson, { type: name });
};

const judgeNativeError: BuiltinJudge = (cx, _type, name) => {
  cx.emit('ERROR_BECOMES_OBJECT', onJson, { type: name });
  // V8 recreates Error and the six native types by name; an AggregateError arrives as an Error
  // without its `errors` (as check() and real sends say).
  if (name === 'AggregateError') aggregateErrorLost(cx, name, false);
};

/** An AggregateError (or a subclass of it) on the V8 channels: an Error, without `errors`. */
export function aggregateErrorLost(cx: JudgeContext, from: string, subclass: boolean): void {
  cx.emit('ERROR_TYPE_CHANGED', onV8, { from, to: 'Error', subclass });
  cx.emit('ERROR_PROPERTY_DROPPED', onV8, { key: 'errors' }, 'errors');
}

const BUILTINS = new Map<string, BuiltinJudge>();
const add = (names: Iterable<string>, judge: BuiltinJudge): void => {
  for (const name of names) BUILTINS.set(name, judge);
};
add(['Date'], (cx) => cx.emit('DATE_BECOMES_STRING', onJson, {}));
add(['RegExp'], (cx) => cx.emit('BUILTIN_BECOMES_OBJECT', onJson, { type: 'RegExp' }));
add(['Map', 'ReadonlyMap'], judgeMap);
add(['Set', 'ReadonlySet'], judgeSet);
add(UNCLONEABLE_BUILTINS, judgeUncloneable);
add(Object.keys(ENGINE_ITERATORS), judgeUncloneable);
add(['ArrayBuffer'], judgeArrayBuffer);
add(['SharedArrayBuffer'], judgeSharedArrayBuffer);
add(['Buffer'], judgeBuffer);
add([...TYPED_ARRAY_NAMES, 'DataView'], judgeView);
add(['String', 'Number', 'Boolean'], judgeBoxed);
add(NATIVE_ERRORS, judgeNativeError);
// `Object` says nothing of what the value holds.
add(['Object'], (cx) => cx.unknown('Object'));

/** Whether a built-in is one no serializer writes (a Promise, a WeakMap, an iterator): a subclass of it is judged as it. */
export function isUncloneableBuiltin(name: string): boolean {
  return BUILTINS.get(name) === judgeUncloneable;
}

/** Judges a built-in, host or platform type by its declared name. True when it handled the whole value. */
export function judgeBuiltin(cx: JudgeContext, type: TS.Type, name: string): boolean {
  const judge = BUILTINS.get(name);
  if (judge) return judge(cx, type, name) !== false;
  const engine = engineObjectName(cx, type);
  if (engine !== undefined) return judgeUncloneable(cx, type, engine) !== false;
  return judgeHost(cx, type, name) !== undefined;
}
