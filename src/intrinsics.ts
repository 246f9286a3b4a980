// Moved: the captured built-ins live in src/realm/intrinsics.ts, the type registry in src/realm/registry.ts.
export * from './realm/intrinsics.js';
export * from './realm/registry.js';
