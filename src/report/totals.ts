/** A run's totals, added up file by file as the run goes: what every format's summary counts. */
import { SEVERITIES, type Severity } from '../findings/severity.js';
import type { FileReport, ReportSubject, SubjectView } from './subject.js';

/** What a run found, in all: files, subjects, findings by severity, failures. */
export interface Totals {
  readonly files: number;
  readonly unloadable: number;
  readonly subjects: number;
  readonly checked: number;
  readonly errors: number;
  readonly counts: Record<Severity, number>;
  readonly ignored: number;
  readonly failing: number;
  readonly truncated: number;
}

export function emptyTotals(): Totals {
  return {
    files: 0,
    unloadable: 0,
    subjects: 0,
    checked: 0,
    errors: 0,
    counts: { throw: 0, loss: 0, reshape: 0, note: 0 },
    ignored: 0,
    failing: 0,
    truncated: 0,
  };
}

/** An export skipped with a note (a function, a Promise): nothing was checked. */
export function isSkipped(s: ReportSubject): boolean {
  return s.kind === 'export' && s.note !== undefined && s.error === undefined && s.findings.length === 0;
}

/** Adds a file and its subjects' views to the totals. */
export function addToTotals(t: Totals, file: FileReport, views: readonly SubjectView[]): Totals {
  const counts = { ...t.counts };
  for (const v of views) for (const s of SEVERITIES) counts[s] += v.counts[s];
  return {
    files: t.files + 1,
    unloadable: t.unloadable + (file.error !== undefined ? 1 : 0),
    subjects: t.subjects + views.length,
    checked: t.checked + views.filter((v) => !isSkipped(v.subject) && v.subject.error === undefined).length,
    errors: t.errors + views.filter((v) => v.subject.error !== undefined).length,
    counts,
    ignored: t.ignored + views.reduce((n, v) => n + v.subject.ignored.length, 0),
    failing: t.failing + views.reduce((n, v) => n + v.failing, 0),
    truncated: t.truncated + views.filter((v) => v.subject.truncated === true).length,
  };
}
