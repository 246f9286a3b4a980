import { atLeast, DEFAULT_FAIL_LEVEL, isSeverity, SEVERITIES, severityOf, STRICT_FAIL_LEVEL, type Severity } from '../findings/severity.js';
import { EFFECTS, type Effect, type Finding } from '../types.js';
import { compileIgnore, type IgnoreMatcher } from './ignore.js';
import { SettingError } from './settings.js';

export { compileIgnore, readIgnore, IGNORE_NOTHING, type IgnoreMatcher, type IgnoreEntry } from './ignore.js';
export { closest, didYouMean } from './suggest.js';
export { SettingError } from './settings.js';
export { atLeast, DEFAULT_FAIL_LEVEL, isSeverity, SEVERITIES, SEVERITY_OF_CODE, severityOf, STRICT_FAIL_LEVEL, type Severity } from '../findings/severity.js';

/**
 * The effects that failed before severities existed (every effect but `note`). Kept for callers
 * that still pass a list of effects to `failing()`; the fail level `'loss'` is the default now.
 * @deprecated use DEFAULT_FAIL_LEVEL
 */
export const DEFAULT_FAIL_ON: readonly Effect[] = ['throws', 'dropped', 'changed'];

/** What fails: a severity level (it and everything more serious), or a list of effects (older form). */
export type FailOn = Severity | readonly Effect[];

/** The severity of a finding: its own field when set, else its code's. */
export function severityOfFinding(finding: Finding): Severity {
  return (finding as { severity?: Severity }).severity ?? severityOf(finding.code);
}

/**
 * The findings that fail under `failOn`: by default those of severity `throw` and `loss`.
 *
 * @example failing(check(value).findings) // what throws or loses data
 * @example failing(check(value).findings, 'reshape') // strict: everything but notes
 * @example failing(check(value).findings, 'throw') // only what would make the send throw
 */
export function failing(findings: readonly Finding[], failOn: FailOn = DEFAULT_FAIL_LEVEL): Finding[] {
  const out: Finding[] = [];
  if (typeof failOn === 'string') {
    for (const f of findings) if (atLeast(severityOfFinding(f), failOn)) out.push(f);
  } else {
    for (const f of findings) if (failOn.includes(f.effect)) out.push(f);
  }
  return out;
}

/** True when `finding` fails under `failOn`. */
export function fails(finding: Finding, failOn: FailOn = DEFAULT_FAIL_LEVEL): boolean {
  return typeof failOn === 'string' ? atLeast(severityOfFinding(finding), failOn) : failOn.includes(finding.effect);
}

/** `'throw', 'loss', 'reshape', 'note'`: the levels as a fail level's message lists them. */
const LEVELS = SEVERITIES.map((s) => `'${s}'`).join(', ');

/**
 * Reads a fail level given by a user (an option, a config key, a flag, an environment variable):
 * a severity name, or `undefined` when none was given. `where` names it in the `SettingError` (a
 * `TypeError`). An array of effects, the older form, is still read (`['throws', 'dropped']`).
 */
export function readFailOn(value: unknown, where = 'failOn'): FailOn | undefined {
  const fail = (problem: string): never => {
    throw new SettingError(where, problem);
  };
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    if (isSeverity(value)) return value;
    const asEffect = (EFFECTS as readonly string[]).includes(value) ? `; the severity levels replaced effects here (e.g. 'loss' for throws and dropped)` : '';
    return fail(`unknown fail level ${JSON.stringify(value)}; use one of ${LEVELS}${asEffect}`);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) fail(`an empty list fails nothing; use a level: ${LEVELS}`);
    for (const e of value as unknown[]) {
      if (typeof e !== 'string' || !(EFFECTS as readonly string[]).includes(e))
        fail(`unknown effect ${JSON.stringify(e)}; give a level (${LEVELS}) or a list of ${EFFECTS.join(', ')}`);
    }
    return [...(value as Effect[])];
  }
  return fail(`expected a fail level (${LEVELS}), got ${value === null ? 'null' : typeof value}`);
}

/**
 * The fail level from `failOn` and `strict` together: `strict: true` is `failOn: 'reshape'`;
 * giving both with different meanings is a `SettingError` (a `TypeError`). `where`, when given,
 * names the object that holds both (`'guard'`: `guard.failOn`).
 */
export function resolveFailOn(failOn: unknown, strict: unknown, where?: string): FailOn {
  if (strict !== undefined && typeof strict !== 'boolean') throw new SettingError(where, `strict must be true or false, got ${JSON.stringify(strict)}`);
  const level = readFailOn(failOn, where === undefined ? 'failOn' : `${where}.failOn`);
  if (strict === true) {
    if (level !== undefined && level !== STRICT_FAIL_LEVEL)
      throw new SettingError(where, `strict: true means failOn: '${STRICT_FAIL_LEVEL}'; give one or the other`);
    return STRICT_FAIL_LEVEL;
  }
  return level ?? DEFAULT_FAIL_LEVEL;
}

/** A finding list split by a policy. */
export interface PolicyVerdict {
  /** The findings not ignored, in the order given. */
  readonly findings: Finding[];
  /** The findings the ignore list set aside, in the order given. */
  readonly ignored: Finding[];
  /** The findings (not ignored) that fail under the fail level. */
  readonly failures: Finding[];
}

/**
 * Splits findings by an ignore list (a list or a compiled matcher) and a fail level. Used where
 * findings come from elsewhere than `check()` (which applies `ignore` itself).
 */
export function applyPolicy(
  findings: readonly Finding[],
  policy: { readonly ignore?: readonly string[] | IgnoreMatcher | undefined; readonly failOn?: FailOn | undefined } = {},
): PolicyVerdict {
  const isIgnored = typeof policy.ignore === 'function' ? policy.ignore : compileIgnore(policy.ignore);
  const failOn = policy.failOn ?? DEFAULT_FAIL_LEVEL;
  const kept: Finding[] = [];
  const ignored: Finding[] = [];
  const failures: Finding[] = [];
  for (const f of findings) {
    if (isIgnored(f)) {
      ignored.push(f);
      continue;
    }
    kept.push(f);
    if (fails(f, failOn)) failures.push(f);
  }
  return { findings: kept, ignored, failures };
}
