// clonecheck benchmark: what check() costs next to the sends it stands in front of, and the
// targets of issue 17 (met or missed), with where check()'s time goes on the two 1e6 payloads.
//
//   npm run bench                 full run (about 10 minutes on a quiet 2-core machine), writes bench/RESULTS.md
//   npm run bench -- --quick      smaller payloads, prints only (add --out=FILE to write it)
//   npm run bench -- --only=state,wide   payloads whose id starts with one of these
//   npm run bench -- --targets    only the payloads of issue 17's targets (about 6 minutes), writes bench/RESULTS.md
//
// Needs `node --expose-gc` (the npm script passes it). One process, payloads built from seeded
// PRNGs (bench/payloads.js). For each payload every method is warmed up, then measured in rounds:
// each round runs every method once, in alternating order, after a full GC, so that load from
// other processes and garbage left by one method fall on all methods alike. Times are medians.
import fs from 'node:fs';
import inspector from 'node:inspector';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { findNonSerializableValue } from '@reduxjs/toolkit';
import { check } from '../dist/index.js';
import * as P from './payloads.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
/** `--targets`: only the payloads of issue 17's targets (skips the 1e6-key object, the 1e7 numbers, the chain). */
const TARGETS_ONLY = args.includes('--targets');
const ONLY = TARGETS_ONLY
  ? ['state', 'rich', 'instances', 'shared', 'findings', 'string', 'buffer', 'f64']
  : args
      .find((a) => a.startsWith('--only='))
      ?.slice(7)
      .split(',');
const OUT = args.find((a) => a.startsWith('--out='))?.slice(6) ?? (QUICK || (ONLY && !TARGETS_ONLY) ? undefined : path.join(HERE, 'RESULTS.md'));

if (typeof globalThis.gc !== 'function') {
  console.error('bench/run.js needs --expose-gc: run it with `npm run bench`.');
  process.exit(1);
}
const gc = globalThis.gc;

// ---- what is measured ----

const METHODS = [
  { id: 'all', label: 'check() all 3', run: (v) => check(v), isCheck: true },
  { id: 'worker', label: 'check() worker', run: (v) => check(v, { channels: ['worker'] }), isCheck: true },
  { id: 'fork', label: 'check() fork', run: (v) => check(v, { channels: ['fork'] }), isCheck: true },
  { id: 'advanced', label: 'check() fork-advanced', run: (v) => check(v, { channels: ['fork-advanced'] }), isCheck: true },
  // The opt-in channels, each alone: what a cache (v8) or a queue (json) check costs.
  { id: 'check-json', label: 'check() json', run: (v) => check(v, { channels: ['json'] }), isCheck: true },
  { id: 'check-v8', label: 'check() v8', run: (v) => check(v, { channels: ['v8'] }), isCheck: true },
  { id: 'v8', label: 'v8.serialize', run: (v) => v8.serialize(v) },
  { id: 'clone', label: 'structuredClone', run: (v) => structuredClone(v) },
  { id: 'json', label: 'JSON.stringify', run: (v) => JSON.stringify(v) },
  { id: 'rtk', label: 'RTK findNonSerializableValue', run: (v) => findNonSerializableValue(v) },
];

const MB = 2 ** 20;
const K = QUICK ? 0.1 : 1; // size factor of a quick run

/**
 * The payloads. `rounds` is the wanted number of measured runs; `budget` caps the seconds a payload
 * may take (rounds drop to what fits, never below `minRounds`). `skip` names baselines that cannot
 * run, with the reason recorded in the table; `once` names methods measured by a single run
 * (no warm-up) because one run costs tens of seconds.
 */
