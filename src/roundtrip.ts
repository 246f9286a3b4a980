/**
 * The public entry `clonecheck/roundtrip`: real sends through each channel (`./verify/roundtrip.ts`),
 * with the sameness rules next to them, so `diff(value, await roundTrip(value, channel))` needs one
 * import.
 */
export * from './verify/roundtrip.js';
export { describe } from './verify/describe.js';
export { diff, diffDescriptions } from './verify/diff.js';
export type { Description, Difference } from './verify/description.js';
export { compare, covers, verifyPrediction, type Comparison, type Disagreement, type Prediction } from './verify/compare.js';
