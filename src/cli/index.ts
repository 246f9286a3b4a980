/**
 * `clonecheck [paths..]`: loads each module, checks each data export as its own root, prints a
 * report; `clonecheck scan [paths..]`: the sends found in a project's code. Glue only:
 * arguments (args.ts) -> settings (settings.ts) -> files, load, check (check-run.ts) or scan
 * (scan-run.ts) -> the reporter of the format (report/) -> exit code (exit.ts). See docs/cli.md.
 *
 * Start-up is kept short: the checker, yargs (for --help), tsx (for TypeScript that Node cannot
 * load by itself) and the reporters are loaded only when a run needs them.
 */
export { EXIT, exitCodeFor } from './exit.js';
export { main } from './main.js';
export { run } from './process.js';
export { collectLimit, shouldColor, type Io, type RunSettings } from './settings.js';
