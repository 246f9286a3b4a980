// `target`: a check applies the rules of a Node.js line, whatever Node runs it. Run by `npm test` on
// the running Node and, through test/lines/lines.test.ts, inside every other line, so that each
// target's answer is shown to be the same from every line (host objects are judged by kind).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assertCloneable, check } from '../../src/index.js';
import { ALL_CHANNELS, TARGETS, type Target } from '../../src/types.js';
import { corpus } from '../corpus.js';
import { expectedCodes, KNOWN_GAPS } from './expected.js';

const running = `node${process.versions.node.split('.')[0]}` as Target;
const codesOf = (value: unknown, channel: (typeof ALL_CHANNELS)[number], target?: Target): string[] =>
  [...new Set(check(value, { channels: [channel], ...(target ? { target } : {}) }).findings.map((f) => f.code))].sort();

describe(`the fixed corpus for every target, checked on Node ${process.versions.node}`, () => {
  for (const target of TARGETS) {
    it(`${target}${target === running ? ' (the running line)' : ''}`, () => {
      const wrong: string[] = [];
      for (const c of corpus) {
        const value = c.make();
        for (const channel of ALL_CHANNELS) {
          const got = codesOf(value, channel, target);
          const want = expectedCodes(c, channel, target);
          const gap = KNOWN_GAPS.find((g) => g.name === c.name && g.channels.includes(channel));
          const gapAnswer = gap?.answer(target, running).sort().join();
          if (gap && gapAnswer !== want.join()) {
            // A known gap shows here: the checker must give exactly the answer the gap describes.
            if (got.join() !== gapAnswer) wrong.push(`${c.name} (${channel}): got [${got.join(', ')}], the known gap (${gap.why}) says [${gapAnswer}]`);
          } else if (got.join() !== want.join()) wrong.push(`${c.name} (${channel}): got [${got.join(', ')}], expected [${want.join(', ')}]`);
        }
      }
      expect(wrong).toEqual([]);
    });
  }

  it('lists only known gaps that still show on some line', () => {
    for (const gap of KNOWN_GAPS) {
      const c = corpus.find((k) => k.name === gap.name);
      expect(c, gap.name).toBeDefined();
      const shows = TARGETS.some((t) => TARGETS.some((r) => gap.channels.some((ch) => gap.answer(t, r).sort().join() !== expectedCodes(c!, ch, t).join())));
      expect(shows, `${gap.name}: the gap no longer differs from the expectations; remove it`).toBe(true);
    }
  });

  it('with no target, the rules of the running line', () => {
    expect(TARGETS).toContain(running);
    for (const c of corpus) {
      const value = c.make();
      for (const channel of ALL_CHANNELS)
        expect({ name: c.name, channel, codes: codesOf(value, channel) }).toEqual({ name: c.name, channel, codes: expectedCodes(c, channel, running) });
    }
    expect(check(1).target).toBe(running);
  });
});

describe('the targets the issue names', () => {
  it('a Headers makes a worker send throw on Node 22, whichever Node checks it', () => {
    const r = check(new Headers(), { channels: ['worker'], target: 'node22' });
    expect(r.findings.map((f) => [f.effect, f.code])).toEqual([['throws', 'UNCLONEABLE_TYPE']]);
    expect(r.target).toBe('node22');
  });

  it('a Headers arrives as {} over a worker on Node 20, whichever Node checks it', () => {
    const r = check(new Headers(), { channels: ['worker'], target: 'node20' });
    expect(r.findings.map((f) => [f.effect, f.code])).toEqual([['changed', 'PLATFORM_OBJECT_BECOMES_PLAIN']]);
    expect(r.lossless).toEqual({ worker: false });
  });

  it('an unknown target is a TypeError that lists the known ones', () => {
    expect(() => check({}, { target: 'node18' as Target })).toThrow(TypeError);
    expect(() => check({}, { target: 'node21' as Target })).toThrow(/"node20", "node22", "node24", "node26"/);
  });
});

describe('nesting limits per target', () => {
  const chain = (depth: number): unknown => {
    const root: Record<string, unknown> = {};
    let o = root;
    for (let i = 0; i < depth; i++) o = o.next = {};
    return root;
  };
  const deep = (depth: number, target: Target) =>
    check(chain(depth), { target })
      .findings.filter((f) => f.code === 'NESTING_TOO_DEEP')
      .map((f) => f.channel);

  it('1,700 levels pass the V8 serializer on Node 20 and 26, not on 22 and 24', () => {
    expect(deep(1700, 'node20')).toEqual([]);
    expect(deep(1700, 'node22')).toEqual(['worker', 'fork-advanced']);
    expect(deep(1700, 'node24')).toEqual(['worker', 'fork-advanced']);
    expect(deep(1700, 'node26')).toEqual([]);
  });

  it('5,000 levels overflow JSON until Node 26', () => {
    expect(deep(5000, 'node24')).toEqual(['worker', 'fork', 'fork-advanced']);
    expect(deep(5000, 'node26')).toEqual(['worker', 'fork-advanced']);
  });
});

describe('target, passed on by the other ways to check', () => {
  const file = () => ({ file: new File(['x'], 'x.txt') });

  it('assertCloneable: a File fails a worker check for node22 (it arrives as a Blob), passes for node24', () => {
    expect(() => assertCloneable(file(), { channel: 'worker', target: 'node22' })).toThrow(/FILE_BECOMES_BLOB/);
    expect(() => assertCloneable(file(), { channel: 'worker', target: 'node24' })).not.toThrow();
  });

  it('clonecheck --target: the same module, judged for node22 and for node24', () => {
    const bin = fileURLToPath(new URL('../../bin/clonecheck.js', import.meta.url));
    const fixture = fileURLToPath(new URL('./fixtures/upload.mjs', import.meta.url));
    const run = (target: string) => spawnSync(process.execPath, [bin, fixture, '-c', 'worker', '--target', target, '--format', 'json'], { encoding: 'utf8' });
    const for22 = run('node22');
    expect(for22.stdout).toContain('FILE_BECOMES_BLOB');
    expect(for22.status).toBe(1);
    const for24 = run('node24');
    expect(for24.stdout).not.toContain('FILE_BECOMES_BLOB');
    expect(for24.status).toBe(0);
  });
});
