import type * as TS from 'typescript';
import type { FindingArgs, FindingArgsByCode, FindingCode } from '../findings/codes.js';
import { channelInfo, ruleOnLine } from '../channels/index.js';
import { TYPED_ARRAY_NAMES } from '../realm/intrinsics.js';
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

/** Where a value sits, as the channel rules care: the whole message, a property, an array slot. */
type Place = 'root' | 'property' | 'element' | 'entry';

export interface JudgeOptions {
  readonly channels: readonly Channel[];
  /** `'message'`: the value is what `send()`/`postMessage()` is given (IPC top-level rules apply). */
  readonly root: 'message' | 'value';
  readonly target: Target;
  /** The type names in the send's transferList: those are moved, not copied (worker only). */
  readonly transfers?: readonly string[] | undefined;
}

/**
 * Counts and sizes are facts of a value, not of its type: a finding from a type leaves them out.
 * (The messages table words a Map or Set without its count; see docs/scan.md.)
 */
const UNKNOWN_COUNT = {} as { readonly count: number };
const UNKNOWN_BYTES = {} as { readonly bytes: number };

/** The wildcard step for an array element or record key the type cannot name. */
export const ANY_KEY = '*';

const MAX_DEPTH = 24;
const MAX_FINDINGS = 500;
/** Types met in one judgement: a type as wide as the DOM's is cut short, with a note, not walked for minutes. */
const MAX_VISITS = 20_000;

const isJson = (c: Channel): boolean => c === 'fork' || c === 'json';
const isV8 = (c: Channel): boolean => c === 'fork-advanced' || c === 'v8';
const isIpc = (c: Channel): boolean => c === 'fork' || c === 'fork-advanced';
const isWorker = (c: Channel): boolean => c === 'worker';
const copiesStructure = (c: Channel): boolean => c === 'worker' || isV8(c);
const all = (): boolean => true;

const NATIVE_ERRORS = new Set(['Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError', 'AggregateError']);

const TYPED_ARRAYS = new Set(TYPED_ARRAY_NAMES);

