// Compares check() of two builds, payload by payload, on a busy machine (issue 9's "no payload
// slower"). Each measurement runs in a fresh child process that loads one build and one payload,
// warms up, and reports the MINIMUM process CPU time of its rounds (each after a full GC), which
// other processes' load moves least; children of the old and the new build alternate, and the
// best of their minimums is kept. Prints a Markdown table.
//
//   node --expose-gc bench/compare.js OLD_DIST_DIR NEW_DIST_DIR [--rounds=N] [--runs=N] [--only=state,rich]
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as P from './payloads.js';

const args = process.argv.slice(2);
const [oldDir, newDir] = args.filter((a) => !a.startsWith('--'));
const ROUNDS = Number(args.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 15);
const RUNS = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 2);
const ONLY = args
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const CHILD = args.find((a) => a.startsWith('--child='))?.slice(8);
if (!oldDir || !newDir || typeof globalThis.gc !== 'function') {
  console.error('usage: node --expose-gc bench/compare.js OLD_DIST_DIR NEW_DIST_DIR [--rounds=N] [--runs=N] [--only=ids]');
  process.exit(2);
}

const PAYLOADS = [
  ['state-1e4', () => P.stateLike(1e4)],
  ['state-1e5', () => P.stateLike(1e5)],
  ['state-1e6', () => P.stateLike(1e6), 0.25],
  ['rich-1e4', () => P.stateLike(1e4, { rich: true })],
  ['rich-1e5', () => P.stateLike(1e5, { rich: true })],
  ['rich-1e6', () => P.stateLike(1e6, { rich: true }), 0.25],
  ['chain-1e5', () => P.chain(1e5)],
  ['wide', () => P.wideObject(1e6), 0.25],
  ['numbers', () => P.numberArray(1e7), 0.25],
  ['string-1k', () => P.longString(1024)],
  ['string-big', () => P.longString(50e6)],
  ['buffer-1k', () => P.bigBuffer(1024)],
  ['buffer-64k', () => P.bigBuffer(65536)],
  ['buffer-big', () => P.bigBuffer(100e6)],
  ['f64-8', () => P.floatArray(8)],
  ['f64-64k', () => P.floatArray(65536)],
  ['f64-big', () => P.floatArray(1e6)],
  ['findings-1e5', () => P.nanArray(1e5)],
  ['findings-1e6', () => P.nanArray(1e6), 0.34],
  ['instances', () => P.instanceArray(1e5)],
  ['shared', () => P.sharedRefs(1e5)],
  ['sparse', () => P.hugeSparse()],
].filter(([id]) => !ONLY || ONLY.some((o) => id.startsWith(o)));

const METHODS = [
  ['all 3', undefined],
  ['worker', { channels: ['worker'] }],
  ['fork', { channels: ['fork'] }],
  ['fork-advanced', { channels: ['fork-advanced'] }],
];

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const fmt = (ms) => (ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(2)} µs`);

if (CHILD) {
  // One build (the first directory), one payload, one method: print the best CPU ms per call.
  const [id, m] = CHILD.split(':');
  const [, build, share = 1] = PAYLOADS.find(([p]) => p === id);
  const options = METHODS[Number(m)][1];
  const check = (await import(pathToFileURL(path.resolve(oldDir, 'index.js')).href)).check;
  const { value } = build();
  // Warm up for ~300 ms of CPU (at least 3 calls), then batch tiny calls so a round lasts ~5 ms.
  const start = cpu();
  for (let n = 0; n < 3 || cpu() - start < 300; n++) check(value, options);
  let t = cpu();
  check(value, options);
  const batch = Math.max(1, Math.min(20000, Math.ceil(5 / Math.max(cpu() - t, 0.0005))));
  const rounds = Math.max(3, Math.round(ROUNDS * share));
  let best = Infinity;
  for (let r = 0; r < rounds + 2; r++) {
    globalThis.gc();
    t = cpu();
    for (let i = 0; i < batch; i++) check(value, options);
    if (r >= 2) best = Math.min(best, (cpu() - t) / batch);
  }
  console.log(best);
} else {
  const run = (dir, id, m) =>
    Number(
      execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', process.argv[1], dir, dir, `--rounds=${ROUNDS}`, `--child=${id}:${m}`], {
        encoding: 'utf8',
      }),
    );
  console.log(`| payload | ${METHODS.map(([m]) => `${m}: old -> new (new/old)`).join(' | ')} |`);
  console.log(`|---|${METHODS.map(() => '---:').join('|')}|`);
  for (const [id] of PAYLOADS) {
    const cells = [];
    for (let m = 0; m < METHODS.length; m++) {
      const best = { old: Infinity, new: Infinity };
      for (let r = 0; r < RUNS; r++) {
        for (const k of r % 2 ? ['old', 'new'] : ['new', 'old']) best[k] = Math.min(best[k], run(k === 'old' ? oldDir : newDir, id, m));
      }
      cells.push(`${fmt(best.old)} -> ${fmt(best.new)} (${(best.new / best.old).toFixed(2)})`);
    }
    console.log(`| ${id} | ${cells.join(' | ')} |`);
  }
}
