/**
 * `node --import clonecheck/register app.js`: installs the guard before the app's first line, in
 * `throw` mode unless `CLONECHECK_GUARD=warn` (or `off`), with the project's config file
 * (`clonecheck.config.json` or `"clonecheck"` in package.json) and the `CLONECHECK_*` environment
 * variables over it. Workers and forked children inherit the flag (through `execArgv`) and the
 * environment, so they are guarded too. See docs/guard.md.
 *
 * A setting it does not know (a variable, or a key of the config file) stops the program before
 * its first line: one line on stderr that names it and the valid values, and exit code 2, the
 * CLI's code for a usage or config error. No stack: the mistake is in the settings, not in code.
 */
import { writeSync } from 'node:fs';
import { EXIT } from './cli/exit.js';
import { ConfigError } from './config/index.js';
import { GuardEnvError, install, registerOptions, type GuardOptions } from './guard.js';

let options: GuardOptions | undefined;
try {
  options = registerOptions(process.env, process.cwd());
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof GuardEnvError)) throw error;
  const problem = error.message.replace(/^clonecheck(?:\/register)?: /, '');
  // Written at once: process.exit() does not wait for a pending write to a pipe.
  writeSync(2, `clonecheck/register: ${problem} (the program was not started; CLONECHECK_GUARD=off runs it unguarded)\n`);
  process.exit(EXIT.error);
}
if (options !== undefined) install(options);
