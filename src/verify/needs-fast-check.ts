// clonecheck/arbitraries is made of fast-check arbitraries, and fast-check is an optional peer
// dependency. Imported first by src/arbitraries.ts: in the package's CommonJS build its require runs
// before fast-check's, so a project without fast-check gets this sentence, not a bare "Cannot find
// module 'fast-check'" from deep inside dist/.
import { createRequire } from 'node:module';

/** The sentence a project without fast-check gets when it loads clonecheck/arbitraries. */
export const FAST_CHECK_MISSING =
  'clonecheck/arbitraries builds its values with fast-check, an optional peer dependency that is not installed here. ' +
  'Install it next to clonecheck: npm install --save-dev fast-check';

try {
  createRequire(import.meta.url).resolve('fast-check');
} catch (error) {
  if ((error as { code?: unknown } | null)?.code === 'MODULE_NOT_FOUND') throw new Error(FAST_CHECK_MISSING, { cause: error });
  throw error;
}
