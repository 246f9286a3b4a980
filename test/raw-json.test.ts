// JSON.rawJSON() (Node 22+): JSON writes its text as it is, the receiver's JSON.parse() makes a
// number of it. rawJsonRounding says when that number is not the one written; the real sends on
// Node 22, 24 and 26 are in test/lines/matrix.test.ts (cases 1066 and 1067).
import { describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { ALL_CHANNELS } from '../src/types.js';
import { rawJsonRounding } from '../src/walk/tojson.js';

describe('rawJsonRounding', () => {
  it('is undefined for a number JSON.parse gives back as written, and for text that is not a number', () => {
    for (const text of ['0', '-0', '1', '1.5', '0.1', '-12.25', '1e2', '1E-7', '9007199254740991', '0.30000000000000004', '"str"', 'true', 'null', '1.50']) {
      expect(rawJsonRounding(text), text).toBeUndefined();
    }
  });

  it("says what the receiver gets where a double cannot hold the text's digits or range", () => {
    const received: [text: string, value: string][] = [
      ['12345678901234567890', '12345678901234567000'],
      ['9007199254740993', '9007199254740992'],
      ['-9007199254740993', '-9007199254740992'],
      ['1.00000000000000000001', '1'],
      ['123456789012345678.5', '123456789012345680'],
      ['1e400', 'Infinity'],
      ['-1e400', '-Infinity'],
    ];
    for (const [text, value] of received) {
      expect(rawJsonRounding(text), text).toBe(value);
      // What JSON.parse really gives (the receiver's side).
      expect(String(JSON.parse(text)), text).toBe(value);
    }
  });
});

// Run on every line by test/lines/lines.test.ts; JSON.rawJSON exists from Node 22.
describe('check() of JSON.rawJSON values', () => {
  const rawJSON = (JSON as { rawJSON?: (text: string) => unknown }).rawJSON;
  const codes = (value: unknown): Record<string, string[]> => {
    const out: Record<string, string[]> = {};
    for (const f of check(value, { channels: ALL_CHANNELS }).findings) (out[f.channel] ??= []).push(f.code);
    return out;
  };

  it('knows a raw JSON object by its slot, not by its shape: a frozen null-prototype { rawJSON } is an ordinary object', () => {
    const lookalike = Object.freeze(Object.assign(Object.create(null) as object, { rawJSON: '12345678901234567890' }));
    const found = codes({ id: lookalike });
    expect(found['fork']).toEqual(['NULL_PROTOTYPE_LOST', 'INTEGRITY_LOST']);
    expect(Object.values(found).flat()).not.toContain('RAW_JSON_ROUNDED');
  });

  it('the V8 channels throw; JSON sends the parsed value, and a number with more digits than a double holds loses them (Node 22+)', () => {
    expect(typeof rawJSON === 'function').toBe(Number(process.versions.node.split('.')[0]) >= 22);
    if (rawJSON === undefined) return; // Node 20 has no JSON.rawJSON: the lines suite runs this on 22, 24 and 26
    expect(codes({ n: rawJSON('1.5') })).toEqual({
      worker: ['UNCLONEABLE_TYPE'],
      fork: ['BOXED_PRIMITIVE_UNBOXED'],
      'fork-advanced': ['UNCLONEABLE_TYPE'],
      json: ['BOXED_PRIMITIVE_UNBOXED'],
      v8: ['UNCLONEABLE_TYPE'],
    });
    expect(codes({ id: rawJSON('12345678901234567890') })).toEqual({
      worker: ['UNCLONEABLE_TYPE'],
      fork: ['RAW_JSON_ROUNDED'],
      'fork-advanced': ['UNCLONEABLE_TYPE'],
      json: ['RAW_JSON_ROUNDED'],
      v8: ['UNCLONEABLE_TYPE'],
    });
  });
});
