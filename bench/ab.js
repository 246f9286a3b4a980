// Builds of check() against each other and against v8.serialize(): how each change in
// bench/notes.md was measured. Each (build, payload) runs in a child process of its own, which
// alternates check() and v8.serialize() (a full GC before each call) and keeps the minimum process
// CPU time of each, the figure other processes' load moves least; children of the builds alternate
// and the best of their minimums is kept. (Two builds in ONE process are not comparable: the copy
// loaded second ran rich state 1e5 twice as slow as the first, the same code.) With one build it is
// the quick view of check() against v8.serialize() on a quiet machine.
//
//   node --expose-gc bench/ab.js A [B ...] [--only=state-1e6,rich | --all] [--rounds=N] [--runs=N] [--opts=JSON]
//
// A and B are ES modules exporting check() (a dist/index.mjs, or src/ bundled with esbuild), or a
// folder holding index.mjs (a dist/ of another checkout):
//   npx esbuild src/index.ts --bundle --platform=node --format=esm --packages=external --outfile=/tmp/b.mjs
// --opts is passed to check(): '{"channels":["fork"]}' measures one channel, '{"origins":false}'
// turns origins off. Without --only or --all, the payloads of issue 17's targets are run.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import * as P from './payloads.js';

const args = process.argv.slice(2);
const files = args.filter((a) => !a.startsWith('--'));
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const ONLY = option('only')?.split(',');
const ALL = args.includes('--all');
const ROUNDS = Number(option('rounds') ?? 0);
const RUNS = Number(option('runs') ?? 2);
const OPTS_TEXT = option('opts');
const CHILD = option('child');
if (files.length < 1 || typeof globalThis.gc !== 'function') {
  console.error('usage: node --expose-gc bench/ab.js A [B ...] [--only=ids | --all] [--rounds=N] [--runs=N] [--opts=JSON]');
  process.exit(2);
}

/** Every payload: id, builder, rounds, calls per timed batch, and whether it is one of issue 17's targets. */
const ALL_PAYLOADS = [
  ['state-1e4', () => P.stateLike(1e4).value, 15, 1, true],
  ['state-1e5', () => P.stateLike(1e5).value, 9, 1],
  ['state-1e6', () => P.stateLike(1e6).value, 5, 1, true],
  ['rich-1e4', () => P.stateLike(1e4, { rich: true }).value, 15, 1],
  ['rich-1e5', () => P.stateLike(1e5, { rich: true }).value, 9, 1, true],
  ['rich-1e6', () => P.stateLike(1e6, { rich: true }).value, 3, 1, true],
  ['chain-1e5', () => P.chain(1e5).value, 5, 1],
  ['wide', () => P.wideObject(1e6).value, 3, 1],
  ['numbers', () => P.numberArray(1e7).value, 3, 1],
  ['instances', () => P.instanceArray(1e5).value, 5, 1, true],
  ['shared', () => P.sharedRefs(1e5).value, 7, 1, true],
  ['findings-1e5', () => P.nanArray(1e5).value, 7, 1],
  ['findings-1e6', () => P.nanArray(1e6).value, 3, 1, true],
  ['small', () => ({ kind: 'job', id: 42, payload: { name: 'resize', width: 640, tags: ['a', 'b'] } }), 15, 20000, true],
  ['string-1k', () => P.longString(1024).value, 15, 5000],
  ['string-big', () => P.longString(50e6).value, 5, 5000],
  ['buffer-1k', () => P.bigBuffer(1024).value, 15, 5000, true],
  ['buffer-big', () => P.bigBuffer(100e6).value, 5, 5000],
  ['f64-8', () => P.floatArray(8).value, 15, 5000],
  ['f64-big', () => P.floatArray(1e6).value, 5, 5000],
  ['sparse', () => P.hugeSparse().value, 15, 5000],
];
const PAYLOADS = ALL_PAYLOADS.filter(([id, , , , target]) => (ONLY ? ONLY.some((o) => id.startsWith(o)) : ALL || target));

/** A module file as given, or a folder's index.mjs. */
const moduleOf = (file) => (statSync(file).isDirectory() ? path.join(file, 'index.mjs') : file);

const cpu = (fn, value, batch, opts) => {
  globalThis.gc();
  const s = process.cpuUsage();
  for (let i = 0; i < batch; i++) fn(value, opts);
  const e = process.cpuUsage(s);
  return (e.user + e.system) / 1000 / batch;
};
const fmt = (ms) => (ms < 1 ? `${(ms * 1000).toFixed(2)} µs` : `${ms.toFixed(1)} ms`);

if (CHILD) {
  // One build, one payload: print the best CPU ms per call of check() and of v8.serialize().
  const [, build, defaultRounds, batch] = ALL_PAYLOADS.find(([id]) => id === CHILD);
  const check = (await import(pathToFileURL(path.resolve(moduleOf(files[0]))).href)).check;
  const opts = OPTS_TEXT ? JSON.parse(OPTS_TEXT) : undefined;
  const value = build();
  // v8.serialize() overflows the stack on a deep chain: then only check() is timed.
  let serializes = true;
  try {
    v8.serialize(value);
  } catch {
    serializes = false;
  }
  const ser = serializes ? (v) => v8.serialize(v) : () => {};
  for (let i = 0; i < (batch > 1 ? 3 : 2); i++) (cpu(check, value, batch, opts), cpu(ser, value, batch));
  const best = [Infinity, Infinity];
  for (let r = 0; r < (ROUNDS || defaultRounds); r++) {
    if (r % 2) best[1] = Math.min(best[1], cpu(ser, value, batch));
    best[0] = Math.min(best[0], cpu(check, value, batch, opts));
    if (!(r % 2)) best[1] = Math.min(best[1], cpu(ser, value, batch));
  }
  console.log(JSON.stringify(serializes ? best : [best[0], null]));
} else {
  const child = (file, id) =>
    JSON.parse(
      execFileSync(
        process.execPath,
        [
          '--expose-gc',
          '--max-old-space-size=8192',
          process.argv[1],
          file,
          `--child=${id}`,
          ...args.filter((a) => a.startsWith('--') && !a.startsWith('--only') && a !== '--all'),
        ],
        { encoding: 'utf8' },
      ),
    );
  for (const [id] of PAYLOADS) {
    const best = files.map(() => [Infinity, Infinity]);
    for (let r = 0; r < RUNS; r++) {
      const order = files.map((_, i) => i);
      if (r % 2) order.reverse();
      for (const i of order) {
        const [c, s] = child(files[i], id);
        best[i] = [Math.min(best[i][0], c), Math.min(best[i][1], s ?? Infinity)];
      }
    }
    const ser = Math.min(...best.map((b) => b[1]));
    const ratio = (ms) => (ser === Infinity ? '' : ` (${(ms / ser).toFixed(2)}x)`);
    const cells = best.map((b, i) => `${String.fromCharCode(65 + i)} ${fmt(b[0])}${ratio(b[0])}`);
    const delta = files.length > 1 ? `  B/A ${(best[1][0] / best[0][0]).toFixed(3)}` : '';
    console.log(`${id.padEnd(13)} ${cells.join('  ')}  v8.serialize ${ser === Infinity ? 'throws' : fmt(ser)}${delta}`);
  }
}
