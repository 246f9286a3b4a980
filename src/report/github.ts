import { summaryLine } from './human.js';
import { subjectsWord, verifiedText, type Reporter, type ReportRun } from './reporter.js';
import { loadErrorText, type FileReport, type SubjectView } from './subject.js';

/** GitHub workflow commands: data escaped as the runner reads it. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value (`file=`, `title=`) also escapes `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(kind: 'error' | 'warning' | 'notice', props: Record<string, string | number | undefined>, message: string): string {
  const list = Object.entries(props)
    .filter((p): p is [string, string | number] => p[1] !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${kind}${list ? ` ${list}` : ''}::${escapeData(message)}`;
}

/**
 * One file as GitHub Actions annotations: one `::error` / `::warning` / `::notice` per entry, on the
 * export's line when known. A failing entry is an error, a reshape that does not fail a warning, a
 * note a notice; a file that cannot be loaded, or a call that throws, is an error.
 */
export function renderFileGithub(file: FileReport, views: readonly SubjectView[]): string {
  const lines: string[] = [];
  if (file.error !== undefined) {
    // A syntax error names its place, which may be a module the file imports.
    const at = file.errorAt;
    const where = at !== undefined ? { file: at.file, line: at.line, col: at.column } : { file: file.file };
    lines.push(command('error', { ...where, title: 'clonecheck: cannot load' }, loadErrorText(file)));
  }
  for (const v of views) {
    const s = v.subject;
    const where = { file: s.file, line: s.line, col: s.column };
    const title = s.kind === 'export' ? `export ${s.obtained ?? s.name}` : `send ${s.name}`;
    if (s.error !== undefined) lines.push(command('error', { ...where, title: `clonecheck: ${title}` }, s.error));
    for (const e of v.entries) {
      const kind = e.failing ? 'error' : e.severity === 'note' ? 'notice' : 'warning';
      const paths = e.count > 1 ? ` (${e.count} paths: ${e.paths.join(', ')}${e.count > e.paths.length ? ', ...' : ''})` : '';
      const hint = e.hint !== undefined ? `\nhint: ${e.hint}` : '';
      lines.push(command(kind, { ...where, title: `clonecheck ${e.code}: ${title}, ${e.at}` }, `${e.channels.join(', ')}: ${e.message}${paths}${hint}`));
    }
    if (v.omitted > 0) lines.push(command('warning', { ...where, title: `clonecheck: ${title}` }, `${v.omitted} more entries were left out (--max-findings)`));
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** GitHub annotations, file by file, and the summary line of the human report last. */
export function githubReporter(run: ReportRun): Reporter {
  return {
    start: () => '',
    file: (file, views) => renderFileGithub(file, views),
    end: ({ totals, verified }) => `${summaryLine(totals, run.failLevel, run.channels, false, subjectsWord(run)).trimEnd()}${verifiedText(verified)}\n`,
  };
}
