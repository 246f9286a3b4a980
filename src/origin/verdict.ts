// How each channel treats a captured value, were it sent as data. By the value's kind, pinned by
// real sends in test/origin-verdict.test.ts; a caller that has the checker can judge the value itself.
import type { Severity } from '../findings/severity.js';
import type { Channel } from '../types.js';
import { capturedValues } from './origin.js';
import type { Capture, CaptureCategory } from './types.js';
import { TYPED_ARRAY_NAMES } from '../realm/intrinsics.js';

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

type Row = Readonly<Record<Channel, CaptureVerdict>>;
const row = (worker: CaptureVerdict, fork: CaptureVerdict, forkAdvanced: CaptureVerdict, json: CaptureVerdict, v8: CaptureVerdict): Row => ({
  worker,
  fork,
  'fork-advanced': forkAdvanced,
  json,
  v8,
});

/** Per category: worker, fork, fork-advanced, json, v8. */
const TABLE: Readonly<Record<CaptureCategory, Row>> = {
  primitive: row('ok', 'ok', 'ok', 'ok', 'ok'),
  'number-special': row('ok', 'loss', 'ok', 'loss', 'ok'), // NUMBER_NOT_JSON
  undefined: row('ok', 'loss', 'ok', 'loss', 'ok'), // UNDEFINED_DROPPED
  bigint: row('ok', 'throw', 'ok', 'throw', 'ok'), // BIGINT_NOT_JSON
  symbol: row('throw', 'loss', 'throw', 'loss', 'throw'), // SYMBOL_NOT_CLONEABLE, SYMBOL_VALUE_DROPPED
  plain: row('ok', 'ok', 'ok', 'ok', 'ok'), // by kind only: its contents decide
  map: row('ok', 'loss', 'ok', 'loss', 'ok'), // MAP_BECOMES_OBJECT
  set: row('ok', 'loss', 'ok', 'loss', 'ok'), // SET_BECOMES_OBJECT
  date: row('ok', 'loss', 'ok', 'loss', 'ok'), // DATE_BECOMES_STRING
  regexp: row('ok', 'loss', 'ok', 'loss', 'ok'), // BUILTIN_BECOMES_OBJECT
  error: row('ok', 'loss', 'ok', 'loss', 'ok'), // ERROR_BECOMES_OBJECT
  binary: row('ok', 'loss', 'ok', 'loss', 'ok'), // BUILTIN_BECOMES_OBJECT
  view: row('ok', 'loss', 'reshape', 'loss', 'reshape'), // TYPED_ARRAY_BECOMES_OBJECT, BUFFER_BECOMES_JSON; VIEW_REBASED
  shared: row('ok', 'loss', 'throw', 'loss', 'throw'), // SHARED_MEMORY (a note), SHARED_MEMORY_NOT_SERIALIZABLE
  boxed: row('ok', 'reshape', 'ok', 'reshape', 'ok'), // BOXED_PRIMITIVE_UNBOXED
  function: row('throw', 'loss', 'throw', 'loss', 'throw'), // FUNCTION_NOT_CLONEABLE, FUNCTION_DROPPED
  class: row('throw', 'loss', 'throw', 'loss', 'throw'),
  uncloneable: row('throw', 'loss', 'throw', 'loss', 'throw'), // UNCLONEABLE_TYPE, BUILTIN_BECOMES_OBJECT
  proxy: row('throw', 'reshape', 'throw', 'reshape', 'throw'), // PROXY_NOT_CLONEABLE, PROXY_UNWRAPPED
  instance: row('loss', 'loss', 'loss', 'loss', 'loss'), // PROTOTYPE_LOST
};

/** Kinds whose verdict differs from their category's on some channel. */
const BY_KIND: Readonly<Record<string, Partial<Row>>> = {
  // Buffer: a worker and v8.deserialize give a Uint8Array (BUFFER_BECOMES_UINT8ARRAY); fork-advanced keeps it.
  Buffer: { worker: 'reshape', v8: 'reshape' },
};

/** The verdict of one capture on one channel, by its kind. */
export function verdictByKind(capture: Pick<Capture, 'kind' | 'category'>, channel: Channel): CaptureVerdict {
  const special = BY_KIND[capture.kind];
  const v = special?.[channel];
  if (v !== undefined) return v;
  // A subclass of a built-in (class Cache extends Map) arrives as the built-in: its methods are lost.
  if (capture.category !== 'instance' && capture.category !== 'plain' && isSubclassName(capture) && channel !== 'fork' && channel !== 'json') {
    const base = TABLE[capture.category][channel];
    return base === 'throw' ? 'throw' : 'loss';
  }
  return TABLE[capture.category][channel];
}

// Float16Array included (Node 24+): one list with the walker's (realm/intrinsics.ts).
const BUILTIN_NAMES = new Set([
  'Map',
  'Set',
  'Date',
  'RegExp',
  'Error',
  'EvalError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'TypeError',
  'URIError',
  'AggregateError',
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  ...TYPED_ARRAY_NAMES,
  'Buffer',
  'boxed primitive',
]);
const SUBCLASSABLE = new Set<CaptureCategory>(['map', 'set', 'date', 'regexp', 'error', 'binary', 'view']);
const isSubclassName = (c: Pick<Capture, 'kind' | 'category'>): boolean => SUBCLASSABLE.has(c.category) && !BUILTIN_NAMES.has(c.kind);

/**
 * Each capture of `fn` with a verdict per channel: by kind, or by `judge` (e.g. a wrapper around
 * `check()`) for captures that travel as data. `[]` when `fn` has no known captures.
 *
 * @example
 * captureVerdicts(job, ['worker', 'fork'])
 * // [{ name: 'db', kind: 'Pool', travel: 'recreate', verdicts: { worker: 'loss', fork: 'loss' }, judgedBy: 'kind', ... },
 * //  { name: 'prefix', kind: 'string', travel: 'data', verdicts: { worker: 'ok', fork: 'ok' }, judgedBy: 'kind', ... }]
 */
export function captureVerdicts(fn: unknown, channels: readonly Channel[], judge?: CaptureJudge): JudgedCapture[] {
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
      for (let c = 0; c < channels.length; c++) verdicts[channels[c]!] = verdictByKind(capture, channels[c]!);
    }
    out.push({ ...capture, verdicts, judgedBy });
  }
  return out;
}
