/**
 * Findings counted by severity, in the one set of words every report uses: the CLI's subject lines
 * and closing line, the headings of `formatReport`, `CloneCheckError`, `assertCloneable` and the
 * `toBeCloneable` matcher all say `2 throw, 1 loss, 1 reshape`, most serious first.
 */
import { SEVERITIES, type Severity } from '../findings/severity.js';
import { severityOfFinding } from '../policy/index.js';
import type { Finding } from '../types.js';
import { painter, SEVERITY_STYLE, type Paint } from './paint.js';

export type SeverityCounts = Record<Severity, number>;

/** How many findings of each severity. */
export function countSeverities(findings: readonly Finding[]): SeverityCounts {
  const counts: SeverityCounts = { throw: 0, loss: 0, reshape: 0, note: 0 };
  for (const f of findings) counts[severityOfFinding(f)]++;
  return counts;
}

export function totalOf(counts: Readonly<SeverityCounts>): number {
  return counts.throw + counts.loss + counts.reshape + counts.note;
}

/** `2 throw, 1 loss, 3 note`: the severities that occur, most serious first; `''` for none. */
export function severityCounts(counts: Readonly<SeverityCounts>, paint: Paint = painter(false)): string {
  const parts: string[] = [];
  for (const s of SEVERITIES) if (counts[s] > 0) parts.push(paint(SEVERITY_STYLE[s], `${counts[s]} ${s}`));
  return parts.join(', ');
}

/**
 * `7 findings (2 throw, 5 loss)`, `at least 7 findings (...)` when counting stopped early, or
 * `no findings`.
 */
export function findingsSummary(counts: Readonly<SeverityCounts>, options: { readonly paint?: Paint; readonly atLeast?: boolean } = {}): string {
  const total = totalOf(counts);
  if (total === 0) return 'no findings';
  return `${options.atLeast === true ? 'at least ' : ''}${total} finding${total === 1 ? '' : 's'} (${severityCounts(counts, options.paint)})`;
}

/**
 * A channel's or a subject's verdict: `2 throw, 1 loss`, or `lossless` (with its notes:
 * `lossless, 1 note`) when nothing is thrown, lost or reshaped.
 */
export function verdictOf(counts: Readonly<SeverityCounts>, paint: Paint = painter(false)): string {
  const lossless = counts.throw + counts.loss + counts.reshape === 0;
  const counted = severityCounts(counts, paint);
  if (!lossless) return counted;
  return counted === '' ? paint('green', 'lossless') : `${paint('green', 'lossless')}, ${counted}`;
}
