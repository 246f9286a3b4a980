// How each channel treats a closure's captured values, were they sent as data. One source of truth:
// the verdict of a kind of value is what check() says of a value of that kind, made here once and
// checked once per Node.js line (the rules live only in src/channels/ and the walk). Pinned by real
// sends in test/origin-verdict.test.ts.
import { check } from './check/index.js';
import { atLeast, type Severity } from './findings/severity.js';
import { capturedValues } from './origin/origin.js';
import type { Capture, CaptureCategory } from './origin/types.js';
import { SafeMap, TYPED_ARRAY_NAMES } from './realm/intrinsics.js';
import { ALL_CHANNELS, type Channel, type Target } from './types.js';

/** The worst a channel does to the value: `ok` (arrives the same) or the severity of what happens. */
export type CaptureVerdict = 'ok' | Exclude<Severity, 'note'>;

export interface JudgedCapture extends Capture {
  /** One verdict per channel asked for. */
  readonly verdicts: Readonly<Partial<Record<Channel, CaptureVerdict>>>;
  /**
   * `kind`: judged by the value's kind alone (a plain object or array is `ok` there, whatever it
   * holds). `value`: judged by the caller's `judge` on the value itself.
   */
  readonly judgedBy: 'kind' | 'value';
}

/** A judge of a captured value: per channel, `ok` or how badly it fares (the checker's worst severity). */
export type CaptureJudge = (value: unknown, channels: readonly Channel[]) => Readonly<Partial<Record<Channel, CaptureVerdict>>>;

// ---- one value of each kind, made when this module loads (before any code of the caller's can
// replace a built-in that constructors such as `new Map(entries)` call) ----

type Make = () => unknown;
const global = globalThis as unknown as Record<string, (new (...args: unknown[]) => object) | undefined>;
const subclassOf = (Base: new (...args: never[]) => object): Make => {
  const Sub = class extends Base {};
  return () => new (Sub as unknown as new () => object)();
};

/** Per category: the kind named by `named` (the built-in itself) and a stand-in for any other kind (a subclass of it). */
const BY_CATEGORY: Readonly<Record<CaptureCategory, { readonly own?: Readonly<Record<string, Make>>; readonly other: Make }>> = {
  primitive: { own: { string: () => 'text', boolean: () => true, null: () => null }, other: () => 1 },
  'number-special': { other: () => NaN },
  undefined: { other: () => undefined },
  bigint: { other: () => 1n },
  symbol: { other: () => Symbol('s') },
  // By kind only: a plain object or an array is `ok`, whatever it holds (its contents decide).
  plain: { own: { Array: () => [], 'null-prototype object': () => Object.create(null) as object }, other: () => ({}) },
  map: { own: { Map: () => new Map([[1, 1]]) }, other: subclassOf(Map) },
  set: { own: { Set: () => new Set([1]) }, other: subclassOf(Set) },
  date: { own: { Date: () => new Date(0) }, other: subclassOf(Date) },
  regexp: { own: { RegExp: () => /a/ }, other: subclassOf(RegExp) },
  error: { own: errorMakers(), other: subclassOf(Error) },
  binary: { other: () => new ArrayBuffer(8) },
  view: { own: viewMakers(), other: subclassOf(Uint8Array) },
  shared: { other: () => new SharedArrayBuffer(8) },
  boxed: { other: () => Object(7) as object },
  function: { other: () => () => 1 },
  class: { other: () => class Stand {} },
  uncloneable: { own: { WeakSet: () => new WeakSet() }, other: () => new WeakMap() },
  proxy: { other: () => new Proxy({}, {}) },
  instance: {
    other: () =>
      new (class Stand {
        method(): number {
          return 1;
        }
      })(),
  },
};

function errorMakers(): Record<string, Make> {
  const out: Record<string, Make> = {};
  for (const name of ['Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError']) {
    const E = global[name];
    if (E) out[name] = () => new E('e');
  }
  out.AggregateError = () => new AggregateError([], 'e');
  return out;
}

function viewMakers(): Record<string, Make> {
  const out: Record<string, Make> = { DataView: () => new DataView(new ArrayBuffer(8)), Buffer: () => Buffer.alloc(4) };
  for (const name of TYPED_ARRAY_NAMES) {
    const View = global[name];
    if (View) out[name] = () => new View(2);
  }
  return out;
}

