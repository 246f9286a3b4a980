// Node's host objects and the web-platform classes, as realm/registry.ts knows their values, and the
// other classes of Node's own declarations (Worker, ChildProcess, EventEmitter, sockets, ...).
import { createRequire, isBuiltin } from 'node:module';
import { createHistogram } from 'node:perf_hooks';
import { runInNewContext } from 'node:vm';
import type * as TS from 'typescript';
import { channelInfo, ruleOnLine } from '../channels/index.js';
import type { FindingArgsByCode, FindingCode } from '../findings/codes.js';
import { getOwnPropertyDescriptor, getPrototypeOf } from '../realm/intrinsics.js';
import { nameOfPrototype, type HostInfo } from '../realm/registry.js';
import type { Channel } from '../types.js';
import { protoInfoOf, protoToJSON, type ProtoInfo } from '../walk/prototype.js';
import { UNKNOWN_BYTES, baseTypesOf, classSymbolOf, isLibraryFile, onChannel, onEvery, onJson, type JudgeContext, type On } from './judge-context.js';
import type { TypeScript } from './typescript.js';

/**
 * A type of Node's or the web platform's declarations, judged as `check()` judges its values: the
 * class is found where Node keeps it at run time (a global, or an export of the `node:` module the
 * type is declared in, through its namespaces: `crypto.webcrypto.CryptoKey`), and
 * `realm/registry.ts` says what its prototype is. An interface with no class of its own is judged by
 * the class it extends (`SecretKeyObject` is a `KeyObject`), else by its name where the registry
 * knows a type by name only (`FileHandle`). Nothing of the user's is loaded or run.
 */
function hostOfType(cx: JudgeContext, type: TS.Type): ProtoInfo | undefined {
  const symbol = type.getSymbol() ?? type.aliasSymbol;
  return symbol ? hostOfSymbol(cx, symbol, 0) : undefined;
}

const known = new WeakMap<TS.Symbol, ProtoInfo | null>();

function hostOfSymbol(cx: JudgeContext, symbol: TS.Symbol, depth: number): ProtoInfo | undefined {
  const cached = known.get(symbol);
  if (cached !== undefined) return cached ?? undefined;
  let found: ProtoInfo | undefined;
  if (isLibrarySymbol(symbol)) {
    const name = symbol.getName();
    const ctor = classOfSymbol(cx.ts, symbol);
    const made = ctor ? undefined : MADE_BY[name];
    if (ctor) found = hostOfPrototype(getOwnPropertyDescriptor(ctor, 'prototype')?.value);
    else if (made) found = hostOfPrototype(sampleOf(made));
    else found = baseHost(cx, symbol, depth) ?? hostOfPrototype(namedStandIn(name));
  }
  known.set(symbol, found ?? null);
  return found;
}

/**
 * Node's types that no module exports a class of: Node's own factory makes a sample, whose
 * prototype the registry knows. Made once, when first met; nothing of the user's runs.
 */
const MADE_BY: Readonly<Record<string, () => object>> = {
  RecordableHistogram: () => createHistogram(),
};

