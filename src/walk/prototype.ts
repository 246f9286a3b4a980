// Prototype facts, read once per prototype per check: what built-in or host type a chain belongs
// to, its class name, methods, getters and #private names, and whether it has a toJSON.
import type { FindingArgsByCode } from '../findings/codes.js';
import {
  functionToString,
  getOwnPropertyDescriptor,
  getPrototypeOf,
  includes,
  isProxy,
  ownKeys,
  regexpExec,
  SafeWeakMap,
  stringCharCodeAt,
  stringEndsWith,
  stringSlice,
  stringStartsWith,
  types,
  viewTag,
} from '../realm/intrinsics.js';
import {
  builtinPrototypeName,
  constructorName,
  foreignBuiltinName,
  hostInfoOfChain,
  INTRINSIC_TOJSON,
  nameOfPrototype,
  type HostInfo,
} from '../realm/registry.js';

const CANONICAL_INDEX = /^(?:0|[1-9]\d*)$/;
const ARROW = /^(?:async\s*)?(?:\([^)]*\)|[\w$]+)\s*=>/;
/** A canonical array index ("0", "17"), as a string key. */
export const isIndexKey = (key: string): boolean => regexpExec(CANONICAL_INDEX, key) !== null && Number(key) < 4294967295;

export interface ProtoInfo {
  /** Object.prototype of any realm. */
  readonly objectProto: boolean;
  /** Name of the built-in this prototype belongs to ('Array', 'Map', ...), any realm. */
  readonly builtin: string | undefined;
  readonly chain: readonly object[];
  /** False when a Proxy sits on the chain (then nothing past it is read). */
  readonly readable: boolean;
  /** The Proxy where reading the chain stopped. */
  readonly proxy?: object;
  readonly host: HostInfo | undefined;
  readonly className: string | undefined;
  /** Names of the built-ins on the chain, nearest first. */
  readonly builtins: readonly string[];
  /** The built-in (or iterator, or Intl type) whose prototype this one is, of any realm. */
  readonly ownBuiltin: string | undefined;
  classDetails?: { methods: string[]; getters: string[]; setters: string[]; fields: string[] };
  /** What protoToJSON() found (named so that no toJSON a program puts on Object.prototype is read as it). */
  jsonHook?: { found: boolean; intrinsic: boolean; fn?: unknown };
  indexFree?: boolean;
  /** The args of PROTOTYPE_LOST and PRIVATE_FIELDS_DROPPED, made once per prototype and frozen. */
  lostArgs?: FindingArgsByCode['PROTOTYPE_LOST'];
  fieldsArgs?: FindingArgsByCode['PRIVATE_FIELDS_DROPPED'];
}

export function protoInfoOf(protos: Map<object, ProtoInfo>, proto: object): ProtoInfo {
  let info = protos.get(proto);
  if (info) return info;
  const chain: object[] = [];
  const builtins: string[] = [];
  let readable = true;
  let objectProto = false;
  let stop: object | undefined;
  let ownBuiltin: string | undefined;
  for (let p: object | null = proto; p !== null;) {
    if (isProxy(p)) {
      readable = false;
      stop = p;
      break;
    }
    chain[chain.length] = p;
    const name = nameOfPrototype(p);
    if (name) builtins[builtins.length] = name;
    if (p === proto) ownBuiltin = name;
    p = getPrototypeOf(p);
    if (chain.length > 10000) break;
  }
  const builtin = readable ? (builtinPrototypeName(proto) ?? foreignBuiltinName(proto)) : undefined;
  objectProto = builtin === 'Object';
  info = {
    objectProto,
    builtin,
    chain,
    readable,
    ...(stop ? { proxy: stop } : {}),
    host: hostInfoOfChain(chain),
    className: constructorName(proto),
    builtins,
    ownBuiltin,
  };
  protos.set(proto, info);
  return info;
}

export function protoToJSON(info: ProtoInfo): { found: boolean; intrinsic: boolean; fn?: unknown } {
  if (!info.jsonHook) {
    info.jsonHook = { found: false, intrinsic: false };
    const chain = info.chain;
    for (let j = 0; j < chain.length; j++) {
      const p = chain[j]!;
      const d = getOwnPropertyDescriptor(p, 'toJSON');
      if (!d) continue;
      if (d.get !== undefined || typeof d.value === 'function') {
        info.jsonHook = {
          found: true,
          fn: d.value,
          intrinsic:
            d.get === undefined &&
            (INTRINSIC_TOJSON.has(d.value) ||
              builtinPrototypeName(p) !== undefined ||
              foreignBuiltinName(p) !== undefined ||
              hostInfoOfChain([p]) !== undefined),
        };
      }
      break;
    }
  }
  return info.jsonHook;
}

export function inheritedData(info: ProtoInfo, key: string): unknown {
  const chain = info.chain;
  for (let j = 0; j < chain.length; j++) {
    const p = chain[j]!;
    const d = getOwnPropertyDescriptor(p, key);
    if (d) return 'value' in d ? d.value : undefined;
  }
  return undefined;
}

