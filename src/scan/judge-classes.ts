// Instances of the user's classes: plain classes (their prototype is lost), subclasses of Error, and
// subclasses of Map, Set, Date, Array, the typed arrays and the other built-ins with a subclass rule.
import type * as TS from 'typescript';
import { HOSTS_REBUILT_AS_SUBCLASS } from '../realm/registry.js';
import { aggregateErrorLost, isUncloneableBuiltin, NATIVE_ERRORS, SUBCLASSABLE, judgeBuiltin } from './judge-builtins.js';
import { judgeHost, type HostFields } from './judge-hosts.js';
import { isBrand } from './judge-properties.js';
import { ANY_KEY, baseTypesOf, classSymbolOf, isLibraryFile, onEvery, onJson, onV8, type JudgeContext } from './judge-context.js';

interface ClassChain {
  /** The class and its user-written bases, nearest first. */
  readonly chain: TS.ClassLikeDeclaration[];
  /** The built-in it ends on (`Error`, `Map`, ...), and its type as extended. */
  readonly builtin?: string;
  readonly builtinType?: TS.Type;
}

/** The user's class behind an instance type (or behind an interface that extends it), if it is one. */
export function classOf(cx: JudgeContext, type: TS.Type): TS.ClassLikeDeclaration | undefined {
  const ts = cx.ts;
  const symbol = classSymbolOf(cx, type);
  if (!symbol) return undefined;
  const decl = symbol.getDeclarations()?.find((d): d is TS.ClassLikeDeclaration => ts.isClassDeclaration(d) || ts.isClassExpression(d));
  return decl && !isLibraryFile(decl.getSourceFile().fileName) ? decl : undefined;
}

function baseClassOf(cx: JudgeContext, cls: TS.ClassLikeDeclaration): { decl?: TS.ClassLikeDeclaration; name?: string; type?: TS.Type } | undefined {
  const ts = cx.ts;
  const heritage = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  if (!heritage) return undefined;
  const baseType = cx.checker.getTypeAtLocation(heritage);
  const symbol = baseType.getSymbol();
  const decl = symbol?.getDeclarations()?.find((d): d is TS.ClassLikeDeclaration => ts.isClassDeclaration(d) || ts.isClassExpression(d));
  if (decl && !isLibraryFile(decl.getSourceFile().fileName)) return { decl };
  return symbol ? { name: symbol.getName(), type: baseType } : {};
}

function classChain(cx: JudgeContext, cls: TS.ClassLikeDeclaration): ClassChain {
  const chain: TS.ClassLikeDeclaration[] = [];
  let current: TS.ClassLikeDeclaration | undefined = cls;
  let builtin: string | undefined;
  let builtinType: TS.Type | undefined;
  while (current && !chain.includes(current)) {
    chain.push(current);
    const base = baseClassOf(cx, current);
    current = base?.decl;
    if (base?.name) builtin = base.name;
    if (base?.type) builtinType = base.type;
  }
  return { chain, ...(builtin ? { builtin } : {}), ...(builtinType ? { builtinType } : {}) };
}

/** Judges an instance of the user's class `cls`, except its properties (judged as any object's). True when that is all there is to judge. */
export function judgeInstance(cx: JudgeContext, type: TS.Type, cls: TS.ClassLikeDeclaration): boolean {
  const facts = classChain(cx, cls);
  if (facts.builtin !== undefined && NATIVE_ERRORS.has(facts.builtin)) {
    judgeError(cx, cls, facts);
    return true;
  }
  if (judgeBuiltinSubclass(cx, type, cls, facts)) return true;
  if (judgeLibrarySubclass(cx, type, cls, facts)) return true;
  judgeClass(cx, cls, facts);
  return false;
}

/**
 * A class that extends a host or platform class (Blob, URL, Headers, EventTarget) or a built-in no
 * serializer writes (Promise, WeakMap): `check()` judges the value as that class, whose rules name
 * no subclass. The subclass's own fields are dropped where the object is rebuilt from its slots and
 * sent, with their own rules, where it is written as its properties (JSON, Node's IPC).
 */
function judgeLibrarySubclass(cx: JudgeContext, type: TS.Type, cls: TS.ClassLikeDeclaration, { chain, builtin, builtinType }: ClassChain): boolean {
  if (!builtin || !builtinType) return false;
  let fields: HostFields | undefined = judgeHost(cx, builtinType, builtin);
  if (!fields) {
    if (!isUncloneableBuiltin(builtin)) return false;
    judgeBuiltin(cx, builtinType, builtin);
    fields = { type: builtin, dropped: [], sent: cx.options.channels.filter(onJson), exact: [] };
  }
  const { dropped, sent, exact } = fields;
  // Copied exactly from its slots, it arrives as the base class (Node makes and rebuilds its own subclasses of some).
  if (exact.length > 0 && !HOSTS_REBUILT_AS_SUBCLASS.has(fields.type)) {
    cx.emit('SUBCLASS_LOST', (c) => exact.includes(c), { className: cls.name?.text ?? `${fields.type} subclass`, base: fields.type });
  }
  for (const key of ownFieldNames(cx, chain)) {
    cx.emit('EXTRA_PROPERTY_DROPPED', (c) => dropped.includes(c), { type: fields.type }, key);
    const prop = cx.checker.getPropertyOfType(type, key);
    if (prop && sent.length > 0) cx.descend(key, () => cx.walkOn((c) => sent.includes(c), cx.checker.getTypeOfSymbol(prop), 'property'));
  }
  return true;
}

