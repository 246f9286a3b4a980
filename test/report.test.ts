import { describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandPaths, globToRegExp } from '../src/cli/files.js';
import { locateExports } from '../src/cli/locate.js';
import { escapeData, escapeProperty } from '../src/report/github.js';
import { formatReport, formatSummary } from '../src/report/index.js';
import { countSeverities, findingsSummary, severityCounts } from '../src/report/counts.js';
import { summaryLine } from '../src/report/human.js';
import { emptyTotals } from '../src/report/totals.js';
import { CloneCheckError } from '../src/errors.js';
import { readCodeDescriptions } from '../src/report/sarif.js';
import { compareKeys, comparePaths, elide } from '../src/report/paths.js';
import { mergeMessages, viewOf, type ReportSubject } from '../src/report/subject.js';
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
      ['worker: 1 throw', `  $.job.onDone  throw    ${f.message} (FUNCTION_NOT_CLONEABLE)`, `    hint: ${f.hint}`].join('\n'),
    );
  });

  it('is plain text without colour, and the same text under the escapes with it', () => {
    const findings = check({ ...job, when: new Date(0), s: new SharedArrayBuffer(8) }).findings;
    const plain = formatReport(findings, { color: false, title: 'export job (jobs.ts)' });
    const coloured = formatReport(findings, { color: true, title: 'export job (jobs.ts)' });
    expect(plain).not.toContain(ESC);
    expect(formatReport(findings, { title: 'export job (jobs.ts)' })).toBe(plain);
    expect(coloured).toContain(`${ESC}31mthrow`);
    expect(strip(coloured)).toBe(plain);
  });

  it('puts the title first and the channels in their fixed order, each with a verdict', () => {
    const findings = check({ when: new Date(0), s: new SharedArrayBuffer(8) }).findings;
    const lines = formatReport([...findings].reverse(), { title: 'export x (x.ts)' }).split('\n');
    expect(lines[0]).toBe('export x (x.ts)');
    expect(lines.filter((l) => !l.startsWith(' '))).toEqual(['export x (x.ts)', 'worker: lossless, 1 note', 'fork: 2 loss', 'fork-advanced: 1 throw']);
  });

  it('lists the opt-in channels after the default three, whatever the order of the findings', () => {
    const findings = check({ when: new Date(0), s: new SharedArrayBuffer(8) }, { channels: ['v8', 'json', 'worker'] }).findings;
    const headings = formatReport([...findings].reverse())
      .split('\n')
      .filter((l) => !l.startsWith(' '))
      .map((l) => l.split(':')[0]);
    expect(headings).toEqual(['worker', 'json', 'v8']);
  });

  it('gives listed channels without findings a heading that says lossless', () => {
    const result = check({ when: new Date(0) });
    const headings = formatReport(result.findings, { channels: result.channels })
      .split('\n')
      .filter((l) => !l.startsWith(' '));
    expect(headings).toEqual(['worker: lossless', 'fork: 1 loss', 'fork-advanced: lossless']);
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
        'worker: 10000 throw',
        `  $[*].cb  throw    ${f.message} (FUNCTION_NOT_CLONEABLE)`,
        '    10000 paths: $[0].cb, $[1].cb, $[2].cb, ...',
        `    hint: ${f.hint}`,
      ].join('\n'),
    );
  });

  it('collapses only past maxPerGroup, keeps other findings in place, and keeps codes and channels apart', () => {
    const make = (n: number) => ({ before: () => 0, list: Array.from({ length: n }, () => new Date(0)), after: undefined });
    const five = check(make(5), { channels: ['fork'] }).findings;
    expect(
      formatReport(five, { maxPerGroup: 5 })
        .split('\n')
        .filter((l) => l.includes('DATE_BECOMES_STRING')),
    ).toHaveLength(5);

    const six = check(make(6), { channels: ['fork'] }).findings;
    const lines = formatReport(six, { maxPerGroup: 5 }).split('\n');
    // The collapsed entry stands where its first finding stood; the others keep their order.
    const order = six.map((f) => (f.code === 'DATE_BECOMES_STRING' ? '$.list[*]' : f.at)).filter((at, i, all) => all.indexOf(at) === i);
    expect(order).toHaveLength(3);
    expect(lines.filter((l) => l.startsWith('  $')).map((l) => l.split('  ')[1])).toEqual(order);
    expect(lines).toContain('    6 paths: $.list[0], $.list[1], $.list[2], ...');

    const both = check({ list: Array.from({ length: 6 }, () => () => 1) }).findings;
    const entries = formatReport(both, { maxPerGroup: 5 })
      .split('\n')
      .filter((l) => l.startsWith('  $'));
    expect(entries.map((l) => l.split('  ')[1])).toEqual(['$.list[*]', '$.list[*]', '$.list[*]']);
    expect(entries.map((l) => /\((\w+)\)$/.exec(l)?.[1])).toEqual(['FUNCTION_NOT_CLONEABLE', 'ARRAY_ELEMENT_BECOMES_NULL', 'FUNCTION_NOT_CLONEABLE']);
  });

  it('collapses over Map and Set entries too', () => {
    const map = new Map(Array.from({ length: 8 }, (_, i) => [`k${i}`, () => i] as const));
    const text = formatReport(check({ map }, { channels: ['worker'] }).findings);
    expect(text).toContain('  $.map.get(*)  throw ');
    expect(text).toContain('    8 paths: $.map.get("k0"), $.map.get("k1"), $.map.get("k2"), ...');
    const set = new Set(Array.from({ length: 8 }, (_, i) => Symbol(String(i))));
    expect(formatReport(check({ set }, { channels: ['worker'] }).findings)).toContain('  $.set.values()[*]  throw ');
  });

  it('does not collapse findings that have no index or entry in their path', () => {
    const value = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${i}`, () => i]));
    const lines = formatReport(check(value, { channels: ['worker'] }).findings, { maxPerGroup: 2 }).split('\n');
    expect(lines.filter((l) => l.startsWith('  $'))).toHaveLength(8);
  });
});

describe('formatSummary', () => {
  it('counts the findings by severity, most serious first', () => {
    const findings = check({ ...job, when: new Date(0), s: new SharedArrayBuffer(8) }).findings;
    const counts = countSeverities(findings);
    expect(counts).toEqual({
      throw: findings.filter((f) => f.severity === 'throw').length,
      loss: findings.filter((f) => f.severity === 'loss').length,
      reshape: findings.filter((f) => f.severity === 'reshape').length,
      note: findings.filter((f) => f.severity === 'note').length,
    });
    const parts = (['throw', 'loss', 'reshape', 'note'] as const).filter((e) => counts[e] > 0).map((e) => `${counts[e]} ${e}`);
    expect(parts.length).toBeGreaterThan(2);
    expect(formatSummary(findings)).toBe(`${findings.length} findings (${parts.join(', ')})`);
    expect(strip(formatSummary(findings, { color: true }))).toBe(formatSummary(findings));
  });

  it('says so when there is nothing, and counts one finding as one', () => {
    expect(formatSummary([])).toBe('no findings');
    // A Date through JSON is a change of form by effect, and a loss by severity: the count says loss.
    const one: Finding[] = check({ when: new Date(0) }, { channels: ['fork'] }).findings;
    expect(one.map((f) => [f.effect, f.severity])).toEqual([['changed', 'loss']]);
    expect(formatSummary(one)).toBe('1 finding (1 loss)');
  });
});

describe('one set of words for the counts', () => {
  // On fork: a function dropped and a Date turned string (loss), a frozen object unfrozen (reshape).
  const value = { onDone: () => 1, when: new Date(0), box: Object.freeze({ a: 1 }), s: new SharedArrayBuffer(8) };

  it('the CLI summary line, formatReport, formatSummary and CloneCheckError say the same counts in the same order', () => {
    const findings = check(value, { channels: ['fork'] }).findings;
    const counts = countSeverities(findings);
    expect(counts.loss).toBeGreaterThan(1);
    expect(counts.reshape).toBeGreaterThan(0);
    const words = severityCounts(counts);
    expect(words).toMatch(/^\d+ throw, \d+ loss, \d+ reshape$|^\d+ loss, \d+ reshape$/);

    const line = summaryLine({ ...emptyTotals(), files: 1, subjects: 1, checked: 1, counts }, 'loss', ['fork'], false);
    expect(line).toContain(`: ${findingsSummary(counts)}`);
    expect(line).toContain(`(${words})`);
    expect(formatSummary(findings)).toBe(findingsSummary(counts));
    expect(formatReport(findings).split('\n')[0]).toBe(`fork: ${words}`);

    // CloneCheckError (and so assertCloneable, the matcher and the guard) lists every finding it is given.
    const error = new CloneCheckError(findings);
    expect(error.message).toContain(`\nfork: ${words}\n`);
    expect(error.message).not.toMatch(/\d+ (throws|dropped|changed)\b/);
  });
});

/** A subject checked with Node 20's rules, whichever line runs the test (a URL, below, throws over a worker from Node 22). */
const subject = (value: unknown, extra: Partial<ReportSubject> = {}): ReportSubject => {
  const result = check(value, { target: 'node20' });
  return { kind: 'export', name: 'x', file: 'x.ts', channels: result.channels, findings: result.findings, ignored: [], ...extra };
};

describe('report entries (viewOf)', () => {
  const settings = { failLevel: 'loss' as const, maxEntries: 100 };

  it('one entry per code and path, with every channel it holds on, most serious first, then by path', () => {
    const view = viewOf(subject({ b: new Date(0), a: { onDone() {} }, z: Object.freeze({}) }), settings);
    expect(view.entries.map((e) => [e.severity, e.code, e.at, e.channels.join('+')])).toEqual([
      ['throw', 'FUNCTION_NOT_CLONEABLE', '$.a.onDone', 'worker+fork-advanced'],
      ['loss', 'FUNCTION_DROPPED', '$.a.onDone', 'fork'],
      ['loss', 'DATE_BECOMES_STRING', '$.b', 'fork'],
      ['reshape', 'INTEGRITY_LOST', '$.z', 'worker+fork+fork-advanced'],
    ]);
    expect(view.entries.map((e) => e.failing)).toEqual([true, true, true, false]);
    expect(view.counts).toEqual({ throw: 2, loss: 2, reshape: 3, note: 0 });
    expect(view.failing).toBe(4);
  });

  it("keeps one line per sentence where the channels' sentences cannot be read as one", () => {
    const view = viewOf(subject({ u: new URL('https://example.com/') }), settings);
    const lines = view.entries.filter((e) => e.at === '$.u');
    // worker and fork-advanced say the same but for the serializer's name; JSON says something else.
    expect(lines.map((e) => e.channels.join('+'))).toEqual(['worker+fork-advanced', 'fork']);
    expect(lines[0]!.message).toMatch(/structured clone or the advanced \(V8\) serializer/);
    expect(lines[1]!.message).toBe(check({ u: new URL('https://example.com/') }, { channels: ['fork'], target: 'node20' }).findings[0]!.message);
  });

  it('gives each hint once, on its first entry', () => {
    const view = viewOf(subject({ a: new Date(0), b: new Date(1), c: new Set() }), settings);
    expect(view.entries.map((e) => [e.code, e.at, e.hint !== undefined])).toEqual([
      ['DATE_BECOMES_STRING', '$.a', true],
      ['DATE_BECOMES_STRING', '$.b', false],
      ['SET_BECOMES_OBJECT', '$.c', true],
    ]);
  });

  it('collapses a rule over more than five elements into one entry with the count and the first paths', () => {
    const five = viewOf(subject(Array.from({ length: 5 }, () => new Date(0))), settings);
    expect(five.entries.map((e) => e.at)).toEqual(['$[0]', '$[1]', '$[2]', '$[3]', '$[4]']);
    const many = viewOf(subject({ m: new Map(Array.from({ length: 7 }, (_, i) => [i, () => i])) }), settings);
    expect(many.entries.map((e) => [e.code, e.at, e.count, e.channels.join('+')])).toEqual([
      ['FUNCTION_NOT_CLONEABLE', '$.m.get(*)', 7, 'worker+fork-advanced'],
      ['MAP_BECOMES_OBJECT', '$.m', 1, 'fork'],
    ]);
    expect(many.entries[0]!.paths).toEqual(['$.m.get(0)', '$.m.get(1)', '$.m.get(2)']);
  });

  it('keeps at most maxEntries entries and counts the rest', () => {
    const value = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, new Date(0)]));
    const view = viewOf(subject(value), { ...settings, maxEntries: 10 });
    expect(view.entries).toHaveLength(10);
    expect(view.omitted).toBe(2);
    expect(view.counts.loss).toBe(12);
  });

  it('fails by the fail level: none never, reshape for strict, a list of effects in the older form', () => {
    const s = subject({ d: new Date(0), z: Object.freeze({}) });
    expect(viewOf(s, { ...settings, failLevel: 'none' }).failing).toBe(0);
    expect(viewOf(s, { ...settings, failLevel: 'loss' }).failing).toBe(1);
    expect(viewOf(s, { ...settings, failLevel: 'reshape' }).failing).toBe(4);
    expect(viewOf(s, { ...settings, failLevel: 'throw' }).failing).toBe(0);
    expect(viewOf(s, { ...settings, failLevel: ['changed'] }).failing).toBe(4);
  });
});

describe('report helpers', () => {
  it('merges the sentences of one rule on several channels into one', () => {
    expect(
      mergeMessages([
        'A function cannot be copied by structured clone, so the send throws.',
        'A function cannot be copied by the advanced (V8) serializer, so the send throws.',
      ]),
    ).toBe('A function cannot be copied by structured clone or the advanced (V8) serializer, so the send throws.');
    expect(mergeMessages(['Same.', 'Same.'])).toBe('Same.');
    expect(mergeMessages(['One thing.', 'Another.'])).toBeUndefined();
    expect(
      mergeMessages([
        'A URL arrives as a plain object: structured clone does not know this type or what its toJSON() returns.',
        'A URL arrives as a plain object: the advanced (V8) serializer does not know this type.',
      ]),
    ).toBeUndefined();
  });

  it('elides long paths in the middle', () => {
    const at = `$${'.next'.repeat(2000)}.onDone`;
    const short = elide(at);
    expect(short.length).toBeLessThanOrEqual(100);
    expect(short.startsWith('$.next.next')).toBe(true);
    expect(short.endsWith('.next.onDone')).toBe(true);
    expect(short).toContain(' ... ');
    expect(elide('$.a.b')).toBe('$.a.b');
  });

  it('orders paths step by step: indices by number, then keys, symbols, entries; shorter first', () => {
    const paths = [['b'], [10], [2], ['a', 'x'], ['a'], [Symbol('s')], [{ kind: 'map-value' as const, index: 0 }]];
    expect([...paths].sort(comparePaths)).toEqual([[2], [10], ['a'], ['a', 'x'], ['b'], [paths[5]![0]], [{ kind: 'map-value', index: 0 }]]);
  });

  it('orders keys naturally: digits by number', () => {
    expect(['on10', 'on2', 'b', 'a1b', 'a10', 'a9', 'on1'].sort(compareKeys)).toEqual(['a1b', 'a9', 'a10', 'b', 'on1', 'on2', 'on10']);
  });

  it('escapes GitHub workflow commands as the runner reads them', () => {
    expect(escapeData('50% done\nhint: x')).toBe('50%25 done%0Ahint: x');
    expect(escapeProperty('export job, $.a: b')).toBe('export job%2C $.a%3A b');
  });

  it("reads each code's description from docs/codes.md", () => {
    const d = readCodeDescriptions(
      '### `A_CODE`\n\n**Effect:** `throws`\n\nFirst paragraph\nacross lines.\n\n```js\ncode\n```\n\n- a list\n\nMore prose.\n\n### `B_CODE`\n\nB.\n',
    );
    expect(d.get('A_CODE')).toEqual({ short: 'First paragraph across lines.', full: 'First paragraph across lines. More prose.' });
    expect(d.get('B_CODE')).toEqual({ short: 'B.', full: 'B.' });
  });
});

describe('paths, globs and export locations', () => {
  it('turns globs into expressions over relative paths', () => {
    const re = globToRegExp('src/**/*.{ts,mjs}');
    expect(['src/a.ts', 'src/x/y/b.mjs', 'src/a.js', 'lib/a.ts'].map((p) => re.test(p))).toEqual([true, true, false, false]);
    expect(globToRegExp('*.ts').test('dir/a.ts')).toBe(false);
    expect(globToRegExp('a?[0-9].ts').test('ab1.ts')).toBe(true);
  });

  it('expands files, directories and globs in order, each once, and lists what names nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clonecheck-paths-'));
    try {
      for (const f of ['a.ts', 'b.mjs', 'c.d.ts', 'notes.md']) writeFileSync(join(dir, f), '');
      const out = expandPaths(['b.mjs', '.', '*.ts', 'nope.ts', 'x*.ts'], dir);
      expect(out.files).toEqual(['b.mjs', 'a.ts']);
      expect(out.missing).toEqual([
        { file: 'nope.ts', error: 'nope.ts: no such file', index: 2 },
        { file: 'x*.ts', error: 'x*.ts: no file matches this pattern', index: 2 },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds where a module declares its exports', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clonecheck-locate-'));
    try {
      const file = join(dir, 'm.ts');
      writeFileSync(
        file,
        [
          'const local = 1;',
          'export const job = {};',
          'export async function make() {}',
          'export default class {}',
          'export { local as renamed };',
          'export class Customer {}',
        ].join('\n'),
      );
      const at = locateExports(file, ['job', 'make', 'default', 'renamed', 'Customer', 'missing']);
      expect(Object.fromEntries(at)).toEqual({
        job: { line: 2, column: 14 },
        make: { line: 3, column: 23 },
        default: { line: 4, column: 8 },
        renamed: { line: 5, column: 19 },
        Customer: { line: 6, column: 14 },
      });
      const cjs = join(dir, 'c.cjs');
      writeFileSync(cjs, 'exports.settings = {};\nmodule.exports.retryAt = 1;\n');
      expect(Object.fromEntries(locateExports(cjs, ['settings', 'retryAt']))).toEqual({ settings: { line: 1, column: 9 }, retryAt: { line: 2, column: 16 } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