const PAYLOADS = [
  { id: 'state-1e4', title: 'state-like, 1e4 values', build: () => P.stateLike(1e4), rounds: 9 },
  { id: 'state-1e5', title: 'state-like, 1e5 values', build: () => P.stateLike(1e5), rounds: 7 },
  { id: 'state-1e6', title: 'state-like, 1e6 values', build: () => P.stateLike(1e6), rounds: 5, full: true, profile: true },
  { id: 'rich-1e4', title: 'rich state (Date, Map, Set, typed array, class), 1e4 values', build: () => P.stateLike(1e4, { rich: true }), rounds: 9 },
  { id: 'rich-1e5', title: 'rich state, 1e5 values', build: () => P.stateLike(1e5, { rich: true }), rounds: 7 },
  { id: 'rich-1e6', title: 'rich state, 1e6 values', build: () => P.stateLike(1e6, { rich: true }), rounds: 3, full: true, budget: 70, profile: true },
  { id: 'chain-1e5', title: 'chain 100,000 deep', build: () => P.chain(1e5), rounds: 5 },
  { id: 'wide', title: `object with ${fmtInt(1e6 * K)} keys`, build: () => P.wideObject(1e6 * K), rounds: QUICK ? 5 : 3, budget: 60 },
  {
    id: 'numbers',
    title: `array of ${fmtInt(1e7 * K)} numbers`,
    build: () => P.numberArray(1e7 * K),
    rounds: QUICK ? 5 : 3,
    once: QUICK ? [] : ['rtk'],
    budget: 60,
  },
  { id: 'string-1k', title: '1 KB string', build: () => P.longString(1024), rounds: 9 },
  { id: 'string-big', title: `${50 * K} MB string`, build: () => P.longString(50e6 * K), rounds: 5 },
  { id: 'buffer-1k', title: '1 KB Buffer', build: () => P.bigBuffer(1024), rounds: 9 },
  { id: 'buffer-64k', title: '64 KB Buffer', build: () => P.bigBuffer(65536), rounds: 7 },
  {
    id: 'buffer-big',
    title: `${100 * K} MB Buffer`,
    build: () => P.bigBuffer(100e6 * K),
    rounds: 5,
    skip: QUICK ? {} : { json: 'not run: Buffer#toJSON builds a 100M-element array (over 1 GB) before any text' },
  },
  { id: 'f64-8', title: 'Float64Array, 8 elements', build: () => P.floatArray(8), rounds: 9 },
  { id: 'f64-64k', title: 'Float64Array, 65,536 elements', build: () => P.floatArray(65536), rounds: 7 },
  { id: 'f64-big', title: `Float64Array, ${fmtInt(1e6 * K)} elements`, build: () => P.floatArray(1e6 * K), rounds: 5 },
  { id: 'findings-1e5', title: `${fmtInt(1e5 * K)}-element array, a finding on each (NaN)`, build: () => P.nanArray(1e5 * K), rounds: 5 },
  { id: 'findings-1e6', title: `${fmtInt(1e6 * K)}-element array, a finding on each (NaN)`, build: () => P.nanArray(1e6 * K), rounds: 3, budget: 70 },
  { id: 'instances', title: `${fmtInt(1e5 * K)} class instances (3 findings each)`, build: () => P.instanceArray(1e5 * K), rounds: 3, budget: 45 },
  { id: 'shared', title: `${fmtInt(1e5 * K)} references to one object`, build: () => P.sharedRefs(1e5 * K), rounds: 5, budget: 30 },
  { id: 'sparse', title: 'array of length 2**32-1, one element', build: () => P.hugeSparse(), rounds: 9 },
].filter((p) => !(QUICK && p.full) && (!ONLY || ONLY.some((o) => p.id.startsWith(o))));

// ---- measuring ----

// Memory is the V8 heap plus memory outside it: Node's ArrayBuffer allocator counts `arrayBuffers`
// exactly, while v8.serialize's result is known to V8 only as `external` (which counts
// ArrayBuffers late); the larger of the two growths is taken.
const memNow = () => {
  const m = process.memoryUsage();
  return { heap: m.heapUsed, ab: m.arrayBuffers, ext: m.external };
};
const grownSince = (m0, m1 = memNow()) => m1.heap - m0.heap + Math.max(0, m1.ab - m0.ab, m1.ext - m0.ext);
const faultsNow = () => process.resourceUsage().minorPageFault;

