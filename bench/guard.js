// The guard's cost: a guarded worker.postMessage() against an unguarded one, for a small and a large
// message, in each guard mode; structuredClone() and check() alone for scale. Sender-side time per
// send (serialization happens synchronously inside postMessage), median of several runs.
//
// On a shared machine the wall time of a send to a worker also holds the time the sending thread
// waits for a core while the worker's thread reads earlier messages. So each message is also sent
// through a MessagePort that no thread reads, timed in CPU time (process.cpuUsage(): only this
// thread works): the same serialization, without the receiver.
//
//   npm run build && node bench/guard.js
//
// It never calls gc(): after a forced full collection V8 shrinks the young generation, and the
// allocation of a check then costs several times more until it grows again, which no app sees.
//
// bench/run.js may import runGuardBench() and print the rows itself.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { check } from '../dist/index.js';
import { install, uninstall } from '../dist/guard.js';

/** About 100 bytes as JSON. */
export function smallMessage() {
  return { id: 42, type: 'job', user: { name: 'Ada', roles: ['admin', 'dev'] }, at: 1700000000000, ok: true };
}

/** 100,000 values: 10,000 rows of 10 primitives each. */
export function largeMessage() {
  const rows = [];
  for (let i = 0; i < 10_000; i++) {
    rows.push({ id: i, name: `row-${i}`, score: i * 0.5, active: i % 2 === 0, tags: ['a', 'b'], x: i, y: -i, label: 'ok', group: i % 7 });
  }
  return { rows };
}

/** The small message deep-frozen, as state from Redux or Immer is: it arrives unfrozen (a reshape, printed once per site). */
export function frozenSmallMessage() {
  const freeze = (v) => {
    if (v !== null && typeof v === 'object') {
      for (const key of Object.keys(v)) freeze(v[key]);
      Object.freeze(v);
    }
    return v;
  };
  return freeze(smallMessage());
}

// The frozen message's one warning per installation goes to a handler, not to stderr.
const quiet = () => {};
const MODES = [
  { mode: 'unguarded', options: undefined },
  { mode: 'guarded', options: { onWarning: quiet } },
  { mode: "guarded, once: 'site'", options: { once: 'site', onWarning: quiet } },
  { mode: 'guarded, sample: 0.01', options: { sample: 0.01, onWarning: quiet } },
];

const RECEIVER = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => { if (m === '__flush__') parentPort.postMessage('flushed'); });
`;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Microseconds per call of `fn` over `count` calls. */
function timeEach(count, fn) {
  const start = performance.now();
  for (let i = 0; i < count; i++) fn();
  return ((performance.now() - start) * 1000) / count;
}

/** CPU microseconds per call of `fn` over `count` calls. */
function cpuEach(count, fn) {
  const start = process.cpuUsage();
  for (let i = 0; i < count; i++) fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / count;
}

/** CPU microseconds per `port.postMessage(value)` on a port that no thread reads (closed after). */
function cpuPerPortSend(count, value) {
  const { port1, port2 } = new MessageChannel();
  try {
    return cpuEach(count, () => port1.postMessage(value));
  } finally {
    port1.close();
    port2.close();
  }
}

/**
 * Measures and returns one row per message, operation and mode:
 * `{ message, operation, mode, usPerOp, vsUnguarded }` (`vsUnguarded` is the ratio to the
 * unguarded postMessage of the same message, or `null` for the reference rows).
 */
export async function runGuardBench({ runs = 7 } = {}) {
  const worker = new Worker(RECEIVER, { eval: true });
  const flush = () =>
    new Promise((resolve) => {
      worker.once('message', resolve);
      worker.postMessage('__flush__');
    });
  const rows = [];
  try {
    for (const [message, make, count] of [
      ['a string', () => 'ready', 5_000],
      ['small (~100 B)', smallMessage, 5_000],
      ['small, deep-frozen', frozenSmallMessage, 5_000],
      ['large (1e5 values)', largeMessage, 20],
    ]) {
      const value = make();
      const samples = new Map(MODES.map((m) => [m.mode, []]));
      const cpuSamples = new Map(MODES.map((m) => [m.mode, []]));
      // Each mode is measured while installed, as an app runs it: a warm-up round, then its rounds.
      // Two passes, the second in reverse order, so that drift (heap growth, a busy machine) does
      // not favour the modes measured first.
      for (const pass of [MODES, [...MODES].reverse()]) {
        for (const { mode, options } of pass) {
          if (options) install(options);
          try {
            for (let round = 0; round <= Math.ceil(runs / 2); round++) {
              const us = timeEach(count, () => worker.postMessage(value));
              await flush();
              const cpu = cpuPerPortSend(count, value);
              if (round > 0) (samples.get(mode).push(us), cpuSamples.get(mode).push(cpu));
            }
          } finally {
            uninstall();
          }
        }
      }
      const base = median(samples.get('unguarded'));
      for (const { mode } of MODES) {
        const us = median(samples.get(mode));
        rows.push({ message, operation: 'worker.postMessage()', mode, usPerOp: us, vsUnguarded: us / base });
      }
      const cpuBase = median(cpuSamples.get('unguarded'));
      for (const { mode } of MODES) {
        const us = median(cpuSamples.get(mode));
        rows.push({ message, operation: 'port.postMessage(), no reader, CPU time', mode, usPerOp: us, vsUnguarded: us / cpuBase });
      }
      const clone = [];
      const walk = [];
      for (let round = 0; round <= runs; round++) {
        const c = timeEach(count, () => structuredClone(value));
        const w = timeEach(count, () => check(value, { channels: ['worker'] }));
        if (round > 0) (clone.push(c), walk.push(w));
      }
      rows.push({ message, operation: 'structuredClone()', mode: 'reference', usPerOp: median(clone), vsUnguarded: null });
      rows.push({ message, operation: "check(value, { channels: ['worker'] })", mode: 'reference', usPerOp: median(walk), vsUnguarded: null });
    }
  } finally {
    uninstall();
    await worker.terminate();
  }
  return rows;
}

/** The rows as a Markdown table. */
export function formatGuardBench(rows) {
  const fmt = (us) => (us >= 100 ? us.toFixed(0) : us >= 10 ? us.toFixed(1) : us.toFixed(2));
  const lines = ['| message | operation | mode | µs per call (median) | vs unguarded |', '|---|---|---|---:|---:|'];
  for (const r of rows) {
    lines.push(`| ${r.message} | ${r.operation} | ${r.mode} | ${fmt(r.usPerOp)} | ${r.vsUnguarded === null ? '' : `${r.vsUnguarded.toFixed(2)}×`} |`);
  }
  return lines.join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const runs = Number(process.env.BENCH_RUNS ?? 7);
  const rows = await runGuardBench({ runs });
  console.log(`### Guard cost (Node ${process.versions.node}, ${process.platform} ${process.arch}, median of ${2 * Math.ceil(runs / 2)} runs)\n`);
  console.log(formatGuardBench(rows));
}