/**
 * A class that extends Map, Set, Date, RegExp, Array, a typed array, ArrayBuffer or DataView: the
 * clone channels send the built-in without the subclass or its own fields; JSON does what it does
 * to the built-in (an Array subclass is lost everywhere).
 */
function judgeBuiltinSubclass(cx: JudgeContext, type: TS.Type, cls: TS.ClassLikeDeclaration, facts: ClassChain): boolean {
  const { chain, builtin, builtinType } = facts;
  if (!builtin || !builtinType || !SUBCLASSABLE.has(builtin)) return false;
  const className = cls.name?.text ?? `${builtin} subclass`;
  if (builtin === 'Array') {
    cx.emit('SUBCLASS_LOST', onEvery, { className, base: 'Array' });
    const element = cx.checker.getIndexTypeOfType(type, cx.ts.IndexKind.Number);
    if (element) cx.descend(ANY_KEY, () => cx.walk(element, 'element'));
    return true;
  }
  cx.emit('SUBCLASS_LOST', onV8, { className, base: builtin });
  for (const key of ownFieldNames(cx, chain)) cx.emit('EXTRA_PROPERTY_DROPPED', onV8, { type: builtin }, key);
  judgeBuiltin(cx, builtinType, builtin);
  return true;
}

function judgeError(cx: JudgeContext, cls: TS.ClassLikeDeclaration, { chain, builtin }: ClassChain): void {
  const ts = cx.ts;
  const className = cls.name?.text ?? 'anonymous class';
  if (builtin === 'AggregateError') aggregateErrorLost(cx, className, true);
  else cx.emit('ERROR_TYPE_CHANGED', onV8, { from: className, to: builtin ?? 'Error', subclass: true });
  // JSON sends what a toJSON() returns instead of the error's enumerable properties.
  const toJSON = chain.some((c) => c.members.some((m) => ts.isMethodDeclaration(m) && memberKey(cx, m) === 'toJSON'));
  if (toJSON) cx.emit('TOJSON_CALLED', onJson, { own: false, className });
  else cx.emit('ERROR_BECOMES_OBJECT', onJson, { type: className });
  // Own fields declared by the subclasses: V8 copies only message, stack and cause.
  for (const key of ownFieldNames(cx, chain)) {
    if (key === 'message' || key === 'stack' || key === 'cause') continue;
    if (key === 'name') cx.emit('ERROR_NAME_DROPPED', onV8, { type: 'string' }, 'name');
    else cx.emit('ERROR_PROPERTY_DROPPED', onV8, { key }, key);
  }
}

function judgeClass(cx: JudgeContext, cls: TS.ClassLikeDeclaration, { chain }: ClassChain): void {
  const ts = cx.ts;
  const methods: string[] = [];
  const getters: string[] = [];
  const setters: string[] = [];
  const fields: string[] = [];
  let toJSON = false;
  const add = (list: string[], name: string): void => {
    if (!list.includes(name)) list.push(name);
  };
  for (const c of chain) {
    for (const member of c.members) {
      if (ts.canHaveModifiers(member) && ts.getModifiers(member)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) continue;
      const name = memberKey(cx, member);
      if (name === undefined) continue;
      if (member.name && ts.isPrivateIdentifier(member.name)) add(fields, name);
      else if (ts.isMethodDeclaration(member)) {
        add(methods, name);
        if (name === 'toJSON') toJSON = true;
      } else if (ts.isGetAccessorDeclaration(member)) add(getters, name);
      else if (ts.isSetAccessorDeclaration(member)) add(setters, name);
    }
  }
  const named = cls.name ? { className: cls.name.text } : {};
  cx.emit('PROTOTYPE_LOST', onEvery, { ...named, methods, getters, setters });
  if (fields.length > 0) cx.emit('PRIVATE_FIELDS_DROPPED', onEvery, { ...named, fields });
  if (toJSON) cx.emit('TOJSON_CALLED', onJson, { own: false, ...named });
}

