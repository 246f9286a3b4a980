// JSON.rawJSON() (Node 22+): JSON writes its text as it is, the receiver's JSON.parse() makes a
// number of it. rawJsonRounding says when that number is not the one written; the real sends on
// Node 22, 24 and 26 are in test/lines/matrix.test.ts (cases 1066 and 1067).
import { describe, expect, it } from 'vitest';
import { rawJsonRounding } from '../src/walk/tojson.js';

describe('rawJsonRounding', () => {
  it('is undefined for a number JSON.parse gives back as written, and for text that is not a number', () => {
    for (const text of ['0', '-0', '1', '1.5', '0.1', '-12.25', '1e2', '1E-7', '9007199254740991', '0.30000000000000004', '"str"', 'true', 'null', '1.50']) {
      expect(rawJsonRounding(text), text).toBeUndefined();
    }
  });

  it("says what the receiver gets where a double cannot hold the text's digits or range", () => {
    for (const text of ['12345678901234567890', '9007199254740993', '-9007199254740993', '1.00000000000000000001', '123456789012345678.5', '1e400', '-1e400']) {
      expect(rawJsonRounding(text), text).toBe(String(JSON.parse(text)));
    }
  });
});
