import type { Severity } from '../findings/severity.js';
import type { Channel, PathSegment } from '../types.js';
import { packageJson } from './meta.js';
import type { Totals } from './totals.js';
import type { Reporter, ReportRun, RunEnd } from './reporter.js';
import type { Entry, FileReport, SubjectView } from './subject.js';

/** The version of the `--format json` document; bumped on any change that is not an addition. */
export const JSON_SCHEMA_VERSION = 2;

/** A path step as JSON: a key, an index, a Map/Set entry, or a symbol key by its description. */
export type JsonPathSegment =
  | string
  | number
  | { readonly kind: 'map-key' | 'map-value' | 'set-member'; readonly index: number }
  | { readonly kind: 'symbol'; readonly description: string | null };

export function jsonPath(path: readonly PathSegment[]): JsonPathSegment[] {
  const out: JsonPathSegment[] = [];
  for (const s of path)
    out.push(typeof s === 'symbol' ? { kind: 'symbol', description: s.description ?? null } : typeof s === 'object' ? { kind: s.kind, index: s.index } : s);
  return out;
}

/** One entry of a subject: the same line as in the human report, as data. */
export interface JsonEntry {
  readonly code: string;
  readonly severity: Severity;
  readonly effect: string;
  readonly channels: readonly Channel[];
  /** The path, or for a collapsed entry its pattern (`$.jobs[*].onDone`). */
  readonly at: string;
  /** The steps of the (first) path. */
  readonly path: readonly JsonPathSegment[];
  /** How many paths the entry stands for. */
  readonly count: number;
  /** A collapsed entry's first paths. */
  readonly paths?: readonly string[];
  readonly message: string;
  readonly hint?: string;
  readonly failing: boolean;
}

export function jsonEntry(e: Entry): JsonEntry {
  return {
    code: e.code,
    severity: e.severity,
    effect: e.effect,
    channels: e.channels,
    at: e.at,
    // A path thousands of steps deep is elided in `at`; its steps stay bounded too.
    path: jsonPath(e.path.length > 64 ? [...e.path.slice(0, 32), ...e.path.slice(-32)] : e.path),
    count: e.count,
    ...(e.count > 1 ? { paths: e.paths } : {}),
    message: e.message,
    ...(e.hint !== undefined ? { hint: e.hint } : {}),
    failing: e.failing,
  };
}

/** A subject as the JSON document lists it. */
export function jsonSubject(v: SubjectView): Record<string, unknown> {
  const s = v.subject;
  const lossless: Partial<Record<Channel, boolean>> = {};
  if (s.error === undefined && s.note === undefined) {
    for (const ch of s.channels) lossless[ch] = !s.findings.some((f) => f.channel === ch && f.effect !== 'note');
  }
  const ignoredCodes: Record<string, number> = {};
  for (const f of s.ignored) ignoredCodes[f.code] = (ignoredCodes[f.code] ?? 0) + 1;
  return {
    kind: s.kind,
    name: s.name,
    ...(s.line !== undefined ? { line: s.line } : {}),
    ...(s.column !== undefined ? { column: s.column } : {}),
    ...(s.obtained !== undefined ? { obtained: s.obtained } : {}),
    ...(s.note !== undefined ? { note: s.note } : {}),
    ...(s.error !== undefined ? { error: s.error } : {}),
    channels: s.channels,
    lossless,
    counts: v.counts,
    findings: s.findings.length,
    failing: v.failing,
    truncated: s.truncated === true,
    entries: v.entries.map(jsonEntry),
    omitted: v.omitted,
    ignored: { count: s.ignored.length, codes: ignoredCodes },
    ...(s.data ?? {}),
  };
}

/** One file of the document; written as it is reached, so a long run keeps little in memory. */
export function jsonFile(file: FileReport, views: readonly SubjectView[]): string {
  return JSON.stringify(
    {
      file: file.file,
      ...(file.error !== undefined ? { error: file.error } : {}),
      ...(file.errorAt !== undefined ? { errorAt: file.errorAt } : {}),
      ...(file.note !== undefined ? { note: file.note } : {}),
      subjects: views.map(jsonSubject),
    },
    null,
    2,
  );
}

/** Indents a JSON text by `n` spaces after its first line, to nest it in the document. */
export function indent(text: string, n: number): string {
  return text.replace(/\n/g, `\n${' '.repeat(n)}`);
}

/** The document's summary: the run's totals, as data. */
function jsonSummary(t: Totals, end: RunEnd): Record<string, unknown> {
  return {
    files: t.files,
    unloadable: t.unloadable,
    subjects: t.subjects,
    checked: t.checked,
    errors: t.errors,
    counts: t.counts,
    findings: t.counts.throw + t.counts.loss + t.counts.reshape + t.counts.note,
    ignored: t.ignored,
    failing: t.failing,
    truncated: t.truncated,
    disagreements: end.verified?.disagreements ?? null,
    problems: end.problems ?? [],
    exitCode: end.exitCode,
  };
}

/** One JSON document, written file by file: the head, `files` as they come, the summary last. */
export function jsonReporter(run: ReportRun): Reporter {
  let first = true;
  const head = {
    version: JSON_SCHEMA_VERSION,
    tool: { name: 'clonecheck', version: packageJson().version },
    node: process.versions.node,
    command: run.command,
    options: run.options,
  };
  return {
    start: () => `${JSON.stringify(head, null, 2).replace(/\n}$/, '')},\n  "files": [`,
    file: (file, views) => {
      const text = `${first ? '\n' : ',\n'}    ${indent(jsonFile(file, views), 4)}`;
      first = false;
      return text;
    },
    end: (end) => `${first ? '' : '\n  '}],\n  "summary": ${indent(JSON.stringify(jsonSummary(end.totals, end), null, 2), 2)}\n}\n`,
  };
}
