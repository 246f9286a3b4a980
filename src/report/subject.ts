import { atLeast, type Severity } from '../findings/severity.js';
import { severityOfFinding, type FailOn } from '../policy/index.js';
import { countSeverities } from './counts.js';
import { comparePaths, elide, patternOf } from './paths.js';
import { ALL_CHANNELS, type Channel, type Effect, type Finding, type PathSegment } from '../types.js';

/**
 * One thing a report speaks about: an export of a module (`clonecheck file.ts`) or a place in the
 * code that sends a value (`clonecheck scan`). Every reporter (human, json, sarif, github) renders a
 * list of these.
 */
export interface Subject {
  readonly kind: 'export' | 'send-site';
  /** The export's name (`default` for the default export), or what the send site sends. */
  readonly name: string;
  /** The file, as the user gave it or relative to the working directory. */
  readonly file: string;
  /** Where the subject is declared or sent, 1-based, when known. */
  readonly line?: number;
  readonly column?: number;
  /** The channels it was checked for. */
  readonly channels: readonly Channel[];
  readonly findings: readonly Finding[];
  /** Findings set aside by an ignore entry: counted, never gone. */
  readonly ignored: readonly Finding[];
  /** Why nothing was checked, in one line (a function skipped, nothing exported). Never fails a run. */
  readonly note?: string;
  /** Why it could not be checked, in one line (a call that threw). Counts as an error. */
  readonly error?: string;
}

/** What the command line adds to a subject. */
export interface SubjectDetails {
  /** How the value was obtained: `makeJob({"id":1})`, `config, awaited`. */
  readonly obtained?: string;
  /** True when the checker stopped collecting findings at the limit. */
  readonly truncated?: boolean;
  /** Extra lines under the subject (a verification), already plain text. */
  readonly extra?: readonly string[];
  /** Data about the subject for the JSON document (a verification). */
  readonly data?: Readonly<Record<string, unknown>>;
  /** True when something about it fails the run although no finding does (a verification). */
  readonly failsOtherwise?: boolean;
}

export type ReportSubject = Subject & SubjectDetails;

/** One file of a run: its subjects in order, or the one line saying why it could not be loaded. */
export interface FileReport {
  readonly file: string;
  readonly subjects: readonly ReportSubject[];
  /** The file could not be loaded (or scanned): one line. */
  readonly error?: string;
  /**
   * The place the error names, where known: a syntax error's file (this one, or a module it
   * imports), line and column, 1-based.
   */
  readonly errorAt?: { readonly file: string; readonly line: number; readonly column: number };
  /** Nothing to check in it, in one line. */
  readonly note?: string;
}

/**
 * A file's load error where it is shown at its own place: the file in front when the place is
 * another module (`src/jobs.ts: src/lib.mjs:3:3: syntax error: ...`), so the reader knows which
 * file could not be loaded.
 */
export function loadErrorText(file: FileReport): string {
  const error = file.error ?? '';
  return file.errorAt !== undefined && file.errorAt.file !== file.file ? `${file.file}: ${error}` : error;
}

/**
 * What fails the run: findings of this severity or more serious (or, in the older form, of these
 * effects); `none` never fails.
 */
export type FailLevel = FailOn | 'none';

export interface ReportSettings {
  readonly failLevel: FailLevel;
  /**
   * At most this many entries per subject, in every format; the rest are counted.
   * (`--max-findings`, 100 by default.)
   */
  readonly maxEntries: number;
  /** Findings of one code at one path pattern collapse into one entry past this many. @default 5 */
  readonly maxPerGroup?: number;
}

const DEFAULT_MAX_PER_GROUP = 5;
/** How many paths a collapsed entry lists. */
export const SHOWN_PATHS = 3;

/**
 * One line of a report: a finding that holds on one or more channels at one path, or the same rule
 * over many elements of an array, Map or Set (`$.jobs[*].onDone`, with a count and the first paths).
 */
export interface Entry {
  readonly code: Finding['code'];
  readonly severity: Severity;
  readonly effect: Effect;
  readonly channels: Channel[];
  /** The path, or the pattern of a collapsed entry, middle-elided when long. */
  readonly at: string;
  /** The path steps of the first finding. */
  readonly path: readonly PathSegment[];
  /** How many paths it stands for (1 unless collapsed). */
  readonly count: number;
  /** The first paths of a collapsed entry (middle-elided). */
  readonly paths: readonly string[];
  readonly message: string;
  /** The hint, on the first entry that has it only. */
  readonly hint?: string;
  /** Whether the entry fails the run. */
  readonly failing: boolean;
}

