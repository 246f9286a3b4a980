// What every judge of a kind of type shares: the findings a judgement makes, the walk it is part of,
// and which channels a rule is on, asked of the channel registry (never by a channel's id).
import type * as TS from 'typescript';
import { channelInfo } from '../channels/index.js';
import type { FindingArgs, FindingArgsByCode, FindingCode } from '../findings/codes.js';
import type { Channel, PathSegment, Target } from '../types.js';
import type { TypeScript } from './typescript.js';

/**
 * A finding predicted from a type: the code and path the runtime `check()` would report for a
 * value of that type. Array elements and record keys whose position the type cannot name are the
 * wildcard step `'*'`; Map and Set entries are entry steps with `index: -1` (any entry).
 */
export interface TypeFinding {
  readonly channel: Channel;
  readonly code: FindingCode;
  readonly path: readonly PathSegment[];
  readonly args: FindingArgs;
}

/** A place where the type says too little to judge (`any`, `unknown`, `object`). */
export interface Unknowable {
  readonly path: readonly PathSegment[];
  /** How the type reads: `any`, `unknown`, `object`, `T`. */
  readonly type: string;
}

export interface Judgement {
  readonly findings: TypeFinding[];
  readonly unknowable: Unknowable[];
}

export interface JudgeOptions {
  readonly channels: readonly Channel[];
  /** `'message'`: the value is what `send()`/`postMessage()` is given (IPC top-level rules apply). */
  readonly root: 'message' | 'value';
  readonly target: Target;
  /** The type names in the send's transferList: those are moved, not copied (structured clone only). */
  readonly transfers?: readonly string[] | undefined;
}

/** Where a value sits, as the channel rules care: the whole message, a property, an array slot, a Map or Set entry. */
export type Place = 'root' | 'property' | 'element' | 'entry';

/** The wildcard step for an array element or record key the type cannot name. */
export const ANY_KEY = '*';

/**
 * Counts and sizes are facts of a value, not of its type: a finding from a type leaves them out.
 * (The messages table words a Map or Set without its count; see docs/scan.md.)
 */
export const UNKNOWN_COUNT = {} as { readonly count: number };
export const UNKNOWN_BYTES = {} as { readonly bytes: number };

/** The channels a rule holds on, told by what the channel registry says each one does. */
export type On = (channel: Channel) => boolean;

/** JSON.stringify writes the value (fork, json). */
export const onJson: On = (c) => channelInfo(c).format === 'json';
/** The V8 serializer copies the structure (worker, fork-advanced, v8): functions and symbols throw. */
export const onV8: On = (c) => channelInfo(c).format === 'v8';
/** Views are written as host objects (fork-advanced, v8): re-based, a Buffer stays one, shared memory throws. */
export const onHostViews: On = (c) => channelInfo(c).views === 'host';
/** Structured clone (worker): the whole store is copied, shared memory is shared, the send takes a transferList. */
export const onCloneViews: On = (c) => channelInfo(c).views === 'clone';
/** Node's IPC sits in front of the send (fork, fork-advanced): top-level refusals, NODE_ messages. */
export const onIpc: On = (c) => channelInfo(c).ipc;
export const onEvery: On = () => true;
export const onNot =
  (on: On): On =>
  (c) =>
    !on(c);
export const onChannel =
  (channel: Channel): On =>
  (c) =>
    c === channel;

/** One judgement under way: the judges of each kind of type report and recurse through it. */
export interface JudgeContext {
  readonly ts: TypeScript;
  readonly checker: TS.TypeChecker;
  readonly options: JudgeOptions;
  /** The Node.js line whose rules apply (20 for `node20`). */
  readonly targetMajor: number;
  /** The path of the part being judged. */
  readonly path: readonly PathSegment[];
  /** Reports a code on the channels `on` holds for, at the current path (or one key below it), once per channel, code and path. */
  emit<C extends FindingCode>(code: C, on: On, args: FindingArgsByCode[C], key?: PathSegment): void;
  /** Notes that the type says too little here. */
  unknown(what: string): void;
  /** Judges a part of the value at the current path. */
  walk(type: TS.Type, place: Place, decl?: TS.Declaration): void;
  /** Judges a part that only some channels copy (Map and Set entries: JSON has already lost them). */
  walkOn(on: On, type: TS.Type, place: Place): void;
  /** Runs `fn` one step below the current path. */
  descend(key: PathSegment, fn: () => void): void;
}

/** The type arguments of `Map<K, V>`, `Set<T>` and the like, as written or aliased. */
export function typeArguments(cx: JudgeContext, type: TS.Type): readonly TS.Type[] {
  return (type as TS.TypeReference).target ? cx.checker.getTypeArguments(type as TS.TypeReference) : (type.aliasTypeArguments ?? []);
}

/**
 * The class whose instances a type's values are: its own class, or for an interface that extends a
 * class (`interface Tagged extends Customer`, Node's global `interface MessageChannel extends
 * _MessageChannel`), the first class among its bases.
 */
export function classSymbolOf(cx: JudgeContext, type: TS.Type, depth = 0): TS.Symbol | undefined {
  const ts = cx.ts;
  const symbol = type.getSymbol();
  if (!symbol || depth > 8) return undefined;
  if (symbol.flags & ts.SymbolFlags.Class) return symbol;
  if (!(symbol.flags & ts.SymbolFlags.Interface)) return undefined;
  for (const base of baseTypesOf(cx, symbol)) {
    const found = classSymbolOf(cx, base, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The types a class or interface declaration `extends`, none for any other symbol. */
export function baseTypesOf(cx: JudgeContext, symbol: TS.Symbol): readonly TS.Type[] {
  const { ts, checker } = cx;
  const declared = checker.getDeclaredTypeOfSymbol(symbol);
  if (!(declared.flags & ts.TypeFlags.Object) || !((declared as TS.ObjectType).objectFlags & ts.ObjectFlags.ClassOrInterface)) return [];
  return checker.getBaseTypes(declared as TS.InterfaceType);
}

/** A file of TypeScript's default libraries or of Node's and other packages' declarations. */
export function isLibraryFile(fileName: string): boolean {
  return (
    /[\\/]typescript[\\/]lib[\\/]lib\.[^\\/]*\.d\.ts$/.test(fileName) ||
    /[\\/]node_modules[\\/]@types[\\/]node[\\/]/.test(fileName) ||
    /[\\/]node_modules[\\/]undici-types[\\/]/.test(fileName)
  );
}

export function stepId(step: PathSegment): string {
  if (typeof step === 'object') return `${step.kind}:${step.index}`;
  if (typeof step === 'symbol') return `@${step.description ?? ''}`;
  return typeof step === 'number' ? `#${step}` : `.${step}`;
}
