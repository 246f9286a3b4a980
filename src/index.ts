export type { Channel, Effect, EntryStep, PathSegment, Path, Finding, CheckOptions, CheckResult } from './types.js';
export { CHANNELS, EFFECTS } from './types.js';
export { check, NESTING_LIMITS } from './check.js';
export { codeInfo, FINDING_CODES, type FindingCode, type FindingArgs } from './codes.js';
export { formatPath } from './path.js';
export { DEFAULT_FAIL_ON, failing } from './policy.js';
export { CloneCheckError } from './errors.js';
export { assertCloneable, type AssertOptions } from './assert.js';
