// Moved: codes and their args live in src/findings/codes.ts, their wording in src/findings/messages.ts.
export { CODE_EFFECT, FINDING_CODES, effectOf, type FindingArgs, type FindingArgsByCode, type FindingCode } from './findings/codes.js';
export { codeInfo, hintFor, messageFor } from './findings/messages.js';
