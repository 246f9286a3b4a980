// Type-checked under every module resolution a consumer may use (tsconfig.*.json next to this file).
import { check, type CheckResult, type Finding } from 'clonecheck';
import { toBeCloneable } from 'clonecheck/matchers';
import { roundTrip } from 'clonecheck/roundtrip';
import { install } from 'clonecheck/guard';
import { plainValue } from 'clonecheck/arbitraries';

const result: CheckResult = check({ a: 1 }, { channels: ['worker'] });
const first: Finding | undefined = result.findings[0];
export const used = [first?.code, toBeCloneable, roundTrip, install, plainValue] as const;
