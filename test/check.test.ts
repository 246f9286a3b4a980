import { describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { FINDING_CODES, type FindingCode } from '../src/findings/codes.js';
import { ALL_CHANNELS, TARGETS, type Channel, type Target } from '../src/types.js';
import { corpus, type CorpusCase } from './corpus.js';
import { KNOWN_GAPS, LATER_LINES, LINE_OF } from './lines/expected.js';

// The corpus's columns are Node 20's: every check here applies Node 20's rules (`target: 'node20'`),
// whichever Node.js line runs the test. test/lines/targets.test.ts checks the corpus for the other targets.
const codesOn = (value: unknown, channel: Channel): string[] =>
  [...new Set(check(value, { channels: [channel], target: 'node20' }).findings.map((f) => f.code))].sort();

const running = TARGETS.reduce<Target>((best, t) => (LINE_OF[t] <= Number(process.versions.node.split('.')[0]) ? t : best), 'node20');

/** Node 20's codes for a case, or where the checker reads the running line instead (test/lines/expected.ts, KNOWN_GAPS) the gap's answer. */
function node20Codes(c: CorpusCase, channel: Channel): string[] {
  const gap = KNOWN_GAPS.find((g) => g.name === c.name && g.channels.includes(channel));
  return [...new Set(gap ? gap.answer('node20', running) : (c[channel] ?? []))].sort();
}

describe('the fixed corpus', () => {
  for (const c of corpus) {
    it(c.name, () => {
      const value = c.make();
      for (const channel of ALL_CHANNELS) {
        expect({ channel, codes: codesOn(value, channel) }).toEqual({ channel, codes: node20Codes(c, channel) });
      }
    });
  }

  it('covers every code, with the transfer cases below, the later lines of test/lines/expected.ts, the depth case in safety.test.ts and the Node 22+ values of test/lines/cases.json', () => {
    const seen = new Set(corpus.flatMap((c) => ALL_CHANNELS.flatMap((ch) => c[ch] ?? [])));
    for (const t of transferCases) for (const target of TARGETS) for (const code of t.codes(target)) seen.add(code);
    // What the corpus gives on later lines (test/lines/expected.ts), checked for every target by test/lines/targets.test.ts.
    for (const byLine of Object.values(LATER_LINES))
      for (const codes of Object.values(byLine)) for (const list of Object.values(codes)) for (const code of list!) seen.add(code);
    // JSON.rawJSON() exists from Node 22: its cases (1066, 1067) are judged against real sends on each line by test/lines/matrix.test.ts.
    const laterLines = ['RAW_JSON_ROUNDED'];
    expect(FINDING_CODES.filter((code) => !seen.has(code) && code !== 'NESTING_TOO_DEEP' && code !== 'CHECK_INCOMPLETE' && !laterLines.includes(code))).toEqual(
      [],
    );
  });
});

/** A transfer case: the codes of a worker send for a target (most are the same on every line). */
interface TransferCase {
  readonly name: string;
  readonly make: () => { value: unknown; transferList: unknown[] };
  readonly codes: (target: Target) => readonly FindingCode[];
}

const transferCases: readonly TransferCase[] = [
  {
    name: 'a transferred ArrayBuffer',
    make: () => {
      const ab = new ArrayBuffer(8);
      return { value: { ab }, transferList: [ab] };
    },
    codes: () => ['TRANSFERRED'],
  },
  {
    name: 'a transferred MessagePort',
    make: () => {
      const { port1, port2 } = new MessageChannel();
      port2.close();
      return { value: { port1 }, transferList: [port1] };
    },
    codes: () => ['TRANSFERRED'],
  },
  {
    // Node 20 silently copies a pooled Buffer's store listed for transfer; from Node 21 the send throws.
    name: "a pooled Buffer's store",
    make: () => {
      const b = Buffer.from('pooled');
      return { value: b, transferList: [b.buffer] };
    },
    codes: (target) => ['BUFFER_BECOMES_UINT8ARRAY', LINE_OF[target] === 20 ? 'POOLED_BUFFER_NOT_TRANSFERRED' : 'TRANSFER_LIST_INVALID'],
  },
  {
    name: 'a view in the transferList',
    make: () => {
      const u8 = new Uint8Array(4);
      return { value: u8, transferList: [u8] };
    },
    codes: () => ['TRANSFER_LIST_INVALID'],
  },
  {
    name: 'a duplicate entry',
    make: () => {
      const ab = new ArrayBuffer(4);
      return { value: ab, transferList: [ab, ab] };
    },
    codes: () => ['TRANSFERRED', 'TRANSFER_LIST_INVALID'],
  },
];

describe('transferList (worker)', () => {
  for (const t of transferCases) {
    for (const target of TARGETS) {
      it(`${t.name} (${target})`, () => {
        const { value, transferList } = t.make();
        const codes = check(value, { channels: ['worker'], transferList, target })
          .findings.map((f) => f.code)
          .sort();
        expect(codes).toEqual([...t.codes(target)].sort());
      });
    }

    it(`${t.name}: throws on a real send on Node ${process.versions.node} exactly when check() says so`, () => {
      const { value, transferList } = t.make();
      const throws = check(value, { channels: ['worker'], transferList }).findings.some((f) => f.effect === 'throws');
      const { port1, port2 } = new MessageChannel();
      let threw = false;
      try {
        port1.postMessage(value, transferList as Parameters<typeof port1.postMessage>[1]);
      } catch {
        threw = true;
      } finally {
        port1.close();
        port2.close();
      }
      expect({ threw }).toEqual({ threw: throws });
    });
  }
});
