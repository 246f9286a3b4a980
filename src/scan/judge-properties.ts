// The members of an object type: its properties (data, accessors, symbol keys), its index
// signatures, and the `cmd` of an IPC message that Node swallows.
import type * as TS from 'typescript';
import { isInternalCmd } from '../walk/properties.js';
import { ANY_KEY, isLibraryFile, onEvery, onIpc, onJson, onNot, type JudgeContext } from './judge-context.js';

/** Judges the properties of an object type; `cls` is the user's class it is an instance of, if any. */
export function judgeProperties(cx: JudgeContext, type: TS.Type, cls: TS.ClassLikeDeclaration | undefined): void {
  const { ts, checker } = cx;
  // A toJSON() replaces what JSON sends: the properties below are judged for the other channels only.
  const toJSON = checker.getPropertyOfType(type, 'toJSON');
  const hasToJSON = toJSON !== undefined;
  // A class's toJSON() is its judge's to report; an object's own one is reported here.
  if (toJSON && !cls) judgeOwnToJSON(cx, toJSON);
  if (cx.path.length === 0 && cx.options.root === 'message') judgeCmd(cx, type);
  const brands = brandKeys(cx, type);
  for (const prop of checker.getPropertiesOfType(type)) {
    if (brands.has(prop.escapedName)) continue;
    const decl = prop.valueDeclaration ?? prop.getDeclarations()?.[0];
    const onPrototype = decl !== undefined && (ts.isMethodDeclaration(decl) || ts.isGetAccessorDeclaration(decl) || ts.isSetAccessorDeclaration(decl));
    // A class's methods and accessors live on its prototype: PROTOTYPE_LOST has named them. So do a library type's.
    if (onPrototype && (cls || isLibraryFile(decl.getSourceFile().fileName))) continue;
    // A brand (`T & { readonly __brand: unique symbol }`) exists only in the types: no value holds it.
    if (decl && isBrand(ts, decl)) continue;
    const symbolKey = symbolKeyOf(prop);
    if (symbolKey !== undefined) {
      cx.emit('SYMBOL_KEY_DROPPED', onEvery, {}, symbolKey);
      continue;
    }
    const key = prop.getName();
    if (prop.flags & ts.SymbolFlags.GetAccessor || (decl && ts.isGetAccessorDeclaration(decl))) {
      const setter = (prop.flags & ts.SymbolFlags.SetAccessor) !== 0;
      cx.emit('ACCESSOR_FLATTENED', onEvery, { getter: true, setter }, key);
      if (hasToJSON) continue;
    } else if (prop.flags & ts.SymbolFlags.SetAccessor) {
      cx.emit('ACCESSOR_FLATTENED', onEvery, { getter: false, setter: true }, key);
      continue;
    }
    judgeProperty(cx, prop, decl, key, hasToJSON);
  }
  for (const info of checker.getIndexInfosOfType(type)) {
    if (info.keyType.flags & ts.TypeFlags.ESSymbolLike) {
      cx.emit('SYMBOL_KEY_DROPPED', onEvery, {}, ANY_KEY);
      continue;
    }
    cx.descend(ANY_KEY, () => cx.walk(info.type, 'property'));
  }
}

/**
 * The keys of the brands an intersection carries: a member of it that has only symbol-keyed
 * properties (`{ id: number } & z.BRAND<'Order'>`, `T & { readonly [brand]: 'Order' }`) marks the
 * type, and no value holds those keys.
 */
function brandKeys(cx: JudgeContext, type: TS.Type): ReadonlySet<TS.__String> {
  const keys = new Set<TS.__String>();
  if (!type.isIntersection()) return keys;
  for (const member of type.types) {
    if (!(member.flags & cx.ts.TypeFlags.Object) || member.getCallSignatures().length > 0 || cx.checker.getIndexInfosOfType(member).length > 0) continue;
    const props = cx.checker.getPropertiesOfType(member);
    if (props.length > 0 && props.every((p) => symbolKeyOf(p) !== undefined)) for (const p of props) keys.add(p.escapedName);
  }
  return keys;
}

