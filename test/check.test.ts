import { describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { FINDING_CODES } from '../src/findings/codes.js';
import { ALL_CHANNELS, type Channel } from '../src/types.js';
import { corpus } from './corpus.js';

const codesOn = (value: unknown, channel: Channel): string[] => [...new Set(check(value, { channels: [channel] }).findings.map((f) => f.code))].sort();

describe('the fixed corpus', () => {
  for (const c of corpus) {
    it(c.name, () => {
      const value = c.make();
      for (const channel of ALL_CHANNELS) {
        expect({ channel, codes: codesOn(value, channel) }).toEqual({ channel, codes: [...new Set(c[channel] ?? [])].sort() });
      }
    });
  }

  it('covers every code, with the transfer cases below, the depth case in safety.test.ts and the Node 22+ values of test/lines/cases.json', () => {
    const seen = new Set(corpus.flatMap((c) => ALL_CHANNELS.flatMap((ch) => c[ch] ?? [])));
    for (const t of transferCases) for (const code of t.codes) seen.add(code);
    // JSON.rawJSON() exists from Node 22: its cases (1066, 1067) are judged against real sends on each line by test/lines/matrix.test.ts.
    const laterLines = ['RAW_JSON_ROUNDED'];
    expect(FINDING_CODES.filter((code) => !seen.has(code) && code !== 'NESTING_TOO_DEEP' && code !== 'CHECK_INCOMPLETE' && !laterLines.includes(code))).toEqual(
      [],
    );
  });
});

const transferCases = [
  {
    name: 'a transferred ArrayBuffer',
    make: () => {
      const ab = new ArrayBuffer(8);
      return { value: { ab }, transferList: [ab] };
    },
    codes: ['TRANSFERRED'],
  },
  {
    name: 'a transferred MessagePort',
    make: () => {
      const { port1, port2 } = new MessageChannel();
      port2.close();
      return { value: { port1 }, transferList: [port1] };
    },
    codes: ['TRANSFERRED'],
  },
  {
    name: "a pooled Buffer's store",
    make: () => {
      const b = Buffer.from('pooled');
      return { value: b, transferList: [b.buffer] };
    },
    codes: ['BUFFER_BECOMES_UINT8ARRAY', 'POOLED_BUFFER_NOT_TRANSFERRED'],
  },
  {
    name: 'a view in the transferList',
    make: () => {
      const u8 = new Uint8Array(4);
      return { value: u8, transferList: [u8] };
    },
    codes: ['TRANSFER_LIST_INVALID'],
  },
  {
    name: 'a duplicate entry',
    make: () => {
      const ab = new ArrayBuffer(4);
      return { value: ab, transferList: [ab, ab] };
    },
    codes: ['TRANSFERRED', 'TRANSFER_LIST_INVALID'],
  },
] as const;

describe('transferList (worker)', () => {
  for (const t of transferCases) {
    it(t.name, () => {
      const { value, transferList } = t.make();
      const codes = check(value, { channels: ['worker'], transferList })
        .findings.map((f) => f.code)
        .sort();
      expect(codes).toEqual([...t.codes].sort());
    });
  }
});