function sampleOf(make: () => object): object | undefined {
  try {
    return getPrototypeOf(make()) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * An engine object no serializer writes, by its declared type's class at run time: an `Intl`
 * formatter, collator, segmenter, ... (`Intl.DateTimeFormat`), named as `check()` names it.
 */
export function engineObjectName(cx: JudgeContext, type: TS.Type): string | undefined {
  const symbol = type.getSymbol();
  const ctor = symbol ? classOfSymbol(cx.ts, symbol) : undefined;
  const proto = ctor ? (getOwnPropertyDescriptor(ctor, 'prototype')?.value as unknown) : undefined;
  const name = proto !== null && typeof proto === 'object' ? nameOfPrototype(proto) : undefined;
  return name?.startsWith('Intl.') ? name : undefined;
}

/** The first base type of an interface (or class) that is a host type. */
function baseHost(cx: JudgeContext, symbol: TS.Symbol, depth: number): ProtoInfo | undefined {
  if (depth > 8 || !(symbol.flags & (cx.ts.SymbolFlags.Interface | cx.ts.SymbolFlags.Class))) return undefined;
  for (const base of baseTypesOf(cx, symbol)) {
    const baseSymbol = base.getSymbol();
    const host = baseSymbol ? hostOfSymbol(cx, baseSymbol, depth + 1) : undefined;
    if (host) return host;
  }
  return undefined;
}

/** The facts `check()` reads of a value with this prototype, when the registry calls it a host or platform type. */
function hostOfPrototype(proto: unknown): ProtoInfo | undefined {
  if (proto === null || typeof proto !== 'object') return undefined;
  const info = protoInfoOf(new Map(), proto);
  return info.host ? info : undefined;
}

/** A prototype whose constructor has only a name: how the registry is asked about a type it knows by name. */
function namedStandIn(name: string): object {
  const ctor = function (): void {};
  Object.defineProperty(ctor, 'name', { value: name });
  return Object.create(null, { constructor: { value: ctor } }) as object;
}

const requireBuiltin = createRequire(import.meta.url);

const classes = new WeakMap<TS.Symbol, object | null>();

/** The class a symbol of the libraries' declarations names at run time, looked up once per symbol. */
function classOfSymbol(ts: TypeScript, symbol: TS.Symbol): object | undefined {
  let found = classes.get(symbol);
  if (found === undefined) {
    const decls = (symbol.getDeclarations() ?? []).filter((d) => isLibraryFile(d.getSourceFile().fileName));
    found = (decls.length > 0 ? runtimeClass(ts, symbol.getName(), decls) : undefined) ?? null;
    classes.set(symbol, found);
  }
  return found ?? undefined;
}

/** Whether a symbol is declared in the default libraries or a package's declarations. */
function isLibrarySymbol(symbol: TS.Symbol): boolean {
  return (symbol.getDeclarations() ?? []).some((d) => isLibraryFile(d.getSourceFile().fileName));
}

/** The class a declaration names at run time: an export of Node's module it is declared in, or a global. */
function runtimeClass(ts: TypeScript, name: string, decls: readonly TS.Declaration[]): object | undefined {
  for (const decl of decls) {
    const { module, namespaces } = declaredIn(ts, decl);
    const roots: unknown[] = [];
    if (module !== undefined && isBuiltin(module)) {
      try {
        roots.push(requireBuiltin(module.startsWith('node:') ? module : `node:${module}`));
      } catch {
        // A module this Node.js does not have (or has behind a flag).
      }
    }
    roots.push(globalThis);
    for (const root of roots) {
      const found = member(root, [...namespaces, name]);
      if (typeof found === 'function') return found;
    }
    // A class Node's declarations keep in a namespace and Node keeps as a global (`crypto.webcrypto.CryptoKey`).
    const global = namespaces.length > 0 ? member(globalThis, [name]) : undefined;
    if (typeof global === 'function') return global;
  }
  return undefined;
}

function member(root: unknown, keys: readonly string[]): unknown {
  let at = root;
  for (const key of keys) {
    if (at === null || (typeof at !== 'object' && typeof at !== 'function')) return undefined;
    try {
      at = (at as Record<string, unknown>)[key];
    } catch {
      return undefined;
    }
  }
  return at;
}

/** The `declare module 'x'` a declaration sits in, and the namespaces between (`webcrypto` in crypto). */
function declaredIn(ts: TypeScript, decl: TS.Node): { module?: string; namespaces: string[] } {
  const namespaces: string[] = [];
  for (let node = decl.parent; node; node = node.parent) {
    if (!ts.isModuleDeclaration(node)) continue;
    if (ts.isStringLiteral(node.name)) return { module: node.name.text, namespaces };
    // `declare global { ... }`: a global, whatever encloses it.
    if (node.flags & ts.NodeFlags.GlobalAugmentation) return { namespaces };
    namespaces.unshift(node.name.text);
  }
  return { namespaces };
}

/** A host or platform type: each channel's rule for its kind on the target's line. True when `type` is one. */
export function judgeHost(cx: JudgeContext, type: TS.Type, declared: string): HostFields | undefined {
  const proto = hostOfType(cx, type);
  const info = proto?.host;
  if (!proto || !info) return undefined;
  const name = info.name;
  const fields: HostFields = { type: name, dropped: [], sent: [], exact: [] };
  for (const channel of cx.options.channels) {
    const on = onChannel(channel);
    if (onJson(channel)) {
      if (jsonHost(cx, proto, info, on)) fields.sent.push(channel);
      continue;
    }
    // A port or stream of a type the transferList holds is taken to be moved by it.
    const transferred = cx.options.transfers?.some((t) => t === declared || t === name) ?? false;
    const hosts = channelInfo(channel).hosts;
    const code = ruleOnLine(hosts?.byType?.[name] ?? hosts?.[info.kind], cx.targetMajor);
    if (code === 'TRANSFER_REQUIRED' && transferred) cx.emit('TRANSFERRED', on, { type: name });
    else if (code) emitHost(cx, code, channel, name);
    // As check() does: rebuilt from its slots (no rule, a File as a Blob, another prototype, moved), or written as its own properties.
    if (code === 'HOST_OBJECT_BECOMES_OBJECT' || code === 'PLATFORM_OBJECT_BECOMES_PLAIN') fields.sent.push(channel);
    else if (!code || code === 'FILE_BECOMES_BLOB' || code === 'HOST_OBJECT_PROTOTYPE_CHANGED' || transferred) fields.dropped.push(channel);
    if (!code) fields.exact.push(channel);
  }
  return fields;
}

/** Where a host object's own properties go: dropped on the channels that rebuild it from its slots, sent (with their rules) on those that write its properties. */
export interface HostFields {
  /** The host type as check() names it. */
  readonly type: string;
  readonly dropped: Channel[];
  readonly sent: Channel[];
  /** The channels with no rule for the type: they copy it exactly from its slots, as the base class. */
  readonly exact: Channel[];
}

/** JSON and a host object: the toJSON() its prototype has (a platform class's returns its data), else its own properties. True when those are sent. */
function jsonHost(cx: JudgeContext, proto: ProtoInfo, info: HostInfo, on: On): boolean {
  const toJSON = protoToJSON(proto);
  const type = info.name;
  if (toJSON.found && !toJSON.intrinsic) cx.emit('TOJSON_CALLED', on, { own: false, ...(proto.className ? { className: proto.className } : {}) });
  else if (toJSON.found) cx.emit('PLATFORM_OBJECT_BECOMES_PLAIN', on, { type, viaToJSON: true });
  else cx.emit(info.host ? 'HOST_OBJECT_BECOMES_OBJECT' : 'PLATFORM_OBJECT_BECOMES_PLAIN', on, { type });
  return !toJSON.found;
}

/** A host rule's code from a channel module, with the args that code records. */
function emitHost(cx: JudgeContext, code: FindingCode, channel: Channel, type: string): void {
  const on = onChannel(channel);
  switch (code) {
    case 'FILE_BECOMES_BLOB':
    case 'SHARED_MEMORY_NOT_SERIALIZABLE':
      return cx.emit(code, on, {});
    case 'SHARED_MEMORY':
      return cx.emit(code, on, UNKNOWN_BYTES);
    default:
      return cx.emit(code, on, { type } as FindingArgsByCode['UNCLONEABLE_TYPE']);
  }
}

/**
 * An instance of a class that Node's own declarations (or TypeScript's libraries) declare and no rule
 * above knows. Every channel sends it as a plain object without its prototype (measured: `check()`
 * of real instances). A `Worker`, `ChildProcess`, socket, stream or other `EventEmitter` is a handle:
 * its state is Node's, not its declared members (mostly getters on the prototype), so nothing below it
 * is judged (`'whole'`). Another class (`MessageChannel`, `fs.Stats`) declares its own data, which is
 * judged as any object's (`'instance'`). False when `type` is not such a class.
 */
export function judgeLibraryClass(cx: JudgeContext, type: TS.Type): 'whole' | 'instance' | false {
  const ts = cx.ts;
  const symbol = classSymbolOf(cx, type) ?? platformInterface(cx, type);
  if (!symbol) return false;
  const decls = symbol.getDeclarations() ?? [];
  if (!decls.some((d) => (ts.isClassDeclaration(d) || ts.isInterfaceDeclaration(d)) && isLibraryFile(d.getSourceFile().fileName))) return false;
  const methods: string[] = [];
  const getters: string[] = [];
  const setters: string[] = [];
  for (const prop of cx.checker.getPropertiesOfType(type)) {
    const name = prop.getName();
    if (name.startsWith('__@')) continue;
    for (const d of prop.getDeclarations() ?? []) {
      const list =
        ts.isMethodDeclaration(d) || ts.isMethodSignature(d)
          ? methods
          : ts.isGetAccessorDeclaration(d)
            ? getters
            : ts.isSetAccessorDeclaration(d)
              ? setters
              : undefined;
      if (list && !list.includes(name)) list.push(name);
    }
  }
  cx.emit('PROTOTYPE_LOST', onEvery, { className: symbol.getName(), methods, getters, setters });
  return isEmitter(cx, cx.checker.getDeclaredTypeOfSymbol(symbol), 0) ? 'whole' : 'instance';
}

/**
 * A library interface whose values are instances of a class Node has at run time that is not one of
 * the language's own (`lib.dom`'s `interface MessageChannel`: Node's `MessageChannel`).
 */
function platformInterface(cx: JudgeContext, type: TS.Type): TS.Symbol | undefined {
  const symbol = type.getSymbol();
  if (!symbol || !(symbol.flags & cx.ts.SymbolFlags.Interface)) return undefined;
  const name = symbol.getName();
  if (languageGlobals().has(name)) return undefined;
  return classOfSymbol(cx.ts, symbol) ? symbol : undefined;
}

let language: ReadonlySet<string> | undefined;
/** The globals of the language itself: those of a fresh context, which has none of Node's or the web platform's. */
function languageGlobals(): ReadonlySet<string> {
  language ??= new Set(runInNewContext('Object.getOwnPropertyNames(globalThis)') as string[]);
  return language;
}

/** Whether a class is Node's EventEmitter or extends it. */
function isEmitter(cx: JudgeContext, type: TS.Type, depth: number): boolean {
  if (type.getSymbol()?.getName() === 'EventEmitter') return true;
  const ObjectFlags = cx.ts.ObjectFlags;
  if (type.flags & cx.ts.TypeFlags.Object && (type as TS.ObjectType).objectFlags & ObjectFlags.Reference) type = (type as TS.TypeReference).target;
  if (depth > 16 || !(type.flags & cx.ts.TypeFlags.Object) || !((type as TS.ObjectType).objectFlags & (cx.ts.ObjectFlags.Class | cx.ts.ObjectFlags.Interface)))
    return false;
  return cx.checker.getBaseTypes(type as TS.InterfaceType).some((base) => isEmitter(cx, base, depth + 1));
}