function describeError(error) {
  const message = String(error?.message ?? error);
  if (error instanceof RangeError && /call stack/i.test(message)) return 'stack overflow';
  return `throws ${error?.name ?? 'error'}: ${message.length > 60 ? `${message.slice(0, 57)}...` : message}`;
}

/**
 * One measured sample: a full GC first, then `batch` calls. Returns the time per call, the peak heap
 * growth (the highest heap use seen: before each GC during the call, reported by v8.GCProfiler, and
 * at its end, minus the heap at its start), and the page faults the call took.
 */
function sample(method, value, batch, retained) {
  gc();
  const m0 = memNow();
  const faults0 = faultsNow();
  const profiler = new v8.GCProfiler();
  profiler.start();
  let result;
  const start = performance.now();
  for (let i = 0; i < batch; i++) result = method.run(value);
  const ms = (performance.now() - start) / batch;
  const { statistics } = profiler.stop();
  const faults = (faultsNow() - faults0) / batch;
  const m1 = memNow();
  let heapPeak = m1.heap;
  let extPeak = m1.ext;
  for (const s of statistics) {
    const h = s.beforeGC.heapStatistics;
    heapPeak = Math.max(heapPeak, h.usedHeapSize);
    extPeak = Math.max(extPeak, h.externalMemory);
  }
  const peak = Math.max(0, heapPeak - m0.heap + Math.max(0, m1.ab - m0.ab, extPeak - m0.ext)) / batch;
  const out = { ms, peak, faults, result };
  if (retained) {
    // What the result keeps alive (the findings, a copy, a string) once garbage is gone.
    gc();
    out.retained = Math.max(0, grownSince(m0));
  }
  return out;
}