const UNCLONEABLE_BUILTINS = new Set(['Promise', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry', 'Generator', 'AsyncGenerator']);

const BOXED = new Set(['String', 'Number', 'Boolean']);

/** Built-ins whose subclasses check() reports as SUBCLASS_LOST. */
const SUBCLASSABLE = new Set(['Map', 'Set', 'Date', 'RegExp', 'Array', 'ArrayBuffer', 'DataView', ...TYPED_ARRAYS]);

type HostKind = 'cloneable' | 'file' | 'extra-prototype' | 'transfer-only' | 'platform';

/**
 * Node's host objects and the web-platform classes, by the name their type is declared with, and
 * their kind as `realm/registry.ts` classifies their values; each channel module says what each kind
 * does on each Node.js line. `host`: Node treats it as a host object (JSON and fork-advanced send its
 * enumerable own properties).
 */
const HOSTS: Readonly<Record<string, { readonly kind: HostKind; readonly host: boolean; readonly name?: string }>> = {
  KeyObject: { kind: 'cloneable', host: true },
  SecretKeyObject: { kind: 'cloneable', host: true, name: 'KeyObject' },
  PublicKeyObject: { kind: 'cloneable', host: true, name: 'KeyObject' },
  PrivateKeyObject: { kind: 'cloneable', host: true, name: 'KeyObject' },
  CryptoKey: { kind: 'cloneable', host: true },
  Blob: { kind: 'cloneable', host: true },
  File: { kind: 'file', host: true },
  RecordableHistogram: { kind: 'cloneable', host: true },
  X509Certificate: { kind: 'extra-prototype', host: true },
  BlockList: { kind: 'extra-prototype', host: true },
  SocketAddress: { kind: 'extra-prototype', host: true },
  MessagePort: { kind: 'transfer-only', host: true },
  ReadableStream: { kind: 'transfer-only', host: true },
  WritableStream: { kind: 'transfer-only', host: true },
  TransformStream: { kind: 'transfer-only', host: true },
  BroadcastChannel: { kind: 'platform', host: false },
  ...Object.fromEntries(
    [
      'URL',
      'URLSearchParams',
      'Headers',
      'Request',
      'Response',
      'FormData',
      'DOMException',
      'Event',
      'EventTarget',
      'AbortController',
      'AbortSignal',
      'TextEncoder',
      'TextDecoder',
      'CustomEvent',
      'MessageEvent',
      'Performance',
      'PerformanceEntry',
      'PerformanceMark',
      'PerformanceMeasure',
    ].map((n) => [n, { kind: 'platform' as const, host: false }]),
  ),
};

/** Platform classes whose own toJSON() JSON calls. */
const HOST_TOJSON = new Set(['URL']);

/**
 * Judges a TypeScript type for the given channels, with the rules of the runtime `check()`: the
 * same codes at the same paths, for every value the type allows where the type can tell.
 */
export function judgeType(ts: TypeScript, checker: TS.TypeChecker, type: TS.Type, options: JudgeOptions): Judgement {
  const findings: TypeFinding[] = [];
  const unknowable: Unknowable[] = [];
  const seen = new Set<string>();
  const stack: TS.Type[] = [];
  const path: PathSegment[] = [];
  const targetMajor = Number(options.target.slice(4));

  const emit = <C extends FindingCode>(code: C, on: (c: Channel) => boolean, args: FindingArgsByCode[C], key?: PathSegment): void => {
    if (findings.length >= MAX_FINDINGS) return;
    const at = key === undefined ? path.slice() : [...path, key];
    for (const channel of options.channels) {
      if (!on(channel)) continue;
      const id = `${channel}|${code}|${at.map(stepId).join('/')}`;
      if (seen.has(id)) continue;
      seen.add(id);
      findings.push({ channel, code, path: at, args: args as FindingArgs });
    }
  };

  /** A host rule's code from a channel module, with the args that code records. */
  const emitHost = (code: FindingCode, channel: Channel, type: string): void => {
    const on = (c: Channel): boolean => c === channel;
    switch (code) {
      case 'FILE_BECOMES_BLOB':
      case 'SHARED_MEMORY_NOT_SERIALIZABLE':
        return emit(code, on, {});
      case 'SHARED_MEMORY':
        return emit(code, on, UNKNOWN_BYTES);
      default:
        return emit(code, on, { type } as FindingArgsByCode['UNCLONEABLE_TYPE']);
    }
  };

  const unknown = (what: string): void => {
    const id = `?|${path.map(stepId).join('/')}`;
    if (seen.has(id)) return;
    seen.add(id);
    unknowable.push({ path: path.slice(), type: what });
  };

  let visits = 0;
  const walk = (type: TS.Type, place: Place, decl?: TS.Declaration): void => {
    if (stack.length > MAX_DEPTH || findings.length >= MAX_FINDINGS) return;
    if (++visits > MAX_VISITS) {
      if (visits === MAX_VISITS + 1) unknowable.push({ path: path.slice(), type: 'too large to judge in full' });
      return;
    }
    const f = type.flags;
    const F = ts.TypeFlags;
    if (f & (F.Any | F.Unknown)) return unknown(f & F.Any ? 'any' : 'unknown');
    if (f & F.Never) return;
    if (f & F.TypeParameter) {
      const constraint = checker.getBaseConstraintOfType(type);
      if (!constraint || constraint === type || constraint.flags & F.Unknown) return unknown(checker.typeToString(type));
      return walk(constraint, place, decl);
    }
    if (f & (F.Undefined | F.Void)) return judgeLeaf('undefined', place);
    if (f & (F.BigInt | F.BigIntLiteral)) return judgeLeaf('bigint', place);
    if (f & (F.ESSymbol | F.UniqueESSymbol)) return judgeLeaf('symbol', place);
    if (f & (F.Null | F.StringLike | F.NumberLike | F.BooleanLike | F.EnumLike)) return;
    if (type.isUnion()) {
      for (const member of type.types) walk(member, place, decl);
      return;
    }
    if (f & F.NonPrimitive) return unknown('object');
    if (!(f & F.Object) && !type.isIntersection()) return;
    if (stack.includes(type)) return; // a recursive type: this shape is judged where it started
    stack.push(type);
    try {
      judgeObject(type, place, decl);
    } finally {
      stack.pop();
    }
  };

  const judgeLeaf = (kind: 'undefined' | 'bigint' | 'symbol' | 'function', place: Place, fn: { type: string; name?: string } = { type: kind }): void => {
    if (place === 'root' && options.root === 'message') {
      emit('SEND_REFUSES_VALUE', isIpc, { type: kind });
      if (kind === 'symbol') emit('SYMBOL_NOT_CLONEABLE', (c) => !isIpc(c) && copiesStructure(c), { type: 'symbol' });
      if (kind === 'function') emit('FUNCTION_NOT_CLONEABLE', (c) => !isIpc(c) && copiesStructure(c), fn);
      if (kind === 'bigint') emit('BIGINT_NOT_JSON', (c) => c === 'json', { type: 'bigint' });
      else emit('TOP_LEVEL_DROPPED', (c) => c === 'json', { type: kind === 'function' ? fn.type : kind });
      return;
    }
    switch (kind) {
      case 'undefined':
        return jsonLoss(place, 'UNDEFINED_DROPPED', 'undefined');
      case 'bigint':
        return emit('BIGINT_NOT_JSON', isJson, { type: 'bigint' });
      case 'symbol':
        emit('SYMBOL_NOT_CLONEABLE', copiesStructure, { type: 'symbol' });
        return jsonLoss(place, 'SYMBOL_VALUE_DROPPED', 'symbol');
      case 'function':
        emit('FUNCTION_NOT_CLONEABLE', copiesStructure, fn);
        return jsonLoss(place, 'FUNCTION_DROPPED', fn.type, fn);
    }
  };

  const jsonLoss = (
    place: Place,
    code: 'UNDEFINED_DROPPED' | 'SYMBOL_VALUE_DROPPED' | 'FUNCTION_DROPPED',
    type: string,
    args: { type: string; name?: string } = { type },
  ): void => {
    if (place === 'element') emit('ARRAY_ELEMENT_BECOMES_NULL', isJson, { type });
    else if (place !== 'entry') emit(code, isJson, args);
  };

  const judgeObject = (type: TS.Type, place: Place, decl?: TS.Declaration): void => {
    const name = builtinName(type);
    if (type.getCallSignatures().length > 0 && !name) {
      const fnName = decl ? propertyNameText(decl) : undefined;
      return judgeLeaf('function', place, fnName ? { type: functionKind(decl), name: fnName } : { type: functionKind(decl) });
    }
    if (name && judgeBuiltin(type, name)) return;
    if (checker.isTupleType(type)) {
      const elements = checker.getTypeArguments(type as TS.TypeReference);
      elements.forEach((element, index) => descend(index, () => walk(element, 'element')));
      return;
    }
    if (checker.isArrayType(type) || name === 'ReadonlyArray') {
      const [element] = checker.getTypeArguments(type as TS.TypeReference);
      if (element) descend(ANY_KEY, () => walk(element, 'element'));
      return;
    }
    const cls = classOf(type);
    if (cls && isErrorClass(cls)) return judgeError(cls);
    if (cls && judgeBuiltinSubclass(type, cls)) return;
    if (cls) judgeClass(cls);
    judgeProperties(type, cls);
  };

  const descend = (key: PathSegment, fn: () => void): void => {
    path.push(key);
    try {
      fn();
    } finally {
      path.pop();
    }
  };

  /** Built-ins by name, when the name is declared by a default library or by Node's types. */
  const builtinName = (type: TS.Type): string | undefined => {
    const symbol = type.getSymbol() ?? type.aliasSymbol;
    if (!symbol) return undefined;
    const decls = symbol.getDeclarations() ?? [];
    if (decls.length === 0) return undefined;
    const fromLibrary = decls.some((d) => isLibraryFile(d.getSourceFile().fileName));
    return fromLibrary ? symbol.getName() : undefined;
  };

  /** True when it handled the whole value. */
  const judgeBuiltin = (type: TS.Type, name: string): boolean => {
    if (name === 'Date') {
      emit('DATE_BECOMES_STRING', isJson, {});
      return true;
    }
    if (name === 'RegExp') {
      emit('BUILTIN_BECOMES_OBJECT', isJson, { type: 'RegExp' });
      return true;
    }
    if (name === 'Map' || name === 'ReadonlyMap') {
      emit('MAP_BECOMES_OBJECT', isJson, UNKNOWN_COUNT);
      const [k, v] = typeArguments(type);
      if (k) descend({ kind: 'map-key', index: -1 }, () => walkOn(copiesStructure, k, 'entry'));
      if (v) descend({ kind: 'map-value', index: -1 }, () => walkOn(copiesStructure, v, 'entry'));
      return true;
    }
    if (name === 'Set' || name === 'ReadonlySet') {
      emit('SET_BECOMES_OBJECT', isJson, UNKNOWN_COUNT);
      const [m] = typeArguments(type);
      if (m) descend({ kind: 'set-member', index: -1 }, () => walkOn(copiesStructure, m, 'entry'));
      return true;
    }
    if (UNCLONEABLE_BUILTINS.has(name)) {
      emit('UNCLONEABLE_TYPE', copiesStructure, { type: name });
      emit('BUILTIN_BECOMES_OBJECT', isJson, { type: name });
      return true;
    }
    if (name === 'ArrayBuffer') {
      if (options.transfers?.includes('ArrayBuffer')) emit('TRANSFERRED', isWorker, { type: 'ArrayBuffer' });
      emit('BUILTIN_BECOMES_OBJECT', isJson, { type: 'ArrayBuffer' });
      return true;
    }
    if (name === 'SharedArrayBuffer') {
      emit('SHARED_MEMORY', isWorker, UNKNOWN_BYTES);
      emit('SHARED_MEMORY_NOT_SERIALIZABLE', isV8, {});
      emit('BUILTIN_BECOMES_OBJECT', isJson, { type: 'SharedArrayBuffer' });
      return true;
    }
    if (name === 'Buffer') {
      emit('BUFFER_BECOMES_UINT8ARRAY', isWorker, {});
      emit('VIEW_REBASED', isV8, { type: 'Buffer', resizable: false });
      emit('BUFFER_BECOMES_JSON', isJson, {});
      return true;
    }
    if (TYPED_ARRAYS.has(name) || name === 'DataView') {
      emit('VIEW_REBASED', isV8, { type: name, resizable: false });
      if (name === 'DataView') emit('BUILTIN_BECOMES_OBJECT', isJson, { type: name });
      else if (name.startsWith('Big')) emit('BIGINT_NOT_JSON', isJson, { type: name });
      else emit('TYPED_ARRAY_BECOMES_OBJECT', isJson, { type: name });
      return true;
    }
    if (BOXED.has(name) && type.flags & ts.TypeFlags.Object) {
      emit('BOXED_PRIMITIVE_UNBOXED', isJson, { type: name });
      return true;
    }
    if (NATIVE_ERRORS.has(name)) {
      emit('ERROR_BECOMES_OBJECT', isJson, { type: name });
      return true;
    }
    const host = HOSTS[name];
    if (host) {
      const type = host.name ?? name;
      for (const channel of options.channels) {
        if (isJson(channel)) {
          if (HOST_TOJSON.has(name)) emit('PLATFORM_OBJECT_BECOMES_PLAIN', (c) => c === channel, { type, viaToJSON: true });
          else if (host.host) emit('HOST_OBJECT_BECOMES_OBJECT', (c) => c === channel, { type });
          else emit('PLATFORM_OBJECT_BECOMES_PLAIN', (c) => c === channel, { type });
          continue;
        }
        const hosts = channelInfo(channel).hosts;
        // A port or stream of a type the transferList holds is taken to be moved by it.
        if (channel === 'worker' && host.kind === 'transfer-only' && options.transfers?.includes(name)) {
          emit('TRANSFERRED', (c) => c === channel, { type });
          continue;
        }
        const code = ruleOnLine(hosts?.byType?.[type] ?? hosts?.[host.kind], targetMajor);
        if (code) emitHost(code, channel, type);
      }
      return true;
    }
    if (name === 'Object') {
      unknown('Object');
      return true;
    }
    return false;
  };

  /** Walks a part that only some channels copy (Map and Set entries: JSON has already lost them). */
  const walkOn = (on: (c: Channel) => boolean, type: TS.Type, place: Place): void => {
    const saved = options.channels;
    const narrowed = saved.filter(on);
    if (narrowed.length === 0) return;
    (options as { channels: readonly Channel[] }).channels = narrowed;
    try {
      walk(type, place);
    } finally {
      (options as { channels: readonly Channel[] }).channels = saved;
    }
  };

  const typeArguments = (type: TS.Type): readonly TS.Type[] =>
    (type as TS.TypeReference).target ? checker.getTypeArguments(type as TS.TypeReference) : (type.aliasTypeArguments ?? []);

  /** The user's class behind an instance type, if it is one. */
  const classOf = (type: TS.Type): TS.ClassLikeDeclaration | undefined => {
    const symbol = type.getSymbol();
    if (!symbol || !(symbol.flags & ts.SymbolFlags.Class)) return undefined;
    const decl = symbol.getDeclarations()?.find((d): d is TS.ClassLikeDeclaration => ts.isClassDeclaration(d) || ts.isClassExpression(d));
    return decl && !isLibraryFile(decl.getSourceFile().fileName) ? decl : undefined;
  };

  const baseClassOf = (cls: TS.ClassLikeDeclaration): { decl?: TS.ClassLikeDeclaration; name?: string; type?: TS.Type } | undefined => {
    const heritage = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    if (!heritage) return undefined;
    const baseType = checker.getTypeAtLocation(heritage);
    const symbol = baseType.getSymbol();
    const decl = symbol?.getDeclarations()?.find((d): d is TS.ClassLikeDeclaration => ts.isClassDeclaration(d) || ts.isClassExpression(d));
    if (decl && !isLibraryFile(decl.getSourceFile().fileName)) return { decl };
    return symbol ? { name: symbol.getName(), type: baseType } : {};
  };

  /** A class and its user-written bases, and the built-in it ends on (`Error`, `Map`, ...) with its type as extended. */
  const classChain = (cls: TS.ClassLikeDeclaration): { chain: TS.ClassLikeDeclaration[]; builtin?: string; builtinType?: TS.Type } => {
    const chain: TS.ClassLikeDeclaration[] = [];
    let current: TS.ClassLikeDeclaration | undefined = cls;
    let builtin: string | undefined;
    let builtinType: TS.Type | undefined;
    while (current && !chain.includes(current)) {
      chain.push(current);
      const base = baseClassOf(current);
      current = base?.decl;
      if (base?.name) builtin = base.name;
      if (base?.type) builtinType = base.type;
    }
    return { chain, ...(builtin ? { builtin } : {}), ...(builtinType ? { builtinType } : {}) };
  };

  /**
   * A class that extends Map, Set, Date, RegExp, Array, a typed array, ArrayBuffer or DataView: the
   * clone channels send the built-in without the subclass or its own fields; JSON does what it does
   * to the built-in (an Array subclass is lost everywhere).
   */
  const judgeBuiltinSubclass = (type: TS.Type, cls: TS.ClassLikeDeclaration): boolean => {
    const { chain, builtin, builtinType } = classChain(cls);
    if (!builtin || !builtinType || !SUBCLASSABLE.has(builtin)) return false;
    const className = cls.name?.text ?? `${builtin} subclass`;
    if (builtin === 'Array') {
      emit('SUBCLASS_LOST', all, { className, base: 'Array' });
      const element = checker.getIndexTypeOfType(type, ts.IndexKind.Number);
      if (element) descend(ANY_KEY, () => walk(element, 'element'));
      return true;
    }
    emit('SUBCLASS_LOST', copiesStructure, { className, base: builtin });
    for (const key of ownFieldNames(chain)) emit('EXTRA_PROPERTY_DROPPED', copiesStructure, { type: builtin }, key);
    judgeBuiltin(builtinType, builtin);
    return true;
  };

  const isErrorClass = (cls: TS.ClassLikeDeclaration): boolean => {
    const { builtin } = classChain(cls);
    return builtin !== undefined && NATIVE_ERRORS.has(builtin);
  };

  const judgeError = (cls: TS.ClassLikeDeclaration): void => {
    const { chain, builtin } = classChain(cls);
    const className = cls.name?.text ?? 'anonymous class';
    emit('ERROR_TYPE_CHANGED', copiesStructure, { from: className, to: builtin ?? 'Error', subclass: true });
    // JSON sends what a toJSON() returns instead of the error's enumerable properties.
    const toJSON = chain.some((c) => c.members.some((m) => ts.isMethodDeclaration(m) && memberKey(m) === 'toJSON'));
    if (toJSON) emit('TOJSON_CALLED', isJson, { own: false, className });
    else emit('ERROR_BECOMES_OBJECT', isJson, { type: className });
    // Own fields declared by the subclasses: V8 copies only message, stack and cause.
    for (const key of ownFieldNames(chain)) {
      if (key === 'message' || key === 'stack' || key === 'cause') continue;
      if (key === 'name') emit('ERROR_NAME_DROPPED', copiesStructure, { type: 'string' }, 'name');
      else emit('ERROR_PROPERTY_DROPPED', copiesStructure, { key }, key);
    }
  };

  const judgeClass = (cls: TS.ClassLikeDeclaration): void => {
    const { chain } = classChain(cls);
    const methods: string[] = [];
    const getters: string[] = [];
    const setters: string[] = [];
    const fields: string[] = [];
    let toJSON = false;
    for (const c of chain) {
      for (const member of c.members) {
        if (ts.canHaveModifiers(member) && ts.getModifiers(member)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) continue;
        const name = member.name && ts.isPrivateIdentifier(member.name) ? member.name.text : memberKey(member);
        if (name === undefined) continue;
        if (member.name && ts.isPrivateIdentifier(member.name)) {
          if (!fields.includes(name)) fields.push(name);
        } else if (ts.isMethodDeclaration(member)) {
          if (!methods.includes(name)) methods.push(name);
          if (name === 'toJSON') toJSON = true;
        } else if (ts.isGetAccessorDeclaration(member)) {
          if (!getters.includes(name)) getters.push(name);
        } else if (ts.isSetAccessorDeclaration(member)) {
          if (!setters.includes(name)) setters.push(name);
        }
      }
    }
    const className = cls.name?.text;
    emit('PROTOTYPE_LOST', all, { ...(className ? { className } : {}), methods, getters, setters });
    if (fields.length > 0) emit('PRIVATE_FIELDS_DROPPED', all, { ...(className ? { className } : {}), fields });
    if (toJSON) emit('TOJSON_CALLED', isJson, { own: false, ...(className ? { className } : {}) });
  };

  const judgeProperties = (type: TS.Type, cls: TS.ClassLikeDeclaration | undefined): void => {
    // A toJSON() replaces what JSON sends: the properties below are judged for the other channels only.
    const hasToJSON = checker.getPropertyOfType(type, 'toJSON') !== undefined;
    const props = checker.getPropertiesOfType(type);
    const cmd = checker.getPropertyOfType(type, 'cmd');
    if (cmd && path.length === 0 && options.root === 'message') {
      const cmdType = checker.getTypeOfSymbol(cmd);
      const values = cmdType.isUnion() ? cmdType.types : [cmdType];
      const swallowed = values.find((t) => t.isStringLiteral() && t.value.startsWith('NODE_'));
      if (swallowed?.isStringLiteral()) emit('MESSAGE_SWALLOWED', isIpc, { cmd: swallowed.value });
    }
    for (const prop of props) {
      const decl = prop.valueDeclaration ?? prop.getDeclarations()?.[0];
      // A class's methods and accessors live on its prototype: PROTOTYPE_LOST has named them.
      if (cls && decl && (ts.isMethodDeclaration(decl) || ts.isGetAccessorDeclaration(decl) || ts.isSetAccessorDeclaration(decl))) continue;
      if (
        decl &&
        (ts.isMethodDeclaration(decl) || ts.isGetAccessorDeclaration(decl) || ts.isSetAccessorDeclaration(decl)) &&
        isLibraryFile(decl.getSourceFile().fileName)
      )
        continue;
      const symbolKey = symbolKeyOf(prop);
      if (symbolKey !== undefined) {
        emit('SYMBOL_KEY_DROPPED', all, {}, symbolKey);
        continue;
      }
      const key = prop.getName();
      if (prop.flags & ts.SymbolFlags.GetAccessor || (decl && ts.isGetAccessorDeclaration(decl))) {
        const setter = (prop.flags & ts.SymbolFlags.SetAccessor) !== 0;
        emit('ACCESSOR_FLATTENED', all, { getter: true, setter }, key);
        if (hasToJSON) continue;
      } else if (prop.flags & ts.SymbolFlags.SetAccessor) {
        emit('ACCESSOR_FLATTENED', all, { getter: false, setter: true }, key);
        continue;
      }
      const propType = checker.getTypeOfSymbol(prop);
      const judgeAs = decl as TS.Declaration | undefined;
      // `a?: T` is a key that may be absent, and JSON keeps absence: only an explicit `| undefined` is judged.
      const absentOnly = (prop.flags & ts.SymbolFlags.Optional) !== 0 && !mentionsUndefined(decl);
      const members = absentOnly && propType.isUnion() ? propType.types.filter((t) => !(t.flags & ts.TypeFlags.Undefined)) : [propType];
      for (const member of members) {
        if (hasToJSON) descend(key, () => walkOn((c) => !isJson(c), member, 'property'));
        else descend(key, () => walk(member, 'property', judgeAs));
      }
    }
    const index = checker.getIndexInfosOfType(type);
    for (const info of index) {
      if (info.keyType.flags & ts.TypeFlags.ESSymbolLike) {
        emit('SYMBOL_KEY_DROPPED', all, {}, ANY_KEY);
        continue;
      }
      descend(ANY_KEY, () => walk(info.type, 'property'));
    }
  };

  const mentionsUndefined = (decl: TS.Declaration | undefined): boolean => {
    const node = decl && (decl as { type?: TS.TypeNode }).type;
    if (!node) return decl !== undefined && !ts.isPropertySignature(decl) && !ts.isPropertyDeclaration(decl);
    let found = false;
    const visit = (n: TS.Node): void => {
      if (n.kind === ts.SyntaxKind.UndefinedKeyword || n.kind === ts.SyntaxKind.VoidKeyword) found = true;
      else if (!found && !ts.isTypeLiteralNode(n)) ts.forEachChild(n, visit);
    };
    visit(node);
    return found;
  };

  const symbolKeyOf = (prop: TS.Symbol): symbol | undefined => {
    const name = prop.escapedName as string;
    if (!name.startsWith('__@')) return undefined;
    // '__@description@1234' for a unique symbol, '__@iterator@12' for well-known ones.
    const description = name.slice(3).replace(/@\d+$/, '');
    return Symbol(description);
  };

  const functionKind = (decl: TS.Declaration | undefined): string => {
    if (!decl) return 'function';
    if (ts.isMethodDeclaration(decl) || ts.isMethodSignature(decl)) return 'method';
    const init = ts.isPropertyDeclaration(decl) || ts.isPropertyAssignment(decl) || ts.isVariableDeclaration(decl) ? decl.initializer : undefined;
    if (init && ts.isArrowFunction(init)) return 'arrow function';
    return 'function';
  };

  const propertyNameText = (decl: TS.Declaration): string | undefined => {
    const name = (decl as { name?: TS.PropertyName }).name;
    if (!name) return undefined;
    if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
    return undefined;
  };

  const memberKey = (member: TS.ClassElement): string | undefined => {
    const name = member.name;
    if (!name) return undefined;
    if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
    if (ts.isPrivateIdentifier(name)) return name.text;
    return undefined;
  };

  /** Fields the instances own: declared ones, and `this.x = ...` in a constructor (`this.name = 'HttpError'`). */
  const ownFieldNames = (chain: readonly TS.ClassLikeDeclaration[]): string[] => {
    const names: string[] = [];
    const add = (name: string): void => {
      if (!names.includes(name)) names.push(name);
    };
    for (const c of chain) {
      for (const member of c.members) {
        const key = memberKey(member);
        if (key !== undefined && isOwnField(member)) add(key);
        if (ts.isConstructorDeclaration(member)) {
          for (const p of member.parameters) {
            if (
              ts.isIdentifier(p.name) &&
              p.modifiers?.some(
                (m) =>
                  m.kind === ts.SyntaxKind.PublicKeyword ||
                  m.kind === ts.SyntaxKind.PrivateKeyword ||
                  m.kind === ts.SyntaxKind.ProtectedKeyword ||
                  m.kind === ts.SyntaxKind.ReadonlyKeyword,
              )
            )
              add(p.name.text);
          }
          const visit = (node: TS.Node): void => {
            if (ts.isFunctionLike(node) && !ts.isArrowFunction(node)) return;
            if (
              ts.isBinaryExpression(node) &&
              node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
              ts.isPropertyAccessExpression(node.left) &&
              node.left.expression.kind === ts.SyntaxKind.ThisKeyword &&
              ts.isIdentifier(node.left.name)
            )
              add(node.left.name.text);
            ts.forEachChild(node, visit);
          };
          if (member.body) ts.forEachChild(member.body, visit);
        }
      }
    }
    return names;
  };

  const isOwnField = (member: TS.ClassElement): boolean =>
    ts.isPropertyDeclaration(member) &&
    !member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword || m.kind === ts.SyntaxKind.DeclareKeyword) &&
    !ts.isPrivateIdentifier(member.name);

  walk(type, 'root');
  return { findings, unknowable };
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
