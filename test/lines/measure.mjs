#!/usr/bin/env node
// Measures every Node.js line: runs ./probe.mjs with each line's real `node` (installed by
// scripts/runtimes.mjs) and writes ./measured/node<line>.json, then rewrites the per-line table of
// docs/channels.md from those files.
//
//   npm run build && node test/lines/measure.mjs          measure every line, then the table
//   node test/lines/measure.mjs --docs                     only rewrite the table from the files
//
// The table lists every case whose outcome on some channel is not the same on every line.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensure, LINES } from '../../scripts/runtimes.mjs';
import { linesTable, replaceLinesSection } from './table.mjs';

const here = new URL('./', import.meta.url);
const docs = new URL('../../docs/channels.md', import.meta.url);

if (!process.argv.includes('--docs')) {
  const { found, missing } = ensure();
  for (const line of LINES) {
    const rt = found[line];
    if (!rt) {
      console.error(`node${line}: not measured (${missing[line]})`);
      continue;
    }
    const started = performance.now();
    const run = spawnSync(rt.node, [fileURLToPath(new URL('./probe.mjs', here))], { encoding: 'utf8', maxBuffer: 64 << 20, cwd: fileURLToPath(here) });
    if (run.status !== 0) {
      console.error(`node${line}: the probe failed (exit ${run.status})\n${run.stderr}`);
      process.exitCode = 1;
      continue;
    }
    const measured = JSON.parse(run.stdout);
    const rows = Object.entries(measured.results).map(([id, row]) => `    ${JSON.stringify(id)}: ${JSON.stringify(row)}`);
    const text = `{\n  "node": ${JSON.stringify(measured.node)},\n  "v8": ${JSON.stringify(measured.v8)},\n  "platform": ${JSON.stringify(measured.platform)},\n  "limits": ${JSON.stringify(measured.limits)},\n  "results": {\n${rows.join(',\n')}\n  }\n}\n`;
    writeFileSync(new URL(`./measured/node${line}.json`, here), text);
    console.error(`node${line}: ${rows.length} cases x 6 channels measured on Node ${measured.node} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

const table = linesTable();
writeFileSync(docs, replaceLinesSection(readFileSync(docs, 'utf8'), table));
console.error(`docs/channels.md: the per-line table has ${table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| case')).length} rows`);
