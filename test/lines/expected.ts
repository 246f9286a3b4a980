// What the fixed corpus (test/corpus.ts, whose columns are Node 20's) gives on the later lines, where
// it differs: per case, the codes of each channel from a line on (the entry of the highest line not
// above the target holds). Each entry was measured by real sends on that line
// (test/lines/measured/, docs/channels.md "Node.js lines"), and test/lines/lines.test.ts proves it
// again by running test/reality.test.ts inside every line.
import type { FindingCode } from '../../src/findings/codes.js';
import type { Channel, Target } from '../../src/types.js';
import type { CorpusCase } from '../corpus.js';

type Codes = Partial<Record<Channel, readonly FindingCode[]>>;

export const LINE_OF: Readonly<Record<Target, number>> = { node20: 20, node22: 22, node24: 24, node26: 26 };

export const LATER_LINES: Readonly<Record<string, Readonly<Record<number, Codes>>>> = {
  // Node 21 marked URL uncloneable.
  URL: { 22: { worker: ['UNCLONEABLE_TYPE'] } },
  // Node 22 marked the fetch classes and URLSearchParams uncloneable.
  Headers: { 22: { worker: ['UNCLONEABLE_TYPE'] } },
  // Node 22's BlockList has a built-in toJSON(): JSON sends its rules as an array (as a URL's href).
  BlockList: { 22: { fork: ['PLATFORM_OBJECT_BECOMES_PLAIN'], json: ['PLATFORM_OBJECT_BECOMES_PLAIN'], v8: ['HOST_OBJECT_BECOMES_OBJECT'] } },
  'URL with a method of its own': { 22: { worker: ['UNCLONEABLE_TYPE'] } },
  // Node 22's v8.serialize() writes Node's host objects as plain objects instead of throwing.
  Blob: { 22: { v8: ['HOST_OBJECT_BECOMES_OBJECT'] } },
  'Blob with a BigInt of its own': { 22: { v8: ['HOST_OBJECT_BECOMES_OBJECT'] } },
  // From Node 22 an Error's cause cycle is kept: only the cause's attributes change (own cause) or nothing.
  'Error that is its own cause': { 22: { worker: ['ERROR_FIELD_CHANGED'], 'fork-advanced': ['ERROR_FIELD_CHANGED'], v8: ['ERROR_FIELD_CHANGED'] } },
  'Errors that are each other’s cause': { 22: { worker: [], 'fork-advanced': [], v8: [] } },
  // From Node 24 a worker send of a vm.Script sends its own enumerable properties instead of throwing.
  'vm.Script': { 24: { worker: ['HOST_OBJECT_BECOMES_OBJECT'] } },
  File: { 22: { v8: ['HOST_OBJECT_BECOMES_OBJECT'] }, 24: { worker: [], v8: ['HOST_OBJECT_BECOMES_OBJECT'] } },
  // From Node 22 every Error's stack is an accessor on the receiver too: a getter stack arrives as one.
  'Error whose stack is a getter': { 22: { worker: [], 'fork-advanced': [], v8: [] } },
  // From Node 24 the advanced serializer knows a view by its internal slots, not by its own properties.
  'Uint8Array whose prototype is Object.prototype': { 24: { 'fork-advanced': ['SUBCLASS_LOST', 'VIEW_REBASED'] } },
  'Uint8Array with its own Symbol.toStringTag': { 24: { 'fork-advanced': ['SYMBOL_KEY_DROPPED', 'VIEW_REBASED'] } },
  'DataView with its own byteLength': { 24: { 'fork-advanced': ['NON_ENUMERABLE_DROPPED', 'VIEW_REBASED'] } },
  // ...and writes a view over a detached buffer as an empty view instead of throwing.
  'Uint8Array over a detached buffer': { 24: { 'fork-advanced': ['DETACHED_VIEW_BECOMES_EMPTY'] } },
};

/** The codes a corpus case expects on a channel for a target. */
export function expectedCodes(c: CorpusCase, channel: Channel, target: Target): FindingCode[] {
  const line = LINE_OF[target];
  let codes: readonly FindingCode[] = c[channel] ?? [];
  const later = LATER_LINES[c.name];
  if (later !== undefined) {
    let best = 20;
    for (const from of Object.keys(later).map(Number)) {
      const entry = later[from]![channel];
      if (from <= line && from > best && entry !== undefined) {
        best = from;
        codes = entry;
      }
    }
  }
  return [...new Set(codes)].sort();
}

/**
 * Where the checker does not yet give the target's answer, said openly: each entry names the case
 * and channels, what the checker answers instead, and why. A gap that no longer shows fails the test
 * too, so that this list only ever shrinks.
 */
export const KNOWN_GAPS: readonly {
  readonly name: string;
  readonly channels: readonly Channel[];
  readonly why: string;
  /** What the checker answers for `target` when run on `running`. */
  readonly answer: (target: Target, running: Target) => FindingCode[];
}[] = [
  {
    name: 'BlockList',
    channels: ['fork', 'json'],
    why: "JSON rules read the running Node's BlockList.prototype.toJSON (added in Node 22) instead of a per-line rule",
    answer: (_target, running) => (LINE_OF[running] >= 22 ? ['PLATFORM_OBJECT_BECOMES_PLAIN'] : ['HOST_OBJECT_BECOMES_OBJECT']),
  },
];