/** Bytes a call allocates in the V8 heap, garbage included (the sampling heap profiler). */
function allocatedBy(fn, samplingInterval) {
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) => {
    let out;
    let failure;
    session.post(method, params, (err, res) => {
      failure = err;
      out = res;
    });
    if (failure) throw new Error(failure.message);
    return out;
  };
  try {
    post('HeapProfiler.enable');
    gc();
    const m0 = memNow();
    post('HeapProfiler.startSampling', { samplingInterval, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    const result = fn();
    const m1 = memNow();
    const externalGrowth = Math.max(0, m1.ab - m0.ab, m1.ext - m0.ext);
    const { profile } = post('HeapProfiler.stopSampling');
    if (result === undefined) throw new Error('no result');
    let total = 0;
    const stack = [profile.head];
    while (stack.length) {
      const node = stack.pop();
      total += node.selfSize;
      stack.push(...node.children);
    }
    return total + externalGrowth;
  } finally {
    session.disconnect();
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function measurePayload(spec) {
  gc();
  const m0 = memNow();
  const t0 = performance.now();
  const built = spec.build();
  const buildMs = performance.now() - t0;
  gc();
  const payloadBytes = grownSince(m0);
  const { value } = built;
  const rows = {};
  const live = [];

  // Warm-up: one call tells whether the method throws and roughly what it costs; cheap methods are
  // called until 300 ms were spent (at least 3 calls), so that the optimising compiler has run.
  for (const m of METHODS) {
    const row = (rows[m.id] = { samples: [], peaks: [], faults: [], note: undefined, batch: 1, est: 0 });
    if (spec.skip?.[m.id]) {
      row.note = spec.skip[m.id];
      continue;
    }
    if (spec.once?.includes(m.id)) {
      row.once = true;
      live.push(m);
      continue;
    }
    try {
      let t = performance.now();
      let result = m.run(value);
      let first = performance.now() - t;
      if (m.isCheck) ((row.findings = result.findings.length), (row.internalError = result.internalError));
      if (m.id === 'rtk') row.rtk = result === false ? 'complete' : `stops at ${String(result.keyPath).slice(0, 40)}`;
      result = undefined;
      let spent = first;
      let calls = 1;
      while (spent < 300 && (calls < 3 || first < 50)) {
        t = performance.now();
        m.run(value);
        const d = performance.now() - t;
        spent += d;
        calls++;
        first = Math.min(first, d);
        if (calls > 200) break;
      }
      row.est = first;
      // Sub-millisecond calls are timed in batches, so that the timer's resolution does not show.
      row.batch = first < 1 ? Math.min(10000, Math.ceil(2 / Math.max(first, 0.0005))) : 1;
      live.push(m);
    } catch (error) {
      row.note = describeError(error);
    }
  }

  // Rounds: as many as wanted, fewer when one round would push the payload past its budget.
  const budgetMs = (spec.budget ?? 40) * 1000;
  const roundMs = live.filter((m) => !rows[m.id].once).reduce((s, m) => s + rows[m.id].est * rows[m.id].batch + 30, 0);
  const rounds = Math.max(spec.minRounds ?? 3, Math.min(spec.rounds, Math.floor(budgetMs / Math.max(1, roundMs))));
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? [...live].reverse() : live;
    for (const m of order) {
      const row = rows[m.id];
      if (row.once && r > 0) continue;
      try {
        const s = sample(m, value, row.batch, r === 0 && row.batch === 1);
        row.samples.push(s.ms);
        row.peaks.push(s.peak);
        row.faults.push(s.faults);
        if (s.retained !== undefined) row.retained = s.retained;
        if (row.once) {
          if (m.id === 'rtk') row.rtk = s.result === false ? 'complete' : `stops at ${String(s.result.keyPath).slice(0, 40)}`;
        }
      } catch (error) {
        row.note = describeError(error);
        row.samples.length = 0;
      }
    }
  }

  for (const m of live) {
    const row = rows[m.id];
    if (row.retained !== undefined || row.once || !row.samples.length) continue;
    try {
      // Batched samples average time well but not memory: measure one call on its own.
      const one = sample(m, value, 1, true);
      row.retained = one.retained;
      row.singlePeak = one.peak;
    } catch {
      /* recorded above */
    }
  }

  // What check() allocates in all (garbage included), from one more call under the heap profiler.
  let allocated;
  // A fine sampling interval for small calls, a coarse one where a call allocates gigabytes.
  if (rows.all.samples.length) allocated = allocatedBy(() => check(value), rows.all.est < 10 ? 256 : 16384);

  for (const m of METHODS) {
    const row = rows[m.id];
    if (row.samples.length) {
      row.median = median(row.samples);
      row.min = Math.min(...row.samples);
      row.max = Math.max(...row.samples);
      row.peak = row.singlePeak ?? median(row.peaks);
      row.faultsMedian = median(row.faults);
    }
  }
  // Where check()'s time goes on this payload (the CPU profile's self time by function).
  const where = spec.profile && rows.all.samples.length ? profileCheck(value, 3) : undefined;
  return { spec, values: built.values, payloadBytes, buildMs, rows, rounds, allocated, where };
}

// ---- printing ----

function fmtInt(n) {
  return Math.round(n).toLocaleString('en-US');
}

function fmtMs(ms) {
  if (ms === undefined) return '';
  if (ms < 0.01) return `${(ms * 1000).toFixed(2)} µs`;
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

function fmtBytes(b) {
  if (b === undefined) return '';
  if (b < 1024) return `${Math.round(b)} B`;
  if (b < MB) return `${(b / 1024).toFixed(1)} KiB`;
  return `${(b / MB).toFixed(1)} MiB`;
}

const ratio = (a, b) => (a !== undefined && b ? a / b : undefined);
const fmtRatio = (r) => (r === undefined ? '' : r >= 10 ? `${r.toFixed(0)}x` : r >= 0.1 ? `${r.toFixed(2)}x` : `${r.toFixed(3)}x`);

function timeCell(res, id) {
  const row = res.rows[id];
  if (row.median === undefined) return row.note ?? 'n/a';
  const r = ratio(row.median, res.rows.v8.median);
  const n = row.once ? ' (1 run)' : '';
  return `${fmtMs(row.median)}${r !== undefined ? ` (${fmtRatio(r)})` : ''}${n}`;
}

function timeTable(results) {
  const head = ['payload', 'values', ...METHODS.map((m) => m.label)];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`];
  for (const res of results) lines.push(`| ${res.spec.title} | ${fmtInt(res.values)} | ${METHODS.map((m) => timeCell(res, m.id)).join(' | ')} |`);
  return lines.join('\n');
}

function memoryTable(results) {
  const others = ['v8', 'clone', 'json', 'rtk'];
  const head = [
    'payload',
    'payload heap',
    'findings',
    'check() peak',
    'check() retained',
    'check() allocated',
    'check() page faults',
    'check() worker peak',
    ...others.map((id) => `${METHODS.find((m) => m.id === id).label} peak`),
    'v8.serialize page faults',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const res of results) {
    const { all, worker, v8: ser } = res.rows;
    const findings = all.findings === undefined ? '' : `${fmtInt(all.findings)}${all.internalError ? ' (internal error!)' : ''}`;
    const cells = [
      fmtBytes(res.payloadBytes),
      findings,
      fmtBytes(all.peak),
      fmtBytes(all.retained),
      fmtBytes(res.allocated),
      all.faultsMedian === undefined ? '' : fmtInt(all.faultsMedian),
      fmtBytes(worker.peak),
      ...others.map((id) => (res.rows[id].peak !== undefined ? fmtBytes(res.rows[id].peak) : '')),
      ser.faultsMedian === undefined ? '' : fmtInt(ser.faultsMedian),
    ];
    lines.push(`| ${res.spec.title} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

function spreadTable(results) {
  const head = ['payload', 'runs', ...METHODS.map((m) => m.label)];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const res of results) {
    const cells = METHODS.map((m) => {
      const row = res.rows[m.id];
      return row.median === undefined ? '' : `${fmtMs(row.min)} – ${fmtMs(row.max)}`;
    });
    lines.push(`| ${res.spec.title} | ${res.rounds} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

// ---- the targets of issue 17 ----

/** One target: a ratio of check() (all three default channels) to v8.serialize on one payload. */
function ratioTarget(by, id, limit, text) {
  const res = by[id];
  if (!res) return { text: `${text}: at most ${limit}x v8.serialize`, ok: undefined, got: 'not run' };
  const r = ratio(res.rows.all.median, res.rows.v8.median);
  return {
    text: `${text}: at most ${limit}x v8.serialize`,
    ok: r !== undefined ? r <= limit : undefined,
    got: `${fmtRatio(r)} (${fmtMs(res.rows.all.median)} vs ${fmtMs(res.rows.v8.median)})`,
  };
}

function targets(results) {
  const by = Object.fromEntries(results.map((r) => [r.spec.id, r]));
  const out = [
    ratioTarget(by, 'state-1e6', 1.3, 'state-like 1e6, all three channels (floor about 1.1x)'),
    ratioTarget(by, 'state-1e4', 2, 'state-like 1e4, all three channels'),
    ratioTarget(by, 'rich-1e5', 2, 'rich state 1e5'),
    ratioTarget(by, 'rich-1e6', 2, 'rich state 1e6'),
    ratioTarget(by, 'instances', 4, '100,000 class instances'),
    ratioTarget(by, 'shared', 3, '100,000 references to one object'),
    ratioTarget(by, 'findings-1e6', 20, '1,000,000 findings'),
  ];
  const verdict = (ok) => (ok === undefined ? 'not measured' : ok ? '**met**' : '**missed**');

  const s6 = by['state-1e6'];
  if (s6) {
    const a = s6.rows.all;
    out.push({
      text: 'peak extra heap of check() on state-like 1e6: within 35 MiB',
      ok: a.peak !== undefined ? a.peak <= 35 * MB : undefined,
      got: `peak ${fmtBytes(a.peak)}, retained ${fmtBytes(a.retained)}, ${fmtBytes(s6.allocated)} allocated in all (payload ${fmtBytes(s6.payloadBytes)}; structuredClone peak ${fmtBytes(s6.rows.clone.peak)})`,
    });
  }
  for (const id of ['state-1e4', 'state-1e5', 'state-1e6']) {
    const res = by[id];
    if (!res || res.rows.rtk.median === undefined) continue;
    out.push({
      text: `${res.spec.title}: check() against Redux Toolkit's findNonSerializableValue (${res.rows.rtk.rtk ?? 'n/a'})`,
      info: true,
      got: `check() / RTK = ${fmtRatio(ratio(res.rows.all.median, res.rows.rtk.median))} (${fmtMs(res.rows.all.median)} vs ${fmtMs(res.rows.rtk.median)}); RTK / v8.serialize = ${fmtRatio(ratio(res.rows.rtk.median, res.rows.v8.median))}`,
    });
  }
  for (const [what, ids] of [
    ['long string', ['string-1k', 'string-big']],
    ['Buffer', ['buffer-1k', 'buffer-64k', 'buffer-big']],
    ['typed array', ['f64-8', 'f64-64k', 'f64-big']],
  ]) {
    const got = ids.map((id) => by[id]).filter((r) => r && r.rows.all.median !== undefined);
    if (got.length < 2) continue;
    const times = got.map((r) => r.rows.all.median);
    // O(1): the largest costs no more than twice the smallest (plus 10 µs of timer and GC noise).
    const ok = Math.max(...times) <= 2 * Math.min(...times) + 0.01;
    out.push({
      text: `O(1) stays O(1), ${what}: check() time independent of length (${got.map((r) => r.spec.title).join(' / ')})`,
      ok,
      got: times.map(fmtMs).join(' / '),
    });
  }
  out.push({
    text: 'guard: a small postMessage at most 1.5x unguarded, a 1e5-value message at most 2x (default mode)',
    info: true,
    got: 'see the Guard section (bench/guard.js)',
  });
  return out.map((t, i) => ({ ...t, id: `T${i + 1}`, verdict: t.info ? 'info' : verdict(t.ok) }));
}

// ---- where the time goes (a CPU profile of check() on the large payloads) ----

/** Self time of check() by function, from the inspector's sampling CPU profiler (`calls` calls). */
function profileCheck(value, calls) {
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) => {
    let out;
    let failure;
    session.post(method, params, (err, res) => {
      failure = err;
      out = res;
    });
    if (failure) throw new Error(failure.message);
    return out;
  };
  try {
    post('Profiler.enable');
    post('Profiler.setSamplingInterval', { interval: 200 });
    gc();
    post('Profiler.start');
    for (let i = 0; i < calls; i++) check(value);
    const { profile } = post('Profiler.stop');
    const self = new Map();
    let total = 0;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const ticks = new Map();
    for (let i = 0; i < profile.samples.length; i++) ticks.set(profile.samples[i], (ticks.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
    for (const [id, t] of ticks) {
      const n = byId.get(id);
      const name = n.callFrame.functionName || '(anonymous)';
      // The profiler's own work (its dispatch when stopped) and idle time are not check()'s.
      if (name === '(idle)' || name === '(program)' || name === '(root)' || name === 'dispatch') continue;
      const file = n.callFrame.url ? n.callFrame.url.split('/').slice(-2).join('/') : '';
      const key = file ? `${name} (${file.replace(/\.js$/, '')})` : name;
      self.set(key, (self.get(key) ?? 0) + t);
      total += t;
    }
    return { total, rows: [...self].sort((a, b) => b[1] - a[1]) };
  } finally {
    session.disconnect();
  }
}

function whereTimeGoes(results) {
  const lines = [];
  for (const res of results) {
    if (!res.where) continue;
    const { total, rows } = res.where;
    lines.push(`### ${res.spec.title} (3 calls of check(), all three channels)`, '', '| function | self time |', '|---|---:|');
    let shown = 0;
    for (const [name, t] of rows.slice(0, 14)) {
      lines.push(`| \`${name}\` | ${((t / total) * 100).toFixed(1)}% |`);
      shown += t;
    }
    lines.push(`| everything else | ${(((total - shown) / total) * 100).toFixed(1)}% |`, '');
  }
  return lines.join('\n');
}

// ---- the guard's own rows (bench/guard.js, written by the guard's owner) ----

async function guardSection() {
  const file = path.join(HERE, 'guard.js');
  if (!fs.existsSync(file)) return undefined;
  try {
    const mod = await import('./guard.js');
    if (typeof mod.runGuardBench !== 'function') return 'bench/guard.js exports no runGuardBench().';
    const out = await mod.runGuardBench({ quick: QUICK });
    const rows = Array.isArray(out) ? out : Array.isArray(out?.rows) ? out.rows : undefined;
    if (!rows) return typeof out === 'string' ? out : `\`\`\`\n${JSON.stringify(out, null, 2)}\n\`\`\``;
    if (rows.length === 0) return 'runGuardBench() returned no rows.';
    const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const cell = (v) => (typeof v === 'number' ? (Number.isInteger(v) ? fmtInt(v) : v.toFixed(3)) : String(v ?? ''));
    const text = [`| ${keys.join(' | ')} |`, `|${keys.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${keys.map((k) => cell(r[k])).join(' | ')} |`)];
    if (out?.notes) text.push('', String(out.notes));
    return text.join('\n');
  } catch (error) {
    return `bench/guard.js failed: ${describeError(error)}`;
  }
}

// ---- main ----

/** Lets Node free the last payload's buffers (their memory is released after a GC, off the stack). */
async function settle() {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 20));
  gc();
}