/** A value of the capture's kind (`Map`, `Buffer`, `Float32Array`), or of its category when the kind is a subclass or a class of the caller's. */
const STAND_INS = new SafeMap<string, unknown>();
for (const category of Object.keys(BY_CATEGORY) as CaptureCategory[]) {
  const { own, other } = BY_CATEGORY[category];
  STAND_INS.set(`${category}:`, other());
  for (const kind of Object.keys(own ?? {})) STAND_INS.set(`${category}:${kind}`, own![kind]!());
}

function standIn(capture: Pick<Capture, 'kind' | 'category'>): { key: string; value: unknown } {
  const exact = `${capture.category}:${capture.kind}`;
  if (STAND_INS.has(exact)) return { key: exact, value: STAND_INS.get(exact) };
  const key = `${capture.category}:`;
  return { key, value: STAND_INS.get(key) };
}

// ---- the checker's verdict on a stand-in, once per stand-in and Node.js line ----

const VERDICTS = new SafeMap<string, Readonly<Partial<Record<Channel, CaptureVerdict>>>>();

/** The worst severity check() gives on each channel, for `value` sent as a property of a message (`{ v: value }`). */
function judged(value: unknown, channels: readonly Channel[], target: Target | undefined): Partial<Record<Channel, CaptureVerdict>> {
  const result = check({ v: value }, { channels, origins: false, ...(target ? { target } : {}) });
  const out: Partial<Record<Channel, CaptureVerdict>> = {};
  for (let i = 0; i < channels.length; i++) out[channels[i]!] = 'ok';
  for (let i = 0; i < result.findings.length; i++) {
    const f = result.findings[i]!;
    const worst = out[f.channel];
    if (f.severity === 'note') continue;
    if (worst === undefined || worst === 'ok' || !atLeast(worst, f.severity)) out[f.channel] = f.severity;
  }
  return out;
}

/**
 * The verdict of one capture on one channel, by its kind: what check() says of a value of that kind
 * (of its category, for a subclass or a class of the caller's), on `target`'s rules.
 *
 * @example verdictByKind({ kind: 'Map', category: 'map' }, 'fork') // 'loss' (MAP_BECOMES_OBJECT)
 */
export function verdictByKind(capture: Pick<Capture, 'kind' | 'category'>, channel: Channel, target?: Target): CaptureVerdict {
  const { key, value } = standIn(capture);
  const cacheKey = `${target ?? ''}|${key}`;
  let row = VERDICTS.get(cacheKey);
  if (!row) VERDICTS.set(cacheKey, (row = judged(value, ALL_CHANNELS, target)));
  return row[channel] ?? 'ok';
}

/**
 * Each capture of `fn` with a verdict per channel: by kind, or by `judge` (e.g. a wrapper around
 * `check()`) for captures that travel as data. `[]` when `fn` has no known captures.
 *
 * @example
 * captureVerdicts(job, ['worker', 'fork'])
 * // [{ name: 'db', kind: 'Pool', travel: 'recreate', verdicts: { worker: 'loss', fork: 'loss' }, judgedBy: 'kind', ... },
 * //  { name: 'prefix', kind: 'string', travel: 'data', verdicts: { worker: 'ok', fork: 'ok' }, judgedBy: 'kind', ... }]
 */
export function captureVerdicts(fn: unknown, channels: readonly Channel[], judge?: CaptureJudge, target?: Target): JudgedCapture[] {
  const out: JudgedCapture[] = [];
  const captured = capturedValues(fn);
  for (let i = 0; i < captured.length; i++) {
    const { capture, value } = captured[i]!;
    let verdicts: Partial<Record<Channel, CaptureVerdict>> | undefined;
    let judgedBy: JudgedCapture['judgedBy'] = 'kind';
    if (judge && capture.travel === 'data') {
      try {
        verdicts = { ...judge(value, channels) };
        judgedBy = 'value';
      } catch {
        verdicts = undefined;
      }
    }
    if (!verdicts) {
      verdicts = {};
      for (let c = 0; c < channels.length; c++) verdicts[channels[c]!] = verdictByKind(capture, channels[c]!, target);
    }
    out[out.length] = { ...capture, verdicts, judgedBy };
  }
  return out;
}
