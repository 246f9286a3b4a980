// Every value measured for the per-line table (test/lines/cases.json), judged on the
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
  /** The whole disagreement the gap shows (after the case's id and name): any other one on the case is a regression. */
  readonly shows: RegExp;
}[] = [
  {
    ids: [94],
    lines: ALL,
    channels: ALL_CHANNELS,
    why: 'a getter that throws makes the send throw; clonecheck never runs getters (README, Limits)',
    shows: /^the real send threw \(Error: getter exploded\), but the checker predicted ACCESSOR_FLATTENED \$\.boom$/,
  },
  {
    ids: [97],
    lines: ALL,
    channels: ['fork'],
    why: 'a toJSON() that returns undefined sends nothing and the child fails to parse it; the checker reports TOJSON_CALLED',
    shows: /^the receiver crashed \(.*SyntaxError: .*\), but the checker predicted PROTOTYPE_LOST \$, TOJSON_CALLED \$$/,
  },
  {
    ids: [1025],
    lines: [20],
    channels: V8_CHANNELS,
    why: "on Node 20 an Error whose stack is not a string arrives with stack undefined (ERROR_FIELD_CHANGED says so when it can read the stack), but a stack assigned as data looks like V8's lazy stack, whose descriptor cannot be read there without formatting it, which runs Error.prepareStackTrace and the error's name and message getters",
    shows: /^unpredicted at \$\.stack: arrived different, and no finding says so: value: number 42 → undefined$/,
  },
  {
    ids: [135, 136, 137, 138, 139, 140, 1009, 1054],
    lines: [24, 26],
    channels: ['fork-advanced'],
    why: 'from Node 24 a multi-byte typed array spanning its buffer arrives intact or re-based depending on the offset its bytes land at in the message; VIEW_REBASED cannot say which',
    shows: /^unconfirmed at \$(\.keys\(\)\[0\])?: VIEW_REBASED says it is changed, but nothing differs there$/,
  },
  {
    ids: [1087, 1091],
    lines: [26],
    channels: ['fork', 'json'],
    why: "JSON calls a Temporal prototype's toJSON on an object that only inherits it, which throws; the checker's list of built-in methods that check their receiver has no Temporal ones",
    shows:
      /^the real send threw \(TypeError: Method Temporal\.\w+\.prototype\.toJSON called on incompatible receiver \[object Temporal\.\w+\]\), but the checker predicted PROTOTYPE_LOST \$, TOJSON_CALLED \$$/,
  },
  {
    ids: [1088],
    lines: [26],
    channels: V8_CHANNELS,
    why: 'a Temporal object whose prototype was replaced by Object.prototype still makes the serializers throw; the walk tells built-ins without their prototype by a list of slot checks that has no Temporal one',
    shows: /^the real send threw \((DataCloneError|Error): #<Object> could not be cloned\.\), but the checker predicted nothing$/,
  },
];

/**
 * Why a case cannot be built on a line before its `since` (cases.json: the first line that has what
 * it needs, named by `needs`). A case that fails to build on a line it does not declare, or builds
 * on a line it says it cannot, fails the test.
 */
export function buildProblem(c: Case, built: boolean, error: unknown, on: number): string | undefined {
  const declared = c.since !== undefined && on < c.since;
  if (!built && !declared) return `${c.id} ${c.name}: cannot be built on Node ${on} (${String(error)}), and cases.json declares no since for it`;
  if (built && declared) return `${c.id} ${c.name}: built on Node ${on}, but cases.json says it needs ${c.needs ?? '?'} from Node ${c.since}`;
  return undefined;
}

interface Case {
  readonly id: number;
  readonly name: string;
  readonly code: string;
  /** The first Node.js line that can build the value, when it is not 20. */
  readonly since?: number;
  /** What the value needs that older lines lack (Float16Array, Temporal, ...). */
  readonly needs?: string;
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

const allCases = JSON.parse(readFileSync(new URL('./cases.json', here), 'utf8')) as Case[];
const cases = allCases.filter((c) => !(c.id in LEFT_OUT));

describe('cases that need a later line', () => {
  it('declare since exactly where the measurements of each line could not build them', () => {
    for (const on of ALL) {
      const measured = (JSON.parse(readFileSync(new URL(`./measured/node${on}.json`, here), 'utf8')) as { results: Record<string, Record<string, string>> })
        .results;
      const unbuilt = allCases.filter((c) => Object.values(measured[c.id] ?? {}).some((o) => o.startsWith('cannot be built'))).map((c) => c.id);
      const declared = allCases.filter((c) => c.since !== undefined && on < c.since).map((c) => c.id);
      expect({ on, ids: unbuilt }).toEqual({ on, ids: declared });
    }
  });

  it('an undeclared build failure is a problem, and so is a declared one that builds', () => {
    const c: Case = { id: 0, name: 'x', code: 'x' };
    expect(buildProblem(c, false, new ReferenceError('x is not defined'), 20)).toMatch(/declares no since/);
    expect(buildProblem(c, true, undefined, 20)).toBeUndefined();
    expect(buildProblem({ ...c, since: 24, needs: 'X' }, false, new ReferenceError('X is not defined'), 22)).toBeUndefined();
    expect(buildProblem({ ...c, since: 24, needs: 'X' }, true, undefined, 24)).toBeUndefined();
    expect(buildProblem({ ...c, since: 24, needs: 'X' }, true, undefined, 22)).toMatch(/needs X from Node 24/);
  });
});

describe(`the measured values against the real channels of Node ${process.versions.node}`, () => {
  for (const channel of ALL_CHANNELS) {
    it(`${channel}: ${cases.length} values`, async () => {
      const disagree: string[] = [];
      const unbuilt: string[] = [];
      let sent = 0;
      for (const c of cases) {
        let value: unknown;
        let built = true;
        let error: unknown;
        try {
          value = (0, eval)(`(${c.code})`);
        } catch (e) {
          built = false;
          error = e;
        }
        const problem = buildProblem(c, built, error, line);
        if (problem !== undefined) unbuilt.push(problem);
        if (!built) continue; // declared: this line lacks what the case needs
        sent++;
        const verdict = await judge(value, channel);
        if (verdict.problems.length > 0) disagree.push(`${c.id} ${c.name}: ${verdict.problems.join('; ').slice(0, 300)}`);
      }
      // A known gap covers its case only where the case shows that gap's disagreement and no other.
      const known = cases.flatMap((c) => {
        const gap = KNOWN_GAPS.find((g) => g.ids.includes(c.id) && g.lines.includes(line) && g.channels.includes(channel));
        return gap ? [{ key: `${c.id} ${c.name}`, shows: gap.shows }] : [];
      });
      const shown = (k: { key: string; shows: RegExp }, d: string): boolean => d.startsWith(`${k.key}: `) && k.shows.test(d.slice(k.key.length + 2));
      const unexpected = disagree.filter((d) => !known.some((k) => shown(k, d)));
      const fixed = known.filter((k) => !disagree.some((d) => d.startsWith(`${k.key}: `))).map((k) => k.key);
      console.log(`${channel} on Node ${process.versions.node}: ${sent} values sent, ${disagree.length} known disagreements`);
      expect(unbuilt, 'a case that cannot be built on a line says so with since').toEqual([]);
      expect(unexpected).toEqual([]);
      expect(fixed, 'these agree now: take them off KNOWN_GAPS').toEqual([]);
    }, 300_000);
  }
});
