// The per-line table of docs/channels.md is the measurements, not a copy that drifts from them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs helper shared with test/lines/measure.mjs, without types
import { differences, linesSection, linesTable, measuredLines } from './table.mjs';

describe('the per-line table in docs/channels.md', () => {
  it('is the one computed from test/lines/measured/*.json', () => {
    const docs = readFileSync(new URL('../../docs/channels.md', import.meta.url), 'utf8');
    expect(linesSection(docs)).toBe(linesTable());
  });

  it('has every line measured, and the differences the issue names among its rows', () => {
    expect(measuredLines().map((m: { line: number }) => m.line)).toEqual([20, 22, 24, 26]);
    const rows: { name: string; channel: string; outcomes: Record<number, string> }[] = differences();
    const row = (name: string, channel: string) => rows.find((r) => r.name === name && r.channel === channel)?.outcomes;
    expect(row('Headers', 'worker')).toMatchObject({
      20: 'changed: $ kind: Headers → Object',
      22: 'throws DataCloneError',
      24: 'throws DataCloneError',
      26: 'throws DataCloneError',
    });
    expect(row('DOMException', 'worker')).toMatchObject({ 22: 'same', 24: 'same', 26: 'same' });
    expect(row('File', 'worker')).toMatchObject({ 20: 'changed: $ kind: File → Blob', 22: 'changed: $ kind: File → Blob', 24: 'same', 26: 'same' });
    expect(row('Uint8Array over a detached buffer', 'fork-advanced')).toMatchObject({ 20: 'throws TypeError', 22: 'throws TypeError' });
  });
});
