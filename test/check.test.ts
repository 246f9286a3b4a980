import { describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import { FINDING_CODES } from '../src/codes.js';
import { CHANNELS, type Channel } from '../src/types.js';
import { corpus } from './corpus.js';

const codesOn = (value: unknown, channel: Channel): string[] =>
  [...new Set(check(value, { channels: [channel] }).findings.map((f) => f.code))].sort();

describe('the fixed corpus', () => {
  for (const c of corpus) {
    it(c.name, () => {
      const value = c.make();
      for (const channel of CHANNELS) {
        expect({ channel, codes: codesOn(value, channel) }).toEqual({ channel, codes: [...new Set(c[channel] ?? [])].sort() });
      }
    });
  }

  it('covers every code that a single value can produce', () => {
    const seen = new Set(corpus.flatMap((c) => CHANNELS.flatMap((ch) => c[ch] ?? [])));
    // The transfer codes need a transferList and the depth code a deep chain: tested below.
    const elsewhere = new Set(['TRANSFERRED', 'POOLED_BUFFER_NOT_TRANSFERRED', 'TRANSFER_LIST_INVALID', 'NESTING_TOO_DEEP', 'HOST_OBJECT_PROTOTYPE_CHANGED']);
    expect(FINDING_CODES.filter((code) => !seen.has(code) && !elsewhere.has(code))).toEqual([]);
  });
});
