// Moved: the path printer lives in src/findings/path.ts.
export * from './findings/path.js';
