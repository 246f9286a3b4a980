// The cost of reading origins (src/origin): per function for 10,000 functions, cold and cached,
// in one batch and one by one; the one-time cost of connecting the inspector and listing scripts;
// and what a value without functions pays (nothing: no session is opened until a function is met).
// Then through check(): a small value with a class instance or a function checked again and again
// (the origins kept from the first check), against origins: false; a class or closure met for the
// first time in each check (a lookup); and 100,000 instances of one class.
//
//   npm run build && node bench/origin.js
import { performance } from 'node:perf_hooks';
import { check } from '../dist/index.js';
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

class Point {
  constructor(x, y) {
    this.x = x;
    this.y = y;
  }
}
function handler(x) {
  return x + 1;
}
/** Best of 5 batches of `count` calls of `fn(i)`, in ms per batch. */
function best(count, fn) {
  let min = Infinity;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let i = 0; i < count; i++) fn(i);
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}
/** A row for `count` calls of `fn`: the best of 5 batches. */
const timed = (label, count, fn) => row(label, best(count, fn), count);
const C = 20_000;
const point = { p: new Point(1, 2) };
const off = { origins: false };
timed('check({ p: new Point(1, 2) }) again and again', C, () => check(point));
timed('the same, origins: false', C, () => check(point, off));
timed('check({ f: handler }) again and again', C, () => check({ f: handler }));
const F = 200;
const fresh = [];
for (let i = 0; i < F * 5; i++) fresh.push(new (class Fresh {})());
let next = 0;
timed('check({ c }) of a class met for the first time', F, () => check({ c: fresh[next++] }));
const many = [];
for (let i = 0; i < 100_000; i++) many.push(new Point(i, i));
row(
  'check() of 100,000 instances of one class',
  best(1, () => check(many)),
  0,
);
row(
  'the same, origins: false',
  best(1, () => check(many, off)),
  0,
);

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
