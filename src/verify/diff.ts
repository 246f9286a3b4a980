/**
 * The sameness rules as code: `diffDescriptions()` lists every place where what arrived is not the
 * same as what was sent, each at its path.
 */
import { describeMapKey, formatPath } from '../findings/path.js';
import type { PathSegment } from '../types.js';
import {
  ACCESSOR,
  CONFIGURABLE,
  ENUMERABLE,
  HAS_GETTER,
  HAS_SETTER,
  UNREADABLE,
  WRITABLE,
  type DescribedKey,
  type DescribedNode,
  type DescribedSymbol,
  type DescribedValue,
  type Description,
  type Difference,
  type InternalValue,
} from './description.js';
import { describe, isArrayIndex } from './describe.js';

const hasOwn = Object.hasOwn;
const gopd = Object.getOwnPropertyDescriptor;
// ---------------------------------------------------------------------------------------------
// diff
// ---------------------------------------------------------------------------------------------

/** A path as a linked list, so that a walk a million levels deep does not copy paths. */
interface PathNode {
  readonly up: PathNode | null;
  readonly seg: PathSegment;
  /** For a Map value: its key as it reads in `.get(…)`. */
  readonly mapKey?: string | undefined;
}

function materialise(p: PathNode | null): { path: PathSegment[]; mapKeys: (string | undefined)[] } {
  const path: PathSegment[] = [];
  const mapKeys: (string | undefined)[] = [];
  for (let n = p; n !== null; n = n.up) {
    path.push(n.seg);
    mapKeys.push(n.mapKey);
  }
  return { path: path.reverse(), mapKeys: mapKeys.reverse() };
}

function isRef(v: DescribedValue): v is { r: number } {
  return typeof v === 'object' && v !== null && hasOwn(v, 'r');
}

function primKey(v: DescribedValue): string {
  switch (typeof v) {
    case 'string':
      return `s${v}`;
    case 'number':
      return `n${v}`;
    case 'boolean':
      return `b${v}`;
    default:
      if (v === null) return 'null';
      if (hasOwn(v, 'y')) {
        const s = v as DescribedSymbol;
        return `y${s.w ?? ''}|${s.g ?? 0}|${s.y === null ? '\u0000' : `:${s.y}`}`;
      }
      return JSON.stringify(v);
  }
}

/** Turns a described primitive back into a value (a symbol comes back as a new symbol with the same description, unless registered or well-known). */
export function decodePrimitive(v: DescribedValue): unknown {
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'boolean':
      return v;
    default:
      if (v === null) return null;
      if (hasOwn(v, 'u')) return undefined;
      if (hasOwn(v, 'n')) return Number((v as { n: string }).n);
      if (hasOwn(v, 'b')) return BigInt((v as { b: string }).b);
      if (hasOwn(v, 'y')) return decodeSymbol(v as DescribedSymbol);
      return undefined;
  }
}

function decodeSymbol(s: DescribedSymbol): symbol {
  if (s.w !== undefined) {
    const d = gopd(Symbol, s.w);
    if (d && typeof d.value === 'symbol') return d.value;
  }
  if (s.g === 1 && s.y !== null) return Symbol.for(s.y);
  return s.y === null ? Symbol() : Symbol(s.y);
}

function showSymbol(s: DescribedSymbol): string {
  if (s.w !== undefined) return `Symbol.${s.w}`;
  if (s.g === 1) return `Symbol.for(${JSON.stringify(s.y)})`;
  return s.y === null ? 'Symbol()' : `Symbol(${s.y})`;
}

function showString(s: string): string {
  const q = JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
  return s.length > 40 ? `${q} (length ${s.length})` : q;
}

function showValue(v: DescribedValue | undefined, nodes: readonly DescribedNode[]): string {
  if (v === undefined) return '(none)';
  switch (typeof v) {
    case 'string':
      return `string ${showString(v)}`;
    case 'number':
      return `number ${v}`;
    case 'boolean':
      return `boolean ${v}`;
    default:
      if (v === null) return 'null';
      if (isRef(v)) return nodes[v.r]?.kind ?? 'object';
      if (hasOwn(v, 'u')) return 'undefined';
      if (hasOwn(v, 'n')) return `number ${(v as { n: string }).n}`;
      if (hasOwn(v, 'b')) return `bigint ${(v as { b: string }).b}n`;
      return `symbol ${showSymbol(v as DescribedSymbol)}`;
  }
}