export function classDetails(info: ProtoInfo): NonNullable<ProtoInfo['classDetails']> {
  if (info.classDetails) return info.classDetails;
  const methods: string[] = [];
  const getters: string[] = [];
  const setters: string[] = [];
  const fields: string[] = [];
  const chain = info.chain;
  for (let j = 0; j < chain.length; j++) {
    const p = chain[j]!;
    if (builtinPrototypeName(p) !== undefined || foreignBuiltinName(p) === 'Object') break;
    const keys = ownKeys(p);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      if (key === 'constructor') {
        const ctor = getOwnPropertyDescriptor(p, key)?.value as unknown;
        if (typeof ctor === 'function' && !isProxy(ctor)) {
          const declared = privateFieldsOf(ctor);
          for (let d = 0; d < declared.length; d++) if (!includes(fields, declared[d]!)) fields[fields.length] = declared[d]!;
        }
        continue;
      }
      const d = getOwnPropertyDescriptor(p, key)!;
      const name = typeof key === 'symbol' ? `[${String(key)}]` : key;
      if (d.get) getters[getters.length] = name;
      if (d.set) setters[setters.length] = name;
      if (!d.get && !d.set && typeof d.value === 'function') methods[methods.length] = name;
    }
  }
  info.classDetails = { methods, getters, setters, fields };
  return info.classDetails;
}

/** No Proxy and no index-like key on the chain: reading a hole runs nothing and finds nothing. */
export function chainIndexFree(info: ProtoInfo): boolean {
  if (info.indexFree === undefined) {
    let free = info.readable;
    for (let j = 0; free && j < info.chain.length; j++) {
      const keys = ownKeys(info.chain[j]!);
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k]!;
        if (typeof key === 'string' && isIndexKey(key)) free = false;
      }
    }
    info.indexFree = free;
  }
  return info.indexFree;
}

/** `#private` names a class's source declares (reading the source runs nothing).
 * A function's source never changes: what it declares is read once per constructor, across checks. */
const PRIVATE_FIELDS = new SafeWeakMap<object, readonly string[]>();

function privateFieldsOf(ctor: object): readonly string[] {
  let fields = PRIVATE_FIELDS.get(ctor);
  if (!fields) PRIVATE_FIELDS.set(ctor, (fields = readPrivateFields(ctor)));
  return fields;
}

function readPrivateFields(ctor: object): string[] {
  let source: string;
  try {
    source = functionToString(ctor);
  } catch {
    return [];
  }
  return stringStartsWith(source, 'class') ? privateNames(source) : [];
}

export function describeFunction(fn: unknown): FindingArgsByCode['FUNCTION_NOT_CLONEABLE'] {
  if (isProxy(fn)) return { type: 'proxied function' };
  const nameDesc = getOwnPropertyDescriptor(fn as object, 'name');
  const name = nameDesc && typeof nameDesc.value === 'string' && nameDesc.value !== '' ? nameDesc.value : undefined;
  let type = 'function';
  if (types.isAsyncFunction(fn)) type = types.isGeneratorFunction(fn) ? 'async generator function' : 'async function';
  else if (types.isGeneratorFunction(fn)) type = 'generator function';
  else {
    let source = '';
    try {
      source = functionToString(fn);
    } catch {
      /* a function whose source cannot be read */
    }
    if (stringStartsWith(source, 'class')) type = 'class';
    else if (name !== undefined && stringStartsWith(name, 'bound ')) type = 'bound function';
    else if (stringEndsWith(source, '{ [native code] }')) type = 'built-in function';
    else if (!getOwnPropertyDescriptor(fn as object, 'prototype')) type = regexpExec(ARROW, source) !== null ? 'arrow function' : 'method';
  }
  return name ? { type, name } : { type };
}

export function kindName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  if (isProxy(value)) return 'Proxy';
  if (types.isSharedArrayBuffer(value)) return 'SharedArrayBuffer';
  if (types.isArrayBufferView(value)) return types.isDataView(value) ? 'DataView' : `${viewTag(value)} (transfer its .buffer)`;
  return constructorName(getPrototypeOf(value) ?? Object.prototype) ?? 'object';
}

export function bytesPerElement(type: string): number {
  // By the digits in the name (Float64Array, Int32Array, ...), read without String.prototype.
  return stringEndsWith(type, '64Array') ? 8 : stringEndsWith(type, '32Array') ? 4 : stringEndsWith(type, '16Array') ? 2 : 1;
}

/**
 * The `#names` a class's source declares or uses, skipping strings, comments and template text.
 * A hand-written scan: no RegExp method runs, so a patched RegExp.prototype cannot be called.
 */
function privateNames(source: string): string[] {
  const names: string[] = [];
  const n = source.length;
  for (let i = 0; i < n; i++) {
    const c = stringCharCodeAt(source, i);
    if (c === 47 /* / */ && stringCharCodeAt(source, i + 1) === 47) {
      while (i < n && stringCharCodeAt(source, i) !== 10) i++;
    } else if (c === 47 && stringCharCodeAt(source, i + 1) === 42 /* * */) {
      i += 2;
      while (i < n && !(stringCharCodeAt(source, i) === 42 && stringCharCodeAt(source, i + 1) === 47)) i++;
      i++;
    } else if (c === 39 || c === 34 || c === 96) {
      for (i++; i < n && stringCharCodeAt(source, i) !== c; i++) if (stringCharCodeAt(source, i) === 92) i++;
    } else if (c === 35 /* # */ && isIdentifierStart(stringCharCodeAt(source, i + 1))) {
      let j = i + 1;
      while (j < n && isIdentifierPart(stringCharCodeAt(source, j))) j++;
      const name = stringSlice(source, i, j);
      if (!includes(names, name)) names[names.length] = name;
      i = j - 1;
    }
  }
  return names;
}

const isIdentifierStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
const isIdentifierPart = (c: number): boolean => isIdentifierStart(c) || (c >= 48 && c <= 57);