/** A member whose type is written `unique symbol` in an interface or type literal: the brand idiom, a member no value has. */
export function isBrand(ts: typeof TS, decl: TS.Declaration): boolean {
  return ts.isPropertySignature(decl) && decl.type !== undefined && ts.isTypeOperatorNode(decl.type) && decl.type.operator === ts.SyntaxKind.UniqueKeyword;
}

/** JSON calls a toJSON() the object has: its own (an object literal's method) or its class's. */
function judgeOwnToJSON(cx: JudgeContext, toJSON: TS.Symbol): void {
  const ts = cx.ts;
  const decl = toJSON.valueDeclaration ?? toJSON.getDeclarations()?.[0];
  const owner = decl && ts.isClassLike(decl.parent) ? decl.parent : undefined;
  if (owner) cx.emit('TOJSON_CALLED', onJson, { own: false, ...(owner.name ? { className: owner.name.text } : {}) });
  else cx.emit('TOJSON_CALLED', onJson, { own: true });
}

/** A data property's value. */
function judgeProperty(cx: JudgeContext, prop: TS.Symbol, decl: TS.Declaration | undefined, key: string, hasToJSON: boolean): void {
  const ts = cx.ts;
  const propType = cx.checker.getTypeOfSymbol(prop);
  // `a?: T` is a key that may be absent, and JSON keeps absence: only an explicit `| undefined` is judged.
  const absentOnly = (prop.flags & ts.SymbolFlags.Optional) !== 0 && !mentionsUndefined(cx, decl);
  const members = absentOnly && propType.isUnion() ? propType.types.filter((t) => !(t.flags & ts.TypeFlags.Undefined)) : [propType];
  for (const member of members) {
    if (hasToJSON) cx.descend(key, () => cx.walkOn(onNot(onJson), member, 'property'));
    else cx.descend(key, () => cx.walk(member, 'property', decl));
  }
}

/** `{ cmd: 'NODE_...' }` as the whole message of an IPC send: Node takes it for one of its own and swallows it. */
function judgeCmd(cx: JudgeContext, type: TS.Type): void {
  const cmd = cx.checker.getPropertyOfType(type, 'cmd');
  if (!cmd) return;
  const cmdType = cx.checker.getTypeOfSymbol(cmd);
  const values = cmdType.isUnion() ? cmdType.types : [cmdType];
  const swallowed = values.find((t) => t.isStringLiteral() && isInternalCmd(t.value));
  if (swallowed?.isStringLiteral()) cx.emit('MESSAGE_SWALLOWED', onIpc, { cmd: swallowed.value });
}

/**
 * Whether the declared type of a property says `undefined` itself (`a?: T | undefined`, `a: T | void`,
 * an alias of such a union), not only somewhere inside it (`a?: () => void`, `a?: (T | undefined)[]`).
 * A declaration without a written type (an object literal's property) is taken as it was inferred.
 */
function mentionsUndefined(cx: JudgeContext, decl: TS.Declaration | undefined): boolean {
  const ts = cx.ts;
  const node = decl && (decl as { type?: TS.TypeNode }).type;
  if (!node) return decl !== undefined && !ts.isPropertySignature(decl) && !ts.isPropertyDeclaration(decl);
  const declared = cx.checker.getTypeFromTypeNode(node);
  const members = declared.isUnion() ? declared.types : [declared];
  return members.some((t) => (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) !== 0);
}

function symbolKeyOf(prop: TS.Symbol): symbol | undefined {
  const name = prop.escapedName as string;
  if (!name.startsWith('__@')) return undefined;
  // '__@description@1234' for a unique symbol, '__@iterator@12' for well-known ones.
  const description = name.slice(3).replace(/@\d+$/, '');
  return Symbol(description);
}
