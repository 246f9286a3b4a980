/**
 * `node --import clonecheck/register app.js`: installs the guard before the app's first line, in
 * `throw` mode unless `CLONECHECK_GUARD=warn` (or `off`), with the project's config file
 * (`clonecheck.config.json` or `"clonecheck"` in package.json) and the `CLONECHECK_*` environment
 * variables over it. Workers and forked children inherit the flag (through `execArgv`) and the
 * environment, so they are guarded too. See docs/guard.md.
 */
import { install, registerOptions } from './guard.js';

const options = registerOptions(process.env, process.cwd());
if (options !== undefined) install(options);
