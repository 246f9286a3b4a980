import type { Channel } from '../types.js';
import { findingsSummary, totalOf, verdictOf } from './counts.js';
import { painter, SEVERITY_STYLE, SEVERITY_WIDTH, type Paint } from './paint.js';
import { isSkipped, type Totals } from './totals.js';
import { subjectsWord, verifiedText, type Reporter, type ReportRun } from './reporter.js';
import type { Entry, FailLevel, FileReport, ReportSettings, ReportSubject, SubjectView } from './subject.js';

export interface HumanSettings extends ReportSettings {
  readonly color: boolean;
  /** The channels of the run, for a subject's `lossless on ...` line. */
  readonly channels: readonly Channel[];
}

/**
 * One file for people: its name, then each subject with its entries (path, severity, channels,
 * sentence, code), the hint under the first entry that has it.
 *
 * ```text
 * fixtures/job-payload.ts
 *   export job (line 3): 1 throw, 1 loss
 *     $.onDone   throw  worker, fork-advanced  A method (onDone) cannot be copied by ... (FUNCTION_NOT_CLONEABLE)
 *       hint: Send data, not behaviour: pass a name or an id and look the function up on the other side.
 *     $.onDone   loss   fork                   A method (onDone) is left out by JSON: ... (FUNCTION_DROPPED)
 * ```
 */
export function renderFileHuman(file: FileReport, views: readonly SubjectView[], settings: HumanSettings): string {
  const paint = painter(settings.color);
  // A syntax error names its own place (file:line:column); anything else gets the file in front.
  if (file.error !== undefined)
    return file.error.startsWith(`${file.file}:`) ? `${paint('red', file.error)}\n` : `${paint('bold', file.file)}: ${paint('red', 'error')}: ${file.error}\n`;
  const lines = [paint('bold', file.file)];
  if (file.note !== undefined) lines.push(`  ${file.note}`);
  for (const v of views) lines.push(...subjectLines(v, settings, paint));
  return `${lines.join('\n')}\n`;
}

function subjectTitle(s: ReportSubject): string {
  const what = s.kind === 'export' ? `export ${s.obtained ?? s.name}` : `send ${s.name}`;
  const where = s.line !== undefined ? ` (line ${s.line})` : '';
  return `${what}${where}`;
}

function subjectLines(v: SubjectView, settings: HumanSettings, paint: Paint): string[] {
  const s = v.subject;
  const title = subjectTitle(s);
  const ignored = s.ignored.length > 0 ? `; ${s.ignored.length} ignored` : '';
  if (s.error !== undefined) return [`  ${title}: ${paint('red', 'error')}: ${s.error}`];
  if (isSkipped(s) || (s.note !== undefined && s.findings.length === 0 && s.ignored.length === 0)) return [`  ${title}: ${paint('dim', s.note ?? '')}`];
  const lines: string[] = [];
  if (s.findings.length === 0) {
    lines.push(`  ${title}: ${paint('green', 'lossless')} on ${s.channels.join(', ')}${ignored}`);
  } else {
    lines.push(
      `  ${title}: ${verdictOf(v.counts, paint)}${s.truncated ? ` (stopped counting at ${s.findings.length} findings; --max-findings 0 counts them all)` : ''}${ignored}`,
    );
    const atWidth = Math.min(48, Math.max(...v.entries.map((e) => e.at.length)));
    const chWidth = Math.max(...v.entries.map((e) => e.channels.join(', ').length));
    for (const e of v.entries) lines.push(...entryLines(e, atWidth, chWidth, paint));
    if (v.omitted > 0)
      lines.push(
        `    ... and ${v.omitted} more entr${v.omitted === 1 ? 'y' : 'ies'} (--max-findings ${settings.maxEntries} shown; --max-findings 0 shows all)`,
      );
  }
  if (s.note !== undefined) lines.push(`    ${paint('dim', `note: ${s.note}`)}`);
  if (s.extra) lines.push(...s.extra.map((l) => `    ${l}`));
  return lines;
}

function entryLines(e: Entry, atWidth: number, chWidth: number, paint: Paint): string[] {
  const at = e.at.length <= atWidth ? e.at.padEnd(atWidth) : e.at;
  const severity = paint(SEVERITY_STYLE[e.severity], e.severity.padEnd(SEVERITY_WIDTH));
  const lines = [`    ${paint('bold', at)}  ${severity}  ${e.channels.join(', ').padEnd(chWidth)}  ${e.message} ${paint('dim', `(${e.code})`)}`];
  if (e.count > 1) lines.push(`      ${e.count} paths: ${e.paths.join(', ')}${e.count > e.paths.length ? ', ...' : ''}`);
  if (e.hint !== undefined) lines.push(`      ${paint('dim', `hint: ${e.hint}`)}`);
  return lines;
}

const plural = (n: number, one: string, many: string = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The closing line of a human report. */
export function summaryLine(t: Totals, failLevel: FailLevel, channels: readonly Channel[], color: boolean, what: 'exports' | 'send sites' = 'exports'): string {
  const paint = painter(color);
  const total = totalOf(t.counts);
  const findings = findingsSummary(t.counts, { paint, atLeast: t.truncated > 0 });
  const skipped = t.subjects - t.checked - t.errors;
  const subjects = `${what === 'exports' ? plural(t.checked, 'export') : plural(t.checked, 'send site')}${skipped > 0 ? ` (${skipped} skipped)` : ''}`;
  let line = `Checked ${subjects} in ${plural(t.files - t.unloadable, 'file')} on ${channels.join(', ')}: ${findings}`;
  if (t.ignored > 0) line += `, ${t.ignored} ignored`;
  if (total > 0) {
    const level = failLevel === 'none' ? '--fail-on none' : `fail level: ${failLevel}`;
    line += t.failing === 0 ? `; none fails the run (${level})` : `; ${t.failing} ${t.failing === 1 ? 'fails' : 'fail'} the run (${level})`;
  }
  line += '.';
  const problems: string[] = [];
  if (t.unloadable > 0) problems.push(`${plural(t.unloadable, 'file')} could not be loaded`);
  if (t.errors > 0) problems.push(`${plural(t.errors, what === 'exports' ? 'export' : 'send site')} could not be checked`);
  if (problems.length > 0) line += ` ${capitalize(problems.join(', '))}.`;
  return `${line}\n`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The human report: one block per file, a blank line between files, the summary line last. */
export function humanReporter(run: ReportRun): Reporter {
  let first = true;
  return {
    start: () => '',
    file: (file, views) => {
      const text = renderFileHuman(file, views, run);
      const sep = first ? '' : '\n';
      first = false;
      return sep + text;
    },
    // A blank line between the last file and the summary, when a file was printed at all.
    end: ({ totals, verified }) =>
      `${first ? '' : '\n'}${summaryLine(totals, run.failLevel, run.channels, run.color, subjectsWord(run)).trimEnd()}${verifiedText(verified)}\n`,
  };
}
