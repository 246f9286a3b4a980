import { describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import { countEffects, formatReport, formatSummary } from '../src/report/index.js';
import type { Finding } from '../src/types.js';

const ESC = '\u001b[';
const strip = (text: string): string => text.replace(/\u001b\[\d+m/g, '');

const job = { job: { id: 7, onDone() {} } };

describe('formatReport', () => {
  it('prints one line per finding, the hint under it, grouped by channel', () => {
    const findings = check(job, { channels: ['worker'] }).findings;
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(formatReport(findings, { color: false })).toBe(
      ['worker: 1 throws', `  $.job.onDone  throws   ${f.message} (FUNCTION_NOT_CLONEABLE)`, `    hint: ${f.hint}`].join('\n'),
    );
  });

  it('is plain text without colour, and the same text under the escapes with it', () => {
    const findings = check({ ...job, when: new Date(0), s: new SharedArrayBuffer(8) }).findings;
    const plain = formatReport(findings, { color: false, title: 'export job (jobs.ts)' });
    const coloured = formatReport(findings, { color: true, title: 'export job (jobs.ts)' });
    expect(plain).not.toContain(ESC);
    expect(formatReport(findings, { title: 'export job (jobs.ts)' })).toBe(plain);
    expect(coloured).toContain(`${ESC}31mthrows`);
    expect(strip(coloured)).toBe(plain);
  });

  it('puts the title first and the channels in their fixed order, each with a verdict', () => {
    const findings = check({ when: new Date(0), s: new SharedArrayBuffer(8) }).findings;
    const lines = formatReport([...findings].reverse(), { title: 'export x (x.ts)' }).split('\n');
    expect(lines[0]).toBe('export x (x.ts)');
    expect(lines.filter((l) => !l.startsWith(' '))).toEqual([
      'export x (x.ts)',
      'worker: lossless, 1 note',
      'fork: 2 changed',
      'fork-advanced: 1 throws',
    ]);
  });

  it('gives listed channels without findings a heading that says lossless', () => {
    const result = check({ when: new Date(0) });
    const headings = formatReport(result.findings, { channels: result.channels }).split('\n').filter((l) => !l.startsWith(' '));
    expect(headings).toEqual(['worker: lossless', 'fork: 1 changed', 'fork-advanced: lossless']);
    expect(formatReport([])).toBe('No findings.');
  });

  it('collapses one rule over ten thousand elements into one entry with a count and the first paths', () => {
    const findings = check(
      Array.from({ length: 10_000 }, (_, i) => ({ id: i, cb: () => i })),
      { channels: ['worker'] },
    ).findings;
    expect(findings).toHaveLength(10_000);
    const f = findings[0]!;
    expect(formatReport(findings)).toBe(
      [
        'worker: 10000 throws',
        `  $[*].cb  throws   ${f.message} (FUNCTION_NOT_CLONEABLE)`,
        '    10000 paths: $[0].cb, $[1].cb, $[2].cb, ...',
        `    hint: ${f.hint}`,
      ].join('\n'),
    );
  });

  it('collapses only past maxPerGroup, keeps other findings in place, and keeps codes and channels apart', () => {
    const make = (n: number) => ({ before: () => 0, list: Array.from({ length: n }, () => new Date(0)), after: undefined });
    const five = check(make(5), { channels: ['fork'] }).findings;
    expect(formatReport(five, { maxPerGroup: 5 }).split('\n').filter((l) => l.includes('DATE_BECOMES_STRING'))).toHaveLength(5);

    const six = check(make(6), { channels: ['fork'] }).findings;
    const lines = formatReport(six, { maxPerGroup: 5 }).split('\n');
    // The collapsed entry stands where its first finding stood; the others keep their order.
    const order = six.map((f) => (f.code === 'DATE_BECOMES_STRING' ? '$.list[*]' : f.at)).filter((at, i, all) => all.indexOf(at) === i);
    expect(order).toHaveLength(3);
    expect(lines.filter((l) => l.startsWith('  $')).map((l) => l.split('  ')[1])).toEqual(order);
    expect(lines).toContain('    6 paths: $.list[0], $.list[1], $.list[2], ...');

    const both = check({ list: Array.from({ length: 6 }, () => () => 1) }).findings;
    const entries = formatReport(both, { maxPerGroup: 5 }).split('\n').filter((l) => l.startsWith('  $'));
    expect(entries.map((l) => l.split('  ')[1])).toEqual(['$.list[*]', '$.list[*]', '$.list[*]']);
    expect(entries.map((l) => /\((\w+)\)$/.exec(l)?.[1])).toEqual(['FUNCTION_NOT_CLONEABLE', 'ARRAY_ELEMENT_BECOMES_NULL', 'FUNCTION_NOT_CLONEABLE']);
  });

  it('collapses over Map and Set entries too', () => {
    const map = new Map(Array.from({ length: 8 }, (_, i) => [`k${i}`, () => i] as const));
    const text = formatReport(check({ map }, { channels: ['worker'] }).findings);
    expect(text).toContain('  $.map.get(*)  throws');
    expect(text).toContain('    8 paths: $.map.get("k0"), $.map.get("k1"), $.map.get("k2"), ...');
    const set = new Set(Array.from({ length: 8 }, (_, i) => Symbol(String(i))));
    expect(formatReport(check({ set }, { channels: ['worker'] }).findings)).toContain('  $.set.values()[*]  throws');
  });

  it('does not collapse findings that have no index or entry in their path', () => {
    const value = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${i}`, () => i]));
    const lines = formatReport(check(value, { channels: ['worker'] }).findings, { maxPerGroup: 2 }).split('\n');
    expect(lines.filter((l) => l.startsWith('  $'))).toHaveLength(8);
  });
});

describe('formatSummary', () => {
  it('counts the findings by effect', () => {
    const findings = check({ ...job, when: new Date(0), s: new SharedArrayBuffer(8) }).findings;
    const counts = countEffects(findings);
    expect(counts).toEqual({
      throws: findings.filter((f) => f.effect === 'throws').length,
      dropped: findings.filter((f) => f.effect === 'dropped').length,
      changed: findings.filter((f) => f.effect === 'changed').length,
      note: findings.filter((f) => f.effect === 'note').length,
    });
    const parts = (['throws', 'dropped', 'changed', 'note'] as const).filter((e) => counts[e] > 0).map((e) => `${counts[e]} ${e}`);
    expect(formatSummary(findings)).toBe(`${findings.length} findings (${parts.join(', ')})`);
    expect(strip(formatSummary(findings, { color: true }))).toBe(formatSummary(findings));
  });

  it('says so when there is nothing, and counts one finding as one', () => {
    expect(formatSummary([])).toBe('no findings');
    const one: Finding[] = check({ when: new Date(0) }, { channels: ['fork'] }).findings;
    expect(formatSummary(one)).toBe('1 finding (1 changed)');
  });
});
