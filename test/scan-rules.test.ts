// The scan's type rules against check()'s value rules, rule by rule, on all five channels: each case is
// one expression, scanned as the argument of a tagged send (its inferred type) and checked as a value.
// check() is itself pinned by real sends (test/oracle.test.ts, test/reality.test.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/index.js';
import { scan } from '../src/scan/index.js';
import type { ReportSubject } from '../src/report/subject.js';
import { ALL_CHANNELS, TARGETS, type PathSegment, type Target } from '../src/types.js';

// The same classes on both sides: as TypeScript source for the scan, and as values for check().
const PRELUDE = `class Customer { #token = 1; name = 'Ada'; greet() { return this.name + this.#token; } get domain() { return 'x'; } }
class HttpError extends Error { status = 404; }
class Money { amount = 1; toJSON() { return { amount: this.amount }; } }
class Admin extends Customer { level = 1; promote() { this.level++; } set rank(value: number) { this.level = value; } }
class ApiError extends Error { code = 'E_API'; toJSON() { return { code: this.code }; } }
class NamedError extends RangeError { constructor(message: string) { super(message); this.name = 'NamedError'; } }
class Registry extends Map<string, () => void> { label = 'r'; find() { return 1; } }
class Stamp extends Date { zone = 'UTC'; }
class List extends Array<Date> {}
class Bytes extends Uint8Array {}
class Button { static count = 0; label = 'ok'; onClick = () => {}; #press() { return 1; } constructor(public size: number) {} }
class Empty {}
class Batch extends AggregateError {}
const key = Symbol('key');
type UserId = string & { readonly __brand: unique symbol };
type Cents = number & { __tag: 'cents' };
type Valid<T> = T & { readonly __brand: unique symbol };
type Flag = boolean & { __tag: 'flag' };
type Big = bigint & { __tag: 'big' };
type Sym = symbol & { __tag: 'sym' };
type Status = 'ok' & { __tag: 'status' };
type Loose = string & {};
type Either = (string | number) & { readonly [key]: true };
type Ref = \`user-\${string}\`;
enum Color { Red, Green }
enum Dir { Up = 'UP' }`;
class Customer {
  #token = 1;
  name = 'Ada';
  greet(): string {
    return this.name + this.#token;
  }
  get domain(): string {
    return 'x';
  }
}
class HttpError extends Error {
  status = 404;
}
class Money {
  amount = 1;
  toJSON(): { amount: number } {
    return { amount: this.amount };
  }
}
class Admin extends Customer {
  level = 1;
  promote(): void {
    this.level++;
  }
  set rank(value: number) {
    this.level = value;
  }
}
class ApiError extends Error {
  code = 'E_API';
  toJSON(): { code: string } {
    return { code: this.code };
  }
}
class NamedError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'NamedError';
  }
}
class Registry extends Map<string, () => void> {
  label = 'r';
  find(): number {
    return 1;
  }
}
class Stamp extends Date {
  zone = 'UTC';
}
class List extends Array<Date> {}
class Bytes extends Uint8Array {}
class Button {
  static count = 0;
  label = 'ok';
  onClick = (): void => {};
  #press(): number {
    return 1;
  }
  constructor(public size: number) {
    void this.#press;
  }
}
class Empty {}
class Batch extends AggregateError {}
const key = Symbol('key');

interface Case {
  /** JavaScript that builds the value; also the TypeScript sent, unless `ts` says otherwise. */
  readonly js: string;
  readonly ts?: string;
}