/** What a page fault costs here: the time to touch 64 MB of fresh memory, per 4 KB page. */
function pageFaultCost() {
  const b = Buffer.allocUnsafeSlow(64 * MB);
  const t = performance.now();
  for (let i = 0; i < b.length; i += 4096) b[i] = 1;
  return ((performance.now() - t) * 1000) / (b.length / 4096);
}

function machine() {
  const cpus = os.cpus();
  return [
    `- date: ${new Date().toISOString()}`,
    `- machine: ${os.availableParallelism?.() ?? cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()} ${os.arch()}`,
    `- Node ${process.version} (V8 ${process.versions.v8}), flags: ${process.execArgv.join(' ') || '(none)'}`,
    `- first touch of fresh memory: ${FAULT_US.toFixed(1)} µs per 4 KB page (${((FAULT_US * 1000) / 4096).toFixed(1)} ns per byte), measured at start: every MB a call allocates beyond what the heap already holds costs about ${((FAULT_US * 256) / 1000).toFixed(1)} ms here`,
  ];
}

let FAULT_US = 0;

async function main() {
  FAULT_US = pageFaultCost();
  const started = performance.now();
  const load0 = os.loadavg();
  console.log(`clonecheck bench${QUICK ? ' (quick)' : ''}: ${PAYLOADS.length} payloads, ${METHODS.length} methods`);
  const results = [];
  for (const spec of PAYLOADS) {
    const t = performance.now();
    await settle();
    const res = measurePayload(spec);
    results.push(res);
    const cells = METHODS.map((m) => `${m.id}=${res.rows[m.id].median !== undefined ? fmtMs(res.rows[m.id].median) : res.rows[m.id].note}`);
    console.log(`${spec.id.padEnd(13)} ${((performance.now() - t) / 1000).toFixed(1).padStart(5)} s  ${cells.join('  ')}`);
  }
  const guard = await guardSection();
  const load1 = os.loadavg();
  const seconds = (performance.now() - started) / 1000;

  const t = targets(results);
  const md = [
    `# clonecheck benchmark results${QUICK ? ' (quick run)' : ''}`,
    '',
    `Written by \`npm run bench${QUICK ? ' -- --quick' : ''}\` (bench/run.js) in ${seconds.toFixed(0)} s. Do not edit by hand: run it again.`,
    '',
    ...machine(),
    `- load average (1 min) at start ${load0[0].toFixed(2)}, at end ${load1[0].toFixed(2)}: other processes on this machine share its cores, and the spread table below shows how much they moved single runs`,
    '',
    '## Time per call',
    '',
    'Median of the measured runs (each after a full GC; the first runs are warm-up and not counted), and in brackets the ratio to `v8.serialize` on the same payload in the same run. Sub-millisecond calls are timed in batches. Where a baseline throws or cannot run, the table says so.',
    '',
    timeTable(results),
    '',
    '## Targets',
    '',
    '| | target | measured | verdict |',
    '|---|---|---|---|',
    ...t.map((x) => `| ${x.id} | ${x.text} | ${x.got} | ${x.verdict} |`),
    '',
    'Why each missed target is missed on this design, with measurements, and which design would meet it: see "Issue 17" in the notes at the end.',
    '',
    ...(results.some((r) => r.where)
      ? [
          '## Where the time goes',
          '',
          "Self time of `check()` by function, from the inspector's sampling CPU profiler (200 µs interval) over 3 calls, after the measured runs. `(garbage collector)` is V8's; `visit`, `properties`, `array*`, `ordinary` are the walk (src/walk/); `hasBuiltinSlots` and the `is*` brand checks tell a plain object from a built-in whose prototype was replaced; `makeFinding`/`emit` make findings; `(anonymous)` in intrinsics are the captured built-ins.",
          '',
          whereTimeGoes(results),
        ]
      : []),
    '## Memory',
    '',
    '"peak" is the highest memory use during one call minus the use at its start (after a full GC): the V8 heap before each GC during the call (from `v8.GCProfiler`) and at its end, plus the growth of memory outside the heap (`arrayBuffers`, or `external` for v8.serialize\'s result); it includes garbage not yet collected at that moment. "retained" is what the result still holds after a GC (the findings, a copy, a string). "allocated" is everything one `check()` call allocates, garbage included, from the sampling heap profiler (a sample every 256 B for calls under 10 ms, every 16 KB above; objects collected by minor and major GCs included), so it is an estimate. "page faults" are the minor faults of the process during the call (each is a fresh 4 KB page; see the cost per page above). "payload heap" is the memory the payload itself holds. Medians over the runs.',
    '',
    memoryTable(results),
    '',
    '## Spread (fastest – slowest measured run)',
    '',
    spreadTable(results),
    '',
    '## Method',
    '',
    '- Payloads come from bench/payloads.js, built from seeded PRNGs (mulberry32), so every run measures the same values. "values" counts every node: objects, arrays, primitives, Map keys and values, Set members; a typed array, Buffer or string counts as one.',
    '- One process: for each payload, every method is warmed up (300 ms or at least 3 calls; 1 call for a method slower than 50 ms), then measured in rounds, each round calling every method once in alternating order after `gc()`. Rounds are 3 to 9, fewer for payloads whose round costs seconds. Times are `performance.now()` around the call.',
    "- `check()` is called as users call it (`check(value)` and `check(value, { channels: [id] })`), findings materialised. `findNonSerializableValue` is Redux Toolkit's, with its defaults; it stops at the first non-plain value, so it is compared only where it returns `false` (a complete walk).",
    '- "stack overflow" is a RangeError "Maximum call stack size exceeded" from that baseline.',
    ...(guard !== undefined ? ['', '## Guard (bench/guard.js)', '', guard] : []),
  ];
  const notes = path.join(HERE, 'notes.md');
  if (!QUICK && fs.existsSync(notes)) md.push('', fs.readFileSync(notes, 'utf8').trim());
  const text = `${md.join('\n')}\n`;

  console.log(`\n${timeTable(results)}\n`);
  for (const x of t) console.log(`${x.id} ${x.verdict.replaceAll('*', '').padEnd(12)} ${x.text}: ${x.got}`);
  console.log(`\n${memoryTable(results)}`);
  if (guard !== undefined) console.log(`\nguard:\n${guard}`);
  if (OUT) {
    fs.writeFileSync(OUT, text);
    console.log(`\nwrote ${path.relative(process.cwd(), OUT)} (${seconds.toFixed(0)} s)`);
  }
}

await main();
