/**
 * What every format of the command line's report implements: a start, one piece per file as the
 * run reaches it (so a long run keeps little in memory), and an end with the totals. One factory
 * per format (`humanReporter` in human.ts, `jsonReporter`, `sarifReporter`, `githubReporter`); the
 * CLI only picks one.
 */
import type { Channel } from '../types.js';
import type { Totals } from './totals.js';
import type { FailLevel, FileReport, SubjectView } from './subject.js';

/** What a reporter knows about the run it reports. */
export interface ReportRun {
  readonly command: 'check' | 'scan';
  readonly channels: readonly Channel[];
  readonly failLevel: FailLevel;
  /** Entries shown per subject (`--max-findings`); Infinity for all. */
  readonly maxEntries: number;
  /** Colour the human report. */
  readonly color: boolean;
  /** What the paths of the report are relative to. */
  readonly cwd: string;
  /** The options of the run as the JSON document lists them. */
  readonly options: Readonly<Record<string, unknown>>;
}

/** With --verify: how many real sends were made, and how many places disagreed. */
export interface Verified {
  readonly sends: number;
  readonly disagreements: number;
}

/** What the end of a report says besides the totals. */
export interface RunEnd {
  readonly totals: Totals;
  readonly exitCode: number;
  /**
   * Whether the run did all it was asked: false when a file could not be loaded, an export could
   * not be checked or an `--export` name matched nothing (exit code 2).
   */
  readonly complete: boolean;
  readonly verified?: Verified | undefined;
  /**
   * What went wrong for the run as a whole rather than one file (an `--export` that no module has),
   * one line each. The CLI also prints these on stderr.
   */
  readonly problems?: readonly string[] | undefined;
}

export interface Reporter {
  readonly start: () => string;
  readonly file: (file: FileReport, views: readonly SubjectView[]) => string;
  readonly end: (end: RunEnd) => string;
}

/** What the subjects of a run are called in its summary. */
export function subjectsWord(run: Pick<ReportRun, 'command'>): 'exports' | 'send sites' {
  return run.command === 'scan' ? 'send sites' : 'exports';
}

/** ` Verified: 9 real sends agree with the prediction.`, or how many places disagree. */
export function verifiedText(v: Verified | undefined): string {
  if (v === undefined) return '';
  const sends = `${v.sends} real send${v.sends === 1 ? '' : 's'}`;
  return v.disagreements === 0
    ? ` Verified: ${sends} agree with the prediction.`
    : ` Verified: ${v.disagreements} disagreement${v.disagreements === 1 ? '' : 's'} with the prediction in ${sends}.`;
}
