import type { Effect, Finding } from './types.js';

/** The effects that make a value fail an assertion, a matcher, a guard or a CLI run. */
export const DEFAULT_FAIL_ON: readonly Effect[] = ['throws', 'dropped', 'changed'];

/**
 * The findings whose effect is in `failOn`.
 *
 * @example failing(check(value).findings, ['throws']) // only what would make the send throw
 */
export function failing(findings: readonly Finding[], failOn: readonly Effect[] = DEFAULT_FAIL_ON): Finding[] {
  return findings.filter((f) => failOn.includes(f.effect));
}
