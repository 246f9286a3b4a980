// Moved to src/policy/index.ts; this file keeps older import paths working.
export * from './policy/index.js';
