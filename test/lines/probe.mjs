// Sends every case of ./cases.json through the real channels of the Node.js that runs this file
// (a Worker, forked children with json and advanced serialization, in-process v8.serialize, JSON and
// structuredClone) and prints what happened to each, as JSON, on stdout. Run by ./measure.mjs once
// per line; the results are ./measured/node<line>.json.
//
// What is recorded is what the receiver got compared with what was sent (docs/contract.md, "sameness"), with the
// facts that vary from run to run (byte offsets into a message buffer, buffer sizes, the bytes of
// that buffer, numbered anonymous prototypes, clock readings) left out, so that two lines differ
// only where their rules do.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { closeRoundTrip, describe, diffDescriptions, inspectArrival } from 'clonecheck/roundtrip';

const here = new URL('./', import.meta.url);
const require = createRequire(here);
let hits = 0;

// The names the cases use, as the Node 20 matrix's harness defined them (the matrix in the
// project's research notes is where most cases come from).
Object.assign(globalThis, {
  require,
  hit: () => ++hits,
  logProxy: (target) => new Proxy(target, { get: (o, k, r) => (hits++, Reflect.get(o, k, r)) }),
  HELD: {},
  MyArray: class MyArray extends Array {},
  MyDate: class MyDate extends Date {},
  MyMap: class MyMap extends Map {},
  MyU8: class MyU8 extends Uint8Array {},
  Point: class Point {
    constructor(x, y) {
      this.x = x;
      this.y = y;
    }
    norm() {
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
    secret() {
      return this.#secret;
    }
  },
  WithStatic: class WithStatic {
    static s = 1;
    i = 2;
  },
  WithProtoGetter: class WithProtoGetter {
    v = 1;
    get double() {
      hits++;
      return this.v * 2;
    }
  },
  WithToJSON: class WithToJSON {
    a = 1;
    toJSON() {
      hits++;
      return { j: 1 };
    }
  },
  ToJSONUndefined: class ToJSONUndefined {
    a = 1;
    toJSON() {
      return undefined;
    }
  },
  MyError: class MyError extends Error {},
  NamedError: class NamedError extends Error {
    constructor(m) {
      super(m);
      this.name = 'NamedError';
    }
  },
  CERT_PEM: readFileSync(new URL('./cert.pem', here), 'utf8'),
});

const CHANNELS = ['worker', 'fork', 'fork-advanced', 'v8', 'json', 'structuredClone'];

/** The facts of a difference that do not depend on where a message buffer happened to be. */
export function steady(what) {
  return what
    .replace(/internal: (byteOffset|byteLength|\[\[buffer\]\] byteLength|\[\[buffer\]\] bytes) .*/, 'internal: $1 differs')
    .replace(/#\d+/g, '')
    .replace(/"\d{4}-\d\d-\d\dT[^"]*"/g, '"<now>"');
}

function outcomeOf(sent, got) {
  const differences = [...new Set(diffDescriptions(sent, got).map((d) => steady(`${d.at} ${d.what}`)))].sort();
  return differences.length === 0
    ? 'same'
    : `changed: ${differences.slice(0, 8).join('; ')}${differences.length > 8 ? `; (${differences.length - 8} more)` : ''}`;
}

function inProcess(value, channel) {
  const sent = describe(value);
  let got;
  try {
    if (channel === 'v8') got = v8.deserialize(v8.serialize(value));
    else if (channel === 'json') got = JSON.parse(JSON.stringify(value));
    else got = structuredClone(value);
  } catch (e) {
    return `throws ${e?.name ?? typeof e}`;
  }
  return outcomeOf(sent, describe(got));
}

async function realSend(value, channel) {
  const a = await inspectArrival(value, channel);
  switch (a.outcome) {
    case 'threw':
      return `throws ${a.error.name}`;
    case 'arrived':
      return outcomeOf(a.sent, a.description);
    case 'swallowed':
      return 'swallowed';
    default:
      return `nothing arrives (${a.reason})`;
  }
}

const cases = JSON.parse(readFileSync(new URL('./cases.json', here), 'utf8'));
const results = {};
for (const c of cases) {
  const row = {};
  for (const channel of CHANNELS) {
    let value;
    try {
      value = (0, eval)(`(${c.code})`);
    } catch (e) {
      row[channel] = `cannot be built (${e?.name ?? typeof e})`;
      continue;
    }
    try {
      row[channel] = channel === 'worker' || channel === 'fork' || channel === 'fork-advanced' ? await realSend(value, channel) : inProcess(value, channel);
    } catch (e) {
      row[channel] = `probe failed (${e?.name}: ${e?.message})`;
    }
  }
  results[c.id] = row;
}
// Nesting limits: the deepest chain of objects (and of arrays) that each channel still delivers,
// found by bisection from a shallow stack. They vary by a few levels with the caller's stack.
const chain = (depth, arrays) => {
  const root = arrays ? [] : {};
  let o = root;
  for (let i = 0; i < depth; i++) {
    const next = arrays ? [] : {};
    if (arrays) o.push(next);
    else o.next = next;
    o = next;
  }
  return root;
};
const delivers = async (channel, depth, arrays) => {
  const value = chain(depth, arrays);
  if (channel === 'worker' || channel === 'fork' || channel === 'fork-advanced') {
    const { outcome } = await inspectArrival(value, channel);
    if (outcome === 'crashed') await closeRoundTrip(); // a fresh receiver for the next try
    return outcome === 'arrived';
  }
  try {
    if (channel === 'v8') v8.deserialize(v8.serialize(value));
    else if (channel === 'json') JSON.parse(JSON.stringify(value));
    else structuredClone(value);
    return true;
  } catch {
    return false;
  }
};
const CEILING = 200_000;
const limits = {};
for (const channel of CHANNELS) {
  for (const arrays of [false, true]) {
    let lo = 100;
    let hi = CEILING;
    if (await delivers(channel, hi, arrays)) {
      limits[`${channel}${arrays ? ' (arrays)' : ''}`] = `over ${CEILING}`;
      continue;
    }
    while (hi - lo > 8) {
      const mid = (lo + hi) >> 1;
      if (await delivers(channel, mid, arrays)) lo = mid;
      else hi = mid;
    }
    limits[`${channel}${arrays ? ' (arrays)' : ''}`] = lo;
  }
}
await closeRoundTrip();
process.stdout.write(
  `${JSON.stringify({ node: process.versions.node, v8: process.versions.v8, platform: `${process.platform}-${process.arch}`, limits, results })}\n`,
);