function showChange(a: DescribedValue, b: DescribedValue, A: readonly DescribedNode[], B: readonly DescribedNode[]): string {
  if (typeof a === 'string' && typeof b === 'string' && (a.length > 40 || b.length > 40)) {
    let i = 0;
    while (i < a.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
    const around = (s: string): string => showString(s.slice(Math.max(0, i - 10), i + 20));
    return `string (length ${a.length}) → string (length ${b.length}), first different at index ${i}: ${around(a)} → ${around(b)}`;
  }
  return `${showValue(a, A)} → ${showValue(b, B)}`;
}

function showFlags(f: number): string {
  if (f & UNREADABLE) return 'unreadable';
  const parts: string[] = [];
  if (f & ACCESSOR) {
    const g = f & HAS_GETTER ? 'get' : '';
    const s = f & HAS_SETTER ? 'set' : '';
    parts.push(`accessor (${[g, s].filter(Boolean).join('+') || 'none'})`);
  } else {
    parts.push('data', f & WRITABLE ? 'writable' : 'read-only');
  }
  parts.push(f & ENUMERABLE ? 'enumerable' : 'non-enumerable', f & CONFIGURABLE ? 'configurable' : 'non-configurable');
  return parts.join(' ');
}

function showChain(names: readonly string[]): string {
  return names.length === 0 ? 'null' : names.map((n) => n.replace(/@[0-9a-f]+$/, '')).join(' > ');
}

function showInternal(v: InternalValue | undefined): string {
  return v === undefined ? '(none)' : typeof v === 'string' ? showString(v) : String(v);
}

function keySegment(k: string | DescribedSymbol, kind: string): PathSegment {
  if (typeof k !== 'string') return decodeSymbol(k);
  return kind === 'Array' && isArrayIndex(k) ? Number(k) : k;
}

/** A key's identity for matching: strings by value, symbols by description (and position among same-described symbols). */
function keyIds(keys: readonly DescribedKey[]): Map<string, number> {
  const ids = new Map<string, number>();
  const symbolCounts = new Map<string, number>();
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]![0];
    if (typeof k === 'string') ids.set(`s${k}`, i);
    else {
      const base = primKey(k);
      const n = symbolCounts.get(base) ?? 0;
      symbolCounts.set(base, n + 1);
      ids.set(`${base}#${n}`, i);
    }
  }
  return ids;
}

function sameKey(a: string | DescribedSymbol, b: string | DescribedSymbol): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return primKey(a) === primKey(b);
}

interface Sighting {
  readonly p: PathNode | null;
  readonly via: string;
}

interface Item {
  readonly p: PathNode | null;
  readonly a?: DescribedValue;
  readonly b?: DescribedValue;
  /** A difference to report when the walk gets here. */
  readonly emit?: string;
  /** Label for an internal edge (`[[buffer]] `), put in front of the detail. */
  readonly via?: string;
}

/** What differs in a node itself (prototype, integrity, internal data), as `category: detail`. */
function nodeChanges(na: DescribedNode, nb: DescribedNode): string[] {
  const out: string[] = [];
  if (na.proto.length !== nb.proto.length || na.proto.some((n, i) => n !== nb.proto[i])) {
    const [ca, cb] = [showChain(na.proto), showChain(nb.proto)];
    out.push(`prototype: ${ca} → ${cb}${ca === cb ? ' (other objects of the same names)' : ''}`);
  }
  if (na.ext !== nb.ext) out.push(`integrity: ${na.ext ?? 'extensible'} → ${nb.ext ?? 'extensible'}`);
  const intA = na.int ?? {};
  const intB = nb.int ?? {};
  for (const k of new Set([...Object.keys(intA), ...Object.keys(intB)])) {
    if (intA[k] !== intB[k]) out.push(`internal: ${k} ${showInternal(intA[k])} → ${showInternal(intB[k])}`);
  }
  return out;
}

