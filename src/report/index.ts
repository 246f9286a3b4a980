import { severityOfFinding } from '../policy/index.js';
import { ALL_CHANNELS, type Channel, type Finding } from '../types.js';
import { countSeverities, findingsSummary, verdictOf } from './counts.js';
import { painter, SEVERITY_STYLE, SEVERITY_WIDTH } from './paint.js';
import { patternOf } from './paths.js';
import { SHOWN_PATHS } from './subject.js';

export interface ReportOptions {
  /**
   * Colour the report with ANSI escapes. Without it the text is plain: no escapes at all.
   * @default false
   */
  readonly color?: boolean | undefined;
  /** A heading line printed above the findings, e.g. `export job (src/jobs.ts)`. */
  readonly title?: string | undefined;
  /**
   * Findings of one code, on one channel, at one path pattern (array indices and Map/Set entries
   * read as "any") are collapsed into one entry when there are more than this many: the pattern,
   * the count and the first few paths.
   * @default 5
   * @example formatReport(check(Array.from({ length: 10_000 }, () => () => 1)).findings)
   * // worker: 10000 throw
   * //   $[*]  throw    A function cannot be copied by structured clone, ... (FUNCTION_NOT_CLONEABLE)
   * //     10000 paths: $[0], $[1], $[2], ...
   */
  readonly maxPerGroup?: number | undefined;
  /**
   * Channels that get a heading even without findings (then it reads `lossless`).
   * @default the channels of the findings
   */
  readonly channels?: readonly Channel[] | undefined;
}

export interface SummaryOptions {
  /** @default false */
  readonly color?: boolean | undefined;
}

const DEFAULT_MAX_PER_GROUP = 5;

/**
 * Findings for people: grouped by channel, each channel with its counts by severity (in the words
 * of the CLI's summary line), one line per finding with its path, severity, message and code, the
 * hint under it. Many findings of one rule over the elements of an array (or the entries
 * of a Map or Set) collapse into one entry.
 *
 * ```text
 * worker: 1 throw
 *   $.job.onDone  throw    A method (onDone) cannot be copied by structured clone, so the send throws. (FUNCTION_NOT_CLONEABLE)
 *     hint: Send data, not behaviour: pass a name or an id and look the function up on the other side.
 * ```
 */
export function formatReport(findings: readonly Finding[], options: ReportOptions = {}): string {
  const paint = painter(options.color === true);
  const maxPerGroup = options.maxPerGroup ?? DEFAULT_MAX_PER_GROUP;
  const lines: string[] = [];
  if (options.title !== undefined) lines.push(paint('bold', options.title));

  const byChannel = new Map<Channel, Finding[]>();
  for (const f of findings) {
    let list = byChannel.get(f.channel);
    if (!list) byChannel.set(f.channel, (list = []));
    list.push(f);
  }
  // In the order every report lists channels (the default three, then json and v8).
  const channels = ALL_CHANNELS.filter((ch) => byChannel.has(ch) || options.channels?.includes(ch));
  if (channels.length === 0) {
    lines.push('No findings.');
    return lines.join('\n');
  }

  for (const channel of channels) {
    const list = byChannel.get(channel) ?? [];
    lines.push(`${paint('bold', channel)}: ${verdictOf(countSeverities(list), paint)}`);
    for (const entry of collapse(list, maxPerGroup)) {
      const f = entry.first;
      const at = entry.count === 1 ? f.at : entry.pattern;
      const severity = severityOfFinding(f);
      lines.push(`  ${paint('bold', at)}  ${paint(SEVERITY_STYLE[severity], severity.padEnd(SEVERITY_WIDTH))}  ${f.message} ${paint('dim', `(${f.code})`)}`);
      if (entry.count > 1) {
        const shown = entry.paths.slice(0, SHOWN_PATHS).join(', ');
        lines.push(`    ${entry.count} paths: ${shown}${entry.count > SHOWN_PATHS ? ', ...' : ''}`);
      }
      if (f.hint !== undefined) lines.push(`    ${paint('dim', `hint: ${f.hint}`)}`);
    }
  }
  return lines.join('\n');
}

/**
 * The counts of a list of findings, by severity, as the CLI's summary line gives them:
 * `7 findings (2 throw, 1 loss, 3 reshape, 1 note)`, or `no findings`.
 */
export function formatSummary(findings: readonly Finding[], options: SummaryOptions = {}): string {
  return findingsSummary(countSeverities(findings), { paint: painter(options.color === true) });
}

interface Entry {
  readonly first: Finding;
  readonly pattern: string;
  count: number;
  readonly paths: string[];
}

/**
 * Groups one channel's findings by code and path pattern. Groups larger than `max` become one
 * entry at the place of their first finding; the others stay one entry per finding, in order.
 */
function collapse(findings: readonly Finding[], max: number): Entry[] {
  const groups = new Map<string, Entry>();
  const keys: (string | undefined)[] = [];
  for (const f of findings) {
    const pattern = patternOf(f.path);
    const key = pattern === undefined ? undefined : `${f.code}\u0000${pattern}`;
    keys.push(key);
    if (key === undefined || pattern === undefined) continue;
    const group = groups.get(key);
    if (group) {
      group.count++;
      if (group.paths.length < SHOWN_PATHS) group.paths.push(f.at);
    } else {
      groups.set(key, { first: f, pattern, count: 1, paths: [f.at] });
    }
  }
  const out: Entry[] = [];
  const emitted = new Set<string>();
  findings.forEach((f, i) => {
    const key = keys[i];
    const group = key === undefined ? undefined : groups.get(key);
    if (key === undefined || !group || group.count <= max) {
      out.push({ first: f, pattern: f.at, count: 1, paths: [f.at] });
    } else if (!emitted.has(key)) {
      emitted.add(key);
      out.push(group);
    }
  });
  return out;
}
