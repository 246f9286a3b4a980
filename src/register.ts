/**
 * `node --import clonecheck/register app.js`: installs the guard before the app's first line, in
 * `throw` mode unless `CLONECHECK_GUARD=warn` (or `off`). Workers and forked children inherit the
 * flag (through `execArgv`) and the environment, so they are guarded too. See docs/guard.md.
 */
import { guardOptionsFromEnv, install } from './guard.js';

const options = guardOptionsFromEnv(process.env);
if (options !== undefined) install(options);
