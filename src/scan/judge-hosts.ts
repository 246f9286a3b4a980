// Node's host objects and the web-platform classes, by the name their type is declared with, and the
// other classes of Node's own declarations (Worker, ChildProcess, EventEmitter, sockets, ...).
import type * as TS from 'typescript';
import { channelInfo, ruleOnLine } from '../channels/index.js';
import type { FindingArgsByCode, FindingCode } from '../findings/codes.js';
import { PLATFORM_TYPE_NAMES, type HostKind } from '../realm/registry.js';
import type { Channel } from '../types.js';
import { UNKNOWN_BYTES, isLibraryFile, onChannel, onCloneViews, onEvery, onJson, type JudgeContext } from './judge-context.js';

interface HostType {
  readonly kind: HostKind;
  /** Node treats it as a host object (JSON and fork-advanced send its enumerable own properties). */
  readonly host: boolean;
  /** The name its values have at run time, when the type's differs (`SecretKeyObject` is a `KeyObject`). */
  readonly name?: string;
}

/**
 * Host and platform types by declared name, with their kind as `realm/registry.ts` classifies their
 * values; each channel module says what each kind does on each Node.js line.
 */
const HOSTS: Readonly<Record<string, HostType>> = {
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
  ...Object.fromEntries(PLATFORM_TYPE_NAMES.map((n) => [n, { kind: 'platform' as const, host: false }])),
};

/** Platform classes whose own toJSON() JSON calls. */
const HOST_TOJSON = new Set(['URL']);

/** A host or platform type: each channel's rule for its kind on the target's line. True when `name` is one. */
export function judgeHost(cx: JudgeContext, name: string): boolean {
  const host = HOSTS[name];
  if (!host) return false;
  const type = host.name ?? name;
  for (const channel of cx.options.channels) {
    const on = onChannel(channel);
    if (onJson(channel)) {
      if (HOST_TOJSON.has(name)) cx.emit('PLATFORM_OBJECT_BECOMES_PLAIN', on, { type, viaToJSON: true });
      else if (host.host) cx.emit('HOST_OBJECT_BECOMES_OBJECT', on, { type });
      else cx.emit('PLATFORM_OBJECT_BECOMES_PLAIN', on, { type });
      continue;
    }
    // A port or stream of a type the transferList holds is taken to be moved by it.
    if (onCloneViews(channel) && host.kind === 'transfer-only' && cx.options.transfers?.includes(name)) {
      cx.emit('TRANSFERRED', on, { type });
      continue;
    }
    const hosts = channelInfo(channel).hosts;
    const code = ruleOnLine(hosts?.byType?.[type] ?? hosts?.[host.kind], cx.targetMajor);
    if (code) emitHost(cx, code, channel, type);
  }
  return true;
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
  const symbol = type.getSymbol();
  if (!symbol || !(symbol.flags & ts.SymbolFlags.Class)) return false;
  const decls = symbol.getDeclarations() ?? [];
  if (!decls.some((d) => ts.isClassDeclaration(d) && isLibraryFile(d.getSourceFile().fileName))) return false;
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

/** Whether a class is Node's EventEmitter or extends it. */
function isEmitter(cx: JudgeContext, type: TS.Type, depth: number): boolean {
  if (type.getSymbol()?.getName() === 'EventEmitter') return true;
  const ObjectFlags = cx.ts.ObjectFlags;
  if (type.flags & cx.ts.TypeFlags.Object && (type as TS.ObjectType).objectFlags & ObjectFlags.Reference) type = (type as TS.TypeReference).target;
  if (depth > 16 || !(type.flags & cx.ts.TypeFlags.Object) || !((type as TS.ObjectType).objectFlags & (cx.ts.ObjectFlags.Class | cx.ts.ObjectFlags.Interface)))
    return false;
  return cx.checker.getBaseTypes(type as TS.InterfaceType).some((base) => isEmitter(cx, base, depth + 1));
}
