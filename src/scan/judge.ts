// Judges a TypeScript type with the rules of the runtime check(): the walk over the type's parts,
// which hands each kind of type to its judge (judge-leaf, judge-builtins, judge-hosts,
// judge-classes, judge-properties).
import type * as TS from 'typescript';
import type { FindingArgs, FindingArgsByCode, FindingCode } from '../findings/codes.js';
import { lineOf, type Channel, type PathSegment } from '../types.js';
import { judgeBuiltin } from './judge-builtins.js';
import { classOf, judgeExtendedBuiltin, judgeInstance } from './judge-classes.js';
import {
  ANY_KEY,
  isLibraryFile,
  stepId,
  type JudgeContext,
  type Judgement,
  type JudgeOptions,
  type On,
  type Place,
  type TypeFinding,
  type Unknowable,
} from './judge-context.js';
import { judgeLibraryClass } from './judge-hosts.js';
import { judgeLeaf } from './judge-leaf.js';
import { judgeProperties } from './judge-properties.js';
import type { TypeScript } from './typescript.js';

export { ANY_KEY, type JudgeOptions, type Judgement, type TypeFinding, type Unknowable } from './judge-context.js';

const MAX_DEPTH = 24;
const MAX_FINDINGS = 500;
/** Types met in one judgement: a type as wide as the DOM's is cut short, with a note, not walked for minutes. */
const MAX_VISITS = 20_000;

/**
 * Judges a TypeScript type for the given channels, with the rules of the runtime `check()`: the
 * same codes at the same paths, for every value the type allows where the type can tell.
 */
export function judgeType(ts: TypeScript, checker: TS.TypeChecker, type: TS.Type, options: JudgeOptions): Judgement {
  const judge = new TypeJudge(ts, checker, options);
  judge.walk(type, 'root');
  return { findings: judge.findings, unknowable: judge.unknowable };
}

class TypeJudge implements JudgeContext {
  readonly findings: TypeFinding[] = [];
  readonly unknowable: Unknowable[] = [];
  readonly path: PathSegment[] = [];
  readonly targetMajor: number;
  options: JudgeOptions;
  private readonly seen = new Set<string>();
  /** The object types being judged, outermost first: a recursive type is judged where it started. */
  private readonly stack: TS.Type[] = [];
  private visits = 0;

  constructor(
    readonly ts: TypeScript,
    readonly checker: TS.TypeChecker,
    options: JudgeOptions,
  ) {
    this.options = options;
    this.targetMajor = lineOf(options.target);
  }

  emit<C extends FindingCode>(code: C, on: On, args: FindingArgsByCode[C], key?: PathSegment): void {
    if (this.findings.length >= MAX_FINDINGS) return;
    const at = key === undefined ? this.path.slice() : [...this.path, key];
    for (const channel of this.options.channels) {
      if (!on(channel)) continue;
      const id = `${channel}|${code}|${at.map(stepId).join('/')}`;
      if (this.seen.has(id)) continue;
      this.seen.add(id);
      this.findings.push({ channel, code, path: at, args: args as FindingArgs });
    }
  }