/** Walk items for a node's internal edges: Map entries, Set members, a view's buffer. */
function entryItems(
  na: DescribedNode,
  nb: DescribedNode,
  p: PathNode | null,
  children: Item[],
  A: readonly DescribedNode[],
  B: readonly DescribedNode[],
): void {
  if (na.entries !== undefined || nb.entries !== undefined) {
    const ea = na.entries ?? [];
    const eb = nb.entries ?? [];
    for (let i = 0; i < Math.max(ea.length, eb.length); i++) {
      const kp: PathNode = { up: p, seg: { kind: 'map-key', index: i } };
      const x = ea[i];
      const y = eb[i];
      if (x === undefined) children.push({ p: kp, emit: `added: Map entry (key ${showValue(y![0], B)})` });
      else if (y === undefined) children.push({ p: kp, emit: `missing: Map entry (key ${showValue(x[0], A)})` });
      else {
        const k = isRef(x[0]) ? undefined : describeMapKey(decodePrimitive(x[0]));
        children.push({ p: kp, a: x[0], b: y[0] });
        children.push({ p: { up: p, seg: { kind: 'map-value', index: i }, mapKey: k }, a: x[1], b: y[1] });
      }
    }
  }
  if (na.members !== undefined || nb.members !== undefined) {
    const ma = na.members ?? [];
    const mb = nb.members ?? [];
    for (let i = 0; i < Math.max(ma.length, mb.length); i++) {
      const mp: PathNode = { up: p, seg: { kind: 'set-member', index: i } };
      if (i >= ma.length) children.push({ p: mp, emit: `added: Set member ${showValue(mb[i], B)}` });
      else if (i >= mb.length) children.push({ p: mp, emit: `missing: Set member ${showValue(ma[i], A)}` });
      else children.push({ p: mp, a: ma[i]!, b: mb[i]! });
    }
  }
  if (na.buffer !== undefined && nb.buffer !== undefined) children.push({ p, a: na.buffer, b: nb.buffer, via: '[[buffer]] ' });
}

/**
 * Every place where `db` is not the same as `da` (the sameness rules of docs/contract.md), in the walk order of `da`.
 * Symbols are compared by description (a unique symbol can't be the same symbol in another realm
 * anyway), and reported at a path segment `Symbol(description)` (or the registered / well-known
 * symbol itself).
 */
