export type { Channel, Effect, EntryStep, PathSegment, Path, Finding, CheckOptions, CheckResult } from './types.js';
export { CHANNELS, EFFECTS } from './types.js';
