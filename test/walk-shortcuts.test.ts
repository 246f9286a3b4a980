// The walk's shortcuts for speed (src/walk/) must give what the long way gives: a packed array read
// by index, a small typed array's element keys skipped, printed paths kept on frames and shared by
// siblings, shared args per type name and count, one path per place for all channels.
import { describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { formatPath } from '../src/findings/path.js';
import type { Finding } from '../src/types.js';

const at = (findings: readonly Finding[], code: string): string[] => findings.filter((f) => f.code === code).map((f) => `${f.channel} ${f.at}`);

describe('walk shortcuts', () => {
  it('a packed array with a non-enumerable, a read-only and an accessor element is read as the long way reads it', () => {
    const arr: unknown[] = [1, 2, 3, 4];
    Object.defineProperty(arr, 1, { value: 2, enumerable: false, writable: true, configurable: true });
    Object.defineProperty(arr, 2, { value: 3, enumerable: true, writable: false, configurable: true });
    Object.defineProperty(arr, 3, { get: () => 4, enumerable: true, configurable: true });
    const { findings } = check({ arr });
    expect(at(findings, 'NON_ENUMERABLE_DROPPED')).toEqual(['worker $.arr[1]', 'fork-advanced $.arr[1]']);
    // JSON reads the non-enumerable element and writes it as an enumerable one (READONLY_LOST on fork).
    expect(at(findings, 'READONLY_LOST')).toEqual(['worker $.arr[2]', 'fork $.arr[1]', 'fork $.arr[2]', 'fork-advanced $.arr[2]']);
    expect(at(findings, 'ACCESSOR_FLATTENED')).toEqual(['worker $.arr[3]', 'fork $.arr[3]', 'fork-advanced $.arr[3]']);
  });

  it('an array with a named property or a hole still takes the long way', () => {
    const named: unknown[] & { extra?: () => void } = [1, 2];
    named.extra = () => {};
    expect(at(check({ named }).findings, 'EXTRA_PROPERTY_DROPPED')).toEqual(['fork $.named.extra']);
    // eslint-disable-next-line no-sparse-arrays
    expect(check({ holes: [1, , 3] }).findings.map((f) => f.code)).toContain('ARRAY_HOLES_BECOME_NULL');
  });

  it("a small typed array's named properties are found after its elements", () => {
    const view = new Float64Array(8) as Float64Array & { unit?: string };
    view.unit = 'm';
    expect(at(check({ view }).findings, 'EXTRA_PROPERTY_DROPPED')).toContain('worker $.view.unit');
  });

  it('printed paths kept on frames equal the path printed from scratch, Map keys included', () => {
    const inner = { when: new Date(0), fn: () => {} };
    const value = { a: { 'b-c': [{ m: new Map([['k"1', inner]]) }] }, z: { when: new Date(1) } };
    const { findings } = check(value);
    expect(findings.length).toBeGreaterThanOrEqual(4);
    for (const f of findings) {
      const labels = f.path.map((s) => (typeof s === 'object' && s.kind === 'map-value' ? '"k\\"1"' : undefined));
      expect(f.at).toBe(formatPath(f.path, labels));
    }
    expect(at(findings, 'DATE_BECOMES_STRING')).toEqual(['fork $.z.when']);
    expect(at(findings, 'FUNCTION_NOT_CLONEABLE')).toContain('worker $.a["b-c"][0].m.get("k\\"1").fn');
  });

  it('findings of one place on several channels have equal paths; findings with shared args equal fresh ones', () => {
    class Money {
      constructor(readonly amount: number) {}
      format(): string {
        return `${this.amount}`;
      }
    }
    const value = [new Money(1), new Money(2), new Map([[1, 2]]), new Map([[3, 4]]), new Uint8Array(2), new Uint8Array(3)];
    const first = check(value, { origins: false }).findings;
    const again = check(value, { origins: false }).findings;
    expect(JSON.parse(JSON.stringify(again))).toEqual(JSON.parse(JSON.stringify(first)));
    const lost = first.filter((f) => f.code === 'PROTOTYPE_LOST' && f.at === '$[1]');
    expect(lost.map((f) => f.channel)).toEqual(['worker', 'fork', 'fork-advanced']);
    for (const f of lost) expect(f.path).toEqual([1]);
    const maps = first.filter((f) => f.code === 'MAP_BECOMES_OBJECT');
    expect(maps.map((f) => f.message)).toEqual([maps[0]!.message, maps[0]!.message]);
    expect(maps.map((f) => f.args)).toEqual([{ count: 1 }, { count: 1 }]);
  });

  it('a finding 200,000 levels deep has its printed path (made in a loop, not by recursion)', () => {
    let node: Record<string, unknown> = { leaf: NaN };
    for (let i = 0; i < 200_000; i++) node = { n: node };
    // JSON overflows its stack up to Node 24 (4,000 levels), not from Node 26: the target is pinned to a line with the limit.
    const { findings } = check(node, { channels: ['fork'], target: 'node24' });
    // The nesting limit is reported where it is passed; the walk goes on and finds the NaN.
    const deep = findings.filter((f) => f.code === 'NESTING_TOO_DEEP');
    expect(deep).toHaveLength(1);
    expect(deep[0]!.at).toBe(`$${'.n'.repeat((deep[0]!.args as { depth: number }).depth)}`);
    const nan = findings.filter((f) => f.code === 'NUMBER_NOT_JSON');
    expect(nan).toHaveLength(1);
    expect(nan[0]!.at).toBe(`$${'.n'.repeat(200_000)}.leaf`);
    expect(nan[0]!.path.length).toBe(200_001);
    // Node 26's JSON has no such limit: the same value gives only the NaN, at the same path.
    const on26 = check(node, { channels: ['fork'], target: 'node26' }).findings;
    expect(on26.map((f) => [f.code, f.at])).toEqual([['NUMBER_NOT_JSON', nan[0]!.at]]);
  });
});
