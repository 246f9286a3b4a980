// The cost of reading origins (src/origin): per function for 10,000 functions, cold and cached,
// in one batch and one by one; the one-time cost of connecting the inspector and listing scripts;
// and what a value without functions pays (nothing: no session is opened until a function is met).
//
//   npm run build && node bench/origin.js
import { performance } from 'node:perf_hooks';
import { functionOrigin, functionOrigins, inspectorAvailable } from '../dist/origin/index.js';

const N = 10_000;

class Pool {
  constructor(id) {
    this.id = id;
  }
}

/** `n` distinct closures, each over a Pool, a string and a number, as a job queue would hold them. */
function closures(n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const db = new Pool(i);
    const prefix = `job:${i}:`;
    out.push((id) => [db, prefix + id, i]);
  }
  return out;
}

/** `n` distinct methods of object literals (top-level code, no captures beyond the module). */
function methods(n) {
  const out = [];
  for (let i = 0; i < n; i++)
    out.push(
      {
        run() {
          return 1;
        },
      }.run,
    );
  return out;
}

function time(fn) {
  const t0 = performance.now();
  const r = fn();
  return [performance.now() - t0, r];
}

const rows = [];
const row = (label, ms, count) => rows.push({ label, ms: ms.toFixed(1), perItem: count ? `${((ms * 1000) / count).toFixed(1)} µs` : '' });

// A value with no functions: 10,000 plain values go through the same entry point.
const plain = [];
for (let i = 0; i < N; i++) plain.push({ id: i, name: `row-${i}` });
{
  const [ms, out] = time(() => functionOrigins(plain));
  row(`${N} values, no function (no inspector session opened)`, ms, N);
  if (out.some((o) => o !== undefined)) throw new Error('a non-function got an origin');
}

{
  const [ms, ok] = time(() => inspectorAvailable());
  row('connect the inspector (once per thread)', ms, 0);
  if (!ok) throw new Error('no inspector on this runtime');
}
{
  const first = (() => {
    const x = 1;
    return () => x;
  })();
  const [ms] = time(() => functionOrigin(first));
  row('first function (lists the scripts once: Debugger.enable/disable)', ms, 0);
}

for (const [label, make] of [
  ['closures over a Pool, a string and a number', closures],
  ['methods (no captures)', methods],
]) {
  const batch = make(N);
  const [cold, origins] = time(() => functionOrigins(batch));
  row(`${N} ${label}, one batch, cold`, cold, N);
  if (origins.some((o) => o?.kind !== 'source')) throw new Error('an origin was not found');
  const [warm] = time(() => functionOrigins(batch));
  row(`${N} ${label}, cached`, warm, N);
  const single = make(N);
  const [oneByOne] = time(() => single.map((f) => functionOrigin(f)));
  row(`${N} ${label}, one by one, cold`, oneByOne, N);
}

console.log(`node ${process.version}, ${N} functions per row`);
console.table(rows);
