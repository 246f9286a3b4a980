// How much the suites that send for real do: which channels, and how many generated values. The
// defaults are the full run on the Node.js that runs the tests; a run on another Node.js line (or a
// quick local run) narrows them with environment variables.
import { ALL_CHANNELS, type Channel } from '../src/types.js';

/**
 * `CLONECHECK_CHANNELS=worker,json`: the channels to send through; default every channel that
 * `check()` judges.
 */
export function channelsUnderTest(): readonly Channel[] {
  const env = process.env.CLONECHECK_CHANNELS?.trim();
  if (!env) return DEFAULT_CHANNELS;
  const picked = env
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = picked.filter((c) => !(ALL_CHANNELS as readonly string[]).includes(c));
  if (unknown.length > 0) throw new TypeError(`CLONECHECK_CHANNELS: unknown channel ${unknown.join(', ')}; use ${ALL_CHANNELS.join(', ')}`);
  return picked as Channel[];
}

const DEFAULT_CHANNELS: readonly Channel[] = ALL_CHANNELS;

/** `CLONECHECK_RUNS=<n>`: generated values per channel and property; default `full`. */
export function runsUnderTest(full: number): number {
  const env = process.env.CLONECHECK_RUNS;
  if (env === undefined || env.trim() === '') return full;
  const n = Number(env);
  if (!Number.isInteger(n) || n < 1) throw new TypeError(`CLONECHECK_RUNS must be a positive integer, not ${JSON.stringify(env)}`);
  return n;
}
