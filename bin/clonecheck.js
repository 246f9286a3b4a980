#!/usr/bin/env node
// The executable: everything lives in the built CLI (src/cli/index.ts). `--version` alone is
// answered here from package.json, without loading anything else.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  // dist/ is CommonJS: require() loads it without scanning it for export names first.
  const { run } = createRequire(import.meta.url)('../dist/cli/index.js');
  await run(args);
}
