// Moved: check() lives in src/check/index.ts.
export { check, NESTING_LIMITS } from './check/index.js';
