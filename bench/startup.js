// The command line's start-up: `clonecheck --version`, `--help`, and a check of a trivial .mjs and
// .ts module, each timed as a whole process against bare `node` running the same trivial module.
// Runs alternate (A, B, A, B, ...) and each ratio is taken pair by pair, so that a machine that
// speeds up or slows down during the run moves both sides; the median is reported.
//
//   npm run build && node bench/startup.js [--runs 30]
//
// Figures of one run on one machine are kept in bench/STARTUP.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'clonecheck.js');
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag === -1 ? 30 : Number(process.argv[runsFlag + 1]);

const dir = mkdtempSync(join(tmpdir(), 'clonecheck-startup-'));
const mjs = join(dir, 'trivial.mjs');
const ts = join(dir, 'trivial.ts');
writeFileSync(mjs, 'export const message = { id: 1, tags: ["a"] };\n');
writeFileSync(ts, 'export const message: { id: number; tags: string[] } = { id: 1, tags: ["a"] };\n');

/** Wall milliseconds of one process, from spawn to exit. */
function time(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const cases = [
  ['clonecheck --version', [BIN, '--version']],
  ['clonecheck --help', [BIN, '--help']],
  ['clonecheck trivial.mjs', [BIN, mjs]],
  ['clonecheck trivial.ts', [BIN, ts]],
];
const bare = [mjs];

// Warm the file system cache.
time(bare);
for (const [, args] of cases) time(args);

const rows = [];
const bareTimes = [];
for (const [name, args] of cases) {
  const a = [];
  const ratios = [];
  for (let i = 0; i < RUNS; i++) {
    const t = time(args);
    const b = time(bare);
    a.push(t);
    bareTimes.push(b);
    ratios.push(t / b);
  }
  rows.push({ name, median: median(a), ratio: median(ratios) });
}
rmSync(dir, { recursive: true, force: true });

console.log(`Node ${process.versions.node}, ${RUNS} runs each, wall time of the whole process (median)\n`);
console.log('| command | ms | x bare node |');
console.log('|---|---:|---:|');
console.log(`| node trivial.mjs (bare) | ${median(bareTimes).toFixed(0)} | 1.00 |`);
for (const r of rows) console.log(`| ${r.name} | ${r.median.toFixed(0)} | ${r.ratio.toFixed(2)} |`);