export interface SubjectView {
  readonly subject: ReportSubject;
  readonly entries: readonly Entry[];
  /** Entries left out past `maxEntries`. */
  readonly omitted: number;
  readonly counts: Readonly<Record<Severity, number>>;
  /** Findings that fail the run. */
  readonly failing: number;
}

const RANK: Readonly<Record<Severity, number>> = { throw: 3, loss: 2, reshape: 1, note: 0 };

/** Whether a finding of this severity and effect fails the run at `level`. */
export function fails(severity: Severity, effect: Effect, level: FailLevel): boolean {
  if (level === 'none') return false;
  return typeof level === 'string' ? atLeast(severity, level) : level.includes(effect);
}

/** The findings of one code at one path pattern (indices and entries read as "any"), across channels. */
interface Group {
  readonly first: Finding;
  readonly pattern: string;
  readonly perChannel: Map<Channel, number>;
  readonly members: Finding[];
}

/** An entry before the hints are given out and the fail level applied. */
interface RawEntry {
  readonly entry: Omit<Entry, 'hint' | 'failing'>;
  readonly hint: string | undefined;
}

/**
 * A subject's findings as report entries: one entry per code and path with every channel it holds
 * on, a rule over more than `maxPerGroup` elements collapsed into one entry, ordered by severity,
 * then path, then code; each hint given once, on its first entry; at most `maxEntries` entries.
 * Costs a pass and a sort over the findings, never more.
 */
export function viewOf(subject: ReportSubject, settings: ReportSettings): SubjectView {
  const maxPerGroup = settings.maxPerGroup ?? DEFAULT_MAX_PER_GROUP;
  const findings = subject.findings;
  const raw: RawEntry[] = [];
  for (const g of groupFindings(findings).values()) {
    // Small groups back into one entry per path, channels merged; big ones stay one entry.
    if (Math.max(...g.perChannel.values()) > maxPerGroup) raw.push(...collapsedEntries(g));
    else raw.push(...entriesByPath(g));
  }
  // Severity first, then path, then code.
  raw.sort(
    (a, b) =>
      RANK[b.entry.severity] - RANK[a.entry.severity] ||
      comparePaths(a.entry.path, b.entry.path) ||
      (a.entry.code < b.entry.code ? -1 : a.entry.code > b.entry.code ? 1 : 0),
  );
  const seenHints = new Set<string>();
  const entries: Entry[] = [];
  for (const { entry, hint } of raw.slice(0, settings.maxEntries)) {
    const once = hint !== undefined && !seenHints.has(hint) ? hint : undefined;
    if (once !== undefined) seenHints.add(once);
    entries.push({ ...entry, ...(once !== undefined ? { hint: once } : {}), failing: fails(entry.severity, entry.effect, settings.failLevel) });
  }
  let failing = 0;
  for (const f of findings) if (fails(severityOfFinding(f), f.effect, settings.failLevel)) failing++;
  return { subject, entries, omitted: Math.max(0, raw.length - settings.maxEntries), counts: countSeverities(findings), failing };
}