  unknown(what: string): void {
    const id = `?|${this.path.map(stepId).join('/')}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.unknowable.push({ path: this.path.slice(), type: what });
  }

  descend(key: PathSegment, fn: () => void): void {
    this.path.push(key);
    try {
      fn();
    } finally {
      this.path.pop();
    }
  }

  walkOn(on: On, type: TS.Type, place: Place): void {
    const saved = this.options;
    const narrowed: readonly Channel[] = saved.channels.filter(on);
    if (narrowed.length === 0) return;
    this.options = { ...saved, channels: narrowed };
    try {
      this.walk(type, place);
    } finally {
      this.options = saved;
    }
  }

  walk(type: TS.Type, place: Place, decl?: TS.Declaration): void {
    if (this.stack.length > MAX_DEPTH || this.findings.length >= MAX_FINDINGS) return;
    if (++this.visits > MAX_VISITS) {
      if (this.visits === MAX_VISITS + 1) this.unknowable.push({ path: this.path.slice(), type: 'too large to judge in full' });
      return;
    }
    const f = type.flags;
    const F = this.ts.TypeFlags;
    if (f & (F.Any | F.Unknown)) return this.unknown(f & F.Any ? 'any' : 'unknown');
    if (f & F.Never) return;
    if (f & F.TypeParameter) {
      const constraint = this.checker.getBaseConstraintOfType(type);
      if (!constraint || constraint === type || constraint.flags & F.Unknown) return this.unknown(this.checker.typeToString(type));
      return this.walk(constraint, place, decl);
    }
    if (f & (F.Undefined | F.Void)) return judgeLeaf(this, 'undefined', place);
    if (f & (F.BigInt | F.BigIntLiteral)) return judgeLeaf(this, 'bigint', place);
    if (f & (F.ESSymbol | F.UniqueESSymbol)) return judgeLeaf(this, 'symbol', place);
    if (f & (F.Null | F.StringLike | F.NumberLike | F.BooleanLike | F.EnumLike)) return;
    if (type.isUnion()) {
      for (const member of type.types) this.walk(member, place, decl);
      return;
    }
    if (type.isIntersection()) {
      // A branded primitive (`string & { __brand: ... }`, `number & { __tag: 'cents' }`, `string & {}`) is the
      // primitive at run time: the object part exists only in the types.
      // A member that is a type parameter counts by its constraint (`T & { __brand }` with `T extends string`).
      for (const member of type.types) {
        const primitive = this.primitivePart(member);
        if (primitive) return this.walk(primitive, place, decl);
      }
    }
    if (f & F.NonPrimitive) return this.unknown('object');
    if (!(f & F.Object) && !type.isIntersection()) return;
    if (this.stack.includes(type)) return;
    this.stack.push(type);
    try {
      this.judgeObject(type, place, decl);
    } finally {
      this.stack.pop();
    }
  }

  /** An object type: a function, a built-in, a tuple or array, an instance of a class, or an object of properties. */
  private judgeObject(type: TS.Type, place: Place, decl?: TS.Declaration): void {
    const name = this.builtinName(type);
    if (type.getCallSignatures().length > 0 && !name) {
      const fnName = decl ? propertyNameText(this.ts, decl) : undefined;
      const kind = functionKind(this.ts, decl);
      return judgeLeaf(this, 'function', place, fnName ? { type: kind, name: fnName } : { type: kind });
    }
    if (name && judgeBuiltin(this, type, name)) return;
    if (this.checker.isTupleType(type)) {
      const elements = this.checker.getTypeArguments(type as TS.TypeReference);
      elements.forEach((element, index) => this.descend(index, () => this.walk(element, 'element')));
      return;
    }
    if (this.checker.isArrayType(type) || name === 'ReadonlyArray') {
      const [element] = this.checker.getTypeArguments(type as TS.TypeReference);
      if (element) this.descend(ANY_KEY, () => this.walk(element, 'element'));
      return;
    }
    if (judgeExtendedBuiltin(this, type)) return;
    const library = judgeLibraryClass(this, type);
    if (library === 'whole') return;
    const cls = library ? undefined : classOf(this, type);
    if (cls && judgeInstance(this, type, cls)) return;
    judgeProperties(this, type, cls);
  }

  /** The type itself when every value of it is a primitive (a union of primitives too), through a type parameter's constraint. */
  private primitivePart(type: TS.Type): TS.Type | undefined {
    const F = this.ts.TypeFlags;
    const resolved = type.flags & F.Instantiable ? this.checker.getBaseConstraintOfType(type) : type;
    if (!resolved) return undefined;
    const members = resolved.isUnion() ? resolved.types : [resolved];
    return members.every((m) => m.flags & primitiveFlags(F)) ? resolved : undefined;
  }

  /** Built-ins by name, when the name is declared by a default library or by Node's types. */
  private builtinName(type: TS.Type): string | undefined {
    const symbol = type.getSymbol() ?? type.aliasSymbol;
    if (!symbol) return undefined;
    const decls = symbol.getDeclarations() ?? [];
    if (decls.length === 0) return undefined;
    const fromLibrary = decls.some((d) => isLibraryFile(d.getSourceFile().fileName));
    return fromLibrary ? symbol.getName() : undefined;
  }
}

/** The flags of the types whose values are primitives. */
function primitiveFlags(F: typeof TS.TypeFlags): number {
  return F.StringLike | F.NumberLike | F.BigIntLike | F.BooleanLike | F.ESSymbolLike | F.EnumLike | F.Null | F.Undefined | F.Void;
}

function functionKind(ts: TypeScript, decl: TS.Declaration | undefined): string {
  if (!decl) return 'function';
  if (ts.isMethodDeclaration(decl) || ts.isMethodSignature(decl)) return 'method';
  const init = ts.isPropertyDeclaration(decl) || ts.isPropertyAssignment(decl) || ts.isVariableDeclaration(decl) ? decl.initializer : undefined;
  if (init && ts.isArrowFunction(init)) return 'arrow function';
  return 'function';
}

function propertyNameText(ts: TypeScript, decl: TS.Declaration): string | undefined {
  const name = (decl as { name?: TS.PropertyName }).name;
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}