export function diffDescriptions(da: Description, db: Description): Difference[] {
  const out: Difference[] = [];
  const A = da.nodes;
  const B = db.nodes;
  const pairA = new Int32Array(A.length).fill(-1);
  const pairB = new Int32Array(B.length).fill(-1);
  // Where each paired node was first seen, for identity messages.
  const firstA: Sighting[] = new Array<Sighting>(A.length);
  const firstB: Sighting[] = new Array<Sighting>(B.length);

  const report = (p: PathNode | null, what: string): void => {
    const { path, mapKeys } = materialise(p);
    out.push({ path, at: formatPath(path, mapKeys), what });
  };
  const atOf = ({ p, via }: Sighting): string => {
    const { path, mapKeys } = materialise(p);
    return `${formatPath(path, mapKeys)}${via === '' ? '' : ` ${via.trim()}`}`;
  };

  const stack: Item[] = [{ p: null, a: da.root, b: db.root }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (item.emit !== undefined) report(item.p, item.emit);
    if (item.a === undefined || item.b === undefined) continue;
    const { a, b, p } = item;
    const via = item.via ?? '';
    const aRef = isRef(a);
    const bRef = isRef(b);
    if (!aRef && !bRef) {
      if (primKey(a) !== primKey(b)) report(p, `value: ${via}${showChange(a, b, A, B)}`);
      continue;
    }
    if (!aRef || !bRef) {
      report(p, `kind: ${via}${showValue(a, A)} → ${showValue(b, B)}`);
      continue;
    }
    const ia = a.r;
    const ib = b.r;
    const pa = pairA[ia]!;
    const pb = pairB[ib]!;
    if (pa === ib) continue; // the same pair seen again: consistent sharing, compared already
    if (pa !== -1 || pb !== -1) {
      if (pa !== -1 && pb === -1) {
        report(p, `identity: ${via}shared reference lost (was the same object as ${atOf(firstA[ia]!)})`);
      } else if (pa === -1) {
        report(p, `identity: ${via}now the same object as ${atOf(firstB[ib]!)} (a different object on the sender)`);
      } else {
        report(p, `identity: ${via}was the same object as ${atOf(firstA[ia]!)}, now the same object as ${atOf(firstB[ib]!)}`);
      }
      continue;
    }
    pairA[ia] = ib;
    pairB[ib] = ia;
    firstA[ia] = firstB[ib] = { p, via };
    const na = A[ia]!;
    const nb = B[ib]!;
    if (na.kind !== nb.kind) {
      report(p, `kind: ${via}${na.kind} → ${nb.kind}`);
      continue;
    }
    for (const what of nodeChanges(na, nb)) report(p, `${what.slice(0, what.indexOf(':') + 2)}${via}${what.slice(what.indexOf(':') + 2)}`);
    const children: Item[] = [];
    entryItems(na, nb, p, children, A, B);
    keyItems(na, nb, p, children, A, B);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return out;
}

function keyItems(na: DescribedNode, nb: DescribedNode, p: PathNode | null, children: Item[], A: readonly DescribedNode[], B: readonly DescribedNode[]): void {
  const ka = na.keys ?? [];
  const kb = nb.keys ?? [];
  let aligned = ka.length === kb.length;
  for (let i = 0; aligned && i < ka.length; i++) aligned = sameKey(ka[i]![0], kb[i]![0]);
  let matchedB: Uint8Array | undefined;
  let lookup: ((i: number) => number) | undefined;
  if (!aligned) {
    const idsB = keyIds(kb);
    const idsA = [...keyIds(ka)];
    const aToB = new Int32Array(ka.length).fill(-1);
    for (const [id, i] of idsA) aToB[i] = idsB.get(id) ?? -1;
    lookup = (i) => aToB[i]!;
    matchedB = new Uint8Array(kb.length);
  }
  for (let i = 0; i < ka.length; i++) {
    const [key, fa, va] = ka[i]!;
    const j = lookup === undefined ? i : lookup(i);
    if (j === -1) {
      children.push({
        p: { up: p, seg: keySegment(key, na.kind) },
        emit: `missing: own property (${showFlags(fa)}${va === undefined ? '' : `, ${showValue(va, A)}`})`,
      });
      continue;
    }
    if (matchedB !== undefined) matchedB[j] = 1;
    const [, fb, vb] = kb[j]!;
    if (fa === fb) {
      // Equal primitives (by far the common case) need no walk item at all.
      if (va !== undefined && vb !== undefined && (isRef(va) || isRef(vb) || primKey(va) !== primKey(vb))) {
        children.push({ p: { up: p, seg: keySegment(key, na.kind) }, a: va, b: vb });
      }
      continue;
    }
    const kp: PathNode = { up: p, seg: keySegment(key, na.kind) };
    const what = `descriptor: ${showFlags(fa)} → ${showFlags(fb)}`;
    if (va !== undefined && vb !== undefined) children.push({ p: kp, a: va, b: vb, emit: what });
    else children.push({ p: kp, emit: va === undefined && vb !== undefined ? `${what}, ${showValue(vb, B)}` : what });
  }
  if (matchedB !== undefined) {
    for (let j = 0; j < kb.length; j++) {
      if (matchedB[j]) continue;
      const [key, fb, vb] = kb[j]!;
      children.push({
        p: { up: p, seg: keySegment(key, nb.kind) },
        emit: `added: own property (${showFlags(fb)}${vb === undefined ? '' : `, ${showValue(vb, B)}`})`,
      });
    }
  }
}

/** Every place where `b` is not the same as `a` (the sameness rules of docs/contract.md). Runs no code of either value. */
export function diff(a: unknown, b: unknown): Difference[] {
  return diffDescriptions(describe(a), describe(b));
}