const CASES: readonly Case[] = [
  { js: '{ f: () => 1 }' },
  { js: '{ m() { return 1; } }' },
  { js: '{ c: new Customer() }' },
  { js: 'new Customer()' },
  { js: "{ e: new HttpError('x') }" },
  { js: "{ e: new TypeError('x') }" },
  { js: '{ d: new Date(0) }' },
  { js: "{ m: new Map([['k', 1]]) }" },
  { js: "{ m: new Map([['k', () => 1]]) }" },
  { js: '{ s: new Set([1]) }' },
  { js: "{ s: new Set([Symbol('x')]) }" },
  { js: '{ r: /a/g }' },
  { js: '{ n: 1n }' },
  { js: "{ s: Symbol('x') }" },
  { js: '{ [key]: 1, a: 1 }' },
  { js: '{ u: undefined }' },
  { js: "{ list: [1, 'a'] }" },
  { js: '{ list: [() => 1] }' },
  { js: '{ list: [new Date(0)] }' },
  { js: '{ pair: [1, () => 1] }', ts: '{ pair: [1, () => 1] as [number, () => number] }' },
  { js: '{ p: Promise.resolve(1) }' },
  { js: '{ w: new WeakMap() }' },
  { js: '{ w: new WeakSet() }' },
  { js: '{ w: new WeakRef({}) }' },
  { js: "{ u: new URL('https://example.org') }" },
  { js: "{ q: new URLSearchParams('a=1') }" },
  { js: '{ h: new Headers() }' },
  { js: '{ b: Buffer.alloc(4) }' },
  { js: '{ a: new Uint8Array(4) }' },
  { js: '{ a: new Float64Array(2) }' },
  { js: '{ a: new BigInt64Array(1) }' },
  { js: '{ ab: new ArrayBuffer(8) }' },
  { js: '{ dv: new DataView(new ArrayBuffer(8)) }' },
  { js: "{ blob: new Blob(['x']) }" },
  { js: "{ file: new File(['x'], 'f.txt') }" },
  { js: '{ get g() { return 1; } }' },
  { js: '{ money: new Money() }' },
  { js: '{ admin: new Admin() }' },
  { js: "{ e: new ApiError('x') }" },
  { js: "{ e: new NamedError('x') }" },
  { js: "{ r: new Registry([['a', () => {}]]) }" },
  { js: '{ s: new Stamp(0) }' },
  { js: '{ l: List.from([new Date(0)]) }', ts: '{ l: List.from([new Date(0)]) as List }' },
  { js: '{ b: new Bytes(2) }' },
  { js: '{ button: new Button(2) }' },
  { js: '[new Empty()]' },
  { js: "{ cmd: 'NODE_X' }", ts: "{ cmd: 'NODE_X' as const }" },
  { js: "{ cmd: 'NODE_' }", ts: "{ cmd: 'NODE_' as const }" },
  { js: "{ failed: new AggregateError([new Error('a')], 'two failed') }" },
  { js: "{ failed: new Batch([], 'none') }" },
  { js: '() => 1' },
  { js: '1n' },
  { js: "{ nested: { deep: [{ when: new Date(0), tags: new Set(['a']), run: () => 1 }] } }" },
  { js: "{ s: new String('x') }" },
  { js: "{ kind: 'ok', list: [{ at: new Date(0) }, { at: new Date(1) }] }" },
  // Branded primitives, template literal types and enums are primitives at run time.
  { js: "{ id: 'u1', amount: 5 }", ts: "{ id: 'u1' as UserId, amount: 5 as Cents }" },
  { js: "{ ok: true, big: 1n, s: Symbol('x'), status: 'ok' }", ts: "{ ok: true as Flag, big: 1n as Big, s: Symbol('x') as Sym, status: 'ok' as Status }" },
  {
    js: "{ loose: 'x', either: 1, ref: 'user-1', c: 0, d: 'UP' }",
    ts: "{ loose: 'x' as Loose, either: 1 as Either, ref: 'user-1' as Ref, c: Color.Red, d: Dir.Up }",
  },
  { js: "['u1', 'u2']", ts: "['u1', 'u2'] as UserId[]" },
  { js: "'u1'", ts: "'u1' as UserId" },
  { js: '{ id: 1, at: new Date(0) }', ts: '{ id: 1, at: new Date(0) } as Valid<{ id: number; at: Date }>' },
];

const typesRoot = fileURLToPath(new URL('../node_modules/@types', import.meta.url));

/** A scan step matches a value's step: `'*'` any element or key, an entry step of index -1 any entry. */
function stepMatches(scanned: PathSegment, actual: PathSegment): boolean {
  if (scanned === '*') return typeof actual === 'number' || typeof actual === 'string';
  if (typeof scanned === 'symbol') return typeof actual === 'symbol' && actual.description === scanned.description;
  if (typeof scanned === 'object') return typeof actual === 'object' && actual.kind === scanned.kind && (scanned.index < 0 || scanned.index === actual.index);
  return scanned === actual;
}
const pathMatches = (scanned: readonly PathSegment[], actual: readonly PathSegment[]): boolean =>
  scanned.length === actual.length && scanned.every((s, i) => stepMatches(s, actual[i]!));

describe.each(TARGETS)('scan rules against check(), case by case, on every channel, for %s', (target: Target) => {
  let dir: string;
  let subjects: ReportSubject[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clonecheck-scan-rules-'));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          types: ['node'],
          typeRoots: [typesRoot],
          noEmit: true,
        },
        include: ['*.ts'],
      }),
    );
    const lines = [
      PRELUDE,
      `declare function send<T>(/** @clonecheck ${ALL_CHANNELS.join(' ')} */ value: T): void;`,
      ...CASES.map((c) => `send(${c.ts ?? c.js});`),
      'export {};',
    ];
    writeFileSync(join(dir, 'cases.ts'), lines.join('\n'));
    subjects = (await scan({ cwd: dir, target })).subjects;
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('predicts exactly what check() finds in each value', () => {
    const firstLine = PRELUDE.split('\n').length + 2;
    const disagreements: string[] = [];
    let agreed = 0;
    CASES.forEach((c, i) => {
      const subject = subjects.find((s) => s.line === firstLine + i);
      if (!subject) {
        disagreements.push(`${c.js}: no send site found`);
        return;
      }
      const value = new Function(
        'Customer',
        'HttpError',
        'Money',
        'Admin',
        'ApiError',
        'NamedError',
        'Registry',
        'Stamp',
        'List',
        'Bytes',
        'Button',
        'Empty',
        'Batch',
        'key',
        `return (${c.js});`,
      )(Customer, HttpError, Money, Admin, ApiError, NamedError, Registry, Stamp, List, Bytes, Button, Empty, Batch, key) as unknown;
      const actual = check(value, { channels: ALL_CHANNELS, target }).findings;
      for (const f of actual) {
        if (subject.findings.some((p) => p.channel === f.channel && p.code === f.code && pathMatches(p.path, f.path))) agreed++;
        else disagreements.push(`${c.js}: check() finds ${f.channel} ${f.code} ${f.at}, the scan does not`);
      }
      for (const p of subject.findings) {
        if (!actual.some((f) => p.channel === f.channel && p.code === f.code && pathMatches(p.path, f.path)))
          disagreements.push(`${c.js}: the scan says ${p.channel} ${p.code} ${p.at}, check() does not`);
      }
    });
    console.log(
      `scan rules vs check() for ${target}: ${agreed} findings agree over ${CASES.length} cases and ${ALL_CHANNELS.length} channels; ${disagreements.length} disagree`,
    );
    expect(disagreements).toEqual([]);
    expect(agreed).toBeGreaterThan(100);
  });
});