function memberKey(cx: JudgeContext, member: TS.ClassElement): string | undefined {
  const ts = cx.ts;
  const name = member.name;
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

/** Fields the instances own: declared ones, and `this.x = ...` in a constructor (`this.name = 'HttpError'`). */
function ownFieldNames(cx: JudgeContext, chain: readonly TS.ClassLikeDeclaration[]): string[] {
  const ts = cx.ts;
  const names: string[] = [];
  const add = (name: string): void => {
    if (!names.includes(name)) names.push(name);
  };
  for (const c of chain) {
    for (const member of c.members) {
      const key = memberKey(cx, member);
      if (key !== undefined && isOwnField(cx, member)) add(key);
      if (!ts.isConstructorDeclaration(member)) continue;
      for (const p of member.parameters) if (ts.isIdentifier(p.name) && isParameterProperty(cx, p)) add(p.name.text);
      if (member.body) for (const name of thisAssignments(cx, member.body)) add(name);
    }
  }
  return names;
}

/** `constructor(public size: number)` and the other modifiers that make a parameter a field. */
function isParameterProperty(cx: JudgeContext, p: TS.ParameterDeclaration): boolean {
  const K = cx.ts.SyntaxKind;
  return (
    p.modifiers?.some((m) => m.kind === K.PublicKeyword || m.kind === K.PrivateKeyword || m.kind === K.ProtectedKeyword || m.kind === K.ReadonlyKeyword) ??
    false
  );
}

/** The names a constructor body assigns as `this.name = ...`, outside nested functions (arrow functions share its `this`). */
function thisAssignments(cx: JudgeContext, body: TS.Block): string[] {
  const ts = cx.ts;
  const names: string[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isFunctionLike(node) && !ts.isArrowFunction(node)) return;
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      node.left.expression.kind === ts.SyntaxKind.ThisKeyword &&
      ts.isIdentifier(node.left.name)
    )
      names.push(node.left.name.text);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return names;
}

function isOwnField(cx: JudgeContext, member: TS.ClassElement): boolean {
  const ts = cx.ts;
  return (
    ts.isPropertyDeclaration(member) &&
    !member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword || m.kind === ts.SyntaxKind.DeclareKeyword) &&
    !ts.isPrivateIdentifier(member.name)
  );
}

/**
 * An Error, Map, Set, Date, RegExp or typed array with members of its own, typed by an interface
 * that extends it (`NodeJS.ErrnoException`) or an intersection (`TypeError & { status: number }`):
 * `check()` judges the built-in, whose own properties the V8 channels drop and JSON sends. A class
 * is not this: its instances are judged by `judgeInstance()`.
 */
export function judgeExtendedBuiltin(cx: JudgeContext, type: TS.Type): boolean {
  const part = builtinPart(cx, type, 0);
  if (!part) return false;
  const { name, base } = part;
  const own = new Set(cx.checker.getPropertiesOfType(base).map((p) => p.escapedName));
  // Symbol keys and brands (`Date & { readonly __brand: unique symbol }`) are no own properties of the value.
  const isOwn = (p: TS.Symbol): boolean =>
    !own.has(p.escapedName) && !p.getName().startsWith('__@') && !(p.getDeclarations() ?? []).some((d) => isBrand(cx.ts, d));
  const extra = cx.checker.getPropertiesOfType(type).filter(isOwn);
  judgeBuiltin(cx, base, name);
  const error = NATIVE_ERRORS.has(name);
  for (const prop of extra) {
    const key = prop.getName();
    if (error && (key === 'message' || key === 'stack' || key === 'cause')) continue;
    if (error && key === 'name') cx.emit('ERROR_NAME_DROPPED', onV8, { type: 'string' }, key);
    else if (error) cx.emit('ERROR_PROPERTY_DROPPED', onV8, { key }, key);
    else cx.emit('EXTRA_PROPERTY_DROPPED', onV8, { type: name }, key);
    // JSON writes the built-in's enumerable own properties; an optional member may be absent, which JSON keeps.
    const propType = cx.checker.getTypeOfSymbol(prop);
    const optional = (prop.flags & cx.ts.SymbolFlags.Optional) !== 0;
    const members = optional && propType.isUnion() ? propType.types.filter((t) => !(t.flags & cx.ts.TypeFlags.Undefined)) : [propType];
    for (const member of members) cx.descend(key, () => cx.walkOn(onJson, member, 'property'));
  }
  return true;
}

/** The built-in a type extends or is intersected with, by a name `check()` has a rule for. */
function builtinPart(cx: JudgeContext, type: TS.Type, depth: number): { name: string; base: TS.Type } | undefined {
  if (depth > 8) return undefined;
  const named = libraryName(type);
  if (depth > 0 && named && (NATIVE_ERRORS.has(named) || (SUBCLASSABLE.has(named) && named !== 'Array'))) return { name: named, base: type };
  if (type.isIntersection()) {
    for (const member of type.types) {
      const found = builtinPart(cx, member, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  const symbol = type.getSymbol();
  if (!symbol || symbol.flags & cx.ts.SymbolFlags.Class || !(symbol.flags & cx.ts.SymbolFlags.Interface)) return undefined;
  for (const base of baseTypesOf(cx, symbol)) {
    const found = builtinPart(cx, base, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The name a type is declared with in the default libraries or Node's declarations. */
function libraryName(type: TS.Type): string | undefined {
  const symbol = type.getSymbol() ?? type.aliasSymbol;
  const decls = symbol?.getDeclarations() ?? [];
  return symbol && decls.some((d) => isLibraryFile(d.getSourceFile().fileName)) ? symbol.getName() : undefined;
}
