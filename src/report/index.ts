import { patternOf } from './subject.js';
import { CHANNELS, EFFECTS, type Channel, type Effect, type Finding } from '../types.js';

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
   * // worker: 10000 throws
   * //   $[*]  throws   A function cannot be copied by structured clone, ... (FUNCTION_NOT_CLONEABLE)
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

/** How many paths a collapsed entry lists before "...". */
const SHOWN_PATHS = 3;
const DEFAULT_MAX_PER_GROUP = 5;
const EFFECT_WIDTH = Math.max(...EFFECTS.map((e) => e.length));

// Plain SGR escapes: enough for a report, and no dependency (node:util styleText on Node 20 does
// not know about streams or NO_COLOR either; the caller decides whether to colour).
const SGR = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], magenta: [35, 39], cyan: [36, 39] } as const;
type Style = keyof typeof SGR;

const EFFECT_STYLE: Record<Effect, Style> = { throws: 'red', dropped: 'magenta', changed: 'yellow', note: 'cyan' };

function painter(color: boolean): (style: Style, text: string) => string {
  return color ? (style, text) => `\u001b[${SGR[style][0]}m${text}\u001b[${SGR[style][1]}m` : (_style, text) => text;
}

/**
 * Findings for people: grouped by channel, one line per finding with its path, effect, message and
 * code, the hint under it. Many findings of one rule over the elements of an array (or the entries
 * of a Map or Set) collapse into one entry.
 *
 * ```text
 * worker: 1 throws
 *   $.job.onDone  throws   A method (onDone) cannot be copied by structured clone, so the send throws. (FUNCTION_NOT_CLONEABLE)
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
  const channels = CHANNELS.filter((ch) => byChannel.has(ch) || options.channels?.includes(ch));
  // Extra channel ids (not one of the three) keep their order of appearance.
  for (const ch of byChannel.keys()) if (!channels.includes(ch)) channels.push(ch);
  if (channels.length === 0) {
    lines.push('No findings.');
    return lines.join('\n');
  }

  for (const channel of channels) {
    const list = byChannel.get(channel) ?? [];
    lines.push(`${paint('bold', channel)}: ${channelVerdict(list, paint)}`);
    for (const entry of collapse(list, maxPerGroup)) {
      const f = entry.first;
      const at = entry.count === 1 ? f.at : entry.pattern;
      lines.push(`  ${paint('bold', at)}  ${paint(EFFECT_STYLE[f.effect], f.effect.padEnd(EFFECT_WIDTH))}  ${f.message} ${paint('dim', `(${f.code})`)}`);
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
 * The counts of a list of findings, by effect: `7 findings (2 throws, 1 dropped, 3 changed, 1 note)`,
 * or `no findings`.
 */
export function formatSummary(findings: readonly Finding[], options: SummaryOptions = {}): string {
  const paint = painter(options.color === true);
  if (findings.length === 0) return 'no findings';
  const counts = countEffects(findings);
  const parts = EFFECTS.filter((e) => counts[e] > 0).map((e) => paint(EFFECT_STYLE[e], `${counts[e]} ${e}`));
  return `${findings.length} finding${findings.length === 1 ? '' : 's'} (${parts.join(', ')})`;
}

/** How many findings have each effect. */
export function countEffects(findings: readonly Finding[]): Record<Effect, number> {
  const counts: Record<Effect, number> = { throws: 0, dropped: 0, changed: 0, note: 0 };
  for (const f of findings) counts[f.effect]++;
  return counts;
}

/** `lossless`, `lossless, 1 note`, or `1 throws, 2 changed`. */
function channelVerdict(findings: readonly Finding[], paint: (style: Style, text: string) => string): string {
  const counts = countEffects(findings);
  const lossy = EFFECTS.filter((e) => e !== 'note' && counts[e] > 0).map((e) => paint(EFFECT_STYLE[e], `${counts[e]} ${e}`));
  const notes = counts.note > 0 ? `${counts.note} note${counts.note === 1 ? '' : 's'}` : '';
  if (lossy.length === 0) return [paint('green', 'lossless'), notes].filter(Boolean).join(', ');
  return [...lossy, notes].filter(Boolean).join(', ');
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
