/**
 * Closures and origins: for a function or class found in a value, where it was defined (mapped
 * through source maps), what it captures, and the by-reference answer (send `{ module, name }`,
 * not the function). Read through the in-process inspector without running the user's code; where
 * there is no inspector, answers fall back to `{ kind: 'unknown' }` and hints to `undefined`.
 * Facts only: the hints are data (findings/codes.ts), worded by findings/messages.ts (`formatOriginHint`);
 * what each channel does to a captured value is the checker's answer (src/capture-verdicts.ts).
 */
export type { Origin, Capture, CaptureCategory, FunctionKind } from './types.js';
export { functionOrigin, functionOrigins, capturedValues, instanceOrigin } from './origin.js';
export { originHint, instanceHint, functionFacts, type FunctionFacts, type OriginHint, type HintOptions, type ModuleExports, type Place } from './hint.js';
export { inspectorAvailable, setInspectorEnabled } from './inspector.js';
