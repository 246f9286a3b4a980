// Every value measured for the per-line table (test/lines/cases.json, 260 cases), judged on the
// running line: check() against what a real Worker, real forked children (json and advanced),
// JSON and v8.serialize() of this Node deliver. Run by `npm test` on the running Node and, through
// test/lines/lines.test.ts, inside every other line.
//
// Where the checker is known to be wrong on a line, KNOWN_GAPS says so and why; such a case must
// still disagree there (a fixed gap fails until it is taken off the list), and no other may.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { closeRoundTrip } from '../../src/verify/roundtrip.js';
import { ALL_CHANNELS, type Channel } from '../../src/types.js';
import { judge } from '../oracle.js';

afterAll(() => closeRoundTrip());

const line = Number(process.versions.node.split('.')[0]);
const ALL = [20, 22, 24, 26];
const V8_CHANNELS: Channel[] = ['worker', 'fork-advanced', 'v8'];

/** Cases left out, and why. */
const LEFT_OUT: Readonly<Record<number, string>> = {
  33: 'nesting limits are approximate by design (README, Limits); the measured ones are in docs/channels.md',
  34: 'the same',
  35: 'the same',
  1039: 'the same',
  1040: 'the same',
  1041: 'the same',
  1042: 'the same',
  51: 'a sparse array of a million slots: JSON writes a million nulls, slow to describe on both sides',
  52: 'an array of length 2**32-1: JSON would write four billion nulls',
  188: "globalThis, process and process.env of a test runner carry the runner's own changes (measured outside one: docs/channels.md)",
  189: 'the same',
  190: 'the same',
};

export const KNOWN_GAPS: readonly {
  readonly ids: readonly number[];
  readonly lines: readonly number[];
  readonly channels: readonly Channel[];
  readonly why: string;
}[] = [
  { ids: [94], lines: ALL, channels: ALL_CHANNELS, why: 'a getter that throws makes the send throw; clonecheck never runs getters (README, Limits)' },
  {
    ids: [97],
    lines: ALL,
    channels: ['fork'],
    why: 'a toJSON() that returns undefined sends nothing and the child fails to parse it; the checker reports TOJSON_CALLED',
  },
  { ids: [1025], lines: [20], channels: V8_CHANNELS, why: 'on Node 20 an Error whose stack is not a string arrives with stack undefined; no rule says so yet' },
  {
    ids: [135, 136, 137, 138, 139, 140, 1009, 1054],
    lines: [24, 26],
    channels: ['fork-advanced'],
    why: 'from Node 24 a multi-byte typed array spanning its buffer arrives intact or re-based depending on the offset its bytes land at in the message; VIEW_REBASED cannot say which',
  },
  {
    ids: [128, 1011],
    lines: [24, 26],
    channels: ['fork-advanced'],
    why: 'from Node 24 a view over a detached buffer arrives as an empty view instead of throwing; the checker still reports DETACHED_BUFFER',
  },
  {
    ids: [1037, 1038],
    lines: [26],
    channels: ['fork-advanced'],
    why: "Temporal objects (Node 26) make the advanced serializer throw; the checker sends them as a host object's plain copy",
  },
];

interface Case {
  readonly id: number;
  readonly name: string;
  readonly code: string;
}

const here = new URL('./', import.meta.url);
const require = createRequire(here);
// The names the cases use (test/lines/probe.mjs defines the same for the measurements).
Object.assign(globalThis, {
  require,
  hit: () => 0,
  logProxy: (target: object) => new Proxy(target, {}),
  HELD: {},
  MyArray: class MyArray extends Array {},
  MyDate: class MyDate extends Date {},
  MyMap: class MyMap extends Map {},
  MyU8: class MyU8 extends Uint8Array {},
  Point: class Point {
    constructor(
      public x: number,
      public y: number,
    ) {}
    norm(): number {
      return Math.hypot(this.x, this.y);
    }
  },
  WithFields: class WithFields {
    a = 1;
    b = 'x';
  },
  WithPrivate: class WithPrivate {
    #secret = 1;
    pub = 2;
    secret(): number {
      return this.#secret;
    }
  },
  WithStatic: class WithStatic {
    static s = 1;
    i = 2;
  },
  WithProtoGetter: class WithProtoGetter {
    v = 1;
    get double(): number {
      return this.v * 2;
    }
  },
  WithToJSON: class WithToJSON {
    a = 1;
    toJSON(): unknown {
      return { j: 1 };
    }
  },
  ToJSONUndefined: class ToJSONUndefined {
    a = 1;
    toJSON(): undefined {
      return undefined;
    }
  },
  MyError: class MyError extends Error {},
  NamedError: class NamedError extends Error {
    constructor(m: string) {
      super(m);
      this.name = 'NamedError';
    }
  },
  CERT_PEM: readFileSync(new URL('./cert.pem', here), 'utf8'),
});

const cases = (JSON.parse(readFileSync(new URL('./cases.json', here), 'utf8')) as Case[]).filter((c) => !(c.id in LEFT_OUT));

describe(`the measured values against the real channels of Node ${process.versions.node}`, () => {
  for (const channel of ALL_CHANNELS) {
    it(`${channel}: ${cases.length} values`, async () => {
      const disagree: string[] = [];
      let sent = 0;
      for (const c of cases) {
        let value: unknown;
        try {
          value = (0, eval)(`(${c.code})`);
        } catch {
          continue; // a value this line cannot build (Float16Array before 24, Temporal before 26, ...)
        }
        sent++;
        const verdict = await judge(value, channel);
        if (verdict.problems.length > 0) disagree.push(`${c.id} ${c.name}: ${verdict.problems.join('; ').slice(0, 300)}`);
      }
      const known = cases
        .filter((c) => KNOWN_GAPS.some((g) => g.ids.includes(c.id) && g.lines.includes(line) && g.channels.includes(channel)))
        .map((c) => `${c.id} ${c.name}`);
      const unexpected = disagree.filter((d) => !known.some((k) => d.startsWith(`${k}: `)));
      const fixed = known.filter((k) => !disagree.some((d) => d.startsWith(`${k}: `)));
      console.log(`${channel} on Node ${process.versions.node}: ${sent} values sent, ${disagree.length} known disagreements`);
      expect(unexpected).toEqual([]);
      expect(fixed, 'these agree now: take them off KNOWN_GAPS').toEqual([]);
    }, 300_000);
  }
});