function groupFindings(findings: readonly Finding[]): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const f of findings) {
    const pattern = patternOf(f.path) ?? f.at;
    const key = `${f.code}\u0000${pattern}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { first: f, pattern, perChannel: new Map(), members: [] }));
    g.perChannel.set(f.channel, (g.perChannel.get(f.channel) ?? 0) + 1);
    g.members.push(f);
  }
  return groups;
}

/**
 * A big group as one entry (its pattern, count and first paths); where the channels' sentences
 * cannot be read as one, one entry per sentence.
 */
function collapsedEntries(g: Group): RawEntry[] {
  const out: RawEntry[] = [];
  for (const part of splitByMessage(g.members)) {
    const perChannel = new Map<Channel, number>();
    const paths: string[] = [];
    for (const f of part.members) {
      perChannel.set(f.channel, (perChannel.get(f.channel) ?? 0) + 1);
      if (paths.length < SHOWN_PATHS && !paths.includes(f.at)) paths.push(f.at);
    }
    const entry = {
      code: g.first.code,
      severity: severityOfFinding(g.first),
      effect: g.first.effect,
      channels: orderChannels(part.channels),
      at: elide(g.pattern),
      path: part.members[0]!.path,
      count: Math.max(...perChannel.values()),
      paths: paths.map((p) => elide(p)),
      message: part.message,
    };
    out.push({ entry, hint: part.members[0]!.hint });
  }
  return out;
}

/** A small group as one entry per path, the channels of each merged where their sentences allow. */
function entriesByPath(g: Group): RawEntry[] {
  const byAt = new Map<string, Finding[]>();
  for (const f of g.members) {
    const list = byAt.get(f.at);
    if (list) list.push(f);
    else byAt.set(f.at, [f]);
  }
  const severity = severityOfFinding(g.first);
  const out: RawEntry[] = [];
  for (const [at, list] of byAt) {
    for (const part of splitByMessage(list)) {
      const entry = {
        code: list[0]!.code,
        severity,
        effect: list[0]!.effect,
        channels: orderChannels(part.channels),
        at: elide(at),
        path: list[0]!.path,
        count: 1,
        paths: [],
        message: part.message,
      };
      out.push({ entry, hint: part.members[0]!.hint });
    }
  }
  return out;
}

/**
 * The findings of one entry split by sentence: one part for the channels whose sentences are the
 * same or merge (see `mergeMessages`), one more for each sentence that does not.
 */
function splitByMessage(findings: readonly Finding[]): { channels: Set<Channel>; message: string; members: Finding[] }[] {
  const messageOf = new Map<Channel, string>();
  for (const f of findings) if (!messageOf.has(f.channel)) messageOf.set(f.channel, f.message);
  // Each sentence joins the first part it merges with, else starts one of its own.
  const parts: { texts: string[]; message: string }[] = [];
  for (const text of new Set(messageOf.values())) {
    let placed = false;
    for (const part of parts) {
      const merged = mergeMessages([...part.texts, text]);
      if (merged === undefined) continue;
      part.texts.push(text);
      part.message = merged;
      placed = true;
      break;
    }
    if (!placed) parts.push({ texts: [text], message: text });
  }
  return parts.map((part) => {
    const channels = new Set([...messageOf].filter(([, m]) => part.texts.includes(m)).map(([c]) => c));
    return { channels, message: part.message, members: findings.filter((f) => channels.has(f.channel)) };
  });
}

function orderChannels(set: ReadonlySet<Channel>): Channel[] {
  return ALL_CHANNELS.filter((c) => set.has(c));
}

/**
 * One sentence for the same rule on several channels, when they differ in a few words only: the
 * common beginning and end with the differing middles joined by "or":
 * `A function cannot be copied by structured clone or the advanced (V8) serializer, so the send throws.`
 * `undefined` when the sentences differ in more than that (each then keeps its own line).
 */
export function mergeMessages(messages: readonly string[]): string | undefined {
  const unique = [...new Set(messages)];
  if (unique.length <= 1) return unique[0];
  // Words and punctuation are separate tokens, so that "clone," and "serializer," differ only by the word.
  const tokens = unique.map((m) => m.match(/[^\s,.;:()]+|[,.;:()]|\s+/g) ?? []);
  const first = tokens[0]!;
  let prefix = 0;
  while (tokens.every((t) => prefix < t.length && t[prefix] === first[prefix])) prefix++;
  let suffix = 0;
  while (tokens.every((t) => suffix < t.length - prefix && t[t.length - 1 - suffix] === first[first.length - 1 - suffix])) suffix++;
  const middles = tokens.map((t) => t.slice(prefix, t.length - suffix));
  const words = (part: readonly string[]): number => part.filter((x) => /\S/.test(x) && !/^[,.;:()]$/.test(x)).length;
  // A few words in the middle of a sentence that is otherwise the same: "by X, so" / "by Y, so".
  const mergeable = prefix > 0 && middles.every((m) => words(m) >= 1 && words(m) <= 6) && tokens.every((t, i) => words(middles[i]!) * 3 <= words(t));
  if (!mergeable) return undefined;
  const head = first.slice(0, prefix).join('');
  const tail = first.slice(first.length - suffix).join('');
  return `${head}${[...new Set(middles.map((m) => m.join('').trim()))].join(' or ')}${tail}`;
}
